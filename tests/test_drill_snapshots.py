"""The look of the drill views (activities, funding, body), fixed as SVG snapshots on the
bundled data with a fixed as-of date.

Update after a deliberate change with ``pytest tests/test_drill_snapshots.py --snapshot-update``
and look at the report before committing the new SVGs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from screen_helpers import app_on, go_to, press, settle
from textual.pilot import Pilot

from screens.drill.activities import ActivitiesScreen

Snap = Callable[..., bool]
DATA = Path(__file__).resolve().parent.parent / "data" / "plans"
AS_OF = date(2026, 8, 15)


@pytest.fixture(autouse=True)
def _stable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("WORKBENCH_CONFIG", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("COLORTERM", "truecolor")


def app() -> Any:
    made = app_on(DATA)
    made.drill_source.as_of = AS_OF
    return made


def at(title: str | None, *keys: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        if title is not None:
            await go_to(pilot, title)
        await press(pilot, *keys)
        await settle(pilot)
        if isinstance(pilot.app.screen, ActivitiesScreen):
            pilot.app.screen.flush_detail()
        await pilot.pause()

    return run_before


ACTIVITIES = at("Таш-Көмүр шаардык мэриясынын", "A")
FUNDING = at("Тараз қаласы әкімдігінің ішкі", "F")
BODY = at(None, "B", "enter")


def test_activities_80x24(snap_compare: Snap) -> None:
    assert snap_compare(app(), terminal_size=(80, 24), run_before=ACTIVITIES)


def test_activities_120x40(snap_compare: Snap) -> None:
    assert snap_compare(app(), terminal_size=(120, 40), run_before=ACTIVITIES)


def test_funding_80x24(snap_compare: Snap) -> None:
    assert snap_compare(app(), terminal_size=(80, 24), run_before=FUNDING)


def test_funding_120x40(snap_compare: Snap) -> None:
    assert snap_compare(app(), terminal_size=(120, 40), run_before=FUNDING)


def test_body_80x24(snap_compare: Snap) -> None:
    assert snap_compare(app(), terminal_size=(80, 24), run_before=BODY)


def test_body_120x40(snap_compare: Snap) -> None:
    assert snap_compare(app(), terminal_size=(120, 40), run_before=BODY)
