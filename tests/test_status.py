"""Status in the core: achievement by polarity, thresholds, entered facts, claims, roll-ups."""

from __future__ import annotations

import math

import polars as pl
import pytest
from minidata import KARABALTA, TARAZ, mini_tables

from workbench.analysis.status import (
    STATUS_COLUMNS,
    Thresholds,
    achievement_expr,
    indicator_statuses,
    rollup,
    statuses_at,
    thresholds_from,
    worst_indicators,
)
from workbench.config import load_config

GOAL = "d1/s3.2.1/g3.2.1.1"


@pytest.fixture(scope="module")
def tables() -> dict[str, pl.DataFrame]:
    return mini_tables()


@pytest.fixture(scope="module")
def statuses(tables: dict[str, pl.DataFrame]) -> pl.DataFrame:
    return indicator_statuses(tables, thresholds=Thresholds())


def row(statuses: pl.DataFrame, plan: str, node: str, year: int) -> dict[str, object]:
    found = statuses.filter(
        (pl.col("plan_id") == plan) & (pl.col("node_id") == node) & (pl.col("year") == year)
    )
    assert found.height == 1, (plan, node, year)
    return found.row(0, named=True)


def test_columns_and_order(statuses: pl.DataFrame) -> None:
    assert tuple(statuses.columns) == STATUS_COLUMNS
    assert statuses.equals(statuses.sort("plan_id", "node_id", "year"))
    assert statuses.schema["achievement"] == pl.Float64
    assert statuses.schema["claim_mismatch"] == pl.Boolean


@pytest.mark.parametrize(
    ("code", "status", "r"),
    [
        ("1", "met", 103.8 / 100.6),  # increase
        ("2", "at_risk", 99.2 / 100.6),
        ("3", "met", 5.0 / 4.0),  # decrease: less than planned is better
        ("4", "off_track", 300.0 / 420.0),  # decrease, far above plan
        ("5", "at_risk", 1 - 2 / 100),  # target: 98 of a 100 % level
        ("6", "no_data", None),  # fact printed "-"
        ("7", "met", 1300 / 1200),
        ("3/i3.1", "met", 1856 / 1400),  # a sub-indicator
        ("3/i3.2", "off_track", 100 / 140),
    ],
)
def test_taraz_statuses(statuses: pl.DataFrame, code: str, status: str, r: float | None) -> None:
    got = row(statuses, TARAZ, f"{GOAL}/i{code}", 2017)
    assert got["status"] == status
    if r is None:
        assert got["achievement"] is None
    else:
        assert got["achievement"] == pytest.approx(r)
    assert got["fact_source"] == (None if status == "no_data" else "document")


def test_claim_check(statuses: pl.DataFrame) -> None:
    claims = {
        code: row(statuses, TARAZ, f"{GOAL}/i{code}", 2017) for code in ("1", "2", "4", "7", "6")
    }
    assert claims["1"]["reported_status"] == "met" and not claims["1"]["claim_mismatch"]
    assert claims["2"]["claim_mismatch"]  # says fulfilled, the numbers say at risk
    assert not claims["4"]["claim_mismatch"]  # says not fulfilled, and it is off track
    assert claims["7"]["claim_mismatch"]  # says not fulfilled, the numbers say met
    assert not claims["6"]["claim_mismatch"]  # no data: nothing to check


def test_rows_with_no_fact_and_target_as_plan(statuses: pl.DataFrame) -> None:
    i1 = "d1/g1.1/i1"
    assert row(statuses, KARABALTA, i1, 2022)["status"] == "no_data"  # baseline only
    assert row(statuses, KARABALTA, i1, 2022)["baseline"] == 60.0
    assert row(statuses, KARABALTA, i1, 2023)["status"] == "met"
    assert row(statuses, KARABALTA, i1, 2024)["status"] == "at_risk"
    later = row(statuses, KARABALTA, i1, 2025)
    assert (later["status"], later["estimate"], later["fact"]) == ("no_data", 72.0, None)
    assert row(statuses, KARABALTA, i1, 2026)["target"] == 80.0
    # A year with a target and a fact but no plan: the target is the plan.
    i2 = row(statuses, KARABALTA, "d1/g1.1/i2", 2023)
    assert i2["plan"] is None and i2["status"] == "at_risk"
    assert i2["achievement"] == pytest.approx(6.0 / 6.3)


