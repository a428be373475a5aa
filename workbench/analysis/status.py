"""Plan against fact: the status of every indicator and year, roll-ups, the claim check.

Achievement r follows DESIGN.md, by the indicator's polarity:

- increase: r = fact / plan
- decrease: r = plan / fact
- target:   r = 1 − |fact − plan| / plan

met when r ≥ ``Thresholds.met``, at risk when r ≥ ``Thresholds.amber``, off track below; no data
when the plan or the fact is missing (a cell printed ``-`` has no value). Where a year has no plan
but has a target (a programme's yearly target), the target is that year's plan.

The formulas divide by plan or fact, so the edges are fixed here, and documented by tests:

- increase, plan ≤ 0: r = 1 + (fact − plan) / |plan| (equal to fact / plan for a positive plan,
  and ordered the right way for a negative one); plan = 0: r = 1 when fact ≥ 0, else 0.
- decrease, fact ≤ 0 or plan ≤ 0: r = 1 when fact ≤ plan (nothing left to bring down, or below
  the plan), else 1 − (fact − plan) / |plan|, and 0 when plan = 0.
- target, plan = 0: r = 1 when fact = 0, else 0; the plan's magnitude is used when it is negative.

An entered fact (from the workspace) wins over the document's fact; ``fact_source`` says which
one was used. A polarity the analyst set (``polarities=``, from the workspace) wins over the
dataset's (:func:`effective_polarities`); :func:`polarity_reviews` flags the indicators whose
own words (:func:`workbench.dataset.polarity.review_polarity`) contradict the polarity used, and
never changes a status.

The claim check compares the document's own claim (``reported_status``: "met" or
"not_met") with the status: a claim of met on an at-risk or off-track indicator, or a claim of not
met on a met one, is a ``claim_mismatch``. Nothing is flagged when the status is no data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from workbench.analysis.glyphs import (
    SEVERITY,
    STATUSES,
)
from workbench.dataset.contract import REPORTED_STATUSES, VALUE_KINDS, Polarity
from workbench.dataset.hierarchy import (
    INDICATOR_KINDS,
    indicator_ids,
    ordered_items,
    run_starts,
    strictly_increasing,
)
from workbench.dataset.hierarchy import runs as runs_of
from workbench.dataset.polarity import (
    GOOD_WORDS,
    TITLE_LESS_WORDS,
    TITLE_MORE_WORDS,
    review_polarity,
)

__all__ = [
    "Thresholds",
    "effective_polarities",
    "indicator_statuses",
    "polarity_reviews",
    "rollup",
    "statuses_at",
    "worst_indicators",
]

# Enums, so a frame of millions of rows stores one small integer per status, not a string.
Status = pl.Enum(STATUSES)
FactSource = pl.Enum(("document", "entered"))
Claim = pl.Enum(REPORTED_STATUSES)

STATUS_COLUMNS = (
    "plan_id",
    "node_id",
    "year",
    "baseline",
    "plan",
    "fact",
    "estimate",
    "target",
    "fact_source",
    "achievement",
    "status",
    "reported_status",
    "claim_mismatch",
)
ROLLUP_COLUMNS = (
    "level",
    "city",
    "plan_id",
    "node_id",
    "kind",
    "code",
    "title",
    "met",
    "at_risk",
    "off_track",
    "no_data",
    "claim_mismatch",
    "total",
    "share_met",
)


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Achievement at or above ``met`` is met; at or above ``amber`` at risk; below off track."""

    met: float = 1.0
    amber: float = 0.9

    def __post_init__(self) -> None:
        if not 0 < self.amber <= self.met:
            raise ValueError(f"thresholds: need 0 < amber ≤ met, got {self.amber}, {self.met}")


def thresholds_from(config: object) -> Thresholds:
    """Thresholds from a loaded ``Config`` (anything with ``met`` and ``amber``)."""
    return Thresholds(
        met=float(getattr(config, "met", 1.0)), amber=float(getattr(config, "amber", 0.9))
    )


