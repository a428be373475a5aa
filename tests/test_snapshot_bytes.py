"""Snapshot exports stay byte for byte what they were (the renderers were made faster).

``tests/fixtures/snapshot_bytes/`` holds the files the workbench wrote before: a snapshot made
in a workspace with a fixed clock and fixed annotation ids, exported as TOML and CSV, and the
same snapshot with hostile text and floats in every part rendered without tomli-w (in order,
and reversed: the general path). Run with ``WORKBENCH_WRITE_FIXTURES=1`` to write them again
(only when the format is meant to change).
"""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import tomli_w
from test_snapshot import HOSTILE_TEXT, _hostile, busy
from workspace_data import GOAL, HOUSING, KB, KB_INDICATOR, TARAZ, UNEMPLOYMENT, tables

from workbench.dataset import hierarchy
from workbench.snapshots import create as creating
from workbench.snapshots.create import build, create, load
from workbench.snapshots.csv_export import write_csv
from workbench.snapshots.export import export
from workbench.snapshots.model import Snapshot
from workbench.snapshots.toml_write import to_toml
from workbench.workspace import (
    annotation_store,
    fact_store,
    mark_store,
    polarity_store,
    snapshot_store,
    store,
    undo,
)

FIXTURES = Path(__file__).parent / "fixtures" / "snapshot_bytes"
WRITE = os.environ.get("WORKBENCH_WRITE_FIXTURES") == "1"


@pytest.fixture
def fixed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[store.Workspace]:
    """A workspace with a fixed clock and annotation ids, and the edits of ``busy`` and more."""
    ticks = itertools.count()
    ids = itertools.count(1)

    def clock() -> str:
        return f"2026-01-01T00:00:{next(ticks):02d}.000000Z"

    for edits in (annotation_store, fact_store, mark_store, polarity_store, snapshot_store, undo):
        monkeypatch.setattr(edits, "now", clock)
    monkeypatch.setattr(creating, "now", clock)
    monkeypatch.setattr(uuid, "uuid4", lambda: uuid.UUID(int=next(ids)))
    ws = store.open_workspace(tmp_path / "ws.sqlite3", dataset=tables(), author="aigerim")
    busy(ws)
    # A node note and a year note on the same indicator: the year's wins in the CSV.
    ws.annotate(TARAZ, UNEMPLOYMENT, None, "the node's note", category="other")
    ws.annotate(TARAZ, UNEMPLOYMENT, 2018, HOSTILE_TEXT[4], category="data error")
    ws.annotate(TARAZ, GOAL, None, "a later note on the goal")
    ws.annotate(TARAZ, HOUSING, None, "the housing node's note", state="explained")
    # Format 2 (issue 18): a polarity set by the analyst (the unemployment rate, at risk as a
    # decrease, is met as an increase), and one set and cleared (none in the files).
    ws.set_polarity(TARAZ, UNEMPLOYMENT, "higher")
    ws.set_polarity(KB, KB_INDICATOR, "lower")
    ws.clear_polarity(KB, KB_INDICATOR)
    yield ws
    ws.close()


def _check(name: str, data: bytes) -> None:
    path = FIXTURES / name
    if WRITE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    assert data == path.read_bytes(), f"{name} differs from what was written before"


def test_exports_are_the_bytes_written_before(fixed: store.Workspace, tmp_path: Path) -> None:
    create(fixed, tables(), "fixture")
    out = tmp_path / "out"
    out.mkdir()
    export(fixed, "fixture", "toml", out / "made.toml")
    export(fixed, "fixture", "csv", out / "made.csv")
    for name in ("made.toml", "made.csv", "made.annotations.csv"):
        _check(name, (out / name).read_bytes())


def test_hostile_renderings_are_the_bytes_written_before(
    fixed: store.Workspace, tmp_path: Path
) -> None:
    create(fixed, tables(), "fixture")
    snap = _hostile(load(fixed, "fixture"))
    plans = snap.parts["plans"]
    snap.parts["plans"] = plans.with_columns(
        title=pl.Series([HOSTILE_TEXT[i % len(HOSTILE_TEXT)] for i in range(plans.height)]),
        city_native=pl.Series(
            [HOSTILE_TEXT[(i + 4) % len(HOSTILE_TEXT)] for i in range(plans.height)]
        ),
    )
    _check("hostile.toml", to_toml(snap).encode("utf-8"))
    # The years in another order than their indicators: put in their order first.
    reverse = Snapshot(snap.header, {**snap.parts, "values": snap.parts["values"].reverse()})
    _check("hostile-reversed.toml", to_toml(reverse).encode("utf-8"))
    values, annotations = write_csv(snap, tmp_path / "hostile.csv")
    _check("hostile.csv", values.read_bytes())
    _check("hostile.annotations.csv", annotations.read_bytes())


