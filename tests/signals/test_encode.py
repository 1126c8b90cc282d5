"""Encoding person rows into keyed Bloom-filter encodings, at the organisation."""

from __future__ import annotations

import base64
import csv
import dataclasses
import hashlib
import hmac
import json
import logging
import struct
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pytest

from ketenbeeld.errors import InputError, ValidationFailed
from ketenbeeld.signals import _bloom
from ketenbeeld.signals.encode import (
    Encoder,
    PersonRow,
    encode_file,
    encode_rows,
    read_person_csv,
)
from ketenbeeld.signals.encodings import EncodedRecord, read_encodings
from ketenbeeld.signals.keys import derive_key
from ketenbeeld.signals.schema import Schema, load_schema, parse_schema

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))
HEADER = [
    "id",
    "first_name",
    "name_prefix",
    "last_name",
    "date_of_birth",
    "gender",
    "postcode",
    "house_number",
    "city",
    "bsn",
]
BASE = {
    "id": "rec-1",
    "first_name": "Johannes",
    "name_prefix": "",
    "last_name": "Jansen",
    "date_of_birth": "12-03-2004",
    "gender": "m",
    "postcode": "3581 KP",
    "house_number": "12",
    "city": "Utrecht",
    "bsn": "",
}


@pytest.fixture(scope="module")
def dutch() -> Schema:
    return load_schema("dutch-person")


def person(**changes: str) -> dict[str, str]:
    return {**BASE, **changes}


def bits(record: EncodedRecord) -> np.ndarray:
    return np.unpackbits(np.frombuffer(record.bits, dtype=np.uint8)).astype(bool)


def section(record: EncodedRecord, schema: Schema, name: str) -> np.ndarray:
    found = next(s for s in schema.layout().sections if s.name == name)
    return bits(record)[found.start : found.stop]


def dice(a: EncodedRecord, b: EncodedRecord, schema: Schema, name: str) -> float:
    x, y = section(a, schema, name), section(b, schema, name)
    return float(2 * (x & y).sum() / (x.sum() + y.sum()))


def encode_one(schema: Schema, row: Mapping[str, str], key: bytes = KEY) -> EncodedRecord:
    result = encode_rows([row], schema, key, source="test")
    assert result.problems == []
    return result.records[0]


def write_csv(path: Path, rows: list[dict[str, str]], delimiter: str = ",") -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]), delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_encoding_layout_and_record_fields(dutch: Schema):
    record = encode_one(dutch, person(bsn="111222333"))
    assert record.id == "rec-1"
    assert record.schema == "dutch-person/3"
    assert len(record.bits) == dutch.n_bits // 8 == 128
    for found in dutch.layout().sections:
        filled = bits(record)[found.start : found.stop].mean()
        if found.name == "name_prefix":
            assert filled == 0  # no tussenvoegsel: an empty section
        else:
            assert 0.05 < filled < 0.6, found.name


def test_encoding_is_deterministic_and_pinned(dutch: Schema):
    rows = [person(id=f"r{i}", first_name=name) for i, name in enumerate(["Anna", "Sem", "Zoë"])]
    first = encode_rows(rows, dutch, KEY, source="a").records
    second = Encoder(dutch, KEY).encode(list(reversed(rows)), source="b").records[::-1]
    assert [r.bits for r in first] == [r.bits for r in second]
    # Pinned: changing the normalisation, tokens or hashing breaks linkage with every
    # encoding made before, so it must be a new schema version, never a silent change.
    digest = hashlib.sha256(b"".join(r.bits for r in first)).hexdigest()
    assert digest == "1b0b889112a5e800d5f9fa4e67d97a679aa16b60f5239e8e2d6e56c90fdda664"


