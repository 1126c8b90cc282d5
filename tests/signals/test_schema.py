"""Linkage schemas: the built-ins, their layouts, and validation of schema files."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from ketenbeeld.errors import ConfigError
from ketenbeeld.signals.schema import BUILTIN_SCHEMAS, Salt, Tokeniser, load_schema, parse_schema

DUTCH_COLUMNS = {
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
}
FEBRL_COLUMNS = {
    "rec_id",
    "given_name",
    "surname",
    "street_number",
    "address_1",
    "address_2",
    "suburb",
    "postcode",
    "state",
    "date_of_birth",
    "soc_sec_id",
}

GOOD: dict[str, Any] = {
    "name": "tiny",
    "version": 2,
    "id_column": "id",
    "required": [["first_name"]],
    "fields": [
        {
            "name": "first_name",
            "columns": ["first_name"],
            "normaliser": "first_name",
            "tokeniser": {"kind": "qgrams", "q": 3, "padding": False},
            "bits": 128,
            "k": 10,
            "weight": 2,
            "salt": "dob.year",
        },
        {
            "name": "dob",
            "columns": "date_of_birth",
            "normaliser": "date",
            "tokeniser": "date",
            "bits": 64,
            "k": 4,
            "weight": 1.5,
        },
    ],
}


def test_dutch_person_schema_reads_the_design_columns():
    schema = load_schema("dutch-person")
    assert schema.schema_id == "dutch-person/3"
    assert set(schema.columns) == DUTCH_COLUMNS
    assert schema.id_column == "id"
    assert schema.bsn_column == "bsn"
    # The tussenvoegsel column and the BSN may be absent from a file.
    assert set(schema.header_columns) == DUTCH_COLUMNS - {"name_prefix", "bsn"}
    assert [f.name for f in schema.fields] == [
        "first_name",
        "last_name",
        "name_prefix",
        "date_of_birth",
        "gender",
        "postcode",
        "house_number",
        "city",
    ]
    assert schema.field("last_name").columns == ("name_prefix", "last_name")
    assert schema.required == (("first_name", "last_name"), ("date_of_birth",))


def test_dutch_person_salts_names_with_the_year_of_birth():
    schema = load_schema("dutch-person")
    salted = {f.name for f in schema.fields if f.salt == Salt("date_of_birth", "year")}
    assert salted == {"first_name", "last_name", "name_prefix", "gender"}
    assert schema.field("date_of_birth").salt is None
    assert schema.field("postcode").salt is None


def test_febrl_schema_reads_the_febrl_columns():
    schema = load_schema("febrl")
    assert schema.schema_id == "febrl/2"
    assert set(schema.columns) == FEBRL_COLUMNS
    assert schema.id_column == "rec_id"
    assert schema.bsn_column is None
    assert all(f.salt is None for f in schema.fields)


@pytest.mark.parametrize("name", ["dutch-person", "febrl"])
def test_builtin_layouts_cover_the_declared_bits(name: str):
    schema = load_schema(name)
    layout = schema.layout()
    assert layout.schema == schema.schema_id
    assert layout.n_bits == sum(f.bits for f in schema.fields) == schema.n_bits
    assert 1024 <= layout.n_bits <= 2048
    assert [s.name for s in layout.sections] == [f.name for f in schema.fields]
    assert [s.n_bits for s in layout.sections] == [f.bits for f in schema.fields]
    assert [s.weight for s in layout.sections] == [f.weight for f in schema.fields]
    assert all(s.n_bits % 64 == 0 for s in layout.sections)


def test_dutch_person_sections():
    layout = load_schema("dutch-person").layout()
    sections = {s.name: (s.start, s.stop) for s in layout.sections}
    assert sections["first_name"] == (0, 256)
    assert sections["last_name"] == (256, 512)
    assert layout.n_bits == 1024
    weights = {s.name: s.weight for s in layout.sections}
    assert weights["name_prefix"] < weights["last_name"]
    assert weights["gender"] <= min(weights.values())


def test_a_valid_schema_parses():
    schema = parse_schema(copy.deepcopy(GOOD), "tiny.yaml")
    assert schema.schema_id == "tiny/2"
    first = schema.field("first_name")
    assert first.tokeniser == Tokeniser("qgrams", q=3, padding=False)
    assert first.salt == Salt("dob", "year")
    assert first.weight == 2.0
    assert schema.field("dob").columns == ("date_of_birth",)
    assert schema.header_columns == ("id", "first_name", "date_of_birth")
    with pytest.raises(KeyError):
        schema.field("nope")


def test_validation_lists_every_problem_at_once():
    raw = yaml.safe_load(
        """
