"""Tests of the report's plots: embeddable, accessible, reproducible SVG."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

import ketenbeeld.cases
from ketenbeeld.cases.plots import (
    check_lang,
    format_decimal,
    format_p,
    proportions_svg,
    recruitment_curve_svg,
    trend_svg,
)
from ketenbeeld.cases.results import (
    CurvePoint,
    ProportionRow,
    RecruitmentSummary,
    TrendResult,
    YearSummary,
)
from ketenbeeld.cases.survival import TREND_NOTE_CODES
from ketenbeeld.cases.texts import REPORT_TEXT_VERSION, load_report_text, parse_report_text
from ketenbeeld.errors import ConfigError, InputError

REPORT_TEXT_FILE = Path(ketenbeeld.cases.__file__).parent / "data" / "report-text-1.yaml"
TEMPLATE = Path(ketenbeeld.cases.__file__).parent / "templates" / "report.html"

SVG = "{http://www.w3.org/2000/svg}"


def label(nl: str, en: str) -> dict[str, str]:
    return {"nl": nl, "en": en}


ROWS = (
    ProportionRow(
        "perpetrators_aged_18_29",
        label("Daders van 18 tot en met 29 jaar", "Perpetrators aged 18-29"),
        "perpetrators",
        18,
        25,
        0,
        0.72,
        0.524,
        0.857,
    ),
    ProportionRow(
        "perpetrators_known_to_police",
        label("Daders eerder bekend bij politie", "Perpetrators known to police"),
        "perpetrators",
        None,
        25,
        0,
        None,
        None,
        None,
        suppressed=True,
    ),
    ProportionRow(
        "victims_minor",
        label("Minderjarige slachtoffers", "Minor victims"),
        "victims",
        0,
        0,
        3,
        None,
        None,
        None,
    ),
)


def curve(last_day: float) -> tuple[CurvePoint, ...]:
    steps = [(0, 1.0), (2, 0.8), (5, 0.6), (7, 0.45), (30, 0.3), (last_day, 0.3)]
    return tuple(CurvePoint(d, s, max(0.0, s - 0.15), min(1.0, s + 0.1)) for d, s in steps)


RECRUITMENT = RecruitmentSummary(7.0, 5.0, 12.0, 20, 4, 16, 1, curve(400))

TREND = TrendResult(
    "cox_ph_year",
    1.234,
    0.981,
    1.552,
    0.0712,
    20,
    16,
    (
        YearSummary(2017, 6, 5, 20.0),
        YearSummary(2018, 8, 7, 6.5),
        YearSummary(2019, 3, 2, None, suppressed=True),  # fewer than min_cell 5: withheld
        YearSummary(2020, 6, 2, None),  # curve never reaches one half
    ),
)

EMPTY_RECRUITMENT = RecruitmentSummary(None, None, None, 0, 0, 0, 0)
EMPTY_TREND = TrendResult("cox_ph_year", None, None, None, None, 0, 0, note="no data")


def parse(svg: str) -> ET.Element:
    """The SVG as XML; fails the test if it is not well-formed."""
    return ET.fromstring(svg)


def texts(svg: str) -> str:
    """All visible text of the SVG (the <text> elements), joined by newlines."""
    root = parse(svg)
    return "\n".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))


def all_plots(lang: str = "nl") -> list[str]:
    return [
        proportions_svg(ROWS, lang=lang, min_cell=5),
        recruitment_curve_svg(RECRUITMENT, lang=lang),
        trend_svg(TREND, lang=lang, min_cell=5),
    ]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_plot_is_an_embeddable_accessible_svg_element(lang: str) -> None:
    for svg in all_plots(lang):
        assert svg.startswith("<svg ")
        assert "<?xml" not in svg and "<!DOCTYPE" not in svg and "<metadata>" not in svg
        root = parse(svg)
        assert root.tag == f"{SVG}svg"
        assert root.get("role") == "img"
        title = root.find(f"{SVG}title")
        assert title is not None and title.text
        assert root.get("aria-label") == title.text
        assert root.find(f"{SVG}desc") is not None


def test_the_same_input_gives_byte_identical_svg() -> None:
    assert all_plots("nl") == all_plots("nl")
    assert proportions_svg((), lang="en") == proportions_svg((), lang="en")


def test_plots_have_no_external_references() -> None:
    for svg in all_plots():
        assert not re.search(r'(?:href|src)="(?!#)', svg)
        assert "url(http" not in svg


def test_element_ids_are_prefixed_unique_across_plots_and_resolve() -> None:
    seen: set[str] = set()
    for svg, prefix in zip(
        all_plots(), ["kb-proportions", "kb-recruitment", "kb-trend"], strict=True
    ):
        ids = re.findall(r'\bid="([^"]+)"', svg)
        assert ids and all(i.startswith(prefix + "-") for i in ids)
        assert len(ids) == len(set(ids))
        assert not seen & set(ids)
        seen |= set(ids)
        references = re.findall(r'href="#([^"]+)"|url\(#([^)]+)\)', svg)
        for ref in (a or b for a, b in references):
            assert ref in ids


def test_headline_plot_names_rows_and_marks_suppressed_and_empty_rows() -> None:
    nl = texts(proportions_svg(ROWS, lang="nl", min_cell=5))
    assert "Daders van 18 tot en met 29 jaar (n\u00a0=\u00a025)" in nl
    assert "onderdrukt (< 5)" in nl
    assert "geen gegevens (noemer 0)" in nl
    # the legend lists only populations with a drawn point
    assert "Daders" in nl.split("\n") and "Slachtoffers" not in nl.split("\n")
    en = texts(proportions_svg(ROWS, lang="en", min_cell=5))
    assert "suppressed (< 5)" in en
    assert "Perpetrators aged 18-29 (n\u00a0=\u00a025)" in en


def test_recruitment_curve_marks_the_median_with_its_interval() -> None:
    nl = texts(recruitment_curve_svg(RECRUITMENT, lang="nl"))
    assert "mediaan 7 dagen (95%-BI 5–12)" in nl
    assert "Dagen sinds eerste contact" in nl
    en = texts(recruitment_curve_svg(RECRUITMENT, lang="en"))
    assert "median 7 days (95% CI 5–12)" in en


def test_recruitment_curve_says_when_the_axis_is_cut() -> None:
    long = texts(recruitment_curve_svg(RECRUITMENT, lang="nl", max_days=180))
    assert "x-as afgekapt bij 180 dagen (laatste punt: 400 dagen)" in long
    short_summary = RecruitmentSummary(7.0, None, None, 20, 4, 16, 0, curve(60))
    short = texts(recruitment_curve_svg(short_summary, lang="nl"))
    assert "afgekapt" not in short
    assert "mediaan 7 dagen" in short and "95%-BI" not in short


def test_recruitment_curve_without_a_median_says_so() -> None:
    summary = RecruitmentSummary(None, None, None, 5, 5, 0, 0, curve(60))
    assert "median not reached" in texts(recruitment_curve_svg(summary, lang="en"))


def test_trend_plot_shows_hazard_ratio_and_marks_suppressed_years() -> None:
    nl = texts(trend_svg(TREND, lang="nl", min_cell=5))
    assert "hazard ratio per jaar 1,23 (95%-BI 0,98–1,55), p = 0,071" in nl
    assert "onderdrukt (< 5)" in nl  # 2019: 3 victims
    assert "mediaan niet bereikt" in nl  # 2020
    assert "n = 6" in nl and "n = 8" in nl
    assert "n = 3" not in nl  # the withheld year is not drawn as a point
    en = texts(trend_svg(TREND, lang="en", min_cell=5))
    assert "hazard ratio per year 1.23 (95% CI 0.98–1.55), p = 0.071" in en


def test_trend_plot_without_an_estimate_says_so() -> None:
    trend = TrendResult("cox_ph_year", None, None, None, None, 4, 1, TREND.per_year, "few")
    assert "Trend (Cox) niet te schatten" in texts(trend_svg(trend, lang="nl"))


@pytest.mark.parametrize("lang, message", [("nl", "Geen gegevens"), ("en", "No data")])
def test_empty_data_gives_a_valid_svg_with_a_no_data_message(lang: str, message: str) -> None:
    plots = [
        proportions_svg((), lang=lang),
        recruitment_curve_svg(EMPTY_RECRUITMENT, lang=lang),
        trend_svg(EMPTY_TREND, lang=lang),
        # a summary with n but no curve points, and years that all have n = 0
        recruitment_curve_svg(RecruitmentSummary(None, None, None, 3, 3, 0, 0), lang=lang),
        trend_svg(
            TrendResult(
                "cox_ph_year", None, None, None, None, 0, 0, (YearSummary(2019, 0, 0, None),)
            ),
            lang=lang,
        ),
    ]
    for svg in plots:
        assert message in texts(svg)


def test_number_formats_use_a_decimal_comma_in_dutch() -> None:
    assert format_decimal(72.04, 1, "nl") == "72,0"
    assert format_decimal(72.04, 1, "en") == "72.0"
    assert format_decimal(-0.01, 1, "en") == "0.0"
    assert format_decimal(float("inf"), 2, "nl") == "∞"
    assert format_p(0.0712, "nl") == "p = 0,071"
    assert format_p(0.0004, "en") == "p < 0.001"


def test_unsupported_language_is_refused() -> None:
    assert check_lang("en") == "en"
    with pytest.raises(InputError) as info:
        proportions_svg(ROWS, lang="de")
    assert "nl, en" in (info.value.hint or "")


def test_the_suppressed_flag_not_the_count_decides_what_a_year_shows() -> None:
    years = (
        YearSummary(2017, 6, 5, 20.0),
        YearSummary(2018, 2, 1, None),  # few victims but not suppressed: not reached
        YearSummary(2019, 7, 2, None, suppressed=True),
    )
    trend = TrendResult("cox_ph_year", None, None, None, None, 15, 8, years)
    nl = texts(trend_svg(trend, lang="nl", min_cell=5))
    assert nl.count("onderdrukt (< 5)") == 1  # 2019 only
    assert "mediaan niet bereikt" in nl  # 2018
    assert "n = 2" in nl and "n = 7" not in nl


# ------------------------------------------------------------------ the report texts file


def test_builtin_report_texts_are_complete_in_both_languages() -> None:
    texts = load_report_text()
    assert texts.version == REPORT_TEXT_VERSION == "1"
    assert list(texts.entries["trend_notes"]) == list(TREND_NOTE_CODES)
    raw = yaml.safe_load(REPORT_TEXT_FILE.read_text("utf-8"))
    assert sorted(raw) == ["plots", "report", "trend_notes", "version"]
    for section in ("report", "plots", "trend_notes"):
        assert sorted(raw[section]) == sorted(texts.entries[section])
        nl, en = texts.language(section, "nl"), texts.language(section, "en")
        assert nl.keys() == en.keys() and all(nl.values()) and all(en.values())
    # every text the template uses is in the file
    used = set(re.findall(r"\bt\.([a-z0-9_]+)", TEMPLATE.read_text("utf-8")))
    assert used and used <= set(texts.entries["report"])
    assert texts.language("plots", "nl")["no_data"] == "Geen gegevens"


def test_a_broken_report_texts_file_lists_every_problem_at_once() -> None:
    raw = yaml.safe_load(REPORT_TEXT_FILE.read_text("utf-8"))
    del raw["report"]["title"]
    raw["report"]["subtitle"]["nl"] = 7
    raw["report"]["cases_n"]["nl"] = "{aantal} zaken"  # en says {n}
    raw["plots"]["median"]["en"] = "median {days days"
    raw["plots"]["legend"] = {"nl": "Legenda", "en": "Legend"}
    del raw["trend_notes"]
    text = yaml.safe_dump(raw, allow_unicode=True, sort_keys=False)
    with pytest.raises(ConfigError) as info:
        parse_report_text(text, "report-text-x.yaml")
    assert str(info.value) == (
        "the report texts have 6 problem(s):\n"
        "  - report-text-x.yaml, report, field title: is missing\n"
        "  - report-text-x.yaml, report subtitle, field nl: needs a non-empty text\n"
        "  - report-text-x.yaml, report cases_n: nl and en use different {placeholders}\n"
        "  - report-text-x.yaml, plots, field legend: is not an id this Ketenbeeld uses\n"
        "  - report-text-x.yaml, plots median, field en: has a { or } that is no placeholder\n"
        "  - report-text-x.yaml, field trend_notes: must be a mapping of entries"
    )
