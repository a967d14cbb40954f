"""CSV tables (engine/table.py), their columns' roles and encoding (encoding.py) and profile
(profile.py): every refusal names the line, the column and the limit; the encoding is checked
against plain Python arithmetic done here."""

from __future__ import annotations

import math
import statistics

import numpy as np
import pytest

from backend.engine.encoding import MAX_CLASSES, encode, roles
from backend.engine.profile import profile
from backend.engine.table import MAX_CSV_CHARS, read_table
from backend.engine.tabular import MAX_COLUMNS, MAX_FIELD, MAX_ROWS, TableError

IRIS = (
    "sepal,petal,species\n5.1,1.4,setosa\n7.0,4.7,versicolor\n\n6.3,6.0,virginica\n4.9,1.5,setosa\n"
)


def refusal(text: str) -> TableError:
    with pytest.raises(TableError) as caught:
        read_table(text)
    return caught.value


# ---------------------------------------------------------------- reading


def test_a_header_text_columns_and_line_numbers() -> None:
    table = read_table(IRIS)
    assert table.names == ("sepal", "petal", "species")
    assert table.header and table.delimiter == ","
    assert table.kinds == ("number", "number", "text")
    assert table.lines == (2, 3, 5, 6)  # the blank line 4 is skipped, not renumbered
    assert table.cells[2] == ("6.3", "6.0", "virginica")


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [("a;b;c\n1,5;2;x\n", ";"), ("a\tb\tc\n1\t2\tx\n", "\t"), ("a,b,c\n1,2,x\n", ",")],
)
def test_the_delimiter_is_the_one_the_first_line_uses(text: str, delimiter: str) -> None:
    table = read_table(text)
    assert table.delimiter == delimiter
    assert table.names == ("a", "b", "c")


def test_without_a_header_columns_are_numbered() -> None:
    table = read_table("1,2,cat\n3,4,dog\n")
    assert not table.header
    assert table.names == ("column 1", "column 2", "column 3")
    assert table.rows == 2


def test_a_name_over_numbers_is_a_header_even_beside_a_numeric_name() -> None:
    table = read_table("x,2020,label\n1,2,a\n3,4,b\n")
    assert table.header and table.names == ("x", "2020", "label")


def test_a_bom_and_a_blank_header_cell() -> None:
    table = read_table("\ufeffsize,,label\n1,2,a\n")
    assert table.names == ("size", "column 2", "label")


@pytest.mark.parametrize(
    ("text", "message", "line", "column"),
    [
        ("", r"CSV: no rows", None, None),
        ("\ufeff\n\n  \n", r"CSV: no rows", None, None),
        ("a,b,c\n", r"a header line but no rows", None, None),
        ("a,b,c\n1,2,3\n4,5\n", r"CSV line 3 has 2 columns, expected 3 \(as line 1\)", 3, None),
        ("a,b\n1,2\n3,4,5\n", r"CSV line 3 has 3 columns, expected 2", 3, None),
        ("a,b,a\n1,2,3\n", r"CSV line 1, column 3: the name 'a' is also column 1's", 1, 3),
        (
            f"a,b\n1,{'9' * (MAX_FIELD + 1)}\n",
            rf"CSV line 2, column 2: more than MAX_FIELD = {MAX_FIELD}",
            2,
            2,
        ),
    ],
    ids=["empty", "blank", "header-only", "ragged-short", "ragged-long", "same-name", "long-cell"],
)
def test_refusals_name_the_line_column_and_limit(
    text: str, message: str, line: int | None, column: int | None
) -> None:
    exc = refusal(text)
    assert exc.field == "csv"
    assert (exc.line, exc.column) == (line, column)
    with pytest.raises(TableError, match=message):
        read_table(text)


def test_too_many_rows_names_the_first_line_past_the_limit() -> None:
    text = "x,y\n" + "1,2\n" * (MAX_ROWS + 5)
    exc = refusal(text)
    assert exc.line == MAX_ROWS + 2  # the header is line 1, row MAX_ROWS + 1 is this line
    assert f"MAX_ROWS = {MAX_ROWS}" in str(exc)
    assert read_table("x,y\n" + "1,2\n" * MAX_ROWS).rows == MAX_ROWS


