"""Responsiveness of the activities view on 100 000 activities (issue 7: target ≤ 50 ms).

The dataset is the synthetic one of the screen issue (``bench/synthetic.py``), grown to
``--activities`` activities: every task gets more measures, copies of its activities with
deadlines spread over the plan's quarters, a responsible body (one of 40 codes, assigned to the
activity) and half of them reported. Then it measures, median (p95) of ``--repeat`` runs:

- building the index (once per dataset load, not per keystroke);
- opening the activities view of a section, a plan, a city and the whole dataset: the query
  (status as of a date, counts, timeline, sort) plus formatting the first page of 50 rows;
- a filter keystroke (status, body, source, quarter, free text) on the whole dataset;
- a scroll keystroke (the next page of an open view) and a sort change.

Then, in the real app (Textual pilot, 120×40, the index already built as after the first
open): pressing ``A`` on a city row and opening the view on the whole dataset, and keystrokes in
the open view — ``j`` (the cursor, detail deferred), ``pagedown``, ``j`` on the last line
shown (the rows scroll by one), ``G`` (the last row of the result), ``x`` (status filter), ``/``
and a letter (free text), ``o`` (sort). Each figure is key press to the first frame written
after the screen has handled the key (after its new query, if the key made one): what the user
sees is the key's result. A full garbage collection that falls in a sample counts in it; the
line says how many samples one hit. Then the resident memory of the process, the view open on
the whole dataset.

Run by hand: ``python bench/bench_activities.py [--activities 100000] [--repeat 15]
[--no-screen]``. Prints the figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from synthetic import generate  # noqa: E402

from workbench.analysis.activities import ActivityFilter, ActivityIndex, activities_view  # noqa: E402
from workbench.dataset.contract import SCHEMAS  # noqa: E402

BODIES = [f"body{n:02d}" for n in range(40)]
AS_OF = date(2023, 5, 15)


def grow(tables: dict[str, pl.DataFrame], target: int) -> dict[str, pl.DataFrame]:
    """The dataset with ``target`` activities: copies of the existing ones under the same task."""
    base = tables["activities"]
    nodes = tables["nodes"]
    copies = -(-target // max(base.height, 1))
    parents = nodes.select("plan_id", "node_id", "parent_id", "position")
    base = base.join(parents, on=["plan_id", "node_id"], how="left")
    grown_acts = []
    grown_nodes = []
    for copy in range(copies):
        shifted = base.with_row_index("n").with_columns(
            node_id=pl.col("node_id") + (f"x{copy}" if copy else ""),
            position=pl.col("position") + copy * 10,
            quarter_shift=((pl.col("n") + copy) % 16).cast(pl.Int32),
        )
        shifted = shifted.with_columns(
            due_start=pl.col("due_start").dt.offset_by(
                pl.format("{}mo", pl.col("quarter_shift") * 3)
            ),
            due_end=pl.col("due_start")
            .dt.offset_by(pl.format("{}mo", pl.col("quarter_shift") * 3 + 3))
            .dt.offset_by("-1d"),
            report=pl.when((pl.col("n") + copy) % 2 == 0).then(pl.lit("Орындалды")),
            funding_sources=pl.concat_list(
                pl.col("funding_sources"),
                pl.lit(["local", "republican", "investor", "oblast"]).list.get(
                    ((pl.col("n") + copy) % 4).cast(pl.Int32)
                ),
            ),
        )
        grown_acts.append(shifted)
        grown_nodes.append(
            shifted.select(
                "plan_id",
                "node_id",
                "parent_id",
                kind=pl.lit("activity"),
                code=pl.lit(None, dtype=pl.String),
                title="title",
                position=pl.col("position").cast(pl.Int32),
                source_line=pl.lit(None, dtype=pl.Int32),
            )
        )
    activities = pl.concat(grown_acts).head(target)
    kept = activities.select("plan_id", "node_id")
    new_nodes = pl.concat(grown_nodes).join(kept, on=["plan_id", "node_id"], how="semi")
    out = dict(tables)
    out["activities"] = activities.select(list(SCHEMAS["activities"])).cast(
        dict(SCHEMAS["activities"])
    )
    others = nodes.filter(pl.col("kind").cast(pl.String) != "activity")
    out["nodes"] = pl.concat(
        [others, new_nodes.cast(dict(SCHEMAS["nodes"]))], how="vertical"
    ).select(list(SCHEMAS["nodes"]))
    assignments = kept.with_row_index("n").select(
        "plan_id",
        "node_id",
        kind=pl.lit("body"),
        code=pl.lit(BODIES).list.get((pl.col("n") % len(BODIES)).cast(pl.Int32)),
    )
    out["assignments"] = assignments.cast(dict(SCHEMAS["assignments"]))
    out["vocabulary"] = pl.DataFrame(
        {
            "kind": ["body"] * len(BODIES),
            "code": BODIES,
            "language": ["kk"] * len(BODIES),
            "name": [f"{code} бөлімі" for code in BODIES],
        }
    ).cast(dict(SCHEMAS["vocabulary"]))
    return out


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return statistics.median(samples) * 1000, p95 * 1000


def report(label: str, fn: Callable[[], object], repeat: int, target: float = 50.0) -> None:
    fn()  # warm up
    median, p95 = timed(fn, repeat)
    verdict = "ok" if p95 <= target else "SLOW"
    print(f"  {label:48s} {median:7.1f} ms  (p95 {p95:6.1f})  {verdict}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=100_000)
    parser.add_argument("--plans", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--no-screen", action="store_true", help="skip the pilot part")
    args = parser.parse_args(argv)

    began = time.perf_counter()
    tables = grow(generate(args.plans, indicators_per_plan=60, years=5), args.activities)
    made = time.perf_counter() - began
    print(
        f"dataset: {tables['plans'].height} plans, {tables['nodes'].height} nodes, "
        f"{tables['activities'].height} activities (made in {made:.1f} s)"
    )
    began = time.perf_counter()
    index = ActivityIndex.build(tables)
    print(f"index build (once per dataset load): {(time.perf_counter() - began) * 1000:.0f} ms")

    first_plan = str(tables["plans"].get_column("plan_id")[0])
    city = str(tables["plans"].get_column("city")[0])
    section = (
        tables["nodes"]
        .filter((pl.col("plan_id") == first_plan) & (pl.col("kind").cast(pl.String) == "section"))
        .get_column("node_id")[0]
    )
    sizes = {
        "section": activities_view(
            index, plan_id=first_plan, node_id=section, filters=ActivityFilter(as_of=AS_OF)
        ).total,
        "plan": activities_view(
            index, plan_id=first_plan, filters=ActivityFilter(as_of=AS_OF)
        ).total,
        "city": activities_view(index, city=city, filters=ActivityFilter(as_of=AS_OF)).total,
        "all": activities_view(index, filters=ActivityFilter(as_of=AS_OF)).total,
    }
    print(f"open the activities view (query + first page of 50), as of {AS_OF}:")

    def open_view(**scope: str) -> Callable[[], object]:
        return lambda: activities_view(index, **scope, filters=ActivityFilter(as_of=AS_OF)).page(
            0, 50
        )

    report(
        f"section ({sizes['section']} activities)",
        open_view(plan_id=first_plan, node_id=section),
        args.repeat,
    )
    report(f"plan ({sizes['plan']} activities)", open_view(plan_id=first_plan), args.repeat)
    report(f"city {city} ({sizes['city']} activities)", open_view(city=city), args.repeat)
    report(f"whole dataset ({sizes['all']} activities)", open_view(), args.repeat)

    print("a filter keystroke on the whole dataset (query + first page):")
    filters = {
        "status = overdue": ActivityFilter(statuses=("overdue",)),
        "body = body07": ActivityFilter(bodies=("body07",)),
        "source = investor": ActivityFilter(sources=("investor",)),
        "quarter = 2023-Q3": ActivityFilter(quarters=("2023-Q3",)),
        "text 'жұмыс' (free text)": ActivityFilter(text="жұмыс"),
        "overdue + body + text": ActivityFilter(
            statuses=("overdue",), bodies=("body07",), text="жұмыс"
        ),
    }
    for label, chosen in filters.items():

        def run(chosen: ActivityFilter = chosen) -> object:
            view = activities_view(index, filters=replace(chosen, as_of=AS_OF))
            return view.page(0, 50)

        report(label, run, args.repeat)

    print("scroll and sort on the whole dataset:")
    opened = activities_view(index, filters=ActivityFilter(as_of=AS_OF))
    report("next page (rows 50 000 .. 50 049)", lambda: opened.page(50_000, 50), args.repeat)
    report(
        "sort by deadline (query + first page)",
        lambda: activities_view(index, sort="deadline", filters=ActivityFilter(as_of=AS_OF)).page(
            0, 50
        ),
        args.repeat,
    )
    report(
        "sort by status (query + first page)",
        lambda: activities_view(index, sort="status", filters=ActivityFilter(as_of=AS_OF)).page(
            0, 50
        ),
        args.repeat,
    )
    report(
        "as-of date change (query + first page)",
        lambda: activities_view(index, filters=ActivityFilter(as_of=date(2024, 1, 1))).page(0, 50),
        args.repeat,
    )
    if not args.no_screen:
        import asyncio

        asyncio.run(screen_part(tables, index, args.repeat))
    return 0


# Full (generation 2) garbage collections during the pilot part: (start, end) times. A full
# collection pauses the app for as long as it walks every live object; a sample it falls in is
# counted as it is (it is what the user waits for), and the summary says how many it hit.
FULL_GC: list[tuple[float, float]] = []
_gc_began = [0.0]


def _watch_gc(phase: str, info: dict[str, int]) -> None:
    if info.get("generation") != 2:
        return
    if phase == "start":
        _gc_began[0] = time.perf_counter()
    else:
        FULL_GC.append((_gc_began[0], time.perf_counter()))


def _summary(
    label: str,
    samples: list[float],
    target: float = 50.0,
    starts: list[float] | None = None,
) -> None:
    """Median and p95 of samples (ms); with ``starts`` (their start times), how many of them
    a full garbage collection fell in, and how long those collections took."""
    note = ""
    if starts is not None:
        hit = [
            (end - begin) * 1000
            for start, ms in zip(starts, samples, strict=True)
            for begin, end in FULL_GC
            if start <= begin <= start + ms / 1000
        ]
        if hit:
            note = f"  [{len(hit)} with a full GC of {statistics.median(hit):.0f} ms]"
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    verdict = "ok" if p95 <= target else "SLOW"
    median = statistics.median(samples)
    print(f"  {label:48s} {median:7.1f} ms  (p95 {p95:6.1f})  {verdict}{note}")


async def screen_part(tables: dict[str, pl.DataFrame], index: ActivityIndex, repeat: int) -> None:
    """The activities view in the real app, driven by keys through the pilot."""
    import asyncio
    import gc

    from screens.app import make_app
    from screens.drill.activities import ActivitiesScreen
    from screens.main.screen import MainScreen
    from screens.main.tree import PlanTree
    from screens.messages import Scope
    from workbench.analysis.catalog import build_catalog
    from workbench.config import Config
    from workbench.workspace.drill_source import DrillSource

    began = time.perf_counter()
    catalog = build_catalog(tables)
    print(f"in the app (pilot, 120x40; catalog built in {time.perf_counter() - began:.1f} s):")
    app = make_app(replace(Config(path=None, data=ROOT)), ROOT, catalog=catalog)
    source = DrillSource(ROOT, tables=tables)
    source._activities = index  # as after the first open: the index is built once per load
    source.as_of = AS_OF
    app.drill_source = source
    # The time of every frame written: a keystroke's figure is key press → the first frame
    # after it (the pilot's own idle waits, ~60 ms, are not the app's and are not counted).
    frames: list[float] = []
    display = app._display

    def timed_display(screen: Any, renderable: Any) -> None:
        display(screen, renderable)
        frames.append(time.perf_counter())

    app._display = timed_display  # type: ignore[method-assign]
    app.animation_level = "none"  # a scroll is shown at once, not animated over 200 ms
    gc.callbacks.append(_watch_gc)
    # Opening: key press → the first frame after the view's rows are in the table (the detail
    # pane follows 80 ms later by design and is not counted).
    queried: list[float] = []
    refresh_view = ActivitiesScreen.refresh_view

    def timed_refresh(self: ActivitiesScreen, **kwargs: Any) -> None:
        refresh_view(self, **kwargs)
        queried.append(time.perf_counter())

    ActivitiesScreen.refresh_view = timed_refresh  # type: ignore[method-assign]

    def shown(start: float) -> float:
        done = [t for t in queried if t > start]
        after = [t for t in frames if done and t > done[0]]
        return (after[0] - start) * 1000 if after else float("nan")

    def since(start: float) -> float:
        # A key that runs a new query: to the first frame after it (not one of the old rows).
        refills = [t for t in queried if t > start]
        ready = refills[-1] if refills else start
        after = [t for t in frames if t > ready]
        return (after[0] - start) * 1000 if after else float("nan")

    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        main = app.screen
        assert isinstance(main, MainScreen)

        async def opened() -> ActivitiesScreen:
            screen = app.screen
            while not (isinstance(screen, ActivitiesScreen) and screen.view is not None):
                await pilot.pause()
                screen = app.screen
            return screen

        async def settled() -> None:
            # Back on the tree: its own deferred work (the detail pane, the footer) is done
            # before the next open, as at a person's pace, so it is not counted in the open.
            await pilot.pause()
            await asyncio.sleep(0.2)
            await pilot.pause()

        city_samples: list[float] = []
        city_starts: list[float] = []
        total = 0
        for _ in range(repeat):
            main.query_one(PlanTree).focus()
            start = time.perf_counter()
            city_starts.append(start)
            await pilot.press("A")
            screen = await opened()
            await pilot.pause()
            city_samples.append(shown(start))
            total = screen.view.total if screen.view else 0
            await pilot.press("escape")
            await settled()
        _summary(f"A on a city row ({total} activities)", city_samples, starts=city_starts)

        all_samples: list[float] = []
        all_starts: list[float] = []
        for _ in range(repeat):
            start = time.perf_counter()
            all_starts.append(start)
            app.push_screen(ActivitiesScreen(source, Scope("every plan")))
            screen = await opened()
            await pilot.pause()
            all_samples.append(shown(start))
            if len(all_samples) < repeat:
                await pilot.press("escape")
                await settled()
        assert screen.view is not None
        _summary(
            f"open on the whole dataset ({screen.view.total} activities)",
            all_samples,
            starts=all_starts,
        )

        async def keys(
            label: str, *pressed: str, before: Callable[[], object] | None = None
        ) -> None:
            samples = []
            starts = []
            for _ in range(repeat):
                if before is not None:
                    before()
                    await pilot.pause()
                start = time.perf_counter()
                starts.append(start)
                await pilot.press(*pressed)
                await pilot.pause()
                samples.append(since(start))
            _summary(label, samples, starts=starts)

        table = screen.table
        await keys("j (cursor down one row)", "j")
        await keys("pagedown", "pagedown")

        def to_edge() -> None:
            table.move_cursor(table.first_shown + table.shown_rows - 1)

        await keys("j on the last line shown (scrolls one row)", "j", before=to_edge)
        assert table.cursor_row == table.first_shown + table.shown_rows - 1

        def to_top() -> None:
            table.action_scroll_home()

        await keys("G (last row of the result)", "G", before=to_top)
        assert table.cursor_row == table.total - 1
        await keys("x (status filter, whole dataset)", "x")
        await keys("o (sort, whole dataset)", "o")
        screen.action_clear_filters()
        await pilot.pause()
        await pilot.press("slash")
        samples = []
        starts = []
        for letter in "жұмыс" * max(1, repeat // 5):
            start = time.perf_counter()
            starts.append(start)
            await pilot.press(letter)
            await pilot.pause()
            samples.append(since(start))
        _summary("/ typing a letter (free text, whole dataset)", samples, starts=starts)
        print(f"  resident memory, the view open on the whole dataset: {_resident_mb():.0f} MB")
    gc.callbacks.remove(_watch_gc)


def _resident_mb() -> float:
    """This process's resident memory now (Linux), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


if __name__ == "__main__":
    raise SystemExit(main())
