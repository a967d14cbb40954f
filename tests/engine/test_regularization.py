"""L1/L2 regularisation in both engines against PyTorch autograd: the penalty λR on the weights
(not the biases) added to the loss before backward(), then a plain SGD step by hand."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.typing import NDArray

from backend.engine.network import Network
from backend.engine.regularization import MAX_REGULARIZATION_RATE, Penalty
from backend.engine.trainer import Trainer, TrainingConfig

try:
    import torch
except ImportError as exc:  # the dev extra has torch: a missing one is an install to fix
    raise ImportError("torch is missing: pip install -e '.[dev]' (make test does)") from exc

SIZES = (3, 4, 2)
ROWS = 5  # mini-batches of 2: [0:2], [2:4] and a short [4:5]
ALPHA = 0.2
EPOCHS = 3
KINDS = ["l1", "l2"]
RATES = [0.0, 0.01, 0.3]
MODES = [("batch", ROWS), ("sgd", 1), ("minibatch", 2)]
ENGINES = ["numpy", "compiled"]

Array = NDArray[np.floating]
Step = tuple[float, list[Array], list[Array]]  # torch's ℓ, ∂ℓ/∂W and W after the update

X = np.random.default_rng(0).normal(0.0, 1.0, (ROWS, SIZES[0]))
T = np.random.default_rng(1).uniform(0.0, 1.0, (ROWS, SIZES[-1]))


def initial_weights() -> list[Array]:
    """W^i (n_i, 1 + n_{i−1}) with random biases, and one weight exactly 0 (L1's sign(0) = 0)."""
    weights = Network(SIZES, "tanh", "sigmoid", seed=4).copy_weights()
    rng = np.random.default_rng(5)
    for w in weights:
        w[:, 0] = rng.uniform(-0.5, 0.5, len(w))
    weights[0][1, 2] = 0.0
    return weights


def torch_run(kind: str, rate: float, batch: int) -> list[Step]:
    """Per iteration: ∂ℓ/∂W of the data loss, and the weights after W −= α ∂(ℓ + λR)/∂W, each
    [bias | weight] (n_i, 1 + n_{i−1}); R = Σ |w| or ½ Σ w² over the weights, never the biases."""
    params = [
        (torch.tensor(w[:, 1:], requires_grad=True), torch.tensor(w[:, 0], requires_grad=True))
        for w in initial_weights()
    ]
    flat = [p for pair in params for p in pair]
    steps = []
    for _ in range(EPOCHS):
        for start in range(0, ROWS, batch):
            y = torch.from_numpy(X[start : start + batch])
            for i, (w, b) in enumerate(params):
                z = y @ w.T + b
                y = torch.tanh(z) if i < len(params) - 1 else torch.sigmoid(z)
            loss = 0.5 * ((y - torch.from_numpy(T[start : start + batch])) ** 2).sum()  # eq. (5)
            weights = [w for w, _ in params]
            if kind == "l2":
                penalty = 0.5 * sum((w**2).sum() for w in weights)
            else:
                penalty = sum(w.abs().sum() for w in weights)  # torch: d|w|/dw = 0 at w = 0
            data_grads = torch.autograd.grad(loss, flat, retain_graph=True)
            total_grads = torch.autograd.grad(loss + rate * penalty, flat)
            with torch.no_grad():
                for p, g in zip(flat, total_grads, strict=True):
                    p -= ALPHA * g
            steps.append((
                loss.item(),
                [article(data_grads[2 * i], data_grads[2 * i + 1]) for i in range(len(params))],
                [article(w, b) for w, b in params],
            ))  # fmt: skip
    return steps


def article(weight: torch.Tensor, bias: torch.Tensor) -> Array:
    """[b | W] of shape (n_i, 1 + n_{i−1}), the bias in column 0."""
    return np.hstack([bias.detach().numpy()[:, None], weight.detach().numpy()])


def trainer(
    engine: str, mode: str, batch: int, kind: str, rate: float, shuffle: bool = False, seed: int = 0
) -> Trainer:
    """A trainer of the test network from initial_weights(), with the given penalty."""
    config = TrainingConfig(
        "half_sse",
        mode,
        batch,
        ALPHA,
        EPOCHS,
        shuffle=shuffle,
        seed=seed,
        regularization=kind,
        regularization_rate=rate,
    )
    network = Network(SIZES, "tanh", "sigmoid", weights=initial_weights())
    return Trainer(network, X, T, config, engine=engine)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("mode", "batch"), MODES)
