"""The main screen's keys for the analyst's own work (issue 6), mixed into MainScreen.

``a`` annotates the row, ``f`` enters an indicator's fact, ``u`` undoes the last edit, ``s`` saves
a snapshot, ``S`` lists them, ``e`` shows only the deviations nobody has explained. Every edit goes
through the workspace store (:class:`workbench.workspace.session.Session`, the app's ``session``)
and is committed before the screen says "saved"; the catalog is then rebuilt — with the annotations
at once, with the statuses counted again in a worker after a fact changed — and posted as
``MainScreen.Recounted``, which redraws the tree and the detail. Edits that other processes save to
the same workspace (a colleague's workbench, ``workbench annotate`` in a script) are looked for
every :attr:`WorkspaceActions.POLL_SECONDS` and shown the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import work
from textual.message import Message

from screens import messages
from screens.labels import KIND_LABELS, clean, number, shorten
from screens.main.tree import PlanTree
from workbench.analysis.labels import plan_label
from workbench.display import exact_number
from workbench.errors import WorkbenchError
from workbench.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from textual.screen import Screen

    from screens.widgets.prompt import Answer
    from workbench.analysis.catalog import Catalog
    from workbench.workspace.annotation_store import Annotation
    from workbench.workspace.fact_store import Fact
    from workbench.workspace.session import Session
    from workbench.workspace.snapshot_store import SnapshotInfo
    from workbench.workspace.store import Workspace

    _Base = Screen[None]
else:
    _Base = object


def default_name(at: datetime | None = None, taken: Collection[str] = ()) -> str:
    """A snapshot name from the date and time: ``2026-11-24-1030``; ``-2``, ``-3`` … after it
    when the names ``taken`` hold it (a second snapshot within the minute)."""
    name = (at or datetime.now()).strftime("%Y-%m-%d-%H%M")
    number = 1
    while (name if number == 1 else f"{name}-{number}") in taken:
        number += 1
    return name if number == 1 else f"{name}-{number}"


def name_problem(ws: Workspace | None, name: str) -> str | None:
    """Why a snapshot name is refused (the core's check, then an existing name), or None."""
    from workbench.snapshots.model import check_name

    try:
        check_name(name)
    except WorkbenchError as exc:
        return str(exc)
    if ws is not None and any(info.name == name for info in ws.snapshots()):
        return _("a snapshot named {name} already exists").format(name=repr(name))
    return None


class WorkspaceActions(_Base):
    """Actions only: the screen provides the catalog, the tree and the Recounted message."""

    if TYPE_CHECKING:
        catalog: Catalog | None
        busy: str
        unexplained: bool
        Recounted: Any  # MainScreen.Recounted(catalog)
        session_of: Callable[[], Session | None]  # the app's session (WorkbenchApp.session)

        def _update_topbar(self) -> None: ...
        def counting(self) -> bool: ...
        def _refilter(self, keep: int | None, *, typing: bool = False) -> None: ...

    # How often the workspace is asked for edits saved by other processes (one cheap query).
    POLL_SECONDS: ClassVar[float] = 2.0

    class ChangedElsewhere(Message):
        """Another process saved edits: ``kind`` "facts" (count again) or "notes"."""

        def __init__(self, kind: str) -> None:
            self.kind = kind
            super().__init__()

    class SnapshotSaved(Message):
        def __init__(self, info: SnapshotInfo | None, problem: str | None) -> None:
            self.info = info
            self.problem = problem
            super().__init__()

    # -- shared ------------------------------------------------------------------------------

    @property
    def session(self) -> Session | None:
        return self.session_of()

    def _workspace(self) -> Workspace | None:
        """The workspace (created on the first edit), or None after saying why not."""
        session = self.session
        if session is None or self.catalog is None or self.busy == "loading":
            self.notify(_("Still loading"), timeout=2)
            return None
        try:
            return session.workspace()
        except WorkbenchError as exc:
            self.notify(clean(str(exc)), title="Workspace", severity="error", markup=False)
            return None

    def _editable(self) -> Session | None:
        """The session when edits can be made: an existing workspace is opened now (so a
        damaged one is said before the form opens); a missing one is made by the first save."""
        session = self.session
        if session is None or self.catalog is None or self.busy == "loading":
            self.notify(_("Still loading"), timeout=2)
            return None
        if session.tables is None:
            self.notify(_("No dataset folder is open: edits are checked against one"))
            return None
        if session.has_workspace or not session.path.exists():
            return session
        return session if self._workspace() is not None else None

    def _row(self) -> dict[str, Any] | None:
        idx = self.query_one(PlanTree).cursor_idx
        if self.counting() or self.catalog is None or idx is None:
            return None
        return self.catalog.row(idx)

    def _heading(self, row: dict[str, Any], year: int | None) -> Text:
        kind = _(KIND_LABELS.get(str(row["kind"]), str(row["kind"])))
        head = Text(kind.upper() + "  ", style="dim")
        if row["code"]:
            head.append(clean(row["code"]) + " ", style="bold")
        head.append(shorten(clean(row["title"]), 120), style="bold")
        plan = self.catalog.plan_row(str(row["plan_id"])) if self.catalog is not None else None
        named = plan_label(plan) if plan is not None else str(row["plan_id"])
        where = Text(f"\n{clean(row['city'])} · {clean(named)}", style="dim")
        if year is not None:
            where.append(" · " + _("year {year}").format(year=year), style="dim")
        return head + where

    def report_workspace_problem(self) -> None:
        """After loading: a workspace that could not be opened is said once, not hidden."""
        session = self.session
        if session is not None and session.problem:
            self.notify(clean(session.problem), title="Workspace", severity="error", markup=False)

    def work_changed(self, *, recount: bool = False) -> None:
        """Redraw after an edit (also for other screens that save through the session, e.g. an
        annotation from the activities view): annotations at once; with ``recount``, every
        status and roll-up counted again in a worker (a fact was entered or undone)."""
        session, catalog = self.session, self.catalog
        if session is None or catalog is None:
            return
        if not recount:
            self.post_message(self.Recounted(session.with_work(catalog)))
            return
        self.busy = N_("counting")
        self._update_topbar()
        self._recount(session, catalog)

    @work(thread=True, exit_on_error=False, name=N_("Counting again"), group="year", exclusive=True)
    def _recount(self, session: Session, catalog: Catalog) -> None:
        self.post_message(self.Recounted(session.recount(catalog)))

    # -- edits saved by other processes ---------------------------------------------------

    def watch_workspace(self) -> None:
        """Look for other processes' edits from now on (called once the catalog is loaded)."""
        self.set_interval(self.POLL_SECONDS, self._poll_workspace)

    def _poll_workspace(self) -> None:
        if self.session is None or self.catalog is None or self.busy:
            return
        # One look at a time: a thread cannot be stopped, so cancelling a slow look (an
        # exclusive worker) would only start a second one on the same connection.
        if any(w.group == "poll" and not w.is_finished for w in self.workers):
            return
        # In a worker: the query waits while this screen's own snapshot is being written.
        self._look_elsewhere()

    @work(thread=True, exit_on_error=False, name=N_("Looking for others' edits"), group="poll")
    def _look_elsewhere(self) -> None:
        session = self.session
        if session is None:
            return
        try:
            kind = session.others_changes()
        except WorkbenchError:
            return  # a workspace gone bad: the next edit says so
        if kind is not None:
            self.post_message(self.ChangedElsewhere(kind))

    def on_workspace_actions_changed_elsewhere(self, message: ChangedElsewhere) -> None:
        self.work_changed(recount=message.kind == "facts")
        self.notify(_("Updated: edits saved by another workbench"), timeout=3)

    # -- a: annotate -------------------------------------------------------------------------

    def action_annotate(self) -> None:
        row = self._row()
        if row is None:
            return
        if row["level"] != "node":
            self.notify(_("Annotations go on a goal, a task, an indicator …: open the plan"))
            return
        session = self._editable()
        if session is None:
            return
        # An indicator: the year its status is counted at (y, else its latest); else the node.
        year = row["year"] if row["is_indicator"] else None
        heading = self._heading(row, year)
        plan_id, node_id = str(row["plan_id"]), str(row["node_id"])
        self.post_message(messages.EditAnnotation(self, plan_id, node_id, year, heading))

    def on_saved(self, message: messages.Saved) -> None:
        """A form opened from here saved its record."""
        from workbench.workspace.annotation_store import Annotation

        if isinstance(message.record, Annotation):
            self._annotated(message.record)
        else:
            self._fact_entered(message.record)

    def _annotated(self, note: Annotation) -> None:
        what = (
            _("Annotation #{id} saved")
            if note.version == 1
            else _("Annotation #{id} saved (version {version})")
        )
        self.notify(what.format(id=note.id, version=note.version), timeout=3, markup=False)
        self.work_changed(recount=False)

    # -- f: enter a fact ---------------------------------------------------------------------

    def action_enter_fact(self) -> None:
        row = self._row()
        if row is None:
            return
        if not row["is_indicator"]:
            self.notify(_("Facts are entered on an indicator: move to one (● ◐ ✖ ○)"), timeout=3)
            return
        session = self._editable()
        if session is None or self.catalog is None:
            return
        plan_id, node_id = str(row["plan_id"]), str(row["node_id"])
        year = row["year"] if row["year"] is not None else self.catalog.year
        info = self.catalog.indicator_row(plan_id, node_id) or {}
        unit = info.get("unit")
        catalog = self.catalog
        years = {item["year"]: item for item in catalog.indicator_years(plan_id, node_id)}

        def heading_for(typed: int | None) -> Text:
            # the form redraws this as the year is typed: the plan shown is the typed year's
            heading = self._heading(row, typed)
            item = years.get(typed)
            if item is not None:
                source = f" ({item['fact_source']})" if item["fact"] is not None else ""
                heading.append(
                    f"\nNow: plan {number(item['plan'])} · fact {number(item['fact'])}{source}",
                    style="dim",
                )
            return heading

        unit_text = str(unit) if unit else None
        self.post_message(messages.EnterFact(self, plan_id, node_id, year, heading_for, unit_text))

    # -- P: set the polarity of an indicator (the app opens the picker and says "saved") ------

    def action_set_polarity(self) -> None:
        row = self._row()
        if row is None or self.catalog is None:
            return
        if not row["is_indicator"]:
            self.notify(_("A polarity is set on an indicator: move to one (● ◐ ✖ ○)"), timeout=3)
            return
        if self._editable() is None:
            return
        from workbench.dataset.polarity import describe_review

        plan_id, node_id = str(row["plan_id"]), str(row["node_id"])
        review = self.catalog.polarity_review(plan_id, node_id, str(row["title"]))
        self.post_message(
            messages.SetPolarity(
                self,
                plan_id,
                node_id,
                self._heading(row, None),
                self.catalog.polarity_of(plan_id, node_id),
                describe_review(review) if review is not None else None,
            )
        )

    def _fact_entered(self, fact: Fact) -> None:
        unit = f" {clean(fact.unit)}" if fact.unit else ""
        value = exact_number(fact.value) if fact.value is not None else clean(fact.raw)
        self.notify(
            _("Saved: fact {value} for {year}").format(value=f"{value}{unit}", year=fact.year),
            markup=False,
        )
        self.work_changed(recount=True)

    # -- u: undo -----------------------------------------------------------------------------

    def action_undo(self) -> None:
        if self.counting():
            return
        session = self.session
        if session is None or not session.has_workspace:
            self.notify(_("Nothing to undo"), timeout=2)
            return
        ws = self._workspace()
        if ws is None:
            return
        try:
            undone = ws.undo()  # this analyst's own latest edit, never a colleague's
            others = ws.others_edits() if undone is None else 0
        except WorkbenchError as exc:
            self.notify(clean(str(exc)), severity="error", markup=False)
            return
        if undone is None:
            message = (
                ngettext(
                    "Nothing of yours to undo ({count} edit by others is theirs to undo)",
                    "Nothing of yours to undo ({count} edits by others are theirs to undo)",
                    others,
                ).format(count=others)
                if others
                else _("Nothing to undo")
            )
            self.notify(message, timeout=3, markup=False)
            return
        summary = clean(self._named(undone.summary, undone.target))
        self.notify(summary[:1].upper() + summary[1:], title="Undo", markup=False, timeout=4)
        self.work_changed(recount=True)

    def _named(self, summary: str, target: tuple[str, str, int | None] | None) -> str:
        """An edit's summary with its node named by city, code and title (not its ids)."""
        catalog = self.catalog
        idx = catalog.find(target[0], target[1]) if catalog and target else None
        if catalog is None or target is None or idx is None:
            return summary
        from workbench.analysis.labels import NodeLabel, with_node_named

        row = catalog.row(idx)
        label = NodeLabel(
            target[0],
            target[1],
            row.get("city"),
            row.get("kind"),
            row.get("code"),
            row.get("title"),
        )
        return with_node_named(summary, label, keep_ids=False, width=40)

    # -- s / S: snapshots --------------------------------------------------------------------

    def action_create_snapshot(self) -> None:
        session = self.session
        if session is None or self.catalog is None or self.busy == "loading":
            self.notify(_("Still loading"), timeout=2)
            return
        existing = session.workspace() if session.has_workspace else None
        heading = Text(
            _("Freezes every plan's values and statuses, the entered facts and the annotations.")
        )

        from screens.widgets.prompt import PromptScreen

        def chosen(answer: Answer | None) -> None:
            if answer is not None:
                self._save_snapshot(answer.text)

        self.app.push_screen(
            PromptScreen(
                _("Save a snapshot"),
                "Name",
                default_name(
                    taken={info.name for info in existing.snapshots()} if existing else ()
                ),
                heading,
                check=lambda name: name_problem(existing, name),
            ),
            chosen,
        )

    def _save_snapshot(self, name: str) -> None:
        session = self.session
        if session is None:
            return
        self.busy = "saving snapshot"
        self._update_topbar()
        self._snapshot(session, name)

    @work(thread=True, exit_on_error=False, name=N_("Saving the snapshot"), group="snapshot")
    def _snapshot(self, session: Session, name: str) -> None:
        from workbench.snapshots.create import create
        from workbench.snapshots.model import check_name

        info: SnapshotInfo | None = None
        problem: str | None = None
        try:
            check_name(name)
            info = create(
                session.workspace(), session.snapshot_tables(), name, thresholds=session.thresholds
            )
        except WorkbenchError as exc:
            problem = str(exc)
        finally:
            # Also when it raised something else (said by the app): the screen is not left
            # "saving".
            self.post_message(self.SnapshotSaved(info, problem))

    def on_workspace_actions_snapshot_saved(self, message: SnapshotSaved) -> None:
        self.busy = ""
        self._update_topbar()
        if message.info is None:
            if message.problem:
                self.notify(clean(message.problem), severity="error", markup=False)
            return
        name = clean(message.info.name)
        # Two lines of their own: at 80 columns the toast would break the one line anywhere.
        self.notify(
            _("Snapshot {name} saved").format(name=name) + "\n" + _("S lists the snapshots"),
            timeout=4,
            markup=False,
        )

    def action_show_snapshots(self) -> None:
        session = self.session
        if session is not None and not session.has_workspace and not session.path.exists():
            self.notify(_("No snapshots yet: s saves one"), timeout=3)
            return
        ws = self._workspace()
        if ws is not None:
            self.post_message(messages.OpenSnapshots(ws))

    # -- e: deviations without an explanation ------------------------------------------------

    def action_toggle_unexplained(self) -> None:
        self.unexplained = not self.unexplained
        self._refilter(keep=self.query_one(PlanTree).cursor_idx)
