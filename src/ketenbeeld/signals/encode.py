"""Encoding identities into keyed Bloom-filter encodings, at the organisation.

Each person becomes one bit vector made of one section per schema field
(:mod:`ketenbeeld.signals.schema`). A field's value is normalised, cut into tokens
(q-grams, the parts of a date, ...) and every token sets ``k`` bits of the field's
section. Two encodings of the same person written slightly differently share most
of their bits, so a Dice coefficient per section measures how alike the values
were, without the values.

A token's bit positions are keyed random hashing (see
:mod:`ketenbeeld.signals._bloom`): a keyed hash of ``salt ‖ 0x1F ‖ token`` under the
field key (BLAKE2b in the built-in schemas, HMAC-SHA256 in schema files that do not
choose) read as 32-bit integers modulo the section size.

Hardening, and why (to be measured against a frequency attack, issue 3 item 6):

- **Keyed positions.** The positions come from a keyed hash under a key derived from
  the chain key, which the hub and any outsider lack. Without it nobody can compute
  the encoding of a candidate name and compare: the dictionary attack that breaks
  unkeyed Bloom filters does not start.
- **A key per field** (``derive_key(chain_key, "field/<name>")``). The same bigram
  in the first name and in the surname sets unrelated bits, so sections cannot be
  correlated across fields through key reuse, and an attack on one section teaches
  nothing about another.
- **Per-record salting** of the name fields (and gender) with the year of birth
  (the schema's ``salt: date_of_birth.year``). Without a salt every "Jan" has the
  same first-name section, so the frequency of each bit pattern mirrors the name's
  frequency in the population and can be aligned with public name statistics even
  without the key. With the salt, "Jan born 1990" and "Jan born 1991" have
  unrelated bits: the most common pattern is now a name-and-year, whose frequency
  distribution is far flatter and harder to align. The cost: a record whose year of
  birth is wrong in one file loses all its name similarity with the other (a
  swapped day and month does not, the year is kept); a missing year of birth salts
  with the empty string. It is a schema setting per field, so a schema can trade it
  away for robustness (the benchmark ``febrl`` schema does).
- **Not chosen yet:** balancing (encoding each bit with its complement so every
  section has the same number of ones, hiding value length) and a diffusion layer
  (XOR-ing bits of the filter into new bits, Armknecht et al. 2023). Both blur
  the per-pattern frequencies further at a cost in linkage quality; they remain
  options if the measured attack succeeds despite the salting.

Other properties: deterministic (same rows, schema and key give the same bytes);
the BSN, when present and valid, travels as ``HMAC-SHA256(derive_key(key, "bsn"),
the nine digits)`` in hex beside the Bloom filter; and no message or log line ever
contains a value from a row. Tokens repeat across records, so the positions of each
(field, salt, value) and (field, salt, token) are cached (bounded), and the bits of
a batch of records are set with numpy in one step.
"""

from __future__ import annotations

import csv
import hmac
import io
import itertools
import logging
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from ketenbeeld.errors import InputError, Problem, ValidationFailed
from ketenbeeld.signals._bloom import FieldHasher, TokenTable
from ketenbeeld.signals.encodings import EncodedRecord, write_encodings
from ketenbeeld.signals.keys import KEY_BYTES, derive_key
from ketenbeeld.signals.normalise import normalise_bsn
from ketenbeeld.signals.schema import Salt, Schema, Tokeniser

__all__ = [
    "EncodeResult",
    "EncodeSummary",
    "Encoder",
    "PersonRow",
    "encode_file",
    "encode_rows",
    "read_person_csv",
]

logger = logging.getLogger(__name__)

_CHUNK = 16384  # records whose bits are set together
_UNUSABLE_HINT = "correct these rows, or encode only the usable rows (--skip-unusable)"


def _batches(rows: Iterable[Mapping[str, str]], size: int) -> Iterator[list[Mapping[str, str]]]:
    iterator = iter(rows)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


class PersonRow(dict[str, str]):
    """One data row of a person file, keeping its row number (the header is row 1)."""

    __slots__ = ("number",)

    def __init__(self, number: int, values: Mapping[str, str]) -> None:
        super().__init__(values)
        self.number = number


