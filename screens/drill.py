"""What the activities, funding and body views share: the data they read (built once, in a
worker) and two small modal pickers (a list to choose from, a date to type).

:class:`DrillSource` reads the dataset folder and builds the activity and funding indexes the
first time a view needs them; marking an activity reported goes through the workspace store and
gives a new activity index with the marks (``ActivityIndex.with_marks``). In the app the marks
are read and written through the main screen's session
(:class:`workbench.workspace.session.Session`), so that its ``u`` undoes a mark as any other edit;
the marks are read again each time a view asks for the index, so one undone, or saved by another
process, shows when the view opens. Every method that reads or writes runs in a thread worker of
the calling screen, never on the event loop.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    import polars as pl

    from workbench.analysis.activities import ActivityIndex
    from workbench.analysis.funding.index import FundingIndex
    from workbench.config import Config
    from workbench.workspace.session import Session
    from workbench.workspace.store import Workspace


@dataclass(frozen=True)
class Scope:
    """What a view is about: a city, a plan, or a node's subtree (``label`` for the top bar)."""

    label: str
    city: str | None = None
    plan_id: str | None = None
    node_id: str | None = None

    def query(self) -> dict[str, str | None]:
        return {"city": self.city, "plan_id": self.plan_id, "node_id": self.node_id}


class DrillSource:
    """The dataset tables and the indexes of the drill views, built on first use (thread-safe)."""

    def __init__(
        self,
        folder: str | Path,
        config: Config | None = None,
        *,
        tables: dict[str, pl.DataFrame] | None = None,
        workspace: str | Path | None = None,
        session: Callable[[], Session | None] | None = None,
    ) -> None:
        self.folder = Path(folder)
        self.config = config
        self.workspace = workspace  # the --workspace file, else config.toml's, else the default
        self.session = session  # the main screen's session, once it has one
        self._marks: pl.DataFrame | None = None  # the marks the activity index holds
        # Why the marks could not be read (a damaged workspace): the activities show without.
        self.marks_problem: str | None = None
        # The as-of date the views open with (None: today); tests and snapshots fix it.
        self.as_of: date | None = None
        self._tables = tables
        self._activities: ActivityIndex | None = None
        self._funding: FundingIndex | None = None
        self._lock = threading.Lock()

    @property
    def tables(self) -> dict[str, pl.DataFrame]:
        with self._lock:
            if self._tables is None:
                from workbench.dataset import parquet_folder

                self._tables = dict(parquet_folder.read(self.folder))
            return self._tables

    @property
    def built_activities(self) -> ActivityIndex | None:
        """The activity index when it is built already (else None: build it in a worker)."""
        return self._activities

    def activities(self) -> ActivityIndex:
        """The activity index, with the workspace's marks as they are now (read again at each
        call: a few rows; the index is made again only when they changed)."""
        tables = self.tables
        marks = self._read_marks()
        with self._lock:
            if self._activities is None:
                from workbench.analysis.activities import ActivityIndex

                self._activities = ActivityIndex.build(tables, marks=marks)
                gc.freeze()  # long-lived, like the catalog: keep it out of full collections
            elif not _same_marks(marks, self._marks):
                self._activities = self._activities.with_marks(marks)
            self._marks = marks
            return self._activities

    def funding(self) -> FundingIndex:
        tables = self.tables
        with self._lock:
            if self._funding is None:
                from workbench.analysis.funding.index import FundingIndex

                self._funding = FundingIndex.build(tables)
            return self._funding

    def _workspace_path(self) -> Path:
        from workbench.workspace import store

        return store.resolve_path(self.workspace, self.config)

    def _session_workspace(self) -> Workspace | None:
        """The main screen's workspace when there is a session with a dataset (else None)."""
        session = self.session() if self.session is not None else None
        if session is None or session.tables is None:
            return None
        if not session.has_workspace and not session.path.exists():
            return None
        return session.workspace()

    def _read_marks(self) -> pl.DataFrame | None:
        """The workspace's marks (None: no workspace, or one that cannot be read: then
        :attr:`marks_problem` says why)."""
        from workbench.errors import WorkbenchError
        from workbench.workspace import store

        self.marks_problem = None
        try:
            ws = self._session_workspace()
            if ws is not None:
                return ws.marks_frame()
            path = self._workspace_path()
            if not path.exists():
                return None
            with store.open_workspace(path, create=False) as own:
                return own.marks_frame()
        except WorkbenchError as exc:
            self.marks_problem = f"Marks not shown: {exc}"
            return None

    def mark_reported(self, plan_id: str, node_id: str, day: date) -> ActivityIndex:
        """Save the mark in the workspace (created if need be), then re-index with the marks."""
        from workbench.workspace import store

        session = self.session() if self.session is not None else None
        if session is not None and session.tables is not None:
            ws = session.workspace()  # made by this first edit if need be
            ws.mark_reported(plan_id, node_id, day)
            marks = ws.marks_frame()
        else:
            tables = self.tables
            categories = self.config.categories if self.config is not None else None
            author = self.config.author if self.config is not None else None
            with store.open_workspace(
                self._workspace_path(), dataset=tables, categories=categories, author=author
            ) as own:
                own.mark_reported(plan_id, node_id, day)
                marks = own.marks_frame()
        index = self.activities().with_marks(marks)
        with self._lock:
            self._activities = index
            self._marks = marks
        return index


def _same_marks(a: pl.DataFrame | None, b: pl.DataFrame | None) -> bool:
    """Whether two sets of marks are the same (none and an empty frame alike)."""
    if a is None or a.is_empty():
        return b is None or b.is_empty()
    return b is not None and a.equals(b)


class PickerScreen(ModalScreen[str | None]):
    """A list to choose one entry from; dismissed with its id, or None (Esc)."""

    BINDINGS: ClassVar = [
        Binding("escape", "cancel", "Cancel", show=False),
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

    BINDINGS: ClassVar = [Binding("escape", "cancel", "Cancel", show=False)]
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
