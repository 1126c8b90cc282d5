"""Reading coded cases from JSON, JSONL, CSV and XLSX, all or nothing."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from ketenbeeld.cases.codebook import load_codebook
from ketenbeeld.cases.importer import read_case_files
from ketenbeeld.cases.model import cohort_fingerprint
from ketenbeeld.errors import ValidationFailed

DATA = Path(__file__).parent.parent / "data"


def read(*paths):
    files = read_case_files(list(paths), load_codebook())
    return [case for f in files for case in f.cases]


def problems_of(*paths):
    with pytest.raises(ValidationFailed) as info:
        read(*paths)
    assert str(info.value).endswith("nothing was imported")
    return [str(p) for p in info.value.problems]


def csv_to_xlsx(source: Path, target: Path) -> Path:
    import csv

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    with source.open(encoding="utf-8") as handle:
        for row in csv.reader(handle):
            sheet.append([_typed(cell) for cell in row])
    workbook.save(target)
    return target


def _typed(cell: str):
    # Spreadsheets hold numbers as numbers: write them so.
    return int(cell) if cell.isdigit() else (cell or None)


def test_csv_rows_become_cases():
    cases = read(DATA / "two_cases.csv")
    assert [c.case_id for c in cases] == ["SYN-1", "SYN-2"]
    first, second = cases
    assert first.case["synthetic"] is True and first.case["year_start"] == 2019
    assert first.perpetrators[0]["has_diploma"] is False
    assert first.victims[0]["perpetrators"] == ["P1"]
    assert [p["pid"] for p in second.perpetrators] == ["P1", "P2"]
    assert second.perpetrators[0]["has_debts"] is None  # "onbekend" is unknown, not no
    assert second.perpetrators[1]["addiction_types"] == ["cannabis", "alcohol"]
    assert second.victims[0]["recruitment_days"] is None  # month precision only


def test_same_cases_in_every_format_give_the_same_fingerprint(tmp_path):
    from_csv = read(DATA / "two_cases.csv")
    documents = [c.to_document() for c in from_csv]
    json_path = tmp_path / "cases.json"
    json_path.write_text(json.dumps(documents, indent=2))
    jsonl_path = tmp_path / "cases.jsonl"
    jsonl_path.write_text("\n".join(json.dumps(d) for d in reversed(documents)) + "\n")
    xlsx_path = csv_to_xlsx(DATA / "two_cases.csv", tmp_path / "cases.xlsx")
    expected = cohort_fingerprint(from_csv)
    assert cohort_fingerprint(read(json_path)) == expected
    assert cohort_fingerprint(read(jsonl_path)) == expected
    assert cohort_fingerprint(read(xlsx_path)) == expected


def test_single_json_object(tmp_path, example_case):
    path = tmp_path / "one.json"
    path.write_text(json.dumps(example_case))
    assert [c.case_id for c in read(path)] == ["2019-OOST-03"]


def test_csv_problems_name_row_and_column(tmp_path):
    text = (
        (DATA / "two_cases.csv").read_text().replace(",ja,ja,cannabis,", ",misschien,ja,cannabis,")
    )
    text = text.replace("female,,,,,,,homeless", "vrouw,,,,,,,homeless")
    path = tmp_path / "bad.csv"
    path.write_text(text)
    assert problems_of(path) == [
        "bad.csv, row 2, field has_debts: must be true/false (ja/nee, 1/0), or empty when the "
        "file does not settle it",
        "bad.csv, row 6, field victims.V1.gender: is not an allowed value: must be one of "
        "male, female, other",
    ]


def test_csv_column_for_the_other_role(tmp_path):
    text = (
        (DATA / "two_cases.csv")
        .read_text()
        .replace(
            "SYN-1,dader,P1,2019,ja,Dader A1,22,male,nee,ja,ja,cannabis,ja,,,",
            "SYN-1,dader,P1,2019,ja,Dader A1,22,male,nee,ja,ja,cannabis,ja,,homeless,",
        )
    )
    path = tmp_path / "roles.csv"
    path.write_text(text)
    assert problems_of(path) == [
        "roles.csv, row 2, field living_situation: does not apply to a perpetrator: leave it empty"
    ]


def test_csv_header_problems(tmp_path):
    path = tmp_path / "header.csv"
    path.write_text("case_id,person_id,ethnicity\nX,P1,\n")
    assert problems_of(path) == [
        "header.csv, row 1, field role: required column(s) missing: the header needs case_id, "
        "role and person_id"
    ]
    path.write_text("case_id,role,person_id,ethnicity\nX,dader,P1,\n")
    assert problems_of(path) == [
        "header.csv, row 1, field ethnicity: is not a codebook variable: use person variable "
        "names (or prefixed `perpetrator.`/`victim.`), case variables prefixed `case.`, and "
        "case_id, role, person_id"
    ]


def test_csv_perpetrator_role_and_prefixed_person_variables(tmp_path):
    path = tmp_path / "prefixed.csv"
    path.write_text(
        "case_id,role,person_id,case.year_start,perpetrator.role,victim.age_at_start,"
        "age_at_start\n"
        "X-1,dader,P1,2019,recruiter,,24\n"
        "X-1,dader,P2,2019,co_perpetrator,,\n"
        "X-1,slachtoffer,V1,2019,,16,\n",
        encoding="utf-8",
    )
    (case,) = read(path)
    assert [(p["pid"], p["role"], p["age_at_start"]) for p in case.perpetrators] == [
        ("P1", "recruiter", 24),
        ("P2", "co_perpetrator", None),
    ]
    assert [(v["vid"], v["age_at_start"]) for v in case.victims] == [("V1", 16)]

    path.write_text(
        "case_id,role,person_id,perpetrator.role,victim.age_at_start,age_at_start\n"
        "X-1,slachtoffer,V1,recruiter,16,17\n"
        "X-1,dader,P1,boss,,\n",
        encoding="utf-8",
    )
    assert problems_of(path) == [
        "prefixed.csv, row 2, field perpetrator.role: does not apply to a victim: leave it empty",
        "prefixed.csv, row 2, field victim.age_at_start: disagrees with the column age_at_start",
        "prefixed.csv, row 3, field perpetrators.P1.role: is not an allowed value: must be "
        "one of main, co_perpetrator, recruiter, facilitator, other",
    ]


def test_case_variable_disagreeing_between_rows(tmp_path):
    path = tmp_path / "clash.csv"
    path.write_text("case_id,role,person_id,case.year_start\nX,dader,P1,2019\nX,victim,V1,2020\n")
    assert problems_of(path) == [
        "clash.csv, row 3, field case.year_start: disagrees with an earlier row of the same case"
    ]


def test_problems_from_all_files_at_once(tmp_path, example_case):
    good = tmp_path / "good.json"
    good.write_text(json.dumps(example_case))
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"case": {"case_id": "A"}}\n{"case": \n')
    assert problems_of(good, broken, good, tmp_path / "missing.json", tmp_path / "x.txt") == [
        "broken.jsonl, line 2 column 10: is not valid JSON (Expecting value)",
        "good.json, field case.case_id: a case id appears more than once in this import (also "
        "in good.json); each case may be given once",
        "missing.json: does not exist",
        "x.txt: is not a supported file type: use .json, .jsonl, .ndjson, .csv, .xlsx",
    ]


def test_not_utf8(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("case_id,role,person_id,label\nX,dader,P1,Jos\xe9\n".encode("latin-1"))
    assert problems_of(path) == [
        "latin1.csv, line 2 (byte 43): is not UTF-8 text: save the file as UTF-8"
    ]


def test_broken_xlsx(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"not a zip")
    assert problems_of(path) == ["broken.xlsx: is not a readable .xlsx workbook"]


def test_semicolon_csv_from_dutch_excel(tmp_path):
    import csv

    # Dutch Excel writes ';' separators; lists then use ',' inside a cell.
    with (DATA / "two_cases.csv").open(encoding="utf-8") as handle:
        rows = [[cell.replace(";", ",") for cell in row] for row in csv.reader(handle)]
    path = tmp_path / "semicolon.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(rows)
    cases = read(path)
    assert cohort_fingerprint(cases) == cohort_fingerprint(read(DATA / "two_cases.csv"))
