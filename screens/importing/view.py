"""The import view: one document as the workbench reads it, corrected and added to the dataset.

Top: the plan as read. Middle: each table and its columns with their roles (Enter or ``e`` on
a column picks another). Under it: the highlighted column's header, or the highlighted table's
skipped rows and why. Bottom: the reading's warnings (Tab focuses them to scroll). The
reading is done in a worker thread by
:class:`~workbench.ingest.import_session.ImportSession`; the screen only shows it and passes the
analyst's corrections on. Document text is shown as plain text, never markup.

Opened by ``workbench import FILE`` (:mod:`screens.importing.app`) or from the main screen (the
app pushes it): it is dismissed when the analyst leaves, and says :class:`~screens.messages.
PlanAdded` when a plan was added, so the app can show it in the tree.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static
from textual.worker import Worker, WorkerState

from screens import messages
from screens.importing.dialogs import AS_READ, ChoiceDialog, ConfirmDialog, RoleDialog, TextDialog
from screens.language import translated
from workbench.dataset.text import safe_display
from workbench.display import number
from workbench.errors import WorkbenchError
from workbench.i18n import N_, _, ngettext
from workbench.ingest.document import Warning_
from workbench.ingest.generic import TableReading
from workbench.ingest.hints import FAMILY_CHOICES, Hints, describe_given, parse_period
from workbench.ingest.import_session import ImportSession
from workbench.ingest.layout.role_names import role_label
from workbench.ingest.layout.tables import Column
from workbench.keymap import display

_SHOWN_SKIPS = 3
_HEADER_WIDTH = 44


def _fit(text: str) -> str:
    # The whole header is shown under the table for the highlighted column; the table keeps
    # to the width of an 80-column terminal.
    return text if len(text) <= _HEADER_WIDTH else text[: _HEADER_WIDTH - 1] + "…"


def _warning(warning: Warning_) -> str:
    if warning.line is None or warning.message.startswith("line "):
        return warning.message
    return _("line {line}: {message}").format(line=warning.line, message=warning.message)


# What the reader needs the analyst to give, and the key that gives it (the CLI's own message
# names its flag, --city / --period).
_MISSING = {
    "city": N_("The text names no city or region the workbench knows: press {key} to say which"),
    "period": N_("The text names no period: press {key} to give it (e.g. 2021-2025)"),
}
_DETECTED = "(as detected)"  # no family given: the reader detects it
_COUNTED: dict[str, Callable[[int], str]] = {
    "nodes": lambda n: ngettext("{count} node", "{count} nodes", n),
    "indicators": lambda n: ngettext("{count} indicator", "{count} indicators", n),
    "values": lambda n: ngettext("{count} value", "{count} values", n),
    "activities": lambda n: ngettext("{count} activity", "{count} activities", n),
    "grants": lambda n: ngettext("{count} grant", "{count} grants", n),
    "funding": lambda n: ngettext("{count} funding row", "{count} funding rows", n),
}
_FAMILY_NAMES = {
    "plan": N_("development plan"),
    "report": N_("monitoring report"),
    "programme": N_("programme"),
    "grants": N_("grant list"),
    "generic": N_("generic plan (any tables of indicators or measures)"),
}


class ImportView(Screen[None]):
    DEFAULT_CSS = """
    ImportView #summary { height: auto; max-height: 4; padding: 0 1; background: $panel; }
    ImportView #columns { height: 1fr; }
    ImportView #column-detail { height: 2; padding: 0 1; color: $text-muted; }
    ImportView #warnings { height: auto; max-height: 5; padding: 0 1; }
    ImportView #warnings:focus { border-left: thick $accent; padding-left: 0; }
    ImportView #warning-lines { color: $warning; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        translated(Binding(key, action, description, key_display=shown))
        for key, action, description, shown in (
            ("e", "role", N_("Role"), None),
            ("c", "city", N_("City"), None),
            ("p", "period", N_("Period"), None),
            ("f", "family", N_("Family"), None),
            ("r", "reread", N_("Re-read"), None),
            ("w", "save", N_("Save map"), None),
            ("a", "add", N_("Add"), None),
            ("q,escape", "quit_view", N_("Quit"), None),
            ("tab", "switch_pane", N_("Warnings"), "Tab"),
        )
    ]

    def __init__(self, session: ImportSession, data: Path) -> None:
        super().__init__()
        self.session = session
        self.data = data
        self.reading = False
        self.read_again = False

    def compose(self) -> ComposeResult:
        yield Static(self._reading_text(), id="summary")
        table: DataTable[str | Text] = DataTable(
            id="columns", cursor_type="row", zebra_stripes=True
        )
        table.add_columns(_("tbl"), _("col"), _("role"), _("header"))
        yield table
        yield Static("", id="column-detail")
        with VerticalScroll(id="warnings"):
            yield Static("", id="warning-lines")
        # The keys of this view fill 80 columns; the command palette (Ctrl+P) is in help.
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#columns", DataTable).focus()
        self.action_reread()

    # -- reading -------------------------------------------------------------------------

    def action_reread(self) -> None:
        if self.reading:
            # A correction made during a reading is read once that reading ends.
            self.read_again = True
            return
        self.reading = True
        self.query_one("#summary", Static).update(self._reading_text())
        self._read(self.session.hints_now())

    def _reading_text(self) -> Text:
        return Text(_("{path}: reading…").format(path=safe_display(self.session.path)))

    @work(thread=True, exit_on_error=False, group="read")
    def _read(self, hints: Hints) -> None:
        self.session.reread(hints)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group not in ("read", "add"):
            return
        if event.state == WorkerState.ERROR:
            if event.worker.group == "read":
                self.reading = False
            error = event.worker.error
            message = error.args[0] if isinstance(error, WorkbenchError) else str(error)
            self.notify(Text(safe_display(str(message))).plain, severity="error", markup=False)
        elif event.state == WorkerState.SUCCESS and event.worker.group == "read":
            self.reading = False
            self.show_reading()
            if self.read_again:
                self.read_again = False
                self.action_reread()
        elif event.state == WorkerState.SUCCESS and event.worker.group == "add":
            plan_id = str(event.worker.result)
            self.notify(
                _("plan {plan} written to {folder}").format(plan=plan_id, folder=self.data),
                markup=False,
            )
            self.post_message(messages.PlanAdded(plan_id, self.data))

    def show_reading(self) -> None:
        self.query_one("#summary", Static).update(self._summary())
        table = self.query_one("#columns", DataTable)
        row = table.cursor_row
        table.clear()
        explanation = self.session.explanation
        for reading in explanation.tables if explanation else []:
            layout = reading.layout
            what = {"indicators": _("indicators"), "measures": _("measures")}.get(
                layout.kind, _("not read")
            )
            label = _("{read} read, {skipped} skipped").format(
                read=reading.read, skipped=len(reading.skipped)
            )
            where = safe_display(layout.table.origin.describe())
            table.add_row(
                Text(str(layout.number), style="bold"),
                "",
                Text(what, style="bold"),
                Text(_fit(f"{label} · {where}"), style="bold"),
                key=f"{layout.number}:0",
            )
            for column in layout.columns:
                role = Text(
                    role_label(column.role, column.year, column.kind, with_key=False),
                    style="bold italic" if column.by_hand else "",
                )
                if column.by_hand:
                    role.append(" ✎")
                header = Text(_fit(safe_display(column.header.replace("\n", " "))))
                table.add_row(
                    "",
                    str(column.index + 1),
                    role,
                    header,
                    key=f"{layout.number}:{column.index + 1}",
                )
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
        self._show_detail()
        # The file is named at the top: a warning here is its line and message.
        warnings = [_warning(w) for w in explanation.warnings] if explanation else []
        if self.session.error:
            warnings.insert(0, self._problem())
        self.query_one("#warning-lines", Static).update(
            Text("\n".join(safe_display(w) for w in warnings) or _("no warnings"))
        )

    def _problem(self) -> str:
        """Why the document does not read; what the analyst can give is said with its key."""
        fact = self.session.missing or ""
        if fact not in _MISSING:
            return self.session.error or ""
        return _(_MISSING[fact]).format(key=self._key(fact))

    def _key(self, action: str) -> str:
        """The key of one of this view's actions, as the footer shows it."""
        for binding in self._bindings.key_to_bindings.values():
            for each in binding:
                if each.action == action:
                    return display(each.key)
        return action

    def _summary(self) -> Text:
        session = self.session
        text = Text()
        summary = session.summary()
        if summary is None:
            text.append(safe_display(session.path), style="bold")
            text.append(
                "\n" + _("not read as a plan: {why}").format(why=safe_display(self._problem()))
            )
            return text
        family = summary.family
        if summary.confidence is not None:
            family += f" ({number(summary.confidence, decimals=2)})"
        text.append(f"{safe_display(Path(session.path).name)}", style="bold")
        text.append(f"  {family}")
        text.append(
            f"\n{summary.plan_id}: {safe_display(summary.city)}, {summary.country}, "
            f"{summary.period}, {summary.language}"
        )
        counts = ", ".join(_COUNTED[t](n).format(count=n) for t, n in summary.counts.items() if n)
        text.append("\n" + (counts or _("nothing read")))
        warnings = len(session.explanation.warnings) if session.explanation else 0
        if warnings:
            text.append(
                ", "
                + ngettext("{count} warning", "{count} warnings", warnings).format(count=warnings)
            )
        if summary.given_by_hand:
            text.append(
                "; " + _("by hand: {fields}").format(fields=describe_given(summary.given_by_hand)),
                style="italic",
            )
        if session.unsaved:
            text.append(
                "\n" + _("corrections not saved ({key} saves them)").format(key=self._key("save")),
                style="bold",
            )
        return text

    def _selected(self) -> tuple[TableReading, Column | None] | None:
        table = self.query_one("#columns", DataTable)
        explanation = self.session.explanation
        if explanation is None or not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or ""
        number, column = (int(part) for part in key.split(":"))
        reading = next(r for r in explanation.tables if r.layout.number == number)
        found = next((c for c in reading.layout.columns if c.index + 1 == column), None)
        return reading, found

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_role()

    def _show_detail(self) -> None:
        selected = self._selected()
        detail = self.query_one("#column-detail", Static)
        if selected is None:
            detail.update("")
            return
        reading, column = selected
        if column is not None:
            header = safe_display(column.header.replace("\n", " "))
            detail.update(Text(header or _("(no header)")))
            return
        skips = [
            f"{safe_display(origin.describe())}: {_(reason)}"
            for origin, reason in reading.skipped[:_SHOWN_SKIPS]
        ]
        more = len(reading.skipped) - _SHOWN_SKIPS
        if more > 0:
            skips.append(_("… {count} more").format(count=more))
        shown = _("skipped {rows}").format(rows="; ".join(skips)) if skips else _("no rows skipped")
        detail.update(Text(shown))

    # -- corrections ---------------------------------------------------------------------

    def action_role(self) -> None:
        selected = self._selected()
        column = selected[1] if selected is not None else None
        if selected is None or column is None:
            self.notify(_("choose a column (the rows under a table)"))
            return
        reading = selected[0]
        number, index = reading.layout.number, column.index + 1
        heading = _("table {table} column {column}: {header}").format(
            table=number, column=index, header=safe_display(column.header)[:50]
        )
        current = column.kind if column.role == "value" and column.kind else column.role

        def chosen(answer: tuple[str, int | None] | None) -> None:
            if answer is None:
                return
            role, year = answer
            if role == AS_READ:
                self.session.clear_column(number, index)
            else:
                self.session.set_column(number, index, role, year)
            self.action_reread()

        self.app.push_screen(RoleDialog(heading, current, column.year), chosen)

    def action_city(self) -> None:
        summary = self.session.summary()
        value = self.session.hints.city or (summary.city if summary else "")

        def check(text: str) -> str | None:
            try:
                ImportSession.check_city(text)
            except ValueError as exc:
                return str(exc)
            return None

        def chosen(answer: str | None) -> None:
            if answer is not None:
                self.session.set_city(answer)
                self.action_reread()

        self.app.push_screen(TextDialog(_("City, district or region"), value, check), chosen)

    def action_period(self) -> None:
        period = self.session.hints.period
        value = f"{period[0]}-{period[1]}" if period else ""

        def check(text: str) -> str | None:
            try:
                parse_period(text)
            except ValueError as exc:
                return str(exc)
            return None

        def chosen(answer: str | None) -> None:
            if answer is not None:
                self.session.set_period(answer)
                self.action_reread()

        self.app.push_screen(TextDialog(_("Period, e.g. 2021-2025"), value, check), chosen)

    def action_family(self) -> None:
        """The family the document is read as; "as detected" lets the reader choose again."""
        choices = [(_DETECTED, _("as detected"))]
        choices += [(family, f"{family}: {_(_FAMILY_NAMES[family])}") for family in FAMILY_CHOICES]

        def chosen(answer: str | None) -> None:
            if answer is not None:
                self.session.set_family(None if answer == _DETECTED else answer)
                self.action_reread()

        current = self.session.hints.family or _DETECTED
        dialog = ChoiceDialog(_("Read the document as"), choices, current)
        self.app.push_screen(dialog, chosen)

    def action_switch_pane(self) -> None:
        """Between the columns and the warnings (arrows, PgUp/PgDn and Home/End scroll them)."""
        table = self.query_one("#columns", DataTable)
        if table.has_focus:
            self.query_one("#warnings", VerticalScroll).focus()
        else:
            table.focus()

    # -- writing -------------------------------------------------------------------------

    def action_save(self) -> None:
        try:
            path = self.session.save_mapping()
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.notify(_("corrections saved to {path}").format(path=path), markup=False)
        self.query_one("#summary", Static).update(self._summary())

    def action_add(self) -> None:
        summary = self.session.summary()
        if summary is None or self.reading:
            self.notify(_("nothing read to add yet"), severity="warning")
            return

        def chosen(yes: bool | None) -> None:
            if yes:
                self._add()

        question = _("Add plan {plan} to {folder}?").format(plan=summary.plan_id, folder=self.data)
        self.app.push_screen(ConfirmDialog(question), chosen)

    @work(thread=True, exit_on_error=False, group="add")
    def _add(self) -> str:
        return self.session.add_to(self.data)

    def action_quit_view(self) -> None:
        if not self.session.unsaved:
            self.dismiss(None)
            return

        def chosen(yes: bool | None) -> None:
            if yes:
                self.dismiss(None)

        question = _("The corrections are not saved ({key} saves them). Quit anyway?").format(
            key=self._key("save")
        )
        self.app.push_screen(ConfirmDialog(question), chosen)
