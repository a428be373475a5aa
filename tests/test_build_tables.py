"""A set of documents' tables built together from their rows read as each document's own frames,
concatenated: the same columns, dtypes, rows and order, in a merge into a dataset too.

Each document keeps its tables as rows (checked against the contract when it is made) and a merge
builds every table once for all of its documents (``build_tables``); what it builds must equal
what concatenating the frames of each document, made on its own, gives.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from pathlib import Path

import polars as pl
import pytest

from tests.forms_helpers import docx_bytes, html_page, web_text, xlsx_bytes
from workbench.dataset.contract import SCHEMAS, TABLES, frame_from_tuples
from workbench.dataset.parquet_folder import Tables, canonical_order, empty
from workbench.ingest import parse_source, read_source, source_from_bytes
from workbench.ingest.document import DocumentBuilder, ParsedDocument, PlanMeta, build_tables
from workbench.ingest.generic import MissingFact
from workbench.ingest.hints import Hints
from workbench.ingest.merge import from_documents, merge
from workbench.ingest.sources.text import read_text_export
from workbench.ingest.vocabulary import link_vocabulary

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "data" / "sources").glob("*.txt"))
FIXTURES = sorted((ROOT / "tests" / "fixtures" / "generic").glob("*.txt")) + sorted(
    (ROOT / "tests" / "fixtures" / "real").glob("*.txt")
)


def _own_frames(document: ParsedDocument) -> dict[str, pl.DataFrame]:
    """A document's frames made on their own from its rows, not by ``build_tables``."""
    return {table: frame_from_tuples(table, document.rows[table]) for table in TABLES}


def _concatenated(documents: Sequence[ParsedDocument]) -> dict[str, pl.DataFrame]:
    frames = [_own_frames(document) for document in documents]
    return {
        table: pl.concat([own[table] for own in frames], how="vertical")
        if frames
        else pl.DataFrame(schema=SCHEMAS[table])
        for table in TABLES
    }


def _assert_same(got: dict[str, pl.DataFrame], expected: dict[str, pl.DataFrame]) -> None:
    assert list(got) == list(TABLES) == list(expected)
    for table in TABLES:
        assert got[table].schema == SCHEMAS[table] == expected[table].schema, table
        assert got[table].equals(expected[table]), table


def _old_merge(existing: Tables, documents: Sequence[ParsedDocument]) -> Tables:
    """A merge as it was: each document's frames concatenated to the dataset's."""
    latest = {document.plan_id: document for document in documents}
    own = [_own_frames(document) for document in latest.values()]
    tables: Tables = {}
    for table in TABLES:
        frame = existing[table]
        if "plan_id" in frame.columns:
            frame = frame.filter(~pl.col("plan_id").is_in(list(latest)))
        tables[table] = pl.concat([frame, *(frames[table] for frames in own)], how="vertical")
    known = {
        key: codes
        for document in latest.values()
        for key, codes in (document.body_codes or {}).items()
    }
    tables = link_vocabulary(tables, known)
    return {table: canonical_order(table, frame) for table, frame in tables.items()}


def _forms(path: Path) -> list[tuple[bytes, str]]:
    source = read_source(path)
    blocks = read_text_export(source.lines, path=source.path, sha256=source.sha256)
    return [
        (path.read_bytes(), path.name),
        (html_page(blocks).encode(), path.name + ".html"),
        (docx_bytes(blocks), path.name + ".docx"),
        (xlsx_bytes(blocks), path.name + ".xlsx"),
        (web_text(blocks).encode(), path.name + ".web.txt"),
    ]


@pytest.fixture(scope="module")
def samples() -> list[ParsedDocument]:
    return [parse_source(read_source(path)) for path in SAMPLES]


@pytest.mark.parametrize("form", range(5), ids=["text", "html", "docx", "xlsx", "web"])
def test_the_samples_tables_built_together_are_their_own_frames_concatenated(form: int) -> None:
    documents = [parse_source(source_from_bytes(*_forms(path)[form])) for path in SAMPLES]
    assert len(documents) == 5
    assert sum(document.count("values") for document in documents) > 500
    _assert_same(build_tables(documents), _concatenated(documents))
    for document in documents:
        _assert_same(document.tables, _own_frames(document))


def test_the_fixtures_tables_built_together_are_their_own_frames_concatenated() -> None:
    documents = []
    for path in FIXTURES:
        if path.name == "not_a_plan.txt":
            continue
        try:
            documents.append(parse_source(read_source(path)))
        except MissingFact:  # the text does not say it: the analyst does
            hints = Hints(city="Semey", period=(2011, 2015))
            documents.append(parse_source(read_source(path), hints))
    assert len(documents) == len(FIXTURES) - 1
    assert {document.family for document in documents} == {"generic"}
    assert any(document.plan()["given_by_hand"] for document in documents)
    _assert_same(build_tables(documents), _concatenated(documents))
    _assert_same(merge(empty(), documents), _old_merge(empty(), documents))


def test_a_merge_reads_as_the_documents_frames_concatenated(
    samples: list[ParsedDocument],
) -> None:
    _assert_same(from_documents(samples), _old_merge(empty(), samples))


