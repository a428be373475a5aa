"""What the workbench screen shows, computed once per dataset and year: no Textual here.

``load_catalog(folder, thresholds=...)`` reads only the columns the screen needs, keeps ids as
categoricals (a million value rows cost a few megabytes, not a few hundred), computes every
indicator's status for every year, and orders the tree (see :mod:`workbench.dataset.hierarchy`)
with each item's status and roll-up at the chosen year. ``Catalog.at_year(year)`` recomputes only
the roll-ups. The screen asks it for children, labels and details; it never computes a status
itself.
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, overload

import polars as pl

from workbench.analysis.glyphs import STATUSES
from workbench.analysis.plan_notes import PlanNotes
from workbench.analysis.status import (
    Thresholds,
    indicator_items,
    indicator_statuses,
    is_sorted,
    rank_worst,
    subtree_counts,
)
from workbench.dataset import parquet_folder
from workbench.dataset.contract import NODE_KINDS, SCHEMAS, TABLES
from workbench.dataset.hierarchy import ITEM_COLUMNS, ordered_items, run_starts
from workbench.dataset.polarity import PolarityReview, review_polarity
from workbench.errors import DatasetError
from workbench.i18n import _

Id = pl.Categorical()
LEVELS = pl.Enum(("city", "plan", "node"))
KINDS = pl.Enum(("city", "plan", *NODE_KINDS))

# The columns of each table the screen reads; the others stay on disk.
_COLUMNS: dict[str, tuple[str, ...] | None] = {
    "plans": None,
    "nodes": ("plan_id", "node_id", "parent_id", "kind", "code", "title", "position"),
    "indicators": None,
    "values": ("plan_id", "node_id", "year", "kind", "value", "reported_status"),
    "activities": None,
    "grants": None,
    # Not the tree's: what the activity and funding views read (the session keeps them).
    "assignments": None,
    "funding": None,
    "vocabulary": None,
    # A plan's list of abbreviations: the activity and body views expand them (a few rows).
    "abbreviations": None,
}
_ITEM_KEEP = (
    *ITEM_COLUMNS,
    "is_indicator",
    "year",
    "status",
    "achievement",
    "claim_mismatch",
    *STATUSES,
    "claims",
    "total",
    "share_met",
)
# What the catalog keeps of each indicator-year status: what the tree, the roll-ups and the year
# menu read, the achievement as a 32-bit float (a ratio, shown to a tenth of a percent). The
# numbers themselves (baseline … target) and the fact's source would more than double its size
# at a thousand plans: the detail counts its one indicator again (:meth:`Catalog.indicator_years`).
_STATUS_KEEP = ("plan_id", "node_id", "year", "achievement", "status", "claim_mismatch")
DEVIATING = ("at_risk", "off_track")
# Pieces of the search column (:attr:`Catalog.folded`): enough for the cores of a laptop.
_SEARCH_PIECES = 8
# Parts the statuses are counted in (see :func:`_counted`).
_STATUS_PARTS = 4
# Annotation states that count as an explanation of a deviation.
EXPLAINING = ("explained", "resolved")


_NOTE_COLUMNS = ("plan_id", "node_id", "year", "kind", "raw", "comment")
# The document's own words worth showing: execution text, and what was printed where no number
# could be read.
_IS_NOTE = pl.col("comment").is_not_null() | pl.col("value").is_null()


def read_table(folder: Path, table: str, *, notes: bool = False) -> pl.DataFrame:
    """One table of a dataset folder, with the columns the screen reads, compact."""
    columns = _NOTE_COLUMNS if notes else _COLUMNS.get(table)

    def query(frame: pl.LazyFrame) -> pl.LazyFrame:
        if notes:
            frame = frame.filter(_IS_NOTE)
        if columns is not None:
            frame = frame.select(columns)
        return _compact(frame)

    return parquet_folder.read_table(folder, table, query)


def _compact(frame: pl.LazyFrame) -> pl.LazyFrame:
    """Ids and repeated texts as categoricals: one small integer per row."""
    names = frame.collect_schema().names()
    repeated = ("plan_id", "node_id", "parent_id", "unit", "responsible", "info_source", "city")
    return frame.with_columns(pl.col(name).cast(Id) for name in repeated if name in names)


def read_tables(folder: str | Path) -> dict[str, pl.DataFrame]:
    """The tables the screen needs, compact; DatasetError names what is missing or damaged."""
    source = Path(folder)
    if not source.is_dir():
        raise DatasetError(
            _("{source}: no dataset here (expected a folder of Parquet files)").format(
                source=source
            )
        )
    tables = {table: read_table(source, table) for table in _COLUMNS}
    tables["notes"] = read_table(source, "values", notes=True)
    return tables


def compact_tables(tables: Mapping[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """Tables already in memory (tests, ``dataset.read``) in the compact form of read_tables."""
    out = {}
    for table in _COLUMNS:
        frame = tables.get(table, pl.DataFrame(schema=SCHEMAS[table]))
        columns = _COLUMNS[table]
        if columns is not None:
            frame = frame.select(columns)
        out[table] = _compact(frame.lazy()).collect()
    values = tables.get("values", pl.DataFrame(schema=SCHEMAS["values"]))
    out["notes"] = _compact(values.lazy().filter(_IS_NOTE).select(_NOTE_COLUMNS)).collect()
    return out


@dataclass(frozen=True, slots=True)
class Catalog:
    """The dataset as the screen sees it. Immutable: a new year gives a new catalog."""

    plans: pl.DataFrame
    indicators: pl.DataFrame
    statuses: pl.DataFrame
    notes: PlanNotes
    activities: pl.DataFrame
    grants: pl.DataFrame
    items: pl.DataFrame
    # The dataset's values (the compact table of read_tables, shared, not copied): the numbers
    # of the detail, and the source of every count again after a fact is entered.
    values: pl.DataFrame
    thresholds: Thresholds
    years: tuple[int, ...]
    year: int | None = None
    # The entered facts (plan_id, node_id, year, value) the statuses were counted with.
    facts: pl.DataFrame | None = None
    # The polarities the analyst set (plan_id, node_id, polarity, author, set_at) the statuses
    # were counted with.
    polarities: pl.DataFrame | None = None
    end: array[int] = field(default_factory=lambda: array("i"))
    parent: array[int] = field(default_factory=lambda: array("i"))
    # Filled on first use; the plans and titles do not change with the year, so copies share
    # them.
    _plan_rows: dict[str, dict[str, Any]] = field(default_factory=dict)
    _search: dict[str, Any] = field(default_factory=dict)
    # The analyst's work in the workspace (see :meth:`with_work`): current annotations
    # (ANNOTATION_SCHEMA) and the entered facts that win (FACT_SCHEMA).
    annotations: pl.DataFrame | None = None
    entered: pl.DataFrame | None = None
    _annotated: set[tuple[str, str]] | None = None

    # -- building ----------------------------------------------------------------------------

    @property
    def size(self) -> int:
        return self.items.height

    @property
    def folded(self) -> pl.Series:
        """Each item's code and title, NFC and lower case: what a filter searches.

        Made on first use (the screen asks for it in the background once the tree is up): at
        a thousand plans it is a noticeable wait.
        """
        found: pl.Series | None = self._search.get("folded")
        if found is None:
            # Each distinct title folded once (the titles are categoricals: the same title
            # repeats from plan to plan), then joined to its item's folded code, in a few
            # pieces, which a search goes through on every core (see :meth:`matching`), each
            # made alone. A space starts nothing that composes or changes case with what is on
            # either side, so this is the fold of the code and title joined.
            titles = self.items.get_column("title").unique().to_frame()
            folded = titles.with_columns(folded_title=_fold(pl.col("title").cast(pl.String))).lazy()
            step = max(1, -(-self.items.height // _SEARCH_PIECES))
            pieces = [
                self.items.lazy()
                .slice(start, step)
                .select("code", "title")
                .join(folded, on="title", how="left", maintain_order="left")
                .select(
                    pl.concat_str(
                        [_fold(pl.col("code").fill_null("")), pl.col("folded_title")],
                        separator=" ",
                    )
                )
                .collect()
                .to_series()
                for start in range(0, max(1, self.items.height), step)
            ]
            found = pl.concat(pieces, rechunk=False) if len(pieces) > 1 else pieces[0]
            self._search["folded"] = found
        return found

    def matching(self, query: str) -> pl.Series:
        """The items whose :attr:`folded` code and title contain ``query`` (folded already), by
        idx in order. Searched piece by piece in parallel, on every core: the larger part of a
        filter keystroke at a thousand plans. A query that holds the one searched before (a
        letter typed onto it) is looked for among that one's hits alone: only they can hold it.
        Their text is kept with them as a selection of the search column (which shares its
        strings, not a copy), so the narrower search reads only those."""
        last: tuple[str, pl.Series, pl.Series] | None = self._search.get("last")
        if last is not None and last[0] in query:
            _, rows, hay = last
        else:
            hay = self.folded
            rows = pl.int_range(0, hay.len(), dtype=pl.UInt32, eager=True)
        searched = pl.DataFrame({"hay": hay}).lazy()
        hit = searched.select(pl.col("hay").str.contains(query, literal=True)).collect()
        rows, hay = rows.filter(hit.to_series()), hay.filter(hit.to_series())
        self._search["last"] = (query, rows, hay)
        return rows

    def prepare(self) -> None:
        """What the screen has made in the background once the tree is up: the notes packed
        (see :mod:`workbench.analysis.plan_notes`; what they free is the larger part), and the
        search column."""
        self.notes.pack()
        _ = self.folded

    def at_year(self, year: int | None) -> Catalog:
        """The same dataset with statuses and roll-ups counted at ``year`` (None: latest)."""
        base = self.items.select(ITEM_COLUMNS)
        items = _rollup_items(base, self.indicators, self.statuses, year)
        return replace(self, items=items, year=year)

    def recount(
        self, facts: pl.DataFrame | None, polarities: pl.DataFrame | None = None
    ) -> Catalog:
        """The same dataset with every status and roll-up counted again with ``facts`` (the
        entered facts: plan_id, node_id, year, value) and ``polarities`` (set by the analyst:
        plan_id, node_id, polarity), at the same year."""
        statuses = _counted(self.values, self.indicators, self.thresholds, facts, polarities)
        years = tuple(sorted(int(y) for y in statuses.get_column("year").unique().to_list()))
        fresh = replace(self, statuses=statuses, years=years, facts=facts, polarities=polarities)
        return fresh.at_year(self.year)

    # -- the analyst's work (annotations and entered facts) ------------------------------------

    def with_work(self, annotations: pl.DataFrame, entered: pl.DataFrame) -> Catalog:
        """The same catalog with the workspace's current annotations and entered facts."""
        return replace(self, annotations=annotations, entered=entered, _annotated=None)

    def is_annotated(self, plan_id: str, node_id: str | None) -> bool:
        """Whether the node has an annotation (any year, any state): the tree's ✎."""
        if node_id is None or self.annotations is None:
            return False
        keys = self._annotated
        if keys is None:
            pairs = self.annotations.select("plan_id", "node_id").unique().iter_rows()
            keys = {(str(p), str(n)) for p, n in pairs}
            object.__setattr__(self, "_annotated", keys)
        return (plan_id, node_id) in keys

    def annotations_of(self, plan_id: str, node_id: str) -> list[dict[str, Any]]:
        """The node's current annotations, oldest first (every year and node-level)."""
        if self.annotations is None:
            return []
        found = self.annotations.filter(
            (pl.col("plan_id") == plan_id) & (pl.col("node_id") == node_id)
        )
        return found.sort("created_at", "id").to_dicts()

    def entered_fact(self, plan_id: str, node_id: str, year: int) -> dict[str, Any] | None:
        """The entered fact that wins for (plan, node, year): value, raw, author, entered_at."""
        if self.entered is None:
            return None
        found = self.entered.filter(
            (pl.col("plan_id") == plan_id)
            & (pl.col("node_id") == node_id)
            & (pl.col("year") == year)
        )
        return found.row(0, named=True) if found.height else None

    def unexplained_mask(self) -> pl.Series:
        """The deviating indicators (:meth:`deviation_mask`) with no annotation explaining them:
        none in state explained or resolved for the item's year or for the node as a whole."""
        deviating = self.deviation_mask()
        if self.annotations is None or not self.annotations.height:
            return deviating
        notes = self.annotations.filter(pl.col("state").is_in(EXPLAINING)).select(
            "plan_id", "node_id", pl.col("year").cast(pl.Int64)
        )
        keys = self.items.select(
            "idx",
            pl.col("plan_id").cast(pl.String),
            pl.col("node_id").cast(pl.String),
            pl.col("year").cast(pl.Int64),
        )
        whole = notes.filter(pl.col("year").is_null()).select("plan_id", "node_id").unique()
        dated = notes.filter(pl.col("year").is_not_null()).unique()
        explained = pl.concat(
            [
                keys.join(whole, on=["plan_id", "node_id"], how="semi").select("idx"),
                keys.join(dated, on=["plan_id", "node_id", "year"], how="semi").select("idx"),
            ]
        ).get_column("idx")
        return deviating & ~keys.get_column("idx").is_in(explained.implode())

    # -- the tree ----------------------------------------------------------------------------

    def roots(self) -> list[int]:
        """The cities, in order."""
        return self.children(-1)

    def children(self, idx: int) -> list[int]:
        """The items just below ``idx`` (-1: the top), in order."""
        out = []
        child, stop = (0, self.size) if idx < 0 else (idx + 1, self.end[idx])
        while child < stop:
            out.append(child)
            child = self.end[child]
        return out

    def has_children(self, idx: int) -> bool:
        return self.end[idx] > idx + 1

    def path(self, idx: int) -> list[int]:
        """The ancestors of ``idx``, top first, and ``idx`` itself."""
        out = []
        while idx >= 0:
            out.append(idx)
            idx = self.parent[idx]
        return out[::-1]

    def row(self, idx: int) -> dict[str, Any]:
        """One item: its place, kind, code, title, status at the year and roll-up counts."""
        row = self.items.row(idx, named=True)
        for name in ("level", "kind", "status", "city", "plan_id", "node_id"):
            value = row[name]
            if value is not None:
                row[name] = str(value)
        return row

    def find(self, plan_id: str, node_id: str | None = None) -> int | None:
        """The item of a plan (node_id None) or of one of its nodes."""
        node = pl.col("node_id").is_null() if node_id is None else pl.col("node_id") == node_id
        found = self.items.filter((pl.col("plan_id") == plan_id) & node)
        return int(found.item(0, "idx")) if found.height else None

    def find_city(self, city: str) -> int | None:
        found = self.items.filter((pl.col("level") == "city") & (pl.col("city") == city))
        return int(found.item(0, "idx")) if found.height else None

    # -- details -----------------------------------------------------------------------------

    def plan_row(self, plan_id: str) -> dict[str, Any] | None:
        if not self._plan_rows and self.plans.height:
            for row in self.plans.iter_rows(named=True):
                self._plan_rows[str(row["plan_id"])] = row
        return self._plan_rows.get(plan_id)

    def indicator_row(self, plan_id: str, node_id: str) -> dict[str, Any] | None:
        found = self.indicators.filter(
            (pl.col("plan_id") == plan_id) & (pl.col("node_id") == node_id)
        )
        return found.row(0, named=True) if found.height else None

    def indicator_years(self, plan_id: str, node_id: str) -> list[dict[str, Any]]:
        """Every year of one indicator, in order: baseline … target, fact_source, achievement,
        status, claim, and ``deviation`` (fact − plan, the target standing in for the plan)."""
        same = (pl.col("plan_id") == plan_id) & (pl.col("node_id") == node_id)
        facts = self.facts
        if facts is not None:
            facts = facts.filter(
                (pl.col("plan_id").cast(pl.String) == plan_id)
                & (pl.col("node_id").cast(pl.String) == node_id)
            )
        # The statuses of this one indicator, counted as the whole catalog's were (an
        # indicator's status depends on its own values and polarity alone).
        one = {"values": self.values.filter(same), "indicators": self.indicators.filter(same)}
        frame = indicator_statuses(
            one, thresholds=self.thresholds, facts=facts, polarities=self._set_on(plan_id, node_id)
        ).with_columns(
            pl.col(c).cast(pl.String) for c in ("status", "fact_source", "reported_status")
        )
        frame = frame.with_columns(deviation=pl.col("fact") - pl.coalesce("plan", "target"))
        return frame.sort("year").to_dicts()

    def _set_on(self, plan_id: str, node_id: str) -> pl.DataFrame | None:
        """The polarity the analyst set on one indicator (a frame of a row or none)."""
        if self.polarities is None:
            return None
        return self.polarities.filter(
            (pl.col("plan_id").cast(pl.String) == plan_id)
            & (pl.col("node_id").cast(pl.String) == node_id)
        )

    def polarity_of(self, plan_id: str, node_id: str) -> dict[str, Any]:
        """The polarity the indicator's status uses: ``polarity``, ``source`` ("document" or
        "analyst") and, when the analyst set it, ``author``, ``set_at`` and ``document`` (the
        dataset's own)."""
        described = self.indicator_row(plan_id, node_id) or {}
        document = str(described.get("polarity") or "increase")
        found = self._set_on(plan_id, node_id)
        if found is None or found.is_empty():
            return {"polarity": document, "source": "document"}
        row = found.row(-1, named=True)
        return {
            "polarity": str(row["polarity"]),
            "source": "analyst",
            "author": row.get("author"),
            "set_at": row.get("set_at"),
            "document": document,
        }

    def polarity_review(
        self, plan_id: str, node_id: str, title: str | None = None
    ) -> PolarityReview | None:
        """Whether the indicator's own words (``title``, found in the tree when not given, and
        its execution text) contradict the polarity its status uses
        (:func:`workbench.dataset.polarity.review_polarity`)."""
        if title is None:
            idx = self.find(plan_id, node_id)
            title = str(self.items.item(idx, "title")) if idx is not None else ""
        comments: dict[int, list[str]] = {}
        for note in self.indicator_notes(plan_id, node_id):
            if note.get("comment") and note.get("year") is not None:
                comments.setdefault(int(note["year"]), []).append(str(note["comment"]))
        notes = [
            (
                item["year"],
                " ".join(comments[item["year"]]),
                item["plan"] if item["plan"] is not None else item["target"],
                item["fact"],
            )
            for item in self.indicator_years(plan_id, node_id)
            if item["year"] in comments
        ]
        polarity = self.polarity_of(plan_id, node_id)["polarity"]
        return review_polarity(polarity, title, notes)

    def indicator_notes(self, plan_id: str, node_id: str) -> list[dict[str, Any]]:
        """The document's own words for one indicator: execution text, and the printed value
        where no number could be read; by year and kind."""
        return self.notes.of(plan_id, node_id).sort("year", "kind").to_dicts()

    def year_counts(self) -> dict[int, int]:
        """For each year, how many indicators have both a plan and a fact in it."""
        rated = self.statuses.filter(pl.col("status") != "no_data")
        counts = rated.group_by("year").len()
        return {int(y): int(n) for y, n in counts.iter_rows()}

    def activity_of(self, plan_id: str, node_id: str) -> dict[str, Any] | None:
        found = self.activities.filter(
            (pl.col("plan_id") == plan_id) & (pl.col("node_id") == node_id)
        )
        return found.row(0, named=True) if found.height else None

    def grant_of(self, plan_id: str, node_id: str) -> dict[str, Any] | None:
        found = self.grants.filter((pl.col("plan_id") == plan_id) & (pl.col("node_id") == node_id))
        return found.row(0, named=True) if found.height else None

    def worst_under(self, idx: int, limit: int = 5) -> list[int]:
        """The deviating indicators below ``idx``, worst first (see status.rank_worst)."""
        below = self.items.slice(idx + 1, max(0, self.end[idx] - idx - 1))
        ranked = rank_worst(below, limit=limit)
        return [int(i) for i in ranked.get_column("idx").to_list()]

    def deviation_mask(self) -> pl.Series:
        """True for the indicators at risk, off track or with a claim mismatch."""
        return self.items.select(
            (
                pl.col("is_indicator")
                & (pl.col("status").is_in(DEVIATING) | pl.col("claim_mismatch"))
            ).fill_null(False)
        ).to_series()


