"""The hub's index finds what brute-force linking finds, with the same scores."""

from __future__ import annotations

import numpy as np

from ketenbeeld.signals.encodings import EncodingSet
from ketenbeeld.signals.hub.index import SignalIndex
from ketenbeeld.signals.layout import Layout, Section
from ketenbeeld.signals.link import link_bruteforce
from ketenbeeld.signals.schema import load_schema


def as_set(records) -> EncodingSet:
    matrix = np.frombuffer(b"".join(r.bits for r in records), dtype=">u8")
    return EncodingSet(
        tuple(r.id for r in records),
        matrix.reshape(len(records), -1).astype(np.uint64),
        records[0].schema,
        tuple(r.bsn for r in records),
    )


def test_recall_and_scores_against_brute_force(linkage):
    layout = load_schema("dutch-person").layout()
    a, b = as_set(linkage.a), as_set(linkage.b)
    expected = {
        (link.id_a, link.id_b): link.score
        for link in link_bruteforce(a, b, layout, threshold=0.7).links
    }
    index = SignalIndex(layout, threshold=0.7)
    index.add(list(range(1, len(a) + 1)), [1] * len(a), a.matrix, list(a.bsn))
    found = {}
    for row in range(len(b)):
        for candidate in index.query(b.matrix[row], b.bsn[row], exclude_org=2):
            found[(a.ids[candidate.signal_id - 1], b.ids[row])] = candidate.score
    assert len(expected) > 900
    # Never a pair brute force would not link, and the very same score.
    assert set(found) <= set(expected)
    assert all(found[key] == expected[key] for key in found)
    recall = len(found) / len(expected)
    assert recall >= 0.995, recall
    # Its own organisation's signals are never returned.
    assert index.query(b.matrix[0], b.bsn[0], exclude_org=1) == []


def test_a_key_shared_by_too_many_signals_is_not_a_block():
    layout = Layout("t/1", (Section("city", 0, 64, 1.0), Section("name", 64, 128, 1.0)))
    index = SignalIndex(layout, threshold=0.5, max_bucket=3)
    city = 0b1111 << 60
    rows = np.array([[city, (n + 1) << 40] for n in range(4)], dtype=np.uint64)
    index.add([1, 2, 3, 4], [1, 1, 1, 1], rows, [None] * 4)
    # Same city as all four (a key of four rows, over the cap), a name of none of them.
    assert index.query(np.array([city, 1 << 10], np.uint64), None, exclude_org=2) == []
    # Same city and the name of signal 3: found through the name, scored on both fields.
    found = index.query(np.array([city, 3 << 40], np.uint64), None, exclude_org=2)
    assert [(c.signal_id, c.score) for c in found] == [(3, 1.0)]


def test_recent_additions_are_found_before_and_after_a_rebuild():
    layout = Layout("t/1", (Section("a", 0, 64, 1.0),))
    index = SignalIndex(layout, threshold=0.9, rebuild_share=0.5)
    index.add([1], [1], np.array([[1 << 63]], np.uint64), [None])
    for signal_id in range(2, 12):
        index.add([signal_id], [1], np.array([[(signal_id << 50) | 1]], np.uint64), [None])
    for signal_id in (1, 5, 11):
        bits = np.array([1 << 63 if signal_id == 1 else (signal_id << 50) | 1], np.uint64)
        assert [c.signal_id for c in index.query(bits, None, exclude_org=2)] == [signal_id]
    assert index.keep_only({5, 11}) == 9
    assert index.query(np.array([1 << 63], np.uint64), None, exclude_org=2) == []
    assert [
        c.signal_id for c in index.query(np.array([(11 << 50) | 1], np.uint64), None, exclude_org=2)
    ] == [11]
