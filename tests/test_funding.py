"""Funding: exact roll-ups, the source × year table, printed totals against computed sums."""

from __future__ import annotations

import drill_data as d
import polars as pl
import pytest

from workbench.analysis.funding.amounts import exact_sum, format_amount, printed_unit, unit_for
from workbench.analysis.funding.index import FundingIndex
from workbench.analysis.funding.report import FUNDING_REPORT_COLUMNS, funding_report_rows
from workbench.analysis.funding.view import funding_view
from workbench.dataset.contract import frame_from_rows


@pytest.fixture(scope="module")
def index() -> FundingIndex:
    return FundingIndex.build(d.tables())


def with_funding(rows: list[dict[str, object]]) -> FundingIndex:
    tables = d.tables()
    tables["funding"] = frame_from_rows("funding", rows)
    return FundingIndex.build(tables)


@pytest.mark.parametrize(
    ("amount", "raw", "unit", "decimals"),
    [
        (18_000_000.0, "18\u202f000 мың теңге", 1_000.0, 0),
        (18_000_000.0, "2027 жыл - 18\u202f000 мың теңге", 1_000.0, 0),
        (33_923_891_300.0, "33\u202f923\u202f891,3", 1_000.0, 1),
        (78_935_300_000.0, "78\u202f935,3млн. теңге", 1_000_000.0, 1),
        (13_959_010.0, "13\u202f959\u202f010,0 сом", 1.0, 1),
        (221_530.0, "221,530 мың тг", 1_000.0, 3),
        (0.0, "0,0 млн", 1_000_000.0, None),
        (5.0, "бес", None, None),
    ],
)
def test_printed_unit_is_read_from_the_raw_amount(
    amount: float, raw: str, unit: float | None, decimals: int | None
) -> None:
    assert printed_unit(amount, raw) == (unit, decimals)


def test_units_and_amount_format() -> None:
    assert unit_for(1_000.0, "KZT", "kk").label == "мың теңге"
    assert unit_for(1_000_000.0, "KZT").name == "million KZT"
    assert unit_for(1.0, "KGS", "ky").label == "сом"
    assert unit_for(1_000.0, "KGS", "ky").label == "миң сом"
    assert format_amount(33_923_891.3) == "33\u202f923\u202f891,3"
    assert format_amount(18_000.0) == "18\u202f000"
    assert format_amount(221.53) == "221,53"
    assert format_amount(None) == "—"


def test_exact_sum_has_no_float_noise() -> None:
    frame = pl.DataFrame({"amount": [0.1] * 10 + [19_871_438_300.0, 3_576_709_000.0]})
    total = frame.select(exact_sum(pl.col("amount"))).item()
    assert total == 23_448_147_301.0


def test_plan_table_by_source_and_year_is_exact_with_printed_total(index: FundingIndex) -> None:
    view = funding_view(index, plan_id=d.TK)
    assert view.unit is not None and view.unit.factor == 1.0 and view.unit.currency == "KGS"
    table = view.wide("plan")
    assert table.columns == ["source", "name", "2026", "total"]
    rows = {r["name"]: r for r in table.iter_rows(named=True)}
    assert table.get_column("source").to_list() == ["local", "republican", None, None]
    assert rows["Total"]["2026"] == 13_959_010.0
    assert rows["Printed total"]["2026"] == 13_959_010.0
    assert view.mismatches == []
    # The activity amounts printed below the plan-level table are shown but not summed again.
    types = dict(zip(view.rows.get_column("rid"), view.rows.get_column("row_type"), strict=True))
    detail = view.rows.filter(pl.col("node_id") == "s1/k1/a1")
    assert detail.get_column("row_type").to_list() == ["detail"]
    assert sorted(set(types.values())) == ["detail", "item", "total"]
    fact = {r["name"]: r for r in view.wide("fact").iter_rows(named=True)}
    assert fact["Total"]["2026"] == 9_000_000.0 and "Printed total" not in fact


