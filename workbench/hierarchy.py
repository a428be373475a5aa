"""The tree of a dataset in one depth-first order: cities, their plans, each plan's nodes.

Every item gets an index ``idx`` in pre-order and ``end``, the index just past its subtree, so the
descendants of item ``i`` are exactly the items ``i + 1 .. end[i] - 1``. Roll-ups then become prefix
sums over that order, the children of an item are found by hopping ``c = end[c]``, and "is there a
match below this item" is one binary search: no per-node Python loop over the whole dataset.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

# Width of one key segment: a rank among siblings, zero-padded so keys sort as text.
_SEGMENT = 6
# Kinds that can carry indicator rows and values (validate.py allows both).
INDICATOR_KINDS = ("indicator", "target")

ITEM_COLUMNS = (
    "idx",
    "parent",
    "end",
    "depth",
    "level",
    "kind",
    "city",
    "plan_id",
    "node_id",
    "code",
    "title",
)


def run_starts(*keys: str, offset: int = 1) -> pl.Expr:
    """True on each row where ``keys`` differ from the row before: the first row of each run of
    equal keys, in a frame ordered by them. ``offset=-1``: the last row of each run instead."""
    changed = [pl.col(key) != pl.col(key).shift(offset) for key in keys]
    return pl.any_horizontal(changed).fill_null(True)


def _segment(expr: pl.Expr) -> pl.Expr:
    return expr.cast(pl.String).str.zfill(_SEGMENT)


def ordered_items(tables: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    """One row per city, plan and node, in depth-first order.

    Columns: idx, parent (idx of the parent item, null for a city), end, depth (0 for a city),
    level ("city" | "plan" | "node"), kind (the node kind, or "city" / "plan"), city, plan_id,
    node_id, code, title (a city's title is its native name). Cities sort by Latin name, plans by
    period then kind then id, nodes by position. A node whose parent does not exist hangs under
    its plan; a node of an unknown plan, or caught in a parent cycle, is left out.
    """
    plans = (
        tables["plans"]
        .select("plan_id", "city", "city_native", "title", "period_start", "kind")
        .with_columns(pl.col("kind").cast(pl.String))
        .sort("city", "period_start", "kind", "plan_id")
    )
    cities = (
        plans.group_by("city", maintain_order=True)
        .agg(pl.col("city_native").first())
        .sort("city")
        .with_columns(key=_segment(pl.int_range(pl.len())))
    )
    plans = plans.join(cities.select("city", ckey="key"), on="city").with_columns(
        key=pl.col("ckey") + "/" + _segment(pl.int_range(pl.len()).over("city"))
    )
    node_keys = _node_keys(tables["nodes"], plans.select("plan_id", "city", pkey="key"))

    str_null = pl.lit(None, dtype=pl.String)
    plan_null = pl.lit(None, dtype=plans.schema["plan_id"])
    node_null = pl.lit(None, dtype=node_keys.schema["node_id"])
    city_items = cities.select(
        "key",
        depth=pl.lit(0, dtype=pl.Int32),
        level=pl.lit("city"),
        kind=pl.lit("city"),
        city="city",
        plan_id=plan_null,
        node_id=node_null,
        code=str_null,
        title="city_native",
    )
    plan_items = plans.select(
        "key",
        depth=pl.lit(1, dtype=pl.Int32),
        level=pl.lit("plan"),
        kind=pl.lit("plan"),
        city="city",
        plan_id="plan_id",
        node_id=node_null,
        code=str_null,
        title="title",
    )
    node_items = node_keys.select(
        "key",
        "depth",
        level=pl.lit("node"),
        kind="kind",
        city="city",
        plan_id="plan_id",
        node_id="node_id",
        code="code",
        title="title",
    )
    items = (
        pl.concat([city_items, plan_items, node_items], how="vertical")
        .sort("key")
        .with_row_index("idx")
        .with_columns(pl.col("idx").cast(pl.Int32))
    )
    end, parent = _ends_and_parents(items.get_column("depth"))
    return items.with_columns(end=end, parent=parent).select(ITEM_COLUMNS)


def _ends_and_parents(depth: pl.Series) -> tuple[pl.Series, pl.Series]:
    """``end`` and ``parent`` of each item of a depth-first order, from the items' depths.

    An item's subtree ends at the next item that is not deeper (or at the end); its parent is
    the last item before it one level up. Per depth, one binary search over the positions of
    the items at that depth or above: integers only, where comparing the sort keys would work
    on text.
    """
    size = depth.len()
    positions = pl.int_range(size, dtype=pl.Int32, eager=True)
    end = pl.repeat(size, size, dtype=pl.Int32, eager=True)
    parent = pl.repeat(None, size, dtype=pl.Int32, eager=True)
    for level in sorted(depth.drop_nulls().unique().to_list()):
        here = positions.filter(depth == level)
        # The items at this depth or above, in order: the next one after an item here ends it.
        stops = positions.filter(depth <= level)
        after = stops.search_sorted(here, side="right")
        end = end.scatter(here, stops.append(pl.Series([size], dtype=pl.Int32)).gather(after))
        if level > 0:
            above = positions.filter(depth == level - 1)
            before = above.search_sorted(here, side="left").cast(pl.Int64) - 1
            parent = parent.scatter(here, above.gather(before.clip(lower_bound=0)))
    return end, parent


def _node_keys(nodes: pl.DataFrame, plan_keys: pl.DataFrame) -> pl.DataFrame:
    """Each node with its sort key (plan key + the sibling ranks down to it), depth and city
    (``plan_keys``: plan_id, city, pkey)."""
    frame = nodes.select(
        "plan_id",
        "node_id",
        "parent_id",
        pl.col("kind").cast(pl.String),
        "code",
        "title",
        "position",
    )
    # The plan's key, number and city on each node, and the nodes of unknown plans left out, in
    # one join.
    frame = frame.join(
        plan_keys.with_row_index("_plan"), on="plan_id", how="inner", maintain_order="left"
    )
    # Each node's parent as a row number, found by one join on the two text keys; the levels
    # below then walk integers (a join a level on the text keys cost ~4x more).
    frame = frame.with_row_index("_row")
    rows = frame.select("plan_id", parent_id="node_id", _parent="_row")
    frame = frame.join(
        rows, on=["plan_id", "parent_id"], how="left", maintain_order="left"
    ).with_columns(parent_id=pl.when(pl.col("_parent").is_not_null()).then(pl.col("parent_id")))
    # Siblings (same plan, same parent or none) in a run each, by position then node id. Nodes
    # in (plan_id, node_id) order, as the dataset writes them, need only a stable sort on
    # numbers (the runs' order among themselves does not matter: only a rank within its run is
    # taken); others are sorted on the text.
    p, n = pl.col("plan_id"), pl.col("node_id")
    in_order = frame.select(((p > p.shift()) | ((p == p.shift()) & (n > n.shift()))).all()).item()
    if in_order:
        frame = frame.sort("_plan", "_parent", "position", nulls_last=False, maintain_order=True)
    else:
        frame = frame.sort("_plan", "_parent", "position", "node_id", nulls_last=False)
    # Siblings are a run of rows now: a node's rank is its distance from its run's first row
    # (a window over two keys would hash every row).
    row = pl.int_range(pl.len(), dtype=pl.Int64)
    first = pl.any_horizontal(
        pl.col(key).ne_missing(pl.col(key).shift()) for key in ("_plan", "_parent")
    )
    frame = frame.with_columns(
        rank=_segment(row - pl.when(first).then(row).forward_fill()),
    )
    # The parent's row in this (sorted) order.
    size = frame.height
    moved = pl.repeat(0, size, dtype=pl.UInt32, eager=True).scatter(
        frame.get_column("_row"), pl.int_range(size, dtype=pl.UInt32, eager=True)
    )
    parent = moved.gather(frame.get_column("_parent"))
    rank = frame.get_column("rank")
    # The roots' keys, then a level at a time the keys of the nodes whose parent has one;
    # nodes caught in a parent cycle (and those below them) never get one and are left out.
    roots = parent.is_null()
    key = pl.when(roots).then(frame.get_column("pkey") + "/" + rank)
    keys = frame.select(key.alias("key")).to_series()
    depth = frame.select(pl.when(roots).then(pl.lit(2, dtype=pl.Int32)).alias("depth")).to_series()
    while True:
        above = keys.gather(parent)
        found = (above.is_not_null() & keys.is_null()).arg_true()
        if found.is_empty():
            break
        keys = keys.scatter(found, above.gather(found) + "/" + rank.gather(found))
        depth = depth.scatter(found, depth.gather(parent.gather(found)) + 1)
    return (
        frame.with_columns(key=keys, depth=depth)
        .filter(pl.col("key").is_not_null())
        .drop("_row", "_parent", "_plan", "pkey")
    )


def indicator_ids(
    tables: Mapping[str, pl.DataFrame], valued: pl.DataFrame | None = None
) -> pl.DataFrame:
    """(plan_id, node_id) of every indicator: described in ``indicators`` or carrying values.

    ``valued`` (any frame with plan_id and node_id, e.g. the statuses) stands in for the values
    table, which a caller may have dropped to save memory.
    """
    described = tables["indicators"].select("plan_id", "node_id")
    source = tables["values"] if valued is None else valued
    # First the rows where the key changes (a run of one indicator's years, in a sorted
    # frame: few), then unique among those: the same set as unique over every row, cheaper.
    with_values = (
        source.select("plan_id", "node_id").filter(run_starts("plan_id", "node_id")).unique()
    )
    return pl.concat([described, with_values], how="vertical").unique()