@dataclass
class EncodeResult:
    """The outcome of encoding rows.

    Attributes:
        records: one encoding per usable row, in input order.
        problems: why a row is unusable (row number and field, never the value).
        ignored: values that were written but invalid in a field the row does not
            need (e.g. a postcode that cannot be Dutch); the row is encoded with
            that field empty.
    """

    records: list[EncodedRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ignored: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class EncodeSummary:
    """What :func:`encode_file` did.

    Attributes:
        rows: data rows read.
        written: encodings written.
        problems: the unusable rows that were skipped (only with ``skip_unusable``).
        ignored: invalid values in fields the rows do not need (left empty).
        schema: the schema id, e.g. ``dutch-person/3``.
        out: the encodings file.
    """

    rows: int
    written: int
    problems: list[Problem]
    ignored: list[Problem]
    schema: str
    out: Path


class Encoder:
    """Encodes person rows with one schema and chain key; reuse it to keep its caches.

    Rows are processed in batches, column by column: each field's values of a batch
    are normalised and looked up in the caches with C-level ``map`` calls, and only
    values not seen before are tokenised and hashed in Python.

    Example:
        >>> from ketenbeeld.signals.schema import load_schema
        >>> encoder = Encoder(load_schema("dutch-person"), bytes(32))
        >>> row = {"id": "r1", "first_name": "Jan", "last_name": "Jansen",
        ...        "date_of_birth": "2004-03-12"}
        >>> result = encoder.encode([row], source="example")
        >>> len(result.records[0].bits), result.problems
        (128, [])
    """

    def __init__(self, schema: Schema, chain_key: bytes) -> None:
        if len(chain_key) != KEY_BYTES:
            raise InputError(f"a chain key must be {KEY_BYTES} bytes")
        self.schema = schema
        self._hashers: list[FieldHasher] = []
        tables: dict[tuple[str, int, int, Salt | None, Tokeniser], TokenTable] = {}
        offset = 0
        for item in schema.fields:
            key = derive_key(chain_key, item.key_label)
            # Fields hashed alike (first and last name share a key) share their tokens.
            table = tables.setdefault(
                (item.key_label, item.bits, item.k, item.salt, item.tokeniser), TokenTable(item.k)
            )
            self._hashers.append(FieldHasher(item, key, offset, table, schema.hashing))
            offset += item.bits
        self._n_bits = offset
        self._bsn_key = derive_key(chain_key, "bsn")
        self._index = {item.name: i for i, item in enumerate(schema.fields)}

    def bsn_hash(self, bsn: str) -> str:
        """The keyed hash (hex) of a normalised nine-digit BSN.

        Example:
            >>> from ketenbeeld.signals.schema import load_schema
            >>> len(Encoder(load_schema("dutch-person"), bytes(32)).bsn_hash("111222333"))
            64
        """
        return hmac.digest(self._bsn_key, bsn.encode("ascii"), "sha256").hex()

    def encode(
        self,
        rows: Iterable[Mapping[str, str]],
        *,
        source: str,
        on_row: Callable[[int], None] | None = None,
    ) -> EncodeResult:
        """Encode rows; see :func:`encode_rows`."""
        result = EncodeResult()
        seen: dict[str, int] = {}
        number = 1
        done = 0
        for chunk in _batches(rows, _CHUNK):
            numbers: list[int] = []
            for row in chunk:
                number = row.number if isinstance(row, PersonRow) else number + 1
                numbers.append(number)
            self._encode_batch(chunk, numbers, source, seen, result)
            done += len(chunk)
            if on_row is not None:
                on_row(done)
        logger.info(
            "encoded %d records with %s; %d unusable rows, %d ignored values",
            len(result.records),
            self.schema.schema_id,
            len({p.location for p in result.problems}),
            len(result.ignored),
        )
        return result

    def _normalised(self, chunk: Sequence[Mapping[str, str]]) -> list[list[str | None]]:
        """Per field, the normalised value of every row ("" empty, None invalid)."""
        values: list[list[str | None]] = []
        for hasher in self._hashers:
            columns = hasher.field.columns
            if len(columns) == 1:
                try:
                    raw: list[str] = list(map(operator.itemgetter(columns[0]), chunk))
                except KeyError:  # a row without the column (an optional one)
                    raw = [r.get(columns[0]) or "" for r in chunk]
                # Each distinct raw value is normalised once (a dict is cheaper than
                # the cache's call for the many repeats).
                distinct = dict.fromkeys(raw)
                normalise = hasher.normalise_one
                for key in distinct:
                    distinct[key] = normalise(key)
                values.append(list(map(distinct.__getitem__, raw)))
            else:
                raws = [tuple([r.get(c) or "" for c in columns]) for r in chunk]
                values.append(list(map(hasher.normalise, raws)))
        return values

    def _requirements(
        self,
        values: list[list[str | None]],
        n: int,
        problems: list[tuple[int, Problem]],
        where: list[str],
        source: str,
    ) -> None:
        schema = self.schema
        help_text = f": {schema.required_help}" if schema.required_help else ""
        for group in schema.required:
            members = [self._index[name] for name in group]
            columns = [values[i] for i in members]
            if len(columns) == 1:
                missing = [r for r, value in enumerate(columns[0]) if not value]
            else:
                missing = [r for r in range(n) if not any(column[r] for column in columns)]
            for r in missing:
                invalid = [i for i in members if values[i][r] is None]
                for i in invalid:
                    item = schema.fields[i]
                    message = f"{item.name} {item.normaliser.invalid}"
                    problems.append((r, Problem(source, where[r], item.name, message)))
                if invalid:
                    continue
                if len(group) == 1:
                    message = f"{group[0]} is empty{help_text}"
                else:
                    both = "both" if len(group) == 2 else "all"
                    message = f"{' and '.join(group)} are {both} empty{help_text}"
                problems.append((r, Problem(source, where[r], "/".join(group), message)))

    def _bsn_hashes(
        self,
        chunk: Sequence[Mapping[str, str]],
        problems: list[tuple[int, Problem]],
        where: list[str],
        source: str,
    ) -> list[str | None]:
        column = self.schema.bsn_column
        if not column:
            return [None] * len(chunk)
        hashes: list[str | None] = []
        for r, row in enumerate(chunk):
            raw = row.get(column) or ""
            if not raw.strip():
                hashes.append(None)
                continue
            bsn = normalise_bsn(raw)
            hashes.append(self.bsn_hash(bsn) if bsn is not None else None)
            if bsn is None:
                digits = re.sub(r"[\s.\-]", "", raw)
                if digits.isascii() and digits.isdigit() and len(digits) in (8, 9):
                    message = f"{column} fails the 11-proef"
                else:
                    message = f"{column} is not a BSN: use its 9 digits"
                problems.append((r, Problem(source, where[r], column, message)))
        return hashes

    def _encode_batch(
        self,
        chunk: Sequence[Mapping[str, str]],
        numbers: list[int],
        source: str,
        seen: dict[str, int],
        result: EncodeResult,
    ) -> None:
        schema, n = self.schema, len(chunk)
        where = [f"row {number}" for number in numbers]
        values = self._normalised(chunk)
        problems: list[tuple[int, Problem]] = []
        self._requirements(values, n, problems, where, source)
        incomplete = problems
        problems = []
        ids = [(row.get(schema.id_column) or "").strip() for row in chunk]
        for r, record_id in enumerate(ids):
            if not record_id:
                message = f"{schema.id_column} is empty: every row needs a record id"
            elif record_id in seen:
                message = f"{schema.id_column} repeats the record id of row {seen[record_id]}"
            else:
                seen[record_id] = numbers[r]
                continue
            problems.append((r, Problem(source, where[r], schema.id_column, message)))
        bsns = self._bsn_hashes(chunk, problems, where, source)
        # A row that lacks what the Bloom filter needs but has a valid BSN is encoded by
        # its BSN hash alone (an empty filter): it links only to a record with the same
        # BSN, so it cannot cause a false link, and it is reported, not dropped.
        bsn_only = {r for r, _ in incomplete if bsns[r] is not None} - {r for r, _ in problems}
        notices = [
            (r, Problem(p.source, p.location, p.field, f"{p.message}; encoded by its BSN only"))
            for r, p in incomplete
            if r in bsn_only
        ]
        problems += [(r, p) for r, p in incomplete if r not in bsn_only]
        problems.sort(key=lambda item: item[0])
        result.problems.extend(problem for _, problem in problems)
        unusable = {r for r, _ in problems}
        keep = [r for r in range(n) if r not in unusable]
        ignored: list[tuple[int, Problem]] = list(dict.fromkeys(notices))
        for item, column in zip(schema.fields, values, strict=True):
            for r in [r for r, value in enumerate(column) if value is None]:
                if r not in unusable and r not in bsn_only:
                    message = f"{item.name} {item.normaliser.invalid}; encoded as empty"
                    ignored.append((r, Problem(source, where[r], item.name, message)))
        ignored.sort(key=lambda entry: entry[0])
        result.ignored.extend(problem for _, problem in ignored)
        if not keep:
            return
        if bsn_only:
            values = [
                ["" if r in bsn_only else value for r, value in enumerate(column)]
                for column in values
            ]
        if unusable:
            values = [[column[r] for r in keep] for column in values]
        self._set_bits(values, [ids[r] for r in keep], [bsns[r] for r in keep], result)

    def _set_bits(
        self,
        values: list[list[str | None]],
        ids: list[str],
        bsns: list[str | None],
        result: EncodeResult,
    ) -> None:
        n, width = len(ids), self._n_bits
        all_positions: list[npt.NDArray[np.int64]] = []
        all_rows: list[npt.NDArray[np.int64]] = []
        row_starts = np.arange(n, dtype=np.int64) * width
        salts: dict[Salt | None, list[str]] = {None: [""] * n}
        for hasher, column in zip(self._hashers, values, strict=True):
            salt = hasher.field.salt
            if salt not in salts and salt is not None:
                salt_of = salt.of
                salts[salt] = [salt_of(v) if v else "" for v in values[self._index[salt.field]]]
            positions, counts = hasher.column_positions(salts[salt], column)
            all_positions.append(positions)
            all_rows.append(np.repeat(row_starts, counts))
        flat = np.zeros(n * width, dtype=np.bool_)
        flat[np.concatenate(all_rows) + np.concatenate(all_positions)] = True
        data = np.packbits(flat.reshape(n, width), axis=1).tobytes()
        size = width // 8
        bits = [data[start : start + size] for start in range(0, n * size, size)]
        result.records.extend(
            map(EncodedRecord, ids, bits, itertools.repeat(self.schema.schema_id), bsns)
        )


def encode_rows(
    rows: Iterable[Mapping[str, str]],
    schema: Schema,
    chain_key: bytes,
    *,
    source: str,
    on_row: Callable[[int], None] | None = None,
) -> EncodeResult:
    """Encode person rows (column name -> text) with a schema and the chain key.

    Rows are numbered as in a CSV file: the header is row 1, the first data row is
    row 2 (a :class:`PersonRow` keeps its own number). A row is unusable when it
    lacks what the schema requires (e.g. a name and the date of birth), when a
    required value is invalid, when its record id is empty or repeated, or when its
    BSN is not valid; each such row gets one problem per reason, naming the row and
    the field but never the value. A row that lacks what the schema requires but
    has a valid BSN is encoded by its BSN hash alone (an all-zero filter, so it
    links only to the same BSN), with a notice in ``ignored``.

    Args:
        rows: the person rows.
        schema: the linkage schema.
        chain_key: the 32-byte chain key.
        source: the file name (or label) used in problems.
        on_row: progress callback, called with the number of rows done after each batch
            of rows (16,384) and at the end.

    Example:
        >>> from ketenbeeld.signals.schema import load_schema
        >>> rows = [{"id": "a", "first_name": "", "last_name": "", "date_of_birth": "1990-01-02"}]
        >>> result = encode_rows(rows, load_schema("dutch-person"), bytes(32), source="p.csv")
        >>> print(result.problems[0])
        p.csv, row 2, field first_name/last_name: first_name and last_name are both empty: \
at least one name and the date of birth are needed
    """
    return Encoder(schema, chain_key).encode(rows, source=source, on_row=on_row)


def _delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_person_csv(path: Path, schema: Schema) -> tuple[list[PersonRow], list[Problem]]:
    """Read a person file (CSV with a header) for a schema.

    The file must be UTF-8 (a byte-order mark is allowed); the delimiter (comma,
    semicolon or tab) is taken from the header line. Only the schema's columns are
    kept; other columns are never read into memory. Blank lines are skipped but
    counted, so row numbers match a spreadsheet's.

    Returns:
        The rows, and the problems: the file cannot be read, the header misses
        columns (all reported at once; no rows are returned then), or a row has
        another number of values than the header (that row is left out).

    Example:
        >>> import tempfile, pathlib
        >>> from ketenbeeld.signals.schema import load_schema
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "p.csv"
        >>> _ = path.write_text("id;first_name\\n1;Jan\\n", encoding="utf-8")
        >>> rows, problems = read_person_csv(path, load_schema("dutch-person"))
        >>> [p.field for p in problems]
        ['last_name', 'date_of_birth', 'gender', 'postcode', 'house_number', 'city']
    """
    name = path.name
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        return [], [Problem(name, "", "", "does not exist")]
    except IsADirectoryError:
        return [], [Problem(name, "", "", "is a folder, not a CSV file")]
    except OSError:
        return [], [Problem(name, "", "", "cannot be read")]
    except UnicodeDecodeError:
        return [], [Problem(name, "", "", "is not UTF-8 text: save it as CSV UTF-8")]
    first_line = text.split("\n", 1)[0]
    if not first_line.strip():
        return [], [Problem(name, "row 1", "", "needs a header row with the column names")]
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=_delimiter(first_line), strict=True
    )
    try:
        records = list(reader)
    except csv.Error:
        # Strict: an unclosed quote would otherwise swallow the rest of the file. A cell
        # over the csv module's limit (128 KiB) ends up here too.
        message = "cannot be read as CSV (a quote is not closed, or a cell is too long)"
        return [], [Problem(name, f"line {reader.line_num}", "", message)]
    header = [column.strip() for column in records[0]]
    problems: list[Problem] = []
    for column in sorted({c for c in header if c in schema.columns and header.count(c) > 1}):
        problems.append(Problem(name, "row 1", column, "appears more than once in the header"))
    missing = [c for c in schema.header_columns if c not in header]
    for column in missing:
        problems.append(
            Problem(
                name,
                "row 1",
                column,
                f"is missing from the header; the {schema.schema_id} schema reads "
                f"{', '.join(schema.header_columns)}",
            )
        )
    if problems:
        return [], problems
    wanted = [(i, c) for i, c in enumerate(header) if c in schema.columns]
    rows: list[PersonRow] = []
    for number, values in enumerate(records[1:], start=2):
        if not values or not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            problems.append(
                Problem(
                    name,
                    f"row {number}",
                    "",
                    f"has {len(values)} values where the header has {len(header)} columns",
                )
            )
            continue
        rows.append(PersonRow(number, {c: values[i] for i, c in wanted}))
    return rows, problems


