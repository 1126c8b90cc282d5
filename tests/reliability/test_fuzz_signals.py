"""Property-based tests of the signals readers on bad input: person files, schemas,
encodings, and the normalisers behind them.

Person files for ``signals encode`` are written from generated Dutch-looking rows (any
delimiter, line end, byte-order mark, column order, quoting), then one value is
replaced by a planted personal value or the file is broken (truncated, not UTF-8, an
unclosed quote, a cell too long). The reader and the encoder must give rows and
problems (each naming the file and row, never the value) or raise
:class:`ValidationFailed`; nothing else. Valid files read back as written, encodings
written are read back the same, schema files load or raise :class:`ConfigError`, and
every normaliser is idempotent.

Examples are derandomized (the same on every run and in CI); see ``fuzz()``.
"""

from __future__ import annotations

import csv
import io
import json
import math
import tempfile
from contextlib import nullcontext
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from ketenbeeld.errors import ConfigError, Problem, ValidationFailed
from ketenbeeld.signals.encode import encode_file, encode_rows, read_person_csv
from ketenbeeld.signals.encodings import EncodedRecord, read_encodings, write_encodings
from ketenbeeld.signals.normalise import (
    NORMALISERS,
    normalise_bsn,
    normalise_first_name,
    normalise_gender,
    normalise_house_number,
    normalise_name,
    normalise_postcode,
    normalise_text,
    parse_date,
    split_surname,
)
from ketenbeeld.signals.schema import Schema, load_schema

from .fuzzing import fuzz, mutated_tree

KEY = bytes(range(32))
DUTCH = load_schema("dutch-person")
COLUMNS = [*DUTCH.header_columns, "name_prefix", "bsn"]
PLANTED = ("Jolanda Quist-Vermeulen", "Zoë van der Berg", "111222334")


# --- person files -----------------------------------------------------------------------

first_names = st.sampled_from(["Jan", "Zoë", "Anne-Marie", "J.P.", "Mohammed", "Ilse", "Ayşe"])
last_names = st.sampled_from(
    ["Jansen", "van der Berg", "Berg, van der", "De Vries", "v.d. Meer", "El Idrissi", "Öztürk"]
)
births = st.dates(min_value=date(1920, 1, 1), max_value=date(2020, 12, 31))


