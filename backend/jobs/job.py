"""One training job: a state machine over its run, and its actions (its reads: reads.py).

A job owns no thread: the workers (workers.py) call `work()` for a quantum whenever it can
train. Every method takes the job's lock, so an action or a read waits at most one quantum.
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import Future
from datetime import UTC, datetime
from typing import Any

from backend.engine import compiled
from backend.engine.batching import effective_batch_size
from backend.engine.trainer import check_learning_rate

from .builder import build
from .errors import JobNotFound, JobStateError
from .frame import encode
from .hub import HistoryState, Hub
from .limits import Limits
from .pacing import Pace
from .persistence import Persistence
from .quantum import Quantum
from .reads import MAX_EXACT, JobReads
from .run import Run
from .spec import JobSpec
from .status import ENDED, Status
from .store import JobRecord, Store
from .workers import Workers

log = logging.getLogger(__name__)

__all__ = ["ENDED", "MAX_EXACT", "Job", "Status"]

CHECKPOINT_SECONDS = 2.0  # a running job is saved at least this often


def now() -> str:
    """The current UTC time, ISO 8601."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class Job(JobReads):
    """A network training a quantum at a time on the workers; safe to call from any thread."""

    def __init__(
        self,
        job_id: str,
        spec: JobSpec,
        hub: Hub,
        limits: Limits,
        workers: Workers,
        store: Store | None = None,
        stored: JobRecord | None = None,
        key_hash: str | None = None,
        engine: str = "compiled",
    ) -> None:
        self.id, self.spec, self.hub, self.key_hash = job_id, spec, hub, key_hash
        self.workers, self.clock = workers, workers.clock
        network, dataset, config = build(spec, limits)
        if stored is not None:
            engine = stored.engine  # replay and restore recompute with the code that trained
        else:  # the compiled step where it is the faster one (compiled.choose)
            rows = effective_batch_size(config.mode, len(dataset.inputs), config.batch_size)
            engine = compiled.choose(engine, network.sizes, rows, str(network.dtype))
        self.run = Run(network, dataset, config, engine)
        self.status, self.message = Status.PAUSED, ""
        self.created_at = self.updated_at = now()
        self.speed: float | None = spec.speed
        self.pace: Pace | None = None  # made at the first paced quantum after a (re)start
        self.quantum = Quantum()
        self.steps: tuple[int, Future[None]] | None = None  # a POST /step: target iteration
        self.next_frame = self.next_checkpoint = 0.0
        self.lock = threading.RLock()
        self.closed = False
        self.persistence = Persistence(store, stored)
        if stored is not None:
            self._restore(stored)
            self.persistence.mark_stored(self)

    def _restore(self, stored: JobRecord) -> None:
        """Continue from a checkpoint; a job that was running comes back paused."""
        self.run.restore(stored)
        self.key_hash = stored.key_hash
        self.created_at, self.updated_at = stored.created_at, stored.updated_at
        self.status, self.message = Status(stored.status), stored.message
        if self.status is Status.RUNNING:
            self.status = Status.PAUSED
            self.message = f"paused at iteration {self.trainer.iteration}: the server restarted"

    # ---------------------------------------------------------------- one quantum (a worker)

    def work(self, at: float) -> float | None:
        """Train one quantum, then publish and checkpoint what is due; when to run again."""
        with self.lock:
            if self.closed or not self._active():
                return None
            limit = self._limit(at)
            if limit == 0:
                assert self.pace is not None
                return self.pace.next_at(at)
            started = time.perf_counter()
            try:
                ran = self.run.advance(limit)
            except Exception as exc:  # a bug must not take the server down
                log.exception("job %s failed", self.id)
                self.cancel_steps()
                self.set_status(Status.FAILED, f"{type(exc).__name__}: {exc}")
                return None
            self.quantum.observe(ran, time.perf_counter() - started)
            if self.pace is not None and self.steps is None:
                self.pace.ran(ran, at)
            self._settle(at)
            return self._next_run(at)

    def _limit(self, at: float) -> int:
        """Iterations for this quantum: the quantum's, within a step's target or the pace."""
        limit = self.quantum.size()
        if self.steps is not None:
            return min(limit, self.steps[0] - self.trainer.iteration)
        if self.speed:
            self.pace = self.pace or Pace(self.speed, at)
            return min(limit, self.pace.due(at))
        return limit

    def _settle(self, at: float) -> None:
        """After a quantum: the run's end, a step's end, the frame and the checkpoint."""
        ended = self.trainer.done
        stepped = self.steps is not None and self.trainer.iteration >= self.steps[0]
        if ended or stepped:
            self.run.refresh()
        self.publish(at, force=ended or stepped)
        if ended:
            self.set_status(Status(self.trainer.status), self.run.end_message())
        elif stepped:
            self.persistence.save(self)  # a step request ends with its result stored
        if stepped or (ended and self.steps is not None):
            self.cancel_steps()
        if not ended and at >= self.next_checkpoint:
            self.next_checkpoint = at + CHECKPOINT_SECONDS
            self.persistence.save(self)

    def _next_run(self, at: float) -> float | None:
        if self.closed or not self._active():
            return None
        if self.steps is not None or not self.speed or self.pace is None:
            return at
        return self.pace.next_at(at)

    def _active(self) -> bool:
        return self.status is Status.RUNNING or self.steps is not None

    def publish(self, at: float, force: bool = False) -> None:
        """A frame for the viewers, at most at the fastest one's fps (or now, if forced), with
        the newest metrics; after a weight edit its weights are the edited ones."""
        record = self.record
        if record is not None:
            edited = self.run.edited == record.iteration
            extra = {"metrics": self.run.metrics.wire()} | ({"edited": True} if edited else {})
            self.hub.publish_record(
                self.id, record, self.trainer.test_loss, extra, self.history, at, force
            )

    # ---------------------------------------------------------------- actions (any thread)

    def resume(self) -> None:
        """paused → running; the message (why it was paused) is cleared."""
        with self.lock:
            if self.status is not Status.RUNNING:
                self._require("resume", Status.PAUSED)
                self.pace = None  # a new schedule from now
                self.set_status(Status.RUNNING, "")
                self.workers.wake(self)

    def pause(self) -> None:
        """running → paused."""
        with self.lock:
            if self.status is not Status.PAUSED:
                self._require("pause", Status.RUNNING)
                self.run.refresh()
                self.set_status(Status.PAUSED)
                self.publish(self.clock(), force=True)  # viewers see exactly where it stopped

    def stop(self) -> None:
        """running or paused → stopped, for good (reset starts over)."""
        with self.lock:
            if self.status is not Status.STOPPED:
                self._require("stop", Status.RUNNING, Status.PAUSED)
                self.cancel_steps()
                self.set_status(Status.STOPPED)

    def reset(self) -> None:
        """Back to the initial weights, epoch 0 and an empty history, paused."""
        with self.lock:
            self.cancel_steps()
            self.run.reset()
            self.status, self.message = Status.PAUSED, ""
            self.updated_at = now()
            self.persistence.save(self, clear_history=True)
            self.announce()

    def step(self, iterations: int = 0, epochs: int = 0) -> Future[None]:
        """On a paused job, run exactly so many iterations or epochs; the future is set then."""
        with self.lock:
            self._require("step", Status.PAUSED)
            if self.steps is not None:
                raise JobStateError("step: another step request is still running")
            done: Future[None] = Future()
            trainer = self.trainer
            if epochs:  # to the end of epoch e + epochs, wherever in epoch e the run stands
                target = (trainer.epoch + epochs) * self.run.per_epoch
            else:
                target = trainer.iteration + iterations
            self.steps = (target, done)
            self.workers.wake(self)
            return done

    def configure(self, changes: dict[str, Any]) -> None:
        """Apply "speed" (None: as fast as possible) and "learning_rate" (α) without a reset."""
        with self.lock:
            rate = changes.get("learning_rate")
            if rate is not None:
                rate = check_learning_rate(rate)
                if rate != self.trainer.learning_rate:
                    self.run.check_room("learning_rate")  # before anything changes
            # The spec is replaced, never changed in place: a checkpoint being written (or
            # kept to go back to) holds the one it was made with.
            if "speed" in changes:
                speed = changes["speed"]
                self.speed = None if speed is None else float(speed)
                self.spec = self.spec.with_speed(self.speed)
                self.pace = None  # the new pace starts now, not after the old one's wait
            if rate is not None:
                self.run.set_learning_rate(rate)  # takes effect from the next iteration
                self.spec = self.spec.with_learning_rate(rate)
            self.updated_at = now()
            self.persistence.save(self)
            self.announce()
            self.workers.wake(self)

    def edit_weight(self, layer: int, row: int, column: int, value: float) -> None:
        """W^(layer + 1)[row, column] := value on a paused job, kept as an event of the run
        (replay applies it where it was made); viewers get a frame with the new weight."""
        with self.lock:
            if self.status is not Status.PAUSED or self.steps is not None:
                doing = "running a step request" if self.steps is not None else self.status
                raise JobStateError(
                    f"weights: the job is {doing}; a weight can be edited only while the job "
                    "is paused (pause it first; an ended run: reset it, or fork it)"
                )
            self.run.edit_weight(layer, row, column, value)
            self.updated_at = now()
            self.persistence.save(self)
            self.publish(self.clock(), force=True)
            self.announce()

    def save(self) -> Future[None]:
        """Checkpoint now; the future fails with StorageError if the write fails."""
        with self.lock:
            return self.persistence.save(self)

    def wait_saved(self, timeout: float = 30.0) -> None:
        """Block until the latest checkpoint is written; StorageError if it was refused."""
        self.persistence.last.result(timeout=timeout)

    def close(self, save: bool = True) -> None:
        """Never train again, after a last checkpoint unless the job is being deleted."""
        with self.lock:  # a quantum under way ends first
            self.closed = True
            self.cancel_steps(JobNotFound(f"step: job {self.id!r} was deleted while it ran"))
            self.workers.forget(self)
            if save:
                self.persistence.save(self)
        self.hub.close()  # viewers are told the job is gone

    def cancel_steps(self, error: Exception | None = None) -> None:
        """Mark a step request done (it ran, or the job was stopped or reset), or failed."""
        if self.steps is not None:
            if error is None:
                self.steps[1].set_result(None)
            else:
                self.steps[1].set_exception(error)
            self.steps = None

    def roll_back(self, stored: JobRecord, events: int, error: BaseException) -> None:
        """After a refused write: back to the last stored state (its weights, trainer, history,
        settings; `events` changes of α), paused, saying why (the caller holds the lock)."""
        self.cancel_steps()
        self.run.roll_back(stored, events)
        self.spec = stored.spec  # never changed in place (see configure)
        self.speed, self.pace = self.spec.speed, None
        status = Status(stored.status)
        self.status = Status.PAUSED if status is Status.RUNNING else status
        self.message = (
            f"not saved: {error}; the job is back at iteration {self.trainer.iteration}, its "
            "last stored state, and paused"
        )
        self.announce()

    def _require(self, action: str, *allowed: Status) -> None:
        if self.status not in allowed:
            raise JobStateError(
                f"{action}: the job is {self.status}; {action} needs {' or '.join(allowed)}"
            )

    def set_status(self, status: Status, message: str | None = None) -> None:
        """Change state (the caller holds the lock): checkpoint it and tell every viewer."""
        self.status = status
        if message is not None:
            self.message = message
        self.updated_at = now()
        self.persistence.save(self)
        self.announce()

    def announce(self) -> None:
        """A status message with the current view for every viewer (the caller holds the lock)."""
        if self.hub.subscriptions:
            message = encode({"type": "status", "job": self.view()})
            self.hub.publish_status(message, HistoryState.of(self.history))
