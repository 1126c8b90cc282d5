"""``cases extract`` on files: read every summary, extract, validate, write one JSON each.

All or nothing: every input is read (UTF-8) before anything is written, and each
extracted case is validated against the codebook before its file is written
(atomically), so the output folder never holds a half-written or invalid case.
The case id is the file name without its extension, made safe for the codebook's
pattern (letters, digits and ``. _ / -``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from ketenbeeld.atomic import atomic_text
from ketenbeeld.cases.codebook import load_codebook
from ketenbeeld.cases.extract.core import extract_case
from ketenbeeld.cases.validate import validate_case
from ketenbeeld.errors import InputError, Problem, ValidationFailed

__all__ = ["case_id_for", "extract_files", "read_texts"]


def case_id_for(path: Path) -> str:
    """The case id for a summary file: its stem, with unsafe characters as ``-``.

    Example:
        >>> case_id_for(Path("zaak 2019 (oost).txt"))
        'zaak-2019-oost'
    """
    safe = re.sub(r"[^A-Za-z0-9._/-]+", "-", path.stem).strip("-._/")
    return (safe or "case")[:100]


def read_texts(paths: Sequence[Path]) -> list[str]:
    """The texts of the files, or every problem at once (nothing is read half).

    Raises:
        ValidationFailed: a file is missing, unreadable, not UTF-8 or empty; two
            inputs would get the same case id.
    """
    problems: list[Problem] = []
    texts: list[str] = []
    seen: dict[str, Path] = {}
    for path in paths:
        case_id = case_id_for(path)
        if case_id in seen:
            problems.append(
                Problem(path.name, "", "", f"gives the same case id as {seen[case_id].name}")
            )
        seen.setdefault(case_id, path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            problems.append(Problem(path.name, "", "", "does not exist"))
            continue
        except UnicodeDecodeError:
            problems.append(Problem(path.name, "", "", "is not UTF-8 text"))
            continue
        except OSError:
            problems.append(Problem(path.name, "", "", "cannot be read"))
            continue
        if not text.strip():
            problems.append(Problem(path.name, "", "", "is empty"))
        texts.append(text.lstrip("\ufeff"))
    if problems:
        raise ValidationFailed(problems, what="nothing was extracted")
    return texts


def extract_files(
    paths: Sequence[Path],
    out: Path,
    *,
    reference: date | None = None,
    on_file: Callable[[], None] | None = None,
) -> list[Path]:
    """Extract a coded case from each summary into ``out/<case id>.json``.

    Returns:
        The files written, in input order.

    Raises:
        ValidationFailed: an input cannot be read (see :func:`read_texts`), or an
            extracted case does not validate (a bug in the rules: reported, not written).
        InputError: ``out`` exists and is not a folder.
    """
    if out.exists() and not out.is_dir():
        raise InputError(f"{out} is not a folder", hint="give --out a folder to write into")
    texts = read_texts(paths)
    codebook = load_codebook("1")
    documents = []
    problems: list[Problem] = []
    for path, text in zip(paths, texts, strict=True):
        document = extract_case(text, case_id=case_id_for(path), reference=reference)
        _, found = validate_case(document, codebook, source=path.name, location="extracted case")
        problems.extend(found)
        documents.append(document)
        if on_file is not None:
            on_file()
    if problems:
        raise ValidationFailed(problems, what="an extracted case is not valid; nothing was written")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path, document in zip(paths, documents, strict=True):
        target = out / f"{case_id_for(path)}.json"
        with atomic_text(target) as stream:
            stream.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
        written.append(target)
    return written
