"""Part 2, ``Іс-шаралар орындау``: activities, with the money their texts name."""

from __future__ import annotations

from workbench.dataset.text import fold
from workbench.i18n import _
from workbench.ingest.report.amounts import _BUDGET_CODES, _cell_amount, _text_amounts
from workbench.ingest.report.cells import (
    _INDICATOR_CODE,
    _blocks,
    _Cell,
    _joined,
    _one_line,
    _paragraphs,
    _Row,
    _Rows,
    _text,
)
from workbench.ingest.report.outline import _Outline
from workbench.ingest.report.parts import _Part


def _read_activities(outline: _Outline, part: _Part) -> int | None:
    width = 6
    rows = _Rows(width)
    for block in _blocks(outline.units[part.start : part.end], outline.placed):
        if len(block.cells) == 1 and not block.loose_start:
            cell = block.cells[0]
            if outline.heading_of(block.cells[0]) is not None:
                _emit_activity(outline, rows.flush())
                outline.heading(cell)
                continue
            pending = rows.pending
            if (pending is None or len(pending.cells) >= width) and _is_subgroup(cell):
                _emit_activity(outline, rows.flush())
                _subgroup(outline, cell)
                continue
        _emit_activity(outline, rows.feed(block))
    last = rows.flush()
    incomplete = last is not None and len(last.cells) < width and part.end == len(outline.units)
    _emit_activity(outline, last, cut=incomplete)
    return last.last_line if incomplete and last is not None else None


def _subgroup(outline: _Outline, cell: _Cell) -> None:
    builder = outline.builder
    title = cell.value()
    parent = outline.goal or outline.section or outline.direction
    key = (parent or "", fold(title))
    node = outline.tasks.get(key)
    if node is None:
        node = builder.add_node("task", title, parent=parent, line=cell.line)
        outline.tasks[key] = node
    outline.task = node


def _emit_activity(outline: _Outline, row: _Row | None, *, cut: bool = False) -> None:
    if row is None:
        return
    builder = outline.builder
    cells = row.cells
    if len(cells) > 6:
        cells = [*cells[:5], _joined(cells[5:])]
    number = _text(cells[0]).rstrip(".)") if cells else ""
    title = _text(cells[1]) if len(cells) > 1 else ""
    if number and not _INDICATOR_CODE.match(number):
        if len(cells) <= 5:
            # The row has no number cell at all: the title came first.
            cells = [_Cell("", row.first_line), *cells]
            number, title = "", _text(cells[1])
        else:
            number, title = "", f"{number} {title}".strip()
    unit = _text(cells[2]) if len(cells) > 2 else ""
    form = _text(cells[3]) if len(cells) > 3 else ""
    responsible = _text(cells[4]) if len(cells) > 4 else ""
    report = _paragraphs(cells[5]) if len(cells) > 5 else ""
    parent = outline.task or outline.goal or outline.section or outline.direction
    if parent is None:
        outline.warn(row.first_line, _("activity row before any goal heading ('Мақсат …')"))
    if len(cells) < 5 and not cut:
        outline.warn(
            row.first_line,
            _(
                "activity row has {len} of 6 cells (№, activity, unit, completion form, "
                "responsible, execution)"
            ).format(len=len(cells)),
        )
    node = builder.add_node(
        "activity", title, parent=parent, code=number or None, line=row.first_line
    )
    year = builder.meta.report_year
    amount_cell = _cell_amount(unit)
    funding_raw: str | None = None
    measures: str | None = unit or None
    if amount_cell is not None:
        funding_raw, measures = unit, None
        if year is not None:
            builder.add_funding(
                node_id=node,
                year=year,
                source=None,
                kind="plan",
                amount=amount_cell,
                amount_raw=unit,
                line=cells[2].line,
            )
    sources: list[str] = []
    if year is not None and report:
        for (source, kind), (amount, raws) in _text_amounts(report, year).items():
            builder.add_funding(
                node_id=node,
                year=year,
                source=source,
                kind=kind,
                amount=amount,
                amount_raw="; ".join(raws),
                line=cells[5].line,
            )
            if source not in sources:
                sources.append(source)
    builder.add_activity(
        node,
        title=title,
        measures=measures,
        responsible=None if responsible in ("-", "–", "—") else responsible,
        funding_raw=funding_raw,
        funding_sources=[code for code in _BUDGET_CODES if code in sources],
        completion_form=form or None,
        report=_one_line(report) or None,
    )


def _is_subgroup(cell: _Cell) -> bool:
    """A lone cell in part 2 that names a group of activities (short, not a sentence)."""
    text = cell.value()
    return bool(text) and len(text) <= 120 and not text.endswith(".") and "\n" not in cell.text
