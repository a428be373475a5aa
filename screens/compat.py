"""Every touch of Textual's or plotext's private names, in one place.

Each entry says the version it was written against (pyproject.toml pins ``textual==8.2.8`` and
``plotext==5.3.2`` for it) and why the public API does not do: when the upstream issue is
fixed, or a public way appears, the entry goes and the pin can loosen. Nothing else in
``screens/`` uses a private name (``tests/test_screen_layers.py`` checks it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual._styles_cache import StylesCache  # private module: textual 8.2.8
from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.events import Resize

TEXTUAL_VERSION = "8.2.8"
PLOTEXT_VERSION = "5.3.2"


class WorkbenchFooter(Footer):
    """The Footer, without the dead keys it keeps alive (textual 8.2.8, textual#6666).

    The Footer binds each key it draws to its ``compact`` setting (``data_bind``), which leaves
    an entry pointing at the key in the footer's watcher list; the list is only pruned when
    ``compact`` changes, which it never does here. Every redraw of the keys (a screen coming
    back, the focus moving) kept the old keys and their styles. The entries of keys no longer
    on screen are dropped after each redraw, from the private ``__watchers`` attribute where
    ``textual/reactive.py`` keeps them.
    """

    def on_resize(self, event: Resize) -> None:
        # Below 100 columns the screen's own keys need the room of the palette's entry; Ctrl+P
        # still opens it, and ? lists it.
        self.show_command_palette = event.size.width >= 100

    async def recompose(self) -> None:
        await super().recompose()
        watchers = getattr(self, "__watchers", None)
        if not isinstance(watchers, dict):
            return
        for entries in watchers.values():
            entries[:] = [(node, callback) for node, callback in entries if node.is_attached]


def release_render_caches() -> None:
    """Let go of the style caches of widgets that are gone (textual 8.2.8).

    ``StylesCache.get_inner_outer`` is an ``lru_cache`` on a method, so its 1 024 entries hold
    the style caches (and their rendered lines) of widgets long removed; emptied when a view
    closes, it refills at once. No public API clears it.
    """
    StylesCache.get_inner_outer.cache_clear()


def plot_figure() -> Any:
    """A plotext figure of its own (plotext 5.3.2).

    plotext's public functions (``plotext.plot`` …) draw on one global figure shared by every
    caller; a figure per chart widget needs the class behind it, ``plotext._figure._figure_class``
    (the way textual-plotext makes its ``self.plt``). Imported here, on the first chart, not
    when the app starts.
    """
    from plotext._figure import _figure_class  # type: ignore[import-untyped]

    return _figure_class()
