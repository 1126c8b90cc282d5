"""The hub's in-memory index of signal encodings: which stored signals may match a new one.

A new signal must be compared with the active signals of every other organisation
within milliseconds, also when a million are active, so the hub keeps their
encodings in memory and looks up candidates by *exact section keys*: for every
field section of the layout, a 64-bit hash of the section's bits. Two encodings
whose section of, say, the date of birth is bit-for-bit equal share that key, so a
record is a candidate when at least one field is written exactly alike (after the
organisations' normalisation), or when the BSN hashes are equal. This is standard
multi-pass blocking on the encoded fields; it shows the hub nothing it could not
see by comparing the encodings themselves.

Candidates are scored exactly with the scorer of batch linking
(:class:`~ketenbeeld.signals._lsh.PairScorer`), so a pair gets the same score at
the hub as in ``signals link``, and the BSN rule is the same: equal hashes match,
different hashes never do.

Two limits keep a look-up fast, each with a measured cost in recall (see
``tests/signals/hub/test_index.py``):

* a key shared by more than ``max_bucket`` stored signals (a very common value,
  or a field of few values such as the city) is not used as a block; the other
  fields still find the pair;
* a pair that agrees exactly on no field and has no BSN hash in common is not found,
  even where its score would reach the threshold (all fields slightly misspelt).

The index is a cache of the database: the caller adds what it stores and filters
what it finds through the database (withdrawn and expired signals stay in the
index until it is rebuilt, and are dropped there).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ketenbeeld.signals._lsh import PairScorer
from ketenbeeld.signals.encodings import EncodingSet
from ketenbeeld.signals.layout import Layout

__all__ = ["Candidate", "SignalIndex"]

WordMatrix = npt.NDArray[np.uint64]
_MASK = (1 << 64) - 1
# Odd multipliers for the section hash (fixed, public: the hash hides nothing, it
# only makes equal sections meet in a sorted array).
_MULTIPLIERS = np.random.default_rng(20261129).integers(1, 2**63, size=64, dtype=np.uint64) | 1


@dataclass(frozen=True)
class Candidate:
    """A stored signal that matches the query.

    Attributes:
        signal_id: the database id of the stored signal.
        org_id: its organisation.
        score: the similarity (1.0 for equal BSN hashes); used by the hub to decide,
            never sent to an organisation.
    """

    signal_id: int
    org_id: int
    score: float


class _SectionKeys:
    """One section's keys: a sorted array for the bulk and a dict for recent additions."""

    def __init__(self) -> None:
        self.keys = np.zeros(0, dtype=np.uint64)
        self.rows = np.zeros(0, dtype=np.int64)
        self.recent: dict[int, list[int]] = {}

    def rebuild(self, keys: npt.NDArray[np.uint64]) -> None:
        present = np.flatnonzero(keys)
        order = np.argsort(keys[present], kind="stable")
        self.rows = present[order].astype(np.int64)
        self.keys = keys[self.rows]
        self.recent = {}

    def add(self, key: int, row: int) -> None:
        if key:
            self.recent.setdefault(key, []).append(row)

    def lookup(self, key: int, max_bucket: int) -> npt.NDArray[np.int64] | None:
        """Rows with this key, or ``None`` when the key is too common to be a block."""
        if not key:
            return None
        start = int(np.searchsorted(self.keys, np.uint64(key), side="left"))
        stop = int(np.searchsorted(self.keys, np.uint64(key), side="right"))
        recent = self.recent.get(key, ())
        if stop - start + len(recent) > max_bucket:
            return None
        if not recent:
            return self.rows[start:stop]
        return np.concatenate([self.rows[start:stop], np.asarray(recent, dtype=np.int64)])


