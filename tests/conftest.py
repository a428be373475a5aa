"""Shared fixtures: paths of the bundled documents and dataset; a workspace on a small one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from workspace_data import tables

from workbench.workspace import store

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "data" / "sources"
PLANS = ROOT / "data" / "plans"


@pytest.fixture
def sources() -> Path:
    return SOURCES


SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No user config and no user workspace (the data folder is a temporary one, never the
    real one); colours as a true-colour terminal gives them, whatever the caller's shell says.
    A module asks for it with ``pytestmark = pytest.mark.usefixtures("isolated")``."""
    monkeypatch.delenv("WORKBENCH_CONFIG", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("COLORTERM", "truecolor")


@pytest.fixture(autouse=True)
def toasts_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every toast an app raises is also kept on the app (``app.toasts_heard``, read by the
    screen tests' ``said``): ``app._notifications`` forgets a toast once its few seconds are
    up, which a test on a loaded machine can outlast between the notice and its check."""
    from textual.app import App

    from screens.main.screen import Said

    notify = App.notify

    def keeping(
        self: App[object],
        message: str,
        *,
        title: str = "",
        severity: Any = "information",
        **kwargs: Any,
    ) -> None:
        self.__dict__.setdefault("toasts_heard", []).append(Said(message, severity, title))
        notify(self, message, title=title, severity=severity, **kwargs)

    monkeypatch.setattr(App, "notify", keeping)


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[store.Workspace]:
    """A workspace (author aigerim) on the small dataset of ``workspace_data.py``."""
    workspace = store.open_workspace(tmp_path / "ws.sqlite3", dataset=tables(), author="aigerim")
    yield workspace
    workspace.close()
