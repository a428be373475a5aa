"""The data contract: every table of the canonical dataset, its Polars schema and its enums.

Other tools (spreadsheets, DuckDB, Spark) read the Parquet files as they are, so the names,
the order and the types declared here are part of the interface. Changing one is a breaking
change of the dataset.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from operator import itemgetter

import polars as pl

COUNTRIES = ("KZ", "KG")
LANGUAGES = ("kk", "ky", "ru")
PLAN_KINDS = ("report", "plan", "programme", "grants")
CURRENCIES = ("KZT", "KGS")
NODE_KINDS = ("direction", "section", "goal", "target", "task", "indicator", "activity", "grant")
POLARITIES = ("increase", "decrease", "target")
VALUE_KINDS = ("baseline", "plan", "fact", "estimate", "target")
REPORTED_STATUSES = ("met", "not_met")
FUNDING_KINDS = ("plan", "fact")
VOCABULARY_KINDS = ("body", "funding")

Country = pl.Enum(COUNTRIES)
Language = pl.Enum(LANGUAGES)
PlanKind = pl.Enum(PLAN_KINDS)
Currency = pl.Enum(CURRENCIES)
NodeKind = pl.Enum(NODE_KINDS)
Polarity = pl.Enum(POLARITIES)
ValueKind = pl.Enum(VALUE_KINDS)
ReportedStatus = pl.Enum(REPORTED_STATUSES)
FundingKind = pl.Enum(FUNDING_KINDS)
VocabularyKind = pl.Enum(VOCABULARY_KINDS)

Text = pl.String()
TextList = pl.List(pl.String())

SCHEMAS: dict[str, pl.Schema] = {
    "plans": pl.Schema(
        {
            "plan_id": Text,
            "city": Text,
            "city_native": Text,
            "country": Country,
            "language": Language,
            "kind": PlanKind,
            "title": Text,
            "period_start": pl.Int32(),
            "period_end": pl.Int32(),
            "report_year": pl.Int32(),
            "currency": Currency,
            "approved": Text,
            "responsible": Text,
            "narrative": Text,
            "source_file": Text,
            "source_sha256": Text,
            "given_by_hand": Text,
        }
    ),
    "nodes": pl.Schema(
        {
            "plan_id": Text,
            "node_id": Text,
            "parent_id": Text,
            "kind": NodeKind,
            "code": Text,
            "title": Text,
            "position": pl.Int32(),
            "source_line": pl.Int32(),
        }
    ),
    "indicators": pl.Schema(
        {
            "plan_id": Text,
            "node_id": Text,
            "unit": Text,
            "responsible": Text,
            "info_source": Text,
            "polarity": Polarity,
        }
    ),
    "values": pl.Schema(
        {
            "plan_id": Text,
            "node_id": Text,
            "year": pl.Int32(),
            "kind": ValueKind,
            "value": pl.Float64(),
            "raw": Text,
            "comment": Text,
            "reported_status": ReportedStatus,
            "source_line": pl.Int32(),
        }
    ),
    "activities": pl.Schema(
        {
            "plan_id": Text,
            "node_id": Text,
            "title": Text,
            "measures": Text,
            "deadline_raw": Text,
            "due_start": pl.Date(),
            "due_end": pl.Date(),
            "expected_result": Text,
            "responsible": Text,
            "funding_raw": Text,
            "funding_sources": TextList,
            "completion_form": Text,
            "report": Text,
        }
    ),
    "grants": pl.Schema(
        {
            "plan_id": Text,
            "node_id": Text,
            "area": Text,
            "direction": Text,
            "problem": Text,
            "grant_type": Text,
            "period_raw": Text,
            "territory": Text,
            "targets": TextList,
            "expected_results": TextList,
            "requirements": Text,
        }
    ),
    "funding": pl.Schema(
        {
            "plan_id": Text,
            "node_id": Text,
            "year": pl.Int32(),
            "source": Text,
            "kind": FundingKind,
            "amount": pl.Float64(),
            "amount_raw": Text,
            "currency": Currency,
            "comment": Text,
            # The row's label as printed ("Барлығы", "оның ішінде …", a source's name) and the
            # line of its amount: what tells a printed total from its part.
            "label": Text,
            "source_line": pl.Int32(),
        }
    ),
    # Refinement of DESIGN.md (issue 4): one small vocabulary of responsible bodies and funding
    # codes shared by every plan, and which node each code is attached to.
    "vocabulary": pl.Schema(
        {
            "kind": VocabularyKind,
            "code": Text,
            "language": Language,
            "name": Text,
        }
    ),
    "assignments": pl.Schema(
        {
            "plan_id": Text,
            "node_id": Text,
            "kind": VocabularyKind,
            "code": Text,
        }
    ),
    # A plan's own list of abbreviations (e.g. КЫСКАРТУУЛАР), kept as printed.
    "abbreviations": pl.Schema(
        {
            "plan_id": Text,
            "abbreviation": Text,
            "meaning": Text,
        }
    ),
}

TABLES: tuple[str, ...] = tuple(SCHEMAS)

# Columns that may never be null, per table.
REQUIRED: dict[str, tuple[str, ...]] = {
    "plans": (
        "plan_id",
        "city",
        "city_native",
        "country",
        "language",
        "kind",
        "title",
        "period_start",
        "period_end",
        "currency",
        "source_file",
        "source_sha256",
    ),
    "nodes": ("plan_id", "node_id", "kind", "title", "position"),
    "indicators": ("plan_id", "node_id", "polarity"),
    "values": ("plan_id", "node_id", "year", "kind", "raw"),
    "activities": ("plan_id", "node_id", "title", "funding_sources"),
    "grants": ("plan_id", "node_id", "targets", "expected_results"),
    "funding": ("plan_id", "kind", "amount", "amount_raw", "currency"),
    "vocabulary": ("kind", "code", "language", "name"),
    "assignments": ("plan_id", "node_id", "kind", "code"),
    "abbreviations": ("plan_id", "abbreviation", "meaning"),
}

# The key of each table: unique within the dataset, and the order rows are written in.
KEYS: dict[str, tuple[str, ...]] = {
    "plans": ("plan_id",),
    "nodes": ("plan_id", "node_id"),
    "indicators": ("plan_id", "node_id"),
    "values": ("plan_id", "node_id", "year", "kind"),
    "activities": ("plan_id", "node_id"),
    "grants": ("plan_id", "node_id"),
    "funding": ("plan_id", "node_id", "year", "source", "kind"),
    "vocabulary": ("kind", "code", "language"),
    "assignments": ("plan_id", "node_id", "kind", "code"),
    "abbreviations": ("plan_id", "abbreviation"),
}


def empty_frame(table: str) -> pl.DataFrame:
    """An empty frame with the table's exact schema."""
    return pl.DataFrame(schema=SCHEMAS[table])


