"""Cells, blocks and rows of the report's tables.

Rows are joined back from blocks by counting cells because a page break may put a blank line
inside a row; every part reads its table through the same blocks so that they agree on it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from workbench.dataset.numbers import parse_number
from workbench.dataset.text import clean, fold
from workbench.errors import NumberParseError
from workbench.ingest.document import years_in

_INDICATOR_CODE = re.compile(r"^\d+(?:\.\d+)*$")


@dataclass(slots=True)
class _Cell:
    text: str
    line: int
    loose: bool = False  # began on a line without a leading tab
    last_line: int = 0

    def value(self) -> str:
        return clean(self.text)


@dataclass(slots=True)
class _Block:
    """Lines between two blank lines: the cells they hold, in order."""

    cells: list[_Cell] = field(default_factory=list)

    @property
    def loose_start(self) -> bool:
        return bool(self.cells) and self.cells[0].loose

    @property
    def first_line(self) -> int:
        return self.cells[0].line

    @property
    def last_line(self) -> int:
        return max(c.last_line or c.line for c in self.cells)


def _blocks(lines: Sequence[str], start: int, end: int) -> list[_Block]:
    """Cells of lines[start:end] grouped into blocks (0-based slice; cells carry 1-based lines)."""
    out: list[_Block] = []
    block: _Block | None = None
    for index in range(start, end):
        line = lines[index]
        number = index + 1
        if line.startswith("\t"):
            if block is None:
                block = _Block()
            for piece in line.split("\t")[1:]:
                block.cells.append(_Cell(piece, number, last_line=number))
        elif not line.strip():
            if block is not None:
                out.append(block)
                block = None
        else:
            pieces = line.split("\t")
            if block is None:
                block = _Block([_Cell(pieces[0], number, loose=True, last_line=number)])
            else:
                cell = block.cells[-1]
                cell.text = f"{cell.text}\n{pieces[0]}" if cell.text.strip() else pieces[0]
                cell.last_line = number
            for piece in pieces[1:]:
                block.cells.append(_Cell(piece, number, last_line=number))
    if block is not None:
        out.append(block)
    return out


def _text(cell: _Cell | None) -> str:
    return cell.value() if cell is not None else ""


def _paragraphs(cell: _Cell | None) -> str:
    """A cell's text with its line breaks kept (each line cleaned)."""
    if cell is None:
        return ""
    lines = [clean(line) for line in cell.text.split("\n")]
    return "\n".join(line for line in lines if line)


@dataclass(slots=True)
class _Row:
    cells: list[_Cell]

    @property
    def first_line(self) -> int:
        return self.cells[0].line

    @property
    def last_line(self) -> int:
        return max(c.last_line or c.line for c in self.cells)


class _Rows:
    """Joins blocks into rows of ``width`` cells (a page break may split a row in two)."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.pending: _Row | None = None

    def feed(self, block: _Block) -> _Row | None:
        """Take a block; return a finished row when the block starts a new one."""
        cells = list(block.cells)
        pending = self.pending
        if pending is None:
            self.pending = _Row(cells)
            return None
        have = len(pending.cells)
        if have < self.width:
            if have + len(cells) <= self.width:
                pending.cells.extend(cells)
                return None
            if block.loose_start and have + len(cells) - 1 <= self.width:
                _continue(pending.cells[-1], cells[0])
                pending.cells.extend(cells[1:])
                return None
        elif block.loose_start:
            _continue(pending.cells[-1], cells[0])
            rest = cells[1:]
            if not rest:
                return None
            self.pending = _Row(rest)
            return pending
        self.pending = _Row(cells)
        return pending

    def flush(self) -> _Row | None:
        row, self.pending = self.pending, None
        return row


def _continue(cell: _Cell, more: _Cell) -> None:
    cell.text = f"{cell.text}\n{more.text}" if cell.text.strip() else more.text
    cell.last_line = more.last_line or more.line


def _joined(cells: list[_Cell]) -> _Cell:
    text = "\n".join(c.text for c in cells if c.text.strip())
    return _Cell(text, cells[0].line, last_line=cells[-1].last_line)


def _bare_number(text: str) -> bool:
    try:
        number = parse_number(text)
    except NumberParseError:
        return False
    return number.value is not None and number.unit is None


def _table_header(block: _Block, words: tuple[str, ...]) -> list[str] | None:
    """The folded cells of a header row holding every one of ``words`` (each in some cell)."""
    if len(block.cells) < 3 or any(len(c.text) > 160 for c in block.cells):
        return None
    cells = [fold(c.value()) for c in block.cells if not c.loose]
    if len(cells) < 3 or any(len(c) > 80 or _bare_number(c) for c in cells):
        return None
    if all(any(word in cell for cell in cells) for word in words):
        return cells
    return None


def _first_year(text: str) -> int | None:
    years = years_in(text)
    return years[0] if years else None
