"""The stream's messages: what the server sends a viewer, and what a viewer may send back.

Outgoing messages are built as plain data and encoded once (frames by the job's thread, once
for every viewer); these models document their shape and let tests check it. Incoming ones
are validated with ``parse_client``. Arrays follow the article's layout: one column per
sample, so ``z[j][k]`` is neuron j's weighted sum for sample k; NaN and ±inf are null.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from backend.jobs.limits import Limits

MAX_CLIENT_BYTES = 4096  # a longer client message is refused (the connection stays up)
MAX_FPS = Limits().max_fps
DEFAULT_FPS = 30.0

Number = float | None  # null stands for NaN or ±inf
Matrix = list[list[Number]]


# ---------------------------------------------------------------- server → viewer


class LayerTrace(BaseModel):
    """Layer i's part of one iteration: (n_i, batch) arrays, and ∂ℓ/∂W^i (n_i, 1 + n_{i−1})."""

    z: Matrix
    y: Matrix
    dy: Matrix
    dz: Matrix
    grad: Matrix


class FrameMessage(BaseModel):
    """One iteration; `inputs`, `targets` and `layers` only in `full` detail."""

    type: Literal["frame"]
    job: str
    epoch: int
    batch: int
    iteration: int
    status: str
    loss: Number
    test_loss: Number
    learning_rate: float
    max_delta: Number
    rows: list[int]
    weights: list[Matrix]
    inputs: Matrix | None = None
    targets: Matrix | None = None
    layers: list[LayerTrace] | None = None


class DatasetSummary(BaseModel):
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


class LossHistory(BaseModel):
    """Training losses of iterations start + 1 onwards, and [iteration, test loss] pairs."""

    start: int
    loss: list[Number]
    test: list[tuple[int, Number]]


class SnapshotMessage(BaseModel):
    """The first message: everything a page needs to draw the job as it is now."""

    type: Literal["snapshot"]
    job: dict[str, Any]  # as GET /api/jobs/{id}
    weights: list[Matrix]
    dataset: DatasetSummary
    history: LossHistory
    trace: FrameMessage | None


class HistoryMessage(LossHistory):
    """The losses since this viewer's previous chunk; `reset` when the job was reset."""

    type: Literal["history"]
    reset: bool = False


class StatusMessage(BaseModel):
    """The job changed state (or its settings): its view, as GET /api/jobs/{id}."""

    type: Literal["status"]
    job: dict[str, Any]


class ErrorMessage(BaseModel):
    """A client message was refused, or the stream is about to close."""

    type: Literal["error"] = "error"
    message: str


class PongMessage(BaseModel):
    """The answer to a ping."""

    type: Literal["pong"] = "pong"


# ---------------------------------------------------------------- viewer → server


class ConfigureMessage(BaseModel):
    """Change this viewer's frame rate and/or detail; from the next frame on."""

    model_config = ConfigDict(strict=True, extra="forbid")

    type: Literal["configure"]
    fps: float | None = Field(default=None, ge=1, le=MAX_FPS)
    detail: Literal["full", "summary"] | None = None


class PingMessage(BaseModel):
    """Asks for a pong."""

    model_config = ConfigDict(strict=True, extra="forbid")

    type: Literal["ping"]


ClientMessage = Annotated[ConfigureMessage | PingMessage, Field(discriminator="type")]
_CLIENT = TypeAdapter[ConfigureMessage | PingMessage](ClientMessage)


def parse_client(text: str) -> ConfigureMessage | PingMessage:
    """A viewer's message, or ValueError saying what is wrong with it."""
    if len(text) > MAX_CLIENT_BYTES or len(text.encode()) > MAX_CLIENT_BYTES:
        raise ValueError(f"message too long: at most {MAX_CLIENT_BYTES} bytes are accepted")
    try:
        return _CLIENT.validate_json(text)
    except ValidationError as exc:
        raise ValueError("; ".join(_describe(e) for e in exc.errors())) from None


def _describe(error: Any) -> str:
    where = ".".join(str(p) for p in error["loc"])
    return f"{where}: {error['msg']}" if where else str(error["msg"])
