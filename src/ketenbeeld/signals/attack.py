"""A frequency-alignment attack on the encodings, to measure what the hardening buys.

SYNTHETIC DATA ONLY. This module plays the honest-but-curious hub: it sees the
encodings (bit vectors), the public linkage schema (layout, tokeniser, ``k``, which
fields are salted) and public name statistics, and guesses each record's first name
and surname. It never receives the chain key or a plaintext value of a record. The
guesses are scored against the synthetic truth; nothing but counts is logged.

Per name section, the records are first **grouped** (optional) by the exact bit
pattern of another section: the public schema salts ``gender`` with the year of
birth, so its pattern splits the records into (gender, year of birth) groups, and
within one group a name has one bit pattern again, as if unsalted. Then, per group:

- ``method="rank"``, the classic alignment (Kuzu et al. 2011): count the records of
  each distinct bit pattern, rank the patterns by count and the public names by
  share, and pair equal ranks, but only where the expected counts of the names
  around that rank are too far apart for sampling noise to swap them.
- ``method="mining"`` (default), q-gram pattern mining (Christen et al. 2018):
  (1) find sets of ``k`` bit positions that are all set together in many distinct
  patterns: each is the keyed positions of one q-gram; (2) label the sets with
  q-grams so that their record counts, and the counts of records that have two of
  them, fit what the public names predict (a beam search); (3) every record now has
  a yes/no per labelled q-gram, and so has every public name: pair each pattern
  with the most common name of the same profile; (4) learn the positions of every
  q-gram from those pairs, write the expected pattern of every public name and
  pair each pattern with the name that matches it (Jaccard >= ``min_match``);
  repeat (4) a few times. If no mined set is nearly as common as the commonest
  q-gram of the public names, the patterns are not one per name (salted): the
  attacker makes no guesses in that group.

Only names in the public table can be guessed; where nothing fits, the guess is
``None``. :func:`run_frequency_attack` runs it all on a seeded synthetic population
with a fresh random key, with the shipped schema or without its salts.
"""

from __future__ import annotations

import itertools
import logging
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from importlib import resources
from typing import Literal

import numpy as np
import numpy.typing as npt
import yaml
from scipy import sparse

from ketenbeeld.signals.encode import Encoder
from ketenbeeld.signals.encodings import EncodingSet
from ketenbeeld.signals.keys import generate_chain_key
from ketenbeeld.signals.schema import Schema, load_schema, parse_schema

__all__ = [
    "AttackGuesses",
    "AttackResult",
    "NameFrequencies",
    "frequency_attack",
    "run_frequency_attack",
    "score_attack",
    "synthetic_name_frequencies",
    "unsalted_schema",
    "year_groups",
]

logger = logging.getLogger(__name__)

Method = Literal["rank", "mining"]
Bools = npt.NDArray[np.bool_]
Floats = npt.NDArray[np.float64]
_MIN_GROUP = 30  # records; smaller groups are not attacked
_MAX_SEEDS = 3000  # position pairs tried as the start of a q-gram's positions
_FEATURES = 40  # q-gram position sets mined per group
_NESTED = 0.9  # share of a set's patterns inside a wider set for it to be nested
_DATE_FEATURES = 400  # token position sets mined from a date section (years, days, ...)
_PATIENCE = 300  # seeds grown in vain before mining stops
_MIN_TOP_SUPPORT = 0.5  # share of the commonest q-gram's expected count that must show
_BEAM, _CANDIDATES = 50, 30  # labelling search width
_Z = 2.0  # rank alignment: expected counts this many standard deviations apart


@dataclass(frozen=True)
class NameFrequencies:
    """Public name statistics, as an attacker gets them (CBS, Meertens Instituut).

    Attributes:
        first_names: normalised first name -> share of persons.
        last_names: normalised surname (without tussenvoegsel) -> share of persons.
        first_names_by_gender: the same per gender (tried per group), optional.
    """

    first_names: Mapping[str, float]
    last_names: Mapping[str, float]
    first_names_by_gender: Mapping[str, Mapping[str, float]] = field(default_factory=dict)


