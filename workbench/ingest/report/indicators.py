"""Part 1, ``Мақсатқа қол жеткізу``: indicators with their plan and fact for the report year."""

from __future__ import annotations

from workbench.dataset.numbers import parse_number
from workbench.dataset.text import fold
from workbench.errors import NumberParseError
from workbench.i18n import _
from workbench.ingest.report.cells import (
    _INDICATOR_CODE,
    _blocks,
    _Cell,
    _joined,
    _number_value,
    _one_line,
    _paragraphs,
    _Row,
    _Rows,
    _text,
)
from workbench.ingest.report.outline import _Outline
from workbench.ingest.report.parts import _Part
from workbench.ingest.report.tables import Others, indicator_header

# reported status, words over case-folded text; "not met" is tried first
_NOT_MET = (
    "орындалмад",
    "орындалмаған",
    "орындалған жоқ",
    "орындалмай",
    "қол жеткізілмед",
    "аткарылбад",
    "аткарылган жок",
    "не выполн",
    "не достигнут",
)
_MET = (
    "орындалды",
    "орындалған",
    "асыра орындал",
    "артығымен орындал",
    "қол жеткізілді",
    "аткарылды",
    "выполнен",
    "выполнено",
    "достигнут",
)


def _read_indicators(outline: _Outline, part: _Part) -> int | None:
    columns = {"code": 0, "name": 1, "unit": 2, "plan": 3, "fact": 4, "info": 5}
    width = 6
    year = report_year = outline.builder.meta.report_year
    others: list[Others] = []
    rows = _Rows(width)
    for block in _blocks(outline.units[part.start : part.end], outline.placed):
        if (
            len(block.cells) == 1
            and not block.loose_start
            and outline.heading_of(block.cells[0]) is not None
        ):
            _emit_indicator(outline, rows.flush(), columns, width, year, others)
            outline.heading(block.cells[0])
            continue
        header = indicator_header(block, report_year)
        if header is not None:
            _emit_indicator(outline, rows.flush(), columns, width, year, others)
            columns, width, header_year, others = header
            year = header_year or year
            rows = _Rows(width)
            continue
        finished = rows.feed(block)
        _emit_indicator(outline, finished, columns, width, year, others)
    last = rows.flush()
    incomplete = last is not None and len(last.cells) < width - 1 and part.end == len(outline.units)
    _emit_indicator(outline, last, columns, width, year, others, cut=incomplete)
    return last.last_line if incomplete and last is not None else None


def _emit_indicator(
    outline: _Outline,
    row: _Row | None,
    columns: dict[str, int],
    width: int,
    year: int | None,
    others: list[Others],
    *,
    cut: bool = False,
) -> None:
    if row is None:
        return
    builder = outline.builder
    cells = _fit(row.cells, columns, width)
    code_at = columns.get("code", 0)
    first = _text(cells[code_at]).rstrip(".)") if code_at < len(cells) else ""
    if first and not _INDICATOR_CODE.match(first) and len(cells) == width - 1:
        # The row has no number cell at all: the name came first.
        cells = [*cells[:code_at], _Cell("", row.first_line), *cells[code_at:]]

    def get(name: str) -> _Cell | None:
        index = columns.get(name)
        return cells[index] if index is not None and index < len(cells) else None

    code = _text(get("code")).rstrip(".)")
    name = _text(get("name"))
    if code and not _INDICATOR_CODE.match(code):
        # Not a number: part of the name.
        name, code = f"{code} {name}".strip(), ""
    parent_goal = outline.goal or outline.section or outline.direction
    if parent_goal is None:
        outline.warn(row.first_line, _("indicator row before any goal heading ('Мақсат …')"))
    scope = outline.indicators.setdefault(parent_goal or "", {})
    parent = parent_goal
    if code and "." in code:
        head = code.rsplit(".", 1)[0]
        parent = scope.get(head, parent_goal)
    node = builder.add_node(
        "indicator", name, parent=parent, code=code or None, line=row.first_line
    )
    if code:
        scope[code] = node
    else:
        scope.setdefault(f"#{node}", node)
    unit = _text(get("unit"))
    builder.add_indicator(node, unit=unit or None, title=name)
    if len(cells) < width - 1 and not cut:
        outline.warn(
            row.first_line,
            _(
                "indicator row has {len} of {width} cells (№, name, unit, plan, fact, "
                "information); values missing"
            ).format(len=len(cells), width=width),
        )
    if year is None:
        return
    info = _paragraphs(get("info"))
    status = _reported_status(info)
    plan = get("plan")
    fact = get("fact")
    if plan is not None and _text(plan):
        _value(outline, node, year, "plan", plan)
    if fact is not None and (_text(fact) or info):
        _value(outline, node, year, "fact", fact, comment=_one_line(info) or None, status=status)
    elif fact is None and info:
        outline.warn(row.first_line, _("execution text without a fact cell"))
    for index, other_year, kind in others:
        cell = cells[index] if index < len(cells) else None
        if cell is not None and _text(cell):
            _value(outline, node, other_year, kind, cell)


def _value(
    outline: _Outline,
    node: str,
    year: int,
    kind: str,
    cell: _Cell,
    *,
    comment: str | None = None,
    status: str | None = None,
) -> None:
    raw = _text(cell)
    try:
        value = _number_value(raw)
    except NumberParseError:
        value = None
        outline.warn(
            cell.line,
            _("{kind} cell {raw} is not a number; kept as text").format(kind=kind, raw=repr(raw)),
        )
    outline.builder.add_value(
        node,
        year=year,
        kind=kind,
        raw=raw,
        value=value,
        comment=comment,
        reported_status=status,
        line=cell.line,
    )


def _fit(cells: list[_Cell], columns: dict[str, int], width: int) -> list[_Cell]:
    """A row with more cells than the header (a cell split by a tab or a page break)."""
    if len(cells) <= width:
        return cells
    plan_at = columns.get("plan", 3)
    # Find the first pair of number cells after the name: plan and fact.
    for index in range(2, len(cells) - 1):
        if _numberish(cells[index].value()) and _numberish(cells[index + 1].value()):
            shift = index - plan_at
            if shift > 0:
                name_at = columns.get("name", 1)
                merged = _joined(cells[name_at : name_at + shift + 1])
                cells = [*cells[:name_at], merged, *cells[name_at + shift + 1 :]]
            break
    if len(cells) > width:
        cells = [*cells[: width - 1], _joined(cells[width - 1 :])]
    return cells


def _numberish(text: str) -> bool:
    if not text:
        return False
    try:
        parse_number(text)
    except NumberParseError:
        return False
    return True


def _reported_status(text: str) -> str | None:
    """What the execution text claims: met, not met, or None when it says neither."""
    if not text:
        return None
    has = fold(text).__contains__
    if any(map(has, _NOT_MET)):
        return "not_met"
    if any(map(has, _MET)):
        return "met"
    return None
