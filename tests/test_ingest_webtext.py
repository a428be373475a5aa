"""Web-page text variants an analyst's copy may come as, each read to the dataset of the same
content as a text export: another city, rows added and removed, a cell wrapped at other places,
and a fragment cut in the middle of a table (read up to where it stops, with a warning there).

The variants are made on the blocks a sample's text export reads into; the expected dataset is
that of the same blocks saved as a Word .docx (a form whose rows are kept, read to the same dataset
as the text export by test_ingest_forms.py).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from tests.forms_helpers import docx_bytes, web_text
from workbench.ingest import parse_source, read_source, source_from_bytes
from workbench.ingest.document import ParsedDocument
from workbench.ingest.sources.blocks import Blocks, Row, Table
from workbench.ingest.sources.text import read_text_export
from workbench.ingest.sources.webtext import read_web_text

SOURCES = Path(__file__).resolve().parent.parent / "data" / "sources"
IGNORED = {"source_file", "source_sha256", "source_line"}
TABLED = ["000_a022e4505cac72f3", "002_3919e70ca7955aea", "003_a649211321f9a7a4"]


def _blocks(stem: str, rename: tuple[str, str] | None = None) -> Blocks:
    source = read_source(SOURCES / f"{stem}.txt")
    lines = source.lines
    if rename is not None:
        lines = tuple(line.replace(*rename) for line in lines)
    return read_text_export(lines, path=source.path, sha256=source.sha256)


def _read_docx(blocks: Blocks) -> ParsedDocument:
    return parse_source(source_from_bytes(docx_bytes(blocks), "plan.docx"))


def _read_web(blocks: Blocks, text: str | None = None) -> ParsedDocument:
    data = (web_text(blocks) if text is None else text).encode("utf-8")
    document = parse_source(source_from_bytes(data, "page.txt"))
    assert document.source.form == "web-text"
    return document


def _assert_same(expected: ParsedDocument, got: ParsedDocument) -> None:
    assert got.family == expected.family and got.plan_id == expected.plan_id
    for name, frame in expected.tables.items():
        columns = [c for c in frame.columns if c not in IGNORED]
        assert got.tables[name].select(columns).equals(frame.select(columns)), name


def _largest(blocks: Blocks) -> int:
    return max(
        (k for k, item in enumerate(blocks.items) if isinstance(item, Table)),
        key=lambda k: len(blocks.items[k].rows),  # type: ignore[union-attr]
    )


@pytest.mark.parametrize(
    ("stem", "city", "other"),
    [
        ("000_a022e4505cac72f3", "Тараз", "Шымкент"),
        ("002_3919e70ca7955aea", "Таш-Көмүр", "Майлуу-Суу"),
        ("003_a649211321f9a7a4", "Тараз", "Шымкент"),
    ],
)
def test_another_city_reads_as_its_text_export(stem: str, city: str, other: str) -> None:
    blocks = _blocks(stem, (city, other))
    expected = _read_docx(blocks)
    assert other in expected.tables["plans"].write_csv() and city not in web_text(blocks)
    _assert_same(expected, _read_web(blocks))


def _full_rows(table: Table) -> list[int]:
    width = max(len(row.cells) for row in table.rows)
    return [k for k, row in enumerate(table.rows) if len(row.cells) == width and k > 2]


@pytest.mark.parametrize("stem", TABLED[:2])  # the grant list's tables hold a row each
def test_rows_added_and_removed_read_as_their_text_export(stem: str) -> None:
    blocks = _blocks(stem)
    original = _read_docx(blocks)
    k = _largest(blocks)
    table = blocks.items[k]
    assert isinstance(table, Table)
    full = _full_rows(table)
    removed, copied = full[len(full) // 3], full[2 * len(full) // 3]
    rows: list[Row] = []
    for index, row in enumerate(table.rows):
        if index != removed:
            rows.append(row)
        if index == copied:
            rows.append(row)  # the row twice, as an edited copy of a plan may have it
    blocks.items[k] = dataclasses.replace(table, rows=tuple(rows))
    expected = _read_docx(blocks)
    assert not all(
        expected.tables[name].equals(frame) for name, frame in original.tables.items()
    ), "the edit changes what is read"
    _assert_same(expected, _read_web(blocks))


@pytest.mark.parametrize("stem", TABLED)
def test_a_cell_wrapped_at_other_places_reads_the_same(stem: str) -> None:
    blocks = _blocks(stem)
    expected = _read_docx(blocks)
    text = web_text(blocks)
    cells = [
        cell.text
        for table in blocks.tables()
        for row in table.rows
        for cell in row.cells
        if len(cell.text.split()) >= 6
    ]
    assert cells
    rewrapped = text
    for cell in cells[:5]:
        words = " ".join(cell.split()).split(" ")
        lines = [" ".join(words[k : k + 2]) for k in range(0, len(words), 2)]
        assert cell in rewrapped
        rewrapped = rewrapped.replace(cell, "\n".join(lines), 1)
    assert rewrapped != text
    _assert_same(expected, _read_web(blocks, rewrapped))


@pytest.mark.parametrize("stem", ["000_a022e4505cac72f3", "002_3919e70ca7955aea"])
def test_a_fragment_cut_in_a_table_reads_up_to_the_cut_with_a_warning_there(stem: str) -> None:
    blocks = _blocks(stem)
    whole = _read_docx(blocks)
    lines = web_text(blocks).split("\n")
    read = read_web_text(lines, path="page.txt", sha256="")
    table = max(read.tables(), key=lambda t: len(t.rows))
    cut = table.rows[len(table.rows) // 2].cells[-1].origin.line
    assert cut is not None
    got = _read_web(blocks, "\n".join(lines[:cut]) + "\n")
    kind = "values" if whole.count("values") else "activities"
    assert 0 < got.count(kind) < whole.count(kind)
    near = [w for w in got.warnings if w.line is not None and cut - 40 <= w.line <= cut + 1]
    assert near, got.warnings


def test_web_text_rows_are_rebuilt_from_the_column_numbers() -> None:
    cells = ["№", "Индикатор", "Бірлігі", "2021", "1", "2", "3", "4"]
    cells += ["1", "Бір", "%", "5", "Міндет 1.1: Екі", "2", "Үш", "%", "7"]
    text = "Кіріспе\n" + "\n|\n".join(cells) + "\n|\n\nСоңы"
    blocks = read_web_text(text.split("\n"), path="doc.txt", sha256="")
    [found] = blocks.tables()
    texts = [[c.text for c in row.cells] for row in found.rows]
    assert texts == [
        ["№", "Индикатор", "Бірлігі", "2021"],
        ["1", "2", "3", "4"],
        ["1", "Бір", "%", "5"],
        ["Міндет 1.1: Екі"],
        ["2", "Үш", "%", "7"],
    ]
    assert [p.text for p in blocks.paragraphs() if p.text] == ["Кіріспе", "Соңы"]
    assert blocks.notes == []
