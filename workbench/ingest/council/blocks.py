"""The document as the council reader sees it: paragraph lines and table rows, in order.

The Kara-Balta export lost its cell boundaries, so its tables are paragraphs and are read from
their content (:mod:`workbench.ingest.council.action_plan`). A document that keeps its cells
(an HTML page, a .docx, an .xlsx, a text export with tabs) gives table rows of cells instead,
each cell with its text (the lines of a wrapped cell joined) and its line in ``source.lines``;
those are read by their columns (:mod:`workbench.ingest.council.cell_plan`). A document whose
blocks hold no table is read from its lines exactly as before, without building the blocks
twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.dataset.text import clean, fold
from workbench.ingest.blockrows import document_blocks, line_finder
from workbench.ingest.council.layout import _Para, _paragraphs
from workbench.ingest.document import Source
from workbench.ingest.sources.blocks import Paragraph


@dataclass(frozen=True, slots=True)
class _CellText:
    text: str  # cleaned: a wrapped cell's lines joined by spaces
    line: int
    covered: bool  # under a cell merged down from the row above (same text as that cell)


@dataclass(slots=True)
class _CellRow:
    """One table row of a document that kept its cells (one cell per column)."""

    cells: list[_CellText]
    line: int
    table: int  # the number of its table in the document (0-based)
    _folded: str | None = None

    @property
    def folded(self) -> str:
        if self._folded is None:
            self._folded = fold(" ".join(c.text for c in self.cells if not c.covered))
        return self._folded

    def texts(self) -> list[str]:
        return [c.text for c in self.cells]

    def joined(self) -> str:
        """The row's distinct cell texts joined, as an export without cell boundaries prints it."""
        out: list[str] = []
        for cell in self.cells:
            if cell.text and not cell.covered and (not out or out[-1] != cell.text):
                out.append(cell.text)
        return " ".join(out)


_Item = _Para | _CellRow


def document_items(source: Source) -> tuple[list[_Para], list[_Item]]:
    """The paragraph lines of the document, and its paragraph lines and table rows in order.

    Without a table in the blocks both lists are the paragraphs of ``source.lines``.
    """
    if source.blocks is None and "\t" not in source.text:
        only = _paragraphs(source.lines)  # no tab: a text export without table cells
        return only, list(only)
    blocks, normal = document_blocks(source)
    if not blocks.tables():
        only = _paragraphs(source.lines)
        return only, list(only)
    line_of = line_finder(source)
    paras: list[_Para] = []
    items: list[_Item] = []
    hard = False  # a paragraph line directly after another one (no blank, no table between)
    table_number = 0
    for block in blocks.items:
        if isinstance(block, Paragraph):
            first = line_of(block.origin)
            for offset, part in enumerate(normal(block.text).split("\n")):
                text = part.strip()
                if not text:
                    hard = False
                    continue
                para = _Para(text, first + offset, hard and bool(items), fold(text))
                paras.append(para)
                items.append(para)
                hard = True
            continue
        for row in block.rows:
            row_line = line_of(row.origin)
            cells: list[_CellText] = []
            for cell in row.cells:
                source_cell = cell.merged_from
                if source_cell is not None and source_cell.row == cell.origin.row:
                    # covered by a cell merged across the columns: its text counts once
                    cells.append(_CellText("", row_line, False))
                    continue
                line = line_of(source_cell or cell.origin) or row_line
                cells.append(_CellText(clean(normal(cell.text)), line, source_cell is not None))
            if any(c.text for c in cells):
                items.append(_CellRow(cells, row_line or cells[0].line, table_number))
        table_number += 1
        hard = False
    return paras, items