def test_section_subtree_counts_the_activity_amounts(index: FundingIndex) -> None:
    view = funding_view(index, plan_id=d.TK, node_id="s2")
    rows = {r["source"] or r["name"]: r for r in view.wide().iter_rows(named=True)}
    # a4 prints 200 000 and its parts by source: the parts are counted, the total checked.
    assert rows["local"]["2026"] == 150_000.0
    assert rows["republican"]["2026"] == 50_000.0
    assert rows["local"]["name"] == "ЖБ жергиликтүү бюджет"  # as printed, in the language (ky)
    assert rows["Total"]["2026"] == rows["Printed total"]["2026"] == 200_000.0
    view = funding_view(index, plan_id=d.TK, node_id="s1")
    cells = view.cells.select("source", "amount").rows()
    assert cells == [("investor", 500_000.0)]


def test_grant_list_amounts_by_year_and_totals(index: FundingIndex) -> None:
    view = funding_view(index, plan_id=d.TARAZ)
    assert view.unit is not None and view.unit.name == "thousand KZT"
    table = {r["name"]: r for r in view.wide().iter_rows(named=True)}
    assert table["Total"]["2026"] == 24_000.0 and table["Total"]["2027"] == 18_000.0
    assert table["Total"]["total"] == 42_000.0
    assert table["Printed total"]["total"] == 42_000.0
    grants = view.grants()
    assert grants.get_column("node_id").to_list() == ["s9/gr1", "s9/gr2"]
    first = grants.row(0, named=True)
    assert first["amounts_text"] == "2026: 18\u202f000; 2027: 18\u202f000"
    assert first["total"] == 36_000_000.0
    assert first["territory"] == "Тараз қаласының кемінде 2 ауданы"
    assert first["grant_type"] == "1 орта мерзімді грант"
    assert first["targets"] == ["1. кемінде 100 ардагер"]
    assert first["expected_results"] == ["1. спартакиада"]
    assert [a["year"] for a in first["amounts"]] == [2026, 2027]
    assert funding_view(index, plan_id=d.TK).grants().height == 0


def test_printed_total_mismatch_is_a_warning() -> None:
    index = with_funding(d.funding_rows(taraz_total_2026=25_000_000.0))
    view = funding_view(index, plan_id=d.TARAZ)
    assert len(view.mismatches) == 1
    mismatch = view.mismatches[0]
    assert (mismatch.year, mismatch.printed, mismatch.computed) == (2026, 25e6, 24e6)
    assert mismatch.difference == 1_000_000.0 and mismatch.parts == 2
    assert "25\u202f000" in view.warnings[0] and "24\u202f000" in view.warnings[0]
    assert "мың теңге" in view.warnings[0]
    table = {r["name"]: r for r in view.wide().iter_rows(named=True)}
    assert table["Total"]["2026"] == 24_000.0
    assert table["Printed total"]["2026"] == 25_000.0


def test_rounding_within_half_the_last_printed_digit_is_no_mismatch() -> None:
    rows = [
        d._money(d.TARAZ, None, 2026, None, "plan", 100_300_000.0, "100,3 млн", "KZT"),
        d._money(d.TARAZ, "s9/gr1", 2026, None, "plan", 50_140_000.0, "50,14 млн", "KZT"),
        d._money(d.TARAZ, "s9/gr2", 2026, None, "plan", 50_140_000.0, "50,14 млн", "KZT"),
    ]
    assert funding_view(with_funding(rows), plan_id=d.TARAZ).mismatches == []
    rows[0] = d._money(d.TARAZ, None, 2026, None, "plan", 100_400_000.0, "100,4 млн", "KZT")
    assert len(funding_view(with_funding(rows), plan_id=d.TARAZ).mismatches) == 1


