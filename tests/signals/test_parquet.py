"""Encodings and links as Parquet: the same records as JSONL and CSV, and clear errors."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from ketenbeeld.cli import app
from ketenbeeld.errors import ValidationFailed
from ketenbeeld.signals.encodings import EncodedRecord, read_encodings, write_encodings
from ketenbeeld.signals.keys import write_key_file
from ketenbeeld.signals.link import Link
from ketenbeeld.signals.links_file import (
    read_links,
    read_links_csv,
    read_links_parquet,
    write_links,
)
from ketenbeeld.synth import generate_population, make_linkage_files, write_person_csv

KEY = bytes(range(32))
SCHEMA = "dutch-person/3"
BSN = "ab" * 32


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


@pytest.fixture(scope="module")
def organisations(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two person files of a seeded population, encoded as JSONL and as Parquet."""
    folder = tmp_path_factory.mktemp("orgs")
    case = make_linkage_files(generate_population(300, 11), 12)
    write_key_file(folder / "chain.key", KEY)
    for side, rows in (("a", case.file_a), ("b", case.file_b)):
        write_person_csv(rows, folder / f"{side}.csv")
        for suffix in ("jsonl", "parquet"):
            result = invoke(
                "signals", "encode", str(folder / f"{side}.csv"), "--key",
                str(folder / "chain.key"), "--out", str(folder / f"{side}.{suffix}"),
                "--skip-unusable",
            )  # fmt: skip
            assert result.exit_code == 0, result.output
    return folder


def test_encode_writes_parquet_with_raw_bytes_that_reads_as_the_jsonl(
    organisations: Path,
) -> None:
    table = pq.read_table(organisations / "a.parquet")
    assert table.schema.names == ["id", "clk", "schema", "bsn"]
    assert [str(table.schema.field(name).type) for name in table.schema.names] == [
        "string",
        "binary",
        "string",
        "string",
    ]
    lines = [json.loads(line) for line in (organisations / "a.jsonl").read_text().splitlines()]
    assert table.column("id").to_pylist() == [line["id"] for line in lines]
    # clk holds the bytes themselves, not their base64 text.
    assert table.column("clk").to_pylist() == [base64.b64decode(line["clk"]) for line in lines]
    assert table.column("bsn").to_pylist() == [line.get("bsn") for line in lines]
    from_jsonl = read_encodings(organisations / "a.jsonl")
    from_parquet = read_encodings(organisations / "a.parquet")
    assert len(from_parquet) == len(lines) > 100
    assert from_parquet.ids == from_jsonl.ids
    assert from_parquet.schema == from_jsonl.schema == SCHEMA
    assert from_parquet.bsn == from_jsonl.bsn
    assert None in from_parquet.bsn and any(from_parquet.bsn)  # with and without a BSN
    assert from_parquet.matrix.dtype == np.uint64
    assert np.array_equal(from_parquet.matrix, from_jsonl.matrix)


