"""Numbers shown one way everywhere, as the analysts write them: a decimal comma and thousands
set apart by a narrow no-break space (``1 291,5``; U+202F, so that two numbers side by side in
a table never read as one, and a number never breaks across lines). The CLI's text and Markdown
reports and the screens use these; CSV, JSON and TOML keep machine numbers. (No Polars here:
the screen imports this before its first frame.) Document text made safe for a terminal is
:func:`workbench.dataset.text.safe_display`.
"""

from __future__ import annotations

import math

THOUSANDS = "\u202f"
DECIMAL = ","
MISSING = "–"


def _grouped(text: str) -> str:
    """``-1234567.25`` (Python's notation) in the shown one: ``-1 234 567,25``."""
    sign = "-" if text.startswith("-") else ""
    whole, _, fraction = text.lstrip("-").partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    shown = sign + THOUSANDS.join(groups)
    return shown + (DECIMAL + fraction if fraction else "")


def number(value: float | None, *, decimals: int | None = None, most: int = 2) -> str:
    """``value`` shown: ``decimals`` fixed, or (None) as few as it needs up to ``most``
    (``100,6``, ``1 291``, ``78 905``); ``–`` for nothing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    if decimals is None:
        text = f"{value:.{most}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    else:
        text = f"{value:.{decimals}f}"
    if text in ("-0", "-0." + "0" * (decimals or 0)):
        text = text[1:]
    return _grouped(text)


def percent(value: float | None, *, decimals: int = 1) -> str:
    """A ratio as a percentage: ``0.9856`` → ``98,6%``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    return number(value * 100, decimals=decimals) + "%"


def exact_number(value: float) -> str:
    """A number in full (the shortest text that reads back as it), shown the one way: what was
    stored, for a confirmation (``1 291``, ``1 234 567,25``, ``98,456``; the screen's tables
    round to their columns)."""
    if value != value or value in (float("inf"), float("-inf")):
        return repr(value)
    if float(value).is_integer() and abs(value) < 1e15:
        return _grouped(str(int(value)))
    text = repr(float(value))
    if "e" in text:
        return text.replace(".", DECIMAL)
    return _grouped(text)
