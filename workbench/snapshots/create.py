"""Making a snapshot: the dataset and the workspace frozen into parts, stored, and loaded back.

Public API::

    build(ws, tables, name, thresholds=None, author=None, ready=None)  -> Snapshot (not stored)
    create(ws, tables, name, thresholds=None, author=None)            -> SnapshotInfo (stored)
    load(ws, name)                                                     -> Snapshot
    encode_parts(parts) -> {part: Parquet bytes}; encode_part(frame) -> bytes
    dataset_hash(plans)                                                -> sha256 of the sources

Each raises a one-line :class:`~workbench.errors.WorkbenchError` on bad input.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import polars as pl

from workbench.dataset.hierarchy import INDICATOR_KINDS, run_starts, strictly_increasing
from workbench.errors import ValidationError
from workbench.snapshots.keyed import beside
from workbench.snapshots.model import (
    FORMAT,
    FORMAT_VERSION,
    INDICATOR_SCHEMA,
    PARTS,
    PLAN_SCHEMA,
    ROLLUP_SCHEMA,
    SNAPSHOT_ANNOTATION_SCHEMA,
    VALUE_SCHEMA,
    Snapshot,
    check_name,
    conform,
)
from workbench.workspace.snapshot_store import SnapshotInfo
from workbench.workspace.store import Workspace
from workbench.workspace.workspace_file import now

if TYPE_CHECKING:
    from workbench.analysis.status import Thresholds


def _finite(columns: list[str]) -> list[pl.Expr]:
    """Non-finite floats (inf, NaN) become null: TOML would keep them, statuses never need them."""
    return [pl.when(pl.col(c).is_finite()).then(pl.col(c)).alias(c) for c in columns]


def _finite_frame(frame: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    """``frame`` with :func:`_finite` applied to those of ``columns`` that hold a non-finite
    value: a float column of millions is checked, not copied, when it has none (as is usual)."""
    odd = frame.select((~pl.col(c).is_finite()).any() for c in columns).row(0)
    hit = [c for c, has in zip(columns, odd, strict=True) if has]
    return frame.with_columns(_finite(hit)) if hit else frame


def build(
    ws: Workspace,
    tables: Mapping[str, pl.DataFrame],
    name: str,
    *,
    thresholds: Thresholds | None = None,
    author: str | None = None,
    ready: Callable[[str, pl.DataFrame], object] | None = None,
) -> Snapshot:
    """The snapshot of the dataset and the workspace as they are now (not stored).

    ``ready(part, frame)`` is called with each part as soon as it is final (:func:`create`
    starts encoding it then, while the rest is made)."""
    from workbench.analysis import status
    from workbench.dataset import hierarchy

    limits = thresholds or status.Thresholds()
    with ws.reading():  # one consistent read of the analyst's work, even with other writers
        facts = ws.facts_detail_frame()
        annotations = ws.annotations_frame()
        history = ws.history_frame()
        polarities = ws.polarities_frame()
    parts: dict[str, pl.DataFrame] = {}

    def done(part: str, frame: pl.DataFrame) -> None:
        parts[part] = conform(frame, PARTS[part])
        if ready is not None:
            ready(part, parts[part])

    # Work in other threads meanwhile (Polars releases the GIL), so that both cores of a small
    # machine are busy: the tree's order (the dataset's alone) while the statuses are made, and
    # the roll-ups while the values and indicators parts are made from the statuses.
    with ThreadPoolExecutor(max_workers=2) as pool:
        items = pool.submit(hierarchy.ordered_items, tables)
        statuses = status.indicator_statuses(
            tables,
            thresholds=limits,
            facts=facts.select("plan_id", "node_id", "year", "value"),
            polarities=polarities,
        )
        roll = pool.submit(lambda: status.rollup(tables, statuses, items=items.result()))

        plans = conform(tables["plans"], PLAN_SCHEMA).sort("plan_id")
        plan_ids = plans.select("plan_id")
        values = conform(statuses, VALUE_SCHEMA)
        # The plans of the values, from the first row of each run of one plan: every plan
        # begins one at least, and in key order (as indicator_statuses gives the values) a plan
        # is one run: a thousand ids looked up, where a unique() hashed millions.
        known = plan_ids.to_series().implode()
        if (
            not values.filter(run_starts("plan_id"))
            .select(pl.col("plan_id").is_in(known).all())
            .item()
        ):
            values = values.join(plan_ids, on="plan_id", how="semi", maintain_order="left")
        values = _finite_frame(
            values.with_columns(claim_mismatch=pl.col("claim_mismatch").fill_null(False)),
            ["baseline", "plan", "fact", "estimate", "target", "achievement"],
        )
        values = values.with_columns(document_fact=_document_facts(tables["values"], values))
        done("values", values)
        done("plans", plans)
        done("facts", facts.sort("plan_id", "node_id", "year"))
        done("polarities", polarities.sort("plan_id", "node_id"))
        nodes = tables["nodes"].select(
            pl.col("plan_id").cast(pl.String),
            pl.col("node_id").cast(pl.String),
            pl.col("kind").cast(pl.String),
            pl.col("code").cast(pl.String),
            pl.col("title").cast(pl.String),
        )
        info = tables["indicators"].select(
            pl.col("plan_id").cast(pl.String),
            pl.col("node_id").cast(pl.String),
            pl.col("unit").cast(pl.String),
        )
        # The polarity the statuses used, and "analyst" where it was set (null: the document's).
        used = status.effective_polarities(tables["indicators"], polarities)
        info = info.hstack(
            used.select(
                "polarity",
                polarity_source=pl.when(pl.col("polarity_source") == "analyst").then(
                    pl.lit("analyst")
                ),
            )
        )
        firsts = values.select("plan_id", "node_id").filter(run_starts("plan_id", "node_id"))
        done("indicators", _indicator_part(firsts, nodes, info))
        annotated = nodes.filter(
            pl.col("plan_id").is_in(annotations.get_column("plan_id").unique().implode())
        )
        annotations = (
            annotations.join(
                annotated.rename({"kind": "node_kind", "code": "node_code", "title": "node_title"}),
                on=["plan_id", "node_id"],
                how="left",
            )
            .select(list(SNAPSHOT_ANNOTATION_SCHEMA))
            .sort("created_at", "uid")
        )
        done("annotations", annotations)
        history = history.join(annotations.select("uid"), on="uid", how="semi")
        done("history", history.sort("uid", "version"))
        done("rollup", conform(roll.result(), ROLLUP_SCHEMA).with_columns(_finite(["share_met"])))
    header: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "name": check_name(name),
        "created_at": now(),
        "author": author or ws.author,
        "met": float(limits.met),
        "amber": float(limits.amber),
        "dataset_sha256": dataset_hash(plans),
    }
    return Snapshot(header, {part: parts[part] for part in PARTS})


def _indicator_part(firsts: pl.DataFrame, nodes: pl.DataFrame, info: pl.DataFrame) -> pl.DataFrame:
    """The indicators part: every indicator of the dataset (the nodes of an indicator kind,
    described or not, as a roll-up counts them, and those with values: ``firsts``, their keys
    once each) in key order, with its node's kind, code and title, its unit and polarity, and
    status "no_data" when it has no year row (a roll-up counts it, so the files list it).

    The nodes of a dataset are in key order, once each, and the indicators with values and
    the described ones are among them, in the same order: then the parts are put side by side
    (:func:`workbench.snapshots.keyed.beside`), else joined.
    """
    keys = ["plan_id", "node_id"]
    measured = nodes.filter(pl.col("kind").is_in(list(INDICATOR_KINDS)))
    if not strictly_increasing(measured, keys):
        measured = measured.unique(keys, keep="first", maintain_order=True).sort(keys)
    rated = firsts.with_columns(_rated=pl.lit(True))
    part = beside(measured, rated, keys)
    if part.get_column("_rated").sum() < firsts.height:
        # Values of a node that is none of these: none from the readers; looked up among all
        # the nodes (millions at scale) only when there are some.
        others = firsts.join(measured.select(keys), on=keys, how="anti").join(
            nodes, on=keys, how="left"
        )
        measured = pl.concat([measured, others]).unique(keys, keep="first").sort(keys)
        part = beside(measured, rated, keys)
    return _with_status(beside(part, info, keys))


def _with_status(part: pl.DataFrame) -> pl.DataFrame:
    """The part's columns, with status "no_data" where ``_rated`` is null (no year row)."""
    no_data = pl.when(pl.col("_rated").is_null()).then(pl.lit("no_data", dtype=pl.String))
    return part.with_columns(status=no_data).select(list(INDICATOR_SCHEMA))


