"""Seeded synthetic cohorts of coded cases (codebook version 1).

Every record is fictional and marked so: ``case.synthetic`` is ``true``, every
``case_id`` starts with ``SYN-`` and every person carries a pseudonym such as
``Dader A3`` or ``Slachtoffer B7``. The cohorts serve demos, tests and benchmarks;
they are never real personal data.

The marginals follow the published figures in ``CONTEXT.md`` in expectation (a
cohort of 25 cases varies a lot around them). Shares are among the records whose
value is not ``null``: as in real files, about 1-10 % of each variable is left
unsettled, at random, so the shares among the known values keep their targets.

=========================================  ==========  ==================================
target                                     value       source sentence in CONTEXT.md
=========================================  ==========  ==================================
perpetrators aged 18-29                    0.72        "72% are aged 18-29"
perpetrators' mean age                     ~26.4       "perpetrators' mean age 26.4"
perpetrators without diploma               0.38        "over a third have no diploma"
perpetrators with debts                    0.67        "about two thirds had debts"
perpetrators with addiction                0.60 (*)    "most have (had) debts and
                                                       addiction problems"
perpetrators known to police before        0.75 (*)    "Most perpetrators were already
                                                       known to care organisations,
                                                       police and justice"
perpetrators known to care before          0.68        "68% were known to care
                                                       organisations"
victims aged up to 24                      13-24       "victims aged up to 24"
victims under 18                           0.50 (*)    "1,300 underage girls a year ...
                                                       the largest and least visible
                                                       group"
victims in a care institution or homeless  0.50        "Half of the exploited girls live
                                                       in a (care) institution or are
                                                       homeless"
victims who did not know the perpetrator   1/3         "A third of the victims did not
                                                       know the perpetrator beforehand"
... of those, first contact online         0.80        "of those, nearly 80% met the
                                                       perpetrator online"
victims forced within 7 days               0.50        "half of the victims were forced
                                                       into paid sex within a few days
                                                       to a week of first contact"
victims forced within 30 days              0.75        "three quarters of the victims
                                                       were exploited within a month"
recruitment period shrinks over the years  trend (*)   "The shrinking recruitment period
                                                       must be tracked over time."
contact kept after the exploitation        1/3         "Perpetrators keep contact with
                                                       one in three victims after the
                                                       exploitation ends."
cases with webcam exploitation             0.12 (*)    "Webcam sex is a blind spot for
                                                       investigators."
=========================================  ==========  ==================================

(*) the sentence gives no number; the value is our reading of it.

Not published, chosen to look plausible: 1-3 perpetrators per case (mean 1.6),
1-4 victims per case (mean 1.8), gender (mostly male perpetrators, ~90 %, and
female victims), roles, convictions, sentences, police units, platforms and
places of first contact, and the mix of date precision.

The recruitment period (days from first contact to first forced sex work) is drawn
from a quantile function that is log-linear between the anchors
``(0, 0.9 d)``, ``(p7, 8 d)``, ``(p30, 31 d)`` and ``(1, 183 d)``, so that exactly
a share ``p7`` is forced within 7 days and ``p30`` within 30 days. ``p7`` rises
from 0.42 in the first start year to 0.58 in the last and ``p30`` from 0.70 to
0.80: with start years spread evenly the cohort averages 0.50 and 0.75, and a
trend analysis finds the period shrinking. About 10 % of the victims have no
dated first forced sex work: a random subset, followed until an exact date
before the (hidden) forced date, so they are right-censored. Because the subset is
random, the shares among dated victims keep their targets; the censoring time is
not independent of the period, so a Kaplan-Meier median comes out a day or two
longer than the true one (7-8 days).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from ketenbeeld.cases.codebook import load_codebook
from ketenbeeld.cases.model import CodedCase, canonical_json
from ketenbeeld.cases.validate import validate_case
from ketenbeeld.errors import InputError, ValidationFailed

__all__ = ["generate_cohort", "generate_cohort_cases", "write_cohort_jsonl"]

_CODEBOOK_VERSION: Final = "1"
_MIN_YEAR: Final = 1990
# conviction_year is at most year_start + 3, and the codebook allows up to 2100.
_MAX_YEAR: Final = 2097

_IntArray = npt.NDArray[np.int64]
_FloatArray = npt.NDArray[np.float64]
_Columns = dict[str, list[Any]]

# --- case -------------------------------------------------------------------------
# Probability tables are value -> weight, in a fixed order (the draws depend on it).
_UNITS: Final = {
    "noord-nederland": 1.0, "oost-nederland": 1.0, "midden-nederland": 1.0,
    "noord-holland": 1.0, "amsterdam": 1.0, "den-haag": 1.0, "rotterdam": 1.0,
    "zeeland-west-brabant": 1.0, "oost-brabant": 1.0, "limburg": 1.0,
    "landelijke-eenheid": 0.4,
}  # fmt: skip
_N_PERPETRATORS_P: Final = (0.55, 0.30, 0.15)  # 1, 2, 3: mean 1.6
_N_VICTIMS_P: Final = (0.50, 0.28, 0.14, 0.08)  # 1..4: mean 1.8
# Conviction 1-3 years after the start: never before the first forced sex work.
_CONVICTION_DELAY_P: Final = (0.35, 0.40, 0.25)
# Independent chances per setting, in codebook order so the list is canonical.
_SETTINGS: Final = {
    "hotel": 0.65, "private_home": 0.55, "escort": 0.35, "window": 0.02, "club": 0.03,
    "webcam": 0.12,
}  # fmt: skip

# --- perpetrators ---------------------------------------------------------------
_ROLES_OTHER: Final = {"co_perpetrator": 0.45, "recruiter": 0.30, "facilitator": 0.25}
_P_GENDER: Final = {"male": 0.90, "female": 0.09, "other": 0.01}
# Independent chances, in codebook order; with an addiction, at least cannabis.
_ADDICTIONS: Final = {
    "cannabis": 0.70, "cocaine": 0.25, "alcohol": 0.35, "gambling": 0.15, "other": 0.05,
}  # fmt: skip

# --- victims --------------------------------------------------------------------
_V_AGES: Final = {
    13: 0.03, 14: 0.07, 15: 0.11, 16: 0.14, 17: 0.15,  # half are minors
    18: 0.13, 19: 0.10, 20: 0.08, 21: 0.07, 22: 0.05, 23: 0.04, 24: 0.03,
}  # fmt: skip
_V_GENDER: Final = {"female": 0.95, "male": 0.04, "other": 0.01}
# Half live in care or are homeless, among minors and adults alike.
_LIVING_MINOR: Final = {
    "with_parents": 0.42, "care_institution": 0.45, "homeless": 0.05, "independent": 0.0,
    "other": 0.08,
}  # fmt: skip
_LIVING_ADULT: Final = {
    "with_parents": 0.20, "care_institution": 0.25, "homeless": 0.25, "independent": 0.25,
    "other": 0.05,
}  # fmt: skip
_ONLINE_IF_UNKNOWN: Final = 0.80
_ONLINE_IF_KNOWN: Final = 0.25
_ONLINE_PLATFORMS: Final = {
    "snapchat": 0.38, "instagram": 0.27, "whatsapp": 0.10, "tiktok": 0.07,
    "dating_app": 0.06, "telegram": 0.05, "facebook": 0.04, "other_online": 0.03,
}  # fmt: skip
_OFFLINE_PLACES_KNOWN: Final = {
    "via_friend": 0.35, "school": 0.20, "social_event": 0.15, "care_institution": 0.10,
    "public_place": 0.08, "via_family": 0.07, "other_offline": 0.05,
}  # fmt: skip
_OFFLINE_PLACES_UNKNOWN: Final = {
    "public_place": 0.35, "social_event": 0.30, "via_friend": 0.20, "care_institution": 0.05,
    "other_offline": 0.10,
}  # fmt: skip
# Recruitment-period anchors (see the module docstring).
_P7_MID, _P7_SPREAD = 0.50, 0.16
_P30_MID, _P30_SPREAD = 0.75, 0.10
_LOG_D0: Final = math.log(0.9)
_LOG_D8: Final = math.log(8.0)
_LOG_D31: Final = math.log(31.0)
_LOG_DMAX: Final = math.log(183.0)
# Mix of date precision per victim (exact, month only, censored, contact undated).
_P_MONTH_ONLY: Final = 0.12
_P_CENSORED: Final = 0.10
_P_CONTACT_UNDATED: Final = 0.03
_P_DAYS_STATED: Final = 0.40  # month-only dates, but the file says "drie dagen later"

# Share of null ("the file does not settle it") per variable.
_NULL: Final[Mapping[str, float]] = {
    "police_unit": 0.02,
    "exploitation_settings": 0.05,
    "p_age": 0.04,
    "p_gender": 0.01,
    "role": 0.03,
    "has_diploma": 0.10,
    "has_debts": 0.08,
    "has_addiction": 0.07,
    "addiction_types": 0.10,
    "known_to_police_before": 0.05,
    "known_to_care_before": 0.08,
    "prior_convictions": 0.08,
    "sentence_months": 0.03,
    "v_age": 0.03,
    "v_gender": 0.01,
    "living_situation": 0.06,
    "knew_perpetrator_before": 0.06,
    "first_contact_channel": 0.05,
    "first_contact_platform": 0.08,
    "contact_after_exploitation": 0.08,
}


def _perpetrator_age_table() -> tuple[_IntArray, _FloatArray]:
    """Ages 16-45: 4 % minors, 72 % aged 18-29, the rest 30-45 tailing off (mean ~26.4)."""
    ages = np.arange(16, 46, dtype=np.int64)
    older = 0.96 ** np.arange(16, dtype=np.float64)
    weights = np.concatenate(([0.015, 0.025], np.full(12, 0.06), 0.24 * older / older.sum()))
    return ages, weights / weights.sum()


def _choice(rng: np.random.Generator, table: Mapping[str, float], size: int) -> list[str]:
    values = tuple(table)
    p = np.fromiter(table.values(), dtype=np.float64, count=len(values))
    picked = rng.choice(len(values), size=size, p=p / p.sum())
    return [values[i] for i in picked.tolist()]


def _nulls(rng: np.random.Generator, name: str, values: list[Any]) -> list[Any]:
    """``values`` with a random share ``_NULL[name]`` replaced by None (not settled)."""
    unsettled = (rng.random(len(values)) < _NULL[name]).tolist()
    return [None if gone else value for value, gone in zip(values, unsettled, strict=True)]


def _bernoulli(rng: np.random.Generator, p: float, size: int) -> list[bool]:
    draws: list[bool] = (rng.random(size) < p).tolist()
    return draws


def _subsets(
    rng: np.random.Generator, table: Mapping[str, float], size: int, fallback: str
) -> list[list[str]]:
    """Per record, each value with its own chance (codebook order); never empty."""
    hits = (rng.random((size, len(table))) < list(table.values())).tolist()
    names = tuple(table)
    return [[v for v, hit in zip(names, row, strict=True) if hit] or [fallback] for row in hits]


def _recruitment_days(u: _FloatArray, t: _FloatArray) -> _IntArray:
    """Days to first forced sex work from uniforms ``u``; ``t`` is 0 (first year) to 1."""
    p7 = _P7_MID + _P7_SPREAD * (t - 0.5)
    p30 = _P30_MID + _P30_SPREAD * (t - 0.5)
    log_days = np.where(
        u < p7,
        _LOG_D0 + u / p7 * (_LOG_D8 - _LOG_D0),
        np.where(
            u < p30,
            _LOG_D8 + (u - p7) / (p30 - p7) * (_LOG_D31 - _LOG_D8),
            _LOG_D31 + (u - p30) / (1.0 - p30) * (_LOG_DMAX - _LOG_D31),
        ),
    )
    return np.floor(np.exp(log_days)).astype(np.int64)


def _iso_days(days_since_epoch: _IntArray) -> list[str]:
    text: list[str] = days_since_epoch.astype("datetime64[D]").astype(str).tolist()
    return text


def _iso_months(days_since_epoch: _IntArray) -> list[str]:
    months = days_since_epoch.astype("datetime64[D]").astype("datetime64[M]")
    text: list[str] = months.astype(str).tolist()
    return text


def _pick(flags: list[bool], if_true: list[Any], if_false: list[Any]) -> list[Any]:
    return [a if flag else b for flag, a, b in zip(flags, if_true, if_false, strict=True)]


def _perpetrator_columns(rng: np.random.Generator, is_main: list[bool]) -> _Columns:
    """One list per perpetrator variable, for all perpetrators of the cohort at once."""
    size = len(is_main)
    ages, age_p = _perpetrator_age_table()
    age: list[int] = rng.choice(ages, size=size, p=age_p).tolist()
    roles = _pick(is_main, ["main"] * size, _choice(rng, _ROLES_OTHER, size))
    addicted = _nulls(rng, "has_addiction", _bernoulli(rng, 0.60, size))
    kinds = _nulls(rng, "addiction_types", _subsets(rng, _ADDICTIONS, size, "cannabis"))
    police = _nulls(rng, "known_to_police_before", _bernoulli(rng, 0.75, size))
    # Earlier convictions (any offence): 0 or more, mean 3, when known to police.
    priors = (rng.geometric(0.25, size=size) - 1).tolist()
    # Unconditional months: median 36 for the main perpetrator, 18 for the others.
    # Minors get youth detention; a few adults community service or a suspended term.
    scale = np.where(np.asarray(is_main, dtype=bool), 36.0, 18.0)
    months = np.rint(scale * np.exp(rng.normal(0.0, 0.5, size=size))).astype(np.int64)
    kind = rng.random(size).tolist()
    sentences = [
        ("youth_detention", min(m, 24)) if a < 18
        else ("suspended_only", 0) if k < 0.04
        else ("community_service", 0) if k < 0.08
        else ("prison", m)
        for a, k, m in zip(age, kind, months.tolist(), strict=True)
    ]  # fmt: skip
    sentences = _nulls(rng, "sentence_months", sentences)
    return {
        "age_at_start": _nulls(rng, "p_age", age),
        "gender": _nulls(rng, "p_gender", _choice(rng, _P_GENDER, size)),
        "role": _nulls(rng, "role", roles),
        "has_diploma": _nulls(rng, "has_diploma", _bernoulli(rng, 0.62, size)),
        "has_debts": _nulls(rng, "has_debts", _bernoulli(rng, 0.67, size)),
        "has_addiction": addicted,
        # Kinds only with an addiction, none without, unknown when that is unknown.
        "addiction_types": [
            kinds[i] if addicted[i] else [] if addicted[i] is False else None for i in range(size)
        ],
        "known_to_police_before": police,
        "known_to_care_before": _nulls(rng, "known_to_care_before", _bernoulli(rng, 0.68, size)),
        "prior_convictions": _nulls(
            rng,
            "prior_convictions",
            [None if k is None else p if k else 0 for p, k in zip(priors, police, strict=True)],
        ),
        "sentence_months": [None if s is None else s[1] for s in sentences],
        "sentence_type": [None if s is None else s[0] for s in sentences],
    }


def _victim_columns(rng: np.random.Generator, years: _IntArray, year_t: _FloatArray) -> _Columns:
    """One list per victim variable, for all victims; ``year_t``: 0 first year, 1 last."""
    size = len(years)
    age: list[int] = rng.choice(list(_V_AGES), size=size, p=list(_V_AGES.values())).tolist()
    minor = [a < 18 for a in age]
    living = _pick(minor, _choice(rng, _LIVING_MINOR, size), _choice(rng, _LIVING_ADULT, size))
    knew = _nulls(rng, "knew_perpetrator_before", _bernoulli(rng, 2.0 / 3.0, size))
    # First contact online: 80 % of those who did not know him, 25 % of the others.
    p_unknown_knew = (_ONLINE_IF_UNKNOWN + 2 * _ONLINE_IF_KNOWN) / 3
    p_online = [
        p_unknown_knew if k is None else _ONLINE_IF_KNOWN if k else _ONLINE_IF_UNKNOWN for k in knew
    ]
    online = (rng.random(size) < np.asarray(p_online)).tolist()
    offline = _pick(
        [k is False for k in knew],
        _choice(rng, _OFFLINE_PLACES_UNKNOWN, size),
        _choice(rng, _OFFLINE_PLACES_KNOWN, size),
    )
    place = _nulls(
        rng, "first_contact_platform", _pick(online, _choice(rng, _ONLINE_PLATFORMS, size), offline)
    )
    channel = _nulls(rng, "first_contact_channel", ["online" if o else "offline" for o in online])
    # A platform only with a known channel: validation would otherwise fill the channel in.
    place = [None if c is None else p for c, p in zip(channel, place, strict=True)]

    # Dates: first contact on a uniform day of the start year; forced `days` later.
    first = (years - 1970).astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64)
    after = (years - 1969).astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64)
    contact_day = first + np.floor(rng.random(size) * (after - first)).astype(np.int64)
    days = _recruitment_days(rng.random(size), year_t)
    forced_day = contact_day + days
    # Censored victims are followed until a day before the (unrecorded) forced date.
    followed_day = contact_day + np.floor(rng.random(size) * days).astype(np.int64)
    contact: list[str | None] = list(_iso_days(contact_day))
    forced: list[str | None] = list(_iso_days(forced_day))
    followed: list[str | None] = [None] * size
    stated: list[int | None] = days.tolist()
    precision = rng.random(size).tolist()
    told_days = _bernoulli(rng, _P_DAYS_STATED, size)
    contact_month, forced_month = _iso_months(contact_day), _iso_months(forced_day)
    followed_exact = _iso_days(followed_day)
    for i, u in enumerate(precision):
        if u < _P_CENSORED:
            forced[i], stated[i], followed[i] = None, None, followed_exact[i]
        elif u < _P_CENSORED + _P_MONTH_ONLY:
            contact[i], forced[i] = contact_month[i], forced_month[i]
            if not told_days[i]:
                stated[i] = None
        elif u < _P_CENSORED + _P_MONTH_ONLY + _P_CONTACT_UNDATED:
            contact[i], stated[i] = None, None
    return {
        "age_at_start": _nulls(rng, "v_age", age),
        "gender": _nulls(rng, "v_gender", _choice(rng, _V_GENDER, size)),
        "living_situation": _nulls(rng, "living_situation", living),
        "knew_perpetrator_before": knew,
        "first_contact_channel": channel,
        "first_contact_platform": place,
        "first_contact_date": contact,
        "first_forced_date": forced,
        "recruitment_days": stated,
        "followed_until_date": followed,
        "contact_after_exploitation": _nulls(
            rng, "contact_after_exploitation", _bernoulli(rng, 1.0 / 3.0, size)
        ),
    }


def _check_arguments(n_cases: int, seed: int, start_year: int, end_year: int) -> None:
    if isinstance(n_cases, bool) or not isinstance(n_cases, int) or n_cases < 0:
        raise InputError("n_cases must be a whole number of 0 or more")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise InputError("seed must be a whole number of 0 or more")
    for name, year in (("start_year", start_year), ("end_year", end_year)):
        if isinstance(year, bool) or not isinstance(year, int):
            raise InputError(f"{name} must be a whole number")
        if not _MIN_YEAR <= year <= _MAX_YEAR:
            raise InputError(f"{name} must be from {_MIN_YEAR} to {_MAX_YEAR}")
    if start_year > end_year:
        raise InputError("start_year must not be after end_year", hint="swap the two years")


def generate_cohort(
    n_cases: int, seed: int, *, start_year: int = 2015, end_year: int = 2020
) -> list[dict[str, Any]]:
    """Generate a synthetic cohort of coded-case documents (codebook version 1).

    The same arguments always give the same cohort. Each document gives every
    codebook variable (``None`` where the fictional file does not settle it) in
    canonical form, so it equals the document of its validated
    :class:`~ketenbeeld.cases.model.CodedCase`.

    Args:
        n_cases: number of cases (0 or more).
        seed: seed of :func:`numpy.random.default_rng` (0 or more).
        start_year: first year in which exploitation starts (``case.year_start``).
        end_year: last such year, inclusive; the recruitment period shrinks from
            ``start_year`` to ``end_year``.

    Returns:
        One dict per case with ``codebook_version``, ``case`` (``case_id`` like
        ``SYN-2017-0003``: start year and the case's 1-based number, zero-padded to
        at least four digits; ``synthetic`` true), ``perpetrators``, ``victims`` and an
        empty ``evidence`` list, in case order.

    Raises:
        InputError: an argument is out of range.

    Example:
        >>> cases = generate_cohort(3, seed=7)
        >>> [c["case"]["case_id"].startswith("SYN-") for c in cases]
        [True, True, True]
        >>> cases == generate_cohort(3, seed=7)
        True
    """
    _check_arguments(n_cases, seed, start_year, end_year)
    rng = np.random.default_rng(seed)
    n = n_cases
    # Every draw is a whole array, in a fixed order: fast, and the same seed always
    # gives the same cohort. The loop below only links and assembles the records.
    years = rng.integers(start_year, end_year + 1, size=n, dtype=np.int64)
    span = end_year - start_year
    year_t = (years - start_year) / span if span else np.full(n, 0.5)
    units = _nulls(rng, "police_unit", _choice(rng, _UNITS, n))
    delays = rng.choice(len(_CONVICTION_DELAY_P), size=n, p=_CONVICTION_DELAY_P)
    conviction_years = (years + 1 + delays).tolist()
    settings = _nulls(rng, "exploitation_settings", _subsets(rng, _SETTINGS, n, "hotel"))
    n_perp = rng.choice(len(_N_PERPETRATORS_P), size=n, p=_N_PERPETRATORS_P) + 1
    n_vict = rng.choice(len(_N_VICTIMS_P), size=n, p=_N_VICTIMS_P) + 1
    is_main = [j == 0 for k in n_perp.tolist() for j in range(k)]
    perps = _perpetrator_columns(rng, is_main)
    v_case = np.repeat(np.arange(n), n_vict)
    victs = _victim_columns(rng, years[v_case], year_t[v_case])
    # A victim is exploited by the main perpetrator and by each other one with p 0.6.
    co_exploits = (rng.random((len(v_case), len(_N_PERPETRATORS_P) - 1)) < 0.6).tolist()

    width = max(4, len(str(n)))
    cases: list[dict[str, Any]] = []
    pi = vi = 0
    for ci, (year, k_perp, k_vict) in enumerate(
        zip(years.tolist(), n_perp.tolist(), n_vict.tolist(), strict=True)
    ):
        number = ci + 1
        links = [
            [0, *(m for m in range(1, k_perp) if co_exploits[vi + j][m - 1])] for j in range(k_vict)
        ]
        for m in range(1, k_perp):
            # Every perpetrator was convicted for at least one victim.
            if not any(m in linked for linked in links):
                links[-1].append(m)
        victims: list[dict[str, Any]] = []
        for j, linked in enumerate(links):
            victim: dict[str, Any] = {
                "vid": f"V{j + 1}",
                "label": f"Slachtoffer {chr(65 + j)}{number}",
            }
            victim.update((name, column[vi + j]) for name, column in victs.items())
            victim["perpetrators"] = [f"P{m + 1}" for m in sorted(linked)]
            victims.append(victim)
        perpetrators: list[dict[str, Any]] = []
        for j in range(k_perp):
            perpetrator: dict[str, Any] = {
                "pid": f"P{j + 1}",
                "label": f"Dader {chr(65 + j)}{number}",
            }
            perpetrator.update((name, column[pi + j]) for name, column in perps.items())
            perpetrator["n_victims"] = sum(1 for linked in links if j in linked)
            perpetrators.append(perpetrator)
        pi += k_perp
        vi += k_vict
        cases.append(
            {
                "codebook_version": _CODEBOOK_VERSION,
                "case": {
                    "case_id": f"SYN-{year}-{number:0{width}d}",
                    "year_start": year,
                    "police_unit": units[ci],
                    "conviction_year": conviction_years[ci],
                    "exploitation_settings": settings[ci],
                    "synthetic": True,
                },
                "perpetrators": perpetrators,
                "victims": victims,
                "evidence": [],
            }
        )
    return cases


def generate_cohort_cases(
    n_cases: int, seed: int, *, start_year: int = 2015, end_year: int = 2020
) -> list[CodedCase]:
    """Generate a synthetic cohort and validate every case against codebook 1.

    Args:
        n_cases: number of cases (0 or more).
        seed: seed of :func:`numpy.random.default_rng` (0 or more).
        start_year: first ``case.year_start``.
        end_year: last ``case.year_start``, inclusive.

    Returns:
        The validated cases, in the order of :func:`generate_cohort`.

    Raises:
        InputError: an argument is out of range.
        ValidationFailed: a generated case does not validate (a bug in the generator
            or a codebook it does not fit); lists every problem.

    Example:
        >>> [c.case_id for c in generate_cohort_cases(2, seed=1, start_year=2019)]
        ['SYN-2019-0001', 'SYN-2020-0002']
    """
    codebook = load_codebook(_CODEBOOK_VERSION)
    out: list[CodedCase] = []
    for index, raw in enumerate(
        generate_cohort(n_cases, seed, start_year=start_year, end_year=end_year), start=1
    ):
        case, problems = validate_case(
            raw, codebook, source="synthetic cohort", location=f"record {index}"
        )
        if case is None:
            raise ValidationFailed(problems, what="the synthetic cohort does not fit the codebook")
        out.append(case)
    return out


def write_cohort_jsonl(cases: Iterable[Mapping[str, Any] | CodedCase], path: str | Path) -> int:
    """Write cases as JSONL: one canonical JSON object per line, UTF-8, sorted keys.

    Args:
        cases: case documents (as from :func:`generate_cohort`) or validated
            :class:`~ketenbeeld.cases.model.CodedCase` objects.
        path: the file to write; it is replaced if it exists.

    Returns:
        The number of lines (cases) written.

    Example:
        >>> import tempfile, pathlib
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "cohort.jsonl"
        >>> write_cohort_jsonl(generate_cohort(2, seed=3), target)
        2
    """
    lines: list[str] = []
    for case in cases:
        document = case.to_document() if isinstance(case, CodedCase) else case
        lines.append(canonical_json(document))
    text = "".join(f"{line}\n" for line in lines)
    Path(path).write_text(text, encoding="utf-8", newline="\n")
    return len(lines)
