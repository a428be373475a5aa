"""The open workspace file: one SQLite connection behind a lock, its write and read
transactions, the edit log every edit writes to, and who is editing.

:class:`WorkspaceBase` is what the stores of the workspace build on (annotations, facts, marks,
undo, snapshots: one module each); :class:`workbench.workspace.store.Workspace` joins them.
The file itself (schema, migrations, safe creation) is :mod:`workbench.workspace.workspace_file`.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Self

import polars as pl

from workbench.config import MAX_ANNOTATION_LENGTH
from workbench.errors import WorkspaceError
from workbench.i18n import _
from workbench.workspace.edit_checks import DatasetIndex, check_category


def os_user() -> str:
    try:
        name = getpass.getuser()
    except Exception:  # no USER/LOGNAME and no passwd entry (containers)
        name = ""
    return name or "unknown"


class WorkspaceBase:
    """One open workspace file. Thread-safe (one lock around the connection); close when done."""

    def __init__(
        self,
        path: Path,
        conn: sqlite3.Connection,
        *,
        dataset: Mapping[str, pl.DataFrame] | None = None,
        categories: Sequence[str] | None = None,
        author: str | None = None,
        max_length: int = MAX_ANNOTATION_LENGTH,
    ) -> None:
        from workbench.config import DEFAULT_CATEGORIES

        self.path = path
        self._conn = conn
        self._lock = threading.RLock()
        self.categories: tuple[str, ...] = tuple(categories or DEFAULT_CATEGORIES)
        self.author = author or os_user()
        self.max_length = max_length  # of an annotation's text
        self.read_only: str | None = None  # why it cannot be written, when opened read-only
        self._index = DatasetIndex(dataset) if dataset is not None else None

    # ---- life cycle

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def use_dataset(self, tables: Mapping[str, pl.DataFrame]) -> None:
        """Validate further edits against this dataset (call after the catalog reloads)."""
        self._index = DatasetIndex(tables)

    @property
    def index(self) -> DatasetIndex:
        if self._index is None:
            raise WorkspaceError(_("no dataset is open: edits are checked against one"))
        return self._index

    # ---- transactions

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One IMMEDIATE write transaction, committed before the block's caller goes on."""
        if self.read_only is not None:
            raise WorkspaceError(
                _("{path}: read-only workspace ({read_only}); not saved").format(
                    path=self.path, read_only=self.read_only
                )
            )
        with self._lock:
            conn = self._conn
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise WorkspaceError(
                    _("{path}: workspace busy or unwritable ({exc})").format(
                        path=self.path, exc=exc
                    )
                ) from None
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.DatabaseError):
                    raise WorkspaceError(
                        _("{path}: not saved ({exc})").format(path=self.path, exc=exc)
                    ) from None
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
                raise WorkspaceError(
                    _("{path}: cannot read ({exc})").format(path=self.path, exc=exc)
                ) from None
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
            raise WorkspaceError(
                _("{path}: cannot read ({exc})").format(path=self.path, exc=exc)
            ) from None
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

    def check_category(self, category: str | None) -> str | None:
        return check_category(self.categories, category)

    # ---- maintenance

    def integrity(self) -> str:
        """``PRAGMA integrity_check``: "ok" when the database is intact."""
        with self._lock:
            rows = self._conn.execute("PRAGMA integrity_check").fetchall()
        return "\n".join(str(row[0]) for row in rows)


def _where(plan_id: str, node_id: str, year: int | None) -> str:
    return f"{plan_id}/{node_id}" + (f" {year}" if year is not None else "")