class SignalIndex:
    """Encodings of stored signals, with exact-section and BSN look-ups.

    Args:
        layout: the sections and weights of the schema the hub accepts.
        threshold: the least score of a match.
        max_bucket: a section key shared by more stored signals is not used.
        rebuild_share: recent additions (kept in dicts) are merged into the sorted
            arrays when they exceed this share of the indexed signals.

    Example:
        >>> from ketenbeeld.signals.layout import Layout, Section
        >>> layout = Layout("s/1", (Section("a", 0, 64, 1.0),))
        >>> index = SignalIndex(layout, threshold=0.9)
        >>> index.add([7], [1], np.array([[0b1011 << 60]], np.uint64), [None])
        >>> index.query(np.array([0b1011 << 60], np.uint64), None, exclude_org=2)
        [Candidate(signal_id=7, org_id=1, score=1.0)]
    """

    def __init__(
        self,
        layout: Layout,
        *,
        threshold: float,
        max_bucket: int = 2000,
        rebuild_share: float = 0.05,
    ) -> None:
        self.layout = layout
        self.threshold = threshold
        self.max_bucket = max_bucket
        self.rebuild_share = rebuild_share
        self.words = layout.n_bits // 64
        self.sections = [(s.start, s.stop, s.weight) for s in layout.sections]
        self._matrix = np.zeros((1024, self.words), dtype=np.uint64)
        self._signal_ids = np.zeros(1024, dtype=np.int64)
        self._org_ids = np.zeros(1024, dtype=np.int64)
        self._bsn: list[str | None] = []
        # BSN hash -> its first row; further rows of the same hash (rare) in _more_bsn.
        # Ints, not lists: a million lists would make every garbage collection slow.
        self._by_bsn: dict[str, int] = {}
        self._more_bsn: dict[str, list[int]] = {}
        self._dirty = False
        self._keys = [_SectionKeys() for _ in self.sections]
        self._recent = 0
        self.size = 0
        self.last_signal_id = 0

    def section_keys(self, matrix: WordMatrix) -> npt.NDArray[np.uint64]:
        """Per record and section, a 64-bit hash of the section's bits (0 for an empty section)."""
        keys = np.zeros((matrix.shape[0], len(self.sections)), dtype=np.uint64)
        with np.errstate(over="ignore"):
            for column, (start, stop, _) in enumerate(self.sections):
                words = matrix[:, start // 64 : stop // 64]
                mixed = (words * _MULTIPLIERS[: words.shape[1]]).sum(axis=1, dtype=np.uint64)
                mixed ^= mixed >> np.uint64(29)
                empty = ~words.any(axis=1)
                mixed[empty] = 0
                mixed[~empty & (mixed == 0)] = 1
                keys[:, column] = mixed
        return keys

    def add(
        self,
        signal_ids: Sequence[int],
        org_ids: Sequence[int],
        matrix: WordMatrix,
        bsn: Sequence[str | None],
    ) -> None:
        """Add stored signals (ids increasing) to the index."""
        count = len(signal_ids)
        if not count:
            return
        if matrix.shape != (count, self.words):
            raise ValueError("the encodings do not fit the hub's layout")
        self._reserve(self.size + count)
        rows = slice(self.size, self.size + count)
        self._matrix[rows] = matrix
        self._signal_ids[rows] = signal_ids
        self._org_ids[rows] = org_ids
        for offset, value in enumerate(bsn):
            self._bsn.append(value)
            if value:
                self._index_bsn(value, self.size + offset)
        self.size += count
        self.last_signal_id = max(self.last_signal_id, int(max(signal_ids)))
        if self._recent + count > self.rebuild_share * self.size or count > 1000:
            self._dirty = True  # rebuilt at the next query: a bulk load rebuilds once
            return
        keys = self.section_keys(matrix)
        for offset in range(count):
            for column, section in enumerate(self._keys):
                section.add(int(keys[offset, column]), rows.start + offset)
        self._recent += count

    def query(self, bits: WordMatrix, bsn: str | None, *, exclude_org: int) -> list[Candidate]:
        """Stored signals of other organisations that match ``bits`` (one encoding).

        Args:
            bits: the new signal's encoding as ``uint64`` words (shape ``(words,)``).
            bsn: its BSN hash, or ``None``.
            exclude_org: the registering organisation (its own signals never match).

        Returns:
            The matching signals, best score first.
        """
        if self._dirty:
            self._rebuild()
        query = bits.reshape(1, self.words)
        keys = self.section_keys(query)[0]
        blocks = [
            found
            for column, section in enumerate(self._keys)
            if (found := section.lookup(int(keys[column]), self.max_bucket)) is not None
        ]
        same_bsn = np.asarray(self._bsn_rows(bsn) if bsn else [], dtype=np.int64)
        blocks.append(same_bsn)
        rows = np.unique(np.concatenate(blocks))
        rows = rows[self._org_ids[rows] != exclude_org]
        if bsn:
            # The BSN rule of batch linking: equal hashes match, different ones never do.
            other = np.array([self._bsn[row] for row in rows], dtype=object)
            has_other = other != None  # noqa: E711 (element-wise comparison)
            exact = rows[has_other & (other == bsn)]
            rows = rows[~has_other]
        else:
            exact = np.zeros(0, dtype=np.int64)
        matches = [Candidate(int(self._signal_ids[r]), int(self._org_ids[r]), 1.0) for r in exact]
        if len(rows):
            scores = self._score(query, rows)
            hit = scores >= self.threshold
            matches += [
                Candidate(int(self._signal_ids[r]), int(self._org_ids[r]), float(s))
                for r, s in zip(rows[hit], scores[hit], strict=True)
            ]
        matches.sort(key=lambda c: (-c.score, c.signal_id))
        return matches

    def _score(self, query: WordMatrix, rows: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
        schema = self.layout.schema
        a = EncodingSet(("query",), query, schema, (None,))
        b = EncodingSet(("",) * len(rows), self._matrix[rows], schema, (None,) * len(rows))
        scorer = PairScorer(a, b, self.sections, self.layout.swaps)
        scores: npt.NDArray[np.float64] = scorer.score_block(0, 1, 0, len(rows))[0]
        return scores

    def _reserve(self, size: int) -> None:
        if size <= self._matrix.shape[0]:
            return
        capacity = max(size, 2 * self._matrix.shape[0])
        matrix = np.zeros((capacity, self.words), dtype=np.uint64)
        matrix[: self.size] = self._matrix[: self.size]
        self._matrix = matrix
        self._signal_ids = np.resize(self._signal_ids, capacity)
        self._org_ids = np.resize(self._org_ids, capacity)

    def _index_bsn(self, value: str, row: int) -> None:
        if value in self._by_bsn:
            self._more_bsn.setdefault(value, []).append(row)
        else:
            self._by_bsn[value] = row

    def _bsn_rows(self, value: str) -> list[int]:
        first = self._by_bsn.get(value)
        if first is None:
            return []
        return [first, *self._more_bsn.get(value, ())]

    def _rebuild(self) -> None:
        keys = self.section_keys(self._matrix[: self.size])
        for column, section in enumerate(self._keys):
            section.rebuild(keys[:, column])
        self._recent = 0
        self._dirty = False

    def keep_only(self, signal_ids: set[int]) -> int:
        """Drop every indexed signal not in ``signal_ids`` (withdrawn, expired); return how many."""
        keep = np.isin(self._signal_ids[: self.size], np.fromiter(signal_ids, np.int64))
        dropped = int(self.size - keep.sum())
        if not dropped:
            return 0
        rows = np.flatnonzero(keep)
        self._matrix[: len(rows)] = self._matrix[rows]
        self._signal_ids[: len(rows)] = self._signal_ids[rows]
        self._org_ids[: len(rows)] = self._org_ids[rows]
        self._bsn = [self._bsn[row] for row in rows]
        self._by_bsn, self._more_bsn = {}, {}
        for row, value in enumerate(self._bsn):
            if value:
                self._index_bsn(value, row)
        self.size = len(rows)
        self._rebuild()
        return dropped
