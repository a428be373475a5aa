"""Activities: due status as of a date, filters, subtree queries, sorting, the quarter timeline."""

from __future__ import annotations

from datetime import date

import drill_data as d
import polars as pl
import pytest

from workbench.analysis.activities import (
    ACTIVITY_REPORT_COLUMNS,
    DUE_GLYPHS,
    DUE_STATUSES,
    MARKS_SCHEMA,
    PAGE_COLUMNS,
    ROW_COLUMNS,
    TIMELINE_COLUMNS,
    ActivityFilter,
    ActivityIndex,
    activities_report_rows,
    activities_view,
    activity_detail,
    parse_quarter,
    statuses_of,
)

MAY = date(2026, 5, 15)


@pytest.fixture(scope="module")
def index() -> ActivityIndex:
    return ActivityIndex.build(d.tables())


def status_of(index: ActivityIndex, node_id: str, as_of: date, plan: str = d.TK) -> str:
    return statuses_of(index, [(plan, node_id)], as_of=as_of)[(plan, node_id)]


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2026, 1, 1), "not_due"),
        (date(2026, 6, 30), "not_due"),
        (date(2026, 7, 1), "due"),
        (date(2026, 8, 15), "due"),
        (date(2026, 9, 30), "due"),
        (date(2026, 10, 1), "overdue"),
        (date(2027, 3, 1), "overdue"),
    ],
)
def test_due_status_before_within_and_after_a_quarterly_deadline(
    index: ActivityIndex, as_of: date, expected: str
) -> None:
    # s1/k1/a1 is due in 2026 Q3 ("2026-жылдын III-кварталы") and has no report.
    assert status_of(index, "s1/k1/a1", as_of) == expected


def test_yearly_deadline_is_due_all_year_and_overdue_after(index: ActivityIndex) -> None:
    assert status_of(index, "s1/k2/a3", date(2025, 12, 31)) == "not_due"
    assert status_of(index, "s1/k2/a3", date(2026, 1, 1)) == "due"
    assert status_of(index, "s1/k2/a3", date(2026, 12, 31)) == "due"
    assert status_of(index, "s1/k2/a3", date(2027, 1, 1)) == "overdue"


def test_reported_by_the_document_wins_over_overdue(index: ActivityIndex) -> None:
    # s1/k1/a2 was due in Q2 2026 and the document reports it done.
    assert status_of(index, "s1/k1/a2", date(2026, 1, 1)) == "reported"
    assert status_of(index, "s1/k1/a2", date(2027, 1, 1)) == "reported"


def test_no_parseable_deadline_is_unknown_and_keeps_the_raw_text(index: ActivityIndex) -> None:
    assert status_of(index, "s2/k3/a5", MAY) == "unknown"
    row = index.frame.filter(pl.col("node_id") == "s2/k3/a5").row(0, named=True)
    assert row["deadline_raw"] == "зарылчылыкка жараша"
    assert row["quarter"] is None


def test_analyst_mark_reports_from_its_date_on(index: ActivityIndex) -> None:
    marks = pl.DataFrame(
        {
            "plan_id": [d.TK, d.TK],
            "node_id": ["s2/k3/a4", "s2/k3/a4"],
            "reported_on": [date(2026, 4, 20), date(2026, 4, 10)],
        },
        schema=MARKS_SCHEMA,
    )
    marked = index.with_marks(marks)
    # a4 was due in Q1 2026: overdue in April until the analyst's (earliest) mark on 10 April.
    assert status_of(marked, "s2/k3/a4", date(2026, 4, 9)) == "overdue"
    assert status_of(marked, "s2/k3/a4", date(2026, 4, 10)) == "reported"
    assert status_of(marked, "s2/k3/a4", MAY) == "reported"
    row = marked.frame.filter(pl.col("node_id") == "s2/k3/a4").row(0, named=True)
    assert row["marked_on"] == date(2026, 4, 10)
    # The original index is unchanged, and marks can be cleared again.
    assert status_of(index, "s2/k3/a4", MAY) == "overdue"
    assert status_of(marked.with_marks(None), "s2/k3/a4", MAY) == "overdue"


