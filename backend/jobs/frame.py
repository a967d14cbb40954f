"""The messages a job sends its viewers, built from engine records and encoded once for all."""

from __future__ import annotations

from typing import Any

import numpy as np
import orjson

from backend.engine.record import StepRecord

DETAILS = ("full", "summary")
_OPTIONS = orjson.OPT_SERIALIZE_NUMPY


def encode(message: dict[str, Any]) -> str:
    """JSON text, made once for every viewer; arrays as nested lists, NaN and ±inf as null."""
    return orjson.dumps(message, option=_OPTIONS, default=_fallback).decode()


def _fallback(value: object) -> object:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):  # orjson takes C-contiguous arrays only
        return np.ascontiguousarray(value)
    raise TypeError(f"cannot encode {type(value).__name__}")


def frame(job_id: str, record: StepRecord, test_loss: float | None, detail: str) -> dict[str, Any]:
    """A `frame` message: counters and weights; `full` adds the passes' arrays, (n_i, batch)."""
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
        "rows": record.rows,
        "weights": record.weights,
    }
    if detail == "full":
        message["inputs"] = record.inputs
        message["targets"] = record.targets
        message["layers"] = [
            {"z": z, "y": y, "dy": dy, "dz": dz, "grad": g}
            for z, y, dy, dz, g in zip(
                record.z, record.y, record.dy, record.dz, record.grads, strict=True
            )
        ]
    return message
