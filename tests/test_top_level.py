"""The cities and plans read from plans.parquet alone (workbench.analysis.top_level): the top of
the catalog's tree, in its order, before anything else is read."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from minidata import mini_tables, write_mini

from workbench.analysis.catalog import load_catalog
from workbench.analysis.top_level import TopLevel, read_top_level
from workbench.dataset import parquet_folder
from workbench.errors import DatasetError

BUNDLED = Path(__file__).resolve().parent.parent / "data" / "plans"


def _top_of(folder: Path) -> list[tuple[str, str, str | None, str]]:
    """The catalog's cities and plans, in its order: level, city, plan, title."""
    catalog = load_catalog(folder)
    items = catalog.items.filter(pl.col("level").cast(pl.String).is_in(["city", "plan"]))
    return [
        (str(r["level"]), str(r["city"]), r["plan_id"], str(r["title"]))
        for r in items.select(
            "level", "city", pl.col("plan_id").cast(pl.String), "title"
        ).iter_rows(named=True)
    ]


def _rows(top: TopLevel) -> list[tuple[str, str, str | None, str]]:
    return [(r["level"], r["city"], r["plan_id"], r["title"]) for r in top.rows]


def _shuffled_plans(folder: Path) -> Path:
    """The mini dataset with more plans, written in an order unlike the tree's: three cities,
    plans of one city with the same period told apart by kind and id."""
    tables = mini_tables()
    plans = tables["plans"]
    extra = [
        plans.head(1).with_columns(
            plan_id=pl.lit(plan_id),
            city=pl.lit(city),
            city_native=pl.lit(native),
            kind=pl.lit(kind).cast(plans.schema["kind"]),
            period_start=pl.lit(start, dtype=plans.schema["period_start"]),
        )
        for plan_id, city, native, kind, start in [
            ("zz-report", "Aktau", "Ақтау", "report", 2021),
            ("aa-plan", "Aktau", "Ақтау", "plan", 2021),
            ("ab-plan", "Aktau", "Ақтау", "plan", 2021),
            ("early", "Taraz", "Тараз", "programme", 2001),
        ]
    ]
    tables["plans"] = pl.concat([*extra, plans]).reverse()
    parquet_folder.write(tables, folder)
    return folder


@pytest.mark.parametrize("name", ["mini", "shuffled", "bundled"])
def test_the_top_level_is_the_catalogs_top_in_its_order(tmp_path: Path, name: str) -> None:
    if name == "bundled":
        folder = BUNDLED
    elif name == "mini":
        folder = write_mini(tmp_path / "plans")
    else:
        folder = _shuffled_plans(tmp_path / "plans")
    top = read_top_level(folder)
    assert _rows(top) == _top_of(folder)
    # every row's index is its place; the plans' parent is their city
    assert [r["idx"] for r in top.rows] == list(range(top.size))
    for row in top.rows:
        if row["level"] == "plan":
            assert top.rows[row["parent"]]["city"] == row["city"]
            assert row["status"] is None and not row["total"]


def test_children_keys_and_the_catalogs_rows(tmp_path: Path) -> None:
    folder = _shuffled_plans(tmp_path / "plans")
    top = read_top_level(folder)
    catalog = load_catalog(folder)
    cities = top.children(-1)
    assert [top.row(i)["city"] for i in cities] == ["Aktau", "Kara-Balta", "Taraz"]
    aktau = top.children(cities[0])
    assert [top.row(i)["plan_id"] for i in aktau] == ["aa-plan", "ab-plan", "zz-report"]
    assert top.children(aktau[0]) == []  # a plan's nodes are not read here
    for idx in range(top.size):
        found = TopLevel.key_in(catalog, top.key(idx))
        assert found is not None
        assert catalog.row(found)["title"] == top.row(idx)["title"]
    plan = top.plan_row("zz-report")
    assert plan is not None and plan["kind"] == "report" and plan["period_start"] == 2021
    assert top.plan_row("no-such-plan") is None
    assert TopLevel.key_in(catalog, ("Nowhere", None)) is None


def test_only_the_plans_table_is_read(tmp_path: Path) -> None:
    folder = write_mini(tmp_path / "plans")
    for table in folder.glob("*.parquet"):
        if table.name != "plans.parquet":
            table.unlink()
    assert [r["city"] for r in read_top_level(folder).rows if r["level"] == "city"] == [
        "Kara-Balta",
        "Taraz",
    ]


def test_a_missing_or_damaged_plans_table_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match=r"plans\.parquet: missing table 'plans'"):
        read_top_level(tmp_path)
    (tmp_path / "plans.parquet").write_bytes(b"not parquet at all")
    with pytest.raises(DatasetError, match="cannot be read as Parquet"):
        read_top_level(tmp_path)
    pl.DataFrame({"plan_id": ["a"]}).write_parquet(tmp_path / "plans.parquet")
    with pytest.raises(DatasetError, match="cannot be read as Parquet"):
        read_top_level(tmp_path)
