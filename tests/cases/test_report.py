"""Tests of the research report: the numbers a reader checks, in both languages."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

import ketenbeeld
from ketenbeeld.cases import report as report_module
from ketenbeeld.cases.codebook import load_codebook
from ketenbeeld.cases.model import CodedCase
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
from ketenbeeld.cases.validate import validate_case
from ketenbeeld.errors import ConfigError, InputError

GENERATED = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
FINGERPRINT = "3f" * 32

# --------------------------------------------------------------------------- helpers

_VOID = {"meta", "link", "br", "img", "hr", "input", "source", "col", "wbr"}
_CONTEXT_ATTRS = ("data-row-id", "data-comparison-id", "data-year", "id")


class _Cells(HTMLParser):
    """Collect the text of every element with ``data-field``, keyed by its context.

    The context is the nearest ancestor's ``data-row-id``, ``data-comparison-id``,
    ``data-year`` or ``id`` (e.g. ``recruitment-summary``).
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.capturing: list[tuple[int, str, str]] = []  # (depth, context, field)
        self.buffers: dict[tuple[str, str], list[str]] = {}
        self.cells: dict[tuple[str, str], str] = {}
        self.elements: list[tuple[str, dict[str, str]]] = []

    def _context(self) -> str:
        for _tag, attrs in reversed(self.stack):
            for name in _CONTEXT_ATTRS:
                if name in attrs:
                    return attrs[name]
        return ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.elements.append((tag, values))
        if tag in _VOID:
            return
        context = self._context()
        self.stack.append((tag, values))
        if "data-field" in values:
            key = (context, values["data-field"])
            self.capturing.append((len(self.stack), *key))
            self.buffers[key] = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or not self.stack:
            return
        if self.capturing and self.capturing[-1][0] == len(self.stack):
            _depth, context, field = self.capturing.pop()
            text = " ".join("".join(self.buffers.pop((context, field))).split())
            self.cells[(context, field)] = text
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        for _depth, context, field in self.capturing:
            self.buffers[(context, field)].append(data)


def cells(html: str) -> dict[tuple[str, str], str]:
    parser = _Cells()
    parser.feed(html)
    parser.close()
    return parser.cells


