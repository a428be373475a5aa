"""The body-centred view: what one responsible body answers for across cities and documents,
and how much of it is late (:func:`workbench.analysis.links.body_view`); ``b`` picks another body
from all of them (:func:`workbench.analysis.links.bodies`, most overdue first)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual import work
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from screens import messages
from screens.bindings import bindings
from screens.compat import WorkbenchFooter
from screens.labels import PLAN_KINDS, clean, shorten
from screens.widgets.failures import ReportsFailures
from screens.widgets.pickers import PickerScreen
from workbench.display import percent
from workbench.i18n import N_, _, ngettext
from workbench.workspace.drill_source import DrillSource

if TYPE_CHECKING:
    from workbench.analysis.activities import ActivityIndex
    from workbench.analysis.links import BodyView

LISTED = 200


class BodyScreen(ReportsFailures, Screen[None]):
    """One body's activities and indicators by city and plan; ``code`` None opens the picker."""

    CSS_PATH = "drill.tcss"
    BINDINGS: ClassVar = bindings(
        "close", "act_body", "activities", actions={"close": "screen.back"}
    )

    class Ready(Message):
        def __init__(self, index: ActivityIndex) -> None:
            self.index = index
            super().__init__()

    class Failed(Message):
        def __init__(self, text: str) -> None:
            self.text = text
            super().__init__()

    def __init__(self, source: DrillSource, code: str | None, *, as_of: date | None = None) -> None:
        super().__init__()
        self.source = source
        self.code = code
        self.as_of = as_of or source.as_of or date.today()
        self.index: ActivityIndex | None = None
        self.view: BodyView | None = None

    def compose(self) -> Any:
        yield Static(id="body-top")
        with VerticalScroll(id="body-body"):
            yield Static(id="body-summary")
            yield Static(id="body-plans")
            yield Static(id="body-list")
        yield WorkbenchFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#body-summary", Static).update(Text(_("Loading …")))
        self._update_top()
        self.query_one("#body-body").focus()
        self._load()

    @work(thread=True, exit_on_error=False, name=N_("Reading the activities"), group="body-load")
    def _load(self) -> None:
        from workbench.errors import WorkbenchError

        try:
            index = self.source.activities()
        except WorkbenchError as exc:  # the dataset cannot be read: said, not a crash
            self.post_message(self.Failed(str(exc)))
        else:
            self.post_message(self.Ready(index))

    def on_body_screen_failed(self, message: Failed) -> None:
        self.query_one("#body-summary", Static).update(
            Text(_("Cannot read: {problem}").format(problem=message.text))
        )

    def on_body_screen_ready(self, message: Ready) -> None:
        self.index = message.index
        if self.code is None:
            self.action_pick_body()
        else:
            self.refresh_view()

    def refresh_view(self) -> None:
        from workbench.analysis.links import body_view

        if self.index is None or self.code is None:
            return
        self.view = view = body_view(self.index, self.code, as_of=self.as_of)
        self._update_top()
        self.query_one("#body-summary", Static).update(summary_text(view))
        from workbench.analysis.labels import period_text

        plans = self.index.tables["plans"]
        labels = {
            str(p["plan_id"]): f"{_(PLAN_KINDS.get(str(p['kind']), str(p['kind'])))} "
            f"{period_text({**p, 'report_year': None})}"
            for p in plans.iter_rows(named=True)
        }
        self.query_one("#body-plans", Static).update(plans_table(view, labels))
        self.query_one("#body-list", Static).update(items_text(view))

    def _update_top(self) -> None:
        top = Text()
        top.append(" " + _("Body") + " ", style="bold reverse")
        if self.view is not None:
            top.append(f" {shorten(clean(self.view.name), 50)}")
        elif self.code is None:
            top.append(" " + _("choose a responsible body"))
        top.append(" · " + _("as of {date}").format(date=self.as_of.isoformat()))
        top.truncate(max(self.size.width, 40), overflow="ellipsis")
        self.query_one("#body-top", Static).update(top)

    def action_back(self) -> None:
        self.dismiss(None)

    def action_pick_body(self) -> None:
        from workbench.analysis.links import bodies

        if self.index is None:
            return
        entries = []
        for code, name, activities, overdue, indicators in bodies(
            self.index, as_of=self.as_of
        ).iter_rows():
            label = f"{name} · " + counts_text(activities, overdue, indicators)
            entries.append((str(code), label))
        also = {code: " ".join(self.index.names.spellings(code)) for code, _label in entries}
        self.app.push_screen(PickerScreen(_("Responsible bodies"), entries, also), self._chosen)

    def action_open_activities(self) -> None:
        """Every activity of this body, across cities and plans, most urgent first, in the
        activities view (sortable and filterable; this screen lists the first few)."""
        if self.view is None or self.code is None:
            return
        label = _("{body}: every plan").format(body=shorten(clean(self.view.name), 40))
        scope = messages.Scope(label)
        self.post_message(
            messages.OpenActivities(scope, as_of=self.as_of, body=self.code, sort="status")
        )

    def _chosen(self, code: str | None) -> None:
        if code:
            self.code = code
            self.refresh_view()
        elif self.code is None:
            self.dismiss(None)


