"""Funding views: where the money comes from and where it goes — roll-ups by source, year, plan,
section and responsible body, the source × year table, the grants, and the printed totals
checked against the computed sums, over the rows of the funding index
(:mod:`workbench.analysis.funding.index`, which says how rows are counted).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from workbench.analysis.funding.amounts import (
    Unit,
    exact_sum,
    exact_total,
    format_amount,
    in_unit,
    unit_for,
)
from workbench.analysis.funding.index import FundingIndex, Mismatch, accounted, plan_language
from workbench.analysis.labels import year_note
from workbench.dataset import ancestry
from workbench.i18n import _


@dataclass(frozen=True, slots=True)
class PeriodTotal:
    """A total the document prints for several years, against the sums of the same years."""

    years: tuple[int, ...]
    printed: float
    computed: float  # the sum of the counted rows of those years
    printed_years: float | None  # the sum of the yearly totals printed for them, if all are

    @property
    def period(self) -> str:
        first, last = self.years[0], self.years[-1]
        return str(first) if first == last else f"{first}–{last}"


@dataclass(frozen=True)
class FundingView:
    """What the funding view shows for one scope (a node's subtree, a plan, a city, or all).

    - ``rows``: every funding row of the scope (:data:`ROW_COLUMNS` + ``row_type``,
      ``amount_in_unit``), in tree order;
    - ``cells``: the source × year table, long: currency, source, year, kind, amount,
      amount_in_unit (counted rows only, exact sums);
    - ``printed``: per currency, year and kind the printed totals of the scope's top (``amount``),
      whether they cover every counted row (``complete``: then they are comparable to the
      column total) and the years of their parts (``years``; a total with a null year is
      printed for all the plan's years, e.g. the passport's "184 716 млн теңге for 2026-2030");
    - ``mismatches``: the printed totals in the scope that differ from the sum of their parts;
    - ``unit``: the unit to show (see the module text) for the scope's main currency (the one
      most rows have); ``units`` the unit of each currency; None / empty without funding.
      ``amount_in_unit`` columns are in the unit of the row's currency.
    """

    rows: pl.DataFrame
    cells: pl.DataFrame
    printed: pl.DataFrame
    mismatches: list[Mismatch]
    unit: Unit | None
    index: FundingIndex
    scope: tuple[int, int] | None = None
    units: dict[str, Unit] = field(default_factory=dict)
    language: str = "kk"  # of the scope's first plan: names of sources and units

    @property
    def warnings(self) -> list[str]:
        return [m.message() for m in self.mismatches]

    @property
    def currencies(self) -> list[str]:
        return sorted(set(self.rows.get_column("currency").to_list()))

    def wide(self, kind: str = "plan", currency: str | None = None) -> pl.DataFrame:
        """The source × year table: one row per source (``source`` code, ``name``), then
        ``Total`` (the exact sum) and, where the document prints totals, ``Printed total``;
        one column per year (``"2026"`` …) and ``total``; amounts in the view's unit."""
        currency = currency or (self.unit.currency if self.unit else None)
        unit = self.units.get(currency or "")
        factor = unit.factor if unit else 1.0
        cells = self.cells.filter((pl.col("kind") == kind) & (pl.col("currency") == currency))
        years = sorted({y for y in cells.get_column("year").to_list() if y is not None})
        year_cols = [str(y) for y in years]
        if cells.get_column("year").null_count():
            year_cols.append("no year")

        def year_key() -> pl.Expr:
            return pl.col("year").cast(pl.String).fill_null("no year")

        body = (
            cells.with_columns(col=year_key(), source_key=pl.col("source").fill_null(""))
            .group_by("source_key", "col")
            .agg(value=exact_sum(pl.col("amount")))
        )
        sources = sorted(set(body.get_column("source_key").to_list()), key=lambda s: (s == "", s))
        language = self.language
        lines: list[dict[str, object]] = []
        lookup = {(s, c): v for s, c, v in body.iter_rows()}
        for source in sources:
            line: dict[str, object] = {
                "source": source or None,
                "name": self.index.source_label(source, language) if source else _("not named"),
            }
            for col in year_cols:
                value = lookup.get((source, col))
                line[col] = None if value is None else value / factor
            line["total"] = exact_total([lookup.get((source, c)) for c in year_cols]) / factor
            lines.append(line)
        totals = {
            c: exact_total([v for (_, cc), v in lookup.items() if cc == c]) for c in year_cols
        }
        lines.append(
            {
                "source": None,
                "name": _("Total"),
                **{c: totals[c] / factor for c in year_cols},
                "total": exact_total(list(totals.values())) / factor,
            }
        )
        printed = self.printed.filter(
            (pl.col("kind") == kind) & (pl.col("currency") == currency) & pl.col("complete")
        ).with_columns(col=year_key())
        if printed.height:
            values = {c: v for c, v in printed.select("col", "amount").iter_rows()}
            line = {"source": None, "name": _("Printed total")}
            for col in year_cols:
                value = values.get(col)
                line[col] = None if value is None else value / factor
            spans = {c: ys for c, ys in printed.select("col", "years").iter_rows()}
            if "no year" in values and "no year" not in year_cols:
                # A total for all years compares with the row's total only over the same years.
                same = {str(y) for y in spans["no year"] or []} == set(year_cols)
                line["total"] = values["no year"] / factor if same else None
            elif all(c in values for c in year_cols):
                line["total"] = exact_total([values[c] for c in year_cols]) / factor
            else:
                line["total"] = None
            lines.append(line)
        schema: dict[str, pl.DataType] = {"source": pl.String(), "name": pl.String()}
        schema.update({c: pl.Float64() for c in [*year_cols, "total"]})
        return pl.DataFrame(lines, schema=schema, orient="row")

    def period_totals(self, kind: str = "plan", currency: str | None = None) -> list[PeriodTotal]:
        """The totals the document prints for several years at once (the passport's "184 716
        млн теңге for 2026-2030"), each against the computed sum of the same years and the sum of
        the yearly totals it prints for them; amounts in the view's unit."""
        currency = currency or (self.unit.currency if self.unit else None)
        unit = self.units.get(currency or "")
        factor = unit.factor if unit else 1.0
        mine = (pl.col("kind") == kind) & (pl.col("currency") == currency)
        spans = self.printed.filter(mine & pl.col("year").is_null() & pl.col("complete"))
        yearly = {
            y: a
            for y, a in self.printed.filter(mine & pl.col("year").is_not_null())
            .select("year", "amount")
            .iter_rows()
        }
        cells = self.cells.filter(mine & pl.col("year").is_not_null())
        out = []
        for amount, years in spans.select("amount", "years").iter_rows():
            years = sorted(int(y) for y in years or [])
            if not years:
                continue
            computed = exact_total(
                [a for y, a in cells.select("year", "amount").iter_rows() if y in years]
            )
            printed_years = (
                exact_total([yearly[y] for y in years]) / factor
                if all(y in yearly for y in years)
                else None
            )
            out.append(PeriodTotal(tuple(years), amount / factor, computed / factor, printed_years))
        return out

    def year_notes(self, kind: str = "plan") -> dict[int, str]:
        """What a year of the table is when it is not one of the plan's years: the current
        year's estimate printed beside a plan (Zhezkazgan's 2025, "Ағымдағы жылдың жоспары
        (фактісі)"), worded as the indicator detail words it (:func:`year_note`)."""
        plans = self.index.tables["plans"].select(
            pl.col("plan_id").cast(pl.String), "period_start", "period_end"
        )
        rows = (
            self.rows.filter(pl.col("kind") == kind)
            .select("plan_id", "year", "comment")
            .join(plans, on="plan_id", how="left")
            .filter(pl.col("year").is_not_null() & (pl.col("year") < pl.col("period_start")))
        )
        notes: dict[int, str] = {}
        if kind != "plan":  # a fact before the plan's years is the reported year's fact
            return notes
        for year, start, end, comment in (
            rows.group_by("year", "period_start", "period_end")
            .agg(pl.col("comment").drop_nulls().first())
            .sort("year")
            .iter_rows()
        ):
            notes[int(year)] = year_note(int(year), int(start), end, comment)
        return notes

    def notes(self, kind: str = "plan") -> list[str]:
        """The lines under the source × year table: each total printed for several years
        against the sums of the same years, then what a year outside the plan's years is
        (its column is marked ``*``)."""
        lines = []
        for total in self.period_totals(kind):
            line = _("Printed total {period}: {printed}; the sum of {period}: {computed}").format(
                period=total.period,
                printed=format_amount(total.printed),
                computed=format_amount(total.computed),
            )
            if total.printed_years is not None:
                line += "; " + _("the yearly printed totals: {amount}").format(
                    amount=format_amount(total.printed_years)
                )
            lines.append(line)
        lines += [f"* {note}" for note in self.year_notes(kind).values()]
        return lines

    def by(self, dimension: str) -> pl.DataFrame:
        """Roll-up by ``source``, ``year``, ``plan``, ``section`` or ``body``: one row per key,
        year and kind with the exact sum (``amount``, ``amount_in_unit``) and ``currency``.

        ``section`` and ``body`` account each section (or body) on its own: a total printed for
        a whole plan is not split among sections; rows at plan level have a null section; a row
        shared by several bodies counts for each of them.
        """
        rows = self.rows.drop("row_type")
        if dimension in ("source", "year"):
            key = "source" if dimension == "source" else None
            counted = self.rows.filter(pl.col("row_type") == "item")
            keys = [key] if key else []
        elif dimension == "plan":
            counted = accounted(self.index, rows, "plan_id").filter(pl.col("row_type") == "item")
            keys = ["city", "plan_id"]
        elif dimension == "section":
            rows = rows.with_columns(pl.col("section_id").fill_null(""))
            counted = (
                accounted(self.index, rows, "section_id")
                .filter(pl.col("row_type") == "item")
                .with_columns(pl.col("section_id").replace("", None))
            )
            keys = ["plan_id", "section_id", "section"]
        elif dimension == "body":
            rows = rows.explode("bodies", empty_as_null=True).with_columns(
                body=pl.col("bodies").fill_null("")
            )
            counted = (
                accounted(self.index, rows, "body")
                .filter(pl.col("row_type") == "item")
                .with_columns(pl.col("body").replace("", None))
            )
            keys = ["body"]
        else:
            raise ValueError(
                _(
                    "unknown dimension {dimension} (expected source, year, plan, section or body)"
                ).format(dimension=repr(dimension))
            )
        out = (
            counted.group_by(*keys, "year", "kind", "currency")
            .agg(amount=exact_sum(pl.col("amount")))
            .with_columns(amount_in_unit=in_unit(pl.col("amount"), self.units))
            .sort(*keys, "year", "kind", nulls_last=True)
        )
        if dimension == "body":
            out = out.with_columns(
                name=pl.col("body").map_elements(
                    lambda code: self.index.body_name(code, self.language),
                    return_dtype=pl.String,
                )
            )
        return out

    def grants(self) -> pl.DataFrame:
        """The grants of the scope: the grant row (area, direction, problem, grant_type,
        period_raw, territory, targets, expected_results, requirements) with the node's code and
        title, ``amounts`` (list of {year, amount, amount_in_unit}), ``amounts_text``
        ("2026: 18 000; 2027: 18 000" in the view's unit) and ``total``."""
        grants = self.index.tables["grants"]
        nodes = self.index.items.filter(pl.col("level") == "node").select(
            "idx", "plan_id", "node_id", "code", "title"
        )
        lo, hi = self.scope if self.scope is not None else (0, 0)
        grants = grants.with_columns(
            pl.col("plan_id").cast(pl.String), pl.col("node_id").cast(pl.String)
        )
        in_scope = grants.join(nodes, on=["plan_id", "node_id"], how="inner").filter(
            (pl.col("idx") >= lo) & (pl.col("idx") < hi)
        )
        ids = in_scope.select("plan_id", "node_id")
        money = (
            self.index.frame.join(ids, on=["plan_id", "node_id"], how="semi")
            .filter(pl.col("kind") == "plan")
            .with_columns(factor=in_unit(pl.lit(1.0), self.units).pow(-1))
            .group_by("plan_id", "node_id", "year")
            .agg(amount=exact_sum(pl.col("amount")), factor=pl.col("factor").first())
            .sort("year", nulls_last=True)
            .with_columns(amount_in_unit=pl.col("amount") / pl.col("factor"))
            .with_columns(
                text=pl.format(
                    "{}: {}",
                    pl.col("year").cast(pl.String).fill_null("—"),
                    pl.col("amount_in_unit").map_elements(format_amount, return_dtype=pl.String),
                )
            )
            .group_by("plan_id", "node_id", maintain_order=True)
            .agg(
                amounts=pl.struct("year", "amount", "amount_in_unit"),
                amounts_text=pl.col("text").str.join("; "),
                total=exact_sum(pl.col("amount")),
            )
        )
        return (
            in_scope.join(money, on=["plan_id", "node_id"], how="left", maintain_order="left")
            .sort("idx")
            .select(
                "plan_id",
                "node_id",
                "code",
                "title",
                "area",
                "direction",
                "problem",
                "grant_type",
                "period_raw",
                "territory",
                "targets",
                "expected_results",
                "requirements",
                "amounts",
                "amounts_text",
                "total",
            )
        )