name: Bad Name
version: 0
id_column: first_name
colour: blue
required:
  - [first_name, ghost]
fields:
  - {name: first_name, columns: [first_name], normaliser: nickname,
     tokeniser: {kind: qgrams, q: 9}, bits: 100, k: 0, weight: -1, salt: birth.month}
  - {name: dob, columns: [dob], normaliser: text, tokeniser: date, bits: 64, k: 4,
     weight: 1, salt: nothing}
  - {name: city, columns: [city], normaliser: text, tokeniser: exact, bits: 64, k: 4,
     weight: 1, salt: dob.year, wieght: 2}
  - {name: city, columns: city, normaliser: text, tokeniser: exact, bits: 64, k: 4, weight: 1}
"""
    )
    with pytest.raises(ConfigError) as caught:
        parse_schema(raw, "bad.yaml")
    lines = str(caught.value).splitlines()
    assert lines[0] == "the linkage schema bad.yaml has 16 problem(s):"
    entry1 = "  - bad.yaml, fields entry 1 (first_name), field"
    assert lines[1:] == [
        "  - bad.yaml, field colour: is not a schema setting",
        "  - bad.yaml, field name: needs a lowercase name, e.g. dutch-person",
        "  - bad.yaml, field version: needs a version, e.g. 1",
        f"{entry1} normaliser: must be one of text, name, first_name, surname_core, "
        "surname_prefix, date, postcode, house_number, gender, digits",
        f"{entry1} tokeniser.q: must be a whole number from 1 to 5",
        f"{entry1} bits: must be a multiple of 64 from 64 to 8192",
        f"{entry1} k: must be a whole number from 1 to 64",
        f"{entry1} weight: must be a number above 0",
        f"{entry1} salt: must name another field, optionally with .year (a date)",
        "  - bad.yaml, fields entry 2 (dob), field tokeniser: date needs the date normaliser",
        "  - bad.yaml, fields entry 3 (city), field wieght: is not a field setting",
        "  - bad.yaml, fields entry 4, field name: is used by an earlier field",
        "  - bad.yaml, fields entry 2 (dob), field salt: names no field (nothing)",
        "  - bad.yaml, fields entry 3 (city), field salt: .year needs a date field (dob is not)",
        "  - bad.yaml, field required: names no field (ghost)",
        "  - bad.yaml, field id_column: must not also be an identifier or BSN column",
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"fields": []}, "field fields: must list at least one field"),
        ({"id_column": ""}, "field id_column: must name the record id column"),
        ({"optional_columns": ["city"]}, "optional_columns: names no field column (city)"),
        ({"required": [3]}, "required: each entry is a field name or a list of them"),
        ({"hashing": "md5"}, "field hashing: must be one of hmac-sha256, blake2b"),
    ],
)
def test_schema_level_problems(change: dict[str, Any], expected: str):
    raw = {**copy.deepcopy(GOOD), **change}
    with pytest.raises(ConfigError, match="problem") as caught:
        parse_schema(raw, "tiny.yaml")
    assert expected in str(caught.value)


def test_hashing_defaults_to_hmac_for_schema_files_that_do_not_say():
    # A schema file written before the setting existed keeps its encodings.
    assert parse_schema(copy.deepcopy(GOOD), "tiny.yaml").hashing == "hmac-sha256"
    assert parse_schema({**copy.deepcopy(GOOD), "hashing": "blake2b"}, "t").hashing == "blake2b"
    assert [load_schema(name).hashing for name in BUILTIN_SCHEMAS] == ["blake2b", "blake2b"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"tokeniser": "soundex"}, "tokeniser: kind must be one of qgrams, exact, date, postcode"),
        ({"tokeniser": {"kind": "exact", "q": 2}}, "q and padding are for qgrams only"),
        ({"tokeniser": {"kind": "qgrams", "padding": "yes"}}, "padding: must be true or false"),
        ({"tokeniser": "postcode"}, "postcode needs the postcode normaliser"),
        ({"columns": []}, "columns: must list one or more column names"),
        ({"bits": 128.0}, "bits: must be a multiple of 64"),
        ({"k": True}, "k: must be a whole number from 1 to 64"),
        ({"salt": "first_name"}, "salt: cannot be the field itself"),
    ],
)
def test_field_level_problems(change: dict[str, Any], expected: str):
    raw = copy.deepcopy(GOOD)
    raw["fields"][0].update(change)
    with pytest.raises(ConfigError) as caught:
        parse_schema(raw, "tiny.yaml")
    assert "fields entry 1 (first_name)" in str(caught.value)
    assert expected in str(caught.value)


def test_schema_file_by_path(tmp_path: Path):
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(GOOD), encoding="utf-8")
    assert load_schema(path).schema_id == "tiny/2"
    assert load_schema(str(path)).source == "tiny.yaml"


def test_unknown_schema_name_and_missing_or_broken_files(tmp_path: Path):
    with pytest.raises(ConfigError) as caught:
        load_schema("dutch")
    assert caught.value.message == "linkage schema dutch is unknown"
    assert "dutch-person, febrl" in (caught.value.hint or "")
    with pytest.raises(ConfigError, match="does not exist"):
        load_schema(tmp_path / "nope.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"linkage schema broken.yaml line \d+: not valid YAML"):
        load_schema(broken)


@pytest.mark.parametrize(
    ("tokeniser", "value", "expected"),
    [
        (Tokeniser("qgrams"), "jan", ("_j", "ja", "an", "n_")),
        (Tokeniser("qgrams"), "anna", ("_a", "an", "nn", "na", "a_")),
        (Tokeniser("qgrams"), "j", ("_j",)),  # an initial
        (Tokeniser("qgrams", q=3, padding=False), "jansen", ("jan", "ans", "nse", "sen")),
        (Tokeniser("qgrams", q=3, padding=False), "jo", ("jo",)),
        (Tokeniser("exact"), "van der", ("van der",)),
        (Tokeniser("postcode"), "1234AB", ("pc:1234AB", "area:1234")),
        (
            Tokeniser("date"),
            "2004-03-12",
            ("y:2004", "c:200", "m:03", "d:12", "md:03-12"),
        ),
    ],
)
def test_tokens(tokeniser: Tokeniser, value: str, expected: tuple[str, ...]):
    assert tokeniser.tokens(value) == expected


def test_swapped_day_and_month_keep_three_of_five_date_tokens():
    date = Tokeniser("date")
    shared = set(date.tokens("2004-03-12")) & set(date.tokens("2004-12-03"))
    assert shared == {"y:2004", "c:200", "md:03-12"}


def test_swappable_fields_must_hash_alike():
    import yaml

    from ketenbeeld.errors import ConfigError
    from ketenbeeld.signals import schema as schema_module

    raw = yaml.safe_load(
        (Path(schema_module.__file__).parent / "data" / "dutch-person.yaml").read_text()
    )
    for item in raw["fields"]:
        if item["name"] == "last_name":
            item.pop("key")
    raw["swappable"].append(["first_name", "city"])
    with pytest.raises(ConfigError) as caught:
        parse_schema(raw, "x.yaml")
    assert str(caught.value).splitlines()[1:] == [
        "  - x.yaml, field swappable: first_name and last_name need the same key, bits, k, "
        "tokeniser and salt to be compared crosswise",
        "  - x.yaml, field swappable: first_name and city need the same key, bits, k, "
        "tokeniser and salt to be compared crosswise",
    ]
