"""The .docx and .xlsx readers, which walk the packages' XML with lxml themselves.

Two kinds of check: the five samples saved as .docx and .xlsx read to the same blocks as an
independent reading (the text export they were written from for .docx; openpyxl's own workbook
model for .xlsx), and small packages written here by hand for what Word and Excel write that
the test copies do not (tabs and breaks in runs, tab stops, hyperlinks, fields, content
controls, tracked changes, text boxes, merged cells written as Word writes them; rich-text,
phonetic and inline strings, number formats, dates, formulas).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.forms_helpers import docx_bytes, xlsx_bytes
from workbench.errors import DocumentError
from workbench.ingest import read_source
from workbench.ingest.sources import package
from workbench.ingest.sources.blocks import Blocks, Paragraph, Table
from workbench.ingest.sources.docx import read_docx
from workbench.ingest.sources.text import read_text_export
from workbench.ingest.sources.xlsx import cell_text, read_xlsx

SOURCES = Path(__file__).resolve().parent.parent / "data" / "sources"
SAMPLES = sorted(SOURCES.glob("*.txt"))
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _exported(sample: Path) -> Blocks:
    source = read_source(sample)
    return read_text_export(source.lines, path=source.path, sha256=source.sha256)


def _shape(blocks: Blocks) -> list[object]:
    """Paragraph texts and each table row's written cells (a merged cell once)."""
    out: list[object] = []
    for item in blocks.items:
        if isinstance(item, Table):
            out.append([[c.text for c in row.cells if c.merged_from is None] for row in item.rows])
        else:
            out.append(item.text)
    return out


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_a_sample_as_docx_reads_to_the_blocks_it_was_written_from(sample: Path) -> None:
    exported = _exported(sample)
    blocks = read_docx(docx_bytes(exported), path="plan.docx", sha256="")
    assert _shape(blocks) == _shape(exported)
    paragraphs = [item.origin.paragraph for item in blocks.items if isinstance(item, Paragraph)]
    assert paragraphs == list(range(1, len(paragraphs) + 1))
    for number, table in enumerate(blocks.tables(), start=1):
        for r, row in enumerate(table.rows, start=1):
            for c, cell in enumerate(row.cells, start=1):
                assert (cell.origin.table, cell.origin.row, cell.origin.column) == (number, r, c)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_a_sample_as_xlsx_reads_every_cell_openpyxl_reads(sample: Path) -> None:
    data = xlsx_bytes(_exported(sample))
    blocks = read_xlsx(data, path="plan.xlsx", sha256="")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    expected = {
        cell.coordinate: cell_text(cell.value, cell.number_format)
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None and str(cell.value).strip()
    }
    got: dict[str, str] = {}
    spans: dict[str, tuple[int, int]] = {}
    for item in blocks.items:
        cells = (
            [c for row in item.rows for c in row.cells if c.merged_from is None]
            if isinstance(item, Table)
            else [item]
        )
        for cell in cells:
            assert cell.origin.sheet == sheet.title and cell.origin.cell is not None
            if cell.text:
                assert cell.origin.cell not in got
                got[cell.origin.cell] = cell.text
            if isinstance(item, Table) and (cell.colspan, cell.rowspan) != (1, 1):
                spans[cell.origin.cell] = (cell.colspan, cell.rowspan)
    assert got == expected
    merged = {
        f"{r.coord.split(':')[0]}": (r.max_col - r.min_col + 1, r.max_row - r.min_row + 1)
        for r in sheet.merged_cells.ranges
    }
    assert spans == merged


# --- .docx written by hand -------------------------------------------------------------------


def _docx(body: str) -> bytes:
    document = (
        f'<w:document xmlns:w="{_W}" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
        f"<w:body>{body}<w:sectPr/></w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", document)
    return buffer.getvalue()


def _p(*runs: str, properties: str = "") -> str:
    return f"<w:p>{properties}{''.join(runs)}</w:p>"


def _r(*content: str) -> str:
    return f"<w:r><w:rPr><w:b/></w:rPr>{''.join(content)}</w:r>"


def _t(text: str) -> str:
    return f'<w:t xml:space="preserve">{text}</w:t>'


def _tc(content: str, properties: str = "") -> str:
    return f"<w:tc><w:tcPr><w:tcW w:w='100' w:type='dxa'/>{properties}</w:tcPr>{content}</w:tc>"


def _texts(blocks: Blocks) -> list[str]:
    return [item.text for item in blocks.items if isinstance(item, Paragraph)]


