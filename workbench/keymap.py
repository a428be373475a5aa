"""Every key of the workbench screen as data: a binding id, its default keys, what it does.

The screens build their Textual bindings from :data:`KEYS`; ``config.toml [keys]`` remaps a
binding by its id (``quit = "ctrl+q"``), and :func:`check_keymap` refuses unknown ids, so a typo
in the config is an error rather than a silently dead key. The help screen (``?``) and the
command palette list these same entries. A screen that adds a key adds it here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class KeySpec:
    id: str
    keys: str  # Textual key names, comma-separated: "down,j"
    action: str  # Textual action, namespaced when it is not the widget's own
    description: str
    group: str
    footer: str = ""  # a word or two for the footer; empty: not in the footer


KEYS: tuple[KeySpec, ...] = (
    # The tree (when it has focus).
    KeySpec("cursor_down", "down,j", "cursor_down", "Move down", "Move"),
    KeySpec("cursor_up", "up,k", "cursor_up", "Move up", "Move"),
    KeySpec("open", "enter,right,l", "open", "Open: expand, or show the detail", "Move"),
    KeySpec("close", "escape,left,h", "close", "Close: collapse, or go back up", "Move"),
    KeySpec("page_down", "pagedown", "page_down", "Page down", "Move"),
    KeySpec("page_up", "pageup", "page_up", "Page up", "Move"),
    KeySpec("first", "home,g", "scroll_home", "First row", "Move"),
    KeySpec("last", "end,G", "scroll_end", "Last row", "Move"),
    # The main screen.
    KeySpec("filter", "slash", "screen.filter", "Filter titles as you type", "Find", "filter"),
    KeySpec("next_match", "n", "screen.next_match", "Next match", "Find"),
    KeySpec("previous_match", "N", "screen.previous_match", "Previous match", "Find"),
    KeySpec(
        "deviations",
        "d",
        "screen.toggle_deviations",
        "Deviations only (at risk, off track, claim)",
        "Find",
        "devs",
    ),
    KeySpec("year", "y", "screen.choose_year", "Year the statuses are counted at", "Find", "year"),
    KeySpec(
        "worst", "w", "screen.jump_worst", "Jump to the worst indicator below", "Find", "worst"
    ),
    KeySpec("detail", "tab", "screen.focus_detail", "Detail pane (scroll it; Esc back)", "Find"),
    # Activities, funding and responsible bodies (issue 7): from the main screen …
    KeySpec(
        "activities",
        "A",
        "screen.open_activities",
        "Activities under this row (an indicator: its goal's; a body: all of its own)",
        "Drill",
        "activities",
    ),
    KeySpec("funding", "F", "screen.open_funding", "Funding under this row", "Drill", "funding"),
    KeySpec(
        "bodies",
        "B",
        "screen.open_bodies",
        "Responsible bodies: what each answers for (activities view: the row's body)",
        "Drill",
        "bodies",
    ),
    # … and inside the activities view.
    KeySpec(
        "act_sort",
        "o",
        "screen.cycle_sort",
        "Sort: order, deadline, status, body, title",
        "Drill",
        "sort",
    ),
    KeySpec(
        "act_status",
        "x",
        "screen.cycle_status",
        "Due status filter: all, overdue, due …",
        "Drill",
        "status",
    ),
    KeySpec("act_quarter", "c", "screen.pick_quarter", "Quarter filter", "Drill"),
    KeySpec("act_body", "b", "screen.pick_body", "Responsible body filter", "Drill"),
    KeySpec("act_source", "dollar_sign", "screen.pick_source", "Funding source filter", "Drill"),
    KeySpec("act_clear", "X", "screen.clear_filters", "Drop every filter", "Drill"),
    KeySpec(
        "as_of", "D", "screen.choose_as_of", "As-of date of the due statuses", "Drill", "as of"
    ),
    KeySpec(
        "act_mark",
        "r",
        "screen.mark_reported",
        "Mark the activity reported on a date",
        "Drill",
        "reported",
    ),
    KeySpec(
        "act_indicators",
        "i",
        "screen.show_indicators",
        "Indicators it serves (jump to one)",
        "Drill",
    ),
    KeySpec("act_timeline", "T", "screen.toggle_timeline", "Quarter timeline or detail", "Drill"),
    KeySpec(
        "fund_scope",
        "p",
        "screen.toggle_scope",
        "Funding: this plan or the whole city",
        "Drill",
        "plan/city",
    ),
    KeySpec(
        "fund_kind",
        "v",
        "screen.toggle_kind",
        "Funding: plan or fact amounts",
        "Drill",
        "plan/fact",
    ),
    # The analyst's work (issue 6): annotations, entered facts, undo, snapshots.
    KeySpec(
        "unexplained",
        "e",
        "screen.toggle_unexplained",
        "Deviations without an explanation (no explained/resolved note)",
        "Find",
        "unexpl",
    ),
    KeySpec("annotate", "a", "screen.annotate", "Annotate the row (its year)", "Edit", "note"),
    KeySpec(
        "enter_fact", "f", "screen.enter_fact", "Enter the fact of an indicator", "Edit", "fact"
    ),
    KeySpec("undo", "u", "screen.undo", "Undo your last edit (annotation, fact, mark)", "Edit"),
    KeySpec(
        "snapshot", "s", "screen.create_snapshot", "Save a snapshot of everything", "Edit", "snap"
    ),
    KeySpec(
        "snapshots", "S", "screen.show_snapshots", "Snapshots: export, compare two", "Edit", "snaps"
    ),
    # … and inside the snapshots screen.
    KeySpec("snap_mark", "space", "screen.mark", "Snapshots: mark one to compare", "Edit", "mark"),
    KeySpec(
        "snap_diff", "C", "screen.diff", "Snapshots: compare the marked and this", "Edit", "compare"
    ),
    KeySpec(
        "snap_export", "E", "screen.export", "Snapshots: export (.toml or .csv)", "Edit", "export"
    ),
    # Everywhere.
    KeySpec("help", "question_mark", "app.help", "The keys of this screen", "App", "help"),
    KeySpec("command_palette", "ctrl+p", "app.command_palette", "Command palette", "App"),
    KeySpec("toggle_theme", "t", "app.toggle_theme", "Light or dark theme", "App"),
    KeySpec("quit", "q", "app.quit", "Quit", "App", "quit"),
)

KEY_IDS = tuple(spec.id for spec in KEYS)
_KEY_NAME = re.compile(r"^[A-Za-z0-9_+\-]+$")
_DISPLAY = {
    "slash": "/",
    "question_mark": "?",
    "escape": "Esc",
    "enter": "Enter",
    "right": "→",
    "left": "←",
    "up": "↑",
    "down": "↓",
    "pagedown": "PgDn",
    "pageup": "PgUp",
    "home": "Home",
    "end": "End",
    "tab": "Tab",
    "space": "Space",
    "dollar_sign": "$",
}


def spec(binding_id: str) -> KeySpec:
    for item in KEYS:
        if item.id == binding_id:
            return item
    raise KeyError(binding_id)


def check_keymap(keymap: dict[str, str]) -> str | None:
    """What is wrong with a ``[keys]`` table, or None when every id and key name is valid."""
    for binding_id, keys in keymap.items():
        if binding_id not in KEY_IDS:
            return f"keys.{binding_id}: no such binding (known: {', '.join(KEY_IDS)})"
        names = [name.strip() for name in keys.split(",")]
        if not names or any(not name or not _KEY_NAME.match(name) for name in names):
            return f"keys.{binding_id} must be key names such as 'ctrl+q' or 'down,j'"
    return None


def effective_keys(binding_id: str, keymap: dict[str, str] | None = None) -> str:
    """The keys of a binding after the user's remapping."""
    return (keymap or {}).get(binding_id, spec(binding_id).keys)


def display(keys: str) -> str:
    """Keys as a person reads them: "enter,right,l" → "Enter / → / l"."""
    shown = []
    for name in keys.split(","):
        name = name.strip()
        parts = name.split("+")
        parts[-1] = _DISPLAY.get(parts[-1], parts[-1])
        shown.append(
            "+".join(p.capitalize() if p in ("ctrl", "shift", "alt") else p for p in parts)
        )
    return " / ".join(shown)
