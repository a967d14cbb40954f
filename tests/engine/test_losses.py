"""Unit tests of the losses ℓ, their gradients ∂ℓ/∂y and the fused output ∂ℓ/∂z."""

from __future__ import annotations

import math

import numpy as np
import pytest

from backend.engine import losses as L
from backend.engine.activations import sigmoid, softmax, softmax_backward

H = 1e-6
A = np.array


# (value, y, t, ℓ worked out by hand); y and t are (n_out, batch), a column per sample.
HAND = [
    (L.half_sse, A([[1.0, 2.0], [3.0, 5.0]]), np.zeros((2, 2)), 0.5 * (1 + 4 + 9 + 25)),
    (L.half_sse, A([[0.5, -1.0]]), A([[1.5, 1.0]]), 0.5 * (1 + 4)),
    (L.mse, A([[1.0, 2.0], [3.0, 5.0]]), np.zeros((2, 2)), (1 + 4 + 9 + 25) / 4),
    (L.mse, A([[0.5], [2.0], [-1.0]]), A([[0.0], [1.0], [0.0]]), (0.25 + 1 + 1) / 3),
    (L.binary_cross_entropy, A([[0.5]]), A([[1.0]]), math.log(2.0)),
    (
        L.binary_cross_entropy,
        A([[0.25, 0.5]]),
        A([[0.0, 1.0]]),
        -(math.log(0.75) + math.log(0.5)) / 2,
    ),
    (
        L.binary_cross_entropy,
        A([[0.8], [0.1]]),
        A([[0.3], [0.0]]),
        -(0.3 * math.log(0.8) + 0.7 * math.log(0.2) + math.log(0.9)) / 2,
    ),
    (
        L.cross_entropy,
        A([[0.5, 0.25], [0.5, 0.75]]),
        A([[1.0, 0.0], [0.0, 1.0]]),
        -(math.log(0.5) + math.log(0.75)) / 2,
    ),
    (
        L.cross_entropy,
        A([[0.2], [0.8]]),
        A([[0.5], [0.5]]),
        -(0.5 * math.log(0.2) + 0.5 * math.log(0.8)),
    ),
    (
        L.cross_entropy,
        A([[0.1, 0.6], [0.2, 0.3], [0.7, 0.1]]),
        A([[0, 1], [0, 0], [1, 0.0]]),
        -(math.log(0.7) + math.log(0.6)) / 2,
    ),
]


@pytest.mark.parametrize(("value", "y", "t", "expected"), HAND)
def test_values_on_hand_examples(value, y, t, expected):
    """ℓ on small examples worked out by hand: sums over the batch, means where defined so."""
    got = value(y, t)
    assert isinstance(got, float)
    assert got == pytest.approx(expected, rel=1e-14)


def sample(kind: str, shape=(3, 4)):
    """y of the given kind, and matching targets, (n_out, batch)."""
    rng = np.random.default_rng(5)
    if kind == "real":
        return rng.normal(0.0, 1.0, shape), rng.normal(0.0, 1.0, shape)
    if kind == "unit":
        return rng.uniform(0.1, 0.9, shape), rng.uniform(0.0, 1.0, shape)
    y = rng.dirichlet(np.ones(shape[0]), shape[1]).T
    return y, rng.dirichlet(np.ones(shape[0]), shape[1]).T


GRADIENTS = [
    (L.half_sse, L.half_sse_gradient, "real"),
    (L.mse, L.mse_gradient, "real"),
    (L.binary_cross_entropy, L.binary_cross_entropy_gradient, "unit"),
    (L.cross_entropy, L.cross_entropy_gradient, "simplex"),
]


@pytest.mark.parametrize(("value", "gradient", "kind"), GRADIENTS)
def test_gradient_matches_finite_differences(value, gradient, kind):
    """∂ℓ/∂y element-wise against central differences of ℓ (y moved freely, off the simplex)."""
    y, t = sample(kind)
    out = np.empty_like(y)
    gradient(y, t, out)
    expected = np.zeros_like(y)
    for idx in np.ndindex(y.shape):
        up, down = y.copy(), y.copy()
        up[idx] += H
        down[idx] -= H
        expected[idx] = (value(up, t) - value(down, t)) / (2 * H)
    np.testing.assert_allclose(out, expected, rtol=1e-7, atol=1e-10)


def test_half_sse_gradient_is_summed_not_averaged():
    """Eq. (5)'s ∂ℓ/∂y is y − t per sample, not divided by the batch size; mse's is 2(y − t)/N."""
    y, t = A([[3.0, 1.0, 0.0]]), A([[1.0, 1.0, 2.0]])
    out = np.empty_like(y)
    L.half_sse_gradient(y, t, out)
    np.testing.assert_array_equal(out, [[2.0, 0.0, -2.0]])
    L.mse_gradient(y, t, out)
    np.testing.assert_allclose(out, [[4 / 3, 0.0, -4 / 3]], rtol=1e-15)


