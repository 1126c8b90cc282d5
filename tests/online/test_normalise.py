"""Phones, e-mail, handles, ages and prices as ads write them, to one form each."""

from __future__ import annotations

import random
import re

import pytest

from ketenbeeld.online import normalise
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


# The faster forms of the de-obfuscation and of the handle and e-mail searches, against
# the plain patterns they replace, on texts with the characters that fold onto ASCII
# letters case aside (K for the Kelvin sign, ſ, ı, İ).
_PLAIN_WORD = re.compile(
    r"\b(" + "|".join(sorted(normalise._DIGIT_WORDS, key=len, reverse=True)) + r")\b", re.I
)
_PLAIN_LOOKALIKE = re.compile(
    r"(?<=[\d\s.\-+/()])[oO](?=[\d\s.\-])|^[oO](?=\d)|(?<=[\d.\-])[lI](?=\d)"
)
_PIECES = ["nul", "EEN", "één", "Één", "twee", "zes", "ZeVeN", "ſix", "one", "oh", "O6", "o",
           "l2", "I3", "06", "-", ".", " ", "x", "a", "ß", "\u212a", "ı", "é", "snap", "sc",
           "Insta", "ıg", "tg", "t.me/", "İnsta", "@", "[at]", "(AT)", "mail", ".nl", ":",
           "lisa_x", "wa.me/", "31612345678"]  # fmt: skip


def _random_texts(count: int) -> list[str]:
    rng = random.Random(11)
    return ["".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 12))) for _ in range(count)]


def _plain_deobfuscate(text: str) -> str:
    # The plain form fails (KeyError) on "ſix", as the fast form does: both are compared.
    try:
        text = _PLAIN_WORD.sub(lambda m: normalise._DIGIT_WORDS[m.group(1).lower()], text)
    except KeyError:
        return "KeyError"
    return _PLAIN_LOOKALIKE.sub(lambda m: "0" if m.group(0) in "oO" else "1", text)


def test_fast_deobfuscation_is_the_plain_one() -> None:
    assert normalise._deobfuscate("nul zes 12 EEN O6-l2 Één") == "0 6 12 1 06-12 1"
    for text in _random_texts(3000):
        try:
            fast = normalise._deobfuscate(text)
        except KeyError:
            fast = "KeyError"
        assert fast == _plain_deobfuscate(text), text


def _plain_handles(text: str) -> list[str]:
    found: dict[str, None] = {}
    taken: list[tuple[int, int]] = []
    for platform, pattern in normalise._HANDLE_PATTERNS:
        for match in pattern.finditer(text):
            if any(a <= match.start() < b or a <= match.start(1) < b for a, b in taken):
                continue
            name = match.group(1).lower().rstrip(".-")
            if name in normalise._NOT_NAMES or name.isdigit():
                continue
            taken.append((match.start(), match.end()))
            found.setdefault(f"{platform}:{name}")
    return list(found)


def test_skipping_handle_patterns_changes_nothing() -> None:
    assert find_handles("snap: Lisa_X of İnsta lisa.x") == ["snapchat:lisa_x", "instagram:lisa.x"]
    for text in _random_texts(3000):
        assert find_handles(text) == _plain_handles(text), text


def test_skipping_the_email_pattern_changes_nothing() -> None:
    assert find_emails("lisa [AT] mail [dot] nl, ßé") == ["lisa@mail.nl"]
    for text in _random_texts(3000):
        expected = list(
            dict.fromkeys(
                e
                for m in normalise._EMAIL_IN_TEXT.finditer(text)
                if (e := normalise.normalise_email(m.group(0)))
            )
        )
        assert find_emails(text) == expected, text


def test_whatsapp_links_in_any_case_are_found() -> None:
    assert find_phones("app WA.ME/31612345678 of wa.me/+31687654321") == [
        "+31612345678",
        "+31687654321",
    ]
