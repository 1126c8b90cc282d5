"""The recruitment period: days from first contact to the first forced sex work.

Not every file dates the first forced sex work. A victim whose file follows her to an
exact date without establishing forced sex work is *right-censored* at that date: we
know her recruitment period is at least that long. Kaplan-Meier handles both kinds of
victim, so the median is not biased towards the short, well-documented periods.

- :func:`recruitment_durations` turns coded cases into one :class:`Duration` per
  usable victim (days, event or censored, year of first contact).
- :func:`recruitment_summary` gives the Kaplan-Meier median with its 95% interval and
  the curve (lifelines ``KaplanMeierFitter``).
- :func:`recruitment_trend` tests whether the period shrinks over the years with a Cox
  proportional-hazards model (lifelines ``CoxPHFitter``), the year of first contact as
  a continuous covariate, plus a Kaplan-Meier median per year.

A duration of 0 days (forced on the day of first contact) needs no adjustment: the
Kaplan-Meier estimator and the Cox partial likelihood only use the order of the
durations, and lifelines accepts 0 in both (checked with lifelines 0.30).
"""

from __future__ import annotations

import logging
import math
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

from ketenbeeld.cases.model import CodedCase
from ketenbeeld.cases.results import CurvePoint, RecruitmentSummary, TrendResult, YearSummary
from ketenbeeld.cases.validate import parse_partial_date

if TYPE_CHECKING:
    from lifelines import KaplanMeierFitter

# lifelines and pandas are imported where they are used: together they take over a
# second to import, which every CLI command would otherwise pay.

__all__ = [
    "MIN_TREND_EVENTS",
    "TREND_METHOD",
    "TREND_NOTE_CODES",
    "Duration",
    "RecruitmentDurations",
    "recruitment_durations",
    "recruitment_summary",
    "recruitment_trend",
]

log = logging.getLogger(__name__)

#: Fewest victims with a known period (events) for which the trend is estimated.
MIN_TREND_EVENTS = 5
#: ``TrendResult.method`` of :func:`recruitment_trend`.
TREND_METHOD = "cox_ph_year"
#: Every ``TrendResult.note_code``: why the trend was not estimated. The report shows
#: the text of the code in its own language (``trend_notes`` in data/report-text-1.yaml).
TREND_NOTE_CODES = ("no_data", "one_year", "too_few_events", "not_converged", "degenerate")

# Survival values are products of many fractions; lifelines computes them through
# logarithms, so a curve that is exactly 0.5 can come out as 0.5000000000000001 and
# the median would jump to the next step. Rounding to 10 decimals before looking for
# the crossing gives the textbook median (the first day with S(t) <= 0.5).
_ROUND = 10


@dataclass(frozen=True)
class Duration:
    """The recruitment period of one victim.

    Attributes:
        days: days from first contact to first forced sex work (``event``), or to the
            last date the file follows her without forced sex work (censored).
        event: ``True`` if the first forced sex work is dated, ``False`` if censored.
        year: calendar year of first contact (falling back to the case's
            ``year_start``), ``None`` if neither is known.
    """

    days: int
    event: bool
    year: int | None


@dataclass(frozen=True)
class RecruitmentDurations:
    """The durations of a cohort and how many victims could not be used.

    Attributes:
        durations: one :class:`Duration` per usable victim, in case and victim order.
        excluded: victims with neither a known period nor an exact censoring date.
    """

    durations: tuple[Duration, ...]
    excluded: int

    @property
    def events(self) -> int:
        """Victims with a known recruitment period."""
        return sum(1 for d in self.durations if d.event)

    @property
    def censored(self) -> int:
        """Victims whose recruitment period is censored."""
        return sum(1 for d in self.durations if not d.event)


def _parse(value: Any) -> tuple[int, int | None, int | None] | None:
    return parse_partial_date(value) if isinstance(value, str) else None


def _exact(parsed: tuple[int, int | None, int | None] | None) -> date | None:
    if parsed is None or parsed[1] is None or parsed[2] is None:
        return None
    return date(parsed[0], parsed[1], parsed[2])


