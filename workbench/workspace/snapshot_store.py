"""Snapshots as the workspace keeps them: immutable rows of a header and named parts (their
content is made and read by :mod:`workbench.snapshots`), and the import of a snapshot's
annotations and facts into the workspace."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from workbench.errors import ValidationError
from workbench.i18n import _
from workbench.workspace.connection import WorkspaceBase
from workbench.workspace.edit_checks import STATES
from workbench.workspace.workspace_file import now


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


class SnapshotStore(WorkspaceBase):
    """Snapshots of the workspace (see :mod:`workbench.workspace.store` for the calls)."""

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
            raise ValidationError(
                _("no snapshot named {name} in {path}").format(name=repr(name), path=self.path)
            )
        return _snapshot_info(row)

    def snapshot_parts(self, name: str) -> tuple[SnapshotInfo, dict[str, bytes]]:
        with self.reading() as conn:
            row = conn.execute(
                "SELECT id, name, created_at, author, format_version, header, imported_from, "
                "stored_at FROM snapshots WHERE name = ?",
                (name,),
            ).fetchone()
            if row is None:
                raise ValidationError(
                    _("no snapshot named {name} in {path}").format(name=repr(name), path=self.path)
                )
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
            raise ValidationError(
                _("a snapshot named {name} already exists in {path}").format(
                    name=repr(name), path=self.path
                )
            )
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

    # ---- import of annotations and facts (used by snapshots.importing)

    def restore(
        self,
        conn: sqlite3.Connection,
        annotations: pl.DataFrame,
        history: pl.DataFrame,
        facts: pl.DataFrame,
        *,
        source: str,
        polarities: pl.DataFrame | None = None,
    ) -> tuple[int, int, int, int, int, int]:
        """Add annotations (by uid, with their history), facts and set polarities the
        workspace lacks.

        Runs inside the caller's transaction; logs one undoable "import" edit. Returns
        (annotations added, annotations already present, facts added, facts already present,
        polarities added, polarities already present).
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
                raise ValidationError(
                    _("{source}: annotation {uid} has an unknown state").format(
                        source=source, uid=uid
                    )
                )
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
        added_polarities: list[int] = []
        skipped_polarities = 0
        rows = () if polarities is None else polarities.iter_rows()
        for plan_id, node_id, polarity, author, set_at in rows:
            same = conn.execute(
                "SELECT 1 FROM polarities WHERE plan_id = ? AND node_id = ? AND polarity IS ? "
                "AND author = ? AND set_at = ? AND undone_at IS NULL",
                (plan_id, node_id, polarity, author, set_at),
            ).fetchone()
            if same:
                skipped_polarities += 1
                continue
            cursor = conn.execute(
                "INSERT INTO polarities (plan_id, node_id, polarity, author, set_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (plan_id, node_id, polarity, author, set_at),
            )
            added_polarities.append(int(cursor.lastrowid or 0))
        if added_annotations or added_facts or added_polarities:
            also = f", {len(added_polarities)} polarity(ies)" if added_polarities else ""
            self._log(
                conn,
                "import",
                f"import of {len(added_annotations)} annotation(s){also} and "
                f"{len(added_facts)} fact(s) from {source}",
                {
                    "annotation_ids": added_annotations,
                    "fact_ids": added_facts,
                    "polarity_ids": added_polarities,
                },
                now(),
                self.author,
            )
        return (
            len(added_annotations),
            skipped_annotations,
            len(added_facts),
            skipped_facts,
            len(added_polarities),
            skipped_polarities,
        )
