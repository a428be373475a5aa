"""The import view (`workbench import FILE`) driven with Textual's pilot at 80×24."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList, Static

from screens.importing.app import ImportApp
from screens.importing.dialogs import ChoiceDialog, ConfirmDialog, RoleDialog, TextDialog
from screens.importing.view import ImportView
from screens.main.screen import MainScreen
from tests.screen_helpers import app_on, said, tree
from tests.screen_helpers import settle as screen_settle
from workbench.cli import main
from workbench.dataset import parquet_folder
from workbench.dataset.validation import validate_folder
from workbench.ingest.hints import FAMILY_CHOICES
from workbench.ingest.import_session import ImportSession

FIXTURE = Path(__file__).parent / "fixtures" / "real" / "kz_zhambyl_oblast_2011_2015_goal_4_3_5.txt"
SIZE = (80, 24)


@pytest.fixture
def document(tmp_path: Path) -> Path:
    path = tmp_path / FIXTURE.name
    shutil.copy(FIXTURE, path)
    return path


def app_for(document: Path, tmp_path: Path, city: str | None = "Taraz") -> ImportApp:
    return ImportApp(ImportSession.open(document, city=city), tmp_path / "plans")


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def view(pilot: Pilot[Any]) -> ImportView:
    screen = pilot.app.screen_stack[1]
    assert isinstance(screen, ImportView)
    return screen


def summary_text(pilot: Pilot[Any]) -> str:
    return str(view(pilot).query_one("#summary", Static).render())


def values(pilot: Pilot[Any]) -> int:
    summary = view(pilot).session.summary()
    assert summary is not None
    return summary.counts["values"]


async def to_row(pilot: Pilot[Any], key: str) -> None:
    table = view(pilot).query_one("#columns", DataTable)
    table.move_cursor(row=table.get_row_index(key))
    await pilot.pause()


async def test_a_column_made_other_changes_the_counts(document: Path, tmp_path: Path) -> None:
    app = app_for(document, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = values(pilot)
        assert f"{before} values" in summary_text(pilot)
        await to_row(pilot, "1:9")
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, RoleDialog)
        await pilot.press("end", "enter")  # the last choice: other
        await settle(pilot)
        after = values(pilot)
        assert after < before
        assert f"{after} values" in summary_text(pilot)
        assert "not saved" in summary_text(pilot)
        role = view(pilot).query_one("#columns", DataTable).get_row("1:9")[2]
        assert "other" in str(role)


async def test_a_value_kind_asks_its_year(document: Path, tmp_path: Path) -> None:
    app = app_for(document, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await to_row(pilot, "1:9")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("home", "down", "enter")  # fact
        year = app.screen.query_one("#year", Input)
        assert year.has_focus
        year.value = ""
        await pilot.press(*"19x", "enter")
        assert isinstance(app.screen, RoleDialog)  # refused, with the reason shown
        assert "expected a year" in str(app.screen.query_one("#problem", Static).render())
        year.value = ""
        await pilot.press(*"2016", "enter")
        await settle(pilot)
        document_read = view(pilot).session.document
        assert document_read is not None
        facts = document_read.tables["values"].filter(
            document_read.tables["values"]["year"] == 2016
        )
        assert facts.height > 0


async def test_city_is_asked_then_the_plan_reads(document: Path, tmp_path: Path) -> None:
    app = app_for(document, tmp_path, city=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "not read as a plan" in summary_text(pilot)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, TextDialog)
        await pilot.press("enter")  # empty: refused in the dialog
        assert isinstance(app.screen, TextDialog)
        await pilot.press(*"Taraz", "enter")
        await settle(pilot)
        assert "Taraz, KZ" in summary_text(pilot)
        assert values(pilot) > 0


async def test_add_writes_the_dataset_and_says_where(document: Path, tmp_path: Path) -> None:
    app = app_for(document, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert any(
            str(tmp_path / "plans") in m and "written" in m
            for m in (each.message for each in said(app))
        )
    assert validate_folder(tmp_path / "plans") == []
    assert parquet_folder.read(tmp_path / "plans")["plans"]["city"].to_list() == ["Taraz"]


async def test_saved_mapping_is_applied_by_ingest(document: Path, tmp_path: Path) -> None:
    app = app_for(document, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await to_row(pilot, "1:9")
        await pilot.press("e", "end", "enter")
        await settle(pilot)
        expected = values(pilot)
        await pilot.press("w")
        await pilot.pause()
        assert "not saved" not in summary_text(pilot)
    assert Path(f"{document}.mapping.toml").is_file()
    out = tmp_path / "out"
    assert main(["ingest", str(document), "--out", str(out)]) == 0
    assert parquet_folder.read(out)["values"].height == expected


async def test_quit_with_unsaved_corrections_asks(document: Path, tmp_path: Path) -> None:
    app = app_for(document, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await pilot.pause()
        await pilot.press(*"soon", "enter")
        assert isinstance(app.screen, TextDialog)
        assert "expected a period" in str(app.screen.query_one("#problem", Static).render())
        app.screen.query_one("#text", Input).value = ""
        await pilot.press(*"2011-2015", "enter")
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ImportView) and app.is_running
        await pilot.press("q", "y")
        await pilot.pause()
    assert app.return_code == 0


async def test_quit_without_corrections_does_not_ask(document: Path, tmp_path: Path) -> None:
    app = app_for(document, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_document_text_is_not_markup(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8").replace(
        "Өлшем бірлігі", "[bold red]Өлшем[/] бірлігі"
    )
    path = tmp_path / "markup.txt"
    path.write_text(text, encoding="utf-8")
    app = app_for(path, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # A string cell of a DataTable is read as markup: the header must be shown as typed.
        assert "[bold" in app.export_screenshot()


def test_import_of_an_unreadable_file_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert main(["import", str(empty)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"workbench: {empty}: the file is empty: expected a plan document"]


def shown(app: App[Any]) -> str:
    """The screen as plain text, one line per row."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def warning_lines(pilot: Pilot[Any]) -> str:
    return str(view(pilot).query_one("#warning-lines", Static).render())


