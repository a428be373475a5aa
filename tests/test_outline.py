"""The tree order, the catalog behind the screen, filters and the key registry (no Textual)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from minidata import KARABALTA, TARAZ, mini_tables, write_mini

from bench.synthetic import generate
from workbench.analysis.catalog import build_catalog, load_catalog
from workbench.analysis.outline import Filter, View
from workbench.config import ConfigError, load_config
from workbench.dataset.hierarchy import ordered_items
from workbench.dataset.text import fold
from workbench.keymap import KEY_IDS, KEYS, check_keymap, display

KAZAKH_KYRGYZ = "АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯ"


def test_titles_fold_like_the_query() -> None:
    """The catalog folds titles with Polars; queries with ``fold``: they must agree."""
    letters = pl.Series([KAZAKH_KYRGYZ, KAZAKH_KYRGYZ.lower(), "Өзгөн ҮЛҮШҮ ҺӘҢ"])
    polars_folded = letters.str.normalize("NFC").str.to_lowercase().to_list()
    assert polars_folded == [fold(text) for text in letters.to_list()]


def test_depth_first_order_and_subtree_ranges() -> None:
    tables = generate(3, indicators_per_plan=40, seed=3)
    items = ordered_items(tables)
    assert items.get_column("idx").to_list() == list(range(items.height))
    ends = items.get_column("end").to_list()
    parents = items.get_column("parent").to_list()
    depths = items.get_column("depth").to_list()
    for idx in range(items.height):
        assert idx < ends[idx] <= items.height
        child = idx + 1
        while child < ends[idx]:  # the children tile the subtree exactly
            assert parents[child] == idx and depths[child] == depths[idx] + 1
            child = ends[child]
        assert child == ends[idx]
    nodes = tables["nodes"].height
    assert items.filter(pl.col("level") == "node").height == nodes
    # Siblings keep their printed order.
    first_plan = items.filter(pl.col("level") == "plan").row(0, named=True)
    top = items.filter(pl.col("parent") == first_plan["idx"]).get_column("node_id").to_list()
    assert top == sorted(top, key=lambda n: int(n[1:]))


def test_orphans_hang_under_their_plan_and_cycles_are_left_out() -> None:
    tables = mini_tables()
    extra = pl.DataFrame(
        {
            "plan_id": [TARAZ, TARAZ, TARAZ],
            "node_id": ["lost", "c1", "c2"],
            "parent_id": ["no-such-parent", "c2", "c1"],
            "kind": ["goal", "goal", "goal"],
            "code": [None, None, None],
            "title": ["Orphan", "Cycle 1", "Cycle 2"],
            "position": [9, 1, 1],
            "source_line": [None, None, None],
        },
        schema=tables["nodes"].schema,
    )
    tables["nodes"] = pl.concat([tables["nodes"], extra])
    items = ordered_items(tables)
    orphan = items.filter(pl.col("node_id") == "lost").row(0, named=True)
    assert items.row(orphan["parent"], named=True)["level"] == "plan"
    assert items.filter(pl.col("node_id").is_in(["c1", "c2"])).is_empty()


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return load_catalog(write_mini(tmp_path_factory.mktemp("cat") / "plans"))


def titles(catalog, indices) -> list[str]:  # type: ignore[no-untyped-def]
    return [catalog.row(int(i))["title"] for i in indices]


def test_catalog_keeps_ids_compact_and_rows_plain(catalog) -> None:  # type: ignore[no-untyped-def]
    assert catalog.statuses.schema["node_id"] == pl.Categorical()
    assert catalog.statuses.schema["status"] == pl.Enum(["met", "at_risk", "off_track", "no_data"])
    row = catalog.row(catalog.roots()[0])
    assert row["level"] == "city" and isinstance(row["city"], str)
    assert catalog.years == (2017, 2022, 2023, 2024, 2025, 2026)
    assert catalog.year_counts() == {2017: 8, 2023: 2, 2024: 1}
    idx = catalog.find(KARABALTA, "d1/g1.1/i1")
    assert idx is not None
    years = catalog.indicator_years(KARABALTA, "d1/g1.1/i1")
    assert [y["year"] for y in years] == [2022, 2023, 2024, 2025, 2026]
    assert years[2]["deviation"] == pytest.approx(-6.0)
    plan = catalog.find(TARAZ)
    assert plan is not None and catalog.row(plan)["level"] == "plan"
    assert catalog.path(idx)[0] == catalog.find_city("Kara-Balta")


def test_catalog_at_another_year(catalog) -> None:  # type: ignore[no-untyped-def]
    idx = catalog.find(KARABALTA, "d1/g1.1/i1")
    assert catalog.row(idx)["status"] == "at_risk"
    in_2023 = catalog.at_year(2023)
    assert in_2023.row(idx)["status"] == "met"
    assert catalog.row(idx)["status"] == "at_risk"  # the catalog is immutable
    taraz = in_2023.find(TARAZ)
    assert taraz is not None and in_2023.row(taraz)["no_data"] == 9


def test_query_filter_shows_matches_with_their_subtrees(catalog) -> None:  # type: ignore[no-untyped-def]
    view = View.build(catalog, Filter("ӨНЕРКӘСІП"))
    assert view.count == 3  # the section, the goal ("өнеркәсіптік") and indicator 1
    goal = catalog.find(TARAZ, "d1/s3.2.1/g3.2.1.1")
    assert view.is_match(goal)
    # Everything under a matching goal is shown, so it can still be opened.
    assert titles(catalog, view.children(goal))[:2] == [
        "Өнеркәсіп өнімінің нақты индекс көлемі",
        "Өсімдік шаруашылығы өнімінің нақты көлем индексі",
    ]
    assert titles(catalog, view.children(-1)) == ["Тараз"]  # Kara-Balta has no match
    assert view.next_match(goal) != goal
    last = int(view.matches[-1])
    assert view.next_match(last) == int(view.matches[0])  # wraps
    assert view.next_match(int(view.matches[0]), backwards=True) == last


def test_code_matches_too(catalog) -> None:  # type: ignore[no-untyped-def]
    view = View.build(catalog, Filter("3.2.1.1"))
    assert titles(catalog, view.matches.to_list()) == ["Қаланың өнеркәсіптік әлеуетін арттыру"]


def test_deviations_filter(catalog) -> None:  # type: ignore[no-untyped-def]
    view = View.build(catalog, Filter(deviations=True))
    found = set(titles(catalog, view.matches.to_list()))
    assert "Жаңа жұмыс орындары" in found  # met, but the document said not met
    assert "Жол-көлік оқиғаларын азайту" in found  # off track
    assert "Өнеркәсіп өнімінің нақты индекс көлемі" not in found
    assert "Инвестициялар көлемі" not in found  # no data is not a deviation
    both = View.build(catalog, Filter("суу", deviations=True))
    assert titles(catalog, both.matches.to_list()) == [
        "Ичүүчү суу менен камсыз болгон үй чарбалардын үлүшү",
        "Жумушсуздуктун деңгээлин төмөндөтүү",  # under a goal whose title says "суу"
    ]
    none = View.build(catalog, Filter("zzz"))
    assert none.count == 0 and none.children(-1) == [] and none.next_match(0) is None


def test_each_item_is_shown_as_the_filter_rules_say() -> None:
    """Item by item, for queries typed letter by letter, deviations with and without a query
    and a query found nowhere: the view shows an item when it matches, something below it
    matches, or an item above it matches the query; it can be opened when it shows something
    below it. Worked out here the slow way, from each item's ancestors and subtree."""
    catalog = build_catalog(generate(12, indicators_per_plan=30, seed=5))
    whole = catalog.folded.rechunk().to_list()
    parent = catalog.items.get_column("parent").fill_null(-1).to_list()
    end = catalog.items.get_column("end").to_list()
    deviating = set(catalog.deviation_mask().arg_true().to_list())
    filters = [Filter(q) for q in ("а", "ан", "анн", "ан", "1.2", "жол")]
    filters += [Filter(deviations=True), Filter("ан", deviations=True), Filter("анн", True)]
    for flt in filters:
        view = View.build(catalog, flt)
        query = flt.query
        hit = [query in text for text in whole] if query else [False] * catalog.size

        def covered(idx: int, hit: list[bool] = hit) -> bool:  # a hit at or above it
            while idx >= 0 and not hit[idx]:
                idx = parent[idx]
            return idx >= 0

        if flt.deviations:
            matches = [i for i in sorted(deviating) if not query or covered(i)]
        else:
            matches = [i for i, found in enumerate(hit) if found]
        assert view.matches.to_list() == matches, flt
        matched = set(matches)
        below = [any(j in matched for j in range(i + 1, end[i])) for i in range(catalog.size)]
        wide = bool(query) and not flt.deviations  # a query alone shows its matches' subtrees

        def shown(
            idx: int, below: list[bool] = below, wide: bool = wide, m: set[int] = matched
        ) -> bool:
            return idx in m or below[idx] or (wide and covered(idx))

        for idx in range(-1, catalog.size):
            if idx >= 0:
                assert view.shows(idx) == shown(idx), (flt, idx)
            if idx >= 0 and not shown(idx):
                continue
            expected = [
                (
                    kid,
                    end[kid] > kid + 1 and (below[kid] or (wide and covered(kid))),
                    kid in matched,
                )
                for kid in catalog.children(idx)
                if shown(kid)
            ]
            assert view.shown_children(idx) == expected, (flt, idx)


