"""Laying out table cells with row and column spans on a grid, shared by HTML, .docx and .xlsx.

Each form gives its rows as lists of ``(text, rowspan, colspan)``; :func:`expand` places them the
way blocks.py's :class:`Cell` describes: the merged cell once at its top-left place, the places
it covers as cells with ``merged_from`` pointing at it and the same text.
"""

from __future__ import annotations

from collections.abc import Sequence

from workbench.ingest.sources.blocks import Cell, Origin, Row, Table


def expand(
    rows: Sequence[Sequence[tuple[str, int, int]]],
    *,
    table: int,
    nested_in: Origin | None = None,
) -> Table:
    """A table of ``rows`` (each a list of ``(text, rowspan, colspan)`` in reading order)."""
    placed: dict[tuple[int, int], Cell] = {}
    width: dict[int, int] = {}  # row -> its last occupied column
    for r, row in enumerate(rows, start=1):
        column = 1
        for text, rowspan, colspan in row:
            while (r, column) in placed:
                column += 1
            origin = Origin(table=table, row=r, column=column)
            rowspan, colspan = max(1, rowspan), max(1, colspan)
            placed[(r, column)] = Cell(text, origin, rowspan=rowspan, colspan=colspan)
            for dr in range(rowspan):
                for dc in range(colspan):
                    if dr or dc:
                        place = (r + dr, column + dc)
                        covered = Origin(table=table, row=place[0], column=place[1])
                        placed.setdefault(place, Cell(text, covered, merged_from=origin))
                width[r + dr] = max(width.get(r + dr, 0), column + colspan - 1)
            column += colspan
    out: list[Row] = []
    for r in range(1, max([len(rows), *width]) + 1):
        cells = tuple(
            placed.get((r, c), Cell("", Origin(table=table, row=r, column=c)))
            for c in range(1, width.get(r, 0) + 1)
        )
        out.append(Row(cells, Origin(table=table, row=r)))
    return Table(tuple(out), Origin(table=table), nested_in=nested_in)
