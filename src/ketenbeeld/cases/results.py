"""Result types of the case statistics, shared by the stats, the CLI and the report.

These are plain frozen dataclasses; :meth:`CaseStatistics.to_json` gives the stable,
documented machine interface of ``ketenbeeld cases stats --format json``.

The words that go with the results (labels, definitions, report texts) are versioned
data, read by :mod:`ketenbeeld.cases.texts`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "CaseStatistics",
    "Comparison",
    "CurvePoint",
    "ProportionRow",
    "RecruitmentSummary",
    "TrendResult",
    "YearSummary",
]


@dataclass(frozen=True)
class ProportionRow:
    """One row of the headline table: a share with its 95% Wilson interval.

    Attributes:
        id: stable row id, e.g. ``perpetrators_with_debts``.
        label: Dutch and English label (``{"nl": ..., "en": ...}``).
        population: ``perpetrators`` or ``victims``.
        numerator: persons with the trait; ``None`` when suppressed.
        denominator: persons for whom the file settles it (unknowns excluded).
        unknown: persons for whom it is not settled (null), counted separately.
        proportion: numerator / denominator as a fraction 0-1; ``None`` if the
            denominator is 0 or the row is suppressed.
        ci_low, ci_high: 95% Wilson interval bounds (fractions), or ``None``.
        suppressed: the numerator or its complement is a small cell (1 .. min_cell-1).
        definition: Dutch and English definition for the methods section.
    """

    id: str
    label: dict[str, str]
    population: str
    numerator: int | None
    denominator: int
    unknown: int
    proportion: float | None
    ci_low: float | None
    ci_high: float | None
    suppressed: bool = False
    definition: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "population": self.population,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "unknown": self.unknown,
            "proportion": self.proportion,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "suppressed": self.suppressed,
        }


@dataclass(frozen=True)
class CurvePoint:
    """One step of a Kaplan-Meier curve: at ``days``, share not yet forced, with 95% CI."""

    days: float
    survival: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True)
class RecruitmentSummary:
    """The recruitment period (days from first contact to first forced sex work).

    Attributes:
        median: Kaplan-Meier median in days, ``None`` if the curve never reaches 0.5.
        ci_low, ci_high: 95% CI of the median (``None`` where not estimable).
        n: victims in the analysis (events + censored).
        censored: victims whose period is censored (forced date unknown).
        events: victims with a known period.
        excluded: victims with neither a known period nor a censoring date.
        curve: the Kaplan-Meier step function for plotting.
        suppressed: fewer than ``min_cell`` victims in the analysis: median, interval
            and curve are withheld (``None`` and empty).
        curve_truncated_at: with ``min_cell`` N > 1, the day of the last curve point
            shown: later points, with fewer than N victims at risk, are left out.
            ``None`` when the whole curve is shown.
    """

    median: float | None
    ci_low: float | None
    ci_high: float | None
    n: int
    censored: int
    events: int
    excluded: int
    curve: tuple[CurvePoint, ...] = ()
    suppressed: bool = False
    curve_truncated_at: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "median": self.median,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "n": self.n,
            "censored": self.censored,
            "events": self.events,
            "excluded": self.excluded,
            "suppressed": self.suppressed,
        }


@dataclass(frozen=True)
class YearSummary:
    """Recruitment period of the victims first contacted in one calendar year.

    ``suppressed`` is true when the year has fewer than ``min_cell`` victims; its
    median is then withheld (``None``), while ``n`` and ``events`` stay.
    """

    year: int
    n: int
    events: int
    median: float | None
    suppressed: bool = False


@dataclass(frozen=True)
class TrendResult:
    """Trend of the recruitment period over the year of first contact.

    Attributes:
        method: short name of the model, e.g. ``cox_ph_year``.
        hazard_ratio_per_year: Cox hazard ratio per calendar year (> 1: forced sooner,
            i.e. the recruitment period is shrinking), ``None`` if not estimable.
        ci_low, ci_high: 95% Wald interval of the hazard ratio.
        p_value: two-sided Wald test of no trend.
        n, events: victims and events in the model.
        per_year: Kaplan-Meier summary per year, for the plot.
        note: why the trend could not be estimated, in English, or ``None``.
        note_code: the same as a stable code (``no_data``, ``one_year``,
            ``too_few_events``, ``not_converged``, ``degenerate``), or ``None``; the
            report shows its text in the report's language.
    """

    method: str
    hazard_ratio_per_year: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    n: int
    events: int
    per_year: tuple[YearSummary, ...] = ()
    note: str | None = None
    note_code: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "hazard_ratio_per_year": self.hazard_ratio_per_year,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "p_value": self.p_value,
            "n": self.n,
            "events": self.events,
            "per_year": [
                {
                    "year": y.year,
                    "n": y.n,
                    "events": y.events,
                    "median": y.median,
                    "suppressed": y.suppressed,
                }
                for y in self.per_year
            ],
            "note": self.note,
            "note_code": self.note_code,
        }


@dataclass(frozen=True)
class Comparison:
    """A 2x2 group comparison with Fisher's exact test.

    ``table`` is ``((a_yes, a_no), (b_yes, b_no))``: rows are the groups, columns the
    outcome. Cells are ``None`` when suppressed (then odds ratio and p-value are too).
    """

    id: str
    label: dict[str, str]
    outcome: dict[str, str]
    group_a: dict[str, str]
    group_b: dict[str, str]
    table: tuple[tuple[int | None, int | None], tuple[int | None, int | None]]
    odds_ratio: float | None
    p_value: float | None
    suppressed: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "outcome": self.outcome,
            "group_a": self.group_a,
            "group_b": self.group_b,
            "table": [list(self.table[0]), list(self.table[1])],
            "odds_ratio": self.odds_ratio,
            "p_value": self.p_value,
            "suppressed": self.suppressed,
        }


@dataclass(frozen=True)
class CaseStatistics:
    """All statistics of one cohort of coded cases.

    ``codebook_version`` and ``statistics_version`` name the codebook and the
    statistics definitions (labels and definitions of the rows and comparisons,
    data/statistics-<version>.yaml) that produced these figures.
    """

    rows: tuple[ProportionRow, ...]
    recruitment: RecruitmentSummary
    trend: TrendResult
    comparisons: tuple[Comparison, ...]
    n_cases: int
    n_perpetrators: int
    n_victims: int
    min_cell: int
    codebook_version: str
    fingerprint: str
    statistics_version: str

    def row(self, row_id: str) -> ProportionRow:
        """The headline row with id ``row_id``."""
        for row in self.rows:
            if row.id == row_id:
                return row
        raise KeyError(row_id)

    def to_json(self) -> dict[str, Any]:
        """The documented JSON interface (see docs/cli.md, ``cases stats``)."""
        return {
            "rows": [row.to_json() for row in self.rows],
            "recruitment_days": self.recruitment.to_json(),
            "trend": self.trend.to_json(),
            "comparisons": [c.to_json() for c in self.comparisons],
            "n_cases": self.n_cases,
            "n_perpetrators": self.n_perpetrators,
            "n_victims": self.n_victims,
            "min_cell": self.min_cell,
            "codebook_version": self.codebook_version,
            "statistics_version": self.statistics_version,
            "fingerprint": self.fingerprint,
        }
