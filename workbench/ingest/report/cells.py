"""Cells, blocks and rows of the report's tables.

Rows are joined back from blocks by counting cells because a page break may put a blank line
inside a row; every part reads its table through the same blocks so that they agree on it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from workbench.dataset.numbers import parse_number
from workbench.dataset.text import clean
from workbench.errors import NumberParseError
from workbench.ingest.layout.placed import Placed, Unit, written_cells
from workbench.ingest.sources.blocks import Origin, Paragraph

_INDICATOR_CODE = re.compile(r"^\d+(?:\.\d+)*$")


def _unplaced(origin: Origin) -> int | None:
    return None


@dataclass(slots=True)
class _Cell:
    text: str
    # the line it starts on; None until asked (``line``), for a cell of a structured form: most
    # cells' lines are never read (a row's first cell's are, and those a value comes from)
    placed: int | None
    origin: Origin | None = field(default=None, compare=False, repr=False)
    place: Callable[[Origin], int | None] = field(default=_unplaced, compare=False, repr=False)
    loose: bool = False  # began on a line without a leading tab
    last_line: int = 0  # where it ends, when it goes on past its first line (else 0)
    # ``value()`` worked out once: a row's cells are read by several tests (heading, header,
    # number) before they are emitted; None until asked, and again when the text goes on.
    cleaned: str | None = field(default=None, compare=False, repr=False)

    @property
    def line(self) -> int:
        line = self.placed
        if line is None:
            origin = self.origin
            line = self.placed = (self.place(origin) if origin is not None else None) or 0
        return line

    def value(self) -> str:
        cleaned = self.cleaned
        if cleaned is None:
            cleaned = self.cleaned = clean(self.text)
        return cleaned


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


def _blocks(units: Sequence[Unit], placed: Placed) -> list[_Block]:
    """The report's blocks of ``units``: each table row is one; paragraphs that follow each
    other (no blank line between) are one loose block, and the row right after them joins it.

    A text export's tab inside a cell's later line starts a new cell, as Word's export means.
    """
    out: list[_Block] = []
    block: _Block | None = None  # loose paragraphs, still open
    place = placed.place
    from_text = placed.from_text
    for unit in units:
        if isinstance(unit, Paragraph):
            if not unit.text.strip():
                if block is not None:
                    out.append(block)
                    block = None
                continue
            first = place(unit.origin) or 0
            for offset, part in enumerate(unit.text.split("\n")):
                number = first + offset
                pieces = part.split("\t")
                if block is None:
                    block = _Block([_Cell(pieces[0], number, loose=True)])
                else:
                    _continue(block.cells[-1], pieces[0], number)
                block.cells.extend(_Cell(piece, number) for piece in pieces[1:])
            continue
        row = block or _Block()
        block = None
        cells = row.cells
        for cell in written_cells(unit):
            text = cell.text
            if "\n" not in text:  # most cells: one line, one cell
                if not from_text:
                    text = text.replace("\t", " ") if text.strip() else ""
                cells.append(_Cell(text, None, cell.origin, place))
                continue
            first = place(cell.origin) or 0
            if not from_text:
                text = text.replace("\t", " ")
            parts = text.split("\n")
            if not from_text:
                parts = [part for part in parts if part.strip()] or [""]
            cells.append(_Cell(parts[0], first))
            for offset, part in enumerate(parts[1:], start=1):
                pieces = part.split("\t")
                number = first + offset
                _continue(cells[-1], pieces[0], number)
                cells.extend(_Cell(piece, number) for piece in pieces[1:])
        if cells:
            out.append(row)
    if block is not None:
        out.append(block)
    return out


def _text(cell: _Cell | None) -> str:
    return cell.value() if cell is not None else ""


def _paragraphs(cell: _Cell | None) -> str:
    """A cell's text with its line breaks kept (each line cleaned)."""
    if cell is None:
        return ""
    if "\n" not in cell.text:
        return cell.value()
    return "\n".join(filter(None, map(clean, cell.text.split("\n"))))


def _one_line(paragraphs: str) -> str:
    """``_paragraphs``' text for a column the builder keeps in one line: its line breaks made
    spaces here, so that the builder's cleaning of it (which makes them spaces too) is the quick
    one. Not with an entity in it: an escape sequence it decodes to could end at a line break."""
    return paragraphs.replace("\n", " ") if "&" not in paragraphs else paragraphs


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
                _continue(pending.cells[-1], cells[0].text, cells[0].last_line or cells[0].line)
                pending.cells.extend(cells[1:])
                return None
        elif block.loose_start:
            _continue(pending.cells[-1], cells[0].text, cells[0].last_line or cells[0].line)
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


def _continue(cell: _Cell, text: str, last_line: int) -> None:
    """``cell``'s text goes on with ``text``, up to line ``last_line``."""
    cell.text = f"{cell.text}\n{text}" if cell.text.strip() else text
    cell.cleaned = None
    cell.last_line = last_line


def _joined(cells: list[_Cell]) -> _Cell:
    text = "\n".join(c.text for c in cells if c.text.strip())
    return _Cell(text, cells[0].line, last_line=cells[-1].last_line or cells[-1].line)


# A plain number (digits, one decimal mark): parse_number reads it as a number without a unit;
# a test without the parser's work, for the cells most rows are made of.
_PLAIN_NUMBER = re.compile(r"[0-9]{1,15}(?:[.,][0-9]{1,15})?")


def _number_value(text: str) -> float | None:
    """``parse_number(text).value``; a plain number read at once."""
    if _PLAIN_NUMBER.fullmatch(text):
        return float(text.replace(",", "."))
    return parse_number(text).value


def _bare_number(text: str) -> bool:
    if _PLAIN_NUMBER.fullmatch(text):
        return True
    try:
        number = parse_number(text)
    except NumberParseError:
        return False
    return number.value is not None and number.unit is None
