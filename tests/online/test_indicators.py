"""Each indicator fires on its evidence, names it, and stays silent without it."""

from __future__ import annotations

import pytest
import yaml

from ketenbeeld.errors import ConfigError
from ketenbeeld.online.ads import parse_record
from ketenbeeld.online.indicators import (
    city_medians,
    contact_groups,
    group_hits,
    names_and_ages,
    price_hits,
    text_hits,
)
from ketenbeeld.online.lexicon import fold, load_lexicon, parse_lexicon

LEXICON = load_lexicon("1")


def ad(ad_id="a1", **fields):
    record = {"ad_id": ad_id, "text": "Rustige massage, bel voor een afspraak.", **fields}
    parsed, problems, _ = parse_record(record, "test", "line 1")
    assert parsed is not None, problems
    return parsed


@pytest.mark.parametrize(
    ("text", "indicator", "phrase"),
    [
        ("Hoi! Net 18 en nieuw hier.", "youth", "Net 18"),
        ("Pas achttien geworden.", "youth", "Pas achttien"),
        ("Just turned 18, calm and sweet.", "youth", "Just turned 18"),
        ("Onze dames ontvangen je graag.", "third_party", "Onze dames"),
        ("Zij spreekt weinig Nederlands, afspraken via ons.", "third_party", "Zij spreekt"),
        ("Call us, we arrange everything for her.", "third_party", "Call us"),
        ("Nieuw in Zwolle!", "new", "Nieuw in"),
        ("Mijn eerste week in Breda.", "new", "Mijn eerste week"),
        ("Just arrived in Delft.", "new", "Just arrived"),
    ],
)
def test_text_indicators_fire_on_their_phrases_with_offsets(text, indicator, phrase):
    hits = [h for h in text_hits(ad(text=text), LEXICON) if h.indicator == indicator]
    assert hits, f"{indicator} did not fire"
    first = hits[0]
    assert (first.evidence, first.field) == (phrase, "text")
    assert text[first.start : first.end] == phrase


@pytest.mark.parametrize(
    "text",
    [
        "Ervaren masseuse, al jaren in Utrecht. Bel of app.",
        "Ik werk voor mezelf, alleen op afspraak.",
        "Jongleren is mijn hobby. Rond 18 uur beschikbaar.",
        "I work independently; appointments by phone.",
    ],
)
def test_text_indicators_stay_silent_on_ordinary_text(text):
    assert text_hits(ad(text=text), LEXICON) == []


def test_fold_keeps_offsets():
    assert fold("Zoë É") == "zoe e"
    assert len(fold("ﬁne Ærø")) == len("ﬁne Ærø")


def test_several_names_or_ages_behind_one_number():
    ads = [
        ad("a1", phone="0612345678", text="Ik ben Anna (19). Bel me."),
        ad("a2", phone="06-12345678", text="Mijn naam is Eva, 24 jaar."),
        ad("a3", phone="0687654321", text="Ik ben Mia (22)."),
    ]
    groups = contact_groups(ads)
    hits = group_hits("+31612345678", groups["+31612345678"], LEXICON)
    assert [(h.indicator, h.ad_ids, h.evidence) for h in hits] == [
        ("several_names", ("a1", "a2"), "names Anna, Eva; ages 19, 24")
    ]
    assert group_hits("+31687654321", groups["+31687654321"], LEXICON) == []
    assert names_and_ages(ads[0]) == ({"Anna"}, {19})


def test_a_birthday_is_not_a_second_age():
    ads = [ad("a1", text="Ik ben Anna (19)."), ad("a2", text="Ik ben Anna (20).")]
    assert group_hits("x", ads, LEXICON) == []


def test_mobility_needs_three_cities_within_seven_days():
    def at(ad_id, day, city):
        return ad(ad_id, posted_at=f"2026-03-{day:02d}T12:00:00", city=city, phone="0612345678")

    touring = [at("a1", 1, "Utrecht"), at("a2", 3, "Zwolle"), at("a3", 6, "Breda")]
    hits = group_hits("+31612345678", touring, LEXICON)
    assert [(h.indicator, h.ad_ids, h.evidence) for h in hits] == [
        ("mobility", ("a1", "a2", "a3"), "3 cities in 5.0 days: Utrecht, Zwolle, Breda")
    ]
    slow = [at("a1", 1, "Utrecht"), at("a2", 5, "Zwolle"), at("a3", 9, "Breda")]
    assert group_hits("+31612345678", slow, LEXICON) == []


def test_a_burst_is_eight_ads_within_two_hours():
    def at(ad_id, minute):
        hour, rest = divmod(minute, 60)
        return ad(ad_id, posted_at=f"2026-03-01T{10 + hour:02d}:{rest:02d}:00", phone="0612345678")

    burst = [at(f"a{n}", n * 15) for n in range(8)]  # 8 ads in 105 minutes
    hits = group_hits("+31612345678", burst, LEXICON)
    assert [(h.indicator, len(h.ad_ids), h.evidence) for h in hits] == [
        ("burst", 8, "8 ads in 1.8 hours")
    ]
    spread = [at(f"a{n}", n * 20) for n in range(8)]  # 8 ads in 140 minutes
    assert group_hits("+31612345678", spread, LEXICON) == []


def test_low_price_against_the_city_median():
    ads = [ad(f"a{n}", city="Utrecht", price=str(150 + n)) for n in range(10)]
    ads.append(ad("cheap", city="Utrecht", price="€80"))
    ads.append(ad("elsewhere", city="Breda", price="€80"))
    medians = city_medians(ads, min_ads=10)
    assert medians == {"utrecht": 154.0}  # 80, 150..159: the sixth of eleven
    hits = price_hits(ads, LEXICON, medians)
    assert [(h.ad_ids, h.evidence) for h in hits] == [
        (("cheap",), "€80 against a median of €154 in Utrecht")
    ]


def test_a_lexicon_with_problems_lists_them_all(tmp_path):
    raw = {
        "version": "9",
        "text": {"youth": {"label": {"nl": "x"}, "weight": -1, "patterns": ["(unclosed"]}},
        "group": {"teleport": {}, "burst": {"label": {"nl": "a", "en": "b"}, "weight": 1,
                                            "explanation": {"nl": "a", "en": "b"}, "min_ads": 0}},
    }  # fmt: skip
    with pytest.raises(ConfigError) as caught:
        parse_lexicon(raw, "lex.yaml")
    assert str(caught.value).splitlines() == [
        "the lexicon lex.yaml has 7 problem(s):",
        "  - lex.yaml, text.youth, field patterns[1]: is not a regular expression",
        "  - lex.yaml, text.youth, field label: needs a Dutch (nl) and an English (en) text",
        "  - lex.yaml, text.youth, field explanation: needs a Dutch (nl) and an English (en) text",
        "  - lex.yaml, text.youth, field weight: must be a number of 0 or more",
        "  - lex.yaml, group.teleport: is not a known rule (several_names, mobility, burst, "
        "low_price)",
        "  - lex.yaml, group.burst, field min_ads: must be a number above 0",
        "  - lex.yaml, group.burst, field within_hours: must be a number above 0",
    ]
    path = tmp_path / "own.yaml"
    path.write_text(yaml.safe_dump({"version": "own", "text": {}, "group": {}}))
    assert load_lexicon(path).version == "own"
