"""The per-ad text sketch of clustering: masked word shingles and MinHash signatures.

An ad's words are those of its folded title and text with the *slots* masked:
contacts, links, numbers and the ad's own city (see :func:`shingle_hashes`). Each
word gets a 64-bit id (BLAKE2b), and each run of ``words`` consecutive word ids a
64-bit shingle hash, hashed, sorted and deduplicated per ad in compiled code
(``_kernels.py``) over a chunk of ads at a time. The result is one
flat ``uint64`` array of every ad's distinct shingle hashes (sorted by ad, then
value) with the ad index of each; no per-ad Python sets are made.

Masking is the costly part of reading a text. Most texts hold no e-mail address,
link or web address; for them masking is equivalent to dropping the digits (every
digit is masked, and what the number pattern swallows between digits is not part of
a word), so their words are taken in one pass with ``[^\\W\\d]+`` (``[a-z_]+`` on
ASCII text) and the full mask
pattern runs only on texts with an ``@``, ``://`` or ``.me/``/``.com/``/``.nl/``.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from ketenbeeld.online import _kernels
from ketenbeeld.online.indicators import AdLike
from ketenbeeld.online.lexicon import fold

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]

_MASK = re.compile(
    r"https?://\S+|\b\w+\.(?:me|com|nl)/\S*|\S+@\S+|@\w[\w.]*|[+(]?\d[\d\s().\-/]*\d|\d"
)
# Substrings without which the contact and link alternatives of _MASK cannot match.
_MASK_NEEDS = ("@", "://", ".me/", ".com/", ".nl/")
_WORD = re.compile(r"\w+")
_LETTERS = re.compile(r"[^\W\d]+")
_ASCII_LETTERS = re.compile(r"[a-z_]+")  # the same on folded (lower-case) ASCII text
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9], dtype=np.uint64)
_CHUNK = 50_000
_MAX_WORD_IDS = 2_000_000
_MAX_WORDS = 9  # a word's id is rotated by 7 bits per position, within 64


class _WordIds(dict[str, int]):
    """word -> its 64-bit id (BLAKE2b); filled on demand, at most ``_MAX_WORD_IDS`` kept."""

    def __missing__(self, word: str) -> int:
        found = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "big")
        if len(self) < _MAX_WORD_IDS:
            self[word] = found
        return found


_word_ids = _WordIds()


@functools.lru_cache(maxsize=4096)
def _city_pattern(city: str, digits_mask: bool) -> re.Pattern[str]:
    # On a text whose digits are not yet masked, a digit next to the city is a mask
    # (not a word character), as it is in the masked text.
    word = r"[^\W\d]" if digits_mask else r"\w"
    return re.compile(rf"(?<!{word}){re.escape(city)}(?!{word})")


def _words(text: str, city: str) -> list[str]:
    """The words of the folded ``text`` with contacts, links, numbers and ``city`` masked."""
    folded = fold(text)
    if any(needed in folded for needed in _MASK_NEEDS):
        masked = _MASK.sub(" # ", folded)
        if city and city in masked:
            masked = _city_pattern(city, False).sub(" # ", masked)
        return _WORD.findall(masked)
    if city and city in folded:
        folded = _city_pattern(city, True).sub(" # ", folded)
    return (_ASCII_LETTERS if folded.isascii() else _LETTERS).findall(folded)


def _tokens(ad: AdLike) -> tuple[list[str], bytes]:
    """The ad's words (title and text, slots masked) and the digest of its masked body."""
    city = fold(ad.city).strip() if ad.city else ""
    body = _words(ad.text, city)
    title = _words(ad.title, city) if ad.title else []
    digest = hashlib.blake2b(" ".join(body).encode(), digest_size=12).digest()
    return title + body, digest


def _shingle_chunk(ads: Sequence[AdLike], words: int, first: int) -> tuple[U64, I64, list[bytes]]:
    """:func:`shingle_hashes` of one chunk of ads, ad indices counted from ``first``."""
    ids: list[int] = []
    bodies: list[bytes] = []
    lengths = np.zeros(len(ads), dtype=np.int64)
    lookup = _word_ids.__getitem__
    for index, ad in enumerate(ads):
        tokens, body = _tokens(ad)
        bodies.append(body)
        lengths[index] = len(tokens)
        ids.extend(map(lookup, tokens))
    flat = np.array(ids, dtype=np.uint64)
    del ids
    hashes, counts = _kernels.shingles(flat, lengths, words, _MIX)
    docs = np.repeat(np.arange(first, first + len(ads), dtype=np.int64), counts)
    return hashes, docs, bodies


def shingle_hashes(ads: Sequence[AdLike], words: int) -> tuple[U64, I64, list[bytes]]:
    """Per ad, the distinct 64-bit hashes of its word ``words``-grams, concatenated.

    Ads are processed ``_CHUNK`` at a time, so the Python lists of word ids stay small.

    Returns:
        ``(hashes, doc, bodies)``: hashes sorted by ad then value, the ad index of
        each, and per ad the digest of its masked text body (for stock text).

    Example:
        >>> from ketenbeeld.online.ads import parse_record
        >>> ad, _, _ = parse_record({"ad_id": "a", "text": "Bel 0612345678 nu maar"}, "x", "1")
        >>> hashes, docs, bodies = shingle_hashes([ad], 2)  # "bel nu", "nu maar"
        >>> len(hashes), docs.tolist(), len(bodies[0])
        (2, [0, 0], 12)
    """
    if not 1 <= words <= _MAX_WORDS:
        raise ValueError(f"shingles must have 1 to {_MAX_WORDS} words")
    parts = [_shingle_chunk(ads[s : s + _CHUNK], words, s) for s in range(0, len(ads), _CHUNK)]
    if not parts:
        return np.zeros(0, np.uint64), np.zeros(0, np.int64), []
    bodies = [body for part in parts for body in part[2]]
    return (
        np.concatenate([part[0] for part in parts]),
        np.concatenate([part[1] for part in parts]),
        bodies,
    )


@functools.cache
def _permutations(num_perm: int, seed: int) -> tuple[U64, U64]:
    """datasketch's affine64 permutations ``h -> a h + b mod 2^64`` for this seed."""
    from datasketch import MinHash

    a, b = MinHash(num_perm=num_perm, seed=seed, scheme="affine64").permutations
    return np.asarray(a, dtype=np.uint64), np.asarray(b, dtype=np.uint64)


def signatures(hashes: U64, docs: I64, n_docs: int, num_perm: int, seed: int) -> U64:
    """MinHash signatures (``n_docs x num_perm``); all-ones rows for ads without shingles.

    Each ad's minima are taken in one pass over its hashes (compiled), with no temporaries.
    """
    a, b = _permutations(num_perm, seed)
    out = np.full((n_docs, num_perm), np.iinfo(np.uint64).max, dtype=np.uint64)
    indptr = np.searchsorted(docs, np.arange(n_docs + 1))
    _kernels.signatures(hashes, indptr, a, b, out)
    return out
