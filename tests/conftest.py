"""Shared fixtures: paths of the bundled documents and dataset."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "data" / "sources"
PLANS = ROOT / "data" / "plans"


@pytest.fixture
def sources() -> Path:
    return SOURCES


SEEDS = ROOT.parent / "shared" / "seeds"
