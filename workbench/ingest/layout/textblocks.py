"""Text exports → blocks, for the layout layer: tab rows, tab-indented cells and web-page text.

Three shapes of plain text carry tables:

* a row per line, cells separated by tabs (a Word table saved as text);
* a cell per line, indented by a tab, rows separated by blank lines (the samples' export);
* web-page text, where every cell stands on its own line (or several cells on one line) with
  ``|`` between cells and the row boundaries lost. Rows are rebuilt from the column count: the
  column-number row (``1 2 3 … 9``) when printed, else the count that makes most rows start with
  a row number; a heading standing alone in the cell stream (``4.3.5.1. міндет ...``) is a row of
  its own, and a header flattened into the stream is put back into rows over its columns.

Every cell knows its line, so warnings point at it.
"""

from __future__ import annotations

import re

from workbench.dataset.text import clean, fold
from workbench.ingest.document import Source
from workbench.ingest.layout.headings import parse_heading
from workbench.ingest.layout.words import BAND_WORDS
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
        if _is_pipe_line(line) or (index + 1 < len(lines) and lines[index + 1].strip() == "|"):
            index = _read_pipe_table(lines, index, blocks)
            blocks.form = "web-text"
        elif line.startswith("\t") and len([c for c in line.split("\t") if c.strip()]) <= 1:
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
                    "the text ends inside a row",
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
                    "the text ends inside a row",
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


# -- web-page text ------------------------------------------------------------------------------


def _is_pipe_line(line: str) -> bool:
    stripped = line.strip()
    return stripped == "|" or " | " in line or stripped.endswith(" |") or stripped.startswith("| ")


_TABLE_START = re.compile(r"^(?:№|n|р/с|р/н|№\s*п/п|№\s*р/с|п/п)\s*№?$", re.IGNORECASE)


def _read_pipe_table(lines: tuple[str, ...], start: int, blocks: Blocks) -> int:
    """Read cells up to where the ``|`` stream ends; rebuild rows; add the table.

    The stream ends at a blank line with no separator close after it, or where a new table's
    first header cell (``№`` followed by a separator) comes after text that is in no cell: that
    text is paragraphs between two tables (a note, the next goal's heading).
    """
    cells: list[tuple[str, int]] = []
    pending: list[tuple[str, int]] = []  # lines of the cell being read
    index = start
    cut = False
    while index < len(lines):
        line = lines[index]
        if "|" not in line:
            if not line.strip():
                ahead = lines[index + 1 : index + 4]
                if not any("|" in later for later in ahead):
                    break
            elif (
                len(cells) >= 3
                and pending  # text in no cell stands between: a new table, not a header again
                and _TABLE_START.match(line.strip())
                and index + 1 < len(lines)
                and lines[index + 1].strip() == "|"
            ):
                break  # the next table starts here
            if line.strip():
                pending.append((line.strip(), index + 1))
            index += 1
            continue
        pieces = line.split("|")
        for position, piece in enumerate(pieces):
            if piece.strip():
                pending.append((piece.strip(), index + 1))
            if position < len(pieces) - 1:
                at = pending[0][1] if pending else index + 1
                cells.append((clean("\n".join(text for text, _ in pending)), at))
                pending = []
        index += 1
    number = _table_number(blocks)
    trailing: list[tuple[str, int]] = []
    if pending:
        if not any(line.strip() for line in lines[index:]):
            # web-page text closes every cell with "|": an open cell at the end is a cut
            cells.append((clean("\n".join(text for text, _ in pending)), pending[0][1]))
            cut = True
        else:
            trailing = pending  # text after the table's last cell, before the next block
    rows = _rebuild_rows(cells)
    if rows:
        blocks.items.append(_make_table(rows, blocks))
    if cut:
        blocks.notes.append(
            (Origin(line=cells[-1][1], table=number), "the text ends inside a cell")
        )
    for text, at in trailing:
        blocks.items.append(Paragraph(clean(text), Origin(line=at)))
    return index


def _column_number_run(cells: list[tuple[str, int]]) -> tuple[int, int] | None:
    """Where the column-number row (1 2 3 … k, k ≥ 3) starts and its length."""
    for start in range(len(cells)):
        if cells[start][0] != "1":
            continue
        k = 1
        while start + k < len(cells) and cells[start + k][0] == str(k + 1):
            k += 1
        if k >= 3:
            return start, k
    return None


def _is_heading_cell(text: str) -> bool:
    heading = parse_heading(text)
    return heading is not None and heading.kind in ("direction", "goal", "task")


def _repeats_header(
    cells: list[tuple[str, int]], index: int, header: list[tuple[str, int]]
) -> bool:
    end = index + len(header)
    return (
        len(header) >= 3
        and end <= len(cells)
        and cells[index][0] == header[0][0]
        and cells[end - 1][0] == header[-1][0]
    )


