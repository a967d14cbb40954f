"""The shapes that go over the wire more than one way (stream, REST, export), each defined once.

The job layer builds these messages as plain data and encodes them once (frames by the job's
thread, once for every viewer); these models document them in the OpenAPI schema and
docs/protocol.md, and the tests check what is sent against them. Arrays follow the article's
layout: one column per sample, so ``z[j][k]`` is neuron j's weighted sum for sample k; NaN and
±inf are sent as null.

A network wider than the page draws (sampling.py: 64 neurons a layer, 64 samples a batch) is
cut: a message that leaves anything out says what it carries in `neurons`, `sizes` and, for a
batch, `samples`; one that leaves nothing out has none of them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import ResponseModel

Number = float | None  # null stands for NaN or ±inf
Matrix = list[list[Number]]


NEURONS = Field(
    default=None,
    description="only when the network is cut: for each layer 0..L the indices of the "
    "neurons carried (the first ones); the rows of its arrays, and of each W^i and ∂ℓ/∂W^i "
    "the bias column 0 and the columns 1 + m of the previous layer's neurons carried",
)
SIZES = Field(default=None, description="only when cut: n_0..n_L, the network's layer sizes")


class Metrics(ResponseModel):
    """How the weights after `iteration` do on the whole data set: each row's loss on its own,
    averaged over the rows (for ½ Σ (y − t)², ½ Σ_j (y_j − t_j)² per row), and the share of
    rows classified right (sigmoid or softmax outputs with 0/1 targets: one output thresholded
    at 0.5, several by argmax); null for regression, null for test values without test rows,
    null for a loss that is no longer finite."""

    iteration: int = Field(description="the weights measured are those after this iteration")
    epoch: int = Field(description="completed epochs at that iteration")
    train_loss: Number = Field(description="mean per-row loss over the training rows")
    test_loss: Number = Field(description="mean per-row loss over the test rows")
    train_accuracy: Number = Field(description="share of training rows classified right")
    test_accuracy: Number = Field(description="share of test rows classified right")
    penalty: Number = Field(
        description="λR at these weights (R over the weights, not the biases: ½ Σ w² for l2, "
        "Σ |w| for l1), 0.0 without regularization; train_loss and test_loss exclude it"
    )


class LayerTrace(ResponseModel):
    """Layer i's part of one iteration: (n_i, batch) arrays, and ∂ℓ/∂W^i (n_i, 1 + n_{i−1})."""

    z: Matrix
    y: Matrix
    dy: Matrix = Field(description="∂ℓ/∂y")
    dz: Matrix = Field(description="∂ℓ/∂z")
    grad: Matrix = Field(description="∂ℓ/∂W")


class Frame(ResponseModel):
    """One iteration: the stream's `frame` message and GET /trace; `inputs`, `targets` and
    `layers` only in `full` detail (always in /trace); `metrics` (and `edited`) only in the
    stream's frames."""

    type: Literal["frame"]
    job: str
    epoch: int = Field(description="the 0-based epoch this iteration belongs to")
    batch: int = Field(description="the 0-based batch within the epoch")
    iteration: int = Field(description="1-based: the weight update this frame shows")
    status: str = Field(description="the trainer's status after this iteration")
    loss: Number = Field(description="ℓ of this iteration's batch, before its update")
    test_loss: Number = Field(description="ℓ on the held-out rows after this update")
    learning_rate: float
    max_delta: Number = Field(description="the largest |ΔW| of this update")
    rows: list[int] = Field(description="indices of the training rows in this batch")
    weights: list[Matrix] = Field(description="W^1..W^L after the update")
    inputs: Matrix | None = None
    targets: Matrix | None = None
    layers: list[LayerTrace] | None = None
    neurons: list[list[int]] | None = NEURONS
    sizes: list[int] | None = SIZES
    samples: list[int] | None = Field(
        default=None,
        description="only when cut, in full detail: the batch's columns carried (column k is "
        "sample samples[k], training row rows[samples[k]]; `rows` lists the whole batch)",
    )
    metrics: Metrics | None = Field(
        default=None,
        description="stream frames only: the job's newest metrics (their `iteration` says of "
        "which weights: it may be behind this frame's)",
    )
    edited: bool | None = Field(
        default=None,
        description="stream frames only, true after a weight edit: `weights` are the current "
        "ones, edit included; the rest is the iteration as it ran (GET /trace gives it whole)",
    )


class NetworkWeights(ResponseModel):
    """GET /weights: W^1..W^L in the article's form, (n_i, 1 + n_{i−1}) each, the bias in
    column 0; cut to the first 64 neurons a layer when the network is wider (then with
    `neurons` and `sizes`; `?format=f32` or `f64` gives every weight, compactly)."""

    layers: list[Matrix]
    neurons: list[list[int]] | None = NEURONS
    sizes: list[int] | None = SIZES


class DatasetSummary(ResponseModel):
    """The job's data; the points (one row per sample) only when `points` is true."""

    name: str
    kind: Literal["classification", "regression"]
    feature_names: list[str]
    target_names: list[str]
    rows: int
    test_rows: int
    points: bool
    inputs: Matrix | None = None
    targets: Matrix | None = None
    test_inputs: Matrix | None = None
    test_targets: Matrix | None = None


class LossHistory(ResponseModel):
    """The loss history in at most 1024 buckets of `width` iterations (bucket k holds
    iterations k·width + 1 .. (k + 1)·width; the last may be partial), from bucket `start`
    on, and the metric points (and their test losses) from `test_start` on."""

    iterations: int = Field(description="losses recorded in all")
    width: int = Field(description="iterations per bucket, a power of two")
    start: int = Field(description="index of the first bucket below")
    first: list[Number]
    last: list[Number]
    min: list[Number]
    max: list[Number]
    mean: list[Number]
    test_start: int = Field(description="index of the first metric (and test) point below")
    test: list[tuple[int, Number]] = Field(
        description="[iteration, mean per-row loss on the held-out rows] of each metric point; "
        "empty without test rows"
    )
    metrics: list[tuple[int, Number, Number, Number, Number]] = Field(
        description="[iteration, train loss, test loss, train accuracy, test accuracy] at "
        "metric points (epoch ends, about one per bucket): as `Metrics`, null where none"
    )


class ExactLosses(ResponseModel):
    """The batch loss of every iteration from `from` to `to`, recomputed by replay."""

    first: int = Field(alias="from")
    last: int = Field(alias="to")
    loss: list[Number]
