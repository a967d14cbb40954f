"""A job's spec as the job layer holds it: typed, frozen, replaced (never changed) by PATCH.

The API validates a request (api/schemas/spec.py) and hands over `JobSpec.from_dict()` of it;
the store keeps `to_json()`. Inline rows and given weights stay the nested lists they came
as (converting 16 MiB of rows to tuples would cost seconds): nothing changes them.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

Rows = Sequence[Sequence[float]]


@dataclass(frozen=True)
class NetworkSpec:
    """Layer sizes (input first), the activations, and optional initial W^1..W^L."""

    layers: tuple[int, ...]
    activation: str = "sigmoid"
    output_activation: str = "sigmoid"
    weights: Sequence[Rows] | None = None


@dataclass(frozen=True)
class TrainingSpec:
    """The run's settings in the article's vocabulary (α = learning_rate, τ = tolerance)."""

    loss: str = "half_sse"
    mode: str = "minibatch"
    batch_size: int = 2
    learning_rate: float = 0.5
    epochs: int = 1000
    tolerance: float = 0.0
    shuffle: bool = False
    seed: int = 0
    regularization: str = "none"  # the penalty on the weights: "none", "l1" or "l2"
    regularization_rate: float = 0.0  # λ of the objective ℓ + λR; a stored job without: none


@dataclass(frozen=True)
class DatasetSpec:
    """A built-in data set by name, inline rows (inputs (rows, n_0), targets (rows, n_L)), or
    CSV text with the roles of its columns (engine/encoding.py)."""

    name: str | None = "article"
    samples: int = 200
    noise: float = 0.0
    test_fraction: float = 0.0
    features: tuple[str, ...] | None = None
    inputs: Rows | None = None
    targets: Rows | None = None
    test_inputs: Rows | None = None
    test_targets: Rows | None = None
    csv: str | None = None
    input_columns: tuple[str, ...] | None = None  # None: every number column but the targets
    target_columns: tuple[str, ...] | None = None  # None: the last column
    standardize: bool = True

    @property
    def kind(self) -> str:
        """The form of the data: named, inline or csv."""
        if self.name is not None:
            return "named"
        return "csv" if self.csv is not None else "inline"

    def as_dict(self) -> dict[str, Any]:
        """The wire form: the named fields, the inline ones or the CSV ones."""
        if self.kind == "named":
            features = None if self.features is None else list(self.features)
            return {
                "name": self.name,
                "samples": self.samples,
                "noise": self.noise,
                "test_fraction": self.test_fraction,
                "features": features,
            }
        if self.kind == "csv":
            return {
                "csv": self.csv,
                "input_columns": _listed(self.input_columns),
                "target_columns": _listed(self.target_columns),
                "standardize": self.standardize,
                "test_fraction": self.test_fraction,
            }
        return {
            "inputs": self.inputs,
            "targets": self.targets,
            "test_inputs": self.test_inputs,
            "test_targets": self.test_targets,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DatasetSpec:
        """From the wire form: lists become tuples; inline or CSV data has no name."""
        fields = dict(data)
        for key in ("features", "input_columns", "target_columns"):
            if fields.get(key) is not None:
                fields[key] = tuple(fields[key])
        if "inputs" in fields or "csv" in fields:
            fields.setdefault("name", None)
        return cls(**fields)


def _listed(names: tuple[str, ...] | None) -> list[str] | None:
    """A tuple of names as a list (None stays None)."""
    return None if names is None else list(names)


@dataclass(frozen=True)
class JobSpec:
    """What a job trains: network, training, dataset; its pace and how it starts."""

    network: NetworkSpec
    training: TrainingSpec = TrainingSpec()
    dataset: DatasetSpec = DatasetSpec()
    start: str = "running"
    speed: float | None = None  # iterations a second; None: as fast as the workers go

    @classmethod
    def from_dict(cls, spec: Mapping[str, Any]) -> JobSpec:
        """From the API's validated dict or the store's JSON (defaults for missing fields)."""
        net = dict(spec["network"])
        net["layers"] = tuple(net["layers"])
        return cls(
            network=NetworkSpec(**net),
            training=TrainingSpec(**spec.get("training", {})),
            dataset=DatasetSpec.from_dict(spec.get("dataset") or {}),
            start=spec.get("start", "running"),
            speed=spec.get("speed"),
        )

    @functools.cached_property
    def as_dict(self) -> dict[str, Any]:
        """The wire form, made once (a spec never changes): do not change it."""
        return {
            "network": {
                "layers": list(self.network.layers),
                "activation": self.network.activation,
                "output_activation": self.network.output_activation,
                "weights": self.network.weights,  # not copied: a spec's lists never change
            },
            "training": dataclasses.asdict(self.training),
            "dataset": self.dataset.as_dict(),
            "start": self.start,
            "speed": self.speed,
        }

    @functools.cached_property
    def json(self) -> str:
        """`as_dict` as JSON text, made once (orjson: ~10× json.dumps: less time with the GIL)."""
        return orjson.dumps(self.as_dict).decode()

    def with_speed(self, speed: float | None) -> JobSpec:
        """This spec at another pace."""
        return dataclasses.replace(self, speed=speed)

    def with_learning_rate(self, rate: float) -> JobSpec:
        """This spec with another α."""
        return dataclasses.replace(
            self, training=dataclasses.replace(self.training, learning_rate=rate)
        )

    def forked(self, weights: Sequence[Rows]) -> JobSpec:
        """A paused copy that starts from `weights`."""
        network = dataclasses.replace(self.network, weights=weights)
        return dataclasses.replace(self, network=network, start="paused")