def _chunk(
    cells: list[tuple[str, int]], width: int, header: list[tuple[str, int]] | None = None
) -> list[list[tuple[str, int]]]:
    rows: list[list[tuple[str, int]]] = []
    index = 0
    while index < len(cells):
        if header and _repeats_header(cells, index, header):
            # the header printed again (after a task heading, on a new page)
            rows.extend(_unflatten_header(cells[index : index + len(header)], width))
            index += len(header)
            continue
        if _is_heading_cell(cells[index][0]):
            rows.append([cells[index]])
            index += 1
            continue
        row = cells[index : index + width]
        # a heading inside the next row's cells means this row was short: cut it there
        for offset in range(1, len(row)):
            if _is_heading_cell(row[offset][0]):
                row = row[:offset]
                break
        rows.append(row)
        index += len(row)
    return rows


def _score(rows: list[list[tuple[str, int]]], width: int) -> float:
    """How well rows of ``width`` cells fit: each starts with a row number, none hides one."""
    full = [row for row in rows if len(row) == width]
    if not full:
        return 0.0
    numbered = sum(1 for row in full if not row[0][0] or _ROW_NUMBER.match(row[0][0]))
    hidden = sum(
        1
        for row in full
        for p in range(1, len(row) - 1)
        if _ROW_NUMBER.match(row[p][0]) and _is_text(row[p + 1][0])
    )
    return (numbered - hidden) / len(rows)


def _is_text(text: str) -> bool:
    """A name, not a number or a unit: long and mostly letters."""
    letters = sum(1 for ch in text if ch.isalpha())
    return len(text) > 15 and letters > len(text) / 2


def _is_year(text: str) -> bool:
    return bool(re.fullmatch(r"(19|20)\d\d\s*(?:ж\.?|жыл|г\.?|год)?\.?", fold(text).strip()))


def _rebuild_rows(cells: list[tuple[str, int]]) -> list[list[tuple[str, int]]]:
    if not cells:
        return []
    numbers = _column_number_run(cells)
    if numbers is not None:
        start, width = numbers
        header = cells[:start]
        body = cells[start + width :]
        number_row = cells[start : start + width]
        return [*_unflatten_header(header, width), number_row, *_chunk(body, width, header)]
    # No column numbers: the header ends at the first row number. A header of one row has as
    # many cells as the rows under it; a flattened header of several rows has more.
    best: tuple[float, int, int] | None = None
    for split in range(2, min(len(cells), 40)):
        if not _ROW_NUMBER.match(cells[split][0]):
            continue
        header = cells[:split]
        body = cells[split:]
        if _score(_chunk(body, split, header), split) >= 0.5:
            return [header, *_chunk(body, split, header)]
        for width in range(2, len(header)):
            score = _score(_chunk(body, width, header), width)
            if best is None or score > best[0] + 1e-9:
                best = (score, split, width)
    if best is None or best[0] == 0:
        return [[cell] for cell in cells]
    _, split, width = best
    header = cells[:split]
    return [*_unflatten_header(header, width), *_chunk(cells[split:], width, header)]


def _unflatten_header(header: list[tuple[str, int]], width: int) -> list[list[tuple[str, int]]]:
    """Put a header whose rows were flattened into one stream back over its ``width`` columns.

    The cells of the last rows that are years sit over the last columns; the cells before them
    that are not kinds or stages (``баға``, ``1 кезең``, ``Есепті кезең``) name the first
    columns one each; kinds and stages stand over the year columns, spread in order.
    """
    if len(header) <= width:
        return [header + [("", header[-1][1] if header else 0)] * (width - len(header))]
    years = [cell for cell in header if _is_year(cell[0])]
    others = [cell for cell in header if not _is_year(cell[0])]
    lead = width - len(years)
    if not years or lead < 0 or lead > len(others):
        return [header[:width], header[width:]]
    named, bands = others[:lead], others[lead:]
    if not bands:
        return [named + years]
    line = bands[0][1]
    top: list[tuple[str, int]] = list(named)
    spread = _spread(bands, len(years))
    for band, count in zip(bands, spread, strict=True):
        top.extend([band] * count)
    bottom = [("", line)] * lead + years
    return [top, bottom]


def _spread(bands: list[tuple[str, int]], columns: int) -> list[int]:
    """How many year columns each stage or kind cell stands over.

    A single kind (``баға``, ``оценка``) stands over one column; stages (``1 кезең``) share the
    rest evenly, the earlier ones taking the remainder.
    """
    counts = [0] * len(bands)
    stages = [i for i, (text, _) in enumerate(bands) if any(w in fold(text) for w in BAND_WORDS)]
    singles = [i for i in range(len(bands)) if i not in stages]
    remaining = columns
    for i in singles:
        if remaining > 0:
            counts[i] = 1
            remaining -= 1
    if stages:
        share, extra = divmod(remaining, len(stages))
        for n, i in enumerate(stages):
            counts[i] = share + (1 if n < extra else 0)
    elif singles:
        counts[singles[-1]] += remaining
    return counts
