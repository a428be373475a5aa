"""The catalog's statuses, counted a few plans at a time when it loads or recounts, are those of
one count of the whole dataset: entered facts and set polarities included, on plans with values
and on a plan without any."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from bench.synthetic import generate
from workbench.analysis.catalog import build_catalog, compact_tables, load_catalog
from workbench.analysis.status import Thresholds, indicator_statuses
from workbench.dataset import parquet_folder

KEPT = ["plan_id", "node_id", "year", "achievement", "status", "claim_mismatch"]


@pytest.fixture(scope="module")
def tables() -> dict[str, pl.DataFrame]:
    made = generate(9, indicators_per_plan=12, years=3)
    # The last plan keeps its indicators but loses its values: facts entered there have no
    # values to join.
    last = made["plans"].get_column("plan_id").sort()[-1]
    made["values"] = made["values"].filter(pl.col("plan_id") != last)
    return made


def _work(tables: dict[str, pl.DataFrame]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Entered facts on each plan (a year with values, a year without; the last plan has none)
    and a polarity set on each plan's first indicator."""
    indicators = tables["indicators"].sort("plan_id", "node_id")
    firsts = indicators.unique("plan_id", keep="first", maintain_order=True)
    facts = pl.concat(
        [
            firsts.select("plan_id", "node_id", year=pl.lit(2021), value=pl.lit(5.0)),
            firsts.select("plan_id", "node_id", year=pl.lit(2031), value=pl.lit(7.0)),
        ]
    )
    polarities = firsts.select("plan_id", "node_id", polarity=pl.lit("decrease"))
    return facts, polarities


def _whole(
    tables: dict[str, pl.DataFrame], facts: pl.DataFrame | None, polarities: pl.DataFrame | None
) -> pl.DataFrame:
    compact = compact_tables(tables)
    counted = indicator_statuses(
        compact, thresholds=Thresholds(), facts=facts, polarities=polarities
    ).select(KEPT)
    return counted.with_columns(pl.col("plan_id", "node_id").cast(pl.String))


def _kept(statuses: pl.DataFrame) -> pl.DataFrame:
    return statuses.select(KEPT).with_columns(
        pl.col("plan_id", "node_id").cast(pl.String), pl.col("achievement").cast(pl.Float64)
    )


def _same(got: pl.DataFrame, want: pl.DataFrame) -> None:
    assert got.height == want.height
    assert got.drop("achievement").equals(want.drop("achievement"))
    diff = got.get_column("achievement") - want.get_column("achievement").cast(pl.Float32)
    assert (diff.abs().fill_null(0.0) < 1e-6).all()
    assert got.get_column("achievement").null_count() == want.get_column("achievement").null_count()


def test_loaded_statuses_are_one_count_of_the_whole(
    tables: dict[str, pl.DataFrame], tmp_path: Path
) -> None:
    facts, polarities = _work(tables)
    parquet_folder.write(tables, tmp_path / "plans")
    catalog = load_catalog(tmp_path / "plans", facts=facts, polarities=polarities)
    _same(_kept(catalog.statuses), _whole(tables, facts, polarities))
    entered = _kept(catalog.statuses).filter(pl.col("year") == 2031)
    assert entered.height == tables["plans"].height  # the plan without values too, once


def test_recounted_statuses_are_one_count_of_the_whole(tables: dict[str, pl.DataFrame]) -> None:
    facts, polarities = _work(tables)
    catalog = build_catalog(tables)
    _same(_kept(catalog.statuses), _whole(tables, None, None))
    again = catalog.recount(facts, polarities)
    _same(_kept(again.statuses), _whole(tables, facts, polarities))
    assert again.recount(None).statuses.equals(catalog.statuses)
