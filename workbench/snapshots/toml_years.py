"""The years of a snapshot TOML read in bulk, when the file is laid out as the workbench writes it.

A snapshot of 1 000 plans holds millions of years, one inline table per line inside each
indicator's ``years = [`` … ``]``. Read by a TOML parser, each becomes a Python dict. Here the
file's lines are read by Polars' CSV reader (one column, a line a row), and one regular
expression, matched once on each line of those arrays, both checks the line and gives each
key's value; the rest of the file — a quarter of it — still goes through the TOML parser.

This is a second way to read the years, kept because the import of a large snapshot is then
several times faster and takes less memory: ``python bench/bench_workspace.py --import-paths``
prints the reading time both ways (``read_file(..., bulk_years=False)`` is the parser alone).
tests/test_snapshot_years.py checks that both read the same snapshot or fail alike.

Only a layout that leaves no doubt about what TOML would read is taken
(:func:`lift_years` returns None otherwise, and the caller reads the whole file with the
parser):

- no multi-line string anywhere (a line is then a line of TOML), and no carriage return;
- a block is a line ``years = [`` whose last table header above is exactly
  ``[[plans.indicators]]``, then one line or more each of one inline table, then a line ``]``;
  at most one block per indicator;
- each of those lines is ``    { year = Y, key = value, … },`` with the keys in the order the
  workbench writes them (each optional one present or not), numbers in a plain form (no sign
  ``+``, no ``_``, no leading zero; integers of at most 18 digits, years of at most 9), text
  values of lower-case letters and ``_`` (no escape), and ``true`` / ``false``.

What the caller must still check, on what the parser reads of the rest: that it holds as many
indicators as there are ``[[plans.indicators]]`` lines, and none with a key ``years`` of its
own (a file that writes some years another way) — else read the whole file as usual.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import polars as pl

from workbench.i18n import _

_OPEN: Final = "years = ["
_CLOSE: Final = "]"
_INDICATOR_TABLE: Final = "[[plans.indicators]]"

# A float as TOML reads it (a fraction or an exponent), an integer that fits in 64 bits, or
# an infinity or NaN as the workbench writes them.
_NUMBER: Final = (
    r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+|(?:\.[0-9]+)?e[+-]?[0-9]+)"
    r"|-?(?:0|[1-9][0-9]{0,17})|-?inf|nan"
)
_YEAR: Final = r"-?(?:0|[1-9][0-9]{0,8})"  # fits in 32 bits
_TEXT: Final = r'"([a-z_]+)"'


@dataclass(frozen=True, slots=True)
class LiftedYears:
    """``remainder``: the text without the blocks of years; ``years``: one row per year, in
    the file's order, with ``_indicator`` (the place of its ``[[plans.indicators]]`` table
    among all of them, from 0) and a column per key; ``indicators``: how many
    ``[[plans.indicators]]`` tables the file has."""

    remainder: str
    years: pl.DataFrame
    indicators: int


def year_line_pattern(columns: Mapping[str, pl.DataType]) -> str:
    """The regular expression of one year's line, a group per key (``year`` first)."""
    names = list(columns)
    if not names or names[0] != "year":
        raise ValueError(_("the first key of a year must be 'year'"))
    pieces = [rf"^    \{{ year = ({_YEAR})"]
    for name in names[1:]:
        dtype = columns[name]
        if dtype == pl.Float64:
            value = rf"({_NUMBER})"
        elif dtype == pl.String:
            value = _TEXT
        elif dtype == pl.Boolean:
            value = "(true|false)"
        else:
            raise ValueError(f"no plain form for {name} ({dtype})")
        pieces.append(rf"(?:, {name} = {value})?")
    pieces.append(r" \},$")
    return "".join(pieces)


