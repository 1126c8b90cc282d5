"""Case-file analysis: codebook, import, statistics, report.

The public names below load their module on first use, so a command that only
imports cases does not pay for matplotlib, lifelines or WeasyPrint.

Example:
    >>> from ketenbeeld.cases import load_codebook
    >>> load_codebook().version
    '1'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ketenbeeld.cases.codebook import (
        CURRENT_CODEBOOK_VERSION,
        Codebook,
        Entity,
        Variable,
        load_codebook,
    )
    from ketenbeeld.cases.importer import (
        SUPPORTED_SUFFIXES,
        CaseFile,
        read_case_file,
        read_case_files,
    )
    from ketenbeeld.cases.model import (
        CodedCase,
        canonical_json,
        cohort_fingerprint,
    )
    from ketenbeeld.cases.report import (
        ReportPaths,
        render_report_html,
        report_pdf_bytes,
        write_report,
    )
    from ketenbeeld.cases.results import (
        CaseStatistics,
        Comparison,
        CurvePoint,
        ProportionRow,
        RecruitmentSummary,
        TrendResult,
        YearSummary,
    )
    from ketenbeeld.cases.stats import (
        compute_statistics,
        load_statistics_texts,
        statistics_to_csv,
        wilson_interval,
    )
    from ketenbeeld.cases.store import (
        CaseSummary,
        ImportSummary,
        count_cases,
        delete_cases,
        import_cases,
        list_cases,
        load_case,
        load_cases,
    )
    from ketenbeeld.cases.survival import (
        recruitment_summary,
        recruitment_trend,
    )
    from ketenbeeld.cases.texts import (
        load_report_text,
    )
    from ketenbeeld.cases.validate import (
        parse_partial_date,
        validate_case,
    )

_EXPORTS: dict[str, str] = {
    "CURRENT_CODEBOOK_VERSION": "ketenbeeld.cases.codebook",
    "Codebook": "ketenbeeld.cases.codebook",
    "Entity": "ketenbeeld.cases.codebook",
    "Variable": "ketenbeeld.cases.codebook",
    "load_codebook": "ketenbeeld.cases.codebook",
    "CaseFile": "ketenbeeld.cases.importer",
    "SUPPORTED_SUFFIXES": "ketenbeeld.cases.importer",
    "read_case_file": "ketenbeeld.cases.importer",
    "read_case_files": "ketenbeeld.cases.importer",
    "CodedCase": "ketenbeeld.cases.model",
    "canonical_json": "ketenbeeld.cases.model",
    "cohort_fingerprint": "ketenbeeld.cases.model",
    "ReportPaths": "ketenbeeld.cases.report",
    "render_report_html": "ketenbeeld.cases.report",
    "report_pdf_bytes": "ketenbeeld.cases.report",
    "write_report": "ketenbeeld.cases.report",
    "CaseStatistics": "ketenbeeld.cases.results",
    "Comparison": "ketenbeeld.cases.results",
    "CurvePoint": "ketenbeeld.cases.results",
    "ProportionRow": "ketenbeeld.cases.results",
    "RecruitmentSummary": "ketenbeeld.cases.results",
    "TrendResult": "ketenbeeld.cases.results",
    "YearSummary": "ketenbeeld.cases.results",
    "compute_statistics": "ketenbeeld.cases.stats",
    "load_statistics_texts": "ketenbeeld.cases.stats",
    "statistics_to_csv": "ketenbeeld.cases.stats",
    "wilson_interval": "ketenbeeld.cases.stats",
    "ImportSummary": "ketenbeeld.cases.store",
    "count_cases": "ketenbeeld.cases.store",
    "CaseSummary": "ketenbeeld.cases.store",
    "delete_cases": "ketenbeeld.cases.store",
    "list_cases": "ketenbeeld.cases.store",
    "import_cases": "ketenbeeld.cases.store",
    "load_case": "ketenbeeld.cases.store",
    "load_cases": "ketenbeeld.cases.store",
    "recruitment_summary": "ketenbeeld.cases.survival",
    "recruitment_trend": "ketenbeeld.cases.survival",
    "load_report_text": "ketenbeeld.cases.texts",
    "parse_partial_date": "ketenbeeld.cases.validate",
    "validate_case": "ketenbeeld.cases.validate",
}

__all__ = [
    "CURRENT_CODEBOOK_VERSION",
    "SUPPORTED_SUFFIXES",
    "CaseFile",
    "CaseStatistics",
    "CaseSummary",
    "Codebook",
    "CodedCase",
    "Comparison",
    "CurvePoint",
    "Entity",
    "ImportSummary",
    "ProportionRow",
    "RecruitmentSummary",
    "ReportPaths",
    "TrendResult",
    "Variable",
    "YearSummary",
    "canonical_json",
    "cohort_fingerprint",
    "compute_statistics",
    "count_cases",
    "delete_cases",
    "import_cases",
    "list_cases",
    "load_case",
    "load_cases",
    "load_codebook",
    "load_report_text",
    "load_statistics_texts",
    "parse_partial_date",
    "read_case_file",
    "read_case_files",
    "recruitment_summary",
    "recruitment_trend",
    "render_report_html",
    "report_pdf_bytes",
    "statistics_to_csv",
    "validate_case",
    "wilson_interval",
    "write_report",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
