"""``a``: annotate the selected row — a new annotation, or a new version of an existing one.

The row's year is prefilled (an indicator: the year its status is counted at; empty: the node as
a whole). Choosing an existing annotation in the first field loads it; saving then adds a version
(the store keeps the history), so resolving is: choose it, set the state, Enter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.widgets import Input, Select

from screens.labels import clean, shorten
from screens.widgets.form import FormScreen, row
from workbench.i18n import N_, _
from workbench.workspace.edit_checks import STATES

if TYPE_CHECKING:
    from workbench.workspace.annotation_store import Annotation
    from workbench.workspace.session import Session

NEW = -1
NO_CATEGORY = ""
# The states (the data's keys) as the form shows them.
_STATE_NAMES = (N_("open"), N_("explained"), N_("resolved"))


class AnnotationForm(FormScreen["Annotation"]):
    """Text, category (from config), state; dismissed with the saved Annotation or None."""

    TITLE_TEXT = N_("Annotate")

    def __init__(
        self, session: Session, plan_id: str, node_id: str, year: int | None, heading: Text
    ) -> None:
        super().__init__(heading)
        self.session = session
        self.plan_id = plan_id
        self.node_id = node_id
        self.year = year
        self.existing = {a.id: a for a in session.annotations(plan_id, node_id)}

    def rows(self) -> Any:
        choices: list[tuple[str | Text, int]] = [(Text(_("New annotation")), NEW)]
        for note in self.existing.values():
            when = _("whole node") if note.year is None else str(note.year)
            label = f"#{note.id} {when} {_(note.state)}: {shorten(clean(note.text), 40)}"
            choices.append((Text(label), note.id))
        yield row(
            N_("Note"),
            Select(choices, value=NEW, allow_blank=False, compact=True, id="ann-which"),
        )
        yield row(
            N_("Year"),
            Input(
                "" if self.year is None else str(self.year),
                placeholder=_("empty: the node as a whole"),
                compact=True,
                id="ann-year",
            ),
        )
        yield row(
            N_("Text"),
            Input(placeholder=_("why it deviates, what was done …"), compact=True, id="ann-text"),
        )
        categories: list[tuple[str | Text, str]] = [(Text(_("(no category)")), NO_CATEGORY)]
        categories += [(Text(clean(c)), c) for c in self.session.categories]
        yield row(
            N_("Category"),
            Select(categories, value=NO_CATEGORY, allow_blank=False, compact=True, id="ann-cat"),
        )
        states: list[tuple[str | Text, str]] = [(Text(_(s)), s) for s in STATES]
        yield row(
            N_("State"),
            Select(states, value="open", allow_blank=False, compact=True, id="ann-state"),
        )

    def on_mount(self) -> None:
        self.query_one("#ann-text", Input).focus()
        self.show_hint(
            _(
                "By {author}. Explained or resolved takes a deviation off the "
                "“without an explanation” list (e); open does not."
            ).format(author=self.session.author)
        )

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id != "ann-which":
            return
        event.stop()
        note = self.existing.get(int(str(event.value)))
        year = self.query_one("#ann-year", Input)
        text = self.query_one("#ann-text", Input)
        category = self.query_one("#ann-cat", Select)
        state = self.query_one("#ann-state", Select)
        if note is None:
            year.disabled = False
            text.value = ""
            category.value = NO_CATEGORY
            state.value = "open"
            return
        year.value = "" if note.year is None else str(note.year)
        year.disabled = True  # a new version keeps the annotation's place
        text.value = note.text
        category.value = note.category if note.category in self.session.categories else NO_CATEGORY
        state.value = note.state
        self.show_hint(
            _(
                "Editing #{id} (version {version}, by {author}); "
                "saving adds a version, the history is kept."
            ).format(id=note.id, version=note.version, author=note.author)
        )

    def save(self) -> Annotation:
        which = int(str(self.query_one("#ann-which", Select).value))
        text = self.query_one("#ann-text", Input).value
        category = str(self.query_one("#ann-cat", Select).value)
        state = str(self.query_one("#ann-state", Select).value)
        if which == NEW:
            year = self.query_one("#ann-year", Input).value
            return self.session.workspace().annotate(
                self.plan_id,
                self.node_id,
                year,
                text,
                category=category or None,
                state=state,
            )
        return self.session.workspace().edit_annotation(
            which, text=text, category=category, state=state
        )
