"""Bodies that steer a job: a step of iterations or epochs, and a change of speed or α."""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from .base import LIMITS, RequestModel


class StepRequest(RequestModel):
    """Run exactly this many iterations or epochs on a paused job: one of the two."""

    iterations: int | None = Field(default=None, ge=1, le=LIMITS.max_step_iterations)
    epochs: int | None = Field(default=None, ge=1, le=LIMITS.max_epochs)

    @model_validator(mode="after")
    def _one_unit(self) -> StepRequest:
        """Exactly one of iterations and epochs."""
        if (self.iterations is None) == (self.epochs is None):
            raise ValueError('give exactly one of "iterations" and "epochs"')
        return self


class JobChanges(RequestModel):
    """PATCH: the pace (null: as fast as possible) and α, applied without a reset."""

    speed: float | None = Field(default=None, gt=0, le=LIMITS.max_speed)
    learning_rate: float | None = Field(default=None, gt=0, le=LIMITS.max_learning_rate)

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
