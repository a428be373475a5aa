"""HTML pages and fragments → blocks, with lxml's HTML parser (never regular expressions).

Scripts, styles and other non-content elements are dropped. Block elements (``p``, headings,
list items, ``div``…) and ``<br>`` end a paragraph; text is taken as a browser shows it (runs of
source whitespace are one space). Tables become :class:`Table` with ``rowspan``/``colspan``
expanded; a table inside a cell becomes a table of its own, ``nested_in`` that cell, placed after
the table that holds it. A cell's paragraphs and line breaks are the lines of its text.
"""

from __future__ import annotations

from collections.abc import Container

from lxml import etree

from workbench.errors import DocumentError
from workbench.i18n import _
from workbench.ingest.sources.blocks import Blocks, Cell, Origin, Paragraph, Row, Table
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
_CELLS = frozenset({"td", "th"})
_LEAF_BLOCKS = _BLOCK - {"pre"}  # read by _Reader.leaf when they hold no element
# The most places (cells and the places merged cells cover) one table may have: far more than any
# plan's table, far fewer than would exhaust memory.
MAX_TABLE_PLACES = 500_000


def _collapse(text: str) -> str:
    """Runs of source whitespace as one space, as a browser shows them."""
    # Most text holds single spaces alone and is returned as it is: substituting each space was
    # most of the reading, and ``in`` finds the others faster than a pattern over Cyrillic text,
    # as ``replace`` replaces faster than the pattern: each other space becomes a space, then
    # each run of spaces one.
    if "  " in text or "\n" in text or "\t" in text or "\r" in text or "\f" in text:
        if not text.strip(" \n\t\r\f"):
            return " "  # the source's line breaks and indents between elements
        for space in "\n\t\r\f":
            if space in text:
                text = text.replace(space, " ")
        while "  " in text:
            text = text.replace("  ", " ")
    return text


def read_html(text: str, *, path: str, sha256: str) -> Blocks:
    """Blocks of an HTML page or fragment."""
    # lxml's own element classes are not needed here (only tags, text and attributes are read),
    # and a parser of plain elements skips their lookup for every element; comments and
    # processing instructions are left out as the page is parsed.
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(text, parser)
    except (etree.ParserError, ValueError) as exc:
        raise DocumentError(
            path, _("read as HTML, but it cannot be parsed ({exc})").format(exc=exc)
        ) from None
    if root is None:
        raise DocumentError(
            path,
            _("read as HTML, but it cannot be parsed ({exc})").format(exc="Document is empty"),
        )
    etree.strip_elements(root, *_DROPPED, with_tail=False)
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
        # the origin of the paragraphs of the block element being read (one object for them
        # all: origins are immutable)
        self.origin = Origin()

    def flush(self, *, empty_paragraph: bool = False) -> None:
        """Emit the buffered text as paragraphs (an empty ``<p>`` is an empty paragraph)."""
        written = False
        buffer = self.buffer
        if buffer:
            text = "".join(buffer)
            buffer.clear()
            items = self.blocks.items
            for line in text.split("\n"):
                line = line.strip(" ")
                if line:
                    items.append(Paragraph(line, self.origin))
                    written = True
        if empty_paragraph and not written:
            self.blocks.items.append(Paragraph("", self.origin))

    def walk(self, element: etree._Element, tag: object = None) -> None:
        # An element's text and tail are read once each: lxml decodes them at every reading (as
        # its tag is built at every reading: a caller that read it passes it). A space that
        # would open the buffer is left out: it never shows, as each line's spaces are stripped
        # (the source's line breaks between blocks are such spaces).
        if tag is None:
            tag = element.tag
        buffer = self.buffer
        if tag == "table":
            self.flush()
            self.table(element, None)
        elif tag == "br":
            buffer.append("\n")
        else:
            block = tag in _BLOCK
            if block:
                if buffer:
                    self.flush()
                sourceline = element.sourceline
                line = sourceline if isinstance(sourceline, int) else None
                if line != self.origin.line:
                    self.origin = Origin(line)
            pre = tag == "pre"
            if pre:
                self.pre += 1
            text = element.text
            if text and (self.pre or (text := _collapse(text)) != " " or buffer):
                buffer.append(text)
            for child in element:
                child_tag = child.tag
                if child_tag in _LEAF_BLOCKS and not self.pre and not len(child):
                    self.leaf(child, child_tag)
                else:
                    self.walk(child, child_tag)
            if pre:
                self.pre -= 1
            if block:
                self.flush(empty_paragraph=tag == "p")
        tail = element.tail
        if tail and (self.pre or (tail := _collapse(tail)) != " " or buffer):
            buffer.append(tail)

    def leaf(self, element: etree._Element, tag: object) -> None:
        """A block element holding text alone (a ``<p>`` of a page, mostly), outside ``<pre>``:
        what :meth:`walk` does with it, without its steps for children and ``<pre>``. Its
        text, collapsed, holds no line break, so it is one paragraph at most."""
        if self.buffer:
            self.flush()
        sourceline = element.sourceline
        line = sourceline if isinstance(sourceline, int) else None
        if line != self.origin.line:
            self.origin = Origin(line)
        text = element.text
        if text and (text := _collapse(text).strip(" ")):
            self.blocks.items.append(Paragraph(text, self.origin))
        elif tag == "p":
            self.blocks.items.append(Paragraph("", self.origin))
        tail = element.tail
        if tail and (tail := _collapse(tail)) != " ":
            self.buffer.append(tail)

    def table(self, element: etree._Element, nested_in: Origin | None) -> None:
        self.tables += 1
        number = self.tables
        rows: list[list[tuple[str, int, int]]] = []
        nested: list[tuple[etree._Element, int, int]] = []
        tall = False  # a cell spans rows
        own_rows = _own_rows(element)
        places = 0
        spanning: set[int] = set()  # the rows (from 0) with a cell given a span
        for r, tr in enumerate(own_rows):
            cells: list[tuple[str, int, int]] = []
            below = len(own_rows) - r  # a cell spans no further down than the table, as shown
            for cell in tr:
                if cell.tag not in _CELLS:
                    continue
                rowspan = cell.get("rowspan")
                colspan = cell.get("colspan")
                if rowspan is not None or colspan is not None:
                    down, across = min(_span(rowspan), below), _span(colspan)
                    tall = tall or down > 1
                    places += down * across - 1  # the one place every cell has is added below
                    spanning.add(r)
                else:
                    down = across = 1
                if len(cell):
                    cells.append((_cell_text(cell), down, across))
                    nested.extend((inner, len(rows) + 1, len(cells)) for inner in _own_tables(cell))
                else:  # text alone, the most common cell: one line
                    text = cell.text
                    cells.append((_collapse(text).strip(" ") if text else "", down, across))
            rows.append(cells)
            places += len(cells)
        if places > MAX_TABLE_PLACES:
            # a few bytes of spans can ask for millions of cells: refused, not laid out
            raise DocumentError(
                self.blocks.path,
                _("read as HTML, but table {number} spans more than {limit} cells").format(
                    number=number, limit=MAX_TABLE_PLACES
                ),
            )
        table = (
            expand(rows, table=number, nested_in=nested_in)
            if tall
            else _in_rows(rows, number, nested_in, spanning)
        )
        self.blocks.items.append(table)
        for inner, row, index in nested:
            cell_origin = _column_of(table, row, index)
            self.table(inner, cell_origin)