def _with_check_digit(first8: int) -> str:
    """Eight digits and the ninth that passes the 11-proef ("" when none can)."""
    digits = f"{first8:08d}"
    check = sum(int(d) * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
    return f"{digits}{check}" if check < 10 and first8 else ""


bsns = st.integers(0, 99_999_999).map(_with_check_digit)


@st.composite
def person_rows(draw: st.DrawFn) -> list[dict[str, str]]:
    """Valid rows of the dutch-person schema, with unique ids."""
    ids = draw(
        st.lists(st.text("ABCabc0123456789-", min_size=1, max_size=8), unique=True, max_size=6)
    )
    rows = []
    for record_id in ids:
        born = draw(births)
        rows.append(
            {
                "id": record_id,
                "first_name": draw(first_names),
                "name_prefix": draw(st.sampled_from(["", "van", "de"])),
                "last_name": draw(last_names),
                "date_of_birth": draw(
                    st.sampled_from(
                        [born.isoformat(), born.strftime("%d-%m-%Y"), born.strftime("%d/%m/%Y")]
                    )
                ),
                "gender": draw(st.sampled_from(["m", "v", "x", "man", "Vrouw", ""])),
                "postcode": draw(st.sampled_from(["1234 AB", "3581KP", "9999zz", ""])),
                "house_number": draw(st.sampled_from(["12", "12a", "1-3", "120 bis", ""])),
                "city": draw(st.sampled_from(["Utrecht", "'s-Hertogenbosch", "Den Haag", ""])),
                "bsn": draw(st.just("") | bsns),
            }
        )
    return rows


layouts = st.fixed_dictionaries(
    {
        "delimiter": st.sampled_from([",", ";", "\t"]),
        "newline": st.sampled_from(["\n", "\r\n", "\r"]),
        "bom": st.booleans(),
        "quoting": st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
        "order": st.permutations(COLUMNS),
        "extra": st.booleans(),
    }
)


def person_csv(rows: list[dict[str, str]], layout: dict[str, Any]) -> bytes:
    columns = list(layout["order"]) + (["notes"] if layout["extra"] else [])
    buffer = io.StringIO()
    writer = csv.writer(
        buffer,
        delimiter=layout["delimiter"],
        lineterminator=layout["newline"],
        quoting=layout["quoting"],
    )
    writer.writerow(columns)
    for row in rows:
        writer.writerow(
            [row.get(c, "") if c != "notes" else "notitie; met, tekens" for c in columns]
        )
    return ("\ufeff" if layout["bom"] else "").encode() + buffer.getvalue().encode("utf-8")


def scratch(tmp_path: Path, name: str, content: bytes) -> Path:
    """A new file per example (tmp_path is shared by all examples of a test)."""
    path = Path(tempfile.mkdtemp(dir=tmp_path)) / name
    path.write_bytes(content)
    return path


def assert_clean(problems: list[Problem], name: str, secrets: list[str]) -> None:
    for problem in problems:
        assert problem.source == name
        assert problem.message
        for secret in secrets:
            assert secret not in str(problem), "a personal value was echoed"


@fuzz(30)
@given(rows=person_rows(), layout=layouts)
@example(  # a lone "\r" line end and a quoted cell with a line end inside
    rows=[{"id": "a", "first_name": "Jan\nPiet", "last_name": "Jansen"}],
    layout={
        "delimiter": ";",
        "newline": "\r",
        "bom": True,
        "quoting": csv.QUOTE_ALL,
        "order": COLUMNS,
        "extra": False,
    },
)
def test_a_person_file_reads_back_as_written(
    tmp_path: Path, rows: list[dict[str, str]], layout: dict[str, Any]
) -> None:
    path = scratch(tmp_path, "persons.csv", person_csv(rows, layout))
    read, problems = read_person_csv(path, DUTCH)
    assert problems == []
    assert [dict(row) for row in read] == [
        {column: row.get(column, "") for column in DUTCH.columns} for row in rows
    ]
    assert [row.number for row in read] == list(range(2, len(rows) + 2))


@fuzz(12)
@given(rows=person_rows().filter(bool), layout=layouts)
def test_encodings_written_read_back_the_same(
    tmp_path: Path, rows: list[dict[str, str]], layout: dict[str, Any]
) -> None:
    path = scratch(tmp_path, "persons.csv", person_csv(rows, layout))
    out = path.with_name("encodings.jsonl")
    summary = encode_file(path, DUTCH, KEY, out, skip_unusable=True)
    encodings = read_encodings(out)
    assert summary.written == len(encodings) <= len(rows)
    assert encodings.schema == DUTCH.schema_id
    direct = encode_rows(read_person_csv(path, DUTCH)[0], DUTCH, KEY, source=path.name)
    assert list(encodings.ids) == [record.id for record in direct.records]
    assert list(encodings.bsn) == [record.bsn for record in direct.records]
    again = encode_rows(read_person_csv(path, DUTCH)[0], DUTCH, KEY, source=path.name)
    assert again.records == direct.records  # deterministic


# The planted value goes into a field where it is invalid (or into the id column, where
# it repeats another row's id): the row is unusable or the value is ignored, and the
# value is never in a problem.
_BAD_FIELDS = ("date_of_birth", "postcode", "house_number", "gender", "bsn", "id")


@fuzz(30)
@given(rows=person_rows().filter(bool), data=st.data())
@example(  # a BSN failing the 11-proef next to a name
    rows=[{"id": "a", "first_name": "Jan", "last_name": "Jansen", "date_of_birth": "2001-02-03"}],
    data=None,
)
def test_a_bad_value_is_named_by_row_and_field_never_shown(
    tmp_path: Path, rows: list[dict[str, str]], data: Any
) -> None:
    if data is None:
        index, field, secret = 0, "bsn", "111222334"
    else:
        index = data.draw(st.integers(0, len(rows) - 1))
        field = data.draw(st.sampled_from(_BAD_FIELDS))
        secret = data.draw(st.sampled_from(PLANTED))
    rows[index][field] = secret
    if field == "id":
        rows.append(dict(rows[index]))  # the same id twice
    layout = {"delimiter": ",", "newline": "\n", "bom": False, "quoting": csv.QUOTE_MINIMAL}
    layout |= {"order": COLUMNS, "extra": False}
    path = scratch(tmp_path, "persons.csv", person_csv(rows, layout))
    read, problems = read_person_csv(path, DUTCH)
    assert problems == []
    result = encode_rows(read, DUTCH, KEY, source=path.name)
    reported = [*result.problems, *result.ignored]
    assert_clean(reported, path.name, [secret])
    named = [p.location for p in reported if p.field == field]
    if field == "id":
        assert named == [f"row {len(rows) + 1}"]  # the second row with the id
    elif field == "house_number" and secret.isdigit():
        assert named == []  # nine digits are a house number with an addition
    else:
        assert named == [f"row {index + 2}"], reported
    expect_error = pytest.raises(ValidationFailed) if result.problems else nullcontext()
    with expect_error:
        encode_file(path, DUTCH, KEY, path.with_name("out.jsonl"))


@st.composite
def broken_person_files(draw: st.DrawFn) -> bytes:
    rows = draw(person_rows())
    data = person_csv(
        rows, draw(layouts) | {"newline": "\n", "quoting": csv.QUOTE_ALL, "extra": False}
    )
    how = draw(
        st.sampled_from(["truncate", "insert", "quote", "not-utf8", "long", "blank", "ragged"])
    )
    if how == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    elif how == "insert":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=6)) + data[at:]
    elif how == "quote":
        data = data + b'"Jolanda Quist\n'
    elif how == "not-utf8":
        data = data + "Zoë".encode("latin-1")
    elif how == "long":
        data = data + b"a" * 200_000 + b"\n"
    elif how == "blank":
        data = b"\n\n" + data
    elif how == "ragged":
        data = data + b"x,Jolanda Quist\n"
    return data


