"""Loss functions ℓ, each with its derivative ∂ℓ/∂y beside it, and their output pairings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.floating]

# log p is clamped at −100 and p(1 − p) at 1e-12, PyTorch's BCELoss conventions, so that a saturated
# output gives a large finite loss instead of inf or NaN.
LOG_FLOOR = -100.0
EPSILON = 1e-12


@dataclass(frozen=True)
class Loss:
    """ℓ(y, t) → float, ∂ℓ/∂y written into a buffer, and optionally ∂ℓ/∂z fused with the output f.

    y and t hold one column per sample, (n_out, batch), as the article's vectors do.
    """

    name: str
    value: Callable[[Array, Array], float]
    gradient: Callable[[Array, Array, Array], None]
    # ∂ℓ/∂z of the output layer in one stable expression, where the pairing allows it; equal to the
    # chain rule (∂ℓ/∂y)(df/dz) but free of the 0/0 a saturated output would give.
    delta: Callable[[Array, Array, Array], None] | None
    description: str


def half_sse(y: Array, t: Array) -> float:
    """Eq. (5): ℓ = ½ Σ_k Σ_j (y_kj − t_kj)², summed over the batch (n_out, batch)."""
    d = (y - t).ravel()
    return 0.5 * float(np.dot(d, d))


def half_sse_gradient(y: Array, t: Array, out: Array) -> None:
    """∂ℓ/∂y = y − t per sample, (n_out, batch): summed over the batch, as the article does."""
    np.subtract(y, t, out=out)


def mse(y: Array, t: Array) -> float:
    """ℓ = mean of (y − t)² over all batch × output elements, (n_out, batch); torch's MSELoss."""
    d = (y - t).ravel()
    return float(np.dot(d, d)) / d.size


def mse_gradient(y: Array, t: Array, out: Array) -> None:
    """∂ℓ/∂y = 2 (y − t) / (batch · n_out), (n_out, batch)."""
    np.subtract(y, t, out=out)
    out *= 2.0 / out.size


def binary_cross_entropy(y: Array, t: Array) -> float:
    """ℓ = −mean[t log y + (1 − t) log(1 − y)], (n_out, batch); PyTorch's BCELoss()."""
    log_y = np.maximum(np.log(y), LOG_FLOOR)
    log_1y = np.maximum(np.log1p(-y), LOG_FLOOR)
    return -float(np.add.reduce((t * log_y + (1.0 - t) * log_1y).ravel())) / y.size


def binary_cross_entropy_gradient(y: Array, t: Array, out: Array) -> None:
    """∂ℓ/∂y = (y − t) / max(y (1 − y), 1e-12) / (batch · n_out), (n_out, batch)."""
    np.subtract(1.0, y, out=out)
    out *= y
    np.maximum(out, EPSILON, out=out)
    np.divide(y - t, out, out=out)
    out /= out.size


def binary_cross_entropy_delta(y: Array, t: Array, out: Array) -> None:
    """With sigmoid outputs, eq. (7) cancels the denominator: ∂ℓ/∂z = (y − t) / (batch · n_out)."""
    np.subtract(y, t, out=out)
    out /= out.size


def cross_entropy(y: Array, t: Array) -> float:
    """ℓ = −(1/batch) Σ_k Σ_j t_kj log y_kj, (n_out, batch); targets one-hot or probabilities."""
    log_y = np.maximum(np.log(y), LOG_FLOOR)
    return -float(np.add.reduce((t * log_y).ravel())) / int(y.shape[1])


def cross_entropy_gradient(y: Array, t: Array, out: Array) -> None:
    """∂ℓ/∂y = −t / (batch · y), and 0 where t = 0 (no 0/0), (n_out, batch)."""
    out.fill(0.0)
    np.divide(t, y, out=out, where=t != 0.0)
    out *= -1.0 / y.shape[1]


def cross_entropy_delta(y: Array, t: Array, out: Array) -> None:
    """With softmax outputs: ∂ℓ/∂z = (y Σ_j t_j − t) / batch, i.e. (y − t) / batch for one-hot t."""
    np.multiply(y, t.sum(axis=0, keepdims=True), out=out)
    out -= t
    out /= y.shape[1]


_SQUARED = {
    "half_sse": Loss("half_sse", half_sse, half_sse_gradient, None, "½ Σ (y − t)², eq. (5)"),
    "mse": Loss("mse", mse, mse_gradient, None, "mean (y − t)²"),
}
_CROSS_ENTROPY = {
    "sigmoid": Loss(
        "cross_entropy",
        binary_cross_entropy,
        binary_cross_entropy_gradient,
        binary_cross_entropy_delta,
        "−mean[t log y + (1 − t) log(1 − y)] (binary, sigmoid outputs)",
    ),
    "softmax": Loss(
        "cross_entropy",
        cross_entropy,
        cross_entropy_gradient,
        cross_entropy_delta,
        "−(1/B) Σ t log y (categorical, softmax outputs)",
    ),
}

LOSS_NAMES = ("half_sse", "mse", "cross_entropy")
# Which output activations each loss accepts; None means any.
LOSS_OUTPUTS: dict[str, tuple[str, ...] | None] = {
    "half_sse": None,
    "mse": None,
    "cross_entropy": tuple(_CROSS_ENTROPY),
}


def get_loss(name: str, output_activation: str) -> Loss:
    """The loss `name` paired with `output_activation`; a ValueError for a bad name or pairing."""
    if name in _SQUARED:
        return _SQUARED[name]
    if name != "cross_entropy":
        raise ValueError(f"loss: unknown loss {name!r}; expected one of {list(LOSS_NAMES)}")
    if output_activation not in _CROSS_ENTROPY:
        raise ValueError(
            f"loss: cross_entropy needs output_activation 'sigmoid' or 'softmax', "
            f"not {output_activation!r}"
        )
    return _CROSS_ENTROPY[output_activation]
