"""Annotations: the analyst's notes on a (plan, node, year), each edit a new version, the
history kept (undo marks a version or an annotation undone, never deletes it)."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import polars as pl

from workbench.errors import ValidationError
from workbench.i18n import _
from workbench.workspace.connection import WorkspaceBase, _where
from workbench.workspace.edit_checks import (
    check_annotation,
    check_state,
    check_text,
    parse_annotation_number,
)
from workbench.workspace.workspace_file import now

AnyYear = Literal["any"]


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


_ANNOTATION_SELECT = """
    SELECT a.id, a.uid, a.plan_id, a.node_id, a.year, v.text, v.category, v.state,
           a.author, a.created_at, v.author, v.at, a.version
    FROM annotations a
    JOIN annotation_versions v ON v.annotation_id = a.id AND v.version = a.version
"""


def _annotation(row: Sequence[Any]) -> Annotation:
    return Annotation(*row)


class AnnotationStore(WorkspaceBase):
    """Annotations of the workspace (see :mod:`workbench.workspace.store` for the calls)."""

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
            max_length=self.max_length,
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
        annotation_id = parse_annotation_number(annotation_id)
        body = check_text(text, self.max_length) if text is not None else None
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
                raise ValidationError(
                    _("annotation #{annotation_id}: nothing changed").format(
                        annotation_id=annotation_id
                    )
                )
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
            raise ValidationError(
                _("no annotation #{annotation_id}").format(annotation_id=annotation_id)
            )
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