def achievement_expr(fact: pl.Expr, plan: pl.Expr, polarity: pl.Expr) -> pl.Expr:
    """r for each row, null when plan or fact is null; see the module text for the edges."""
    abs_plan = plan.abs()
    increase = (
        pl.when(plan > 0)
        .then(fact / plan)
        .when(plan < 0)
        .then(1 + (fact - plan) / abs_plan)
        .when(fact >= 0)
        .then(pl.lit(1.0))
        .otherwise(pl.lit(0.0))
    )
    decrease = (
        pl.when((plan > 0) & (fact > 0))
        .then(plan / fact)
        .when(fact <= plan)
        .then(pl.lit(1.0))
        .when(plan != 0)
        .then(1 - (fact - plan) / abs_plan)
        .otherwise(pl.lit(0.0))
    )
    target = (
        pl.when(plan != 0)
        .then(1 - (fact - plan).abs() / abs_plan)
        .when(fact == 0)
        .then(pl.lit(1.0))
        .otherwise(pl.lit(0.0))
    )
    r = (
        pl.when(polarity == "decrease")
        .then(decrease)
        .when(polarity == "target")
        .then(target)
        .otherwise(increase)
    )
    return (
        pl.when(fact.is_null() | plan.is_null() | fact.is_nan() | plan.is_nan())
        .then(None)
        .otherwise(r)
    )


def status_expr(achievement: pl.Expr, thresholds: Thresholds) -> pl.Expr:
    return (  # enum literals: one small integer a row, not millions of strings
        pl.when(achievement.is_null())
        .then(pl.lit("no_data", dtype=Status))
        .when(achievement >= thresholds.met)
        .then(pl.lit("met", dtype=Status))
        .when(achievement >= thresholds.amber)
        .then(pl.lit("at_risk", dtype=Status))
        .otherwise(pl.lit("off_track", dtype=Status))
    )


