"""The readers' shortcuts for their most common input read as their general steps do.

The .xlsx reader works a cell reference's letters out once and slices the ASCII row digits off
later references with the same letters; the HTML reader reads a block element holding text
alone, and a table row whose cells are given no span, without its general tree walk and grid
layout; the .docx reader tells body paragraphs from tables by their text. Each check reads the
same content once through the shortcut and once through the general step (forced by a form
the shortcut does not take) and compares whole blocks, origins included.
"""

from __future__ import annotations

import pytest

from tests.test_docx_xlsx_readers import _docx, _p, _r, _t, _tc, _xlsx
from workbench.ingest.sources.blocks import Blocks, Paragraph, Table
from workbench.ingest.sources.docx import read_docx
from workbench.ingest.sources.html import read_html
from workbench.ingest.sources.xlsx import read_xlsx


def _cells(blocks: Blocks) -> list[list[tuple[str, str | None, int | None]]]:
    (table,) = blocks.tables()
    return [[(c.text, c.origin.cell, c.origin.column) for c in row.cells] for row in table.rows]


def _inline(reference: str, text: str) -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def test_xlsx_references_with_letters_met_before_read_as_the_first_ones() -> None:
    """Row 1 meets each column's letters first (the pattern reads them); later rows give the
    same letters with and without ``$``, and references the shortcut leaves to the pattern: a
    row number in other digits (the pattern's ``\\d`` reads it), no digits at all (the cell
    follows the one before, in the row before's numbering), lower-case letters (likewise)."""
    sheet = (
        '<row r="1">'
        + _inline("A1", "№")
        + _inline("B1", "атауы")
        + _inline("C1", "2024")
        + "</row>"
        '<row r="2">'
        + _inline("$A$2", "1")
        + _inline("B$2", "бір")
        + _inline("$C2", "5")
        + "</row>"
        '<row r="3">' + _inline("A3", "2") + _inline("B٣", "екі") + _inline("C3", "6") + "</row>"
        '<row r="4">' + _inline("A4", "3") + _inline("B", "үш") + _inline("c4", "7") + "</row>"
    )
    blocks = read_xlsx(_xlsx(sheet), path="x.xlsx", sha256="")
    assert _cells(blocks) == [
        [("№", "A1", 1), ("атауы", "B1", 2), ("2024", "C1", 3)],
        [("1", "A2", 1), ("бір", "B2", 2), ("5", "C2", 3)],
        [("2", "A3", 1), ("екі", "B3", 2), ("6", "C3", 3)],
        [("3", "A4", 1), ("үш", "B4", 2), ("7", "C4", 3)],
    ]
    # The same cells with every reference written plainly read to the same blocks.
    plain = "".join(
        f'<row r="{r}">'
        + "".join(_inline(f"{letters}{r}", text) for letters, text in zip("ABC", row, strict=True))
        + "</row>"
        for r, row in enumerate(
            [["№", "атауы", "2024"], ["1", "бір", "5"], ["2", "екі", "6"], ["3", "үш", "7"]],
            start=1,
        )
    )
    assert read_xlsx(_xlsx(plain), path="x.xlsx", sha256="") == blocks


def test_xlsx_a_reference_the_pattern_refuses_goes_on_from_the_cell_before() -> None:
    sheet = (
        '<row r="5">' + _inline("$B$5", "а") + _inline("B5x", "ә") + _inline("$B$", "б") + "</row>"
        '<row r="6">' + _inline("B6", "в") + _inline("AAAA6", "г") + "</row>"
    )
    rows = _cells(read_xlsx(_xlsx(sheet), path="x.xlsx", sha256=""))
    assert [[text for text, _, _ in row] for row in rows] == [["а", "ә", "б"], ["в", "г", ""]]
    assert [cell for _, cell, _ in rows[0]] == ["B5", "C5", "D5"]


