"""The screen's core (workbench.session, the catalog's annotations and the "without an
explanation" filter): no Textual, a temporary workspace in every test."""

from __future__ import annotations

from pathlib import Path

import pytest
from minidata import TARAZ, write_mini
from screen_helpers import config_for

from workbench.outline import Filter, View
from workbench.session import Session

GOAL = "d1/s3.2.1/g3.2.1.1"
CROPS = f"{GOAL}/i2"  # at risk in 2017
ROADS = f"{GOAL}/i4"  # off track in 2017


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_mini(tmp_path_factory.mktemp("session") / "plans")


def session(mini: Path, tmp_path: Path) -> Session:
    return Session(config_for(mini), mini, workspace=tmp_path / "ws.sqlite3")


def node_ids(view: View) -> set[str]:
    return {str(view.catalog.row(int(i))["node_id"]) for i in view.matches}


def test_loading_writes_no_workspace(mini: Path, tmp_path: Path) -> None:
    s = session(mini, tmp_path)
    catalog = s.load()
    assert not s.has_workspace and not s.path.exists()
    assert catalog.annotations is not None and catalog.annotations.height == 0
    assert not catalog.is_annotated(TARAZ, ROADS)


def test_recount_lets_the_entered_fact_win(mini: Path, tmp_path: Path) -> None:
    s = session(mini, tmp_path)
    catalog = s.load()
    idx = catalog.find(TARAZ, CROPS)
    assert idx is not None and catalog.row(idx)["status"] == "at_risk"
    s.workspace().enter_fact(TARAZ, CROPS, 2017, "101")
    fresh = s.recount(catalog)
    assert fresh.row(idx)["status"] == "met"
    entered = fresh.entered_fact(TARAZ, CROPS, 2017)
    assert entered is not None and entered["value"] == 101.0
    assert fresh.at_year(2017).row(idx)["status"] == "met"  # a new year keeps the work
    # Reopened from disk: the fact is there from the first count.
    assert session(mini, tmp_path).load().row(idx)["status"] == "met"


def test_without_an_explanation(mini: Path, tmp_path: Path) -> None:
    s = session(mini, tmp_path)
    catalog = s.load()
    everything = node_ids(View.build(catalog, Filter(deviations=True)))
    assert {CROPS, ROADS} <= everything
    ws = s.workspace()
    ws.annotate(TARAZ, CROPS, 2017, "still looking")  # open: not an explanation
    ws.annotate(TARAZ, ROADS, None, "roads: the whole node", state="explained")
    catalog = s.with_work(catalog)
    assert catalog.is_annotated(TARAZ, CROPS) and catalog.is_annotated(TARAZ, ROADS)
    left = node_ids(View.build(catalog, Filter(unexplained=True)))
    assert left == everything - {ROADS}
    # An explanation for another year does not count.
    ws.annotate(TARAZ, CROPS, 2018, "next year", state="explained")
    assert CROPS in node_ids(View.build(s.with_work(catalog), Filter(unexplained=True)))
    ws.annotate(TARAZ, CROPS, 2017, "seed delivery was late", state="resolved")
    assert CROPS not in node_ids(View.build(s.with_work(catalog), Filter(unexplained=True)))
    notes = s.with_work(catalog).annotations_of(TARAZ, CROPS)
    assert notes[0]["text"] == "still looking" and len(notes) == 3


def test_snapshot_from_the_session(mini: Path, tmp_path: Path) -> None:
    s = session(mini, tmp_path)
    s.load()
    info = s.create_snapshot("first")
    assert [each.name for each in s.workspace().snapshots()] == [info.name]
    s.close()
    assert not s.has_workspace
