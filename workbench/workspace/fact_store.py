"""Entered facts: values the analyst enters for an indicator and year. They live beside the
dataset and never change it; the latest entry not undone wins in the views, and clearing is an
entry of its own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from workbench.errors import ValidationError
from workbench.i18n import _
from workbench.workspace.connection import WorkspaceBase, _where
from workbench.workspace.edit_checks import check_fact, check_fact_target
from workbench.workspace.workspace_file import now


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


class FactStore(WorkspaceBase):
    """Entered facts of the workspace (see :mod:`workbench.workspace.store` for the calls)."""

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
                _("no entered fact for {where} to clear").format(
                    where=_where(plan_id, node_id, checked_year)
                )
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
