"""Atomic file output: a file is either wholly written or left as it was.

Every output file of Ketenbeeld (reports, encodings, links) is written to a
temporary file in the same folder, flushed to disk and then renamed over the
target, so a crash or a killed process never leaves half a file behind.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

__all__ = ["atomic_path", "atomic_text"]


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; move it into place only on success.

    For writers that want a path (e.g. a PDF renderer). The folder must exist.

    Example:
        >>> import tempfile, pathlib
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
        >>> with atomic_path(target) as temporary:
        ...     _ = temporary.write_text("done")
        >>> target.read_text()
        'done'
    """
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        with temporary.open("rb") as written:
            os.fsync(written.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


@contextmanager
def atomic_text(path: Path, *, newline: str = "\n") -> Iterator[TextIO]:
    """Yield a UTF-8 text stream whose content replaces ``path`` only on success.

    The parent folder is created if it is missing.

    Example:
        >>> import tempfile, pathlib
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "sub" / "out.csv"
        >>> with atomic_text(target) as stream:
        ...     _ = stream.write("id\\n")
        >>> target.read_text()
        'id\\n'
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with (
        atomic_path(path) as temporary,
        temporary.open("w", encoding="utf-8", newline=newline) as stream,
    ):
        yield stream
        stream.flush()
        os.fsync(stream.fileno())
