"""Evaluation of assisted coding: alignment, per-field counts and overall figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ketenbeeld.cases.codebook import load_codebook
from ketenbeeld.cases.extract.evaluate import evaluate, format_table, read_documents
from ketenbeeld.cases.validate import validate_case
from ketenbeeld.errors import InputError


def case(case_id, perpetrators=(), victims=(), **variables):
    return {
        "codebook_version": "1",
        "case": {"case_id": case_id, **variables},
        "perpetrators": list(perpetrators),
        "victims": list(victims),
    }


DYLAN = {"pid": "P1", "label": "Dylan K.", "age_at_start": 22, "gender": "male", "has_debts": True}
SAMIRA = {"pid": "P2", "label": "Samira B.", "age_at_start": 19, "gender": "female"}


def counts(result, name):
    score = result.fields[name]
    return (score.tp, score.fp, score.fn)


def test_swapped_person_order_still_aligns():
    gold = case(
        "G-1",
        [DYLAN, SAMIRA],
        [{"vid": "V1", "age_at_start": 16, "perpetrators": ["P1"]}],
    )
    # Same people, listed the other way round and numbered the other way round.
    predicted = case(
        "G-1",
        [{**SAMIRA, "pid": "P1"}, {**DYLAN, "pid": "P2"}],
        [{"vid": "V1", "age_at_start": 16, "perpetrators": ["P2"]}],
    )
    result = evaluate([gold], [predicted])
    assert counts(result, "perpetrators.age_at_start") == (2, 0, 0)
    assert counts(result, "perpetrators.gender") == (2, 0, 0)
    assert counts(result, "perpetrators.has_debts") == (1, 0, 0)
    # The victim's perpetrator list is compared after mapping P2 -> P1.
    assert counts(result, "victims.perpetrators") == (1, 0, 0)
    assert (result.overall.fp, result.overall.fn) == (0, 0)
    assert result.label_accuracy == 1.0


def test_alignment_prefers_agreeing_values_over_labels():
    gold = case("G-1", [DYLAN, SAMIRA])
    # The labels are swapped but every coded value points to the other person.
    predicted = case(
        "G-1",
        [{**DYLAN, "label": "Samira B."}, {**SAMIRA, "label": "Dylan K."}],
    )
    result = evaluate([gold], [predicted])
    assert counts(result, "perpetrators.age_at_start") == (2, 0, 0)
    assert (result.label_correct, result.label_total) == (0, 2)


def test_wrong_value_counts_as_false_positive_and_false_negative():
    gold = case("G-1", victims=[{"vid": "V1", "age_at_start": 16}])
    predicted = case("G-1", victims=[{"vid": "V1", "age_at_start": 17}])
    result = evaluate([gold], [predicted])
    assert counts(result, "victims.age_at_start") == (0, 1, 1)
    score = result.fields["victims.age_at_start"]
    assert (score.precision, score.recall, score.f1) == (0.0, 0.0, 0.0)
    assert result.wrong_nonnull_share == 1.0


def test_null_against_value():
    gold = case("G-1", victims=[{"vid": "V1", "gender": "female", "living_situation": None}])
    predicted = case("G-1", victims=[{"vid": "V1", "gender": None, "living_situation": "homeless"}])
    result = evaluate([gold], [predicted])
    # Gold value, prediction null: missed. Gold null, prediction value: spurious.
    assert counts(result, "victims.gender") == (0, 0, 1)
    assert counts(result, "victims.living_situation") == (0, 1, 0)
    assert result.fields["victims.gender"].precision is None
    assert result.fields["victims.living_situation"].recall is None


def test_both_null_counts_nothing():
    gold = case("G-1", victims=[{"vid": "V1", "gender": None}])
    predicted = case("G-1", victims=[{"vid": "V1"}])
    result = evaluate([gold], [predicted])
    assert counts(result, "victims.gender") == (0, 0, 0)
    assert result.fields["victims.gender"].f1 is None
    assert result.wrong_nonnull_share is None


def test_missing_case_counts_every_value_missed_and_unknown_case_is_reported():
    gold = [
        case("G-1", year_start=2019),
        case("G-2", [DYLAN], [{"vid": "V1", "gender": "female"}], year_start=2020),
    ]
    predicted = [case("G-1", year_start=2019), case("X-9", year_start=2018)]
    result = evaluate(gold, predicted)
    assert result.missing_case_ids == ("G-2",)
    assert result.unknown_case_ids == ("X-9",)
    assert result.n_cases == 2
    assert counts(result, "case.year_start") == (1, 0, 1)
    # Dylan's four values and the victim's gender are all missed.
    assert counts(result, "perpetrators.age_at_start") == (0, 0, 1)
    assert counts(result, "perpetrators.has_debts") == (0, 0, 1)
    assert counts(result, "victims.gender") == (0, 0, 1)
    assert (result.overall.tp, result.overall.fp, result.overall.fn) == (1, 0, 5)
    assert (result.label_correct, result.label_total) == (0, 1)


def test_lists_compare_as_sets():
    gold = case(
        "G-1",
        [{"pid": "P1", "addiction_types": ["cocaine", "cannabis"]}, {"pid": "P2"}],
        [{"vid": "V1", "perpetrators": ["P1", "P2"]}],
    )
    predicted = case(
        "G-1",
        [{"pid": "P1", "addiction_types": ["cannabis", "cocaine"]}, {"pid": "P2"}],
        [{"vid": "V1", "perpetrators": ["P2", "P1"]}],
    )
    result = evaluate([gold], [predicted])
    assert counts(result, "perpetrators.addiction_types") == (1, 0, 0)
    assert counts(result, "victims.perpetrators") == (1, 0, 0)


def test_list_with_an_extra_item_is_wrong():
    gold = case("G-1", [{"pid": "P1", "addiction_types": ["cannabis"]}])
    predicted = case("G-1", [{"pid": "P1", "addiction_types": ["cannabis", "alcohol"]}])
    result = evaluate([gold], [predicted])
    assert counts(result, "perpetrators.addiction_types") == (0, 1, 1)


def test_label_accuracy_ignores_case_and_whitespace():
    gold = case("G-1", victims=[{"vid": "V1", "label": "Samira B.", "gender": "female"}])
    predicted = case("G-1", victims=[{"vid": "V1", "label": "  samira   b. ", "gender": "female"}])
    result = evaluate([gold], [predicted])
    assert (result.label_correct, result.label_total) == (1, 1)
    # Labels are reported separately, never as a scored field.
    assert "victims.label" not in result.fields
    assert "victims.vid" not in result.fields


def test_spurious_person_counts_false_positives():
    gold = case("G-1", [DYLAN])
    predicted = case("G-1", [DYLAN, {"pid": "P2", "gender": "male"}])
    result = evaluate([gold], [predicted])
    assert counts(result, "perpetrators.gender") == (1, 1, 0)


def test_micro_figures_by_hand():
    gold = case(
        "G-1",
        [{"pid": "P1", "gender": "male", "has_debts": True, "has_diploma": False}],
        [{"vid": "V1", "age_at_start": 16, "first_contact_platform": "snapchat"}],
        year_start=2019,
    )
    predicted = case(
        "G-1",
        # gender right, has_debts wrong, has_diploma missed, spurious has_addiction
        [{"pid": "P1", "gender": "male", "has_debts": False, "has_addiction": True}],
        # age right, platform right
        [{"vid": "V1", "age_at_start": 16, "first_contact_platform": "snapchat"}],
        year_start=2019,
    )
    result = evaluate([gold], [predicted])
    # tp: year_start, gender, age, platform = 4
    # fp: has_debts (wrong), has_addiction (gold null) = 2
    # fn: has_debts (wrong), has_diploma (missed) = 2
    assert (result.overall.tp, result.overall.fp, result.overall.fn) == (4, 2, 2)
    assert result.overall.precision == pytest.approx(4 / 6)
    assert result.overall.recall == pytest.approx(4 / 6)
    assert result.overall.f1 == pytest.approx(2 * 4 / (2 * 4 + 2 + 2))
    assert result.wrong_nonnull_share == pytest.approx(2 / 6)
    assert (result.predicted_values, result.wrong_values) == (6, 2)


def test_boolean_does_not_equal_number():
    gold = case("G-1", [{"pid": "P1", "has_debts": True}])
    predicted = case("G-1", [{"pid": "P1", "has_debts": 1}])
    assert counts(evaluate([gold], [predicted]), "perpetrators.has_debts") == (0, 1, 1)


def test_document_without_case_id_is_refused():
    with pytest.raises(InputError, match=r"gold document 1 has no case\.case_id"):
        evaluate([{"case": {}}], [])


def test_read_documents_names_the_invalid_file(tmp_path):
    (tmp_path / "a.json").write_text(json.dumps(case("G-1")), encoding="utf-8")
    assert [d["case"]["case_id"] for d in read_documents(tmp_path)] == ["G-1"]
    (tmp_path / "b.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match=r"b\.json: not valid JSON \(line 1"):
        read_documents(tmp_path)


def test_read_documents_refuses_a_list(tmp_path):
    (tmp_path / "c.json").write_text("[]", encoding="utf-8")
    with pytest.raises(InputError, match=r"c\.json: must be a JSON object"):
        read_documents(tmp_path)


def test_format_table_lists_fields_and_overall():
    gold = case("G-1", victims=[{"vid": "V1", "age_at_start": 16}], year_start=2019)
    predicted = case("G-1", victims=[{"vid": "V1", "age_at_start": 17}], year_start=2019)
    table = format_table(evaluate([gold], [predicted])).splitlines()
    assert table[0].split() == ["field", "tp", "fp", "fn", "P", "R", "F1"]
    assert table[2].split() == ["case.year_start", "1", "0", "0", "1.00", "1.00", "1.00"]
    assert table[3].split() == ["victims.age_at_start", "0", "1", "1", "0.00", "0.00", "0.00"]
    assert table[5].split() == ["all", "fields", "(micro)", "1", "1", "1", "0.50", "0.50", "0.50"]
    assert "wrong non-null share: 0.50 (1 of 2 predicted values)" in table


GOLD = Path(__file__).resolve().parents[2] / "data" / "extract"


def gold_documents():
    # The folder also holds identifiers.json (de-identification), so pick the cases.
    return [json.loads(path.read_text("utf-8")) for path in sorted(GOLD.glob("case-*.json"))]


def test_gold_set_validates_and_quotes_its_texts():
    codebook = load_codebook()
    documents = gold_documents()
    assert len(documents) >= 28
    for document in documents:
        case_id = document["case"]["case_id"]
        coded, problems = validate_case(document, codebook, source=case_id, location="")
        assert problems == [], case_id
        text = (GOLD / f"case-{case_id.removeprefix('GOLD-')}.txt").read_text("utf-8")
        for item in document["evidence"]:
            assert text[item["start"] : item["end"]] == item["text"], (case_id, item["path"])
        # Every non-null coded value (ids and id lists aside) has evidence.
        quoted = {item["path"] for item in document["evidence"]}
        for role, key in (("perpetrators", "pid"), ("victims", "vid")):
            for person in document[role]:
                for name, value in person.items():
                    if value is not None and name not in (key, "perpetrators"):
                        assert f"{role}.{person[key]}.{name}" in quoted, (case_id, name)
        assert coded is not None


def test_gold_against_itself_is_perfect():
    documents = gold_documents()
    result = evaluate(documents, documents)
    assert result.overall.fp == result.overall.fn == 0
    assert result.overall.tp > 500
    assert result.label_accuracy == 1.0
