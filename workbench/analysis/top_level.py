"""The top of the tree — the cities and their plans — read from ``plans.parquet`` alone: no
Textual here.

What the screen shows on its first frame, while the catalog (every table read, every status
counted: :mod:`workbench.analysis.catalog`) is still being built: a small read of the columns the
tree's top rows name, in the catalog's own order (:func:`workbench.dataset.hierarchy.
ordered_items`, with no nodes), so that the cursor and the open branches carry over once the
catalog arrives (:meth:`TopLevel.key` and :meth:`key_in`). No status is known here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from workbench.dataset.contract import SCHEMAS
from workbench.dataset.hierarchy import ordered_items
from workbench.errors import DatasetError
from workbench.i18n import _

if TYPE_CHECKING:
    from workbench.analysis.catalog import Catalog

# What the tree's cities and plans are named by (its labels, and the order of ordered_items).
COLUMNS = (
    "plan_id",
    "city",
    "city_native",
    "title",
    "period_start",
    "period_end",
    "kind",
    "report_year",
)


@dataclass(frozen=True, slots=True)
class TopLevel:
    """The cities and their plans in tree order: ``items`` (the catalog's item columns, the
    indexes those of this small tree) and ``plans`` (one row per plan, as read)."""

    items: pl.DataFrame
    plans: pl.DataFrame
    _plan_rows: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return self.items.height

    def children(self, idx: int) -> list[int]:
        """The cities (``idx`` -1) or a city's plans, in order; a plan's are not known here."""
        if idx < 0:
            start, stop = 0, self.size
        elif self.items.item(idx, "level") == "city":
            start, stop = idx + 1, int(self.items.item(idx, "end"))
        else:
            return []
        out = []
        ends = self.items.get_column("end")
        while start < stop:
            out.append(start)
            start = int(ends[start])
        return out

    def path(self, idx: int) -> list[int]:
        """The city of ``idx`` (when it is a plan) and ``idx`` itself."""
        parent = self.items.item(idx, "parent")
        return [idx] if parent is None else [int(parent), idx]

    def row(self, idx: int) -> dict[str, Any]:
        """One city or plan, with the keys of :meth:`Catalog.row` the tree's label reads (no
        status: none is counted yet)."""
        row = self.items.row(idx, named=True)
        row.update(is_indicator=False, status=None, claim_mismatch=False, total=0)
        return row

    def plan_row(self, plan_id: str) -> dict[str, Any] | None:
        if not self._plan_rows:
            for row in self.plans.iter_rows(named=True):
                self._plan_rows[str(row["plan_id"])] = row
        return self._plan_rows.get(plan_id)

    def key(self, idx: int) -> tuple[str, str | None]:
        """What names the row whatever the tree it is in: its city, and its plan (None for a
        city)."""
        row = self.items.row(idx, named=True)
        return str(row["city"]), row["plan_id"]

    @staticmethod
    def key_in(catalog: Catalog, key: tuple[str, str | None]) -> int | None:
        """The catalog's index of the row :meth:`key` names (None when it has no such row)."""
        city, plan_id = key
        return catalog.find_city(city) if plan_id is None else catalog.find(plan_id)


def read_top_level(folder: str | Path) -> TopLevel:
    """The cities and plans of a dataset folder; DatasetError when plans.parquet is missing or
    cannot be read (the catalog's own reading then says so too)."""
    path = Path(folder) / "plans.parquet"
    if not path.is_file():
        raise DatasetError(_("{path}: missing table {table}").format(path=path, table="'plans'"))
    try:
        plans = pl.read_parquet(path, columns=list(COLUMNS))
    except pl.exceptions.PolarsError as exc:
        raise DatasetError(
            _("{path}: cannot be read as Parquet ({exc})").format(path=path, exc=exc)
        ) from None
    except OSError as exc:
        raise DatasetError(_("{path}: cannot be read ({exc})").format(path=path, exc=exc)) from None
    items = ordered_items({"plans": plans, "nodes": pl.DataFrame(schema=SCHEMAS["nodes"])})
    return TopLevel(items=items, plans=plans.drop("city", "city_native"))
