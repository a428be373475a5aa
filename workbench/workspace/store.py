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
    ws.marks_frame()        -> pl.DataFrame   (``marks=`` of activities.ActivityIndex.with_marks)
    ws.annotations(plan_id=..., node_id=..., year=...)  -> list[Annotation] (the detail pane)
    ws.annotation_history(annotation_id)                -> list[AnnotationVersion]
    ws.annotations_frame()  -> pl.DataFrame   (✎ marks, "deviations without an explanation")
    ws.facts_frame()        -> pl.DataFrame   (``facts=`` of status.indicator_statuses)
    ws.fact_for(plan_id, node_id, year) -> Fact | None; ws.unit(plan_id, node_id) -> str | None
    ws.use_dataset(tables)  (after the catalog reloads the dataset)
    store.check_annotation(ws.index, ws.categories, plan, node, year, text, category=, state=)
    store.check_fact(ws.index, plan, node, year, raw) -> CheckedFact (value, unit)
        (the same checks without writing: a form can show the problem as the user types; they
        live in workbench.workspace.edit_checks, the file's schema and opening in
        workbench.workspace.workspace_file)
    snapshot.create(ws, tables, name, thresholds=...) -> SnapshotInfo; ws.snapshots()
    snapshot.export(ws, name, "toml" | "csv", path, force=False) -> list[Path]
    snapshot.import_file(ws, path, name=None) -> ImportResult (.summary())
    snapshot.diff(ws, a, b) -> SnapshotDiff (.frame for a table, .text() / .lines())

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
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

import polars as pl

from workbench.errors import ValidationError as ValidationError
from workbench.errors import WorkspaceError as WorkspaceError
from workbench.workspace import workspace_file
from workbench.workspace.edit_checks import STATES as STATES
from workbench.workspace.edit_checks import CheckedAnnotation as CheckedAnnotation
from workbench.workspace.edit_checks import CheckedFact as CheckedFact
from workbench.workspace.edit_checks import DatasetIndex as DatasetIndex
from workbench.workspace.edit_checks import article, check_state, check_text, parse_date
from workbench.workspace.edit_checks import check_annotation as check_annotation
from workbench.workspace.edit_checks import check_category as check_category
from workbench.workspace.edit_checks import check_fact as check_fact
from workbench.workspace.edit_checks import check_fact_target as check_fact_target
from workbench.workspace.edit_checks import parse_year as parse_year
from workbench.workspace.workspace_file import APPLICATION_ID as APPLICATION_ID
from workbench.workspace.workspace_file import SCHEMA_VERSION as SCHEMA_VERSION
from workbench.workspace.workspace_file import now as now

if TYPE_CHECKING:
    from workbench.config import Config

FILE_NAME: Final = "workspace.sqlite3"
AnyYear = Literal["any"]


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class Annotation:
    """The current version of an annotation."""

    id: int
    uid: str
    plan_id: str
    node_id: str
    year: int | None
    text: str
    category: str | None
    state: str
    author: str  # who wrote it first
    created_at: str
    updated_by: str  # who wrote the current version
    updated_at: str
    version: int


@dataclass(frozen=True, slots=True)
class AnnotationVersion:
    annotation_id: int
    version: int
    text: str
    category: str | None
    state: str
    author: str
    at: str


@dataclass(frozen=True, slots=True)
class Fact:
    """An entered fact (``value`` None: an entry that clears the entered fact)."""

    id: int
    plan_id: str
    node_id: str
    year: int
    value: float | None
    raw: str
    author: str
    entered_at: str
    unit: str | None = None  # the indicator's unit in the dataset, for display
    document_value: float | None = None  # the document's own fact for that year, if any


@dataclass(frozen=True, slots=True)
class Edit:
    id: int
    at: str
    author: str
    action: str  # annotate | edit_annotation | fact | clear_fact | import
    summary: str


@dataclass(frozen=True, slots=True)
class Undone:
    edit: Edit

    @property
    def summary(self) -> str:
        return f"undone: {self.edit.summary}"


@dataclass(frozen=True, slots=True)
class SnapshotInfo:
    id: int
    name: str
    created_at: str
    author: str
    format_version: int
    header: dict[str, Any]
    imported_from: str | None
    stored_at: str


# --------------------------------------------------------------------------- paths


MARKABLE_KINDS: Final = ("activity", "grant")


@dataclass(frozen=True, slots=True)
class Mark:
    """The analyst's mark: this activity or grant was reported (done) on ``reported_on``."""

    id: int
    plan_id: str
    node_id: str
    reported_on: date
    author: str
    marked_at: str


