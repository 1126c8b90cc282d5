"""Links files: CSV ``id_a,id_b,score`` or Parquet, as ``signals link --out`` writes them.

The format follows the extension (``.parquet``, else CSV). Both hold the same rows in
the same order with scores at 4 decimals, so either reads back as the same
:class:`~ketenbeeld.signals.link.Link` list; readers report every problem at once.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable
from pathlib import Path

from ketenbeeld.atomic import atomic_path, atomic_text
from ketenbeeld.errors import Problem, ValidationFailed
from ketenbeeld.parquet import arrow, is_parquet
from ketenbeeld.signals.link import Link

__all__ = [
    "LINKS_HEADER",
    "read_links",
    "read_links_csv",
    "read_links_parquet",
    "write_links",
    "write_links_csv",
    "write_links_parquet",
]

LINKS_HEADER = ("id_a", "id_b", "score")


def write_links_csv(path: Path, links: Iterable[Link]) -> int:
    """Write links as CSV ``id_a,id_b,score`` (4 decimals) atomically; return the count.

    Example:
        >>> import tempfile, pathlib
        >>> out = pathlib.Path(tempfile.mkdtemp()) / "links.csv"
        >>> write_links_csv(out, [Link("a1", "b7", 0.91234)])
        1
        >>> out.read_text()
        'id_a,id_b,score\\na1,b7,0.9123\\n'
    """
    count = 0
    with atomic_text(path, newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(LINKS_HEADER)
        for item in links:
            writer.writerow((item.id_a, item.id_b, f"{item.score:.4f}"))
            count += 1
    return count


def read_links_csv(path: Path) -> list[Link]:
    """Read a links CSV written by :func:`write_links_csv`; all problems reported at once.

    Raises:
        ValidationFailed: the file is missing, its header is not ``id_a,id_b,score``,
            or a row lacks an id or has a score outside 0..1.

    Example:
        >>> import tempfile, pathlib
        >>> out = pathlib.Path(tempfile.mkdtemp()) / "links.csv"
        >>> _ = out.write_text("id_a,id_b,score\\na1,b7,0.9123\\n")
        >>> read_links_csv(out)
        [Link(id_a='a1', id_b='b7', score=0.9123)]
    """
    name = path.name
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            text = handle.read()
    except FileNotFoundError:
        raise ValidationFailed([Problem(name, "", "", "does not exist")]) from None
    except (OSError, UnicodeDecodeError):
        raise ValidationFailed([Problem(name, "", "", "cannot be read as UTF-8 text")]) from None
    # The text as written (newline=""), so an id holding a line break or U+2028, which
    # write_links_csv quotes, reads back unchanged.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        rows = list(reader)
    except csv.Error:
        problem = Problem(name, f"line {reader.line_num}", "", "is not valid CSV (a quote is "
                          "not closed, or a value is longer than 128 KiB)")  # fmt: skip
        raise ValidationFailed([problem], what="the links cannot be used") from None
    if not rows or tuple(rows[0]) != LINKS_HEADER:
        header = ",".join(LINKS_HEADER)
        raise ValidationFailed([Problem(name, "row 1", "", f"the header must be {header}")])
    problems: list[Problem] = []
    links: list[Link] = []
    for number, row in enumerate(rows[1:], start=2):
        where = f"row {number}"
        if not row:
            continue
        if len(row) != len(LINKS_HEADER) or not row[0] or not row[1]:
            problems.append(Problem(name, where, "", "needs three values: id_a, id_b, score"))
            continue
        try:
            score = float(row[2])
        except ValueError:
            score = math.nan
        if not 0.0 <= score <= 1.0:
            problems.append(Problem(name, where, "score", "must be a number from 0 to 1"))
            continue
        links.append(Link(row[0], row[1], score))
    if problems:
        raise ValidationFailed(problems, what="the links cannot be used")
    return links


def write_links_parquet(path: Path, links: Iterable[Link]) -> int:
    """Write links as Parquet (``id_a``, ``id_b`` string, ``score`` double) atomically.

    The rows and their order are those of :func:`write_links_csv`, scores rounded to
    the same 4 decimals, so both files read back as the same links. pyarrow is
    imported only here. Returns the count.

    Example:
        >>> import tempfile, pathlib
        >>> out = pathlib.Path(tempfile.mkdtemp()) / "links.parquet"
        >>> write_links_parquet(out, [Link("a1", "b7", 0.91234)])
        1
        >>> read_links_parquet(out)
        [Link(id_a='a1', id_b='b7', score=0.9123)]
    """
    pa, pq = arrow(path.name)
    schema = pa.schema(
        [
            pa.field("id_a", pa.string(), nullable=False),
            pa.field("id_b", pa.string(), nullable=False),
            pa.field("score", pa.float64(), nullable=False),
        ]
    )
    items = list(links)
    table = pa.Table.from_arrays(
        [
            [item.id_a for item in items],
            [item.id_b for item in items],
            [round(item.score, 4) for item in items],
        ],
        schema=schema,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as temporary:
        pq.write_table(table, temporary)
    return len(items)


def read_links_parquet(path: Path) -> list[Link]:
    """Read a links Parquet file written by :func:`write_links_parquet`; all problems at once.

    Rows are numbered from 1 (Parquet has no header row).

    Raises:
        ValidationFailed: the file is missing or not Parquet, a column ``id_a``,
            ``id_b`` or ``score`` is missing or of another type, or a row lacks an id
            or has a score outside 0..1.
    """
    name = path.name
    pa, pq = arrow(name)
    what = "the links cannot be used"
    if not path.exists():
        raise ValidationFailed([Problem(name, "", "", "does not exist")])
    try:
        table = pq.ParquetFile(path).read()
    except (pa.ArrowException, OSError, ValueError):
        problem = Problem(name, "", "", "is not a Parquet file (or it is damaged)")
        raise ValidationFailed([problem], what=what) from None
    problems: list[Problem] = []
    for column, kinds, kind in (
        ("id_a", _STRING_TYPES, "a string column"),
        ("id_b", _STRING_TYPES, "a string column"),
        ("score", _NUMBER_TYPES, "a double column"),
    ):
        if column not in table.column_names:
            columns = ", ".join(LINKS_HEADER)
            problems.append(
                Problem(name, "", "", f"has no column {column}; the columns are {columns}")
            )
        elif str(table.schema.field(column).type) not in kinds:
            found = table.schema.field(column).type
            problems.append(Problem(name, "", column, f"must be {kind}, not {found}"))
    if problems:
        raise ValidationFailed(problems, what=what)
    links: list[Link] = []
    rows = zip(*(table.column(c).to_pylist() for c in LINKS_HEADER), strict=True)
    for number, (id_a, id_b, score) in enumerate(rows, start=1):
        where = f"row {number}"
        if not id_a or not id_b:
            problems.append(Problem(name, where, "", "needs three values: id_a, id_b, score"))
        elif score is None or not 0.0 <= score <= 1.0:
            problems.append(Problem(name, where, "score", "must be a number from 0 to 1"))
        else:
            links.append(Link(id_a, id_b, float(score)))
    if problems:
        raise ValidationFailed(problems, what=what)
    return links


def write_links(path: Path, links: Iterable[Link]) -> int:
    """Write links as Parquet if ``path`` ends in ``.parquet``, else as CSV; return the count."""
    if is_parquet(path):
        return write_links_parquet(path, links)
    return write_links_csv(path, links)


def read_links(path: Path) -> list[Link]:
    """Read links from Parquet if ``path`` ends in ``.parquet``, else from CSV.

    Raises:
        ValidationFailed: as :func:`read_links_parquet` or :func:`read_links_csv`.
    """
    if is_parquet(path):
        return read_links_parquet(path)
    return read_links_csv(path)


_STRING_TYPES = frozenset({"string", "large_string", "string_view"})
_NUMBER_TYPES = frozenset({"double", "float", "halffloat"})
