"""Two organisations' person files with realistic errors, and the truth about them.

SYNTHETIC DATA ONLY: the rows copy persons of
:func:`~ketenbeeld.synth.persons.generate_population`, who are not real.

:func:`make_linkage_files` puts a share ``overlap`` of the persons in both files A
and B (of the rest, half in A only and half in B only). It writes each copy with its
own independent errors, shuffles the rows and numbers them ``A000001``, ``B000001``...
in file order, so an id says nothing about the person, the household or the pairing.
Because households are split at random too, siblings and twins end up in different
files: the result's ``household_pairs`` are such near-duplicates (same surname and
address, sometimes the same date of birth) that must *not* be linked.

The rows have the columns of the DESIGN.md ``dutch-person`` schema
(:data:`PERSON_COLUMNS`), all text. Error rates per copy at ``error_rate=1.0``
(:data:`ERROR_RATES`; every rate is multiplied by ``error_rate`` and capped at 1, and
``error_rate=0`` writes every copy with the person's canonical values). A rate "of X"
applies only to the copies where the error is possible; the others apply to all.

=========================  =====  ===================================================
kind                       rate   what happens
=========================  =====  ===================================================
``moved``                  0.080  of copies in file B: another address (60 % in the
                                  same city)
``nickname``               0.250  of copies whose first name has a short form:
                                  ``Johannes`` -> ``Hans``, ``Daniël`` -> ``Daan``
``initial``                0.020  first name as its initial: ``J.``
``first_name_typo``        0.030  one letter substituted, deleted, inserted, or two
                                  transposed (not in an initial)
``last_name_typo``         0.030  the same in the surname (without the prefix)
``prefix_missing``         0.060  of copies with a tussenvoegsel: prefix left out
``prefix_merged``          0.030  of those: ``Vanderberg``, ``vd Berg``, ``v.d. Berg``
                                  in ``last_name``, prefix empty
``prefix_in_last_name``    0.050  of those: ``van der Berg`` or ``Van der Berg`` in
                                  ``last_name``, prefix empty
``prefix_inverted``        0.020  of those: ``Berg, van der`` in ``last_name``,
                                  prefix empty
``names_swapped``          0.005  first and last name in each other's column
``accents_stripped``       0.400  of copies with an accent: ``Zoë`` -> ``Zoe``,
                                  ``Şahin`` -> ``Sahin``
``dob_swap``               0.030  of copies whose day is 1-12 and not the month:
                                  day and month swapped
``dob_typo``               0.010  date of birth one day or one year off
``dob_dmy_format``         0.400  written ``12-03-2004`` instead of ``2004-03-12``
``gender_wrong``           0.005  ``m`` and ``v`` swapped (``x`` becomes ``m``)
``postcode_no_space``      0.300  ``1234AB``
``postcode_lower``         0.030  ``1234 ab``
``house_number_format``    0.300  of copies with an addition: ``12 A``, ``12A``,
                                  ``12-a``; ``12 2``, ``12/2``
``city_alias``             0.300  of copies in a city with another name:
                                  ``Den Bosch``, ``'s-Gravenhage``
``upper_case``             0.040  names and city in upper case
``lower_case``             0.010  names and city in lower case
``extra_space``            0.030  a leading, trailing or doubled space in the first
                                  name, last name or city
``missing_first_name``     0.005  field left empty
``missing_last_name``      0.002  field left empty
``missing_date_of_birth``  0.010  field left empty
``missing_gender``         0.030  field left empty
``missing_postcode``       0.020  field left empty
``missing_house_number``   0.020  field left empty
``missing_city``           0.020  field left empty
=========================  =====  ===================================================

Errors are drawn independently and applied in the order of the table (a nickname can
get a typo; a missing field wins over everything before it). The three prefix errors
exclude one another. The BSN is not an error: it is in a share ``bsn_share_a`` of
file A's rows and ``bsn_share_b`` of file B's, independently, and identical whenever
both copies have it.

What a linker meets at the defaults (measured on 100,000 persons, seeds 1 and 101; the
tests check them on other seeds): in the true pairs, the last-name columns differ
after lower-casing and trimming in about 13 % of the pairs, the first names in about
16 %, the dates of birth (read as dates) in about 6 %, and about 47 % of the pairs
agree on every field but the BSN after lower-casing and trimming, reading both date
formats and ignoring the postcode's space and case.
"""

