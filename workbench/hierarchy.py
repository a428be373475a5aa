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
    node_keys = _node_keys(tables["nodes"], plans.select("plan_id", pkey="key"))

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
    node_items = node_keys.join(plans.select("plan_id", "city"), on="plan_id").select(
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
    keys = items.get_column("key")
    # Descendants of key K sort between K and K + "0": a child's key is K + "/" + digits, and
    # "/" sorts before "0"; the next sibling differs in an earlier digit and sorts after.
    end = keys.search_sorted(keys + "0", side="left").cast(pl.Int32)
    parents = items.select(pkey="key", parent="idx")
    items = (
        items.with_columns(
            end=end,
            parent_key=pl.when(pl.col("depth") > 0).then(
                pl.col("key").str.slice(0, pl.col("key").str.len_bytes() - _SEGMENT - 1)
            ),
        )
        .join(parents, left_on="parent_key", right_on="pkey", how="left", maintain_order="left")
        .select(ITEM_COLUMNS)
    )
    return items


def _node_keys(nodes: pl.DataFrame, plan_keys: pl.DataFrame) -> pl.DataFrame:
    """Each node with its sort key (plan key + the sibling ranks down to it) and depth."""
    frame = nodes.select(
        "plan_id",
        "node_id",
        "parent_id",
        pl.col("kind").cast(pl.String),
        "code",
        "title",
        "position",
    ).join(plan_keys, on="plan_id", how="semi")
    known = frame.select("plan_id", parent_id="node_id", parent_known=pl.lit(True))
    frame = (
        frame.join(known, on=["plan_id", "parent_id"], how="left")
        .with_columns(
            parent_id=pl.when(pl.col("parent_known")).then(pl.col("parent_id")),
        )
        .drop("parent_known")
        .sort("plan_id", "parent_id", "position", "node_id", nulls_last=False)
        .with_columns(
            rank=_segment(pl.int_range(pl.len()).over("plan_id", "parent_id")),
        )
    )
    roots = (
        frame.filter(pl.col("parent_id").is_null())
        .join(plan_keys, on="plan_id")
        .with_columns(key=pl.col("pkey") + "/" + pl.col("rank"), depth=pl.lit(2, dtype=pl.Int32))
        .drop("pkey")
    )
    rest = frame.filter(pl.col("parent_id").is_not_null())
    done = [roots]
    frontier = roots
    while frontier.height and rest.height:
        parents = frontier.select(
            "plan_id", parent_id="node_id", parent_key="key", parent_depth="depth"
        )
        children = rest.join(parents, on=["plan_id", "parent_id"], how="inner").with_columns(
            key=pl.col("parent_key") + "/" + pl.col("rank"),
            depth=pl.col("parent_depth") + 1,
        )
        children = children.drop("parent_key", "parent_depth")
        rest = rest.join(
            children.select("plan_id", "node_id"), on=["plan_id", "node_id"], how="anti"
        )
        done.append(children)
        frontier = children
    return pl.concat(done, how="vertical")


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
