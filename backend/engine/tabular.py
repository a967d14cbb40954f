"""Validation of user data: inline rows (nested lists or arrays) and CSV text.

Every problem is a ``ValueError`` that names the field (or CSV line) and the limit broken.
Inline rows and columns are counted from 0, like the arrays; CSV lines and columns from 1, like
a text editor or a spreadsheet.
"""

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any, NoReturn

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

MAX_ROWS = 10_000
MAX_COLUMNS = 1024
MAX_FIELD = 1000  # characters in one CSV cell, blanks included: far more than a number needs

BOM = "\ufeff"  # what some editors write before UTF-8 text; not part of the first header name
DELIMITERS = (",", ";", "\t")  # what separates the cells of a line: comma, semicolon or tab


def _long_run(delimiter: str) -> re.Pattern[str]:
    """A run of characters that cannot end a CSV cell.

    csv refuses a cell over its own, process-wide limit (131,072 characters) with a bare
    csv.Error that names no column; cutting every such run to MAX_FIELD + 1 characters first
    never moves a cell's bounds, only shortens a cell that MAX_FIELD refuses anyway, so that
    refusal names the line and the column.
    """
    return re.compile(rf'[^{re.escape(delimiter)}"\r\n]{{{MAX_FIELD + 1},}}')


_LONG_RUNS = {delimiter: _long_run(delimiter) for delimiter in DELIMITERS}


def _check_size(rows: int, columns: int, field: str) -> None:
    """Refuse an empty table or one beyond MAX_ROWS × MAX_COLUMNS."""
    if rows == 0:
        raise ValueError(f"{field}: no rows")
    if rows > MAX_ROWS:
        raise ValueError(f"{field}: more than MAX_ROWS = {MAX_ROWS} rows")
    if columns == 0:
        raise ValueError(f"{field}: no columns")
    if columns > MAX_COLUMNS:
        raise ValueError(f"{field}: {columns} columns, more than MAX_COLUMNS = {MAX_COLUMNS}")


def _check_rows(data: object, field: str) -> Sequence[Sequence[object]]:
    """Check nested rows are lists of one common width; returns them unchanged."""
    if not isinstance(data, (list, tuple)):
        raise ValueError(f"{field}: expected a list of rows, got {type(data).__name__}")
    _check_size(len(data), 1, field)
    for i, row in enumerate(data):
        if not isinstance(row, (list, tuple, np.ndarray)):
            raise ValueError(f"{field} row {i} is not a list of numbers")
    width = len(data[0])
    for i, row in enumerate(data):
        if len(row) != width:
            raise ValueError(f"{field} row {i} has {len(row)} columns, expected {width}")
    _check_size(len(data), width, field)
    return data


def _is_scalar(cell: object) -> bool:
    """True when the cell converts to a single float."""
    try:
        return np.asarray(cell, dtype=np.float64).ndim == 0
    except (TypeError, ValueError):
        return False


def _raise_bad_cell(rows: Iterable[Iterable[object]], field: str) -> NoReturn:
    """Name the first cell that is not a number."""
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            if not _is_scalar(cell):
                raise ValueError(f"{field} row {i}, column {j}: {cell!r} is not a number")
    raise ValueError(f"{field}: expected rows of numbers")


def _check_finite(matrix: FloatArray, field: str) -> None:
    """Name the first NaN or ±inf cell of a matrix (rows, columns)."""
    bad = np.argwhere(~np.isfinite(matrix))
    if bad.size:
        i, j = bad[0]
        raise ValueError(f"{field} row {i}, column {j}: not a finite number")


def as_matrix(data: object, field: str) -> FloatArray:
    """Validate nested rows or a 2-D array as a finite float64 matrix (rows, columns)."""
    rows: NDArray[Any] | Sequence[Sequence[object]]
    if isinstance(data, np.ndarray):
        if data.ndim != 2:
            raise ValueError(f"{field}: expected a 2-D array (rows, columns), got {data.ndim}-D")
        _check_size(data.shape[0], data.shape[1], field)
        rows = data
    else:
        rows = _check_rows(data, field)
    try:
        matrix = np.array(rows, dtype=np.float64)
    except (TypeError, ValueError):
        _raise_bad_cell(rows, field)
    if matrix.ndim != 2:  # a cell held a list of its own
        _raise_bad_cell(rows, field)
    _check_finite(matrix, field)
    return matrix


class TableError(ValueError):
    """A problem with CSV text: the message names the line, the column and the limit; `field`
    is the request field at fault, `line` and `column` count from 1 (None when not one)."""

    def __init__(
        self, message: str, line: int | None = None, column: int | None = None, field: str = "csv"
    ) -> None:
        super().__init__(message)
        self.line, self.column, self.field = line, column, field


