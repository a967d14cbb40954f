"""Data sets: registry shapes, seeded determinism, TF Playground geometry, splits, validation."""

import dataclasses
import math

import numpy as np
import pytest

from backend.engine.datasets import (
    DATASETS,
    FEATURES,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_SAMPLES,
    Dataset,
    from_arrays,
    from_csv,
    make_dataset,
    with_features,
)
from backend.engine.tabular import MAX_FIELD

TWO_D = [name for name, info in DATASETS.items() if info.two_d]
CLASSIFICATION = [n for n in TWO_D if DATASETS[n].kind == "classification"]
REGRESSION = [n for n in TWO_D if DATASETS[n].kind == "regression"]
RANDOM_SETS = [name for name in DATASETS if name != "figure2"]


def same(a: Dataset, b: Dataset) -> bool:
    """True when every array of a and b is bit-identical."""
    fields = ("inputs", "targets", "test_inputs", "test_targets")
    return all(getattr(a, f).tobytes() == getattr(b, f).tobytes() for f in fields)


def radius(points: np.ndarray) -> np.ndarray:
    """Distance of each point (rows, 2) from the origin, (rows,)."""
    r: np.ndarray = np.hypot(points[:, 0], points[:, 1])
    return r


# ---------------------------------------------------------------- registry


def test_registry_lists_every_set_in_display_order() -> None:
    assert list(DATASETS) == [
        "article",
        "figure2",
        "circle",
        "xor",
        "gauss",
        "spiral",
        "plane",
        "multi_gauss",
    ]
    assert TWO_D == ["circle", "xor", "gauss", "spiral", "plane", "multi_gauss"]
    assert all(info.description.strip() for info in DATASETS.values())


def test_feature_labels() -> None:
    assert FEATURES == {
        "x1_squared": "x1²",
        "x2_squared": "x2²",
        "x1_x2": "x1·x2",
        "sin_x1": "sin x1",
        "sin_x2": "sin x2",
    }


@pytest.mark.parametrize("name", list(DATASETS))
def test_every_set_generates_with_the_right_shapes_and_kind(name: str) -> None:
    info = DATASETS[name]
    data = make_dataset(name, samples=50)
    rows = info.fixed_rows or 50
    assert data.inputs.shape == (rows, info.n_inputs)
    assert data.targets.shape == (rows, info.outputs[0])
    assert data.test_inputs.shape == (0, info.n_inputs)
    assert data.test_targets.shape == (0, info.outputs[0])
    assert data.kind == info.kind
    assert len(data.feature_names) == info.n_inputs
    assert len(data.target_names) == info.outputs[0]
    for array in (data.inputs, data.targets, data.test_inputs, data.test_targets):
        assert array.dtype == np.float64
        assert np.isfinite(array).all()


def test_registry_output_widths() -> None:
    assert DATASETS["article"].outputs == (2,)
    assert DATASETS["figure2"].outputs == (1,)
    assert all(DATASETS[n].outputs == (1, 2) for n in CLASSIFICATION)
    assert all(DATASETS[n].outputs == (1,) for n in REGRESSION)
    assert DATASETS["article"].fixed_rows == DATASETS["figure2"].fixed_rows == 6


def test_dataset_is_frozen() -> None:
    data = make_dataset("xor", samples=10)
    with pytest.raises(dataclasses.FrozenInstanceError):
        data.kind = "regression"  # type: ignore[misc]


# ---------------------------------------------------------------- determinism


@pytest.mark.parametrize("name", list(DATASETS))
def test_same_arguments_give_bit_identical_arrays(name: str) -> None:
    fraction = 0.0 if DATASETS[name].fixed_rows else 0.2
    a = make_dataset(name, samples=120, noise=0.3, test_fraction=fraction, seed=7)
    b = make_dataset(name, samples=120, noise=0.3, test_fraction=fraction, seed=7)
    assert same(a, b)


@pytest.mark.parametrize("name", RANDOM_SETS)
def test_different_seeds_give_different_arrays(name: str) -> None:
    assert not same(make_dataset(name, seed=1), make_dataset(name, seed=2))


def test_figure2_is_the_same_for_every_seed() -> None:
    assert same(make_dataset("figure2", seed=1), make_dataset("figure2", seed=99))


