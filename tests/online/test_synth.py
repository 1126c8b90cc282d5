"""Tests of the synthetic advertisements (ketenbeeld.online.synth)."""

from __future__ import annotations

import csv
import json
import random
import re
import statistics
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from ketenbeeld.errors import ConfigError, InputError
from ketenbeeld.online.synth import (
    INDICATORS,
    RATES,
    AdTruth,
    SyntheticAds,
    _parse,
    generate_ads,
    write_ads_jsonl,
    write_truth_csv,
)

N, SEED = 20_000, 5
FIELDS = ("ad_id", "posted_at", "site", "city", "phone", "email", "handle", "title", "text",
          "age", "price")  # fmt: skip
# Words that must never appear: the wording is sober and non-sexual.
FORBIDDEN = ("sex", "seks", "sexy", "naakt", "nude", "naked", "erotic", "erotisch", "porn",
             "geil", "horny", "neuk", "fuck", "orgasm", "oraal", "oral", "anal", "pijp", "xxx",
             "gfe", "bdsm", "kinky", "lingerie", "escort")  # fmt: skip
PHONE_FORMS = {
    "dash": r"06-(\d{8})",
    "international": r"\+31 6 (\d{4}) (\d{4})",
    "plain": r"06(\d{8})",
    "letter_o": r"O6-(\d{4}) (\d{4})",
    "dots": r"06\.(\d\d)\.(\d\d)\.(\d\d)\.(\d\d)",
    "words": r"nul zes (\d{4}) (\d{4})",
    "spaced": r"06 (\d\d) (\d\d) (\d\d) (\d\d)",
    "e164": r"\+316(\d{8})",
    "0031": r"0031 6 (\d{8})",
}
# Any of the forms inside a text (not within a longer run of digits, as in wa.me/316...).
IN_TEXT = re.compile(
    r"(?<![\d+])(?:\+31 6 |\+316|0031 6 |O6-|06[-. ]?|nul zes )"
    r"(\d\d[ .]?\d\d[ .]?\d\d[ .]?\d\d)(?!\d)"
)


@pytest.fixture(scope="module")
def large() -> SyntheticAds:
    return generate_ads(N, SEED)


@pytest.fixture(scope="module")
def pairs(large: SyntheticAds) -> list[tuple[dict[str, str], AdTruth]]:
    return list(zip(large.ads, large.truth, strict=True))


@pytest.fixture(scope="module")
def tables() -> dict[str, Any]:
    resource = resources.files("ketenbeeld.online").joinpath("data", "synth-phrases.yaml")
    loaded: dict[str, Any] = yaml.safe_load(resource.read_text("utf-8"))
    return loaded


def _pattern(sentences: list[str]) -> re.Pattern[str]:
    """A regex matching any of the sentences, placeholders filled with anything."""
    parts = [re.sub(r"\\\{\w+\\\}", ".+?", re.escape(s)) for s in sentences]
    return re.compile("|".join(parts))


def _indicator_pattern(tables: dict[str, Any], slot: str) -> re.Pattern[str]:
    phrases = tables["phrases"]
    return _pattern([s for lang in phrases for group in phrases[lang][slot] for s in group])


def _numbers(ad: dict[str, str]) -> set[str]:
    """The phone numbers of an ad (field and text) as 06 + 8 digits."""
    found = IN_TEXT.finditer(f"{ad.get('phone', '')} | {ad['text']}")
    return {"06" + re.sub(r"\D", "", m.group(1)) for m in found}