def summary_text(view: BodyView) -> Text:
    from workbench.analysis.activities import DUE_GLYPHS, DUE_LABELS, DUE_STATUSES

    text = Text()
    total = view.activities.height
    activities = ngettext("{count} activity", "{count} activities", total).format(count=total)
    indicators = ngettext("{count} indicator", "{count} indicators", view.indicators.height).format(
        count=view.indicators.height
    )
    text.append(f"{activities}, {indicators}", style="bold")
    share = view.late_share
    if share is not None:
        late = _("{share} of what was due is late").format(share=percent(share, decimals=0))
        text.append(f" · {late}", style="bold")
    text.append("\n")
    for status in DUE_STATUSES:
        if view.counts[status]:
            text.append(f"{DUE_GLYPHS[status]} {_(DUE_LABELS[status])} {view.counts[status]}  ")
    if len(view.spellings) > 1:
        # One body printed several ways: every spelling, as the documents print them.
        printed = "; ".join(clean(name) for name in view.spellings)
        text.append("\n" + _("printed as: {names}").format(names=printed), style="dim")
    return text


def plans_table(view: BodyView, labels: dict[str, str] | None = None) -> Table | Text:
    """Per plan (its city and kind and period, ``labels``) the activities by due status, under
    the glyphs the counts line above explains, and the indicators."""
    if view.by_plan.is_empty():
        return Text("")
    table = Table(box=None, header_style="bold", show_edge=False, pad_edge=False)
    table.add_column(_("plan"), no_wrap=True, overflow="ellipsis", max_width=40)
    for column in ("✖", "◆", "◇", "✔", _("indicators")):
        table.add_column(column, no_wrap=True, justify="right", min_width=len(column))
    for row in view.by_plan.iter_rows(named=True):
        plan = (labels or {}).get(str(row["plan_id"]))
        name = f"{row['city']} · {plan}" if plan else str(row["plan_id"])
        table.add_row(
            Text(clean(name)),
            str(row["overdue"]),
            str(row["due"]),
            str(row["not_due"]),
            str(row["reported"]),
            str(row["indicators"]),
        )
    return table


def items_text(view: BodyView) -> Text:
    """Its activities, most urgent first (the first LISTED), then its indicators."""
    import polars as pl

    from workbench.analysis.activities import DUE_GLYPHS, DUE_SEVERITY

    text = Text()
    acts = view.activities.with_columns(
        _rank=pl.col("due_status").cast(pl.String).replace_strict(DUE_SEVERITY)
    ).sort("_rank", "due_end", nulls_last=True, maintain_order=True)
    if acts.height:
        text.append("\n" + _("Activities") + "\n", style="bold")
    for row in acts.head(LISTED).iter_rows(named=True):
        glyph = DUE_GLYPHS[str(row["due_status"])]
        deadline = clean(str(row["deadline_raw"] or row["quarter"] or "—"))
        text.append(f"{glyph} {clean(str(row['title']))}")
        text.append(f"  [{deadline}] {row['city']}\n", style="dim")
    if acts.height > LISTED:
        more = acts.height - LISTED
        text.append(
            _("… and {count} more: A opens them all in the activities view").format(count=more)
            + "\n"
        )
    if view.indicators.height:
        text.append("\n" + _("Indicators") + "\n", style="bold")
        for row in view.indicators.head(LISTED).iter_rows(named=True):
            code = f"{row['code']} " if row["code"] else ""
            text.append(f"{code}{clean(str(row['title']))}")
            text.append(f"  {row['city']}\n", style="dim")
    return text


def counts_text(activities: int, overdue: int, indicators: int) -> str:
    """``1 activity, 0 overdue, 3 indicators`` in the interface's language."""
    return ", ".join(
        (
            ngettext("{count} activity", "{count} activities", activities).format(count=activities),
            _("{count} overdue").format(count=overdue),
            ngettext("{count} indicator", "{count} indicators", indicators).format(
                count=indicators
            ),
        )
    )