def default_path() -> Path:
    """``$XDG_DATA_HOME/plan-workbench/workspace.sqlite3``, ``~/.local/share`` when unset."""
    base = os.environ.get("XDG_DATA_HOME", "")
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".local" / "share"
    return root / "plan-workbench" / FILE_NAME


def resolve_path(explicit: str | Path | None = None, config: Config | None = None) -> Path:
    """``--workspace PATH`` > config.toml ``workspace.path`` > :func:`default_path`."""
    if explicit:
        return Path(explicit).expanduser()
    if config is not None and config.workspace is not None:
        return config.workspace.expanduser()
    return default_path()


def os_user() -> str:
    try:
        name = getpass.getuser()
    except Exception:  # no USER/LOGNAME and no passwd entry (containers)
        name = ""
    return name or "unknown"


def open_workspace(
    path: str | Path,
    *,
    dataset: Mapping[str, pl.DataFrame] | None = None,
    categories: Sequence[str] | None = None,
    author: str | None = None,
    create: bool = True,
) -> Workspace:
    """Open (or create) the workspace at ``path``; see the module text for what is refused."""
    target = Path(path)
    if not target.exists():
        if not create:
            raise WorkspaceError(f"{target}: no workspace yet (the first edit makes one)")
        workspace_file.create(target)
    workspace_file.check_header(target)
    try:
        conn = workspace_file.connect(target)
    except sqlite3.Error as exc:
        raise WorkspaceError(f"{target}: cannot open the workspace ({exc})") from None
    try:
        check = conn.execute("PRAGMA quick_check").fetchall()
        if [tuple(row) for row in check] != [("ok",)]:
            first = str(check[0][0]) if check else "no answer"
            raise WorkspaceError(f"{target}: damaged workspace ({first}); left untouched")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise WorkspaceError(f"{target}: cannot use write-ahead logging here (mode {mode})")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        workspace_file.migrate(conn, target)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise WorkspaceError(f"{target}: damaged workspace ({exc}); left untouched") from None
    except BaseException:
        conn.close()
        raise
    return Workspace(target, conn, dataset=dataset, categories=categories, author=author)


def open_for(
    config: Config,
    *,
    workspace: str | Path | None = None,
    dataset: Mapping[str, pl.DataFrame] | None = None,
    author: str | None = None,
) -> Workspace:
    """The workspace a config names (or ``workspace``), with its categories and author."""
    return open_workspace(
        resolve_path(workspace, config),
        dataset=dataset,
        categories=config.categories,
        author=author or config.author,
    )


# --------------------------------------------------------------------------- the workspace

_ANNOTATION_SELECT = """
    SELECT a.id, a.uid, a.plan_id, a.node_id, a.year, v.text, v.category, v.state,
           a.author, a.created_at, v.author, v.at, a.version
    FROM annotations a
    JOIN annotation_versions v ON v.annotation_id = a.id AND v.version = a.version
"""
# The current entered fact of each (plan, node, year): its latest entry not undone.
_CURRENT_FACTS = """
    SELECT f.id, f.plan_id, f.node_id, f.year, f.value, f.raw, f.author, f.entered_at
    FROM facts f
    WHERE f.undone_at IS NULL AND f.id = (
        SELECT g.id FROM facts g
        WHERE g.plan_id = f.plan_id AND g.node_id = f.node_id AND g.year = f.year
          AND g.undone_at IS NULL
        ORDER BY g.entered_at DESC, g.id DESC LIMIT 1)
"""


def _annotation(row: Sequence[Any]) -> Annotation:
    return Annotation(*row)


