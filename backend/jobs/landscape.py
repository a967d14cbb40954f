"""The loss landscape: the whole training set's loss over a plane of two parameters.

Two parameters a = W^(p+1)[j, i] and b (the others fixed at their current values) span a grid
of N × N weight settings. Each setting's loss is the training rows' mean per-row loss, as the
job's metrics measure it (metrics.py). The N² settings differ from the current weights in two
entries only, so nothing is recomputed that they share:

- the layers before the first parameter's layer p run once per chunk of rows;
- at layer p only z_j changes, by Δa · y^(p−1)_i (eq. 1, with y_0 = 1 for the bias): one row
  of z per setting, and so (the hidden f being elementwise, eq. 2) one neuron's output;
- layer p + 1's z is then the current one plus W^(p+2)[:, 1 + j] · Δy_j: a rank-one change;
- the layers after that run on every setting at once, in chunks of rows and grid rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from backend.engine.activations import Activation
from backend.engine.losses import (
    LOG_FLOOR,
    Loss,
    binary_cross_entropy,
    cross_entropy,
    half_sse,
    mse,
)
from backend.engine.record import Array

from .keyframes import Keyframe

MIN_GRID, MAX_GRID, DEFAULT_GRID = 3, 101, 41
MAX_SPAN, DEFAULT_SPAN = 1000.0, 1.0
MAX_PATH = 512  # points of the path: keyframes thinned to MAX_PATH − 1, then the current weights
CHUNK_VALUES = 1 << 20  # values of one layer's z held at once, over settings × rows
# The most one landscape may compute (work() below): about 15 s of one core in NumPy.
MAX_WORK = 10**10


@dataclass(frozen=True, slots=True)
class Parameter:
    """W^(layer + 1)[row, column]: the index into the job's weights; column 0 is the bias."""

    layer: int
    row: int
    column: int

    def offset(self, shapes: Sequence[tuple[int, int]]) -> int:
        """Its index in the network's flat parameters (the layers' (n, 1 + m) blocks in turn)."""
        before = sum(n * m for n, m in shapes[: self.layer])
        return before + self.row * shapes[self.layer][1] + self.column


@dataclass(frozen=True, slots=True)
class Surface:
    """The axes a (N,), b (N,) and loss (N, N): loss[i, j] with a at a[i] and b at b[j]."""

    a: Array
    b: Array
    loss: Array


def work(sizes: Sequence[int], layer: int, grid: int, rows: int) -> int:
    """About the values computed for a first parameter in layer p = `layer` (0: W^1) of a
    network of `sizes` (input first): per setting and row, each neuron's f from layer p on and
    each product of the layers past p + 1 (the layers before p run once)."""
    below, above = sizes[layer + 2 : -1], sizes[layer + 3 :]
    products = sum(n * (1 + m) for m, n in zip(below, above, strict=True))
    return grid * grid * rows * (sum(sizes[layer + 1 :]) + products)