# ---------------------------------------------------------------- the article's sets


def test_article_rows_follow_the_documented_function() -> None:
    data = make_dataset("article", seed=3)
    x = data.inputs
    assert ((x >= 0) & (x <= 1)).all()
    np.testing.assert_array_equal(x, np.round(x, 2))  # two decimals
    np.testing.assert_allclose(data.targets[:, 0], x.mean(axis=1))
    np.testing.assert_allclose(data.targets[:, 1], (x[:, 0] * x[:, 1] + x[:, 2] ** 2) / 2)
    assert ((data.targets >= 0) & (data.targets <= 1)).all()
    assert data.feature_names == ("x1", "x2", "x3")
    assert len(np.unique(x, axis=0)) == 6


def test_article_ignores_samples_and_noise() -> None:
    other = make_dataset("article", samples=9, noise=0.5, seed=4)
    assert same(make_dataset("article", seed=4), other)


def test_figure2_table() -> None:
    data = make_dataset("figure2", n_outputs=1)
    np.testing.assert_array_equal(data.inputs[:, 0], [1, 2, 3, 4, 5, 6])
    np.testing.assert_array_equal(data.targets[:, 0], [0.08, 0.18, 0.38, 0.62, 0.82, 0.92])
    assert (data.feature_names, data.target_names) == (("X",), ("Y",))


# ---------------------------------------------------------------- TF Playground geometry


@pytest.mark.parametrize("name", CLASSIFICATION)
@pytest.mark.parametrize("noise", [0.0, 0.3])
def test_classes_are_roughly_balanced(name: str, noise: float) -> None:
    data = make_dataset(name, samples=1000, noise=noise, seed=5)
    assert set(np.unique(data.targets)) == {0.0, 1.0}
    assert 0.4 <= data.targets.mean() <= 0.6


@pytest.mark.parametrize("name", ["circle", "gauss", "spiral"])
def test_grouped_sets_split_odd_counts_evenly(name: str) -> None:
    assert make_dataset(name, samples=101).targets.sum() == 51


def test_circle_puts_class_1_inside_and_class_0_in_the_ring() -> None:
    data = make_dataset("circle", samples=2000)
    r, label = radius(data.inputs), data.targets[:, 0]
    assert (r[label == 1] < 2.5).all()
    assert (r[label == 0] >= 3.5).all()
    assert (r <= 5).all()


def test_circle_noise_mislabels_some_points_near_the_edge() -> None:
    data = make_dataset("circle", samples=2000, noise=0.5)
    r, label = radius(data.inputs), data.targets[:, 0]
    assert ((r >= 3.5) & (label == 1)).any()


def test_xor_label_is_sign_agreement() -> None:
    data = make_dataset("xor", samples=2000)
    x1, x2 = data.inputs[:, 0], data.inputs[:, 1]
    np.testing.assert_array_equal(data.targets[:, 0], (x1 * x2 >= 0).astype(float))
    assert (np.abs(data.inputs) >= 0.3).all()  # padded away from the axes


def test_gauss_blobs_sit_at_plus_and_minus_two() -> None:
    data = make_dataset("gauss", samples=4000, seed=1)
    label = data.targets[:, 0]
    np.testing.assert_allclose(data.inputs[label == 1].mean(axis=0), [2, 2], atol=0.1)
    np.testing.assert_allclose(data.inputs[label == 0].mean(axis=0), [-2, -2], atol=0.1)


def test_gauss_spreads_with_noise() -> None:
    calm = make_dataset("gauss", samples=2000, noise=0.0).inputs
    wide = make_dataset("gauss", samples=2000, noise=0.5).inputs
    assert np.abs(wide).std() > 1.5 * np.abs(calm).std()


def test_spiral_arms_are_point_reflections_at_zero_noise() -> None:
    data = make_dataset("spiral", samples=400)
    label = data.targets[:, 0]
    arm1 = data.inputs[label == 1]
    arm0 = data.inputs[label == 0]
    key = np.lexsort  # sort rows so the two point sets can be compared as sets
    reflected = -arm1
    np.testing.assert_allclose(arm0[key(arm0.T)], reflected[key(reflected.T)], atol=1e-12)
    assert (radius(data.inputs) < 5).all()