@fuzz(30)
@given(content=broken_person_files() | st.binary(max_size=200))
@example(content=b"id,first_name\n" + b"x" * 200_000 + b"\n")  # cell over the csv limit
@example(content=b'id,first_name\n1,"Jolanda\n')  # unclosed quote
@example(content=b"\r\r\n")
@example(content=b"\x00")
def test_a_broken_person_file_gives_problems_not_crashes(tmp_path: Path, content: bytes) -> None:
    path = scratch(tmp_path, "persons.csv", content)
    rows, problems = read_person_csv(path, DUTCH)
    assert_clean(problems, path.name, ["Jolanda"])
    assert all(row.number >= 2 for row in rows)
    try:
        summary = encode_file(path, DUTCH, KEY, path.with_name("out.jsonl"), skip_unusable=True)
    except ValidationFailed as error:
        assert_clean(list(error.problems), path.name, ["Jolanda"])
    else:
        assert summary.written == len(read_encodings(summary.out))


cells = st.text(max_size=12) | st.sampled_from(["", " ", "0", "31-02-2004", "J.", "\u2028"])


@fuzz(30)
@given(
    rows=st.lists(st.fixed_dictionaries({column: cells for column in COLUMNS}), max_size=6),
    schema=st.sampled_from(["dutch-person", "febrl"]),
)
def test_encode_rows_accounts_for_every_row(rows: list[dict[str, str]], schema: str) -> None:
    """Any text in any column: each row is encoded or reported, never both, never a crash."""
    loaded = load_schema(schema)
    result = encode_rows(rows, loaded, KEY, source="rows")
    encoded = {record.id for record in result.records}
    unusable = {p.location for p in result.problems}
    assert len(result.records) + len(unusable) == len(rows)
    numbers = {f"row {n}" for n in range(2, len(rows) + 2)}
    assert unusable <= numbers
    assert all(len(record.bits) * 8 == loaded.n_bits for record in result.records)
    assert len(encoded) == len(result.records)


