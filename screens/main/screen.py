"""The main screen: the plan tree on the left, the selected item on the right.

The dataset loads in two phases: first the cities and their plans from ``plans.parquet`` alone
(:mod:`workbench.analysis.top_level`, read before the first frame: the tree shows them, with no
status, and the top bar says the statuses are being counted), then, in a thread worker, the whole
catalog (:class:`MainScreen.Loaded`), which fills the tree in place: the cursor, the branches
opened and a filter typed meanwhile kept. A key that needs the catalog says so in the status line
until it is there (:meth:`MainScreen.counting`); the filter, the deviations and the branches
opened meanwhile apply once it comes. A new year is
counted in a worker too. Filtering, the deviations switch and match jumps are computed by
:mod:`workbench.analysis.outline` on the keystroke; the siblings' order (``O``) by
:mod:`workbench.analysis.ordering`, and a code typed after ``:`` by
:mod:`workbench.analysis.goto`. Narrower than ``NARROW`` columns the panes stack, and the detail
takes the screen when focused. The screen's messages (an edit saved, nothing to undo) show in a
status line above the footer, not as toasts over the detail's numbers.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.containers import Container
from textual.events import Resize
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Static, Tree

from screens import messages
from screens.bindings import bindings
from screens.compat import WorkbenchFooter, release_render_caches
from screens.labels import clean, shorten
from screens.main.detail import DetailPane
from screens.main.tree import PlanTree
from screens.main.work import WorkspaceActions
from screens.widgets.failures import ReportsFailures
from workbench.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from screens.widgets.filter_input import FilterInput
    from screens.widgets.prompt import Answer
    from workbench.analysis.catalog import Catalog
    from workbench.analysis.ordering import Ordering
    from workbench.analysis.outline import Filter, View
    from workbench.analysis.top_level import TopLevel
    from workbench.workspace.session import Session

NARROW = 100
# The detail pane follows the cursor at most this often (seconds): a held j or a word typed
# into the filter moves the tree at once, and the detail catches up when the keys pause.
DETAIL_DELAY = 0.12
# A message stays in the status line this long (seconds) unless it says otherwise; an error
# stays longer, as Textual's toasts do.
STATUS_SECONDS = 5.0
ERROR_SECONDS = 10.0

Loader = Callable[[], "Catalog"]
TopLoader = Callable[[], "TopLevel"]


@dataclass(frozen=True, slots=True)
class Said:
    """A message the status line showed: what the screen said, for its log."""

    message: str
    severity: str
    title: str = ""


class MainScreen(ReportsFailures, WorkspaceActions, Screen[None]):
    """The tree and the detail pane, with the top bar, the filter line and the footer."""

    # The footer shows the most used keys that fit 80 columns; y, w, A, F are in help (?).
    # "/" is a priority key: the letters typed with it in one go must reach the line it opens
    BINDINGS: ClassVar = bindings(
        "filter", "next_match", "previous_match", "deviations", priority=("filter",)
    )
    BINDINGS += bindings("year", "worst", "detail", "activities", "funding", footer=False)
    BINDINGS += bindings("tree_order", "go_to", "expand_all", "collapse_all", footer=False)
    BINDINGS += bindings("bodies")  # the drill views (issue 7)
    BINDINGS += bindings(  # the analyst's work (issue 6: screens/workspace_actions.py)
        "unexplained", "annotate", "enter_fact", "polarity", "undo", "snapshot", "snapshots"
    )
    BINDINGS += bindings("import", footer=False)  # the import view (issue 15 §5)

    class Loaded(Message):
        def __init__(self, catalog: Catalog) -> None:
            self.catalog = catalog
            super().__init__()

    class Recounted(Message):
        def __init__(self, catalog: Catalog) -> None:
            self.catalog = catalog
            super().__init__()

    class Sorted(Message):
        def __init__(self, ordering: Ordering, asked: int) -> None:
            self.ordering = ordering
            self.asked = asked
            super().__init__()

    class Failed(Message):
        def __init__(self, text: str) -> None:
            self.text = text
            super().__init__()

    def __init__(
        self,
        loader: Loader,
        *,
        source: Path | str = "",
        session: Callable[[], Session | None] = lambda: None,
        top: TopLoader | None = None,
    ) -> None:
        super().__init__()
        self.loader = loader
        # The cities and plans shown before the catalog is counted (None: no first phase).
        self.top_loader = top
        # The app's session (its declared field, set by the loader): what the edit keys use.
        self.session_of = session
        self.source = str(source)
        self.catalog: Catalog | None = None
        self.view: View | None = None
        self.query_text = ""
        self.deviations = False
        self.unexplained = False  # e: deviations without an explanation
        self.match_at = 0  # the match n / N last stepped to, counted from 1 (0: none yet)
        self.order = "document"  # the siblings' order (O): see workbench.analysis.ordering
        self.ordering: Ordering | None = None
        self._sort_asked = 0  # the latest sort asked for; an older one's result is dropped
        self._status_timer: Timer | None = None
        self._status = ""
        # The latest messages, oldest first: what a status line said after it is gone.
        self.said: deque[Said] = deque(maxlen=50)
        self.busy = N_("loading")
        self._worst: list[int] = []
        self._worst_at = -1
        self._detail_timer: Timer | None = None
        self._detail_at = 0.0
        self._said_counting = False  # the status line says the catalog is not in yet

    def compose(self) -> Any:
        # What the first frame shows, styled once: the panes stacked already in a narrow
        # terminal (a class set on the first resize would style every widget again). The status
        # line and the filter line come when first used (:meth:`_status_line`,
        # :meth:`_filter_line`).
        self.set_class(self.app.size.width < NARROW, "-narrow")
        yield Static(id="topbar")
        with Container(id="panes"):
            yield PlanTree(id="tree")
            yield DetailPane(id="detail")
        yield WorkbenchFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one(DetailPane).show_message(_("Loading {source} …").format(source=self.source))
        self._update_topbar()
        self.query_one(PlanTree).focus()
        if self.top_loader is not None:
            self._show_top(self.top_loader)
        # Once the first frame is out: the worker's imports would hold it back.
        self.call_after_refresh(self._load)

    def _show_top(self, top_loader: TopLoader) -> None:
        """The cities and plans, read here, before the first frame: a small read, and a
        first frame with the cities in it sooner than a worker's (whose imports would share
        the interpreter with the frame being drawn)."""
        from workbench.errors import WorkbenchError

        try:
            top = top_loader()
        except WorkbenchError:
            return  # the whole dataset's reading, next, says what is wrong
        self.busy = N_("counting the statuses")
        self.query_one(PlanTree).show_top(top)
        self.query_one(DetailPane).show_message(
            _("Counting the statuses of {source} …").format(source=self.source)
        )
        self._update_topbar()

    # -- loading (in a thread) ---------------------------------------------------------------

    @work(thread=True, exit_on_error=False, name=N_("Loading the dataset"), group="load")
    def _load(self) -> None:
        from workbench.errors import WorkbenchError

        try:
            catalog = self.loader()
        except WorkbenchError as exc:
            self.post_message(self.Failed(str(exc)))
        else:
            self.post_message(self.Loaded(catalog))

    @property
    def top(self) -> TopLevel | None:
        """The cities and plans the tree shows while the catalog is being counted."""
        return self.query_one(PlanTree).top

    def counting(self) -> bool:
        """Whether the catalog is not there yet; while it is being read or counted, says so in
        the status line (the key that asked does nothing: it works once the catalog is in)."""
        if self.catalog is not None:
            return False
        if self.busy:
            self._said_counting = True
            self.notify(_("Still counting the statuses: this key works once they are in"))
        return True

    def on_main_screen_failed(self, message: Failed) -> None:
        self.busy = ""
        tree = self.query_one(PlanTree)
        if tree.top is not None:  # the cities read first: nothing can be done with them alone
            tree.top = None
            tree.clear()
        self.query_one(DetailPane).show_message(_("Cannot open the dataset:") + f"\n{message.text}")
        self._update_topbar()

    def on_main_screen_loaded(self, message: Loaded) -> None:
        self.busy = ""
        self.catalog = message.catalog
        if self._said_counting:  # "still counting" is no longer true
            self._said_counting = False
            if self._status_timer is not None:
                self._status_timer.stop()
            self._clear_status()
        # The tree is filled in place: after the cities alone, the cursor and the open branches
        # stay where they are, and a filter typed meanwhile applies now.
        self._refilter(keep=None)
        if not message.catalog.size:
            self.query_one(DetailPane).show_message(
                _(
                    "No plans in {source}. Read documents into it with: workbench ingest FILE…"
                ).format(source=self.source)
            )
        self.report_workspace_problem()
        self.watch_workspace()
        self._prepare(message.catalog)

    @work(thread=True, exit_on_error=False, name=N_("Preparing the search"), group="search")
    def _prepare(self, catalog: Catalog) -> None:
        catalog.prepare()

    @property
    def loaded(self) -> bool:
        return self.catalog is not None and not self.busy

    # -- layout ------------------------------------------------------------------------------

    def on_screen_resume(self) -> None:
        # Back from a drill view, a form or the help: let go of what Textual still holds of
        # the screen that closed (screens/textual_leaks.py).
        release_render_caches()

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW, "-narrow")
        # Below 100 columns the footer keeps its room for the screen's own keys (A activities,
        # F funding among them); Ctrl+P still opens the palette, and ? lists it.
        self.query_one(Footer).show_command_palette = event.size.width >= 100

    def _update_topbar(self) -> None:
        bar = Text()
        bar.append(" Plan Workbench ", style="bold reverse")
        top = self.top
        plans = len(top.plans) if top is not None else None
        if self.catalog is not None:
            plans = self.catalog.plans.height
        if plans is not None:
            bar.append(" " + ngettext("{count} plan", "{count} plans", plans).format(count=plans))
        if self.catalog is not None:
            year = self.catalog.year
            shown = _("year {year}").format(year=year) if year is not None else _("year latest")
            bar.append(" · " + shown)
        if self.busy:
            bar.append(f" · {_(self.busy)}…", style="italic")
        narrow = self.size.width < NARROW
        if self.query_text:
            query = shorten(clean(self.query_text), 12 if narrow else 24)
            if self.view is not None:
                count = self.view.count
                matches = ngettext("{count} match", "{count} matches", count).format(count=count)
            else:
                matches = "…"  # counted once the catalog is in
            bar.append(f" · /{query} {matches}")
        if self.deviations:
            bar.append(" · " + (_("deviations") if narrow else _("deviations only")), style="bold")
        if self.unexplained:
            counted = str(self.view.count) if self.view is not None else "…"
            bar.append(" · " + _("unexplained {count}").format(count=counted), style="bold")
        if self.match_at and self.view is not None and self.view.active:
            of = _("{n} of {total}").format(n=self.match_at, total=self.view.count)
            bar.append(f" · {of}", style="bold")
        if self.order != "document":
            from workbench.analysis.ordering import ORDER_LABELS

            bar.append(" · " + _(ORDER_LABELS[self.order]), style="bold")
        self.query_one("#topbar", Static).update(bar)

    # -- the tree and the detail -------------------------------------------------------------

    @on(Tree.NodeHighlighted, "#tree")
    def _highlighted(self, event: Tree.NodeHighlighted[int]) -> None:
        self._show_detail()

    @on(Tree.NodeExpanded, "#tree")
    def _expanded(self, event: Tree.NodeExpanded[int]) -> None:
        top, idx = self.top, event.node.data
        if top is not None and idx is not None and top.row(idx)["level"] == "plan":
            self._said_counting = True
            self.notify(_("Still counting the statuses: the plan opens once they are in"))

    def _show_detail(self, *, defer: bool = False) -> None:
        if self.catalog is None:
            return
        if self._detail_timer is not None:
            self._detail_timer.stop()
            self._detail_timer = None
        if defer or time.monotonic() - self._detail_at < DETAIL_DELAY:
            self._detail_timer = self.set_timer(DETAIL_DELAY, self.flush_detail)
        else:
            self.flush_detail()

    @property
    def detail_pending(self) -> bool:
        return self._detail_timer is not None

    def flush_detail(self) -> None:
        """Show the cursor's item in the detail pane now."""
        if self._detail_timer is not None:
            self._detail_timer.stop()
            self._detail_timer = None
        if self.catalog is None:
            return
        self._detail_at = time.monotonic()
        idx = self.query_one(PlanTree).cursor_idx
        self.query_one(DetailPane).show(self.catalog, idx)

    def on_plan_tree_opened(self, message: PlanTree.Opened) -> None:
        self.action_focus_detail()

    def on_plan_tree_back_at_top(self, message: PlanTree.BackAtTop) -> None:
        if self.query_text or self.deviations or self.unexplained:
            self.query_text = ""
            self.deviations = self.unexplained = False
            self._refilter(keep=self.query_one(PlanTree).cursor_idx)

    def action_focus_detail(self) -> None:
        detail = self.query_one(DetailPane)
        detail.focus()
        if self.has_class("-narrow"):
            self.maximize(detail, container=False)

    def action_back(self) -> None:
        """From the detail pane back to the tree."""
        self.minimize()
        self.query_one(PlanTree).focus()

    # -- finding -----------------------------------------------------------------------------

    def _filter(self) -> Filter:
        from workbench.analysis.outline import Filter

        return Filter(self.query_text, self.deviations, self.unexplained)

    def _refilter(self, keep: int | None, *, typing: bool = False) -> None:
        from workbench.analysis.outline import View

        if self.catalog is None:
            self._update_topbar()  # the filter applies once the catalog is in
            return
        self.view = View.build(self.catalog, self._filter(), self.ordering)
        self.match_at = 0  # n / N number the matches of this view from the first step
        self.query_one(PlanTree).show(self.view, keep=keep)
        if self.view.active and not self.view.count:
            what = _("No deviating indicator") if self.deviations else _("No title or code")
            if self.unexplained:
                what = _("No deviation without an explanation (e shows all again)")
            query = " " + _("with “{text}”").format(text=clean(self.query_text))
            self.query_one(DetailPane).show_message(
                what
                + (query if self.query_text else "")
                + ".\n\n"
                + _("/ changes the filter (Esc in it drops it), d switches deviations only.")
            )
        else:
            self._show_detail(defer=typing)
        self._update_topbar()

    def _filter_line(self) -> FilterInput:
        """The ``/`` line above the footer, added when first opened."""
        from screens.widgets.filter_input import FilterInput

        found = self.query("#filter")
        if found:
            return found.first(FilterInput)
        line = FilterInput(
            self._filter_typed, placeholder=_("filter: type part of a title or code"), id="filter"
        )
        self.mount(line, before=self.query_one(Footer))
        return line

    def action_filter(self) -> None:
        self._filter_line().open(self.query_text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # typed in a line (the filter's own, a title's "км/ч"), "/" is that line's letter
        return not (action == "filter" and isinstance(self.focused, Input))

    def _filter_typed(self, value: str) -> None:
        if value == self.query_text or not self.is_mounted:
            return
        self.query_text = value
        self._refilter(keep=None, typing=True)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        self._close_filter(keep=True)

    def on_filter_input_done(self, message: FilterInput.Done) -> None:
        self._close_filter(keep=message.keep)

    def _close_filter(self, *, keep: bool) -> None:
        line = self._filter_line()
        line.display = False
        self.query_one(PlanTree).focus()
        if not keep and self.query_text:
            self.query_text = ""
            self._refilter(keep=self.query_one(PlanTree).cursor_idx)

    def _jump(self, backwards: bool) -> None:
        if self.counting():
            return
        if self.view is None or not self.view.active:
            self.notify(_("No filter: press / to filter, d for deviations"), timeout=3)
            return
        tree = self.query_one(PlanTree)
        here = tree.cursor_idx
        target = self.view.next_match(-1 if here is None else here, backwards=backwards)
        if target is None:
            self.notify(_("No matches"), severity="warning", timeout=3)
            return
        tree.reveal(target)
        self.match_at = self.view.match_number(target)
        self._update_topbar()

    def action_next_match(self) -> None:
        self._jump(backwards=False)

    def action_previous_match(self) -> None:
        self._jump(backwards=True)

    def action_toggle_deviations(self) -> None:
        self.deviations = not self.deviations
        keep = self.query_one(PlanTree).cursor_idx
        self._refilter(keep=keep)

    def action_jump_worst(self) -> None:
        if self.counting() or self.catalog is None:
            return
        tree = self.query_one(PlanTree)
        here = tree.cursor_idx
        if here is None:
            return
        if here in self._worst and self._worst_at >= 0:
            position = (self._worst.index(here) + 1) % len(self._worst)
        else:
            self._worst = self.catalog.worst_under(here, limit=8)
            position = 0
        if not self._worst:
            self.notify(_("No deviating indicator below this row"), timeout=3)
            return
        self._worst_at = position
        target = self._worst[position]
        if self.view is not None and not self.view.shows(target):
            self.query_text, self.deviations = "", False
            self._refilter(keep=here)
        tree.reveal(target)
        worst = _("Worst {n} of {total} (w for the next)")
        self.notify(worst.format(n=position + 1, total=len(self._worst)), timeout=2)

    # -- the drill views (issue 7: screens/drill/): asked of the app ---------------------------

    def _scope(self) -> tuple[messages.Scope, bool] | None:
        """The scope of the cursor's row, and whether it is an indicator (then the activities
        are those of its goal or task)."""
        from workbench.dataset.hierarchy import INDICATOR_KINDS

        idx = self.query_one(PlanTree).cursor_idx
        if self.counting() or self.catalog is None or idx is None:
            return None
        row = self.catalog.row(idx)
        code = f"{row['code']} " if row.get("code") else ""
        title = clean(f"{code}{row['title']}")
        if row["level"] == "city":
            return messages.Scope(
                _("{city}: every plan").format(city=row["city"]), city=row["city"]
            ), False
        if row["level"] == "plan":
            return messages.Scope(title, city=row["city"], plan_id=row["plan_id"]), False
        scope = messages.Scope(
            title, city=row["city"], plan_id=row["plan_id"], node_id=row["node_id"]
        )
        return scope, row["kind"] in INDICATOR_KINDS

    def action_open_activities(self) -> None:
        found = self._scope()
        if found is not None:
            scope, indicator = found
            self.post_message(messages.OpenActivities(scope, via_indicator=indicator))

    def action_open_funding(self) -> None:
        found = self._scope()
        if found is not None:
            self.post_message(messages.OpenFunding(found[0]))

    def action_open_import(self) -> None:
        self.post_message(messages.OpenImport())

    def action_open_bodies(self) -> None:
        if not self.counting():
            self.post_message(messages.OpenBody(None))

    def on_jump_to(self, message: messages.JumpTo) -> None:
        """Put the tree's cursor on (plan_id, node_id), dropping a filter that hides it."""
        message.stop()  # handled here; not back up to the app
        if self.catalog is None:
            return
        idx = self.catalog.find(*message.key)
        if idx is not None:
            self._go(idx)

    def _go(self, idx: int) -> None:
        tree = self.query_one(PlanTree)
        if self.view is not None and not self.view.shows(idx):
            self.query_text, self.deviations, self.unexplained = "", False, False
            self._refilter(keep=tree.cursor_idx)
        tree.reveal(idx)
        tree.focus()

    # -- the year ----------------------------------------------------------------------------

    def action_choose_year(self) -> None:
        if self.counting() or self.catalog is None or self.busy:
            return
        from screens.main.year import YearScreen

        self.app.push_screen(
            YearScreen(self.catalog.year_counts(), self.catalog.year), self._year_chosen
        )

    def _year_chosen(self, choice: int | str | None) -> None:
        from screens.main.year import LATEST

        if choice is None or self.catalog is None:
            return
        year = None if choice == LATEST else int(choice)
        if year == self.catalog.year:
            return
        self.busy = N_("counting")
        self._update_topbar()
        self._count_at(self.catalog, year)

    @work(
        thread=True, exit_on_error=False, name=N_("Counting the year"), group="year", exclusive=True
    )
    def _count_at(self, catalog: Catalog, year: int | None) -> None:
        self.post_message(self.Recounted(catalog.at_year(year)))

    def on_main_screen_recounted(self, message: Recounted) -> None:
        from workbench.analysis.outline import View

        self.busy = ""
        self.catalog = message.catalog
        if self._said_counting:  # "still counting" is no longer true
            self._said_counting = False
            if self._status_timer is not None:
                self._status_timer.stop()
            self._clear_status()
        tree = self.query_one(PlanTree)
        if self.order != "document":
            # the rows are the same, so the order still applies; the statuses counted again may
            # move them: sorted again in a worker
            self._refilter(keep=tree.cursor_idx)
            self._resort()
        elif self.view is not None and self.view.active:
            self._refilter(keep=tree.cursor_idx)
        else:
            self.view = View.build(message.catalog, self._filter())
            tree.catalog, tree.view = message.catalog, self.view
            tree.refresh_labels()
            self._show_detail()
        self._update_topbar()

    # -- the order, going to a code, expanding and collapsing --------------------------------

    def action_cycle_order(self) -> None:
        """Document order → lowest achievement first → largest deviation first → …"""
        from workbench.analysis.ordering import next_order

        if self.counting():
            return
        self.order = next_order(self.order)
        self._resort()

    def _resort(self) -> None:
        """Put the tree in :attr:`order`: the document's at once, another in a worker (a sort
        of every row: at a thousand plans a pause the keys should not wait for)."""
        self._sort_asked += 1
        if self.catalog is None:
            return
        if self.order == "document":
            self.ordering = None
            self._refilter(keep=self.query_one(PlanTree).cursor_idx)
            return
        self.busy = N_("sorting")
        self._update_topbar()
        self._sort(self.catalog, self.order, self._sort_asked)

    @work(thread=True, exit_on_error=False, name=N_("Sorting the tree"), group="sort")
    def _sort(self, catalog: Catalog, order: str, asked: int) -> None:
        from workbench.analysis.ordering import Ordering

        self.post_message(self.Sorted(Ordering.build(catalog, order), asked))

    def on_main_screen_sorted(self, message: Sorted) -> None:
        if message.asked != self._sort_asked:
            return  # another order (or catalog) was asked for since: its sort comes next
        self.busy = ""
        self.ordering = message.ordering
        self._refilter(keep=self.query_one(PlanTree).cursor_idx)

    def action_expand_all(self) -> None:
        tree = self.query_one(PlanTree)
        if self.counting():
            return
        whole = tree.expand_everything()
        if not whole:
            self.notify(
                _("Too many rows to open them all: the plan under the cursor is open"), timeout=4
            )

    def action_collapse_all(self) -> None:
        if not self.counting():
            self.query_one(PlanTree).collapse_everything()

    def action_go_to(self) -> None:
        from screens.main.goto import GoToScreen

        if not self.counting():
            self.app.push_screen(GoToScreen(self._go_to_problem), self._go_to_chosen)

    def _go_to_problem(self, text: str) -> str | None:
        """Why ``text`` names no one row, said in the prompt (which stays open), or None."""
        from workbench.analysis.goto import find_reference

        if self.catalog is None:
            return _("Still loading")
        found = find_reference(self.catalog, text, near=self.query_one(PlanTree).cursor_idx)
        if not found.idx:
            return _("Not found: “{text}” is no code or title start").format(text=clean(text))
        if found.unique is None:
            count = len(found.idx)
            return ngettext(
                "Ambiguous — {count} match: type more of the code or title",
                "Ambiguous — {count} matches: type more of the code or title",
                count,
            ).format(count=count)
        return None

    def _go_to_chosen(self, answer: Answer | None) -> None:
        from workbench.analysis.goto import find_reference

        if answer is None or self.catalog is None:
            return
        tree = self.query_one(PlanTree)
        found = find_reference(self.catalog, answer.text, near=tree.cursor_idx)
        if found.unique is not None:
            self._go(found.unique)

    # -- the status line: the screen's messages ----------------------------------------------

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Say ``message`` in the status line above the footer for ``timeout`` seconds: a toast
        in the corner would cover the detail's numbers at 80×24."""
        line = self._status_line()
        # Always literal: the callers' words, or a document's and a file's text (never markup).
        self._status = f"{title}: {message}" if title else message
        self.said.append(Said(message, severity, title))
        text = Text(f"{title}: " if title else "", style="bold")
        text.append(message)
        line.update(text)
        for level in ("information", "warning", "error"):
            line.set_class(severity == level, f"-{level}")
        line.display = True
        if self._status_timer is not None:
            self._status_timer.stop()
        seconds = timeout if timeout is not None else STATUS_SECONDS
        if severity == "error":
            seconds = max(seconds, ERROR_SECONDS)
        self._status_timer = self.set_timer(seconds, self._clear_status)

    def _status_line(self) -> Static:
        """The status line above the footer, added by the first message."""
        found = self.query("#status")
        if found:
            return found.first(Static)
        line = Static(id="status", markup=False)
        self.mount(line, after=self.query_one("#panes"))
        return line

    def _clear_status(self) -> None:
        self._status_timer = None
        for line in self.query("#status"):
            line.display = False

    @property
    def status_text(self) -> str:
        """What the status line says now ("" when it is hidden)."""
        shown = any(line.display for line in self.query("#status"))
        return self._status if shown else ""
