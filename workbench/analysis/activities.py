"""Activities: who does what, by when — the due status of every activity as of a date, and the
queries the activities view and ``workbench report --view activities`` make.

Due status as of a date ``d`` (``due_start`` .. ``due_end`` is the period the deadline names; a
quarter or a year becomes its first and last day, see :mod:`workbench.ingest.deadlines`):

==========  ======  ==============================================================================
status      glyph   when
==========  ======  ==============================================================================
reported    ✔       the document has an execution report for it, or the analyst marked it done
                    on or before ``d`` (a mark dated after ``d`` does not count yet)
unknown     ?       not reported and no parseable deadline (``due_end`` is null); the raw text
                    of the deadline is kept in ``deadline_raw``
overdue     ✖       not reported and ``d`` is after ``due_end``
due         ◆       ``d`` is within the period it is due ("due this quarter" for a quarterly
                    deadline, "due this year" for a yearly one)
not_due     ◇       the period has not started yet
==========  ======  ==============================================================================

Reported wins over everything else. The deadline's quarter (``quarter``, e.g. ``2026-Q3``) is the
quarter of ``due_end``: a deadline "during 2026" falls due in 2026-Q4. The quarter filter and the
timeline use it.

Build an :class:`ActivityIndex` once per dataset (and again with :meth:`ActivityIndex.with_marks`
when the analyst marks an activity done); then every keystroke is one call to
:func:`activities_view`, which works on a zero-copy slice of the index (the activities of a
subtree are contiguous, in document order) with Polars expressions only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

import polars as pl

from workbench.analysis.vocabulary_names import VocabularyNames
from workbench.dataset import ancestry
from workbench.i18n import N_, _
from workbench.ingest.vocabulary import funding_name

DUE_STATUSES = ("not_due", "due", "overdue", "reported", "unknown")
DueStatus = pl.Enum(DUE_STATUSES)
DUE_LABELS = {
    "not_due": N_("not due"),
    "due": N_("due"),
    "overdue": N_("overdue"),
    "reported": N_("reported"),
    "unknown": N_("no deadline"),
}
# Text glyphs, so a status reads without colour.
DUE_GLYPHS = {"not_due": "◇", "due": "◆", "overdue": "✖", "reported": "✔", "unknown": "?"}
# Most urgent first: the order of the "status" sort.
DUE_SEVERITY = {"overdue": 0, "due": 1, "not_due": 2, "unknown": 3, "reported": 4}

SORT_KEYS = ("position", "deadline", "status", "responsible", "title", "plan")

# The analyst's "done" marks (from the workspace): one row per mark.
MARKS_SCHEMA = pl.Schema({"plan_id": pl.String(), "node_id": pl.String(), "reported_on": pl.Date()})

# Columns of ActivitiesView.rows (and of the index frame), in order.
ROW_COLUMNS = (
    "idx",
    "city",
    "plan_id",
    "node_id",
    "code",
    "title",
    "measures",
    "deadline_raw",
    "due_start",
    "due_end",
    "quarter",
    "span",
    "expected_result",
    "responsible",
    "bodies",
    "funding_raw",
    "funding_sources",
    "completion_form",
    "report",
    "marked_on",
    "section_id",
    "section",
    "due_status",
)

# Columns of ActivitiesView.page(): what a table row of the screen shows.
PAGE_COLUMNS = (
    "glyph",
    "due_status",
    "status",
    "title",
    "deadline",
    "quarter",
    "responsible",
    "sources",
    "expected_result",
    "plan_id",
    "node_id",
)

TIMELINE_COLUMNS = (
    "quarter",
    "year",
    "q",
    "due",
    "overdue",
    "reported",
    "open",
    "quarter_only",
)

_QUARTER_TEXT = re.compile(
    r"^\s*(\d{4})\s*[-/ ]?\s*[Qq]\s*([1-4])\s*$|^\s*[Qq]([1-4])\s*[-/ ]?\s*(\d{4})\s*$"
)


def parse_quarter(text: str) -> str:
    """A quarter as ``YYYY-Qn``, from ``2026-Q3``, ``2026Q3``, ``2026 q3`` or ``Q3 2026``."""
    match = _QUARTER_TEXT.match(text)
    if not match:
        raise ValueError(_("not a quarter: {text} (expected e.g. 2026-Q3)").format(text=repr(text)))
    year = match.group(1) or match.group(4)
    number = match.group(2) or match.group(3)
    return f"{year}-Q{number}"


def empty_marks() -> pl.DataFrame:
    return pl.DataFrame(schema=MARKS_SCHEMA)


@dataclass(frozen=True, slots=True)
class ActivityFilter:
    """What the list is narrowed to, and the day its due statuses are computed for: one value
    for the activities view and ``workbench report --view activities``. An empty tuple or None
    means "any"; a change is a new value (``dataclasses.replace``).

    ``statuses``: due statuses; ``quarters``: deadline quarters (``2026-Q3``); ``bodies``:
    responsible body codes; ``sources``: funding source codes; ``text``: words that must all
    appear (case-insensitive) in the code, title, measures or expected result; ``as_of``: the
    day of the due statuses (None: today).
    """

    statuses: tuple[str, ...] = ()
    quarters: tuple[str, ...] = ()
    bodies: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    text: str | None = None
    as_of: date | None = None

    def __post_init__(self) -> None:
        unknown = [s for s in self.statuses if s not in DUE_STATUSES]
        if unknown:
            raise ValueError(
                _("unknown due status {value} (expected one of {known})").format(
                    value=repr(unknown[0]), known=", ".join(DUE_STATUSES)
                )
            )
        object.__setattr__(self, "quarters", tuple(parse_quarter(q) for q in self.quarters))


def code_names(
    tables: Mapping[str, pl.DataFrame], kind: str, language: str | None = None
) -> dict[str, str]:
    """Vocabulary code → name (in ``language`` when the vocabulary has it, else the first one).

    Funding codes missing from the table get their name from the built-in vocabulary.
    """
    vocabulary = tables["vocabulary"].filter(pl.col("kind").cast(pl.String) == kind)
    order = pl.col("language").cast(pl.String) != (language or "")
    names: dict[str, str] = {}
    for code, name in (
        vocabulary.sort(order, "language", maintain_order=True)
        .group_by("code", maintain_order=True)
        .agg(pl.col("name").first())
        .iter_rows()
    ):
        names[str(code)] = str(name)
    return names


def names_by_language(tables: Mapping[str, pl.DataFrame]) -> dict[tuple[str, str, str], str]:
    """(kind, code, language) → the vocabulary's name: a plan's codes are named in its own
    language (a Kyrgyz plan's city administration is "шаардык мэрия", never the Kazakh name)."""
    vocabulary = tables["vocabulary"].select(
        pl.col("kind").cast(pl.String), "code", pl.col("language").cast(pl.String), "name"
    )
    return {(k, c, lang): n for k, c, lang, n in vocabulary.iter_rows()}


def code_name(names: Mapping[str, str], kind: str, code: str, language: str = "ru") -> str:
    if code in names:
        return names[code]
    return funding_name(code, language) if kind == "funding" else code


@dataclass(frozen=True)
class ActivityIndex:
    """Every activity of a dataset with what the views need precomputed, in document order.

    ``frame`` has :data:`ROW_COLUMNS` except ``due_status`` (which depends on the as-of date),
    plus ``doc_reported``, ``_hay`` (folded text for the search), ``_tl`` (the deadline's
    quarter as a number, see :func:`_timeline_slot`) and the sort ranks; sorted by ``idx``, the
    activity's item index in :func:`workbench.dataset.hierarchy.ordered_items`, so the activities
    of any subtree are one contiguous slice.
    """

    tables: Mapping[str, pl.DataFrame]
    items: pl.DataFrame
    frame: pl.DataFrame
    body_names: dict[str, str] = field(default_factory=dict)
    funding_names: dict[str, str] = field(default_factory=dict)
    by_language: dict[tuple[str, str, str], str] = field(default_factory=dict)
    # How codes and bodies are shown: sources as printed, abbreviations expanded.
    names: VocabularyNames = field(default_factory=VocabularyNames)

    @classmethod
    def build(
        cls,
        tables: Mapping[str, pl.DataFrame],
        *,
        marks: pl.DataFrame | None = None,
        items: pl.DataFrame | None = None,
        language: str | None = None,
    ) -> ActivityIndex:
        """Index the activities of ``tables``; ``items`` may be passed when already built."""
        items = ancestry.build_items(tables, items)
        # The spellings of one body are one body here: the views, filters and counts see one.
        names = VocabularyNames.build(tables)
        tables = names.shown_tables(tables)
        activities = tables["activities"].with_columns(
            pl.col("plan_id").cast(pl.String), pl.col("node_id").cast(pl.String)
        )
        idx = ancestry.item_of(items, activities)
        frame = activities.with_columns(idx=idx).filter(pl.col("idx").is_not_null()).sort("idx")
        start = frame.get_column("idx")
        section = ancestry.nearest(
            items, ancestry.kind_mask(items, ancestry.SECTION_KINDS), start, include_self=False
        )
        bodies = ancestry.inherited_codes(items, tables["assignments"], "body", start)
        assigned_funding = ancestry.inherited_codes(items, tables["assignments"], "funding", start)
        frame = frame.with_columns(
            section_idx=section,
            bodies=bodies,
            funding_sources=pl.concat_list(
                pl.col("funding_sources").fill_null(pl.lit([], dtype=pl.List(pl.String))),
                assigned_funding,
            ).list.unique(maintain_order=True),
        )
        sections = items.select(section_idx="idx", section_id="node_id", section="title")
        frame = frame.join(
            items.select("idx", "city", "code"), on="idx", how="left", maintain_order="left"
        ).join(sections, on="section_idx", how="left", maintain_order="left")
        start_col = pl.coalesce("due_start", "due_end")
        end = pl.col("due_end")
        same_year = start_col.dt.year() == end.dt.year()
        span = (
            pl.when(end.is_null())
            .then(None)
            .when(same_year & (start_col.dt.month() == end.dt.month()))
            .then(pl.lit("month"))
            .when(same_year & (start_col.dt.quarter() == end.dt.quarter()))
            .then(pl.lit("quarter"))
            .when(same_year)
            .then(pl.lit("year"))
            .otherwise(pl.lit("years"))
        )
        hay = pl.concat_str(
            [
                pl.col("code").fill_null(""),
                pl.col("title").fill_null(""),
                pl.col("measures").fill_null(""),
                pl.col("expected_result").fill_null(""),
            ],
            separator="\n",
        )
        frame = frame.with_columns(
            quarter=pl.when(end.is_not_null()).then(
                pl.format("{}-Q{}", end.dt.year(), end.dt.quarter())
            ),
            span=span,
            doc_reported=pl.col("report").fill_null("").str.strip_chars() != "",
            _hay=hay.str.normalize("NFC").str.to_lowercase(),
            marked_on=pl.lit(None, dtype=pl.Date),
        )
        frame = frame.with_columns(_tl=_timeline_slot(pl.col("quarter"), pl.col("span")))
        # Sort keys precomputed as ranks: a sort keystroke then sorts one integer column.
        frame = frame.with_columns(
            _by_deadline=_rank(frame, [pl.col("due_end"), pl.col("due_start"), pl.col("idx")]),
            _by_responsible=_rank(frame, [pl.col("responsible").str.to_lowercase(), pl.col("idx")]),
            _by_title=_rank(frame, [pl.col("title").str.to_lowercase(), pl.col("idx")]),
            _by_plan=_rank(frame, [pl.col("plan_id"), pl.col("idx")]),
        )
        keep = [c for c in ROW_COLUMNS if c != "due_status"]
        keep += ["doc_reported", "_hay", "_tl", *_RANKS]
        index = cls(
            tables=tables,
            items=items,
            frame=frame.select(keep),
            body_names=code_names(tables, "body", language),
            funding_names=code_names(tables, "funding", language),
            by_language=names_by_language(tables),
            names=names,
        )
        return index.with_marks(marks) if marks is not None and marks.height else index

    def with_marks(self, marks: pl.DataFrame | None) -> ActivityIndex:
        """The same index with the analyst's marks (plan_id, node_id, reported_on): the earliest
        mark of an activity is its ``marked_on``."""
        frame = self.frame.drop("marked_on")
        if marks is None or marks.is_empty():
            frame = frame.with_columns(marked_on=pl.lit(None, dtype=pl.Date))
        else:
            first = (
                marks.select(
                    pl.col("plan_id").cast(pl.String),
                    pl.col("node_id").cast(pl.String),
                    pl.col("reported_on").cast(pl.Date),
                )
                .group_by("plan_id", "node_id")
                .agg(marked_on=pl.col("reported_on").min())
            )
            frame = frame.join(first, on=["plan_id", "node_id"], how="left", maintain_order="left")
        columns = list(self.frame.columns)
        return ActivityIndex(
            tables=self.tables,
            items=self.items,
            frame=frame.select(columns),
            body_names=self.body_names,
            funding_names=self.funding_names,
            by_language=self.by_language,
            names=self.names,
        )

    def scope(
        self,
        *,
        city: str | None = None,
        plan_id: str | None = None,
        node_id: str | None = None,
    ) -> pl.DataFrame:
        """The activities of a scope (a node's subtree, a plan, a city, or all), zero-copy."""
        found = ancestry.locate(self.items, city=city, plan_id=plan_id, node_id=node_id)
        if found is None:
            return self.frame.clear()
        lo, hi = found
        positions = self.frame.get_column("idx")
        first = int(positions.search_sorted(lo, side="left"))
        last = int(positions.search_sorted(hi, side="left"))
        return self.frame.slice(first, last - first)

    def body_name(self, code: str, language: str | None = None) -> str:
        """The body's name, in ``language`` (a plan's) when the vocabulary has it."""
        own = self.by_language.get(("body", code, language)) if language else None
        return own or code_name(self.body_names, "body", code)

    def funding_name(self, code: str, language: str = "ru") -> str:
        """The source as the document prints it and its name: ``РБ республикалық бюджет``."""
        own = self.by_language.get(("funding", code, language))
        name = own or code_name(self.funding_names, "funding", code, language)
        return self.names.source_title(code, language, name)


def due_status_expr(as_of: date) -> pl.Expr:
    """The due status of each row of an index frame as of ``as_of`` (see the module text)."""
    day = pl.lit(as_of, dtype=pl.Date)
    reported = pl.col("doc_reported") | (pl.col("marked_on") <= day).fill_null(False)
    start = pl.coalesce("due_start", "due_end")

    def status(name: str) -> pl.Expr:  # Enum literals: no string → Enum cast per row
        return pl.lit(name, dtype=DueStatus)

    return (
        pl.when(reported)
        .then(status("reported"))
        .when(pl.col("due_end").is_null())
        .then(status("unknown"))
        .when(pl.col("due_end") < day)
        .then(status("overdue"))
        .when(start <= day)
        .then(status("due"))
        .otherwise(status("not_due"))
        .alias("due_status")
    )


def with_due_status(frame: pl.DataFrame, as_of: date | None = None) -> pl.DataFrame:
    """An index frame (or a slice of it) with ``due_status`` as of a date (default today)."""
    return frame.with_columns(due_status_expr(as_of or date.today()))


def _any_in_list(column: str, codes: Sequence[str]) -> pl.Expr:
    expr = pl.lit(False)
    for code in codes:
        expr = expr | pl.col(column).list.contains(pl.lit(code, dtype=pl.String))
    return expr


def _text_expr(text: str) -> pl.Expr | None:
    import unicodedata

    words = unicodedata.normalize("NFC", text).lower().split()
    if not words:
        return None
    expr = pl.lit(True)
    for word in words:
        expr = expr & pl.col("_hay").str.contains(word, literal=True)
    return expr


def _apply_scope_filters(frame: pl.DataFrame, filters: ActivityFilter) -> pl.DataFrame:
    """The filters that do not depend on the as-of date or the quarter (body, source, text)."""
    conditions: list[pl.Expr] = []
    if filters.bodies:
        conditions.append(_any_in_list("bodies", filters.bodies))
    if filters.sources:
        conditions.append(_any_in_list("funding_sources", filters.sources))
    if filters.text:
        found = _text_expr(filters.text)
        if found is not None:
            conditions.append(found)
    return frame.filter(*conditions) if conditions else frame


_RANKS = ("_by_deadline", "_by_responsible", "_by_title", "_by_plan")
# What the filters, the counts, the timeline and the sorts read.
_NARROW = (
    "idx",
    "due_start",
    "due_end",
    "quarter",
    "span",
    "doc_reported",
    "marked_on",
    "bodies",
    "funding_sources",
    "_hay",
    "_tl",
    *_RANKS,
)
_RANK_OF = {
    "deadline": "_by_deadline",
    "responsible": "_by_responsible",
    "title": "_by_title",
    "plan": "_by_plan",
}
# due_status codes in Enum order → severity, for the status sort.
_SEVERITY_BY_CODE = [DUE_SEVERITY[s] for s in DUE_STATUSES]


def _rank(frame: pl.DataFrame, keys: list[pl.Expr]) -> pl.Series:
    """The position of each row when sorted by ``keys`` (nulls last): a unique UInt32 rank."""
    order = frame.select(pl.arg_sort_by(keys, nulls_last=True, maintain_order=True)).to_series()
    ranks = pl.zeros(frame.height, dtype=pl.UInt32, eager=True).alias("rank")
    if frame.height:
        ranks = ranks.scatter(order, pl.Series(range(frame.height), dtype=pl.UInt32))
    return ranks


def _sort(frame: pl.DataFrame, sort: str, descending: bool) -> pl.DataFrame:
    """Sort a view's rows: by document position, or by a precomputed rank (one integer key)."""
    if sort not in SORT_KEYS:
        raise ValueError(
            _("unknown sort {sort} (expected one of {known})").format(
                sort=repr(sort), known=", ".join(SORT_KEYS)
            )
        )
    if sort == "position":
        return frame.sort("idx", descending=True) if descending else frame
    if sort == "status":
        severity = pl.lit(pl.Series(_SEVERITY_BY_CODE, dtype=pl.Int64)).gather(
            pl.col("due_status").to_physical()
        )
        key = severity * (1 << 32) + pl.col("_by_deadline").cast(pl.Int64)
        return frame.sort(key, descending=descending)
    return frame.sort(_RANK_OF[sort], descending=descending)


def timeline(frame: pl.DataFrame, *, fill_gaps: bool = True) -> pl.DataFrame:
    """Per deadline quarter: how many activities fall due, how many are overdue, reported, and
    still open (due or not due yet); ``quarter_only`` counts those whose deadline is that one
    quarter (or a month of it) rather than a whole year or longer.

    ``frame`` needs ``quarter``, ``span`` and ``due_status``. Quarters without activities
    between the first and the last are included with zeros (``fill_gaps``); activities without a
    deadline are one last row with a null quarter. Columns: :data:`TIMELINE_COLUMNS`.
    """
    slots = frame.select("due_status", _tl=_timeline_slot(pl.col("quarter"), pl.col("span")))
    return _tally(slots, fill_gaps=fill_gaps)[1]


def _timeline_slot(quarter: pl.Expr, span: pl.Expr) -> pl.Expr:
    """``2 × (quarter number + 1) + (deadline of one quarter or month)``; 0 without a deadline.

    The quarter number of ``YYYY-Qn`` is ``4 × YYYY + n - 1``: one integer per activity, so
    the status counts and the timeline of a view are one group-by on an integer key.
    """
    number = quarter.str.slice(0, 4).cast(pl.Int64) * 4 + quarter.str.slice(6, 1).cast(pl.Int64)
    only = span.is_in(["quarter", "month"]).fill_null(False).cast(pl.Int64)
    return (number * 2 + only).fill_null(0).alias("_tl")


_TIMELINE_SCHEMA = pl.Schema(
    {
        "quarter": pl.String(),
        "year": pl.Int32(),
        "q": pl.Int8(),
        "due": pl.Int64(),
        "overdue": pl.Int64(),
        "reported": pl.Int64(),
        "open": pl.Int64(),
        "quarter_only": pl.Int64(),
    }
)
_STATUS_CODES = len(DUE_STATUSES) + 3  # a power of two above the Enum's codes: 8


def _tally(frame: pl.DataFrame, *, fill_gaps: bool = True) -> tuple[dict[str, int], pl.DataFrame]:
    """The status counts and the timeline (see :func:`timeline`) of rows with ``_tl`` and
    ``due_status``: one group-by on ``_tl × 8 + status code``, the rest on its few rows."""
    key = pl.col("_tl").cast(pl.Int64) * _STATUS_CODES + pl.col("due_status").to_physical().cast(
        pl.Int64
    )
    counts = dict.fromkeys(DUE_STATUSES, 0)
    per_quarter: dict[int | None, list[int]] = {}
    for cell, count in frame.group_by(key.alias("k")).agg(pl.len()).iter_rows():
        slot, code = divmod(int(cell), _STATUS_CODES)
        number, only = divmod(slot, 2)
        status = DUE_STATUSES[code]
        counts[status] += count
        # due, overdue, reported, open, quarter_only
        row = per_quarter.setdefault(number - 1 if number else None, [0, 0, 0, 0, 0])
        row[0] += count
        if status == "overdue":
            row[1] += count
        elif status == "reported":
            row[2] += count
        elif status in ("due", "not_due"):
            row[3] += count
        if only:
            row[4] += count
    dated = sorted(q for q in per_quarter if q is not None)
    if fill_gaps and dated:
        dated = list(range(dated[0], dated[-1] + 1))
    columns: dict[str, list[object]] = {name: [] for name in TIMELINE_COLUMNS}
    for quarter in [*dated, *([None] if None in per_quarter else [])]:
        values = per_quarter.get(quarter, [0, 0, 0, 0, 0])
        year, q = divmod(quarter, 4) if quarter is not None else (None, None)
        columns["quarter"].append(None if q is None else f"{year}-Q{q + 1}")
        columns["year"].append(year)
        columns["q"].append(None if q is None else q + 1)
        for name, value in zip(
            ("due", "overdue", "reported", "open", "quarter_only"), values, strict=True
        ):
            columns[name].append(value)
    return counts, pl.DataFrame(columns, schema=_TIMELINE_SCHEMA)


@dataclass(frozen=True)
class ActivitiesView:
    """What the activities view shows for one scope, date, filter and sort.

    ``rows``: the matching activities, sorted, with :data:`ROW_COLUMNS` (gathered on first use;
    a screen only needs :meth:`page`); ``total``: how many match; ``counts``: how many
    activities of the scope (after the body, source and text filters, before the status and
    quarter filters) have each due status — for the filter chips; ``timeline``: the quarter
    timeline over the same activities; ``in_scope``: how many activities the scope has before
    any filter.
    """

    as_of: date
    counts: dict[str, int]
    timeline: pl.DataFrame
    in_scope: int
    scoped: pl.DataFrame  # the scope's slice of the index frame
    order: pl.Series  # positions in ``scoped`` of the matching rows, in display order
    statuses: pl.Series  # their due status, in the same order
    names: VocabularyNames = field(default_factory=VocabularyNames)

    @property
    def total(self) -> int:
        return len(self.order)

    def rows_at(self, offset: int, limit: int) -> pl.DataFrame:
        """Rows ``offset .. offset + limit - 1`` of the sorted result (:data:`ROW_COLUMNS`)."""
        positions = self.order.slice(offset, limit)
        # The row columns only are gathered (not the search text and the sort ranks).
        return self.scoped.select(ROW_COLUMNS[:-1])[positions].with_columns(
            due_status=self.statuses.slice(offset, limit)
        )

    def position_of(self, plan_id: str, node_id: str) -> int | None:
        """The row of the result that holds this activity, or None if it is not there."""
        found = (
            self.scoped.select((pl.col("plan_id") == plan_id) & (pl.col("node_id") == node_id))
            .to_series()
            .arg_true()
        )
        if found.is_empty():
            return None
        at = self.order.index_of(found[0])
        return None if at is None else int(at)

    @cached_property
    def rows(self) -> pl.DataFrame:
        return self.rows_at(0, self.total)

    def page(self, offset: int = 0, limit: int = 50) -> pl.DataFrame:
        """One page of display rows (:data:`PAGE_COLUMNS`), formatted for a table."""
        return page_rows(self.rows_at(offset, limit), self.names)


def page_rows(rows: pl.DataFrame, names: VocabularyNames | None = None) -> pl.DataFrame:
    """Display columns for rows of an activities view: glyph, status label, deadline text …;
    sources as the documents print them and abbreviated bodies expanded (``names``)."""
    names = names or VocabularyNames()
    shown = rows.select("plan_id", "responsible", "funding_sources").iter_rows()
    responsible, sources = [], []
    for plan_id, text, codes in shown:
        responsible.append(names.expand(text, plan_id))
        sources.append(names.sources(codes or [], plan_id))
    status = pl.col("due_status").cast(pl.String)
    deadline = pl.coalesce(
        pl.col("deadline_raw"),
        pl.when(pl.col("due_end").is_not_null()).then(
            pl.format("{} – {}", pl.col("due_start"), pl.col("due_end"))
        ),
        pl.lit("—"),
    )
    return rows.select(
        glyph=status.replace_strict(DUE_GLYPHS, return_dtype=pl.String),
        due_status=status,
        status=status.replace_strict(DUE_LABELS, return_dtype=pl.String),
        title=pl.col("title"),
        deadline=deadline,
        quarter=pl.col("quarter"),
        responsible=pl.Series(responsible, dtype=pl.String),
        sources=pl.Series(sources, dtype=pl.String),
        expected_result=pl.col("expected_result").fill_null(""),
        plan_id=pl.col("plan_id"),
        node_id=pl.col("node_id"),
    )


def activities_view(
    index: ActivityIndex,
    *,
    city: str | None = None,
    plan_id: str | None = None,
    node_id: str | None = None,
    filters: ActivityFilter | None = None,
    sort: str = "position",
    descending: bool = False,
) -> ActivitiesView:
    """The activities under a node (its whole subtree), a plan, a city, or all of them.

    One call per keystroke: open, filter change, sort change, as-of change. The result's
    ``rows`` are all matching activities (a screen shows ``view.page(offset, limit)``).
    """
    filters = filters or ActivityFilter()
    as_of = filters.as_of or date.today()
    scoped = index.scope(city=city, plan_id=plan_id, node_id=node_id)
    # Work on the few columns the filters, counts and sort need; gather full rows per page.
    narrow = scoped.select(_NARROW).with_row_index("_pos")
    narrowed = with_due_status(_apply_scope_filters(narrow, filters), as_of).drop(
        "_hay", "bodies", "funding_sources"
    )
    counts, line = _tally(narrowed)
    matched = narrowed
    if filters.statuses:
        matched = matched.filter(pl.col("due_status").is_in(list(filters.statuses)))
    if filters.quarters:
        matched = matched.filter(pl.col("quarter").is_in(list(filters.quarters)))
    ordered = _sort(matched.select("_pos", "idx", "due_status", *_RANKS), sort, descending)
    return ActivitiesView(
        as_of=as_of,
        counts=counts,
        timeline=line,
        in_scope=scoped.height,
        scoped=scoped,
        order=ordered.get_column("_pos"),
        statuses=ordered.get_column("due_status"),
        names=index.names,
    )


def activity_detail(
    index: ActivityIndex, plan_id: str, node_id: str, *, as_of: date | None = None
) -> dict[str, object] | None:
    """Everything the detail pane shows for one activity: the row of :data:`ROW_COLUMNS` plus
    ``glyph``, ``status_label``, ``body_names``, ``funding_names``, ``funding`` (its own
    funding rows: year, source, kind, amount, amount_raw, currency, comment) and
    ``sources_shown`` (source code → as the document prints it) and ``responsible_shown`` (the
    responsible cell with its abbreviations expanded). None if unknown."""
    scoped = index.scope(plan_id=plan_id, node_id=node_id)
    row_frame = scoped.filter(pl.col("node_id") == node_id)
    if row_frame.is_empty():
        return None
    row = with_due_status(row_frame, as_of).select(ROW_COLUMNS).row(0, named=True)
    status = str(row["due_status"])
    language = _plan_language(index.tables, plan_id)
    funding = (
        index.tables["funding"]
        .filter((pl.col("plan_id") == plan_id) & (pl.col("node_id") == node_id))
        .select("year", "source", "kind", "amount", "amount_raw", "currency", "comment")
    )
    detail: dict[str, object] = dict(row)
    detail.update(
        glyph=DUE_GLYPHS[status],
        status_label=DUE_LABELS[status],
        body_names=[index.body_name(code, language) for code in row["bodies"]],
        funding_names=[index.funding_name(code, language) for code in row["funding_sources"]],
        funding=funding,
        responsible_shown=index.names.expand(row["responsible"], plan_id),
        sources_shown={
            code: index.names.source(code, plan_id)
            for code in funding.get_column("source").drop_nulls().unique()
        },
    )
    return detail


def _plan_language(tables: Mapping[str, pl.DataFrame], plan_id: str) -> str:
    found = tables["plans"].filter(pl.col("plan_id") == plan_id)
    return str(found.get_column("language")[0]) if found.height else "ru"


# -- report rows -------------------------------------------------------------------------------

ACTIVITY_REPORT_COLUMNS = (
    "as_of",
    "city",
    "plan_id",
    "node_id",
    "section",
    "code",
    "title",
    "deadline_raw",
    "due_start",
    "due_end",
    "quarter",
    "due_status",
    "glyph",
    "responsible",
    "bodies",
    "funding_sources",
    "funding_raw",
    "expected_result",
    "measures",
    "completion_form",
    "report",
    "marked_on",
)


def activities_report_rows(
    index: ActivityIndex,
    *,
    city: str | None = None,
    plan_id: str | None = None,
    node_id: str | None = None,
    filters: ActivityFilter | None = None,
    sort: str = "position",
) -> pl.DataFrame:
    """The rows of ``workbench report --view activities``: flat, text-only columns (lists joined
    with ``; ``) so every format (csv, json, table) can write them. Columns:
    :data:`ACTIVITY_REPORT_COLUMNS`; ``due_status`` is the code (not_due, due, overdue,
    reported, unknown), ``glyph`` its glyph, ``as_of`` the date the status is computed for."""
    view = activities_view(
        index,
        city=city,
        plan_id=plan_id,
        node_id=node_id,
        filters=filters,
        sort=sort,
    )
    status = pl.col("due_status").cast(pl.String)
    return view.rows.select(
        as_of=pl.lit(view.as_of, dtype=pl.Date),
        city=pl.col("city"),
        plan_id=pl.col("plan_id"),
        node_id=pl.col("node_id"),
        section=pl.col("section"),
        code=pl.col("code"),
        title=pl.col("title"),
        deadline_raw=pl.col("deadline_raw"),
        due_start=pl.col("due_start"),
        due_end=pl.col("due_end"),
        quarter=pl.col("quarter"),
        due_status=status,
        glyph=status.replace_strict(DUE_GLYPHS, return_dtype=pl.String),
        responsible=pl.col("responsible"),
        bodies=pl.col("bodies").list.join("; "),
        funding_sources=pl.col("funding_sources").list.join("; "),
        funding_raw=pl.col("funding_raw"),
        expected_result=pl.col("expected_result"),
        measures=pl.col("measures"),
        completion_form=pl.col("completion_form"),
        report=pl.col("report"),
        marked_on=pl.col("marked_on"),
    )


def statuses_of(
    index: ActivityIndex, keys: Iterable[tuple[str, str]], *, as_of: date | None = None
) -> dict[tuple[str, str], str]:
    """The due status of some activities by (plan_id, node_id) — for a link list or a badge."""
    wanted = pl.DataFrame(
        [list(k) for k in keys], schema={"plan_id": pl.String, "node_id": pl.String}, orient="row"
    )
    found = with_due_status(
        index.frame.join(wanted, on=["plan_id", "node_id"], how="semi"), as_of
    ).select("plan_id", "node_id", pl.col("due_status").cast(pl.String))
    return {(p, n): s for p, n, s in found.iter_rows()}
