"""Writing a snapshot as TOML (format ``plan-workbench-snapshot``, version 2).

The header keys ``format``, ``format_version``, ``name``, ``created_at``, ``author``, ``met``,
``amber``, ``dataset_sha256``; then ``[[annotations]]`` (each with ``history = [...]``),
``[[facts]]``, ``[[polarities]]`` (set by the analyst), ``[[rollup]]`` and ``[[plans]]``, each
plan with ``[[plans.indicators]]`` and their ``years``: an array with one inline table per year,
one per line
(``{ year = 2017, plan = 5.0, fact = 5.5, … }``). TOML has no null: a key that is absent is
null (``claim_mismatch`` absent is false); an empty list is absent. Reading it back with
``tomllib`` gives the same content, and importing then exporting gives the same file.

Public API::

    write_toml(snap, path_or_binary_file)   the document, streamed
    to_toml(snap)                           -> str
    toml_rows(snap)                         -> LazyFrame of the document's lines (column "text")

Why the bulk of the file does not go through tomli-w: at 1 000 plans a snapshot holds millions
of indicator-year values, and tomli-w spends about a microsecond of Python per value
(bench/bench_workspace.py shows the export's time). The header, annotations (with their history)
and facts still go through tomli-w; each plan's own keys, the roll-up tables, the indicators and
their years are rendered by Polars string expressions that follow TOML 1.0 and tomli-w's own
conventions: strings are basic strings with tomli-w's escapes (\\b \\n \\f \\r \\" \\\\ and
\\u00XX for the other control characters; a tab stays as it is), floats are Polars' shortest
round-trip text (nan for NaN; inf and -inf as they are), integers are digits, a null key is
left out and claim_mismatch is written only when true. Each year of an indicator is one inline
table on its own line, made by one concatenation per row of pieces null where the value is (and
so left out): a key's ``, key = `` as a literal piece of its own before the value's text, and a
column of few distinct values (a year, a status) as its ``, key = value`` looked up in a table
made once. The rows of text are in document order (the values are put in their indicators'
order first where they are not: see :func:`_body`) and written by Polars' CSV writer as one
unquoted column (a row, a line). An indicator without years has ``status = "no_data"`` and no
``years``. tests/test_snapshot.py checks that tomllib reads back exactly what was written,
and tests/test_snapshot_bytes.py checks the bytes against files written by earlier versions.
"""

from __future__ import annotations

import io
import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Final

import polars as pl
import tomli_w

from workbench.dataset.hierarchy import runs
from workbench.snapshots.keyed import beside
from workbench.snapshots.model import HEADER_KEYS, Snapshot

_TOML_ESCAPES: Final[dict[str, str]] = {
    "\\": "\\\\",
    '"': '\\"',
    **{
        chr(code): {8: "\\b", 10: "\\n", 12: "\\f", 13: "\\r"}.get(code, f"\\u{code:04x}")
        for code in [*range(0x20), 0x7F]
        if code != 9  # a tab may stand in a basic string
    },
}


def _toml_string(text: str) -> str:
    """A TOML basic string, escaped as :func:`_toml_value` escapes a column."""
    return '"' + "".join(_TOML_ESCAPES.get(char, char) for char in text) + '"'


def _escaped(text: pl.Expr) -> pl.Expr:
    """A text column as TOML basic strings."""
    escaped = text.str.replace_many(list(_TOML_ESCAPES), list(_TOML_ESCAPES.values()))
    return pl.concat_str(pl.lit('"'), escaped, pl.lit('"'))


# A column whose distinct values are at most this many (and at most half its rows; an integer
# column: whose values span as many numbers) is written by looking its rows' text up in a table
# made once (a year: a dozen; a status: four); so are neighbouring ones together, as long as
# their combinations are at most this many.
_FEW: Final = 4096
# A text column with at most this many distinct values finds its rows' places in the table by
# comparing them with each (cheaper than hashing every row, for so few).
_COMPARED: Final = 8


