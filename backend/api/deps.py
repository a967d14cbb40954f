"""Dependencies the routers share."""

from __future__ import annotations

from fastapi import Header, Request

from backend.jobs.errors import NotOwner
from backend.jobs.job import Job
from backend.jobs.manager import JobManager


def manager(request: Request) -> JobManager:
    """The process's JobManager, made at start-up."""
    jobs: JobManager = request.app.state.jobs
    return jobs


def job(job_id: str, request: Request) -> Job:
    """The job named in the path, or 404."""
    return manager(request).get(job_id)


def owned_job(
    job_id: str,
    request: Request,
    x_job_key: str | None = Header(
        default=None, description="the key POST /api/jobs (or fork) answered for this job"
    ),
) -> Job:
    """The job named in the path if the request carries its key (X-Job-Key), else 403."""
    found = job(job_id, request)
    if not found.controlled_by(x_job_key, request.app.state.settings.admin_key):
        reason = "no X-Job-Key header" if not x_job_key else "a wrong X-Job-Key"
        raise NotOwner(
            f"this job belongs to whoever created it, and the request has {reason}; "
            f"to train your own copy, fork it: POST /api/jobs/{job_id}/fork"
        )
    return found
