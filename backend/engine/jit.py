"""What the compiled kernel shares with Python: the integer codes of f, ℓ and status, its decorator.

One compiled specialization serves every network: the kernel takes float64 arrays and int64
scalars only, and picks an activation or a loss by these codes at run time. Importing this module
needs no numba; `kernel_function` imports it when the kernel's modules are first imported.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import numpy as np
from numpy.typing import NDArray

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]

# Activations f (activations.py), one code per layer.
SIGMOID, TANH, RELU, LINEAR, SOFTMAX = 0, 1, 2, 3, 4
ACTIVATION_CODES = {
    "sigmoid": SIGMOID,
    "tanh": TANH,
    "relu": RELU,
    "linear": LINEAR,
    "softmax": SOFTMAX,
}

# Losses ℓ (losses.py); cross_entropy is binary after sigmoid outputs, categorical after softmax.
HALF_SSE, MSE, BINARY_CROSS_ENTROPY, CATEGORICAL_CROSS_ENTROPY = 0, 1, 2, 3
LOSS_CODES = {"half_sse": HALF_SSE, "mse": MSE}
CROSS_ENTROPY_CODES = {"sigmoid": BINARY_CROSS_ENTROPY, "softmax": CATEGORICAL_CROSS_ENTROPY}

# The penalty R on the weights (regularization.py).
NO_PENALTY, L1, L2 = 0, 1, 2
REGULARIZATION_CODES = {"none": NO_PENALTY, "l1": L1, "l2": L2}

# The trainer's status after an iteration (trainer.STATUSES).
RUNNING, FINISHED, CONVERGED, DIVERGED = 1, 2, 3, 4
STATUS_NAMES = {
    RUNNING: "running",
    FINISHED: "finished",
    CONVERGED: "converged",
    DIVERGED: "diverged",
}

Function = TypeVar("Function", bound=Callable[..., Any])


def loss_code(loss: str, output_activation: str) -> int:
    """The kernel's code for `loss` after `output_activation` (a pairing get_loss accepts)."""
    if loss == "cross_entropy":
        return CROSS_ENTROPY_CODES[output_activation]
    return LOSS_CODES[loss]


def kernel_function(function: Function) -> Function:
    """`function` compiled without the GIL, cached on disk, IEEE arithmetic (no fastmath).

    error_model="numpy": a division by zero gives inf or NaN, as NumPy's does, instead of raising.
    """
    import numba  # only here: the codes above must import without numba

    compile_ = numba.njit(nogil=True, cache=True, error_model="numpy", inline="always")
    return cast(Function, compile_(function))
