"""Validation of coded cases: every kind of invalid value gets its promised message."""

from __future__ import annotations

import pytest

from ketenbeeld.cases.codebook import load_codebook
from ketenbeeld.cases.validate import parse_partial_date, validate_case


def check(document):
    return validate_case(document, load_codebook(), source="in.json", location="record 1")


def messages(document):
    case, problems = check(document)
    assert case is None
    return [str(p) for p in problems]


def test_design_example_is_valid(example_case):
    case, problems = check(example_case)
    assert problems == []
    assert case.case_id == "2019-OOST-03"
    # Absent variables are present as null: "the file does not settle it".
    assert case.perpetrators[0]["prior_convictions"] is None
    assert case.victims[0]["recruitment_days"] == 5


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda d: d["victims"][0].update(gender="meisje"),
            "in.json, record 1, field victims.V1.gender: is not an allowed value: "
            "must be one of male, female, other",
        ),
        (
            lambda d: d["perpetrators"][0].update(age_at_start=7),
            "in.json, record 1, field perpetrators.P1.age_at_start: is out of range: "
            "must be a whole number from 12 to 99",
        ),
        (
            lambda d: d["perpetrators"][0].update(has_debts="ja"),
            "in.json, record 1, field perpetrators.P1.has_debts: has the wrong type: "
            "must be true, false or null",
        ),
        (
            lambda d: d["victims"][0].update(first_contact_date="2019-02-30"),
            "in.json, record 1, field victims.V1.first_contact_date: is not a valid date: "
            "must be an ISO date YYYY-MM-DD, YYYY-MM or YYYY",
        ),
        (
            lambda d: d["perpetrators"][0].update(addiction_types=["heroine"]),
            "in.json, record 1, field perpetrators.P1.addiction_types: has a value that is not "
            "allowed: must be a list of cannabis, cocaine, alcohol, gambling, other",
        ),
        (
            lambda d: d["perpetrators"][0].update(ethnicity="x"),
            "in.json, record 1, field perpetrators.P1.ethnicity: is not a perpetrator variable "
            "of codebook version 1",
        ),
        (
            lambda d: d["victims"][0].update(recruitment_days=9),
            "in.json, record 1, field victims.V1.recruitment_days: disagrees with "
            "first_contact_date and first_forced_date: it must equal the days between them",
        ),
        (
            lambda d: d["victims"][0].update(first_contact_platform="school"),
            "in.json, record 1, field victims.V1.first_contact_platform: does not fit "
            "first_contact_channel: this platform is offline",
        ),
        (
            lambda d: d["victims"][0].update(first_forced_date="2019-03-01", recruitment_days=None),
            "in.json, record 1, field victims.V1.first_forced_date: is before first_contact_date",
        ),
        (
            lambda d: d["victims"][0].update(
                first_contact_date="2019-03", first_forced_date="2019-01", recruitment_days=None
            ),
            "in.json, record 1, field victims.V1.first_forced_date: is before first_contact_date",
        ),
        (
            lambda d: d["case"].update(conviction_year=2018),
            "in.json, record 1, field case.conviction_year: is before case.year_start",
        ),
        (
            lambda d: d["victims"][0].update(perpetrators=["P9"]),
            "in.json, record 1, field victims.V1.perpetrators: names a perpetrator id that is "
            "not in this case",
        ),
        (
            lambda d: d["case"].pop("case_id"),
            "in.json, record 1, field case.case_id: is required: letters, digits and . _ / - "
            "(1 to 100 characters, starting with a letter or digit)",
        ),
        (
            lambda d: d.update(codebook_version="2"),
            "in.json, record 1, field codebook_version: is not supported here: this import "
            "uses codebook version 1",
        ),
        (
            lambda d: d["evidence"][0].update(path="victims.V7.gender"),
            "in.json, record 1, field evidence[1].path: must name a coded field, e.g. "
            "victims.V1.gender",
        ),
    ],
)
def test_invalid_values_get_their_message(example_case, mutate, expected):
    mutate(example_case)
    assert messages(example_case) == [expected]


def test_every_problem_is_reported_at_once(example_case):
    example_case["victims"][0]["gender"] = "x"
    example_case["perpetrators"][0]["has_debts"] = "x"
    example_case["case"]["year_start"] = 1200
    assert len(messages(example_case)) == 3


def test_messages_never_echo_the_value(example_case):
    secret = "Jansen-0612345678"
    example_case["victims"][0]["gender"] = secret
    example_case["victims"][0]["living_situation"] = secret
    example_case["perpetrators"][0]["age_at_start"] = secret
    example_case["case"]["police_unit"] = secret
    for message in messages(example_case):
        assert secret not in message


def test_duplicate_person_ids(example_case):
    example_case["victims"].append(dict(example_case["victims"][0]))
    assert messages(example_case) == [
        "in.json, record 1, field victims.V1.vid: is used by more than one victim: each needs "
        "its own id"
    ]


def test_implied_values_are_filled_in(example_case):
    victim = example_case["victims"][0]
    victim.pop("recruitment_days")
    victim.pop("first_contact_channel")
    case, problems = check(example_case)
    assert problems == []
    assert case.victims[0]["recruitment_days"] == 5
    assert case.victims[0]["first_contact_channel"] == "online"


def test_same_month_is_not_before_an_exact_date(example_case):
    example_case["victims"][0].update(
        first_contact_date="2019-03-15", first_forced_date="2019-03", recruitment_days=None
    )
    assert check(example_case)[1] == []


def test_partial_dates_do_not_give_recruitment_days(example_case):
    victim = example_case["victims"][0]
    victim.update(first_contact_date="2019-03", recruitment_days=None)
    case, problems = check(example_case)
    assert problems == []
    assert case.victims[0]["recruitment_days"] is None


def test_followed_until_only_without_forced_date(example_case):
    example_case["victims"][0]["followed_until_date"] = "2019-04-01"
    assert messages(example_case) == [
        "in.json, record 1, field victims.V1.followed_until_date: is only for a victim whose "
        "first forced sex work is not dated"
    ]


def test_addiction_types_with_no_addiction(example_case):
    example_case["perpetrators"][0]["has_addiction"] = False
    assert messages(example_case) == [
        "in.json, record 1, field perpetrators.P1.addiction_types: is given while "
        "has_addiction is false"
    ]


def test_not_an_object():
    assert messages([1, 2]) == [
        "in.json, record 1: must be a JSON object with case, perpetrators and victims"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020", (2020, None, None)),
        ("2020-04", (2020, 4, None)),
        ("2020-02-29", (2020, 2, 29)),
        ("2019-02-29", None),
        ("2020-13", None),
        ("20-1-1", None),
        ("03-03-2019", None),
    ],
)
def test_parse_partial_date(text, expected):
    assert parse_partial_date(text) == expected
