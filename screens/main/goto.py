"""``:``: the prompt for a code to go to (the main screen resolves it, and says in the prompt
why a text names no one row)."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.containers import Vertical
from textual.widgets import Input

from screens.widgets.prompt import PromptScreen
from workbench.i18n import _


class GoToScreen(PromptScreen):
    """A :class:`PromptScreen` whose Enter goes rather than saves."""

    def __init__(self, check: Callable[[str], str | None]) -> None:
        heading = Text(
            _("A code as printed (НҰИ-6, 3.2.1.1) or the start of a title: this plan's first.")
        )
        super().__init__(_("Go to"), _("Code"), "", heading, check=check, action=_("Go"))

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#form", Vertical).border_subtitle = _("Enter goes · Esc cancels")
        self.query_one("#prompt-input", Input).placeholder = "3.2.1.1"  # a code, in any language
