"""A seeded synthetic Dutch population, in households, for record-linkage tests.

SYNTHETIC DATA ONLY. Names are drawn at random from lists of common given names and
surnames (``synth/data/dutch_names.yaml``), addresses from a made-up but internally
consistent table of cities and 4-digit postcode areas, and every BSN is a random
number that passes the 11-proef (whether a real person holds it cannot be known; no
register was consulted). No record describes a real person, and every id starts
with ``SYN-``. There is no origin or ethnicity attribute: names of every origin are
mixed in one list per table, as they are mixed in the Dutch population.

How the population is drawn (chosen to look plausible, not fitted to statistics):

- Households of 1-5 persons (40, 28, 20, 9 and 3 %). A household of two or more has
  one parent with probability 0.45 (last in the household, 20-35 years older than
  the oldest child and at most 60; where that leaves less than 18 years, one more
  sibling instead); the others are children, youngest first, 1-5 years apart or
  twins (4 % of the gaps: same date of birth). Members share the postcode,
  house number and surname; a mother keeps her own surname half of the time.
- Ages on :data:`REFERENCE_DATE` are 10-60 (whole years): persons alone peak
  around 19, the youngest child around 15; the median is about 20 and four in five
  are younger than 30, as in the chain's caseload of youth and young adults.
- Gender ``"m"`` (49 %), ``"v"`` (vrouw, 50 %) or ``"x"`` (1 %), the values of Dutch
  documents. Persons of gender ``"x"`` get a name from either list.
- First names by gender with probability proportional to ``1 / (rank + 25)``;
  siblings never share one. Half of the households have a surname from the list,
  proportional to ``1 / (rank + 40)`` (``de Jong`` about 0.5 % of persons), the
  other half a rare one built from syllables (``Hoogenkamp``, ``ter Walveld``).
  About 27 % of the persons carry a tussenvoegsel (``van der``, ``de``, ``ter``...).
- Postcodes ``1234 AB`` from the city's areas, letters without F, I, O, Q, U, Y and
  never SA, SD or SS; house numbers ``12``, ``12a`` or ``12-2``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

import numpy as np

from ketenbeeld.synth._tables import (
    FloatArray,
    NameTables,
    check_whole,
    draw_addresses,
    load_name_tables,
    weights,
    zipf,
)

__all__ = ["REFERENCE_DATE", "Person", "generate_population"]

REFERENCE_DATE: Final = date(2025, 1, 1)
"""Ages are counted on this fixed date, so a seed gives the same population every year."""

_HOUSEHOLD_SIZE_P: Final = (0.40, 0.28, 0.20, 0.09, 0.03)  # 1..5 persons
_P_PARENT: Final = 0.45  # a household of 2+ has one parent and children
_P_OWN_SURNAME: Final = 0.5  # a mother keeps her own surname
_GENDER_P: Final = {"m": 0.49, "v": 0.50, "x": 0.01}
# Sibling age gaps in years; 0 is a twin (same date of birth).
_SIBLING_GAP_P: Final = (0.04, 0.25, 0.30, 0.20, 0.12, 0.09)
_FIRST_ZIPF: Final = (1.0, 25.0)  # exponent, rank offset
_SURNAME_ZIPF: Final = (1.0, 40.0)
_RARE_SURNAME_SHARE: Final = 0.5
_P_RARE_PREFIX: Final = 0.35  # of rare surnames with a place-like ending
_RARE_PREFIXES: Final = {
    "van": 0.45, "van de": 0.12, "van der": 0.12, "van den": 0.12, "ter": 0.08, "ten": 0.06,
    "te": 0.05,
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Person:
    """One synthetic person: canonical values, as a population register would hold them.

    Attributes:
        person_id: ``SYN-P`` and a number; synthetic.
        household_id: ``SYN-H`` and a number; members share surname and address.
        first_name: given name (``Zoë``, ``Johannes``, ``Mohammed``).
        name_prefix: tussenvoegsel in lower case (``"van der"``), or ``""``.
        last_name: surname without the prefix (``"Berg"``).
        date_of_birth: the date of birth.
        gender: ``"m"``, ``"v"`` (vrouw) or ``"x"``.
        postcode: ``"1234 AB"``.
        house_number: ``"12"``, ``"12a"`` or ``"12-2"``.
        city: the city of the postcode area.
        bsn: 9 digits that pass the 11-proef; random, unique in the population.
    """

    person_id: str
    household_id: str
    first_name: str
    name_prefix: str
    last_name: str
    date_of_birth: date
    gender: str
    postcode: str
    house_number: str
    city: str
    bsn: str


def _age_table(low: int, high: int, peak: float, width: float, floor: float) -> FloatArray:
    ages = np.arange(low, high + 1, dtype=np.float64)
    return weights(np.exp(-0.5 * ((ages - peak) / width) ** 2) + floor)


def _surnames(rng: np.random.Generator, t: NameTables, size: int) -> list[tuple[str, str]]:
    """Zipf draws from the list; a share from syllables (``Hoogenkamp``, ``ter Walveld``)."""
    p_listed = zipf(len(t.surnames), *_SURNAME_ZIPF)
    listed: list[int] = rng.choice(len(t.surnames), size=size, p=p_listed).tolist()
    rare: list[bool] = (rng.random(size) < _RARE_SURNAME_SHARE).tolist()
    parts = [rng.integers(0, len(p), size=size).tolist() for p in (t.starts, t.middles, t.ends)]
    with_prefix: list[bool] = (rng.random(size) < _P_RARE_PREFIX).tolist()
    p_prefix = weights(list(_RARE_PREFIXES.values()))
    prefixes: list[str] = rng.choice(list(_RARE_PREFIXES), size=size, p=p_prefix).tolist()
    out: list[tuple[str, str]] = []
    for i, (s, m, e) in enumerate(zip(*parts, strict=True)):
        if not rare[i]:
            out.append(t.surnames[listed[i]])
            continue
        prefix = prefixes[i] if e < t.n_place_ends and with_prefix[i] else ""
        out.append((prefix, t.starts[s] + t.middles[m] + t.ends[e]))
    return out


def _bsns(rng: np.random.Generator, size: int) -> list[str]:
    """Unique random 9-digit numbers that pass the 11-proef (none can be known as real)."""
    factors = np.arange(9, 1, -1, dtype=np.int64)  # 9 * d1 + 8 * d2 + ... + 2 * d8
    numbers = np.zeros(0, dtype=np.int64)
    while len(numbers) < size:
        body = rng.integers(10_000_000, 100_000_000, size=(size - len(numbers)) * 6 // 5 + 16)
        digits = (body[:, None] // 10 ** np.arange(7, -1, -1, dtype=np.int64)) % 10
        check = (digits @ factors) % 11  # ... - 1 * d9 must be 0 mod 11
        numbers = np.concatenate((numbers, (body * 10 + check)[check < 10]))
        _, first = np.unique(numbers, return_index=True)
        numbers = numbers[np.sort(first)]  # without repeats, in the order drawn
    return [f"{number:09d}" for number in numbers[:size].tolist()]


def generate_population(n: int, seed: int) -> list[Person]:
    """Generate ``n`` synthetic Dutch persons in households, the same for the same seed.

    Args:
        n: number of persons (0 or more).
        seed: seed of :func:`numpy.random.default_rng` (0 or more).

    Returns:
        The persons, household by household (members next to each other), with
        ``person_id`` ``SYN-P000001``... in this order (at least six digits).

    Raises:
        InputError: an argument is out of range.

    Example:
        >>> people = generate_population(5, seed=3)
        >>> [p.person_id for p in people][:2]
        ['SYN-P000001', 'SYN-P000002']
        >>> people == generate_population(5, seed=3)
        True
    """
    check_whole("n", n)
    check_whole("seed", seed)
    t = load_name_tables()
    rng = np.random.default_rng(seed)
    sizes = rng.choice(len(_HOUSEHOLD_SIZE_P), size=n, p=_HOUSEHOLD_SIZE_P) + 1
    n_house = int(np.searchsorted(np.cumsum(sizes), n)) + 1 if n else 0
    sizes = sizes[:n_house]
    if n:
        sizes[-1] -= int(sizes.sum()) - n
    surnames = _surnames(rng, t, n_house)
    own_surnames = _surnames(rng, t, n_house)
    homes = draw_addresses(rng, t, rng.choice(len(t.cities), n_house, p=weights(t.city_weights)))
    single_age = rng.choice(np.arange(10, 61), n_house, p=_age_table(10, 60, 19, 6, 0.1))
    youngest = rng.choice(np.arange(10, 31), n_house, p=_age_table(10, 30, 15, 5, 0.05))
    parent_gap = rng.integers(20, 36, size=n_house)
    own_surname = rng.random(n_house) < _P_OWN_SURNAME
    has_parent = (rng.random(n_house) < _P_PARENT) & (sizes >= 2)
    gaps = rng.choice(len(_SIBLING_GAP_P), size=n, p=_SIBLING_GAP_P)
    genders: list[str] = rng.choice(list(_GENDER_P), size=n, p=list(_GENDER_P.values())).tolist()
    picks: dict[str, list[int]] = {
        g: rng.choice(len(names), n, p=zipf(len(names), *_FIRST_ZIPF)).tolist()
        for g, names in t.first_names.items()
    }
    x_list: list[str] = np.where(rng.random(n) < 0.5, "m", "v").tolist()
    day_u = rng.random(n)
    bsns = _bsns(rng, n)

    # Children come first in a household, youngest first; a parent last.
    house = np.repeat(np.arange(n_house), sizes)
    first = np.cumsum(sizes) - sizes
    position = np.arange(n) - first[house]
    is_parent = has_parent[house] & (position == sizes[house] - 1)
    step = np.where((position == 0) | is_parent, 0, gaps)
    climbed = np.cumsum(step)
    ages = np.minimum(60, youngest[house] + climbed - climbed[first[house]])
    ages = np.where(sizes[house] == 1, single_age[house], ages)
    twin = (step == 0) & (position > 0) & ~is_parent  # same date of birth as the one before
    oldest_child = np.concatenate(([0], ages[:-1]))
    parent_age = np.minimum(60, oldest_child + parent_gap[house])
    # Children too old for a parent aged up to 60: the "parent" is one more sibling.
    sibling = np.minimum(60, oldest_child + gaps)
    parent_age = np.where(parent_age - oldest_child < 18, sibling, parent_age)
    ages = np.where(is_parent, parent_age, ages)

    ref = np.datetime64(REFERENCE_DATE.isoformat(), "D").astype(np.int64)
    days = ref - np.floor((ages + day_u) * 365.2425).astype(np.int64)
    lowest = np.datetime64(REFERENCE_DATE.replace(year=REFERENCE_DATE.year - 61), "D")
    highest = np.datetime64(REFERENCE_DATE.replace(year=REFERENCE_DATE.year - 10), "D")
    days = np.clip(days, lowest.astype(np.int64) + 1, highest.astype(np.int64))
    for i in np.flatnonzero(twin).tolist():  # ascending, so triplets follow too
        days[i] = days[i - 1]
    epoch = date(1970, 1, 1).toordinal()
    births = [date.fromordinal(epoch + d) for d in days.tolist()]
    own = (is_parent & own_surname[house] & (np.asarray(genders) == "v")).tolist()
    width, h_width = max(6, len(str(n))), max(6, len(str(n_house)))
    people: list[Person] = []
    names_in_house: set[str] = set()
    for i, (h, pos, gender) in enumerate(
        zip(house.tolist(), position.tolist(), genders, strict=True)
    ):
        if pos == 0:
            names_in_house = set()
        listed = x_list[i] if gender == "x" else gender
        table, rank = t.first_names[listed], picks[listed][i]
        while table[rank] in names_in_house:  # siblings never share a first name
            rank = (rank + 1) % len(table)
        names_in_house.add(table[rank])
        postcode, house_number, city = homes[h]
        prefix, last = own_surnames[h] if own[i] else surnames[h]
        people.append(
            Person(
                person_id=f"SYN-P{i + 1:0{width}d}",
                household_id=f"SYN-H{h + 1:0{h_width}d}",
                first_name=table[rank],
                name_prefix=prefix,
                last_name=last,
                date_of_birth=births[i],
                gender=gender,
                postcode=postcode,
                house_number=house_number,
                city=city,
                bsn=bsns[i],
            )
        )
    return people
