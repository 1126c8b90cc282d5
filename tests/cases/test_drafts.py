"""Drafts: extract from summaries, review value by value (who and when), import."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from ketenbeeld.cases import count_cases, load_case
from ketenbeeld.cases.codebook import load_codebook
from ketenbeeld.cases.drafts import (
    CaseDraft,
    create_drafts,
    import_draft,
    load_draft,
    parse_form_value,
    review_draft,
)
from ketenbeeld.errors import ConflictError, InputError, ValidationFailed
from ketenbeeld.storage import session_scope, verify_audit_log

DATA = Path(__file__).parents[1] / "data" / "extract"
TEXT = (DATA / "case-01.txt").read_text(encoding="utf-8")


def test_drafts_keep_the_text_and_a_proposal_with_evidence(db):
    [draft_id] = create_drafts(db.engine, [("case-01.txt", TEXT)], by="web:rita")
    draft = load_draft(db.engine, draft_id)
    assert draft.case_id == "case-01" and draft.status == "draft" and draft.text == TEXT
    victim = draft.document["victims"][0]
    assert victim["first_contact_platform"] == "snapchat"
    for item in draft.document["evidence"]:
        assert TEXT[item["start"] : item["end"]] == item["text"]
    assert verify_audit_log(db.engine).ok


def test_two_texts_with_one_case_id_store_nothing(db):
    with pytest.raises(ValidationFailed) as caught:
        create_drafts(db.engine, [("a.txt", TEXT), ("dir/a.txt", TEXT), ("b.txt", " ")], by="x")
    assert [str(p) for p in caught.value.problems] == [
        "dir/a.txt: gives the same case id as a.txt",
        "b.txt: is empty",
    ]
    with session_scope(db.engine) as session:
        assert session.execute(select(func.count()).select_from(CaseDraft)).scalar_one() == 0


def test_a_de_identified_draft_keeps_only_the_de_identified_text(db, deidentifier):
    [draft_id] = create_drafts(
        db.engine, [("case-01.txt", TEXT)], by="x", deidentifier=deidentifier
    )
    draft = load_draft(db.engine, draft_id)
    assert draft.deidentified
    assert "Dylan Koster" not in draft.text and "426539229" not in draft.text
    assert "[PERSOON-1]" in draft.text
    assert draft.document["victims"][0]["first_contact_platform"] == "snapchat"


def test_accept_and_correct_keep_who_and_when_and_the_import_uses_the_kept_values(db):
    [draft_id] = create_drafts(db.engine, [("case-01.txt", TEXT)], by="x")
    review_draft(db.engine, draft_id, "victims.V1.first_contact_platform", "snapchat", by="rita")
    reviewed = review_draft(db.engine, draft_id, "victims.V1.age_at_start", "17", by="bram")
    first, second = reviewed.document["review"]
    assert (first["action"], first["by"], first["value"]) == ("accepted", "rita", "snapchat")
    assert (second["action"], second["by"], second["proposed"], second["value"]) == (
        "corrected",
        "bram",
        16,
        17,
    )
    quoted = second["evidence"][0]["text"]  # the proposal's evidence stays in the trail
    assert "16" in quoted and quoted in TEXT
    summary = import_draft(db.engine, draft_id, by="web:rita")
    assert (summary.n_cases, summary.n_new) == (1, 1)
    case = load_case(db.engine, "case-01")
    assert case.victims[0]["age_at_start"] == 17
    assert [entry["by"] for entry in case.review] == ["rita", "bram"]
    assert load_draft(db.engine, draft_id).status == "imported"
    with pytest.raises(ConflictError, match="imported already"):
        import_draft(db.engine, draft_id, by="x")


def test_a_value_the_codebook_does_not_allow_changes_nothing(db):
    [draft_id] = create_drafts(db.engine, [("case-01.txt", TEXT)], by="x")
    before = load_draft(db.engine, draft_id).document
    with pytest.raises(ValidationFailed) as caught:
        review_draft(db.engine, draft_id, "victims.V1.gender", "vrouw", by="x")
    assert "must be one of male, female, other" in str(caught.value.problems[0])
    with pytest.raises(InputError, match="age_at_start: must be a whole number from"):
        review_draft(db.engine, draft_id, "victims.V1.age_at_start", "zestien", by="x")
    assert load_draft(db.engine, draft_id).document == before
    assert count_cases(db.engine) == 0


def test_form_values_by_type():
    book = load_codebook("1")
    assert parse_form_value(book.victim.variable("age_at_start"), " 16 ") == 16
    assert parse_form_value(book.perpetrator.variable("has_debts"), "nee") is False
    assert parse_form_value(book.perpetrator.variable("has_debts"), "") is None
    addictions = book.perpetrator.variable("addiction_types")
    assert parse_form_value(addictions, "cannabis, alcohol") == ["cannabis", "alcohol"]