def test_positions_follow_the_documented_keyed_hashing(dutch: Schema):
    assert dutch.hashing == "blake2b"
    record = encode_one(dutch, person(first_name="Anna", date_of_birth="2004-03-12"))
    field_key = derive_key(KEY, "field/name")  # first and last name share one key
    expected = np.zeros(256, dtype=bool)
    for token in ("_a", "an", "nn", "na", "a_"):  # padded bigrams of "anna"
        message = b"2004\x1f" + token.encode()
        digest = hashlib.blake2b(message, key=field_key, digest_size=48, person=b"\x00")
        words = struct.unpack(">12I", digest.digest())  # k = 12 positions
        expected[[word % 256 for word in words]] = True
    assert (section(record, dutch, "first_name") == expected).all()


def test_more_than_16_positions_take_a_second_personalised_blake2b(dutch: Schema):
    # Postcode: k = 20, so 16 positions from block 0 and 4 from block 1.
    record = encode_one(dutch, person(postcode="1234 AB"))
    field_key = derive_key(KEY, "field/postcode")
    expected = np.zeros(128, dtype=bool)
    for token in ("pc:1234AB", "area:1234"):
        first = hashlib.blake2b(token.encode(), key=field_key, digest_size=64, person=b"\x00")
        second = hashlib.blake2b(token.encode(), key=field_key, digest_size=16, person=b"\x01")
        words = struct.unpack(">20I", first.digest() + second.digest())
        expected[[word % 128 for word in words]] = True
    assert (section(record, dutch, "postcode") == expected).all()


def test_a_schema_without_hashing_keeps_hmac_sha256(dutch: Schema):
    # Schema files written before `hashing` existed must give the same encodings.
    older = dataclasses.replace(dutch, hashing="hmac-sha256")
    record = encode_one(older, person(first_name="Anna", date_of_birth="2004-03-12"))
    field_key = derive_key(KEY, "field/name")
    expected = np.zeros(256, dtype=bool)
    for token in ("_a", "an", "nn", "na", "a_"):
        mac = hmac.digest(field_key, b"2004\x1f" + token.encode(), "sha256")
        extended = mac + hashlib.sha256(mac + b"\x01").digest()  # k = 12 > 8 words
        words = struct.unpack(">16I", extended)[:12]
        expected[[word % 256 for word in words]] = True
    assert (section(record, older, "first_name") == expected).all()
    assert record.bits != encode_one(dutch, person(first_name="Anna")).bits


def test_different_keys_give_unrelated_encodings(dutch: Schema):
    a = encode_one(dutch, person(), KEY)
    b = encode_one(dutch, person(), OTHER_KEY)
    assert a.bits != b.bits
    for name in ("first_name", "last_name", "date_of_birth", "postcode"):
        assert dice(a, b, dutch, name) < 0.5, name


@pytest.mark.parametrize(
    ("prefix", "surname"),
    [
        ("", "Jansen, van"),
        ("van", "Jansen"),
        ("", "van Jansen"),
        ("Van", "JANSEN"),
        ("", "Jansen , Van"),
    ],
)
def test_tussenvoegsel_written_any_way_gives_identical_sections(
    dutch: Schema, prefix: str, surname: str
):
    reference = encode_one(dutch, person(name_prefix="van", last_name="Jansen"))
    other = encode_one(dutch, person(name_prefix=prefix, last_name=surname))
    assert other.bits == reference.bits
    assert section(other, dutch, "name_prefix").any()


def test_missing_prefix_keeps_the_core_surname(dutch: Schema):
    full = encode_one(dutch, person(name_prefix="van der", last_name="Berg"))
    bare = encode_one(dutch, person(last_name="Berg"))
    assert dice(full, bare, dutch, "last_name") == 1.0
    assert not section(bare, dutch, "name_prefix").any()


def test_typo_keeps_first_name_similarity_and_another_name_does_not(dutch: Schema):
    reference = encode_one(dutch, person(first_name="Johannes"))
    typo = encode_one(dutch, person(first_name="Johanes"))
    substitution = encode_one(dutch, person(first_name="Jphannes"))
    other = encode_one(dutch, person(first_name="Pieter"))
    assert dice(reference, typo, dutch, "first_name") > 0.7
    assert dice(reference, substitution, dutch, "first_name") > 0.7
    assert dice(reference, other, dutch, "first_name") < 0.4
    assert dice(reference, typo, dutch, "last_name") == 1.0