def test_plan_tables_are_what_tomli_w_writes(fixed: store.Workspace) -> None:
    """Each plan's own table, written without tomli-w, is what tomli-w writes for it."""
    create(fixed, tables(), "h1")
    snap = load(fixed, "h1")
    plans = snap.parts["plans"]
    hostile = plans.with_columns(
        title=pl.Series([HOSTILE_TEXT[i % len(HOSTILE_TEXT)] for i in range(plans.height)]),
        city_native=pl.Series(
            [HOSTILE_TEXT[(i + 3) % len(HOSTILE_TEXT)][::-1] for i in range(plans.height)]
        ),
        source_file=pl.lit(None, pl.String),
    )
    text = to_toml(Snapshot(snap.header, {**snap.parts, "plans": hostile}))
    for row in hostile.iter_rows(named=True):
        record = {key: value for key, value in row.items() if value is not None}
        assert "\n" + tomli_w.dumps({"plans": [record]}).rstrip("\n") + "\n" in text


def test_indicators_part_is_the_same_whatever_the_order_of_the_nodes(
    fixed: store.Workspace,
) -> None:
    """Nodes and indicators in key order are put side by side with the values' indicators;
    in another order they are joined: the same part either way."""
    in_order = tables()
    shuffled = {
        **in_order,
        "nodes": in_order["nodes"].reverse(),
        "indicators": in_order["indicators"].reverse(),
    }
    fast = build(fixed, in_order, "a").parts["indicators"]
    joined = build(fixed, shuffled, "a").parts["indicators"]
    assert fast.equals(joined)
    assert fast.get_column("kind").null_count() == 0


def _reference_items(tables_: dict[str, pl.DataFrame]) -> list[tuple[object, ...]]:
    """ordered_items the slow way: a recursive walk in Python."""
    plans = sorted(
        tables_["plans"].iter_rows(named=True),
        key=lambda p: (p["city"], p["period_start"], str(p["kind"]), p["plan_id"]),
    )
    nodes = list(tables_["nodes"].iter_rows(named=True))
    out: list[tuple[object, ...]] = []

    def add(depth: int, level: str, kind: str, city: str, plan: object, node: object,
            code: object, title: object, parent: int | None) -> int:  # fmt: skip
        out.append((depth, level, kind, city, plan, node, code, title, parent))
        return len(out) - 1

    def walk(mine: list[dict[str, Any]], parent_id: object, parent: int, depth: int) -> None:
        ids = {n["node_id"] for n in mine}
        children = [
            n for n in mine if (n["parent_id"] if n["parent_id"] in ids else None) == parent_id
        ]
        for n in sorted(children, key=lambda n: (n["position"], n["node_id"])):
            i = add(depth, "node", str(n["kind"]), out[parent][3], n["plan_id"], n["node_id"],
                    n["code"], n["title"], parent)  # fmt: skip
            walk(mine, n["node_id"], i, depth + 1)

    for city in sorted({p["city"] for p in plans}):
        native = next(p["city_native"] for p in plans if p["city"] == city)
        c = add(0, "city", "city", city, None, None, None, native, None)
        for plan in (p for p in plans if p["city"] == city):
            pid = plan["plan_id"]
            p = add(1, "plan", "plan", city, pid, None, None, plan["title"], c)
            walk([n for n in nodes if n["plan_id"] == pid], None, p, 2)
    return out


@pytest.mark.parametrize("layout", ["appended", "in key order", "in key order, positions tied"])
def test_ordered_items_is_the_depth_first_walk(layout: str) -> None:
    """Also with a node whose parent is missing (under its plan), and a parent cycle, a node
    below it and a node of an unknown plan (left out); with the nodes in (plan_id, node_id)
    order as the dataset writes them (a faster sort) or not, and siblings of the same
    position (then in node id order)."""
    data = tables()
    nodes = data["nodes"]
    extra = nodes.head(4).with_columns(
        node_id=pl.Series(["orphan", "loop-a", "loop-b", "loop-child"]),
        parent_id=pl.Series(["missing", "loop-b", "loop-a", "loop-a"]),
        position=pl.Series([0, 1, 2, 3], dtype=nodes.schema["position"]),
    )
    stranger = nodes.head(1).with_columns(plan_id=pl.lit("no-such-plan"), node_id=pl.lit("x"))
    data["nodes"] = pl.concat([nodes, extra, stranger])
    if layout != "appended":
        data["nodes"] = data["nodes"].sort("plan_id", "node_id")
    if layout.endswith("tied"):
        data["nodes"] = data["nodes"].with_columns(
            pl.lit(0).cast(nodes.schema["position"]).alias("position")
        )
    items = hierarchy.ordered_items(data)
    expected = _reference_items(data)
    got = items.select(
        "depth", "level", "kind", "city", "plan_id", "node_id", "code", "title", "parent"
    ).rows()
    assert got == expected
    ends = items.get_column("end").to_list()
    depths = items.get_column("depth").to_list()
    for i, end in enumerate(ends):
        below = [j for j in range(i + 1, len(depths)) if depths[j] <= depths[i]]
        assert end == (below[0] if below else len(depths))
    assert items.get_column("idx").to_list() == list(range(items.height))
