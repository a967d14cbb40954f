"""Data sets shown before training: a registry set's rows (its query and its body), and what
a CSV file gives (its request and answer)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from backend.engine.datasets import FEATURES

from .base import LIMITS, MAX_SEED, ResponseModel
from .choices import FeatureName
from .spec import CsvDataset


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


class CsvRequest(CsvDataset):
    """POST /api/csv: a CSV data set as a job spec would give it, and the seed that
    splits it (the job's training.seed)."""

    seed: int = Field(default=0, ge=0, le=MAX_SEED)


class CsvColumn(ResponseModel):
    """One column of the file: its kind, its role, and its range (numbers) or classes (text)."""

    name: str
    kind: Literal["number", "text"]
    role: Literal["input", "target", "ignored"]
    empty: int = Field(description="cells with nothing in them")
    min: float | None = None
    max: float | None = None
    mean: float | None = Field(default=None, description="over the filled cells of all rows")
    std: float | None = None
    distinct: int = Field(default=0, description="distinct values of a text column")
    classes: list[str] = Field(default_factory=list, description="a text column's values, sorted")
    counts: list[int] = Field(default_factory=list, description="how often each class occurs")
    first_text: tuple[int, str] | None = Field(
        default=None, description="a text column's first cell that is not a number: [line, text]"
    )


class CsvProblem(ResponseModel):
    """Why the default roles cannot train: the field, and where in the file when it is there."""

    field: str
    message: str
    line: int | None
    column: int | None


class CsvPreview(ResponseModel):
    """What a CSV data set gives: its columns, first rows, the roles and the encoding."""

    rows: int = Field(description="rows of data, the header not counted")
    header: bool
    delimiter: str
    columns: list[CsvColumn]
    first_lines: list[int] = Field(description="the file's line number of each first row")
    first_rows: list[list[str]] = Field(description="the first rows' cells, as written")
    input_columns: list[str]
    target_columns: list[str]
    problem: CsvProblem | None = Field(
        description="when the default roles cannot train (given roles that cannot are a 422)"
    )
    kind: Literal["classification", "regression"] | None = None
    classes: list[str] | None = Field(default=None, description="a text target's classes")
    target_names: list[str] = Field(default_factory=list, description="one per output neuron")
    standardize: bool
    mean: list[float] = Field(default_factory=list, description="μ per input, training rows")
    std: list[float] = Field(default_factory=list, description="σ per input (1 if constant)")
    train_rows: int = 0
    test_rows: int = 0
    output_activation: str | None = Field(default=None, description="what the targets need")
    loss: str | None = None