def test_diacritics_and_case_do_not_matter(dutch: Schema):
    assert (
        encode_one(dutch, person(first_name="Zoë", city="DEN HAAG")).bits
        == encode_one(dutch, person(first_name="zoe", city="Den  Haag")).bits
    )


def test_swapped_day_and_month_keep_date_similarity(dutch: Schema):
    reference = encode_one(dutch, person(date_of_birth="12-03-2004"))
    iso = encode_one(dutch, person(date_of_birth="2004-03-12"))
    swapped = encode_one(dutch, person(date_of_birth="03-12-2004"))
    other = encode_one(dutch, person(date_of_birth="27-08-1991"))
    assert iso.bits == reference.bits
    assert dice(reference, swapped, dutch, "date_of_birth") > 0.5
    assert dice(reference, other, dutch, "date_of_birth") < 0.4
    # The year is kept, so the salted name sections still agree.
    assert dice(reference, swapped, dutch, "first_name") == 1.0


def test_year_of_birth_salts_the_names(dutch: Schema):
    reference = encode_one(dutch, person(date_of_birth="12-03-2004"))
    next_year = encode_one(dutch, person(date_of_birth="12-03-2005"))
    assert dice(reference, next_year, dutch, "first_name") < 0.5
    assert dice(reference, next_year, dutch, "last_name") < 0.5
    # Without the salt the same name gives the same section whatever the year.
    raw = {
        "name": "unsalted",
        "version": 1,
        "id_column": "id",
        "fields": [
            {
                "name": "first_name",
                "columns": ["first_name"],
                "normaliser": "first_name",
                "tokeniser": "qgrams",
                "bits": 256,
                "k": 12,
                "weight": 1,
            },
            {
                "name": "date_of_birth",
                "columns": ["date_of_birth"],
                "normaliser": "date",
                "tokeniser": "date",
                "bits": 128,
                "k": 8,
                "weight": 1,
            },
        ],
    }
    unsalted = parse_schema(raw, "unsalted.yaml")
    a = encode_one(unsalted, person(date_of_birth="12-03-2004"))
    b = encode_one(unsalted, person(date_of_birth="12-03-2005"))
    assert dice(a, b, unsalted, "first_name") == 1.0


def test_postcode_area_keeps_half_the_postcode(dutch: Schema):
    reference = encode_one(dutch, person(postcode="3581 KP"))
    same_area = encode_one(dutch, person(postcode="3581 XZ"))
    elsewhere = encode_one(dutch, person(postcode="9876 XZ"))
    assert dice(reference, same_area, dutch, "postcode") > 0.45
    assert dice(reference, elsewhere, dutch, "postcode") < 0.4


def test_bsn_hash_equal_for_equal_bsns_and_keyed(dutch: Schema):
    plain = encode_one(dutch, person(bsn="111222333"))
    dotted = encode_one(dutch, person(bsn="1112.22.333"))
    other_bsn = encode_one(dutch, person(bsn="123456782"))
    other_key = encode_one(dutch, person(bsn="111222333"), OTHER_KEY)
    none = encode_one(dutch, person(bsn=""))
    assert plain.bsn is not None and len(plain.bsn) == 64
    assert plain.bsn == dotted.bsn
    assert plain.bsn != other_bsn.bsn
    assert plain.bsn != other_key.bsn
    assert none.bsn is None
    # The BSN travels beside the Bloom filter, not in it.
    assert plain.bits == none.bits
    assert plain.bsn == Encoder(dutch, KEY).bsn_hash("111222333")


def test_leading_zero_dropped_by_a_spreadsheet_gives_the_same_bsn_hash(dutch: Schema):
    assert (
        encode_one(dutch, person(bsn="12345672")).bsn
        == encode_one(dutch, person(bsn="012345672")).bsn
    )