async def test_a_missing_city_names_the_key_not_the_flag(document: Path, tmp_path: Path) -> None:
    app = app_for(document, tmp_path, city=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        said = summary_text(pilot) + warning_lines(pilot)
        assert "press c" in said
        assert "--city" not in said and "--city" not in shown(app)


async def test_a_missing_city_is_said_in_the_analysts_language(
    document: Path, tmp_path: Path
) -> None:
    from screens.language import speak

    speak("ru")
    try:
        app = app_for(document, tmp_path, city=None)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            summary = summary_text(pilot)
            assert "нажмите c" in summary and "--city" not in summary
            assert "f Тип" in shown(app)  # the footer's family key
            await pilot.press("c", *"Taraz", "enter")
            await settle(pilot)
            # counted in Russian's plural forms: "7 показателей, 42 значения"
            assert re.search(r"\b7 показателей, \d+ значени[йя]", summary_text(pilot))
    finally:
        speak("en")


async def test_the_family_is_chosen_and_read_again(document: Path, tmp_path: Path) -> None:
    app = app_for(document, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Family" in shown(app)  # in the footer at 80 columns
        before = view(pilot).session.summary()
        assert before is not None and "-report-" not in before.plan_id
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        choices = app.screen.query_one("#choices", OptionList)
        ids = [choices.get_option_at_index(i).id for i in range(choices.option_count)]
        assert ids[1:] == list(FAMILY_CHOICES)  # what `workbench ingest --family` takes
        choices.highlighted = ids.index("report")
        await pilot.press("enter")
        await settle(pilot)
        assert view(pilot).session.hints.family == "report"
        after = view(pilot).session.summary()
        assert after is not None and after.plan_id.startswith("taraz-report-")
        assert after.plan_id in summary_text(pilot)
        await pilot.press("f")
        await pilot.pause()
        await pilot.press("home", "enter")  # as detected
        await settle(pilot)
        assert view(pilot).session.hints.family is None
        again = view(pilot).session.summary()
        assert again is not None and again.plan_id == before.plan_id


FORTY = "\n".join(
    f"{k}\tКөрсеткіш нөмірі {k} туралы деректер\t%\tҰСБ деректері\tбөлім\tжоқ {k}\t1{k},0\t2,0\t3,0"
    for k in range(1, 41)
)


async def test_forty_warnings_are_all_seen_by_scrolling(tmp_path: Path) -> None:
    path = tmp_path / "forty.txt"
    path.write_text(
        "Шымкент қаласын дамытудың 2021-2023 жылдарға арналған бағдарламасы\n\n"
        "Мақсат 1.1: Қала экономикасының бәсекеге қабілеттілігін арттыру\n\n"
        "№\tНысаналы индикаторлар\tӨлшем бірлігі\tАқпарат көзі\tЖауаптылар\t"
        f"2020 жыл (факт)\t2021 жыл\t2022 жыл\t2023 жыл\n{FORTY}\n",
        encoding="utf-8",
    )
    app = app_for(path, tmp_path, city=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "40 warnings" in summary_text(pilot)
        assert "«жоқ 1»" in shown(app)
        assert "«жоқ 40»" not in shown(app)
        await pilot.press("tab")  # the warnings take the keys
        await pilot.pause()
        pane = view(pilot).query_one("#warnings", VerticalScroll)
        assert pane.has_focus
        seen = set()
        for _ in range(30):
            seen.update(re.findall(r"«жоқ (\d+)»", shown(app)))
            await pilot.press("pagedown")
            await pilot.pause()
        assert seen == {str(k) for k in range(1, 41)}
        await pilot.press("home")
        await pilot.pause()
        assert "«жоқ 1»" in shown(app)
        await pilot.press("tab")
        await pilot.pause()
        assert view(pilot).query_one("#columns", DataTable).has_focus


async def test_the_main_screen_imports_a_document_into_the_tree(
    document: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "plans"
    parquet_folder.write(parquet_folder.empty(), folder)
    app = app_on(folder)
    async with app.run_test(size=SIZE) as pilot:
        await screen_settle(pilot)
        empty = tree(app).catalog
        assert empty is not None and not empty.size
        await pilot.press("I")
        await pilot.pause()
        assert isinstance(app.screen, TextDialog)
        await pilot.press(*"/no/such/file.txt", "enter")
        await pilot.pause()
        assert isinstance(app.screen, TextDialog)  # the error under the path, the path kept
        assert "/no/such/file.txt" in str(app.screen.query_one("#problem", Static).render())
        app.screen.query_one("#text", Input).value = str(document)
        await pilot.press("enter")
        await screen_settle(pilot)
        assert isinstance(app.screen, ImportView)
        # the workbench's own styles (its detail pane) leave the view's layout as it is alone
        assert app.screen.query_one("#columns", DataTable).region.height >= 12
        await pilot.press("c")
        await pilot.pause()
        await pilot.press(*"Taraz", "enter")
        await screen_settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("y")
        await screen_settle(pilot)
        await screen_settle(pilot)
        assert isinstance(app.screen, MainScreen)
        catalog = tree(app).catalog
        assert catalog is not None and catalog.size
        assert "Taraz" in shown(app)
    assert parquet_folder.read(folder)["plans"]["city"].to_list() == ["Taraz"]


async def test_leaving_the_import_view_goes_back_to_the_tree(
    document: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "plans"
    parquet_folder.write(parquet_folder.empty(), folder)
    app = app_on(folder)
    async with app.run_test(size=SIZE) as pilot:
        await screen_settle(pilot)
        await pilot.press("I", *str(document), "enter")
        await screen_settle(pilot)
        assert isinstance(app.screen, ImportView)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and app.is_running
