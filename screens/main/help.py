"""``?``: the keys of the screen it was opened over, generated from the key registry with the
user's remapping applied."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.events import Resize
from textual.screen import ModalScreen
from textual.widgets import Static

from workbench.i18n import N_, _
from workbench.keymap import KEYS, display, effective_keys


def help_table(
    keymap: dict[str, str] | None = None,
    only: Collection[str] | None = None,
    *,
    ids: bool = True,
) -> Table:
    """The keys by group: keys as shown, what they do, and (with ``ids``) the binding id to remap
    them; ``only`` keeps the keys of these ids (a screen's own), every key when None."""
    table = Table(box=None, pad_edge=False, expand=True, show_header=True, padding=(0, 1))
    # Headers as Text: a plain string would be read as markup, and "[keys]" would vanish.
    table.add_column(Text(_("Key")), no_wrap=True, style="bold")
    table.add_column(Text(_("Does")), ratio=1)
    if ids:
        table.add_column(Text(_("id in config.toml [keys]")), no_wrap=True, style="dim")
    group = None
    for spec in KEYS:
        if only is not None and spec.id not in only:
            continue
        if spec.group != group:
            group = spec.group
            table.add_row(Text(_(group), style="bold underline"), "", *([""] if ids else []))
        cells = [Text(display(effective_keys(spec.id, keymap))), Text(_(spec.description))]
        table.add_row(*cells, *([Text(spec.id)] if ids else []))
    return table


class HelpScreen(ModalScreen[None]):
    """The keys of the screen it was opened over; Esc, q or ? closes it."""

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

    def __init__(
        self, keymap: dict[str, str] | None = None, only: Collection[str] | None = None
    ) -> None:
        super().__init__()
        self.keymap = dict(keymap or {})
        self.only = only

    def on_resize(self, event: Resize) -> None:
        # below 100 columns the ids (for config.toml) give their room to what the keys do
        table = help_table(self.keymap, self.only, ids=event.size.width >= 100)
        self.query_one("#help-table", Static).update(table)

    def compose(self) -> Any:
        with VerticalScroll(id="help-body") as body:
            body.border_title = _("Keys (Esc closes)")
            wide = self.app.size.width >= 100
            yield Static(help_table(self.keymap, self.only, ids=wide), id="help-table")
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
