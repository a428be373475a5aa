"""The drill views of issue 7 on the bundled data, driven by keys: activities (quarters, body
filter, as-of date, reported mark, links to indicators), funding (Taraz grants) and the
body-centred view."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from screen_helpers import app_on, cursor_row, go_to, press, said, screen_text, settle
from textual.pilot import Pilot
from textual.widgets import Input

from screens.drill.activities import ActivitiesScreen
from screens.drill.body import BodyScreen
from screens.drill.funding import FundingScreen
from screens.main.screen import MainScreen
from screens.widgets.pickers import PickerScreen
from workbench.analysis.activities import ActivityFilter, activities_view
from workbench.workspace import store

DATA = Path(__file__).resolve().parent.parent / "data" / "plans"
TASH = "Таш-Көмүр шаардык мэриясынын"
KARA = "Кара-Балта шаарын 2023-2026"
GRANTS = "Тараз қаласы әкімдігінің ішкі"
MAY = date(2026, 5, 1)


pytestmark = pytest.mark.usefixtures("isolated")


def bundled(as_of: date = MAY) -> Any:
    app = app_on(DATA)
    app.drill_source.as_of = as_of
    return app


async def drill(pilot: Pilot[Any], title: str, key: str) -> Any:
    await settle(pilot)
    await go_to(pilot, title)
    await press(pilot, key)
    await settle(pilot)
    screen = pilot.app.screen
    if isinstance(screen, ActivitiesScreen):
        screen.flush_detail()
        await pilot.pause()
    return screen


async def test_tash_komur_activities_by_quarter() -> None:
    async with bundled().run_test(size=(120, 40)) as pilot:
        screen = await drill(pilot, TASH, "A")
        assert isinstance(screen, ActivitiesScreen)
        assert screen.view is not None and screen.view.total == 29
        line = screen.view.timeline.filter(pl.col("quarter").is_not_null())
        assert dict(line.select("quarter", "due").iter_rows()) == {
            "2026-Q1": 1,
            "2026-Q2": 2,
            "2026-Q3": 6,
            "2026-Q4": 20,
        }
        text = screen_text(pilot.app)
        assert "Due per quarter" in text
        assert "2026-Q4" in text and "2026-Q1" in text
        # The quarter filter keeps the quarter's activities only.
        await press(pilot, "c")
        assert isinstance(pilot.app.screen, PickerScreen)
        await press(pilot, "down", "down", "down", "enter")  # every, Q1, Q2, Q3
        assert screen.filter.quarters == ("2026-Q3",) and screen.view.total == 6


async def test_narrow_timeline_is_a_toggle() -> None:
    async with bundled().run_test(size=(80, 24)) as pilot:
        await drill(pilot, TASH, "A")
        assert "Due per quarter" not in screen_text(pilot.app)
        await press(pilot, "T")
        assert "Due per quarter" in screen_text(pilot.app)


async def test_kara_balta_action_plan_filtered_by_a_body() -> None:
    async with bundled().run_test(size=(100, 30)) as pilot:
        screen = await drill(pilot, KARA, "A")
        assert isinstance(screen, ActivitiesScreen) and screen.view is not None
        everything = screen.view.total
        await press(pilot, "b")
        picker = pilot.app.screen
        assert isinstance(picker, PickerScreen)
        code = picker.entries[2][0]  # the second most frequent body
        await press(pilot, "down", "down", "enter")
        assert screen.filter.bodies == (code,)
        assert screen.index is not None
        expected = activities_view(
            screen.index,
            plan_id="kara-balta-programme-2023-2026",
            filters=ActivityFilter(bodies=(code,), as_of=MAY),
        )
        assert 0 < screen.view.total == expected.total < everything
        assert all(code in bodies for bodies in screen.view.rows.get_column("bodies").to_list())
        # The chip names the body as the analyst knows it, not by its code.
        name = screen.index.body_name(code, "ky")
        assert f"body {name[:20]}" in screen_text(pilot.app)
        await press(pilot, "X")
        assert screen.view.total == everything


async def test_overdue_after_the_deadline_not_due_before() -> None:
    async with bundled().run_test(size=(100, 30)) as pilot:
        screen = await drill(pilot, TASH, "A")
        assert isinstance(screen, ActivitiesScreen)
        # The first activity is due in 2026-Q3 (1 July – 30 September) and has no report.
        assert screen.selected() == ("tash-kumyr-programme-2026", "s_1/k1/a_1")
        assert "◇ not due" in str(screen.query_one("#act-detail").render())
        for day, status in (("2026-10-15", "overdue"), ("2026-06-30", "not due")):
            await press(pilot, "D")
            form = pilot.app.screen
            form.query_one(Input).value = day
            await press(pilot, "enter")
            screen.flush_detail()
            await pilot.pause()
            assert screen.as_of == date.fromisoformat(day)
            detail = str(screen.query_one("#act-detail").render())
            assert detail.splitlines()[1].split(" · ")[0].endswith(status), detail
            assert f"as of {day}" in screen_text(pilot.app)


async def test_status_filter_and_sort_cycle() -> None:
    async with bundled(date(2026, 10, 15)).run_test(size=(100, 30)) as pilot:
        screen = await drill(pilot, TASH, "A")
        assert screen.view.counts["overdue"] == 9
        await press(pilot, "x")
        assert screen.filter.statuses == ("overdue",) and screen.view.total == 9
        await press(pilot, "o")
        assert screen.sort == "deadline"


async def test_mark_reported_goes_through_the_workspace(tmp_path: Path) -> None:
    async with bundled(date(2026, 10, 15)).run_test(size=(100, 30)) as pilot:
        screen = await drill(pilot, TASH, "A")
        key = screen.selected()
        await press(pilot, "r")
        pilot.app.screen.query_one(Input).value = "2026-09-20"
        await press(pilot, "enter")
        await settle(pilot)
        screen.flush_detail()
        await pilot.pause()
        assert "✔ reported" in str(screen.query_one("#act-detail").render())
        assert screen.view.counts["overdue"] == 8 and screen.view.counts["reported"] == 1
    path = tmp_path / "xdg" / "plan-workbench" / "workspace.sqlite3"
    with store.open_workspace(path, create=False) as ws:
        marks = ws.marks()
    assert [(m.plan_id, m.node_id, m.reported_on) for m in marks] == [
        (key[0], key[1], date(2026, 9, 20))
    ]


async def test_indicator_to_its_activities_and_back() -> None:
    async with bundled().run_test(size=(100, 30)) as pilot:
        screen = await drill(pilot, "Бөлшек сауданың нақты көлем индексі", "A")
        assert isinstance(screen, ActivitiesScreen)
        assert screen.scope.node_id == "d_1/s3.2.3/g3.2.3.1"
        assert screen.view is not None and screen.view.total == 4
        await press(pilot, "i")
        picker = pilot.app.screen
        assert isinstance(picker, PickerScreen)
        assert len(picker.entries) == 2  # the goal's two indicators
        await press(pilot, "down", "enter")
        assert isinstance(pilot.app.screen, MainScreen)
        row = cursor_row(pilot.app)
        assert row["node_id"] == picker.entries[1][0].split("\t")[1]


async def test_taraz_grants_with_amounts_by_year_and_the_printed_total() -> None:
    async with bundled().run_test(size=(120, 40)) as pilot:
        screen = await drill(pilot, GRANTS, "F")
        assert isinstance(screen, FundingScreen) and screen.view is not None
        wide = {r["name"]: r for r in screen.view.wide().iter_rows(named=True)}
        assert wide["Total"]["total"] == wide["Printed total"]["total"] == 58_000
        assert (wide["Total"]["2026"], wide["Total"]["2027"]) == (40_000, 18_000)
        assert not screen.view.mismatches
        text = screen_text(pilot.app)
        assert "Grants (5)" in text
        assert "2026: 18\u202f000; 2027: 18\u202f000 · total 36\u202f000" in text
        assert "Printed total" in text and "мың теңге" in text


async def test_funding_mismatch_is_a_warning_and_p_shows_the_city() -> None:
    async with bundled().run_test(size=(120, 40)) as pilot:
        screen = await drill(pilot, "Жезқазған қаласының 2026", "F")
        assert "⚠ 7 printed total(s) differ" in screen_text(pilot.app)
        await press(pilot, "v")
        assert screen.kind == "fact"
        await press(pilot, "p")
        assert screen.scope.city == "Zhezkazgan" and screen.scope.plan_id is None
        await press(pilot, "escape")
        assert isinstance(pilot.app.screen, MainScreen)


async def test_body_view_from_an_activity_and_from_the_picker() -> None:
    async with bundled().run_test(size=(100, 30)) as pilot:
        await drill(pilot, TASH, "A")
        await press(pilot, "B")
        if isinstance(pilot.app.screen, PickerScreen):
            await press(pilot, "enter")
        body = pilot.app.screen
        assert isinstance(body, BodyScreen) and body.view is not None
        assert body.view.activities.height > 0
        assert "what was due is late" in screen_text(pilot.app)
        await press(pilot, "escape", "escape")
        assert isinstance(pilot.app.screen, MainScreen)
        await press(pilot, "B")
        assert isinstance(pilot.app.screen, PickerScreen)
        await press(pilot, "enter")
        body = pilot.app.screen
        assert isinstance(body, BodyScreen) and body.code == "akimat"
        assert "Body  қала әкімдігі ·" in screen_text(pilot.app)  # its name, not its code


async def test_a_annotates_the_selected_activity() -> None:
    from screens.forms.annotation import AnnotationForm

    async with bundled().run_test(size=(100, 30)) as pilot:
        screen = await drill(pilot, TASH, "A")
        key = screen.selected()
        await press(pilot, "a")
        form = pilot.app.screen
        assert isinstance(form, AnnotationForm)
        assert (form.plan_id, form.node_id, form.year) == (*key, None)
        await press(pilot, "escape")
        assert pilot.app.screen is screen


async def test_enter_reads_the_full_texts_and_escape_goes_back_step_by_step() -> None:
    async with bundled().run_test(size=(80, 24)) as pilot:
        screen = await drill(pilot, TASH, "A")
        await press(pilot, "j", "enter")
        assert screen.has_class("-reading")
        assert "Expected result:" in screen_text(pilot.app)
        await press(pilot, "escape")
        assert not screen.has_class("-reading") and pilot.app.screen is screen
        await press(pilot, "escape")
        assert isinstance(pilot.app.screen, MainScreen)


async def test_a_in_the_body_view_lists_all_its_activities_across_plans() -> None:
    """The body view lists the first few; A opens every one of them in the activities view,
    across cities and plans, most urgent first."""
    async with bundled().run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "B")
        assert isinstance(pilot.app.screen, PickerScreen)
        await press(pilot, "enter")  # the akimat: activities in more than one city
        body = pilot.app.screen
        assert isinstance(body, BodyScreen) and body.view is not None
        count = body.view.activities.height
        cities = set(body.view.activities.get_column("city").to_list())
        await press(pilot, "A")
        acts = pilot.app.screen
        assert isinstance(acts, ActivitiesScreen) and acts.view is not None
        assert acts.filter.bodies == (body.code,) and acts.sort == "status"
        assert acts.view.total == count
        assert set(acts.view.rows.get_column("city").to_list()) == cities
        assert "every plan" in screen_text(pilot.app)
        await press(pilot, "escape")
        assert pilot.app.screen is body


async def test_a_mark_is_undone_by_u_and_the_view_shows_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A mark goes through the main screen's workspace session: ``u`` there undoes it (it said
    "Nothing to undo" when the mark had its own connection), the activities view opened again
    shows it gone, and the mark is not taken for another process's edit."""
    import asyncio

    from screens.main.work import WorkspaceActions

    monkeypatch.setattr(WorkspaceActions, "POLL_SECONDS", 0.1)
    async with bundled(date(2026, 10, 15)).run_test(size=(100, 30)) as pilot:
        screen = await drill(pilot, TASH, "A")
        await press(pilot, "r")
        pilot.app.screen.query_one(Input).value = "2026-09-20"
        await press(pilot, "enter")
        await settle(pilot)
        assert screen.view.counts["reported"] == 1
        await press(pilot, "escape")
        await asyncio.sleep(0.3)  # a few polls of the workspace
        await settle(pilot)
        assert isinstance(pilot.app.screen, MainScreen)
        await press(pilot, "u")
        await settle(pilot)
        messages = [n.message for n in said(pilot.app)]
        assert any(m.startswith("Undone:") and "marked reported" in m for m in messages)
        assert not any("another workbench" in m for m in messages)
        screen = await drill(pilot, TASH, "A")
        assert screen.view.counts["reported"] == 0 and screen.view.counts["overdue"] == 9


@pytest.mark.parametrize("key", ["A", "B"])
async def test_a_damaged_workspace_does_not_hide_the_activities(tmp_path: Path, key: str) -> None:
    """The marks cannot be read: the activities show without them (and say why); the body
    view opened on them crashed the app before."""
    path = tmp_path / "xdg" / "plan-workbench" / "workspace.sqlite3"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a workspace " * 100)
    async with bundled().run_test(size=(100, 30)) as pilot:
        screen = await drill(pilot, TASH, key)
        if key == "A":
            assert isinstance(screen, ActivitiesScreen)
            assert screen.view is not None and screen.view.total == 29
            messages = [n.message for n in said(pilot.app)]
            assert any(m.startswith("Marks not shown:") for m in messages)
        else:
            assert isinstance(screen, PickerScreen) and screen.entries  # the bodies to pick
    assert path.read_bytes() == b"not a workspace " * 100  # left untouched