def test_empty_dataset_builds(tmp_path: Path) -> None:
    from workbench.dataset import parquet_folder

    parquet_folder.write(parquet_folder.empty(), tmp_path / "empty")
    empty = load_catalog(tmp_path / "empty")
    assert empty.size == 0 and empty.roots() == [] and empty.years == ()
    assert View.build(empty, Filter("x")).count == 0


def test_build_catalog_from_plain_tables(catalog) -> None:  # type: ignore[no-untyped-def]
    in_memory = build_catalog(mini_tables())
    assert in_memory.size == catalog.size
    assert in_memory.items.get_column("status").to_list() == (
        catalog.items.get_column("status").to_list()
    )


# -- keys ------------------------------------------------------------------------------------


def test_every_binding_has_a_unique_id_and_keys() -> None:
    assert len(KEY_IDS) == len(set(KEY_IDS))
    keys = [k for spec in KEYS for k in spec.keys.split(",")]
    assert len(keys) == len(set(keys)), "two bindings share a key"
    assert display("enter,right,l") == "Enter / → / l"
    assert display("ctrl+p") == "Ctrl+p"


@pytest.mark.parametrize(
    ("keymap", "problem"),
    [
        ({"quit": "ctrl+q"}, None),
        ({"cursor_down": "down,s"}, None),
        ({"qiut": "ctrl+q"}, "keys.qiut: no such binding"),
        ({"quit": "ctrl q"}, "keys.quit must be key names"),
        ({"quit": "a,,b"}, "keys.quit must be key names"),
    ],
)
def test_keymap_check(keymap: dict[str, str], problem: str | None) -> None:
    found = check_keymap(keymap)
    assert (found is None) if problem is None else (found is not None and problem in found)


