"""A table's profile, for choosing the roles of its columns before training: per column its
kind, its empty cells, its range (numbers) or its classes (text)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .encoding import MAX_CLASSES
from .table import NUMBER, TEXT, Table


@dataclass(frozen=True)
class ColumnProfile:
    """One column: numbers (min, max, mean, std of its filled cells) or text (its classes)."""

    name: str
    kind: str  # "number" | "text"
    empty: int  # cells with nothing in them
    minimum: float | None = None
    maximum: float | None = None
    mean: float | None = None
    std: float | None = None
    distinct: int = 0  # distinct filled values (text columns)
    classes: tuple[str, ...] = ()  # text: the distinct values, sorted (the first MAX_CLASSES)
    counts: tuple[int, ...] = ()  # and how often each occurs
    first_text: tuple[int, str] | None = None  # (line, cell): a text column's first non-number


def _numbers(table: Table, j: int, empty: int) -> ColumnProfile:
    """A number column's range over its filled cells (NaN and ±inf left out)."""
    values = np.array([float(row[j]) for row in table.cells if row[j] != ""], dtype=np.float64)
    values = values[np.isfinite(values)]
    if not values.size:
        return ColumnProfile(table.names[j], NUMBER, empty)
    return ColumnProfile(
        table.names[j],
        NUMBER,
        empty,
        float(values.min()),
        float(values.max()),
        float(values.mean()),
        float(values.std()),
    )


def _text(table: Table, j: int, empty: int) -> ColumnProfile:
    """A text column's classes and counts, and where its first non-number is."""
    counts = table.counts(j)
    classes = tuple(sorted(counts))[:MAX_CLASSES]
    bad = table.first_bad(j)
    first = None if bad is None else (table.lines[bad[0]], bad[1])
    return ColumnProfile(
        table.names[j],
        TEXT,
        empty,
        distinct=len(counts),
        classes=classes,
        counts=tuple(counts[c] for c in classes),
        first_text=first,
    )


def profile(table: Table) -> tuple[ColumnProfile, ...]:
    """Every column's profile, in the file's order."""
    out = []
    for j, kind in enumerate(table.kinds):
        empty = sum(1 for row in table.cells if row[j] == "")
        out.append(_numbers(table, j, empty) if kind == NUMBER else _text(table, j, empty))
    return tuple(out)
