"""Writing a snapshot as TOML (format ``plan-workbench-snapshot``, version 1).

The header keys ``format``, ``format_version``, ``name``, ``created_at``, ``author``, ``met``,
``amber``, ``dataset_sha256``; then ``[[annotations]]`` (each with ``history = [...]``),
``[[facts]]``, ``[[rollup]]`` and ``[[plans]]``, each plan with ``[[plans.indicators]]`` and
their ``years``: an array with one inline table per year, one per line
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
made once. The rows of text are in document order (by a sort only for parts in another order
than a snapshot made here has) and written by Polars' CSV writer as one unquoted column (a row,
a line). tests/test_snapshot_toml.py checks that tomllib reads back exactly what was written,
and tests/test_snapshot_bytes.py checks the bytes against files written by earlier versions.
"""

from __future__ import annotations

import io
import itertools
import math
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Final

import polars as pl
import tomli_w

from workbench.dataset.hierarchy import run_starts
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
) -> pl.Expr:
    """``lead``, ``key = value`` of every column not null (``omit_false``: only when true),
    joined, and ``trail``."""
    first = frame.columns[0] if frame.width else None
    if first is not None and first not in omit_false and not frame.get_column(first).has_nulls():
        # The lead, separators and trail go into the pieces: one concatenation, no join.
        pieces = _toml_pieces(
            frame, separator, omit_false=omit_false, joined=True, lead=lead, trail=trail
        )
        return pl.concat_str(pieces, ignore_nulls=True)
    pieces = _toml_pieces(frame, separator, omit_false=omit_false)
    return pl.concat_str(
        pl.lit(lead), pl.concat_str(pieces, separator=separator, ignore_nulls=True), pl.lit(trail)
    )


