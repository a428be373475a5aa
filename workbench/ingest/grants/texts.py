"""The texts of a grant's cells: HTML fragments joined, amounts, targets and periods.

A grant list's cells hold HTML fragments (``<p>``, ``<ol>``) cut by page breaks; these helpers
read the text out of them the way a person does.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from workbench.dataset.text import clean, fold, html_to_lines, single_spaced

_TAG = re.compile(r"<[^>]*>")
_AMOUNT = re.compile(
    r"(?:(?P<year>20\d\d)\s*(?:жыл\w*|ж\.?|год\w*|г\.)?\s*[-–—:]?\s*)?"
    r"(?P<number>\d[\d \u00a0]*(?:[.,]\d+)?)\s*"
    r"(?P<unit>мың|мин|тыс\.?|млн\.?|млрд\.?)?\s*(?P<currency>теңге|тенге|тг\.?)",
    re.IGNORECASE,
)
# every amount ends with one of these (as _AMOUNT reads them, in any case)
_CURRENCY = re.compile(r"теңге|тенге|тг", re.IGNORECASE)
_TOTAL_YEAR = re.compile(r"(?<!\d)(20\d\d)\s*(?:жыл\w*|ж\.?|год\w*|г\.)")
_PERIOD = re.compile(
    r"(?<!\d)20\d\d(?:\s*[-–—]\s*20\d\d)?\s*(?:жж\.?|ж\.ж\.?|жыл\w*|ж\.?|гг\.?|год\w*|г\.)?"
)
_TARGETS_MARK = re.compile(
    r"(?:<p[^>]*>\s*)?(?:нысаналы\s+индикатор|күтілетін\s+нәтиже|целев\w*\s+индикатор)",
    re.IGNORECASE,
)
_TARGET_HEADING = re.compile(
    r"^(?P<head>нысаналы\s+индикатор\w*|целев\w*\s+индикатор\w*|күтілетін\s+нәтиже\w*|"
    r"ожидаем\w*\s+результат\w*)\s*(?:\([^)]{0,40}\))?\s*:?\s*",
    re.IGNORECASE,
)
# "1. ", "12. " at the start or after a space; written to start with the digit (the space or
# the start tested behind it) so that a search skips to the digits
_ITEM = re.compile(r"(\d(?<!\S\d)\d?)\.\s+(?=\S)")
_NUMBERED = re.compile(r"\d(?<!\S\d)\d?\.\s")
_STARTS_LOWER = re.compile(r"^[a-zа-яёәғқңөұүһі(«\"“,;]")
_SENTENCE_END = re.compile(r"[.!?:;»\"”)]$")


def _plain(raw: str) -> str:
    """A cell's text without its HTML tags: ``clean`` of the text with a space for each tag."""
    text = _TAG.sub(" ", raw) if "<" in raw else raw
    if "&" not in text:
        flat = text.replace("\n", " ") if "\n" in text else text
        if flat.isprintable():
            # No entity, no control character and no space but " " (every other one is
            # unprintable): what clean() does comes down to collapsing the spaces, done here
            # without its substitutions (a tag left two spaces in most cells).
            return single_spaced(flat)
    return clean(text)


def _amounts(text: str) -> list[re.Match[str]]:
    """``_AMOUNT``'s matches in ``text``, looked for while a currency word is left: the pattern
    is tried at every character, and a year or a number without money after it (``2026 жыл``)
    is tried a long way back."""
    found = []
    at = 0
    while _CURRENCY.search(text, at) is not None:
        match = _AMOUNT.search(text, at)
        if match is None:
            break
        found.append(match)
        at = match.end()
    return found


def _is_amount_cell(text: str) -> bool:
    """Whether a cell's plain text is an amount (and little else)."""
    if not text or len(text) > 120:
        return False
    found = _amounts(text)
    if not found:
        return False
    # the text between the amounts (each one made a space)
    ends = [0, *(end for match in found for end in match.span()), len(text)]
    rest = " ".join(text[ends[k] : ends[k + 1]] for k in range(0, len(ends), 2))
    return len(re.sub(r"[\W\d_]+", "", rest)) < 10


def _reads_like_targets(text: str) -> bool:
    """Whether a cell's plain text reads like numbered targets or their heading."""
    return bool(_NUMBERED.search(text) or _TARGETS_MARK.search(text))


