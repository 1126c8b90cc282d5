"""Candidate pairs from MinHash LSH bands, and their exact Jaccard coefficients.

Clustering uses :func:`text_pairs`: each band's ads sorted by key once (numpy), then
one compiled pass (``_kernels.py``) that finds each ad's candidates and keeps those
whose exact coefficient reaches the threshold. :func:`candidate_blocks` and
:func:`jaccard` below do the same in numpy, all candidates first; the tests hold the
two equal.

Pairs are handled as ``int64`` codes ``i * n + j`` (``i < j``), never as Python
tuples or dicts. Each band's ads are sorted once by band key (then by ad); a bucket of
at most ``max_bucket`` ads gives all its pairs, a bigger one each ad and the next.
The same pair comes out of many bands, so pairs are made and deduplicated (one sort
of their codes) one block of first ads at a time, the blocks cut so that each holds at
most ``block_pairs`` pairs before deduplication: memory stays bounded however many
pairs there are in all, and the blocks come out in code order.

The exact Jaccard coefficient of a pair compares the two ads' sorted shingle-hash
rows (a sparse 0/1 matrix; the row product merges the two rows), a chunk of pairs at
a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ketenbeeld.online import _kernels

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
I32 = npt.NDArray[np.int32]

_FNV_PRIME = np.uint64(0x100000001B3)
_JACCARD_CHUNK = 200_000


def band_keys(sig: U64, bands: int) -> U64:
    """Per ad (row of ``sig``) and band, one 64-bit key of the band's signature values."""
    rows = sig.shape[1] // bands
    keys = np.zeros((sig.shape[0], bands), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for band in range(bands):
            key = keys[:, band]
            for column in range(band * rows, (band + 1) * rows):
                key *= _FNV_PRIME
                key ^= sig[:, column]
    return keys


@dataclass(frozen=True)
class _Band:
    """One band's ads sorted by key, then ad (``members``), and the positions that start
    pairs (``starts``) with how many each (``count``): partners follow their position."""

    members: npt.NDArray[np.int32]
    starts: I64
    count: I64


def _band(key: U64, docs: I64, max_bucket: int) -> _Band:
    order = np.argsort(key, kind="stable")  # `docs` is increasing: buckets come out by ad
    sorted_keys = key[order]
    members = docs[order].astype(np.int32)
    del order
    size = len(members)
    bucket = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
    sizes = np.diff(np.r_[bucket, size])
    bucket, sizes = bucket[sizes > 1], sizes[sizes > 1]
    end = np.repeat(bucket + sizes, sizes - 1)  # one past the bucket's last position
    starts = np.repeat(bucket, sizes - 1) + _ranks(sizes - 1)
    # A small bucket: every later member; a big one: the next member only.
    small = np.repeat(sizes <= max_bucket, sizes - 1)
    count = np.where(small, end - starts - 1, 1)
    return _Band(members, starts, count)


def _ranks(counts: I64) -> I64:
    """``0, 1, ..., c - 1`` for every ``c`` in ``counts``, concatenated."""
    total = int(counts.sum())
    return np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)


def _pairs_from(band: _Band, lo: int, hi: int, n: int) -> I64:
    """The codes of the band's pairs whose first ad is in ``[lo, hi)``."""
    first = band.members[band.starts]
    take = np.flatnonzero((first >= lo) & (first < hi))
    counts = band.count[take]
    if not counts.sum():
        return np.zeros(0, dtype=np.int64)
    firsts = np.repeat(first[take].astype(np.int64), counts)
    partner = np.repeat(band.starts[take] + 1, counts) + _ranks(counts)
    codes: I64 = firsts * n + band.members[partner]
    return codes


def candidate_blocks(
    keys: U64, docs: I64, n: int, max_bucket: int, block_pairs: int = 20_000_000
) -> Iterator[I64]:
    """Sorted, distinct codes ``i * n + j`` (``i < j``) of ads sharing a band key, in blocks.

    Args:
        keys: ``band_keys`` of the ads ``docs`` (increasing ad indices; others take no part).
        docs: the ads taking part.
        n: the number of ads (the code base).
        max_bucket: a bigger bucket gives only each ad and the next.
        block_pairs: at most this many pairs (before deduplication) per block.

    Example:
        >>> keys = np.array([[1, 5], [1, 6], [2, 6], [1, 7]], dtype=np.uint64)
        >>> [b.tolist() for b in candidate_blocks(keys, np.arange(4), 4, 10)]
        [[1, 3, 6, 7]]

        Band 0 puts ads 0, 1, 3 in one bucket (codes 1, 3, 7), band 1 ads 1, 2 (code 6).
    """
    bands = [_band(keys[:, band], docs, max_bucket) for band in range(keys.shape[1])]
    per_ad = np.zeros(n, dtype=np.float64)
    for band in bands:
        per_ad += np.bincount(band.members[band.starts], weights=band.count, minlength=n)
    cumulative = np.cumsum(per_ad)
    lo = 0
    while lo < n:
        limit = (cumulative[lo - 1] if lo else 0) + block_pairs
        hi = max(lo + 1, int(np.searchsorted(cumulative, limit, side="right")))
        hi = min(hi, n)
        codes = [_pairs_from(band, lo, hi, n) for band in bands]
        block = np.concatenate(codes)
        del codes
        if len(block):
            yield distinct(block)
        lo = hi