def _records(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts without their nulls (TOML has none)."""
    columns = frame.columns
    return [
        {columns[i]: value for i, value in enumerate(row) if value is not None}
        for row in frame.iter_rows()
    ]


def _text_rows(text: pl.Expr, *order: pl.Expr) -> list[pl.Expr]:
    return [
        text.alias("text"),
        *[expr.cast(pl.Int64).alias(f"o{i}") for i, expr in enumerate(order)],
    ]


def _plan_chunks(plans: pl.DataFrame) -> list[str]:
    """Each plan's own ``[[plans]]`` table (tomli-w), in the order of ``plans``."""
    chunks = []
    for plan in _records(plans):
        chunk = tomli_w.dumps({"plans": [plan]})
        if not chunk.startswith("[[plans]]"):  # a plan always has a long source hash
            raise RuntimeError(f"plan {plan['plan_id']!r} rendered inline; cannot write it")
        chunks.append("\n" + chunk.rstrip("\n"))
    return chunks


def _rollup_rows(rollup: pl.DataFrame) -> pl.DataFrame:
    return rollup.select(text=_toml_pairs(rollup, "\n", lead="\n[[rollup]]\n"))


def _year_lines(values: pl.DataFrame) -> pl.Expr:
    """One indicator's year as an inline table on its own line."""
    return _toml_pairs(
        values.drop("plan_id", "node_id"),
        ", ",
        omit_false=("claim_mismatch",),
        lead="    { ",
        trail=" },",
    )


def _body(parts: Mapping[str, pl.DataFrame]) -> pl.LazyFrame:
    """The roll-up and the plans as rows of TOML text in document order (column ``text``)."""
    aligned = _body_aligned(parts)
    return aligned if aligned is not None else _body_sorted(parts).lazy()


def _body_aligned(parts: Mapping[str, pl.DataFrame]) -> pl.LazyFrame | None:
    """The body when the values come in runs of one indicator in the indicators' order and the
    indicators in the plans' order, each with at least one year (as a snapshot made here does);
    None otherwise.

    Then each year's line is a row, and the text that goes before it (the plan's table where a
    plan begins, the indicator's table and ``years = [`` where an indicator begins) and after
    it (``]`` where the indicator ends) is glued onto that row: no sort, no second copy of the
    hundreds of megabytes. Plans without indicators go in before the next plan that has some
    (or after the last row), so the plans keep their order.
    """
    plans, indicators, values = parts["plans"], parts["indicators"], parts["values"]
    if values.is_empty() or indicators.is_empty() or values.get_column("year").has_nulls():
        return None
    keys = ["plan_id", "node_id"]
    marks = values.select(first=run_starts(*keys), plan_first=run_starts("plan_id")).with_columns(
        last=pl.col("first").shift(-1, fill_value=True)
    )  # the next row begins one
    firsts = values.select(keys).filter(marks.get_column("first"))
    if not firsts.equals(indicators.select(keys)):
        return None
    # Plans in the values' order must be the plans' order (sorted by plan_id, both).
    plan_order = firsts.get_column("plan_id").unique(maintain_order=True)
    plan_ids = plans.get_column("plan_id")
    position = {plan_id: i for i, plan_id in enumerate(plan_ids.to_list())}
    wanted = [position.get(plan_id, -1) for plan_id in plan_order.to_list()]
    if -1 in wanted or wanted != sorted(wanted) or plan_ids.n_unique() != plans.height:
        return None
    # The roll-up's rows and the year lines' pieces are made in another thread meanwhile.
    with ThreadPoolExecutor(max_workers=1) as pool:
        rollup_rows = pool.submit(_rollup_rows, parts["rollup"])
        pieces = pool.submit(_year_pieces, values)
        body = _aligned_rows(plans, indicators, values, marks, wanted)
        if body is None:
            return None
        text, heads, pending = body
        text = text.select(
            pl.concat_str(
                pl.lit(heads).gather(pl.col("_head")),
                *pieces.result(),
                pl.when(pl.col("_last")).then(pl.lit("\n]")),
                ignore_nulls=True,
            ).alias("text")
        )
        rows = [rollup_rows.result().lazy(), text]
    if pending:  # plans after the last one with indicators
        rows.append(pl.LazyFrame({"text": pending}, schema={"text": pl.String}))
    return pl.concat(rows, how="vertical")


def _aligned_rows(
    plans: pl.DataFrame,
    indicators: pl.DataFrame,
    values: pl.DataFrame,
    marks: pl.DataFrame,
    wanted: list[int],
) -> tuple[pl.LazyFrame, pl.Series, list[str]] | None:
    """For :func:`_body_aligned`: the values with, per row, the place in the heads of the text
    that goes before it (``_head``: null but where an indicator begins) and whether it ends its
    indicator (``_last``); the heads (per indicator its table and ``years = [``, after the
    plan's table where a plan begins); and the plans after the last one with indicators. None
    when a plan's indicators are not in one run."""
    chunks = _plan_texts(plans).to_list()
    with_values = set(wanted)
    prefixes: list[str] = []
    pending: list[str] = []
    for i, chunk in enumerate(chunks):
        pending.append(chunk)
        if i in with_values:
            prefixes.append("".join(f"{each}\n" for each in pending))  # a row each, as before
            pending = []

    first = marks.get_column("first")
    # The indicators that begin a plan (the values' first rows are the indicators, in order).
    plan_starts = marks.get_column("plan_first").filter(first).arg_true()
    if plan_starts.len() != len(prefixes):  # a plan's indicators in two places: not in runs
        return None
    own = indicators.drop("plan_id")
    before = pl.repeat(None, indicators.height, dtype=pl.String, eager=True).scatter(
        plan_starts, pl.Series(prefixes, dtype=pl.String)
    )
    heads = indicators.select(
        pl.concat_str(
            pl.lit(before),
            _toml_pairs(own, "\n", lead="\n[[plans.indicators]]\n", trail="\nyears = [\n"),
            ignore_nulls=True,
        )
    ).to_series()
    # Each row: the plan's table where a plan begins and the indicator's table where an
    # indicator begins (looked up by place: the hundreds of thousands of heads are made once,
    # not scattered into a column of millions), the year's line, and "]" where the indicator
    # ends, made in one pass. The millions of year lines are made by the streaming engine, a
    # batch at a time, as the writer takes them (about a third faster than making them all
    # first, on two cores).
    places = pl.repeat(None, values.height, dtype=pl.UInt32, eager=True).scatter(
        first.arg_true(), pl.int_range(indicators.height, dtype=pl.UInt32, eager=True)
    )
    rows = values.with_columns(_head=places, _last=marks.get_column("last"))
    return rows.lazy(), heads, pending


def _year_pieces(values: pl.DataFrame) -> list[pl.Expr]:
    """What :func:`_year_lines` makes of a row, as pieces for one ``concat_str`` (nulls left
    out), for values whose year (the first key) is never null. Same text, without the
    intermediate columns of a separator join and its wrapping."""
    return _toml_pieces(
        values.drop("plan_id", "node_id"),
        ", ",
        omit_false=("claim_mismatch",),
        joined=True,
        lead="    { ",
        trail=" },",
    )


def _plan_texts(plans: pl.DataFrame) -> pl.Series:
    """Each plan's own ``[[plans]]`` table as :func:`_plan_chunks` writes it with tomli-w, made
    by string expressions (tomli-w is slow for thousands of plans). A plan's keys are bare, its
    values text and integers; tomli-w never writes one inline (see :func:`_plan_chunks`), which
    tests/test_snapshot.py checks against tomli-w itself."""
    if plans.is_empty():
        return pl.Series("text", [], dtype=pl.String)
    return plans.select(text=_toml_pairs(plans, "\n", lead="\n[[plans]]\n")).to_series()


def _body_sorted(parts: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    """The roll-up and the plans as rows of TOML text in document order (column ``text``),
    for parts in any order (an imported file's).

    Rows: one ``[[rollup]]`` table per roll-up row; per plan, its ``[[plans]]`` table (tomli-w),
    then per indicator its ``[[plans.indicators]]`` table opening ``years = [``, one line per
    year (an inline table) and the closing ``]``. They are put in order by a sort on
    (plan, indicator, place, row) rather than glued per indicator and plan, which would copy
    hundreds of megabytes of text a few times over.
    """
    keys = ["plan_id", "node_id"]
    plans = parts["plans"].with_row_index("p")
    chunks = _plan_chunks(parts["plans"])
    plan_rows = plans.select(
        _text_rows(
            pl.lit(pl.Series(chunks, dtype=pl.String)),
            pl.col("p"),
            pl.lit(-1),
            pl.lit(0),
            pl.lit(0),
        )
    )
    indicators = (
        parts["indicators"]
        .with_row_index("i")
        .join(plans.select("plan_id", "p"), on="plan_id", how="inner", maintain_order="left")
    )
    values = parts["values"]
    lines = (
        values.select(*keys, line=_year_lines(values))
        .with_row_index("k")
        .join(indicators.select(*keys, "p", "i"), on=keys, how="inner", maintain_order="left")
    )
    value_rows = lines.select(
        _text_rows(pl.col("line"), pl.col("p"), pl.col("i"), pl.lit(1), pl.col("k"))
    )
    with_years = lines.select("i").unique().with_columns(has_years=pl.lit(True))
    own = parts["indicators"].drop("plan_id")
    heads = indicators.select(
        "p",
        "i",
        head=_toml_pairs(own, "\n", lead="\n[[plans.indicators]]\n"),
    ).join(with_years, on="i", how="left", maintain_order="left")
    heads = heads.with_columns(
        pl.col("has_years").fill_null(False),
        head=pl.concat_str(
            "head", pl.when("has_years").then(pl.lit("\nyears = [")), ignore_nulls=True
        ),
    )
    head_rows = heads.select(
        _text_rows(pl.col("head"), pl.col("p"), pl.col("i"), pl.lit(0), pl.lit(0))
    )
    close_rows = heads.filter("has_years").select(
        _text_rows(pl.lit("]"), pl.col("p"), pl.col("i"), pl.lit(2), pl.lit(0))
    )
    body = pl.concat([plan_rows, head_rows, value_rows, close_rows], how="vertical")
    body = body.sort("o0", "o1", "o2", "o3")
    return pl.concat([_rollup_rows(parts["rollup"]), body.select("text")], how="vertical")


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
    for key, records in (("annotations", annotations), ("facts", _records(parts["facts"]))):
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
