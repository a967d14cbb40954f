"""The ∂ℓ/∂W, ∂ℓ/∂y and ∂ℓ/∂z one Trainer.step() records, against central finite differences."""

from __future__ import annotations

import numpy as np
import pytest

from backend.engine.network import Network
from backend.engine.trainer import Trainer, TrainingConfig

HIDDEN = ("sigmoid", "tanh", "relu", "linear")
OUTPUT = ("sigmoid", "tanh", "relu", "linear", "softmax")
LOSSES = ("half_sse", "mse", "cross_entropy")
H = 1e-6  # finite-difference step
RTOL = 1e-6  # norm-wise relative error allowed
KINK = 1e-3  # relu cases need every |z| farther than this from 0
ROWS = 5
ALPHA = 0.3
MODES = (("sgd", 1), ("minibatch", 2), ("batch", ROWS))


# Every pairing the engine accepts: cross_entropy needs a sigmoid or softmax output.
PAIRINGS = [
    (h, o, lo)
    for h in HIDDEN
    for o in OUTPUT
    for lo in LOSSES
    if lo != "cross_entropy" or o in ("sigmoid", "softmax")
]


# ---------------------------------------------------------------- the reference, from the article


def f_ref(name: str, z: np.ndarray) -> np.ndarray:
    """y = f(z), eq. (2), element-wise except softmax (per column)."""
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-z))
    if name == "tanh":
        return np.tanh(z)
    if name == "relu":
        return np.where(z > 0.0, z, 0.0)
    if name == "linear":
        return z.copy()
    e = np.exp(z - z.max(axis=0))
    return e / e.sum(axis=0)


def loss_ref(loss: str, output: str, y: np.ndarray, t: np.ndarray) -> float:
    """ℓ(y, t) for (n_L, batch) columns, written from the definitions of the losses."""
    if loss == "half_sse":
        return 0.5 * np.sum((y - t) ** 2)
    if loss == "mse":
        return np.mean((y - t) ** 2)
    if output == "sigmoid":
        return -np.mean(t * np.log(y) + (1.0 - t) * np.log(1.0 - y))
    return -np.sum(t * np.log(y)) / y.shape[1]


def forward_ref(weights, acts, x, dz=None, dy=None):
    """z^i = W^i [1; y^(i−1)], y^i = f(z^i); dz / dy map a layer to an offset added to z^i / y^i."""
    zs, ys, y = [], [], x
    for i, (w, f) in enumerate(zip(weights, acts, strict=True)):
        z = w @ np.vstack([np.ones((1, y.shape[1])), y])
        z = z + (dz or {}).get(i, 0.0)
        y = f_ref(f, z) + (dy or {}).get(i, 0.0)
        zs.append(z)
        ys.append(y)
    return zs, ys


def fd(fun, x: np.ndarray) -> np.ndarray:
    """Central differences of the scalar fun() with respect to each element of x, moved in place."""
    g = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + H
        up = fun()
        x[idx] = old - H
        g[idx] = (up - fun()) / (2.0 * H)
        x[idx] = old
    return g


def flat(arrays) -> np.ndarray:
    """The arrays' elements, one after another."""
    return np.concatenate([a.ravel() for a in arrays])


def rel_err(g: np.ndarray, g_fd: np.ndarray, floor: float = 0.0) -> float:
    """‖g − g_fd‖ / max(‖g‖ + ‖g_fd‖, floor), 0 when both vanish."""
    scale = max(np.linalg.norm(g) + np.linalg.norm(g_fd), floor, 1e-300)
    return float(np.linalg.norm(g - g_fd) / scale)


# ---------------------------------------------------------------- cases


def targets_for(rng, output: str, n: int, kind: str) -> np.ndarray:
    """(ROWS, n) targets in the range of `output`: one-hot or probabilities for softmax."""
    if output == "softmax":
        if kind == "onehot":
            return np.eye(n)[rng.integers(0, n, ROWS)]
        return rng.dirichlet(np.ones(n), ROWS)
    if output == "sigmoid":
        t = rng.uniform(0.0, 1.0, (ROWS, n))
        t.flat[::3] = np.round(t.flat[::3])  # some exact 0/1 labels
        return t
    if output == "tanh":
        return rng.uniform(-1.0, 1.0, (ROWS, n))
    return rng.normal(0.0, 1.0, (ROWS, n))


