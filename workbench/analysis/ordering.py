"""The order of the tree's rows: the document's, or the indicators that did worst first. No
Textual here: the screen asks for an :class:`Ordering` and the outline puts siblings in it.

- ``document``: as the document prints them (the catalog's depth-first order).
- ``achievement``: lowest achievement r first.
- ``deviation``: the largest relative deviation from the plan first, either way: |1 − r|, which
  for each polarity is how far the fact is from the plan as a share of it (an overshoot that
  looks like a typing mistake ranks as high as a shortfall).

Among siblings a branch (a goal, a plan, a city) ranks as the worst indicator below it, so the
worst indicators are found by opening the first branch at each level; rows without a counted
indicator (no plan or no fact in the year, activities, grants) come last; ties keep the
document's order. The whole tree's visual order is one sort of the catalog, by each row's
ancestors' ranks top down, so a step through the matches (``n``) follows the rows as shown.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from workbench.analysis.catalog import Catalog
from workbench.i18n import N_

ORDERS = ("document", "achievement", "deviation")
# What the screen's top bar says of each order but the document's.
ORDER_LABELS = {
    "document": N_("document order"),
    "achievement": N_("by achievement ↑"),
    "deviation": N_("by deviation ↓"),
}


def next_order(order: str) -> str:
    """The order after ``order`` in the cycle document → achievement → deviation → document."""
    at = ORDERS.index(order) if order in ORDERS else -1
    return ORDERS[(at + 1) % len(ORDERS)]


@dataclass(frozen=True, slots=True)
class Ordering:
    """A catalog's rows in one order: ``position[idx]`` is the row's place in the whole tree
    shown in that order (parents before their children), ``rows[place]`` the row there."""

    order: str
    position: pl.Series
    rows: pl.Series

    @classmethod
    def build(cls, catalog: Catalog, order: str) -> Ordering:
        if order not in ORDERS:
            raise ValueError(f"unknown order {order!r} (known: {', '.join(ORDERS)})")
        if order == "document":
            idx = catalog.items.get_column("idx").cast(pl.UInt32)
            return cls(order, idx, idx)
        rows = _rows_in_order(catalog.items, order)
        position = pl.Series("position", range(rows.len()), dtype=pl.UInt32)
        return cls(order, position.scatter(rows, position), rows)

    @property
    def label(self) -> str:
        """The order in a few words, untranslated (``_(ordering.label)`` on a screen)."""
        return ORDER_LABELS[self.order]

    def row_at(self, place: int) -> int:
        return int(self.rows[place])

    def sort(self, kids: list[int]) -> list[int]:
        """``kids`` (siblings) in this order."""
        if self.order == "document" or len(kids) < 2:
            return kids
        places = self.position.gather(kids).to_list()
        return [kid for _, kid in sorted(zip(places, kids, strict=True))]


def _own_key(order: str) -> pl.Expr:
    """Each indicator's rank key, smaller first; +inf where it has none (shown last)."""
    r = pl.col("achievement").cast(pl.Float64)
    key = r if order == "achievement" else -(1 - r).abs()
    counted = pl.col("is_indicator").fill_null(False) & r.is_not_null() & r.is_finite()
    return pl.when(counted).then(key).otherwise(float("inf"))


def _rows_in_order(items: pl.DataFrame, order: str) -> pl.Series:
    """The rows (idx) in the tree's order, siblings sorted by the smallest key in their subtree.

    In depth-first order a row's ancestor at depth d is the last row of depth d at or before it,
    so each depth's ancestors come from one forward fill, and a subtree's smallest key from a
    window over them; the rows then sort by (rank, idx) of each ancestor, top down, a missing
    (deeper) ancestor first so that a parent precedes its children.
    """
    depth = pl.col("depth")
    deepest = int(items.select(depth.max().fill_null(0)).item())
    levels = range(deepest + 1)
    ancestors = [
        pl.when(depth >= d)
        .then(pl.when(depth == d).then(pl.col("idx")).forward_fill())
        .alias(f"a{d}")
        for d in levels
    ]
    frame = (
        items.lazy()
        .select("idx", _own_key(order).alias("key"), *ancestors)
        .with_columns(
            pl.when(pl.col(f"a{d}").is_not_null())
            .then(pl.col("key").min().over(f"a{d}"))
            .alias(f"k{d}")
            for d in levels
        )
        .select("idx", *(c for d in levels for c in (f"k{d}", f"a{d}")))
    )
    by = [c for d in levels for c in (f"k{d}", f"a{d}")]
    return (
        frame.sort(by, nulls_last=False).select(pl.col("idx").cast(pl.UInt32)).collect().to_series()
    )