def elements(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Cells()
    parser.feed(html)
    return parser.elements


def embedded_json(html: str) -> Any:
    match = re.search(
        r'<script type="application/json" id="ketenbeeld-stats">(.*?)</script>', html, re.DOTALL
    )
    assert match, "the statistics JSON is not embedded"
    return json.loads(match.group(1))


def visible_text(html: str) -> str:
    """The document text without tags, with whitespace collapsed."""
    body = re.sub(r"<script.*?</script>|<style.*?</style>", " ", html, flags=re.DOTALL)
    return " ".join(re.sub(r"<[^>]+>", " ", body).replace("&lt;", "<").replace("&gt;", ">").split())


# --------------------------------------------------------------------------- hand-built stats


def pair(nl: str, en: str) -> dict[str, str]:
    return {"nl": nl, "en": en}


def make_stats(**changes: Any) -> CaseStatistics:
    rows = (
        ProportionRow(
            "perpetrators_aged_18_29",
            pair("Daders van 18 tot en met 29 jaar", "Perpetrators aged 18-29"),
            "perpetrators",
            18,
            25,
            0,
            0.72,
            0.5242339480963842,
            0.8571614614904344,
            definition=pair("Leeftijd bij aanvang 18-29.", "Age at start 18-29."),
        ),
        ProportionRow(
            "perpetrators_with_debts",
            pair("Daders met schulden", "Perpetrators with debts"),
            "perpetrators",
            14,
            21,
            4,
            14 / 21,
            0.4537345197425524,
            0.8280524739491653,
            definition=pair("Schulden ten tijde van het delict.", "Debts at the time."),
        ),
        ProportionRow(
            "perpetrators_known_to_police",
            pair("Daders eerder bekend bij politie", "Perpetrators known to police"),
            "perpetrators",
            None,
            25,
            0,
            None,
            None,
            None,
            suppressed=True,
            definition=pair("Eerder bekend bij politie.", "Known to police before."),
        ),
        ProportionRow(
            "victims_in_care_or_homeless",
            pair("Slachtoffers in een zorginstelling of dakloos", "Victims in care or homeless"),
            "victims",
            20,
            40,
            2,
            0.5,
            0.352,
            0.648,
            definition=pair("Zorginstelling of dakloos.", "Care institution or homeless."),
        ),
        ProportionRow(
            "victims_unknown_met_online",
            pair("Dader vooraf onbekend: eerste contact online", "Unknown before: met online"),
            "victims",
            0,
            0,
            5,
            None,
            None,
            None,
            definition=pair("Van wie de dader niet kenden.", "Of those who did not know."),
        ),
    )
    curve = tuple(
        CurvePoint(float(d), s, max(0.0, s - 0.15), min(1.0, s + 0.1))
        for d, s in [(0, 1.0), (2, 0.8), (5, 0.6), (7, 0.45), (30, 0.3), (90, 0.3)]
    )
    values: dict[str, Any] = {
        "rows": rows,
        "recruitment": RecruitmentSummary(7.0, 5.0, 12.0, 40, 6, 34, 2, curve),
        "trend": TrendResult(
            "cox_ph_year",
            1.234,
            0.981,
            1.552,
            0.0712,
            38,
            33,
            (
                YearSummary(2017, 12, 10, 20.0),
                YearSummary(2018, 14, 12, 6.5),
                YearSummary(2019, 3, 3, None, suppressed=True),
                YearSummary(2020, 9, 8, None),
            ),
        ),
        "comparisons": (
            Comparison(
                "compare_channel",
                pair("Binnen 7 dagen gedwongen: online of offline", "Within 7 days: online or not"),
                pair("Binnen 7 dagen gedwongen", "Forced within 7 days"),
                pair("Eerste contact online", "First contact online"),
                pair("Eerste contact offline", "First contact offline"),
                ((12, 6), (6, 10)),
                3.3333,
                0.0921,
            ),
            Comparison(
                "compare_minor",
                pair("Binnen 7 dagen: minderjarig", "Within 7 days: minor"),
                pair("Binnen 7 dagen gedwongen", "Forced within 7 days"),
                pair("Minderjarig", "Minor"),
                pair("Meerderjarig", "Adult"),
                ((None, None), (None, None)),
                None,
                None,
                suppressed=True,
            ),
        ),
        "n_cases": 25,
        "n_perpetrators": 26,
        "n_victims": 42,
        "min_cell": 5,
        "codebook_version": "1",
        "fingerprint": FINGERPRINT,
        "statistics_version": "1",
    }
    values.update(changes)
    return CaseStatistics(**values)


def empty_stats() -> CaseStatistics:
    return CaseStatistics(
        rows=(),
        recruitment=RecruitmentSummary(None, None, None, 0, 0, 0, 0),
        trend=TrendResult("cox_ph_year", None, None, None, None, 0, 0, note="no victims"),
        comparisons=(),
        n_cases=0,
        n_perpetrators=0,
        n_victims=0,
        min_cell=0,
        codebook_version="1",
        fingerprint="e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        statistics_version="1",
    )


@pytest.fixture(scope="module")
def html_nl() -> str:
    return render_report_html(make_stats(), generated_at=GENERATED)


@pytest.fixture(scope="module")
def html_en() -> str:
    return render_report_html(make_stats(), lang="en", generated_at=GENERATED)


# --------------------------------------------------------------------------- the tables

EXPECTED_ROWS = {
    # row id: (numerator, denominator, unknown, Dutch percentage, English percentage)
    "perpetrators_aged_18_29": ("18", "25", "0", "72,0% (52,4–85,7)", "72.0% (52.4–85.7)"),
    "perpetrators_with_debts": ("14", "21", "4", "66,7% (45,4–82,8)", "66.7% (45.4–82.8)"),
    "perpetrators_known_to_police": (
        "—",
        "25",
        "0",
        "onderdrukt (< 5)",
        "suppressed (< 5)",
    ),
    "victims_in_care_or_homeless": ("20", "40", "2", "50,0% (35,2–64,8)", "50.0% (35.2–64.8)"),
    "victims_unknown_met_online": ("0", "0", "5", "n.v.t. (noemer 0)", "n/a (denominator 0)"),
}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_headline_row_shows_its_numbers_in_its_own_row(
    lang: str, html_nl: str, html_en: str
) -> None:
    found = cells(html_nl if lang == "nl" else html_en)
    stats = make_stats()
    for row in stats.rows:
        numerator, denominator, unknown, pct_nl, pct_en = EXPECTED_ROWS[row.id]
        assert found[(row.id, "label")] == row.label[lang]
        assert found[(row.id, "numerator")] == numerator
        assert found[(row.id, "denominator")] == denominator
        assert found[(row.id, "unknown")] == unknown
        assert found[(row.id, "percentage")] == (pct_nl if lang == "nl" else pct_en)


def test_rows_are_grouped_by_population_in_stats_order(html_nl: str) -> None:
    order = [a["data-row-id"] for tag, a in elements(html_nl) if tag == "tr" and "data-row-id" in a]
    assert order == [row.id for row in make_stats().rows]
    groups = [a["data-population"] for tag, a in elements(html_nl) if "data-population" in a]
    assert groups == ["perpetrators", "victims"]


def test_a_suppressed_row_shows_no_numerator_nor_interval(html_nl: str) -> None:
    row = re.search(r'<tr data-row-id="perpetrators_known_to_police".*?</tr>', html_nl, re.DOTALL)
    assert row is not None
    assert "%" not in row.group(0)
    assert "onderdrukt (&lt; 5)" in row.group(0)


def test_recruitment_period_figures(html_nl: str, html_en: str) -> None:
    nl = cells(html_nl)
    assert nl[("recruitment-summary", "median")] == "7"
    assert nl[("recruitment-summary", "median_ci")] == "5–12"
    assert nl[("recruitment-summary", "n")] == "40"
    assert nl[("recruitment-summary", "events")] == "34"
    assert nl[("recruitment-summary", "censored")] == "6"
    assert nl[("recruitment-summary", "excluded")] == "2"
    text = visible_text(html_nl)
    assert "De helft van de slachtoffers werd binnen 7 dagen" in text
    assert "95%-BI 5–12, n = 40" in text
    stats = make_stats(recruitment=RecruitmentSummary(12.5, None, None, 9, 1, 8, 0))
    en = cells(render_report_html(stats, lang="en", generated_at=GENERATED))
    assert en[("recruitment-summary", "median")] == "12.5"
    assert en[("recruitment-summary", "median_ci")] == "not estimable"
    assert "Half of the victims" in html_en


def test_recruitment_median_not_reached() -> None:
    stats = make_stats(recruitment=RecruitmentSummary(None, None, None, 9, 7, 2, 0))
    found = cells(render_report_html(stats, generated_at=GENERATED))
    assert found[("recruitment-summary", "median")] == "niet bereikt"


def test_trend_hazard_ratio_interval_p_value_and_reading(html_nl: str, html_en: str) -> None:
    nl = cells(html_nl)
    assert nl[("trend-summary", "hazard_ratio")] == "1,23"
    assert nl[("trend-summary", "hazard_ratio_ci")] == "0,98–1,55"
    assert nl[("trend-summary", "p_value")] == "p = 0,071"
    assert nl[("trend-summary", "n")] == "38"
    assert nl[("trend", "interpretation")].startswith("Een hazard ratio boven 1 betekent")
    assert "Het interval bevat 1" in nl[("trend", "interpretation")]
    assert nl[("2018", "median")] == "6,5"
    assert nl[("2019", "median")] == "onderdrukt (< 5)"  # 3 victims < min_cell
    assert nl[("2020", "median")] == "niet bereikt"  # 9 victims, curve above one half
    en = cells(html_en)
    assert en[("trend-summary", "hazard_ratio_ci")] == "0.98–1.55"
    assert "getting shorter" in en[("trend", "interpretation")]


@pytest.mark.parametrize(
    ("low", "high", "reading"),
    [
        (1.05, 1.6, "de wervingsperiode wordt korter"),
        (0.6, 0.95, "de wervingsperiode wordt langer"),
        (0.9, 1.3, "geen duidelijke trend"),
    ],
)
def test_trend_reading_follows_the_interval(low: float, high: float, reading: str) -> None:
    trend = replace(make_stats().trend, ci_low=low, ci_high=high)
    found = cells(render_report_html(make_stats(trend=trend), generated_at=GENERATED))
    assert reading in found[("trend", "interpretation")]


def test_trend_not_estimable_shows_the_note() -> None:
    note = "only 3 victim(s) have a known recruitment period: the trend needs at least 5"
    trend = TrendResult("cox_ph_year", None, None, None, None, 4, 3, note=note)
    html = render_report_html(make_stats(trend=trend), generated_at=GENERATED)
    found = cells(html)
    assert found[("trend-summary", "hazard_ratio")] == "niet te schatten"
    assert "De trend kon niet worden geschat." in found[("trend", "interpretation")]
    assert found[("trend", "note")] == f"({note})"
    assert '<span class="note" lang="en"' in html


def test_a_not_estimable_trend_is_explained_in_the_report_language() -> None:
    english = "only 3 victim(s) have a known recruitment period: the trend needs at least 5"
    trend = TrendResult(
        "cox_ph_year", None, None, None, None, 4, 3, note=english, note_code="too_few_events"
    )
    html = render_report_html(make_stats(trend=trend), generated_at=GENERATED)
    dutch = (
        "slechts 3 slachtoffer(s) hebben een bekende wervingsperiode: "
        "de trend vraagt er ten minste 5"
    )
    assert cells(html)[("trend", "note")] == f"({dutch})"
    assert '<span class="note" lang="nl" data-field="note">' in html
    assert english not in visible_text(html)
    html_en = render_report_html(make_stats(trend=trend), lang="en", generated_at=GENERATED)
    assert cells(html_en)[("trend", "note")] == f"({english})"
    assert '<span class="note" lang="en" data-field="note">' in html_en


def test_a_dutch_report_of_a_real_not_estimable_trend_has_no_english_note() -> None:
    stats_module = pytest.importorskip("ketenbeeld.cases.stats")
    one_case = [_cohort()[0]]  # all victims first contacted in 2017
    stats = stats_module.compute_statistics(one_case)
    assert stats.trend.note_code == "one_year"
    html = render_report_html(stats, generated_at=GENERATED)
    note = cells(html)[("trend", "note")]
    assert note.startswith("(alle slachtoffers zijn in hetzelfde jaar voor het eerst benaderd")
    assert stats.trend.note is not None and stats.trend.note not in html.split("<script")[0]


def test_year_medians_follow_the_suppressed_flag_not_the_count() -> None:
    years = (
        YearSummary(2017, 2, 2, None, suppressed=True),
        YearSummary(2018, 2, 1, None),  # few victims, but not suppressed: not reached
        YearSummary(2019, 8, 8, 4.0),
    )
    trend = replace(make_stats().trend, per_year=years)
    found = cells(render_report_html(make_stats(trend=trend), generated_at=GENERATED))
    assert found[("2017", "median")] == "onderdrukt (< 5)"
    assert found[("2018", "median")] == "niet bereikt"
    assert found[("2019", "median")] == "4"
    assert [found[(y, "n")] for y in ("2017", "2018", "2019")] == ["2", "2", "8"]


def test_a_truncated_curve_says_so_under_the_plot(html_nl: str) -> None:
    assert ("recruitment", "curve_note") not in cells(html_nl)  # the whole curve
    rec = replace(make_stats().recruitment, curve_truncated_at=30.0)
    nl = cells(render_report_html(make_stats(recruitment=rec), generated_at=GENERATED))
    assert nl[("recruitment", "curve_note")] == (
        "De curve is getoond zolang ten minste 5 slachtoffers risico lopen (tot en met dag "
        "30): latere stappen zouden de periode van afzonderlijke slachtoffers tonen."
    )
    en = render_report_html(make_stats(recruitment=rec), lang="en", generated_at=GENERATED)
    assert cells(en)[("recruitment", "curve_note")].startswith(
        "The curve is shown while at least 5 victims are at risk (up to day 30)"
    )
    assert re.search(r"</svg>\s*<figcaption[^>]*data-field=\"curve_note\"", en)


def test_a_suppressed_recruitment_period_shows_no_median() -> None:
    rec = RecruitmentSummary(None, None, None, 4, 1, 3, 0, suppressed=True)
    html = render_report_html(make_stats(recruitment=rec), generated_at=GENERATED)
    found = cells(html)
    assert found[("recruitment-summary", "median")] == "onderdrukt (< 5)"
    assert found[("recruitment-summary", "median_ci")] == "onderdrukt (< 5)"
    assert found[("recruitment-summary", "n")] == "4"
    assert found[("recruitment", "curve_note")] == (
        "De curve en de mediaan zijn onderdrukt: er zijn minder dan 5 slachtoffers in de analyse."
    )
    text = visible_text(html)
    assert "De mediane wervingsperiode is onderdrukt omdat ze op minder dan 5" in text
    assert "niet bereikt" not in found[("recruitment-summary", "median")]


def test_report_from_compute_statistics_with_small_cells_cuts_the_curve() -> None:
    stats_module = pytest.importorskip("ketenbeeld.cases.stats")
    stats = stats_module.compute_statistics(_cohort(), min_cell=3)
    # periods 20, 30, 14, 2, 30 (censored), 5, 1, 2: 3 or more at risk up to day 20
    assert stats.recruitment.curve_truncated_at == 20.0
    assert [year.suppressed for year in stats.trend.per_year] == [False, False, True]
    found = cells(render_report_html(stats, lang="en", generated_at=GENERATED))
    assert "at least 3 victims are at risk (up to day 20)" in found[("recruitment", "curve_note")]
    assert found[("2021", "median")] == "suppressed (< 3)"
    assert found[("2019", "median")] == "5"


def test_group_comparisons_show_the_2x2_table_odds_ratio_and_fisher_p(html_nl: str) -> None:
    found = cells(html_nl)
    assert found[("compare_channel", "group_a")] == "Eerste contact online"
    assert [found[("compare_channel", f)] for f in ("a_yes", "a_no", "b_yes", "b_no")] == [
        "12",
        "6",
        "6",
        "10",
    ]
    assert found[("compare_channel", "odds_ratio")] == "3,33"
    assert found[("compare_channel", "p_value")] == "p = 0,092"
    assert found[("compare_minor", "a_yes")] == "onderdrukt"
    assert found[("compare_minor", "odds_ratio")] == "onderdrukt (< 5)"


# --------------------------------------------------------------------------- methods, provenance


def test_methods_define_every_row_and_every_method(html_nl: str, html_en: str) -> None:
    found = cells(html_nl)
    stats = make_stats()
    for row in stats.rows:
        definition = re.search(
            rf'<dd data-definition-for="{row.id}">(.*?)</dd>', html_nl, re.DOTALL
        )
        assert definition and row.definition["nl"] in definition.group(1)
    # the built-in codebook names the variables a row uses
    assert "perpetrator.has_debts" in html_nl
    text_nl = visible_text(html_nl)
    for phrase in ("Wilson", "Kaplan-Meier", "followed_until_date", "Cox", "Fisher"):
        assert phrase in text_nl
    assert "tussen 1 en 4 ligt (min_cell = 5)" in found[("methods", "suppression")]
    text_en = visible_text(html_en)
    assert "Unknown values are excluded from the denominator and reported separately" in text_en
    assert "censored at that date" in text_en
    assert "Cox proportional hazards model with the year of first contact" in text_en
    assert "Fisher exact test" in text_en


def test_without_suppression_the_methods_say_so() -> None:
    html = render_report_html(make_stats(min_cell=0), lang="en", generated_at=GENERATED)
    assert "No suppression of small numbers was applied" in visible_text(html)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_provenance_names_inputs_versions_and_time(lang: str, html_nl: str, html_en: str) -> None:
    found = cells(html_nl if lang == "nl" else html_en)
    assert found[("provenance-table", "codebook_version")] == "1"
    assert found[("provenance-table", "n_cases")] == "25"
    assert found[("provenance-table", "n_perpetrators")] == "26"
    assert found[("provenance-table", "n_victims")] == "42"
    assert found[("provenance-table", "fingerprint")] == FINGERPRINT
    assert found[("provenance-table", "software")] == f"Ketenbeeld {ketenbeeld.__version__}"
    assert found[("provenance-table", "generated_at")] == "2024-05-01T12:00:00Z"
    assert found[("provenance-table", "min_cell")] == "5"
    assert found[("provenance-table", "statistics_version")] == "1"
    assert found[("provenance-table", "report_text_version")] == "1"
    title = load_codebook("1").title[lang]
    assert found[("provenance-table", "codebook_title")] == title


def test_generation_time_is_shown_in_utc() -> None:
    local = datetime(2024, 5, 1, 14, 30, 15, 999, tzinfo=timezone(timedelta(hours=2)))
    found = cells(render_report_html(make_stats(), generated_at=local))
    assert found[("provenance-table", "generated_at")] == "2024-05-01T12:30:15Z"
    naive = cells(render_report_html(make_stats(), generated_at=datetime(2024, 1, 2, 3, 4, 5)))
    assert naive[("provenance-table", "generated_at")] == "2024-01-02T03:04:05Z"
    now = cells(render_report_html(make_stats()))
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", now[("provenance-table", "generated_at")]
    )


