"""Tests of the headline statistics, group comparisons, suppression and CSV output."""

from __future__ import annotations

import copy
import csv
import dataclasses
import io
from pathlib import Path
from typing import Any

import pytest
import yaml
from scipy.stats import fisher_exact
from statsmodels.stats.proportion import proportion_confint

import ketenbeeld.cases
from ketenbeeld.cases.codebook import load_codebook
from ketenbeeld.cases.model import CodedCase, cohort_fingerprint
from ketenbeeld.cases.stats import (
    COMPARISON_IDS,
    ROW_IDS,
    STATISTICS_VERSION,
    compute_statistics,
    load_statistics_texts,
    parse_statistics_texts,
    statistics_to_csv,
    wilson_interval,
)
from ketenbeeld.cases.validate import validate_case
from ketenbeeld.errors import ConfigError, InputError

STATISTICS_FILE = Path(ketenbeeld.cases.__file__).parent / "data" / "statistics-1.yaml"


def make_case(
    case_id: str,
    perpetrators: list[dict[str, Any]] | None = None,
    victims: list[dict[str, Any]] | None = None,
    **case_fields: Any,
) -> CodedCase:
    """A validated case; fails the test if validation finds any problem."""
    case, problems = validate_case(
        {
            "case": {"case_id": case_id, **case_fields},
            "perpetrators": perpetrators or [],
            "victims": victims or [],
        },
        load_codebook(),
        source="test",
        location="record 1",
    )
    assert problems == []
    assert case is not None
    return case


@pytest.fixture
def cohort() -> list[CodedCase]:
    """Two cases, five perpetrators and six victims, counted by hand in the tests."""
    case_a = make_case(
        "A-1",
        perpetrators=[
            {
                "pid": "P1",
                "age_at_start": 22,
                "has_diploma": False,
                "has_debts": True,
                "has_addiction": True,
                "known_to_police_before": True,
            },
            {
                "pid": "P2",
                "age_at_start": 31,
                "has_diploma": True,
                "has_debts": False,
                "known_to_police_before": True,
                "known_to_care_before": True,
            },
        ],
        victims=[
            {
                "vid": "V1",
                "age_at_start": 16,
                "living_situation": "care_institution",
                "knew_perpetrator_before": False,
                "first_contact_platform": "snapchat",
                "first_contact_date": "2019-03-03",
                "first_forced_date": "2019-03-08",
                "contact_after_exploitation": True,
            },
            {
                "vid": "V2",
                "age_at_start": 19,
                "living_situation": "with_parents",
                "knew_perpetrator_before": True,
                "first_contact_channel": "offline",
                "recruitment_days": 40,
                "contact_after_exploitation": False,
            },
            {
                "vid": "V3",
                "age_at_start": 17,
                "living_situation": "homeless",
                "knew_perpetrator_before": False,
            },
        ],
        year_start=2019,
    )
    case_b = make_case(
        "B-1",
        perpetrators=[
            {
                "pid": "P1",
                "age_at_start": 19,
                "has_debts": True,
                "has_addiction": False,
                "known_to_care_before": True,
            },
            {
                "pid": "P2",
                "has_diploma": False,
                "has_debts": True,
                "has_addiction": True,
                "known_to_police_before": False,
                "known_to_care_before": False,
            },
            {"pid": "P3", "age_at_start": 45},
        ],
        victims=[
            {
                "vid": "V1",
                "knew_perpetrator_before": False,
                "first_contact_channel": "online",
                "recruitment_days": 7,
                "contact_after_exploitation": True,
            },
            {
                "vid": "V2",
                "age_at_start": 15,
                "living_situation": "independent",
                "first_contact_channel": "online",
                "recruitment_days": 30,
                "contact_after_exploitation": False,
            },
            {
                "vid": "V3",
                "age_at_start": 21,
                "living_situation": "care_institution",
                "knew_perpetrator_before": False,
                "first_contact_channel": "offline",
                "recruitment_days": 3,
            },
        ],
        year_start=2020,
    )
    return [case_a, case_b]


