"""A monitoring matrix whose table kept its cells: each row read by its columns.

The header names the indicator, unit and responsible columns (the layout engine's roles); the
problem ("Маселе") is the text column before the indicator, and the value cells are the columns
between the unit and the responsible: the baseline, the four years and the final target, in that
order, as the text reader takes them from the right. An indicator name may then hold numbers
("… 120 га") and a cell may wrap over lines without moving a value. A row whose indicator cell
is merged down from the row above (a sub-row of that indicator) and rows the columns cannot
read are left to the reader of rows without cells; the key-figures table that follows
(``2021 (факт) 2022 (прогноз) …``) is read as before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from workbench.dataset.text import clean
from workbench.ingest.council.blocks import _CellRow, _Item
from workbench.ingest.council.key_figures import _INLINE_YEAR_TAG, _key_figures
from workbench.ingest.council.layout import _COLUMN_NUMBERS, _Para, _Row
from workbench.ingest.council.matrix import _MatrixReader, _MatrixRow
from workbench.ingest.council.tokens import _Cell, _cells, _tokens
from workbench.ingest.layout.tables import header_columns

_YEAR_COLUMNS = re.compile(r"^(?:\d\s*-?\s*жыл\s*)+$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class MatrixColumns:
    indicator: int
    unit: int
    responsible: int
    code: int | None
    goal: int | None


def matrix_columns(row: _CellRow) -> MatrixColumns | None:
    """The columns a matrix header names, or None when the cells cannot be told apart."""
    columns = header_columns(row.texts())
    if columns is None:
        return None
    first: dict[str, int] = {}
    for column in columns:
        first.setdefault(column.role, column.index)
    if not {"indicator", "unit", "responsible"} <= first.keys():
        return None
    indicator, unit, responsible = first["indicator"], first["unit"], first["responsible"]
    if not indicator < unit < responsible or responsible - unit < 3:
        return None
    code = first.get("code")
    goal = next(
        (i for i in range(indicator - 1, -1, -1) if i != code and columns[i].role == "other"),
        None,
    )
    return MatrixColumns(indicator, unit, responsible, code, goal)


def _value(text: str, line: int, unit: str | None) -> _Cell | None:
    """A value cell: one number (``50% 20243 п.м.`` giving the value in the row's unit)."""
    if not text:
        return None
    _, tokens = _tokens(_Row([_Para(text, line, True, "")]))
    numbers = [t for t in tokens if t.number]
    cells = _cells(numbers, unit) if len(numbers) == len(tokens) else []
    if len(cells) == 1:
        return _Cell(cells[0].raw, cells[0].value, line)
    return _Cell(text, None, line)


def read_cell_matrix(
    matrix: _MatrixReader, items: Sequence[_Item], title: str, columns: MatrixColumns
) -> _Row | None:
    """Read the matrix's rows by their columns; returns the last row read (for a cut-off check)."""
    last: _Row | None = None
    for index, item in enumerate(items):
        if isinstance(item, _Para):
            row = _Row([item])
            matrix._row(row, title)
            last = row
            continue
        joined = item.joined()
        last = _Row([_Para(joined, item.line, True, "")])
        if _YEAR_COLUMNS.match(joined) or _COLUMN_NUMBERS.match(joined):
            continue
        if len(_INLINE_YEAR_TAG.findall(joined)) >= 2:
            rest = [
                p if isinstance(p, _Para) else _Para(p.joined(), p.line, True, "")
                for p in items[index:]
            ]
            key_last = _key_figures(matrix.b, matrix.meta, rest)
            matrix.last_row_short = False
            return key_last or last
        parsed = _parse(item, columns)
        if parsed is None:
            matrix._row(last, title)  # a heading, a sub-row or an odd row: read from its text
            continue
        # a goal cell merged down, or its text repeated on the next indicator's row (a sheet
        # without merges): one goal
        matrix.add(parsed, item.line, title, same_goal=True)
    return last


def _parse(row: _CellRow, c: MatrixColumns) -> _MatrixRow | None:
    cells = row.cells
    if len(cells) <= c.responsible or cells[c.indicator].covered:
        return None
    name = cells[c.indicator].text
    if not name:
        return None
    unit = cells[c.unit].text or None
    values = [
        value
        for cell in cells[c.unit + 1 : c.responsible]
        if (value := _value(cell.text, cell.line, unit)) is not None
    ]
    if not values:
        return None
    code = cells[c.code].text.rstrip(".") if c.code is not None else None
    goal = clean(cells[c.goal].text) if c.goal is not None else ""
    return _MatrixRow(
        code or None, name, unit, cells[c.responsible].text or None, None, values, row.line,
        goal=goal,
    )  # fmt: skip
