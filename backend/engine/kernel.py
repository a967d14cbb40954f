"""The article's training step compiled: forward pass, loss, backward pass and update, K at a call.

`train()` runs up to `limit` iterations without the GIL over the engine's flat buffers: W^1..W^L
in `params` (network.py's layout, each (n_i, 1 + n_{i−1}) row-major with the bias in column 0)
and ∂ℓ/∂W in `grads`, laid out alike. A layer's z, y, ∂ℓ/∂y and ∂ℓ/∂z live in one flat buffer
each: layer i's (n_i, b) block, a column per sample, starts at `u_at[i − 1]`; they hold the trace
of the last iteration, which compiled.py shows as a StepRecord's views. The loop is trainer.py's:
the same batches in the same order, τ and divergence judged after each update, the same status.
"""

from __future__ import annotations

import math

from .jit import (
    CONVERGED,
    DIVERGED,
    F64,
    FINISHED,
    I64,
    L1,
    L2,
    NO_PENALTY,
    RUNNING,
    kernel_function,
)
from .kernel_activations import activate, derive
from .kernel_losses import is_fused, loss_delta, loss_gradient, loss_value


@kernel_function
def block(buffer: F64, u_at: I64, sizes: I64, i: int, b: int) -> F64:
    """Layer i's (n_i, b) block of a trace buffer (z, y, ∂ℓ/∂y or ∂ℓ/∂z), flat."""
    return buffer[u_at[i - 1] : u_at[i - 1] + sizes[i] * b]


@kernel_function
def below(xin: F64, y: F64, u_at: I64, sizes: I64, i: int, b: int) -> F64:
    """y^{i−1}, layer i's input (n_{i−1}, b): the batch's x for i = 1."""
    return xin[: sizes[0] * b] if i == 1 else block(y, u_at, sizes, i - 1, b)


@kernel_function
def affine(w: F64, y_prev: F64, z: F64, n: int, m: int, b: int) -> None:
    """Eq. (1), z = W [1; y]: z_j = b_j + Σ_k w_jk y_k for W (n, 1 + m), y (m, b), z (n, b)."""
    for j in range(n):
        row = j * (1 + m)
        for s in range(b):
            z[j * b + s] = w[row]  # the bias, column 0 of W, times the input's leading 1
        for k in range(m):
            w_jk = w[row + 1 + k]
            for s in range(b):
                z[j * b + s] += w_jk * y_prev[k * b + s]


@kernel_function
def weight_gradient(dz: F64, y_prev: F64, grad: F64, n: int, m: int, b: int) -> None:
    """∂ℓ/∂W = (∂ℓ/∂z) [1; y]^T, (n, 1 + m), summed over the batch's b samples."""
    for j in range(n):
        row = j * (1 + m)
        total = 0.0
        for s in range(b):
            total += dz[j * b + s]  # the bias column: Σ_s ∂ℓ/∂z_j
        grad[row] = total
        for k in range(m):
            total = 0.0
            for s in range(b):
                total += dz[j * b + s] * y_prev[k * b + s]
            grad[row + 1 + k] = total


@kernel_function
def back(w: F64, dz: F64, dy_prev: F64, n: int, m: int, b: int) -> None:
    """∂ℓ/∂y^{i−1} = (W^i)^T ∂ℓ/∂z^i without the bias column: (m, b) from dz (n, b)."""
    for p in range(m * b):
        dy_prev[p] = 0.0
    for j in range(n):
        row = j * (1 + m)
        for k in range(m):
            w_jk = w[row + 1 + k]
            for s in range(b):
                dy_prev[k * b + s] += w_jk * dz[j * b + s]


@kernel_function
def gather(x: F64, t: F64, order: I64, start: int, b: int, xin: F64, tin: F64) -> None:
    """The batch's x (n_0, b) and t (n_L, b): a column for each row order[start : start + b]."""
    for s in range(b):
        r = order[start + s]
        for k in range(x.shape[1]):
            xin[k * b + s] = x[r, k]
        for j in range(t.shape[1]):
            tin[j * b + s] = t[r, j]


@kernel_function
def forward(
    params: F64, w_at: I64, sizes: I64, codes: I64, u_at: I64, xin: F64, z: F64, y: F64, b: int
) -> None:
    """The forward pass, eqs. (1)–(2) layer by layer, for the batch's x (n_0, b) in xin."""
    for i in range(1, len(sizes)):
        z_i, y_i = block(z, u_at, sizes, i, b), block(y, u_at, sizes, i, b)
        w = params[w_at[i - 1] : w_at[i]]
        affine(w, below(xin, y, u_at, sizes, i, b), z_i, sizes[i], sizes[i - 1], b)  # eq. (1)
        activate(codes[i - 1], z_i, y_i, sizes[i], b)  # eq. (2): y^i = f(z^i)


