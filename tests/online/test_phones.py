"""Phone numbers found with cached verdicts, against phonenumbers' own matcher."""

from __future__ import annotations

import random

import phonenumbers
import pytest

from ketenbeeld.online._phones import matched_numbers, parsed_number

TEXTS = [
    "Bel 06-12345678 of app O6 8765 4321, niet 1234",
    "Open 10:00 tot 22:00. 06-63612637 groetjes",
    "1 0612345678 en +31 6 1527 1822 en 0031 6 66381683",
    "tel:0612345678 abc0612345678 0612345678def €0612345678 0612345678%",
    "Datum 2024-01-15 12:30 en 12/05/2023, pagina 12-15 (3)",
    "(020) 123 4567 / 06.62.67.51.19 ext. 12 x 5",
    "+44 20 7946 0958 en +1 650-253-0000; 0800-1234567",
    "31662675119 en 316627 en 0 6 2712 9142",
    "06 - 12 34 56 78 - 06 87654321 / 0687654321",
    "",
    "geen nummer hier",
]


def reference(text: str, shortest: int = 5) -> list[str]:
    matcher = phonenumbers.PhoneNumberMatcher(text, "NL", min_candidate_length=shortest)
    return [
        phonenumbers.format_number(m.number, phonenumbers.PhoneNumberFormat.E164) for m in matcher
    ]


@pytest.mark.parametrize("text", TEXTS)
def test_the_same_numbers_as_the_matcher(text: str) -> None:
    assert matched_numbers(text, "NL", 5) == reference(text)
    assert matched_numbers(text, "NL", 1) == reference(text, 1)


def test_a_known_text_gives_its_numbers_in_order() -> None:
    found = matched_numbers("Bel 06-12345678 of +31 6 8765 4321, of abc0611111111", "NL", 5)
    assert found == ["+31612345678", "+31687654321"]


def test_random_digit_texts_match_the_matcher_also_when_cached() -> None:
    rng = random.Random(7)
    pieces = ["06", "0", "6", "12", "345", "678", "31", "+31", "0031", "00", " ", "-", ".",
              "/", "(", ")", ":", "€", "a", "x", " ext ", "\n", "20", "2024", "%"]  # fmt: skip
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 30))) for _ in range(800)]
    for text in texts + texts:  # the second time from the cache
        assert matched_numbers(text, "NL", 5) == reference(text), text


def test_parsed_number_tells_validity_and_the_national_prefix() -> None:
    assert parsed_number("0612345678", "NL") == ("+31612345678", True)
    assert parsed_number("+31612345678", "NL") == ("+31612345678", True)
    assert parsed_number("612345678", "NL") == ("+31612345678", False)
    assert parsed_number("0612", "NL") == (None, False)
    assert parsed_number("not a number", "NL") == (None, False)
