"""The article's training loop: for each epoch, for each batch, forward, backward, update."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .batching import partition
from .losses import get_loss
from .network import Network
from .record import StepRecord
from .workspace import Workspace

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


class Trainer:
    """Trains `network` on rows (rows, n_0) → (rows, n_L); `step()` runs one iteration."""

    def __init__(
        self,
        network: Network,
        inputs: Array,
        targets: Array,
        config: TrainingConfig | None = None,
        test_inputs: Array | None = None,
        test_targets: Array | None = None,
    ) -> None:
        self.network = network
        self.config = config or TrainingConfig()
        self.loss = get_loss(self.config.loss, network.output_activation)
        x, self.targets = self._check_rows(inputs, targets, "inputs", "targets")
        if len(x) == 0:
            raise ValueError("inputs: no rows")
        if self.config.epochs < 1:
            raise ValueError(f"epochs: must be at least 1, got {self.config.epochs}")
        self.learning_rate = check_learning_rate(self.config.learning_rate)
        self.slices = partition(self.config.mode, len(x), self.config.batch_size)
        # [1; x]: the article's input vectors with a leading 1 for the bias column of W^1, a column
        # per sample; each batch gets its own contiguous block, rebuilt when an epoch reshuffles.
        self.inputs = np.vstack([np.ones((1, len(x)), network.dtype), x.T])
        self.targets_t = np.ascontiguousarray(self.targets.T)
        self.test = None
        if test_inputs is not None and test_targets is not None and len(test_inputs):
            self.test = self._check_rows(test_inputs, test_targets, "test_inputs", "test_targets")
        self.grad_params = np.zeros_like(network.params)
        self.grads = network.views(self.grad_params)
        self.delta = np.zeros_like(network.params)
        self.workspaces = {n: Workspace(network, n) for n in {b - a for a, b in self.slices}}
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
        self.rng = np.random.default_rng([self.config.seed, 1])
        self.order = np.arange(len(self.targets))
        self.blocks = self._blocks()
        self.next_batch = 0  # where in the epoch the next iteration starts
        self._iterations = self._loop()

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
            self.blocks = self._blocks()
        self._iterations = self._loop()

    def step(self) -> StepRecord | None:
        """Run one iteration; None once the run has ended (finished, converged or diverged)."""
        return next(self._iterations, None)

    def run(self) -> Iterator[StepRecord]:
        """Every remaining iteration's record; stop iterating to pause, go on to resume."""
        while (record := self.step()) is not None:
            yield record

    @property
    def done(self) -> bool:
        """True once the run has ended."""
        return self.status in ENDED

    def _loop(self) -> Iterator[StepRecord]:
        while self.status not in ENDED and self.epoch < self.config.epochs:  # for e = 1..epochs
            if self.next_batch == 0:
                self._begin_epoch()
            for b in range(self.next_batch, len(self.slices)):  # for b = 1..batches
                yield self._iterate(b, *self.slices[b])  # forward pass, backward pass, update
                if self.status in ENDED:
                    return

    def _begin_epoch(self) -> None:
        if self.config.shuffle:
            self.order = self.rng.permutation(len(self.targets))
            self.blocks = self._blocks()

    def _blocks(self) -> list[tuple[Array, Array]]:
        """Per batch of this epoch's order: [1; x] (1 + n_0, b) and t (n_L, b), contiguous."""
        x, t = self.inputs[:, self.order], self.targets_t[:, self.order]
        return [(x[:, a:b].copy(), t[:, a:b].copy()) for a, b in self.slices]

    def _iterate(self, b: int, start: int, stop: int) -> StepRecord:
        ws, net = self.workspaces[stop - start], self.network
        x, t = self.blocks[b]
        epoch = self.epoch
        with np.errstate(all="ignore"):  # overflow is reported as status "diverged", not a warning
            ws.forward(x)
            loss = self.loss.value(ws.y[-1], t)
            ws.backward(x, t, self.loss, self.grads)
            # W := W − α ∂ℓ/∂W for every layer at once, the bias column included.
            np.multiply(self.grad_params, -self.learning_rate, out=self.delta)
            net.params += self.delta
            # max |ΔW| without a temporary |ΔW| array
            max_delta = max(
                float(np.maximum.reduce(self.delta)), -float(np.minimum.reduce(self.delta))
            )
            finite = math.isfinite(loss) and math.isfinite(float(np.add.reduce(net.params)))
        self.iteration += 1
        self.last_loss = loss
        self._advance(b, loss, max_delta, finite)
        return StepRecord(
            epoch,
            b,
            self.iteration,
            self.order[start:stop],
            x[1:],
            t,
            loss,
            ws.z,
            ws.y,
            ws.dy,
            ws.dz,
            self.grads,
            net.weights,
            max_delta,
            self.learning_rate,
            self.status,
        )

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
