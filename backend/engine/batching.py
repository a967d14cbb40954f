"""How an epoch's rows are partitioned into batches (Figure 2): batch, stochastic, mini-batch."""

from __future__ import annotations

import math

MODES: dict[str, str] = {
    "batch": "Batch gradient descent: all rows in one batch, one iteration per epoch",
    "sgd": "Stochastic gradient descent: one row per batch, one iteration per row",
    "minibatch": "Mini-batch gradient descent: consecutive groups of batch_size rows",
}


def effective_batch_size(mode: str, n_rows: int, batch_size: int) -> int:
    """Rows per batch for `mode` (the last mini-batch of an epoch may hold fewer)."""
    if mode not in MODES:
        raise ValueError(f"mode: unknown mode {mode!r}; expected one of {list(MODES)}")
    if n_rows < 1:
        raise ValueError("inputs: no rows")
    if mode == "batch":
        return n_rows
    if mode == "sgd":
        return 1
    if batch_size < 1:
        raise ValueError(f"batch_size: must be at least 1, got {batch_size}")
    return min(batch_size, n_rows)


def partition(mode: str, n_rows: int, batch_size: int) -> list[tuple[int, int]]:
    """The [start, stop) slices of one epoch: [0:b], [b:2b], …, the last one possibly short."""
    b = effective_batch_size(mode, n_rows, batch_size)
    return [(start, min(start + b, n_rows)) for start in range(0, n_rows, b)]


def iterations_per_epoch(mode: str, n_rows: int, batch_size: int) -> int:
    """Weight updates per epoch: 1 for batch, n_rows for sgd, ⌈n_rows / b⌉ for minibatch."""
    return math.ceil(n_rows / effective_batch_size(mode, n_rows, batch_size))
