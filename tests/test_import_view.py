"""The import view (`workbench import FILE`) driven with Textual's pilot at 80×24."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from screens.importing.app import ImportApp
from screens.importing.dialogs import ConfirmDialog, RoleDialog, TextDialog
from screens.importing.view import ImportView
from workbench.cli import main
from workbench.dataset import parquet_folder
from workbench.dataset.validation import validate_folder
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
        messages = [str(n.message) for n in app._notifications]
        assert any(str(tmp_path / "plans") in m and "written" in m for m in messages)
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
