"""Keyed bit positions of one field's values: the Bloom-filter hashing of the encoder.

How a token becomes bit positions ("random hashing", Schnell, Borgs & Encarnação
2016): ``h = HMAC-SHA256(field key, salt ‖ 0x1F ‖ token)`` (a field without a salt
hashes the token alone) is read as eight big-endian 32-bit integers, and the first
``k`` of them, modulo the section size, are the token's positions. When ``k`` is
above 8, ``h`` is extended with ``SHA-256(h ‖ 1)``, ``SHA-256(h ‖ 2)``, ...: the
extension is as unpredictable as ``h`` to anyone without the key, and costs a
quarter of another HMAC. We do not use double hashing (``h1 + i·h2``): its
arithmetic progressions of positions were what Niedermeyer et al. (2014) exploited
to peel single bigrams out of Bloom filters.

Tokens and values repeat across records, so the normalised value of each raw
value, the tokens of each value and the positions of each (salt, token) and
(salt, value) are cached, each cache bounded (cleared when full).
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache
from typing import cast

import numpy as np

from ketenbeeld.signals.schema import Field

__all__ = ["FieldHasher"]

_VALUE_CACHE = 1 << 17  # (salt, value) entries per field before the cache is cleared
_TOKEN_CACHE = 1 << 16
_NORMALISE_CACHE = 1 << 16


class FieldHasher:
    """Normalisation, tokens and keyed bit positions of one field, with bounded caches.

    Positions are kept as packed little-endian int32 (absolute bit numbers in the
    encoding) so that a record's positions are a byte join, with no per-value numpy
    work; duplicates are harmless (a bit is set twice).
    """

    def __init__(self, item: Field, key: bytes, offset: int) -> None:
        self.field = item
        self.key = key
        self.offset = offset
        self.blocks = -(-item.k // 8)  # 8 positions per HMAC-SHA256 block
        self.values: dict[tuple[str, str | None], bytes] = {}
        self.tokens: dict[tuple[str, str], bytes] = {}
        function = item.normaliser.function

        def normalise(raw: tuple[str, ...]) -> str | None:
            return function(raw) if any(part.strip() for part in raw) else ""

        def normalise_one(raw: str | None) -> str | None:
            return function((raw,)) if raw and raw.strip() else ""

        self.normalise = lru_cache(maxsize=_NORMALISE_CACHE)(normalise)
        self.normalise_one = lru_cache(maxsize=_NORMALISE_CACHE)(normalise_one)
        self.tokenise = lru_cache(maxsize=_NORMALISE_CACHE)(item.tokeniser.tokens)

    def _hash_tokens(self, keys: list[tuple[str, str]]) -> list[bytes]:
        """Keyed positions of (salt, token) pairs, computed together with numpy."""
        k, blocks, salted = self.field.k, self.blocks, self.field.salt is not None
        messages = [
            (f"{salt}\x1f{token}" if salted else token).encode("utf-8") for salt, token in keys
        ]
        digest, key, sha256 = hmac.digest, self.key, hashlib.sha256
        if blocks == 1:
            data = b"".join([digest(key, m, "sha256") for m in messages])
        else:
            # More than 8 positions: extend the HMAC output h with SHA-256(h || counter).
            counters = [bytes((counter,)) for counter in range(1, blocks)]
            parts: list[bytes] = []
            for message in messages:
                mac = digest(key, message, "sha256")
                parts.append(mac)
                parts.extend([sha256(mac + c).digest() for c in counters])
            data = b"".join(parts)
        words = np.frombuffer(data, dtype=">u4").reshape(len(keys), blocks * 8)[:, :k]
        positions = (words.astype(np.int64) % self.field.bits + self.offset).astype("<i4")
        packed = positions.tobytes()
        size = 4 * k
        return [packed[start : start + size] for start in range(0, len(packed), size)]

    def _fill(self, missing: set[tuple[str, str | None]]) -> dict[tuple[str, str | None], bytes]:
        """Compute, cache and return the positions of (salt, value) pairs not cached yet."""
        tokens = {key: self.tokenise(key[1]) if key[1] else () for key in missing}
        needed = {(salt, t): None for (salt, _), toks in tokens.items() for t in toks}
        if len(self.tokens) + len(needed) > _TOKEN_CACHE:
            self.tokens.clear()
        new = [pair for pair in needed if pair not in self.tokens]
        if new:
            self.tokens.update(zip(new, self._hash_tokens(new), strict=True))
        if len(self.values) + len(tokens) > _VALUE_CACHE:
            self.values.clear()
        known = self.tokens
        computed = {
            (salt, value): b"".join([known[(salt, t)] for t in toks])
            for (salt, value), toks in tokens.items()
        }
        self.values.update(computed)
        return computed

    def column_positions(self, salts: list[str], column: list[str | None]) -> list[bytes]:
        """Per row, the absolute bit positions of its value, as packed little-endian int32.

        An empty or invalid value (``""`` or ``None``) has no positions.
        """
        keys = list(zip(salts, column, strict=True))
        found = list(map(self.values.get, keys))
        if None in found:
            # Filling may clear the cache (it is bounded), so the rows found before
            # keep what they found and the others take the freshly computed values.
            computed = self._fill(
                {key for key, got in zip(keys, found, strict=True) if got is None}
            )
            found = [
                got if got is not None else computed[key]
                for key, got in zip(keys, found, strict=True)
            ]
        return cast(list[bytes], found)