def test_privacy_line_says_groups_not_individuals(html_nl: str, html_en: str) -> None:
    assert "Dit rapport beschrijft groepen" in visible_text(html_nl)
    assert "art. 5, lid 1, onder d" in visible_text(html_nl)
    assert "not a basis for judging individuals" in visible_text(html_en)
    assert "art. 5(1)(d)" in visible_text(html_en)


def test_embedded_json_equals_the_statistics(html_nl: str) -> None:
    assert embedded_json(html_nl) == make_stats().to_json()


def test_labels_are_escaped_in_the_html_and_cannot_end_the_json_script() -> None:
    rows = (replace(make_stats().rows[0], label=pair("</script><b>x & y</b>", "en")),)
    stats = make_stats(rows=rows)
    html = render_report_html(stats, generated_at=GENERATED)
    assert "<b>x" not in html
    assert "&lt;/script&gt;&lt;b&gt;x &amp; y&lt;/b&gt;" in html
    assert html.lower().count("</script") == 1
    assert embedded_json(html) == stats.to_json()


# --------------------------------------------------------------------------- the document


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_document_is_self_contained(lang: str, html_nl: str, html_en: str) -> None:
    html = html_nl if lang == "nl" else html_en
    for tag, attrs in elements(html):
        for name in ("src", "href", "xlink:href", "action", "data", "poster"):
            value = attrs.get(name, "")
            assert not value or value.startswith("#"), (tag, name, value)
        assert tag not in ("link", "img", "iframe", "object", "embed")
        if tag == "script":
            assert attrs.get("type") == "application/json"
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html)
    assert "@import" not in html and "url(http" not in html and "@font-face" not in html


