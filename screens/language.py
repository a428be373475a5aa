"""The screen's language: the core chooses it (:mod:`workbench.i18n`); this puts the key
descriptions of every screen class into it.

Textual reads a class's ``BINDINGS`` once, when the class is created (at import), so the
bindings are translated then by :func:`screens.bindings.bindings`, and again here when the
language changes after the import (the app's factory, and tests that speak several languages
in one process). The English each binding was written in is kept, so any language can follow
any other.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual.binding import Binding
from textual.dom import DOMNode

from workbench import i18n
from workbench.i18n import _

# A translated binding -> the English one it was made from.
_ENGLISH: dict[Binding, Binding] = {}
# A class -> its own bindings in English (as first seen).
_WRITTEN: dict[type, list[Any]] = {}


def translated(binding: Binding) -> Binding:
    """``binding`` with its description and tooltip in the current language."""
    english = _ENGLISH.get(binding, binding)
    if i18n.language() == "en":
        return english
    shown = replace(
        english,
        description=_(english.description) if english.description else english.description,
        tooltip=_(english.tooltip) if english.tooltip else english.tooltip,
    )
    _ENGLISH[shown] = english
    return shown


def _screen_classes() -> list[type[DOMNode]]:
    found: list[type[DOMNode]] = []
    pending: list[type[DOMNode]] = [DOMNode]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            pending.append(sub)
            if sub.__module__.startswith("screens."):
                found.append(sub)
    return found


def speak(language: str) -> None:
    """Speak ``language`` from now on: messages, and the keys of every screen class."""
    i18n.use(language)
    classes = _screen_classes()
    for cls in classes:
        own = cls.__dict__.get("BINDINGS")
        if not own:
            continue
        written = _WRITTEN.setdefault(
            cls, [_ENGLISH.get(b, b) if isinstance(b, Binding) else b for b in own]
        )
        cls.BINDINGS = [translated(b) if isinstance(b, Binding) else b for b in written]
    for cls in classes:
        cls._merged_bindings = cls._merge_bindings()
