"""The passport before part 4: the plan's metadata, its items and its required resources."""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import islice

from workbench.dataset.numbers import parse_amount
from workbench.dataset.text import clean, fold
from workbench.errors import DocumentError, NumberParseError
from workbench.i18n import _
from workbench.ingest.devplan.items import (
    _LEAVES,
    DIRECTION,
    GROUP,
    INDICATOR,
    SECTION,
    SPHERE,
    TASK,
    _classify,
    _Item,
)
from workbench.ingest.devplan.money import _MULTIPLIERS
from workbench.ingest.devplan.nodes import _PLAIN_NUMBER, _plain_value, _Plan
from workbench.ingest.devplan.stream import _Line
from workbench.ingest.document import PlanMeta, Source, years_in
from workbench.ingest.places import latin_city
from workbench.ingest.vocabulary import funding_codes

# Passport labels (folded text of a label cell).
_LABELS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("title", re.compile(r"^(?:атауы|наименование)\s*[:.]?$")),
    ("narrative", re.compile(r"негізгі сипаттамалар|основные характеристики")),
    ("directions", re.compile(r"^(?:бағыттар|направления)\b")),
    ("resources", re.compile(r"^(?:қажетті ресурстар|необходимые ресурсы)")),
    ("responsible", re.compile(r"^(?:әзірлеуші|жауапты|разработчик|ответственн)")),
    ("period", re.compile(r"^(?:іске асыру мерзімі|сроки реализации)")),
)

_CITY_RE = re.compile(
    r"([А-ЯЁӘҒҚҢӨҰҮҺІ][А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі-]+)\s+"
    r"(?:қаласының|қаласы|ауданының|облысының)"
)
_CITY_RU_RE = re.compile(r"(?:города|г\.)\s*([А-ЯЁ][А-Яа-яЁё-]+)")

_AMOUNT_RE = re.compile(
    r"(?P<num>\d{1,3}(?:[ \u00a0]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)\s*"
    r"(?P<mult>млрд|млн|мың|тыс)\.?\s*(?P<cur>теңге|тенге|тг)\.?",
    re.IGNORECASE,
)

# What stands between a label and its amount or the amount before: "; 2027 жыл – ".
_LABEL_EDGE = re.compile(r"^[\s,;:.–—-]+|[\s,;:.–—-]+$")


def _fields(lines: Sequence[_Line]) -> dict[str, list[tuple[int, str]]]:
    """The passport's fields: name -> [(line number, text)] of its value.

    A field is the cells after its label cell, up to the end of its row; the list of
    directions goes on after the table (a page break) while its items go on (see below).
    """
    found: dict[str, list[tuple[int, str]]] = {}
    current: str | None = None
    started = False
    blanks = 0
    for i, piece in enumerate(lines):
        text = piece.text.strip()
        blanks = blanks + 1 if not text else 0
        if piece.opens_cell and text and len(text) < 120:
            name = next((n for n, p in _LABELS if p.search(fold(clean(text)))), None)
            if name is not None:
                current = name if name not in found else None
                if current is not None:
                    found[current] = []
                    started = False
                continue
        if current is None:
            continue
        if not text:
            if started and (current != "directions" or (blanks >= 2 and not _item_next(lines, i))):
                current = None
            continue
        found[current].append((piece.line, piece.text.rstrip()))
        started = True
    return found


def _item_next(lines: Sequence[_Line], blank: int) -> bool:
    """Whether the first line after the blank run at ``blank`` goes on with the passport's
    structure: an item that opens with its code (a direction, НҰИ, goal, НИ, task or
    indicator), not a table cell or a bare numbered heading (the next part of the document).

    A page break may put blank lines inside the directions cell, and forms differ in how many
    (web-page text adds one after a table), so their count alone cannot end the list.
    """
    for piece in lines[blank + 1 :]:
        if not piece.text.strip():
            continue
        if piece.opens_cell:
            return False
        item = _classify(piece.text)
        return item is not None and item.level != SPHERE
    return False


def _meta(
    source: Source, fields: dict[str, list[tuple[int, str]]], header_at: int | None
) -> PlanMeta:
    title = clean(" ".join(t for _, t in fields.get("title", [])))
    if not title:
        for line in source.lines[: header_at or len(source.lines)]:
            if re.search(r"даму жоспары|план развития", fold(line)):
                title = clean(line)
                break
    if not title:
        raise DocumentError(source.path, _("expected the plan's title (passport label 'Атауы')"), 1)
    years = years_in(title) or years_in(" ".join(t for _, t in fields.get("period", [])))
    if not years:
        raise DocumentError(
            source.path,
            _("expected the plan's period (years) in its title {title}").format(title=repr(title)),
        )
    match = _CITY_RE.search(title) or _CITY_RU_RE.search(title)
    if match is None:
        raise DocumentError(
            source.path,
            _("expected the city ('... қаласының') in the title {title}").format(title=repr(title)),
        )
    native = match.group(1)
    narrative = "\n".join(t for _, t in fields.get("narrative", [])) or None
    responsible = clean(" ".join(t for _, t in fields.get("responsible", []))) or None
    return PlanMeta(
        city=latin_city(native),
        city_native=native,
        country="KZ",
        language="kk",
        kind="plan",
        title=title,
        period_start=min(years),
        period_end=max(years),
        currency="KZT",
        responsible=responsible,
        narrative=narrative,
    )


