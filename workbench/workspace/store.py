"""The workspace: the analyst's own work — annotations, entered facts, snapshots — in SQLite.

What a screen calls (one line per action; every call validates, writes one transaction and
returns only after the commit, so returning is the moment to say "saved"; every refusal is a
:class:`~workbench.errors.WorkbenchError` whose ``str`` is one line to show as it is)::

    ws = store.open_for(config, dataset=tables)             # once; ws.close() at exit
    ws.annotate(plan_id, node_id, year, text, category=c, state="open")   -> Annotation
    ws.edit_annotation(annotation_id, text=..., category=..., state=...)  -> Annotation
    ws.resolve_annotation(annotation_id, text=None)                       -> Annotation
    ws.enter_fact(plan_id, node_id, year, "1 291,0")                      -> Fact
    ws.clear_fact(plan_id, node_id, year)                                 -> Fact
    ws.undo()                    -> Undone | None    (ws.last_edit() says what undo would undo;
        the author's own edits: another analyst's on the same workspace are left alone)
    ws.mark_reported(plan_id, node_id, "2026-05-01")     -> Mark  (an activity or grant done)
    ws.set_polarity(plan_id, node_id, "decrease")        -> PolaritySetting (higher/lower too)
    ws.clear_polarity(plan_id, node_id)                  -> PolaritySetting (the document's again)
    ws.polarities_frame()   -> pl.DataFrame   (``polarities=`` of status.indicator_statuses)
    ws.marks_frame()        -> pl.DataFrame   (``marks=`` of activities.ActivityIndex.with_marks)
    ws.annotations(plan_id=..., node_id=..., year=...)  -> list[Annotation] (the detail pane)
    ws.annotation_history(annotation_id)                -> list[AnnotationVersion]
    ws.annotations_frame()  -> pl.DataFrame   (✎ marks, "deviations without an explanation")
    ws.facts_frame()        -> pl.DataFrame   (``facts=`` of status.indicator_statuses)
    ws.fact_for(plan_id, node_id, year) -> Fact | None; ws.unit(plan_id, node_id) -> str | None
    ws.use_dataset(tables)  (after the catalog reloads the dataset)
    edit_checks.check_annotation(ws.index, ws.categories, plan, node, year, text, category=,
        state=); edit_checks.check_fact(ws.index, plan, node, year, raw) -> CheckedFact
        (the same checks without writing: a form can show the problem as the user types)
    snapshots.create.create(ws, tables, name, thresholds=...) -> SnapshotInfo; ws.snapshots()
    snapshots.export.export(ws, name, "toml" | "csv", path, force=False) -> list[Path]
    snapshots.importing.import_file(ws, path, name=None) -> ImportResult (.summary())
    snapshots.diff.diff(ws, a, b) -> SnapshotDiff (.frame for a table, .text() / .lines())

A filter "deviations without an explanation" is the statuses at_risk/off_track anti-joined with
``annotations_frame()`` rows whose state is explained or resolved (same plan, node and year, or
year null). Long calls (snapshot create/export/import at 1 000 plans) belong in a worker thread:
the workspace is thread-safe.

Where: ``--workspace PATH``, else ``[workspace] path`` of config.toml, else
``$XDG_DATA_HOME/plan-workbench/workspace.sqlite3`` (``~/.local/share`` when unset).

How it keeps the work:

- WAL journal, ``synchronous=FULL``, a busy timeout, and ``BEGIN IMMEDIATE`` for every edit: a
  process killed at any moment loses only the edit it had not yet confirmed, and two processes on
  one workspace queue for the write lock instead of failing.
- The file is identified by ``PRAGMA application_id`` ("PLWB"); its schema by ``PRAGMA
  user_version``, upgraded in one transaction (:mod:`workbench.workspace.workspace_file`). Before
  anything is written, the header is read from disk: a file that is not a workspace (text, another
  SQLite database, an empty file) or fails ``PRAGMA quick_check`` is refused, untouched. A new
  workspace is built in a temporary file and linked into place, so a half-made one is never
  seen.
- Nothing the analyst typed is deleted: an edit of an annotation adds a version; undo marks
  a version, an annotation or a fact as undone (``undone_at`` / ``removed_at``) and keeps it.
  Entered facts live beside the dataset and never change it: the latest entered fact of a
  (plan, node, year) wins in the views; :meth:`Workspace.clear_fact` adds an entry that removes it.
- Undo undoes the author's latest edit not yet undone (``anyone=True``: whoever made it),
  including a whole import. Snapshots are immutable (triggers refuse UPDATE and DELETE).

Where each part lives: the connection, its transactions and the edit log in
:mod:`~workbench.workspace.connection`; annotations, entered facts, marks, undo and snapshots one
module each (``annotation_store``, ``fact_store``, ``mark_store``, ``polarity_store``, ``undo``,
``snapshot_store``);
the file's schema and safe creation in :mod:`~workbench.workspace.workspace_file`; this module
opens a workspace and joins the parts into :class:`Workspace`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Final

import polars as pl

from workbench.config import MAX_ANNOTATION_LENGTH
from workbench.errors import WorkspaceError
from workbench.i18n import _
from workbench.workspace import workspace_file
from workbench.workspace.annotation_store import AnnotationStore
from workbench.workspace.fact_store import FactStore
from workbench.workspace.mark_store import MarkStore
from workbench.workspace.polarity_store import PolarityStore
from workbench.workspace.snapshot_store import SnapshotStore
from workbench.workspace.undo import UndoLog

if TYPE_CHECKING:
    from workbench.config import Config

FILE_NAME: Final = "workspace.sqlite3"


class Workspace(AnnotationStore, FactStore, MarkStore, PolarityStore, SnapshotStore, UndoLog):
    """One open workspace: what it keeps, one store each (annotations, entered facts, marks,
    polarities set by the analyst, snapshots, the edit log and undo), on one connection
    (:class:`WorkspaceBase`)."""


def default_path() -> Path:
    """``$XDG_DATA_HOME/plan-workbench/workspace.sqlite3``, ``~/.local/share`` when unset."""
    base = os.environ.get("XDG_DATA_HOME", "")
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".local" / "share"
    return root / "plan-workbench" / FILE_NAME


def resolve_path(explicit: str | Path | None = None, config: Config | None = None) -> Path:
    """``--workspace PATH`` > config.toml ``workspace.path`` > :func:`default_path`.

    An empty path is refused: taken as "not given", it wrote into the personal workspace."""
    if explicit is not None and not str(explicit).strip():
        raise WorkspaceError(_("the workspace path is empty: give a path, or none for the default"))
    if explicit:
        return Path(explicit).expanduser()
    if config is not None and config.workspace is not None:
        return config.workspace.expanduser()
    return default_path()


def open_workspace(
    path: str | Path,
    *,
    dataset: Mapping[str, pl.DataFrame] | None = None,
    categories: Sequence[str] | None = None,
    author: str | None = None,
    create: bool = True,
    max_length: int = MAX_ANNOTATION_LENGTH,
    for_reading: bool = False,
) -> Workspace:
    """Open (or create) the workspace at ``path``; see the module text for what is refused.

    ``for_reading``: the caller only reads, so a workspace that cannot be written (a read-only
    folder or mount) is opened read-only rather than refused.
    """
    target = Path(path)
    if not target.exists():
        if not create:
            raise WorkspaceError(
                _("{target}: no workspace yet (the first edit makes one)").format(target=target)
            )
        workspace_file.create(target)
    workspace_file.check_header(target)
    conn, read_only = workspace_file.open_checked(target, for_reading=for_reading)
    workspace = Workspace(
        target, conn, dataset=dataset, categories=categories, author=author, max_length=max_length
    )
    workspace.read_only = read_only
    return workspace


def open_for(
    config: Config,
    *,
    workspace: str | Path | None = None,
    dataset: Mapping[str, pl.DataFrame] | None = None,
    author: str | None = None,
    for_reading: bool = False,
) -> Workspace:
    """The workspace a config names (or ``workspace``), with its categories and author
    (``for_reading``: see :func:`open_workspace`)."""
    return open_workspace(
        resolve_path(workspace, config),
        dataset=dataset,
        categories=config.categories,
        author=author or config.author,
        max_length=config.annotation_max_length,
        for_reading=for_reading,
    )


def entered_facts(config: Config, workspace: str | Path | None = None) -> pl.DataFrame | None:
    """The analyst's entered facts (``facts=`` of the status), or None with no workspace yet.

    A missing workspace is not created: reading a report or opening the screen writes nothing.
    """
    path = resolve_path(workspace, config)
    if not path.exists():
        return None
    with open_workspace(path, create=False, for_reading=True) as ws:
        return ws.facts_frame()


def set_polarities(config: Config, workspace: str | Path | None = None) -> pl.DataFrame | None:
    """The polarities the analyst set (``polarities=`` of the status), or None with no
    workspace yet (none is created)."""
    path = resolve_path(workspace, config)
    if not path.exists():
        return None
    with open_workspace(path, create=False, for_reading=True) as ws:
        return ws.polarities_frame()
