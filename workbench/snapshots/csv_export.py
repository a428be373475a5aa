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
    csv_frames(snap)                    -> (values, annotations) frames as the files hold them
    csv_values_text(snap)               -> the values with their text already as CSV fields
    CSV_VALUE_COLUMNS, CSV_ANNOTATION_COLUMNS
    PIECE_ROWS                          rows a piece of the values file has at least
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Final

import polars as pl

from workbench.analysis.status import is_sorted, ordered_runs
from workbench.dataset.csv_cells import neutralise_text
from workbench.dataset.hierarchy import runs, strictly_increasing
from workbench.snapshots.files import atomic_file, check_target
from workbench.snapshots.model import Snapshot

CSV_VALUE_COLUMNS: Final = (
    "plan_id",
    "city",
    "node_id",
    "code",
    "title",
    "unit",
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
    # In pieces of consecutive plans, the next one's text made while one is written: either
    # alone leaves one of two cores idle about a third of the time.
    pieces = _plan_pieces(snap, _CSV_PIECES)
    with ThreadPoolExecutor(max_workers=1) as pool, atomic_file(path, force) as temporary:
        making = pool.submit(csv_values_text, pieces[0])
        for i in range(len(pieces)):
            values = making.result()
            if i + 1 < len(pieces):
                making = pool.submit(csv_values_text, pieces[i + 1])
            values.write_csv(temporary.handle, quote_style="never", include_header=i == 0)
            del values


def csv_frames(snap: Snapshot) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(values, annotations) with the columns of CSV_VALUE_COLUMNS and CSV_ANNOTATION_COLUMNS."""
    return _csv_values(snap, escaped=False), _csv_annotations(snap)


def _csv_annotations(snap: Snapshot) -> pl.DataFrame:
    return neutralise_text(snap.parts["annotations"].select(CSV_ANNOTATION_COLUMNS))


def csv_values_text(snap: Snapshot) -> pl.DataFrame:
    """The values of :func:`csv_frames` with every text field already as the CSV text Polars'
    ``write_csv`` writes for it, the per-indicator columns (:data:`_CSV_HEAD`) in one column
    and the note's (``annotation_*``) in another: ``write_csv(quote_style="never")`` of it
    gives the bytes of ``write_csv()`` of the values, faster (see :func:`_csv_field`)."""
    return _csv_values(snap, escaped=True)


# The CSV values are made and written in this many pieces, of PIECE_ROWS rows at least: the
# next piece's text is made while one is written (either alone leaves a core idle).
_CSV_PIECES: Final = 4
PIECE_ROWS: int = 200_000


def _plan_pieces(snap: Snapshot, count: int) -> list[Snapshot]:
    """``snap`` cut into up to ``count`` snapshots of consecutive plans, each with those plans'
    values, indicators and annotations, when its values and indicators are in plan order (as a
    snapshot made here, and any in key order): the CSV values of the pieces, one after the
    other, are then those of ``snap``, which are in key order, plans first. Else, or when it
    is small, ``[snap]``."""
    parts = snap.parts
    values, indicators = parts["values"], parts["indicators"]
    if count < 2 or values.height < count * PIECE_ROWS:
        return [snap]
    for frame in (values, indicators):
        plan_id = frame.get_column("plan_id")
        if (
            plan_id.null_count()
            or not frame.select(
                (pl.col("plan_id") >= pl.col("plan_id").shift()).fill_null(True).all()
            ).item()
        ):
            return [snap]
    # Cut before the plans at even shares of the value rows; found by binary search (the rows
    # are in plan order), the pieces of the values and indicators are slices, not copies.
    plan_ids = values.get_column("plan_id")
    cuts = sorted({plan_ids[values.height * i // count] for i in range(1, count)})
    pieces = []
    for low, high in itertools.pairwise([None, *cuts, None]):
        within = pl.lit(value=True)
        if low is not None:
            within &= pl.col("plan_id") >= low
        if high is not None:
            within &= pl.col("plan_id") < high
        pieces.append(
            Snapshot(
                snap.header,
                {
                    **parts,
                    "values": _plan_rows(values, low, high),
                    "indicators": _plan_rows(indicators, low, high),
                    "plans": parts["plans"].filter(within),
                    "annotations": parts["annotations"].filter(within),
                },
            )
        )
    return pieces


def _plan_rows(frame: pl.DataFrame, low: str | None, high: str | None) -> pl.DataFrame:
    """The rows of ``frame`` (in plan order) of the plans from ``low`` to before ``high``."""
    column = frame.get_column("plan_id")
    start = 0 if low is None else int(column.search_sorted(low, "left"))
    end = frame.height if high is None else int(column.search_sorted(high, "left"))
    return frame.slice(start, end - start)


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
    writing of the original frame (tests/test_snapshot.py checks it with hostile text in every
    column). The writer then only copies the text: it no longer scans the per-indicator
    columns for characters to quote, field by field, and that text is made once per
    indicator, not once per year row.
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


def _csv_values(snap: Snapshot, *, escaped: bool) -> pl.DataFrame:
    """The values of :func:`csv_frames`; ``escaped``: as :func:`csv_values_text` gives them."""
    parts = snap.parts
    latest = parts["annotations"].sort("updated_at", "uid")
    note_columns = {
        "uid": "annotation_uid",
        "state": "annotation_state",
        "category": "annotation_category",
        "text": "annotation_text",
        "updated_by": "annotation_author",
        "updated_at": "annotation_updated_at",
    }
    by_year = (
        latest.filter(pl.col("year").is_not_null())
        .group_by("plan_id", "node_id", "year", maintain_order=True)
        .last()
        .select("plan_id", "node_id", "year", *note_columns)
    )
    by_node = (
        latest.filter(pl.col("year").is_null())
        .group_by("plan_id", "node_id", maintain_order=True)
        .last()
        .select("plan_id", "node_id", *[pl.col(c).alias(f"{c}_node") for c in note_columns])
    )
    values = _with_indicators_without_years(parts["values"], parts["indicators"])
    described = ["code", "title", "unit"]
    cities = parts["plans"].select("plan_id", "city")
    head = ",".join(_CSV_HEAD)
    runs = _key_ordered_runs(values, parts["indicators"])
    if runs is not None and cities.get_column("plan_id").is_unique().all():
        # In key order, in runs of the indicators' order (a snapshot made here): each
        # indicator's city, code, title and unit, gathered onto its rows.
        per_indicator = parts["indicators"].join(
            cities, on="plan_id", how="left", maintain_order="left"
        )
        if escaped:  # the indicator's text, made once and gathered (string views: no copy)
            values = values.with_columns(_csv_joined(per_indicator, _CSV_HEAD).gather(runs))
        else:
            values = values.with_columns(
                per_indicator.select(pl.col("city", *described).gather(runs))
            )
    else:
        if not is_sorted(values):  # an imported file's may be in another order
            values = values.sort("plan_id", "node_id", "year")
        values = values.join(cities, on="plan_id", how="left", maintain_order="left")
        gathered = _per_indicator(values, parts["indicators"], described)
        if gathered is not None:
            values = values.with_columns(gathered)
        else:
            values = values.join(
                parts["indicators"].select("plan_id", "node_id", *described),
                on=["plan_id", "node_id"],
                how="left",
                maintain_order="left",
            )
        if escaped:
            values = values.with_columns(_csv_joined(values, _CSV_HEAD))
    # A few notes among millions of values: find their rows within the plans they are on and
    # scatter them in, rather than join (hash) every value row. A row's note of its year wins
    # over its node's note: the node's are left out on rows that have one.
    found = []
    for notes, keys in (
        (by_year, ["plan_id", "node_id", "year"]),
        (by_node.rename({f"{c}_node": c for c in note_columns}), ["plan_id", "node_id"]),
    ):
        found.append(
            values.select(keys)
            .with_row_index("_row")
            .filter(pl.col("plan_id").is_in(notes.get_column("plan_id").unique().implode()))
            .join(notes, on=keys, how="inner")
            .select("_row", *note_columns)
        )
    on_year, on_node = found
    rows = pl.concat([on_year, on_node.join(on_year, on="_row", how="anti")])
    where = rows.get_column("_row")
    between = CSV_VALUE_COLUMNS[len(_CSV_HEAD) : CSV_VALUE_COLUMNS.index("annotation_uid")]
    if not escaped:
        schema = parts["annotations"].schema
        values = values.select(*_CSV_HEAD, *between).with_columns(
            pl.repeat(None, values.height, dtype=schema[c], eager=True)
            .scatter(where, rows.get_column(c))
            .alias(alias)
            for c, alias in note_columns.items()
        )
    else:
        # The note's fields in one text too, as for the indicators: on the millions of rows
        # without a note, the separators of its empty (null) fields. The writer then writes
        # one field where it wrote six, mostly nulls.
        noted = _csv_joined(rows, list(note_columns))
        values = _csv_text_columns(values.select(between)).select(
            values.get_column(head),
            *between,
            pl.repeat("," * (len(note_columns) - 1), values.height, eager=True)
            .scatter(where, noted)
            .alias(",".join(note_columns.values())),
        )
    if not escaped:
        values = neutralise_text(values)
    assert ",".join(values.columns) == ",".join(CSV_VALUE_COLUMNS)
    return values


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


def _key_ordered_runs(values: pl.DataFrame, indicators: pl.DataFrame) -> pl.Series | None:
    """Each value row's indicator (its row in ``indicators``) when the values are in strict key
    order in runs of the indicators' order: the indicators strictly increase by key, a run of
    rows for each, and the years strictly increase within a run. None otherwise. (Cheaper
    than checking the key order on every row: text compared only where the key changes.)"""
    keys = ["plan_id", "node_id"]
    if (
        values.is_empty()
        or values.get_column("year").has_nulls()
        or not strictly_increasing(indicators, keys)
    ):
        return None
    in_order, runs = ordered_runs(values, strict=True)
    if not in_order or runs is None:
        return None
    firsts = values.select(keys).filter(runs.get_column("first"))
    if not firsts.equals(indicators.select(keys)):
        return None
    return runs.get_column("run")


def _per_indicator(
    values: pl.DataFrame, indicators: pl.DataFrame, columns: list[str]
) -> pl.DataFrame | None:
    """``columns`` of the indicator of each value row, by a gather when the values come in
    runs of one indicator in the indicators' order (as a snapshot made here does); None when
    they do not (a join is needed)."""
    found = runs(values, "plan_id", "node_id")
    firsts = values.select("plan_id", "node_id").filter(found.get_column("first"))
    if not firsts.equals(indicators.select("plan_id", "node_id")):
        return None
    return indicators.select(pl.col(columns).gather(found.get_column("run")))
