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

from workbench.dataset.text import fold
from workbench.i18n import N_
from workbench.ingest.layout.headings import parse_heading
from workbench.ingest.layout.words import BAND_WORDS
from workbench.ingest.sources.blocks import Blocks, Cell, Origin, Paragraph, Row, Table

_ROW_NUMBER = re.compile(r"^\s*\d{1,3}(?:\.\d{1,3}){0,4}\.?\s*$")


def _is_bar(line: str) -> bool:
    return line.strip() == "|"


def _is_pipe_line(line: str) -> bool:
    """A line holding cells and the ``|`` between them (``a | b | c |``, ``| -``)."""
    stripped = line.strip()
    return stripped == "|" or " | " in line or stripped.endswith(" |") or stripped.startswith("| ")


def _split_cells(lines: Sequence[str]) -> tuple[list[str], list[int]]:
    """The lines with every cell on a line of its own and every ``|`` on its own line, and the
    line (1-based) each came from: pages give several cells on one line as well as one per line.
    """
    out: list[str] = []
    at: list[int] = []
    for number, line in enumerate(lines, start=1):
        if "|" not in line:  # most lines: a cell's text, or nothing
            out.append(line)
            at.append(number)
            continue
        stripped = line.strip()
        if stripped == "|" or not (
            " | " in line or stripped.endswith(" |") or stripped.startswith("| ")
        ):  # a bar alone, or no cells between bars (see _is_pipe_line)
            out.append(line)
            at.append(number)
            continue
        pieces = line.split("|")
        last = len(pieces) - 1
        for position, piece in enumerate(pieces):
            piece = piece.strip()
            if piece:
                out.append(piece)
                at.append(number)
            if position < last:
                out.append("|")
                at.append(number)
    return out, at


_HEADINGS = ("direction", "goal", "task")
# The first header cell of a table (``№``, ``р/с``): text in no cell above it is not its header.
_TABLE_START = re.compile(r"^(?:№|n|р/с|р/н|№\s*п/п|№\s*р/с|п/п)\s*№?$", re.IGNORECASE)


def _first_cell(lines: list[tuple[int, str]]) -> int:
    """How many of the lines right above a table's first ``|`` are paragraphs, not its first cell.

    A page prints a goal's title or a note straight above its table, with no blank line: above a
    ``№`` cell every line is a paragraph; else the leading lines that are long or headings are.
    """
    if len(lines) < 2:
        return 0
    if _TABLE_START.match(lines[-1][1].strip()):
        return len(lines) - 1
    count = 0
    while count < len(lines) - 1:
        text = lines[count][1].strip()
        heading = parse_heading(text)
        if len(text) <= 40 and (heading is None or heading.kind not in _HEADINGS):
            break
        count += 1
    return count


def read_web_text(lines: Sequence[str], *, path: str, sha256: str) -> Blocks:
    """Blocks of web-page text (``lines[0]`` is line 1)."""
    blocks = Blocks(path=path, form="web-text", sha256=sha256)
    lines_given = lines
    lines, at = _split_cells(lines)
    # Each line's kind, told once: the loop below looks at most lines several times.
    stripped = list(map(str.strip, lines))
    bar = [text == "|" for text in stripped]
    blank = [not text for text in stripped]
    pending: list[tuple[int, str]] = []  # paragraph lines not yet written (they may be a cell)
    i = 0
    n = len(lines)
    tables = 0
    width = 0  # the table before's column count
    while i < n:
        line = lines[i]
        if not bar[i]:
            pending.append((i, line))
            i += 1
            continue
        # A table: its first cell is the non-blank lines right above the first bar.
        first: list[tuple[int, str]] = []
        while pending and pending[-1][1].strip():
            first.insert(0, pending.pop())
        lead = _first_cell(first)
        above = pending + first[:lead]
        first = first[lead:]
        pending = []
        cells: list[tuple[int, str]] = [_cell(first, i)]
        ended = False
        while i < n and bar[i]:
            i += 1
            body: list[tuple[int, str]] = []
            while i < n and not bar[i]:
                if blank[i]:
                    ahead = i
                    while ahead < n and blank[ahead]:
                        ahead += 1
                    if ahead >= n or not bar[ahead]:
                        # the table ends here; a page that closes every cell with a ``|`` has
                        # no cell after its last one (an empty cell is a blank line of its own)
                        ended = not body and ahead - i < 2
                        break
                    if ahead - i >= (2 if body else 3):
                        break  # two blank lines after a cell (its own one if empty) end the table
                    i = ahead
                    continue
                if (
                    body
                    and len(cells) >= 3
                    and i + 1 < n
                    and bar[i + 1]
                    and _TABLE_START.match(lines[i].strip())
                ):
                    # text in no cell, then a new table's first cell: the table ended at the
                    # last ``|`` (a page closes every cell with one)
                    i = body[0][0]
                    ended = True
                    break
                body.append((i, lines[i]))
                i += 1
            if ended:
                break
            cells.append(_cell(body, min(i, n - 1)))
        if not first:
            cells = _leading_empty_cells(above, cells)
        for index, text in above:
            blocks.items.append(Paragraph(text, Origin(line=at[index])))
        tables += 1
        on_line = 0
        if _is_pipe_line(lines_given[at[cells[0][0]] - 1]):
            on_line = sum(1 for index, _ in cells if at[index] == at[cells[0][0]])
        table = _table([(at[index], text) for index, text in cells], tables, width, on_line)
        width = max(len(row.cells) for row in table.rows)
        blocks.items.append(table)
    for index, text in pending:
        blocks.items.append(Paragraph(text, Origin(line=at[index])))
    _note_cut(blocks, pending)
    return blocks


