"""Blocks → the lines of a Word text export, so the family parsers read every form.

The families read ``Source.lines``: the text Word gives when a document is saved as text. A
document read from another form is written back into that text, in the table layout the family
was written for, with the origin of every line kept so a warning can name the table, row and
column of a structured file:

- ``indented`` (what Word writes): each cell on a line starting with a tab, the further lines of
  a wrapped cell below it without a tab, a blank line after each row;
- ``separated``: one line per row, cells between tabs, a wrapped cell's lines joined by spaces;
- ``joined``: one line per row, the non-empty cells joined by spaces.

A cell covered by a merged cell is written as Word writes it: a horizontally merged cell once,
a vertically merged cell's lower places empty.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from workbench.i18n import _
from workbench.ingest.sources.blocks import Blocks, Cell, Origin, Paragraph, Row

STYLES = ("indented", "separated", "joined")


@dataclass(slots=True)
class Rendered:
    """Lines (``lines[0]`` is line 1) and, for each, where it came from."""

    lines: list[str] = field(default_factory=list)
    origins: list[Origin | None] = field(default_factory=list)

    def add(self, line: str, origin: Origin | None) -> None:
        self.lines.append(line)
        self.origins.append(origin)


def render(blocks: Blocks, style: str = "indented") -> Rendered:
    """The text-export lines of ``blocks`` in a table ``style`` (one of :data:`STYLES`)."""
    if style not in STYLES:
        raise ValueError(_("unknown table style {style}").format(style=repr(style)))
    out = Rendered()
    for item in blocks.items:
        if isinstance(item, Paragraph):
            # Only a leading tab would make a paragraph read as a cell of an indented export; in
            # the other layouts any tab would.
            text = item.text if style == "indented" else item.text.replace("\t", " ")
            parts = [part.lstrip("\t") for part in text.split("\n")]
            for offset, part in enumerate(parts):
                origin = item.origin
                if origin.line is not None and offset:
                    origin = dataclasses.replace(origin, line=origin.line + offset)
                out.add(part, origin)
            continue
        for row in item.rows:
            cells = written_cells(row)
            if style == "indented":
                _indented_row(out, cells)
                out.add("", row.origin)
            elif style == "separated":
                out.add("\t".join(_one_line(cell.text) for cell in cells), row.origin)
            else:
                text = " ".join(_one_line(cell.text) for cell in cells if cell.text.strip())
                out.add(text, row.origin)
    return out


def _indented_row(out: Rendered, cells: list[Cell]) -> None:
    # Cells that shared a line of a text export (a cell went on with a line holding tabs) are
    # put back on that line, so the lines read as they were.
    last_line: int | None = None
    for cell in cells:
        text = cell.text.replace("\t", " ")
        lines = [line for line in text.split("\n") if line.strip()] or [""]
        line = cell.origin.line
        if line is not None and line == last_line and out.lines:
            out.lines[-1] += "\t" + lines[0]
        else:
            out.add("\t" + lines[0], cell.origin)
        for more in lines[1:]:
            out.add(more, cell.origin)
        last_line = None if line is None else line + len(lines) - 1


def written_cells(row: Row) -> list[Cell]:
    """The row's cells as Word's export writes them (see the module docstring)."""
    cells: list[Cell] = []
    for cell in row.cells:
        source = cell.merged_from
        if source is None:
            cells.append(cell)
        elif source.row == cell.origin.row and source.table == cell.origin.table:
            continue  # covered by a cell merged across columns: written once
        else:
            cells.append(Cell("", cell.origin))  # below a cell merged down the rows
    return cells


def _one_line(text: str) -> str:
    return " ".join(part.strip() for part in text.replace("\t", " ").split("\n") if part.strip())