def indicator_statuses(
    tables: Mapping[str, pl.DataFrame],
    *,
    thresholds: Thresholds,
    facts: pl.DataFrame | None = None,
    polarities: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """One row per (plan_id, node_id, year) where the indicator has any value; see module text.

    ``facts`` (plan_id, node_id, year, value) are the analyst's entered facts; they win over the
    document's fact. ``polarities`` (plan_id, node_id, polarity) are the polarities the analyst
    set; they win over the dataset's. Rows are sorted by plan_id, node_id, year.
    """
    values = tables["values"]
    id_type = values.schema["plan_id"]
    node_type = values.schema["node_id"]
    keys = ["plan_id", "node_id", "year"]
    # The dataset writes its values in key order: pivot them as such, and check the order on
    # the pivoted rows (fewer than the values; a key out of order, or one split in two runs,
    # shows there as a step back or a repeat); sort them and pivot again when it is not.
    per_year = _per_year(values)
    in_order, runs = ordered_runs(per_year, strict=True)
    if not in_order:
        per_year = _per_year(values.sort(keys, maintain_order=True))
        runs = None
    per_year = per_year.with_columns(
        fact_source=pl.when(pl.col("fact").is_not_null()).then(
            pl.lit("document", dtype=FactSource)
        ),
    )
    if facts is not None and facts.height:
        entered = facts.select(
            pl.col("plan_id").cast(id_type),
            pl.col("node_id").cast(node_type),
            pl.col("year").cast(pl.Int32),
            entered=pl.col("value").cast(pl.Float64),
        ).unique(subset=keys, keep="last", maintain_order=True)
        # The analyst enters a few facts among millions of rows: find their rows within the
        # plans they touch and scatter them in, rather than join (hash) the whole frame.
        touched_plans = entered.get_column("plan_id").unique().implode()
        touched = (
            per_year.select(keys)
            .with_row_index("_row")
            .filter(pl.col("plan_id").is_in(touched_plans))
        )
        hit = touched.join(entered, on=keys, how="inner")
        per_year = per_year.with_columns(
            pl.repeat(None, per_year.height, dtype=pl.Float64, eager=True)
            .scatter(hit.get_column("_row"), hit.get_column("entered"))
            .alias("entered")
        )
        extra = entered.join(touched.drop("_row"), on=keys, how="anti")
        if extra.height:
            per_year = pl.concat([per_year, extra], how="diagonal_relaxed").sort(keys)
            runs = None
        per_year = per_year.with_columns(
            fact=pl.coalesce("entered", "fact"),
            fact_source=pl.when(pl.col("entered").is_not_null())
            .then(pl.lit("entered", dtype=FactSource))
            .otherwise(pl.col("fact_source")),
        )
    # Row by row from here: the streaming engine works on batches of rows on every core, where
    # the eager one works through each expression over all the millions of rows (same rows,
    # same order).
    frame = (
        per_year.with_columns(
            polarity=_polarities(
                effective_polarities(tables["indicators"], polarities),
                per_year,
                id_type,
                node_type,
                runs,
            ),
        )
        .lazy()
        .with_columns(effective_plan=pl.coalesce("plan", "target"))
        .with_columns(
            achievement=achievement_expr(
                pl.col("fact"), pl.col("effective_plan"), pl.col("polarity")
            ),
        )
        .with_columns(status=status_expr(pl.col("achievement"), thresholds))
        .with_columns(
            pl.col("status").cast(Status),
            pl.col("fact_source").cast(FactSource),
            pl.col("reported_status").cast(Claim),
            claim_mismatch=(
                (
                    (pl.col("reported_status") == "met")
                    & pl.col("status").is_in(["at_risk", "off_track"])
                )
                | ((pl.col("reported_status") == "not_met") & (pl.col("status") == "met"))
            ).fill_null(False),
        )
        .select(STATUS_COLUMNS)
        .collect(engine="streaming")
        .rechunk()  # one chunk: callers gather and scatter over it
    )
    return frame


POLARITY_SOURCES = ("document", "analyst")


def effective_polarities(
    indicators: pl.DataFrame, polarities: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Each described indicator's polarity as the statuses use it: plan_id, node_id (as in
    ``indicators``), polarity (text), polarity_source ("document", or "analyst" where
    ``polarities`` — the workspace's, plan_id, node_id, polarity — set it)."""
    keys = ["plan_id", "node_id"]
    own = indicators.select(
        *keys,
        polarity=pl.col("polarity").cast(pl.String),
        polarity_source=pl.lit("document"),
    )
    if polarities is None or polarities.is_empty():
        return own
    chosen = polarities.select(
        pl.col("plan_id").cast(indicators.schema["plan_id"]),
        pl.col("node_id").cast(indicators.schema["node_id"]),
        polarity=pl.col("polarity").cast(pl.String),
        polarity_source=pl.lit("analyst"),
    ).unique(subset=keys, keep="last", maintain_order=True)
    # The dataset's order, each set one in its indicator's place (an indicator the dataset does
    # not describe keeps no polarity: there is no status to count for it).
    return (
        own.join(chosen, on=keys, how="left", maintain_order="left", suffix="_set")
        .with_columns(
            polarity=pl.coalesce("polarity_set", "polarity"),
            polarity_source=pl.coalesce("polarity_source_set", "polarity_source"),
        )
        .select(*keys, "polarity", "polarity_source")
    )


def polarity_reviews(
    tables: Mapping[str, pl.DataFrame],
    statuses: pl.DataFrame,
    polarities: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """The indicators whose own words contradict the polarity their status uses (see
    :func:`workbench.dataset.polarity.review_polarity`): plan_id, node_id (text),
    polarity_review (the polarity the words point to), review_source ("title" or "comment"),
    review_year, review_words. ``statuses``: :func:`indicator_statuses` of the same tables.

    Python's regular expressions read the words, as the ingest does, but only where Polars
    found some of them (:data:`~workbench.dataset.polarity.TITLE_LESS_WORDS` …): a title asking
    for less under a polarity other than decrease, or for more under decrease; an execution text
    with a word calling the outcome good, in a year whose fact is on the side of the plan its
    polarity counts as a miss. At a thousand plans that is a few hundred of a million rows.
    """
    keys = ["plan_id", "node_id"]
    text = [pl.col(k).cast(pl.String) for k in keys]
    used = effective_polarities(tables["indicators"], polarities).with_columns(text)
    less = pl.col("polarity") == "decrease"
    # Few rows hold the words: they are found first (among distinct texts), and only those
    # rows are joined with the indicators and their statuses (millions at scale).
    nodes = tables["nodes"].select(*text, pl.col("title").cast(pl.String))
    words = _words(nodes.get_column("title"), less=TITLE_LESS_WORDS, more=TITLE_MORE_WORDS)
    worded = words.filter(pl.col("less") | pl.col("more"))
    asking = (
        nodes.filter(pl.col("title").is_in(worded.get_column("title").implode()))
        .join(worded, on="title", how="inner")
        .join(used.select(*keys, "polarity"), on=keys, how="inner")
        .filter(pl.when(less).then(pl.col("more")).otherwise(pl.col("less")))
        .select(*keys, "title")
    )
    comments = (
        tables["values"]
        .filter(pl.col("comment").is_not_null())
        .select(*text, pl.col("year").cast(pl.Int32), pl.col("comment").cast(pl.String))
    )
    good = _words(comments.get_column("comment"), good=GOOD_WORDS).filter("good")
    praised = (
        comments.filter(pl.col("comment").is_in(good.get_column("title").implode()))
        .select(*keys, "year")
        .unique()
    )
    numbers = (
        statuses.filter(
            pl.col("plan_id").cast(pl.String).is_in(praised.get_column("plan_id").implode())
        )
        .select(
            *text,
            pl.col("year").cast(pl.Int32),
            plan=pl.coalesce("plan", "target"),
            fact="fact",
        )
        .join(praised, on=[*keys, "year"], how="semi")
    )
    # The years on the side of the plan that the polarity counts as a miss.
    missed = (
        numbers.join(used.select(*keys, "polarity"), on=keys, how="left")
        .filter(
            pl.when(less)
            .then(pl.col("fact") > pl.col("plan"))
            .otherwise(pl.col("fact") < pl.col("plan"))
        )
        .drop("polarity")
    )
    comments = (
        comments.join(missed.select(*keys, "year"), on=[*keys, "year"], how="semi")
        .group_by(*keys, "year", maintain_order=True)
        .agg(pl.col("comment").str.join(" "))
        .join(missed, on=[*keys, "year"], how="inner")
        .sort(*keys, "year")
    )
    notes: dict[tuple[str, str], list[tuple[int | None, str | None, float | None, float | None]]]
    notes = {}
    for plan_id, node_id, year, comment, plan, fact in comments.iter_rows():
        notes.setdefault((plan_id, node_id), []).append((year, comment, plan, fact))
    titles = {(plan_id, node_id): title for plan_id, node_id, title in asking.iter_rows()}
    polarity_of = {
        (plan_id, node_id): polarity
        for plan_id, node_id, polarity in used.join(
            pl.concat([asking.select(keys), comments.select(keys)]).unique(),
            on=keys,
            how="semi",
        )
        .select(*keys, "polarity")
        .iter_rows()
    }
    rows = []
    for key in sorted(polarity_of):
        found = review_polarity(polarity_of[key], titles.get(key), notes.get(key, ()))
        if found is not None:
            rows.append((*key, found.suggested, found.source, found.year, found.words))
    return pl.DataFrame(rows, schema=REVIEW_SCHEMA, orient="row")


def _words(texts: pl.Series, **patterns: str) -> pl.DataFrame:
    """Each distinct text of ``texts`` (column ``title``) and, per pattern, whether its NFC
    lower-case form contains the pattern: texts repeat (the same indicator in many plans), so
    each is normalised and searched once."""
    distinct = texts.drop_nulls().unique().to_frame("title")
    folded = pl.col("title").str.normalize("NFC").str.to_lowercase()
    return distinct.with_columns(
        **{name: folded.str.contains(pattern) for name, pattern in patterns.items()}
    )


REVIEW_SCHEMA = pl.Schema(
    {
        "plan_id": pl.String,
        "node_id": pl.String,
        "polarity_review": pl.String,
        "review_source": pl.String,
        "review_year": pl.Int32,
        "review_words": pl.String,
    }
)


def _polarities(
    indicators: pl.DataFrame,
    per_year: pl.DataFrame,
    id_type: pl.DataType,
    node_type: pl.DataType,
    key_runs: pl.DataFrame | None,
) -> pl.Series:
    """Each row's indicator polarity ("increase" where the indicator is not described).

    Looked up once per indicator (a run of rows in ``per_year``, which is in key order) and
    spread over its rows by position, rather than a join of every row on two text keys.
    ``key_runs``: those runs (:func:`ordered_runs`) when they were found already.
    """
    runs = key_runs if key_runs is not None else runs_of(per_year, "plan_id", "node_id")
    polarity = indicators.select(
        pl.col("plan_id").cast(id_type),
        pl.col("node_id").cast(node_type),
        polarity=pl.col("polarity").cast(pl.String).cast(Polarity, strict=False),
    )
    firsts = per_year.select("plan_id", "node_id").filter(runs.get_column("first"))
    per_run = firsts.join(
        polarity.unique(subset=["plan_id", "node_id"], keep="first"),
        on=["plan_id", "node_id"],
        how="left",
        maintain_order="left",
    ).get_column("polarity")
    return per_run.fill_null("increase").gather(runs.get_column("run")).alias("polarity")


def _per_year(values: pl.DataFrame) -> pl.DataFrame:
    """One row per (plan_id, node_id, year) with a column per value kind, in key order.

    ``values`` must be in key order (as the dataset writes them; :func:`indicator_statuses`
    checks the result and sorts them otherwise). A group starts where the key changes; each
    kind's values are scattered into that kind's column at their groups' rows. Millions of rows
    cost a few columns of that many numbers, where a group-by (filtering every group once per
    kind) takes several times as long and holds several times the table while it works.
    """
    starts = run_starts("plan_id", "node_id", "year")
    kind = values.schema["kind"]
    if isinstance(kind, pl.Enum) and tuple(kind.categories.to_list()) == VALUE_KINDS:
        code = pl.col("kind").to_physical()
    else:
        lookup = {name: i for i, name in enumerate(VALUE_KINDS)}
        code = pl.col("kind").cast(pl.String).replace_strict(lookup, default=None)
    # ``starts`` once, then its running count (an eager select would compare the text twice).
    marked = values.select(
        "value", "reported_status", starts=starts, code=code.cast(pl.UInt8)
    ).with_columns(group=pl.col("starts").cum_sum().cast(pl.UInt32) - 1)
    out = values.filter(marked.get_column("starts")).select("plan_id", "node_id", "year")
    size = out.height
    columns = {}
    for i, name in enumerate(VALUE_KINDS):
        these = marked.filter(pl.col("code") == i)
        columns[name] = pl.repeat(None, size, dtype=pl.Float64, eager=True).scatter(
            these.get_column("group"), these.get_column("value")
        )
    claimed = marked.filter(pl.col("reported_status").is_not_null())
    is_fact = pl.col("code") == VALUE_KINDS.index("fact")
    # The claims stay in their enum when they come in one (as the dataset has them): the
    # statuses keep them as such, and millions of rows are not made text only to be hashed
    # back into the enum.
    given = values.schema["reported_status"]
    claim: pl.DataType = given if isinstance(given, pl.Enum) else pl.String()
    reported = pl.repeat(None, size, dtype=claim, eager=True)
    for part in (claimed.filter(~is_fact.fill_null(False)), claimed.filter(is_fact)):  # fact wins
        reported = reported.scatter(
            part.get_column("group"), part.get_column("reported_status").cast(claim)
        )
    return out.with_columns(**columns, reported_status=reported)


def is_sorted(values: pl.DataFrame) -> bool:
    """Whether values are in (plan_id, node_id, year) order, as the dataset writes them."""
    return ordered_runs(values, strict=False)[0]


def ordered_runs(frame: pl.DataFrame, *, strict: bool) -> tuple[bool, pl.DataFrame | None]:
    """Whether (plan_id, node_id, year) never step back from row to row (``strict``: always
    step forward), and the runs of each (plan_id, node_id) when they were found: ``first`` (a
    run's first row) and ``run`` (its number); None for fewer than two rows, or for ids that do
    not compare as text.

    Text is compared in order only where the indicator changes (a run's first row against the
    row before, the last of the run before); within a run, only the years. A comparison with a
    null counts as in order.
    """
    if frame.height < 2:
        return True, None
    y = pl.col("year")
    later_year = (y > y.shift()) if strict else (y >= y.shift())
    try:
        runs = runs_of(frame, "plan_id", "node_id")
        later = frame.select(later_year.fill_null(True)).to_series() | runs.get_column("first")
        if not later.all():
            return False, runs
        firsts = frame.select("plan_id", "node_id").filter(runs.get_column("first"))
        return strictly_increasing(firsts, ["plan_id", "node_id"]), runs
    except pl.exceptions.PolarsError:  # ids that do not compare as text (e.g. categorical)
        return False, None


def statuses_at(statuses: pl.DataFrame, *, year: int | None = None) -> pl.DataFrame:
    """One row per indicator: its row at ``year``, or when ``year`` is None the latest year with
    a status other than no data (else its latest year). Indicators with no row at ``year`` are
    absent; :func:`rollup` counts them as no data."""
    if year is not None:
        return statuses.filter(pl.col("year") == year)
    in_order, runs = ordered_runs(statuses, strict=False)
    if not in_order:  # indicator_statuses gives them in key order; others may not
        statuses = statuses.sort("plan_id", "node_id", "year", maintain_order=True)
        runs = None
    # In key order, an indicator's rows are one run: its last row with a status other than no
    # data is carried forward along the run (a run's first row starts it at -1, so nothing
    # carries over from the indicator before), and read at the run's last row. One pass and a
    # gather. Rows: first the indicators with such a row, then the others, each in key order.
    first = run_starts("plan_id", "node_id") if runs is None else pl.lit(runs["first"])
    row = pl.int_range(pl.len(), dtype=pl.Int64)
    marks = statuses.select(
        row=row,
        last=first.shift(-1, fill_value=True),
        rated=pl.when(pl.col("status") != "no_data").then(row).when(first).then(-1),
    ).with_columns(pl.col("rated").forward_fill())
    lasts = marks.filter("last")
    has = lasts.get_column("rated") >= 0
    picks = pl.concat([lasts.get_column("rated").filter(has), lasts.get_column("row").filter(~has)])
    return statuses.select(pl.all().gather(picks))


def indicator_items(
    tables: Mapping[str, pl.DataFrame],
    statuses: pl.DataFrame,
    *,
    year: int | None = None,
    items: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """The ordered items of :func:`ordered_items` with each indicator's status at ``year``.

    Adds ``is_indicator`` and the columns of :func:`statuses_at` (status "no_data" for an
    indicator without a row at that year, null status for items that are not indicators).
    """
    if items is None:
        items = ordered_items(tables)
    keys = ["plan_id", "node_id"]
    at = statuses_at(statuses, year=year)
    id_type = items.schema["plan_id"]
    node_type = items.schema["node_id"]
    cast = [pl.col("plan_id").cast(id_type), pl.col("node_id").cast(node_type)]
    at = at.with_columns(cast)
    # Every indicator (indicator_ids) with its row of ``at``, in one frame, looked up once: the
    # indicators of ``at``, then the others without a row there. Without a year, ``at`` has a
    # row for each indicator of the statuses, so the others are only among the described ones.
    others = tables["indicators"] if year is None else indicator_ids(tables, statuses)
    # A node of an indicator kind is an indicator even when the dataset describes it nowhere
    # else (a target listed without unit or values): no data, never left out of the counts.
    of_kind = items.filter(pl.col("kind").is_in(list(INDICATOR_KINDS))).select(keys)
    others = pl.concat([others.select(cast), of_kind], how="vertical")
    others = others.join(at.select(keys), on=keys, how="anti").unique(keys)
    lookup = pl.concat(
        [
            at,
            others.select(
                *[
                    pl.col(name) if name in keys else pl.lit(None, dtype=dtype).alias(name)
                    for name, dtype in at.schema.items()
                ]
            ),
        ],
        how="vertical",
    ).with_columns(is_indicator=pl.lit(True))
    lookup = lookup.select(*keys, "is_indicator", pl.exclude(*keys, "is_indicator"))
    frame = items.join(lookup, on=keys, how="left", maintain_order="left")
    frame = frame.with_columns(
        is_indicator=pl.col("is_indicator").fill_null(False)
        & pl.col("kind").is_in(list(INDICATOR_KINDS)),
    )
    return frame.with_columns(
        status=pl.when(pl.col("is_indicator")).then(
            pl.col("status").fill_null(pl.lit("no_data", dtype=Status))
        ),
        claim_mismatch=pl.when(pl.col("is_indicator")).then(
            pl.col("claim_mismatch").fill_null(False)
        ),
    )


def subtree_counts(frame: pl.DataFrame) -> pl.DataFrame:
    """Counts by status of the indicators strictly below each item of an ordered frame.

    ``frame`` must be in depth-first order with ``end``, ``status`` and ``claim_mismatch`` (as
    made by :func:`indicator_items`). Adds met, at_risk, off_track, no_data, claim_mismatch
    (as counts: ``claims``), total and share_met (met among the indicators that have data).
    """
    flags = {s: (pl.col("status") == s).fill_null(False).cast(pl.Int32) for s in STATUSES}
    flags["claims"] = pl.col("claim_mismatch").fill_null(False).cast(pl.Int32)
    sums = frame.select(**{name: expr.cum_sum() for name, expr in flags.items()})
    last = frame.get_column("end") - 1
    counts = {}
    for name in flags:
        cum = sums.get_column(name)
        counts[name] = cum.gather(last) - cum
    out = frame.with_columns(**{name: series for name, series in counts.items()})
    rated = pl.col("met") + pl.col("at_risk") + pl.col("off_track")
    return out.with_columns(
        total=rated + pl.col("no_data"),
        share_met=pl.when(rated > 0).then(pl.col("met") / rated),
    )


def rollup(
    tables: Mapping[str, pl.DataFrame],
    statuses: pl.DataFrame,
    *,
    year: int | None = None,
    items: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Counts by status and share met under every city, plan and node that has children.

    One row per city (level "city": plan_id and node_id null), per plan (level "plan": node_id
    null) and per node that is not a leaf, or is a direction, section, goal, target or task
    (level "node"); in depth-first order. Each indicator below is counted once, at ``year``, or
    at its latest year with data when ``year`` is None; an indicator with no row at ``year``
    counts as no data. ``share_met`` is met / (met + at risk + off track), null when none has
    data. ``claim_mismatch`` counts the indicators whose document claim disagrees. ``items``:
    :func:`~workbench.dataset.hierarchy.ordered_items` of ``tables`` when the caller has it already.
    """
    # Only what is counted goes through the lookups, not every column of the statuses.
    counted = statuses.select("plan_id", "node_id", "year", "status", "claim_mismatch")
    frame = subtree_counts(indicator_items(tables, counted, year=year, items=items))
    has_children = pl.col("end") > pl.col("idx") + 1
    grouping = pl.col("kind").is_in(["direction", "section", "goal", "target", "task"])
    keep = (pl.col("level") != "node") | has_children | grouping
    return frame.filter(keep).select(
        *ROLLUP_COLUMNS[:11],
        claim_mismatch="claims",
        total="total",
        share_met="share_met",
    )


def worst_indicators(
    tables: Mapping[str, pl.DataFrame],
    statuses: pl.DataFrame,
    *,
    plan_id: str | None = None,
    node_id: str | None = None,
    city: str | None = None,
    year: int | None = None,
    limit: int = 5,
) -> pl.DataFrame:
    """The indicators under a node (or plan, or city) that deviate most, worst first.

    Off track before at risk, lowest achievement first; a met indicator whose claim disagrees
    comes after those. Columns: the ordered item columns, the status row, ``severity``.
    """
    frame = indicator_items(tables, statuses, year=year)
    if city is not None:
        frame = frame.filter(pl.col("city") == city)
    if plan_id is not None:
        frame = frame.filter(pl.col("plan_id") == plan_id)
    if node_id is not None:
        start = frame.filter(pl.col("node_id") == node_id)
        if start.is_empty():
            return frame.clear().with_columns(severity=pl.lit(0, dtype=pl.Int32))
        lo, hi = start.row(0, named=True)["idx"], start.row(0, named=True)["end"]
        frame = frame.filter((pl.col("idx") > lo) & (pl.col("idx") < hi))
    return rank_worst(frame, limit=limit)


def rank_worst(frame: pl.DataFrame, *, limit: int = 5) -> pl.DataFrame:
    """Deviating indicators of an item frame, worst first (see :func:`worst_indicators`)."""
    deviating = pl.col("status").is_in(["at_risk", "off_track"]) | pl.col("claim_mismatch")
    severity = pl.col("status").replace_strict(SEVERITY, default=3, return_dtype=pl.Int32)
    return (
        frame.filter(pl.col("is_indicator") & deviating.fill_null(False))
        .with_columns(severity=severity)
        .sort("severity", "achievement", "idx", nulls_last=True)
        .head(limit)
    )
