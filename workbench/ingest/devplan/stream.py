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
from workbench.ingest.document import Source
from workbench.ingest.sources.blocks import Paragraph
from workbench.ingest.sources.render import written_cells


@dataclass(slots=True)
class _Cell:
    parts: list[str]  # its lines
    line: int
    _text: str | None = None

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = clean(" ".join(self.parts))
        return self._text


@dataclass(frozen=True, slots=True)
class _Text:
    """One line of a paragraph outside the tables (blank for an empty paragraph)."""

    text: str
    line: int


# A table row of the blocks (the cells a blank line ends in a text export), or a paragraph line.
_Item = list[_Cell] | _Text
_Stream = list[_Item]


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
            out.append(
                [
                    _Cell(_parts(normal(cell.text)), line_of(cell.origin))
                    for cell in written_cells(row)
                ]
            )
    return out


def _parts(text: str) -> list[str]:
    """A cell's lines, without the empty ones (an empty cell is one empty line)."""
    if "\n" not in text:
        return [text if text.strip() else ""]
    return [part for part in text.split("\n") if part.strip()] or [""]


@dataclass(frozen=True, slots=True)
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
            for offset, part in enumerate(cell.parts):
                out.append(_Line(part, cell.line + offset, offset == 0))
            last = cell.line + len(cell.parts)
        out.append(_Line("", last, False))
    return out
