"""HTML pages and fragments → blocks, with lxml's HTML parser (never regular expressions).

Scripts, styles and other non-content elements are dropped. Block elements (``p``, headings,
list items, ``div``…) and ``<br>`` end a paragraph; text is taken as a browser shows it (runs of
source whitespace are one space). Tables become :class:`Table` with ``rowspan``/``colspan``
expanded; a table inside a cell becomes a table of its own, ``nested_in`` that cell, placed after
the table that holds it. A cell's paragraphs and line breaks are the lines of its text.
"""

from __future__ import annotations

import re
from typing import cast

import lxml.html
from lxml import etree

from workbench.errors import DocumentError
from workbench.i18n import _
from workbench.ingest.sources.blocks import Blocks, Origin, Paragraph, Table
from workbench.ingest.sources.grid import expand

_DROPPED = ("script", "style", "noscript", "template", "head", "title", "meta", "link", "iframe")
_BLOCK = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "div",
        "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
        "h5", "h6", "header", "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section",
        "summary", "ul",
    }
)  # fmt: skip
_SPACE = re.compile(r"[ \t\r\n\f]+")


def read_html(text: str, *, path: str, sha256: str) -> Blocks:
    """Blocks of an HTML page or fragment."""
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise DocumentError(
            path, _("read as HTML, but it cannot be parsed ({exc})").format(exc=exc)
        ) from None
    for element in list(root.iter(*_DROPPED, etree.Comment, etree.ProcessingInstruction)):
        cast(lxml.html.HtmlElement, element).drop_tree()
    reader = _Reader(Blocks(path=path, form="html", sha256=sha256))
    reader.walk(root)
    reader.flush()
    return reader.blocks


class _Reader:
    def __init__(self, blocks: Blocks) -> None:
        self.blocks = blocks
        self.buffer: list[str] = []
        self.pre = 0
        self.tables = 0
        self.line: int | None = None

    def text(self, piece: str | None) -> None:
        if piece:
            self.buffer.append(piece if self.pre else _SPACE.sub(" ", piece))

    def flush(self, *, empty_paragraph: bool = False) -> None:
        """Emit the buffered text as paragraphs (an empty ``<p>`` is an empty paragraph)."""
        text = "".join(self.buffer)
        self.buffer = []
        lines = [line.strip(" ") for line in text.split("\n")]
        written = False
        for line in lines:
            if line:
                self.blocks.items.append(Paragraph(line, Origin(line=self.line)))
                written = True
        if empty_paragraph and not written:
            self.blocks.items.append(Paragraph("", Origin(line=self.line)))

    def walk(self, element: etree._Element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "table":
            self.flush()
            self.table(element, None)
            self.text(element.tail)
            return
        if tag == "br":
            self.buffer.append("\n")
            self.text(element.tail)
            return
        block = tag in _BLOCK
        if block:
            self.flush()
            line = getattr(element, "sourceline", None)
            self.line = line if isinstance(line, int) else None
        if tag == "pre":
            self.pre += 1
        self.text(element.text)
        for child in element:
            self.walk(child)
        if tag == "pre":
            self.pre -= 1
        if block:
            self.flush(empty_paragraph=tag == "p")
        self.text(element.tail)

    def table(self, element: etree._Element, nested_in: Origin | None) -> None:
        self.tables += 1
        number = self.tables
        rows: list[list[tuple[str, int, int]]] = []
        nested: list[tuple[etree._Element, int, int]] = []
        for tr in _own_rows(element):
            cells: list[tuple[str, int, int]] = []
            for cell in tr:
                if not isinstance(cell.tag, str) or cell.tag not in ("td", "th"):
                    continue
                cells.append((_cell_text(cell), _span(cell, "rowspan"), _span(cell, "colspan")))
                nested.extend((inner, len(rows) + 1, len(cells)) for inner in _own_tables(cell))
            rows.append(cells)
        table: Table = expand(rows, table=number, nested_in=nested_in)
        self.blocks.items.append(table)
        for inner, row, index in nested:
            cell_origin = _column_of(table, row, index)
            self.table(inner, cell_origin)


def _column_of(table: Table, row: int, index: int) -> Origin:
    """The origin of the ``index``-th cell written in ``row`` (covered places skipped)."""
    written = [c for c in table.rows[row - 1].cells if c.merged_from is None]
    return written[min(index, len(written)) - 1].origin if written else table.origin


def _own_rows(table: etree._Element) -> list[etree._Element]:
    rows: list[etree._Element] = []
    for child in table:
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            rows.extend(row for row in child if row.tag == "tr")
    return rows


def _own_tables(cell: etree._Element) -> list[etree._Element]:
    """Tables directly inside a cell (not inside a table nested deeper)."""
    found: list[etree._Element] = []
    for element in cell.iterdescendants("table"):
        if not any(a is not cell and a.tag in ("td", "th") for a in _ancestors(element, cell)):
            found.append(element)
    return found


def _ancestors(element: etree._Element, stop: etree._Element) -> list[etree._Element]:
    out: list[etree._Element] = []
    parent = element.getparent()
    while parent is not None and parent is not stop:
        out.append(parent)
        parent = parent.getparent()
    return out


def _span(cell: etree._Element, name: str) -> int:
    try:
        return max(1, min(int(str(cell.get(name, "1")).strip() or 1), 1000))
    except ValueError:
        return 1


def _cell_text(cell: etree._Element) -> str:
    """A cell's text as lines (paragraphs and ``<br>``), without the tables nested in it."""
    if len(cell) == 0:  # text alone, the most common cell: one line
        return _SPACE.sub(" ", cell.text or "").strip(" ")
    reader = _CellText()
    reader.walk(cell, top=True)
    lines = [line.strip(" ") for line in "".join(reader.buffer).split("\n")]
    return "\n".join(line for line in lines if line)


class _CellText:
    def __init__(self) -> None:
        self.buffer: list[str] = []

    def walk(self, element: etree._Element, *, top: bool = False) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "table" and not top:
            self.buffer.append("\n")
            self._tail(element)
            return
        if tag == "br":
            self.buffer.append("\n")
            self._tail(element)
            return
        block = tag in _BLOCK
        if block:
            self.buffer.append("\n")
        if element.text:
            self.buffer.append(_SPACE.sub(" ", element.text))
        for child in element:
            self.walk(child)
        if block:
            self.buffer.append("\n")
        if not top:
            self._tail(element)

    def _tail(self, element: etree._Element) -> None:
        if element.tail:
            self.buffer.append(_SPACE.sub(" ", element.tail))