def lift_years(data: bytes, columns: Mapping[str, pl.DataType]) -> LiftedYears | None:
    """The years of the file ``data`` lifted out (see the module text), or None when its
    layout is not one this reads (or it is not UTF-8): then read it whole with the parser."""
    if b"\r" in data:
        return None  # a carriage return: Polars' reader would end a line there; TOML does not
    try:
        # One column of whole lines: no quoting, and a separator that TOML does not allow in
        # a file (a NUL in it makes a second field, which fails the read: the parser says why).
        lines = pl.read_csv(
            io.BytesIO(data),
            has_header=False,
            separator="\x00",
            quote_char=None,
            schema={"line": pl.String},
        )
    except pl.exceptions.PolarsError:
        return None
    line = pl.col("line")
    flags = lines.with_columns(line.fill_null("")).select(  # an empty line reads as null
        "line",
        open=line == _OPEN,
        close=line == _CLOSE,
        header=line.str.starts_with("["),
        indicator_table=line == _INDICATOR_TABLE,
    )
    opened, closed = pl.col("open"), pl.col("close")
    marks = flags.with_columns(
        # The rows after a "years = [" up to its "]" (a "]" elsewhere closes something else).
        inside=pl.when(opened)
        .then(pl.lit(value=True))
        .when(closed)
        .then(pl.lit(value=False))
        .forward_fill()
        .shift(1)
        .fill_null(value=False),
        # Whether the last table header above is an indicator's, and how many those are.
        under_indicator=pl.when("header")
        .then(pl.col("indicator_table"))
        .forward_fill()
        .fill_null(value=False),
        indicator=pl.col("indicator_table").cum_sum().cast(pl.Int64) - 1,
    )
    inside = pl.col("inside")
    rows = marks.filter(inside & ~closed)  # the years' lines
    ok = marks.select(
        # No multi-line string anywhere (looked for here, on every core, rather than by a
        # search of the bytes in Python).
        plain=~(
            line.str.contains('"""', literal=True) | line.str.contains("'''", literal=True)
        ).any(),
        # A block at least.
        blocks=opened.any(),
        # A block ends before the file does.
        ended=~inside.last() | closed.last(),
        # Each block opens under an indicator's table, and holds a year at least.
        owned=(~opened | (pl.col("under_indicator") & (pl.col("indicator") >= 0))).all(),
        not_empty=(~(inside & closed) | ~opened.shift(1, fill_value=False)).all(),
        once=pl.col("indicator").filter(opened).is_unique().all(),
    ).row(0)
    if not all(ok):
        return None
    # Inside a block, each line is a year in the plain form: one match of the line's pattern
    # checks it and gives every key's value (a line that does not match has no year). By the
    # streaming engine, a batch of lines on each core (eager, the one chunk of lines would be
    # matched on one core: twice the time on two).
    try:
        found = (
            rows.lazy()
            .select(
                pl.col("indicator").alias("_indicator"),
                line.str.extract_groups(year_line_pattern(columns)).alias("_groups"),
            )
            .collect(engine="streaming")
            .unnest("_groups")
        )
        texts = found.columns[1:]  # the groups, named by number: a key each, in order
        if found.get_column(texts[0]).has_nulls():
            return None
        years = found.select(
            "_indicator",
            *[
                _typed(pl.col(text), dtype).alias(name)
                for text, (name, dtype) in zip(texts, columns.items(), strict=True)
            ],
        )
    except pl.exceptions.PolarsError:
        return None
    indicators = marks.get_column("indicator_table").sum()
    return LiftedYears(_remainder(marks, ~(opened | inside)), years, int(indicators))


def _remainder(marks: pl.DataFrame, keep: pl.Expr) -> str:
    """The lines of ``marks`` that ``keep`` is true for, joined by line breaks (the line column
    alone filtered: filtering every column of millions of rows costs twice the join)."""
    kept = marks.get_column("line").filter(marks.select(keep).to_series())
    return str(kept.str.join("\n").item() or "")


def _typed(text: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    if dtype == pl.Boolean:
        return pl.when(text.is_null()).then(None).otherwise(text == "true")
    return text.cast(dtype, strict=True)