def test_unusable_rows_are_reported_by_row_and_field_without_values(dutch: Schema):
    rows = [
        person(id="ok-1"),
        person(id="r3", first_name="", last_name=""),
        person(id="r4", date_of_birth="31-02-2004"),
        person(id="r5", date_of_birth=""),
        person(id="r6", bsn="111222334"),
        person(id="r7", bsn="11122233x"),
        person(id=""),
        person(id="ok-1", first_name="Pieternella"),
        person(id="ok-2", first_name="Wilhelmina", postcode="0123 XY", gender="onbekend"),
    ]
    result = encode_rows(rows, dutch, KEY, source="persons.csv")
    assert [r.id for r in result.records] == ["ok-1", "ok-2"]
    assert [str(p) for p in result.problems] == [
        "persons.csv, row 3, field first_name/last_name: first_name and last_name are both "
        "empty: at least one name and the date of birth are needed",
        "persons.csv, row 4, field date_of_birth: date_of_birth is not a date: use YYYY-MM-DD "
        "or DD-MM-YYYY",
        "persons.csv, row 5, field date_of_birth: date_of_birth is empty: at least one name "
        "and the date of birth are needed",
        "persons.csv, row 6, field bsn: bsn fails the 11-proef",
        "persons.csv, row 7, field bsn: bsn is not a BSN: use its 9 digits",
        "persons.csv, row 8, field id: id is empty: every row needs a record id",
        "persons.csv, row 9, field id: id repeats the record id of row 2",
    ]
    assert [str(p) for p in result.ignored] == [
        "persons.csv, row 10, field gender: gender is not a gender: use m, v or x "
        "(or man, vrouw, jongen, meisje, anders); encoded as empty",
        "persons.csv, row 10, field postcode: postcode is not a Dutch postcode: use 4 digits "
        "and 2 letters, e.g. 1234 AB; encoded as empty",
    ]
    ok_2 = result.records[1]
    assert not section(ok_2, dutch, "postcode").any()
    assert not section(ok_2, dutch, "gender").any()
    values = {v for row in rows for k, v in row.items() if k != "id" and len(v) > 2}
    for problem in [*result.problems, *result.ignored]:
        assert not [v for v in values if v in problem.message], problem


def test_person_rows_keep_their_own_row_numbers(dutch: Schema):
    rows = [PersonRow(7, person(first_name="", last_name=""))]
    result = encode_rows(rows, dutch, KEY, source="p.csv")
    assert [p.location for p in result.problems] == ["row 7"]


def test_bounded_caches_do_not_change_the_encodings(dutch: Schema, monkeypatch: pytest.MonkeyPatch):
    rows = [
        person(id=f"r{i}", first_name=f"Naam{i % 7}", date_of_birth=f"0{1 + i % 9}-03-19{50 + i}")
        for i in range(40)
    ]
    normal = encode_rows(rows, dutch, KEY, source="a").records
    monkeypatch.setattr(_bloom, "_VALUE_CACHE", 3)
    monkeypatch.setattr(_bloom, "_TOKEN_CACHE", 5)
    tiny = encode_rows(rows, dutch, KEY, source="a").records
    assert [r.bits for r in tiny] == [r.bits for r in normal]


def test_read_person_csv_reports_all_missing_columns(tmp_path: Path, dutch: Schema):
    path = tmp_path / "p.csv"
    path.write_text("id,first_name,geboortedatum\n1,Jan,2000-01-01\n", encoding="utf-8")
    rows, problems = read_person_csv(path, dutch)
    assert rows == []
    assert [p.field for p in problems] == [
        "last_name",
        "date_of_birth",
        "gender",
        "postcode",
        "house_number",
        "city",
    ]
    assert {p.location for p in problems} == {"row 1"}
    assert problems[0].message.startswith("is missing from the header; the dutch-person/3 schema")


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_read_person_csv_sniffs_the_delimiter(tmp_path: Path, dutch: Schema, delimiter: str):
    path = write_csv(tmp_path / "p.csv", [person(), person(id="rec-2")], delimiter)
    rows, problems = read_person_csv(path, dutch)
    assert problems == []
    assert [r.number for r in rows] == [2, 3]
    assert rows[0]["last_name"] == "Jansen"


