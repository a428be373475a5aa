"""Text exports → blocks, for the layout layer: tab rows and tab-indented cells.

Two shapes of plain text carry tables:

* a row per line, cells separated by tabs (a Word table saved as text);
* a cell per line, indented by a tab, rows separated by blank lines (the samples' export).

Web-page text (cells between ``|``) is a form of its own, read by
:mod:`workbench.ingest.sources.webtext`: its rows are rebuilt there, in one place.

Every cell knows its line, so warnings point at it.
"""

from __future__ import annotations

import re

from workbench.dataset.text import clean
from workbench.i18n import N_
from workbench.ingest.document import Source
from workbench.ingest.sources.blocks import Blocks, Cell, Origin, Paragraph, Row, Table

_YEAR = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")
_ROW_NUMBER = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})*\.?|[ivxlc]{1,5}\.?|-|–)$", re.IGNORECASE)


def blocks_from_source(source: Source) -> Blocks:
    """The paragraphs and tables of a decoded text document."""
    blocks = Blocks(path=source.path, form="text", sha256=source.sha256)
    lines = source.lines
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("\t") and len([c for c in line.split("\t") if c.strip()]) <= 1:
            index = _read_indented_table(lines, index, blocks)
        elif "\t" in line.strip("\t") and len([c for c in line.split("\t") if c.strip()]) >= 2:
            index = _read_tab_table(lines, index, blocks)
        else:
            if line.strip():
                blocks.items.append(Paragraph(clean(line), Origin(line=index + 1)))
            index += 1
    return blocks


def _table_number(blocks: Blocks) -> int:
    return len(blocks.tables()) + 1


def _make_table(rows: list[list[tuple[str, int]]], blocks: Blocks) -> Table:
    number = _table_number(blocks)
    built = []
    for r, row in enumerate(rows, start=1):
        cells = tuple(
            Cell(text, Origin(line=line, table=number, row=r, column=c))
            for c, (text, line) in enumerate(row, start=1)
        )
        built.append(Row(cells, Origin(line=row[0][1] if row else None, table=number, row=r)))
    first = rows[0][0][1] if rows and rows[0] else None
    return Table(tuple(built), Origin(line=first, table=number))


def _read_tab_table(lines: tuple[str, ...], start: int, blocks: Blocks) -> int:
    rows: list[list[tuple[str, int]]] = []
    index = start
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            # a blank line inside a table is kept only when the table goes on after it
            if index + 1 < len(lines) and "\t" in lines[index + 1]:
                index += 1
                continue
            break
        if "\t" not in line:
            if rows and rows[-1]:
                # a wrapped cell: the line continues the last cell of the row above
                text, at = rows[-1][-1]
                rows[-1][-1] = (f"{text}\n{line.strip()}", at)
                index += 1
                continue
            break
        rows.append([(clean(cell), index + 1) for cell in line.split("\t")])
        index += 1
    if rows:
        width = max(len(row) for row in rows)
        at_end = not any(line.strip() for line in lines[index:])
        if at_end and len(rows) > 1 and len(rows[-1]) < width:
            blocks.notes.append(
                (
                    Origin(line=rows[-1][0][1], table=_table_number(blocks)),
                    N_("the text ends inside a row"),
                )
            )
        blocks.items.append(_make_table(rows, blocks))
    return index


def _read_indented_table(lines: tuple[str, ...], start: int, blocks: Blocks) -> int:
    rows: list[list[tuple[str, int]]] = []
    current: list[tuple[str, int]] = []
    index = start
    blank_run = 0
    while index < len(lines):
        line = lines[index]
        if not line.strip() and not line.startswith("\t"):  # a lone tab is an empty cell
            blank_run += 1
            if current:
                rows.append(current)
                current = []
            if blank_run > 3:
                break
            index += 1
            continue
        if not line.startswith("\t"):
            if current:
                text, at = current[-1]
                current[-1] = (f"{text}\n{line.strip()}", at)
                index += 1
                continue
            break
        blank_run = 0
        current.append((clean(line), index + 1))
        index += 1
    if current:
        rows.append(current)
    rows = _join_split_rows(rows)
    if rows:
        width = max(len(row) for row in rows)
        at_end = not any(line.strip() for line in lines[index:])
        if at_end and len(rows) > 1 and 1 < len(rows[-1]) < width:
            blocks.notes.append(
                (
                    Origin(line=rows[-1][-1][1], table=_table_number(blocks)),
                    N_("the text ends inside a row"),
                )
            )
        blocks.items.append(_make_table(rows, blocks))
    return index


_NUMBER_CELL = re.compile(r"^[-–—]?$|^[-+−]?\d[\d \u00a0]*(?:[.,]\d+)?\s*%?$")


def _join_split_rows(rows: list[list[tuple[str, int]]]) -> list[list[tuple[str, int]]]:
    """Join a row's values that the export put after a blank line back onto their row.

    A row that ends in text and is short of the table's width, followed by a run of numbers
    that fills exactly the missing cells, is one row split in two (a wrapped cell, a page).
    """
    width = max((len(row) for row in rows), default=0)
    out: list[list[tuple[str, int]]] = []
    for row in rows:
        previous = out[-1] if out else None
        if (
            previous is not None
            and len(previous) + len(row) == width
            and len(previous) >= 2
            and not _NUMBER_CELL.match(previous[-1][0])
            and all(_NUMBER_CELL.match(text) for text, _ in row)
        ):
            previous.extend(row)
            continue
        out.append(list(row))
    return out
