"""Tests of the recruitment period: durations, Kaplan-Meier summary and Cox trend."""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from typing import Any

import lifelines
import pytest
from lifelines import KaplanMeierFitter
from lifelines.exceptions import ConvergenceError
from lifelines.utils import median_survival_times

from ketenbeeld.cases.codebook import load_codebook
from ketenbeeld.cases.model import CodedCase
from ketenbeeld.cases.results import TrendResult
from ketenbeeld.cases.survival import (
    MIN_TREND_EVENTS,
    TREND_NOTE_CODES,
    Duration,
    RecruitmentDurations,
    recruitment_durations,
    recruitment_summary,
    recruitment_trend,
)
from ketenbeeld.cases.texts import load_report_text
from ketenbeeld.cases.validate import validate_case


def make_case(case_id: str, victims: list[dict[str, Any]], **case_fields: Any) -> CodedCase:
    """A validated case with the given victims; fails the test if it has problems."""
    case, problems = validate_case(
        {"case": {"case_id": case_id, **case_fields}, "victims": victims},
        load_codebook(),
        source="test",
        location="record 1",
    )
    assert problems == []
    assert case is not None
    return case


def censored(vid: str, start: str, days: int, **fields: Any) -> dict[str, Any]:
    """A victim followed for ``days`` from the exact date ``start`` without being forced."""
    until = date.fromisoformat(start) + timedelta(days=days)
    return {
        "vid": vid,
        "first_contact_date": start,
        "followed_until_date": until.isoformat(),
        **fields,
    }


def assert_note(trend: TrendResult, code: str) -> None:
    """The trend has note code ``code``, and its English note is that code's report text."""
    assert trend.note_code == code
    assert code in TREND_NOTE_CODES
    english = load_report_text().language("trend_notes", "en")[code]
    assert trend.note == english.format(events=trend.events, min_events=MIN_TREND_EVENTS)


# Events at 2, 3, 5, 8, 13 days; censored at 4 and 10 days. By hand (Kaplan-Meier):
#   t=2:  7 at risk, 1 event -> S = 6/7
#   t=3:  6 at risk, 1 event -> S = 6/7 * 5/6 = 5/7   (0.714)
#   t=4:  censored, 5 left
#   t=5:  4 at risk, 1 event -> S = 5/7 * 3/4 = 15/28 (0.536)
#   t=8:  3 at risk, 1 event -> S = 15/28 * 2/3 = 5/14 (0.357)  <= 0.5: median = 8
#   t=10: censored, 1 left
#   t=13: 1 at risk, 1 event -> S = 0
EVENT_DAYS = (2, 3, 5, 8, 13)
CENSOR_DAYS = (4, 10)


@pytest.fixture
def km_cases() -> list[CodedCase]:
    first = make_case(
        "KM-1",
        [
            # 2 days, derived by validation from two exact dates.
            {"vid": "V1", "first_contact_date": "2020-01-01", "first_forced_date": "2020-01-03"},
            {"vid": "V2", "recruitment_days": 3},
            censored("V3", "2020-02-01", 4),
            # Excluded: no period and no exact first-contact date for censoring.
            {"vid": "V4", "first_contact_date": "2020-01", "followed_until_date": "2020-03-01"},
        ],
        year_start=2020,
    )
    second = make_case(
        "KM-2",
        [
            {"vid": "V1", "recruitment_days": 5},
            {"vid": "V2", "recruitment_days": 8},
            censored("V3", "2021-05-05", 10),
            {"vid": "V4", "recruitment_days": 13},
            # Excluded: nothing known.
            {"vid": "V5"},
            # Excluded: first contact exact but never followed.
            {"vid": "V6", "first_contact_date": "2021-04-01"},
        ],
    )
    return [first, second]


def test_durations_events_censored_and_excluded(km_cases: list[CodedCase]) -> None:
    data = recruitment_durations(km_cases)
    assert sorted(d.days for d in data.durations if d.event) == list(EVENT_DAYS)
    assert sorted(d.days for d in data.durations if not d.event) == list(CENSOR_DAYS)
    assert data.events == 5
    assert data.censored == 2
    assert data.excluded == 3