@dataclass(frozen=True, slots=True)
class _Few:
    """How a column with few distinct values is looked up: per row, 0 where nothing is written,
    else 1 + the place in ``texts`` of what is written (the key's prefix and value)."""

    code: pl.Expr
    texts: list[str]


def _few(column: str, series: pl.Series, prefix: str, *, omit_false: bool) -> _Few | None:
    """The lookup of a column of booleans or few distinct values (see :data:`_FEW`); None for
    another column."""
    value = pl.col(column)
    dtype = series.dtype

    def code(number: int) -> pl.Expr:
        return pl.lit(number, dtype=pl.UInt32)

    if omit_false:
        return _Few(value.fill_null(False).cast(pl.UInt32), [f"{prefix}true"])
    if dtype == pl.Boolean:
        return _Few(
            pl.when(value).then(code(2)).when(~value).then(code(1)).otherwise(code(0)),
            [f"{prefix}false", f"{prefix}true"],
        )
    if dtype.is_integer():
        low, high = series.min(), series.max()
        if not (isinstance(low, int) and isinstance(high, int)):
            return None
        span = high - low + 1
        if span > _FEW or 2 * span > series.len() or dtype == pl.UInt64:  # not always an Int64
            return None
        return _Few(
            (value.cast(pl.Int64) - (low - 1)).fill_null(0).cast(pl.UInt32),
            [f"{prefix}{number}" for number in range(low, high + 1)],
        )
    if dtype == pl.Float64:
        return None
    distinct = series.cast(pl.String).drop_nulls().unique(maintain_order=True)
    if not 0 < distinct.len() <= _FEW or 2 * distinct.len() > series.len():
        return None  # none: a lookup would not refer to the column (and make one row)
    texts = pl.select(pl.concat_str(pl.lit(prefix), _escaped(pl.lit(distinct)))).to_series()
    text = value.cast(pl.String)
    if distinct.len() <= _COMPARED:
        place = code(0)
        for i, each in enumerate(distinct.to_list()):
            place = (
                pl.when(text == pl.lit(each, dtype=pl.String)).then(code(i + 1)).otherwise(place)
            )
    else:
        numbers = pl.Series(range(1, distinct.len() + 1), dtype=pl.UInt32)
        place = text.replace_strict(distinct, numbers, default=0, return_dtype=pl.UInt32)
    return _Few(place, texts.to_list())


def _looked_up(columns: list[_Few], trail: str = "") -> pl.Expr:
    """The text of neighbouring columns (and ``trail`` after it) in one piece, looked up in the
    table of all their combinations; null where that is empty."""
    texts = [
        "".join(each) + trail for each in itertools.product(*[["", *c.texts] for c in columns])
    ]
    place = pl.lit(0, dtype=pl.UInt32)
    for column in columns:
        place = place * (len(column.texts) + 1) + column.code
    table = pl.Series([text or None for text in texts], dtype=pl.String)
    return pl.lit(table).gather(place)


def _toml_value(column: str, series: pl.Series, prefix: str, *, split: bool) -> list[pl.Expr]:
    """Pieces whose ``concat_str`` (nulls left out) is, per row, ``prefix`` and the TOML value of
    a column that is not few-valued (see :func:`_few`), or nothing where it is null. One piece,
    null where the column is, unless ``split``: then the prefix may be a literal piece of its own
    (null where the value is) before the value's bare text, which saves a concatenation per
    column over millions of rows; and a column of nulls only is no piece at all. A float column
    with no NaN is not checked for one."""
    value = pl.col(column)
    nulls = series.null_count()
    if split and nulls == series.len() > 0:
        return []
    if series.dtype == pl.Float64 or series.dtype.is_integer():
        text = value.cast(pl.String)
        if _has_nan(series):
            text = pl.when(value.is_nan()).then(pl.lit("nan")).otherwise(text)
        if not split:
            return [pl.concat_str(pl.lit(prefix), text)]
        lead = pl.lit(prefix) if nulls == 0 else pl.when(value.is_not_null()).then(pl.lit(prefix))
        return [lead, text]
    return [pl.concat_str(pl.lit(prefix), _escaped(value.cast(pl.String)))]


