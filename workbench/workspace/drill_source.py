"""What the activities, funding and body views read: the dataset's tables and the activity and
funding indexes, built once (in a worker of the calling screen); no Textual here.

:class:`DrillSource` builds the activity and funding indexes the first time a view needs them,
from what the main screen's session has read already (its tables, and the tree of its catalog:
codes and titles in tree order); without a session (a bench, a test) it reads the dataset
folder itself; marking an activity reported goes through the workspace store and
gives a new activity index with the marks (``ActivityIndex.with_marks``). In the app the marks
are read and written through the main screen's session
(:class:`workbench.workspace.session.Session`), so that its ``u`` undoes a mark as any other edit;
the marks are read again each time a view asks for the index, so one undone, or saved by another
process, shows when the view opens. Every method that reads or writes runs in a thread worker of
the calling screen, never on the event loop.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

    from workbench.analysis.activities import ActivityIndex
    from workbench.analysis.funding.index import FundingIndex
    from workbench.config import Config
    from workbench.workspace.session import Session
    from workbench.workspace.store import Workspace


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
        # The as-of date the views open with (None: today); tests and snapshots fix it. A date
        # chosen in a view is kept here, so the next view opens on it (for the session).
        self.as_of: date | None = None
        # The funding view's last choices (the row's plan or the whole city; plan or fact
        # amounts), kept for the session like the as-of date.
        self.funding_whole_city = False
        self.funding_kind = "plan"
        self._tables = tables
        # The catalog's tree (the session's) when the tables came from the session: the nodes'
        # titles, which the session let go of, are there.
        self._items: pl.DataFrame | None = None
        self._activities: ActivityIndex | None = None
        self._funding: FundingIndex | None = None
        self._lock = threading.Lock()

    @property
    def tables(self) -> dict[str, pl.DataFrame]:
        """The dataset's tables: the session's once it has loaded them, else the folder's."""
        with self._lock:
            if self._tables is None:
                session = self.session() if self.session is not None else None
                if session is not None and session.tables is not None and session.tree is not None:
                    import polars as pl

                    self._tables = _plain(session.tables)
                    # Titles as text: the views sort and search them.
                    self._items = session.tree.with_columns(pl.col("title").cast(pl.String))
                else:
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

                self._activities = ActivityIndex.build(tables, marks=marks, items=self._items)
            elif not _same_marks(marks, self._marks):
                self._activities = self._activities.with_marks(marks)
            self._marks = marks
            return self._activities

    def funding(self) -> FundingIndex:
        tables = self.tables
        with self._lock:
            if self._funding is None:
                from workbench.analysis.funding.index import FundingIndex

                self._funding = FundingIndex.build(tables, items=self._items)
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
            with store.open_workspace(path, create=False, for_reading=True) as own:
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


def _plain(compact: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """The session's compact tables as the drill views read them: text as text (the session
    keeps ids and repeated texts as categoricals), the values only as the indicators' keys
    (what the views read of them: which indicators carry values), the notes left out."""
    import polars as pl

    from workbench.dataset.hierarchy import run_starts

    def text(frame: pl.DataFrame) -> pl.DataFrame:
        categorical = [n for n, t in frame.schema.items() if isinstance(t, pl.Categorical)]
        return frame.with_columns(pl.col(categorical).cast(pl.String))

    tables = {name: text(frame) for name, frame in compact.items() if name not in _NOT_PLAIN}
    valued = compact["values"].select("plan_id", "node_id").filter(run_starts("plan_id", "node_id"))
    tables["values"] = text(valued.unique(maintain_order=True))
    return tables


_NOT_PLAIN = ("values", "notes")
