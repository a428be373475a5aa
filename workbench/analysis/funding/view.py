"""Funding: where the money comes from and where it goes — roll-ups by source, year, plan,
section and responsible body, the source × year table, the grants, and the printed totals
checked against the computed sums.

Amounts in ``funding`` are whole currency units (tenge, som). Each view shows them in the unit
the documents print (thousand or million tenge, som): the **printed unit** of a row is read from
its ``amount_raw`` — the number printed there, times 1, 1 000, 1 000 000 or 1 000 000 000, gives
``amount`` — and a view uses the unit most of its rows were printed in (ties: the larger).
Totals are summed exactly (in hundredths of the currency unit, as integers).

**Printed totals and their parts.** A document prints totals (``БАРЛЫҒЫ``, ``Итого``, ``БАРЛЫҚ
каржы ресурстары``) beside the amounts they add up. Rows of one plan, year and kind (plan/fact)
are related like this:

- a row with no source ("all sources") at a node *covers* the rows of the same node that name
  a source, and every row at a node below it; a row naming a source covers the rows below its
  node that name the same source (a row with a null node is at the plan, above every node);
- the *parts* of a row with no source are the rows of the same node that name a source, if
  there are any, else the topmost rows it covers below its node; a row naming a source has no
  parts. A row with parts is a **printed total**;
- a view (a node's subtree, a plan, a city) counts its **topmost** rows (covered by no other row
  of the view), each replaced by its parts, recursively: the money is counted once, at the finest
  breakdown the document prints. Rows covered by a counted row but not among its parts are
  **details** (e.g. the amounts printed beside single activities of a report whose money table
  is by source): shown, not summed;
- each printed total is compared with the exact sum of its parts; a difference larger than half
  the last printed digit of the total is a warning (:class:`Mismatch`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import polars as pl

from workbench.analysis.activities import code_name, code_names
from workbench.dataset import ancestry
from workbench.dataset.numbers import parse_amount
from workbench.errors import NumberParseError

UNIT_FACTORS = (1.0, 1_000.0, 1_000_000.0, 1_000_000_000.0)
_UNIT_WORDS = {
    "kk": {1.0: "", 1_000.0: "мың", 1_000_000.0: "млн", 1_000_000_000.0: "млрд"},
    "ky": {1.0: "", 1_000.0: "миң", 1_000_000.0: "млн", 1_000_000_000.0: "млрд"},
    "en": {1.0: "", 1_000.0: "thousand", 1_000_000.0: "million", 1_000_000_000.0: "billion"},
}
_CURRENCY_WORDS = {"KZT": {"kk": "теңге", "ky": "теңге"}, "KGS": {"kk": "сом", "ky": "сом"}}

ROW_TYPES = ("item", "total", "detail")

# Columns of FundingView.rows and of the index frame.
ROW_COLUMNS = (
    "rid",
    "idx",
    "city",
    "plan_id",
    "node_id",
    "node_kind",
    "node_code",
    "node_title",
    "section_id",
    "section",
    "bodies",
    "year",
    "source",
    "kind",
    "amount",
    "amount_raw",
    "currency",
    "comment",
    "unit_factor",
    "printed_step",
    "is_total",
    "parts_sum",
)


@dataclass(frozen=True, slots=True)
class Unit:
    """The unit a view shows amounts in: ``factor`` whole currency units, ``name`` in English
    (``thousand KZT``) and ``label`` as the documents print it (``мың теңге``, ``сом``)."""

    factor: float
    currency: str
    name: str
    label: str


def unit_for(factor: float, currency: str, language: str = "kk") -> Unit:
    words = _UNIT_WORDS.get(language, _UNIT_WORDS["kk"])
    native = _CURRENCY_WORDS.get(currency, {}).get(language, currency)
    english = _UNIT_WORDS["en"][factor]
    return Unit(
        factor=factor,
        currency=currency,
        name=f"{english} {currency}".strip(),
        label=f"{words[factor]} {native}".strip(),
    )


_NUMBER = re.compile(r"[+\-−]?(?:\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+|\d+)(?:[.,]\d+)?")


def printed_unit(amount: float | None, raw: str | None) -> tuple[float | None, int | None]:
    """The unit a row was printed in and how many decimals the printed number has.

    The number printed in ``raw`` times 1, 1 000, 10⁶ or 10⁹ must give ``amount``; the first
    number that does decides. A unit word (мың, млн …) names the unit when no number does (a
    zero amount); ``(None, None)`` when nothing tells.
    """
    if amount is None or raw is None:
        return None, None
    for match in _NUMBER.finditer(raw):
        digits = re.sub(r"[ \u00a0\u202f\u2009]", "", match.group(0)).replace("−", "-")
        digits = digits.replace(",", ".")
        try:
            value = float(digits)
        except ValueError:
            continue
        if value == 0:
            continue
        decimals = len(digits.split(".", 1)[1]) if "." in digits else 0
        for factor in UNIT_FACTORS:
            if math.isclose(value * factor, amount, rel_tol=1e-9, abs_tol=0.005):
                return factor, decimals
    try:
        parsed = parse_amount(raw)
    except NumberParseError:
        return None, None
    if parsed.multiplier != 1.0:
        return parsed.multiplier, None
    return None, None


def _cents(expr: pl.Expr) -> pl.Expr:
    return (expr * 100).round(0).cast(pl.Int64)


def exact_sum(expr: pl.Expr) -> pl.Expr:
    """The sum of amounts, exact to the hundredth of a currency unit."""
    return _cents(expr).sum().cast(pl.Float64) / 100


def format_amount(value: float | None, *, decimals: int | None = None) -> str:
    """An amount as the documents print it: spaces between thousands, a decimal comma
    (``1 291,0``); ``decimals`` None shows as many as needed (up to 3)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if decimals is None:
        decimals = 0
        while decimals < 3 and not math.isclose(
            round(value, decimals), value, rel_tol=0, abs_tol=1e-9
        ):
            decimals += 1
    text = f"{value:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",")


