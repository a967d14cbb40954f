"""Dependencies the routers share."""

from __future__ import annotations

from fastapi import Request

from backend.jobs.job import Job
from backend.jobs.manager import JobManager


def manager(request: Request) -> JobManager:
    """The process's JobManager, made at start-up."""
    jobs: JobManager = request.app.state.jobs
    return jobs


def job(job_id: str, request: Request) -> Job:
    """The job named in the path, or 404."""
    return manager(request).get(job_id)
