"""A CSV file as a table of named columns, each of numbers or of text (class labels).

``read_table`` reads the text once: the delimiter (comma, semicolon or tab), an optional header
line, every row's cells and each column's kind. Lines and columns count from 1, as a text
editor or a spreadsheet shows them; every problem is a ``TableError`` naming them and the
limit broken. Nothing here knows about inputs or targets: encoding.py gives columns roles.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .tabular import DELIMITERS, MAX_COLUMNS, MAX_ROWS, TableError, is_number, read_lines

FloatArray = NDArray[np.float64]

MAX_CSV_CHARS = 8 * 1024 * 1024  # characters of CSV text in one request: far above 10,000 rows
NUMBER, TEXT = "number", "text"


@dataclass(frozen=True)
class Table:
    """Rows of text cells (rows, columns) under distinct names; `lines` their file lines."""

    names: tuple[str, ...]
    header: bool  # the first line named the columns
    delimiter: str
    lines: tuple[int, ...]  # the file's line number of each row (blank lines are skipped)
    cells: tuple[tuple[str, ...], ...]  # stripped text of each cell; "" when empty
    kinds: tuple[str, ...]  # per column: "number" when every filled cell is one, else "text"

    @property
    def rows(self) -> int:
        """Rows of data (the header not counted)."""
        return len(self.cells)

    def index(self, name: str, field: str) -> int:
        """The 0-based index of the column called `name`; TableError (on `field`) if none is."""
        if name not in self.names:
            listed = ", ".join(repr(n) for n in self.names[:20])
            more = ", …" if len(self.names) > 20 else ""
            raise TableError(
                f"{field}: no column named {name!r}; the columns are {listed}{more}",
                field=field.split("[")[0],
            )
        return self.names.index(name)

    def where(self, row: int, j: int) -> str:
        """'CSV line N, column J (name)' for row `row` (0-based) of column `j` (0-based)."""
        return f"CSV line {self.lines[row]}, column {j + 1} ({self.names[j]})"

    def filled(self, j: int, kind: str) -> list[str]:
        """Column j's cells (rows,); TableError at the first empty one, naming what it needs."""
        column = [row[j] for row in self.cells]
        for i, cell in enumerate(column):
            if cell == "":
                raise TableError(
                    f"{self.where(i, j)}: the cell is empty; every row needs a "
                    f"{kind} here (fill it in or remove the row)",
                    self.lines[i],
                    j + 1,
                )
        return column

    def numbers(self, j: int) -> FloatArray:
        """Column j as finite floats (rows,); TableError at its first empty or bad cell."""
        column = self.filled(j, "number")
        for i, cell in enumerate(column):
            if not is_number(cell):
                raise TableError(
                    f"{self.where(i, j)}: {cell!r} is not a number", self.lines[i], j + 1
                )
        values = np.array([float(cell) for cell in column], dtype=np.float64)
        bad = np.flatnonzero(~np.isfinite(values))
        if bad.size:
            i = int(bad[0])
            raise TableError(
                f"{self.where(i, j)}: {column[i]!r} is not a finite number", self.lines[i], j + 1
            )
        return values

    def labels(self, j: int) -> tuple[tuple[str, ...], NDArray[np.int64]]:
        """Column j as classes: the distinct values sorted, and each row's class index (rows,)."""
        column = self.filled(j, "class")
        classes = tuple(sorted(set(column)))
        code = {name: k for k, name in enumerate(classes)}
        return classes, np.array([code[cell] for cell in column], dtype=np.int64)

    def counts(self, j: int) -> Counter[str]:
        """How often each filled value of column j occurs."""
        return Counter(row[j] for row in self.cells if row[j] != "")

    def first_bad(self, j: int) -> tuple[int, str] | None:
        """(row, cell) of column j's first filled cell that is not a number, if any."""
        return next(
            (
                (i, row[j])
                for i, row in enumerate(self.cells)
                if row[j] != "" and not is_number(row[j])
            ),
            None,
        )


def sniff(text: str) -> str:
    """The delimiter the first non-blank line uses most: comma, semicolon or tab (ties: comma)."""
    first = next((line for line in text.removeprefix("\ufeff").splitlines() if line.strip()), "")
    return max(DELIMITERS, key=lambda d: (first.count(d), d == ","))


def _is_header(first: list[str], second: list[str] | None) -> bool:
    """A first line names the columns when no cell of it is a number, or when a cell of it is
    text above a number (a name over a column of numbers)."""
    if not any(is_number(cell) for cell in first):
        return True
    if second is None:
        return False
    return any(not is_number(a) and is_number(b) for a, b in zip(first, second, strict=False))


def _names(first: list[str], line: int) -> tuple[str, ...]:
    """Header names, a blank one as 'column J'; TableError when a name repeats."""
    names = tuple(cell or f"column {j}" for j, cell in enumerate(first, start=1))
    seen: dict[str, int] = {}
    for j, name in enumerate(names, start=1):
        if name in seen:
            raise TableError(
                f"CSV line {line}, column {j}: the name {name!r} is also column "
                f"{seen[name]}'s; give each column its own name",
                line,
                j,
            )
        seen[name] = j
    return names


def _check_rows(body: list[tuple[int, list[str]]], width: int, header: bool, first: int) -> None:
    """Every row has the `width` cells of line `first`, and there are 1..MAX_ROWS rows."""
    if not body:
        raise TableError("CSV: a header line but no rows of data" if header else "CSV: no rows")
    if len(body) > MAX_ROWS:
        line = body[MAX_ROWS][0]
        raise TableError(f"CSV line {line}: more than MAX_ROWS = {MAX_ROWS} rows of data", line)
    for line, cells in body:
        if len(cells) != width:
            count = f"{len(cells)} column" + ("" if len(cells) == 1 else "s")
            raise TableError(
                f"CSV line {line} has {count}, expected {width} (as line {first})", line
            )


def _kind(cells: list[str]) -> str:
    """'number' when every filled cell parses as one (empty cells are checked when used)."""
    return NUMBER if all(cell == "" or is_number(cell) for cell in cells) else TEXT


def read_table(text: str) -> Table:
    """Parse CSV text into a Table; TableError names the line, column and limit of a problem."""
    if len(text) > MAX_CSV_CHARS:
        raise TableError(f"csv: {len(text)} characters, more than MAX_CSV_CHARS = {MAX_CSV_CHARS}")
    delimiter = sniff(text)
    lines = read_lines(text, delimiter)
    if not lines:
        raise TableError("CSV: no rows (the text is empty or blank)")
    first_line, first = lines[0]
    if len(first) > MAX_COLUMNS:
        raise TableError(
            f"CSV line {first_line} has {len(first)} columns, more than "
            f"MAX_COLUMNS = {MAX_COLUMNS}",
            first_line,
        )
    header = _is_header(first, lines[1][1] if len(lines) > 1 else None)
    names = (
        _names(first, first_line)
        if header
        else tuple(f"column {j}" for j in range(1, len(first) + 1))
    )
    body = lines[1:] if header else lines
    _check_rows(body, len(first), header, first_line)
    cells = tuple(tuple(row) for _, row in body)
    kinds = tuple(_kind([row[j] for row in cells]) for j in range(len(first)))
    return Table(names, header, delimiter, tuple(line for line, _ in body), cells, kinds)
