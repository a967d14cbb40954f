"""GET /api/jobs/{id}/landscape: the two parameters of the query, checked, and the answer."""

from __future__ import annotations

import re
from collections.abc import Sequence

from pydantic import Field

from backend.jobs.landscape import MAX_WORK, Parameter, work

from ..errors import query_error
from .base import ResponseModel

PARAMETER = re.compile(r"(\d{1,9}),(\d{1,9}),(\d{1,9})")
PARAMETER_TEXT = (
    '"layer,row,column": the index into GET /weights\' layers (0 is W^1), the neuron j of '
    "that layer, and the column i of its weights (0 is the bias), e.g. 0,1,2"
)


class Landscape(ResponseModel):
    """The training set's mean per-row loss over a grid of two parameters, and their path."""

    a: list[float] = Field(description="N values of the first parameter, evenly, its value ± span")
    b: list[float] = Field(description="N values of the second parameter, likewise")
    loss: list[list[float | None]] = Field(
        description="N × N: loss[i][j] with a at a[i], b at b[j], every other weight as it is; "
        "null where the network gives no finite number"
    )
    path: list[list[float]] = Field(
        description="[a, b] at the run's keyframes, then now (≤ 512 points, the last is now)"
    )
    includes_penalty: bool = Field(description="whether the loss includes a regularisation term")


def parameters(a: str, b: str, shapes: Sequence[tuple[int, int]]) -> tuple[Parameter, Parameter]:
    """The query's `a` and `b` as parameters of a network whose W^i are `shapes`; a 422 naming
    the field and the valid range for one that is malformed or outside the network, or for b
    the same as a."""
    first, second = parameter("a", a, shapes), parameter("b", b, shapes)
    if first == second:
        raise query_error("b", f"b: {b} is the same parameter as a; pick two different ones")
    return first, second


def parameter(name: str, text: str, shapes: Sequence[tuple[int, int]]) -> Parameter:
    """One "layer,row,column" of the query, inside the network, else a 422 at `name`."""
    match = PARAMETER.fullmatch(text.strip())
    if match is None:
        raise query_error(name, f"{name}: {text[:40]!r} is not {PARAMETER_TEXT}")
    layer, row, column = (int(g) for g in match.groups())
    _within(name, "layer", layer, len(shapes), f"the job's weights W^1..W^{len(shapes)}")
    n, m = shapes[layer]
    _within(name, "row", row, n, f"layer {layer}'s neurons (W^{layer + 1} has {n} rows)")
    _within(name, "column", column, m, f"W^{layer + 1}'s columns (0 is the bias)")
    return Parameter(layer, row, column)


def check_work(sizes: Sequence[int], layer: int, grid: int, rows: int) -> None:
    """A 422 at `grid` when the landscape would compute more than MAX_WORK values."""
    values = work(sizes, layer, grid, rows)
    if values > MAX_WORK:
        raise query_error(
            "grid",
            f"grid: {grid}² settings × {rows} training rows on this network need about "
            f"{values:.2g} values, over the limit of {MAX_WORK:.0e}; use a smaller grid",
        )


def _within(name: str, part: str, value: int, count: int, what: str) -> None:
    """A 422 at `name` unless 0 ≤ value < count."""
    if not 0 <= value < count:
        raise query_error(name, f"{name}: {part} {value} is outside 0..{count - 1}, {what}")
