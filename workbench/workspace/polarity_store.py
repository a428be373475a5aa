"""Polarities set by the analyst: whether more or less of an indicator is better, where the
document's words led the workbench astray (issue 18). They live beside the dataset and never
change it; the latest entry not undone wins in the statuses
(:func:`workbench.analysis.status.indicator_statuses` takes them as ``polarities=``), and
clearing is an entry of its own (its polarity null), so the document's polarity counts again."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import polars as pl

from workbench.dataset.contract import POLARITIES
from workbench.errors import ValidationError
from workbench.i18n import _
from workbench.workspace.connection import WorkspaceBase, _where
from workbench.workspace.edit_checks import DatasetIndex, article
from workbench.workspace.workspace_file import now

# What an analyst may type for a polarity (the command line, a snapshot file): the contract's
# names, and the words the screen's picker uses.
POLARITY_WORDS: Final[dict[str, str]] = {
    **{name: name for name in POLARITIES},
    "higher": "increase",
    "lower": "decrease",
}


@dataclass(frozen=True, slots=True)
class PolaritySetting:
    """A polarity the analyst set (``polarity`` None: an entry that clears the one set)."""

    id: int
    plan_id: str
    node_id: str
    polarity: str | None
    author: str
    set_at: str
    document: str | None = None  # the dataset's own polarity of the indicator, for display


def check_polarity_target(index: DatasetIndex, plan_id: str, node_id: str) -> str:
    """The dataset's polarity of the indicator (plan, node); ValidationError when (plan, node)
    is not an indicator the dataset describes."""
    info = index.check_node(plan_id, node_id)
    if node_id not in info.units:
        kind = info.kinds[node_id]
        raise ValidationError(
            _(
                "node {node} of plan {plan} is {kind}, not an indicator: "
                "a polarity is set on indicators"
            ).format(node=repr(node_id), plan=repr(plan_id), kind=f"{article(kind)} {kind}")
        )
    return index.polarity(plan_id, node_id)


def check_polarity(index: DatasetIndex, plan_id: str, node_id: str, polarity: str) -> str:
    """The contract's name of ``polarity`` (``higher`` → ``increase``) for an indicator of the
    dataset; ValidationError names what was expected."""
    check_polarity_target(index, plan_id, node_id)
    name = POLARITY_WORDS.get(str(polarity).strip().casefold())
    if name is None:
        known = ", ".join(POLARITY_WORDS)
        raise ValidationError(
            _("unknown polarity {polarity} (expected one of: {known})").format(
                polarity=repr(polarity), known=known
            )
        )
    return name


# The current setting of each (plan, node): its latest entry not undone.
_CURRENT = """
    SELECT p.id, p.plan_id, p.node_id, p.polarity, p.author, p.set_at
    FROM polarities p
    WHERE p.undone_at IS NULL AND p.id = (
        SELECT q.id FROM polarities q
        WHERE q.plan_id = p.plan_id AND q.node_id = p.node_id AND q.undone_at IS NULL
        ORDER BY q.set_at DESC, q.id DESC LIMIT 1)
"""


class PolarityStore(WorkspaceBase):
    """Polarities of the workspace (see :mod:`workbench.workspace.store` for the calls)."""

    def set_polarity(
        self, plan_id: str, node_id: str, polarity: str, *, author: str | None = None
    ) -> PolaritySetting:
        """Set the polarity of an indicator (``increase``/``higher``, ``decrease``/``lower``,
        ``target``); committed when it returns."""
        name = check_polarity(self.index, plan_id, node_id, polarity)
        return self._insert(plan_id, node_id, name, author, "polarity")

    def clear_polarity(
        self, plan_id: str, node_id: str, *, author: str | None = None
    ) -> PolaritySetting:
        """Remove the polarity set on an indicator: the document's counts again."""
        check_polarity_target(self.index, plan_id, node_id)
        if self.polarity_for(plan_id, node_id) is None:
            raise ValidationError(
                _("no polarity set on {where} to clear").format(
                    where=_where(plan_id, node_id, None)
                )
            )
        return self._insert(plan_id, node_id, None, author, "clear_polarity")

    def _insert(
        self,
        plan_id: str,
        node_id: str,
        polarity: str | None,
        author: str | None,
        action: str,
    ) -> PolaritySetting:
        who = author or self.author
        at = now()
        where = _where(plan_id, node_id, None)
        with self.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO polarities (plan_id, node_id, polarity, author, set_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (plan_id, node_id, polarity, who, at),
            )
            setting_id = int(cursor.lastrowid or 0)
            summary = (
                f"polarity {polarity} for {where}"
                if polarity is not None
                else f"clearing the polarity of {where}"
            )
            self._log(conn, action, summary, {"polarity_id": setting_id}, at, who)
        document = self.index.polarity(plan_id, node_id)
        return PolaritySetting(setting_id, plan_id, node_id, polarity, who, at, document)

    def polarity_for(self, plan_id: str, node_id: str) -> PolaritySetting | None:
        """The polarity set on (plan, node) that counts, or None."""
        with self.reading() as conn:
            row = conn.execute(
                "SELECT id, plan_id, node_id, polarity, author, set_at FROM polarities "
                "WHERE plan_id = ? AND node_id = ? AND undone_at IS NULL "
                "ORDER BY set_at DESC, id DESC LIMIT 1",
                (plan_id, node_id),
            ).fetchone()
        if row is None or row[3] is None:
            return None
        return PolaritySetting(*row)

    def polarities(self, *, plan_id: str | None = None) -> list[PolaritySetting]:
        """The polarities set that count, by plan and node."""
        sql = _CURRENT + " AND p.polarity IS NOT NULL"
        params: list[Any] = []
        if plan_id is not None:
            sql += " AND p.plan_id = ?"
            params.append(plan_id)
        sql += " ORDER BY p.plan_id, p.node_id"
        with self.reading() as conn:
            return [PolaritySetting(*row) for row in conn.execute(sql, params)]

    def polarities_frame(self) -> pl.DataFrame:
        """The polarities set that count (:data:`POLARITY_SCHEMA`): the ``polarities=`` of
        indicator_statuses, and a snapshot's part."""
        rows = [(p.plan_id, p.node_id, p.polarity, p.author, p.set_at) for p in self.polarities()]
        return pl.DataFrame(rows, schema=POLARITY_SCHEMA, orient="row")


POLARITY_SCHEMA = pl.Schema(
    {
        "plan_id": pl.String,
        "node_id": pl.String,
        "polarity": pl.String,
        "author": pl.String,
        "set_at": pl.String,
    }
)
