"""Bounded, rectangular matrices of finite numbers as nested JSON lists, one list per row."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field

from .base import LIMITS, MAX_VALUE

# A number of a matrix: finite (the request models refuse NaN and ±inf) and at most 1e12 in size.
Value = Annotated[float, Field(ge=-MAX_VALUE, le=MAX_VALUE)]


def rectangular(rows: list[list[float]]) -> list[list[float]]:
    """The rows unchanged if they all have the width of row 0, else a ValueError naming one."""
    width = len(rows[0])
    for i, row in enumerate(rows):
        if len(row) != width:
            raise ValueError(f"row {i} has {len(row)} columns, but row 0 has {width}")
    return rows


# Rows of data: inline inputs and targets, predict inputs; (rows, columns).
Rows = Annotated[
    list[Annotated[list[Value], Field(min_length=1, max_length=LIMITS.max_inline_columns)]],
    Field(min_length=1, max_length=LIMITS.max_inline_rows),
    AfterValidator(rectangular),
]

# One layer's W^i in the article's form, (n_i, 1 + n_{i−1}), the bias in column 0.
WeightMatrix = Annotated[
    list[Annotated[list[Value], Field(min_length=2, max_length=LIMITS.max_neurons + 1)]],
    Field(min_length=1, max_length=LIMITS.max_neurons),
    AfterValidator(rectangular),
]