_NEW_ITEM = re.compile(r"^\d{1,2}\.\s|^[-–—•]\s")
_CUT_WORD = re.compile(r"^[а-яёәғқңөұүһіa-z](?=[\s,.;:])")
# a word's letter at the end (``$``: before a final line break too, hence the last two)
_WORD_END = re.compile(r"\w$")
_CLOSING_TAG = re.compile(r"</(?:p|li|ol|ul)\s*>", re.IGNORECASE)
_OPENING_HEAD = re.compile(r"^\s*(?:<(?:p|li)(?:\s[^>]*)?>\s*)+", re.IGNORECASE)


def _join_fragments(fragments: list[str], plains: Sequence[str | None] = ()) -> str:
    """One cell's text from the pieces a page break cut it into.

    A piece that goes on with the same sentence (it starts in lower case, or the text before it
    stops without an end mark) is joined inline, dropping the paragraph tags the break added; a
    word cut in two (``институттарыны`` + ``н әлеуетін``) is glued back. Otherwise the piece is a
    new paragraph. ``plains``: each piece's plain text, where read already (None where not).
    """
    text = ""
    for index, raw in enumerate(fragments):
        if not text:
            text = raw
            continue
        known = plains[index] if index < len(plains) else None
        after = known if known is not None else _plain(raw)
        if not after:
            continue
        new_item = bool(_NEW_ITEM.match(after))
        # (the text so far is read as plain text only when it decides)
        if _STARTS_LOWER.match(after) or not (new_item or _SENTENCE_END.search(_plain(text))):
            head = _without_closing_tags(text)
            # (an opening tag can only open a piece that starts with "<")
            opening = _OPENING_HEAD.match(raw) if raw.lstrip().startswith("<") else None
            tail = raw[opening.end() :] if opening is not None else raw
            cut_word = _CUT_WORD.match(after)
            glue = "" if cut_word and _WORD_END.search(head[-2:]) else " "
            text = head + glue + tail.lstrip()
        else:
            text = text + "\n" + raw
    return text


def _without_closing_tags(text: str) -> str:
    """``text`` without the closing tags it ends with (``</p>``, ``</li>``, ``</ol>``,
    ``</ul>``) and the spaces around them; read back from its end, tag by tag."""
    end = len(text.rstrip())
    cut = False
    while (at := text.rfind("<", 0, end)) >= 0 and _CLOSING_TAG.fullmatch(text, at, end):
        cut = True
        end = at
        while end > 0 and text[end - 1].isspace():
            end -= 1
    return text[:end] if cut else text


def _split_targets(raw: str) -> tuple[list[str], list[str]]:
    """The numbered target indicators and the numbered expected results of a targets cell."""
    lists: dict[str, list[str]] = {"targets": [], "results": []}
    mode = "targets"
    expected = 1
    for line in html_to_lines(raw):
        heading = _TARGET_HEADING.match(line)
        if heading:
            head = fold(heading.group("head"))
            mode = "results" if ("нәтиже" in head or "результат" in head) else "targets"
            expected = 1
            line = line[heading.end() :].strip()
            if not line:
                continue
        items = lists[mode]
        starts = []
        for match in _ITEM.finditer(line):
            number = int(match.group(1))
            if number == expected or (match.start() == 0 and number == 1):
                starts.append(match)
                expected = number + 1
        if not starts:
            if items:
                items[-1] = clean(f"{items[-1]} {line}")
            else:
                items.append(line)
            continue
        lead = line[: starts[0].start()].strip()
        if lead:
            if items:
                items[-1] = clean(f"{items[-1]} {lead}")
            else:
                items.append(lead)
        for index, match in enumerate(starts):
            end = starts[index + 1].start() if index + 1 < len(starts) else len(line)
            item = clean(line[match.end() : end])
            if item:
                items.append(item)
    return lists["targets"], lists["results"]


def _period(type_text: str) -> tuple[str | None, str | None]:
    """Split "1 орта мерзімді грант, 2026-2027 жж." into the grant type and the printed period."""
    match = _PERIOD.search(type_text)
    if not match:
        return clean(type_text) or None, None
    kind = clean(type_text[: match.start()] + " " + type_text[match.end() :]).strip(" ,;")
    return kind or None, clean(match.group(0))
