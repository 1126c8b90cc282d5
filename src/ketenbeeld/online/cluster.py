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

**How it runs** (sized for a million ads in a few GiB). Shingles are one flat
``uint64`` array with the ad of each, and signatures one matrix, made a chunk of ads
at a time (``_text.py``). Candidate pairs are ``int64`` codes made from each band's
ads sorted by key and deduplicated one block of first ads at a time; their exact
Jaccard coefficients come from a sparse row product, and only the pairs that reach
``text_threshold`` are kept (``_pairs.py``). Boilerplate is counted over groups only
for shingles in more ads than the limit. Stock text and the near-identical copies
are counted with sorted codes and ``connected_components``; pairs within one contact
group and stock-text pairs are settled in numpy, so only the pairs that may join two
groups go through the union-find one by one (in pair order, so the links are a
spanning forest as before). ``Link`` objects are made only for the output.
"""

from __future__ import annotations

import csv
import itertools
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from ketenbeeld.atomic import atomic_path, atomic_text
from ketenbeeld.online import _kernels
from ketenbeeld.online._gc import paused_gc
from ketenbeeld.online._pairs import band_keys, distinct, text_pairs
from ketenbeeld.online._text import shingle_hashes, signatures
from ketenbeeld.online.indicators import AdLike
from ketenbeeld.parquet import arrow

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
    "write_clusters_parquet",
    "write_links_csv",
]

logger = logging.getLogger(__name__)

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
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


class UnionFind:
    """Union by smaller index over a Python list (item access is cheaper than numpy's)."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        parent = self.parent
        root = item
        while parent[root] != root:
            root = parent[root]
        while parent[item] != root:
            parent[item], item = root, parent[item]
        return root

    def union(self, a: int, b: int) -> bool:
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b:
            return False
        self.parent[max(root_a, root_b)] = min(root_a, root_b)
        return True

    def roots(self) -> I64:
        """Every item's root (the smallest item of its set), by pointer jumping in numpy."""
        parent = np.array(self.parent, dtype=np.int64)
        while True:
            jumped = parent[parent]
            if np.array_equal(jumped, parent):
                return parent
            parent = jumped


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


@paused_gc()
def sketch_ads(ads: Sequence[AdLike], params: ClusterParams | None = None) -> Sketches:
    """The per-ad part of clustering: shingles, body digests and MinHash signatures."""
    params = params or ClusterParams()
    hashes, docs, bodies = shingle_hashes(ads, params.shingle_words)
    sig = signatures(hashes, docs, len(ads), params.num_perm, params.seed)
    return Sketches(hashes, docs, bodies, sig)


@paused_gc()
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
    union = UnionFind(n)

    step("contacts")
    members: dict[str, list[int]] = {}
    for index, ad in enumerate(ads):
        for contact in dict.fromkeys((*ad.phones, *ad.emails, *ad.handles)):
            members.setdefault(contact, []).append(index)
    common_limit = common_contact_limit(params, n)
    result.common_contacts.extend(c for c, found in members.items() if len(found) > common_limit)
    edges = (
        (before, after, contact)
        for contact, found in members.items()
        if len(found) <= common_limit
        for before, after in itertools.pairwise(found)
    )
    join_contacts(union, ids, edges, result)
    del members
    result.common_contacts.sort()
    contact_root = union.roots()

    step("text")
    hashes, docs = sketches.hashes, sketches.docs
    boilerplate, dropped = _boilerplate(hashes, contact_root[docs], params)
    result.boilerplate_shingles = len(boilerplate)
    if len(boilerplate):
        hashes, docs = hashes[~dropped], docs[~dropped]
    del dropped
    indptr = _indptr(docs, n)
    del docs
    # Signatures cover all of an ad's shingles (they depend on the ad alone, so they can
    # be stored); boilerplate is left out of the exact check below.
    with_text = np.flatnonzero(np.bincount(sketches.docs, minlength=n) > 0)
    keys = band_keys(sketches.signatures[with_text], params.bands)
    step("candidates and verify")
    codes, similarity = text_pairs(
        keys, with_text, n, params.max_bucket, (hashes, indptr), params.text_threshold
    )
    del keys, hashes, indptr
    first, second = codes // n, codes % n
    del codes

    settle_text(
        ids, union, contact_root, (first, second, similarity), sketches.bodies, params, result, step
    )
    return result


def common_contact_limit(params: ClusterParams, n: int) -> float:
    """The most ads a contact may be in and still link them (see the module docstring)."""
    return max(params.common_contact_ads, params.common_contact_share * n)


def join_contacts(
    union: UnionFind, ids: Sequence[str], edges: Iterable[tuple[int, int, str]], result: Clustering
) -> None:
    """Join the ads of each edge ``(before, after, contact)`` in turn, adding a link for each
    join (a spanning set per contact; the order of the edges decides which)."""
    for before, after, contact in edges:
        if union.union(before, after):
            reason = "email" if "@" in contact else "phone" if contact.startswith("+") else "handle"
            result.links.append(Link(ids[before], ids[after], reason, contact))


def settle_text(
    ids: Sequence[str],
    union: UnionFind,
    contact_root: I64,
    pairs: tuple[I64, I64, F64],
    bodies: Sequence[bytes],
    params: ClusterParams,
    result: Clustering,
    step: ProgressCallback,
) -> None:
    """The steps after the verified text pairs: stock text, text links, components.

    Args:
        ids: the ad ids, by ad index.
        union: the contact groups (joined further here).
        contact_root: per ad, its contact group's root.
        pairs: the verified pairs ``(first, second, similarity)``, sorted by
            ``(first, second)`` with ``first < second``.
        bodies: per ad, the digest of its masked body.
        params: the settings.
        result: filled in: ``stock_links``, the text ``links`` and ``cluster_of``.
        step: called with the name of the last step.
    """
    first, second, similarity = pairs
    n = len(ids)
    is_stock = _stock(bodies, contact_root, first, second, similarity, params)
    # Pairs inside one contact group join nothing new; stock text between groups is
    # reported; the rest join groups in pair order (a spanning forest, as before).
    other = contact_root[first] != contact_root[second]
    stock = other & (is_stock[first] | is_stock[second])
    result.stock_links = [
        Link(ids[a], ids[b], "text", label)
        for a, b, label in zip(
            first[stock].tolist(), second[stock].tolist(), _labels(similarity[stock]), strict=True
        )
    ]
    joins = other & ~stock
    for a, b, value in zip(
        first[joins].tolist(), second[joins].tolist(), similarity[joins].tolist(), strict=True
    ):
        if union.union(a, b):
            result.links.append(Link(ids[a], ids[b], "text", f"{value:.2f}"))

    step("components")
    roots = union.roots()
    # The smallest ad id of each component names it.
    by_id = np.array(sorted(range(n), key=ids.__getitem__), dtype=np.int64)
    rank = np.empty(n, dtype=np.int64)
    rank[by_id] = np.arange(n)
    smallest = np.full(n, n, dtype=np.int64)
    np.minimum.at(smallest, roots, rank)
    names = by_id[smallest[roots]].tolist()
    result.cluster_of = {ids[i]: ids[name] for i, name in enumerate(names)}
    logger.info(
        "clustered %d ads into %d clusters (%d links, %d stock-text links, %d common contacts)",
        n,
        int(np.count_nonzero(smallest < n)),
        len(result.links),
        len(result.stock_links),
        len(result.common_contacts),
    )


def _boilerplate(hashes: U64, group: I64, params: ClusterParams) -> tuple[U64, Bools]:
    """Shingles in the ads of more than ``boilerplate_share`` of the contact groups, and
    per hash whether it is one.

    Boilerplate is counted over contact groups, not ads: an operator's own template in
    500 of its ads is evidence, a footer in the ads of 500 advertisers is not. A shingle
    is in at least as many ads as groups, so only shingles in more ads than the limit
    are counted by group. Distinct shingles are counted with a hash table
    (``_kernels.value_ids``), not a sort of all of them.
    """
    present = np.zeros(int(group.max()) + 1 if len(group) else 0, dtype=bool)
    present[group] = True
    limit = boilerplate_limit(params, int(present.sum()))
    del present
    values, counts, ids = _kernels.value_ids(hashes)
    frequent_ids = np.flatnonzero(counts > limit)
    frequent_ids = frequent_ids[np.argsort(values[frequent_ids])]
    frequent: U64 = values[frequent_ids]
    dropped = np.zeros(len(hashes), dtype=bool)
    if not len(frequent):
        return frequent, dropped
    rank = np.full(len(values), -1, dtype=np.int64)
    rank[frequent_ids] = np.arange(len(frequent_ids))
    ranks = rank[ids]
    del ids
    take = ranks >= 0
    base = int(group.max()) + 1
    pairs = distinct(ranks[take] * base + group[take])
    groups = np.bincount(pairs // base, minlength=len(frequent))
    is_boilerplate = groups > limit
    dropped[take] = is_boilerplate[ranks[take]]
    boilerplate: U64 = frequent[is_boilerplate]
    return boilerplate, dropped


def boilerplate_limit(params: ClusterParams, groups: int) -> float:
    """The most contact groups a shingle may be in and not be boilerplate, of ``groups``
    groups with text."""
    return max(params.boilerplate_min_groups, params.boilerplate_share * groups)


def _labels(values: F64) -> list[str]:
    """Each value as ``f"{value:.2f}"``, formatting each distinct value once."""
    unique, inverse = np.unique(values, return_inverse=True)
    text = [f"{value:.2f}" for value in unique.tolist()]
    return [text[index] for index in inverse.tolist()]


def _indptr(docs: I64, n: int) -> I64:
    """Where each ad's entries start in an array sorted by ad (``docs``), and the end."""
    indptr: I64 = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(docs, minlength=n), out=indptr[1:])
    return indptr


def _stock(
    bodies: Sequence[bytes],
    contact_root: I64,
    first: I64,
    second: I64,
    similarity: F64,
    params: ClusterParams,
) -> npt.NDArray[np.bool_]:
    """Per ad, whether its text is stock text (see the module docstring)."""
    n = len(bodies)
    # The same text body (contacts and numbers masked, title aside) in several separate
    # contact groups is a popular text copied by independent advertisers; it links
    # nothing. An operator's template varies its slots (names, ages) from person to
    # person, so its bodies differ.
    body_ids: dict[bytes, int] = {}
    body = np.fromiter(
        (body_ids.setdefault(digest, len(body_ids)) for digest in bodies), np.int64, n
    )
    is_stock = _spread(body, contact_root, params.stock_min_contacts)[body]
    # Copies with a typo differ from the stock text: near-identical ads (Jaccard at
    # least stock_similarity) spread over that many contact groups count as stock too.
    near = similarity >= params.stock_similarity
    if np.any(near):
        from scipy.sparse import coo_matrix
        from scipy.sparse.csgraph import connected_components

        graph = coo_matrix(
            (np.ones(int(near.sum()), dtype=np.int8), (first[near], second[near])), shape=(n, n)
        )
        _, label = connected_components(graph, directed=False)
        label = label.astype(np.int64)
        alone = np.bincount(label, minlength=n)[label] == 1
        label[alone] = -1  # a single ad is no copy of anything
        spread = _spread(label[~alone], contact_root[~alone], params.stock_min_contacts)
        is_stock[~alone] |= spread[label[~alone]]
    return is_stock


def _spread(label: I64, group: I64, minimum: int) -> npt.NDArray[np.bool_]:
    """Per label value, whether its ads are in at least ``minimum`` contact groups."""
    if not len(label):
        return np.zeros(0, dtype=bool)
    base = int(group.max()) + 1
    pairs = distinct(label * base + group)
    return np.bincount(pairs // base, minlength=int(label.max()) + 1) >= minimum


def _cluster_rows(clustering: Clustering) -> list[tuple[str, str]]:
    """``(ad_id, cluster_id)`` sorted by cluster, then ad."""
    return sorted(clustering.cluster_of.items(), key=lambda item: (item[1], item[0]))


def write_clusters_parquet(path: Path, clustering: Clustering) -> int:
    """Write the rows of :func:`write_clusters_csv` as Parquet (string columns ``ad_id``,
    ``cluster_id``) atomically, with pyarrow; return the rows."""
    pa, pq = arrow(path.name)
    rows = _cluster_rows(clustering)
    table = pa.table(
        {
            "ad_id": pa.array([row[0] for row in rows], type=pa.string()),
            "cluster_id": pa.array([row[1] for row in rows], type=pa.string()),
        }
    )
    with atomic_path(path) as temporary:
        pq.write_table(table, temporary)
    return len(rows)


def write_clusters_csv(path: Path, clustering: Clustering) -> int:
    """Write ``ad_id,cluster_id`` (sorted by cluster, then ad) atomically; return the rows."""
    rows = _cluster_rows(clustering)
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
