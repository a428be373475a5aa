"""Excel ``.xlsx`` workbooks → blocks, from the package's XML parts read with lxml (openpyxl's
number-format and date helpers interpret what they hold).

Each sheet's used range is read in order. A row with one unmerged one-line cell in the sheet's
first column and nothing else (a title or a note above or below a table), and an empty row, are
paragraphs; the runs of rows between them are tables, each as wide as its widest row, with merged
ranges laid out per blocks.py's :class:`Cell` (a short row whose last cell is merged to the
table's width reads as that short row).

Numbers are the text a person sees: the cell's number format is applied where it is a plain one
(``0.0``, ``#,##0.00``, ``0%``: its decimals, without a thousands separator), a whole number
stays whole, a float's binary noise is not shown (``100.6``, never ``100.60000000000001``) and a
date is shown as a date; text cells stay as typed (a rich-text string's runs joined, its
phonetic guide left out).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from itertools import chain

from lxml import etree
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

from workbench.i18n import _
from workbench.ingest.sources.blocks import Blocks, Origin, Paragraph, Table
from workbench.ingest.sources.grid import column_letters, expand
from workbench.ingest.sources.package import Package

_DECIMALS = re.compile(r"^[#,0]*\.?(0*)(%?)$")
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# A sheet may merge up to all of its 17 billion places in one range: each merged place is laid out
# as a cell, so a workbook merging more than a plan's tables ever do is refused.
MAX_MERGED_PLACES = 1_000_000
_ROW = f"{_MAIN}row"
_CELL = f"{_MAIN}c"
_VALUE = f"{_MAIN}v"
_T = f"{_MAIN}t"
_ITEM = f"{_MAIN}si"
_PHONETIC = f"{_MAIN}rPh"
_COLUMN = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")


def read_xlsx(data: bytes, *, path: str, sha256: str) -> Blocks:
    """Blocks of an .xlsx workbook, one sheet after another; DocumentError when it is damaged."""
    package = Package(
        data, path=path, damaged=_("read as an .xlsx workbook, but it is damaged ({exc})")
    )
    try:
        sheets = list(_sheets(package))
    except (KeyError, ValueError, IndexError, OverflowError) as exc:
        raise package.damaged(exc) from None
    finally:
        package.close()
    blocks = Blocks(path=path, form="xlsx", sha256=sha256)
    tables = 0
    for sheet in sheets:
        tables = _read_sheet(sheet, blocks, tables)
    return blocks


@dataclass(slots=True)
class _Sheet:
    """A worksheet's filled cells as the text a person sees, and its merged ranges."""

    name: str
    cells: dict[int, list[tuple[int, str]]] = field(default_factory=dict)  # row -> (column, text)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # min_col, min_row, ...
    min_row: int = 1
    max_row: int = 0
    min_column: int = 1
    max_column: int = 1


def _sheets(package: Package) -> Iterator[_Sheet]:
    """The workbook's sheets read from its XML parts directly (the package layout of ECMA-376).

    openpyxl's full workbook model built a cell object (and a merged-cell object for every place a
    merged range covers) with its styles for every cell, which made reading the slowest step of
    an .xlsx; only values, number formats and merged ranges are needed here.
    """
    names = package.names
    workbook = package.xml("xl/workbook.xml")
    properties = workbook.find(f"{_MAIN}workbookPr")
    epoch = CALENDAR_WINDOWS_1900
    if properties is not None and properties.get("date1904") in ("1", "true"):
        epoch = CALENDAR_MAC_1904
    targets: dict[str, str] = {}
    if "xl/_rels/workbook.xml.rels" in names:
        for rel in package.xml("xl/_rels/workbook.xml.rels"):
            target = rel.get("Target", "")
            targets[rel.get("Id", "")] = (
                target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            )
    strings = _shared_strings(package)
    formats = _number_formats(package)
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        part = targets.get(sheet.get(f"{_REL}id", ""), "")
        if part in names:
            yield _sheet(package.xml(part), sheet.get("name", ""), strings, formats, epoch)


def _without_phonetics(root: etree._Element) -> etree._Element:
    """The part with its phonetic runs (``rPh``, a reading guide above East Asian text) left
    out, so a string's text is the text of all the ``t`` elements left in it."""
    for guide in list(root.iter(_PHONETIC)):
        parent = guide.getparent()
        if parent is not None:
            parent.remove(guide)
    return root