def test_read_person_csv_keeps_only_schema_columns(tmp_path: Path, dutch: Schema):
    path = write_csv(tmp_path / "p.csv", [{**person(), "notes": "zorgen over thuissituatie"}])
    rows, _ = read_person_csv(path, dutch)
    assert "notes" not in rows[0]


def test_read_person_csv_byte_order_mark_blank_lines_and_ragged_rows(tmp_path: Path, dutch: Schema):
    header = ",".join(HEADER)
    good = ",".join(person().values())
    path = tmp_path / "p.csv"
    path.write_bytes(f"\ufeff{header}\n{good}\n\n1,2,3\n{good}\n".encode())
    rows, problems = read_person_csv(path, dutch)
    assert [r.number for r in rows] == [2, 5]
    assert [str(p) for p in problems] == [
        "p.csv, row 4: has 3 values where the header has 10 columns"
    ]


def test_read_person_csv_unreadable_files(tmp_path: Path, dutch: Schema):
    latin = tmp_path / "latin.csv"
    latin.write_bytes("id,first_name\n1,Zo\xeb\n".encode("latin-1"))
    assert [str(p) for p in read_person_csv(latin, dutch)[1]] == [
        "latin.csv: is not UTF-8 text: save it as CSV UTF-8"
    ]
    assert [str(p) for p in read_person_csv(tmp_path / "nope.csv", dutch)[1]] == [
        "nope.csv: does not exist"
    ]
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    assert read_person_csv(empty, dutch)[1][0].message == "needs a header row with the column names"


def test_encode_file_is_all_or_nothing(tmp_path: Path, dutch: Schema):
    path = write_csv(
        tmp_path / "p.csv",
        [person(), person(id="rec-2", date_of_birth="morgen"), person(id="rec-3", bsn="1")],
    )
    out = tmp_path / "enc.jsonl"
    with pytest.raises(ValidationFailed) as caught:
        encode_file(path, dutch, KEY, out)
    assert [(p.location, p.field) for p in caught.value.problems] == [
        ("row 3", "date_of_birth"),
        ("row 4", "bsn"),
    ]
    assert caught.value.message == "2 problems found; nothing was written"
    assert "--skip-unusable" in (caught.value.hint or "")
    assert not out.exists()

    summary = encode_file(path, dutch, KEY, out, skip_unusable=True)
    assert (summary.rows, summary.written, summary.schema) == (3, 1, "dutch-person/3")
    assert len(summary.problems) == 2
    encodings = read_encodings(out)
    assert encodings.ids == ("rec-1",)
    assert encodings.schema == "dutch-person/3"
    assert encodings.matrix.shape == (1, 16)


def test_encode_file_without_usable_rows_writes_nothing(tmp_path: Path, dutch: Schema):
    path = write_csv(tmp_path / "p.csv", [person(first_name="", last_name="")])
    out = tmp_path / "enc.jsonl"
    with pytest.raises(ValidationFailed) as caught:
        encode_file(path, dutch, KEY, out, skip_unusable=True)
    assert caught.value.problems[-1].message == "has no usable rows"
    assert not out.exists()
    with pytest.raises(InputError, match="must not be the person file itself"):
        encode_file(path, dutch, KEY, path)


def test_encode_file_reports_progress_and_is_byte_identical(tmp_path: Path, dutch: Schema):
    rows = [person(id=f"rec-{i}", house_number=str(i + 1)) for i in range(5000)]
    path = write_csv(tmp_path / "p.csv", rows)
    seen: list[int] = []
    encode_file(path, dutch, KEY, tmp_path / "a.jsonl", on_row=seen.append)
    encode_file(path, dutch, KEY, tmp_path / "b.jsonl")
    assert seen[-1] == 5000
    assert seen == sorted(seen)
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()


