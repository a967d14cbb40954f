"""The article's training loop: for each epoch, for each batch, forward, backward, update."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from . import compiled
from .batching import partition
from .compiled import CompiledPasses
from .losses import get_loss
from .network import Network
from .record import StepRecord
from .regularization import Penalty
from .workspace import NumpyPasses

Array = NDArray[np.floating]

STATUSES = ("ready", "running", "finished", "converged", "diverged")
ENDED = ("finished", "converged", "diverged")


@dataclass(frozen=True)
class TrainingConfig:
    """The run's settings, in the article's vocabulary (α = learning_rate, τ = tolerance)."""

    loss: str = "half_sse"
    mode: str = "minibatch"
    batch_size: int = 2
    learning_rate: float = 0.5
    epochs: int = 1000
    tolerance: float = 0.0  # τ: stop as converged when max |ΔW| < τ; 0 turns it off
    shuffle: bool = False
    seed: int = 0
    regularization: str = "none"  # the penalty R on the weights: "none", "l1" or "l2"
    regularization_rate: float = 0.0  # λ: the objective is ℓ + λR (regularization.py)


class Last(NamedTuple):
    """What the record of the last iteration holds beyond the engine's buffers."""

    epoch: int
    batch: int
    loss: float
    max_delta: float
    learning_rate: float