def _fold(text: pl.Expr) -> pl.Expr:
    """Text as a search compares it: NFC, lower case."""
    return text.str.normalize("NFC").str.to_lowercase()


def load_catalog(
    folder: str | Path,
    *,
    thresholds: Thresholds | None = None,
    facts: pl.DataFrame | None = None,
    year: int | None = None,
    polarities: pl.DataFrame | None = None,
) -> Catalog:
    """Read a dataset folder and compute everything the screen shows."""
    return build_catalog(
        read_tables(folder), thresholds=thresholds, facts=facts, year=year, polarities=polarities
    )


def build_catalog(
    tables: Mapping[str, pl.DataFrame],
    *,
    thresholds: Thresholds | None = None,
    facts: pl.DataFrame | None = None,
    year: int | None = None,
    polarities: pl.DataFrame | None = None,
) -> Catalog:
    """A catalog from tables in memory (compacted here when they are not already)."""
    if "notes" not in tables or tables["plans"].schema["plan_id"] != Id:
        tables = compact_tables({t: tables.get(t, pl.DataFrame(schema=SCHEMAS[t])) for t in TABLES})
    thresholds = thresholds or Thresholds()
    statuses = _counted(tables["values"], tables["indicators"], thresholds, facts, polarities)
    # The titles as categoricals too: the same indicator's title repeats from plan to plan.
    base = ordered_items(tables).with_columns(
        pl.col("level").cast(LEVELS),
        pl.col("kind").cast(KINDS),
        pl.col("city").cast(Id),
        pl.col("title").cast(Id),
    )
    items = _rollup_items(base, tables["indicators"], statuses, year)
    years = tuple(sorted(int(y) for y in statuses.get_column("year").unique().to_list()))
    return Catalog(
        plans=tables["plans"],
        indicators=tables["indicators"],
        statuses=statuses,
        notes=PlanNotes(tables["notes"]),
        activities=tables["activities"],
        grants=tables["grants"],
        items=items,
        values=tables["values"],
        thresholds=thresholds,
        years=years,
        year=year,
        facts=facts,
        polarities=polarities,
        end=array("i", base.get_column("end").to_list()),
        parent=array("i", base.get_column("parent").fill_null(-1).to_list()),
    )


