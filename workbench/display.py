"""A number shown exactly, thousands set apart by spaces (no Polars here: the screen imports this
before its first frame). Document text made safe for a terminal is
:func:`workbench.dataset.text.safe_display`.
"""

from __future__ import annotations


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


def percent(value: float | None) -> str:
    """An achievement or a share as the screen shows it: in percent with one decimal
    (``100.6%``: rounded to whole percent, 99.6 % would read as met); ``–`` when missing."""
    if value is None or value != value:
        return "–"
    return f"{value * 100:.1f}%"