@pytest.mark.parametrize("name", TWO_D)
@pytest.mark.parametrize("noise", [0.0, 1.0])
def test_points_stay_inside_the_plotted_square(name: str, noise: float) -> None:
    data = make_dataset(name, samples=MAX_SAMPLES, noise=noise, seed=11)
    assert np.abs(data.inputs).max() <= 6.0


@pytest.mark.parametrize("name", CLASSIFICATION)
def test_two_outputs_are_one_hot(name: str) -> None:
    single = make_dataset(name, samples=300, noise=0.2, seed=2, n_outputs=1)
    pair = make_dataset(name, samples=300, noise=0.2, seed=2, n_outputs=2)
    assert pair.targets.shape == (300, 2)
    np.testing.assert_array_equal(pair.targets.sum(axis=1), np.ones(300))
    assert set(np.unique(pair.targets)) == {0.0, 1.0}
    np.testing.assert_array_equal(pair.targets[:, 1], single.targets[:, 0])
    assert pair.target_names == ("class 0", "class 1")


@pytest.mark.parametrize("name", REGRESSION)
@pytest.mark.parametrize("noise", [0.0, 0.5, 1.0])
def test_regression_targets_lie_in_minus_one_to_one(name: str, noise: float) -> None:
    targets = make_dataset(name, samples=2000, noise=noise).targets
    assert targets.min() >= -1.0 and targets.max() <= 1.0
    assert targets.std() > 0.1


def test_plane_target_is_the_scaled_sum_at_zero_noise() -> None:
    data = make_dataset("plane", samples=500)
    expected = np.clip(data.inputs.sum(axis=1) / 10, -1, 1)
    np.testing.assert_allclose(data.targets[:, 0], expected)


def reference_multi_gauss(x: float, y: float) -> float:
    """TF Playground's regressGaussian label, written out point by point."""
    bumps = [(-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1)]
    label = 0.0
    for cx, cy, sign in bumps:
        height = sign * min(1.0, max(0.0, 1 - math.dist((x, y), (cx, cy)) / 2))
        if abs(height) > abs(label):
            label = height
    return label


def test_multi_gauss_matches_a_pointwise_reference() -> None:
    data = make_dataset("multi_gauss", samples=500, seed=8)
    expected = [reference_multi_gauss(x, y) for x, y in data.inputs]
    np.testing.assert_allclose(data.targets[:, 0], expected, atol=1e-12)


# ---------------------------------------------------------------- derived features


def test_with_features_appends_columns_after_the_raw_pair() -> None:
    points = np.array([[1.0, 2.0], [-3.0, 0.5]])
    out = with_features(points, ["x1_x2", "x1_squared", "sin_x2", "x2_squared", "sin_x1"])
    x1, x2 = points[:, 0], points[:, 1]
    expected = np.column_stack([x1, x2, x1 * x2, x1**2, np.sin(x2), x2**2, np.sin(x1)])
    np.testing.assert_allclose(out, expected)
    assert with_features(points, []).shape == (2, 2)


def test_make_dataset_applies_features_to_train_and_test_rows() -> None:
    data = make_dataset("circle", samples=100, test_fraction=0.2, features=["x1_squared", "sin_x2"])
    assert data.feature_names == ("x1", "x2", "x1²", "sin x2")
    for x in (data.inputs, data.test_inputs):
        assert x.shape[1] == 4
        np.testing.assert_allclose(x[:, 2], x[:, 0] ** 2)
        np.testing.assert_allclose(x[:, 3], np.sin(x[:, 1]))
    plain = make_dataset("circle", samples=100, test_fraction=0.2)
    np.testing.assert_array_equal(data.inputs[:, :2], plain.inputs)


# ---------------------------------------------------------------- test split


@pytest.mark.parametrize(
    ("samples", "fraction", "held_out"),
    [(200, 0.25, 50), (5, 0.5, 3), (10, 0.9, 9), (1, 0.9, 0), (7, 0.0, 0)],
)
def test_split_sizes(samples: int, fraction: float, held_out: int) -> None:
    data = make_dataset("xor", samples=samples, test_fraction=fraction)
    assert data.test_inputs.shape == (held_out, 2)
    assert data.test_targets.shape == (held_out, 1)
    assert data.inputs.shape[0] == samples - held_out >= 1


