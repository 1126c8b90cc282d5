"""Tests of absolute and relative dates in Dutch case summaries."""

from __future__ import annotations

import doctest
from datetime import date

import pytest

from ketenbeeld.cases.extract import dates
from ketenbeeld.cases.extract.dates import DateMention, days_between, find_dates


def only(text: str, *, reference: date | None = None) -> DateMention:
    """The one mention in ``text``; its span must be exactly its text."""
    found = find_dates(text, reference=reference)
    assert len(found) == 1, found
    assert text[found[0].start : found[0].end] == found[0].text
    return found[0]


@pytest.mark.parametrize(
    ("text", "phrase", "value", "precision", "approximate"),
    [
        ("Op 3 maart 2019 zag zij hem.", "3 maart 2019", "2019-03-03", "day", False),
        ("Op 03-03-2019 zag zij hem.", "03-03-2019", "2019-03-03", "day", False),
        ("Op 3-3-2019 zag zij hem.", "3-3-2019", "2019-03-03", "day", False),
        ("Op 3/3/2019 zag zij hem.", "3/3/2019", "2019-03-03", "day", False),
        ("Op 2019-03-03 zag zij hem.", "2019-03-03", "2019-03-03", "day", False),
        ("Op 3 mrt. 2019 zag zij hem.", "3 mrt. 2019", "2019-03-03", "day", False),
        ("Op 3 mrt 2019 zag zij hem.", "3 mrt 2019", "2019-03-03", "day", False),
        ("Op 15 Juni 2020 zag zij hem.", "15 Juni 2020", "2020-06-15", "day", False),
        ("Op 1 sept. 2020 zag zij hem.", "1 sept. 2020", "2020-09-01", "day", False),
        ("op of omstreeks 3 maart 2019", "op of omstreeks 3 maart 2019", "2019-03-03", "day", True),
        ("In maart 2019 zag zij hem.", "maart 2019", "2019-03", "month", False),
        ("Begin april 2020 zag zij hem.", "Begin april 2020", "2020-04", "month", True),
        ("Sinds eind april 2020.", "eind april 2020", "2020-04", "month", True),
        ("Het was half april 2020.", "half april 2020", "2020-04", "month", True),
        ("Het was medio april 2020.", "medio april 2020", "2020-04", "month", True),
        ("Het was eind-april 2020.", "eind-april 2020", "2020-04", "month", True),
        ("Het was in de zomer van 2018.", "de zomer van 2018", "2018", "year", True),
        ("Het was voorjaar 2018.", "voorjaar 2018", "2018", "year", True),
        ("Het was eind 2018.", "eind 2018", "2018", "year", True),
        ("Het was aan het begin van 2018.", "aan het begin van 2018", "2018", "year", True),
        ("Het was rond 2018.", "rond 2018", "2018", "year", True),
        ("Het begon in 2018.", "2018", "2018", "year", False),
        ("Zij werkte sinds 2018 voor hem.", "2018", "2018", "year", False),
        ("Vanaf 2018 werkte zij voor hem.", "2018", "2018", "year", False),
        ("Tot en met 2019 werkte zij voor hem.", "2019", "2019", "year", False),
    ],
)
def test_absolute_dates_as_precise_as_the_text(
    text: str, phrase: str, value: str, precision: str, approximate: bool
) -> None:
    mention = only(text)
    assert (mention.text, mention.value, mention.precision) == (phrase, value, precision)
    assert mention.approximate is approximate
    assert mention.start == text.index(phrase)
    assert (mention.relative_days, mention.exact_offset) == (None, False)


def test_year_ranges_give_both_years() -> None:
    text = "Tussen 2017 en 2019 en van 2015 tot 2016 werkte zij."
    assert [(m.text, m.start) for m in find_dates(text)] == [
        ("2017", 7),
        ("2019", 15),
        ("2015", 27),
        ("2016", 36),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Hij kreeg 2019 euro.",
        "Vanaf 2000 euro per week.",
        "Het ging om 2018 berichten.",
        "Zaak 2019-OOST-03.",
        "Zij ontving 2018 keer een bericht.",
        "Zij verbleef drie dagen in het hotel.",
        "Zij verbleef ongeveer een week in het hotel.",
        "Zij sprak met Jan over 3 meisjes.",
    ],
)
def test_numbers_that_are_no_dates(text: str) -> None:
    assert find_dates(text) == []


@pytest.mark.parametrize(
    "text", ["Op 31 februari 2019.", "Op 30-02-2019.", "Op 2019-13-01.", "Op 32 maart 2019."]
)
def test_invalid_dates_are_ignored_entirely(text: str) -> None:
    assert find_dates(text) == []


def test_leap_day() -> None:
    assert only("Op 29 februari 2020.").value == "2020-02-29"
    assert find_dates("Op 29 februari 2019.") == []
    assert only("Op 29 februari.", reference=date(2019, 1, 1)).value is None


def test_date_without_year_takes_the_year_in_context() -> None:
    text = "Op 3 maart 2019 zag zij hem. Op 8 maart moest zij werken. In april stopte het."
    found = find_dates(text)
    assert [(m.text, m.value, m.precision) for m in found] == [
        ("3 maart 2019", "2019-03-03", "day"),
        ("8 maart", "2019-03-08", "day"),
        ("april", "2019-04", "month"),
    ]


def test_date_without_year_takes_the_year_of_the_reference() -> None:
    mention = only("Op 3 maart zag zij hem.", reference=date(2019, 1, 1))
    assert (mention.text, mention.value, mention.precision) == ("3 maart", "2019-03-03", "day")


