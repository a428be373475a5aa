"""A document's lines joined into one text and case-folded once, for every family's ``detect``.

Each family looks for its words in the case-folded text of a document's lines, and the five run
in turn on the same ``Source.lines`` tuple (a family's own reading may ask again): the text is
joined and folded once. One entry, replaced whole, read once per call: a thread reading another
document (the import view) never gets a mixed entry. Only a tuple is kept, as a list may change
between two calls.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(slots=True)
class _Joined:
    lines: Sequence[str]
    text: str
    casefolded: str
    folded: str | None = None  # NFC, then case-folded: worked out when first asked for


_LAST: list[_Joined] = [_Joined((), "", "", "")]


def _joined(lines: Sequence[str]) -> _Joined:
    last = _LAST[0]
    if last.lines is lines:
        return last
    text = "\n".join(lines)
    entry = _Joined(lines, text, text.casefold())
    if type(lines) is tuple:
        _LAST[0] = entry
    return entry


def joined(lines: Sequence[str]) -> tuple[str, str]:
    """``"\\n".join(lines)`` and that text case-folded (``str.casefold``)."""
    entry = _joined(lines)
    return entry.text, entry.casefolded


def folded(lines: Sequence[str]) -> str:
    """The joined lines as :func:`~workbench.dataset.text.fold` gives them (NFC, then
    case-folded): folding works per character and leaves line breaks alone, so its lines are
    the folded lines."""
    entry = _joined(lines)
    if entry.folded is None:
        normal = unicodedata.normalize("NFC", entry.text)
        # normalize returns the text itself when it is in NFC already (nearly always)
        entry.folded = entry.casefolded if normal is entry.text else normal.casefold()
    return entry.folded
