"""The levels of a development plan's structure and the printed items that open them.

The passport and part 4 print the same items; both classify them here so that part 4 can
be matched to the passport level by level.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from workbench.dataset.text import clean, fold

GROUP, DIRECTION, SECTION, NUI, GOAL, NI, TASK, SPHERE, INDICATOR = -1, 0, 1, 2, 3, 4, 5, 6, 7
_KIND = {
    GROUP: "direction",
    DIRECTION: "direction",
    SECTION: "section",
    NUI: "target",
    GOAL: "goal",
    NI: "target",
    TASK: "task",
    SPHERE: "section",
    INDICATOR: "indicator",
}
# Money rows of part 4 hang under the innermost open item at one of these levels.
_FUNDING_LEVELS = (GOAL, SECTION, DIRECTION, GROUP)
# Targets and indicators hold values: they are leaves, never the parent of another item.
_LEAVES = (NUI, NI, INDICATOR)

_KK = "әғқңөұүһі"
_NOT_LETTER = r"(?![^\W\d_])"
_DASH = r"[-–—‒−]"

_DIRECTION_RE = re.compile(
    rf"^(?:(?P<n>\d+)\s*{_DASH}\s*бағыт|(?:бағыт|направление)\s*(?P<n2>\d+)){_NOT_LETTER}"
    r"\s*[.:]?\s*(?P<title>.*)$",
    re.IGNORECASE,
)
_NUI_RE = re.compile(rf"^(?P<c>НҰИ)\s*{_DASH}?\s*(?P<n>\d+)\s*\.?\s*(?P<title>.*)$")
_NI_RE = re.compile(
    rf"^(?P<c>НИ|ЦИ)(?:\s*{_DASH}\s*(?P<n>\d+)|(?P<n2>\d+))?{_NOT_LETTER}\s*\.?\s*(?P<title>.*)$"
)
_INDICATOR_RE = re.compile(
    r"^(?P<n>\d*(?:\.\d+)+|\d+)\s*\.?\s*(?P<w>көрсеткіш|показатель)\w*\s*[.:]?\s*(?P<title>.*)$",
    re.IGNORECASE,
)
_GOAL_RE = re.compile(
    rf"^(?:(?P<n>\d+)\s*{_DASH}\s*(?:мақсат\w*|цель)|(?:мақсаты?|цель)(?:\s*(?P<n2>\d+))?"
    r"(?=\s*[.:]))\s*[.:]?\s*(?P<title>.*)$",
    re.IGNORECASE,
)
_TASK_RE = re.compile(
    rf"^(?:(?P<n>\d+)\s*{_DASH}\s*міндет\w*|(?:міндет(?:і|тер)?|тапсырма|задача)"
    r"(?:\s*(?P<n2>\d+))?(?=\s*[.:]))\s*[.:]?\s*(?P<title>.*)$",
    re.IGNORECASE,
)
_SPHERE_RE = re.compile(r"^(?P<n>\d+)\.\s+(?P<title>[^\d\s].*)$")

_WORD = re.compile(r"[^\W_]+")
_STOP_STEMS = frozenset(
    {
        "және", "мен", "бен", "пен", "үшін", "бойын", "арқыл", "оның", "ішінд", "соның",
        "қамта", "етілу", "облыс", "респу", "артты", "төмен", "азайт", "ұлғай", "жақса",
        "дамыт", "жетіл", "деңге", "ету", "жыл", "для", "при", "или", "облас",
    }
)  # fmt: skip


@dataclass(slots=True)
class _Item:
    """One classified item: its level, printed code, number and title (not frozen: items are
    made for most title cells, and a frozen dataclass is slower to make)."""

    level: int
    code: str | None
    number: str | None
    title: str


# How an item's text can start, by the patterns above: most rows (an indicator's or a money
# row's title) start otherwise, and are told apart with one match. Digits and dots are followed
# by something else in each pattern: a № cell ("1.2.") is none.
_ITEM_START = re.compile(
    r"(?i:[\d.]+(?=[^\d.])|бағыт|направление|мақсат|цель|міндет|тапсырма|задача)|НҰИ|НИ|ЦИ"
)


# The patterns above as one, tried in the same order (a match's last group is its branch, the
# branch's groups named after it), each without its title: every pattern ends
# "(?P<title>.*)$", which matches whatever follows in a text of one line, as a cleaned text is;
# the regular expression engine then stops where the title starts rather than step through it.
_ORDER = (
    (DIRECTION, _DIRECTION_RE),
    (NUI, _NUI_RE),
    (NI, _NI_RE),
    (INDICATOR, _INDICATOR_RE),
    (GOAL, _GOAL_RE),
    (TASK, _TASK_RE),
    (SPHERE, _SPHERE_RE),
)
_TITLE = re.compile(r"\(\?P<title>(.*)\.\*\)\$$")  # "(?P<title>….*)$": …, what it starts with


def _branch(level: int, pattern: re.Pattern[str]) -> str:
    title = _TITLE.search(pattern.pattern)
    assert pattern.pattern.startswith("^") and title is not None
    head = pattern.pattern[1 : title.start()]
    if title[1]:
        head += f"(?={title[1]})"  # the first character the title must have
    head = head.replace("(?P<", f"(?P<l{level + 1}_")
    flags = "i" if pattern.flags & re.IGNORECASE else "-i"
    return f"(?P<l{level + 1}>(?{flags}:{head}))"


_ITEM_HEAD = re.compile("|".join(_branch(level, pattern) for level, pattern in _ORDER))
# Each branch: its level and its number groups (the first that matched is the number).
_BRANCHES = {
    f"l{level + 1}": (
        level,
        tuple(f"l{level + 1}_{name}" for name in ("n", "n2") if name in pattern.groupindex),
    )
    for level, pattern in _ORDER
}


def _classify(text: str) -> _Item | None:
    """The item a cell or line prints (a direction, target, indicator, goal, task or numbered
    sphere), or None: the first of the item patterns that matches, in one match."""
    text = clean(text)
    if not _ITEM_START.match(text):
        return None
    if "\n" in text:  # not from clean(); a title of one line is what _ITEM_HEAD stands for
        return _classify_by_pattern(text)
    m = _ITEM_HEAD.match(text)
    if m is None:
        return None
    assert m.lastgroup is not None
    level, numbers = _BRANCHES[m.lastgroup]
    number = None
    for group in numbers:
        number = number or m[group]
    title = text[m.end() :].strip()
    if level == GOAL and not number:
        return _Item(GOAL, None, None, title)
    code = text[: m.end()].strip().rstrip(".:").strip()
    return _Item(level, code or None, number, title)


def _classify_by_pattern(text: str) -> _Item | None:
    """:func:`_classify` one pattern after another (what its one pattern, and the look at how
    the text starts, stand for)."""
    text = clean(text)
    m = _DIRECTION_RE.match(text)
    if m:
        return _item(DIRECTION, text, m, m["n"] or m["n2"])
    m = _NUI_RE.match(text)
    if m:
        return _item(NUI, text, m, m["n"])
    m = _NI_RE.match(text)
    if m:
        return _item(NI, text, m, m["n"] or m["n2"])
    m = _INDICATOR_RE.match(text)
    if m:
        return _item(INDICATOR, text, m, m["n"])
    m = _GOAL_RE.match(text)
    if m:
        number = m["n"] or m["n2"]
        item = _item(GOAL, text, m, number)
        return item if number else _Item(GOAL, None, None, item.title)
    m = _TASK_RE.match(text)
    if m:
        return _item(TASK, text, m, m["n"] or m["n2"])
    m = _SPHERE_RE.match(text)
    if m:
        return _item(SPHERE, text, m, m["n"])
    return None


def _item(level: int, text: str, m: re.Match[str], number: str | None) -> _Item:
    code = text[: m.start("title")].strip().rstrip(".:").strip()
    return _Item(level, code or None, number, m["title"].strip())


def _stems(title: str) -> frozenset[str]:
    """The first five letters (case-folded) of each word of three letters or more and of each
    two-letter word in capitals (an abbreviation), but the stop stems; a word is a run of
    letters and digits (:data:`_WORD`).

    Words are found by splitting at white space, a token of letters and digits only being one
    word as it stands (most are): quicker than the pattern run over the whole title, which
    looks only into the tokens that hold anything else (punctuation)."""
    out = set()
    # fold() of each word is its casefold() when the title is in NFC already (nearly always)
    normal = unicodedata.is_normalized("NFC", title)
    for token in title.split():
        for word in (token,) if token.isalnum() else _WORD.findall(token):
            folded = word.casefold() if normal else fold(word)
            if len(folded) < 3 and not (len(word) >= 2 and word.isupper()):
                continue
            stem = folded[:5]
            if stem not in _STOP_STEMS:
                out.add(stem)
    return frozenset(out)


_KK_LETTER = re.compile(f"[{_KK}]")
_RU_LETTER = re.compile("[а-я]")


def _language(title: str) -> str | None:
    folded = fold(title)
    if _KK_LETTER.search(folded):
        return "kk"
    if _RU_LETTER.search(folded):
        return "ru"
    return None


def _similarity(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    shared = len(a & b)
    if shared < 2 and min(len(a), len(b)) > 1:
        return 0.0
    return shared / min(len(a), len(b))
