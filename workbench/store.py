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
        (the same checks without writing: a form can show the problem as the user types)
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
  user_version``, upgraded by :data:`_MIGRATIONS` in one transaction. Before anything is written,
  the header is read from disk: a file that is not a workspace (text, another SQLite database,
  an empty file) or fails ``PRAGMA quick_check`` is refused, untouched. A new workspace is built
  in a temporary file and linked into place, so a half-made one is never seen.
- Nothing the analyst typed is deleted: an edit of an annotation adds a version; undo marks
  a version, an annotation or a fact as undone (``undone_at`` / ``removed_at``) and keeps it.
  Entered facts live beside the dataset and never change it: the latest entered fact of a
  (plan, node, year) wins in the views; :meth:`Workspace.clear_fact` adds an entry that removes it.
- Undo undoes the latest edit of the workspace not yet undone (whoever made it), including a
  whole import. Snapshots are immutable (triggers refuse UPDATE and DELETE).
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import sqlite3
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

import polars as pl

from workbench.errors import NumberParseError, WorkbenchError

if TYPE_CHECKING:
    from workbench.config import Config

APPLICATION_ID: Final = 0x504C5742  # "PLWB"
SCHEMA_VERSION: Final = 2
BUSY_TIMEOUT_MS: Final = 15_000
STATES: Final = ("open", "explained", "resolved")
FILE_NAME: Final = "workspace.sqlite3"
_SQLITE_MAGIC: Final = b"SQLite format 3\x00"

State = Literal["open", "explained", "resolved"]
AnyYear = Literal["any"]


class WorkspaceError(WorkbenchError):
    """The workspace file cannot be used: not a workspace, damaged, newer, busy, unwritable."""


class ValidationError(WorkbenchError):
    """An edit is refused for bad input; nothing was written."""


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


def parse_date(value: date | str) -> date:
    """A date from ``YYYY-MM-DD`` (or a date); ValidationError says what was expected."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError(f"not a date: {value!r} (expected YYYY-MM-DD)") from None


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


def now() -> str:
    """UTC time as sortable text with microseconds: ``2025-07-01T09:30:00.123456Z``."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# --------------------------------------------------------------------------- schema

_V1: tuple[str, ...] = (
    """CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)""",
    """CREATE TABLE annotations (
        id INTEGER PRIMARY KEY,
        uid TEXT NOT NULL UNIQUE,
        plan_id TEXT NOT NULL,
        node_id TEXT NOT NULL,
        year INTEGER,
        author TEXT NOT NULL,
        created_at TEXT NOT NULL,
        version INTEGER NOT NULL,
        removed_at TEXT
    )""",
    """CREATE INDEX annotations_node ON annotations (plan_id, node_id, year)""",
    """CREATE TABLE annotation_versions (
        annotation_id INTEGER NOT NULL REFERENCES annotations (id),
        version INTEGER NOT NULL,
        text TEXT NOT NULL,
        category TEXT,
        state TEXT NOT NULL CHECK (state IN ('open', 'explained', 'resolved')),
        author TEXT NOT NULL,
        at TEXT NOT NULL,
        undone_at TEXT,
        PRIMARY KEY (annotation_id, version)
    )""",
    """CREATE TABLE facts (
        id INTEGER PRIMARY KEY,
        plan_id TEXT NOT NULL,
        node_id TEXT NOT NULL,
        year INTEGER NOT NULL,
        value REAL,
        raw TEXT NOT NULL,
        author TEXT NOT NULL,
        entered_at TEXT NOT NULL,
        undone_at TEXT
    )""",
    """CREATE INDEX facts_key ON facts (plan_id, node_id, year)""",
    """CREATE TABLE edits (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        author TEXT NOT NULL,
        action TEXT NOT NULL,
        summary TEXT NOT NULL,
        payload TEXT NOT NULL,
        undone_at TEXT
    )""",
    """CREATE TABLE snapshots (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        author TEXT NOT NULL,
        format_version INTEGER NOT NULL,
        header TEXT NOT NULL,
        imported_from TEXT,
        stored_at TEXT NOT NULL
    )""",
    """CREATE TABLE snapshot_parts (
        snapshot_id INTEGER NOT NULL REFERENCES snapshots (id),
        part TEXT NOT NULL,
        data BLOB NOT NULL,
        PRIMARY KEY (snapshot_id, part)
    )""",
    """CREATE TRIGGER snapshots_immutable_u BEFORE UPDATE ON snapshots
        BEGIN SELECT RAISE(ABORT, 'snapshots are immutable'); END""",
    """CREATE TRIGGER snapshots_immutable_d BEFORE DELETE ON snapshots
        BEGIN SELECT RAISE(ABORT, 'snapshots are immutable'); END""",
    """CREATE TRIGGER snapshot_parts_immutable_u BEFORE UPDATE ON snapshot_parts
        BEGIN SELECT RAISE(ABORT, 'snapshots are immutable'); END""",
    """CREATE TRIGGER snapshot_parts_immutable_d BEFORE DELETE ON snapshot_parts
        BEGIN SELECT RAISE(ABORT, 'snapshots are immutable'); END""",
)

