"""Linking advertisements into networks: shared contacts and near-duplicate template text.

Two kinds of evidence join ads, and every link keeps its reason:

* **a shared contact** (a normalised phone number, e-mail address or handle): strong
  evidence. A contact found in very many ads (more than ``common_contact_ads``, or
  ``common_contact_share`` of all ads: a site's own number in a footer) is *common*:
  it links nothing and is reported, so one number cannot glue a giant component.
* **near-duplicate text**: weaker evidence. Title and text are folded (lower case,
  no accents), contacts, links, numbers and the ad's own city are masked (they
  are slots, not template), and cut into word ``shingle_words``-grams. Shingles used by more than
  ``boilerplate_share`` of the contact groups (a site's footer, stock phrases) are
  dropped from the exact comparison; an operator's template, however many of its own
  ads repeat it, is not. MinHash signatures of each ad's shingles (datasketch's
  ``affine64`` permutation family, computed for all ads at once with numpy; they
  depend on the ad alone, so they are stored and reused) go into ``bands`` bands;
  ads sharing a band key are candidates, and a candidate pair is linked only when
  the exact Jaccard coefficient of the shingle sets, boilerplate left out, reaches
  ``text_threshold``.

**Stock text.** Independent advertisers sometimes copy one popular text verbatim.
Such an ad's body (its text with contacts and numbers masked, the title aside) is
the same as in ``stock_min_contacts`` or more separate contact groups; an
operator's template, by contrast, varies its slots (names, ages, cities, prices)
from person to person. So an ad whose body is such a stock text links to other
contact groups by its contacts only: its text links are reported as *shared stock
text* and join nothing; shared text joins groups only where it is a template. Copies
with a typo are caught as near-identical ads (Jaccard at least ``stock_similarity``)
spread over that many contact groups.

Clusters are connected components; a cluster's id is its smallest ``ad_id``, so it
depends only on the cluster's members.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import itertools
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from ketenbeeld.atomic import atomic_text
from ketenbeeld.online.indicators import AdLike
from ketenbeeld.online.lexicon import fold

__all__ = [
    "ClusterParams",
    "Clustering",
    "Link",
    "Sketches",
    "cluster_ads",
    "shingle_hashes",
    "signatures",
    "sketch_ads",
    "write_clusters_csv",
    "write_links_csv",
]

logger = logging.getLogger(__name__)

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]
ProgressCallback = Callable[[str], None]


@dataclass(frozen=True)
class ClusterParams:
    """Settings of :func:`cluster_ads`; the defaults are measured on synthetic data
    (``benchmarks/online_cluster.py``)."""

    shingle_words: int = 3
    num_perm: int = 96
    bands: int = 32
    text_threshold: float = 0.4
    stock_similarity: float = 0.8
    stock_min_contacts: int = 5
    boilerplate_share: float = 0.01
    boilerplate_min_groups: int = 10
    common_contact_share: float = 0.01
    common_contact_ads: int = 500
    max_bucket: int = 200
    seed: int = 1

    def __post_init__(self) -> None:
        if self.num_perm % self.bands:
            raise ValueError("num_perm must be a multiple of bands")


@dataclass(frozen=True)
class Link:
    """Why two ads are in one cluster: ``reason`` is ``phone``, ``email``, ``handle``
    or ``text``; ``detail`` the contact or the text similarity (``0.87``)."""

    ad_a: str
    ad_b: str
    reason: str
    detail: str


@dataclass
class Clustering:
    """The clusters and their evidence.

    Attributes:
        cluster_of: ad id -> cluster id (the cluster's smallest ad id).
        links: the links that joined ads (a spanning set per contact, all text links).
        stock_links: near-identical text between separate contact groups (not joined).
        common_contacts: contacts in too many ads to link anything.
        boilerplate_shingles: shingles dropped as too common.
    """

    cluster_of: dict[str, str] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    stock_links: list[Link] = field(default_factory=list)
    common_contacts: list[str] = field(default_factory=list)
    boilerplate_shingles: int = 0


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = np.arange(size, dtype=np.int64)

    def find(self, item: int) -> int:
        parent = self.parent
        root = item
        while parent[root] != root:
            root = int(parent[root])
        while parent[item] != root:
            parent[item], item = root, int(parent[item])
        return root

    def union(self, a: int, b: int) -> bool:
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b:
            return False
        self.parent[max(root_a, root_b)] = min(root_a, root_b)
        return True

    def roots(self) -> I64:
        return np.array([self.find(i) for i in range(len(self.parent))], dtype=np.int64)


_MASK = re.compile(
    r"https?://\S+|\b\w+\.(?:me|com|nl)/\S*|\S+@\S+|@\w[\w.]*|[+(]?\d[\d\s().\-/]*\d|\d"
)
_WORD = re.compile(r"\w+")
_word_ids: dict[str, int] = {}
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9], dtype=np.uint64)


def _word_id(word: str) -> int:
    found = _word_ids.get(word)
    if found is None:
        found = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "big")
        if len(_word_ids) < 2_000_000:
            _word_ids[word] = found
    return found


def _masked(ad: AdLike, text: str) -> str:
    """Folded text with contacts, links, numbers and the ad's own city masked (slots)."""
    masked = _MASK.sub(" # ", fold(text))
    if ad.city:
        city = fold(ad.city).strip()
        if city:
            masked = re.sub(rf"(?<!\w){re.escape(city)}(?!\w)", " # ", masked)
    return masked


def _tokens(ad: AdLike) -> tuple[list[str], bytes]:
    """The ad's words (title and text, slots masked) and the digest of its masked body."""
    body = _WORD.findall(_masked(ad, ad.text))
    title = _WORD.findall(_masked(ad, ad.title)) if ad.title else []
    digest = hashlib.blake2b(" ".join(body).encode(), digest_size=12).digest()
    return title + body, digest


def shingle_hashes(ads: Sequence[AdLike], words: int) -> tuple[U64, I64, list[bytes]]:
    """Per ad, the distinct 64-bit hashes of its word ``words``-grams, concatenated.

    Returns:
        ``(hashes, doc, bodies)``: hashes sorted by ad then value, the ad index of
        each, and per ad the digest of its masked text body (for stock text).
    """
    ids: list[int] = []
    bodies: list[bytes] = []
    lengths = np.zeros(len(ads), dtype=np.int64)
    for index, ad in enumerate(ads):
        tokens, body = _tokens(ad)
        bodies.append(body)
        lengths[index] = len(tokens)
        ids.extend(_word_id(token) for token in tokens)
    flat = np.array(ids, dtype=np.uint64)
    doc_of_token = np.repeat(np.arange(len(ads), dtype=np.int64), lengths)
    count = len(flat) - words + 1
    if count <= 0:
        return np.zeros(0, np.uint64), np.zeros(0, np.int64), bodies
    with np.errstate(over="ignore"):
        combined = np.zeros(count, dtype=np.uint64)
        for offset in range(words):
            part = flat[offset : offset + count] * _MIX[offset % len(_MIX)]
            combined ^= (part << np.uint64(offset * 7)) | (part >> np.uint64(64 - offset * 7))
    # A shingle must lie inside one ad.
    same_doc = doc_of_token[:count] == doc_of_token[words - 1 : words - 1 + count]
    hashes, docs = combined[same_doc], doc_of_token[:count][same_doc]
    order = np.lexsort((hashes, docs))
    hashes, docs = hashes[order], docs[order]
    keep = np.ones(len(hashes), dtype=bool)
    keep[1:] = (hashes[1:] != hashes[:-1]) | (docs[1:] != docs[:-1])
    return hashes[keep], docs[keep], bodies


def _permutations(num_perm: int, seed: int) -> tuple[U64, U64]:
    """datasketch's affine64 permutations ``h -> a h + b mod 2^64`` for this seed."""
    from datasketch import MinHash

    a, b = MinHash(num_perm=num_perm, seed=seed, scheme="affine64").permutations
    return np.asarray(a, dtype=np.uint64), np.asarray(b, dtype=np.uint64)


def signatures(hashes: U64, docs: I64, n_docs: int, num_perm: int, seed: int) -> U64:
    """MinHash signatures (``n_docs x num_perm``); all-ones rows for ads without shingles."""
    a, b = _permutations(num_perm, seed)
    out = np.full((n_docs, num_perm), np.iinfo(np.uint64).max, dtype=np.uint64)
    if not len(hashes):
        return out
    starts = np.flatnonzero(np.r_[True, docs[1:] != docs[:-1]])
    present = docs[starts]
    with np.errstate(over="ignore"):
        # datasketch's one-shot pre-mix (the MurmurHash3 64-bit finalizer).
        hashes = hashes ^ (hashes >> np.uint64(33))
        hashes = hashes * np.uint64(0xFF51AFD7ED558CCD)
        hashes = hashes ^ (hashes >> np.uint64(33))
        hashes = hashes * np.uint64(0xC4CEB9FE1A85EC53)
        hashes = hashes ^ (hashes >> np.uint64(33))
        for perm in range(num_perm):
            values = hashes * a[perm] + b[perm]
            out[present, perm] = np.minimum.reduceat(values, starts)
    return out


@functools.cache
def _pairs_of(size: int) -> tuple[I64, I64]:
    first, second = np.triu_indices(size, k=1)
    return first.astype(np.int64), second.astype(np.int64)


def _candidates(sig: U64, bands: int, has_text: npt.NDArray[np.bool_], max_bucket: int) -> I64:
    """Pairs ``(i, j)``, ``i < j``, sharing a band key (big buckets: each to the next)."""
    rows = sig.shape[1] // bands
    pairs: list[I64] = []
    docs = np.flatnonzero(has_text)
    with np.errstate(over="ignore"):
        for band in range(bands):
            block = sig[docs, band * rows : (band + 1) * rows]
            key = np.zeros(len(docs), dtype=np.uint64)
            for column in range(rows):
                key = key * np.uint64(0x100000001B3) ^ block[:, column]
            order = np.lexsort((docs, key))  # by key, then ad: buckets come out sorted
            sorted_keys, members = key[order], docs[order]
            starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
            sizes = np.diff(np.r_[starts, len(sorted_keys)])
            two = starts[sizes == 2]
            pairs.append(np.stack([members[two], members[two + 1]], axis=1))
            for start, size in zip(starts[sizes > 2], sizes[sizes > 2], strict=True):
                bucket = members[start : start + size]
                if size > max_bucket:
                    pairs.append(np.stack([bucket[:-1], bucket[1:]], axis=1))
                    continue
                first, second = _pairs_of(int(size))
                pairs.append(np.stack([bucket[first], bucket[second]], axis=1))
    if not pairs:
        return np.zeros((0, 2), dtype=np.int64)
    return np.unique(np.concatenate(pairs), axis=0)


def _jaccard(hashes: U64, docs: I64, n_docs: int, pairs: I64) -> npt.NDArray[np.float64]:
    """Exact Jaccard coefficients of the shingle sets of many pairs at once (sparse rows)."""
    if not len(pairs):
        return np.zeros(0, dtype=np.float64)
    from scipy.sparse import csr_matrix

    _, columns = np.unique(hashes, return_inverse=True)
    matrix = csr_matrix(
        (np.ones(len(hashes), dtype=np.float32), (docs, columns.ravel())),
        shape=(n_docs, int(columns.max()) + 1),
    )
    sizes = np.asarray(matrix.sum(axis=1)).ravel()
    out = np.zeros(len(pairs), dtype=np.float64)
    for start in range(0, len(pairs), 200_000):
        part = pairs[start : start + 200_000]
        shared = np.asarray(matrix[part[:, 0]].multiply(matrix[part[:, 1]]).sum(axis=1)).ravel()
        union = sizes[part[:, 0]] + sizes[part[:, 1]] - shared
        out[start : start + len(part)] = np.divide(
            shared, union, out=np.zeros(len(part)), where=union > 0
        )
    return out


@dataclass(frozen=True)
class Sketches:
    """What clustering needs of each ad's text, computed per ad and never from the others,
    so it can be stored and reused when new ads arrive (``online/sketches.py``).

    Attributes:
        hashes / docs: the distinct shingle hashes of every ad (sorted by ad, then hash)
            and the index of the ad each belongs to.
        bodies: per ad, the digest of its masked text body (stock-text detection).
        signatures: per ad, its MinHash signature over all its shingles.
    """

    hashes: U64
    docs: I64
    bodies: list[bytes]
    signatures: U64

    def __len__(self) -> int:
        return len(self.bodies)


def sketch_ads(ads: Sequence[AdLike], params: ClusterParams | None = None) -> Sketches:
    """The per-ad part of clustering: shingles, body digests and MinHash signatures."""
    params = params or ClusterParams()
    hashes, docs, bodies = shingle_hashes(ads, params.shingle_words)
    sig = signatures(hashes, docs, len(ads), params.num_perm, params.seed)
    return Sketches(hashes, docs, bodies, sig)


def cluster_ads(
    ads: Sequence[AdLike],
    params: ClusterParams | None = None,
    on_step: ProgressCallback | None = None,
    sketches: Sketches | None = None,
) -> Clustering:
    """Cluster ads by shared contacts and template text; see the module docstring.

    Args:
        ads: the ads (their ids and contacts are read here).
        params: settings; the defaults suit the synthetic data as measured.
        on_step: called with the name of each step (for a progress display).
        sketches: the ads' sketches, in the order of ``ads``, if already made (stored
            ones plus those of new ads); the result is the same as without them.
    """
    params = params or ClusterParams()
    step = on_step or (lambda _: None)
    n = len(ads)
    if sketches is None:
        step("sketches")
        sketches = sketch_ads(ads, params)
    if len(sketches) != n:
        raise ValueError("the sketches do not match the ads")
    result = Clustering()
    ids = [ad.ad_id for ad in ads]
    union = _UnionFind(n)

    step("contacts")
    members: dict[str, list[int]] = {}
    for index, ad in enumerate(ads):
        for contact in dict.fromkeys((*ad.phones, *ad.emails, *ad.handles)):
            members.setdefault(contact, []).append(index)
    common_limit = max(params.common_contact_ads, params.common_contact_share * n)
    for contact, found in members.items():
        if len(found) > common_limit:
            result.common_contacts.append(contact)
            continue
        reason = "email" if "@" in contact else "phone" if contact.startswith("+") else "handle"
        for before, after in itertools.pairwise(found):
            if union.union(before, after):
                result.links.append(Link(ids[before], ids[after], reason, contact))
    result.common_contacts.sort()
    contact_root = union.roots()

    step("text")
    hashes, docs, bodies = sketches.hashes, sketches.docs, sketches.bodies
    # Boilerplate is counted over contact groups, not ads: an operator's own template
    # in 500 of its ads is evidence, a footer in the ads of 500 advertisers is not.
    groups_of = np.unique(np.stack([hashes, contact_root[docs].astype(np.uint64)]), axis=1)
    unique, counts = np.unique(groups_of[0], return_counts=True)
    n_groups = len(np.unique(contact_root))
    limit = max(params.boilerplate_min_groups, params.boilerplate_share * n_groups)
    boilerplate = unique[counts > limit]
    result.boilerplate_shingles = len(boilerplate)
    if len(boilerplate):
        keep = ~np.isin(hashes, boilerplate)
        hashes, docs = hashes[keep], docs[keep]
    # Signatures cover all of an ad's shingles (they depend on the ad alone, so they can
    # be stored); boilerplate is left out of the exact check below.
    has_text = np.diff(np.searchsorted(sketches.docs, np.arange(n + 1))) > 0
    pairs = _candidates(sketches.signatures, params.bands, has_text, params.max_bucket)
    step("verify")
    similarity = _jaccard(hashes, docs, n, pairs)
    hit = similarity >= params.text_threshold
    pairs, similarity = pairs[hit], similarity[hit]

    # Stock text: the same text body (contacts and numbers masked, title aside) in
    # several separate contact groups is a popular text copied by independent
    # advertisers; it links nothing. An operator's template varies its slots (names,
    # ages) from person to person, so its bodies differ.
    body_groups: dict[bytes, set[int]] = {}
    for index, body in enumerate(bodies):
        body_groups.setdefault(body, set()).add(int(contact_root[index]))
    stock_bodies = {
        b for b, roots in body_groups.items() if len(roots) >= params.stock_min_contacts
    }
    is_stock = np.array([body in stock_bodies for body in bodies], dtype=bool)
    # Copies with a typo differ from the stock text: near-identical ads (Jaccard at
    # least stock_similarity) spread over that many contact groups count as stock too.
    near = _UnionFind(n)
    for (i, j), value in zip(pairs, similarity, strict=True):
        if value >= params.stock_similarity:
            near.union(int(i), int(j))
    near_root = near.roots()
    near_groups: dict[int, set[int]] = {}
    for member in np.flatnonzero(near_root != np.arange(n)).tolist():
        root = int(near_root[member])
        near_groups.setdefault(root, {int(contact_root[root])}).add(int(contact_root[member]))
    for root, spread in near_groups.items():
        if len(spread) >= params.stock_min_contacts:
            is_stock |= near_root == root

    for (i, j), value in zip(pairs, similarity, strict=True):
        a, b = int(i), int(j)
        link = Link(ids[a], ids[b], "text", f"{value:.2f}")
        if (is_stock[a] or is_stock[b]) and contact_root[a] != contact_root[b]:
            result.stock_links.append(link)
            continue
        if union.union(a, b):
            result.links.append(link)

    step("components")
    roots = union.roots()
    smallest: dict[int, str] = {}
    for index, root in enumerate(roots):
        current = smallest.get(int(root))
        if current is None or ids[index] < current:
            smallest[int(root)] = ids[index]
    result.cluster_of = {ids[i]: smallest[int(root)] for i, root in enumerate(roots)}
    logger.info(
        "clustered %d ads into %d clusters (%d links, %d stock-text links, %d common contacts)",
        n,
        len(smallest),
        len(result.links),
        len(result.stock_links),
        len(result.common_contacts),
    )
    return result


def write_clusters_csv(path: Path, clustering: Clustering) -> int:
    """Write ``ad_id,cluster_id`` (sorted by cluster, then ad) atomically; return the rows."""
    rows = sorted(clustering.cluster_of.items(), key=lambda item: (item[1], item[0]))
    with atomic_text(path) as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(("ad_id", "cluster_id"))
        writer.writerows(rows)
    return len(rows)


def write_links_csv(path: Path, clustering: Clustering) -> int:
    """Write every link with its reason (``ad_a,ad_b,reason,detail,joined``) atomically.

    ``joined`` is ``false`` for shared stock text, which is reported but joins nothing.
    """
    rows = [(k.ad_a, k.ad_b, k.reason, k.detail, "true") for k in clustering.links]
    rows += [(k.ad_a, k.ad_b, "stock_text", k.detail, "false") for k in clustering.stock_links]
    with atomic_text(path) as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(("ad_a", "ad_b", "reason", "detail", "joined"))
        writer.writerows(rows)
    return len(rows)