def test_a_total_for_all_years_covers_the_yearly_totals() -> None:
    rows = [
        d._money(d.TARAZ, None, None, None, "plan", 42_000_000.0, "42\u202f000 мың", "KZT"),
        *[r for r in d.funding_rows() if r["plan_id"] == d.TARAZ],
    ]
    view = funding_view(with_funding(rows), plan_id=d.TARAZ)
    assert view.mismatches == []
    table = {r["name"]: r for r in view.wide().iter_rows(named=True)}
    assert "no year" not in view.wide().columns
    assert table["Total"]["total"] == 42_000.0
    assert table["Printed total"]["2026"] == 24_000.0
    assert table["Printed total"]["total"] == 42_000.0


def test_roll_ups_by_section_body_plan_year_and_source(index: FundingIndex) -> None:
    view = funding_view(index, plan_id=d.TK)
    sections = {
        (r["section_id"], r["kind"]): r["amount"] for r in view.by("section").iter_rows(named=True)
    }
    assert sections == {
        ("s1", "plan"): 500_000.0,
        ("s2", "plan"): 200_000.0,
        (None, "plan"): 13_959_010.0,
        (None, "fact"): 9_000_000.0,
    }
    bodies = {(r["body"], r["kind"]): r["amount"] for r in view.by("body").iter_rows(named=True)}
    assert bodies[("education", "plan")] == 200_000.0
    assert bodies[("mayoralty", "plan")] == 500_000.0
    years = view.by("year").select("year", "kind", "amount").rows()
    assert years == [(2026, "fact", 9_000_000.0), (2026, "plan", 13_959_010.0)]
    sources = {
        (r["source"], r["kind"]): r["amount"] for r in view.by("source").iter_rows(named=True)
    }
    assert sources[("local", "plan")] == 10_000_000.0
    everything = funding_view(index)
    plans = {
        (r["plan_id"], r["year"], r["kind"]): r["amount"]
        for r in everything.by("plan").iter_rows(named=True)
    }
    assert plans[(d.TARAZ, 2027, "plan")] == 18_000_000.0
    assert plans[(d.TK, 2026, "plan")] == 13_959_010.0
    assert sorted(everything.units) == ["KGS", "KZT"]
    with pytest.raises(ValueError):
        view.by("colour")


def test_a_city_view_spans_its_plans(index: FundingIndex) -> None:
    view = funding_view(index, city="Taraz")
    assert view.currencies == ["KZT"]
    assert funding_view(index, city="Nowhere").rows.height == 0
    assert funding_view(index, city="Nowhere").unit is None


def test_report_rows_have_stable_columns_and_exact_computed_totals(index: FundingIndex) -> None:
    rows = funding_report_rows(index, plan_id=d.TK)
    assert tuple(rows.columns) == FUNDING_REPORT_COLUMNS
    computed = rows.filter(pl.col("row_type") == "computed_total")
    assert computed.select("year", "kind", "amount").rows() == [
        (2026, "fact", 9_000_000.0),
        (2026, "plan", 13_959_010.0),
    ]
    printed = rows.filter(pl.col("printed_total") & pl.col("node_id").is_null())
    assert printed.select("amount", "computed", "difference").rows() == [
        (13_959_010.0, 13_959_010.0, 0.0)
    ]
    assert set(rows.get_column("amount_unit").drop_nulls()) == {"KGS"}
    taraz = funding_report_rows(index, plan_id=d.TARAZ, kinds=("plan",), years=(2026,))
    assert set(taraz.get_column("year")) == {2026}
    assert set(taraz.get_column("amount_unit")) == {"thousand KZT"}
    assert taraz.filter(pl.col("row_type") == "computed_total").get_column(
        "amount_in_unit"
    ).to_list() == [24_000.0]
    rows.write_csv()


def test_categorical_ids_give_the_same_table() -> None:
    tables = d.tables()
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
    plain = funding_view(FundingIndex.build(tables), plan_id=d.TARAZ)
    other = funding_view(FundingIndex.build(compact), plan_id=d.TARAZ)
    assert other.wide().equals(plain.wide())
    assert other.grants().height == 2