def test_document_language_and_accessibility(html_nl: str, html_en: str) -> None:
    assert html_nl.startswith('<!DOCTYPE html>\n<html lang="nl">')
    assert '<html lang="en">' in html_en
    found = elements(html_nl)
    headers = [a for tag, a in found if tag == "th"]
    assert headers and all(a.get("scope") in ("col", "row", "rowgroup") for a in headers)
    svgs = [a for tag, a in found if tag == "svg"]
    assert len(svgs) == 3
    assert all(a.get("role") == "img" and a.get("aria-label") for a in svgs)
    assert html_nl.count("<title>") == 4  # the document and each plot


def test_same_stats_and_time_give_byte_identical_html(html_nl: str) -> None:
    assert render_report_html(make_stats(), generated_at=GENERATED) == html_nl
    other_time = render_report_html(make_stats(), generated_at=GENERATED + timedelta(seconds=1))
    assert other_time != html_nl


def test_empty_statistics_render_in_both_languages() -> None:
    stats = empty_stats()
    nl = render_report_html(stats, generated_at=GENERATED)
    en = render_report_html(stats, lang="en", generated_at=GENERATED)
    found = cells(nl)
    assert found[("provenance-table", "n_cases")] == "0"
    assert "Geen gegevens" in nl and "No data" in en
    assert "Er zijn geen kerncijfers" in visible_text(nl)
    assert "There are no group comparisons." in visible_text(en)
    assert "Dit rapport beschrijft 0 zaken met 0 daders en 0 slachtoffers" in visible_text(nl)
    assert embedded_json(en) == stats.to_json()


