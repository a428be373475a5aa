"""Comparing two snapshots: plans added, removed or read from another source; values and
statuses that changed; annotations added, removed or changed.

Public API::

    diff(ws, a, b)            -> SnapshotDiff of two stored snapshots
    diff_snapshots(a, b)      -> SnapshotDiff of two Snapshot values
    SnapshotDiff              .frame (DIFF_SCHEMA), .counts(), .lines(limit), .text(limit)
    DIFF_SCHEMA
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import polars as pl

from workbench.snapshots.create import load
from workbench.snapshots.model import Snapshot
from workbench.workspace.store import Workspace

_VALUE_FIELDS: Final = ("baseline", "plan", "fact", "estimate", "target", "fact_source", "status")
_ANNOTATION_FIELDS: Final = ("text", "category", "state")
DIFF_SCHEMA = pl.Schema(
    {
        "what": pl.String,  # plan | value | status | annotation
        "change": pl.String,  # added | removed | changed
        "plan_id": pl.String,
        "node_id": pl.String,
        "year": pl.Int32,
        "field": pl.String,
        "before": pl.String,
        "after": pl.String,
        "ref": pl.String,  # the annotation uid, for annotations
    }
)


@dataclass(frozen=True, slots=True)
class SnapshotDiff:
    """What changed from snapshot ``a`` to ``b``: one row per change (schema DIFF_SCHEMA)."""

    a: str
    b: str
    frame: pl.DataFrame

    def counts(self) -> dict[str, int]:
        """Changes per kind: plan, value, status, annotation."""
        counted = self.frame.group_by("what").len()
        return {str(what): int(n) for what, n in counted.iter_rows()}

    def lines(self, limit: int | None = None) -> list[str]:
        rows = self.frame if limit is None else self.frame.head(limit)
        out = [_line(row) for row in rows.iter_rows(named=True)]
        if limit is not None and self.frame.height > limit:
            out.append(f"… and {self.frame.height - limit} more change(s)")
        return out

    def text(self, limit: int | None = None) -> str:
        counts = self.counts()
        if not counts:
            return f"no change from {self.a!r} to {self.b!r}"
        summary = ", ".join(
            f"{counts[k]} {k}" for k in ("plan", "value", "status", "annotation") if k in counts
        )
        head = f"from {self.a!r} to {self.b!r}: {summary} change(s)"
        return "\n".join([head, *self.lines(limit)])


def _line(row: Mapping[str, Any]) -> str:
    where = f"{row['plan_id']}"
    if row["node_id"] is not None:
        where += f"/{row['node_id']}"
    if row["year"] is not None:
        where += f" {row['year']}"
    what = row["what"]
    if what == "annotation":
        where += f" #{str(row['ref'])[:8]}"
    if row["change"] == "added":
        detail = "added" + (f": {_show(row['after'])}" if row["after"] is not None else "")
    elif row["change"] == "removed":
        detail = "removed" + (f" (was {_show(row['before'])})" if row["before"] is not None else "")
    else:
        field = f"{row['field']}: " if row["field"] and what != "status" else ""
        detail = f"{field}{_show(row['before'])} → {_show(row['after'])}"
    return f"{what} {where}: {detail}"


def _show(value: str | None) -> str:
    if value is None:
        return "—"
    flat = " ".join(value.split())
    return flat if len(flat) <= 60 else flat[:59] + "…"


def diff_snapshots(a: Snapshot, b: Snapshot) -> SnapshotDiff:
    """Plans added/removed or with another source; values and statuses; annotations."""
    frames: list[pl.DataFrame] = []
    plans_a, plans_b = a.parts["plans"], b.parts["plans"]
    frames.extend(_diff_rows(plans_a, plans_b, ["plan_id"], ("source_sha256",), "plan", "title"))
    frames.extend(
        _diff_rows(
            a.parts["values"],
            b.parts["values"],
            ["plan_id", "node_id", "year"],
            _VALUE_FIELDS,
            "value",
            "status",
        )
    )
    # An indicator without a year row has no value to compare: its "no_data" in the
    # indicators part is compared (added when it lost its years, removed when it got some).
    frames.extend(
        _diff_rows(
            _without_years(a), _without_years(b), ["plan_id", "node_id"], (), "status", "status"
        )
    )
    frames.extend(
        _diff_rows(
            a.parts["annotations"],
            b.parts["annotations"],
            ["uid"],
            _ANNOTATION_FIELDS,
            "annotation",
            "text",
            extra=("plan_id", "node_id", "year"),
        )
    )
    shaped = [_shape(frame) for frame in frames if frame.height]
    frame = pl.concat(shaped) if shaped else pl.DataFrame(schema=DIFF_SCHEMA)
    order = {"plan": 0, "value": 1, "status": 1, "annotation": 2}
    frame = frame.with_columns(
        _order=pl.col("what").replace_strict(order, return_dtype=pl.Int8)
    ).sort("plan_id", "_order", "node_id", "year", "field", nulls_last=False, maintain_order=True)
    return SnapshotDiff(a.name, b.name, frame.drop("_order"))


def _without_years(snap: Snapshot) -> pl.DataFrame:
    indicators = snap.parts["indicators"]
    return indicators.filter(pl.col("status") == "no_data").select("plan_id", "node_id", "status")


def _diff_rows(
    a: pl.DataFrame,
    b: pl.DataFrame,
    keys: list[str],
    fields: tuple[str, ...],
    what: str,
    label: str,
    *,
    extra: tuple[str, ...] = (),
) -> list[pl.DataFrame]:
    """Added and removed rows (shown by ``label``), and one row per changed field."""
    carried = [c for c in extra if c not in keys]
    columns = list(dict.fromkeys([*keys, *carried, *fields, label]))
    left = a.select(columns).with_columns(_in_a=pl.lit(True))
    right = b.select(columns).with_columns(_in_b=pl.lit(True))
    joined = left.join(right, on=keys, how="full", coalesce=True, suffix="_b", nulls_equal=True)

    def base(frame: pl.DataFrame, side: str) -> pl.DataFrame:
        suffix = "_b" if side == "b" else ""
        return frame.select(
            *[pl.col(k) for k in keys],
            *[pl.col(f"{c}{suffix}").alias(c) for c in carried],
        )

    out = []
    added = joined.filter(pl.col("_in_a").is_null())
    out.append(
        base(added, "b").with_columns(
            what=pl.lit(what),
            change=pl.lit("added"),
            field=pl.lit(None, pl.String),
            before=pl.lit(None, pl.String),
            after=added.get_column(f"{label}_b" if label not in keys else label).cast(pl.String),
        )
    )
    removed = joined.filter(pl.col("_in_b").is_null())
    out.append(
        base(removed, "a").with_columns(
            what=pl.lit(what),
            change=pl.lit("removed"),
            field=pl.lit(None, pl.String),
            before=removed.get_column(label).cast(pl.String),
            after=pl.lit(None, pl.String),
        )
    )
    both = joined.filter(pl.col("_in_a").fill_null(False) & pl.col("_in_b").fill_null(False))
    for field in fields:
        changed = both.filter(~pl.col(field).eq_missing(pl.col(f"{field}_b")))
        kind = "status" if field == "status" else what
        out.append(
            base(changed, "a").with_columns(
                what=pl.lit(kind),
                change=pl.lit("changed"),
                field=pl.lit(field),
                before=changed.get_column(field).cast(pl.String),
                after=changed.get_column(f"{field}_b").cast(pl.String),
            )
        )
    if what == "annotation":
        out = [frame.rename({"uid": "ref"}) for frame in out]
    return out


def _shape(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select(
        [
            (pl.col(name) if name in frame.columns else pl.lit(None)).cast(dtype).alias(name)
            for name, dtype in DIFF_SCHEMA.items()
        ]
    )


def diff(ws: Workspace, a: str, b: str) -> SnapshotDiff:
    """What changed from stored snapshot ``a`` to stored snapshot ``b``."""
    return diff_snapshots(load(ws, a), load(ws, b))