def _passport(plan: _Plan, rows: list[tuple[int, str]]) -> None:
    stack: list[tuple[int, str]] = []
    last: str | None = None
    for position, (line, raw) in enumerate(rows):
        text = clean(raw)
        if not text:
            continue
        item = _classify(text)
        if item is None:
            if text[0].islower() and last is not None:
                title = f"{plan.titles[last]} {text}".strip()
                plan.set_title(last, title)
                plan.known[last].retitle(title)
                continue
            following = next(
                (text for text in (clean(t) for _, t in islice(rows, position + 1, None)) if text),
                "",
            )
            after = _classify(following) if following else None
            level = GROUP if after is not None and after.level == DIRECTION else SECTION
            item = _Item(level, None, None, text)
        elif item.level == SPHERE and not any(lv == TASK for lv, _ in stack):
            item = _Item(SECTION, item.code, item.number, item.title)
        if item.level == INDICATOR and item.number and item.number.startswith("."):
            task_no = _open_number(plan, stack, TASK)
            if task_no:
                repaired = f"{task_no}{item.number}"
                plan.builder.warn(
                    line,
                    _(
                        "indicator code {code} lost its first digit: read as {repaired} (its "
                        "task is number {task_no})"
                    ).format(code=repr(item.code), repaired=repaired, task_no=task_no),
                )
                code = f"{task_no}{item.code}" if item.code else item.code
                item = _Item(INDICATOR, code, repaired, item.title)
        while stack and stack[-1][0] >= item.level:
            stack.pop()
        parent = stack[-1][1] if stack else None
        last = plan.add(item, parent, line, known=True)
        if item.level not in _LEAVES:
            stack.append((item.level, last))


def _open_number(plan: _Plan, stack: list[tuple[int, str]], level: int) -> str | None:
    for lv, node_id in reversed(stack):
        if lv == level:
            return plan.known[node_id].number if node_id in plan.known else None
    return None


def _passport_funding(plan: _Plan, rows: list[tuple[int, str]]) -> None:
    """``Қажетті ресурстар``: the total and the amounts by year (and by source if named)."""
    texts = [(line, clean(raw)) for line, raw in rows]
    sources = next(
        (t for _, t in texts if re.match(r"қаржыландыру көздері|источники финанс", fold(t))),
        "",
    )
    note = " ".join(t for _, t in texts if t.startswith("*"))
    total_comment = " ".join(t for t in (sources, note) if t) or None
    for line, text in texts:
        if text.startswith("*"):
            continue
        previous = 0
        year: int | None = None
        for m in _AMOUNT_RE.finditer(text):
            segment = text[previous : m.start()]
            previous = m.end()
            years = years_in(segment)
            codes = funding_codes(segment)
            source = codes[0] if len(codes) == 1 else None
            if years:
                year = years[-1]
            elif source is None:
                year = None  # a total: "... іске асыруға 184 716 млн. теңге"
            raw = m.group(0).rstrip(". ")
            try:
                amount = _amount(m)
            except NumberParseError:
                plan.builder.warn(line, _("cannot read the amount {raw}").format(raw=repr(raw)))
                continue
            plan_level = year is None and source is None
            if plan_level:
                plan.plan_total, plan.plan_total_line = amount, line
            comment = total_comment if plan_level else None
            label = _LABEL_EDGE.sub("", segment) or None
            plan.funding(None, year, source, "plan", amount, raw, comment, line, label=label)
            if source is None:
                plan.plan_funding[(year, "plan")] = amount


def _amount(m: re.Match[str]) -> float:
    """The amount of an :data:`_AMOUNT_RE` match in whole tenge, as parse_amount reads it
    (NumberParseError when it cannot): a plainly printed number (:data:`_PLAIN_NUMBER`, most
    amounts) is read at once, times its multiplier."""
    number = m["num"]
    if _PLAIN_NUMBER.fullmatch(number):
        value = _plain_value(number)
        if value is not None:
            return round(value * _MULTIPLIERS[fold(m["mult"])], 2)
    return parse_amount(f"{number} {m['mult']}. {m['cur']}").value
