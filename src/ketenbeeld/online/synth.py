"""Seeded synthetic online advertisements, and the truth about who wrote them.

SYNTHETIC DATA ONLY. Texts come from sober, non-sexual phrase pools
(``online/data/synth-phrases.yaml``: massage, company, appointments); sites are
fictional, e-mail domains reserved ``example`` ones, phone numbers random valid Dutch
mobile numbers (none was looked up).

:func:`generate_ads` gives a share ``organised_share`` of the ads to organised
operators, the rest to independent advertisers, over ``days`` days (UTC, mostly
daytime). An independent advertiser writes her own text from the pools (slots drawn
and ordered at random), so unrelated ads share common phrases but not their
composition. An operator writes one template for all its persons, filled with each
person's name, age, city and price. The rates (:data:`RATES`):

=========================  =====  =====================================================
``ind_ads_continue``       0.50   independents post 1-8 ads (geometric, mean ~2), in
                                  one city (``ind_second_city`` 0.05: 30 % in a
                                  second) on one site (``ind_cross_post`` 0.15: each
                                  ad copied to a second w.p. 0.7)
``ind_english``            0.20   of independents write English (else Dutch)
``ind_no_phone``           0.05   give only a handle or e-mail
``ind_stock_text``         0.03   copy one of six stock texts verbatim (no indicators)
``ind_youth``              0.02   state age 18-19 and a youth phrase ("Net 18")
``ind_new``                0.08   a "new" phrase ("Nieuw in Utrecht!")
``ind_low_price``          0.02   40-60 % of the city's median price (else 75-140 %)
``ind_typo``               0.20   of independents' postings have a typo
``org_persons``            3      persons per operator: 1 + Poisson(3), at most 12
``org_english``            0.30   of operators write English
``org_third_party``        0.45   write about "haar", "onze meiden" (third person)
``org_low_price``          0.30   ask 40-60 % of the city's median
``org_bursts``             0.60   post 1-3 bursts of 8-20 ads within 2 hours
``org_shared_handle``      0.25   have a booking handle, used by 70 % of the persons
(sites)                    1-3    per operator (30/40/30 %): each ad copied to each
                                  other site w.p. 0.8 within 2 h (burst: 20 min),
                                  with the same title and text
``person_touring``         0.60   tour 3-10 cities (mean 4.5), 1-2 days and 1-3 ads
                                  each, no city twice in 3 stops; the others stay in
                                  one city (20 %: two), posting every ~2.5 days
                                  for 7-60 days
``person_youth``           0.25   age 18-19 and a youth phrase in every ad
``person_new``             0.70   of touring persons (``_stationary``: 0.25) "new"
``person_booking_number``  0.35   use a booking number (1; 2 for 4+ persons)
``person_new_number``      0.25   change number once (touring: after the 3rd stop)
``ad_rotated_number``      0.10   of organised postings use a booking number
``ad_paraphrase``          0.15   of template sentences swapped for a paraphrase
``org_typo``               0.35   of organised postings have 1-2 typos
=========================  =====  =====================================================

A number is in the text of 45 % of the ads that have one (``phone_in_text``), in the
``phone`` field of the others and of 80 % of those, in the :data:`PHONE_FORMS`. A
handle (60 % of persons, 40 % of independents: Snapchat, Telegram, Instagram or a
``wa.me`` link) is in the field of 70 % of their ads and in the text of 40 %; an
e-mail (20 % / 30 %) in the field of 70 %, obfuscated (``[at]``, ``(at)``) in 40 %.
``age`` ("19", "19 jaar") is in 70 % (youth: all), ``price`` ("€150", "150 euro",
"150,-", "€ 150") in 65 % (low prices: all).

Indicators (:data:`INDICATORS`): ``youth``, ``new`` and ``third_party`` wording occurs
in exactly the ads planted with it; exactly the ``low_price`` ads ask less than 65 %
of the city's median; ``mobility`` marks the ads of a person with 3+ tour stops (3
cities within 6 days), ``burst`` the ads of a burst, ``shared_number`` those whose
number appears with several persons. Ad ids follow posting time; operator ids are
shuffled. When ``n`` cuts the last operator short, its latest ads are dropped.
"""

from __future__ import annotations

import bisect
import csv
import gc
import json
import math
import random
import string
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from importlib import resources
from itertools import accumulate
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

import yaml

from ketenbeeld.atomic import atomic_text
from ketenbeeld.errors import ConfigError, InputError, Problem