# Version 2: the analyst's "reported on DATE" marks of activities and grants (issue 7).
_V2: tuple[str, ...] = (
    """CREATE TABLE activity_marks (
        id INTEGER PRIMARY KEY,
        plan_id TEXT NOT NULL,
        node_id TEXT NOT NULL,
        reported_on TEXT NOT NULL,
        author TEXT NOT NULL,
        marked_at TEXT NOT NULL,
        undone_at TEXT
    )""",
    """CREATE INDEX activity_marks_key ON activity_marks (plan_id, node_id)""",
)

# _MIGRATIONS[n] takes a workspace from user_version n to n + 1, inside one transaction.
_MIGRATIONS: tuple[tuple[str, ...], ...] = (_V1, _V2)
assert len(_MIGRATIONS) == SCHEMA_VERSION


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Bring the schema to SCHEMA_VERSION in one IMMEDIATE transaction (no-op when current)."""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise WorkspaceError(
            f"{path}: workspace schema version {version} is newer than this workbench "
            f"(reads up to {SCHEMA_VERSION}); update the workbench"
        )
    if version == SCHEMA_VERSION:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])  # another process?
        for step in range(version, SCHEMA_VERSION):
            for statement in _MIGRATIONS[step]:
                conn.execute(statement)
        if version == 0:
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('created_at', ?), ('workspace_id', ?)",
                (now(), uuid.uuid4().hex),
            )
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


# --------------------------------------------------------------------------- opening


def _check_header(path: Path) -> None:
    """Refuse, before SQLite touches it, a file that is not a workspace."""
    if not path.is_file():
        raise WorkspaceError(f"{path}: not a file, cannot be a workspace")
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        raise WorkspaceError(f"{path}: cannot be read ({exc.strerror})") from None
    if not header:
        raise WorkspaceError(
            f"{path}: empty file, not a Plan Workbench workspace (remove it or choose another path)"
        )
    if len(header) < 100 or not header.startswith(_SQLITE_MAGIC):
        raise WorkspaceError(
            f"{path}: not a Plan Workbench workspace (not an SQLite database); left untouched"
        )
    app_id = int.from_bytes(header[68:72], "big")
    if app_id != APPLICATION_ID:
        raise WorkspaceError(
            f"{path}: an SQLite database but not a Plan Workbench workspace "
            f"(application_id {app_id:#x}); left untouched"
        )


def _connect(path: Path) -> sqlite3.Connection:
    """Open an existing file read-write without ever creating it."""
    uri = "file:" + Path(os.path.abspath(path)).as_posix().replace("?", "%3f").replace("#", "%23")
    conn = sqlite3.connect(
        uri + "?mode=rw",
        uri=True,
        isolation_level=None,
        timeout=BUSY_TIMEOUT_MS / 1000,
        check_same_thread=False,
    )
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def _create(path: Path) -> None:
    """Build an empty workspace in a temporary file beside ``path``, then link it into place.

    Losing the race to another process creating the same workspace is fine: its file is used.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".new", dir=path.parent)
    except OSError as exc:
        raise WorkspaceError(f"{path}: cannot create the workspace ({exc.strerror})") from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = DELETE")
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute("COMMIT")
            _migrate(conn, path)
            conn.execute("PRAGMA journal_mode = WAL")
        finally:
            conn.close()
        with tmp.open("rb") as handle:
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # created meanwhile by another process: use that one
        except OSError:  # no hard links here: fall back to a rename when still free
            if not path.exists():
                os.replace(tmp, path)
        _fsync_dir(path.parent)
    finally:
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm"), Path(f"{tmp}-journal")):
            leftover.unlink(missing_ok=True)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


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
        _create(target)
    _check_header(target)
    try:
        conn = _connect(target)
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
        _migrate(conn, target)
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


