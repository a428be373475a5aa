"""The top of the tree — the cities and their plans — read from ``plans.parquet`` alone: no
Textual here.

What the screen shows on its first frame, while the catalog (every table read, every status
counted: :mod:`workbench.analysis.catalog`) is still being built: a small read of the columns the
tree's top rows name, in the catalog's own order (:data:`workbench.dataset.hierarchy.PLAN_ORDER`),
kept as plain rows (a few thousand at most: cheaper than frames to walk and draw). The cursor and
the open branches carry over once the catalog arrives (:meth:`TopLevel.key` and
:meth:`TopLevel.key_in`). No status is known here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from workbench.dataset.hierarchy import PLAN_ORDER
from workbench.dataset.parquet_folder import read_table

if TYPE_CHECKING:
    from workbench.analysis.catalog import Catalog

# What the tree's cities and plans are named by (their labels, and the order of PLAN_ORDER).
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
# What a row says where the catalog would say a status (none is counted yet).
_NO_STATUS = {"is_indicator": False, "status": None, "claim_mismatch": False, "total": 0}


@dataclass(frozen=True, slots=True)
class TopLevel:
    """The cities and their plans in tree order: each city's row, then its plans' rows.

    A row has the keys of :meth:`Catalog.row` the tree's label reads (idx, parent, depth,
    level, kind, city, plan_id, node_id, code, title, and no status); ``plans`` maps a plan's
    id to its row as read (kind, title, period_start, period_end, report_year …)."""

    rows: tuple[dict[str, Any], ...]
    plans: dict[str, dict[str, Any]]

    @property
    def size(self) -> int:
        return len(self.rows)

    def children(self, idx: int) -> list[int]:
        """The cities (``idx`` -1) or a city's plans, in order; a plan's are not known here."""
        if idx < 0:
            return [row["idx"] for row in self.rows if row["level"] == "city"]
        if self.rows[idx]["level"] != "city":
            return []
        out = []
        for row in self.rows[idx + 1 :]:
            if row["level"] == "city":
                break
            out.append(row["idx"])
        return out

    def row(self, idx: int) -> dict[str, Any]:
        return dict(self.rows[idx])

    def plan_row(self, plan_id: str) -> dict[str, Any] | None:
        return self.plans.get(plan_id)

    def key(self, idx: int) -> tuple[str, str | None]:
        """What names the row in any tree of the dataset: its city, and its plan (None for a
        city)."""
        row = self.rows[idx]
        return str(row["city"]), row["plan_id"]

    @staticmethod
    def key_in(catalog: Catalog, key: tuple[str, str | None]) -> int | None:
        """The catalog's index of the row :meth:`key` names (None when it has no such row)."""
        city, plan_id = key
        return catalog.find_city(city) if plan_id is None else catalog.find(plan_id)


def read_top_level(folder: str | Path) -> TopLevel:
    """The cities and plans of a dataset folder; DatasetError when plans.parquet is missing or
    cannot be read (the catalog's own reading then says so too)."""
    plans = read_table(folder, "plans", lambda frame: frame.select(COLUMNS))
    plans = plans.with_columns(pl.col("kind").cast(pl.String)).sort(PLAN_ORDER)
    rows: list[dict[str, Any]] = []
    by_id: dict[str, dict[str, Any]] = {}
    city_idx = -1
    for plan in plans.iter_rows(named=True):
        city = plan["city"]
        if city_idx < 0 or rows[city_idx]["city"] != city:
            city_idx = len(rows)
            # a city is named as the catalog names it: by its first plan's native name
            rows.append(_row(city_idx, None, 0, "city", city, None, plan["city_native"]))
        rows.append(_row(len(rows), city_idx, 1, "plan", city, plan["plan_id"], plan["title"]))
        by_id[str(plan["plan_id"])] = plan
    return TopLevel(rows=tuple(rows), plans=by_id)


def _row(
    idx: int, parent: int | None, depth: int, level: str, city: str, plan_id: str | None, title: Any
) -> dict[str, Any]:
    return {
        "idx": idx,
        "parent": parent,
        "depth": depth,
        "level": level,
        "kind": level,
        "city": city,
        "plan_id": plan_id,
        "node_id": None,
        "code": None,
        "title": title,
        **_NO_STATUS,
    }
