"""Proposed codings under review: extracted from summaries, reviewed value by value, imported.

A draft keeps the summary text the proposal was made from (de-identified first when
the researcher chose so, the default in the web application) beside the proposed
coding. Each value is accepted or corrected with :func:`review_draft`, which keeps
who and when in the document's ``review`` trail (see
:func:`ketenbeeld.cases.extract.review.review_value`); :func:`import_draft` then
validates the reviewed coding and imports it like any coded case.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Boolean, DateTime, Integer, String, Text, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, mapped_column

from ketenbeeld.errors import ConflictError, InputError, NotFoundError, Problem, ValidationFailed
from ketenbeeld.storage import append_audit_event, session_scope
from ketenbeeld.storage.models import Base

if TYPE_CHECKING:
    from ketenbeeld.cases.codebook import Variable
    from ketenbeeld.cases.deidentify import Deidentifier
    from ketenbeeld.cases.store import ImportSummary

__all__ = [
    "CaseDraft",
    "DraftView",
    "create_drafts",
    "import_draft",
    "list_drafts",
    "load_draft",
    "parse_form_value",
    "review_draft",
]


class CaseDraft(Base):
    """A proposed coding of one summary, with the text it was made from."""

    __tablename__ = "case_drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[str] = mapped_column(String(100))
    source_name: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    deidentified: Mapped[bool] = mapped_column(Boolean)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20))
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime())
    updated_at: Mapped[datetime] = mapped_column(DateTime())


@dataclass(frozen=True)
class DraftView:
    """A draft as pages show it."""

    id: int
    case_id: str
    source_name: str
    text: str
    deidentified: bool
    document: dict[str, Any]
    status: str
    created_by: str
    created_at: datetime
    updated_at: datetime

    @property
    def reviewed_paths(self) -> set[str]:
        return {entry["path"] for entry in self.document.get("review", [])}


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _view(row: CaseDraft) -> DraftView:
    return DraftView(
        row.id,
        row.case_id,
        row.source_name,
        row.text,
        row.deidentified,
        dict(row.document),
        row.status,
        row.created_by,
        row.created_at,
        row.updated_at,
    )


def create_drafts(
    engine: Engine,
    texts: Sequence[tuple[str, str]],
    *,
    by: str,
    deidentifier: Deidentifier | None = None,
    reference: date | None = None,
    on_text: Callable[[int], None] | None = None,
) -> list[int]:
    """Extract a proposed coding from each ``(file name, text)``, all or nothing.

    Args:
        texts: the summaries with the names of their files (the case id is the
            file name's stem, as in ``cases extract``).
        by: who asked (kept on the drafts and in the audit log).
        deidentifier: when given, each text is de-identified first and the draft
            keeps only the de-identified text.
        reference: see :func:`ketenbeeld.cases.extract.extract_case`.
        on_text: called with the number of texts done (for progress bars).

    Returns:
        The new drafts' ids, in input order.

    Raises:
        ValidationFailed: a text is empty, or two files give the same case id
            (every problem, and nothing stored).
    """
    from ketenbeeld.cases.extract import extract_case
    from ketenbeeld.cases.extract.files import case_id_for

    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for name, text in texts:
        case_id = case_id_for(Path(name))
        if case_id in seen:
            problems.append(Problem(name, "", "", f"gives the same case id as {seen[case_id]}"))
        seen.setdefault(case_id, name)
        if not text.strip():
            problems.append(Problem(name, "", "", "is empty"))
    if problems:
        raise ValidationFailed(problems, what="nothing was extracted")
    made: list[CaseDraft] = []
    now = _now()
    for number, (name, text) in enumerate(texts, start=1):
        kept = deidentifier.deidentify(text).text if deidentifier else text
        document = extract_case(kept, case_id=case_id_for(Path(name)), reference=reference)
        made.append(
            CaseDraft(
                case_id=document["case"]["case_id"],
                source_name=Path(name).name[:200],
                text=kept,
                deidentified=deidentifier is not None,
                document=document,
                status="draft",
                created_by=by,
                created_at=now,
                updated_at=now,
            )
        )
        if on_text:
            on_text(number)
    with session_scope(engine) as session:
        session.add_all(made)
        session.flush()
        append_audit_event(
            session,
            actor=by,
            action="cases.drafts.create",
            object_type="case_draft",
            object_ref=",".join(str(row.id) for row in made),
            details={
                "n": len(made),
                "deidentified": deidentifier is not None,
                "text_sha256": [hashlib.sha256(r.text.encode()).hexdigest() for r in made],
            },
        )
        return [row.id for row in made]


def list_drafts(engine: Engine) -> list[DraftView]:
    """All drafts, newest first."""
    with session_scope(engine) as session:
        rows = session.execute(select(CaseDraft).order_by(CaseDraft.id.desc())).scalars()
        return [_view(row) for row in rows]


def load_draft(engine: Engine, draft_id: int) -> DraftView:
    """One draft.

    Raises:
        NotFoundError: there is no such draft.
    """
    with session_scope(engine) as session:
        row = session.get(CaseDraft, draft_id)
        if row is None:
            raise NotFoundError(f"there is no draft {draft_id}")
        return _view(row)


def parse_form_value(variable: Variable, raw: str) -> Any:
    """A value typed in a form, as the codebook variable's type (empty = unknown).

    The same reading as a cell of an imported CSV or XLSX file.

    Raises:
        InputError: the text is not a value of the variable (says what is allowed).
    """
    from ketenbeeld.cases.importer import convert_text

    value, reason = convert_text(variable, raw)
    if reason is not None:
        raise InputError(f"{variable.name}: {reason}")
    return value


def _variable(path: str, codebook_version: str) -> Variable:
    from ketenbeeld.cases.codebook import load_codebook

    book = load_codebook(codebook_version)
    parts = path.split(".")
    entity = {"case": book.case, "perpetrators": book.perpetrator, "victims": book.victim}.get(
        parts[0]
    )
    variable = entity.variable(parts[-1]) if entity is not None else None
    if variable is None:
        raise InputError(f"{path} is not a variable of the coding")
    return variable


def _validated(document: dict[str, Any], source: str) -> Any:
    from ketenbeeld.cases.codebook import load_codebook
    from ketenbeeld.cases.validate import validate_case

    book = load_codebook(str(document.get("codebook_version", "1")))
    case, problems = validate_case(document, book, source=source, location="")
    if problems:
        raise ValidationFailed(problems, what="the value was not kept")
    return case


def review_draft(engine: Engine, draft_id: int, path: str, raw: str, *, by: str) -> DraftView:
    """Accept (the proposed value again) or correct one value of a draft.

    Raises:
        NotFoundError: no such draft.
        ConflictError: the draft was imported already.
        InputError / ValidationFailed: the value is not allowed (nothing changes).
    """
    from ketenbeeld.cases.extract.review import review_value

    with session_scope(engine) as session:
        row = session.get(CaseDraft, draft_id)
        if row is None:
            raise NotFoundError(f"there is no draft {draft_id}")
        if row.status != "draft":
            raise ConflictError("this draft has been imported; review the case itself instead")
        document = dict(row.document)
        variable = _variable(path, str(document.get("codebook_version", "1")))
        value = parse_form_value(variable, raw)
        reviewed = review_value(document, path, value, by=by)
        _validated(reviewed, row.source_name)
        row.document = reviewed
        row.updated_at = _now()
        append_audit_event(
            session,
            actor=by,
            action="cases.drafts.review",
            object_type="case_draft",
            object_ref=str(draft_id),
            details={"path": path, "action": reviewed["review"][-1]["action"]},
        )
        session.flush()
        return _view(row)


def import_draft(engine: Engine, draft_id: int, *, by: str) -> ImportSummary:
    """Import a draft's reviewed coding as a case (replacing one with the same id).

    Raises:
        NotFoundError: no such draft.
        ConflictError: imported already.
        ValidationFailed: the coding does not validate (every problem).
    """
    from ketenbeeld.cases.importer import CaseFile
    from ketenbeeld.cases.store import import_cases

    draft = load_draft(engine, draft_id)
    if draft.status != "draft":
        raise ConflictError("this draft has been imported already")
    case = _validated(draft.document, draft.source_name)
    digest = hashlib.sha256(draft.text.encode("utf-8")).hexdigest()
    summary = import_cases(engine, [CaseFile(Path(draft.source_name), digest, (case,))], actor=by)
    with session_scope(engine) as session:
        row = session.get(CaseDraft, draft_id)
        assert row is not None
        row.status = "imported"
        row.updated_at = _now()
    return summary
