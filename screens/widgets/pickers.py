"""Two small modal pickers the views share: a list to choose one entry from (narrowed as you
type), a date to type."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from screens.labels import clean
from workbench.i18n import N_, _


class PickerScreen(ModalScreen[str | None]):
    """A list to choose one entry from, narrowed as you type; dismissed with its id, or None."""

    BINDINGS: ClassVar = [
        Binding("escape", "cancel", N_("Cancel"), show=False),
        Binding("down", "move('down')", show=False),
        Binding("up", "move('up')", show=False),
    ]
    DEFAULT_CSS = """
    PickerScreen {
        align: center middle;
        & > Vertical {
            width: 90%;
            max-width: 100;
            height: auto;
            max-height: 80%;
            border: round $primary;
            border-title-align: center;
        }
        & OptionList { border: none; height: auto; max-height: 1fr; padding: 0; }
    }
    """

    def __init__(
        self, title: str, entries: list[tuple[str, str]], also: dict[str, str] | None = None
    ) -> None:
        """``entries``: (id, label) pairs; labels are plain text (never markup). ``also``: more
        words an entry is found by (id → text), e.g. the other spellings of a body."""
        super().__init__()
        self.title_text = title
        self.entries = entries
        self.also = also or {}

    def compose(self) -> Any:
        with Vertical() as box:
            box.border_title = self.title_text
            box.border_subtitle = _("type to search · ↑↓ move · Enter choose · Esc cancel")
            yield Input(placeholder=_("type to search"), compact=True, id="picker-search")
            yield OptionList(*self._options(""))

    def _options(self, typed: str) -> list[Option]:
        words = typed.casefold().split()
        return [
            Option(Text(label), id=key)
            for key, label in self.entries
            if all(word in f"{label} {self.also.get(key, '')}".casefold() for word in words)
        ]

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self.query_one(OptionList).highlighted = 0 if self.entries else None

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        options = self.query_one(OptionList)
        options.clear_options()
        found = self._options(event.value)
        options.add_options(found)
        options.highlighted = 0 if found else None

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self.dismiss(options.get_option_at_index(options.highlighted).id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_move(self, direction: str) -> None:
        options = self.query_one(OptionList)
        options.action_cursor_down() if direction == "down" else options.action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)


class DateScreen(ModalScreen[date | None]):
    """A date to type (01.05.2026 or 2026-05-01, as on the command line); Enter accepts a
    valid one, Esc cancels."""

    BINDINGS: ClassVar = [Binding("escape", "cancel", N_("Cancel"), show=False)]
    DEFAULT_CSS = """
    DateScreen {
        align: center middle;
        & > Vertical {
            width: 50;
            height: auto;
            border: round $primary;
            border-title-align: center;
            padding: 0 1;
        }
        & #date-hint { color: $text-muted; }
    }
    """

    def __init__(self, title: str, value: date, hint: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.hint = hint

    def compose(self) -> Any:
        with Vertical() as box:
            box.border_title = self.title_text
            yield Input(
                self.value.isoformat(),
                placeholder=_("DD.MM.YYYY or YYYY-MM-DD"),
                compact=True,
                id="date-input",
            )
            yield Static(
                self.hint or _("DD.MM.YYYY or YYYY-MM-DD · Enter accept · Esc cancel"),
                id="date-hint",
            )

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        # The one date parser of every door (the command line's --as-of included).
        from workbench.errors import ValidationError
        from workbench.workspace.edit_checks import parse_date

        try:
            day = parse_date(event.value)
        except ValidationError:
            hint = self.query_one("#date-hint", Static)
            typed = clean(event.value.strip())
            hint.update(
                Text(
                    _("Not a date: “{typed}” — type it as 01.05.2026 or 2026-05-01").format(
                        typed=typed
                    )
                )
            )
            return
        self.dismiss(day)

    def action_cancel(self) -> None:
        self.dismiss(None)