def distinct(codes: I64) -> I64:
    """The distinct values, sorted (in place; numpy's hash-based ``unique`` is slower here)."""
    codes.sort()
    return codes[np.r_[True, codes[1:] != codes[:-1]]]


class ShingleRows:
    """Each ad's distinct shingle hashes as a row of a sparse 0/1 matrix, for exact Jaccard.

    Args:
        hashes / docs: the hashes, sorted by ad (``docs``) then value.
        n_docs: the number of ads (rows).
    """

    def __init__(self, hashes: U64, docs: I64, n_docs: int) -> None:
        from scipy.sparse import csr_matrix

        _, columns = np.unique(hashes, return_inverse=True)
        indptr = np.searchsorted(docs, np.arange(n_docs + 1))
        width = int(columns.max()) + 1 if len(columns) else 1
        self.matrix = csr_matrix(
            (np.ones(len(hashes), dtype=np.float32), columns.ravel(), indptr),
            shape=(n_docs, width),
        )
        self.sizes = np.diff(indptr).astype(np.float32)

    def jaccard(self, first: I64, second: I64) -> F64:
        """Exact Jaccard coefficients of the rows ``first[k]`` and ``second[k]``; 0 for two
        empty rows. The quotient is taken in single precision."""
        out = np.zeros(len(first), dtype=np.float64)
        for start in range(0, len(first), _JACCARD_CHUNK):
            a = first[start : start + _JACCARD_CHUNK]
            b = second[start : start + _JACCARD_CHUNK]
            product = self.matrix[a].multiply(self.matrix[b])
            shared = np.asarray(product.sum(axis=1), dtype=np.float32).ravel()
            union = self.sizes[a] + self.sizes[b] - shared
            quotient = np.divide(shared, union, out=np.zeros(len(a), np.float32), where=union > 0)
            out[start : start + len(a)] = quotient
        return out


def jaccard(hashes: U64, docs: I64, n_docs: int, first: I64, second: I64) -> F64:
    """Exact Jaccard coefficients of the shingle sets of the pairs ``(first[k], second[k])``.

    ``hashes`` holds each ad's distinct hashes, sorted by ad (``docs``) then value. A pair
    of ads without shingles has 0 (see :class:`ShingleRows`).

    Example:
        >>> hashes = np.array([1, 2, 3, 2, 3, 4, 9], dtype=np.uint64)
        >>> docs = np.array([0, 0, 0, 1, 1, 1, 2])
        >>> jaccard(hashes, docs, 3, np.array([0, 0]), np.array([1, 2])).tolist()
        [0.5, 0.0]
    """
    return ShingleRows(hashes, docs, n_docs).jaccard(first, second)


def _band_tables(keys: U64, max_bucket: int) -> tuple[I32, I32, I32]:
    """Per band: the ads sorted by key, then ad (``members``); per position one past its
    bucket's end, negated for a bucket over ``max_bucket`` (``ends``); per ad its
    position (``positions``)."""
    m, bands = keys.shape
    members = np.empty((bands, m), dtype=np.int32)
    ends = np.empty((bands, m), dtype=np.int32)
    positions = np.empty((bands, m), dtype=np.int32)
    local = np.arange(m, dtype=np.int32)
    for band in range(bands):
        key = np.ascontiguousarray(keys[:, band])
        order = np.argsort(key, kind="stable")
        sorted_keys = key[order]
        starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
        sizes = np.diff(np.r_[starts, m])
        end = np.repeat(starts + sizes, sizes)
        ends[band] = np.where(np.repeat(sizes > max_bucket, sizes), -end, end)
        members[band] = order
        positions[band, order] = local
    return members, ends, positions


def text_pairs(
    keys: U64,
    docs: I64,
    n: int,
    max_bucket: int,
    rows: tuple[U64, I64],
    threshold: float,
) -> tuple[I64, F64]:
    """The candidate pairs (as :func:`candidate_blocks` gives them) whose exact Jaccard
    coefficient (as :func:`jaccard` gives it) reaches ``threshold``.

    Args:
        keys: ``band_keys`` of the ads ``docs`` (increasing ad indices; others take no part).
        docs: the ads taking part.
        n: the number of ads (the code base).
        max_bucket: a bigger bucket gives only each ad and the next.
        rows: ``(hashes, indptr)``: ad ``a``'s sorted shingle hashes are
            ``hashes[indptr[a]:indptr[a + 1]]``.
        threshold: the least coefficient kept.

    Returns:
        ``(codes, values)``: sorted codes ``i * n + j`` (``i < j``) and their coefficients.

    Example:
        >>> keys = np.array([[1], [1], [2]], dtype=np.uint64)
        >>> hashes = np.array([1, 2, 1, 2, 3, 1], dtype=np.uint64)
        >>> indptr = np.array([0, 2, 5, 6])
        >>> text_pairs(keys, np.arange(3), 3, 10, (hashes, indptr), 0.5)
        (array([1]), array([0.66666669]))
    """
    if not len(docs):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    members, ends, positions = _band_tables(keys, max_bucket)
    hashes, indptr = rows
    classes = _kernels.row_classes(hashes, indptr)
    codes, values = _kernels.text_pairs(
        members, ends, positions, docs.astype(np.int64), n, hashes, indptr, classes, threshold
    )
    return codes, values
