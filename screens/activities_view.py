"""The activities view (``A``): who does what, by when, with whose money, under one row.

Every keystroke is one call to :func:`workbench.analysis.activities.activities_view` (a Polars
query on the prebuilt index); the table holds one window of rows of the result (twice the rows it
shows, at least :data:`PAGE`) and a cursor key that would leave the window refills it around the new
row, so 100 000 activities never become 100 000 table rows. The columns have fixed widths, so
the table never measures its rows. The detail pane follows the cursor a moment later (a held
``j`` does not format every row).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.containers import Horizontal, VerticalScroll
from textual.events import MouseScrollDown, MouseScrollUp, Resize
from textual.geometry import Size, clamp
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Static

from screens.bindings import bindings
from screens.drill import DateScreen, PickerScreen, Scope
from screens.labels import clean, shorten
from screens.main import FilterInput
from screens.textual_leaks import WorkbenchFooter
from workbench.workspace.drill_source import DrillSource

if TYPE_CHECKING:
    from workbench.analysis.activities import ActivitiesView, ActivityFilter, ActivityIndex

PAGE = 40  # the fewest rows in the table's window (it holds twice the rows shown, if more)
NARROW = 100
DETAIL_DELAY = 0.08
WHEEL_ROWS = 3  # rows one notch of the mouse wheel scrolls
STATUS_CYCLE: tuple[str | None, ...] = (None, "overdue", "due", "not_due", "reported", "unknown")
SORT_LABELS = {
    "position": "document order",
    "deadline": "deadline",
    "status": "most urgent first",
    "responsible": "responsible",
    "title": "title",
    "plan": "plan",
}


def fit(text: str, width: int) -> str:
    """``text`` cut (with an ellipsis) or padded with spaces to exactly ``width`` cells."""
    text = shorten(text, width)
    return text + " " * (width - cell_len(text))


class ActivityTable(DataTable[Any]):
    """A table of one window of rows of a longer result, in columns of fixed widths.

    The columns are laid out in one DataTable column: each row is one plain text, its fields
    cut or padded to their widths and two spaces apart (a cell's padding on either side), so
    it looks the same as one cell per column but renders about twice as fast (a DataTable
    renders and styles each cell of each line shown apart). Every row is one line and the
    width is fixed, so new rows are not measured either (a DataTable measures each new cell,
    for auto widths), and :meth:`show` lays a window out at once: its first frame shows the
    rows where they belong.

    The cursor keys (arrows, page up and down, home and end and their ctrl forms) ask ``move``
    first: it returns True when it moved the cursor itself (across windows), else the table
    moves it as usual.
    """

    def __init__(self, move: Callable[[str], bool], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._move = move
        self._widths: list[int] = []

    def set_columns(self, columns: Sequence[tuple[str, int]]) -> None:
        """The columns (label, width in cells); drops every row."""
        self._widths = [width for _, width in columns]
        self.clear(columns=True)
        width = sum(self._widths) + 2 * (len(self._widths) - 1)
        self.add_column(Text(self.line([label for label, _ in columns])), width=width, key="row")

    def line(self, fields: Sequence[str]) -> str:
        """One row's text: its fields at the columns' widths."""
        return "  ".join(fit(text, width) for text, width in zip(fields, self._widths, strict=True))

    def show(self, rows: Iterable[Sequence[str]], *, cursor: int, top: int) -> None:
        """Replace the rows (their fields as plain text); the cursor on row ``cursor``, row
        ``top`` the first one shown."""
        self.clear()
        self.add_rows([Text(self.line(fields), end="")] for fields in rows)
        header = self.header_height if self.show_header else 0
        width = sum(column.get_render_width(self) for column in self.columns.values())
        self.virtual_size = Size(width, header + self.row_count)
        if self.row_count:
            self.place(cursor=cursor, top=top)

    def place(self, *, cursor: int, top: int) -> None:
        """The cursor on row ``cursor``, row ``top`` first on the screen, both at once."""
        # Scrolled first: the cursor, moved onto a row shown, then asks for no scroll of its own
        # (one asked for would come after the next refresh and undo this one).
        self.scroll_to(y=top, animate=False, immediate=True, force=True)
        self.move_cursor(row=cursor, animate=False, scroll=False)

    @property
    def shown_rows(self) -> int:
        """How many rows the table shows at its current size (at least one)."""
        header = self.header_height if self.show_header else 0
        return max(1, self.scrollable_content_region.height - header)

    def _update_dimensions(self, new_rows: Iterable[Any]) -> None:
        if not any(column.auto_width for column in self.columns.values()):
            new_rows = ()  # fixed widths and one-line rows: nothing to measure
        super()._update_dimensions(new_rows)

    def action_cursor_down(self) -> None:
        if not self._move("down"):
            super().action_cursor_down()

    def action_cursor_up(self) -> None:
        if not self._move("up"):
            super().action_cursor_up()

    def action_page_down(self) -> None:
        if not self._move("pagedown"):
            super().action_page_down()

    def action_page_up(self) -> None:
        if not self._move("pageup"):
            super().action_page_up()

    def action_scroll_top(self) -> None:
        if not self._move("first"):
            super().action_scroll_top()

    def action_scroll_bottom(self) -> None:
        if not self._move("last"):
            super().action_scroll_bottom()

    # The mouse wheel scrolls the whole result, not only the window held: the screen moves the
    # rows shown (and the cursor along, where it would leave the screen). Shift or ctrl with
    # the wheel is a sideways scroll, left to the table.
    def on_mouse_scroll_down(self, event: MouseScrollDown) -> None:
        if not (event.ctrl or event.shift) and self._move("wheeldown"):
            event.prevent_default()
            event.stop()

    def on_mouse_scroll_up(self, event: MouseScrollUp) -> None:
        if not (event.ctrl or event.shift) and self._move("wheelup"):
            event.prevent_default()
            event.stop()

    # Home and End: the first and the last row (the columns always fit the width).
    def action_scroll_home(self) -> None:
        self.action_scroll_top()

    def action_scroll_end(self) -> None:
        self.action_scroll_bottom()


class ActivitiesScreen(Screen[tuple[str, str] | None]):
    """The activities of a scope: table, filters, quarter timeline and detail.

    Dismissed with (plan_id, node_id) of an indicator to jump to in the tree, or None.
    """

    CSS_PATH = "drill.tcss"
    BINDINGS: ClassVar = bindings(
        "close",
        "filter",
        "act_sort",
        "act_status",
        "act_quarter",
        "act_body",
        "act_source",
        "act_clear",
        "as_of",
        "act_mark",
        "act_indicators",
        "bodies",
        "act_timeline",
        "annotate",
        "cursor_down",
        "cursor_up",
        "first",
        "last",
        actions={
            "close": "screen.back",
            "bodies": "screen.owner_body",
            "cursor_down": "screen.table('cursor_down')",
            "cursor_up": "screen.table('cursor_up')",
            "first": "screen.first_row",
            "last": "screen.last_row",
        },
    )

    class Ready(Message):
        def __init__(self, index: ActivityIndex, note: str = "") -> None:
            self.index = index
            self.note = note
            super().__init__()

    class Failed(Message):
        def __init__(self, text: str) -> None:
            self.text = text
            super().__init__()

    def __init__(
        self,
        source: DrillSource,
        scope: Scope,
        *,
        as_of: date | None = None,
        via_indicator: bool = False,
        body: str | None = None,
        sort: str = "position",
    ) -> None:
        super().__init__()
        self.source = source
        self.scope = scope
        self.via_indicator = via_indicator
        self.as_of = as_of or source.as_of or date.today()
        self.index: ActivityIndex | None = None
        self.view: ActivitiesView | None = None
        self.sort = sort
        self.status: str | None = None
        self.quarter: str | None = None
        self.body: str | None = body  # a responsible body's code: its activities only
        self.funding_source: str | None = None
        self.text = ""
        self.start = 0  # the result's row shown in the table's first row
        self.show_timeline: bool | None = None  # None: by width
        self._shown_columns: list[tuple[str, int]] = []
        self._shown_timeline: Text | None = None
        self._shown_top: Text | None = None
        self._detail_timer: Timer | None = None

    def compose(self) -> Any:
        yield Static(id="act-top")
        with Horizontal(id="act-body"):
            yield ActivityTable(self._move, id="act-table", cursor_type="row", zebra_stripes=True)
            yield Static(id="act-timeline")
        with VerticalScroll(id="act-detail-box"):
            yield Static(id="act-detail")
        yield FilterInput(
            self._text_typed, placeholder="words in title, measures or result", id="act-filter"
        )
        yield WorkbenchFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#act-filter").display = False
        self.query_one("#act-detail", Static).update(Text("Loading the activities …"))
        self._update_top()
        self.query_one(DataTable).focus()
        built = self.source.built_activities
        if built is not None:  # opened before: no thread, and the first frame has the rows
            self._ready(built)
            # Then the marks read again (one undone since, or saved by another process).
            self.run_worker(
                lambda: self._load(unless=built), thread=True, group="act-load", exclusive=True
            )
        else:
            self.run_worker(self._load, thread=True, group="act-load", exclusive=True)

    def _load(self, unless: ActivityIndex | None = None) -> None:
        from workbench.errors import WorkbenchError

        try:
            index = self.source.activities()
        except WorkbenchError as exc:
            self.post_message(self.Failed(str(exc)))
        else:
            if index is not unless:
                self.post_message(self.Ready(index, self.source.marks_problem or ""))

    def on_activities_screen_failed(self, message: Failed) -> None:
        self.query_one("#act-detail", Static).update(Text(f"Cannot read: {message.text}"))

    def on_activities_screen_ready(self, message: Ready) -> None:
        self._ready(message.index, message.note)

    def _ready(self, index: ActivityIndex, note: str = "") -> None:
        from workbench.analysis.links import anchor_of

        self.index = index
        scope = self.scope
        if self.via_indicator and scope.plan_id and scope.node_id:
            # An indicator has no activities of its own: show those of its goal or task.
            self.via_indicator = False
            anchor = anchor_of(self.index, scope.plan_id, scope.node_id)
            if anchor is not None:
                label = f"{anchor.via_kind} {anchor.code or ''} of {scope.label}"
                self.scope = Scope(
                    label, city=scope.city, plan_id=anchor.plan_id, node_id=anchor.node_id
                )
        self.refresh_view()
        if note:
            self.notify(note, timeout=3)

    # -- the query ---------------------------------------------------------------------------

    def filters(self) -> ActivityFilter:
        from workbench.analysis.activities import ActivityFilter

        return ActivityFilter(
            statuses=(self.status,) if self.status else (),
            quarters=(self.quarter,) if self.quarter else (),
            bodies=(self.body,) if self.body else (),
            sources=(self.funding_source,) if self.funding_source else (),
            text=self.text or None,
        )

    def refresh_view(self, *, keep: tuple[str, str] | None = None) -> None:
        """Run the query for the current scope, date, filter and sort; show its first page."""
        from workbench.analysis.activities import activities_view

        if self.index is None:
            return
        scope = self.scope
        self.view = activities_view(
            self.index,
            city=scope.city,
            plan_id=scope.plan_id,
            node_id=scope.node_id,
            as_of=self.as_of,
            filters=self.filters(),
            sort=self.sort,
        )
        self.start = 0
        self._fill(cursor=0, top=0)
        self._update_top()
        self._update_timeline()
        if not self.view.total:
            self._show_empty()

    def _columns(self) -> list[tuple[str, int]]:
        width = max(self.size.width, 60)
        if width >= NARROW:
            width -= 34 + 1  # the timeline beside the table
        # Five columns of fixed width, two cells of padding each, and the scrollbar.
        fixed = 1 + 12 + 14 + 10 + 2 * 5 + 2
        if width >= 110:
            result = 30
            return [
                ("", 1),
                ("activity", width - fixed - result - 2),
                ("deadline", 12),
                ("responsible", 14),
                ("sources", 10),
                ("expected result", result),
            ]
        return [
            ("", 1),
            ("activity", max(16, width - fixed)),
            ("deadline", 12),
            ("responsible", 14),
            ("sources", 10),
        ]

    @property
    def table(self) -> ActivityTable:
        return self.query_one("#act-table", ActivityTable)

    def window_rows(self) -> int:
        """How many rows of the result the table holds: twice those it shows, so a window
        around the cursor covers the screen; at least :data:`PAGE`. Before the table is laid
        out (the first fill, from the top), the terminal's height: it covers the screen."""
        table = self.table
        if not table.size.height:
            return max(PAGE, self.app.size.height)
        return max(PAGE, 2 * table.shown_rows + 2)

    def _fill(self, *, cursor: int, top: int) -> None:
        """Show the window of rows from :attr:`start`: the cursor on its row ``cursor``, its
        row ``top`` first on the screen (moved as little as needed to show the cursor)."""
        table = self.table
        assert self.view is not None
        columns = self._columns()
        if columns != self._shown_columns:
            table.set_columns(columns)
            self._shown_columns = columns
        page = self.view.page(self.start, self.window_rows())
        names = ["glyph", "title", "deadline", "responsible", "sources", "expected_result"]
        rows = [
            [clean(text) for text in row] for row in page.select(names[: len(columns)]).iter_rows()
        ]
        cursor = clamp(cursor, 0, max(len(rows) - 1, 0))
        shown = table.shown_rows
        top = clamp(top, cursor - shown + 1, cursor)
        top = clamp(top, 0, max(len(rows) - shown, 0))
        table.show(rows, cursor=cursor, top=top)
        self._schedule_detail()

    def go_to(self, at: int, top: int | None = None) -> None:
        """Put the cursor on row ``at`` of the result, row ``top`` (as near as the cursor
        allows; by default the same place on screen) first on the screen; the window is
        refilled around ``at`` when it does not hold every row shown."""
        view = self.view
        if view is None or not view.total:
            return
        table = self.table
        at = clamp(at, 0, view.total - 1)
        shown = table.shown_rows
        if top is None:
            top = self.start + round(table.scroll_y)
        top = clamp(top, at - shown + 1, at)
        top = clamp(top, 0, max(view.total - shown, 0))
        end = self.start + table.row_count
        if self.start <= top and min(top + shown, view.total) <= end and self.start <= at < end:
            table.place(cursor=at - self.start, top=top - self.start)
        else:
            size = self.window_rows()
            self.start = clamp(at - size // 2, 0, max(view.total - size, 0))
            self._fill(cursor=at - self.start, top=top - self.start)
        self._update_top()

    def _move(self, how: str) -> bool:
        """A cursor key on the table (down, up, pagedown, pageup, first, last) or a notch of
        the mouse wheel (wheeldown, wheelup). True when the screen moved the cursor or the rows:
        the move leaves the window or reaches its edge, or is a jump or a scroll; False lets the
        table move its cursor within the window."""
        view = self.view
        if view is None or not view.total:
            return False
        table = self.table
        row = table.cursor_row
        at = self.start + row
        shown = table.shown_rows
        top = self.start + round(table.scroll_y)
        if how in ("down", "up"):
            target = at + (1 if how == "down" else -1)
            rows = table.row_count
            inside = self.start < target < self.start + rows - 1
            at_an_end = target in (0, view.total - 1) and 0 <= target - self.start < rows
            if inside or at_an_end or not 0 <= target < view.total:
                return False
            self.go_to(target)
        elif how in ("pagedown", "pageup"):
            step = shown if how == "pagedown" else -shown
            self.go_to(at + step, top + step)
        elif how in ("wheeldown", "wheelup"):
            step = WHEEL_ROWS if how == "wheeldown" else -WHEEL_ROWS
            first = clamp(top + step, 0, max(view.total - shown, 0))
            self.go_to(clamp(at, first, first + shown - 1), first)
        elif how == "first":
            self.go_to(0, 0)
        elif how == "last":
            self.go_to(view.total - 1, view.total - shown)
        else:
            return False
        return True

    @on(DataTable.RowHighlighted, "#act-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        # Filling the table posts a highlight of its first row too: only the current one counts.
        if self.view is None or event.cursor_row != self.table.cursor_row:
            return
        self._schedule_detail()
        self._update_top()

    @property
    def cursor_at(self) -> int:
        """The cursor's row in the whole result."""
        return self.start + max(self.query_one(DataTable).cursor_row, 0)

    def selected(self) -> tuple[str, str] | None:
        """(plan_id, node_id) of the activity under the cursor."""
        if self.view is None or not self.view.total:
            return None
        row = self.view.rows_at(self.cursor_at, 1)
        if row.is_empty():
            return None
        return str(row.item(0, "plan_id")), str(row.item(0, "node_id"))

    # -- the detail and the timeline ---------------------------------------------------------

    def _schedule_detail(self) -> None:
        if self._detail_timer is not None:
            self._detail_timer.stop()
        self._detail_timer = self.set_timer(DETAIL_DELAY, self.flush_detail)

    @property
    def detail_pending(self) -> bool:
        return self._detail_timer is not None

    def flush_detail(self) -> None:
        from workbench.analysis.activities import activity_detail

        if self._detail_timer is not None:
            self._detail_timer.stop()
            self._detail_timer = None
        key = self.selected()
        if key is None or self.index is None:
            return
        detail = activity_detail(self.index, *key, as_of=self.as_of)
        if detail is None:
            return
        self.query_one("#act-detail", Static).update(detail_text(detail))

    def _show_empty(self) -> None:
        assert self.view is not None
        text = Text()
        text.append(f"No activity matches here ({self.view.in_scope} under this row).\n")
        text.append("X drops every filter · x status · c quarter · b body · $ source · / words")
        self.query_one("#act-detail", Static).update(text)

    def _update_timeline(self) -> None:
        widget = self.query_one("#act-timeline", Static)
        wide = self.size.width >= NARROW
        shown = wide if self.show_timeline is None else self.show_timeline
        widget.display = shown
        self.query_one("#act-detail-box").display = wide or not shown
        if self.view is not None and shown:
            text = timeline_text(self.view)
            if text != self._shown_timeline:  # a sort keeps it
                # A fixed box (CSS): no layout needed.
                widget.update(text, layout=False)
                self._shown_timeline = text

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW, "-narrow")
        self._update_timeline()
        # The table is laid out at its new size after this event.
        self.call_after_refresh(self._resized)

    def _resized(self) -> None:
        """Refill when the columns change (the width) or the window does not hold every row
        shown (the height)."""
        view = self.view
        if view is None or not view.total:
            return
        table = self.table
        top = self.start + round(table.scroll_y)
        short = self.start + table.row_count < min(top + table.shown_rows, view.total)
        if self._columns() != self._shown_columns or short:
            at = self.cursor_at
            size = self.window_rows()
            self.start = clamp(at - size // 2, 0, max(view.total - size, 0))
            self._fill(cursor=at - self.start, top=top - self.start)

    def _update_top(self) -> None:
        from workbench.analysis.activities import DUE_GLYPHS, DUE_LABELS, DUE_STATUSES

        width = max(self.size.width, 40)
        top = Text()
        top.append(" Activities ", style="bold reverse")
        view = self.view
        at = ""
        if view is not None:
            at = f"{self.cursor_at + 1}/" if view.total else ""
            at = f" · {at}{view.total} of {view.in_scope}"
        tail = f" · as of {self.as_of.isoformat()}{at}"
        room = max(10, width - len(tail) - 14)
        top.append(f" {shorten(clean(self.scope.label), room)}")
        top.append(tail)
        if view is None:
            top.append(" · loading…", style="italic")
        second = Text(" ")
        if view is not None:
            for status in DUE_STATUSES:
                count = view.counts[status]
                if not count and status != self.status:
                    continue
                style = "bold reverse" if status == self.status else ""
                second.append(f"{DUE_GLYPHS[status]} {DUE_LABELS[status]} {count}", style=style)
                second.append("  ")
            chosen = []
            if self.quarter:
                chosen.append(f"quarter {self.quarter}")
            if self.body:
                chosen.append(f"body {self.body}")
            if self.funding_source:
                chosen.append(f"source {self.funding_source}")
            if self.text:
                chosen.append(f"/{shorten(clean(self.text), 12)}")
            if chosen:
                second.append("· " + ", ".join(chosen) + " ", style="bold")
            second.append(f"· sort: {SORT_LABELS[self.sort]}", style="dim")
        for line in (top, second):
            line.truncate(width, overflow="ellipsis")
        text = Text("\n").join([top, second])
        if text != self._shown_top:
            # Always two lines (CSS: auto, at most 2): no layout needed.
            self.query_one("#act-top", Static).update(text, layout=False)
            self._shown_top = text

    # -- keys ----------------------------------------------------------------------------------

    def action_back(self) -> None:
        """Esc: from the full detail back to the table, else back to the tree."""
        if self.has_class("-reading"):
            self.remove_class("-reading")
            self.query_one(DataTable).focus()
            return
        self.dismiss(None)

    @on(DataTable.RowSelected, "#act-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        """Enter: the activity's full texts on the whole screen (Esc back)."""
        self.flush_detail()
        self.add_class("-reading")
        self.query_one("#act-detail-box").focus()

    def action_table(self, action: str) -> None:
        """j and k (the tree's keys) move the table's cursor too."""
        table = self.query_one(DataTable)
        table.action_cursor_down() if action == "cursor_down" else table.action_cursor_up()

    def action_first_row(self) -> None:
        self._move("first")

    def action_last_row(self) -> None:
        self._move("last")

    def action_cycle_sort(self) -> None:
        from workbench.analysis.activities import SORT_KEYS

        keys = list(SORT_KEYS)
        self.sort = keys[(keys.index(self.sort) + 1) % len(keys)]
        self.refresh_view()

    def action_cycle_status(self) -> None:
        at = STATUS_CYCLE.index(self.status) if self.status in STATUS_CYCLE else 0
        self.status = STATUS_CYCLE[(at + 1) % len(STATUS_CYCLE)]
        self.refresh_view()

    def action_clear_filters(self) -> None:
        self.status = self.quarter = self.body = self.funding_source = None
        self.text = ""
        self.refresh_view()

    def _scoped(self) -> Any:
        assert self.index is not None
        return self.index.scope(**self.scope.query())

    def action_pick_quarter(self) -> None:
        if self.view is None:
            return
        entries = [("", "every quarter")]
        for quarter, due, overdue in self.view.timeline.select(
            "quarter", "due", "overdue"
        ).iter_rows():
            if quarter is not None and due:
                entries.append((quarter, f"{quarter}   {due} due, {overdue} overdue"))
        self.app.push_screen(PickerScreen("Quarter", entries), self._quarter_chosen)

    def _quarter_chosen(self, choice: str | None) -> None:
        if choice is not None:
            self.quarter = choice or None
            self.refresh_view()

    def action_pick_body(self) -> None:
        if self.index is None:
            return
        codes = (
            self._scoped()
            .get_column("bodies")
            .explode(empty_as_null=False)
            .drop_nulls()
            .value_counts(sort=True)
        )
        entries = [("", "every responsible body")]
        for code, count in codes.iter_rows():
            entries.append((str(code), f"{self.index.body_name(str(code))} ({code}) · {count}"))
        self.app.push_screen(PickerScreen("Responsible body", entries), self._body_chosen)

    def _body_chosen(self, choice: str | None) -> None:
        if choice is not None:
            self.body = choice or None
            self.refresh_view()

    def action_pick_source(self) -> None:
        if self.index is None:
            return
        codes = (
            self._scoped().get_column("funding_sources").explode(empty_as_null=False).drop_nulls()
        )
        entries = [("", "every funding source")]
        for code, count in codes.value_counts(sort=True).iter_rows():
            entries.append((str(code), f"{self.index.funding_name(str(code))} ({code}) · {count}"))
        self.app.push_screen(PickerScreen("Funding source", entries), self._source_chosen)

    def _source_chosen(self, choice: str | None) -> None:
        if choice is not None:
            self.funding_source = choice or None
            self.refresh_view()

    def action_filter(self) -> None:
        self.query_one("#act-filter", FilterInput).open(self.text)

    def _text_typed(self, value: str) -> None:
        if value == self.text or not self.is_mounted:
            return
        self.text = value
        self.refresh_view()

    @on(FilterInput.Submitted, "#act-filter")
    def _text_submitted(self, event: FilterInput.Submitted) -> None:
        self._close_text(keep=True)

    def on_filter_input_done(self, message: FilterInput.Done) -> None:
        self._close_text(keep=message.keep)

    def _close_text(self, *, keep: bool) -> None:
        self.query_one("#act-filter").display = False
        self.query_one(DataTable).focus()
        if not keep and self.text:
            self.text = ""
            self.refresh_view()

    def action_choose_as_of(self) -> None:
        hint = "Statuses are computed for this day · Enter accept · Esc cancel"
        self.app.push_screen(DateScreen("As of", self.as_of, hint), self._as_of_chosen)

    def _as_of_chosen(self, day: date | None) -> None:
        if day is not None and day != self.as_of:
            self.as_of = day
            self.refresh_view()

    def action_toggle_timeline(self) -> None:
        wide = self.size.width >= NARROW
        current = wide if self.show_timeline is None else self.show_timeline
        self.show_timeline = not current
        self._update_timeline()

    def action_mark_reported(self) -> None:
        key = self.selected()
        if key is None:
            return
        hint = "Reported (done) on this day · Enter save · Esc cancel"
        self.app.push_screen(
            DateScreen("Mark reported", self.as_of, hint),
            lambda day: self._mark(key, day),
        )

    def _mark(self, key: tuple[str, str], day: date | None) -> None:
        if day is None:
            return

        def save() -> None:
            from workbench.errors import WorkbenchError

            try:
                index = self.source.mark_reported(*key, day)
            except WorkbenchError as exc:
                self.post_message(self.Failed(str(exc)))
            else:
                self.post_message(self.Ready(index, f"Saved: reported on {day.isoformat()}"))

        self.run_worker(save, thread=True, group="act-mark")

    def action_show_indicators(self) -> None:
        from workbench.analysis.links import activity_indicators

        key = self.selected()
        if key is None or self.index is None:
            return
        linked = activity_indicators(self.index, *key)
        if linked.rows.is_empty():
            self.notify("No indicator under this activity's goal or task", timeout=3)
            return
        assert linked.anchor is not None
        entries = [
            (f"{plan}\t{node}", f"{code or ''} {clean(title)}".strip())
            for plan, node, code, title in linked.rows.select(
                "plan_id", "node_id", "code", "title"
            ).iter_rows()
        ]
        anchor = f"{linked.anchor.via_kind} {linked.anchor.code or ''}".strip()
        title = f"Indicators of its {anchor} · Enter jumps to one"
        self.app.push_screen(PickerScreen(title, entries), self._indicator_chosen)

    def _indicator_chosen(self, choice: str | None) -> None:
        if choice:
            plan_id, node_id = choice.split("\t", 1)
            self.dismiss((plan_id, node_id))

    def action_annotate(self) -> None:
        """``a``: the annotation form of issue 6 on the selected activity (the node as a whole),
        through the app's workspace session."""
        key = self.selected()
        session = getattr(self.app, "session", None)
        if key is None:
            return
        if session is None:
            self.notify("No workspace here: annotations are not available", timeout=3)
            return
        from screens.annotation_form import AnnotationForm

        row = self.view.rows_at(self.cursor_at, 1).row(0, named=True) if self.view else {}
        heading = Text("ACTIVITY  ", style="dim")
        heading.append(shorten(clean(str(row.get("title", ""))), 120), style="bold")
        heading.append(f"\n{clean(str(row.get('city', '')))} · {key[0]}", style="dim")

        def saved(note: Any) -> None:
            if note is not None:
                self.notify(f"Annotation #{note.id} saved", timeout=3)

        # The form of issue 6 takes the app's session and saves through its workspace.
        self.app.push_screen(AnnotationForm(session, key[0], key[1], None, heading), saved)

    def action_owner_body(self) -> None:
        from screens.body_view import BodyScreen

        key = self.selected()
        if key is None or self.index is None:
            return
        row = self.view.rows_at(self.cursor_at, 1) if self.view else None
        codes: list[str] = row.item(0, "bodies").to_list() if row is not None else []
        if not codes:
            self.notify("No responsible body is known for this activity", timeout=3)
            return

        def open_body(code: str | None) -> None:
            if code:
                self.app.push_screen(BodyScreen(self.source, code, as_of=self.as_of))

        if len(codes) == 1:
            open_body(codes[0])
            return
        entries = [(c, f"{self.index.body_name(c)} ({c})") for c in codes]
        self.app.push_screen(PickerScreen("Which body", entries), open_body)


def detail_text(detail: dict[str, Any]) -> Text:
    """The detail pane of one activity: every full text, as plain text."""
    text = Text()
    code = f"{detail['code']} " if detail.get("code") else ""
    text.append(f"{code}{clean(str(detail['title']))}\n", style="bold")
    deadline = detail.get("deadline_raw") or "no deadline printed"
    span = ""
    if detail.get("due_end") is not None:
        span = f" ({detail['due_start']} – {detail['due_end']}, {detail.get('quarter')})"
    text.append(f"{detail['glyph']} {detail['status_label']}", style="bold")
    text.append(f" · {clean(str(deadline))}{span}\n")
    if detail.get("marked_on") is not None:
        text.append(f"✔ marked reported on {detail['marked_on']}\n")

    def field(label: str, value: object) -> None:
        if value is None or value == "" or value == []:
            return
        if isinstance(value, list):
            value = "; ".join(str(v) for v in value)
        text.append(f"{label}: ", style="bold")
        text.append(clean(str(value)) + "\n")

    field("Responsible", detail.get("responsible"))
    field("Bodies", detail.get("body_names"))
    field("Funding", detail.get("funding_names") or detail.get("funding_raw"))
    field("Section", detail.get("section"))
    field("Measures", detail.get("measures"))
    field("Expected result", detail.get("expected_result"))
    field("Completion form", detail.get("completion_form"))
    field("Report", detail.get("report"))
    money = detail.get("funding")
    if money is not None and getattr(money, "height", False):
        for year, source, kind, _amount, raw, currency, _comment in money.iter_rows():
            text.append(f"  {kind} {year or ''} {source or ''}: {raw} {currency}\n")
    field("Plan", detail.get("plan_id"))
    return text


def timeline_text(view: ActivitiesView, *, width: int = 12) -> Text:
    """Per deadline quarter a bar of the activities falling due, ✖ for those overdue."""
    text = Text()
    text.append("Due per quarter\n", style="bold")
    line = view.timeline
    if line.is_empty():
        text.append("no deadlines")
        return text
    most = max(int(line.get_column("due").max() or 0), 1)  # type: ignore[arg-type]
    for quarter, due, overdue, reported in line.select(
        "quarter", "due", "overdue", "reported"
    ).iter_rows():
        bar = round(due / most * width)
        late = min(bar, round(overdue / most * width)) if overdue else 0
        text.append(f"{quarter or 'no date':<8}")
        text.append("✖" * late, style="red")
        text.append("█" * (bar - late))
        text.append(" " * (width - bar))
        text.append(f" {due}")
        if overdue:
            text.append(f" ✖{overdue}", style="bold red")
        if reported:
            text.append(f" ✔{reported}")
        text.append("\n")
    return text
