"""Web-page text → blocks: the text a browser or a site mirror gives for a page with tables.

Every table cell stands on its own line(s) with a ``|`` line between two cells, and the row
boundaries are lost: a table is one run of cells. Rows are rebuilt from the table's shape:

- the column count is the most common step between row-number cells (``1``, ``2.``, ``3.1``),
  and the header is the first that many cells;
- a row starts at a row-number cell or an empty cell and is that many cells long;
- any other cell starts a one-cell heading row (``Бағыт: Экономика``) when the next cell starts a
  row of its own (a row number) or a heading row is followed only by empty cells up to the width
  (a heading cell across the row with its empty neighbours); else it starts a full row.

A line between tables is a paragraph; a cell's lines are kept as the lines of its text.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence

from workbench.ingest.sources.blocks import Blocks, Cell, Origin, Paragraph, Row, Table

_ROW_NUMBER = re.compile(r"^\s*\d{1,3}(?:\.\d{1,3}){0,4}\.?\s*$")


def _is_bar(line: str) -> bool:
    return line.strip() == "|"


def read_web_text(lines: Sequence[str], *, path: str, sha256: str) -> Blocks:
    """Blocks of web-page text (``lines[0]`` is line 1)."""
    blocks = Blocks(path=path, form="web-text", sha256=sha256)
    pending: list[tuple[int, str]] = []  # paragraph lines not yet written (they may be a cell)
    i = 0
    n = len(lines)
    tables = 0
    while i < n:
        line = lines[i]
        if not _is_bar(line):
            pending.append((i + 1, line))
            i += 1
            continue
        # A table: its first cell is the non-blank lines right above the first bar.
        first: list[tuple[int, str]] = []
        while pending and pending[-1][1].strip():
            first.insert(0, pending.pop())
        for number, text in pending:
            blocks.items.append(Paragraph(text, Origin(line=number)))
        pending = []
        cells: list[tuple[int, str]] = [_cell(first, i + 1)]
        while i < n and _is_bar(lines[i]):
            i += 1
            body: list[tuple[int, str]] = []
            while i < n and not _is_bar(lines[i]):
                if not lines[i].strip():
                    ahead = i
                    while ahead < n and not lines[ahead].strip():
                        ahead += 1
                    if ahead >= n or not _is_bar(lines[ahead]):
                        break  # the table ends here
                    i = ahead
                    continue
                body.append((i + 1, lines[i]))
                i += 1
            cells.append(_cell(body, i + 1))
        tables += 1
        blocks.items.append(_table(cells, tables))
    for number, text in pending:
        blocks.items.append(Paragraph(text, Origin(line=number)))
    return blocks


def _cell(lines: list[tuple[int, str]], fallback_line: int) -> tuple[int, str]:
    if not lines:
        return (fallback_line, "")
    return (lines[0][0], "\n".join(text.strip() for _, text in lines))


def _table(cells: list[tuple[int, str]], number: int) -> Table:
    texts = [text for _, text in cells]
    width = _width(texts)
    spans: list[tuple[int, int]] = [(0, min(width, len(texts)))]
    k = spans[0][1]
    while k < len(texts):
        text = texts[k]
        if _ROW_NUMBER.match(text) or not text.strip():
            end = k + width
        else:
            following = texts[k + 1 : k + width]
            if following and len(following) == width - 1 and not any(t.strip() for t in following):
                end = k + width
            elif k + 1 >= len(texts) or _ROW_NUMBER.match(texts[k + 1]) or _heading_next(texts, k):
                end = k + 1
            else:
                end = k + width
        spans.append((k, min(end, len(texts))))
        k = min(end, len(texts))
    rows: list[Row] = []
    for r, (start, end) in enumerate(spans, start=1):
        row_cells = tuple(
            Cell(texts[c], Origin(line=cells[c][0], table=number, row=r, column=c - start + 1))
            for c in range(start, end)
        )
        rows.append(Row(row_cells, Origin(line=cells[start][0], table=number, row=r)))
    return Table(tuple(rows), Origin(line=cells[0][0], table=number))


def _width(texts: list[str]) -> int:
    """The column count: the most common step between row-number cells (a heading row between
    two numbered rows lengthens only that step), else the cells before the first number."""
    numbers = [k for k, text in enumerate(texts) if _ROW_NUMBER.match(text)]
    steps = Counter(b - a for a, b in itertools.pairwise(numbers) if b - a > 1)
    if steps:
        return min(steps, key=lambda step: (-steps[step], step))
    return max(1, numbers[0] if numbers else len(texts))


def _heading_next(texts: list[str], k: int) -> bool:
    """The cell after ``k`` is a heading too: a full row from ``k`` would hold no row number
    where one is due and its cells would not look like a row's values."""
    nxt = texts[k + 1]
    return len(nxt) > 60 and not any(_ROW_NUMBER.match(t) for t in texts[k + 2 : k + 3])
