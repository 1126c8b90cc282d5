"""The study's statistics of a cohort of coded cases.

:func:`compute_statistics` gives the headline shares (with 95% Wilson intervals), the
group comparisons (Fisher's exact test), the recruitment period (Kaplan-Meier) and
its trend (Cox), as a :class:`~ketenbeeld.cases.results.CaseStatistics`.

Which variable a row counts, and how, is code here, keyed by the row id. The words
(Dutch and English labels and definitions of the rows and comparisons) are versioned
data, ``data/statistics-<version>.yaml``, validated as a whole on first use
(:func:`load_statistics_texts`); every result names that version.

Counting rules, the same for every row:

- A person counts once per row: each perpetrator and each victim of each case.
- ``null`` means "the file does not settle it". Such persons are counted as
  ``unknown`` and left out of the denominator, never counted as "no".
- Small-cell suppression with ``min_cell`` N: a row whose numerator *or* complement
  (denominator - numerator) is 1 .. N-1 is withheld. The complement matters as much
  as the numerator: with the denominator published, a numerator of 11 out of 12
  reveals the single person who is the exception just as "1 out of 12" would.
"""

from __future__ import annotations

import csv
import io
import logging
import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from ketenbeeld.cases.codebook import CURRENT_CODEBOOK_VERSION
from ketenbeeld.cases.model import CodedCase, cohort_fingerprint
from ketenbeeld.cases.results import CaseStatistics, Comparison, ProportionRow
from ketenbeeld.cases.survival import (
    recruitment_durations,
    recruitment_summary,
    recruitment_trend,
)
from ketenbeeld.cases.texts import TextSchema, VersionedTexts, load_texts, parse_texts
from ketenbeeld.errors import InputError

# scipy.stats and statsmodels are imported where they are used: they take over a
# second to import, which every CLI command would otherwise pay.

__all__ = [
    "COMPARISON_IDS",
    "CSV_HEADER",
    "ROW_IDS",
    "STATISTICS_VERSION",
    "compute_statistics",
    "load_statistics_texts",
    "parse_statistics_texts",
    "statistics_to_csv",
    "wilson_interval",
]

log = logging.getLogger(__name__)

#: The columns of :func:`statistics_to_csv`.
CSV_HEADER = (
    "id",
    "label",
    "numerator",
    "denominator",
    "unknown",
    "proportion",
    "ci_low",
    "ci_high",
    "suppressed",
)


@dataclass(frozen=True)
class _Test:
    """A yes/no question about one variable; a null value is never asked."""

    variable: str
    test: Callable[[Any], bool]


def _flag(name: str, wanted: bool) -> _Test:
    return _Test(name, lambda raw: raw is wanted)


def _between(name: str, low: int | None, high: int | None) -> _Test:
    return _Test(name, lambda raw: (low is None or raw >= low) and (high is None or raw <= high))


def _one_of(name: str, *wanted: str) -> _Test:
    return _Test(name, lambda raw: raw in wanted)


@dataclass(frozen=True)
class _RowSpec:
    """How a headline row counts; its words are in the statistics definitions file."""

    id: str
    population: str
    value: _Test
    among: _Test | None = None  # only persons for whom this is known and true


_FORCED_7 = _between("recruitment_days", None, 7)
_ONLINE = _one_of("first_contact_channel", "online")
_CARE_OR_HOMELESS = _one_of("living_situation", "care_institution", "homeless")
_MINOR = _between("age_at_start", None, 17)
_CONTACT_AFTER = _flag("contact_after_exploitation", True)
_NOT_KNOWN_BEFORE = _flag("knew_perpetrator_before", False)

