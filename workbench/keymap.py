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
        "deviations",
    ),
    KeySpec("year", "y", "screen.choose_year", "Year the statuses are counted at", "Find", "year"),
    KeySpec(
        "worst", "w", "screen.jump_worst", "Jump to the worst indicator below", "Find", "worst"
    ),
    KeySpec("detail", "tab", "screen.focus_detail", "Detail pane (scroll it; Esc back)", "Find"),
    # Everywhere.
    KeySpec("help", "question_mark", "app.help", "Every key", "App", "help"),
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
