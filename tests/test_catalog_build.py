"""How the catalog is built: its statuses, counted a few plans at a time when it loads or
recounts, are those of one count of the whole dataset (entered facts and set polarities
included, on plans with values and on a plan without any); its search column, made from each
distinct title once, is the fold of each item's code and title joined."""

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


def test_the_search_column_is_the_fold_of_code_and_title_joined(
    tables: dict[str, pl.DataFrame],
) -> None:
    """Titles shared by many plans, decomposed accents, capitals (a final sigma too), a node
    without a code and one without a title."""
    nodes = tables["nodes"].with_row_index("_row")
    odd = {
        0: ("CAFE\u0301 ΟΔΟΣ", "1.1"),
        1: ("\u0301Жол", None),
        2: (None, "2"),
        3: ("ΣΟΦΙΑ Σ", "Σ"),
    }
    nodes = nodes.with_columns(
        title=pl.col("_row").replace_strict(
            {row: title for row, (title, _) in odd.items()},
            default=pl.col("title"),
            return_dtype=pl.String,
        ),
        code=pl.col("_row").replace_strict(
            {row: code for row, (_, code) in odd.items()},
            default=pl.col("code"),
            return_dtype=pl.String,
        ),
    ).drop("_row")
    catalog = build_catalog({**tables, "nodes": nodes})
    joined = pl.concat_str(
        [pl.col("code").fill_null(""), pl.col("title").cast(pl.String)], separator=" "
    )
    expected = catalog.items.select(joined.str.normalize("NFC").str.to_lowercase()).to_series()
    assert catalog.folded.to_list() == expected.to_list()
    assert catalog.items.get_column("title").n_unique() < catalog.size / 2  # titles repeat
    assert any(text is not None and "café" in text for text in catalog.folded.to_list())
