"""The priorities and the action plans (the programme's own and the annual one) as nodes and
activities.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from workbench.dataset.text import clean
from workbench.i18n import _
from workbench.ingest.council.layout import (
    _COLUMN_NUMBERS,
    _PRIORITY,
    _Para,
    _Row,
    _title,
)
from workbench.ingest.council.plan_row import (
    _find_deadline,
    _has_responsible,
    _split_heading,
    _split_result,
    _split_task,
)
from workbench.ingest.deadlines import parse_deadline
from workbench.ingest.document import DocumentBuilder, PlanMeta

_DIRECTION_HEADING = re.compile(r"^(\d{1,2})\.\s+(\S.*)$", re.DOTALL)
_SECTION_HEADING = re.compile(r"^(\d{1,2})\.(\d{1,2})\.?\s+(\S.*)$", re.DOTALL)
_TASK_START = re.compile(r"^(\d{1,2})(?=\s|$)\s*")


def _row_complete(text: str) -> bool:
    """A row is complete once its deadline and its responsible have been read (a heading
    without a measure on its line is complete by itself)."""
    span = _find_deadline(text)
    if span is None:
        return _heading_kind(text) is not None
    return _has_responsible(text, span[1])


def _heading_kind(text: str) -> str | None:
    if not text[:1].isdecimal():
        return None  # both headings start with their number (a decimal digit, as \d matches)
    if _SECTION_HEADING.match(text):
        return "section"
    if _DIRECTION_HEADING.match(text):
        return "direction"
    return None


def _plan_rows(paras: Sequence[_Para]) -> list[_Row]:
    """Rows of an action plan: a paragraph after a blank line goes on with the row above unless
    that row is complete (deadline and responsible read) and the paragraph starts a new one."""
    rows: list[_Row] = []
    for para in paras:
        text = para.text
        first = text[:1]
        if (first == "(" or first.isdecimal()) and _COLUMN_NUMBERS.match(text):
            continue  # (the column numbers start with a bracket or a digit: most rows do not)
        new_row = not rows or para.hard or _heading_kind(text) is not None
        if not new_row and _row_complete(rows[-1].text()):
            new_row = _find_deadline(text) is not None or bool(_TASK_START.match(text))
        if new_row:
            rows.append(_Row([para]))
        else:
            rows[-1].paras.append(para)
    return rows


@dataclass(slots=True)
class _PlanContext:
    """Where a plan's headings put their nodes."""

    root: str | None  # None for the programme's own plan, else the annual plan's node
    directions: dict[str, str]
    sections: dict[str, str]
    section_titles: dict[str, str] = field(default_factory=dict)
    year_start: int = 0
    year_end: int = 0