__all__ = [
    "INDICATORS", "PHONE_FORMS", "RATES", "AdTruth", "SyntheticAds", "generate_ads",
    "write_ads_jsonl", "write_truth_csv",
]  # fmt: skip

INDICATORS: Final = (
    "youth", "third_party", "shared_number", "mobility", "burst", "low_price", "new",
)  # fmt: skip
"""The indicators a truth row can list, in the order it lists them."""

RATES: Final[Mapping[str, float]] = MappingProxyType({
    "ind_ads_continue": 0.50, "ind_second_city": 0.05, "ind_cross_post": 0.15,
    "ind_english": 0.20, "ind_no_phone": 0.05, "ind_stock_text": 0.03, "ind_youth": 0.02,
    "ind_new": 0.08, "ind_low_price": 0.02, "ind_typo": 0.20, "org_persons": 3.0,
    "org_english": 0.30, "org_third_party": 0.45, "org_low_price": 0.30, "org_bursts": 0.60,
    "org_shared_handle": 0.25, "person_touring": 0.60, "person_youth": 0.25,
    "person_new": 0.70, "person_new_stationary": 0.25, "person_booking_number": 0.35,
    "person_new_number": 0.25, "ad_rotated_number": 0.10, "ad_paraphrase": 0.15,
    "org_typo": 0.35, "phone_field": 0.80, "phone_in_text": 0.45, "age_field": 0.70,
    "price_field": 0.65,
})  # fmt: skip
"""The generative model's rates (see the module docstring)."""

PHONE_FORMS: Final = (
    "06-12345678", "+31 6 1234 5678", "0612345678", "O6-1234 5678", "06.12.34.56.78",
    "nul zes 1234 5678", "06 12 34 56 78", "+31612345678", "0031 6 12345678",
)  # fmt: skip
"""How a number is written (with a letter O, in words...): 25/12/20/5/7/5/12/8/6 %."""

_PHONE_CUM: Final = tuple(accumulate((25, 12, 20, 5, 7, 5, 12, 8, 6)))
_HOUR_CUM: Final = tuple(accumulate(
    (1, 1, 1, 1, 1, 1, 2, 4, 6, 8, 9, 10, 10, 10, 10, 10, 10, 10, 9, 9, 8, 6, 4, 2)
))  # fmt: skip
_SLOTS: Final = (
    "title", "open", "about", "about3", "describe", "describe3", "offer", "place", "hours",
    "price", "contact", "contact3", "close", "youth", "new", "third",
)  # fmt: skip
# Body slots in order, with the chance to appear: (independent, organised template).
_BODY: Final = (
    ("open", 0.6, 0.7), ("about", 0.9, 1.0), ("describe", 0.7, 0.9), ("offer", 0.95, 1.0),
    ("offer", 0.4, 0.6), ("place", 0.85, 0.95), ("hours", 0.5, 0.7), ("price", 0.4, 0.6),
    ("contact", 0.9, 1.0), ("close", 0.5, 0.7),
)  # fmt: skip
_MIDDLE: Final = frozenset({"describe", "offer", "place", "hours"})
_PLACEHOLDERS: Final = frozenset({"name", "age", "city", "price", "adj1", "adj2"})
_HANDLE_FORMS: Final = (
    ("snap: {}", "snapchat: {}", "sc: {}"), ("t.me/{}", "telegram: @{}"),
    ("insta @{}", "IG: {}", "instagram.com/{}"),
)  # fmt: skip
_BOOKING_WORDS: Final = ("agenda", "bookings", "planning", "desk", "afspraken", "info")
_BURST_MIN: Final = 8
_DAY: Final = 86_400.0


@dataclass(frozen=True, slots=True)
class AdTruth:
    """What is true about one synthetic ad.

    Attributes:
        ad_id: the ad's id.
        operator_id: the organised operator, or the independent advertiser (who has
            an id of her own).
        organised: whether the operator is organised.
        indicators: the planted indicators, in :data:`INDICATORS` order.
        copies_stock_text: the (independent) advertiser copied a stock text.
        person_id: the advertised person: ``operator_id`` and a number.
    """

    ad_id: str
    operator_id: str
    organised: bool
    indicators: tuple[str, ...]
    copies_stock_text: bool
    person_id: str


@dataclass(frozen=True)
class SyntheticAds:
    """Ads as a parsed JSONL file holds them (all values text), and their truth."""

    ads: list[dict[str, str]]
    truth: list[AdTruth]


