"""Word ``.docx`` files → blocks, from the package's main document part.

The body is read in order: paragraphs and tables as they stand. A cell merged across columns
(``gridSpan``) or down rows (``vMerge``) is laid out per blocks.py's :class:`Cell`. A table
inside a cell becomes a table of its own, ``nested_in`` that cell, right after its table. A
cell's paragraphs are the lines of its text; a paragraph's line breaks and tabs are kept. Body
paragraphs are numbered as Word counts them, so a warning can name one.

Only ``word/document.xml`` is parsed, with lxml, and walked directly: python-docx parsed every
part of the package (styles, settings, themes) into its own element classes and looked each
row's cells and each cell's properties up through them, which made reading the slowest step of a
.docx. The element names and their defaults are those of ECMA-376 (python-docx writes the test
copies).
"""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from workbench.errors import DocumentError
from workbench.i18n import _
from workbench.ingest.sources.blocks import Blocks, Origin, Paragraph, Table
from workbench.ingest.sources.grid import expand

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P = f"{_W}p"
_TBL = f"{_W}tbl"
_TR = f"{_W}tr"
_TC = f"{_W}tc"
_SDT = f"{_W}sdt"
_SDT_CONTENT = f"{_W}sdtContent"
_VAL = f"{_W}val"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def read_docx(data: bytes, *, path: str, sha256: str) -> Blocks:
    """Blocks of a Word .docx file; DocumentError when it is damaged."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            root = etree.fromstring(package.read("word/document.xml"), _PARSER)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, etree.XMLSyntaxError) as exc:
        raise DocumentError(
            path, _("read as a Word .docx file, but it is damaged ({exc})").format(exc=exc)
        ) from None
    body = root.find(f"{_W}body")
    if body is None:
        raise DocumentError(
            path, _("read as a Word .docx file, but it is damaged (it has no body)")
        )
    blocks = Blocks(path=path, form="docx", sha256=sha256)
    reader = _Reader(blocks)
    for element in _content(body):
        if element.tag == _P:
            reader.paragraph(element)
        else:
            reader.table(element, None)
    return blocks


_TEXT = {f"{_W}t": None, f"{_W}tab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n"}


def paragraph_text(element: etree._Element) -> str:
    """A paragraph's text as Word shows it: its runs' text, tabs and line breaks."""
    parts: list[str] = []
    for node in element.iter(*_TEXT):
        parts.append(_TEXT[node.tag] or node.text or "")
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


def _property(element: etree._Element, properties: str, name: str) -> etree._Element | None:
    holder = element.find(f"{_W}{properties}")
    return None if holder is None else holder.find(f"{_W}{name}")


def _number(element: etree._Element | None, default: int) -> int:
    if element is None:
        return default
    try:
        return int(element.get(_VAL, default))
    except ValueError:
        return default


class _Reader:
    def __init__(self, blocks: Blocks) -> None:
        self.blocks = blocks
        self.tables = 0
        self.paragraphs = 0  # body paragraphs, as Word counts them (not those inside tables)

    def paragraph(self, element: etree._Element) -> None:
        self.paragraphs += 1
        origin = Origin(paragraph=self.paragraphs)
        self.blocks.items.append(Paragraph(paragraph_text(element), origin))

    def table(self, table: etree._Element, nested_in: Origin | None) -> None:
        self.tables += 1
        number = self.tables
        rows: list[list[tuple[str, int, int]]] = []
        nested: list[tuple[etree._Element, int, int]] = []
        # vMerge: a cell continuing the one above has no text of its own; it is counted as
        # part of the top cell's rowspan, found by its grid column.
        open_merges: dict[int, tuple[int, int]] = {}  # grid column -> (row index, cell index)
        for r, tr in enumerate(table.iterchildren(_TR)):
            cells: list[tuple[str, int, int]] = []
            column = _number(_property(tr, "trPr", "gridBefore"), 0)
            for tc in tr.iterchildren(_TC):
                span = max(1, _number(_property(tc, "tcPr", "gridSpan"), 1))
                vmerge = _property(tc, "tcPr", "vMerge")
                merge = None if vmerge is None else vmerge.get(_VAL, "continue")
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
                        nested.append((element, r + 1, len(cells) + 1))
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
