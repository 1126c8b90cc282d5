"""Compiled loops of clustering (numba): shingles, MinHash signatures, and candidate
pairs with their exact Jaccard coefficients.

:func:`shingles` hashes each ad's word ``words``-grams and sorts and deduplicates
them per ad (where numpy sorted all of a chunk's shingles by ad and value);
:func:`signatures` takes each ad's minimum per permutation in one pass over its
shingles. Both give the values numpy gave, bit for bit.

:func:`text_pairs` walks the ads in order. For each ad it gathers the later ads
sharing one of its band buckets (every later member of a bucket of at most
``max_bucket`` ads, the next member of a bigger one), drops repeats with a stamp per
ad, sorts them, and compares each with the ad by merging the two sorted rows of
shingle hashes. Only the pairs reaching the threshold are kept, so no list of all
candidate pairs (with their repeats over the bands) is made or sorted, and no sparse
matrix either. The pairs come out sorted by code ``i * n + j``.

The coefficient is computed as the sparse row product did: the shared count and
the union in single precision, their quotient rounded to single precision.

The functions are compiled on first use and cached on disk; they hold no GIL.
"""

from __future__ import annotations

import numba
import numpy as np

# Pairs surely more than this (relatively) below the threshold are rejected early;
# single precision rounds by less than 6e-8.
_MARGIN = 1e-6


@numba.njit(inline="always")
def _shared(hashes, a0, a1, b0, b1, short):  # type: ignore[no-untyped-def]
    """How many values the sorted runs ``hashes[a0:a1]`` and ``hashes[b0:b1]`` share, or
    -1 as soon as fewer than ``short`` more could be shared."""
    count = 0
    while a0 < a1 and b0 < b1:
        if count + min(a1 - a0, b1 - b0) < short:
            return -1
        x = hashes[a0]
        y = hashes[b0]
        count += x == y
        a0 += x <= y
        b0 += y <= x
    return count


@numba.njit(inline="always")
def _jaccard(hashes, indptr, a, b, threshold):  # type: ignore[no-untyped-def]
    """The Jaccard coefficient of ads ``a`` and ``b``, or 0.0 as soon as it is sure to
    be below ``threshold``."""
    a0, a1, b0, b1 = indptr[a], indptr[a + 1], indptr[b], indptr[b + 1]
    size_a = a1 - a0
    size_b = b1 - b0
    # The coefficient s / (size_a + size_b - s) grows with the shared count s; below
    # `short` it is below the threshold by far more than single-precision rounding.
    lower = threshold * (1.0 - _MARGIN)
    short = lower * (size_a + size_b) / (1.0 + lower)
    if min(size_a, size_b) < short:
        return 0.0
    shared = _shared(hashes, a0, a1, b0, b1, short)
    if shared < 0:
        return 0.0
    union = np.float32(size_a) + np.float32(size_b) - np.float32(shared)
    if union > 0:
        return np.float64(np.float32(shared) / union)
    return 0.0


@numba.njit(inline="always")
def _partners(members, ends, positions, i, stamp, buffer):  # type: ignore[no-untyped-def]
    """The later ads sharing a bucket with ad ``i`` (local indices), once each, in
    ``buffer``; returns how many."""
    count = 0
    for band in range(members.shape[0]):
        position = positions[band, i]
        end = ends[band, position]
        # A big bucket (a negative end): the next member only.
        last = min(position + 2, -end) if end < 0 else end
        for k in range(position + 1, last):
            j = members[band, k]
            if stamp[j] != i:
                stamp[j] = i
                buffer[count] = j
                count += 1
    return count