class Trainer:
    """Trains `network` on rows (rows, n_0) → (rows, n_L); `advance(k)` runs k iterations.

    engine "numpy" runs workspace.py's passes (the reference), "compiled" the numba kernel
    (float64 only); both train the same batches in the same order and stop the same way.
    """

    def __init__(
        self,
        network: Network,
        inputs: Array,
        targets: Array,
        config: TrainingConfig | None = None,
        test_inputs: Array | None = None,
        test_targets: Array | None = None,
        engine: str = "numpy",
    ) -> None:
        self.network = network
        self.engine = compiled.check_engine(engine, network)
        self.config = config or TrainingConfig()
        self.loss = get_loss(self.config.loss, network.output_activation)
        x, self.targets = self._check_rows(inputs, targets, "inputs", "targets")
        if len(x) == 0:
            raise ValueError("inputs: no rows")
        if self.config.epochs < 1:
            raise ValueError(f"epochs: must be at least 1, got {self.config.epochs}")
        self.learning_rate = check_learning_rate(self.config.learning_rate)
        self.penalty = Penalty(network, self.config.regularization, self.config.regularization_rate)
        self.slices = partition(self.config.mode, len(x), self.config.batch_size)
        self.test = None
        if test_inputs is not None and test_targets is not None and len(test_inputs):
            self.test = self._check_rows(test_inputs, test_targets, "test_inputs", "test_targets")
        self.grad_params = np.zeros_like(network.params)
        self.grads = network.views(self.grad_params)
        data = (x, self.targets, self.slices, self.grad_params)
        self.passes: NumpyPasses | CompiledPasses = (
            CompiledPasses(network, self.config, *data)
            if self.engine == "compiled"
            else NumpyPasses(network, self.loss, *data, self.penalty)
        )
        self.losses = np.empty(0)  # each iteration's ℓ, of the last advance()
        self.reset()

    def reset(self, weights: list[Array] | None = None) -> None:
        """Back to epoch 0, with `weights` (default: the current ones) and the seeded shuffle."""
        if weights is not None:
            self.network.set_weights(weights)
        self.epoch = 0  # completed epochs
        self.iteration = 0  # weight updates so far
        self.status = "ready"
        self.diverged_at: int | None = None
        self.last_loss: float | None = None
        self.last: Last | None = None
        self.rng = np.random.default_rng([self.config.seed, 1])
        self.order = np.arange(len(self.targets))
        self.passes.arrange(self.order)
        self.next_batch = 0  # where in the epoch the next iteration starts

    def state(self) -> dict[str, Any]:
        """Where the run stands, as plain JSON-able data (the weights are the network's)."""
        return {
            "epoch": self.epoch,
            "iteration": self.iteration,
            "next_batch": self.next_batch,
            "status": self.status,
            "diverged_at": self.diverged_at,
            "last_loss": self.last_loss,
            "learning_rate": self.learning_rate,
            "order": self.order.tolist() if self.config.shuffle else None,
            "rng": self.rng.bit_generator.state,
        }

    def restore(self, state: dict[str, Any], weights: list[Array]) -> None:
        """Continue from `state()` and its weights exactly as the uninterrupted run would."""
        self.reset(weights)
        self.epoch, self.iteration = int(state["epoch"]), int(state["iteration"])
        self.next_batch, self.status = int(state["next_batch"]), str(state["status"])
        self.diverged_at, self.last_loss = state["diverged_at"], state["last_loss"]
        self.learning_rate = check_learning_rate(float(state["learning_rate"]))
        self.rng.bit_generator.state = state["rng"]
        if state["order"] is not None:
            self.order = np.asarray(state["order"], dtype=np.intp)
            self.passes.arrange(self.order)

    def advance(self, limit: int) -> NDArray[np.float64]:
        """Run up to `limit` ≥ 1 iterations, fewer only if the run ends; each one's batch ℓ,
        (iterations,): a view valid until the next call, empty once the run has ended."""
        if limit < 1:
            raise ValueError(f"limit: must be at least 1, got {limit}")
        left = 0 if self.done else (self.config.epochs - self.epoch) * len(self.slices)
        out = self._loss_buffer(min(limit, left - self.next_batch))
        ran = 0
        while ran < len(out) and not self.done:  # for e = 1..epochs: for b = 1..batches
            if self.next_batch == 0:
                self._begin_epoch()
            if isinstance(self.passes, CompiledPasses):
                ran += self._compiled(self.passes, out[ran:])
            else:
                out[ran] = self._iterate(self.passes)
                ran += 1
        return out[:ran]

    def record(self) -> StepRecord | None:
        """The trace of the last iteration, views valid until the next; None if none has run
        since construction, reset() or restore()."""
        if self.last is None:
            return None
        epoch, b, loss, max_delta, learning_rate = self.last
        inputs, targets, z, y, dy, dz = self.passes.trace(b)
        start, stop = self.slices[b]
        return StepRecord(
            epoch,
            b,
            self.iteration,
            self.order[start:stop],
            inputs,
            targets,
            loss,
            z,
            y,
            dy,
            dz,
            self.grads,
            self.network.weights,
            max_delta,
            learning_rate,
            self.status,
        )

    def step(self) -> StepRecord | None:
        """Run one iteration; None once the run has ended (finished, converged or diverged)."""
        return self.record() if len(self.advance(1)) else None

    def run(self) -> Iterator[StepRecord]:
        """Every remaining iteration's record; stop iterating to pause, go on to resume."""
        while (record := self.step()) is not None:
            yield record

    @property
    def done(self) -> bool:
        """True once the run has ended."""
        return self.status in ENDED

    def _loss_buffer(self, n: int) -> NDArray[np.float64]:
        if len(self.losses) < n:
            self.losses = np.empty(n)
        return self.losses[:n]

    def _begin_epoch(self) -> None:
        if self.config.shuffle:
            self.order = self.rng.permutation(len(self.targets))
            self.passes.arrange(self.order)

    def _iterate(self, passes: NumpyPasses) -> float:
        """One iteration of the NumPy engine; its batch's ℓ."""
        b, epoch, alpha = self.next_batch, self.epoch, self.learning_rate
        loss, max_delta, finite = passes.iterate(b, alpha)
        self.iteration += 1
        self.last_loss = loss
        self._advance(b, loss, max_delta, finite)
        self.last = Last(epoch, b, loss, max_delta, alpha)
        return loss

    def _compiled(self, passes: CompiledPasses, out: NDArray[np.float64]) -> int:
        """The kernel's iterations, ℓ into `out`: up to the epoch's end when shuffling."""
        alpha = self.learning_rate
        ran, self.next_batch, self.epoch, self.status, max_delta = passes.run(
            (self.next_batch, self.epoch, alpha), out
        )
        self.iteration += ran
        self.last_loss = float(out[ran - 1])
        if self.status == "diverged":
            self.diverged_at = self.iteration
        b = (self.next_batch - 1) % len(self.slices)
        self.last = Last(self.epoch - (self.next_batch == 0), b, self.last_loss, max_delta, alpha)
        return ran

    def _advance(self, b: int, loss: float, max_delta: float, finite: bool) -> None:
        self.next_batch = (b + 1) % len(self.slices)
        if self.next_batch == 0:
            self.epoch += 1
        if not finite or not math.isfinite(max_delta):
            self.status, self.diverged_at = "diverged", self.iteration
        elif max_delta < self.config.tolerance:
            self.status = "converged"
        elif self.epoch >= self.config.epochs:
            self.status = "finished"
        else:
            self.status = "running"

    def evaluate(self, inputs: Array, targets: Array) -> float:
        """ℓ of the current weights on rows (rows, n_0) → (rows, n_L), e.g. held-out data."""
        x, t = self._check_rows(inputs, targets, "inputs", "targets")
        with np.errstate(all="ignore"):
            return self.loss.value(self.network.forward(x)[1][-1], np.ascontiguousarray(t.T))

    def test_loss(self) -> float | None:
        """ℓ on the held-out rows given at construction, or None if there are none."""
        return None if self.test is None else self.evaluate(*self.test)

    def _check_rows(self, x: Array, t: Array, xname: str, tname: str) -> tuple[Array, Array]:
        xa = self.network.check_inputs(x)
        ta = np.asarray(t, dtype=self.network.dtype)
        n_out = self.network.sizes[-1]
        if ta.ndim != 2 or ta.shape[1] != n_out:
            raise ValueError(f"{tname}: expected shape (rows, {n_out}), got {list(ta.shape)}")
        if len(ta) != len(xa):
            raise ValueError(f"{tname}: {len(ta)} rows, but {xname} has {len(xa)}")
        if not (np.isfinite(xa).all() and np.isfinite(ta).all()):
            raise ValueError(f"{xname}/{tname}: contain a non-finite number")
        return xa, ta


def check_learning_rate(value: float) -> float:
    """α as a float: finite and positive."""
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"learning_rate: must be a finite number > 0, got {value}")
    return float(value)
