"""pyarrow for the Parquet files of large runs, imported only when one is used.

Encodings, links and ads are read and written as Parquet when a path ends in
``.parquet`` (see docs/cli.md, "Parquet files for large runs"); everything else
keeps the command start-up free of pyarrow.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from ketenbeeld.errors import InputError

__all__ = ["PARQUET_SUFFIX", "arrow", "is_parquet"]

PARQUET_SUFFIX = ".parquet"


def is_parquet(path: Path) -> bool:
    """Whether ``path`` names a Parquet file (by its extension, in any case)."""
    return path.suffix.lower() == PARQUET_SUFFIX


def arrow(name: str) -> tuple[Any, Any]:
    """``(pyarrow, pyarrow.parquet)`` for the file ``name``.

    Raises:
        InputError: pyarrow is not installed (it is a dependency; a broken install).
    """
    # importlib: pyarrow ships no type information, and its modules are used as Any.
    try:
        pyarrow = importlib.import_module("pyarrow")
        parquet = importlib.import_module("pyarrow.parquet")
    except ImportError:  # pragma: no cover - pyarrow is a dependency
        raise InputError(
            f"{name}: Parquet files need the pyarrow package", hint="pip install pyarrow"
        ) from None
    return pyarrow, parquet