def test_a_document_whose_plan_is_in_the_dataset_replaces_it(
    samples: list[ParsedDocument],
) -> None:
    existing = from_documents(samples[:3])
    again = parse_source(read_source(SAMPLES[1]))
    # the same plan with one row fewer: the dataset's rows of that plan all go
    again.set_rows("values", again.rows["values"][1:])
    assert again.plan_id == samples[1].plan_id
    documents = [samples[0], again, *samples[3:]]
    merged = merge(existing, documents)
    _assert_same(merged, _old_merge(existing, documents))
    values = merged["values"].filter(pl.col("plan_id") == again.plan_id)
    assert values.height == samples[1].count("values") - 1
    # of two documents of one plan the last wins
    twice = merge(existing, [samples[1], again])
    _assert_same(twice, _old_merge(existing, [samples[1], again]))
    assert twice["values"].filter(pl.col("plan_id") == again.plan_id).height == values.height


def test_no_documents_and_empty_tables_have_the_contracts_schema(
    samples: list[ParsedDocument],
) -> None:
    nothing = build_tables([])
    for table in TABLES:
        assert nothing[table].schema == SCHEMAS[table] and nothing[table].height == 0
    grants = [document for document in samples if document.count("grants") == 0]
    assert grants and all(document.count("vocabulary") == 0 for document in samples)
    together = build_tables(grants)
    assert together["grants"].height == 0 and together["grants"].schema == SCHEMAS["grants"]
    assert together["vocabulary"].schema == SCHEMAS["vocabulary"]
    _assert_same(together, _concatenated(grants))


def test_the_analysts_city_and_period_are_on_every_row_of_the_plan() -> None:
    plain = parse_source(read_source(SAMPLES[0]))
    given = parse_source(read_source(SAMPLES[0]), Hints(city="Шымкент", period=(2031, 2035)))
    assert given.plan_id != plain.plan_id and "2031-2035" in given.plan_id
    # what restating the plan on the frames gives, as hints did it before
    expected = {}
    for table, frame in _own_frames(plain).items():
        if "plan_id" in frame.columns:
            frame = frame.with_columns(pl.lit(given.plan_id, dtype=pl.String).alias("plan_id"))
        expected[table] = frame
    expected["plans"] = expected["plans"].with_columns(
        pl.lit("Shymkent").alias("city"),
        pl.lit("Шымкент").alias("city_native"),
        pl.lit(2031, dtype=pl.Int32).alias("period_start"),
        pl.lit(2035, dtype=pl.Int32).alias("period_end"),
        pl.lit("city,period").alias("given_by_hand"),
    )
    _assert_same(given.tables, expected)
    _assert_same(build_tables([plain, given]), _concatenated([plain, given]))
    assert given.plan()["given_by_hand"] == "city,period"
    assert given.plan()["city"] == "Shymkent"


def _builder() -> DocumentBuilder:
    source = source_from_bytes("Тараз\n".encode(), "Тараз.txt")
    meta = PlanMeta("Taraz", "Тараз", "KZ", "kk", "report", "Есеп", 2016, 2020, "KZT", 2017)
    return DocumentBuilder("test", source, meta)


def test_a_builders_wrong_type_is_refused_by_the_document_naming_table_and_column() -> None:
    builder = _builder()
    node = builder.add_node("indicator", "Көрсеткіш")
    for year in range(2016, 2100):  # many rows: a table built by its columns
        builder.add_value(node, year=year, kind="plan", raw="1", value=1.0)
    builder.add_value(node, year=2017, kind="plan", raw="1", value="1,5")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"values\.value: values of type str"):
        builder.build()
    builder = _builder()
    builder.add_node("indicator", "Көрсеткіш", line=1.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"nodes\.source_line: values of type float"):
        builder.build()
    document = _builder().build()
    row = document.rows["plans"][0]
    with pytest.raises(ValueError, match=r"plans\.currency: 'USD'"):
        document.set_rows("plans", [(*row[:10], "USD", *row[11:])])
    with pytest.raises(ValueError, match=r"nodes: rows of 2 values for 8 columns"):
        document.set_rows("nodes", [("p", "n")])
    with pytest.raises(ValueError, match="a document holds rows of"):
        ParsedDocument("test", "p", document.source, {"plans": document.rows["plans"]})


def test_rows_replaced_are_what_the_tables_then_read() -> None:
    document = _builder().build()
    assert document.tables["plans"]["currency"].to_list() == ["KZT"]
    row = document.rows["plans"][0]
    document.set_rows("plans", [(*row[:10], "KGS", *row[11:])])
    assert document.tables["plans"]["currency"].to_list() == ["KGS"]


def test_a_document_goes_between_processes_as_rows_and_reads_the_same(
    samples: list[ParsedDocument],
) -> None:
    document = samples[0]
    tables = document.tables  # built: the frames are not what is sent
    data = pickle.dumps(document)
    assert b"polars" not in data
    again = pickle.loads(data)
    assert again.rows == document.rows and again.plan_id == document.plan_id
    assert again.warnings == document.warnings and again.source == document.source
    _assert_same(again.tables, tables)
