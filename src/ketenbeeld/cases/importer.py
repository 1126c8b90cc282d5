"""Reading coded cases from JSON, JSONL, CSV and XLSX files.

Every file is read and validated before anything is written: :func:`read_case_files`
either returns all cases of all files or raises :class:`ValidationFailed` listing
every problem in every file.

Tabular files (CSV, XLSX) hold one row per person, with the columns

* ``case_id``: the investigation the row belongs to;
* ``role``: ``perpetrator`` or ``victim`` (``dader``/``slachtoffer`` also accepted),
  or ``case`` for a row that only carries case variables;
* ``person_id``: the pid or vid within the case;
* the person's variables by codebook name (``age_at_start``, ``has_debts``, ...),
  or prefixed with their entity (``victim.age_at_start``); the perpetrator's
  network role is always ``perpetrator.role``, as ``role`` names the kind of row;
* case variables prefixed ``case.`` (``case.year_start``); a case variable may be
  repeated on each of its rows but must not disagree.

Cells: empty, ``NA``, ``null``, ``onbekend`` or ``unknown`` mean "not settled"
(null). Booleans are ``true/false``, ``ja/nee``, ``yes/no`` or ``1/0``. Lists
(``addiction_types``, ``perpetrators``) are separated by ``;``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ketenbeeld.cases.codebook import Codebook, Variable
from ketenbeeld.cases.model import CodedCase
from ketenbeeld.cases.validate import validate_case
from ketenbeeld.errors import Problem, ValidationFailed

__all__ = [
    "SUPPORTED_SUFFIXES",
    "CaseFile",
    "convert_text",
    "read_case_file",
    "read_case_files",
]

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".json", ".jsonl", ".ndjson", ".csv", ".xlsx")
_NULL_TOKENS = {"", "na", "n/a", "null", "none", "onbekend", "unknown", "?"}
_TRUE_TOKENS = {"true", "ja", "yes", "1", "waar", "j", "y"}
_FALSE_TOKENS = {"false", "nee", "no", "0", "onwaar", "n"}
_ROLES = {
    "perpetrator": "perpetrator",
    "dader": "perpetrator",
    "victim": "victim",
    "slachtoffer": "victim",
    "case": "case",
    "zaak": "case",
}


@dataclass(frozen=True)
class CaseFile:
    """The cases read from one file, with the file's SHA-256 digest."""

    path: Path
    sha256: str
    cases: tuple[CodedCase, ...]


def read_case_files(
    paths: Sequence[Path],
    codebook: Codebook,
    *,
    on_case: Callable[[], None] | None = None,
) -> list[CaseFile]:
    """Read and validate every file; all or nothing.

    Args:
        paths: the input files (``.json``, ``.jsonl``, ``.ndjson``, ``.csv``, ``.xlsx``).
        codebook: the codebook to validate against.
        on_case: called once per case read (for progress bars).

    Returns:
        One :class:`CaseFile` per path, in the order given.

    Raises:
        ValidationFailed: listing every problem in every file, including a
            ``case_id`` that appears more than once across the inputs.
    """
    problems: list[Problem] = []
    files: list[CaseFile] = []
    first_seen: dict[str, str] = {}
    for path in paths:
        case_file, file_problems = read_case_file(path, codebook, on_case=on_case)
        problems.extend(file_problems)
        if case_file is None:
            continue
        for case in case_file.cases:
            where = f"{path.name}"
            if case.case_id in first_seen:
                problems.append(
                    Problem(
                        path.name,
                        "",
                        "case.case_id",
                        f"a case id appears more than once in this import (also in "
                        f"{first_seen[case.case_id]}); each case may be given once",
                    )
                )
            else:
                first_seen[case.case_id] = where
        files.append(case_file)
    if problems:
        raise ValidationFailed(
            problems,
            what="nothing was imported",
            hint="correct the listed fields and run the import again; see "
            "`ketenbeeld cases codebook` for the allowed values",
        )
    return files


