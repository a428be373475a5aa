"""Excel ``.xlsx`` workbooks → blocks, with openpyxl.

Each sheet's used range is read in order. A row with one unmerged one-line cell in the sheet's
first column and nothing else (a title or a note above or below a table), and an empty row, are
paragraphs; the runs of rows between them are tables, each as wide as its widest row, with merged
ranges laid out per blocks.py's :class:`Cell` (a short row whose last cell is merged to the
table's width reads as that short row).

Numbers are the text a person sees: the cell's number format is applied where it is a plain one
(``0.0``, ``#,##0.00``, ``0%``), a float's binary noise is not shown (``100.6``, never
``100.60000000000001``) and a date is shown as a date; text cells stay as typed.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time

from lxml import etree
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

from workbench.errors import DocumentError
from workbench.i18n import _
from workbench.ingest.sources.blocks import Blocks, Origin, Paragraph, Table
from workbench.ingest.sources.grid import column_letters, expand

_DECIMALS = re.compile(r"^[#,0]*\.?(0*)(%?)$")
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_COLUMN = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")


def read_xlsx(data: bytes, *, path: str, sha256: str) -> Blocks:
    """Blocks of an .xlsx workbook, one sheet after another; DocumentError when it is damaged."""
    try:
        sheets = list(_sheets(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, etree.XMLSyntaxError) as exc:
        raise DocumentError(
            path, _("read as an .xlsx workbook, but it is damaged ({exc})").format(exc=exc)
        ) from None
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


def _sheets(data: bytes) -> Iterator[_Sheet]:
    """The workbook's sheets read from its XML parts directly (the package layout of ECMA-376).

    openpyxl's full workbook model built a cell object (and a merged-cell object for every place a
    merged range covers) with its styles for every cell, which made reading the slowest step of
    an .xlsx; only values, number formats and merged ranges are needed here.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = set(package.namelist())
        workbook = etree.fromstring(package.read("xl/workbook.xml"))
        properties = workbook.find(f"{_MAIN}workbookPr")
        epoch = CALENDAR_WINDOWS_1900
        if properties is not None and properties.get("date1904") in ("1", "true"):
            epoch = CALENDAR_MAC_1904
        targets: dict[str, str] = {}
        if "xl/_rels/workbook.xml.rels" in names:
            for rel in etree.fromstring(package.read("xl/_rels/workbook.xml.rels")):
                target = rel.get("Target", "")
                targets[rel.get("Id", "")] = (
                    target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
                )
        strings = _shared_strings(package, names)
        formats = _number_formats(package, names)
        for sheet in workbook.iter(f"{_MAIN}sheet"):
            part = targets.get(sheet.get(f"{_REL}id", ""), "")
            if part in names:
                yield _sheet(package.read(part), sheet.get("name", ""), strings, formats, epoch)


def _text(element: etree._Element) -> str:
    """The text of a string item: its ``t`` elements, leaving out phonetic runs (``rPh``)."""
    return "".join(
        node.text or ""
        for node in element.iter(f"{_MAIN}t")
        if node.getparent() is not None and node.getparent().tag != f"{_MAIN}rPh"  # type: ignore[union-attr]
    )


def _shared_strings(package: zipfile.ZipFile, names: set[str]) -> list[str]:
    if "xl/sharedStrings.xml" not in names:
        return []
    root = etree.fromstring(package.read("xl/sharedStrings.xml"))
    return [_text(item) for item in root.iter(f"{_MAIN}si")]


def _number_formats(package: zipfile.ZipFile, names: set[str]) -> list[str]:
    """Each cell style's number format code, by style index."""
    if "xl/styles.xml" not in names:
        return []
    root = etree.fromstring(package.read("xl/styles.xml"))
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
    xml: bytes, name: str, strings: list[str], formats: list[str], epoch: datetime
) -> _Sheet:
    sheet = _Sheet(name)
    root = etree.fromstring(xml)
    rows: set[int] = set()
    columns: set[int] = set()
    next_row = 0
    for row in root.iter(f"{_MAIN}row"):
        next_row = int(row.get("r") or next_row + 1)
        next_column = 0
        for cell in row.iter(f"{_MAIN}c"):
            reference = cell.get("r")
            match = _COLUMN.match(reference) if reference else None
            if match:
                column = _column_index(match.group(1))
                next_row = int(match.group(2))
            else:
                column = next_column + 1
            next_column = column
            rows.add(next_row)
            columns.add(column)
            value = _value(cell, strings, formats, epoch)
            if value.strip():
                sheet.cells.setdefault(next_row, []).append((column, value))
    for merge in root.iter(f"{_MAIN}mergeCell"):
        min_col, min_row, max_col, max_row = range_boundaries(merge.get("ref", ""))
        if None not in (min_col, min_row, max_col, max_row):
            bounds = (int(min_col or 0), int(min_row or 0), int(max_col or 0), int(max_row or 0))
            sheet.merges.append(bounds)
            rows.update((bounds[1], bounds[3]))
            columns.update((bounds[0], bounds[2]))
    if rows:
        sheet.min_row, sheet.max_row = min(rows), max(rows)
        sheet.min_column, sheet.max_column = min(columns), max(columns)
    return sheet


def _place(sheet: _Sheet, row: int, column: int) -> Origin:
    """A row of the sheet outside its tables, naming the sheet and the cell (``A12``)."""
    return Origin(row=row, sheet=sheet.name, cell=f"{column_letters(column)}{row}")


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index


def _value(cell: etree._Element, strings: list[str], formats: list[str], epoch: datetime) -> str:
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        inline = cell.find(f"{_MAIN}is")
        return "" if inline is None else _text(inline)
    node = cell.find(f"{_MAIN}v")
    raw = None if node is None else node.text
    if raw is None:
        return ""
    if kind == "s":
        return strings[int(raw)]
    if kind in ("str", "e"):
        return raw
    if kind == "b":
        return cell_text(raw.strip() not in ("0", "false"))
    style = int(cell.get("s", "0"))
    number_format = formats[style] if style < len(formats) else "General"
    if kind == "d":
        return cell_text(datetime.fromisoformat(raw))
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
    first_col = sheet.min_column
    grid = [(r, sorted(sheet.cells.get(r, []))) for r in range(sheet.min_row, sheet.max_row + 1)]
    run: list[tuple[int, list[tuple[int, str]]]] = []

    def close_run() -> None:
        nonlocal tables
        if not run:
            return
        tables += 1
        width = max(
            max(c + merged.get((r, c), (1, 1))[1] - 1 for c, _ in cells) for r, cells in run
        )
        rows: list[list[tuple[str, int, int]]] = []
        for r, cells in run:
            texts = dict(cells)
            out: list[tuple[str, int, int]] = []
            last = max(c + merged.get((r, c), (1, 1))[1] - 1 for c, _ in cells)
            for c in range(first_col, max(last, width) + 1):
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

    for r, cells in grid:
        lone = (
            len(cells) == 1
            and cells[0][0] == first_col
            and (r, first_col) not in merged
            and "\n" not in cells[0][1]
        )
        if not cells and not any((r, c) in covered for c in range(first_col, first_col + 1)):
            close_run()
            blocks.items.append(Paragraph("", _place(sheet, r, first_col)))
        elif lone:
            close_run()
            blocks.items.append(Paragraph(cells[0][1], _place(sheet, r, first_col)))
        elif cells or any((r, c) in covered for c in range(first_col, sheet.max_column + 1)):
            run.append((r, cells or [(first_col, "")]))
    close_run()
    return tables