def test_link_on_parquet_gives_the_same_links_file(organisations: Path) -> None:
    outputs = {}
    for suffix in ("jsonl", "parquet"):
        out = organisations / f"links-{suffix}.csv"
        result = invoke(
            "signals", "link", str(organisations / f"a.{suffix}"),
            str(organisations / f"b.{suffix}"), "--out", str(out),
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        outputs[suffix] = out.read_bytes()
    assert outputs["parquet"] == outputs["jsonl"]
    assert outputs["jsonl"].count(b"\n") > 50


def test_links_parquet_holds_the_rows_of_the_csv(organisations: Path) -> None:
    for suffix in ("csv", "parquet"):
        result = invoke(
            "signals", "link", str(organisations / "a.jsonl"), str(organisations / "b.jsonl"),
            "--out", str(organisations / f"links.{suffix}"), "--one-to-one",
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        assert f"written to {organisations / f'links.{suffix}'}." in " ".join(result.stdout.split())
    table = pq.read_table(organisations / "links.parquet")
    assert [(f.name, str(f.type)) for f in table.schema] == [
        ("id_a", "string"),
        ("id_b", "string"),
        ("score", "double"),
    ]
    rows = (organisations / "links.csv").read_text().splitlines()
    assert rows[0] == "id_a,id_b,score"
    as_csv = [(a, b, float(score)) for a, b, score in (row.split(",") for row in rows[1:])]
    assert list(zip(*table.to_pydict().values(), strict=True)) == as_csv
    assert read_links(organisations / "links.parquet") == read_links_csv(
        organisations / "links.csv"
    )


def test_write_links_chooses_the_format_by_extension(tmp_path: Path) -> None:
    links = [Link("a1", "b7", 0.91236), Link("a,2", "b8", 1.0)]
    assert write_links(tmp_path / "l.PARQUET", links) == 2
    assert write_links(tmp_path / "l.csv", links) == 2
    assert (tmp_path / "l.csv").read_text() == 'id_a,id_b,score\na1,b7,0.9124\n"a,2",b8,1.0000\n'
    expected = [Link("a1", "b7", 0.9124), Link("a,2", "b8", 1.0)]
    assert read_links(tmp_path / "l.PARQUET") == read_links(tmp_path / "l.csv") == expected
    assert write_links(tmp_path / "empty.parquet", []) == 0
    assert read_links(tmp_path / "empty.parquet") == []


def test_empty_encodings_round_trip(tmp_path: Path) -> None:
    assert write_encodings(tmp_path / "e.parquet", []) == 0
    empty = read_encodings(tmp_path / "e.parquet")
    assert (empty.ids, empty.schema, empty.matrix.shape) == ((), "", (0, 0))


# -- bad Parquet files ---------------------------------------------------------------

CLK = bytes(range(8))


def bad_encodings(tmp_path: Path, columns: dict[str, pa.Array]) -> Path:
    path = tmp_path / "enc.parquet"
    pq.write_table(pa.table(columns), path)
    return path


def errors(path: Path) -> list[str]:
    with pytest.raises(ValidationFailed) as caught:
        read_encodings(path)
    return [caught.value.message, *(str(problem) for problem in caught.value.problems)]


def test_a_file_that_is_not_parquet(tmp_path: Path) -> None:
    path = tmp_path / "enc.parquet"
    path.write_text('{"id":"1","clk":"AAAAAAAAAAA=","schema":"dutch-person/3"}\n')
    assert errors(path) == [
        "1 problem found; the encodings cannot be used",
        "enc.parquet: is not a Parquet file (or it is damaged)",
    ]
    assert errors(tmp_path / "missing.parquet") == [
        "1 problem found",
        "missing.parquet: does not exist",
    ]


def test_missing_columns_and_wrong_types_are_all_named(tmp_path: Path) -> None:
    path = bad_encodings(
        tmp_path,
        {
            "id": pa.array([1, 2], pa.int64()),
            "clk": pa.array([base64.b64encode(CLK).decode()] * 2),
            "bsn": pa.array([1, 2]),
        },
    )
    assert errors(path) == [
        "4 problems found; the encodings cannot be used",
        "enc.parquet, field id: must be a string column, not int64",
        "enc.parquet, field clk: must be a binary column (the raw bit vector), not string",
        "enc.parquet: has no column schema; the columns are id, clk, schema and an optional bsn",
        "enc.parquet, field bsn: must be a string column, not int64",
    ]


def test_bad_rows_are_reported_by_row_number(tmp_path: Path) -> None:
    path = bad_encodings(
        tmp_path,
        {
            "id": pa.array(["r1", "r2", "r3", "r1", None, "r6", "r7"]),
            "clk": pa.array([CLK, CLK[:7], CLK * 2, CLK, CLK, None, CLK], pa.binary()),
            "schema": pa.array([SCHEMA] * 6 + [None]),
        },
    )
    assert errors(path) == [
        "6 problems found; the encodings cannot be used",
        "enc.parquet, row 2, field clk: must be a bit vector of a multiple of 64 bits "
        "(8, 16, ... bytes)",
        "enc.parquet, row 3, field clk: has another length than the first record",
        "enc.parquet, row 4, field id: is used by an earlier row",
        "enc.parquet, row 5, field id: is required (a non-empty string)",
        "enc.parquet, row 6, field clk: must be a bit vector of a multiple of 64 bits "
        "(8, 16, ... bytes)",
        "enc.parquet, row 7, field schema: is required, e.g. dutch-person/3",
    ]


def test_other_arrow_types_of_the_same_values_are_read(tmp_path: Path) -> None:
    # large_string / fixed-size binary / an all-null bsn column, as other tools write them.
    path = bad_encodings(
        tmp_path,
        {
            "id": pa.array(["r1", "r2"], pa.large_string()),
            "clk": pa.array([CLK, CLK[::-1]], pa.binary(8)),
            "schema": pa.array([SCHEMA] * 2),
            "bsn": pa.array([None, None], pa.null()),
            "note": pa.array(["extra columns are ignored"] * 2),
        },
    )
    loaded = read_encodings(path)
    assert loaded.ids == ("r1", "r2")
    assert loaded.bsn == (None, None)
    assert loaded.matrix.tolist() == [[0x0001020304050607], [0x0706050403020100]]


def test_bsn_and_schema_rules_as_for_jsonl(tmp_path: Path) -> None:
    path = bad_encodings(
        tmp_path,
        {
            "id": pa.array(["r1", "r2", "r3"]),
            "clk": pa.array([CLK] * 3),
            "schema": pa.array([SCHEMA, SCHEMA, "febrl/1"]),
            "bsn": pa.array([BSN, "short", None]),
        },
    )
    assert errors(path) == [
        "2 problems found; the encodings cannot be used",
        "enc.parquet, row 2, field bsn: must be a 64-character hex keyed hash",
        "enc.parquet, field schema: records use more than one linkage schema",
    ]


def test_link_names_the_bad_parquet_file_without_a_traceback(tmp_path: Path) -> None:
    good = tmp_path / "good.parquet"
    write_encodings(good, [EncodedRecord("r1", CLK, SCHEMA, BSN)])
    bad = bad_encodings(tmp_path, {"id": pa.array(["r1"]), "schema": pa.array([SCHEMA])})
    result = invoke("signals", "link", str(good), str(bad), "--out", str(tmp_path / "l.csv"))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "Error: 1 problem found; the encodings cannot be used",
        "  - enc.parquet: has no column clk; the columns are id, clk, schema and an optional bsn",
    ]
    assert not (tmp_path / "l.csv").exists()


def test_bad_links_parquet(tmp_path: Path) -> None:
    path = tmp_path / "links.parquet"
    path.write_bytes(b"id_a,id_b,score\n")
    with pytest.raises(ValidationFailed) as caught:
        read_links_parquet(path)
    assert [str(p) for p in caught.value.problems] == [
        "links.parquet: is not a Parquet file (or it is damaged)"
    ]
    pq.write_table(pa.table({"id_a": ["a1"], "score": pa.array(["0.9"])}), path)
    with pytest.raises(ValidationFailed) as caught:
        read_links(path)
    assert [str(p) for p in caught.value.problems] == [
        "links.parquet: has no column id_b; the columns are id_a, id_b, score",
        "links.parquet, field score: must be a double column, not string",
    ]
    pq.write_table(
        pa.table({"id_a": ["a1", "a2", ""], "id_b": ["b1", "b2", "b3"], "score": [0.9, 1.5, 0.8]}),
        path,
    )
    with pytest.raises(ValidationFailed) as caught:
        read_links(path)
    assert caught.value.message == "2 problems found; the links cannot be used"
    assert [str(p) for p in caught.value.problems] == [
        "links.parquet, row 2, field score: must be a number from 0 to 1",
        "links.parquet, row 3: needs three values: id_a, id_b, score",
    ]
