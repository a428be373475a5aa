"""Headings and their numbering: which line opens a direction, a goal, a task or a section.

Recognised (kk / ky / ru, any case):

=========================================  ============  ==========
printed                                    kind          code
=========================================  ============  ==========
``Бағыт: Экономика``, ``1-бағыт. ...``     direction     ``1``
``Бағыт 4.4. «Ауылдық ...»``               direction     ``4.4``
``Мақсат 4.3.5: Ақпараттық ...``           goal          ``4.3.5``
``Мақсат: 3.2.7.1: Халықтың ...``          goal          ``3.2.7.1``
``1.2-мақсат. Ана мен ...``                goal          ``1.2``
``4.3.5.1. міндет Халыққа ...``            task          ``4.3.5.1``
``Задача 2. ...``, ``Милдет 1.1``          task
``Направление 1: Рост экономики``          direction     ``1``
``II. Социальная сфера``, ``I Биринчи``    section       ``II``
``3.2.1.Өнеркәсіп``, ``1. Паспорт``        section       ``3.2.1``
=========================================  ============  ==========

A numbered line is a section heading only when it is short and reads as a title (no final
``;``, not a sentence of a resolution); the depth of its number orders nested sections.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from workbench.dataset.text import clean, fold
from workbench.ingest.layout.words import HEADING_KINDS, NOT_HEADINGS

_NUMBER = r"(?:\d{1,2}(?:\.\d{1,2}){0,4})"
_ROMAN = r"(?:xii|xi|x|ix|viii|vii|vi|v|iv|iii|ii|i)"
_KEYWORDS = {kind: "|".join(re.escape(w) for w in words) for kind, words in HEADING_KINDS}
# Rank orders the tree: a heading closes every open heading of the same or a deeper rank.
RANKS = {"direction": 1.0, "section": 2.0, "goal": 3.0, "target": 3.5, "task": 4.0}

_MAX_TITLE = 400


@dataclass(frozen=True, slots=True)
class Heading:
    kind: str  # direction | section | goal | task | target
    code: str | None
    title: str
    rank: float


# Per heading kind, compiled once: its keyword alone, then the three ways a numbered heading is
# printed with it (see _keyword_heading).
_PATTERNS = {
    kind: (
        re.compile(rf"^(?:{pattern})"),
        re.compile(
            rf"^(?:{pattern})\w{{0,2}}\s*[:.]\s*(\d{{1,2}}(?:\.\d{{1,2}}){{1,4}})\.?\s*[:.)\-–]\s*"
        ),
        re.compile(rf"^(?:{pattern})\w{{0,2}}\s*(?:({_NUMBER})\s*[.:)\-–]?|[.:])\s*"),
        re.compile(rf"^({_NUMBER})\s*[.\-–]?\s*(?:{pattern})\w*\s*[.:)\-–]?\s*"),
    )
    for kind, pattern in _KEYWORDS.items()
}
# What every keyword heading starts with (a kind's keyword, or a number and then a keyword): a
# line that starts with neither is no keyword heading, and its kinds are not tried one by one.
_ANY_KEYWORD = re.compile(rf"^(?:{_NUMBER}\s*[.\-–]?\s*)?(?:{'|'.join(_KEYWORDS.values())})")
_SECTION = re.compile(rf"^({_NUMBER}|{_ROMAN})\s*[.)]?\s+(?=\S)|^({_NUMBER})\.(?=\S)")
_ROMAN_CODE = re.compile(_ROMAN)


def _keyword_heading(text: str, folded: str) -> Heading | None:
    for kind, (keyword, colon_number, keyword_first, number_first) in _PATTERNS.items():
        if kind == "target" and keyword.match(folded):
            return None  # "Мақсатты индикатор" opens an indicator, not a heading
        # "Мақсат: 3.2.7.1: ...": a colon between the keyword and a dotted number
        match = colon_number.match(folded)
        if match and kind != "target":
            title = text[match.end() :].strip(" .:-–")
            return Heading(kind, match.group(1), title or text, _rank(kind, match.group(1)))
        # "Мақсат 4.3.5: ...", "Бағыт: ...", "Цель 1. ..."
        # the keyword is followed by its number or a colon/point: "Мақсатқа қол жеткізу ..."
        # is a sentence, not a goal
        match = keyword_first.match(folded)
        if match and (match.group(1) or len(folded) > match.end()):
            code = match.group(1).rstrip(".") if match.group(1) else None
            title = text[match.end() :].strip(" .:-–")
            return Heading(kind, code, title or text, _rank(kind, code))
        # "1.2-мақсат. ...", "4.3.5.1. міндет ...", "1-бағыт ..."
        match = number_first.match(folded)
        if match:
            code = match.group(1).rstrip(".")
            title = text[match.end() :].strip(" .:-–")
            if kind == "target":
                return None
            return Heading(kind, code, title or text, _rank(kind, code))
    return None


def _rank(kind: str, code: str | None) -> float:
    rank = RANKS[kind]
    if kind == "section" and code:
        rank += code.count(".") / 10
    return rank


def parse_heading(raw: str) -> Heading | None:
    """The heading a line opens, or None when the line is not a heading."""
    text = clean(raw)
    if not text or len(text) > _MAX_TITLE:
        return None
    folded = fold(text)
    if _ANY_KEYWORD.match(folded):
        heading = _keyword_heading(text, folded)
        if heading is not None:
            return heading
    if text.endswith((";", ",")) or any(word in folded for word in NOT_HEADINGS):
        return None
    match = _SECTION.match(folded)
    if not match:
        return None
    code = (match.group(1) or match.group(2) or "").rstrip(".")
    title = text[match.end() :].strip(" .:-–")
    if not title or not title[0].isalpha() or len(title) > 200 or title.count(". ") > 1:
        return None
    if _ROMAN_CODE.fullmatch(code):
        code = code.upper()
    return Heading("section", code, title, _rank("section", code))


def is_heading_word(text: str) -> str | None:
    """The node kind a heading keyword alone names (``Мақсат``), or None."""
    folded = fold(clean(text))
    for kind, (keyword, *_numbered) in _PATTERNS.items():
        if keyword.match(folded):
            return kind
    return None