def recruitment_durations(cases: Iterable[CodedCase]) -> RecruitmentDurations:
    """One duration per victim whose recruitment period is known or censored.

    A victim counts as an *event* when ``recruitment_days`` is set (validation derives
    it from two exact dates). Otherwise, when ``first_contact_date`` and
    ``followed_until_date`` are both exact dates (YYYY-MM-DD), she is *censored* at the
    days between them. Any other victim is excluded and only counted.

    The year of first contact is the year of ``first_contact_date`` at any precision
    (``2019``, ``2019-03`` and ``2019-03-03`` all give 2019), else the case's
    ``year_start``.

    Args:
        cases: validated coded cases.

    Returns:
        The durations and the number of excluded victims.

    Example:
        >>> recruitment_durations([]).excluded
        0
    """
    durations: list[Duration] = []
    excluded = 0
    for case in cases:
        year_start = case.case.get("year_start")
        fallback = year_start if isinstance(year_start, int) else None
        for victim in case.victims:
            first_contact = _parse(victim.get("first_contact_date"))
            year = first_contact[0] if first_contact is not None else fallback
            days = victim.get("recruitment_days")
            if isinstance(days, int):
                durations.append(Duration(days=days, event=True, year=year))
                continue
            contact = _exact(first_contact)
            followed = _exact(_parse(victim.get("followed_until_date")))
            if contact is not None and followed is not None and followed >= contact:
                durations.append(Duration(days=(followed - contact).days, event=False, year=year))
            else:
                excluded += 1
    return RecruitmentDurations(durations=tuple(durations), excluded=excluded)


def _as_durations(
    cases: Iterable[CodedCase] | RecruitmentDurations,
) -> RecruitmentDurations:
    if isinstance(cases, RecruitmentDurations):
        return cases
    return recruitment_durations(cases)


def _fit_km(durations: Sequence[Duration]) -> KaplanMeierFitter:
    from lifelines import KaplanMeierFitter
    from lifelines.exceptions import ApproximationWarning

    kmf = KaplanMeierFitter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ApproximationWarning)
        kmf.fit([d.days for d in durations], [d.event for d in durations])
    return kmf


def _finite(value: Any) -> float | None:
    number = float(value)
    return number if math.isfinite(number) else None


def _km_median(kmf: KaplanMeierFitter) -> float | None:
    from lifelines.utils import median_survival_times

    return _finite(median_survival_times(kmf.survival_function_.round(_ROUND)))


def _km_median_of(durations: Sequence[Duration]) -> float | None:
    """The Kaplan-Meier median without a lifelines fit (same estimator, same rounding).

    A lifelines fit costs about 25 ms of pandas overhead; the per-year table needs one
    per year, so it computes the product-limit estimate directly with numpy.
    """
    days = np.fromiter((d.days for d in durations), dtype=np.int64, count=len(durations))
    events = np.fromiter((d.event for d in durations), dtype=np.float64, count=len(durations))
    times, index = np.unique(days, return_inverse=True)
    deaths = np.bincount(index, weights=events, minlength=len(times))
    leaving = np.bincount(index, minlength=len(times))
    at_risk = len(days) - np.concatenate(([0], np.cumsum(leaving)[:-1]))
    curve = np.cumprod(1.0 - deaths / at_risk)
    reached = np.flatnonzero(np.round(curve, _ROUND) <= 0.5)
    return float(times[reached[0]]) if reached.size else None


def _truncate(
    kmf: KaplanMeierFitter, curve: tuple[CurvePoint, ...], min_cell: int
) -> tuple[tuple[CurvePoint, ...], float | None]:
    """The curve up to the last time with at least ``min_cell`` victims at risk.

    Beyond that time each step of the curve is the period of one of fewer than
    ``min_cell`` victims. Returns the kept points and the day of the last one, or
    ``None`` when nothing was cut.
    """
    at_risk = kmf.event_table["at_risk"].to_numpy()  # one row per curve point
    kept = int(np.count_nonzero(at_risk >= min_cell))  # at_risk never increases
    if kept >= len(curve):
        return curve, None
    # Called with at least min_cell victims: day 0, all at risk, is always kept.
    return curve[:kept], curve[kept - 1].days