from __future__ import annotations

import csv
import math
import operator
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Final

import numpy as np

from ketenbeeld.errors import InputError
from ketenbeeld.synth._tables import (
    IntArray,
    check_whole,
    draw_addresses,
    load_name_tables,
    weights,
)
from ketenbeeld.synth.persons import Person

__all__ = ["ERROR_RATES", "PERSON_COLUMNS", "LinkageCase", "make_linkage_files", "write_person_csv"]

PERSON_COLUMNS: Final = (
    "id", "first_name", "name_prefix", "last_name", "date_of_birth", "gender", "postcode",
    "house_number", "city", "bsn",
)  # fmt: skip
"""The columns of a person file (the ``dutch-person`` schema), in file order."""

ERROR_RATES: Final[Mapping[str, float]] = MappingProxyType({
    "moved": 0.08, "nickname": 0.25, "initial": 0.02, "first_name_typo": 0.03,
    "last_name_typo": 0.03, "prefix_missing": 0.06, "prefix_merged": 0.03,
    "prefix_in_last_name": 0.05, "prefix_inverted": 0.02, "names_swapped": 0.005,
    "accents_stripped": 0.40, "dob_swap": 0.03, "dob_typo": 0.01, "dob_dmy_format": 0.40,
    "gender_wrong": 0.005, "postcode_no_space": 0.30, "postcode_lower": 0.03,
    "house_number_format": 0.30, "city_alias": 0.30, "upper_case": 0.04, "lower_case": 0.01,
    "extra_space": 0.03, "missing_first_name": 0.005, "missing_last_name": 0.002,
    "missing_date_of_birth": 0.01, "missing_gender": 0.03, "missing_postcode": 0.02,
    "missing_house_number": 0.02, "missing_city": 0.02,
})  # fmt: skip
"""Error kind -> chance per copy at ``error_rate=1.0`` (see the module docstring)."""

_MAX_ERROR_RATE: Final = 5.0
_P_MOVE_SAME_CITY: Final = 0.6
_LETTERS: Final = "abcdefghijklmnopqrstuvwxyz"
# Letters that Unicode does not decompose into a base letter and an accent.
_TRANSLITERATE: Final = str.maketrans({"ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O"})
_MISSING: Final = (
    "first_name", "last_name", "date_of_birth", "gender", "postcode", "house_number", "city",
)  # fmt: skip
# One row of uniforms per decision, one column per record, drawn as one matrix.
_DRAWS: Final = (
    "moved", "nickname", "nickname_pick", "initial", "first_typo", "first_op", "first_at",
    "first_char", "last_typo", "last_op", "last_at", "last_char", "prefix", "prefix_form",
    "swap_names", "accents", "dob_swap", "dob_typo", "dob_typo_kind", "dob_format", "gender",
    "pc_space", "pc_lower", "house", "house_form", "alias", "case", "space", "space_field",
    "space_form", "bsn", *(f"missing_{field}" for field in _MISSING),
)  # fmt: skip
_PREFIX_KINDS: Final = (
    "prefix_missing", "prefix_merged", "prefix_in_last_name", "prefix_inverted",
)  # fmt: skip


@dataclass(frozen=True)
class LinkageCase:
    """Two organisations' person files and the truth about them.

    Attributes:
        file_a: rows of file A: dicts with the :data:`PERSON_COLUMNS` as keys.
        file_b: rows of file B.
        true_links: ``(id_a, id_b)`` of the persons in both files.
        household_pairs: ``(id_a, id_b)`` of two different persons of one household
            (siblings, twins, a parent and a child): near-duplicates, not links.
        person_ids: record id -> the ``person_id`` it copies.
        errors: record id -> the kinds of :data:`ERROR_RATES` applied to that row.
    """

    file_a: list[dict[str, str]]
    file_b: list[dict[str, str]]
    true_links: frozenset[tuple[str, str]]
    household_pairs: frozenset[tuple[str, str]]
    person_ids: dict[str, str]
    errors: dict[str, tuple[str, ...]]


