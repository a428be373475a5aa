"""The first frame holds what it shows and no more (issue 16, the first useful frame): the
status line, the filter line and the detail's parts come when first used, the subcommands'
modules are not imported to open the screen, and keys typed at once into a line added on
first use reach it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from minidata import write_mini
from screen_helpers import app_on, screen_text, settle
from test_screen_phases import first_phase, held_back
from textual import events

from screens.app import WorkbenchApp
from screens.main.detail import DetailPane
from workbench.cli import build_parser

pytestmark = pytest.mark.usefixtures("isolated")


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_mini(tmp_path_factory.mktemp("first") / "plans")


def type_at_once(app: WorkbenchApp, *keys: tuple[str, str | None]) -> None:
    """Keys queued back to back, as a fast typist's reach the app: none waits for the one
    before it to be handled (the driver's way in, as Textual's pilot sends a key)."""
    driver = app._driver
    assert driver is not None
    for key, character in keys:
        event = events.Key(key, character)
        event.set_sender(app)
        driver.send_message(event)


async def test_the_first_frame_holds_only_what_it_shows(mini: Path) -> None:
    app = app_on(mini)
    release = held_back(app)
    async with app.run_test(size=(80, 24)) as pilot:
        try:
            await first_phase(pilot)
            screen = app.main
            assert "Taraz · Тараз" in screen_text(app)
            assert screen.has_class("-narrow")  # stacked from the first frame
            assert not screen.query("#status") and not screen.query("#filter")
            detail = screen.query_one(DetailPane)
            assert [child.id for child in detail.children] == ["detail-head"]
            assert "Counting the statuses" in screen_text(app)
        finally:
            release.set()
        await settle(pilot)
        # an item shown: the detail's parts are there, filled
        assert {"detail-table", "detail-chart", "detail-notes", "detail-annotations"} <= {
            child.id for child in detail.children
        }
        assert "indicator(s), counted" in screen_text(app)


async def test_a_message_before_any_status_line_shows(mini: Path) -> None:
    app = app_on(mini)
    release = held_back(app)
    async with app.run_test(size=(80, 24)) as pilot:
        try:
            await first_phase(pilot)
            await pilot.press("w")  # needs the statuses: said in the status line
            await pilot.pause()
            assert "Still counting" in app.main.status_text
            assert "Still counting" in screen_text(app)
        finally:
            release.set()
        await settle(pilot)
        assert app.main.status_text == ""  # gone once the statuses are in


async def test_keys_typed_at_once_after_the_start_reach_the_filter_line(mini: Path) -> None:
    app = app_on(mini)
    release = held_back(app)
    async with app.run_test(size=(80, 24)) as pilot:
        try:
            await first_phase(pilot)
            assert not app.main.query("#filter")
            await pilot.press("slash")  # the line is added and takes the keys at once
            # three letters that are also the tree's keys (t, a annotates, r), back to back:
            # had one reached the tree, it would say "still counting"
            type_at_once(app, ("t", "t"), ("a", "a"), ("r", "r"))
            await pilot.pause()
            await pilot.pause()
            assert app.main.query_text == "tar"
            assert not any("Still counting" in each.message for each in app.main.said)
        finally:
            release.set()
        await settle(pilot)
        assert "/tar " in screen_text(app)
        assert app.main.view is not None and app.main.view.active


async def test_the_filter_line_added_once_loaded_filters_and_closes(mini: Path) -> None:
    app = app_on(mini)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        type_at_once(app, ("ә", "ә"), ("л", "л"), ("е", "е"), ("у", "у"))
        await settle(pilot)
        assert app.main.query_text == "әлеу"
        assert "/әлеу 2 matches" in screen_text(app)
        await pilot.press("escape")  # the line closes and drops the filter
        await settle(pilot)
        assert app.main.query_text == "" and not app.main.query_one("#filter").display
        await pilot.press("slash", "ә")  # the same line opens again
        await settle(pilot)
        assert app.main.query_text == "ә" and len(app.main.query("#filter")) == 1


def test_opening_the_screen_imports_no_subcommand() -> None:
    code = (
        "import sys\n"
        "from workbench.cli import build_parser\n"
        "build_parser([])\n"
        "loaded = [m for m in sys.modules if m.startswith('workbench.commands.')]\n"
        "print(sorted(set(loaded) - {'workbench.commands.common'}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_a_subcommand_named_gets_its_arguments() -> None:
    args = build_parser(["snapshot", "list"]).parse_args(["snapshot", "list"])
    assert args.command == "snapshot" and args.action == "list"
    # every subcommand stays listed (workbench --help)
    assert "annotate" in build_parser([]).format_help()


async def test_a_slash_and_letters_in_one_go_all_reach_the_filter(mini: Path) -> None:
    """``/tar`` arriving in one write, as a fast typist or a paste sends it: the ``/`` opens the
    line before the letters after it are handed on, so none reaches the tree (where ``a``
    would open the annotation form)."""
    app = app_on(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        type_at_once(app, ("slash", "/"), ("t", "t"), ("a", "a"), ("r", "r"))
        await settle(pilot)
        assert app.screen is app.main  # no form opened by a letter
        assert app.main.query_text == "tar"
        assert "/tar " in screen_text(app)
        # in the line, "/" is a letter like any other (a unit such as км/ч)
        type_at_once(app, ("slash", "/"), ("ч", "ч"))
        await settle(pilot)
        assert app.main.query_text == "tar/ч"
        await pilot.press("escape")
        await settle(pilot)
        assert app.main.query_text == ""


async def test_a_slash_and_letters_in_one_go_reach_the_activities_filter() -> None:
    from screens.drill.activities import ActivitiesScreen
    from screens.messages import Scope

    app = app_on(Path(__file__).resolve().parent.parent / "data" / "plans")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(ActivitiesScreen(app.drill_source, Scope("every plan")))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ActivitiesScreen) and screen.view is not None
        everything, order = screen.view.total, screen.sort
        # "s" sorts and "c" picks a quarter in the table: here they are letters of the filter
        type_at_once(app, ("slash", "/"), ("s", "s"), ("c", "c"))
        await settle(pilot)
        assert app.screen is screen  # no quarter picker
        assert screen.filter.text == "sc" and screen.sort == order
        assert screen.view.total < everything


async def test_a_remapped_filter_key_with_letters_in_one_go_reaches_the_line(mini: Path) -> None:
    """The analyst's own key for the filter (``[keys] filter``) keeps the same promise."""
    app = app_on(mini, keys={"filter": "backslash"})
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        type_at_once(app, ("backslash", "\\"), ("t", "t"), ("a", "a"))
        await settle(pilot)
        assert app.screen is app.main and app.main.query_text == "ta"
        type_at_once(app, ("slash", "/"))  # no longer the filter's key: a letter of the line
        await settle(pilot)
        assert app.main.query_text == "ta/"
