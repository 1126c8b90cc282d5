"""Coded cases in the database: all-or-nothing import, replace by case id, load."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, delete, func, insert, select
from sqlalchemy.orm import Session

from ketenbeeld.cases.importer import CaseFile
from ketenbeeld.cases.model import CodedCase
from ketenbeeld.errors import InputError, NotFoundError
from ketenbeeld.storage import CaseRecord, ImportBatch, append_audit_event, session_scope

__all__ = [
    "CaseSummary",
    "ImportSummary",
    "count_cases",
    "delete_cases",
    "import_cases",
    "list_cases",
    "load_case",
    "load_cases",
]

log = logging.getLogger(__name__)

# Rows per INSERT statement: large enough to be fast, small enough for PostgreSQL's
# bound-parameter limit (65,535) with ten columns per row.
_BATCH = 2000


@dataclass(frozen=True)
class ImportSummary:
    """What an import did.

    Attributes:
        import_id: id of the import batch.
        n_files: files read.
        n_cases: cases written.
        n_new: cases that were not in the database before.
        n_replaced: cases that replaced an earlier import of the same ``case_id``.
    """

    import_id: int
    n_files: int
    n_cases: int
    n_new: int
    n_replaced: int


def import_cases(engine: Engine, files: Sequence[CaseFile], *, actor: str) -> ImportSummary:
    """Write the cases of ``files`` in one transaction; a case with a known id replaces it.

    Either every case is written (and one audit event records the import) or, on any
    error or a killed process, nothing is: the database stays as it was.

    Args:
        engine: the database.
        files: validated files from :func:`ketenbeeld.cases.importer.read_case_files`.
        actor: who imports (recorded in the audit log).

    Returns:
        An :class:`ImportSummary`.
    """
    cases = [case for case_file in files for case in case_file.cases]
    case_ids = [case.case_id for case in cases]
    with session_scope(engine) as session:
        existing: set[str] = set()
        for start in range(0, len(case_ids), _BATCH):
            chunk = case_ids[start : start + _BATCH]
            existing.update(
                session.execute(
                    select(CaseRecord.case_id).where(CaseRecord.case_id.in_(chunk))
                ).scalars()
            )
            session.execute(delete(CaseRecord).where(CaseRecord.case_id.in_(chunk)))
        batch = ImportBatch(
            # Aware: the column is timestamptz on PostgreSQL (see append_audit_event).
            imported_at=datetime.now(UTC),
            n_files=len(files),
            n_cases=len(cases),
            n_replaced=len(existing),
            file_digests=[case_file.sha256 for case_file in files],
        )
        session.add(batch)
        session.flush()
        rows = [_row(case, batch.id) for case in cases]
        for start in range(0, len(rows), _BATCH):
            session.execute(insert(CaseRecord), rows[start : start + _BATCH])
        append_audit_event(
            session,
            actor=actor,
            action="cases.import",
            object_type="import",
            object_ref=str(batch.id),
            details={
                "n_files": len(files),
                "n_cases": len(cases),
                "n_replaced": len(existing),
                "file_sha256": batch.file_digests,
            },
        )
        summary = ImportSummary(
            import_id=batch.id,
            n_files=len(files),
            n_cases=len(cases),
            n_new=len(cases) - len(existing),
            n_replaced=len(existing),
        )
    log.info("imported %d cases (%d replaced)", summary.n_cases, summary.n_replaced)
    return summary


def _row(case: CodedCase, import_id: int) -> dict[str, object]:
    return {
        "case_id": case.case_id,
        "year_start": case.case.get("year_start"),
        "codebook_version": case.codebook_version,
        "synthetic": bool(case.case.get("synthetic")),
        "n_perpetrators": len(case.perpetrators),
        "n_victims": len(case.victims),
        "document": case.to_document(),
        "content_sha256": case.sha256(),
        "import_id": import_id,
    }


def _coded(document: dict[str, Any], digest: str) -> CodedCase:
    return CodedCase(
        codebook_version=document["codebook_version"],
        case=document["case"],
        perpetrators=tuple(document["perpetrators"]),
        victims=tuple(document["victims"]),
        evidence=tuple(document.get("evidence", [])),
        review=tuple(document.get("review", [])),
        digest=digest,
    )


def load_cases(engine: Engine) -> list[CodedCase]:
    """All cases in the database, in ``case_id`` order."""
    with Session(engine) as session:
        rows = session.execute(
            select(CaseRecord.document, CaseRecord.content_sha256).order_by(CaseRecord.case_id)
        )
        return [_coded(document, digest) for document, digest in rows]


def load_case(engine: Engine, case_id: str) -> CodedCase:
    """One case by its ``case_id``.

    Raises:
        NotFoundError: there is no such case.
    """
    with Session(engine) as session:
        row = session.execute(
            select(CaseRecord.document, CaseRecord.content_sha256).where(
                CaseRecord.case_id == case_id
            )
        ).first()
    if row is None:
        raise NotFoundError(f"there is no case {case_id}")
    return _coded(row[0], row[1])


def count_cases(engine: Engine) -> int:
    """Number of cases in the database."""
    with Session(engine) as session:
        return int(session.execute(select(func.count()).select_from(CaseRecord)).scalar_one())


@dataclass(frozen=True)
class CaseSummary:
    """One line of the case list: no personal data, only ids and counts."""

    case_id: str
    year_start: int | None
    n_perpetrators: int
    n_victims: int
    synthetic: bool
    import_id: int


def list_cases(engine: Engine, *, offset: int = 0, limit: int | None = None) -> list[CaseSummary]:
    """The cases in the database, in ``case_id`` order, without their contents.

    Args:
        offset: skip this many cases (for pages of a list).
        limit: at most this many cases; all when ``None``.
    """
    with Session(engine) as session:
        query = (
            select(
                CaseRecord.case_id,
                CaseRecord.year_start,
                CaseRecord.n_perpetrators,
                CaseRecord.n_victims,
                CaseRecord.synthetic,
                CaseRecord.import_id,
            )
            .order_by(CaseRecord.case_id)
            .offset(offset)
            .limit(limit)
        )
        return [CaseSummary(*row) for row in session.execute(query)]


def delete_cases(engine: Engine, case_ids: Sequence[str], *, actor: str) -> int:
    """Delete the named cases in one transaction, recorded in the audit log.

    Raises:
        InputError: a named case is not in the database (then nothing is deleted).

    Returns:
        The number of cases deleted.
    """
    wanted = list(dict.fromkeys(case_ids))
    with session_scope(engine) as session:
        present = set(
            session.execute(
                select(CaseRecord.case_id).where(CaseRecord.case_id.in_(wanted))
            ).scalars()
        )
        missing = [case_id for case_id in wanted if case_id not in present]
        if missing:
            raise InputError(
                f"{len(missing)} of the named cases are not in the database: "
                f"{', '.join(missing)}; nothing was deleted",
                hint="`ketenbeeld cases list` shows the case ids",
            )
        session.execute(delete(CaseRecord).where(CaseRecord.case_id.in_(wanted)))
        append_audit_event(
            session,
            actor=actor,
            action="cases.delete",
            object_type="cases",
            object_ref=f"{len(wanted)} cases",
            details={"case_ids": wanted},
        )
    log.info("deleted %d cases", len(wanted))
    return len(wanted)