def _has_nan(column: pl.Series) -> bool:
    """Whether a float column holds a NaN (when not, :func:`_toml_value` checks no row for one).
    Text columns are always escaped: looking for what to escape costs about what escaping
    does."""
    return column.dtype == pl.Float64 and bool(column.is_nan().any())


def _toml_pieces(
    frame: pl.DataFrame,
    separator: str,
    *,
    omit_false: tuple[str, ...] = (),
    joined: bool = False,
    lead: str = "",
    trail: str = "",
) -> list[pl.Expr]:
    """``key = value`` of each column, null where the column is null (``omit_false``: where it
    is not true); ``joined``: ``lead`` before the first, ``separator`` before each of the others
    and ``trail`` after the last, in pieces of a column or a few (see :func:`_few`,
    :func:`_toml_value`), so that a ``concat_str`` of them without a separator (nulls left out)
    is ``lead``, the separator join and ``trail`` — for a first column that is never null."""
    pieces: list[pl.Expr] = []
    group: list[_Few] = []  # neighbouring few-valued columns, looked up together when joined
    for i, series in enumerate(frame.iter_columns()):
        column = series.name
        prefix = f"{(separator if i else lead) if joined else ''}{column} = "
        few = _few(column, series, prefix, omit_false=column in omit_false)
        if few is None:
            if group:
                pieces.append(_looked_up(group))
                group = []
            pieces += _toml_value(column, series, prefix, split=joined)
        elif not joined:
            pieces.append(_looked_up([few]))
        else:
            if math.prod(len(c.texts) + 1 for c in [*group, few]) > _FEW:
                pieces.append(_looked_up(group))
                group = []
            group.append(few)
    if group:
        pieces.append(_looked_up(group, trail))
    elif joined and trail:
        pieces.append(pl.lit(trail))
    return pieces


def _toml_pairs(
    frame: pl.DataFrame,
    separator: str,
    *,
    omit_false: tuple[str, ...] = (),
    lead: str = "",
    trail: str = "",
) -> list[pl.Expr]:
    """Pieces whose ``concat_str`` (nulls left out) is ``lead``, ``key = value`` of every column
    not null (``omit_false``: only when true), joined, and ``trail``. (Pieces, not their
    concatenation: where they go into a longer text, the millions of year lines are not made
    and then copied into it.)"""
    first = frame.columns[0] if frame.width else None
    if first is not None and first not in omit_false and not frame.get_column(first).has_nulls():
        # The lead, separators and trail go into the pieces: one concatenation, no join.
        return _toml_pieces(
            frame, separator, omit_false=omit_false, joined=True, lead=lead, trail=trail
        )
    pieces = _toml_pieces(frame, separator, omit_false=omit_false)
    return [
        pl.lit(lead),
        pl.concat_str(pieces, separator=separator, ignore_nulls=True),
        pl.lit(trail),
    ]


def _toml_text(frame: pl.DataFrame, separator: str, *, lead: str) -> pl.Expr:
    """The text of :func:`_toml_pairs`, one per row."""
    return pl.concat_str(_toml_pairs(frame, separator, lead=lead), ignore_nulls=True)


