"""Phones, e-mail, handles, ages and prices as ads write them, to one form each."""

from __future__ import annotations

import pytest

from ketenbeeld.online.normalise import (
    find_emails,
    find_handles,
    find_phones,
    normalise_email,
    normalise_handle,
    normalise_phone,
    parse_age,
    parse_price,
)


@pytest.mark.parametrize(
    "written",
    [
        "06-12345678",
        "0612345678",
        "06 12 34 56 78",
        "06.12.34.56.78",
        "+31 6 1234 5678",
        "+31(0)6-12345678",
        "0031612345678",
        "O6-1234 5678",
        "o6 1234 5678",
        "06-l2345678",
        "nul zes 12345678",
        "nul zes één twee drie vier vijf zes zeven acht",
        "zero six 1234 5678",
    ],
)
def test_a_mobile_number_written_any_way_gives_one_form(written):
    assert normalise_phone(written) == "+31612345678"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("020-1234567", "+31201234567"),
        ("+32 470 12 34 56", "+32470123456"),
        ("+44 7911 123456", "+447911123456"),
        ("12345", None),
        ("06-1234", None),
        ("bel me", None),
        ("0000000000", None),
    ],
)
def test_other_numbers_and_non_numbers(written, expected):
    assert normalise_phone(written) == expected


def test_phones_are_found_in_free_text_in_order_without_repeats():
    text = "Bel 06-12345678 of app O6 8765 4321. Nogmaals: 0612345678. wa.me/31611112222"
    assert find_phones(text) == ["+31612345678", "+31687654321", "+31611112222"]
    assert find_phones("prijs 150 euro, 2 uur, postcode 1234") == []


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Lisa.X@Mail.NL", "lisa.x@mail.nl"),
        ("lisa [at] mail [dot] nl", "lisa@mail.nl"),
        ("lisa(at)mail(dot)nl", "lisa@mail.nl"),
        ("lisa at mail punt nl", "lisa@mail.nl"),
        ("lisa@", None),
        ("geen mail", None),
    ],
)
def test_email_addresses(written, expected):
    assert normalise_email(written) == expected


def test_emails_in_text():
    assert find_emails("Mail lisa [at] mail [dot] nl of Info@Example.com.") == [
        "lisa@mail.nl",
        "info@example.com",
    ]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("snap: Lisa_X", "snapchat:lisa_x"),
        ("Snapchat lisa_x", "snapchat:lisa_x"),
        ("sc=lisa_x", "snapchat:lisa_x"),
        ("t.me/Lisa_X", "telegram:lisa_x"),
        ("telegram: @lisa_x", "telegram:lisa_x"),
        ("insta @lisa.x", "instagram:lisa.x"),
        ("https://instagram.com/lisa.x", "instagram:lisa.x"),
        ("@lisa_x", "handle:lisa_x"),
        ("", None),
    ],
)
def test_handles(written, expected):
    assert normalise_handle(written) == expected


def test_handles_in_text_skip_common_words():
    text = "Snap me: lisa_x. Of telegram t.me/lisa_x en insta: lisa.x"
    assert find_handles(text) == ["telegram:lisa_x", "snapchat:lisa_x", "instagram:lisa.x"]
    assert find_handles("bel of app, snap via de site") == []


@pytest.mark.parametrize(
    ("written", "expected"),
    [("19", 19), ("19 jaar", 19), ("19jr", 19), ("21 y/o", 21), ("negentien", 19),
     ("12", None), ("oud", None), ("190", None)],
)  # fmt: skip
def test_ages(written, expected):
    assert parse_age(written) == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [("€150", 150.0), ("150 euro", 150.0), ("150,-", 150.0), ("€ 1.500,-", 1500.0),
     ("99,50", 99.5), ("150.00", 150.0), ("100 p/u", 100.0), ("gratis", None), ("0", None)],
)  # fmt: skip
def test_prices(written, expected):
    assert parse_price(written) == expected


def test_a_five_digit_dutch_number_is_still_found():
    # Short candidates are skipped as too short for a number; five digits are not.
    assert find_phones("Gemeente: bel 14020, 20 jaar, 10:00") == ["+3114020"]


def test_e_mail_and_handles_in_text_with_and_without_their_words():
    assert find_emails("Schrijf lisa [AT] mail [dot] nl") == ["lisa@mail.nl"]
    assert find_emails("Geen adres hier, alleen tekst") == []
    assert find_handles("SNAP me: Lisa_X of TG @lisa_t") == ["snapchat:lisa_x", "telegram:lisa_t"]
    assert find_handles("Rustig en schoon") == []
