"""Importing coded cases into the database: replace by case id, all or nothing."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from ketenbeeld.cases import store
from ketenbeeld.cases.codebook import load_codebook
from ketenbeeld.cases.importer import read_case_files
from ketenbeeld.cases.model import cohort_fingerprint
from ketenbeeld.storage import AuditEvent, CaseRecord, ImportBatch, session_scope, verify_audit_log


def files_for(tmp_path, documents, name="cases.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(d) for d in documents) + "\n")
    return read_case_files([path], load_codebook())


def make_documents(example_case, ids):
    documents = []
    for case_id in ids:
        document = json.loads(json.dumps(example_case))
        document["case"]["case_id"] = case_id
        documents.append(document)
    return documents


def table_counts(engine):
    with session_scope(engine) as session:
        return tuple(
            session.execute(select(func.count()).select_from(model)).scalar_one()
            for model in (CaseRecord, ImportBatch, AuditEvent)
        )


def test_import_and_load_round_trip(engine, tmp_path, example_case):
    files = files_for(tmp_path, make_documents(example_case, ["A", "B", "C"]))
    summary = store.import_cases(engine, files, actor="cli:tester")
    assert (summary.n_cases, summary.n_new, summary.n_replaced, summary.n_files) == (3, 3, 0, 1)
    loaded = store.load_cases(engine)
    assert [c.case_id for c in loaded] == ["A", "B", "C"]
    assert cohort_fingerprint(loaded) == cohort_fingerprint(files[0].cases)
    assert store.count_cases(engine) == 3
    assert table_counts(engine) == (3, 1, 1)


def test_reimport_replaces_by_case_id(engine, tmp_path, example_case):
    store.import_cases(
        engine, files_for(tmp_path, make_documents(example_case, ["A", "B"])), actor="t"
    )
    changed = make_documents(example_case, ["B", "C"])
    changed[0]["perpetrators"][0]["age_at_start"] = 30
    summary = store.import_cases(engine, files_for(tmp_path, changed, "v2.jsonl"), actor="t")
    assert (summary.n_new, summary.n_replaced) == (1, 1)
    loaded = {c.case_id: c for c in store.load_cases(engine)}
    assert sorted(loaded) == ["A", "B", "C"]
    assert loaded["B"].perpetrators[0]["age_at_start"] == 30
    assert verify_audit_log(engine).n_events == 2


def test_failure_mid_write_leaves_database_unchanged(engine, tmp_path, example_case, monkeypatch):
    store.import_cases(
        engine, files_for(tmp_path, make_documents(example_case, ["A", "B"])), actor="t"
    )
    before = (table_counts(engine), cohort_fingerprint(store.load_cases(engine)))

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    # The audit event is the last write of the transaction: fail there.
    monkeypatch.setattr(store, "append_audit_event", explode)
    changed = make_documents(example_case, ["B", "C", "D"])
    changed[0]["victims"][0]["age_at_start"] = 17
    with pytest.raises(RuntimeError, match="disk full"):
        store.import_cases(engine, files_for(tmp_path, changed, "v2.jsonl"), actor="t")
    after = (table_counts(engine), cohort_fingerprint(store.load_cases(engine)))
    assert after == before


def test_large_import_in_batches(engine, tmp_path, example_case):
    ids = [f"C-{n:05d}" for n in range(4500)]
    summary = store.import_cases(
        engine, files_for(tmp_path, make_documents(example_case, ids)), actor="t"
    )
    assert summary.n_cases == 4500
    assert store.count_cases(engine) == 4500
    summary = store.import_cases(
        engine, files_for(tmp_path, make_documents(example_case, ids[:2500]), "b.jsonl"), actor="t"
    )
    assert (summary.n_replaced, store.count_cases(engine)) == (2500, 4500)