def read_case_file(
    path: Path, codebook: Codebook, *, on_case: Callable[[], None] | None = None
) -> tuple[CaseFile | None, list[Problem]]:
    """Read and validate one file; return its cases or the problems found in it."""
    name = path.name
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        return None, [
            Problem(
                name, "", "", f"is not a supported file type: use {', '.join(SUPPORTED_SUFFIXES)}"
            )
        ]
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, [Problem(name, "", "", "does not exist")]
    except OSError as exc:
        return None, [Problem(name, "", "", f"cannot be read ({exc.strerror})")]
    digest = hashlib.sha256(data).hexdigest()
    if suffix == ".xlsx":
        documents, problems = _xlsx_documents(data, name, codebook)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            return None, [
                Problem(
                    name,
                    f"line {line} (byte {exc.start})",
                    "",
                    "is not UTF-8 text: save the file as UTF-8",
                )
            ]
        if suffix == ".json":
            documents, problems = _json_documents(text, name)
        elif suffix == ".csv":
            rows, unreadable = _csv_rows(text, name)
            if unreadable:
                return None, unreadable
            documents, problems = _tabular_documents(rows, name, codebook)
        else:
            documents, problems = _jsonl_documents(text, name)
    cases: list[CodedCase] = []
    for raw, location, person_locations in documents:
        case, case_problems = validate_case(
            raw,
            codebook,
            source=name,
            location=location,
            person_locations=person_locations,
        )
        problems.extend(case_problems)
        if case is not None:
            cases.append(case)
        if on_case is not None:
            on_case()
    if problems:
        return None, sorted(problems, key=_position)
    log.info("read %d cases from one %s file", len(cases), suffix)
    return CaseFile(path, digest, tuple(cases)), []


_Document = tuple[Any, str, dict[tuple[str, str], str]]
_REQUIRED = ("case_id", "role", "person_id")
_LINE_END = re.compile(r"\r\n|\r|\n")


class _ExcelSemicolon(csv.excel):
    delimiter = ";"


_EXCEL: dict[str, type[csv.Dialect]] = {
    ",": csv.excel,
    ";": _ExcelSemicolon,
    "\t": csv.excel_tab,
}
_NUMBER = re.compile(r"\d+")


def _position(problem: Problem) -> int:
    """The row, line or record number of a problem, to list problems in file order."""
    match = _NUMBER.search(problem.location)
    return int(match.group()) if match else 0


