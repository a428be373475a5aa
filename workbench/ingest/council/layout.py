"""Paragraphs and rows of a council programme whose Word export lost its cell boundaries.

Rows can only be found from content, so every table reader starts from the same paragraphs
and the same word tests; they live here so that the readers agree on them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from workbench.dataset.text import clean
from workbench.ingest.layout.joined import folded

_UP = "A-ZА-ЯЁӨҮҢ"
_LETTER_AFTER = r"(?![^\W\d_])"

_PRIORITY = re.compile(r"^\s*(\d{1,2})\s*-\s*артыкчылык\s*[:.]?\s*(.+)$", re.IGNORECASE)

_COLUMN_NUMBERS = re.compile(r"^(?:\(?\d{1,2}\)?\s+){2,}\(?\d{1,2}\)?$")

_WORD = re.compile(r"\S+")
_VERBAL_NOUN = re.compile(r"(?:уу|үү|оо|өө)$")
_LINKING_WORDS = frozenset(
    ("жана", "же", "менен", "үчүн", "боюнча", "аркылуу", "жөнүндө", "болуп", "ж.б.", "ж.б")
)
_OPENING = "«“\"„'("


@dataclass(slots=True)
class _Para:
    text: str
    line: int
    hard: bool  # directly after the previous non-blank line (a new table row)
    folded: str = ""


@dataclass(slots=True)
class _Row:
    paras: list[_Para]

    @property
    def line(self) -> int:
        return self.paras[0].line

    @property
    def last_line(self) -> int:
        return self.paras[-1].line

    def text(self) -> str:
        return "\n".join(p.text for p in self.paras)


def folded_text(lines: Sequence[str]) -> str:
    """The lines folded as one text (its lines are the folded lines): folded once for the
    registry's detect and then parse, which see the same ``source.lines`` object."""
    return folded(lines)


def _paragraphs(lines: Sequence[str]) -> list[_Para]:
    folded_lines = folded_text(lines).split("\n")
    out: list[_Para] = []
    previous_blank = True  # before the first paragraph too: it starts no row
    for number, (raw, fold) in enumerate(zip(lines, folded_lines, strict=False), start=1):
        text = raw.strip()
        if not text:
            previous_blank = True
            continue
        out.append(_Para(text, number, not previous_blank, fold.strip()))
        previous_blank = False
    return out


def _is_caps_heading(text: str) -> bool:
    letters = "".join(filter(str.isalpha, text))
    return len(letters) >= 8 and sum(map(str.isupper, letters)) >= 0.8 * len(letters)


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _starts_upper(word: str) -> bool:
    stripped = word.lstrip(_OPENING)
    return bool(stripped) and stripped[0].isalpha() and stripped[0].isupper()


def _clean(text: str) -> str:
    """:func:`clean` of a text that may hold line breaks (a row's paragraphs): the breaks become
    spaces first, as :func:`clean` makes them, so that a text without anything else to clean
    takes its quick path. (An escape sequence could run over a break: such a text is left to
    :func:`clean` as it is.)"""
    if "\n" in text and "\x1b" not in text:
        return clean(text.replace("\n", " "))
    return clean(text)


def _title(text: str) -> str:
    return _clean(text).rstrip(" .")