def _note_cut(blocks: Blocks, after: list[tuple[int, str]]) -> None:
    """A document whose last table ends in a row shorter than the table, with no text after it,
    was cut there (an excerpt, a damaged file): noted at that row's last cell."""
    if any(text.strip() for _, text in after):
        return
    items = [item for item in blocks.items if not isinstance(item, Paragraph) or item.text.strip()]
    if not items:
        return
    table = items[-1]
    if not isinstance(table, Table) or len(table.rows) < 2:
        return
    width = max(len(row.cells) for row in table.rows)
    last = table.rows[-1]
    if len(last.cells) < width:
        blocks.notes.append((last.cells[-1].origin, N_("the text ends inside a row")))


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
    if len(lines) == 1:  # most cells
        return (lines[0][0], lines[0][1].strip())
    return (lines[0][0], "\n".join(text.strip() for _, text in lines))


def _table(cells: list[tuple[int, str]], number: int, before: int, on_line: int = 0) -> Table:
    """A table of its cells; ``on_line`` is how many of them its first line holds (a page that
    gives a row per line, its cells between ``|``), which is then its width."""
    texts = [text for _, text in cells]
    numbers = _column_numbers(texts)
    flattened = _flattened_rows(cells, numbers)
    if flattened is not None:
        return _make_table(flattened, number)
    shapes = [_shape(text) for text in texts]
    width, whole = (on_line, False) if on_line >= 2 else _width(shapes, before, numbers[1])
    if width >= 2 and len(shapes) % width == 0 and (whole or _whole_rows(shapes, width)):
        spans = [(k, k + width) for k in range(0, len(shapes), width)]
    else:
        spans = _segment(shapes, width, numbers)
    return _make_table([cells[start:end] for start, end in spans], number)


_NUMBER = re.compile(r"^[-–+]?\s*[\d\s.,:%]*\d[\d\s.,:%]*$|^[-–—]$")


_RULE = re.compile(r"^:?-{2,}:?$")
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")  # a page's markup left in its text (``<p>5</p>``)


def _shape(text: str) -> str:
    """What a cell looks like: empty, a rule (``---``), a row number, a number, short or long
    text."""
    text = (_TAG.sub("", text) if "<" in text else text).strip()
    if not text:
        return "empty"
    if text[0].isalpha():  # no rule, row number or number opens with a letter
        return "short" if len(text) <= 24 else "long"
    if _RULE.match(text):
        return "rule"
    if _ROW_NUMBER.match(text):
        return "code"
    if _NUMBER.match(text):
        return "number"
    return "short" if len(text) <= 24 else "long"


def _width(shapes: list[str], before: int, run: int) -> tuple[int, bool]:
    """The column count: the length of the column-number row (``run``, 0 when there is none),
    else the most common step between row-number cells (a heading row between two numbered rows
    lengthens only that step); without row numbers, the step at which the cells' shapes repeat
    best (a small label/value table: two)."""
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
        same = sum(
            1 for a, b in zip(shapes, shapes[step:], strict=False) if a == b and a != "empty"
        )
        score = same / max(1, n - step)
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


