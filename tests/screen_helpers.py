"""What the screen tests share: an app on a dataset folder, waiting for it, reading the screen."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from textual.app import App
from textual.pilot import Pilot

from screens.app import WorkbenchApp, make_app
from screens.main.screen import MainScreen
from screens.main.tree import PlanTree
from workbench.config import Config


def config_for(folder: Path, **changes: Any) -> Config:
    """A config that names only this dataset (no file, no user settings)."""
    return replace(Config(path=None, data=folder), **changes)


def app_on(folder: Path, **changes: Any) -> WorkbenchApp:
    return make_app(config_for(folder, **changes), folder)


async def settle(pilot: Pilot[Any]) -> None:
    """Wait for the loading and counting workers, then for the screen to catch up (the
    detail pane, which follows the cursor a moment later, included)."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    for screen in pilot.app.screen_stack:
        if isinstance(screen, MainScreen) and screen.detail_pending:
            screen.flush_detail()
    await pilot.pause()


async def press(pilot: Pilot[Any], *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


def said(app: App[Any]) -> list[Any]:
    """Every message the app said, each with ``message`` and ``severity``: its toasts (kept by
    conftest's ``toasts_kept`` after they are gone from the screen) and what the main screen's
    status line said (:attr:`MainScreen.said`)."""
    main = [each for each in app.screen_stack if isinstance(each, MainScreen)]
    return [*app.__dict__.get("toasts_heard", ()), *(main[0].said if main else ())]


def screen_text(app: WorkbenchApp) -> str:
    """The screen as plain text, one line per row (what a person sees, without colour)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def tree(app: WorkbenchApp) -> PlanTree:
    return app.screen.query_one(PlanTree)


def cursor_row(app: WorkbenchApp) -> dict[str, Any]:
    widget = tree(app)
    assert widget.catalog is not None and widget.cursor_idx is not None
    return widget.catalog.row(widget.cursor_idx)


async def go_to(pilot: Pilot[Any], title_part: str) -> dict[str, Any]:
    """Put the cursor on the first item whose title contains ``title_part``."""
    app = pilot.app
    assert isinstance(app, WorkbenchApp)
    widget = tree(app)
    assert widget.catalog is not None
    items = widget.catalog.items
    found = [
        int(i)
        for i, title in zip(items.get_column("idx"), items.get_column("title"), strict=True)
        if title_part in str(title)
    ]
    assert found, title_part
    widget.reveal(found[0])
    await settle(pilot)
    return cursor_row(app)