def _typo(text: str, u_op: float, u_at: float, u_char: float) -> str:
    """``text`` with one letter substituted, deleted, inserted or two transposed.

    The result always differs from ``text`` after lower-casing.
    """
    n = len(text)
    op = int(u_op * 4) if n >= 2 else 2 * int(u_op * 2)  # too short: substitute or insert
    letter = _LETTERS[int(u_char * 26)]
    if op == 3:
        at = int(u_at * (n - 1))
        if text[at].lower() != text[at + 1].lower():
            return text[:at] + text[at + 1] + text[at] + text[at + 2 :]
        op = 1  # swapping equal letters changes nothing: delete one instead
    if op == 1:
        at = int(u_at * n)
        return text[:at] + text[at + 1 :]
    if op == 2:
        at = 1 + int(u_at * n)  # never in front of the capital
        return text[:at] + letter + text[at:]
    at = int(u_at * n)
    if letter == text[at].lower():
        letter = _LETTERS[(_LETTERS.index(letter) + 1) % 26]
    return text[:at] + (letter.upper() if text[at].isupper() else letter) + text[at + 1 :]


@lru_cache(maxsize=1 << 16)
def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_TRANSLITERATE))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _house_variant(house: str, u: float) -> str:
    """``12a`` as ``12 A``, ``12A`` or ``12-a``; ``12-2`` as ``12 2`` or ``12/2``."""
    if "-" in house:
        number, door = house.split("-", 1)
        return f"{number} {door}" if u < 0.5 else f"{number}/{door}"
    number, letter = house[:-1], house[-1]
    return (f"{number} {letter.upper()}", f"{number}{letter.upper()}", f"{number}-{letter}")[
        int(u * 3)
    ]


