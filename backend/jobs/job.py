"""One training job: its state machine and the worker thread that runs the engine's loop."""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future
from datetime import UTC, datetime
from typing import Any

import numpy as np

from backend.engine.record import StepRecord
from backend.engine.trainer import Trainer, check_learning_rate

from .errors import JobStateError
from .frame import encode, frame
from .history import History
from .hub import Hub
from .limits import Limits
from .spec import build

log = logging.getLogger(__name__)

ENDED = ("finished", "converged", "diverged", "failed", "stopped")
MAX_WAIT = 86_400.0  # seconds between paced iterations at most: speeds below 1/day wait a day


def now() -> str:
    """The current UTC time, ISO 8601."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class Job:
    """A network training in its own thread; every method is safe to call from any thread."""

    def __init__(self, job_id: str, spec: dict[str, Any], hub: Hub, limits: Limits) -> None:
        self.id, self.spec, self.hub = job_id, spec, hub
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
        self.status, self.message = "paused", ""
        self.created_at = self.updated_at = now()
        self.speed: float | None = spec.get("speed")
        self.test_loss: float | None = None
        self.record: StepRecord | None = None  # the trainer's buffers: read under the lock
        self.lock = threading.Condition()
        self._steps: tuple[str, int, Future[None]] | None = None  # a POST /step under way
        self._next_frame = 0.0
        self._closed = False
        self._readers: list[None] = []
        self.thread = threading.Thread(target=self._work, name=f"job-{job_id[:8]}", daemon=True)
        self.thread.start()

    # ---------------------------------------------------------------- actions (any thread)

    def resume(self) -> None:
        """paused → running."""
        with self.lock:
            if self.status != "running":
                self._require("resume", "paused")
                self._set_status("running")

    def pause(self) -> None:
        """running → paused."""
        with self.lock:
            if self.status != "paused":
                self._require("pause", "running")
                self._set_status("paused")
                if self.record is not None:
                    self._maybe_publish(force=True)  # viewers see exactly where it stopped

    def stop(self) -> None:
        """running or paused → stopped, for good (reset starts over)."""
        with self.lock:
            if self.status != "stopped":
                self._require("stop", "running", "paused")
                self._cancel_steps()
                self._set_status("stopped")

    def reset(self) -> None:
        """Back to the initial weights, epoch 0 and an empty history, paused."""
        with self.lock:
            self._cancel_steps()
            self.trainer.reset(self.initial)
            self.history.clear()
            self.record, self.test_loss = None, None
            self._set_status("paused", "")

    def step(self, iterations: int = 0, epochs: int = 0) -> Future[None]:
        """On a paused job, run exactly so many iterations or epochs; the future is set then."""
        with self.lock:
            self._require("step", "paused")
            if self._steps is not None:
                raise JobStateError("step: another step request is still running")
            done: Future[None] = Future()
            target = self.trainer.epoch + epochs if epochs else self.trainer.iteration + iterations
            self._steps = ("epoch" if epochs else "iteration", target, done)
            self.lock.notify_all()
            return done

    def configure(self, changes: dict[str, Any]) -> None:
        """Apply "speed" (None: as fast as possible) and "learning_rate" (α) without a reset."""
        with self.lock:
            if "speed" in changes:
                speed = changes["speed"]
                self.speed = self.spec["speed"] = None if speed is None else float(speed)
            if changes.get("learning_rate") is not None:
                rate = check_learning_rate(changes["learning_rate"])
                self.trainer.learning_rate = self.spec["training"]["learning_rate"] = rate
            self.updated_at = now()
            self.lock.notify_all()
        self.hub.publish_status(encode({"type": "status", "job": self.view()}))

    def close(self) -> None:
        """End the worker thread (deletion or shutdown)."""
        with self.lock:
            self._closed = True
            self._cancel_steps()
            self.lock.notify_all()
        self.hub.close()  # viewers are told the job is gone
        self.thread.join(timeout=5)

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
        }

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        """Hold the lock for a read; the worker steps aside between iterations while one waits."""
        self._readers.append(None)  # list append/pop are atomic: a counter without a lock
        try:
            with self.lock:
                yield
        finally:
            self._readers.pop()

    def weights(self) -> list[list[list[float]]]:
        """W^1..W^L in the article's form, (n_i, 1 + n_{i−1}) each."""
        with self.reading():
            return [w.tolist() for w in self.network.weights]

    def predict(self, inputs: Any) -> list[list[float | None]]:
        """Outputs (rows, n_L) of the current weights for inputs (rows, n_0)."""
        x = self.network.check_inputs(inputs)
        if not np.isfinite(x).all():
            raise ValueError("inputs: contain a non-finite number")
        with self.reading():
            y = self.network.predict(x)
        return [[v if np.isfinite(v) else None for v in row] for row in y.tolist()]

    def trace(self) -> dict[str, Any] | None:
        """The last iteration's full record as a frame message, or None before the first."""
        with self.reading():
            if self.record is None:
                return None
            return frame(self.id, self.record.copy(), self.test_loss, "full")

    # ---------------------------------------------------------------- the worker thread

    def _work(self) -> None:
        while True:
            with self.lock:
                while not self._closed and not self._active():
                    self.lock.wait()
                if self._closed:
                    return
                try:
                    self._iterate()
                except Exception as exc:  # a bug must not take the server down
                    log.exception("job %s failed", self.id)
                    self._cancel_steps()
                    self._set_status("failed", f"{type(exc).__name__}: {exc}")
                    continue
                delay = 1.0 / self.speed if self.speed and self.status == "running" else 0.0
                # A tiny speed (say 1e-12 it/s) would overflow the wait's deadline and kill
                # the thread; waiting at most MAX_WAIT seconds keeps every speed > 0 safe.
                delay = min(delay, MAX_WAIT)
                if delay:
                    self.lock.wait(timeout=delay)  # a pause, stop or new speed wakes it early
            if self._readers:
                time.sleep(0.0001)  # a lock is not fair: release it long enough for a reader

    def _active(self) -> bool:
        return self.status == "running" or self._steps is not None

    def _iterate(self) -> None:
        record = self.trainer.step()
        if record is None:  # the run had already ended
            self._set_status(self.trainer.status)
            return
        self.record = record
        self.history.loss.append(record.loss)
        ended = self.trainer.done
        stepped = self._steps is not None and self._steps_reached()
        self._maybe_publish(force=ended or stepped)
        if ended:
            self._end_run()
        if stepped or (ended and self._steps is not None):
            self._cancel_steps()

    def _steps_reached(self) -> bool:
        assert self._steps is not None
        unit, target, _ = self._steps
        count = self.trainer.epoch if unit == "epoch" else self.trainer.iteration
        return count >= target

    def _end_run(self) -> None:
        status = self.trainer.status
        message = {
            "finished": f"finished {self.trainer.epoch} epochs",
            "converged": f"converged: every |ΔW| < τ = {self.trainer.config.tolerance}",
            "diverged": f"diverged at iteration {self.trainer.diverged_at}: the loss or a "
            "weight is no longer a finite number; lower the learning rate",
        }[status]
        self._set_status(status, message)

    def _maybe_publish(self, force: bool) -> None:
        t = time.monotonic()
        if not force and t < self._next_frame:
            return
        details, fps = self.hub.wanted()
        # Frames go out at the fastest viewer's rate; without viewers the test loss is still
        # sampled 30 times a second for the history.
        self._next_frame = t + 1.0 / max(fps, 30.0)
        assert self.record is not None
        self.test_loss = self.trainer.test_loss()
        if self.test_loss is not None:
            self.history.test.append((self.record.iteration, self.test_loss))
        if details:
            self.hub.publish_frame(
                {d: encode(frame(self.id, self.record, self.test_loss, d)) for d in details}
            )

    def _cancel_steps(self) -> None:
        if self._steps is not None:
            self._steps[2].set_result(None)
            self._steps = None

    def _require(self, action: str, *allowed: str) -> None:
        if self.status not in allowed:
            raise JobStateError(
                f"{action}: the job is {self.status}; {action} needs {' or '.join(allowed)}"
            )

    def _set_status(self, status: str, message: str | None = None) -> None:
        self.status = status
        if message is not None:
            self.message = message
        self.updated_at = now()
        self.lock.notify_all()
        self.hub.publish_status(encode({"type": "status", "job": self.view()}))