def funding_view(
    index: FundingIndex,
    *,
    city: str | None = None,
    plan_id: str | None = None,
    node_id: str | None = None,
) -> FundingView:
    """The funding of a node's subtree, a plan, a city (across its plans) or everything."""
    found = ancestry.locate(index.items, city=city, plan_id=plan_id, node_id=node_id)
    frame = index.frame
    if found is None:
        rows = frame.clear()
    else:
        lo, hi = found
        rows = frame.filter((pl.col("idx") >= lo) & (pl.col("idx") < hi))
    typed = accounted(index, rows)
    units = {
        currency: _unit(index, typed.filter(pl.col("currency") == currency))
        for currency in sorted(set(typed.get_column("currency").to_list()))
    }
    unit = _unit(index, typed)
    typed = typed.with_columns(amount_in_unit=in_unit(pl.col("amount"), units))
    counted = typed.filter(pl.col("row_type") == "item")
    cells = (
        counted.group_by("currency", "source", "year", "kind")
        .agg(amount=exact_sum(pl.col("amount")))
        .with_columns(amount_in_unit=in_unit(pl.col("amount"), units))
        .sort("currency", "source", "year", "kind", nulls_last=True)
    )
    top_totals = _top_totals(index, typed)
    mismatches = index.mismatches(typed.filter(pl.col("row_type") == "total"))
    return FundingView(
        rows=typed.drop("end"),
        cells=cells,
        printed=top_totals,
        mismatches=mismatches,
        unit=unit,
        index=index,
        scope=found,
        units={c: u for c, u in units.items() if u is not None},
        language=_scope_language(index, typed),
    )


