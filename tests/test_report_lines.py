"""The monitoring report's lines and note, in every form of the document.

A cell of a structured form (HTML, .docx, .xlsx) is placed on its line only when its line is
read (most cells' lines never are): each value and each indicator of the sample must still point
at the line of ``Source.lines`` its own cell is on, in every form. The analytical note (part 4) is
kept as its printed lines, each cleaned once by the document builder.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.forms_helpers import docx_bytes, html_page, web_text, xlsx_bytes
from workbench.dataset.text import clean
from workbench.ingest import read_source, report, source_from_bytes
from workbench.ingest.document import Source
from workbench.ingest.sources.text import read_text_export

PATH = Path(__file__).resolve().parent.parent / "data" / "sources" / "000_a022e4505cac72f3.txt"
SOURCE = read_source(PATH)
_BLOCKS = read_text_export(SOURCE.lines, path=SOURCE.path, sha256=SOURCE.sha256)
FORMS = {
    "text": SOURCE,
    "web": source_from_bytes(web_text(_BLOCKS).encode("utf-8"), "report.txt"),
    "html": source_from_bytes(html_page(_BLOCKS).encode("utf-8"), "report.html"),
    "docx": source_from_bytes(docx_bytes(_BLOCKS), "report.docx"),
    "xlsx": source_from_bytes(xlsx_bytes(_BLOCKS), "report.xlsx"),
}


@pytest.mark.parametrize("form", sorted(FORMS))
def test_each_value_and_indicator_points_at_its_own_cells_line(form: str) -> None:
    source = FORMS[form]
    # the family's own reading: its source_line columns are lines of Source.lines
    doc = report.parse(source)
    values = doc.tables["values"]
    assert values.height == 148
    for row in values.iter_rows(named=True):
        # the sample prints each cell on a line of its own: the row's other cells are elsewhere
        assert row["raw"] in clean(source.lines[row["source_line"] - 1]), row
    nodes = doc.tables["nodes"]
    assert set(values["source_line"]).isdisjoint(nodes["source_line"])
    indicators = nodes.filter(nodes["kind"] == "indicator")
    assert indicators.height == 74
    for row in indicators.filter(indicators["code"].is_not_null()).iter_rows(named=True):
        assert clean(source.lines[row["source_line"] - 1]).rstrip(".)") == row["code"], row
    activities = nodes.filter(nodes["kind"] == "activity")
    for row in activities.iter_rows(named=True):
        if row["code"]:
            assert clean(source.lines[row["source_line"] - 1]).rstrip(".)") == row["code"], row
    funding = doc.tables["funding"].filter(doc.tables["funding"]["label"].is_not_null())
    assert funding.height > 0
    for row in funding.iter_rows(named=True):
        assert row["amount_raw"] in clean(source.lines[row["source_line"] - 1]), row


_NOTE = "4. Талдамалы жазбахат."


def _with_note(lines: list[str]) -> Source:
    text = SOURCE.text
    at = text.index(_NOTE) + len(_NOTE)
    note = "\n".join(lines)
    return source_from_bytes((text[:at] + "\n" + note + "\n").encode("utf-8"), "report.txt")


@pytest.mark.parametrize(
    "lines",
    [
        ["  Екі  бос   орын\tжәне\x01 басқару таңбасы ", "", "", "\u00a0Келесі\u2009жол\u200b."],
        ["«A &amp; B» серіктестігі,  &amp;lt;", "   ", "Соңғы жол\x1b[31m қызыл\x1b[0m."],
    ],
)
def test_the_analytical_note_is_its_lines_each_cleaned_once(lines: list[str]) -> None:
    doc = report.parse(_with_note(lines))
    cleaned = [clean(line) for line in lines]
    expected: list[str] = []
    for line in cleaned:
        if line or (expected and expected[-1]):
            expected.append(line)
    while expected and not expected[-1]:
        expected.pop()
    assert doc.tables["plans"]["narrative"][0] == "\n".join(expected)
    # an entity is decoded once: "&amp;lt;" stays "&lt;"
    assert ("&lt;" in doc.tables["plans"]["narrative"][0]) == ("&amp;lt;" in "".join(lines))
