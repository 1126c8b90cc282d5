"""Onderzoek: import with the problems per row, the case pages, statistics and the report."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from fastapi.testclient import TestClient

from ketenbeeld.cases import count_cases, load_cases
from ketenbeeld.synth import generate_cohort, write_cohort_jsonl

from .conftest import csrf_of, finished_job, logged_in

DATA = Path(__file__).parents[1] / "data"


def upload(client: TestClient, name: str, content: bytes, *, dry_run: bool = False):
    token = csrf_of(client.get("/onderzoek/import").text)
    data = {"csrf_token": token}
    if dry_run:
        data["dry_run"] = "true"
    started = client.post(
        "/onderzoek/import",
        data=data,
        files=[("files", (name, content, "text/csv"))],
        follow_redirects=False,
    )
    return finished_job(client, started)


def cells(page: str) -> list[list[str]]:
    rows = re.findall(r"<tr>(.*?)</tr>", page, flags=re.S)
    return [[html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)] for r in rows]


def test_an_import_with_problems_lists_them_per_row_and_imports_nothing(web, db):
    text = (DATA / "two_cases.csv").read_text()
    text = text.replace(",ja,ja,cannabis,", ",misschien,ja,cannabis,")
    text = text.replace("female,,,,,,,homeless", "vrouw,,,,,,,homeless")
    client = logged_in(web, "onderzoeker")
    answer = upload(client, "../../bad.csv", text.encode())
    assert 'data-status="failed"' in answer
    assert "2 problemen gevonden; er is niets opgeslagen." in answer
    problems = [row for row in cells(answer) if len(row) == 3]
    assert problems == [
        [
            "bad.csv, row 2",
            "has_debts",
            "must be true/false (ja/nee, 1/0), or empty when the file does not settle it",
        ],
        [
            "bad.csv, row 6",
            "victims.V1.gender",
            "is not an allowed value: must be one of male, female, other",
        ],
    ]
    assert count_cases(db.engine) == 0


def test_a_dry_run_stores_nothing_and_an_import_stores_all(web, db, tmp_path):
    path = tmp_path / "cohort.jsonl"
    write_cohort_jsonl(generate_cohort(12, 3), path)
    client = logged_in(web, "onderzoeker")
    dry = upload(client, "cohort.jsonl", path.read_bytes(), dry_run=True)
    assert "12 zaken zijn geldig; er is niets opgeslagen." in dry
    assert count_cases(db.engine) == 0
    done = upload(client, "cohort.jsonl", path.read_bytes())
    assert "12 zaken geïmporteerd (12 nieuw, 0 vervangen)." in done
    again = upload(client, "cohort.jsonl", path.read_bytes())
    assert "12 zaken geïmporteerd (0 nieuw, 12 vervangen)." in again
    assert count_cases(db.engine) == 12


def test_case_list_detail_statistics_and_report(web, db, tmp_path):
    path = tmp_path / "cohort.jsonl"
    write_cohort_jsonl(generate_cohort(25, 7), path)
    client = logged_in(web, "onderzoeker")
    upload(client, "cohort.jsonl", path.read_bytes())
    cases = load_cases(db.engine)
    listing = client.get("/onderzoek").text
    assert "25 zaken in de database" in listing
    first = cases[0]
    detail = client.get(f"/onderzoek/zaken/{first.case_id}").text
    assert f"{first.case_id}" in detail
    assert detail.count("<h3>P") == len(first.perpetrators)
    assert detail.count("<h3>V") == len(first.victims)
    assert client.get("/onderzoek/zaken/NO-SUCH-CASE").status_code == 404

    from ketenbeeld.cases import compute_statistics

    stats = compute_statistics(cases)
    page = client.get("/onderzoek/statistiek").text
    debts = stats.row("perpetrators_with_debts")
    row = next(r for r in cells(page) if r and r[0] == debts.label["nl"])
    assert row[1:4] == [str(debts.numerator), str(debts.denominator), str(debts.unknown)]
    assert row[4] == f"{100 * debts.proportion:.1f}"
    assert page.count("<svg") >= 3

    report = client.get("/onderzoek/rapport.html")
    assert report.headers["content-type"] == "text/html; charset=utf-8"
    assert stats.fingerprint in report.text
    pdf = client.get("/onderzoek/rapport.pdf")
    assert pdf.content.startswith(b"%PDF-")
    assert "attachment" in pdf.headers["content-disposition"]


def test_statistics_and_report_without_cases_say_so(web):
    client = logged_in(web, "onderzoeker")
    assert "Er zijn nog geen zaken" in client.get("/onderzoek/statistiek").text
    answer = client.get("/onderzoek/rapport.html")
    assert answer.status_code == 422
    assert "the database holds no cases yet" in answer.text


def test_the_case_list_has_pages_of_100(web, db, tmp_path):
    path = tmp_path / "cohort.jsonl"
    write_cohort_jsonl(generate_cohort(250, 4), path)
    client = logged_in(web, "onderzoeker")
    upload(client, "cohort.jsonl", path.read_bytes())
    first = client.get("/onderzoek").text
    assert "250 zaken in de database · pagina 1 van 3" in first
    assert first.count('href="/onderzoek/zaken/') == 100
    assert 'href="/onderzoek?pagina=2" rel="next"' in first
    last = client.get("/onderzoek?pagina=99").text  # past the end: the last page
    assert "pagina 3 van 3" in last
    assert last.count('href="/onderzoek/zaken/') == 50
    ids = sorted(case.case_id for case in load_cases(db.engine))
    assert f'href="/onderzoek/zaken/{ids[-1]}"' in last


def test_statistics_follow_a_new_import(web, tmp_path):
    client = logged_in(web, "onderzoeker")
    for n, seed in ((12, 1), (30, 2)):
        path = tmp_path / f"cohort-{n}.jsonl"
        write_cohort_jsonl(generate_cohort(n, seed), path)
        upload(client, path.name, path.read_bytes())
        page = client.get("/onderzoek/statistiek").text
        expected = 12 if n == 12 else 42  # the second cohort's ids differ from the first's
        assert f"{expected} zaken," in page


def test_a_case_id_with_slashes_opens_from_the_list(web, db, tmp_path):
    # The codebook allows "/" in case ids (e.g. a year and a number).
    path = tmp_path / "one.jsonl"
    write_cohort_jsonl(generate_cohort(1, 5), path)
    record = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    record["case"]["case_id"] = "ZAAK/2019/12"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    client = logged_in(web, "onderzoeker")
    upload(client, "one.jsonl", path.read_bytes())
    (href,) = re.findall(r'href="(/onderzoek/zaken/[^"]+)"', client.get("/onderzoek").text)
    assert href == "/onderzoek/zaken/ZAAK/2019/12"
    detail = client.get(href)
    assert detail.status_code == 200
    assert "ZAAK/2019/12" in detail.text
    assert detail.text.count("<h3>P") == len(record["perpetrators"])
