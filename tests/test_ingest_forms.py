"""Every form of a document reads to the same dataset, and bad input gets one line naming it.

The five samples are saved by tests/forms_helpers.py as HTML, .docx, .xlsx and web-page text and
read back
through ``workbench.ingest``. The datasets are compared column by column, leaving out only
``plans.source_file`` / ``plans.source_sha256`` (the copy is another file with other bytes) and
the ``source_line`` columns (a structured file has no lines of the text export: they point into
the copy's own lines, or are empty).
"""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import openpyxl
import polars as pl
import pytest

from tests.forms_helpers import docx_bytes, html_page, web_text, xlsx_bytes
from workbench.dataset.input_files import escape_name, parse_size
from workbench.errors import DocumentError
from workbench.ingest import parse_file, parse_source, read_source, source_from_bytes
from workbench.ingest.sources.blocks import Table
from workbench.ingest.sources.docx import read_docx
from workbench.ingest.sources.html import read_html
from workbench.ingest.sources.text import read_text_export
from workbench.ingest.sources.webtext import read_web_text
from workbench.ingest.sources.xlsx import cell_text, read_xlsx

SOURCES = Path(__file__).resolve().parent.parent / "data" / "sources"
SAMPLES = sorted(SOURCES.glob("*.txt"))
IGNORED = {"source_file", "source_sha256", "source_line"}
WRITERS = {
    "html": lambda blocks: html_page(blocks).encode("utf-8"),
    "docx": docx_bytes,
    "xlsx": xlsx_bytes,
    "web-text": lambda blocks: web_text(blocks).encode("utf-8"),
}


def _assert_same(expected: dict[str, pl.DataFrame], got: dict[str, pl.DataFrame]) -> None:
    assert set(expected) == set(got)
    for name, frame in expected.items():
        columns = [c for c in frame.columns if c not in IGNORED]
        assert got[name].select(columns).equals(frame.select(columns)), name


CASES: list[object] = [
    (sample, form) for sample in SAMPLES for form in ("html", "docx", "xlsx", "web-text")
]


@pytest.mark.parametrize(("sample", "form"), CASES, ids=lambda v: getattr(v, "stem", v))
def test_each_sample_saved_in_another_form_reads_to_the_same_dataset(
    tmp_path: Path, sample: Path, form: str
) -> None:
    source = read_source(sample)
    expected = parse_source(source)
    blocks = read_text_export(source.lines, path=source.path, sha256=source.sha256)
    copy = tmp_path / f"{sample.stem}.data"  # the form is told from the bytes, not the name
    copy.write_bytes(WRITERS[form](blocks))
    got = parse_file(copy)
    # A document without tables (the Kara-Balta programme) saved as web-page text is plain text.
    assert got.source.form == (form if blocks.tables() or form != "web-text" else "text")
    assert got.family == expected.family
    assert got.plan_id == expected.plan_id
    _assert_same(expected.tables, got.tables)
    assert got.tables["plans"]["source_file"][0] == copy.name


def test_a_structured_form_points_warnings_at_its_table_cells() -> None:
    source = read_source(SOURCES / "001_b5c11f052baa7846.txt")
    expected = parse_source(source)
    assert expected.warnings, "the plan has a warning to point at"
    blocks = read_text_export(source.lines, path=source.path, sha256=source.sha256)
    got = parse_source(source_from_bytes(docx_bytes(blocks), "plan.docx"))
    assert len(got.warnings) == len(expected.warnings)
    assert all(w.line is None and w.message.startswith("table 1, row ") for w in got.warnings)
    assert got.warnings[0].message.endswith(expected.warnings[0].message)
    assert got.tables["values"]["source_line"].null_count() == got.tables["values"].height


# -- forms read right --------------------------------------------------------------------------


def test_html_expands_spans_drops_scripts_and_keeps_nested_tables_and_paragraphs() -> None:
    page = (
        "<html><head><style>p{}</style><script>var t='<table>'</script></head><body>"
        "<h1>Жоспар</h1><p>Бірінші<br>екінші</p>"
        "<table><tr><th rowspan=2>№</th><th colspan=2>2024</th></tr>"
        "<tr><td>жоспар</td><td>факт<table><tr><td>ішкі</td></tr></table></td></tr></table>"
        "<p>соңы</p></body></html>"
    )
    blocks = read_html(page, path="p.html", sha256="")
    texts = [getattr(item, "text", None) for item in blocks.items]
    assert texts[:3] == ["Жоспар", "Бірінші", "екінші"] and texts[-1] == "соңы"
    outer, inner = blocks.tables()
    assert [[c.text for c in row.cells] for row in outer.rows] == [
        ["№", "2024", "2024"],
        ["№", "жоспар", "факт"],
    ]
    assert outer.rows[0].cells[1].colspan == 2 and outer.rows[1].cells[0].merged_from is not None
    assert inner.nested_in == outer.rows[1].cells[2].origin
    assert all("var t" not in (t or "") for t in texts)