# (numerator, denominator, unknown) per row, counted by hand from the fixture.
EXPECTED_COUNTS = {
    "perpetrators_aged_18_29": (2, 4, 1),  # 22, 19 of 22, 31, 19, 45; one age unknown
    "perpetrators_without_diploma": (2, 3, 2),
    "perpetrators_with_debts": (3, 4, 1),
    "perpetrators_with_addiction": (2, 3, 2),
    "perpetrators_known_to_police": (2, 3, 2),
    "perpetrators_known_to_care": (2, 3, 2),
    "victims_minor": (3, 5, 1),  # 16, 17, 15 of 16, 19, 17, 15, 21
    "victims_in_care_or_homeless": (3, 5, 1),
    "victims_first_contact_online": (3, 5, 1),  # A-1 V1 online through its platform
    "victims_unknown_to_perpetrator": (4, 5, 1),
    "victims_unknown_met_online": (2, 3, 1),  # only the 4 who did not know the perpetrator
    "victims_forced_within_7_days": (3, 5, 1),  # 5 (from dates), 7, 3 of 5, 40, 7, 30, 3
    "victims_forced_within_30_days": (4, 5, 1),
    "victims_contact_after": (2, 4, 2),
}


def test_row_ids_in_order_with_labels_and_definitions(cohort: list[CodedCase]) -> None:
    stats = compute_statistics(cohort)
    assert [row.id for row in stats.rows] == list(EXPECTED_COUNTS)
    assert list(ROW_IDS) == list(EXPECTED_COUNTS)
    for row in stats.rows:
        assert row.label["nl"] and row.label["en"] and row.label["nl"] != row.label["en"]
        assert row.definition["nl"] and row.definition["en"]
        assert row.population == row.id.split("_")[0]


@pytest.mark.parametrize(("row_id", "expected"), list(EXPECTED_COUNTS.items()))
def test_row_counts_by_hand(
    cohort: list[CodedCase], row_id: str, expected: tuple[int, int, int]
) -> None:
    row = compute_statistics(cohort).row(row_id)
    numerator, denominator, _unknown = expected
    assert (row.numerator, row.denominator, row.unknown) == expected
    assert row.proportion == pytest.approx(numerator / denominator)
    assert (row.ci_low, row.ci_high) == wilson_interval(numerator, denominator)
    assert row.suppressed is False


def test_debts_row_values_a_user_checks(cohort: list[CodedCase]) -> None:
    row = compute_statistics(cohort).row("perpetrators_with_debts")
    assert (row.numerator, row.denominator, row.unknown, row.proportion) == (3, 4, 1, 0.75)
    low, high = proportion_confint(3, 4, alpha=0.05, method="wilson")
    assert (row.ci_low, row.ci_high) == (low, high)
    assert row.ci_low == pytest.approx(0.3006, abs=1e-4)
    assert row.ci_high == pytest.approx(0.9544, abs=1e-4)


def test_counts_and_identity(cohort: list[CodedCase]) -> None:
    stats = compute_statistics(cohort)
    assert (stats.n_cases, stats.n_perpetrators, stats.n_victims) == (2, 5, 6)
    assert stats.codebook_version == "1"
    assert stats.statistics_version == STATISTICS_VERSION == "1"
    assert stats.to_json()["statistics_version"] == "1"
    assert stats.min_cell == 0
    assert stats.fingerprint == cohort_fingerprint(cohort)
    assert stats.fingerprint == compute_statistics(list(reversed(cohort))).fingerprint


def test_recruitment_is_part_of_the_statistics(cohort: list[CodedCase]) -> None:
    stats = compute_statistics(cohort)
    # Periods 5, 40, 7, 30, 3 (all events); V3 of A-1 has nothing and is excluded.
    assert (stats.recruitment.n, stats.recruitment.events, stats.recruitment.excluded) == (
        5,
        5,
        1,
    )
    assert stats.recruitment.median == 7.0
    # Years fall back to year_start: 2019 has 5 and 40 days, 2020 has 7, 30 and 3.
    assert [(y.year, y.n, y.events, y.median) for y in stats.trend.per_year] == [
        (2019, 2, 2, 5.0),
        (2020, 3, 3, 7.0),
    ]
    assert (stats.trend.n, stats.trend.events) == (5, 5)
    # With min_cell 3 the median of the two 2019 victims is withheld.
    small_cells = compute_statistics(cohort, min_cell=3)
    withheld = small_cells.trend.per_year
    assert [y.median for y in withheld] == [None, 7.0]
    assert [y.suppressed for y in withheld] == [True, False]
    # ... and the curve stops where fewer than 3 are at risk: at risk 5 on days 0 and 3,
    # 4 on day 5, 3 on day 7, 2 on day 30. The median of all five stays.
    assert [p.days for p in small_cells.recruitment.curve] == [0.0, 3.0, 5.0, 7.0]
    assert small_cells.recruitment.curve_truncated_at == 7.0
    assert small_cells.recruitment.median == 7.0
    assert stats.recruitment.curve_truncated_at is None
    assert [p.days for p in stats.recruitment.curve] == [0.0, 3.0, 5.0, 7.0, 30.0, 40.0]


