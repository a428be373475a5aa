"""A piece of a document's blocks is found on the first line written with its origin, or one
equal to it (the lines of a .docx, .xlsx, HTML page or web-page text, each with its origin)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tests.forms_helpers import docx_bytes, html_page, web_text, xlsx_bytes
from workbench.ingest import read_source, source_from_bytes
from workbench.ingest.blockrows import line_finder
from workbench.ingest.document import Source
from workbench.ingest.sources.blocks import Origin
from workbench.ingest.sources.text import read_text_export

ROOT = Path(__file__).resolve().parent.parent


def _first_line(source: Source, origin: Origin) -> int:
    """The definition: the first line whose origin equals ``origin``, else its own line."""
    for number, other in enumerate(source.origins, start=1):
        if other == origin:
            return number
    return origin.line or 0


def test_the_key_is_every_field_an_origin_compares_by_in_order() -> None:
    names = tuple(field.name for field in dataclasses.fields(Origin) if field.compare)
    assert names == ("line", "table", "row", "column", "sheet", "cell", "paragraph")
    assert all(field.compare for field in dataclasses.fields(Origin))


def test_every_piece_of_the_samples_in_every_form_is_on_its_first_line() -> None:
    checked = 0
    for path in sorted((ROOT / "data" / "sources").glob("*.txt")):
        text = read_source(path)
        blocks = read_text_export(text.lines, path=text.path, sha256=text.sha256)
        forms = (web_text(blocks).encode(), html_page(blocks).encode())
        for data, name in [*((f, "x.txt") for f in forms), (docx_bytes(blocks), "x.docx")]:
            source = source_from_bytes(data, name)
            line_of = line_finder(source)
            for origin in {o for o in source.origins if o is not None}:
                assert line_of(origin) == _first_line(source, origin), origin
                checked += 1
        source = source_from_bytes(xlsx_bytes(blocks), "x.xlsx")
        line_of = line_finder(source)
        for origin in source.origins:
            if origin is not None:
                assert line_of(origin) == _first_line(source, origin), origin
    assert checked > 1000


_ORIGIN = st.builds(
    Origin,
    line=st.none() | st.integers(1, 4),
    table=st.none() | st.integers(1, 2),
    row=st.none() | st.integers(1, 2),
    column=st.none() | st.integers(1, 2),
    sheet=st.none() | st.sampled_from(["a", "b"]),
    cell=st.none() | st.sampled_from(["A1", "B2"]),
    paragraph=st.none() | st.integers(1, 2),
)


@given(st.lists(st.none() | _ORIGIN, min_size=1, max_size=30), st.lists(_ORIGIN, max_size=10))
def test_equal_origins_of_other_objects_are_found_on_the_first_line(
    origins: list[Origin | None], asked: list[Origin]
) -> None:
    # copies: equal origins, other objects, on later lines
    lines = [*origins, *(dataclasses.replace(o) if o is not None else None for o in origins)]
    source = Source("x", "", "", tuple("" for _ in lines), origins=tuple(lines))
    line_of = line_finder(source)
    for origin in [*(o for o in lines if o is not None), *asked]:
        assert line_of(origin) == _first_line(source, origin)
