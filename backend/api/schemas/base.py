"""The two model bases: strict, bounded request bodies and plain response bodies."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from backend.jobs.limits import Limits

# The bounds every request field is declared with: the job layer's defaults.
LIMITS = Limits()
MAX_SEED = 2**32 - 1
MAX_TOLERANCE = 1e3
MAX_VALUE = 1e12  # |x| of a number in rows of data or in weights


class RequestModel(BaseModel):
    """A request body: unknown fields, wrong types, NaN and ±inf are refused with a 422."""

    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)


class ResponseModel(BaseModel):
    """A response body; floats may be NaN or ±inf (a diverged run), sent as null."""

    model_config = ConfigDict(extra="forbid")
