"""Engine objects from a job spec: the network, the data and the training settings."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import TypeVar

from backend.engine.batching import effective_batch_size, iterations_per_epoch
from backend.engine.datasets import DATASETS, Dataset, from_arrays, make_dataset
from backend.engine.encoding import encode
from backend.engine.losses import get_loss
from backend.engine.network import Network
from backend.engine.table import read_table
from backend.engine.tabular import TableError
from backend.engine.trainer import TrainingConfig

from .errors import SpecError
from .limits import Limits
from .spec import DatasetSpec, JobSpec

T = TypeVar("T")

TRAINING_FIELDS = (
    "loss",
    "mode",
    "batch_size",
    "learning_rate",
    "epochs",
    "tolerance",
    "shuffle",
    "seed",
    "regularization",
    "regularization_rate",
)


def build(spec: JobSpec, limits: Limits) -> tuple[Network, Dataset, TrainingConfig]:
    """The network, data and training settings a spec describes; SpecError names a bad field."""
    net, training = spec.network, spec.training
    _check_softmax(net.output_activation, list(net.layers))
    dataset = _dataset(spec.dataset, list(net.layers), training.seed)
    layers = list(net.layers)
    if layers[0] != dataset.inputs.shape[1]:
        raise SpecError(
            ("network", "layers", 0),
            f"network.layers[0]: {layers[0]} inputs, but the "
            f"dataset has {dataset.inputs.shape[1]} input columns",
        )
    if layers[-1] != dataset.targets.shape[1]:
        raise SpecError(
            ("network", "layers", len(layers) - 1),
            f"network.layers[-1]: {layers[-1]} "
            f"outputs, but the dataset has {dataset.targets.shape[1]} target columns",
        )
    params = sum((1 + m) * n for m, n in itertools.pairwise(layers))
    if params > limits.max_parameters:
        raise SpecError(
            ("network", "layers"),
            f"network.layers: {params} weights exceed the limit of {limits.max_parameters}",
        )
    network = _guard(
        ("network",),
        lambda: Network(layers, net.activation, net.output_activation, net.weights, training.seed),
    )
    _guard(("training",), lambda: get_loss(training.loss, net.output_activation))
    config = TrainingConfig(**{k: getattr(training, k) for k in TRAINING_FIELDS})
    _check_length(config, len(dataset.inputs), limits)
    _check_buffers(layers, config, len(dataset.inputs), limits)
    return network, dataset, config


def _check_buffers(layers: list[int], config: TrainingConfig, rows: int, limits: Limits) -> None:
    """z, y, ∂ℓ/∂y and ∂ℓ/∂z of every layer are held for a whole batch: bound their size."""
    batch = effective_batch_size(config.mode, rows, config.batch_size)
    values = sum(layers) * batch
    if values > limits.max_batch_values:
        raise SpecError(
            ("training", "batch_size"),
            f"training.batch_size: {batch} rows × {sum(layers)} neurons = {values} values per "
            f"batch exceed the limit of {limits.max_batch_values}; use smaller batches",
        )


def _dataset(data: DatasetSpec, layers: list[int], seed: int) -> Dataset:
    if data.name is not None:
        name = data.name
        _check_outputs(name, layers)
        features = None if data.features is None else list(data.features)
        return _guard(
            ("dataset",),
            lambda: make_dataset(
                name,
                samples=data.samples,
                noise=data.noise,
                test_fraction=data.test_fraction,
                seed=seed,
                features=features,
                n_outputs=layers[-1],
            ),
        )
    if data.csv is not None:
        return _csv_dataset(data.csv, data, seed)
    inputs, targets = data.inputs, data.targets
    assert inputs is not None and targets is not None  # the API's schema: named, inline or CSV
    return _guard(
        ("dataset",),
        lambda: from_arrays(inputs, targets, data.test_inputs, data.test_targets),
    )


def _csv_dataset(text: str, data: DatasetSpec, seed: int) -> Dataset:
    """CSV text read and encoded by its columns' roles, split by the training seed."""
    try:
        dataset, _ = encode(
            read_table(text),
            data.input_columns,
            data.target_columns,
            standardize=data.standardize,
            test_fraction=data.test_fraction,
            seed=seed,
        )
    except TableError as exc:  # names the line and column, or the role field, at fault
        why, field = str(exc), exc.field
        message = f"dataset.{why}" if why.startswith(field) else f"dataset.{field}: {why}"
        raise SpecError(("dataset", field), message) from None
    return dataset


def _check_outputs(name: str, layers: list[int]) -> None:
    """The output layer has a width the named data set can serve."""
    info = DATASETS.get(name)
    if info is not None and layers[-1] not in info.outputs:
        widths = " or ".join(map(str, info.outputs))
        raise SpecError(
            ("network", "layers", len(layers) - 1),
            f"network.layers[-1]: {layers[-1]} outputs, but the {name!r} dataset has "
            f"{widths} target columns",
        )


def _check_softmax(activation: str, layers: list[int]) -> None:
    """Softmax needs two outputs at least: over one it is always 1, so nothing is learnt."""
    if activation == "softmax" and layers[-1] < 2:
        raise SpecError(
            ("network", "output_activation"),
            f"network.output_activation: softmax over {layers[-1]} output is always 1, whatever "
            "the weights, so there is nothing to learn; use sigmoid for one output, or softmax "
            "with one output per class",
        )


def _check_length(config: TrainingConfig, rows: int, limits: Limits) -> None:
    per_epoch = _guard(
        ("training",), lambda: iterations_per_epoch(config.mode, rows, config.batch_size)
    )
    if config.epochs * per_epoch > limits.max_iterations:
        raise SpecError(
            ("training", "epochs"),
            f"training.epochs: {config.epochs} epochs × "
            f"{per_epoch} iterations exceed the limit of {limits.max_iterations} "
            "iterations per job",
        )


def _guard(loc: tuple[str, ...], make: Callable[[], T]) -> T:
    """make(), with the engine's ValueError turned into a SpecError under `loc`."""
    try:
        return make()
    except ValueError as exc:
        # Engine messages start with the field they blame, e.g. "layers[1]: 0 neurons ...".
        text = str(exc)
        field = text.split(":", 1)[0] if ":" in text else ""
        path: list[str | int] = list(loc)
        if field and " " not in field:
            path += [int(p) if p.isdigit() else p for p in re.split(r"[.\[\]]+", field) if p]
        raise SpecError(tuple(path), f"{'.'.join(loc)}.{text}") from None
