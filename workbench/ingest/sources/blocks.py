"""What every document form is read into: paragraphs and tables, each piece knowing its origin.

A form reader (text export, web-page text, HTML, .docx, .xlsx) turns a file into a
:class:`Blocks`: an ordered list of :class:`Paragraph` and :class:`Table`. The layout layer
(headings, table headers, column roles) and the family profiles read blocks, never the form, so
the same content in any form reads to the same dataset.

``Origin`` says where a piece came from so a warning can point at it: a line of a text file,
or a table, row and column of a structured file (numbers are 1-based, as a person counts).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from workbench.i18n import _

# The pieces below are values: never changed once built, compared and hashed by their fields (an
# origin is a dict key). They are not declared frozen because a frozen dataclass sets each field
# through ``object.__setattr__``, and a reader builds a cell and an origin for every place of
# every table.


@dataclass(slots=True, unsafe_hash=True)
class Origin:
    """Where a paragraph or a cell came from: a line of text, or table/row/column, or both."""

    line: int | None = None
    table: int | None = None
    row: int | None = None
    column: int | None = None
    # A workbook's own place (sheet name, cell reference such as ``B12``) and a Word body
    # paragraph's number: what a person finds in Excel or Word, beside the table/row/column.
    sheet: str | None = None
    cell: str | None = None
    paragraph: int | None = None

    def describe(self) -> str:
        """``line 12``, ``table 2, row 5, column 3``, ``sheet Лист1, cell B12`` or
        ``paragraph 7``: for warnings."""
        parts = []
        if self.line is not None:
            parts.append(_("line {number}").format(number=self.line))
        if self.sheet is not None:
            parts.append(_("sheet {name}").format(name=self.sheet))
        if self.cell is not None:
            parts.append(_("cell {reference}").format(reference=self.cell))
        else:
            if self.table is not None:
                parts.append(_("table {number}").format(number=self.table))
            if self.row is not None:
                parts.append(_("row {number}").format(number=self.row))
            if self.column is not None:
                parts.append(_("column {number}").format(number=self.column))
        if self.paragraph is not None:
            parts.append(_("paragraph {number}").format(number=self.paragraph))
        return ", ".join(parts) or _("unknown place")

    def in_document(self) -> bool:
        """Whether it names a place in the document other than a line of text."""
        return any(
            part is not None
            for part in (self.table, self.row, self.sheet, self.cell, self.paragraph)
        )


@dataclass(slots=True, unsafe_hash=True)
class Paragraph:
    """A run of text outside any table (a heading, a sentence, a list item)."""

    text: str
    origin: Origin


@dataclass(slots=True, unsafe_hash=True)
class Cell:
    """One table cell: its text (lines of a wrapped cell joined by ``\\n``) and its origin.

    A merged cell (``rowspan``/``colspan``, a vertically merged Word cell) appears once at its
    top-left place with ``rowspan``/``colspan`` > 1; the places it covers hold ``Cell`` objects
    with ``merged_from`` set to the top-left origin and the same text, so every row has one cell
    per column.
    """

    text: str
    origin: Origin
    rowspan: int = 1
    colspan: int = 1
    merged_from: Origin | None = None


@dataclass(slots=True, unsafe_hash=True)
class Row:
    cells: tuple[Cell, ...]
    origin: Origin


@dataclass(slots=True, unsafe_hash=True)
class Table:
    """Rows × cells, in document order. Rows may differ in length where the source did."""

    rows: tuple[Row, ...]
    origin: Origin
    nested_in: Origin | None = None


Block = Paragraph | Table


@dataclass(slots=True)
class Blocks:
    """A document read from one form: its blocks in order, and what the form reader noticed."""

    path: str
    form: str  # "text", "web-text", "html", "docx", "xlsx"
    sha256: str
    items: list[Block] = field(default_factory=list)
    notes: list[tuple[Origin, str]] = field(default_factory=list)

    def tables(self) -> list[Table]:
        return [item for item in self.items if isinstance(item, Table)]

    def paragraphs(self) -> list[Paragraph]:
        return [item for item in self.items if isinstance(item, Paragraph)]
