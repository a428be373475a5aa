"""What changed from one snapshot to another: values, statuses and annotations, as a table.

The diff is computed by ``snapshots.diff.diff`` in a worker; every cell is literal text
(a title or a note with ``[bold]`` in it stays those characters).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import work
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static

from screens.bindings import bindings
from screens.compat import WorkbenchFooter
from screens.labels import clean, shorten
from screens.widgets.failures import ReportsFailures
from workbench.errors import WorkbenchError
from workbench.i18n import N_, _

if TYPE_CHECKING:
    from workbench.snapshots.diff import SnapshotDiff
    from workbench.workspace.store import Workspace

COLUMNS = (N_("What"), N_("Plan"), N_("Node"), N_("Year"), N_("Field"), N_("Before"), N_("After"))
WIDTHS = (10, 8, 12, 4, 11, 10, 10)  # 79 columns with the padding
# Rows shown at most: the table stays quick; the summary line says how many there are.
MAX_ROWS = 5_000


class DiffScreen(ReportsFailures, Screen[None]):
    """Snapshot ``a`` against ``b``, one row per change; Esc goes back."""

    BINDINGS: ClassVar = bindings("close", actions={"close": "screen.close"})
    DEFAULT_CSS = """
    DiffScreen {
        & > #diff-head { height: auto; padding: 0 1; background: $panel; }
        & > DataTable { height: 1fr; }
        & > #diff-line { height: auto; max-height: 4; padding: 0 1; background: $panel; }
    }
    """

    class Computed(Message):
        def __init__(self, diff: SnapshotDiff | None, problem: str | None) -> None:
            self.diff = diff
            self.problem = problem
            super().__init__()

    def __init__(self, ws: Workspace, a: str, b: str) -> None:
        super().__init__()
        self.ws = ws
        self.a = a
        self.b = b
        self.diff: SnapshotDiff | None = None
        self.rows: list[dict[str, Any]] = []
        self.lines: list[str] = []

    def compose(self) -> Any:
        yield Static(
            self._head(_("comparing {a} with {b} …").format(a=self.a, b=self.b)), id="diff-head"
        )
        yield DataTable(cursor_type="row", zebra_stripes=True, id="diff-table")
        yield Static("", id="diff-line")
        yield WorkbenchFooter(compact=True)

    def _head(self, text: str) -> Text:
        head = Text(" " + _("Diff") + " ", style="bold reverse")
        head.append(" " + clean(text))
        head.append(" · " + _("Esc back"), style="dim")
        return head

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        # Fixed widths: the rows arrive later, from a worker, and a table whose columns widen
        # when they do can paint its cursor row with the old widths (seen under load in CI).
        for name, width in zip(COLUMNS, WIDTHS, strict=True):
            table.add_column(Text(_(name)), key=name, width=width)
        table.focus()
        self._compute()

    @work(thread=True, exit_on_error=False, name=N_("Comparing"), group="diff", exclusive=True)
    def _compute(self) -> None:
        from workbench.snapshots import diff as snapshot_diff

        try:
            diff = snapshot_diff.diff(self.ws, self.a, self.b)
        except WorkbenchError as exc:
            self.post_message(self.Computed(None, str(exc)))
        else:
            self.post_message(self.Computed(diff, None))

    def on_diff_screen_computed(self, message: Computed) -> None:
        if message.diff is None:
            self.query_one("#diff-head", Static).update(self._head(message.problem or "failed"))
            return
        self.diff = diff = message.diff
        summary = diff.text(limit=0).splitlines()[0]
        if diff.frame.height > MAX_ROWS:
            summary += f" (the first {MAX_ROWS} shown)"
        self.query_one("#diff-head", Static).update(self._head(summary))
        table = self.query_one(DataTable)
        self.rows = diff.frame.head(MAX_ROWS).to_dicts()
        self.lines = diff.lines(MAX_ROWS)  # the core's one-line wording of each change
        for row in self.rows:
            table.add_row(*(Text(cell) for cell in cells(row)))
        # The first change is written now, not when the table reports its highlighted row a
        # moment later, so the screen is whole as soon as the diff is in.
        first = clean(self.lines[0]) if self.lines else "Nothing changed."
        self.query_one("#diff-line", Static).update(Text(first))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """The whole change under the cursor, unshortened, below the table."""
        if 0 <= event.cursor_row < len(self.lines):
            line = self.lines[event.cursor_row]
            self.query_one("#diff-line", Static).update(Text(clean(line)))

    def action_close(self) -> None:
        self.dismiss(None)


def cells(row: dict[str, Any]) -> list[str]:
    """One change as the table's cells, each one line, shortened."""
    what = str(row["what"])
    change = str(row["change"])
    field = row["field"] or ""
    before, after = row["before"], row["after"]
    if change == "added":
        before, field = None, field or "added"
    elif change == "removed":
        after, field = None, field or "removed"
    ref = row.get("ref")
    node = clean(row["node_id"]) if row["node_id"] is not None else ""
    if what == "annotation" and ref:
        node = f"{node} #{str(ref)[:6]}".strip()
    texts = [
        what,
        clean(row["plan_id"]),
        node[-WIDTHS[2] + 1 :] if len(node) > WIDTHS[2] else node,  # the end says the most
        "" if row["year"] is None else str(row["year"]),
        clean(field),
        clean(before) if before is not None else "—",
        clean(after) if after is not None else "—",
    ]
    return [shorten(text, width) for text, width in zip(texts, WIDTHS, strict=True)]
