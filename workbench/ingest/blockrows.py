"""A document's blocks for a family reader, each piece with its line in ``source.lines``.

A family reads the blocks its document was read into (the tables and paragraphs of a .docx,
.xlsx, HTML page or web-page text, or a text export's own blocks), not the text lines those
blocks were written out as. Its warnings and source lines still name lines of
``source.lines``: a text export's own lines, or the lines the blocks were written as, which the
ingest maps back to the table cell or paragraph they came from.
"""

from __future__ import annotations

from collections.abc import Callable

from workbench.dataset.text import normalize_text
from workbench.ingest.document import Source
from workbench.ingest.sources.blocks import Blocks, Origin
from workbench.ingest.sources.text import read_text_export


def document_blocks(source: Source) -> tuple[Blocks, Callable[[str], str]]:
    """The document's blocks, and how to normalise their text as ``source.lines`` are (a text
    export's lines are normalised already; the text of other forms' blocks is not)."""
    if source.blocks is not None:
        return source.blocks, normalize_text
    return read_text_export(source.lines, path=source.path, sha256=source.sha256), _same


def _same(text: str) -> str:
    return text


def line_finder(source: Source) -> Callable[[Origin], int]:
    """The line in ``source.lines`` of a piece with this origin: its own line in a text
    export, else the first line it was written on (of an origin equal to it)."""
    if not source.origins:
        return lambda origin: origin.line or 0
    # Origins are looked up by the tuple of the fields they compare and hash by (all of them,
    # in order: tests/test_line_finder.py), made in place: the dataclass's own __hash__ makes
    # the same tuple in a call of its own, for every line and every piece.
    first: dict[_Key, int] = {}
    previous: Origin | None = None
    for number, o in enumerate(source.origins, start=1):
        # the further lines of a cell or paragraph carry its origin again: nothing to add
        if o is not None and o is not previous:
            first.setdefault(
                (o.line, o.table, o.row, o.column, o.sheet, o.cell, o.paragraph), number
            )
        previous = o
    return lambda o: first.get(
        (o.line, o.table, o.row, o.column, o.sheet, o.cell, o.paragraph), o.line or 0
    )


_Key = tuple[int | None, int | None, int | None, int | None, str | None, str | None, int | None]
