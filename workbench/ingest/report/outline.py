"""The headings read so far (directions, sections, goals, sub-groups), shared by parts 1 and 2.

Part 2 repeats part 1's headings; keeping one outline lets its activities land under the same
nodes instead of copies of them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from workbench.dataset.text import clean, fold
from workbench.ingest.document import DocumentBuilder
from workbench.ingest.report.cells import _Block, _Cell

_DIRECTION = re.compile(r"^(?:Бағыт|Бағыты|Направление)\s*[:.]?\s*(.*)$", re.IGNORECASE)
_GOAL = re.compile(
    r"^(?:Мақсат|Мақсаты|Цель)\s*[:.]?\s*(\d+(?:\.\d+)+)\.?\s*[:.]?\s*(.*)$", re.IGNORECASE
)
_SECTION = re.compile(r"^(\d+(?:\.\d+)+)\.?\s*([^\W\d_].*)$")


class _Outline:
    """The document being built, its lines, and where the next row belongs."""

    def __init__(self, builder: DocumentBuilder, lines: Sequence[str]) -> None:
        self.builder = builder
        self.lines = lines
        self.directions: dict[str, str] = {}
        self.sections: dict[str, str] = {}
        self.goals: dict[str, str] = {}
        self.tasks: dict[tuple[str, str], str] = {}
        self.direction: str | None = None
        self.section: str | None = None
        self.goal: str | None = None
        self.task: str | None = None
        self.indicators: dict[str, dict[str, str]] = {}

    def warn(self, line: int | None, message: str) -> None:
        self.builder.warn(line, message)

    def heading(self, cell: _Cell) -> bool:
        """Directions, sections and goals; True when the cell was one."""
        text = cell.value()
        builder = self.builder
        match = _DIRECTION.match(text)
        if match:
            title = clean(match.group(1))
            key = fold(title)
            node = self.directions.get(key)
            if node is None:
                node = builder.add_node("direction", title, line=cell.line)
                self.directions[key] = node
            self.direction, self.section, self.goal, self.task = node, None, None, None
            return True
        match = _GOAL.match(text)
        if match:
            code, title = match.group(1), clean(match.group(2))
            node = self.goals.get(code)
            if node is None:
                parent = self._section_for(code) or self.section or self.direction
                node = builder.add_node("goal", title, parent=parent, code=code, line=cell.line)
                self.goals[code] = node
            self.goal, self.task = node, None
            return True
        match = _SECTION.match(text)
        if match and len(text) < 200:
            code, title = match.group(1), clean(match.group(2))
            node = self.sections.get(code)
            if node is None:
                node = builder.add_node(
                    "section", title, parent=self.direction, code=code, line=cell.line
                )
                self.sections[code] = node
            self.section, self.goal, self.task = node, None, None
            return True
        return False

    def _section_for(self, goal_code: str) -> str | None:
        code = goal_code
        while "." in code:
            code = code.rsplit(".", 1)[0]
            if code in self.sections:
                return self.sections[code]
        return None


def _heading_peek(block: _Block) -> bool:
    text = block.cells[0].value()
    return bool(_DIRECTION.match(text) or _GOAL.match(text) or _SECTION.match(text))