def axis(value: float, span: float, grid: int) -> Array:
    """`grid` values evenly from value − span to value + span, (grid,); the middle one (odd
    grid) is `value` itself, not value − span plus half the steps' rounding."""
    values = np.linspace(value - span, value + span, grid)
    if grid % 2:
        values[grid // 2] = value
    return values


def surface(
    weights: Sequence[Array],
    activations: Sequence[Activation],
    loss: Loss,
    inputs: Array,
    targets: Array,
    a: Parameter,
    b: Parameter,
    span: float,
    grid: int,
) -> Surface:
    """The mean per-row loss over rows inputs (rows, n_0) → targets (rows, n_L) on the grid of
    a and b, the weights W^i (n_i, 1 + n_{i−1}) otherwise as they are; non-finite where the
    network diverges there."""
    if a == b:
        raise ValueError("b: the same parameter as a; a landscape needs two different ones")
    ws = [np.asarray(w, dtype=np.float64) for w in weights]
    va = axis(float(ws[a.layer][a.row, a.column]), span, grid)
    vb = axis(float(ws[b.layer][b.row, b.column]), span, grid)
    swap = b.layer < a.layer  # the earlier layer's parameter goes first
    first, second = (b, a) if swap else (a, b)
    d1 = (vb if swap else va) - ws[first.layer][first.row, first.column]
    d2 = (va if swap else vb) - ws[second.layer][second.row, second.column]
    rows = len(inputs)
    total = np.zeros((grid, grid))
    row_chunk, grid_chunk = _chunks([len(w) for w in ws], first.layer, grid, rows)
    per_row = _PER_ROW[loss.value]
    with np.errstate(all="ignore"):  # a diverged setting: inf and NaN, not warnings
        for start in range(0, rows, row_chunk):
            x = np.asarray(inputs[start : start + row_chunk], dtype=np.float64).T
            t = np.asarray(targets[start : start + row_chunk], dtype=np.float64).T
            base = _Base(ws, activations, x, first.layer)
            for g in range(0, grid, grid_chunk):
                y = base.outputs(first, second, d1[g : g + grid_chunk], d2)
                total[g : g + grid_chunk] += per_row(y, t[:, None, None, :]).sum(axis=-1)
        mean = total / rows if rows else np.full((grid, grid), np.nan)
    return Surface(va, vb, mean.T if swap else mean)


def path(
    keyframes: Sequence[Keyframe],
    dtype: np.dtype[Any],
    shapes: Sequence[tuple[int, int]],
    a: Parameter,
    b: Parameter,
    now: tuple[float, float],
) -> list[list[float]]:
    """[a, b] at each keyframe (evenly thinned to MAX_PATH − 1), then `now`: ≤ MAX_PATH points."""
    kept = list(keyframes)
    if len(kept) > MAX_PATH - 1:
        picks = np.unique(np.linspace(0, len(kept) - 1, MAX_PATH - 1).round().astype(int))
        kept = [kept[i] for i in picks]
    at = [a.offset(shapes), b.offset(shapes)]
    points = [np.frombuffer(k.params, dtype=dtype)[at].tolist() for k in kept]
    return [*points, [now[0], now[1]]]


class _Base:
    """The current weights' pass over one chunk of rows x (n_0, r), up to layer p + 1."""

    def __init__(self, ws: Sequence[Array], fs: Sequence[Activation], x: Array, layer: int) -> None:
        self.ws, self.fs = ws, fs
        self.ys = [x]  # y^0, y^1, …: (n_i, r), up to the input of layer p + 1
        self.zs: list[Array] = []
        for i in range(min(layer + 2, len(ws))):
            z = _affine(ws[i], self.ys[-1])
            self.zs.append(z)
            if i <= layer:
                y = np.empty_like(z)
                fs[i].forward(z, y)
                self.ys.append(y)

    def outputs(self, first: Parameter, second: Parameter, d1: Array, d2: Array) -> Array:
        """y^L (n_L, g, N, r) with the first parameter moved by d1 (g,), the second by d2 (N,)."""
        p, last = first.layer, len(self.ws) - 1
        below = self.ys[p]  # layer p's input, (n_{p−1}, r)
        rows = {first.row: self.zs[p][first.row] + d1[:, None, None] * _row(below, first.column)}
        if second.layer == p:  # both parameters in layer p: z_j moves by Δ · y_i each (eq. 1)
            moved = d2[None, :, None] * _row(below, second.column)
            rows[second.row] = rows.get(second.row, self.zs[p][second.row]) + moved
        if p == last:  # the output layer itself: its few neurons, every setting
            n, r = self.zs[p].shape
            z = np.broadcast_to(self.zs[p][:, None, None, :], (n, len(d1), len(d2), r)).copy()
            for j, value in rows.items():
                z[j] = value
            return self._finish(z, last)
        changed = {j: _forward(self.fs[p], value) - self.ys[p + 1][j] for j, value in rows.items()}
        w = self.ws[p + 1]
        z = self.zs[p + 1][:, None, None, :]  # rank-one changes of layer p + 1's z: W_:,1+j Δy_j
        for j, dy in changed.items():
            z = z + w[:, 1 + j, None, None, None] * dy[None]
        if second.layer == p + 1:
            z = self._second(z, second, d2, _row(self.ys[p + 1], second.column, changed))
        return self._finish(z, p + 1, second, d2)

    def _finish(
        self, z: Array, layer: int, second: Parameter | None = None, d2: Array | None = None
    ) -> Array:
        """From layer `layer`'s z (n, g, B, r) on to y^L, the second parameter on the way."""
        for i in range(layer + 1, len(self.ws)):
            y = _forward(self.fs[i - 1], z)  # eq. (2)
            z = _affine(self.ws[i], y.reshape(len(y), -1)).reshape(-1, *y.shape[1:])  # eq. (1)
            if second is not None and d2 is not None and i == second.layer:
                z = self._second(z, second, d2, _row(y, second.column))
        return _forward(self.fs[-1], z)

    @staticmethod
    def _second(z: Array, second: Parameter, d2: Array, below: Array | float) -> Array:
        """z (n, g, 1 or N, r) → (n, g, N, r) with z_j moved by Δb · y_i (eq. 1)."""
        n, g, _, r = z.shape
        full = np.broadcast_to(z, (n, g, len(d2), r)).copy()
        full[second.row] += d2[None, :, None] * below
        return full


def _row(y: Array, column: int, changed: dict[int, Array] | None = None) -> Array | float:
    """Input i of a layer: 1 for the bias (column 0), else y_(i−1), moved where it changed."""
    if column == 0:
        return 1.0
    base: Array = y[column - 1]
    if changed and column - 1 in changed:
        moved: Array = base + changed[column - 1]
        return moved
    return base


def _affine(w: Array, y: Array) -> Array:
    """Eq. (1): z = b + W y for w (n, 1 + m) and y (m, r), the bias in column 0; (n, r)."""
    z = w[:, 1:] @ y
    z += w[:, :1]
    return z


def _forward(f: Activation, z: Array) -> Array:
    """Eq. (2): y = f(z), a new array of z's shape (f acts along axis 0)."""
    y = np.empty_like(z)
    f.forward(z, y)
    return y


def _chunks(sizes: Sequence[int], layer: int, grid: int, rows: int) -> tuple[int, int]:
    """Rows and grid rows of a chunk: about CHUNK_VALUES of the widest layer from p on."""
    width = max(sizes[layer:])
    row_chunk = max(1, min(rows, CHUNK_VALUES // (grid * width)))
    return row_chunk, max(1, min(grid, CHUNK_VALUES // (grid * row_chunk * width)))


# Each loss of losses.py per row, over y and t (n_L, …, r): its value on a batch is the sum
# (half_sse, eq. 5) or the mean of these over the batch's rows.
def _half_sse_rows(y: Array, t: Array) -> Array:
    rows: Array = 0.5 * np.square(y - t).sum(axis=0)
    return rows


def _mse_rows(y: Array, t: Array) -> Array:
    rows: Array = np.square(y - t).mean(axis=0)
    return rows


def _binary_rows(y: Array, t: Array) -> Array:
    log_y, log_1y = np.maximum(np.log(y), LOG_FLOOR), np.maximum(np.log1p(-y), LOG_FLOOR)
    rows: Array = -(t * log_y + (1.0 - t) * log_1y).mean(axis=0)
    return rows


def _categorical_rows(y: Array, t: Array) -> Array:
    rows: Array = -(t * np.maximum(np.log(y), LOG_FLOOR)).sum(axis=0)
    return rows


_PER_ROW: dict[Callable[[Array, Array], float], Callable[[Array, Array], Array]] = {
    half_sse: _half_sse_rows,
    mse: _mse_rows,
    binary_cross_entropy: _binary_rows,
    cross_entropy: _categorical_rows,
}
