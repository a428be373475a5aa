"""The table layout a structured document is written in, chosen with families asked only whether
they reach the threshold, is the one scoring every family on every layout in full would choose;
and the quick paths of the text helpers give what their general paths give.

A structured document is written in Word's own layout when a family fits it, else in the first
other layout a family fits, else in the layout a family fits best (the first of equal scores).
Checked on the samples, fragments of them, and odd blocks made of pieces of their text (tabs and
line breaks in cells, merged cells, cells on one line of a text export, empty documents).
"""

from __future__ import annotations

import html
import unicodedata
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.forms_helpers import html_page
from workbench.dataset.text import (
    _ANSI,
    _CONTROL,
    _PLAIN,
    _SPACES,
    clean,
    fold,
    normalize_joined,
    normalize_lines,
    normalize_text,
    plain_folded,
)
from workbench.errors import DocumentError
from workbench.ingest import (
    DETECTION_THRESHOLD,
    _map_places,
    families,
    parse_source,
    read_source,
    source_from_blocks,
)
from workbench.ingest.document import DocumentBuilder, PlanMeta, Source
from workbench.ingest.layout.joined import folded, joined, remember
from workbench.ingest.sources.blocks import Blocks, Cell, Origin, Paragraph, Row, Table
from workbench.ingest.sources.forms import read_text_form
from workbench.ingest.sources.render import STYLES, render
from workbench.ingest.sources.text import read_text_export

SOURCES = Path(__file__).resolve().parent.parent / "data" / "sources"


def chosen_in_full(blocks: Blocks) -> tuple[float, str, tuple[str, ...], tuple[Origin | None, ...]]:
    """Every layout rendered and every family scored on it in full, then the rule applied."""
    scored = []
    for style in STYLES:
        rendered = render(blocks, style)
        lines = tuple(normalize_lines(rendered.lines))
        scores = [(module.detect(lines), module.FAMILY) for module in families()]
        best = max(score for score, _ in scores)
        family = next(family for score, family in scores if score == best)
        scored.append((best, family, lines, tuple(rendered.origins)))
    for layout in scored:
        if layout[0] >= DETECTION_THRESHOLD:
            return layout
    best = max(layout[0] for layout in scored)
    return next(layout for layout in scored if layout[0] == best)


def assert_chosen_as_in_full(blocks: Blocks) -> None:
    score, family, lines, origins = chosen_in_full(blocks)
    if not any(line.strip() for line in lines):
        with pytest.raises(DocumentError):
            source_from_blocks(blocks)
        return
    source = source_from_blocks(blocks)
    assert (source.family_score, source.family) == (score, family)
    assert source.lines == lines
    assert source.text == "\n".join(lines)
    assert source.origins == origins


def _sample_blocks() -> list[tuple[str, Blocks]]:
    out = []
    for path in sorted(SOURCES.glob("*.txt")):
        source = read_source(path)
        blocks = read_text_export(source.lines, path=source.path, sha256=source.sha256)
        out.append((path.name, blocks))
        page = html_page(blocks)
        lines = tuple(page.split("\n"))
        out.append((f"{path.name} html", read_text_form("html", page, lines, path="x", sha256="")))
    return out


SAMPLES = _sample_blocks()


