"""The workbench screen driven by keys (Textual pilot) on a small dataset with known statuses."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from minidata import TARAZ, mini_tables, write_mini
from screen_helpers import app_on, config_for, cursor_row, go_to, press, screen_text, settle, tree
from textual.widgets import Input

from screens.app import WorkbenchApp, make_app
from screens.main.chart import PlanChart
from screens.main.detail import DetailPane
from screens.main.help import HelpScreen
from screens.main.screen import MainScreen
from screens.main.year import YearScreen
from workbench.analysis.catalog import build_catalog
from workbench.keymap import KEYS

pytestmark = pytest.mark.usefixtures("isolated")


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_mini(tmp_path_factory.mktemp("mini") / "plans")


async def test_first_frame_comes_before_the_data(mini: Path) -> None:
    release = threading.Event()
    catalog = build_catalog(mini_tables())

    def slow() -> object:
        release.wait(10)
        return catalog

    app = WorkbenchApp(slow, source=str(mini))  # type: ignore[arg-type]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Loading" in screen_text(app)
        assert "Taraz" not in screen_text(app)
        release.set()
        await settle(pilot)
        text = screen_text(app)
        assert "Taraz · Тараз" in text and "Kara-Balta · Кара-Балта" in text


async def test_moving_opening_and_closing(mini: Path) -> None:
    app = app_on(mini)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert cursor_row(app)["level"] == "city"
        await press(pilot, "j")
        assert cursor_row(app)["level"] == "plan"
        await press(pilot, "k")
        assert cursor_row(app)["level"] == "city"
        await press(pilot, "down", "l")  # the plan opens
        plan_node = tree(app).cursor_node
        assert plan_node is not None and plan_node.is_expanded
        await press(pilot, "right")  # into its first child
        assert cursor_row(app)["kind"] == "direction"
        await press(pilot, "enter", "enter")  # open the direction, go to the goal
        assert cursor_row(app)["kind"] == "goal"
        await press(pilot, "h")  # back to the parent
        assert cursor_row(app)["kind"] == "direction"
        await press(pilot, "escape")  # collapse it
        node = tree(app).cursor_node
        assert node is not None and not node.is_expanded
        await press(pilot, "left")
        assert cursor_row(app)["level"] == "plan"
        await press(pilot, "up")
        assert cursor_row(app)["level"] == "city"


async def test_tree_is_built_lazily(mini: Path) -> None:
    app = app_on(mini)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        widget = tree(app)
        assert widget.catalog is not None
        # Cities and their plans are there; nothing below an unopened plan yet.
        built = set(widget._by_idx)
        assert len(built) < widget.catalog.size / 3
        await go_to(pilot, "Жаңа жұмыс орындары")
        assert len(widget._by_idx) > len(built)


async def test_indicator_detail_and_chart(mini: Path) -> None:
    app = app_on(mini)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        row = await go_to(pilot, "Ичүүчү суу менен камсыз болгон")
        assert row["status"] == "at_risk"
        text = screen_text(app)
        assert "Unit: %" in text and "Polarity: increase" in text
        assert "Responsible: Экономика бөлімі" in text
        assert "2024: ◐ at risk" in text
        assert "Baseline" in text and "Estimate" in text and "Target" in text
        chart = app.screen.query_one(PlanChart)
        assert chart.display and chart.drawn
        assert "plan" in text and "fact" in text  # the chart's legend
        # One year only: no chart.
        await go_to(pilot, "Өнеркәсіп өнімінің нақты индекс көлемі")
        assert not app.screen.query_one(PlanChart).display
        assert "Көрсеткіш орындалды" in screen_text(app)  # the document's execution text


async def test_decrease_and_claims_on_screen(mini: Path) -> None:
    app = app_on(mini)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        row = await go_to(pilot, "Жұмыссыздық деңгейін төмендету")
        assert row["status"] == "met"  # 4 against a plan of 5, less is better
        assert "Polarity: decrease" in screen_text(app)
        await go_to(pilot, "Өсімдік шаруашылығы")
        text = screen_text(app)
        assert "◐! 2 Өсімдік" in text  # at risk, and the claim disagrees
        assert "The document says met; the numbers say at risk" in text


async def test_goal_rollup_and_worst_jump(mini: Path) -> None:
    app = app_on(mini)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await go_to(pilot, "Қаланың өнеркәсіптік әлеуетін арттыру")
        text = screen_text(app)
        assert "9 indicator(s)" in text
        assert "● met 4" in text and "◐ at risk 2" in text and "✖ off track 2" in text
        assert "50,0% met" in text and "Worst indicators below" in text
        assert "●4 ◐2 ✖2 ○1" in text  # the roll-up on the tree row
        await press(pilot, "w")
        first = cursor_row(app)
        assert first["status"] == "off_track"
        await press(pilot, "w")
        second = cursor_row(app)
        assert second["status"] == "off_track" and second["idx"] != first["idx"]
        await press(pilot, "w")
        assert cursor_row(app)["status"] == "at_risk"


async def test_filter_as_you_type_over_kazakh_and_kyrgyz_letters(mini: Path) -> None:
    app = app_on(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "slash")
        assert isinstance(app.focused, Input)
        await press(pilot, *"ӘЛЕУ")  # upper case finds "әлеуетін" and "Әлеуметтік"
        screen = app.screen
        assert isinstance(screen, MainScreen) and screen.view is not None
        assert screen.view.count == 2
        assert "/ӘЛЕУ 2 matches" in screen_text(app)
        assert cursor_row(app)["kind"] == "goal"
        await press(pilot, "enter")  # keep the filter, back to the tree
        assert not isinstance(app.focused, Input)
        await press(pilot, "n")
        assert cursor_row(app)["title"] == "Әлеуметтік сала"
        await press(pilot, "n")  # wraps round
        assert cursor_row(app)["kind"] == "goal"
        await press(pilot, "N")
        assert cursor_row(app)["title"] == "Әлеуметтік сала"
        # Kyrgyz letters ү ң ө, in capitals.
        await press(pilot, "slash", "backspace", "backspace", "backspace", "backspace")
        await press(pilot, *"ҮЛҮШҮ")
        assert screen.view.count == 1
        assert "Ичүүчү суу" in str(cursor_row(app)["title"])
        assert "Taraz" not in screen_text(app).split("\n", 2)[1]
        await press(pilot, "escape")  # drops the filter
        assert screen.query_text == "" and "match" not in screen_text(app)
        assert "Taraz · Тараз" in screen_text(app)


async def test_a_filter_letter_that_keeps_the_item_does_not_draw_the_detail_again(
    mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each letter refilters the tree; while the cursor stays on the same item the detail
    # (its table and chart, the costly part of a keystroke) is not drawn again, but a new
    # catalog (a new year here, an edit alike) draws it.
    plotted: list[object] = []
    plot = PlanChart.plot

    def counted(self: PlanChart, series: list[Any]) -> None:
        plotted.append(series)
        plot(self, series)

    monkeypatch.setattr(PlanChart, "plot", counted)
    app = app_on(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "slash", *"ӘЛЕУ")
        await settle(pilot)
        shown = cursor_row(app)
        before = len(plotted)
        await press(pilot, *"ЕТ")  # "әлеует…": still the same first match
        await settle(pilot)
        assert cursor_row(app)["title"] == shown["title"]
        assert len(plotted) == before
        screen = app.screen
        assert isinstance(screen, MainScreen) and screen.catalog is not None
        screen.post_message(MainScreen.Recounted(screen.catalog.at_year(2017)))
        await settle(pilot)
        assert len(plotted) == before + 1


async def test_deviations_only(mini: Path) -> None:
    app = app_on(mini)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "d")
        screen = app.screen
        assert isinstance(screen, MainScreen) and screen.view is not None
        assert "deviations only" in screen_text(app)
        statuses = {}
        for idx in screen.view.matches.to_list():
            row = tree(app).catalog.row(idx)  # type: ignore[union-attr]
            statuses[row["title"]] = (row["status"], row["claim_mismatch"])
        assert all(s in ("at_risk", "off_track") or claim for s, claim in statuses.values())
        assert "Жаңа жұмыс орындары" in statuses  # met, but the claim disagrees
        assert "Өнеркәсіп өнімінің нақты индекс көлемі" not in statuses  # met, agreed
        await press(pilot, "n")
        assert cursor_row(app)["idx"] in screen.view.matches.to_list()
        await press(pilot, "d")
        assert "deviations only" not in screen_text(app)


async def test_year_choice_recounts(mini: Path) -> None:
    app = app_on(mini)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await go_to(pilot, "Ичүүчү суу менен камсыз болгон")
        assert cursor_row(app)["status"] == "at_risk"  # 2024, its latest year with data
        await press(pilot, "y")
        assert isinstance(app.screen, YearScreen)
        text = screen_text(app)
        assert "2017" in text and "2023" in text and "Latest year" in text
        # The years with a plan and a fact: Latest, 2017, 2023, 2024 — go to 2023.
        await press(pilot, "down", "down", "enter")
        assert isinstance(app.screen, MainScreen)
        assert "year 2023" in screen_text(app)
        row = cursor_row(app)
        assert (row["year"], row["status"]) == (2023, "met")
        await go_to(pilot, "Өнеркәсіп өнімінің нақты индекс көлемі")
        assert cursor_row(app)["status"] == "no_data"  # Taraz has no 2023
        await press(pilot, "y", "home", "enter")
        assert "year latest" in screen_text(app)
        await press(pilot, "y", "escape")
        assert isinstance(app.screen, MainScreen)


async def test_help_lists_every_binding(mini: Path) -> None:
    app = app_on(mini, keys={"deviations": "x"})
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one("#help-table")
        text = str(table.render())  # type: ignore[arg-type]
        body = screen_text(app)
        assert "Keys" in body  # the ids column (config.toml [keys]) shows from 100 columns
        del text
        for spec in KEYS:
            assert spec.id in _help_text(app), spec.id
        assert "x " in _help_text(app)  # the remapped key is what help shows
        await press(pilot, "escape")
        assert isinstance(app.screen, MainScreen)


def _help_text(app: WorkbenchApp) -> str:
    from rich.console import Console

    from screens.main.help import help_table

    assert isinstance(app.screen, HelpScreen)
    console = Console(width=200, record=True, color_system=None)
    console.print(help_table(app.screen.keymap))
    return console.export_text()


async def test_command_palette_has_every_action_of_the_main_screen(mini: Path) -> None:
    app = app_on(mini)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        elsewhere = {"snap_mark", "snap_diff", "snap_export"}  # the snapshots list's own
        for spec in KEYS:
            opens_a_view = spec.id in ("activities", "funding", "bodies")
            inside_a_view = spec.group == "Drill" and not opens_a_view
            if spec.id == "command_palette" or spec.id in elsewhere or inside_a_view:
                assert spec.description not in titles, spec.id
            else:
                assert spec.description in titles, spec.id
        await press(pilot, "ctrl+p")
        await pilot.press(*"Deviations only")
        await pilot.pause(0.3)
        await press(pilot, "enter")
        screen = app.screen
        assert isinstance(screen, MainScreen) and screen.deviations


async def test_keymap_from_config(mini: Path) -> None:
    app = app_on(mini, keys={"quit": "ctrl+q", "deviations": "x", "cursor_down": "down,s"})
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "q")  # no longer quits
        assert app.is_running
        await press(pilot, "x")
        screen = app.screen
        assert isinstance(screen, MainScreen) and screen.deviations
        await press(pilot, "x")
        await press(pilot, "s")
        assert cursor_row(app)["level"] == "plan"
        await press(pilot, "ctrl+q")
    assert app.return_code == 0


async def test_q_quits(mini: Path) -> None:
    app = app_on(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert not app.is_running


async def test_detail_opens_full_screen_when_narrow(mini: Path) -> None:
    app = app_on(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.has_class("-narrow")
        await go_to(pilot, "Ичүүчү суу менен камсыз болгон")
        await press(pilot, "enter")
        detail = app.screen.query_one(DetailPane)
        assert app.focused is detail and app.screen.maximized is detail
        text = screen_text(app)
        assert "INDICATOR" in text and "Year" in text and "Taraz" not in text
        await press(pilot, "escape")
        assert app.screen.maximized is None and app.focused is tree(app)
        await press(pilot, "tab")  # the detail of any row, by Tab
        assert app.focused is detail
        await press(pilot, "h")
        assert app.focused is tree(app)


async def test_wide_screen_shows_both_panes(mini: Path) -> None:
    app = app_on(mini)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert not app.screen.has_class("-narrow")
        await go_to(pilot, "Ичүүчү суу менен камсыз болгон")
        await press(pilot, "enter")
        assert app.screen.maximized is None  # wide enough: no need
        text = screen_text(app)
        assert "Kara-Balta" in text and "INDICATOR" in text


async def test_theme_toggle_and_config_theme(mini: Path) -> None:
    app = app_on(mini, theme="light")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.theme in ("textual-light", "ansi-light")
        await press(pilot, "t")
        assert app.theme in ("textual-dark", "ansi-dark")


async def test_no_color_keeps_the_glyphs(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_on(mini)
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.no_color
        await settle(pilot)
        await go_to(pilot, "Қаланың өнеркәсіптік")
        text = screen_text(app)
        for glyph in ("●", "◐", "✖", "○"):
            assert glyph in text
        svg = app.export_screenshot()
        assert "●" in svg


async def test_document_text_is_shown_literally(tmp_path: Path) -> None:
    tables = mini_tables()
    nasty = {
        "Қаланың өнеркәсіптік әлеуетін арттыру": "[bold]Мақсат[/bold] [link=https://x.kz]сілтеме[/link]",
        "Өнеркәсіп өнімінің нақты индекс көлемі": "Индекс \x1b[31mқызыл\x1b[0m [red]x[/] \x07end",
    }
    tables["nodes"] = tables["nodes"].with_columns(
        pl.col("title").replace(nasty),
    )
    tables["indicators"] = tables["indicators"].with_columns(
        pl.lit("[i]Бөлім[/i] \x1b]8;;http://evil\x1b\\бөлім").alias("responsible")
    )
    folder = write_mini(tmp_path / "plans", tables)
    app = app_on(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await go_to(pilot, "[bold]Мақсат")
        text = screen_text(app)
        assert "[bold]Мақсат[/bold]" in text and "[link=https://x.kz]сілтеме[/link]" in text
        await go_to(pilot, "Индекс")
        text = screen_text(app)
        assert "Индекс қызыл [red]x[/] end" in text
        assert "\x1b" not in text and "\x07" not in text
        assert "[i]Бөлім[/i]" in text and "evil" not in text
        await press(pilot, "slash", *"[bold]")
        screen = app.screen
        assert isinstance(screen, MainScreen) and screen.view is not None
        assert screen.view.count == 1


async def test_a_missing_dataset_says_so(tmp_path: Path) -> None:
    app = app_on(tmp_path / "nowhere")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "Cannot open the dataset" in text and "nowhere" in text
        await press(pilot, "j", "d", "slash", "x", "escape", "y", "w", "n")  # nothing breaks
        assert app.is_running


async def test_entered_facts_win_on_screen(mini: Path) -> None:
    facts = pl.DataFrame(
        {
            "plan_id": [TARAZ],
            "node_id": ["d1/s3.2.1/g3.2.1.1/i2"],
            "year": [2017],
            "value": [101.0],
        }
    )
    app = make_app(config_for(mini), mini, facts=lambda: facts)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        row = await go_to(pilot, "Өсімдік шаруашылығы")
        assert row["status"] == "met"
        text = screen_text(app)
        assert "Fact entered by the analyst" in text and "101*" in text


async def test_keys_in_a_burst_keep_the_cursor(mini: Path) -> None:
    """Keys that arrive together (a terminal sends them in one read) are handled before the
    tree redraws; opening a row and going into it must still land on its first child."""
    app = app_on(mini)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        widget = tree(app)
        await press(pilot, "j")
        widget.action_open()  # expands the plan
        widget.action_open()  # and goes into it, before any redraw
        widget.action_open()  # expands the direction
        widget.action_open()  # into the goal
        await settle(pilot)
        assert cursor_row(app)["kind"] == "goal"
        widget.action_close()  # the goal is not open: up to the direction
        widget.action_close()  # the direction is open: close it
        await settle(pilot)
        assert cursor_row(app)["kind"] == "direction"
        assert app.screen.query_one(DetailPane).idx == cursor_row(app)["idx"]


async def test_a_filter_with_no_match_says_what_to_do(mini: Path) -> None:
    app = app_on(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "slash", *"жоқ", "enter")
        text = screen_text(app)
        assert "/жоқ 0 matches" in text
        assert "No title or code with “жоқ”" in text and "/ changes the filter" in text


def test_sixteen_colour_terminals_get_the_ansi_themes() -> None:
    from screens.app import sixteen_colours

    assert sixteen_colours({"TERM": "linux"})
    assert sixteen_colours({"TERM": "xterm-256color", "TEXTUAL_COLOR_SYSTEM": "standard"})
    assert not sixteen_colours({"TERM": "xterm-256color"})
    assert not sixteen_colours({"TERM": "xterm", "COLORTERM": "truecolor"})