def test_entered_fact_wins_and_document_value_stays(tables: dict[str, pl.DataFrame]) -> None:
    facts = pl.DataFrame(
        {
            "plan_id": [TARAZ, TARAZ, KARABALTA],
            "node_id": [f"{GOAL}/i2", f"{GOAL}/i6", "d1/g1.1/i1"],
            "year": [2017, 2017, 2025],
            "value": [101.0, 4600.0, 76.0],
        }
    )
    statuses = indicator_statuses(tables, thresholds=Thresholds(), facts=facts)
    i2 = row(statuses, TARAZ, f"{GOAL}/i2", 2017)
    assert (i2["fact"], i2["fact_source"], i2["status"]) == (101.0, "entered", "met")
    assert not i2["claim_mismatch"]  # the document said met, and now it is
    assert row(statuses, TARAZ, f"{GOAL}/i6", 2017)["status"] == "met"
    assert row(statuses, KARABALTA, "d1/g1.1/i1", 2025)["status"] == "met"
    document = tables["values"].filter(
        (pl.col("node_id") == f"{GOAL}/i2") & (pl.col("kind") == "fact")
    )
    assert document.get_column("value").to_list() == [99.2]
    assert statuses.height == indicator_statuses(tables, thresholds=Thresholds()).height


def test_entered_fact_for_a_year_without_document_values(tables: dict[str, pl.DataFrame]) -> None:
    facts = pl.DataFrame(
        {"plan_id": [KARABALTA], "node_id": ["d1/g1.1/i2"], "year": [2024], "value": [5.0]}
    )
    statuses = indicator_statuses(tables, thresholds=Thresholds(), facts=facts)
    new = row(statuses, KARABALTA, "d1/g1.1/i2", 2024)
    assert (new["fact"], new["fact_source"], new["plan"], new["status"]) == (
        5.0,
        "entered",
        None,
        "no_data",
    )
    assert statuses.equals(statuses.sort("plan_id", "node_id", "year"))


