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
    # the text joined for so many paragraphs: a row is asked for its text again and again (to
    # tell whether it is complete, then to read it), and only grows by paragraphs appended
    _joined: tuple[int, str] = (0, "")

    @property
    def line(self) -> int:
        return self.paras[0].line

    @property
    def last_line(self) -> int:
        return self.paras[-1].line

    def text(self) -> str:
        count, text = self._joined
        paras = self.paras
        if count != len(paras):
            text = paras[0].text if len(paras) == 1 else "\n".join([p.text for p in paras])
            self._joined = (len(paras), text)
        return text


def folded_text(lines: Sequence[str]) -> str:
    """The lines folded as one text (its lines are the folded lines): folded once for the
    registry's detect and then parse, which see the same ``source.lines`` object."""
    return folded(lines)


def _paragraphs(lines: Sequence[str]) -> list[_Para]:
    folded_lines = folded_text(lines).split("\n")
    out: list[_Para] = []
    append = out.append
    hard = False  # the line before is not blank (the first line has none)
    for number, text in enumerate(map(str.strip, lines), start=1):
        if text:
            append(_Para(text, number, hard, folded_lines[number - 1].strip()))
            hard = True
        else:
            hard = False
    return out


def _is_caps_heading(text: str) -> bool:
    letters = "".join(filter(str.isalpha, text))
    return len(letters) >= 8 and sum(map(str.isupper, letters)) >= 0.8 * len(letters)


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _starts_upper(word: str) -> bool:
    stripped = word.lstrip(_OPENING)
    return bool(stripped) and stripped[0].isalpha() and stripped[0].isupper()


def _title(text: str) -> str:
    return clean(text).rstrip(" .")
