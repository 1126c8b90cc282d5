"""Ad files as Parquet: the same ads and problems as JSONL, bad files named clearly."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from typer.testing import CliRunner

from ketenbeeld.cli import app
from ketenbeeld.errors import Problem
from ketenbeeld.online.ads import ReadResult, read_ad_files
from ketenbeeld.online.synth import generate_ads, write_ads_jsonl


def write_both(tmp_path: Path, records: list[dict[str, Any]]) -> tuple[Path, Path]:
    """The same records as ``ads.jsonl`` and as ``ads.parquet`` (absent fields null)."""
    jsonl, parquet = tmp_path / "ads.jsonl", tmp_path / "ads.parquet"
    write_ads_jsonl(records, jsonl)
    # One column per field of any record (from_pylist alone takes the first record's).
    names = list(dict.fromkeys(name for record in records for name in record))
    pq.write_table(pa.table({name: [r.get(name) for r in records] for name in names}), parquet)
    return jsonl, parquet


def as_jsonl(problems: list[Problem]) -> list[Problem]:
    """Problems of ads.parquet as those of ads.jsonl (row N of Parquet is line N)."""
    return [
        replace(p, source="ads.jsonl", location=p.location.replace("row ", "line "))
        for p in problems
    ]


def test_parquet_ads_read_as_the_same_jsonl_ads(tmp_path: Path) -> None:
    records: list[dict[str, Any]] = [dict(ad) for ad in generate_ads(120, seed=5).ads]
    records[3]["source_url"] = "https://example.invalid/ad/4"  # an unknown field, kept
    records[7]["age"] = "onbekend"  # unreadable: kept as written, with a notice
    del records[10]["text"]  # unusable: reported by its row
    jsonl, parquet = write_both(tmp_path, records)

    from_jsonl = read_ad_files([jsonl])
    from_parquet = read_ad_files([parquet])

    assert from_parquet.ads == from_jsonl.ads
    assert len(from_parquet.ads) == 119
    assert from_parquet.ads[3].extra == {"source_url": "https://example.invalid/ad/4"}
    assert from_parquet.problems == [
        Problem("ads.parquet", "row 11", "text", "is required (the ad's text)")
    ]
    assert as_jsonl(from_parquet.problems) == from_jsonl.problems
    assert (
        Problem("ads.parquet", "row 8", "age", "is not an age from 16 to 99; kept as written")
        in from_parquet.notices
    )
    assert as_jsonl(from_parquet.notices) == from_jsonl.notices
    assert from_parquet.skipped_locations == [("ads.parquet", "row 11")]
    assert from_parquet.file_problems == from_jsonl.file_problems == []
    assert from_parquet.n_records == from_jsonl.n_records == 120
    assert len(from_parquet.digests) == 1 and from_parquet.digests != from_jsonl.digests


def test_typed_parquet_columns_read_as_their_json_values(tmp_path: Path) -> None:
    path = tmp_path / "typed.parquet"
    table = pa.table(
        {
            "ad_id": pa.array([17, 18], pa.int64()),
            "posted_at": pa.array([datetime(2026, 3, 1, 14, 30), None], pa.timestamp("us")),
            "text": ["Nieuw in de stad", "Rustig"],
            "age": pa.array([19, None], pa.int32()),
            "price": [150.0, None],
            "tags": pa.array([["a", "b"], []], pa.list_(pa.string())),
        }
    )
    pq.write_table(table, path)
    jsonl = tmp_path / "typed.jsonl"
    jsonl.write_text(
        json.dumps({"ad_id": 17, "posted_at": "2026-03-01T14:30:00", "text": "Nieuw in de stad",
                    "age": 19, "price": 150.0, "tags": ["a", "b"]}) + "\n"
        + json.dumps({"ad_id": 18, "text": "Rustig", "tags": []}) + "\n"
    )  # fmt: skip
    from_parquet, from_jsonl = read_ad_files([path]), read_ad_files([jsonl])
    assert from_parquet.problems == []
    assert from_parquet.ads == from_jsonl.ads
    first = from_parquet.ads[0]
    assert (first.ad_id, first.posted_at, first.age, first.price) == (
        "17",
        datetime(2026, 3, 1, 14, 30),
        19,
        150.0,
    )
    assert first.extra == {"tags": ["a", "b"]}


def problems_of(path: Path) -> ReadResult:
    result = read_ad_files([path])
    assert result.ads == []
    return result


def test_a_file_that_is_not_parquet(tmp_path: Path) -> None:
    path = tmp_path / "ads.parquet"
    path.write_text('{"ad_id": "a1", "text": "Rustig"}\n')
    result = problems_of(path)
    expected = [Problem("ads.parquet", "", "", "is not a Parquet file (or it is damaged)")]
    assert result.file_problems == result.problems == expected
    assert result.n_records == 0


def test_missing_and_binary_columns_reject_the_file(tmp_path: Path) -> None:
    path = tmp_path / "ads.parquet"
    pq.write_table(pa.table({"title": ["Nieuw"]}), path)
    assert problems_of(path).file_problems == [
        Problem("ads.parquet", "", "", "the columns lack ad_id, text")
    ]
    pq.write_table(pa.table({"ad_id": ["a1"], "text": ["x"], "photo": [b"\x89PNG"]}), path)
    assert problems_of(path).problems == [
        Problem(
            "ads.parquet", "", "", "the column photo is binary; ads hold text, numbers and times"
        )
    ]


def test_nan_is_a_bad_record_as_in_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "ads.parquet"
    table = pa.table({"ad_id": ["a1", "a2"], "text": ["Rustig", "Nieuw"], "price": [100.0, None]})
    table = table.set_column(2, "price", pa.array([100.0, float("nan")]))
    pq.write_table(table, path)
    result = read_ad_files([path])
    assert [ad.ad_id for ad in result.ads] == ["a1"]
    assert result.problems == [
        Problem("ads.parquet", "row 2", "", "holds NaN or Infinity, which is not a number")
    ]
    assert result.skipped_locations == [("ads.parquet", "row 2")]


def test_online_commands_read_parquet(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.delenv("KETENBEELD_DATABASE_URL", raising=False)
    records = [
        {"ad_id": "b", "text": "Rustig adres.", "phone": "06-12345678"},
        {"ad_id": "a", "text": "Iets heel anders.", "phone": "O6 1234 5678"},
        {"ad_id": "c", "text": "Nog iemand anders.", "phone": "0687654321"},
    ]
    _, parquet = write_both(tmp_path, records)
    runner = CliRunner()
    out = tmp_path / "clusters.csv"
    result = runner.invoke(app, ["online", "cluster", "--input", str(parquet), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text().splitlines() == ["ad_id,cluster_id", "a,a", "b,a", "c,c"]

    del records[2]["text"]
    _, parquet = write_both(tmp_path, records)
    workspace = ["--data-dir", str(tmp_path / "ws")]
    strict = runner.invoke(app, [*workspace, "online", "ingest", str(parquet)])
    assert strict.exit_code == 2
    assert strict.stderr.splitlines()[:2] == [
        "Error: 1 problem found; nothing was ingested",
        "  - ads.parquet, row 3, field text: is required (the ad's text)",
    ]
    skip = runner.invoke(app, [*workspace, "online", "ingest", str(parquet), "--on-error", "skip"])
    assert skip.exit_code == 0, skip.output
    assert skip.stdout.strip() == "Read 3 records: 2 new, 0 updated, 0 unchanged, 1 skipped."
