"""The rows of ``workbench report --view funding``: every funding row of a scope and the
computed totals."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from workbench.analysis.funding.amounts import exact_sum
from workbench.analysis.funding.index import FundingIndex
from workbench.analysis.funding.view import funding_view

FUNDING_REPORT_COLUMNS = (
    "city",
    "plan_id",
    "node_id",
    "node_kind",
    "node_code",
    "node_title",
    "section",
    "source",
    "source_name",
    "year",
    "kind",
    "row_type",
    "printed_total",
    "amount",
    "currency",
    "amount_unit",
    "unit_factor",
    "amount_in_unit",
    "amount_raw",
    "computed",
    "difference",
    "comment",
    "label",
    "source_line",
)


def funding_report_rows(
    index: FundingIndex,
    *,
    city: str | None = None,
    plan_id: str | None = None,
    node_id: str | None = None,
    kinds: Sequence[str] = (),
    sources: Sequence[str] = (),
    years: Sequence[int] = (),
) -> pl.DataFrame:
    """The rows of ``workbench report --view funding``: every funding row of the scope, then one
    ``computed_total`` row per currency, year and kind (the exact sum of the counted rows).

    Columns (:data:`FUNDING_REPORT_COLUMNS`): ``row_type`` is ``item`` (counted in the totals),
    ``total`` (a printed total: ``printed_total`` true, ``computed`` the sum of its parts and
    ``difference`` printed − computed), ``detail`` (shown, not counted: see the module text) or
    ``computed_total``; ``amount`` is in whole currency units, ``amount_in_unit`` in the unit
    named by ``amount_unit`` (e.g. ``thousand KZT``) and ``unit_factor``; ``label`` and
    ``source_line`` are the row's own, as printed in its document. The filters keep rows of the
    given kinds (plan, fact), source codes and years.
    """
    view = funding_view(index, city=city, plan_id=plan_id, node_id=node_id)
    unit_names = {c: u.name for c, u in view.units.items()}
    factors = {c: u.factor for c, u in view.units.items()}
    unit_name = pl.col("currency").replace_strict(unit_names, default=None, return_dtype=pl.String)
    factor = pl.col("currency").replace_strict(factors, default=1.0, return_dtype=pl.Float64)
    rows = view.rows
    conditions = []
    if kinds:
        conditions.append(pl.col("kind").is_in(list(kinds)))
    if sources:
        conditions.append(pl.col("source").is_in(list(sources)))
    if years:
        conditions.append(pl.col("year").is_in(list(years)))
    if conditions:
        rows = rows.filter(*conditions)
    names = {
        code: index.source_name(code) for code in rows.get_column("source").drop_nulls().unique()
    }
    listed = rows.select(
        "city",
        "plan_id",
        "node_id",
        "node_kind",
        "node_code",
        "node_title",
        "section",
        "source",
        source_name=pl.col("source").replace_strict(names, default=None, return_dtype=pl.String),
        year="year",
        kind="kind",
        row_type="row_type",
        printed_total=pl.col("is_total"),
        amount="amount",
        currency="currency",
        amount_unit=unit_name,
        unit_factor=factor,
        amount_in_unit="amount_in_unit",
        amount_raw="amount_raw",
        computed=pl.col("parts_sum"),
        difference=pl.when(pl.col("is_total")).then(
            ((pl.col("amount") - pl.col("parts_sum")) * 100).round(0) / 100
        ),
        comment="comment",
        label="label",
        source_line="source_line",
    )
    counted = rows.filter(pl.col("row_type") == "item")
    computed = (
        counted.group_by("currency", "year", "kind")
        .agg(
            amount=exact_sum(pl.col("amount")),
            city=pl.col("city").unique().sort().str.join(", "),
            plan_id=pl.col("plan_id").unique().sort().str.join(", "),
        )
        .sort("currency", "year", "kind", nulls_last=True)
        .select(
            "city",
            "plan_id",
            node_id=pl.lit(None, dtype=pl.String),
            node_kind=pl.lit(None, dtype=pl.String),
            node_code=pl.lit(None, dtype=pl.String),
            node_title=pl.lit(None, dtype=pl.String),
            section=pl.lit(None, dtype=pl.String),
            source=pl.lit(None, dtype=pl.String),
            source_name=pl.lit(None, dtype=pl.String),
            year="year",
            kind="kind",
            row_type=pl.lit("computed_total"),
            printed_total=pl.lit(False),
            amount="amount",
            currency="currency",
            amount_unit=unit_name,
            unit_factor=factor,
            amount_in_unit=pl.col("amount") / factor,
            amount_raw=pl.lit(None, dtype=pl.String),
            computed=pl.lit(None, dtype=pl.Float64),
            difference=pl.lit(None, dtype=pl.Float64),
            comment=pl.lit(None, dtype=pl.String),
            label=pl.lit(None, dtype=pl.String),
            source_line=pl.lit(None, dtype=pl.Int32),
        )
    )
    return pl.concat([listed, computed], how="vertical_relaxed").select(FUNDING_REPORT_COLUMNS)
