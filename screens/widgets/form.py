"""What the edit forms share: a centred box, labelled rows, an inline error line, Save/Cancel.

A form saves through a callable that calls the store; the store's one-line refusal is shown in
the form (nothing was written) and the form stays open. Only a save that returned dismisses the
form, with the saved record, so the caller can say "saved" knowing it is committed.
"""

from __future__ import annotations

from typing import Any, ClassVar, Generic, TypeVar

from rich.text import Text
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from screens.labels import clean
from workbench.errors import WorkbenchError
from workbench.i18n import N_, _

T = TypeVar("T")


class FormScreen(ModalScreen[T | None], Generic[T]):
    """A modal form; subclasses compose rows into ``#form-body`` and implement :meth:`save`."""

    BINDINGS: ClassVar = [
        Binding("escape", "cancel", N_("Cancel"), show=False),
        Binding("ctrl+s", "save", "Save", show=False),
    ]
    DEFAULT_CSS = """
    FormScreen {
        align: center middle;
        & > #form {
            width: 76;
            max-width: 100%;
            height: auto;
            max-height: 100%;
            border: round $primary;
            border-title-align: center;
            border-subtitle-align: center;
            padding: 0 1;
            background: $surface;
        }
        & .form-row { height: auto; margin-top: 1; }
        /* 11 letters and a space: Kazakh's longest label (Түсініктеме) touched its field. */
        & .form-label { width: 12; padding: 0 1 0 0; color: $foreground-muted; }
        & .form-field { width: 1fr; }
        & .form-after { width: auto; padding-left: 1; color: $foreground-muted; }
        & #form-head { height: auto; }
        & #form-hint { height: auto; color: $foreground-muted; }
        & #form-error { height: auto; color: $error; text-style: bold; }
        & #form-buttons { height: auto; margin-top: 1; align-horizontal: right; }
        & #form-buttons Button { margin-left: 1; min-width: 10; }
    }
    """
    TITLE_TEXT = N_("Form")
    SAVE_LABEL = N_("Save")

    def __init__(self, heading: Text) -> None:
        super().__init__()
        self.heading = heading
        self._first: dict[int, str] | None = None

    def compose(self) -> Any:
        with Vertical(id="form") as box:
            box.border_title = _(self.TITLE_TEXT)
            box.border_subtitle = _("Enter in a text field or Ctrl+S saves · Esc cancels")
            yield Static(self.heading, id="form-head")
            yield from self.rows()
            yield Static("", id="form-hint")
            yield Static("", id="form-error")
            with Horizontal(id="form-buttons"):
                yield Button(_(self.SAVE_LABEL), variant="primary", id="form-save", compact=True)
                yield Button(_("Cancel"), id="form-cancel", compact=True)
        self.call_after_refresh(self._note_first_values)

    def _note_first_values(self) -> None:
        self._first = {id(each): each.value for each in self.query(Input)}

    def unsaved(self) -> bool:
        """Whether a field holds text typed since the form opened (quitting asks first)."""
        first = self._first or {}
        return any(each.value != first.get(id(each), "") for each in self.query(Input))

    def rows(self) -> Any:
        """The form's own rows (use :func:`row`)."""
        return iter(())

    def save(self) -> T:
        """Write through the store; raise WorkbenchError to refuse (shown in the form)."""
        raise NotImplementedError

    # -- shared behaviour ----------------------------------------------------------------------

    def show_error(self, text: str) -> None:
        self.query_one("#form-error", Static).update(Text(clean(text)))

    def show_hint(self, text: Text | str) -> None:
        hint = text if isinstance(text, Text) else Text(clean(text))
        self.query_one("#form-hint", Static).update(hint)

    def action_save(self) -> None:
        try:
            saved = self.save()
        except WorkbenchError as exc:
            self.show_error(str(exc))
            return
        self.dismiss(saved)  # not awaited: this runs inside a message handler

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "form-save":
            self.action_save()
        else:
            self.action_cancel()


def row(label: str, field: Any, after: str | None = None, *, id: str | None = None) -> Horizontal:
    """One labelled row of a form: ``label  [field]  after``."""
    field.add_class("form-field")
    parts: list[Any] = [Label(_(label), classes="form-label"), field]
    if after:
        parts.append(Label(Text(clean(after)), classes="form-after"))
    return Horizontal(*parts, classes="form-row", id=id)
