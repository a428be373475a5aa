"""The analyst's work on the screen (issue 6): a, f, u, s, S, e and the diff screen, driven by
keys (Textual pilot) on the small dataset, each test with its own temporary workspace."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from minidata import KARABALTA, TARAZ, write_mini
from screen_helpers import config_for, cursor_row, go_to, press, said, screen_text, settle
from textual.pilot import Pilot
from textual.widgets import Input, Select

from screens.app import WorkbenchApp, make_app
from screens.forms.annotation import AnnotationForm
from screens.forms.fact import FactForm
from screens.main.detail import DetailPane
from screens.main.screen import MainScreen
from screens.snapshots.diff import DiffScreen
from screens.snapshots.listing import SnapshotsScreen
from screens.widgets.prompt import PromptScreen
from workbench.snapshots.toml_read import read_file
from workbench.workspace import store

GOAL = "d1/s3.2.1/g3.2.1.1"
CROPS = f"{GOAL}/i2"  # increase, plan 100.6, fact 99.2 in 2017: at risk
ROADS = f"{GOAL}/i4"  # decrease, plan 300, fact 420, the document claims not met: off track


pytestmark = pytest.mark.usefixtures("isolated")


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_mini(tmp_path_factory.mktemp("mini-ws") / "plans")


@pytest.fixture
def ws_path(tmp_path: Path) -> Path:
    return tmp_path / "work" / "workspace.sqlite3"


def app_with(mini: Path, ws_path: Path) -> WorkbenchApp:
    return make_app(config_for(mini), mini, workspace=ws_path)


def open_ws(mini: Path, ws_path: Path) -> store.Workspace:
    from workbench.dataset import parquet_folder

    return store.open_workspace(ws_path, dataset=parquet_folder.read(mini))


async def type_into(pilot: Pilot[Any], widget_id: str, text: str) -> None:
    widget = pilot.app.screen.query_one(widget_id, Input)
    widget.focus()
    widget.value = text
    await pilot.pause()


def main_screen(app: WorkbenchApp) -> MainScreen:
    for screen in app.screen_stack:
        if isinstance(screen, MainScreen):
            return screen
    raise AssertionError("no main screen")


async def test_opening_the_screen_writes_no_workspace(mini: Path, ws_path: Path) -> None:
    app = app_with(mini, ws_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "u")  # nothing to undo, and still nothing written
        assert not ws_path.exists()


async def test_annotate_saves_marks_and_lists(mini: Path, ws_path: Path) -> None:
    app = app_with(mini, ws_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go_to(pilot, "Жол-көлік оқиғаларын азайту")
        assert "✎" not in screen_text(app)
        await press(pilot, "a")
        form = app.screen
        assert isinstance(form, AnnotationForm)
        assert form.query_one("#ann-year", Input).value == "2017"  # the row's status year
        await press(pilot, "enter")  # empty text: refused in the form, nothing written
        assert isinstance(app.screen, AnnotationForm)
        assert "empty" in screen_text(app)
        await type_into(pilot, "#ann-text", "Жол салу кешіккен [bold]")
        form.query_one("#ann-cat", Select).value = "funding delayed"
        form.query_one("#ann-state", Select).value = "explained"
        await pilot.pause()
        await type_into(pilot, "#ann-text", "Жол салу кешіккен [bold]")
        await press(pilot, "enter")
        assert isinstance(app.screen, MainScreen)
        assert any("saved" in n.message for n in said(app))
        with open_ws(mini, ws_path) as ws:  # committed: another connection sees it
            (note,) = ws.annotations(plan_id=TARAZ, node_id=ROADS)
        assert (note.text, note.category, note.state, note.year) == (
            "Жол салу кешіккен [bold]",
            "funding delayed",
            "explained",
            2017,
        )
        text = screen_text(app)
        assert "✎" in text
        detail = app.screen.query_one(DetailPane)
        await press(pilot, "tab", "end")
        text = screen_text(app)
        assert "Жол салу кешіккен [bold]" in text  # literal, not markup
        assert "funding delayed" in text and "explained" in text
        del detail


async def test_editing_an_annotation_keeps_history(mini: Path, ws_path: Path) -> None:
    with open_ws(mini, ws_path) as ws:
        first = ws.annotate(TARAZ, ROADS, 2017, "looking into it")
    app = app_with(mini, ws_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go_to(pilot, "Жол-көлік оқиғаларын азайту")
        await press(pilot, "a")
        form = app.screen
        assert isinstance(form, AnnotationForm)
        form.query_one("#ann-which", Select).value = first.id
        await pilot.pause()
        assert form.query_one("#ann-text", Input).value == "looking into it"
        form.query_one("#ann-state", Select).value = "resolved"
        await pilot.pause()
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, MainScreen)
    with open_ws(mini, ws_path) as ws:
        assert ws.annotation(first.id).state == "resolved"
        assert [v.state for v in ws.annotation_history(first.id)] == ["open", "resolved"]


async def test_fact_entered_changes_the_status(mini: Path, ws_path: Path) -> None:
    app = app_with(mini, ws_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        row = await go_to(pilot, "Өсімдік шаруашылығы")
        assert row["status"] == "at_risk"
        await press(pilot, "f")
        assert isinstance(app.screen, FactForm)
        assert "%" in screen_text(app)  # the unit beside the field
        await type_into(pilot, "#fact-value", "abc")
        assert "not a number" in screen_text(app)
        await press(pilot, "enter")  # refused inline, nothing written
        assert isinstance(app.screen, FactForm)
        assert "not a number" in screen_text(app)
        with open_ws(mini, ws_path) as ws:
            assert ws.facts() == []
        await type_into(pilot, "#fact-value", "101,5")
        assert "Reads as 101,5" in screen_text(app)
        await press(pilot, "enter")
        assert isinstance(app.screen, MainScreen)
        await settle(pilot)
        assert cursor_row(app)["status"] == "met"
        assert any("Saved: fact 101,5" in n.message for n in said(app))
        await press(pilot, "tab")  # the detail takes the screen at 80 columns
        text = screen_text(app)
        assert "101,5*" in text and "entered by" in text
        with open_ws(mini, ws_path) as ws:
            fact = ws.fact_for(TARAZ, CROPS, 2017)
        assert fact is not None and fact.value == 101.5


async def test_fact_on_a_goal_is_refused(mini: Path, ws_path: Path) -> None:
    app = app_with(mini, ws_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go_to(pilot, "Қаланың өнеркәсіптік әлеуетін арттыру")
        await press(pilot, "f")
        assert isinstance(app.screen, MainScreen)
        assert any("indicator" in n.message for n in said(app))
        assert not ws_path.exists()


async def test_undo_restores_the_document_fact(mini: Path, ws_path: Path) -> None:
    with open_ws(mini, ws_path) as ws:
        ws.enter_fact(TARAZ, CROPS, 2017, "101")
    app = app_with(mini, ws_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        row = await go_to(pilot, "Өсімдік шаруашылығы")
        assert row["status"] == "met"  # the entered fact wins from the start
        await press(pilot, "u")
        await settle(pilot)
        assert cursor_row(app)["status"] == "at_risk"
        assert any("fact 101" in n.message for n in said(app))
        # The toast names the indicator by its city and title, never by its ids.
        undone = next(n.message for n in said(app) if "fact 101" in n.message)
        assert "Taraz · " in undone and "Өсімдік шаруашылығы" in undone
        assert CROPS not in undone and TARAZ not in undone
        await press(pilot, "u")
        assert any("Nothing to undo" in n.message for n in said(app))
    with open_ws(mini, ws_path) as ws:
        assert ws.facts() == []


async def test_unexplained_filter(mini: Path, ws_path: Path) -> None:
    with open_ws(mini, ws_path) as ws:
        ws.annotate(TARAZ, ROADS, 2017, "roads", state="explained")
        ws.annotate(TARAZ, CROPS, 2017, "crops: still open")  # open: not an explanation
    app = app_with(mini, ws_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        await press(pilot, "d")
        assert screen.view is not None
        deviating = {screen.catalog.row(int(i))["node_id"] for i in screen.view.matches}  # type: ignore[union-attr]
        await press(pilot, "d", "e")
        assert screen.unexplained and "unexplained" in screen_text(app)
        unexplained = {screen.catalog.row(int(i))["node_id"] for i in screen.view.matches}  # type: ignore[union-attr]
        assert ROADS in deviating and ROADS not in unexplained
        assert CROPS in unexplained
        assert unexplained == deviating - {ROADS}
        await press(pilot, "e")
        assert not screen.unexplained


async def test_snapshot_saved_listed_and_compared(
    mini: Path, ws_path: Path, tmp_path: Path
) -> None:
    app = app_with(mini, ws_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "s")
        prompt = app.screen
        assert isinstance(prompt, PromptScreen)
        await type_into(pilot, "#prompt-input", "bad/name")
        await press(pilot, "enter")
        assert isinstance(app.screen, PromptScreen)  # refused inline
        await type_into(pilot, "#prompt-input", "before")
        await press(pilot, "enter")
        await settle(pilot)
        assert any("before saved" in n.message for n in said(app))
        with open_ws(mini, ws_path) as ws:
            ws.enter_fact(TARAZ, CROPS, 2017, "101")
            ws.annotate(KARABALTA, "d1/g1.1/i1", 2024, "water [red]pipes[/red]")
        await press(pilot, "s")
        await type_into(pilot, "#prompt-input", "after")
        await press(pilot, "enter")
        await settle(pilot)
        await press(pilot, "S")
        assert isinstance(app.screen, SnapshotsScreen)
        text = screen_text(app)
        assert "before" in text and "after" in text
        await press(pilot, "C")  # nothing marked: the two latest
        assert isinstance(app.screen, DiffScreen)
        await settle(pilot)
        diff = app.screen.diff
        assert diff is not None
        kinds = set(diff.frame.get_column("what").to_list())
        assert {"value", "status", "annotation"} <= kinds
        text = screen_text(app)
        assert "annotation" in text and "water [red]pipes[/red]" in text
        assert "99,2" in text and "101" in text  # numbers as the screen shows them
        # Each change names its plan's city and its indicator's code and title, not ids.
        from screens.snapshots.diff import cells

        screen = app.screen
        shown = [cells(row, screen.labels) for row in screen.rows]
        crops = next(
            c for c, row in zip(shown, screen.rows, strict=True) if row["node_id"] == CROPS
        )
        assert crops[1] == "Taraz" and CROPS not in " ".join(crops)
        assert not any(TARAZ in " ".join(c) or KARABALTA in " ".join(c) for c in shown)
        await press(pilot, "escape")
        assert isinstance(app.screen, SnapshotsScreen)

        # Export the row under the cursor; an existing file needs a second Enter.
        out = tmp_path / "out.toml"
        out.write_text("keep me")
        await press(pilot, "E")
        assert isinstance(app.screen, PromptScreen)
        await type_into(pilot, "#prompt-input", str(out))
        await press(pilot, "enter")
        assert isinstance(app.screen, PromptScreen) and "overwrite" in screen_text(app)
        assert out.read_text() == "keep me"
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, SnapshotsScreen)
        assert read_file(out).name == "after"
        csv = tmp_path / "values.csv"
        await press(pilot, "E")
        await type_into(pilot, "#prompt-input", str(csv))
        await press(pilot, "enter")
        await settle(pilot)
        assert csv.exists() and (tmp_path / "values.annotations.csv").exists()


async def test_workbench_flag_reaches_the_app(
    mini: Path, ws_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workbench import cli

    seen: dict[str, Any] = {}

    def fake_make_app(
        config: Any, folder: Any, *, workspace: Any = None, lang: str | None = None
    ) -> Any:
        seen["workspace"] = workspace
        seen["lang"] = lang

        class Fake:
            session = None
            return_code = 0

            def run(self) -> None:
                pass

        return Fake()

    monkeypatch.setattr("screens.app.make_app", fake_make_app)
    assert cli.main(["--data", str(mini), "--workspace", str(ws_path)]) == 0
    assert seen["workspace"] == str(ws_path)
    # The language the core chose reaches the app's factory too.
    try:
        assert cli.main(["--data", str(mini), "--lang", "ky"]) == 0
    finally:
        from workbench import i18n

        i18n.use("en")
    assert seen["lang"] == "ky"


async def test_edit_keys_are_remappable_and_in_the_palette(mini: Path, ws_path: Path) -> None:
    app = make_app(config_for(mini, keys={"annotate": "ctrl+a"}), mini, workspace=ws_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await go_to(pilot, "Жол-көлік оқиғаларын азайту")
        await press(pilot, "a")  # no longer annotates
        assert isinstance(app.screen, MainScreen)
        await press(pilot, "ctrl+a")
        assert isinstance(app.screen, AnnotationForm)
        await press(pilot, "escape")  # cancelled: nothing written, not even a workspace
        assert isinstance(app.screen, MainScreen) and not ws_path.exists()
        await press(pilot, "ctrl+p")
        await pilot.press(*"Deviations without")
        await pilot.pause(0.3)
        await press(pilot, "enter")
        assert main_screen(app).unexplained


async def test_a_file_that_is_not_a_workspace_is_said_and_left_alone(
    mini: Path, ws_path: Path
) -> None:
    ws_path.parent.mkdir(parents=True)
    ws_path.write_text("my notes, not a database")
    app = app_with(mini, ws_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "Taraz" in screen_text(app)  # the dataset opens all the same
        assert any(n.severity == "error" for n in said(app))
        await go_to(pilot, "Жол-көлік оқиғаларын азайту")
        await press(pilot, "a")
        assert isinstance(app.screen, MainScreen)
    assert ws_path.read_text() == "my notes, not a database"


def test_default_snapshot_name_is_never_taken() -> None:
    from datetime import datetime

    from screens.main.work import default_name

    at = datetime(2026, 12, 6, 4, 43)
    assert default_name(at) == "2026-12-06-0443"
    assert default_name(at, {"2026-12-06-0443"}) == "2026-12-06-0443-2"
    assert default_name(at, {"2026-12-06-0443", "2026-12-06-0443-2"}) == "2026-12-06-0443-3"


async def test_s_twice_within_a_minute_saves_two_snapshots(mini: Path, ws_path: Path) -> None:
    """The proposed name is free: Enter at once saves, even right after another snapshot."""
    app = app_with(mini, ws_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for _ in range(2):
            await press(pilot, "s")
            assert isinstance(app.screen, PromptScreen)
            await press(pilot, "enter")
            await settle(pilot)
            assert isinstance(app.screen, MainScreen)
    with open_ws(mini, ws_path) as ws:
        names = [info.name for info in ws.snapshots()]
    assert len(names) == 2 and len(set(names)) == 2


async def test_edits_saved_by_another_process_appear(
    mini: Path, ws_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A colleague's (or a script's) edits to the same workspace show without a restart: an
    annotation gets its ✎, an entered fact counts the statuses again."""
    import asyncio
    import subprocess
    import sys

    from screens.main.work import WorkspaceActions

    monkeypatch.setattr(WorkspaceActions, "POLL_SECONDS", 0.1)
    open_ws(mini, ws_path).close()
    app = app_with(mini, ws_path)

    def other(*args: str) -> None:
        command = [sys.executable, "-m", "workbench.cli", *args]
        common = ["--plan", TARAZ, "--node", CROPS, "--year", "2017"]
        done = subprocess.run(
            [*command, *common, "--data", str(mini), "--workspace", str(ws_path)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr

    async def until(check: Any, what: str) -> None:
        for _ in range(200):
            await settle(pilot)
            if check():
                return
            await asyncio.sleep(0.05)
        raise AssertionError(f"the screen never showed {what}:\n{screen_text(app)}")

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        row = await go_to(pilot, "Өсімдік шаруашылығы")
        assert row["node_id"] == CROPS and row["status"] == "at_risk"
        assert "✎" not in screen_text(app)
        other("annotate", "--text", "статистика кешікті")
        await until(lambda: "✎" in screen_text(app), "the annotation's ✎")
        messages = [each.message for each in said(app)]  # the status line's, kept in its log
        assert any("another workbench" in message for message in messages), messages
        other("fact", "--value", "101")
        await until(lambda: cursor_row(app)["status"] == "met", "the entered fact's status")
        assert "entered" in screen_text(app)  # the detail says whose the fact is