@numba.njit(cache=True, nogil=True)
def text_pairs(  # type: ignore[no-untyped-def]
    members, ends, positions, docs, n, hashes, indptr, classes, threshold
):
    """The candidate pairs whose exact Jaccard coefficient reaches ``threshold``.

    Args:
        members: per band (row), the local ad indices sorted by band key, then index.
        ends: per band and position, one past the end of its bucket; negated for a
            bucket of more than ``max_bucket`` ads.
        positions: per band and local ad index, its position in ``members``.
        docs: the ad index of each local index (increasing).
        n: the number of ads (the code base).
        hashes / indptr: every ad's sorted shingle hashes, ad ``a`` in
            ``hashes[indptr[a]:indptr[a + 1]]``.
        classes: per ad, a class of ads with the very same hashes (see
            :func:`row_classes`): an ad's coefficient with each class is computed once.
        threshold: the least coefficient kept.

    Returns:
        ``(codes, values)``: the codes ``i * n + j`` (``i < j``, sorted) and coefficients.
    """
    m = docs.shape[0]
    stamp = np.full(m, -1, dtype=np.int64)
    buffer = np.empty(m, dtype=np.int64)
    n_classes = classes.max() + 1 if classes.shape[0] else 0
    class_stamp = np.full(n_classes, -1, dtype=np.int64)
    class_value = np.zeros(n_classes, dtype=np.float64)
    codes = np.empty(1024, dtype=np.int64)
    values = np.empty(1024, dtype=np.float64)
    found = 0
    for i in range(m):
        count = _partners(members, ends, positions, i, stamp, buffer)
        partners = np.sort(buffer[:count])
        a = docs[i]
        for k in range(count):
            b = docs[partners[k]]
            group = classes[b]
            if class_stamp[group] != i:
                class_stamp[group] = i
                class_value[group] = _jaccard(hashes, indptr, a, b, threshold)
            value = class_value[group]
            if value >= threshold:
                if found == codes.shape[0]:
                    codes = np.concatenate((codes, np.empty_like(codes)))
                    values = np.concatenate((values, np.empty_like(values)))
                codes[found] = a * n + b
                values[found] = value
                found += 1
    return codes[:found].copy(), values[:found].copy()


@numba.njit(inline="always")
def _same_row(hashes, indptr, a, b):  # type: ignore[no-untyped-def]
    a0, a1, b0 = indptr[a], indptr[a + 1], indptr[b]
    if a1 - a0 != indptr[b + 1] - b0:
        return False
    for k in range(a1 - a0):  # noqa: SIM110 (a loop compiles; a generator would not)
        if hashes[a0 + k] != hashes[b0 + k]:
            return False
    return True


@numba.njit(cache=True, nogil=True)
def row_classes(hashes, indptr):  # type: ignore[no-untyped-def]
    """Per ad, a class number shared exactly by the ads with the same sorted hashes.

    Ads are grouped by a fingerprint of their hashes; within a group each ad is
    compared in full with the first ad of every class found so far.
    """
    n = indptr.shape[0] - 1
    prints = np.empty(n, dtype=np.uint64)
    for doc in range(n):
        value = np.uint64(indptr[doc + 1] - indptr[doc]) * np.uint64(0x9E3779B97F4A7C15)
        for k in range(indptr[doc], indptr[doc + 1]):
            value = (value ^ hashes[k]) * np.uint64(0xC2B2AE3D27D4EB4F)
            value ^= value >> np.uint64(29)
        prints[doc] = value
    order = np.argsort(prints)
    classes = np.empty(n, dtype=np.int64)
    firsts = np.empty(n, dtype=np.int64)  # the first ad of each class
    made = 0
    start = 0
    while start < n:
        stop = start
        while stop < n and prints[order[stop]] == prints[order[start]]:
            stop += 1
        first_class = made
        for k in range(start, stop):
            doc = order[k]
            found = -1
            for group in range(first_class, made):
                if _same_row(hashes, indptr, doc, firsts[group]):
                    found = group
                    break
            if found < 0:
                found = made
                firsts[made] = doc
                made += 1
            classes[doc] = found
        start = stop
    return classes


