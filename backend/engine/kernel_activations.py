"""The activations f of activations.py as compiled loops: y = f(z) (eq. 2) and ∂ℓ/∂z (eq. 7).

Every array is one layer's (n, b) block, flat in row-major order: neuron j's value for sample s
is at [j * b + s], a column per sample as in the article. Each loop does the arithmetic of its
NumPy twin in the same order, so the two engines agree to the last bits of a double.
"""

from __future__ import annotations

import math

from .jit import F64, RELU, SIGMOID, SOFTMAX, TANH, kernel_function


@kernel_function
def activate(code: int, z: F64, y: F64, n: int, b: int) -> None:
    """Eq. (2): y = f(z) for a layer's z and y, (n, b); softmax works per column (sample)."""
    if code == SOFTMAX:
        softmax(z, y, n, b)
    elif code == SIGMOID:
        for p in range(n * b):
            y[p] = 1.0 / (1.0 + math.exp(-z[p]))  # eq. (6); e^(−z) = inf gives exactly 0
    elif code == TANH:
        for p in range(n * b):
            y[p] = math.tanh(z[p])
    elif code == RELU:
        for p in range(n * b):
            y[p] = z[p] if z[p] > 0.0 or z[p] != z[p] else 0.0  # max(0, z), NaN kept
    else:  # linear
        for p in range(n * b):
            y[p] = z[p]


@kernel_function
def softmax(z: F64, y: F64, n: int, b: int) -> None:
    """y_j = e^(z_j − max z) / Σ_k e^(z_k − max z) per column of z and y, (n, b)."""
    for s in range(b):
        top = z[s]
        for j in range(1, n):
            if z[j * b + s] > top:
                top = z[j * b + s]
        total = 0.0
        for j in range(n):
            y[j * b + s] = math.exp(z[j * b + s] - top)
            total += y[j * b + s]
        for j in range(n):
            y[j * b + s] /= total


@kernel_function
def derive(code: int, z: F64, y: F64, dy: F64, dz: F64, n: int, b: int) -> None:
    """∂ℓ/∂z = ∂ℓ/∂y · df/dz for a layer's z, y = f(z), ∂ℓ/∂y and ∂ℓ/∂z, all (n, b)."""
    if code == SOFTMAX:
        softmax_backward(y, dy, dz, n, b)
    elif code == SIGMOID:
        for p in range(n * b):
            dz[p] = (1.0 - y[p]) * y[p] * dy[p]  # eq. (7): σ' = y (1 − y)
    elif code == TANH:
        for p in range(n * b):
            dz[p] = (1.0 - y[p] * y[p]) * dy[p]  # tanh' = 1 − y²
    elif code == RELU:
        for p in range(n * b):
            dz[p] = dy[p] * (1.0 if z[p] > 0.0 else 0.0)  # the derivative at 0 taken as 0
    else:  # linear
        for p in range(n * b):
            dz[p] = dy[p]


@kernel_function
def softmax_backward(y: F64, dy: F64, dz: F64, n: int, b: int) -> None:
    """Softmax's Jacobian per column: ∂ℓ/∂z = y ⊙ (∂ℓ/∂y − Σ_k (∂ℓ/∂y)_k y_k), (n, b)."""
    for s in range(b):
        total = 0.0
        for j in range(n):
            total += dy[j * b + s] * y[j * b + s]
        for j in range(n):
            dz[j * b + s] = (dy[j * b + s] - total) * y[j * b + s]
