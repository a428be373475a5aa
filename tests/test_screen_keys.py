"""Keys and screens (issue 18 section 3), driven by keys at 80×24 on the small dataset."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from minidata import write_mini
from screen_helpers import config_for, cursor_row, go_to, press, said, screen_text, settle, tree
from textual.widgets import Input

from screens.app import WorkbenchApp, make_app
from screens.forms.fact import FactForm
from screens.main.help import HelpScreen
from screens.main.screen import MainScreen

ROADS = "Жол-көлік оқиғаларын азайту"  # Taraz: off track
WATER = "Ичүүчү суу менен камсыз болгон"  # Kara-Balta: plan 65 (2023), 70 (2024), 75 (2025)


pytestmark = pytest.mark.usefixtures("isolated")


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_mini(tmp_path_factory.mktemp("mini-keys") / "plans")


def app_with(mini: Path, tmp_path: Path) -> WorkbenchApp:
    return make_app(config_for(mini), mini, workspace=tmp_path / "ws.sqlite3")


async def test_fact_form_heading_follows_the_year_typed(mini: Path, tmp_path: Path) -> None:
    app = app_with(mini, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go_to(pilot, WATER)
        await press(pilot, "f")
        assert isinstance(app.screen, FactForm)
        year = app.screen.query_one("#fact-year", Input)
        year.value = "2023"
        await pilot.pause()
        assert "Now: plan 65" in screen_text(app) and "year 2023" in screen_text(app)
        year.value = "2024"
        await pilot.pause()
        text = screen_text(app)
        assert "Now: plan 70" in text and "year 2024" in text
        assert "plan 65" not in text and "year 2023" not in text
        year.value = "20"  # half typed: no year's plan is claimed
        await pilot.pause()
        assert "Now: plan" not in screen_text(app)


def opened(app: WorkbenchApp) -> set[str]:
    """The titles of the expanded rows of the tree."""
    widget = tree(app)
    assert widget.catalog is not None
    found: set[str] = set()
    stack = list(widget.root.children)
    while stack:
        node = stack.pop()
        if node.is_expanded and node.data is not None:
            found.add(str(widget.catalog.row(node.data)["title"]))
            stack.extend(node.children)
    return found


async def test_clearing_the_filter_keeps_the_tree_open(mini: Path, tmp_path: Path) -> None:
    app = app_with(mini, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go_to(pilot, WATER)
        await go_to(pilot, ROADS)
        before = opened(app)
        assert "Калкты таза ичүүчү суу менен камсыз кылуу" in before
        await press(pilot, "slash", *"Жол", "escape")  # Esc in the filter line drops it
        assert isinstance(app.screen, MainScreen) and not app.screen.query_text
        assert opened(app) >= before
        assert ROADS in str(cursor_row(app)["title"])


async def test_saving_in_deviations_mode_keeps_the_other_branches(
    mini: Path, tmp_path: Path
) -> None:
    app = app_with(mini, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "d")
        await go_to(pilot, WATER)
        await go_to(pilot, ROADS)
        before = opened(app)
        assert "Калкты таза ичүүчү суу менен камсыз кылуу" in before
        await press(pilot, "a")
        app.screen.query_one("#ann-text", Input).value = "Жол салу кешіккен"
        await pilot.pause()
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert opened(app) >= before
        assert ROADS in str(cursor_row(app)["title"])


async def test_the_export_dialog_keeps_the_typed_path_after_an_error(
    mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workbench.errors import WorkspaceError
    from workbench.snapshots import export

    def refused(*args: Any, **kwargs: Any) -> list[Path]:
        raise WorkspaceError("cannot write there")

    monkeypatch.setattr(export, "export", refused)
    typed = str(tmp_path / "elsewhere" / "mine.csv")
    app = app_with(mini, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "s", "enter")  # a snapshot to export
        await press(pilot, "S", "E")
        app.screen.query_one("#prompt-input", Input).value = typed
        await press(pilot, "enter")
        await settle(pilot)
        assert "cannot write there" in screen_text(app)
        await press(pilot, "E")
        assert app.screen.query_one("#prompt-input", Input).value == typed


async def test_quit_asks_first_when_a_form_holds_unsaved_text(mini: Path, tmp_path: Path) -> None:
    """In a form q is typed or ignored (the form is modal); Ctrl+Q, which quits from anywhere,
    asks first."""
    key = "ctrl+q"
    app = app_with(mini, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go_to(pilot, WATER)
        await press(pilot, "f")
        form = app.screen
        assert isinstance(form, FactForm)
        form.query_one("#fact-value", Input).value = "66,5"
        form.query_one("#form-cancel").focus()
        await press(pilot, "q")
        assert app.is_running and app.return_code is None
        await press(pilot, key)
        assert app.is_running and app.screen is form
        assert any("unsaved" in each.message for each in said(app))
        await press(pilot, key)
        await pilot.pause()
        assert app.return_code == 0


async def test_quit_with_an_untouched_form_quits_at_once(mini: Path, tmp_path: Path) -> None:
    app = app_with(mini, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go_to(pilot, WATER)
        await press(pilot, "f")
        await press(pilot, "ctrl+q")
        await pilot.pause()
        assert app.return_code == 0


async def test_the_body_picker_counts_in_the_singular_and_searches_as_typed() -> None:
    from screen_helpers import app_on

    from screens.widgets.pickers import PickerScreen

    app = app_on(Path(__file__).resolve().parent.parent / "data" / "plans")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "B")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        labels = [label for _, label in picker.entries]
        assert not any(" 1 activities" in label or " 1 indicators" in label for label in labels)
        assert any("1 activity," in label for label in labels)
        wanted_id, wanted = picker.entries[-1]
        name = wanted.split(" · ")[0]
        await press(pilot, *name)
        options = picker.query_one("OptionList")
        assert 0 < options.option_count < len(labels)  # type: ignore[attr-defined]
        await press(pilot, "enter")
        await settle(pilot)
        assert getattr(app.screen, "code", None) == wanted_id
        assert name[:30] in screen_text(app)  # the body by its name, not its code


async def test_the_palette_offers_only_what_works_where_you_are(mini: Path, tmp_path: Path) -> None:
    app = app_with(mini, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Annotate the row (its year)" in titles and "The keys of this screen" in titles
        assert "Snapshots: export (.toml or .csv)" not in titles
        assert "Funding: plan or fact amounts" not in titles
        await press(pilot, "s", "enter")  # a snapshot, so the list opens
        await press(pilot, "S")
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Snapshots: export (.toml or .csv)" in titles
        assert "Annotate the row (its year)" not in titles


async def test_each_footer_shows_the_screens_most_used_keys_at_80_columns() -> None:
    from screen_helpers import app_on

    app = app_on(Path(__file__).resolve().parent.parent / "data" / "plans")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        footer = screen_text(app).splitlines()[-1]
        for key in ("a note", "f fact", "s snap", "S snaps", "B bodies", "e unexpl", "? help"):
            assert key in footer, (key, footer)
        await go_to(pilot, "Таш-Көмүр шаардык мэриясынын")
        await press(pilot, "A")
        await settle(pilot)
        footer = screen_text(app).splitlines()[-1]
        assert "r reported" in footer and "? help" in footer, footer
        await press(pilot, "escape")
        await settle(pilot)
        await press(pilot, "F")
        await settle(pilot)
        footer = screen_text(app).splitlines()[-1]
        assert "v plan/fact" in footer and "p plan/city" in footer, footer


async def test_help_lists_the_keys_of_the_screen_it_helps_and_fits_80_columns() -> None:
    from screen_helpers import app_on

    app = app_on(Path(__file__).resolve().parent.parent / "data" / "plans")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "question_mark")
        helps = app.screen
        assert isinstance(helps, HelpScreen) and helps.only is not None
        assert {"annotate", "enter_fact", "deviations", "help"} <= set(helps.only)
        assert not {"fund_kind", "snap_export", "act_mark"} & set(helps.only)
        await press(pilot, "escape")
        await go_to(pilot, "Таш-Көмүр шаардык мэриясынын")
        await press(pilot, "F")
        await settle(pilot)
        await press(pilot, "question_mark")
        text = screen_text(app)
        assert "Funding: this plan or the whole city" in text  # whole, on one line
        assert "Funding: plan or fact amounts" in text
        assert "Annotate the row" not in text and "Deviations only" not in text


@pytest.mark.parametrize("no_color", [False, True])
async def test_tree_guides_read_in_a_16_colour_terminal(
    mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_color: bool
) -> None:
    monkeypatch.delenv("COLORTERM", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    app = app_with(mini, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.theme.startswith("ansi")
        for part in ("tree--guides", "tree--guides-hover"):
            style = tree(app).get_component_rich_style(part)
            assert style.color is None or style.color.is_default, (part, style)  # not black
            assert style.dim


async def test_the_as_of_date_and_funding_scope_are_kept_for_the_session() -> None:
    from screen_helpers import app_on

    tash = "Таш-Көмүр шаардык мэриясынын"
    app = app_on(Path(__file__).resolve().parent.parent / "data" / "plans")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go_to(pilot, tash)
        await press(pilot, "A")
        await settle(pilot)
        await press(pilot, "D")
        app.screen.query_one("#date-input", Input).value = "2026-03-15"
        await press(pilot, "enter")
        await settle(pilot)
        assert "as of 2026-03-15" in screen_text(app)
        await press(pilot, "escape")
        await settle(pilot)
        await press(pilot, "A")
        await settle(pilot)
        assert "as of 2026-03-15" in screen_text(app)  # not today again
        await press(pilot, "escape")
        await settle(pilot)
        await press(pilot, "F")
        await settle(pilot)
        await press(pilot, "p", "v")
        await settle(pilot)
        top = screen_text(app).splitlines()[0]
        assert "every plan" in top, top
        await press(pilot, "escape")
        await settle(pilot)
        await press(pilot, "F")
        await settle(pilot)
        screen = app.screen
        assert screen.whole_city and screen.kind == "fact"  # type: ignore[attr-defined]
        assert "every plan" in screen_text(app).splitlines()[0]


async def test_stepping_through_matches_says_which_of_how_many(mini: Path, tmp_path: Path) -> None:
    app = app_with(mini, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "d")
        screen = app.screen
        assert isinstance(screen, MainScreen) and screen.view is not None
        total = screen.view.count
        assert total >= 3
        await press(pilot, "home", "n")
        first = screen_text(app).splitlines()[0]
        await press(pilot, "n")
        top = screen_text(app).splitlines()[0]
        assert f"of {total}" in first and f"of {total}" in top, (first, top)
        number = int(top.split(" of ")[0].rsplit(" ", 1)[1])
        assert number == int(first.split(" of ")[0].rsplit(" ", 1)[1]) + 1
        await press(pilot, "N")
        assert screen_text(app).splitlines()[0] == first