# Tables ((a_yes, a_no), (b_yes, b_no)) counted by hand from the fixture.
EXPECTED_TABLES = {
    "compare_channel": ((2, 1), (1, 1)),
    "compare_living_situation": ((2, 0), (0, 2)),
    "compare_minor": ((1, 1), (1, 1)),
    "compare_channel_contact_after": ((2, 1), (0, 1)),
}


def test_comparison_tables_by_hand(cohort: list[CodedCase]) -> None:
    comparisons = compute_statistics(cohort).comparisons
    assert [c.id for c in comparisons] == list(EXPECTED_TABLES) == list(COMPARISON_IDS)
    for comparison in comparisons:
        assert comparison.table == EXPECTED_TABLES[comparison.id]
        assert comparison.group_a["nl"] and comparison.group_b["en"]
        assert comparison.outcome["en"] and comparison.label["nl"]
    by_id = {c.id: c for c in comparisons}
    # ((2, 0), (0, 2)): p = 2 * 1/C(4,2) = 1/3 by hand; the odds ratio is infinite.
    assert by_id["compare_living_situation"].p_value == pytest.approx(1 / 3)
    assert by_id["compare_living_situation"].odds_ratio is None
    assert by_id["compare_minor"].odds_ratio == 1.0
    assert by_id["compare_minor"].p_value == 1.0


def _victims_for_table(a_yes: int, a_no: int, b_yes: int, b_no: int) -> list[dict[str, Any]]:
    victims: list[dict[str, Any]] = []
    for count, channel, days in (
        (a_yes, "online", 2),
        (a_no, "online", 20),
        (b_yes, "offline", 7),
        (b_no, "offline", 8),
    ):
        for _ in range(count):
            victims.append(
                {
                    "vid": f"V{len(victims)}",
                    "first_contact_channel": channel,
                    "recruitment_days": days,
                }
            )
    # Not in the table: channel or period unknown.
    victims.append({"vid": "X1", "first_contact_channel": "online"})
    victims.append({"vid": "X2", "recruitment_days": 1})
    return victims


def test_fisher_equals_scipy_on_hand_made_table() -> None:
    stats = compute_statistics([make_case("F-1", victims=_victims_for_table(7, 2, 1, 6))])
    comparison = {c.id: c for c in stats.comparisons}["compare_channel"]
    assert comparison.table == ((7, 2), (1, 6))
    expected = fisher_exact([[7, 2], [1, 6]], alternative="two-sided")
    assert comparison.odds_ratio == pytest.approx(21.0)  # (7 * 6) / (2 * 1)
    assert comparison.odds_ratio == expected.statistic
    assert comparison.p_value == expected.pvalue
    assert comparison.p_value is not None and comparison.p_value < 0.05


def test_comparison_with_an_empty_group_has_no_test() -> None:
    stats = compute_statistics([make_case("F-2", victims=_victims_for_table(3, 2, 0, 0))])
    comparison = {c.id: c for c in stats.comparisons}["compare_channel"]
    assert comparison.table == ((3, 2), (0, 0))
    assert (comparison.odds_ratio, comparison.p_value) == (None, None)


@pytest.mark.parametrize(
    ("k", "n"), [(0, 1), (1, 1), (0, 10), (10, 10), (3, 4), (1, 2), (7, 25), (18, 25), (500, 997)]
)
def test_wilson_equals_statsmodels(k: int, n: int) -> None:
    low, high = proportion_confint(k, n, alpha=0.05, method="wilson")
    assert wilson_interval(k, n) == (low, high)
    assert 0.0 <= wilson_interval(k, n)[0] <= k / n <= wilson_interval(k, n)[1] <= 1.0


@pytest.mark.parametrize(("k", "n"), [(0, 0), (3, 2), (-1, 4)])
def test_wilson_rejects_impossible_counts(k: int, n: int) -> None:
    with pytest.raises(ValueError, match="n >= 1"):
        wilson_interval(k, n)


