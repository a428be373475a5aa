"""The indicator report hides nothing and calls each value what it is (issue 18): every indicator
is listed, one without values as "no data"; a target is called a target; achievement has the
screen's one decimal."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import polars as pl
import pytest

from workbench.cli import main
from workbench.dataset import parquet_folder

DATA = Path(__file__).resolve().parent.parent / "data" / "plans"
KARA = "kara-balta-programme-2023-2026"
ZHEZ = "zhezkazgan-plan-2026-2030"
NO_VALUES = "d3/s3.6/g1/i1"  # Kara-Balta's irrigation indicator: its parts have the values
TARGET_ONLY = "d3/s3.2/g_1/i_1"  # a 2026 target of 10 and no plan


pytestmark = pytest.mark.usefixtures("isolated")


def report(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["report", "--data", str(DATA), *args]) == 0
    return capsys.readouterr().out


def test_the_csv_lists_every_indicator_of_the_dataset(capsys: pytest.CaptureFixture[str]) -> None:
    rows = list(csv.DictReader(io.StringIO(report(capsys, "--format", "csv"))))
    listed = {(r["plan_id"], r["node_id"]) for r in rows}
    tables = parquet_folder.read(DATA)
    described = set(tables["indicators"].select("plan_id", "node_id").iter_rows())
    nodes = tables["nodes"].filter(pl.col("kind").is_in(["indicator", "target"]))
    assert listed == described | set(nodes.select("plan_id", "node_id").iter_rows())
    # Zhezkazgan's НИ–3, a target the document lists without unit or values, is one of them.
    assert (ZHEZ, "d3-bagyt/g_3/tni-3") in listed - described
    empty = [r for r in rows if (r["plan_id"], r["node_id"]) == (KARA, NO_VALUES)]
    assert len(empty) == 1
    assert empty[0]["status"] == "no_data" and empty[0]["year"] == ""
    assert empty[0]["city"] == "Kara-Balta"


def test_with_a_year_an_indicator_without_that_year_is_listed_as_no_data(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = report(capsys, "--format", "csv", "--city", "Kara-Balta", "--year", "2024")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 10  # the plan's ten indicators, as its roll-up counts them
    missing = [r for r in rows if r["node_id"] in (NO_VALUES, TARGET_ONLY)]
    assert [(r["year"], r["status"]) for r in missing] == [("2024", "no_data")] * 2


def test_json_indicators_agree_with_the_rollup_counts(capsys: pytest.CaptureFixture[str]) -> None:
    payload = json.loads(report(capsys, "--format", "json"))
    for plan in payload["rollup"]:
        if plan["level"] != "plan":
            continue
        listed = {r["node_id"] for r in payload["indicators"] if r["plan_id"] == plan["plan_id"]}
        assert len(listed) == plan["total"], plan["plan_id"]
    totals = {p["plan_id"]: p["total"] for p in payload["rollup"] if p["level"] == "plan"}
    assert totals[ZHEZ] == 61  # 38 indicators and 23 targets, НИ–3 among them


def test_text_calls_a_target_a_target_and_shows_achievement_with_a_decimal(
    capsys: pytest.CaptureFixture[str],
) -> None:
    kara = report(capsys, "--city", "Kara-Balta")
    line = next(x for x in kara.splitlines() if "Асфальт-бетон жабуунун" in x)
    assert "2026: target 10, fact – · no data" in line
    assert "plan 10" not in line
    taraz = report(capsys, "--city", "Taraz")
    line = next(x for x in taraz.splitlines() if "Өнеркәсіп өнімінің нақты индекс көлемі" in x)
    assert "2017: plan 100,6, fact 103,8 · r = 103,2% · met" in line
    assert "93,7% met" in taraz  # the share met, as the screen shows it


def test_markdown_has_a_column_per_kind(capsys: pytest.CaptureFixture[str]) -> None:
    out = report(capsys, "--city", "Kara-Balta", "--format", "markdown")
    header = next(x for x in out.splitlines() if x.startswith("| | code"))
    cells = [c.strip() for c in header.strip("|").split("|")]
    row = next(x for x in out.splitlines() if "Асфальт-бетон жабуунун" in x)
    values = dict(zip(cells, [c.strip() for c in row.strip("|").split("|")], strict=True))
    assert values["target"] == "10" and values["plan"] == "–" and values["year"] == "2026"
    assert any("| 103,2% |" in x for x in report(capsys, "--format", "markdown").splitlines())


def test_an_entered_fact_is_marked_as_entered(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    workspace = str(tmp_path / "ws.sqlite3")
    node = "d3/s3.2/g4/i4"
    entry = ["fact", "--plan", KARA, "--node", node, "--year", "2026", "--value", "2,4"]
    assert main(["--data", str(DATA), "--workspace", workspace, *entry]) == 0
    capsys.readouterr()
    out = report(capsys, "--city", "Kara-Balta", "--workspace", workspace)
    line = next(x for x in out.splitlines() if "Асфальт-бетон төшөлмөсүнүн" in x)
    assert "fact 2,4 (entered)" in line and "r = 96,0%" in line
    out = report(capsys, "--format", "csv", "--workspace", workspace)
    rows = list(csv.DictReader(io.StringIO(out)))
    sources = [r["fact_source"] for r in rows if r["node_id"] == node and r["year"] == "2026"]
    assert sources == ["entered"]