class _NotJSON(ValueError):
    """Why a text is not valid JSON, and where (line and column, when known)."""

    def __init__(self, reason: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(reason)
        self.reason, self.line, self.column = reason, line, column


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _loads(text: str) -> Any:
    """Parse strict JSON.

    ``NaN`` and ``Infinity`` (which Python accepts and databases reject) are not
    JSON; numbers too long to read and nesting too deep to follow would otherwise
    escape as a ``ValueError`` or ``RecursionError``.

    Raises:
        _NotJSON: saying why, without quoting the text.
    """
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise _NotJSON(exc.msg, exc.lineno, exc.colno) from None
    except ValueError:
        raise _NotJSON("a number is NaN, Infinity or too long") from None
    except RecursionError:
        raise _NotJSON("nested too deeply") from None


def _json_documents(text: str, name: str) -> tuple[list[_Document], list[Problem]]:
    try:
        raw = _loads(text)
    except _NotJSON as exc:
        where = f"line {exc.line} column {exc.column}" if exc.line else ""
        return [], [Problem(name, where, "", f"is not valid JSON ({exc.reason})")]
    items = raw if isinstance(raw, list) else [raw]
    return [(item, f"record {index}", {}) for index, item in enumerate(items, start=1)], []


def _jsonl_documents(text: str, name: str) -> tuple[list[_Document], list[Problem]]:
    documents: list[_Document] = []
    problems: list[Problem] = []
    # Lines end at "\n", "\r\n" or "\r" only: a JSON string may hold U+2028, U+0085
    # and the like raw, which str.splitlines() would take for line ends.
    for number, line in enumerate(_LINE_END.split(text), start=1):
        if not line.strip():
            continue
        try:
            documents.append((_loads(line), f"line {number}", {}))
        except _NotJSON as exc:
            where = f"line {number} column {exc.column}" if exc.column else f"line {number}"
            problems.append(Problem(name, where, "", f"is not valid JSON ({exc.reason})"))
    return documents, problems


def _dialect(text: str) -> Any:
    """The CSV dialect: the delimiter that splits the header into the required columns.

    Cells may hold the other delimiters (a list ``hotel, club`` in a tab-separated
    file), which can mislead a guess from the whole sample; the header cannot.
    """
    header = _LINE_END.split(text, maxsplit=1)[0]
    try:
        for delimiter in (",", ";", "\t"):
            columns = [cell.strip() for cell in next(csv.reader([header], delimiter=delimiter))]
            if all(column in columns for column in _REQUIRED):
                return _EXCEL[delimiter]
        return csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:  # no delimiter found, or a header cell over the csv module's limit
        return csv.excel


def _csv_rows(text: str, name: str) -> tuple[list[list[Any]], list[Problem]]:
    """The rows of a CSV text, or why it cannot be read."""
    # newline="": the csv module reads line ends itself (also a lone "\r", and a
    # line end inside a quoted cell).
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(text))
    try:
        return list(reader), []
    except csv.Error:
        # A cell longer than the csv module's limit (128 KiB): a problem, not a crash.
        where = f"line {reader.line_num}"
        return [], [Problem(name, where, "", "cannot be read as CSV (a cell is too long)")]


def _xlsx_documents(
    data: bytes, name: str, codebook: Codebook
) -> tuple[list[_Document], list[Problem]]:
    import openpyxl

    unreadable = [Problem(name, "", "", "is not a readable .xlsx workbook")]
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        # A damaged workbook fails deep inside openpyxl, zipfile or the XML parser
        # (BadZipFile, ParseError, KeyError, EOFError, ...): any of these is unreadable.
        return [], unreadable
    try:
        sheet = workbook.worksheets[0]
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    except Exception:
        return [], unreadable
    finally:
        workbook.close()
    return _tabular_documents(iter(rows), name, codebook)


def _cell_text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def convert_text(var: Variable, text: str) -> tuple[Any, str | None]:
    """Turn a cell's (or a form field's) text into the variable's JSON value, or give
    the reason it can't. Empty, ``onbekend``, ``null`` and the like are unknown."""
    lowered = text.strip().lower()
    if lowered in _NULL_TOKENS:
        return None, None
    if var.type == "boolean":
        if lowered in _TRUE_TOKENS:
            return True, None
        if lowered in _FALSE_TOKENS:
            return False, None
        return None, "must be true/false (ja/nee, 1/0), or empty when the file does not settle it"
    if var.type == "integer":
        try:
            return int(lowered), None
        except ValueError:
            return None, f"must be {var.allowed()}"
    if var.type in ("enum_list", "ref_list"):
        return [part.strip() for part in text.replace(",", ";").split(";") if part.strip()], None
    if var.type == "enum":
        return lowered, None
    return text.strip(), None