def test_empty_cohort() -> None:
    stats = compute_statistics([])
    assert (stats.n_cases, stats.n_perpetrators, stats.n_victims) == (0, 0, 0)
    assert stats.codebook_version == "1"
    assert stats.fingerprint == cohort_fingerprint([])
    for row in stats.rows:
        assert (row.numerator, row.denominator, row.unknown) == (0, 0, 0)
        assert (row.proportion, row.ci_low, row.ci_high, row.suppressed) == (
            None,
            None,
            None,
            False,
        )
    for comparison in stats.comparisons:
        assert comparison.table == ((0, 0), (0, 0))
        assert (comparison.odds_ratio, comparison.p_value) == (None, None)
    assert stats.recruitment.n == 0 and stats.recruitment.median is None
    assert stats.trend.note is not None
    assert stats.to_json()["n_cases"] == 0


def test_all_unknown_goes_to_unknown_with_zero_denominator() -> None:
    case = make_case(
        "U-1",
        perpetrators=[{"pid": "P1"}, {"pid": "P2"}],
        victims=[{"vid": "V1"}, {"vid": "V2"}, {"vid": "V3"}],
    )
    stats = compute_statistics([case])
    assert (stats.n_perpetrators, stats.n_victims) == (2, 3)
    debts = stats.row("perpetrators_with_debts")
    assert (debts.numerator, debts.denominator, debts.unknown, debts.proportion) == (0, 0, 2, None)
    assert (debts.ci_low, debts.ci_high) == (None, None)
    minor = stats.row("victims_minor")
    assert (minor.numerator, minor.denominator, minor.unknown) == (0, 0, 3)
    # Nobody is known not to have known the perpetrator: nobody is in this row at all.
    met_online = stats.row("victims_unknown_met_online")
    assert (met_online.denominator, met_online.unknown) == (0, 0)
    assert stats.row("victims_forced_within_7_days").unknown == 3


def test_single_case_single_persons() -> None:
    case = make_case(
        "S-1",
        perpetrators=[{"pid": "P1", "age_at_start": 29, "has_diploma": True}],
        victims=[
            {
                "vid": "V1",
                "age_at_start": 18,
                "recruitment_days": 8,
                "knew_perpetrator_before": False,
                "first_contact_platform": "via_friend",
            }
        ],
    )
    stats = compute_statistics([case])
    aged = stats.row("perpetrators_aged_18_29")
    assert (aged.numerator, aged.denominator, aged.proportion) == (1, 1, 1.0)
    no_diploma = stats.row("perpetrators_without_diploma")
    assert (no_diploma.numerator, no_diploma.denominator, no_diploma.proportion) == (0, 1, 0.0)
    assert stats.row("victims_minor").numerator == 0  # 18 is not a minor
    assert stats.row("victims_forced_within_7_days").numerator == 0  # 8 days
    assert stats.row("victims_forced_within_30_days").numerator == 1
    met_online = stats.row("victims_unknown_met_online")
    assert (met_online.numerator, met_online.denominator) == (0, 1)  # via_friend is offline


def test_age_bounds_are_inclusive() -> None:
    ages = (17, 18, 29, 30)
    case = make_case("AGE-1", perpetrators=[{"pid": f"P{a}", "age_at_start": a} for a in ages])
    row = compute_statistics([case]).row("perpetrators_aged_18_29")
    assert (row.numerator, row.denominator, row.proportion) == (2, 4, 0.5)


@pytest.fixture
def suppression_case() -> CodedCase:
    """Six victims: contact after 3/6, online 5/6, knew before 6/6, minor 2/6."""
    victims = []
    for index in range(6):
        victims.append(
            {
                "vid": f"V{index}",
                "age_at_start": 16 if index < 2 else 20,
                "knew_perpetrator_before": True,
                "first_contact_channel": "online" if index < 5 else "offline",
                "contact_after_exploitation": index % 2 == 0,
            }
        )
    victims.append({"vid": "X"})  # all unknown
    return make_case("SUP-1", victims=victims)


