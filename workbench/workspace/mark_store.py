""" "Reported" marks: the analyst's note that an activity or a grant was done on a date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Final

import polars as pl

from workbench.errors import ValidationError
from workbench.i18n import _
from workbench.workspace.connection import WorkspaceBase
from workbench.workspace.edit_checks import article, parse_date
from workbench.workspace.workspace_file import now

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


class MarkStore(WorkspaceBase):
    """Marks of the workspace (see :mod:`workbench.workspace.store` for the calls)."""

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
                _(
                    "{plan_id}/{node_id} is {kind}; only activities and grants are marked reported"
                ).format(plan_id=plan_id, node_id=node_id, kind=f"{article(kind)} {kind}")
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


MARKS_FRAME_SCHEMA = pl.Schema({"plan_id": pl.String, "node_id": pl.String, "reported_on": pl.Date})