def _document_facts(dataset_values: pl.DataFrame, values: pl.DataFrame) -> pl.Series:
    """The document's fact of each row of ``values`` whose fact was entered, else null.

    Only the few entered rows are looked up in the dataset (the values table has millions).
    """
    keys = ["plan_id", "node_id", "year"]
    entered = (
        values.select(keys)
        .with_row_index("row")
        .filter(values.get_column("fact_source") == "entered")
    )
    column = pl.repeat(None, values.height, dtype=pl.Float64, eager=True).alias("document_fact")
    if entered.is_empty():
        return column
    plans = entered.get_column("plan_id").unique().implode()
    document = (
        dataset_values.filter(pl.col("plan_id").cast(pl.String).is_in(plans))
        .select(
            pl.col("plan_id").cast(pl.String),
            pl.col("node_id").cast(pl.String),
            pl.col("year").cast(pl.Int32),
            pl.col("kind").cast(pl.String),
            pl.col("value").alias("document_fact"),
        )
        .join(entered.select(keys), on=keys, how="semi")
        .filter(pl.col("kind") == "fact")
        .unique(subset=keys, keep="first", maintain_order=True)
        .with_columns(_finite(["document_fact"]))
    )
    found = entered.join(document, on=keys, how="inner")
    return column.scatter(found.get_column("row"), found.get_column("document_fact"))


