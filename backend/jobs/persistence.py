"""What of a job is already stored, and the checkpoint that saves the rest."""

from __future__ import annotations

from concurrent.futures import Future
from typing import TYPE_CHECKING

import numpy as np

from .store import Checkpoint, Store, StoredJob

if TYPE_CHECKING:
    from .job import Job


class Persistence:
    """A job's link to the store: each checkpoint carries only the history not yet written."""

    def __init__(self, store: Store | None, stored: StoredJob | None = None) -> None:
        self.store = store
        self.last: Future[None] = _done()  # the latest checkpoint's write
        self.losses = len(stored.losses) // 8 if stored else 0  # losses already written
        self.tests = len(stored.tests) if stored else 0  # test losses already written
        self.created = stored is not None  # the row exists, initial weights included

    def save(self, job: Job, clear_history: bool = False) -> Future[None]:
        """Queue a checkpoint of `job` (the caller holds its lock); done once it is written."""
        if self.store is None:
            return self.last
        if clear_history:
            self.losses = self.tests = 0
        checkpoint, tests_start = self._checkpoint(job, clear_history), self.tests
        self.losses, self.tests = len(job.history.loss), len(job.history.test)
        self.created = True
        # Settled only after _written: whoever waits on it then sees the job's message too.
        settled: Future[None] = Future()
        self.store.save(checkpoint).add_done_callback(
            lambda f: self._written(job, checkpoint, tests_start, f, settled)
        )
        self.last = settled
        return settled

    def _checkpoint(self, job: Job, clear_history: bool) -> Checkpoint:
        return Checkpoint(
            id=job.id,
            created_at=job.created_at,
            updated_at=job.updated_at,
            spec=job.spec,
            status=job.status,
            message=job.message,
            initial=None
            if self.created
            else np.concatenate([w.ravel() for w in job.initial]).tobytes(),
            weights=job.network.params.tobytes(),
            trainer=job.trainer.state(),
            test_loss=job.test_loss,
            losses_start=self.losses,
            losses=job.history.loss[self.losses :].tobytes(),
            tests=job.history.test[self.tests :],
            clear_history=clear_history,
        )

    def _written(
        self,
        job: Job,
        checkpoint: Checkpoint,
        tests_start: int,
        saving: Future[None],
        settled: Future[None],
    ) -> None:
        """On a failed write: say so in the job's message and write that history again."""
        error = saving.exception()
        if error is not None:
            with job.lock:
                self.created = self.created and checkpoint.initial is None
                self.losses = min(self.losses, checkpoint.losses_start)
                self.tests = min(self.tests, tests_start)
                job.message = str(error)
                job.announce()
            settled.set_exception(error)
        else:
            settled.set_result(None)


def _done() -> Future[None]:
    done: Future[None] = Future()
    done.set_result(None)
    return done


def weights_from(blob: bytes, job: Job) -> list[np.ndarray]:
    """Per-layer weight matrices from a stored flat float buffer shaped like the job's network."""
    flat = np.frombuffer(blob, dtype=job.network.dtype).copy()
    return job.network.views(flat)
