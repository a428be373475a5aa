"""The part-4 table: its cells, its header of years and its rows.

A blank line may fall inside a row of the export, so a row ends when it holds the cells its
first cell calls for, not at the first blank line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from workbench.dataset.text import clean, fold
from workbench.ingest.devplan.items import DIRECTION, GOAL, SPHERE, TASK, _classify, _Item

_YEAR_CELL = re.compile(r"^(?:19|20)\d\d(?!\d)")
_PAGE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")
_NUMBER_CELL = re.compile(r"\d+(?:\.\d+)*\.?")


@dataclass(slots=True)
class _Cell:
    parts: list[str]
    line: int
    _text: str | None = None

    def add(self, text: str) -> None:
        """Text that continues this cell on the next physical line."""
        self.parts.append(text)
        self._text = None

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = clean(" ".join(self.parts))
        return self._text


@dataclass(slots=True)
class _Row:
    cells: list[_Cell] = field(default_factory=list)

    @property
    def line(self) -> int:
        return self.cells[0].line if self.cells else 0

    def texts(self) -> list[str]:
        return [cell.text for cell in self.cells]


@dataclass(slots=True)
class _Column:
    index: int
    year: int
    kind: str
    label: str


@dataclass(slots=True)
class _Header:
    ncols: int
    title: int
    responsible: int
    source: int
    unit: int
    columns: list[_Column]
    end: int  # index of the first line after the header


def _blank(line: str) -> bool:
    """A line with nothing in it (a line holding only a tab is an empty cell, not a blank)."""
    return "\t" not in line and not line.strip()


def _split_cells(line: str) -> tuple[str, list[str]]:
    """A physical line as (text continuing the open cell, texts of cells it opens)."""
    pieces = line.split("\t")
    return pieces[0], pieces[1:]


def _read_group(lines: Sequence[str], start: int) -> tuple[list[_Cell], int]:
    """Cells of the blank-line separated group that starts at or after ``start``."""
    i = start
    while i < len(lines) and _blank(lines[i]):
        i += 1
    cells: list[_Cell] = []
    while i < len(lines) and not _blank(lines[i]):
        head, opened = _split_cells(lines[i])
        if head.strip() and cells:
            cells[-1].add(head)
        for piece in opened:
            cells.append(_Cell([piece], i + 1))
        i += 1
    return cells, i


def _find_header(lines: Sequence[str]) -> int | None:
    """Index of the line that opens the part-4 header (a ``№`` cell before ``Индикатор``)."""
    for i, line in enumerate(lines):
        if line.startswith("\t") and line.split("\t", 2)[1].strip() == "№":
            cells, _ = _read_group(lines, i)
            if any(
                re.search(r"индикатор|көрсеткіш|атауы|показател|наименован", fold(c.text))
                for c in cells[1:4]
            ):
                return i
    return None


def _column_kind(label: str, position: int) -> str:
    folded = fold(label)
    if re.search(r"ағымдағы|текущ|бағалау|оценк|күтілет|ожидаем", folded):
        return "estimate"
    if re.search(r"есепті|отчетн", folded):
        return "fact"
    if re.search(r"жоспар|план|нысана|целев", folded):
        return "plan"
    return ("fact", "estimate")[position] if position < 2 else "plan"


def _read_header(lines: Sequence[str], start: int, period: tuple[int, int] | None) -> _Header:
    labels, i = _read_group(lines, start)
    texts = [fold(c.text) for c in labels]

    def find(pattern: str, default: int) -> int:
        for index, text in enumerate(texts):
            if re.search(pattern, text):
                return index
        return default

    title = find(r"индикатор|көрсеткіш|атауы|показател|наименован", 1)
    responsible = find(r"жауапты|ответствен|орындаушы", 2)
    source = find(r"ақпарат|источник", 3)
    unit = find(r"өлш|бірл|ед\.|единиц", 4)
    first_value = max(title, responsible, source, unit) + 1
    years: list[tuple[int, int]] = []
    ncols = len(labels)
    end = i
    for _ in range(2):
        cells, j = _read_group(lines, i)
        if not cells:
            break
        found = [
            (index, int(c.text[:4])) for index, c in enumerate(cells) if _YEAR_CELL.match(c.text)
        ]
        if len(found) >= 2 and not years:
            years = found
        elif not all(re.fullmatch(r"\d{1,2}|", c.text) for c in cells):
            break
        ncols = max(ncols, len(cells))
        i = end = j
    columns: list[_Column] = []
    if years:
        for position, (index, year) in enumerate(years):
            label = labels[min(index, len(labels) - 1)].text if index >= first_value else ""
            columns.append(_Column(index, year, _column_kind(label, position), label))
    elif period is not None:
        plan_years = [period[0] - 2, period[0] - 1, *range(period[0], period[1] + 1)]
        for position, year in enumerate(plan_years):
            index = first_value + position
            label = labels[min(index, len(labels) - 1)].text
            columns.append(_Column(index, year, _column_kind(label, position), label))
    if columns:
        ncols = max(ncols, columns[-1].index + 1)
    return _Header(ncols, title, responsible, source, unit, columns, end)


def _table_rows(lines: Sequence[str], header: _Header) -> tuple[list[_Row], _Row | None]:
    """The body's rows: cells open at a tab, continue on lines without one; see module docs."""
    rows: list[_Row] = []
    row = _Row()
    cut: _Row | None = None
    blank = False
    for i in range(header.end, len(lines)):
        line = lines[i]
        if _blank(line):
            blank = True
            if row.cells and _row_done(row, header.ncols):
                rows.append(row)
                row = _Row()
            continue
        head, opened = _split_cells(line)
        if not opened:
            if blank and _PAGE_NUMBER.match(line):
                continue
            if blank or not row.cells:
                break  # text after the table
            row.cells[-1].add(head)
            continue
        if head.strip() and row.cells:
            row.cells[-1].add(head)
        for piece in opened:
            if row.cells and _row_full(row, header.ncols):
                rows.append(row)
                row = _Row()
            row.cells.append(_Cell([piece], i + 1))
        blank = False
    if row.cells:
        if not _row_done(row, header.ncols):
            cut = row
        rows.append(row)
    return rows, cut


def _expected(row: _Row, ncols: int) -> int:
    """Cells of a full row: one fewer when the row starts with a title, not a № cell."""
    first = row.cells[0].text
    return ncols if not first or _NUMBER_CELL.fullmatch(first) else ncols - 1


def _heading(row: _Row) -> _Item | None:
    """The item of a one-cell row or of a row of an empty № cell and one more cell."""
    if len(row.cells) == 1:
        return _classify(row.cells[0].text)
    if len(row.cells) == 2 and not row.cells[0].text:
        return _classify(row.cells[1].text)
    return None


def _row_full(row: _Row, ncols: int) -> bool:
    """Whether a row can take no more cells: a new cell starts the next row."""
    count = len(row.cells)
    if count <= 2:
        item = _heading(row)
        if item is None:
            return False
        return item.level == DIRECTION or (
            count == 2 and item.level in (GOAL, TASK, SPHERE, DIRECTION)
        )
    return count >= _expected(row, ncols)


def _row_done(row: _Row, ncols: int) -> bool:
    """Whether a blank line after this row ends it (a blank may fall inside a row)."""
    count = len(row.cells)
    if count == 1:
        return not _NUMBER_CELL.fullmatch(row.cells[0].text)
    if count == 2 and not row.cells[0].text:
        item = _classify(row.cells[1].text)
        return item is None or item.level in (GOAL, TASK, SPHERE, DIRECTION)
    return count >= _expected(row, ncols)
