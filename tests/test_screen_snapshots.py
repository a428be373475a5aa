"""The look of the screen, fixed as SVG snapshots (pytest-textual-snapshot).

Update after a deliberate change with ``pytest tests/test_screen_snapshots.py --snapshot-update``
and look at the report before committing the new SVGs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from minidata import write_mini
from screen_helpers import app_on, go_to, press, settle
from textual.pilot import Pilot

Snap = Callable[..., bool]


@pytest.fixture(autouse=True)
def _stable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("WORKBENCH_CONFIG", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("COLORTERM", "truecolor")


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_mini(tmp_path_factory.mktemp("snap") / "plans")


def at(title: str | None = None, *keys: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        if title is not None:
            await go_to(pilot, title)
        await press(pilot, *keys)

    return run_before


def test_main_screen_80x24(snap_compare: Snap, mini: Path) -> None:
    assert snap_compare(app_on(mini), terminal_size=(80, 24), run_before=at())


def test_main_screen_120x40(snap_compare: Snap, mini: Path) -> None:
    assert snap_compare(app_on(mini), terminal_size=(120, 40), run_before=at())


def test_indicator_120x40(snap_compare: Snap, mini: Path) -> None:
    run = at("Ичүүчү суу менен камсыз болгон")
    assert snap_compare(app_on(mini), terminal_size=(120, 40), run_before=run)


def test_indicator_opened_80x24(snap_compare: Snap, mini: Path) -> None:
    run = at("Ичүүчү суу менен камсыз болгон", "enter")
    assert snap_compare(app_on(mini), terminal_size=(80, 24), run_before=run)


def test_goal_rollup_120x40(snap_compare: Snap, mini: Path) -> None:
    run = at("Қаланың өнеркәсіптік әлеуетін арттыру")
    assert snap_compare(app_on(mini), terminal_size=(120, 40), run_before=run)


def test_goal_rollup_80x24(snap_compare: Snap, mini: Path) -> None:
    run = at("Қаланың өнеркәсіптік әлеуетін арттыру")
    assert snap_compare(app_on(mini), terminal_size=(80, 24), run_before=run)


def test_help_80x24(snap_compare: Snap, mini: Path) -> None:
    assert snap_compare(app_on(mini), terminal_size=(80, 24), run_before=at(None, "question_mark"))


def test_help_120x40(snap_compare: Snap, mini: Path) -> None:
    run = at(None, "question_mark")
    assert snap_compare(app_on(mini), terminal_size=(120, 40), run_before=run)


def test_filter_and_deviations_80x24(snap_compare: Snap, mini: Path) -> None:
    run = at(None, "d", "slash", "ә", "enter")
    assert snap_compare(app_on(mini), terminal_size=(80, 24), run_before=run)


def test_light_theme_120x40(snap_compare: Snap, mini: Path) -> None:
    run = at("Өсімдік шаруашылығы")
    assert snap_compare(app_on(mini, theme="light"), terminal_size=(120, 40), run_before=run)


# -- the analyst's work (issue 6) --------------------------------------------------------------


def _workspace_app(mini: Path, tmp_path: Path) -> Any:
    from screen_helpers import config_for

    from screens.app import make_app

    return make_app(config_for(mini, author="analyst"), mini, workspace=tmp_path / "ws.sqlite3")


def test_annotation_form_80x24(snap_compare: Snap, mini: Path, tmp_path: Path) -> None:
    async def run(pilot: Pilot[Any]) -> None:
        await at("Жол-көлік оқиғаларын азайту", "a")(pilot)
        for key in "roads [b]late":
            await pilot.press(key if key != " " else "space")
        await settle(pilot)

    assert snap_compare(_workspace_app(mini, tmp_path), terminal_size=(80, 24), run_before=run)


def test_diff_screen_80x24(
    snap_compare: Snap, mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uuid

    from workbench.dataset import parquet_folder
    from workbench.snapshots.create import create
    from workbench.workspace import store

    counter = iter(range(1, 100))
    monkeypatch.setattr(uuid, "uuid4", lambda: uuid.UUID(int=next(counter) << 120))
    tables = parquet_folder.read(mini)
    with store.open_workspace(tmp_path / "ws.sqlite3", dataset=tables, author="analyst") as ws:
        ws.annotate("taraz-report-2016-2020-r2017", "d1/s3.2.1/g3.2.1.1/i4", 2017, "roads")
        create(ws, tables, "before")
        ws.enter_fact("taraz-report-2016-2020-r2017", "d1/s3.2.1/g3.2.1.1/i2", 2017, "101")
        ws.annotate("kara-balta-programme-2023-2026", "d1/g1.1/i1", 2024, "water [red]pipes")
        note = ws.annotations(node_id="d1/s3.2.1/g3.2.1.1/i4")[0]
        ws.resolve_annotation(note.id, "roads: done")
        create(ws, tables, "after")

    async def run(pilot: Pilot[Any]) -> None:
        from screens.snapshots.diff import DiffScreen

        await at(None, "S", "C")(pilot)
        # The diff is computed in a worker and arrives as a message: wait for it, however
        # slow the machine (CI once took the picture before it was in).
        for _ in range(200):
            screen = pilot.app.screen
            if isinstance(screen, DiffScreen) and screen.diff is not None:
                break
            await pilot.pause(0.05)
        await settle(pilot)

    assert snap_compare(_workspace_app(mini, tmp_path), terminal_size=(80, 24), run_before=run)