def test_year_of_first_contact_any_precision_then_year_start() -> None:
    case = make_case(
        "Y-1",
        [
            {"vid": "V1", "first_contact_date": "2018", "recruitment_days": 4},
            {"vid": "V2", "first_contact_date": "2019-07", "recruitment_days": 4},
            {"vid": "V3", "recruitment_days": 4},
        ],
        year_start=2017,
    )
    no_year = make_case("Y-2", [{"vid": "V1", "recruitment_days": 9}])
    data = recruitment_durations([case, no_year])
    assert [d.year for d in data.durations] == [2018, 2019, 2017, None]
    assert data.durations[0] == Duration(days=4, event=True, year=2018)


def test_km_median_matches_hand_and_lifelines(km_cases: list[CodedCase]) -> None:
    summary = recruitment_summary(km_cases)
    kmf = KaplanMeierFitter().fit(list(EVENT_DAYS) + list(CENSOR_DAYS), [True] * 5 + [False] * 2)
    assert summary.median == 8.0
    assert summary.median == kmf.median_survival_time_
    bounds = median_survival_times(kmf.confidence_interval_)
    expected_low = float(bounds.iloc[0, 0])
    expected_high = float(bounds.iloc[0, 1])
    assert summary.ci_low == (expected_low if math.isfinite(expected_low) else None)
    assert summary.ci_high == (expected_high if math.isfinite(expected_high) else None)
    assert (summary.n, summary.events, summary.censored, summary.excluded) == (7, 5, 2, 3)


def test_km_curve_points(km_cases: list[CodedCase]) -> None:
    curve = recruitment_summary(km_cases).curve
    by_day = {point.days: point for point in curve}
    assert [p.days for p in curve] == [0.0, 2.0, 3.0, 4.0, 5.0, 8.0, 10.0, 13.0]
    assert by_day[0.0].survival == 1.0
    assert by_day[3.0].survival == pytest.approx(5 / 7)
    assert by_day[5.0].survival == pytest.approx(15 / 28)
    assert by_day[13.0].survival == 0.0
    for point in curve:
        assert point.ci_low <= point.survival <= point.ci_high


def test_median_at_exactly_one_half_is_the_textbook_median() -> None:
    # Events at 0, 0, 3, 5, 8, 12, censored at 5 and 10. By hand: S(0) = 6/8,
    # S(3) = 6/8 * 5/6 = 5/8, S(5) = 5/8 * 4/5 = 1/2 (the censored 5 is at risk at 5):
    # the median is 5. lifelines computes S(5) as 0.5000000000000001 and says 8.
    case = make_case(
        "HALF-1",
        [{"vid": f"E{i}", "recruitment_days": d} for i, d in enumerate((0, 0, 3, 5, 8, 12))]
        + [censored("C1", "2020-01-01", 5), censored("C2", "2020-01-01", 10)],
    )
    summary = recruitment_summary([case])
    assert summary.median == 5.0
    assert summary.curve[0].days == 0.0
    assert summary.curve[0].survival == pytest.approx(0.75)


def test_summary_of_no_usable_victims() -> None:
    case = make_case("NONE-1", [{"vid": "V1"}, {"vid": "V2", "first_contact_date": "2020"}])
    summary = recruitment_summary([case])
    assert (summary.median, summary.ci_low, summary.ci_high) == (None, None, None)
    assert (summary.n, summary.events, summary.censored, summary.excluded) == (0, 0, 0, 2)
    assert summary.curve == ()


def test_summary_all_censored_has_no_median() -> None:
    case = make_case("CENS-1", [censored("V1", "2020-01-01", 3), censored("V2", "2020-01-01", 9)])
    summary = recruitment_summary([case])
    assert summary.median is None
    assert (summary.n, summary.events, summary.censored) == (2, 0, 2)
    assert [p.survival for p in summary.curve] == [1.0, 1.0, 1.0]


