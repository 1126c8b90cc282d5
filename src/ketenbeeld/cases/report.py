"""The reproducible research report: one self-contained HTML file, optionally a PDF.

:func:`render_report_html` turns a :class:`~ketenbeeld.cases.results.CaseStatistics`
into one HTML document with inline CSS and inline SVG plots, no external resources,
Dutch by default and English on request. The same statistics and generation time give
byte-identical HTML. The numbers are also embedded as JSON
(``<script type="application/json" id="ketenbeeld-stats">``) and every table cell
carries ``data-row-id`` / ``data-field`` attributes, so the rendered values can be
checked against the statistics by a program. Its texts are versioned data (see
:func:`~ketenbeeld.cases.texts.load_report_text`), named in the provenance.

:func:`write_report` writes the HTML (and a PDF made by WeasyPrint from the same HTML
string) atomically: a crash never leaves half a report behind.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

import ketenbeeld
from ketenbeeld.atomic import atomic_path, atomic_text
from ketenbeeld.cases.codebook import Codebook, load_codebook
from ketenbeeld.cases.plots import (
    check_lang,
    format_days,
    format_decimal,
    format_p,
    proportions_svg,
    recruitment_curve_svg,
    trend_svg,
)
from ketenbeeld.cases.results import (
    CaseStatistics,
    Comparison,
    ProportionRow,
    RecruitmentSummary,
    TrendResult,
)
from ketenbeeld.cases.survival import MIN_TREND_EVENTS
from ketenbeeld.cases.texts import load_report_text
from ketenbeeld.errors import ConfigError, InputError

__all__ = ["ReportPaths", "render_report_html", "report_pdf_bytes", "write_report"]

_DASH = "—"


@dataclass(frozen=True)
class ReportPaths:
    """Where :func:`write_report` wrote the report."""

    html: Path
    pdf: Path | None = None


@cache
def _environment() -> Environment:
    """The Jinja2 environment, built on first use (never at import time)."""
    return Environment(
        loader=PackageLoader("ketenbeeld.cases", "templates"),
        autoescape=select_autoescape(),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _utc_iso(moment: datetime | None) -> str:
    """ISO 8601 in UTC to the second, e.g. ``2024-05-01T12:00:00Z``; naive means UTC."""
    if moment is None:
        moment = datetime.now(UTC)
    elif moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _percentage(row: ProportionRow, text: dict[str, str], min_cell: int, lang: str) -> str:
    if row.suppressed:
        return text["suppressed"].format(n=min_cell)
    if row.proportion is None:
        return text["not_applicable"]
    result = f"{format_decimal(row.proportion * 100, 1, lang)}%"
    if row.ci_low is not None and row.ci_high is not None:
        low = format_decimal(row.ci_low * 100, 1, lang)
        high = format_decimal(row.ci_high * 100, 1, lang)
        result += f" ({low}–{high})"
    return result


def _count(text: dict[str, str], key: str, n: int) -> str:
    return text[f"{key}_1"] if n == 1 else text[f"{key}_n"].format(n=n)


def _row_variables(codebook: Codebook | None, row_id: str, lang: str) -> list[str]:
    """The codebook variables a headline row uses, as ``label (name)``."""
    if codebook is None:
        return []
    return [
        f"{variable.label[lang]} ({entity.name}.{variable.name})"
        for entity in codebook.entities.values()
        for variable in entity.variables
        if row_id in variable.used_by
    ]


def _row_groups(
    stats: CaseStatistics, text: dict[str, str], lang: str, codebook: Codebook | None
) -> list[dict[str, Any]]:
    groups: list[dict[str, Any]] = []
    for row in stats.rows:
        if not groups or groups[-1]["population"] != row.population:
            label = text.get(f"population_{row.population}", row.population)
            groups.append({"population": row.population, "label": label, "rows": []})
        groups[-1]["rows"].append(
            {
                "id": row.id,
                "label": row.label.get(lang, row.id),
                "numerator": _DASH if row.numerator is None else str(row.numerator),
                "denominator": str(row.denominator),
                "unknown": str(row.unknown),
                "percentage": _percentage(row, text, stats.min_cell, lang),
                "suppressed": row.suppressed,
                "definition": row.definition.get(lang, ""),
                "variables": _row_variables(codebook, row.id, lang),
            }
        )
    return groups


def _trend_meaning(trend: TrendResult, text: dict[str, str]) -> str:
    hr = trend.hazard_ratio_per_year
    if hr is None:
        return text["trend_not_estimable"]
    if trend.ci_low is not None and trend.ci_high is not None:
        if trend.ci_low > 1:
            return text["trend_shorter"]
        if trend.ci_high < 1:
            return text["trend_longer"]
        return text["trend_unclear"]
    if hr == 1:
        return text["trend_unclear"]
    return text["trend_point_shorter"] if hr > 1 else text["trend_point_longer"]


def _trend_note(trend: TrendResult, lang: str) -> dict[str, str | None]:
    """Why the trend was not estimated: by ``note_code`` in ``lang``, else ``note`` (English)."""
    notes = load_report_text().language("trend_notes", lang)
    if trend.note_code in notes:
        note = notes[trend.note_code].format(events=trend.events, min_events=MIN_TREND_EVENTS)
        return {"note": note, "note_lang": lang}
    return {"note": trend.note, "note_lang": "en"}


def _trend_view(
    trend: TrendResult, text: dict[str, str], lang: str, min_cell: int
) -> dict[str, Any]:
    def number(value: float | None) -> str:
        return text["not_estimable"] if value is None else format_decimal(value, 2, lang)

    ci = (
        f"{format_decimal(trend.ci_low, 2, lang)}–{format_decimal(trend.ci_high, 2, lang)}"
        if trend.ci_low is not None and trend.ci_high is not None
        else text["not_estimable"]
    )
    return {
        "estimable": trend.hazard_ratio_per_year is not None,
        "hazard_ratio": number(trend.hazard_ratio_per_year),
        "ci": ci,
        "p_value": text["not_estimable"]
        if trend.p_value is None
        else format_p(trend.p_value, lang),
        "n": str(trend.n),
        "events": str(trend.events),
        "meaning": _trend_meaning(trend, text),
        **_trend_note(trend, lang),
        "years": [
            {
                "year": str(year.year),
                "n": str(year.n),
                "events": str(year.events),
                "median": (
                    text["suppressed"].format(n=min_cell)
                    if year.suppressed
                    else format_days(year.median, lang, text["median_not_reached"])
                ),
            }
            for year in trend.per_year
        ],
    }


def _recruitment_view(
    rec: RecruitmentSummary, text: dict[str, str], lang: str, min_cell: int
) -> dict[str, str]:
    hidden = text["suppressed"].format(n=min_cell)
    median_ci = (
        f"{format_days(rec.ci_low, lang, _DASH)}–{format_days(rec.ci_high, lang, _DASH)}"
        if rec.ci_low is not None and rec.ci_high is not None
        else text["not_estimable"]
    )
    curve_note = ""
    if rec.suppressed:
        curve_note = text["curve_withheld"].format(min_cell=min_cell)
    elif rec.curve_truncated_at is not None:
        days = format_days(rec.curve_truncated_at, lang, _DASH)
        curve_note = text["curve_truncated"].format(min_cell=min_cell, days=days)
    median = format_days(rec.median, lang, text["median_not_reached"])
    return {
        "median": hidden if rec.suppressed else median,
        "median_ci": hidden if rec.suppressed else median_ci,
        "n": str(rec.n),
        "events": str(rec.events),
        "censored": str(rec.censored),
        "excluded": str(rec.excluded),
        "curve_note": curve_note,
    }


def _comparison_view(
    comparison: Comparison, text: dict[str, str], lang: str, min_cell: int
) -> dict[str, Any]:
    hidden = text["suppressed"].format(n=min_cell)

    def cell(value: int | None) -> str:
        return text["suppressed_short"] if value is None else str(value)

    def test(value: float | None, show: Callable[[float], str]) -> str:
        if comparison.suppressed:
            return hidden
        return text["not_estimable"] if value is None else show(value)

    (a_yes, a_no), (b_yes, b_no) = comparison.table
    return {
        "id": comparison.id,
        "label": comparison.label.get(lang, comparison.id),
        "outcome": comparison.outcome.get(lang, ""),
        "group_a": comparison.group_a.get(lang, ""),
        "group_b": comparison.group_b.get(lang, ""),
        "a_yes": cell(a_yes),
        "a_no": cell(a_no),
        "b_yes": cell(b_yes),
        "b_no": cell(b_no),
        "odds_ratio": test(comparison.odds_ratio, lambda v: format_decimal(v, 2, lang)),
        "p_value": test(comparison.p_value, lambda v: format_p(v, lang)),
        "suppressed": comparison.suppressed,
    }


def _summary(stats: CaseStatistics, text: dict[str, str], lang: str) -> list[str]:
    lines = [
        text["summary_cohort"].format(
            cases=_count(text, "cases", stats.n_cases),
            perpetrators=_count(text, "perpetrators", stats.n_perpetrators),
            victims=_count(text, "victims", stats.n_victims),
            version=stats.codebook_version or _DASH,
        )
    ]
    rec = stats.recruitment
    if rec.n == 0:
        lines.append(text["summary_no_recruitment"])
    elif rec.suppressed:
        lines.append(text["summary_median_suppressed"].format(min_cell=stats.min_cell))
    elif rec.median is None:
        lines.append(text["summary_no_median"].format(n=rec.n))
    else:
        ci = ""
        if rec.ci_low is not None and rec.ci_high is not None:
            ci = text["summary_median_ci"].format(
                low=format_days(rec.ci_low, lang, _DASH), high=format_days(rec.ci_high, lang, _DASH)
            )
        median = format_days(rec.median, lang, _DASH)
        lines.append(text["summary_median"].format(median=median, ci=ci, n=rec.n))
    trend = stats.trend
    if (
        trend.hazard_ratio_per_year is not None
        and trend.ci_low is not None
        and trend.ci_high is not None
        and trend.p_value is not None
    ):
        lines.append(
            text["summary_trend"].format(
                hr=format_decimal(trend.hazard_ratio_per_year, 2, lang),
                low=format_decimal(trend.ci_low, 2, lang),
                high=format_decimal(trend.ci_high, 2, lang),
                p=format_p(trend.p_value, lang),
                meaning=_trend_meaning(trend, text),
            )
        )
    suppressed = sum(1 for row in stats.rows if row.suppressed)
    if suppressed:
        lines.append(
            text["summary_suppressed"].format(
                count=suppressed, total=len(stats.rows), min_cell=stats.min_cell
            )
        )
    return lines


def _stats_json(stats: CaseStatistics) -> Markup:
    """``stats.to_json()`` as JSON that is safe inside a ``<script>`` element.

    ``<``, ``>`` and ``&`` only occur inside JSON strings, where their ``\\u`` escapes
    mean the same, so ``</script>`` in a label cannot end the element.
    """
    text = json.dumps(stats.to_json(), ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)  # noqa: S704 - escaped above for the script context


def _resolve_codebook(stats: CaseStatistics, codebook: Codebook | None) -> Codebook | None:
    if codebook is not None:
        if codebook.version != stats.codebook_version:
            raise ConfigError(
                "the codebook given for the report is not the one the statistics were made with",
                hint=f"use codebook version {stats.codebook_version or '(none)'}",
            )
        return codebook
    if not stats.codebook_version:
        return None
    try:
        return load_codebook(stats.codebook_version)
    except ConfigError:  # an external codebook: the report then names only its version
        return None


def render_report_html(
    stats: CaseStatistics,
    *,
    lang: str = "nl",
    generated_at: datetime | None = None,
    codebook: Codebook | None = None,
) -> str:
    """Render the research report as one self-contained HTML document.

    The document has no external resources (CSS inline, plots as inline SVG), is
    Dutch by default, and is byte-identical for equal ``stats``, ``lang`` and
    ``generated_at``. It embeds ``stats.to_json()`` in
    ``<script type="application/json" id="ketenbeeld-stats">``.

    Args:
        stats: the statistics to report.
        lang: ``nl`` (default) or ``en``.
        generated_at: the generation time shown in the provenance (UTC; a naive
            datetime is taken as UTC); now when ``None``.
        codebook: the codebook the statistics were made with, for the variable
            names in the methods; the built-in codebook of ``stats.codebook_version``
            when ``None``.

    Returns:
        The HTML text.

    Raises:
        InputError: ``lang`` is not supported.
        ConfigError: ``codebook`` has another version than the statistics.

    Example:
        >>> html = render_report_html(stats, lang="en")  # doctest: +SKIP
        >>> 'id="ketenbeeld-stats"' in html  # doctest: +SKIP
        True
    """
    texts = load_report_text()
    text = texts.language("report", check_lang(lang))
    codebook = _resolve_codebook(stats, codebook)
    min_cell = stats.min_cell
    rec = stats.recruitment
    context: dict[str, Any] = {
        "lang": lang,
        "t": text,
        "summary": _summary(stats, text, lang),
        "groups": _row_groups(stats, text, lang, codebook),
        "recruitment": _recruitment_view(rec, text, lang, min_cell),
        "trend": _trend_view(stats.trend, text, lang, min_cell),
        "comparisons": [_comparison_view(c, text, lang, min_cell) for c in stats.comparisons],
        "suppression": (
            text["m_suppression"].format(max=min_cell - 1, min_cell=min_cell)
            if min_cell > 1
            else text["m_no_suppression"].format(min_cell=min_cell)
        ),
        "provenance": {
            "codebook_version": stats.codebook_version or _DASH,
            "statistics_version": stats.statistics_version or _DASH,
            "report_text_version": texts.version,
            "codebook_title": codebook.title[lang] if codebook is not None else "",
            "n_cases": str(stats.n_cases),
            "n_perpetrators": str(stats.n_perpetrators),
            "n_victims": str(stats.n_victims),
            "fingerprint": stats.fingerprint,
            "software": f"Ketenbeeld {ketenbeeld.__version__}",
            "version": ketenbeeld.__version__,
            "generated_at": _utc_iso(generated_at),
            "min_cell": str(min_cell),
        },
        # Markup: the plots are our own SVG, with every text escaped by matplotlib.
        "plots": {
            "proportions": Markup(proportions_svg(stats.rows, lang=lang, min_cell=min_cell)),  # noqa: S704
            "recruitment": Markup(recruitment_curve_svg(rec, lang=lang)),  # noqa: S704
            "trend": Markup(trend_svg(stats.trend, lang=lang, min_cell=min_cell)),  # noqa: S704
        },
        "stats_json": _stats_json(stats),
    }
    return _environment().get_template("report.html").render(context)


def _check_folder(path: Path) -> None:
    if not path.parent.is_dir():
        raise InputError(
            f"cannot write {path.name}: the folder {path.parent} does not exist",
            hint="create the folder first or choose another output path",
        )


def _write_text(path: Path, content: str) -> None:
    _check_folder(path)
    with atomic_text(path) as stream:
        stream.write(content)


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """WeasyPrint URL fetcher that fetches nothing: the report is self-contained."""
    raise ValueError("the report must not load external resources")


def report_pdf_bytes(html: str) -> bytes:
    """The report's HTML (from :func:`render_report_html`) as a PDF, in memory."""
    import weasyprint  # slow to import: only when a PDF is asked for

    # WeasyPrint warns about SVG presentation attributes it ignores and about font
    # subsetting; neither changes the PDF, and users should not see them per report.
    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    fetcher: Callable[..., dict[str, Any]] = _refuse_fetch
    pdf: bytes = weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()
    return pdf


