"""The import view: one document as the workbench reads it, corrected and added to the dataset.

Top: the plan as read. Middle: each table and its columns with their roles (Enter or ``e`` on
a column picks another). Under it: the highlighted column's header, or the highlighted table's
skipped rows and why. Bottom: the reading's warnings. The reading is done in a worker thread by
:class:`~workbench.ingest.import_session.ImportSession`; the screen only shows it and passes the
analyst's corrections on. Document text is shown as plain text, never markup.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static
from textual.worker import Worker, WorkerState

from screens.importing.dialogs import AS_READ, ConfirmDialog, RoleDialog, TextDialog
from workbench.dataset.text import safe_display
from workbench.errors import WorkbenchError
from workbench.i18n import _
from workbench.ingest.document import Warning_
from workbench.ingest.generic import TableReading
from workbench.ingest.hints import Hints, parse_period
from workbench.ingest.import_session import ImportSession
from workbench.ingest.layout.tables import Column

_SHOWN_SKIPS = 3
_HEADER_WIDTH = 44


def _role(column: Column) -> str:
    if column.role == "value":
        return f"{column.year or '?'} {column.kind}"
    if column.role == "amount" and column.year is not None:
        return f"amount {column.year}"
    return column.role


def _fit(text: str) -> str:
    # The whole header is shown under the table for the highlighted column; the table keeps
    # to the width of an 80-column terminal.
    return text if len(text) <= _HEADER_WIDTH else text[: _HEADER_WIDTH - 1] + "…"


def _warning(warning: Warning_) -> str:
    if warning.line is None or warning.message.startswith("line "):
        return warning.message
    return f"line {warning.line}: {warning.message}"


class ImportView(Screen[None]):
    DEFAULT_CSS = """
    ImportView #summary { height: auto; max-height: 4; padding: 0 1; background: $panel; }
    ImportView #columns { height: 1fr; }
    ImportView #detail { height: 2; padding: 0 1; color: $text-muted; }
    ImportView #warnings { height: auto; max-height: 3; padding: 0 1; color: $warning;
                           overflow-y: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "role", "Role"),
        Binding("c", "city", "City"),
        Binding("p", "period", "Period"),
        Binding("r", "reread", "Re-read"),
        Binding("w", "save", "Save map"),
        Binding("a", "add", "Add"),
        Binding("q,escape", "quit_view", "Quit"),
    ]

    def __init__(self, session: ImportSession, data: Path) -> None:
        super().__init__()
        self.session = session
        self.data = data
        self.reading = False
        self.read_again = False

    def compose(self) -> ComposeResult:
        yield Static(Text(f"{safe_display(self.session.path)}: reading…"), id="summary")
        table: DataTable[str | Text] = DataTable(
            id="columns", cursor_type="row", zebra_stripes=True
        )
        table.add_columns("tbl", "col", "role", "header")
        yield table
        yield Static("", id="detail")
        yield Static("", id="warnings")
        yield Footer()

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
        self.query_one("#summary", Static).update(
            Text(f"{safe_display(self.session.path)}: reading…")
        )
        self._read(self.session.hints_now())

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
            self.notify(str(event.worker.result), markup=False)

    def show_reading(self) -> None:
        self.query_one("#summary", Static).update(self._summary())
        table = self.query_one("#columns", DataTable)
        row = table.cursor_row
        table.clear()
        explanation = self.session.explanation
        for reading in explanation.tables if explanation else []:
            layout = reading.layout
            what = {"indicators": "indicators", "measures": "measures"}.get(layout.kind, "not read")
            label = f"{reading.read} read, {len(reading.skipped)} skipped"
            where = safe_display(layout.table.origin.describe())
            table.add_row(
                Text(str(layout.number), style="bold"),
                "",
                Text(what, style="bold"),
                Text(_fit(f"{label} · {where}"), style="bold"),
                key=f"{layout.number}:0",
            )
            for column in layout.columns:
                role = Text(_role(column), style="bold italic" if column.by_hand else "")
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
            warnings.insert(0, self.session.error)
        self.query_one("#warnings", Static).update(
            Text("\n".join(safe_display(w) for w in warnings) or "no warnings")
        )

    def _summary(self) -> Text:
        session = self.session
        text = Text()
        summary = session.summary()
        if summary is None:
            text.append(safe_display(session.path), style="bold")
            text.append(f"\nnot read as a plan: {safe_display(session.error or '')}")
            return text
        family = summary.family
        if summary.confidence is not None:
            family += f" ({summary.confidence:.2f})"
        text.append(f"{safe_display(Path(session.path).name)}", style="bold")
        text.append(f"  {family}")
        text.append(
            f"\n{summary.plan_id}: {safe_display(summary.city)}, {summary.country}, "
            f"{summary.period}, {summary.language}"
        )
        counts = ", ".join(f"{n} {t}" for t, n in summary.counts.items() if n)
        text.append(f"\n{counts or 'nothing read'}")
        warnings = len(session.explanation.warnings) if session.explanation else 0
        if warnings:
            text.append(f", {warnings} warning{'s' if warnings != 1 else ''}")
        if summary.given_by_hand:
            text.append(f"; by hand: {summary.given_by_hand}", style="italic")
        if session.unsaved:
            text.append("\ncorrections not saved (w saves them)", style="bold")
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
        detail = self.query_one("#detail", Static)
        if selected is None:
            detail.update("")
            return
        reading, column = selected
        if column is not None:
            detail.update(Text(safe_display(column.header.replace("\n", " ")) or "(no header)"))
            return
        skips = [
            f"{safe_display(origin.describe())}: {reason}"
            for origin, reason in reading.skipped[:_SHOWN_SKIPS]
        ]
        more = len(reading.skipped) - _SHOWN_SKIPS
        if more > 0:
            skips.append(f"… {more} more")
        detail.update(Text("skipped " + "; ".join(skips) if skips else "no rows skipped"))

    # -- corrections ---------------------------------------------------------------------

    def action_role(self) -> None:
        selected = self._selected()
        column = selected[1] if selected is not None else None
        if selected is None or column is None:
            self.notify(_("choose a column (the rows under a table)"))
            return
        reading = selected[0]
        number, index = reading.layout.number, column.index + 1
        heading = f"table {number} column {index}: {safe_display(column.header)[:50]}"
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

        self.app.push_screen(TextDialog("City, district or region", value, check), chosen)

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

        self.app.push_screen(TextDialog("Period, e.g. 2021-2025", value, check), chosen)

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

        question = f"Add plan {summary.plan_id} to {self.data}?"
        self.app.push_screen(ConfirmDialog(question), chosen)

    @work(thread=True, exit_on_error=False, group="add")
    def _add(self) -> str:
        plan_id = self.session.add_to(self.data)
        return f"plan {plan_id} written to {self.data}"

    def action_quit_view(self) -> None:
        if not self.session.unsaved:
            self.app.exit()
            return

        def chosen(yes: bool | None) -> None:
            if yes:
                self.app.exit()

        question = "The corrections are not saved (w saves them). Quit anyway?"
        self.app.push_screen(ConfirmDialog(question), chosen)