def test_a_paragraph_keeps_its_runs_tabs_and_breaks_but_not_its_tab_stops() -> None:
    tab_stops = "<w:pPr><w:tabs><w:tab w:val='left' w:pos='720'/></w:tabs></w:pPr>"
    body = _p(
        _r(_t("Мақсат"), "<w:tab/>", _t("1.1")),
        _r("<w:br/>", _t("екінші жол"), "<w:cr/>", _t("үшінші")),
        properties=tab_stops,
    )
    assert _texts(read_docx(_docx(body), path="d.docx", sha256="")) == [
        "Мақсат\t1.1\nекінші жол\nүшінші"
    ]


def test_hyperlinks_fields_and_content_controls_give_their_text_and_field_codes_do_not() -> None:
    body = _p(
        _r(_t("Қараңыз: ")),
        f"<w:hyperlink r:id='rId9'>{_r(_t('сілтеме'))}</w:hyperlink>",
        _r(_t(", бет ")),
        f"<w:fldSimple w:instr=' PAGE '>{_r(_t('7'))}</w:fldSimple>",
        _r(_t(", ")),
        "<w:r><w:fldChar w:fldCharType='begin'/></w:r>",
        "<w:r><w:instrText xml:space='preserve'> DATE \\@ yyyy </w:instrText></w:r>",
        "<w:r><w:fldChar w:fldCharType='separate'/></w:r>",
        _r(_t("2024")),
        "<w:r><w:fldChar w:fldCharType='end'/></w:r>",
        f"<w:sdt><w:sdtPr><w:alias w:val='Қала'/></w:sdtPr>"
        f"<w:sdtContent>{_r(_t(' Тараз'))}</w:sdtContent></w:sdt>",
        "<w:del w:id='1' w:author='a'><w:r><w:delText>жойылған</w:delText></w:r></w:del>",
        f"<w:ins w:id='2' w:author='a'>{_r(_t(' қосылған'))}</w:ins>",
    )
    assert _texts(read_docx(_docx(body), path="d.docx", sha256="")) == [
        "Қараңыз: сілтеме, бет 7, 2024 Тараз қосылған"
    ]


def test_a_text_box_is_read_once_and_block_content_controls_are_read_in_order() -> None:
    box = f"<w:txbxContent>{_p(_r(_t('қорап')))}</w:txbxContent>"
    drawing = (
        "<mc:AlternateContent>"
        f"<mc:Choice Requires='wps'><w:drawing><wps>{box}</wps></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><v>{box}</v></w:pict></mc:Fallback>"
        "</mc:AlternateContent>"
    )
    check_box = (
        "<mc:AlternateContent><mc:Choice Requires='w14'><w:r><w:sym w:char='2610'/></w:r>"
        f"</mc:Choice><mc:Fallback>{_r(_t('☐'))}</mc:Fallback></mc:AlternateContent>"
    )
    body = (
        _p(_r(_t("алды ")), _r(drawing), _r(_t(" соңы")), check_box)
        + f"<w:sdt><w:sdtContent>{_p(_r(_t('бақылау')))}"
        + f"<w:tbl><w:tr>{_tc(_p(_r(_t('ұяшық'))))}</w:tr></w:tbl></w:sdtContent></w:sdt>"
        + _p(_r(_t("кейін")))
    )
    blocks = read_docx(_docx(body), path="d.docx", sha256="")
    assert [type(item).__name__ for item in blocks.items] == [
        "Paragraph",
        "Paragraph",
        "Table",
        "Paragraph",
    ]
    assert _texts(blocks) == ["алды қорап соңы☐", "бақылау", "кейін"]
    assert [item.origin.paragraph for item in blocks.items if isinstance(item, Paragraph)] == [
        1,
        2,
        3,
    ]


def test_word_merged_cells_grid_before_and_tracked_property_changes() -> None:
    span = "<w:gridSpan w:val='2'/>"
    restart, cont = "<w:vMerge w:val='restart'/>", "<w:vMerge/>"
    old_span = (
        "<w:tcPrChange w:id='3' w:author='a'><w:tcPr><w:gridSpan w:val='3'/></w:tcPr>"
        "</w:tcPrChange>"
    )
    nested = f"<w:tbl><w:tr>{_tc(_p(_r(_t('ішкі'))))}</w:tr></w:tbl>"
    rows = [
        _tc(_p(_r(_t("Тақырып"))), span) + _tc(_p(_r(_t("2024"))), old_span),
        _tc(_p(_r(_t("1"))), restart) + _tc(_p(_r(_t("a")))) + _tc(_p(_r(_t("b")))),
        _tc(_p(), cont) + _tc(_p(_r(_t("c"))) + _p() + _p(_r(_t("d")))) + _tc(nested + _p()),
        "<w:trPr><w:gridBefore w:val='1'/></w:trPr>" + _tc(_p(_r(_t("e"))), span),
    ]
    table = "<w:tbl><w:tblGrid/>" + "".join(f"<w:tr>{row}</w:tr>" for row in rows) + "</w:tbl>"
    blocks = read_docx(_docx(_p(_r(_t("Кесте"))) + table), path="d.docx", sha256="")
    outer, inner = blocks.tables()
    assert [[c.text for c in row.cells] for row in outer.rows] == [
        ["Тақырып", "Тақырып", "2024"],
        ["1", "a", "b"],
        ["1", "c\nd", ""],
        ["e", "e"],
    ]
    first = outer.rows[0].cells[0]
    assert (first.colspan, first.rowspan) == (2, 1)
    assert outer.rows[1].cells[0].rowspan == 2
    assert outer.rows[2].cells[0].merged_from == outer.rows[1].cells[0].origin
    assert outer.rows[0].cells[2].colspan == 1  # the old value of a tracked change is not read
    assert inner.nested_in == outer.rows[2].cells[2].origin
    assert [[c.text for c in row.cells] for row in inner.rows] == [["ішкі"]]


