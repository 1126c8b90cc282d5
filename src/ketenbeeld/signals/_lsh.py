"""The candidate index of :mod:`ketenbeeld.signals.link` (MinHash LSH on the encodings)
and its exact pair scorer.

Only the bit vectors themselves are used (no key, no identifier, no extra field), so
the index leaks nothing beyond what the encodings already show; its randomness is a
fixed public seed, so runs are reproducible.

How it works
------------
A *bin* is ``m`` (8 or 16) bit positions drawn at random (without replacement) inside
one section of the layout, in a random order. A record's value for a bin is the index
of the first of those positions that is set, or ``m`` when none is: one-permutation
MinHash on a small bin. A *band* is ``r`` bins; its key is the ``r`` values in base
``m + 1`` (``uint32``, so ``r <= 10`` for ``m = 8`` and ``r <= 7`` for ``m = 16``).
Records of A and B are candidates when they share the key of at least one of ``L``
bands (a key of only empty bins does not count); each candidate is then scored
exactly, so the index can only lose links, never add any.

Why it finds the links
----------------------
For one bin, two records agree with probability ``J (1 - e) + e >= J``, where ``J``
is the Jaccard coefficient of their bits in the bin's section (the first set position
of a random bin is a uniformly random element of the union) and ``e`` the chance that
the bin is empty in both. Bins are placed in a section with probability proportional
to its weight, so one bin agrees with probability at least ``sum_s w_s J_s``.
``J = D / (2 - D)`` is convex in the Dice coefficient ``D``, so by Jensen that is at
least ``J(score)`` for the weighted mean score of :func:`link`. A band agrees with
probability ``p >= J(score) ** r`` and a pair at the threshold ``t`` is missed with
probability at most ``(1 - J(t) ** r) ** L``; ``L`` is the smallest number of bands
that makes this at most ``miss_rate`` (default 1e-3; pairs above the threshold are
missed less often). Example at ``t = 0.7``: ``J = 0.538``; ``r = 5`` needs ``L = 150``.

A field that is empty in one record only (missing on one side) is left out of the
score but makes its bins disagree, so such a pair agrees per bin with probability at
least ``(1 - w) J(score)`` for a field of normalised weight ``w``: at the threshold
it is missed with probability up to ``miss_rate ** ((1 - w) ** r)`` (0.04 for
``w = 0.14, r = 5``). Such pairs are common among links near the threshold (the
fields left can score high where a name is missing), so by default
(``guard_missing``) the design similarity is lowered to ``(1 - w) J(t)``, with ``w``
the largest weight of a field empty in at least 1% of either side's records.
Measured on the synthetic Dutch population (74,231 x 74,251 records, recall against
brute force): with the guard 0.99967, 0.99996 and 0.99991 at thresholds 0.7, 0.8 and
0.9; without it 0.99890, 0.99979 and 0.99950 at a third to a fifth of the time.

Choosing m and r
----------------
Unrelated pairs collide in a band with probability ``q ** r``, where ``q`` is their
per-bin agreement; it depends on the data (fill, common values, households) and on
``m`` (a small bin is often empty in both records, which counts as agreement, in
sparse encodings). ``q`` is estimated per pair on a seeded sample (256 x 256 records,
128 bins of each size), and ``m`` and ``r`` are chosen to minimise the expected time:
hashing ``(|A| + |B|) L r m``, band look-ups ``(|A| + |B|) L`` and exact scoring of
the expected candidates ``|A| |B| mean(1 - (1 - q ** r) ** L)``. When scoring all
pairs is expected to be cheaper (small inputs, or encodings too dense for any band to
separate them), every pair is scored instead. Measured choices at threshold 0.7:
random 2048-bit encodings with fill 0.2, 100,000 x 100,000: ``m = 16, r = 6,
L = 280``, 0.07% of the pairs as candidates; the synthetic Dutch population encoded
with ``dutch-person`` (1024 bits, fill 0.26), 74,231 x 74,251: ``m = 16, r = 6,
L = 680``, 3.8% (names share q-grams, households share addresses; 0.43% at 0.8).

Memory: B's band keys take about 16 bytes per record and band; bands beyond
``memory_mb`` are done in turns (a pair found in two turns is scored twice).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from ketenbeeld.signals._kernels import block_hits, pair_scores
from ketenbeeld.signals.encodings import EncodingSet

__all__ = [
    "Design",
    "IndexParams",
    "IndexStats",
    "PairScorer",
    "candidate_pairs",
    "choose_design",
]

BIN_SIZES = (8, 16)
"""Positions per bin: 8 suits fills of about 0.25 and more, 16 sparser encodings."""
MAX_BANDS = 2000
_SAMPLE = 256
_POOL = 128
_MISSING_SHARE = 0.01
# Costs in nanoseconds on the 2-core development machine (numpy 2.4, numba 0.68);
# only their ratios matter. Hashing: per record and bin position. Band: per record
# and band (sorting B's keys, searching A's). Scoring a candidate: fixed (expanding
# and de-duplicating the pair, fetching the two records), per 64-bit word and per
# section. Scoring all pairs: the same per pair in the compiled kernel, on all
# cores; its per-section cost is the mean over thresholds 0.5-0.8 (unrelated pairs
# are mostly rejected after the heaviest sections).
_HASH_NS = 1.8
_BAND_NS = 100.0
_PAIR_NS = (150.0, 2.0, 2.0)
_BRUTE_NS = (4.0, 0.8, 1.8)

# _FIRST_SET[byte] = index (0 = most significant) of the first set bit; 8 when none.
_FIRST_SET = np.array([8] + [8 - v.bit_length() for v in range(1, 256)], dtype=np.uint8)

Section = tuple[int, int, float]
"""A section as ``(start bit, stop bit, weight)``."""

IntArray = npt.NDArray[np.int64]
WordMatrix = npt.NDArray[np.uint64]


@dataclass(frozen=True)
class IndexParams:
    """Settings of the candidate index; the defaults suit linking as documented.

    Attributes:
        method: ``"auto"`` lets the cost model choose between the index and scoring
            all pairs; ``"index"`` or ``"bruteforce"`` forces one.
        rows_per_band: ``r``; ``None`` lets the cost model choose it.
        bin_bits: positions per bin (8 or 16); ``None`` lets the cost model choose.
        miss_rate: the largest chance that a pair at the threshold is not a candidate.
        seed: seeds the bins and the sample; public, it holds no secret.
        memory_mb: memory for B's band keys; more bands are done in turns.
        guard_missing: design for pairs with one field missing on one side too
            (more bands where fields are missing; see the module doc).
    """

    method: Literal["auto", "index", "bruteforce"] = "auto"
    rows_per_band: int | None = None
    bin_bits: int | None = None
    miss_rate: float = 1e-3
    seed: int = 20_250_601
    memory_mb: int = 256
    guard_missing: bool = True

    def __post_init__(self) -> None:
        if self.method not in ("auto", "index", "bruteforce"):
            raise ValueError("method must be auto, index or bruteforce")
        if not 0.0 < self.miss_rate < 1.0:
            raise ValueError("miss_rate must be between 0 and 1")
        if self.memory_mb < 1:
            raise ValueError("memory_mb must be at least 1")


@dataclass(frozen=True)
class Design:
    """The index chosen for one run.

    Attributes:
        method: ``"index"`` or ``"bruteforce"``.
        rows_per_band: ``r``.
        bands: ``L``.
        bin_bits: positions per bin.
        design_similarity: the Dice value the miss rate is guaranteed at.
        expected_fraction: estimated share of ``|A| x |B|`` that becomes candidates.
    """

    method: Literal["index", "bruteforce"]
    rows_per_band: int
    bands: int
    bin_bits: int
    design_similarity: float
    expected_fraction: float


@dataclass
class IndexStats:
    """Counters filled while candidates are produced."""

    bucket_pairs: int = 0
    buckets: int = 0


def bands_needed(jaccard: float, rows: int, miss_rate: float) -> int:
    """The least ``L`` with ``(1 - jaccard ** rows) ** L <= miss_rate``.

    >>> bands_needed(0.7 / 1.3, 5, 1e-3)
    150
    """
    band = min(jaccard, 1.0) ** rows
    if band >= 1.0:
        return 1
    if band <= 0.0:
        return MAX_BANDS + 1
    return max(1, math.ceil(math.log(miss_rate) / math.log1p(-band)))


def max_rows(bin_bits: int) -> int:
    """Largest ``r`` whose keys fit ``uint32`` (10 for 8-bit bins, 7 for 16-bit)."""
    return int(32 * math.log(2) / math.log(bin_bits + 1))


def make_bins(sections: Sequence[Section], count: int, bin_bits: int, seed: int) -> IntArray:
    """``count`` bins of ``bin_bits`` positions, each inside one section chosen by weight."""
    rng = np.random.default_rng(seed)
    weights = np.array([weight for _, _, weight in sections], dtype=np.float64)
    chosen = rng.choice(len(sections), size=count, p=weights / weights.sum())
    bins = np.empty((count, bin_bits), dtype=np.int64)
    for number, index in enumerate(chosen):
        start, stop, _ = sections[index]
        bins[number] = start + rng.choice(stop - start, size=bin_bits, replace=False)
    return bins


def bin_values(matrix: WordMatrix, bins: IntArray, chunk: int = 1024) -> npt.NDArray[np.uint8]:
    """Per record and bin the index of the first set position (the bin size when none)."""
    out = np.empty((matrix.shape[0], bins.shape[0]), dtype=np.uint8)
    flat = bins.ravel()
    for start in range(0, matrix.shape[0], chunk):
        words = matrix[start : start + chunk].astype(">u8")
        bits = np.unpackbits(words.view(np.uint8), axis=1)
        packed = np.packbits(np.take(bits, flat, axis=1), axis=1)
        if bins.shape[1] == 8:
            out[start : start + chunk] = _FIRST_SET[packed]
        else:
            high, low = packed[:, 0::2], packed[:, 1::2]
            # _FIRST_SET[0] is 8, so an empty high byte continues into the low byte.
            out[start : start + chunk] = _FIRST_SET[high] + (high == 0) * _FIRST_SET[low]
    return out


def band_keys(values: npt.NDArray[np.uint8], rows: int, bin_bits: int) -> npt.NDArray[np.uint32]:
    """Band keys (records x bands) from bin values (records x bands*rows)."""
    grouped = values.reshape(values.shape[0], -1, rows)
    keys = np.zeros(grouped.shape[:2], dtype=np.uint32)
    for row in range(rows - 1, -1, -1):
        keys *= np.uint32(bin_bits + 1)
        keys += grouped[:, :, row]
    return keys


def choose_design(
    a: WordMatrix,
    b: WordMatrix,
    sections: Sequence[Section],
    threshold: float,
    params: IndexParams,
    *,
    passes: int = 1,
    workers: int = 1,
) -> Design:
    """Choose ``r`` and ``L`` (or scoring all pairs) by the cost model of the module doc.

    ``passes`` is how often each pair is scored (2 with swappable sections) and
    ``workers`` how many threads score all pairs at once.
    """
    total_weight = sum(weight for _, _, weight in sections)
    missing = max(
        (
            weight / total_weight
            for start, stop, weight in sections
            if params.guard_missing
            and len(sections) > 1
            and max(_empty_share(a, start, stop), _empty_share(b, start, stop)) >= _MISSING_SHARE
        ),
        default=0.0,
    )
    jaccard = (1.0 - missing) * threshold / (2.0 - threshold)
    # The similarity whose Jaccard coefficient is the one designed for.
    similarity = 2.0 * jaccard / (1.0 + jaccard)
    words, fields = a.shape[1], len(sections)
    pairs = float(a.shape[0]) * float(b.shape[0])
    records = float(a.shape[0] + b.shape[0])
    brute_ns = pairs * (_BRUTE_NS[0] + _BRUTE_NS[1] * words + _BRUTE_NS[2] * fields)
    brute_ns *= passes / max(1, workers)
    pair_ns = _PAIR_NS[0] + passes * (_PAIR_NS[1] * words + _PAIR_NS[2] * fields)
    best: tuple[float, int, int, int, float] | None = None
    for bin_bits in [params.bin_bits] if params.bin_bits else BIN_SIZES:
        if bin_bits not in BIN_SIZES:
            raise ValueError(f"bin_bits must be one of {BIN_SIZES}")
        agree = _sample_agreement(a, b, sections, bin_bits, params.seed)
        limit = max_rows(bin_bits)
        for rows in [params.rows_per_band] if params.rows_per_band else range(1, limit + 1):
            if not 1 <= rows <= limit:
                raise ValueError(f"rows_per_band must be 1 to {limit} for {bin_bits}-bit bins")
            bands = bands_needed(jaccard, rows, params.miss_rate)
            if bands > MAX_BANDS:
                continue
            with np.errstate(divide="ignore"):  # pairs that agree on every bin: log(0)
                fraction = float(np.mean(-np.expm1(bands * np.log1p(-(agree**rows)))))
            cost = records * bands * (rows * bin_bits * _HASH_NS + _BAND_NS)
            cost += pairs * fraction * pair_ns
            if best is None or cost < best[0]:
                best = (cost, rows, bands, bin_bits, fraction)
    if best is None:
        if params.method == "index":
            raise ValueError("no band setting reaches the miss rate; lower rows_per_band")
        return Design("bruteforce", 0, 0, 0, similarity, 1.0)
    cost, rows, bands, bin_bits, fraction = best
    if params.method != "index" and brute_ns <= cost:
        return Design("bruteforce", 0, 0, 0, similarity, 1.0)
    return Design("index", rows, bands, bin_bits, similarity, fraction)


def candidate_pairs(
    a: WordMatrix,
    b: WordMatrix,
    sections: Sequence[Section],
    design: Design,
    params: IndexParams,
    stats: IndexStats,
    on_progress: Callable[[int, int], None] | None = None,
    chunk: int = 2048,
    max_pairs: int = 4_000_000,
) -> Iterator[tuple[IntArray, IntArray]]:
    """Yield candidate pairs ``(rows of a, rows of b)``, each once per turn of bands.

    B's band keys are held for as many bands as ``params.memory_mb`` allows (usually
    all of them); A is hashed ``chunk`` records at a time, and at most about
    ``max_pairs`` raw collisions are expanded at once.
    """
    rows, bands = design.rows_per_band, design.bands
    bin_bits = design.bin_bits
    bins = make_bins(sections, rows * bands, bin_bits, params.seed)
    per_turn = max(1, min(bands, params.memory_mb * 2**20 // (16 * max(1, b.shape[0]))))
    turns = range(0, bands, per_turn)
    for turn, first in enumerate(turns):
        last = min(bands, first + per_turn)
        turn_bins = bins[first * rows : last * rows]
        keys_b = np.empty((b.shape[0], last - first), dtype=np.uint32)
        for start in range(0, b.shape[0], chunk):
            values = bin_values(b[start : start + chunk], turn_bins)
            keys_b[start : start + chunk] = band_keys(values, rows, bin_bits)
        index = _BandIndex(keys_b, rows, bin_bits)
        del keys_b
        stats.buckets += index.buckets
        for start in range(0, a.shape[0], chunk):
            keys = band_keys(bin_values(a[start : start + chunk], turn_bins), rows, bin_bits)
            for rows_a, rows_b, raw in index.join(keys, max_pairs):
                stats.bucket_pairs += raw
                yield rows_a + start, rows_b
            if on_progress is not None:
                done = turn * a.shape[0] + min(a.shape[0], start + chunk)
                on_progress(done, len(turns) * a.shape[0])


class PairScorer:
    """Scores pairs: per-section popcounts, weights, and the BSN hashes as codes.

    The scoring itself is compiled (:mod:`ketenbeeld.signals._kernels`): sections
    heaviest first, added in one fixed order, so a pair gets the very same float
    whether it is scored as a candidate, in a block of all pairs or by the hub. With
    ``swaps`` (pairs of section indexes of the same size, e.g. first and last name
    hashed with one key), each pair is also scored with B's sections crossed, and
    the better of the two scores counts.
    """

    def __init__(
        self,
        a: EncodingSet,
        b: EncodingSet,
        sections: Sequence[Section],
        swaps: Sequence[tuple[int, int]] = (),
    ) -> None:
        order = sorted(range(len(sections)), key=lambda s: -sections[s][2])
        self.starts = np.array([sections[s][0] // 64 for s in order], dtype=np.int64)
        self.stops = np.array([sections[s][1] // 64 for s in order], dtype=np.int64)
        self.weights = np.array([sections[s][2] for s in order], dtype=np.float64)
        # rest[k]: the weight of the sections after the k-th (for early rejection).
        self.rest = np.concatenate((np.cumsum(self.weights[::-1])[::-1][1:], [0.0]))
        self.a = np.ascontiguousarray(a.matrix, dtype=np.uint64)
        self.b = np.ascontiguousarray(b.matrix, dtype=np.uint64)
        self.pop_a = self._per_section(self.a)
        self.pop_b = self._per_section(self.b)
        self.crossed = np.zeros((0, self.b.shape[1]), dtype=np.uint64)
        self.pop_crossed = np.zeros((0, len(sections)), dtype=np.float64)
        if swaps:
            crossed = self.b.copy()
            for first, second in swaps:
                one = slice(sections[first][0] // 64, sections[first][1] // 64)
                two = slice(sections[second][0] // 64, sections[second][1] // 64)
                crossed[:, one], crossed[:, two] = self.b[:, two], self.b[:, one]
            self.crossed = crossed
            self.pop_crossed = self._per_section(crossed)
        codes: dict[str, int] = {}
        self.bsn_a = np.array(
            [codes.setdefault(h, len(codes)) if h else -1 for h in a.bsn], dtype=np.int64
        )
        self.bsn_b = np.array(
            [codes.setdefault(h, len(codes)) if h else -1 for h in b.bsn], dtype=np.int64
        )

    def _per_section(self, matrix: WordMatrix) -> npt.NDArray[np.float64]:
        """Records x sections (heaviest first): the set bits per section."""
        running = np.cumsum(np.bitwise_count(matrix), axis=1, dtype=np.int64)
        sums = running[:, self.stops - 1]
        inner = self.starts > 0
        sums[:, inner] -= running[:, self.starts[inner] - 1]
        return np.ascontiguousarray(sums, dtype=np.float64)

    def fuzzy(
        self, rows_a: npt.NDArray[np.int64], rows_b: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.bool_]:
        """Pairs the Bloom filters decide: not both records carry a BSN hash."""
        mask: npt.NDArray[np.bool_] = (self.bsn_a[rows_a] < 0) | (self.bsn_b[rows_b] < 0)
        return mask

    def score_pairs(
        self,
        rows_a: npt.NDArray[np.int64],
        rows_b: npt.NDArray[np.int64],
        threshold: float = 0.0,
    ) -> npt.NDArray[np.float64]:
        """Scores of the pairs ``(rows_a[n], rows_b[n])``; with a threshold, pairs
        certain to score below it get :data:`~ketenbeeld.signals._kernels.REJECTED`."""
        scores: npt.NDArray[np.float64] = pair_scores(
            self.a, self.b, self.crossed,
            np.ascontiguousarray(rows_a, dtype=np.int64),
            np.ascontiguousarray(rows_b, dtype=np.int64),
            self.pop_a, self.pop_b, self.pop_crossed,
            self.starts, self.stops, self.weights, self.rest, threshold,
        )  # fmt: skip
        return scores

    def score_block(self, a0: int, a1: int, b0: int, b1: int) -> npt.NDArray[np.float64]:
        """Scores of rows ``a0:a1`` x ``b0:b1``, as a matrix."""
        rows_a = np.repeat(np.arange(a0, a1, dtype=np.int64), b1 - b0)
        rows_b = np.tile(np.arange(b0, b1, dtype=np.int64), a1 - a0)
        return self.score_pairs(rows_a, rows_b).reshape(a1 - a0, b1 - b0)

    def block_hits(
        self, a0: int, a1: int, threshold: float
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]]:
        """Pairs of rows ``a0:a1`` with all of B at or above ``threshold`` that the
        Bloom filters decide (not both with a BSN hash): rows of A, rows of B, scores."""
        found: tuple[
            npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]
        ] = block_hits(
            self.a, self.b, self.crossed, a0, a1, self.bsn_a, self.bsn_b,
            self.pop_a, self.pop_b, self.pop_crossed,
            self.starts, self.stops, self.weights, self.rest, threshold,
        )  # fmt: skip
        return found


class _BandIndex:
    """B's band keys, sorted per band, with the start and size of each bucket."""

    def __init__(self, keys: npt.NDArray[np.uint32], rows: int, bin_bits: int) -> None:
        # About 12 bytes per record and band: the order, the distinct keys and where
        # each bucket starts (with one more start at the end, so sizes are differences).
        self.size = keys.shape[0]
        self.empty = np.uint32((bin_bits + 1) ** rows - 1)
        self.order = np.empty(keys.shape[::-1], dtype=np.int32)
        self.unique: list[npt.NDArray[np.uint32]] = []
        self.starts: list[npt.NDArray[np.int32]] = []
        for band in range(keys.shape[1]):
            # The order inside a bucket does not matter: pairs are sorted later.
            order = np.argsort(keys[:, band])
            self.order[band] = order
            ordered = keys[order, band]
            new = np.empty(len(ordered), dtype=np.bool_)
            new[:1] = True
            np.not_equal(ordered[1:], ordered[:-1], out=new[1:])
            starts = np.flatnonzero(new)
            self.unique.append(ordered[starts])
            self.starts.append(np.append(starts, len(ordered)).astype(np.int32))
        self.buckets = sum(len(unique) for unique in self.unique)

    def join(
        self, keys: npt.NDArray[np.uint32], max_pairs: int
    ) -> Iterator[tuple[IntArray, IntArray, int]]:
        """Yield distinct pairs (row in ``keys``, row of B) sharing a bucket, and the raw count."""
        owners, firsts, sizes = [], [], []
        for band in range(keys.shape[1]):
            # Searching sorted queries is about twice as fast (memory locality).
            order = np.argsort(keys[:, band])
            query = keys[order, band]
            unique = self.unique[band]
            at = np.minimum(np.searchsorted(unique, query), len(unique) - 1)
            hit = (unique[at] == query) & (query != self.empty)
            at = at[hit]
            starts = self.starts[band]
            owners.append(order[hit])
            firsts.append(starts[at].astype(np.int64) + band * self.size)
            sizes.append((starts[at + 1] - starts[at]).astype(np.int64))
        owner, first, size = np.concatenate(owners), np.concatenate(firsts), np.concatenate(sizes)
        per_record = np.cumsum(np.bincount(owner, weights=size, minlength=keys.shape[0]))
        flat_order = self.order.ravel()
        start = 0
        while start < keys.shape[0]:
            limit = (per_record[start - 1] if start else 0) + max_pairs
            stop = max(start + 1, int(np.searchsorted(per_record, limit, side="right")))
            if start or stop < keys.shape[0]:
                mine = (owner >= start) & (owner < stop)
                part_owner, part_first, part_size = owner[mine], first[mine], size[mine]
            else:
                part_owner, part_first, part_size = owner, first, size
            raw = int(part_size.sum())
            if raw:
                offsets = np.cumsum(part_size) - part_size
                positions = np.repeat(part_first - offsets, part_size)
                positions += np.arange(raw, dtype=np.int64)
                codes = np.repeat(part_owner.astype(np.int64), part_size) * self.size
                codes += flat_order[positions]
                # Sort and drop repeats (np.unique's hash path is slower here).
                codes.sort()
                codes = codes[np.concatenate(([True], codes[1:] != codes[:-1]))]
                yield codes // self.size, codes % self.size, raw
            start = stop


def _empty_share(matrix: WordMatrix, start: int, stop: int) -> float:
    if matrix.shape[0] == 0:
        return 0.0
    section = matrix[:, start // 64 : stop // 64]
    return float(np.mean(~section.any(axis=1)))


def _sample_agreement(
    a: WordMatrix, b: WordMatrix, sections: Sequence[Section], bin_bits: int, seed: int
) -> npt.NDArray[np.float64]:
    """Per sampled pair (A x B) the share of bins on which the two records agree."""
    rng = np.random.default_rng(seed + 1)
    rows_a = np.sort(rng.choice(a.shape[0], size=min(a.shape[0], _SAMPLE), replace=False))
    rows_b = np.sort(rng.choice(b.shape[0], size=min(b.shape[0], _SAMPLE), replace=False))
    bins = make_bins(sections, _POOL, bin_bits, seed + 2)
    values_a = bin_values(a[rows_a], bins)
    values_b = bin_values(b[rows_b], bins)
    agree = np.zeros((len(rows_a), len(rows_b)), dtype=np.int32)
    for column in range(_POOL):
        agree += values_a[:, column, None] == values_b[None, :, column]
    result: npt.NDArray[np.float64] = agree.ravel() / _POOL
    return result
