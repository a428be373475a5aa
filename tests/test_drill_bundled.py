"""Activities, funding and links on the bundled documents, with figures checked by hand.

The dataset is ``data/plans`` when it is there, else the documents of ``data/sources`` read in
process. Figures (line numbers of the documents in ``data/sources``):

- Taraz grants (003): 18 000 (2026) + 18 000 (2027), 6 000, 6 000, 6 000 and 4 000 thousand
  tenge; printed "Итого" 40\u202f000 (2026) and 18\u202f000 (2027) thousand tenge.
- Taraz report 2017 (000, part 3, lines 1198-1230): plan by source 7 077 884,0 + 3 397 860,0 +
  3 576 709,0 + 19 871 438,3 = 33 923 891,3 (printed); fact 33 915 455,6 (printed).
- Tash-Kömür programme 2026 (002): 29 measures; deadlines I quarter 1 (task 23), II quarter 2
  (task 4), III quarter 6 (tasks 1 ×2 measures, 6, 7, 8, 14), IV quarter 5 printed (tasks 5, 11,
  13, 16 ×2) + the third measure of task 16 printed without one, "during 2026" 14.
- Zhezkazgan plan (001): "БАРЛЫҚ каржы ресурстары" 78\u202f935,3 million tenge for 2026 (line 1326),
  but the parts printed above it add up to 78 779,7 + 58,0 + 67,3 = 78 905,0 (lines 1104, 861,
  1301): a mismatch of 30,3 the workbench must report; the passport's 184 716 million for
  2026-2030 (line 116) is the sum of the yearly totals.
- Kara-Balta programme (004): "РИИБ" (the district internal affairs department, "ички иштер") is
  responsible for 3 rows of the action plan (lines 1068, 1088, 1096) and 3 of the 2023 plan
  (lines 1444, 1462, 1470).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from workbench.analysis.activities import ActivityFilter, ActivityIndex, activities_view
from workbench.analysis.funding.index import FundingIndex
from workbench.analysis.funding.report import funding_report_rows
from workbench.analysis.funding.view import funding_view
from workbench.analysis.links import body_view
from workbench.dataset import parquet_folder
from workbench.ingest import merge, parse_files

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "data" / "plans"
SOURCES = ROOT / "data" / "sources"

GRANTS = "taraz-grants-2026-2027"
REPORT = "taraz-report-2016-2020-r2017"
TASH_KOMUR = "tash-kumyr-programme-2026"
ZHEZKAZGAN = "zhezkazgan-plan-2026-2030"
KARA_BALTA = "kara-balta-programme-2023-2026"


@pytest.fixture(scope="module")
def tables() -> dict[str, pl.DataFrame]:
    if PLANS.is_dir() and any(PLANS.glob("*.parquet")):
        return parquet_folder.read(PLANS)
    return merge.from_documents(parse_files(sorted(SOURCES.glob("*"))))


@pytest.fixture(scope="module")
def activities(tables: dict[str, pl.DataFrame]) -> ActivityIndex:
    return ActivityIndex.build(tables)


@pytest.fixture(scope="module")
def funding(tables: dict[str, pl.DataFrame]) -> FundingIndex:
    return FundingIndex.build(tables)


def named(frame: pl.DataFrame) -> dict[str | None, dict[str, object]]:
    return {row["name"]: row for row in frame.iter_rows(named=True)}


def test_taraz_grants_by_year_with_a_total_equal_to_the_printed_one(
    funding: FundingIndex,
) -> None:
    view = funding_view(funding, plan_id=GRANTS)
    assert view.unit is not None and view.unit.label == "мың теңге"
    table = named(view.wide())
    assert table["Total"]["2026"] == table["Printed total"]["2026"] == 40_000.0
    assert table["Total"]["2027"] == table["Printed total"]["2027"] == 18_000.0
    assert table["Total"]["total"] == 58_000.0
    assert view.mismatches == []
    grants = view.grants()
    assert grants.height == 5
    assert grants.get_column("amounts_text").to_list() == [
        "2026: 18\u202f000; 2027: 18\u202f000",
        "2026: 6\u202f000",
        "2026: 6\u202f000",
        "2026: 6\u202f000",
        "2026: 4\u202f000",
    ]
    first = grants.row(0, named=True)
    assert first["territory"] == "Тараз қаласының кемінде 2 ауданы"
    assert len(first["targets"]) >= 2 and len(first["expected_results"]) >= 10


def test_taraz_report_money_by_source_is_exact(funding: FundingIndex) -> None:
    view = funding_view(funding, plan_id=REPORT)
    plan = named(view.wide("plan"))
    assert plan["Total"]["2017"] == plan["Printed total"]["2017"] == 33_923_891.3
    sources = {r["source"]: r["2017"] for r in view.wide("plan").iter_rows(named=True)}
    assert sources["local"] == 19_871_438.3
    assert sources["republican"] == 7_077_884.0
    assert sources["national_fund"] == 3_397_860.0
    assert sources["oblast"] == 3_576_709.0
    fact = named(view.wide("fact"))
    assert fact["Total"]["2017"] == fact["Printed total"]["2017"] == 33_915_455.6
    assert view.mismatches == []


def test_zhezkazgan_resources_by_year_report_the_documents_own_mismatch(
    funding: FundingIndex,
) -> None:
    view = funding_view(funding, plan_id=ZHEZKAZGAN)
    assert view.unit is not None and view.unit.name == "million KZT"
    table = named(view.wide("plan"))
    printed = {y: table["Printed total"][str(y)] for y in range(2026, 2031)}
    assert printed == {2026: 78_935.3, 2027: 60_593.8, 2028: 30_927.7, 2029: 14_134.0, 2030: 125.2}
    assert table["Total"]["2026"] == 78_905.0
    years = {m.year for m in view.mismatches if m.kind == "plan"}
    assert {2026, 2027, 2028, 2029, 2030} <= years
    assert None not in years  # the passport total is the sum of the yearly totals
    assert any("78\u202f935,3" in w and "78\u202f905" in w for w in view.warnings)
    rows = funding_report_rows(funding, plan_id=ZHEZKAZGAN, kinds=("plan",))
    totals = rows.filter(pl.col("printed_total") & pl.col("node_id").is_null())
    by_year = dict(zip(totals.get_column("year"), totals.get_column("amount_in_unit"), strict=True))
    assert by_year[2026] == 78_935.3 and by_year[None] == 184_716.0


def test_tash_komur_activities_by_quarter(activities: ActivityIndex) -> None:
    view = activities_view(
        activities, plan_id=TASH_KOMUR, filters=ActivityFilter(as_of=date(2026, 5, 15))
    )
    assert view.total == 29
    line = {r["quarter"]: r for r in view.timeline.iter_rows(named=True)}
    assert line["2026-Q1"]["due"] == 1
    assert line["2026-Q2"]["due"] == 2
    assert line["2026-Q3"]["due"] == line["2026-Q3"]["quarter_only"] == 6
    undated = line[None]["due"] if None in line else 0
    assert line["2026-Q4"]["due"] + undated == 20
    assert line["2026-Q4"]["quarter_only"] + undated == 6
    # Only task 23 (I quarter) is past its deadline in May.
    assert view.counts["overdue"] == 1


def test_an_overdue_activity_is_not_due_before_its_deadline(activities: ActivityIndex) -> None:
    q1 = ActivityFilter(quarters=("2026-Q1",))

    def status(as_of: date) -> str:
        view = activities_view(activities, plan_id=TASH_KOMUR, filters=replace(q1, as_of=as_of))
        assert view.total == 1
        return str(view.rows.get_column("due_status")[0])

    assert status(date(2025, 12, 31)) == "not_due"
    assert status(date(2026, 2, 1)) == "due"
    assert status(date(2026, 4, 1)) == "overdue"


def test_kara_balta_action_plan_filtered_by_a_responsible_body(
    tables: dict[str, pl.DataFrame], activities: ActivityIndex
) -> None:
    vocabulary = tables["vocabulary"].filter(
        (pl.col("kind").cast(pl.String) == "body")
        & pl.col("name").str.contains("(?i)РИИБ|ички иштер")
    )
    codes = tuple(sorted(set(vocabulary.get_column("code"))))
    assert codes, "no body for РИИБ (the district internal affairs department) in the vocabulary"
    whole = activities_view(
        activities, plan_id=KARA_BALTA, filters=ActivityFilter(bodies=codes, as_of=date(2024, 1, 1))
    )
    assert whole.total == 6
    assert all("РИИБ" in r for r in whole.rows.get_column("responsible"))
    plan_nodes = tables["nodes"].filter(
        (pl.col("plan_id") == KARA_BALTA) & pl.col("parent_id").is_null()
    )
    directions = plan_nodes.filter(pl.col("kind").cast(pl.String) == "direction")
    in_action_plan = sum(
        activities_view(
            activities,
            plan_id=KARA_BALTA,
            node_id=node,
            filters=ActivityFilter(bodies=codes, as_of=date(2024, 1, 1)),
        ).total
        for node in directions.get_column("node_id")
    )
    assert in_action_plan == 3
    body = body_view(activities, codes[0], as_of=date(2024, 1, 1))
    assert body.activities.height >= 6


def test_zhezkazgan_printed_period_total_is_set_against_the_same_years(
    funding: FundingIndex,
) -> None:
    """The passport's 184 716 million is for 2026-2030; the computed total of the table counts
    2025 too (219 235,2). The view sets the printed total against the sums of 2026-2030."""
    view = funding_view(funding, plan_id=ZHEZKAZGAN)
    (total,) = view.period_totals("plan")
    assert total.years == (2026, 2027, 2028, 2029, 2030)
    assert total.printed == 184_716.0
    assert total.computed == 78_905.0 + 60_563.5 + 30_897.4 + 14_103.5 + 94.6
    assert total.printed_years == 184_716.0  # the yearly totals it prints add up to it
    notes = view.notes("plan")
    assert notes[0].startswith("Printed total 2026–2030: 184\u202f716; the sum of 2026–2030:")


def test_zhezkazgan_2025_is_the_current_years_estimate_in_funding_and_indicators(
    funding: FundingIndex, tables: dict[str, pl.DataFrame]
) -> None:
    view = funding_view(funding, plan_id=ZHEZKAZGAN)
    notes = view.year_notes("plan")
    assert list(notes) == [2025]
    assert notes[2025].startswith("2025: estimate — the current year, before the plan's years")
    assert "Ағымдағы жылдың жоспары (фактісі)" in notes[2025]
    assert view.year_notes("fact") == {}  # 2024 is the reported year, a fact
    # The indicators print the same column as their estimate: one word for both.
    values = tables["values"].filter((pl.col("plan_id") == ZHEZKAZGAN) & (pl.col("year") == 2025))
    assert set(values.get_column("kind").cast(pl.String).to_list()) == {"estimate"}


def test_zhezkazgan_mismatch_names_its_parts(funding: FundingIndex) -> None:
    view = funding_view(funding, plan_id=ZHEZKAZGAN)
    mismatch = next(m for m in view.mismatches if m.kind == "plan" and m.year == 2026)
    assert mismatch.parts == len(mismatch.part_amounts) == 3
    assert sum(amount for _, amount in mismatch.part_amounts) == mismatch.computed
    message = mismatch.message()
    assert "parts: " in message
    for name, _ in mismatch.part_amounts:
        assert name in message


def test_the_funding_report_text_shows_the_period_total_and_the_estimate_year(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from workbench.cli import main

    monkeypatch.delenv("WORKBENCH_CONFIG", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    code = main(["report", "--data", str(PLANS), "--lang", "en", "--view", "funding",
                 "--city", "Zhezkazgan"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    assert "2025*" in out
    assert "Printed total 2026–2030: 184\u202f716" in out
    assert "* 2025: estimate — the current year" in out