def test_docx_merged_cells_nested_tables_and_body_order() -> None:
    document = docx.Document()
    document.add_paragraph("Алдында")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "Тақырып"
    table.cell(1, 0).merge(table.cell(2, 0)).text = "1"
    table.cell(1, 1).text = "a"
    table.cell(2, 2).text = "b"
    table.cell(1, 2).add_table(rows=1, cols=1).cell(0, 0).text = "ішкі"
    document.add_paragraph("Артында")
    buffer = io.BytesIO()
    document.save(buffer)
    blocks = read_docx(buffer.getvalue(), path="d.docx", sha256="")
    kinds = [type(item).__name__ for item in blocks.items]
    assert kinds == ["Paragraph", "Table", "Table", "Paragraph"]
    outer: Table = blocks.tables()[0]
    rows = [[c.text for c in row.cells] for row in outer.rows]
    assert rows == [["Тақырып"] * 3, ["1", "a", ""], ["1", "", "b"]]
    assert outer.rows[0].cells[0].colspan == 3 and outer.rows[1].cells[0].rowspan == 2
    assert blocks.tables()[1].nested_in == outer.rows[1].cells[2].origin


def test_xlsx_numbers_read_as_a_person_sees_them() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Көрсеткіш", "2024", "2025", "күні"])
    sheet.append(["a", 100.6, 0.1 + 0.2, "01.02.2024"])
    sheet.cell(2, 3).number_format = "0.0"
    sheet.append(["b", 1291, 12.5, None])
    sheet.merge_cells("B3:C3")
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_xlsx(buffer.getvalue(), path="x.xlsx", sha256="").tables()[0]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[1] == ["a", "100.6", "0.3", "01.02.2024"]
    assert rows[2][:3] == ["b", "1291", "1291"] and table.rows[2].cells[2].merged_from is not None
    assert cell_text(0.30000000000000004) == "0.3" and cell_text(0.25, "0%") == "25%"


def test_web_text_rebuilds_rows_from_the_header_and_row_numbers() -> None:
    lines = ["Кесте", "", "№", "|", "Атауы", "|", "2024", "|", "Бағыт: Экономика", "|",
             "1", "|", "Өнеркәсіп", "|", "100,6", "|", "2", "|", "Ауыл", "шаруашылығы", "|", "",
             "", "Соңы"]  # fmt: skip
    blocks = read_web_text(lines, path="w.txt", sha256="")
    table = blocks.tables()[0]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows == [
        ["№", "Атауы", "2024"],
        ["Бағыт: Экономика"],
        ["1", "Өнеркәсіп", "100,6"],
        ["2", "Ауыл\nшаруашылығы", ""],
    ]
    assert table.rows[2].cells[2].origin.line == 15
    assert [p.text for p in blocks.paragraphs()] == ["Кесте", "", "", "", "Соңы"]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_read(codec: str) -> None:
    text = SAMPLES[0].read_text(encoding="utf-8")
    source = source_from_bytes(text.encode(codec), "report.txt")
    assert parse_source(source).count("values") == 148


# -- bad input ---------------------------------------------------------------------------------


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workbench.cli", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def _one_line_error(result: subprocess.CompletedProcess[str], name: str, *words: str) -> None:
    assert result.returncode != 0
    lines = [
        line for line in result.stderr.splitlines() if not line.startswith("workbench: nothing")
    ]
    assert len(lines) == 1, result.stderr
    assert name in lines[0] and "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0], lines[0]


def _damaged_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<w:document><w:body>cut")
    return buffer.getvalue()


