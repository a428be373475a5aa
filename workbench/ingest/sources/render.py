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
    add_line = out.lines.append
    add_origin = out.origins.append
    indented = style == "indented"
    for item in blocks.items:
        if isinstance(item, Paragraph):
            # Only a leading tab would make a paragraph read as a cell of an indented export; in
            # the other layouts any tab would.
            text = item.text if indented else item.text.replace("\t", " ")
            origin = item.origin
            if "\n" not in text:
                add_line(text.lstrip("\t"))
                add_origin(origin)
                continue
            for offset, part in enumerate(text.split("\n")):
                if origin.line is not None and offset:
                    add_origin(dataclasses.replace(origin, line=origin.line + offset))
                else:
                    add_origin(origin)
                add_line(part.lstrip("\t"))
            continue
        if indented:
            for row in item.rows:
                _indented_row(out, row)
                add_line("")
                add_origin(row.origin)
        elif style == "separated":
            for row in item.rows:
                add_line("\t".join([_one_line(cell.text) for cell in written_cells(row)]))
                add_origin(row.origin)
        else:
            for row in item.rows:
                texts = [_one_line(cell.text) for cell in written_cells(row)]
                add_line(" ".join([text for text in texts if text]))
                add_origin(row.origin)
    return out


def _indented_row(out: Rendered, row: Row) -> None:
    # Cells that shared a line of a text export (a cell went on with a line holding tabs) are
    # put back on that line, so the lines read as they were. The row's cells are those
    # :func:`written_cells` gives, worked out on the way.
    lines_out = out.lines
    origins_out = out.origins
    last_line: int | None = None
    for cell in row.cells:
        text = cell.text
        origin = cell.origin
        source = cell.merged_from
        if source is not None:
            if source.row == origin.row and source.table == origin.table:
                continue  # covered by a cell merged across columns: written once
            text = ""  # below a cell merged down the rows
        line = origin.line
        if "\t" in text:
            text = text.replace("\t", " ")
        if "\n" in text:
            lines = [part for part in text.split("\n") if part.strip()] or [""]
            first = lines[0]
        elif line is None:  # the common case: no line of a text export to share
            lines_out.append("\t" + text if text.strip() else "\t")
            origins_out.append(origin)
            last_line = None
            continue
        else:
            lines = None
            first = text if text.strip() else ""
        if line is not None and line == last_line and lines_out:
            lines_out[-1] += "\t" + first
        else:
            lines_out.append("\t" + first)
            origins_out.append(origin)
        if lines is None:
            last_line = line
            continue
        for more in lines[1:]:
            lines_out.append(more)
            origins_out.append(origin)
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
    """A cell's lines joined by spaces, each stripped, the blank ones left out."""
    if "\n" not in text:
        return (text.replace("\t", " ") if "\t" in text else text).strip()
    return " ".join(part.strip() for part in text.replace("\t", " ").split("\n") if part.strip())
