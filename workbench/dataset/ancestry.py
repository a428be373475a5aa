"""Walking up the tree of :func:`workbench.dataset.hierarchy.ordered_items`, without a loop per row.

The items are in depth-first order with ``idx`` equal to the row number, so an item's subtree is
the index range ``idx .. end - 1`` and its parent is ``parent``. Going up one level for many
items at once is one ``gather``; a walk to the root takes as many gathers as the tree is deep
(about eight), whatever the number of items.

Used by the activities, funding and links views: which section an item is in, which goal or
task it serves, which responsible body or funding source it inherits from its ancestors.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import polars as pl

from workbench.dataset.hierarchy import ordered_items

# The kinds an item "belongs to" when a view names its section.
SECTION_KINDS = ("section", "direction")


_TEXT_COLUMNS = ("level", "kind", "city", "plan_id", "node_id", "code", "title")


def build_items(
    tables: Mapping[str, pl.DataFrame], items: pl.DataFrame | None = None
) -> pl.DataFrame:
    """The ordered items of the dataset (see :func:`workbench.dataset.hierarchy.ordered_items`), or
    the ones given (e.g. a catalog's, whose ids are categoricals) with plain text columns."""
    if items is None:
        items = ordered_items(tables)
    return items.select(
        pl.col("idx").cast(pl.Int32),
        pl.col("parent").cast(pl.Int32),
        pl.col("end").cast(pl.Int32),
        *[pl.col(c).cast(pl.String) for c in _TEXT_COLUMNS],
    )


def nearest(
    items: pl.DataFrame,
    hit: pl.Series,
    start: pl.Series,
    *,
    include_self: bool = True,
) -> pl.Series:
    """For each item index in ``start``, the index of its nearest ancestor where ``hit`` is true.

    ``hit`` is a boolean series aligned with ``items`` (one value per item idx). With
    ``include_self`` the item itself counts. Null where no ancestor matches (or start is null).
    """
    parents = items.get_column("parent")
    hits = hit.fill_null(False)
    start = start.cast(pl.Int32)
    current = start if include_self else _gather(parents, start)
    found = pl.repeat(None, len(start), dtype=pl.Int32, eager=True).alias("found")
    while True:
        todo = found.is_null() & current.is_not_null()
        if not todo.any():
            return found.alias("nearest")
        matched = _gather(hits, current).fill_null(False) & todo
        found = pl.select(
            pl.when(matched).then(current).otherwise(found).alias("found")
        ).to_series()
        current = pl.select(
            pl.when(matched).then(None).otherwise(_gather(parents, current)).alias("c")
        ).to_series()


def ancestors(items: pl.DataFrame, start: pl.Series) -> pl.DataFrame:
    """Every strict ancestor of each start index: columns ``row`` (position in ``start``),
    ``anc`` (the ancestor's idx) and ``up`` (1 for the parent, 2 for the grandparent …)."""
    parents = items.get_column("parent")
    row = pl.Series("row", range(len(start)), dtype=pl.Int32)
    current = _gather(parents, start.cast(pl.Int32))
    parts = []
    up = 1
    while True:
        frame = pl.DataFrame({"row": row, "anc": current}).filter(pl.col("anc").is_not_null())
        if frame.is_empty():
            break
        parts.append(frame.with_columns(up=pl.lit(up, dtype=pl.Int32)))
        row = frame.get_column("row")
        current = _gather(parents, frame.get_column("anc"))
        up += 1
    if not parts:
        return pl.DataFrame(schema={"row": pl.Int32, "anc": pl.Int32, "up": pl.Int32})
    return pl.concat(parts, how="vertical")


def kind_mask(items: pl.DataFrame, kinds: Iterable[str]) -> pl.Series:
    """True for the items of the given kinds."""
    return items.get_column("kind").is_in(list(kinds))


def item_of(
    items: pl.DataFrame,
    frame: pl.DataFrame,
    *,
    plan_col: str = "plan_id",
    node_col: str = "node_id",
) -> pl.Series:
    """The item idx of each (plan_id, node_id) row of ``frame``; a null node_id gives the plan's
    item; an unknown node gives null."""
    nodes = items.filter(pl.col("level") == "node").select("plan_id", "node_id", "idx")
    plans = items.filter(pl.col("level") == "plan").select("plan_id", plan_idx="idx")
    keyed = frame.select(
        plan_id=pl.col(plan_col).cast(pl.String), node_id=pl.col(node_col).cast(pl.String)
    )
    joined = keyed.join(nodes, on=["plan_id", "node_id"], how="left", maintain_order="left").join(
        plans, on="plan_id", how="left", maintain_order="left"
    )
    return joined.select(
        pl.when(pl.col("node_id").is_null()).then(pl.col("plan_idx")).otherwise(pl.col("idx"))
    ).to_series()


def locate(
    items: pl.DataFrame,
    *,
    city: str | None = None,
    plan_id: str | None = None,
    node_id: str | None = None,
) -> tuple[int, int] | None:
    """The idx range ``(lo, hi)`` of a scope: a node of a plan, a plan, a city, or everything.

    None when the scope does not exist.
    """
    if node_id is not None:
        if plan_id is None:
            raise ValueError("a node is named by its plan_id and node_id")
        found = items.filter(
            (pl.col("level") == "node")
            & (pl.col("plan_id") == plan_id)
            & (pl.col("node_id") == node_id)
        )
    elif plan_id is not None:
        found = items.filter((pl.col("level") == "plan") & (pl.col("plan_id") == plan_id))
    elif city is not None:
        found = items.filter((pl.col("level") == "city") & (pl.col("city") == city))
    else:
        return 0, items.height
    if found.is_empty():
        return None
    row = found.row(0, named=True)
    return int(row["idx"]), int(row["end"])


def inherited_codes(
    items: pl.DataFrame,
    assignments: pl.DataFrame,
    kind: str,
    start: pl.Series,
) -> pl.Series:
    """The vocabulary codes of ``kind`` (body or funding) assigned to each start item, or, when
    it has none, to its nearest ancestor that has some (a task's responsible body applies to
    its measures). A list per start item, empty when none."""
    assigned = assignments.filter(pl.col("kind").cast(pl.String) == kind).with_columns(
        pl.col("code").cast(pl.String)
    )
    empty = pl.select(
        pl.repeat(pl.lit([], dtype=pl.List(pl.String)), len(start)).alias("codes")
    ).to_series()
    if assigned.is_empty() or len(start) == 0:
        return empty
    assigned = assigned.with_columns(idx=item_of(items, assigned)).filter(
        pl.col("idx").is_not_null()
    )
    per_item = assigned.group_by("idx").agg(pl.col("code").unique(maintain_order=True).sort())
    has = (
        items.select("idx")
        .join(per_item.select("idx", has=pl.lit(True)), on="idx", how="left", maintain_order="left")
        .get_column("has")
        .fill_null(False)
    )
    owner = nearest(items, has, start, include_self=True)
    codes = (
        pl.DataFrame({"idx": owner})
        .join(per_item, on="idx", how="left", maintain_order="left")
        .get_column("code")
    )
    return pl.select(
        codes.fill_null(pl.lit([], dtype=pl.List(pl.String))).alias("codes")
    ).to_series()


def _gather(series: pl.Series, indices: pl.Series) -> pl.Series:
    """``series[indices]`` with null indices giving null."""
    return series.gather(indices)