def _truncated_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()[: len(buffer.getvalue()) // 2]


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("empty.txt", b"", ("empty",)),
        ("binary.bin", bytes(range(256)) * 16, ("binary",)),
        ("damaged.docx", _damaged_docx(), ("Word .docx", "damaged")),
        ("damaged.xlsx", _truncated_xlsx(), ("zip package", "damaged")),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), (".doc/.xls",)),
    ],
)
def test_bad_file_is_one_line_naming_it(
    tmp_path: Path, name: str, data: bytes, words: tuple[str, ...]
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    _one_line_error(_run("ingest", str(path), "--out", str(tmp_path / "out")), name, *words)


def test_dev_zero_is_refused_at_once(tmp_path: Path) -> None:
    _one_line_error(_run("ingest", "/dev/zero", "--out", str(tmp_path)), "/dev/zero", "device")


def test_a_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    _one_line_error(_run("ingest", str(fifo), "--out", str(tmp_path / "o")), "pipe.txt", "FIFO")


def test_a_folder_is_refused(tmp_path: Path) -> None:
    _one_line_error(_run("ingest", str(tmp_path), "--out", str(tmp_path / "o")), str(tmp_path))


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_bytes(SAMPLES[0].read_bytes())
    path.chmod(0)
    try:
        _one_line_error(_run("ingest", str(path), "--out", str(tmp_path / "o")), "secret.txt")
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_a_file_over_the_size_limit_is_refused_and_the_flag_raises_it(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(SAMPLES[2].read_bytes())
    out = tmp_path / "out"
    small = _run("ingest", str(path), "--out", str(out), "--max-size", "1k")
    _one_line_error(small, "report.txt", "--max-size", "1 kB")
    with pytest.raises(DocumentError, match="more than"):
        read_source(path, max_size=1000)
    assert _run("ingest", str(path), "--out", str(out), "--max-size", "1M").returncode == 0
    bad = _run("ingest", str(path), "--out", str(out), "--max-size", "lots")
    assert bad.returncode == 2 and "--max-size" in bad.stderr


def test_escape_sequences_in_a_file_name_are_shown_and_stored_escaped(tmp_path: Path) -> None:
    name = "plan\x1b[31mRED\x1b]0;title\x07.txt"
    path = tmp_path / name
    path.write_bytes(SAMPLES[2].read_bytes())
    out = tmp_path / "out"
    result = _run("ingest", str(path), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "plan^[[31mRED^[]0;title^G.txt" in result.stdout
    stored = pl.read_parquet(out / "plans.parquet")["source_file"][0]
    assert stored == escape_name(name) and "\x1b" not in stored and "\x07" not in stored
    empty = tmp_path / "bad\x1b[2J.txt"
    empty.write_bytes(b"")
    failed = _run("ingest", str(empty), "--out", str(out))
    assert "\x1b" not in failed.stderr and "bad^[[2J.txt" in failed.stderr


def test_sizes_are_parsed() -> None:
    assert parse_size("64M") == 64 * 1024 * 1024 and parse_size("500k") == 512000
    assert parse_size("1000") == 1000
    for bad in ("", "0", "-1", "5 parsecs"):
        with pytest.raises(ValueError):
            parse_size(bad)


def _zip(name: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr(name, "x")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "form"),
    [
        ("<p>Жоспар</p>\n<table><tr><td>1</td><td>a</td></tr></table>".encode(), "html"),
        (b"<!-- saved -->\n<!DOCTYPE html><html><body><p>x</p></body></html>", "html"),
        ("Кесте\n\n№\n|\nАтауы\n|\n1\n|\nЖол\n".encode(), "web-text"),
        ("<p>Нысаналы индикатор</p>\t<p>2026</p>\n".encode(), "text"),  # a text export with tags
    ],
)
def test_the_form_is_told_from_the_content(data: bytes, form: str) -> None:
    from workbench.dataset.text import read_lines
    from workbench.ingest.sources.forms import text_form
    from workbench.ingest.text import decode_bytes

    text = decode_bytes(data, "doc.txt")
    assert text_form(text, read_lines(text)) == form


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (_zip("readme.txt"), "neither a Word document nor an Excel workbook"),
        (b"%PDF-1.7\n" + bytes(300), "PDF"),
        (b"PK\x03\x04" + bytes(100), "damaged"),
    ],
)
def test_other_packages_are_named_in_the_refusal(data: bytes, words: str) -> None:
    with pytest.raises(DocumentError, match=words) as info:
        source_from_bytes(data, "doc.docx")
    assert str(info.value).startswith("doc.docx: read as ")


def test_xlsx_warnings_name_the_sheet_and_cell_and_docx_ones_the_paragraph() -> None:
    source = read_source(SOURCES / "001_b5c11f052baa7846.txt")
    blocks = read_text_export(source.lines, path=source.path, sha256=source.sha256)
    data = xlsx_bytes(blocks)
    got = parse_source(source_from_bytes(data, "plan.xlsx"))
    (warning,) = got.warnings
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert warning.message.startswith(f"sheet {sheet.title}, cell B5: indicator code")
    assert ".1 көрсеткіш" in str(sheet["B5"].value)
    plan = read_source(SOURCES / "004_cf3c10cfbd63a6c4.txt")
    blocks = read_text_export(plan.lines, path=plan.path, sha256=plan.sha256)
    data = docx_bytes(blocks)
    got = parse_source(source_from_bytes(data, "plan.docx"))
    expected = parse_source(plan)
    assert len(got.warnings) == len(expected.warnings) == 2
    paragraphs = docx.Document(io.BytesIO(data)).paragraphs
    for warning, original in zip(got.warnings, expected.warnings, strict=True):
        place, _, message = warning.message.partition(": ")
        assert place.startswith("paragraph ") and message == original.message
        assert original.line is not None
        number = int(place.removeprefix("paragraph "))
        assert paragraphs[number - 1].text == plan.lines[original.line - 1]