def test_view_counts_and_glyphs(index: ActivityIndex) -> None:
    view = activities_view(index, filters=ActivityFilter(as_of=MAY))
    assert view.in_scope == view.total == 6
    assert view.counts == {"not_due": 2, "due": 1, "overdue": 1, "reported": 1, "unknown": 1}
    page = view.page(0, 10)
    assert tuple(page.columns) == PAGE_COLUMNS
    assert tuple(view.rows.columns) == ROW_COLUMNS
    glyphs = dict(zip(page.get_column("node_id"), page.get_column("glyph"), strict=True))
    assert glyphs["s2/k3/a4"] == DUE_GLYPHS["overdue"] == "✖"
    assert glyphs["s1/k1/a2"] == "✔"
    assert set(DUE_GLYPHS) == set(DUE_STATUSES)
    assert len(set(DUE_GLYPHS.values())) == len(DUE_GLYPHS)


def test_subtree_queries(index: ActivityIndex) -> None:
    def ids(**scope: str) -> list[str]:
        return (
            activities_view(index, **scope, filters=ActivityFilter(as_of=MAY))
            .rows.get_column("node_id")
            .to_list()
        )

    assert ids(plan_id=d.TK, node_id="s1") == ["s1/k1/a1", "s1/k1/a2", "s1/k2/a3"]
    assert ids(plan_id=d.TK, node_id="s2/k3") == ["s2/k3/a4", "s2/k3/a5"]
    assert ids(plan_id=d.TK, node_id="s2/g1") == []
    assert ids(plan_id=d.TK, node_id="s2/k3/a4") == ["s2/k3/a4"]
    assert len(ids(plan_id=d.TK)) == 5
    assert ids(city="Taraz") == ["d1/g1/a1"]
    assert ids(plan_id=d.TK, node_id="no/such") == []
    with pytest.raises(ValueError):
        activities_view(index, node_id="s1")


def test_filter_by_status_keeps_the_counts_of_the_scope(index: ActivityIndex) -> None:
    view = activities_view(index, filters=ActivityFilter(statuses=("overdue",), as_of=MAY))
    assert view.rows.get_column("node_id").to_list() == ["s2/k3/a4"]
    assert view.counts["due"] == 1  # the chips still count the whole scope
    both = ActivityFilter(statuses=("due", "not_due"), as_of=MAY)
    view = activities_view(index, filters=both)
    assert sorted(view.rows.get_column("node_id")) == ["d1/g1/a1", "s1/k1/a1", "s1/k2/a3"]
    with pytest.raises(ValueError, match="late"):
        ActivityFilter(statuses=("late",))


def test_filter_by_quarter(index: ActivityIndex) -> None:
    view = activities_view(index, filters=ActivityFilter(quarters=("2026-Q4",), as_of=MAY))
    assert sorted(view.rows.get_column("node_id")) == ["d1/g1/a1", "s1/k2/a3"]
    view = activities_view(index, filters=ActivityFilter(quarters=("Q3 2026",), as_of=MAY))
    assert view.rows.get_column("node_id").to_list() == ["s1/k1/a1"]
    assert parse_quarter("2026q1") == "2026-Q1"
    with pytest.raises(ValueError):
        parse_quarter("2026-Q5")


def test_filter_by_body_inherits_a_tasks_body(index: ActivityIndex) -> None:
    def ids(*bodies: str) -> list[str]:
        view = activities_view(index, filters=ActivityFilter(bodies=bodies, as_of=MAY))
        return sorted(view.rows.get_column("node_id"))

    assert ids("education") == ["d1/g1/a1", "s2/k3/a4", "s2/k3/a5"]
    assert ids("architecture") == ["s1/k2/a3"]  # assigned to its task s1/k2
    assert ids("mayoralty", "architecture") == ["s1/k1/a1", "s1/k1/a2", "s1/k2/a3"]
    assert ids("nobody") == []


def test_filter_by_funding_source(index: ActivityIndex) -> None:
    view = activities_view(index, filters=ActivityFilter(sources=("local",), as_of=MAY))
    assert sorted(view.rows.get_column("node_id")) == ["s1/k2/a3", "s2/k3/a4"]
    view = activities_view(index, filters=ActivityFilter(sources=("republican",), as_of=MAY))
    assert view.rows.get_column("node_id").to_list() == ["s2/k3/a4"]


def test_free_text_search_is_case_insensitive_over_title_measures_and_result(
    index: ActivityIndex,
) -> None:
    def ids(text: str) -> list[str]:
        view = activities_view(index, filters=ActivityFilter(text=text, as_of=MAY))
        return sorted(view.rows.get_column("node_id"))

    assert ids("ЗАВОДДУ") == ["s1/k1/a1"]  # title
    assert ids("цемент") == ["s1/k1/a1"]  # measures
    assert ids("спорт залы") == ["s2/k3/a4"]  # expected result, both words
    assert ids("спорт цемент") == []  # every word must appear
    assert ids("   ") == ids("") == sorted(index.frame.get_column("node_id"))