class Workspace:
    """One open workspace. Thread-safe (one lock around the connection); close when done."""

    def __init__(
        self,
        path: Path,
        conn: sqlite3.Connection,
        *,
        dataset: Mapping[str, pl.DataFrame] | None = None,
        categories: Sequence[str] | None = None,
        author: str | None = None,
    ) -> None:
        from workbench.config import DEFAULT_CATEGORIES

        self.path = path
        self._conn = conn
        self._lock = threading.RLock()
        self.categories: tuple[str, ...] = tuple(categories or DEFAULT_CATEGORIES)
        self.author = author or os_user()
        self._index = DatasetIndex(dataset) if dataset is not None else None

    # ---- life cycle

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def use_dataset(self, tables: Mapping[str, pl.DataFrame]) -> None:
        """Validate further edits against this dataset (call after the catalog reloads)."""
        self._index = DatasetIndex(tables)

    @property
    def index(self) -> DatasetIndex:
        if self._index is None:
            raise WorkspaceError("no dataset is open: edits are checked against one")
        return self._index

    # ---- transactions

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One IMMEDIATE write transaction, committed before the block's caller goes on."""
        with self._lock:
            conn = self._conn
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise WorkspaceError(f"{self.path}: workspace busy or unwritable ({exc})") from None
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.DatabaseError):
                    raise WorkspaceError(f"{self.path}: not saved ({exc})") from None
                raise

    @contextlib.contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """A consistent read of several statements."""
        with self._lock:
            conn = self._conn
            nested = conn.in_transaction  # inside transaction(): it is consistent already
            try:
                if not nested:
                    conn.execute("BEGIN")
                yield conn
            except sqlite3.DatabaseError as exc:
                raise WorkspaceError(f"{self.path}: cannot read ({exc})") from None
            finally:
                if not nested and conn.in_transaction:
                    conn.execute("COMMIT")

    def data_version(self, *, blocking: bool = True) -> int | None:
        """SQLite's mark of what other connections committed (``PRAGMA data_version``): it
        changes when another process committed to the workspace since the last call, never for
        this workspace's own commits. None when not ``blocking`` and another thread is using
        the workspace (a snapshot being written)."""
        if not self._lock.acquire(blocking=blocking):
            return None
        try:
            return int(self._conn.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.DatabaseError as exc:
            raise WorkspaceError(f"{self.path}: cannot read ({exc})") from None
        finally:
            self._lock.release()

    def _log(
        self,
        conn: sqlite3.Connection,
        action: str,
        summary: str,
        payload: Mapping[str, Any],
        at: str,
        author: str,
    ) -> None:
        conn.execute(
            "INSERT INTO edits (at, author, action, summary, payload) VALUES (?, ?, ?, ?, ?)",
            (at, author, action, summary, json.dumps(payload, ensure_ascii=False)),
        )

    # ---- checks

    def check_category(self, category: str | None) -> str | None:
        return check_category(self.categories, category)

    # ---- annotations

    def annotate(
        self,
        plan_id: str,
        node_id: str,
        year: int | str | None,
        text: str,
        *,
        category: str | None = None,
        state: str = "open",
        author: str | None = None,
    ) -> Annotation:
        """A new annotation on (plan, node, year|None) of any node kind; saved when it returns."""
        checked = check_annotation(
            self.index,
            self.categories,
            plan_id,
            node_id,
            year,
            text,
            category=category,
            state=state,
        )
        year, body, category = checked.year, checked.text, checked.category
        who = author or self.author
        at = now()
        uid = uuid.uuid4().hex
        with self.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO annotations (uid, plan_id, node_id, year, author, created_at, "
                "version) VALUES (?, ?, ?, ?, ?, ?, 1)",
                (uid, plan_id, node_id, year, who, at),
            )
            annotation_id = int(cursor.lastrowid or 0)
            conn.execute(
                "INSERT INTO annotation_versions (annotation_id, version, text, category, state, "
                "author, at) VALUES (?, 1, ?, ?, ?, ?, ?)",
                (annotation_id, body, category, state, who, at),
            )
            where = _where(plan_id, node_id, year)
            self._log(
                conn,
                "annotate",
                f"annotation #{annotation_id} on {where}",
                {"annotation_id": annotation_id},
                at,
                who,
            )
        return Annotation(
            annotation_id, uid, plan_id, node_id, year, body, category, state, who, at, who, at, 1
        )

    def edit_annotation(
        self,
        annotation_id: int,
        *,
        text: str | None = None,
        category: str | None = None,
        state: str | None = None,
        author: str | None = None,
    ) -> Annotation:
        """A new version of an annotation; fields left None keep their value. History is kept.

        ``category=""`` removes the category.
        """
        body = check_text(text) if text is not None else None
        new_category = self.check_category(category) if category is not None else None
        if state is not None:
            check_state(state)
        who = author or self.author
        at = now()
        with self.transaction() as conn:
            current = self._current(conn, annotation_id)
            fields = (
                body if body is not None else current.text,
                current.category if category is None else new_category,
                state if state is not None else current.state,
            )
            if fields == (current.text, current.category, current.state):
                raise ValidationError(f"annotation #{annotation_id}: nothing changed")
            (version,) = conn.execute(
                "SELECT max(version) + 1 FROM annotation_versions WHERE annotation_id = ?",
                (annotation_id,),
            ).fetchone()
            conn.execute(
                "INSERT INTO annotation_versions (annotation_id, version, text, category, state, "
                "author, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (annotation_id, version, *fields, who, at),
            )
            conn.execute(
                "UPDATE annotations SET version = ? WHERE id = ?", (version, annotation_id)
            )
            self._log(
                conn,
                "edit_annotation",
                f"edit of annotation #{annotation_id} (version {version}, {fields[2]})",
                {"annotation_id": annotation_id, "version": version, "previous": current.version},
                at,
                who,
            )
            return self._current(conn, annotation_id)

    def resolve_annotation(
        self, annotation_id: int, text: str | None = None, *, author: str | None = None
    ) -> Annotation:
        return self.edit_annotation(annotation_id, text=text, state="resolved", author=author)

    def _current(self, conn: sqlite3.Connection, annotation_id: int) -> Annotation:
        row = conn.execute(
            _ANNOTATION_SELECT + " WHERE a.id = ? AND a.removed_at IS NULL", (annotation_id,)
        ).fetchone()
        if row is None:
            raise ValidationError(f"no annotation #{annotation_id}")
        return _annotation(row)

    def annotation(self, annotation_id: int) -> Annotation:
        with self.reading() as conn:
            return self._current(conn, annotation_id)

    def annotations(
        self,
        *,
        plan_id: str | None = None,
        node_id: str | None = None,
        year: int | AnyYear | None = "any",
        states: Sequence[str] | None = None,
    ) -> list[Annotation]:
        """Current annotations, oldest first; ``year=None`` means node-level ones only."""
        sql = _ANNOTATION_SELECT + " WHERE a.removed_at IS NULL"
        params: list[Any] = []
        if plan_id is not None:
            sql += " AND a.plan_id = ?"
            params.append(plan_id)
        if node_id is not None:
            sql += " AND a.node_id = ?"
            params.append(node_id)
        if year is None:
            sql += " AND a.year IS NULL"
        elif year != "any":
            sql += " AND a.year = ?"
            params.append(int(year))
        if states:
            sql += f" AND v.state IN ({', '.join('?' for _ in states)})"
            params.extend(states)
        sql += " ORDER BY a.created_at, a.id"
        with self.reading() as conn:
            return [_annotation(row) for row in conn.execute(sql, params)]

    def annotation_history(self, annotation_id: int) -> list[AnnotationVersion]:
        """Every version (not undone), oldest first."""
        with self.reading() as conn:
            self._current(conn, annotation_id)
            rows = conn.execute(
                "SELECT annotation_id, version, text, category, state, author, at "
                "FROM annotation_versions WHERE annotation_id = ? AND undone_at IS NULL "
                "ORDER BY version",
                (annotation_id,),
            ).fetchall()
        return [AnnotationVersion(*row) for row in rows]

    def annotations_frame(self) -> pl.DataFrame:
        """Current annotations as a frame (schema :data:`ANNOTATION_SCHEMA`), oldest first."""
        rows = [
            (
                a.id,
                a.uid,
                a.plan_id,
                a.node_id,
                a.year,
                a.text,
                a.category,
                a.state,
                a.author,
                a.created_at,
                a.updated_by,
                a.updated_at,
                a.version,
            )
            for a in self.annotations()
        ]
        return pl.DataFrame(rows, schema=ANNOTATION_SCHEMA, orient="row")

    def history_frame(self) -> pl.DataFrame:
        """Every version of every current annotation (schema :data:`HISTORY_SCHEMA`)."""
        with self.reading() as conn:
            rows = conn.execute(
                "SELECT a.uid, v.version, v.text, v.category, v.state, v.author, v.at "
                "FROM annotation_versions v JOIN annotations a ON a.id = v.annotation_id "
                "WHERE a.removed_at IS NULL AND v.undone_at IS NULL ORDER BY a.uid, v.version"
            ).fetchall()
        return pl.DataFrame(rows, schema=HISTORY_SCHEMA, orient="row")

    # ---- facts

    def enter_fact(
        self,
        plan_id: str,
        node_id: str,
        year: int | str,
        raw: str,
        *,
        author: str | None = None,
    ) -> Fact:
        """Record the fact of an indicator for a year, parsed as the ingest parses a cell."""
        checked = check_fact(self.index, plan_id, node_id, year, raw)
        return self._insert_fact(
            plan_id, node_id, checked.year, checked.value, checked.raw, author, "fact"
        )

    def clear_fact(
        self, plan_id: str, node_id: str, year: int | str, *, author: str | None = None
    ) -> Fact:
        """Remove the entered fact of (plan, node, year): the document's value shows again."""
        checked_year = check_fact_target(self.index, plan_id, node_id, year)
        if self.fact_for(plan_id, node_id, checked_year) is None:
            raise ValidationError(
                f"no entered fact for {_where(plan_id, node_id, checked_year)} to clear"
            )
        return self._insert_fact(plan_id, node_id, checked_year, None, "", author, "clear_fact")

    def _insert_fact(
        self,
        plan_id: str,
        node_id: str,
        year: int,
        value: float | None,
        raw: str,
        author: str | None,
        action: str,
    ) -> Fact:
        who = author or self.author
        at = now()
        where = _where(plan_id, node_id, year)
        with self.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO facts (plan_id, node_id, year, value, raw, author, entered_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (plan_id, node_id, year, value, raw, who, at),
            )
            fact_id = int(cursor.lastrowid or 0)
            summary = (
                f"fact {raw} for {where}" if value is not None else f"clearing the fact of {where}"
            )
            self._log(conn, action, summary, {"fact_id": fact_id}, at, who)
        info = self.index.plan(plan_id)
        return Fact(
            fact_id,
            plan_id,
            node_id,
            year,
            value,
            raw,
            who,
            at,
            unit=info.units.get(node_id),
            document_value=info.document_fact(node_id, year),
        )

    def fact_for(self, plan_id: str, node_id: str, year: int) -> Fact | None:
        """The entered fact that wins for (plan, node, year), or None."""
        with self.reading() as conn:
            row = conn.execute(
                "SELECT id, plan_id, node_id, year, value, raw, author, entered_at FROM facts "
                "WHERE plan_id = ? AND node_id = ? AND year = ? AND undone_at IS NULL "
                "ORDER BY entered_at DESC, id DESC LIMIT 1",
                (plan_id, node_id, year),
            ).fetchone()
        if row is None or row[4] is None:
            return None
        return Fact(*row)

    def facts(self, *, plan_id: str | None = None) -> list[Fact]:
        """The entered facts that win, by plan, node and year."""
        sql = _CURRENT_FACTS + " AND f.value IS NOT NULL"
        params: list[Any] = []
        if plan_id is not None:
            sql += " AND f.plan_id = ?"
            params.append(plan_id)
        sql += " ORDER BY f.plan_id, f.node_id, f.year"
        with self.reading() as conn:
            return [Fact(*row) for row in conn.execute(sql, params)]

    def fact_history(self, plan_id: str, node_id: str, year: int) -> list[Fact]:
        """Every entry for (plan, node, year), undone ones excluded, oldest first."""
        with self.reading() as conn:
            rows = conn.execute(
                "SELECT id, plan_id, node_id, year, value, raw, author, entered_at FROM facts "
                "WHERE plan_id = ? AND node_id = ? AND year = ? AND undone_at IS NULL "
                "ORDER BY entered_at, id",
                (plan_id, node_id, year),
            ).fetchall()
        return [Fact(*row) for row in rows]

    def facts_frame(self) -> pl.DataFrame:
        """plan_id, node_id, year (i32), value (f64): the ``facts=`` of indicator_statuses."""
        rows = [(f.plan_id, f.node_id, f.year, f.value) for f in self.facts()]
        return pl.DataFrame(rows, schema=FACTS_FRAME_SCHEMA, orient="row")

    def facts_detail_frame(self) -> pl.DataFrame:
        """The entered facts that win, with raw, author and time (schema FACT_SCHEMA)."""
        rows = [
            (f.plan_id, f.node_id, f.year, f.value, f.raw, f.author, f.entered_at)
            for f in self.facts()
        ]
        return pl.DataFrame(rows, schema=FACT_SCHEMA, orient="row")

    def unit(self, plan_id: str, node_id: str) -> str | None:
        """The indicator's unit in the dataset (to show beside the fact form)."""
        return self.index.check_indicator(plan_id, node_id).units.get(node_id)

    # ---- undo

    def _undoable(self, anyone: bool) -> tuple[str, tuple[str, ...]]:
        """The condition on ``edits`` of what :meth:`undo` may take back: the author's own
        edits (two analysts on one workspace never undo each other's work), or anyone's."""
        if anyone:
            return "undone_at IS NULL", ()
        return "undone_at IS NULL AND author = ?", (self.author,)

    def last_edit(self, *, anyone: bool = False) -> Edit | None:
        """The edit :meth:`undo` would undo."""
        where, params = self._undoable(anyone)
        with self.reading() as conn:
            row = conn.execute(
                f"SELECT id, at, author, action, summary FROM edits WHERE {where} "
                "ORDER BY id DESC LIMIT 1",
                params,
            ).fetchone()
        return Edit(*row) if row else None

    def others_edits(self) -> int:
        """How many edits not undone were made by other authors than this workspace's."""
        with self.reading() as conn:
            row = conn.execute(
                "SELECT count(*) FROM edits WHERE undone_at IS NULL AND author != ?",
                (self.author,),
            ).fetchone()
        return int(row[0])

    def edits(self, limit: int = 50) -> list[Edit]:
        """The latest edits not undone, newest first."""
        with self.reading() as conn:
            rows = conn.execute(
                "SELECT id, at, author, action, summary FROM edits WHERE undone_at IS NULL "
                "ORDER BY id DESC LIMIT ?",
                (limit,),
            ).fetchall()
        return [Edit(*row) for row in rows]

    def undo(self, *, anyone: bool = False) -> Undone | None:
        """Undo this author's latest edit not yet undone (``anyone``: the latest edit of
        whoever made it); None when there is none. Nothing is deleted."""
        at = now()
        where, params = self._undoable(anyone)
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT id, at, author, action, summary, payload FROM edits "
                f"WHERE {where} ORDER BY id DESC LIMIT 1",
                params,
            ).fetchone()
            if row is None:
                return None
            edit = Edit(*row[:5])
            payload: dict[str, Any] = json.loads(row[5])
            _UNDO[edit.action](conn, payload, at)
            conn.execute("UPDATE edits SET undone_at = ? WHERE id = ?", (at, edit.id))
        return Undone(edit)

    # ---- "reported" marks of activities and grants

    def mark_reported(
        self,
        plan_id: str,
        node_id: str,
        reported_on: date | str,
        *,
        author: str | None = None,
    ) -> Mark:
        """Mark an activity or a grant reported (done) on a date; saved when it returns.

        The earliest mark not undone counts (see :meth:`marks_frame`); undo removes a mark.
        """
        info = self.index.check_node(plan_id, node_id)
        kind = info.kinds[node_id]
        if kind not in MARKABLE_KINDS:
            raise ValidationError(
                f"{plan_id}/{node_id} is {article(kind)} {kind}; only activities and grants "
                "are marked reported"
            )
        day = parse_date(reported_on)
        who = author or self.author
        at = now()
        with self.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO activity_marks (plan_id, node_id, reported_on, author, marked_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (plan_id, node_id, day.isoformat(), who, at),
            )
            mark_id = int(cursor.lastrowid or 0)
            self._log(
                conn,
                "mark_reported",
                f"{plan_id}/{node_id} marked reported on {day.isoformat()}",
                {"mark_id": mark_id},
                at,
                who,
            )
        return Mark(mark_id, plan_id, node_id, day, who, at)

    def marks(self, *, plan_id: str | None = None) -> list[Mark]:
        """The marks not undone, oldest first."""
        query = (
            "SELECT id, plan_id, node_id, reported_on, author, marked_at FROM activity_marks "
            "WHERE undone_at IS NULL"
        )
        params: tuple[Any, ...] = ()
        if plan_id is not None:
            query += " AND plan_id = ?"
            params = (plan_id,)
        with self.reading() as conn:
            rows = conn.execute(query + " ORDER BY id", params).fetchall()
        return [Mark(r[0], r[1], r[2], date.fromisoformat(r[3]), r[4], r[5]) for r in rows]

    def marks_frame(self) -> pl.DataFrame:
        """The marks for :meth:`workbench.analysis.activities.ActivityIndex.with_marks`: plan_id,
        node_id, reported_on (one row per mark not undone)."""
        rows = [(m.plan_id, m.node_id, m.reported_on) for m in self.marks()]
        return pl.DataFrame(rows, schema=MARKS_FRAME_SCHEMA, orient="row")

    # ---- snapshots (content is made and read by workbench.snapshot)

    def snapshots(self) -> list[SnapshotInfo]:
        with self.reading() as conn:
            rows = conn.execute(
                "SELECT id, name, created_at, author, format_version, header, imported_from, "
                "stored_at FROM snapshots ORDER BY created_at, id"
            ).fetchall()
        return [_snapshot_info(row) for row in rows]

    def snapshot_info(self, name: str) -> SnapshotInfo:
        with self.reading() as conn:
            row = conn.execute(
                "SELECT id, name, created_at, author, format_version, header, imported_from, "
                "stored_at FROM snapshots WHERE name = ?",
                (name,),
            ).fetchone()
        if row is None:
            raise ValidationError(f"no snapshot named {name!r} in {self.path}")
        return _snapshot_info(row)

    def snapshot_parts(self, name: str) -> tuple[SnapshotInfo, dict[str, bytes]]:
        with self.reading() as conn:
            row = conn.execute(
                "SELECT id, name, created_at, author, format_version, header, imported_from, "
                "stored_at FROM snapshots WHERE name = ?",
                (name,),
            ).fetchone()
            if row is None:
                raise ValidationError(f"no snapshot named {name!r} in {self.path}")
            parts = {
                str(part): bytes(data)
                for part, data in conn.execute(
                    "SELECT part, data FROM snapshot_parts WHERE snapshot_id = ?", (row[0],)
                )
            }
        return _snapshot_info(row), parts

    def store_snapshot(
        self,
        conn: sqlite3.Connection,
        header: Mapping[str, Any],
        parts: Mapping[str, bytes],
        *,
        imported_from: str | None = None,
    ) -> int:
        """Insert a snapshot inside a transaction of the caller (see :meth:`transaction`)."""
        name = str(header["name"])
        if conn.execute("SELECT 1 FROM snapshots WHERE name = ?", (name,)).fetchone():
            raise ValidationError(f"a snapshot named {name!r} already exists in {self.path}")
        cursor = conn.execute(
            "INSERT INTO snapshots (name, created_at, author, format_version, header, "
            "imported_from, stored_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                name,
                header["created_at"],
                header["author"],
                int(header["format_version"]),
                json.dumps(dict(header), ensure_ascii=False, sort_keys=True),
                imported_from,
                now(),
            ),
        )
        snapshot_id = int(cursor.lastrowid or 0)
        conn.executemany(
            "INSERT INTO snapshot_parts (snapshot_id, part, data) VALUES (?, ?, ?)",
            [(snapshot_id, part, data) for part, data in parts.items()],
        )
        return snapshot_id

    # ---- import of annotations and facts (used by snapshot.import_file)

    def restore(
        self,
        conn: sqlite3.Connection,
        annotations: pl.DataFrame,
        history: pl.DataFrame,
        facts: pl.DataFrame,
        *,
        source: str,
    ) -> tuple[int, int, int, int]:
        """Add annotations (by uid, with their history) and facts the workspace lacks.

        Runs inside the caller's transaction; logs one undoable "import" edit. Returns
        (annotations added, annotations already present, facts added, facts already present).
        """
        added_annotations: list[int] = []
        skipped_annotations = 0
        versions: dict[str, list[tuple[Any, ...]]] = {}
        for uid, *rest in history.select(
            "uid", "version", "text", "category", "state", "author", "at"
        ).iter_rows():
            versions.setdefault(uid, []).append(tuple(rest))
        for row in annotations.iter_rows(named=True):
            uid = row["uid"]
            if conn.execute("SELECT 1 FROM annotations WHERE uid = ?", (uid,)).fetchone():
                skipped_annotations += 1
                continue
            if row["state"] not in STATES or any(v[3] not in STATES for v in versions.get(uid, [])):
                raise ValidationError(f"{source}: annotation {uid} has an unknown state")
            own = versions.get(uid) or [  # no history given: the current version alone
                (
                    row["version"],
                    row["text"],
                    row["category"],
                    row["state"],
                    row["updated_by"],
                    row["updated_at"],
                )
            ]
            cursor = conn.execute(
                "INSERT INTO annotations (uid, plan_id, node_id, year, author, created_at, "
                "version) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    uid,
                    row["plan_id"],
                    row["node_id"],
                    row["year"],
                    row["author"],
                    row["created_at"],
                    row["version"],
                ),
            )
            annotation_id = int(cursor.lastrowid or 0)
            conn.executemany(
                "INSERT INTO annotation_versions (annotation_id, version, text, category, "
                "state, author, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(annotation_id, *version) for version in own],
            )
            added_annotations.append(annotation_id)
        added_facts: list[int] = []
        skipped_facts = 0
        for plan_id, node_id, year, value, raw, author, entered_at in facts.select(
            "plan_id", "node_id", "year", "value", "raw", "author", "entered_at"
        ).iter_rows():
            same = conn.execute(
                "SELECT 1 FROM facts WHERE plan_id = ? AND node_id = ? AND year = ? "
                "AND value IS ? AND raw = ? AND author = ? AND entered_at = ? "
                "AND undone_at IS NULL",
                (plan_id, node_id, year, value, raw, author, entered_at),
            ).fetchone()
            if same:
                skipped_facts += 1
                continue
            cursor = conn.execute(
                "INSERT INTO facts (plan_id, node_id, year, value, raw, author, entered_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (plan_id, node_id, year, value, raw, author, entered_at),
            )
            added_facts.append(int(cursor.lastrowid or 0))
        if added_annotations or added_facts:
            self._log(
                conn,
                "import",
                f"import of {len(added_annotations)} annotation(s) and "
                f"{len(added_facts)} fact(s) from {source}",
                {"annotation_ids": added_annotations, "fact_ids": added_facts},
                now(),
                self.author,
            )
        return len(added_annotations), skipped_annotations, len(added_facts), skipped_facts

    # ---- maintenance

    def integrity(self) -> str:
        """``PRAGMA integrity_check``: "ok" when the database is intact."""
        with self._lock:
            rows = self._conn.execute("PRAGMA integrity_check").fetchall()
        return "\n".join(str(row[0]) for row in rows)


