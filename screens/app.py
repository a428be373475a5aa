"""The composition root: ``make_app`` builds the workbench app for ``workbench``, the tests and
the snapshots alike, from a config and a dataset folder."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.screen import Screen

from screens import messages
from screens.bindings import bindings
from screens.labels import clean, shorten
from screens.language import speak
from screens.main.screen import MainScreen
from screens.main.tree import PlanTree
from workbench.i18n import N_, _
from workbench.keymap import KEYS, display, effective_keys
from workbench.workspace.drill_source import DrillSource

if TYPE_CHECKING:
    import polars as pl

    from workbench.analysis.catalog import Catalog
    from workbench.analysis.top_level import TopLevel
    from workbench.config import Config
    from workbench.workspace.annotation_store import Annotation
    from workbench.workspace.fact_store import Fact
    from workbench.workspace.polarity_store import PolaritySetting
    from workbench.workspace.session import Session

THEMES = {"dark": "textual-dark", "light": "textual-light"}
# In a 16-colour terminal the themes that use the terminal's own palette read best.
ANSI_THEMES = {"dark": "ansi-dark", "light": "ansi-light"}

FactsLoader = Callable[[], "pl.DataFrame | None"]


def sixteen_colours(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the terminal says it has only the 16 ANSI colours (the Linux console, a bare
    xterm or screen, or TEXTUAL_COLOR_SYSTEM=standard)."""
    env = os.environ if environ is None else environ
    if env.get("TEXTUAL_COLOR_SYSTEM") == "standard":
        return True
    if env.get("COLORTERM"):
        return False
    return env.get("TERM", "") in ("linux", "xterm", "vt100", "vt220", "screen", "ansi", "tmux")


QUIT_AGAIN_SECONDS = 5.0