def recruitment_summary(
    cases: Iterable[CodedCase] | RecruitmentDurations,
    *,
    min_cell: int = 0,
) -> RecruitmentSummary:
    """Kaplan-Meier summary of the recruitment period.

    The median is the first day on which the estimated share not yet forced is at most
    one half (lifelines' median, with float noise around 0.5 rounded away); its 95%
    interval is where the pointwise 95% band (exponential Greenwood, lifelines'
    default) crosses one half. A median or bound the curve never reaches is ``None``.

    Small cells (``min_cell`` N > 1): the median is a statistic of the whole group and
    stays, but the curve stops at the last day on which at least N victims are still
    at risk (``curve_truncated_at``), because its later steps are single victims'
    periods. With fewer than N victims in all, the median, its interval and the curve
    are withheld (``suppressed``); the counts stay.

    Args:
        cases: validated coded cases, or their :func:`recruitment_durations`.
        min_cell: the small-cell threshold N (0 or 1: nothing withheld).

    Returns:
        Median, interval, counts (events, censored, excluded) and the curve.

    Example:
        >>> recruitment_summary([]).median is None
        True
    """
    from lifelines.utils import median_survival_times

    data = _as_durations(cases)
    durations = data.durations
    events = sum(1 for d in durations if d.event)
    empty = RecruitmentSummary(
        median=None,
        ci_low=None,
        ci_high=None,
        n=len(durations),
        censored=len(durations) - events,
        events=events,
        excluded=data.excluded,
    )
    if not durations:
        return empty
    if len(durations) < min_cell:
        return replace(empty, suppressed=True)
    kmf = _fit_km(durations)
    bounds = median_survival_times(kmf.confidence_interval_.round(_ROUND))
    survival = kmf.survival_function_.iloc[:, 0]
    band = kmf.confidence_interval_
    curve = tuple(
        CurvePoint(
            days=float(days),
            survival=float(s),
            # The band is undefined where the curve is 1 or 0; it is then the curve.
            ci_low=float(low) if math.isfinite(low) else float(s),
            ci_high=float(high) if math.isfinite(high) else float(s),
        )
        for days, s, low, high in zip(
            survival.index, survival.to_numpy(), band.iloc[:, 0], band.iloc[:, 1], strict=True
        )
    )
    truncated_at: float | None = None
    if min_cell > 1:
        curve, truncated_at = _truncate(kmf, curve, min_cell)
    return replace(
        empty,
        median=_km_median(kmf),
        ci_low=_finite(bounds.iloc[0, 0]),
        ci_high=_finite(bounds.iloc[0, 1]),
        curve=curve,
        curve_truncated_at=truncated_at,
    )


def _per_year(durations: Sequence[Duration], min_cell: int) -> tuple[YearSummary, ...]:
    by_year: dict[int, list[Duration]] = {}
    for d in durations:
        if d.year is not None:
            by_year.setdefault(d.year, []).append(d)
    out: list[YearSummary] = []
    for year in sorted(by_year):
        group = by_year[year]
        # A median of fewer than min_cell victims (e.g. of one) discloses a person's
        # own recruitment period, so it is withheld; n and events stay.
        small = 0 < len(group) < min_cell
        out.append(
            YearSummary(
                year=year,
                n=len(group),
                events=sum(1 for d in group if d.event),
                median=None if small else _km_median_of(group),
                suppressed=small,
            )
        )
    return tuple(out)


