"""Outputs of a job's current weights for rows a person gives."""

from __future__ import annotations

from pydantic import ConfigDict

from .base import RequestModel, ResponseModel
from .matrix import Rows


class PredictRequest(RequestModel):
    """Inputs (rows, n_0), at most max_inline_rows rows."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"inputs": [[0.64, 0.27, 0.04]]}]})

    inputs: Rows


class Prediction(ResponseModel):
    """Outputs y^L (rows, n_L); null where a diverged network gives no finite number."""

    outputs: list[list[float | None]]
