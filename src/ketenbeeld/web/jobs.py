"""Running long work in the background: one worker thread, progress in the jobs table.

Pages start a job and redirect to its page (/taken/ID), which shows a progress bar
that htmx refreshes every second (a meta refresh without JavaScript). The work is a
function of a progress callback; its result (a dict with at least ``next``, the page
to go on to) or its error message is stored with the job.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from sqlalchemy import Engine

from ketenbeeld.errors import KetenbeeldError, ValidationFailed
from ketenbeeld.storage.jobs import (
    create_job,
    finish_job,
    interrupt_running_jobs,
    job_progress,
    start_job,
)

__all__ = ["JobRunner", "Progress", "Work"]

log = logging.getLogger(__name__)

Progress = Callable[[int, int | None], None]
"""``progress(done, total)``: how far the work is (``total`` may be ``None``)."""

Work = Callable[[Progress], dict[str, Any]]


class JobRunner:
    """Runs jobs one at a time in a worker thread (the work is mostly one core's)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._pool: ThreadPoolExecutor | None = None
        interrupted = interrupt_running_jobs(engine)
        if interrupted:
            log.warning("%d job(s) were interrupted by the last stop", interrupted)

    def _executor(self) -> ThreadPoolExecutor:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kb-job")
        return self._pool

    def submit(
        self, kind: str, work: Work, *, organisation: str, by: str, total: int | None = None
    ) -> tuple[str, Future[None]]:
        """Queue ``work``; returns the job's id and a future (tests wait on it)."""
        job = create_job(self.engine, kind, organisation=organisation, created_by=by, total=total)
        future = self._executor().submit(self._run, job.id, work)
        return job.id, future

    def _run(self, job_id: str, work: Work) -> None:
        start_job(self.engine, job_id)

        def progress(done: int, total: int | None = None) -> None:
            job_progress(self.engine, job_id, done, total)

        try:
            result = work(progress)
        except ValidationFailed as exc:
            problems = [
                {"source": p.source, "location": p.location, "field": p.field, "message": p.message}
                for p in exc.problems
            ]
            finish_job(self.engine, job_id, result={"problems": problems}, error=exc.message)
        except KetenbeeldError as exc:
            finish_job(self.engine, job_id, error=exc.message)
        except Exception as exc:  # a bug: the job fails visibly, the server goes on
            log.error("job %s failed: %s", job_id, type(exc).__name__)
            finish_job(self.engine, job_id, error="an internal error stopped the job")
        else:
            finish_job(self.engine, job_id, result=result)

    def shutdown(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
