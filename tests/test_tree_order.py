"""The tree's order (document, achievement, deviation), going to a typed code, and a plan's label
in the interface's language: the core the screen asks, without Textual."""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl
import pytest
from minidata import KARABALTA, TARAZ, mini_tables

from bench.synthetic import generate
from workbench import i18n
from workbench.analysis.catalog import Catalog, build_catalog
from workbench.analysis.goto import find_reference
from workbench.analysis.labels import plan_label
from workbench.analysis.node_refs import named_by
from workbench.analysis.ordering import ORDERS, Ordering, next_order
from workbench.analysis.outline import Filter, View

GOAL = "d1/s3.2.1/g3.2.1.1"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return build_catalog(mini_tables())


def codes(catalog: Catalog, view: View, plan_id: str, node_id: str) -> list[str]:
    idx = catalog.find(plan_id, node_id)
    assert idx is not None
    return [str(catalog.row(kid)["code"]) for kid in view.children(idx)]


def walk(view: View, idx: int = -1) -> Iterator[int]:
    """Every row as the tree shows it, every branch open."""
    for kid in view.children(idx):
        yield kid
        yield from walk(view, kid)


def test_the_orders_cycle() -> None:
    assert [next_order(o) for o in ORDERS] == ["achievement", "deviation", "document"]
    assert next_order("nonsense") == "document"


def test_unknown_order_is_refused(catalog: Catalog) -> None:
    with pytest.raises(ValueError, match="unknown order 'worst'"):
        Ordering.build(catalog, "worst")


def test_siblings_sort_by_their_worst_indicator(catalog: Catalog) -> None:
    document = View.build(catalog)
    assert codes(catalog, document, TARAZ, GOAL) == ["1", "2", "3", "4", "5", "6", "7"]
    low = View.build(catalog, None, Ordering.build(catalog, "achievement"))
    # 3 ranks as its sub-indicator 3.2 (100 of 140); 6 has no fact: last
    assert codes(catalog, low, TARAZ, GOAL) == ["3", "4", "5", "2", "1", "7", "6"]
    assert codes(catalog, low, TARAZ, f"{GOAL}/i3") == ["3.2", "3.1"]
    far = View.build(catalog, None, Ordering.build(catalog, "deviation"))
    # |1 − r|: 3.1 overshot by 33 % (so 3 leads), 4 missed by 29 %, 7 overshot by 8 % …
    assert codes(catalog, far, TARAZ, GOAL) == ["3", "4", "7", "1", "5", "2", "6"]
    assert codes(catalog, far, TARAZ, f"{GOAL}/i3") == ["3.1", "3.2"]
    # the cities too: Taraz's worst (71 %) before Kara-Balta's (91 %)
    assert [catalog.row(i)["city"] for i in low.children(-1)] == ["Taraz", "Kara-Balta"]
    assert View.build(catalog, None, Ordering.build(catalog, "document")).ordering is None


def test_the_positions_are_the_rows_as_shown(catalog: Catalog) -> None:
    for order in ORDERS:
        ordering = Ordering.build(catalog, order)
        shown = list(walk(View.build(catalog, None, ordering)))
        assert sorted(shown) == list(range(catalog.size))
        assert ordering.rows.to_list() == shown
        assert [ordering.position[i] for i in shown] == list(range(catalog.size))


def test_matches_are_stepped_through_in_the_order_shown(catalog: Catalog) -> None:
    ordering = Ordering.build(catalog, "achievement")
    view = View.build(catalog, Filter(deviations=True), ordering)
    order = [i for i in walk(view) if view.is_match(i)]
    assert len(order) == view.count == 7
    stepped, at = [], -1
    for _ in order:
        at = view.next_match(at)  # type: ignore[assignment]
        stepped.append(at)
    assert stepped == order
    assert view.next_match(order[-1]) == order[0]  # wraps
    assert view.next_match(order[0], backwards=True) == order[-1]
    assert view.next_match(-1, backwards=True) == order[-1]
    assert [view.match_number(i) for i in order] == list(range(1, 8))
    assert view.match_number(catalog.find(TARAZ, GOAL) or 0) == 0  # not a match


def test_the_order_costs_one_sort_at_many_plans() -> None:
    catalog = build_catalog(generate(40, indicators_per_plan=60, seed=5))
    ordering = Ordering.build(catalog, "deviation")
    shown = list(walk(View.build(catalog, None, ordering)))
    assert ordering.rows.to_list() == shown
    keys = catalog.items.select(
        pl.when(pl.col("is_indicator") & pl.col("achievement").is_not_null())
        .then((1 - pl.col("achievement").cast(pl.Float64)).abs())
        .otherwise(None)
    ).to_series()
    for idx in range(catalog.size):  # siblings: the worst of each subtree, largest first
        kids = View.build(catalog, None, ordering).children(idx)
        worst = [keys.slice(k, catalog.end[k] - k).max() for k in kids]
        ranked = [-1.0 if w is None else float(w) for w in worst]  # type: ignore[arg-type]
        assert ranked == sorted(ranked, reverse=True)


