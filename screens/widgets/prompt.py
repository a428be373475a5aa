"""A one-line prompt (a snapshot's name, a path to export to) with an inline check.

``check`` returns why the text is refused, or None; ``confirm`` returns a question (the file
exists: overwrite?) that a second Enter on the same text answers yes. Dismissed with
:class:`Answer` or None.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.widgets import Input

from screens.widgets.form import FormScreen, row
from workbench.errors import WorkbenchError

Check = Callable[[str], "str | None"]


@dataclass(frozen=True, slots=True)
class Answer:
    text: str
    confirmed: bool = False  # the user said yes to the ``confirm`` question


class PromptScreen(FormScreen[Answer]):
    def __init__(
        self,
        title: str,
        label: str,
        value: str,
        heading: Text,
        *,
        check: Check | None = None,
        confirm: Check | None = None,
        action: str = "Save",
    ) -> None:
        super().__init__(heading)
        self.TITLE_TEXT = title
        self.SAVE_LABEL = action
        self.label = label
        self.value = value
        self.check = check
        self.confirm = confirm
        self._asked: str | None = None

    def rows(self) -> Any:
        yield row(self.label, Input(self.value, compact=True, id="prompt-input"))

    def on_mount(self) -> None:
        self.query_one("#prompt-input", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.show_error("")
        self.show_hint("")
        self._asked = None

    def save(self) -> Answer:
        text = self.query_one("#prompt-input", Input).value.strip()
        problem = self.check(text) if self.check is not None else None
        if problem:
            raise WorkbenchError(problem)
        question = self.confirm(text) if self.confirm is not None else None
        if question is None:
            return Answer(text)
        if self._asked == text:
            return Answer(text, confirmed=True)
        self._asked = text
        raise WorkbenchError(question)
