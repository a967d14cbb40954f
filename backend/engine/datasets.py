"""Data sets for the playground: the article's own examples, TF Playground's 2-D sets, user data.

The registry ``DATASETS`` lists what ``make_dataset`` can build; ``from_arrays`` and ``from_csv``
validate data a person brings. Every array is float64 and every random draw comes from
``np.random.default_rng(seed)``, so the same arguments give bit-identical arrays.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .playground_sets import GENERATORS
from .tabular import MAX_COLUMNS, MAX_ROWS, parse_csv, validate_arrays

__all__ = [
    "DATASETS",
    "FEATURES",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "MAX_SAMPLES",
    "MAX_TEST_FRACTION",
    "Dataset",
    "DatasetInfo",
    "from_arrays",
    "from_csv",
    "make_dataset",
    "with_features",
]

FloatArray = NDArray[np.float64]

MAX_SAMPLES = 5000
MAX_TEST_FRACTION = 0.9


@dataclass(frozen=True)
class Dataset:
    """Training and held-out test rows: inputs (rows, n_in), targets (rows, n_out), float64."""

    inputs: FloatArray
    targets: FloatArray
    test_inputs: FloatArray  # (test_rows, n_in), may have 0 rows
    test_targets: FloatArray  # (test_rows, n_out)
    kind: str  # "classification" | "regression"
    feature_names: tuple[str, ...]  # one per input column, e.g. ("x1", "x2", "x1²")
    target_names: tuple[str, ...]  # one per target column


@dataclass(frozen=True)
class DatasetInfo:
    """What the page needs to know about a registry set before building it."""

    name: str
    kind: str  # "classification" | "regression"
    description: str  # one sentence for the UI
    n_inputs: int  # raw inputs before derived features
    outputs: tuple[int, ...]  # output widths this set can serve; the first is the default
    two_d: bool  # a TF Playground 2-D set: scatter/heatmap-able, derived features allowed
    fixed_rows: int | None  # row count of a fixed set (samples ignored), None otherwise


def _playground(name: str, kind: str, description: str) -> DatasetInfo:
    """Registry entry of a TF Playground 2-D set."""
    outputs = (1, 2) if kind == "classification" else (1,)
    return DatasetInfo(name, kind, description, 2, outputs, True, None)


DATASETS: dict[str, DatasetInfo] = {
    info.name: info
    for info in (
        DatasetInfo(
            name="article",
            kind="regression",
            description="Six rows of three inputs and two targets in [0, 1], sized for the "
            "article's 3-5-2 network (Figure 1).",
            n_inputs=3,
            outputs=(2,),
            two_d=False,
            fixed_rows=6,
        ),
        DatasetInfo(
            name="figure2",
            kind="regression",
            description="Figure 2's six-row X → Y table, for comparing batch, stochastic and "
            "mini-batch gradient descent.",
            n_inputs=1,
            outputs=(1,),
            two_d=False,
            fixed_rows=6,
        ),
        _playground("circle", "classification", "A disc of one class inside a ring of the other."),
        _playground(
            "xor", "classification", "Four quadrants, labelled by whether x1 and x2 agree in sign."
        ),
        _playground("gauss", "classification", "Two Gaussian blobs, one per class."),
        _playground("spiral", "classification", "Two interleaved spiral arms, one per class."),
        _playground("plane", "regression", "A tilted plane: the target rises with x1 + x2."),
        _playground("multi_gauss", "regression", "Six bumps of alternating sign on a 3 × 2 grid."),
    )
}

FEATURES: dict[str, str] = {
    "x1_squared": "x1²",
    "x2_squared": "x2²",
    "x1_x2": "x1·x2",
    "sin_x1": "sin x1",
    "sin_x2": "sin x2",
}

# Each derived feature as a function of the raw columns x1, x2 (each (rows,))
_FEATURE_MAPS: dict[str, Callable[[FloatArray, FloatArray], FloatArray]] = {
    "x1_squared": lambda x1, x2: x1 * x1,
    "x2_squared": lambda x1, x2: x2 * x2,
    "x1_x2": lambda x1, x2: x1 * x2,
    "sin_x1": lambda x1, x2: np.sin(x1),
    "sin_x2": lambda x1, x2: np.sin(x2),
}


def _check_feature_names(features: Sequence[str]) -> tuple[str, ...]:
    """Known, distinct derived feature names, in the order given."""
    if isinstance(features, str):
        raise ValueError("features: expected a list of names, got a single string")
    for name in features:
        if name not in FEATURES:
            raise ValueError(f"features: unknown feature {name!r}; valid: {', '.join(FEATURES)}")
    if len(set(features)) != len(features):
        raise ValueError(f"features: each name may appear once, got {list(features)}")
    return tuple(features)


def with_features(points: FloatArray, features: Sequence[str]) -> FloatArray:
    """Append derived columns: (rows, 2) → (rows, 2 + len(features)); x1, x2 stay first."""
    names = _check_feature_names(features)
    raw = np.asarray(points, dtype=np.float64)
    if raw.ndim != 2 or raw.shape[1] != 2:
        raise ValueError(f"points: expected shape (rows, 2), got {raw.shape}")
    x1, x2 = raw[:, 0], raw[:, 1]
    return np.column_stack([raw, *(_FEATURE_MAPS[name](x1, x2) for name in names)])


def _is_int(value: object) -> bool:
    """True for an integer (Python or NumPy) that is not a bool."""
    return isinstance(value, Integral) and not isinstance(value, bool)


def _is_real(value: object) -> bool:
    """True for a real number (Python or NumPy) that is not a bool."""
    return isinstance(value, Real) and not isinstance(value, bool)


def _check_seed(seed: int) -> None:
    """A seed is an integer ≥ 0 (what default_rng accepts)."""
    if not _is_int(seed) or seed < 0:
        raise ValueError(f"seed must be an integer ≥ 0, got {seed!r}")


def _check_fraction(test_fraction: float) -> None:
    """test_fraction lies in [0, MAX_TEST_FRACTION]."""
    if not _is_real(test_fraction) or not 0.0 <= test_fraction <= MAX_TEST_FRACTION:
        limit = MAX_TEST_FRACTION
        raise ValueError(f"test_fraction must be in [0, {limit}], got {test_fraction!r}")


def _check_generation(samples: int, noise: float, test_fraction: float, seed: int) -> None:
    """Validate make_dataset's numeric arguments against their limits."""
    if not _is_int(samples) or not 1 <= samples <= MAX_SAMPLES:
        raise ValueError(f"samples must be an integer from 1 to {MAX_SAMPLES}, got {samples!r}")
    if not _is_real(noise) or not 0.0 <= noise <= 1.0:
        raise ValueError(f"noise must be a fraction in [0, 1], got {noise!r}")
    _check_fraction(test_fraction)
    _check_seed(seed)


