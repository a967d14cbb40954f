"""One training job: its state machine, its actions and what can be read of it from any thread."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from datetime import UTC, datetime
from typing import Any

import numpy as np

from backend.engine.record import Array, StepRecord
from backend.engine.trainer import Trainer, check_learning_rate

from .errors import IterationNotFound, JobNotFound, JobStateError
from .frame import encode, frame
from .history import History
from .hub import HistoryState, Hub
from .keyframes import Keyframe, Keyframes
from .keys import controls
from .limits import Limits
from .persistence import Persistence, weights_from
from .replay import Replay
from .runner import Runner
from .spec import build
from .store import Checkpoint, Event, Store, StoredJob
from .turns import Turns

log = logging.getLogger(__name__)

EXPORT_FORMAT = "backprop-playground/1"
ENDED = ("finished", "converged", "diverged", "failed", "stopped")
MAX_EVENTS = 4096  # changes of α in one run (each is replayed where it took effect)
MAX_EXACT = 65_536  # iterations of exact losses one request may recompute


def now() -> str:
    """The current UTC time, ISO 8601."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class Job:
    """A network training in its own thread; every method is safe to call from any thread."""

    def __init__(
        self,
        job_id: str,
        spec: dict[str, Any],
        hub: Hub,
        limits: Limits,
        store: Store | None = None,
        stored: StoredJob | None = None,
        turns: Turns | None = None,
        key_hash: str | None = None,
    ) -> None:
        self.id, self.spec, self.hub, self.key_hash = job_id, spec, hub, key_hash
        self.network, self.dataset, config = build(spec, limits)
        self.trainer = Trainer(
            self.network,
            self.dataset.inputs,
            self.dataset.targets,
            config,
            self.dataset.test_inputs,
            self.dataset.test_targets,
        )
        self.initial = self.network.copy_weights()
        self.history = History()
        # Replay (replay.py): keyframes at thinning spacings and every change of α, with the
        # iteration after which it took effect, recompute any past iteration exactly.
        self.events: list[Event] = []
        self.keyframes = Keyframes(self._keyframe_bytes())
        self.keyframes.add(self.keyframe())
        self._replay: Replay | None = None
        self.status, self.message = "paused", ""
        self.created_at = self.updated_at = now()
        self.speed: float | None = spec.get("speed")
        self.test_loss: float | None = None
        self.record: StepRecord | None = None  # the trainer's buffers: read under the lock
        self.lock = threading.Condition()
        self.steps: tuple[str, int, Future[None]] | None = None  # a POST /step under way
        self.closed = False
        self.readers: list[None] = []  # threads waiting to read under the lock
        self.persistence = Persistence(store, stored)
        if stored is not None:
            self._restore(stored)
            self.persistence.mark_stored(self)
        self.runner = Runner(self, turns or Turns())
        self.thread = threading.Thread(target=self.runner.run, name=f"job-{job_id[:8]}")
        self.thread.daemon = True
        self.thread.start()

    def _restore(self, stored: StoredJob) -> None:
        """Continue from a checkpoint; a job that was running comes back paused."""
        self.initial = weights_from(stored.initial, self)
        self.trainer.restore(stored.trainer, weights_from(stored.weights, self))
        if stored.history is not None:
            self.history = History.frombytes(stored.history)
        else:  # a first-release database: every loss, bucketed now
            self.history.extend(stored.legacy_losses)
            for iteration, value in stored.legacy_tests[-1024:]:
                self.history.add_test(iteration, value)
        if stored.keyframes:  # else the one at iteration 0, taken at construction, stays
            self.keyframes = Keyframes.restored(
                self._keyframe_bytes(), stored.keyframes, stored.spacing
            )
        self.events = list(stored.events)
        self.key_hash = stored.key_hash
        self.created_at, self.updated_at = stored.created_at, stored.updated_at
        self.status, self.message, self.test_loss = stored.status, stored.message, stored.test_loss
        if self.status == "running":
            self.status = "paused"
            self.message = f"paused at iteration {self.trainer.iteration}: the server restarted"

    # ---------------------------------------------------------------- actions (any thread)

    def resume(self) -> None:
        """paused → running; the message (why it was paused) is cleared."""
        with self.lock:
            if self.status != "running":
                self._require("resume", "paused")
                self.set_status("running", "")

    def pause(self) -> None:
        """running → paused."""
        with self.lock:
            if self.status != "paused":
                self._require("pause", "running")
                self.set_status("paused")
                self.runner.publish(force=True)  # viewers see exactly where it stopped

    def stop(self) -> None:
        """running or paused → stopped, for good (reset starts over)."""
        with self.lock:
            if self.status != "stopped":
                self._require("stop", "running", "paused")
                self.cancel_steps()
                self.set_status("stopped")

    def reset(self) -> None:
        """Back to the initial weights, epoch 0 and an empty history, paused."""
        with self.lock:
            self.cancel_steps()
            self.trainer.reset(self.initial)
            self.history.clear()
            self.keyframes.clear()
            self.keyframes.add(self.keyframe())
            self.events.clear()
            self.record, self.test_loss = None, None
            self.status, self.message = "paused", ""
            self.updated_at = now()
            self.persistence.save(self, clear_history=True)
            self.announce()

    def step(self, iterations: int = 0, epochs: int = 0) -> Future[None]:
        """On a paused job, run exactly so many iterations or epochs; the future is set then."""
        with self.lock:
            self._require("step", "paused")
            if self.steps is not None:
                raise JobStateError("step: another step request is still running")
            done: Future[None] = Future()
            target = self.trainer.epoch + epochs if epochs else self.trainer.iteration + iterations
            self.steps = ("epoch" if epochs else "iteration", target, done)
            self.lock.notify_all()
            return done

    def configure(self, changes: dict[str, Any]) -> None:
        """Apply "speed" (None: as fast as possible) and "learning_rate" (α) without a reset."""
        with self.lock:
            rate = changes.get("learning_rate")
            if rate is not None:
                rate = check_learning_rate(rate)
                if rate != self.trainer.learning_rate and len(self.events) >= MAX_EVENTS:
                    raise JobStateError(
                        f"learning_rate: this run has changed α {MAX_EVENTS} times, the most "
                        "one run can replay; fork it to go on with another α"
                    )
            # The spec is replaced, never changed in place: a checkpoint being written (or
            # kept to go back to) holds the one it was made with.
            spec = {**self.spec, "training": dict(self.spec["training"])}
            if "speed" in changes:
                speed = changes["speed"]
                self.speed = spec["speed"] = None if speed is None else float(speed)
            if rate is not None:
                if rate != self.trainer.learning_rate:  # takes effect from the next iteration
                    self.events.append((self.trainer.iteration, rate))
                self.trainer.learning_rate = spec["training"]["learning_rate"] = rate
            self.spec = spec
            self.updated_at = now()
            self.lock.notify_all()
            self.persistence.save(self)
            self.announce()

    def save(self) -> Future[None]:
        """Checkpoint now; the future fails with StorageError if the write fails."""
        with self.lock:
            return self.persistence.save(self)

    def wait_saved(self, timeout: float = 30.0) -> None:
        """Block until the latest checkpoint is written; StorageError if it was refused."""
        self.persistence.last.result(timeout=timeout)

    def close(self, save: bool = True) -> None:
        """End the worker thread, after a last checkpoint unless the job is being deleted."""
        with self.lock:
            self.closed = True
            self.cancel_steps(JobNotFound(f"step: job {self.id!r} was deleted while it ran"))
            self.lock.notify_all()
        self.thread.join(timeout=5)
        if save:
            self.save()
        self.hub.close()  # viewers are told the job is gone

    # ---------------------------------------------------------------- reads (any thread)

    def view(self) -> dict[str, Any]:
        """The job as the API shows it; lock-free, so the event loop never waits for a step."""
        return {
            "id": self.id,
            "status": self.status,
            "epoch": self.trainer.epoch,
            "iteration": self.trainer.iteration,
            "loss": self.trainer.last_loss,
            "test_loss": self.test_loss,
            "spec": self.spec,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "message": self.message,
            "saved": self.persistence.saved,
        }

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        """Hold the lock for a read; the worker steps aside between iterations while one waits."""
        self.readers.append(None)  # list append/pop are atomic: a counter without a lock
        try:
            with self.lock:
                yield
        finally:
            self.readers.pop()

    def weights(self) -> list[list[list[float]]]:
        """W^1..W^L in the article's form, (n_i, 1 + n_{i−1}) each."""
        with self.reading():
            return [w.tolist() for w in self.network.weights]

    def weight_arrays(self) -> list[Array]:
        """A copy of W^1..W^L, (n_i, 1 + n_{i−1}) each."""
        with self.reading():
            return self.network.copy_weights()

    def predict(self, inputs: Any) -> list[list[float | None]]:
        """Outputs (rows, n_L) of the current weights for inputs (rows, n_0)."""
        x = self.network.check_inputs(inputs)
        if not np.isfinite(x).all():
            raise ValueError("inputs: contain a non-finite number")
        with self.reading():
            y = self.network.predict(x)
        return [[v if np.isfinite(v) else None for v in row] for row in y.tolist()]

    def export(self) -> dict[str, Any]:
        """The model as a file: spec, current and initial weights (article form, copies),
        history; large, so encode it in pieces (ChunkedJSONResponse)."""
        with self.reading():
            return {
                "format": EXPORT_FORMAT,
                "job": self.view(),
                "spec": self.spec,
                "weights": self.network.copy_weights(),
                "initial_weights": [w.copy() for w in self.initial],
                "history": self.history.wire(),
            }

    def controlled_by(self, key: str | None, admin_key: str | None = None) -> bool:
        """Whether `key` is this job's key (or the operator's)."""
        return controls(key, self.key_hash, admin_key)

    # ---------------------------------------------------------------- replay (any thread)

    def trace(self, iteration: int | None = None, complete: bool = False) -> dict[str, Any] | None:
        """Iteration N's full record as a frame message (default: the last), recomputed from
        a keyframe unless it is the live one; None before the first iteration. Cut like every
        frame of a wide network (sampling.py) unless `complete`."""
        with self.reading():
            last = self.trainer.iteration
            n = last if iteration is None else iteration
            if n > last or n < 1:
                if iteration is None:
                    return None
                raise IterationNotFound(
                    f"trace: iteration {n} has not run; the job is at iteration {last}"
                )
            if n == last and self.record is not None:
                test_loss = self.trainer.test_loss()
                return frame(self.id, self.record, test_loss, "full", keep=True, complete=complete)
            keyframe, events, run = self._replay_from(n - 1)
        record, test_loss = self.replay().trace(n, keyframe, events, run)
        return frame(self.id, record, test_loss, "full", complete=complete)

    def losses(self, first: int, last: int) -> list[float]:
        """The exact batch loss of iterations first..last (at most MAX_EXACT), by replay."""
        with self.reading():
            iteration = self.trainer.iteration
            if not 1 <= first <= last <= iteration:
                raise IterationNotFound(
                    f"history: iterations {first}..{last} are not all in 1..{iteration}"
                )
            if last - first >= MAX_EXACT:
                raise ValueError(
                    f"to: at most {MAX_EXACT} iterations at once, asked for {last - first + 1}"
                )
            keyframe, events, run = self._replay_from(first - 1)
        return self.replay().losses(first, last, keyframe, events, run)

    def replay(self) -> Replay:
        """This job's replayer, made on first use."""
        if self._replay is None:
            self._replay = Replay(self.network, self.dataset, self.trainer.config)
        return self._replay

    def _replay_from(self, n: int) -> tuple[Keyframe, list[Event], int]:
        """The keyframe at or before iteration n, the events and which run (caller locks)."""
        keyframe = self.keyframes.nearest(n)
        assert keyframe is not None  # iteration 0 is always kept
        return keyframe, list(self.events), self.history.resets

    def keyframe(self) -> Keyframe:
        """The run as it stands now, to replay from (the caller holds the lock)."""
        params, state = self.network.params.tobytes(), self.trainer.state()
        return Keyframe(self.trainer.iteration, params, state, len(self.events))

    def _keyframe_bytes(self) -> int:
        """About what one keyframe holds: the weights and the trainer's state (its order)."""
        order = len(self.dataset.inputs) * 8 if self.trainer.config.shuffle else 0
        return self.network.params.nbytes + order + 512

    def cancel_steps(self, error: Exception | None = None) -> None:
        """Mark a step request done (it ran, or the job was stopped or reset), or failed."""
        if self.steps is not None:
            if error is None:
                self.steps[2].set_result(None)
            else:
                self.steps[2].set_exception(error)
            self.steps = None

    def roll_back(self, stored: Checkpoint, events: int, error: BaseException) -> None:
        """After a refused write: back to the last stored state (its weights, trainer, history,
        settings; `events` changes of α), paused, saying why (the caller holds the lock)."""
        self.cancel_steps()
        self.trainer.restore(stored.trainer, weights_from(stored.weights, self))
        assert stored.history is not None
        generation = self.history.generation
        self.history = History.frombytes(stored.history)
        self.history.generation = max(generation, self.history.generation) + 1  # resend all
        iteration = self.trainer.iteration
        kept = [k for k in self.keyframes if k.iteration <= iteration]
        self.keyframes = Keyframes.restored(self._keyframe_bytes(), kept, self.keyframes.spacing)
        del self.events[events:]
        if self._replay is not None:
            self._replay.run = -1  # its place may be past the stored state
        self.spec = stored.spec  # never changed in place (see configure)
        self.speed, self.record, self.test_loss = self.spec.get("speed"), None, stored.test_loss
        self.status = "paused" if stored.status == "running" else stored.status
        self.message = (
            f"not saved: {error}; the job is back at iteration {iteration}, its last stored "
            "state, and paused"
        )
        self.lock.notify_all()
        self.announce()

    def _require(self, action: str, *allowed: str) -> None:
        if self.status not in allowed:
            raise JobStateError(
                f"{action}: the job is {self.status}; {action} needs {' or '.join(allowed)}"
            )

    def set_status(self, status: str, message: str | None = None) -> None:
        """Change state (the caller holds the lock): checkpoint it and tell every viewer."""
        self.status = status
        if message is not None:
            self.message = message
        self.updated_at = now()
        self.lock.notify_all()
        self.persistence.save(self)
        self.announce()

    def announce(self) -> None:
        """A status message with the current view for every viewer (the caller holds the lock)."""
        if self.hub.subscriptions:
            message = encode({"type": "status", "job": self.view()})
            self.hub.publish_status(message, HistoryState.of(self.history))
