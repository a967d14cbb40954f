"""The loss landscape (jobs/landscape.py) against a plain per-row NumPy loop written here: the
weights built by hand at grid points, each row's forward pass and loss written out, averaged."""

from __future__ import annotations

import math

import numpy as np
import pytest

from backend.engine.losses import get_loss
from backend.engine.network import Network
from backend.jobs import landscape
from backend.jobs.keyframes import Keyframe
from backend.jobs.landscape import Parameter, axis, path, surface, work

Pair = tuple[Parameter, Parameter]

# Every loss with the outputs it pairs with (engine/losses.py), each with a hidden f.
PAIRINGS = [
    ("sigmoid", "sigmoid", "half_sse"),
    ("tanh", "linear", "half_sse"),
    ("relu", "linear", "mse"),
    ("sigmoid", "sigmoid", "mse"),
    ("tanh", "softmax", "mse"),
    ("tanh", "sigmoid", "cross_entropy"),
    ("sigmoid", "softmax", "cross_entropy"),
]
SIZES = (3, 4, 3, 2)  # three weight matrices: W^1 (4, 4), W^2 (3, 5), W^3 (2, 4)
PAIRS: list[Pair] = [
    (Parameter(0, 1, 2), Parameter(0, 3, 0)),  # layer 0, two neurons, a weight and a bias
    (Parameter(0, 2, 1), Parameter(0, 2, 0)),  # the same neuron's weight and bias
    (Parameter(0, 1, 3), Parameter(1, 0, 2)),  # layer 0, then layer 1 reading that neuron
    (Parameter(1, 2, 0), Parameter(0, 0, 1)),  # the second in an earlier layer than the first
    (Parameter(0, 3, 0), Parameter(2, 1, 2)),  # the first layer and the output layer
    (Parameter(1, 1, 4), Parameter(2, 0, 0)),  # consecutive layers, a bias last
    (Parameter(2, 0, 3), Parameter(2, 1, 0)),  # both in the output layer
    (Parameter(2, 1, 1), Parameter(2, 1, 0)),  # one output neuron's weight and bias
]
POINTS = [(0, 0), (0, 6), (6, 0), (6, 6), (3, 3), (1, 4), (5, 2)]  # of a 7 × 7 grid


def f(name: str, z: np.ndarray) -> np.ndarray:
    """Each activation, written out, for one row's z (n,)."""
    if name == "sigmoid":
        y = 1.0 / (1.0 + np.exp(-z))
    elif name == "tanh":
        y = np.tanh(z)
    elif name == "relu":
        y = np.where(z > 0.0, z, 0.0)
    elif name == "linear":
        y = z.copy()
    else:
        e = np.exp(z - z.max())
        y = e / e.sum()
    return np.asarray(y, dtype=np.float64)


def row_loss(name: str, output: str, y: np.ndarray, t: np.ndarray) -> float:
    """One row's loss: ½ Σ (y − t)² (eq. 5), mean (y − t)², or the cross-entropies, log ≥ −100."""
    if name == "half_sse":
        return 0.5 * float(sum((yk - tk) ** 2 for yk, tk in zip(y, t, strict=True)))
    if name == "mse":
        return float(sum((yk - tk) ** 2 for yk, tk in zip(y, t, strict=True))) / len(y)

    def log(v: float) -> float:
        return max(math.log(v), -100.0) if v > 0 else -100.0

    if output == "sigmoid":
        terms = [tk * log(yk) + (1 - tk) * log(1 - yk) for yk, tk in zip(y, t, strict=True)]
        return -float(sum(terms)) / len(y)
    return -float(sum(tk * log(yk) for yk, tk in zip(y, t, strict=True)))


