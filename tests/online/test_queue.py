"""The queue: the documented priority, computed by hand, and every term explained."""

from __future__ import annotations

import math

import pytest

from ketenbeeld.errors import InputError
from ketenbeeld.online.ads import parse_record
from ketenbeeld.online.lexicon import load_lexicon
from ketenbeeld.online.queue import build_queue, parse_weights

LEXICON = load_lexicon("1")


def ad(ad_id, text, **fields):
    parsed, problems, _ = parse_record({"ad_id": ad_id, "text": text, **fields}, "t", "x")
    assert parsed is not None, problems
    return parsed


ADS = [
    ad("a1", "Net 18 en nieuw in Zwolle. Ik ben Anna.", phone="0612345678",
       posted_at="2026-03-01T10:00:00", city="Zwolle"),
    ad("a2", "Onze meiden ontvangen je graag. Ik ben Eva.", phone="0612345678",
       posted_at="2026-03-08T10:00:00", city="Breda"),
    ad("b1", "Rustige massage, op afspraak.", phone="0687654321",
       posted_at="2026-03-15T10:00:00", city="Delft"),
]  # fmt: skip
CLUSTERS = {"a1": "a1", "a2": "a1", "b1": "b1"}


def test_priority_is_the_sum_of_the_documented_terms():
    queue = build_queue(ADS, CLUSTERS, LEXICON)
    first, second = queue
    assert first.cluster_id == "a1"
    terms = {term.name: term.points for term in first.terms}
    # youth 3.0 + third_party 2.5 + new 1.0 + several_names 2.5
    # + size log2(1 + 2) + recency 2.0 * 0.5 ** (7 days / 7).
    assert terms == {
        "new": 1.0,
        "several_names": 2.5,
        "third_party": 2.5,
        "youth": 3.0,
        "size": pytest.approx(math.log2(3)),
        "recency": pytest.approx(1.0),
    }
    assert first.priority == pytest.approx(9.0 + math.log2(3) + 1.0)
    assert second.cluster_id == "b1"
    assert second.priority == pytest.approx(1.0 + 2.0)  # log2(2) + recency 2.0 (newest)
    explained = {term.name: term.evidence for term in first.terms}
    assert explained["youth"] == "1 of 2 ads (a1): 'Net 18'"
    assert explained["third_party"] == "1 of 2 ads (a2): 'Onze meiden'"
    assert explained["several_names"] == "2 of 2 ads (a1, a2): names Anna, Eva"
    assert explained["size"] == "2 ads"
    assert explained["recency"] == "newest ad 7.0 days before the latest"


def test_analysts_can_change_the_weights():
    weights = parse_weights(["youth=0", "size=0", "recency=0"], LEXICON)
    first = build_queue(ADS, CLUSTERS, LEXICON, weights=weights)[0]
    assert first.priority == pytest.approx(2.5 + 1.0 + 2.5)
    with pytest.raises(InputError) as caught:
        parse_weights(["charm=2"], LEXICON)
    assert str(caught.value) == "--weight charm=2 is not NAME=NUMBER (0 or more)"
    assert "youth" in (caught.value.hint or "")
    with pytest.raises(InputError):
        parse_weights(["youth=-1"], LEXICON)
