"""Reading and writing encodings: the JSONL interchange format of DESIGN.md, or Parquet.

One JSON object per line: ``{"id": "...", "clk": "<base64>", "schema": "dutch-person/3"}``
and, where a BSN was present, ``"bsn": "<hex>"`` (an exact keyed hash). Nothing
else about the person is in the file. ``clk`` is the bit vector, most significant
bit first within each byte (bit 0 of the encoding is the top bit of byte 0).

For large runs a path ending in ``.parquet`` holds the same records as Parquet:
columns ``id`` (string), ``clk`` (binary: the same bytes, not base64), ``schema``
(string) and ``bsn`` (string, null where absent). pyarrow is imported only when a
Parquet file is used, so the CLI starts as fast as before.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from ketenbeeld.atomic import atomic_path, atomic_text
from ketenbeeld.errors import Problem, ValidationFailed
from ketenbeeld.parquet import arrow, is_parquet

__all__ = [
    "EncodedRecord",
    "EncodingSet",
    "pack_bits",
    "read_encodings",
    "write_encodings",
]

_ROWS_PER_GROUP = 65_536


@dataclass(frozen=True)
class EncodedRecord:
    """One person's encoding as an organisation sends it.

    Attributes:
        id: the organisation's own record id (not an identity).
        bits: the packed bit vector (``n_bits / 8`` bytes).
        schema: the linkage schema and version, e.g. ``dutch-person/3``.
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
    """Write records atomically (temporary file, then rename); return the count.

    A path ending in ``.parquet`` gets Parquet (columns ``id``, ``clk`` as raw bytes,
    ``schema``, ``bsn``); any other path gets JSONL.

    Example:
        >>> import tempfile, pathlib
        >>> out = pathlib.Path(tempfile.mkdtemp()) / "enc.jsonl"
        >>> write_encodings(out, [EncodedRecord("r1", bytes(8), "dutch-person/3")])
        1
        >>> out.read_text()
        '{"id":"r1","clk":"AAAAAAAAAAA=","schema":"dutch-person/3"}\\n'
    """
    if is_parquet(path):
        return _write_parquet(path, records)
    count = 0
    with atomic_text(path) as stream:
        for record in records:
            stream.write(json.dumps(record.to_json(), separators=(",", ":")) + "\n")
            count += 1
    return count


def _write_parquet(path: Path, records: Iterable[EncodedRecord]) -> int:
    pa, pq = arrow(path.name)
    schema = pa.schema(
        [
            pa.field("id", pa.string(), nullable=False),
            pa.field("clk", pa.binary(), nullable=False),
            pa.field("schema", pa.string(), nullable=False),
            pa.field("bsn", pa.string(), nullable=True),
        ]
    )
    count = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as temporary, pq.ParquetWriter(temporary, schema) as writer:
        # Row groups of a bounded size: a large run never holds two copies of everything.
        iterator = iter(records)
        while batch := list(itertools.islice(iterator, _ROWS_PER_GROUP)):
            columns = [
                [record.id for record in batch],
                [record.bits for record in batch],
                [record.schema for record in batch],
                [record.bsn for record in batch],
            ]
            writer.write_table(pa.Table.from_arrays(columns, schema=schema))
            count += len(batch)
        if not count:
            writer.write_table(schema.empty_table())
    return count