_EMPTY_FRAMES: dict[str, pl.DataFrame] = {}

# Polars' row-dict constructor (the quickest way in for a few rows) would turn a value outside an
# enum into null without a word: those values are checked first, by column.
_ENUM_VALUES: dict[str, tuple[tuple[int, str, frozenset[str]], ...]] = {
    table: tuple(
        (index, name, frozenset(dtype.categories.to_list()))
        for index, (name, dtype) in enumerate(schema.items())
        if isinstance(dtype, pl.Enum)
    )
    for table, schema in SCHEMAS.items()
}


def _python_types(dtype: pl.DataType) -> tuple[type, ...] | None:
    """The Python types a column of ``dtype`` takes from a parser (None: not checked here)."""
    if dtype.is_integer():
        return (int,)
    if dtype.is_float():
        return (float, int)
    if dtype == pl.String:
        return (str,)
    if dtype == pl.Boolean:
        return (bool,)
    if dtype == pl.Date:
        return (datetime.date,)
    if isinstance(dtype, pl.List):
        return (list,)
    return None


# The row-dict constructor also converts what it should refuse (1.5 into an integer column
# becomes 1, 5 into a text column "5"): a parser's wrong type is refused by name instead, whichever
# way the frame is built.
_TYPES: dict[str, tuple[tuple[int, str, frozenset[type]], ...]] = {
    table: tuple(
        (index, name, frozenset([*types, type(None)]))
        for index, (name, dtype) in enumerate(schema.items())
        if (types := _python_types(dtype)) is not None
    )
    for table, schema in SCHEMAS.items()
}


def frame_from_rows(table: str, rows: list[dict[str, object]]) -> pl.DataFrame:
    """Build a table from row dicts; missing columns become null, unknown columns are refused,
    and so is a value outside its column's enum or of another type than its column's."""
    if not rows:
        return _empty(table)
    columns = _columns(table, rows)
    _check(table, columns)
    if len(rows) < _BY_COLUMNS:
        return pl.DataFrame(rows, schema=SCHEMAS[table])
    return _from_columns(table, columns)


