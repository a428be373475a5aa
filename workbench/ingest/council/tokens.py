"""Numbers and words of a matrix or key-figures row, and the numeric cells they make.

A unit or a per cent sign is glued to its number in the export; reading them as one token
keeps a cell such as ``50% / 20243 п.м.`` in one piece.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from workbench.dataset.numbers import parse_number
from workbench.dataset.text import fold
from workbench.ingest.council.layout import _Row

# Matrix tokens: a number (ratio, decimal) with a % or a unit glued on, or any other word.
_MATRIX_UNITS = r"п\.\s?м\.|кв\.\s?м\.|м2|м²|м3|м³|км|га|т\.|сом"
_TOKEN = re.compile(
    r"(?<![\w.,:/-])(?P<num>\d+(?:[.,]\d+)?(?::\d+(?:[.,]\d+)?)?)"
    r"(?:\s?(?P<pct>%)|\s(?P<unit>" + _MATRIX_UNITS + r")(?!\w))?(?![\w,:/]|\.\d)"
    r"|(?P<word>\S+)"
)
_WORD_GROUP = _TOKEN.groupindex["word"]
_UNIT_WORDS = re.compile(
    r"^(?:"
    + _MATRIX_UNITS
    + r"|%|мамиле|катыш|адам|киши|даана|бирдик\w*|орун|пайыз|тонна|метр|м)$",
    re.IGNORECASE,
)


@dataclass(slots=True)
class _Token:
    raw: str
    start: int
    end: int
    line: int
    number: bool
    percent: bool = False
    unit: str | None = None

    @property
    def value(self) -> float | None:
        try:
            return parse_number(self.raw).value
        except ValueError:
            return None


@dataclass(slots=True)
class _Cell:
    raw: str
    value: float | None
    line: int


def _tokens(row: _Row) -> tuple[str, list[_Token]]:
    text = ""
    starts: list[tuple[int, int]] = []
    for para in row.paras:
        if text:
            text += "\n"
        starts.append((len(text), para.line))
        text += para.text
    tokens: list[_Token] = []
    append = tokens.append
    which = 0
    last = len(starts) - 1
    line = starts[0][1] if starts else 0
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        while which < last and starts[which + 1][0] <= start:
            which += 1
            line = starts[which][1]
        if match.lastindex == _WORD_GROUP:  # a word (its group is the pattern's last)
            append(_Token(match.group(), start, end, line, False))
        else:
            percent, unit = match.group("pct", "unit")
            append(_Token(match.group(), start, end, line, True, percent is not None, unit))
    return text, tokens


def _unit_key(unit: str | None) -> str:
    return re.sub(r"[\s.]", "", fold(unit or ""))


def _is_unit_word(token: _Token) -> bool:
    return not token.number and (bool(_UNIT_WORDS.match(token.raw)) or len(token.raw) <= 4)


def _cells(run: list[_Token], unit: str | None) -> list[_Cell]:
    """The numeric cells of a row; a cell printed "50% 20243 п.м." gives its value in the unit."""
    cells: list[_Cell] = []
    index = 0
    while index < len(run):
        token = run[index]
        following = run[index + 1] if index + 1 < len(run) else None
        if (
            token.percent
            and following is not None
            and following.unit
            and unit
            and _unit_key(following.unit) == _unit_key(unit)
        ):
            # One cell printed as "50% / 20243 п.м.": the value in the row's unit.
            cells.append(_Cell(f"{token.raw} {following.raw}", following.value, token.line))
            index += 2
            continue
        cells.append(_Cell(token.raw, token.value, token.line))
        index += 1
    return cells