_ROWS = (
    _RowSpec("perpetrators_aged_18_29", "perpetrators", _between("age_at_start", 18, 29)),
    _RowSpec("perpetrators_without_diploma", "perpetrators", _flag("has_diploma", False)),
    _RowSpec("perpetrators_with_debts", "perpetrators", _flag("has_debts", True)),
    _RowSpec("perpetrators_with_addiction", "perpetrators", _flag("has_addiction", True)),
    _RowSpec("perpetrators_known_to_police", "perpetrators", _flag("known_to_police_before", True)),
    _RowSpec("perpetrators_known_to_care", "perpetrators", _flag("known_to_care_before", True)),
    _RowSpec("victims_minor", "victims", _MINOR),
    _RowSpec("victims_in_care_or_homeless", "victims", _CARE_OR_HOMELESS),
    _RowSpec("victims_first_contact_online", "victims", _ONLINE),
    _RowSpec("victims_unknown_to_perpetrator", "victims", _NOT_KNOWN_BEFORE),
    _RowSpec("victims_unknown_met_online", "victims", _ONLINE, among=_NOT_KNOWN_BEFORE),
    _RowSpec("victims_forced_within_7_days", "victims", _FORCED_7),
    _RowSpec("victims_forced_within_30_days", "victims", _between("recruitment_days", None, 30)),
    _RowSpec("victims_contact_after", "victims", _CONTACT_AFTER),
)

#: The headline row ids, in table order.
ROW_IDS = tuple(spec.id for spec in _ROWS)


@dataclass(frozen=True)
class _ComparisonSpec:
    id: str
    group: _Test  # true: group a, false: group b, null: not in the table
    result: _Test


_COMPARISONS = (
    _ComparisonSpec("compare_channel", _ONLINE, _FORCED_7),
    _ComparisonSpec("compare_living_situation", _CARE_OR_HOMELESS, _FORCED_7),
    _ComparisonSpec("compare_minor", _MINOR, _FORCED_7),
    _ComparisonSpec("compare_channel_contact_after", _ONLINE, _CONTACT_AFTER),
)

#: The group comparison ids, in order.
COMPARISON_IDS = tuple(spec.id for spec in _COMPARISONS)

#: Version of the built-in statistics definitions, ``data/statistics-<version>.yaml``.
STATISTICS_VERSION = "1"

_WHAT = "the statistics definitions"


def _schema() -> TextSchema:
    return {
        "rows": (ROW_IDS, ("label", "definition")),
        "comparisons": (COMPARISON_IDS, ("label", "outcome", "group_a", "group_b")),
    }


def parse_statistics_texts(text: str, source: str = "statistics.yaml") -> VersionedTexts:
    """Validate statistics definitions given as YAML text; report every problem at once.

    Every id in :data:`ROW_IDS` (fields ``label``, ``definition``) and in
    :data:`COMPARISON_IDS` (``label``, ``outcome``, ``group_a``, ``group_b``), and no
    other, must give each field in Dutch (``nl``) and English (``en``).

    Raises:
        ConfigError: the definitions are invalid; the message lists every problem.
    """
    return parse_texts(text, source, _schema(), version=STATISTICS_VERSION, what=_WHAT)


@cache
def load_statistics_texts() -> VersionedTexts:
    """The built-in statistics definitions, validated on first use and then cached.

    Raises:
        ConfigError: the built-in file is invalid.

    Example:
        >>> load_statistics_texts().pair("rows", "victims_minor", "label")["en"]
        'Minor victims'
    """
    return load_texts("statistics", STATISTICS_VERSION, _schema(), what=_WHAT)


def wilson_interval(k: int, n: int) -> tuple[float, float]:
    """The 95% Wilson score interval of the proportion ``k / n``.

    Equal to statsmodels ``proportion_confint(k, n, alpha=0.05, method="wilson")``
    (the tests check this). The closed form is written out here, step for step as
    statsmodels does it, because importing statsmodels costs about two seconds on
    every ``ketenbeeld cases stats`` for this one formula.

    Args:
        k: number of successes, 0 <= k <= n.
        n: number of trials, at least 1.

    Returns:
        ``(low, high)`` as fractions between 0 and 1.

    Raises:
        ValueError: ``n`` is not positive or ``k`` is outside 0 .. n.

    Example:
        >>> low, high = wilson_interval(3, 4)
        >>> (round(low, 4), round(high, 4))
        (0.3006, 0.9544)
    """
    if n < 1 or not 0 <= k <= n:
        raise ValueError("wilson_interval needs n >= 1 and 0 <= k <= n")
    q = k / n
    crit2 = _Z_975**2
    denom = 1 + crit2 / n
    center = (q + crit2 / (2 * n)) / denom
    dist = _Z_975 * math.sqrt(q * (1.0 - q) / n + crit2 / (4.0 * n**2)) / denom
    return min(max(center - dist, 0.0), 1.0), min(max(center + dist, 0.0), 1.0)


