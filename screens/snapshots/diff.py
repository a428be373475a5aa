"""What changed from one snapshot to another: values, statuses and annotations, as a table.

The diff is computed by ``snapshots.diff.diff_snapshots`` in a worker; each change names its
plan's city and its indicator's code and title as the snapshots hold them (the ids stay in the
machine outputs and at the end of the line below the table). Every cell is literal text (a title
or a note with ``[bold]`` in it stays those characters).
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
from workbench.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from workbench.analysis.labels import NodeLabel
    from workbench.snapshots.diff import SnapshotDiff
    from workbench.workspace.store import Workspace

COLUMNS = (
    N_("What"),
    N_("City"),
    N_("Indicator"),
    N_("Year"),
    N_("Field"),
    N_("Before"),
    N_("After"),
)
WIDTHS = (9, 9, 16, 4, 9, 9, 9)  # 79 columns with the padding
# The kinds of change and how each reads.
WHAT = {
    "plan": N_("plan"),
    "value": N_("value"),
    "status": N_("status"),
    "annotation": N_("annotation"),
}
CHANGE = {"added": N_("added"), "removed": N_("removed")}
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
        def __init__(
            self,
            diff: SnapshotDiff | None,
            problem: str | None,
            labels: dict[tuple[str, str], NodeLabel] | None = None,
        ) -> None:
            self.diff = diff
            self.problem = problem
            self.labels = labels or {}
            super().__init__()

    def __init__(self, ws: Workspace, a: str, b: str) -> None:
        super().__init__()
        self.ws = ws
        self.a = a
        self.b = b
        self.diff: SnapshotDiff | None = None
        self.rows: list[dict[str, Any]] = []
        self.lines: list[str] = []
        self.labels: dict[tuple[str, str], NodeLabel] = {}

    def compose(self) -> Any:
        comparing = _("comparing {a} with {b} …").format(a=self.a, b=self.b)
        yield Static(self._head(comparing), id="diff-head")
        yield DataTable(cursor_type="row", zebra_stripes=True, id="diff-table")
        yield Static("", id="diff-line")
        yield WorkbenchFooter(compact=True)

    def _head(self, text: str) -> Text:
        head = Text(" " + _("Diff") + " ", style="bold reverse")
        head.append(" " + clean(text))
        head.append(" · " + _("Esc back"), style="dim")
        head.no_wrap, head.overflow = True, "ellipsis"  # one line: the table keeps its rows
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
        from workbench.analysis.labels import labels_from_parts
        from workbench.snapshots.create import load
        from workbench.snapshots.diff import diff_snapshots

        try:
            a, b = load(self.ws, self.a), load(self.ws, self.b)
            diff = diff_snapshots(a, b)
            keys = [
                (str(p), str(n))
                for p, n in diff.frame.head(MAX_ROWS).select("plan_id", "node_id").iter_rows()
                if n is not None
            ]
            # Named as the newer snapshot has them, else the older (a node it removed).
            labels = labels_from_parts(
                [b.parts["plans"], a.parts["plans"]],
                [
                    b.parts["indicators"],
                    b.parts["annotations"],
                    a.parts["indicators"],
                    a.parts["annotations"],
                ],
                keys,
            )
        except WorkbenchError as exc:
            self.post_message(self.Computed(None, str(exc)))
        else:
            self.post_message(self.Computed(diff, None, labels))

    def on_diff_screen_computed(self, message: Computed) -> None:
        if message.diff is None:
            problem = message.problem or _("failed")
            self.query_one("#diff-head", Static).update(self._head(problem))
            return
        self.diff = diff = message.diff
        self.labels = message.labels
        summary = summary_text(diff)
        if diff.frame.height > MAX_ROWS:
            summary += " " + _("(the first {count} shown)").format(count=MAX_ROWS)
        self.query_one("#diff-head", Static).update(self._head(summary))
        table = self.query_one(DataTable)
        self.rows = diff.frame.head(MAX_ROWS).to_dicts()
        self.lines = [
            named_line(line, row, self.labels)
            for line, row in zip(diff.lines(MAX_ROWS), self.rows, strict=False)
        ]
        for row in self.rows:
            table.add_row(*(Text(cell) for cell in cells(row, self.labels)))
        # The first change is written now, not when the table reports its highlighted row a
        # moment later, so the screen is whole as soon as the diff is in.
        first = clean(self.lines[0]) if self.lines else _("Nothing changed.")
        self.query_one("#diff-line", Static).update(Text(first))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """The whole change under the cursor, unshortened, below the table."""
        if 0 <= event.cursor_row < len(self.lines):
            line = self.lines[event.cursor_row]
            self.query_one("#diff-line", Static).update(Text(clean(line)))

    def action_close(self) -> None:
        self.dismiss(None)


def summary_text(diff: SnapshotDiff) -> str:
    """``from a to b: 3 values, 1 annotation changed``, in the interface's language."""
    counts = diff.counts()
    if not counts:
        return _("no change from {a} to {b}").format(a=diff.a, b=diff.b)
    parts = ", ".join(
        f"{counts[k]} {_(WHAT[k])}"
        for k in ("plan", "value", "status", "annotation")
        if k in counts
    )
    total = sum(counts.values())
    return ngettext(
        "from {a} to {b}: {count} change ({parts})",
        "from {a} to {b}: {count} changes ({parts})",
        total,
    ).format(a=diff.a, b=diff.b, count=total, parts=parts)


def named_line(line: str, row: dict[str, Any], labels: dict[tuple[str, str], NodeLabel]) -> str:
    """The core's line of a change with its node named (city, code, title), the ids kept at
    the end for a person who needs them."""
    from workbench.analysis.labels import with_node_named

    label = labels.get((str(row["plan_id"]), str(row["node_id"])))
    return with_node_named(line, label) if label is not None else line


def cells(row: dict[str, Any], labels: dict[tuple[str, str], NodeLabel] | None = None) -> list[str]:
    """One change as the table's cells, each one line, shortened: the plan's city and the
    indicator's code and title where the snapshots name them, else their ids."""
    what = str(row["what"])
    change = str(row["change"])
    field = row["field"] or ""
    before, after = row["before"], row["after"]
    if change in CHANGE:
        field = field or _(CHANGE[change])
        before, after = (None, after) if change == "added" else (before, None)
    ref = row.get("ref")
    label = (labels or {}).get((str(row["plan_id"]), str(row["node_id"])))
    city = clean(label.city) if label is not None and label.city else clean(row["plan_id"])
    if label is not None and label.known:
        node = clean(" ".join(x for x in (label.code, label.title) if x))
    else:
        node = clean(row["node_id"]) if row["node_id"] is not None else ""
        node = node[-WIDTHS[2] + 1 :] if len(node) > WIDTHS[2] else node  # the end says most
    if what == "annotation" and ref:
        node = f"#{str(ref)[:6]} {node}".strip()
    texts = [
        _(WHAT.get(what, what)),
        city,
        node,
        "" if row["year"] is None else str(row["year"]),
        clean(field),
        _value(before),
        _value(after),
    ]
    return [shorten(text, width) for text, width in zip(texts, WIDTHS, strict=True)]


def _value(value: object) -> str:
    """A value as the screen shows numbers (``101,5``, ``1 291``); text as text."""
    if value is None:
        return "—"
    from workbench.display import exact_number

    text = str(value)
    try:
        number = float(text)
    except ValueError:
        return clean(text)
    return exact_number(number) if number == number else clean(text)
