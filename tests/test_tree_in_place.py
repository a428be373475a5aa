"""The plan tree follows a filter in place: each step draws what a tree built afresh draws.

A keystroke in the ``/`` line changes the view; :meth:`PlanTree.show` keeps the rows the new view
still shows and changes only the others. These tests hold it to the tree built from nothing for
the same view with the same branches open (what ``show`` drew before it worked in place): the
same rows, each line drawn the same (marks, counts, colours, underlined matches), the same
branches open and the cursor on the same item.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.geometry import Region
from textual.widgets.tree import TreeNode

from bench.synthetic import generate
from screens.main.tree import PlanTree
from workbench.analysis.catalog import Catalog, build_catalog
from workbench.analysis.ordering import Ordering
from workbench.analysis.outline import Filter, View


class TwoTrees(App[None]):
    """The tree under test beside one rebuilt for each comparison, the same size."""

    CSS = "PlanTree { width: 1fr; height: 1fr; }"
    AUTO_FOCUS = None  # neither tree has the focus: their cursors are drawn alike

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield PlanTree(id="kept")
            yield PlanTree(id="fresh")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return build_catalog(generate(12, indicators_per_plan=30, seed=5))


def shown(tree: PlanTree) -> list[tuple[int, bool, bool]]:
    """Each row of the tree, top to bottom: (item, can be opened, is open)."""
    rows: list[tuple[int, bool, bool]] = []

    def walk(node: TreeNode[int]) -> None:
        for child in node.children:
            assert child.data is not None
            rows.append((child.data, child.allow_expand, child.is_expanded))
            if child.is_expanded:
                walk(child)

    walk(tree.root)
    return rows


def drawn(tree: PlanTree) -> list[list[tuple[str, Any]]]:
    """The lines on screen as the widget draws them, from its cache of drawn lines like the
    screen (text and style; the ids Textual puts in a line's style to find the row under the
    mouse left out)."""
    return [
        [(seg.text, seg.style.clear_meta_and_links() if seg.style else None) for seg in strip]
        for strip in tree.render_lines(Region(0, 0, tree.size.width, tree.size.height))
    ]


def rebuild(fresh: PlanTree, kept: PlanTree, view: View, keep: int | None) -> None:
    """What ``show`` drew before it worked in place: the tree emptied, then built for the view
    with the branches the kept tree has open (and remembers open where the view hid them)."""
    remembered = (kept._open - kept._by_idx.keys()) | set(kept._opened())
    fresh._reset()
    fresh.catalog = fresh.view = None
    fresh._open = remembered
    fresh.show(view, keep=keep)


async def test_each_filter_step_draws_what_a_tree_built_afresh_draws(catalog: Catalog) -> None:
    by_deviation = Ordering.build(catalog, "deviation")
    later = catalog.at_year(2022)
    steps: list[tuple[Catalog, Filter, Ordering | None, bool]] = [
        # (catalog, filter, order, keep the cursor's item: a filter changed by a key but /)
        (catalog, Filter("а"), None, False),
        (catalog, Filter("ан"), None, False),
        (catalog, Filter("анн"), None, False),  # nothing
        (catalog, Filter("ан"), None, False),
        (catalog, Filter("ан", deviations=True), None, True),  # matches no longer underlined
        (catalog, Filter("", deviations=True), None, True),
        (catalog, Filter("ж"), by_deviation, True),  # another order
        (later, Filter("жол"), by_deviation, False),  # another year: new counts
        (later, Filter("1.2"), None, False),
        (later, Filter(""), None, True),  # cleared: the cursor stays on its item
    ]
    app = TwoTrees()
    async with app.run_test(size=(160, 30)) as pilot:
        kept = app.query_one("#kept", PlanTree)
        fresh = app.query_one("#fresh", PlanTree)
        kept.show(View.build(catalog))
        # The analyst opens a plan and a branch in it, then another city's plan.
        plan = catalog.children(catalog.roots()[1])[0]
        branch = catalog.children(plan)[0]
        for idx in (plan, branch, catalog.children(catalog.roots()[4])[0]):
            kept.reveal(idx)
            node = kept._by_idx[idx]
            kept._fill(node)
            node.expand()
        await pilot.pause()
        previous: Ordering | None = None
        reused = 0
        for step, (cat, flt, order, keep_cursor) in enumerate(steps):
            view = View.build(cat, flt, order)
            keep = kept.cursor_idx if keep_cursor else None
            rebuild(fresh, kept, view, keep)
            before = {row: kept._by_idx[row] for row, _, _ in shown(kept)}
            kept.show(view, keep=keep)
            await pilot.pause()
            await pilot.pause()
            assert shown(kept) == shown(fresh), (step, flt)
            assert kept.cursor_idx == fresh.cursor_idx, (step, flt)
            assert drawn(kept) == drawn(fresh), (step, flt)
            if order is previous:  # in the same order, a row shown before is kept, not made again
                still = [row for row, _, _ in shown(kept) if row in before]
                assert all(kept._by_idx[row] is before[row] for row in still), step
                reused += len(still)
            previous = order
        assert reused > 100


async def test_a_letter_that_keeps_the_rows_keeps_their_nodes(catalog: Catalog) -> None:
    """A letter that leaves the rows shown as they were keeps every row: a longer word found in
    the same rows changes no line; one found in fewer of them draws again, as a tree built
    afresh draws them, the rows no longer underlined."""
    app = TwoTrees()
    async with app.run_test(size=(160, 30)) as pilot:
        kept = app.query_one("#kept", PlanTree)
        fresh = app.query_one("#fresh", PlanTree)
        for typed, more in (("жұм", "жұмыс"), ("ар", "арн")):
            kept.show(View.build(catalog, Filter(typed)))
            await pilot.pause()
            rows = {row: kept._by_idx[row] for row, _, _ in shown(kept)}
            marked = set(kept._matched)
            lines = drawn(kept)
            view = View.build(catalog, Filter(more))
            rebuild(fresh, kept, view, None)
            kept.show(view)
            await pilot.pause()
            assert [row for row, _, _ in shown(kept)] == list(rows)
            assert all(kept._by_idx[row] is node for row, node in rows.items())
            assert drawn(kept) == drawn(fresh)
            if marked == kept._matched:
                assert drawn(kept) == lines, typed
            else:
                assert drawn(kept) != lines, typed
