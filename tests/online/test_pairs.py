"""Candidate pairs from LSH band keys and exact Jaccard coefficients, checked by hand."""

from __future__ import annotations

import numpy as np

from ketenbeeld.online._pairs import band_keys, candidate_blocks, distinct, jaccard

KEYS = np.array([[1, 5], [1, 6], [2, 6], [1, 7]], dtype=np.uint64)


def pairs(blocks, n):
    codes = np.concatenate(list(blocks))
    return [(int(c) // n, int(c) % n) for c in codes]


def test_ads_sharing_a_band_key_are_paired_once():
    # Band 0: ads 0, 1, 3 share key 1; band 1: ads 1, 2 share key 6.
    assert pairs(candidate_blocks(KEYS, np.arange(4), 4, max_bucket=10), 4) == [
        (0, 1),
        (0, 3),
        (1, 2),
        (1, 3),
    ]


def test_a_pair_found_in_several_bands_comes_out_once():
    keys = np.array([[1, 5], [1, 5], [2, 6]], dtype=np.uint64)
    assert pairs(candidate_blocks(keys, np.arange(3), 3, max_bucket=10), 3) == [(0, 1)]


def test_a_bucket_over_max_bucket_links_each_ad_to_the_next_only():
    assert pairs(candidate_blocks(KEYS, np.arange(4), 4, max_bucket=2), 4) == [
        (0, 1),
        (1, 2),
        (1, 3),
    ]


def test_only_the_given_ads_take_part_and_codes_use_all_ads():
    # Ad 1 has no text: the table holds ads 0, 2 and 3, all with key 1 in band 0.
    keys = np.array([[1], [1], [1]], dtype=np.uint64)
    found = pairs(candidate_blocks(keys, np.array([0, 2, 3]), 4, max_bucket=10), 4)
    assert found == [(0, 2), (0, 3), (2, 3)]


def test_small_blocks_give_the_same_pairs_in_order():
    rng = np.random.default_rng(3)
    keys = rng.integers(0, 4, size=(60, 3)).astype(np.uint64)
    whole = list(candidate_blocks(keys, np.arange(60), 60, max_bucket=10))
    pieces = list(candidate_blocks(keys, np.arange(60), 60, max_bucket=10, block_pairs=25))
    assert len(whole) == 1 and len(pieces) > 3
    joined = np.concatenate(pieces)
    assert np.array_equal(joined, whole[0])
    assert np.all(np.diff(joined) > 0)


def test_band_keys_depend_on_the_band_values_only():
    sig = np.array([[1, 2, 3, 4], [1, 2, 9, 4], [1, 3, 3, 4]], dtype=np.uint64)
    keys = band_keys(sig, 2)
    assert keys.shape == (3, 2)
    assert keys[0, 0] == keys[1, 0] != keys[2, 0]
    assert keys[0, 1] == keys[2, 1] != keys[1, 1]


def test_jaccard_of_tiny_sorted_sets():
    # {1, 2, 3}, {2, 3, 4}, {9}, {} and {2, 3}.
    hashes = np.array([1, 2, 3, 2, 3, 4, 9, 2, 3], dtype=np.uint64)
    docs = np.array([0, 0, 0, 1, 1, 1, 2, 4, 4])
    first, second = np.array([0, 0, 3, 0, 1]), np.array([1, 2, 3, 4, 4])
    assert jaccard(hashes, docs, 5, first, second).tolist() == [
        0.5,  # 2 shared of 4
        0.0,
        0.0,  # two empty sets
        np.float32(2 / 3),
        np.float32(2 / 3),
    ]


def test_distinct_sorts_and_drops_repeats():
    assert distinct(np.array([5, 1, 5, 3, 1], dtype=np.int64)).tolist() == [1, 3, 5]
