"""Both engines' losses, gradients and SGD updates agree with PyTorch's autograd in float64."""

from __future__ import annotations

import numpy as np
import pytest

from backend.engine.network import Network
from backend.engine.trainer import Trainer, TrainingConfig

# Not skipped when missing: the dev extra that `make test` installs has torch, so a missing
# one is an install to fix, not a check to leave out.
try:
    import torch
except ImportError as exc:
    raise ImportError("torch is missing: pip install -e '.[dev]' (make test does)") from exc
nn = torch.nn

SIZES = (3, 4, 3, 2)
ROWS = 5  # mini-batches of 2: [0:2], [2:4] and a short [4:5]
ALPHA = 0.3
TOL = {"rtol": 1e-10, "atol": 1e-12}

ACTIVATIONS = {
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": torch.relu,
    "linear": lambda z: z,
    "softmax": lambda z: torch.softmax(z, dim=1),
}

# (loss, hidden activation, output activation, targets)
CASES = [
    ("half_sse", "tanh", "sigmoid", "unit"),
    ("half_sse", "relu", "linear", "normal"),
    ("half_sse", "sigmoid", "softmax", "probability"),
    ("mse", "sigmoid", "tanh", "symmetric"),
    ("mse", "linear", "relu", "normal"),
    ("cross_entropy", "tanh", "sigmoid", "unit"),
    ("cross_entropy", "relu", "sigmoid", "binary"),
    ("cross_entropy", "sigmoid", "softmax", "onehot"),
    ("cross_entropy", "tanh", "softmax", "probability"),
]
MODES = [("batch", ROWS), ("sgd", 1), ("minibatch", 2)]
ENGINES = ["numpy", "compiled"]  # the NumPy reference and the numba kernel


def make_data(kind: str, seed: int = 0):
    """Inputs (ROWS, 3) and targets (ROWS, 2) of the given kind."""
    rng = np.random.default_rng(seed)
    x = rng.normal(0.0, 1.0, (ROWS, SIZES[0]))
    n = SIZES[-1]
    t = {
        "unit": lambda: rng.uniform(0.0, 1.0, (ROWS, n)),
        "binary": lambda: rng.integers(0, 2, (ROWS, n)).astype(float),
        "symmetric": lambda: rng.uniform(-1.0, 1.0, (ROWS, n)),
        "normal": lambda: rng.normal(0.0, 1.0, (ROWS, n)),
        "onehot": lambda: np.eye(n)[rng.integers(0, n, ROWS)],
        "probability": lambda: rng.dirichlet(np.ones(n), ROWS),
    }[kind]()
    return x, t


def engine_weights(hidden: str, output: str, seed: int = 0):
    """Seeded initial weights with random biases, W^i of shape (n_i, 1 + n_(i−1))."""
    weights = Network(SIZES, hidden, output, seed=seed).copy_weights()
    rng = np.random.default_rng(seed + 100)
    for w in weights:
        w[:, 0] = rng.uniform(-0.5, 0.5, len(w))
    return weights


class TorchNet:
    """The same network in torch: nn.Linear layers, weight = W[:, 1:] and bias = W[:, 0]."""

    def __init__(self, weights, hidden: str, output: str, loss: str) -> None:
        self.layers = []
        for w in weights:
            layer = nn.Linear(w.shape[1] - 1, w.shape[0], dtype=torch.float64)
            with torch.no_grad():
                layer.weight.copy_(torch.from_numpy(w[:, 1:]))
                layer.bias.copy_(torch.from_numpy(w[:, 0]))
            self.layers.append(layer)
        self.acts = [hidden] * (len(weights) - 1) + [output]
        self.output, self.loss = output, loss
        params = [p for layer in self.layers for p in layer.parameters()]
        self.optimizer = torch.optim.SGD(params, lr=ALPHA)

    def loss_of(self, x, t):
        """ℓ by torch's own modules for rows x (b, n_0) and targets t (b, n_L)."""
        y = torch.from_numpy(x)
        for layer, name in zip(self.layers, self.acts, strict=True):
            z = layer(y)
            y = ACTIVATIONS[name](z)
        t = torch.from_numpy(t)
        if self.loss == "half_sse":
            return 0.5 * ((y - t) ** 2).sum()
        if self.loss == "mse":
            return nn.MSELoss()(y, t)
        if self.output == "sigmoid":
            return nn.BCELoss()(y, t)
        return nn.CrossEntropyLoss()(z, t)  # on the logits z^L; probability targets allowed

    def step(self, x, t):
        """One SGD step on rows x, t: the loss, ∂ℓ/∂W in the article's form, the new weights."""
        self.optimizer.zero_grad()
        loss = self.loss_of(x, t)
        loss.backward()
        grads = [self.article_form(layer.weight.grad, layer.bias.grad) for layer in self.layers]
        self.optimizer.step()
        return loss.item(), grads, self.weights()

    def weights(self):
        """W^i = [bias | weight] of every layer, as NumPy arrays."""
        return [self.article_form(layer.weight, layer.bias) for layer in self.layers]

    @staticmethod
    def article_form(weight, bias):
        """[b | W] of shape (n_i, 1 + n_(i−1)), bias in column 0."""
        return np.hstack([bias.detach().numpy()[:, None], weight.detach().numpy()])


