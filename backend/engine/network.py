"""A fully connected network whose weights are kept in the article's form (equations (3)–(4))."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from .activations import Activation, get_activation

Array = NDArray[np.floating]

MAX_LAYERS = 12
MAX_NEURONS = 1024
DTYPES = {"float64": np.float64, "float32": np.float32}


def check_layers(layers: Sequence[int]) -> tuple[int, ...]:
    """Validated layer sizes, input first, e.g. (3, 5, 2)."""
    sizes = tuple(int(n) for n in layers)
    if len(sizes) < 2:
        raise ValueError(f"layers: need at least an input and an output layer, got {list(sizes)}")
    if len(sizes) > MAX_LAYERS:
        raise ValueError(f"layers: at most {MAX_LAYERS} layers, got {len(sizes)}")
    for i, n in enumerate(sizes):
        if not 1 <= n <= MAX_NEURONS:
            raise ValueError(f"layers[{i}]: {n} neurons is outside 1..{MAX_NEURONS}")
    return sizes


def initial_weights(sizes: Sequence[int], activation: str, seed: int) -> list[Array]:
    """Seeded W^i of shape (n_i, 1 + n_{i−1}): biases 0, weights Glorot-uniform (He for relu)."""
    rng = np.random.default_rng(seed)
    weights: list[Array] = []
    for n_in, n_out in itertools.pairwise(sizes):
        # Glorot keeps the variance of z near that of y for tanh/sigmoid; He doubles it for relu,
        # which zeroes half its inputs.
        bound = np.sqrt(6.0 / n_in) if activation == "relu" else np.sqrt(6.0 / (n_in + n_out))
        w = np.zeros((n_out, 1 + n_in))
        w[:, 1:] = rng.uniform(-bound, bound, size=(n_out, n_in))
        weights.append(w)
    return weights


class Network:
    """Layers `sizes` (input first); W^i of shape (n_i, 1 + n_{i−1}) with the bias in column 0."""

    def __init__(
        self,
        layers: Sequence[int],
        activation: str = "sigmoid",
        output_activation: str = "sigmoid",
        weights: Sequence[Sequence[Sequence[float]] | Array] | None = None,
        seed: int = 0,
        dtype: str = "float64",
    ) -> None:
        self.sizes = check_layers(layers)
        if dtype not in DTYPES:
            raise ValueError(f"dtype: expected one of {list(DTYPES)}, got {dtype!r}")
        self.dtype = np.dtype(DTYPES[dtype])
        self.activation = activation
        self.output_activation = output_activation
        hidden = get_activation(activation)
        self.activations: list[Activation] = [hidden] * (len(self.sizes) - 2)
        self.activations.append(get_activation(output_activation, output=True))
        self.shapes = [(n, 1 + m) for m, n in zip(self.sizes[:-1], self.sizes[1:], strict=True)]
        # All weights live in one flat buffer so that an update, a copy or a finiteness check is
        # one NumPy call for the whole network; `weights` are views of it in the article's form.
        self.params = np.zeros(sum(n * m for n, m in self.shapes), dtype=self.dtype)
        self.weights = self.views(self.params)
        if weights is None:
            weights = initial_weights(self.sizes, activation, seed)
        self.set_weights(weights)

    def views(self, flat: Array) -> list[Array]:
        """Per-layer (n_i, 1 + n_{i−1}) views of a flat buffer laid out like `params`."""
        views, start = [], 0
        for n, m in self.shapes:
            views.append(flat[start : start + n * m].reshape(n, m))
            start += n * m
        return views

    def set_weights(self, weights: Sequence[Sequence[Sequence[float]] | Array]) -> None:
        """Copy in W^1..W^L, each (n_i, 1 + n_{i−1}); shapes and finiteness are checked first."""
        if len(weights) != len(self.shapes):
            raise ValueError(f"weights: expected {len(self.shapes)} matrices, got {len(weights)}")
        arrays = []
        for i, (w, shape) in enumerate(zip(weights, self.shapes, strict=True)):
            try:
                a = np.asarray(w, dtype=np.float64)
            except (TypeError, ValueError) as exc:
                raise ValueError(f"weights[{i}]: not a matrix of numbers ({exc})") from None
            if a.shape != shape:
                raise ValueError(
                    f"weights[{i}]: shape {list(a.shape)} does not match layer {i + 1}, "
                    f"expected {list(shape)} (n_{i + 1} rows × 1 + n_{i} columns, bias first)"
                )
            if not np.isfinite(a).all():
                raise ValueError(f"weights[{i}]: contains a non-finite number")
            arrays.append(a)
        for view, a in zip(self.weights, arrays, strict=True):
            view[...] = a

    def copy_weights(self) -> list[Array]:
        """A copy of W^1..W^L, each (n_i, 1 + n_{i−1})."""
        return self.views(self.params.copy())

    def forward(self, x: Array) -> tuple[list[Array], list[Array]]:
        """Eqs. (1)–(2) for rows (batch, n_0): z and y of every layer, each (n_i, batch)."""
        y = self.check_inputs(x).T
        zs: list[Array] = []
        ys: list[Array] = []
        for w, f in zip(self.weights, self.activations, strict=True):
            z = w[:, 1:] @ y + w[:, :1]  # eq. (1): z_j = b_j + w_j · y^{i−1}, a column per sample
            y = np.empty_like(z)
            f.forward(z, y)  # eq. (2): y_j = f(z_j)
            zs.append(z)
            ys.append(y)
        return zs, ys

    def predict(self, x: Array) -> Array:
        """Outputs y^L (batch, n_L) for inputs (batch, n_0)."""
        with np.errstate(all="ignore"):
            return self.forward(x)[1][-1].T

    def check_inputs(self, x: Array) -> Array:
        """Inputs as a (batch, n_0) array of this network's dtype, else a ValueError."""
        a = np.asarray(x, dtype=self.dtype)
        if a.ndim != 2 or a.shape[1] != self.sizes[0]:
            raise ValueError(f"inputs: expected shape (rows, {self.sizes[0]}), got {list(a.shape)}")
        return a
