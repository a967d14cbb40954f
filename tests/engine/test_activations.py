"""Unit tests of the activation functions f (eqs. (2), (6)) and their backward passes (eq. (7))."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from backend.engine.activations import (
    ACTIVATIONS,
    HIDDEN_ACTIVATIONS,
    OUTPUT_ACTIVATIONS,
    get_activation,
)
from backend.engine.network import Network
from backend.engine.trainer import Trainer, TrainingConfig

H = 1e-6
# Only overflow, division by zero and invalid operations are errors here: exp's underflow to 0 of
# a far-negative argument is the intended result.
RAISE = {"over": "raise", "divide": "raise", "invalid": "raise", "under": "ignore"}

REFERENCE = {
    "sigmoid": lambda v: 1.0 / (1.0 + math.exp(-v)),
    "tanh": math.tanh,
    "relu": lambda v: v if v > 0.0 else 0.0,
    "linear": lambda v: v,
}


def forward(name: str, z) -> np.ndarray:
    """y = f(z) by the engine, for z of shape (n, batch)."""
    z = np.asarray(z, dtype=np.float64)
    out = np.empty_like(z)
    ACTIVATIONS[name].forward(z, out)
    return out


def backward(name: str, z: np.ndarray, dy: np.ndarray) -> np.ndarray:
    """∂ℓ/∂z by the engine from z, y = f(z) and ∂ℓ/∂y."""
    out = np.empty_like(z)
    ACTIVATIONS[name].backward(z, forward(name, z), dy, out)
    return out


def test_registries():
    """Four element-wise activations may be hidden; softmax is on the output only."""
    assert set(HIDDEN_ACTIVATIONS) == {"sigmoid", "tanh", "relu", "linear"}
    assert set(OUTPUT_ACTIVATIONS) == {*HIDDEN_ACTIVATIONS, "softmax"}
    assert all(ACTIVATIONS[name].elementwise for name in HIDDEN_ACTIVATIONS)
    assert not ACTIVATIONS["softmax"].elementwise


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_elementwise_forward_matches_definition(name):
    """f(z) element by element against the definition computed with math, (n, batch) kept."""
    z = np.random.default_rng(1).normal(0.0, 3.0, (4, 6))
    expected = np.vectorize(REFERENCE[name])(z)
    y = forward(name, z)
    assert y.shape == z.shape
    np.testing.assert_allclose(y, expected, rtol=1e-14, atol=0.0)


def test_sigmoid_saturates_to_exactly_zero_and_one():
    """σ(−1000) is exactly 0 and σ(1000) exactly 1, finite (e^1000 overflows to inf, 1/inf = 0)."""
    with np.errstate(over="ignore"):
        y = forward("sigmoid", [[-1000.0, 1000.0, -745.0, 745.0]])
    assert np.isfinite(y).all()
    np.testing.assert_array_equal(y, [[0.0, 1.0, 0.0, 1.0]])


def test_sigmoid_far_tail_is_precise():
    """σ(−40) to a relative 1e-12 of 1 / (1 + e^40), not lost to cancellation."""
    y = forward("sigmoid", [[-40.0, -20.0]])
    for v, got in zip((-40.0, -20.0), y[0], strict=True):
        expected = 1.0 / (1.0 + math.exp(-v))
        assert abs(got - expected) / expected < 1e-12


def test_tanh_and_relu_at_large_arguments():
    """tanh(±1000) is exactly ±1 and relu passes ±1e300 through, all without a floating error."""
    with np.errstate(**RAISE):
        np.testing.assert_array_equal(forward("tanh", [[-1000.0, 1000.0]]), [[-1.0, 1.0]])
        np.testing.assert_array_equal(forward("relu", [[-1e300, 1e300]]), [[0.0, 1e300]])


def test_softmax_columns_sum_to_one_for_large_z():
    """Softmax per column, shifted by its max: no overflow at z = 1000, columns sum to 1."""
    z = np.array(
        [
            [1000.0, -1000.0, 0.0, 1e4],
            [1000.0, -1000.0, 1.0, 1e4 - 1.0],
            [-1000.0, -1000.0, 2.0, 1e4],
        ]
    )
    with np.errstate(**RAISE):
        y = forward("softmax", z)
    assert np.isfinite(y).all()
    np.testing.assert_allclose(y.sum(axis=0), 1.0, rtol=0.0, atol=1e-15)
    np.testing.assert_allclose(y[:, 0], [0.5, 0.5, 0.0], rtol=0.0, atol=1e-300)
    np.testing.assert_allclose(y[:, 1], [1 / 3, 1 / 3, 1 / 3], rtol=1e-15)
    e = [math.exp(v) for v in (0.0, 1.0, 2.0)]
    np.testing.assert_allclose(y[:, 2], [v / sum(e) for v in e], rtol=1e-14)
    d = 2.0 + math.exp(-1.0)
    np.testing.assert_allclose(y[:, 3], [1.0 / d, math.exp(-1.0) / d, 1.0 / d], rtol=1e-14)


def test_softmax_is_shift_invariant_per_column():
    """Adding a constant to one column of z leaves that column's softmax and the others alone."""
    z = np.random.default_rng(2).normal(0.0, 2.0, (5, 3))
    shifted = z + np.array([[0.0, 700.0, -700.0]])
    with np.errstate(**RAISE):
        np.testing.assert_allclose(forward("softmax", shifted), forward("softmax", z), rtol=1e-12)