@dataclass(frozen=True)
class _Tables:
    sites: tuple[str, ...]
    site_cum: tuple[float, ...]
    cities: tuple[str, ...]
    city_cum: tuple[float, ...]
    city_price: tuple[int, ...]
    names: tuple[str, ...]
    suffixes: tuple[str, ...]
    domains: tuple[str, ...]
    adjectives: Mapping[str, tuple[str, ...]]
    stock: tuple[tuple[str, str], ...]  # (language, text)
    phrases: Mapping[str, Mapping[str, tuple[tuple[str, ...], ...]]]


def _parse(raw: Any) -> _Tables:
    """Check the phrase file, reporting every problem at once."""
    problems: list[str] = []

    def texts(value: Any, where: str, sentences: bool = False) -> tuple[str, ...]:
        if not isinstance(value, list) or not value or not all(isinstance(s, str) for s in value):
            problems.append(f"{where}: must list texts")
            return ()
        for s in value if sentences else ():
            names = {f for _, f, _, _ in string.Formatter().parse(s) if f is not None}
            if not names <= _PLACEHOLDERS or s[:1].islower() or s.startswith("{adj"):
                problems.append(f"{where}: may use {sorted(_PLACEHOLDERS)}, start with a capital")
                break
        return tuple(value)

    def weighted(key: str) -> list[tuple[str, float, int]]:
        try:
            out = [(str(x["name"]), float(x["weight"]), int(x.get("price", 1))) for x in raw[key]]
            if out and all(w > 0 and p > 0 for _, w, p in out):
                return out
        except (KeyError, TypeError, ValueError):
            pass
        problems.append(f"{key}: must list a name, a positive weight (and price) per entry")
        return [("", 1.0, 1)]

    raw = raw if isinstance(raw, dict) else {}
    if raw.get("version") != 1:
        problems.append("version: must be 1")
    sites, cities = weighted("sites"), weighted("cities")
    phrases: dict[str, dict[str, tuple[tuple[str, ...], ...]]] = {}
    adjectives: dict[str, tuple[str, ...]] = {}
    stock: list[tuple[str, str]] = []
    for lang in ("nl", "en"):
        pool = (raw.get("phrases") or {}).get(lang) or {}
        phrases[lang] = {
            slot: tuple(texts(g, f"phrases.{lang}.{slot}", True) for g in pool.get(slot) or [[]])
            for slot in _SLOTS
        }
        adjectives[lang] = texts((raw.get("adjectives") or {}).get(lang), f"adjectives.{lang}")
        stock += [(lang, s) for s in texts((raw.get("stock_texts") or {}).get(lang), "stock", True)]
    if problems:
        details = "; ".join(str(Problem("synth-phrases.yaml", "", "", p)) for p in problems)
        raise ConfigError(f"the synthetic advertisement phrases are invalid: {details}")
    return _Tables(
        tuple(s for s, _, _ in sites), tuple(accumulate(w for _, w, _ in sites)),
        tuple(c for c, _, _ in cities), tuple(accumulate(w for _, w, _ in cities)),
        tuple(p for _, _, p in cities), texts(raw.get("names"), "names"),
        texts(raw.get("handle_suffixes"), "handle_suffixes"),
        texts(raw.get("email_domains"), "email_domains"), adjectives, tuple(stock), phrases,
    )  # fmt: skip


@cache
def _load_phrases() -> _Tables:
    """The packaged phrase pools and tables, read and checked once."""
    resource = resources.files("ketenbeeld.online").joinpath("data", "synth-phrases.yaml")
    try:
        return _parse(yaml.safe_load(resource.read_text("utf-8")))
    except yaml.YAMLError as exc:
        raise ConfigError("online/data/synth-phrases.yaml is not valid YAML") from exc


_Body = list[tuple[str, int, int]]  # (slot, group, variant) per sentence
_Text = tuple[tuple[int, int], _Body, tuple[str, str]]  # title, body, adjectives
# A planned ad: time, tie-break, person, city, site, number, burst (-1: none), tour stop
# (-1: none), posting (the copies of a posting on other sites share it).
_Plan = tuple[float, int, int, int, int, str, int, int, int]


@dataclass(slots=True)
class _Person:
    op: int
    number: int  # within the operator
    organised: bool
    lang: str
    name: str
    text: _Text
    age: int = 0
    flags: set[str] = field(default_factory=set)
    numbers: list[str] = field(default_factory=list)  # the last one from switch_at on
    booking: list[str] = field(default_factory=list)  # the operator's booking numbers
    switch_at: float = math.inf
    handle: tuple[int, str] = (-1, "")  # (kind, name); kind 3 is a wa.me link
    email: str = ""
    price_factor: float = 1.0
    stock: int = -1
    stops: list[tuple[float, int]] = field(default_factory=list)  # (start, city)