def test_singular_counts_in_the_summary() -> None:
    stats = replace(empty_stats(), n_cases=1, n_perpetrators=1, n_victims=1)
    text = visible_text(render_report_html(stats, lang="en", generated_at=GENERATED))
    assert "This report describes 1 case with 1 perpetrator and 1 victim" in text


def test_unsupported_language_and_wrong_codebook_are_refused() -> None:
    with pytest.raises(InputError):
        render_report_html(make_stats(), lang="fr")
    with pytest.raises(ConfigError):
        render_report_html(make_stats(codebook_version="2"), codebook=load_codebook("1"))
    # a codebook version this Ketenbeeld does not ship still renders, without variables
    html = render_report_html(make_stats(codebook_version="9"), generated_at=GENERATED)
    assert cells(html)[("provenance-table", "codebook_version")] == "9"
    assert "perpetrator.has_debts" not in html


# --------------------------------------------------------------------------- writing files


def test_write_report_writes_html_and_pdf(tmp_path: Path) -> None:
    stats = make_stats()
    paths = write_report(
        stats, tmp_path / "rapport.html", pdf=tmp_path / "rapport.pdf", generated_at=GENERATED
    )
    assert paths == ReportPaths(html=tmp_path / "rapport.html", pdf=tmp_path / "rapport.pdf")
    html = paths.html.read_text("utf-8")
    assert html == render_report_html(stats, generated_at=GENERATED)
    assert paths.pdf is not None
    pdf = paths.pdf.read_bytes()
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 20_000  # text, tables and three vector plots
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rapport.html", "rapport.pdf"]