class WorkbenchApp(App[None]):
    """Plan Workbench: every city's indicator tree with plan against fact.

    The app opens every screen: the views post the requests of :mod:`screens.messages` and the
    handlers below push the screen asked for, so no screen imports another. A background task
    that fails is said here too (:meth:`on_worker_failed`), never allowed to end the app.
    """

    CSS_PATH = "workbench.tcss"
    TITLE = "Plan Workbench"
    ESCAPE_TO_MINIMIZE = False
    BINDINGS: ClassVar = bindings("help", "command_palette", "toggle_theme", "quit")

    def __init__(
        self,
        loader: Callable[[], Catalog],
        *,
        source: str = "",
        keymap: dict[str, str] | None = None,
        theme: str = "dark",
        drill_source: DrillSource | None = None,
        top: Callable[[], TopLevel] | None = None,
    ) -> None:
        super().__init__()
        self.loader = loader
        self.source = source
        self.keymap = dict(keymap or {})
        self.theme_mode = theme if theme in THEMES else "dark"
        self.set_keymap(self.keymap)
        # The dataset and the workspace behind the screen; set by make_app's loader (issue 6).
        self.session: Session | None = None
        # What the drill views read (activities, funding, bodies).
        self.drill_source: DrillSource = drill_source or DrillSource(source)
        self.main = MainScreen(
            self.loader, source=self.source, session=lambda: self.session, top=top
        )
        self._quit_asked = -QUIT_AGAIN_SECONDS

    def get_default_screen(self) -> Screen[Any]:
        return self.main

    def on_mount(self) -> None:
        self._apply_theme()

    def _apply_theme(self) -> None:
        self.theme = (ANSI_THEMES if sixteen_colours() else THEMES)[self.theme_mode]

    def action_toggle_theme(self) -> None:
        self.theme_mode = "light" if self.theme_mode == "dark" else "dark"
        self._apply_theme()

    async def action_quit(self) -> None:
        """Quit; while a form holds unsaved text, only when asked twice within a few seconds."""
        from screens.widgets.form import FormScreen

        now = time.monotonic()
        unsaved = any(isinstance(each, FormScreen) and each.unsaved() for each in self.screen_stack)
        if unsaved and now - self._quit_asked > QUIT_AGAIN_SECONDS:
            self._quit_asked = now
            self.notify(
                _("A form holds unsaved text: quit again to leave without saving it"),
                severity="warning",
                timeout=QUIT_AGAIN_SECONDS,
            )
            return
        self.exit()

    def action_help(self) -> None:
        from screens.main.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            # the keys of the screen it helps: its own, its focused widgets' and the app's
            here = {each.binding.id for each in self.screen.active_bindings.values()}
            self.push_screen(HelpScreen(self.keymap, {each for each in here if each}))

    # -- failures ------------------------------------------------------------------------------

    def on_worker_failed(self, message: messages.WorkerFailed) -> None:
        """A background task raised: one line on the screen (no traceback, no file contents)."""
        error = message.error
        detail = clean(str(error)) or type(error).__name__
        self.notify(
            f"{message.task} failed: {shorten(detail, 300)}",
            title="Error",
            severity="error",
            markup=False,
            timeout=8,
        )

    # -- navigation ----------------------------------------------------------------------------
    # The screens beyond the main one are imported when first opened (the help and the forms
    # too): their modules pull in the workspace store and Polars, and define widget classes,
    # which the first frame does not need.

    def on_open_activities(self, message: messages.OpenActivities) -> None:
        from screens.drill.activities import ActivitiesScreen

        screen = ActivitiesScreen(
            self.drill_source,
            message.scope,
            via_indicator=message.via_indicator,
            body=message.body,
            sort=message.sort,
            as_of=message.as_of,
        )
        self.push_screen(screen)

    def on_open_funding(self, message: messages.OpenFunding) -> None:
        from screens.drill.funding import FundingScreen

        self.push_screen(FundingScreen(self.drill_source, message.scope))

    def on_open_body(self, message: messages.OpenBody) -> None:
        from screens.drill.body import BodyScreen

        self.push_screen(BodyScreen(self.drill_source, message.code, as_of=message.as_of))

    def on_jump_to(self, message: messages.JumpTo) -> None:
        """Back to the main screen, its tree's cursor on the row."""
        while len(self.screen_stack) > 1 and self.screen is not self.main:
            self.pop_screen()
        self.main.post_message(messages.JumpTo(message.key))

    def on_open_snapshots(self, message: messages.OpenSnapshots) -> None:
        from screens.snapshots.listing import SnapshotsScreen

        self.push_screen(SnapshotsScreen(message.ws))

    def on_open_diff(self, message: messages.OpenDiff) -> None:
        from screens.snapshots.diff import DiffScreen

        self.push_screen(DiffScreen(message.ws, message.a, message.b))

    def on_open_import(self, message: messages.OpenImport) -> None:
        """Ask for a document's path; the core reads it, then the import view shows it."""
        from screens.importing.dialogs import TextDialog
        from screens.importing.view import ImportView
        from workbench.errors import WorkbenchError
        from workbench.ingest.import_session import ImportSession

        opened: list[ImportSession] = []

        def check(text: str) -> str | None:
            path = text.strip()
            if not path:
                return _("expected the path of a document")
            try:
                opened[:] = [ImportSession.open(Path(path).expanduser())]
            except WorkbenchError as exc:
                return clean(str(exc))
            return None

        def chosen(answer: str | None) -> None:
            if answer is not None and opened:
                self.push_screen(ImportView(opened[0], Path(self.source)))

        self.push_screen(TextDialog(_("Document to import (its path)"), "", check), chosen)

    def on_plan_added(self, message: messages.PlanAdded) -> None:
        """Back to the tree, read again with the plan the import view added."""
        while len(self.screen_stack) > 1 and self.screen is not self.main:
            self.pop_screen()
        self._reload()

    @work(thread=True, exit_on_error=False, name=N_("Loading the dataset"), group="load")
    def _reload(self) -> None:
        from workbench.errors import WorkbenchError

        try:
            catalog = self.loader()
        except WorkbenchError as exc:
            self.post_message(messages.WorkerFailed(_("Loading the dataset"), exc))
            return
        self.main.post_message(MainScreen.Loaded(catalog))

    def on_edit_annotation(self, message: messages.EditAnnotation) -> None:
        from screens.forms.annotation import AnnotationForm

        session = self.session
        if session is None:
            self.notify(_("No workspace here: annotations are not available"), timeout=3)
            return
        form = AnnotationForm(
            session, message.plan_id, message.node_id, message.year, message.heading
        )
        self.push_screen(form, partial(_saved, message.origin))

    def on_enter_fact(self, message: messages.EnterFact) -> None:
        from screens.forms.fact import FactForm

        session = self.session
        if session is None:
            self.notify(_("No workspace here: facts cannot be entered"), timeout=3)
            return
        form = FactForm(
            session, message.plan_id, message.node_id, message.year, message.heading, message.unit
        )
        self.push_screen(form, partial(_saved, message.origin))

    def on_set_polarity(self, message: messages.SetPolarity) -> None:
        from screens.forms.polarity import PolarityForm

        session = self.session
        if session is None:
            self.notify(_("No workspace here: a polarity cannot be set"), timeout=3)
            return
        form = PolarityForm(
            session,
            message.plan_id,
            message.node_id,
            message.heading,
            message.current,
            message.review,
        )
        self.push_screen(form, self._polarity_saved)

    def _polarity_saved(self, setting: PolaritySetting | None) -> None:
        """The picker saved (committed): say so, and count every status again."""
        from workbench.dataset.polarity import POLARITY_NAMES

        if setting is None:
            return
        if setting.polarity is None:
            document = setting.document or "increase"
            text = _("Polarity cleared: the document's counts ({polarity})").format(
                polarity=_(POLARITY_NAMES.get(document, document))
            )
        else:
            text = _("Saved: polarity {polarity}").format(
                polarity=_(POLARITY_NAMES.get(setting.polarity, setting.polarity))
            )
        self.notify(text, timeout=3, markup=False)
        self.main.work_changed(recount=True)

    # -- the command palette -------------------------------------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The key registry's actions that work on ``screen``, then Textual's own (theme,
        screenshot …)."""
        trees = screen.query(PlanTree)
        tree = trees.first() if trees else None
        for spec in KEYS:
            if spec.id == "command_palette":
                continue
            keys = display(effective_keys(spec.id, self.keymap))
            namespace, _, name = spec.action.rpartition(".")
            method = "action_" + name.split("(")[0]
            target: Any = None
            if namespace == "screen":
                if not hasattr(screen, method):  # another screen's key: it would do nothing here
                    continue
            elif not namespace:
                if tree is None or not hasattr(tree, method):
                    continue
                target = tree
            callback = partial(self.run_action, spec.action, target)
            yield SystemCommand(spec.description, f"{keys}  ·  id {spec.id}", callback)
        for command in super().get_system_commands(screen):
            if command.title not in ("Quit", "Keys"):
                yield command


def _saved(origin: Screen[Any], record: Annotation | Fact | None) -> None:
    """A form's result, sent back to the screen that asked for the form."""
    if record is not None:
        origin.post_message(messages.Saved(record))


