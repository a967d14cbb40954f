"""PATCH /api/jobs/{id}/weights: one weight of a paused job, set to a value."""

from __future__ import annotations

from pydantic import ConfigDict, Field

from .base import LIMITS, RequestModel

MAX_WEIGHT = 1e6  # |value| of an edited weight


class WeightEdit(RequestModel):
    """W^(layer + 1)[row, column] := value; column 0 is the bias (the article's form)."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"layer": 0, "row": 2, "column": 0, "value": 0.5}]}
    )

    layer: int = Field(
        ge=0, le=LIMITS.max_layers - 2, description="index in the job's weights: 0 is W^1"
    )
    row: int = Field(ge=0, le=LIMITS.max_neurons - 1, description="neuron j of that layer")
    column: int = Field(
        ge=0, le=LIMITS.max_neurons, description="0 is the bias; i ≥ 1 weighs input neuron i"
    )
    value: float = Field(ge=-MAX_WEIGHT, le=MAX_WEIGHT, description="a finite number")
