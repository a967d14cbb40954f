"""Outputs of a job's current weights for rows a person gives."""

from __future__ import annotations

from .base import RequestModel, ResponseModel
from .matrix import Rows


class PredictRequest(RequestModel):
    """Inputs (rows, n_0), at most max_inline_rows rows."""

    inputs: Rows


class Prediction(ResponseModel):
    """Outputs y^L (rows, n_L); null where a diverged network gives no finite number."""

    outputs: list[list[float | None]]
