"""An action plan whose table kept its cells (HTML, .docx, .xlsx, a text export with tabs).

The header row names the columns (the layout engine's roles, in any order and in kk / ky / ru):
``code`` (№), the task (``Тапшырма``, ``Милдет``, ``Задача``), ``measure`` (``Чаралар``,
``Мероприятия``), ``deadline``, the expected result (``Күтүлгөн жыйынтыктар``, ``Ожидаемый
результат``) and ``responsible``. Each body row is then read by its cells, not guessed from its
words:

- a row whose only text is ``N. …`` or ``N.N. …`` (one cell across the table, or the code in
  its own cell) is a direction or section heading, as is such a paragraph between two parts of
  the table;
- a task cell that is not covered by the one above opens a ``task`` (its code from the ``№``
  cell); a measure cell gives an ``activity`` under the open task, section or direction;
- a cell merged down the rows (a responsible body for several measures) gives its text to every
  row it spans; a row whose result and responsible are both empty takes them from the measure
  above it under the same parent, as a vertically merged cell printed once does;
- a row with neither code, task nor deadline goes on with the measure above it (the part of a
  row a page break pushed onto the next page, or into a table of its own after a paragraph);
- the column-number row and the header printed again after a page break are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from workbench.dataset.text import clean, fold
from workbench.i18n import _
from workbench.ingest.council.action_plan import (
    _DIRECTION_HEADING,
    _SECTION_HEADING,
    _PlanContext,
    _Reader,
)
from workbench.ingest.council.blocks import _CellRow, _Item
from workbench.ingest.council.layout import _COLUMN_NUMBERS, _title
from workbench.ingest.layout.tables import header_columns

_TASK_WORDS = ("тапшырма", "милдет", "міндет", "задач")
_RESULT_WORDS = ("жыйынтык", "натыйжа", "нәтиже", "результат")
_CODE = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?$")


@dataclass(frozen=True, slots=True)
class PlanColumns:
    """Where each cell of an action-plan row is (0-based column indexes)."""

    measure: int
    deadline: int
    responsible: int
    code: int | None = None
    task: int | None = None
    result: int | None = None


def plan_columns(row: _CellRow) -> PlanColumns | None:
    """The columns an action plan's header row names, or None when it is not one."""
    texts = row.texts()
    if len([t for t in texts if t]) < 3 or any(len(t) > 160 for t in texts):
        return None
    columns = header_columns(texts)
    if columns is None:
        return None
    roles: dict[str, int] = {}
    for column in columns:
        role = column.role
        folded = fold(column.header)
        if role not in ("code", "measure", "deadline", "responsible", "expected_result"):
            if any(word in folded for word in _TASK_WORDS):
                role = "task"
            elif any(word in folded for word in _RESULT_WORDS):
                role = "expected_result"
        roles.setdefault(role, column.index)
    if not {"measure", "deadline", "responsible"} <= roles.keys():
        return None
    return PlanColumns(
        measure=roles["measure"],
        deadline=roles["deadline"],
        responsible=roles["responsible"],
        code=roles.get("code"),
        task=roles.get("task"),
        result=roles.get("expected_result"),
    )


@dataclass(slots=True)
class _Pending:
    """A measure read but not yet added: the next row may go on with it."""

    parent: str
    title: list[str]
    deadline: str
    result: list[str]
    responsible: list[str]
    line: int


