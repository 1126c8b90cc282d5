"""Keyed bit positions of one field's values: the Bloom-filter hashing of the encoder.

How a token becomes bit positions ("random hashing", Schnell, Borgs & Encarnação
2016): a keyed hash of ``salt ‖ 0x1F ‖ token`` (a field without a salt hashes the
token alone) under the field's key is read as big-endian 32-bit integers, and the
first ``k`` of them, modulo the section size, are the token's positions. The
schema's ``hashing`` chooses the keyed hash:

- ``blake2b`` (the built-in schemas): BLAKE2b in its keyed mode (a PRF, RFC 7693)
  with a digest of ``4·k`` bytes; above 16 positions (BLAKE2b's 64-byte limit) block
  ``j`` of up to 16 more positions is a separate BLAKE2b with the personalisation
  parameter set to the byte ``j``. One call per token, about a quarter of the cost of
  the HMAC below in CPython.
- ``hmac-sha256`` (a schema file that does not say): ``h = HMAC-SHA256(key,
  message)``, eight positions; when ``k`` is above 8, ``h`` is extended with
  ``SHA-256(h ‖ 1)``, ``SHA-256(h ‖ 2)``, ...: as unpredictable as ``h`` to anyone
  without the key.

Both are pseudorandom functions of the token to anyone without the key, which is all
the hardening needs. We do not use double hashing (``h1 + i·h2``): its arithmetic
progressions of positions were what Niedermeyer et al. (2014) exploited to peel
single bigrams out of Bloom filters.

Tokens and values repeat across records, so the normalised value of each raw
value and the positions of each (salt, token) are cached, each cache bounded
(cleared when full). Q-gram fields (q of 1 or 2, all the built-in schemas' name,
address and number fields) are cut into tokens for a whole batch at once with
numpy: the values' characters as code points, each q-gram as one integer with the
salt's number in its high bits, one ``np.unique`` over the batch, and a table of
positions per (salt, q-gram) that only new q-grams are hashed into. A q-gram that
occurs twice in a value sets the same bits twice, so the encoding is exactly that of
hashing the value's distinct tokens. Other tokenisers (dates, postcodes, whole
values) keep a cache of positions per (salt, value).
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache
from typing import cast

import numpy as np
import numpy.typing as npt

from ketenbeeld.signals.schema import HASHINGS, Field

__all__ = ["FieldHasher", "TokenTable"]

_VALUE_CACHE = 1 << 17  # (salt, value) entries per field before the cache is cleared
_TOKEN_CACHE = 1 << 18
_NORMALISE_CACHE = 1 << 16
_CHAR_BITS = 21  # a Unicode code point fits 21 bits
_SALT_SHIFT = 2 * _CHAR_BITS  # the salt's number sits above two characters

Positions = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]
"""Flat absolute bit positions of a column's rows, and how many belong to each row."""


def _keyed(base: hashlib.blake2b, message: bytes) -> bytes:
    """The digest of ``message`` under a keyed hash object (copied, not changed)."""
    copy = base.copy()
    copy.update(message)
    return copy.digest()


class TokenTable:
    """Section-relative positions of (salt, q-gram) tokens, as rows of one table.

    Attributes:
        rows: ``salt number << 42 | q-gram code`` -> row of ``table``.
        salt_numbers: salt -> its number in the codes.
        table: one row of ``k`` positions per token (grown as needed).
    """

    def __init__(self, k: int) -> None:
        self.rows: dict[int, int] = {}
        self.salt_numbers: dict[str, int] = {}
        self.table = np.empty((1024, k), dtype=np.int32)


