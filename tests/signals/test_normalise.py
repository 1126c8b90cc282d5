"""Dutch normalisation tables: input -> the canonical form both organisations reach."""

from __future__ import annotations

from datetime import date

import pytest

from ketenbeeld.signals.normalise import (
    NORMALISERS,
    fold,
    normalise_bsn,
    normalise_first_name,
    normalise_gender,
    normalise_house_number,
    normalise_postcode,
    normalise_text,
    parse_date,
    passes_elfproef,
    split_surname,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Zoë", "zoe"),
        ("ZOË", "zoe"),
        ("Çelik", "celik"),
        ("Ångström", "angstrom"),
        ("Søren", "soren"),
        ("Straße", "strasse"),
        ("Jan", "jan"),
    ],
)
def test_fold(text: str, expected: str):
    assert fold(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  Den   Haag ", "den haag"),
        ("'s-Hertogenbosch", "s hertogenbosch"),
        ("Alphen a/d Rijn", "alphen a d rijn"),
        ("Zoë-Straat 12", "zoe straat 12"),
        ("?!", ""),
    ],
)
def test_normalise_text(text: str, expected: str):
    assert normalise_text(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Zoë", "zoe"),
        ("JAN", "jan"),
        ("Anne-Marie", "annemarie"),
        ("anne marie", "annemarie"),
        ("J.", "j"),
        ("J.P.", "j"),
        ("j. p.", "j"),
        ("Jan P.", "jan"),
        ("Hans", "hans"),  # nicknames are not expanded
        ("Wim", "wim"),
        ("   ", ""),
    ],
)
def test_first_names(text: str, expected: str):
    assert normalise_first_name(text) == expected


@pytest.mark.parametrize(
    ("surname", "prefix", "expected"),
    [
        ("Jansen, van", "", ("van", "jansen")),
        ("van Jansen", "", ("van", "jansen")),
        ("Jansen", "van", ("van", "jansen")),
        ("V. Jansen", "", ("", "jansen")),  # V. is an initial, not "van"
        ("vd Berg", "", ("van der", "berg")),
        ("v.d. Berg", "", ("van der", "berg")),
        ("V.D. Berg", "", ("van der", "berg")),
        ("v/d Berg", "", ("van der", "berg")),
        ("van der Berg", "", ("van der", "berg")),
        ("Van Der Berg", "", ("van der", "berg")),
        ("VAN DER BERG", "", ("van der", "berg")),
        ("Berg", "van der", ("van der", "berg")),
        ("Berg", "Van Der", ("van der", "berg")),
        ("Berg", "v.d.", ("van der", "berg")),
        ("van der Berg", "van der", ("van der", "berg")),  # prefix in both columns
        ("der Berg", "van", ("van der", "berg")),  # prefix split over the columns
        ("Berg, van der", "", ("van der", "berg")),
        ("Berg, v.d.", "", ("van der", "berg")),
        ("van den Berg", "", ("van den", "berg")),
        ("'t Hart", "", ("'t", "hart")),
        ("’t Hart", "", ("'t", "hart")),
        ("Hart", "'t", ("'t", "hart")),
        ("in 't Veld", "", ("in 't", "veld")),
        ("van 't Hof", "", ("van 't", "hof")),
        ("op de Beek", "", ("op de", "beek")),
        ("uit den Bogaard", "", ("uit den", "bogaard")),
        ("ter Horst", "", ("ter", "horst")),
        ("de Vries", "", ("de", "vries")),
        ("d'Ancona", "", ("d'", "ancona")),
        ("de la Rive", "", ("de la", "rive")),
        ("le Blanc", "", ("le", "blanc")),
        ("J. van Dijk", "", ("van", "dijk")),
        ("Jansen-de Vries", "", ("", "jansendevries")),
        ("Dekker", "", ("", "dekker")),  # starts with "de", is not split
        ("Vanderberg", "", ("", "vanderberg")),  # merged forms are not split
        ("Vermeulen", "", ("", "vermeulen")),
        ("van", "", ("", "van")),  # only a prefix: it is the name we have
        ("Zoë van Bergën", "", ("", "zoevanbergen")),  # a prefix inside is not split
    ],
)
def test_split_surname(surname: str, prefix: str, expected: tuple[str, str]):
    assert split_surname(surname, prefix) == expected