def make_case(sizes, hidden, output, kind="probability"):
    """Weights (random biases too), inputs and targets whose relu layers stay clear of the kink."""
    acts = [hidden] * (len(sizes) - 2) + [output]
    for s in range(500):
        rng = np.random.default_rng(s)
        weights = Network(sizes, hidden, output, seed=s).copy_weights()
        for w in weights:
            w[:, 0] = rng.uniform(-0.5, 0.5, len(w))
        x = rng.normal(0.0, 1.0, (ROWS, sizes[0]))
        t = targets_for(rng, output, sizes[-1], kind)
        zs, _ = forward_ref(weights, acts, x.T)
        relu_z = [z for z, f in zip(zs, acts, strict=True) if f == "relu"]
        if all(np.abs(z).min() > KINK for z in relu_z) and (output != "relu" or zs[-1].max() > 0):
            return weights, acts, x, t
    raise AssertionError("no seed keeps the relu layers away from z = 0")


def first_step(sizes, hidden, output, loss, mode, batch, kind="probability"):
    """The case, and a copy of the record of the first step of a fresh trainer on it."""
    weights, acts, x, t = make_case(sizes, hidden, output, kind)
    net = Network(sizes, hidden, output, weights=weights)
    config = TrainingConfig(loss=loss, mode=mode, batch_size=batch, learning_rate=ALPHA)
    record = Trainer(net, x, t, config).step()
    assert record is not None
    return weights, acts, x[:batch].T, t[:batch].T, record.copy()


def check_weight_gradients(sizes, hidden, output, loss, mode, batch, kind="probability"):
    """The recorded loss, z, y and ∂ℓ/∂W agree with the reference and its finite differences."""
    weights, acts, x, t, record = first_step(sizes, hidden, output, loss, mode, batch, kind)
    zs, ys = forward_ref(weights, acts, x)
    assert record.loss == pytest.approx(loss_ref(loss, output, ys[-1], t), rel=1e-12)
    for mine, theirs in ((zs, record.z), (ys, record.y)):
        for a, b in zip(mine, theirs, strict=True):
            np.testing.assert_allclose(b, a, rtol=1e-12, atol=1e-14)
    g_fd = [
        fd(lambda: loss_ref(loss, output, forward_ref(weights, acts, x)[1][-1], t), w)
        for w in weights
    ]
    assert rel_err(flat(record.grads), flat(g_fd)) <= RTOL, "∂ℓ/∂W, all layers"
    # A layer whose gradient has all but vanished (deep sigmoid: σ' ≤ 1/4 six times) is judged
    # against a thousandth of the whole network's: the differences' rounding error is absolute.
    floor = 1e-3 * (np.linalg.norm(flat(record.grads)) + np.linalg.norm(flat(g_fd)))
    for i, (g, g_ref) in enumerate(zip(record.grads, g_fd, strict=True)):
        assert rel_err(g, g_ref, floor) <= RTOL, f"∂ℓ/∂W^{i + 1}"


# ---------------------------------------------------------------- ∂ℓ/∂W


@pytest.mark.parametrize(("mode", "batch"), MODES)
@pytest.mark.parametrize(("hidden", "output", "loss"), PAIRINGS)
@pytest.mark.parametrize(("sizes", "kind"), [((3, 5, 2), "onehot"), ((4, 3, 3), "probability")])
def test_weight_gradients(sizes, kind, hidden, output, loss, mode, batch):
    """Every accepted pairing, on 3-5-2 and 4-3-3, batch sizes 1, 2 and all rows."""
    check_weight_gradients(sizes, hidden, output, loss, mode, batch, kind)


@pytest.mark.parametrize(("mode", "batch"), MODES)
@pytest.mark.parametrize(("output", "loss"), sorted({(o, lo) for _, o, lo in PAIRINGS}))
def test_weight_gradients_single_neuron(output, loss, mode, batch):
    """1-1: one weight and one bias, no hidden layer (softmax of one output is constant)."""
    check_weight_gradients((1, 1), "tanh", output, loss, mode, batch)


# Each hidden activation with each loss on a sigmoid output, and the squared losses on a linear one.
DEEP_OUTPUTS = [(o, lo) for h, o, lo in PAIRINGS if h == "tanh" and o in ("sigmoid", "linear")]


