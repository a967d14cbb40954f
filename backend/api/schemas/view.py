"""What the API shows of a job: its state, weights, loss history and last iteration."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from .base import ResponseModel
from .choices import Status
from .wire import DatasetSummary, LossHistory, Metrics

Engine = Literal["compiled", "numpy"]


class JobView(ResponseModel):
    """A job's state; `spec` is the stored spec, defaults filled, changed by PATCH."""

    id: str
    status: Status
    epoch: int = Field(description="completed epochs")
    iteration: int = Field(description="weight updates so far")
    loss: float | None = Field(description="the last iteration's batch loss (null before one)")
    test_loss: float | None = Field(
        description="mean per-row loss on the held-out rows (metrics.test_loss), if any"
    )
    metrics: Metrics = Field(
        description="the whole sets' losses and accuracies at the weights after "
        "`metrics.iteration`: measured at each metric point, pause, step, edit and the run's end"
    )
    spec: dict[str, Any]
    engine: Engine = Field(
        description="the code the run trains with, fixed when the job is made: the compiled "
        "step (numba) or the NumPy reference; replay and restore use the same"
    )
    created_at: str
    updated_at: str
    message: str = Field(
        description="why the run ended or was paused (finished, converged, diverged, failed, "
        "a restart, a refused write)"
    )
    saved: bool = Field(
        description="false while the database refuses this job's writes: it is not being saved"
    )


class Weights(ResponseModel):
    """W^1..W^L in the article's form: (n_i, 1 + n_{i−1}) each, the bias in column 0."""

    layers: list[list[list[float | None]]]


class JobCreated(JobView):
    """A new job (POST /api/jobs, fork): its view and the key that controls it."""

    key: str = Field(
        description="send it as X-Job-Key to control the job; it is shown only this once"
    )


class Export(ResponseModel):
    """A job as a file: POST its `weights` back as `network.weights` to start from them."""

    format: Literal["backprop-playground/1"]
    job: JobView
    spec: dict[str, Any]
    weights: list[list[list[float | None]]]
    initial_weights: list[list[list[float | None]]]
    history: LossHistory


class Preview(ResponseModel):
    """What a spec gives before any job is stored: the initial weights and the data."""

    spec: dict[str, Any] = Field(description="the spec with every default filled")
    weights: list[list[list[float | None]]] = Field(description="the initial W^1..W^L")
    dataset: DatasetSummary