def _write_pdf(path: Path, html: str) -> None:
    _check_folder(path)
    pdf = report_pdf_bytes(html)
    with atomic_path(path) as temporary:
        temporary.write_bytes(pdf)


def write_report(
    stats: CaseStatistics,
    out_html: Path,
    *,
    pdf: Path | None = None,
    lang: str = "nl",
    generated_at: datetime | None = None,
    codebook: Codebook | None = None,
) -> ReportPaths:
    """Write the report as HTML and, if ``pdf`` is given, as PDF from the same HTML.

    Both files are written atomically (a temporary file in the same folder, then
    ``os.replace``), so an interrupted run leaves the old file or none, never half a
    report. The PDF is made by WeasyPrint, which is imported only here.

    Args:
        stats: the statistics to report.
        out_html: where to write the HTML file.
        pdf: where to write the PDF, or ``None`` for no PDF.
        lang: ``nl`` (default) or ``en``.
        generated_at: the generation time shown in the report; now when ``None``.
        codebook: see :func:`render_report_html`.

    Returns:
        The paths written.

    Raises:
        InputError: an output folder does not exist or ``lang`` is not supported.

    Example:
        >>> write_report(stats, Path("rapport.html"), pdf=Path("rapport.pdf"))  # doctest: +SKIP
        ReportPaths(html=PosixPath('rapport.html'), pdf=PosixPath('rapport.pdf'))
    """
    html = render_report_html(stats, lang=lang, generated_at=generated_at, codebook=codebook)
    _write_text(out_html, html)
    if pdf is not None:
        _write_pdf(pdf, html)
    return ReportPaths(html=out_html, pdf=pdf)