def _shared_strings(package: Package) -> list[str]:
    """The shared strings, from one pass over the part: a plain string item holds one ``t``, a
    rich-text one a ``t`` in each run."""
    if "xl/sharedStrings.xml" not in package.names:
        return []
    root = _without_phonetics(package.xml("xl/sharedStrings.xml"))
    strings: list[str] = []
    parts: list[str] = []
    for node in root.iter(_ITEM, _T):
        if node.tag == _ITEM:
            if parts:
                strings[-1] = "".join(parts)
                parts = []
            strings.append("")
        elif text := node.text:
            if not strings:
                continue  # a t outside any item: not a string of the table
            parts.append(text)
    if parts:
        strings[-1] = "".join(parts)
    return strings


def _number_formats(package: Package) -> list[str]:
    """Each cell style's number format code, by style index."""
    if "xl/styles.xml" not in package.names:
        return []
    root = package.xml("xl/styles.xml")
    custom = {
        int(fmt.get("numFmtId", "0")): fmt.get("formatCode", "General")
        for fmt in root.iter(f"{_MAIN}numFmt")
    }
    cell_xfs = root.find(f"{_MAIN}cellXfs")
    if cell_xfs is None:
        return []
    out = []
    for xf in cell_xfs.iter(f"{_MAIN}xf"):
        number = int(xf.get("numFmtId", "0"))
        out.append(custom.get(number) or BUILTIN_FORMATS.get(number, "General"))
    return out


def _sheet(
    root: etree._Element, name: str, strings: list[str], formats: list[str], epoch: datetime
) -> _Sheet:
    """A worksheet from one pass over its rows, cells, values and inline-string texts in
    document order (looking each cell's value up in the cell cost more than the rest)."""
    sheet = _Sheet(name)
    _without_phonetics(root)
    rows: set[int] = set()
    columns: set[int] = set()
    cells = sheet.cells
    row_number = column = 0
    kind: str | None = None  # the pending cell's type; None while no cell is pending
    style: str | None = None
    value: str | None = None
    inline: list[str] = []
    indexes: dict[str, int] = {}  # each column's index by its reference's letters ("$A$" too)

    data = root.find(f"{_MAIN}sheetData")
    nodes = () if data is None else data.iter(_ROW, _CELL, _VALUE, _T)
    # A cell is done when the next cell or row opens, or the sheet ends (the None at the end):
    # its text is worked out here, in the loop, rather than in a function called for each.
    for node in chain(nodes, (None,)):
        tag = None if node is None else node.tag  # read once: lxml builds it at every reading
        if tag == _T:
            text = node.text  # type: ignore[union-attr]  # read once: decoded at every reading
            if text:
                inline.append(text)
            continue
        if tag == _VALUE:
            value = node.text  # type: ignore[union-attr]
            continue
        if kind is not None:
            if kind == "inlineStr":
                text = "".join(inline)
            elif value is None:
                text = ""
            elif kind == "s":
                text = strings[int(value)]
            elif kind == "str" or kind == "e":
                text = value
            else:
                text = _value(value, kind, style, formats, epoch)
            if text.strip():
                line = cells.get(row_number)
                if line is None:
                    cells[row_number] = [(column, text)]
                else:
                    line.append((column, text))
            kind = None
        if tag == _CELL:
            reference = node.get("r")  # type: ignore[union-attr]
            if reference:
                # the letters' index is known once a reference with them was matched; the
                # digits stripped are ASCII ones, which the pattern reads the same
                letters = reference.rstrip("0123456789")
                known = indexes.get(letters)
                if known is not None and len(letters) < len(reference):
                    column = known
                    row_number = int(reference[len(letters) :])
                elif match := _COLUMN.match(reference):
                    column = _column_index(match[1])
                    indexes[reference[: match.start(2)]] = column
                    row_number = int(match[2])
                else:
                    column += 1
            else:
                column += 1
            rows.add(row_number)
            columns.add(column)
            kind = node.get("t", "n")  # type: ignore[union-attr]
            style = node.get("s")  # type: ignore[union-attr]
            value = None
            if inline:
                inline = []
        elif tag == _ROW:
            row_number = int(node.get("r") or row_number + 1)  # type: ignore[union-attr]
            column = 0
    places = 0
    for merge in root.iter(f"{_MAIN}mergeCell"):
        min_col, min_row, max_col, max_row = range_boundaries(merge.get("ref", ""))
        if None not in (min_col, min_row, max_col, max_row):
            bounds = (int(min_col or 0), int(min_row or 0), int(max_col or 0), int(max_row or 0))
            places += max(0, bounds[2] - bounds[0] + 1) * max(0, bounds[3] - bounds[1] + 1)
            if places > MAX_MERGED_PLACES:  # each place it covers becomes a cell of a table
                raise ValueError(
                    _("its merged ranges cover more than {limit} cells").format(
                        limit=f"{MAX_MERGED_PLACES:,}".replace(",", " ")
                    )
                )
            sheet.merges.append(bounds)
            rows.update((bounds[1], bounds[3]))
            columns.update((bounds[0], bounds[2]))
    if rows:
        sheet.min_row, sheet.max_row = min(rows), max(rows)
        sheet.min_column, sheet.max_column = min(columns), max(columns)
    return sheet


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index