def _copies(
    people: Sequence[Person],
    ids: Sequence[str],
    rng: np.random.Generator,
    rates: Mapping[str, float],
    bsn_share: float,
    *,
    can_move: bool,
) -> tuple[list[dict[str, str]], list[tuple[str, ...]]]:
    """One row and the applied error kinds per person.

    Works column by column, in the order of the error table, and visits only the
    rows an error hits: most rows have none, and this keeps 100,000 rows fast.
    """
    t = load_name_tables()
    m = len(people)
    u = dict(zip(_DRAWS, rng.random((len(_DRAWS), m)), strict=True))
    r = {kind: min(1.0, rate) for kind, rate in rates.items()}
    r["moved"] = r["moved"] if can_move else 0.0
    kinds: list[list[str]] = [[] for _ in range(m)]

    def hits(draw: str, rate: float) -> list[int]:
        found: list[int] = np.flatnonzero(u[draw] < rate).tolist()
        return found

    first = [p.first_name for p in people]
    prefix = [p.name_prefix for p in people]
    last = [p.last_name for p in people]
    postcode = [p.postcode for p in people]
    house = [p.house_number for p in people]
    city = [p.city for p in people]
    moved = hits("moved", r["moved"])
    city_index = {name: i for i, name in enumerate(t.cities)}
    old = np.asarray([city_index[city[i]] for i in moved], dtype=np.int64)
    other = rng.choice(len(t.cities), size=len(moved), p=weights(t.city_weights))
    same = rng.random(len(moved)) < _P_MOVE_SAME_CITY
    for i, home in zip(moved, draw_addresses(rng, t, np.where(same, old, other)), strict=True):
        postcode[i], house[i], city[i] = home
        kinds[i].append("moved")
    for i in hits("nickname", r["nickname"]):
        short = t.nicknames.get(first[i])
        if short:
            first[i] = short[int(u["nickname_pick"][i] * len(short))]
            kinds[i].append("nickname")
    initials = set(hits("initial", r["initial"]))
    for i in initials:
        first[i] = first[i][0] + "."
        kinds[i].append("initial")
    for i in hits("first_typo", r["first_name_typo"]):
        if i not in initials:
            first[i] = _typo(
                first[i], *(float(u[d][i]) for d in ("first_op", "first_at", "first_char"))
            )
            kinds[i].append("first_name_typo")
    for i in hits("last_typo", r["last_name_typo"]):
        last[i] = _typo(last[i], *(float(u[d][i]) for d in ("last_op", "last_at", "last_char")))
        kinds[i].append("last_name_typo")
    cuts = np.cumsum([r[k] for k in _PREFIX_KINDS]).tolist()
    for i in hits("prefix", cuts[-1]):
        if not prefix[i]:
            continue
        v, form, written = float(u["prefix"][i]), float(u["prefix_form"][i]), prefix[i]
        kind = _PREFIX_KINDS[next(k for k, cut in enumerate(cuts) if v < cut)]
        if kind == "prefix_merged":
            joined = (written.replace(" ", "").replace("'", "") + last[i].lower()).capitalize()
            forms = (joined, *(f"{a} {last[i]}" for a in t.abbreviations.get(written, ())))
            last[i] = forms[int(form * len(forms))]
        elif kind == "prefix_in_last_name":
            written = written[0].upper() + written[1:] if form < 0.5 else written
            last[i] = f"{written} {last[i]}"
        elif kind == "prefix_inverted":
            last[i] = f"{last[i]}, {written}"
        prefix[i] = ""
        kinds[i].append(kind)
    for i in hits("swap_names", r["names_swapped"]):
        first[i], last[i] = last[i], first[i]
        kinds[i].append("names_swapped")
    for i in hits("accents", r["accents_stripped"]):
        if not (first[i] + last[i] + city[i]).isascii():
            first[i], last[i] = _strip_accents(first[i]), _strip_accents(last[i])
            city[i] = _strip_accents(city[i])
            kinds[i].append("accents_stripped")

    born = [p.date_of_birth for p in people]
    for i in hits("dob_swap", r["dob_swap"]):
        day, month = born[i].day, born[i].month
        if day <= 12 and day != month:
            born[i] = date(born[i].year, day, month)
            kinds[i].append("dob_swap")
    for i in hits("dob_typo", r["dob_typo"]):
        v = float(u["dob_typo_kind"][i])
        if v < 0.5:
            born[i] += timedelta(days=1 if v < 0.25 else -1)
        else:
            day = 28 if (born[i].month, born[i].day) == (2, 29) else born[i].day
            born[i] = born[i].replace(year=born[i].year + (1 if v < 0.75 else -1), day=day)
        kinds[i].append("dob_typo")
    dob = [b.isoformat() for b in born]
    for i in hits("dob_format", r["dob_dmy_format"]):
        dob[i] = f"{dob[i][8:10]}-{dob[i][5:7]}-{dob[i][:4]}"
        kinds[i].append("dob_dmy_format")
    gender = [p.gender for p in people]
    for i in hits("gender", r["gender_wrong"]):
        gender[i] = "v" if gender[i] == "m" else "m"
        kinds[i].append("gender_wrong")
    for i in hits("pc_space", r["postcode_no_space"]):
        postcode[i] = postcode[i].replace(" ", "")
        kinds[i].append("postcode_no_space")
    for i in hits("pc_lower", r["postcode_lower"]):
        postcode[i] = postcode[i].lower()
        kinds[i].append("postcode_lower")
    for i in hits("house", r["house_number_format"]):
        if not house[i].isdigit():
            house[i] = _house_variant(house[i], float(u["house_form"][i]))
            kinds[i].append("house_number_format")
    for i in hits("alias", r["city_alias"]):
        aliases = t.aliases.get(city[i])
        if aliases:
            city[i] = aliases[int(u["alias"][i] / r["city_alias"] * len(aliases))]
            kinds[i].append("city_alias")
    for i in hits("case", r["upper_case"] + r["lower_case"]):
        change = str.upper if u["case"][i] < r["upper_case"] else str.lower
        first[i], prefix[i], last[i] = change(first[i]), change(prefix[i]), change(last[i])
        city[i] = change(city[i])
        kinds[i].append("upper_case" if change is str.upper else "lower_case")
    columns = {"first_name": first, "last_name": last, "city": city}
    for i in hits("space", r["extra_space"]):
        field = ("first_name", "last_name", "city")[int(u["space_field"][i] * 3)]
        text, form = columns[field][i], int(u["space_form"][i] * 3)
        columns[field][i] = (
            f" {text}" if form == 0
            else f"{text} " if form == 1
            else text.replace(" ", "  ", 1) if " " in text
            else f"{text}  "
        )  # fmt: skip
        kinds[i].append("extra_space")
    columns.update(date_of_birth=dob, gender=gender, postcode=postcode, house_number=house)
    for field in _MISSING:
        values = columns[field]
        for i in hits(f"missing_{field}", r[f"missing_{field}"]):
            if values[i]:
                values[i] = ""
                kinds[i].append(f"missing_{field}")
    has_bsn = (u["bsn"] < bsn_share).tolist()
    bsn = [p.bsn if keep else "" for p, keep in zip(people, has_bsn, strict=True)]
    table = zip(ids, first, prefix, last, dob, gender, postcode, house, city, bsn, strict=True)
    rows = [
        {
            "id": i,
            "first_name": f,
            "name_prefix": x,
            "last_name": n,
            "date_of_birth": d,
            "gender": g,
            "postcode": pc,
            "house_number": h,
            "city": c,
            "bsn": b,
        }
        for i, f, x, n, d, g, pc, h, c, b in table
    ]
    return rows, [tuple(k) for k in kinds]


