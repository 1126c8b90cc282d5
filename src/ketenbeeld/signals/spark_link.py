"""Batch linking on Apache Spark: the links of :func:`~ketenbeeld.signals.link.link`, scaled out.

:func:`link_spark` gives exactly the links of :func:`~ketenbeeld.signals.link.link`
(the same pairs, the same float scores, the same order) because it makes the same
decisions and calls the same compiled code; Spark only moves the data:

1. On the driver, :func:`~ketenbeeld.signals.link.plan_link` checks the inputs and
   makes the cost model's choice between scoring every pair and the MinHash index,
   with the same bins and seed.
2. All pairs: A and B are cut into blocks, every block of A meets every block of B
   in a cogroup, and each meeting is scored by the kernel of the local path
   (``block_hits``: pairs that both carry a BSN hash are left to the BSN rule).
3. The index: each record's band keys are computed in ``mapInPandas`` with the
   local functions; A and B are joined on ``(band, key)`` (a key of only empty bins
   does not count), the pairs de-duplicated, those both carrying a BSN hash left
   out, and the rest scored in ``mapInPandas`` by the local ``PairScorer``.
4. The BSN rule is an equi-join on the BSN codes: equal hashes link at 1.0.
5. The pairs at or above the threshold are collected on the driver (they are few),
   turned into links by :func:`~ketenbeeld.signals.link.collect_links`, and
   ``--one-to-one`` is :func:`~ketenbeeld.signals.link.greedy_one_to_one` there.

What goes to the cluster is the bit vectors, row numbers and, in place of the BSN
hashes, small integers that only say which rows share one. Record ids stay on the
driver. Executors need ``ketenbeeld`` installed (they import this module).

PySpark is an optional dependency (``pip install 'ketenbeeld[spark]'``): it is
imported only when a session is made.
"""

from __future__ import annotations

import functools
import importlib
import logging
import math
import os
import shutil
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pandas as pd

from ketenbeeld.errors import ConfigError
from ketenbeeld.signals._lsh import Design, PairScorer, Section, band_keys, bin_values, make_bins
from ketenbeeld.signals.encodings import EncodingSet
from ketenbeeld.signals.layout import Layout
from ketenbeeld.signals.link import (
    Hits,
    IndexParams,
    LinkPlan,
    LinkResult,
    collect_links,
    greedy_one_to_one,
    plan_link,
)

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

__all__ = ["DEFAULT_MASTER", "PYSPARK_MISSING", "link_spark", "spark_session"]

logger = logging.getLogger(__name__)

DEFAULT_MASTER = "local[*]"
PYSPARK_MISSING = "the spark engine needs PySpark: pip install 'ketenbeeld[spark]'"

_PAIRS_PER_TASK = 1 << 24
"""Pairs one task scores when all pairs are scored (about a second on one core)."""
_RECORDS = "row long, words binary, bsn long"
_HITS = "row_a long, row_b long, score double"


