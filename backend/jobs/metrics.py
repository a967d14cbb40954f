"""How the network does on the whole data set: per-row losses averaged, and accuracy.

The batch loss ℓ of an iteration (eq. 5) is of one batch, before its update; these are of every
row at the current weights, so that a learner compares like with like: the training rows'
mean loss beside the test rows', and the share of rows classified right. The penalty λR of
a regularised run (engine/regularization.py) is measured apart: the losses are the data loss ℓ.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from backend.engine.datasets import Dataset
from backend.engine.losses import Loss
from backend.engine.network import Network
from backend.engine.record import Array
from backend.engine.regularization import Penalty

# Losses summed over a batch's rows (eq. 5); the others are means already, so that their value on
# a batch is the mean of its rows' values.
SUMMED = frozenset({"half_sse"})
CLASSIFIERS = frozenset({"sigmoid", "softmax"})
CHUNK_VALUES = 1 << 18  # activations held at once: rows are evaluated this many values a pass

Point = tuple[int, float | None, float | None, float | None, float | None]


@dataclass(slots=True)  # not frozen: made at every metric point, where frozen's __init__ costs
class Metrics:
    """The whole sets' losses and accuracies at the weights after `iteration`; None where there
    is no test set, or (accuracies) where the targets are not classes; the penalty λR at those
    weights (0.0 without regularisation, None once not finite), which the losses exclude. Never
    changed: a newer measurement replaces it."""

    iteration: int
    epoch: int
    train_loss: float | None
    test_loss: float | None
    train_accuracy: float | None
    test_accuracy: float | None
    penalty: float | None = 0.0

    def wire(self) -> dict[str, int | float | None]:
        """As the job view's and frames' `metrics`."""
        return {
            "iteration": self.iteration,
            "epoch": self.epoch,
            "train_loss": self.train_loss,
            "test_loss": self.test_loss,
            "train_accuracy": self.train_accuracy,
            "test_accuracy": self.test_accuracy,
            "penalty": self.penalty,
        }

    def point(self) -> Point:
        """(iteration, train loss, test loss, train accuracy, test accuracy): a history point."""
        return (
            self.iteration,
            self.train_loss,
            self.test_loss,
            self.train_accuracy,
            self.test_accuracy,
        )


class Meter:
    """Measures one network on one data set's rows, again and again, in buffers made once.

    Eqs. (1)–(2) for every row as W^i [1; y^(i−1)], a column per row: each layer's buffer
    keeps a leading row of ones, so that the bias (column 0 of W^i) is part of the product.
    """

    def __init__(
        self, network: Network, loss: Loss, dataset: Dataset, penalty: Penalty | None = None
    ) -> None:
        self.network, self.loss = network, loss
        self.penalty = penalty or Penalty(network)  # default: none, λR = 0
        targets = [dataset.targets, dataset.test_targets]
        self.classes = network.output_activation in CLASSIFIERS and all(
            bool(np.all((t == 0.0) | (t == 1.0))) for t in targets
        )
        per_row = sum(1 + n for n in network.sizes)  # values one row needs in the buffers
        self.chunk = max(1, CHUNK_VALUES // per_row)
        self.train = _Rows(network, dataset.inputs, dataset.targets, self.chunk)
        self.test = _Rows(network, dataset.test_inputs, dataset.test_targets, self.chunk)

    def __call__(self, iteration: int, epoch: int) -> Metrics:
        """The metrics of the network's weights as they stand now."""
        with np.errstate(all="ignore"):  # a diverged network: inf and NaN, not warnings
            train_loss, train_accuracy = self._on(self.train)
            test_loss, test_accuracy = self._on(self.test)
            penalty = _finite(self.penalty.value(self.network.params))  # λR, the objective's rest
        return Metrics(
            iteration, epoch, train_loss, test_loss, train_accuracy, test_accuracy, penalty
        )

    def _on(self, rows: _Rows) -> tuple[float | None, float | None]:
        """Mean per-row loss and accuracy over `rows`; (None, None) without rows."""
        if not rows.count:
            return None, None
        total, right = 0.0, 0
        summed = self.loss.name in SUMMED
        for chunk in rows.chunks:
            y, t = chunk.forward()
            value = self.loss.value(y, t)
            total += value if summed else value * y.shape[1]  # a chunk's mean × its rows
            if self.classes:
                right += _right(y, t)
        loss = _finite(total / rows.count)
        return loss, (right / rows.count if self.classes else None)


class _Rows:
    """One split's rows, in chunks of at most `chunk` rows."""

    def __init__(self, network: Network, x: Array, t: Array, chunk: int) -> None:
        self.count = len(x)
        self.chunks = [
            _Chunk(network, x[start : start + chunk], t[start : start + chunk])
            for start in range(0, self.count, chunk)
        ]


class _Chunk:
    """Rows x (rows, n_0) → t (rows, n_L): every layer's buffer (1 + n_i, rows) with row 0 all
    ones (the output layer's (n_L, rows), without it), and the passes over them, made once."""

    def __init__(self, network: Network, x: Array, t: Array) -> None:
        dtype, sizes = network.dtype, network.sizes
        buffers = [np.ones((1 + n, len(x)), dtype=dtype) for n in sizes[:-1]]
        buffers[0][1:] = x.T
        buffers.append(np.empty((sizes[-1], len(x)), dtype=dtype))
        self.y, self.t = buffers[-1], np.ascontiguousarray(t.T, dtype=dtype)
        last = len(network.weights) - 1
        # Layer i's weights (views of the network's parameters: they follow every update),
        # its input buffer, where its z (then y) goes, and its f.
        self.passes: list[tuple[Array, Array, Array, Callable[[Array, Array], None]]] = [
            (w, buffers[i], buffers[i + 1] if i == last else buffers[i + 1][1:], f.forward)
            for i, (w, f) in enumerate(zip(network.weights, network.activations, strict=True))
        ]

    def forward(self) -> tuple[Array, Array]:
        """The outputs y^L and the targets, (n_L, rows) each, at the network's weights now."""
        for w, below, z, f in self.passes:
            np.matmul(w, below, out=z)  # eq. (1): z_j = b_j + w_j · y^(i−1), the bias in column 0
            f(z, z)  # eq. (2): y_j = f(z_j), in place
        return self.y, self.t


def measure(network: Network, loss: Loss, dataset: Dataset, iteration: int, epoch: int) -> Metrics:
    """The metrics of `network` as it stands on the dataset's training and test rows."""
    return Meter(network, loss, dataset)(iteration, epoch)


def _right(y: Array, t: Array) -> int:
    """Rows classified right, (n_L, rows) each: one output thresholded at 0.5, several by argmax."""
    if y.shape[0] == 1:
        return int(np.count_nonzero((y[0] >= 0.5) == (t[0] >= 0.5)))
    return int(np.count_nonzero(np.argmax(y, axis=0) == np.argmax(t, axis=0)))


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None
