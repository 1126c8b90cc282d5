"""Background jobs: long work (imports, extraction, clustering) with its progress.

A job row says what runs, for whom, how far it is and how it ended. The web
application runs jobs in a worker thread and its pages read the row; a job that
was running when the process stopped is marked ``interrupted`` at the next start,
never left "running" forever. Messages hold no personal data (the domain errors'
messages name files, rows and fields, never values).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Integer, String, Text, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, mapped_column

from ketenbeeld.errors import NotFoundError
from ketenbeeld.storage.engine import session_scope
from ketenbeeld.storage.models import Base

__all__ = [
    "JOB_STATUSES",
    "JobRecord",
    "JobView",
    "create_job",
    "finish_job",
    "get_job",
    "interrupt_running_jobs",
    "job_progress",
    "start_job",
]

JOB_STATUSES = ("queued", "running", "done", "failed", "interrupted")


class JobRecord(Base):
    """One background job."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    organisation: Mapped[str] = mapped_column(String(100))
    created_by: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20))
    total: Mapped[int | None] = mapped_column(Integer, nullable=True)
    done: Mapped[int] = mapped_column(Integer)
    message: Mapped[str | None] = mapped_column(Text, nullable=True)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime())
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(), nullable=True)


@dataclass(frozen=True)
class JobView:
    """A job as pages show it."""

    id: str
    kind: str
    organisation: str
    created_by: str
    status: str
    total: int | None
    done: int
    message: str | None
    result: dict[str, Any]
    created_at: datetime
    finished_at: datetime | None

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed", "interrupted")

    @property
    def percent(self) -> int | None:
        """Progress in whole percent, or ``None`` when the total is not known yet."""
        if self.status == "done":
            return 100
        if not self.total:
            return None
        return min(100, int(100 * self.done / self.total))


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _view(row: JobRecord) -> JobView:
    return JobView(
        row.public_id,
        row.kind,
        row.organisation,
        row.created_by,
        row.status,
        row.total,
        row.done,
        row.message,
        dict(row.result or {}),
        row.created_at,
        row.finished_at,
    )


def create_job(
    engine: Engine, kind: str, *, organisation: str, created_by: str, total: int | None = None
) -> JobView:
    """Queue a job; returns it with its random public id."""
    with session_scope(engine) as session:
        row = JobRecord(
            public_id=f"j-{secrets.token_urlsafe(12)}",
            kind=kind,
            organisation=organisation,
            created_by=created_by,
            status="queued",
            total=total,
            done=0,
            message=None,
            result={},
            created_at=_now(),
            finished_at=None,
        )
        session.add(row)
        session.flush()
        return _view(row)


def start_job(engine: Engine, job_id: str) -> None:
    """Mark a queued job as running."""
    with session_scope(engine) as session:
        session.execute(
            update(JobRecord).where(JobRecord.public_id == job_id).values(status="running")
        )


def job_progress(engine: Engine, job_id: str, done: int, total: int | None = None) -> None:
    """Record how far a running job is."""
    values: dict[str, Any] = {"done": done}
    if total is not None:
        values["total"] = total
    with session_scope(engine) as session:
        session.execute(update(JobRecord).where(JobRecord.public_id == job_id).values(**values))


def finish_job(
    engine: Engine,
    job_id: str,
    *,
    result: dict[str, Any] | None = None,
    error: str | None = None,
) -> None:
    """End a job: ``done`` with its result, or ``failed`` with a message (no values)."""
    with session_scope(engine) as session:
        session.execute(
            update(JobRecord)
            .where(JobRecord.public_id == job_id)
            .values(
                status="failed" if error is not None else "done",
                message=error,
                result=result or {},
                finished_at=_now(),
            )
        )


def get_job(engine: Engine, job_id: str, *, organisation: str) -> JobView:
    """A job of ``organisation``.

    Raises:
        NotFoundError: no such job, or another organisation's (the same answer).
    """
    with session_scope(engine) as session:
        row = session.execute(
            select(JobRecord).where(JobRecord.public_id == job_id)
        ).scalar_one_or_none()
        if row is None or row.organisation != organisation:
            raise NotFoundError(f"there is no job {job_id}")
        return _view(row)


def interrupt_running_jobs(engine: Engine) -> int:
    """Mark jobs left queued or running by a stopped process as interrupted."""
    with session_scope(engine) as session:
        rows = session.execute(
            select(JobRecord).where(JobRecord.status.in_(("queued", "running")))
        ).scalars()
        count = 0
        for row in rows:
            row.status = "interrupted"
            row.message = "the application stopped before the job finished; start it again"
            row.finished_at = _now()
            count += 1
        return count
