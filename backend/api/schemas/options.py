"""What the page may choose from: names, descriptions, limits and the default spec."""

from __future__ import annotations

from typing import Any

from .base import ResponseModel


class Activations(ResponseModel):
    """Activation names for hidden layers and for the output layer."""

    hidden: list[str]
    output: list[str]


class LossOption(ResponseModel):
    """A loss, and the output activations it needs (null: any)."""

    name: str
    description: str
    outputs: list[str] | None


class ModeOption(ResponseModel):
    """A way to batch an epoch's rows (Figure 2)."""

    name: str
    description: str


class RegularizationOption(ResponseModel):
    """A penalty R on the weights (not the biases): the objective is ℓ + λR."""

    name: str
    description: str


class DatasetOption(ResponseModel):
    """A registry data set, as the page needs to know it before building it."""

    name: str
    kind: str
    description: str
    n_inputs: int
    outputs: list[int]
    two_d: bool
    fixed_rows: int | None


class FeatureOption(ResponseModel):
    """A derived input column of the 2-D sets."""

    name: str
    label: str


class Options(ResponseModel):
    """Body of GET /api/options."""

    activations: Activations
    losses: list[LossOption]
    modes: list[ModeOption]
    regularizations: list[RegularizationOption]
    datasets: list[DatasetOption]
    features: list[FeatureOption]
    limits: dict[str, int | float]
    defaults: dict[str, Any]