# --- .xlsx written by hand -------------------------------------------------------------------


def _xlsx(sheet: str, strings: str = "", *, merges: str = "") -> bytes:
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    styles = (
        f'<styleSheet xmlns="{_MAIN}"><numFmts count="1">'
        '<numFmt numFmtId="164" formatCode="#,##0.00"/></numFmts>'
        '<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="14"/>'
        '<xf numFmtId="10"/><xf numFmtId="2"/></cellXfs></styleSheet>'
    )
    parts = {
        "[Content_Types].xml": "<Types/>",
        "xl/workbook.xml": (
            f'<workbook xmlns="{_MAIN}" xmlns:r="{rel}"><sheets>'
            '<sheet name="Көрсеткіштер" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>"
        ),
        "xl/styles.xml": styles,
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{_MAIN}"><sheetData>{sheet}</sheetData>'
            f"{f'<mergeCells>{merges}</mergeCells>' if merges else ''}</worksheet>"
        ),
    }
    if strings:
        parts["xl/sharedStrings.xml"] = f'<sst xmlns="{_MAIN}">{strings}</sst>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, text in parts.items():
            package.writestr(name, text)
    return buffer.getvalue()


def test_xlsx_strings_numbers_dates_and_formulas_read_as_excel_shows_them() -> None:
    strings = (
        "<si><t>Атауы</t></si>"
        "<si><r><rPr><b/></rPr><t>Бай</t></r><r><t xml:space='preserve'> мәтін</t></r>"
        "<rPh sb='0' eb='1'><t>ふりがな</t></rPh></si>"
        "<si><t>Жиыны</t></si>"
    )
    sheet = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><r><t>ішкі </t></r><r><t>жол</t></r></is></c>'
        '<c r="B2" s="1"><v>1234.5</v></c><c r="C2" s="2"><v>45323</v></c>'
        '<c r="D2" s="3"><v>0.1234</v></c><c r="E2" s="4"><v>7</v></c></row>'
        '<row r="3"><c t="s"><v>2</v></c><c><f>B2*2</f><v>2469</v></c>'
        '<c t="str"><f>A1&amp;"!"</f><v>Атауы!</v></c><c t="b"><v>1</v></c>'
        '<c t="e"><v>#DIV/0!</v></c><c r="F3" s="1"><v>0.30000000000000004</v></c></row>'
    )
    table = read_xlsx(_xlsx(sheet, strings), path="x.xlsx", sha256="").tables()[0]
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["Атауы", "Бай мәтін", "", "", "", ""],
        # the decimals of a plain number format, without its thousands separator; a whole
        # number as it is
        ["ішкі жол", "1234.50", "01.02.2024", "12.34%", "7", ""],
        ["Жиыны", "2469", "Атауы!", "TRUE", "#DIV/0!", "0.30"],
    ]
    assert table.rows[2].cells[1].origin.cell == "B3"  # a cell without a reference follows on
    assert table.rows[0].cells[1].origin.sheet == "Көрсеткіштер"


def test_xlsx_merged_ranges_and_lone_cells() -> None:
    sheet = (
        '<row r="2"><c r="A2" t="inlineStr"><is><t>Кесте 1</t></is></c></row>'
        '<row r="3"><c r="A3" t="inlineStr"><is><t>№</t></is></c>'
        '<c r="B3" t="inlineStr"><is><t>2024</t></is></c></row>'
        '<row r="4"><c r="A4"><v>1</v></c><c r="B4"><v>5</v></c><c r="C4"><v>6</v></c></row>'
    )
    blocks = read_xlsx(
        _xlsx(sheet, merges='<mergeCell ref="B3:C3"/><mergeCell ref="A3:A3"/>'),
        path="x.xlsx",
        sha256="",
    )
    assert _texts(blocks) == ["Кесте 1"]
    (table,) = blocks.tables()
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["№", "2024", "2024"],
        ["1", "5", "6"],
    ]
    assert table.rows[0].cells[1].colspan == 2
    assert table.rows[0].cells[2].merged_from == table.rows[0].cells[1].origin


