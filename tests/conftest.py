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


@pytest.fixture
def heard(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The text of every toast an app raised during the test, in order. ``app._notifications``
    forgets a toast once its few seconds are up, which a test on a loaded machine can outlast
    between the notice and its check."""
    from textual.app import App

    messages: list[str] = []
    notify = App.notify

    def recording(self: App[object], message: str, *args: Any, **kwargs: Any) -> None:
        messages.append(str(message))
        notify(self, message, *args, **kwargs)

    monkeypatch.setattr(App, "notify", recording)
    return messages


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[store.Workspace]:
    """A workspace (author aigerim) on the small dataset of ``workspace_data.py``."""
    workspace = store.open_workspace(tmp_path / "ws.sqlite3", dataset=tables(), author="aigerim")
    yield workspace
    workspace.close()
