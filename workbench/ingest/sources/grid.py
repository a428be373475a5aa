"""Laying out table cells with row and column spans on a grid, shared by HTML, .docx and .xlsx.

Each form gives its rows as lists of ``(text, rowspan, colspan)``; :func:`expand` places them the
way blocks.py's :class:`Cell` describes: the merged cell once at its top-left place, the places
it covers as cells with ``merged_from`` pointing at it and the same text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from workbench.ingest.sources.blocks import Cell, Origin, Row, Table


def expand(
    rows: Sequence[Sequence[tuple[str, int, int]]],
    *,
    table: int,
    nested_in: Origin | None = None,
    sheet: str | None = None,
    sheet_rows: Sequence[int] = (),
    first_column: int = 1,
) -> Table:
    """A table of ``rows`` (each a list of ``(text, rowspan, colspan)`` in reading order).

    A table of a worksheet gives its ``sheet`` name, the sheet row of each table row and the
    sheet column of its first column: each origin then also names its cell (``B12``).
    """

    place: Callable[[int, int], Origin]
    # A worksheet's cell references: each column's letters, as far as the table reaches, and
    # each row's number; the common one-place cell builds its origin from them in the loop below
    # (a call of ``place`` per cell cost more than the rest of laying a sheet's table out).
    names: list[str] = []
    labels = [str(number) for number in sheet_rows]
    if sheet is None:
        place = partial(Origin, None, table)  # called in C, with no frame of its own
    else:

        def place(row: int, column: int) -> Origin:
            while len(names) < column:
                names.append(column_letters(first_column + len(names)))
            return Origin(None, table, row, column, sheet, names[column - 1] + labels[row - 1])

    # Each row's places, None where a merged cell left a hole; only the rows a span reaches
    # can hold one, so the others are taken as they are at the end.
    grid: list[list[Cell | None]] = [[] for _ in rows]
    holes: set[int] = set()
    for r, row in enumerate(rows):
        line = grid[r]
        filled = len(line)
        column = 0
        for text, rowspan, colspan in row:
            while column < filled and line[column] is not None:
                column += 1
            if rowspan <= 1 and colspan <= 1:  # most cells: one place, no bookkeeping
                if sheet is None:
                    cell = Cell(text, Origin(None, table, r + 1, column + 1))
                else:
                    while len(names) <= column:
                        names.append(column_letters(first_column + len(names)))
                    reference = names[column] + labels[r]
                    cell = Cell(text, Origin(None, table, r + 1, column + 1, sheet, reference))
                if column < filled:
                    line[column] = cell
                else:
                    line.append(cell)
                    filled += 1
                column += 1
                continue
            rowspan, colspan = max(1, rowspan), max(1, colspan)
            origin = place(r + 1, column + 1)
            for dr in range(rowspan):
                if r + dr == len(grid):
                    grid.append([])
                target = grid[r + dr]
                if len(target) < column + colspan:
                    if len(target) < column:
                        holes.add(r + dr)
                    target.extend([None] * (column + colspan - len(target)))
                for dc in range(colspan):
                    if not (dr or dc):
                        target[column] = Cell(text, origin, rowspan=rowspan, colspan=colspan)
                    elif target[column + dc] is None:
                        covered = place(r + dr + 1, column + dc + 1)
                        target[column + dc] = Cell(text, covered, merged_from=origin)
            filled = len(line)
            column += colspan
    out: list[Row] = []
    for r, line in enumerate(grid, start=1):
        if r - 1 in holes:
            cells = tuple(
                cell if cell is not None else Cell("", place(r, c))
                for c, cell in enumerate(line, start=1)
            )
        else:
            cells = tuple(line)  # type: ignore[arg-type]  # no None left in it
        origin = place(r, 1) if sheet is not None else Origin(None, table, r)
        out.append(Row(cells, origin))
    return Table(tuple(out), Origin(table=table, sheet=sheet), nested_in=nested_in)


def column_letters(column: int) -> str:
    """A worksheet column's letters: 1 is ``A``, 27 ``AA``."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
