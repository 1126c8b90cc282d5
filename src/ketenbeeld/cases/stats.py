"""The study's statistics of a cohort of coded cases.

:func:`compute_statistics` gives the headline shares (with 95% Wilson intervals), the
group comparisons (Fisher's exact test), the recruitment period (Kaplan-Meier) and
its trend (Cox), as a :class:`~ketenbeeld.cases.results.CaseStatistics`.

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
from typing import Any

from ketenbeeld.cases.codebook import CURRENT_CODEBOOK_VERSION
from ketenbeeld.cases.model import CodedCase, cohort_fingerprint
from ketenbeeld.cases.results import CaseStatistics, Comparison, ProportionRow
from ketenbeeld.cases.survival import (
    recruitment_durations,
    recruitment_summary,
    recruitment_trend,
)
from ketenbeeld.errors import InputError

# scipy.stats and statsmodels are imported where they are used: they take over a
# second to import, which every CLI command would otherwise pay.

__all__ = [
    "COMPARISON_IDS",
    "CSV_HEADER",
    "ROW_IDS",
    "compute_statistics",
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


def _nl_en(nl: str, en: str) -> dict[str, str]:
    return {"nl": nl, "en": en}


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
    id: str
    population: str
    label: dict[str, str]
    definition: dict[str, str]
    value: _Test
    among: _Test | None = None  # only persons for whom this is known and true


_FORCED_7 = _between("recruitment_days", None, 7)
_ONLINE = _one_of("first_contact_channel", "online")
_CARE_OR_HOMELESS = _one_of("living_situation", "care_institution", "homeless")
_MINOR = _between("age_at_start", None, 17)
_CONTACT_AFTER = _flag("contact_after_exploitation", True)

_ROWS = (
    _RowSpec(
        "perpetrators_aged_18_29",
        "perpetrators",
        _nl_en("Daders van 18 tot en met 29 jaar", "Perpetrators aged 18-29"),
        _nl_en(
            "Daders die bij aanvang van het delict 18 tot en met 29 jaar oud waren, "
            "van de daders van wie de leeftijd bij aanvang bekend is.",
            "Perpetrators aged 18 to 29 inclusive when the offence began, of the "
            "perpetrators whose age at the start is known.",
        ),
        _between("age_at_start", 18, 29),
    ),
    _RowSpec(
        "perpetrators_without_diploma",
        "perpetrators",
        _nl_en("Daders zonder startkwalificatie", "Perpetrators without a basic qualification"),
        _nl_en(
            "Daders zonder startkwalificatie (havo, vwo of mbo niveau 2 of hoger), van "
            "de daders van wie het dossier vastlegt of zij die hebben.",
            "Perpetrators without a basic qualification (startkwalificatie: havo, vwo "
            "or mbo level 2 or higher), of the perpetrators whose file settles it.",
        ),
        _flag("has_diploma", False),
    ),
    _RowSpec(
        "perpetrators_with_debts",
        "perpetrators",
        _nl_en("Daders met schulden", "Perpetrators with debts"),
        _nl_en(
            "Daders met schulden ten tijde van het delict, van de daders van wie het "
            "dossier dit vastlegt.",
            "Perpetrators with debts at the time of the offence, of the perpetrators "
            "whose file settles it.",
        ),
        _flag("has_debts", True),
    ),
    _RowSpec(
        "perpetrators_with_addiction",
        "perpetrators",
        _nl_en("Daders met een verslaving", "Perpetrators with an addiction"),
        _nl_en(
            "Daders met een verslavingsprobleem, nu of eerder, van de daders van wie "
            "het dossier dit vastlegt.",
            "Perpetrators with an addiction problem, current or past, of the "
            "perpetrators whose file settles it.",
        ),
        _flag("has_addiction", True),
    ),
    _RowSpec(
        "perpetrators_known_to_police",
        "perpetrators",
        _nl_en(
            "Daders eerder bekend bij politie of justitie",
            "Perpetrators known to police or justice before",
        ),
        _nl_en(
            "Daders die vóór dit onderzoek bekend waren bij politie of justitie, van de "
            "daders van wie het dossier dit vastlegt.",
            "Perpetrators known to the police or justice before this investigation, "
            "of the perpetrators whose file settles it.",
        ),
        _flag("known_to_police_before", True),
    ),
    _RowSpec(
        "perpetrators_known_to_care",
        "perpetrators",
        _nl_en(
            "Daders eerder bekend bij zorgorganisaties",
            "Perpetrators known to care organisations before",
        ),
        _nl_en(
            "Daders die eerder bekend waren bij zorgorganisaties (jeugdzorg, ggz, "
            "maatschappelijke dienstverlening), van de daders van wie het dossier dit "
            "vastlegt.",
            "Perpetrators known to care organisations (youth care, mental health, "
            "social services) before, of the perpetrators whose file settles it.",
        ),
        _flag("known_to_care_before", True),
    ),
    _RowSpec(
        "victims_minor",
        "victims",
        _nl_en("Minderjarige slachtoffers", "Minor victims"),
        _nl_en(
            "Slachtoffers die bij het eerste gedwongen sekswerk jonger dan 18 jaar "
            "waren, van de slachtoffers van wie die leeftijd bekend is.",
            "Victims under 18 at the first forced sex work, of the victims whose age "
            "then is known.",
        ),
        _MINOR,
    ),
    _RowSpec(
        "victims_in_care_or_homeless",
        "victims",
        _nl_en(
            "Slachtoffers in een zorginstelling of dakloos",
            "Victims in a care institution or homeless",
        ),
        _nl_en(
            "Slachtoffers die bij het eerste contact met de dader in een "
            "(jeugd)zorginstelling woonden of dakloos waren, van de slachtoffers van wie "
            "de woonsituatie toen bekend is.",
            "Victims who lived in a (youth) care institution or were homeless at first "
            "contact with the perpetrator, of the victims whose living situation then is "
            "known.",
        ),
        _CARE_OR_HOMELESS,
    ),
    _RowSpec(
        "victims_first_contact_online",
        "victims",
        _nl_en("Slachtoffers met eerste contact online", "Victims first contacted online"),
        _nl_en(
            "Slachtoffers van wie het eerste contact met de dader online was, van de "
            "slachtoffers van wie het kanaal van het eerste contact bekend is.",
            "Victims whose first contact with the perpetrator was online, of the "
            "victims whose channel of first contact is known.",
        ),
        _ONLINE,
    ),
    _RowSpec(
        "victims_unknown_to_perpetrator",
        "victims",
        _nl_en(
            "Slachtoffers die de dader vooraf niet kenden",
            "Victims who did not know the perpetrator before",
        ),
        _nl_en(
            "Slachtoffers die de dader niet kenden voordat de werving begon, van de "
            "slachtoffers van wie het dossier dit vastlegt.",
            "Victims who did not know the perpetrator before the recruitment began, of "
            "the victims whose file settles it.",
        ),
        _flag("knew_perpetrator_before", False),
    ),
    _RowSpec(
        "victims_unknown_met_online",
        "victims",
        _nl_en(
            "Dader vooraf onbekend: eerste contact online",
            "Perpetrator unknown before: first contact online",
        ),
        _nl_en(
            "Van de slachtoffers die de dader vooraf niet kenden: zij met eerste "
            "contact online, van hen van wie het kanaal van het eerste contact bekend is.",
            "Of the victims who did not know the perpetrator before: those first "
            "contacted online, of those whose channel of first contact is known.",
        ),
        _ONLINE,
        _flag("knew_perpetrator_before", False),
    ),
    _RowSpec(
        "victims_forced_within_7_days",
        "victims",
        _nl_en("Slachtoffers binnen 7 dagen gedwongen", "Victims forced within 7 days"),
        _nl_en(
            "Slachtoffers die binnen 7 dagen (0 tot en met 7) na het eerste contact "
            "voor het eerst gedwongen sekswerk deden, van de slachtoffers van wie de "
            "wervingsperiode op de dag bekend is; een gecensureerde periode telt als "
            "onbekend.",
            "Victims first forced into sex work within 7 days (0 to 7) of first "
            "contact, of the victims whose recruitment period is known to the day; a "
            "censored period counts as unknown.",
        ),
        _FORCED_7,
    ),
    _RowSpec(
        "victims_forced_within_30_days",
        "victims",
        _nl_en("Slachtoffers binnen 30 dagen gedwongen", "Victims forced within 30 days"),
        _nl_en(
            "Slachtoffers die binnen 30 dagen (0 tot en met 30) na het eerste contact "
            "voor het eerst gedwongen sekswerk deden, van de slachtoffers van wie de "
            "wervingsperiode op de dag bekend is; een gecensureerde periode telt als "
            "onbekend.",
            "Victims first forced into sex work within 30 days (0 to 30) of first "
            "contact, of the victims whose recruitment period is known to the day; a "
            "censored period counts as unknown.",
        ),
        _between("recruitment_days", None, 30),
    ),
    _RowSpec(
        "victims_contact_after",
        "victims",
        _nl_en(
            "Slachtoffers met contact na de uitbuiting",
            "Victims with contact after the exploitation",
        ),
        _nl_en(
            "Slachtoffers met wie de dader contact hield nadat de uitbuiting was "
            "beëindigd, van de slachtoffers van wie het dossier dit vastlegt.",
            "Victims with whom the perpetrator kept contact after the exploitation "
            "ended, of the victims whose file settles it.",
        ),
        _CONTACT_AFTER,
    ),
)

#: The headline row ids, in table order.
ROW_IDS = tuple(spec.id for spec in _ROWS)


@dataclass(frozen=True)
class _ComparisonSpec:
    id: str
    label: dict[str, str]
    outcome: dict[str, str]
    group_a: dict[str, str]
    group_b: dict[str, str]
    group: _Test  # true: group a, false: group b, null: not in the table
    result: _Test


_OUT_FORCED_7 = _nl_en("Binnen 7 dagen gedwongen", "Forced within 7 days")
_OUT_CONTACT = _nl_en("Contact na de uitbuiting", "Contact after the exploitation")
_G_ONLINE = _nl_en("Eerste contact online", "First contact online")
_G_OFFLINE = _nl_en("Eerste contact offline", "First contact offline")

_COMPARISONS = (
    _ComparisonSpec(
        "compare_channel",
        _nl_en(
            "Binnen 7 dagen gedwongen: eerste contact online of offline",
            "Forced within 7 days: first contact online or offline",
        ),
        _OUT_FORCED_7,
        _G_ONLINE,
        _G_OFFLINE,
        _ONLINE,
        _FORCED_7,
    ),
    _ComparisonSpec(
        "compare_living_situation",
        _nl_en(
            "Binnen 7 dagen gedwongen: zorginstelling of dakloos tegenover andere woonsituatie",
            "Forced within 7 days: care institution or homeless versus other living situation",
        ),
        _OUT_FORCED_7,
        _nl_en("Zorginstelling of dakloos", "Care institution or homeless"),
        _nl_en("Andere woonsituatie", "Other living situation"),
        _CARE_OR_HOMELESS,
        _FORCED_7,
    ),
    _ComparisonSpec(
        "compare_minor",
        _nl_en(
            "Binnen 7 dagen gedwongen: minderjarige of meerderjarige slachtoffers",
            "Forced within 7 days: minor or adult victims",
        ),
        _OUT_FORCED_7,
        _nl_en("Minderjarig", "Minor"),
        _nl_en("Meerderjarig", "Adult"),
        _MINOR,
        _FORCED_7,
    ),
    _ComparisonSpec(
        "compare_channel_contact_after",
        _nl_en(
            "Contact na de uitbuiting: eerste contact online of offline",
            "Contact after the exploitation: first contact online or offline",
        ),
        _OUT_CONTACT,
        _G_ONLINE,
        _G_OFFLINE,
        _ONLINE,
        _CONTACT_AFTER,
    ),
)

#: The group comparison ids, in order.
COMPARISON_IDS = tuple(spec.id for spec in _COMPARISONS)


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


def _row(spec: _RowSpec, columns: _Columns, min_cell: int) -> ProportionRow:
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
        label=dict(spec.label),
        population=spec.population,
        numerator=None if suppressed else numerator,
        denominator=denominator,
        unknown=unknown,
        proportion=proportion,
        ci_low=low,
        ci_high=high,
        suppressed=suppressed,
        definition=dict(spec.definition),
    )


def _finite(value: Any) -> float | None:
    number = float(value)
    return number if math.isfinite(number) else None


def _comparison(spec: _ComparisonSpec, columns: _Columns, min_cell: int) -> Comparison:
    a_yes = a_no = b_yes = b_no = 0
    pairs = Counter(zip(columns(spec.group.variable), columns(spec.result.variable), strict=True))
    for (group, result), n in pairs.items():
        if group is None or result is None:
            continue
        in_a = spec.group.test(group)
        yes = spec.result.test(result)
        if in_a and yes:
            a_yes += n
        elif in_a:
            a_no += n
        elif yes:
            b_yes += n
        else:
            b_no += n
    cells = (a_yes, a_no, b_yes, b_no)
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
        label=dict(spec.label),
        outcome=dict(spec.outcome),
        group_a=dict(spec.group_a),
        group_b=dict(spec.group_b),
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

    Args:
        cases: validated coded cases (see :func:`ketenbeeld.cases.validate.validate_case`).
        min_cell: small-cell threshold N; a headline row whose numerator or complement,
            and a comparison any of whose cells, is 1 .. N-1 is withheld (0 or 1: none).

    Returns:
        The headline rows (in :data:`ROW_IDS` order), the recruitment period and its
        trend, the comparisons (in :data:`COMPARISON_IDS` order), counts, the codebook
        version and the cohort fingerprint. An empty cohort gives zero counts and
        ``None`` shares, never an error.

    Raises:
        InputError: ``min_cell`` is negative, or the cases use several codebook versions.

    Example:
        >>> stats = compute_statistics([])
        >>> (stats.n_cases, stats.row("victims_minor").proportion)
        (0, None)
    """
    if min_cell < 0:
        raise InputError("min_cell must be 0 or more", hint="use 0 for no suppression")
    cohort = list(cases)
    codebook_version = _codebook_version(cohort)
    perpetrators = [p for case in cohort for p in case.perpetrators]
    victims = [v for case in cohort for v in case.victims]
    columns = {"perpetrators": _Columns(perpetrators), "victims": _Columns(victims)}
    rows = tuple(_row(spec, columns[spec.population], min_cell) for spec in _ROWS)
    comparisons = tuple(_comparison(spec, columns["victims"], min_cell) for spec in _COMPARISONS)
    durations = recruitment_durations(cohort)
    log.debug(
        "computed statistics for %d cases, %d perpetrators, %d victims",
        len(cohort),
        len(perpetrators),
        len(victims),
    )
    return CaseStatistics(
        rows=rows,
        recruitment=recruitment_summary(durations),
        trend=recruitment_trend(durations, min_cell=min_cell),
        comparisons=comparisons,
        n_cases=len(cohort),
        n_perpetrators=len(perpetrators),
        n_victims=len(victims),
        min_cell=min_cell,
        codebook_version=codebook_version,
        fingerprint=cohort_fingerprint(cohort),
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
