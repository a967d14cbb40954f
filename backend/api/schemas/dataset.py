"""A registry data set's rows, built for a preview: its query parameters and its body."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from backend.engine.datasets import FEATURES

from .base import LIMITS, MAX_SEED, ResponseModel
from .choices import FeatureName


class DatasetQuery(BaseModel):
    """GET /api/datasets/{name} parameters; `features` repeats, e.g. ?features=x1_x2&features=…"""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    samples: int = Field(default=200, ge=1, le=LIMITS.max_samples)
    noise: float = Field(default=0.0, ge=0, le=1)
    test_fraction: float = Field(default=0.0, ge=0, le=0.9)
    seed: int = Field(default=0, ge=0, le=MAX_SEED)
    features: list[FeatureName] = Field(default_factory=list, max_length=len(FEATURES))
    n_outputs: int | None = Field(default=None, ge=1, le=LIMITS.max_neurons)


class DatasetView(ResponseModel):
    """Training rows and held-out test rows, (rows, columns) each, with column names."""

    name: str
    kind: str
    feature_names: list[str]
    target_names: list[str]
    inputs: list[list[float]]
    targets: list[list[float]]
    test_inputs: list[list[float]]
    test_targets: list[list[float]]
