"""Text for a terminal: a document's text made safe, without importing the parsers (or
Polars), and a number shown exactly.

The screen imports this before its first frame; ``workbench.dataset.text.safe_display`` does the
same for the parsers, and a test keeps the two in step.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]"
)
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")


def safe_display(text: str | None) -> str:
    """Escape sequences and control characters removed; tabs become spaces."""
    if not text:
        return ""
    text = _ANSI.sub("", text)
    return _CONTROL.sub("", text.replace("\t", " "))


def exact_number(value: float) -> str:
    """A number in full (the shortest text that reads back as it), thousands set apart by
    spaces as the documents print them: what was stored, for a confirmation (``1 291``,
    ``1 234 567.25``, ``98.456``; the screen's tables round to their columns)."""
    if value != value or value in (float("inf"), float("-inf")):
        return repr(value)
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}".replace(",", " ")
    text = repr(float(value))
    if "e" in text:
        return text
    whole, _, fraction = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    return f"{sign}{int(whole.lstrip('-')):,}".replace(",", " ") + "." + fraction
