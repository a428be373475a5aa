"""Work-arounds for two ways Textual 8.2.8 keeps widgets that are gone alive.

Opening and closing a drill view 15 times left ~55 000 more objects on the heap (measured with
``gc.get_objects()``), and each full garbage collection took longer for them — the pauses that
pushed an open of the activities view past 50 ms. Two causes, both in Textual:

- The Footer binds each key it draws to its ``compact`` setting (``data_bind``), which leaves an
  entry pointing at the key in the footer's watcher list; the list is only pruned when
  ``compact`` changes, which it never does here (textual#6666). Every redraw of the keys (a
  screen coming back, the focus moving) kept 16 dead keys and their styles.
  :class:`WorkbenchFooter` drops the entries of keys no longer on screen after each redraw.
- ``StylesCache.get_inner_outer`` is an ``lru_cache`` on a method, so its 1 024 entries hold
  the style caches (and their rendered lines) of widgets long removed.
  :func:`release_render_caches` empties it when a drill view closes; it refills at once.
"""

from __future__ import annotations

from textual._styles_cache import StylesCache
from textual.widgets import Footer


class WorkbenchFooter(Footer):
    async def recompose(self) -> None:
        await super().recompose()
        watchers = getattr(self, "__watchers", None)  # where Textual keeps them (reactive.py)
        if not isinstance(watchers, dict):
            return
        for entries in watchers.values():
            entries[:] = [(node, callback) for node, callback in entries if node.is_attached]


def release_render_caches() -> None:
    StylesCache.get_inner_outer.cache_clear()