def _where(plan_id: str, node_id: str, year: int | None) -> str:
    return f"{plan_id}/{node_id}" + (f" {year}" if year is not None else "")


def _snapshot_info(row: Sequence[Any]) -> SnapshotInfo:
    return SnapshotInfo(
        id=int(row[0]),
        name=str(row[1]),
        created_at=str(row[2]),
        author=str(row[3]),
        format_version=int(row[4]),
        header=json.loads(row[5]),
        imported_from=row[6],
        stored_at=str(row[7]),
    )


# --------------------------------------------------------------------------- undo actions


def _undo_annotate(conn: sqlite3.Connection, payload: Mapping[str, Any], at: str) -> None:
    conn.execute(
        "UPDATE annotations SET removed_at = ? WHERE id = ?", (at, payload["annotation_id"])
    )


def _undo_edit_annotation(conn: sqlite3.Connection, payload: Mapping[str, Any], at: str) -> None:
    conn.execute(
        "UPDATE annotation_versions SET undone_at = ? WHERE annotation_id = ? AND version = ?",
        (at, payload["annotation_id"], payload["version"]),
    )
    conn.execute(
        "UPDATE annotations SET version = ? WHERE id = ?",
        (payload["previous"], payload["annotation_id"]),
    )


def _undo_fact(conn: sqlite3.Connection, payload: Mapping[str, Any], at: str) -> None:
    conn.execute("UPDATE facts SET undone_at = ? WHERE id = ?", (at, payload["fact_id"]))


