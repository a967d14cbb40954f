"""The compiled engine against the NumPy engine, the reference: every activation, loss and mode.

Both engines train the same network from the same weights on the same rows; the kernel's sums run
in another order than BLAS's, so they agree to the last bits of a double, not bit for bit. The
long runs use a learning rate small enough for gradient descent to be stable: where it is not
(an oscillating run), any two orders of summation drift apart exponentially, whatever the code.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from backend.engine.activations import HIDDEN_ACTIVATIONS
from backend.engine.network import Network
from backend.engine.record import StepRecord
from backend.engine.trainer import Trainer, TrainingConfig

SIZES = (3, 4, 3, 2)
ROWS = 5
MODES = [("batch", ROWS), ("sgd", 1), ("minibatch", 2)]  # minibatch: [0:2], [2:4], a short [4:5]
# Every loss with every output activation it accepts (losses.LOSS_OUTPUTS).
PAIRINGS = [
    *(("half_sse", out) for out in ("sigmoid", "tanh", "relu", "linear", "softmax")),
    *(("mse", out) for out in ("sigmoid", "tanh", "relu", "linear", "softmax")),
    ("cross_entropy", "sigmoid"),
    ("cross_entropy", "softmax"),
]
CASES = [
    (hidden, loss, output, mode, batch, shuffle)
    for hidden, (loss, output), (mode, batch), shuffle in itertools.product(
        HIDDEN_ACTIVATIONS, PAIRINGS, MODES, (False, True)
    )
]
IDS = [
    f"{h}-{loss}-{out}-{mode}-{'shuffled' if s else 'ordered'}"
    for h, loss, out, mode, _, s in CASES
]


def rows(output: str, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Inputs (ROWS, 3) and targets (ROWS, 2) the output can reach: probabilities for softmax."""
    rng = np.random.default_rng(seed)
    x = rng.normal(0.0, 1.0, (ROWS, SIZES[0]))
    t = rng.uniform(0.0, 1.0, (ROWS, SIZES[-1]))
    return x, t / t.sum(axis=1, keepdims=True) if output == "softmax" else t


def pair(
    hidden: str, loss: str, output: str, mode: str, batch: int, shuffle: bool, **config: float
) -> tuple[Trainer, Trainer]:
    """A NumPy and a compiled trainer of the same network, weights, rows and settings."""
    x, t = rows(output)
    settings = TrainingConfig(loss, mode, batch, shuffle=shuffle, seed=4, **config)  # type: ignore[arg-type]
    weights = Network(SIZES, hidden, output, seed=1).copy_weights()
    for w in weights:  # biases away from 0, so that column 0 is checked too
        w[:, 0] = np.linspace(-0.3, 0.3, len(w))
    return tuple(  # type: ignore[return-value]
        Trainer(Network(SIZES, hidden, output, weights=weights), x, t, settings, engine=engine)
        for engine in ("numpy", "compiled")
    )


def arrays(record: StepRecord) -> dict[str, np.ndarray]:
    """Every array a record shows, by name."""
    named = {"inputs": record.inputs, "targets": record.targets}
    for field in ("z", "y", "dy", "dz", "grads", "weights"):
        for i, a in enumerate(getattr(record, field), start=1):
            named[f"{field}[{i}]"] = a
    return named


def assert_records_agree(mine: StepRecord, ref: StepRecord, tol: float) -> None:
    """Same counters and rows, and every number within `tol`."""
    for field in ("epoch", "batch", "iteration", "status", "learning_rate"):
        assert getattr(mine, field) == getattr(ref, field), field
    assert mine.rows.tolist() == ref.rows.tolist()
    np.testing.assert_allclose(mine.loss, ref.loss, rtol=0, atol=tol)
    np.testing.assert_allclose(mine.max_delta, ref.max_delta, rtol=0, atol=tol)
    ours, theirs = arrays(mine), arrays(ref)
    for name, a in theirs.items():
        assert ours[name].shape == a.shape, name
        np.testing.assert_allclose(ours[name], a, rtol=0, atol=tol, err_msg=name)