def test_split_holds_out_the_tail_of_the_same_shuffle() -> None:
    whole = make_dataset("spiral", samples=90, noise=0.1, seed=6)
    split = make_dataset("spiral", samples=90, noise=0.1, seed=6, test_fraction=0.3)
    np.testing.assert_array_equal(np.vstack([split.inputs, split.test_inputs]), whole.inputs)
    np.testing.assert_array_equal(np.vstack([split.targets, split.test_targets]), whole.targets)


# ---------------------------------------------------------------- inline data and CSV


def test_from_arrays_accepts_nested_lists_and_arrays() -> None:
    data = from_arrays([[0, 1], [1, 0], [1, 1]], np.array([[1.0], [1.0], [0.0]]))
    assert data.inputs.dtype == data.targets.dtype == np.float64
    assert data.inputs.shape == (3, 2) and data.test_inputs.shape == (0, 2)
    assert data.kind == "classification"
    assert (data.feature_names, data.target_names) == (("x1", "x2"), ("y",))


def test_from_arrays_keeps_a_test_pair_and_infers_regression() -> None:
    data = from_arrays([[0.5], [1.5]], [[0.2, 3], [0.1, 4]], [[2.5]], [[0.7, 1]])
    assert data.kind == "regression"
    np.testing.assert_array_equal(data.test_targets, [[0.7, 1.0]])
    assert data.target_names == ("y1", "y2")


CSV = "size, weight, label\n1, 2, 0\n\n3, 4.5, 1\n-1, 0, 1\n2, 2, 0\n"


def test_from_csv_reads_a_header_and_skips_blank_lines() -> None:
    data = from_csv(CSV)
    np.testing.assert_array_equal(data.inputs, [[1, 2], [3, 4.5], [-1, 0], [2, 2]])
    np.testing.assert_array_equal(data.targets[:, 0], [0, 1, 1, 0])
    assert (data.feature_names, data.target_names) == (("size", "weight"), ("label",))
    assert data.kind == "classification"


def test_from_csv_without_header_and_with_two_targets() -> None:
    data = from_csv("1,2,3.5,4\n5,6,7,8\n", n_targets=2)
    assert data.inputs.shape == (2, 2) and data.targets.shape == (2, 2)
    assert (data.feature_names, data.target_names) == (("x1", "x2"), ("y1", "y2"))
    assert data.kind == "regression"


def test_from_csv_split_is_seeded() -> None:
    text = "\n".join(f"{i},{i % 3}" for i in range(20))
    a = from_csv(text, test_fraction=0.25, seed=3)
    assert a.inputs.shape == (15, 1) and a.test_inputs.shape == (5, 1)
    assert same(a, from_csv(text, test_fraction=0.25, seed=3))
    assert not same(a, from_csv(text, test_fraction=0.25, seed=4))
    rows = np.sort(np.vstack([a.inputs, a.test_inputs])[:, 0])
    np.testing.assert_array_equal(rows, np.arange(20))


