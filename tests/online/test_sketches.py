"""Incremental clustering: stored sketches reused, new and changed ads sketched, and the
result identical to clustering everything from scratch."""

from __future__ import annotations

import json

from ketenbeeld.online.analyst import cluster_stored
from ketenbeeld.online.cluster import cluster_ads
from ketenbeeld.online.ingest import (
    ingest_ads,
    stored_ads,
    stored_ads_for_clustering,
    stored_clusters,
)
from ketenbeeld.online.sketches import stored_sketches
from ketenbeeld.online.synth import generate_ads


def write(path, ads):
    path.write_text("".join(json.dumps(ad, ensure_ascii=False) + "\n" for ad in ads))
    return path


def test_adding_ads_gives_the_same_clusters_as_clustering_everything(db, tmp_path):
    generated = generate_ads(800, seed=11).ads
    first, second = generated[:700], generated[700:]
    ingest_ads(db.engine, [write(tmp_path / "first.jsonl", first)])
    ads = stored_ads(db.engine)
    _, use = stored_sketches(db.engine, ads)
    assert (use.reused, use.made) == (0, 700)

    # 100 new ads, and one old ad whose text changed.
    changed = dict(first[0], text=first[0]["text"] + " Ook in het weekend.")
    ingest_ads(db.engine, [write(tmp_path / "second.jsonl", [changed, *second])])
    ads = stored_ads(db.engine)
    sketches, use = stored_sketches(db.engine, ads)
    assert (use.reused, use.made) == (699, 101)
    incremental = cluster_ads(ads, sketches=sketches)
    full = cluster_ads(ads)
    assert incremental.cluster_of == full.cluster_of
    assert incremental.links == full.links
    assert incremental.stock_links == full.stock_links
    # Nothing new: everything reused, the same result again.
    again, use = stored_sketches(db.engine, ads)
    assert (use.reused, use.made) == (800, 0)
    assert cluster_ads(ads, sketches=again).cluster_of == full.cluster_of


def test_clustering_the_store_after_an_add_stores_what_a_full_run_gives(db, tmp_path):
    generated = generate_ads(600, seed=12).ads
    ingest_ads(db.engine, [write(tmp_path / "first.jsonl", generated[:550])])
    cluster_stored(db.engine, actor="test")
    ingest_ads(db.engine, [write(tmp_path / "second.jsonl", generated[550:])])
    result, note = cluster_stored(db.engine, actor="test")
    assert note == "550 stored sketches reused, 50 made"
    full = cluster_ads(stored_ads(db.engine))  # the ORM records, all sketched afresh
    assert result.cluster_of == full.cluster_of
    assert result.links == full.links
    assert stored_clusters(db.engine) == full.cluster_of
    assert len(full.cluster_of) == 600


def test_ads_read_for_clustering_hold_what_the_records_hold(db, tmp_path):
    ingest_ads(db.engine, [write(tmp_path / "ads.jsonl", generate_ads(300, seed=13).ads)])
    records = stored_ads(db.engine)
    rows = stored_ads_for_clustering(db.engine)
    assert [row.ad_id for row in rows] == [record.ad_id for record in records]
    fields = ("content_sha256", "posted_at", "city", "title", "text", "age", "price")
    fields += ("phones", "emails", "handles")
    for row, record in zip(rows, records, strict=True):
        assert [getattr(row, name) for name in fields] == [getattr(record, n) for n in fields]
    assert sum(len(row.phones) for row in rows) > 300  # numbers were written in the ads
    assert any(row.emails for row in rows) and any(row.handles for row in rows)
