"""Writing a snapshot as CSV: one file of values, one of annotations beside it.

``PATH`` holds one row per indicator and year (:data:`CSV_VALUE_COLUMNS`: the values with
status, the source of the fact and the latest annotation of that year, else of the node; an
indicator without a year row has one row, its year empty and status "no_data"), and
``PATH``'s sibling ``<stem>.annotations.csv`` one row per annotation
(:data:`CSV_ANNOTATION_COLUMNS`). A text cell a spreadsheet would run as a formula is written
with a ``'`` before it (:mod:`workbench.dataset.csv_cells`).

Public API::

    write_csv(snap, path, force=False)  -> [values path, annotations path], written atomically
    csv_paths(path)                     -> (values path, annotations path)
    csv_values_text(snap)               -> the values file's rows, their text already as CSV
                                           fields (written with ``quote_style="never"``)
    CSV_VALUE_COLUMNS, CSV_ANNOTATION_COLUMNS

The files are read back by any CSV reader (tests/test_snapshot.py reads hostile text back
with Polars and Python's ``csv`` module).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Final

import polars as pl

from workbench.analysis.status import ordered_runs
from workbench.dataset.csv_cells import neutralise_text
from workbench.dataset.hierarchy import runs
from workbench.snapshots.files import atomic_file, check_target
from workbench.snapshots.keyed import beside
from workbench.snapshots.model import Snapshot

CSV_VALUE_COLUMNS: Final = (
    "plan_id",
    "city",
    "node_id",
    "code",
    "title",
    "unit",
    "polarity",
    "polarity_source",
    "year",
    "baseline",
    "plan",
    "fact",
    "estimate",
    "target",
    "document_fact",
    "fact_source",
    "achievement",
    "status",
    "reported_status",
    "claim_mismatch",
    "annotation_uid",
    "annotation_state",
    "annotation_category",
    "annotation_text",
    "annotation_author",
    "annotation_updated_at",
)
CSV_ANNOTATION_COLUMNS: Final = (
    "uid",
    "plan_id",
    "node_id",
    "node_kind",
    "node_code",
    "node_title",
    "year",
    "state",
    "category",
    "text",
    "author",
    "created_at",
    "updated_by",
    "updated_at",
    "version",
)


def csv_paths(path: str | Path) -> tuple[Path, Path]:
    """The values file (``path``) and the annotations file beside it."""
    target = Path(path)
    suffix = target.suffix or ".csv"
    return target, target.with_name(f"{target.stem}.annotations{suffix}")


def write_csv(snap: Snapshot, path: Path, *, force: bool = False) -> list[Path]:
    """The snapshot as CSV: the values at ``path`` and the annotations beside it
    (:func:`csv_paths`), each written atomically; returns both paths."""
    values_path, notes_path = csv_paths(path)
    for each in (values_path, notes_path):
        check_target(each, force)
    # The annotations are written and synced first, into their temporary file; then the values
    # are written and placed; then the annotations are placed. A failure while writing either
    # (a full disk) so leaves every file as it was, --force or not. Only a failure to place the
    # annotations (their file appeared meanwhile) comes after the values are placed: the values
    # then go again, so that an export never leaves a values file without its annotations.
    placed = False
    try:
        with atomic_file(notes_path, force) as notes:
            _csv_annotations(snap).write_csv(notes.handle)
            notes.handle.flush()
            os.fsync(notes.handle.fileno())
            _write_values(snap, values_path, force)
            placed = True
    except BaseException:
        if placed:
            values_path.unlink(missing_ok=True)
        raise
    return [values_path, notes_path]


def _write_values(snap: Snapshot, path: Path, force: bool) -> None:
    """The values' CSV file, written atomically to ``path``."""
    with atomic_file(path, force) as temporary:
        csv_values_text(snap).write_csv(temporary.handle, quote_style="never")


def _csv_annotations(snap: Snapshot) -> pl.DataFrame:
    return neutralise_text(snap.parts["annotations"].select(CSV_ANNOTATION_COLUMNS))


