"""The analysts' queue: clusters ranked by a documented, explained priority.

The priority of a cluster is a sum of named terms, each shown with its points and
the ads, phrases or values behind it::

    priority = sum over indicators that fired in the cluster of (weight of the indicator)
             + size_weight   * log2(1 + number of ads)
             + recency_weight * 0.5 ** (days since the cluster's newest ad / 7)

An indicator counts once per cluster however many ads show it (the explanation
says in how many). Text indicators (youth, third-party control, new) fire on a
phrase of the lexicon; group indicators (several names or ages behind one contact,
mobility, bursts) on the ads that share a contact; a low price against the city's
median. Weights come from the lexicon and can be overridden by the analyst. No
term is about a person's traits, and there is no learned model: the score is the
sum shown.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from ketenbeeld.errors import InputError
from ketenbeeld.online.indicators import (
    AdLike,
    Hit,
    city_medians,
    contact_groups,
    group_hits,
    price_hits,
    text_hits,
)
from ketenbeeld.online.lexicon import Lexicon

__all__ = ["RECENCY_WEIGHT", "SIZE_WEIGHT", "QueueItem", "Term", "build_queue", "parse_weights"]

SIZE_WEIGHT = 1.0
RECENCY_WEIGHT = 2.0
RECENCY_HALF_LIFE_DAYS = 7.0


@dataclass(frozen=True)
class Term:
    """One part of a priority: its name, points and the evidence in words."""

    name: str
    points: float
    evidence: str
    hits: tuple[Hit, ...] = ()


@dataclass(frozen=True)
class QueueItem:
    """A cluster in the queue with its priority and the terms that make it up."""

    cluster_id: str
    n_ads: int
    priority: float
    terms: tuple[Term, ...]
    newest: datetime | None
    cities: tuple[str, ...] = field(default=())


def parse_weights(pairs: Sequence[str], lexicon: Lexicon) -> dict[str, float]:
    """``["youth=5", "size=0.5"]`` -> weights; names are indicators, ``size`` or ``recency``.

    Raises:
        InputError: a pair is not ``name=number`` or names nothing known.
    """
    known = {*lexicon.text, *lexicon.group, "size", "recency"}
    weights: dict[str, float] = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        try:
            number = float(value)
        except ValueError:
            number = -1.0
        if name not in known or number < 0:
            raise InputError(
                f"--weight {pair} is not NAME=NUMBER (0 or more)",
                hint="names: " + ", ".join(sorted(known)),
            )
        weights[name] = number
    return weights


def _describe(hits: list[Hit], n_ads: int) -> str:
    ads = sorted({ad for hit in hits for ad in hit.ad_ids})
    shown = ", ".join(ads[:3]) + (f" and {len(ads) - 3} more" if len(ads) > 3 else "")
    phrases = list(dict.fromkeys(hit.evidence for hit in hits))
    if hits[0].field:  # phrases as written
        phrases = [f"'{phrase}'" for phrase in phrases]
    return f"{len(ads)} of {n_ads} ads ({shown}): {'; '.join(phrases)[:200]}"


def build_queue(
    ads: Sequence[AdLike],
    cluster_of: Mapping[str, str],
    lexicon: Lexicon,
    *,
    weights: Mapping[str, float] | None = None,
    now: datetime | None = None,
) -> list[QueueItem]:
    """Every cluster with its priority and explanation, highest priority first.

    Args:
        ads: the ads (stored or read).
        cluster_of: ad id -> cluster id, from :func:`~ketenbeeld.online.cluster.cluster_ads`.
        lexicon: the indicator lexicon.
        weights: overrides of indicator weights, and of ``size`` and ``recency``.
        now: the moment recency is measured from; default the newest ad's time, so
            the same ads give the same queue.
    """
    weights = dict(weights or {})
    members: dict[str, list[AdLike]] = defaultdict(list)
    for ad in ads:
        members[cluster_of[ad.ad_id]].append(ad)
    times = [ad.posted_at for ad in ads if ad.posted_at is not None]
    reference = now or (max(times) if times else None)
    low_price = lexicon.group.get("low_price")
    medians = city_medians(ads, int(low_price.params["min_city_ads"])) if low_price else {}

    def weight(name: str, default: float) -> float:
        return weights.get(name, default)

    items = []
    for cluster_id, cluster_ads_ in members.items():
        found: dict[str, list[Hit]] = defaultdict(list)
        for ad in cluster_ads_:
            for hit in text_hits(ad, lexicon):
                found[hit.indicator].append(hit)
        for contact, contact_ads in sorted(contact_groups(cluster_ads_).items()):
            for hit in group_hits(contact, contact_ads, lexicon):
                found[hit.indicator].append(hit)
        for hit in price_hits(cluster_ads_, lexicon, medians):
            found[hit.indicator].append(hit)
        terms = [
            Term(
                name,
                weight(name, lexicon.weight(name)),
                _describe(hits, len(cluster_ads_)),
                tuple(hits),
            )
            for name, hits in sorted(found.items())
        ]
        size_points = weight("size", SIZE_WEIGHT) * math.log2(1 + len(cluster_ads_))
        terms.append(Term("size", size_points, f"{len(cluster_ads_)} ads"))
        dated = [ad.posted_at for ad in cluster_ads_ if ad.posted_at is not None]
        newest = max(dated) if dated else None
        if newest is not None and reference is not None:
            days = max(0.0, (reference - newest).total_seconds() / 86400)
            recency = weight("recency", RECENCY_WEIGHT) * 0.5 ** (days / RECENCY_HALF_LIFE_DAYS)
            terms.append(Term("recency", recency, f"newest ad {days:.1f} days before the latest"))
        cities = tuple(sorted({ad.city for ad in cluster_ads_ if ad.city}))
        items.append(
            QueueItem(
                cluster_id,
                len(cluster_ads_),
                sum(term.points for term in terms),
                tuple(terms),
                newest,
                cities,
            )
        )
    items.sort(key=lambda item: (-item.priority, item.cluster_id))
    return items
