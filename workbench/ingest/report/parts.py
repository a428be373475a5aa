"""Where each of the four numbered parts starts and ends."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from workbench.dataset.text import fold

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
    start: int  # 0-based index of its first line
    end: int = 0


def _find_parts(lines: Sequence[str]) -> list[_Part]:
    parts: list[_Part] = []
    current = 0
    previous_blank = True
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            previous_blank = True
            continue
        if previous_blank and not line.startswith("\t"):
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
                    parts.append(_Part(number, index + 1, index + 1))
                    current = number
        previous_blank = False
    if parts:
        parts[-1].end = len(lines)
    return parts
