"""Text exports of Word documents → blocks, every piece with its line.

Word's text export comes in three shapes, told apart by where the tabs are:

- **tab-indented cells**: each cell on a line of its own that starts with a tab (several cells
  may share a line, each after a tab), a line without a tab continues the cell above, a blank
  line ends the row;
- **tab-separated rows**: one line per row, cells between tabs;
- **cells joined by spaces**: no tabs at all; a row is one line that cannot be split without
  knowing the family's columns, so it stays a paragraph for the family (or the layout) to read.

Outside tables each line is a paragraph (in an indented export also a line with tabs inside
it, such as a signature spaced with tabs); a blank line is an empty paragraph (Word writes an
empty paragraph that way), so the blocks render back to the lines they came from.
"""

from __future__ import annotations

from collections.abc import Sequence

from workbench.ingest.sources.blocks import Blocks, Cell, Origin, Paragraph, Row, Table


def table_style(lines: Sequence[str]) -> str:
    """``indented`` or ``separated``: which of Word's tab layouts most table lines follow."""
    indented = separated = 0
    for line in lines:
        if "\t" not in line:
            continue
        if line.startswith("\t") and line.count("\t") == 1:
            indented += 1
        elif not line.startswith("\t"):
            separated += 1
    return "separated" if separated > indented else "indented"


def read_text_export(lines: Sequence[str], *, path: str, sha256: str) -> Blocks:
    """Blocks of a decoded text export (``lines[0]`` is line 1)."""
    blocks = Blocks(path=path, form="text", sha256=sha256)
    if table_style(lines) == "separated":
        _read_separated(lines, blocks)
    else:
        _read_indented(lines, blocks)
    return blocks


class _TableBuilder:
    def __init__(self, blocks: Blocks) -> None:
        self.blocks = blocks
        self.rows: list[Row] = []
        self.cells: list[Cell] = []
        self.first_line: int | None = None
        self.done = len(blocks.tables())  # counted once: a count per cell made reading quadratic

    @property
    def number(self) -> int:
        return self.done + 1

    def cell(self, text: str, line: int) -> None:
        if self.first_line is None:
            self.first_line = line
        cells = self.cells
        cells.append(
            Cell(text, Origin(line=line, table=self.done + 1, row=len(self.rows) + 1,
                              column=len(cells) + 1))
        )  # fmt: skip

    def continue_cell(self, text: str) -> None:
        last = self.cells[-1]
        joined = f"{last.text}\n{text}" if last.text.strip() else text
        self.cells[-1] = Cell(joined, last.origin)

    def end_row(self) -> None:
        if self.cells:
            first = self.cells[0].origin
            origin = Origin(line=first.line, table=self.number, row=len(self.rows) + 1)
            self.rows.append(Row(tuple(self.cells), origin))
            self.cells = []

    def end_table(self) -> None:
        self.end_row()
        if self.rows:
            origin = Origin(line=self.first_line, table=self.number)
            self.blocks.items.append(Table(tuple(self.rows), origin))
            self.done += 1
        self.rows = []
        self.first_line = None

    @property
    def open(self) -> bool:
        return bool(self.rows or self.cells)


def _read_indented(lines: Sequence[str], blocks: Blocks) -> None:
    table = _TableBuilder(blocks)
    for index, line in enumerate(lines):
        number = index + 1
        if line.startswith("\t"):
            for piece in line.split("\t")[1:]:
                table.cell(piece, number)
        elif not line.strip():
            if table.open:
                table.end_row()
            else:
                blocks.items.append(Paragraph("", Origin(line=number)))
        elif table.cells:
            # A further paragraph of the cell above; a tab in it is a tab in that paragraph.
            table.continue_cell(line)
        else:
            table.end_table()
            blocks.items.append(Paragraph(line, Origin(line=number)))
    table.end_table()


def _read_separated(lines: Sequence[str], blocks: Blocks) -> None:
    table = _TableBuilder(blocks)
    for index, line in enumerate(lines):
        number = index + 1
        if "\t" in line:
            for piece in line.split("\t"):
                table.cell(piece, number)
            table.end_row()
        else:
            table.end_table()
            blocks.items.append(Paragraph(line, Origin(line=number)))
    table.end_table()
