"""Links both ways: indicator → activities, activity → indicators, body → everything it owns."""

from __future__ import annotations

from datetime import date

import drill_data as d
import polars as pl
import pytest

from workbench.analysis.activities import ActivityIndex
from workbench.analysis.links import (
    INDICATOR_COLUMNS,
    activity_indicators,
    anchor_of,
    bodies,
    body_view,
    indicator_activities,
)
from workbench.dataset.contract import frame_from_rows

MAY = date(2026, 5, 15)


@pytest.fixture(scope="module")
def index() -> ActivityIndex:
    return ActivityIndex.build(d.tables())


def test_indicator_to_the_activities_of_its_task(index: ActivityIndex) -> None:
    linked = indicator_activities(index, d.TK, "s2/k3/i2", as_of=MAY)
    assert linked.anchor is not None
    assert (linked.anchor.node_id, linked.anchor.kind) == ("s2/k3", "task")
    assert not linked.anchor.is_fallback
    assert linked.rows.get_column("node_id").to_list() == ["s2/k3/a4", "s2/k3/a5"]
    statuses = linked.rows.get_column("due_status").cast(pl.String).to_list()
    assert statuses == ["overdue", "unknown"]


def test_indicator_to_the_activities_of_its_goal(index: ActivityIndex) -> None:
    linked = indicator_activities(index, d.TARAZ, "d1/g1/i1", as_of=MAY)
    assert linked.anchor is not None and linked.anchor.kind == "goal"
    assert linked.rows.get_column("node_id").to_list() == ["d1/g1/a1"]
    empty = indicator_activities(index, d.TK, "s2/g1/i3", as_of=MAY)
    assert empty.anchor is not None and empty.anchor.node_id == "s2/g1"
    assert empty.rows.height == 0


def test_activity_to_the_indicators_it_serves(index: ActivityIndex) -> None:
    linked = activity_indicators(index, d.TK, "s1/k2/a3")
    assert tuple(linked.rows.columns) == INDICATOR_COLUMNS
    assert linked.rows.get_column("node_id").to_list() == ["s1/k2/i1"]
    assert activity_indicators(index, d.TK, "s1/k1/a1").rows.height == 0
    assert activity_indicators(index, d.TARAZ, "d1/g1/a1").rows.get_column("node_id").to_list() == [
        "d1/g1/i1"
    ]


def test_links_are_symmetric(index: ActivityIndex) -> None:
    for plan, activity in [(d.TK, "s2/k3/a4"), (d.TK, "s1/k2/a3"), (d.TARAZ, "d1/g1/a1")]:
        for indicator in activity_indicators(index, plan, activity).rows.get_column("node_id"):
            back = indicator_activities(index, plan, indicator, as_of=MAY)
            assert activity in back.rows.get_column("node_id").to_list()


def test_indicator_statuses_are_joined_when_given(index: ActivityIndex) -> None:
    statuses = pl.DataFrame(
        {"plan_id": [d.TK], "node_id": ["s2/k3/i2"], "year": [2026], "status": ["off_track"]}
    )
    linked = activity_indicators(index, d.TK, "s2/k3/a4", statuses=statuses)
    assert linked.rows.get_column("status").to_list() == ["off_track"]


def test_fallback_to_the_section_when_there_is_no_goal_or_task() -> None:
    tables = d.tables()
    tables["nodes"] = pl.concat(
        [
            tables["nodes"],
            frame_from_rows(
                "nodes",
                [
                    d._node(d.TK, "s1/i9", "indicator", "Орундар", 3),
                    d._node(d.TK, "s1/a9", "activity", "Иш", 4),
                ],
            ),
        ]
    )
    tables["indicators"] = pl.concat(
        [
            tables["indicators"],
            frame_from_rows(
                "indicators", [{"plan_id": d.TK, "node_id": "s1/i9", "polarity": "increase"}]
            ),
        ]
    )
    index = ActivityIndex.build(tables)
    anchor = anchor_of(index, d.TK, "s1/i9")
    assert anchor is not None and anchor.node_id == "s1" and anchor.is_fallback
    assert anchor_of(index, d.TK, "s1") is None
    assert anchor_of(index, d.TK, "nope") is None
    served = activity_indicators(index, d.TK, "s1/a9")
    assert served.rows.get_column("node_id").to_list() == ["s1/k2/i1", "s1/i9"]
    # The task-level link is still preferred where there is a task.
    assert activity_indicators(index, d.TK, "s1/k1/a1").rows.height == 0


def test_body_centred_view_across_cities_and_documents(index: ActivityIndex) -> None:
    view = body_view(index, "education", as_of=MAY)
    assert view.name in ("Білім бөлімі", "Билим берүү бөлүмү")
    assert view.activities.get_column("node_id").to_list() == [
        "d1/g1/a1",
        "s2/k3/a4",
        "s2/k3/a5",
    ]
    assert sorted(view.indicators.get_column("node_id")) == ["d1/g1/i1", "s2/k3/i2"]
    assert view.counts == {"not_due": 1, "due": 0, "overdue": 1, "reported": 0, "unknown": 1}
    assert view.late == 1
    assert view.late_share == 1.0
    by_plan = {r["plan_id"]: r for r in view.by_plan.iter_rows(named=True)}
    assert by_plan[d.TK]["overdue"] == 1 and by_plan[d.TK]["activities"] == 2
    assert by_plan[d.TK]["indicators"] == 1
    assert by_plan[d.TARAZ]["not_due"] == 1 and by_plan[d.TARAZ]["late_share"] is None
    later = body_view(index, "education", as_of=date(2027, 1, 5))
    assert later.late == 2 and later.counts["not_due"] == 0


def test_body_view_of_an_inherited_body_and_an_unknown_one(index: ActivityIndex) -> None:
    architecture = body_view(index, "architecture", as_of=MAY)
    assert architecture.activities.get_column("node_id").to_list() == ["s1/k2/a3"]
    assert architecture.indicators.get_column("node_id").to_list() == ["s1/k2/i1"]
    nobody = body_view(index, "nobody", as_of=MAY)
    assert nobody.activities.height == 0 and nobody.late == 0 and nobody.late_share is None
    assert nobody.name == "nobody"


def test_body_view_counts_off_track_indicators_when_statuses_are_given(
    index: ActivityIndex,
) -> None:
    statuses = pl.DataFrame(
        {
            "plan_id": [d.TK, d.TARAZ],
            "node_id": ["s2/k3/i2", "d1/g1/i1"],
            "status": ["off_track", "met"],
        }
    )
    view = body_view(index, "education", as_of=MAY, statuses=statuses)
    by_plan = {r["plan_id"]: r for r in view.by_plan.iter_rows(named=True)}
    assert by_plan[d.TK]["off_track"] == 1 and by_plan[d.TARAZ]["off_track"] == 0


def test_bodies_list_for_a_picker(index: ActivityIndex) -> None:
    listed = bodies(index, as_of=MAY)
    assert listed.columns == ["code", "name", "activities", "overdue", "indicators"]
    rows = {r["code"]: r for r in listed.iter_rows(named=True)}
    assert rows["education"]["activities"] == 3 and rows["education"]["overdue"] == 1
    assert rows["education"]["indicators"] == 2
    assert rows["architecture"]["indicators"] == 1
    assert listed.get_column("code")[0] == "education"  # most overdue first