@pytest.mark.parametrize(("name", "blocks"), SAMPLES, ids=[name for name, _ in SAMPLES])
def test_a_sample_and_its_fragments_are_laid_out_as_scoring_every_layout_in_full(
    name: str, blocks: Blocks
) -> None:
    assert_chosen_as_in_full(blocks)
    items = blocks.items
    for cut in (len(items) // 5, len(items) // 3, len(items) // 2, 1, 0):
        part = Blocks(blocks.path, blocks.form, blocks.sha256, items[:cut])
        assert_chosen_as_in_full(part)


_PIECES = sorted(
    {
        piece
        for _, blocks in SAMPLES[::2]
        for item in blocks.items[:300]
        for text in (
            [item.text]
            if isinstance(item, Paragraph)
            else [c.text for r in item.rows for c in r.cells]
        )
        for piece in (text, text[:30], text.upper())
        if len(text) <= 200
    }
)

_TEXTS = (
    st.sampled_from(_PIECES)
    | st.sampled_from(["", " ", "\t", "a\tb", "x\ny", "\n\n", "  \n z", "\r", "\x1b[1m", "\u00a0"])
    | st.text(max_size=8)
)


@st.composite
def _odd_blocks(draw: st.DrawFn) -> Blocks:
    items: list[Paragraph | Table] = []
    line = 1
    for number in range(draw(st.integers(0, 8))):
        with_lines = draw(st.booleans())
        if draw(st.booleans()):
            origin = Origin(line=line if with_lines else None, paragraph=number + 1)
            items.append(Paragraph(draw(_TEXTS), origin))
            line += 1
            continue
        rows: list[Row] = []
        for r in range(draw(st.integers(1, 4))):
            cells: list[Cell] = []
            for c in range(draw(st.integers(1, 5))):
                # cells of a text export may share a line (a wrapped cell went on with tabs)
                line += draw(st.sampled_from([0, 1, 1, 2])) if with_lines else 0
                origin = Origin(
                    line=line if with_lines else None, table=number + 1, row=r + 1, column=c + 1
                )
                merged = draw(st.sampled_from([None, None, None, "left", "up"]))
                if merged == "left" and cells:
                    cells.append(Cell(cells[-1].text, origin, merged_from=cells[-1].origin))
                elif merged == "up" and rows and c < len(rows[-1].cells):
                    above = rows[-1].cells[c]
                    cells.append(Cell(above.text, origin, merged_from=above.origin))
                else:
                    cells.append(Cell(draw(_TEXTS), origin))
            rows.append(Row(tuple(cells), Origin(table=number + 1, row=r + 1)))
        items.append(Table(tuple(rows), Origin(table=number + 1)))
    return Blocks("odd.html", "html", "", items)


@settings(max_examples=150, deadline=None)
@given(_odd_blocks())
def test_odd_blocks_are_laid_out_as_scoring_every_layout_in_full(blocks: Blocks) -> None:
    assert_chosen_as_in_full(blocks)


def _clean_the_long_way(text: str) -> str:
    text = html.unescape(text)
    text = _ANSI.sub("", text)
    text = _CONTROL.sub("", text.replace("\n", " "))
    return _SPACES.sub(" ", text).strip()


_ODD = [" ", "  ", "\t", "\n", "\r", "&amp;", "&", "\u00a0", "\u2003", "\u200b", "\u3000"]
_ODD += ["\x1b[1m", "\x00", "\x1c", "\x85", "\u2028", "\u1680", "ß", "Ә", "a", "1"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_ODD) | st.text(max_size=4), max_size=12).map("".join))
def test_clean_gives_what_its_general_path_gives(text: str) -> None:
    assert clean(text) == _clean_the_long_way(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_ODD) | st.text(max_size=3), max_size=5).map("".join)))
def test_normalized_lines_and_their_text_are_each_line_normalized(lines: list[str]) -> None:
    normal, text = normalize_joined(lines)
    assert normal == [normalize_text(line).replace("\n", " ") for line in lines]
    assert text == "\n".join(normal)
    assert normalize_lines(lines) == normal


def test_the_joined_text_of_the_last_layouts_is_kept_and_a_list_is_joined_again() -> None:
    kept = [tuple(f"Line {n} of {k} Ǆ" for n in range(3)) for k in range(4)]
    for lines in kept:
        remember(lines, "\n".join(lines))
    for lines in kept:
        text = "\n".join(lines)
        assert joined(lines) == (text, text.casefold())
        assert folded(lines) == text.casefold()
    changing = ["Мақсат"]
    assert joined(changing)[1] == "мақсат"
    changing.append("Бағыт")
    assert joined(changing)[1] == "мақсат\nбағыт"
    decomposed = ("Е\u0308",)  # not in NFC: folded composes it first
    assert folded(decomposed) == "ё" and joined(decomposed)[1] == "е\u0308"