# --------------------------------------------------------------------------- dataset checks


@dataclass(frozen=True, slots=True)
class _PlanInfo:
    plan_id: str
    period_start: int
    period_end: int
    kinds: dict[str, str]  # node_id -> kind
    units: dict[str, str | None]  # indicator node_id -> unit (indicators table)
    value_years: dict[str, set[int]]  # node_id -> years with values
    document_facts: dict[tuple[str, int], float | None]


def _in_plan_order(column: pl.Series) -> bool:
    return column.dtype == pl.String and not column.null_count() and bool(column.is_sorted())


class DatasetIndex:
    """What validation needs from the dataset, built per plan on first use."""

    def __init__(self, tables: Mapping[str, pl.DataFrame]) -> None:
        self._tables = tables
        self._plans: dict[str, _PlanInfo] = {}
        # Tables in plan_id order (as the dataset is written) give a plan's rows by a binary
        # search, so the first edit on a plan does not scan millions of values; checked once
        # here (~25 ms for 4 M values) rather than in an edit.
        self._sorted = {
            table: _in_plan_order(tables[table].get_column("plan_id"))
            for table in ("plans", "nodes", "indicators", "values")
            if table in tables
        }

    def _rows(self, table: str, plan_id: str) -> pl.DataFrame:
        """The rows of one plan."""
        frame = self._tables[table]
        if not self._sorted.get(table):
            return frame.filter(pl.col("plan_id") == plan_id)
        column = frame.get_column("plan_id")
        start = int(column.search_sorted(plan_id, side="left"))
        return frame.slice(start, int(column.search_sorted(plan_id, side="right")) - start)

    def plan(self, plan_id: str) -> _PlanInfo:
        info = self._plans.get(plan_id)
        if info is None:
            info = self._build(plan_id)
            self._plans[plan_id] = info
        return info

    def _build(self, plan_id: str) -> _PlanInfo:
        plans = self._rows("plans", plan_id)
        if plans.is_empty():
            raise ValidationError(f"no plan {plan_id!r} in the dataset")
        row = plans.row(0, named=True)
        nodes = self._rows("nodes", plan_id)
        kinds = dict(
            zip(
                nodes.get_column("node_id").to_list(),
                nodes.get_column("kind").cast(pl.String).to_list(),
                strict=True,
            )
        )
        indicators = self._rows("indicators", plan_id)
        units = dict(
            zip(
                indicators.get_column("node_id").to_list(),
                indicators.get_column("unit").to_list(),
                strict=True,
            )
        )
        values = self._rows("values", plan_id)
        years: dict[str, set[int]] = {}
        facts: dict[tuple[str, int], float | None] = {}
        for node_id, year, kind, value in values.select(
            "node_id", "year", pl.col("kind").cast(pl.String), "value"
        ).iter_rows():
            years.setdefault(node_id, set()).add(int(year))
            if kind == "fact":
                facts[(node_id, int(year))] = value
        return _PlanInfo(
            plan_id=plan_id,
            period_start=int(row["period_start"]),
            period_end=int(row["period_end"]),
            kinds=kinds,
            units=units,
            value_years=years,
            document_facts=facts,
        )

    def check_node(self, plan_id: str, node_id: str) -> _PlanInfo:
        info = self.plan(plan_id)
        if node_id not in info.kinds:
            raise ValidationError(f"plan {plan_id!r} has no node {node_id!r}")
        return info

    def check_year(self, info: _PlanInfo, node_id: str, year: int) -> None:
        if info.period_start <= year <= info.period_end:
            return
        if year in info.value_years.get(node_id, set()):
            return  # a baseline or estimate year the document prints for this node
        raise ValidationError(
            f"year {year} is outside plan {info.plan_id!r} ({info.period_start}-{info.period_end})"
        )

    def check_indicator(self, plan_id: str, node_id: str) -> _PlanInfo:
        info = self.check_node(plan_id, node_id)
        if node_id not in info.units:
            kind = info.kinds[node_id]
            raise ValidationError(
                f"node {node_id!r} of plan {plan_id!r} is {_article(kind)} {kind}, "
                "not an indicator: "
                "facts are entered on indicators"
            )
        return info


