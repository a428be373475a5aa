"""Word ``.docx`` files → blocks, from the package's main document part.

The body is read in order: paragraphs and tables as they stand, and those inside content
controls (``w:sdt``). A cell merged across columns (``gridSpan``) or down rows (``vMerge``) is
laid out per blocks.py's :class:`Cell`. A table inside a cell becomes a table of its own,
``nested_in`` that cell, right after its table. A cell's paragraphs are the lines of its text; a
paragraph's line breaks and tabs are kept. Body paragraphs are numbered as Word counts them, so a
warning can name one.

A paragraph's text is the text of every ``w:t`` inside it, in order: plain runs, hyperlinks,
fields (``w:fldSimple``), inline content controls and inserted text alike; deleted text
(``w:delText``) and field codes (``w:instrText``) are not ``w:t`` and stay out. A run's ``w:tab``
is a tab and its ``w:br``/``w:cr`` a line break; a tab stop of the paragraph's properties (also
``w:tab``) is not text. Of alternate content (``mc:AlternateContent``: a text box as a Word
2010 shape and as VML, a check box as a symbol and as a glyph) one copy is read, the fallback a
reader of no particular extension is meant to use, or the first choice where there is none.

Only ``word/document.xml`` is parsed, with lxml, and walked directly: python-docx parsed every
part of the package (styles, settings, themes) into its own element classes and looked each
row's cells and each cell's properties up through them, which made reading the slowest step of a
.docx. The element names and their defaults are those of ECMA-376 (python-docx writes the test
copies).
"""

from __future__ import annotations

from lxml import etree

from workbench.errors import DocumentError
from workbench.i18n import _
from workbench.ingest.sources.blocks import Blocks, Origin, Paragraph, Table
from workbench.ingest.sources.grid import expand
from workbench.ingest.sources.package import Package

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_P = f"{_W}p"
_TBL = f"{_W}tbl"
_TR = f"{_W}tr"
_TC = f"{_W}tc"
_R = f"{_W}r"
_SDT = f"{_W}sdt"
_SDT_CONTENT = f"{_W}sdtContent"
_VAL = f"{_W}val"
_T = f"{_W}t"
_TAB = f"{_W}tab"
_BREAKS = (f"{_W}br", f"{_W}cr")
_TEXT = (_T, _TAB, *_BREAKS)
_TEXT_BOX = f"{_W}txbxContent"


def read_docx(data: bytes, *, path: str, sha256: str) -> Blocks:
    """Blocks of a Word .docx file; DocumentError when it is damaged."""
    package = Package(
        data, path=path, damaged=_("read as a Word .docx file, but it is damaged ({exc})")
    )
    try:
        root = package.xml("word/document.xml")
    finally:
        package.close()
    body = root.find(f"{_W}body")
    if body is None:
        raise DocumentError(
            path, _("read as a Word .docx file, but it is damaged (it has no body)")
        )
    blocks = Blocks(path=path, form="docx", sha256=sha256)
    reader = _Reader(blocks, root)
    texts = reader.texts
    items = blocks.items
    for element in _content(body):
        text = texts.get(element)  # every paragraph has its text; a table has none
        if text is not None:
            # body paragraphs are numbered as Word counts them (not those inside tables)
            reader.paragraphs += 1
            items.append(
                Paragraph(text, Origin(None, None, None, None, None, None, reader.paragraphs))
            )
        else:
            reader.table(element, None)
    return blocks


def _paragraph_texts(root: etree._Element) -> dict[etree._Element, str]:
    """Every paragraph's text as Word shows it, by paragraph element, from one pass over the
    document: a lookup per paragraph (lxml building an element for every run and text on the
    way) cost more than the rest of the reading.

    A run's tab and break get the text they stand for first, and alternate content keeps one
    copy. A paragraph holding paragraphs of its own (a text box) has
    all their text, as Word's text of it does; it is read on its own after the pass, which
    gives each text to the paragraph last opened before it.
    """
    for node in root.iter(_TAB, *_BREAKS):
        parent = node.getparent()
        if parent is not None and parent.tag == _R:
            node.text = "\t" if node.tag == _TAB else "\n"
    for alternate in list(root.iter(f"{_MC}AlternateContent")):
        copies = list(alternate)
        fallbacks = [copy for copy in copies if copy.tag == f"{_MC}Fallback"]
        keep = fallbacks[0] if fallbacks else next(iter(copies), None)
        for copy in copies:
            if copy is not keep:
                alternate.remove(copy)
    # Each paragraph's text is put together as the pass goes (most hold one piece of text)
    # and kept when the next paragraph opens.
    texts: dict[etree._Element, str] = {}
    paragraph: etree._Element | None = None
    joined = ""
    for node in root.iter(_P, *_TEXT):
        text = node.text
        if node.tag == _P:
            if paragraph is not None:
                texts[paragraph] = joined
            paragraph = node
            joined = ""
        elif text:
            joined = joined + text if joined else text
    if paragraph is not None:
        texts[paragraph] = joined
    for box in root.iter(_TEXT_BOX):
        for outer in box.iterancestors(_P):
            texts[outer] = "".join(
                text for text in outer.itertext(*_TEXT, with_tail=False) if isinstance(text, str)
            )
    return texts


