"""All jobs of the process: creation within the limits, lookup, and shutdown."""

from __future__ import annotations

import asyncio
import copy
import logging
import secrets
import threading
from typing import Any

from backend.engine.datasets import Dataset
from backend.engine.network import Network

from .errors import JobNotFound, TooManyJobs
from .hub import Hub
from .job import Job
from .limits import Limits
from .spec import build
from .store import Store, StoredJob
from .turns import Turns

log = logging.getLogger(__name__)


class JobManager:
    """Creates, finds and removes jobs; every job shares the event loop it streams to."""

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        limits: Limits | None = None,
        store: Store | None = None,
    ) -> None:
        self.loop = loop
        self.limits = limits or Limits()
        self.store = store
        self.jobs: dict[str, Job] = {}
        # One iterating job thread at a time, in turns of 2 ms: the event loop then competes
        # for the GIL with one thread, not with every running job (docs/benchmarks.md, Load).
        self.turns = Turns(slots=1)
        self._lock = threading.Lock()
        for stored in store.load() if store else []:
            self._restore(stored)

    def _restore(self, stored: StoredJob) -> None:
        """A stored job back in memory, paused if it was running; one that fails is logged."""
        try:
            job = Job(
                stored.id, stored.spec, Hub(self.loop), self.limits, self.store, stored, self.turns
            )
        except Exception:  # a job the current code or limits refuse stays in the file
            log.exception("could not restore job %s; it stays in the database", stored.id)
            return
        self.jobs[job.id] = job

    def create(self, spec: dict[str, Any], key_hash: str | None = None) -> Job:
        """A new job from a validated spec, controlled by the key with this hash (keys.py);
        started unless spec["start"] is "paused". A full store refuses it: nothing is evicted."""
        with self._lock:
            if len(self.jobs) >= self.limits.max_jobs:
                raise TooManyJobs(
                    f"too many jobs: the server keeps at most {self.limits.max_jobs}; delete "
                    "one of yours (or ask its operator to remove some)"
                )
            start = spec.get("start", "running") == "running"
            if start:
                self._check_running()
            # 128 random bits: ids cannot be guessed or enumerated.
            job = Job(
                secrets.token_urlsafe(16),
                spec,
                Hub(self.loop),
                self.limits,
                self.store,
                turns=self.turns,
                key_hash=key_hash,
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
            spec = copy.deepcopy(source.spec)
            spec["network"]["weights"] = [w.tolist() for w in source.network.weights]
        spec["start"] = "paused"
        return self.create(spec, key_hash)

    def preview(self, spec: dict[str, Any]) -> tuple[Network, Dataset]:
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
        """Checkpoint and end every job, then the store's writer (shutdown, SIGTERM included)."""
        for job in list(self.jobs.values()):
            job.close()
        if self.store is not None:
            self.store.close()

    def _check_running(self) -> None:
        running = sum(1 for j in self.jobs.values() if j.status == "running")
        if running >= self.limits.max_running_jobs:
            raise TooManyJobs(
                f"too many running jobs: {running} of at most "
                f"{self.limits.max_running_jobs}; pause or delete one"
            )