def frame_from_tuples(
    table: str, rows: Sequence[tuple[object, ...]], *, checked: bool = False
) -> pl.DataFrame:
    """Build a table from rows that hold every column, in the schema's order; a value outside
    its column's enum or of another type than its column's is refused (``checked``: the rows
    passed :func:`check_tuples` already, as each document's do when it is made)."""
    if not rows:
        return _empty(table)
    if not checked:
        check_tuples(table, rows)
    schema = SCHEMAS[table]
    if len(rows) < _BY_COLUMNS:
        names = schema.names()
        return pl.DataFrame([dict(zip(names, row, strict=True)) for row in rows], schema=schema)
    return _from_columns(table, list(zip(*rows, strict=True)))


def check_tuples(table: str, rows: Sequence[tuple[object, ...]]) -> None:
    """Refuse rows that do not hold every column of the table in the schema's order, a value
    outside its column's enum, or one of another type than its column's (naming the column)."""
    if not rows:
        return
    width = len(SCHEMAS[table])
    if len(rows[0]) != width:
        raise ValueError(f"{table}: rows of {len(rows[0])} values for {width} columns")
    _check(table, list(zip(*rows, strict=True)))


def _empty(table: str) -> pl.DataFrame:
    # Most documents leave most tables empty: a frame made once per table is copied, not built
    # from the schema again.
    if table not in _EMPTY_FRAMES:
        _EMPTY_FRAMES[table] = pl.DataFrame(schema=SCHEMAS[table])
    return _EMPTY_FRAMES[table].clear()


def _check(table: str, columns: Sequence[Sequence[object]]) -> None:
    """Refuse a value outside its column's enum or of another type than its column's (columns in
    the schema's order)."""
    for index, name, allowed in _ENUM_VALUES[table]:
        values = columns[index]
        if not allowed.issuperset(set(values) - {None}):
            value = next(v for v in values if v is not None and v not in allowed)
            raise ValueError(f"{table}.{name}: {value!r} is not one of {sorted(allowed)}")
    for index, name, types in _TYPES[table]:
        found = set(map(type, columns[index]))
        if not found <= types:
            wrong = sorted(t.__name__ for t in found - types)
            raise TypeError(f"{table}.{name}: values of type {', '.join(wrong)} in this column")


# Polars' row-dict constructor makes a small frame quickest (one call); a Series per column
# costs more to set up but much less per value, and wins from about this many rows.
_BY_COLUMNS = 64


def _from_columns(table: str, columns: Sequence[Sequence[object]]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            _series(name, dtype, values)
            for (name, dtype), values in zip(SCHEMAS[table].items(), columns, strict=True)
        ]
    )


def _series(name: str, dtype: pl.DataType, values: Sequence[object]) -> pl.Series:
    if isinstance(dtype, pl.Enum):
        # Text first: a Series of an enum type is slower made from Python strings than cast.
        return pl.Series(name, values, dtype=pl.String).cast(dtype)
    if isinstance(dtype, pl.List):
        # The row-dict constructor reads lists of text quicker than the Series constructor.
        return pl.DataFrame([{name: v} for v in values], schema={name: dtype}).to_series()
    return pl.Series(name, values, dtype=dtype)


# Every column's getter, and all columns' at once (a row holding every column of its table).
_GETTERS: dict[str, Callable[[dict[str, object]], tuple[object, ...]]] = {
    table: itemgetter(*schema.keys()) for table, schema in SCHEMAS.items()
}


def _columns(table: str, rows: list[dict[str, object]]) -> list[tuple[object, ...]]:
    """The rows' values by column (a missing one None); a row with an unknown column is refused.

    Parsers give every column of a row: those rows are taken apart at once (a row of that many
    keys that has them all has no other), other rows one by one.
    """
    names = SCHEMAS[table].keys()
    if set(map(len, rows)) == {len(names)}:
        try:
            return list(zip(*map(_GETTERS[table], rows), strict=True))
        except KeyError:
            pass
    for row in rows:
        if not row.keys() <= names:
            raise KeyError(f"{table}: unknown column(s) {sorted(row.keys() - names)}")
    return [tuple(row.get(name) for row in rows) for name in names]