@contextmanager
def spark_session(
    master: str = DEFAULT_MASTER,
    *,
    records: int = 0,
    settings: Mapping[str, str] | None = None,
    app: str = "ketenbeeld signals link",
) -> Iterator[SparkSession]:
    """The Spark session to link on: started here and stopped at the end.

    When this process already runs a session (a notebook, a test session), that one
    is used as it is and left running. A new one has no web UI, no console progress
    bar, log level WARN, Arrow for pandas and shuffle partitions after the input
    size; on a local master the driver listens on 127.0.0.1 only and the workers run
    this Python.

    Args:
        master: Spark master URL: ``local[*]`` (all cores of this machine),
            ``spark://host:7077``, ``yarn``, ``k8s://...``.
        records: records in both inputs together (0 if unknown).
        settings: more Spark settings, applied last.
        app: the application name a new session gets (shown by the cluster manager).

    Raises:
        ConfigError: PySpark (with pyarrow) is not installed, Java is not found, or
            Spark does not start.

    Example:
        >>> with spark_session("local[2]", records=4000) as spark:  # doctest: +SKIP
        ...     result = link_spark(spark, a, b, layout, threshold=0.7)
    """
    try:
        importlib.import_module("pyarrow")  # mapInPandas and applyInPandas need it
        from pyspark.errors import PySparkException
        from pyspark.sql import SparkSession
    except ImportError:
        raise ConfigError(PYSPARK_MISSING) from None
    if not _java_found():
        raise ConfigError(
            "the spark engine needs Java (17 or later), and none was found",
            hint="install a JDK and put java on the PATH, or set JAVA_HOME",
        )
    running = SparkSession.getActiveSession()
    if running is not None:
        yield running
        return
    local = master.startswith("local")
    partitions = max(2, min(200, records // 25_000))
    builder = (
        SparkSession.builder.master(master)
        .appName(app)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.shuffle.partitions", str(partitions))
    )
    if local:
        # Nothing listens beyond this machine, and the workers import this package
        # from the same environment as the driver.
        builder = builder.config("spark.driver.host", "127.0.0.1")
        builder = builder.config("spark.driver.bindAddress", "127.0.0.1")
        if "PYSPARK_PYTHON" not in os.environ:
            builder = builder.config("spark.pyspark.python", sys.executable)
    for key, value in (settings or {}).items():
        builder = builder.config(key, value)
    # Read by the JVM as it starts: without it Spark warns that the host name is a
    # loopback address and looks for another one.
    own_ip = local and "SPARK_LOCAL_IP" not in os.environ
    if own_ip:
        os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    try:
        session = builder.getOrCreate()
    except PySparkException:
        raise ConfigError(
            "Spark did not start", hint="check --master and that Java 17 or later runs"
        ) from None
    finally:
        if own_ip:
            del os.environ["SPARK_LOCAL_IP"]
    session.sparkContext.setLogLevel("WARN")
    try:
        yield session
    finally:
        session.stop()


def link_spark(
    spark: SparkSession,
    a: EncodingSet,
    b: EncodingSet,
    layout: Layout | None,
    *,
    threshold: float,
    one_to_one: bool = False,
    index: IndexParams | None = None,
) -> LinkResult:
    """Link ``a`` to ``b`` on Spark: the result of :func:`~ketenbeeld.signals.link.link`.

    Args:
        spark: the session to run on (see :func:`spark_session`).
        a: the first organisation's encodings.
        b: the second organisation's encodings (same schema and length).
        layout: the schema's field sections and weights, or ``None`` for whole-vector Dice.
        threshold: the least score of a link, above 0 and at most 1.
        one_to_one: keep each id in at most one link (greedy, best score first).
        index: settings of the candidate index, as for ``link``.

    Returns:
        The links and counters of ``link`` (``candidates`` counts each pair once,
        also where ``link`` does the index's bands in turns).

    Raises:
        InputError: as ``link``.

    Example:
        >>> result = link_spark(spark, a, b, layout, threshold=0.7)  # doctest: +SKIP
        >>> result.links == link(a, b, layout, threshold=0.7).links  # doctest: +SKIP
        True
    """
    from pyspark.sql import functions as F

    plan = plan_link(a, b, layout, threshold=threshold, index=index)
    if not len(a) or not len(b):
        return LinkResult([], len(a), len(b), "bruteforce", 0)
    codes_a, codes_b = _bsn_codes(a, b)
    frame_a = _records(spark, a.matrix, codes_a)
    frame_b = _records(spark, b.matrix, codes_b)
    same_bsn: pd.DataFrame = (
        frame_a.where(F.col("bsn") >= 0)
        .select(F.col("row").alias("row_a"), "bsn")
        .join(frame_b.where(F.col("bsn") >= 0).select(F.col("row").alias("row_b"), "bsn"), "bsn")
        .select("row_a", "row_b")
        .toPandas()
    )
    bsn_pairs = zip(same_bsn["row_a"].tolist(), same_bsn["row_b"].tolist(), strict=True)
    words = a.matrix.shape[1]
    design = plan.design
    if design is None:
        found = _all_pairs(spark, frame_a, frame_b, (len(a), len(b)), plan, threshold, words)
        both = int(np.count_nonzero(codes_a >= 0)) * int(np.count_nonzero(codes_b >= 0))
        links, bsn_links = collect_links(a, b, [found], bsn_pairs)
        return LinkResult(
            greedy_one_to_one(links) if one_to_one else links,
            len(a),
            len(b),
            "bruteforce",
            len(a) * len(b) - both,
            bsn_links=bsn_links,
        )
    logger.debug(
        "linking %d x %d records on Spark: %d bands of %d bins of %d bits",
        len(a),
        len(b),
        design.bands,
        design.rows_per_band,
        design.bin_bits,
    )
    found, counts = _indexed(frame_a, frame_b, plan, design, threshold, words)
    links, bsn_links = collect_links(a, b, [found], bsn_pairs)
    return LinkResult(
        greedy_one_to_one(links) if one_to_one else links,
        len(a),
        len(b),
        "index",
        counts["candidates"],
        bucket_pairs=counts["bucket_pairs"],
        buckets=counts["buckets"],
        rows_per_band=design.rows_per_band,
        bands=design.bands,
        bin_bits=design.bin_bits,
        bsn_links=bsn_links,
    )


def _java_found() -> bool:
    """Whether Spark's launcher finds Java: ``$JAVA_HOME/bin/java``, else ``java`` on the PATH."""
    home = os.environ.get("JAVA_HOME")
    if home:
        return os.access(os.path.join(home, "bin", "java"), os.X_OK)
    return shutil.which("java") is not None


def _bsn_codes(
    a: EncodingSet, b: EncodingSet
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Per record a number shared by the records with the same BSN hash; -1 without one."""
    codes: dict[str, int] = {}
    code_a = [codes.setdefault(h, len(codes)) if h else -1 for h in a.bsn]
    code_b = [codes.setdefault(h, len(codes)) if h else -1 for h in b.bsn]
    return np.array(code_a, dtype=np.int64), np.array(code_b, dtype=np.int64)


def _records(
    spark: SparkSession, matrix: npt.NDArray[np.uint64], codes: npt.NDArray[np.int64]
) -> DataFrame:
    """One row per record: its row number, its bit vector (big-endian words), its BSN code."""
    packed = np.ascontiguousarray(matrix, dtype=">u8").view(np.uint8).reshape(len(matrix), -1)
    table = pd.DataFrame(
        {
            "row": np.arange(len(matrix), dtype=np.int64),
            "words": [bytes(record) for record in packed],
            "bsn": codes,
        }
    )
    return spark.createDataFrame(table, schema=_RECORDS)


def _matrix(column: pd.Series, words: int) -> npt.NDArray[np.uint64]:
    """The bit matrix of a column of packed bit vectors (as :func:`_records` wrote them)."""
    raw = np.frombuffer(b"".join(column.tolist()), dtype=">u8").reshape(len(column), words)
    return raw.astype(np.uint64)


def _encodings(matrix: npt.NDArray[np.uint64], codes: Sequence[int]) -> EncodingSet:
    """An encoding set for a :class:`PairScorer`: ids unused, BSN codes as text."""
    bsn = tuple(str(code) if code >= 0 else None for code in codes)
    return EncodingSet(("",) * len(matrix), matrix, "", bsn)


def _all_pairs(
    spark: SparkSession,
    frame_a: DataFrame,
    frame_b: DataFrame,
    sizes: tuple[int, int],
    plan: LinkPlan,
    threshold: float,
    words: int,
) -> Hits:
    """Every pair scored: blocks of A x blocks of B, one cogroup per pair of blocks."""
    from pyspark.sql import functions as F

    n_a, n_b = sizes
    tasks = max(spark.sparkContext.defaultParallelism, math.ceil(n_a * n_b / _PAIRS_PER_TASK))
    blocks_a = min(n_a, math.ceil(math.sqrt(tasks)))
    blocks_b = min(n_b, math.ceil(tasks / blocks_a))
    # Each record of A goes to every block of B and the other way round. Both block
    # columns are ints on both sides: a cogroup partitions each side by the hash of its
    # own key values, so (long, int) on one side and (int, long) on the other put the
    # same blocks in different partitions and the pairs there were never scored.
    left = frame_a.withColumn("block_a", (F.col("row") % blocks_a).cast("int")).withColumn(
        "block_b", F.explode(F.sequence(F.lit(0), F.lit(blocks_b - 1)).cast("array<int>"))
    )
    right = frame_b.withColumn("block_b", (F.col("row") % blocks_b).cast("int")).withColumn(
        "block_a", F.explode(F.sequence(F.lit(0), F.lit(blocks_a - 1)).cast("array<int>"))
    )
    score = functools.partial(
        _score_blocks, sections=plan.sections, swaps=plan.swaps, threshold=threshold, words=words
    )
    hits = (
        left.groupBy("block_a", "block_b")
        .cogroup(right.groupBy("block_a", "block_b"))
        .applyInPandas(score, schema=_HITS)
        .toPandas()
    )
    return _arrays(hits)


def _score_blocks(
    left: pd.DataFrame,
    right: pd.DataFrame,
    *,
    sections: Sequence[Section],
    swaps: Sequence[tuple[int, int]],
    threshold: float,
    words: int,
) -> pd.DataFrame:
    """On an executor: the pairs of a block of A and a block of B at or above the threshold."""
    if left.empty or right.empty:
        return pd.DataFrame({"row_a": [], "row_b": [], "score": []})
    a = _encodings(_matrix(left["words"], words), left["bsn"].tolist())
    b = _encodings(_matrix(right["words"], words), right["bsn"].tolist())
    rows_a, rows_b, scores = PairScorer(a, b, sections, swaps).block_hits(0, len(a), threshold)
    return pd.DataFrame(
        {
            "row_a": left["row"].to_numpy()[rows_a],
            "row_b": right["row"].to_numpy()[rows_b],
            "score": scores,
        }
    )


def _indexed(
    frame_a: DataFrame,
    frame_b: DataFrame,
    plan: LinkPlan,
    design: Design,
    threshold: float,
    words: int,
) -> tuple[Hits, dict[str, int]]:
    """The index's candidates scored: a join on band keys, de-duplicated, then scored."""
    from pyspark.sql import Observation
    from pyspark.sql import functions as F

    rows, bin_bits = design.rows_per_band, design.bin_bits
    bins = make_bins(plan.sections, rows * design.bands, bin_bits, plan.params.seed)
    keys = functools.partial(_band_keys, bins=bins, rows=rows, bin_bits=bin_bits, words=words)
    keys_b = frame_b.mapInPandas(keys, "band int, key long, row long").persist()
    buckets = keys_b.select("band", "key").distinct().count()
    # A band whose bins are all empty has the key (m + 1) ** r - 1: it does not count.
    empty = (bin_bits + 1) ** rows - 1
    keys_a = frame_a.mapInPandas(keys, "band int, key long, row long")
    raw, candidates = Observation("raw"), Observation("candidates")
    pairs = (
        keys_a.where(F.col("key") != empty)
        .withColumnRenamed("row", "row_a")
        .join(
            keys_b.where(F.col("key") != empty).withColumnRenamed("row", "row_b"),
            ["band", "key"],
        )
        .select("row_a", "row_b")
        .observe(raw, F.count(F.lit(1)).alias("pairs"))
        .distinct()
    )
    side_a = frame_a.select(
        F.col("row").alias("row_a"), F.col("words").alias("words_a"), F.col("bsn").alias("bsn_a")
    )
    side_b = frame_b.select(
        F.col("row").alias("row_b"), F.col("words").alias("words_b"), F.col("bsn").alias("bsn_b")
    )
    score = functools.partial(
        _score_pairs, sections=plan.sections, swaps=plan.swaps, threshold=threshold, words=words
    )
    hits = (
        pairs.join(side_a, "row_a")
        .join(side_b, "row_b")
        .where((F.col("bsn_a") < 0) | (F.col("bsn_b") < 0))  # else the BSN decides
        .observe(candidates, F.count(F.lit(1)).alias("pairs"))
        .mapInPandas(score, _HITS)
        .toPandas()
    )
    keys_b.unpersist()
    counts = {
        "buckets": buckets,
        "bucket_pairs": int(raw.get["pairs"]),
        "candidates": int(candidates.get["pairs"]),
    }
    return _arrays(hits), counts


def _band_keys(
    batches: Iterator[pd.DataFrame],
    *,
    bins: npt.NDArray[np.int64],
    rows: int,
    bin_bits: int,
    words: int,
) -> Iterator[pd.DataFrame]:
    """On an executor: one row ``(band, key, row)`` per record and band."""
    for batch in batches:
        if batch.empty:
            continue
        keys = band_keys(bin_values(_matrix(batch["words"], words), bins), rows, bin_bits)
        bands = keys.shape[1]
        yield pd.DataFrame(
            {
                "band": np.tile(np.arange(bands, dtype=np.int32), len(batch)),
                "key": keys.ravel().astype(np.int64),
                "row": np.repeat(batch["row"].to_numpy(dtype=np.int64), bands),
            }
        )


def _score_pairs(
    batches: Iterator[pd.DataFrame],
    *,
    sections: Sequence[Section],
    swaps: Sequence[tuple[int, int]],
    threshold: float,
    words: int,
) -> Iterator[pd.DataFrame]:
    """On an executor: the candidate pairs of each batch at or above the threshold."""
    for batch in batches:
        if batch.empty:
            continue
        count = len(batch)
        a = _encodings(_matrix(batch["words_a"], words), [-1] * count)
        b = _encodings(_matrix(batch["words_b"], words), [-1] * count)
        pairs = np.arange(count, dtype=np.int64)
        scores = PairScorer(a, b, sections, swaps).score_pairs(pairs, pairs, threshold)
        hit = scores >= threshold
        yield pd.DataFrame(
            {
                "row_a": batch["row_a"].to_numpy(dtype=np.int64)[hit],
                "row_b": batch["row_b"].to_numpy(dtype=np.int64)[hit],
                "score": scores[hit],
            }
        )


def _arrays(hits: pd.DataFrame) -> Hits:
    """The collected hits as the arrays :func:`~ketenbeeld.signals.link.collect_links` takes."""
    return (
        hits["row_a"].to_numpy(dtype=np.int64),
        hits["row_b"].to_numpy(dtype=np.int64),
        hits["score"].to_numpy(dtype=np.float64),
    )