# --------------------------------------------------------------------------- validation helpers


def parse_year(text: str | int | None) -> int | None:
    """A year from the command line or a form: None for empty, else four digits."""
    if text is None:
        return None
    if isinstance(text, int):
        year = text
    else:
        stripped = text.strip()
        if not stripped:
            return None
        if not stripped.isdigit():
            raise ValidationError(f"year {text!r} is not a year (expected e.g. 2025)")
        year = int(stripped)
    if not 1900 <= year <= 2200:
        raise ValidationError(f"year {year} is not a plausible year")
    return year


def parse_fact_value(raw: str) -> float:
    """The entered text read exactly as the ingest reads a table cell."""
    from workbench.ingest.numbers import parse_number

    try:
        number = parse_number(raw)
    except NumberParseError:
        raise ValidationError(
            f"{raw!r} is not a number (expected e.g. 100,6 or 1 291,0 or 50%)"
        ) from None
    if number.value is None:
        raise ValidationError(
            f"{raw!r} is not a number (to remove an entered fact, clear it instead)"
        )
    return number.value


def _check_state(state: str) -> str:
    if state not in STATES:
        raise ValidationError(f"unknown state {state!r} (one of: {', '.join(STATES)})")
    return state


def _check_text(text: str) -> str:
    if not isinstance(text, str) or not text.strip():
        raise ValidationError("the annotation text is empty")
    return text.strip()


def check_category(categories: Sequence[str], category: str | None) -> str | None:
    """The configured spelling of a category (case-insensitive match); None when empty."""
    if category is None or not category.strip():
        return None
    wanted = category.strip().casefold()
    for known in categories:
        if known.casefold() == wanted:
            return known
    raise ValidationError(f"unknown category {category!r} (one of: {', '.join(categories)})")


@dataclass(frozen=True, slots=True)
class CheckedAnnotation:
    plan_id: str
    node_id: str
    year: int | None
    text: str
    category: str | None
    state: str


def check_annotation(
    index: DatasetIndex,
    categories: Sequence[str],
    plan_id: str,
    node_id: str,
    year: int | str | None,
    text: str,
    *,
    category: str | None = None,
    state: str = "open",
) -> CheckedAnnotation:
    """Every check of a new annotation, without a workspace (a form can call it as you type)."""
    checked_year = parse_year(year)
    info = index.check_node(plan_id, node_id)
    if checked_year is not None:
        index.check_year(info, node_id, checked_year)
    return CheckedAnnotation(
        plan_id,
        node_id,
        checked_year,
        _check_text(text),
        check_category(categories, category),
        _check_state(state),
    )


@dataclass(frozen=True, slots=True)
class CheckedFact:
    plan_id: str
    node_id: str
    year: int
    value: float
    raw: str
    unit: str | None


def check_fact_target(index: DatasetIndex, plan_id: str, node_id: str, year: int | str) -> int:
    checked = parse_year(year)
    if checked is None:
        raise ValidationError("a fact needs a year")
    info = index.check_indicator(plan_id, node_id)
    index.check_year(info, node_id, checked)
    return checked


def check_fact(
    index: DatasetIndex, plan_id: str, node_id: str, year: int | str, raw: str
) -> CheckedFact:
    """Every check of an entered fact, without a workspace."""
    checked_year = check_fact_target(index, plan_id, node_id, year)
    text = " ".join(str(raw).split())
    value = parse_fact_value(text)
    unit = index.plan(plan_id).units.get(node_id)
    return CheckedFact(plan_id, node_id, checked_year, value, text, unit)


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
        body = _check_text(text) if text is not None else None
        new_category = self.check_category(category) if category is not None else None
        if state is not None:
            _check_state(state)
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
            document_value=info.document_facts.get((node_id, year)),
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
                f"{plan_id}/{node_id} is {_article(kind)} {kind}; only activities and grants "
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
        """The marks for :meth:`workbench.activities.ActivityIndex.with_marks`: plan_id,
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


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


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
