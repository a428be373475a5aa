"""What goes wrong on the screen is said on the screen, and the app goes on (issue 17 items 2
and 3, issue 16 item 6): a failing export, a non-ASCII digit in a Year field, a snapshot that
takes its time. Driven by keys (Textual pilot) on the small dataset."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from minidata import write_mini
from screen_helpers import config_for, cursor_row, go_to, press, said, screen_text, settle
from textual.pilot import Pilot
from textual.widgets import Input

from screens.app import WorkbenchApp, make_app
from workbench.workspace import store

pytestmark = pytest.mark.usefixtures("isolated")


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_mini(tmp_path_factory.mktemp("mini-fail") / "plans")


@pytest.fixture
def ws_path(tmp_path: Path) -> Path:
    return tmp_path / "work" / "workspace.sqlite3"


def app_with(mini: Path, ws_path: Path) -> WorkbenchApp:
    return make_app(config_for(mini), mini, workspace=ws_path)


async def type_into(pilot: Pilot[Any], widget_id: str, text: str) -> None:
    widget = pilot.app.screen.query_one(widget_id, Input)
    widget.focus()
    widget.value = text
    await pilot.pause()


def messages(app: WorkbenchApp) -> list[str]:
    return [n.message for n in said(app)]


def facts_and_notes(mini: Path, ws_path: Path) -> tuple[int, int]:
    if not ws_path.exists():
        return 0, 0
    from workbench.dataset import parquet_folder

    with store.open_workspace(ws_path, dataset=parquet_folder.read(mini)) as ws:
        return len(ws.facts()), len(ws.annotations())


async def test_an_export_that_fails_with_oserror_is_said_and_the_app_goes_on(
    mini: Path, ws_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Disk full while exporting: a notification names the failure; the app keeps running."""
    from workbench.snapshots import export

    def full(*args: Any, **kwargs: Any) -> list[Path]:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export, "export", full)
    app = app_with(mini, ws_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "s", "enter")  # a snapshot to export
        await press(pilot, "S", "E")
        await type_into(pilot, "#prompt-input", str(tmp_path / "out.toml"))
        await press(pilot, "enter")
        await settle(pilot)
        assert app.is_running and app.return_code is None
        assert any("No space left on device" in m for m in messages(app))
        await press(pilot, "escape")  # and the keys still answer
        assert type(app.screen).__name__ == "MainScreen"


@pytest.mark.parametrize("year", ["²", "٢٠٢٤", "２０１７"])
async def test_a_non_ascii_digit_in_the_fact_year_is_refused_in_the_form(
    mini: Path, ws_path: Path, year: str
) -> None:
    app = app_with(mini, ws_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go_to(pilot, "Өсімдік шаруашылығы")
        await press(pilot, "f")
        form = app.screen
        await type_into(pilot, "#fact-value", "101,5")
        await type_into(pilot, "#fact-year", year)  # checked as it is typed
        await settle(pilot)
        assert app.is_running and app.screen is form
        assert "not a year" in screen_text(app)
        await press(pilot, "enter")  # refused in the form, nothing written, text kept
        assert app.is_running and app.screen is form
        assert "not a year" in screen_text(app)
        assert form.query_one("#fact-value", Input).value == "101,5"
        assert form.query_one("#fact-year", Input).value == year
    assert facts_and_notes(mini, ws_path) == (0, 0)


async def test_a_non_ascii_digit_in_the_annotation_year_keeps_the_typed_text(
    mini: Path, ws_path: Path
) -> None:
    app = app_with(mini, ws_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go_to(pilot, "Жол-көлік оқиғаларын азайту")
        await press(pilot, "a")
        form = app.screen
        await type_into(pilot, "#ann-text", "a long explanation typed by hand")
        await type_into(pilot, "#ann-year", "201²")
        await press(pilot, "enter")
        assert app.is_running and app.screen is form
        assert "not a year" in screen_text(app)
        assert form.query_one("#ann-text", Input).value == "a long explanation typed by hand"
        await type_into(pilot, "#ann-year", "2017")
        await press(pilot, "enter")
        assert type(app.screen).__name__ == "MainScreen"
    assert facts_and_notes(mini, ws_path) == (0, 1)


async def test_keys_answer_while_a_snapshot_is_saved(
    mini: Path, ws_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """s takes the snapshot in the background: the tree moves while it is written, the top
    bar says it is saving, and the toast says when it is saved."""
    from workbench.snapshots import create as module

    app = app_with(mini, ws_path)
    release = threading.Event()
    started = threading.Event()
    create = module.create

    def slow(*args: Any, **kwargs: Any) -> Any:
        started.set()
        assert release.wait(30)
        return create(*args, **kwargs)

    monkeypatch.setattr(module, "create", slow)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "s")
        await pilot.press("enter")
        for _ in range(100):
            if started.is_set():
                break
            await pilot.pause(0.05)
        assert started.is_set()
        before = cursor_row(app)["idx"]
        await pilot.press("j")
        await pilot.pause()
        assert cursor_row(app)["idx"] != before  # the key answered while the snapshot runs
        assert "saving snapshot" in screen_text(app)
        assert not any("saved" in m for m in messages(app))
        release.set()
        await settle(pilot)
        assert any(m.startswith("Snapshot ") and "saved" in m for m in messages(app))
        assert "saving snapshot" not in screen_text(app)


async def test_any_error_a_worker_raises_is_said_by_the_app(
    mini: Path, ws_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not only the project's own errors: a bug in a view's background work is one line on the
    screen, and the keys go on (the app's one handler for failed workers)."""
    app = app_with(mini, ws_path)

    def broken(self: Any) -> Any:
        raise RuntimeError("index out of step")

    monkeypatch.setattr(type(app.drill_source), "funding", broken)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go_to(pilot, "Өсімдік шаруашылығы")
        await press(pilot, "F")
        assert type(app.screen).__name__ == "FundingScreen"
        await settle(pilot)
        assert app.is_running
        assert any("failed: index out of step" in m for m in messages(app))
        assert "Traceback" not in screen_text(app)
        await press(pilot, "escape")
        assert type(app.screen).__name__ == "MainScreen"
