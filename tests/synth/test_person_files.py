"""Tests of two organisations' synthetic person files (ketenbeeld.synth.person_files)."""

from __future__ import annotations

import csv
import itertools
import re
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from ketenbeeld.errors import InputError
from ketenbeeld.synth import (
    ERROR_RATES,
    PERSON_COLUMNS,
    LinkageCase,
    Person,
    generate_population,
    make_linkage_files,
    person_files,
    write_person_csv,
)
from ketenbeeld.synth._tables import load_name_tables

N = 20_000
Row = dict[str, str]


@pytest.fixture(scope="module")
def population() -> list[Person]:
    return generate_population(N, seed=21)


@pytest.fixture(scope="module")
def case(population: list[Person]) -> LinkageCase:
    return make_linkage_files(population, seed=22)


@pytest.fixture(scope="module")
def person(population: list[Person]) -> dict[str, Person]:
    return {p.person_id: p for p in population}


def _norm(text: str) -> str:
    return text.strip().lower()


def _dob(text: str) -> date | None:
    if not text:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return date.fromisoformat(text)
    day, month, year = text.split("-")
    return date(int(year), int(month), int(day))


def _canonical(p: Person, record_id: str, bsn: str) -> Row:
    return {
        "id": record_id,
        "first_name": p.first_name,
        "name_prefix": p.name_prefix,
        "last_name": p.last_name,
        "date_of_birth": p.date_of_birth.isoformat(),
        "gender": p.gender,
        "postcode": p.postcode,
        "house_number": p.house_number,
        "city": p.city,
        "bsn": bsn,
    }


def _copies(case: LinkageCase, person: dict[str, Person]) -> list[tuple[Row, Person]]:
    """Every row of both files with the person it copies."""
    return [(row, person[case.person_ids[row["id"]]]) for row in case.file_a + case.file_b]


def _pairs(case: LinkageCase) -> list[tuple[Row, Row]]:
    rows = {row["id"]: row for row in case.file_a + case.file_b}
    return [(rows[a], rows[b]) for a, b in sorted(case.true_links)]


def _share(items: list[tuple[Row, Person]], pred: Callable[[Row, Person], bool]) -> float:
    assert items
    return sum(1 for row, p in items if pred(row, p)) / len(items)


# --- determinism and files --------------------------------------------------------


def _write(case: LinkageCase, directory: Path) -> tuple[bytes, bytes]:
    write_person_csv(case.file_a, directory / "a.csv")
    write_person_csv(case.file_b, directory / "b.csv")
    return (directory / "a.csv").read_bytes(), (directory / "b.csv").read_bytes()


def test_same_seeds_give_byte_identical_files(tmp_path: Path) -> None:
    (tmp_path / "1").mkdir()
    (tmp_path / "2").mkdir()
    first = _write(make_linkage_files(generate_population(2000, seed=4), seed=5), tmp_path / "1")
    again = _write(make_linkage_files(generate_population(2000, seed=4), seed=5), tmp_path / "2")
    assert first == again


def test_other_seed_gives_other_files(tmp_path: Path) -> None:
    people = generate_population(2000, seed=4)
    (tmp_path / "1").mkdir()
    (tmp_path / "2").mkdir()
    first = _write(make_linkage_files(people, seed=5), tmp_path / "1")
    other = _write(make_linkage_files(people, seed=6), tmp_path / "2")
    assert first[0] != other[0] and first[1] != other[1]


def test_csv_header_encoding_newlines_and_round_trip(case: LinkageCase, tmp_path: Path) -> None:
    target = tmp_path / "a.csv"
    assert write_person_csv(case.file_a, target) == len(case.file_a)
    data = target.read_bytes()
    assert b"\r" not in data
    text = data.decode("utf-8")
    assert text.splitlines()[0].split(",") == list(PERSON_COLUMNS)
    assert PERSON_COLUMNS == (
        "id", "first_name", "name_prefix", "last_name", "date_of_birth", "gender", "postcode",
        "house_number", "city", "bsn",
    )  # fmt: skip
    assert not text.isascii()  # accents are kept as UTF-8
    with target.open(encoding="utf-8", newline="") as handle:
        assert list(csv.DictReader(handle)) == case.file_a  # "Berg, van der" survives


def test_write_person_csv_rejects_other_columns_without_echoing_values(tmp_path: Path) -> None:
    row = dict.fromkeys(PERSON_COLUMNS, "")
    bad = {**row, "telefoon": "0612345678"}
    del bad["bsn"]
    with pytest.raises(InputError) as caught:
        write_person_csv([row, bad], tmp_path / "x.csv")
    message = str(caught.value)
    assert "row 2" in message and "bsn" in message and "telefoon" in message
    assert "0612345678" not in message