def _id_pairs(
    ids: Sequence[list[str]], rows_a: IntArray, rows_b: IntArray
) -> list[tuple[str, str]]:
    """``(id_a, id_b)`` of the given rows of file A and file B."""
    ids_a, ids_b = ids
    return [(ids_a[i], ids_b[j]) for i, j in zip(rows_a.tolist(), rows_b.tolist(), strict=True)]


def _check_share(name: str, value: object, high: float = 1.0) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"{name} must be a number from 0 to {high:g}")
    if not (math.isfinite(value) and 0.0 <= value <= high):
        raise InputError(f"{name} must be a number from 0 to {high:g}")
    return float(value)


def make_linkage_files(
    population: Sequence[Person],
    seed: int,
    *,
    overlap: float = 0.5,
    bsn_share_a: float = 0.6,
    bsn_share_b: float = 0.3,
    error_rate: float = 1.0,
) -> LinkageCase:
    """Write two organisations' person files from a synthetic population, with errors.

    Args:
        population: persons from :func:`~ketenbeeld.synth.persons.generate_population`.
        seed: seed of :func:`numpy.random.default_rng` (0 or more).
        overlap: share of the persons in both files (``overlap * n`` rounded half up);
            of the rest, half (rounded up) are in A only and the others in B only.
        bsn_share_a: share of file A's rows that carry the BSN.
        bsn_share_b: share of file B's rows that carry the BSN.
        error_rate: multiplies every rate of :data:`ERROR_RATES` (0 to 5; 0 gives
            clean copies in canonical form).

    Returns:
        The two files (rows in random order, ids ``A000001``... in that order), the
        true links, the household near-duplicates and the errors of each row.

    Raises:
        InputError: an argument is out of range.

    Example:
        >>> from ketenbeeld.synth import generate_population
        >>> case = make_linkage_files(generate_population(100, seed=1), seed=2)
        >>> len(case.true_links), len(case.file_a), len(case.file_b)
        (50, 75, 75)
        >>> case.file_a[0]["id"]
        'A000001'
    """
    check_whole("seed", seed)
    overlap = _check_share("overlap", overlap)
    shares = (_check_share("bsn_share_a", bsn_share_a), _check_share("bsn_share_b", bsn_share_b))
    scale = _check_share("error_rate", error_rate, _MAX_ERROR_RATE)
    rates = {kind: rate * scale for kind, rate in ERROR_RATES.items()}
    rng = np.random.default_rng(seed)
    n = len(population)
    order = rng.permutation(n)
    n_both = math.floor(overlap * n + 0.5)
    n_a = n_both + (n - n_both + 1) // 2
    files: list[list[dict[str, str]]] = []
    ids: list[list[str]] = []
    members: list[IntArray] = []  # per file: person index of each row
    person_ids: dict[str, str] = {}
    errors: dict[str, tuple[str, ...]] = {}
    for letter, chosen, share in zip(
        "AB", (order[:n_a], np.concatenate((order[:n_both], order[n_a:]))), shares, strict=True
    ):
        members.append(chosen[rng.permutation(len(chosen))])
        people = [population[i] for i in members[-1].tolist()]
        width = max(6, len(str(len(people))))
        ids.append(["%s%0*d" % (letter, width, i) for i in range(1, len(people) + 1)])  # noqa: UP031
        rows, kinds = _copies(people, ids[-1], rng, rates, share, can_move=letter == "B")
        files.append(rows)
        person_ids.update(zip(ids[-1], [p.person_id for p in people], strict=True))
        errors.update(zip(ids[-1], kinds, strict=True))
    row_b = np.full(n, -1, dtype=np.int64)  # person index -> row in file B
    row_b[members[1]] = np.arange(len(members[1]))
    linked = row_b[members[0]] >= 0
    true_links = frozenset(_id_pairs(ids, np.flatnonzero(linked), row_b[members[0]][linked]))
    # Household near-duplicates: join the rows of A and B on the household.
    codes: dict[str, int] = {}
    house = np.asarray([codes.setdefault(p.household_id, len(codes)) for p in population])
    house_a, house_b = house[members[0]], house[members[1]]
    by_house = np.argsort(house_b, kind="stable")
    low = np.searchsorted(house_b[by_house], house_a, "left")
    count = np.searchsorted(house_b[by_house], house_a, "right") - low
    rows_a = np.repeat(np.arange(len(house_a)), count)
    step = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
    rows_b = by_house[np.repeat(low, count) + step]
    other = members[0][rows_a] != members[1][rows_b]
    near = frozenset(_id_pairs(ids, rows_a[other], rows_b[other]))
    return LinkageCase(files[0], files[1], true_links, near, person_ids, errors)


