"""What a CSV file gives, for POST /api/csv: the engine's table, profile and encoding
in the answer's shape, and its refusals as 422s that name the line and the column."""

from __future__ import annotations

from typing import Any

from fastapi.exceptions import RequestValidationError

from backend.engine.datasets import Dataset
from backend.engine.encoding import Encoding, encode, roles
from backend.engine.profile import ColumnProfile, profile
from backend.engine.table import NUMBER, Table, read_table
from backend.engine.tabular import TableError

from .schemas.dataset import CsvPreview, CsvRequest

SHOWN_ROWS = 10  # the file's first rows, as written, in the answer


def refusal(exc: TableError) -> RequestValidationError:
    """A 422 on the field at fault; `ctx` has the file's line and column (1-based) if known."""
    ctx = {"line": exc.line, "column": exc.column}
    error = {"type": "value_error", "loc": ("body", exc.field), "msg": str(exc), "ctx": ctx}
    return RequestValidationError([error])


def default_roles(table: Table) -> tuple[list[int], list[int]]:
    """The last column the target, every other number column an input."""
    target = len(table.names) - 1
    return [j for j, k in enumerate(table.kinds) if k == NUMBER and j != target], [target]


def column(info: ColumnProfile, role: str) -> dict[str, Any]:
    """One column of the answer."""
    return {
        "name": info.name,
        "kind": info.kind,
        "role": role,
        "empty": info.empty,
        "min": info.minimum,
        "max": info.maximum,
        "mean": info.mean,
        "std": info.std,
        "distinct": info.distinct,
        "classes": list(info.classes),
        "counts": list(info.counts),
        "first_text": info.first_text,
    }


def table_part(table: Table, inputs: list[int], targets: list[int]) -> dict[str, Any]:
    """The file's columns with their roles, and its first rows."""
    role = {**{j: "input" for j in inputs}, **{j: "target" for j in targets}}
    return {
        "rows": table.rows,
        "header": table.header,
        "delimiter": table.delimiter,
        "columns": [column(c, role.get(j, "ignored")) for j, c in enumerate(profile(table))],
        "first_lines": list(table.lines[:SHOWN_ROWS]),
        "first_rows": [list(row) for row in table.cells[:SHOWN_ROWS]],
        "input_columns": [table.names[j] for j in inputs],
        "target_columns": [table.names[j] for j in targets],
    }


def encoding_part(data: Dataset, encoding: Encoding) -> dict[str, Any]:
    """What the roles give: the classes, μ and σ, the split, the output layer they need."""
    return {
        "kind": encoding.kind,
        "target_names": list(data.target_names),
        "classes": None if encoding.classes is None else list(encoding.classes),
        "mean": encoding.mean.tolist(),
        "std": encoding.std.tolist(),
        "train_rows": len(data.inputs),
        "test_rows": len(data.test_inputs),
        "output_activation": encoding.output_activation,
        "loss": encoding.loss,
    }


def preview(body: CsvRequest) -> CsvPreview:
    """The table, its columns' roles and the encoding they give. Roles that were asked for
    and cannot train are a 422; default ones are answered with the `problem`."""
    try:
        table = read_table(body.csv)
    except TableError as exc:
        raise refusal(exc) from None
    given = body.input_columns is not None or body.target_columns is not None
    base = {"standardize": body.standardize, "problem": None}
    try:
        inputs, targets = roles(table, body.input_columns, body.target_columns)
        names = [table.names[j] for j in inputs], [table.names[j] for j in targets]
        data, encoding = encode(
            table,
            *names,
            standardize=body.standardize,
            test_fraction=body.test_fraction,
            seed=body.seed,
        )
    except TableError as exc:
        if given:
            raise refusal(exc) from None
        where = {"field": exc.field, "message": str(exc), "line": exc.line, "column": exc.column}
        parts = {**base, **table_part(table, *default_roles(table)), "problem": where}
        return CsvPreview.model_validate(parts)
    parts = {
        **base,
        **table_part(table, list(inputs), list(targets)),
        **encoding_part(data, encoding),
    }
    return CsvPreview.model_validate(parts)