def test_thresholds_from_config(tables: dict[str, pl.DataFrame], tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "config.toml"
    path.write_text("[status]\nmet = 1.0\namber = 0.7\n", encoding="utf-8")
    thresholds = thresholds_from(load_config(path))
    assert thresholds == Thresholds(met=1.0, amber=0.7)
    statuses = indicator_statuses(tables, thresholds=thresholds)
    assert row(statuses, TARAZ, f"{GOAL}/i4", 2017)["status"] == "at_risk"  # r = 0.714
    strict = indicator_statuses(tables, thresholds=Thresholds(met=1.05, amber=1.0))
    assert row(strict, TARAZ, f"{GOAL}/i1", 2017)["status"] == "at_risk"  # r = 1.032


def test_bad_thresholds_are_refused() -> None:
    with pytest.raises(ValueError, match="amber"):
        Thresholds(met=0.9, amber=1.0)


@pytest.mark.parametrize(
    ("polarity", "plan", "fact", "expected"),
    [
        ("increase", 0.0, 0.0, 1.0),  # nothing planned, nothing lost
        ("increase", 0.0, -1.0, 0.0),
        ("increase", -2.0, -1.0, 1.5),  # a planned fall of 2 came out as a fall of 1
        ("increase", -2.0, -3.0, 0.5),
        ("decrease", 5.0, 0.0, 1.0),  # brought down to zero
        ("decrease", 0.0, 0.0, 1.0),
        ("decrease", 0.0, 3.0, 0.0),
        ("decrease", -1.0, -2.0, 1.0),
        ("decrease", -2.0, -1.0, 0.5),
        ("target", 0.0, 0.0, 1.0),
        ("target", 0.0, 1.0, 0.0),
        ("target", 100.0, 102.0, 0.98),
        ("increase", 10.0, None, None),
        ("increase", None, 10.0, None),
        ("increase", float("nan"), 10.0, None),
    ],
)
def test_edges_of_the_formulas(
    polarity: str, plan: float | None, fact: float | None, expected: float | None
) -> None:
    frame = pl.DataFrame(
        {"plan": [plan], "fact": [fact], "polarity": [polarity]},
        schema={"plan": pl.Float64, "fact": pl.Float64, "polarity": pl.String},
    )
    got = frame.select(achievement_expr(pl.col("fact"), pl.col("plan"), pl.col("polarity"))).item()
    if expected is None:
        assert got is None or math.isnan(got)
    else:
        assert got == pytest.approx(expected)


def test_statuses_at_latest_year_with_data(statuses: pl.DataFrame) -> None:
    latest = statuses_at(statuses)
    assert latest.height == latest.select("plan_id", "node_id").unique().height
    i1 = latest.filter(pl.col("node_id") == "d1/g1.1/i1").row(0, named=True)
    assert (i1["year"], i1["status"]) == (2024, "at_risk")  # not 2026, which has no fact
    assert statuses_at(statuses, year=2023).get_column("year").unique().to_list() == [2023]


def test_rollup_counts_every_level(tables: dict[str, pl.DataFrame], statuses: pl.DataFrame) -> None:
    table = rollup(tables, statuses)
    goal = table.filter(pl.col("node_id") == GOAL).row(0, named=True)
    assert (goal["met"], goal["at_risk"], goal["off_track"], goal["no_data"]) == (4, 2, 2, 1)
    assert (goal["total"], goal["claim_mismatch"], goal["share_met"]) == (9, 2, 0.5)
    for node in ("d1/s3.2.1", "d1"):
        same = table.filter((pl.col("plan_id") == TARAZ) & (pl.col("node_id") == node))
        assert same.row(0, named=True)["total"] == 9
    parent = table.filter(pl.col("node_id") == f"{GOAL}/i3").row(0, named=True)
    assert (parent["met"], parent["off_track"], parent["total"]) == (1, 1, 2)
    plan = table.filter((pl.col("level") == "plan") & (pl.col("plan_id") == TARAZ))
    assert plan.row(0, named=True)["node_id"] is None
    assert plan.row(0, named=True)["total"] == 9
    city = table.filter((pl.col("level") == "city") & (pl.col("city") == "Kara-Balta"))
    kb = city.row(0, named=True)
    assert (kb["plan_id"], kb["at_risk"], kb["total"]) == (None, 2, 2)
    empty = table.filter((pl.col("plan_id") == TARAZ) & (pl.col("node_id") == "d2"))
    assert empty.row(0, named=True)["total"] == 0
    assert empty.row(0, named=True)["share_met"] is None
    # Every goal, section, direction and task has a row.
    kinds = set(table.get_column("kind").to_list())
    assert {"city", "plan", "direction", "section", "goal", "task"} <= kinds


def test_rollup_at_a_chosen_year(tables: dict[str, pl.DataFrame], statuses: pl.DataFrame) -> None:
    table = rollup(tables, statuses, year=2023)
    kb = table.filter((pl.col("level") == "plan") & (pl.col("plan_id") == KARABALTA))
    assert (kb.row(0, named=True)["met"], kb.row(0, named=True)["at_risk"]) == (1, 1)
    taraz = table.filter((pl.col("level") == "plan") & (pl.col("plan_id") == TARAZ))
    assert taraz.row(0, named=True)["no_data"] == 9  # no row in 2023: counted as no data


def test_worst_indicators(tables: dict[str, pl.DataFrame], statuses: pl.DataFrame) -> None:
    worst = worst_indicators(tables, statuses, plan_id=TARAZ, node_id=GOAL, limit=10)
    codes = worst.get_column("code").to_list()
    assert codes[:2] == ["4", "3.2"] or codes[:2] == ["3.2", "4"]  # off track first
    assert set(codes[2:4]) == {"2", "5"}  # then at risk
    assert codes[4:] == ["7"]  # then a met indicator whose claim disagrees
    assert worst_indicators(tables, statuses, plan_id=TARAZ, node_id="d2").is_empty()
    assert worst_indicators(tables, statuses, city="Kara-Balta").height == 2


def test_any_row_order_gives_the_same_statuses(tables: dict[str, pl.DataFrame]) -> None:
    """Values in key order are pivoted as they come; others are sorted first: same rows."""
    from bench.synthetic import generate

    for source in (tables, generate(2, indicators_per_plan=30, seed=5)):
        ordered = indicator_statuses(source, thresholds=Thresholds())
        shuffled = dict(source, values=source["values"].sample(fraction=1.0, shuffle=True, seed=1))
        again = indicator_statuses(shuffled, thresholds=Thresholds())
        assert again.equals(ordered)
        # Nearly in order: one year's value moved to the end splits its key in two runs.
        values = source["values"]
        split = dict(source, values=pl.concat([values.slice(1), values.slice(0, 1)]))
        assert indicator_statuses(split, thresholds=Thresholds()).equals(ordered)
        latest = statuses_at(ordered).sort("plan_id", "node_id")
        assert (
            statuses_at(ordered.sample(fraction=1.0, shuffle=True, seed=2))
            .sort("plan_id", "node_id")
            .equals(latest)
        )