def _tabular_documents(
    rows: Iterable[list[Any]], name: str, codebook: Codebook
) -> tuple[list[_Document], list[Problem]]:
    problems: list[Problem] = []
    iterator = iter(rows)
    header_row = next(iterator, None)
    if header_row is None:
        return [], [Problem(name, "", "", "is empty: it needs a header row and one row per person")]
    header = [_cell_text(cell) for cell in header_row]
    required = _REQUIRED
    missing = [column for column in required if column not in header]
    if missing:
        return [], [
            Problem(
                name,
                "row 1",
                ", ".join(missing),
                "required column(s) missing: the header needs case_id, role and person_id",
            )
        ]
    person_vars = {v.name: v for v in codebook.perpetrator.variables}
    person_vars.update({v.name: v for v in codebook.victim.variables})
    case_vars = {f"case.{v.name}": v for v in codebook.case.variables if v.name != "case_id"}
    # A person variable may also carry its entity as prefix; the perpetrator's `role`
    # (in the network) must, as `role` names the kind of row.
    prefixed = {
        f"{entity.name}.{v.name}": (entity.name, v.name)
        for entity in (codebook.perpetrator, codebook.victim)
        for v in entity.variables
        if v.name != entity.key
    }
    for column in header:
        if (
            column
            and column not in required
            and column not in person_vars
            and column not in case_vars
            and column not in prefixed
        ):
            problems.append(
                Problem(
                    name,
                    "row 1",
                    column,
                    "is not a codebook variable: use person variable names (or prefixed "
                    "`perpetrator.`/`victim.`), case variables prefixed `case.`, and "
                    "case_id, role, person_id",
                )
            )
    cases: dict[str, dict[str, Any]] = {}
    locations: dict[str, dict[tuple[str, str], str]] = {}
    first_rows: dict[str, int] = {}
    for number, row in enumerate(iterator, start=2):
        cells = {
            column: _cell_text(row[i]) if i < len(row) else ""
            for i, column in enumerate(header)
            if column
        }
        if not any(cells.values()):
            continue
        where = f"row {number}"
        case_id = cells["case_id"]
        role = _ROLES.get(cells["role"].lower())
        if not case_id:
            problems.append(Problem(name, where, "case_id", "is required"))
            continue
        if role is None:
            problems.append(
                Problem(
                    name,
                    where,
                    "role",
                    "must be perpetrator, victim or case (dader, slachtoffer, zaak)",
                )
            )
            continue
        document = cases.setdefault(
            case_id, {"case": {"case_id": case_id}, "perpetrators": [], "victims": []}
        )
        first_rows.setdefault(case_id, number)
        for column, var in case_vars.items():
            if column not in cells:
                continue
            value, error = convert_text(var, cells[column])
            if error:
                problems.append(Problem(name, where, column, error))
                continue
            if value is None:
                continue
            previous = document["case"].get(var.name)
            if previous is not None and previous != value:
                problems.append(
                    Problem(name, where, column, "disagrees with an earlier row of the same case")
                )
            document["case"][var.name] = value
        if role == "case":
            continue
        entity = codebook.perpetrator if role == "perpetrator" else codebook.victim
        person: dict[str, Any] = {entity.key: cells["person_id"] or None}

        def not_applicable(column: str, where: str = where, kind: str = entity.name) -> Problem:
            return Problem(name, where, column, f"does not apply to a {kind}: leave it empty")

        for column, text in cells.items():
            if column in prefixed:
                of, variable = prefixed[column]
                if of != entity.name:
                    if text and convert_text(person_vars[variable], text)[0] is not None:
                        problems.append(not_applicable(column))
                    continue
                plain = cells.get(variable, "") if variable not in required else ""
                if plain and text and plain != text:
                    problems.append(
                        Problem(name, where, column, f"disagrees with the column {variable}")
                    )
                    continue
                column = variable
            elif column in required or column in case_vars or column not in person_vars:
                continue
            elif not text and cells.get(f"{entity.name}.{column}"):
                continue  # given in the prefixed column
            own = entity.variable(column)
            if own is None:
                if convert_text(person_vars[column], text)[0] is not None:
                    problems.append(not_applicable(column))
                continue
            if own.name == entity.key:
                continue
            value, error = convert_text(own, text)
            if error:
                problems.append(Problem(name, where, column, error))
                continue
            person[own.name] = value
        document["perpetrators" if role == "perpetrator" else "victims"].append(person)
        locations.setdefault(case_id, {})[(entity.name, cells["person_id"])] = where
    documents: list[_Document] = [
        (document, f"row {first_rows[case_id]}", locations.get(case_id, {}))
        for case_id, document in cases.items()
    ]
    return documents, problems
