"""Closed screens are let go: opening and closing views leaves no dead widgets on the heap
(screens/compat.py works around two Textual 8.2.8 leaks).

Counted are the footer keys no longer on any screen, and the style caches, after a collection:
what the views leave behind, not how many are alive at one moment (that depends on which
screen drew its footer last, and made an earlier form of this test fail by chance).
"""

from __future__ import annotations

import gc
from pathlib import Path

from screen_helpers import app_on, settle
from textual.widgets import Footer

BUNDLED = Path(__file__).resolve().parent.parent / "data" / "plans"


def _dead_footer_keys() -> int:
    """Keys of a footer that are no longer on screen (a footer key's class is private)."""
    gc.collect()
    return sum(
        1
        for each in gc.get_objects()
        if type(each).__name__ == "FooterKey"
        and isinstance(getattr(each, "parent", None), Footer | None)
        and not each.is_attached
    )


def _style_caches() -> int:
    gc.collect()
    return sum(1 for each in gc.get_objects() if type(each).__name__ == "StylesCache")


async def test_opening_and_closing_views_keeps_no_dead_widgets() -> None:
    """Five round trips through A, F and ?: before the work-arounds each view opened and closed
    left 16 dead footer keys and some 35 style caches (about 240 and 500 here)."""
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
        caches = _style_caches()
        for _ in range(4):
            await round_trip()
        dead = _dead_footer_keys()
        more_caches = _style_caches()
    assert dead < 16  # less than one screen's keys, whatever the timing
    assert more_caches < caches + 100
