"""A document's lines joined into one text and case-folded once, for every family's ``detect``.

Each family looks for its words in the case-folded text of a document's lines, and the five run
in turn on the same ``Source.lines`` tuple (a family's own reading may ask again): the text is
joined and folded once. A few entries are kept (a document laid out in each table style is
scored once per layout, and may be scored again when no family fits any), in a tuple replaced
whole, read once per call: a thread reading another document (the import view) never gets a
mixed entry. Only a tuple is kept, as a list may change between two calls.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from workbench.dataset.text import plain_folded

# One entry for each table style a document is laid out in (sources.render.STYLES).
_KEPT = 3


@dataclass(slots=True)
class _Joined:
    lines: Sequence[str]
    text: str
    casefolded: str | None = None  # worked out when first asked for
    folded: str | None = None  # NFC, then case-folded: worked out when first asked for


_LAST: list[tuple[_Joined, ...]] = [()]


def _joined(lines: Sequence[str]) -> _Joined:
    kept = _LAST[0]
    for entry in kept:
        if entry.lines is lines:
            return entry
    return _keep(lines, "\n".join(lines), kept)


def _keep(lines: Sequence[str], text: str, kept: tuple[_Joined, ...]) -> _Joined:
    entry = _Joined(lines, text)
    if type(lines) is tuple:
        _LAST[0] = (entry, *kept[: _KEPT - 1])
    return entry


def remember(lines: tuple[str, ...], text: str, folded: str | None = None) -> None:
    """Keep ``text``, which must be ``"\\n".join(lines)``, as the lines' joined text: a caller
    that joined them already saves joining them again; ``folded``, when given, must be that
    text folded as :func:`folded` folds it and case-folded alike (a text in NFC)."""
    kept = _LAST[0]
    if not any(entry.lines is lines for entry in kept):
        entry = _keep(lines, text, kept)
        entry.casefolded = entry.folded = folded


def joined(lines: Sequence[str]) -> tuple[str, str]:
    """``"\\n".join(lines)`` and that text case-folded (``str.casefold``)."""
    entry = _joined(lines)
    if entry.casefolded is None:
        _fold(entry)
    assert entry.casefolded is not None
    return entry.text, entry.casefolded


def _fold(entry: _Joined) -> None:
    plain = plain_folded(entry.text)
    if plain is not None:  # a text of plain characters is in NFC: folded as it is
        entry.casefolded = entry.folded = plain
    else:
        entry.casefolded = entry.text.casefold()


def folded(lines: Sequence[str]) -> str:
    """The joined lines as :func:`~workbench.dataset.text.fold` gives them (NFC, then
    case-folded): folding works per character and leaves line breaks alone, so its lines are
    the folded lines."""
    entry = _joined(lines)
    if entry.folded is None:
        if entry.casefolded is None:
            _fold(entry)
        if entry.folded is None:  # not plain characters only: NFC first
            normal = unicodedata.normalize("NFC", entry.text)
            # normalize returns the text itself when it is in NFC (nearly always)
            entry.folded = entry.casefolded if normal is entry.text else normal.casefold()
    result = entry.folded
    assert result is not None
    return result
