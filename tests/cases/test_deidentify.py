"""De-identification of case summaries: what is replaced, what is kept, the file edge.

All names, addresses and numbers below are invented. One Deidentifier is built for the
whole session (deduce takes ~10 s to load, two minutes the first time after install).
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from ketenbeeld.cases import deidentify as module
from ketenbeeld.cases.deidentify import Deidentified, Deidentifier, deidentify_file
from ketenbeeld.errors import InputError, ValidationFailed

TEXT_A = (
    "Verdachte Dylan K. (geb. 12-05-2003) heeft slachtoffer Sanne de Vries op 3 maart 2019 "
    "via Snapchat benaderd. Dylan woonde aan de Kerkstraat 12, 1234 AB Almere. K. gaf haar "
    "zijn nummer 06-12345678; later belde hij vanaf +31 6 12345678. De toen 16-jarige Sanne "
    "verbleef in een jeugdzorginstelling in Zwolle. Drie dagen later, op 6 maart 2019, "
    "moest zij bij het station in Utrecht klanten ontvangen. Mevrouw De Vries verklaarde "
    "dat Dylan haar vriend was."
)
TEXT_B = (
    "Aangeefster Fatima el Idrissi (geboren 03-09-2002) verbleef in de opvang in Arnhem. "
    "Begin april 2020 leerde zij verdachte Ricardo da Silva kennen via Instagram; later "
    "chatten zij op TikTok, Telegram en WhatsApp, en hij had een profiel op Tinder. "
    "Da Silva, geboren op 4 juni 1990, BSN 123456782, huurde een kamer aan de Hoofdweg 3B "
    "te Arnhem. Zijn e-mail: r.dasilva99@example.nl, zijn vaste nummer 020-1234567. Hij "
    "reed in auto's met kenteken 12-ABC-3, AB-123-C en 1-ABC-23 en betaalde via "
    "NL91 ABNA 0417 1643 00. Ricardo was toen 29 jaar oud; de uitbuiting duurde twee jaar."
)
TEXT_C = (
    "Romy Hendriks (17) woonde bij haar ouders in Apeldoorn. Sinds 2018 had zij contact "
    "met Jaydee Pinas. Pinas bood haar na twee weken werk aan in een hotel in Den Haag. "
    "Geboortedatum: 21-01-2004. Romy gaf als adres Laan van Meerdervoort 120, 2517 AP "
    "Den Haag op; haar BSN is 1234.56.782. Het bedrag van 123456789 euro en het "
    "dossiernummer 2019-OOST-03 zijn geen persoonsgegevens."
)

#: Every identifier planted in the texts, with its kind.
PLANTED: dict[str, list[tuple[str, str]]] = {
    "A": [
        ("Dylan K.", "person"),
        ("12-05-2003", "birth_date"),
        ("Sanne de Vries", "person"),
        ("Dylan", "person"),
        ("Kerkstraat 12, 1234 AB", "address"),
        ("K.", "person"),
        ("06-12345678", "phone"),
        ("+31 6 12345678", "phone"),
        ("Sanne", "person"),
        ("De Vries", "person"),
    ],
    "B": [
        ("Fatima el Idrissi", "person"),
        ("03-09-2002", "birth_date"),
        ("Ricardo da Silva", "person"),
        ("Da Silva", "person"),
        ("4 juni 1990", "birth_date"),
        ("123456782", "bsn"),
        ("Hoofdweg 3B", "address"),
        ("r.dasilva99@example.nl", "email"),
        ("020-1234567", "phone"),
        ("12-ABC-3", "licence_plate"),
        ("AB-123-C", "licence_plate"),
        ("1-ABC-23", "licence_plate"),
        ("NL91 ABNA 0417 1643 00", "iban"),
        ("Ricardo", "person"),
    ],
    "C": [
        ("Romy Hendriks", "person"),
        ("Jaydee Pinas", "person"),
        ("Pinas", "person"),
        ("21-01-2004", "birth_date"),
        ("Romy", "person"),
        ("Laan van Meerdervoort 120, 2517 AP", "address"),
        ("1234.56.782", "bsn"),
    ],
}
TEXTS = {"A": TEXT_A, "B": TEXT_B, "C": TEXT_C}

#: Words the codebook is coded from: they must survive verbatim.
KEPT = {
    "A": [
        "Verdachte",
        "slachtoffer",
        "3 maart 2019",
        "6 maart 2019",
        "Drie dagen later",
        "Snapchat",
        "Almere",
        "16-jarige",
        "jeugdzorginstelling in Zwolle",
        "het station in Utrecht",
        "Mevrouw",
        "haar vriend",
    ],
    "B": [
        "Aangeefster",
        "de opvang in Arnhem",
        "Begin april 2020",
        "verdachte",
        "Instagram",
        "TikTok, Telegram en WhatsApp",
        "Tinder",
        "te Arnhem",
        "29 jaar oud",
        "twee jaar",
    ],
    "C": [
        "(17)",
        "bij haar ouders in Apeldoorn",
        "Sinds 2018",
        "na twee weken",
        "in een hotel in Den Haag",
        "Den Haag op",
        "123456789 euro",
        "2019-OOST-03",
    ],
}


@pytest.fixture(scope="session")
def results(deidentifier: Deidentifier) -> dict[str, Deidentified]:
    return {key: deidentifier.deidentify(text) for key, text in TEXTS.items()}


def _found(result: Deidentified, original: str) -> dict[str, tuple[str, str]]:
    """The replaced substrings of ``original``, with their kind and placeholder."""
    return {original[r.start : r.end]: (r.kind, r.placeholder) for r in result.replacements}


@pytest.mark.parametrize(
    ("key", "value", "kind"),
    [(key, value, kind) for key, planted in PLANTED.items() for value, kind in planted],
)
def test_every_planted_identifier_is_replaced_with_its_kind(
    results: dict[str, Deidentified], key: str, value: str, kind: str
) -> None:
    found = _found(results[key], TEXTS[key])
    assert value in found
    assert found[value][0] == kind
    label = module.KIND_LABELS[kind]
    assert found[value][1].startswith(f"[{label}-")


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_no_planted_identifier_is_left(results: dict[str, Deidentified], key: str) -> None:
    for value, _ in PLANTED[key]:
        assert value not in results[key].text


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_codebook_words_are_kept_verbatim(results: dict[str, Deidentified], key: str) -> None:
    for kept in KEPT[key]:
        assert kept in results[key].text


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_offsets_point_at_the_original_and_rebuild_the_output(
    results: dict[str, Deidentified], key: str
) -> None:
    original, result = TEXTS[key], results[key]
    planted = {value for value, _ in PLANTED[key]}
    rebuilt, position = [], 0
    for replacement in result.replacements:
        assert original[replacement.start : replacement.end] in planted
        rebuilt += [original[position : replacement.start], replacement.placeholder]
        position = replacement.end
    rebuilt.append(original[position:])
    assert "".join(rebuilt) == result.text
    assert {original[r.start : r.end] for r in result.replacements} == planted


def test_the_same_person_keeps_one_number_across_mentions(
    results: dict[str, Deidentified],
) -> None:
    found = _found(results["A"], TEXT_A)
    assert found["Dylan K."][1] == found["Dylan"][1] == found["K."][1] == "[PERSOON-1]"
    assert found["Sanne de Vries"][1] == found["Sanne"][1] == "[PERSOON-2]"
    assert found["De Vries"][1] == "[PERSOON-2]"
    assert results["A"].text.startswith("Verdachte [PERSOON-1] (geb. [GEBOORTEDATUM-1])")
    assert "Mevrouw [PERSOON-2] verklaarde dat [PERSOON-1] haar vriend was." in results["A"].text


def test_the_same_value_in_two_spellings_keeps_one_number(
    results: dict[str, Deidentified],
) -> None:
    found = _found(results["A"], TEXT_A)
    assert found["06-12345678"][1] == found["+31 6 12345678"][1] == "[TELEFOON-1]"
    text_b = results["B"].text
    assert "[KENTEKEN-1], [KENTEKEN-2] en [KENTEKEN-3]" in text_b
    assert "[PERSOON-2], geboren op [GEBOORTEDATUM-2], BSN [BSN-1]" in text_b


@pytest.mark.parametrize(
    "sentence",
    [
        "Hij is geboren op 12 mei 2003 in Lelystad.",
        "Geboortedatum: 12-05-2003.",
        "Betrokkene (geb. 12-05-2003) zweeg.",
        "Zij is geboren 12-05-2003.",
        "Hij is geboren in Lelystad op 12-05-2003.",
        "Verdachte Wessel Brandsma (12-05-2003) zweeg.",
    ],
)
def test_a_date_of_birth_is_replaced(deidentifier: Deidentifier, sentence: str) -> None:
    result = deidentifier.deidentify(sentence)
    assert "[GEBOORTEDATUM-1]" in result.text
    assert "12-05-2003" not in result.text
    assert "12 mei 2003" not in result.text
    assert "Lelystad" in result.text or "Lelystad" not in sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "Op 12-05-2019 om 12 uur werd zij opgehaald.",
        "Het eerste contact was op 3 maart 2019 via Snapchat.",
        "Begin april 2020 ging zij naar de opvang.",
        "Zij was toen 15 jaar en hij een 24-jarige man uit Breda.",
        "Zij moest twee weken lang in Rotterdam werken.",
    ],
)
def test_ordinary_dates_ages_and_places_are_not_touched(
    deidentifier: Deidentifier, sentence: str
) -> None:
    result = deidentifier.deidentify(sentence)
    assert result.text == sentence
    assert result.replacements == ()


def test_a_bsn_failing_the_eleven_test_is_kept(deidentifier: Deidentifier) -> None:
    assert deidentifier.deidentify("Nummer 123456789 klopt niet.").replacements == ()


def test_deidentify_many_keeps_numbering_per_document(deidentifier: Deidentifier) -> None:
    first, second = deidentifier.deidentify_many(
        ["Bel 06-12345678 of 06-87654321.", "Bel 06-87654321."]
    )
    assert first.text == "Bel [TELEFOON-1] of [TELEFOON-2]."
    assert second.text == "Bel [TELEFOON-1]."


def test_deidentify_file_writes_the_same_name_with_the_same_line_endings(
    deidentifier: Deidentifier, tmp_path: Path
) -> None:
    source = tmp_path / "in" / "zaak-07.txt"
    source.parent.mkdir()
    source.write_bytes(b"Dylan K. belde 06-12345678.\r\nZij ging naar Zwolle.\r\n")
    written = deidentify_file(source, tmp_path / "out", deidentifier)
    assert written == tmp_path / "out" / "zaak-07.txt"
    assert written.read_bytes() == (b"[PERSOON-1] belde [TELEFOON-1].\r\nZij ging naar Zwolle.\r\n")


def test_an_unreadable_file_gives_a_clear_error(deidentifier: Deidentifier, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"^zaak-99\.txt: cannot be read") as caught:
        deidentify_file(tmp_path / "zaak-99.txt", tmp_path / "out", deidentifier)
    assert caught.value.hint
    assert not (tmp_path / "out" / "zaak-99.txt").exists()


def test_a_non_utf8_file_fails_validation_without_echoing_content(
    deidentifier: Deidentifier, tmp_path: Path
) -> None:
    source = tmp_path / "zaak-08.txt"
    source.write_bytes("Verdachte Jörn Vlieg".encode("latin-1"))
    with pytest.raises(ValidationFailed) as caught:
        deidentify_file(source, tmp_path / "out", deidentifier)
    (problem,) = caught.value.problems
    assert str(problem) == "zaak-08.txt, byte 11: is not valid UTF-8 text"
    assert "Vlieg" not in str(caught.value)
    assert not (tmp_path / "out").exists()


def test_the_input_is_never_overwritten(deidentifier: Deidentifier, tmp_path: Path) -> None:
    source = tmp_path / "zaak-09.txt"
    source.write_text("Dylan K.", encoding="utf-8")
    with pytest.raises(InputError, match="would overwrite the input"):
        deidentify_file(source, tmp_path, deidentifier)
    assert source.read_text(encoding="utf-8") == "Dylan K."


def test_building_logs_once_without_text(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    built: list[int] = []

    class FakeDeduce:
        def __init__(self) -> None:
            built.append(1)

    monkeypatch.setattr(module, "_import_deduce", lambda: FakeDeduce)
    fresh = Deidentifier()
    with caplog.at_level(logging.INFO, logger=module.__name__):
        fresh.warm_up()
        fresh.warm_up()
    assert built == [1]
    assert caplog.messages[0] == (
        "building the de-identification lists (first use after an install can take two minutes)"
    )