#: The standard normal quantile for a two-sided 95% interval: scipy.stats.norm.isf(0.025).
_Z_975 = 1.9599639845400545


def _small(count: int, min_cell: int) -> bool:
    return 0 < count < min_cell


class _Columns:
    """The values of one variable over all persons, read once and shared by all rows.

    Counting then tests each distinct value once (``Counter``) instead of each person,
    so 10,000 cases take about a tenth of a second for all rows and comparisons.
    """

    def __init__(self, persons: Sequence[Mapping[str, Any]]) -> None:
        self._persons = persons
        self._columns: dict[str, list[Any]] = {}

    def __call__(self, name: str) -> list[Any]:
        if name not in self._columns:
            self._columns[name] = [person.get(name) for person in self._persons]
        return self._columns[name]


def _count(spec: _RowSpec, columns: _Columns) -> tuple[int, int, int]:
    values = columns(spec.value.variable)
    if spec.among is not None:
        among = spec.among
        values = [
            value
            for value, condition in zip(values, columns(among.variable), strict=True)
            if condition is not None and among.test(condition)
        ]
    counts = Counter(values)
    unknown = counts.pop(None, 0)
    numerator = sum(n for value, n in counts.items() if spec.value.test(value))
    return numerator, sum(counts.values()), unknown


def _row(spec: _RowSpec, columns: _Columns, min_cell: int, texts: VersionedTexts) -> ProportionRow:
    numerator, denominator, unknown = _count(spec, columns)
    suppressed = _small(numerator, min_cell) or _small(denominator - numerator, min_cell)
    proportion: float | None = None
    low: float | None = None
    high: float | None = None
    if denominator and not suppressed:
        proportion = numerator / denominator
        low, high = wilson_interval(numerator, denominator)
    return ProportionRow(
        id=spec.id,
        label=texts.pair("rows", spec.id, "label"),
        population=spec.population,
        numerator=None if suppressed else numerator,
        denominator=denominator,
        unknown=unknown,
        proportion=proportion,
        ci_low=low,
        ci_high=high,
        suppressed=suppressed,
        definition=texts.pair("rows", spec.id, "definition"),
    )


def _finite(value: Any) -> float | None:
    number = float(value)
    return number if math.isfinite(number) else None


def _comparison(
    spec: _ComparisonSpec, columns: _Columns, min_cell: int, texts: VersionedTexts
) -> Comparison:
    cells = [0, 0, 0, 0]  # a_yes, a_no, b_yes, b_no
    pairs = Counter(zip(columns(spec.group.variable), columns(spec.result.variable), strict=True))
    for (group, result), n in pairs.items():
        if group is not None and result is not None:
            in_b, no = not spec.group.test(group), not spec.result.test(result)
            cells[2 * in_b + no] += n
    a_yes, a_no, b_yes, b_no = cells
    suppressed = any(_small(cell, min_cell) for cell in cells)
    odds_ratio: float | None = None
    p_value: float | None = None
    # With an empty group there is nothing to compare: scipy would say p = 1.
    if not suppressed and a_yes + a_no > 0 and b_yes + b_no > 0:
        from scipy.stats import fisher_exact

        test = fisher_exact([[a_yes, a_no], [b_yes, b_no]], alternative="two-sided")
        odds_ratio = _finite(test.statistic)
        p_value = _finite(test.pvalue)
    table: tuple[tuple[int | None, int | None], tuple[int | None, int | None]] = (
        ((None, None), (None, None)) if suppressed else ((a_yes, a_no), (b_yes, b_no))
    )
    return Comparison(
        id=spec.id,
        label=texts.pair("comparisons", spec.id, "label"),
        outcome=texts.pair("comparisons", spec.id, "outcome"),
        group_a=texts.pair("comparisons", spec.id, "group_a"),
        group_b=texts.pair("comparisons", spec.id, "group_b"),
        table=table,
        odds_ratio=odds_ratio,
        p_value=p_value,
        suppressed=suppressed,
    )


def _codebook_version(cases: Sequence[CodedCase]) -> str:
    versions = sorted({case.codebook_version for case in cases})
    if not versions:
        return CURRENT_CODEBOOK_VERSION
    if len(versions) > 1:
        raise InputError(
            f"the cases were coded with different codebook versions ({', '.join(versions)}): "
            "their statistics cannot be combined",
            hint="compute the statistics per codebook version",
        )
    return versions[0]


