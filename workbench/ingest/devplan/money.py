"""Part 4's money rows and the check of the totals against the passport's."""

from __future__ import annotations

import re

from workbench.dataset.numbers import parse_amount, parse_number
from workbench.dataset.text import fold
from workbench.errors import NumberParseError
from workbench.i18n import _
from workbench.ingest.devplan.items import _FUNDING_LEVELS, DIRECTION, GROUP
from workbench.ingest.devplan.nodes import _PLAIN_NUMBER, _plain_value, _Plan
from workbench.ingest.devplan.table import _Header
from workbench.ingest.vocabulary import funding_codes

_MONEY_RE = re.compile(r"(?:қаржы|каржы|финанс\w*)\s+ресурс|^(?:барлық|барлығы|всего|итого)")
_TOTAL_RE = re.compile(r"^(?:барлық|барлығы|всего|итого)")
_SUBTOTAL_RE = re.compile(r"жиыны|итого по")
_OF_WHICH_RE = re.compile(r"^(?:оның ішінде|соның ішінде|в том числе)")

_MULTIPLIER_RE = re.compile(r"(млрд|млн|мың|тыс)", re.IGNORECASE)
_MULTIPLIERS = {"млрд": 1e9, "млн": 1e6, "мың": 1e3, "тыс": 1e3}


def _money_unit(texts: list[str], header: _Header) -> float | None:
    for index in (header.unit, header.source, header.responsible):
        if index < len(texts):
            m = _MULTIPLIER_RE.search(texts[index])
            if m and re.search(r"теңге|тенге|тг", fold(texts[index])):
                return _MULTIPLIERS[fold(m.group(1))]
    return None


def _amount(raw: str, multiplier: float) -> float | None:
    """A money cell in whole tenge, None for a dash (nothing planned); NumberParseError when
    it is no amount. Most cells print plain digits (grouped by spaces, a decimal comma or
    point at most): those are read at once, as parse_number and parse_amount read them."""
    if _PLAIN_NUMBER.fullmatch(raw):
        value = _plain_value(raw)
        if value is not None:
            return round(value * multiplier, 2)
    if parse_number(raw).value is None:
        return None
    return parse_amount(raw, multiplier=multiplier).value


def _money_row(
    plan: _Plan,
    texts: list[str],
    lines: list[int],
    header: _Header,
    stack: list[tuple[int, str, bool]],
    folded: str,
) -> None:
    """A ``Қаржы ресурстары`` row: amounts by year under the open item, or plan-level totals.

    An ``оның ішінде …`` (of which) row is a part of the money row printed above it: kept at
    that row's node under its own label (by its source, when the label names one)."""
    title = texts[header.title]
    line = lines[header.title]
    multiplier = _money_unit(texts, header)
    if multiplier is None:
        multiplier = 1e6
        plan.builder.warn(line, _("a money row without its unit: read as млн теңге"))
    node_id: str | None
    source: str | None = None
    part_of = bool(_OF_WHICH_RE.match(folded))
    plan_level = not part_of and bool(_TOTAL_RE.match(folded))
    if part_of:
        if not plan.money_nodes:
            plan.builder.warn(line, _("an 'of which' row before any money row: skipped"))
            return
        node_id = plan.money_nodes[-1]
        codes = funding_codes(title)
        if len(codes) == 1:
            source, part_of = codes[0], False
    elif plan_level:
        node_id = None
    elif _SUBTOTAL_RE.search(folded):
        node_id = next((n for lv, n, _ in stack if lv == GROUP), None) or next(
            (n for lv, n, _ in reversed(stack) if lv == DIRECTION), None
        )
        if node_id is None:
            plan.builder.warn(line, _("a subtotal row outside any group: skipped"))
            return
    else:
        node_id = next((n for lv, n, _ in reversed(stack) if lv in _FUNDING_LEVELS), None)
        if node_id is None:
            plan.builder.warn(line, _("a money row before any direction: skipped"))
            return
    if not part_of and source is None:
        plan.money_nodes.append(node_id)
    for column in header.columns:
        raw = texts[column.index] if column.index < len(texts) else ""
        if not raw:
            continue
        line = lines[column.index]
        try:
            amount = _amount(raw, multiplier)
        except NumberParseError:
            plan.builder.warn(
                line,
                _("cannot read the amount {raw} ({year})").format(raw=repr(raw), year=column.year),
            )
            continue
        if amount is None:
            continue  # "-": nothing planned
        kind = "fact" if column.kind == "fact" else "plan"
        comment = column.label or None if column.kind == "estimate" else None
        if plan_level:
            known = plan.plan_funding.get((column.year, kind))
            if known is not None:
                if abs(known - amount) > 0.5:
                    plan.builder.warn(
                        line,
                        _(
                            "the table's total for {year} ({raw}) differs from the passport's "
                            "({known} tenge)"
                        ).format(year=column.year, raw=raw, known=format(known, ",.0f")),
                    )
                continue
            plan.plan_funding[(column.year, kind)] = amount
        plan.funding(
            node_id,
            column.year,
            source,
            kind,
            amount,
            raw,
            comment,
            line,
            label=title,
            part_of=part_of,
        )


def _check_totals(plan: _Plan) -> None:
    """Warn when the plan years' totals do not add up to the passport's total."""
    if plan.plan_total is None:
        return
    meta = plan.builder.meta
    by_year = [
        amount
        for (year, kind), amount in plan.plan_funding.items()
        if year is not None and kind == "plan" and meta.period_start <= year <= meta.period_end
    ]
    total = sum(by_year)
    if by_year and abs(total - plan.plan_total) > max(1.0, plan.plan_total * 1e-6):
        plan.builder.warn(
            plan.plan_total_line,
            _(
                "the amounts by year ({total}) do not add up to the passport's total "
                "({plan_total} tenge)"
            ).format(total=format(total, ",.0f"), plan_total=format(plan.plan_total, ",.0f")),
        )