def _shrinking_cohort() -> list[CodedCase]:
    """Ten years, each with six dated and one censored victim; 5 days shorter a year."""
    cases = []
    for index, year in enumerate(range(2012, 2022)):
        base = 60 - 5 * index
        victims: list[dict[str, Any]] = [
            {"vid": f"V{k}", "first_contact_date": str(year), "recruitment_days": base + offset}
            for k, offset in enumerate((-6, -3, 0, 2, 4, 8))
        ]
        victims.append(censored("C1", f"{year}-06-01", base + 10))
        cases.append(make_case(f"T-{year}", victims))
    return cases


def test_trend_detects_shrinking_recruitment_period() -> None:
    trend = recruitment_trend(_shrinking_cohort())
    assert trend.note is None and trend.note_code is None
    assert trend.method == "cox_ph_year"
    assert trend.hazard_ratio_per_year is not None
    assert trend.ci_low is not None and trend.ci_high is not None
    assert trend.hazard_ratio_per_year > 1
    assert 1 < trend.ci_low < trend.hazard_ratio_per_year < trend.ci_high
    assert trend.p_value is not None and trend.p_value < 0.001
    assert (trend.n, trend.events) == (70, 60)
    assert [y.year for y in trend.per_year] == list(range(2012, 2022))
    # 2012: events at 54, 57, 60, 62, 64, 68 and one censored at 70: S drops to
    # 3/7 at 62, so the median is 62; each later year is 5 days shorter.
    assert [y.median for y in trend.per_year] == [62.0 - 5 * i for i in range(10)]
    assert all((y.n, y.events) == (7, 6) for y in trend.per_year)


def test_trend_per_year_median_withheld_for_small_years() -> None:
    cases = _shrinking_cohort()
    cases.append(
        make_case("T-2030", [{"vid": "V1", "first_contact_date": "2030", "recruitment_days": 2}])
    )
    trend = recruitment_trend(cases, min_cell=5)
    last = trend.per_year[-1]
    assert (last.year, last.n, last.events, last.median) == (2030, 1, 1, None)
    assert last.suppressed is True
    assert trend.per_year[0].median == 62.0
    assert not any(year.suppressed for year in trend.per_year[:-1])
    assert recruitment_trend(cases).per_year[-1].median == 2.0
    assert not any(year.suppressed for year in recruitment_trend(cases).per_year)


def test_trend_empty_cohort_gives_note() -> None:
    trend = recruitment_trend([])
    assert trend.hazard_ratio_per_year is None
    assert (trend.ci_low, trend.ci_high, trend.p_value) == (None, None, None)
    assert (trend.n, trend.events, trend.per_year) == (0, 0, ())
    assert trend.note is not None and "no victim" in trend.note
    assert_note(trend, "no_data")


def test_trend_single_year_gives_note() -> None:
    case = make_case(
        "ONE-1",
        [{"vid": f"V{i}", "recruitment_days": i} for i in range(1, 9)],
        year_start=2019,
    )
    trend = recruitment_trend([case])
    assert trend.hazard_ratio_per_year is None
    assert trend.note is not None and "same year" in trend.note
    assert_note(trend, "one_year")
    assert (trend.n, trend.events) == (8, 8)
    assert [(y.year, y.n, y.median) for y in trend.per_year] == [(2019, 8, 4.0)]


def test_trend_too_few_events_gives_note() -> None:
    victims = [
        {"vid": "V1", "first_contact_date": "2018", "recruitment_days": 3},
        {"vid": "V2", "first_contact_date": "2019", "recruitment_days": 5},
        {"vid": "V3", "first_contact_date": "2020", "recruitment_days": 2},
        {"vid": "V4", "first_contact_date": "2021", "recruitment_days": 1},
        censored("V5", "2021-01-01", 30),
        # No year at all: not in the model.
        {"vid": "V6", "recruitment_days": 4},
    ]
    trend = recruitment_trend([make_case("FEW-1", victims)])
    assert MIN_TREND_EVENTS == 5
    assert trend.hazard_ratio_per_year is None
    assert trend.p_value is None
    assert trend.note is not None and "only 4" in trend.note
    assert_note(trend, "too_few_events")
    assert (trend.n, trend.events) == (5, 4)


