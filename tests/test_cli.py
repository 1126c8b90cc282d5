"""The command line: exit codes, messages, database state and the documented JSON."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ketenbeeld.cases import cohort_fingerprint, count_cases, load_cases
from ketenbeeld.cli import app
from ketenbeeld.storage import make_engine, verify_audit_log
from ketenbeeld.synth import generate_cohort, write_cohort_jsonl

DATA = Path(__file__).parent / "data"


def run(db, *args):
    result = CliRunner().invoke(app, ["--database-url", db.url, *args])
    return result


def state_of(db):
    engine = make_engine(db.url)
    try:
        return count_cases(engine), cohort_fingerprint(load_cases(engine)), verify_audit_log(engine)
    finally:
        engine.dispose()


def test_import_then_stats_json(db, tmp_path):
    cohort = tmp_path / "cohort.jsonl"
    write_cohort_jsonl(generate_cohort(30, 5), cohort)
    result = run(db, "cases", "import", str(cohort))
    assert result.exit_code == 0, result.output
    assert "Imported 30 cases from 1 file(s): 30 new, 0 replaced." in result.output
    result = run(db, "cases", "stats", "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["n_cases"] == 30
    assert set(payload) >= {"rows", "recruitment_days", "n_cases", "n_perpetrators", "n_victims"}
    ids = [row["id"] for row in payload["rows"]]
    assert ids[:3] == [
        "perpetrators_aged_18_29",
        "perpetrators_without_diploma",
        "perpetrators_with_debts",
    ]
    for row in payload["rows"]:
        assert set(row) >= {
            "id",
            "label",
            "numerator",
            "denominator",
            "unknown",
            "proportion",
            "ci_low",
            "ci_high",
        }
    # The same numbers straight from the file, without the database.
    from_file = run(db, "cases", "stats", "--input", str(cohort), "--format", "json")
    assert json.loads(from_file.stdout)["rows"] == payload["rows"]
    assert set(payload["recruitment_days"]) >= {"median", "ci_low", "ci_high", "n", "censored"}


def test_bad_import_exits_2_lists_problems_and_changes_nothing(db, tmp_path):
    good = tmp_path / "good.jsonl"
    write_cohort_jsonl(generate_cohort(5, 1), good)
    assert run(db, "cases", "import", str(good)).exit_code == 0
    before = state_of(db)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "case_id,role,person_id,gender,has_debts\nSYN-X,dader,P1,man,ja\nSYN-X,dader,P2,male,soms\n"
    )
    result = run(db, "cases", "import", str(good), str(bad))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "Error: 2 problems found; nothing was imported",
        "  - bad.csv, row 2, field perpetrators.P1.gender: is not an allowed value: must be one "
        "of male, female, other",
        "  - bad.csv, row 3, field has_debts: must be true/false (ja/nee, 1/0), or empty when "
        "the file does not settle it",
        "Hint: correct the listed fields and run the import again; see `ketenbeeld cases "
        "codebook` for the allowed values",
    ]
    assert state_of(db)[:2] == before[:2]


def test_reimport_replaces(db, tmp_path):
    cohort = tmp_path / "cohort.jsonl"
    write_cohort_jsonl(generate_cohort(8, 3), cohort)
    run(db, "cases", "import", str(cohort))
    result = run(db, "cases", "import", str(cohort))
    assert "Imported 8 cases from 1 file(s): 0 new, 8 replaced." in result.output
    assert "The database now holds 8 cases." in result.output


def test_stats_on_empty_database(db):
    result = run(db, "cases", "stats")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == "Error: the database holds no cases yet"


def test_stats_csv_and_suppression(db, tmp_path):
    cohort = tmp_path / "cohort.jsonl"
    write_cohort_jsonl(generate_cohort(25, 2021), cohort)
    result = run(db, "cases", "stats", "--input", str(cohort), "--format", "csv", "--min-cell", "5")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "id,label,numerator,denominator,unknown,proportion,ci_low,ci_high,suppressed"
    assert len(lines) == 15
    payload = json.loads(
        run(
            db, "cases", "stats", "--input", str(cohort), "--format", "json", "--min-cell", "5"
        ).stdout
    )
    for row in payload["rows"]:
        if row["suppressed"]:
            assert row["numerator"] is None and row["proportion"] is None
        else:
            n, d = row["numerator"], row["denominator"]
            assert not (0 < n < 5 or 0 < d - n < 5)


def test_audit_verify(db, tmp_path):
    cohort = tmp_path / "cohort.jsonl"
    write_cohort_jsonl(generate_cohort(3, 1), cohort)
    run(db, "cases", "import", str(cohort))
    result = run(db, "audit", "verify")
    assert (result.exit_code, result.stdout.strip()) == (0, "Audit log intact: 1 events verified.")


def test_codebook_listing():
    result = CliRunner().invoke(app, ["cases", "codebook", "--lang", "en"])
    assert result.exit_code == 0
    assert "living_situation" in result.stdout and "care_institution" in result.stdout


def test_unreachable_database_is_one_clear_error(tmp_path):
    result = CliRunner().invoke(
        app,
        ["--database-url", "postgresql+psycopg://nobody@127.0.0.1:1/none", "cases", "stats"],
    )
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "Error: cannot open the database (postgresql at postgresql+psycopg://nobody@127.0.0.1:1/none)"
    )


def test_list_and_delete(db, tmp_path):
    cohort = tmp_path / "cohort.jsonl"
    documents = generate_cohort(3, 8)
    write_cohort_jsonl(documents, cohort)
    run(db, "cases", "import", str(cohort))
    ids = sorted(d["case"]["case_id"] for d in documents)
    listing = run(db, "cases", "list")
    assert listing.exit_code == 0
    lines = listing.stdout.splitlines()
    assert lines[0].split() == ["case_id", "year", "perpetrators", "victims", "synthetic", "import"]
    assert [line.split()[0] for line in lines[1:-1]] == ids
    assert lines[-1] == "3 cases"
    first = {d["case"]["case_id"]: d for d in documents}[ids[0]]
    assert lines[1].split()[1:] == [
        str(first["case"]["year_start"]),
        str(len(first["perpetrators"])),
        str(len(first["victims"])),
        "yes",
        "1",
    ]

    missing = run(db, "cases", "delete", ids[0], "NOPE-1", "--yes")
    assert missing.exit_code == 2
    assert missing.stderr.splitlines()[0] == (
        "Error: 1 of the named cases are not in the database: NOPE-1; nothing was deleted"
    )
    assert state_of(db)[0] == 3

    result = run(db, "cases", "delete", ids[0], "--yes")
    assert (result.exit_code, result.stdout.strip()) == (0, "Deleted 1 case(s).")
    remaining = state_of(db)
    assert remaining[0] == 2
    assert remaining[2].ok and remaining[2].n_events == 2


def test_delete_asks_first(db, tmp_path):
    cohort = tmp_path / "cohort.jsonl"
    write_cohort_jsonl(generate_cohort(1, 8), cohort)
    run(db, "cases", "import", str(cohort))
    case_id = json.loads(cohort.read_text().splitlines()[0])["case"]["case_id"]
    result = CliRunner().invoke(
        app, ["--database-url", db.url, "cases", "delete", case_id], input="n\n"
    )
    assert result.exit_code == 1
    assert state_of(db)[0] == 1


def test_stats_table_in_dutch_from_a_file():
    result = CliRunner().invoke(
        app, ["cases", "stats", "--input", str(DATA / "two_cases.csv"), "--lang", "nl"]
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].strip() == "2 zaken, 3 daders, 2 slachtoffers"
    debts = next(line for line in lines if "Daders met schulden" in line)
    # SYN-1 P1 ja, SYN-2 P1 onbekend, SYN-2 P2 true: 2 of 2 known, 1 unknown.
    assert [cell.strip() for cell in debts.split("│")[2:7]] == [
        "2",
        "2",
        "1",
        "100,0",
        "34,2–100,0",
    ]
    # One victim with 5 days, the other with month-precision dates only.
    assert "mediaan 5 dagen" in result.stdout
    assert "n = 1, waarvan 0 gecensureerd; 1 zonder bekende periode." in result.stdout
