"""The import view's look at 80×24, fixed as an SVG snapshot (pytest-textual-snapshot).

Update after a deliberate change with ``pytest tests/test_import_snapshot.py --snapshot-update``
and look at the report before committing the new SVG.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from screens.importing.app import ImportApp
from workbench.ingest.import_session import ImportSession

FIXTURE = Path(__file__).parent / "fixtures" / "real" / "kz_zhambyl_oblast_2011_2015_goal_4_3_5.txt"

Snap = Callable[..., bool]


@pytest.fixture(autouse=True)
def _stable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("COLORTERM", "truecolor")


async def _read(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("down", "down", "down", "down")  # on column 4, its header shown below


def test_import_view_80x24(snap_compare: Snap, tmp_path: Path) -> None:
    # The fixture's own path (no copy): nothing is written, and the name shown is stable.
    app = ImportApp(ImportSession.open(FIXTURE, city="Taraz"), tmp_path / "plans")
    assert snap_compare(app, terminal_size=(80, 24), run_before=_read)
