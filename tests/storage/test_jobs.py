"""Background jobs: progress, outcome, organisation scope, interrupted on restart."""

from __future__ import annotations

import pytest

from ketenbeeld.errors import NotFoundError
from ketenbeeld.storage.jobs import (
    create_job,
    finish_job,
    get_job,
    interrupt_running_jobs,
    job_progress,
    start_job,
)


def test_a_job_reports_progress_and_its_result(db):
    job = create_job(db.engine, "cases.import", organisation="org", created_by="rita", total=None)
    assert (job.status, job.percent) == ("queued", None)
    start_job(db.engine, job.id)
    job_progress(db.engine, job.id, 30, 120)
    running = get_job(db.engine, job.id, organisation="org")
    assert (running.status, running.done, running.total, running.percent) == (
        "running",
        30,
        120,
        25,
    )
    finish_job(db.engine, job.id, result={"next": "/onderzoek"})
    done = get_job(db.engine, job.id, organisation="org")
    assert (done.status, done.percent, done.result, done.finished) == (
        "done",
        100,
        {"next": "/onderzoek"},
        True,
    )


def test_another_organisations_job_is_not_found(db):
    job = create_job(db.engine, "cases.import", organisation="org-a", created_by="rita")
    with pytest.raises(NotFoundError, match=f"there is no job {job.id}"):
        get_job(db.engine, job.id, organisation="org-b")


def test_jobs_left_running_are_marked_interrupted(db):
    running = create_job(db.engine, "online.cluster", organisation="o", created_by="x")
    start_job(db.engine, running.id)
    queued = create_job(db.engine, "online.cluster", organisation="o", created_by="x")
    finished = create_job(db.engine, "online.cluster", organisation="o", created_by="x")
    finish_job(db.engine, finished.id, error="the status must be one of new")
    assert interrupt_running_jobs(db.engine) == 2
    statuses = [get_job(db.engine, j.id, organisation="o").status for j in (running, queued)]
    assert statuses == ["interrupted", "interrupted"]
    failed = get_job(db.engine, finished.id, organisation="o")
    assert (failed.status, failed.message) == ("failed", "the status must be one of new")
