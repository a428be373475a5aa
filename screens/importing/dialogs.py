"""The import view's small dialogs: a column's role, a line of text with a check, a yes/no."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from screens.language import translated
from workbench.i18n import N_, _
from workbench.ingest.import_session import COLUMN_CHOICES
from workbench.ingest.layout.role_names import choice_label
from workbench.ingest.layout.tables import VALUE_KIND_NAMES

AS_READ = "(as read)"  # drop the correction: the reader decides again

_CSS = """
ModalScreen { align: center middle; }
.dialog { width: 60; max-width: 100%; height: auto; max-height: 100%;
          border: round $accent; padding: 0 1; background: $surface; }
.dialog OptionList { height: auto; max-height: 12; }
.dialog .problem { color: $error; }
"""


class RoleDialog(ModalScreen["tuple[str, int | None] | None"]):
    """Pick a column's role; a value kind then asks for its year. Dismissed with
    ``(role, year)``, ``(AS_READ, None)`` or None (cancelled)."""

    DEFAULT_CSS = _CSS
    BINDINGS: ClassVar[list[BindingType]] = [translated(Binding("escape", "cancel", N_("Cancel")))]

    def __init__(self, heading: str, role: str, year: int | None) -> None:
        super().__init__()
        self.heading = heading
        self.role = role
        self.year = year
        self.chosen: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.heading))
            choices = [AS_READ, *COLUMN_CHOICES]
            labels = {AS_READ: _("(as read)")}
            options = (
                Option(labels.get(choice) or choice_label(choice), id=choice) for choice in choices
            )
            yield OptionList(*options, id="roles")
            yield Input(
                str(self.year or ""), placeholder=_("year, e.g. 2010"), id="year", disabled=True
            )
            yield Static("", id="problem", classes="problem")

    def on_mount(self) -> None:
        roles = self.query_one("#roles", OptionList)
        if self.role in COLUMN_CHOICES:
            roles.highlighted = [AS_READ, *COLUMN_CHOICES].index(self.role)
        roles.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        role = event.option.id or AS_READ
        if role not in VALUE_KIND_NAMES:
            self.dismiss((role, None))
            return
        self.chosen = role
        year = self.query_one("#year", Input)
        year.disabled = False
        year.focus()
        self._problem(
            _("the year of this {role} column, then Enter").format(role=choice_label(role))
        )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not (text.isdigit() and 1900 <= int(text) <= 2100):
            self._problem(_("expected a year like 2010, got {text!r}").format(text=text))
            return
        if self.chosen is not None:
            self.dismiss((self.chosen, int(text)))

    def _problem(self, message: str) -> None:
        self.query_one("#problem", Static).update(Text(message))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChoiceDialog(ModalScreen["str | None"]):
    """Pick one of ``choices`` (id, label); dismissed with the id, or None (cancelled)."""

    DEFAULT_CSS = _CSS
    BINDINGS: ClassVar[list[BindingType]] = [translated(Binding("escape", "cancel", N_("Cancel")))]

    def __init__(self, heading: str, choices: list[tuple[str, str]], current: str) -> None:
        super().__init__()
        self.heading = heading
        self.choices = choices
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.heading))
            options = (Option(label, id=choice) for choice, label in self.choices)
            yield OptionList(*options, id="choices")

    def on_mount(self) -> None:
        options = self.query_one("#choices", OptionList)
        ids = [choice for choice, _ in self.choices]
        if self.current in ids:
            options.highlighted = ids.index(self.current)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class TextDialog(ModalScreen["str | None"]):
    """One line of text; ``check`` says why it is refused (shown under it), or None."""

    DEFAULT_CSS = _CSS
    BINDINGS: ClassVar[list[BindingType]] = [translated(Binding("escape", "cancel", N_("Cancel")))]

    def __init__(self, label: str, value: str, check: Callable[[str], str | None]) -> None:
        super().__init__()
        self.label = label
        self.value = value
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.label))
            yield Input(self.value, id="text")
            yield Static("", id="problem", classes="problem")

    def on_mount(self) -> None:
        self.query_one("#text", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        problem = self.check(event.value)
        if problem:
            self.query_one("#problem", Static).update(Text(problem))
            return
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDialog(ModalScreen[bool]):
    """A question answered y (or Enter) / n (or Esc)."""

    DEFAULT_CSS = _CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        translated(Binding("y,enter", "answer(True)", N_("Yes"))),
        translated(Binding("n,escape", "answer(False)", N_("No"))),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.question))
            yield Static(Text(_("y / Enter: yes    n / Esc: no"), style="dim"))

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
