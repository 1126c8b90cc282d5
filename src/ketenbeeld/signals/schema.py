"""Linkage schemas: which columns are encoded, how, and into how many bits.

A linkage schema is data (``signals/data/<name>.yaml`` for the built-ins, or a file
of your own). It names the record id column, the optional BSN column and the
identifier fields; each field reads one or more columns, normalises them
(:mod:`ketenbeeld.signals.normalise`), cuts the result into tokens and hashes the
tokens into its own section of the encoding. The schema is validated as a whole
when it is loaded and every problem is reported at once.

Both organisations that want to link must use the same schema (name *and*
version) and the same chain key; the schema id (``dutch-person/3``) travels with
every encoding.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ketenbeeld.errors import ConfigError, Problem
from ketenbeeld.signals.layout import Layout, Section
from ketenbeeld.signals.normalise import NORMALISERS, Normaliser

__all__ = [
    "BUILTIN_SCHEMAS",
    "HASHINGS",
    "TOKENISER_KINDS",
    "Field",
    "Salt",
    "Schema",
    "Tokeniser",
    "load_schema",
    "parse_schema",
]

BUILTIN_SCHEMAS = ("dutch-person", "febrl")
TOKENISER_KINDS = ("qgrams", "exact", "date", "postcode")
HASHINGS = ("hmac-sha256", "blake2b")
"""How tokens become bit positions (see :mod:`ketenbeeld.signals._bloom`). A schema
file without ``hashing`` gets the first, so that its encodings never change."""
_SALT_PARTS = ("year",)
_SCHEMA_KEYS = frozenset(
    {"name", "version", "description", "id_column", "bsn_column", "optional_columns"}
    | {"required", "required_help", "fields", "swappable", "hashing"}
)
_FIELD_KEYS = frozenset(
    {"name", "columns", "normaliser", "tokeniser", "bits", "k", "weight", "salt", "key"}
    | {"description"}
)
_TOKENISER_KEYS = frozenset({"kind", "q", "padding"})
_MAX_BITS = 8192
_MAX_K = 64


@dataclass(frozen=True)
class Tokeniser:
    """How a normalised value is cut into the tokens that are hashed.

    Attributes:
        kind: ``qgrams`` (substrings of ``q`` characters), ``exact`` (the whole value
            as one token), ``date`` (year, decade, month, day and the unordered
            day/month pair, so a swapped day and month keeps 3 of 5 tokens) or
            ``postcode`` (the full postcode and its 4-digit area).
        q: the q-gram length (``qgrams`` only).
        padding: whether the value is padded with ``_`` on both sides, so that the
            first and last characters count as much as the middle (``qgrams`` only).
    """

    kind: str
    q: int = 2
    padding: bool = True

    def tokens(self, value: str) -> tuple[str, ...]:
        """The distinct tokens of a normalised (non-empty) value, in a fixed order.

        A one-letter value under padded q-grams is an initial: it gives only the
        token that starts a name with that letter (``"_j"``), which every name
        beginning with ``j`` also has.

        Example:
            >>> Tokeniser("qgrams").tokens("jan")
            ('_j', 'ja', 'an', 'n_')
            >>> Tokeniser("qgrams").tokens("j")
            ('_j',)
            >>> Tokeniser("date").tokens("2004-03-12")
            ('y:2004', 'c:200', 'm:03', 'd:12', 'md:03-12')
            >>> Tokeniser("postcode").tokens("1234AB")
            ('pc:1234AB', 'area:1234')
        """
        if self.kind == "qgrams":
            if self.padding and len(value) == 1 and value.isalpha():
                return (f"_{value}",)
            text = f"_{value}_" if self.padding else value
            if len(text) <= self.q:
                return (text,)
            return tuple(dict.fromkeys(text[i : i + self.q] for i in range(len(text) - self.q + 1)))
        if self.kind == "date":
            year, month, day = value[:4], value[5:7], value[8:10]
            pair = "-".join(sorted((month, day)))
            return (f"y:{year}", f"c:{year[:3]}", f"m:{month}", f"d:{day}", f"md:{pair}")
        if self.kind == "postcode":
            return (f"pc:{value}", f"area:{value[:4]}")
        return (value,)


@dataclass(frozen=True)
class Salt:
    """Which normalised value salts a field's hashing, per record.

    Attributes:
        field: the salting field, e.g. ``date_of_birth``.
        part: ``"year"`` to use only the year of a date field, or ``None`` for the
            whole normalised value.
    """

    field: str
    part: str | None = None

    def of(self, normalised: str) -> str:
        """The salt taken from the salting field's normalised value.

        Example:
            >>> Salt("date_of_birth", "year").of("2004-03-12")
            '2004'
        """
        if self.part == "year":
            return normalised[:4]
        return normalised

    def __str__(self) -> str:
        return f"{self.field}.{self.part}" if self.part else self.field


@dataclass(frozen=True)
class Field:
    """One identifier field: its columns, normalisation, tokens and bit section.

    Attributes:
        name: the field's name (also its section name in the layout).
        columns: the CSV columns it reads, in order.
        normaliser: the normaliser applied to the column values.
        tokeniser: how the normalised value is cut into tokens.
        bits: the size of the field's section (a multiple of 64).
        k: bit positions set per token.
        weight: the field's weight when per-field similarities are combined.
        salt: the per-record salt of this field's hashing, or ``None``.
        key: the label of the field's hashing key (``field/<key>``); fields that share
            it hash a value to the same bits, so they can be compared with each other.
    """

    name: str
    columns: tuple[str, ...]
    normaliser: Normaliser
    tokeniser: Tokeniser
    bits: int
    k: int
    weight: float
    salt: Salt | None = None
    key: str = ""

    @property
    def key_label(self) -> str:
        """The key derivation label of this field: ``field/<key or name>``."""
        return f"field/{self.key or self.name}"


@dataclass(frozen=True)
class Schema:
    """A loaded, validated linkage schema.

    Attributes:
        name: e.g. ``dutch-person``.
        version: e.g. ``1``; change it whenever an encoding would change.
        id_column: the column with the organisation's own record id.
        bsn_column: the column with the BSN, or ``None``; the column may be absent.
        fields: the identifier fields, in section order.
        required: groups of field names; each group needs at least one usable value.
        required_help: what a usable row needs, in words (for error messages).
        optional_columns: field columns that may be absent from a file (read as empty).
        swappable: pairs of fields that are often written in each other's place (first
            and last name); the linker also scores a pair with them crossed.
        source: where the schema came from (built-in file name or path).
        hashing: the keyed hash that turns tokens into bit positions, one of
            :data:`HASHINGS`.
    """

    name: str
    version: str
    id_column: str
    bsn_column: str | None
    fields: tuple[Field, ...]
    required: tuple[tuple[str, ...], ...] = ()
    required_help: str = ""
    optional_columns: tuple[str, ...] = ()
    swappable: tuple[tuple[str, str], ...] = ()
    source: str = ""
    hashing: str = HASHINGS[0]

    @property
    def schema_id(self) -> str:
        """Name and version, as written into every encoding: ``dutch-person/3``."""
        return f"{self.name}/{self.version}"

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column the schema reads (id, field columns, BSN), without duplicates."""
        names = [self.id_column, *(c for f in self.fields for c in f.columns)]
        if self.bsn_column:
            names.append(self.bsn_column)
        return tuple(dict.fromkeys(names))

    @property
    def header_columns(self) -> tuple[str, ...]:
        """The columns a person file must have in its header."""
        optional = {*self.optional_columns, self.bsn_column}
        return tuple(c for c in self.columns if c not in optional)

    @property
    def n_bits(self) -> int:
        """The length of an encoding in bits."""
        return sum(f.bits for f in self.fields)

    def field(self, name: str) -> Field:
        """The field called ``name`` (``KeyError`` if there is none)."""
        for item in self.fields:
            if item.name == name:
                return item
        raise KeyError(name)

    def layout(self) -> Layout:
        """The bit layout of this schema's encodings: one section per field, in order.

        Example:
            >>> layout = load_schema("dutch-person").layout()
            >>> layout.schema, layout.n_bits == load_schema("dutch-person").n_bits
            ('dutch-person/3', True)
        """
        sections: list[Section] = []
        start = 0
        for item in self.fields:
            sections.append(Section(item.name, start, start + item.bits, item.weight))
            start += item.bits
        names = [item.name for item in self.fields]
        swaps = tuple((names.index(a), names.index(b)) for a, b in self.swappable)
        return Layout(self.schema_id, tuple(sections), swaps)