def _undo_import(conn: sqlite3.Connection, payload: Mapping[str, Any], at: str) -> None:
    conn.executemany(
        "UPDATE annotations SET removed_at = ? WHERE id = ?",
        [(at, annotation_id) for annotation_id in payload["annotation_ids"]],
    )
    conn.executemany(
        "UPDATE facts SET undone_at = ? WHERE id = ?",
        [(at, fact_id) for fact_id in payload["fact_ids"]],
    )


def _undo_mark(conn: sqlite3.Connection, payload: Mapping[str, Any], at: str) -> None:
    conn.execute("UPDATE activity_marks SET undone_at = ? WHERE id = ?", (at, payload["mark_id"]))


_UNDO: dict[str, Callable[[sqlite3.Connection, Mapping[str, Any], str], None]] = {
    "mark_reported": _undo_mark,
    "annotate": _undo_annotate,
    "edit_annotation": _undo_edit_annotation,
    "fact": _undo_fact,
    "clear_fact": _undo_fact,
    "import": _undo_import,
}

# --------------------------------------------------------------------------- frame schemas

FACTS_FRAME_SCHEMA = pl.Schema(
    {"plan_id": pl.String, "node_id": pl.String, "year": pl.Int32, "value": pl.Float64}
)
FACT_SCHEMA = pl.Schema(
    {
        "plan_id": pl.String,
        "node_id": pl.String,
        "year": pl.Int32,
        "value": pl.Float64,
        "raw": pl.String,
        "author": pl.String,
        "entered_at": pl.String,
    }
)
ANNOTATION_SCHEMA = pl.Schema(
    {
        "id": pl.Int64,
        "uid": pl.String,
        "plan_id": pl.String,
        "node_id": pl.String,
        "year": pl.Int32,
        "text": pl.String,
        "category": pl.String,
        "state": pl.String,
        "author": pl.String,
        "created_at": pl.String,
        "updated_by": pl.String,
        "updated_at": pl.String,
        "version": pl.Int32,
    }
)
HISTORY_SCHEMA = pl.Schema(
    {
        "uid": pl.String,
        "version": pl.Int32,
        "text": pl.String,
        "category": pl.String,
        "state": pl.String,
        "author": pl.String,
        "at": pl.String,
    }
)
MARKS_FRAME_SCHEMA = pl.Schema({"plan_id": pl.String, "node_id": pl.String, "reported_on": pl.Date})
