"""Nodes and plans named for a person (issue 18): ``--node`` takes the printed code or the start
of a title, the undo message and ``annotations`` name a node by its city, code and title (ids
kept for scripts), and a plan's period reads as the document gives it."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from workbench.analysis.labels import describe_node, node_labels, period_text, plan_label
from workbench.analysis.node_refs import AmbiguousNode, resolve_node
from workbench.cli import main
from workbench.dataset import parquet_folder
from workbench.errors import ValidationError
from workbench.workspace import store

DATA = Path(__file__).resolve().parent.parent / "data" / "plans"
ZHEZ = "zhezkazgan-plan-2026-2030"
TARAZ = "taraz-report-2016-2020-r2017"
TNUI6 = "d3-bagyt/tnui-6"  # printed "НҰИ –6"
GOAL = "d_1/s3.2.1/g3.2.1.1"  # 3.2.1.1 Қаланың өнеркәсіптік әлеуетін арттыру
INDEX = "d_1/s3.2.1/g3.2.1.1/i1"  # 1 Өнеркәсіп өнімінің нақты индекс көлемі


@pytest.fixture(scope="module")
def tables() -> dict[str, pl.DataFrame]:
    return parquet_folder.read(DATA)


@pytest.mark.parametrize(
    ("plan", "reference", "node"),
    [
        (ZHEZ, TNUI6, TNUI6),  # an id is an id
        (ZHEZ, "НҰИ-6", TNUI6),  # as the screen shows it, with any dash and spacing
        (ZHEZ, "нұи – 6", TNUI6),
        (TARAZ, "3.2.1.1", GOAL),
        (TARAZ, "3.2.1.1.", GOAL),
        (TARAZ, "ҚАЛАНЫҢ ӨНЕРКӘСІПТІК", GOAL),  # a title's start, any case
        (TARAZ, "  өнеркәсіп өнімінің нақты  ", INDEX),
    ],
)
def test_a_node_is_named_by_id_code_or_title_start(
    tables: dict[str, pl.DataFrame], plan: str, reference: str, node: str
) -> None:
    assert resolve_node(tables, plan, reference) == node


def test_an_ambiguous_code_lists_the_candidates(tables: dict[str, pl.DataFrame]) -> None:
    with pytest.raises(AmbiguousNode) as caught:
        resolve_node(tables, ZHEZ, "1.1")
    message = str(caught.value)
    assert "\n" not in message
    assert "is the code of 8 nodes" in message
    assert "d3-bagyt/g_1/k1-mindet/i1.1-korsetkish (1.1 көрсеткіш, Балалар арасында" in message
    with pytest.raises(AmbiguousNode, match="title start of"):
        resolve_node(tables, TARAZ, "Қала")
    with pytest.raises(ValidationError, match="has no node 'nope' \\(by id, printed code"):
        resolve_node(tables, TARAZ, "nope")


def run(capsys: pytest.CaptureFixture[str], ws: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--data", str(DATA), "--workspace", str(ws), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_annotate_fact_and_annotations_take_the_printed_code(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ws = tmp_path / "ws.sqlite3"
    code, out, err = run(capsys, ws, "annotate", "--plan", ZHEZ, "--node", "НҰИ-6", "--text", "a")
    assert (code, err) == (0, "")
    assert f"{ZHEZ}/{TNUI6}" in out
    code, out, err = run(
        capsys, ws, "fact", "--plan", TARAZ, "--node", "Өнеркәсіп өнімінің", "--year", "2017",
        "--value", "101",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert f"{TARAZ}/{INDEX} 2017" in out
    code, out, err = run(capsys, ws, "annotate", "--plan", ZHEZ, "--node", "1.1", "--text", "b")
    assert code == 1 and "is the code of 8 nodes" in err
    code, out, _ = run(capsys, ws, "annotations", "--plan", ZHEZ, "--node", "НҰИ-6")
    assert out.startswith("#1 Zhezkazgan · НҰИ –6 Халықтың туылған кездегі")
    assert out.endswith(f"\t{ZHEZ}/{TNUI6}\n")


def test_undo_names_the_node_for_a_person_and_keeps_its_ids(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ws = tmp_path / "ws.sqlite3"
    run(capsys, ws, "annotate", "--plan", ZHEZ, "--node", TNUI6, "--year", "2026", "--text", "a")
    code, out, _ = run(capsys, ws, "undo")
    assert code == 0
    assert out == (
        "undone: annotation #1 on Zhezkazgan · НҰИ –6 Халықтың туылған кездегі күтілетін өмір "
        f"сүру ұзақтығы 2026 (id {ZHEZ}/{TNUI6})\n"
    )


def test_undo_of_a_mark_knows_what_it_was_on(
    tmp_path: Path, tables: dict[str, pl.DataFrame]
) -> None:
    tash = "tash-kumyr-programme-2026"
    with store.open_workspace(tmp_path / "ws.sqlite3", dataset=tables) as ws:
        ws.mark_reported(tash, "s_1/k1/a_1", "01.09.2026")
        undone = ws.undo()
    assert undone is not None and undone.target == (tash, "s_1/k1/a_1", None)


def test_describe_node(tables: dict[str, pl.DataFrame]) -> None:
    assert describe_node(tables, TARAZ, GOAL) == (
        "Taraz · 3.2.1.1 Қаланың өнеркәсіптік әлеуетін арттыру"
    )
    assert describe_node(tables, TARAZ, "nope") == f"{TARAZ}/nope"
    labels = node_labels(tables, [(ZHEZ, TNUI6), (ZHEZ, TNUI6)])
    assert list(labels) == [(ZHEZ, TNUI6)]
    assert labels[(ZHEZ, TNUI6)].text(width=10) == "Zhezkazgan · НҰИ –6 Халықтың…"


@pytest.mark.parametrize(
    ("plan", "period", "label"),
    [
        ({"kind": "plan", "period_start": 2026, "period_end": 2030}, "2026–2030", "plan 2026–2030"),
        ({"kind": "programme", "period_start": 2026, "period_end": 2026}, "2026", "programme 2026"),
        (
            {"kind": "report", "period_start": 2016, "period_end": 2020, "report_year": 2017},
            "2017 of 2016–2020",
            "report 2017 of 2016–2020",
        ),
        (
            {"kind": "report", "period_start": 2017, "period_end": 2017, "report_year": 2017},
            "2017",
            "report 2017",
        ),
    ],
)
def test_a_period_reads_as_the_document_gives_it(
    plan: dict[str, object], period: str, label: str
) -> None:
    assert period_text(plan) == period
    assert plan_label(plan) == label


def test_plans_and_report_headings_show_the_whole_period(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["plans", str(DATA)]) == 0
    out = capsys.readouterr().out
    assert "Zhezkazgan (Жезқазған, KZ), plan 2026–2030;" in out
    assert "Tash-Kumyr (Таш-Көмүр, KG), programme 2026;" in out
    assert "Taraz (Тараз, KZ), report 2017 of 2016–2020;" in out
    assert main(["report", "--data", str(DATA), "--city", "Zhezkazgan"]) == 0
    assert "  plan 2026–2030: Жезқазған қаласының" in capsys.readouterr().out
    assert main(["report", "--data", str(DATA), "--format", "markdown", "--city", "Taraz"]) == 0
    assert "## Taraz, report 2017 of 2016–2020: " in capsys.readouterr().out


def test_annotations_as_csv_and_json_keep_ids_and_name_the_node(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import csv
    import io
    import json

    ws = tmp_path / "ws.sqlite3"
    run(capsys, ws, "annotate", "--plan", ZHEZ, "--node", TNUI6, "--year", "2026", "--text", "=1+2")
    code, out, err = run(capsys, ws, "annotations", "--format", "csv")
    assert (code, err) == (0, "")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 1
    row = rows[0]
    assert (row["plan_id"], row["node_id"], row["year"]) == (ZHEZ, TNUI6, "2026")
    assert row["city"] == "Zhezkazgan" and row["code"] == "НҰИ –6"
    assert row["title"].startswith("Халықтың туылған кездегі")
    assert row["text"] == "'=1+2"  # a formula, neutralised for a spreadsheet
    code, out, _ = run(capsys, ws, "annotations", "--format", "json")
    records = json.loads(out)
    assert records[0]["text"] == "=1+2" and records[0]["node_id"] == TNUI6
    code, out, _ = run(capsys, ws, "annotations", "--format", "csv", "--history")
    assert [r["version"] for r in csv.DictReader(io.StringIO(out))] == ["1"]
