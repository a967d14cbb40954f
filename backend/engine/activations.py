"""Activation functions f, each with its derivative beside it (equations (2), (6) and (7))."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.floating]


@dataclass(frozen=True)
class Activation:
    """A named f with its forward (z → y) and backward (∂ℓ/∂y → ∂ℓ/∂z) written into buffers."""

    name: str
    forward: Callable[[Array, Array], None]
    backward: Callable[[Array, Array, Array, Array], None]
    elementwise: bool
    description: str


# Arrays hold one column per sample, (n, batch): the article's vectors z^i and y^i side by side.
# Every forward(z, out) writes y = f(z) into `out`; every backward(z, y, dy, out) writes
# ∂ℓ/∂z = (∂ℓ/∂y)(df/dz) into `out`.


def sigmoid(z: Array, out: Array) -> None:
    """Eq. (6): y = 1 / (1 + e^(−z)), (n, batch) → (n, batch); e^(−z) = inf gives exactly 0."""
    np.negative(z, out=out)
    np.exp(out, out=out)  # overflows to inf for z < −709: 1 / inf = 0, no NaN
    out += 1.0
    np.reciprocal(out, out=out)


def sigmoid_backward(z: Array, y: Array, dy: Array, out: Array) -> None:
    """Eq. (7): ∂ℓ/∂z = ∂ℓ/∂y ⊙ y ⊙ (1 − y), all (n, batch)."""
    np.subtract(1.0, y, out=out)
    out *= y
    out *= dy


def tanh(z: Array, out: Array) -> None:
    """y = tanh z, (n, batch)."""
    np.tanh(z, out=out)


def tanh_backward(z: Array, y: Array, dy: Array, out: Array) -> None:
    """∂ℓ/∂z = ∂ℓ/∂y ⊙ (1 − y²), all (n, batch)."""
    np.multiply(y, y, out=out)
    np.subtract(1.0, out, out=out)
    out *= dy


def relu(z: Array, out: Array) -> None:
    """y = max(0, z), (n, batch)."""
    np.maximum(z, 0.0, out=out)


def relu_backward(z: Array, y: Array, dy: Array, out: Array) -> None:
    """∂ℓ/∂z = ∂ℓ/∂y where z > 0, else 0 (the derivative at 0 is taken as 0), (n, batch)."""
    np.multiply(dy, z > 0.0, out=out)


def linear(z: Array, out: Array) -> None:
    """y = z, (n, batch)."""
    np.copyto(out, z)


def linear_backward(z: Array, y: Array, dy: Array, out: Array) -> None:
    """∂ℓ/∂z = ∂ℓ/∂y, (n, batch)."""
    np.copyto(out, dy)


def softmax(z: Array, out: Array) -> None:
    """y_j = e^(z_j) / Σ_k e^(z_k) per column, (n, batch); z minus its max, so no overflow."""
    np.subtract(z, z.max(axis=0, keepdims=True), out=out)
    np.exp(out, out=out)
    out /= out.sum(axis=0, keepdims=True)


def softmax_backward(z: Array, y: Array, dy: Array, out: Array) -> None:
    """∂ℓ/∂z = y ⊙ (∂ℓ/∂y − Σ_k (∂ℓ/∂y)_k y_k) per column (softmax's Jacobian), (n, batch)."""
    np.multiply(dy, y, out=out)
    np.subtract(dy, out.sum(axis=0, keepdims=True), out=out)
    out *= y


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation("sigmoid", sigmoid, sigmoid_backward, True, "1 / (1 + e^−z), eq. (6)"),
        Activation("tanh", tanh, tanh_backward, True, "tanh z"),
        Activation("relu", relu, relu_backward, True, "max(0, z)"),
        Activation("linear", linear, linear_backward, True, "z (identity)"),
        Activation("softmax", softmax, softmax_backward, False, "e^z_j / Σ e^z_k (output only)"),
    )
}

HIDDEN_ACTIVATIONS = tuple(name for name, a in ACTIVATIONS.items() if a.elementwise)
OUTPUT_ACTIVATIONS = tuple(ACTIVATIONS)


def get_activation(name: str, *, output: bool = False) -> Activation:
    """The registered activation `name`; softmax is allowed on the output layer only."""
    allowed = OUTPUT_ACTIVATIONS if output else HIDDEN_ACTIVATIONS
    if name in ACTIVATIONS and name not in allowed:
        raise ValueError(f"activation: {name!r} is allowed on the output layer only")
    if name not in allowed:
        where = "output_activation" if output else "activation"
        raise ValueError(f"{where}: unknown activation {name!r}; expected one of {list(allowed)}")
    return ACTIVATIONS[name]
