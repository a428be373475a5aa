"""The funding index: every funding row of a dataset with its place in the tree and printed
unit, and which rows are printed totals of which parts (the views are
:mod:`workbench.analysis.funding.view`).

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

**Of which.** Rows of one node, year, kind and source are one amount and what the document
prints under it ("оның ішінде …", "анын ичинен …": its ``label`` says which): the first printed
(lowest ``source_line``) covers the others, which are details of it and cover nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import polars as pl

from workbench.analysis.activities import code_name, code_names, names_by_language
from workbench.analysis.funding.amounts import (
    Unit,
    exact_sum,
    format_amount,
    printed_unit,
    unit_for,
)
from workbench.analysis.vocabulary_names import VocabularyNames
from workbench.dataset import ancestry
from workbench.i18n import _

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
    "label",
    "source_line",
    "unit_factor",
    "printed_step",
    "is_total",
    "parts_sum",
)


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
    # Each part as a person finds it in the document (its node's code and title, else its
    # printed label) with its amount, in document order: what "its 3 parts" are.
    part_amounts: tuple[tuple[str, float], ...] = ()

    @property
    def difference(self) -> float:
        return round(self.printed - self.computed, 2)

    def message(self) -> str:
        where = f"{self.plan_id}" + (f" {self.node_id}" if self.node_id else "")
        year = str(self.year) if self.year is not None else _("all years")
        what = f"{_(self.kind)} {year}"
        source = f" ({self.source})" if self.source else ""
        factor = self.unit.factor
        line = _(
            "{where}: {what}{source}: printed total {printed} {unit} but its {count} parts add "
            "up to {computed} (difference {difference})"
        ).format(
            where=where,
            what=what,
            source=source,
            printed=format_amount(self.printed / factor),
            unit=self.unit.label,
            count=self.parts,
            computed=format_amount(self.computed / factor),
            difference=format_amount(self.difference / factor),
        )
        if self.part_amounts:
            parts = "; ".join(
                f"{name}: {format_amount(v / factor)}" for name, v in self.part_amounts
            )
            line += " — " + _("parts: {parts}").format(parts=parts)
        return line


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
    by_language: dict[tuple[str, str, str], str] = field(default_factory=dict)
    names: VocabularyNames = field(default_factory=VocabularyNames)

    @classmethod
    def build(
        cls,
        tables: Mapping[str, pl.DataFrame],
        *,
        items: pl.DataFrame | None = None,
        language: str | None = None,
    ) -> FundingIndex:
        items = ancestry.build_items(tables, items)
        names = VocabularyNames.build(tables)
        tables = names.shown_tables(tables)  # one body for the spellings of one
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
            by_language=names_by_language(tables),
            names=names,
        )

    def source_name(self, code: str | None, language: str = "ru") -> str:
        """The source's name in ``language`` (machine outputs: ``source_name``)."""
        if code is None:
            return "—"
        own = self.by_language.get(("funding", code, language))
        return own or code_name(self.source_names, "funding", code, language)

    def source_label(self, code: str, language: str = "ru") -> str:
        """The source as the documents print it, with its name: ``РБ республикалық бюджет``."""
        return self.names.source_title(code, language, self.source_name(code, language))

    def body_name(self, code: str, language: str | None = None) -> str:
        """The body's name, in ``language`` (the plan's) when the vocabulary has it."""
        own = self.by_language.get(("body", code, language)) if language else None
        return own or code_name(self.body_names, "body", code)

    def mismatches(self, frame: pl.DataFrame | None = None) -> list[Mismatch]:
        """The printed totals (of ``frame``, default all rows) that differ from their parts."""
        frame = self.frame if frame is None else frame
        totals = frame.filter(pl.col("is_total"))
        tolerance = pl.max_horizontal(pl.col("printed_step").fill_null(1.0) / 2, pl.lit(0.005))
        bad = totals.filter((pl.col("amount") - pl.col("parts_sum")).abs() > tolerance + 1e-6)
        counts = self.parts.group_by("t").agg(n=pl.len())
        bad = bad.join(counts, left_on="rid", right_on="t", how="left")
        named: dict[int, list[tuple[str, float]]] = {}
        if bad.height:
            parts = self.parts.join(bad.select(t="rid"), on="t", how="semi").join(
                self.frame.select(
                    r="rid", code="node_code", title="node_title", label="label", amount="amount"
                ),
                on="r",
            )
            for t, code, title, label, amount in (
                parts.sort("t", "r").select("t", "code", "title", "label", "amount").iter_rows()
            ):
                named.setdefault(int(t), []).append((_part_name(code, title, label), amount))
        out = []
        for row in bad.iter_rows(named=True):
            unit = unit_for(
                row["unit_factor"] or 1.0,
                row["currency"],
                plan_language(self.tables, row["plan_id"]),
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
                    part_amounts=tuple(named.get(int(row["rid"]), [])),
                )
            )
        return out