def test_config_refuses_an_unknown_binding(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[keys]\nquit = "ctrl+q"\ndeviatons = "x"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"keys\.deviatons: no such binding") as info:
        load_config(path)
    assert str(path) in str(info.value)
    path.write_text('[keys]\nquit = "ctrl+q"\n', encoding="utf-8")
    assert load_config(path).keys == {"quit": "ctrl+q"}


@pytest.mark.parametrize(
    "text",
    [
        "plain",
        "\x1b[31mred\x1b[0m",
        "a\x07b\x00c",
        "tab\there",
        "\x1b]8;;http://x\x1b\\link",
        "ә\u200bң",
    ],
)
def test_the_screen_shows_document_text_made_safe_by_the_core(text: str) -> None:
    from screens.labels import literal
    from workbench.dataset.text import safe_display

    shown = literal(text).plain
    assert shown == safe_display(text) and "\x1b" not in shown and "\x07" not in shown


def test_the_search_in_pieces_finds_what_one_pass_finds() -> None:
    """The search column is cut into pieces searched in parallel: the same hits, in order, as
    one pass over the whole column, for queries that match often, rarely and never."""
    catalog = build_catalog(generate(12, indicators_per_plan=30, seed=5))
    folded = catalog.folded
    assert folded.n_chunks() > 1 and folded.len() == catalog.size
    whole = folded.rechunk()
    for query in ("а", "көрсеткіш", "1.2", "ң", "жоқ-мұндай-жоқ"):
        expected = whole.str.contains(query, literal=True)
        assert catalog.matching(query).to_list() == expected.arg_true().to_list(), query
    hits = View.build(catalog, Filter("а")).matches.to_list()
    assert hits == whole.str.contains("а", literal=True).arg_true().to_list()


