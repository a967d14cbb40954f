"""The job spec: network, training and dataset, each field bounded by the job layer's limits."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, JsonValue, ValidatorFunctionWrapHandler, field_validator

from backend.engine.datasets import FEATURES
from backend.engine.table import MAX_CSV_CHARS
from backend.engine.tabular import MAX_FIELD
from backend.jobs import spec

from .base import LIMITS, MAX_SEED, MAX_TOLERANCE, RequestModel
from .choices import (
    DatasetName,
    FeatureName,
    HiddenActivation,
    LossName,
    ModeName,
    OutputActivation,
    RegularizationName,
)
from .matrix import Rows, WeightMatrix

ARTICLE_LAYERS = [3, 5, 2]  # Figure 1's network, sized for the "article" data set

# Specs that fit their data sets, shown in the OpenAPI schema (and sent by the API's fuzz test).
EXAMPLES: list[JsonValue] = [
    {"network": {"layers": [3, 5, 2]}, "start": "paused"},
    {"network": {"layers": [3, 5, 2]}, "speed": 50.0},
    {
        "network": {"layers": [2, 8, 1], "activation": "tanh"},
        "training": {"loss": "cross_entropy", "learning_rate": 0.1, "epochs": 200, "shuffle": True},
        "dataset": {"name": "xor", "samples": 100, "noise": 0.1, "test_fraction": 0.2},
        "start": "paused",
    },
    {
        "network": {"layers": [1, 4, 1], "output_activation": "linear"},
        "training": {"loss": "mse", "mode": "batch"},
        "dataset": {"inputs": [[0.0], [0.5], [1.0]], "targets": [[0.1], [0.4], [0.9]]},
        "start": "paused",
    },
]


class NetworkSpec(RequestModel):
    """Layer sizes (input first), activations, and optionally W^1..W^L to start from."""

    layers: Annotated[
        list[Annotated[int, Field(ge=1, le=LIMITS.max_neurons)]],
        Field(min_length=2, max_length=LIMITS.max_layers),
    ]
    activation: HiddenActivation = "sigmoid"
    output_activation: OutputActivation = "sigmoid"
    weights: Annotated[list[WeightMatrix], Field(max_length=LIMITS.max_layers - 1)] | None = None


class TrainingSpec(RequestModel):
    """The loss, the batching (Figure 2), α, the epoch count, τ, shuffling, the seed, and the
    penalty on the weights (not the biases) with its rate λ: the objective ℓ + λR."""

    loss: LossName = "half_sse"
    mode: ModeName = "minibatch"
    batch_size: int = Field(default=2, ge=1, le=LIMITS.max_batch_size)
    learning_rate: float = Field(default=0.5, gt=0, le=LIMITS.max_learning_rate)
    epochs: int = Field(default=1000, ge=1, le=LIMITS.max_epochs)
    tolerance: float = Field(default=0.0, ge=0, le=MAX_TOLERANCE)
    shuffle: bool = False
    seed: int = Field(default=0, ge=0, le=MAX_SEED)
    regularization: RegularizationName = Field(
        default="none", description="R: none, l1 (Σ |w|) or l2 (½ Σ w²), over weights, not biases"
    )
    regularization_rate: float = Field(
        default=0.0,
        ge=0,
        le=LIMITS.max_regularization_rate,
        description="λ: W := W − α (∂ℓ/∂W + λ ∂R/∂W); the losses reported exclude λR",
    )


class NamedDataset(RequestModel):
    """A registry data set, generated from the training seed."""

    name: DatasetName = "article"
    samples: int = Field(default=200, ge=1, le=LIMITS.max_samples)
    noise: float = Field(default=0.0, ge=0, le=1)
    test_fraction: float = Field(default=0.0, ge=0, le=0.9)
    features: Annotated[list[FeatureName], Field(max_length=len(FEATURES))] | None = None


class InlineDataset(RequestModel):
    """Rows given in the request: inputs (rows, n_0), targets (rows, n_L), optional test rows."""

    inputs: Rows
    targets: Rows
    test_inputs: Rows | None = None
    test_targets: Rows | None = None


ColumnName = Annotated[str, Field(min_length=1, max_length=MAX_FIELD)]
ColumnNames = Annotated[list[ColumnName], Field(min_length=1, max_length=LIMITS.max_inline_columns)]


class CsvDataset(RequestModel):
    """CSV text and its columns' roles; the job reads and encodes it (POST /api/csv
    shows what it gives): a text target becomes one-hot classes, inputs standardised."""

    csv: str = Field(
        max_length=MAX_CSV_CHARS,  # empty text is the engine's refusal: "CSV: no rows"
        description="the file's text: comma, semicolon or tab separated, a header line optional",
    )
    input_columns: ColumnNames | None = Field(
        default=None,
        description="the columns fed to the network; null: every number column "
        "that is not a target",
    )
    target_columns: ColumnNames | None = Field(
        default=None, description="the columns to predict; null: the last column"
    )
    standardize: bool = Field(
        default=True, description="inputs as (x − μ) / σ, μ and σ of the training rows"
    )
    test_fraction: float = Field(default=0.0, ge=0, le=0.9)


class JobSpec(RequestModel):
    """Everything a job is built from; only network.layers is required."""

    model_config = ConfigDict(json_schema_extra={"examples": EXAMPLES})

    def to_job(self) -> spec.JobSpec:
        """The job layer's frozen spec, defaults filled."""
        return spec.JobSpec.from_dict(self.model_dump())

    network: NetworkSpec
    training: TrainingSpec = Field(default_factory=TrainingSpec)
    dataset: NamedDataset | InlineDataset | CsvDataset = Field(default_factory=NamedDataset)
    start: Literal["running", "paused"] = "running"
    speed: float | None = Field(default=None, gt=0, le=LIMITS.max_speed)

    @field_validator("dataset", mode="wrap")
    @classmethod
    def _dataset_form(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        """CSV if the object has csv, inline if inputs or targets, else named; errors name its
        fields."""
        if isinstance(value, NamedDataset | InlineDataset | CsvDataset):
            return handler(value)
        if not isinstance(value, dict):
            raise ValueError(
                'expected an object: {"name": ...}, {"inputs": ..., "targets": ...} or {"csv": ...}'
            )
        if "csv" in value:
            return CsvDataset.model_validate(value)
        if "inputs" in value or "targets" in value:
            return InlineDataset.model_validate(value)
        return NamedDataset.model_validate(value)


def default_spec() -> dict[str, Any]:
    """The spec every default gives, on Figure 1's 3-5-2 network."""
    return JobSpec(network=NetworkSpec(layers=ARTICLE_LAYERS)).model_dump()