def run_both(case, mode: str, batch: int, epochs: int, engine: str):
    """Per iteration, the engine's record and torch's (loss, grads, weights) on the same batch."""
    loss, hidden, output, kind = case
    x, t = make_data(kind)
    weights = engine_weights(hidden, output)
    net = Network(SIZES, hidden, output, weights=weights)
    config = TrainingConfig(loss, mode, batch, ALPHA, epochs=epochs)
    trainer = Trainer(net, x, t, config, engine=engine)
    reference = TorchNet(weights, hidden, output, loss)
    for _ in range(epochs):
        for start in range(0, ROWS, batch):
            record = trainer.step()
            assert record is not None
            rows = slice(start, start + batch)
            assert list(record.rows) == list(range(ROWS))[rows]
            yield record, reference.step(x[rows], t[rows])
    assert trainer.step() is None


def assert_agree(record, expected) -> None:
    """The engine's loss, ∂ℓ/∂W and updated weights equal torch's to 1e-10."""
    loss, grads, weights = expected
    np.testing.assert_allclose(record.loss, loss, **TOL)
    for i, (mine, theirs) in enumerate(zip(record.grads, grads, strict=True)):
        np.testing.assert_allclose(mine, theirs, **TOL, err_msg=f"∂ℓ/∂W^{i + 1}")
    for i, (mine, theirs) in enumerate(zip(record.weights, weights, strict=True)):
        np.testing.assert_allclose(mine, theirs, **TOL, err_msg=f"W^{i + 1} after the update")


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("mode", "batch"), MODES)
@pytest.mark.parametrize("case", CASES, ids="-".join)
def test_first_step_matches_torch(case, mode, batch, engine):
    """One iteration: loss, gradients and weights after SGD(lr=α) agree with torch."""
    record, expected = next(run_both(case, mode, batch, epochs=1, engine=engine))
    assert_agree(record, expected)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("mode", "batch"), MODES)
@pytest.mark.parametrize("case", CASES, ids="-".join)
def test_two_epochs_match_torch(case, mode, batch, engine):
    """Every iteration of two unshuffled epochs agrees with torch on the same batches."""
    steps = 0
    for record, expected in run_both(case, mode, batch, epochs=2, engine=engine):
        assert_agree(record, expected)
        steps += 1
    assert steps == 2 * -(-ROWS // batch)


@pytest.mark.parametrize("engine", ENGINES)
def test_saturated_bce_loss_matches_torch(engine):
    """A saturated sigmoid output: BCE's log is floored at −100, as torch's BCELoss clamps it."""
    weights = [np.array([[0.0, 60.0], [0.0, -60.0]])]
    net = Network((1, 2), "sigmoid", "sigmoid", weights=weights)
    x, t = np.array([[1.0], [0.5]]), np.array([[0.0, 1.0], [1.0, 0.0]])
    config = TrainingConfig("cross_entropy", "batch", 2, ALPHA)
    record = Trainer(net, x, t, config, engine=engine).step()
    loss, _, _ = TorchNet(weights, "sigmoid", "sigmoid", "cross_entropy").step(x, t)
    assert record.loss == pytest.approx((100.0 + 60.0) / 4)  # −log(1 − σ(60)) floored, −log σ(−60)
    np.testing.assert_allclose(record.loss, loss, **TOL)
    # Torch's chain rule gives 0 · (1/1e-12) there; the engine's fused (y − t) / N keeps learning.
    assert np.isfinite(record.grads[0]).all() and np.abs(record.grads[0]).min() > 0.1