class _Generator:
    """Draws operators, persons and postings, then writes the ads, with one ``Random``."""

    def __init__(self, seed: int, days: int) -> None:
        self.r = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
        self.t, self.days = _load_phrases(), days
        self.persons: list[_Person] = []
        self.plan: list[_Plan] = []
        self.numbers: set[str] = set()
        self.handles: set[str] = set()
        self.n_ops = self.bursts = self.postings = self.first_ad = 0

    def pick(self, cum: tuple[float, ...]) -> int:
        return min(bisect.bisect_right(cum, self.r.random() * cum[-1]), len(cum) - 1)

    def index(self, size: int) -> int:
        return int(self.r.random() * size)

    def poisson(self, mean: float) -> int:
        k, p, limit = 0, self.r.random(), math.exp(-mean)
        while p > limit:
            k, p = k + 1, p * self.r.random()
        return k

    def at(self, day: float) -> float:
        """A time on ``day``, at an hour drawn from the daily profile."""
        hour = self.pick(_HOUR_CUM)
        return min(int(day), self.days - 1) * _DAY + (hour + self.r.random()) * 3600.0

    def new_number(self) -> str:
        while (number := f"06{self.r.randint(10_000_000, 69_999_999)}") in self.numbers:
            pass
        self.numbers.add(number)
        return number

    def unique_handle(self, name: str) -> str:
        base = unicodedata.normalize("NFKD", name.lower()).encode("ascii", "ignore").decode()
        handle = base + "_."[self.index(2)] + self.t.suffixes[self.index(len(self.t.suffixes))]
        while handle in self.handles:
            handle += str(self.r.randint(21, 99))
        self.handles.add(handle)
        return handle

    def compose(self, lang: str, organised: bool, third: bool) -> _Text:
        """A title, a body and two adjectives, drawn from the pools."""
        r, pool, adjectives = self.r, self.t.phrases[lang], self.t.adjectives[lang]
        body: _Body = []
        for slot, p_independent, p_organised in _BODY:
            if r.random() >= (p_organised if organised else p_independent):
                continue
            slot += "3" if third and slot in ("about", "describe", "contact") else ""
            group = self.index(len(pool[slot]))
            if (slot, group) not in {(s, g) for s, g, _ in body}:
                body.append((slot, group, self.index(len(pool[slot][group]))))
            if third and slot == "offer" and all(s != "third" for s, _, _ in body):
                body.append(("third", self.index(len(pool["third"])), 0))
        middle = [i for i, (s, _, _) in enumerate(body) if s.rstrip("3") in _MIDDLE]
        if not organised and r.random() < 0.3:  # written by herself: her own order
            shuffled = r.sample([body[i] for i in middle], len(middle))
            for i, item in zip(middle, shuffled, strict=True):
                body[i] = item
        title, a = self.index(len(pool["title"])), self.index(len(adjectives))
        b = (a + 1 + self.index(len(adjectives) - 1)) % len(adjectives)
        title_variant = self.index(len(pool["title"][title]))
        return (title, title_variant), body, (adjectives[a], adjectives[b])

    def contact_details(self, p: _Person, p_handle: float, p_email: float) -> None:
        if self.r.random() < p_handle:
            kind = self.index(4 if p.numbers else 3)
            p.handle = (kind, "" if kind == 3 else self.unique_handle(p.name))
        if self.r.random() < p_email:
            domain = self.t.domains[self.index(len(self.t.domains))]
            p.email = f"{self.unique_handle(p.name)}@{domain}"

    def post(self, p: int, when: float, city: int, sites: list[int], burst: int = -1,
             stop: int = -1, p_copy: float = 0.8) -> None:  # fmt: skip
        """One posting: an ad on the first site, copies on the others."""
        person, spread = self.persons[p], (1200.0 if burst >= 0 else 7200.0)
        number = person.numbers[-1 if when >= person.switch_at else 0] if person.numbers else ""
        if person.booking and self.r.random() < RATES["ad_rotated_number"]:
            number = person.booking[self.index(len(person.booking))]
        for i, site in enumerate(sites):
            if i and self.r.random() >= p_copy:
                continue
            t = min(when + (self.r.random() * spread if i else 0.0), self.days * _DAY - 1)
            self.plan.append((t, len(self.plan), p, city, site, number, burst, stop, self.postings))
        self.postings += 1

    def operator(self) -> None:
        r, rate, op = self.r, RATES, self.n_ops
        self.n_ops += 1
        lang = "en" if r.random() < rate["org_english"] else "nl"
        third, low = r.random() < rate["org_third_party"], r.random() < rate["org_low_price"]
        sites = r.sample(range(len(self.t.sites)), 1 + (r.random() >= 0.3) + (r.random() >= 0.57))
        n_persons = min(12, 1 + self.poisson(rate["org_persons"]), len(self.t.names))
        booking = [self.new_number() for _ in range(1 if n_persons <= 3 else 2)]
        shared = ""
        if r.random() < rate["org_shared_handle"]:
            shared = self.unique_handle(_BOOKING_WORDS[self.index(len(_BOOKING_WORDS))])
        text, first = self.compose(lang, True, third), len(self.persons)
        for k, name in enumerate(r.sample(self.t.names, n_persons)):
            p = _Person(op, k, True, lang, name, text)
            youth = r.random() < rate["person_youth"]
            p.age = r.randint(18, 19) if youth else r.randint(20, 29)
            p.flags = {f for f, on in (("youth", youth), ("third_party", third)) if on}
            p.price_factor = min(1.4, max(0.75, r.lognormvariate(0.0, 0.1)))
            if low:
                p.flags.add("low_price")
                p.price_factor = r.uniform(0.4, 0.6)
            p.booking, own = booking, r.random() >= rate["person_booking_number"]
            p.numbers = [self.new_number() if own else booking[self.index(len(booking))]]
            self.contact_details(p, 0.6, 0.2)
            if shared and r.random() < 0.7:
                p.handle = (1 + self.index(2), shared)
            touring = r.random() < rate["person_touring"]
            if r.random() < rate["person_new" if touring else "person_new_stationary"]:
                p.flags.add("new")
            self.persons.append(p)
            (self.tour if touring else self.stay)(p, sites, r.random() < rate["person_new_number"])
        n_bursts = (r.random() < rate["org_bursts"]) * (1 + (r.random() < 0.4) + (r.random() < 0.2))
        for _ in range(n_bursts):
            start = self.at(r.random() * self.days) // 3600 * 3600
            for _ in range(r.randint(_BURST_MIN, 20)):
                index = first + self.index(n_persons)
                stops, t = self.persons[index].stops, start + r.random() * 7200.0
                city = stops[max(0, bisect.bisect_right(stops, (t, math.inf)) - 1)][1]
                self.post(index, t, city, sites, burst=self.bursts)
            self.bursts += 1

    def tour(self, p: _Person, sites: list[int], new_number: bool) -> None:
        r, index, n_stops = self.r, len(self.persons) - 1, 3
        while n_stops < 10 and r.random() < 0.6:
            n_stops += 1
        lengths = [1 + (r.random() < 0.5) for _ in range(n_stops)]
        while sum(lengths) > self.days:
            lengths.pop()
        day = float(self.index(self.days - sum(lengths) + 1))
        for length in lengths:
            city = self.pick(self.t.city_cum)
            while city in [c for _, c in p.stops[-2:]]:
                city = self.pick(self.t.city_cum)
            p.stops.append((day * _DAY, city))
            day += length
        if new_number and len(lengths) > 3:
            p.numbers.append(self.new_number())
            p.switch_at = p.stops[3 + self.index(len(lengths) - 3)][0]
        p.flags.add("mobility")
        for stop, ((start, city), length) in enumerate(zip(p.stops, lengths, strict=True)):
            for _ in range(1 + (r.random() < 0.5) + (length == 2 and r.random() < 0.5)):
                when = self.at(start / _DAY + r.random() * length)
                self.post(index, when, city, sites, stop=stop)

    def stay(self, p: _Person, sites: list[int], new_number: bool) -> None:
        r, index = self.r, len(self.persons) - 1
        home = self.pick(self.t.city_cum)
        second = self.pick(self.t.city_cum) if r.random() < 0.2 else home
        p.stops = [(0.0, home)]
        begin = r.random() * (self.days - 7)
        length = r.uniform(7, self.days - begin)
        if new_number:
            p.numbers.append(self.new_number())
            p.switch_at = (begin + r.random() * length) * _DAY
        for _ in range(max(1, self.poisson(length / 2.5))):
            city = second if r.random() < 0.3 else home
            self.post(index, self.at(begin + r.random() * length), city, sites)

    def independent(self) -> None:
        r, rate, t = self.r, RATES, self.t
        u, lang = r.random(), "en" if r.random() < rate["ind_english"] else "nl"
        stock = self.index(len(t.stock)) if u < rate["ind_stock_text"] else -1
        lang = t.stock[stock][0] if stock >= 0 else lang
        name = t.names[self.index(len(t.names))]
        p = _Person(self.n_ops, 0, False, lang, name, self.compose(lang, False, False))
        p.stock, self.n_ops = stock, self.n_ops + 1
        youth = stock < 0 and u < rate["ind_stock_text"] + rate["ind_youth"]
        p.age = r.randint(18, 19) if youth else int(r.triangular(18, 45, 27))
        p.flags = {"youth"} if youth else set()
        if stock < 0 and r.random() < rate["ind_new"]:
            p.flags.add("new")
        p.price_factor = min(1.4, max(0.75, r.lognormvariate(0.0, 0.12)))
        if stock < 0 and r.random() < rate["ind_low_price"]:
            p.flags.add("low_price")
            p.price_factor = r.uniform(0.4, 0.6)
        p.numbers = [self.new_number()] if r.random() >= rate["ind_no_phone"] else []
        self.contact_details(p, 0.4 if p.numbers else 1.0, 0.3)
        home = self.pick(t.city_cum)
        second = self.pick(t.city_cum) if r.random() < rate["ind_second_city"] else home
        p.stops, sites = [(0.0, home)], [self.pick(t.site_cum)]
        if r.random() < rate["ind_cross_post"]:
            sites.append((sites[0] + 1 + self.index(len(t.sites) - 1)) % len(t.sites))
        self.persons.append(p)
        n_ads = 1
        while n_ads < 8 and r.random() < rate["ind_ads_continue"]:
            n_ads += 1
        for _ in range(n_ads):
            city, when = (second if r.random() < 0.3 else home), self.at(r.random() * self.days)
            self.post(len(self.persons) - 1, when, city, sites, p_copy=0.7)

    def fill(self, target: int, organised: bool) -> None:
        """Add operators (or advertisers) up to ``target`` ads; cut the last one's latest."""
        goal = len(self.plan) + target
        while len(self.plan) < goal:
            self.first_ad = len(self.plan)
            self.operator() if organised else self.independent()
        self.plan[self.first_ad :] = sorted(self.plan[self.first_ad :])[: goal - self.first_ad]

    def sentence(self, p: _Person, slot: str, group: int, variant: int,
                 fields: Mapping[str, str]) -> str:  # fmt: skip
        variants = self.t.phrases[p.lang][slot][group]
        if p.organised and len(variants) > 1 and self.r.random() < RATES["ad_paraphrase"]:
            variant = (variant + 1 + self.index(len(variants) - 1)) % len(variants)
        return variants[variant].format_map(fields)

    def text(self, index: int, p: _Person, fields: Mapping[str, str], contact: str) -> str:
        """The text of a posting: the body, the indicator phrases, contact details, typos."""
        if p.stock >= 0:
            return f"{self.t.stock[p.stock][1].format_map(fields)} {contact}".rstrip()
        pool, body, out = self.t.phrases[p.lang], p.text[1], []  # (sentence, may get a typo)
        youth = ""
        if "youth" in p.flags:
            youth = self.sentence(p, "youth", index % len(pool["youth"]), 0, fields)
        for slot, group, variant in body:
            if slot == "close" and contact:
                out.append((contact, False))
                contact = ""
            out.append((self.sentence(p, slot, group, variant, fields), slot != "third"))
            if slot.startswith("contact") and contact:
                out.append((contact, False))
                contact = ""
            if slot.startswith("about") and "youth" in p.flags:
                out.append((youth, False))
        at = int(bool(body) and body[0][0] == "open")  # after the greeting
        if "youth" in p.flags and not any(s.startswith("about") for s, _, _ in body):
            out.insert(at, (youth, False))
        if "new" in p.flags:
            new = self.sentence(p, "new", index // 3 % len(pool["new"]), 0, fields)
            out.insert(at, (new, False))
        out += [(contact, False)] if contact else []
        n_typos = self.r.random() < RATES["org_typo" if p.organised else "ind_typo"]
        for _ in range(n_typos * (1 + (p.organised and self.r.random() < 0.3))):
            if eligible := [i for i, (_, ok) in enumerate(out) if ok]:
                i = eligible[self.index(len(eligible))]
                out[i] = (self.typo(out[i][0]), True)
        return " ".join(s for s, _ in out)

    def typo(self, text: str) -> str:
        """One letter swapped with the next, dropped or doubled."""
        at = [i for i in range(len(text) - 1) if text[i].isalpha() and text[i + 1].isalpha()]
        if not at:
            return text
        i, op = at[self.index(len(at))], self.index(3)
        return text[:i] + (text[i + 1] + text[i], "", text[i] * 2)[op] + text[i + 2 - (op > 0) :]

    def phone(self, digits: str) -> str:
        s = digits[2:]
        return (
            f"06-{s}", f"+31 6 {s[:4]} {s[4:]}", digits, f"O6-{s[:4]} {s[4:]}",
            f"06.{s[:2]}.{s[2:4]}.{s[4:6]}.{s[6:]}", f"nul zes {s[:4]} {s[4:]}",
            f"06 {s[:2]} {s[2:4]} {s[4:6]} {s[6:]}", f"+316{s}", f"0031 6 {s}",
        )[self.pick(_PHONE_CUM)]  # fmt: skip

    def handle(self, p: _Person) -> str:
        kind, name = p.handle
        if kind == 3:
            return f"wa.me/31{p.numbers[0][1:]}"
        return _HANDLE_FORMS[kind][self.index(len(_HANDLE_FORMS[kind]))].format(name)

    def email(self, address: str) -> str:
        local, domain = address.split("@")
        if self.r.random() >= 0.4:
            return address
        return (
            f"{local} [at] {domain.replace('.', ' [dot] ')}", f"{local}(at){domain}",
            f"{local} at {domain.replace('.', ' dot ')}",
        )[self.index(3)]  # fmt: skip

    def price(self, euros: int) -> str:
        forms = (f"€{euros}", f"{euros} euro", f"{euros},-", f"€ {euros}")
        return forms[bisect.bisect_right((0.4, 0.7, 0.9), self.r.random())]

    def render(self, start: date) -> SyntheticAds:
        """The planned ads in time order, as records, with the truth about each."""
        r, t, rate = self.r, self.t, RATES
        plan = sorted(self.plan)
        stops: dict[int, set[int]] = defaultdict(set)
        burst_size: dict[int, int] = defaultdict(int)
        number_persons: dict[str, set[int]] = defaultdict(set)
        for _, _, index, _, _, number, burst, stop, _ in plan:
            stops[index].add(stop)
            burst_size[burst] += 1
            number_persons[number].add(index)
        order = r.sample(range(self.n_ops), self.n_ops)
        op_ids = [f"SYN-OP{k + 1:0{max(6, len(str(self.n_ops)))}d}" for k in order]
        days = [f"{start + timedelta(days=d)}T" for d in range(self.days)]
        width = max(7, len(str(len(plan))))
        ads: list[dict[str, str]] = []
        truth: list[AdTruth] = []
        posted: dict[int, tuple[str, str, bool]] = {}  # posting -> title, text, number in it
        for i, (when, _, index, city, site, number, burst, _, posting) in enumerate(plan):
            p, seconds = self.persons[index], int(when)
            price = max(5, round(t.city_price[city] * p.price_factor / 5) * 5)
            ad = {
                "ad_id": f"SYN-AD{i + 1:0{width}d}",
                "posted_at": f"{days[seconds // 86400]}{seconds // 3600 % 24:02d}:"
                f"{seconds // 60 % 60:02d}:{seconds % 60:02d}Z",
                "site": t.sites[site],
                "city": t.cities[city],
            }
            if posting not in posted:  # the copies of a posting share its title and text
                contact = []
                if in_text := bool(number) and r.random() < rate["phone_in_text"]:
                    contact.append(self.phone(number))
                if p.handle[0] >= 0 and r.random() < 0.4:
                    contact.append(self.handle(p))
                fields = {
                    "name": p.name, "age": str(p.age), "city": t.cities[city],
                    "price": self.price(price), "adj1": p.text[2][0], "adj2": p.text[2][1],
                }  # fmt: skip
                title = self.sentence(p, "title", *p.text[0], fields)
                posted[posting] = (title, self.text(index, p, fields, " ".join(contact)), in_text)
            title, text, in_text = posted[posting]
            if number and (not in_text or r.random() < rate["phone_field"]):
                ad["phone"] = self.phone(number)
            if p.email and r.random() < 0.7:
                ad["email"] = self.email(p.email)
            if p.handle[0] >= 0 and r.random() < 0.7:
                ad["handle"] = self.handle(p)
            ad["title"], ad["text"] = title, text
            if "youth" in p.flags or r.random() < rate["age_field"]:
                ad["age"] = f"{p.age} jaar" if r.random() < 0.5 else str(p.age)
            if "low_price" in p.flags or r.random() < rate["price_field"]:
                ad["price"] = self.price(price)
            flags = set(p.flags)
            if burst >= 0 and burst_size[burst] >= _BURST_MIN:
                flags.add("burst")
            if number and len(number_persons[number]) > 1:
                flags.add("shared_number")
            if "mobility" in flags and len(stops[index] - {-1}) < 3:
                flags.discard("mobility")  # the operator was cut short
            ads.append(ad)
            op_id, indicators = op_ids[p.op], tuple(x for x in INDICATORS if x in flags)
            person_id = f"{op_id}-{p.number + 1}"
            truth.append(
                AdTruth(ad["ad_id"], op_id, p.organised, indicators, p.stock >= 0, person_id)
            )
        return SyntheticAds(ads, truth)


def generate_ads(
    n: int,
    seed: int,
    *,
    organised_share: float = 0.30,
    days: int = 60,
    start: date = date(2025, 1, 1),
) -> SyntheticAds:
    """Generate ``n`` synthetic ads and the truth about them (see the module docstring).

    Args:
        n: the number of ads (0 or more).
        seed: the same seed gives the same ads, byte for byte.
        organised_share: the share of the ads posted by organised operators (0-1).
        days: the period of posting, in days (7 or more).
        start: the first day of the period (times are UTC).

    Returns:
        The ads in posting order (all values text; absent fields left out) and one
        :class:`AdTruth` per ad, in the same order.

    Raises:
        InputError: an argument is out of range.

    Example:
        >>> result = generate_ads(500, seed=1)
        >>> len(result.ads), result.ads[0]["ad_id"], result.truth[0].ad_id
        (500, 'SYN-AD0000001', 'SYN-AD0000001')
    """
    for name, value in (("n", n), ("seed", seed), ("days", days)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InputError(f"{name} must be a whole number of 0 or more")
    if days < 7:
        raise InputError("days must be 7 or more", hint="a tour needs a week of postings")
    if not 0.0 <= organised_share <= 1.0:
        raise InputError("organised_share must be between 0 and 1")
    collecting = gc.isenabled()
    gc.disable()  # millions of new small objects would trigger needless full collections
    try:
        generator = _Generator(seed, days)
        generator.fill(round(n * organised_share), organised=True)
        generator.fill(n - len(generator.plan), organised=False)
        return generator.render(start)
    finally:
        if collecting:
            gc.enable()


def write_ads_jsonl(ads: Iterable[Mapping[str, str]], path: str | Path) -> int:
    """Write ads as JSONL (one JSON object per line, UTF-8), replacing ``path`` atomically.

    Returns:
        The number of ads written.

    Example:
        >>> import tempfile, pathlib
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "ads.jsonl"
        >>> write_ads_jsonl(generate_ads(3, seed=1).ads, target)
        3
    """
    count = 0
    with atomic_text(Path(path)) as stream:
        for ad in ads:
            stream.write(json.dumps(ad, ensure_ascii=False) + "\n")
            count += 1
    return count


def write_truth_csv(truth: Iterable[AdTruth], path: str | Path) -> int:
    """Write the truth as CSV ``ad_id,operator_id,organised,indicators,copies_stock_text``.

    ``organised`` and ``copies_stock_text`` are ``true`` or ``false``; ``indicators``
    are joined with ``;`` (empty when none). ``path`` is replaced atomically.

    Returns:
        The number of rows written (without the header).

    Example:
        >>> import tempfile, pathlib
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "truth.csv"
        >>> write_truth_csv(generate_ads(3, seed=1).truth, target)
        3
        >>> target.read_text().splitlines()[0]
        'ad_id,operator_id,organised,indicators,copies_stock_text'
    """
    count = 0
    with atomic_text(Path(path)) as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(("ad_id", "operator_id", "organised", "indicators", "copies_stock_text"))
        for row in truth:
            writer.writerow((
                row.ad_id, row.operator_id, str(row.organised).lower(), ";".join(row.indicators),
                str(row.copies_stock_text).lower(),
            ))  # fmt: skip
            count += 1
    return count