# ---------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"name": "moons"}, r"unknown name 'moons'.*circle"),
        ({"name": "xor", "samples": 0}, r"samples .*1 to 5000"),
        ({"name": "xor", "samples": MAX_SAMPLES + 1}, r"samples .*1 to 5000"),
        ({"name": "xor", "samples": 2.5}, r"samples"),
        ({"name": "xor", "noise": -0.1}, r"noise .*\[0, 1\]"),
        ({"name": "xor", "noise": 1.5}, r"noise .*\[0, 1\]"),
        ({"name": "xor", "noise": float("nan")}, r"noise"),
        ({"name": "xor", "test_fraction": 0.95}, r"test_fraction .*\[0, 0\.9\]"),
        ({"name": "xor", "test_fraction": -0.1}, r"test_fraction .*\[0, 0\.9\]"),
        ({"name": "article", "test_fraction": 0.5}, r"test_fraction must be 0 for 'article'"),
        ({"name": "figure2", "test_fraction": 0.2}, r"test_fraction must be 0 for 'figure2'"),
        ({"name": "xor", "seed": -1}, r"seed"),
        ({"name": "article", "features": ["x1_squared"]}, r"features.*2-D"),
        ({"name": "xor", "features": ["x3_squared"]}, r"unknown feature 'x3_squared'.*x1_squared"),
        ({"name": "xor", "features": ["sin_x1", "sin_x1"]}, r"features: each name may appear once"),
        ({"name": "xor", "features": "sin_x1"}, r"features: expected a list"),
        ({"name": "article", "n_outputs": 1}, r"n_outputs must be 2 for 'article'"),
        ({"name": "figure2", "n_outputs": 2}, r"n_outputs must be 1 for 'figure2'"),
        ({"name": "plane", "n_outputs": 2}, r"n_outputs must be 1 for 'plane'"),
        ({"name": "circle", "n_outputs": 3}, r"n_outputs must be 1 or 2 for 'circle'"),
    ],
)
def test_make_dataset_refuses(kwargs: dict[str, object], words: str) -> None:
    with pytest.raises(ValueError, match=words):
        make_dataset(**kwargs)  # type: ignore[arg-type]


def test_with_features_refuses_points_of_the_wrong_shape() -> None:
    with pytest.raises(ValueError, match=r"points: expected shape \(rows, 2\)"):
        with_features(np.zeros((4, 3)), ["x1_x2"])


NAN, INF = float("nan"), float("inf")
ROWS4 = [[0, 1], [2, 3], [4, 5], [6, 7]]
TARGETS4 = [[0], [1], [0], [1]]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (([[0, 1], [2, 3], [4, 5], [6, NAN]], TARGETS4), r"inputs row 3, column 1: not a finite"),
        ((ROWS4, [[0], [1], [INF], [1]]), r"targets row 2, column 0: not a finite number"),
        (([[1, 2, 3], [1, 2, 3], [1, 2, 3, 4]], [[0]] * 3), r"inputs row 2 has 4 columns, exp.* 3"),
        (([], []), r"inputs: no rows"),
        ((ROWS4, [[]] * 4), r"targets: no columns"),
        ((ROWS4, TARGETS4[:2]), r"inputs has 4 rows but targets has 2"),
        ((np.zeros((MAX_ROWS + 1, 1)), np.zeros((MAX_ROWS + 1, 1))), r"inputs: .*MAX_ROWS"),
        ((np.zeros((1, MAX_COLUMNS + 1)), [[0]]), r"inputs: 1025 columns, .*MAX_COLUMNS = 1024"),
        (([[0, 1], [2, "abc"]], [[0], [1]]), r"inputs row 1, column 1: 'abc' is not a number"),
        (([[0, [1]], [2, 3]], [[0], [1]]), r"inputs row 0, column 1: \[1\] is not a number"),
        (([1, 2], [[0], [1]]), r"inputs row 0 is not a list of numbers"),
        ((np.zeros(4), TARGETS4), r"inputs: expected a 2-D array"),
        (("1,2", TARGETS4), r"inputs: expected a list of rows"),
        ((ROWS4, TARGETS4, ROWS4), r"test_inputs and test_targets: give both or neither"),
        ((ROWS4, TARGETS4, None, TARGETS4), r"give both or neither"),
        ((ROWS4, TARGETS4, [[1, 2, 3]], [[0]]), r"test_inputs has 3 columns, expected 2"),
        ((ROWS4, TARGETS4, [[1, 2]], [[0], [1]]), r"test_inputs has 1 rows but test_targets has 2"),
        ((ROWS4, TARGETS4, [[1, NAN]], [[0]]), r"test_inputs row 0, column 1: not a finite"),
    ],
)
def test_from_arrays_refuses(args: tuple[object, ...], words: str) -> None:
    with pytest.raises(ValueError, match=words):
        from_arrays(*args)  # type: ignore[arg-type]


def test_from_arrays_limits_total_rows() -> None:
    half = MAX_ROWS // 2 + 1
    x, y = np.zeros((half, 1)), np.zeros((half, 1))
    with pytest.raises(ValueError, match=r"inputs \+ test_inputs: more than MAX_ROWS"):
        from_arrays(x, y, x, y)