def test_too_many_columns_and_characters() -> None:
    wide = ",".join(f"c{j}" for j in range(MAX_COLUMNS + 1)) + "\n"
    assert f"MAX_COLUMNS = {MAX_COLUMNS}" in str(refusal(wide + wide.replace("c", "")))
    huge = "x\n" + "1\n" * (MAX_CSV_CHARS // 2 + 1)
    assert f"MAX_CSV_CHARS = {MAX_CSV_CHARS}" in str(refusal(huge))


# ---------------------------------------------------------------- roles


def test_default_roles_last_column_target_other_number_columns_inputs() -> None:
    table = read_table("id,note,a,b,label\n1,x,2,3,u\n2,y,4,5,v\n")
    assert roles(table, None, None) == ((0, 2, 3), (4,))


@pytest.mark.parametrize(
    ("inputs", "targets", "field", "message"),
    [
        (["sepal", "nope"], None, "input_columns", r"input_columns\[1\]: no column named 'nope'"),
        (["sepal", "sepal"], None, "input_columns", r"input_columns\[1\]: 'sepal' is named twice"),
        (["sepal", "species"], None, "input_columns", r"'species' is the target too"),
        (None, ["species", "petal"], "target_columns", r"'species' holds text .* only target"),
    ],
)
def test_role_refusals_name_their_field(
    inputs: list[str] | None, targets: list[str] | None, field: str, message: str
) -> None:
    with pytest.raises(TableError, match=message) as caught:
        roles(read_table(IRIS), inputs, targets)
    assert caught.value.field == field


def test_a_text_input_is_refused_at_its_first_non_number() -> None:
    table = read_table("a,b,t\n1,2,0\n3,oops,1\n")  # b is text because of line 3
    with pytest.raises(TableError, match=r"CSV line 3, column 2 \(b\): 'oops' is not a number"):
        roles(table, ["a", "b"], ["t"])


def test_a_text_target_needs_two_to_max_classes() -> None:
    with pytest.raises(TableError, match=r"one class \('same'\)"):
        encode(read_table("x,t\n1,same\n2,same\n"))
    many = "x,t\n" + "".join(f"{i},c{i}\n" for i in range(MAX_CLASSES + 1))
    with pytest.raises(TableError, match=rf"MAX_CLASSES = {MAX_CLASSES}"):
        encode(read_table(many))


@pytest.mark.parametrize(
    ("text", "message", "line", "column"),
    [
        ("a,t\n1,0\n,1\n", r"CSV line 3, column 1 \(a\): the cell is empty", 3, 1),
        ("a,t\n1,0\nnan,1\n", r"CSV line 3, column 1 \(a\): 'nan' is not a finite number", 3, 1),
        ("a,t\n1,x\n2,\n3,y\n", r"CSV line 3, column 2 \(t\): the cell is empty", 3, 2),
    ],
)
def test_cells_a_role_needs_are_checked_where_they_are(
    text: str, message: str, line: int, column: int
) -> None:
    with pytest.raises(TableError, match=message) as caught:
        encode(read_table(text))
    assert (caught.value.line, caught.value.column) == (line, column)


# ---------------------------------------------------------------- encoding


def test_a_text_target_becomes_one_hot_sorted_classes() -> None:
    data, encoding = encode(read_table(IRIS), standardize=False)
    assert encoding.classes == ("setosa", "versicolor", "virginica")
    assert (encoding.output_activation, encoding.loss, data.kind) == (
        "softmax",
        "cross_entropy",
        "classification",
    )
    expected = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]]
    np.testing.assert_array_equal(data.targets, expected)
    np.testing.assert_array_equal(data.inputs, [[5.1, 1.4], [7.0, 4.7], [6.3, 6.0], [4.9, 1.5]])
    assert data.feature_names == ("sepal", "petal")
    assert data.target_names == encoding.classes


def test_standardised_inputs_use_the_training_rows_mean_and_population_std() -> None:
    data, encoding = encode(read_table(IRIS))
    for j, column in enumerate(([5.1, 7.0, 6.3, 4.9], [1.4, 4.7, 6.0, 1.5])):
        mean, std = statistics.fmean(column), statistics.pstdev(column)
        assert math.isclose(encoding.mean[j], mean, rel_tol=1e-12)
        assert math.isclose(encoding.std[j], std, rel_tol=1e-12)
        for i, x in enumerate(column):
            assert math.isclose(data.inputs[i, j], (x - mean) / std, rel_tol=1e-12, abs_tol=1e-12)


def test_test_rows_are_scaled_with_the_training_rows_statistics() -> None:
    text = "a,t\n" + "".join(f"{i},{i % 2}\n" for i in range(20))
    data, encoding = encode(read_table(text), test_fraction=0.25, seed=3)
    assert (len(data.inputs), len(data.test_inputs)) == (15, 5)
    raw_train = data.inputs[:, 0] * encoding.std[0] + encoding.mean[0]
    assert math.isclose(encoding.mean[0], statistics.fmean(raw_train.tolist()), rel_tol=1e-12)
    raw_test = data.test_inputs[:, 0] * encoding.std[0] + encoding.mean[0]
    assert sorted(np.round(np.concatenate([raw_train, raw_test])).tolist()) == list(range(20))
    again, _ = encode(read_table(text), test_fraction=0.25, seed=3)
    np.testing.assert_array_equal(again.test_inputs, data.test_inputs)  # the seed fixes the split


def test_a_constant_input_keeps_sigma_one() -> None:
    data, encoding = encode(read_table("a,b,t\n1,5,0.5\n2,5,0.7\n"))
    assert encoding.std[1] == 1.0
    np.testing.assert_array_equal(data.inputs[:, 1], [0.0, 0.0])


def test_number_targets_regression_or_zero_one_classification() -> None:
    _, regression = encode(read_table("a,b,z\n1,2,0.5\n2,1,3\n"))
    assert (regression.kind, regression.output_activation, regression.loss) == (
        "regression",
        "linear",
        "mse",
    )
    _, binary = encode(read_table("a,t\n1,0\n2,1\n"))
    assert (binary.kind, binary.output_activation, binary.loss) == (
        "classification",
        "sigmoid",
        "cross_entropy",
    )
    data, two = encode(read_table("a,b,c\n1,2,3\n4,5,6\n"), ["a"], ["b", "c"])
    assert two.targets == (1, 2) and data.targets.shape == (2, 2)


# ---------------------------------------------------------------- profile


def test_profile_ranges_classes_and_first_non_number() -> None:
    number, mixed, text = profile(read_table("a,b,c\n1,2,x\n3,,y\n5,oops,x\n"))
    assert (number.kind, number.minimum, number.maximum, number.mean) == ("number", 1, 5, 3)
    assert math.isclose(number.std or 0, statistics.pstdev([1, 3, 5]))
    assert (mixed.kind, mixed.empty, mixed.first_text) == ("text", 1, (4, "oops"))
    assert (text.classes, text.counts, text.distinct) == (("x", "y"), (2, 1), 2)