def test_surname_normalisers_agree_across_ways_of_writing():
    core, pre = NORMALISERS["surname_core"].function, NORMALISERS["surname_prefix"].function
    ways = [
        ("", "Jansen, van"),
        ("", "van Jansen"),
        ("van", "Jansen"),
        ("Van", "JANSEN"),
    ]
    assert {core(w) for w in ways} == {"jansen"}
    assert {pre(w) for w in ways} == {"van"}
    assert core(("", "")) is None
    assert pre(("", "Jansen")) == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2004-03-12", date(2004, 3, 12)),
        ("12-03-2004", date(2004, 3, 12)),
        ("12/03/2004", date(2004, 3, 12)),
        ("12.03.2004", date(2004, 3, 12)),
        ("2004/03/12", date(2004, 3, 12)),
        ("2004-3-2", date(2004, 3, 2)),
        ("2-3-2004", date(2004, 3, 2)),
        (" 12-03-2004 ", date(2004, 3, 12)),
        ("20040312", date(2004, 3, 12)),  # FEBRL's YYYYMMDD
        # Day first is always read as day-month: a swap is not guessed.
        ("03-12-2004", date(2004, 12, 3)),
        ("31-02-2004", None),  # impossible date
        ("29-02-2003", None),  # not a leap year
        ("29-02-2004", date(2004, 2, 29)),
        ("12-31-2004", None),  # month 31: American order is not guessed
        ("12-03-04", None),  # two-digit year
        ("12-03/2004", None),  # mixed separators
        ("12 maart 2004", None),
        ("1700-01-01", None),
        ("", None),
    ],
)
def test_parse_date(text: str, expected: date | None):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234 ab", "1234AB"),
        ("1234AB", "1234AB"),
        (" 1234  Ab ", "1234AB"),
        ("1234-AB", "1234AB"),
        ("0123 AB", None),  # first digit 0
        ("1234 SS", None),
        ("1234 SA", None),
        ("1234 SD", None),
        ("1234", None),
        ("12345 AB", None),
        ("1234 A1", None),
        ("B-1000", None),
    ],
)
def test_postcode(text: str, expected: str | None):
    assert normalise_postcode(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", "12"),
        ("12a", "12a"),
        ("12 A", "12a"),
        ("12-a", "12a"),
        ("12-2", "12-2"),
        ("12 2", "12-2"),
        ("12/2", "12-2"),
        ("012", "12"),
        ("12 bis", "12bis"),
        ("12a-2", "12a-2"),
        ("hoog", None),
        ("0", None),
        ("", None),
    ],
)
def test_house_number(text: str, expected: str | None):
    assert normalise_house_number(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("m", "m"),
        ("M", "m"),
        ("man", "m"),
        ("Male", "m"),
        ("jongen", "m"),
        ("v", "f"),
        ("Vrouw", "f"),
        ("female", "f"),
        ("meisje", "f"),
        ("F", "f"),
        ("x", "x"),
        ("other", "x"),
        ("onbekend", None),
        ("?", None),
        ("", None),
    ],
)
def test_gender(text: str, expected: str | None):
    assert normalise_gender(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("111222333", "111222333"),
        ("123456782", "123456782"),
        ("1112.22.333", "111222333"),
        ("111 222 333", "111222333"),
        ("12345672", "012345672"),  # a spreadsheet dropped the leading zero
        ("111222334", None),  # fails the 11-proef
        ("123456789", None),
        ("000000000", None),  # passes the sum, is no BSN
        ("11122233", None),  # 011122233 fails the 11-proef
        ("1234567", None),
        ("1112223330", None),
        ("11122233a", None),
        ("", None),
    ],
)
def test_bsn(text: str, expected: str | None):
    assert normalise_bsn(text) == expected


def test_elfproef_by_hand():
    # 9*1 + 8*1 + 7*1 + 6*2 + 5*2 + 4*2 + 3*3 + 2*3 - 1*3 = 66 = 6 * 11
    assert passes_elfproef("111222333")
    assert not passes_elfproef("111222332")
    assert not passes_elfproef("11122233")
    assert not passes_elfproef("１１１２２２３３３")  # full-width digits


def test_registry_reports_invalid_values_as_none():
    assert NORMALISERS["date"].function(("31-02-2004",)) is None
    assert NORMALISERS["date"].function(("12-03-2004",)) == "2004-03-12"
    assert NORMALISERS["postcode"].function(("1234 ab",)) == "1234AB"
    assert NORMALISERS["first_name"].function(("?",)) is None
    assert NORMALISERS["digits"].function(("2004 03 12",)) == "20040312"
    assert NORMALISERS["date"].produces_date
    assert not NORMALISERS["text"].produces_date
