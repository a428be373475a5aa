"""Closed screens are let go: opening and closing views does not grow the heap
(screens/textual_leaks.py works around two Textual 8.2.8 leaks)."""

from __future__ import annotations

import gc
import time
from pathlib import Path

from screen_helpers import app_on, settle
from textual._styles_cache import StylesCache
from textual.widgets._footer import FooterKey

BUNDLED = Path(__file__).resolve().parent.parent / "data" / "plans"


def _alive() -> tuple[int, int]:
    gc.collect()
    objects = gc.get_objects()
    return (
        sum(isinstance(o, FooterKey) for o in objects),
        sum(isinstance(o, StylesCache) for o in objects),
    )


async def test_opening_and_closing_views_keeps_no_dead_widgets() -> None:
    """Four more round trips through A, F and ?: before the work-arounds, 190 more footer
    keys and some 400 more style caches."""
    app = app_on(BUNDLED)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)

        async def round_trip() -> None:
            for key in ("A", "F", "question_mark"):
                await pilot.press(key)
                await settle(pilot)
                await pilot.press("escape")
                await settle(pilot)

        await round_trip()
        keys, caches = _alive()
        for _ in range(4):
            await round_trip()
        more_keys, more_caches = _alive()
    # Before the work-arounds: +16 footer keys and +35 style caches per view opened and closed.
    assert more_keys == keys
    assert more_caches <= caches + 5


async def test_full_collections_wait_for_a_pause_in_the_keys() -> None:
    """While the app runs, the collector's automatic full collections are put off; a pause
    in the keys collects instead, and the thresholds are given back at exit."""
    before = gc.get_threshold()
    full: list[float] = []

    def watch(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 2:
            full.append(time.perf_counter())

    app = app_on(BUNDLED)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert gc.get_threshold() == (before[0], before[1], app.FULL_COLLECTION_THRESHOLD)
        gc.callbacks.append(watch)
        try:
            await pilot.press("slash")
            for letter in "жол":
                await pilot.press(letter)
            typed = time.perf_counter()
            assert app._idle_collect is not None  # due once the keys pause
            await pilot.pause(app.INPUT_PAUSE + 0.4)
        finally:
            gc.callbacks.remove(watch)
        assert [t for t in full if t >= typed], "no full collection in the pause"
        assert app._idle_collect is None
    assert gc.get_threshold() == before
