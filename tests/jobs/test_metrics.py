"""Meter: the whole sets' mean per-row loss and accuracy, against a NumPy reference written here,
in one pass or in chunks of rows, for each loss and output."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.typing import NDArray

from backend.engine.datasets import from_arrays
from backend.engine.losses import get_loss
from backend.engine.network import Network
from backend.jobs import metrics
from backend.jobs.metrics import Meter, measure

Rows = NDArray[np.float64]
RNG = np.random.default_rng(4)
X, X_TEST = RNG.normal(size=(37, 3)), RNG.normal(size=(11, 3))


def classes(n: int, outputs: int) -> Rows:
    """One-hot targets (one output: 0 or 1)."""
    labels = RNG.integers(0, max(2, outputs), n)
    return labels[:, None].astype(float) if outputs == 1 else np.eye(outputs)[labels]


def reference(net: Network, loss: str, x: Rows, t: Rows) -> tuple[float, float]:
    """Mean per-row loss (½ Σ_j (y_j − t_j)² for half_sse) and the share of rows right."""
    y = net.predict(x)
    if loss == "half_sse":
        rows = 0.5 * ((y - t) ** 2).sum(axis=1)
    elif loss == "mse":
        rows = ((y - t) ** 2).mean(axis=1)
    elif net.output_activation == "softmax":
        rows = -(t * np.maximum(np.log(y), -100)).sum(axis=1)
    else:
        log_y, log_1y = np.maximum(np.log(y), -100), np.maximum(np.log(1 - y), -100)
        rows = -(t * log_y + (1 - t) * log_1y).mean(axis=1)
    right = (y[:, 0] >= 0.5) == (t[:, 0] >= 0.5) if y.shape[1] == 1 else y.argmax(1) == t.argmax(1)
    return float(rows.mean()), float(right.mean())


@pytest.mark.parametrize("chunk_values", [metrics.CHUNK_VALUES, 40])  # one pass; 2 rows a chunk
@pytest.mark.parametrize(
    ("loss", "output", "outputs"),
    [
        ("half_sse", "sigmoid", 1),
        ("mse", "sigmoid", 3),
        ("cross_entropy", "sigmoid", 1),
        ("cross_entropy", "softmax", 3),
        ("half_sse", "relu", 2),
    ],
)
def test_the_meter_matches_the_reference(
    monkeypatch: pytest.MonkeyPatch, chunk_values: int, loss: str, output: str, outputs: int
) -> None:
    monkeypatch.setattr(metrics, "CHUNK_VALUES", chunk_values)
    net = Network([3, 6, 4, outputs], "tanh", output, seed=2)
    data = from_arrays(X, classes(37, outputs), X_TEST, classes(11, outputs))
    meter = Meter(net, get_loss(loss, output), data)
    assert len(meter.train.chunks) == (1 if chunk_values > 40 else 37 // meter.chunk + 1) > 0
    for _ in range(2):  # the buffers are reused: a second measurement at new weights
        got = meter(5, 1)
        train, test = (
            reference(net, loss, X, data.targets),
            reference(net, loss, X_TEST, data.test_targets),
        )
        classified = output in ("sigmoid", "softmax")
        assert got.train_loss == pytest.approx(train[0], rel=1e-12)
        assert got.test_loss == pytest.approx(test[0], rel=1e-12)
        assert got.train_accuracy == (train[1] if classified else None)
        assert got.test_accuracy == (test[1] if classified else None)
        assert (got.iteration, got.epoch) == (5, 1)
        net.params += 0.3 * RNG.normal(size=net.params.shape)


def test_targets_that_are_not_classes_and_no_test_rows() -> None:
    net = Network([3, 2], "sigmoid", "sigmoid", seed=1)
    t = RNG.random((37, 2))  # in [0, 1] but not 0/1: a regression
    got = measure(net, get_loss("half_sse", "sigmoid"), from_arrays(X, t), 0, 0)
    assert got.train_accuracy is got.test_loss is got.test_accuracy is None
    assert got.train_loss == pytest.approx(reference(net, "half_sse", X, t)[0], rel=1e-12)
    classes_but_test = from_arrays(X, classes(37, 2), X_TEST, RNG.random((11, 2)))
    mixed = measure(net, get_loss("half_sse", "sigmoid"), classes_but_test, 0, 0)
    assert mixed.train_accuracy is None  # every target of both splits must be 0 or 1


def test_a_diverged_network_measures_none() -> None:
    net = Network([3, 1], "linear", "linear", seed=1)
    net.params[:] = 1e300
    got = measure(net, get_loss("mse", "linear"), from_arrays(X, RNG.random((37, 1))), 3, 0)
    assert got.train_loss is None and got.point() == (3, None, None, None, None)