def _value(raw: str, kind: str, style: str | None, formats: list[str], epoch: datetime) -> str:
    """The text a person sees for a number, date or boolean cell holding ``raw``."""
    if kind == "b":
        return cell_text(raw.strip() not in ("0", "false"))
    if kind == "d":
        return cell_text(datetime.fromisoformat(raw))
    index = int(style) if style else 0
    number_format = formats[index] if index < len(formats) else "General"
    number = float(raw)
    if is_date_format(number_format):
        moment = from_excel(number, epoch)
        if isinstance(moment, datetime | date):
            return cell_text(moment)
    if number.is_integer() and "." not in raw and "E" not in raw.upper():
        return cell_text(int(raw), number_format)
    return cell_text(number, number_format)


def cell_text(value: object, number_format: str = "General") -> str:
    """The text a person sees in a cell holding ``value``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.strftime("%d.%m.%Y")
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        match = _DECIMALS.match(number_format.split(";")[0].strip())
        if match and number_format != "General":
            decimals = len(match.group(1))
            if match.group(2):
                return f"{value * 100:.{decimals}f}%"
            return f"{value:.{decimals}f}"
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(round(value, 10)) if abs(value) < 1e15 else repr(value)
    return str(value)


def _read_sheet(sheet: _Sheet, blocks: Blocks, tables: int) -> int:
    merged: dict[tuple[int, int], tuple[int, int]] = {}  # top-left -> (rowspan, colspan)
    covered: set[tuple[int, int]] = set()
    for min_col, min_row, max_col, max_row in sheet.merges:
        merged[(min_row, min_col)] = (max_row - min_row + 1, max_col - min_col + 1)
        for r in range(min_row, max_row + 1):
            for c in range(min_col, max_col + 1):
                if (r, c) != (min_row, min_col):
                    covered.add((r, c))
    spanned_rows = {r for r, _ in covered} | {r for r, _ in merged}
    # The last row each row's merged ranges reach: a table goes on while one of them does
    # (a row under a merged cell belongs to its table even when it holds one cell or none).
    span_end: dict[int, int] = {}
    for (top, _column), (rowspan, _width) in merged.items():
        span_end[top] = max(span_end.get(top, top), top + rowspan - 1)
    first_col = sheet.min_column
    first_letters = column_letters(first_col)
    run: list[tuple[int, list[tuple[int, str]]]] = []

    def reach(r: int, cells: list[tuple[int, str]]) -> int:
        """The last column a row's cells reach, merged ranges included."""
        if not merged:
            return cells[-1][0]
        return max(c + merged.get((r, c), (1, 1))[1] - 1 for c, _ in cells)

    def close_run() -> None:
        nonlocal tables
        tables += 1
        width = max(reach(r, cells) for r, cells in run)
        columns = range(first_col, width + 1)
        rows: list[list[tuple[str, int, int]]] = []
        for r, cells in run:
            texts = dict(cells)
            if r not in spanned_rows:
                rows.append([(texts.get(c, ""), 1, 1) for c in columns])
                continue
            out: list[tuple[str, int, int]] = []
            for c in columns:
                if (r, c) in covered:
                    continue
                rowspan, colspan = merged.get((r, c), (1, 1))
                out.append((texts.get(c, ""), rowspan, colspan))
            rows.append(out)
        table: Table = expand(
            rows,
            table=tables,
            sheet=sheet.name,
            sheet_rows=[r for r, _ in run],
            first_column=first_col,
        )
        blocks.items.append(table)
        run.clear()

    open_until = 0  # the last row a merged range of the table being read reaches
    name = sheet.name
    filled = sheet.cells
    items = blocks.items
    r = sheet.min_row
    while r <= max(sheet.max_row, open_until):
        cells = filled.get(r)
        if cells is not None and len(cells) > 1:
            cells.sort()
        if (run and r <= open_until) or (covered and (r, first_col) in covered):
            run.append((r, cells or [(first_col, "")]))
        elif cells is None or (
            len(cells) == 1
            and cells[0][0] == first_col
            and "\n" not in cells[0][1]
            and (r, first_col) not in merged
        ):
            # a paragraph: an empty row, or a title or note in the first column alone
            if run:
                close_run()
            origin = Origin(None, None, r, None, name, first_letters + str(r))
            items.append(Paragraph("" if cells is None else cells[0][1], origin))
        else:
            run.append((r, cells))
        if run and run[-1][0] == r and span_end:
            open_until = max(open_until, span_end.get(r, 0))
        r += 1
    if run:
        close_run()
    return tables
