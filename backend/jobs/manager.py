"""All jobs of the process: creation within the limits, lookup, and shutdown."""

from __future__ import annotations

import asyncio
import secrets
import threading
from typing import Any

from .errors import JobNotFound, TooManyJobs
from .hub import Hub
from .job import Job
from .limits import Limits


class JobManager:
    """Creates, finds and removes jobs; every job shares the event loop it streams to."""

    def __init__(self, loop: asyncio.AbstractEventLoop, limits: Limits | None = None) -> None:
        self.loop = loop
        self.limits = limits or Limits()
        self.jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def create(self, spec: dict[str, Any]) -> Job:
        """A new job from a validated spec, started unless spec["start"] is "paused"."""
        with self._lock:
            if len(self.jobs) >= self.limits.max_jobs:
                raise TooManyJobs(f"too many jobs: {self.limits.max_jobs} are stored; delete one")
            start = spec.get("start", "running") == "running"
            if start:
                self._check_running()
            # 128 random bits: ids cannot be guessed or enumerated.
            job = Job(secrets.token_urlsafe(16), spec, Hub(self.loop), self.limits)
            self.jobs[job.id] = job
        if start:
            job.resume()
        return job

    def get(self, job_id: str) -> Job:
        """The job with this id, or JobNotFound."""
        try:
            return self.jobs[job_id]
        except KeyError:
            raise JobNotFound(f"no job with id {job_id!r}") from None

    def list(self) -> list[Job]:
        """Every job, oldest first."""
        return list(self.jobs.values())

    def resume(self, job_id: str) -> Job:
        """Resume a job unless too many are running already."""
        job = self.get(job_id)
        with self._lock:
            if job.status != "running":
                self._check_running()
            job.resume()
        return job

    def delete(self, job_id: str) -> None:
        """Stop a job's thread and forget it."""
        with self._lock:
            job = self.get(job_id)
            del self.jobs[job_id]
        job.close()

    def viewers(self) -> int:
        """Viewers over all jobs."""
        return sum(len(j.hub.subscriptions) for j in list(self.jobs.values()))

    def close(self) -> None:
        """End every job's thread (shutdown)."""
        for job in list(self.jobs.values()):
            job.close()

    def _check_running(self) -> None:
        running = sum(1 for j in self.jobs.values() if j.status == "running")
        if running >= self.limits.max_running_jobs:
            raise TooManyJobs(
                f"too many running jobs: {running} of at most "
                f"{self.limits.max_running_jobs}; pause or delete one"
            )