# -- going to a code ---------------------------------------------------------------------------


def test_a_code_is_found_in_the_cursors_plan_first(catalog: Catalog) -> None:
    water = catalog.find(KARABALTA, "d1/g1.1/i1")
    roads = catalog.find(TARAZ, f"{GOAL}/i4")
    assert water is not None and roads is not None
    found = find_reference(catalog, "3.2.1.1", near=water)
    assert found.scope == "everywhere" and found.unique == catalog.find(TARAZ, GOAL)
    found = find_reference(catalog, "4", near=water)  # Kara-Balta has no "4": Taraz's
    assert found.unique == roads
    found = find_reference(catalog, "1.1", near=water)
    assert found.scope == "plan" and catalog.row(found.idx[0])["node_id"] == "d1/g1.1"
    found = find_reference(catalog, "1", near=water)  # the direction and the indicator
    assert found.scope == "plan" and len(found.idx) == 2 and found.unique is None
    found = find_reference(catalog, "1", near=roads)  # Taraz's own indicator 1
    assert found.scope == "plan" and catalog.row(found.idx[0])["node_id"] == f"{GOAL}/i1"


def test_a_title_start_an_id_and_nothing(catalog: Catalog) -> None:
    found = find_reference(catalog, "  жол-КӨЛІК  ")
    assert found.unique == catalog.find(TARAZ, f"{GOAL}/i4")
    assert find_reference(catalog, f"{GOAL}/i7").unique == catalog.find(TARAZ, f"{GOAL}/i7")
    assert find_reference(catalog, "Егін алқабы").unique is None  # 3.1 and 3.2
    assert len(find_reference(catalog, "Егін алқабы").idx) == 2
    assert find_reference(catalog, "НҰИ-99").idx == ()
    assert find_reference(catalog, "  ").idx == ()


def test_named_by_follows_the_command_lines_rules() -> None:
    nodes = pl.DataFrame(
        {
            "node_id": ["a", "b", "c", "d"],
            "code": ["НҰИ –6", "1.1 көрсеткіш", "2-міндет", None],
            "title": ["Өмір сүру ұзақтығы", "Вакцина", "Ана мен бала", "Өмір"],
        }
    )
    assert [r["node_id"] for r in named_by(nodes, "нұи-6")[0]] == ["a"]
    assert [r["node_id"] for r in named_by(nodes, "1.1")[0]] == ["b"]
    assert [r["node_id"] for r in named_by(nodes, "2")[0]] == ["c"]
    assert named_by(nodes, "өмір")[0][0]["node_id"] == "d"  # the exact title wins
    rows, how = named_by(nodes, "ө")
    assert how == "title start" and len(rows) == 2


# -- a plan's label ----------------------------------------------------------------------------


def test_a_plan_label_speaks_the_interface_language() -> None:
    report = {"kind": "report", "period_start": 2016, "period_end": 2020, "report_year": 2017}
    programme = {"kind": "programme", "period_start": 2023, "period_end": 2026}
    try:
        i18n.use("ru")
        assert plan_label(programme) == f"{i18n._('programme')} 2023–2026"
        assert i18n._("programme") != "programme"
        assert "2017" in plan_label(report) and " of " not in plan_label(report)
    finally:
        i18n.use("en")
    assert plan_label(report) == "report 2017 of 2016–2020"


def test_the_quick_look_misses_nothing_the_rules_find() -> None:
    """find_reference narrows the rows with one vectorised test before named_by's rules: on a
    generated dataset every code, numbering and title start finds what the rules alone find."""
    catalog = build_catalog(generate(6, indicators_per_plan=30, seed=11))
    nodes = catalog.items.filter(pl.col("level") == "node").select(
        "idx", pl.col("node_id").cast(pl.String), "code", "title"
    )
    codes = [c for c in nodes.get_column("code").drop_nulls().unique().sort().to_list()][:40]
    titles = [t[:12] for t in nodes.get_column("title").drop_nulls().unique().sort().to_list()]
    for reference in [*codes, *(c.upper() for c in codes), *titles[:40], "1", "1.1", "zz"]:
        found = find_reference(catalog, reference)
        rows, _how = named_by(nodes, reference)
        assert found.idx == tuple(sorted(int(r["idx"]) for r in rows)), reference