def encode_file(
    path: Path,
    schema: Schema,
    chain_key: bytes,
    out: Path,
    *,
    skip_unusable: bool = False,
    on_row: Callable[[int], None] | None = None,
) -> EncodeSummary:
    """Encode a person file into an encodings file (JSONL), all or nothing by default.

    Args:
        path: the person file (CSV with a header).
        schema: the linkage schema.
        chain_key: the 32-byte chain key.
        out: the encodings file to write (atomically).
        skip_unusable: write the usable rows and return the problems of the others,
            instead of writing nothing when any row is unusable.
        on_row: progress callback, called with the number of rows done (per batch).

    Raises:
        ValidationFailed: the file or its header cannot be used, it has no usable
            rows, or (without ``skip_unusable``) any row is unusable; it lists every
            problem and nothing is written.
        InputError: ``out`` is the person file itself.

    Example:
        >>> import tempfile, pathlib
        >>> from ketenbeeld.signals.schema import load_schema
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / "p.csv").write_text(
        ...     "id,first_name,last_name,date_of_birth,gender,postcode,house_number,city\\n"
        ...     "1,Jan,Jansen,12-03-2004,m,1234 AB,12,Utrecht\\n", encoding="utf-8")
        >>> summary = encode_file(folder / "p.csv", load_schema("dutch-person"), bytes(32),
        ...                       folder / "enc.jsonl")
        >>> summary.written, summary.schema
        (1, 'dutch-person/3')
    """
    if out.resolve() == path.resolve():
        raise InputError("the encodings file must not be the person file itself")
    rows, problems = read_person_csv(path, schema)
    if problems and not rows:
        raise ValidationFailed(problems, what="nothing was written")
    malformed = len(problems)  # rows left out because their number of values is wrong
    result = encode_rows(rows, schema, chain_key, source=path.name, on_row=on_row)
    problems = sorted([*problems, *result.problems], key=_row_order)
    if problems and not skip_unusable:
        raise ValidationFailed(problems, what="nothing was written", hint=_UNUSABLE_HINT)
    if not result.records:
        problems.append(Problem(path.name, "", "", "has no usable rows"))
        raise ValidationFailed(problems, what="nothing was written")
    written = write_encodings(out, result.records)
    logger.info("wrote %d encodings to %s", written, out)
    return EncodeSummary(
        rows=len(rows) + malformed,
        written=written,
        problems=problems,
        ignored=result.ignored,
        schema=schema.schema_id,
        out=out,
    )


def _row_order(problem: Problem) -> tuple[int, str]:
    number = problem.location.removeprefix("row ")
    return (int(number) if number.isdigit() else 0, problem.field)