# --- normalisers ------------------------------------------------------------------------

texts = st.text() | st.sampled_from(["İstanbul", "ß", "ﬁ", "Ǆ", "Zoë", "'t Hart", "O'Brien"])


@fuzz(120)
@given(text=texts)
def test_normalisers_are_idempotent_and_never_raise(text: str) -> None:
    for normalise in (normalise_text, normalise_name, normalise_first_name):
        once = normalise(text)
        assert normalise(once) == once, normalise.__name__
    for parse in (normalise_postcode, normalise_house_number, normalise_gender, normalise_bsn):
        once_or_none = parse(text)
        if once_or_none is not None:
            assert parse(once_or_none) == once_or_none, parse.__name__
    parsed = parse_date(text)
    if parsed is not None:
        assert parse_date(parsed.isoformat()) == parsed
    for normaliser in NORMALISERS.values():
        value = normaliser.function([text, text])
        assert value is None or isinstance(value, str)


@fuzz(60)
@given(surname=texts | last_names, prefix=st.sampled_from(["", "van", "v.d.", "de", "van 't"]))
def test_a_split_surname_splits_the_same_again(surname: str, prefix: str) -> None:
    taken, core = split_surname(surname, prefix)
    assert split_surname(core, taken) == (taken, core)


@fuzz(40)
@given(day=st.dates(min_value=date(1800, 1, 1), max_value=date(2199, 12, 31)))
def test_dates_of_birth_read_back_in_every_accepted_form(day: date) -> None:
    y, m, d = day.year, day.month, day.day
    for written in (
        f"{y}-{m:02d}-{d:02d}",
        f"{d}-{m}-{y}",
        f"{d:02d}/{m:02d}/{y}",
        f"{d}.{m}.{y}",
        f"{y}{m:02d}{d:02d}",
        f" {y}/{m}/{d} ",
    ):
        assert parse_date(written) == day, written


# --- schema files -----------------------------------------------------------------------

_BUILTIN_SCHEMA = yaml.safe_load(
    (Path(__file__).parents[2] / "src/ketenbeeld/signals/data/dutch-person.yaml").read_text()
)
junk = st.sampled_from(
    [
        None,
        5,
        -1,
        0,
        "",
        "x",
        "(",
        True,
        1.5,
        math.nan,
        [],
        {},
        [1],
        {"a": 1},
        10**30,
        ["x"],
        10**400,
    ]
)


@st.composite
def schema_files(draw: st.DrawFn) -> bytes:
    data = yaml.safe_dump(draw(mutated_tree(_BUILTIN_SCHEMA, junk)), allow_unicode=True).encode()
    how = draw(st.sampled_from(["as-is", "truncate", "bytes", "crlf", "date"]))
    if how == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    elif how == "bytes":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=4)) + data[at:]
    elif how == "crlf":
        data = data.replace(b"\n", b"\r\n")
    elif how == "date":
        data += b"description: 2019-02-30\n"
    return data


