"""Text cells a spreadsheet will not run as a formula (OWASP's CSV injection guidance).

A text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written
with a ``'`` before it: a spreadsheet then shows the text instead of running it
(``=HYPERLINK(…)``, ``@SUM(A1)``). Numbers are not text and stay numbers. Used by every CSV the
workbench writes (snapshot exports, ``workbench report --format csv``).

Public API::

    neutralise_text(frame) -> the frame with such cells of its String columns prefixed
"""

from __future__ import annotations

from typing import Final

import polars as pl

FORMULA_START: Final = r"^[=+\-@\t\r]"
_FORMULA_CHARACTERS: Final = r"[=+\-@\t\r]"


def neutralise_text(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with every cell of its String columns that a spreadsheet would read as a
    formula prefixed by ``'``; columns that hold none are left as they are (not copied)."""
    text = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    if not text:
        return frame
    # A column whose text holds none of those characters anywhere (looked for in one string of
    # it, joined: one fast search, not one per row) has no cell to change.
    anywhere = frame.select(
        pl.col(name).str.join("").str.contains(_FORMULA_CHARACTERS).fill_null(False)
        for name in text
    ).row(0)
    text = [name for name, has in zip(text, anywhere, strict=True) if has]
    if not text:
        return frame
    hit = frame.select(
        pl.col(name).str.contains(FORMULA_START).any().fill_null(False) for name in text
    ).row(0)
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(FORMULA_START))
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name, has in zip(text, hit, strict=True)
        if has
    )
