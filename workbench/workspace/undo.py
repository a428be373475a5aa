"""Undo: every edit is logged (``edits``); undo takes back the author's latest one not yet
undone (or anyone's), by marking what it wrote undone. Nothing is deleted."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from workbench.workspace.connection import WorkspaceBase
from workbench.workspace.workspace_file import now


@dataclass(frozen=True, slots=True)
class Edit:
    id: int
    at: str
    author: str
    action: str  # annotate | edit_annotation | fact | clear_fact | polarity | … | import
    summary: str


@dataclass(frozen=True, slots=True)
class Undone:
    edit: Edit
    # What the edit was on (plan_id, node_id, year), so a door can name it for a person; None
    # for an import, which is on many.
    target: tuple[str, str, int | None] | None = None

    @property
    def summary(self) -> str:
        return f"undone: {self.edit.summary}"


class UndoLog(WorkspaceBase):
    """The edit log of the workspace and its undo."""

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
            target = _target(conn, edit.action, payload)
        return Undone(edit, target)


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
    conn.executemany(  # an import of an older workbench restored no polarities
        "UPDATE polarities SET undone_at = ? WHERE id = ?",
        [(at, polarity_id) for polarity_id in payload.get("polarity_ids", ())],
    )


def _undo_polarity(conn: sqlite3.Connection, payload: Mapping[str, Any], at: str) -> None:
    conn.execute("UPDATE polarities SET undone_at = ? WHERE id = ?", (at, payload["polarity_id"]))


def _undo_mark(conn: sqlite3.Connection, payload: Mapping[str, Any], at: str) -> None:
    conn.execute("UPDATE activity_marks SET undone_at = ? WHERE id = ?", (at, payload["mark_id"]))


# The table and payload key of the row an edit wrote, per action (an import wrote many).
_TARGETS = {
    "mark_reported": ("activity_marks", "mark_id"),
    "annotate": ("annotations", "annotation_id"),
    "edit_annotation": ("annotations", "annotation_id"),
    "fact": ("facts", "fact_id"),
    "clear_fact": ("facts", "fact_id"),
    "polarity": ("polarities", "polarity_id"),
    "clear_polarity": ("polarities", "polarity_id"),
}


def _target(
    conn: sqlite3.Connection, action: str, payload: Mapping[str, Any]
) -> tuple[str, str, int | None] | None:
    if action not in _TARGETS:
        return None
    table, key = _TARGETS[action]
    year = "NULL" if table in ("activity_marks", "polarities") else "year"
    row = conn.execute(
        f"SELECT plan_id, node_id, {year} FROM {table} WHERE id = ?", (payload[key],)
    ).fetchone()
    return (str(row[0]), str(row[1]), row[2]) if row else None


_UNDO: dict[str, Callable[[sqlite3.Connection, Mapping[str, Any], str], None]] = {
    "mark_reported": _undo_mark,
    "annotate": _undo_annotate,
    "edit_annotation": _undo_edit_annotation,
    "fact": _undo_fact,
    "clear_fact": _undo_fact,
    "polarity": _undo_polarity,
    "clear_polarity": _undo_polarity,
    "import": _undo_import,
}
