"""Reading and writing encodings: the JSONL interchange format of DESIGN.md.

One JSON object per line: ``{"id": "...", "clk": "<base64>", "schema": "dutch-person/2"}``
and, where a BSN was present, ``"bsn": "<hex>"`` (an exact keyed hash). Nothing
else about the person is in the file. ``clk`` is the bit vector, most significant
bit first within each byte (bit 0 of the encoding is the top bit of byte 0).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from ketenbeeld.atomic import atomic_text
from ketenbeeld.errors import Problem, ValidationFailed

__all__ = [
    "EncodedRecord",
    "EncodingSet",
    "pack_bits",
    "read_encodings",
    "write_encodings",
]


@dataclass(frozen=True)
class EncodedRecord:
    """One person's encoding as an organisation sends it.

    Attributes:
        id: the organisation's own record id (not an identity).
        bits: the packed bit vector (``n_bits / 8`` bytes).
        schema: the linkage schema and version, e.g. ``dutch-person/2``.
        bsn: hex keyed hash of the BSN, or ``None``.
    """

    id: str
    bits: bytes
    schema: str
    bsn: str | None = None

    def to_json(self) -> dict[str, str]:
        out = {
            "id": self.id,
            "clk": base64.b64encode(self.bits).decode("ascii"),
            "schema": self.schema,
        }
        if self.bsn is not None:
            out["bsn"] = self.bsn
        return out


@dataclass(frozen=True)
class EncodingSet:
    """Encodings loaded for linking: ids, a bit matrix and the BSN hashes.

    Attributes:
        ids: record ids, in file order.
        matrix: ``uint64`` array of shape ``(len(ids), n_bits // 64)``; word ``j``
            holds bits ``64*j .. 64*j+63`` with bit ``64*j`` as its most significant bit.
        schema: the schema all records share.
        bsn: per record the BSN hash or ``None``.
    """

    ids: tuple[str, ...]
    matrix: npt.NDArray[np.uint64]
    schema: str
    bsn: tuple[str | None, ...]

    def __len__(self) -> int:
        return len(self.ids)


def pack_bits(bits: npt.NDArray[np.bool_]) -> bytes:
    """Pack a boolean vector (length a multiple of 64) into bytes, MSB first."""
    return np.packbits(bits.astype(np.uint8)).tobytes()


def write_encodings(path: Path, records: Iterable[EncodedRecord]) -> int:
    """Write records as JSONL atomically (temporary file, then rename); return the count."""
    count = 0
    with atomic_text(path) as stream:
        for record in records:
            stream.write(json.dumps(record.to_json(), separators=(",", ":")) + "\n")
            count += 1
    return count


def _is_unicode(text: str) -> bool:
    """Whether ``text`` can be written as UTF-8 (a JSON escape such as "\\ud800" cannot)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def read_encodings(path: Path) -> EncodingSet:
    """Read an encodings file; every problem is reported at once, by line.

    Raises:
        ValidationFailed: the file is missing, a line is not valid, record ids repeat,
            or records differ in schema or length.
    """
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValidationFailed([Problem(name, "", "", "does not exist")]) from None
    except (OSError, UnicodeDecodeError):
        raise ValidationFailed([Problem(name, "", "", "cannot be read as UTF-8 text")]) from None
    problems: list[Problem] = []
    ids: list[str] = []
    rows: list[bytes] = []
    bsns: list[str | None] = []
    schemas: set[str] = set()
    seen: set[str] = set()
    width: int | None = None
    # Lines end at "\n", "\r\n" or "\r" only: a JSON string may hold U+2028 and the
    # like raw, which str.splitlines() would take for line ends.
    for number, line in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        if not line.strip():
            continue
        where = f"line {number}"
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(Problem(name, where, "", f"is not valid JSON ({exc.msg})"))
            continue
        except (ValueError, RecursionError):
            problems.append(
                Problem(
                    name, where, "", "is not valid JSON (a number too long or nested too deeply)"
                )
            )
            continue
        if not isinstance(raw, dict):
            problems.append(Problem(name, where, "", "must be an object with id and clk"))
            continue
        record_id, clk, schema, bsn = (
            raw.get("id"),
            raw.get("clk"),
            raw.get("schema"),
            raw.get("bsn"),
        )
        if not isinstance(record_id, str) or not record_id:
            problems.append(Problem(name, where, "id", "is required (a non-empty string)"))
            continue
        if not record_id.isascii() and not _is_unicode(record_id):
            problems.append(Problem(name, where, "id", "holds an unpaired surrogate escape"))
            continue
        if record_id in seen:
            problems.append(Problem(name, where, "id", "is used by an earlier line"))
        seen.add(record_id)
        try:
            bits = base64.b64decode(clk, validate=True) if isinstance(clk, str) else None
        except (binascii.Error, ValueError):
            bits = None
        if not bits or len(bits) % 8:
            problems.append(
                Problem(
                    name, where, "clk", "must be base64 of a bit vector of a multiple of 64 bits"
                )
            )
            continue
        if width is None:
            width = len(bits)
        elif len(bits) != width:
            problems.append(Problem(name, where, "clk", "has another length than the first record"))
            continue
        if not isinstance(schema, str) or not schema:
            problems.append(Problem(name, where, "schema", "is required, e.g. dutch-person/2"))
            continue
        schemas.add(schema)
        if bsn is not None and not (isinstance(bsn, str) and len(bsn) == 64):
            problems.append(Problem(name, where, "bsn", "must be a 64-character hex keyed hash"))
            continue
        ids.append(record_id)
        rows.append(bits)
        bsns.append(bsn)
    if len(schemas) > 1:
        problems.append(Problem(name, "", "schema", "records use more than one linkage schema"))
    if problems:
        raise ValidationFailed(problems, what="the encodings cannot be used")
    words = (width or 0) // 8
    buffer = np.frombuffer(b"".join(rows), dtype=">u8").reshape(len(rows), words)
    return EncodingSet(
        ids=tuple(ids),
        matrix=buffer.astype(np.uint64),
        schema=schemas.pop() if schemas else "",
        bsn=tuple(bsns),
    )