def _content(parent: etree._Element) -> list[etree._Element]:
    """Paragraphs and tables of a body or cell, looking inside content controls."""
    out: list[etree._Element] = []
    for child in parent.iterchildren(_P, _TBL, _SDT):
        if child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                out.extend(_content(content))
        else:
            out.append(child)
    return out


def _properties(
    root: etree._Element, holder: str, names: tuple[str, ...]
) -> dict[str, dict[etree._Element, str]]:
    """Each named property of a row or cell, by the row or cell element (kept alive by the dict,
    so lxml gives the same proxy when the walk reaches it): one pass over the document instead
    of a lookup in every cell."""
    found: dict[str, dict[etree._Element, str]] = {name: {} for name in names}
    wanted = {f"{_W}{name}": name for name in names}
    for node in root.iter(*wanted):
        properties = node.getparent()
        if properties is None or properties.tag != f"{_W}{holder}Pr":
            continue  # a property change's old value (w:tcPrChange), not the cell's own
        owner = properties.getparent()
        if owner is not None and owner.tag == f"{_W}{holder}":
            found[wanted[node.tag]][owner] = node.get(_VAL, "")
    return found


def _number(text: str | None, default: int) -> int:
    if text is None:
        return default
    try:
        return int(text)
    except ValueError:
        return default


class _Reader:
    def __init__(self, blocks: Blocks, root: etree._Element) -> None:
        self.blocks = blocks
        self.tables = 0
        self.paragraphs = 0  # body paragraphs, as Word counts them (not those inside tables)
        self.texts = _paragraph_texts(root)
        cells = _properties(root, "tc", ("gridSpan", "vMerge"))
        self.spans = cells["gridSpan"]
        self.merges = cells["vMerge"]
        self.before = _properties(root, "tr", ("gridBefore",))["gridBefore"]

    def table(self, table: etree._Element, nested_in: Origin | None) -> None:
        self.tables += 1
        number = self.tables
        rows: list[list[tuple[str, int, int]]] = []
        nested: list[tuple[etree._Element, int, int]] = []
        spans, merges, before, texts = self.spans, self.merges, self.before, self.texts
        # vMerge: a cell continuing the one above has no text of its own; it is counted as
        # part of the top cell's rowspan, found by its grid column.
        open_merges: dict[int, tuple[int, int]] = {}  # grid column -> (row index, cell index)
        for r, tr in enumerate(table.iterchildren(_TR)):
            cells: list[tuple[str, int, int]] = []
            column = _number(before.get(tr), 0) if before else 0
            for tc in tr.iterchildren(_TC):
                given = spans.get(tc)
                span = 1 if given is None else max(1, _number(given, 1))
                merge = (merges.get(tc) or "continue") if tc in merges else None
                if merge == "continue" and column in open_merges:
                    top_row, top_index = open_merges[column]
                    text, rowspan, colspan = rows[top_row][top_index]
                    rows[top_row][top_index] = (text, rowspan + 1, colspan)
                    column += span
                    continue
                lines: list[str] = []
                # A paragraph is found by its text (a dict lookup), which costs less than
                # lxml's tag filter set up for every cell.
                for element in tc:
                    line = texts.get(element)
                    if line is not None:
                        if line.strip():
                            lines.append(line)
                        continue
                    tag = element.tag  # read once: lxml builds the name at every reading
                    if tag == _TBL:
                        nested.append((element, r + 1, len(cells) + 1))
                    elif tag == _SDT:
                        for inner in _content(element):
                            if inner.tag == _TBL:
                                nested.append((inner, r + 1, len(cells) + 1))
                            elif (line := texts[inner]).strip():
                                lines.append(line)
                if merge == "restart":
                    open_merges[column] = (r, len(cells))
                else:
                    open_merges.pop(column, None)
                cells.append(("\n".join(lines), 1, span))
                column += span
            rows.append(cells)
        laid_out: Table = expand(rows, table=number, nested_in=nested_in)
        self.blocks.items.append(laid_out)
        for inner, row, index in nested:
            written = [c for c in laid_out.rows[row - 1].cells if c.merged_from is None]
            origin = written[index - 1].origin if index <= len(written) else laid_out.origin
            self.table(inner, origin)