_BLOCK_PAGES = [
    "<html><body><p>абв</p></body></html>",
    "<html><body><p>бір</p><p></p><p>   </p><p>\n екі \t үш  </p></body></html>",
    "<body>жоқ тег <p>кейін</p> құйрық <div>бөлім</div><h2>тақырып</h2>соңы</body>",
    "<body><ul><li>бірінші</li><li> </li></ul><p>a\nb</p>\n\n<p>c</p></body>",
    "<body><pre>  алдын\n ала</pre><p>x</p><blockquote>дәйексөз</blockquote></body>",
    "<div><p>ішкі</p>мәтін<p>тағы</p></div>",
]


@pytest.mark.parametrize("page", _BLOCK_PAGES)
def test_html_block_elements_holding_text_alone_read_as_the_tree_walk_reads_them(
    page: str,
) -> None:
    """An empty ``<i>`` in each block element adds no text, and sends the element through the
    general walk (it then holds an element)."""
    walked = page
    for tag in ("p", "div", "h2", "li", "blockquote"):
        walked = walked.replace(f"</{tag}>", f"<i></i></{tag}>")
    assert walked != page
    shortcut = read_html(page, path="x.html", sha256="")
    general = read_html(walked, path="x.html", sha256="")
    assert shortcut.items == general.items


def test_html_a_page_of_paragraphs_reads_each_once_and_no_empty_one_after_them() -> None:
    blocks = read_html("<html><body><p>абв</p><p>где</p></body></html>", path="x", sha256="")
    assert [(item.text, item.origin.line) for item in blocks.paragraphs()] == [
        ("абв", 1),
        ("где", 1),
    ]


def test_html_rows_given_no_span_are_placed_as_rows_given_spans_of_one() -> None:
    rows = [["№", "атауы", "2024"], ["1", "бір", "5"], ["2", "екі <br>жол", ""]]
    plain = "<table>" + "".join(
        "<tr>" + "".join(f"<td>{text}</td>" for text in row) + "</tr>" for row in rows
    )
    spans = "<table>" + "".join(
        "<tr>" + "".join(f'<td colspan="1">{text}</td>' for text in row) + "</tr>" for row in rows
    )
    wide = plain + '<tr><td colspan="2">жиыны</td><td>11</td></tr></table>'
    plain += "</table>"
    spans += "</table>"
    table = read_html(plain, path="x", sha256="").tables()[0]
    assert read_html(spans, path="x", sha256="").items == [table]
    assert [[(c.text, c.origin.row, c.origin.column) for c in row.cells] for row in table.rows][
        2
    ] == [("2", 3, 1), ("екі\nжол", 3, 2), ("", 3, 3)]
    (with_total,) = read_html(wide, path="x", sha256="").tables()
    assert with_total.rows[:3] == table.rows
    total = with_total.rows[3].cells
    assert [(c.text, c.colspan, c.merged_from) for c in total] == [
        ("жиыны", 2, None),
        ("жиыны", 1, total[0].origin),
        ("11", 1, None),
    ]


def test_docx_body_paragraphs_are_numbered_around_tables_with_their_runs_joined() -> None:
    body = (
        _p(_r(_t("Бағыт 1. ")), _r(_t("Экономика")))
        + _p()
        + "<w:tbl><w:tr>"
        + _tc(_p(_r(_t("ұяшық"))))
        + _tc(_p(_r(_t("а"))) + _p(_r(_t("б"))))
        + "</w:tr></w:tbl>"
        + _p(_r(_t("соңы"), "<w:tab/>", _t("x")))
    )
    blocks = read_docx(_docx(body), path="x.docx", sha256="")
    kinds = [
        (item.text, item.origin.paragraph)
        if isinstance(item, Paragraph)
        else [c.text for c in item.rows[0].cells]
        for item in blocks.items
    ]
    assert kinds == [("Бағыт 1. Экономика", 1), ("", 2), ["ұяшық", "а\nб"], ("соңы\tx", 3)]
    assert isinstance(blocks.items[2], Table)