# The leading columns that are the same on all the year rows of an indicator.
_CSV_HEAD: Final = CSV_VALUE_COLUMNS[: CSV_VALUE_COLUMNS.index("year")]
# What makes Polars quote a string field, besides being empty (with its default separator).
_CSV_SPECIAL: Final = r'[,"\r\n]'


def _csv_field(name: str) -> pl.Expr:
    """Text column ``name`` as Polars' ``write_csv`` writes a string field by default
    (separator ``,``, quote ``"``, ``quote_style="necessary"``): quoted, with each ``"``
    doubled, when it holds ``,``, ``"``, ``\\n`` or ``\\r`` or is empty (which would otherwise
    read as null); else as it is, leading and trailing spaces too. Null stays null: written as
    the empty null value in every quote style.

    A frame of such fields written with ``quote_style="never"`` — which writes strings as they
    are and everything else as the default does: the quote style only changes strings, or
    every field in the "always" and "non_numeric" styles — is byte for byte the default
    writing of the original frame (tests/test_snapshot.py reads such a file back with hostile
    text in every column). The writer then only copies the text: it no longer scans the
    per-indicator columns for characters to quote, field by field, and that text is made once
    per indicator, not once per year row.
    """
    text = pl.col(name)
    return (
        pl.when(text.str.contains(_CSV_SPECIAL) | (text == ""))
        .then(pl.lit('"') + text.str.replace_all('"', '""', literal=True) + pl.lit('"'))
        .otherwise(text)
        .alias(name)
    )


def _csv_joined(frame: pl.DataFrame, columns: Sequence[str]) -> pl.Series:
    """The ``columns`` fields of each row as CSV text, in one string (a null field: empty).
    Its name is the header of those columns, as the default style writes it: the names need
    no quotes."""
    return (
        _csv_text_columns(frame.select(columns))
        .select(
            pl.concat_str([pl.col(c).fill_null("") for c in columns], separator=",").alias(
                ",".join(columns)
            )
        )
        .to_series()
    )


