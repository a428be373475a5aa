"""The report's table layouts: the column roles each part needs, read by the layout engine.

A header row is recognised and its columns named by :func:`~workbench.ingest.layout.tables.
header_columns` (the vocabulary of column roles in kk / ky / ru), so the columns may come in any
order and in any of those languages. The report needs:

- part 1 (indicators): ``code`` (№), ``indicator`` (the name), ``unit``, a value column of the
  report year's ``plan`` and one of its ``fact``, and ``comment`` (the execution text); value
  columns of other years or kinds (a previous year's fact, the next year's plan) are read too,
  each as its year and kind say;
- part 3 (money): ``funding_source``, the year's ``plan`` and ``fact`` amounts, and ``comment``
  (why money was not spent).

A part's header holds at least its plan and fact columns; a role the header does not name keeps
the place it has in the sample layout, unless another role took that place.
"""

from __future__ import annotations

from workbench.ingest.layout.tables import Column, header_columns, value_kind
from workbench.ingest.report.cells import _bare_number, _Block

# a value column besides the plan and the fact read: (column, year, kind)
Others = tuple[int, int, str]

_INDICATOR_ROLES = {"code": "code", "indicator": "name", "unit": "unit", "comment": "info"}
_INDICATOR_PLACES = {"code": 0, "name": 1, "unit": 2, "plan": 3, "fact": 4, "info": 5}
_MONEY_ROLES = {"funding_source": "source", "comment": "reason"}
_MONEY_PLACES = {"source": 0, "plan": 1, "fact": 2, "reason": 3}


def _header(block: _Block) -> list[Column] | None:
    """The columns of a header row holding a plan and a fact column; else None."""
    cells = block.cells
    if len(cells) < 3:
        return None
    texts: list[str] = []
    # One pass, leaving at the first cell no header holds (most rows: their number cell).
    for cell in cells:
        if len(cell.text) > 160:
            return None
        if cell.loose:
            continue
        text = cell.value()
        if len(text) > 80 or _bare_number(text):
            return None
        texts.append(text)
    if len(texts) < 3:
        return None
    columns = header_columns(texts)
    if columns is None:
        return None
    kinds = {_kind(column) for column in columns}
    return columns if {"plan", "fact"} <= kinds else None


def _kind(column: Column) -> str | None:
    if column.role == "value":
        return column.kind
    if column.role == "amount" and column.year is not None:
        return value_kind(column.header) or "plan"
    return None


def _places(
    columns: list[Column],
    roles: dict[str, str],
    defaults: dict[str, int],
    year: int | None = None,
) -> tuple[dict[str, int], dict[str, int | None], list[Others]]:
    """Each name's column, the year of the plan and fact columns, and the other value columns.

    The plan and the fact are those of ``year`` when the header prints several years (a
    previous year's fact beside the report year's plan and fact), else the first ones.
    """
    places: dict[str, int] = {}
    years: dict[str, int | None] = {}
    valued = [(column, _kind(column)) for column in columns]
    for wanted in ("plan", "fact"):
        of_kind = [c for c, kind in valued if kind == wanted]
        chosen = next((c for c in of_kind if year is not None and c.year == year), None)
        chosen = chosen or (of_kind[0] if of_kind else None)
        if chosen is not None:
            places[wanted] = chosen.index
            years[wanted] = chosen.year
    others: list[Others] = []
    for column, kind in valued:
        if column.index in places.values():
            continue
        if kind is not None and column.year is not None:
            others.append((column.index, column.year, kind))
        elif column.role in roles and roles[column.role] not in places:
            places[roles[column.role]] = column.index
    taken = set(places.values()) | {index for index, _, _ in others}
    for name, index in defaults.items():
        if name not in places and index not in taken:
            places[name] = index
    return places, years, others


def indicator_header(
    block: _Block, report_year: int | None = None
) -> tuple[dict[str, int], int, int | None, list[Others]] | None:
    """Part 1's header: each name's column, the width, the year of the plan read as the report
    year's, and the value columns of other years or kinds; None if the block is no header."""
    columns = _header(block)
    if columns is None:
        return None
    places, years, others = _places(columns, _INDICATOR_ROLES, _INDICATOR_PLACES, report_year)
    return places, max(len(columns), 6), years.get("plan") or years.get("fact"), others


def money_header(block: _Block, report_year: int) -> tuple[dict[str, int], int, int, int] | None:
    """Part 3's header: each name's column, the width, the plan's and the fact's year."""
    columns = _header(block)
    if columns is None:
        return None
    places, years, _ = _places(columns, _MONEY_ROLES, _MONEY_PLACES)
    plan_year = years.get("plan") or report_year
    fact_year = years.get("fact") or report_year
    return places, max(len(columns), 4), plan_year, fact_year