class _Reader:
    """Reads the priorities and the action plans into nodes and activities."""

    def __init__(self, builder: DocumentBuilder, meta: PlanMeta) -> None:
        self.b = builder
        self.meta = meta
        self.directions: dict[str, str] = {}
        self.sections: dict[str, str] = {}
        self.section_titles: dict[str, str] = {}
        # The same few deadlines are printed row after row: each read once per document.
        self._due: dict[tuple[str, int, int], tuple[date | None, date | None]] = {}

    def due(self, deadline: str, ctx: _PlanContext) -> tuple[date | None, date | None]:
        """The due period of a deadline cell within the plan's years (:func:`parse_deadline`)."""
        key = (deadline, ctx.year_start, ctx.year_end)
        found = self._due.get(key)
        if found is None:
            found = self._due[key] = parse_deadline(
                deadline, plan_start=ctx.year_start, plan_end=ctx.year_end
            )
        return found

    # -- directions ---------------------------------------------------------------------------

    def add_priorities(self, paras: Sequence[_Para]) -> None:
        found: dict[str, tuple[str, int]] = {}
        for para in paras:
            if "артыкчылык" not in para.folded:
                continue  # the word the pattern needs: most paragraphs are passed over here
            match = _PRIORITY.match(para.text)
            if match and len(para.text) < 400:
                found[str(int(match.group(1)))] = (_title(match.group(2)), para.line)
        for code in sorted(found, key=int):
            title, line = found[code]
            self.directions[code] = self.b.add_node("direction", title, code=code, line=line)

    def _direction(self, ctx: _PlanContext, code: str, title: str, line: int) -> str:
        if code not in ctx.directions:
            kind = "direction" if ctx.root is None else "section"
            ctx.directions[code] = self.b.add_node(
                kind, title or code, parent=ctx.root, code=code, line=line
            )
        return ctx.directions[code]

    # -- action plans -------------------------------------------------------------------------

    def read_plan(self, paras: Sequence[_Para], ctx: _PlanContext) -> _Row | None:
        rows = _plan_rows(paras)
        pending_direction: tuple[str, str, int] | None = None  # printed number, title, line
        direction: str | None = None
        section: str | None = None
        task: str | None = None
        previous: tuple[str | None, str, str] | None = None  # parent, result, responsible
        for row in rows:
            text = row.text()
            # headings and task rows start with their number (a decimal digit, as \d matches):
            # the rest of the rows, measures that go on, are not tried
            numbered = text[:1].isdecimal()
            section_match = _SECTION_HEADING.match(text) if numbered else None
            direction_match = (
                None if section_match or not numbered else _DIRECTION_HEADING.match(text)
            )
            if section_match:
                major, minor, rest = section_match.groups()
                major = str(int(major))
                code = f"{major}.{int(minor)}"
                heading, measure = self._heading_and_measure(rest)
                if direction is None or pending_direction is not None:
                    title = pending_direction[1] if pending_direction else ""
                    line = pending_direction[2] if pending_direction else row.line
                    direction = self._direction(ctx, major, title, line)
                    pending_direction = None
                if code not in ctx.sections:
                    ctx.sections[code] = self.b.add_node(
                        "section",
                        heading,
                        parent=ctx.directions.get(major, direction),
                        code=code,
                        line=row.line,
                    )
                    ctx.section_titles[code] = heading
                section, task, previous = ctx.sections[code], None, None
                if measure:
                    previous = self._activity(section, measure, row, ctx, None)
                continue
            if direction_match:
                number, rest = str(int(direction_match.group(1))), direction_match.group(2)
                heading, measure = self._heading_and_measure(rest)
                section, task, previous = None, None, None
                if measure:
                    direction = self._direction(ctx, number, heading, row.line)
                    pending_direction = None
                    previous = self._activity(direction, measure, row, ctx, None)
                else:
                    pending_direction = (number, heading, row.line)
                    direction = None
                continue
            task_match = _TASK_START.match(text) if numbered else None
            parent = section or direction
            if parent is None and pending_direction is not None:
                number, title, line = pending_direction
                direction = parent = self._direction(ctx, number, title, line)
                pending_direction = None
            if parent is None:
                self.b.warn(row.line, _("an action-plan row before any heading; skipped"))
                continue
            if task_match:
                code = task_match.group(1)
                rest = text[task_match.end() :]
                span = _find_deadline(rest)
                before = rest[: span[0]] if span else rest
                title, measure = _split_task(before)
                task = self.b.add_node(
                    "task", _title(title), parent=parent, code=code, line=row.line
                )
                previous = None
                if measure.strip() or span:
                    previous = self._activity(
                        task, rest, row, ctx, None, measure=measure.strip() or title
                    )
                continue
            previous = self._activity(task or parent, text, row, ctx, previous)
        return rows[-1] if rows else None

    def _heading_and_measure(self, rest: str) -> tuple[str, str]:
        span = _find_deadline(rest)
        if span is None:
            return _title(rest), ""
        heading, measure = _split_heading(rest[: span[0]])
        return _title(heading), measure + rest[span[0] :]

    def _activity(
        self,
        parent: str,
        text: str,
        row: _Row,
        ctx: _PlanContext,
        previous: tuple[str | None, str, str] | None,
        *,
        measure: str | None = None,
    ) -> tuple[str | None, str, str]:
        span = _find_deadline(text)
        if span is None:
            self.b.warn(row.line, _("action-plan row without a deadline (read as a measure)"))
            title = clean(measure if measure is not None else text)
            deadline, result, responsible = "", "", ""
        else:
            title = clean(measure if measure is not None else text[: span[0]])
            deadline = clean(text[span[0] : span[1]])
            result, responsible = _split_result(text[span[1] :])
        result, responsible = clean(result), clean(responsible)
        if not result and not responsible and previous is not None and previous[0] == parent:
            # The result and responsible cells are merged with the row above.
            result, responsible = previous[1], previous[2]
        if not title:
            title = clean(text)
        node = self.b.add_node("activity", title, parent=parent, line=row.line)
        due_start, due_end = self.due(deadline, ctx)
        self.b.add_activity(
            node,
            title=title,
            deadline_raw=deadline or None,
            due_start=due_start,
            due_end=due_end,
            expected_result=result or None,
            responsible=responsible or None,
        )
        return parent, result, responsible
