"""Write the gold coded cases and the identifier list of the extraction gold set.

Run from anywhere: ``python tests/data/extract/make_gold.py``. The annotations below
are the gold; this script only turns them into ``case-NN.json`` files and
``identifiers.json``. Evidence offsets are never typed by hand: each evidence string
is searched in the case text. A plain string must occur exactly once; when a
quotation occurs more than once, the annotation gives unique surrounding context
and marks the quoted part with ``[[...]]``. Every gold file is then validated with
``validate_case`` and every offset is checked (``text[start:end] == evidence``).

Annotation format per field: ``(value, evidence, evidence, ...)``; a field that is
not annotated is null. ``label`` takes the name only; its evidence is the first
occurrence of that name in the text.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from ketenbeeld.cases.codebook import load_codebook
from ketenbeeld.cases.validate import validate_case

HERE = Path(__file__).resolve().parent

PERPETRATOR_FIELDS = (
    "age_at_start",
    "gender",
    "has_diploma",
    "has_debts",
    "has_addiction",
    "addiction_types",
    "known_to_police_before",
    "known_to_care_before",
)
VICTIM_FIELDS = (
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
)

# Each case: year_start, perpetrators, victims, identifiers, phenomena (README table).
CASES: dict[int, dict[str, Any]] = {}

CASES[1] = {
    "year_start": (2019, "Op [[8 maart 2019]] moest"),
    "perpetrators": [
        {
            "label": "Dylan Koster",
            "age_at_start": (22, "14 juli 1996", "Op [[8 maart 2019]] moest"),
            "gender": (
                "male",
                "[[Hij]] stuurde haar",
            ),
            "has_diploma": (False, "Dylan K. heeft geen startkwalificatie"),
            "has_debts": (True, "Hij had ten tijde van de feiten schulden"),
            "has_addiction": (True, "verslaafd te zijn aan cannabis"),
            "addiction_types": (["cannabis"], "verslaafd te zijn aan cannabis"),
            "known_to_police_before": (True, "Verdachte was eerder bekend bij de politie"),
            "known_to_care_before": (True, "stond als minderjarige onder toezicht van jeugdzorg"),
        }
    ],
    "victims": [
        {
            "label": "Samira Bakker",
            "age_at_start": (16, "De toen 16-jarige Samira"),
            "gender": ("female", "Samira verklaarde dat [[zij]] Dylan K."),
            "living_situation": (
                "care_institution",
                "verbleef ten tijde van de werving in een open jeugdzorginstelling",
            ),
            "knew_perpetrator_before": (False, "Zij kende hem daarvoor niet."),
            "first_contact_channel": ("online", "leerde kennen via Snapchat"),
            "first_contact_platform": ("snapchat", "leerde kennen via Snapchat"),
            "first_contact_date": ("2019-03-03", "3 maart 2019"),
            "first_forced_date": ("2019-03-08", "Op [[8 maart 2019]] moest"),
            "recruitment_days": (5, "3 maart 2019", "Op [[8 maart 2019]] moest"),
            "contact_after_exploitation": (
                True,
                "Na haar vertrek bleef zij contact met hem houden via Snapchat",
            ),
            "perpetrators": ["P1"],
        }
    ],
    "identifiers": [
        ("Dylan Koster", "person"),
        ("Dylan K.", "person"),
        ("Samira Bakker", "person"),
        ("Samira", "person"),
        ("14 juli 1996", "birth_date"),
        ("Lindenlaan 27, 7521 KP Enschede", "address"),
        ("426539229", "bsn"),
        ("06-41877213", "phone"),
    ],
    "phenomena": [
        "one perpetrator, one victim",
        "Snapchat",
        "living: care institution",
        "date: day month year",
        "recruitment_days from two exact dates",
        "age: 'de toen 16-jarige'",
        "perpetrator age from date of birth",
        "diploma: none (vmbo without diploma)",
        "addiction: cannabis",
        "known to police and care",
        "contact after: yes",
        "knew before: no",
    ],
}

CASES[2] = {
    "year_start": (2020, "Begin april 2020"),
    "perpetrators": [
        {
            "label": "Kevin de Vries",
            "age_at_start": (21, "21 jaar oud bij aanvang van de feiten"),
            "gender": ("male", "[[Hij]] volgde een mbo-3"),
            "has_diploma": (
                True,
                "mbo-3 opleiding tot logistiek medewerker en heeft zijn diploma behaald",
            ),
            "has_debts": (True, "een schuld van ruim veertienduizend euro"),
            "known_to_police_before": (
                False,
                "Hij was niet eerder met politie in aanraking gekomen.",
            ),
        },
        {
            "label": "Rachid El Amrani",
            "gender": ("male", "[[Hij]] had een strafblad"),
            "has_debts": (False, "had hij geen schulden"),
            "has_addiction": (False, "Hij ontkent drugs te gebruiken."),
            "known_to_police_before": (
                True,
                "Hij had een strafblad voor geweldsdelicten",
                "stond eerder onder toezicht van de reclassering",
            ),
        },
    ],
    "victims": [
        {
            "label": "Lisa Verhoeven",
            "age_at_start": (17, "was ten tijde van de feiten zeventien jaar oud"),
            "gender": ("female", "[[Zij]] kende hem niet."),
            "living_situation": ("with_parents", "woonde bij haar moeder in Tilburg"),
            "knew_perpetrator_before": (False, "Zij kende hem niet."),
            "first_contact_channel": ("online", "op Instagram"),
            "first_contact_platform": ("instagram", "op Instagram"),
            "first_contact_date": ("2020-04", "Begin april 2020"),
            "first_forced_date": (
                "2020-04",
                "Begin april 2020",
                "Drie dagen na het eerste bericht moest zij voor het eerst klanten ontvangen",
            ),
            "recruitment_days": (3, "Drie dagen na het eerste bericht"),
            "contact_after_exploitation": (
                False,
                "Na haar vertrek heeft zij geen contact meer gehad met de verdachten.",
            ),
            "perpetrators": ["P1", "P2"],
        }
    ],
    "identifiers": [
        ("Kevin de Vries", "person"),
        ("Kevin de V.", "person"),
        ("Rachid El Amrani", "person"),
        ("Rachid E.A.", "person"),
        ("Lisa Verhoeven", "person"),
        ("Lisa", "person"),
        ("NL10 RABO 5708 0090 10", "iban"),
        ("GZ-418-T", "licence_plate"),
    ],
    "phenomena": [
        "two perpetrators, one with debts and one without",
        "Instagram",
        "living: with mother",
        "date: 'begin april 2020' (month)",
        "recruitment_days from 'drie dagen na' with month-only dates",
        "age: number in words",
        "age 'thans 25 jaar' (now, not at start): null",
        "diploma: mbo-3 completed",
        "negation: 'had geen schulden', 'ontkent drugs te gebruiken'",
        "reclassering as justice contact",
        "not known to police",
        "contact after: no",
    ],
}

CASES[3] = {
    "year_start": (2018, "14 augustus 2018"),
    "perpetrators": [
        {
            "label": "Jayden Pinas",
            "age_at_start": (18, "02-11-1999", "14 augustus 2018"),
            "gender": ("male", "[[Hij]] had mogelijk schulden"),
            "has_diploma": (True, "Jayden P. heeft de havo afgerond."),
            "known_to_police_before": (True, "Hij was eerder bekend bij de politie"),
            "known_to_care_before": (True, "hij was als kind bekend bij Veilig Thuis"),
        },
        {
            "label": "Chantal Wouters",
            "age_at_start": (17, "19-06-2001", "14 augustus 2018"),
            "gender": ("female", "zijn vriendin Chantal Wouters"),
            "has_diploma": (False, "Chantal W. heeft geen diploma."),
            "has_debts": (True, "schulden bij online casino's en bij vrienden"),
            "has_addiction": (True, "Zij had een gokverslaving"),
            "addiction_types": (["gambling"], "Zij had een gokverslaving"),
            "known_to_police_before": (
                False,
                "Zij was niet eerder met de politie in aanraking gekomen.",
            ),
        },
    ],
    "victims": [
        {
            "label": "Noa van Dijk",
            "age_at_start": (15, "5 januari 2003", "14 augustus 2018"),
            "gender": ("female", "moest [[zij]] op 14 augustus 2018"),
            "living_situation": (
                "care_institution",
                "Noa verbleef sinds het voorjaar van 2018 in een gesloten jeugdzorginstelling",
            ),
            "knew_perpetrator_before": (True, "Noa en Chantal W. kenden elkaar van school"),
            "first_contact_channel": ("offline", "Noa en Chantal W. kenden elkaar van school"),
            "first_contact_platform": ("school", "Noa en Chantal W. kenden elkaar van school"),
            "first_forced_date": ("2018-08-14", "14 augustus 2018"),
            "contact_after_exploitation": (
                True,
                "nog maandenlang contact gehouden met Chantal W.",
            ),
            "perpetrators": ["P1", "P2"],
        }
    ],
    "identifiers": [
        ("Jayden Pinas", "person"),
        ("Jayden P.", "person"),
        ("Chantal Wouters", "person"),
        ("Chantal W.", "person"),
        ("Noa van Dijk", "person"),
        ("Noa", "person"),
        ("02-11-1999", "birth_date"),
        ("19-06-2001", "birth_date"),
        ("5 januari 2003", "birth_date"),
    ],
    "phenomena": [
        "female perpetrator",
        "victim knew one of two perpetrators (school)",
        "living: closed youth care",
        "date of birth dd-mm-yyyy, ages computed",
        "uncertainty: 'mogelijk schulden'",
        "diploma: havo completed; 'geen diploma'",
        "addiction: gambling",
        "Veilig Thuis",
        "contact after: yes (with one perpetrator)",
    ],
}

CASES[4] = {
    "year_start": (2021, "17-09-2021"),
    "perpetrators": [
        {
            "label": "Marco Jansen",
            "gender": ("male", "[[Hij]] bood haar een slaapplek"),
            "has_addiction": (True, "al jaren verslaafd aan cocaïne"),
            "addiction_types": (["cocaine"], "al jaren verslaafd aan cocaïne"),
            "known_to_police_before": (
                True,
                "meerdere eerdere veroordelingen voor drugshandel",
            ),
            "known_to_care_before": (True, "bij de verslavingszorg"),
        }
    ],
    "victims": [
        {
            "label": "Jessica Hoekstra",
            "age_at_start": (19, "was ten tijde van de werving 19 jaar oud"),
            "gender": ("female", "[[Zij]] sliep afwisselend"),
            "living_situation": ("homeless", "19 jaar oud en dakloos"),
            "knew_perpetrator_before": (False, "Zij kende hem niet."),
            "first_contact_channel": ("online", "via een Telegram-groep"),
            "first_contact_platform": ("telegram", "via een Telegram-groep"),
            "first_contact_date": ("2021-09-17", "17-09-2021"),
            "first_forced_date": (
                "2021-09-18",
                "17-09-2021",
                "De volgende dag moest zij in die woning haar eerste klant ontvangen",
            ),
            "recruitment_days": (1, "De volgende dag"),
            "contact_after_exploitation": (
                True,
                "Marco J. bleef haar daarna berichten sturen, waarop zij soms reageerde.",
            ),
            "perpetrators": ["P1"],
        }
    ],
    "identifiers": [
        ("Marco Jansen", "person"),
        ("Marco J.", "person"),
        ("Mace", "person"),
        ("Jessica Hoekstra", "person"),
        ("Jessica", "person"),
        ("Zuiderdiep 112, 9711 HN Groningen", "address"),
        ("mace.j.1989@outlook.com", "email"),
        ("06-83920174", "phone"),
    ],
    "phenomena": [
        "Telegram",
        "living: homeless",
        "date: dd-mm-yyyy",
        "'de volgende dag'",
        "birth year only: perpetrator age null",
        "addiction: cocaine ('veel alcohol' is not coded as addiction)",
        "reclassering and addiction care",
        "contact after: yes",
    ],
}

CASES[5] = {
    "year_start": (2021, "9 januari 2021"),
    "perpetrators": [
        {
            "label": "Stefan Mulder",
            "age_at_start": (27, "De toen 27-jarige verdachte"),
            "gender": ("male", "[[Hij]] had schulden bij een vriend"),
            "has_debts": (True, "Hij had schulden bij een vriend"),
            "has_addiction": (False, "Er is niet gebleken van verslaving."),
            "known_to_care_before": (True, "bij de ggz bekend"),
        }
    ],
    "victims": [
        {
            "label": "Milan de Boer",
            "age_at_start": (15, "23 februari 2005", "9 januari 2021"),
            "gender": ("male", "Het slachtoffer is een jongen"),
            "living_situation": ("with_parents", "Hij woonde bij zijn ouders in Zwolle"),
            "first_forced_date": ("2021-01-09", "9 januari 2021"),
            "contact_after_exploitation": (
                False,
                "Milan heeft na de aanhouding geen contact meer met de verdachte gehad.",
            ),
            "perpetrators": ["P1"],
        }
    ],
    "identifiers": [
        ("Milan de Boer", "person"),
        ("Milan", "person"),
        ("Stefan Mulder", "person"),
        ("Stefan M.", "person"),
        ("23 februari 2005", "birth_date"),
        ("Berkenhof 8, 8024 TR Zwolle", "address"),
        ("06-29384756", "phone"),
        ("stefanm.gamer@gmail.com", "email"),
    ],
    "phenomena": [
        "male victim",
        "webcam",
        "conflicting statements on first contact (TikTok vs sports club): "
        "channel, platform, date and knew-before null",
        "negation: 'er is niet gebleken van verslaving'",
        "known to care (ggz)",
        "police history not mentioned",
        "contact after: no",
    ],
}

CASES[6] = {
    "year_start": (2022, "Op [[20 januari 2022]] moest"),
    "perpetrators": [
        {
            "label": "Youssef Amrani",
            "age_at_start": (24, "8 oktober 1997", "Op [[20 januari 2022]] moest"),
            "gender": ("male", "[[Hij]] reed in een zwarte Audi"),
            "has_diploma": (False, "hij heeft geen startkwalificatie"),
            "has_addiction": (True, "gaf zelf aan daaraan verslaafd te zijn"),
            "addiction_types": (
                ["cannabis"],
                "Hij gebruikte dagelijks cannabis en gaf zelf aan daaraan verslaafd te zijn",
            ),
            "known_to_police_before": (
                True,
                "stond eerder onder toezicht van de reclassering na een veroordeling voor heling",
            ),
        }
    ],
    "victims": [
        {
            "label": "Fleur Jacobs",
            "age_at_start": (18, "Fleur was toen achttien jaar oud."),
            "gender": ("female", "[[Zij]] leerde Youssef A. op 12 januari"),
            "living_situation": ("independent", "woonde zelfstandig in een studio in Utrecht"),
            "knew_perpetrator_before": (False, "Zij kende hem niet."),
            "first_contact_channel": ("online", "via de datingapp Badoo"),
            "first_contact_platform": ("dating_app", "via de datingapp Badoo"),
            "first_contact_date": ("2022-01-12", "12 januari 2022"),
            "first_forced_date": ("2022-01-20", "Op [[20 januari 2022]] moest"),
            "recruitment_days": (8, "12 januari 2022", "Op [[20 januari 2022]] moest"),
            "perpetrators": ["P1"],
        },
        {
            "label": "Aisha Karimi",
            "age_at_start": (16, "de toen 16-jarige Aisha"),
            "gender": ("female", "[[Zij]] leerde Youssef A. eind februari"),
            "living_situation": ("with_parents", "woonde bij haar vader in Amersfoort"),
            "knew_perpetrator_before": (False, "Aisha kende hem daarvoor niet."),
            "first_contact_channel": ("offline", "via haar nicht"),
            "first_contact_platform": ("via_family", "via haar nicht"),
            "first_contact_date": ("2022-02", "eind februari 2022"),
            "first_forced_date": ("2022-03", "Begin maart 2022"),
            "contact_after_exploitation": (
                True,
                "Aisha heeft na haar vertrek nog enkele maanden contact gehad met Youssef A.",
            ),
            "perpetrators": ["P1"],
        },
        {
            "label": "Demi Smit",
            "gender": ("female", "[[Zij]] sprak Youssef A."),
            "living_situation": ("homeless", "in een daklozenopvang in Utrecht"),
            "first_contact_channel": ("offline", "op het station"),
            "first_contact_platform": ("public_place", "op het station"),
            "first_contact_date": ("2022", "in de zomer van 2022", "in die zomer"),
            "contact_after_exploitation": (False, "Demi heeft geen contact meer met de verdachte."),
            "perpetrators": ["P1"],
        },
    ],
    "identifiers": [
        ("Youssef Amrani", "person"),
        ("Youssef A.", "person"),
        ("Fleur Jacobs", "person"),
        ("Fleur", "person"),
        ("Aisha Karimi", "person"),
        ("Aisha", "person"),
        ("Demi Smit", "person"),
        ("Demi", "person"),
        ("8 oktober 1997", "birth_date"),
        ("12-XKL-3", "licence_plate"),
        ("NL69 ABNA 2086 6019 17", "iban"),
    ],
    "phenomena": [
        "one perpetrator, three victims",
        "dating app (Badoo)",
        "via her cousin (nicht): via_family",
        "at the station: public_place",
        "living: independent, with father, homeless shelter",
        "uncertainty: 'volgens eigen zeggen geen schulden', 'vermoedelijk kende zij hem'",
        "date: 'in de zomer van 2022' (year only)",
        "first forced work not established: null",
        "reclassering as justice contact",
    ],
}

CASES[7] = {
    "year_start": (2020, "23 november 2020"),
    "perpetrators": [
        {
            "label": "Ronald Peters",
            "age_at_start": (34, "30 maart 1986", "23 november 2020"),
            "gender": ("male", "[[Hij]] had geen schulden"),
            "has_diploma": (True, "Ronald P. heeft een mbo-4 diploma"),
            "has_debts": (False, "Hij had geen schulden"),
            "has_addiction": (True, "sprake van een alcoholverslaving"),
            "addiction_types": (["alcohol"], "sprake van een alcoholverslaving"),
            "known_to_police_before": (
                False,
                "was niet eerder met politie of justitie in aanraking gekomen",
            ),
            "known_to_care_before": (False, "was niet bekend bij hulpverleningsinstanties"),
        }
    ],
    "victims": [
        {
            "label": "Kimberley Vos",
            "age_at_start": (21, "Zij was toen 21 jaar."),
            "gender": ("female", "Zij was toen 21 jaar."),
            "living_situation": ("independent", "woonde zelfstandig in een huurwoning in Arnhem"),
            "knew_perpetrator_before": (False, "Zij kende hem niet eerder."),
            "first_contact_channel": ("online", "via Facebook"),
            "first_contact_platform": ("facebook", "via Facebook"),
            "first_contact_date": ("2020-11-06", "vrijdag 6 november 2020"),
            "first_forced_date": ("2020-11-23", "23 november 2020"),
            "recruitment_days": (17, "vrijdag 6 november 2020", "23 november 2020"),
            "perpetrators": ["P1"],
        }
    ],
    "identifiers": [
        ("Kimberley Vos", "person"),
        ("Kimberley", "person"),
        ("Ronald Peters", "person"),
        ("Ronald P.", "person"),
        ("30 maart 1986", "birth_date"),
        ("Kastanjehof 41, 6843 BL Arnhem", "address"),
        ("06 15 47 82 90", "phone"),
    ],
    "phenomena": [
        "Facebook",
        "older perpetrator (34)",
        "date with weekday ('vrijdag 6 november 2020')",
        "living: independent",
        "negations: no debts, not known to police or care",
        "addiction: alcohol",
        "diploma: mbo-4",
        "contact after not settled",
    ],
}

CASES[8] = {
    "year_start": (2019, "In november 2019"),
    "perpetrators": [
        {
            "label": "Priscilla Rozendaal",
            "age_at_start": (18, "3 december 2000", "In november 2019"),
            "gender": ("female", "[[Zij]] woonde in 2019"),
            "has_diploma": (False, "Priscilla R. heeft geen diploma."),
            "known_to_care_before": (True, "bekend bij jeugdzorg sinds haar twaalfde"),
        },
        {
            "label": "Enrique Martina",
            "age_at_start": (23, "17-04-1996", "In november 2019"),
            "gender": ("male", "[[Hij]] was verslaafd"),
            "has_diploma": (False, "Hij had geen startkwalificatie."),
            "has_debts": (True, "had forse schulden"),
            "has_addiction": (True, "verslaafd aan cocaïne en cannabis"),
            "addiction_types": (["cannabis", "cocaine"], "verslaafd aan cocaïne en cannabis"),
            "known_to_police_before": (True, "Enrique M. had een strafblad"),
        },
    ],
    "victims": [
        {
            "label": "Sanne Kuipers",
            "age_at_start": (15, "vijftien jaar oud ten tijde van de feiten"),
            "gender": ("female", "werd [[zij]] door agenten aangetroffen"),
            "living_situation": (
                "care_institution",
                "woonde in dezelfde jeugdzorginstelling als Priscilla R.",
            ),
            "knew_perpetrator_before": (
                True,
                "leerden elkaar in de zomer van 2019 kennen op de groep van de instelling "
                "en raakten bevriend",
            ),
            "first_contact_channel": ("offline", "kennen op de groep van de instelling"),
            "first_contact_platform": ("care_institution", "kennen op de groep van de instelling"),
            "first_contact_date": ("2019", "in de zomer van 2019"),
            "first_forced_date": ("2019-11", "In november 2019"),
            "perpetrators": ["P1", "P2"],
        }
    ],
    "identifiers": [
        ("Priscilla Rozendaal", "person"),
        ("Priscilla R.", "person"),
        ("Priscilla", "person"),
        ("Enrique Martina", "person"),
        ("Enrique M.", "person"),
        ("Sanne Kuipers", "person"),
        ("Sanne", "person"),
        ("3 december 2000", "birth_date"),
        ("17-04-1996", "birth_date"),
        ("06-70051928", "phone"),
    ],
    "phenomena": [
        "female recruiter living in the same institution",
        "first contact in the youth-care institution",
        "knew before: yes (friends before recruitment)",
        "'na ongeveer een week': no recruitment_days",
        "two addiction types",
        "contact after not settled",
    ],
}

CASES[9] = {
    "year_start": (2020, "Op [[1 juni 2020]] moest"),
    "perpetrators": [
        {
            "label": "Ilias Benali",
            "age_at_start": (22, "28 januari 1998", "Op [[1 juni 2020]] moest"),
            "gender": ("male", "[[Hij]] had ten tijde van de feiten gokschulden"),
            "has_diploma": (True, "Hij heeft zijn mbo-2 opleiding tot verkoopmedewerker afgerond."),
            "has_debts": (True, "gokschulden van enkele duizenden euro's"),
            "has_addiction": (True, "al jaren gokverslaafd"),
            "addiction_types": (["gambling"], "al jaren gokverslaafd"),
            "known_to_police_before": (True, "Ilias B. was eerder bekend bij de politie"),
        },
        {
            "label": "Thomas Brouwer",
            "age_at_start": (27, "7 juli 1992", "Op [[1 juni 2020]] moest"),
            "gender": ("male", "[[Hij]] was niet eerder met politie"),
            "has_debts": (False, "Thomas B. had geen schulden."),
            "has_addiction": (False, "Er is niet gebleken van verslaving."),
            "known_to_police_before": (
                False,
                "Hij was niet eerder met politie in aanraking gekomen.",
            ),
        },
    ],
    "victims": [
        {
            "label": "Romy Bosman",
            "age_at_start": (17, "12 mei 2003", "Op [[1 juni 2020]] moest"),
            "gender": ("female", "[[Zij]] kende hem niet."),
            "living_situation": (
                "care_institution",
                "verbleef in het voorjaar van 2020 in een gesloten jeugdzorginstelling",
            ),
            "knew_perpetrator_before": (False, "Zij kende hem niet."),
            "first_contact_channel": ("offline", "Op dat feestje, op 16 mei 2020"),
            "first_contact_platform": ("social_event", "Op dat feestje, op 16 mei 2020"),
            "first_contact_date": ("2020-05-16", "16 mei 2020"),
            "first_forced_date": ("2020-06-01", "Op [[1 juni 2020]] moest"),
            "recruitment_days": (16, "16 mei 2020", "Op [[1 juni 2020]] moest"),
            "contact_after_exploitation": (
                True,
                "Na haar terugplaatsing bleef zij contact houden met Ilias B.",
            ),
            "perpetrators": ["P1", "P2"],
        }
    ],
    "identifiers": [
        ("Romy Bosman", "person"),
        ("Romy", "person"),
        ("Ilias Benali", "person"),
        ("Ilias B.", "person"),
        ("Thomas Brouwer", "person"),
        ("Thomas B.", "person"),
        ("12 mei 2003", "birth_date"),
        ("28 januari 1998", "birth_date"),
        ("7 juli 1992", "birth_date"),
        ("Molenstraat 9, 3311 ZX Dordrecht", "address"),
        ("NL55 INGB 6011 1113 40", "iban"),
    ],
    "phenomena": [
        "two perpetrators, one with debts and one without",
        "first contact at a party",
        "later contact on Instagram is not the first contact",
        "victim age from date of birth and start date",
        "diploma: mbo-2 completed",
        "addiction: gambling",
        "negations: no debts, no addiction, no police contact",
        "contact after: yes",
    ],
}

CASES[10] = {
    "year_start": (2021, "05-02-2021"),
    "perpetrators": [
        {
            "label": "Mitchell van den Berg",
            "age_at_start": (21, "11 november 1999", "05-02-2021"),
            "gender": ("male", "[[Hij]] woonde bij zijn ouders"),
            "has_diploma": (False, "Mitchell v.d.B. heeft geen diploma"),
            "known_to_police_before": (True, "Hij was eerder bekend bij de politie"),
            "known_to_care_before": (True, "had hij een traject bij jeugdzorg"),
        }
    ],
    "victims": [
        {
            "label": "Tessa Meijer",
            "age_at_start": (18, "was ten tijde van de werving 18 jaar oud"),
            "gender": ("female", "[[Zij]] had haar havo-diploma"),
            "living_situation": ("with_parents", "woonde bij haar ouders in Den Haag"),
            "knew_perpetrator_before": (False, "Zij kende hem niet."),
            "first_contact_channel": ("online", "een eerste bericht via WhatsApp"),
            "first_contact_platform": ("whatsapp", "een eerste bericht via WhatsApp"),
            "first_contact_date": ("2021-02-02", "02-02-2021"),
            "first_forced_date": ("2021-02-05", "05-02-2021"),
            "recruitment_days": (3, "02-02-2021", "05-02-2021"),
            "contact_after_exploitation": (
                False,
                "geen contact meer gehad met de verdachte",
            ),
            "perpetrators": ["P1"],
        }
    ],
    "identifiers": [
        ("Mitchell van den Berg", "person"),
        ("Mitchell v.d.B.", "person"),
        ("Tessa Meijer", "person"),
        ("Tessa", "person"),
        ("11 november 1999", "birth_date"),
        ("45-TRJ-7", "licence_plate"),
        ("06-52718390", "phone"),
    ],
    "phenomena": [
        "WhatsApp after a friend passed on the number: online, not via_friend",
        "date: dd-mm-yyyy",
        "conflicting statements on drug use: addiction null",
        "unconfirmed debt: null",
        "victim with havo diploma (not coded for victims)",
        "contact after: no",
    ],
}

CASES[11] = {
    "year_start": (2018, "Begin 2018"),
    "perpetrators": [
        {
            "label": "Brian Visser",
            "age_at_start": (19, "De toen negentienjarige verdachte"),
            "gender": ("male", "op [[zijn]] zwijgrecht"),
            "known_to_police_before": (
                True,
                "wel was hij als minderjarige een keer aangehouden voor winkeldiefstal",
            ),
        }
    ],
    "victims": [
        {
            "label": "Esmee Dekker",
            "gender": ("female", "[[Haar]] leeftijd"),
            "knew_perpetrator_before": (False, "leerde de verdachte eind 2017 kennen"),
            "first_contact_channel": ("offline", "kennen op het schoolplein"),
            "first_contact_platform": ("school", "kennen op het schoolplein"),
            "first_contact_date": ("2017", "leerde de verdachte [[eind 2017]] kennen"),
            "first_forced_date": ("2018", "Begin 2018"),
            "perpetrators": ["P1"],
        }
    ],
    "identifiers": [
        ("Brian Visser", "person"),
        ("Esmee Dekker", "person"),
        ("Esmee", "person"),
    ],
    "phenomena": [
        "little information, many nulls",
        "first contact at school",
        "dates: 'eind 2017', 'begin 2018' (year only)",
        "age in words ('negentienjarige')",
        "conflicting victim age (15 or 16): null",
        "police: arrested as a minor without conviction",
        "contact after not investigated: null",
    ],
}

CASES[12] = {
    "year_start": (2019, "zaterdag 14 september 2019"),
    "perpetrators": [
        {
            "label": "Jordi Claassen",
            "age_at_start": (
                26,
                "25 april 1993",
                "zaterdag 14 september 2019",
                "Twee dagen later",
            ),
            "gender": ("male", "[[Hij]] zei dat zij hem"),
            "has_diploma": (True, "Jordi C. heeft de havo afgerond"),
            "has_debts": (
                True,
                "uit financieel onderzoek blijkt een schuld van ruim twintigduizend euro",
            ),
            "known_to_police_before": (True, "Jordi C. was eerder bekend bij de politie"),
        }
    ],
    "victims": [
        {
            "label": "Naomi Groen",
            "age_at_start": (22, "ten tijde van de feiten 22 jaar oud"),
            "gender": ("female", "[[Zij]] was ten tijde van de feiten"),
            "living_situation": ("independent", "woonde zelfstandig in een appartement in Utrecht"),
            "knew_perpetrator_before": (False, "Zij kende hem niet."),
            "first_contact_channel": ("online", "via Tinder"),
            "first_contact_platform": ("dating_app", "via Tinder"),
            "first_contact_date": ("2019-09-14", "zaterdag 14 september 2019"),
            "first_forced_date": ("2019-09-16", "zaterdag 14 september 2019", "Twee dagen later"),
            "recruitment_days": (2, "Twee dagen later"),
            "contact_after_exploitation": (
                False,
                "Na haar vertrek heeft zij geen contact meer met hem gehad.",
            ),
            "perpetrators": ["P1"],
        }
    ],
    "identifiers": [
        ("Naomi Groen", "person"),
        ("Naomi", "person"),
        ("Jordi Claassen", "person"),
        ("Jordi C.", "person"),
        ("4 augustus 1997", "birth_date"),
        ("25 april 1993", "birth_date"),
        ("Spoorsingel 63, 3582 BD Utrecht", "address"),
        ("988452790", "bsn"),
        ("jordi.c.events@hotmail.com", "email"),
        ("NL95 KNAB 9515 1664 41", "iban"),
    ],
    "phenomena": [
        "dating app (Tinder)",
        "'twee dagen later'",
        "conflict resolved by evidence: denies debts, financial investigation shows debts",
        "occasional cocaine use without established addiction: null",
        "diploma: havo completed",
        "contact after: no",
    ],
}

CASES[13] = {
    "year_start": (2021, "Op 24 oktober 2021"),
    "perpetrators": [
        {
            "label": "Damian Veenstra",
            "age_at_start": (20, "de toen 20-jarige hoofdverdachte"),
            "gender": ("male", "[[Hij]] heeft geen startkwalificatie"),
            "has_diploma": (False, "Hij heeft geen startkwalificatie."),
            "has_debts": (True, "Hij had schulden bij een telefoonprovider"),
            "known_to_police_before": (True, "Hij was bekend bij de politie"),
        },
        {
            "label": "Nordin Haddou",
            "age_at_start": (22, "22 jaar ten tijde van de feiten"),
            "gender": ("male", "[[Hij]] verklaarde dat hij geen schulden had"),
            "has_debts": (
                False,
                "dit wordt bevestigd door het financieel onderzoek",
                "Hij verklaarde dat hij geen schulden had",
            ),
            "has_addiction": (True, "Hij was verslaafd aan lachgas."),
            "addiction_types": (["other"], "Hij was verslaafd aan lachgas."),
            "known_to_police_before": (
                False,
                "Hij was niet eerder met politie in aanraking gekomen.",
            ),
        },
        {
            "label": "Lars Timmermans",
            "gender": ("male", "[[Hij]] is vermoedelijk begin dertig"),
            "known_to_police_before": (True, "dat hij eerder is veroordeeld"),
        },
    ],
    "victims": [
        {
            "label": "Yasmin Ouali",
            "age_at_start": (16, "Yasmin was toen zestien jaar."),
            "gender": ("female", "twee meisjes"),
            "living_situation": (
                "care_institution",
                "twee meisjes uit dezelfde open jeugdzorginstelling",
            ),
            "knew_perpetrator_before": (False, "Zij kende hem niet."),
            "first_contact_channel": ("online", "via Snapchat"),
            "first_contact_platform": ("snapchat", "via Snapchat"),
            "first_contact_date": ("2021-10-21", "21 oktober 2021"),
            "first_forced_date": ("2021-10-24", "24 oktober 2021"),
            "recruitment_days": (3, "21 oktober 2021", "24 oktober 2021"),
            "contact_after_exploitation": (
                False,
                "Zij heeft na haar vertrek geen contact meer gehad met de verdachten.",
            ),
            "perpetrators": ["P1", "P2", "P3"],
        },
        {
            "label": "Jill Kramer",
            "age_at_start": (17, "Jill was zeventien jaar oud toen zij in november 2021"),
            "gender": ("female", "twee meisjes"),
            "living_situation": (
                "care_institution",
                "twee meisjes uit dezelfde open jeugdzorginstelling",
                "Jill woonde op dezelfde groep als Yasmin",
            ),
            "knew_perpetrator_before": (False, "Zij kende hem daarvoor niet."),
            "first_contact_channel": ("offline", "via Yasmin, in de instelling"),
            "first_contact_date": ("2021-11", "begin november 2021"),
            "first_forced_date": ("2021-11", "toen zij [[in november 2021]] voor het eerst"),
            "contact_after_exploitation": (
                True,
                "Jill is na de uitbuiting nog maanden in contact gebleven met Nordin H.",
            ),
            "perpetrators": ["P1", "P2", "P3"],
        },
    ],
    "identifiers": [
        ("Damian Veenstra", "person"),
        ("Damian V.", "person"),
        ("Nordin Haddou", "person"),
        ("Nordin H.", "person"),
        ("Lars Timmermans", "person"),
        ("Lars T.", "person"),
        ("Yasmin Ouali", "person"),
        ("Yasmin", "person"),
        ("Jill Kramer", "person"),
        ("Jill", "person"),
        ("HX-902-L", "licence_plate"),
    ],
    "phenomena": [
        "three perpetrators, two victims",
        "debts denied and confirmed by investigation: false",
        "addiction: laughing gas (other)",
        "'vermoedelijk begin dertig': age null",
        "jeugdreclassering as justice contact",
        "met via a fellow resident in the institution: "
        "platform not settled (via_friend or care_institution)",
        "contact after: one no, one yes",
    ],
}

CASES[14] = {
    "year_start": (2021, "half oktober 2021"),
    "perpetrators": [
        {
            "label": "Sven Dijkman",
            "age_at_start": (20, "16-01-2001", "half oktober 2021"),
            "gender": ("male", "[[Hij]] stuurde haar dezelfde dag"),
            "has_diploma": (
                True,
                "Sven D. heeft zijn mbo-2 opleiding tot medewerker beveiliging afgerond.",
            ),
            "has_debts": (False, "Hij had geen schulden."),
            "known_to_police_before": (
                False,
                "Hij had geen strafblad en was niet eerder als verdachte bij de politie in beeld.",
            ),
            "known_to_care_before": (True, "was als kind bekend bij de jeugdbescherming"),
        }
    ],
    "victims": [
        {
            "label": "Mila Willems",
            "age_at_start": (14, "De toen 14-jarige Mila"),
            "gender": ("female", "[[Zij]] was bekend bij Veilig Thuis"),
            "living_situation": ("homeless", "van huis weggelopen en sliep op straat"),
            "knew_perpetrator_before": (False, "Mila kende hem niet."),
            "first_contact_channel": (
                "online",
                "stuurde haar dezelfde dag een bericht via Snapchat",
            ),
            "first_contact_platform": (
                "snapchat",
                "stuurde haar dezelfde dag een bericht via Snapchat",
            ),
            "first_contact_date": ("2021-10", "half oktober 2021"),
            "first_forced_date": ("2021-10", "na ongeveer een week", "30 oktober 2021"),
            "contact_after_exploitation": (False, "Mila heeft niet gereageerd."),
            "perpetrators": ["P1"],
        }
    ],
    "identifiers": [
        ("Mila Willems", "person"),
        ("Mila", "person"),
        ("Sven Dijkman", "person"),
        ("Sven D.", "person"),
        ("9 april 2007", "birth_date"),
        ("16-01-2001", "birth_date"),
        ("Tulpstraat 15, 5612 AC Eindhoven", "address"),
        ("06-38475610", "phone"),
    ],
    "phenomena": [
        "friend passed on the Snapchat name: online (Snapchat), not via_friend",
        "living: runaway, sleeping rough (homeless)",
        "young victim (14)",
        "'na ongeveer een week': month only, no recruitment_days",
        "occasional cannabis use 'volgens eigen zeggen': addiction null",
        "contact attempted by perpetrator, victim did not respond: false",
        "Veilig Thuis (victim), jeugdbescherming (perpetrator)",
    ],
}

CASES[15] = {
    "year_start": (2020, "in het voorjaar van 2020"),
    "perpetrators": [
        {
            "label": "Orlando Sedney",
            "gender": ("male", "[[Hij]] woonde in Rotterdam-Zuid"),
            "has_debts": (True, "Hij had schulden bij het CJIB"),
            "has_addiction": (False, "Hij is niet verslaafd"),
            "known_to_police_before": (True, "Orlando S. was bekend bij de politie"),
        }
    ],
    "victims": [
        {
            "label": "Eva Hermans",
            "age_at_start": (17, "19-12-2002", "in het voorjaar van 2020"),
            "gender": ("female", "dat [[zij]] dit zelf wilde"),
            "living_situation": ("independent", "woonde in 2020 zelfstandig op een kamer"),
            "knew_perpetrator_before": (False, "Eva kende hem daarvoor niet."),
            "first_contact_channel": ("online", "via Instagram"),
            "first_contact_platform": ("instagram", "via Instagram"),
            "first_contact_date": ("2020-01", "in januari 2020"),
            "first_forced_date": ("2020", "in het voorjaar van 2020"),
            "contact_after_exploitation": (
                True,
                "Na haar vertrek bleef Eva contact houden met Orlando S.",
            ),
            "perpetrators": ["P1"],
        }
    ],
    "identifiers": [
        ("Orlando Sedney", "person"),
        ("Orlando S.", "person"),
        ("Eva Hermans", "person"),
        ("Eva", "person"),
        ("19-12-2002", "birth_date"),
        ("06-19283746", "phone"),
    ],
    "phenomena": [
        "conflicting statements on the month of first forced work: year only",
        "victim age computable from date of birth and 'voorjaar'",
        "birth year only: perpetrator age null",
        "negation: 'is niet verslaafd'",
        "bewindvoerder (debts)",
        "contact after: yes",
    ],
}

CASES[16] = {
    "year_start": (2021, "Op 4 september 2021"),
    "perpetrators": [
        {
            "label": "Patricia Lambert",
            "age_at_start": (
                27,
                "27 september 1993",
                "in de zomer van 2021",
                "Op 4 september 2021",
            ),
            "gender": ("female", "[[Zij]] is de enige verdachte"),
            "has_diploma": (False, "mbo-1 diploma (entreeopleiding)"),
            "has_debts": (True, "een schuld van circa negenduizend euro"),
            "has_addiction": (False, "Er is niet gebleken van verslaving."),
            "known_to_police_before": (True, "Zij was eerder bekend bij de politie"),
            "known_to_care_before": (True, "bekend bij het maatschappelijk werk van de gemeente"),
        }
    ],
    "victims": [
        {
            "label": "Britt Schouten",
            "age_at_start": (17, "30-06-2004", "Op 4 september 2021"),
            "gender": ("female", "[[Zij]] kende haar niet."),
            "living_situation": ("other", "woonde bij haar grootmoeder in Middelburg"),
            "knew_perpetrator_before": (False, "Zij kende haar niet."),
            "first_contact_channel": ("online", "via de chatfunctie van een online game"),
            "first_contact_platform": ("other_online", "via de chatfunctie van een online game"),
            "first_contact_date": ("2021", "in de zomer van 2021"),
            "first_forced_date": ("2021-09-04", "Op 4 september 2021"),
            "contact_after_exploitation": (
                False,
                "Na de aangifte heeft zij geen contact meer gehad met Patricia L.",
            ),
            "perpetrators": ["P1"],
        }
    ],
    "identifiers": [
        ("Patricia Lambert", "person"),
        ("Patricia L.", "person"),
        ("Britt Schouten", "person"),
        ("Britt", "person"),
        ("27 september 1993", "birth_date"),
        ("30-06-2004", "birth_date"),
        ("Havenweg 4, 4381 LM Vlissingen", "address"),
        ("p.lambert93@live.nl", "email"),
        ("NL22 TRIO 4944 5622 26", "iban"),
    ],
    "phenomena": [
        "female sole perpetrator",
        "online game chat: other_online",
        "later move to WhatsApp and first meeting are not the first contact",
        "living: with grandmother (other)",
        "diploma: mbo-1 only (no startkwalificatie)",
        "social work of the municipality as care",
        "contact after: no",
    ],
}

CASES[17] = {
    "year_start": (2019, "6 december 2019"),
    "perpetrators": [
        {
            "label": "Mohamed Ait Taleb",
            "age_at_start": (29, "20 juni 1990", "in het najaar van 2019", "6 december 2019"),
            "gender": ("male", "[[Hij]] woonde in Deventer"),
            "has_debts": (True, "schulden bij diverse instanties"),
            "has_addiction": (True, "Hij was verslaafd aan alcohol"),
            "addiction_types": (["alcohol"], "Hij was verslaafd aan alcohol"),
            "known_to_police_before": (True, "Mohamed A.T. was eerder bekend bij de politie"),
        }
    ],
    "victims": [
        {
            "label": "Kelly Verbeek",
            "age_at_start": (20, "Zij was toen twintig jaar oud."),
            "gender": ("female", "Zij was toen twintig jaar oud."),
            "living_situation": (
                "care_institution",
                "woonde in een woonvoorziening voor jongvolwassenen met een licht verstandelijke "
                "beperking",
            ),
            "first_forced_date": ("2019-12-06", "6 december 2019"),
            "contact_after_exploitation": (
                True,
                "Na haar vertrek heeft Kelly nog geruime tijd contact gehad met Mohamed A.T.",
            ),
            "perpetrators": ["P1"],
        }
    ],
    "identifiers": [
        ("Kelly Verbeek", "person"),
        ("Kelly", "person"),
        ("Mohamed Ait Taleb", "person"),
        ("Mohamed A.T.", "person"),
        ("1 februari 1999", "birth_date"),
        ("20 juni 1990", "birth_date"),
        ("+31 6 47 29 18 03", "phone"),
    ],
    "phenomena": [
        "Facebook claimed by victim, earlier offline meeting claimed by suspect: "
        "channel, platform, knew-before null",
        "living: residential care for mild intellectual disability (care institution)",
        "gambling without established gambling addiction: only alcohol coded",
        "phone number in international format",
        "contact after: yes",
    ],
}

CASES[18] = {
    "year_start": (2020, "3-3-2020"),
    "perpetrators": [
        {
            "label": "Anouar Bouzid",
            "age_at_start": (18, "2 maart 2002", "3-3-2020"),
            "gender": ("male", "[[Hij]] heeft geen diploma"),
            "has_diploma": (False, "Hij heeft geen diploma."),
            "has_addiction": (True, "stelde een cannabisverslaving vast"),
            "addiction_types": (["cannabis"], "stelde een cannabisverslaving vast"),
            "known_to_police_before": (True, "Anouar B. was eerder bekend bij de politie"),
            "known_to_care_before": (
                True,
                "was ten tijde van de feiten zelf nog in behandeling bij een jeugdzorgaanbieder",
            ),
        }
    ],
    "victims": [
        {
            "label": "Roos Hendriks",
            "age_at_start": (
                15,
                "15 augustus 2004",
                "3-3-2020",
                "Drie dagen na dat eerste gesprek",
            ),
            "gender": ("female", "[[Zij]] had een geschiedenis van weglopen"),
            "living_situation": (
                "care_institution",
                "woonde sinds haar dertiende in een open jeugdzorginstelling",
            ),
            "knew_perpetrator_before": (False, "Roos kende hem niet."),
            "first_contact_channel": ("offline", "sprak hij Roos daar voor het eerst aan"),
            "first_contact_platform": ("care_institution", "kwam regelmatig bij de instelling"),
            "first_contact_date": ("2020-03-03", "3-3-2020"),
            "first_forced_date": ("2020-03-06", "3-3-2020", "Drie dagen na dat eerste gesprek"),
            "recruitment_days": (3, "Drie dagen na dat eerste gesprek"),
            "perpetrators": ["P1"],
        }
    ],
    "identifiers": [
        ("Anouar Bouzid", "person"),
        ("Anouar B.", "person"),
        ("Roos Hendriks", "person"),
        ("Roos", "person"),
        ("2 maart 2002", "birth_date"),
        ("15 augustus 2004", "birth_date"),
        ("NL04 INGB 1034 1648 66", "iban"),
        ("S-471-KN", "licence_plate"),
    ],
    "phenomena": [
        "first contact at the youth-care institution (perpetrator visiting)",
        "date: d-m-yyyy",
        "'drie dagen na' an exact date",
        "perpetrator turned 18 the day before: age from date of birth",
        "self-reported debts ('volgens zijn eigen verklaring', 'zouden'): null",
        "perpetrator in youth care at the time",
        "conflicting statements on contact after: null",
    ],
}

CASES[19] = {
    "year_start": (2018, "In september 2018"),
    "perpetrators": [
        {
            "label": "Jesse Wijnberg",
            "age_at_start": (19, "bij aanvang van de feiten negentien jaar oud"),
            "gender": ("male", "[[Hij]] heeft geen diploma"),
            "has_diploma": (False, "Hij heeft geen diploma"),
            "has_debts": (True, "Hij had een studieschuld"),
            "known_to_police_before": (
                False,
                "Jesse W. was niet eerder met politie in aanraking gekomen.",
            ),
            "known_to_care_before": (True, "Hij was als minderjarige bekend bij de jeugdzorg."),
        },
        {
            "label": "Ricardo Wijnberg",
            "age_at_start": (27, "5 oktober 1990", "In september 2018"),
            "gender": ("male", "[[Hij]] heeft een mbo-4 diploma"),
            "has_diploma": (True, "Hij heeft een mbo-4 diploma."),
            "has_debts": (False, "had geen schulden en had een eigen bedrijf"),
            "has_addiction": (False, "Er is niet gebleken van verslaving."),
            "known_to_police_before": (True, "Ricardo W. had een strafblad"),
        },
    ],
    "victims": [
        {
            "label": "Lotte Bakker",
            "age_at_start": (16, "ten tijde van de eerste uitbuiting zestien jaar oud"),
            "gender": ("female", "[[Zij]] was ten tijde van de eerste uitbuiting"),
            "living_situation": ("with_parents", "woonde bij haar vader en stiefmoeder"),
            "knew_perpetrator_before": (False, "Zij kende hem niet."),
            "first_contact_channel": ("online", "via TikTok in contact"),
            "first_contact_platform": ("tiktok", "via TikTok in contact"),
            "first_contact_date": ("2018", "in de zomer van 2018"),
            "first_forced_date": ("2018-09", "In september 2018"),
            "contact_after_exploitation": (
                False,
                "Zij heeft daarna geen contact meer met hen gehad.",
            ),
            "perpetrators": ["P1", "P2"],
        }
    ],
    "identifiers": [
        ("Lotte Bakker", "person"),
        ("Lotte", "person"),
        ("Jesse Wijnberg", "person"),
        ("Jesse W.", "person"),
        ("Ricardo Wijnberg", "person"),
        ("Ricardo W.", "person"),
        ("5 oktober 1990", "birth_date"),
        ("7-KTB-44", "licence_plate"),
    ],
    "phenomena": [
        "TikTok",
        "two perpetrators (cousins), one with debts and one without",
        "living: father and stepmother (with_parents)",
        "conflicting sources on addiction (mother vs reclassering): null",
        "mbo-2 not completed: no diploma",
        "date: 'in de zomer van 2018' and 'in september 2018'",
        "contact after: no",
    ],
}

CASES[20] = {
    "year_start": (2022, "op 16 juni 2022"),
    "perpetrators": [
        {
            "label": "Gerrit Smeets",
            "age_at_start": (27, "8 februari 1995", "op 16 juni 2022"),
            "gender": ("male", "[[Hij]] woonde aan de"),
            "has_diploma": (True, "mbo-3 diploma in de bouw"),
            "has_debts": (True, "Gerrit S. had schulden"),
            "known_to_police_before": (
                False,
                "Hij was niet eerder met de politie in aanraking gekomen",
            ),
            "known_to_care_before": (False, "was niet bekend bij hulpverlening"),
        }
    ],
    "victims": [
        {
            "label": "Sophie Mertens",
            "age_at_start": (18, "achttien jaar oud, was ten tijde van de werving dakloos"),
            "gender": ("female", "[[Zij]] was enkele maanden eerder"),
            "living_situation": ("homeless", "was ten tijde van de werving dakloos"),
            "knew_perpetrator_before": (False, "Sophie kende hem daarvoor niet."),
            "first_contact_channel": ("offline", "via een vriendin, die hem kende van haar werk"),
            "first_contact_platform": (
                "via_friend",
                "via een vriendin, die hem kende van haar werk",
            ),
            "first_contact_date": ("2022-06-10", "10 juni 2022"),
            "first_forced_date": ("2022-06-16", "op 16 juni 2022"),
            "recruitment_days": (6, "Zes dagen later"),
            "perpetrators": ["P1"],
        }
    ],
    "identifiers": [
        ("Sophie Mertens", "person"),
        ("Sophie", "person"),
        ("Gerrit Smeets", "person"),
        ("Gerrit S.", "person"),
        ("8 februari 1995", "birth_date"),
        ("Wolfskuilseweg 210, 6542 KX Nijmegen", "address"),
        ("06-24681357", "phone"),
    ],
    "phenomena": [
        "met through a friend (offline, via_friend)",
        "living: homeless",
        "'zes dagen later' with both dates",
        "regular cocaine use, addiction not investigated: null",
        "diploma: mbo-3",
        "contact after 'volgens eigen zeggen' never answered: null",
    ],
}

CASES[21] = {
    "year_start": (2021, "Op 2 november 2021"),
    "perpetrators": [
        {
            "label": "Erik Hofman",
            "age_at_start": (38, "de toen 38-jarige eigenaar"),
            "gender": ("male", "[[Hij]] had ten tijde van de feiten forse schulden"),
            "has_diploma": (True, "Erik H. heeft het vwo afgerond"),
            "has_debts": (True, "Hij had ten tijde van de feiten forse schulden"),
            "has_addiction": (False, "Er is niet gebleken van verslaving."),
            "known_to_police_before": (
                False,
                "Erik H. was niet eerder met de politie in aanraking gekomen.",
            ),
        }
    ],
    "victims": [
        {
            "label": "Merel de Groot",
            "age_at_start": (22, "Zij was toen 22 jaar."),
            "gender": ("female", "Zij was toen 22 jaar."),
            "living_situation": ("independent", "woonde zelfstandig in een huurappartement"),
            "knew_perpetrator_before": (True, "kende hem dus al ruim voor de uitbuiting begon"),
            "first_contact_channel": (
                "offline",
                "Merel werkte sinds maart 2021 in de lunchroom van Erik H.",
            ),
            "first_contact_platform": (
                "other_offline",
                "Merel werkte sinds maart 2021 in de lunchroom van Erik H.",
            ),
            "first_forced_date": ("2021-11-02", "Op 2 november 2021"),
            "contact_after_exploitation": (True, "Daarna heeft zij nog contact gehad met Erik H."),
            "perpetrators": ["P1"],
        }
    ],
    "identifiers": [
        ("Erik Hofman", "person"),
        ("Erik H.", "person"),
        ("Merel de Groot", "person"),
        ("Merel", "person"),
        ("14-02-1999", "birth_date"),
        ("Stationslaan 77, 3841 GH Harderwijk", "address"),
        ("erik@lunchroom-de-hof.nl", "email"),
    ],
    "phenomena": [
        "employer as perpetrator, met at work (other_offline)",
        "knew before: yes",
        "start of work ('sinds maart 2021') is not the first-contact date",
        "debt bondage to perpetrator",
        "older perpetrator (38); diploma: vwo",
        "contact after: yes",
    ],
}

CASES[22] = {
    "year_start": (2021, "Op 19 februari 2021"),
    "perpetrators": [
        {
            "label": "Tim van der Meer",
            "age_at_start": (20, "9 september 2000", "Op 19 februari 2021"),
            "gender": ("male", "[[hij]] kwam regelmatig bij hen thuis"),
            "has_diploma": (False, "Tim v.d.M. heeft geen startkwalificatie"),
            "has_debts": (True, "Hij had schulden bij meerdere webwinkels."),
            "known_to_police_before": (True, "Tim v.d.M. was eerder bekend bij de politie"),
            "known_to_care_before": (False, "Hij is niet bekend bij hulpverleningsinstanties."),
        }
    ],
    "victims": [
        {
            "label": "Ilse Jonker",
            "age_at_start": (16, "Ilse was toen zestien jaar."),
            "gender": ("female", "[[Zij]] volgde een opleiding"),
            "living_situation": ("with_parents", "woonde bij haar moeder in Assen"),
            "knew_perpetrator_before": (True, "kende Ilse de verdachte al sinds haar twaalfde"),
            "first_contact_channel": ("offline", "Via haar broer kende Ilse de verdachte"),
            "first_contact_platform": ("via_family", "Via haar broer kende Ilse de verdachte"),
            "first_forced_date": ("2021-02-19", "Op 19 februari 2021"),
            "contact_after_exploitation": (
                False,
                "Ilse heeft daarna geen contact meer gehad met Tim v.d.M.",
            ),
            "perpetrators": ["P1"],
        }
    ],
    "identifiers": [
        ("Ilse Jonker", "person"),
        ("Ilse", "person"),
        ("Tim van der Meer", "person"),
        ("Tim v.d.M.", "person"),
        ("Rick Jonker", "person"),
        ("21 maart 2004", "birth_date"),
        ("9 september 2000", "birth_date"),
        ("NL98 RABO 6405 9692 77", "iban"),
    ],
    "phenomena": [
        "known for years via her brother (via_family), knew before: yes",
        "start of recruitment (12 februari) is not the first contact: no recruitment_days",
        "conflicting statements on addiction: null",
        "diploma: vmbo only (no startkwalificatie)",
        "third person named (brother)",
        "contact after: no",
    ],
}

CASES[23] = {
    "year_start": (2022, "Op 4 oktober 2022"),
    "perpetrators": [
        {
            "label": "Desmond Asante",
            "age_at_start": (24, "13 mei 1998", "Op 4 oktober 2022"),
            "gender": ("male", "[[Hij]] gaf haar eten"),
            "has_diploma": (False, "Desmond A. heeft geen diploma."),
            "known_to_police_before": (True, "hij had een strafblad voor drugshandel"),
            "known_to_care_before": (True, "bij een jeugdhulpaanbieder"),
        }
    ],
    "victims": [
        {
            "label": "Chelsea Brink",
            "age_at_start": (17, "Zij was toen zeventien."),
            "gender": ("female", "[[Zij]] kende hem niet."),
            "living_situation": ("homeless", "in een opvang voor dak- en thuisloze jongeren"),
            "knew_perpetrator_before": (False, "Zij kende hem niet."),
            "first_contact_channel": ("offline", "op straat in de buurt van het Centraal Station"),
            "first_contact_platform": (
                "public_place",
                "op straat in de buurt van het Centraal Station",
            ),
            "first_contact_date": ("2022-10-04", "Op 4 oktober 2022"),
            "first_forced_date": ("2022-10", "na een paar dagen", "op 15 oktober 2022"),
            "contact_after_exploitation": (False, "Zij heeft geen contact meer met de verdachte."),
            "perpetrators": ["P1"],
        }
    ],
    "identifiers": [
        ("Chelsea Brink", "person"),
        ("Chelsea", "person"),
        ("Desmond Asante", "person"),
        ("Desmond A.", "person"),
        ("6 juni 2005", "birth_date"),
        ("13 mei 1998", "birth_date"),
        ("Jan Tooropstraat 150, 1062 BN Amsterdam", "address"),
        ("857629219", "bsn"),
        ("06-11223344", "phone"),
        ("V-827-RD", "licence_plate"),
    ],
    "phenomena": [
        "met in the street near the station (public_place)",
        "living: shelter for homeless youth (homeless)",
        "'na een paar dagen' bounded by an exact later date: month only",
        "'vermoedelijk schulden': null",
        "jeugdreclassering and youth care as prior contacts",
        "contact after: no",
    ],
}

CASES[24] = {
    "year_start": (2023, "Op 18 februari 2023"),
    "perpetrators": [
        {
            "label": "Kevin Bos",
            "age_at_start": (25, "22 december 1997", "in januari 2023", "Op 18 februari 2023"),
            "gender": ("male", "[[Hij]] had geen schulden"),
            "has_diploma": (True, "Hij heeft een havo-diploma."),
            "has_debts": (False, "Hij had geen schulden"),
            "has_addiction": (True, "Hij was verslaafd aan cocaïne."),
            "addiction_types": (["cocaine"], "Hij was verslaafd aan cocaïne."),
            "known_to_police_before": (False, "Kevin B. was niet eerder bij de politie bekend."),
        },
        {
            "label": "Naima Tahiri",
            "age_at_start": (19, "de toen 19-jarige vriendin"),
            "gender": ("female", "[[Zij]] had schulden bij een telecomprovider"),
            "has_diploma": (True, "Zij heeft een mbo-2 diploma in de zorg."),
            "has_debts": (True, "Zij had schulden bij een telecomprovider"),
            "has_addiction": (False, "Zij gebruikte geen drugs."),
            "known_to_police_before": (
                False,
                "Naima T. was niet eerder met politie in aanraking gekomen.",
            ),
            "known_to_care_before": (True, "werd ondersteund door een schuldhulpverlener"),
        },
    ],
    "victims": [
        {
            "label": "Ashley Peeters",
            "age_at_start": (16, "Ashley, zestien jaar oud"),
            "gender": ("female", "[[Zij]] leerde Naima T. kennen op school"),
            "living_situation": ("with_parents", "woonde bij haar ouders in Venlo"),
            "knew_perpetrator_before": (False, "Zij kende haar daarvoor niet."),
            "first_contact_channel": ("offline", "Zij leerde Naima T. kennen op school"),
            "first_contact_platform": ("school", "Zij leerde Naima T. kennen op school"),
            "first_contact_date": ("2023-01", "in januari 2023"),
            "first_forced_date": ("2023-02-18", "Op 18 februari 2023"),
            "contact_after_exploitation": (
                True,
                "Na haar vertrek bleef Ashley contact houden met Naima T.",
            ),
            "perpetrators": ["P1", "P2"],
        },
        {
            "label": "Femke Janssen",
            "age_at_start": (23, "Femke was toen 23 jaar."),
            "gender": ("female", "[[Zij]] kende Kevin B. al jaren"),
            "living_situation": ("independent", "Femke woonde zelfstandig in Venlo."),
            "knew_perpetrator_before": (True, "Zij kende Kevin B. al jaren"),
            "first_contact_channel": ("offline", "zij waren buren geweest"),
            "first_contact_platform": ("other_offline", "zij waren buren geweest"),
            "first_forced_date": ("2023-04-02", "Op 2 april 2023"),
            "perpetrators": ["P1"],
        },
    ],
    "identifiers": [
        ("Kevin Bos", "person"),
        ("Kevin B.", "person"),
        ("Naima Tahiri", "person"),
        ("Naima T.", "person"),
        ("Ashley Peeters", "person"),
        ("Ashley", "person"),
        ("Femke Janssen", "person"),
        ("Femke", "person"),
        ("22 december 1997", "birth_date"),
        ("06-90817263", "phone"),
        ("K-555-XP", "licence_plate"),
    ],
    "phenomena": [
        "two perpetrators, two victims with different perpetrator lists",
        "perpetrator without debts, co-perpetrator with debts",
        "female recruiter met at school (internship)",
        "neighbours: other_offline, knew before: yes",
        "municipal debt counselling as care contact",
        "contact after: one yes, one not settled",
    ],
}

CASES[25] = {
    "year_start": (2022, "Op 9 juli 2022"),
    "perpetrators": [
        {
            "label": "Quincy Doelwijt",
            "age_at_start": (19, "1 april 2003", "26 juni 2022", "Op 9 juli 2022"),
            "gender": ("male", "[[hij]] stuurde haar een bericht"),
            "known_to_police_before": (True, "als minderjarige bekend bij de politie"),
            "known_to_care_before": (True, "bij Veilig Thuis in verband met huiselijk geweld"),
        }
    ],
    "victims": [
        {
            "label": "Zoë van Leeuwen",
            "age_at_start": (15, "Zij was toen vijftien jaar oud."),
            "gender": ("female", "Zij was toen vijftien jaar oud."),
            "living_situation": ("with_parents", "woonde bij haar moeder in Haarlem"),
            "knew_perpetrator_before": (False, "Zij kende hem niet."),
            "first_contact_channel": ("online", "via Instagram"),
            "first_contact_platform": ("instagram", "via Instagram"),
            "first_contact_date": ("2022-06-26", "26 juni 2022"),
            "first_forced_date": ("2022-07-09", "Op 9 juli 2022"),
            "recruitment_days": (13, "26 juni 2022", "Op 9 juli 2022"),
            "contact_after_exploitation": (
                False,
                "Zoë heeft na haar verklaring geen contact meer gehad met Quincy D.",
            ),
            "perpetrators": ["P1"],
        }
    ],
    "identifiers": [
        ("Zoë van Leeuwen", "person"),
        ("Zoë", "person"),
        ("Quincy Doelwijt", "person"),
        ("Quincy D.", "person"),
        ("17 november 2006", "birth_date"),
        ("1 april 2003", "birth_date"),
        ("q.doelwijt@protonmail.com", "email"),
        ("06-77889900", "phone"),
    ],
    "phenomena": [
        "first contact on Instagram, moved to Telegram later: platform instagram",
        "mbo course, completion unknown: diploma null",
        "heavy laughing-gas use without addiction: null",
        "known to police as a minor; Veilig Thuis",
        "contact after: no",
    ],
}

CASES[26] = {
    "year_start": (2020, "zondag 12 juli 2020"),
    "perpetrators": [
        {
            "label": "Bart Koopmans",
            "age_at_start": (26, "de toen 26-jarige verdachte"),
            "gender": ("male", "[[Hij]] was eerder bekend bij de politie"),
            "known_to_police_before": (True, "Hij was eerder bekend bij de politie."),
        }
    ],
    "victims": [
        {
            "label": "Nina Postma",
            "age_at_start": (15, "Nina was toen vijftien jaar oud."),
            "gender": ("female", "[[Zij]] woonde ten tijde van de werving"),
            "living_situation": ("with_parents", "bij haar moeder in Sneek"),
            "knew_perpetrator_before": (False, "Zij kende hem niet."),
            "first_contact_channel": (
                "offline",
                "zag Nina de verdachte voor het eerst in het strandpaviljoen",
            ),
            "first_contact_platform": (
                "other_offline",
                "werkte in de zomer in een strandpaviljoen",
                "zag Nina de verdachte voor het eerst in het strandpaviljoen",
            ),
            "first_contact_date": ("2020-07-12", "zondag 12 juli 2020"),
            "first_forced_date": (
                "2020-07-13",
                "zondag 12 juli 2020",
                "De volgende dag haalde hij haar op",
            ),
            "recruitment_days": (1, "De volgende dag haalde hij haar op"),
            "contact_after_exploitation": (
                True,
                "zij heeft hem in het najaar van 2020 nog meerdere keren ontmoet",
            ),
            "perpetrators": ["P1"],
        }
    ],
    "identifiers": [
        ("Bart Koopmans", "person"),
        ("Bart K.", "person"),
        ("Nina Postma", "person"),
        ("Nina", "person"),
        ("30 juli 2004", "birth_date"),
        ("06-56473829", "phone"),
        ("91-HGB-2", "licence_plate"),
    ],
    "phenomena": [
        "met at the victim's summer job (other_offline)",
        "'de volgende dag' after a date with weekday",
        "perpetrator refused to talk: diploma, debts, addiction null",
        "contact after: yes",
    ],
}

CASES[27] = {
    "perpetrators": [
        {
            "label": "Ricky Schippers",
            "gender": ("male", "[[Hij]] woonde in Den Helder"),
            "has_diploma": (False, "Hij heeft geen diploma."),
            "has_addiction": (True, "Hij was verslaafd aan alcohol en cocaïne"),
            "addiction_types": (["alcohol", "cocaine"], "Hij was verslaafd aan alcohol en cocaïne"),
            "known_to_police_before": (True, "Ricky S. is eerder veroordeeld"),
            "known_to_care_before": (True, "in behandeling bij een verslavingskliniek"),
        }
    ],
    "victims": [
        {
            "label": "Amber Willemsen",
            "gender": ("female", "[[Zij]] was mogelijk zestien"),
            "perpetrators": ["P1"],
        }
    ],
    "identifiers": [
        ("Amber Willemsen", "person"),
        ("Amber", "person"),
        ("Ricky Schippers", "person"),
        ("Ricky S.", "person"),
        ("3 januari 1994", "birth_date"),
        ("06-31415926", "phone"),
    ],
    "phenomena": [
        "hedged throughout: 'mogelijk', 'vermoedelijk', 'zou'",
        "uncertain age, living situation, channel, knew-before, dates: null",
        "'een paar weken later': no date",
        "uncertain start year: year_start null",
        "debts from an anonymous tip ('mogelijk'): null",
        "two addiction types; addiction clinic as care",
        "conflicting statements on contact after: null",
    ],
}

CASES[28] = {
    "year_start": (2022, "Op 21 juni 2022"),
    "perpetrators": [
        {
            "label": "Hans Ramaekers",
            "age_at_start": (43, "19 oktober 1978", "Op 21 juni 2022"),
            "gender": ("male", "[[Hij]] is de enige verdachte"),
            "has_diploma": (True, "Hij heeft een hbo-diploma."),
            "has_debts": (True, "schulden van meer dan vijftigduizend euro"),
            "has_addiction": (True, "Hans R. was verslaafd aan gokken."),
            "addiction_types": (["gambling"], "Hans R. was verslaafd aan gokken."),
            "known_to_police_before": (
                False,
                "Hij was niet eerder met politie of justitie in aanraking gekomen",
            ),
            "known_to_care_before": (
                False,
                "was niet bekend bij hulpverlening, op een schuldhulptraject na dat na de feiten "
                "begon",
            ),
        }
    ],
    "victims": [
        {
            "label": "Vera Mulders",
            "age_at_start": (24, "vierentwintig jaar oud"),
            "gender": ("female", "[[Zij]] had haar mbo-4 opleiding afgerond"),
            "living_situation": ("independent", "woonde zelfstandig in Maastricht"),
            "knew_perpetrator_before": (False, "Zij kende hem daarvoor niet."),
            "first_contact_channel": ("online", "via een datingapp"),
            "first_contact_platform": ("dating_app", "via een datingapp"),
            "first_contact_date": ("2022-05-07", "7 mei 2022"),
            "first_forced_date": ("2022-06-21", "Op 21 juni 2022"),
            "recruitment_days": (45, "7 mei 2022", "Op 21 juni 2022"),
            "contact_after_exploitation": (
                True,
                "heeft zij af en toe met hem afgesproken",
            ),
            "perpetrators": ["P1"],
        }
    ],
    "identifiers": [
        ("Vera Mulders", "person"),
        ("Vera", "person"),
        ("Hans Ramaekers", "person"),
        ("Hans R.", "person"),
        ("19 oktober 1978", "birth_date"),
        ("Kerkplein 3, 6211 LD Maastricht", "address"),
        ("NL54 SNSB 6444 1956 41", "iban"),
        ("06-12457836", "phone"),
    ],
    "phenomena": [
        "adult victim (24) met on a dating app",
        "perpetrator aged 43 (outside 18-29)",
        "hbo diploma counted as startkwalificatie",
        "care contact only after the offence: false",
        "addiction: gambling",
        "recruitment_days from two exact dates six weeks apart",
        "contact after: yes",
    ],
}

CASES[29] = {
    "year_start": (2021, "Op 20 februari 2021"),
    "perpetrators": [
        {
            "label": "Jayden Mulder",
            "age_at_start": (19, "Jayden Mulder (19)"),
            "gender": ("male", "[[Hij]] beloofde haar"),
            "has_diploma": (False, "Hij had zijn mbo-2 opleiding niet afgerond."),
            "has_debts": (True, "schulden bij een incassobureau"),
            "known_to_police_before": (True, "eerder bekend bij de politie vanwege winkeldiefstal"),
            "known_to_care_before": (False, "Bij de hulpverlening was hij niet bekend."),
        }
    ],
    "victims": [
        {
            "label": "Noa Verbeek",
            "age_at_start": (15, "Zij was toen vijftien jaar oud."),
            "gender": ("female", "[[Zij]] was toen vijftien jaar oud."),
            "living_situation": ("with_parents", "woonde toen bij haar moeder"),
            "knew_perpetrator_before": (False, "Zij kenden elkaar daarvoor niet."),
            "first_contact_channel": ("online", "via Instagram in contact"),
            "first_contact_platform": ("instagram", "via Instagram in contact"),
            "first_contact_date": ("2021-02-12", "12 februari 2021"),
            "first_forced_date": ("2021-02-20", "Op 20 februari 2021"),
            "recruitment_days": (8, "12 februari 2021", "Op 20 februari 2021"),
            "contact_after_exploitation": (False, "geen contact meer met hem gehad"),
            "perpetrators": ["P1"],
        }
    ],
    "identifiers": [
        ("Jayden Mulder", "person"),
        ("Jayden", "person"),
        ("Noa Verbeek", "person"),
        ("Noa", "person"),
        ("Havenstraat 14, 1315 KB Almere", "address"),
        ("06-28371946", "phone"),
    ],
    "phenomena": [
        "narrative without headings or role words",
        "age in brackets after the name in a past-tense narrative",
        "age 'Zij was toen vijftien jaar oud' after the first forced date",
        "daily cannabis use, addiction not examined: null",
        "mbo-2 not completed",
        "not known to care: false",
    ],
}

CASES[30] = {
    "year_start": (2021, "Op 14 augustus 2021"),
    "perpetrators": [
        {
            "label": "Mohamed Bakkali",
            "age_at_start": (22, "2 mei 1999", "Begin augustus 2021"),
            "gender": ("male", "[[Hij]] zei dat hij verliefd"),
            "known_to_police_before": (
                True,
                "is bij de politie bekend vanwege diefstal met geweld",
            ),
        }
    ],
    "victims": [
        {
            "label": "Lotte de Groot",
            "age_at_start": (17, "9 augustus 2004", "Op 14 augustus 2021"),
            "gender": ("female", "een jonge vrouw"),
            "living_situation": ("care_institution", "woongroep van jeugdzorg"),
            "knew_perpetrator_before": (False, "Ik kende hem daarvoor niet."),
            "first_contact_channel": ("offline", "via een vriendin uit de woongroep"),
            "first_contact_platform": ("via_friend", "via een vriendin uit de woongroep"),
            "first_contact_date": ("2021-08", "Begin augustus 2021"),
            "first_forced_date": ("2021-08-14", "Op 14 augustus 2021"),
            "contact_after_exploitation": (True, "nog een paar keer met hem geappt"),
            "perpetrators": ["P1"],
        }
    ],
    "identifiers": [
        ("Lotte de Groot", "person"),
        ("Mohamed Bakkali", "person"),
        ("9 augustus 2004", "birth_date"),
        ("2 mei 1999", "birth_date"),
        ("Amsterdamsestraatweg 310", "address"),
        ("06-19283746", "phone"),
    ],
    "phenomena": [
        "proces-verbaal of a report, the victim's statement in the first person",
        "victim and perpetrator age from a date of birth",
        "perpetrator's money problems only in his own words: null",
        "met through a friend in person",
        "contact after: yes",
    ],
}

CASES[31] = {
    "year_start": (2020, "Op 2 juli 2020"),
    "perpetrators": [
        {
            "label": "J.",
            "age_at_start": (24, "bij aanvang van de feiten 24 jaar oud"),
            "gender": ("male", "verwijt verdachte J. dat [[hij]]"),
            "has_diploma": (False, "alleen een vmbo-diploma en geen vervolgopleiding"),
            "has_debts": (True, "Hij heeft aanzienlijke schulden."),
            "has_addiction": (False, "van een verslaving is niet gebleken"),
            "known_to_police_before": (True, "eerder een werkstraf heeft gekregen"),
            "known_to_care_before": (True, "onder toezicht van jeugdzorg gestaan"),
        }
    ],
    "victims": [
        {
            "label": "L.",
            "age_at_start": (17, "de toen 17-jarige L."),
            "gender": ("female", "de eerste aangeefster"),
            "living_situation": ("with_parents", "woonde destijds bij haar vader"),
            "knew_perpetrator_before": (False, "zij leerde verdachte in juni 2020 kennen"),
            "first_contact_channel": ("offline", "op een verjaardagsfeest"),
            "first_contact_platform": ("social_event", "op een verjaardagsfeest"),
            "first_contact_date": ("2020-06", "zij leerde verdachte in [[juni 2020]] kennen"),
            "first_forced_date": ("2020-07-02", "Op 2 juli 2020"),
            "contact_after_exploitation": (False, "er was geen contact meer"),
            "perpetrators": ["P1"],
        },
        {
            "label": "S.",
            "age_at_start": (19, "destijds 19 jaar"),
            "gender": ("female", "de tweede aangeefster"),
            "living_situation": ("independent", "Zij woonde zelfstandig"),
            "knew_perpetrator_before": (True, "kende verdachte al van de middelbare school"),
            "first_contact_channel": ("offline", "van de middelbare school"),
            "first_contact_platform": ("school", "van de middelbare school"),
            "first_forced_date": ("2020-10-17", "op 17 oktober 2020"),
            "contact_after_exploitation": (True, "bleef zij hem brieven schrijven"),
            "perpetrators": ["P1"],
        },
    ],
    "identifiers": [
        ("Assendorperstraat 88, 8012 DJ Zwolle", "address"),
    ],
    "phenomena": [
        "OM requisitoir style",
        "persons by initials only ('verdachte J.', 'de toen 17-jarige L.', 'S.')",
        "two victims, one perpetrator called 'verdachte' throughout",
        "cocaine use, addiction negated: false",
        "vmbo only",
        "known before from school: offline school",
    ],
}

CASES[32] = {
    "year_start": (2019, "Op 6 mei 2019"),
    "perpetrators": [
        {
            "label": "Dennis Hoekstra",
            "age_at_start": (23, "Dennis was toen 23"),
            "gender": ("male", "[[Hij]] had geen diploma"),
            "has_diploma": (False, "geen diploma"),
            "has_debts": (True, "forse schulden bij vrienden"),
            "has_addiction": (True, "Hij was verslaafd aan gokken."),
            "addiction_types": (["gambling"], "Hij was verslaafd aan gokken."),
            "known_to_police_before": (
                False,
                "Hij was niet eerder met politie in aanraking gekomen.",
            ),
        },
        {
            "label": "Marco Hoekstra",
            "age_at_start": (51, "toen 51 jaar"),
            "gender": ("male", "een oudere man"),
            "has_debts": (False, "had geen schulden"),
            "known_to_police_before": (True, "hij had een strafblad voor heling"),
        },
    ],
    "victims": [
        {
            "label": "Fleur Jansen",
            "age_at_start": (16, "de 16-jarige Fleur"),
            "gender": ("female", "waar [[zij]] bij haar ouders woonde"),
            "living_situation": ("with_parents", "bij haar ouders woonde"),
            "knew_perpetrator_before": (True, "al ruim een jaar"),
            "first_forced_date": ("2019-05-06", "Op 6 mei 2019"),
            "contact_after_exploitation": (False, "Fleur verbrak in september 2019 het contact"),
            "perpetrators": ["P1", "P2"],
        },
        {
            "label": "Iris Smit",
            "age_at_start": (15, "Iris was vijftien jaar."),
            "gender": ("female", "[[Zij]] woonde in een leefgroep"),
            "living_situation": ("care_institution", "leefgroep"),
            "knew_perpetrator_before": (False, "Via Fleur leerde Dennis in juni 2019"),
            "first_contact_channel": ("offline", "Via Fleur leerde Dennis"),
            "first_contact_platform": ("via_friend", "Via Fleur leerde Dennis"),
            "first_contact_date": ("2019-06", "leerde Dennis in [[juni 2019]]"),
            "first_forced_date": ("2019-06-28", "Op 28 juni 2019"),
            "contact_after_exploitation": (True, "nog maanden met Dennis appen"),
            "perpetrators": ["P1", "P2"],
        },
    ],
    "identifiers": [
        ("Fleur Jansen", "person"),
        ("Fleur", "person"),
        ("Dennis Hoekstra", "person"),
        ("Dennis", "person"),
        ("Marco Hoekstra", "person"),
        ("Marco", "person"),
        ("Iris Smit", "person"),
        ("Iris", "person"),
        ("Steenstraat 41, 6828 CK Arnhem", "address"),
    ],
    "phenomena": [
        "two perpetrators, two victims, no role words",
        "persons described by relation ('de vriend van haar zus', 'een oudere man')",
        "the second victim is the object of 'leerde kennen' (the perpetrator the subject)",
        "knew before (for a year), channel not stated: null",
        "addiction: gambling; 'Of hij verslaafd was, is niet onderzocht': null",
    ],
}

CASES[33] = {
    "year_start": (2021, "Op 7 oktober 2021"),
    "perpetrators": [
        {
            "label": "Ryan Koç",
            "age_at_start": (23, "30 januari 1998", "Op 2 oktober 2021"),
            "gender": ("male", "[[Hij]] had geen vaste baan"),
            "has_diploma": (False, "Een opleiding heeft hij niet afgemaakt."),
            "has_debts": (True, "schulden bij de Belastingdienst"),
            "known_to_police_before": (True, "eerder veroordeeld voor drugshandel"),
            "known_to_care_before": (False, "Met de hulpverlening had hij nooit contact gehad."),
        }
    ],
    "victims": [
        {
            "label": "Kim van Dijk",
            "age_at_start": (15, "Ze was toen vijftien jaar."),
            "gender": ("female", "Het meisje"),
            "living_situation": ("care_institution", "crisisopvang"),
            "knew_perpetrator_before": (False, "Ze kende hem niet."),
            "first_contact_channel": ("online", "via TikTok"),
            "first_contact_platform": ("tiktok", "via TikTok"),
            "first_contact_date": ("2021-10-02", "Op 2 oktober 2021"),
            "first_forced_date": ("2021-10-07", "Op 7 oktober 2021"),
            "recruitment_days": (5, "Op 2 oktober 2021", "Op 7 oktober 2021"),
            "contact_after_exploitation": (False, "heeft ze hem nooit meer gesproken"),
            "perpetrators": ["P1"],
        }
    ],
    "identifiers": [
        ("Ryan Koç", "person"),
        ("Kim van Dijk", "person"),
        ("30 januari 1998", "birth_date"),
        ("Ringbaan-Oost 120", "address"),
    ],
    "phenomena": [
        "headings without role words ('Achtergrond', 'Het meisje')",
        "pronoun-heavy: each name once, then hij/ze/zij",
        "first forced work 'Die avond' after an exact date",
        "the victim's 'schuld aan hem' is no debt of the perpetrator",
        "never in contact with care: false",
    ],
}

CASES[34] = {
    "year_start": (2020, "Vanaf 1 september 2020"),
    "perpetrators": [
        {
            "label": "Sharon Bosman",
            "age_at_start": (31, "31 ten tijde van de feiten"),
            "gender": ("female", "[[Zij]] had een betalingsachterstand"),
            "has_diploma": (True, "heeft de havo afgerond"),
            "has_debts": (True, "betalingsachterstand"),
            "known_to_police_before": (False, "Eerdere politiecontacten zijn er niet."),
            "known_to_care_before": (True, "bekend bij de ggz"),
        },
        {
            "label": "Tarik E.",
            "gender": ("male", "[[Hij]] is verslaafd aan cocaïne."),
            "has_addiction": (True, "verslaafd aan cocaïne"),
            "addiction_types": (["cocaine"], "verslaafd aan cocaïne"),
            "known_to_police_before": (True, "eerder veroordeeld voor mensenhandel"),
        },
    ],
    "victims": [
        {
            "label": "Melissa Post",
            "age_at_start": (20, "Melissa was toen twintig jaar."),
            "gender": ("female", "een jonge vrouw"),
            "living_situation": ("care_institution", "beschermde woonvorm"),
            "knew_perpetrator_before": (False, "Zij leerde Sharon in augustus 2020 kennen"),
            "first_contact_channel": ("offline", "in een snackbar bij het station"),
            "first_contact_platform": ("public_place", "in een snackbar bij het station"),
            "first_contact_date": ("2020-08", "augustus 2020"),
            "first_forced_date": ("2020-09-01", "Vanaf 1 september 2020"),
            "contact_after_exploitation": (False, "geen contact meer met hen gehad"),
            "perpetrators": ["P1", "P2"],
        }
    ],
    "identifiers": [
        ("Sharon Bosman", "person"),
        ("Sharon", "person"),
        ("Tarik E.", "person"),
        ("Tarik", "person"),
        ("Melissa Post", "person"),
        ("Melissa", "person"),
        ("Oosterkade 12, 8911 KA Leeuwarden", "address"),
    ],
    "phenomena": [
        "analysis report, two perpetrators (one a woman), one victim",
        "age 'thans 35': null; '31 ten tijde van de feiten'",
        "sections 'Persoon verdachte Bosman' / 'Persoon verdachte E.' by surname",
        "zij for both the female perpetrator and the victim",
        "residential facility for a mild intellectual disability: care_institution",
        "no earlier police contacts: false",
    ],
}

CASES[35] = {
    "year_start": (2023, "Op 19 maart 2023"),
    "perpetrators": [
        {
            "label": "Bilal A.",
            "gender": ("male", "[[Hij]] zou schulden hebben"),
            "has_addiction": (False, "Van een verslaving is bij hem niet gebleken."),
            "known_to_police_before": (False, "Hij heeft geen strafblad."),
        },
        {
            "label": "Stefan de Wit",
            "age_at_start": (26, "toen 26 jaar"),
            "gender": ("male", "[[Hij]] verklaarde dat hij niet wist"),
            "has_diploma": (True, "mbo-4 diploma"),
            "has_debts": (True, "onder bewind vanwege schulden"),
            "known_to_police_before": (True, "eerder in aanraking met de politie"),
        },
    ],
    "victims": [
        {
            "label": "Jasmijn Peters",
            "age_at_start": (16, "de 16-jarige Jasmijn"),
            "gender": ("female", "Het meisje bleek"),
            "knew_perpetrator_before": (False, "kort daarvoor had leren kennen"),
            "first_forced_date": ("2023-03-19", "Op 19 maart 2023"),
            "perpetrators": ["P1", "P2"],
        }
    ],
    "identifiers": [
        ("Jasmijn Peters", "person"),
        ("Jasmijn", "person"),
        ("Bilal A.", "person"),
        ("Stefan de Wit", "person"),
        ("Stefan", "person"),
        ("s.dewit88@mailbox.nl", "email"),
    ],
    "phenomena": [
        "no role words: persons by what they did or deny",
        "hedged debts ('zou', 'niet bevestigd'): null",
        "first forced 'die dag' after the date of the report",
        "how they met not known: channel and date null",
        "contact after 'is onduidelijk': null",
    ],
}

CASES[36] = {
    "year_start": (2022, "op 9 juli 2022"),
    "perpetrators": [
        {
            "label": "Quincy Martina",
            "age_at_start": (22, "toen 22"),
            "gender": ("male", "[[Hij]] had geen diploma"),
            "has_diploma": (False, "geen diploma"),
            "has_addiction": (True, "verslaafd aan cannabis"),
            "addiction_types": (["cannabis"], "verslaafd aan cannabis"),
            "known_to_police_before": (True, "lange justitiële documentatie"),
        },
        {
            "label": "Dani Schouten",
            "age_at_start": (19, "destijds 19"),
            "gender": ("male", "[[Hij]] volgde een mbo-opleiding"),
            "known_to_police_before": (False, "niet eerder met justitie in aanraking gekomen"),
        },
    ],
    "victims": [
        {
            "label": "Sara",
            "age_at_start": (15, "Sara was vijftien"),
            "gender": ("female", "twee minderjarige meisjes"),
            "living_situation": ("with_parents", "thuis bij hun ouders"),
            "first_contact_channel": ("online", "via Snapchat"),
            "first_contact_platform": ("snapchat", "via Snapchat"),
            "first_forced_date": ("2022-07-09", "op 9 juli 2022"),
            "perpetrators": ["P1", "P2"],
        },
        {
            "label": "Lina",
            "age_at_start": (16, "Lina zestien"),
            "gender": ("female", "twee minderjarige meisjes"),
            "living_situation": ("with_parents", "thuis bij hun ouders"),
            "knew_perpetrator_before": (True, "kende Dani van de basisschool"),
            "first_contact_channel": ("offline", "van de basisschool"),
            "first_contact_platform": ("school", "van de basisschool"),
            "first_forced_date": ("2022-07-16", "op 16 juli 2022"),
            "contact_after_exploitation": (
                False,
                "Lina heeft na haar vertrek geen contact meer gehad",
            ),
            "perpetrators": ["P1", "P2"],
        },
    ],
    "identifiers": [
        ("Quincy Martina", "person"),
        ("Quincy", "person"),
        ("Dani Schouten", "person"),
        ("Dani", "person"),
        ("9-TXK-42", "licence_plate"),
    ],
    "phenomena": [
        "judgment summary; victims by pseudonym (one word)",
        "two ages in one sentence ('Sara was vijftien en Lina zestien')",
        "mbo course without level: null",
        "debts stated by reclassering, denied, unresolved: null",
        "contact after 'niet bekend': null",
    ],
}

CASES[37] = {
    "year_start": (2020, "op 15 februari 2020"),
    "perpetrators": [
        {
            "label": "Soufiane Idrissi",
            "age_at_start": (21, "toen eenentwintig jaar"),
            "gender": ("male", "[[Hij]] was toen eenentwintig"),
            "has_diploma": (True, "vwo-diploma"),
            "has_debts": (False, "Financiële problemen had hij niet."),
            "known_to_police_before": (True, "bekend was bij de politie"),
        }
    ],
    "victims": [
        {
            "label": "Demi Kuipers",
            "age_at_start": (17, "De toen zeventienjarige Demi"),
            "gender": ("female", "[[Zij]] woonde daar zelfstandig."),
            "living_situation": ("independent", "woonde daar zelfstandig"),
            "knew_perpetrator_before": (False, "leerde Demi op 8 februari 2020"),
            "first_contact_channel": ("offline", "studentenfeest"),
            "first_contact_platform": ("social_event", "studentenfeest"),
            "first_contact_date": ("2020-02-08", "8 februari 2020"),
            "first_forced_date": ("2020-02-15", "op 15 februari 2020"),
            "recruitment_days": (7, "8 februari 2020", "op 15 februari 2020"),
            "contact_after_exploitation": (True, "nog twee keer met hem afgesproken"),
            "perpetrators": ["P1"],
        }
    ],
    "identifiers": [
        ("Demi Kuipers", "person"),
        ("Demi", "person"),
        ("Eva Lammers", "person"),
        ("Soufiane Idrissi", "person"),
        ("Soufiane", "person"),
        ("Ingrid Kuipers", "person"),
    ],
    "phenomena": [
        "named persons who are neither perpetrator nor victim (housemate, mother)",
        "Veilig Thuis called in for the victim, not the perpetrator's care",
        "first contact 'Daar' at a party named in the sentence before",
        "no financial problems: false",
        "contact after: yes",
    ],
}

CASES[38] = {
    "year_start": (2018, "Begin april 2018"),
    "perpetrators": [
        {
            "label": "R.",
            "age_at_start": (28, "4 december 1989", "in maart 2018"),
            "gender": ("male", "De man, Rudi Schaap"),
            "has_debts": (True, "daardoor schulden"),
            "has_addiction": (True, "gokverslaving"),
            "addiction_types": (["gambling"], "gokverslaving"),
            "known_to_police_before": (True, "strafblad voor openlijke geweldpleging"),
            "known_to_care_before": (True, "eerder in beeld bij de schuldhulpverlening"),
        }
    ],
    "victims": [
        {
            "label": "Chantal",
            "age_at_start": (18, "Chantal (18)"),
            "gender": ("female", "twee zussen"),
            "living_situation": ("other", "bij hun grootmoeder"),
            "knew_perpetrator_before": (False, "zij kende hem daarvoor niet"),
            "first_contact_channel": ("online", "via Facebook"),
            "first_contact_platform": ("facebook", "via Facebook"),
            "first_contact_date": ("2018-03", "in maart 2018"),
            "first_forced_date": ("2018-04", "Begin april 2018"),
            "contact_after_exploitation": (False, "geen contact meer met hem gehad"),
            "perpetrators": ["P1"],
        },
        {
            "label": "Naomi",
            "age_at_start": (16, "Naomi (16)"),
            "gender": ("female", "twee zussen"),
            "living_situation": ("other", "bij hun grootmoeder"),
            "knew_perpetrator_before": (False, "ontmoette hem voor het eerst"),
            "first_contact_channel": ("offline", "toen Chantal hem mee naar huis nam"),
            "first_contact_platform": ("via_family", "toen Chantal hem mee naar huis nam"),
            "first_forced_date": ("2018-04", "Begin april 2018"),
            "contact_after_exploitation": (False, "geen contact meer met hem gehad"),
            "perpetrators": ["P1"],
        },
    ],
    "identifiers": [
        ("Chantal", "person"),
        ("Naomi", "person"),
        ("Visser", "person"),
        ("Rudi Schaap", "person"),
        ("4 december 1989", "birth_date"),
        ("Lange Nieuwstraat 5, 1972 GA IJmuiden", "address"),
    ],
    "phenomena": [
        "two sisters named by first name with a shared surname",
        "perpetrator by initial ('verdachte R.'), full name later",
        "'Beiden', 'zij' and 'de zussen' for both victims",
        "perpetrator age from a date of birth and a first contact month",
        "debt counselling before: care",
    ],
}


def _find(text: str, spec: str, where: str) -> tuple[int, int, str]:
    """Offsets of an evidence string; ``[[...]]`` marks the quote inside unique context."""
    if "[[" in spec:
        before, rest = spec.split("[[", 1)
        quote, after = rest.split("]]", 1)
        context = before + quote + after
        if text.count(context) != 1:
            raise SystemExit(f"{where}: context occurs {text.count(context)} times: {context!r}")
        start = text.index(context) + len(before)
        return start, start + len(quote), quote
    if text.count(spec) != 1:
        raise SystemExit(f"{where}: evidence occurs {text.count(spec)} times: {spec!r}")
    start = text.index(spec)
    return start, start + len(spec), spec


def _person(
    text: str, raw: dict[str, Any], key: str, ident: str, fields: tuple[str, ...], role: str
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    person: dict[str, Any] = {key: ident, "label": raw["label"]}
    evidence: list[dict[str, Any]] = []
    start = text.find(raw["label"])
    if start < 0:
        raise SystemExit(f"{role}.{ident}: label not in text")
    evidence.append(
        {
            "path": f"{role}.{ident}.label",
            "text": raw["label"],
            "start": start,
            "end": start + len(raw["label"]),
        }
    )
    for name in fields:
        spec = raw.get(name)
        if spec is None:
            person[name] = None
            continue
        value, *quotes = spec
        if not quotes:
            raise SystemExit(f"{role}.{ident}.{name}: needs evidence")
        person[name] = value
        for quote in quotes:
            s, e, q = _find(text, quote, f"{role}.{ident}.{name}")
            evidence.append({"path": f"{role}.{ident}.{name}", "text": q, "start": s, "end": e})
    if role == "victims":
        person["perpetrators"] = raw["perpetrators"]
    return person, evidence


def build(
    number: int, spec: dict[str, Any], folder: Path = HERE, prefix: str = "GOLD"
) -> dict[str, Any]:
    """The gold coded-case document of one case."""
    text = (folder / f"case-{number:02d}.txt").read_text("utf-8")
    evidence: list[dict[str, Any]] = []
    case: dict[str, Any] = {"case_id": f"{prefix}-{number:02d}", "synthetic": True}
    if "year_start" in spec:
        value, *quotes = spec["year_start"]
        case["year_start"] = value
        for quote in quotes:
            s, e, q = _find(text, quote, f"case-{number:02d} case.year_start")
            evidence.append({"path": "case.year_start", "text": q, "start": s, "end": e})
    else:
        case["year_start"] = None
    perpetrators = []
    for index, raw in enumerate(spec["perpetrators"], start=1):
        person, found = _person(text, raw, "pid", f"P{index}", PERPETRATOR_FIELDS, "perpetrators")
        perpetrators.append(person)
        evidence.extend(found)
    victims = []
    for index, raw in enumerate(spec["victims"], start=1):
        person, found = _person(text, raw, "vid", f"V{index}", VICTIM_FIELDS, "victims")
        victims.append(person)
        evidence.extend(found)
    for item in evidence:
        assert text[item["start"] : item["end"]] == item["text"], item
    return {
        "codebook_version": "1",
        "case": case,
        "perpetrators": perpetrators,
        "victims": victims,
        "evidence": evidence,
    }


def write_all(cases: dict[int, dict[str, Any]], folder: Path, prefix: str) -> int:
    """Write every gold case of ``cases`` and the identifier list into ``folder``."""
    codebook = load_codebook("1")
    identifiers: dict[str, list[dict[str, str]]] = {}
    for number, spec in sorted(cases.items()):
        name = f"case-{number:02d}"
        document = build(number, spec, folder, prefix)
        _, problems = validate_case(document, codebook, source=f"{name}.json", location="")
        if problems:
            raise SystemExit("\n".join(str(p) for p in problems))
        (folder / f"{name}.json").write_text(
            json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        text = (folder / f"{name}.txt").read_text("utf-8")
        for value, _kind in spec["identifiers"]:
            if value not in text:
                raise SystemExit(f"{name}: identifier not in text: {value!r}")
        identifiers[f"{name}.txt"] = [
            {"text": value, "kind": kind} for value, kind in spec["identifiers"]
        ]
    (folder / "identifiers.json").write_text(
        json.dumps(identifiers, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    sys.stdout.write(f"wrote {len(cases)} gold cases and identifiers.json\n")
    return 0


def main() -> int:
    return write_all(CASES, HERE, "GOLD")


if __name__ == "__main__":
    raise SystemExit(main())