@pytest.mark.parametrize(("output", "loss"), DEEP_OUTPUTS)
@pytest.mark.parametrize("hidden", HIDDEN)
def test_weight_gradients_deep(hidden, output, loss):
    """2-8-8-8-8-8-8-1: six hidden layers, a mini-batch of two."""
    check_weight_gradients((2, 8, 8, 8, 8, 8, 8, 1), hidden, output, loss, "minibatch", 2)


@pytest.mark.parametrize("kind", ["onehot", "probability"])
@pytest.mark.parametrize("hidden", HIDDEN)
def test_softmax_cross_entropy_targets(hidden, kind):
    """Softmax with cross-entropy, one-hot and probability targets, on 3-4-4 over all rows."""
    check_weight_gradients((3, 4, 4), hidden, "softmax", "cross_entropy", "batch", ROWS, kind)


# ---------------------------------------------------------------- ∂ℓ/∂y and ∂ℓ/∂z of every layer

LAYER_CASES = [
    ("sigmoid", "sigmoid", "half_sse"),
    ("tanh", "linear", "mse"),
    ("relu", "relu", "half_sse"),
    ("relu", "sigmoid", "cross_entropy"),
    ("tanh", "softmax", "cross_entropy"),
    ("sigmoid", "softmax", "mse"),
    ("linear", "tanh", "half_sse"),
]


@pytest.mark.parametrize(("mode", "batch"), MODES)
@pytest.mark.parametrize(("hidden", "output", "loss"), LAYER_CASES)
def test_layer_derivatives(hidden, output, loss, mode, batch):
    """∂ℓ/∂y^i and ∂ℓ/∂z^i of every layer of 3-5-4-2 against offsets added to y^i or z^i."""
    sizes = (3, 5, 4, 2)
    weights, acts, x, t, record = first_step(sizes, hidden, output, loss, mode, batch, "onehot")
    for i, n in enumerate(sizes[1:]):
        for name, recorded in (("dz", record.dz[i]), ("dy", record.dy[i])):
            offset = np.zeros((n, x.shape[1]))
            shift = {i: offset}

            def value(shift=shift, name=name):
                ys = forward_ref(weights, acts, x, **{name: shift})[1]
                return loss_ref(loss, output, ys[-1], t)

            assert rel_err(recorded, fd(value, offset)) <= RTOL, f"∂ℓ/∂{name[1]}^{i + 1}"


# ---------------------------------------------------------------- the update


@pytest.mark.parametrize(("mode", "batch"), MODES)
@pytest.mark.parametrize(("hidden", "output", "loss"), LAYER_CASES)
def test_update_is_exactly_w_minus_alpha_grads(hidden, output, loss, mode, batch):
    """After every step of two epochs, the recorded weights are exactly W − α ∂ℓ/∂W."""
    weights, _, x, t = make_case((3, 5, 4, 2), hidden, output)
    net = Network((3, 5, 4, 2), hidden, output, weights=weights)
    trainer = Trainer(net, x, t, TrainingConfig(loss, mode, batch, ALPHA, epochs=2))
    before = net.copy_weights()
    while (record := trainer.step()) is not None:
        for w0, g, w1 in zip(before, record.grads, record.weights, strict=True):
            np.testing.assert_array_equal(w1, w0 - ALPHA * g)
        before = [w.copy() for w in record.weights]
    assert trainer.iteration == 2 * -(-ROWS // batch)


# ---------------------------------------------------------------- pairings the engine refuses


@pytest.mark.parametrize("output", ["tanh", "relu", "linear"])
def test_cross_entropy_refuses_other_outputs(output):
    """cross_entropy needs sigmoid or softmax outputs, and says so."""
    net = Network((2, 3, 2), "sigmoid", output)
    x, t = np.zeros((ROWS, 2)), np.zeros((ROWS, 2))
    match = f"cross_entropy needs output_activation 'sigmoid' or 'softmax', not '{output}'"
    with pytest.raises(ValueError, match=match):
        Trainer(net, x, t, TrainingConfig(loss="cross_entropy"))


def test_softmax_is_refused_as_hidden_activation():
    """Softmax is an output activation only."""
    with pytest.raises(ValueError, match=r"^activation: .*'softmax'"):
        Network((2, 3, 2), "softmax", "sigmoid")