def write_person_csv(rows: Iterable[Mapping[str, str]], path: str | Path) -> int:
    """Write person rows as CSV: a header of :data:`PERSON_COLUMNS`, UTF-8, ``\\n`` lines.

    Args:
        rows: dicts with exactly the :data:`PERSON_COLUMNS` as keys (as in
            :attr:`LinkageCase.file_a`).
        path: the file to write; it is replaced if it exists.

    Returns:
        The number of rows written (without the header).

    Raises:
        InputError: a row has other columns; the message names the row and columns,
            never a value.

    Example:
        >>> import tempfile, pathlib
        >>> from ketenbeeld.synth import generate_population
        >>> case = make_linkage_files(generate_population(10, seed=1), seed=1)
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
        >>> write_person_csv(case.file_a, target) == len(case.file_a)
        True
        >>> target.read_text(encoding="utf-8").splitlines()[0]
        'id,first_name,name_prefix,last_name,date_of_birth,gender,postcode,house_number,city,bsn'
    """
    values = operator.itemgetter(*PERSON_COLUMNS)
    lines: list[tuple[str, ...]] = []
    for number, row in enumerate(rows, start=1):
        try:
            if len(row) != len(PERSON_COLUMNS):
                raise KeyError
            lines.append(values(row))
        except KeyError:
            wrong = sorted(set(row) ^ set(PERSON_COLUMNS))
            raise InputError(
                f"row {number}: the columns {', '.join(wrong)} do not fit the person file",
                hint=f"a row has exactly the columns {', '.join(PERSON_COLUMNS)}",
            ) from None
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(PERSON_COLUMNS)
        writer.writerows(lines)
    return len(lines)