def make_app(
    config: Config,
    data_folder: str | Path | None = None,
    *,
    facts: FactsLoader | None = None,
    catalog: Catalog | None = None,
    workspace: str | Path | None = None,
    lang: str | None = None,
) -> WorkbenchApp:
    """The workbench app on ``data_folder`` (default: the one config.toml names).

    ``facts`` returns the analyst's entered facts (it runs in the loading thread); ``catalog``
    skips loading altogether (tests that build one in memory); ``workspace`` is the workspace
    file (default: config.toml's, else the user's data folder), opened in the loading thread.
    ``lang`` is the language the core chose (:func:`workbench.cli.choose_language`); None keeps
    the one the process speaks. Read from the folder, the cities and plans show first (from its
    plans table alone), then the statuses once the catalog is counted.
    """
    if lang is not None:
        speak(lang)
    folder = Path(data_folder) if data_folder is not None else config.data

    def load() -> Catalog:
        from workbench.workspace.session import Session

        session = Session(config, folder, workspace=workspace)
        app.session = session  # before the catalog is posted: the edit keys wait for it
        entered = facts() if facts is not None else None
        return session.load(catalog, facts=entered)

    def top() -> TopLevel:
        from workbench.analysis.top_level import read_top_level

        return read_top_level(folder)

    drill = DrillSource(folder, config, workspace=workspace, session=lambda: app.session)
    app = WorkbenchApp(
        load,
        source=str(folder),
        keymap=config.keys,
        theme=config.theme,
        drill_source=drill,
        top=top if catalog is None else None,
    )
    return app
