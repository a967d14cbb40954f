"""How a table's columns become the network's rows: inputs, standardised or not, and targets,
numbers or one-hot classes.

A text column as the target becomes classes: one output per distinct value (sorted), target
row t_k = 1 for the row's class and 0 for the others, trained with softmax and cross-entropy.
Number targets are a regression (linear output, MSE), or a binary classification (sigmoid,
cross-entropy) when every value is 0 or 1. Inputs are standardised with the training rows'
mean and standard deviation, x' = (x − μ) / σ, the test rows with the same μ and σ.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .datasets import MAX_TEST_FRACTION, Dataset
from .table import NUMBER, TEXT, Table
from .tabular import TableError

FloatArray = NDArray[np.float64]

MAX_CLASSES = 100  # distinct values of a text target: one output neuron each


@dataclass(frozen=True)
class Encoding:
    """The roles a table's columns play and what training them needs."""

    inputs: tuple[int, ...]  # 0-based columns fed to the network, in this order
    targets: tuple[int, ...]  # 0-based columns it learns to predict
    classes: tuple[str, ...] | None  # a text target's class names, one output each
    standardize: bool
    mean: FloatArray  # (n_in,) μ of each input over the training rows
    std: FloatArray  # (n_in,) σ of each input over the training rows (1 where σ = 0)
    kind: str  # "classification" | "regression"
    output_activation: str  # what the output layer needs: softmax, sigmoid or linear
    loss: str  # and the loss that goes with it: cross_entropy or mse


def _columns(table: Table, names: Sequence[str], field: str) -> tuple[int, ...]:
    """The indices of the named columns, each named once."""
    indices = tuple(table.index(name, f"{field}[{k}]") for k, name in enumerate(names))
    for k, j in enumerate(indices):
        if indices.index(j) != k:
            raise TableError(f"{field}[{k}]: {names[k]!r} is named twice", field=field)
    return indices


def roles(
    table: Table, inputs: Sequence[str] | None, targets: Sequence[str] | None
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Input and target columns; by default the last column is the target and every other
    number column an input (text columns that are not the target are left out)."""
    if len(table.names) < 2:
        raise TableError("CSV: needs at least 2 columns (inputs, then a target), got 1")
    target = _columns(table, targets, "target_columns") if targets else (len(table.names) - 1,)
    if inputs:
        given = _columns(table, inputs, "input_columns")
    else:
        given = tuple(j for j, kind in enumerate(table.kinds) if kind == NUMBER and j not in target)
    _check_inputs(table, given, target, inputs is not None and len(inputs) > 0)
    _check_targets(table, target)
    return given, target


def _check_inputs(
    table: Table, inputs: tuple[int, ...], targets: tuple[int, ...], given: bool
) -> None:
    """At least one input, none of them a target, each a column of numbers."""
    if not inputs:
        raise TableError(
            "input_columns: no number column is left for the inputs; a network needs at least one",
            field="input_columns",
        )
    for k, j in enumerate(inputs):
        name = f"input_columns[{k}]" if given else "input_columns"
        if j in targets:
            raise TableError(f"{name}: {table.names[j]!r} is the target too", field="input_columns")
        bad = table.first_bad(j)
        if bad is not None:
            raise TableError(
                f"{table.where(bad[0], j)}: {bad[1]!r} is not a number; only number columns "
                "can be inputs (make it the target or leave it out)",
                table.lines[bad[0]],
                j + 1,
            )


def _check_targets(table: Table, targets: tuple[int, ...]) -> None:
    """Number targets, or one text target with 2..MAX_CLASSES classes."""
    text = [j for j in targets if table.kinds[j] == TEXT]
    if not text:
        return
    j = text[0]
    if len(targets) > 1:
        raise TableError(
            f"target_columns: {table.names[j]!r} holds text (classes), so it "
            "must be the only target",
            field="target_columns",
        )
    counts = table.counts(j)
    if len(counts) > MAX_CLASSES:
        raise TableError(
            f"target_columns: {table.names[j]!r} has {len(counts)} distinct "
            f"values, more than MAX_CLASSES = {MAX_CLASSES}",
            field="target_columns",
        )
    if len(counts) < 2:
        only = ", ".join(repr(c) for c in counts)
        raise TableError(
            f"target_columns: {table.names[j]!r} has one class ({only}): "
            "classification needs at least 2",
            field="target_columns",
        )


def _target_rows(
    table: Table, targets: tuple[int, ...]
) -> tuple[FloatArray, tuple[str, ...] | None]:
    """Targets (rows, n_out): the number columns, or a text column one-hot (rows, classes)."""
    if table.kinds[targets[0]] == TEXT:
        classes, codes = table.labels(targets[0])
        return np.eye(len(classes), dtype=np.float64)[codes], classes
    return np.column_stack([table.numbers(j) for j in targets]), None


def _output(classes: tuple[str, ...] | None, targets: FloatArray) -> tuple[str, str, str]:
    """(kind, output activation, loss) that fit the targets."""
    if classes is not None:
        return "classification", "softmax", "cross_entropy"
    if np.isin(targets, (0.0, 1.0)).all():
        return "classification", "sigmoid", "cross_entropy"
    return "regression", "linear", "mse"


def _test_rows(rows: int, test_fraction: float) -> int:
    """Rows held out, as for the built-in sets: round(rows · fraction), ≥ 1 training row."""
    if not 0.0 <= test_fraction <= MAX_TEST_FRACTION:
        raise TableError(
            f"test_fraction must be in [0, {MAX_TEST_FRACTION}], got {test_fraction!r}",
            field="test_fraction",
        )
    return min(int(rows * test_fraction + 0.5), rows - 1)


def _scale(x: FloatArray) -> tuple[FloatArray, FloatArray]:
    """μ and σ (n_in,) of the training inputs x (rows, n_in); σ = 1 where a column is constant."""
    mean, std = x.mean(axis=0), x.std(axis=0)
    std = np.where(std > 0, std, 1.0)
    return mean, std


def encode(
    table: Table,
    inputs: Sequence[str] | None = None,
    targets: Sequence[str] | None = None,
    *,
    standardize: bool = True,
    test_fraction: float = 0.0,
    seed: int = 0,
) -> tuple[Dataset, Encoding]:
    """The data set the roles give: inputs (rows, n_in), targets (rows, n_out), split by seed."""
    columns_in, columns_out = roles(table, inputs, targets)
    x = np.column_stack([table.numbers(j) for j in columns_in])
    y, classes = _target_rows(table, columns_out)
    n_test = _test_rows(table.rows, test_fraction)
    if n_test:  # shuffle so the held-out tail is a random sample; else keep the file's order
        order = np.random.default_rng(seed).permutation(table.rows)
        x, y = x[order], y[order]
    cut = table.rows - n_test
    mean, std = _scale(x[:cut])
    if standardize:
        x = (x - mean) / std
    kind, activation, loss = _output(classes, y)
    names_in = tuple(table.names[j] for j in columns_in)
    names_out = classes if classes is not None else tuple(table.names[j] for j in columns_out)
    data = Dataset(x[:cut], y[:cut], x[cut:], y[cut:], kind, names_in, names_out)
    encoding = Encoding(
        columns_in, columns_out, classes, standardize, mean, std, kind, activation, loss
    )
    return data, encoding
