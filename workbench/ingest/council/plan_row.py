"""Splitting an action-plan row's text into its cells: task, measure, deadline, result,
responsible.

The cells are joined by plain spaces in the export, so the deadline anchors the row and the
other boundaries are guessed from how the documents word each cell.
"""

from __future__ import annotations

import re
from functools import lru_cache

from workbench.ingest.council.layout import (
    _LETTER_AFTER,
    _LINKING_WORDS,
    _OPENING,
    _UP,
    _WORD,
    _starts_upper,
    _words,
)

# A deadline cell: 2023-2026-жж., 2023-2026 гг., 2023 г., 2023 –ж, 2023-2026- ж.ж. (The
# patterns start with what a match's first characters must be, so that the search skips to
# them: the "20" of the year here, then the lookbehind that the year does not go on a word or a
# number; a capital or « for a body's name below. The first letters of the annual deadline are
# matched first, in both cases, the rest of the words in any case: a pattern ignoring case
# throughout, or starting with a lookahead, would be tried at every character.)
_DEADLINE = re.compile(
    r"(20(?<![\w.]20)\d\d)(?:\s*[-–—]\s*(20\d\d))?\s*[-–—]?\s*(?:ж\.?\s?ж|жж|гг|г|ж)"
    + _LETTER_AFTER
    + r"\.?"
)
_ANNUAL_DEADLINE = re.compile(
    r"[жЖаАеЕ](?<![^\W\d_].)(?i:(?<=ж)ыл\s+сайын|(?<=ж)ылына|(?<=а)р\s+жылы|(?<=е)жегодно)"
    + _LETTER_AFTER
)
_PARENTHESIS = re.compile(r"\s*\([^()]{1,80}\)")

# Where the responsible cell starts: a body named as the documents name them, after a space or
# at the start — "Мэрия", "Шаар мэриясы", «Name» КИ, an abbreviation such as "Д.М", "МС",
# "РИИБ", "АЖ-5". Its first character (a capital or «) is matched first and each name then
# checks it by a lookbehind.
_HEAD = re.compile(
    r"[«" + _UP + r"](?<!\S.)(?:"
    r"(?<=М)эрия"
    + _LETTER_AFTER
    + r"|(?<=Ш)аар мэриясы"
    + _LETTER_AFTER
    + r"|(?<=«)[^»\n]{1,40}»\s*["
    + _UP
    + r"]{2,}"
    + _LETTER_AFTER
    + r"|(?<=["
    + _UP
    + r"])\.["
    + _UP
    + r"]"
    + _LETTER_AFTER
    + r"|(?<=["
    + _UP
    + r"])["
    + _UP
    + r"]+(?:[жи]["
    + _UP
    + r"]+)*(?:-\d+)?"
    + _LETTER_AFTER
    + r")"
)


# A row's text is looked at several times (to tell whether the row is complete, then to read
# it): the deadline found is kept rather than searched for again.
@lru_cache(maxsize=4096)
def _find_deadline(text: str) -> tuple[int, int] | None:
    """The span of the deadline cell in a row's text (a parenthesis after it belongs to it)."""
    match = _DEADLINE.search(text) or _ANNUAL_DEADLINE.search(text)
    if match is None:
        return None
    end = match.end()
    extra = _PARENTHESIS.match(text, end)
    if extra:
        end = extra.end()
    return match.start(), end


def _split_result(after: str) -> tuple[str, str]:
    """Expected result and responsible from the text after the deadline."""
    heads = [head.span() for head in _HEAD.finditer(after)]
    if len(heads) < 2:  # no body named, or one: the responsible starts there
        if not heads:
            return after, ""
        start = heads[0][0]
        return after[:start], after[start:]
    index = 0
    if not after[: heads[0][0]].strip():
        between = after[heads[0][1] : heads[1][0]].strip()
        if len(_words(between)) >= 2 and not between.endswith(","):
            index = 1  # the result itself starts with a body's name ("Мэрия аркылуу …")
    while True:
        jump = None
        end = heads[index][1]
        for later in range(index + 1, len(heads)):
            start = heads[later][0]
            between = after[end:start].strip()
            if between.endswith((".", ";", ":")) and len(_words(between)) >= 2:
                jump = later  # the first head was named inside a sentence of the result
                break
            if after.startswith(_MAYORALTY_HEADS, start) and _plain_words(between) >= 3:
                jump = later  # "№4 ОМ жана БЧҮ нүн жылытуу … оңдоо Мэрия, …"
                break
        if jump is None:
            break
        index = jump
    start = heads[index][0]
    return after[:start], after[start:]


# The body names a result's sentence does not take in (only a name of those alternatives of
# _HEAD starts with these letters).
_MAYORALTY_HEADS = ("Мэрия", "Шаар")


def _has_responsible(text: str, start: int) -> bool:
    """Whether :func:`_split_result` finds a responsible cell in ``text[start:]``: it does as
    soon as a body is named there (the cell starts at one of the names, which are not blank),
    so one search tells without splitting (on the slice: a name's lookbehind must not see the
    deadline's last character)."""
    return _HEAD.search(text[start:]) is not None


def _plain_words(text: str) -> int:
    """Words of a text that are neither body names nor linking words."""
    return sum(
        1
        for word in _words(_HEAD.sub(" ", text))
        if word.strip(",.;:()") and word.strip(",.;:()") not in _LINKING_WORDS
    )


# Where a task's first sentence may end: a run of dots with a word after it; the word before
# the dots decides (see _sentence_end), and its last four characters can be neither a space
# nor a dot. (The pattern starts with the dot, so that the search skips to the dots; the
# characters before it are then looked behind at.)
_DOTS = re.compile(r"\.(?<=[^\s.]{4}\.)\.*(?=\s+(\S))")
# The word after a verbal noun (a word ending like layout's ``_VERBAL_NOUN``).
_AFTER_VERBAL = re.compile(r"(?:уу|үү|оо|өө)(?=\s+(\S+))")


def _sentence_end(text: str) -> tuple[int, int] | None:
    """Where the first sentence of ``text`` ends and the next word starts: at the dots that end
    a word of four letters or more (after any opening quotes or brackets) with no dot before
    them, when a word follows. Found from the dots, which are few, not word by word."""
    for match in _DOTS.finditer(text):
        # the word ends right before the dots (the pattern saw it), so the last part of the text
        # split at spaces is that word
        word = text[: match.start()].rsplit(None, 1)[-1]
        if "." not in word and len(word.lstrip(_OPENING)) >= 4:
            return match.end(), match.start(1)
    return None


def _split_task(text: str) -> tuple[str, str]:
    """A task row's text before the deadline: (task title, first measure)."""
    end = _sentence_end(text)
    if end is not None:
        return text[: end[0]], text[end[1] :]
    # the words that follow a verbal noun (with where they start): the two searches below look
    # at those only
    after_verbal = [(m.group(1), m.start(1)) for m in _AFTER_VERBAL.finditer(text)]
    boundary = None
    for word, at in reversed(after_verbal):
        if _starts_upper(word):
            boundary = at
            break
    if boundary is None:
        for word, at in after_verbal:
            if word not in _LINKING_WORDS and word[:1].isalpha() and word[:1].islower():
                boundary = at
                break
    if boundary is None:
        return text, ""
    return text[:boundary], text[boundary:]


def _split_heading(text: str) -> tuple[str, str]:
    """A heading printed with a measure row on its line: (heading, measure)."""
    words = list(_WORD.finditer(text))
    for i in range(1, len(words)):
        if _starts_upper(words[i].group()):
            return text[: words[i].start()], text[words[i].start() :]
    return text, ""