def test_filters_combine(index: ActivityIndex) -> None:
    filters = ActivityFilter(bodies=("education",), statuses=("overdue", "unknown"), as_of=MAY)
    view = activities_view(index, plan_id=d.TK, filters=filters)
    assert view.rows.get_column("node_id").to_list() == ["s2/k3/a4", "s2/k3/a5"]


def test_sorting(index: ActivityIndex) -> None:
    def ids(sort: str, descending: bool = False) -> list[str]:
        view = activities_view(
            index, plan_id=d.TK, sort=sort, descending=descending, filters=ActivityFilter(as_of=MAY)
        )
        return view.rows.get_column("node_id").to_list()

    assert ids("position") == ["s1/k1/a1", "s1/k1/a2", "s1/k2/a3", "s2/k3/a4", "s2/k3/a5"]
    assert ids("position", descending=True)[0] == "s2/k3/a5"
    assert ids("deadline") == ["s2/k3/a4", "s1/k1/a2", "s1/k1/a1", "s1/k2/a3", "s2/k3/a5"]
    assert ids("status")[:2] == ["s2/k3/a4", "s1/k2/a3"]  # overdue, then due
    assert ids("status")[-1] == "s1/k1/a2"  # reported last
    assert ids("title")[0] == "s1/k1/a2"  # "Ачылыш …"
    with pytest.raises(ValueError):
        ids("colour")


def test_quarter_timeline_counts(index: ActivityIndex) -> None:
    view = activities_view(index, filters=ActivityFilter(as_of=MAY))
    line = view.timeline
    assert tuple(line.columns) == TIMELINE_COLUMNS
    rows = {r["quarter"]: r for r in line.iter_rows(named=True)}
    assert list(rows) == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4", None]
    assert rows["2026-Q1"]["due"] == 1 and rows["2026-Q1"]["overdue"] == 1
    assert rows["2026-Q2"]["due"] == 1 and rows["2026-Q2"]["reported"] == 1
    assert rows["2026-Q3"]["due"] == 1 and rows["2026-Q3"]["open"] == 1
    # a3 (all of 2026) and the Taraz activity (Q4) fall due in Q4; only one is a Q4 deadline.
    assert rows["2026-Q4"]["due"] == 2 and rows["2026-Q4"]["quarter_only"] == 1
    assert rows[None]["due"] == 1
    after = activities_view(index, filters=ActivityFilter(as_of=date(2027, 1, 2))).timeline
    later = {r["quarter"]: r for r in after.iter_rows(named=True)}
    assert later["2026-Q4"]["overdue"] == 2
    assert later["2026-Q3"]["overdue"] == 1


def test_timeline_fills_empty_quarters() -> None:
    tables = d.tables()
    tables["activities"] = tables["activities"].with_columns(
        due_start=pl.when(pl.col("node_id") == "s1/k1/a1")
        .then(pl.lit(date(2027, 4, 1)))
        .otherwise(pl.col("due_start")),
        due_end=pl.when(pl.col("node_id") == "s1/k1/a1")
        .then(pl.lit(date(2027, 6, 30)))
        .otherwise(pl.col("due_end")),
    )
    line = activities_view(ActivityIndex.build(tables), filters=ActivityFilter(as_of=MAY)).timeline
    quarters = line.get_column("quarter").to_list()
    expected = [f"{y}-Q{q}" for y in (2026, 2027) for q in (1, 2, 3, 4)][:6]
    assert quarters == [*expected, None]
    assert line.filter(pl.col("quarter") == "2027-Q1").get_column("due").to_list() == [0]
    assert line.filter(pl.col("quarter") == "2027-Q2").get_column("due").to_list() == [1]


def test_detail_has_full_texts_names_and_funding(index: ActivityIndex) -> None:
    detail = activity_detail(index, d.TK, "s2/k3/a4", as_of=MAY)
    assert detail is not None
    assert detail["due_status"] == "overdue" and detail["glyph"] == "✖"
    assert detail["expected_result"] == "Мектептин спорт залы оңдолду"
    assert detail["bodies"] == ["education"]
    assert detail["body_names"] in (["Білім бөлімі"], ["Билим берүү бөлүмү"])
    assert detail["funding_sources"] == ["local", "republican"]
    funding = detail["funding"]
    assert isinstance(funding, pl.DataFrame) and funding.height == 3
    assert activity_detail(index, d.TK, "s9/none") is None


