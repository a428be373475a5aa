"""Textual bindings built from the key registry (:mod:`workbench.keymap`), one id each, in the
screen's language (:mod:`screens.language`)."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from textual.binding import Binding, BindingType

from screens.language import translated
from workbench.keymap import display, spec


def bindings(
    *ids: str,
    actions: Mapping[str, str] | None = None,
    footer: bool = True,
    priority: Collection[str] = (),
) -> list[BindingType]:
    """The bindings of the given ids, with their default keys (the app's keymap remaps them).

    ``actions`` gives another action for an id in this widget (the detail pane scrolls where
    the tree moves its cursor); the id, and so the user's remapping, stays the same.
    ``footer=False`` keeps the keys out of this screen's footer (80 columns hold about ten).
    ``priority`` names the ids whose key is acted on as it arrives, before the keys typed after
    it are handed to the focused widget (a key that opens a line the next keys must reach).
    """
    out: list[BindingType] = []
    for binding_id in ids:
        item = spec(binding_id)
        action = (actions or {}).get(binding_id, item.action)
        out.append(
            translated(
                Binding(
                    item.keys,
                    action,
                    item.footer or item.description,
                    show=footer and bool(item.footer),
                    tooltip=item.description,
                    key_display=display(item.keys.split(",")[0]),
                    id=item.id,
                    priority=binding_id in priority,
                )
            )
        )
    return out
