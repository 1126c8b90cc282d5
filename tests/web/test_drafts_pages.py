"""Onderzoek: extraction of uploaded summaries as a job, review beside the text, import."""

from __future__ import annotations

import re
from pathlib import Path

from ketenbeeld.cases import load_case
from ketenbeeld.cases.drafts import list_drafts
from ketenbeeld.web import WebContext, create_app

from .conftest import csrf_of, finished_job, logged_in

TEXT = (Path(__file__).parents[1] / "data" / "extract" / "case-01.txt").read_bytes()


def start(client, files, *, deidentify: bool):
    token = csrf_of(client.get("/onderzoek/extractie").text)
    data = {"csrf_token": token}
    if deidentify:
        data["deidentify"] = "true"
    started = client.post(
        "/onderzoek/extractie",
        data=data,
        files=[("files", (name, content, "text/plain")) for name, content in files],
        follow_redirects=False,
    )
    return finished_job(client, started)


def test_extract_review_and_import(web, db):
    client = logged_in(web, "onderzoeker")
    page = start(client, [("case-01.txt", TEXT)], deidentify=False)
    [draft] = list_drafts(db.engine)
    assert f'href="/onderzoek/extractie/{draft.id}"' in page
    review = client.get(f"/onderzoek/extractie/{draft.id}").text
    # The evidence is marked in the text and quoted beside its field.
    assert '<mark id="ev-' in review
    assert "“Snapchat”" in review
    assert "0 van " in review
    token = csrf_of(review)
    client.post(
        f"/onderzoek/extractie/{draft.id}/waarde",
        data={"csrf_token": token, "path": "victims.V1.first_contact_platform",
              "accept": "=snapchat"},
    )  # fmt: skip
    corrected = client.post(
        f"/onderzoek/extractie/{draft.id}/waarde",
        data={"csrf_token": token, "path": "victims.V1.age_at_start", "value": "17"},
    ).text
    assert "2 van " in corrected
    assert "verbeterd door onderzoeker op" in corrected
    assert "geaccepteerd door onderzoeker op" in corrected
    bad = client.post(
        f"/onderzoek/extractie/{draft.id}/waarde",
        data={"csrf_token": token, "path": "victims.V1.age_at_start", "value": "zestien"},
    )
    assert bad.status_code == 422
    assert "age_at_start: must be a whole number from" in bad.text
    imported = client.post(
        f"/onderzoek/extractie/{draft.id}/importeren", data={"csrf_token": token}
    ).text
    assert "De zaak case-01 is geïmporteerd." in imported
    case = load_case(db.engine, "case-01")
    assert case.victims[0]["age_at_start"] == 17
    assert [(r["action"], r["by"]) for r in case.review] == [
        ("accepted", "onderzoeker"),
        ("corrected", "onderzoeker"),
    ]


def test_de_identified_extraction_stores_no_names(db, deidentifier):
    from .conftest import add_users

    add_users(db.engine, "Org")
    context = WebContext(db.engine, "Org", secure_cookies=False, _deidentifier=deidentifier)
    client = logged_in(create_app(context), "onderzoeker")
    start(client, [("case-01.txt", TEXT)], deidentify=True)
    [draft] = list_drafts(db.engine)
    page = client.get(f"/onderzoek/extractie/{draft.id}").text
    assert "Dylan Koster" not in page and "Dylan Koster" not in draft.text
    assert "[PERSOON-1]" in page


def test_a_bad_upload_fails_the_job_with_the_problems_and_stores_nothing(web, db):
    client = logged_in(web, "onderzoeker")
    page = start(client, [("a.txt", TEXT), ("x/a.txt", TEXT)], deidentify=False)
    assert 'data-status="failed"' in page
    assert "1 probleem gevonden; er is niets opgeslagen." in page
    assert re.search(r"<td>a.txt</td><td>–</td><td>gives the same case id as a.txt</td>", page)
    assert list_drafts(db.engine) == []