def _lookup(name: str, n_outputs: int | None) -> tuple[DatasetInfo, int]:
    """Registry entry of `name` and the output width to build."""
    if name not in DATASETS:
        raise ValueError(f"dataset: unknown name {name!r}; valid: {', '.join(DATASETS)}")
    info = DATASETS[name]
    width = info.outputs[0] if n_outputs is None else n_outputs
    if width not in info.outputs:
        choices = " or ".join(map(str, info.outputs))
        raise ValueError(f"n_outputs must be {choices} for {name!r}, got {n_outputs!r}")
    return info, width


def _test_rows(rows: int, test_fraction: float) -> int:
    """Rows held out: round(rows · fraction), half rounded up, leaving ≥ 1 training row."""
    return min(int(rows * test_fraction + 0.5), rows - 1)


def _assemble(
    inputs: FloatArray,
    targets: FloatArray,
    n_test: int,
    kind: str,
    feature_names: tuple[str, ...],
    target_names: tuple[str, ...],
) -> Dataset:
    """Split (rows, ·) arrays: the last n_test rows become the test set."""
    cut = inputs.shape[0] - n_test
    return Dataset(
        inputs[:cut], targets[:cut], inputs[cut:], targets[cut:], kind, feature_names, target_names
    )


def _article(rng: np.random.Generator) -> tuple[FloatArray, FloatArray]:
    """Six rows: inputs (6, 3) uniform in [0, 1] to 2 decimals, targets (6, 2) in [0, 1]."""
    x = np.round(rng.uniform(0.0, 1.0, size=(6, 3)), 2)
    # t1 = (x1 + x2 + x3) / 3, a plane through the unit cube, so 0 ≤ t1 ≤ 1
    # t2 = (x1·x2 + x3²) / 2, a gently curved surface; both terms lie in [0, 1], so t2 does too
    t1 = x.mean(axis=1)
    t2 = (x[:, 0] * x[:, 1] + x[:, 2] ** 2) / 2.0
    return x, np.column_stack((t1, t2))


def _figure2() -> tuple[FloatArray, FloatArray]:
    """Six rows: X (6, 1) = 1..6 and Y (6, 1) = σ(X − 3.5) to 2 decimals."""
    # Figure 2 shows the table's shape (two columns, six rows), not its values. Y climbs an
    # S-curve that one sigmoid neuron can fit: 0.08, 0.18, 0.38, 0.62, 0.82, 0.92
    x = np.arange(1.0, 7.0)
    y = np.round(1.0 / (1.0 + np.exp(-(x - 3.5))), 2)
    return x[:, None], y[:, None]