def compute_statistics(cases: Iterable[CodedCase], *, min_cell: int = 0) -> CaseStatistics:
    """All statistics of a cohort of coded cases.

    The recruitment period follows the same ``min_cell`` N: its Kaplan-Meier curve stops
    where fewer than N victims are at risk, and a median of fewer than N victims (of a
    year, or of all) is withheld (see :func:`~ketenbeeld.cases.survival.recruitment_summary`).

    Args:
        cases: validated coded cases (see :func:`ketenbeeld.cases.validate.validate_case`).
        min_cell: small-cell threshold N; a headline row whose numerator or complement,
            and a comparison any of whose cells, is 1 .. N-1 is withheld (0 or 1: none).

    Returns:
        The headline rows (in :data:`ROW_IDS` order), the recruitment period and its
        trend, the comparisons (in :data:`COMPARISON_IDS` order), counts, the codebook
        version, the version of the statistics definitions (labels and definitions) and
        the cohort fingerprint. An empty cohort gives zero counts and ``None`` shares,
        never an error.

    Raises:
        InputError: ``min_cell`` is negative, or the cases use several codebook versions.
        ConfigError: the built-in statistics definitions are invalid.

    Example:
        >>> stats = compute_statistics([])
        >>> (stats.n_cases, stats.row("victims_minor").proportion)
        (0, None)
    """
    if min_cell < 0:
        raise InputError("min_cell must be 0 or more", hint="use 0 for no suppression")
    cohort = list(cases)
    codebook_version = _codebook_version(cohort)
    texts = load_statistics_texts()
    perpetrators = [p for case in cohort for p in case.perpetrators]
    victims = [v for case in cohort for v in case.victims]
    columns = {"perpetrators": _Columns(perpetrators), "victims": _Columns(victims)}
    rows = tuple(_row(spec, columns[spec.population], min_cell, texts) for spec in _ROWS)
    comparisons = tuple(
        _comparison(spec, columns["victims"], min_cell, texts) for spec in _COMPARISONS
    )
    durations = recruitment_durations(cohort)
    log.debug(
        "computed statistics for %d cases, %d perpetrators, %d victims",
        len(cohort),
        len(perpetrators),
        len(victims),
    )
    return CaseStatistics(
        rows=rows,
        recruitment=recruitment_summary(durations, min_cell=min_cell),
        trend=recruitment_trend(durations, min_cell=min_cell),
        comparisons=comparisons,
        n_cases=len(cohort),
        n_perpetrators=len(perpetrators),
        n_victims=len(victims),
        min_cell=min_cell,
        codebook_version=codebook_version,
        fingerprint=cohort_fingerprint(cohort),
        statistics_version=texts.version,
    )


def _cell(value: int | float | None) -> str:
    return "" if value is None else repr(value)


def statistics_to_csv(stats: CaseStatistics, *, lang: str = "nl") -> str:
    """The headline rows as CSV text.

    Columns: ``id,label,numerator,denominator,unknown,proportion,ci_low,ci_high,
    suppressed``. Proportions and bounds are fractions 0-1 at full precision; a
    ``None`` (suppressed or not computable) is an empty field; ``suppressed`` is
    ``true`` or ``false``. Lines end in ``\\n``.

    Args:
        stats: the result of :func:`compute_statistics`.
        lang: language of the labels, ``nl`` (default) or ``en``.

    Returns:
        The CSV text with a header line.

    Raises:
        ValueError: ``lang`` is not ``nl`` or ``en``.

    Example:
        >>> statistics_to_csv(compute_statistics([]), lang="en").splitlines()[1]
        'perpetrators_aged_18_29,Perpetrators aged 18-29,0,0,0,,,,false'
    """
    if lang not in ("nl", "en"):
        raise ValueError("lang must be nl or en")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for row in stats.rows:
        writer.writerow(
            (
                row.id,
                row.label[lang],
                _cell(row.numerator),
                row.denominator,
                row.unknown,
                _cell(row.proportion),
                _cell(row.ci_low),
                _cell(row.ci_high),
                "true" if row.suppressed else "false",
            )
        )
    return out.getvalue()
