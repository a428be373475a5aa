"""The dataset and the workspace behind one screen: no Textual here.

The screen builds one :class:`Session` and calls, from its loading thread, :meth:`Session.load`
(read the dataset, open the workspace if there is one, build the catalog with the entered facts
and the annotations). After an edit it asks for a fresh catalog: :meth:`Session.with_work` when
only annotations changed (cheap), :meth:`Session.recount` when a fact changed (the statuses and
roll-ups are counted again, in a worker at scale; also after a polarity was set). Edits go to
:meth:`Session.workspace`, which opens the workspace and, on the first edit only, creates it:
opening the screen writes nothing. Edits that other processes (a colleague's workbench, a
script) commit to the same workspace are found by :meth:`Session.others_changes`, which the
screen asks every few seconds.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from workbench.dataset.hierarchy import ITEM_COLUMNS
from workbench.errors import WorkbenchError
from workbench.i18n import _
from workbench.workspace import store
from workbench.workspace.annotation_store import ANNOTATION_SCHEMA, Annotation
from workbench.workspace.connection import os_user
from workbench.workspace.edit_checks import DatasetIndex
from workbench.workspace.fact_store import FACT_SCHEMA

if TYPE_CHECKING:
    from workbench.analysis.catalog import Catalog
    from workbench.analysis.status import Thresholds
    from workbench.config import Config


class Session:
    """One dataset folder and one workspace file; thread-safe for one screen's workers."""

    def __init__(
        self,
        config: Config,
        folder: str | Path | None,
        *,
        workspace: str | Path | None = None,
        tables: dict[str, pl.DataFrame] | None = None,
    ) -> None:
        self.config = config
        self.folder = Path(folder) if folder is not None else None
        self.path = store.resolve_path(workspace, config)
        self.tables = tables
        self.problem: str | None = None  # why the workspace could not be opened at load
        self._ws: store.Workspace | None = None
        self._index: DatasetIndex | None = None
        self._lock = threading.Lock()
        # Whether the nodes' titles were let go after the catalog took them (see :meth:`load`).
        self._titles_dropped = False
        # The tree of the catalog :meth:`load` built (its ITEM_COLUMNS: codes and titles in
        # tree order, shared with every catalog made from it): what the drill views walk.
        self.tree: pl.DataFrame | None = None
        # What :meth:`others_changes` compares with: the workspace's data version and the
        # entered facts and set polarities the statuses were last counted with; the file last
        # tried in vain.
        self._version: int | None = None
        self._counted_facts: pl.DataFrame | None = None
        self._counted_polarities: pl.DataFrame | None = None
        self._tried: tuple[int, int] | None = None

    @property
    def thresholds(self) -> Thresholds:
        from workbench.analysis.status import thresholds_from

        return thresholds_from(self.config)

    # -- loading (in the screen's loading thread) ------------------------------------------------

    def load(self, catalog: Catalog | None = None, *, facts: pl.DataFrame | None = None) -> Catalog:
        """The catalog of the dataset with the workspace's facts and annotations.

        ``catalog`` given (tests that build one in memory): used as it is; edits then need
        ``tables`` given to the session. ``facts`` replaces the workspace's entered facts in
        the first count (a caller with its own source of them).
        """
        from workbench.analysis.catalog import build_catalog, compact_tables, read_tables

        from_folder = self.tables is None and catalog is None
        if from_folder:
            if self.folder is None:
                raise WorkbenchError(_("no dataset folder to open"))
            self.tables = read_tables(self.folder)
        elif self.tables is not None and "notes" not in self.tables:
            self.tables = compact_tables(self.tables)
        ws = None
        if self.path.exists():
            try:
                ws = self.workspace()
            except WorkbenchError as exc:
                self.problem = str(exc)
        if catalog is None:
            assert self.tables is not None
            if facts is None and ws is not None:
                facts = ws.facts_frame()
            polarities = ws.polarities_frame() if ws is not None else None
            catalog = build_catalog(
                self.tables, thresholds=self.thresholds, facts=facts, polarities=polarities
            )
            self._counted_facts = facts
            self._counted_polarities = polarities
        if from_folder and self.tables is not None:
            # The catalog keeps every node's code and title for the tree; the edit checks need
            # only the kinds, and the drill views the catalog's tree (:attr:`tree`). A snapshot
            # reads the titles again (:meth:`snapshot_tables`).
            self.tables["nodes"] = self.tables["nodes"].select("plan_id", "node_id", "kind")
            self._titles_dropped = True
            # The notes are the catalog's alone (it packs them, workbench.analysis.plan_notes).
            self.tables["notes"] = self.tables["notes"].clear()
        self.tree = catalog.items.select(ITEM_COLUMNS)
        return self.with_work(catalog)

    # -- the workspace ---------------------------------------------------------------------------

    @property
    def has_workspace(self) -> bool:
        return self._ws is not None

    def workspace(self) -> store.Workspace:
        """The open workspace, opened (and created, the first time) on demand."""
        with self._lock:
            return self._ws or self._open()

    def _open(self) -> store.Workspace:
        """Open the workspace (the caller holds the lock)."""
        if self.tables is None:
            raise WorkbenchError(_("no dataset is open: edits are checked against one"))
        # A workspace that cannot be written is still shown (read-only); an edit then says so
        # in one line instead of the screen hiding every annotation.
        self._ws = store.open_for(
            self.config, workspace=self.path, dataset=self.tables, for_reading=True
        )
        self.problem = None
        self._version = self._ws.data_version()  # others' edits: those after this
        return self._ws

    # What a form reads before anything is written (no workspace is created for it).

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(self.config.categories)

    @property
    def author(self) -> str:
        return self._ws.author if self._ws is not None else self.config.author or os_user()

    @property
    def index(self) -> DatasetIndex:
        """The dataset checks of the store (a form runs them as the user types)."""
        if self._ws is not None:
            return self._ws.index
        if self.tables is None:
            raise WorkbenchError(_("no dataset is open: edits are checked against one"))
        if self._index is None:
            self._index = DatasetIndex(self.tables)
        return self._index

    def annotations(self, plan_id: str, node_id: str) -> list[Annotation]:
        """The node's current annotations; none while there is no workspace."""
        ws = self._ws
        return ws.annotations(plan_id=plan_id, node_id=node_id) if ws is not None else []

    def close(self) -> None:
        with self._lock:
            if self._ws is not None:
                self._ws.close()
                self._ws = None

    # -- fresh catalogs after an edit ------------------------------------------------------------

    def with_work(self, catalog: Catalog) -> Catalog:
        """``catalog`` with the workspace's current annotations and entered facts."""
        ws = self._ws
        if ws is None:
            return catalog.with_work(
                pl.DataFrame(schema=ANNOTATION_SCHEMA), pl.DataFrame(schema=FACT_SCHEMA)
            )
        with ws.reading():
            annotations = ws.annotations_frame()
            entered = ws.facts_detail_frame()
        return catalog.with_work(annotations, entered)

    def recount(self, catalog: Catalog) -> Catalog:
        """``catalog`` with every status and roll-up counted again with the entered facts and
        the polarities set, at the same year (after a fact or a polarity was set or undone)."""
        ws = self._ws
        facts = ws.facts_frame() if ws is not None else None
        polarities = ws.polarities_frame() if ws is not None else None
        self._counted_facts = facts
        self._counted_polarities = polarities
        return self.with_work(catalog.recount(facts, polarities))

    def others_changes(self) -> str | None:
        """What other processes committed to the workspace since the last look: ``"facts"``
        (entered facts or set polarities changed: the statuses must be counted again,
        :meth:`recount`),
        ``"notes"`` (annotations or other work only: :meth:`with_work`), or None. One cheap
        query when nothing changed; call it from a worker, as it waits while a snapshot is
        being written. A workspace that another process created since the screen opened is
        opened now (one that cannot be is tried again only once its file changes)."""
        ws = self._ws
        if ws is None:
            if self.tables is None:
                return None
            try:
                stat = self.path.stat()
            except OSError:
                return None
            signature = (stat.st_mtime_ns, stat.st_size)
            if signature == self._tried:
                return None
            self._tried = signature
            try:
                with self._lock:
                    # Opened meanwhile by this process's own first edit (a mark saved from a
                    # thread): then it is ours, and only later commits are others', as below.
                    found = self._ws
                    opened_here = found is None
                    ws = self._open() if found is None else found
            except WorkbenchError as exc:
                self.problem = str(exc)
                return None
        else:
            opened_here = False
        version = ws.data_version()
        if not opened_here and version == self._version:
            return None
        self._version = version
        if _same(ws.facts_frame(), self._counted_facts) and _same(
            ws.polarities_frame(), self._counted_polarities
        ):
            return "notes"
        return "facts"

    # -- what a snapshot is made of (workbench.snapshots.create; slow at scale: in a worker) -----

    def snapshot_tables(self) -> dict[str, pl.DataFrame]:
        """The tables with the nodes' codes and titles, read again from the folder when
        :meth:`load` let them go — refused if the dataset there changed since it was read."""
        from workbench.analysis.catalog import read_table

        if self.tables is None:
            raise WorkbenchError(_("no dataset is open: a snapshot is made of one"))
        if not self._titles_dropped or self.folder is None:
            return self.tables
        sources = ["plan_id", "source_sha256"]
        loaded = self.tables["plans"].select(pl.col(sources).cast(pl.String)).sort(sources)
        on_disk = read_table(self.folder, "plans").select(pl.col(sources).cast(pl.String))
        if not on_disk.sort(sources).equals(loaded):
            raise WorkbenchError(
                _(
                    "{folder}: the dataset changed since the workbench read it; open the "
                    "workbench again to snapshot what it holds now"
                ).format(folder=self.folder)
            )
        return {**self.tables, "nodes": read_table(self.folder, "nodes")}


def _same(now: pl.DataFrame, counted: pl.DataFrame | None) -> bool:
    """Whether the workspace's facts (or polarities) are those the statuses were counted with
    (none counted and none now alike)."""
    return now.is_empty() if counted is None else now.equals(counted)
