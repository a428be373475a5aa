"""``?``: every key, generated from the key registry with the user's remapping applied."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from workbench.i18n import N_, _
from workbench.keymap import KEYS, display, effective_keys


def help_table(keymap: dict[str, str] | None = None) -> Table:
    """The keys by group: keys as shown, what they do, and the binding id to remap them."""
    table = Table(box=None, pad_edge=False, expand=True, show_header=True, padding=(0, 1))
    # Headers as Text: a plain string would be read as markup, and "[keys]" would vanish.
    table.add_column(Text(_("Key")), no_wrap=True, style="bold")
    table.add_column(Text(_("Does")), ratio=1)
    table.add_column(Text(_("id in config.toml [keys]")), no_wrap=True, style="dim")
    group = None
    for spec in KEYS:
        if spec.group != group:
            group = spec.group
            table.add_row(Text(_(group), style="bold underline"), "", "")
        table.add_row(
            Text(display(effective_keys(spec.id, keymap))), Text(_(spec.description)), Text(spec.id)
        )
    return table


class HelpScreen(ModalScreen[None]):
    """Every key of the workbench; Esc, q or ? closes it."""

    BINDINGS: ClassVar = [
        Binding("escape,q,question_mark", "dismiss", N_("Close"), show=False),
        Binding("down,j", "scroll('down')", show=False),
        Binding("up,k", "scroll('up')", show=False),
    ]
    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        & > VerticalScroll {
            width: 90%;
            max-width: 100;
            height: 90%;
            border: round $primary;
            border-title-align: center;
            padding: 0 1;
            background: $surface;
        }
    }
    """

    def __init__(self, keymap: dict[str, str] | None = None) -> None:
        super().__init__()
        self.keymap = dict(keymap or {})

    def compose(self) -> Any:
        with VerticalScroll(id="help-body") as body:
            body.border_title = _("Keys (Esc closes)")
            yield Static(help_table(self.keymap), id="help-table")
            yield Static(
                Text(
                    _(
                        "Statuses: ● met  ◐ at risk  ✖ off track  ○ no data  ! the document's "
                        "claim disagrees  ✎ annotated. "
                        'Remap a key in config.toml, e.g. [keys] quit = "ctrl+q".'
                    ),
                ),
                id="help-notes",
            )

    def action_scroll(self, direction: str) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        if direction == "down":
            body.scroll_down(animate=False)
        else:
            body.scroll_up(animate=False)