def _is_name(value: Any) -> bool:
    return isinstance(value, str) and re.fullmatch(r"[a-z][a-z0-9_]*", value) is not None


def _whole(value: Any, low: int, high: int) -> int | None:
    """``value`` if it is a whole number (not a bool) from ``low`` to ``high``, else None."""
    if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
        return value
    return None


def _positive(value: Any) -> float | None:
    """``value`` as a float if it is a finite number above 0 (not a bool), else None."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        try:
            number = float(value)
        except OverflowError:  # an integer of hundreds of digits
            return None
        return number if math.isfinite(number) else None
    return None


def _parse_tokeniser(
    raw: Any, where: str, problems: list[Problem], source: str
) -> Tokeniser | None:
    if isinstance(raw, str):
        raw = {"kind": raw}
    if not isinstance(raw, dict) or raw.get("kind") not in TOKENISER_KINDS:
        problems.append(
            Problem(source, where, "tokeniser", f"kind must be one of {', '.join(TOKENISER_KINDS)}")
        )
        return None
    ok = True
    for key in sorted(set(raw) - _TOKENISER_KEYS, key=str):
        problems.append(Problem(source, where, "tokeniser", f"has an unknown key {key}"))
        ok = False
    kind = raw["kind"]
    q, padding = raw.get("q", 2), raw.get("padding", True)
    if kind != "qgrams" and ("q" in raw or "padding" in raw):
        problems.append(Problem(source, where, "tokeniser", "q and padding are for qgrams only"))
        ok = False
    if _whole(q, 1, 5) is None:
        problems.append(Problem(source, where, "tokeniser.q", "must be a whole number from 1 to 5"))
        ok = False
    if not isinstance(padding, bool):
        problems.append(Problem(source, where, "tokeniser.padding", "must be true or false"))
        ok = False
    return Tokeniser(kind, q, padding) if ok else None


def _parse_salt(raw: Any, where: str, problems: list[Problem], source: str) -> Salt | None:
    if raw is None:
        return None
    match = re.fullmatch(r"([a-z][a-z0-9_]*)(?:\.([a-z]+))?", raw) if isinstance(raw, str) else None
    if match is None or (match.group(2) is not None and match.group(2) not in _SALT_PARTS):
        problems.append(
            Problem(
                source, where, "salt", "must name another field, optionally with .year (a date)"
            )
        )
        return None
    return Salt(match.group(1), match.group(2))


def _parse_field(raw: Any, where: str, problems: list[Problem], source: str) -> Field | None:
    if not isinstance(raw, dict):
        problems.append(Problem(source, where, "", "a field must be a mapping"))
        return None
    name = raw.get("name")
    if not _is_name(name):
        problems.append(Problem(source, where, "name", "needs a snake_case name"))
        return None
    where = f"{where} ({name})"
    count = len(problems)
    for key in sorted(set(raw) - _FIELD_KEYS, key=str):
        problems.append(Problem(source, where, str(key), "is not a field setting"))
    columns = raw.get("columns")
    if isinstance(columns, str):
        columns = [columns]
    if (
        not isinstance(columns, list)
        or not columns
        or not all(isinstance(c, str) and c.strip() for c in columns)
    ):
        problems.append(Problem(source, where, "columns", "must list one or more column names"))
    raw_normaliser = raw.get("normaliser")
    normaliser = NORMALISERS.get(raw_normaliser) if isinstance(raw_normaliser, str) else None
    if normaliser is None:
        problems.append(
            Problem(source, where, "normaliser", f"must be one of {', '.join(NORMALISERS)}")
        )
    tokeniser = _parse_tokeniser(raw.get("tokeniser"), where, problems, source)
    if tokeniser is not None and normaliser is not None:
        if tokeniser.kind == "date" and not normaliser.produces_date:
            problems.append(Problem(source, where, "tokeniser", "date needs the date normaliser"))
        if tokeniser.kind == "postcode" and normaliser.name != "postcode":
            problems.append(
                Problem(source, where, "tokeniser", "postcode needs the postcode normaliser")
            )
    bits = _whole(raw.get("bits"), 64, _MAX_BITS)
    if bits is None or bits % 64:
        problems.append(
            Problem(source, where, "bits", f"must be a multiple of 64 from 64 to {_MAX_BITS}")
        )
    k = _whole(raw.get("k"), 1, _MAX_K)
    if k is None:
        problems.append(Problem(source, where, "k", f"must be a whole number from 1 to {_MAX_K}"))
    weight = _positive(raw.get("weight"))
    if weight is None:
        problems.append(Problem(source, where, "weight", "must be a number above 0"))
    salt = _parse_salt(raw.get("salt"), where, problems, source)
    key = raw.get("key", "")
    if key and not _is_name(key):
        problems.append(Problem(source, where, "key", "must be a snake_case key label"))
    if (
        len(problems) > count
        or normaliser is None
        or tokeniser is None
        or bits is None
        or k is None
        or weight is None
        or not isinstance(columns, list)
    ):
        return None
    return Field(
        name=str(name),
        columns=tuple(str(c).strip() for c in columns),
        normaliser=normaliser,
        tokeniser=tokeniser,
        bits=bits,
        k=k,
        weight=weight,
        salt=salt,
        key=str(key or ""),
    )


def _swappable(
    raw: Any, fields: list[Field], problems: list[Problem], source: str
) -> tuple[tuple[str, str], ...]:
    """Pairs of fields that may be crossed: same key, size, k, tokens and salt."""
    by_name = {item.name: item for item in fields}
    pairs: list[tuple[str, str]] = []
    if raw is not None and not isinstance(raw, list):
        problems.append(Problem(source, "", "swappable", "must be a list of field-name pairs"))
        raw = None
    for entry in raw or []:
        if not (
            isinstance(entry, list)
            and len(entry) == 2
            and all(isinstance(e, str) and e in by_name for e in entry)
        ):
            problems.append(
                Problem(source, "", "swappable", "each entry is a list of two field names")
            )
            continue
        first, second = by_name[entry[0]], by_name[entry[1]]
        same = (first.key_label, first.bits, first.k, first.tokeniser, str(first.salt)) == (
            second.key_label,
            second.bits,
            second.k,
            second.tokeniser,
            str(second.salt),
        )
        if not same:
            problems.append(
                Problem(
                    source,
                    "",
                    "swappable",
                    f"{first.name} and {second.name} need the same key, bits, k, tokeniser "
                    "and salt to be compared crosswise",
                )
            )
            continue
        pairs.append((first.name, second.name))
    return tuple(pairs)


def _column_list(raw: Any, key: str, problems: list[Problem], source: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(c, str) and c for c in raw):
        problems.append(Problem(source, "", key, "must be a list of column names"))
        return ()
    return tuple(raw)


def _raw_columns(raw_field: dict[str, Any]) -> list[str]:
    columns = raw_field.get("columns")
    columns = [columns] if isinstance(columns, str) else columns
    return [c.strip() for c in columns if isinstance(c, str)] if isinstance(columns, list) else []


def _check_references(
    raw_fields: list[Any],
    required: tuple[tuple[str, ...], ...],
    problems: list[Problem],
    source: str,
) -> None:
    """Cross-field checks, on the raw fields so that invalid fields are checked too."""
    named = [f for f in raw_fields if isinstance(f, dict) and _is_name(f.get("name"))]
    normalisers = {f["name"]: f.get("normaliser") for f in named}
    for index, item in enumerate(raw_fields, start=1):
        if item not in named or not isinstance(item.get("salt"), str):
            continue
        match = re.fullmatch(r"([a-z][a-z0-9_]*)(?:\.year)?", item["salt"])
        if match is None:
            continue  # reported by _parse_salt
        where, target = f"fields entry {index} ({item['name']})", match.group(1)
        if target == item["name"]:
            problems.append(Problem(source, where, "salt", "cannot be the field itself"))
        elif target not in normalisers:
            problems.append(Problem(source, where, "salt", f"names no field ({target})"))
        elif item["salt"].endswith(".year"):
            normaliser = NORMALISERS.get(str(normalisers[target]))
            if normaliser is None or not normaliser.produces_date:
                problems.append(
                    Problem(source, where, "salt", f".year needs a date field ({target} is not)")
                )
    for group in required:
        for name in group:
            if name not in normalisers:
                problems.append(Problem(source, "", "required", f"names no field ({name})"))


def parse_schema(raw: Any, source: str) -> Schema:
    """Validate a linkage schema given as parsed YAML; raise one error listing every problem.

    Raises:
        ConfigError: the schema is invalid; the message lists every problem, one a line.

    Example:
        >>> try:
        ...     parse_schema({"name": "x", "version": 1}, "x.yaml")
        ... except ConfigError as error:
        ...     print(error)
        the linkage schema x.yaml has 2 problem(s):
          - x.yaml, field id_column: must name the record id column
          - x.yaml, field fields: must list at least one field
    """
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: a linkage schema must be a mapping with name and fields")
    problems: list[Problem] = []
    for key in sorted(set(raw) - _SCHEMA_KEYS, key=str):
        problems.append(Problem(source, "", str(key), "is not a schema setting"))
    name = raw.get("name")
    if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9-]*", name):
        problems.append(Problem(source, "", "name", "needs a lowercase name, e.g. dutch-person"))
    version = raw.get("version")
    if isinstance(version, bool) or not (
        (isinstance(version, int) and version >= 1)
        or (isinstance(version, str) and re.fullmatch(r"[A-Za-z0-9._-]+", version))
    ):
        problems.append(Problem(source, "", "version", "needs a version, e.g. 1"))
    id_column = raw.get("id_column")
    if not isinstance(id_column, str) or not id_column.strip():
        problems.append(Problem(source, "", "id_column", "must name the record id column"))
    bsn_column = raw.get("bsn_column")
    if bsn_column is not None and not (isinstance(bsn_column, str) and bsn_column.strip()):
        problems.append(Problem(source, "", "bsn_column", "must be a column name or absent"))
    optional = _column_list(raw.get("optional_columns"), "optional_columns", problems, source)
    hashing = raw.get("hashing", HASHINGS[0])
    if hashing not in HASHINGS:
        problems.append(Problem(source, "", "hashing", f"must be one of {', '.join(HASHINGS)}"))
    required_help = raw.get("required_help", "")
    if not isinstance(required_help, str):
        problems.append(Problem(source, "", "required_help", "must be text"))
    required: list[tuple[str, ...]] = []
    raw_required = raw.get("required") or []
    if not isinstance(raw_required, list):
        problems.append(Problem(source, "", "required", "must be a list of field groups"))
        raw_required = []
    for entry in raw_required:
        group = [entry] if isinstance(entry, str) else entry
        if not isinstance(group, list) or not group or not all(isinstance(n, str) for n in group):
            problems.append(
                Problem(source, "", "required", "each entry is a field name or a list of them")
            )
            continue
        required.append(tuple(group))
    raw_fields = raw.get("fields")
    if not isinstance(raw_fields, list) or not raw_fields:
        problems.append(Problem(source, "", "fields", "must list at least one field"))
        raw_fields = []
    fields: list[Field] = []
    seen: set[str] = set()
    for index, raw_field in enumerate(raw_fields, start=1):
        parsed = _parse_field(raw_field, f"fields entry {index}", problems, source)
        name_of = raw_field.get("name") if isinstance(raw_field, dict) else None
        if isinstance(name_of, str) and name_of in seen:
            problems.append(
                Problem(source, f"fields entry {index}", "name", "is used by an earlier field")
            )
            continue
        if isinstance(name_of, str):
            seen.add(name_of)
        if parsed is not None:
            fields.append(parsed)
    _check_references(raw_fields, tuple(required), problems, source)
    field_columns = {c for f in raw_fields if isinstance(f, dict) for c in _raw_columns(f)}
    bsn_columns = {bsn_column} if isinstance(bsn_column, str) else set()
    if isinstance(id_column, str) and id_column.strip() in field_columns | bsn_columns:
        problems.append(
            Problem(source, "", "id_column", "must not also be an identifier or BSN column")
        )
    for column in optional:
        if column not in field_columns:
            problems.append(
                Problem(source, "", "optional_columns", f"names no field column ({column})")
            )
    swappable = _swappable(raw.get("swappable"), fields, problems, source)
    if problems:
        listing = "\n".join(f"  - {p}" for p in problems)
        raise ConfigError(f"the linkage schema {source} has {len(problems)} problem(s):\n{listing}")
    return Schema(
        name=str(name),
        version=str(version),
        id_column=str(id_column).strip(),
        bsn_column=str(bsn_column).strip() if bsn_column else None,
        fields=tuple(fields),
        required=tuple(required),
        required_help=str(required_help),
        optional_columns=optional,
        swappable=swappable,
        source=source,
        hashing=str(hashing),
    )


def _read_yaml(text: str, label: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"linkage schema {label}{line}: not valid YAML") from None
    except (ValueError, RecursionError):
        # PyYAML raises these for an impossible date (2019-02-30), a bad !!int or
        # !!float, or nesting too deep.
        raise ConfigError(
            f"linkage schema {label}: not valid YAML (an impossible date or number, or "
            "nesting too deep)"
        ) from None


@cache
def _builtin(name: str) -> Schema:
    file_name = f"{name}.yaml"
    resource = resources.files("ketenbeeld.signals").joinpath("data").joinpath(file_name)
    return parse_schema(_read_yaml(resource.read_text("utf-8"), file_name), file_name)


def load_schema(name_or_path: str | Path) -> Schema:
    """Load a built-in linkage schema by name or a schema file by path.

    Args:
        name_or_path: ``dutch-person``, ``febrl``, or the path of a YAML schema file.

    Raises:
        ConfigError: the name is unknown, the file cannot be read, or it is invalid.

    Example:
        >>> load_schema("dutch-person").schema_id
        'dutch-person/3'
    """
    if isinstance(name_or_path, str) and name_or_path in BUILTIN_SCHEMAS:
        return _builtin(name_or_path)
    path = Path(name_or_path)
    if not isinstance(name_or_path, Path) and path.suffix not in (".yaml", ".yml"):
        raise ConfigError(
            f"linkage schema {name_or_path} is unknown",
            hint=f"use one of {', '.join(BUILTIN_SCHEMAS)} or the path of a .yaml schema file",
        )
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise ConfigError(f"linkage schema file {path} does not exist") from None
    except (OSError, UnicodeDecodeError):
        raise ConfigError(f"linkage schema file {path} cannot be read as UTF-8 text") from None
    return parse_schema(_read_yaml(text, path.name), path.name)