def test_write_report_without_pdf(tmp_path: Path) -> None:
    paths = write_report(empty_stats(), tmp_path / "r.html", lang="en", generated_at=GENERATED)
    assert paths.pdf is None
    assert '<html lang="en">' in paths.html.read_text("utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]


def test_a_failed_pdf_leaves_the_old_file_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    weasyprint = pytest.importorskip("weasyprint")
    old = tmp_path / "rapport.pdf"
    old.write_bytes(b"%PDF old report")

    class Broken:
        def __init__(self, **kwargs: Any) -> None:
            pass

        def write_pdf(self, target: Any = None) -> bytes:
            # The PDF is rendered in memory (the web app serves it from there); a
            # renderer that writes half a file to a target it is given does so too.
            if target is not None:
                Path(target).write_bytes(b"%PDF half")
            raise RuntimeError("renderer crashed")

    monkeypatch.setattr(weasyprint, "HTML", Broken)
    with pytest.raises(RuntimeError):
        write_report(make_stats(), tmp_path / "rapport.html", pdf=old, generated_at=GENERATED)
    assert old.read_bytes() == b"%PDF old report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rapport.html", "rapport.pdf"]


def test_write_report_into_a_missing_folder_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        write_report(make_stats(), tmp_path / "nope" / "r.html", generated_at=GENERATED)
    assert "does not exist" in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_the_pdf_renderer_may_fetch_nothing() -> None:
    with pytest.raises(ValueError):
        report_module._refuse_fetch("https://example.org/font.woff")


