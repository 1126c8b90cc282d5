"""The analyst's queue as the CLI and the web application show it.

One function gathers what both need: the stored ads and clusters, the ranked
queue with its explained priorities, each cluster's review status and template.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from ketenbeeld.errors import InputError, NotFoundError
from ketenbeeld.online.models import AdRecord
from ketenbeeld.online.queue import QueueItem, build_queue, parse_weights
from ketenbeeld.online.template import Template, cluster_template, templates_for
from ketenbeeld.online.workflow import StatusEntry

if TYPE_CHECKING:
    from ketenbeeld.online.cluster import Clustering

__all__ = [
    "AnalystQueue",
    "ClusterView",
    "Day",
    "RankedClusters",
    "SharedIdentifier",
    "analyst_queue",
    "cluster_stored",
    "cluster_view",
    "ranked_clusters",
]


@dataclass(frozen=True)
class AnalystQueue:
    """The top of the queue with each cluster's status and template."""

    lexicon_version: str
    items: tuple[QueueItem, ...]
    statuses: dict[str, str]
    templates: dict[str, Template]
    labels: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Day:
    """One day of a cluster's timeline: how many ads were posted, and where."""

    day: date
    n_ads: int
    cities: tuple[str, ...]


@dataclass(frozen=True)
class SharedIdentifier:
    """A contact in the cluster's ads: its kind, its normalised value and how many ads."""

    kind: str
    value: str
    n_ads: int


@dataclass(frozen=True)
class ClusterView:
    """One cluster for review: its queue entry, template, ads and status history."""

    item: QueueItem
    status: str
    template: Template
    ads: tuple[AdRecord, ...]
    history: tuple[StatusEntry, ...]
    labels: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def timeline(self) -> list[Day]:
        """Ads per posting day, oldest first, with the cities of that day."""
        days: dict[date, list[str]] = {}
        for ad in self.ads:
            if ad.posted_at is not None:
                days.setdefault(ad.posted_at.date(), []).append(ad.city or "")
        return [
            Day(day, len(cities), tuple(sorted({c for c in cities if c})))
            for day, cities in sorted(days.items())
        ]

    @property
    def identifiers(self) -> list[SharedIdentifier]:
        """The phones, e-mail addresses and handles in the ads, most used first."""
        counts: Counter[tuple[str, str]] = Counter()
        for ad in self.ads:
            for kind, values in (
                ("phone", ad.phones),
                ("email", ad.emails),
                ("handle", ad.handles),
            ):
                counts.update((kind, value) for value in set(values))
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        return [SharedIdentifier(kind, value, n) for (kind, value), n in ranked]


@dataclass(frozen=True)
class RankedClusters:
    """Every cluster by priority (the expensive part of the queue; cache it per version)."""

    lexicon_version: str
    items: tuple[QueueItem, ...]
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    """Each indicator's label in Dutch and English, for people."""


def ranked_clusters(
    engine: Engine, *, lexicon_name: str = "1", weights: Sequence[str] = ()
) -> RankedClusters:
    """All stored clusters ranked by their explained priority.

    Raises:
        InputError: there are no stored ads, or ads were added since the last
            clustering (the queue would leave them out silently).
    """
    from ketenbeeld.online.ingest import stored_ads, stored_clusters
    from ketenbeeld.online.lexicon import load_lexicon

    lexicon = load_lexicon(lexicon_name)
    parsed = parse_weights(list(weights), lexicon)
    ads = stored_ads(engine)
    clusters = stored_clusters(engine)
    missing = [ad.ad_id for ad in ads if ad.ad_id not in clusters]
    if not ads or missing:
        raise InputError(
            "the stored ads have not been clustered"
            + (f" ({len(missing)} ads are new since)" if ads and missing else ""),
            hint="run `ketenbeeld online cluster --out clusters.csv` first",
        )
    ranked = build_queue(ads, clusters, lexicon, weights=parsed)
    labels = {name: dict(item.label) for name, item in lexicon.text.items()}
    labels |= {name: dict(item.label) for name, item in lexicon.group.items()}
    return RankedClusters(lexicon.version, tuple(ranked), labels)


def analyst_queue(
    engine: Engine,
    *,
    lexicon_name: str = "1",
    weights: Sequence[str] = (),
    include_dismissed: bool = False,
    top: int = 50,
    ranked: RankedClusters | None = None,
) -> AnalystQueue:
    """The top of the queue, with statuses and templates.

    Args:
        ranked: the result of :func:`ranked_clusters` when the caller has it (cached).

    Raises:
        InputError: see :func:`ranked_clusters`.
    """
    from ketenbeeld.online.ingest import ads_in_clusters
    from ketenbeeld.online.workflow import current_statuses

    if ranked is None:
        ranked = ranked_clusters(engine, lexicon_name=lexicon_name, weights=weights)
    statuses = current_statuses(engine)
    queue = [
        item
        for item in ranked.items
        if include_dismissed or statuses.get(item.cluster_id) != "dismissed"
    ][:top]
    members = ads_in_clusters(engine, [item.cluster_id for item in queue])
    cluster_of = {ad.ad_id: cluster for ad, cluster in members}
    templates = templates_for(
        [item.cluster_id for item in queue], [ad for ad, _ in members], cluster_of
    )
    return AnalystQueue(ranked.lexicon_version, tuple(queue), statuses, templates, ranked.labels)


def cluster_view(
    engine: Engine,
    cluster_id: str,
    *,
    lexicon_name: str = "1",
    ranked: RankedClusters | None = None,
) -> ClusterView:
    """One cluster with its explained priority, template, ads (newest first) and history.

    Raises:
        NotFoundError: there is no such cluster.
    """
    from ketenbeeld.online.ingest import ads_in_clusters
    from ketenbeeld.online.workflow import cluster_history, current_statuses

    members = [ad for ad, _ in ads_in_clusters(engine, [cluster_id])]
    if not members:
        raise NotFoundError(f"there is no cluster {cluster_id}")
    if ranked is None:
        ranked = ranked_clusters(engine, lexicon_name=lexicon_name)
    item = next(entry for entry in ranked.items if entry.cluster_id == cluster_id)
    members.sort(key=lambda ad: (ad.posted_at is None, ad.posted_at), reverse=True)
    return ClusterView(
        item,
        current_statuses(engine).get(cluster_id, "new"),
        cluster_template(members),
        tuple(members),
        tuple(cluster_history(engine, cluster_id)),
        ranked.labels,
    )


def cluster_stored(
    engine: Engine, *, actor: str, on_step: Callable[[str], None] | None = None
) -> tuple[Clustering, str]:
    """Cluster every stored ad (reusing stored sketches) and store the clusters.

    Returns:
        The clustering, and a note on the sketches reused and made.

    Raises:
        InputError: there are no stored ads.
    """
    from ketenbeeld.online.cluster import cluster_ads
    from ketenbeeld.online.ingest import store_clusters, stored_ads_for_clustering
    from ketenbeeld.online.sketches import stored_sketches

    ads = stored_ads_for_clustering(engine)
    if not ads:
        raise InputError("there are no stored ads", hint="run `ketenbeeld online ingest` first")
    if on_step:
        on_step(f"sketching new ads among {len(ads)}")
    sketches, use = stored_sketches(engine, ads)
    result = cluster_ads(ads, on_step=on_step, sketches=sketches)
    store_clusters(engine, result.cluster_of, actor=actor)
    return result, f"{use.reused} stored sketches reused, {use.made} made"
