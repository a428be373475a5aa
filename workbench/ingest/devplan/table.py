"""The part-4 table: its cells, its header of years and its rows.

Read from the document's blocks (a text export's tables, or the tables of a .docx, .xlsx, HTML
page or web-page text). A page break may split a row of the export in two (a blank line inside
it), so a row ends when it holds the cells its first cell calls for, not where a row of the
blocks ends; a row of the blocks may also hold two of the table's rows (a heading row and the
row under it with no blank line between).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from workbench.dataset.text import fold
from workbench.ingest.devplan.items import DIRECTION, GOAL, SPHERE, TASK, _Item
from workbench.ingest.devplan.stream import _Cell, _Stream, _Text

_YEAR_CELL = re.compile(r"^(?:19|20)\d\d(?!\d)")
_PAGE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")
_NUMBER_CELL = re.compile(r"\d+(?:\.\d+)*\.?")


@dataclass(slots=True)
class _Row:
    cells: list[_Cell] = field(default_factory=list)
    expected: int = 0  # cells of the full row (see ``_expected``), once worked out

    @property
    def line(self) -> int:
        return self.cells[0].line if self.cells else 0


@dataclass(slots=True)
class _Column:
    index: int
    year: int
    kind: str
    label: str
    key: tuple[int, str] = field(init=False)  # (year, kind): a node has one value of each

    def __post_init__(self) -> None:
        self.key = (self.year, self.kind)


@dataclass(slots=True)
class _Header:
    ncols: int
    title: int
    responsible: int
    source: int
    unit: int
    columns: list[_Column]
    end: int  # index in the stream of the first row after the header


@dataclass(slots=True)
class _HeaderAt:
    row: int  # index in the stream
    cell: int  # index of the ``№`` cell in that row
    line: int  # index (0-based) of its line in ``source.lines``


def _find_header(stream: _Stream) -> _HeaderAt | None:
    """Where the part-4 header opens: a ``№`` cell followed by the indicator's label."""
    for index, row in enumerate(stream):
        if isinstance(row, _Text):
            continue
        for at, cell in enumerate(row):
            if cell.text == "№" and any(
                re.search(r"индикатор|көрсеткіш|атауы|показател|наименован", fold(c.text))
                for c in row[at + 1 : at + 4]
            ):
                return _HeaderAt(index, at, cell.line - 1)
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


def _next_row(stream: _Stream, index: int) -> tuple[list[_Cell], int]:
    """The table row at or after ``index`` past blank paragraphs ([] at any other text)."""
    while index < len(stream):
        item = stream[index]
        if not isinstance(item, _Text):
            return item, index + 1
        if item.text.strip():
            break
        index += 1
    return [], index


def _read_header(stream: _Stream, at: _HeaderAt, period: tuple[int, int] | None) -> _Header:
    row = stream[at.row]
    assert not isinstance(row, _Text)
    labels = row[at.cell :]
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
    end = at.row + 1
    for _ in range(2):
        cells, j = _next_row(stream, end)
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
        end = j
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


def _table_rows(stream: _Stream, header: _Header) -> tuple[list[_Row], _Row | None]:
    """The body's rows, joined across the blank lines (a page break) that split one; see the
    module docs. A page number between two tables of the blocks goes on with the table."""
    rows: list[_Row] = []
    ncols = header.ncols
    row = _Row()
    cells = row.cells
    cut: _Row | None = None
    for item in stream[header.end :]:
        if isinstance(item, _Text):
            if not item.text.strip() or _PAGE_NUMBER.match(item.text):
                continue
            break  # text after the table
        for cell in item:
            count = len(cells)
            # past its first two cells a row is full at the cells its first cell calls for
            if count > 2:
                full = count >= (row.expected or _expected(row, ncols))
            else:
                full = count > 0 and _row_full(row, ncols)
            if full:
                rows.append(row)
                row = _Row()
                cells = row.cells
            cells.append(cell)
        if cells and _row_done(row, ncols):
            rows.append(row)
            row = _Row()
            cells = row.cells
    if cells:
        if not _row_done(row, ncols):
            cut = row
        rows.append(row)
    return rows, cut


def _expected(row: _Row, ncols: int) -> int:
    """Cells of a full row: one fewer when the row starts with a title, not a № cell.

    Asked as each cell is added; the answer depends on the first cell only."""
    if not row.expected:
        first = row.cells[0].text
        row.expected = ncols if not first or _NUMBER_CELL.fullmatch(first) else ncols - 1
    return row.expected


def _heading(row: _Row) -> _Item | None:
    """The item of a one-cell row or of a row of an empty № cell and one more cell."""
    if len(row.cells) == 1:
        return row.cells[0].item
    if len(row.cells) == 2 and not row.cells[0].text:
        return row.cells[1].item
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
        item = row.cells[1].item
        return item is None or item.level in (GOAL, TASK, SPHERE, DIRECTION)
    return count >= _expected(row, ncols)