@dataclass(frozen=True, slots=True)
class Mismatch:
    """A printed total that is not the sum of its parts."""

    plan_id: str
    node_id: str | None
    year: int | None
    kind: str
    source: str | None
    printed: float
    computed: float
    currency: str
    unit: Unit
    parts: int

    @property
    def difference(self) -> float:
        return round(self.printed - self.computed, 2)

    def message(self) -> str:
        where = f"{self.plan_id}" + (f" {self.node_id}" if self.node_id else "")
        what = f"{self.kind} {self.year if self.year is not None else '(all years)'}"
        source = f" ({self.source})" if self.source else ""
        factor = self.unit.factor
        return (
            f"{where}: {what}{source}: printed total {format_amount(self.printed / factor)} "
            f"{self.unit.label} but its {self.parts} parts add up to "
            f"{format_amount(self.computed / factor)} (difference "
            f"{format_amount(self.difference / factor)})"
        )


@dataclass(frozen=True)
class FundingIndex:
    """The funding rows of a dataset with their place in the tree, printed unit and the
    cover/part relations between them (see the module text); built once per dataset."""

    tables: Mapping[str, pl.DataFrame]
    items: pl.DataFrame
    frame: pl.DataFrame
    covers: pl.DataFrame  # t, r: row t covers row r
    parts: pl.DataFrame  # t, r: row r is a part of the printed total t
    source_names: dict[str, str] = field(default_factory=dict)
    body_names: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        tables: Mapping[str, pl.DataFrame],
        *,
        items: pl.DataFrame | None = None,
        language: str | None = None,
    ) -> FundingIndex:
        items = ancestry.build_items(tables, items)
        funding = tables["funding"]
        frame = funding.with_columns(
            pl.col("plan_id").cast(pl.String),
            pl.col("node_id").cast(pl.String),
            pl.col("source").cast(pl.String),
            pl.col("kind").cast(pl.String),
            pl.col("currency").cast(pl.String),
            idx=ancestry.item_of(items, funding),
        )
        plan_items = items.filter(pl.col("level") == "plan").select("plan_id", plan_idx="idx")
        frame = (
            frame.join(plan_items, on="plan_id", how="left", maintain_order="left")
            .with_columns(idx=pl.coalesce("idx", "plan_idx"))
            .drop("plan_idx")
            .filter(pl.col("idx").is_not_null())
            .sort("idx", "plan_id", "year", "kind", "source", nulls_last=False, maintain_order=True)
            .with_row_index("rid")
            .with_columns(pl.col("rid").cast(pl.Int32))
        )
        units = [printed_unit(a, r) for a, r in frame.select("amount", "amount_raw").iter_rows()]
        frame = frame.with_columns(
            unit_factor=pl.Series([u[0] for u in units], dtype=pl.Float64),
            printed_decimals=pl.Series([u[1] for u in units], dtype=pl.Int32),
        )
        start = frame.get_column("idx")
        section = ancestry.nearest(
            items, ancestry.kind_mask(items, ancestry.SECTION_KINDS), start, include_self=True
        )
        bodies = ancestry.inherited_codes(items, tables["assignments"], "body", start)
        node_info = items.select(
            "idx",
            "city",
            "end",
            node_kind=pl.when(pl.col("level") == "node").then(pl.col("kind")),
            node_code="code",
            node_title=pl.when(pl.col("level") == "node").then(pl.col("title")),
        )
        sections = items.select(section_idx="idx", section_id="node_id", section="title")
        frame = (
            frame.with_columns(section_idx=section, bodies=bodies)
            .join(node_info, on="idx", how="left", maintain_order="left")
            .join(sections, on="section_idx", how="left", maintain_order="left")
        )
        covers = _covers(frame, items, tables["plans"])
        parts = _parts(frame, covers)
        parts_sum = (
            parts.join(frame.select(r="rid", amount="amount"), on="r")
            .group_by("t")
            .agg(parts_sum=exact_sum(pl.col("amount")))
        )
        # The precision of a printed number: half its last digit is the tolerance of a total.
        step = pl.col("unit_factor") * pl.lit(10.0).pow(
            -pl.col("printed_decimals").cast(pl.Float64)
        )
        frame = frame.join(
            parts_sum.rename({"t": "rid"}), on="rid", how="left", maintain_order="left"
        ).with_columns(
            is_total=pl.col("parts_sum").is_not_null(),
            printed_step=step,
        )
        return cls(
            tables=tables,
            items=items,
            frame=frame.select(*ROW_COLUMNS, "end"),
            covers=covers,
            parts=parts,
            source_names=code_names(tables, "funding", language),
            body_names=code_names(tables, "body", language),
        )

    def source_name(self, code: str | None, language: str = "ru") -> str:
        if code is None:
            return "—"
        return code_name(self.source_names, "funding", code, language)

    def mismatches(self, frame: pl.DataFrame | None = None) -> list[Mismatch]:
        """The printed totals (of ``frame``, default all rows) that differ from their parts."""
        frame = self.frame if frame is None else frame
        totals = frame.filter(pl.col("is_total"))
        tolerance = pl.max_horizontal(pl.col("printed_step").fill_null(1.0) / 2, pl.lit(0.005))
        bad = totals.filter((pl.col("amount") - pl.col("parts_sum")).abs() > tolerance + 1e-6)
        counts = self.parts.group_by("t").agg(n=pl.len())
        bad = bad.join(counts, left_on="rid", right_on="t", how="left")
        out = []
        for row in bad.iter_rows(named=True):
            unit = unit_for(
                row["unit_factor"] or 1.0,
                row["currency"],
                _plan_language(self.tables, row["plan_id"]),
            )
            out.append(
                Mismatch(
                    plan_id=row["plan_id"],
                    node_id=row["node_id"],
                    year=row["year"],
                    kind=row["kind"],
                    source=row["source"],
                    printed=row["amount"],
                    computed=row["parts_sum"],
                    currency=row["currency"],
                    unit=unit,
                    parts=int(row["n"] or 0),
                )
            )
        return out


