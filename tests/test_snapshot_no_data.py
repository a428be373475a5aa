"""Snapshot files list every indicator, those without a year row too, with status "no_data"
(issue 18, section 2): the indicators part, the TOML (written and read back), the CSV values
and the diff of two snapshots. On the bundled data two of 144 indicators have no year row,
one of them in Kara-Balta's programme, whose roll-up says total 10."""

from __future__ import annotations

import tomllib
from pathlib import Path

import polars as pl
import pytest
from workspace_data import HOUSING, TARAZ, tables

from workbench.dataset import parquet_folder
from workbench.dataset.hierarchy import INDICATOR_KINDS
from workbench.snapshots.create import build
from workbench.snapshots.csv_export import write_csv
from workbench.snapshots.diff import diff_snapshots
from workbench.snapshots.model import Snapshot
from workbench.snapshots.toml_read import parse_toml
from workbench.snapshots.toml_write import to_toml
from workbench.workspace import store

PLANS = Path(__file__).resolve().parent.parent / "data" / "plans"
KARA_BALTA = "kara-balta-programme-2023-2026"
KEYS = ["plan_id", "node_id"]


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, pl.DataFrame], Snapshot]:
    data = dict(parquet_folder.read(PLANS))
    path = tmp_path_factory.mktemp("ws") / "ws.sqlite3"
    ws = store.open_workspace(path, dataset=data, author="aigerim")
    try:
        return data, build(ws, data, "bundled")
    finally:
        ws.close()


def _without_years(data: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """The dataset's indicators (the nodes of an indicator kind, described or not: what a
    roll-up counts) that have no year row."""
    nodes = data["nodes"].select(
        pl.col("plan_id").cast(pl.String),
        pl.col("node_id").cast(pl.String),
        pl.col("kind").cast(pl.String),
    )
    rated = data["values"].select(pl.col(KEYS).cast(pl.String)).unique()
    return (
        nodes.filter(pl.col("kind").is_in(list(INDICATOR_KINDS)))
        .join(rated, on=KEYS, how="anti")
        .select(KEYS)
        .sort(KEYS)
    )


def test_the_indicators_part_lists_every_indicator_with_no_data_where_no_year(
    bundled: tuple[dict[str, pl.DataFrame], Snapshot],
) -> None:
    data, snap = bundled
    missing = _without_years(data)
    zhezkazgan = "zhezkazgan-plan-2026-2030"
    assert missing.get_column("plan_id").to_list() == [KARA_BALTA, zhezkazgan, zhezkazgan]
    indicators = snap.parts["indicators"]
    # 145: Zhezkazgan's НИ–3 is a node of an indicator kind with no unit and no values.
    assert indicators.height == 145
    no_data = indicators.filter(pl.col("status") == "no_data").select(KEYS).sort(KEYS)
    assert no_data.equals(missing)
    # The others have their statuses per year, in the values part.
    assert indicators.filter(pl.col("status").is_null()).height == 142


def test_the_toml_lists_as_many_indicators_as_the_rollup_counts_and_reads_back(
    bundled: tuple[dict[str, pl.DataFrame], Snapshot],
) -> None:
    _, snap = bundled
    text = to_toml(snap)
    doc = tomllib.loads(text)
    totals = {row["plan_id"]: row["total"] for row in doc["rollup"] if row["level"] == "plan"}
    for plan in doc["plans"]:
        assert len(plan.get("indicators", [])) == totals[plan["plan_id"]], plan["plan_id"]
    kara_balta = next(plan for plan in doc["plans"] if plan["plan_id"] == KARA_BALTA)
    assert len(kara_balta["indicators"]) == 10
    empty = [each for each in kara_balta["indicators"] if "years" not in each]
    assert [each["status"] for each in empty] == ["no_data"]
    back = parse_toml(text, "bundled.toml")
    for part in ("indicators", "values", "plans", "rollup"):
        assert back.parts[part].equals(snap.parts[part]), part
    assert to_toml(back) == text


def test_the_csv_has_a_row_for_each_indicator_without_years(
    bundled: tuple[dict[str, pl.DataFrame], Snapshot], tmp_path: Path
) -> None:
    data, snap = bundled
    values = pl.read_csv(write_csv(snap, tmp_path / "bundled.csv")[0], infer_schema=False)
    assert values.height == snap.parts["values"].height + 3
    empty = values.filter(pl.col("year").is_null())
    assert empty.select(KEYS).equals(_without_years(data))
    assert empty.get_column("status").to_list() == ["no_data"] * 3
    assert empty.get_column("title").null_count() == 0  # the indicator is named
    assert values.filter(pl.col("plan_id") == KARA_BALTA).select(KEYS).n_unique() == 10


def test_the_diff_names_an_indicator_that_lost_its_years(ws: store.Workspace) -> None:
    data = tables()
    before = build(ws, data, "before")
    gone = (pl.col("plan_id") == TARAZ) & (pl.col("node_id") == HOUSING)
    after = build(ws, {**data, "values": data["values"].filter(~gone)}, "after")
    assert after.parts["indicators"].filter(gone).get_column("status").to_list() == ["no_data"]
    changes = diff_snapshots(before, after)
    lines = changes.lines()
    assert f"status {TARAZ}/{HOUSING}: added: no_data" in lines
    back = diff_snapshots(after, before)
    assert f"status {TARAZ}/{HOUSING}: removed (was no_data)" in back.lines()
