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
import re
import zipfile
from datetime import date, datetime, time

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from workbench.errors import DocumentError
from workbench.ingest.sources.blocks import Blocks, Origin, Paragraph, Table
from workbench.ingest.sources.grid import expand

_DECIMALS = re.compile(r"^[#,0]*\.?(0*)(%?)$")


def read_xlsx(data: bytes, *, path: str, sha256: str) -> Blocks:
    """Blocks of an .xlsx workbook, one sheet after another; DocumentError when it is damaged."""
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise DocumentError(path, f"read as an .xlsx workbook, but it is damaged ({exc})") from None
    except Exception as exc:  # openpyxl raises many types for a broken package
        raise DocumentError(
            path, f"read as an .xlsx workbook, but it cannot be opened ({type(exc).__name__})"
        ) from None
    blocks = Blocks(path=path, form="xlsx", sha256=sha256)
    tables = 0
    for sheet in workbook.worksheets:
        tables = _read_sheet(sheet, blocks, tables)
    return blocks


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


def _read_sheet(sheet: Worksheet, blocks: Blocks, tables: int) -> int:
    merged: dict[tuple[int, int], tuple[int, int]] = {}  # top-left -> (rowspan, colspan)
    covered: set[tuple[int, int]] = set()
    for bounds in sheet.merged_cells.ranges:
        merged[(bounds.min_row, bounds.min_col)] = (
            bounds.max_row - bounds.min_row + 1,
            bounds.max_col - bounds.min_col + 1,
        )
        for r in range(bounds.min_row, bounds.max_row + 1):
            for c in range(bounds.min_col, bounds.max_col + 1):
                if (r, c) != (bounds.min_row, bounds.min_col):
                    covered.add((r, c))
    first_col = sheet.min_column
    grid: list[tuple[int, list[tuple[int, str]]]] = []
    for row in sheet.iter_rows():
        filled = [
            (cell.column, cell_text(cell.value, cell.number_format))
            for cell in row
            if cell.value is not None and isinstance(cell.column, int)
        ]
        grid.append((int(row[0].row or 0) if row else 0, [(c, t) for c, t in filled if t.strip()]))
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
        table: Table = expand(rows, table=tables)
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
            blocks.items.append(Paragraph("", Origin(row=r)))
        elif lone:
            close_run()
            blocks.items.append(Paragraph(cells[0][1], Origin(row=r)))
        elif cells or any((r, c) in covered for c in range(first_col, sheet.max_column + 1)):
            run.append((r, cells or [(first_col, "")]))
    close_run()
    return tables