# --- sizes and truth --------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "overlap", "links", "size_a", "size_b"),
    [(1000, 0.5, 500, 750, 750), (101, 0.3, 30, 66, 65), (10, 0.25, 3, 7, 6), (50, 0.0, 0, 25, 25),
     (50, 1.0, 50, 50, 50), (0, 0.5, 0, 0, 0)],
)  # fmt: skip
def test_true_link_count_is_overlap_times_n(
    n: int, overlap: float, links: int, size_a: int, size_b: int
) -> None:
    case = make_linkage_files(generate_population(n, seed=1), seed=2, overlap=overlap)
    assert len(case.true_links) == links
    assert (len(case.file_a), len(case.file_b)) == (size_a, size_b)


def test_truth_is_consistent(case: LinkageCase) -> None:
    assert len(case.true_links) == N // 2
    ids_a = [row["id"] for row in case.file_a]
    ids_b = [row["id"] for row in case.file_b]
    assert set(case.person_ids) == set(ids_a) | set(ids_b) == set(case.errors)
    for ids in (ids_a, ids_b):
        assert len({case.person_ids[i] for i in ids}) == len(ids)  # one row per person
    for a, b in case.true_links:
        assert case.person_ids[a] == case.person_ids[b]
    shared = {case.person_ids[i] for i in ids_a} & {case.person_ids[i] for i in ids_b}
    assert len(shared) == len(case.true_links)


def test_ids_reveal_nothing(case: LinkageCase, person: dict[str, Person]) -> None:
    for letter, rows in (("A", case.file_a), ("B", case.file_b)):
        assert [row["id"] for row in rows] == [f"{letter}{i:06d}" for i in range(1, len(rows) + 1)]
    # Row order follows neither the surname nor the population order.
    names = [person[case.person_ids[row["id"]]].last_name for row in case.file_a]
    name_rank = np.argsort(np.argsort(names, kind="stable"))
    assert abs(np.corrcoef(np.arange(len(names)), name_rank)[0, 1]) < 0.03
    serial = [int(case.person_ids[row["id"]][5:]) for row in case.file_a]
    assert abs(np.corrcoef(np.arange(len(serial)), serial)[0, 1]) < 0.03
    # The two ids of a true link are unrelated numbers.
    numbers = np.asarray([(int(a[1:]), int(b[1:])) for a, b in case.true_links])
    assert abs(np.corrcoef(numbers[:, 0], numbers[:, 1])[0, 1]) < 0.03
    assert np.mean(numbers[:, 0] == numbers[:, 1]) < 0.002