def _csv_text_columns(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with its string columns as CSV text (:func:`_csv_field`). A column with no
    field to quote (the ids and statuses, in practice) is left as it is, not copied. Whether
    any is to quote is found in one string of the column's text, joined: one fast search
    rather than one per row (millions of short statuses)."""
    frame = neutralise_text(frame)
    text = [c for c, dtype in frame.schema.items() if dtype == pl.String]
    if not text:
        return frame
    quoted = frame.select(
        (
            pl.col(c).str.join("").str.contains(_CSV_SPECIAL)
            | (pl.col(c).str.len_bytes().min() == 0)
        ).fill_null(False)
        for c in text
    ).row(0)
    return frame.with_columns(_csv_field(c) for c, q in zip(text, quoted, strict=True) if q)


def csv_values_text(snap: Snapshot) -> pl.DataFrame:
    """The rows of the values file (:data:`CSV_VALUE_COLUMNS`, in key order) with every text
    field already as the CSV text Polars' ``write_csv`` writes for it (:func:`_csv_field`),
    the per-indicator columns (:data:`_CSV_HEAD`) in one column and the note's
    (``annotation_*``) in another: the file is its ``write_csv(quote_style="never")``. The
    indicator's text is made once per indicator, not once per year row, and the writer only
    copies text."""
    parts = snap.parts
    keys = ["plan_id", "node_id"]
    values = _with_indicators_without_years(parts["values"], parts["indicators"])
    in_order, found = ordered_runs(values, strict=False)
    if not in_order:  # an imported file's values may be in another order
        values = values.sort("plan_id", "node_id", "year", nulls_last=False, maintain_order=True)
        found = None
    if found is None:
        found = runs(values, *keys)
    # Each indicator's city, code, title and unit, made into text once and gathered onto its
    # rows (string views: no copy). A snapshot's plans and indicators are unique (made so, and
    # checked on import): a join keeps one row per run; in the same order, none is made.
    firsts = values.select(keys).filter(found.get_column("first"))
    described = beside(
        firsts,
        parts["indicators"].select(
            *keys,
            "code",
            "title",
            "unit",
            "polarity",
            # The document's where the analyst set none (the part keeps "analyst" only).
            pl.when(pl.col("polarity").is_not_null())
            .then(pl.col("polarity_source").fill_null("document"))
            .alias("polarity_source"),
        ),
        keys,
    ).join(
        parts["plans"].select("plan_id", "city"),
        on="plan_id",
        how="left",
        maintain_order="left",
    )
    head = _csv_joined(described, _CSV_HEAD).gather(found.get_column("run"))
    where, noted = _notes(parts["annotations"], values)
    between = CSV_VALUE_COLUMNS[len(_CSV_HEAD) : CSV_VALUE_COLUMNS.index("annotation_uid")]
    # The note's fields in one text too: on the millions of rows without a note, the
    # separators of its empty (null) fields. The writer then writes one field where it wrote
    # six, mostly nulls.
    values = _csv_text_columns(values.select(between)).select(
        head,
        *between,
        pl.repeat("," * (len(_NOTE_COLUMNS) - 1), values.height, eager=True)
        .scatter(where, noted)
        .alias(",".join(_NOTE_COLUMNS.values())),
    )
    assert ",".join(values.columns) == ",".join(CSV_VALUE_COLUMNS)
    return values


# The annotation's columns in the values file (their names there).
_NOTE_COLUMNS: Final = {
    "uid": "annotation_uid",
    "state": "annotation_state",
    "category": "annotation_category",
    "text": "annotation_text",
    "updated_by": "annotation_author",
    "updated_at": "annotation_updated_at",
}


def _notes(annotations: pl.DataFrame, values: pl.DataFrame) -> tuple[pl.Series, pl.Series]:
    """The rows of ``values`` with a note, and the note's fields there as CSV text: the latest
    annotation of the row's year, else of its node."""
    latest = annotations.sort("updated_at", "uid")
    by_year = (
        latest.filter(pl.col("year").is_not_null())
        .group_by("plan_id", "node_id", "year", maintain_order=True)
        .last()
        .select("plan_id", "node_id", "year", *_NOTE_COLUMNS)
    )
    by_node = (
        latest.filter(pl.col("year").is_null())
        .group_by("plan_id", "node_id", maintain_order=True)
        .last()
        .select("plan_id", "node_id", *_NOTE_COLUMNS)
    )
    # A few notes among millions of values: find their rows within the plans they are on and
    # scatter them in, rather than join (hash) every value row. A row's note of its year wins
    # over its node's note: the node's are left out on rows that have one.
    found = []
    for notes, keys in (
        (by_year, ["plan_id", "node_id", "year"]),
        (by_node, ["plan_id", "node_id"]),
    ):
        found.append(
            values.select(keys)
            .with_row_index("_row")
            .filter(pl.col("plan_id").is_in(notes.get_column("plan_id").unique().implode()))
            .join(notes, on=keys, how="inner")
            .select("_row", *_NOTE_COLUMNS)
        )
    on_year, on_node = found
    rows = pl.concat([on_year, on_node.join(on_year, on="_row", how="anti")])
    return rows.get_column("_row"), _csv_joined(rows, list(_NOTE_COLUMNS))


def _with_indicators_without_years(values: pl.DataFrame, indicators: pl.DataFrame) -> pl.DataFrame:
    """``values`` and a row (no year, status "no_data") for each indicator without a year row,
    in key order: the file lists every indicator a roll-up counts."""
    empty = indicators.filter(pl.col("status") == "no_data")
    if empty.is_empty():
        return values
    rows = empty.select(
        pl.col(name)
        if name in ("plan_id", "node_id", "status")
        else pl.lit(None, dtype=dtype).alias(name)
        for name, dtype in values.schema.items()
    )
    return pl.concat([values, rows], how="vertical").sort(
        "plan_id", "node_id", "year", nulls_last=False, maintain_order=True
    )
