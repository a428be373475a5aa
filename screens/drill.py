"""What the activities, funding and body views share: two small modal pickers (a list to choose
from, a date to type), the scope a view is about, and opening the views from the main screen.
The data they read is the app's :class:`workbench.workspace.drill_source.DrillSource`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from workbench.i18n import N_
from workbench.workspace.drill_source import DrillSource


@dataclass(frozen=True)
class Scope:
    """What a view is about: a city, a plan, or a node's subtree (``label`` for the top bar)."""

    label: str
    city: str | None = None
    plan_id: str | None = None
    node_id: str | None = None

    def query(self) -> dict[str, str | None]:
        return {"city": self.city, "plan_id": self.plan_id, "node_id": self.node_id}


class PickerScreen(ModalScreen[str | None]):
    """A list to choose one entry from; dismissed with its id, or None (Esc)."""

    BINDINGS: ClassVar = [
        Binding("escape", "cancel", N_("Cancel"), show=False),
        Binding("j", "move('down')", show=False),
        Binding("k", "move('up')", show=False),
    ]
    DEFAULT_CSS = """
    PickerScreen {
        align: center middle;
        & > OptionList {
            width: 90%;
            max-width: 100;
            max-height: 80%;
            border: round $primary;
            border-title-align: center;
        }
    }
    """

    def __init__(self, title: str, entries: list[tuple[str, str]]) -> None:
        """``entries``: (id, label) pairs; labels are plain text (never markup)."""
        super().__init__()
        self.title_text = title
        self.entries = entries

    def compose(self) -> Any:
        options = OptionList(*[Option(Text(label), id=key) for key, label in self.entries])
        options.border_title = self.title_text
        options.border_subtitle = "Enter choose · Esc cancel"
        yield options

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_move(self, direction: str) -> None:
        options = self.query_one(OptionList)
        options.action_cursor_down() if direction == "down" else options.action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)


class DateScreen(ModalScreen[date | None]):
    """A date to type (YYYY-MM-DD); Enter accepts a valid one, Esc cancels."""

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
                self.value.isoformat(), placeholder="YYYY-MM-DD", compact=True, id="date-input"
            )
            yield Static(self.hint or "YYYY-MM-DD · Enter accept · Esc cancel", id="date-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            day = date.fromisoformat(event.value.strip())
        except ValueError:
            hint = self.query_one("#date-hint", Static)
            hint.update(Text(f"Not a date: {event.value!r} — type it as 2026-05-01"))
            return
        self.dismiss(day)

    def action_cancel(self) -> None:
        self.dismiss(None)


# -- opening the views from the main screen ----------------------------------------------------


def source_of(screen: Any) -> DrillSource:
    """The app's drill source (made by ``make_app``), or one on the screen's dataset folder."""
    app = screen.app
    found = getattr(app, "drill_source", None)
    if found is None:
        found = DrillSource(screen.source)
        app.drill_source = found
    return found


def scope_at(screen: Any) -> tuple[Scope, bool] | None:
    """The scope of the tree's cursor row, and whether it is an indicator (then the activities
    are those of its goal or task)."""
    from screens.tree import PlanTree
    from workbench.dataset.hierarchy import INDICATOR_KINDS

    catalog = screen.catalog
    idx = screen.query_one(PlanTree).cursor_idx
    if catalog is None or idx is None:
        return None
    row = catalog.row(idx)
    title = clean_label(row)
    if row["level"] == "city":
        return Scope(f"{row['city']}: every plan", city=row["city"]), False
    if row["level"] == "plan":
        return Scope(title, city=row["city"], plan_id=row["plan_id"]), False
    scope = Scope(title, city=row["city"], plan_id=row["plan_id"], node_id=row["node_id"])
    return scope, row["kind"] in INDICATOR_KINDS


def clean_label(row: dict[str, Any]) -> str:
    from screens.labels import clean

    code = f"{row['code']} " if row.get("code") else ""
    return clean(f"{code}{row['title']}")


def open_activities(screen: Any) -> None:
    from screens.activities_view import ActivitiesScreen

    found = scope_at(screen)
    if found is None:
        return
    scope, indicator = found
    activities = ActivitiesScreen(source_of(screen), scope, via_indicator=indicator)
    screen.app.push_screen(activities, lambda key: jump_to(screen, key))


def open_funding(screen: Any) -> None:
    from screens.funding_view import FundingScreen

    found = scope_at(screen)
    if found is not None:
        screen.app.push_screen(FundingScreen(source_of(screen), found[0]))


def open_bodies(screen: Any) -> None:
    from screens.body_view import BodyScreen

    if screen.catalog is not None:
        screen.app.push_screen(BodyScreen(source_of(screen), None))


def jump_to(screen: Any, key: tuple[str, str] | None) -> None:
    """Put the tree's cursor on (plan_id, node_id), dropping a filter that hides it."""
    from screens.tree import PlanTree

    if key is None or screen.catalog is None:
        return
    idx = screen.catalog.find(*key)
    if idx is None:
        return
    tree = screen.query_one(PlanTree)
    if screen.view is not None and not screen.view.shows(idx):
        screen.query_text, screen.deviations = "", False
        screen._refilter(keep=tree.cursor_idx)
    tree.reveal(idx)
    tree.focus()
