"""The drill views' source: built from what the main screen's session read, not the folder again."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

import polars as pl
import pytest
from screen_helpers import config_for

from workbench.workspace.drill_source import DrillSource
from workbench.workspace.session import Session

PLANS = Path(__file__).resolve().parent.parent / "data" / "plans"


@pytest.fixture(scope="module")
def from_folder() -> DrillSource:
    return DrillSource(PLANS)


def loaded_session(tmp_path: Path) -> Session:
    """A session loaded from a copy of the bundled dataset, whose files are then gone."""
    folder = tmp_path / "plans"
    shutil.copytree(PLANS, folder)
    session = Session(config_for(folder), folder, workspace=tmp_path / "ws.sqlite3")
    session.load()
    shutil.rmtree(folder)
    return session


def test_the_indexes_come_from_the_session_not_the_folder(
    tmp_path: Path, from_folder: DrillSource
) -> None:
    session = loaded_session(tmp_path)
    assert session.tables is not None and "title" not in session.tables["nodes"].columns
    source = DrillSource(tmp_path / "plans", session=lambda: session)
    activities = source.activities()  # the folder is gone: only the session's tables are left
    expected = from_folder.activities()
    assert activities.frame.height > 0
    assert activities.frame.equals(expected.frame)
    assert activities.items.equals(expected.items)
    assert source.funding().frame.equals(from_folder.funding().frame)


def test_building_the_indexes_leaves_the_collector_alone() -> None:
    source = DrillSource(PLANS)
    frozen = gc.get_freeze_count()
    source.activities()
    source.funding()
    assert gc.get_freeze_count() == frozen


def test_without_a_session_the_folder_is_read(from_folder: DrillSource) -> None:
    assert isinstance(from_folder.tables["nodes"], pl.DataFrame)
    assert "title" in from_folder.tables["nodes"].columns
