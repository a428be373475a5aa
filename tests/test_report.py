"""``workbench report``: the screen's statuses and roll-ups as text, Markdown, CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from minidata import KARABALTA, TARAZ, mini_tables, write_mini

from workbench.analysis.reporting import CSV_COLUMNS
from workbench.cli import main

pytestmark = pytest.mark.usefixtures("isolated")


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_mini(tmp_path_factory.mktemp("report") / "plans")


def report(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["report", *args]) == 0
    return capsys.readouterr().out


def test_csv_has_one_row_per_indicator_and_year(
    mini: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = report(capsys, "--data", str(mini), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert tuple(rows[0]) == CSV_COLUMNS
    required = {"plan_id", "node_id", "code", "title", "unit", "year", "plan", "fact", "status"}
    assert required | {"claim_mismatch"} <= set(rows[0])
    assert len(rows) == 15  # 9 Taraz indicators × 2017, Kara-Balta 5 + 1 years
    by_key = {(r["node_id"], r["year"]): r for r in rows if r["plan_id"] == TARAZ}
    four = by_key[("d1/s3.2.1/g3.2.1.1/i4", "2017")]
    assert (four["plan"], four["fact"], four["status"]) == ("300.0", "420.0", "off_track")
    assert four["polarity"] == "decrease" and four["unit"] == "бірлік"
    assert by_key[("d1/s3.2.1/g3.2.1.1/i2", "2017")]["claim_mismatch"] == "true"
    assert by_key[("d1/s3.2.1/g3.2.1.1/i6", "2017")]["status"] == "no_data"
    assert {r["status"] for r in rows} <= {"met", "at_risk", "off_track", "no_data"}


def test_csv_for_one_year(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = report(capsys, "--data", str(mini), "--format", "csv", "--year", "2023")
    frame = pl.read_csv(io.StringIO(out))
    assert frame.get_column("year").unique().to_list() == [2023]
    # Only Kara-Balta has values for 2023; Taraz's indicators are listed too, as no data.
    with_values = frame.filter(pl.col("plan").is_not_null() | pl.col("fact").is_not_null())
    assert with_values.get_column("plan_id").unique().to_list() == [KARABALTA]
    taraz = frame.filter(pl.col("plan_id") == TARAZ)
    assert taraz.height and taraz.get_column("status").unique().to_list() == ["no_data"]


@pytest.mark.parametrize("city", ["Taraz", "taraz", "Тараз", "ТАРАЗ"])
def test_city_by_latin_or_native_name(
    mini: Path, capsys: pytest.CaptureFixture[str], city: str
) -> None:
    out = report(capsys, "--data", str(mini), "--city", city, "--format", "csv")
    plans = {row["plan_id"] for row in csv.DictReader(io.StringIO(out))}
    assert plans == {TARAZ}


def test_plan_and_unknown_names(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = report(capsys, "--data", str(mini), "--plan", KARABALTA, "--format", "json")
    payload = json.loads(out)
    assert {row["plan_id"] for row in payload["indicators"]} == {KARABALTA}
    assert main(["report", "--data", str(mini), "--city", "Almaty"]) == 1
    err = capsys.readouterr().err
    assert "no city 'Almaty'" in err and "Taraz (Тараз)" in err
    assert main(["report", "--data", str(mini), "--plan", "nope"]) == 1
    assert "no plan 'nope'" in capsys.readouterr().err


def test_json_has_rollups_and_statuses(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    payload = json.loads(report(capsys, "--data", str(mini), "--format", "json"))
    assert payload["year"] is None and payload["thresholds"] == {"met": 1.0, "amber": 0.9}
    goal = next(r for r in payload["rollup"] if r["node_id"] == "d1/s3.2.1/g3.2.1.1")
    assert (goal["met"], goal["at_risk"], goal["off_track"], goal["no_data"]) == (4, 2, 2, 1)
    assert goal["share_met"] == 0.5 and goal["claim_mismatch"] == 2
    city = next(r for r in payload["rollup"] if r["level"] == "city" and r["city"] == "Taraz")
    assert city["total"] == 9


def test_text_and_markdown(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = report(capsys, "--data", str(mini))
    assert "\x1b[" not in text  # not a terminal: plain text
    assert "Taraz (Тараз) — ● 4  ◐ 2  ✖ 2  ○ 1 · 50,0% met · 2 claim(s) disagree" in text
    assert (
        "✖ 4 Жол-көлік оқиғаларын азайту  2017: plan 300, fact 420 · r = 71,4% · off track" in text
    )
    assert "! claim disagrees" in text
    markdown = report(capsys, "--data", str(mini), "--format", "markdown", "--city", "Тараз")
    assert markdown.startswith("# Plan Workbench report")
    assert (
        "| ✖ | 4 | Жол-көлік оқиғаларын азайту | 2017 | 300 | – | 420 | – | – | 71,4% | off track |"
        in markdown
    )


def test_thresholds_come_from_config(
    mini: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[status]\namber = 0.7\n", encoding="utf-8")
    assert main(["--config", str(config), "report", "--data", str(mini), "--format", "csv"]) == 0
    out = capsys.readouterr().out
    rows = {r["node_id"]: r for r in csv.DictReader(io.StringIO(out)) if r["plan_id"] == TARAZ}
    assert rows["d1/s3.2.1/g3.2.1.1/i4"]["status"] == "at_risk"  # r = 0.71 ≥ 0.7


def test_document_text_cannot_drive_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tables = mini_tables()
    tables["nodes"] = tables["nodes"].with_columns(
        pl.col("title").str.replace("Инвестициялар көлемі", "Инвест\x1b[2J\x1b]0;pwned\x07 [bold]x")
    )
    folder = write_mini(tmp_path / "plans", tables)
    text = report(capsys, "--data", str(folder))
    assert "Инвест [bold]x" in text and "\x1b" not in text and "\x07" not in text
    markdown = report(capsys, "--data", str(folder), "--format", "markdown")
    assert "\x1b" not in markdown


def test_report_as_a_pipe_has_no_colour(mini: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "workbench.cli", "report", "--data", str(mini)],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "XDG_DATA_HOME": str(tmp_path), "LANG": "C.UTF-8"},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout and "Taraz (Тараз)" in done.stdout
    assert "textual" not in done.stderr
