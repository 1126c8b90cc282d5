"""The compiled pair scorer: hand-computed scores, and early rejection that loses nothing."""

from __future__ import annotations

import numpy as np
import pytest

from ketenbeeld.signals._kernels import REJECTED
from ketenbeeld.signals._lsh import PairScorer
from ketenbeeld.signals.encodings import EncodingSet

SCHEMA = "test/1"
# Three 64-bit sections: weights 3, 1 and 2 (visited heaviest first: 0, 2, 1).
SECTIONS = [(0, 64, 3.0), (64, 128, 1.0), (128, 192, 2.0)]


def _set(rows: list[list[int]], bsn: tuple[str | None, ...] | None = None) -> EncodingSet:
    matrix = np.array(rows, dtype=np.uint64)
    ids = tuple(f"r{n}" for n in range(len(rows)))
    return EncodingSet(ids, matrix, SCHEMA, bsn or (None,) * len(rows))


def test_a_pair_scores_the_weighted_mean_of_its_section_dice() -> None:
    # Section 0: 0b1100 vs 0b1010 -> Dice 2*1/(2+2) = 0.5 (weight 3).
    # Section 1: 0xFF vs 0xFF -> 1.0 (weight 1).
    # Section 2: 0b111 vs 0b1 -> 2*1/(3+1) = 0.5 (weight 2).
    a = _set([[0b1100, 0xFF, 0b111]])
    b = _set([[0b1010, 0xFF, 0b1]])
    scorer = PairScorer(a, b, SECTIONS)
    expected = (0.5 * 3 + 1.0 * 1 + 0.5 * 2) / 6
    assert scorer.score_block(0, 1, 0, 1)[0, 0] == pytest.approx(expected, abs=1e-15)


def test_a_section_empty_on_one_side_is_left_out() -> None:
    # Section 1 is empty in b: the score is (0.5*3 + 0.5*2) / 5, not divided by 6.
    a = _set([[0b1100, 0xFF, 0b111]])
    b = _set([[0b1010, 0, 0b1]])
    scorer = PairScorer(a, b, SECTIONS)
    assert scorer.score_block(0, 1, 0, 1)[0, 0] == pytest.approx(2.5 / 5, abs=1e-15)
    # Nothing in common anywhere: 0; both entirely empty: 0 (no section counts).
    empty = PairScorer(_set([[0, 0, 0]]), _set([[0, 0, 0]]), SECTIONS)
    assert empty.score_block(0, 1, 0, 1)[0, 0] == 0.0


def test_crossed_sections_score_the_better_way_round() -> None:
    # b has a's section 0 in its section 2 and the other way round.
    a = _set([[0xF0, 0x1, 0x0F]])
    b = _set([[0x0F, 0x1, 0xF0]])
    straight = PairScorer(a, b, SECTIONS)
    crossed = PairScorer(a, b, SECTIONS, swaps=[(0, 2)])
    assert straight.score_block(0, 1, 0, 1)[0, 0] == pytest.approx(1.0 / 6)
    assert crossed.score_block(0, 1, 0, 1)[0, 0] == 1.0


def test_early_rejection_keeps_every_pair_at_or_above_the_threshold() -> None:
    rng = np.random.default_rng(7)
    a = _set(rng.integers(0, 2**63, size=(300, 3), dtype=np.uint64).tolist())
    # B: noisy copies of A (a quarter of the bits flipped at random) and random rows.
    noise = rng.integers(0, 2**63, size=(300, 3), dtype=np.uint64)
    noise &= rng.integers(0, 2**63, size=(300, 3), dtype=np.uint64)
    b = _set(((a.matrix ^ noise)[:150].tolist()) + a.matrix[150:][::-1].tolist())
    scorer = PairScorer(a, b, SECTIONS)
    exact = scorer.score_block(0, 300, 0, 300)
    for threshold in (0.3, 0.5, 0.55, 0.7):
        rows_a, rows_b, scores = scorer.block_hits(0, 300, threshold)
        want = np.argwhere(exact >= threshold)
        assert len(want) > 0
        assert np.array_equal(np.column_stack((rows_a, rows_b)), want)
        assert np.array_equal(scores, exact[exact >= threshold])
        # The pair path with a threshold: the same scores where kept, REJECTED or
        # below the threshold elsewhere.
        all_a = np.repeat(np.arange(300), 300)
        all_b = np.tile(np.arange(300), 300)
        fast = scorer.score_pairs(all_a, all_b, threshold).reshape(300, 300)
        kept = exact >= threshold
        assert np.array_equal(fast[kept], exact[kept])
        assert np.all((fast[~kept] == REJECTED) | (fast[~kept] < threshold))


def test_block_hits_leave_pairs_with_two_bsn_hashes_to_the_bsn() -> None:
    a = _set([[0xFF, 0xFF, 0xFF], [0xFF, 0xFF, 0xFF]], bsn=("h1", None))
    b = _set([[0xFF, 0xFF, 0xFF]], bsn=("h2",))
    rows_a, rows_b, scores = PairScorer(a, b, SECTIONS).block_hits(0, 2, 0.5)
    assert rows_a.tolist() == [1]
    assert rows_b.tolist() == [0]
    assert scores.tolist() == [1.0]
