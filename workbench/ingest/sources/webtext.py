"""Web-page text → blocks: the text a browser or a site mirror gives for a page with tables.

Every table cell stands on its own line(s) with a ``|`` line between two cells, and the row
boundaries are lost: a table is one run of cells. Rows are rebuilt from the table's shape:

- the column count is the length of a column-number row (``1 2 3 … 12``), else the most common
  step between row-number cells (``1``, ``2.``, ``3.1``; the largest divisor of it that divides
  nearly every step, as headings across the table make steps of several rows), or else the step
  at which the cells' shapes (empty, row number, number, short or long text) repeat best;
- a table with no width of its own that starts with an empty or row-number cell goes on from
  the table before (a page break split it), and takes its width;
- two blank lines after a cell's text end a table;
- the first that many cells are the header when they are all text;
- each further row is either full (that many cells) or a heading across the table (one cell
  with the empty cells beside it, or a text after an empty number cell), whichever fits the
  shapes each column usually holds: a small dynamic programme over the run of cells.

A line between tables is a paragraph; a cell's lines are kept as the lines of its text.
"""

from __future__ import annotations

import itertools
import math
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
    width = 0  # the table before's column count
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
        above = pending
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
                    if ahead - i >= (2 if body else 3):
                        break  # two blank lines after a cell (its own one if empty) end the table
                    i = ahead
                    continue
                body.append((i + 1, lines[i]))
                i += 1
            cells.append(_cell(body, i + 1))
        if not first:
            cells = _leading_empty_cells(above, cells)
        for number, text in above:
            blocks.items.append(Paragraph(text, Origin(line=number)))
        tables += 1
        table = _table(cells, tables, width)
        width = max(len(row.cells) for row in table.rows)
        blocks.items.append(table)
    for number, text in pending:
        blocks.items.append(Paragraph(text, Origin(line=number)))
    return blocks


def _leading_empty_cells(
    above: list[tuple[int, str]], cells: list[tuple[int, str]]
) -> list[tuple[int, str]]:
    """A table starting with empty cells: the blank lines above its first bar may be empty cells
    as well as the gap before the table. Where rule cells (``---``) end the table, its cells
    fill whole rows as wide as the rule, so the blank lines short of that are cells (``above``
    loses them)."""
    rule = _rule_run([_shape(text) for _, text in cells])
    short = (rule - len(cells) % rule) % rule if rule >= 2 else 0
    blanks = 0
    while blanks < len(above) and not above[len(above) - 1 - blanks][1].strip():
        blanks += 1
    if not short or blanks <= short:
        return cells
    taken = [(number, "") for number, _ in above[len(above) - short :]]
    del above[len(above) - short :]
    return taken + cells


def _cell(lines: list[tuple[int, str]], fallback_line: int) -> tuple[int, str]:
    if not lines:
        return (fallback_line, "")
    return (lines[0][0], "\n".join(text.strip() for _, text in lines))


def _table(cells: list[tuple[int, str]], number: int, before: int) -> Table:
    texts = [text for _, text in cells]
    shapes = [_shape(text) for text in texts]
    width, whole = _width(texts, shapes, before)
    if width >= 2 and len(shapes) % width == 0 and (whole or _whole_rows(shapes, width)):
        spans = [(k, k + width) for k in range(0, len(shapes), width)]
    else:
        spans = _segment(shapes, width, texts)
    rows: list[Row] = []
    for r, (start, end) in enumerate(spans, start=1):
        row_cells = tuple(
            Cell(texts[c], Origin(line=cells[c][0], table=number, row=r, column=c - start + 1))
            for c in range(start, end)
        )
        rows.append(Row(row_cells, Origin(line=cells[start][0], table=number, row=r)))
    return Table(tuple(rows), Origin(line=cells[0][0], table=number))


_NUMBER = re.compile(r"^[-–+]?\s*[\d\s.,:%]*\d[\d\s.,:%]*$|^[-–—]$")


_RULE = re.compile(r"^:?-{2,}:?$")
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")  # a page's markup left in its text (``<p>5</p>``)


def _shape(text: str) -> str:
    """What a cell looks like: empty, a rule (``---``), a row number, a number, short or long
    text."""
    text = _TAG.sub("", text).strip()
    if not text:
        return "empty"
    if _RULE.match(text):
        return "rule"
    if _ROW_NUMBER.match(text):
        return "code"
    if _NUMBER.match(text):
        return "number"
    return "short" if len(text) <= 24 else "long"


