"""The screen's core (workbench.workspace.session, the catalog's annotations and the "without an
explanation" filter): no Textual, a temporary workspace in every test."""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl
import pytest
from minidata import TARAZ, write_mini
from screen_helpers import config_for

from workbench.analysis.outline import Filter, View
from workbench.snapshots.create import build, create, load
from workbench.workspace import store
from workbench.workspace.session import Session

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
    info = create(s.workspace(), s.snapshot_tables(), "first", thresholds=s.thresholds)
    assert [each.name for each in s.workspace().snapshots()] == [info.name]
    s.close()
    assert not s.has_workspace


def test_session_keeps_only_the_node_kinds_and_the_snapshot_reads_titles_again(
    mini: Path, tmp_path: Path
) -> None:
    from workbench.dataset import parquet_folder

    s = session(mini, tmp_path)
    catalog = s.load()
    assert s.tables is not None and s.tables["nodes"].columns == ["plan_id", "node_id", "kind"]
    assert s.tables["notes"].is_empty()  # the catalog's alone
    assert catalog.indicator_notes(TARAZ, CROPS)  # the document's words on it, still there
    idx = catalog.find(TARAZ, CROPS)
    assert idx is not None and catalog.row(idx)["title"]  # the tree still has every title
    s.workspace().annotate(TARAZ, CROPS, 2017, "late seed")
    create(s.workspace(), s.snapshot_tables(), "first", thresholds=s.thresholds)
    ours = load(s.workspace(), "first")
    titles = ours.parts["indicators"].filter(pl.col("node_id") == CROPS).get_column("title")
    full = parquet_folder.read(mini)["nodes"].filter(
        (pl.col("plan_id") == TARAZ) & (pl.col("node_id") == CROPS)
    )
    assert titles.to_list() == full.get_column("title").to_list() and titles[0]
    note = ours.parts["annotations"].row(0, named=True)
    assert note["node_title"] == titles[0] and note["node_code"] == full.item(0, "code")
    # The same snapshot as one made from the whole dataset in memory.
    whole = build(s.workspace(), parquet_folder.read(mini), "whole")
    for part in ("indicators", "values", "annotations", "rollup"):
        assert ours.parts[part].equals(whole.parts[part]), part
    s.close()


def test_a_snapshot_of_a_dataset_changed_on_disk_is_refused(tmp_path: Path) -> None:
    from workbench.dataset import parquet_folder
    from workbench.errors import WorkbenchError

    folder = write_mini(tmp_path / "plans")
    s = session(folder, tmp_path)
    s.load()
    tables = dict(parquet_folder.read(folder))
    tables["plans"] = tables["plans"].with_columns(source_sha256=pl.lit("f" * 64))
    parquet_folder.write(tables, folder)  # another ingest meanwhile
    with pytest.raises(WorkbenchError, match="changed since the workbench read it"):
        create(s.workspace(), s.snapshot_tables(), "stale", thresholds=s.thresholds)
    assert s.workspace().snapshots() == []
    s.close()


def test_the_detail_counts_its_indicator_as_the_whole_catalog_does(
    mini: Path, tmp_path: Path
) -> None:
    """indicator_years counts one indicator again from the values: the same status, fact
    source and achievement as the catalog's count of everything, entered facts included
    (one in a year the document has no value for)."""
    s = session(mini, tmp_path)
    loaded = s.load()
    ws = s.workspace()
    ws.enter_fact(TARAZ, CROPS, 2017, "101")
    ws.enter_fact(TARAZ, ROADS, 2019, "7")  # a year with no value in the document
    catalog = s.recount(loaded)
    keys = ["year", "status", "achievement", "claim_mismatch"]
    indicators = catalog.statuses.select("plan_id", "node_id").unique().iter_rows()
    checked = 0
    for plan_id, node_id in indicators:
        rows = catalog.indicator_years(str(plan_id), str(node_id))
        expected = (
            catalog.statuses.filter((pl.col("plan_id") == plan_id) & (pl.col("node_id") == node_id))
            .sort("year")
            .with_columns(pl.col("status").cast(pl.String))
            .select(keys)
            .to_dicts()
        )
        for row, want in zip(rows, expected, strict=True):
            got = {k: row[k] for k in keys}
            assert got["achievement"] == pytest.approx(want["achievement"], rel=1e-6)
            assert {**got, "achievement": None} == {**want, "achievement": None}, (plan_id, node_id)
        checked += 1
    assert checked >= 10
    crops = {r["year"]: r for r in catalog.indicator_years(TARAZ, CROPS)}
    assert crops[2017]["fact"] == 101.0 and crops[2017]["fact_source"] == "entered"
    assert crops[2017]["status"] == "met" and crops[2017]["plan"] is not None
    roads = {r["year"]: r for r in catalog.indicator_years(TARAZ, ROADS)}
    assert roads[2019]["fact"] == 7.0 and roads[2019]["fact_source"] == "entered"
    s.close()


