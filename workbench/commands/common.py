"""What several subcommands share: finding the dataset folder, and the checks every argument
passes before a command runs."""

from __future__ import annotations

import argparse
from pathlib import Path

from workbench.i18n import _

# Arguments that name a file or folder: an empty one would silently mean the default (the
# user's own workspace, the bundled dataset) or the current folder.
_PATHS = ("workspace", "data", "config", "out", "folder", "file", "files")


def data_folder(args: argparse.Namespace, given: str | None = None) -> Path:
    """The dataset folder: the one given, else ``--data``, else the one config.toml names."""
    chosen = given or getattr(args, "data", None)
    if chosen:
        return Path(chosen)
    from workbench.config import load_config

    return load_config(getattr(args, "config", None)).data


def argument_problem(parser: argparse.ArgumentParser, args: argparse.Namespace) -> str | None:
    """Why the parsed arguments cannot be used (one line), or None.

    Text that is not UTF-8 (typed in a CP1251 terminal) reaches Python as lone surrogates,
    which no file, database or terminal write accepts: it is refused here, naming the argument,
    rather than as a traceback later. An empty path is refused rather than read as the default.
    """
    labels = _labels(parser)
    for dest, value in vars(args).items():
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str) and not _is_utf8(text):
                return _(
                    "{argument} is not valid UTF-8 (bytes {bytes}): "
                    "set the terminal to UTF-8 and type it again"
                ).format(argument=labels.get(dest, dest), bytes=_bytes(text))
    for dest in _PATHS:
        value = getattr(args, dest, None)
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str) and not text.strip():
                return _(
                    "{argument} is empty: give a path (or leave the option out for the default)"
                ).format(argument=labels.get(dest, dest))
    return None


def _is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _bytes(text: str) -> str:
    """The bytes the user typed, as Python shows bytes (``b'\\xcf\\xf0\\xe8'``)."""
    try:
        return repr(text.encode("utf-8", "surrogateescape"))
    except UnicodeEncodeError:
        return ascii(text)


def _labels(parser: argparse.ArgumentParser) -> dict[str, str]:
    """Each argument's name as the user types it (``--text``, ``NAME``), by its ``dest``,
    over the parser and all its subcommands."""
    labels: dict[str, str] = {}
    pending = [parser]
    while pending:
        current = pending.pop()
        for action in current._actions:
            if isinstance(action, argparse._SubParsersAction):
                pending.extend(action.choices.values())
            elif action.option_strings:
                labels.setdefault(
                    action.dest,
                    _("argument {name}").format(name=max(action.option_strings, key=len)),
                )
            else:
                shown = action.metavar if isinstance(action.metavar, str) else action.dest
                labels.setdefault(action.dest, _("argument {name}").format(name=shown))
    return labels
