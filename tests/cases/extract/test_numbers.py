"""Tests of numbers and ages in Dutch case summaries."""

from __future__ import annotations

import doctest
from datetime import date

import pytest

from ketenbeeld.cases.extract import numbers
from ketenbeeld.cases.extract.numbers import (
    AgeMention,
    NumberMention,
    age_on,
    find_ages,
    find_numbers,
    parse_number,
)


def spans_ok(text: str, mentions: list[NumberMention] | list[AgeMention]) -> bool:
    return all(text[m.start : m.end] == m.text for m in mentions)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("17", 17),
        ("1.500", 1500),
        (" 2019 ", 2019),
        ("nul", 0),
        ("een", 1),
        ("één", 1),
        ("twee", 2),
        ("twaalf", 12),
        ("dertien", 13),
        ("achttien", 18),
        ("twintig", 20),
        ("eenentwintig", 21),
        ("drieëntwintig", 23),
        ("drieentwintig", 23),
        ("Vijfendertig", 35),
        ("negenennegentig", 99),
        ("honderd", 100),
        ("honderdvijftig", 150),
        ("honderdeen", 101),
        ("tweehonderd", 200),
        ("twee honderd", 200),
        ("duizend", 1000),
        ("tweeduizend", 2000),
        ("tweeduizendnegentien", 2019),
        ("tweeduizend negentien", 2019),
        ("negentienhonderdnegentig", 1990),
        ("negenduizendnegenhonderdnegenennegentig", 9999),
    ],
)
def test_parse_number_reads_digits_and_dutch_words(text: str, value: int) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    "text",
    ["anderhalf", "3,5", "12.30", "1.50", "", "vriendin", "tienduizend", "twee twintig", "-3"],
)
def test_parse_number_rejects_what_is_no_whole_number(text: str) -> None:
    assert parse_number(text) is None


def test_find_numbers_spans_and_values() -> None:
    text = "Zij werd drieëntwintig keer benaderd, 1.500 euro, om 12.30 uur, 3,5 jaar, 2019-03-03."
    found = find_numbers(text)
    assert [(m.text, m.value) for m in found] == [
        ("drieëntwintig", 23),
        ("1.500", 1500),
        ("2019", 2019),
        ("03", 3),
        ("03", 3),
    ]
    assert spans_ok(text, found)


def test_find_numbers_een_only_before_a_unit() -> None:
    text = "Een vriendin had een telefoon. Een week later, een keer, één vriend, een jaar."
    found = find_numbers(text)
    assert [(m.text, m.start) for m in found] == [
        ("Een", text.index("Een week")),
        ("een", text.index("een keer")),
        ("één", text.index("één")),
        ("een", text.index("een jaar")),
    ]
    assert all(m.value == 1 for m in found)


def test_find_numbers_acht_as_verb_is_no_number() -> None:
    text = "De rechtbank acht bewezen dat hij acht jaar en acht maanden zat; in acht genomen."
    found = find_numbers(text)
    assert [(m.text, m.value) for m in found] == [("acht", 8), ("acht", 8)]
    assert found[0].start == text.index("acht jaar")


def test_find_numbers_written_apart_and_inside_words() -> None:
    text = "Twee duizend negentien, honderden mensen, tientallen keren, twintigste."
    found = find_numbers(text)
    assert [(m.text, m.value) for m in found] == [("Twee duizend negentien", 2019)]


@pytest.mark.parametrize(
    ("text", "phrase", "age"),
    [
        ("Het ging om de toen 16-jarige aangeefster.", "de toen 16-jarige", 16),
        ("Een 16-jarige werd benaderd.", "Een 16-jarige", 16),
        ("Zij sprak met een zestienjarige jongen.", "een zestienjarige", 16),
        ("Hij was toen zeventien jaar oud.", "zeventien jaar oud", 17),
        ("Dylan K. (22) nam contact op.", "(22)", 22),
        ("[PERSOON-1] (16 jaar) woonde thuis.", "(16 jaar)", 16),
        ("Het slachtoffer was 16 jaar.", "16 jaar", 16),
        ("Zij was destijds 15 jaar en woonde in een instelling.", "15 jaar", 15),
        ("Op 16-jarige leeftijd kwam zij in de prostitutie.", "Op 16-jarige leeftijd", 16),
        ("op zestienjarige leeftijd", "op zestienjarige leeftijd", 16),
        ("Dat gebeurde toen zij 15 jaar was.", "toen zij 15 jaar was", 15),
        ("Dat gebeurde toen hij 19 was.", "toen hij 19 was", 19),
        ("De 19-jarige man werd aangehouden.", "De 19-jarige", 19),
        ("op de leeftijd van 14 jaar", "op de leeftijd van 14 jaar", 14),
        ("Een meisje van 15 werd geronseld.", "meisje van 15", 15),
        ("Quincy, toen 22, hield het geld.", "toen 22", 22),
        ("Dennis was toen 23.", "toen 23", 23),
        ("Marco, toen 51 jaar, had geen schulden.", "toen 51 jaar", 51),
        ("de tweede aangeefster, S., destijds 19 jaar: zij", "destijds 19 jaar", 19),
    ],
)
def test_find_ages_reads_the_age_phrases(text: str, phrase: str, age: int) -> None:
    found = find_ages(text)
    assert [(m.text, m.age) for m in found] == [(phrase, age)]
    assert found[0].start == text.index(phrase)
    assert spans_ok(text, found)


@pytest.mark.parametrize(
    "text",
    [
        "Hij kreeg 16 jaar cel.",
        "Zij is twee jaar lang uitgebuit.",
        "Hij kreeg een werkstraf van 2 jaar.",
        "Er volgt een jaar gevangenisstraf.",
        "Hij was 2 jaar en 3 maanden gedetineerd.",
        "Zij was 3 jaar in behandeling.",
        "Zij volgde een tweejarige opleiding.",
        "Dit volgt uit artikel 273f Sr (1).",
        "Het meisje van 15 euro.",
        "Hij is eerder veroordeeld tot 5 jaar.",
    ],
)
def test_find_ages_leaves_durations_alone(text: str) -> None:
    assert find_ages(text) == []


def test_find_ages_several_in_one_text_in_order() -> None:
    text = "De toen 16-jarige aangeefster leerde Dylan K. (22) kennen. Hij kreeg 4 jaar cel."
    found = find_ages(text)
    assert [(m.text, m.age) for m in found] == [("De toen 16-jarige", 16), ("(22)", 22)]
    assert spans_ok(text, found)


def test_age_on_counts_completed_years() -> None:
    assert age_on(date(2003, 3, 4), date(2019, 3, 3)) == 15
    assert age_on(date(2003, 3, 3), date(2019, 3, 3)) == 16
    assert age_on(date(2004, 2, 29), date(2021, 2, 28)) == 16
    assert age_on(date(2004, 2, 29), date(2021, 3, 1)) == 17
    with pytest.raises(ValueError, match="before the date of birth"):
        age_on(date(2019, 3, 3), date(2019, 3, 2))


def test_docstring_examples_hold() -> None:
    result = doctest.testmod(numbers)
    assert result.attempted >= 4
    assert result.failed == 0