def test_trend_separated_years_gives_note_not_error() -> None:
    # Every 2020 victim is forced within 5 days; every 2015 victim is censored later.
    durations = tuple(Duration(days=k, event=True, year=2020) for k in range(1, 6)) + tuple(
        Duration(days=k, event=False, year=2015) for k in range(6, 11)
    )
    trend = recruitment_trend(RecruitmentDurations(durations=durations, excluded=0))
    assert trend.hazard_ratio_per_year is None
    assert trend.note is not None and "separate" in trend.note
    assert_note(trend, "degenerate")
    assert (trend.n, trend.events) == (10, 5)


def test_trend_convergence_error_gives_note(monkeypatch: pytest.MonkeyPatch) -> None:
    class FailingCox:
        def fit(self, *args: Any, **kwargs: Any) -> None:
            raise ConvergenceError("delta contains nan value(s)")

    monkeypatch.setattr(lifelines, "CoxPHFitter", FailingCox)
    trend = recruitment_trend(_shrinking_cohort())
    assert trend.hazard_ratio_per_year is None
    assert trend.note is not None and "did not converge" in trend.note
    assert_note(trend, "not_converged")
    assert len(trend.per_year) == 10


def test_zero_day_periods_are_used_by_km_and_cox() -> None:
    cases = []
    for year, days in ((2015, (0, 10, 20, 30)), (2016, (0, 0, 5, 15)), (2017, (0, 0, 0, 4))):
        victims = [
            {"vid": f"V{i}", "first_contact_date": str(year), "recruitment_days": d}
            for i, d in enumerate(days)
        ]
        cases.append(make_case(f"Z-{year}", victims))
    summary = recruitment_summary(cases)
    # 6 of 12 forced on day 0: S(0) = 1/2, so the median is 0 days.
    assert summary.curve[0].survival == pytest.approx(0.5)
    assert summary.median == 0.0
    trend = recruitment_trend(cases)
    assert trend.note is None
    assert trend.hazard_ratio_per_year is not None and trend.hazard_ratio_per_year > 1


def test_per_year_median_equals_lifelines_on_random_data() -> None:
    rng = random.Random(20210315)
    durations = tuple(
        Duration(days=rng.randint(0, 40), event=rng.random() < 0.7, year=rng.choice((2018, 2019)))
        for _ in range(300)
    )
    trend = recruitment_trend(RecruitmentDurations(durations=durations, excluded=0))
    for summary in trend.per_year:
        group = [d for d in durations if d.year == summary.year]
        kmf = KaplanMeierFitter().fit([d.days for d in group], [d.event for d in group])
        expected = median_survival_times(kmf.survival_function_.round(10))
        assert summary.median == (float(expected) if math.isfinite(expected) else None)
        assert summary.n == len(group)
        assert summary.events == sum(d.event for d in group)


# ------------------------------------------------------------------ small cells (min_cell)
# The km_cases fixture at risk (see the table at its top): day 0: 7, 2: 7, 3: 6, 4: 5,
# 5: 4, 8: 3, 10: 2, 13: 1.


@pytest.mark.parametrize(
    ("min_cell", "days", "truncated_at"),
    [
        (3, [0.0, 2.0, 3.0, 4.0, 5.0, 8.0], 8.0),  # day 10 has 2 at risk
        (4, [0.0, 2.0, 3.0, 4.0, 5.0], 5.0),
        (7, [0.0, 2.0], 2.0),  # all 7 at risk until day 2
        (2, [0.0, 2.0, 3.0, 4.0, 5.0, 8.0, 10.0], 10.0),  # only day 13 (1 at risk) goes
    ],
)
def test_km_curve_stops_where_fewer_than_min_cell_are_at_risk(
    km_cases: list[CodedCase], min_cell: int, days: list[float], truncated_at: float
) -> None:
    full = recruitment_summary(km_cases)
    summary = recruitment_summary(km_cases, min_cell=min_cell)
    assert [p.days for p in summary.curve] == days
    assert summary.curve_truncated_at == truncated_at
    assert summary.curve == full.curve[: len(days)]
    # the median and its interval are group statistics and stay
    assert (summary.median, summary.ci_low, summary.ci_high) == (
        full.median,
        full.ci_low,
        full.ci_high,
    )
    assert (summary.n, summary.events, summary.censored, summary.excluded) == (7, 5, 2, 3)
    assert summary.suppressed is False