class CellPlanReader:
    """Reads an action plan's table rows (and the heading paragraphs between its parts)."""

    def __init__(self, reader: _Reader, ctx: _PlanContext, columns: PlanColumns) -> None:
        self.r = reader
        self.b = reader.b
        self.ctx = ctx
        self.columns = columns
        self.direction: str | None = None
        self.section: str | None = None
        self.task: str | None = None
        self.task_key: tuple[str, str] = ("", "")  # the open task's cell and code as printed
        self.pending: _Pending | None = None
        self.previous: tuple[str, str, str] | None = None  # parent, result, responsible
        self.last: _Item | None = None

    def read(self, items: Sequence[_Item]) -> _Item | None:
        for item in items:
            if isinstance(item, _CellRow):
                self._row(item)
            else:
                self._heading(item.text, item.line)
            self.last = item
        self._flush()
        return self.last

    # -- headings ----------------------------------------------------------------------------

    def _heading(self, text: str, line: int) -> bool:
        section = _SECTION_HEADING.match(text)
        if section:
            self._flush()
            major, minor, rest = section.groups()
            major = str(int(major))
            code = f"{major}.{int(minor)}"
            if self.direction is None or major not in self.ctx.directions:
                self.direction = self.r._direction(self.ctx, major, "", line)
            if code not in self.ctx.sections:
                title = _title(rest)
                self.ctx.sections[code] = self.b.add_node(
                    "section",
                    title,
                    parent=self.ctx.directions.get(major, self.direction),
                    code=code,
                    line=line,
                )
                self.ctx.section_titles[code] = title
            self.section, self.task, self.previous = self.ctx.sections[code], None, None
            return True
        direction = _DIRECTION_HEADING.match(text)
        if direction:
            self._flush()
            number = str(int(direction.group(1)))
            self.direction = self.r._direction(self.ctx, number, _title(direction.group(2)), line)
            self.section, self.task, self.previous = None, None, None
            return True
        return False

    # -- rows --------------------------------------------------------------------------------

    def _cell(self, row: _CellRow, index: int | None) -> str:
        if index is None or index >= len(row.cells):
            return ""
        return row.cells[index].text

    def _row(self, row: _CellRow) -> None:
        joined = row.joined()
        if _COLUMN_NUMBERS.match(joined) or plan_columns(row) is not None:
            return  # the column numbers, or the header printed again after a page break
        c = self.columns
        code = self._cell(row, c.code)
        measure = self._cell(row, c.measure)
        deadline = self._cell(row, c.deadline)
        result = self._cell(row, c.result)
        responsible = self._cell(row, c.responsible)
        task_cell = row.cells[c.task] if c.task is not None and c.task < len(row.cells) else None
        task = task_cell.text if task_cell is not None and not task_cell.covered else ""
        distinct = {cell.text for cell in row.cells if cell.text and not cell.covered}
        heading_shape = len(distinct) == 1 or (bool(code) and not measure)
        if not deadline and heading_shape and self._heading(joined, row.line):
            return
        if not code and not task and not deadline and self.pending is not None:
            # the rest of the row above, pushed on by a page break
            pending = self.pending
            for part, cell in ((pending.title, measure), (pending.result, result)):
                if cell:
                    part.append(cell)
            if responsible:
                pending.responsible.append(responsible)  # a merged cell's text is kept once
            return
        self._flush()
        parent = self.section or self.direction or self.ctx.root
        if task and self.task is not None and self.task_key == (task, code or self.task_key[1]):
            task = ""  # the open task's cell repeated on each of its rows (a sheet without merges)
        if task:
            self.task_key = (task, code)
            task_code = code.rstrip(".") if code and _CODE.match(code) else None
            self.task = self.b.add_node(
                "task", _title(task), parent=parent, code=task_code, line=row.line
            )
            self.previous = None
        parent = self.task or parent
        if parent is None:
            parent = self.ctx.root
        if not measure and not deadline:
            return
        if parent is None:
            self.b.warn(row.line, _("an action-plan row before any heading; skipped"))
            return
        self.pending = _Pending(
            parent, [measure or task], deadline, [result] if result else [],
            [responsible] if responsible else [], row.line,
        )  # fmt: skip

    def _flush(self) -> None:
        pending, self.pending = self.pending, None
        if pending is None:
            return
        title = clean(" ".join(pending.title))
        result = " ".join(pending.result)
        responsible = " ".join(dict.fromkeys(pending.responsible))
        if self.previous and self.previous[0] == pending.parent and not responsible:
            # a cell merged down the rows, printed once (a text export leaves the rest empty)
            if not result:
                result = self.previous[1]
            responsible = self.previous[2]
        if not pending.deadline:
            self.b.warn(pending.line, _("action-plan row without a deadline (read as a measure)"))
        node = self.b.add_node("activity", title, parent=pending.parent, line=pending.line)
        due_start, due_end = self.r.due(pending.deadline, self.ctx)
        self.b.add_activity(
            node,
            title=title,
            deadline_raw=pending.deadline or None,
            due_start=due_start,
            due_end=due_end,
            expected_result=result or None,
            responsible=responsible or None,
        )
        self.previous = (pending.parent, result, responsible)