def _width(texts: list[str], shapes: list[str], before: int) -> tuple[int, bool]:
    """The column count: the most common step between row-number cells (a heading row between
    two numbered rows lengthens only that step); without row numbers, the step at which the
    cells' shapes repeat best (a small label/value table: two)."""
    run = _column_number_run(texts)
    if run:
        return run, False
    rule = _rule_run(shapes)
    if rule >= 2 and len(shapes) % rule == 0:
        return rule, False
    numbers = [k for k, shape in enumerate(shapes) if shape == "code"]
    steps = Counter(b - a for a, b in itertools.pairwise(numbers) if b - a > 1)
    if steps and max(steps.values()) >= 2:
        mode = min(steps, key=lambda step: (-steps[step], step))
        if before > 1 and mode % before == 0 and shapes[0] in ("empty", "code"):
            return before, False  # the table before goes on (a page break split it)
        # Heading rows as wide as the table make steps of two or three rows; a width that
        # divides (nearly) every step is the row's.
        total = sum(steps.values())
        for divisor in range(mode, 1, -1):
            if mode % divisor == 0:
                share = sum(c for step, c in steps.items() if step % divisor == 0) / total
                if share >= 0.9:
                    return divisor, False
        return mode, False
    n = len(shapes)
    if shapes[0] == "empty" and numbers and numbers[0] > 0:
        # no header of its own, the row numbers in the first column: rows as wide as the
        # largest count that both the row numbers' places and the cells fill whole
        common = math.gcd(n, *numbers)
        if before > 1 and common % before == 0:
            return before, False  # the table before goes on (a page break split it)
        if common >= 3:
            return common, False
    if before > 1 and n % before == 0 and shapes[0] in ("empty", "code"):
        return (
            before,
            False,
        )  # no width or header of its own: the table before, split by a page break
    best, best_score = 2, -1.0
    for step in range(2, min(16, n // 2) + 1):
        pairs = [(shapes[i], shapes[i + step]) for i in range(n - step)]
        score = sum(a == b and a != "empty" for a, b in pairs) / max(1, len(pairs))
        if score > best_score * 1.15:
            best, best_score = step, score
    if best_score < 0.3:
        # little repeats at any step: the step dividing the cells into whole rows whose shapes
        # agree best, empty cells under empty ones counting half (a sparse table of one or two
        # filled columns)
        scored = []
        for step in range(2, n // 2 + 1):
            if n % step == 0:
                pairs = [(shapes[i], shapes[i + step]) for i in range(n - step)]
                agree = sum(1.0 if a != "empty" else 0.5 for a, b in pairs if a == b)
                scored.append((agree / len(pairs), -step))
        if scored and max(scored)[0] >= 0.3:
            return -max(scored)[1], True
        return 2 if n % 2 == 0 and n <= 12 else max(1, numbers[0] if numbers else n), False
    return best, False


def _whole_rows(shapes: list[str], width: int) -> bool:
    """Every row is whole (no headings across the table): under a rule row as wide as the table,
    or in a small table whose row numbers all stand in its first column."""
    if _rule_run(shapes) == width:
        return True
    numbers = [k for k, shape in enumerate(shapes) if shape == "code"]
    return bool(numbers) and len(shapes) <= 4 * width and all(k % width == 0 for k in numbers)


def _rule_run(shapes: list[str]) -> int:
    """How many rule cells (``---``, a Markdown table's line under a row) end the table: the
    rule row is as wide as the table, whatever the length of each cell's dashes."""
    count = 0
    for shape in reversed(shapes):
        if shape != "rule":
            break
        count += 1
    return count


def _column_number_run(texts: list[str]) -> int:
    """The length of a column-number row under a header (``1 2 3 … 12``), or 0."""
    return _column_numbers(texts)[1]


def _column_numbers(texts: list[str]) -> tuple[int, int]:
    """Where the longest column-number row (``1 2 3 … 12``, at least four) starts, and its
    length; (0, 0) when there is none."""
    best = (0, 0)
    k = 0
    while k < len(texts):
        if texts[k].strip() == "1":
            j = k
            while j + 1 < len(texts) and texts[j + 1].strip() == str(j - k + 2):
                j += 1
            if j - k + 1 >= 4 and j - k + 1 > best[1]:
                best = (k, j - k + 1)
            k = j + 1
        else:
            k += 1
    return best


def _header_rows(texts: list[str], width: int) -> list[tuple[int, int]]:
    """A header above a column-number row of the table's width, as rows: the row right above
    the numbers is full (the sub-headings, empty under the cells merged down to it), the cells
    before it are the rows above, the first of them the shorter one (cells merged across)."""
    start, length = _column_numbers(texts)
    if length != width or start > 4 * width:
        return []
    rows: list[tuple[int, int]] = [(start, start + width)]
    end = start
    while end > 0:
        begin = max(0, end - width)
        rows.insert(0, (begin, end))
        end = begin
    return rows


_HEADING = 0.9  # the cost of reading a cell as a heading across the table
_MERGED = 0.8  # the cost of reading a row as starting with a label over its first two columns


def _segment(shapes: list[str], width: int, texts: list[str]) -> list[tuple[int, int]]:
    """Rows as (start, end): the first ``width`` cells are the header (when they are all text); the
    rest are full rows or
    one-cell headings (with the empty cells beside them), whichever fits the columns' shapes
    best. The columns' shapes are learned from a first reading, then the rows read again."""
    n = len(shapes)
    head = _header_rows(texts, width)
    header = head[-1][1] if head else min(width, n)
    if not head and any(shape in ("empty", "code", "number") for shape in shapes[:header]):
        header = 0  # no header row: the table goes on from a page before, or has none
    # A first guess of each column's shapes: rows start where a number cell (a row number, or
    # empty) stands before a text a whole row before the next such place (a value may look like
    # a row number, but the cell after a row number is the row's name); failing that, at row
    # numbers, every ``width`` cells after a header, or at an empty first cell before text.
    starts = [
        i
        for i in range(header, n - 1)
        if shapes[i] in ("code", "empty") and shapes[i + 1] in ("short", "long")
    ]
    anchors = [a for a, b in itertools.pairwise([*starts, n]) if b - a >= width]
    if len(anchors) < 2 or all(shapes[a] == "empty" for a in anchors):
        anchors = [i for i in range(header, n) if shapes[i] == "code"]
    if len(anchors) < 2 and header:
        anchors = list(range(header, n, width))
    if len(anchors) < 2:
        anchors = [
            i
            for i in range(header, n - 1)
            if shapes[i] == "empty" and shapes[i + 1] in ("short", "long")
        ]
    if len(anchors) < 2:
        anchors = list(range(header, n, width))
    profile = [Counter(shapes[i + j] for i in anchors if i + j < n) for j in range(width)]
    spans: list[tuple[int, int]] = []
    for _ in range(3):
        before = spans
        spans = _best_rows(shapes, width, header, profile)
        if head:
            spans = head + spans[1:]
        profile = [Counter() for _ in range(width)]
        for start, end in spans:
            if end - start == width and start >= header:
                for j in range(width):
                    profile[j][shapes[start + j]] += 1
        if spans == before:
            break
    return spans


def _best_rows(
    shapes: list[str], width: int, header: int, profile: list[Counter[str]]
) -> list[tuple[int, int]]:
    n = len(shapes)
    totals = [sum(counter.values()) or 1 for counter in profile]

    def mismatch(j: int, shape: str) -> float:
        return 1.0 - profile[j][shape] / totals[j]

    inf = float("inf")
    cost = [inf] * (n + 1)
    choice = [0] * (n + 1)
    cost[header] = 0.0
    for i in range(header, n):
        if cost[i] == inf:
            continue
        end = min(n, i + width)
        full = cost[i] + sum(mismatch(j, shapes[i + j]) for j in range(end - i))
        if full < cost[end]:
            cost[end], choice[end] = full, i
        if shapes[i] in ("short", "long") and width > 2 and i + width - 1 <= n:
            # a label over the number and name columns (a total): one cell fewer, shifted
            merged = (
                cost[i] + _MERGED + sum(mismatch(j + 1, shapes[i + j]) for j in range(width - 1))
            )
            if merged < cost[i + width - 1]:
                cost[i + width - 1], choice[i + width - 1] = merged, i
        heading = _HEADING + (2.0 if shapes[i] in ("empty", "code", "number") else 0.0)
        spread = i + 1
        if all(shape == "empty" for shape in shapes[i + 1 : end]) and end > i + 1:
            spread = end  # a heading cell with its empty neighbours: one row
        if cost[i] + heading < cost[spread]:
            cost[spread], choice[spread] = cost[i] + heading, i
        # a heading in the second column, its number cell empty
        second = i + 2 <= n and shapes[i] == "empty" and shapes[i + 1] in ("short", "long")
        if second and cost[i] + _HEADING < cost[i + 2]:
            cost[i + 2], choice[i + 2] = cost[i] + _HEADING, i
    spans: list[tuple[int, int]] = []
    k = n
    while k > header:
        spans.append((choice[k], k))
        k = choice[k]
    if header:
        spans.append((0, header))
    return spans[::-1]