# ------------------------------------------------------------------ through compute_statistics


def _case(
    case_id: str, year: int, perpetrators: list[dict[str, Any]], victims: list[dict[str, Any]]
) -> CodedCase:
    case, problems = validate_case(
        {
            "codebook_version": "1",
            "case": {"case_id": case_id, "year_start": year, "synthetic": True},
            "perpetrators": perpetrators,
            "victims": victims,
        },
        load_codebook(),
        source="test",
        location=case_id,
    )
    assert problems == []
    assert case is not None
    return case


def _victim(vid: str, contact: str, forced: str | None, **fields: Any) -> dict[str, Any]:
    victim: dict[str, Any] = {"vid": vid, "first_contact_date": contact, **fields}
    if forced is not None:
        victim["first_forced_date"] = forced
    return victim


def _cohort() -> list[CodedCase]:
    online = {"first_contact_channel": "online", "knew_perpetrator_before": False}
    offline = {"first_contact_channel": "offline", "knew_perpetrator_before": True}
    return [
        _case(
            "T-2017-1",
            2017,
            [
                {"pid": "P1", "age_at_start": 22, "has_debts": True, "has_diploma": False},
                {"pid": "P2", "age_at_start": 31, "has_debts": False, "has_diploma": None},
            ],
            [
                _victim("V1", "2017-03-01", "2017-03-21", age_at_start=16, **offline),
                _victim("V2", "2017-05-01", "2017-05-31", age_at_start=19, **offline),
                _victim(
                    "V3",
                    "2017-06-01",
                    "2017-06-15",
                    age_at_start=17,
                    **online,
                    living_situation="care_institution",
                ),
            ],
        ),
        _case(
            "T-2019-1",
            2019,
            [{"pid": "P1", "age_at_start": 25, "has_debts": True, "has_diploma": False}],
            [
                _victim(
                    "V1",
                    "2019-02-01",
                    "2019-02-03",
                    age_at_start=15,
                    **online,
                    living_situation="homeless",
                    contact_after_exploitation=True,
                ),
                _victim(
                    "V2",
                    "2019-06-01",
                    None,
                    followed_until_date="2019-07-01",
                    age_at_start=17,
                    **online,
                ),
                _victim("V3", "2019-08-01", "2019-08-06", age_at_start=16, **online),
            ],
        ),
        _case(
            "T-2021-1",
            2021,
            [{"pid": "P1", "age_at_start": 28, "has_debts": None}],
            [
                _victim(
                    "V1",
                    "2021-01-10",
                    "2021-01-11",
                    age_at_start=16,
                    **online,
                    living_situation="care_institution",
                    contact_after_exploitation=False,
                ),
                _victim("V2", "2021-03-01", "2021-03-03", age_at_start=20, **offline),
            ],
        ),
    ]


