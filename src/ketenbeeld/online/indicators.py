"""Indicators on advertisements, each with the evidence that fired it.

*Text* indicators (youth, third-party control, new) fire on a phrase of the lexicon
in an ad's title or text; the hit keeps the phrase as written and its offsets.
*Group* indicators look at the ads that share a contact (phone number, e-mail
address or handle): several names or ages behind one contact, one contact in
several cities within days (mobility), many ads within hours (burst); and a price
far below the median of the city. No indicator says anything about a person by
their traits; each says which ads and which words or values an analyst should look at.
"""

from __future__ import annotations

import re
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from ketenbeeld.online.lexicon import Lexicon, fold

__all__ = [
    "AdLike",
    "Hit",
    "city_medians",
    "contact_groups",
    "group_hits",
    "names_and_ages",
    "price_hits",
    "text_hits",
]


class AdLike(Protocol):
    """What the indicators read of an ad (an ``Ad`` or a stored ``AdRecord``)."""

    @property
    def ad_id(self) -> str: ...
    @property
    def posted_at(self) -> datetime | None: ...
    @property
    def city(self) -> str | None: ...
    @property
    def title(self) -> str | None: ...
    @property
    def text(self) -> str: ...
    @property
    def age(self) -> int | None: ...
    @property
    def price(self) -> float | None: ...
    @property
    def phones(self) -> Sequence[str]: ...
    @property
    def emails(self) -> Sequence[str]: ...
    @property
    def handles(self) -> Sequence[str]: ...


@dataclass(frozen=True)
class Hit:
    """One indicator firing.

    Attributes:
        indicator: the lexicon name, e.g. ``youth``.
        ad_ids: the ads it is about.
        evidence: the phrase as written, or the values behind a group rule.
        field: ``title`` or ``text`` for a phrase; empty for a group rule.
        start / end: the phrase's offsets in that field (-1 for a group rule).
        contact: the shared contact of a group rule (empty for a phrase).
    """

    indicator: str
    ad_ids: tuple[str, ...]
    evidence: str
    field: str = ""
    start: int = -1
    end: int = -1
    contact: str = ""


def text_hits(ad: AdLike, lexicon: Lexicon) -> list[Hit]:
    """The phrase indicators firing in one ad, in order of appearance per field."""
    hits: list[Hit] = []
    for field_name in ("title", "text"):
        value = getattr(ad, field_name) or ""
        folded = fold(value)
        for indicator in lexicon.text.values():
            for pattern in indicator.patterns:
                for match in pattern.finditer(folded):
                    hits.append(
                        Hit(
                            indicator.name,
                            (ad.ad_id,),
                            value[match.start() : match.end()],
                            field_name,
                            match.start(),
                            match.end(),
                        )
                    )
    hits.sort(key=lambda h: (h.field != "title", h.start, h.indicator))
    return hits


_NAME_PATTERNS = (
    re.compile(r"(?:[Ii]k ben|[Mm]ijn naam is|[Jj]e spreekt met|[Ii] am|I'm|[Mm]y name is|"
               r"[Tt]his is|[Mm]eet)\s+([A-Z][a-zà-ÿ]{2,})"),
    re.compile(r"(?:^|[.!?]\s+)([A-Z][a-zà-ÿ]{2,}) hier\b"),
)  # fmt: skip
_AGE_PATTERNS = (
    re.compile(r"\((\d{2})\)"),
    re.compile(r"\b(\d{2})\s*(?:jaar|years? old|jr)\b"),
)
_NOT_NAMES = {"Hier", "Een", "Het", "The", "Your", "Jouw", "Massage", "Welkom", "Welcome"}


def names_and_ages(ad: AdLike) -> tuple[set[str], set[int]]:
    """The names an ad introduces ("Ik ben Anna", "Tess hier") and the ages it states."""
    text = f"{ad.title or ''}. {ad.text}"
    names = {
        m.group(1)
        for pattern in _NAME_PATTERNS
        for m in pattern.finditer(text)
        if m.group(1) not in _NOT_NAMES
    }
    ages = {int(m.group(1)) for pattern in _AGE_PATTERNS for m in pattern.finditer(text)}
    if ad.age is not None:
        ages.add(ad.age)
    return names, {age for age in ages if 16 <= age <= 99}