@pytest.mark.parametrize("name", OUTPUT_ACTIVATIONS)
def test_backward_matches_finite_differences(name):
    """backward(z, y, ∂ℓ/∂y) = ∂(Σ ∂ℓ/∂y ⊙ f(z))/∂z element-wise, softmax's Jacobian included."""
    rng = np.random.default_rng(3)
    z = rng.normal(0.0, 1.5, (4, 3))
    z[np.abs(z) < 0.1] += 0.5  # clear of relu's kink
    dy = rng.normal(0.0, 1.0, z.shape)
    expected = np.zeros_like(z)
    for idx in np.ndindex(z.shape):
        up, down = z.copy(), z.copy()
        up[idx] += H
        down[idx] -= H
        expected[idx] = np.sum(dy * (forward(name, up) - forward(name, down))) / (2 * H)
    np.testing.assert_allclose(backward(name, z, dy), expected, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize(
    ("name", "z", "slope"),
    [
        (
            "sigmoid",
            [0.0, 2.0, -1000.0, 1000.0],
            [0.25, math.exp(-2) / (1 + math.exp(-2)) ** 2, 0, 0],
        ),
        ("tanh", [0.0, 1.0, -1000.0, 1000.0], [1.0, 1 - math.tanh(1.0) ** 2, 0.0, 0.0]),
        ("relu", [-1.0, 0.0, 1e-300, 5.0], [0.0, 0.0, 1.0, 1.0]),
        ("linear", [-1e300, 0.0, 1.0, 1e300], [1.0, 1.0, 1.0, 1.0]),
    ],
)
def test_backward_slopes(name, z, slope):
    """df/dz at chosen points (relu's at 0 is taken as 0; saturated slopes are exactly 0)."""
    z = np.array([z])
    with np.errstate(over="ignore"):
        got = backward(name, z, np.ones_like(z))
    np.testing.assert_allclose(got, [slope], rtol=1e-14, atol=0.0)


def test_get_activation():
    """Lookup by name; softmax as a hidden activation and unknown names raise ValueError."""
    assert get_activation("tanh").name == "tanh"
    assert get_activation("softmax", output=True).name == "softmax"
    with pytest.raises(ValueError, match=r"^activation: .*'softmax'"):
        get_activation("softmax")
    with pytest.raises(ValueError, match=r"^output_activation: unknown activation 'gelu'"):
        get_activation("gelu", output=True)


def test_trainer_saturated_sigmoid_raises_no_warning():
    """A step through σ(±1000) warns about nothing: the trainer silences the expected overflow."""
    net = Network((1, 1), "sigmoid", "sigmoid", weights=[[[0.0, 1000.0]]])
    x, t = np.array([[1.0], [-1.0]]), np.array([[1.0], [0.0]])
    trainer = Trainer(net, x, t, TrainingConfig("half_sse", "batch", 2, 0.5))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        record = trainer.step()
    assert record is not None
    np.testing.assert_array_equal(record.y[0], [[1.0, 0.0]])
    assert record.loss == 0.0 and record.status == "running"
