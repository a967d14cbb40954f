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

from .schemas.wire import DatasetSummary, Frame, LossHistory

MAX_CLIENT_BYTES = 4096  # a longer client message is refused (the connection stays up)
MAX_FPS = Limits().max_fps
DEFAULT_FPS = 30.0


# ---------------------------------------------------------------- server → viewer


FrameMessage = Frame  # the stream's `frame` is GET /trace's body: one model for both


class SnapshotMessage(BaseModel):
    """The first message: everything a page needs to draw the job as it is now; `trace` is
    the last iteration (null only before the first)."""

    type: Literal["snapshot"]
    job: dict[str, Any]  # as GET /api/jobs/{id}
    weights: list[list[list[float | None]]]
    dataset: DatasetSummary
    history: LossHistory
    trace: Frame | None


class HistoryMessage(LossHistory):
    """What changed in the history since this viewer's previous chunk: buckets from `start`
    and test points from `test_start` replace the viewer's; `reset` when the job was reset."""

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
