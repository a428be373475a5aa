"""The activities table: Textual's Line API over the rows of an activities view.

A :class:`~textual.scroll_view.ScrollView` whose virtual height is the result's row count (plus
the header line): Textual asks :meth:`ActivityTable.render_line` for the lines on screen only,
and the widget fetches those rows from the view in one Polars slice (a block of
:data:`BLOCK` rows, kept while the view stays), so 100 000 activities cost what the 30 rows
shown cost. This is how Textual's own ``DataTable`` and VisiData draw a long sheet.

Every field is document text: it is cleaned of control characters and drawn as a
:class:`rich.text.Text`, never read as markup. The columns share the widget's width: the title
takes what the fixed columns leave, and the deadline grows with it (a long deadline such as
"2026-жылдын III-кварталы" shows whole at a wide terminal).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Protocol

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size, clamp
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from screens.bindings import bindings
from screens.labels import clean, shorten
from workbench.i18n import N_, _

if TYPE_CHECKING:
    import polars as pl

BLOCK = 64  # rows fetched from the view at once
BLOCKS_KEPT = 8
LINES_KEPT = 1000  # drawn lines kept (a long scroll does not keep every line it drew)
WHEEL_ROWS = 3  # rows one notch of the mouse wheel scrolls
GAP = 2  # cells between two columns
# What a row draws, of a page of the view: the glyph, the status (its colour), the columns.
FIELDS = ("glyph", "due_status", "title", "deadline", "responsible", "sources", "expected_result")
STATUS_CLASSES = {
    "overdue": "activity-table--overdue",
    "due": "activity-table--due",
    "reported": "activity-table--reported",
}


class PagedRows(Protocol):
    """What the table shows: a result of ``total`` rows, read a slice at a time
    (:meth:`workbench.analysis.activities.ActivitiesView.page` and its columns)."""

    @property
    def total(self) -> int: ...

    def page(self, offset: int = 0, limit: int = 50) -> pl.DataFrame: ...


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # the page column it shows
    label: str
    width: int


def layout(width: int) -> list[Column]:
    """The columns for a table ``width`` cells wide (its scrollbar included).

    Fixed widths for the status glyph, responsible body and sources; the expected result from
    110 cells; the title takes the rest, and once it has 28 cells the deadline takes two thirds
    of what it gains beyond them, up to 24 cells (the longest deadlines printed). Narrower than
    64 cells, the sources and then the responsible body give their room to the title.
    """
    room = max(width, 20) - 1 - 2  # the scrollbar, a cell of margin on either side
    optional = [Column("responsible", N_("responsible"), 14), Column("sources", N_("sources"), 10)]
    if room >= 110:
        optional.append(Column("expected_result", N_("expected result"), 30))
    while True:
        used = sum(c.width + GAP for c in optional)
        title = room - 1 - GAP - 12 - GAP - used
        if title >= 24 or not optional:
            break
        optional.pop()
    title = max(title, 8)
    deadline = 12
    if title > 28:
        grow = min(12, (title - 28) * 2 // 3)
        deadline += grow
        title -= grow
    return [
        Column("glyph", "", 1),
        Column("title", N_("activity"), title),
        Column("deadline", N_("deadline"), deadline),
        *optional,
    ]


def fit(text: str, width: int) -> str:
    """``text`` cut (with an ellipsis) or padded with spaces to exactly ``width`` cells."""
    text = shorten(text, width)
    return text + " " * (width - cell_len(text))


class ActivityTable(ScrollView, can_focus=True):
    """One line per activity of a :class:`PagedRows` result, a header line, and a row cursor.

    Keys (the app's keymap remaps them): up/down and j/k one row, page up/down a screenful
    (the cursor keeps its line), home/end and g/G the first and last row, Enter selects. The
    wheel scrolls three rows and drags the cursor along when it would leave the screen; a
    click moves the cursor, a click on the cursor's row selects it.
    """

    DEFAULT_CSS = """
    ActivityTable {
        background: $surface;
        overflow-x: hidden;
        & > .activity-table--header { text-style: bold; background: $panel; }
        & > .activity-table--even-row { background: $surface-lighten-1 50%; }
        & > .activity-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
        }
        &:focus > .activity-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        & > .activity-table--overdue { color: $error; text-style: bold; }
        & > .activity-table--due { color: $warning; }
        & > .activity-table--reported { color: $success; }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "activity-table--header",
        "activity-table--even-row",
        "activity-table--cursor",
        *STATUS_CLASSES.values(),
    }
    BINDINGS: ClassVar = [
        *bindings("cursor_down", "cursor_up", "page_down", "page_up", "first", "last"),
        Binding("enter", "select", "Select", show=False),
    ]

    class Highlighted(Message):
        """The cursor moved onto row ``row`` of the result."""

        def __init__(self, table: ActivityTable, row: int) -> None:
            self.table = table
            self.row = row
            super().__init__()

        @property
        def control(self) -> ActivityTable:
            return self.table

    class Selected(Message):
        """Enter (or a click) on row ``row`` of the result."""

        def __init__(self, table: ActivityTable, row: int) -> None:
            self.table = table
            self.row = row
            super().__init__()

        @property
        def control(self) -> ActivityTable:
            return self.table

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.rows: PagedRows | None = None
        self._cursor = 0
        self._columns: list[Column] = []
        self._columns_width = 0  # the width they were laid out for
        self._styles: dict[str, Style] = {}
        self._blocks: OrderedDict[int, list[dict[str, str]]] = OrderedDict()
        self._lines: dict[tuple[int, bool], Strip] = {}

    # -- what is shown ---------------------------------------------------------------------

    def show(self, rows: PagedRows | None, *, cursor: int = 0) -> None:
        """Show a new result, the cursor on row ``cursor`` and that row on screen."""
        self.rows = rows
        self._blocks.clear()
        self._lines.clear()
        self._cursor = clamp(cursor, 0, max(self.total - 1, 0))
        self._set_virtual_size()
        self.scroll_to(y=0, animate=False, force=True)
        self._scroll_to_cursor(None)
        self.refresh()
        if self.total:
            self.post_message(self.Highlighted(self, self._cursor))

    @property
    def total(self) -> int:
        return self.rows.total if self.rows is not None else 0

    @property
    def cursor_row(self) -> int:
        """The cursor's row in the whole result (0 when it is empty)."""
        return self._cursor

    @property
    def shown_rows(self) -> int:
        """How many rows fit under the header (at least one)."""
        return max(1, self.scrollable_content_region.height - 1)

    @property
    def first_shown(self) -> int:
        """The row of the result on the line under the header."""
        return round(self.scroll_y)

    @property
    def columns(self) -> list[Column]:
        """The columns at the table's width (the terminal's before the table is laid out)."""
        width = self.size.width or self.app.size.width
        if width != self._columns_width:
            self._columns = layout(width)
            self._columns_width = width
            self._lines.clear()
        return self._columns

    def _set_virtual_size(self) -> None:
        width = sum(c.width for c in self.columns) + GAP * (len(self.columns) - 1) + 2
        self.virtual_size = Size(width, self.total + 1)

    # -- the cursor ------------------------------------------------------------------------

    def move_cursor(self, row: int, *, top: int | None = None) -> None:
        """The cursor on row ``row``; row ``top`` first on screen as near as the cursor allows
        (by default the rows move only as far as needed to show the cursor)."""
        if not self.total:
            return
        row = clamp(row, 0, self.total - 1)
        old = self._cursor
        self._cursor = row
        self._scroll_to_cursor(top)
        if row != old:
            self._refresh_row(old)
            self._refresh_row(row)
            self.post_message(self.Highlighted(self, row))

    def _scroll_to_cursor(self, top: int | None) -> None:
        shown = self.shown_rows
        first = self.first_shown if top is None else top
        first = clamp(first, self._cursor - shown + 1, self._cursor)
        first = clamp(first, 0, max(self.total - shown, 0))
        if first != self.first_shown:
            self.scroll_to(y=first, animate=False, force=True)

    def _refresh_row(self, row: int) -> None:
        self._lines.pop((row, True), None)
        self._lines.pop((row, False), None)
        self.refresh_line(row + 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self._cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(self._cursor - 1)

    def action_page_down(self) -> None:
        step = self.shown_rows
        self.move_cursor(self._cursor + step, top=self.first_shown + step)

    def action_page_up(self) -> None:
        step = self.shown_rows
        self.move_cursor(self._cursor - step, top=self.first_shown - step)

    def action_scroll_home(self) -> None:
        self.move_cursor(0, top=0)

    def action_scroll_end(self) -> None:
        self.move_cursor(self.total - 1, top=self.total)

    def action_select(self) -> None:
        if self.total:
            self.post_message(self.Selected(self, self._cursor))

    def _wheel(self, event: events.MouseScrollDown | events.MouseScrollUp, step: int) -> None:
        # Shift or ctrl with the wheel is a sideways scroll: nothing to scroll sideways here.
        event.prevent_default()
        event.stop()
        if event.ctrl or event.shift or not self.total:
            return
        shown = self.shown_rows
        first = clamp(self.first_shown + step, 0, max(self.total - shown, 0))
        self.move_cursor(clamp(self._cursor, first, first + shown - 1), top=first)

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self._wheel(event, WHEEL_ROWS)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self._wheel(event, -WHEEL_ROWS)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1 or not self.total:
            return  # the header, the scrollbar or an empty table
        row = self.first_shown + offset.y - 1
        if row >= self.total:
            return
        if row == self._cursor:
            self.action_select()
        else:
            self.move_cursor(row)

    def on_resize(self, event: events.Resize) -> None:
        self._set_virtual_size()
        self._scroll_to_cursor(None)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()  # a new theme: new colours
        self._lines.clear()

    def on_focus(self) -> None:
        self.notify_style_update()  # the cursor's colour with and without the focus

    def on_blur(self) -> None:
        self.notify_style_update()

    # -- drawing ---------------------------------------------------------------------------

    def _row(self, row: int) -> dict[str, str]:
        """The :data:`FIELDS` of row ``row``, cleaned of control characters."""
        block, at = divmod(row, BLOCK)
        fields = self._blocks.get(block)
        if fields is None:
            assert self.rows is not None
            page = self.rows.page(block * BLOCK, BLOCK).select(FIELDS)
            fields = [
                dict(zip(FIELDS, map(clean, values), strict=True)) for values in page.iter_rows()
            ]
            self._blocks[block] = fields
            while len(self._blocks) > BLOCKS_KEPT:
                self._blocks.popitem(last=False)
        else:
            self._blocks.move_to_end(block)
        return fields[at]

    def _style(self, name: str) -> Style:
        """A component class's style (``""``: the widget's own), looked up once per theme."""
        found = self._styles.get(name)
        if found is None:
            found = (
                self.rich_style if not name else self.get_component_rich_style(name, partial=True)
            )
            self._styles[name] = found
        return found

    def _header(self) -> Strip:
        style = self._style("") + self._style("activity-table--header")
        text = Text(" ", end="")
        text.append("  ".join(fit(_(c.label) if c.label else "", c.width) for c in self.columns))
        return self._strip(text, style)

    def _strip(self, text: Text, style: Style) -> Strip:
        text.stylize_before(style)  # the row's style under the glyph's colour
        strip = Strip(text.render(self.app.console, end=""))
        return strip.adjust_cell_length(self.size.width, style)

    def _line(self, row: int) -> Strip:
        cursor = row == self._cursor
        key = (row, cursor)
        found = self._lines.get(key)
        if found is not None:
            return found
        fields = self._row(row)
        style = self._style("")
        if row % 2 == 0:
            style += self._style("activity-table--even-row")
        if cursor:
            style += self._style("activity-table--cursor")
        text = Text(" ", end="")
        status_class = STATUS_CLASSES.get(fields["due_status"])
        glyph_style = self._style(status_class) if status_class and not cursor else ""
        text.append(fields["glyph"], style=glyph_style)
        for column in self.columns[1:]:
            text.append(" " * GAP + fit(fields[column.key], column.width))
        strip = self._strip(text, style)
        if len(self._lines) > LINES_KEPT:
            self._lines.clear()
        self._lines[key] = strip
        return strip

    def render_line(self, y: int) -> Strip:
        if y == 0:
            return self._header()
        row = self.first_shown + y - 1
        if row >= self.total:
            return Strip.blank(self.size.width, self._style(""))
        return self._line(row)
