"""The composition root: ``make_app`` builds the workbench app for ``workbench``, the tests and
the snapshots alike, from a config and a dataset folder."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.app import App, SystemCommand
from textual.screen import Screen
from textual.timer import Timer

from screens.bindings import bindings
from screens.help import HelpScreen
from screens.main import MainScreen
from workbench.keymap import KEYS, display, effective_keys

if TYPE_CHECKING:
    import polars as pl

    from workbench.analysis.catalog import Catalog
    from workbench.config import Config
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


class WorkbenchApp(App[None]):
    """Plan Workbench: every city's indicator tree with plan against fact."""

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
    ) -> None:
        super().__init__()
        self.loader = loader
        self.source = source
        self.keymap = dict(keymap or {})
        self.theme_mode = theme if theme in THEMES else "dark"
        self.set_keymap(self.keymap)
        # The dataset and the workspace behind the screen; set by make_app's loader (issue 6).
        self.session: Session | None = None
        self._idle_collect: Timer | None = None
        self._thresholds: tuple[int, int, int] | None = None  # the collector's, restored at exit

    def get_default_screen(self) -> Screen[Any]:
        return MainScreen(self.loader, source=self.source)

    # Garbage collection in the pause after a screen opens or closes, not in a keystroke: a
    # full collection of the heap behind the tree takes 10-20 ms at 1 000 plans, and left to
    # itself it fell inside the key that opened a view one time in eight (the activities
    # bench). Collected in the quiet moment after, the counters start afresh and the next
    # one waits for more garbage than a few keystrokes make.
    IDLE_COLLECT_DELAY = 0.1
    # The same for typing: left to itself, a full collection (8-10 ms at 1 000 plans) came
    # inside one filter keystroke in four or five. While the app runs, the automatic ones are
    # put off a hundred times longer (the third threshold, 10 -> 1 000) and a pause of half a
    # second in the keys and the mouse collects instead.
    FULL_COLLECTION_THRESHOLD = 1000
    INPUT_PAUSE = 0.5

    def collect_when_idle(self, delay: float | None = None) -> None:
        timer = self._idle_collect
        if timer is not None:
            timer.stop()
        wait = self.IDLE_COLLECT_DELAY if delay is None else delay
        self._idle_collect = self.set_timer(wait, self._collect)

    def _collect(self) -> None:
        self._idle_collect = None
        gc.collect()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent) and not event.is_forwarded:
            self.collect_when_idle(self.INPUT_PAUSE)
        await super().on_event(event)

    def on_unmount(self) -> None:
        if self._thresholds is not None:
            gc.set_threshold(*self._thresholds)
            self._thresholds = None

    def push_screen(self, *args: Any, **kwargs: Any) -> Any:
        result = super().push_screen(*args, **kwargs)
        self.collect_when_idle()
        return result

    def on_mount(self) -> None:
        self._thresholds = gc.get_threshold()
        first, second, _ = self._thresholds
        gc.set_threshold(first, second, self.FULL_COLLECTION_THRESHOLD)
        self._apply_theme()

    def _apply_theme(self) -> None:
        self.theme = (ANSI_THEMES if sixteen_colours() else THEMES)[self.theme_mode]

    def action_toggle_theme(self) -> None:
        self.theme_mode = "light" if self.theme_mode == "dark" else "dark"
        self._apply_theme()

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.keymap))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Every action of the key registry, then Textual's own (theme, screenshot …)."""
        from screens.tree import PlanTree

        trees = screen.query(PlanTree)
        tree = trees.first() if trees else None
        for spec in KEYS:
            if spec.id == "command_palette":
                continue
            keys = display(effective_keys(spec.id, self.keymap))
            if "." in spec.action:
                target: Any = None
            elif tree is not None:
                target = tree
            else:
                continue
            callback = partial(self.run_action, spec.action, target)
            yield SystemCommand(spec.description, f"{keys}  ·  id {spec.id}", callback)
        for command in super().get_system_commands(screen):
            if command.title not in ("Quit", "Keys"):
                yield command


def make_app(
    config: Config,
    data_folder: str | Path | None = None,
    *,
    facts: FactsLoader | None = None,
    catalog: Catalog | None = None,
    workspace: str | Path | None = None,
) -> WorkbenchApp:
    """The workbench app on ``data_folder`` (default: the one config.toml names).

    ``facts`` returns the analyst's entered facts (it runs in the loading thread); ``catalog``
    skips loading altogether (tests that build one in memory); ``workspace`` is the workspace
    file (default: config.toml's, else the user's data folder), opened in the loading thread.
    """
    folder = Path(data_folder) if data_folder is not None else config.data

    def load() -> Catalog:
        from workbench.workspace.session import Session

        session = Session(config, folder, workspace=workspace)
        app.session = session  # before the catalog is posted: the edit keys wait for it
        entered = facts() if facts is not None else None
        return session.load(catalog, facts=entered)

    app = WorkbenchApp(load, source=str(folder), keymap=config.keys, theme=config.theme)
    from workbench.workspace.drill_source import DrillSource

    app.drill_source = DrillSource(  # type: ignore[attr-defined]
        folder, config, workspace=workspace, session=lambda: app.session
    )
    return app