def test_the_search_finds_the_same_once_prepared() -> None:
    """What the screen makes in the background once the tree is up (:meth:`Catalog.prepare`)
    changes no filter's hits, one letter or more, in the catalog and its copies."""
    catalog = build_catalog(generate(12, indicators_per_plan=30, seed=5))
    queries = ("а", "ж", "q", "ан", "1")
    before = {q: View.build(catalog, Filter(q)).matches.to_list() for q in queries}
    catalog.prepare()
    whole = catalog.folded.rechunk()
    for query in queries:
        expected = whole.str.contains(query, literal=True).arg_true().to_list()
        assert catalog.matching(query).to_list() == expected, query
    after = {q: View.build(catalog, Filter(q)).matches.to_list() for q in queries}
    assert after == before
    assert any(before.values())
    copy = catalog.at_year(None)  # copies share the search column
    assert copy.matching("а").to_list() == catalog.matching("а").to_list()


def test_a_query_typed_letter_by_letter_finds_what_one_full_search_finds() -> None:
    """A query that holds the one searched before is looked for among that one's hits only:
    typing on, erasing, typing another word, in the catalog and a copy of it, each finds
    exactly what a search of the whole column finds."""
    catalog = build_catalog(generate(12, indicators_per_plan=30, seed=5))
    whole = catalog.folded.rechunk()
    typed = ["а", "ан", "анн", "ан", "а", "қ", "қа", "1", "1.", "1.2", "жоқ", "жоқ-мұндай", "о"]
    for query in typed:
        expected = whole.str.contains(query, literal=True).arg_true().to_list()
        assert catalog.matching(query).to_list() == expected, query
        hits = View.build(catalog, Filter(query)).matches.to_list()
        assert hits == expected, query
    copy = catalog.at_year(None)  # copies share the search, and its last query
    expected = whole.str.contains("ок", literal=True).arg_true().to_list()
    assert copy.matching("ок").to_list() == expected


def test_packed_notes_read_back_as_they_were() -> None:
    """The document's notes of every indicator are the same once packed per plan, in every
    copy of the catalog, and the rows in memory are let go."""
    catalog = load_catalog(Path(__file__).resolve().parent.parent / "data" / "plans")
    keys = catalog.statuses.select("plan_id", "node_id").unique().sort("plan_id", "node_id")
    pairs = [(str(p), str(n)) for p, n in keys.iter_rows()]
    before = {pair: catalog.indicator_notes(*pair) for pair in pairs}
    assert sum(1 for notes in before.values() if notes) >= 50
    copy = catalog.at_year(2017)
    catalog.prepare()
    assert catalog.notes.packed and copy.notes.packed and catalog.notes._frame is None
    assert {pair: copy.indicator_notes(*pair) for pair in pairs} == before
    assert catalog.indicator_notes("no-such-plan", "x") == []
