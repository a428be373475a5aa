"""Every key of the workbench screen as data: a binding id, its default keys, what it does.

The screens build their Textual bindings from :data:`KEYS`; ``config.toml [keys]`` remaps a
binding by its id (``quit = "ctrl+q"``), and :func:`check_keymap` refuses unknown ids, so a typo
in the config is an error rather than a silently dead key. The help screen (``?``) and the
command palette list these same entries. A screen that adds a key adds it here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from workbench.i18n import N_


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
    KeySpec("cursor_down", "down,j", "cursor_down", N_("Move down"), N_("Move")),
    KeySpec("cursor_up", "up,k", "cursor_up", N_("Move up"), N_("Move")),
    KeySpec("open", "enter,right,l", "open", N_("Open: expand, or show the detail"), N_("Move")),
    KeySpec("close", "escape,left,h", "close", N_("Close: collapse, or go back up"), N_("Move")),
    KeySpec("page_down", "pagedown", "page_down", N_("Page down"), N_("Move")),
    KeySpec("page_up", "pageup", "page_up", N_("Page up"), N_("Move")),
    KeySpec("first", "home,g", "scroll_home", N_("First row"), N_("Move")),
    KeySpec("last", "end,G", "scroll_end", N_("Last row"), N_("Move")),
    KeySpec(
        "expand_all",
        "plus",
        "screen.expand_all",
        N_("Expand every branch"),
        N_("Move"),
    ),
    KeySpec(
        "collapse_all",
        "minus",
        "screen.collapse_all",
        N_("Collapse every branch but the cursor's way"),
        N_("Move"),
    ),
    # The main screen.
    KeySpec(
        "filter",
        "slash",
        "screen.filter",
        N_("Filter titles as you type"),
        N_("Find"),
        N_("filter"),
    ),
    KeySpec("next_match", "n", "screen.next_match", N_("Next match"), N_("Find")),
    KeySpec("previous_match", "N", "screen.previous_match", N_("Previous match"), N_("Find")),
    KeySpec(
        "deviations",
        "d",
        "screen.toggle_deviations",
        N_("Deviations only (at risk, off track, claim)"),
        N_("Find"),
        N_("devs"),
    ),
    KeySpec(
        "year",
        "y",
        "screen.choose_year",
        N_("Year the statuses are counted at"),
        N_("Find"),
        N_("year"),
    ),
    KeySpec(
        "worst",
        "w",
        "screen.jump_worst",
        N_("Jump to the worst indicator below"),
        N_("Find"),
        N_("worst"),
    ),
    KeySpec(
        "detail", "tab", "screen.focus_detail", N_("Detail pane (scroll it; Esc back)"), N_("Find")
    ),
    KeySpec(
        "tree_order",
        "O",
        "screen.cycle_order",
        N_("Order: document, achievement ↑, deviation ↓"),
        N_("Find"),
    ),
    KeySpec(
        "go_to",
        "colon",
        "screen.go_to",
        N_("Go to a code (НҰИ-6, 3.2.1.1) or a title's start"),
        N_("Find"),
    ),
    # Activities, funding and responsible bodies (issue 7): from the main screen …
    KeySpec(
        "activities",
        "A",
        "screen.open_activities",
        N_("Activities under this row (an indicator: its goal's; a body: all of its own)"),
        N_("Drill"),
        N_("activities"),
    ),
    KeySpec(
        "funding",
        "F",
        "screen.open_funding",
        N_("Funding under this row"),
        N_("Drill"),
        N_("funding"),
    ),
    KeySpec(
        "bodies",
        "B",
        "screen.open_bodies",
        N_("Responsible bodies: what each answers for (activities view: the row's body)"),
        N_("Drill"),
        N_("bodies"),
    ),
    # … and inside the activities view.
    KeySpec(
        "act_sort",
        "o",
        "screen.cycle_sort",
        N_("Sort: order, deadline, status, body, title"),
        N_("Drill"),
        N_("sort"),
    ),
    KeySpec(
        "act_status",
        "x",
        "screen.cycle_status",
        N_("Due status filter: all, overdue, due …"),
        N_("Drill"),
        N_("status"),
    ),
    KeySpec("act_quarter", "c", "screen.pick_quarter", N_("Quarter filter"), N_("Drill")),
    KeySpec("act_body", "b", "screen.pick_body", N_("Responsible body filter"), N_("Drill")),
    KeySpec(
        "act_source", "dollar_sign", "screen.pick_source", N_("Funding source filter"), N_("Drill")
    ),
    KeySpec("act_clear", "X", "screen.clear_filters", N_("Drop every filter"), N_("Drill")),
    KeySpec(
        "as_of",
        "D",
        "screen.choose_as_of",
        N_("As-of date of the due statuses"),
        N_("Drill"),
        N_("as of"),
    ),
    KeySpec(
        "act_mark",
        "r",
        "screen.mark_reported",
        N_("Mark the activity reported on a date"),
        N_("Drill"),
        N_("reported"),
    ),
    KeySpec(
        "act_indicators",
        "i",
        "screen.show_indicators",
        N_("Indicators it serves (jump to one)"),
        N_("Drill"),
    ),
    KeySpec(
        "act_timeline", "T", "screen.toggle_timeline", N_("Quarter timeline or detail"), N_("Drill")
    ),
    KeySpec(
        "fund_scope",
        "p",
        "screen.toggle_scope",
        N_("Funding: this plan or the whole city"),
        N_("Drill"),
        N_("plan/city"),
    ),
    KeySpec(
        "fund_kind",
        "v",
        "screen.toggle_kind",
        N_("Funding: plan or fact amounts"),
        N_("Drill"),
        N_("plan/fact"),
    ),
    # The analyst's work (issue 6): annotations, entered facts, undo, snapshots.
    KeySpec(
        "unexplained",
        "e",
        "screen.toggle_unexplained",
        N_("Deviations without an explanation (no explained/resolved note)"),
        N_("Find"),
        N_("unexpl"),
    ),
    KeySpec(
        "annotate",
        "a",
        "screen.annotate",
        N_("Annotate the row (its year)"),
        N_("Edit"),
        N_("note"),
    ),
    KeySpec(
        "enter_fact",
        "f",
        "screen.enter_fact",
        N_("Enter the fact of an indicator"),
        N_("Edit"),
        N_("fact"),
    ),
    KeySpec(
        "polarity",
        "P",
        "screen.set_polarity",
        N_("Set an indicator's polarity: higher or lower is better (polarity: review)"),
        N_("Edit"),
    ),
    KeySpec(
        "undo", "u", "screen.undo", N_("Undo your last edit (annotation, fact, mark)"), N_("Edit")
    ),
    KeySpec(
        "snapshot",
        "s",
        "screen.create_snapshot",
        N_("Save a snapshot of everything"),
        N_("Edit"),
        N_("snap"),
    ),
    KeySpec(
        "snapshots",
        "S",
        "screen.show_snapshots",
        N_("Snapshots: export, compare two"),
        N_("Edit"),
        N_("snaps"),
    ),
    KeySpec(
        "import",
        "I",
        "screen.open_import",
        N_("Import a document: read it, correct the reading, add its plan"),
        N_("Edit"),
        N_("import"),
    ),
    # … and inside the snapshots screen.
    KeySpec(
        "snap_mark",
        "space",
        "screen.mark",
        N_("Snapshots: mark one to compare"),
        N_("Edit"),
        N_("mark"),
    ),
    KeySpec(
        "snap_diff",
        "C",
        "screen.diff",
        N_("Snapshots: compare the marked and this"),
        N_("Edit"),
        N_("compare"),
    ),
    KeySpec(
        "snap_export",
        "E",
        "screen.export",
        N_("Snapshots: export (.toml or .csv)"),
        N_("Edit"),
        N_("export"),
    ),
    # Everywhere.
    KeySpec(
        "help", "question_mark", "app.help", N_("The keys of this screen"), N_("App"), N_("help")
    ),
    KeySpec("command_palette", "ctrl+p", "app.command_palette", N_("Command palette"), N_("App")),
    KeySpec("toggle_theme", "t", "app.toggle_theme", N_("Light or dark theme"), N_("App")),
    KeySpec("quit", "q", "app.quit", N_("Quit"), N_("App"), N_("quit")),
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
    "colon": ":",
    "plus": "+",
    "minus": "-",
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
