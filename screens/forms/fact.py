"""``f``: enter the fact of the selected indicator for a year.

The number is read as the ingest reads a table cell (``1 291,0``, ``100,6``, ``50%``); as you
type, the form says how it reads it, or why it cannot, with the store's own check. Saving writes
one entry beside the document's value, which is kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.widgets import Input, Static

from screens.labels import clean, number
from screens.widgets.form import FormScreen, row
from workbench.errors import WorkbenchError
from workbench.i18n import N_, _
from workbench.workspace.edit_checks import check_fact

if TYPE_CHECKING:
    from collections.abc import Callable

    from workbench.workspace.fact_store import Fact
    from workbench.workspace.session import Session


class FactForm(FormScreen["Fact"]):
    """Year and value, the unit beside it; dismissed with the saved Fact or None."""

    TITLE_TEXT = N_("Enter a fact")

    def __init__(
        self,
        session: Session,
        plan_id: str,
        node_id: str,
        year: int | None,
        heading: Callable[[int | None], Text],
        unit: str | None,
    ) -> None:
        super().__init__(heading(year))
        self.heading_for = heading
        self.session = session
        self.plan_id = plan_id
        self.node_id = node_id
        self.year = year
        self.unit = unit

    def rows(self) -> Any:
        yield row(
            N_("Year"),
            Input("" if self.year is None else str(self.year), compact=True, id="fact-year"),
        )
        yield row(
            N_("Fact"),
            Input(placeholder=_("e.g. 1 291,0 or 100,6"), compact=True, id="fact-value"),
            clean(self.unit) or _("(no unit)"),
        )

    def on_mount(self) -> None:
        self.query_one("#fact-value", Input).focus()
        self._check()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.show_error("")
        if event.input.id == "fact-year":
            self._show_heading(event.value)
        self._check()

    def _show_heading(self, typed: str) -> None:
        # a year still being typed (or not a year) shows the heading without a plan line
        year = int(typed) if typed.isascii() and typed.isdigit() else None
        self.query_one("#form-head", Static).update(self.heading_for(year))

    def _values(self) -> tuple[str, str]:
        return (
            self.query_one("#fact-year", Input).value,
            self.query_one("#fact-value", Input).value,
        )

    def _check(self) -> None:
        year, raw = self._values()
        hint = Text()
        if raw.strip():
            try:
                checked = check_fact(self.session.index, self.plan_id, self.node_id, year, raw)
            except WorkbenchError as exc:
                hint.append(clean(str(exc)))
            else:
                hint.append(_("Reads as {value}").format(value=number(checked.value, digits=3)))
                if checked.unit:
                    hint.append(f" {clean(checked.unit)}")
                hint.append(" " + _("for {year}.").format(year=checked.year))
        else:
            hint.append(
                _("Entered by {author}; the document's value is kept.").format(
                    author=self.session.author
                )
            )
        self.show_hint(hint)

    def save(self) -> Fact:
        year, raw = self._values()
        return self.session.workspace().enter_fact(self.plan_id, self.node_id, year, raw)