class FieldHasher:
    """Normalisation, tokens and keyed bit positions of one field, with bounded caches.

    Positions are kept as packed little-endian int32 (absolute bit numbers in the
    encoding) so that a record's positions are a byte join, with no per-value numpy
    work; duplicates are harmless (a bit is set twice).
    """

    def __init__(
        self,
        item: Field,
        key: bytes,
        offset: int,
        shared: TokenTable | None = None,
        hashing: str = HASHINGS[0],
    ) -> None:
        self.field = item
        self.key = key
        self.offset = offset
        self.hashing = hashing
        if hashing == "blake2b":
            # A keyed BLAKE2b per block of up to 16 positions, copied per token.
            sizes = [min(16, item.k - start) for start in range(0, item.k, 16)]
            self._blake = [
                hashlib.blake2b(key=key, digest_size=4 * size, person=bytes((block,)))
                for block, size in enumerate(sizes)
            ]
            self.blocks = len(sizes)
        elif hashing == "hmac-sha256":
            self.blocks = -(-item.k // 8)  # 8 positions per HMAC-SHA256 block
        else:
            raise ValueError(f"unknown hashing {hashing!r}")
        self.values: dict[tuple[str, str | None], bytes] = {}
        self.tokens: dict[tuple[str, str], bytes] = {}
        tokeniser = item.tokeniser
        self.vectorised = tokeniser.kind == "qgrams" and tokeniser.q in (1, 2)
        # The q-gram path: positions per (salt, q-gram), shared with the other fields
        # hashed alike (same key, section size, k and salt; e.g. first and last name).
        self.shared = shared if shared is not None else TokenTable(item.k)
        function = item.normaliser.function

        def normalise(raw: tuple[str, ...]) -> str | None:
            return function(raw) if "".join(raw).strip() else ""

        def normalise_one(raw: str | None) -> str | None:
            return function((raw,)) if raw and raw.strip() else ""

        self.normalise = lru_cache(maxsize=_NORMALISE_CACHE)(normalise)
        self.normalise_one = lru_cache(maxsize=_NORMALISE_CACHE)(normalise_one)
        self.tokenise = lru_cache(maxsize=_NORMALISE_CACHE)(item.tokeniser.tokens)

    def _hash_tokens(self, keys: list[tuple[str, str]], offset: int | None = None) -> list[bytes]:
        """Keyed positions of (salt, token) pairs, computed together with numpy."""
        k, blocks, salted = self.field.k, self.blocks, self.field.salt is not None
        messages = [
            (f"{salt}\x1f{token}" if salted else token).encode("utf-8") for salt, token in keys
        ]
        digest, key, sha256 = hmac.digest, self.key, hashlib.sha256
        if self.hashing == "blake2b":
            data = b"".join([_keyed(base, m) for m in messages for base in self._blake])
            width = k
        elif blocks == 1:
            data = b"".join([digest(key, m, "sha256") for m in messages])
            width = 8
        else:
            # More than 8 positions: extend the HMAC output h with SHA-256(h || counter).
            counters = [bytes((counter,)) for counter in range(1, blocks)]
            parts: list[bytes] = []
            for message in messages:
                mac = digest(key, message, "sha256")
                parts.append(mac)
                parts.extend([sha256(mac + c).digest() for c in counters])
            data = b"".join(parts)
            width = blocks * 8
        words = np.frombuffer(data, dtype=">u4").reshape(len(keys), width)[:, :k]
        offset = self.offset if offset is None else offset
        positions = (words.astype(np.int64) % self.field.bits + offset).astype("<i4")
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

    def column_positions(self, salts: list[str], column: list[str | None]) -> Positions:
        """The absolute bit positions of each row's value, flat, and their count per row.

        An empty or invalid value (``""`` or ``None``) has no positions.
        """
        if self.vectorised:
            return self._qgram_positions(salts, column)
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
        packed = cast(list[bytes], found)
        counts = np.fromiter(map(len, packed), dtype=np.int64, count=len(packed)) // 4
        positions = np.frombuffer(b"".join(packed), dtype="<i4").astype(np.int64)
        return positions, counts

    def _qgram_positions(self, salts: list[str], column: list[str | None]) -> Positions:
        n, k = len(column), self.field.k
        # Number the distinct (salt, value) pairs; empty and invalid values get -1.
        value_salts: list[str] | str
        if self.field.salt is None:
            values = [value for value in dict.fromkeys(column) if value]
            numbers: dict[str | None, int] = {value: i for i, value in enumerate(values)}
            numbers[""] = numbers[None] = -1
            found = list(map(numbers.__getitem__, column))
            value_salts = ""
        else:
            pairs = list(zip(salts, column, strict=True))
            index = [(salt, value) for salt, value in dict.fromkeys(pairs) if value]
            salted = dict.fromkeys(pairs, -1)
            salted.update((pair, i) for i, pair in enumerate(index))
            found = list(map(salted.__getitem__, pairs))
            value_salts = [salt for salt, _ in index]
            values = [value for _, value in index]
        if not values:
            return np.empty(0, dtype=np.int64), np.zeros(n, dtype=np.int64)
        codes = np.array(found, dtype=np.int64)
        token_rows, starts, counts = self._value_tokens(value_salts, values)
        per_row = np.where(codes >= 0, counts[codes], 0)
        total = int(per_row.sum())
        # For each row, the token rows of its value: a ragged gather.
        begin = np.cumsum(per_row) - per_row
        picks = np.repeat(np.where(codes >= 0, starts[codes], 0) - begin, per_row)
        picks += np.arange(total, dtype=np.int64)
        positions = self.shared.table[token_rows[picks]].ravel() + self.offset
        return positions, per_row * k

    def _value_tokens(
        self, salts: list[str] | str, values: list[str]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """For distinct (salt, value) pairs (one salt for all, or one per value): the
        table rows of their tokens (flat), where each value's rows start, and how
        many it has."""
        tokeniser = self.field.tokeniser
        q, pad = tokeniser.q, tokeniser.padding
        texts = [f"_{value}_" for value in values] if pad else values
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        # Every q-gram of each text, except (see Tokeniser.tokens): a padded one-letter
        # value (an initial) has only its first q-gram ("_j"), and a text shorter
        # than q is one token, the text itself.
        grams = np.maximum(lengths - q + 1, 1)
        if pad:
            for row in np.flatnonzero(lengths == 3).tolist():  # "_j_": a one-letter value
                if values[row].isalpha():
                    grams[row] = 1
        short = lengths < q
        chars = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        text_starts = np.cumsum(lengths) - lengths
        total = int(grams.sum())
        value_starts = np.cumsum(grams) - grams
        at = np.repeat(text_starts - value_starts, grams) + np.arange(total, dtype=np.int64)
        if q == 2:
            nxt = np.minimum(at + 1, len(chars) - 1)
            second = np.where(np.repeat(short, grams), np.uint64(0), chars[nxt])
            gram = (chars[at] << np.uint64(_CHAR_BITS)) | second
        else:
            gram = chars[at]
        numbers = self.shared.salt_numbers
        if len(numbers) + len(values) >= 1 << (64 - _SALT_SHIFT):
            numbers.clear()
            self.shared.rows.clear()
        if isinstance(salts, str):
            gram |= np.uint64(numbers.setdefault(salts, len(numbers)) << _SALT_SHIFT)
        else:
            salt_of = np.fromiter(
                (numbers.setdefault(salt, len(numbers)) for salt in salts),
                dtype=np.uint64,
                count=len(values),
            )
            gram |= np.repeat(salt_of, grams) << np.uint64(_SALT_SHIFT)
        unique, inverse = np.unique(gram, return_inverse=True)
        rows = self._token_rows(unique)
        return rows[inverse.ravel()], value_starts, grams

    def _token_rows(self, codes: npt.NDArray[np.uint64]) -> npt.NDArray[np.int64]:
        """Table rows of (salt number, q-gram) codes, hashing the tokens not seen yet."""
        shared = self.shared
        known = shared.rows
        wanted = codes.tolist()
        if len(known) + len(wanted) > _TOKEN_CACHE:
            known.clear()
        new = [code for code in wanted if code not in known]
        if new:
            salts = {number: salt for salt, number in shared.salt_numbers.items()}
            mask = (1 << _CHAR_BITS) - 1
            pairs = []
            for code in new:
                if self.field.tokeniser.q == 1:
                    token = chr(code & mask)
                else:
                    # A text shorter than q is one token of its own: no second character.
                    first, second = (code >> _CHAR_BITS) & mask, code & mask
                    token = chr(first) + chr(second) if second else chr(first)
                pairs.append((salts[code >> _SALT_SHIFT], token))
            size = len(known)
            if size + len(new) > len(shared.table):
                bigger = np.empty((2 * (size + len(new)), self.field.k), dtype=np.int32)
                bigger[:size] = shared.table[:size]
                shared.table = bigger
            packed = np.frombuffer(b"".join(self._hash_tokens(pairs, offset=0)), dtype="<i4")
            shared.table[size : size + len(new)] = packed.reshape(len(new), self.field.k)
            known.update(zip(new, range(size, size + len(new)), strict=True))
        return np.fromiter(map(known.__getitem__, wanted), dtype=np.int64, count=len(wanted))
