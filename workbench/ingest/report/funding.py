"""Part 3, ``Қаржылық қаражаттарды игеру``: money by budget source, plan and fact."""

from __future__ import annotations

import re

from workbench.dataset.numbers import parse_amount
from workbench.dataset.text import fold
from workbench.errors import NumberParseError
from workbench.i18n import _
from workbench.ingest.report.amounts import _BUDGET_CODES, _CITY_BUDGET
from workbench.ingest.report.cells import (
    _Block,
    _blocks,
    _Cell,
    _one_line,
    _paragraphs,
    _Row,
    _Rows,
    _text,
)
from workbench.ingest.report.outline import _Outline
from workbench.ingest.report.parts import _Part
from workbench.ingest.report.tables import money_header
from workbench.ingest.vocabulary import funding_codes

_UNIT_NOTE = re.compile(r"^\(?\s*(мың|мын|млн|млрд|тыс)[^)]*\)?$", re.IGNORECASE)


def _read_funding(outline: _Outline, part: _Part, report_year: int) -> int | None:
    builder = outline.builder
    multiplier = 1000.0
    columns = {"source": 0, "plan": 1, "fact": 2, "reason": 3}
    width = 4
    plan_year = fact_year = report_year
    rows = _Rows(width)
    finished: list[_Row] = []
    for block in _blocks(outline.units[part.start : part.end], outline.placed):
        if block.loose_start and _UNIT_NOTE.match(block.cells[0].value()):
            multiplier = _unit_multiplier(block.cells[0].value())
            block = _Block(block.cells[1:])
            if not block.cells:
                continue
        header = money_header(block, report_year)
        if header is not None:
            if (row := rows.flush()) is not None:
                finished.append(row)
            columns, width, plan_year, fact_year = header
            rows = _Rows(width)
            continue
        if (row := rows.feed(block)) is not None:
            finished.append(row)
    last = rows.flush()
    if last is not None:
        finished.append(last)
    seen: set[tuple[str | None, str]] = set()
    for row in finished:
        cells = row.cells

        def get(name: str, cells: list[_Cell] = cells) -> _Cell | None:
            index = columns.get(name)
            return cells[index] if index is not None and index < len(cells) else None

        name = _text(get("source"))
        folded = fold(name)
        source: str | None
        if re.search(r"барлығы|барлыгы|жиыны|всего|итого", folded):
            source = None
        else:
            if _CITY_BUDGET.search(folded):
                codes = ["local"]
            else:
                codes = [c for c in funding_codes(name) if c in _BUDGET_CODES]
            if len(codes) != 1:
                outline.warn(
                    row.first_line,
                    _("funding source {name} not recognised; skipped").format(name=repr(name)),
                )
                continue
            source = codes[0]
        reason = _paragraphs(get("reason")) or None
        for kind, year in (("plan", plan_year), ("fact", fact_year)):
            cell = get(kind)
            raw = _text(cell)
            if not raw or raw in ("-", "–", "—"):
                continue
            try:
                amount = parse_amount(raw, multiplier=multiplier)
            except NumberParseError:
                outline.warn(
                    row.first_line,
                    _("{kind} amount {raw} is not a number").format(kind=kind, raw=repr(raw)),
                )
                continue
            if (source, kind) in seen:
                outline.warn(
                    row.first_line,
                    _("funding source {name} repeated; skipped").format(name=repr(name)),
                )
                continue
            seen.add((source, kind))
            builder.add_funding(
                node_id=None,
                year=year,
                source=source,
                kind=kind,
                amount=round(amount.value, 2),
                amount_raw=raw,
                comment=_one_line(reason) if reason else None,
                label=name or None,
                line=cell.line if cell is not None else row.first_line,
            )
    incomplete = last is not None and len(last.cells) < 3 and part.end == len(outline.units)
    return last.last_line if incomplete and last is not None else None


def _unit_multiplier(text: str) -> float:
    folded = fold(text)
    if "млрд" in folded:
        return 1_000_000_000.0
    if "млн" in folded:
        return 1_000_000.0
    return 1000.0