def test_date_without_year_and_no_year_known_has_no_value() -> None:
    mention = only("Op 3 maart zag zij hem.")
    assert (mention.text, mention.value, mention.precision) == ("3 maart", None, None)


def test_date_without_year_before_the_context_is_not_guessed() -> None:
    # A new year or a look back: the text does not say which.
    found = find_dates("Op 20 december 2018 zag zij hem. Op 3 januari moest zij werken.")
    assert [(m.text, m.value) for m in found] == [
        ("20 december 2018", "2018-12-20"),
        ("3 januari", None),
    ]


@pytest.mark.parametrize(
    ("phrase", "days", "value"),
    [
        ("De volgende dag", 1, "2019-03-04"),
        ("De dag erna", 1, "2019-03-04"),
        ("De dag daarna", 1, "2019-03-04"),
        ("Daags daarna", 1, "2019-03-04"),
        ("De volgende ochtend", 1, "2019-03-04"),
        ("Een dag later", 1, "2019-03-04"),
        ("Twee dagen later", 2, "2019-03-05"),
        ("Drie dagen later", 3, "2019-03-06"),
        ("3 dagen later", 3, "2019-03-06"),
        ("Na drie dagen", 3, "2019-03-06"),
        ("Een week later", 7, "2019-03-10"),
        ("Na een week", 7, "2019-03-10"),
        ("Twee weken later", 14, "2019-03-17"),
        ("Dezelfde dag", 0, "2019-03-03"),
        ("Diezelfde dag", 0, "2019-03-03"),
        ("Op dezelfde dag", 0, "2019-03-03"),
        ("Later die dag", 0, "2019-03-03"),
        ("De dag ervoor", -1, "2019-03-02"),
        ("Twee dagen eerder", -2, "2019-03-01"),
    ],
)
def test_exact_relative_dates_resolve_against_the_previous_exact_day(
    phrase: str, days: int, value: str
) -> None:
    text = f"Op 3 maart 2019 leerde zij hem kennen via Snapchat. {phrase} moest zij werken."
    first, relative = find_dates(text)
    assert first.value == "2019-03-03"
    assert relative.text == phrase
    assert relative.start == text.index(phrase)
    assert (relative.relative_days, relative.exact_offset) == (days, True)
    assert (relative.value, relative.precision, relative.approximate) == (value, "day", False)


@pytest.mark.parametrize(
    ("phrase", "days"),
    [
        ("Na ongeveer een week", 7),
        ("Ongeveer een week later", 7),
        ("Ruim een week later", 7),
        ("Na ruim een week", 7),
        ("Een kleine week later", 7),
        ("Een dag of drie later", 3),
        ("Binnen een week", 7),
        ("Binnen twee dagen", 2),
        ("Enkele dagen later", None),
        ("Een paar dagen later", None),
        ("Na een aantal weken", None),
    ],
)
def test_inexact_relative_dates_get_no_value(phrase: str, days: int | None) -> None:
    text = f"Op 3 maart 2019 leerde zij hem kennen. {phrase} moest zij werken."
    relative = find_dates(text)[1]
    assert relative.text == phrase
    assert (relative.relative_days, relative.exact_offset, relative.approximate) == (
        days,
        False,
        True,
    )
    assert (relative.value, relative.precision) == (None, None)


def test_relative_dates_chain_and_stop_after_a_vague_moment() -> None:
    text = (
        "Op 3 maart 2019 zag zij hem. De volgende dag sprak zij hem. Twee dagen later "
        "werkte zij. Enkele dagen later vluchtte zij. Drie dagen later kwam zij terug. "
        "In april 2019 zag zij hem. De dag erna ook."
    )
    found = find_dates(text)
    assert [(m.text, m.value) for m in found] == [
        ("3 maart 2019", "2019-03-03"),
        ("De volgende dag", "2019-03-04"),
        ("Twee dagen later", "2019-03-06"),
        ("Enkele dagen later", None),
        ("Drie dagen later", None),
        ("april 2019", "2019-04"),
        ("De dag erna", None),
    ]
    assert all(text[m.start : m.end] == m.text for m in found)


def test_relative_date_without_a_date_before_uses_the_reference() -> None:
    assert only("Drie dagen later werkte zij.").value is None
    mention = only("Drie dagen later werkte zij.", reference=date(2019, 3, 3))
    assert (mention.value, mention.relative_days) == ("2019-03-06", 3)


def test_relative_date_counted_from_an_approximate_day_is_approximate() -> None:
    found = find_dates("Op of omstreeks 3 maart 2019 zag zij hem. Drie dagen later werkte zij.")
    assert (found[1].value, found[1].approximate, found[1].exact_offset) == (
        "2019-03-06",
        True,
        True,
    )


def test_longest_mention_wins() -> None:
    text = "Begin april 2020 en op 3 april 2020 en na ongeveer een week."
    assert [m.text for m in find_dates(text)] == [
        "Begin april 2020",
        "3 april 2020",
        "na ongeveer een week",
    ]


def test_days_between_only_for_exact_days() -> None:
    assert days_between("2019-03-03", "2019-03-08") == 5
    assert days_between("2019-03-08", "2019-03-03") == -5
    assert days_between("2019-02-27", "2019-03-01") == 2
    assert days_between("2019-03", "2019-03-08") is None
    assert days_between("2019-03-03", "2019") is None
    assert days_between("2019-02-30", "2019-03-01") is None
    assert days_between("20190303", "2019-03-08") is None


def test_docstring_examples_hold() -> None:
    result = doctest.testmod(dates)
    assert result.attempted >= 3
    assert result.failed == 0
