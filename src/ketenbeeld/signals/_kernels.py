"""Compiled pair scoring (numba): the inner loop of linking and of the hub's index.

A pair's score is the weighted mean of the per-section Dice coefficients over the
sections set in both records (see :class:`~ketenbeeld.signals._lsh.PairScorer`).
numpy computed it with a temporary array per operation, several bytes of memory
traffic per bit; these kernels walk the 64-bit words of the two records once and
add section by section in a fixed order, so every path (candidates of the index,
all pairs, the hub's look-up) gives a pair the very same float.

**Early rejection.** Sections are visited heaviest first. After each one the best
score the pair could still reach is ``(total + rest) / (weight + rest)``, with
``rest`` the weight of the sections not yet visited (as if each scored 1); it is
non-decreasing in ``rest`` because no Dice coefficient exceeds 1. A pair whose bound
is below the threshold is rejected there, with a margin of ``1e-9`` so that rounding
can never reject a pair at the threshold. Most unrelated pairs are rejected after
the names and the date of birth.

The functions are compiled on first use and cached on disk (numba's cache: the
package's ``__pycache__`` when writable, else the user's cache folder). They hold
no GIL while running, so callers run them on several threads at once.
"""

from __future__ import annotations

import numba
import numpy as np

__all__ = ["REJECTED", "block_hits", "pair_scores"]

REJECTED = -1.0
"""The score given to a pair rejected early (below any threshold)."""

_MARGIN = 1e-9


@numba.njit(inline="always")
def _popcount(x: np.uint64) -> np.uint64:
    x = x - ((x >> np.uint64(1)) & np.uint64(0x5555555555555555))
    x = (x & np.uint64(0x3333333333333333)) + ((x >> np.uint64(2)) & np.uint64(0x3333333333333333))
    x = (x + (x >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    return (x * np.uint64(0x0101010101010101)) >> np.uint64(56)


@numba.njit(inline="always")
def _score(row_a, row_b, pop_a, pop_b, shared, starts, stops, weights, rest, threshold):  # type: ignore[no-untyped-def]
    for word in range(row_a.shape[0]):
        shared[word] = _popcount(row_a[word] & row_b[word])
    total = 0.0
    weight = 0.0
    for k in range(starts.shape[0]):
        size_a = pop_a[k]
        size_b = pop_b[k]
        if size_a > 0.0 and size_b > 0.0:
            common = 0.0
            for word in range(starts[k], stops[k]):
                common += shared[word]
            total += 2.0 * common / (size_a + size_b) * weights[k]
            weight += weights[k]
        if total + rest[k] < threshold * (weight + rest[k]) - _MARGIN:
            return REJECTED
    if weight > 0.0:
        return total / weight
    return 0.0


@numba.njit(inline="always")
def _best(  # type: ignore[no-untyped-def]
    a, i, b, crossed, j, pop_a, pop_b, pop_c, shared, starts, stops, weights, rest, threshold
):
    row_a, sizes_a = a[i], pop_a[i]
    score = _score(row_a, b[j], sizes_a, pop_b[j], shared, starts, stops, weights, rest, threshold)
    if crossed.shape[0]:
        other = _score(
            row_a, crossed[j], sizes_a, pop_c[j], shared, starts, stops, weights, rest, threshold
        )
        if other > score:
            score = other
    return score


@numba.njit(cache=True, nogil=True)
def pair_scores(  # type: ignore[no-untyped-def]
    a, b, crossed, rows_a, rows_b, pop_a, pop_b, pop_c, starts, stops, weights, rest, threshold
):
    """Scores of the pairs ``(rows_a[n], rows_b[n])``; :data:`REJECTED` below ``threshold``.

    ``crossed`` is B with its swappable sections exchanged (zero rows when the
    schema has none); the better of the two scores counts. A threshold of 0 scores
    every pair exactly.
    """
    out = np.empty(rows_a.shape[0], dtype=np.float64)
    shared = np.empty(a.shape[1], dtype=np.float64)
    for n in range(rows_a.shape[0]):
        out[n] = _best(
            a, rows_a[n], b, crossed, rows_b[n], pop_a, pop_b, pop_c, shared,
            starts, stops, weights, rest, threshold,
        )  # fmt: skip
    return out


@numba.njit(cache=True, nogil=True)
def block_hits(  # type: ignore[no-untyped-def]
    a,
    b,
    crossed,
    a0,
    a1,
    bsn_a,
    bsn_b,
    pop_a,
    pop_b,
    pop_c,
    starts,
    stops,
    weights,
    rest,
    threshold,
):
    """The pairs of rows ``a0:a1`` of A with every row of B scoring at least ``threshold``.

    Pairs in which both records carry a BSN hash are skipped: the BSN decides them.
    Returns ``(rows of A, rows of B, scores)``, ordered by row of A, then of B.
    """
    size = 1024
    hits_a = np.empty(size, dtype=np.int64)
    hits_b = np.empty(size, dtype=np.int64)
    scores = np.empty(size, dtype=np.float64)
    count = 0
    shared = np.empty(a.shape[1], dtype=np.float64)
    swapped = crossed.shape[0] > 0
    for i in range(a0, a1):
        row_a, sizes_a, own = a[i], pop_a[i], bsn_a[i] >= 0
        for j in range(b.shape[0]):
            if own and bsn_b[j] >= 0:
                continue
            score = _score(
                row_a, b[j], sizes_a, pop_b[j], shared, starts, stops, weights, rest, threshold
            )
            if swapped:
                other = _score(
                    row_a, crossed[j], sizes_a, pop_c[j], shared,
                    starts, stops, weights, rest, threshold,
                )  # fmt: skip
                if other > score:
                    score = other
            if score < threshold:
                continue
            if count == size:
                size *= 2
                hits_a = _grow(hits_a, size)
                hits_b = _grow(hits_b, size)
                scores = _grow(scores, size)
            hits_a[count] = i
            hits_b[count] = j
            scores[count] = score
            count += 1
    return hits_a[:count].copy(), hits_b[:count].copy(), scores[:count].copy()


@numba.njit(inline="always")
def _grow(values, size):  # type: ignore[no-untyped-def]
    bigger = np.empty(size, dtype=values.dtype)
    bigger[: values.shape[0]] = values
    return bigger
