"""Batch linking: hand-computed Dice scores, the BSN rule, the index against brute force."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from ketenbeeld.errors import InputError, ValidationFailed
from ketenbeeld.signals._lsh import choose_design
from ketenbeeld.signals.encodings import EncodingSet
from ketenbeeld.signals.layout import Layout, Section
from ketenbeeld.signals.link import (
    DEFAULT_THRESHOLD,
    IndexParams,
    Link,
    LinkResult,
    evaluate,
    greedy_one_to_one,
    link,
    link_bruteforce,
)
from ketenbeeld.signals.links_file import read_links_csv, write_links_csv

SCHEMA = "test/1"
BSN_1 = "1" * 64
BSN_2 = "2" * 64


def top(bits: int, width: int = 4) -> int:
    """A 64-bit word whose first ``width`` bits (bit 0 = most significant) are ``bits``."""
    return bits << (64 - width)


def encodings(
    prefix: str,
    rows: list[list[int]],
    bsn: list[str | None] | None = None,
    schema: str = SCHEMA,
) -> EncodingSet:
    return EncodingSet(
        ids=tuple(f"{prefix}{number}" for number in range(1, len(rows) + 1)),
        matrix=np.array(rows, dtype=np.uint64).reshape(len(rows), -1),
        schema=schema,
        bsn=tuple(bsn) if bsn is not None else (None,) * len(rows),
    )


TWO_FIELDS = Layout(SCHEMA, (Section("name", 0, 64, 3.0), Section("birth", 64, 128, 1.0)))


def scores(result: LinkResult) -> dict[tuple[str, str], float]:
    return {(item.id_a, item.id_b): item.score for item in result.links}


# -- scores computed by hand ---------------------------------------------------------


def test_plain_dice_of_the_whole_vector() -> None:
    # 1100 vs 1010: one shared bit, two set in each: 2*1/(2+2) = 0.5.
    a = encodings("a", [[top(0b1100)], [top(0b1110)]])
    b = encodings("b", [[top(0b1010)], [top(0b0111)]])
    expected = {
        ("a2", "b1"): pytest.approx(4 / 5),  # 1110 vs 1010: 2 shared, 3 and 2 set
        ("a2", "b2"): pytest.approx(4 / 6),  # 1110 vs 0111: 2 shared, 3 and 3 set
        ("a1", "b1"): 0.5,
        ("a1", "b2"): pytest.approx(2 / 5),  # 1100 vs 0111: 1 shared, 2 and 3 set
    }
    for result in (link(a, b, None, threshold=0.1), link_bruteforce(a, b, None, threshold=0.1)):
        assert scores(result) == expected
        # Sorted by score, highest first.
        assert [(item.id_a, item.id_b) for item in result.links] == list(expected)


def test_weighted_mean_of_section_dice() -> None:
    # name 1100 vs 1010 -> 0.5 (weight 3); birth 1111 vs 1111 -> 1.0 (weight 1).
    a = encodings("a", [[top(0b1100), top(0b1111)]])
    b = encodings("b", [[top(0b1010), top(0b1111)]])
    assert link(a, b, TWO_FIELDS, threshold=0.1).links == [Link("a1", "b1", 0.625)]
    # Without the layout: 1 + 4 shared bits, 6 set in each: 10/12.
    assert link(a, b, None, threshold=0.1).links[0].score == pytest.approx(10 / 12)
    equal_weights = Layout(SCHEMA, (Section("name", 0, 64, 1.0), Section("birth", 64, 128, 1.0)))
    assert link(a, b, equal_weights, threshold=0.1).links[0].score == 0.75


def test_a_field_missing_on_either_side_is_left_out() -> None:
    # birth is empty in b1: only the name counts (0.5), not (3*0.5 + 1*0) / 4.
    a = encodings("a", [[top(0b1100), top(0b1111)], [top(0b1100), 0]])
    b = encodings("b", [[top(0b1010), 0], [0, top(0b1111)]])
    result = link_bruteforce(a, b, TWO_FIELDS, threshold=0.01)
    # a2-b2 share no field that both filled in: no score, no link.
    assert scores(result) == {("a1", "b1"): 0.5, ("a2", "b1"): 0.5, ("a1", "b2"): 1.0}


def test_threshold_is_inclusive_and_checked() -> None:
    a = encodings("a", [[top(0b1100)]])
    b = encodings("b", [[top(0b1010)]])
    assert len(link(a, b, None, threshold=0.5).links) == 1
    assert link(a, b, None, threshold=0.51).links == []
    for bad in (0.0, 1.5, float("nan")):
        with pytest.raises(InputError, match="threshold"):
            link(a, b, None, threshold=bad)
    assert 0.0 < DEFAULT_THRESHOLD <= 1.0


# -- the BSN rule --------------------------------------------------------------------


@pytest.mark.parametrize("params", [IndexParams(method="bruteforce"), IndexParams(method="index")])
def test_bsn_is_authoritative_where_both_records_carry_one(params: IndexParams) -> None:
    same = top(0b1111)
    a = encodings("a", [[top(0b1000)], [same], [same]], bsn=[BSN_1, BSN_2, None])
    b = encodings("b", [[top(0b0001)], [same]], bsn=[BSN_1, BSN_1])
    result = link(a, b, None, threshold=0.9, index=params)
    assert scores(result) == {
        ("a1", "b1"): 1.0,  # equal BSN, disjoint bits: linked at 1.0
        ("a1", "b2"): 1.0,  # equal BSN (an organisation may hold a person twice)
        # a2-b2: identical bits but another BSN: not linked
        ("a3", "b2"): 1.0,  # no BSN in a3: the identical Bloom filters decide
    }
    assert result.bsn_links == 2


# -- the index finds what brute force finds ------------------------------------------


@dataclass(frozen=True)
class Planted:
    a: EncodingSet
    b: EncodingSet
    layout: Layout
    truth: set[tuple[str, str]]
    exact: LinkResult


def _random_sparse(rng: np.random.Generator, n: int, n_bits: int, fill: float) -> np.ndarray:
    return rng.random((n, n_bits)) < fill


@pytest.fixture(scope="module")
def planted() -> Planted:
    """3,000 x 3,000 random 1024-bit vectors (fill 0.2), 1,000 planted pairs.

    A planted pair moves 0-35% of the set bits elsewhere, so Dice values spread from
    about 0.65 to 1.0 and every threshold tested has pairs just above and below it.
    Unrelated vectors have Dice about 0.2.
    """
    rng = np.random.default_rng(2024)
    n, n_bits, n_pairs = 3000, 1024, 1000
    bits_a = _random_sparse(rng, n, n_bits, 0.2)
    bits_b = _random_sparse(rng, n, n_bits, 0.2)
    rows_a = rng.choice(n, n_pairs, replace=False)
    rows_b = rng.choice(n, n_pairs, replace=False)
    for row_a, row_b in zip(rows_a, rows_b, strict=True):
        vector = bits_a[row_a].copy()
        on, off = np.flatnonzero(vector), np.flatnonzero(~vector)
        moved = round(rng.uniform(0.0, 0.35) * len(on))
        vector[rng.choice(on, moved, replace=False)] = False
        vector[rng.choice(off, moved, replace=False)] = True
        bits_b[row_b] = vector

    def pack(bits: np.ndarray, prefix: str) -> EncodingSet:
        matrix = np.packbits(bits, axis=1).view(">u8").astype(np.uint64)
        ids = tuple(f"{prefix}{row}" for row in range(len(bits)))
        return EncodingSet(ids, matrix, SCHEMA, (None,) * len(bits))

    a, b = pack(bits_a, "a"), pack(bits_b, "b")
    layout = Layout(
        SCHEMA,
        (
            Section("first_name", 0, 256, 3.0),
            Section("last_name", 256, 512, 3.0),
            Section("date_of_birth", 512, 768, 2.0),
            Section("postcode", 768, 1024, 1.0),
        ),
    )
    truth = {(f"a{x}", f"b{y}") for x, y in zip(rows_a, rows_b, strict=True)}
    return Planted(a, b, layout, truth, link_bruteforce(a, b, layout, threshold=0.7))


@pytest.mark.parametrize("threshold", [0.7, 0.8, 0.9])
def test_index_returns_exactly_the_links_of_brute_force(planted: Planted, threshold: float) -> None:
    expected = [item for item in planted.exact.links if item.score >= threshold]
    result = link(
        planted.a, planted.b, planted.layout, threshold=threshold, index=IndexParams(method="index")
    )
    assert result.method == "index"
    assert result.links == expected
    # The planted pairs span the thresholds: hundreds of links, all of them planted.
    assert 250 < len(expected) < 1000
    assert {(item.id_a, item.id_b) for item in expected} <= planted.truth
    assert result.candidates < 0.02 * len(planted.a) * len(planted.b)
    assert result.candidate_fraction == result.candidates / 9_000_000
    assert result.bands > 0 and result.rows_per_band > 0


def test_auto_scores_all_pairs_when_that_is_cheaper_and_indexes_large_inputs(
    planted: Planted,
) -> None:
    # 3,000 x 3,000: the compiled kernel scores all 9 million pairs faster than the
    # index could hash and expand its candidates.
    sections = [(item.start, item.stop, item.weight) for item in planted.layout.sections]
    small = choose_design(
        planted.a.matrix, planted.b.matrix, sections, 0.7, IndexParams(), workers=2
    )
    assert small.method == "bruteforce"
    # 60,000 x 60,000 of the same kind of vectors: the index is far cheaper.
    big_a = np.tile(planted.a.matrix, (20, 1))
    big_b = np.tile(planted.b.matrix, (20, 1))
    big = choose_design(big_a, big_b, sections, 0.7, IndexParams(), workers=2)
    assert big.method == "index"
    assert big.expected_fraction < 0.01


@pytest.mark.parametrize(
    "params",
    [
        IndexParams(bin_bits=8),
        IndexParams(bin_bits=16, rows_per_band=3),
        # 1 MB holds the keys of 21 bands of B: the bands are done in several turns.
        IndexParams(memory_mb=1),
    ],
)
def test_index_settings_change_the_cost_not_the_links(
    planted: Planted, params: IndexParams
) -> None:
    expected = [item for item in planted.exact.links if item.score >= 0.8]
    result = link(planted.a, planted.b, planted.layout, threshold=0.8, index=params)
    assert result.method == "index"
    assert result.links == expected
    if params.bin_bits:
        assert result.bin_bits == params.bin_bits
    if params.rows_per_band:
        assert result.rows_per_band == params.rows_per_band


def test_guarding_missing_fields_adds_bands(planted: Planted) -> None:
    # Clear the postcode section (weight 1 of 9) in 5% of B's records.
    matrix = planted.b.matrix.copy()
    matrix[::20, 12:16] = 0
    b = EncodingSet(planted.b.ids, matrix, SCHEMA, planted.b.bsn)
    plain = link(
        planted.a,
        b,
        planted.layout,
        threshold=0.8,
        index=IndexParams(method="index", rows_per_band=5, guard_missing=False),
    )
    guarded = link(
        planted.a,
        b,
        planted.layout,
        threshold=0.8,
        index=IndexParams(method="index", rows_per_band=5),
    )
    # J(0.8) = 2/3 needs 49 bands of 5; (1 - 1/9) * 2/3 needs 92.
    assert (plain.bands, guarded.bands) == (49, 92)
    assert guarded.links == plain.links


def test_index_without_layout_matches_brute_force(planted: Planted) -> None:
    a, b = planted.a, planted.b
    result = link(a, b, None, threshold=0.75, index=IndexParams(method="index"))
    assert result.method == "index"
    assert result.links == link_bruteforce(a, b, None, threshold=0.75).links
    assert len(result.links) > 400


def test_linking_is_deterministic_and_reports_progress(planted: Planted) -> None:
    seen: list[tuple[int, int]] = []
    first = link(
        planted.a,
        planted.b,
        planted.layout,
        threshold=0.8,
        on_progress=lambda done, total: seen.append((done, total)),
    )
    again = link(planted.a, planted.b, planted.layout, threshold=0.8)
    assert first == again
    assert seen and seen[-1][0] == seen[-1][1]
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_small_inputs_are_scored_pair_by_pair() -> None:
    a = encodings("a", [[top(0b1100)]])
    result = link(a, a, None, threshold=0.9)
    assert (result.method, result.candidates, result.links) == (
        "bruteforce",
        1,
        [Link("a1", "a1", 1.0)],
    )


# -- one-to-one ----------------------------------------------------------------------


def test_one_to_one_keeps_the_best_pair_and_drops_the_weaker_conflict() -> None:
    # a1-b1 and a2-b2 are identical (1.0); the crossed pairs 1110 vs 1111 have
    # 3 shared bits, 3 and 4 set: 6/7.
    a = encodings("a", [[top(0b1110)], [top(0b1111)]])
    b = encodings("b", [[top(0b1110)], [top(0b1111)]])
    many = link(a, b, None, threshold=0.8)
    assert scores(many) == {
        ("a1", "b1"): 1.0,
        ("a2", "b2"): 1.0,
        ("a1", "b2"): pytest.approx(6 / 7),
        ("a2", "b1"): pytest.approx(6 / 7),
    }
    one = link(a, b, None, threshold=0.8, one_to_one=True)
    assert scores(one) == {("a1", "b1"): 1.0, ("a2", "b2"): 1.0}


def test_greedy_one_to_one_breaks_ties_by_ids() -> None:
    links = [Link("a2", "b1", 0.9), Link("a1", "b1", 0.9), Link("a1", "b2", 0.7)]
    # a1-b1 wins the tie (smaller id_a); a2-b1 conflicts; a1-b2 conflicts on a1.
    assert greedy_one_to_one(links) == [Link("a1", "b1", 0.9)]
    assert greedy_one_to_one(reversed(links)) == [Link("a1", "b1", 0.9)]


# -- files, evaluation, errors -------------------------------------------------------


def test_links_csv_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "out" / "links.csv"
    links = [Link("a1", "b7", 0.912349), Link("a,2", "b8", 1.0)]
    assert write_links_csv(path, links) == 2
    assert path.read_text(encoding="utf-8") == 'id_a,id_b,score\na1,b7,0.9123\n"a,2",b8,1.0000\n'
    assert read_links_csv(path) == [Link("a1", "b7", 0.9123), Link("a,2", "b8", 1.0)]
    assert [p.name for p in path.parent.iterdir()] == ["links.csv"]


def test_read_links_csv_reports_every_bad_row(tmp_path: Path) -> None:
    path = tmp_path / "links.csv"
    path.write_text("id_a,id_b,score\na1,b1,0.9\na2,,0.5\na3,b3,high\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as failure:
        read_links_csv(path)
    assert [str(problem) for problem in failure.value.problems] == [
        "links.csv, row 3: needs three values: id_a, id_b, score",
        "links.csv, row 4, field score: must be a number from 0 to 1",
    ]
    path.write_text("a,b,score\n", encoding="utf-8")
    with pytest.raises(ValidationFailed):
        read_links_csv(path)


def test_evaluate_counts_true_and_false_links() -> None:
    truth = {("a1", "b1"), ("a2", "b2"), ("a3", "b3")}
    links = [Link("a1", "b1", 0.95), Link("a2", "b2", 0.9), Link("a2", "b3", 0.85)]
    result = evaluate(links, truth)
    assert (result.tp, result.fp, result.fn) == (2, 1, 1)
    assert result.precision == pytest.approx(2 / 3)
    assert result.recall == pytest.approx(2 / 3)
    assert result.f1 == pytest.approx(2 / 3)
    assert evaluate([], truth).f1 == 0.0


def test_files_of_different_schemas_or_lengths_are_refused() -> None:
    a = encodings("a", [[top(0b1100)]])
    other = encodings("b", [[top(0b1100)]], schema="febrl/1")
    with pytest.raises(InputError, match=r"schema test/1 .* schema febrl/1"):
        link(a, other, None, threshold=0.8)
    longer = encodings("b", [[top(0b1100), 0]])
    with pytest.raises(InputError, match=r"64 bits.*128 bits"):
        link_bruteforce(a, longer, None, threshold=0.8)
    with pytest.raises(InputError, match="layout is for schema test/1 with 128 bits"):
        link(a, a, TWO_FIELDS, threshold=0.8)


def test_empty_input_gives_no_links() -> None:
    a = encodings("a", [[top(0b1100)]])
    empty = EncodingSet((), np.zeros((0, 0), dtype=np.uint64), "", ())
    result = link(a, empty, None, threshold=0.8)
    assert (result.links, result.n_a, result.n_b, result.candidates) == ([], 1, 0, 0)


def test_links_csv_round_trips_ids_with_line_breaks_and_reports_broken_csv(tmp_path):
    from ketenbeeld.errors import ValidationFailed
    from ketenbeeld.signals.link import Link

    path = tmp_path / "links.csv"
    links = [Link("a\nb", "c\u2028d", 0.9), Link("e,f", "g\r\nh", 0.8)]
    write_links_csv(path, links)
    assert read_links_csv(path) == links

    path.write_text('id_a,id_b,score\n"a1,b1,0.9\n', encoding="utf-8")
    with pytest.raises(ValidationFailed) as raised:
        read_links_csv(path)
    assert [str(p) for p in raised.value.problems] == [
        "links.csv, line 2: is not valid CSV (a quote is not closed, or a value is longer "
        "than 128 KiB)"
    ]
