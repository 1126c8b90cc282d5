"""``online ingest``: store advertisements, all or nothing, idempotently.

Ingesting the same ads again changes nothing (each ad's content digest is compared);
an ad whose content changed is updated in place. By default one unusable record
rejects the whole ingest (every problem listed, nothing written); with
``on_error="skip"`` the usable ads are stored and every skipped record is listed
with its file, line and reason. All writes and the audit event are one transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Engine, Row, delete, insert, select, update

from ketenbeeld.errors import InputError, Problem, ValidationFailed
from ketenbeeld.online.ads import Ad, read_ad_files
from ketenbeeld.online.models import AdRecord, ClusterMember, IngestBatch
from ketenbeeld.storage import append_audit_event, session_scope

__all__ = [
    "IngestSummary",
    "OnError",
    "ads_in_clusters",
    "ingest_ads",
    "store_clusters",
    "stored_ads",
    "stored_ads_for_clustering",
    "stored_clusters",
]

logger = logging.getLogger(__name__)

OnError = Literal["reject", "skip"]
_BATCH = 2000


@dataclass(frozen=True)
class IngestSummary:
    """What one ingest did.

    Attributes:
        n_records: records read.
        n_new / n_updated / n_unchanged: stored ads by outcome.
        skipped: the unusable records (only with ``on_error="skip"``).
        notices: unreadable values of stored ads (kept as written in ``extra``).
        ingest_id: the ingest's id (``None`` when nothing was read).
    """

    n_records: int
    n_new: int
    n_updated: int
    n_unchanged: int
    skipped: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)
    ingest_id: int | None = None


def _row(ad: Ad, ingest_id: int) -> dict[str, Any]:
    return {
        "ad_id": ad.ad_id,
        "content_sha256": ad.content_sha256,
        "posted_at": ad.posted_at,
        "site": ad.site,
        "city": ad.city,
        "phones": list(ad.phones),
        "emails": list(ad.emails),
        "handles": list(ad.handles),
        "title": ad.title,
        "text": ad.text,
        "age": ad.age,
        "price": ad.price,
        "extra": ad.extra,
        "ingest_id": ingest_id,
    }


def ingest_ads(
    engine: Engine,
    paths: Sequence[Path],
    *,
    on_error: OnError = "reject",
    actor: str = "cli",
    on_progress: Callable[[int, int], None] | None = None,
) -> IngestSummary:
    """Read and store advertisement files.

    Args:
        engine: the workspace database.
        paths: JSONL or CSV files in the Advertisement format.
        on_error: ``"reject"`` (default): any unusable record rejects the whole
            ingest; ``"skip"``: store the usable ads, list the others.
        actor: who ingests, for the audit log.
        on_progress: called with ``(ads stored, ads to store)`` after each batch.

    Raises:
        ValidationFailed: with ``on_error="reject"``, every unusable record (nothing
            is written); with ``"skip"``, only when a file cannot be read at all.
    """
    if on_error not in ("reject", "skip"):
        raise InputError("on_error must be reject or skip")
    read = read_ad_files(list(paths))
    unreadable = read.file_problems
    if unreadable or (read.problems and on_error == "reject"):
        raise ValidationFailed(
            read.problems,
            what="nothing was ingested",
            hint=None
            if unreadable
            else "correct these records, or store the others with --on-error skip",
        )
    now = datetime.now(UTC).replace(tzinfo=None)
    with session_scope(engine) as session:
        known: dict[str, tuple[int, str]] = {}
        ids = [ad.ad_id for ad in read.ads]
        for start in range(0, len(ids), 500):
            rows = session.execute(
                select(AdRecord.ad_id, AdRecord.id, AdRecord.content_sha256).where(
                    AdRecord.ad_id.in_(ids[start : start + 500])
                )
            ).all()
            known.update({row.ad_id: (row.id, row.content_sha256) for row in rows})
        new = [ad for ad in read.ads if ad.ad_id not in known]
        changed = [
            ad for ad in read.ads if ad.ad_id in known and known[ad.ad_id][1] != ad.content_sha256
        ]
        unchanged = len(read.ads) - len(new) - len(changed)
        batch = IngestBatch(
            at=now,
            n_files=len(paths),
            n_new=len(new),
            n_updated=len(changed),
            n_unchanged=unchanged,
            n_skipped=len(read.skipped_locations),
            file_digests=read.digests,
        )
        session.add(batch)
        session.flush()
        total = len(new) + len(changed)
        for start in range(0, len(new), _BATCH):
            session.execute(
                insert(AdRecord), [_row(ad, batch.id) for ad in new[start : start + _BATCH]]
            )
            if on_progress is not None:
                on_progress(min(start + _BATCH, len(new)), total)
        for done, ad in enumerate(changed, start=1):
            session.execute(
                update(AdRecord)
                .where(AdRecord.id == known[ad.ad_id][0])
                .values(**_row(ad, batch.id))
            )
            if on_progress is not None and done % _BATCH == 0:
                on_progress(len(new) + done, total)
        append_audit_event(
            session,
            actor=actor,
            action="online.ingest",
            object_type="online_ingest",
            object_ref=str(batch.id),
            details={
                "new": len(new),
                "updated": len(changed),
                "unchanged": unchanged,
                "skipped": len(read.skipped_locations),
                "files": read.digests,
            },
        )
        ingest_id = batch.id
    logger.info(
        "ingested %d ads: %d new, %d updated, %d unchanged, %d skipped",
        len(read.ads),
        len(new),
        len(changed),
        unchanged,
        len(read.skipped_locations),
    )
    return IngestSummary(
        n_records=read.n_records,
        n_new=len(new),
        n_updated=len(changed),
        n_unchanged=unchanged,
        skipped=[p for p in read.problems if p not in read.file_problems],
        notices=read.notices,
        ingest_id=ingest_id,
    )


def stored_ads(engine: Engine) -> list[AdRecord]:
    """Every stored advertisement, in ``ad_id`` order."""
    with session_scope(engine) as session:
        return list(session.execute(select(AdRecord).order_by(AdRecord.ad_id)).scalars())


_CLUSTERING_COLUMNS = (
    "ad_id", "content_sha256", "posted_at", "city", "title", "text", "age", "price",
    "phones", "emails", "handles",
)  # fmt: skip


def stored_ads_for_clustering(engine: Engine) -> list[Row[Any]]:
    """Every stored advertisement as a read-only row of what clustering reads, in
    ``ad_id`` order.

    The rows have the attributes of an ``AdRecord`` that the clustering and the
    indicators use (``ad_id``, ``content_sha256``, ``posted_at``, ``city``, ``title``,
    ``text``, ``age``, ``price``, ``phones``, ``emails``, ``handles``); reading them
    without the ORM's bookkeeping is about twice as fast, which counts when a
    thousand new ads are clustered with a million stored ones.
    """
    columns = [AdRecord.__table__.c[name] for name in _CLUSTERING_COLUMNS]
    with engine.connect() as connection:
        return list(connection.execute(select(*columns).order_by(AdRecord.ad_id)).all())


def ads_in_clusters(engine: Engine, cluster_ids: Sequence[str]) -> list[tuple[AdRecord, str]]:
    """The stored ads of the given clusters, each with its cluster id, in ``ad_id`` order."""
    wanted = list(dict.fromkeys(cluster_ids))
    found: list[tuple[AdRecord, str]] = []
    with session_scope(engine) as session:
        for start in range(0, len(wanted), _BATCH):
            rows = session.execute(
                select(AdRecord, ClusterMember.cluster_id)
                .join(ClusterMember, ClusterMember.ad_id == AdRecord.ad_id)
                .where(ClusterMember.cluster_id.in_(wanted[start : start + _BATCH]))
            ).all()
            found.extend((row[0], row[1]) for row in rows)
    return sorted(found, key=lambda pair: pair[0].ad_id)


def store_clusters(engine: Engine, cluster_of: dict[str, str], *, actor: str = "cli") -> int:
    """Replace the stored clusters with a new clustering (one transaction, audited).

    Only what changed is written: the ads no longer clustered or now in another
    cluster are deleted and the new and moved ones inserted, so adding a few ads to
    a large store rewrites a few rows, not all of them.
    """
    with session_scope(engine) as session:
        stored = session.execute(select(ClusterMember.ad_id, ClusterMember.cluster_id))
        before: dict[str, str] = {ad: cluster for ad, cluster in stored}
        stale = [ad for ad, cluster in before.items() if cluster_of.get(ad) != cluster]
        for start in range(0, len(stale), _BATCH):
            session.execute(
                delete(ClusterMember).where(ClusterMember.ad_id.in_(stale[start : start + _BATCH]))
            )
        rows = [
            {"ad_id": ad, "cluster_id": cluster}
            for ad, cluster in cluster_of.items()
            if before.get(ad) != cluster
        ]
        for start in range(0, len(rows), _BATCH):
            session.execute(insert(ClusterMember), rows[start : start + _BATCH])
        append_audit_event(
            session,
            actor=actor,
            action="online.cluster",
            object_type="online_clusters",
            object_ref="all",
            details={"ads": len(cluster_of), "clusters": len(set(cluster_of.values()))},
        )
    return len(cluster_of)


def stored_clusters(engine: Engine) -> dict[str, str]:
    """ad id -> cluster id as the last ``online cluster`` stored it."""
    with session_scope(engine) as session:
        rows = session.execute(select(ClusterMember.ad_id, ClusterMember.cluster_id)).all()
        return {row.ad_id: row.cluster_id for row in rows}
