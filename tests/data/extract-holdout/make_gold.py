"""Write the gold coded cases and the identifier list of the extraction hold-out set.

Run from anywhere: ``python tests/data/extract-holdout/make_gold.py``. Adapted from
``tests/data/extract/make_gold.py`` (same annotation format, same coding rules); the
texts of this set were written without looking at the extraction rules.

Evidence offsets are never typed by hand: each evidence string is searched in the case
text. A plain string must occur exactly once; when a quotation occurs more than once,
the annotation gives unique surrounding context and marks the quoted part with
``[[...]]``. Every gold file is validated with ``validate_case`` and every offset is
checked (``text[start:end] == evidence``).

Annotation format per field: ``(value, evidence, evidence, ...)``; a field that is not
annotated is null. ``label`` takes the name only; its evidence is the first occurrence
of that name in the text.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "extract"))
from make_gold import write_all  # noqa: E402  (the development set's machinery)

PREFIX = "HOLD"

# Each case: year_start, perpetrators, victims, identifiers, phenomena (README table).
CASES: dict[int, dict[str, Any]] = {}

CASES[1] = {
    "year_start": (2021, "op 13 oktober 2021"),
    "perpetrators": [
        {
            "label": "Tim Verbeek",
            "age_at_start": (22, "30 april 1999", "Op 9 oktober 2021"),
            "gender": ("male", "[[Hij]] verklaarde dat hij"),
            "has_diploma": (
                True,
                "Hij heeft de opleiding tot monteur (mbo niveau 2) "
                "in 2018 met een diploma afgerond.",
            ),
            "has_debts": (
                True,
                "een betalingsachterstand had bij zijn zorgverzekeraar",
                "het financieel onderzoek bevestigde dat",
            ),
            "has_addiction": (False, "van een verslaving is niets gebleken"),
            "known_to_police_before": (True, "naar Halt verwezen"),
        }
    ],
    "victims": [
        {
            "label": "Milou Hendriks",
            "age_at_start": (17, "Milou was toen zeventien jaar oud."),
            "gender": ("female", "die [[zij]] tot dan toe niet kende"),
            "living_situation": (
                "with_parents",
                "woonde op dat moment bij haar moeder en stiefvader",
            ),
            "knew_perpetrator_before": (False, "die zij tot dan toe niet kende"),
            "first_contact_channel": ("online", "raakte Milou Hendriks via Snapchat bekend met"),
            "first_contact_platform": ("snapchat", "raakte Milou Hendriks via Snapchat bekend met"),
            "first_contact_date": ("2021-10-09", "Op 9 oktober 2021"),
            "first_forced_date": ("2021-10-13", "op 13 oktober 2021"),
            "recruitment_days": (4, "Op 9 oktober 2021", "op 13 oktober 2021"),
            "contact_after_exploitation": (
                False,
                "zij heeft daar nooit op gereageerd en ook verder geen contact meer met hem gehad",
            ),
            "perpetrators": ["P1"],
        }
    ],
    "identifiers": [
        ("Tim Verbeek", "person"),
        ("Tim V.", "person"),
        ("Milou Hendriks", "person"),
        ("Milou", "person"),
        ("30 april 1999", "birth_date"),
        ("06-38271954", "phone"),
        ("t.verbeek99@example.nl", "email"),
        ("NL44 INGB 5042 8595 75", "iban"),
        ("Meidoornstraat 8, 8016 KX Zwolle", "address"),
    ],
    "phenomena": [
        "no section headings",
        "one perpetrator, one victim",
        "Snapchat, 'raakte ... bekend met'",
        "living with mother and stepfather",
        "'Twee dagen later, op 13 oktober 2021' (relative and exact; recruitment 4 days)",
        "victim age in words ('zeventien'); advert age (19) is a distractor",
        "perpetrator age from date of birth",
        "mbo-2 completed: diploma true",
        "'betalingsachterstand' confirmed: debts true",
        "'blowde af en toe, maar van een verslaving is niets gebleken': addiction false",
        "Halt: known to police",
        "care: 'blijkt niet uit het dossier': null",
        "unanswered messages after: contact false",
    ],
}

CASES[2] = {
    "year_start": (2022, "Zaterdag 12 februari 2022"),
    "perpetrators": [
        {
            "label": "Rayan Koç",
            "age_at_start": (21, "17 augustus 2000", "Zondag 6 februari 2022"),
            "gender": ("male", "[[Hij]] verliet het praktijkonderwijs"),
            "has_diploma": (False, "Hij verliet het praktijkonderwijs zonder diploma"),
            "has_debts": (False, "Er zijn geen aanwijzingen voor schulden"),
            "has_addiction": (True, "Rayan K. was afhankelijk van cocaïne"),
            "addiction_types": (["cocaine"], "Rayan K. was afhankelijk van cocaïne"),
            "known_to_police_before": (
                True,
                "Hij had een strafblad met onder meer twee veroordelingen voor geweld.",
            ),
            "known_to_care_before": (
                True,
                "stond daarvoor sinds 2020 ingeschreven bij een instelling voor verslavingszorg",
            ),
        },
        {
            "label": "Kimberly Vos",
            "age_at_start": (
                22,
                "Kimberly Vos was ten tijde van de feiten tweeëntwintig jaar oud.",
            ),
            "gender": ("female", "[[Zij]] volgde een mbo-opleiding"),
            "known_to_police_before": (
                False,
                "Zij was niet eerder met politie of justitie in aanraking geweest.",
            ),
            "known_to_care_before": (
                True,
                "er was toen een ondertoezichtstelling door jeugdbescherming",
            ),
        },
    ],
    "victims": [
        {
            "label": "Jasmijn de Graaf",
            "age_at_start": (15, "3 maart 2006", "Zaterdag 12 februari 2022"),
            "gender": ("female", "[[Zij]] kent de afzender niet."),
            "living_situation": (
                "care_institution",
                "verblijft op dat moment op een open leefgroep van een jeugdzorginstelling",
            ),
            "knew_perpetrator_before": (False, "Zij kent de afzender niet."),
            "first_contact_channel": ("online", "ontvangt op Instagram een volgverzoek"),
            "first_contact_platform": ("instagram", "ontvangt op Instagram een volgverzoek"),
            "first_contact_date": ("2022-02-06", "Zondag 6 februari 2022"),
            "first_forced_date": (
                "2022-02-12",
                "Zaterdag 12 februari 2022",
                "De volgende dag moet Jasmijn",
            ),
            "recruitment_days": (6, "Zondag 6 februari 2022", "Zaterdag 12 februari 2022"),
            "contact_after_exploitation": (
                True,
                "na haar vlucht nog tot in de zomer van 2022 "
                "berichten bleef uitwisselen met Kimberly V.",
            ),
            "perpetrators": ["P1", "P2"],
        }
    ],
    "identifiers": [
        ("Rayan Koç", "person"),
        ("Rayan K.", "person"),
        ("Kimberly Vos", "person"),
        ("Kimberly V.", "person"),
        ("Jasmijn de Graaf", "person"),
        ("Jasmijn", "person"),
        ("3 maart 2006", "birth_date"),
        ("17 augustus 2000", "birth_date"),
        ("06-71530294", "phone"),
        ("94-TRN-6", "licence_plate"),
    ],
    "phenomena": [
        "chronological 'Relaas' with dated headings (weekday, day, month, year)",
        "two perpetrators (male main, female co-perpetrator), one victim",
        "Instagram, then WhatsApp: first contact instagram",
        "open youth-care group: care_institution",
        "victim age from date of birth, birthday after first forced work (15, not 16)",
        "'De volgende dag' plus exact date; recruitment 6 days",
        "'Er zijn geen aanwijzingen voor schulden': debts false",
        "'was afhankelijk van cocaïne': addiction true, cocaine",
        "addiction care before the offence: care true",
        "'volgde een mbo-opleiding; of zij die heeft afgerond, is niet bekend': null",
        "'volgens haar eigen verklaring ... niet nagegaan' debts: null",
        "lachgas use without addiction: null",
        "jeugdbescherming (ots) as a child: care true",
        "'bleef na haar vlucht berichten uitwisselen met' one perpetrator: contact true",
    ],
}

CASES[3] = {
    "year_start": (2023, "14 mei 2023", "Negen dagen na die eerste ontmoeting"),
    "perpetrators": [
        {
            "label": "Dennis Kramer",
            "age_at_start": (31, "Dennis Kramer was eenendertig jaar bij aanvang van de feiten."),
            "gender": ("male", "[[Hij]] heeft een havo-diploma."),
            "has_diploma": (True, "Hij heeft een havo-diploma."),
            "has_debts": (True, "Hij had een betalingsachterstand van ruim € 9.000"),
            "known_to_police_before": (True, "Hij werd in 2017 veroordeeld voor oplichting."),
            "known_to_care_before": (False, "Bij hulpverleningsinstanties was hij niet bekend."),
        },
        {
            "label": "Bilal Idrissi",
            "age_at_start": (19, "2 november 2003", "begin juni 2023"),
            "gender": ("male", "[[Hij]] verliet de entreeopleiding"),
            "has_diploma": (False, "Hij verliet de entreeopleiding van het mbo zonder diploma."),
            "has_addiction": (True, "Hij was verslaafd aan cannabis"),
            "addiction_types": (["cannabis"], "Hij was verslaafd aan cannabis"),
            "known_to_police_before": (
                True,
                "Als minderjarige werd hij aangehouden voor een straatroof",
            ),
        },
        {
            "label": "Sven Jonkers",
            "gender": ("male", "[[Hij]] heeft een mbo-3 diploma"),
            "has_diploma": (True, "Hij heeft een mbo-3 diploma in de logistiek."),
            "has_debts": (False, "Hij had geen schulden."),
            "has_addiction": (False, "Hij ontkent drugs te gebruiken."),
            "known_to_police_before": (
                False,
                "Sven J. was niet eerder bekend bij politie of justitie.",
            ),
        },
    ],
    "victims": [
        {
            "label": "Noor Willems",
            "age_at_start": (20, "Bij die eerste afspraak was Noor twintig jaar oud."),
            "gender": ("female", "[[Zij]] ontmoette Dennis Kramer"),
            "living_situation": ("independent", "Noor Willems woonde op kamers in Tilburg"),
            "knew_perpetrator_before": (False, "Zij hadden elkaar nooit eerder gezien."),
            "first_contact_channel": ("offline", "tijdens een avond uit in een café in Breda"),
            "first_contact_platform": (
                "social_event",
                "tijdens een avond uit in een café in Breda",
            ),
            "first_contact_date": ("2023-05-14", "14 mei 2023"),
            "first_forced_date": (
                "2023-05-23",
                "14 mei 2023",
                "Negen dagen na die eerste ontmoeting",
            ),
            "recruitment_days": (9, "Negen dagen na die eerste ontmoeting"),
            "perpetrators": ["P1", "P3"],
        },
        {
            "label": "Lotte van Beek",
            "age_at_start": (16, "de toen zestienjarige Lotte"),
            "gender": ("female", "gaf [[haar]] Snapchat-naam door"),
            "living_situation": (
                "care_institution",
                "verbleef in een crisisopvang van de jeugdzorg in Roosendaal",
            ),
            "knew_perpetrator_before": (False, "Lotte kende Bilal I. niet."),
            "first_contact_channel": (
                "online",
                "Een vriendin gaf haar Snapchat-naam door aan Bilal Idrissi, "
                "die haar begin juni 2023 een bericht stuurde.",
            ),
            "first_contact_platform": (
                "snapchat",
                "Een vriendin gaf haar Snapchat-naam door aan Bilal Idrissi, "
                "die haar begin juni 2023 een bericht stuurde.",
            ),
            "first_contact_date": ("2023-06", "begin juni 2023"),
            "first_forced_date": ("2023-06", "Medio juni 2023"),
            "contact_after_exploitation": (
                False,
                "Lotte heeft na haar vertrek geen contact meer gehad met een van de verdachten.",
            ),
            "perpetrators": ["P2", "P1"],
        },
    ],
    "identifiers": [
        ("Dennis Kramer", "person"),
        ("Dennis K.", "person"),
        ("Bilal Idrissi", "person"),
        ("Bilal I.", "person"),
        ("Sven Jonkers", "person"),
        ("Sven J.", "person"),
        ("Noor Willems", "person"),
        ("Noor", "person"),
        ("Lotte van Beek", "person"),
        ("Lotte", "person"),
        ("2 november 2003", "birth_date"),
        ("06-25839176", "phone"),
        ("dkramer.media@example.com", "email"),
        ("R-482-LN", "licence_plate"),
        ("Vlasakker 17, 4817 PT Breda", "address"),
    ],
    "phenomena": [
        "'Bevindingen' as dash paragraphs, victims before perpetrators",
        "three perpetrators, two victims with different perpetrator lists (P1+P3, P2+P1)",
        "met on a night out in a café: social_event",
        "friend passes on Snapchat name: online, snapchat",
        "crisis shelter of youth care: care_institution",
        "'Negen dagen na die eerste ontmoeting' (exact date): recruitment 9 days",
        "'begin juni', 'Medio juni 2023': month",
        "adult victim (20), independent (student room)",
        "age 'bij aanvang van de feiten' in words (31)",
        "perpetrator age from date of birth and month",
        "'gokte veel' without addiction: null",
        "entreeopleiding without diploma: false",
        "jeugdreclassering is not care: null",
        "'vermoedelijk midden twintig': age null",
        "'Hij ontkent drugs te gebruiken' only: addiction false",
        "'niet onderzocht' contact after: null",
    ],
}

CASES[4] = {
    "year_start": (2020, "op 16 maart 2020"),
    "perpetrators": [
        {
            "label": "Mitchell Brouwer",
            "gender": ("male", "dat [[hij]] in de periode van maart 2020"),
            "has_diploma": (
                False,
                "Verdachte heeft na de basisschool het vmbo doorlopen "
                "en geen vervolgopleiding afgerond.",
            ),
            "has_debts": (
                True,
                "vermeldt een schuld van circa € 24.000, opgebouwd vóór en tijdens",
            ),
            "known_to_police_before": (False, "Verdachte heeft geen strafblad."),
            "known_to_care_before": (
                False,
                "Hij was voor deze zaak niet bekend bij de hulpverlening.",
            ),
        }
    ],
    "victims": [
        {
            "label": "Sanne Hoekstra",
            "age_at_start": (19, "de toen negentienjarige aangeefster"),
            "gender": ("female", "[[Zij]] kende hem daarvoor niet. Verdachte stelde"),
            "living_situation": ("independent", "die zelfstandig woonde in Leeuwarden"),
            "knew_perpetrator_before": (False, "[[Zij kende hem daarvoor niet.]] Verdachte stelde"),
            "first_contact_channel": ("online", "via Tinder leerde kennen"),
            "first_contact_platform": ("dating_app", "via Tinder leerde kennen"),
            "first_contact_date": ("2020-03-02", "op 2 maart 2020"),
            "first_forced_date": ("2020-03", "Na ongeveer een week", "op 16 maart 2020"),
            "perpetrators": ["P1"],
        },
        {
            "label": "Iris Postma",
            "age_at_start": (17, "14 januari 2003", "Eind juli 2020"),
            "gender": ("female", "[[Zij]] leerde verdachte in de zomer"),
            "living_situation": (
                "care_institution",
                "woonde in een instelling voor begeleid wonen voor "
                "jongeren met een licht verstandelijke beperking",
            ),
            "knew_perpetrator_before": (False, "zij kende hem daarvoor niet"),
            "first_contact_channel": ("offline", "toen hij daar een medebewoonster bezocht"),
            "first_contact_platform": (
                "care_institution",
                "toen hij daar een medebewoonster bezocht",
            ),
            "first_contact_date": ("2020", "in de zomer van 2020"),
            "first_forced_date": ("2020-07", "Eind juli 2020"),
            "contact_after_exploitation": (
                True,
                "Iris heeft verdachte na haar vertrek in september 2020 "
                "nog meermaals opgezocht in zijn woning",
            ),
            "perpetrators": ["P1"],
        },
    ],
    "identifiers": [
        ("Mitchell Brouwer", "person"),
        ("Sanne Hoekstra", "person"),
        ("Sanne", "person"),
        ("Iris Postma", "person"),
        ("Iris", "person"),
        ("14 januari 2003", "birth_date"),
        ("XD-617-V", "licence_plate"),
        ("NL77 RABO 2895 7422 88", "iban"),
        ("Zuiderdwarsweg 41, 8441 BT Heerenveen", "address"),
    ],
    "phenomena": [
        "OM requisitoir summary: 'verdachte', 'aangeefster', tenlastelegging period",
        "one perpetrator, two victims",
        "'thans achtentwintig jaar oud': perpetrator age null",
        "tenlastelegging period 'maart 2020 tot en met september 2020' is not a first-forced date",
        "Tinder: dating_app",
        "'Na ongeveer een week' bounded by a later exact date: month, no recruitment_days",
        "defence claim of contact after, neither supported nor refuted: null",
        "residential facility for mild intellectual disability: care_institution",
        "met at the institution while visiting another resident: care_institution (offline)",
        "'in de zomer van 2020': year; 'Eind juli 2020': month",
        "victim age from date of birth (17)",
        "vmbo only: diploma false",
        "debts from reclassering report: true",
        "alcohol problem seen by reclassering, denied addiction: null",
        "reclassering only after arrest: not known to police ('geen strafblad'): false",
    ],
}

CASES[5] = {
    "year_start": (2024, "Half januari 2024", "Drie dagen na die eerste benadering"),
    "perpetrators": [
        {
            "label": "Ruud van Leeuwen",
            "age_at_start": (44, "De toen vierenveertigjarige Ruud van L."),
            "gender": ("male", "een man die hij niet kende"),
            "has_diploma": (True, "heeft een hbo-opleiding afgerond"),
            "has_debts": (True, "had hij hoge schulden"),
            "has_addiction": (True, "Hij was verslaafd aan crystal meth"),
            "addiction_types": (["other"], "Hij was verslaafd aan crystal meth"),
            "known_to_police_before": (
                True,
                "Hij kreeg in 2019 een voorwaardelijke straf voor het bezit van harddrugs",
            ),
            "known_to_care_before": (True, "was sinds 2021 in behandeling bij een ggz-instelling"),
        }
    ],
    "victims": [
        {
            "label": "Jesse Smits",
            "age_at_start": (19, "Jesse was toen negentien jaar oud."),
            "gender": ("male", "sliep [[hij]] bij wisselende kennissen"),
            "living_situation": (
                "homeless",
                "Jesse Smits was in de winter van 2023 op 2024 dakloos.",
            ),
            "knew_perpetrator_before": (False, "een man die hij niet kende"),
            "first_contact_channel": ("online", "werd Jesse via Grindr benaderd"),
            "first_contact_platform": ("dating_app", "werd Jesse via Grindr benaderd"),
            "first_contact_date": ("2024-01", "Half januari 2024"),
            "first_forced_date": (
                "2024-01",
                "Half januari 2024",
                "Drie dagen na die eerste benadering",
            ),
            "recruitment_days": (3, "Drie dagen na die eerste benadering"),
            "perpetrators": ["P1"],
        }
    ],
    "identifiers": [
        ("Jesse Smits", "person"),
        ("Jesse", "person"),
        ("Ruud van Leeuwen", "person"),
        ("Ruud van L.", "person"),
        ("Klaverstraat 12, 5701 GN Helmond", "address"),
        ("06-53920847", "phone"),
        ("ruud.vl.advies@example.org", "email"),
    ],
    "phenomena": [
        "no section headings",
        "male victim, male perpetrator aged 44",
        "Grindr: dating_app, 'werd via ... benaderd'",
        "homeless while sofa-surfing, stated as 'dakloos'",
        "'Half januari 2024' + 'Drie dagen na die eerste "
        "benadering': month dates, recruitment 3 days",
        "hbo: diploma true",
        "addiction: crystal meth = other; alcohol use not listed",
        "suspended sentence: police true; ggz since 2021: care true",
        "'niet onderzocht' contact after: null",
    ],
}

CASES[6] = {
    "perpetrators": [
        {
            "label": "Marco S.",
            "gender": ("male", "[[Hij]] ontkent schulden te hebben"),
        }
    ],
    "victims": [
        {
            "label": "Kayleigh",
            "gender": ("female", "[[Zij]] woonde destijds bij haar tante"),
            "living_situation": ("other", "woonde destijds bij haar tante in Almere"),
            "perpetrators": ["P1"],
        }
    ],
    "identifiers": [
        ("Kayleigh", "person"),
        ("Marco S.", "person"),
        ("06-84410372", "phone"),
    ],
    "phenomena": [
        "short, incomplete file: many nulls",
        "hedged first contact ('zou ... hebben leren kennen, mogelijk "
        "via Facebook') and conflicting account: null",
        "knew before not settled: null",
        "living with aunt: other",
        "'thans eenentwintig': age null",
        "first forced work not established ('in januari 2020' only "
        "shows work then): null; year_start null",
        "'Zij zegt hem ... nooit meer gesproken te hebben' (own word only): null",
        "'vermoedelijk begin dertig': null; denied debts without investigation: null",
    ],
}

CASES[7] = {
    "year_start": (2022, "Op zaterdag 1 oktober 2022"),
    "perpetrators": [
        {
            "label": "Jordy Hermans",
            "age_at_start": (21, "23-02-2001", "In september 2022"),
            "gender": ("male", "nadat [[hij]] had gereageerd"),
            "has_diploma": (False, "Opleiding: mbo niveau 1 (entreeopleiding), afgerond"),
            "has_debts": (True, "Financiën: betalingsachterstanden bij meerdere webwinkels"),
            "has_addiction": (True, "een verslaving aan cocaïne en lachgas vastgesteld"),
            "addiction_types": (
                ["cocaine", "other"],
                "een verslaving aan cocaïne en lachgas vastgesteld",
            ),
            "known_to_police_before": (
                True,
                "Justitiële documentatie: veroordeeld voor bedreiging (2017)",
            ),
            "known_to_care_before": (False, "Hulpverlening: geen eerdere contacten bekend"),
        },
        {
            "label": "Dewi Maas",
            "age_at_start": (17, "05-06-2005", "In september 2022"),
            "gender": ("female", "liet [[zij]] Romy foto's zien"),
            "has_diploma": (False, "Opleiding: volgt vmbo-onderwijs"),
            "has_addiction": (False, "geen verslaving vastgesteld"),
            "known_to_police_before": (False, "Justitiële documentatie: geen"),
            "known_to_care_before": (
                True,
                "sinds 2021 met een machtiging gesloten jeugdhulp in een jeugdzorgaccommodatie",
            ),
        },
    ],
    "victims": [
        {
            "label": "Romy Kuipers",
            "age_at_start": (16, "12-11-2005", "Op zaterdag 1 oktober 2022"),
            "gender": ("female", "maar [[zij]] reageerde daar niet op"),
            "living_situation": (
                "care_institution",
                "verbleef op dezelfde gesloten groep als Dewi M.",
            ),
            "knew_perpetrator_before": (
                True,
                "Zij kenden elkaar sinds het voorjaar van 2022",
            ),
            "first_contact_channel": ("offline", "toen Dewi M. op de groep kwam wonen"),
            "first_contact_platform": ("care_institution", "toen Dewi M. op de groep kwam wonen"),
            "first_contact_date": ("2022", "sinds het voorjaar van 2022"),
            "first_forced_date": ("2022-10-01", "Op zaterdag 1 oktober 2022"),
            "contact_after_exploitation": (
                False,
                "maar zij reageerde daar niet op en had ook met Dewi M. geen contact meer",
            ),
            "perpetrators": ["P1", "P2"],
        },
        {
            "label": "Eva Dekker",
            "age_at_start": (15, "de destijds vijftienjarige Eva"),
            "gender": ("female", "[[Zij]] raakte op 20 oktober 2022"),
            "living_situation": (
                "care_institution",
                "Eva Dekker woonde op een andere groep van dezelfde instelling.",
            ),
            "knew_perpetrator_before": (False, "Eva kende Jordy H. niet"),
            "first_contact_channel": ("online", "via Instagram met Jordy H. in gesprek"),
            "first_contact_platform": ("instagram", "via Instagram met Jordy H. in gesprek"),
            "first_contact_date": ("2022-10-20", "op 20 oktober 2022"),
            "first_forced_date": ("2022-10-24", "op 20 oktober 2022", "Vier dagen later"),
            "recruitment_days": (4, "Vier dagen later"),
            "contact_after_exploitation": (
                True,
                "Eva bleef na haar vlucht berichten uitwisselen met Jordy H.",
            ),
            "perpetrators": ["P1"],
        },
    ],
    "identifiers": [
        ("Jordy Hermans", "person"),
        ("Jordy H.", "person"),
        ("Dewi Maas", "person"),
        ("Dewi M.", "person"),
        ("Romy Kuipers", "person"),
        ("Romy", "person"),
        ("Eva Dekker", "person"),
        ("Eva", "person"),
        ("23-02-2001", "birth_date"),
        ("05-06-2005", "birth_date"),
        ("12-11-2005", "birth_date"),
        ("06-19748350", "phone"),
        ("7-KJX-41", "licence_plate"),
    ],
    "phenomena": [
        "person cards ('Naam:', 'Geboortedatum:', 'Opleiding:' ...) and a 'Verloop'",
        "two perpetrators (one a 17-year-old girl in the same "
        "closed youth-care group), two victims",
        "victim recruited by a fellow resident known for months: "
        "knew before true, care_institution, year only",
        "second victim in the same institution, not recruited by the "
        "fellow resident: Instagram, knew before false",
        "dates dd-mm-yyyy, ages from dates of birth",
        "'Vier dagen later' after an exact date: recruitment 4 days",
        "entreeopleiding (mbo-1) completed: diploma false; still at vmbo: false",
        "addiction established at intake after arrest: cocaine and laughing gas (other)",
        "'blowt af en toe; geen verslaving vastgesteld': addiction false",
        "jeugdreclassering after a conviction: police true; 'geen "
        "eerdere contacten bekend': care false",
        "closed youth care under a court order: care true",
        "messages not answered: contact false; kept exchanging messages: contact true",
    ],
}

CASES[8] = {
    "year_start": (2021, "Eind maart 2021"),
    "perpetrators": [
        {
            "label": "Priscilla Meijer",
            "age_at_start": (26, "Priscilla M. was zesentwintig jaar oud toen zij Bo benaderde."),
            "gender": ("female", "[[Zij]] behaalde in 2013 haar vwo-diploma"),
            "has_diploma": (True, "Zij behaalde in 2013 haar vwo-diploma"),
            "has_debts": (True, "Zelf had zij een betalingsachterstand bij haar verhuurder"),
            "has_addiction": (
                False,
                "Er zijn geen aanwijzingen voor middelengebruik of verslaving.",
            ),
            "known_to_police_before": (
                False,
                "Zij kwam niet eerder in beeld bij politie of justitie.",
            ),
            "known_to_care_before": (
                True,
                "Veilig Thuis ontving in 2019 een melding over de thuissituatie van Priscilla M.",
            ),
        },
        {
            "label": "Glenn Timmer",
            "age_at_start": (31, "1 februari 1990", "Begin maart 2021", "Eind maart 2021"),
            "gender": ("male", "[[Hij]] was gokverslaafd"),
            "has_diploma": (True, "heeft een mbo-4 diploma ICT"),
            "has_debts": (
                True,
                "stond bij verschillende online casino's en bij kennissen "
                "voor in totaal ruim € 30.000 in het krijt",
            ),
            "has_addiction": (True, "Hij was gokverslaafd"),
            "addiction_types": (["gambling"], "Hij was gokverslaafd"),
            "known_to_police_before": (True, "Glenn T. werd in 2016 veroordeeld voor fraude"),
        },
    ],
    "victims": [
        {
            "label": "Bo",
            "age_at_start": (22, "Zij was toen tweeëntwintig."),
            "gender": ("female", "haar volledige naam"),
            "living_situation": (
                "independent",
                "Bo woonde alleen in een huurappartement in Groningen",
            ),
            "knew_perpetrator_before": (False, "Bo kende haar niet."),
            "first_contact_channel": ("online", "werd Bo op TikTok benaderd door Priscilla Meijer"),
            "first_contact_platform": (
                "tiktok",
                "werd Bo op TikTok benaderd door Priscilla Meijer",
            ),
            "first_contact_date": ("2021-03", "Begin maart 2021"),
            "first_forced_date": ("2021-03", "Eind maart 2021"),
            "contact_after_exploitation": (
                True,
                "Zij onderhoudt tot op heden contact met Priscilla M.",
            ),
            "perpetrators": ["P1", "P2"],
        }
    ],
    "identifiers": [
        ("Priscilla Meijer", "person"),
        ("Priscilla M.", "person"),
        ("Glenn Timmer", "person"),
        ("Glenn T.", "person"),
        ("Bo", "person"),
        ("1 februari 1990", "birth_date"),
        ("NL34 ABNA 2401 5956 91", "iban"),
        ("Zwanenhof 3, 9745 CD Groningen", "address"),
        ("priscilla.m.styling@example.nl", "email"),
    ],
    "phenomena": [
        "victim known only by a pseudonym ('Bo')",
        "female main perpetrator and male partner (aged 31), one adult victim (22)",
        "TikTok; webcam as first forced work",
        "victim's own debts are not coded (not a variable)",
        "'Begin maart', 'Eind maart 2021': months",
        "vwo then unfinished study: diploma true; mbo-4: true",
        "'betalingsachterstand' and 'in het krijt': debts true",
        "'Er zijn geen aanwijzingen voor middelengebruik of verslaving': addiction false",
        "'kwam niet eerder in beeld bij politie of justitie': false",
        "Veilig Thuis report before the offence: care true",
        "gambling addiction ('gokverslaafd')",
        "contact with one perpetrator, not the other: contact true",
    ],
}

CASES[9] = {
    "year_start": (2022, "op 28 september 2022"),
    "perpetrators": [
        {
            "label": "Dexter Wijnands",
            "age_at_start": (25, "Dexter W. was ten tijde van de feiten vijfentwintig jaar oud."),
            "gender": ("male", "[[Hij]] bood haar een kamer"),
            "has_diploma": (
                False,
                "Hij begon twee keer aan een mbo-2 opleiding, maar "
                "maakte die geen van beide keren af.",
            ),
            "has_debts": (
                True,
                "uit het financieel onderzoek bleek echter een schuld van ruim € 12.000",
            ),
            "has_addiction": (True, "Dexter W. was afhankelijk van alcohol"),
            "addiction_types": (["alcohol"], "Dexter W. was afhankelijk van alcohol"),
            "known_to_police_before": (
                True,
                "Hij stond al vanaf zijn vijftiende bij de politie bekend",
            ),
            "known_to_care_before": (
                True,
                "werd daarvoor in 2020 enkele weken opgenomen in een verslavingskliniek",
            ),
        },
        {
            "label": "Ricardo Wijnands",
            "age_at_start": (20, "Ricardo W. was toen twintig jaar oud."),
            "gender": ("male", "[[hij]] bracht Yara ook naar de afspraken"),
            "known_to_police_before": (False, "Ricardo W. had geen justitiële antecedenten."),
            "known_to_care_before": (
                True,
                "werd als kind enkele jaren begeleid door een jeugdzorginstelling",
            ),
        },
    ],
    "victims": [
        {
            "label": "Yara Bosman",
            "age_at_start": (18, "19-09-2004", "op 28 september 2022"),
            "gender": ("female", "Overdag zwierf [[zij]] door de stad"),
            "living_situation": (
                "homeless",
                "sliep in september 2022 in een nachtopvang voor dak- en thuislozen",
            ),
            "knew_perpetrator_before": (False, "Zij had hem nooit eerder ontmoet."),
            "first_contact_channel": ("online", "werd Yara via Telegram benaderd"),
            "first_contact_platform": ("telegram", "werd Yara via Telegram benaderd"),
            "first_contact_date": ("2022-09-24", "Op 24 september 2022"),
            "first_forced_date": ("2022-09-28", "op 28 september 2022"),
            "recruitment_days": (4, "Op 24 september 2022", "Vier dagen later"),
            "contact_after_exploitation": (
                True,
                "Zij bleef na haar vlucht berichten uitwisselen met Dexter W.",
            ),
            "perpetrators": ["P1", "P2"],
        }
    ],
    "identifiers": [
        ("Yara Bosman", "person"),
        ("Yara", "person"),
        ("Dexter Wijnands", "person"),
        ("Dexter W.", "person"),
        ("Dex", "person"),
        ("Ricardo Wijnands", "person"),
        ("Ricardo W.", "person"),
        ("19-09-2004", "birth_date"),
        ("06-40258716", "phone"),
        ("06-62093184", "phone"),
        ("Spoorlaan 88, 5211 LM 's-Hertogenbosch", "address"),
    ],
    "phenomena": [
        "two brothers as perpetrators (main and facilitator), one victim",
        "Telegram, nickname in the chat",
        "night shelter: homeless; victim 'afhankelijk van anderen' is not an addiction",
        "victim age from date of birth, nine days after her 18th birthday",
        "'Vier dagen later, op 28 september 2022': recruitment 4 days",
        "mbo-2 started twice, not completed: diploma false",
        "denied debts, financial investigation found debts: true",
        "'was afhankelijk van alcohol', addiction clinic in 2020: addiction true, care true",
        "'naar eigen zeggen geen schulden; niet onderzocht': null",
        "'geen justitiële antecedenten': police false; youth care as a child: care true",
        "'schuldig zou zijn' in the victim's messages is not the perpetrator's debt",
        "contact after: yes",
    ],
}

CASES[10] = {
    "year_start": (2023, "Op 15 juli 2023"),
    "perpetrators": [
        {
            "label": "Stefan Rijnders",
            "age_at_start": (21, "8 januari 2002", "op 2 juli 2023"),
            "gender": ("male", "[[Hij]] is niet eerder met de politie"),
            "has_diploma": (
                False,
                "de school heeft bevestigd dat hij in 2019 zonder diploma van school is gegaan",
            ),
            "known_to_police_before": (
                False,
                "Hij is niet eerder met de politie in aanraking geweest.",
            ),
        }
    ],
    "victims": [
        {
            "label": "Sophie Lammers",
            "age_at_start": (17, "Sophie was toen zeventien."),
            "gender": ("female", "Volgens Sophie leerde [[zij]] Stefan R."),
            "living_situation": ("other", "woonde in de zomer van 2023 bij haar oma in Hoorn"),
            "knew_perpetrator_before": (
                False,
                "Beiden verklaren dat zij elkaar daarvoor niet kenden.",
            ),
            "first_contact_channel": (
                "online",
                "het eerste contact op 2 juli 2023 via Instagram plaatsvond",
            ),
            "first_contact_platform": (
                "instagram",
                "het eerste contact op 2 juli 2023 via Instagram plaatsvond",
            ),
            "first_contact_date": ("2023-07-02", "op 2 juli 2023"),
            "first_forced_date": ("2023-07-15", "Op 15 juli 2023"),
            "recruitment_days": (13, "op 2 juli 2023", "Op 15 juli 2023"),
            "perpetrators": ["P1"],
        }
    ],
    "identifiers": [
        ("Stefan Rijnders", "person"),
        ("Stefan R.", "person"),
        ("Sophie Lammers", "person"),
        ("Sophie", "person"),
        ("8 januari 2002", "birth_date"),
        ("06-27461093", "phone"),
        ("DLK-62-B", "licence_plate"),
        ("Tjallingstraat 5, 1624 RH Hoorn", "address"),
        ("691682483", "bsn"),
    ],
    "phenomena": [
        "analyst note: 'Wat vaststaat' / 'Wat niet vaststaat'",
        "conflict on first contact (party vs Instagram) resolved "
        "by phone data: instagram, exact date",
        "conflict on age (said 19) resolved by date of birth: 21",
        "claimed havo diploma refuted by the school: false",
        "living with grandmother: other",
        "recruitment 13 days from two exact dates",
        "unexamined debts, 'volgens eigen zeggen' cannabis use: null",
        "care not asked: null; contact after disputed: null",
        "'niet eerder met de politie in aanraking': false",
    ],
}

CASES[11] = {
    "year_start": (2020, "op 10 november 2020"),
    "perpetrators": [
        {
            "label": "Kenneth Doornbos",
            "age_at_start": (22, "De toen tweeëntwintigjarige Kenneth Doornbos"),
            "gender": ("male", "[[hij]] had haar gevonden"),
            "has_debts": (True, "Hij had een betalingsachterstand bij een energiebedrijf"),
            "has_addiction": (False, "Van verslaving is niets gebleken."),
            "known_to_police_before": (
                True,
                "Hij werd eerder veroordeeld voor diefstal en heling.",
            ),
        },
        {
            "label": "Anouk Verschoor",
            "age_at_start": (19, "Anouk Verschoor, destijds negentien jaar oud"),
            "gender": ("female", "[[Zij]] gebruikte af en toe xtc"),
            "has_diploma": (True, "Anouk V. had net haar havo-diploma behaald"),
            "known_to_police_before": (False, "Zij was niet bij politie of justitie bekend."),
            "known_to_care_before": (
                True,
                "stond zij onder toezicht van een gezinsvoogd van de jeugdbescherming",
            ),
        },
    ],
    "victims": [
        {
            "label": "Lieke Brandsma",
            "age_at_start": (15, "Lieke was toen vijftien."),
            "gender": ("female", "[[Zij]] werkte tot eind december 2020"),
            "living_situation": ("with_parents", "die bij haar vader in Sneek woonde"),
            "knew_perpetrator_before": (False, "Lieke kende hem niet"),
            "first_contact_channel": ("online", "via Facebook Messenger een bericht"),
            "first_contact_platform": ("facebook", "via Facebook Messenger een bericht"),
            "first_contact_date": ("2020-11-03", "op 3 november 2020"),
            "first_forced_date": ("2020-11-10", "op 10 november 2020"),
            "recruitment_days": (7, "op 3 november 2020", "op 10 november 2020"),
            "contact_after_exploitation": (
                True,
                "Lieke bleef na haar vlucht berichten uitwisselen met Kenneth D.",
            ),
            "perpetrators": ["P1"],
        },
        {
            "label": "Naomi Kok",
            "age_at_start": (16, "6 december 2003", "Na een paar dagen", "op 30 november 2020"),
            "gender": ("female", "[[Zij]] kende Anouk Verschoor"),
            "living_situation": (
                "care_institution",
                "woonde in een gezinshuis van een jeugdzorgaanbieder",
            ),
            "knew_perpetrator_before": (True, "al jaren van de handbalvereniging"),
            "first_contact_channel": ("offline", "al jaren van de handbalvereniging"),
            "first_contact_platform": ("other_offline", "al jaren van de handbalvereniging"),
            "first_forced_date": (
                "2020-11",
                "op 21 november 2020",
                "Na een paar dagen",
                "op 30 november 2020",
            ),
            "contact_after_exploitation": (
                False,
                "Naomi heeft na de controle geen contact meer gehad met Kenneth D. of met Anouk V.",
            ),
            "perpetrators": ["P1", "P2"],
        },
    ],
    "identifiers": [
        ("Kenneth Doornbos", "person"),
        ("Kenneth D.", "person"),
        ("Anouk Verschoor", "person"),
        ("Anouk V.", "person"),
        ("Lieke Brandsma", "person"),
        ("Lieke", "person"),
        ("Naomi Kok", "person"),
        ("Naomi", "person"),
        ("6 december 2003", "birth_date"),
        ("06-30917462", "phone"),
        ("kenneth.d.2020@example.com", "email"),
        ("Schaapweg 22, 8601 TW Sneek", "address"),
        ("3-ZFN-28", "licence_plate"),
    ],
    "phenomena": [
        "no section headings, long narrative",
        "two perpetrators (male, female recruiter), two victims with different perpetrator lists",
        "Facebook Messenger",
        "'Een week later, op 10 november 2020': recruitment 7 days from exact dates",
        "victim knew the female recruiter for years from a sports "
        "club: knew true, other_offline, date null",
        "met the main perpetrator at a party through her: not the first contact",
        "'Na een paar dagen' bounded by a later exact date: month",
        "gezinshuis of a youth-care provider: care_institution",
        "victim age from date of birth (birthday after the first forced work)",
        "'betalingsachterstand', 'beslag op zijn uitkering': debts true",
        "'Van verslaving is niets gebleken': false; occasional xtc: null",
        "diploma not mentioned: null; havo just completed: true",
        "gezinsvoogd of jeugdbescherming: care true",
        "contact after: yes (V1) / no (V2)",
    ],
}

CASES[12] = {
    "year_start": (2024, "op 4 augustus 2024", "Zes dagen na dat eerste bericht"),
    "perpetrators": [
        {
            "label": "Angelo Bruinsma",
            "age_at_start": (26, "11 maart 1998", "op 4 augustus 2024"),
            "gender": ("male", "[[Hij]] heeft geen startkwalificatie"),
            "has_diploma": (False, "Hij heeft geen startkwalificatie"),
            "has_debts": (False, "Er zijn geen aanwijzingen voor schulden"),
            "has_addiction": (True, "Angelo B. is verslaafd aan cocaïne"),
            "addiction_types": (["cocaine"], "Angelo B. is verslaafd aan cocaïne"),
            "known_to_police_before": (
                True,
                "Hij werd eerder veroordeeld voor mishandeling en voor drugshandel.",
            ),
            "known_to_care_before": (
                True,
                "was daarvoor in 2022 kort in behandeling bij de verslavingszorg",
            ),
        },
        {
            "label": "Tygo Wessels",
            "age_at_start": (17, "Tygo Wessels was zeventien jaar ten tijde van de feiten."),
            "gender": ("male", "[[Hij]] zat nog op het vmbo."),
            "has_diploma": (False, "Hij zat nog op het vmbo."),
            "known_to_police_before": (True, "Tygo W. was bekend bij Halt"),
        },
    ],
    "victims": [
        {
            "label": "Chelsea Dijkman",
            "age_at_start": (16, "de toen zestienjarige Chelsea"),
            "gender": ("female", "[[Zij]] woonde bij haar moeder in Harlingen."),
            "living_situation": ("with_parents", "Zij woonde bij haar moeder in Harlingen."),
            "knew_perpetrator_before": (False, "Chelsea kende hem niet."),
            "first_contact_channel": ("online", "een WhatsApp-bericht van een onbekend nummer"),
            "first_contact_platform": ("whatsapp", "een WhatsApp-bericht van een onbekend nummer"),
            "first_contact_date": ("2024-08-04", "op 4 augustus 2024"),
            "first_forced_date": (
                "2024-08-10",
                "op 4 augustus 2024",
                "Zes dagen na dat eerste bericht",
            ),
            "recruitment_days": (6, "Zes dagen na dat eerste bericht"),
            "contact_after_exploitation": (
                False,
                "Er zijn geen aanwijzingen dat Chelsea na haar vertrek nog contact had",
            ),
            "perpetrators": ["P1", "P2"],
        },
        {
            "label": "Joyce Hofman",
            "age_at_start": (18, "30-08-2006", "Begin september 2024"),
            "gender": ("female", "[[Zij]] werd eind augustus 2024"),
            "living_situation": (
                "homeless",
                "verbleef in een opvang voor dak- en thuisloze jongeren",
            ),
            "knew_perpetrator_before": (False, "Zij had hem nog nooit gezien."),
            "first_contact_channel": ("offline", "op het Stationsplein aangesproken"),
            "first_contact_platform": ("public_place", "op het Stationsplein aangesproken"),
            "first_contact_date": ("2024-08", "eind augustus 2024"),
            "first_forced_date": ("2024-09", "Begin september 2024"),
            "contact_after_exploitation": (
                True,
                "Joyce zocht na haar vertrek zelf nog enkele keren contact met Angelo B.",
            ),
            "perpetrators": ["P1"],
        },
        {
            "label": "Mila",
            "gender": ("female", "[[Zij]] kwam via Discord"),
            "living_situation": (
                "care_institution",
                "woonde in een woongroep van een jeugdzorginstelling in Drachten",
            ),
            "knew_perpetrator_before": (False, "kende hem daarvoor niet"),
            "first_contact_channel": ("online", "Zij kwam via Discord met Angelo B. in contact"),
            "first_contact_platform": (
                "other_online",
                "Zij kwam via Discord met Angelo B. in contact",
            ),
            "perpetrators": ["P1"],
        },
    ],
    "identifiers": [
        ("Angelo Bruinsma", "person"),
        ("Angelo B.", "person"),
        ("Tygo Wessels", "person"),
        ("Tygo W.", "person"),
        ("Chelsea Dijkman", "person"),
        ("Chelsea", "person"),
        ("Joyce Hofman", "person"),
        ("Joyce", "person"),
        ("Mila", "person"),
        ("11 maart 1998", "birth_date"),
        ("30-08-2006", "birth_date"),
        ("NL78 SNSB 2279 4198 93", "iban"),
        ("Boterhoek 9, 8911 DJ Leeuwarden", "address"),
        ("06-81350627", "phone"),
        ("987825707", "bsn"),
    ],
    "phenomena": [
        "police-to-OM handover note, three victims, two perpetrators (one aged 17)",
        "'zouden hebben uitgebuit' in the introduction does not hedge the established facts",
        "WhatsApp from an unknown number; 'Zes dagen na dat eerste bericht': recruitment 6 days",
        "approached at a station square: public_place; youth homeless shelter: homeless",
        "victim age from date of birth days before the first forced work (18)",
        "Discord: other_online; first contact and first forced "
        "work not dated; 'thans vijftien': null",
        "'Er zijn geen aanwijzingen voor schulden' / 'dat ... nog contact had': false",
        "victim seeking contact herself: contact true",
        "cocaine addiction with addiction care: addiction true, care true",
        "still at vmbo: diploma false; Halt: police true; jeugdreclassering not care: null",
        "debt claimed by co-suspect and denied: null",
    ],
}


def main() -> int:
    return write_all(CASES, HERE, PREFIX)


if __name__ == "__main__":
    raise SystemExit(main())