def reference(
    weights: list[np.ndarray], hidden: str, output: str, loss: str, x: np.ndarray, t: np.ndarray
) -> float:
    """The mean over rows of each row's loss, one row at a time (eqs. 1–2 per layer)."""
    total = 0.0
    for row, target in zip(x, t, strict=True):
        y = row
        for i, w in enumerate(weights):
            z = w[:, 0] + w[:, 1:] @ y  # eq. (1): the bias in column 0
            y = f(output if i == len(weights) - 1 else hidden, z)  # eq. (2)
        total += row_loss(loss, output, y, target)
    return total / len(x)


def data(output: str, rows: int, seed: int = 4) -> tuple[np.ndarray, np.ndarray]:
    """Inputs (rows, 3) and targets (rows, 2) that fit the output: one-hot for softmax, 0/1 for
    a sigmoid, any number for a linear one."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(rows, SIZES[0]))
    if output == "softmax":
        return x, np.eye(SIZES[-1])[rng.integers(0, SIZES[-1], rows)]
    if output == "sigmoid":
        return x, rng.integers(0, 2, size=(rows, SIZES[-1])).astype(float)
    return x, rng.normal(size=(rows, SIZES[-1]))


def moved(
    weights: list[np.ndarray], a: Parameter, va: float, b: Parameter, vb: float
) -> list[np.ndarray]:
    ws = [w.copy() for w in weights]
    ws[a.layer][a.row, a.column] = va
    ws[b.layer][b.row, b.column] = vb
    return ws


@pytest.mark.parametrize(("hidden", "output", "loss"), PAIRINGS)
@pytest.mark.parametrize("pair", PAIRS, ids=lambda p: f"{p[0]}-{p[1]}")
def test_grid_points_match_a_plain_loop(hidden: str, output: str, loss: str, pair: Pair) -> None:
    net = Network(SIZES, hidden, output, seed=7)
    x, t = data(output, 9)
    a, b = pair
    plane = surface(net.weights, net.activations, get_loss(loss, output), x, t, a, b, 1.5, 7)
    assert plane.loss.shape == (7, 7)
    weights = net.copy_weights()
    for i, j in POINTS:
        ws = moved(weights, a, plane.a[i], b, plane.b[j])
        expected = reference(ws, hidden, output, loss, x, t)
        assert plane.loss[i, j] == pytest.approx(expected, rel=1e-12, abs=1e-300), (i, j)


def test_chunked_over_rows_and_grid_rows_gives_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    net = Network(SIZES, "tanh", "softmax", seed=2)
    x, t = data("softmax", 50)
    loss = get_loss("cross_entropy", "softmax")
    for a, b in PAIRS:
        whole = surface(net.weights, net.activations, loss, x, t, a, b, 2.0, 5)
        monkeypatch.setattr(landscape, "CHUNK_VALUES", 64)  # 1 row, 1 grid row at a time
        chunked = surface(net.weights, net.activations, loss, x, t, a, b, 2.0, 5)
        monkeypatch.undo()
        np.testing.assert_allclose(chunked.loss, whole.loss, rtol=1e-12)
        ws = moved(net.copy_weights(), a, chunked.a[4], b, chunked.b[1])
        assert chunked.loss[4, 1] == pytest.approx(
            reference(ws, "tanh", "softmax", "cross_entropy", x, t), rel=1e-12
        )


def test_the_axes_are_centred_on_the_current_values_and_even() -> None:
    net = Network(SIZES, seed=3)
    x, t = data("sigmoid", 6)
    a, b = Parameter(1, 2, 3), Parameter(0, 0, 0)
    wa, wb = net.weights[1][2, 3], net.weights[0][0, 0]
    for span, grid in [(1.0, 41), (0.37, 101), (250.0, 3), (1e-6, 9)]:
        plane = surface(net.weights, net.activations, get_loss("half_sse", "sigmoid"), x, t, a, b,
                        span, grid)  # fmt: skip
        for values, w in [(plane.a, wa), (plane.b, wb)]:
            assert len(values) == grid
            assert values[grid // 2] == w  # exactly the current value
            assert values[0] == pytest.approx(w - span, rel=1e-15, abs=1e-15)
            assert values[-1] == pytest.approx(w + span, rel=1e-15, abs=1e-15)
            np.testing.assert_allclose(np.diff(values), 2 * span / (grid - 1), rtol=1e-9)
        # at the centre every weight is the current one: the plain loop's loss of the network
        centre = plane.loss[grid // 2, grid // 2]
        assert centre == pytest.approx(
            reference(net.copy_weights(), "sigmoid", "sigmoid", "half_sse", x, t), rel=1e-12
        )


def test_an_even_grid_runs_from_end_to_end() -> None:
    values = axis(0.25, 2.0, 4)
    np.testing.assert_allclose(values, [-1.75, -0.41666666666666663, 0.9166666666666667, 2.25])


def test_a_diverging_setting_is_not_finite_and_the_rest_are() -> None:
    net = Network((2, 3, 1), "tanh", "linear", seed=1)
    x, t = np.array([[1.0, 2.0], [0.5, -1.0]]), np.array([[1.0], [0.0]])
    a, b = Parameter(1, 0, 0), Parameter(1, 0, 1)  # the output's bias and a weight
    plane = surface(net.weights, net.activations, get_loss("half_sse", "linear"), x, t, a, b,
                    1e200, 3)  # fmt: skip
    assert not np.isfinite(plane.loss[0, 0]) and np.isfinite(plane.loss[1, 1])


def test_the_same_parameter_twice_is_refused() -> None:
    net = Network(SIZES, seed=3)
    x, t = data("sigmoid", 3)
    same = Parameter(0, 1, 1)
    with pytest.raises(ValueError, match="b: the same parameter"):
        surface(net.weights, net.activations, get_loss("mse", "sigmoid"), x, t, same, same, 1, 3)


def keyframe(net: Network, iteration: int, wa: float, wb: float, at: list[int]) -> Keyframe:
    params = net.params.copy()
    params[at] = [wa, wb]
    return Keyframe(iteration, params.tobytes(), {}, 0)


def test_the_path_reads_the_keyframes_then_now() -> None:
    net = Network(SIZES, seed=3)
    a, b = Parameter(1, 2, 3), Parameter(2, 0, 0)
    at = [16 + 2 * 5 + 3, 16 + 15 + 0]  # W^1 has 16 entries, W^2 15 (rows of 5), then W^3
    assert net.params[at[0]] == net.weights[1][2, 3] and net.params[at[1]] == net.weights[2][0, 0]
    frames = [keyframe(net, 64 * k, k * 0.5, -k * 0.25, at) for k in range(5)]
    points = path(frames, net.dtype, net.shapes, a, b, (9.0, 8.0))
    assert points == [[k * 0.5, -k * 0.25] for k in range(5)] + [[9.0, 8.0]]


def test_a_long_path_is_thinned_evenly_to_512_points() -> None:
    net = Network(SIZES, seed=3)
    a, b = Parameter(0, 0, 0), Parameter(0, 0, 1)
    frames = [keyframe(net, k, float(k), 0.0, [0, 1]) for k in range(2000)]
    points = path(frames, net.dtype, net.shapes, a, b, (-1.0, -2.0))
    assert len(points) == 512 and points[-1] == [-1.0, -2.0]
    firsts = [p[0] for p in points[:-1]]
    assert firsts[0] == 0.0 and firsts[-1] == 1999.0 and firsts == sorted(set(firsts))
    steps = np.diff(firsts)
    assert steps.min() >= 3 and steps.max() <= 5  # 1999 / 510 ≈ 3.9 apart


def test_work_counts_what_runs_per_setting_and_row() -> None:
    # 2-64-64-2 with W^1's parameters: f of 64 + 64 + 2 neurons, W^3's 2 × 65 products
    assert work((2, 64, 64, 2), 0, 101, 1000) == 101 * 101 * 1000 * (130 + 130)
    assert work((2, 64, 64, 2), 2, 41, 10) == 41 * 41 * 10 * 2  # the output layer alone