def dataset_hash(plans: pl.DataFrame) -> str:
    """One hash of the dataset's sources: sha256 over ``plan_id source_sha256`` lines, sorted."""
    lines = sorted(
        f"{plan_id} {sha}" for plan_id, sha in plans.select("plan_id", "source_sha256").iter_rows()
    )
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def create(
    ws: Workspace,
    tables: Mapping[str, pl.DataFrame],
    name: str,
    *,
    thresholds: Thresholds | None = None,
    author: str | None = None,
) -> SnapshotInfo:
    """Freeze the current state under ``name`` in the workspace (committed when it returns)."""
    name = check_name(name)
    if any(info.name == name for info in ws.snapshots()):
        raise ValidationError(f"a snapshot named {name!r} already exists in {ws.path}")
    # Each part is encoded in another thread as soon as it is made, while the rest is made.
    with ThreadPoolExecutor(max_workers=1) as pool:
        encoding: dict[str, Future[bytes]] = {}
        snap = build(
            ws,
            tables,
            name,
            thresholds=thresholds,
            author=author,
            ready=lambda part, frame: encoding.setdefault(part, pool.submit(encode_part, frame)),
        )
        encoded = {part: encoding[part].result() for part in PARTS}
    with ws.transaction() as conn:
        ws.store_snapshot(conn, snap.header, encoded)
    return ws.snapshot_info(name)


def encode_parts(parts: Mapping[str, pl.DataFrame]) -> dict[str, bytes]:
    return {part: encode_part(frame) for part, frame in parts.items()}


def encode_part(frame: pl.DataFrame) -> bytes:
    """A part as Parquet (LZ4), in one row group: read back, it is one chunk, as the exports'
    gathers and scatters over millions of rows want it (no copy to put the chunks together)."""
    buffer = io.BytesIO()
    frame.write_parquet(
        buffer, compression="lz4", statistics=False, row_group_size=max(1, frame.height)
    )
    return buffer.getvalue()


def load(ws: Workspace, name: str) -> Snapshot:
    """A stored snapshot with its frames."""
    info, blobs = ws.snapshot_parts(name)
    parts = {}
    for part, schema in PARTS.items():
        if part in blobs:
            # One chunk: a part comes back in one per row group, and the exports' gathers and
            # scatters over millions of rows run at half speed or less on many chunks.
            parts[part] = conform(pl.read_parquet(io.BytesIO(blobs[part])), schema).rechunk()
        else:
            parts[part] = pl.DataFrame(schema=schema)
    return Snapshot(dict(info.header), parts)
