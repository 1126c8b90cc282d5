"""Tests of the synthetic Dutch population (ketenbeeld.synth.persons)."""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from datetime import date

import pytest

from ketenbeeld.errors import ConfigError, InputError
from ketenbeeld.synth import REFERENCE_DATE, Person, generate_population
from ketenbeeld.synth._tables import load_name_tables, parse_name_tables

LARGE_N = 30_000
LARGE_SEED = 5


@pytest.fixture(scope="module")
def large() -> list[Person]:
    return generate_population(LARGE_N, LARGE_SEED)


def _households(people: list[Person]) -> dict[str, list[Person]]:
    grouped: dict[str, list[Person]] = defaultdict(list)
    for person in people:
        grouped[person.household_id].append(person)
    return grouped


def _age(born: date) -> int:
    on = REFERENCE_DATE
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _passes_11_proef(bsn: str) -> bool:
    digits = [int(c) for c in bsn]
    total = sum(d * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - digits[8]
    return total % 11 == 0


# --- determinism and arguments ----------------------------------------------------


def test_same_seed_gives_the_same_population() -> None:
    assert generate_population(500, seed=3) == generate_population(500, seed=3)


def test_other_seed_gives_another_population() -> None:
    first, other = generate_population(500, seed=3), generate_population(500, seed=4)
    assert [p.bsn for p in first] != [p.bsn for p in other]
    assert [p.first_name for p in first] != [p.first_name for p in other]


def test_sizes_zero_one_and_n() -> None:
    assert generate_population(0, seed=1) == []
    assert len(generate_population(1, seed=1)) == 1
    assert len(generate_population(777, seed=1)) == 777


@pytest.mark.parametrize(("n", "seed"), [(-1, 1), (1, -1), (True, 1), (1.5, 1), (10, "x")])
def test_bad_arguments_raise_input_error(n: object, seed: object) -> None:
    with pytest.raises(InputError):
        generate_population(n, seed)  # type: ignore[arg-type]


# --- identifiers ------------------------------------------------------------------


def test_ids_are_synthetic_unique_and_in_order(large: list[Person]) -> None:
    ids = [p.person_id for p in large]
    assert ids == [f"SYN-P{i:06d}" for i in range(1, LARGE_N + 1)]
    assert all(re.fullmatch(r"SYN-H\d{6}", p.household_id) for p in large)


def test_bsns_are_unique_nine_digits_and_pass_the_11_proef(large: list[Person]) -> None:
    bsns = [p.bsn for p in large]
    assert len(set(bsns)) == LARGE_N
    assert all(re.fullmatch(r"[1-9]\d{8}", bsn) for bsn in bsns)
    assert all(_passes_11_proef(bsn) for bsn in bsns)
    # The check itself can fail: a changed digit breaks it.
    assert not _passes_11_proef(bsns[0][:8] + str((int(bsns[0][8]) + 1) % 10))


# --- households -------------------------------------------------------------------


def test_household_members_share_address_and_surname(large: list[Person]) -> None:
    households = _households(large)
    sizes = Counter(len(members) for members in households.values())
    assert set(sizes) == {1, 2, 3, 4, 5}
    assert sizes[1] / len(households) == pytest.approx(0.40, abs=0.02)
    own_surname = 0
    for members in households.values():
        assert len({(p.postcode, p.house_number, p.city) for p in members}) == 1
        surnames = Counter((p.name_prefix, p.last_name) for p in members)
        # The children share one surname; only a mother (last) may keep her own.
        (_, shared), *_ = surnames.most_common(1)
        assert shared >= len(members) - 1
        if len(surnames) == 2:
            own_surname += 1
            assert members[-1].gender == "v"
            assert members[-1].date_of_birth < min(p.date_of_birth for p in members[:-1])
        # Siblings never share a first name.
        assert len({p.first_name for p in members}) == len(members)
    assert own_surname > 0.02 * len(households)


def test_twins_share_household_and_date_of_birth(large: list[Person]) -> None:
    twins = 0
    for members in _households(large).values():
        births = Counter(p.date_of_birth for p in members)
        twins += sum(count - 1 for count in births.values())
    # 4 % of the sibling gaps are twins: a few hundred pairs in 30,000 persons.
    assert 100 < twins < 1000


# --- distributions ----------------------------------------------------------------


def test_ages_are_10_to_60_and_skewed_young(large: list[Person]) -> None:
    ages = [_age(p.date_of_birth) for p in large]
    assert min(ages) == 10
    assert max(ages) == 60
    assert statistics.median(ages) == pytest.approx(20, abs=2)
    assert sum(a < 30 for a in ages) / LARGE_N == pytest.approx(0.8, abs=0.05)
    assert sum(a >= 40 for a in ages) / LARGE_N > 0.05  # parents and older singles


def test_gender_values_and_shares(large: list[Person]) -> None:
    genders = Counter(p.gender for p in large)
    assert set(genders) == {"m", "v", "x"}
    assert genders["v"] / LARGE_N == pytest.approx(0.50, abs=0.015)
    assert genders["x"] / LARGE_N == pytest.approx(0.01, abs=0.004)
    tables = load_name_tables()
    for person in large:
        if person.gender in ("m", "v"):
            assert person.first_name in tables.first_names[person.gender]


def test_first_names_are_skewed_and_varied(large: list[Person]) -> None:
    names = Counter(p.first_name for p in large)
    assert len(names) > 450
    top_share = sum(count for _, count in names.most_common(20)) / LARGE_N
    assert 0.08 < top_share < 0.25
    assert names.most_common(1)[0][1] / LARGE_N < 0.02
    # Names with accents occur, so stripping them is a real error.
    assert any(not p.first_name.isascii() for p in large)


def test_surnames_are_skewed_with_a_long_tail(large: list[Person]) -> None:
    surnames = Counter(f"{p.name_prefix} {p.last_name}".strip() for p in large)
    assert len(surnames) > LARGE_N / 10
    common = {"de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker"}
    assert {name for name, _ in surnames.most_common(10)} & common
    assert surnames.most_common(1)[0][1] / LARGE_N < 0.01
    once = sum(1 for count in surnames.values() if count == 1)
    assert once > 0.2 * len(surnames)


def test_about_a_quarter_carry_a_tussenvoegsel(large: list[Person]) -> None:
    with_prefix = [p for p in large if p.name_prefix]
    assert len(with_prefix) / LARGE_N == pytest.approx(0.27, abs=0.03)
    prefixes = set(load_name_tables().abbreviations)
    for person in with_prefix:
        assert person.name_prefix in prefixes
        assert person.name_prefix == person.name_prefix.lower()
    # The surname proper starts with a capital (including "IJ"), the prefix never in it.
    assert all(p.last_name[0].isupper() for p in large)
    assert not any(p.last_name.lower().startswith(("van ", "de ")) for p in large)
    assert {"van", "de", "van der", "van den"} <= {p.name_prefix for p in with_prefix}


def test_postcodes_are_dutch_and_consistent_with_the_city(large: list[Person]) -> None:
    city_of_area: dict[str, set[str]] = defaultdict(set)
    for person in large:
        assert re.fullmatch(r"[1-9]\d{3} [A-EGHJ-NPR-TVWXZ]{2}", person.postcode)
        assert person.postcode[5:] not in ("SA", "SD", "SS")
        assert re.fullmatch(r"[1-9]\d*([a-d]|-[1-4])?", person.house_number)
        city_of_area[person.postcode[:4]].add(person.city)
    assert all(len(cities) == 1 for cities in city_of_area.values())
    cities = Counter(p.city for p in large)
    assert cities.most_common(1)[0][0] == "Amsterdam"
    assert len(cities) > 60


def test_additions_to_house_numbers_occur(large: list[Person]) -> None:
    numbers = [members[0].house_number for members in _households(large).values()]
    letters = sum(1 for n in numbers if n[-1].isalpha())
    doors = sum(1 for n in numbers if "-" in n)
    households = len(numbers)
    assert letters / households == pytest.approx(0.08, abs=0.02)
    assert doors / households == pytest.approx(0.05, abs=0.02)


# --- the name tables --------------------------------------------------------------


def test_name_tables_have_the_documented_sizes() -> None:
    tables = load_name_tables()
    assert 250 <= len(tables.first_names["m"]) <= 500
    assert 250 <= len(tables.first_names["v"]) <= 500
    assert 500 <= len(tables.surnames) <= 1000
    assert len(set(tables.surnames)) == len(tables.surnames)
    for first in tables.nicknames:
        assert first in tables.first_names["m"] or first in tables.first_names["v"]


def test_bad_name_tables_report_every_problem() -> None:
    raw = {
        "first_names": {"m": ["Jan"], "v": "Emma"},
        "surnames": [],
        "surname_parts": {"starts": ["Bo"], "middles": [""], "ends_place": [], "ends_plain": []},
        "cities": [
            {"name": "A", "weight": 1, "postcodes": [[1000, 1010]]},
            {"name": "B", "weight": 1, "postcodes": [[1005, 1020]]},
        ],
    }
    with pytest.raises(ConfigError) as caught:
        parse_name_tables(raw)
    message = str(caught.value)
    for where in ("first_names.v", "surnames", "surname_parts.ends_place", "cities"):
        assert where in message
