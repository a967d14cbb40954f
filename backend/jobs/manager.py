"""All jobs of the process: creation within the limits, lookup, and shutdown."""

from __future__ import annotations

import asyncio
import logging
import secrets
import threading

from backend.engine import compiled
from backend.engine.datasets import Dataset
from backend.engine.network import Network

from .builder import build
from .errors import JobNotFound, TooManyJobs
from .hub import Hub
from .job import Job
from .limits import Limits
from .spec import JobSpec
from .store import JobRecord, Store
from .workers import Workers

log = logging.getLogger(__name__)


class JobManager:
    """Creates, finds and removes jobs; every job shares the event loop it streams to and the
    workers that train it."""

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        limits: Limits | None = None,
        store: Store | None = None,
        engine: str = "compiled",
        workers: Workers | None = None,
    ) -> None:
        self.loop = loop
        self.limits = limits or Limits()
        self.store = store
        self.engine = engine  # the one new jobs prefer; compiled.choose() has the last word
        if engine == "compiled" and compiled.available():
            compiled.warm()  # compiled (or loaded from the cache) now, not in a job's quantum
        self.workers = workers or Workers()
        self.jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        for stored in store.load() if store else []:
            self._restore(stored)

    def _restore(self, stored: JobRecord) -> None:
        """A stored job back in memory, paused if it was running; one that fails is logged."""
        try:
            job = Job(
                stored.id,
                stored.spec,
                Hub(self.loop),
                self.limits,
                self.workers,
                self.store,
                stored,
            )
        except Exception:  # a job the current code or limits refuse stays in the file
            log.exception("could not restore job %s; it stays in the database", stored.id)
            return
        self.jobs[job.id] = job

    def create(self, spec: JobSpec, key_hash: str | None = None) -> Job:
        """A new job from a validated spec, controlled by the key with this hash (keys.py);
        started unless spec.start is "paused". A full store refuses it: nothing is evicted."""
        with self._lock:
            if len(self.jobs) >= self.limits.max_jobs:
                raise TooManyJobs(
                    f"too many jobs: the server keeps at most {self.limits.max_jobs}; delete "
                    "one of yours (or ask its operator to remove some)"
                )
            start = spec.start == "running"
            if start:
                self._check_running()
            # 128 random bits: ids cannot be guessed or enumerated.
            job = Job(
                secrets.token_urlsafe(16),
                spec,
                Hub(self.loop),
                self.limits,
                self.workers,
                self.store,
                key_hash=key_hash,
                engine=self.engine,
            )
            try:
                job.save().result(timeout=30)  # stored before it is shown or started
            except BaseException:
                job.close(save=False)
                raise
            self.jobs[job.id] = job
        if start:
            job.resume()
        return job

    def fork(self, job_id: str, key_hash: str | None = None) -> Job:
        """A new paused job with the source's spec and its current weights as initial ones."""
        source = self.get(job_id)
        with source.reading():
            spec = source.spec.forked([w.tolist() for w in source.network.weights])
        return self.create(spec, key_hash)

    def preview(self, spec: JobSpec) -> tuple[Network, Dataset]:
        """The network (initial weights) and data a spec gives, without storing a job."""
        network, dataset, _ = build(spec, self.limits)
        return network, dataset

    def get(self, job_id: str) -> Job:
        """The job with this id, or JobNotFound."""
        try:
            return self.jobs[job_id]
        except KeyError:
            shown = job_id if len(job_id) <= 32 else job_id[:32] + "…"  # a 60 KB id: not echoed
            raise JobNotFound(f"no job with id {shown!r}") from None

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
            if self.store is not None:
                self.store.delete(job_id).result(timeout=30)  # StorageError: nothing changes
            del self.jobs[job_id]
        job.close(save=False)

    def viewers(self) -> int:
        """Viewers over all jobs."""
        return sum(len(j.hub.subscriptions) for j in list(self.jobs.values()))

    def close(self) -> None:
        """JobRecord and end every job, the workers, then the store's writer (shutdown,
        SIGTERM included)."""
        for job in list(self.jobs.values()):
            job.close()
        self.workers.close()
        if self.store is not None:
            self.store.close()

    def _check_running(self) -> None:
        running = sum(1 for j in self.jobs.values() if j.status == "running")
        if running >= self.limits.max_running_jobs:
            raise TooManyJobs(
                f"too many running jobs: {running} of at most "
                f"{self.limits.max_running_jobs}; pause or delete one"
            )
