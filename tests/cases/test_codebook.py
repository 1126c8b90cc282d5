"""The built-in codebook and the validation of codebook files."""

from __future__ import annotations

import pytest
import yaml

from ketenbeeld.cases.codebook import load_codebook
from ketenbeeld.errors import ConfigError

DESIGN_FIELDS = {
    "case": {"case_id", "year_start"},
    "perpetrator": {
        "pid",
        "label",
        "age_at_start",
        "gender",
        "has_diploma",
        "has_debts",
        "has_addiction",
        "addiction_types",
        "known_to_police_before",
        "known_to_care_before",
    },
    "victim": {
        "vid",
        "label",
        "age_at_start",
        "gender",
        "living_situation",
        "knew_perpetrator_before",
        "first_contact_channel",
        "first_contact_platform",
        "first_contact_date",
        "first_forced_date",
        "recruitment_days",
        "contact_after_exploitation",
    },
}


def test_builtin_codebook_has_every_design_field():
    book = load_codebook()
    assert book.version == "1"
    for entity, fields in DESIGN_FIELDS.items():
        names = {v.name for v in book.entities[entity].variables}
        assert fields <= names, fields - names


def test_researcher_variables_are_present():
    book = load_codebook()
    perpetrator = {v.name for v in book.perpetrator.variables}
    assert {"role", "prior_convictions", "n_victims", "sentence_months"} <= perpetrator


def test_no_ethnicity_or_migration_background():
    book = load_codebook()
    names = {v.name for e in book.entities.values() for v in e.variables}
    forbidden = ("ethnic", "migration", "nationality", "origin", "religion", "country")
    assert not [n for n in names if any(word in n for word in forbidden)]


def test_every_variable_has_both_labels_and_a_description():
    for entity in load_codebook().entities.values():
        for var in entity.variables:
            assert var.label["nl"] and var.label["en"] and var.description, var.name


def test_enumerations_match_design():
    book = load_codebook()
    assert book.victim.variable("living_situation").values == (
        "with_parents",
        "care_institution",
        "homeless",
        "independent",
        "other",
    )
    assert book.perpetrator.variable("addiction_types").values == (
        "cannabis",
        "cocaine",
        "alcohol",
        "gambling",
        "other",
    )
    platform = book.victim.variable("first_contact_platform")
    online = [v for v in platform.values if platform.value_attrs[v]["channel"] == "online"]
    assert online == [
        "snapchat",
        "instagram",
        "tiktok",
        "telegram",
        "whatsapp",
        "facebook",
        "dating_app",
        "other_online",
    ]


def test_invalid_codebook_file_lists_every_problem(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "version": "9",
                "title": {"nl": "x", "en": "x"},
                "entities": {
                    "case": {
                        "label": {"nl": "Zaak", "en": "Case"},
                        "key": "case_id",
                        "variables": [
                            {
                                "name": "case_id",
                                "type": "string",
                                "required": True,
                                "label": {"nl": "a", "en": "b"},
                                "description": "d",
                            },
                            {
                                "name": "year",
                                "type": "number",
                                "label": {"nl": "a", "en": "b"},
                                "description": "d",
                            },
                        ],
                    },
                    "perpetrator": {
                        "label": {"nl": "Dader", "en": "Perpetrator"},
                        "key": "pid",
                        "variables": [
                            {
                                "name": "pid",
                                "type": "string",
                                "required": True,
                                "label": {"nl": "a"},
                                "description": "d",
                            },
                        ],
                    },
                },
            }
        )
    )
    with pytest.raises(ConfigError) as info:
        load_codebook(path)
    message = str(info.value)
    assert message.startswith("the codebook has 3 problem(s):")
    assert "entity case variable 2 (year), field type: must be one of string" in message
    assert "field label: needs a Dutch (nl) and English (en) label" in message
    assert "entity victim: is missing" in message


def test_unknown_codebook_version():
    with pytest.raises(ConfigError, match="codebook version 7 is unknown"):
        load_codebook("7")
