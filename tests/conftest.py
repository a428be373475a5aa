"""Shared fixtures: paths of the bundled documents and dataset; a workspace on a small one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

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
def ws(tmp_path: Path) -> Iterator[store.Workspace]:
    """A workspace (author aigerim) on the small dataset of ``workspace_data.py``."""
    workspace = store.open_workspace(tmp_path / "ws.sqlite3", dataset=tables(), author="aigerim")
    yield workspace
    workspace.close()
