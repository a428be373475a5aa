"""The activities view (``A``): who does what, by when, with whose money, under one row.

Every keystroke is one call to :func:`workbench.analysis.activities.activities_view` (a Polars
query on the prebuilt index); the table (:class:`~screens.widgets.activity_table.ActivityTable`)
draws only the rows on screen, so 100 000 activities cost what a screenful costs. The detail
pane follows the cursor a moment later (a held ``j`` does not format every row).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.containers import Horizontal, VerticalScroll
from textual.events import Resize
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Static

from screens import messages
from screens.bindings import bindings
from screens.compat import WorkbenchFooter
from screens.labels import clean, shorten
from screens.messages import Scope
from screens.widgets.activity_table import ActivityTable
from screens.widgets.failures import ReportsFailures
from screens.widgets.filter_input import FilterInput
from screens.widgets.pickers import DateScreen, PickerScreen
from workbench.analysis.activities import ActivityFilter
from workbench.i18n import N_, _, ngettext
from workbench.workspace.drill_source import DrillSource

if TYPE_CHECKING:
    from workbench.analysis.activities import ActivitiesView, ActivityIndex

NARROW = 100
DETAIL_DELAY = 0.08
STATUS_CYCLE: tuple[str | None, ...] = (None, "overdue", "due", "not_due", "reported", "unknown")
SORT_LABELS = {
    "position": N_("document order"),
    "deadline": N_("deadline"),
    "status": N_("most urgent first"),
    "responsible": N_("responsible"),
    "title": N_("title"),
    "plan": N_("plan"),
}


class ActivitiesScreen(ReportsFailures, Screen[None]):
    """The activities of a scope: table, filters, quarter timeline and detail.

    Choosing one of an activity's indicators posts :class:`screens.messages.JumpTo`.
    """

    CSS_PATH = "drill.tcss"
    # B and a are kept out of the footer here: the view's own keys fill its 80 columns
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
        "act_timeline",
        "cursor_down",
        "cursor_up",
        "first",
        "last",
        actions={
            "close": "screen.back",
            "bodies": "screen.owner_body",
            "cursor_down": "screen.table('cursor_down')",
            "cursor_up": "screen.table('cursor_up')",
            "first": "screen.table('scroll_home')",
            "last": "screen.table('scroll_end')",
        },
        priority=("filter",),  # the letters typed with "/" in one go reach the line it opens
    )
    BINDINGS += bindings(
        "bodies", "annotate", actions={"bodies": "screen.owner_body"}, footer=False
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
        self.index: ActivityIndex | None = None
        self.view: ActivitiesView | None = None
        self.sort = sort
        # What the list is narrowed to and the day of its statuses; ``body`` (a responsible
        # body's code): its activities only.
        self.filter = ActivityFilter(
            bodies=(body,) if body else (), as_of=as_of or source.as_of or date.today()
        )
        self.show_timeline: bool | None = None  # None: by width
        self._shown_timeline: Text | None = None
        self._shown_top: Text | None = None
        self._detail_timer: Timer | None = None

    def compose(self) -> Any:
        yield Static(id="act-top")
        with Horizontal(id="act-body"):
            yield ActivityTable(id="act-table")
            yield Static(id="act-timeline")
        with VerticalScroll(id="act-detail-box"):
            yield Static(id="act-detail")
        yield FilterInput(
            self._text_typed, placeholder=_("words in title, measures or result"), id="act-filter"
        )
        yield WorkbenchFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#act-filter").display = False
        self.query_one("#act-detail", Static).update(Text(_("Loading the activities …")))
        self._update_top()
        self.table.focus()
        built = self.source.built_activities
        if built is not None:  # opened before: no thread, and the first frame has the rows
            self._ready(built)
            # Then the marks read again (one undone since, or saved by another process).
            self._load(unless=built)
        else:
            self._load()

    @work(
        thread=True,
        exit_on_error=False,
        name=N_("Reading the activities"),
        group="act-load",
        exclusive=True,
    )
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
        # New marks (one just saved, or read again): the cursor stays on its activity.
        self.refresh_view(keep=self.selected())
        if note:
            self.notify(note, timeout=3)

    # -- the query ---------------------------------------------------------------------------

    def refresh_view(self, *, keep: tuple[str, str] | None = None) -> None:
        """Run the query for the current scope, date, filter and sort; show it from the top,
        or with the cursor on the activity ``keep`` (plan_id, node_id) where it is listed."""
        from workbench.analysis.activities import activities_view

        if self.index is None:
            return
        scope = self.scope
        self.view = activities_view(
            self.index,
            city=scope.city,
            plan_id=scope.plan_id,
            node_id=scope.node_id,
            filters=self.filter,
            sort=self.sort,
        )
        at = self.view.position_of(*keep) if keep is not None else None
        self.table.show(self.view, cursor=at or 0)
        self._schedule_detail()
        self._update_top()
        self._update_timeline()
        if not self.view.total:
            self._show_empty()

    @property
    def as_of(self) -> date:
        """The day the due statuses are computed for (the filter's)."""
        return self.filter.as_of or date.today()

    def _filtered(self, **changes: Any) -> None:
        """The filter with ``changes`` (fields of :class:`ActivityFilter`), and the new list."""
        self.filter = replace(self.filter, **changes)
        self.refresh_view()

    @property
    def table(self) -> ActivityTable:
        return self.query_one("#act-table", ActivityTable)

    @on(ActivityTable.Highlighted, "#act-table")
    def _highlighted(self, event: ActivityTable.Highlighted) -> None:
        self._schedule_detail()
        self._update_top()

    @property
    def cursor_at(self) -> int:
        """The cursor's row in the whole result."""
        return self.table.cursor_row

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
        text.append(
            _("No activity matches here ({count} under this row).").format(count=self.view.in_scope)
            + "\n"
        )
        text.append(_("X drops every filter · x status · c quarter · b body · $ source · / words"))
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

    def _update_top(self) -> None:
        from workbench.analysis.activities import DUE_GLYPHS, DUE_LABELS, DUE_STATUSES

        width = max(self.size.width, 40)
        top = Text()
        top.append(" " + _("Activities") + " ", style="bold reverse")
        view = self.view
        at = ""
        if view is not None:
            at = f"{self.cursor_at + 1}/" if view.total else ""
            of = _("{at}{shown} of {total}")
            at = " · " + of.format(at=at, shown=view.total, total=view.in_scope)
        tail = " · " + _("as of {date}").format(date=self.as_of.isoformat()) + at
        room = max(10, width - len(tail) - 14)
        top.append(f" {shorten(clean(self.scope.label), room)}")
        top.append(tail)
        if view is None:
            top.append(" · " + _("loading") + "…", style="italic")
        second = Text(" ")
        if view is not None:
            for status in DUE_STATUSES:
                count = view.counts[status]
                picked = status in self.filter.statuses
                if not count and not picked:
                    continue
                style = "bold reverse" if picked else ""
                second.append(f"{DUE_GLYPHS[status]} {_(DUE_LABELS[status])} {count}", style=style)
                second.append("  ")
            chosen = [_("quarter {value}").format(value=q) for q in self.filter.quarters]
            chosen += [
                _("body {value}").format(value=shorten(clean(self._body_name(b)), 24))
                for b in self.filter.bodies
            ]
            chosen += [
                _("source {value}").format(value=self._source_short(f)) for f in self.filter.sources
            ]
            if self.filter.text:
                chosen.append(f"/{shorten(clean(self.filter.text), 12)}")
            if chosen:
                second.append("· " + ", ".join(chosen) + " ", style="bold")
            order = _(SORT_LABELS[self.sort])
            second.append("· " + _("sort: {order}").format(order=order), style="dim")
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
            self.table.focus()
            return
        self.dismiss(None)

    @on(ActivityTable.Selected, "#act-table")
    def _selected(self, event: ActivityTable.Selected) -> None:
        """Enter: the activity's full texts on the whole screen (Esc back)."""
        self.flush_detail()
        self.add_class("-reading")
        self.query_one("#act-detail-box").focus()

    def action_table(self, action: str) -> None:
        """j, k, g and G (the tree's keys) move the table's cursor, wherever the focus is."""
        getattr(self.table, f"action_{action}")()

    def action_cycle_sort(self) -> None:
        from workbench.analysis.activities import SORT_KEYS

        keys = list(SORT_KEYS)
        self.sort = keys[(keys.index(self.sort) + 1) % len(keys)]
        self.refresh_view()

    def action_cycle_status(self) -> None:
        current = self.filter.statuses[0] if self.filter.statuses else None
        at = STATUS_CYCLE.index(current) if current in STATUS_CYCLE else 0
        status = STATUS_CYCLE[(at + 1) % len(STATUS_CYCLE)]
        self._filtered(statuses=(status,) if status else ())

    def action_clear_filters(self) -> None:
        self.filter = ActivityFilter(as_of=self.as_of)  # the day is not a filter to drop
        self.refresh_view()

    def _scoped(self) -> Any:
        assert self.index is not None
        return self.index.scope(**self.scope.query())

    def action_pick_quarter(self) -> None:
        if self.view is None:
            return
        entries = [("", _("every quarter"))]
        for quarter, due, overdue in self.view.timeline.select(
            "quarter", "due", "overdue"
        ).iter_rows():
            if quarter is not None and due:
                entries.append((quarter, f"{quarter}   {due} due, {overdue} overdue"))
        self.app.push_screen(PickerScreen(_("Quarter"), entries), self._quarter_chosen)

    def _quarter_chosen(self, choice: str | None) -> None:
        if choice is not None:
            self._filtered(quarters=(choice,) if choice else ())

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
        entries = [("", _("every responsible body"))]
        also: dict[str, str] = {}
        for code, count in codes.iter_rows():
            many = ngettext("{count} activity", "{count} activities", count).format(count=count)
            entries.append((str(code), f"{self._body_name(str(code))} · {many}"))
            also[str(code)] = " ".join(self.index.names.spellings(str(code)))
        self.app.push_screen(PickerScreen(_("Responsible body"), entries, also), self._body_chosen)

    def _language(self) -> str | None:
        """The language of the scope's first plan: bodies and sources are named in it."""
        if self.index is None:
            return None
        plans = self._scoped().get_column("plan_id")
        return self.index.names.languages.get(str(plans[0])) if len(plans) else None

    def _body_name(self, code: str) -> str:
        """A body as the analyst knows it (abbreviations expanded), in the scope's language."""
        return self.index.body_name(code, self._language()) if self.index else code

    def _source_short(self, code: str) -> str:
        """A source as the documents print it (``РБ``)."""
        if self.index is None:
            return code
        return self.index.names.source(code, language=self._language() or "ru")

    def _body_chosen(self, choice: str | None) -> None:
        if choice is not None:
            self._filtered(bodies=(choice,) if choice else ())

    def action_pick_source(self) -> None:
        if self.index is None:
            return
        codes = (
            self._scoped().get_column("funding_sources").explode(empty_as_null=False).drop_nulls()
        )
        entries = [("", _("every funding source"))]
        language = self._language() or "ru"
        for code, count in codes.value_counts(sort=True).iter_rows():
            many = ngettext("{count} activity", "{count} activities", count).format(count=count)
            entries.append((str(code), f"{self.index.funding_name(str(code), language)} · {many}"))
        self.app.push_screen(PickerScreen(_("Funding source"), entries), self._source_chosen)

    def _source_chosen(self, choice: str | None) -> None:
        if choice is not None:
            self._filtered(sources=(choice,) if choice else ())

    def action_filter(self) -> None:
        self.query_one("#act-filter", FilterInput).open(self.filter.text or "")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # typed in the filter line, "/" is that line's letter
        return not (action == "filter" and isinstance(self.focused, Input))

    def _text_typed(self, value: str) -> None:
        if value == (self.filter.text or "") or not self.is_mounted:
            return
        self._filtered(text=value or None)

    @on(FilterInput.Submitted, "#act-filter")
    def _text_submitted(self, event: FilterInput.Submitted) -> None:
        self._close_text(keep=True)

    def on_filter_input_done(self, message: FilterInput.Done) -> None:
        self._close_text(keep=message.keep)

    def _close_text(self, *, keep: bool) -> None:
        self.query_one("#act-filter").display = False
        self.table.focus()
        if not keep and self.filter.text:
            self._filtered(text=None)

    def action_choose_as_of(self) -> None:
        hint = _("Statuses are computed for this day · Enter accept · Esc cancel")
        self.app.push_screen(DateScreen(_("As of"), self.as_of, hint), self._as_of_chosen)

    def _as_of_chosen(self, day: date | None) -> None:
        if day is not None and day != self.as_of:
            self.source.as_of = day  # the next view opens on it too
            self._filtered(as_of=day)

    def action_toggle_timeline(self) -> None:
        wide = self.size.width >= NARROW
        current = wide if self.show_timeline is None else self.show_timeline
        self.show_timeline = not current
        self._update_timeline()

    def action_mark_reported(self) -> None:
        key = self.selected()
        if key is None:
            return
        hint = _("Reported (done) on this day · Enter save · Esc cancel")
        self.app.push_screen(
            DateScreen(_("Mark reported"), self.as_of, hint),
            lambda day: self._mark(key, day),
        )

    def _mark(self, key: tuple[str, str], day: date | None) -> None:
        if day is not None:
            self._save_mark(key, day)

    @work(thread=True, exit_on_error=False, name=N_("Marking reported"), group="act-mark")
    def _save_mark(self, key: tuple[str, str], day: date) -> None:
        from workbench.errors import WorkbenchError

        try:
            index = self.source.mark_reported(*key, day)
        except WorkbenchError as exc:
            self.post_message(self.Failed(str(exc)))
        else:
            saved = _("Saved: reported on {date}").format(date=day.isoformat())
            self.post_message(self.Ready(index, saved))

    def action_show_indicators(self) -> None:
        from workbench.analysis.links import activity_indicators

        key = self.selected()
        if key is None or self.index is None:
            return
        linked = activity_indicators(self.index, *key)
        if linked.rows.is_empty():
            self.notify(_("No indicator under this activity's goal or task"), timeout=3)
            return
        assert linked.anchor is not None
        entries = [
            (f"{plan}\t{node}", f"{code or ''} {clean(title)}".strip())
            for plan, node, code, title in linked.rows.select(
                "plan_id", "node_id", "code", "title"
            ).iter_rows()
        ]
        anchor = f"{linked.anchor.via_kind} {linked.anchor.code or ''}".strip()
        title = _("Indicators of its {anchor} · Enter jumps to one").format(anchor=anchor)
        self.app.push_screen(PickerScreen(title, entries), self._indicator_chosen)

    def _indicator_chosen(self, choice: str | None) -> None:
        if choice:
            plan_id, node_id = choice.split("\t", 1)
            self.post_message(messages.JumpTo((plan_id, node_id)))

    def action_annotate(self) -> None:
        """``a``: the annotation form of issue 6 on the selected activity (the node as a whole),
        through the app's workspace session."""
        key = self.selected()
        if key is None:
            return
        row = self.view.rows_at(self.cursor_at, 1).row(0, named=True) if self.view else {}
        heading = Text(_("ACTIVITY") + "  ", style="dim")
        heading.append(shorten(clean(str(row.get("title", ""))), 120), style="bold")
        heading.append(f"\n{clean(str(row.get('city', '')))} · {key[0]}", style="dim")
        self.post_message(messages.EditAnnotation(self, key[0], key[1], None, heading))

    def on_saved(self, message: messages.Saved) -> None:
        self.notify(_("Annotation #{id} saved").format(id=message.record.id), timeout=3)

    def action_owner_body(self) -> None:
        key = self.selected()
        if key is None or self.index is None:
            return
        row = self.view.rows_at(self.cursor_at, 1) if self.view else None
        codes: list[str] = row.item(0, "bodies").to_list() if row is not None else []
        if not codes:
            self.notify(_("No responsible body is known for this activity"), timeout=3)
            return

        def open_body(code: str | None) -> None:
            if code:
                self.post_message(messages.OpenBody(code, as_of=self.as_of))

        if len(codes) == 1:
            open_body(codes[0])
            return
        entries = [(c, self._body_name(c)) for c in codes]
        self.app.push_screen(PickerScreen(_("Which body"), entries), open_body)


def detail_text(detail: dict[str, Any]) -> Text:
    """The detail pane of one activity: every full text, as plain text."""
    text = Text()
    code = f"{detail['code']} " if detail.get("code") else ""
    text.append(f"{code}{clean(str(detail['title']))}\n", style="bold")
    deadline = detail.get("deadline_raw") or _("no deadline printed")
    span = ""
    if detail.get("due_end") is not None:
        span = f" ({detail['due_start']} – {detail['due_end']}, {detail.get('quarter')})"
    text.append(f"{detail['glyph']} {_(str(detail['status_label']))}", style="bold")
    text.append(f" · {clean(str(deadline))}{span}\n")
    if detail.get("marked_on") is not None:
        text.append("✔ " + _("marked reported on {day}").format(day=detail["marked_on"]) + "\n")

    def field(label: str, value: object) -> None:
        if value is None or value == "" or value == []:
            return
        if isinstance(value, list):
            value = "; ".join(str(v) for v in value)
        text.append(f"{_(label)}: ", style="bold")
        text.append(clean(str(value)) + "\n")

    field(N_("Responsible"), detail.get("responsible_shown") or detail.get("responsible"))
    field(N_("Bodies"), detail.get("body_names"))
    field(N_("Funding"), detail.get("funding_names") or detail.get("funding_raw"))
    field(N_("Section"), detail.get("section"))
    field(N_("Measures"), detail.get("measures"))
    field(N_("Expected result"), detail.get("expected_result"))
    field(N_("Completion form"), detail.get("completion_form"))
    field(N_("Report"), detail.get("report"))
    money = detail.get("funding")
    if money is not None and getattr(money, "height", False):
        shown = detail.get("sources_shown") or {}
        for year, source, kind, _amount, raw, currency, _comment in money.iter_rows():
            printed = shown.get(source, source) or ""
            text.append(
                f"  {_(kind)} {year or ''} {clean(printed)}: {clean(str(raw))} {currency}\n"
            )
    field(N_("Plan"), detail.get("plan_id"))
    return text


def timeline_text(view: ActivitiesView, *, width: int = 12) -> Text:
    """Per deadline quarter a bar of the activities falling due, ✖ for those overdue."""
    text = Text()
    text.append(_("Due per quarter") + "\n", style="bold")
    line = view.timeline
    if line.is_empty():
        text.append(_("no deadlines"))
        return text
    most = max(int(line.get_column("due").max() or 0), 1)  # type: ignore[arg-type]
    for quarter, due, overdue, reported in line.select(
        "quarter", "due", "overdue", "reported"
    ).iter_rows():
        bar = round(due / most * width)
        late = min(bar, round(overdue / most * width)) if overdue else 0
        text.append(f"{quarter or _('no date'):<8}")
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
