"""A document's blocks as a family profile reads them, each piece placed on a line.

A family profile reads blocks (paragraphs, and rows of cells), whatever form the document came
in: a text export's own blocks, or the blocks an HTML page, a Word file, a workbook or web-page
text was read into. Its warnings and ``source_line`` columns still speak of lines of
``Source.lines`` (for a structured form, the lines those blocks were written as), so that
``workbench.ingest`` points them at the document's own place (a line, or a table cell): ``place``
gives that line for a piece's origin.

``units`` lays the blocks out flat, a paragraph or a table row each, in document order: a
family's parts and headings cut across tables (a text export puts the rows of a header block and
of the first table in one table when no paragraph stands between them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from workbench.ingest.document import Source
from workbench.ingest.sources.blocks import Blocks, Cell, Origin, Paragraph, Row
from workbench.ingest.sources.text import read_text_export

Unit = Row | Paragraph


@dataclass(frozen=True, slots=True)
class Placed:
    """The blocks of a document, flat, and the line of ``Source.lines`` each origin is on."""

    blocks: Blocks
    units: tuple[Unit, ...]
    place: Callable[[Origin], int | None]
    # Whether the blocks come from a text export, whose tab inside a cell's later line is
    # Word's cell boundary (in a structured form a tab is only a tab).
    from_text: bool


def placed_blocks(source: Source) -> Placed:
    """``source``'s blocks; a text export is read into blocks here."""
    if source.blocks is None:
        blocks = read_text_export(source.lines, path=source.path, sha256=source.sha256)
        return Placed(blocks, _units(blocks), _own_line, from_text=True)
    first: dict[Origin, int] = {}
    by_row: dict[tuple[int | None, int | None, str | None], int] = {}
    previous: Origin | None = None
    for number, origin in enumerate(source.origins, start=1):
        # the further lines of a cell or a row carry its origin again: nothing to add
        if origin is None or origin is previous:
            continue
        previous = origin
        first.setdefault(origin, number)
        if origin.row is not None:  # only a row's place is looked up by its row
            by_row.setdefault((origin.table, origin.row, origin.sheet), number)

    def place(origin: Origin) -> int | None:
        line = first.get(origin)
        if line is None and origin.row is not None:
            line = by_row.get((origin.table, origin.row, origin.sheet))
        return line

    return Placed(source.blocks, _units(source.blocks), place, from_text=False)


def _own_line(origin: Origin) -> int | None:
    return origin.line


def _units(blocks: Blocks) -> tuple[Unit, ...]:
    out: list[Unit] = []
    for item in blocks.items:
        if isinstance(item, Paragraph):
            out.append(item)
        else:
            out.extend(item.rows)
    return tuple(out)


def written_cells(row: Row) -> list[Cell]:
    """A row's cells as a person reads them: a cell merged across columns once, the places
    below a cell merged down the rows empty (as Word's text export prints them)."""
    cells: list[Cell] = []
    for cell in row.cells:
        source = cell.merged_from
        if source is None:
            cells.append(cell)
        elif source.row == cell.origin.row and source.table == cell.origin.table:
            continue
        else:
            cells.append(Cell("", cell.origin))
    return cells