def test_suppression_of_small_numerator_and_small_complement(
    suppression_case: CodedCase,
) -> None:
    stats = compute_statistics([suppression_case], min_cell=3)
    assert stats.min_cell == 3
    # 2 of 6 minors: the numerator is a small cell.
    minor = stats.row("victims_minor")
    assert minor.suppressed is True
    assert (minor.numerator, minor.proportion, minor.ci_low, minor.ci_high) == (
        None,
        None,
        None,
        None,
    )
    assert (minor.denominator, minor.unknown) == (6, 1)
    # 5 of 6 online: the complement (1 offline) would follow from 6 - 5.
    online = stats.row("victims_first_contact_online")
    assert online.suppressed is True
    assert (online.numerator, online.proportion, online.denominator) == (None, None, 6)
    # 3 of 6: neither 3 nor 3 is below 3.
    contact = stats.row("victims_contact_after")
    assert contact.suppressed is False
    assert (contact.numerator, contact.denominator, contact.proportion) == (3, 6, 0.5)
    # 0 of 6: a zero is not a small cell and its complement is 6.
    unknown_to = stats.row("victims_unknown_to_perpetrator")
    assert unknown_to.suppressed is False
    assert (unknown_to.numerator, unknown_to.denominator) == (0, 6)


def test_suppression_threshold_edges(suppression_case: CodedCase) -> None:
    # min_cell 2 withholds only cells of exactly 1: the single offline victim.
    stats = compute_statistics([suppression_case], min_cell=2)
    assert stats.row("victims_first_contact_online").suppressed is True
    assert stats.row("victims_minor").suppressed is False
    assert stats.row("victims_minor").numerator == 2
    # min_cell 0 and 1 withhold nothing.
    for min_cell in (0, 1):
        stats = compute_statistics([suppression_case], min_cell=min_cell)
        assert not any(row.suppressed for row in stats.rows)
        assert stats.row("victims_first_contact_online").numerator == 5


def test_comparison_suppression() -> None:
    case = make_case("SUP-2", victims=_victims_for_table(7, 2, 3, 6))
    comparison = {c.id: c for c in compute_statistics([case], min_cell=3).comparisons}[
        "compare_channel"
    ]
    assert comparison.suppressed is True
    assert comparison.table == ((None, None), (None, None))
    assert (comparison.odds_ratio, comparison.p_value) == (None, None)
    shown = {c.id: c for c in compute_statistics([case], min_cell=2).comparisons}["compare_channel"]
    assert shown.suppressed is False
    assert shown.table == ((7, 2), (3, 6))


def test_negative_min_cell_is_refused() -> None:
    with pytest.raises(InputError, match="min_cell"):
        compute_statistics([], min_cell=-1)


def test_mixed_codebook_versions_are_refused(cohort: list[CodedCase]) -> None:
    other = dataclasses.replace(cohort[1], codebook_version="2")
    with pytest.raises(InputError, match="different codebook versions"):
        compute_statistics([cohort[0], other])


def test_csv_rows(cohort: list[CodedCase]) -> None:
    stats = compute_statistics(cohort)
    text = statistics_to_csv(stats, lang="en")
    lines = text.splitlines()
    assert lines[0] == "id,label,numerator,denominator,unknown,proportion,ci_low,ci_high,suppressed"
    assert len(lines) == 1 + len(EXPECTED_COUNTS)
    low, high = wilson_interval(3, 4)
    assert (
        f"perpetrators_with_debts,Perpetrators with debts,3,4,1,0.75,{low!r},{high!r},false"
        in lines
    )
    records = list(csv.DictReader(io.StringIO(statistics_to_csv(stats))))
    assert records[0]["id"] == "perpetrators_aged_18_29"
    assert records[0]["label"] == "Daders van 18 tot en met 29 jaar"
    assert float(records[0]["proportion"]) == 0.5


def test_csv_suppressed_row_has_empty_fields(suppression_case: CodedCase) -> None:
    stats = compute_statistics([suppression_case], min_cell=3)
    records = {r["id"]: r for r in csv.DictReader(io.StringIO(statistics_to_csv(stats)))}
    minor = records["victims_minor"]
    assert (minor["numerator"], minor["denominator"], minor["unknown"]) == ("", "6", "1")
    assert (minor["proportion"], minor["ci_low"], minor["ci_high"]) == ("", "", "")
    assert minor["suppressed"] == "true"


def test_csv_rejects_unknown_language() -> None:
    with pytest.raises(ValueError, match="nl or en"):
        statistics_to_csv(compute_statistics([]), lang="de")


