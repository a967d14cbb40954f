"""Bodies that steer a job: a step of iterations or epochs, and a change of speed or α."""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict, Field, field_validator, model_validator
from pydantic.config import JsonDict

from .base import LIMITS, RequestModel


def no_null(schema: JsonDict) -> None:
    """Show an optional field as its number alone: null is accepted but not documented."""
    branches: Any = schema.pop("anyOf", [])
    for branch in branches:
        if branch.get("type") != "null":
            schema.update(branch)


class StepRequest(RequestModel):
    """Run exactly this many iterations or epochs on a paused job: one of the two."""

    # The schema says "exactly one of the two"; null is refused (the schema does not allow it).
    model_config = ConfigDict(
        json_schema_extra={
            "oneOf": [{"required": ["iterations"]}, {"required": ["epochs"]}],
            "examples": [{"iterations": 10}, {"epochs": 1}],
        }
    )

    iterations: int | None = Field(
        default=None, ge=1, le=LIMITS.max_step_iterations, json_schema_extra=no_null
    )
    epochs: int | None = Field(
        default=None, ge=1, le=LIMITS.max_step_epochs, json_schema_extra=no_null
    )

    @field_validator("iterations", "epochs")
    @classmethod
    def _given_not_null(cls, value: int | None) -> int | None:
        """A unit left out is absent: one given as null is refused, as the schema says."""
        if value is None:
            raise ValueError("must be an integer ≥ 1, or left out; null is not accepted")
        return value

    @model_validator(mode="after")
    def _one_unit(self) -> StepRequest:
        """Exactly one of iterations and epochs."""
        if (self.iterations is None) == (self.epochs is None):
            raise ValueError('give exactly one of "iterations" and "epochs"')
        return self


class JobChanges(RequestModel):
    """PATCH: the pace (null: as fast as possible) and α, applied without a reset."""

    model_config = ConfigDict(
        json_schema_extra={
            "minProperties": 1,
            "examples": [{"speed": 20.0}, {"speed": None, "learning_rate": 0.1}],
        }
    )

    speed: float | None = Field(default=None, gt=0, le=LIMITS.max_speed)
    learning_rate: float | None = Field(
        default=None, gt=0, le=LIMITS.max_learning_rate, json_schema_extra=no_null
    )

    @field_validator("learning_rate")
    @classmethod
    def _not_null(cls, value: float | None) -> float | None:
        """α may be changed, not removed."""
        if value is None:
            raise ValueError("must be a number > 0, not null")
        return value

    @model_validator(mode="after")
    def _something(self) -> JobChanges:
        """At least one field."""
        if not self.model_fields_set:
            raise ValueError('give "speed", "learning_rate" or both')
        return self
