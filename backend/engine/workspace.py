"""Buffers for one batch size, the forward and backward passes that write into them, the loop's
NumPy iteration: the NumPy engine, the readable statement of the math that the kernel is held to."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from .losses import Loss
from .network import Network
from .regularization import Penalty

Array = NDArray[np.floating]
# x (n_0, b), t (n_L, b), and per layer z, y, ∂ℓ/∂y, ∂ℓ/∂z (n_i, b): what a StepRecord shows
Trace = tuple[Array, Array, list[Array], list[Array], list[Array], list[Array]]


class Workspace:
    """z, y, ∂ℓ/∂y and ∂ℓ/∂z of every layer, each (n_i, rows): a column per sample."""

    def __init__(self, network: Network, rows: int) -> None:
        self.network = network
        sizes, dtype = network.sizes, network.dtype
        self.z = [np.empty((n, rows), dtype) for n in sizes[1:]]
        # A hidden layer's y is kept under a row of ones, [1; y], so that the next layer's
        # z = W [1; y] is one product that adds the bias of column 0 (the article's "1" in x).
        self.augmented = [np.ones((1 + n, rows), dtype) for n in sizes[1:-1]]
        self.y = [a[1:] for a in self.augmented] + [np.empty((sizes[-1], rows), dtype)]
        self.dy = [np.empty((n, rows), dtype) for n in sizes[1:]]
        self.dz = [np.empty((n, rows), dtype) for n in sizes[1:]]
        # np.dot, not matmul, below: half the call overhead on small arrays, and it hands
        # outer products such as (128, 1) @ (1, 785) to BLAS. Its `out` must be C-contiguous.
        # Views made once (the weights are updated in place, so they stay current): [1; y]^T per
        # layer input for ∂ℓ/∂W, and (W^i)^T without the bias column for ∂ℓ/∂y^{i−1}.
        self.inputs_t: list[Array] = [a.T for a in self.augmented]
        self.weights_t = [w[:, 1:].T for w in network.weights]

    def forward(self, x: Array) -> None:
        """Eqs. (1)–(2) layer by layer for inputs [1; x] of shape (1 + n_0, rows)."""
        inputs = [x, *self.augmented]
        net = self.network
        layers = zip(inputs, net.weights, net.activations, self.z, self.y, strict=True)
        for y_prev, w, f, z, y in layers:
            np.dot(w, y_prev, out=z)  # eq. (1) for all neurons and samples: z = W [1; y]
            f.forward(z, y)  # eq. (2): y^i = f(z^i)

    def backward(self, x: Array, t: Array, loss: Loss, grads: list[Array]) -> None:
        """The backward pass for targets t (n_L, rows): ∂ℓ/∂y, ∂ℓ/∂z, and ∂ℓ/∂W into grads."""
        net, last = self.network, len(self.z) - 1
        loss.gradient(self.y[last], t, self.dy[last])  # ∂ℓ/∂y^L, e.g. Σ_k (y_k − t_k) for eq. (5)
        if loss.delta is not None:
            loss.delta(self.y[last], t, self.dz[last])
        else:
            net.activations[last].backward(self.z[last], self.y[last], self.dy[last], self.dz[last])
        inputs_t = [x.T, *self.inputs_t]
        for i in range(last, -1, -1):
            # ∂ℓ/∂W^i = (∂ℓ/∂z^i) [1; y^{i−1}]^T: column 0, the bias, gets Σ_k (∂ℓ/∂z)_k.
            np.dot(self.dz[i], inputs_t[i], out=grads[i])
            if i == 0:
                break
            # ∂ℓ/∂y^{i−1} = (W^i)^T ∂ℓ/∂z^i, bias column left out, weights not yet updated.
            np.dot(self.weights_t[i], self.dz[i], out=self.dy[i - 1])
            f = net.activations[i - 1]
            f.backward(self.z[i - 1], self.y[i - 1], self.dy[i - 1], self.dz[i - 1])  # eq. (7)


class NumpyPasses:
    """The NumPy engine, the reference: a Workspace per batch size, the epoch's batches, update."""

    def __init__(
        self,
        network: Network,
        loss: Loss,
        inputs: Array,
        targets: Array,
        slices: Sequence[tuple[int, int]],
        grads: Array,
        penalty: Penalty,
    ) -> None:
        self.network, self.loss, self.slices, self.penalty = network, loss, slices, penalty
        # [1; x]: the article's input vectors with a leading 1 for the bias column of W^1, a column
        # per sample; each batch gets its own contiguous block, rebuilt when an epoch reshuffles.
        self.inputs = np.vstack([np.ones((1, len(inputs)), network.dtype), inputs.T])
        self.targets = np.ascontiguousarray(targets.T)
        self.grad_params, self.grads = grads, network.views(grads)
        self.delta = np.zeros_like(network.params)
        self.workspaces = {n: Workspace(network, n) for n in {b - a for a, b in slices}}
        self.blocks: list[tuple[Array, Array]] = []

    def arrange(self, order: NDArray[np.intp]) -> None:
        """This epoch's batches in `order` (rows,): [1; x] (1 + n_0, b) and t (n_L, b) each."""
        x, t = self.inputs[:, order], self.targets[:, order]
        self.blocks = [(x[:, a:b].copy(), t[:, a:b].copy()) for a, b in self.slices]

    def iterate(self, batch: int, alpha: float) -> tuple[float, float, bool]:
        """One iteration on this epoch's `batch` with α: ℓ, max |ΔW|, whether ℓ and W are finite."""
        start, stop = self.slices[batch]
        ws, net, (x, t) = self.workspaces[stop - start], self.network, self.blocks[batch]
        with np.errstate(all="ignore"):  # overflow is reported as status "diverged", not a warning
            ws.forward(x)
            loss = self.loss.value(ws.y[-1], t)
            ws.backward(x, t, self.loss, self.grads)
            self.descend(alpha)
            # max |ΔW| without a temporary |ΔW| array
            max_delta = max(
                float(np.maximum.reduce(self.delta)), -float(np.minimum.reduce(self.delta))
            )
            finite = math.isfinite(loss) and math.isfinite(float(np.add.reduce(net.params)))
        return loss, max_delta, finite

    def descend(self, alpha: float) -> None:
        """ΔW (params,) into self.delta, then onto the weights: the update, all layers at once."""
        if self.penalty.active:
            # The objective ℓ + λR: W := W − α (∂ℓ/∂W + λ ∂R/∂W), where λ ∂R/∂W is 0 in the bias
            # columns (regularization.py). ∂ℓ/∂W in self.grads stays the data loss's gradient.
            self.penalty.gradient(self.network.params, out=self.delta)
            self.delta += self.grad_params
            self.delta *= -alpha
        else:
            # The article's W := W − α ∂ℓ/∂W, the bias column included.
            np.multiply(self.grad_params, -alpha, out=self.delta)
        self.network.params += self.delta

    def trace(self, batch: int) -> Trace:
        """The last iteration's x (n_0, b), t (n_L, b) and per layer z, y, ∂ℓ/∂y, ∂ℓ/∂z (n_i, b)."""
        start, stop = self.slices[batch]
        ws, (x, t) = self.workspaces[stop - start], self.blocks[batch]
        return x[1:], t, ws.z, ws.y, ws.dy, ws.dz