def test_report_rows_are_flat_text_with_stable_columns(index: ActivityIndex) -> None:
    rows = activities_report_rows(
        index, plan_id=d.TK, filters=ActivityFilter(sources=("local",), as_of=MAY)
    )
    assert tuple(rows.columns) == ACTIVITY_REPORT_COLUMNS
    assert rows.get_column("node_id").to_list() == ["s1/k2/a3", "s2/k3/a4"]
    assert rows.get_column("funding_sources").to_list() == ["local", "local; republican"]
    assert rows.get_column("due_status").to_list() == ["due", "overdue"]
    assert rows.get_column("section").to_list() == ["Өнөр жай", "Билим берүү"]
    assert set(rows.get_column("as_of")) == {MAY}
    assert all(dtype != pl.List for dtype in rows.dtypes)
    rows.write_csv()  # every column can be written as CSV


def test_an_empty_dataset_gives_empty_views() -> None:
    from workbench.dataset.contract import TABLES, empty_frame

    index = ActivityIndex.build({t: empty_frame(t) for t in TABLES})
    view = activities_view(index, filters=ActivityFilter(as_of=MAY))
    assert view.total == 0 and view.timeline.height == 0
    assert view.page().height == 0


def test_categorical_ids_and_a_catalogs_items_give_the_same_view() -> None:
    from workbench.dataset.hierarchy import ordered_items

    tables = d.tables()
    items = ordered_items(tables).with_columns(
        pl.col("plan_id", "node_id", "city").cast(pl.Categorical),
        pl.col("kind").cast(pl.Categorical),
    )
    compact = {
        name: frame.with_columns(
            [
                pl.col(c).cast(pl.Categorical)
                for c in ("plan_id", "node_id", "parent_id")
                if c in frame.columns
            ]
        )
        for name, frame in tables.items()
    }
    plain = activities_view(ActivityIndex.build(tables), filters=ActivityFilter(as_of=MAY))
    other = activities_view(
        ActivityIndex.build(compact, items=items), filters=ActivityFilter(as_of=MAY)
    )
    assert other.rows.equals(plain.rows)


@pytest.mark.parametrize("day", [date(2025, 1, 1), MAY, date(2026, 10, 15), date(2028, 1, 1)])
def test_counts_and_timeline_match_a_row_by_row_count(day: date) -> None:
    """The view counts statuses and quarters in one group-by on an integer key: the same as
    counting the rows one by one (bundled data: every status, many quarters, no deadline)."""
    from pathlib import Path

    from workbench.analysis.activities import timeline, with_due_status
    from workbench.dataset import parquet_folder

    data = Path(__file__).resolve().parent.parent / "data" / "plans"
    index = ActivityIndex.build(dict(parquet_folder.read(data)))
    view = activities_view(index, filters=ActivityFilter(as_of=day))
    rows = with_due_status(index.frame, day).select("quarter", "span", "due_status")
    counts = dict.fromkeys(DUE_STATUSES, 0)
    quarters: dict[str | None, list[int]] = {}
    for quarter, span, status in rows.iter_rows():
        counts[status] += 1
        row = quarters.setdefault(quarter, [0, 0, 0, 0, 0])
        row[0] += 1
        row[1] += status == "overdue"
        row[2] += status == "reported"
        row[3] += status in ("due", "not_due")
        row[4] += span in ("quarter", "month")
    assert view.counts == counts
    dated = sorted(q for q in quarters if q is not None)
    first, last = dated[0], dated[-1]
    every = [
        f"{year}-Q{q}"
        for year in range(int(first[:4]), int(last[:4]) + 1)
        for q in (1, 2, 3, 4)
        if first <= f"{year}-Q{q}" <= last
    ]
    expected = [
        (q, int(q[:4]) if q else None, int(q[-1]) if q else None, *quarters.get(q, [0] * 5))
        for q in [*every, *([None] if None in quarters else [])]
    ]
    assert view.timeline.rows() == expected
    assert timeline(rows).equals(view.timeline)
    assert view.timeline.schema == {
        "quarter": pl.String,
        "year": pl.Int32,
        "q": pl.Int8,
        **dict.fromkeys(("due", "overdue", "reported", "open", "quarter_only"), pl.Int64),
    }
