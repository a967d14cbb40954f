"""What any thread may read of a job: its view, weights, outputs, export, and replayed iterations.

`Job` (job.py) is a state machine over its run; these are its reads, which change nothing. The
view is read without the lock, so the event loop never waits for a quantum; the rest take the
lock (at most one quantum's wait) and leave long work — a replay — outside it.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

import numpy as np

from backend.engine.datasets import Dataset
from backend.engine.network import Network
from backend.engine.record import Array, StepRecord
from backend.engine.trainer import Trainer

from .errors import IterationNotFound
from .frame import frame
from .history import History
from .keys import controls
from .landscape import Parameter, Surface, path, surface
from .persistence import Persistence
from .run import Run
from .spec import JobSpec
from .status import Status

EXPORT_FORMAT = "backprop-playground/1"
MAX_EXACT = 65_536  # iterations of exact losses one request may recompute


class JobReads:
    """The reads of a job (job.py's `Job` has the state these name)."""

    id: str
    spec: JobSpec
    run: Run
    status: Status
    message: str
    created_at: str
    updated_at: str
    key_hash: str | None
    lock: threading.RLock
    persistence: Persistence

    # ---------------------------------------------------------------- the run, for readers

    @property
    def trainer(self) -> Trainer:
        return self.run.trainer

    @property
    def network(self) -> Network:
        return self.run.network

    @property
    def dataset(self) -> Dataset:
        return self.run.dataset

    @property
    def history(self) -> History:
        return self.run.history

    @property
    def record(self) -> StepRecord | None:
        return self.run.record

    # ---------------------------------------------------------------- reads (any thread)

    def view(self) -> dict[str, Any]:
        """The job as the API shows it; lock-free, so the event loop never waits for a step."""
        trainer, metrics = self.run.trainer, self.run.metrics
        return {
            "id": self.id,
            "status": self.status.value,
            "epoch": trainer.epoch,
            "iteration": trainer.iteration,
            "loss": trainer.last_loss,
            "test_loss": metrics.test_loss,
            "metrics": metrics.wire(),
            "spec": self.spec.as_dict,
            "engine": self.run.engine,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "message": self.message,
            "saved": self.persistence.saved,
        }

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        """Hold the lock for a read: between two quanta."""
        with self.lock:
            yield

    def weights(self) -> list[list[list[float]]]:
        """W^1..W^L in the article's form, (n_i, 1 + n_{i−1}) each."""
        with self.lock:
            return [w.tolist() for w in self.network.weights]

    def weight_arrays(self) -> list[Array]:
        """A copy of W^1..W^L, (n_i, 1 + n_{i−1}) each."""
        with self.lock:
            return self.network.copy_weights()

    def predict(self, inputs: Any) -> list[list[float | None]]:
        """Outputs (rows, n_L) of the current weights for inputs (rows, n_0)."""
        x = self.network.check_inputs(inputs)
        if not np.isfinite(x).all():
            raise ValueError("inputs: contain a non-finite number")
        with self.lock:
            y = self.network.predict(x)
        return [[v if np.isfinite(v) else None for v in row] for row in y.tolist()]

    def landscape(self, a: Parameter, b: Parameter, span: float, grid: int) -> dict[str, Any]:
        """The training loss over a grid of a and b around the current weights, and their
        path (landscape.py): the weights and keyframes read under the lock, computed outside."""
        with self.lock:
            weights, keyframes = self.network.copy_weights(), list(self.run.keyframes)
            network, loss, dataset = self.network, self.trainer.loss, self.dataset
        plane: Surface = surface(
            weights, network.activations, loss, dataset.inputs, dataset.targets, a, b, span, grid
        )
        now = (float(weights[a.layer][a.row, a.column]), float(weights[b.layer][b.row, b.column]))
        return {
            "a": plane.a,
            "b": plane.b,
            "loss": plane.loss,
            "path": path(keyframes, network.dtype, network.shapes, a, b, now),
            "includes_penalty": False,
        }

    def export(self) -> dict[str, Any]:
        """The model as a file: spec, current and initial weights (article form, copies),
        history; large, so encode it in pieces (ChunkedJSONResponse)."""
        with self.lock:
            return {
                "format": EXPORT_FORMAT,
                "job": self.view(),
                "spec": self.spec.as_dict,
                "weights": self.network.copy_weights(),
                "initial_weights": [w.copy() for w in self.run.initial],
                "history": self.history.wire(),
            }

    def controlled_by(self, key: str | None, admin_key: str | None = None) -> bool:
        """Whether `key` is this job's key (or the operator's)."""
        return controls(key, self.key_hash, admin_key)

    def trace(self, iteration: int | None = None, complete: bool = False) -> dict[str, Any] | None:
        """Iteration N's full record as a frame message (default: the last), exactly as it was
        trained: the live one, else recomputed from a keyframe — also the last iteration once a
        weight was edited after it (its weights are then those it left, GET /weights has the
        edited ones). None before the first iteration. Cut like every frame of a wide network
        (sampling.py) unless `complete`."""
        with self.lock:
            run = self.run
            n, record = self._trace_target(iteration), run.record
            if n is None:
                return None
            if run.is_live(n) and record is not None:
                test_loss = run.trainer.test_loss()
                return frame(self.id, record, test_loss, "full", keep=True, complete=complete)
            source = run.replay_from(n - 1)
        record, test_loss = run.replay().trace(n, *source)
        return frame(self.id, record, test_loss, "full", complete=complete)

    def losses(self, first: int, last: int) -> list[float]:
        """The exact batch loss of iterations first..last (at most MAX_EXACT), by replay."""
        with self.lock:
            self._check_range(first, last)
            source = self.run.replay_from(first - 1)
        return self.run.replay().losses(first, last, *source)

    def _trace_target(self, iteration: int | None) -> int | None:
        """The iteration a trace asks for (default: the last; None before any has run)."""
        last = self.run.trainer.iteration
        n = last if iteration is None else iteration
        if 1 <= n <= last:
            return n
        if iteration is None:
            return None
        raise IterationNotFound(f"trace: iteration {n} has not run; the job is at iteration {last}")

    def _check_range(self, first: int, last: int) -> None:
        """IterationNotFound or ValueError unless first..last can be replayed at once."""
        iteration = self.run.trainer.iteration
        if not 1 <= first <= last <= iteration:
            raise IterationNotFound(
                f"history: iterations {first}..{last} are not all in 1..{iteration}"
            )
        if last - first >= MAX_EXACT:
            raise ValueError(
                f"to: at most {MAX_EXACT} iterations at once, asked for {last - first + 1}"
            )