def _column_numbers(texts: list[str]) -> tuple[int, int]:
    """Where the longest column-number row (``1 2 3 … 12``, at least four) starts, and its
    length; (0, 0) when there is none."""
    best = (0, 0)
    k = 0
    n = len(texts)
    for start in [index for index, text in enumerate(texts) if text.strip() == "1"]:
        if start < k:
            continue  # inside the run found before
        j = start
        while j + 1 < n and texts[j + 1].strip() == str(j - start + 2):
            j += 1
        if j - start + 1 >= 4 and j - start + 1 > best[1]:
            best = (start, j - start + 1)
        k = j + 1
    return best


def _header_rows(numbers: tuple[int, int], width: int) -> list[tuple[int, int]]:
    """A header above a column-number row (``numbers``: where it starts, its length) of the
    table's width, as rows: the row right above the numbers is full (the sub-headings, empty
    under the cells merged down to it), the cells before it are the rows above, the first of
    them the shorter one (cells merged across)."""
    start, length = numbers
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


def _segment(shapes: list[str], width: int, numbers: tuple[int, int]) -> list[tuple[int, int]]:
    """Rows as (start, end): the first ``width`` cells are the header (when they are all text); the
    rest are full rows or
    one-cell headings (with the empty cells beside them), whichever fits the columns' shapes
    best. The columns' shapes are learned from a first reading, then the rows read again."""
    n = len(shapes)
    head = _header_rows(numbers, width)
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
    moves = _Moves(shapes, width)
    spans: list[tuple[int, int]] = []
    for _ in range(3):
        before = spans
        spans = moves.best_rows(header, profile)
        if head:
            spans = head + spans[1:]
        full = [start for start, end in spans if end - start == width and start >= header]
        profile = [Counter([shapes[start + j] for start in full]) for j in range(width)]
        if spans == before:
            break
    return spans


class _Moves:
    """What each cell of a table can start, told once for the readings with each profile: the
    end of a full row (cut short by the end of the table), of a heading row and its cost (a
    heading cell with its empty neighbours is one row), and whether a label-merged row or a
    heading in the second column can start there."""

    def __init__(self, shapes: list[str], width: int) -> None:
        n = len(shapes)
        self.shapes = tuple(shapes)
        self.width = width
        # the first cell at or after each place that is not empty (n where none is)
        filled_from = [n] * (n + 1)
        for k in range(n - 1, -1, -1):
            filled_from[k] = k if shapes[k] != "empty" else filled_from[k + 1]
        self.ends = ends = [*range(width, n), *[n] * min(width, n)]  # i + width, or the end
        kinds = set(shapes)
        text = [shape in ("short", "long") for shape in shapes]
        heading = {
            shape: _HEADING + (2.0 if shape in ("empty", "code", "number") else 0.0)
            for shape in kinds
        }
        self.headings = list(map(heading.__getitem__, shapes))
        self.spreads = [
            ends[i] if ends[i] > i + 1 and filled_from[i + 1] >= ends[i] else i + 1
            for i in range(n)
        ]
        self.merges = [text[i] and width > 2 and i + width - 1 <= n for i in range(n)]
        self.seconds = [i + 2 <= n and shapes[i] == "empty" and text[i + 1] for i in range(n)]
        # The rows of a table repeat a few patterns of shapes: each place's full row and
        # label-merged row are named by their pattern's number, told once for all readings.
        # The patterns are shapes[i:end], shapes[i:i + width - 1] (None where no merged row
        # can start).
        patterns: dict[tuple[str, ...], int] = {}
        shaped = self.shapes
        self.full_patterns = [
            patterns.setdefault(shaped[i:end], len(patterns)) for i, end in enumerate(ends)
        ]
        self.merged_patterns = [
            patterns.setdefault(shaped[i : i + width - 1], len(patterns)) if merge else -1
            for i, merge in enumerate(self.merges)
        ]
        self.patterns = list(patterns)

    def best_rows(self, header: int, profile: list[Counter[str]]) -> list[tuple[int, int]]:
        shapes, width = self.shapes, self.width
        n = len(shapes)
        # How badly a cell fits each column: 1 − the share of the column's cells of its shape.
        kinds = set(shapes)
        misfits = []
        for counter in profile:
            total = sum(counter.values()) or 1
            misfits.append({shape: 1.0 - counter[shape] / total for shape in kinds})
        # How badly a full row starting at a cell fits, and a row whose label spans its first two
        # columns (a total): its cells' misfits, added column by column in the order a row's
        # cells are. The rows of a table repeat a few patterns of shapes: each pattern's is
        # added up once.
        patterns = self.patterns
        fulls: list[float | None] = [None] * len(patterns)  # by pattern number
        merged: list[float | None] = [None] * len(patterns)
        inf = float("inf")
        cost = [inf] * (n + 1)
        choice = [0] * (n + 1)
        cost[header] = 0.0
        moves = zip(
            range(header, n),
            self.ends[header:],
            self.spreads[header:],
            self.headings[header:],
            self.merges[header:],
            self.seconds[header:],
            self.full_patterns[header:],
            self.merged_patterns[header:],
            strict=True,
        )
        for i, end, spread, heading, merge, second, full_pattern, merged_pattern in moves:
            here = cost[i]
            if here == inf:
                continue
            full = fulls[full_pattern]
            if full is None:
                cells = patterns[full_pattern]
                if len(cells) == width:
                    full = _misfit(cells, misfits, 0)
                else:  # a row cut short by the end of the table
                    full = sum(misfits[j][shape] for j, shape in enumerate(cells))
                fulls[full_pattern] = full
            value = here + full
            if value < cost[end]:
                cost[end], choice[end] = value, i
            if merge:
                # a label over the number and name columns (a total): one cell fewer, shifted
                end = i + width - 1
                label = merged[merged_pattern]
                if label is None:
                    label = merged[merged_pattern] = _misfit(patterns[merged_pattern], misfits, 1)
                value = here + _MERGED + label
                if value < cost[end]:
                    cost[end], choice[end] = value, i
            value = here + heading
            if value < cost[spread]:
                cost[spread], choice[spread] = value, i
            # a heading in the second column, its number cell empty
            if second and here + _HEADING < cost[i + 2]:
                cost[i + 2], choice[i + 2] = here + _HEADING, i
        spans: list[tuple[int, int]] = []
        k = n
        while k > header:
            spans.append((choice[k], k))
            k = choice[k]
        if header:
            spans.append((0, header))
        return spans[::-1]