def _part_name(code: str | None, title: str | None, label: str | None) -> str:
    """A part of a printed total as found in the document: its node's code and title, else the
    label printed on its row; shortened to one phrase."""
    text = " ".join(x for x in (code, title) if x) or label or "–"
    text = " ".join(text.split())
    return text if len(text) <= 32 else text[:31].rstrip() + "…"


def _covers(frame: pl.DataFrame, items: pl.DataFrame, plans: pl.DataFrame) -> pl.DataFrame:
    """Pairs (t, r): row t covers row r (see the module text). Columns t, r, ``same`` (r is at
    t's node), ``cross_year`` (t has no year, r has one) and ``of_which`` (r is printed under t
    as a part of the same amount)."""
    keys = ["plan_id", "kind"]
    of_which = _of_which(frame)
    rows = frame.select("rid", "idx", "source", "year", *keys).join(
        of_which.select(rid="r"), on="rid", how="anti"
    )
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
    covers = pairs.filter(
        source_ok.fill_null(False) & (same_year | cross_year).fill_null(False)
    ).select(
        pl.col("t").cast(pl.Int32),
        pl.col("r").cast(pl.Int32),
        "same",
        cross_year=pl.col("t_year").is_null() & pl.col("r_year").is_not_null(),
        of_which=pl.lit(False),
    )
    # A part printed under a row is covered by what covers that row, as well as by the row.
    above = covers.join(of_which.select(r="t", part="r"), on="r").select(
        "t", r="part", same=pl.lit(False), cross_year="cross_year", of_which=pl.lit(False)
    )
    return pl.concat([covers, of_which, above], how="vertical")


def _of_which(frame: pl.DataFrame) -> pl.DataFrame:
    """Pairs (t, r) of rows at one node, year, kind and source: r is printed under t, the first
    printed of them (see the module text)."""
    group = ["plan_id", "idx", "year", "kind", "source"]
    ranked = frame.select("rid", *group, "source_line").with_columns(
        first=pl.col("rid")
        .sort_by(pl.col("source_line").fill_null(2**31 - 1), "rid")
        .first()
        .over(group)
    )
    return ranked.filter(pl.col("rid") != pl.col("first")).select(
        t=pl.col("first").cast(pl.Int32),
        r=pl.col("rid").cast(pl.Int32),
        same=pl.lit(True),
        cross_year=pl.lit(False),
        of_which=pl.lit(True),
    )


def _parts(frame: pl.DataFrame, covers: pl.DataFrame) -> pl.DataFrame:
    """Pairs (t, r): row r is a part of the printed total t (see the module text)."""
    no_source = frame.filter(pl.col("source").is_null()).select(t="rid")
    same = covers.filter(pl.col("same") & ~pl.col("of_which")).select("t", "r")
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


def plan_language(tables: Mapping[str, pl.DataFrame], plan_id: str) -> str:
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