def _is_unicode(text: str) -> bool:
    """Whether ``text`` can be written as UTF-8 (a JSON escape such as "\\ud800" cannot)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class _Collector:
    """Checks records one by one (JSONL lines or Parquet rows) and gathers them."""

    def __init__(self, name: str, unit: str) -> None:
        self.name = name
        self.unit = unit
        self.problems: list[Problem] = []
        self.ids: list[str] = []
        self.rows: list[bytes] = []
        self.bsns: list[str | None] = []
        self.schemas: set[str] = set()
        self.seen: set[str] = set()
        self.width: int | None = None

    def add(
        self, where: str, record_id: object, bits: bytes | None, schema: object, bsn: object
    ) -> None:
        """Check one record; keep it, or note its first problem."""
        name = self.name
        if not isinstance(record_id, str) or not record_id:
            self.problems.append(Problem(name, where, "id", "is required (a non-empty string)"))
            return
        if not record_id.isascii() and not _is_unicode(record_id):
            self.problems.append(Problem(name, where, "id", "holds an unpaired surrogate escape"))
            return
        if record_id in self.seen:
            self.problems.append(Problem(name, where, "id", f"is used by an earlier {self.unit}"))
        self.seen.add(record_id)
        if not bits or len(bits) % 8:
            message = (
                "must be base64 of a bit vector of a multiple of 64 bits"
                if self.unit == "line"
                else "must be a bit vector of a multiple of 64 bits (8, 16, ... bytes)"
            )
            self.problems.append(Problem(name, where, "clk", message))
            return
        if self.width is None:
            self.width = len(bits)
        elif len(bits) != self.width:
            self.problems.append(
                Problem(name, where, "clk", "has another length than the first record")
            )
            return
        if not isinstance(schema, str) or not schema:
            self.problems.append(Problem(name, where, "schema", "is required, e.g. dutch-person/3"))
            return
        self.schemas.add(schema)
        if bsn is not None and not (isinstance(bsn, str) and len(bsn) == 64):
            self.problems.append(
                Problem(name, where, "bsn", "must be a 64-character hex keyed hash")
            )
            return
        self.ids.append(record_id)
        self.rows.append(bits)
        self.bsns.append(bsn)

    def result(self) -> EncodingSet:
        """The encodings, or every problem found at once."""
        problems = self.problems
        if len(self.schemas) > 1:
            problems.append(
                Problem(self.name, "", "schema", "records use more than one linkage schema")
            )
        if problems:
            raise ValidationFailed(problems, what="the encodings cannot be used")
        words = (self.width or 0) // 8
        buffer = np.frombuffer(b"".join(self.rows), dtype=">u8").reshape(len(self.rows), words)
        return EncodingSet(
            ids=tuple(self.ids),
            matrix=buffer.astype(np.uint64),
            schema=self.schemas.pop() if self.schemas else "",
            bsn=tuple(self.bsns),
        )


def read_encodings(path: Path) -> EncodingSet:
    """Read an encodings file (JSONL, or Parquet for ``.parquet``); every problem at once.

    JSONL problems are located by line, Parquet problems by row (the first row is
    row 1). Both formats of the same records give the same :class:`EncodingSet`.

    Raises:
        ValidationFailed: the file is missing, a line or row is not valid, record ids
            repeat, or records differ in schema or length; for Parquet also a file
            that is not Parquet or lacks a column or has a column of the wrong type.
    """
    if is_parquet(path):
        return _read_parquet(path)
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValidationFailed([Problem(name, "", "", "does not exist")]) from None
    except (OSError, UnicodeDecodeError):
        raise ValidationFailed([Problem(name, "", "", "cannot be read as UTF-8 text")]) from None
    collector = _Collector(name, "line")
    problems = collector.problems
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
        clk = raw.get("clk")
        try:
            bits = base64.b64decode(clk, validate=True) if isinstance(clk, str) else None
        except (binascii.Error, ValueError):
            bits = None
        collector.add(where, raw.get("id"), bits, raw.get("schema"), raw.get("bsn"))
    return collector.result()


# Arrow type names (str(type)) each column may have; an all-empty bsn column is "null".
_COLUMN_TYPES = {
    "id": ({"string", "large_string", "string_view"}, "a string column"),
    "clk": ({"binary", "large_binary", "binary_view"}, "a binary column (the raw bit vector)"),
    "schema": ({"string", "large_string", "string_view"}, "a string column"),
    "bsn": ({"string", "large_string", "string_view", "null"}, "a string column"),
}
_COLUMNS_HINT = "the columns are id, clk, schema and an optional bsn"


def _read_parquet(path: Path) -> EncodingSet:
    name = path.name
    pa, pq = arrow(name)
    if not path.exists():
        raise ValidationFailed([Problem(name, "", "", "does not exist")])
    try:
        parquet = pq.ParquetFile(path)
        arrow_schema = parquet.schema_arrow
    except (pa.ArrowException, OSError, ValueError):
        problem = Problem(name, "", "", "is not a Parquet file (or it is damaged)")
        raise ValidationFailed([problem], what="the encodings cannot be used") from None
    problems: list[Problem] = []
    for column, (allowed, kind) in _COLUMN_TYPES.items():
        index = arrow_schema.get_field_index(column)
        if index < 0:
            if column != "bsn":
                problems.append(Problem(name, "", "", f"has no column {column}; {_COLUMNS_HINT}"))
            continue
        found = arrow_schema.field(index).type
        if isinstance(found, pa.FixedSizeBinaryType) and column == "clk":
            continue
        if str(found) not in allowed:
            problems.append(Problem(name, "", column, f"must be {kind}, not {found}"))
    if problems:
        raise ValidationFailed(problems, what="the encodings cannot be used")
    columns = [c for c in _COLUMN_TYPES if arrow_schema.get_field_index(c) >= 0]
    collector = _Collector(name, "row")
    number = 0
    try:
        for batch in parquet.iter_batches(batch_size=_ROWS_PER_GROUP, columns=columns):
            values = {column: batch.column(column).to_pylist() for column in columns}
            bsns = values.get("bsn") or [None] * batch.num_rows
            for record_id, bits, schema, bsn in zip(
                values["id"], values["clk"], values["schema"], bsns, strict=True
            ):
                number += 1
                collector.add(f"row {number}", record_id, bits, schema, bsn)
    except (pa.ArrowException, OSError, ValueError):
        problem = Problem(name, f"row {number + 1}", "", "cannot be read (the file is damaged)")
        raise ValidationFailed([problem], what="the encodings cannot be used") from None
    return collector.result()
