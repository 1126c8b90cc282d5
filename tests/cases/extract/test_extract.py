"""Extraction of the codebook from Dutch case summaries: one test per phenomenon."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ketenbeeld.cases.codebook import load_codebook
from ketenbeeld.cases.extract import extract_case, extract_files
from ketenbeeld.cases.validate import validate_case
from ketenbeeld.errors import ValidationFailed

TWO = "Verdachte 1 is Dylan Koster. Verdachte 2 is Kevin Bos.\nHet slachtoffer is Samira Bakker.\n"


def run(text: str) -> dict[str, Any]:
    document = extract_case(text, case_id="T-1")
    _, problems = validate_case(document, load_codebook("1"), source="t", location="t")
    assert problems == []
    for item in document["evidence"]:
        assert text[item["start"] : item["end"]] == item["text"]
    return document


def perpetrator(document: dict[str, Any], label: str) -> dict[str, Any]:
    return next(p for p in document["perpetrators"] if p["label"] == label)


def victim(document: dict[str, Any]) -> dict[str, Any]:
    (only,) = document["victims"]
    return only


def evidence(document: dict[str, Any], path: str) -> str:
    return next(item["text"] for item in document["evidence"] if item["path"] == path)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Dylan Koster had schulden.", True),
        ("Dylan Koster had geen schulden.", False),
        ("Er is niet gebleken van schulden bij Dylan Koster.", False),
        ("Dylan Koster had mogelijk schulden.", None),
        ("Dylan Koster had volgens eigen zeggen schulden.", None),
        ("Dylan Koster ontkent schulden te hebben.", False),
        ("Vermoedelijk had Dylan Koster schulden.", None),
    ],
)
def test_negation_and_uncertainty_of_a_fact(sentence: str, expected: bool | None) -> None:
    document = run(TWO + sentence)
    assert perpetrator(document, "Dylan Koster").get("has_debts") is expected
    assert perpetrator(document, "Kevin Bos").get("has_debts") is None


def test_each_fact_goes_to_the_perpetrator_it_is_written_about() -> None:
    text = TWO + (
        "Dylan Koster had schulden bij het CJIB. Kevin Bos had geen schulden. "
        "Hij had wel een gokverslaving. Dylan Koster was eerder bekend bij de politie."
    )
    document = run(text)
    dylan, kevin = perpetrator(document, "Dylan Koster"), perpetrator(document, "Kevin Bos")
    assert (dylan["has_debts"], kevin["has_debts"]) == (True, False)
    # "Hij" in the third sentence is Kevin, the man named last.
    assert kevin["addiction_types"] == ["gambling"] and kevin["has_addiction"] is True
    assert "has_addiction" not in dylan
    assert dylan["known_to_police_before"] is True and "known_to_police_before" not in kevin
    assert evidence(document, "perpetrators.P2.has_debts") == "schulden"


def test_conflicting_statements_leave_the_value_unknown() -> None:
    text = (
        TWO + "Dylan Koster had schulden. Later verklaarde Dylan Koster dat hij geen schulden had."
    )
    document = run(text)
    assert perpetrator(document, "Dylan Koster").get("has_debts") is None
    assert not any(item["path"].endswith("has_debts") for item in document["evidence"])


def test_first_contact_online_and_the_recruitment_period_to_the_day() -> None:
    text = TWO + (
        "Samira Bakker leerde Dylan Koster op 3 maart 2019 kennen via Snapchat. "
        "Drie dagen later moest zij voor het eerst klanten ontvangen."
    )
    found = victim(run(text))
    assert found["first_contact_channel"] == "online"
    assert found["first_contact_platform"] == "snapchat"
    assert found["first_contact_date"] == "2019-03-03"
    assert found["first_forced_date"] == "2019-03-06"
    assert found["recruitment_days"] == 3


def test_an_approximate_period_gives_no_recruitment_days() -> None:
    text = TWO + (
        "Samira Bakker leerde Dylan Koster op 3 maart 2019 kennen via Instagram. "
        "Na ongeveer een week moest zij voor het eerst klanten ontvangen."
    )
    found = victim(run(text))
    assert found["first_contact_platform"] == "instagram"
    assert "recruitment_days" not in found
    assert "first_forced_date" not in found


@pytest.mark.parametrize(
    ("sentence", "channel", "platform"),
    [
        ("Samira Bakker leerde Dylan Koster kennen via een vriendin.", "offline", "via_friend"),
        ("Samira Bakker leerde Dylan Koster kennen op het station.", "offline", "public_place"),
        ("Samira Bakker leerde Dylan Koster kennen op school.", "offline", "school"),
        ("Samira Bakker leerde Dylan Koster kennen via TikTok.", "online", "tiktok"),
    ],
)
def test_first_contact_channels(sentence: str, channel: str, platform: str) -> None:
    found = victim(run(TWO + sentence))
    assert (found["first_contact_channel"], found["first_contact_platform"]) == (channel, platform)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Samira Bakker woonde in een jeugdzorginstelling.", "care_institution"),
        ("Samira Bakker verbleef in de gesloten jeugdzorg.", "care_institution"),
        ("Samira Bakker was dakloos.", "homeless"),
        ("Samira Bakker woonde bij haar moeder.", "with_parents"),
        ("Samira Bakker woonde zelfstandig.", "independent"),
    ],
)
def test_living_situation(sentence: str, expected: str) -> None:
    assert victim(run(TWO + sentence))["living_situation"] == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Dylan Koster heeft geen startkwalificatie.", False),
        ("Dylan Koster heeft geen diploma.", False),
        ("Dylan Koster heeft het mbo-2 niet afgerond.", False),
        ("Dylan Koster heeft de havo afgerond.", True),
        ("Dylan Koster heeft een mbo-3 diploma.", True),
    ],
)
def test_education(sentence: str, expected: bool) -> None:
    assert perpetrator(run(TWO + sentence), "Dylan Koster")["has_diploma"] is expected


@pytest.mark.parametrize(
    ("sentence", "age"),
    [
        ("De toen 16-jarige Samira Bakker moest werken.", 16),
        ("Samira Bakker was toen zeventien jaar oud.", 17),
    ],
)
def test_ages_as_written(sentence: str, age: int) -> None:
    found = run(TWO + sentence)
    assert victim(found)["age_at_start"] == age


def test_age_from_a_date_of_birth_and_the_first_forced_date() -> None:
    text = TWO + (
        "Samira Bakker, geboren op 12 mei 2003, leerde Dylan Koster kennen via Snapchat. "
        "Op 8 maart 2019 moest zij voor het eerst klanten ontvangen."
    )
    document = run(text)
    assert victim(document)["age_at_start"] == 15  # her 16th birthday was in May 2019
    assert evidence(document, "victims.V1.age_at_start") == "12 mei 2003"
    assert document["case"]["year_start"] == 2019


def test_durations_are_not_ages() -> None:
    document = run(TWO + "Dylan Koster kreeg eerder 2 jaar cel.")
    assert "age_at_start" not in perpetrator(document, "Dylan Koster")


def test_labels_are_the_names_as_first_written_and_gender_follows_pronouns() -> None:
    text = (
        "Verdachte\nDylan Koster, hierna: Dylan K., werd aangehouden. Hij ontkent.\n"
        "Slachtoffer\nSamira Bakker is het slachtoffer. Zij was toen zestien jaar oud.\n"
        "Dylan K. had schulden."
    )
    document = run(text)
    assert perpetrator(document, "Dylan Koster")["gender"] == "male"
    assert perpetrator(document, "Dylan Koster")["has_debts"] is True
    assert victim(document)["gender"] == "female"
    assert victim(document)["label"] == "Samira Bakker"


def test_extract_files_writes_valid_cases_and_nothing_when_an_input_is_bad(tmp_path: Path) -> None:
    good = tmp_path / "zaak 1.txt"
    good.write_text(TWO + "Dylan Koster had schulden.", encoding="utf-8")
    bad = tmp_path / "kapot.txt"
    bad.write_bytes(b"\xff\xfe\x00 not utf-8 \xc3")
    out = tmp_path / "out"
    with pytest.raises(ValidationFailed) as caught:
        extract_files([good, bad], out)
    assert [str(p) for p in caught.value.problems] == ["kapot.txt: is not UTF-8 text"]
    assert not out.exists()
    (written,) = extract_files([good], out)
    assert written.name == "zaak-1.json"
    document = json.loads(written.read_text(encoding="utf-8"))
    assert document["case"]["case_id"] == "zaak-1"
    assert perpetrator(document, "Dylan Koster")["has_debts"] is True


def test_persons_without_role_words_are_found_by_what_they_did() -> None:
    text = (
        "Op 9 oktober 2021 raakte Milou Hendriks via Snapchat bekend met Tim Verbeek. "
        "Tim Verbeek plaatste de advertenties en hield het geld. "
        "Op 13 oktober 2021 moest Milou Hendriks voor het eerst klanten ontvangen."
    )
    document = run(text)
    assert [p["label"] for p in document["perpetrators"]] == ["Tim Verbeek"]
    assert victim(document)["label"] == "Milou Hendriks"
    assert victim(document)["first_contact_platform"] == "snapchat"
    assert victim(document)["first_forced_date"] == "2021-10-13"
