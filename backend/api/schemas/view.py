"""What the API shows of a job: its state, weights, loss history and last iteration."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from .base import ResponseModel
from .choices import Status


class JobView(ResponseModel):
    """A job's state; `spec` is the stored spec, defaults filled, changed by PATCH."""

    id: str
    status: Status
    epoch: int = Field(description="completed epochs")
    iteration: int = Field(description="weight updates so far")
    loss: float | None = Field(description="the last iteration's batch loss (null before one)")
    test_loss: float | None = Field(description="loss on the held-out rows, if there are any")
    spec: dict[str, Any]
    created_at: str
    updated_at: str
    message: str = Field(description="why the run ended (finished, converged, diverged, failed)")


class Weights(ResponseModel):
    """W^1..W^L in the article's form: (n_i, 1 + n_{i−1}) each, the bias in column 0."""

    layers: list[list[list[float | None]]]


class History(ResponseModel):
    """Every `every`-th iteration's training loss, and every test loss taken."""

    every: int
    iterations: int = Field(description="iterations recorded in all")
    iteration: list[int] = Field(description="the 1-based iteration of each loss below")
    loss: list[float | None]
    test: list[list[float | None]] = Field(description="[iteration, test loss] pairs")


class LayerTrace(ResponseModel):
    """One layer's arrays, (n_i, batch) each, and ∂ℓ/∂W^i, (n_i, 1 + n_{i−1})."""

    z: list[list[float | None]]
    y: list[list[float | None]]
    dy: list[list[float | None]] = Field(description="∂ℓ/∂y")
    dz: list[list[float | None]] = Field(description="∂ℓ/∂z")
    grad: list[list[float | None]] = Field(description="∂ℓ/∂W")


class Trace(ResponseModel):
    """The last iteration in full: a `frame` message at detail `full`."""

    type: Literal["frame"]
    job: str
    epoch: int
    batch: int
    iteration: int
    status: str
    loss: float | None
    test_loss: float | None
    learning_rate: float
    max_delta: float | None
    rows: list[int]
    weights: list[list[list[float | None]]]
    inputs: list[list[float]]
    targets: list[list[float]]
    layers: list[LayerTrace]


class Export(ResponseModel):
    """A job as a file: POST its `weights` back as `network.weights` to start from them."""

    format: Literal["backprop-playground/1"]
    job: JobView
    spec: dict[str, Any]
    weights: list[list[list[float | None]]]
    initial_weights: list[list[list[float | None]]]
    history: History
