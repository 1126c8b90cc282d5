"""Batch linking of two encoding files: which records of A and B are the same person.

The score of a pair is a similarity of their bit vectors (Bloom-filter encodings):

* with a :class:`~ketenbeeld.signals.layout.Layout`, the weighted mean over fields of
  the Dice coefficient ``2 |A & B| / (|A| + |B|)`` of each field's section, leaving
  out a field whose section is empty in either record (a missing value) and
  renormalising the weights over the fields left; 0 when no field is left;
* without a layout, the Dice coefficient of the whole vectors.

**The BSN rule.** Where both records carry a BSN hash (an exact keyed hash, sent only
by organisations that may lawfully use the BSN), the BSN is authoritative: equal
hashes make the pair a link with score 1.0 whatever the Bloom filters say, and
different hashes mean different people, so the pair is not linked even if the Bloom
filters are identical. Where either record has no BSN hash, the Bloom filters decide.

To keep the cost from growing with ``|A| x |B|``, :func:`link` scores only the
candidate pairs of a MinHash index on the encodings themselves (see
:mod:`ketenbeeld.signals._lsh` for the parameters and the reasoning: a pair at the
threshold is missed with probability at most 1e-3), unless its cost model expects
scoring every pair to be cheaper (up to a few tens of thousands of records per side
on two cores). :func:`link_bruteforce` always scores every pair and is the reference
the index is tested against. Scoring is compiled (:mod:`ketenbeeld.signals._kernels`):
popcounts of the AND of 64-bit words, pairs certain to stay below the threshold
rejected after their heaviest sections, rows of A spread over all cores.
:func:`plan_link` (the decision) and :func:`collect_links` (the last step) are shared
with the Spark engine (:mod:`ketenbeeld.signals.spark_link`), so both give the same links.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from ketenbeeld.errors import InputError
from ketenbeeld.signals._lsh import (
    Design,
    IndexParams,
    IndexStats,
    PairScorer,
    Section,
    candidate_pairs,
    choose_design,
)
from ketenbeeld.signals.encodings import EncodingSet
from ketenbeeld.signals.layout import Layout

__all__ = [
    "DEFAULT_THRESHOLD",
    "Evaluation",
    "IndexParams",
    "Link",
    "LinkPlan",
    "LinkResult",
    "collect_links",
    "evaluate",
    "greedy_one_to_one",
    "link",
    "link_bruteforce",
    "plan_link",
]

logger = logging.getLogger(__name__)

# Chosen by measurement on the synthetic Dutch population (benchmarks/signals_link.py,
# figures in benchmarks/RESULTS.md): at 0.70 F1 is within 0.001 of the best threshold
# with --one-to-one (0.65) and at the best without it (0.70-0.75). Change both together.
DEFAULT_THRESHOLD = 0.7

_PAIRS_PER_STEP = 1 << 16
_WORKERS = max(1, min(8, os.cpu_count() or 1))
"""Threads scoring blocks of pairs at once."""
ProgressCallback = Callable[[int, int], None]
Hits = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]]
"""Scored pairs: rows of A, rows of B, scores."""


@dataclass(frozen=True)
class Link:
    """One pair of records judged to be the same person.

    Attributes:
        id_a: record id in the first file.
        id_b: record id in the second file.
        score: the similarity, 0..1 (1.0 for a BSN match).
    """

    id_a: str
    id_b: str
    score: float


@dataclass(frozen=True)
class LinkResult:
    """The links and the counters of one run.

    Attributes:
        links: sorted by score (highest first), then ``id_a``, then ``id_b``.
        n_a: records in A.
        n_b: records in B.
        method: ``"index"`` or ``"bruteforce"`` (every pair scored).
        candidates: pairs whose encodings were compared exactly.
        bucket_pairs: raw band collisions before de-duplication (index only).
        buckets: distinct band keys of B (index only).
        rows_per_band: ``r`` of the index (0 for brute force).
        bands: ``L`` of the index (0 for brute force).
        bin_bits: bit positions per MinHash bin of the index (0 for brute force).
        bsn_links: links made by equal BSN hashes.
    """

    links: list[Link]
    n_a: int
    n_b: int
    method: Literal["index", "bruteforce"]
    candidates: int
    bucket_pairs: int = 0
    buckets: int = 0
    rows_per_band: int = 0
    bands: int = 0
    bin_bits: int = 0
    bsn_links: int = 0

    @property
    def candidate_fraction(self) -> float:
        """Candidates as a share of all ``|A| x |B|`` pairs."""
        pairs = self.n_a * self.n_b
        return self.candidates / pairs if pairs else 0.0


@dataclass(frozen=True)
class LinkPlan:
    """How :func:`link` goes about one run: what is compared and how candidates are found.

    Attributes:
        sections: the layout's sections as ``(start bit, stop bit, weight)``; one
            section of the whole vector without a layout.
        swaps: pairs of section indexes that are also scored crossed.
        design: the candidate index, or ``None`` to score every pair.
        params: the index settings the design was chosen with.
    """

    sections: list[Section]
    swaps: tuple[tuple[int, int], ...]
    design: Design | None
    params: IndexParams


@dataclass(frozen=True)
class Evaluation:
    """Quality of links against known true pairs (0.0 where a ratio is undefined)."""

    precision: float
    recall: float
    f1: float
    tp: int
    fp: int
    fn: int


def link(
    a: EncodingSet,
    b: EncodingSet,
    layout: Layout | None,
    *,
    threshold: float,
    one_to_one: bool = False,
    on_progress: ProgressCallback | None = None,
    index: IndexParams | None = None,
) -> LinkResult:
    """Link the records of ``a`` to those of ``b`` with a score of at least ``threshold``.

    Args:
        a: the first organisation's encodings.
        b: the second organisation's encodings (same schema and length).
        layout: the schema's field sections and weights, or ``None`` for whole-vector Dice.
        threshold: the least score of a link, above 0 and at most 1.
        one_to_one: keep each id in at most one link (greedy, best score first).
        on_progress: called with ``(done, total)`` work units now and then.
        index: settings of the candidate index; the defaults suit normal use.

    Returns:
        The links, sorted by score descending then ids, and the run's counters.

    Raises:
        InputError: the files differ in schema or length, the layout does not fit
            them, or the threshold is out of range.

    Example:
        >>> import numpy as np
        >>> from ketenbeeld.signals.encodings import EncodingSet
        >>> a = EncodingSet(("a1",), np.array([[0b1100 << 60]], np.uint64), "s/1", (None,))
        >>> b = EncodingSet(("b1",), np.array([[0b1010 << 60]], np.uint64), "s/1", (None,))
        >>> link(a, b, None, threshold=0.5).links
        [Link(id_a='a1', id_b='b1', score=0.5)]
    """
    plan = plan_link(a, b, layout, threshold=threshold, index=index)
    if not len(a) or not len(b):
        return LinkResult([], len(a), len(b), "bruteforce", 0)
    design, params, sections = plan.design, plan.params, plan.sections
    if design is None:
        return _bruteforce(a, b, layout, threshold, one_to_one, on_progress)
    logger.debug(
        "linking %d x %d records: %d bands of %d bins of %d bits (expected candidates %.4f%%)",
        len(a),
        len(b),
        design.bands,
        design.rows_per_band,
        design.bin_bits,
        100 * design.expected_fraction,
    )
    scorer = PairScorer(a, b, sections, plan.swaps)
    stats = IndexStats()
    found: list[Hits] = []
    candidates = 0
    for rows_a, rows_b in candidate_pairs(
        a.matrix, b.matrix, sections, design, params, stats, on_progress
    ):
        keep = scorer.fuzzy(rows_a, rows_b)
        rows_a, rows_b = rows_a[keep], rows_b[keep]
        candidates += len(rows_a)
        for start in range(0, len(rows_a), _PAIRS_PER_STEP):
            part_a = rows_a[start : start + _PAIRS_PER_STEP]
            part_b = rows_b[start : start + _PAIRS_PER_STEP]
            scores = scorer.score_pairs(part_a, part_b, threshold)
            hit = scores >= threshold
            found.append((part_a[hit], part_b[hit], scores[hit]))
    links, bsn_links = _collect(a, b, scorer, found)
    return LinkResult(
        greedy_one_to_one(links) if one_to_one else links,
        len(a),
        len(b),
        "index",
        candidates,
        bucket_pairs=stats.bucket_pairs,
        buckets=stats.buckets,
        rows_per_band=design.rows_per_band,
        bands=design.bands,
        bin_bits=design.bin_bits,
        bsn_links=bsn_links,
    )


def plan_link(
    a: EncodingSet,
    b: EncodingSet,
    layout: Layout | None,
    *,
    threshold: float,
    index: IndexParams | None = None,
) -> LinkPlan:
    """Check the inputs and decide, as :func:`link` does, between the index and all pairs.

    The decision is the cost model of :func:`~ketenbeeld.signals._lsh.choose_design`
    for this machine's cores; with empty input there is nothing to decide (``design``
    is ``None``).

    Raises:
        InputError: as :func:`link`.

    Example:
        >>> import numpy as np
        >>> from ketenbeeld.signals.encodings import EncodingSet
        >>> a = EncodingSet(("a1",), np.array([[0b1100 << 60]], np.uint64), "s/1", (None,))
        >>> plan = plan_link(a, a, None, threshold=0.8)
        >>> plan.sections, plan.design
        ([(0, 64, 1.0)], None)
    """
    params = index or IndexParams()
    _check(a, b, layout, threshold)
    sections = _sections(a, layout)
    swaps = layout.swaps if layout else ()
    design = None
    if len(a) and len(b) and params.method != "bruteforce":
        chosen = choose_design(
            a.matrix, b.matrix, sections, threshold, params,
            passes=2 if swaps else 1, workers=_WORKERS,
        )  # fmt: skip
        if chosen.method == "index":
            design = chosen
    return LinkPlan(sections, swaps, design, params)


def link_bruteforce(
    a: EncodingSet,
    b: EncodingSet,
    layout: Layout | None,
    *,
    threshold: float,
    one_to_one: bool = False,
    on_progress: ProgressCallback | None = None,
) -> LinkResult:
    """Like :func:`link`, but score every pair: exact, and cost ``|A| x |B|``.

    Memory stays bounded: slices of rows of A are scored against all of B, on all
    cores at once, and only the pairs at or above the threshold are kept.

    Example:
        >>> import numpy as np
        >>> from ketenbeeld.signals.encodings import EncodingSet
        >>> a = EncodingSet(("a1",), np.array([[0b1100 << 60]], np.uint64), "s/1", (None,))
        >>> link_bruteforce(a, a, None, threshold=0.9).links
        [Link(id_a='a1', id_b='a1', score=1.0)]
    """
    _check(a, b, layout, threshold)
    if not len(a) or not len(b):
        return LinkResult([], len(a), len(b), "bruteforce", 0)
    return _bruteforce(a, b, layout, threshold, one_to_one, on_progress)


def greedy_one_to_one(links: Iterable[Link]) -> list[Link]:
    """Keep each id at most once: best score first, ties by ``id_a`` then ``id_b``.

    Example:
        >>> greedy_one_to_one([Link("a1", "b1", 0.9), Link("a1", "b2", 0.95)])
        [Link(id_a='a1', id_b='b2', score=0.95)]
    """
    used_a: set[str] = set()
    used_b: set[str] = set()
    kept: list[Link] = []
    for item in sorted(links, key=_order):
        if item.id_a not in used_a and item.id_b not in used_b:
            used_a.add(item.id_a)
            used_b.add(item.id_b)
            kept.append(item)
    return kept


def evaluate(links: Iterable[Link], truth: set[tuple[str, str]]) -> Evaluation:
    """Precision, recall and F1 of links against the true ``(id_a, id_b)`` pairs.

    Example:
        >>> truth = {("a1", "b1"), ("a2", "b2")}
        >>> e = evaluate([Link("a1", "b1", 0.9), Link("a1", "b3", 0.8)], truth)
        >>> (e.tp, e.fp, e.fn, e.precision, e.recall, e.f1)
        (1, 1, 1, 0.5, 0.5, 0.5)
    """
    predicted = {(item.id_a, item.id_b) for item in links}
    tp = len(predicted & truth)
    fp = len(predicted) - tp
    fn = len(truth) - tp
    precision = tp / len(predicted) if predicted else 0.0
    recall = tp / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Evaluation(precision, recall, f1, tp, fp, fn)


def _order(item: Link) -> tuple[float, str, str]:
    return (-item.score, item.id_a, item.id_b)


def _check(a: EncodingSet, b: EncodingSet, layout: Layout | None, threshold: float) -> None:
    if not 0.0 < threshold <= 1.0:
        raise InputError(
            "the threshold must be above 0 and at most 1", hint="for example --threshold 0.8"
        )
    if not len(a) or not len(b):
        return
    bits_a, bits_b = a.matrix.shape[1] * 64, b.matrix.shape[1] * 64
    if a.schema != b.schema or bits_a != bits_b:
        raise InputError(
            "the two encoding files do not match: the first uses schema "
            f"{a.schema} with {bits_a} bits, the second schema {b.schema} with {bits_b} bits",
            hint="encode both person files with the same schema and chain key",
        )
    if layout is not None and (layout.schema != a.schema or layout.n_bits != bits_a):
        raise InputError(
            f"the layout is for schema {layout.schema} with {layout.n_bits} bits, "
            f"but the encodings use schema {a.schema} with {bits_a} bits",
            hint="use the layout of the schema the files were encoded with",
        )


def _sections(a: EncodingSet, layout: Layout | None) -> list[Section]:
    if layout is None:
        return [(0, a.matrix.shape[1] * 64, 1.0)]
    return [(section.start, section.stop, section.weight) for section in layout.sections]


def _bruteforce(
    a: EncodingSet,
    b: EncodingSet,
    layout: Layout | None,
    threshold: float,
    one_to_one: bool,
    on_progress: ProgressCallback | None,
) -> LinkResult:
    scorer = PairScorer(a, b, _sections(a, layout), layout.swaps if layout else ())
    # Rows of A in slices scored on all cores (the compiled scorer holds no GIL);
    # slices small enough for progress, large enough to keep the threads busy.
    step = max(1, min(1024, -(-len(a) // (8 * _WORKERS)), 4_000_000 // len(b)))
    slices = [(a0, min(len(a), a0 + step)) for a0 in range(0, len(a), step)]
    found = []
    with ThreadPoolExecutor(max_workers=_WORKERS) as pool:
        for (_, a1), hits in zip(
            slices,
            pool.map(lambda s: scorer.block_hits(s[0], s[1], threshold), slices),
            strict=True,
        ):
            found.append(hits)
            if on_progress is not None:
                on_progress(a1, len(a))
    links, bsn_links = _collect(a, b, scorer, found)
    both = int(np.count_nonzero(scorer.bsn_a >= 0)) * int(np.count_nonzero(scorer.bsn_b >= 0))
    return LinkResult(
        greedy_one_to_one(links) if one_to_one else links,
        len(a),
        len(b),
        "bruteforce",
        len(a) * len(b) - both,
        bsn_links=bsn_links,
    )


def collect_links(
    a: EncodingSet,
    b: EncodingSet,
    found: Iterable[Hits],
    bsn_pairs: Iterable[tuple[int, int]],
) -> tuple[list[Link], int]:
    """Links from scored pairs and BSN matches, sorted as in :class:`LinkResult`.

    Args:
        a: the first file's encodings (for the ids of its rows).
        b: the second file's encodings.
        found: scored pairs at or above the threshold, as rows of A, rows of B and
            scores; a pair found more than once counts once.
        bsn_pairs: ``(row of A, row of B)`` with equal BSN hashes: links with score 1.0.

    Returns:
        The links, and how many of them the BSN made.

    Example:
        >>> import numpy as np
        >>> a = EncodingSet(("a1", "a2"), np.zeros((2, 1), np.uint64), "s/1", (None, None))
        >>> hits = (np.array([0]), np.array([0]), np.array([0.8]))
        >>> collect_links(a, a, [hits], [(1, 0)])
        ([Link(id_a='a2', id_b='a1', score=1.0), Link(id_a='a1', id_b='a1', score=0.8)], 1)
    """
    pairs: dict[tuple[int, int], float] = {}
    for rows_a, rows_b, scores in found:
        for row_a, row_b, score in zip(
            rows_a.tolist(), rows_b.tolist(), scores.tolist(), strict=True
        ):
            pairs[(row_a, row_b)] = score
    bsn_links = 0
    for row_a, row_b in bsn_pairs:
        pairs[(row_a, row_b)] = 1.0
        bsn_links += 1
    links = [Link(a.ids[row_a], b.ids[row_b], score) for (row_a, row_b), score in pairs.items()]
    links.sort(key=_order)
    return links, bsn_links


def _collect(
    a: EncodingSet, b: EncodingSet, scorer: PairScorer, found: Sequence[Hits]
) -> tuple[list[Link], int]:
    """Links from the scored hits (de-duplicated) and the BSN matches, sorted."""
    by_code: dict[int, list[int]] = {}
    for row_b, code in enumerate(scorer.bsn_b.tolist()):
        if code >= 0:
            by_code.setdefault(code, []).append(row_b)
    bsn_pairs = [
        (row_a, row_b)
        for row_a, code in enumerate(scorer.bsn_a.tolist())
        for row_b in by_code.get(code, [])
    ]
    return collect_links(a, b, found, bsn_pairs)
