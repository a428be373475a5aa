"""The tree of a dataset in one depth-first order: cities, their plans, each plan's nodes.

Every item gets an index ``idx`` in pre-order and ``end``, the index just past its subtree, so the
descendants of item ``i`` are exactly the items ``i + 1 .. end[i] - 1``. Roll-ups then become prefix
sums over that order, the children of an item are found by hopping ``c = end[c]``, and "is there a
match below this item" is one binary search: no per-node Python loop over the whole dataset.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

# Kinds that can carry indicator rows and values (validate.py allows both).
INDICATOR_KINDS = ("indicator", "target")

# The order of the plans in the tree (and of the cities: by their Latin name), the plan kind
# compared as text.
PLAN_ORDER = ("city", "period_start", "kind", "plan_id")

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


def strictly_increasing(frame: pl.DataFrame, keys: list[str]) -> bool:
    """Whether ``keys`` strictly increase from row to row, the first key first (a comparison
    with a null counts as an increase)."""
    later: pl.Expr | None = None
    for key in reversed(keys):
        col, before = pl.col(key), pl.col(key).shift()
        later = col > before if later is None else (col > before) | ((col == before) & later)
    if later is None or frame.height < 2:
        return True
    return bool(frame.select(later.fill_null(True).all()).item())


def runs(frame: pl.DataFrame, *keys: str) -> pl.DataFrame:
    """Per row of ``frame`` (ordered by ``keys``): ``first``, whether it begins a run of equal
    keys (:func:`run_starts`), and ``run``, the run's number from 0. (The keys are compared
    once: an eager select does not share one expression between two columns.)"""
    return frame.select(first=run_starts(*keys)).with_columns(
        run=pl.col("first").cum_sum().cast(pl.UInt32) - 1
    )


def ordered_items(tables: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    """One row per city, plan and node, in depth-first order.

    Columns: idx, parent (idx of the parent item, null for a city), end, depth (0 for a city),
    level ("city" | "plan" | "node"), kind (the node kind, or "city" / "plan"), city, plan_id,
    node_id, code, title (a city's title is its native name). Cities sort by Latin name, plans by
    period then kind then id, nodes by position. A node whose parent does not exist hangs under
    its plan; a node of an unknown plan, or caught in a parent cycle, is left out.

    Worked out on integers: each item's subtree size, summed up the tree a level at a time, then
    its place, handed down a level at a time (its parent's place, plus one, plus the sizes of the
    siblings before it). No key text is built or sorted.
    """
    plans = (
        tables["plans"]
        .select("plan_id", "city", "city_native", "title", "period_start", "kind")
        .with_columns(pl.col("kind").cast(pl.String))
        .sort(PLAN_ORDER)
    )
    cities = (
        plans.group_by("city", maintain_order=True)
        .agg(pl.col("city_native").first())
        .sort("city")
        .with_row_index("_city")
    )
    # Sorted by city first, the plans of a city are a run, in the cities' order.
    plans = plans.join(cities.select("city", "_city"), on="city", how="left", maintain_order="left")
    nodes = _node_tree(tables["nodes"], plans.select("plan_id"))

    # Sizes: a node's own subtree (from _node_tree), a plan's with its root nodes, a city's with
    # its plans.
    roots = nodes.filter(pl.col("_up").is_null())
    plan_size = _with_ones(
        _sums(roots.get_column("_plan"), roots.get_column("_size")), plans.height
    )
    city_of_plan = plans.get_column("_city").cast(pl.Int64)
    city_size = _with_ones(_sums(city_of_plan, plan_size), cities.height)
    city_start = city_size.cum_sum() - city_size
    # A plan: its city's place + 1 + the sizes of its city's plans before it.
    plan_start = city_start.gather(city_of_plan) + 1 + _before_in_runs(city_of_plan, plan_size)
    start = _node_starts(nodes, plan_start)

    # Per item, in each kind's own order: its place, parent, end, depth, row in the text below,
    # and city.
    i32 = pl.Int32
    ints = pl.concat(
        [
            pl.DataFrame(
                {
                    "idx": city_start,
                    "parent": pl.repeat(None, cities.height, dtype=pl.Int64, eager=True),
                    "end": city_start + city_size,
                    "depth": pl.repeat(0, cities.height, dtype=pl.Int64, eager=True),
                    "_city": cities.get_column("_city").cast(pl.Int64),
                }
            ),
            pl.DataFrame(
                {
                    "idx": plan_start,
                    "parent": city_start.gather(city_of_plan),
                    "end": plan_start + plan_size,
                    "depth": pl.repeat(1, plans.height, dtype=pl.Int64, eager=True),
                    "_city": city_of_plan,
                }
            ),
            nodes.select(
                idx=pl.lit(start),
                parent=pl.when(pl.col("_up").is_null())
                .then(pl.lit(plan_start).gather(pl.col("_plan")))
                .otherwise(pl.lit(start).gather(pl.col("_up").fill_null(0))),
                end=pl.lit(start) + pl.col("_size"),
                depth=pl.col("depth").cast(pl.Int64),
                _city=pl.lit(city_of_plan).gather(pl.col("_plan")),
            ),
        ],
        how="vertical",
    )
    # The row of each item's text: cities, then plans, then every node of the dataset.
    source = pl.concat(
        [
            pl.int_range(cities.height + plans.height, dtype=pl.Int64, eager=True),
            nodes.get_column("_row").cast(pl.Int64) + cities.height + plans.height,
        ]
    )
    ints = ints.with_columns(_source=source)
    # Every place is taken once: each item's row, by place.
    size = ints.height
    order = pl.repeat(0, size, dtype=pl.UInt32, eager=True).scatter(
        ints.get_column("idx"), pl.int_range(size, dtype=pl.UInt32, eager=True)
    )
    ints = ints.select(pl.all().gather(order))
    str_null = pl.lit(None, dtype=pl.String)
    plan_null = pl.lit(None, dtype=plans.schema["plan_id"])
    node_null = pl.lit(None, dtype=tables["nodes"].schema["node_id"])
    text = pl.concat(
        [
            cities.select(
                level=pl.lit("city"),
                kind=pl.lit("city"),
                plan_id=plan_null,
                node_id=node_null,
                code=str_null,
                title="city_native",
            ),
            plans.select(
                level=pl.lit("plan"),
                kind=pl.lit("plan"),
                plan_id="plan_id",
                node_id=node_null,
                code=str_null,
                title="title",
            ),
            tables["nodes"].select(
                level=pl.lit("node"),
                kind=pl.col("kind").cast(pl.String),
                plan_id="plan_id",
                node_id="node_id",
                code="code",
                title="title",
            ),
        ],
        how="vertical",
    ).select(pl.all().gather(ints.get_column("_source")))
    return text.with_columns(
        idx=pl.int_range(size, dtype=i32),
        parent=ints.get_column("parent").cast(i32),
        end=ints.get_column("end").cast(i32),
        depth=ints.get_column("depth").cast(i32),
        city=cities.get_column("city").gather(ints.get_column("_city")),
    ).select(ITEM_COLUMNS)


def _deepest(depth: pl.Series) -> int:
    """The largest depth (2, the roots', when there is none)."""
    top = depth.max()
    return top if isinstance(top, int) else 2


def _sums(groups: pl.Series, values: pl.Series) -> tuple[pl.Series, pl.Series]:
    """Each group that has some ``values`` (``groups``) and their sum."""
    summed = pl.DataFrame({"g": groups, "v": values}).group_by("g").agg(pl.col("v").sum())
    return summed.get_column("g"), summed.get_column("v")


def _with_ones(sums: tuple[pl.Series, pl.Series], size: int) -> pl.Series:
    """A column of ``size`` items' subtree sizes: 1, plus the sum of their children's (``sums``:
    the items that have children, and that sum)."""
    groups, summed = sums
    return pl.repeat(1, size, dtype=pl.Int64, eager=True).scatter(groups, summed + 1)


def _before_in_runs(groups: pl.Series, sizes: pl.Series) -> pl.Series:
    """Per row, the sum of ``sizes`` of the rows before it in its run of equal ``groups``."""
    before = pl.col("s").cum_sum() - pl.col("s")  # of all the rows before it
    run_begins = pl.col("g").ne_missing(pl.col("g").shift())
    return (
        pl.DataFrame({"g": groups, "s": sizes})
        .select(before - pl.when(run_begins).then(before).forward_fill())
        .to_series()
    )


def _node_starts(nodes: pl.DataFrame, plan_start: pl.Series) -> pl.Series:
    """Each node's place in the depth-first order: its parent's (a root's: its plan's) + 1 + the
    sizes of its siblings before it, a level at a time from the roots down."""
    start = pl.repeat(0, nodes.height, dtype=pl.Int64, eager=True)
    depth = nodes.get_column("depth")
    size = nodes.get_column("_size")
    for level in range(2, _deepest(depth) + 1):
        here = (depth == level).arg_true()
        if here.is_empty():
            continue
        # A root's owner is its plan, any other node's its parent; siblings (same owner) are
        # runs in the nodes' order (see _node_tree).
        roots = level == 2
        owner = nodes.get_column("_plan" if roots else "_up").gather(here)
        base = (plan_start if roots else start).gather(owner)
        before = _before_in_runs(owner.cast(pl.Int64), size.gather(here))
        start = start.scatter(here, base + 1 + before)
    return start


def _node_tree(nodes: pl.DataFrame, plans: pl.DataFrame) -> pl.DataFrame:
    """The nodes of the known plans (``plans``: plan_id, in the plans' order) as numbers,
    siblings in runs in their order: ``_row`` (the node's row in ``nodes``), ``_plan`` (its
    plan's row in ``plans``), ``_up`` (its parent's row here, null for a root), ``depth`` (2 for
    a root) and ``_size`` (its subtree's items). Nodes caught in a parent cycle (and those below
    them) are left out. The joins and the sort see only the keys and numbers."""
    keys = nodes.select("plan_id", "node_id", "parent_id")
    # Each node's plan as a number (null: an unknown plan), and its parent as a row number
    # (null: a root, or a parent that does not exist), each by one join on the keys alone; the
    # levels below then walk integers.
    plan = (
        keys.select("plan_id")
        .join(plans.with_row_index("_plan"), on="plan_id", how="left", maintain_order="left")
        .get_column("_plan")
    )
    parent_row = (
        keys.select("plan_id", "parent_id")
        .join(
            keys.select("plan_id", parent_id="node_id").with_row_index("_parent"),
            on=["plan_id", "parent_id"],
            how="left",
            maintain_order="left",
        )
        .get_column("_parent")
    )
    # Siblings (same plan, same parent or none) in a run each, by position then node id. Nodes
    # in (plan_id, node_id) order, as the dataset writes them, need only a stable sort on
    # numbers; others are sorted on the text too.
    order = pl.DataFrame(
        {
            "_row": pl.int_range(nodes.height, dtype=pl.UInt32, eager=True),
            "_plan": plan,
            "_parent": parent_row,
            "position": nodes.get_column("position"),
        }
    ).filter(pl.col("_plan").is_not_null())
    if strictly_increasing(keys, ["plan_id", "node_id"]):
        order = order.sort("_plan", "_parent", "position", nulls_last=False, maintain_order=True)
    else:
        order = order.with_columns(node_id=keys.get_column("node_id").gather(order["_row"]))
        order = order.sort("_plan", "_parent", "position", "node_id", nulls_last=False)
    rows = order.get_column("_row")
    size = order.height
    # The parent's place in this (sorted) order.
    moved = pl.repeat(None, nodes.height, dtype=pl.UInt32, eager=True).scatter(
        rows, pl.int_range(size, dtype=pl.UInt32, eager=True)
    )
    parent = moved.gather(order.get_column("_parent"))
    # Depths: the roots', then a level at a time those whose parent has one; nodes caught in a
    # parent cycle (and those below them) never get one and are left out.
    depth = pl.select(
        pl.when(pl.lit(parent).is_null()).then(pl.lit(2, dtype=pl.Int32)).alias("depth")
    ).to_series()
    while True:
        found = (depth.gather(parent).is_not_null() & depth.is_null()).arg_true()
        if found.is_empty():
            break
        depth = depth.scatter(found, depth.gather(parent.gather(found)) + 1)
    # Subtree sizes: from the deepest level up, each level's sizes summed into their parents.
    sizes = pl.repeat(1, size, dtype=pl.Int64, eager=True)
    for level in range(_deepest(depth), 2, -1):
        here = (depth == level).arg_true()
        if not here.is_empty():
            ups, sums = _sums(parent.gather(here), sizes.gather(here))
            sizes = sizes.scatter(ups, sums + 1)
    kept = depth.is_not_null()
    # The parents' places again once the nodes without a depth are left out.
    again = pl.repeat(None, size, dtype=pl.UInt32, eager=True).scatter(
        kept.arg_true(), pl.int_range(int(kept.sum()), dtype=pl.UInt32, eager=True)
    )
    return pl.DataFrame(
        {
            "_row": rows,
            "_plan": order.get_column("_plan"),
            "_up": again.gather(parent),
            "depth": depth,
            "_size": sizes,
        }
    ).filter(kept)


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
