"""The headings read so far (directions, sections, goals, sub-groups), shared by parts 1 and 2.

Part 2 repeats part 1's headings; keeping one outline lets its activities land under the same
nodes instead of copies of them.

The report's heading levels, read by the layout engine's heading numbering
(:func:`~workbench.ingest.layout.headings.parse_heading`, in kk / ky / ru): a direction
(``Бағыт: Экономика``, ``Направление: …``), a section numbered at least two deep (``3.2.1.
Өнеркәсіп``) and a goal numbered so (``Мақсат 3.2.1.1: …``, ``Цель 3.2.1.1. …``). A goal hangs
under the section its code starts with.
"""

from __future__ import annotations

from collections.abc import Sequence

from workbench.dataset.text import fold
from workbench.ingest.document import DocumentBuilder
from workbench.ingest.layout.headings import Heading, parse_heading
from workbench.ingest.layout.placed import Placed, Unit
from workbench.ingest.report.cells import _Cell


def report_heading(text: str) -> Heading | None:
    """The direction, section or goal a cell opens, by the report's levels; else None."""
    heading = parse_heading(text)
    if heading is None or heading.kind not in ("direction", "section", "goal"):
        return None
    if heading.kind != "direction" and (heading.code is None or "." not in heading.code):
        return None
    if heading.kind == "section" and len(text) >= 200:
        return None
    return heading


class _Outline:
    """The document being built, its units, and where the next row belongs."""

    def __init__(self, builder: DocumentBuilder, units: Sequence[Unit], placed: Placed) -> None:
        self.builder = builder
        self.units = units
        self.placed = placed
        self.directions: dict[str, str] = {}
        self.sections: dict[str, str] = {}
        self.goals: dict[str, str] = {}
        self.tasks: dict[tuple[str, str], str] = {}
        self.direction: str | None = None
        self.section: str | None = None
        self.goal: str | None = None
        self.task: str | None = None
        self.indicators: dict[str, dict[str, str]] = {}
        # report_heading by cell text: a lone cell is asked whether it is a heading, then read
        # as one, and part 2 repeats part 1's headings
        self._headings: dict[str, Heading | None] = {}

    def heading_of(self, cell: _Cell) -> Heading | None:
        """The direction, section or goal ``cell`` opens; else None."""
        text = cell.value()
        try:
            return self._headings[text]
        except KeyError:
            heading = self._headings[text] = report_heading(text)
            return heading

    def warn(self, line: int | None, message: str) -> None:
        self.builder.warn(line, message)

    def heading(self, cell: _Cell) -> bool:
        """Directions, sections and goals; True when the cell was one."""
        heading = self.heading_of(cell)
        if heading is None:
            return False
        builder = self.builder
        title = heading.title
        if heading.kind == "direction":
            key = fold(title)
            node = self.directions.get(key)
            if node is None:
                node = builder.add_node("direction", title, line=cell.line)
                self.directions[key] = node
            self.direction, self.section, self.goal, self.task = node, None, None, None
            return True
        code = heading.code or ""
        if heading.kind == "goal":
            node = self.goals.get(code)
            if node is None:
                parent = self._section_for(code) or self.section or self.direction
                node = builder.add_node("goal", title, parent=parent, code=code, line=cell.line)
                self.goals[code] = node
            self.goal, self.task = node, None
            return True
        node = self.sections.get(code)
        if node is None:
            node = builder.add_node(
                "section", title, parent=self.direction, code=code, line=cell.line
            )
            self.sections[code] = node
        self.section, self.goal, self.task = node, None, None
        return True

    def _section_for(self, goal_code: str) -> str | None:
        code = goal_code
        while "." in code:
            code = code.rsplit(".", 1)[0]
            if code in self.sections:
                return self.sections[code]
        return None