def other_process(s: Session) -> store.Workspace:
    """Another connection to the session's workspace, as another process has."""
    assert s.tables is not None
    return store.open_workspace(s.path, dataset=s.tables, author="colleague")


def test_others_edits_are_found_and_shown(mini: Path, tmp_path: Path) -> None:
    s = session(mini, tmp_path)
    store.open_workspace(s.path).close()  # the workspace exists when the screen opens
    catalog = s.load()
    idx = catalog.find(TARAZ, CROPS)
    assert idx is not None
    assert s.others_changes() is None
    with other_process(s) as colleague:
        colleague.annotate(TARAZ, CROPS, 2017, "late statistics")
        assert s.others_changes() == "notes"  # an annotation: no count again
        assert s.others_changes() is None  # said once
        catalog = s.with_work(catalog)
        assert catalog.is_annotated(TARAZ, CROPS)
        colleague.enter_fact(TARAZ, CROPS, 2017, "101")
        assert s.others_changes() == "facts"
        catalog = s.recount(catalog)
        assert catalog.row(idx)["status"] == "met"
        assert s.others_changes() is None
        # The session's own edits are not someone else's, nor is a workspace it makes itself.
        s.workspace().annotate(TARAZ, ROADS, 2017, "mine")
        s.workspace().enter_fact(TARAZ, ROADS, 2017, "300")
        assert s.others_changes() is None
        catalog = s.recount(catalog)  # as the screen does after its own fact
        # Entered and taken back elsewhere: the facts are as counted, only notes to show.
        colleague.enter_fact(TARAZ, CROPS, 2017, "50")
        colleague.undo()
        assert s.others_changes() == "notes"


def test_a_workspace_made_elsewhere_after_opening_is_found(mini: Path, tmp_path: Path) -> None:
    s = session(mini, tmp_path)
    catalog = s.load()
    assert s.others_changes() is None and not s.path.exists()
    s.path.write_bytes(b"not a workspace yet")  # a file that cannot be opened: said once
    assert s.others_changes() is None and s.problem is not None
    assert s.others_changes() is None
    s.path.unlink()
    with store.open_workspace(s.path, dataset=s.tables, author="colleague") as colleague:
        colleague.enter_fact(TARAZ, CROPS, 2017, "101")
    assert s.others_changes() == "facts" and s.has_workspace
    idx = catalog.find(TARAZ, CROPS)
    assert idx is not None and s.recount(catalog).row(idx)["status"] == "met"
    assert s.others_changes() is None


def test_a_workspace_made_by_the_first_own_edit_has_no_others_edits(
    mini: Path, tmp_path: Path
) -> None:
    s = session(mini, tmp_path)
    s.load()
    s.workspace().annotate(TARAZ, ROADS, 2017, "mine")
    assert s.others_changes() is None


def test_an_own_first_edit_made_while_the_poll_looks_is_not_others(
    mini: Path, tmp_path: Path
) -> None:
    """The poll runs in a worker: the screen's first edit can create and open the workspace
    between the poll's look at the open workspace and its look at the file. That edit is the
    screen's own, not another workbench's (the toast said 'edits saved by another workbench')."""
    s = session(mini, tmp_path)
    s.load()
    real_path = s.path

    class EditWhileLooking(type(real_path)):  # type: ignore[misc]
        def stat(self, *args: object, **kwargs: object) -> os.stat_result:
            if not real_path.exists():
                s.workspace().annotate(TARAZ, ROADS, 2017, "mine, typed meanwhile")
            return super().stat(*args, **kwargs)

    s.path = EditWhileLooking(real_path)
    assert s.others_changes() is None
    assert s.others_changes() is None
