"""The document as the development-plan reader sees it, whatever form it came in.

The blocks of the document (a text export's tables and paragraphs, or those of a .docx, .xlsx,
HTML page or web-page text) in order: each table row as its cells, each cell with its lines,
and each line of a paragraph between tables, each with its line in ``source.lines``
(:mod:`workbench.ingest.blockrows`).
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.dataset.text import clean
from workbench.ingest.blockrows import document_blocks, line_finder
from workbench.ingest.devplan.items import _classify, _Item
from workbench.ingest.document import Source
from workbench.ingest.sources.blocks import Paragraph
from workbench.ingest.sources.render import written_cells


@dataclass(slots=True)
class _Cell:
    text: str  # its lines joined, cleaned
    lines: str  # its lines, without the empty ones, joined by line breaks
    line: int
    last: int  # the line of its last line
    _item: _Item | None = None
    _classified: bool = False

    @property
    def item(self) -> _Item | None:
        """The item its text prints (:func:`_classify`): a cell is asked more than once."""
        if not self._classified:
            self._item, self._classified = _classify(self.text), True
        return self._item


@dataclass(slots=True)
class _Text:
    """One line of a paragraph outside the tables (blank for an empty paragraph)."""

    text: str
    line: int


# A table row of the blocks (the cells a blank line ends in a text export), or a paragraph line.
_Piece = list[_Cell] | _Text
_Stream = list[_Piece]


def _stream(source: Source) -> _Stream:
    """The rows and paragraph lines of the document's blocks, in order."""
    blocks, normal = document_blocks(source)
    line_of = line_finder(source)
    out: _Stream = []
    for item in blocks.items:
        if isinstance(item, Paragraph):
            first = line_of(item.origin)
            for offset, part in enumerate(normal(item.text).split("\n")):
                out.append(_Text(part.lstrip("\t"), first + offset))
            continue
        for row in item.rows:
            cells: list[_Cell] = []
            for cell in written_cells(row):
                text = cell.text
                line = line_of(cell.origin)
                if text.isprintable():  # one line, nothing to normalise: what clean() checks
                    if "&" not in text and "  " not in text:
                        stripped = text.strip()
                        cells.append(_Cell(stripped, text if stripped else "", line, line))
                    elif text.strip():
                        cells.append(_Cell(clean(text), text, line, line))
                    else:
                        cells.append(_Cell("", "", line, line))
                    continue
                text = normal(text)  # more than one line, or something to normalise
                if "\n" in text:
                    parts = [part for part in text.split("\n") if part.strip()] or [""]
                    text = "\n".join(parts)
                    cells.append(_Cell(clean(" ".join(parts)), text, line, line + len(parts) - 1))
                elif text.strip():
                    cells.append(_Cell(clean(text), text, line, line))
                else:
                    cells.append(_Cell("", "", line, line))
            out.append(cells)
    return out


@dataclass(slots=True)
class _Line:
    """A physical line of the stream: a cell's first line opens the cell."""

    text: str
    line: int
    opens_cell: bool


def _lines(stream: _Stream) -> list[_Line]:
    """The stream as the lines of a tab-indented export: a cell's lines, a blank after a row."""
    out: list[_Line] = []
    for item in stream:
        if isinstance(item, _Text):
            out.append(_Line(item.text, item.line, False))
            continue
        last = 0
        for cell in item:
            for offset, part in enumerate(cell.lines.split("\n")):
                out.append(_Line(part, cell.line + offset, offset == 0))
            last = cell.last + 1
        out.append(_Line("", last, False))
    return out