def _expected_percentage(row: dict[str, Any], lang: str) -> str:
    """The percentage text a reader expects for a row of the stats JSON."""

    def pct(value: float) -> str:
        text = f"{value * 100:.1f}"
        return text.replace(".", ",") if lang == "nl" else text

    if row["suppressed"]:
        return ("onderdrukt" if lang == "nl" else "suppressed") + " (< 3)"
    if row["proportion"] is None:
        return "n.v.t. (noemer 0)" if lang == "nl" else "n/a (denominator 0)"
    return f"{pct(row['proportion'])}% ({pct(row['ci_low'])}–{pct(row['ci_high'])})"


@pytest.mark.parametrize(("lang", "min_cell"), [("nl", 0), ("en", 0), ("nl", 3)])
def test_report_from_compute_statistics_shows_its_numbers(lang: str, min_cell: int) -> None:
    stats_module = pytest.importorskip("ketenbeeld.cases.stats")
    stats = stats_module.compute_statistics(_cohort(), min_cell=min_cell)
    data = stats.to_json()
    html = render_report_html(stats, lang=lang, generated_at=GENERATED)
    found = cells(html)
    assert embedded_json(html) == data
    assert len(data["rows"]) >= 10
    for row in data["rows"]:
        numerator = "—" if row["numerator"] is None else str(row["numerator"])
        assert found[(row["id"], "numerator")] == numerator
        assert found[(row["id"], "denominator")] == str(row["denominator"])
        assert found[(row["id"], "unknown")] == str(row["unknown"])
        assert found[(row["id"], "percentage")] == _expected_percentage(row, lang)
    if min_cell == 0:
        # counted by hand: debts known for 3 of 4 perpetrators, 2 of them with debts
        assert found[("perpetrators_with_debts", "percentage")] == (
            "66,7% (20,8–93,9)" if lang == "nl" else "66.7% (20.8–93.9)"
        )
        assert found[("perpetrators_with_debts", "unknown")] == "1"
    else:
        assert any(row["suppressed"] for row in data["rows"])
    recruitment = data["recruitment_days"]
    assert found[("recruitment-summary", "n")] == str(recruitment["n"]) == "8"
    assert found[("recruitment-summary", "censored")] == str(recruitment["censored"]) == "1"
    assert found[("recruitment-summary", "median")] == str(round(recruitment["median"]))
    trend = data["trend"]
    hazard_ratio = f"{trend['hazard_ratio_per_year']:.2f}"
    assert found[("trend-summary", "hazard_ratio")] == (
        hazard_ratio.replace(".", ",") if lang == "nl" else hazard_ratio
    )
    assert found[("trend-summary", "events")] == str(trend["events"]) == "7"
    for comparison in data["comparisons"]:
        (a_yes, a_no), (b_yes, b_no) = comparison["table"]
        for field, value in (("a_yes", a_yes), ("a_no", a_no), ("b_yes", b_yes), ("b_no", b_no)):
            shown = (
                ("onderdrukt" if lang == "nl" else "suppressed") if value is None else str(value)
            )
            assert found[(comparison["id"], field)] == shown
    provenance = ("provenance-table", "fingerprint")
    assert found[provenance] == data["fingerprint"] == stats.fingerprint
    assert found[("provenance-table", "n_victims")] == str(data["n_victims"]) == "8"
    assert found[("provenance-table", "n_perpetrators")] == str(data["n_perpetrators"]) == "4"