@fuzz(30)
@given(data=schema_files())
@example(data=b"name: x\nversion: 1\ndescription: 2019-02-30\n")  # ValueError escaped PyYAML
@example(data=b"[" * 600)  # RecursionError escaped PyYAML
@example(data=b"name: x\nversion: 1\nrequired: 5\n")  # 'int' object is not iterable
@example(data=b"name: x\nversion: 1\nswappable: 5\n")
@example(data=b"name: \xff\n")
@example(  # a weight of 400 digits: OverflowError in float()
    data=b"name: x\nversion: 1\nid_column: id\nfields:\n- {name: a, columns: [a], "
    b"normaliser: text, tokeniser: exact, bits: 64, k: 2, weight: 1" + b"0" * 400 + b"}\n"
)
def test_schema_files_load_or_list_their_problems(tmp_path: Path, data: bytes) -> None:
    path = scratch(tmp_path, "schema.yaml", data)
    try:
        schema = load_schema(path)
    except ConfigError as error:
        assert "schema" in str(error)
        return
    assert isinstance(schema, Schema)
    # A schema that loads encodes any row without crashing.
    row = dict.fromkeys(schema.columns, "Jan 12-03-2004 1234AB")
    result = encode_rows([row, {}], schema, KEY, source="rows")
    assert len(result.records) + len({p.location for p in result.problems}) == 2


# --- encodings files --------------------------------------------------------------------

records = st.lists(
    st.builds(
        EncodedRecord,
        id=st.text(alphabet=st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=8),
        bits=st.binary(min_size=16, max_size=16),
        schema=st.just("dutch-person/3"),
        bsn=st.none() | st.binary(min_size=32, max_size=32).map(bytes.hex),
    ),
    unique_by=lambda record: record.id,
    max_size=6,
)


@fuzz(30)
@given(items=records)
def test_encodings_round_trip(tmp_path: Path, items: list[EncodedRecord]) -> None:
    path = scratch(tmp_path, "enc.jsonl", b"")
    assert write_encodings(path, items) == len(items)
    loaded = read_encodings(path)
    assert list(loaded.ids) == [item.id for item in items]
    assert list(loaded.bsn) == [item.bsn for item in items]
    packed = [row.astype(">u8").tobytes() for row in loaded.matrix]
    assert packed == [item.bits for item in items]


_BAD_LINES = [
    "[]",
    "null",
    '{"id": 5, "clk": "AAAAAAAAAAA="}',
    '{"id": "a", "clk": "not base64!"}',
    '{"id": "a", "clk": "AAAA"}',
    '{"id": "a", "clk": "AAAAAAAAAAA=", "schema": 7}',
    '{"id": "a", "clk": "AAAAAAAAAAA=", "schema": "x/1", "bsn": "abc"}',
    '{"id": "a", "clk": "AAAAAAAAAAA=", "schema": "x/1", "n": ' + "9" * 5000 + "}",
    '{"id": "a", "clk": "AAAAAAAAAAA=", "schema": "x/1", "n": NaN}',
    '{"id": "\\ud800", "clk": "AAAAAAAAAAA=", "schema": "x/1"}',
    "[" * 100_000,
    '{"id": "a", "clk": "ÄÄÄÄ"}',
    "{",
]


@fuzz(30)
@given(items=records.filter(bool), bad=st.sampled_from(_BAD_LINES), data=st.data())
@example(  # an id with U+2028 written raw (ensure_ascii=False) was split into two lines
    items=[EncodedRecord("a\u2028b", bytes(8), "dutch-person/3")], bad="", data=None
)
def test_a_bad_encodings_line_is_named_by_line(
    tmp_path: Path, items: list[EncodedRecord], bad: str, data: Any
) -> None:
    lines = [json.dumps(item.to_json(), ensure_ascii=False) for item in items]
    at = 0 if data is None else data.draw(st.integers(0, len(lines)))
    if bad:
        lines.insert(at, bad)
    path = scratch(tmp_path, "enc.jsonl", "\n".join(lines).encode("utf-8"))
    if not bad:
        assert list(read_encodings(path).ids) == [item.id for item in items]
        return
    with pytest.raises(ValidationFailed) as info:
        read_encodings(path)
    assert info.value.problems
    assert_clean(list(info.value.problems), path.name, [])
    lines_named = {p.location for p in info.value.problems}
    assert lines_named <= {"", *(f"line {n}" for n in range(1, len(lines) + 1))}
