"""The ``/`` line of the main screen and the activities view: filters as you type."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input

from workbench.i18n import N_


class FilterInput(Input):
    """The ``/`` line: filters as you type; Enter keeps the filter, Esc drops it."""

    BINDINGS: ClassVar = [
        Binding("escape", "cancel", N_("Drop the filter"), show=False),
        Binding("down", "done", N_("Back to the tree"), show=False),
    ]

    class Done(Message):
        def __init__(self, keep: bool) -> None:
            self.keep = keep
            super().__init__()

    def __init__(self, on_change: Callable[[str], None], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.on_change = on_change

    def watch_value(self, value: str) -> None:
        # Called as the key is handled, so the tree is filtered in the same frame as the
        # letter appears (an Input.Changed message would come a frame or two later).
        self.on_change(value)

    def open(self, value: str) -> None:
        """Show the line with ``value`` in it, ready to type."""
        self.display = True
        self.value = value
        # Focus now, not on the next turn as ``focus()`` does: keys typed with the ``/`` in one
        # go are already queued behind it and go to whatever holds the focus when they are read.
        self.screen.set_focus(self)

    def action_cancel(self) -> None:
        self.post_message(self.Done(keep=False))

    def action_done(self) -> None:
        self.post_message(self.Done(keep=True))