def test_a_merged_range_keeps_the_rows_it_reaches_in_its_table() -> None:
    """A row under a merged cell that holds only its number, or nothing, stays in the merged
    cell's table, as does a range reaching past the sheet's last written row (these rows used
    to close the table under the range and end the reading with an IndexError)."""
    sheet = (
        '<row r="3"><c r="A3" t="inlineStr"><is><t>1.</t></is></c>'
        '<c r="B3" t="inlineStr"><is><t>Әкімдік</t></is></c>'
        '<c r="C3"><v>5</v></c></row>'
        '<row r="4"><c r="A4" t="inlineStr"><is><t>2.</t></is></c></row>'
        '<row r="6"><c r="A6" t="inlineStr"><is><t>3.</t></is></c>'
        '<c r="C6"><v>7</v></c></row>'
    )
    blocks = read_xlsx(
        _xlsx(sheet, merges='<mergeCell ref="B3:B5"/><mergeCell ref="C6:C8"/>'),
        path="x.xlsx",
        sha256="",
    )
    assert _texts(blocks) == []
    (table,) = blocks.tables()
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["1.", "Әкімдік", "5"],
        ["2.", "Әкімдік", ""],
        ["", "Әкімдік", ""],
        ["3.", "", "7"],
        ["", "", "7"],
        ["", "", "7"],
    ]
    assert [row.origin.cell for row in table.rows] == ["A3", "A4", "A5", "A6", "A7", "A8"]
    assert table.rows[2].cells[1].merged_from == table.rows[0].cells[1].origin


@pytest.mark.parametrize(
    ("sheet", "strings", "merges", "words"),
    [
        ('<row r="1"><c r="A1" t="s"><v>5</v></c></row>', "<si><t>a</t></si>", "", "damaged"),
        ('<row r="1"><c r="A1"><v>много</v></c></row>', "", "", "damaged"),
        ('<row r="1"><c r="A1" s="2"><v>1e300</v></c></row>', "", "", "damaged"),
        (
            '<row r="1"><c r="A1"><v>1</v></c></row>',
            "",
            '<mergeCell ref="A1:T50001"/>',
            "merged ranges cover more than 1 000 000 cells",
        ),
    ],
    ids=[
        "string index past the table",
        "text in a number cell",
        "date past any calendar",
        "a sheet merged whole",
    ],
)
def test_a_workbook_with_impossible_cells_is_one_clear_refusal(
    sheet: str, strings: str, merges: str, words: str
) -> None:
    with pytest.raises(DocumentError, match=words) as info:
        read_xlsx(_xlsx(sheet, strings, merges=merges), path="x.xlsx", sha256="")
    assert str(info.value).startswith("x.xlsx: read as an .xlsx workbook, but it is damaged")


# --- damaged packages ------------------------------------------------------------------------


def test_a_part_expanding_past_the_limit_is_refused_before_it_is_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = _docx(_p(_r(_t("x" * 5000))))
    monkeypatch.setattr(package, "MAX_PACKAGE_EXPANDED", 4096)
    with pytest.raises(DocumentError, match=r"word/document\.xml would expand to") as info:
        read_docx(data, path="bomb.docx", sha256="")
    assert str(info.value).startswith("bomb.docx: read as a Word .docx file, but it is damaged")
    with pytest.raises(DocumentError, match="would expand to"):
        read_xlsx(_xlsx("", "<si><t>" + "y" * 5000 + "</t></si>"), path="x.xlsx", sha256="")


def test_a_corrupt_compressed_part_is_one_clear_refusal() -> None:
    data = bytearray(_docx(_p(_r(_t("мәтін " * 400)))))
    start = data.index(b"word/document.xml") + len("word/document.xml")
    for offset in range(start + 20, start + 60):  # inside the part's deflate stream
        data[offset] ^= 0xFF
    with pytest.raises(DocumentError, match="damaged") as info:
        read_docx(bytes(data), path="d.docx", sha256="")
    assert str(info.value).startswith("d.docx: read as a Word .docx file")


def test_an_xml_part_with_entities_is_not_expanded() -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    )
    data = _docx(_p(_r(_t("&b;"))))
    package = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(package, "w") as target:
        for name in source.namelist():
            text = source.read(name)
            target.writestr(name, bomb.encode() + text if name == "word/document.xml" else text)
    blocks = read_docx(package.getvalue(), path="d.docx", sha256="")
    assert all("aaaaaaaaaa" not in text for text in _texts(blocks))