def _counted(
    values: pl.DataFrame,
    indicators: pl.DataFrame,
    thresholds: Thresholds,
    facts: pl.DataFrame | None,
    polarities: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Every indicator-year status, with the columns the catalog keeps (``_STATUS_KEEP``).

    Counted a few plans at a time (an indicator's status depends on its own values alone): the
    pivot of the values by year and every status column at once, for the whole dataset, held
    several times the kept statuses while they were counted. The parts are in key order, as
    one count would give them."""
    parts = []
    counted: list[pl.Series] = []
    for part in _plan_parts(values):
        plans = part.get_column("plan_id").unique().cast(pl.String)
        counted.append(plans)
        parts.append(
            _kept(
                part,
                _of_plans(indicators, plans),
                thresholds,
                _of_plans(facts, plans),
                _of_plans(polarities, plans),
            )
        )
    found = pl.concat(counted) if counted else pl.Series(dtype=pl.String)
    left = None if facts is None else _of_plans(facts, found, keep=False)
    if left is not None and left.height:
        # Entered facts on plans with no value in the dataset: their rows go in key order.
        keys = ("plan_id", "node_id", "year")
        parts.append(_kept(values.clear(), indicators, thresholds, left, polarities))
        return pl.concat(parts).sort(keys, maintain_order=True).rechunk()
    if len(parts) == 1:
        return parts[0]
    return pl.concat(parts).rechunk()


def _kept(
    values: pl.DataFrame,
    indicators: pl.DataFrame,
    thresholds: Thresholds,
    facts: pl.DataFrame | None,
    polarities: pl.DataFrame | None,
) -> pl.DataFrame:
    tables = {"values": values, "indicators": indicators}
    statuses = indicator_statuses(tables, thresholds=thresholds, facts=facts, polarities=polarities)
    return statuses.select(_STATUS_KEEP).with_columns(pl.col("achievement").cast(pl.Float32))


def _plan_parts(values: pl.DataFrame) -> list[pl.DataFrame]:
    """The values in parts of whole plans, in order (all in one part when they are not in key
    order, as the dataset writes them: a plan's rows could then be in two parts)."""
    if values.height < 2 or not is_sorted(values):
        return [values]
    starts = values.select(run_starts("plan_id").arg_true()).to_series()
    size = max(1, -(-values.height // _STATUS_PARTS))
    parts, begin = [], 0
    while begin < values.height:
        found = int(starts.search_sorted(begin + size, side="left"))
        stop = int(starts[found]) if found < starts.len() else values.height
        parts.append(values.slice(begin, stop - begin))
        begin = stop
    return parts


@overload
def _of_plans(frame: pl.DataFrame, plans: pl.Series, *, keep: bool = True) -> pl.DataFrame: ...
@overload
def _of_plans(
    frame: pl.DataFrame | None, plans: pl.Series, *, keep: bool = True
) -> pl.DataFrame | None: ...
def _of_plans(
    frame: pl.DataFrame | None, plans: pl.Series, *, keep: bool = True
) -> pl.DataFrame | None:
    """The rows of ``frame`` (indicators, entered facts, set polarities) on ``plans`` (or,
    ``keep`` False, on the others)."""
    if frame is None or frame.is_empty():
        return frame
    on = pl.col("plan_id").cast(pl.String).is_in(plans.implode())
    return frame.filter(on if keep else ~on)


def _rollup_items(
    base: pl.DataFrame, indicators: pl.DataFrame, statuses: pl.DataFrame, year: int | None
) -> pl.DataFrame:
    tables = {"indicators": indicators}
    items = subtree_counts(indicator_items(tables, statuses, year=year, items=base))
    # The tree's own columns stay those of ``base`` (row for row the same): every year's
    # catalog, and what the drill views take of it, share one copy of the codes and titles.
    counted = items.select(c for c in _ITEM_KEEP if c not in ITEM_COLUMNS)
    counted = counted.with_columns(pl.col("share_met").cast(pl.Float32))
    return base.select(ITEM_COLUMNS).hstack(counted).select(_ITEM_KEEP)