def test_household_pairs_are_near_duplicates_not_links(
    case: LinkageCase, person: dict[str, Person]
) -> None:
    by_house: dict[str, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    for side, rows in enumerate((case.file_a, case.file_b)):
        for row in rows:
            by_house[person[case.person_ids[row["id"]]].household_id][side].append(row["id"])
    expected = {
        (a, b)
        for ids_a, ids_b in by_house.values()
        for a, b in itertools.product(ids_a, ids_b)
        if case.person_ids[a] != case.person_ids[b]
    }
    assert case.household_pairs == expected
    assert len(expected) > N / 2
    assert not case.household_pairs & case.true_links
    twins = 0
    for a, b in case.household_pairs:
        pa, pb = person[case.person_ids[a]], person[case.person_ids[b]]
        assert (pa.postcode, pa.house_number) == (pb.postcode, pb.house_number)
        twins += pa.date_of_birth == pb.date_of_birth
    assert twins > 50  # same surname, address and date of birth: only the first name differs


# --- error rates, measured in the data --------------------------------------------


def test_bsn_shares_and_identical_when_both_have_it(
    case: LinkageCase, person: dict[str, Person]
) -> None:
    for rows, share in ((case.file_a, 0.6), (case.file_b, 0.3)):
        assert sum(1 for r in rows if r["bsn"]) / len(rows) == pytest.approx(share, abs=0.015)
    for row, p in _copies(case, person):
        assert row["bsn"] in ("", p.bsn)
    both = [(a, b) for a, b in _pairs(case) if a["bsn"] and b["bsn"]]
    assert len(both) / len(case.true_links) == pytest.approx(0.18, abs=0.015)
    assert all(a["bsn"] == b["bsn"] for a, b in both)


def test_day_and_month_swapped(case: LinkageCase, person: dict[str, Person]) -> None:
    eligible = [
        (row, p)
        for row, p in _copies(case, person)
        if p.date_of_birth.day <= 12 and p.date_of_birth.day != p.date_of_birth.month
    ]

    def swapped(row: Row, p: Person) -> bool:
        born = p.date_of_birth
        return _dob(row["date_of_birth"]) == date(born.year, born.day, born.month)

    # 3 %, less the few copies whose date is then lost or mistyped.
    assert _share(eligible, swapped) == pytest.approx(0.03 * 0.98, abs=0.006)


def test_tussenvoegsel_errors(case: LinkageCase, person: dict[str, Person]) -> None:
    copies = [(row, p) for row, p in _copies(case, person) if p.name_prefix]
    assert len(copies) > 5000
    assert _share(copies, lambda r, p: not r["name_prefix"]) == pytest.approx(0.16, abs=0.015)
    # Missing: "Berg" alone. Other last-name errors (typos, ...) hit ~4 % of these.
    assert _share(
        copies, lambda r, p: not r["name_prefix"] and _norm(r["last_name"]) == p.last_name.lower()
    ) == pytest.approx(0.06 * 0.96, abs=0.01)
    assert _share(
        copies, lambda r, p: _norm(r["last_name"]) == f"{p.name_prefix} {p.last_name}".lower()
    ) == pytest.approx(0.05 * 0.96, abs=0.01)
    assert _share(
        copies, lambda r, p: _norm(r["last_name"]).endswith(f", {p.name_prefix}")
    ) == pytest.approx(0.02, abs=0.006)
    merged = _share(copies, lambda r, p: _norm(r["last_name"]).startswith(("vd ", "v.d. ", "v. ")))
    assert 0.003 < merged < 0.03


def test_documented_pair_level_differences(case: LinkageCase) -> None:
    pairs = _pairs(case)

    def differ(field: str) -> float:
        return sum(_norm(a[field]) != _norm(b[field]) for a, b in pairs) / len(pairs)

    assert differ("last_name") == pytest.approx(0.13, abs=0.02)
    assert differ("first_name") == pytest.approx(0.16, abs=0.02)
    dob = sum(_dob(a["date_of_birth"]) != _dob(b["date_of_birth"]) for a, b in pairs)
    assert dob / len(pairs) == pytest.approx(0.06, abs=0.01)
    fields = ("first_name", "name_prefix", "last_name", "gender", "house_number", "city")
    equal = sum(
        all(_norm(a[f]) == _norm(b[f]) for f in fields)
        and _dob(a["date_of_birth"]) == _dob(b["date_of_birth"])
        and a["postcode"].replace(" ", "").upper() == b["postcode"].replace(" ", "").upper()
        for a, b in pairs
    )
    assert equal / len(pairs) == pytest.approx(0.47, abs=0.03)


def test_moves_only_in_file_b(case: LinkageCase, person: dict[str, Person]) -> None:
    def moved(row: Row, p: Person) -> bool:
        code = row["postcode"].replace(" ", "").upper()
        return bool(code) and code != p.postcode.replace(" ", "")

    a_copies = [(row, person[case.person_ids[row["id"]]]) for row in case.file_a]
    b_copies = [(row, person[case.person_ids[row["id"]]]) for row in case.file_b]
    assert _share(a_copies, moved) == 0.0
    assert _share(b_copies, moved) == pytest.approx(0.08 * 0.98, abs=0.01)


def test_formats_and_missing_fields(case: LinkageCase, person: dict[str, Person]) -> None:
    copies = _copies(case, person)
    dated = [(r, p) for r, p in copies if r["date_of_birth"]]
    assert _share(dated, lambda r, p: r["date_of_birth"][2] == "-") == pytest.approx(0.4, abs=0.015)
    coded = [(r, p) for r, p in copies if r["postcode"]]
    assert _share(coded, lambda r, p: " " not in r["postcode"]) == pytest.approx(0.3, abs=0.015)
    for field, rate in (("gender", 0.03), ("postcode", 0.02), ("date_of_birth", 0.01)):
        empty = sum(1 for row, _ in copies if not row[field]) / len(copies)
        assert empty == pytest.approx(rate, abs=0.005)
    for row, _ in copies:
        assert row["gender"] in ("m", "v", "x", "M", "V", "X", "")


def test_case_accents_and_nicknames(case: LinkageCase, person: dict[str, Person]) -> None:
    copies = _copies(case, person)
    upper = _share(copies, lambda r, p: r["last_name"].isupper() and r["first_name"].isupper())
    assert upper == pytest.approx(0.04, abs=0.008)
    accented = [(r, p) for r, p in copies if not (p.first_name + p.last_name).isascii()]
    assert len(accented) > 500
    stripped = _share(accented, lambda r, p: (r["first_name"] + r["last_name"]).isascii())
    assert stripped == pytest.approx(0.4, abs=0.05)
    nicknames = load_name_tables().nicknames
    formal = [(r, p) for r, p in copies if p.first_name in nicknames]
    assert len(formal) > 1000
    short = _share(formal, lambda r, p: r["first_name"].strip() in nicknames[p.first_name])
    assert short == pytest.approx(0.25 * 0.94, abs=0.04)
    initials = _share(copies, lambda r, p: re.fullmatch(r"\w\.", r["first_name"]) is not None)
    assert initials == pytest.approx(0.02, abs=0.005)


# --- the error log and error_rate --------------------------------------------------


def test_rows_without_logged_errors_are_canonical(
    case: LinkageCase, person: dict[str, Person]
) -> None:
    clean = [(row, p) for row, p in _copies(case, person) if not case.errors[row["id"]]]
    assert 0.1 < len(clean) / (len(case.file_a) + len(case.file_b)) < 0.5
    for row, p in clean:
        assert row == _canonical(p, row["id"], row["bsn"])


def test_logged_errors_show_in_the_data(case: LinkageCase, person: dict[str, Person]) -> None:
    for row, p in _copies(case, person):
        kinds = case.errors[row["id"]]
        assert set(kinds) <= set(ERROR_RATES)
        if "prefix_missing" in kinds:
            assert row["name_prefix"] == "" and p.name_prefix
        if "dob_swap" in kinds and "dob_typo" not in kinds and row["date_of_birth"]:
            assert _dob(row["date_of_birth"]) == p.date_of_birth.replace(
                day=p.date_of_birth.month, month=p.date_of_birth.day
            )
        for field in ("first_name", "last_name", "gender", "postcode", "city"):
            if f"missing_{field}" in kinds:
                assert row[field] == ""
        if "last_name_typo" in kinds and len(kinds) == 1:
            assert _norm(row["last_name"]) != p.last_name.lower()


def test_error_rate_zero_gives_canonical_copies(population: list[Person]) -> None:
    case = make_linkage_files(population[:3000], seed=9, error_rate=0.0)
    for row, p in _copies(case, {p.person_id: p for p in population}):
        assert row == _canonical(p, row["id"], row["bsn"])
    assert not any(case.errors.values())


def test_error_rate_scales_the_rates(population: list[Person]) -> None:
    people = {p.person_id: p for p in population}
    double = make_linkage_files(population, seed=22, error_rate=2.0)
    copies = _copies(double, people)
    assert _share(copies, lambda r, p: not r["gender"]) == pytest.approx(0.06, abs=0.006)
    assert _share(copies, lambda r, p: r["date_of_birth"][2:3] == "-") == pytest.approx(
        0.8, abs=0.02
    )


def test_typos_always_change_the_name() -> None:
    grid = np.linspace(0.0, 0.999, 11).tolist()
    for name in ("Jansen", "Li", "O", "Aaron", "El Amrani", "Zoë"):
        for u_op, u_at, u_char in itertools.product(grid, grid, grid):
            typo = person_files._typo(name, u_op, u_at, u_char)
            assert typo.lower() != name.lower()
            assert abs(len(typo) - len(name)) <= 1


@pytest.mark.parametrize(
    "kwargs",
    [{"overlap": 1.5}, {"overlap": -0.1}, {"bsn_share_a": 2}, {"bsn_share_b": float("nan")},
     {"error_rate": -1.0}, {"error_rate": 6.0}, {"overlap": True}, {"seed": -1}],
)  # fmt: skip
def test_bad_arguments_raise_input_error(kwargs: dict[str, object]) -> None:
    arguments: dict[str, object] = {"seed": 1, **kwargs}
    with pytest.raises(InputError):
        make_linkage_files(generate_population(10, seed=1), **arguments)  # type: ignore[arg-type]


def test_every_error_rate_is_documented_with_its_value() -> None:
    doc = person_files.__doc__ or ""
    for kind, rate in ERROR_RATES.items():
        line = re.search(rf"^``{kind}``\s+(\d\.\d+)\s", doc, flags=re.MULTILINE)
        assert line is not None, kind
        assert float(line.group(1)) == rate
    documented = re.findall(r"^``(\w+)``\s+\d\.\d+", doc, flags=re.MULTILINE)
    assert documented == list(ERROR_RATES)  # the table lists them in the order applied