def recruitment_trend(
    cases: Iterable[CodedCase] | RecruitmentDurations,
    *,
    min_cell: int = 0,
) -> TrendResult:
    """Trend of the recruitment period over the year of first contact.

    Fits a Cox proportional-hazards model of the recruitment period with the year of
    first contact as a continuous covariate (lifelines ``CoxPHFitter``, Efron ties).
    The hazard ratio per year above 1 means victims are forced sooner in later years:
    the recruitment period is shrinking. The interval is the 95% Wald interval and the
    p-value the two-sided Wald test of no trend. Victims without a year are left out.

    When the model cannot be estimated (no data, fewer than 2 distinct years, fewer
    than :data:`MIN_TREND_EVENTS` events, no convergence or no finite estimate), the
    hazard ratio, interval and p-value are ``None``, ``note`` says why in English and
    ``note_code`` is one of :data:`TREND_NOTE_CODES`; this function does not raise for
    a small cohort.

    Args:
        cases: validated coded cases, or their :func:`recruitment_durations`.
        min_cell: a year with fewer than ``min_cell`` victims gets no median in
            ``per_year`` and is marked ``suppressed`` (0 or 1: none withheld).

    Returns:
        The hazard ratio per year with interval and p-value, counts, the Kaplan-Meier
        median per year, and a note when the model was not estimated.

    Example:
        >>> recruitment_trend([]).note
        'no victim has a recruitment period (known or censored) and a year of first contact'
    """
    data = _as_durations(cases)
    rows = [d for d in data.durations if d.year is not None]
    events = sum(1 for d in rows if d.event)
    per_year = _per_year(rows, min_cell)

    def failed(code: str, note: str) -> TrendResult:
        return TrendResult(
            method=TREND_METHOD,
            hazard_ratio_per_year=None,
            ci_low=None,
            ci_high=None,
            p_value=None,
            n=len(rows),
            events=events,
            per_year=per_year,
            note=note,
            note_code=code,
        )

    if not rows:
        return failed(
            "no_data",
            "no victim has a recruitment period (known or censored) and a year of first contact",
        )
    if len(per_year) < 2:
        return failed(
            "one_year",
            "all victims were first contacted in the same year: a trend over the years "
            "needs at least 2 distinct years",
        )
    if events < MIN_TREND_EVENTS:
        return failed(
            "too_few_events",
            f"only {events} victim(s) have a known recruitment period: the trend needs at "
            f"least {MIN_TREND_EVENTS}",
        )
    import pandas as pd
    from lifelines import CoxPHFitter
    from lifelines.exceptions import ConvergenceError, ConvergenceWarning

    frame = pd.DataFrame(
        {
            "days": [d.days for d in rows],
            "event": [d.event for d in rows],
            "year": [d.year for d in rows],
        }
    )
    cph = CoxPHFitter()
    try:
        with warnings.catch_warnings():
            # lifelines warns before fitting whenever the year correlates strongly with
            # the duration, which is exactly a strong trend; a real failure shows up
            # as ConvergenceError or as a non-finite estimate, handled below.
            warnings.simplefilter("ignore", ConvergenceWarning)
            cph.fit(frame, duration_col="days", event_col="event")
    except ConvergenceError:
        log.info("the Cox model of the recruitment trend did not converge")
        return failed(
            "not_converged",
            "the Cox model did not converge: the data are too sparse or the years "
            "completely separate short from long recruitment periods",
        )
    summary = cph.summary.loc["year"]
    hazard_ratio = _finite(summary["exp(coef)"])
    ci_low = _finite(summary["exp(coef) lower 95%"])
    ci_high = _finite(summary["exp(coef) upper 95%"])
    p_value = _finite(summary["p"])
    if hazard_ratio is None or ci_high is None or ci_low is None or ci_low <= 0.0:
        log.info("the Cox model of the recruitment trend gave no finite estimate")
        return failed(
            "degenerate",
            "the Cox model gave no finite hazard ratio and interval: the years "
            "(nearly) completely separate short from long recruitment periods",
        )
    return TrendResult(
        method=TREND_METHOD,
        hazard_ratio_per_year=hazard_ratio,
        ci_low=ci_low,
        ci_high=ci_high,
        p_value=p_value,
        n=len(rows),
        events=events,
        per_year=per_year,
    )
