"""The baseline of issue 10: the article's step as a plain compiled loop, one sample at a time.

Sigmoid on every layer (eq. 6), ℓ = ½ Σ (y − t)² (eq. 5), consecutive mini-batches without
shuffling, W := W − α ∂ℓ/∂W after each batch: the least a step can cost on this machine, with no
trace kept, no status, no τ and no divergence check. `iterations_per_second()` is what the
engine's and the service's benchmarks compare themselves against.
"""

from __future__ import annotations

import math
import sys
import time

import numpy as np
from numba import njit
from numpy.typing import NDArray

from backend.engine.datasets import make_dataset
from backend.engine.network import Network
from bench.torch_reference import dataset

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]

CASES = {"3-5-2": 2, "2-8-8-8-8-8-8-1": 10}  # case → the batch size the issue measures it with
LEARNING_RATE = 0.5


@njit(nogil=True, cache=True)
def train(
    params: F64, sizes: I64, x: F64, t: F64, batch: int, alpha: float, iterations: int
) -> float:
    """Run `iterations` iterations on rows x (rows, n_0) → t (rows, n_L); the last batch's ℓ."""
    layers = len(sizes) - 1
    w_at = np.zeros(layers + 1, np.int64)  # W^l starts at params[w_at[l - 1]], (n_l, 1 + n_{l−1})
    y_at = np.zeros(layers + 2, np.int64)  # y^l starts at y[y_at[l]]
    for i in range(layers):
        w_at[i + 1] = w_at[i] + sizes[i + 1] * (1 + sizes[i])
    for i in range(layers + 1):
        y_at[i + 1] = y_at[i] + sizes[i]
    y = np.zeros(y_at[-1])
    delta = np.zeros(y_at[-1])  # ∂ℓ/∂z of every neuron (the input slots are unused)
    grad = np.zeros_like(params)
    rows, start, loss = x.shape[0], 0, 0.0
    for _ in range(iterations):
        stop = min(start + batch, rows)
        grad[:] = 0.0
        loss = 0.0
        for r in range(start, stop):  # one sample at a time
            y[: sizes[0]] = x[r]
            for i in range(layers):  # forward: z = W [1; y] (1), y = σ(z) (2), (6)
                w, n_in = w_at[i], 1 + sizes[i]
                for j in range(sizes[i + 1]):
                    z = params[w + j * n_in]
                    for k in range(sizes[i]):
                        z += params[w + j * n_in + 1 + k] * y[y_at[i] + k]
                    y[y_at[i + 1] + j] = 1.0 / (1.0 + math.exp(-z))
            out = y_at[layers]
            for j in range(sizes[layers]):  # ℓ (5) and ∂ℓ/∂z = (y − t) y (1 − y) (7)
                d = y[out + j] - t[r, j]
                loss += 0.5 * d * d
                delta[out + j] = d * y[out + j] * (1.0 - y[out + j])
            for i in range(layers - 1, -1, -1):  # backward: ∂ℓ/∂W and ∂ℓ/∂z of the layer below
                w, n_in = w_at[i], 1 + sizes[i]
                for k in range(sizes[i]):
                    delta[y_at[i] + k] = 0.0
                for j in range(sizes[i + 1]):
                    d = delta[y_at[i + 1] + j]
                    grad[w + j * n_in] += d
                    for k in range(sizes[i]):
                        grad[w + j * n_in + 1 + k] += d * y[y_at[i] + k]
                        delta[y_at[i] + k] += params[w + j * n_in + 1 + k] * d
                if i > 0:
                    for k in range(sizes[i]):
                        a = y[y_at[i] + k]
                        delta[y_at[i] + k] *= a * (1.0 - a)
        for p in range(len(params)):  # W := W − α ∂ℓ/∂W
            params[p] -= alpha * grad[p]
        start = 0 if stop == rows else stop
    return loss


def data(case: str) -> tuple[F64, F64]:
    """The case's rows (rows, n_0) → (rows, n_L): the article's six rows for 3-5-2."""
    if case == "3-5-2":
        article = make_dataset("article")
        x, t = article.inputs, article.targets
    else:
        x, t = dataset(case)
    return np.ascontiguousarray(x, np.float64), np.ascontiguousarray(t, np.float64)


def iterations_per_second(case: str, batch: int, seconds: float) -> float:
    """Iterations per second of this thread's CPU time over ~`seconds` (compiled beforehand)."""
    x, t = data(case)
    sizes = np.array([int(n) for n in case.split("-")], np.int64)
    params = Network(sizes.tolist(), seed=0).params.copy()
    train(params, sizes, x, t, batch, LEARNING_RATE, 1)  # compile or load the cache first
    n, chunk = 0, 16
    cpu0 = time.thread_time()
    while (cpu := time.thread_time() - cpu0) < seconds or n == 0:
        train(params, sizes, x, t, batch, LEARNING_RATE, chunk)
        n += chunk
        if cpu < seconds / 20:
            chunk *= 2
    return n / (time.thread_time() - cpu0)


if __name__ == "__main__":
    for name in sys.argv[1:] or list(CASES):
        rate = iterations_per_second(name, CASES[name], 1.0)
        print(f"{name} batch {CASES[name]}: {1e6 / rate:.2f} µs/iteration ({rate:,.0f} it/s)")
