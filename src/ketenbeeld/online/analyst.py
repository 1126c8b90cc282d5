"""The analyst's queue as the CLI and the web application show it.

One function gathers what both need: the stored ads and clusters, the ranked
queue with its explained priorities, each cluster's review status and template.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from ketenbeeld.errors import InputError, NotFoundError
from ketenbeeld.online.models import AdRecord
from ketenbeeld.online.queue import QueueItem, build_queue, parse_weights
from ketenbeeld.online.template import Template, templates_for
from ketenbeeld.online.workflow import StatusEntry

if TYPE_CHECKING:
    from ketenbeeld.online.cluster import Clustering

__all__ = ["AnalystQueue", "ClusterView", "analyst_queue", "cluster_stored", "cluster_view"]


@dataclass(frozen=True)
class AnalystQueue:
    """The top of the queue with each cluster's status and template."""

    lexicon_version: str
    items: tuple[QueueItem, ...]
    statuses: dict[str, str]
    templates: dict[str, Template]


@dataclass(frozen=True)
class ClusterView:
    """One cluster for review: its queue entry, template, ads and status history."""

    item: QueueItem
    status: str
    template: Template
    ads: tuple[AdRecord, ...]
    history: tuple[StatusEntry, ...]


def analyst_queue(
    engine: Engine,
    *,
    lexicon_name: str = "1",
    weights: Sequence[str] = (),
    include_dismissed: bool = False,
    top: int = 50,
) -> AnalystQueue:
    """The clusters ranked by priority, with statuses and templates.

    Raises:
        InputError: there are no stored ads, or ads were added since the last
            clustering (the queue would leave them out silently).
    """
    from ketenbeeld.online.ingest import stored_ads, stored_clusters
    from ketenbeeld.online.lexicon import load_lexicon
    from ketenbeeld.online.workflow import current_statuses

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
    statuses = current_statuses(engine)
    queue = build_queue(ads, clusters, lexicon, weights=parsed)
    if not include_dismissed:
        queue = [item for item in queue if statuses.get(item.cluster_id) != "dismissed"]
    queue = queue[:top]
    templates = templates_for([item.cluster_id for item in queue], ads, clusters)
    return AnalystQueue(lexicon.version, tuple(queue), statuses, templates)


def cluster_view(engine: Engine, cluster_id: str, *, lexicon_name: str = "1") -> ClusterView:
    """One cluster with its explained priority, template, ads (newest first) and history.

    Raises:
        NotFoundError: there is no such cluster.
    """
    from ketenbeeld.online.ingest import stored_ads, stored_clusters
    from ketenbeeld.online.lexicon import load_lexicon
    from ketenbeeld.online.workflow import cluster_history, current_statuses

    clusters = stored_clusters(engine)
    if cluster_id not in set(clusters.values()):
        raise NotFoundError(f"there is no cluster {cluster_id}")
    ads = stored_ads(engine)
    queue = build_queue(ads, clusters, load_lexicon(lexicon_name))
    item = next(entry for entry in queue if entry.cluster_id == cluster_id)
    members = sorted(
        (ad for ad in ads if clusters.get(ad.ad_id) == cluster_id),
        key=lambda ad: (ad.posted_at is None, ad.posted_at),
        reverse=True,
    )
    template = templates_for([cluster_id], members, clusters)[cluster_id]
    return ClusterView(
        item,
        current_statuses(engine).get(cluster_id, "new"),
        template,
        tuple(members),
        tuple(cluster_history(engine, cluster_id)),
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
    from ketenbeeld.online.ingest import store_clusters, stored_ads
    from ketenbeeld.online.sketches import stored_sketches

    ads = list(stored_ads(engine))
    if not ads:
        raise InputError("there are no stored ads", hint="run `ketenbeeld online ingest` first")
    if on_step:
        on_step(f"sketching new ads among {len(ads)}")
    sketches, use = stored_sketches(engine, ads)
    result = cluster_ads(ads, on_step=on_step, sketches=sketches)
    store_clusters(engine, result.cluster_of, actor=actor)
    return result, f"{use.reused} stored sketches reused, {use.made} made"