def test_wilson_equals_statsmodels_for_every_count_up_to_60() -> None:
    for n in range(1, 61):
        for k in range(n + 1):
            low, high = proportion_confint(k, n, alpha=0.05, method="wilson")
            assert wilson_interval(k, n) == (low, high), (k, n)


# ------------------------------------------------------------- statistics definitions file


def test_builtin_definitions_cover_exactly_the_row_and_comparison_ids() -> None:
    raw = yaml.safe_load(STATISTICS_FILE.read_text("utf-8"))
    assert raw["version"] == STATISTICS_VERSION
    assert sorted(raw["rows"]) == sorted(ROW_IDS)
    assert sorted(raw["comparisons"]) == sorted(COMPARISON_IDS)
    texts = load_statistics_texts()
    assert texts.version == "1"
    assert list(texts.entries["rows"]) == list(ROW_IDS)
    assert list(texts.entries["comparisons"]) == list(COMPARISON_IDS)
    assert texts.pair("rows", "perpetrators_with_debts", "label") == {
        "nl": "Daders met schulden",
        "en": "Perpetrators with debts",
    }
    # the results carry the file's words
    stats = compute_statistics([])
    assert stats.row("victims_minor").definition == texts.pair(
        "rows", "victims_minor", "definition"
    )
    assert stats.comparisons[0].group_a == {
        "nl": "Eerste contact online",
        "en": "First contact online",
    }


def test_a_broken_definitions_file_lists_every_problem_at_once() -> None:
    raw = yaml.safe_load(STATISTICS_FILE.read_text("utf-8"))
    raw["version"] = 1  # wrong type
    raw["rows"]["victims_over_60"] = copy.deepcopy(raw["rows"]["victims_minor"])  # unknown id
    del raw["rows"]["victims_minor"]  # missing id
    del raw["rows"]["perpetrators_with_debts"]["label"]["en"]  # missing language
    raw["rows"]["perpetrators_with_debts"]["definition"]["nl"] = "  "  # empty text
    raw["comparisons"]["compare_minor"]["outcome"] = "Binnen 7 dagen"  # wrong type
    del raw["comparisons"]["compare_channel"]["group_b"]  # missing field
    text = yaml.safe_dump(raw, allow_unicode=True, sort_keys=False)
    # the same row twice: a YAML parser would silently keep the last one
    text = text.replace("rows:\n", "rows:\n  victims_contact_after: {}\n", 1)
    second = text.splitlines().index("  victims_contact_after:") + 1
    with pytest.raises(ConfigError) as info:
        parse_statistics_texts(text, "broken.yaml")
    assert str(info.value) == (
        "the statistics definitions have 8 problem(s):\n"
        f"  - broken.yaml, line {second}, field victims_contact_after: is given twice\n"
        '  - broken.yaml, field version: must be "1"\n'
        "  - broken.yaml, rows, field victims_over_60: is not an id this Ketenbeeld uses\n"
        "  - broken.yaml, rows perpetrators_with_debts, field label.en: needs a non-empty text\n"
        "  - broken.yaml, rows perpetrators_with_debts, field definition.nl: "
        "needs a non-empty text\n"
        "  - broken.yaml, rows, field victims_minor: is missing\n"
        "  - broken.yaml, comparisons compare_channel, field group_b: "
        "is missing: it needs an nl and an en text\n"
        "  - broken.yaml, comparisons compare_minor, field outcome: "
        "must be a mapping: it needs an nl and an en text"
    )
    assert info.value.hint == "restore broken.yaml from the Ketenbeeld release"


def test_definitions_that_are_not_yaml_or_not_a_mapping_are_refused() -> None:
    with pytest.raises(ConfigError) as info:
        parse_statistics_texts('version: "1"\nrows: a: b\n', "broken.yaml")
    assert str(info.value) == "broken.yaml line 2: not valid YAML"
    with pytest.raises(ConfigError) as info:
        parse_statistics_texts("- a list\n", "list.yaml")
    assert str(info.value) == (
        "list.yaml: the statistics definitions must be a mapping with a version and sections"
    )
    with pytest.raises(ConfigError) as info:
        parse_statistics_texts('version: "1"\nrows: []\n', "empty.yaml")
    assert str(info.value).splitlines()[1:] == [
        "  - empty.yaml, field rows: must be a mapping of entries",
        "  - empty.yaml, field comparisons: must be a mapping of entries",
    ]
