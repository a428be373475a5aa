"""``workbench import FILE``: a small app holding the import view alone."""

from __future__ import annotations

from pathlib import Path

from textual.app import App

from screens.importing.view import ImportView
from workbench.ingest.import_session import ImportSession


class ImportApp(App[None]):
    TITLE = "Plan Workbench: import"

    def __init__(self, session: ImportSession, data: Path) -> None:
        super().__init__()
        self.session = session
        self.data = data

    def on_mount(self) -> None:
        # The view alone: leaving it ends the app.
        self.push_screen(ImportView(self.session, self.data), lambda _: self.exit())