def _records(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts without their nulls (TOML has none)."""
    columns = frame.columns
    return [
        {columns[i]: value for i, value in enumerate(row) if value is not None}
        for row in frame.iter_rows()
    ]


def _plan_texts(plans: pl.DataFrame) -> list[str]:
    """Each plan's own ``[[plans]]`` table, as tomli-w writes it (tests/test_snapshot_bytes.py
    compares them), made by string expressions: tomli-w takes a fifth of a second for a
    thousand plans. A plan's keys are bare, its values text and integers, and it always has a
    long source hash: never an inline table."""
    if plans.is_empty():
        return []
    return plans.select(_toml_text(plans, "\n", lead="\n[[plans]]\n")).to_series().to_list()


def _body(parts: Mapping[str, pl.DataFrame]) -> pl.LazyFrame:
    """The roll-up and the plans as rows of TOML text in document order (column ``text``).

    Per plan (in the plans' order) its ``[[plans]]`` table, then per indicator of it (in the
    indicators' order) its ``[[plans.indicators]]`` table, opening ``years = [`` when it has
    years, a line per year (in the values' order) and the closing ``]``. Indicators of no plan
    and values of no indicator are left out.

    Each year's line is a row, and the text that goes before it — where an indicator begins,
    its table, after the plans' tables and the indicators without years that come between it
    and the indicator before — and ``]`` where the indicator ends are glued onto that row:
    the millions of year lines are made in one pass, as the writer takes them, and never
    copied. The values are put in the indicators' order first when they are not in it (an
    imported file's parts may be in any order); a snapshot made here, or read from a file, is.
    """
    keys = ["plan_id", "node_id"]
    plans, indicators, values = parts["plans"], parts["indicators"], parts["values"]
    places = plans.select("plan_id").with_row_index("_plan")
    # The indicators in document order (_at: their place in it).
    listed = (
        indicators.join(places, on="plan_id", how="inner", maintain_order="left")
        .sort("_plan", maintain_order=True)
        .with_row_index("_at")
    )
    values = _in_document_order(values, listed.select(*keys, "_at"))
    at = values.get_column("_at")
    first = (at != at.shift(1)).fill_null(True)
    last = (at != at.shift(-1)).fill_null(True)
    with_years = at.filter(first)  # the indicators with years, in document order
    has_years = pl.repeat(False, listed.height, eager=True).scatter(with_years, True)
    heads = listed.select(
        pl.concat_str(
            *_toml_pairs(
                listed.drop("plan_id", "_plan", "_at"), "\n", lead="\n[[plans.indicators]]\n"
            ),
            pl.when(pl.lit(has_years)).then(pl.lit("\nyears = [")),
            ignore_nulls=True,
        )
    ).to_series()
    # The plans' tables and the indicators without years go before the next indicator with
    # years (a plan's table before its first indicator): glued onto that one's head, or after
    # the last year line when none comes after them. They are few: a loop.
    before: dict[int, list[str]] = {}
    plan_starts = listed.get_column("_plan").search_sorted(places.get_column("_plan"), "left")
    bare = (~has_years).arg_true()
    others = sorted(
        [
            (int(at_), 0, i, text)
            for i, (at_, text) in enumerate(zip(plan_starts, _plan_texts(plans), strict=True))
        ]
        + [(int(at_), 1, 0, text) for at_, text in zip(bare, heads.gather(bare), strict=True)]
    )
    carriers = with_years.search_sorted(
        pl.Series([each[0] for each in others], dtype=with_years.dtype), "left"
    )
    for carrier, each in zip(carriers, others, strict=True):
        before.setdefault(int(carrier), []).append(each[3])
    after = before.pop(with_years.len(), [])
    prefixes = pl.repeat(None, with_years.len(), dtype=pl.String, eager=True)
    if before:
        prefixes = prefixes.scatter(
            list(before), ["\n".join(texts) + "\n" for texts in before.values()]
        )
    glued = pl.select(
        pl.concat_str(
            pl.lit(prefixes), pl.lit(heads.gather(with_years)), pl.lit("\n"), ignore_nulls=True
        )
    ).to_series()
    # Per value row, where its indicator begins, the place of its glued text.
    head = pl.repeat(None, values.height, dtype=pl.UInt32, eager=True).scatter(
        first.arg_true(), pl.int_range(with_years.len(), dtype=pl.UInt32, eager=True)
    )
    lines = (
        values.drop(*keys, "_at")
        .with_columns(_head=head, _last=last)
        .lazy()
        .select(
            pl.concat_str(
                pl.lit(glued).gather(pl.col("_head")),
                *_year_pieces(values.drop(*keys, "_at")),
                pl.when(pl.col("_last")).then(pl.lit("\n]")),
                ignore_nulls=True,
            ).alias("text")
        )
    )
    rollup = parts["rollup"]
    rows = [
        rollup.lazy().select(text=_toml_text(rollup, "\n", lead="\n[[rollup]]\n")),
        lines,
        pl.LazyFrame({"text": after}, schema={"text": pl.String}),
    ]
    return pl.concat(rows, how="vertical")


def _in_document_order(values: pl.DataFrame, listed: pl.DataFrame) -> pl.DataFrame:
    """``values`` with ``_at``, their indicator's place in document order (``listed``), in
    that order (within an indicator, as they were); the rows of no indicator left out. Their
    runs of one indicator are looked up, not every row: a snapshot's values come in runs."""
    keys = ["plan_id", "node_id"]
    found = runs(values, *keys)
    firsts = values.select(keys).filter(found.get_column("first"))
    run_at = beside(firsts, listed, keys).get_column("_at")
    values = values.with_columns(_at=run_at.gather(found.get_column("run")))
    if run_at.has_nulls():
        values = values.filter(pl.col("_at").is_not_null())
    if not run_at.drop_nulls().is_sorted():
        values = values.sort("_at", maintain_order=True)
    return values


def _year_pieces(years: pl.DataFrame) -> list[pl.Expr]:
    """Pieces whose ``concat_str`` (nulls left out) is one indicator's year as an inline table
    on its own line (see :func:`_toml_pairs`)."""
    return _toml_pairs(years, ", ", omit_false=("claim_mismatch",), lead="    { ", trail=" },")


# Polars' CSV writer, writing rows of one text column as they are, a line each.
_TEXT_ROWS: Final[dict[str, Any]] = {
    "include_header": False,
    "quote_style": "never",
    "line_terminator": "\n",
    "engine": "streaming",
}


def toml_rows(snap: Snapshot) -> pl.LazyFrame:
    """The whole document as rows of text (column ``text``), a line break after each: first
    what tomli-w writes (header, annotations, facts), then the body (:func:`_body`)."""
    parts = snap.parts
    head: dict[str, Any] = {key: snap.header[key] for key in HEADER_KEYS}
    versions: dict[str, list[dict[str, Any]]] = {}
    for record in _records(parts["history"]):
        versions.setdefault(record.pop("uid"), []).append(record)
    annotations = _records(parts["annotations"])
    for record in annotations:
        record["history"] = versions.get(record["uid"], [])
    for key, records in (
        ("annotations", annotations),
        ("facts", _records(parts["facts"])),
        ("polarities", _records(parts["polarities"])),
    ):
        if records:
            head[key] = records
    text = tomli_w.dumps(head)
    if not text.endswith("\n"):  # tomli-w ends every table with one
        raise RuntimeError("the snapshot header did not end with a line break")
    first = pl.LazyFrame({"text": [text[:-1]]}, schema={"text": pl.String})
    return pl.concat([first, _body(parts)], how="vertical")


def write_toml(snap: Snapshot, target: str | Path | IO[bytes]) -> None:
    """The snapshot as TOML into ``target`` (a path, or a binary file): one text column,
    unquoted, a row a line, written by Polars in chunks as it is made."""
    toml_rows(snap).sink_csv(target, **_TEXT_ROWS)


def to_toml(snap: Snapshot) -> str:
    """The snapshot as TOML text."""
    buffer = io.BytesIO()
    write_toml(snap, buffer)
    return buffer.getvalue().decode("utf-8")