def _misfit(cells: tuple[str, ...], misfits: list[dict[str, float]], first: int) -> float:
    """How badly cells fit the columns from ``first`` on, added column by column."""
    total = misfits[first][cells[0]]
    for column, shape in enumerate(cells[1:], start=first + 1):
        total += misfits[column][shape]
    return total


# -- a header whose rows the page flattened -------------------------------------------------------
#
# A page drops the cells a header merges: ``1 кезең`` over three years is one cell, so the
# header's cells are more than a row and fewer than two. Its rows are put back over the columns:
# the years sit over the last columns, the cells before them name the first columns one each, and
# kinds and stages (``баға``, ``1 кезең``, ``Есепті кезең``) stand over the years they cover.

_NUMBERED = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})*\.?|[ivxlc]{1,5}\.?|-|–)$", re.IGNORECASE)
_YEAR_CELL = re.compile(r"(19|20)\d\d\s*(?:ж\.?|жыл|г\.?|год)?\.?")


def _make_table(rows: list[list[tuple[int, str]]], number: int) -> Table:
    """A table of rows of (line, text) cells."""
    built = []
    for r, row in enumerate(rows, start=1):
        row_cells = [
            Cell(text, Origin(line, number, r, c)) for c, (line, text) in enumerate(row, start=1)
        ]
        built.append(Row(tuple(row_cells), Origin(row[0][0], number, r)))
    return Table(tuple(built), Origin(rows[0][0][0], number))


def _is_year(text: str) -> bool:
    return bool(_YEAR_CELL.fullmatch(fold(text).strip()))


def _flattened(header: list[tuple[int, str]]) -> bool:
    """A header that holds years under stages (``1 кезең``, ``Есепті кезең``): the page dropped
    the cells a stage merges."""
    years = any(_is_year(text) for _, text in header)
    return years and any(word in fold(text) for _, text in header for word in BAND_WORDS)