@pytest.mark.parametrize("rate", RATES)
@pytest.mark.parametrize("kind", KINDS)
def test_every_iteration_matches_torch(kind: str, rate: float, mode: str, batch: int, engine: str):
    """Loss, ∂ℓ/∂W (the data loss's) and the weights after each update agree with torch."""
    engine_run = trainer(engine, mode, batch, kind, rate)
    expected = torch_run(kind, rate, batch)
    for loss, grads, weights in expected:
        record = engine_run.step()
        assert record is not None
        assert record.loss == pytest.approx(loss, rel=1e-10, abs=1e-12)
        for i, (mine, theirs) in enumerate(zip(record.grads, grads, strict=True)):
            np.testing.assert_allclose(mine, theirs, 1e-10, 1e-12, err_msg=f"∂ℓ/∂W^{i + 1}")
        for i, (mine, theirs) in enumerate(zip(record.weights, weights, strict=True)):
            np.testing.assert_allclose(mine, theirs, 1e-10, 1e-12, err_msg=f"W^{i + 1} updated")
    assert engine_run.step() is None


@pytest.mark.parametrize("kind", KINDS)
def test_the_penalty_changes_the_weights_not_the_biases(kind: str) -> None:
    """After one step, λ = 0.3 and λ = 0 differ by −αλ ∂R/∂w at the weights, by 0 at the biases."""
    with_penalty, without = (trainer("numpy", "batch", ROWS, kind, r) for r in (0.3, 0.0))
    with_penalty.step(), without.step()
    w0 = initial_weights()
    pairs = zip(with_penalty.network.weights, without.network.weights, w0, strict=True)
    for i, (a, b, w) in enumerate(pairs):
        np.testing.assert_array_equal(a[:, 0], b[:, 0], err_msg=f"bias of W^{i + 1}")
        dr = w[:, 1:] if kind == "l2" else np.sign(w[:, 1:])
        np.testing.assert_allclose(a[:, 1:] - b[:, 1:], -ALPHA * 0.3 * dr, rtol=1e-9, atol=1e-15)


@pytest.mark.parametrize("rate", [0.01, 0.3])
@pytest.mark.parametrize("kind", KINDS)
def test_compiled_agrees_with_numpy_on_a_shuffled_run(kind: str, rate: float) -> None:
    """The compiled step against the NumPy reference, 1e-12, over a shuffled mini-batch run."""
    reference, compiled = (
        trainer(e, "minibatch", 2, kind, rate, shuffle=True, seed=7) for e in ENGINES
    )
    losses = [reference.advance(9), compiled.advance(9)]
    np.testing.assert_allclose(losses[1], losses[0], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(compiled.network.params, reference.network.params, atol=1e-12)
    ref, got = reference.record(), compiled.record()
    assert ref is not None and got is not None
    assert got.max_delta == pytest.approx(ref.max_delta, rel=1e-12, abs=1e-15)
    assert (got.status, got.iteration) == (ref.status, ref.iteration) == ("finished", 9)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("kind", KINDS)
def test_rate_zero_is_no_regularization(kind: str, engine: str) -> None:
    """λ = 0 trains exactly as "none": the same losses and weights, bit for bit."""
    runs = [trainer(engine, "minibatch", 2, k, 0.0, shuffle=True) for k in (kind, "none")]
    losses = [r.advance(9).tobytes() for r in runs]
    assert losses[0] == losses[1]
    assert runs[0].network.params.tobytes() == runs[1].network.params.tobytes()


def test_penalty_value_is_lambda_r_over_the_weights() -> None:
    """λR of a network, by a loop over its W^i skipping column 0: L1, L2, and 0 for none."""
    network = Network(SIZES, "tanh", "sigmoid", weights=initial_weights())
    weights = [float(v) for w in initial_weights() for row in w for v in row[1:]]
    l1 = sum(abs(v) for v in weights)
    l2 = 0.5 * sum(v * v for v in weights)
    assert Penalty(network, "l1", 0.3).value(network.params) == pytest.approx(0.3 * l1, rel=1e-14)
    assert Penalty(network, "l2", 0.3).value(network.params) == pytest.approx(0.3 * l2, rel=1e-14)
    assert Penalty(network).value(network.params) == 0.0


@pytest.mark.parametrize(
    ("kind", "rate", "message"),
    [
        ("l3", 0.1, r"regularization: expected one of \['none', 'l1', 'l2'\], got 'l3'"),
        ("l2", -0.1, rf"regularization_rate: must be a number from 0 to {MAX_REGULARIZATION_RATE}"),
        ("l1", MAX_REGULARIZATION_RATE * 2, r"regularization_rate: must be a number from 0 to"),
        ("l1", float("nan"), r"regularization_rate: must be a number from 0 to"),
    ],
)
@pytest.mark.parametrize("engine", ENGINES)
def test_a_bad_penalty_is_refused_by_name(kind: str, rate: float, message: str, engine: str):
    """An unknown kind or a λ outside [0, the bound] is a ValueError naming the field."""
    with pytest.raises(ValueError, match=message):
        trainer(engine, "batch", ROWS, kind, rate)
