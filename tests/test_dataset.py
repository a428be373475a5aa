"""The dataset on disk: builder ids, merge, deterministic writing, and `workbench validate`."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from workbench.cli import main
from workbench.dataset import parquet_folder
from workbench.dataset.contract import SCHEMAS, TABLES
from workbench.dataset.validation import validate_folder
from workbench.ingest import merge, source_from_bytes
from workbench.ingest.document import DocumentBuilder, ParsedDocument, PlanMeta


def tiny_document(city: str = "Тараз", fact: str = "103,8") -> ParsedDocument:
    source = source_from_bytes(f"{city} plan\n".encode(), f"{city}.txt")
    meta = PlanMeta(
        city="Taraz" if city == "Тараз" else "Other",
        city_native=city,
        country="KZ",
        language="kk",
        kind="report",
        title="Тест",
        period_start=2016,
        period_end=2020,
        currency="KZT",
        report_year=2017,
    )
    builder = DocumentBuilder("test", source, meta)
    direction = builder.add_node("direction", "Экономика", line=1)
    goal = builder.add_node("goal", "Мақсат", parent=direction, code="3.2.1.1", line=2)
    indicator = builder.add_node(
        "indicator", "Жұмыссыздық деңгейін төмендету", parent=goal, code="1"
    )
    builder.add_indicator(indicator, unit="%")
    builder.add_value(indicator, year=2017, kind="plan", raw="100,6", value=100.6)
    builder.add_value(
        indicator, year=2017, kind="fact", raw=fact, value=float(fact.replace(",", "."))
    )
    activity = builder.add_node("activity", "Іс-шара", parent=goal)
    builder.add_activity(activity, title="Іс-шара", funding_sources=["local"])
    builder.add_funding(
        node_id=None, year=2017, source="local", kind="plan", amount=1e6, amount_raw="1 000"
    )
    return builder.build()


def test_builder_gives_stable_readable_ids() -> None:
    nodes = tiny_document().tables["nodes"]
    assert nodes.get_column("node_id").to_list() == [
        "d_1",
        "d_1/g3.2.1.1",
        "d_1/g3.2.1.1/i1",
        "d_1/g3.2.1.1/a_1",
    ]
    assert nodes.get_column("parent_id").to_list() == [None, "d_1", "d_1/g3.2.1.1", "d_1/g3.2.1.1"]
    assert tiny_document().tables["nodes"].equals(nodes)


def test_builder_infers_polarity() -> None:
    assert tiny_document().tables["indicators"].get_column("polarity").to_list() == ["decrease"]


def test_every_table_has_its_schema() -> None:
    document = tiny_document()
    for table in TABLES:
        assert document.tables[table].schema == SCHEMAS[table], table


def test_written_dataset_is_clean_and_byte_identical(tmp_path: Path) -> None:
    tables = merge.from_documents([tiny_document(), tiny_document("Алматы")])
    parquet_folder.write(tables, tmp_path / "a")
    parquet_folder.write(
        merge.from_documents([tiny_document("Алматы"), tiny_document()]), tmp_path / "b"
    )
    assert validate_folder(tmp_path / "a") == []
    for table in TABLES:
        first = (tmp_path / "a" / f"{table}.parquet").read_bytes()
        assert first == (tmp_path / "b" / f"{table}.parquet").read_bytes(), table
    assert parquet_folder.read(tmp_path / "a")["plans"].height == 2


def test_reingesting_replaces_the_plan(tmp_path: Path) -> None:
    tables = merge.from_documents([tiny_document()])
    tables = merge.merge(tables, [tiny_document(fact="90,0")])
    values = tables["values"].filter(pl.col("kind") == "fact")
    assert values.get_column("raw").to_list() == ["90,0"]
    assert tables["plans"].height == 1
    assert tables["nodes"].height == 4


def _corrupt(folder: Path, table: str, frame: pl.DataFrame) -> None:
    frame.write_parquet(folder / f"{table}.parquet")


def test_validate_reports_each_problem_on_its_own_line(tmp_path: Path) -> None:
    folder = tmp_path / "ds"
    parquet_folder.write(merge.from_documents([tiny_document()]), folder)
    tables = parquet_folder.read(folder)
    nodes = tables["nodes"]
    broken_nodes = pl.concat(
        [
            nodes,
            nodes.head(1),  # duplicate id
            nodes.head(1).with_columns(node_id=pl.lit("x"), parent_id=pl.lit("nowhere")),
        ]
    )
    _corrupt(folder, "nodes", broken_nodes)
    values = tables["values"].with_columns(pl.col("node_id").str.replace("i1", "i9"))
    _corrupt(folder, "values", values)
    plans = tables["plans"].with_columns(pl.col("country").cast(pl.String).replace("KZ", "RU"))
    _corrupt(folder, "plans", plans)
    (folder / "grants.parquet").unlink()
    problems = validate_folder(folder)
    text = "\n".join(problems)
    assert "grants.parquet: missing" in text
    assert "nodes: duplicate key" in text
    assert "has unknown parent nowhere" in text
    assert "values: node taraz-report-2016-2020-r2017/d_1/g3.2.1.1/i9 does not exist" in text
    assert "plans: country 'RU' is not one of KZ, KG" in text


def test_validate_command_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "ds"
    parquet_folder.write(merge.from_documents([tiny_document()]), folder)
    assert main(["validate", str(folder)]) == 0
    assert "clean" in capsys.readouterr().out
    (folder / "values.parquet").write_bytes(b"not parquet")
    assert main(["validate", str(folder)]) == 1
    assert "values.parquet: cannot be read as Parquet" in capsys.readouterr().out
    assert main(["validate", str(tmp_path / "none")]) == 1


def test_wrong_column_type_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "ds"
    parquet_folder.write(merge.from_documents([tiny_document()]), folder)
    values = parquet_folder.read(folder)["values"].with_columns(pl.col("year").cast(pl.String))
    _corrupt(folder, "values", values)
    assert any("column year is String, expected Int32" in p for p in validate_folder(folder))
