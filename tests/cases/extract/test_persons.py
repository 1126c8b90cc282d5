"""Who is who without role headings: names, initials, roles by deeds, bystanders."""

from __future__ import annotations

from typing import Any

from ketenbeeld.cases.extract import extract_case
from ketenbeeld.cases.extract.names import find_names
from ketenbeeld.cases.extract.persons import find_persons
from ketenbeeld.cases.extract.text import split_sentences


def roles(text: str) -> list[tuple[str, str]]:
    return [(p.role, p.label) for p in find_persons(text, split_sentences(text))]


def run(text: str) -> dict[str, Any]:
    document = extract_case(text, case_id="T-1")
    for item in document["evidence"]:
        assert text[item["start"] : item["end"]] == item["text"]
    return document


NARRATIVE = (
    "Jayden Mulder kwam op 12 februari 2021 via Instagram in contact met Noa Verbeek. "
    "Noa woonde toen bij haar moeder. Jayden stuurde haar cadeautjes. "
    "Op 20 februari 2021 moest Noa voor het eerst klanten ontvangen. "
    "Jayden plaatste de advertenties en hield het geld. Hij had schulden."
)


def test_a_narrative_without_role_words_gives_roles_by_deeds() -> None:
    assert roles(NARRATIVE) == [("perpetrator", "Jayden Mulder"), ("victim", "Noa Verbeek")]


def test_facts_of_a_narrative_go_to_the_person_they_are_about() -> None:
    document = run(NARRATIVE)
    (perpetrator,), (victim,) = document["perpetrators"], document["victims"]
    assert perpetrator["has_debts"] is True
    assert victim["living_situation"] == "with_parents"
    assert victim["first_contact_platform"] == "instagram"
    assert victim["recruitment_days"] == 8


def test_named_bystanders_are_no_persons() -> None:
    text = NARRATIVE + (
        " Haar moeder, Ingrid Verbeek, merkte in april dat er iets mis was. "
        "Haar vriendin Eva Lammers ging met haar naar de politie."
    )
    assert [label for _, label in roles(text)] == ["Jayden Mulder", "Noa Verbeek"]


def test_a_subject_after_a_preposition_is_the_name_that_follows() -> None:
    text = (
        "Sanne Bos kende Dennis de Boer al jaren. Via Sanne leerde Dennis haar klasgenote "
        "Iris Smit kennen. "
        "Dennis plaatste de advertenties. Iris woonde in een leefgroep. "
        "Op 28 juni 2019 moest Iris voor het eerst klanten ontvangen."
    )
    assert roles(text) == [("perpetrator", "Dennis de Boer"), ("victim", "Iris Smit")]


def test_a_pronoun_subject_carries_the_deeds_to_its_person() -> None:
    text = (
        "Ryan Koç woonde in Tilburg. Hij had schulden en een strafblad. "
        "Kim van Dijk leerde hem kennen via TikTok. Zij woonde in een crisisopvang. "
        "Op 7 oktober 2021 moest zij voor het eerst werken."
    )
    assert roles(text) == [("perpetrator", "Ryan Koç"), ("victim", "Kim van Dijk")]


def test_the_speaker_of_a_statement_in_the_first_person() -> None:
    text = (
        '"Mijn naam is Lotte de Groot. Ik woonde in een woongroep. Ik kende Mohamed Bakkali niet. '
        'Op 14 augustus 2021 moest ik voor het eerst met klanten."\n'
        "Mohamed Bakkali is bij de politie bekend. Hij had een strafblad."
    )
    assert roles(text) == [("victim", "Lotte de Groot"), ("perpetrator", "Mohamed Bakkali")]


def test_a_place_after_an_institution_or_a_preposition_is_no_person() -> None:
    text = (
        "De rechtbank Rotterdam heeft Quincy Martina veroordeeld. Rotterdam is een stad. "
        "Zijn medeverdachte Dani Schouten bracht de meisjes naar hotels in Rotterdam en "
        "Den Haag."
    )
    labels = [label for _, label in roles(text)]
    assert "Rotterdam" not in labels and "Den Haag" not in labels
    assert ("perpetrator", "Dani Schouten") in roles(text)


def test_sentence_openers_are_no_names() -> None:
    assert [name for _, _, name in find_names("Via Fleur kwam hij. Daar woonde Iris.")] == [
        "Fleur",
        "Iris",
    ]


def test_a_name_ends_at_an_initial() -> None:
    names = [name for _, _, name in find_names("Op 4 oktober sprak Desmond A. Chelsea aan.")]
    assert names == ["Desmond A.", "Chelsea"]


def test_persons_known_by_an_initial_only() -> None:
    text = (
        "Het Openbaar Ministerie verwijt verdachte J. dat hij twee vrouwen uitbuitte. "
        "Ten aanzien van de eerste aangeefster, de toen 17-jarige L.: zij woonde bij haar vader."
    )
    assert roles(text) == [("perpetrator", "J."), ("victim", "L.")]
    victim = run(text)["victims"][0]
    assert (victim["age_at_start"], victim["living_situation"]) == (17, "with_parents")


def test_an_initial_written_out_later_is_the_same_person() -> None:
    text = (
        "Beiden verklaarden dat zij voor verdachte R. moesten werken. "
        "De man, Rudi Schaap, heeft een strafblad. Hij had schulden."
    )
    document = run(text)
    (perpetrator,) = document["perpetrators"]
    assert perpetrator["label"] == "R."
    assert perpetrator["known_to_police_before"] is True


def test_a_heading_by_surname_or_initial_is_the_section_of_that_person() -> None:
    text = (
        "Betrokkenen\nSharon Bosman en haar vriend Tarik E. staan centraal. "
        "Het slachtoffer is Melissa Post. Sharon bood haar een kamer aan.\n"
        "Persoon verdachte Bosman\nHeeft de havo afgerond en had schulden.\n"
        "Persoon verdachte E.\nIs eerder veroordeeld en verslaafd aan cocaïne.\n"
    )
    document = run(text)
    labels = [p["label"] for p in document["perpetrators"]]
    assert labels == ["Sharon Bosman", "Tarik E."]
    sharon, tarik = document["perpetrators"]
    assert (sharon["has_diploma"], sharon["has_debts"]) == (True, True)
    assert "has_debts" not in tarik
    assert (tarik["known_to_police_before"], tarik["addiction_types"]) == (True, ["cocaine"])


def test_names_joined_by_en_share_a_role_and_bracketed_ages_go_before() -> None:
    text = (
        "Op 11 mei 2018 werden twee zussen aangetroffen: Chantal (18) en Naomi (16) Visser. "
        "Chantal woonde bij haar grootmoeder en moest voor verdachte R. klanten ontvangen. "
        "Naomi ontmoette hem voor het eerst toen Chantal hem mee naar huis nam."
    )
    document = run(text)
    ages = {v["label"]: v.get("age_at_start") for v in document["victims"]}
    assert ages == {"Chantal": 18, "Naomi": 16}


def test_met_for_the_first_time_means_not_known_before() -> None:
    text = (
        "Verdachte is Kevin Bos. Slachtoffer is Sanne Smit. "
        "Sanne Smit leerde Kevin Bos in juni 2020 kennen op een feestje."
    )
    assert run(text)["victims"][0]["knew_perpetrator_before"] is False


def test_only_a_vmbo_diploma_is_no_startkwalificatie() -> None:
    text = "Verdachte is Kevin Bos. Slachtoffer is Sanne Smit. Hij heeft alleen een vmbo-diploma."
    assert run(text)["perpetrators"][0]["has_diploma"] is False
