"""``ketenbeeld signals``: keygen, encode and link from the command line."""

from __future__ import annotations

import csv
import json
import stat

from typer.testing import CliRunner

from ketenbeeld.cli import app
from ketenbeeld.signals.link import Link, evaluate
from ketenbeeld.synth import generate_population, make_linkage_files, write_person_csv


def invoke(*args):
    return CliRunner().invoke(app, list(args))


def test_keygen_writes_a_private_key_and_refuses_to_overwrite(tmp_path):
    key = tmp_path / "chain.key"
    result = invoke("signals", "keygen", "--out", str(key))
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    content = json.loads(key.read_text())
    assert content["kind"] == "ketenbeeld-chain-key"
    again = invoke("signals", "keygen", "--out", str(key))
    assert again.exit_code == 2
    assert json.loads(key.read_text()) == content
    assert content["key"] not in again.output


def test_encode_and_link_synthetic_organisations(tmp_path):
    population = generate_population(1500, 3)
    case = make_linkage_files(population, 4)
    write_person_csv(case.file_a, tmp_path / "a.csv")
    write_person_csv(case.file_b, tmp_path / "b.csv")
    key = tmp_path / "chain.key"
    assert invoke("signals", "keygen", "--out", str(key)).exit_code == 0

    strict = invoke(
        "signals",
        "encode",
        str(tmp_path / "a.csv"),
        "--key",
        str(key),
        "--out",
        str(tmp_path / "a.jsonl"),
    )
    # Rows without a date of birth are unusable unless a BSN lets them link by it alone.
    unusable = sum(
        1 for row in case.file_a if not row["date_of_birth"].strip() and not row["bsn"].strip()
    )
    if unusable:
        # All or nothing by default: every unusable row listed, nothing written.
        assert strict.exit_code == 2
        assert f"Error: {unusable} problem" in strict.stderr
        assert not (tmp_path / "a.jsonl").exists()

    for side in ("a", "b"):
        result = invoke(
            "signals",
            "encode",
            str(tmp_path / f"{side}.csv"),
            "--key",
            str(key),
            "--out",
            str(tmp_path / f"{side}.jsonl"),
            "--skip-unusable",
        )
        assert result.exit_code == 0, result.output

    # Only id, encoding, schema and BSN hash leave the organisation: no identifier
    # value appears outside the (base64) bit vector, and the ids are the file's own.
    values = {
        row[column].strip().lower()
        for row in [*case.file_a, *case.file_b]
        for column in ("first_name", "last_name", "date_of_birth", "postcode", "bsn", "city")
        if len(row[column].strip()) >= 4
    }
    for side in ("a", "b"):
        for line in (tmp_path / f"{side}.jsonl").read_text().splitlines():
            record = json.loads(line)
            assert set(record) <= {"id", "clk", "schema", "bsn"}
            visible = f"{record['id']} {record['schema']}".lower()
            assert not [value for value in values if value in visible]
            if "bsn" in record:  # a keyed hash, never the number itself
                assert len(record["bsn"]) == 64
                assert int(record["bsn"], 16) >= 0

    result = invoke(
        "signals",
        "link",
        str(tmp_path / "a.jsonl"),
        str(tmp_path / "b.jsonl"),
        "--out",
        str(tmp_path / "links.csv"),
        "--one-to-one",
    )
    assert result.exit_code == 0, result.output
    with (tmp_path / "links.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    links = [Link(r["id_a"], r["id_b"], float(r["score"])) for r in rows]
    quality = evaluate(links, set(case.true_links))
    assert quality.precision >= 0.97
    assert quality.recall >= 0.93
    assert len({link.id_a for link in links}) == len(links)  # one-to-one


def test_link_refuses_encodings_of_different_schemas(tmp_path):
    a = tmp_path / "a.jsonl"
    b = tmp_path / "b.jsonl"
    a.write_text('{"id":"1","clk":"AAAAAAAAAAA=","schema":"dutch-person/1"}\n')
    b.write_text('{"id":"2","clk":"AAAAAAAAAAA=","schema":"febrl/1"}\n')
    result = invoke("signals", "link", str(a), str(b), "--out", str(tmp_path / "l.csv"))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        "Error: a.jsonl uses schema dutch-person/1 but b.jsonl uses febrl/1"
    )


def test_encode_with_a_bad_key_file(tmp_path):
    (tmp_path / "p.csv").write_text(
        "id,first_name,last_name,date_of_birth\n1,Jan,Jansen,2001-01-01\n"
    )
    (tmp_path / "bad.key").write_text("not json")
    result = invoke(
        "signals",
        "encode",
        str(tmp_path / "p.csv"),
        "--key",
        str(tmp_path / "bad.key"),
        "--out",
        str(tmp_path / "e.jsonl"),
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ")
    assert not (tmp_path / "e.jsonl").exists()
