"""Finding one's way at 80×24 (issue 18 section 3): the tree sorted by achievement or deviation,
expand and collapse all, go to a printed code, the plan's period in the breadcrumb, a typed
as-of date, and the screen's messages kept off the detail's numbers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from minidata import write_mini
from screen_helpers import app_on, config_for, cursor_row, go_to, press, screen_text, settle, tree
from textual.pilot import Pilot
from textual.widgets import Input
from textual.widgets._toast import Toast

from screens.app import WorkbenchApp, make_app
from screens.main.help import HelpScreen
from screens.main.screen import MainScreen
from screens.widgets.prompt import PromptScreen

DATA = Path(__file__).resolve().parent.parent / "data" / "plans"
GOAL = "Қаланың өнеркәсіптік әлеуетін арттыру"  # Taraz 3.2.1.1: indicators 1 … 7
WATER = "Ичүүчү суу менен камсыз болгон"  # Kara-Balta 1: plan 70, fact 64 in 2024


pytestmark = pytest.mark.usefixtures("isolated")


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_mini(tmp_path_factory.mktemp("mini-nav") / "plans")


def app_with(mini: Path, tmp_path: Path) -> WorkbenchApp:
    return make_app(config_for(mini), mini, workspace=tmp_path / "ws.sqlite3")


def main(app: WorkbenchApp) -> MainScreen:
    assert isinstance(app.screen, MainScreen)
    return app.screen


def shown_codes_under(app: WorkbenchApp, title: str) -> list[str]:
    """The codes of the rows just below the row titled ``title``, as the tree shows them."""
    widget = tree(app)
    assert widget.catalog is not None
    stack = list(widget.root.children)
    while stack:
        node = stack.pop()
        assert node.data is not None
        if widget.catalog.row(node.data)["title"] == title:
            return [str(widget.catalog.row(kid.data)["code"]) for kid in node.children if kid.data]
        stack.extend(node.children)
    raise AssertionError(title)


def expanded(app: WorkbenchApp) -> set[int]:
    widget = tree(app)
    found: set[int] = set()
    stack = list(widget.root.children)
    while stack:
        node = stack.pop()
        if node.is_expanded and node.data is not None:
            found.add(node.data)
        stack.extend(node.children)
    return found


async def test_o_sorts_by_achievement_then_deviation_then_back(mini: Path, tmp_path: Path) -> None:
    app = app_with(mini, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        row = await go_to(pilot, "Жол-көлік оқиғаларын азайту")  # 4, off track
        assert shown_codes_under(app, GOAL) == ["1", "2", "3", "4", "5", "6", "7"]
        await press(pilot, "O")
        top = screen_text(app).splitlines()[0]
        assert "by achievement ↑" in top, top
        # 3 ranks as its worst sub-indicator (3.2: 100 of 140, as low as 4's 300/420); 6 has
        # no fact, so it comes last.
        assert shown_codes_under(app, GOAL) == ["3", "4", "5", "2", "1", "7", "6"]
        assert cursor_row(app)["node_id"] == row["node_id"]  # the cursor stays on its row
        await press(pilot, "O")
        assert "by deviation ↓" in screen_text(app).splitlines()[0]
        # |1 − r|: 3.1 overshot by 33 %, 4 missed by 29 %, 7 overshot by 8 % …
        assert shown_codes_under(app, GOAL) == ["3", "4", "7", "1", "5", "2", "6"]
        await press(pilot, "O")
        assert "by " not in screen_text(app).splitlines()[0]
        assert shown_codes_under(app, GOAL) == ["1", "2", "3", "4", "5", "6", "7"]
        assert cursor_row(app)["node_id"] == row["node_id"]


async def test_n_steps_through_matches_in_the_order_shown(mini: Path, tmp_path: Path) -> None:
    app = app_with(mini, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "d", "O", "home")
        view = main(app).view
        assert view is not None
        seen, numbers = [], []
        for _ in range(view.count):
            await press(pilot, "n")
            seen.append(str(cursor_row(app)["code"]))
            numbers.append(screen_text(app).splitlines()[0].split(" · ")[-2])
        # Taraz's deviations, lowest achievement first (3.2 inside 3, then 4, 5 and 2 at risk,
        # 7 whose claim disagrees), then Kara-Balta's 1 and 2 (at risk, 91 % and 95 %)
        assert seen == ["3.2", "4", "5", "2", "7", "1", "2"], seen
        assert numbers == [f"{n} of 7" for n in range(1, 8)], numbers


async def test_expand_all_and_collapse_all_keep_the_cursor(mini: Path, tmp_path: Path) -> None:
    app = app_with(mini, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        row = await go_to(pilot, "Өнеркәсіп")  # the section 3.2.1, closed
        catalog = tree(app).catalog
        assert catalog is not None
        branches = {i for i in range(catalog.size) if catalog.has_children(i)}
        assert expanded(app) != branches
        await press(pilot, "plus")
        assert expanded(app) == branches
        assert cursor_row(app)["node_id"] == row["node_id"]
        await go_to(pilot, "Егін алқабы 3.2")
        deep = cursor_row(app)
        await press(pilot, "minus")
        path = set(catalog.path(catalog.find(str(deep["plan_id"]), deep["node_id"]) or 0)[:-1])
        assert expanded(app) == path
        assert cursor_row(app)["node_id"] == deep["node_id"]
        assert "Егін алқабы 3.2" in screen_text(app)


async def go_to_code(pilot: Pilot[Any], text: str) -> None:
    await press(pilot, "colon")
    assert isinstance(pilot.app.screen, PromptScreen)
    pilot.app.screen.query_one("#prompt-input", Input).value = text
    await pilot.pause()
    await press(pilot, "enter")


async def test_colon_goes_to_a_printed_code_or_a_title_start(mini: Path, tmp_path: Path) -> None:
    app = app_with(mini, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go_to_code(pilot, "3.2.1.1")
        assert isinstance(app.screen, MainScreen)
        assert cursor_row(app)["title"] == GOAL
        await go_to_code(pilot, "жол-көлік")  # a title's start, any case
        assert cursor_row(app)["code"] == "4"
        await go_to_code(pilot, "3.2")  # this plan's 3.2, under 3
        assert cursor_row(app)["title"] == "Егін алқабы 3.2"


async def test_go_to_says_not_found_and_ambiguous_plainly(mini: Path, tmp_path: Path) -> None:
    app = app_with(mini, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go_to(pilot, WATER)  # Kara-Balta: the direction and the indicator are both "1"
        before = cursor_row(app)
        await go_to_code(pilot, "1")
        assert isinstance(app.screen, PromptScreen)  # stays open to be corrected
        assert "Ambiguous — 2 matches" in screen_text(app)
        app.screen.query_one("#prompt-input", Input).value = "НҰИ-99"
        await pilot.pause()
        await press(pilot, "enter")
        assert "Not found" in screen_text(app) and "НҰИ-99" in screen_text(app)
        await press(pilot, "escape")
        assert cursor_row(app)["node_id"] == before["node_id"]


async def test_go_to_the_bundled_codes_as_printed() -> None:
    app = app_on(DATA)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go_to(pilot, "Жезқазған қаласының 2026-2030")
        await go_to_code(pilot, "НҰИ-6")  # printed "НҰИ –6"
        assert cursor_row(app)["code"] == "НҰИ –6"
        await go_to_code(pilot, "3.2.1.1")  # another city's: found everywhere, being unique
        assert cursor_row(app)["code"] == "3.2.1.1"
        assert "3.2.1.1" in screen_text(app)


async def test_the_breadcrumb_shows_the_plans_period_as_printed(mini: Path, tmp_path: Path) -> None:
    app = app_with(mini, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go_to(pilot, WATER)
        text = screen_text(app)
        assert "programme 2023–2026 ▸" in text, text
        await go_to(pilot, "Жол-көлік оқиғаларын азайту")
        assert "report 2017 of 2016–2020 ▸" in screen_text(app)


@pytest.mark.parametrize(
    ("typed", "shown"),
    [("01.05.2026", "as of 2026-05-01"), ("2026-03-15", "as of 2026-03-15")],
)
async def test_the_as_of_date_is_read_as_the_command_line_reads_it(typed: str, shown: str) -> None:
    app = app_on(DATA)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go_to(pilot, "Таш-Көмүр шаардык мэриясынын")
        await press(pilot, "A", "D")
        app.screen.query_one("#date-input", Input).value = typed
        await press(pilot, "enter")
        assert shown in screen_text(app)


async def test_a_bad_as_of_date_is_said_plainly() -> None:
    app = app_on(DATA)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go_to(pilot, "Таш-Көмүр шаардык мэриясынын")
        await press(pilot, "A", "D")
        for typed in ("31.02.2026", "May 1"):
            app.screen.query_one("#date-input", Input).value = typed
            await press(pilot, "enter")
            text = screen_text(app)
            assert "isoformat" not in text
            assert "01.05.2026" in text and typed in text, text  # what to type instead


async def test_a_message_after_an_edit_leaves_the_details_numbers_visible(
    mini: Path, tmp_path: Path
) -> None:
    app = app_with(mini, tmp_path)
    # notifications=True: toasts are drawn, as in a terminal (run_test leaves them out)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await go_to(pilot, WATER)
        await press(pilot, "f")
        form = app.screen
        form.query_one("#fact-year", Input).value = "2025"
        form.query_one("#fact-value", Input).value = "73"
        await pilot.pause()
        await press(pilot, "ctrl+s")
        await pilot.pause(0.3)  # the toast slides in
        text = screen_text(app)
        assert "Saved: fact 73" in text
        # the detail's numbers for the year counted, whole lines: the status, r, the fact
        assert "2025: ◐ at risk · achievement r = 97,3%  (latest year" in text, text
        assert "✎ 73 entered by" in text and "(* in the table)" in text, text
        assert not app.screen.query(Toast)  # said in the status line, not over the panes
        assert "Saved: fact 73" in main(app).status_text
        await press(pilot, "u")  # a longer message: the undone edit, named
        await pilot.pause(0.3)
        text = screen_text(app)
        assert "Undo: Undone" in text, text
        assert "2024: ◐ at risk · achievement r = 91,4%  (latest year" in text, text


async def test_help_and_palette_list_the_new_keys(mini: Path, tmp_path: Path) -> None:
    app = app_with(mini, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert "Expand every branch" in titles
        await press(pilot, "question_mark")
        helps = app.screen
        assert isinstance(helps, HelpScreen) and helps.only is not None
        assert {"tree_order", "go_to", "expand_all", "collapse_all"} <= set(helps.only)


def test_sorted_tree_and_status_line_80x24(snap_compare: Any, mini: Path, tmp_path: Path) -> None:
    """The top bar says the order; a message sits in its own line above the footer."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await go_to(pilot, "Жол-көлік оқиғаларын азайту")
        await press(pilot, "O", "u")  # u: nothing to undo, said in the status line

    app = app_with(mini, tmp_path)
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