def _fixed(info: DatasetInfo, seed: int, test_fraction: float) -> Dataset:
    """The article's or Figure 2's six rows, in their own order."""
    if test_fraction != 0:
        raise ValueError(f"test_fraction must be 0 for {info.name!r}: it has 6 fixed rows")
    if info.name == "article":
        x, y = _article(np.random.default_rng(seed))
        return _assemble(x, y, 0, info.kind, ("x1", "x2", "x3"), ("y1", "y2"))
    x, y = _figure2()
    return _assemble(x, y, 0, info.kind, ("X",), ("Y",))


def _targets(kind: str, labels: FloatArray, width: int) -> tuple[FloatArray, tuple[str, ...]]:
    """TF labels (rows,) as targets (rows, width): 0/1 or one-hot classes, or the real value."""
    if kind == "regression":
        return labels[:, None], ("value",)
    positive = (labels > 0).astype(np.float64)  # TF's +1 → class 1, -1 → class 0
    if width == 1:
        return positive[:, None], ("class",)
    return np.column_stack((1.0 - positive, positive)), ("class 0", "class 1")


def make_dataset(
    name: str,
    *,
    samples: int = 200,
    noise: float = 0.0,
    test_fraction: float = 0.0,
    seed: int = 0,
    features: Sequence[str] | None = None,
    n_outputs: int | None = None,
) -> Dataset:
    """Build a registry set: inputs (rows, n_inputs + len(features)), targets (rows, n_outputs)."""
    info, width = _lookup(name, n_outputs)
    _check_generation(samples, noise, test_fraction, seed)
    names = _check_feature_names(features or ())
    if names and not info.two_d:
        raise ValueError(f"features: derived features apply only to the 2-D sets, not {name!r}")
    if info.fixed_rows is not None:
        return _fixed(info, seed, test_fraction)
    rng = np.random.default_rng(seed)
    points, labels = GENERATORS[name](rng, samples, noise)
    order = rng.permutation(samples)  # mixes the classes, then the tail is the test set
    targets, target_names = _targets(info.kind, labels[order], width)
    feature_names = ("x1", "x2", *(FEATURES[n] for n in names))
    inputs = with_features(points[order], names)
    n_test = _test_rows(samples, test_fraction)
    return _assemble(inputs, targets, n_test, info.kind, feature_names, target_names)


def _kind_of(*targets: FloatArray) -> str:
    """Classification when every target (rows, n_out) is 0 or 1, else regression."""
    binary = all(np.isin(t, (0.0, 1.0)).all() for t in targets)
    return "classification" if binary else "regression"


def _names(prefix: str, count: int) -> tuple[str, ...]:
    """Default column names: (prefix,) for one column, else prefix1, prefix2, ..."""
    return (prefix,) if count == 1 else tuple(f"{prefix}{j + 1}" for j in range(count))


def from_arrays(
    inputs: ArrayLike,
    targets: ArrayLike,
    test_inputs: ArrayLike | None = None,
    test_targets: ArrayLike | None = None,
) -> Dataset:
    """Validate inline data: inputs (rows, n_in), targets (rows, n_out), optional test pair."""
    x, y, tx, ty = validate_arrays(inputs, targets, test_inputs, test_targets)
    return Dataset(x, y, tx, ty, _kind_of(y, ty), _names("x", x.shape[1]), _names("y", y.shape[1]))


def from_csv(
    text: str, n_targets: int = 1, *, test_fraction: float = 0.0, seed: int = 0
) -> Dataset:
    """Parse CSV rows (rows, n_in + n_targets); the last n_targets columns are the targets."""
    table, header = parse_csv(text)
    width = table.shape[1]
    if width < 2:
        raise ValueError("CSV: needs at least 2 columns (inputs, then targets), got 1")
    if not _is_int(n_targets) or not 1 <= n_targets <= width - 1:
        limit = f"from 1 to {width - 1} (the CSV has {width} columns)"
        raise ValueError(f"n_targets must be {limit}, got {n_targets!r}")
    _check_fraction(test_fraction)
    _check_seed(seed)
    n_test = _test_rows(table.shape[0], test_fraction)
    if n_test:  # shuffle so the held-out tail is a random sample; otherwise keep the file's order
        table = table[np.random.default_rng(seed).permutation(table.shape[0])]
    n_in = width - n_targets
    names = _names("x", n_in) + _names("y", n_targets)
    if header is not None:  # a blank header cell keeps its default name
        names = tuple(given or default for given, default in zip(header, names, strict=True))
    x, y = table[:, :n_in], table[:, n_in:]
    return _assemble(x, y, n_test, _kind_of(y), names[:n_in], names[n_in:])