@dataclass(frozen=True)
class AttackGuesses:
    """The attacker's guess per record (in matrix order), or ``None`` for no guess."""

    first_name: tuple[str | None, ...]
    last_name: tuple[str | None, ...]


@dataclass(frozen=True)
class AttackResult:
    """How well the attack re-identified the records (shares of all records, 0-1).

    Attributes:
        records: records attacked.
        reidentified: share whose first-name *and* surname guesses are both right.
        first_name_correct: share whose first-name guess is right.
        last_name_correct: share whose surname guess is right.
        guessed: share with a guess for both names.
        precision: of the records with both guesses, the share with both right.
        schema, method, group_by, seed: what was attacked and how.
    """

    records: int
    reidentified: float
    first_name_correct: float
    last_name_correct: float
    guessed: float
    precision: float
    schema: str = ""
    method: str = ""
    group_by: str | None = None
    seed: int = 0


def unsalted_schema(name: str = "dutch-person") -> Schema:
    """A built-in schema without its ``salt`` settings: "without hardening".

    Example:
        >>> schema = unsalted_schema()
        >>> schema.schema_id.endswith("-unsalted"), schema.field("first_name").salt
        (True, None)
    """
    text = resources.files("ketenbeeld.signals").joinpath("data", f"{name}.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)
    for item in raw["fields"]:
        item.pop("salt", None)
    raw["version"] = f"{raw['version']}-unsalted"
    return parse_schema(raw, f"{name}.yaml (unsalted)")


def synthetic_name_frequencies(schema: Schema) -> NameFrequencies:
    """The exact name shares the synthetic population is drawn from, normalised by ``schema``.

    They play the public statistics, at their strongest: the attacker knows the
    distribution every name is drawn from, including the syllable-built rare surnames.
    """
    from ketenbeeld.synth import persons
    from ketenbeeld.synth._tables import load_name_tables, zipf

    tables = load_name_tables()
    first_fn = schema.field("first_name").normaliser.function
    last_fn = schema.field("last_name").normaliser.function
    by_gender: dict[str, defaultdict[str, float]] = {
        g: defaultdict(float) for g in tables.first_names
    }
    first: defaultdict[str, float] = defaultdict(float)
    weight = {"m": 0.495, "v": 0.505}  # 49 % m, 50 % v; the 1 % x draw from either list
    for gender, names in tables.first_names.items():
        for name, p in zip(names, zipf(len(names), *persons._FIRST_ZIPF).tolist(), strict=True):
            by_gender[gender][first_fn((name,)) or ""] += p
            first[first_fn((name,)) or ""] += weight[gender] * p
    rare = persons._RARE_SURNAME_SHARE
    last: defaultdict[str, float] = defaultdict(float)
    listed = zipf(len(tables.surnames), *persons._SURNAME_ZIPF) * (1 - rare)
    for (prefix, core), p in zip(tables.surnames, listed.tolist(), strict=True):
        last[last_fn((prefix, core)) or ""] += p
    each = rare / (len(tables.starts) * len(tables.middles) * len(tables.ends))
    for start, middle, end in itertools.product(tables.starts, tables.middles, tables.ends):
        last[last_fn(("", start + middle + end)) or ""] += each
    return NameFrequencies(first, last, by_gender)


def _section_bits(matrix: npt.NDArray[np.uint64], start: int, stop: int) -> Bools:
    words = np.ascontiguousarray(matrix[:, start // 64 : stop // 64]).astype(">u8")
    bits: Bools = np.unpackbits(words.view(np.uint8), axis=1).astype(np.bool_)
    return bits


class _Names:
    """Public names of one field: shares (descending) and q-gram incidence."""

    def __init__(self, shares: Mapping[str, float], tokenise: Callable[[str], Sequence[str]]):
        items = sorted(((n, p) for n, p in shares.items() if n and p > 0), key=lambda i: -i[1])
        self.names = [n for n, _ in items]
        self.shares: Floats = np.array([p for _, p in items], dtype=np.float64)
        grams = [tokenise(n) for n in self.names]
        index = {g: i for i, g in enumerate(dict.fromkeys(g for gs in grams for g in gs))}
        self.incidence: Bools = np.zeros((len(self.names), len(index)), dtype=np.bool_)
        for row, gs in enumerate(grams):
            self.incidence[row, [index[g] for g in gs]] = True
        self.sparse = sparse.csr_matrix(self.incidence, dtype=np.float64)
        weighted = self.sparse.multiply((self.shares / self.shares.sum())[:, None])
        self.together: Floats = (self.sparse.T @ weighted).toarray()  # q-gram pairs, per record


def _rank_pairs(counts: Floats, names: _Names) -> list[tuple[int, int]]:
    """Equal ranks, where neither the expected nor the observed counts could swap."""
    order = np.argsort(-counts, kind="stable")
    size = min(len(order), len(names.names))
    seen = counts[order[:size]]
    expected = names.shares[:size] / names.shares.sum() * counts.sum()
    pairs: list[tuple[int, int]] = []
    for r in range(size):
        clear = True
        for other in (r - 1, r + 1):
            if 0 <= other < size:
                for values in (expected, seen):
                    gap = abs(values[r] - values[other])
                    clear &= bool(gap > _Z * np.sqrt(values[r] + values[other]))
        if clear:
            pairs.append((int(order[r]), r))
    return pairs


def _mine(
    patterns: Bools,
    k: int,
    features: int = _FEATURES,
    seeds_max: int = _MAX_SEEDS,
    patience: int = _PATIENCE,
) -> list[tuple[Bools, Bools]]:
    """Sets of about ``k`` positions all set in the same patterns: one q-gram's positions.

    Returns (positions, patterns that have them all) per set, most supported first.
    """
    as_float = patterns.astype(np.float32)
    columns = np.ascontiguousarray(patterns.T)  # position -> patterns, for fast rows
    together = as_float.T @ as_float
    first, second = np.triu_indices(patterns.shape[1], 1)
    found: list[tuple[Bools, Bools]] = []
    tried = np.zeros((seeds_max, patterns.shape[1]), dtype=np.bool_)  # cores seen
    seeds = last_found = 0
    for index in np.argsort(-together[first, second], kind="stable")[:seeds_max].tolist():
        a, b = int(first[index]), int(second[index])
        if together[a, b] < 3 or len(found) >= features or seeds - last_found > patience:
            break
        if (tried[:seeds, a] & tried[:seeds, b]).any():
            continue
        chosen, support = [a, b], columns[a] & columns[b]
        while len(chosen) < k:  # grow: keep as many patterns as possible
            gain = support.astype(np.float32) @ as_float
            gain[chosen] = -1
            best = int(gain.argmax())
            if gain[best] < 2:
                break
            chosen.append(best)
            support &= columns[best]
        while len(chosen) > 2:  # drop positions of another q-gram that narrowed the set
            lacking = ~columns[chosen]
            one_off = lacking.sum(axis=0) == 1  # patterns that lack exactly one position
            wider = np.bincount(lacking[:, one_off].argmax(axis=0), minlength=len(chosen))
            i = int(wider.argmax())
            if wider[i] <= 0.02 * np.count_nonzero(support) + 2:
                break
            chosen.pop(i)
            support = np.logical_and.reduce(columns[chosen], axis=0)
        count = np.count_nonzero(support)
        core: Bools = (support.astype(np.float32) @ as_float) == count
        tried[seeds] = core
        seeds += 1
        size = int(core.sum())
        if count < 3 or not k - 2 <= size <= k + 3:
            continue
        if found:
            cores = np.array([c for c, _ in found])
            shared = (cores & core).sum(axis=1)
            if (shared >= 0.7 * np.minimum(cores.sum(axis=1), size)).any():
                continue
        found.append((core, support))
        last_found = seeds
    return found


def _chi(observed: Floats, expected: Floats) -> Floats:
    out: Floats = (observed - expected) ** 2 / (observed + expected + 1.0)
    return out


def _present(expected: Floats, distinct: int) -> Floats:
    """Chance that each name occurs at all, calibrated to the number of distinct patterns.

    Names cluster (a household shares its surname), so ``1 - exp(-expected / c)``
    with the cluster size ``c`` that gives as many names as there are patterns.
    """
    low, high = 1.0, 64.0
    for _ in range(30):
        middle = (low + high) / 2
        if (1.0 - np.exp(-expected / middle)).sum() > distinct:
            low = middle
        else:
            high = middle
    present: Floats = 1.0 - np.exp(-expected / low)
    return present


def _label(supports: Bools, counts: Floats, names: _Names) -> tuple[list[int], float]:
    """Q-gram per mined set: counts and pairwise co-counts must fit the names (beam search)."""
    z = supports.astype(np.float64)
    d = names.sparse
    present = _present(names.shares / names.shares.sum() * counts.sum(), len(counts))
    stats = [
        (z.T @ (z * counts[:, None]), names.together * counts.sum()),  # records
        (z.T @ z, (d.T @ d.multiply(present[:, None])).toarray()),  # patterns / names
    ]
    frequency = np.diag(stats[0][1])
    labels = np.zeros((1, 0), dtype=np.int64)  # one row per hypothesis
    costs = np.zeros(1)
    for r in range(z.shape[1]):
        ratio = np.abs(np.log((frequency + 1e-9) / max(stats[0][0][r, r], 1e-9)))
        grams = np.argsort(ratio, kind="stable")[: _CANDIDATES + r]
        add = np.zeros((len(labels), len(grams)))
        for observed, model in stats:
            add += _chi(np.full(len(grams), observed[r, r]), model[grams, grams])[None, :]
            pairwise = model[grams[None, :, None], labels[:, None, :]]  # hyp x gram x earlier
            add += 2 * _chi(observed[r, :r][None, None, :], pairwise).sum(axis=2)
        add[(grams[None, :, None] == labels[:, None, :]).any(axis=2)] = np.inf  # used
        total = (costs[:, None] + add).ravel()
        best = np.argsort(total, kind="stable")[:_BEAM]
        best = best[np.isfinite(total[best])]
        rows, columns = np.divmod(best, len(grams))
        labels = np.hstack([labels[rows], grams[columns][:, None]])
        costs = total[best]
    return labels[0].tolist(), float(costs[0]) / max(z.shape[1], 1)


def _profile_pairs(
    supports: Bools, labels: list[int], counts: Floats, names: _Names
) -> list[tuple[int, int]]:
    """Each pattern (most frequent first) with the commonest free name of its profile."""
    seen = np.packbits(supports, axis=1)
    model = np.packbits(names.incidence[:, labels], axis=1)
    by_profile: dict[bytes, list[int]] = {}
    for row, profile in reversed(list(enumerate(model))):  # commonest name last
        by_profile.setdefault(profile.tobytes(), []).append(row)
    pairs: list[tuple[int, int]] = []
    for p in np.argsort(-counts, kind="stable").tolist():
        free = by_profile.get(seen[p].tobytes())
        if free:
            pairs.append((p, free.pop()))
    return pairs


def _decode_round(
    patterns: Bools,
    pairs: list[tuple[int, int]],
    names: _Names,
    k: int,
    mined: Mapping[int, Bools],
    min_match: float,
) -> list[tuple[int, int]]:
    """Learn every q-gram's positions from ``pairs``; pair patterns with matching names."""
    chosen = patterns[[p for p, _ in pairs]].astype(np.float32)
    has = names.incidence[[n for _, n in pairs]].astype(np.float32)
    support = has.sum(axis=0)
    inside = (has.T @ chosen) / np.maximum(support, 1.0)[:, None]
    outside = ((1.0 - has).T @ chosen) / np.maximum(len(pairs) - support, 1.0)[:, None]
    top = np.argpartition(-(inside - outside), k - 1, axis=1)[:, :k]
    positions = np.zeros_like(inside, dtype=np.bool_)
    np.put_along_axis(positions, top, True, axis=1)
    positions &= inside >= 0.5
    for gram, core in mined.items():
        positions[gram] = core
    known = (support >= 2) | np.isin(np.arange(len(support)), list(mined))
    decodable = np.flatnonzero(names.sparse @ (~known).astype(np.float64) == 0)
    if not len(decodable):
        return pairs
    predicted = (names.sparse[decodable] @ positions.astype(np.float64) > 0).astype(np.float32)
    size = predicted.sum(axis=1)
    by_size = np.argsort(size, kind="stable")
    ones = patterns.sum(axis=1)
    candidates: list[tuple[float, int, int]] = []
    order = np.argsort(ones, kind="stable")
    for start in range(0, len(order), 512):
        rows = order[start : start + 512]
        # Jaccard >= min_match needs sizes within a factor min_match of each other.
        low, high = ones[rows[0]] * min_match, ones[rows[-1]] / min_match
        near = by_size[
            np.searchsorted(size[by_size], low) : np.searchsorted(size[by_size], high, "right")
        ]
        if not len(near):
            continue
        part = patterns[rows].astype(np.float32)
        both = part @ predicted[near].T
        jaccard = both / np.maximum(ones[rows][:, None] + size[near][None, :] - both, 1.0)
        best = jaccard.argmax(axis=1)
        score = jaccard[np.arange(len(rows)), best]
        for row in np.flatnonzero(score >= min_match).tolist():
            candidates.append((float(score[row]), int(rows[row]), int(decodable[near[best[row]]])))
    decoded: dict[int, int] = {}  # pattern -> name, best match first, one to one
    names_used: set[int] = set()
    for _, p, n in sorted(candidates, reverse=True):
        if p not in decoded and n not in names_used:
            decoded[p] = n
            names_used.add(n)
    kept = [(p, n) for p, n in pairs if p not in decoded and n not in names_used]
    return list(decoded.items()) + kept


def _attack_group(
    bits: Bools, tables: list[_Names], k: int, method: Method, rounds: int, min_match: float
) -> list[str | None]:
    """The guessed name of each record of one group (its section bits), or ``None``."""
    packed = np.packbits(bits, axis=1)
    unique, inverse, counts = np.unique(packed, axis=0, return_inverse=True, return_counts=True)
    patterns = np.unpackbits(unique, axis=1)[:, : bits.shape[1]].astype(np.bool_)
    index = np.flatnonzero(patterns.any(axis=1))  # an empty section is an empty value
    patterns, weights = patterns[index], counts[index].astype(np.float64)
    if not len(index):
        return [None] * len(bits)
    if method == "rank":
        names, pairs = tables[0], _rank_pairs(weights, tables[0])
    else:
        mined = _mine(patterns, k)
        supports = np.stack([support for _, support in mined] or [index < 0], axis=1)
        # The commonest q-gram of the names must show as a set of positions that
        # common: if not, the patterns are not one per name (salted), so give up.
        top = min(np.diag(t.together).max() for t in tables) * weights.sum()
        if (weights @ supports).max() < _MIN_TOP_SUPPORT * top:
            return [None] * len(bits)
        fits = [(_label(supports, weights, t), t) for t in tables]
        (labels, _), names = min(fits, key=lambda fit: fit[0][1])
        pairs = _profile_pairs(supports, labels, weights, names)
        known = {gram: core for gram, (core, _) in zip(labels, mined, strict=True)}
        for _ in range(rounds):
            if len(pairs) < 2:
                break
            pairs = _decode_round(patterns, pairs, names, k, known, min_match)
    guess = {int(index[p]): names.names[n] for p, n in pairs}
    return [guess.get(int(u)) for u in inverse.ravel().tolist()]


def year_groups(bits: Bools, k: int) -> npt.NDArray[np.int64]:
    """Per record, a group number for its year of birth as mined from an *unsalted*
    date section (``-1`` where no single year is found).

    The ``date`` tokeniser gives every record a year token and a decade token of
    ``k`` keyed positions each (and month, day and day-month tokens). Sets of ``k``
    positions that are set together are mined from the distinct date patterns as for
    names. A year's patterns all carry its decade's positions, so a year is a mined
    set whose patterns lie inside those of exactly one other, at least four times
    larger, mined set (90 % of them: other tokens can set a year's positions by
    chance); a day-month pair lies inside two, its month and its day. The key is not
    needed: only which positions go together.

    Example:
        >>> year_groups(np.zeros((3, 128), dtype=np.bool_), 8).tolist()
        [-1, -1, -1]
    """
    groups = np.full(len(bits), -1, dtype=np.int64)
    if not bits.any():
        return groups
    unique, inverse = np.unique(np.packbits(bits, axis=1), axis=0, return_inverse=True)
    patterns = np.unpackbits(unique, axis=1)[:, : bits.shape[1]].astype(np.bool_)
    # Every pair of positions may start a set: the many pairs of positions of two
    # different common tokens (a decade and a month) come first and fail.
    pairs = bits.shape[1] * (bits.shape[1] - 1) // 2
    mined = _mine(patterns, k, features=_DATE_FEATURES, seeds_max=pairs, patience=pairs)
    if not mined:
        return groups
    supports = np.stack([support for _, support in mined]).astype(np.float32)
    sizes = supports.sum(axis=1)
    # A row's patterns (nearly) all among the column's: a few patterns of other years
    # can carry a year's positions by chance (other tokens set them).
    inside = (supports @ supports.T) >= _NESTED * sizes[:, None]
    np.fill_diagonal(inside, False)
    parents = (inside & (sizes[None, :] >= 4 * sizes[:, None])).sum(axis=1)
    years = [core for (core, _), count in zip(mined, parents.tolist(), strict=True) if count == 1]
    if not years:
        return groups
    cores = np.stack(years).astype(np.float32)
    has = (patterns.astype(np.float32) @ cores.T) >= cores.sum(axis=1)[None, :]
    one = has.sum(axis=1) == 1
    per_pattern = np.where(one, has.argmax(axis=1), -1)
    groups[:] = per_pattern[inverse.ravel()]
    return groups


def frequency_attack(
    encodings: EncodingSet | npt.NDArray[np.uint64],
    schema: Schema,
    names: NameFrequencies,
    *,
    group_by: str | None = "gender",
    method: Method = "mining",
    rounds: int = 3,
    min_match: float = 0.8,
) -> AttackGuesses:
    """Guess each record's first name and surname from the encodings and public data only.

    Args:
        encodings: the encodings, or their ``uint64`` bit matrix (one row a record).
        schema: the public linkage schema (layout, tokeniser and ``k`` per field).
        names: public name statistics.
        group_by: a section whose exact bit pattern splits the records into groups
            attacked apart (``"gender"``: salted with the year of birth, it splits by
            gender and year), ``"date_of_birth.year"`` to split them by the year of
            birth mined from the date section (:func:`year_groups`), or ``None`` for
            one group.
        method: ``"rank"`` (rank alignment where unambiguous) or ``"mining"``.
        rounds: learn-and-decode rounds of the mining method.
        min_match: least Jaccard similarity of a decoded name's expected pattern.

    Returns:
        Per record, in matrix order, the guessed normalised names or ``None``.

    Example:
        >>> import numpy as np
        >>> guesses = frequency_attack(np.zeros((2, 16), np.uint64), load_schema("dutch-person"),
        ...                            NameFrequencies({"jan": 1.0}, {"jansen": 1.0}))
        >>> guesses.first_name
        (None, None)
    """
    layout = {s.name: s for s in schema.layout().sections}
    matrix = encodings.matrix if isinstance(encodings, EncodingSet) else encodings
    n = len(matrix)
    groups = np.zeros(n, dtype=np.int64)
    if group_by is not None and group_by.endswith(".year"):
        field_name = group_by.removesuffix(".year")
        section = layout[field_name]
        bits = _section_bits(matrix, section.start, section.stop)
        groups = year_groups(bits, schema.field(field_name).k)
    elif group_by is not None:
        section = layout[group_by]
        key = np.packbits(_section_bits(matrix, section.start, section.stop), axis=1)
        groups = np.unique(key, axis=0, return_inverse=True)[1].ravel()
    members = [np.flatnonzero(groups == g) for g in range(int(groups.max(initial=-1)) + 1)]
    members = [m for m in members if len(m) >= _MIN_GROUP]
    out: dict[str, list[str | None]] = {}
    for field_name, shares, alternatives in (
        ("first_name", names.first_names, names.first_names_by_gender.values()),
        ("last_name", names.last_names, ()),
    ):
        item, section = schema.field(field_name), layout[field_name]
        tables = [_Names(s, item.tokeniser.tokens) for s in (shares, *alternatives)]
        bits = _section_bits(matrix, section.start, section.stop)
        guesses: list[str | None] = [None] * n
        for rows in members:
            found = _attack_group(bits[rows], tables, item.k, method, rounds, min_match)
            for row, guess in zip(rows.tolist(), found, strict=True):
                guesses[row] = guess
        out[field_name] = guesses
    logger.info("attacked %d records in %d groups", n, len(members))
    return AttackGuesses(tuple(out["first_name"]), tuple(out["last_name"]))


def score_attack(
    guesses: AttackGuesses, first_names: Sequence[str], last_names: Sequence[str]
) -> AttackResult:
    """Score guesses against the true normalised names (same record order).

    Example:
        >>> score_attack(AttackGuesses(("jan", None), ("jansen", "bakker")),
        ...              ["jan", "piet"], ["jansen", "bakker"]).reidentified
        0.5
    """
    n = len(first_names)
    if n == 0:
        return AttackResult(0, 0.0, 0.0, 0.0, 0.0, 0.0)
    pairs = list(zip(guesses.first_name, guesses.last_name, first_names, last_names, strict=True))
    first = sum(g is not None and g == t for g, _, t, _ in pairs)
    last = sum(g is not None and g == t for _, g, _, t in pairs)
    both = sum(f is not None and f == tf and s == ts for f, s, tf, ts in pairs)
    guessed = sum(f is not None and s is not None for f, s, _, _ in pairs)
    return AttackResult(
        records=n,
        reidentified=both / n,
        first_name_correct=first / n,
        last_name_correct=last / n,
        guessed=guessed / n,
        precision=both / guessed if guessed else 0.0,
    )


def run_frequency_attack(
    population_size: int,
    seed: int,
    hardened: bool,
    *,
    method: Method = "mining",
    group_by: str | None = "gender",
    chain_key: bytes | None = None,
) -> AttackResult:
    """Encode a seeded synthetic population with a fresh random key, attack it, score it.

    Args:
        population_size: persons (:func:`~ketenbeeld.synth.persons.generate_population`).
        seed: the population's seed.
        hardened: the ``dutch-person`` schema as shipped (names and gender salted with
            the year of birth), or the same schema without salts.
        method: ``"mining"`` or ``"rank"`` (see :func:`frequency_attack`).
        group_by: passed to :func:`frequency_attack`.
        chain_key: the organisations' key (by default a new random one); only the
            encoder receives it, never the attack.

    Example:
        >>> result = run_frequency_attack(300, seed=1, hardened=False)
        >>> result.records, result.schema.endswith("-unsalted")
        (300, True)
    """
    from ketenbeeld.synth.persons import generate_population

    schema = load_schema("dutch-person") if hardened else unsalted_schema()
    people = generate_population(population_size, seed)
    rows = [
        {**asdict(p), "id": p.person_id, "date_of_birth": p.date_of_birth.isoformat(), "bsn": ""}
        for p in people
    ]
    # Only the encoder (the organisation) ever holds the key.
    encoded = Encoder(schema, chain_key or generate_chain_key()).encode(rows, source="synthetic")
    data = b"".join(record.bits for record in encoded.records)
    matrix = np.frombuffer(data, dtype=">u8").reshape(len(encoded.records), -1).astype(np.uint64)
    first_fn = schema.field("first_name").normaliser.function
    last_fn = schema.field("last_name").normaliser.function
    score = score_attack(
        frequency_attack(
            matrix, schema, synthetic_name_frequencies(schema), group_by=group_by, method=method
        ),
        [first_fn((p.first_name,)) or "" for p in people],
        [last_fn((p.name_prefix, p.last_name)) or "" for p in people],
    )
    return AttackResult(
        **{
            **score.__dict__,
            "schema": schema.schema_id,
            "method": method,
            "group_by": group_by,
            "seed": seed,
        }
    )
