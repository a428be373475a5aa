"""Text for the screen: always literal (never read as markup), shortened to fit, with glyphs.

Everything from a document goes through :func:`literal`: escape sequences and control characters
are removed (``safe_display``) and the result is a Rich ``Text``, which Textual shows as it is —
``[bold]`` or ``[link=…]`` in a title stays those characters.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text

from workbench import display
from workbench.analysis.glyphs import GLYPHS, STATUS_LABELS
from workbench.dataset.text import safe_display
from workbench.i18n import N_, _

ELLIPSIS = "…"
# Component class (in the widgets' CSS) of each status.
STATUS_CLASS = {
    "met": "status--met",
    "at_risk": "status--at-risk",
    "off_track": "status--off-track",
    "no_data": "status--no-data",
}
KIND_LABELS = {
    "city": N_("city"),
    "plan": N_("plan"),
    "direction": N_("direction"),
    "section": N_("section"),
    "goal": N_("goal"),
    "target": N_("target indicator"),
    "task": N_("task"),
    "indicator": N_("indicator"),
    "activity": N_("activity"),
    "grant": N_("grant"),
}
# A plan's kind (the data's key) as shown.
PLAN_KINDS = {
    "report": N_("report"),
    "plan": N_("plan"),
    "programme": N_("programme"),
    "grants": N_("grants"),
}


def clean(text: object) -> str:
    """One line of document text, safe for the terminal."""
    if text is None:
        return ""
    return safe_display(str(text)).replace("\n", " ")


def literal(text: object, style: Style | str = "") -> Text:
    """Document text as a Text that is never parsed as markup."""
    return Text(clean(text), style=style, no_wrap=False)


def shorten(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells, with an ellipsis when cut."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text
    out = []
    used = 0
    for char in text:
        size = cell_len(char)
        if used + size > width - 1:
            break
        out.append(char)
        used += size
    return "".join(out).rstrip() + ELLIPSIS


def number(value: float | None, *, digits: int = 1) -> str:
    """A value shown the one way (:mod:`workbench.display`), no needless decimals."""
    return display.number(value, most=digits + 1)


def glyph(status: str | None) -> str:
    return GLYPHS.get(status or "no_data", GLYPHS["no_data"])


def status_label(status: str | None) -> str:
    return _(STATUS_LABELS.get(status or "no_data", "no data"))


def rollup_parts(row: Mapping[str, Any], *, compact: bool = False) -> list[tuple[str, str]]:
    """(text, status) pieces of a roll-up: ``●4 ◐2 ✖1 ○3``; zero counts left out when compact."""
    parts = []
    for status in ("met", "at_risk", "off_track", "no_data"):
        count = row.get(status) or 0
        if compact and not count:
            continue
        parts.append((f"{GLYPHS[status]}{count}", status))
    return parts
