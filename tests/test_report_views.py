"""``workbench report --view activities|funding`` on the bundled data, and the analyst's
"reported" marks in the workspace (schema version 2)."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from workbench.analysis.activities import ActivityFilter, ActivityIndex, activities_view
from workbench.cli import main
from workbench.dataset import parquet_folder
from workbench.errors import ValidationError
from workbench.workspace import store
from workbench.workspace.workspace_file import SCHEMA_VERSION

DATA = Path(__file__).resolve().parent.parent / "data" / "plans"
ZHEZ = "zhezkazgan-plan-2026-2030"
TASH = "tash-kumyr-programme-2026"


pytestmark = pytest.mark.usefixtures("isolated")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[str, str]:
    assert main(["report", "--data", str(DATA), *args]) == 0
    captured = capsys.readouterr()
    return captured.out, captured.err


def test_zhezkazgan_funding_csv_is_the_resources_section_by_year(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out, err = run(capsys, "--view", "funding", "--format", "csv", "--city", "Zhezkazgan")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["plan_id"] for r in rows} == {ZHEZ}
    # The document's "БАРЛЫҚ каржы ресурстары" line, million tenge, 2024 fact … 2030 plan.
    printed = {
        (r["year"], r["kind"]): r["amount_in_unit"]
        for r in rows
        if r["row_type"] == "total" and r["node_id"] == ""
    }
    assert printed == {
        ("", "plan"): "184716.0",  # the passport: 184\u202f716 млн теңге for 2026-2030
        ("2024", "fact"): "46355.2",
        ("2025", "plan"): "34701.5",
        ("2026", "plan"): "78935.3",
        ("2027", "plan"): "60593.8",
        ("2028", "plan"): "30927.7",
        ("2029", "plan"): "14134.0",
        ("2030", "plan"): "125.2",
    }
    # The three "Қаржы ресурстары" lines with figures, and their sum per year.
    items = [r for r in rows if r["row_type"] == "item"]
    by_year: dict[str, float] = {}
    for r in items:
        by_year[r["year"]] = by_year.get(r["year"], 0.0) + float(r["amount_in_unit"])
    computed = {r["year"]: r["amount_in_unit"] for r in rows if r["row_type"] == "computed_total"}
    assert computed == {
        "2024": "46331.1",
        "2025": "34671.2",
        "2026": "78905.0",
        "2027": "60563.5",
        "2028": "30897.4",
        "2029": "14103.5",
        "2030": "94.6",
    }
    assert {y: round(v, 1) for y, v in by_year.items()} == {
        y: float(v) for y, v in computed.items()
    }
    assert {r["amount_unit"] for r in rows} == {"million KZT"}
    # The document's own totals do not add up (46 240,2 + 60,0 + 30,9 = 46 331,1, printed
    # 46 355,2): every year is a warning on stderr, never in the CSV.
    assert err.count("warning: ") == 7
    assert "printed total 46\u202f355,2 млн теңге but its 3 parts add up to 46\u202f331,1" in err


def test_activities_report_as_of_and_filters(capsys: pytest.CaptureFixture[str]) -> None:
    args = ("--view", "activities", "--format", "csv", "--plan", TASH)
    before, _ = run(capsys, *args, "--as-of", "2026-06-30")
    after, _ = run(capsys, *args, "--as-of", "2026-10-15")
    first = {r["node_id"]: r for r in csv.DictReader(io.StringIO(before))}
    later = {r["node_id"]: r for r in csv.DictReader(io.StringIO(after))}
    assert first["s_1/k1/a_1"]["due_status"] == "not_due"
    assert later["s_1/k1/a_1"]["due_status"] == "overdue"
    assert later["s_1/k1/a_1"]["as_of"] == "2026-10-15"
    overdue, _ = run(capsys, *args, "--as-of", "2026-10-15", "--status", "overdue")
    assert len(list(csv.DictReader(io.StringIO(overdue)))) == 9
    q3, _ = run(capsys, *args, "--quarter", "2026-Q3")
    assert len(list(csv.DictReader(io.StringIO(q3)))) == 6


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_activities_and_funding_in_every_format(
    capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    acts, _ = run(capsys, "--view", "activities", "--format", fmt, "--city", "Kara-Balta")
    money, _ = run(capsys, "--view", "funding", "--format", fmt, "--plan", "taraz-grants-2026-2027")
    if fmt == "json":
        assert json.loads(acts)["view"] == "activities" and json.loads(acts)["rows"]
        assert json.loads(money)["warnings"] == []
    else:
        assert "Activities as of" in acts
        assert "58\u202f000" in money  # the grants' total, computed and printed


def test_bad_as_of_is_one_clean_line(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["report", "--data", str(DATA), "--view", "activities", "--as-of", "May"])
    assert code != 0
    assert "Traceback" not in capsys.readouterr().err


def test_marks_survive_a_migration_from_version_1(tmp_path: Path) -> None:
    path = tmp_path / "ws.sqlite3"
    tables = parquet_folder.read(DATA)
    with store.open_workspace(path, dataset=tables) as ws:
        ws.annotate(TASH, "s_1/k1/a_1", None, "waiting for the investor")
    # Make it a version-1 workspace again, as an older workbench left it.
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE activity_marks")
    conn.execute("DROP TABLE polarities")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with store.open_workspace(path, dataset=tables) as ws:
        assert len(ws.annotations()) == 1
        mark = ws.mark_reported(TASH, "s_1/k1/a_1", "2026-09-20")
        assert mark.reported_on == date(2026, 9, 20)
        with pytest.raises(ValidationError, match="only activities and grants"):
            ws.mark_reported(ZHEZ, "d_1", "2026-09-20")
        with pytest.raises(ValidationError, match="not a date"):
            ws.mark_reported(TASH, "s_1/k1/a_2", "20 Sept 2026")
        marks = ws.marks_frame()
        assert ws.undo() is not None
        assert ws.marks() == []
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
    conn.close()
    index = ActivityIndex.build(tables).with_marks(marks)
    view = activities_view(index, plan_id=TASH, filters=ActivityFilter(as_of=date(2026, 10, 15)))
    assert view.counts["reported"] == 1 and view.counts["overdue"] == 8
    assert marks.schema == pl.Schema(
        {"plan_id": pl.String, "node_id": pl.String, "reported_on": pl.Date}
    )
