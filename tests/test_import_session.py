"""The import view's core (workbench.ingest.import_session), without a screen: corrections move
values, the saved mapping is the one `workbench ingest` applies, an added plan validates."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.dataset import parquet_folder
from workbench.dataset.validation import validate_folder
from workbench.errors import DocumentError, ValidationError
from workbench.ingest.explain import explain, explanation_lines
from workbench.ingest.hints import Hints, load_mapping
from workbench.ingest.import_session import ImportSession

FIXTURE = Path(__file__).parent / "fixtures" / "real" / "kz_zhambyl_oblast_2011_2015_goal_4_3_5.txt"


@pytest.fixture
def document(tmp_path: Path) -> Path:
    path = tmp_path / FIXTURE.name
    shutil.copy(FIXTURE, path)
    return path


def _first_value_column(session: ImportSession) -> tuple[int, int, int | None]:
    assert session.explanation is not None
    for reading in session.explanation.tables:
        for column in reading.layout.values():
            return reading.layout.number, column.index + 1, column.year
    raise AssertionError("no value column")


def test_reading_and_explanation_as_data(document: Path) -> None:
    session = ImportSession.open(document)
    session.reread()
    # The fragment names no city: nothing is read until the analyst says which.
    assert session.summary() is None and session.error is not None and "--city" in session.error
    assert session.explanation is not None and session.explanation.error == session.error
    session.set_city("Taraz")
    session.reread()
    summary = session.summary()
    assert summary is not None and summary.counts["values"] > 0
    assert session.explanation is not None and session.explanation.tables
    # --explain's text is made from the same data.
    assert explanation_lines(session.explanation) == explain(session.source, session.hints)


def test_a_column_made_other_takes_its_values_away(document: Path) -> None:
    session = ImportSession.open(document, city="Taraz")
    session.reread()
    before = session.summary()
    table, column, _ = _first_value_column(session)
    session.set_column(table, column, "other")
    assert session.unsaved
    session.reread()
    after = session.summary()
    assert before is not None and after is not None
    assert after.counts["values"] < before.counts["values"]
    assert "columns" in after.given_by_hand
    session.clear_column(table, column)
    session.reread()
    again = session.summary()
    assert again is not None and again.counts["values"] == before.counts["values"]


def test_a_column_given_another_year_moves_its_values(document: Path) -> None:
    session = ImportSession.open(document, city="Taraz")
    session.reread()
    table, column, _ = _first_value_column(session)
    session.set_column(table, column, "estimate", 1999)
    session.reread()
    assert session.document is not None
    values = session.document.tables["values"]
    assert 1999 in values["year"].to_list()


def test_bad_corrections_are_refused(document: Path) -> None:
    session = ImportSession.open(document)
    with pytest.raises(ValueError, match="unknown role"):
        session.set_column(1, 2, "colour")
    with pytest.raises(ValueError, match="year"):
        session.set_column(1, 2, "estimate", 12)
    with pytest.raises(ValueError, match="period"):
        session.set_period("soon")
    with pytest.raises(ValueError, match="city"):
        session.set_city("  ")
    with pytest.raises(ValueError, match="one line"):
        session.set_city("Taraz\n[b]x")
    assert not session.unsaved


def test_saved_mapping_is_what_ingest_applies(document: Path, tmp_path: Path) -> None:
    session = ImportSession.open(document)
    session.set_city("Taraz")
    session.reread()
    table, column, _ = _first_value_column(session)
    session.set_column(table, column, "other")
    session.set_period("2011-2015")
    path = session.save_mapping()
    assert path == Path(f"{document}.mapping.toml") and not session.unsaved
    assert not list(tmp_path.glob(".*.tmp"))  # the temporary file went into place
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["city"] == "Taraz" and data["period"] == "2011-2015"
    loaded = load_mapping(path, Hints())
    assert loaded.columns == session.hints.columns
    session.reread()
    summary = session.summary()
    assert summary is not None
    out = tmp_path / "plans"
    assert main(["ingest", str(document), "--out", str(out)]) == 0
    plans = parquet_folder.read(out)["plans"]
    assert plans["city"].to_list() == ["Taraz"]
    assert parquet_folder.read(out)["values"].height == summary.counts["values"]


def test_add_writes_a_dataset_that_validates(document: Path, tmp_path: Path) -> None:
    session = ImportSession.open(document, city="Taraz")
    session.reread()
    out = tmp_path / "plans"
    plan_id = session.add_to(out)
    assert validate_folder(out) == []
    tables = parquet_folder.read(out)
    assert tables["plans"]["plan_id"].to_list() == [plan_id]
    # Added again after a correction, the plan replaces itself.
    session.set_period("2011-2015")
    session.reread()
    session.add_to(out)
    assert parquet_folder.read(out)["plans"].height == 1


def test_nothing_to_add_before_reading(document: Path, tmp_path: Path) -> None:
    session = ImportSession.open(document)
    with pytest.raises(ValidationError, match="nothing to add"):
        session.add_to(tmp_path / "plans")


def test_unreadable_file_is_refused_before_any_reading(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(DocumentError, match="empty"):
        ImportSession.open(empty)


def test_a_reading_uses_the_corrections_taken_when_it_started(document: Path) -> None:
    session = ImportSession.open(document, city="Taraz")
    taken = session.hints_now()
    session.set_city("Shymkent")  # made while that reading runs (the view's worker thread)
    session.reread(taken)
    summary = session.summary()
    assert summary is not None and summary.city == "Taraz"
    session.reread()
    summary = session.summary()
    assert summary is not None and summary.city == "Shymkent"