def test_a_line_break_held_in_a_line_is_a_space() -> None:
    assert normalize_joined(["a\nb", "c\r"]) == (["a b", "c "], "a b\nc ")
    assert clean(" a\n\tb  c ") == "a b c"


@pytest.mark.parametrize(("name", "blocks"), SAMPLES[1::2], ids=[name for name, _ in SAMPLES[1::2]])
def test_source_lines_of_a_structured_form_are_the_documents_own_lines(
    name: str, blocks: Blocks
) -> None:
    source = source_from_blocks(blocks)
    module = next(module for module in families() if source.family == module.FAMILY)
    unmapped = module.parse(source).tables
    mapped = parse_source(source).tables
    origins = source.origins
    for table, frame in unmapped.items():
        if "source_line" not in frame.columns:
            assert mapped[table].equals(frame)
            continue
        expected = [
            None
            if n is None or not 0 < n <= len(origins) or origins[n - 1] is None
            else origins[n - 1].line
            for n in frame["source_line"].to_list()
        ]
        assert mapped[table]["source_line"].to_list() == expected, (name, table)
        assert mapped[table]["source_line"].dtype == frame["source_line"].dtype
        assert mapped[table].drop("source_line").equals(frame.drop("source_line"))


def test_a_rendered_line_out_of_the_document_or_without_an_origin_has_no_line() -> None:
    origins = (Origin(line=7, table=1), None, Origin(table=2, row=1))
    source = Source(path="x", text="a\nb\nc", sha256="", lines=("a", "b", "c"), origins=origins)
    meta = PlanMeta("Taraz", "Тараз", "KZ", "kk", "report", "t", 2016, 2020, "KZT")
    builder = DocumentBuilder("f", source, meta)
    node = builder.add_node("indicator", "i", line=2)
    numbers = [1, 2, 3, 0, -1, 4, None]
    for year, number in enumerate(numbers, start=2016):
        builder.add_value(node, year=year, kind="plan", raw="1", value=1.0, line=number)
    document = builder.build()
    parsed = document.tables["values"]
    _map_places(document)
    values = document.tables["values"]
    assert values["source_line"].to_list() == [7, None, None, None, None, None, None]
    assert values["source_line"].dtype == pl.Int32
    assert values.drop("source_line").equals(parsed.drop("source_line"))
    assert document.tables["nodes"]["source_line"].to_list() == [None]
    assert document.count("values") == len(numbers)
    assert parsed["source_line"].to_list() == numbers  # the parser's frame is kept


def test_plain_characters_are_printable_in_nfc_beside_any_other_and_fold_to_one_another() -> None:
    assert len(_PLAIN) == len(set(_PLAIN)) <= 256 and _PLAIN[0] == "\x00"
    plain = _PLAIN[1:]
    for char in plain:
        assert char in "\t\n" or char.isprintable(), repr(char)
        assert len(char.casefold()) == 1 and char.casefold() in plain, repr(char)
        assert unicodedata.combining(char) == 0 and unicodedata.is_normalized("NFC", char)
    pairs = "".join(a + b + "\x00" for a in plain for b in plain)
    assert unicodedata.is_normalized("NFC", pairs)  # no two of them compose


_PLAIN_TEXTS = st.text(alphabet=st.sampled_from(_PLAIN[1:]), max_size=30)


@settings(max_examples=500, deadline=None)
@given(
    _PLAIN_TEXTS | st.lists(_PLAIN_TEXTS | st.sampled_from(_ODD) | st.text(max_size=3)).map("".join)
)
def test_plain_text_is_folded_as_casefold_folds_it_and_other_text_left_to_it(text: str) -> None:
    folded_text = plain_folded(text)
    if folded_text is None:
        assert any(char not in _PLAIN[1:] for char in text)
        return
    assert folded_text == text.casefold() == fold(text)
    assert normalize_text(text) == text
    lines = tuple(text.split("\n"))
    remember(lines, text, folded_text)
    assert joined(lines) == (text, text.casefold()) and folded(lines) == fold(text)