def test_no_identifier_value_appears_in_the_output_or_the_logs(
    tmp_path: Path, dutch: Schema, caplog: pytest.LogCaptureFixture
):
    people = [
        person(
            id="rec-1",
            first_name="Wilhelmina",
            name_prefix="van der",
            last_name="Hoogenkamp",
            date_of_birth="17-09-1998",
            postcode="3511 LX",
            city="Amersfoort",
            bsn="111222333",
        ),
        person(
            id="rec-2",
            first_name="Zoë",
            last_name="Çelik, de",
            date_of_birth="2003-11-28",
            postcode="9712CP",
            city="Groningen",
            bsn="123456782",
        ),
        person(
            id="rec-3",
            first_name="Mohammed",
            last_name="El Amrani",
            date_of_birth="5.1.2007",
            postcode="1102 AB",
            city="Diemen",
            bsn="",
        ),
    ]
    path = write_csv(tmp_path / "persons.csv", people)
    out = tmp_path / "enc.jsonl"
    with caplog.at_level(logging.DEBUG):
        encode_file(path, dutch, KEY, out)
    text = out.read_text("utf-8")
    lines = [json.loads(line) for line in text.splitlines()]
    assert [sorted(line) for line in lines] == [
        ["bsn", "clk", "id", "schema"],
        ["bsn", "clk", "id", "schema"],
        ["clk", "id", "schema"],
    ]
    decoded = b"".join(base64.b64decode(line["clk"]) for line in lines)
    secrets: set[str] = set()
    for row in people:
        for column in ("first_name", "last_name", "date_of_birth", "postcode", "city", "bsn"):
            value = row[column]
            if value:
                secrets |= {value, value.lower(), value.replace(" ", ""), value.upper()}
    secrets |= {"wilhelmina", "hoogenkamp", "zoe", "celik", "amrani", "1998-09-17", "2007-01-05"}
    secrets |= {"3511LX", "9712CP", "1102AB", "1998", "2003", "2007"}
    for secret in secrets:
        assert secret not in text, secret
        assert secret.encode() not in decoded, secret
        assert secret not in caplog.text, secret
    assert "van der" not in text