def contact_groups(ads: Iterable[AdLike]) -> dict[str, list[AdLike]]:
    """The ads of each contact (``+31612345678``, ``lisa@mail.nl``, ``snapchat:lisa_x``)."""
    groups: dict[str, list[AdLike]] = defaultdict(list)
    for ad in ads:
        for contact in (*ad.phones, *ad.emails, *ad.handles):
            groups[contact].append(ad)
    return dict(groups)


def _windows(
    ads: list[AdLike], span: timedelta
) -> Iterable[tuple[list[AdLike], datetime, datetime]]:
    """For each dated ad, the run of ads posted within ``span`` from it (by time)."""
    dated = sorted(
        ((ad.posted_at, ad) for ad in ads if ad.posted_at is not None), key=lambda p: p[0]
    )
    stop = 0
    for start, (first, _) in enumerate(dated):
        stop = max(stop, start)
        while stop + 1 < len(dated) and dated[stop + 1][0] - first <= span:
            stop += 1
        yield [ad for _, ad in dated[start : stop + 1]], first, dated[stop][0]


def group_hits(contact: str, ads: list[AdLike], lexicon: Lexicon) -> list[Hit]:
    """The group rules firing for the ads of one contact."""
    hits: list[Hit] = []
    rules = lexicon.group
    if "several_names" in rules:
        names: set[str] = set()
        ages: set[int] = set()
        for ad in ads:
            found_names, found_ages = names_and_ages(ad)
            names |= found_names
            ages |= found_ages
        # Ages one year apart can be one person's birthday; two years or more cannot.
        spread = max(ages) - min(ages) if ages else 0
        need = rules["several_names"].params["min_distinct"]
        if len(names) >= need or spread >= 2:
            parts = []
            if len(names) >= need:
                parts.append("names " + ", ".join(sorted(names)))
            if spread >= 2:
                parts.append("ages " + ", ".join(str(a) for a in sorted(ages)))
            hits.append(
                Hit("several_names", tuple(a.ad_id for a in ads), "; ".join(parts), contact=contact)
            )
    if "mobility" in rules:
        params = rules["mobility"].params
        best: tuple[list[AdLike], datetime, datetime] | None = None
        for window, start, end in _windows(ads, timedelta(days=params["within_days"])):
            cities = {fold(a.city) for a in window if a.city}
            if len(cities) >= params["min_cities"] and (
                best is None or len(cities) > len({fold(a.city) for a in best[0] if a.city})
            ):
                best = (window, start, end)
        if best is not None:
            window, start, end = best
            cities_in_order = list(dict.fromkeys(a.city for a in window if a.city))
            days = (end - start).total_seconds() / 86400
            hits.append(
                Hit(
                    "mobility",
                    tuple(a.ad_id for a in window),
                    f"{len(cities_in_order)} cities in {days:.1f} days: "
                    + ", ".join(str(c) for c in cities_in_order),
                    contact=contact,
                )
            )
    if "burst" in rules:
        params = rules["burst"].params
        for window, start, end in _windows(ads, timedelta(hours=params["within_hours"])):
            if len(window) >= params["min_ads"]:
                hours = (end - start).total_seconds() / 3600
                hits.append(
                    Hit(
                        "burst",
                        tuple(a.ad_id for a in window),
                        f"{len(window)} ads in {hours:.1f} hours",
                        contact=contact,
                    )
                )
                break
    return hits


def city_medians(ads: Iterable[AdLike], min_ads: int) -> dict[str, float]:
    """The median price per city (folded name), for cities with at least ``min_ads`` prices."""
    prices: dict[str, list[float]] = defaultdict(list)
    for ad in ads:
        if ad.city and ad.price is not None:
            prices[fold(ad.city)].append(ad.price)
    return {city: statistics.median(p) for city, p in prices.items() if len(p) >= min_ads}


def price_hits(ads: Iterable[AdLike], lexicon: Lexicon, medians: dict[str, float]) -> list[Hit]:
    """Ads asking well below their city's median price."""
    rule = lexicon.group.get("low_price")
    if rule is None:
        return []
    share = rule.params["below_share_of_median"]
    hits = []
    for ad in ads:
        median = medians.get(fold(ad.city)) if ad.city else None
        if ad.price is not None and median and ad.price < share * median:
            hits.append(
                Hit(
                    "low_price",
                    (ad.ad_id,),
                    f"€{ad.price:g} against a median of €{median:g} in {ad.city}",
                )
            )
    return hits