def _top_totals(index: FundingIndex, typed: pl.DataFrame) -> pl.DataFrame:
    """Per currency, year and kind: the printed totals at the top of the scope and whether the
    counted rows all descend from them. A total for all years (null year) is its own entry: the
    yearly totals under it are at the top of their year."""
    counted_or_total = typed.filter(pl.col("row_type") != "detail")
    inner = (
        index.covers.filter(~pl.col("cross_year"))
        .join(counted_or_total.select(t="rid"), on="t", how="semi")
        .join(counted_or_total.select(r="rid"), on="r", how="semi")
    )
    top = counted_or_total.join(inner.select(rid="r").unique(), on="rid", how="anti")
    keys = ["currency", "year", "kind"]
    part_years = (
        index.parts.join(top.filter(pl.col("is_total")).select(t="rid"), on="t", how="semi")
        .join(index.frame.select(r="rid", part_year="year"), on="r")
        .group_by("t")
        .agg(pl.col("part_year").drop_nulls().unique().sort())
    )
    top = top.join(part_years, left_on="rid", right_on="t", how="left")
    summary = top.group_by(keys).agg(
        amount=exact_sum(pl.col("amount").filter(pl.col("is_total"))),
        complete=pl.col("is_total").all(),
        any_total=pl.col("is_total").any(),
        years=pl.col("part_year")
        .list.explode(keep_nulls=False, empty_as_null=False)
        .drop_nulls()
        .unique()
        .sort(),
    )
    return summary.filter(pl.col("any_total")).drop("any_total").sort(keys, nulls_last=True)


def _scope_language(index: FundingIndex, rows: pl.DataFrame) -> str:
    plans = rows.get_column("plan_id").unique(maintain_order=True).to_list()
    return plan_language(index.tables, str(plans[0])) if plans else "kk"


def _unit(index: FundingIndex, rows: pl.DataFrame) -> Unit | None:
    if rows.is_empty():
        return None
    currency = rows.group_by("currency").len().sort("len", "currency", descending=[True, False])
    chosen = str(currency.get_column("currency")[0])
    factors = (
        rows.filter((pl.col("currency") == chosen) & pl.col("unit_factor").is_not_null())
        .group_by("unit_factor")
        .len()
        .sort("len", "unit_factor", descending=True)
    )
    factor = float(factors.get_column("unit_factor")[0]) if factors.height else 1.0
    plans = rows.get_column("plan_id").unique().to_list()
    language = plan_language(index.tables, str(plans[0])) if plans else "kk"
    return unit_for(factor, chosen, language)
