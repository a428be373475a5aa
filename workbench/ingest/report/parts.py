"""Where each of the four numbered parts starts and ends, among the document's units."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from workbench.dataset.text import fold
from workbench.ingest.layout.placed import Placed, Unit
from workbench.ingest.sources.blocks import Paragraph

_PART = re.compile(r"^\s*([1-4])\s*[.)]\s*(\S.{0,120})$")
_PART_WORDS = {
    1: re.compile(r"мақсат|цел"),
    2: re.compile(r"іс-шара|іс шара|мероприят"),
    3: re.compile(r"қаржы|қаражат|финанс|средств"),
    4: re.compile(r"талдама|жазба|аналитич|записк"),
}


@dataclass(slots=True)
class _Part:
    number: int
    heading_line: int  # 1-based; 0 when the part has no heading of its own
    start: int  # index of its first unit (after the heading)
    end: int = 0


def _find_parts(units: Sequence[Unit], placed: Placed) -> list[_Part]:
    """Parts open at a paragraph of their own (after a blank line or a table, not the second
    line of a paragraph) that reads ``N. <the part's words>``."""
    parts: list[_Part] = []
    current = 0
    previous_blank = True
    for index, unit in enumerate(units):
        if not isinstance(unit, Paragraph):
            previous_blank = True  # a row ends at a blank line
            continue
        stripped = unit.text.split("\n", 1)[0].strip()
        if not stripped:
            previous_blank = True
            continue
        if previous_blank:
            match = _PART.match(stripped)
            if match:
                number = int(match.group(1))
                rest = fold(match.group(2))
                words = _PART_WORDS[number].search(rest)
                # A heading by its words, or by its number when it reads like a heading.
                bare = (
                    number == current + 1 and len(rest) < 60 and not any(c.isdigit() for c in rest)
                )
                if number > current and (words or bare) and len(stripped) < 90:
                    if parts:
                        parts[-1].end = index
                    parts.append(_Part(number, placed.place(unit.origin) or 0, index + 1))
                    current = number
        previous_blank = False
    if parts:
        parts[-1].end = len(units)
    return parts
