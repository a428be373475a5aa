"""The workspace file itself: its SQLite schema and migrations, and making and opening it safely.

:mod:`workbench.workspace.store` builds the :class:`~workbench.workspace.store.Workspace` on what
this gives: a file identified by ``PRAGMA application_id`` ("PLWB") with its schema version in
``PRAGMA user_version``, upgraded by :data:`_MIGRATIONS` in one transaction; a header read from disk
before SQLite touches the file (anything else is refused, untouched); a new workspace built in a
temporary file and linked into place, so a half-made one is never seen.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from workbench.errors import WorkspaceError
from workbench.i18n import _

APPLICATION_ID: Final = 0x504C5742  # "PLWB"
SCHEMA_VERSION: Final = 3
BUSY_TIMEOUT_MS: Final = 15_000
_SQLITE_MAGIC: Final = b"SQLite format 3\x00"


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

# Version 3: the polarity an analyst sets for an indicator (issue 18); a row whose polarity is
# null clears the one set before, so the document's shows again.
_V3: tuple[str, ...] = (
    """CREATE TABLE polarities (
        id INTEGER PRIMARY KEY,
        plan_id TEXT NOT NULL,
        node_id TEXT NOT NULL,
        polarity TEXT CHECK (polarity IN ('increase', 'decrease', 'target')),
        author TEXT NOT NULL,
        set_at TEXT NOT NULL,
        undone_at TEXT
    )""",
    """CREATE INDEX polarities_key ON polarities (plan_id, node_id)""",
)

# _MIGRATIONS[n] takes a workspace from user_version n to n + 1, inside one transaction.
_MIGRATIONS: tuple[tuple[str, ...], ...] = (_V1, _V2, _V3)
assert len(_MIGRATIONS) == SCHEMA_VERSION


def migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Bring the schema to SCHEMA_VERSION in one IMMEDIATE transaction (no-op when current)."""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise WorkspaceError(
            _(
                "{path}: workspace schema version {version} is newer than this workbench (reads "
                "up to {schema_version}); update the workbench"
            ).format(path=path, version=version, schema_version=SCHEMA_VERSION)
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


def check_header(path: Path) -> None:
    """Refuse, before SQLite touches it, a file that is not a workspace."""
    if not path.is_file():
        raise WorkspaceError(_("{path}: not a file, cannot be a workspace").format(path=path))
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        raise WorkspaceError(
            _("{path}: cannot be read ({strerror})").format(path=path, strerror=exc.strerror)
        ) from None
    if not header:
        raise WorkspaceError(
            _(
                "{path}: empty file, not a Plan Workbench workspace (remove it or choose another "
                "path)"
            ).format(path=path)
        )
    if len(header) < 100 or not header.startswith(_SQLITE_MAGIC):
        raise WorkspaceError(
            _(
                "{path}: not a Plan Workbench workspace (not an SQLite database); left untouched"
            ).format(path=path)
        )
    app_id = int.from_bytes(header[68:72], "big")
    if app_id != APPLICATION_ID:
        raise WorkspaceError(
            _(
                "{path}: an SQLite database but not a Plan Workbench workspace (application_id "
                "{app_id}); left untouched"
            ).format(path=path, app_id=format(app_id, "#x"))
        )


def unwritable(path: Path) -> str | None:
    """Why the workspace at ``path`` cannot be written here, or None when it can.

    SQLite writes a WAL workspace through ``-wal`` and ``-shm`` files beside it: the folder must
    be writable too, not only the file.
    """
    try:
        if os.statvfs(path).f_flag & os.ST_RDONLY:
            return _("on a read-only file system")
    except OSError:
        pass
    if not os.access(path, os.W_OK):
        return _("the file is read-only")
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return _("its folder is read-only")
    return None


def open_checked(path: Path, *, for_reading: bool = False) -> tuple[sqlite3.Connection, str | None]:
    """A connection to the workspace at ``path`` (its header checked already), checked and
    upgraded; with the reason it is read-only, or None.

    A workspace that cannot be written is refused with that reason, before SQLite touches it
    (so no ``-wal``/``-shm`` file is left beside it), unless the caller only reads
    (``for_reading``): then it is opened read-only.
    """
    reason = unwritable(path)
    if reason is not None and not for_reading:
        raise WorkspaceError(
            _(
                "{path}: read-only workspace ({reason}); nothing can be saved to it "
                "(annotations, snapshot list and snapshot export still read it)"
            ).format(path=path, reason=reason)
        )
    sidecars = _sidecars(path)
    existed = {sidecar for sidecar in sidecars if sidecar.exists()}
    try:
        conn = connect(path, read_only=reason is not None)
    except sqlite3.Error as exc:
        raise WorkspaceError(
            _("{path}: cannot open the workspace ({exc})").format(path=path, exc=exc)
        ) from None
    try:
        check = conn.execute("PRAGMA quick_check").fetchall()
        if [tuple(row) for row in check] != [("ok",)]:
            first = str(check[0][0]) if check else "no answer"
            raise WorkspaceError(
                _("{path}: damaged workspace ({first}); left untouched").format(
                    path=path, first=first
                )
            )
        if reason is not None:
            _check_version(conn, path, reason)
            return conn, reason
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise WorkspaceError(
                _("{path}: cannot use write-ahead logging here (mode {mode})").format(
                    path=path, mode=mode
                )
            )
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        migrate(conn, path)
    except sqlite3.DatabaseError as exc:
        conn.close()
        _remove_new_sidecars(sidecars, existed)
        if isinstance(exc, sqlite3.OperationalError) and "readonly" in str(exc):
            raise WorkspaceError(
                _("{path}: cannot be written here ({exc}); left untouched").format(
                    path=path, exc=exc
                )
            ) from None
        raise WorkspaceError(
            _("{path}: damaged workspace ({exc}); left untouched").format(path=path, exc=exc)
        ) from None
    except BaseException:
        conn.close()
        _remove_new_sidecars(sidecars, existed)
        raise
    return conn, None


def _check_version(conn: sqlite3.Connection, path: Path, reason: str) -> None:
    """A read-only workspace is read only at this schema version (it cannot be upgraded)."""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version != SCHEMA_VERSION:
        raise WorkspaceError(
            _(
                "{path}: read-only workspace ({reason}) of schema version {version}, which this "
                "workbench reads only after an upgrade (to {schema_version}): open it once where "
                "it can be written"
            ).format(path=path, reason=reason, version=version, schema_version=SCHEMA_VERSION)
        )


def _sidecars(path: Path) -> tuple[Path, Path]:
    return Path(f"{path}-wal"), Path(f"{path}-shm")


def _remove_new_sidecars(sidecars: tuple[Path, Path], existed: set[Path]) -> None:
    """After a failed open: the ``-wal``/``-shm`` files this attempt made, while the log holds
    nothing (a log with content is another connection's, and its edits)."""
    wal, _ = sidecars
    with contextlib.suppress(OSError):
        if wal in existed or (wal.exists() and wal.stat().st_size):
            return
        for sidecar in sidecars:
            if sidecar not in existed:
                sidecar.unlink(missing_ok=True)


def connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    """Open an existing file without ever creating it: read-write, or ``read_only``.

    Read-only without a ``-wal`` file, it is opened ``immutable``: SQLite then makes no
    ``-wal``/``-shm`` files (which a read-only connection could not remove) and takes no locks.
    With a ``-wal`` file (edits not yet copied into the file) it is read through the log.
    """
    uri = "file:" + Path(os.path.abspath(path)).as_posix().replace("?", "%3f").replace("#", "%23")
    query = "?mode=rw"
    if read_only:
        query = "?mode=ro" if Path(f"{path}-wal").exists() else "?mode=ro&immutable=1"
    conn = sqlite3.connect(
        uri + query,
        uri=True,
        isolation_level=None,
        timeout=BUSY_TIMEOUT_MS / 1000,
        check_same_thread=False,
    )
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def create(path: Path) -> None:
    """Build an empty workspace in a temporary file beside ``path``, then link it into place.

    Losing the race to another process creating the same workspace is fine: its file is used.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".new", dir=path.parent)
    except OSError as exc:
        raise WorkspaceError(
            _("{path}: cannot create the workspace ({strerror})").format(
                path=path, strerror=exc.strerror
            )
        ) from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = DELETE")
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute("COMMIT")
            migrate(conn, path)
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
        fsync_dir(path.parent)
    finally:
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm"), Path(f"{tmp}-journal")):
            leftover.unlink(missing_ok=True)


def fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
