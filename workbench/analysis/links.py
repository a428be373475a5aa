"""Links both ways between indicators, activities and responsible bodies.

- From an indicator to the activities meant to move it: the activities under the indicator's
  nearest goal or task (its **anchor**). A plan without goals or tasks above the indicator falls
  back to the nearest target, section or direction; ``via_kind`` says which it was.
- From an activity to the indicators it serves: the indicators under the same anchor.
- From a responsible body (a vocabulary code) to everything it owns across cities and documents:
  the activities and indicators assigned to it (directly, or through an ancestor: a task's body
  owns its measures), with how many activities are late as of a date and, when indicator
  statuses are given, how many indicators are off track.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from workbench.analysis.activities import (
    DUE_STATUSES,
    ROW_COLUMNS,
    ActivityIndex,
    code_name,
    with_due_status,
)
from workbench.dataset import ancestry
from workbench.dataset.hierarchy import INDICATOR_KINDS, indicator_ids

# Nearest first: what groups activities and the indicators they serve.
ANCHOR_KINDS = ("task", "goal")
FALLBACK_KINDS = ("target", "section", "direction")

INDICATOR_COLUMNS = (
    "idx",
    "city",
    "plan_id",
    "node_id",
    "kind",
    "code",
    "title",
    "unit",
    "responsible",
    "bodies",
)


@dataclass(frozen=True)
class Anchor:
    """The goal or task (or fallback) that links an item to its peers."""

    plan_id: str
    node_id: str
    kind: str
    code: str | None
    title: str
    via_kind: str  # the anchor's kind; "task"/"goal" or a fallback kind

    @property
    def is_fallback(self) -> bool:
        return self.via_kind not in ANCHOR_KINDS


@dataclass(frozen=True)
class Linked:
    """The result of a link: the anchor it went through (None: nothing to link) and the rows."""

    anchor: Anchor | None
    rows: pl.DataFrame


def anchor_of(index: ActivityIndex, plan_id: str, node_id: str) -> Anchor | None:
    """The nearest goal or task strictly above an item (else the nearest target, section or
    direction); None when the item is unknown or has none."""
    items = index.items
    found = items.filter(
        (pl.col("level") == "node")
        & (pl.col("plan_id") == plan_id)
        & (pl.col("node_id") == node_id)
    )
    if found.is_empty():
        return None
    start = found.get_column("idx")
    for kinds in (ANCHOR_KINDS, FALLBACK_KINDS):
        near = ancestry.nearest(items, ancestry.kind_mask(items, kinds), start, include_self=False)
        if near[0] is not None:
            row = items.row(int(near[0]), named=True)
            return Anchor(
                plan_id=plan_id,
                node_id=str(row["node_id"]),
                kind=str(row["kind"]),
                code=row["code"],
                title=str(row["title"]),
                via_kind=str(row["kind"]),
            )
    return None


def indicator_activities(
    index: ActivityIndex, plan_id: str, node_id: str, *, as_of: date | None = None
) -> Linked:
    """The activities of an indicator's goal or task, with their due status as of ``as_of``
    (:data:`workbench.analysis.activities.ROW_COLUMNS`, in document order)."""
    anchor = anchor_of(index, plan_id, node_id)
    if anchor is None:
        return Linked(None, with_due_status(index.frame.clear(), as_of).select(ROW_COLUMNS))
    rows = index.scope(plan_id=anchor.plan_id, node_id=anchor.node_id)
    return Linked(anchor, with_due_status(rows, as_of).select(ROW_COLUMNS))


def indicator_frame(index: ActivityIndex) -> pl.DataFrame:
    """Every indicator item with its unit, responsible text and body codes
    (:data:`INDICATOR_COLUMNS`), in tree order."""
    items = index.items
    ids = indicator_ids(index.tables).with_columns(
        pl.col("plan_id").cast(pl.String), pl.col("node_id").cast(pl.String)
    )
    frame = items.filter(
        (pl.col("level") == "node") & pl.col("kind").is_in(list(INDICATOR_KINDS))
    ).join(ids, on=["plan_id", "node_id"], how="semi")
    described = index.tables["indicators"].select(
        pl.col("plan_id").cast(pl.String), pl.col("node_id").cast(pl.String), "unit", "responsible"
    )
    frame = frame.join(described, on=["plan_id", "node_id"], how="left", maintain_order="left")
    bodies = ancestry.inherited_codes(
        items, index.tables["assignments"], "body", frame.get_column("idx")
    )
    return frame.with_columns(bodies=bodies).select(INDICATOR_COLUMNS)


def activity_indicators(
    index: ActivityIndex,
    plan_id: str,
    node_id: str,
    *,
    statuses: pl.DataFrame | None = None,
) -> Linked:
    """The indicators an activity serves: those under its goal or task.

    Rows: :data:`INDICATOR_COLUMNS`, plus the columns of ``statuses`` (one row per indicator,
    e.g. :func:`workbench.analysis.status.statuses_at`) when given.
    """
    anchor = anchor_of(index, plan_id, node_id)
    indicators = indicator_frame(index)
    if anchor is None:
        return Linked(None, _with_statuses(indicators.clear(), statuses))
    found = ancestry.locate(index.items, plan_id=anchor.plan_id, node_id=anchor.node_id)
    assert found is not None
    lo, hi = found
    rows = indicators.filter((pl.col("idx") >= lo) & (pl.col("idx") < hi))
    return Linked(anchor, _with_statuses(rows, statuses))


def _with_statuses(frame: pl.DataFrame, statuses: pl.DataFrame | None) -> pl.DataFrame:
    if statuses is None:
        return frame
    extra = statuses.with_columns(
        pl.col("plan_id").cast(pl.String), pl.col("node_id").cast(pl.String)
    )
    return frame.join(extra, on=["plan_id", "node_id"], how="left", maintain_order="left")


@dataclass(frozen=True)
class BodyView:
    """Everything one responsible body answers for, across cities and documents.

    ``activities``: its activities (:data:`workbench.analysis.activities.ROW_COLUMNS`) with due
    status; ``indicators``: its indicators (:data:`INDICATOR_COLUMNS` + the status columns when
    given); ``by_plan``: per city and plan the activity counts by due status (one column per
    status), ``activities`` and ``late_share``, and ``indicators`` (and ``off_track`` with
    statuses); ``counts``: activity counts by due status over all; ``late``: overdue activities;
    ``late_share``: overdue among the activities with a deadline that are not reported yet or
    were due by ``as_of`` (overdue / (overdue + due + reported with ``due_end`` ≤ as_of)).
    """

    code: str
    name: str
    as_of: date
    activities: pl.DataFrame
    indicators: pl.DataFrame
    by_plan: pl.DataFrame
    counts: dict[str, int]
    spellings: tuple[str, ...] = ()  # the names it is printed with, when more than one

    @property
    def late(self) -> int:
        return self.counts.get("overdue", 0)

    @property
    def late_share(self) -> float | None:
        return _late_share(self.activities, self.as_of)


def _late_share(rows: pl.DataFrame, as_of: date) -> float | None:
    status = rows.get_column("due_status").cast(pl.String)
    overdue = int((status == "overdue").sum())
    reported_due = int(
        ((status == "reported") & (rows.get_column("due_end") <= as_of).fill_null(False)).sum()
    )
    due = int((status == "due").sum())
    base = overdue + reported_due + due
    return overdue / base if base else None


def body_view(
    index: ActivityIndex,
    code: str,
    *,
    as_of: date | None = None,
    statuses: pl.DataFrame | None = None,
) -> BodyView:
    """What the body ``code`` answers for, and how much of it is late as of ``as_of``."""
    as_of = as_of or date.today()
    activities = with_due_status(
        index.frame.filter(pl.col("bodies").list.contains(pl.lit(code, dtype=pl.String))), as_of
    ).select(ROW_COLUMNS)
    indicators = indicator_frame(index).filter(
        pl.col("bodies").list.contains(pl.lit(code, dtype=pl.String))
    )
    indicators = _with_statuses(indicators, statuses)
    counts = {status: 0 for status in DUE_STATUSES}
    for status, count in activities.group_by("due_status").agg(pl.len()).iter_rows():
        counts[str(status)] = int(count)
    status = pl.col("due_status").cast(pl.String)
    per_plan = activities.group_by("city", "plan_id").agg(
        *[(status == s).sum().cast(pl.Int64).alias(s) for s in DUE_STATUSES],
        activities=pl.len().cast(pl.Int64),
        late_share=_late_share_expr(as_of),
    )
    indicator_agg = [pl.len().cast(pl.Int64).alias("indicators")]
    if statuses is not None and "status" in indicators.columns:
        indicator_agg.append(
            (pl.col("status") == "off_track").sum().cast(pl.Int64).alias("off_track")
        )
    per_plan_ind = indicators.group_by("city", "plan_id").agg(*indicator_agg)
    by_plan = per_plan.join(per_plan_ind, on=["city", "plan_id"], how="full", coalesce=True)
    fill = [c for c in by_plan.columns if c not in ("city", "plan_id", "late_share")]
    by_plan = by_plan.with_columns(pl.col(fill).fill_null(0)).sort("city", "plan_id")
    name = code_name(index.body_names, "body", code)
    return BodyView(
        code=code,
        name=name,
        as_of=as_of,
        activities=activities,
        indicators=indicators,
        by_plan=by_plan,
        counts=counts,
        spellings=tuple(index.names.spellings(code)),
    )


def _late_share_expr(as_of: date) -> pl.Expr:
    status = pl.col("due_status").cast(pl.String)
    overdue = (status == "overdue").sum()
    reported_due = ((status == "reported") & (pl.col("due_end") <= as_of).fill_null(False)).sum()
    due = (status == "due").sum()
    base = overdue + reported_due + due
    return pl.when(base > 0).then(overdue / base).alias("late_share")


def bodies(index: ActivityIndex, *, as_of: date | None = None) -> pl.DataFrame:
    """Every responsible body with its name and how much it owns: code, name, activities,
    overdue, indicators — for a picker of the body-centred view; most overdue first."""
    as_of = as_of or date.today()
    acts = (
        with_due_status(
            index.frame.select("bodies", "doc_reported", "marked_on", "due_start", "due_end"), as_of
        )
        .explode("bodies", empty_as_null=False)
        .drop_nulls("bodies")
        .group_by(code="bodies")
        .agg(
            activities=pl.len().cast(pl.Int64),
            overdue=(pl.col("due_status").cast(pl.String) == "overdue").sum().cast(pl.Int64),
        )
    )
    inds = (
        indicator_frame(index)
        .select("bodies")
        .explode("bodies", empty_as_null=False)
        .drop_nulls("bodies")
        .group_by(code="bodies")
        .agg(indicators=pl.len().cast(pl.Int64))
    )
    vocabulary = index.tables["vocabulary"].filter(pl.col("kind").cast(pl.String) == "body")
    known = vocabulary.select(pl.col("code")).unique()
    out = (
        acts.join(inds, on="code", how="full", coalesce=True)
        .join(known, on="code", how="full", coalesce=True)
        .with_columns(pl.col("activities", "overdue", "indicators").fill_null(0))
    )
    names = {c: code_name(index.body_names, "body", c) for c in out.get_column("code").to_list()}
    return (
        out.with_columns(name=pl.col("code").replace_strict(names, return_dtype=pl.String))
        .select("code", "name", "activities", "overdue", "indicators")
        .sort("overdue", "activities", "code", descending=[True, True, False])
    )