def _covers(frame: pl.DataFrame, items: pl.DataFrame, plans: pl.DataFrame) -> pl.DataFrame:
    """Pairs (t, r): row t covers row r (see the module text). Columns t, r, ``same`` (r is at
    t's node) and ``cross_year`` (t has no year, r has one)."""
    keys = ["plan_id", "kind"]
    rows = frame.select("rid", "idx", "source", "year", *keys)
    period = plans.select(
        pl.col("plan_id").cast(pl.String), first="period_start", last="period_end"
    )
    up = ancestry.ancestors(items, rows.get_column("idx"))
    indexed = rows.with_row_index("row").with_columns(pl.col("row").cast(pl.Int32))
    below = (
        up.join(indexed, on="row")
        .select("anc", *keys, r="rid", r_source="source", r_year="year")
        .join(
            rows.select(*keys, t="rid", anc="idx", t_source="source", t_year="year"),
            on=["anc", *keys],
        )
        .with_columns(same=pl.lit(False))
    )
    same = (
        rows.select("idx", *keys, t="rid", t_source="source", t_year="year")
        .join(
            rows.select("idx", *keys, r="rid", r_source="source", r_year="year"), on=["idx", *keys]
        )
        .filter(
            (pl.col("t_year").is_null() & pl.col("r_year").is_not_null())
            | (pl.col("t_source").is_null() & pl.col("r_source").is_not_null())
        )
        .with_columns(same=pl.lit(True))
    )
    columns = ["t", "r", "same", "plan_id", "t_source", "r_source", "t_year", "r_year"]
    pairs = pl.concat([same.select(columns), below.select(columns)], how="vertical").join(
        period, on="plan_id", how="left"
    )
    source_ok = pl.col("t_source").is_null() | (pl.col("t_source") == pl.col("r_source"))
    same_year = (pl.col("t_year") == pl.col("r_year")) | (
        pl.col("t_year").is_null() & pl.col("r_year").is_null()
    )
    cross_year = pl.col("t_year").is_null() & pl.col("r_year").is_between(
        pl.col("first"), pl.col("last")
    )
    return pairs.filter(
        source_ok.fill_null(False) & (same_year | cross_year).fill_null(False)
    ).select(
        pl.col("t").cast(pl.Int32),
        pl.col("r").cast(pl.Int32),
        "same",
        cross_year=pl.col("t_year").is_null() & pl.col("r_year").is_not_null(),
    )


