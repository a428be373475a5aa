"""Word ``.docx`` files → blocks, with python-docx.

The body is read in order: paragraphs and tables as they stand. A cell merged across columns
(``gridSpan``) or down rows (``vMerge``) is laid out per blocks.py's :class:`Cell`. A table
inside a cell becomes a table of its own, ``nested_in`` that cell, right after its table. A
cell's paragraphs are the lines of its text; a paragraph's line breaks and tabs are kept.
"""

from __future__ import annotations

import io
import zipfile
from typing import cast

import docx
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tbl
from docx.table import Table as DocxTable
from lxml import etree

from workbench.errors import DocumentError
from workbench.ingest.sources.blocks import Blocks, Origin, Paragraph, Table
from workbench.ingest.sources.grid import expand

_P = qn("w:p")
_TBL = qn("w:tbl")
_TC = qn("w:tc")
_SDT = qn("w:sdt")
_SDT_CONTENT = qn("w:sdtContent")


def read_docx(data: bytes, *, path: str, sha256: str) -> Blocks:
    """Blocks of a Word .docx file; DocumentError when it is damaged."""
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as exc:
        raise DocumentError(path, f"read as a Word .docx file, but it is damaged ({exc})") from None
    except Exception as exc:  # python-docx raises its own types for a broken package
        raise DocumentError(
            path, f"read as a Word .docx file, but it cannot be opened ({type(exc).__name__})"
        ) from None
    blocks = Blocks(path=path, form="docx", sha256=sha256)
    reader = _Reader(blocks)
    for element in _content(document.element.body):
        if element.tag == _P:
            reader.paragraph(element)
        elif element.tag == _TBL:
            reader.table(DocxTable(cast(CT_Tbl, element), document), None)
    return blocks


_TEXT = {qn("w:t"): None, qn("w:tab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n"}


def paragraph_text(element: etree._Element) -> str:
    """A paragraph's text as Word shows it: its runs' text, tabs and line breaks.

    Read from the XML directly: python-docx's ``Paragraph.text`` gives the same text but runs
    an XPath query per run, which made reading a long document's cells the slowest step.
    """
    parts: list[str] = []
    for node in element.iter(*_TEXT):
        if node.tag in _TEXT and _TEXT[node.tag] is not None:
            parts.append(_TEXT[node.tag] or "")
        else:
            parts.append(node.text or "")
    return "".join(parts)


def _content(parent: etree._Element) -> list[etree._Element]:
    """Paragraphs and tables of a body or cell, looking inside content controls."""
    out: list[etree._Element] = []
    for child in parent:
        if child.tag in (_P, _TBL):
            out.append(child)
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                out.extend(_content(content))
    return out


class _Reader:
    def __init__(self, blocks: Blocks) -> None:
        self.blocks = blocks
        self.tables = 0
        self.paragraphs = 0  # body paragraphs, as Word counts them (not those inside tables)

    def paragraph(self, element: etree._Element) -> None:
        self.paragraphs += 1
        origin = Origin(paragraph=self.paragraphs)
        self.blocks.items.append(Paragraph(paragraph_text(element), origin))

    def table(self, table: DocxTable, nested_in: Origin | None) -> None:
        self.tables += 1
        number = self.tables
        rows: list[list[tuple[str, int, int]]] = []
        nested: list[tuple[DocxTable, int, int]] = []
        # vMerge: a cell continuing the one above has no text of its own; it is counted as
        # part of the top cell's rowspan, found by its grid column.
        open_merges: dict[int, tuple[int, int]] = {}  # grid column -> (row index, cell index)
        for r, tr in enumerate(table._tbl.tr_lst):
            cells: list[tuple[str, int, int]] = []
            column = tr.grid_before
            for tc in tr.tc_lst:
                span = tc.grid_span
                merge = tc.vMerge
                if merge == "continue" and column in open_merges:
                    top_row, top_index = open_merges[column]
                    text, rowspan, colspan = rows[top_row][top_index]
                    rows[top_row][top_index] = (text, rowspan + 1, colspan)
                    column += span
                    continue
                lines: list[str] = []
                for element in _content(tc):
                    if element.tag == _P:
                        lines.append(paragraph_text(element))
                    else:
                        nested.append(
                            (DocxTable(cast(CT_Tbl, element), table), r + 1, len(cells) + 1)
                        )
                text = "\n".join(line for line in lines if line.strip())
                if merge == "restart":
                    open_merges[column] = (r, len(cells))
                else:
                    open_merges.pop(column, None)
                cells.append((text, 1, span))
                column += span
            rows.append(cells)
        laid_out: Table = expand(rows, table=number, nested_in=nested_in)
        self.blocks.items.append(laid_out)
        for inner, row, index in nested:
            written = [c for c in laid_out.rows[row - 1].cells if c.merged_from is None]
            origin = written[index - 1].origin if index <= len(written) else laid_out.origin
            self.table(inner, origin)
