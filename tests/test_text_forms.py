"""The text-form readers (text export, HTML, web-page text) and the rendering of blocks: the same
blocks as the readers they replaced, and the edge cases a faster reader could get wrong."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.blocks_digest import digests
from workbench.errors import DocumentError
from workbench.ingest import source_from_bytes
from workbench.ingest.sources.blocks import Blocks, Origin, Paragraph, Table
from workbench.ingest.sources.html import MAX_TABLE_PLACES, read_html
from workbench.ingest.sources.render import render
from workbench.ingest.sources.text import read_text_export
from workbench.ingest.sources.webtext import read_web_text

ROOT = Path(__file__).resolve().parent.parent


def test_the_samples_read_to_the_blocks_and_lines_of_the_reference() -> None:
    # tests/fixtures/blocks/samples.json was written by the readers before they were made
    # faster (python tests/blocks_digest.py on that checkout): every text, origin, span, row and
    # rendered line must stay the same.
    expected = json.loads((ROOT / "tests/fixtures/blocks/samples.json").read_text())
    got = digests(ROOT)
    assert got.keys() == expected.keys()
    for sample, forms in expected.items():
        for form, digest in forms.items():
            assert got[sample][form] == digest, f"{sample}: {form}"


def _html(body: str) -> Blocks:
    return read_html(body, path="t.html", sha256="")


def _rows(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


# -- HTML ---------------------------------------------------------------------------------------


def test_line_breaks_and_paragraphs_in_a_cell_are_its_lines() -> None:
    blocks = _html(
        "<table><tr><td> бірінші <br>екінші<br/><br />  үшінші </td>"
        "<td><p>а</p><p></p><div>ә <b>б</b></div></td><td>  </td></tr></table>"
    )
    assert _rows(blocks.tables()[0]) == [["бірінші\nекінші\nүшінші", "а\nә б", ""]]


def test_entities_are_text_and_markup_in_text_is_data() -> None:
    blocks = _html(
        "<p>A &amp; B &lt;b&gt;bold&lt;/b&gt; &#1170;&#x4E2D;</p>"
        "<table><tr><td>5 &lt; 6</td><td>x&nbsp;y</td></tr></table>"
    )
    assert blocks.paragraphs()[0].text == "A & B <b>bold</b> Ғ中"
    assert _rows(blocks.tables()[0]) == [["5 < 6", "x\xa0y"]]


def test_comments_and_processing_instructions_leave_their_neighbours_joined() -> None:
    blocks = _html("<p>ab<!-- a <td> in a comment -->cd<?php echo 1 ?>ef</p>")
    assert [p.text for p in blocks.paragraphs()] == ["abcdef"]


def test_whitespace_is_collapsed_except_in_pre() -> None:
    blocks = _html("<p>a  b\tc\n d\r\ne\ff</p><pre>  x   y\n z</pre><p>one two</p>")
    assert [p.text for p in blocks.paragraphs()] == ["a b c d e f", "x   y", "z", "one two"]


@given(
    st.lists(
        st.sampled_from(["сөз", "word", " ", "  ", "\t", "\n", "\r\n", "\f", "1,5", "—"]),
        max_size=12,
    )
)
def test_a_cells_text_is_its_words_between_single_spaces(pieces: list[str]) -> None:
    text = "".join(pieces)
    table = _html(f"<table><tr><td>{text}</td><td><i>{text}</i></td></tr></table>").tables()[0]
    words = " ".join(text.split())
    assert _rows(table) == [[words, words]]


def test_nested_tables_come_after_their_table_and_point_at_their_cell() -> None:
    blocks = _html(
        "<table><tr><td>сыртқы<table><tr><td>ішкі<table><tr><td>ең ішкі</td></tr></table>"
        "</td></tr></table>соңы</td><td>b</td></tr><tr><td colspan=2>c</td></tr></table>"
    )
    outer, inner, innermost = blocks.tables()
    assert _rows(outer) == [["сыртқы\nсоңы", "b"], ["c", "c"]]
    assert _rows(inner) == [["ішкі"]] and _rows(innermost) == [["ең ішкі"]]
    assert inner.nested_in == outer.rows[0].cells[0].origin
    assert innermost.nested_in == inner.rows[0].cells[0].origin
    assert [t.origin.table for t in (outer, inner, innermost)] == [1, 2, 3]


def test_spans_are_laid_out_and_bad_span_values_are_one() -> None:
    blocks = _html(
        "<table><thead><tr><th rowspan=' 2 '>№</th><th colspan=2>2024</th></tr></thead>"
        "<tbody><tr><td>жоспар</td><td>факт</td></tr>"
        "<tr><td rowspan=abc>1</td><td colspan=0>2</td><td colspan=-1>3</td></tr></tbody></table>"
    )
    table = blocks.tables()[0]
    assert _rows(table) == [["№", "2024", "2024"], ["№", "жоспар", "факт"], ["1", "2", "3"]]
    assert table.rows[1].cells[0].merged_from == Origin(table=1, row=1, column=1)
    assert table.rows[0].cells[2].merged_from == Origin(table=1, row=1, column=2)


def test_a_row_span_ends_at_the_tables_last_row() -> None:
    # as a browser shows it: no rows below the table's own
    table = _html("<table><tr><td rowspan=50>a</td><td>b</td></tr><tr><td>c</td></tr></table>")
    assert _rows(table.tables()[0]) == [["a", "b"], ["a", "c"]]


def test_a_table_asking_for_millions_of_cells_is_one_line_naming_the_file() -> None:
    cells = "<td colspan=1000>x</td>" * (MAX_TABLE_PLACES // 1000 + 1)
    with pytest.raises(DocumentError) as caught:
        source_from_bytes(f"<table><tr>{cells}</tr></table>".encode(), "big.html")
    message = str(caught.value)
    assert "big.html" in message and "table 1" in message and "\n" not in message


def test_a_fragment_reads_as_the_same_table_in_a_whole_page() -> None:
    table = "<table><tr><td>1</td><td>Мектептер</td></tr><tr><td>2</td><td>Бала</td></tr></table>"
    page = f"<!DOCTYPE html><html><head><title>t</title></head><body>{table}</body></html>"
    assert _html(table).items == _html(page).items


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "cp1251"])
def test_an_html_page_in_another_encoding_reads_the_same(codec: str) -> None:
    page = "<html><body><p>Қала жоспары</p><table><tr><td>Бағыт</td></tr></table></body></html>"
    if codec == "cp1251":
        page = "<html><body><p>План города</p><table><tr><td>Цель</td></tr></table></body></html>"
    expected = _html(page).items
    source = source_from_bytes(page.encode(codec), "p.html")
    assert source.form == "html" and source.blocks is not None
    assert source.blocks.items == expected


@pytest.mark.parametrize("data", [b"", b"   \n", b"<html></html>", b"<html><p> </p></html>"])
def test_an_empty_page_is_one_line_naming_the_file(data: bytes) -> None:
    with pytest.raises(DocumentError) as caught:
        source_from_bytes(data, "empty.html")
    assert "empty.html" in str(caught.value) and "\n" not in str(caught.value)


# -- web-page text ------------------------------------------------------------------------------


def _web(text: str) -> Blocks:
    return read_web_text(text.split("\n"), path="t.txt", sha256="")


# a header and the column-number row under it, which gives the table's width
_HEADER = ["№", "Көрсеткіш", "Бірлік", "2021 жыл", "2022 жыл"]
_NUMBERS = ["1", "2", "3", "4", "5"]


def _web_table(rows: list[list[str]]) -> str:
    return "\n|\n".join(cell for row in rows for cell in row)


def test_values_that_look_like_row_numbers_stay_values() -> None:
    rows = [
        _HEADER,
        _NUMBERS,
        ["1", "Мектептер саны", "бірлік", "2", "3"],
        ["2", "Ауруханалар саны", "бірлік", "1", "4"],
        ["3", "Балабақшалар саны", "бірлік", "5", "6"],
        ["4", "Стадиондар саны", "бірлік", "7", "8"],
    ]
    table = _web("Кесте\n\n" + _web_table(rows) + "\n").tables()[0]
    assert _rows(table) == rows


def test_a_bar_inside_a_cells_line_splits_it_but_a_bar_between_letters_does_not() -> None:
    rows = [
        _HEADER,
        _NUMBERS,
        ["1", "Мектептер|саны", "бірлік", "2", "3"],
        ["2", "Ауруханалар саны", "бірлік", "1", "4"],
        ["3", "Балабақшалар саны", "бірлік", "5", "6"],
    ]
    text = _web_table(rows).replace("Ауруханалар саны\n|\nбірлік", "Ауруханалар саны | бірлік")
    table = _web(text).tables()[0]
    assert _rows(table) == rows
    line = text.split("\n").index("Ауруханалар саны | бірлік") + 1
    assert [cell.origin.line for cell in table.rows[3].cells[1:3]] == [line, line]


def test_a_cells_lines_are_kept_and_a_wrapped_name_stays_one_cell() -> None:
    rows = [
        _HEADER,
        _NUMBERS,
        ["1", "Мектептер\nсаны", "бірлік", "2", "3"],
        ["2", "Ауруханалар саны", "бірлік", "1", "4"],
        ["3", "Балабақшалар саны", "бірлік", "5", "6"],
    ]
    assert _rows(_web(_web_table(rows)).tables()[0]) == rows


def test_paragraphs_around_web_tables_keep_their_lines() -> None:
    rows = [_HEADER, _NUMBERS, ["1", "Мектептер саны", "бірлік", "2", "3"]]
    text = "Бағыт 1. Білім\n\n" + _web_table(rows) + "\n\n\nСоңғы сөз"
    blocks = _web(text)
    assert [(p.text, p.origin.line) for p in blocks.paragraphs() if p.text] == [
        ("Бағыт 1. Білім", 1),
        ("Соңғы сөз", len(text.split("\n"))),
    ]


# -- text exports and their rendering -----------------------------------------------------------


def test_an_indented_export_renders_back_to_its_lines() -> None:
    lines = [
        "Жоспар",
        "",
        "\t№\tАтауы",
        "\t1",
        "\tМектеп",
        "екінші жол",
        "",
        "Соңы",
    ]
    blocks = read_text_export(lines, path="t.txt", sha256="")
    assert render(blocks, "indented").lines == lines
    # a tab in a cell's further line is a tab in that line, which the export writes as a space
    lines[5] = "екінші жол\tқойындымен"
    blocks = read_text_export(lines, path="t.txt", sha256="")
    assert blocks.tables()[0].rows[0].cells[3].text == "Мектеп\nекінші жол\tқойындымен"
    assert render(blocks, "indented").lines[5] == "екінші жол қойындымен"


def test_rendering_writes_merged_cells_as_word_does_in_each_style() -> None:
    blocks = _html(
        "<p>бір\nекі</p><table><tr><td rowspan=2>a\tb</td><td colspan=2>c<br>d</td></tr>"
        "<tr><td>e</td><td> </td></tr></table>"
    )
    assert render(blocks, "indented").lines == [
        "бір екі",
        "\ta b",
        "\tc",
        "d",
        "",
        "\t",
        "\te",
        "\t",
        "",
    ]
    assert render(blocks, "separated").lines == ["бір екі", "a b\tc d", "\te\t"]
    assert render(blocks, "joined").lines == ["бір екі", "a b c d", "e"]


def test_a_paragraph_of_several_lines_renders_a_line_each_with_its_own_number() -> None:
    blocks = Blocks(path="t", form="text", sha256="")
    blocks.items.append(Paragraph("a\n\tb\tc", Origin(line=4)))
    # a leading tab is dropped (it would make a cell); in the tab layouts other tabs are spaces
    for style, second in (("indented", "b\tc"), ("separated", " b c"), ("joined", " b c")):
        rendered = render(blocks, style)
        assert rendered.lines == ["a", second]
        assert [origin.line for origin in rendered.origins if origin] == [4, 5]