def _flattened_rows(
    cells: list[tuple[int, str]], numbers: tuple[int, int]
) -> list[list[tuple[int, str]]] | None:
    """The table's rows when its header was flattened (its cells do not fill whole rows, years
    under stages), else None: the table is read by its cells' shapes. ``numbers`` is where the
    column-number row starts and its length."""
    start, length = numbers
    if length >= 3:
        header = cells[:start]
        if len(header) % length == 0 or not _flattened(header):
            return None
        number_row = cells[start : start + length]
        body = _chunk(cells[start + length :], length, header)
        return [*_unflatten_header(header, length), number_row, *body]
    best: tuple[float, int, int] | None = None
    for split in range(2, min(len(cells), 40)):
        if not _NUMBERED.match(cells[split][1].strip()):
            continue
        header = cells[:split]
        if not _flattened(header):
            return None
        if _score(_chunk(cells[split:], split, header), split) >= 0.5:
            return None  # a header of one whole row
        for width in range(2, len(header)):
            score = _score(_chunk(cells[split:], width, header), width)
            if best is None or score > best[0] + 1e-9:
                best = (score, split, width)
    if best is None or best[0] < 0.5 or best[1] % best[2] == 0:
        return None
    _, split, width = best
    header = cells[:split]
    return [*_unflatten_header(header, width), *_chunk(cells[split:], width, header)]


def _is_heading_cell(text: str) -> bool:
    heading = parse_heading(text)
    return heading is not None and heading.kind in _HEADINGS


def _repeats_header(
    cells: list[tuple[int, str]], index: int, header: list[tuple[int, str]]
) -> bool:
    end = index + len(header)
    return (
        len(header) >= 3
        and end <= len(cells)
        and cells[index][1] == header[0][1]
        and cells[end - 1][1] == header[-1][1]
    )


def _chunk(
    cells: list[tuple[int, str]], width: int, header: list[tuple[int, str]]
) -> list[list[tuple[int, str]]]:
    """Rows of ``width`` cells; a heading cell is a row of its own (and cuts a row short), and the
    header printed again (after a task's heading, on a new page) is laid out as the header."""
    rows: list[list[tuple[int, str]]] = []
    index = 0
    while index < len(cells):
        if _repeats_header(cells, index, header):
            rows.extend(_unflatten_header(cells[index : index + len(header)], width))
            index += len(header)
            continue
        if _is_heading_cell(cells[index][1]):
            rows.append([cells[index]])
            index += 1
            continue
        row = cells[index : index + width]
        for offset in range(1, len(row)):
            if _is_heading_cell(row[offset][1]):
                row = row[:offset]
                break
        rows.append(row)
        index += len(row)
    return rows


def _score(rows: list[list[tuple[int, str]]], width: int) -> float:
    """How well rows of ``width`` cells fit: each starts with a row number, none hides one."""
    full = [row for row in rows if len(row) == width]
    if not full:
        return 0.0
    numbered = sum(1 for row in full if not row[0][1].strip() or _NUMBERED.match(row[0][1].strip()))
    hidden = sum(
        1
        for row in full
        for p in range(1, len(row) - 1)
        if _NUMBERED.match(row[p][1].strip()) and _is_name(row[p + 1][1])
    )
    return (numbered - hidden) / len(rows)


def _is_name(text: str) -> bool:
    """A name, not a number or a unit: long and mostly letters."""
    letters = sum(1 for ch in text if ch.isalpha())
    return len(text) > 15 and letters > len(text) / 2


def _unflatten_header(header: list[tuple[int, str]], width: int) -> list[list[tuple[int, str]]]:
    if len(header) <= width:
        filler = (header[-1][0], "") if header else (0, "")
        return [header + [filler] * (width - len(header))]
    years = [cell for cell in header if _is_year(cell[1])]
    others = [cell for cell in header if not _is_year(cell[1])]
    lead = width - len(years)
    if not years or lead < 0 or lead > len(others):
        return [header[:width], header[width:]]
    named, bands = others[:lead], others[lead:]
    if not bands:
        return [named + years]
    line = bands[0][0]
    top: list[tuple[int, str]] = list(named)
    for band, count in zip(bands, _spread(bands, len(years)), strict=True):
        top.extend([band] * count)
    return [top, [(line, "")] * lead + years]


def _spread(bands: list[tuple[int, str]], columns: int) -> list[int]:
    """How many year columns each stage or kind cell stands over: a single kind (``баға``) one,
    the stages (``1 кезең``) share the rest evenly, the earlier ones taking the remainder."""
    counts = [0] * len(bands)
    stages = [i for i, (_, text) in enumerate(bands) if any(w in fold(text) for w in BAND_WORDS)]
    singles = [i for i in range(len(bands)) if i not in stages]
    remaining = columns
    for i in singles:
        if remaining > 0:
            counts[i] = 1
            remaining -= 1
    if stages:
        share, extra = divmod(remaining, len(stages))
        for k, i in enumerate(stages):
            counts[i] = share + (1 if k < extra else 0)
    elif singles:
        counts[singles[-1]] += remaining
    return counts
