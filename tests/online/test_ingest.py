"""Ingest: all or nothing by default, skip-and-report on request, idempotent, on both backends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ketenbeeld.errors import ValidationFailed
from ketenbeeld.online.ingest import ingest_ads
from ketenbeeld.online.models import AdRecord, IngestBatch
from ketenbeeld.storage import session_scope
from ketenbeeld.storage.models import AuditEvent

ADS = [
    {
        "ad_id": "site1-001",
        "posted_at": "2026-03-01T14:30:00Z",
        "site": "advertentiesite-a",
        "city": "Utrecht",
        "phone": "O6-1234 5678",
        "title": "Nieuw in Utrecht",
        "text": "Afspraak mogelijk, bel of app. Snap: lisa_x",
        "age": "19 jaar",
        "price": "€150",
        "source_url": "https://example.invalid/1",
    },
    {
        "ad_id": "site1-002",
        "posted_at": "2026-03-02T09:00:00+01:00",
        "city": "Amersfoort",
        "text": "Rustige ontmoeting, mail lisa [at] mail [dot] nl of bel 06 12 34 56 78",
        "age": "oud genoeg",
    },
]


def write_jsonl(path: Path, records) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    return path


def stored(engine) -> dict[str, AdRecord]:
    with session_scope(engine) as session:
        return {ad.ad_id: ad for ad in session.execute(select(AdRecord)).scalars()}


def count(engine, model) -> int:
    with session_scope(engine) as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_ads_are_stored_with_normalised_identifiers(db, tmp_path):
    summary = ingest_ads(db.engine, [write_jsonl(tmp_path / "ads.jsonl", ADS)])
    assert (summary.n_records, summary.n_new, summary.n_updated, summary.n_unchanged) == (
        2,
        2,
        0,
        0,
    )
    ads = stored(db.engine)
    first, second = ads["site1-001"], ads["site1-002"]
    assert first.phones == ["+31612345678"]
    assert first.handles == ["snapchat:lisa_x"]
    assert (first.age, first.price, first.city) == (19, 150.0, "Utrecht")
    assert first.posted_at.isoformat() == "2026-03-01T14:30:00"
    assert first.extra == {"source_url": "https://example.invalid/1"}
    assert second.phones == ["+31612345678"]  # the same number, written otherwise
    assert second.emails == ["lisa@mail.nl"]
    assert second.posted_at.isoformat() == "2026-03-02T08:00:00"  # UTC
    assert second.age is None and second.extra == {"age_raw": "oud genoeg"}
    assert [str(n) for n in summary.notices] == [
        "ads.jsonl, line 2, field age: is not an age from 16 to 99; kept as written"
    ]


def test_ingesting_the_same_ads_again_changes_nothing(db, tmp_path):
    path = write_jsonl(tmp_path / "ads.jsonl", ADS)
    ingest_ads(db.engine, [path])
    before = {k: (v.id, v.content_sha256, v.ingest_id) for k, v in stored(db.engine).items()}
    again = ingest_ads(db.engine, [path])
    assert (again.n_new, again.n_updated, again.n_unchanged) == (0, 0, 2)
    after = {k: (v.id, v.content_sha256, v.ingest_id) for k, v in stored(db.engine).items()}
    assert after == before
    changed = [dict(ADS[0], price="€120"), ADS[1]]
    third = ingest_ads(db.engine, [write_jsonl(tmp_path / "changed.jsonl", changed)])
    assert (third.n_new, third.n_updated, third.n_unchanged) == (0, 1, 1)
    assert stored(db.engine)["site1-001"].price == 120.0
    assert count(db.engine, AdRecord) == 2


def test_one_bad_record_rejects_the_whole_ingest_and_lists_every_problem(db, tmp_path):
    bad = [
        ADS[0],
        {"ad_id": "x-1"},
        {"text": "geen id"},
        {"ad_id": "x-2", "text": "t", "posted_at": "gisteren"},
        dict(ADS[0], text="andere tekst"),
    ]
    path = write_jsonl(tmp_path / "bad.jsonl", bad)
    with path.open("a") as stream:
        stream.write("{not json\n[1, 2]\n")
    with pytest.raises(ValidationFailed) as caught:
        ingest_ads(db.engine, [path])
    assert [str(p) for p in caught.value.problems] == [
        "bad.jsonl, line 2, field text: is required (the ad's text)",
        "bad.jsonl, line 3, field ad_id: is required",
        "bad.jsonl, line 4, field posted_at: must be ISO 8601, e.g. 2026-03-01T14:30:00",
        "bad.jsonl, line 5, field ad_id: is used by bad.jsonl line 1 with other content",
        "bad.jsonl, line 6: is not valid JSON (Expecting property name enclosed in double quotes)",
        "bad.jsonl, line 7: must be a JSON object with ad_id and text",
    ]
    assert str(caught.value) == "6 problems found; nothing was ingested"
    assert "gisteren" not in str(caught.value.problems)
    assert count(db.engine, AdRecord) == count(db.engine, IngestBatch) == 0


def test_skip_mode_stores_the_good_ads_and_lists_the_skipped(db, tmp_path):
    path = write_jsonl(tmp_path / "mixed.jsonl", [ADS[0], {"ad_id": "x-1"}, ADS[1]])
    summary = ingest_ads(db.engine, [path], on_error="skip")
    assert summary.n_new == 2
    assert [str(p) for p in summary.skipped] == [
        "mixed.jsonl, line 2, field text: is required (the ad's text)"
    ]
    with session_scope(db.engine) as session:
        batch = session.execute(select(IngestBatch)).scalar_one()
        event = session.execute(
            select(AuditEvent).where(AuditEvent.action == "online.ingest")
        ).scalar_one()
    assert (batch.n_new, batch.n_skipped) == (2, 1)
    assert event.details["skipped"] == 1 and event.details["new"] == 2


def test_csv_files_and_a_crash_mid_write_leave_the_database_as_it_was(db, tmp_path, monkeypatch):
    csv_path = tmp_path / "ads.csv"
    csv_path.write_text(
        "ad_id,text,phone,city,extra_column\n"
        'c-1,"Nieuw, bel 06-12345678",,Zwolle,x\n'
        "c-2,Tekst,+31 6 8765 4321,Deventer,\n"
    )
    summary = ingest_ads(db.engine, [csv_path])
    assert summary.n_new == 2
    ads = stored(db.engine)
    assert ads["c-1"].phones == ["+31612345678"] and ads["c-1"].extra == {"extra_column": "x"}
    assert ads["c-2"].phones == ["+31687654321"]

    from ketenbeeld.online import ingest as module

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(module, "append_audit_event", explode)
    with pytest.raises(RuntimeError):
        ingest_ads(db.engine, [write_jsonl(tmp_path / "more.jsonl", ADS)])
    assert sorted(stored(db.engine)) == ["c-1", "c-2"]
    assert count(db.engine, IngestBatch) == 1


def test_a_csv_without_the_required_columns_is_refused(db, tmp_path):
    path = tmp_path / "ads.csv"
    path.write_text("id,body\n1,x\n")
    with pytest.raises(ValidationFailed) as caught:
        ingest_ads(db.engine, [path], on_error="skip")
    assert [str(p) for p in caught.value.problems] == [
        "ads.csv, row 1: the header lacks ad_id, text"
    ]