@numba.njit(inline="always")
def _slot(value, bits):  # type: ignore[no-untyped-def]
    """The home slot of ``value`` in a table of ``2**bits`` (Fibonacci hashing)."""
    return np.int64((value * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(64 - bits))


@numba.njit(inline="always")
def _find(table, distinct, value, bits):  # type: ignore[no-untyped-def]
    """The slot holding ``value``, or the empty slot where it belongs."""
    mask = (np.int64(1) << bits) - 1
    slot = _slot(value, bits)
    while table[slot] >= 0 and distinct[table[slot]] != value:
        slot = (slot + 1) & mask
    return slot


@numba.njit(cache=True, nogil=True)
def value_ids(values):  # type: ignore[no-untyped-def]
    """Each value's number among the distinct values, in order of first appearance.

    Returns:
        ``(distinct, counts, ids)``: the distinct values, how often each occurs, and
        per value its number (an open-addressing table, grown as needed).
    """
    bits = 10
    table = np.full(1 << bits, -1, dtype=np.int64)
    distinct = np.empty(1 << (bits - 1), dtype=np.uint64)
    counts = np.zeros(1 << (bits - 1), dtype=np.int64)
    ids = np.empty(values.shape[0], dtype=np.int64)
    size = 0
    for i in range(values.shape[0]):
        value = values[i]
        slot = _find(table, distinct, value, bits)
        if table[slot] < 0:
            if 2 * (size + 1) > (1 << bits):
                bits += 1
                table = np.full(1 << bits, -1, dtype=np.int64)
                distinct = np.concatenate((distinct, np.empty_like(distinct)))
                counts = np.concatenate((counts, np.zeros_like(counts)))
                for known in range(size):
                    table[_find(table, distinct, distinct[known], bits)] = known
                slot = _find(table, distinct, value, bits)
            table[slot] = size
            distinct[size] = value
            size += 1
        ids[i] = table[slot]
        counts[ids[i]] += 1
    return distinct[:size].copy(), counts[:size].copy(), ids


@numba.njit(inline="always")
def _rotate(value, bits):  # type: ignore[no-untyped-def]
    """``(value << bits) | (value >> (64 - bits))`` as numpy computes it (0 for a shift of
    64 or more)."""
    if bits == 0:
        return value
    return (value << np.uint64(bits)) | (value >> np.uint64(64 - bits))


@numba.njit(cache=True, nogil=True)
def shingles(ids, lengths, words, mix):  # type: ignore[no-untyped-def]
    """Per ad, the sorted distinct hashes of its word ``words``-grams.

    Args:
        ids: the word ids of all ads, one ad after the other.
        lengths: each ad's number of words.
        words: the words per shingle (at most 9).
        mix: the multipliers of the word positions (cycled).

    Returns:
        ``(hashes, counts)``: the ads' hashes, concatenated, and how many each ad has.
    """
    total = 0
    for length in lengths:
        total += max(length - words + 1, 0)
    out = np.empty(total, dtype=np.uint64)
    counts = np.zeros(lengths.shape[0], dtype=np.int64)
    start = 0
    written = 0
    for doc in range(lengths.shape[0]):
        length = lengths[doc]
        count = length - words + 1
        if count > 0:
            part = out[written : written + count]
            for k in range(count):
                value = np.uint64(0)
                for offset in range(words):
                    word = ids[start + k + offset] * mix[offset % mix.shape[0]]
                    value ^= _rotate(word, offset * 7)
                part[k] = value
            part.sort()
            kept = 1
            for k in range(1, count):
                if part[k] != part[kept - 1]:
                    part[kept] = part[k]
                    kept += 1
            counts[doc] = kept
            written += kept
        start += length
    return out[:written].copy(), counts


@numba.njit(cache=True, nogil=True)
def signatures(hashes, indptr, a, b, out):  # type: ignore[no-untyped-def]
    """Lower ``out[d, p]`` to the least ``a[p] * mix(h) + b[p]`` (mod 2^64) over the
    hashes ``h`` of ad ``d`` (``hashes[indptr[d]:indptr[d + 1]]``), where ``mix`` is
    datasketch's pre-mix (the MurmurHash3 64-bit finalizer)."""
    perms = a.shape[0]
    for doc in range(indptr.shape[0] - 1):
        row = out[doc]
        for k in range(indptr[doc], indptr[doc + 1]):
            value = hashes[k]
            value ^= value >> np.uint64(33)
            value *= np.uint64(0xFF51AFD7ED558CCD)
            value ^= value >> np.uint64(33)
            value *= np.uint64(0xC4CEB9FE1A85EC53)
            value ^= value >> np.uint64(33)
            for perm in range(perms):
                candidate = value * a[perm] + b[perm]
                if candidate < row[perm]:
                    row[perm] = candidate
