"""``s`` names a new snapshot; ``S`` lists the snapshots to export one or compare two.

The list: Space marks a snapshot, ``C`` compares the marked one with the one under the cursor
(or the two latest when nothing is marked), ``E`` exports the one under the cursor to a path the
user types (``.toml``, else CSV: the values file and ``<stem>.annotations.csv`` beside it); an
existing file is overwritten only after a second Enter. Export runs in a worker.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import work
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static

from screens import messages
from screens.bindings import bindings
from screens.compat import WorkbenchFooter
from screens.labels import clean
from screens.widgets.failures import ReportsFailures
from screens.widgets.prompt import Answer, PromptScreen
from workbench.errors import WorkbenchError
from workbench.i18n import N_, _

if TYPE_CHECKING:
    from workbench.workspace.store import Workspace


def export_format(path: str) -> str:
    return "toml" if path.lower().endswith(".toml") else "csv"


def existing_targets(path: str) -> list[Path]:
    """The files an export to ``path`` would replace."""
    from workbench.snapshots.csv_export import csv_paths

    if not path:
        return []
    target = Path(path).expanduser()
    targets = [target] if export_format(path) == "toml" else list(csv_paths(target))
    return [each for each in targets if each.exists()]


class SnapshotsScreen(ReportsFailures, Screen[None]):
    """The workspace's snapshots, newest last."""

    BINDINGS: ClassVar = [
        *bindings("snap_mark", "snap_diff", "snap_export"),
        *bindings("close", actions={"close": "screen.close"}),
    ]
    DEFAULT_CSS = """
    SnapshotsScreen {
        & > #snap-head { height: auto; padding: 0 1; background: $panel; }
        & > DataTable { height: 1fr; }
        & > #snap-status { height: auto; padding: 0 1; color: $foreground-muted; }
    }
    """

    class Exported(Message):
        def __init__(self, paths: list[Path] | None, problem: str | None) -> None:
            self.paths = paths or []
            self.problem = problem
            super().__init__()

    def __init__(self, ws: Workspace) -> None:
        super().__init__()
        self.ws = ws
        self.marked: str | None = None
        self.names: list[str] = []
        self._typed_path: dict[str, str] = {}

    def compose(self) -> Any:
        yield Static(Text(" " + _("Snapshots") + " ", style="bold reverse"), id="snap-head")
        yield DataTable(cursor_type="row", zebra_stripes=True, id="snap-table")
        yield Static("", id="snap-status")
        yield WorkbenchFooter(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key, name in (
            ("mark", ""),
            ("Name", _("Name")),
            ("Created (UTC)", _("Created (UTC)")),
            ("Author", _("Author")),
            ("From", _("From")),
        ):
            table.add_column(Text(name), key=key)
        self.reload()
        table.focus()

    def reload(self) -> None:
        table = self.query_one(DataTable)
        infos = self.ws.snapshots()
        self.names = [info.name for info in infos]
        table.clear()
        for info in infos:
            mark = "▶" if info.name == self.marked else " "
            table.add_row(
                Text(mark),
                Text(clean(info.name)),
                Text(info.created_at[:16].replace("T", " ")),
                Text(clean(info.author)),
                Text(clean(info.imported_from) if info.imported_from else _("this workspace")),
                key=info.name,
            )
        if infos:
            table.move_cursor(row=len(infos) - 1)
        self._status(
            _("No snapshots yet: s on the main screen saves one.")
            if not infos
            else _("Space marks one · C compares it with the row · E exports the row · Esc back")
        )

    def _status(self, text: str) -> None:
        self.query_one("#snap-status", Static).update(Text(clean(text)))

    @property
    def current(self) -> str | None:
        table = self.query_one(DataTable)
        if not self.names or table.cursor_row < 0:
            return None
        return self.names[min(table.cursor_row, len(self.names) - 1)]

    def action_mark(self) -> None:
        name = self.current
        if name is None:
            return
        self.marked = None if self.marked == name else name
        table = self.query_one(DataTable)
        for each in self.names:
            table.update_cell(each, "mark", Text("▶" if each == self.marked else " "))
        if self.marked:
            self._status(
                _("Marked {name}: move to another and press C to compare.").format(name=self.marked)
            )

    def action_diff(self) -> None:
        if len(self.names) < 2:
            self.notify(_("Two snapshots are needed to compare"), severity="warning", timeout=3)
            return
        current = self.current
        if self.marked and current and self.marked != current:
            a, b = self.marked, current
        else:
            a, b = self.names[-2], self.names[-1]
        # Older first, so "before → after" reads forward in time.
        if self.names.index(a) > self.names.index(b):
            a, b = b, a
        self.post_message(messages.OpenDiff(self.ws, a, b))

    def action_export(self) -> None:
        name = self.current
        if name is None:
            return
        heading = Text(_("Snapshot") + " ")
        heading.append(clean(name), style="bold")
        heading.append(
            "\n"
            + _(
                "A path ending in .toml writes TOML; any other writes CSV (values, and "
                "annotations beside it). Relative paths start in "
            )
        )
        heading.append(clean(str(Path.cwd())))

        def confirm(path: str) -> str | None:
            found = existing_targets(path)
            if not found:
                return None
            names = ", ".join(clean(str(each)) for each in found)
            return _("{names} exists: Enter again to overwrite, or change the path").format(
                names=names
            )

        def chosen(answer: Answer | None) -> None:
            if answer is not None:
                self._typed_path[name] = answer.text  # offered again if this export fails
                self._export(name, answer.text, answer.confirmed)

        self.app.push_screen(
            PromptScreen(
                _("Export snapshot"),
                "To",
                self._typed_path.get(name, f"{name}.toml"),
                heading,
                check=lambda path: None if path else _("type a path to write to"),
                confirm=confirm,
                action="Export",
            ),
            chosen,
        )

    def _export(self, name: str, path: str, force: bool) -> None:
        self._status(f"Exporting {name} …")
        self._write(name, path, force)

    @work(thread=True, exit_on_error=False, name=N_("Export"), group="export")
    def _write(self, name: str, path: str, force: bool) -> None:
        from workbench.snapshots import export

        paths: list[Path] | None = None
        problem: str | None = None
        try:
            paths = export.export(self.ws, name, export_format(path), path, force=force)
        except WorkbenchError as exc:
            problem = str(exc)
        finally:
            # Anything else it raised (disk full, permission denied) the app says; the status
            # line does not stay "Exporting".
            self.post_message(self.Exported(paths, problem))

    def on_snapshots_screen_exported(self, message: Exported) -> None:
        if not message.paths and not message.problem:
            self._status(_("Not exported"))
            return
        if message.problem:
            self._status(message.problem)
            self.notify(clean(message.problem), severity="error", markup=False)
            return
        written = ", ".join(str(each) for each in message.paths)
        self._status(_("Saved {paths}").format(paths=written))
        self.notify(_("Saved {paths}").format(paths=written), markup=False, timeout=4)

    def action_close(self) -> None:
        self.dismiss(None)
