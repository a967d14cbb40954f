"""The losses ℓ of losses.py as compiled loops: ℓ(y, t) (eq. 5 and kin), ∂ℓ/∂y, the fused ∂ℓ/∂z.

y, t, ∂ℓ/∂y and ∂ℓ/∂z are the output layer's (n, b) blocks, flat in row-major order (neuron j of
sample s at [j * b + s]); the clamps are losses.py's: log p ≥ −100 and p (1 − p) ≥ 1e-12.
"""

from __future__ import annotations

import math

from .jit import (
    BINARY_CROSS_ENTROPY,
    CATEGORICAL_CROSS_ENTROPY,
    F64,
    HALF_SSE,
    MSE,
    kernel_function,
)
from .losses import EPSILON, LOG_FLOOR


@kernel_function
def floored(log_p: float) -> float:
    """log p, clamped at −100 as PyTorch's BCELoss does (NaN stays NaN)."""
    return LOG_FLOOR if log_p < LOG_FLOOR else log_p


@kernel_function
def loss_value(code: int, y: F64, t: F64, n: int, b: int) -> float:
    """ℓ of the batch's outputs y and targets t, (n, b)."""
    total = 0.0
    if code in (HALF_SSE, MSE):
        for p in range(n * b):
            d = y[p] - t[p]
            total += d * d
        return 0.5 * total if code == HALF_SSE else total / (n * b)  # eq. (5), or the mean
    if code == BINARY_CROSS_ENTROPY:  # −mean[t log y + (1 − t) log(1 − y)]
        for p in range(n * b):
            total += t[p] * floored(math.log(y[p])) + (1.0 - t[p]) * floored(math.log1p(-y[p]))
        return -total / (n * b)
    for p in range(n * b):  # categorical: −(1/b) Σ t log y
        total += t[p] * floored(math.log(y[p]))
    return -total / b


@kernel_function
def loss_gradient(code: int, y: F64, t: F64, dy: F64, n: int, b: int) -> None:
    """∂ℓ/∂y of the outputs y, targets t into dy, all (n, b)."""
    if code == HALF_SSE:
        for p in range(n * b):
            dy[p] = y[p] - t[p]  # per sample, summed over the batch as eq. (5) is
    elif code == MSE:
        scale = 2.0 / (n * b)
        for p in range(n * b):
            dy[p] = (y[p] - t[p]) * scale
    elif code == BINARY_CROSS_ENTROPY:
        for p in range(n * b):
            q = (1.0 - y[p]) * y[p]
            q = EPSILON if q < EPSILON else q  # max(y (1 − y), 1e-12), NaN kept
            dy[p] = (y[p] - t[p]) / q / (n * b)
    else:  # categorical: −t / (b y), and 0 where t = 0 (no 0/0)
        scale = -1.0 / b
        for p in range(n * b):
            dy[p] = (0.0 if t[p] == 0.0 else t[p] / y[p]) * scale


@kernel_function
def is_fused(code: int) -> bool:
    """Whether ℓ has a fused output ∂ℓ/∂z (cross-entropy after sigmoid or softmax)."""
    return code in (BINARY_CROSS_ENTROPY, CATEGORICAL_CROSS_ENTROPY)


@kernel_function
def loss_delta(code: int, y: F64, t: F64, dz: F64, n: int, b: int) -> None:
    """The output ∂ℓ/∂z in one stable expression, for a fused code (y, t, dz: (n, b))."""
    if code == BINARY_CROSS_ENTROPY:
        for p in range(n * b):  # eq. (7) cancels BCE's denominator: (y − t) / (b n)
            dz[p] = (y[p] - t[p]) / (n * b)
        return
    for s in range(b):  # softmax: (y Σ_j t_j − t) / b per column
        mass = 0.0
        for j in range(n):
            mass += t[j * b + s]
        for j in range(n):
            dz[j * b + s] = (y[j * b + s] * mass - t[j * b + s]) / b
