"""The two-phase start: the cities and plans from plans.parquet first, the statuses once the
catalog is counted (screens/main/screen.py), driven by keys while the catalog is held back."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from minidata import write_mini
from screen_helpers import app_on, cursor_row, screen_text, settle, tree
from textual.pilot import Pilot

from screens.app import WorkbenchApp
from screens.main.screen import MainScreen
from workbench.analysis.catalog import Catalog

pytestmark = pytest.mark.usefixtures("isolated")


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_mini(tmp_path_factory.mktemp("phases") / "plans")


def held_back(app: WorkbenchApp) -> threading.Event:
    """The app's catalog comes only once the event returned is set (its cities read at once)."""
    release = threading.Event()
    screen = app.main
    loader: Callable[[], Catalog] = screen.loader

    def slow() -> Catalog:
        release.wait(20)
        return loader()

    screen.loader = slow
    return release


async def first_phase(pilot: Pilot[Any]) -> None:
    for _ in range(3):
        await pilot.pause()


async def test_cities_show_before_the_catalog_then_statuses_in_place(mini: Path) -> None:
    app = app_on(mini)
    release = held_back(app)
    async with app.run_test(size=(120, 40)) as pilot:
        try:
            await first_phase(pilot)
            text = screen_text(app)
            assert "Kara-Balta · Кара-Балта" in text and "Taraz · Тараз" in text
            assert "counting the statuses" in text and "2 plans" in text
            assert "●4" not in text and "· year" not in text  # no status yet
            assert tree(app).catalog is None
            # The plan's row reads as in the counted tree: its kind, period and title.
            assert "programme, 2023–2026" in text
            await pilot.press("down", "down")  # Kara-Balta's plan, then Taraz
            await pilot.pause()
        finally:
            release.set()
        await settle(pilot)
        text = screen_text(app)
        assert "●4 ◐2 ✖2 ○1" in text and "· year" in text
        assert "counting the statuses" not in text
        row = cursor_row(app)  # the cursor stayed on Taraz
        assert row["level"] == "city" and row["city"] == "Taraz"


async def test_keys_wait_politely_in_the_first_phase(mini: Path) -> None:
    app = app_on(mini)
    release = held_back(app)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.main
        try:
            await first_phase(pilot)
            for key in (
                "w",
                "y",
                "A",
                "F",
                "O",
                "colon",
                "n",
                "a",
                "f",
                "u",
                "B",
                "plus",
                "minus",
                "P",
            ):
                screen.said.clear()
                await pilot.press(key)
                await pilot.pause()
                assert app.screen is screen, key  # nothing opened over the tree
                said = [each.message for each in screen.said]
                assert any("Still counting" in each for each in said), (key, said)
            assert tree(app).catalog is None
        finally:
            release.set()
        await settle(pilot)
        assert tree(app).catalog is not None
        await pilot.press("w")  # the same key works now
        await settle(pilot)
        assert cursor_row(app)["is_indicator"]


async def test_filter_and_opened_plan_typed_before_the_catalog_apply_after(mini: Path) -> None:
    app = app_on(mini)
    release = held_back(app)
    async with app.run_test(size=(120, 40)) as pilot:
        try:
            await first_phase(pilot)
            await pilot.press("down", "down", "down", "enter")  # open Taraz's plan
            await pilot.pause()
            assert any("plan opens once" in each.message for each in app.main.said)
            await pilot.press("slash", *"ӘЛЕУ")
            await pilot.pause()
            assert "/ӘЛЕУ …" in screen_text(app)  # counted once the catalog is in
        finally:
            release.set()
        await settle(pilot)
        text = screen_text(app)
        assert "/ӘЛЕУ 2 matches" in text
        # the filter puts the cursor on its first match, as typing it does
        assert "Қаланың өнеркәсіптік әлеуетін арттыру" in text
        assert cursor_row(app)["kind"] == "goal"
        assert "Still counting" not in text  # said in the first phase, gone now
        await pilot.press("escape")  # the filter line closes and drops the filter
        await settle(pilot)
        widget = tree(app)
        assert widget.catalog is not None
        plan = widget.catalog.find(str(cursor_row(app)["plan_id"]))
        assert plan is not None
        node = widget._by_idx[plan]
        assert node.is_expanded and node.children  # the plan opened in the first phase


async def test_a_damaged_dataset_after_its_cities_is_said(tmp_path: Path, mini: Path) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "plans.parquet").write_bytes((mini / "plans.parquet").read_bytes())
    app = app_on(folder)  # the plans are there, the other tables are not
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "Cannot open the dataset" in text and "missing table" in text
        assert "Taraz · Тараз" not in text and "counting the statuses" not in text
        assert isinstance(app.screen, MainScreen)