def _in_rows(
    rows: list[list[tuple[str, int, int]]],
    number: int,
    nested_in: Origin | None,
    spanning: Container[int],
) -> Table:
    """The table :func:`grid.expand` lays out when no cell spans rows: each row's cells in order,
    a cell spanning columns followed by the places it covers. ``spanning`` holds the rows (from
    0) where a cell may span columns: the others' cells are placed one after another."""
    out: list[Row] = []
    for r, cells in enumerate(rows, start=1):
        if r - 1 not in spanning:
            placed = [
                Cell(text, Origin(None, number, r, c))
                for c, (text, _down, _across) in enumerate(cells, start=1)
            ]
            out.append(Row(tuple(placed), Origin(None, number, r)))
            continue
        placed = []
        for text, _down, across in cells:
            origin = Origin(None, number, r, len(placed) + 1)
            if across == 1:
                placed.append(Cell(text, origin))
                continue
            placed.append(Cell(text, origin, 1, across))
            for column in range(len(placed) + 1, len(placed) + across):
                placed.append(Cell(text, Origin(None, number, r, column), 1, 1, origin))
        out.append(Row(tuple(placed), Origin(None, number, r)))
    return Table(tuple(out), Origin(None, number), nested_in)


def _column_of(table: Table, row: int, index: int) -> Origin:
    """The origin of the ``index``-th cell written in ``row`` (covered places skipped)."""
    written = [c for c in table.rows[row - 1].cells if c.merged_from is None]
    return written[min(index, len(written)) - 1].origin if written else table.origin


def _own_rows(table: etree._Element) -> list[etree._Element]:
    rows: list[etree._Element] = []
    for child in table:
        tag = child.tag
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows.extend(row for row in child if row.tag == "tr")
    return rows


def _own_tables(cell: etree._Element) -> list[etree._Element]:
    """Tables directly inside a cell (not inside a table nested deeper)."""
    found: list[etree._Element] = []
    for element in cell.iterdescendants("table"):
        if not any(a is not cell and a.tag in _CELLS for a in _ancestors(element, cell)):
            found.append(element)
    return found


def _ancestors(element: etree._Element, stop: etree._Element) -> list[etree._Element]:
    out: list[etree._Element] = []
    parent = element.getparent()
    while parent is not None and parent is not stop:
        out.append(parent)
        parent = parent.getparent()
    return out


def _span(value: str | None) -> int:
    if value is None:
        return 1
    try:
        return max(1, min(int(value.strip() or 1), 1000))
    except ValueError:
        return 1


def _cell_text(cell: etree._Element) -> str:
    """A cell's text as lines (paragraphs and ``<br>``), without the tables nested in it."""
    buffer: list[str] = []
    _cell_walk(cell, buffer, top=True)
    lines = [line.strip(" ") for line in "".join(buffer).split("\n")]
    return "\n".join(line for line in lines if line)


def _cell_walk(element: etree._Element, buffer: list[str], *, top: bool = False) -> None:
    tag = element.tag
    if (tag == "table" and not top) or tag == "br":
        buffer.append("\n")
        tail = element.tail
        if tail:
            buffer.append(_collapse(tail))
        return
    block = tag in _BLOCK
    if block:
        buffer.append("\n")
    text = element.text
    if text:
        buffer.append(_collapse(text))
    for child in element:
        _cell_walk(child, buffer)
    if block:
        buffer.append("\n")
    if not top:
        tail = element.tail
        if tail:
            buffer.append(_collapse(tail))
