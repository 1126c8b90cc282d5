"""The compiled clustering loops against plain numpy versions of the same computation."""

from __future__ import annotations

import numpy as np

from ketenbeeld.online import _kernels
from ketenbeeld.online._pairs import band_keys, candidate_blocks, jaccard, text_pairs
from ketenbeeld.online._text import _MIX, _permutations, signatures

U64 = np.uint64


def numpy_shingles(
    ids: np.ndarray, lengths: np.ndarray, words: int
) -> tuple[np.ndarray, np.ndarray]:
    doc = np.repeat(np.arange(len(lengths)), lengths)
    count = len(ids) - words + 1
    combined = np.zeros(count, dtype=U64)
    with np.errstate(over="ignore"):
        for offset in range(words):
            part = ids[offset : offset + count] * _MIX[offset % len(_MIX)]
            combined ^= (part << U64(offset * 7)) | (part >> U64(64 - offset * 7))
    same = doc[:count] == doc[words - 1 : words - 1 + count]
    hashes, docs = combined[same], doc[:count][same]
    order = np.lexsort((hashes, docs))
    hashes, docs = hashes[order], docs[order]
    keep = np.r_[True, (hashes[1:] != hashes[:-1]) | (docs[1:] != docs[:-1])]
    return hashes[keep], np.bincount(docs[keep], minlength=len(lengths))


def test_shingles_are_the_numpy_hashes_sorted_and_distinct_per_ad() -> None:
    rng = np.random.default_rng(1)
    lengths = np.array([5, 0, 2, 3, 40, 1, 7])
    ids = rng.integers(0, 6, size=int(lengths.sum())).astype(U64) * U64(0x9E3779B97F4A7C15)
    for words in (1, 2, 3):
        hashes, counts = _kernels.shingles(ids, lengths, words, _MIX)
        expected, expected_counts = numpy_shingles(ids, lengths, words)
        assert np.array_equal(hashes, expected)
        assert counts.tolist() == expected_counts.tolist()
    assert counts[1] == counts[2] == counts[5] == 0  # too few words for a 3-gram


def test_signatures_are_the_numpy_minima_of_datasketchs_permutations() -> None:
    hashes = np.array([5, 9, 1 << 63, 7, 2, 3], dtype=U64)
    docs = np.array([0, 0, 0, 2, 2, 2])
    sig = signatures(hashes, docs, 3, 16, 1)
    a, b = _permutations(16, 1)
    with np.errstate(over="ignore"):
        mixed = hashes ^ (hashes >> U64(33))
        mixed = mixed * U64(0xFF51AFD7ED558CCD)
        mixed = mixed ^ (mixed >> U64(33))
        mixed = mixed * U64(0xC4CEB9FE1A85EC53)
        mixed = mixed ^ (mixed >> U64(33))
        values = mixed[:, None] * a[None, :] + b[None, :]
    assert np.array_equal(sig[0], values[:3].min(axis=0))
    assert np.array_equal(sig[2], values[3:].min(axis=0))
    assert np.all(sig[1] == np.iinfo(U64).max)  # no shingles


def test_text_pairs_are_the_candidates_reaching_the_threshold() -> None:
    rng = np.random.default_rng(5)
    n = 300
    sizes = rng.integers(0, 12, size=n)
    rows = [np.unique(rng.integers(0, 25, size=s)).astype(U64) for s in sizes]
    rows[7] = rows[3].copy()  # identical rows share a class
    hashes = np.concatenate(rows)
    docs = np.repeat(np.arange(n), [len(r) for r in rows])
    indptr = np.r_[0, np.cumsum([len(r) for r in rows])]
    with_text = np.flatnonzero(np.diff(indptr) > 0)
    keys = rng.integers(0, 6, size=(len(with_text), 4)).astype(U64)
    keys[:, 3] = 1  # one band puts every ad in one big bucket
    keys[np.searchsorted(with_text, 7)] = keys[np.searchsorted(with_text, 3)]
    for threshold in (0.0, 0.25, 0.4, 1.0):
        codes = np.concatenate(list(candidate_blocks(keys, with_text, n, max_bucket=20)))
        values = jaccard(hashes, docs, n, codes // n, codes % n)
        hit = values >= threshold
        found, similarity = text_pairs(keys, with_text, n, 20, (hashes, indptr), threshold)
        assert np.array_equal(found, codes[hit])
        assert np.array_equal(similarity, values[hit])
    assert len(found) > 0  # identical rows at 1.0


def test_row_classes_join_exactly_the_same_rows() -> None:
    hashes = np.array([1, 2, 1, 2, 1, 3, 2], dtype=U64)
    indptr = np.array([0, 2, 4, 4, 6, 6, 7])  # {1,2}, {1,2}, {}, {1,3}, {}, {2}
    classes = _kernels.row_classes(hashes, indptr)
    assert classes[0] == classes[1] != classes[3]
    assert classes[2] == classes[4] != classes[5]
    assert len(set(classes.tolist())) == 4


def test_value_ids_count_distinct_values_in_order_of_appearance() -> None:
    values = np.array([7, 3, 7, 7, 1 << 63, 3], dtype=U64)
    distinct, counts, ids = _kernels.value_ids(values)
    assert distinct.tolist() == [7, 3, 1 << 63]
    assert counts.tolist() == [3, 2, 1]
    assert ids.tolist() == [0, 1, 0, 0, 2, 1]
    many = np.arange(5000, dtype=U64) % U64(1500)  # grows the table several times
    distinct, counts, ids = _kernels.value_ids(many)
    assert len(distinct) == 1500 and counts.sum() == 5000
    assert np.array_equal(distinct[ids], many)


def test_band_keys_of_equal_signatures_are_equal() -> None:
    sig = np.array([[1, 2, 3, 4], [1, 2, 3, 4]], dtype=U64)
    assert np.array_equal(band_keys(sig, 2)[0], band_keys(sig, 2)[1])
