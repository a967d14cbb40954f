"""What of a job is already stored, and the checkpoint that saves the rest."""

from __future__ import annotations

from concurrent.futures import Future
from typing import TYPE_CHECKING

import numpy as np

from .store import JobRecord, Store

if TYPE_CHECKING:
    from .job import Job


class Persistence:
    """A job's link to the store: each checkpoint carries the keyframes and events not yet
    written, the iterations of the keyframes kept, and the whole (bounded) history."""

    def __init__(self, store: Store | None, stored: JobRecord | None = None) -> None:
        self.store = store
        self.last: Future[None] = _done()  # the latest checkpoint's write
        self.keyframes = {k.iteration for k in stored.keyframes} if stored else set()  # written
        self.events = len(stored.events) if stored else 0  # events written
        self.created = stored is not None  # the row exists, initial weights included
        self.clear = False  # after a refused write: the next checkpoint rewrites them all
        self.saved = True  # false while the database refuses this job's writes
        # The last checkpoint written, and the events then: what a refused write goes back to.
        self.stored: tuple[JobRecord, int] | None = None

    def mark_stored(self, job: Job) -> None:
        """The job as it stands is what the store holds (just read back from it)."""
        if self.store is not None:
            self.stored = (self._checkpoint(job, False), len(job.run.events))

    def save(self, job: Job, clear_history: bool = False) -> Future[None]:
        """Queue a checkpoint of `job` (the caller holds its lock); done once it is written."""
        if self.store is None:
            return self.last
        if clear_history or self.clear:
            self.keyframes, self.events, clear_history = set(), 0, True
        checkpoint = self._checkpoint(job, clear_history)
        self.keyframes = set(checkpoint.kept)
        self.events, self.created = len(job.run.events), True
        events = self.events
        # Settled only after _written: whoever waits on it then sees the job's message too.
        settled: Future[None] = Future()
        self.store.save(checkpoint).add_done_callback(
            lambda f: self._written(job, (checkpoint, events), f, settled)
        )
        self.last = settled
        return settled

    def _checkpoint(self, job: Job, clear_history: bool) -> JobRecord:
        initial = None
        if not self.created:
            initial = np.concatenate([w.ravel() for w in job.run.initial]).tobytes()
        return JobRecord(
            id=job.id,
            created_at=job.created_at,
            updated_at=job.updated_at,
            spec=job.spec,
            status=job.status.value,
            message=job.message,
            weights=job.network.params.tobytes(),
            trainer=job.trainer.state(),
            test_loss=job.run.metrics.test_loss,
            history=job.history.tobytes(),
            spacing=job.run.keyframes.spacing,
            engine=job.run.engine,
            initial=initial,
            key_hash=job.key_hash,
            keyframes=[k for k in job.run.keyframes if k.iteration not in self.keyframes],
            kept=job.run.keyframes.iterations(),
            events=job.run.events[self.events :],
            first_event=self.events,
            clear_history=clear_history,
        )

    def _written(
        self,
        job: Job,
        written: tuple[JobRecord, int],
        saving: Future[None],
        settled: Future[None],
    ) -> None:
        """A refused write is never half applied: the job goes back to its last stored state,
        paused, and says why; the next checkpoint writes everything again."""
        error = saving.exception()
        with job.lock:
            if error is None:
                self.stored, self.saved = written, True
                self.clear = self.clear and not written[0].clear_history
            else:
                self.created = self.created and written[0].initial is None
                self.clear, self.saved = True, False
                if self.stored is not None:
                    job.roll_back(*self.stored, error)
                else:
                    job.message = str(error)
                    job.announce()
        if error is None:
            settled.set_result(None)
        else:
            settled.set_exception(error)


def _done() -> Future[None]:
    done: Future[None] = Future()
    done.set_result(None)
    return done