def _parts(frame: pl.DataFrame, covers: pl.DataFrame) -> pl.DataFrame:
    """Pairs (t, r): row r is a part of the printed total t (see the module text)."""
    no_source = frame.filter(pl.col("source").is_null()).select(t="rid")
    same = covers.filter(pl.col("same")).select("t", "r")
    with_same = same.select("t").unique()
    below = (
        covers.filter(~pl.col("same"))
        .select("t", "r")
        .join(no_source, on="t", how="semi")
        .join(with_same, on="t", how="anti")
    )
    # r is a part of t unless some c between them covers it (t covers c, c covers r).
    between = covers.select("t", c="r").join(covers.select(c="t", r="r"), on="c").select("t", "r")
    candidates = pl.concat([same, below], how="vertical")
    return candidates.join(between, on=["t", "r"], how="anti").unique(maintain_order=True)


def _exact(values: Sequence[float | None]) -> float:
    """A sum of amounts, exact to the hundredth."""
    return sum(round(v * 100) for v in values if v is not None) / 100


def _plan_language(tables: Mapping[str, pl.DataFrame], plan_id: str) -> str:
    found = tables["plans"].filter(pl.col("plan_id") == plan_id)
    return str(found.get_column("language")[0]) if found.height else "kk"


def accounted(index: FundingIndex, rows: pl.DataFrame, group: str | None = None) -> pl.DataFrame:
    """Mark each row of ``rows`` (a subset of ``index.frame``) as counted or not, within groups.

    Adds ``row_type``: ``item`` (counted in the sums: a topmost row or a part of a counted
    total, with no parts of its own), ``total`` (a counted printed total, replaced by its parts),
    ``detail`` (covered by a counted row but not among its parts: not summed). ``group`` names a
    column: rows are accounted separately per value (e.g. per section).
    """
    key = [group] if group else []
    cols = ["rid", *key]
    ids = rows.select(cols)
    in_scope = rows.select("rid").unique()
    covers = (
        index.covers.select("t", "r")
        .join(ids.rename({"rid": "t"}), on="t")
        .join(ids.rename({"rid": "r"}), on=["r", *key])
    )
    all_parts = index.parts.join(in_scope.rename({"rid": "t"}), on="t").join(
        in_scope.rename({"rid": "r"}), on="r"
    )
    # A total whose parts are all in other groups is counted there, not here.
    is_total = all_parts.select(rid="t").unique()
    parts = all_parts.join(ids.rename({"rid": "t"}), on="t").join(
        ids.rename({"rid": "r"}), on=["r", *key]
    )
    covered = covers.select(*key, rid="r").unique().select(cols)
    frontier = ids.join(covered, on=cols, how="anti")
    counted = []
    totals = []
    while frontier.height:
        total = frontier.join(is_total, on="rid", how="semi")
        totals.append(total)
        counted.append(frontier.join(total, on=cols, how="anti"))
        frontier = (
            total.join(parts.rename({"t": "rid"}), on=cols, how="inner")
            .select(*key, rid="r")
            .unique()
            .select(cols)
        )
    marks = [
        frame.with_columns(row_type=pl.lit(kind))
        for frames, kind in ((counted, "item"), (totals, "total"))
        for frame in frames
    ]
    typed = (
        pl.concat(marks, how="vertical").unique(subset=cols, keep="first")
        if marks
        else ids.clear().with_columns(row_type=pl.lit("item"))
    )
    return rows.join(typed, on=["rid", *key], how="left", maintain_order="left").with_columns(
        pl.col("row_type").fill_null("detail")
    )


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
                "name": self.index.source_name(source or None, language) if source else "not named",
            }
            for col in year_cols:
                value = lookup.get((source, col))
                line[col] = None if value is None else value / factor
            line["total"] = _exact([lookup.get((source, c)) for c in year_cols]) / factor
            lines.append(line)
        totals = {c: _exact([v for (_, cc), v in lookup.items() if cc == c]) for c in year_cols}
        lines.append(
            {
                "source": None,
                "name": "Total",
                **{c: totals[c] / factor for c in year_cols},
                "total": _exact(list(totals.values())) / factor,
            }
        )
        printed = self.printed.filter(
            (pl.col("kind") == kind) & (pl.col("currency") == currency) & pl.col("complete")
        ).with_columns(col=year_key())
        if printed.height:
            values = {c: v for c, v in printed.select("col", "amount").iter_rows()}
            line = {"source": None, "name": "Printed total"}
            for col in year_cols:
                value = values.get(col)
                line[col] = None if value is None else value / factor
            spans = {c: ys for c, ys in printed.select("col", "years").iter_rows()}
            if "no year" in values and "no year" not in year_cols:
                # A total for all years compares with the row's total only over the same years.
                same = {str(y) for y in spans["no year"] or []} == set(year_cols)
                line["total"] = values["no year"] / factor if same else None
            elif all(c in values for c in year_cols):
                line["total"] = _exact([values[c] for c in year_cols]) / factor
            else:
                line["total"] = None
            lines.append(line)
        schema: dict[str, pl.DataType] = {"source": pl.String(), "name": pl.String()}
        schema.update({c: pl.Float64() for c in [*year_cols, "total"]})
        return pl.DataFrame(lines, schema=schema, orient="row")

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
                f"unknown dimension {dimension!r} (expected source, year, plan, section or body)"
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
                    lambda code: code_name(self.index.body_names, "body", code),
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


def in_unit(amount: pl.Expr, units: Mapping[str, Unit | None]) -> pl.Expr:
    """An amount in whole currency units divided by the unit of its row's ``currency``."""
    factors = {c: (u.factor if u else 1.0) for c, u in units.items()}
    factor = pl.col("currency").replace_strict(factors, default=1.0, return_dtype=pl.Float64)
    return amount / factor


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
    return _plan_language(index.tables, str(plans[0])) if plans else "kk"


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
    language = _plan_language(index.tables, str(plans[0])) if plans else "kk"
    return unit_for(factor, chosen, language)


# -- report rows -------------------------------------------------------------------------------

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
    named by ``amount_unit`` (e.g. ``thousand KZT``) and ``unit_factor``. The filters keep rows
    of the given kinds (plan, fact), source codes and years.
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
        )
    )
    return pl.concat([listed, computed], how="vertical_relaxed").select(FUNDING_REPORT_COLUMNS)
