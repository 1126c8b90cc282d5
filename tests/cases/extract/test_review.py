"""Reviewing extracted codings: the trail is kept, validated and imported."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from ketenbeeld.cases import store
from ketenbeeld.cases.codebook import load_codebook
from ketenbeeld.cases.extract import extract_case
from ketenbeeld.cases.extract.review import review_value
from ketenbeeld.cases.importer import read_case_files
from ketenbeeld.cases.validate import validate_case
from ketenbeeld.errors import InputError, ValidationFailed

TEXT = (
    "Verdachte 1 is Dylan Koster. Het slachtoffer is Samira Bakker.\n"
    "Dylan Koster had schulden. Samira Bakker leerde Dylan Koster op 3 maart 2019 kennen "
    "via Snapchat. Drie dagen later moest zij voor het eerst klanten ontvangen."
)
WHEN = datetime(2026, 11, 29, 14, 5, tzinfo=UTC)


def proposal() -> dict[str, Any]:
    return extract_case(TEXT, case_id="REV-1")


def problems_of(document: dict[str, Any]) -> list[str]:
    _, problems = validate_case(document, load_codebook("1"), source="r.json", location="case 1")
    return [f"{p.field}: {p.message}" for p in problems]


def test_accepting_keeps_value_and_evidence_and_records_who_and_when() -> None:
    reviewed = review_value(
        proposal(), "perpetrators.P1.has_debts", True, by="onderzoeker-1", at=WHEN
    )
    assert reviewed["perpetrators"][0]["has_debts"] is True
    (entry,) = reviewed["review"]
    assert entry == {
        "path": "perpetrators.P1.has_debts",
        "action": "accepted",
        "proposed": True,
        "value": True,
        "evidence": [
            {"path": "perpetrators.P1.has_debts", "text": "schulden", "start": 80, "end": 88}
        ],
        "by": "onderzoeker-1",
        "at": "2026-11-29T14:05:00+00:00",
    }
    assert TEXT[80:88] == "schulden"
    assert any(e["path"] == "perpetrators.P1.has_debts" for e in reviewed["evidence"])
    assert problems_of(reviewed) == []


def test_correcting_keeps_the_original_and_its_evidence_in_the_trail() -> None:
    original = proposal()
    assert original["victims"][0]["first_contact_platform"] == "snapchat"
    path = "victims.V1.first_contact_platform"
    reviewed = review_value(original, path, "instagram", by="r2", at=WHEN)
    assert reviewed["victims"][0]["first_contact_platform"] == "instagram"
    (entry,) = reviewed["review"]
    assert (entry["action"], entry["proposed"], entry["value"]) == (
        "corrected",
        "snapchat",
        "instagram",
    )
    assert entry["evidence"][0]["text"] == "Snapchat"
    assert not any(e["path"] == path for e in reviewed["evidence"])
    # The proposal itself is untouched.
    assert original["victims"][0]["first_contact_platform"] == "snapchat"
    assert "review" not in original
    assert problems_of(reviewed) == []
    # Reviewing the same value again replaces its entry.
    again = review_value(reviewed, path, "snapchat", by="r3", at=WHEN)
    assert [(e["by"], e["action"]) for e in again["review"]] == [("r3", "accepted")]


def test_a_review_that_disagrees_with_the_coding_is_refused() -> None:
    reviewed = review_value(proposal(), "victims.V1.first_contact_platform", "instagram", by="r")
    reviewed["victims"][0]["first_contact_platform"] = "tiktok"  # changed after the review
    reviewed["review"].append(
        {"path": "victims.V9.gender", "action": "checked", "proposed": None, "value": None,
         "by": "", "at": "2026-11-29 14:05"}
    )  # fmt: skip
    assert problems_of(reviewed) == [
        "review[1].value: differs from the coded value of victims.V1.first_contact_platform",
        "review[2].path: must name a coded field, e.g. victims.V1.gender",
        "review[2].action: must be one of accepted, corrected",
        "review[2].by: must name the reviewer (1 to 100 characters)",
        "review[2].at: must be a date and time with its zone, e.g. 2026-11-29T14:05:00+01:00",
    ]


def test_reviewing_an_unknown_path_is_an_error() -> None:
    with pytest.raises(InputError, match=re.escape("victims.V7.gender names no value of this")):
        review_value(proposal(), "victims.V7.gender", "female", by="r")


def test_import_takes_reviewed_extractions_and_keeps_the_trail(engine, tmp_path: Path) -> None:
    reviewed = review_value(proposal(), "perpetrators.P1.has_debts", True, by="r1", at=WHEN)
    reviewed = review_value(
        reviewed, "victims.V1.first_contact_platform", "instagram", by="r1", at=WHEN
    )
    path = tmp_path / "reviewed.json"
    path.write_text(json.dumps(reviewed), encoding="utf-8")
    store.import_cases(engine, read_case_files([path], load_codebook()), actor="cli:tester")
    (loaded,) = store.load_cases(engine)
    assert loaded.victims[0]["first_contact_platform"] == "instagram"
    assert [(r["path"], r["action"]) for r in loaded.review] == [
        ("perpetrators.P1.has_debts", "accepted"),
        ("victims.V1.first_contact_platform", "corrected"),
    ]
    # A tampered trail is refused at import, naming the file and the entry.
    reviewed["review"][0]["value"] = False
    path.write_text(json.dumps(reviewed), encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        read_case_files([path], load_codebook())
    assert [str(p) for p in caught.value.problems] == [
        "reviewed.json, record 1, field review[1].value: differs from the coded value of "
        "perpetrators.P1.has_debts"
    ]