def test_febrl_rows_encode_without_salting():
    febrl = load_schema("febrl")
    row = {
        "rec_id": "rec-1-org",
        "given_name": "michaela",
        "surname": "neumann",
        "street_number": "8",
        "address_1": "stanley street",
        "address_2": "miami",
        "suburb": "winston hills",
        "postcode": "4223",
        "state": "nsw",
        "date_of_birth": "19151111",
        "soc_sec_id": "5304218",
    }
    a = encode_one(febrl, row)
    b = encode_one(febrl, {**row, "rec_id": "rec-1-dup-0", "date_of_birth": "19151112"})
    assert (a.id, a.schema, len(a.bits)) == ("rec-1-org", "febrl/2", 1472 // 8)
    assert a.bsn is None
    assert dice(a, b, febrl, "given_name") == 1.0
    assert 0.7 < dice(a, b, febrl, "date_of_birth") < 1.0


def test_read_person_csv_duplicate_schema_columns_and_broken_csv(tmp_path: Path, dutch: Schema):
    header = ",".join([*HEADER, "city", "notes", "notes"])
    path = tmp_path / "p.csv"
    path.write_text(header + "\n", encoding="utf-8")
    assert [str(p) for p in read_person_csv(path, dutch)[1]] == [
        "p.csv, row 1, field city: appears more than once in the header"
    ]
    broken = tmp_path / "broken.csv"
    broken.write_bytes(b'id,first_name\n1,"Jan\n2,Piet\n')
    assert read_person_csv(broken, dutch)[1][0].message.startswith("cannot be read as CSV")


def test_a_row_without_date_of_birth_but_with_a_bsn_is_encoded_by_its_bsn_only(dutch: Schema):
    rows = [
        person(id="r1", date_of_birth="", bsn="111222333"),
        person(id="r2", date_of_birth=""),
        person(id="r3", first_name="", last_name="", bsn="123456782"),
    ]
    result = encode_rows(rows, dutch, KEY, source="p.csv")
    assert [r.id for r in result.records] == ["r1", "r3"]
    for record in result.records:
        assert not bits(record).any()  # an empty filter: no fuzzy link is possible
        assert record.bsn is not None
    assert [str(p) for p in result.ignored] == [
        "p.csv, row 2, field date_of_birth: date_of_birth is empty: at least one name and "
        "the date of birth are needed; encoded by its BSN only",
        "p.csv, row 4, field first_name/last_name: first_name and last_name are both empty: "
        "at least one name and the date of birth are needed; encoded by its BSN only",
    ]
    assert [str(p) for p in result.problems] == [
        "p.csv, row 3, field date_of_birth: date_of_birth is empty: at least one name and "
        "the date of birth are needed"
    ]


def test_a_bsn_only_record_links_only_to_the_same_bsn(dutch: Schema):
    from ketenbeeld.signals.encodings import EncodingSet
    from ketenbeeld.signals.link import link_bruteforce

    def as_set(records):
        matrix = np.frombuffer(b"".join(r.bits for r in records), ">u8")
        return EncodingSet(
            tuple(r.id for r in records),
            matrix.reshape(len(records), -1).astype(np.uint64),
            records[0].schema,
            tuple(r.bsn for r in records),
        )

    a = encode_rows([person(id="a1", date_of_birth="", bsn="111222333")], dutch, KEY, source="a")
    b = encode_rows(
        [person(id="b1", bsn="111222333"), person(id="b2"), person(id="b3", bsn="123456782")],
        dutch,
        KEY,
        source="b",
    )
    links = link_bruteforce(as_set(a.records), as_set(b.records), dutch.layout(), threshold=0.1)
    assert [(item.id_a, item.id_b, item.score) for item in links.links] == [("a1", "b1", 1.0)]


def test_swapped_first_and_last_name_still_link(dutch: Schema):
    from ketenbeeld.signals.encodings import EncodingSet
    from ketenbeeld.signals.link import link_bruteforce

    def as_set(records):
        matrix = np.frombuffer(b"".join(r.bits for r in records), ">u8")
        return EncodingSet(
            tuple(r.id for r in records),
            matrix.reshape(len(records), -1).astype(np.uint64),
            records[0].schema,
            (None,) * len(records),
        )

    layout = dutch.layout()
    without = type(layout)(layout.schema, layout.sections)  # the same layout without swaps
    plain_scores = []
    names = [("Sanne", "Visser"), ("Daan", "Bakker"), ("Emma", "Smit"), ("Lucas", "Mulder")]
    names += [("Julia", "Bos"), ("Noah", "Dekker")]
    for first, last in names:
        straight = encode_one(dutch, person(id="a", first_name=first, last_name=last))
        swapped = encode_one(dutch, person(id="b", first_name=last, last_name=first))
        # The crossed sections are identical: one key hashes both name fields.
        crossed_sections = section(swapped, dutch, "last_name")
        assert (section(straight, dutch, "first_name") == crossed_sections).all()
        crossed = link_bruteforce(as_set([straight]), as_set([swapped]), layout, threshold=0.01)
        assert [round(item.score, 6) for item in crossed.links] == [1.0]
        plain = link_bruteforce(as_set([straight]), as_set([swapped]), without, threshold=0.01)
        plain_scores.append(plain.links[0].score)
    # Uncrossed, only the chance overlap of unrelated names is left besides the other
    # (identical) fields: typically below the default threshold 0.7.
    assert max(plain_scores) < 0.75
    assert sum(plain_scores) / len(plain_scores) < 0.7


def test_a_full_value_cache_in_the_middle_of_a_batch_loses_no_row(dutch: Schema, monkeypatch):
    from ketenbeeld.signals import _bloom

    monkeypatch.setattr(_bloom, "_VALUE_CACHE", 8)
    monkeypatch.setattr(_bloom, "_TOKEN_CACHE", 16)
    rows = [person(id=f"r{i}", first_name=f"Naam{i}", house_number=str(i)) for i in range(40)]
    small = Encoder(dutch, KEY)
    # Rows 0-4 are cached by the first call; the second call finds them and then
    # fills 35 new values, which clears the cache in between.
    small.encode(rows[:5], source="a")
    result = small.encode(rows, source="b")
    monkeypatch.undo()
    fresh = encode_rows(rows, dutch, KEY, source="c")
    assert [r.bits for r in result.records] == [r.bits for r in fresh.records]


def test_a_febrl_record_without_names_is_encoded_from_its_other_fields():
    febrl = load_schema("febrl")
    row = {"rec_id": "r1", "given_name": "", "surname": "", "date_of_birth": "19560224",
           "soc_sec_id": "1234567", "postcode": "2600", "suburb": "canberra"}  # fmt: skip
    result = encode_rows([row], febrl, KEY, source="f.csv")
    assert result.problems == []
    assert bits(result.records[0]).any()
    empty = {"rec_id": "r2", "given_name": "", "surname": "", "date_of_birth": "",
             "soc_sec_id": ""}  # fmt: skip
    problems = encode_rows([empty], febrl, KEY, source="f.csv").problems
    assert [str(p) for p in problems] == [
        "f.csv, row 2, field given_name/surname/date_of_birth/soc_sec_id: given_name and "
        "surname and date_of_birth and soc_sec_id are all empty: a name, the date of birth "
        "or the social security number is needed"
    ]


@pytest.mark.parametrize(
    ("tokeniser", "salt"),
    [
        ({"kind": "qgrams", "q": 2, "padding": True}, None),
        ({"kind": "qgrams", "q": 2, "padding": False}, None),
        ({"kind": "qgrams", "q": 1, "padding": False}, None),
        ({"kind": "qgrams", "q": 2, "padding": True}, "date_of_birth.year"),
    ],
)
def test_batch_qgram_hashing_sets_the_bits_of_each_values_distinct_tokens(
    tokeniser: dict[str, object], salt: str | None
):
    # The q-gram path cuts a whole batch at once with numpy; it must set exactly the
    # bits of hashing Tokeniser.tokens(value) one by one: initials, one-character
    # values, repeated q-grams ("anna"), non-ASCII letters and empty values.
    field: dict[str, object] = {
        "name": "word",
        "columns": ["word"],
        "normaliser": "text",
        "tokeniser": tokeniser,
        "bits": 128,
        "k": 11,
        "weight": 1.0,
    }
    if salt:
        field["salt"] = salt
    raw = {
        "name": "words",
        "version": 1,
        "id_column": "id",
        "fields": [
            field,
            {"name": "date_of_birth", "columns": ["dob"], "normaliser": "date",
             "tokeniser": "date", "bits": 64, "k": 2, "weight": 1.0},
        ],
    }  # fmt: skip
    schema = parse_schema(raw, "test")
    words = ["anna", "j", "7", "ab", "a", "øre", "", "anna", "zoë", "x y", "mmmm"]
    rows = [
        {"id": f"r{i}", "word": word, "dob": f"19{70 + i % 3}-01-02"}
        for i, word in enumerate(words)
    ]
    records = encode_rows(rows, schema, KEY, source="t").records
    item = schema.fields[0]
    key = derive_key(KEY, item.key_label)
    reference = _bloom.FieldHasher(item, key, 0)
    for row, record in zip(rows, records, strict=True):
        bits = np.unpackbits(np.frombuffer(record.bits, dtype=np.uint8))[:128]
        expected = np.zeros(128, dtype=np.uint8)
        value = item.normaliser.function((row["word"],)) if row["word"] else ""
        if value:
            salted = f"{row['dob'][:4]}" if salt else ""
            pairs = [(salted, token) for token in item.tokeniser.tokens(value)]
            for packed in reference._hash_tokens(pairs):
                expected[np.frombuffer(packed, dtype="<i4")] = 1
        assert (bits == expected).all(), row["word"]
