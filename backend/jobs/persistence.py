"""What of a job is already stored, and the checkpoint that saves the rest."""

from __future__ import annotations

from concurrent.futures import Future
from typing import TYPE_CHECKING

import numpy as np

from .store import Checkpoint, Store, StoredJob

if TYPE_CHECKING:
    from .job import Job


class Persistence:
    """A job's link to the store: each checkpoint carries the keyframes and events not yet
    written, the iterations of the keyframes kept, and the whole (bounded) history."""

    def __init__(self, store: Store | None, stored: StoredJob | None = None) -> None:
        self.store = store
        self.last: Future[None] = _done()  # the latest checkpoint's write
        self.keyframes = {k.iteration for k in stored.keyframes} if stored else set()  # written
        self.events = len(stored.events) if stored else 0  # events written
        self.created = stored is not None  # the row exists, initial weights included
        self.clear = False  # a reset whose write failed: the next checkpoint clears first

    def save(self, job: Job, clear_history: bool = False) -> Future[None]:
        """Queue a checkpoint of `job` (the caller holds its lock); done once it is written."""
        if self.store is None:
            return self.last
        if clear_history or self.clear:
            self.keyframes, self.events, clear_history = set(), 0, True
        checkpoint = self._checkpoint(job, clear_history)
        self.keyframes = set(checkpoint.kept)
        self.events, self.created = len(job.events), True
        # Settled only after _written: whoever waits on it then sees the job's message too.
        settled: Future[None] = Future()
        self.store.save(checkpoint).add_done_callback(
            lambda f: self._written(job, checkpoint, f, settled)
        )
        self.last = settled
        return settled

    def _checkpoint(self, job: Job, clear_history: bool) -> Checkpoint:
        initial = None
        if not self.created:
            initial = np.concatenate([w.ravel() for w in job.initial]).tobytes()
        return Checkpoint(
            id=job.id,
            created_at=job.created_at,
            updated_at=job.updated_at,
            spec=job.spec,
            status=job.status,
            message=job.message,
            weights=job.network.params.tobytes(),
            trainer=job.trainer.state(),
            test_loss=job.test_loss,
            history=job.history.tobytes(),
            spacing=job.keyframes.spacing,
            initial=initial,
            key_hash=job.key_hash,
            keyframes=[k for k in job.keyframes if k.iteration not in self.keyframes],
            kept=job.keyframes.iterations(),
            events=[(seq, *event) for seq, event in enumerate(job.events) if seq >= self.events],
            clear_history=clear_history,
        )

    def _written(
        self, job: Job, checkpoint: Checkpoint, saving: Future[None], settled: Future[None]
    ) -> None:
        """On a failed write: say so in the job's message and write what it held again."""
        error = saving.exception()
        if error is not None:
            with job.lock:
                self.created = self.created and checkpoint.initial is None
                self.keyframes -= {k.iteration for k in checkpoint.keyframes}
                if checkpoint.events:
                    self.events = min(self.events, checkpoint.events[0][0])
                self.clear = self.clear or checkpoint.clear_history
                job.message = str(error)
                job.announce()
            settled.set_exception(error)
        else:
            if checkpoint.clear_history:
                with job.lock:
                    self.clear = False
            settled.set_result(None)


def _done() -> Future[None]:
    done: Future[None] = Future()
    done.set_result(None)
    return done


def weights_from(blob: bytes, job: Job) -> list[np.ndarray]:
    """Per-layer weight matrices from a stored flat float buffer shaped like the job's network."""
    flat = np.frombuffer(blob, dtype=job.network.dtype).copy()
    return job.network.views(flat)
