"""Incremental clustering: each ad's sketch is made once and stored; new ads add theirs.

A sketch (shingle hashes, body digest, MinHash signature; see
:func:`~ketenbeeld.online.cluster.sketch_ads`) depends only on the ad's own content
and the clustering settings, so it stays valid when other ads arrive. Clustering the
stored ads therefore sketches only the ads that are new or changed since, and then
runs the graph steps (contacts, boilerplate, candidates, exact comparison, stock
text, components) over all sketches: those steps are fast array work, and running
them in full keeps the result identical to clustering everything from scratch
(tested), also where a new ad makes a phrase boilerplate or a text stock text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from sqlalchemy import Engine, Row, delete, insert, select

from ketenbeeld.online.cluster import ClusterParams, Sketches, sketch_ads
from ketenbeeld.online.indicators import AdLike
from ketenbeeld.online.models import SketchRecord
from ketenbeeld.storage import session_scope

__all__ = ["SketchUse", "stored_sketches"]

_CHUNK = 500
_ALL_AT_ONCE = 5000  # more ads than this: read all stored sketches in one scan


@dataclass(frozen=True)
class SketchUse:
    """How many sketches were reused from storage and how many were made now."""

    reused: int
    made: int


def _params_key(params: ClusterParams) -> str:
    return f"w{params.shingle_words}-p{params.num_perm}-s{params.seed}"


class StoredAd(AdLike, Protocol):
    """A stored ad as clustering reads it: an ``AdRecord`` or a row of its columns."""

    @property
    def content_sha256(self) -> str: ...


def stored_sketches(
    engine: Engine, ads: Sequence[StoredAd], params: ClusterParams | None = None
) -> tuple[Sketches, SketchUse]:
    """The sketches of ``ads`` (in their order): stored ones reused, missing ones made and stored.

    A stored sketch is reused only for the same content (``content_sha256``) and the
    same shingle and signature settings.
    """
    params = params or ClusterParams()
    key = _params_key(params)
    found: dict[str, Row[Any]] = {}
    table = SketchRecord.__table__
    with engine.connect() as connection:
        ids = [ad.ad_id for ad in ads]
        if len(ids) > _ALL_AT_ONCE:
            # Most stored sketches are wanted: one scan beats many look-ups.
            wanted = set(ids)
            scan = connection.execute(select(*table.columns))
            found.update((row.ad_id, row) for row in scan if row.ad_id in wanted)
        else:
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start : start + _CHUNK]
                look = connection.execute(select(*table.columns).where(table.c.ad_id.in_(chunk)))
                found.update((row.ad_id, row) for row in look)
    valid = {
        ad.ad_id: found[ad.ad_id]
        for ad in ads
        if ad.ad_id in found
        and found[ad.ad_id].content_sha256 == ad.content_sha256
        and found[ad.ad_id].params == key
    }
    missing = [ad for ad in ads if ad.ad_id not in valid]
    fresh = sketch_ads(missing, params) if missing else None
    if fresh is not None:
        bounds = np.searchsorted(fresh.docs, np.arange(len(missing) + 1))
        rows = [
            {
                "ad_id": ad.ad_id,
                "content_sha256": ad.content_sha256,
                "params": key,
                "shingles": fresh.hashes[bounds[i] : bounds[i + 1]].tobytes(),
                "body": fresh.bodies[i],
                "signature": fresh.signatures[i].tobytes(),
            }
            for i, ad in enumerate(missing)
        ]
        with session_scope(engine) as session:
            stale = [row["ad_id"] for row in rows if row["ad_id"] in found]
            for start in range(0, len(stale), _CHUNK):
                session.execute(
                    delete(SketchRecord).where(
                        SketchRecord.ad_id.in_(stale[start : start + _CHUNK])
                    )
                )
            for start in range(0, len(rows), 2000):
                session.execute(insert(SketchRecord), rows[start : start + 2000])
    # Assemble in the order of `ads`.
    position = {ad.ad_id: i for i, ad in enumerate(missing)}
    fresh_bounds = (
        np.searchsorted(fresh.docs, np.arange(len(missing) + 1)) if fresh is not None else None
    )
    hashes: list[np.ndarray] = []
    bodies: list[bytes] = []
    sigs = np.zeros((len(ads), params.num_perm), dtype=np.uint64)
    for index, ad in enumerate(ads):
        record = valid.get(ad.ad_id)
        if record is not None:
            hashes.append(np.frombuffer(record.shingles, dtype=np.uint64))
            bodies.append(record.body)
            sigs[index] = np.frombuffer(record.signature, dtype=np.uint64)
        else:
            assert fresh is not None and fresh_bounds is not None
            i = position[ad.ad_id]
            hashes.append(fresh.hashes[fresh_bounds[i] : fresh_bounds[i + 1]])
            bodies.append(fresh.bodies[i])
            sigs[index] = fresh.signatures[i]
    lengths = np.array([len(h) for h in hashes], dtype=np.int64)
    sketches = Sketches(
        np.concatenate(hashes) if hashes else np.zeros(0, np.uint64),
        np.repeat(np.arange(len(ads), dtype=np.int64), lengths),
        bodies,
        sigs,
    )
    return sketches, SketchUse(len(valid), len(missing))
