"""Case-file analysis: codebook, import, statistics, report and synthetic cohorts.

Example:
    >>> from ketenbeeld.cases import load_codebook
    >>> load_codebook().version
    '1'
"""

from ketenbeeld.cases.codebook import (
    CURRENT_CODEBOOK_VERSION,
    Codebook,
    Entity,
    Variable,
    load_codebook,
)
from ketenbeeld.cases.importer import SUPPORTED_SUFFIXES, CaseFile, read_case_file, read_case_files
from ketenbeeld.cases.model import CodedCase, canonical_json, cohort_fingerprint
from ketenbeeld.cases.report import ReportPaths, render_report_html, write_report
from ketenbeeld.cases.results import (
    CaseStatistics,
    Comparison,
    CurvePoint,
    ProportionRow,
    RecruitmentSummary,
    TrendResult,
    YearSummary,
)
from ketenbeeld.cases.stats import compute_statistics, statistics_to_csv, wilson_interval
from ketenbeeld.cases.store import ImportSummary, count_cases, import_cases, load_cases
from ketenbeeld.cases.survival import recruitment_summary, recruitment_trend
from ketenbeeld.cases.validate import parse_partial_date, validate_case

__all__ = [
    "CURRENT_CODEBOOK_VERSION",
    "SUPPORTED_SUFFIXES",
    "CaseFile",
    "CaseStatistics",
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
    "import_cases",
    "load_cases",
    "load_codebook",
    "parse_partial_date",
    "read_case_file",
    "read_case_files",
    "recruitment_summary",
    "recruitment_trend",
    "render_report_html",
    "statistics_to_csv",
    "validate_case",
    "wilson_interval",
    "write_report",
]