def _tokens(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def _jaccard(a: str, b: str) -> float:
    x, y = _tokens(a), _tokens(b)
    return len(x & y) / len(x | y)


def _time(ad: dict[str, str]) -> datetime:
    return datetime.fromisoformat(ad["posted_at"])


# --- determinism, arguments, record shape ---------------------------------------


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    for name in ("a", "b"):
        result = generate_ads(1500, seed=11)
        write_ads_jsonl(result.ads, tmp_path / f"{name}.jsonl")
        write_truth_csv(result.truth, tmp_path / f"{name}.csv")
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_other_seed_gives_other_ads() -> None:
    first, other = generate_ads(500, seed=11), generate_ads(500, seed=12)
    assert [a["text"] for a in first.ads] != [a["text"] for a in other.ads]
    assert {a.get("phone") for a in first.ads}.isdisjoint(
        {a.get("phone") for a in other.ads} - {None}
    )


@pytest.mark.parametrize("n", [0, 1, 2, 37, 1000])
def test_exactly_n_ads_with_unique_ids_and_text(n: int) -> None:
    result = generate_ads(n, seed=3)
    assert len(result.ads) == len(result.truth) == n
    assert len({a["ad_id"] for a in result.ads}) == n
    assert [a["ad_id"] for a in result.ads] == [t.ad_id for t in result.truth]
    assert all(a["text"].strip() and a["ad_id"].startswith("SYN-AD") for a in result.ads)


@pytest.mark.parametrize(
    "kwargs",
    [{"n": -1}, {"n": 1.5}, {"n": True}, {"seed": -2}, {"organised_share": 1.2}, {"days": 6}],
)
def test_bad_arguments_are_refused(kwargs: dict[str, Any]) -> None:
    arguments: dict[str, Any] = {"n": 10, "seed": 1, **kwargs}
    with pytest.raises(InputError):
        generate_ads(**arguments)


def test_records_are_text_in_the_design_fields_and_in_time_order(large: SyntheticAds) -> None:
    first = datetime.fromisoformat("2025-01-01T00:00:00+00:00")
    times = [_time(a) for a in large.ads]
    assert times == sorted(times)
    assert first <= times[0] and times[-1] < first + timedelta(days=60)
    for ad in large.ads:
        assert list(ad) == [f for f in FIELDS if f in ad]
        assert all(isinstance(v, str) and v for v in ad.values())
        assert {"ad_id", "posted_at", "site", "city", "title", "text"} <= set(ad)


def test_organised_share_and_operator_ids(pairs: list[tuple[dict[str, str], AdTruth]]) -> None:
    assert sum(t.organised for _, t in pairs) == round(N * 0.3)
    persons: dict[str, set[str]] = defaultdict(set)
    organised: dict[str, set[bool]] = defaultdict(set)
    for _, t in pairs:
        persons[t.operator_id].add(t.person_id)
        organised[t.operator_id].add(t.organised)
        assert t.person_id.startswith(t.operator_id + "-")
    assert all(len(v) == 1 for v in organised.values())
    independents = [op for op, v in organised.items() if v == {False}]
    assert all(len(persons[op]) == 1 for op in independents)
    operators = [op for op, v in organised.items() if v == {True}]
    mean_persons = statistics.mean(len(persons[op]) for op in operators)
    assert 3.3 <= mean_persons <= 4.7  # 1 + Poisson(3), at most 12
    assert len(independents) > 5000


# --- rates ------------------------------------------------------------------------


def _person_share(pairs: list[tuple[dict[str, str], AdTruth]], organised: bool, flag: str) -> float:
    flagged: dict[str, bool] = {}
    for _, t in pairs:
        if t.organised == organised and not t.copies_stock_text:
            flagged[t.person_id] = flag in t.indicators
    return sum(flagged.values()) / len(flagged)


def test_shares_are_close_to_the_documented_rates(
    pairs: list[tuple[dict[str, str], AdTruth]],
) -> None:
    assert _person_share(pairs, True, "youth") == pytest.approx(RATES["person_youth"], abs=0.08)
    assert _person_share(pairs, True, "mobility") == pytest.approx(
        RATES["person_touring"], abs=0.08
    )
    assert _person_share(pairs, False, "youth") == pytest.approx(RATES["ind_youth"], abs=0.006)
    assert _person_share(pairs, False, "new") == pytest.approx(RATES["ind_new"], abs=0.015)
    assert _person_share(pairs, False, "low_price") == pytest.approx(
        RATES["ind_low_price"], abs=0.006
    )
    advertisers = {t.operator_id: t.copies_stock_text for _, t in pairs if not t.organised}
    stock = sum(advertisers.values()) / len(advertisers)
    assert stock == pytest.approx(RATES["ind_stock_text"], abs=0.008)
    independent_ads = [a for a, t in pairs if not t.organised]
    with_age = sum("age" in a for a in independent_ads) / len(independent_ads)
    assert with_age == pytest.approx(RATES["age_field"], abs=0.03)


# --- text and linkage ----------------------------------------------------------------


def test_operators_share_a_template_and_independents_do_not(
    pairs: list[tuple[dict[str, str], AdTruth]],
) -> None:
    rng = random.Random(0)
    by_operator: dict[str, list[tuple[dict[str, str], AdTruth]]] = defaultdict(list)
    for a, t in pairs:
        by_operator[t.operator_id].append((a, t))
    within = []
    for ads in by_operator.values():
        if ads[0][1].organised and len({t.person_id for _, t in ads}) > 1:
            for _ in range(10):
                (a, t), (b, u) = rng.sample(ads, 2)
                if t.person_id != u.person_id:
                    within.append(_jaccard(a["text"], b["text"]))
    singles = [(a, t) for a, t in pairs if not t.organised and not t.copies_stock_text]
    between = []
    for _ in range(2000):
        (a, t), (b, u) = rng.sample(singles, 2)
        if t.operator_id != u.operator_id:
            between.append(_jaccard(a["text"], b["text"]))
    assert len(within) > 200
    assert statistics.median(within) >= 0.5
    assert statistics.median(between) <= 0.2
    # ...yet unrelated ads share common phrases: not trivially distinct.
    assert statistics.median(between) >= 0.05
    assert statistics.quantiles(between, n=20)[-1] >= 0.15


def test_typos_occur_at_the_documented_rates(pairs: list[tuple[dict[str, str], AdTruth]]) -> None:
    # A word that is in no phrase, name or contact form is a typo ("jaaar", "vor").
    resource = resources.files("ketenbeeld.online").joinpath("data", "synth-phrases.yaml")
    known = set(re.findall(r"\w+", resource.read_text("utf-8").lower()))
    known |= {"me", "wa", "instagram", "telegram", "snapchat", "insta", "snap", "sc", "ig",
              "nul", "zes", "euro", "jaar", "zoe", "agenda", "bookings", "planning", "desk",
              "afspraken", "info"}  # fmt: skip
    typos: dict[str, list[bool]] = defaultdict(list)
    for a, t in pairs:
        words = re.findall(r"[^\W\d_]{2,}", a["text"].lower())
        kind = "organised" if t.organised else "stock" if t.copies_stock_text else "independent"
        typos[kind].append(any(w not in known for w in words))
    share = {kind: sum(v) / len(v) for kind, v in typos.items()}
    assert share["organised"] == pytest.approx(RATES["org_typo"], abs=0.05)
    assert share["independent"] == pytest.approx(RATES["ind_typo"], abs=0.03)
    assert share["stock"] == 0


def test_stock_text_is_copied_by_different_independents(
    pairs: list[tuple[dict[str, str], AdTruth]],
) -> None:
    copies = [(a, t) for a, t in pairs if t.copies_stock_text]
    assert copies and not any(t.organised or t.indicators for _, t in copies)
    matched = 0
    for a, t in copies[:100]:
        if any(
            u.operator_id != t.operator_id and _jaccard(a["text"], b["text"]) >= 0.7
            for b, u in copies
        ):
            matched += 1
    assert matched >= 0.95 * min(100, len(copies))


def test_cross_posted_copies_share_their_text(pairs: list[tuple[dict[str, str], AdTruth]]) -> None:
    sites: dict[tuple[str, str], set[str]] = defaultdict(set)
    for a, t in pairs:
        if t.organised:
            sites[(t.person_id, a["text"])].add(a["site"])
    assert sum(len(v) >= 2 for v in sites.values()) / len(sites) >= 0.3


def test_phone_numbers_come_in_every_form(large: SyntheticAds) -> None:
    forms: Counter[str] = Counter()
    for ad in large.ads:
        if "phone" in ad:
            matching = [f for f, p in PHONE_FORMS.items() if re.fullmatch(p, ad["phone"])]
            assert len(matching) == 1, ad["phone"]
            forms[matching[0]] += 1
    assert set(forms) == set(PHONE_FORMS)
    assert min(forms.values()) >= 100


def test_handles_and_emails_come_in_several_forms(large: SyntheticAds) -> None:
    handles = " ".join(a.get("handle", "") for a in large.ads)
    for form in ("snap: ", "snapchat: ", "t.me/", "telegram: @", "insta @", "IG: ", "wa.me/31"):
        assert form in handles
    emails = [a["email"] for a in large.ads if "email" in a]
    obfuscated = sum("@" not in e for e in emails) / len(emails)
    assert obfuscated == pytest.approx(0.4, abs=0.05)
    assert any(" [at] " in e and " [dot] " in e for e in emails)


def test_no_explicit_wording(large: SyntheticAds) -> None:
    everything = " ".join(f"{ad['title']} {ad['text']}" for ad in large.ads)
    words = set(re.findall(r"\w+", everything.lower()))
    assert len(words) > 1000
    assert words.isdisjoint(FORBIDDEN)


# --- planted indicators -------------------------------------------------------------


@pytest.mark.parametrize(("indicator", "slot"), [("youth", "youth"), ("new", "new"),
                                                  ("third_party", "third")])  # fmt: skip
def test_worded_indicators_occur_exactly_in_planted_ads(
    pairs: list[tuple[dict[str, str], AdTruth]], tables: dict[str, Any], indicator: str, slot: str
) -> None:
    pattern = _indicator_pattern(tables, slot)
    planted = 0
    for a, t in pairs:
        assert bool(pattern.search(a["text"])) == (indicator in t.indicators), a["ad_id"]
        planted += indicator in t.indicators
    assert planted >= 200


def test_youth_ads_state_an_age_of_18_or_19(pairs: list[tuple[dict[str, str], AdTruth]]) -> None:
    youth = [a for a, t in pairs if "youth" in t.indicators]
    assert youth and all(re.fullmatch(r"1[89]( jaar)?", a["age"]) for a in youth)


def test_low_price_is_below_the_city_median_exactly_when_planted(
    pairs: list[tuple[dict[str, str], AdTruth]], tables: dict[str, Any]
) -> None:
    median = {c["name"]: c["price"] for c in tables["cities"]}
    for a, t in pairs:
        if "price" in a:
            euros = int(re.sub(r"\D", "", a["price"]))
            assert (euros < 0.65 * median[a["city"]]) == ("low_price" in t.indicators)
        else:
            assert "low_price" not in t.indicators


def test_mobility_means_three_cities_within_seven_days(
    pairs: list[tuple[dict[str, str], AdTruth]],
) -> None:
    ads: dict[str, list[tuple[datetime, str]]] = defaultdict(list)
    mobile: dict[str, bool] = {}
    for a, t in pairs:
        ads[t.person_id].append((_time(a), a["city"]))
        mobile[t.person_id] = "mobility" in t.indicators
    assert sum(mobile.values()) >= 100
    for person, seen in ads.items():
        if not mobile[person]:
            assert len({c for _, c in seen}) <= 2
            continue
        assert any(
            len({c for u, c in seen if t <= u < t + timedelta(days=7)}) >= 3 for t, _ in seen
        ), person


def test_bursts_are_eight_ads_or_more_within_hours(
    pairs: list[tuple[dict[str, str], AdTruth]],
) -> None:
    times: dict[str, list[datetime]] = defaultdict(list)
    for a, t in pairs:
        times[t.operator_id].append(_time(a))
    bursts = [(a, t) for a, t in pairs if "burst" in t.indicators]
    assert len(bursts) >= 200 and all(t.organised for _, t in bursts)
    window = timedelta(hours=2, minutes=20)
    for a, t in bursts:
        when = _time(a)
        assert sum(abs(u - when) <= window for u in times[t.operator_id]) >= 8


def test_shared_number_means_one_number_for_several_persons(
    pairs: list[tuple[dict[str, str], AdTruth]],
) -> None:
    persons: dict[str, set[str]] = defaultdict(set)
    numbers = [(_numbers(a), t) for a, t in pairs]
    for found, t in numbers:
        assert len(found) <= 1
        for number in found:
            persons[number].add(t.person_id)
    shared = 0
    for found, t in numbers:
        expected = any(len(persons[n]) > 1 for n in found)
        assert expected == ("shared_number" in t.indicators)
        shared += expected
    assert shared >= 500
    assert not any("shared_number" in t.indicators for _, t in pairs if not t.organised)


def test_indicators_are_listed_in_order(pairs: list[tuple[dict[str, str], AdTruth]]) -> None:
    for _, t in pairs:
        assert list(t.indicators) == [x for x in INDICATORS if x in t.indicators]


# --- files and configuration --------------------------------------------------------


def test_written_files_round_trip(tmp_path: Path) -> None:
    result = generate_ads(300, seed=8)
    assert write_ads_jsonl(result.ads, tmp_path / "ads.jsonl") == 300
    assert write_truth_csv(result.truth, tmp_path / "out" / "truth.csv") == 300
    lines = (tmp_path / "ads.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == result.ads
    with (tmp_path / "out" / "truth.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert list(rows[0]) == ["ad_id", "operator_id", "organised", "indicators", "copies_stock_text"]
    for row, truth in zip(rows, result.truth, strict=True):
        assert row["ad_id"] == truth.ad_id and row["operator_id"] == truth.operator_id
        assert row["organised"] == ("true" if truth.organised else "false")
        assert (row["indicators"].split(";") if row["indicators"] else []) == list(truth.indicators)
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["ads.jsonl", "out", "truth.csv"]


def test_invalid_phrase_file_reports_every_problem(tables: dict[str, Any]) -> None:
    broken = json.loads(json.dumps(tables))
    broken["version"] = 2
    broken["cities"][0]["weight"] = -1
    broken["phrases"]["nl"]["open"][0] = ["Hallo {nickname}!"]
    del broken["phrases"]["en"]["close"]
    with pytest.raises(ConfigError) as caught:
        _parse(broken)
    message = str(caught.value)
    for part in ("version", "cities", "phrases.nl.open", "phrases.en.close"):
        assert part in message
