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
# lookaheads of this pattern and the next name the first letters, which the search looks for
# before it tries the lookbehind.)
_DEADLINE = re.compile(
    r"(?=20)(?<![\w.])(20\d\d)(?:\s*[-–—]\s*(20\d\d))?\s*[-–—]?\s*(?:ж\.?\s?ж|жж|гг|г|ж)"
    + _LETTER_AFTER
    + r"\.?"
)
_ANNUAL_DEADLINE = re.compile(
    r"(?=[жае])(?<![^\W\d_])(?:жыл\s+сайын|жылына|ар\s+жылы|ежегодно)" + _LETTER_AFTER,
    re.IGNORECASE,
)
_PARENTHESIS = re.compile(r"\s*\([^()]{1,80}\)")

# Where the responsible cell starts: a body named as the documents name them. Each name starts
# with a capital or «, which the search looks for first.
_HEAD = re.compile(
    r"(?=[«" + _UP + r"])(?<!\S)(?:"
    r"Мэрия"
    + _LETTER_AFTER
    + r"|Шаар мэриясы"
    + _LETTER_AFTER
    + r"|«[^»\n]{1,40}»\s*["
    + _UP
    + r"]{2,}"
    r""
    + _LETTER_AFTER
    + r"|["
    + _UP
    + r"]\.["
    + _UP
    + r"]"
    + _LETTER_AFTER
    + r"|["
    + _UP
    + r"]{2,}"
    r"(?:[жи][" + _UP + r"]+)*(?:-\d+)?" + _LETTER_AFTER + r")"
)


# A row's text is split several times (to tell whether the row is complete, then to read it):
# the results are kept rather than worked out again.
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


@lru_cache(maxsize=4096)
def _split_result(after: str) -> tuple[str, str]:
    """Expected result and responsible from the text after the deadline."""
    heads = list(_HEAD.finditer(after))
    if not heads:
        return after, ""
    index = 0
    if not after[: heads[0].start()].strip() and len(heads) > 1:
        between = after[heads[0].end() : heads[1].start()].strip()
        if len(_words(between)) >= 2 and not between.endswith(","):
            index = 1  # the result itself starts with a body's name ("Мэрия аркылуу …")
    while True:
        jump = None
        for later in range(index + 1, len(heads)):
            between = after[heads[index].end() : heads[later].start()].strip()
            if between.endswith((".", ";", ":")) and len(_words(between)) >= 2:
                jump = later  # the first head was named inside a sentence of the result
                break
            if heads[later].group().startswith(("Мэрия", "Шаар")) and _plain_words(between) >= 3:
                jump = later  # "№4 ОМ жана БЧҮ нүн жылытуу … оңдоо Мэрия, …"
                break
        if jump is None:
            break
        index = jump
    start = heads[index].start()
    return after[:start], after[start:]


def _plain_words(text: str) -> int:
    """Words of a text that are neither body names nor linking words."""
    return sum(
        1
        for word in _words(_HEAD.sub(" ", text))
        if word.strip(",.;:()") and word.strip(",.;:()") not in _LINKING_WORDS
    )


# What a verbal noun ends with (layout's ``_VERBAL_NOUN``), for ``str.endswith``.
_VERBAL_ENDINGS = ("уу", "үү", "оо", "өө")
# A word that ends a sentence: four letters or more (after any opening quote or bracket), no
# dot among them, then the dots; a word follows it.
_SENTENCE_END = re.compile(
    rf"(?<!\S)[{_OPENING}]*[^\s.{_OPENING}][^\s.]{{3,}}\.+(?=\s+(?P<next>\S))"
)


def _split_task(text: str) -> tuple[str, str]:
    """A task row's text before the deadline: (task title, first measure)."""
    end = _SENTENCE_END.search(text)
    if end is not None:
        return text[: end.end()], text[end.start("next") :]
    words = list(_WORD.finditer(text))
    texts = [word.group() for word in words]
    # the words that follow a verbal noun: the two searches below look at those only
    after_verbal = [i for i in range(1, len(texts)) if texts[i - 1].endswith(_VERBAL_ENDINGS)]
    boundary = None
    for i in reversed(after_verbal):
        if _starts_upper(texts[i]):
            boundary = i
            break
    if boundary is None:
        for i in after_verbal:
            current = texts[i]
            if current not in _LINKING_WORDS and current[:1].isalpha() and current[:1].islower():
                boundary = i
                break
    if boundary is None:
        return text, ""
    return text[: words[boundary].start()], text[words[boundary].start() :]


def _split_heading(text: str) -> tuple[str, str]:
    """A heading printed with a measure row on its line: (heading, measure)."""
    words = list(_WORD.finditer(text))
    for i in range(1, len(words)):
        if _starts_upper(words[i].group()):
            return text[: words[i].start()], text[words[i].start() :]
    return text, ""
