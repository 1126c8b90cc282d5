"""Cluster quality against ground truth: pairwise precision, recall, F1 and adjusted Rand index.

Pairwise: every pair of ads in one predicted cluster is a predicted link, every
pair with one true operator a true link. Computed from the contingency table
(cluster x operator counts), so no pair is enumerated.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["ClusterQuality", "cluster_quality"]


def _pairs(count: int) -> int:
    return count * (count - 1) // 2


@dataclass(frozen=True)
class ClusterQuality:
    """Pair counts and the scores derived from them (1.0 when there is nothing to find)."""

    n_items: int
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int
    precision: float
    recall: float
    f1: float
    ari: float


def cluster_quality(predicted: Mapping[str, str], truth: Mapping[str, str]) -> ClusterQuality:
    """Compare two partitions of the same items (item -> cluster label).

    Example:
        >>> q = cluster_quality({"a": "1", "b": "1", "c": "2"}, {"a": "x", "b": "y", "c": "y"})
        >>> (q.correct_pairs, q.predicted_pairs, q.true_pairs)
        (0, 1, 1)
    """
    if set(predicted) != set(truth):
        raise ValueError("the partitions cover different items")
    joint = Counter((predicted[item], truth[item]) for item in predicted)
    correct = sum(_pairs(c) for c in joint.values())
    predicted_pairs = sum(_pairs(c) for c in Counter(predicted.values()).values())
    true_pairs = sum(_pairs(c) for c in Counter(truth.values()).values())
    precision = correct / predicted_pairs if predicted_pairs else 1.0
    recall = correct / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    total = _pairs(len(predicted))
    expected = predicted_pairs * true_pairs / total if total else 0.0
    best = (predicted_pairs + true_pairs) / 2
    ari = (correct - expected) / (best - expected) if best != expected else 1.0
    return ClusterQuality(
        len(predicted), true_pairs, predicted_pairs, correct, precision, recall, f1, ari
    )
