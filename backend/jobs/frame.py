"""The messages a job sends its viewers, built from engine records and encoded once for all."""

from __future__ import annotations

from typing import Any

import numpy as np
import orjson

from backend.engine.record import StepRecord

from .sampling import Array, Cut, sizes_of

DETAILS = ("full", "summary")
_OPTIONS = orjson.OPT_SERIALIZE_NUMPY


def encode(message: dict[str, Any]) -> str:
    """JSON text, made once for every viewer; arrays as nested lists, NaN and ±inf as null."""
    return dumps(message).decode()


def dumps(value: object) -> bytes:
    """`value` as UTF-8 JSON bytes, as `encode` makes it."""
    return orjson.dumps(value, option=_OPTIONS, default=_fallback)


def _fallback(value: object) -> object:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):  # orjson takes C-contiguous arrays only
        return np.ascontiguousarray(value)
    raise TypeError(f"cannot encode {type(value).__name__}")


def frame(
    job_id: str,
    record: StepRecord,
    test_loss: float | None,
    detail: str,
    *,
    keep: bool = False,
    complete: bool = False,
) -> dict[str, Any]:
    """A `frame` message: counters and weights; `full` adds the passes' arrays, (n_i, batch).

    A wide network or a long batch is cut (sampling.py) unless `complete`, and then the frame
    says what it carries; `keep` copies the arrays, so that no later step changes them.
    """
    sizes = sizes_of(record.weights)
    cut = None if complete else Cut.of(sizes, len(record.rows) if detail == "full" else None)
    own = np.array if keep else np.asarray

    def matrix(w: Array, layer: int) -> Array:
        return own(w if cut is None else cut.matrix(w, layer))

    def units(a: Array, layer: int) -> Array:
        return own(a if cut is None else cut.units(a, layer))

    message: dict[str, Any] = {
        "type": "frame",
        "job": job_id,
        "epoch": record.epoch,
        "batch": record.batch,
        "iteration": record.iteration,
        "status": record.status,
        "loss": record.loss,
        "test_loss": test_loss,
        "learning_rate": record.learning_rate,
        "max_delta": record.max_delta,
        "rows": own(record.rows),
        "weights": [matrix(w, i) for i, w in enumerate(record.weights, start=1)],
    }
    if detail == "full":
        message["inputs"] = units(record.inputs, 0)
        message["targets"] = units(record.targets, len(sizes) - 1)
        passes = zip(record.z, record.y, record.dy, record.dz, record.grads, strict=True)
        message["layers"] = [
            {"z": units(z, i), "y": units(y, i), "dy": units(dy, i), "dz": units(dz, i)}
            | {"grad": matrix(g, i)}
            for i, (z, y, dy, dz, g) in enumerate(passes, start=1)
        ]
    if cut is not None:
        message |= cut.wire()
    return message