def test_from_csv_drops_a_utf8_bom_before_the_first_header_name_or_number() -> None:
    assert from_csv("\ufeffsize,label\n1,0\n2,1\n").feature_names == ("size",)
    np.testing.assert_array_equal(from_csv("\ufeff1,0\n2,1\n").inputs, [[1], [2]])


def test_from_csv_reads_lines_that_end_in_a_lone_carriage_return() -> None:
    data = from_csv("x,y\r1,2\r3,4\r")
    np.testing.assert_array_equal(data.inputs, [[1], [3]])
    assert data.feature_names == ("x",)


def test_from_csv_takes_a_cell_of_exactly_max_field_characters() -> None:
    padded = " " * (MAX_FIELD - 1) + "2"  # blanks count, and are stripped once it is taken
    np.testing.assert_array_equal(from_csv(f"x,y\n1,{padded}\n").targets, [[2]])


LONG = "9" * 200_000  # past csv's own limit of 131,072 characters


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("x,y\n1,2\n3," + "9" * (MAX_FIELD + 1) + "\n", r"CSV line 3, column 2: more than"),
        ("x,y\n1," + LONG + "\n3,4\n", r"CSV line 2, column 2: more than"),
        (LONG + ",y\n1,2\n", r"CSV line 1, column 1: more than"),
        ('x,y\n1,2\n3,"' + "9" * 100 + "\n" + LONG + '"\n', r"CSV line 4, column 2: more than"),
        ('x,y\n1,"' + '""' * 70_000 + '"\n', r"CSV line 2, column 2: more than"),
        ('x,y\n1,"' + '""' * 140_000 + '"\n', r"CSV line 2: a cell of more than"),
    ],
    ids=["just-over", "past-csv-limit", "header", "quoted-lines", "quotes", "quotes-past-csv"],
)
def test_from_csv_refuses_a_cell_over_max_field_naming_line_column_and_limit(
    text: str, words: str
) -> None:
    with pytest.raises(ValueError, match=words + r".*MAX_FIELD = 1000"):
        from_csv(text)


@pytest.mark.parametrize(
    ("text", "kwargs", "words"),
    [
        ("a,b,c\n1,2,3\n4,5,6\n7,8,9\n1,abc,3\n", {}, r"CSV line 5, column 2: 'abc' is not a n"),
        ("1,2,3\n4,5\n", {}, r"CSV line 2 has 2 columns, expected 3"),
        ("x,y\n1,2\n3,4,5\n", {}, r"CSV line 3 has 3 columns, expected 2"),
        ("x,y\nnan,2\n", {}, r"CSV line 2, column 1: 'nan' is not a finite number"),
        ("1,2\n3,1e999\n", {}, r"CSV line 2, column 2: '1e999' is not a finite number"),
        ("1,\n", {}, r"CSV line 1, column 2: '' is not a number"),
        ("", {}, r"CSV: no rows"),
        ("\n  \n", {}, r"CSV: no rows"),
        ("x,y\n", {}, r"CSV: no rows"),
        ("1\n2\n", {}, r"CSV: needs at least 2 columns"),
        ("1,2,3\n", {"n_targets": 3}, r"n_targets must be from 1 to 2"),
        ("1,2,3\n", {"n_targets": 0}, r"n_targets must be from 1 to 2"),
        ("1,2\n3,4\n", {"test_fraction": 0.91}, r"test_fraction .*0\.9"),
        ("1,2\n3,4\n", {"seed": -3}, r"seed"),
        ("1,2\n" * (MAX_ROWS + 1), {}, r"CSV: more than MAX_ROWS = 10000 rows"),
        (",".join(["1"] * (MAX_COLUMNS + 1)), {}, r"CSV: 1025 columns, more than MAX_COLUMNS"),
    ],
)
def test_from_csv_refuses(text: str, kwargs: dict[str, object], words: str) -> None:
    with pytest.raises(ValueError, match=words):
        from_csv(text, **kwargs)  # type: ignore[arg-type]


def test_limits_are_the_documented_values() -> None:
    assert (MAX_SAMPLES, MAX_ROWS, MAX_COLUMNS, MAX_FIELD) == (5000, 10_000, 1024, 1000)