@pytest.mark.parametrize(
    ("y", "t", "expected"),
    [
        (A([[1.0]]), A([[0.0]]), 100.0),
        (A([[0.0]]), A([[1.0]]), 100.0),
        (A([[1.0, 0.0]]), A([[1.0, 0.0]]), 0.0),
        (A([[1.0, 0.0]]), A([[0.0, 0.0]]), 50.0),
        (A([[1.0 - 2.0**-53]]), A([[0.0]]), -math.log(2.0**-53)),
    ],
)
def test_binary_cross_entropy_saturated_is_finite(y, t, expected):
    """A saturated output costs at most 100 per element (log floored at −100), never inf or NaN."""
    with np.errstate(divide="ignore"):
        got = L.binary_cross_entropy(y, t)
    assert math.isfinite(got)
    assert got == pytest.approx(expected, rel=1e-12, abs=0.0)


def test_saturated_gradients_are_finite():
    """BCE's ∂ℓ/∂y divides by max(y(1 − y), 1e-12); CE's is 0 where t = 0, even at y = 0."""
    y, t = A([[1.0, 0.0, 0.5]]), A([[0.0, 1.0, 1.0]])
    out = np.empty_like(y)
    L.binary_cross_entropy_gradient(y, t, out)
    np.testing.assert_allclose(out, [[1e12 / 3, -1e12 / 3, -2.0 / 3]], rtol=1e-14)
    y, t = A([[0.0, 1.0], [1.0, 0.0]]), A([[0.0, 1.0], [1.0, 0.0]])
    with np.errstate(divide="ignore"):
        assert L.cross_entropy(y, t) == 0.0
        assert L.cross_entropy(y, t[::-1].copy()) == pytest.approx(100.0)
    L.cross_entropy_gradient(y, t, out := np.empty_like(y))
    np.testing.assert_array_equal(out, [[0.0, -0.5], [-0.5, 0.0]])


def test_binary_cross_entropy_delta_is_the_chain_rule():
    """With sigmoid outputs the fused ∂ℓ/∂z equals ∂ℓ/∂y ⊙ y(1 − y), i.e. (y − t)/N."""
    rng = np.random.default_rng(6)
    z = rng.normal(0.0, 2.0, (2, 5))
    t = rng.uniform(0.0, 1.0, z.shape)
    y, dy, dz = np.empty_like(z), np.empty_like(z), np.empty_like(z)
    sigmoid(z, y)
    L.binary_cross_entropy_gradient(y, t, dy)
    L.binary_cross_entropy_delta(y, t, dz)
    np.testing.assert_allclose(dz, dy * y * (1.0 - y), rtol=1e-12)
    np.testing.assert_allclose(dz, (y - t) / z.size, rtol=1e-15)


@pytest.mark.parametrize("scale", [1.0, 0.5, 2.0])
def test_cross_entropy_delta_is_the_chain_rule(scale):
    """With softmax outputs the fused ∂ℓ/∂z equals softmax's Jacobian applied to ∂ℓ/∂y.

    Targets are probabilities, also scaled so a column does not sum to 1 (then (y Σt − t)/B).
    """
    rng = np.random.default_rng(7)
    z = rng.normal(0.0, 2.0, (4, 3))
    t = scale * rng.dirichlet(np.ones(4), 3).T
    y, dy, chain, dz = (np.empty_like(z) for _ in range(4))
    softmax(z, y)
    L.cross_entropy_gradient(y, t, dy)
    softmax_backward(z, y, dy, chain)
    L.cross_entropy_delta(y, t, dz)
    np.testing.assert_allclose(dz, chain, rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(dz, (y * t.sum(axis=0) - t) / 3, rtol=1e-12, atol=1e-15)


def test_get_loss_and_pairings():
    """Squared losses take any output; cross_entropy picks binary or categorical, else refuses."""
    for output in ("sigmoid", "tanh", "relu", "linear", "softmax"):
        assert L.get_loss("half_sse", output).value is L.half_sse
        assert L.get_loss("mse", output).value is L.mse
    assert L.get_loss("cross_entropy", "sigmoid").value is L.binary_cross_entropy
    assert L.get_loss("cross_entropy", "softmax").value is L.cross_entropy
    assert L.LOSS_OUTPUTS["cross_entropy"] == ("sigmoid", "softmax")
    for output in ("tanh", "relu", "linear"):
        with pytest.raises(ValueError, match=f"needs output_activation .* not '{output}'"):
            L.get_loss("cross_entropy", output)
    with pytest.raises(ValueError, match=r"^loss: unknown loss 'hinge'"):
        L.get_loss("hinge", "sigmoid")
