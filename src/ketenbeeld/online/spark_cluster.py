"""Online clustering on Apache Spark: the clusters of ``cluster_ads``, scaled out.

:func:`cluster_ads_spark` gives exactly the :class:`~ketenbeeld.online.cluster.Clustering`
of ``cluster_ads`` (the same clusters and ids, links, stock-text links, common
contacts and boilerplate count) because every decision is the local one, made with
the local code; Spark only moves the data and runs the per-ad and per-pair work:

1. **Sketches** (``mapInPandas``): each ad's masked word shingles, body digest,
   MinHash signature and band keys, by the local functions (they depend on the ad
   alone, so a batch gives what the whole set gives).
2. **Contacts**: the ads' normalised contacts (normalised when the ads were read) are
   exploded and grouped by value: a contact's ad count decides whether it is common,
   and each remaining contact gives the pairs of its consecutive ads (a window).
   These edges are collected and joined on the driver in the local order (by the
   contact's first ad and position, then by ad), so the links are the local spanning
   set.
3. **Boilerplate**: the shingles in more contact groups than the limit, counted by a
   Spark aggregation over the ads' contact groups (computed on the driver in step 2).
4. **Candidates**: a join on ``(band, key)``: every pair of a bucket of at most
   ``max_bucket`` ads, each ad and the next (by ad) in a bigger one, de-duplicated.
5. **Verification** (``mapInPandas``): the exact Jaccard coefficient of each pair,
   boilerplate left out, by the local sparse-row code (the value the local compiled
   loop gives); the pairs reaching ``text_threshold`` are collected.
6. **On the driver**: stock text (it needs the components of the near-identical
   pairs), the text links in pair order, the components and the cluster ids, by the
   shared code of ``cluster.py`` (:func:`~ketenbeeld.online.cluster.settle_text`).

What goes to the cluster is the ads' row numbers, title, text and city, and their
normalised contacts; the ad ids stay on the driver. Executors need ``ketenbeeld``
installed (they import this module). PySpark is imported only here and in
:func:`~ketenbeeld.signals.spark_link.spark_session`.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pandas as pd

from ketenbeeld.online._pairs import band_keys, jaccard
from ketenbeeld.online._text import shingle_hashes, signatures
from ketenbeeld.online.cluster import (
    Clustering,
    ClusterParams,
    ProgressCallback,
    UnionFind,
    boilerplate_limit,
    cluster_ads,
    common_contact_limit,
    join_contacts,
    settle_text,
)
from ketenbeeld.online.indicators import AdLike

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

__all__ = ["cluster_ads_spark"]

logger = logging.getLogger(__name__)

_ADS = "row long, title string, text string, city string, contacts array<string>"
_SKETCH = "row long, shingles binary, body binary, size long, keys binary"
_KEYS = "band int, key long, row long"
_HASHES = "row long, hash long"
_PAIRS = "row_a long, row_b long, similarity double"


@dataclass(frozen=True)
class _Text:
    """An ad as the shingling reads it (title, text and city; the rest unused)."""

    title: str | None
    text: str
    city: str | None
    ad_id: str = ""
    posted_at: datetime | None = None
    age: int | None = None
    price: float | None = None
    phones: Sequence[str] = field(default_factory=tuple)
    emails: Sequence[str] = field(default_factory=tuple)
    handles: Sequence[str] = field(default_factory=tuple)


def cluster_ads_spark(
    spark: SparkSession,
    ads: Sequence[AdLike],
    params: ClusterParams | None = None,
    on_step: ProgressCallback | None = None,
) -> Clustering:
    """Cluster ads on Spark: the result of :func:`~ketenbeeld.online.cluster.cluster_ads`.

    Args:
        spark: the session to run on (see
            :func:`~ketenbeeld.signals.spark_link.spark_session`).
        ads: the ads (their ids stay on the driver).
        params: settings, as for ``cluster_ads``.
        on_step: called with the name of each step (for a progress display).

    Returns:
        The same clustering as ``cluster_ads(ads, params)``.

    Example:
        >>> result = cluster_ads_spark(spark, ads)  # doctest: +SKIP
        >>> result.cluster_of == cluster_ads(ads).cluster_of  # doctest: +SKIP
        True
    """
    from pyspark.sql import functions as F
    from pyspark.sql.window import Window

    params = params or ClusterParams()
    step = on_step or (lambda _: None)
    n = len(ads)
    if not n:
        return cluster_ads(ads, params)
    ids = [ad.ad_id for ad in ads]
    result = Clustering()
    union = UnionFind(n)

    step("sketches")
    frame = spark.createDataFrame(_ads_table(ads), schema=_ADS)
    sketch = functools.partial(
        _sketch,
        words=params.shingle_words,
        num_perm=params.num_perm,
        seed=params.seed,
        bands=params.bands,
    )
    sketches = frame.select("row", "title", "text", "city").mapInPandas(sketch, _SKETCH).persist()
    collected: pd.DataFrame = sketches.select("row", "body", "size").toPandas()
    per_ad = collected.sort_values("row")
    bodies: list[bytes] = [bytes(body) for body in per_ad["body"].tolist()]
    sizes = per_ad["size"].to_numpy(dtype=np.int64)

    step("contacts")
    limit = common_contact_limit(params, n)
    occurrences = frame.select("row", F.posexplode("contacts").alias("pos", "contact"))
    by_contact = Window.partitionBy("contact")
    ordered = by_contact.orderBy("row")
    counted = (
        occurrences.withColumn("ads", F.count(F.lit(1)).over(by_contact))
        .withColumn("first", F.min(F.struct("row", "pos")).over(by_contact))
        .withColumn("before", F.lag("row").over(ordered))
    )
    common = counted.where(F.col("ads") > limit).select("contact").distinct()
    common_rows: pd.DataFrame = common.toPandas()
    result.common_contacts = sorted(common_rows["contact"].tolist())
    edges: pd.DataFrame = (
        counted.where((F.col("ads") <= limit) & F.col("before").isNotNull())
        .select(
            F.col("first.row").alias("first_row"),
            F.col("first.pos").alias("first_pos"),
            "before",
            "row",
            "contact",
        )
        .toPandas()
    )
    edges = edges.sort_values(["first_row", "first_pos", "row"])
    join_contacts(
        union,
        ids,
        zip(
            edges["before"].tolist(), edges["row"].tolist(), edges["contact"].tolist(), strict=True
        ),
        result,
    )
    del edges
    contact_root = union.roots()

    step("text")
    groups = spark.createDataFrame(
        pd.DataFrame({"row": np.arange(n, dtype=np.int64), "grp": contact_root}),
        schema="row long, grp long",
    )
    with_text = sizes > 0
    limit_groups = boilerplate_limit(params, len(np.unique(contact_root[with_text])))
    hashes = (
        sketches.where(F.col("size") > 0)
        .select("row", "shingles")
        .mapInPandas(_explode_shingles, _HASHES)
    )
    found: pd.DataFrame = (
        hashes.join(groups, "row")
        .groupBy("hash")
        .agg(F.countDistinct("grp").alias("groups"))
        .where(F.col("groups") > limit_groups)
        .select("hash")
        .toPandas()
    )
    boilerplate = np.sort(found["hash"].to_numpy(dtype=np.int64).view(np.uint64))
    result.boilerplate_shingles = len(boilerplate)

    step("candidates and verify")
    first, second, similarity = _verified_pairs(sketches, boilerplate, params)
    sketches.unpersist()
    settle_text(ids, union, contact_root, (first, second, similarity), bodies, params, result, step)
    return result


def _ads_table(ads: Sequence[AdLike]) -> pd.DataFrame:
    """One row per ad: its row number, title, text, city and distinct contacts (in order)."""
    return pd.DataFrame(
        {
            "row": np.arange(len(ads), dtype=np.int64),
            "title": [ad.title for ad in ads],
            "text": [ad.text for ad in ads],
            "city": [ad.city for ad in ads],
            "contacts": [list(dict.fromkeys((*ad.phones, *ad.emails, *ad.handles))) for ad in ads],
        }
    )


def _verified_pairs(
    sketches: DataFrame, boilerplate: npt.NDArray[np.uint64], params: ClusterParams
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """The candidate pairs reaching ``text_threshold``, sorted by ``(first, second)``."""
    from pyspark.sql import functions as F
    from pyspark.sql.window import Window

    keys = (
        sketches.where(F.col("size") > 0)
        .select("row", "keys")
        .mapInPandas(functools.partial(_band_rows, bands=params.bands), _KEYS)
    )
    bucket = Window.partitionBy("band", "key")
    sized = keys.withColumn("members", F.count(F.lit(1)).over(bucket))
    small = sized.where((F.col("members") > 1) & (F.col("members") <= params.max_bucket))
    # A small bucket gives every pair of its ads.
    every = (
        small.select("band", "key", F.col("row").alias("row_a"))
        .join(small.select("band", "key", F.col("row").alias("row_b")), ["band", "key"])
        .where(F.col("row_a") < F.col("row_b"))
        .select("row_a", "row_b")
    )
    # A big bucket gives each ad and the next (by ad).
    following = (
        sized.where(F.col("members") > params.max_bucket)
        .withColumn("row_b", F.lead("row").over(bucket.orderBy("row")))
        .where(F.col("row_b").isNotNull())
        .select(F.col("row").alias("row_a"), "row_b")
    )
    pairs = every.unionByName(following).distinct()
    # Boilerplate leaves each ad's shingles once, not once per pair it is in.
    stripped = sketches.select("row", "shingles")
    if len(boilerplate):
        strip = functools.partial(_strip_boilerplate, boilerplate=boilerplate)
        stripped = stripped.mapInPandas(strip, "row long, shingles binary")
    side_a = stripped.select(F.col("row").alias("row_a"), F.col("shingles").alias("shingles_a"))
    side_b = stripped.select(F.col("row").alias("row_b"), F.col("shingles").alias("shingles_b"))
    verify = functools.partial(_verify, threshold=params.text_threshold)
    found: pd.DataFrame = (
        pairs.join(side_a, "row_a")
        .join(side_b, "row_b")
        .select("row_a", "row_b", "shingles_a", "shingles_b")
        .mapInPandas(verify, _PAIRS)
        .toPandas()
    )
    found = found.sort_values(["row_a", "row_b"])
    return (
        found["row_a"].to_numpy(dtype=np.int64),
        found["row_b"].to_numpy(dtype=np.int64),
        found["similarity"].to_numpy(dtype=np.float64),
    )


def _sketch(
    batches: Iterator[pd.DataFrame], *, words: int, num_perm: int, seed: int, bands: int
) -> Iterator[pd.DataFrame]:
    """On an executor: each ad's sorted distinct shingle hashes, body digest, shingle
    count and band keys (native-endian ``uint64`` bytes), by the local functions."""
    for batch in batches:
        if batch.empty:
            continue
        texts = [
            _Text(title=title, text=text, city=city)
            for title, text, city in zip(
                batch["title"].tolist(), batch["text"].tolist(), batch["city"].tolist(), strict=True
            )
        ]
        hashes, docs, bodies = shingle_hashes(texts, words)
        keys = band_keys(signatures(hashes, docs, len(texts), num_perm, seed), bands)
        bounds = np.searchsorted(docs, np.arange(len(texts) + 1))
        yield pd.DataFrame(
            {
                "row": batch["row"].to_numpy(dtype=np.int64),
                "shingles": [
                    hashes[bounds[i] : bounds[i + 1]].tobytes() for i in range(len(texts))
                ],
                "body": bodies,
                "size": np.diff(bounds).astype(np.int64),
                "keys": [row.tobytes() for row in keys],
            }
        )


def _explode_shingles(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """On an executor: one row ``(row, hash)`` per shingle of each ad (hashes as ``int64``)."""
    for batch in batches:
        if batch.empty:
            continue
        rows = batch["shingles"].tolist()
        hashes = np.frombuffer(b"".join(rows), dtype=np.int64)
        counts = [len(row) // 8 for row in rows]
        yield pd.DataFrame(
            {"row": np.repeat(batch["row"].to_numpy(dtype=np.int64), counts), "hash": hashes}
        )


def _band_rows(batches: Iterator[pd.DataFrame], *, bands: int) -> Iterator[pd.DataFrame]:
    """On an executor: one row ``(band, key, row)`` per ad and band."""
    for batch in batches:
        if batch.empty:
            continue
        keys = np.frombuffer(b"".join(batch["keys"].tolist()), dtype=np.int64)
        yield pd.DataFrame(
            {
                "band": np.tile(np.arange(bands, dtype=np.int32), len(batch)),
                "key": keys,
                "row": np.repeat(batch["row"].to_numpy(dtype=np.int64), bands),
            }
        )


def _strip_boilerplate(
    batches: Iterator[pd.DataFrame], *, boilerplate: npt.NDArray[np.uint64]
) -> Iterator[pd.DataFrame]:
    """On an executor: each ad's shingle hashes without the boilerplate ones."""
    for batch in batches:
        if batch.empty:
            continue
        rows = [np.frombuffer(bytes(shingles), dtype=np.uint64) for shingles in batch["shingles"]]
        yield pd.DataFrame(
            {
                "row": batch["row"].to_numpy(dtype=np.int64),
                "shingles": [row[~np.isin(row, boilerplate)].tobytes() for row in rows],
            }
        )


def _verify(batches: Iterator[pd.DataFrame], *, threshold: float) -> Iterator[pd.DataFrame]:
    """On an executor: the pairs of each batch whose exact Jaccard coefficient (of the
    shingles without boilerplate) reaches ``threshold`` (by the local code, so the very
    local values)."""
    for batch in batches:
        if batch.empty:
            continue
        count = len(batch)
        rows = [
            np.frombuffer(bytes(shingles), dtype=np.uint64)
            for shingles in (*batch["shingles_a"].tolist(), *batch["shingles_b"].tolist())
        ]
        lengths = np.array([len(row) for row in rows], dtype=np.int64)
        hashes = np.concatenate(rows) if rows else np.zeros(0, dtype=np.uint64)
        docs = np.repeat(np.arange(2 * count, dtype=np.int64), lengths)
        pairs = np.arange(count, dtype=np.int64)
        values = jaccard(hashes, docs, 2 * count, pairs, pairs + count)
        hit = values >= threshold
        yield pd.DataFrame(
            {
                "row_a": batch["row_a"].to_numpy(dtype=np.int64)[hit],
                "row_b": batch["row_b"].to_numpy(dtype=np.int64)[hit],
                "similarity": values[hit],
            }
        )