def assert_states_agree(mine: Trainer, ref: Trainer, tol: float) -> None:
    """Same counters, order and generator state; last loss and weights within `tol`."""
    a, b = mine.state(), ref.state()
    np.testing.assert_allclose(a.pop("last_loss"), b.pop("last_loss"), rtol=0, atol=tol)
    assert a == b
    np.testing.assert_allclose(mine.network.params, ref.network.params, rtol=0, atol=tol)


@pytest.mark.parametrize(("hidden", "loss", "output", "mode", "batch", "shuffle"), CASES, ids=IDS)
def test_one_step_from_the_same_state(hidden, loss, output, mode, batch, shuffle) -> None:
    """One iteration, from the start and from a state mid-run: the whole trace to 1e-13."""
    ref, mine = pair(hidden, loss, output, mode, batch, shuffle, learning_rate=0.05)
    first, reference = mine.step(), ref.step()
    assert first is not None and reference is not None
    assert_records_agree(first, reference, 1e-13)
    ref.advance(6)  # on to the middle of an epoch; the compiled trainer restores its state
    mine.restore(ref.state(), ref.network.copy_weights())
    assert mine.record() is None
    record, reference = mine.step(), ref.step()
    assert record is not None and reference is not None
    assert_records_agree(record, reference, 1e-13)
    assert_states_agree(mine, ref, 1e-13)


@pytest.mark.parametrize(("hidden", "loss", "output", "mode", "batch", "shuffle"), CASES, ids=IDS)
def test_a_thousand_steps(hidden, loss, output, mode, batch, shuffle) -> None:
    """A thousand iterations: each loss, the weights and the last trace to 1e-9, equal counters."""
    ref, mine = pair(hidden, loss, output, mode, batch, shuffle, learning_rate=0.05)
    ours, theirs = mine.advance(1000), ref.advance(1000)
    assert len(ours) == len(theirs) == 1000
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-9)
    assert_states_agree(mine, ref, 1e-9)
    record, reference = mine.record(), ref.record()
    assert record is not None and reference is not None
    assert_records_agree(record, reference, 1e-9)


@pytest.mark.parametrize(("mode", "batch"), MODES)
def test_tolerance_converges_at_the_same_iteration(mode: str, batch: int) -> None:
    """τ: both stop as converged after the same update."""
    ref, mine = pair("tanh", "half_sse", "sigmoid", mode, batch, True, tolerance=2e-3)
    theirs, ours = ref.advance(100_000), mine.advance(100_000)
    assert ref.status == mine.status == "converged"
    assert len(ours) == len(theirs) < 100_000
    assert_states_agree(mine, ref, 1e-9)
    assert len(mine.advance(5)) == 0 and mine.step() is None


@pytest.mark.parametrize(
    ("hidden", "output", "alpha"),
    [("tanh", "linear", 1e6), ("relu", "linear", 100.0), ("linear", "linear", 5.0)],
)
@pytest.mark.parametrize(("mode", "batch"), MODES)
def test_divergence_at_the_same_iteration(
    hidden: str, output: str, alpha: float, mode: str, batch: int
) -> None:
    """An overflowing run: both diverge at the same iteration with the same status."""
    ref, mine = pair(hidden, "half_sse", output, mode, batch, False, learning_rate=alpha)
    with np.errstate(all="raise"):  # neither engine may let a floating-point warning out
        theirs, ours = ref.advance(5000), mine.advance(5000)
    assert ref.status == mine.status == "diverged"
    assert ref.diverged_at == mine.diverged_at == ref.iteration == len(ours) == len(theirs)
    record, reference = mine.record(), ref.record()
    assert record is not None and reference is not None and record.status == "diverged"
    np.testing.assert_allclose(ours[:-3], theirs[:-3], rtol=1e-9)


def test_a_new_learning_rate_applies_from_the_next_iteration() -> None:
    """α changed between advance() calls, as a job's control does, on both engines alike."""
    ref, mine = pair("sigmoid", "half_sse", "sigmoid", "minibatch", 2, True, learning_rate=0.05)
    for trainer in (ref, mine):
        trainer.advance(7)
        trainer.learning_rate = 0.2
        trainer.advance(10)
    record, reference = mine.record(), ref.record()
    assert record is not None and reference is not None and record.learning_rate == 0.2
    assert_records_agree(record, reference, 1e-12)