@kernel_function
def backward(
    params: F64,
    grads: F64,
    w_at: I64,
    sizes: I64,
    codes: I64,
    loss: int,
    u_at: I64,
    trace: tuple[F64, F64, F64, F64, F64, F64],
    b: int,
) -> None:
    """∂ℓ/∂y, ∂ℓ/∂z of every layer from the output back, and ∂ℓ/∂W into grads."""
    z, y, dy, dz, xin, tin = trace
    last = len(sizes) - 1
    n = sizes[last]
    y_l, dz_l = block(y, u_at, sizes, last, b), block(dz, u_at, sizes, last, b)
    dy_l, t = block(dy, u_at, sizes, last, b), tin[: n * b]
    loss_gradient(loss, y_l, t, dy_l, n, b)  # ∂ℓ/∂y^L, e.g. y − t for eq. (5)
    if is_fused(loss):
        loss_delta(loss, y_l, t, dz_l, n, b)
    else:
        derive(codes[last - 1], block(z, u_at, sizes, last, b), y_l, dy_l, dz_l, n, b)
    for i in range(last, 0, -1):
        n, m = sizes[i], sizes[i - 1]
        w, dz_i = params[w_at[i - 1] : w_at[i]], block(dz, u_at, sizes, i, b)
        weight_gradient(
            dz_i, below(xin, y, u_at, sizes, i, b), grads[w_at[i - 1] : w_at[i]], n, m, b
        )
        if i > 1:  # ∂ℓ/∂y^{i−1} with W^i not yet updated, then eq. (7)'s ∂ℓ/∂z^{i−1}
            dy_i = block(dy, u_at, sizes, i - 1, b)
            back(w, dz_i, dy_i, n, m, b)
            z_i, y_i = block(z, u_at, sizes, i - 1, b), block(y, u_at, sizes, i - 1, b)
            derive(codes[i - 2], z_i, y_i, dy_i, block(dz, u_at, sizes, i - 1, b), m, b)


@kernel_function
def penalty_gradient(kind: int, rate: float, w: float) -> float:
    """λ ∂R/∂w of one weight: λw for L2 (R = ½ Σ w²), λ sign(w) for L1 (R = Σ |w|, 0 at 0)."""
    if kind == L2:
        return w * rate
    if kind == L1:
        sign = 1.0 if w > 0.0 else (-1.0 if w < 0.0 else w * 0.0)  # NaN stays NaN, as np.sign
        return sign * rate
    return 0.0


@kernel_function
def descend(
    params: F64, grads: F64, alpha: float, penalty: tuple[F64, int, float]
) -> tuple[float, float]:
    """W := W − α (∂ℓ/∂W + λ ∂R/∂W) for every weight, biases included (mask 0: no penalty);
    max |ΔW| (NaN if one is) and Σ W. Without a penalty, the article's W := W − α ∂ℓ/∂W."""
    mask, kind, rate = penalty
    biggest, total = 0.0, 0.0
    for p in range(len(params)):
        gradient = grads[p]
        if kind != NO_PENALTY:  # the objective ℓ + λR; mask[p] is 0 at a bias, 1 at a weight
            gradient = penalty_gradient(kind, rate, params[p]) * mask[p] + gradient
        step = gradient * -alpha
        params[p] += step
        size = abs(step)
        if size > biggest or size != size:
            biggest = size
        total += params[p]
    return biggest, total


@kernel_function
def judge(loss: float, max_delta: float, total: float, tolerance: float, last: bool) -> int:
    """The status after an update: diverged (ℓ, a weight or max |ΔW| not finite), converged
    (max |ΔW| < τ), finished (`last`: the last epoch is done) or still running."""
    if not (math.isfinite(loss) and math.isfinite(total) and math.isfinite(max_delta)):
        return DIVERGED
    if max_delta < tolerance:
        return CONVERGED
    return FINISHED if last else RUNNING


@kernel_function
def train(
    net: tuple[F64, F64, I64, I64, I64, int],
    data: tuple[F64, F64, I64, I64],
    settings: tuple[int, bool, float, float, int],
    penalty: tuple[F64, int, float],
    state: I64,
    losses: F64,
    last: F64,
    u_at: I64,
    trace: tuple[F64, F64, F64, F64, F64, F64],
) -> int:
    """Run up to `limit` iterations; returns how many ran, each one's ℓ in `losses`.

    net = (params, grads, w_at, sizes, codes, loss); data = (x (rows, n_0), t (rows, n_L),
    this epoch's order of the rows, the batches' starts in it + [rows]); settings = (epochs,
    shuffle, α, τ, limit); penalty = (a 0/1 "is a weight" mask over params, the regularization's
    code, λ); state = [next batch, completed epochs, status], read and written;
    last = [max |ΔW|] of the last iteration; trace = (z, y, ∂ℓ/∂y, ∂ℓ/∂z, x, t) buffers.
    It stops early when the run ends, and at an epoch's end when shuffling (Python draws the
    next epoch's order).
    """
    params, grads, w_at, sizes, codes, loss = net
    x, t, order, starts = data
    epochs, shuffle, alpha, tolerance, limit = settings
    z, y, _, _, xin, tin = trace
    batches, n_out = len(starts) - 1, sizes[len(sizes) - 1]
    ran = 0
    while ran < limit:  # for each batch of each epoch
        batch = state[0]
        start, b = starts[batch], starts[batch + 1] - starts[batch]
        gather(x, t, order, start, b, xin, tin)
        forward(params, w_at, sizes, codes, u_at, xin, z, y, b)
        y_l = block(y, u_at, sizes, len(sizes) - 1, b)
        losses[ran] = loss_value(loss, y_l, tin[: n_out * b], n_out, b)  # ℓ, e.g. eq. (5)
        backward(params, grads, w_at, sizes, codes, loss, u_at, trace, b)
        last[0], total = descend(params, grads, alpha, penalty)
        state[0] = (batch + 1) % batches
        state[1] += state[0] == 0
        state[2] = judge(losses[ran], last[0], total, tolerance, state[1] >= epochs)
        ran += 1
        if state[2] != RUNNING or (shuffle and state[0] == 0):
            break
    return ran
