"""The activities table on a long result, driven by keys and the wheel, read off the screen.

Every plan of the bundled data has 246 activities: ten screens at 80×24. What is checked is
what the user sees: the row under the highlighted line, the "n/total" counter, the detail.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from rich.style import Style
from screen_helpers import app_on, press, settle
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Input

from screens.drill.activities import ActivitiesScreen
from screens.messages import Scope
from screens.widgets.activity_table import ActivityTable, layout
from workbench.workspace import store

DATA = Path(__file__).resolve().parent.parent / "data" / "plans"


pytestmark = pytest.mark.usefixtures("isolated")


def bundled(as_of: date = date(2026, 5, 1)) -> Any:
    app = app_on(DATA)
    app.drill_source.as_of = as_of
    return app


async def every_activity(pilot: Pilot[Any]) -> ActivitiesScreen:
    """The activities view on every plan of the bundled data."""
    await settle(pilot)
    app = pilot.app
    app.push_screen(ActivitiesScreen(app.drill_source, Scope("every plan")))  # type: ignore[attr-defined]
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, ActivitiesScreen) and screen.view is not None
    assert screen.view.total > 3 * screen.table.shown_rows  # several screens of rows
    return screen


def table_lines(screen: ActivitiesScreen) -> list[tuple[str, Style]]:
    """The table's lines as the screen shows them: text, and the style of the title's cells."""
    region = screen.table.content_region
    strips = screen._compositor.render_strips()
    lines = []
    for y in range(region.y, region.bottom):
        strip = strips[y].crop(region.x, region.right)
        cell = strip.crop(4, 5)
        lines.append((strip.text, next(iter(cell)).style or Style()))
    return lines


def plain(text: object) -> str:
    return " ".join(str(text).split())


def shows_cursor(screen: ActivitiesScreen, at: int) -> int:
    """The highlighted line is row ``at`` of the result (its title, the only line in the
    cursor's colour), the counter says so and the detail shows it. Returns its screen line."""
    view = screen.view
    assert view is not None
    row = view.rows_at(at, 1).row(0, named=True)
    lines = table_lines(screen)
    header, rows = lines[0], lines[1:]
    assert "activity" in header[0] and "deadline" in header[0]
    backgrounds = [style.bgcolor for _, style in rows if _.strip()]
    cursor = [i for i, (_, style) in enumerate(rows) if backgrounds.count(style.bgcolor) == 1]
    assert len(cursor) == 1, backgrounds
    line = cursor[0]
    title = plain(row["title"])
    assert plain(rows[line][0]).find(title[:12]) >= 0, (title, rows[line][0])
    assert f" · {at + 1}/{view.total} of " in screen_text_top(screen)
    assert screen.selected() == (row["plan_id"], row["node_id"])
    screen.flush_detail()
    detail = plain(screen.query_one("#act-detail").render())
    assert detail.find(title[:30]) >= 0, (title, detail)
    return line


def screen_text_top(screen: ActivitiesScreen) -> str:
    return str(screen.query_one("#act-top").render())


async def test_every_row_is_reached_by_keys() -> None:
    async with bundled().run_test(size=(80, 24)) as pilot:
        screen = await every_activity(pilot)
        assert screen.view is not None
        total = screen.view.total
        shown = screen.table.shown_rows
        await press(pilot, "G")
        assert shows_cursor(screen, total - 1) == shown - 1  # on the last line
        await press(pilot, "g")
        assert shows_cursor(screen, 0) == 0
        await press(pilot, "end")
        shows_cursor(screen, total - 1)
        await press(pilot, "home")
        shows_cursor(screen, 0)
        # j and k one row at a time, down past several screens and back.
        walk = 2 * shown + 5
        for at in range(1, walk + 1):
            await pilot.press("j")
            assert screen.cursor_at == at
        await settle(pilot)
        assert shows_cursor(screen, walk) == shown - 1  # the rows scrolled under it
        for at in range(walk - 1, shown - 1, -1):
            await pilot.press("k")
            assert screen.cursor_at == at
        await settle(pilot)
        shows_cursor(screen, shown)
        await press(pilot, "G", "j")  # past the last row: nothing happens
        shows_cursor(screen, total - 1)
        await press(pilot, "g", "k")
        shows_cursor(screen, 0)


async def test_the_end_of_a_long_list_shows_the_last_activity() -> None:
    async with bundled().run_test(size=(80, 24)) as pilot:
        screen = await every_activity(pilot)
        assert screen.view is not None
        total = screen.view.total
        await press(pilot, "end")
        lines = table_lines(screen)
        last = screen.view.rows_at(total - 1, 1).item(0, "title")
        assert plain(lines[-1][0]).find(plain(last)[:12]) >= 0, (last, lines[-1][0])
        assert f"{total}/{total} of {total}" in screen_text_top(screen)


async def test_pagedown_moves_the_cursor_a_screenful_on_its_line() -> None:
    async with bundled().run_test(size=(80, 24)) as pilot:
        screen = await every_activity(pilot)
        assert screen.view is not None
        shown = screen.table.shown_rows
        await press(pilot, "pagedown")
        assert shows_cursor(screen, shown) == 0  # the next screenful, from its first line
        await press(pilot, "j", "j")
        for n in range(2, 6):
            await press(pilot, "pagedown")
            assert shows_cursor(screen, n * shown + 2) == 2
        await press(pilot, "pageup", "pageup")
        assert shows_cursor(screen, 3 * shown + 2) == 2
        total = screen.view.total
        for _ in range(total // shown + 1):
            await press(pilot, "pagedown")
        assert shows_cursor(screen, total - 1) == shown - 1
        for _ in range(total // shown + 1):
            await press(pilot, "pageup")
        assert shows_cursor(screen, 0) == 0


async def test_sort_and_filter_from_deep_in_the_list_start_at_the_top() -> None:
    async with bundled(date(2026, 10, 15)).run_test(size=(100, 30)) as pilot:
        screen = await every_activity(pilot)
        await press(pilot, "G", "o")
        assert screen.sort == "deadline"
        assert shows_cursor(screen, 0) == 0
        assert screen.view is not None
        first = screen.view.rows_at(0, 1).item(0, "due_end")
        assert first == screen.view.rows.get_column("due_end").min()
        await press(pilot, "G", "x")
        assert screen.filter.statuses == ("overdue",)
        assert shows_cursor(screen, 0) == 0
        assert screen.view.total == screen.view.counts["overdue"]
        await press(pilot, "G")
        shows_cursor(screen, screen.view.total - 1)
        assert set(screen.view.rows.get_column("due_status").cast(pl.String)) == {"overdue"}


async def test_filtering_keeps_the_cursor_valid() -> None:
    """From the last row, a filter that leaves fewer rows, then none, then all again: the
    cursor is always on a row there is (or nowhere, and nothing breaks)."""
    async with bundled().run_test(size=(80, 24)) as pilot:
        screen = await every_activity(pilot)
        await press(pilot, "G", "slash")
        for letter in "жыл":  # fewer rows with each letter
            await press(pilot, letter)
            assert screen.view is not None and screen.view.total > 0
            assert f" · 1/{screen.view.total} of " in screen_text_top(screen)
        await press(pilot, "enter")  # the words kept, back in the table
        shows_cursor(screen, 0)
        await press(pilot, "G")
        shows_cursor(screen, screen.view.total - 1)
        await press(pilot, "slash", *"qqqzzz", "enter")  # nothing matches
        assert screen.view is not None and screen.view.total == 0
        assert screen.selected() is None
        assert "No activity matches here" in plain(screen.query_one("#act-detail").render())
        await press(pilot, "j", "G", "pagedown", "enter")  # nothing to move to or select
        assert screen.selected() is None and not screen.has_class("-reading")
        await press(pilot, "X")  # every filter dropped
        assert screen.view.total == screen.view.in_scope
        await press(pilot, "j", "j")
        shows_cursor(screen, 2)


async def test_r_marks_the_row_under_the_cursor(tmp_path: Path) -> None:
    async with bundled(date(2026, 10, 15)).run_test(size=(100, 30)) as pilot:
        screen = await every_activity(pilot)
        await press(pilot, "pagedown", "j", "j")
        at = screen.cursor_at
        shows_cursor(screen, at)
        assert screen.view is not None
        row = screen.view.rows_at(at, 1).row(0, named=True)
        await press(pilot, "r")
        pilot.app.screen.query_one(Input).value = "2026-09-20"
        await press(pilot, "enter")
        await settle(pilot)
        screen.flush_detail()
        await pilot.pause()
        assert "✔ reported" in str(screen.query_one("#act-detail").render())
    path = tmp_path / "xdg" / "plan-workbench" / "workspace.sqlite3"
    with store.open_workspace(path, create=False) as ws:
        marks = ws.marks()
    assert [(m.plan_id, m.node_id, m.reported_on) for m in marks] == [
        (row["plan_id"], row["node_id"], date(2026, 9, 20))
    ]


async def test_a_resize_keeps_the_cursors_row_and_widens_the_columns() -> None:
    async with bundled().run_test(size=(120, 40)) as pilot:
        screen = await every_activity(pilot)
        await press(pilot, *["pagedown"] * 4, "j")
        at = screen.cursor_at
        wide = table_lines(screen)[0][0]
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        narrow = table_lines(screen)[0][0]
        assert narrow.index("deadline") < wide.index("deadline")
        shows_cursor(screen, at)
        await pilot.resize_terminal(120, 60)
        await settle(pilot)
        shows_cursor(screen, at)


async def test_the_mouse_wheel_scrolls_and_drags_the_cursor_along() -> None:
    """Three rows a notch, to the last row and back; the cursor stays put while it is on
    screen and is dragged along at the edge."""
    from textual.events import MouseScrollDown, MouseScrollUp

    async with bundled().run_test(size=(80, 24)) as pilot:
        screen = await every_activity(pilot)
        assert screen.view is not None
        table = screen.table
        total, shown = screen.view.total, table.shown_rows

        async def wheel(down: bool, notches: int = 1) -> None:
            kind = MouseScrollDown if down else MouseScrollUp
            for _ in range(notches):
                table.post_message(kind(table, 1, 1, 0, 1 if down else -1, 0, False, False, False))
            await settle(pilot)

        await wheel(True)
        assert table.first_shown == 3 and shows_cursor(screen, 3) == 0  # dragged from row 0
        await press(pilot, "j", "j")
        await wheel(True)
        assert table.first_shown == 6 and shows_cursor(screen, 6) == 0
        await wheel(True, notches=(total // 3) + 2)  # to the end
        assert table.first_shown == total - shown
        at = screen.cursor_at
        assert shows_cursor(screen, at) == 0
        await wheel(False)
        assert table.first_shown == total - shown - 3 and shows_cursor(screen, at) == 3
        await wheel(False, notches=(total // 3) + 2)
        assert table.first_shown == 0
        assert shows_cursor(screen, shown - 1) == shown - 1  # dragged up with the last line


async def test_a_click_moves_the_cursor_and_a_second_click_reads_the_row() -> None:
    async with bundled().run_test(size=(80, 24)) as pilot:
        screen = await every_activity(pilot)
        await pilot.click("#act-table", offset=(10, 4))  # the header, then rows 0, 1, 2
        await settle(pilot)
        shows_cursor(screen, 3)
        await pilot.click("#act-table", offset=(10, 4))
        await settle(pilot)
        assert screen.has_class("-reading")


def test_the_title_and_deadline_columns_grow_with_the_width() -> None:
    def widths(width: int) -> dict[str, int]:
        return {c.key: c.width for c in layout(width)}

    narrow, wide, widest = widths(80), widths(120), widths(200)
    assert narrow["deadline"] >= 12 and narrow["title"] >= 30
    assert wide["title"] > narrow["title"] and wide["deadline"] > narrow["deadline"]
    assert widest["deadline"] == 24 and "expected_result" in widest
    assert [c.key for c in layout(60)] == ["glyph", "title", "deadline", "responsible"]
    assert [c.key for c in layout(50)] == ["glyph", "title", "deadline"]
    for width in (30, 40, 50, 60, 80, 120, 200):
        columns = layout(width)
        assert sum(c.width for c in columns) + 2 * (len(columns) - 1) + 3 <= width


class Rows:
    """A result of one page, as an activities view gives it."""

    def __init__(self, titles: list[str]) -> None:
        self.frame = pl.DataFrame(
            {
                "glyph": ["✖"] * len(titles),
                "due_status": ["overdue"] * len(titles),
                "title": titles,
                "deadline": ["2026-жылдын III-кварталы"] * len(titles),
                "responsible": ["[i]ӘКІМ[/i]"] * len(titles),
                "sources": ["РБ"] * len(titles),
                "expected_result": [""] * len(titles),
            }
        )

    @property
    def total(self) -> int:
        return self.frame.height

    def page(self, offset: int = 0, limit: int = 50) -> pl.DataFrame:
        return self.frame.slice(offset, limit)


class TableApp(App[None]):
    def __init__(self, rows: Rows) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        yield ActivityTable()

    def on_mount(self) -> None:
        self.query_one(ActivityTable).show(self.rows)


async def test_document_text_is_plain_text_without_control_characters() -> None:
    titles = ["[bold]Жол[/bold] салу\x1b[31m қызыл\x07", "[link=http://x]сілтеме[/link]"]
    app = TableApp(Rows(titles))
    async with app.run_test(size=(160, 10)) as pilot:
        await pilot.pause()
        text = "\n".join(s.text for s in app.screen._compositor.render_strips())
    assert "[bold]Жол[/bold] салу" in text and "[31m" not in text and "\x1b" not in text
    assert "\x07" not in text and "[link=http://x]сілтеме[/link]" in text
    assert "[i]ӘКІМ[/i]" in text
    assert "2026-жылдын III-кварталы" in text  # the whole deadline at 160 columns