def read_lines(text: str, delimiter: str = ",") -> list[tuple[int, list[str]]]:
    """Non-blank CSV lines as (1-based line number, stripped cells); at most MAX_ROWS + 2."""
    text = _LONG_RUNS[delimiter].sub(lambda run: run[0][: MAX_FIELD + 1], text.removeprefix(BOM))
    # newline="": a lone \r ends a line, as csv expects, instead of being an error.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    lines = []
    try:
        for cells in reader:
            _check_lengths(reader.line_num, cells)
            stripped = [cell.strip() for cell in cells]
            if any(stripped):
                lines.append((reader.line_num, stripped))
            if len(lines) > MAX_ROWS + 1:  # enough: a header, MAX_ROWS rows and one too many
                break
    except csv.Error as exc:  # a cell made longer than csv's limit by quote characters alone
        raise TableError(
            f"CSV line {reader.line_num}: a cell of more than MAX_FIELD = {MAX_FIELD} "
            f"characters ({exc})",
            reader.line_num,
        ) from None
    return lines


def _check_lengths(number: int, cells: list[str]) -> None:
    """Refuse a cell over MAX_FIELD characters, naming its line and column."""
    for j, cell in enumerate(cells, start=1):
        if len(cell) > MAX_FIELD:
            raise TableError(
                f"CSV line {number}, column {j}: more than MAX_FIELD = {MAX_FIELD} characters",
                number,
                j,
            )


def is_number(cell: str) -> bool:
    """True when the cell parses as a float."""
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _parse_cells(number: int, cells: list[str], width: int) -> list[float]:
    """One CSV line as `width` finite floats."""
    if len(cells) != width:
        raise ValueError(f"CSV line {number} has {len(cells)} columns, expected {width}")
    values = []
    for j, cell in enumerate(cells, start=1):
        if not is_number(cell):
            raise ValueError(f"CSV line {number}, column {j}: {cell!r} is not a number")
        value = float(cell)
        if not np.isfinite(value):
            raise ValueError(f"CSV line {number}, column {j}: {cell!r} is not a finite number")
        values.append(value)
    return values


def parse_csv(text: str) -> tuple[FloatArray, tuple[str, ...] | None]:
    """Comma-separated numbers as a matrix (rows, columns), with the header's names if present."""
    lines = read_lines(text)
    if not lines:
        raise ValueError("CSV: no rows")
    header = None
    if not any(is_number(cell) for cell in lines[0][1]):  # a first line without numbers names
        header, lines = tuple(lines[0][1]), lines[1:]
    width = len(header) if header is not None else len(lines[0][1])
    _check_size(len(lines), width, "CSV")
    rows = [_parse_cells(number, cells, width) for number, cells in lines]
    return np.array(rows, dtype=np.float64), header


def _check_pair(a: FloatArray, b: FloatArray, a_name: str, b_name: str) -> None:
    """Two matrices that belong together have the same number of rows."""
    if a.shape[0] != b.shape[0]:
        raise ValueError(f"{a_name} has {a.shape[0]} rows but {b_name} has {b.shape[0]}")


def _held_out(
    test_inputs: object, test_targets: object, x: FloatArray, y: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Test matrices with the training widths of x and y; (0, ·) when none are given."""
    if (test_inputs is None) != (test_targets is None):
        raise ValueError("test_inputs and test_targets: give both or neither")
    if test_inputs is None:
        return np.empty((0, x.shape[1])), np.empty((0, y.shape[1]))
    tx, ty = as_matrix(test_inputs, "test_inputs"), as_matrix(test_targets, "test_targets")
    _check_pair(tx, ty, "test_inputs", "test_targets")
    for test, train, field in ((tx, x, "test_inputs"), (ty, y, "test_targets")):
        if test.shape[1] != train.shape[1]:
            raise ValueError(f"{field} has {test.shape[1]} columns, expected {train.shape[1]}")
    if x.shape[0] + tx.shape[0] > MAX_ROWS:
        raise ValueError(f"inputs + test_inputs: more than MAX_ROWS = {MAX_ROWS} rows")
    return tx, ty


def validate_arrays(
    inputs: object, targets: object, test_inputs: object = None, test_targets: object = None
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Inline data as matrices: inputs (rows, n_in), targets (rows, n_out) and the test pair."""
    x, y = as_matrix(inputs, "inputs"), as_matrix(targets, "targets")
    _check_pair(x, y, "inputs", "targets")
    return (x, y, *_held_out(test_inputs, test_targets, x, y))