@pytest.mark.parametrize("min_cell", [0, 1])
def test_no_small_cell_threshold_changes_nothing(km_cases: list[CodedCase], min_cell: int) -> None:
    summary = recruitment_summary(km_cases, min_cell=min_cell)
    assert summary == recruitment_summary(km_cases)
    assert [p.days for p in summary.curve] == [0.0, 2.0, 3.0, 4.0, 5.0, 8.0, 10.0, 13.0]
    assert summary.curve_truncated_at is None
    assert summary.suppressed is False
    trend = recruitment_trend(km_cases, min_cell=min_cell)
    assert trend == recruitment_trend(km_cases)
    assert not any(year.suppressed for year in trend.per_year)


def test_a_curve_whose_last_point_has_min_cell_at_risk_is_not_truncated() -> None:
    # Forced on days 4, 4, 6, 6: 4 at risk on days 0 and 4, 2 on day 6.
    durations = tuple(Duration(days=d, event=True, year=2020) for d in (4, 4, 6, 6))
    data = RecruitmentDurations(durations=durations, excluded=0)
    summary = recruitment_summary(data, min_cell=2)
    assert [p.days for p in summary.curve] == [0.0, 4.0, 6.0]
    assert summary.curve_truncated_at is None
    cut = recruitment_summary(data, min_cell=3)
    assert ([p.days for p in cut.curve], cut.curve_truncated_at) == ([0.0, 4.0], 4.0)


def test_fewer_victims_than_min_cell_withholds_median_and_curve(
    km_cases: list[CodedCase],
) -> None:
    summary = recruitment_summary(km_cases, min_cell=8)  # 7 victims in the analysis
    assert summary.suppressed is True
    assert (summary.median, summary.ci_low, summary.ci_high, summary.curve) == (
        None,
        None,
        None,
        (),
    )
    assert summary.curve_truncated_at is None
    assert (summary.n, summary.events, summary.censored, summary.excluded) == (7, 5, 2, 3)
    assert summary.to_json() == {
        "median": None,
        "ci_low": None,
        "ci_high": None,
        "n": 7,
        "censored": 2,
        "events": 5,
        "excluded": 3,
        "suppressed": True,
    }
    # no victims at all is not a small cell: nothing to withhold
    empty = recruitment_summary([], min_cell=8)
    assert (empty.n, empty.suppressed) == (0, False)


def test_a_small_year_is_marked_suppressed_and_loses_its_median() -> None:
    durations = (
        Duration(days=3, event=True, year=2019),
        Duration(days=9, event=False, year=2019),
        *(Duration(days=d, event=True, year=2020) for d in (1, 2, 4, 8, 16)),
    )
    data = RecruitmentDurations(durations=durations, excluded=0)
    shown = recruitment_trend(data).per_year
    assert [(y.year, y.n, y.events, y.median, y.suppressed) for y in shown] == [
        (2019, 2, 1, 3.0, False),
        (2020, 5, 5, 4.0, False),
    ]
    withheld = recruitment_trend(data, min_cell=3).per_year
    assert [(y.year, y.n, y.events, y.median, y.suppressed) for y in withheld] == [
        (2019, 2, 1, None, True),
        (2020, 5, 5, 4.0, False),
    ]
    per_year = recruitment_trend(data, min_cell=3).to_json()["per_year"]
    assert per_year[0] == {"year": 2019, "n": 2, "events": 1, "median": None, "suppressed": True}
