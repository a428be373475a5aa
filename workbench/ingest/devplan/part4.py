"""Part 4: the table of indicators with their values by year, matched to the passport."""

from __future__ import annotations

from workbench.dataset.polarity import infer_polarity
from workbench.dataset.text import fold
from workbench.i18n import _
from workbench.ingest.devplan.items import (
    DIRECTION,
    GROUP,
    INDICATOR,
    NI,
    NUI,
    SECTION,
    _Item,
)
from workbench.ingest.devplan.matching import _match, _place
from workbench.ingest.devplan.money import _MONEY_RE, _OF_WHICH_RE, _TOTAL_RE, _money_row
from workbench.ingest.devplan.nodes import _UNREADABLE, _Plan
from workbench.ingest.devplan.stream import _Stream
from workbench.ingest.devplan.table import _NUMBER_CELL, _Header, _table_rows


def _part4(plan: _Plan, stream: _Stream, header: _Header) -> None:
    rows, cut_row = _table_rows(stream, header)
    plan.part4_read = True
    stack: list[tuple[int, str, bool]] = []
    seen_direction = False
    saw_money = False
    saw_total = False
    after_money = False
    last_line = 0
    title_at = header.title
    for row in rows:
        cells = row.cells
        texts = [cell.text for cell in cells]
        lines = [cell.line for cell in cells]
        last_line = max([c.last for c in cells])
        at = title_at  # the title's cell in ``cells``
        if texts and texts[0] and not _NUMBER_CELL.fullmatch(texts[0]):
            texts = ["", *texts]  # no № cell: a heading or a total printed from column 1
            lines = [row.line, *lines]
            at -= 1
        missing = header.ncols - len(texts)
        if missing > 0:
            texts += [""] * missing
            lines += [last_line] * missing
        title_text = texts[title_at] if title_at < len(texts) else ""
        if not title_text:
            continue
        # a cell printed besides the № and the title
        other = any(texts[1:title_at]) or any(texts[title_at + 1 :])
        item = cells[at].item  # the title cell's: its text is ``title_text``
        if item is None:  # a money row's title is no item
            folded = fold(title_text)
            # an "оның ішінде …" row under a money row is money, whatever it names
            if _money_title(folded) or (after_money and _OF_WHICH_RE.match(folded)):
                saw_money = after_money = True
                if _TOTAL_RE.match(folded):
                    saw_total = True
                _money_row(plan, texts, lines, header, stack, folded)
                continue
        after_money = False
        if not other:
            # a heading row: group, direction, goal, task, sphere
            if item is None:
                level = GROUP if row.cells[0].text else SECTION
                item = _Item(level, None, None, title_text)
            if item.level == GROUP:
                found = _match(plan, item, [])
                if found is None and not seen_direction:
                    stack.clear()
                    continue
                stack.clear()
                node_id = found or plan.add(item, None, row.line, known=False)
                stack.append((GROUP, node_id, found is not None))
                continue
            if item.level == DIRECTION:
                seen_direction = True
            node_id = _place(plan, item, stack, row.line)
            if item.level in (NUI, NI, INDICATOR):
                _indicator_row(plan, node_id, texts, lines, header, title_text)
            continue
        if item is None:
            item = _Item(INDICATOR, None, None, title_text)
        elif item.level not in (NUI, NI, INDICATOR):
            plan.builder.warn(
                row.line,
                _("a heading row with values, read as an indicator: {title_text}").format(
                    title_text=repr(title_text)
                ),
            )
            item = _Item(INDICATOR, item.code, item.number, item.title)
        node_id = _place(plan, item, stack, row.line)
        _indicator_row(plan, node_id, texts, lines, header, title_text)
    if cut_row is not None:
        cut = cut_row
        end = max(c.last for c in cut.cells)
        plan.builder.warn(
            end,
            _(
                "the table is cut off at line {end}: the row that starts at line {line} has "
                "{len} of {ncols} cells"
            ).format(end=end, line=cut.line, len=len(cut.cells), ncols=header.ncols),
        )
    elif saw_money and not saw_total:
        plan.builder.warn(
            last_line,
            _(
                "the table ends at line {last_line} without its grand total row (БАРЛЫҚ ...): "
                "the document may be cut off"
            ).format(last_line=last_line),
        )


def _money_title(folded: str) -> bool:
    """Whether a (folded) title is a money row's (:data:`_MONEY_RE`): its "... ресурс" part
    searched for only in a title that holds the word."""
    if "ресурс" in folded:
        return _MONEY_RE.search(folded) is not None
    return _TOTAL_RE.match(folded) is not None


def _indicator_row(
    plan: _Plan, node_id: str, texts: list[str], lines: list[int], header: _Header, title: str
) -> None:
    """Unit, responsible, source and the values of one indicator row (cells as printed)."""
    unit = texts[header.unit] if header.unit < len(texts) else ""
    plans: list[float | None] = []
    value: float | None
    numbers = plan.numbers
    seen = plan.value_keys.get(node_id)
    if seen is None:
        seen = plan.value_keys[node_id] = set()
    store = plan.values
    add_node, add_key, add_raw = store.node_ids.append, store.keys.append, store.raws.append
    add_value, add_line = store.values.append, store.lines.append
    for column in header.columns:
        raw = texts[column.index]  # _part4 gives a row the header's width: every column
        if not raw:
            continue
        line = lines[column.index]
        value = numbers[raw] if raw in numbers else plan.number(raw)
        if value is _UNREADABLE:
            value = None
            plan.builder.warn(
                line,
                _("cannot read the number {raw} ({year})").format(raw=repr(raw), year=column.year),
            )
        if column.kind == "plan":
            plans.append(value)
        key = column.key
        if key in seen:
            plan.builder.warn(
                line,
                _("a second {kind} value for {year} of {title}: skipped").format(
                    kind=column.kind, year=column.year, title=repr(title)
                ),
            )
            continue
        seen.add(key)
        add_node(node_id)
        add_key(key)
        add_raw(raw)
        add_value(value)
        add_line(line)
    if node_id in plan.indicator_done:
        return
    plan.indicator_done.add(node_id)
    node_title = plan.titles.get(node_id, title)
    polarity = infer_polarity(node_title, unit or None)
    if polarity == "increase" and unit.strip() == "%" and plans and all(v == 100.0 for v in plans):
        polarity = "target"
    plan.indicator(
        node_id,
        unit=unit or None,
        responsible=texts[header.responsible] if header.responsible < len(texts) else None,
        info_source=texts[header.source] if header.source < len(texts) else None,
        polarity=polarity,
    )
