"""What the workspace commands share: ``--workspace`` / ``--data`` and opening both."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from workbench.commands.common import data_folder
from workbench.i18n import _

if TYPE_CHECKING:
    import polars as pl

    from workbench.config import Config
    from workbench.workspace.store import Workspace


def add_workspace_arguments(parser: argparse.ArgumentParser, *, author: bool = False) -> None:
    """``--workspace PATH`` and ``--data DIR`` (also accepted after the subcommand)."""
    parser.add_argument(
        "--workspace",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help=_("workspace file (default: config.toml [workspace] path, else the user data folder)"),
    )
    parser.add_argument(
        "--data",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help=_("dataset folder to check against"),
    )
    if author:
        parser.add_argument(
            "--author", default=None, help=_("author (default: config.toml, else the OS user)")
        )


def load(args: argparse.Namespace) -> Config:
    from workbench.config import load_config

    return load_config(getattr(args, "config", None))


def read_dataset(args: argparse.Namespace) -> dict[str, pl.DataFrame]:
    from workbench.dataset import parquet_folder

    return parquet_folder.read(data_folder(args))


def open_workspace(
    args: argparse.Namespace,
    config: Config,
    *,
    tables: dict[str, pl.DataFrame] | None = None,
    create: bool = True,
    for_reading: bool = False,
) -> Workspace:
    """The workspace the arguments name (created when missing only if ``create``; opened
    read-only when it cannot be written and the command only reads: ``for_reading``)."""
    from workbench.workspace import store

    return store.open_workspace(
        store.resolve_path(getattr(args, "workspace", None), config),
        dataset=tables,
        categories=config.categories,
        author=getattr(args, "author", None) or config.author,
        create=create,
        max_length=config.annotation_max_length,
        for_reading=for_reading,
    )


# The thousands mark of numbers shown (workbench.display): a space, not a control character.
NARROW_SPACE = "\u202f"


def printable(text: str | None) -> str:
    """Text from the workspace as one safe terminal line: control characters escaped."""
    if text is None:
        return ""
    out = []
    for char in text:
        if char == "\n":
            out.append(" ⏎ ")
        elif char.isprintable() or char in (" ", NARROW_SPACE):
            out.append(char)
        else:
            out.append(f"\\x{ord(char):02x}" if ord(char) < 256 else f"\\u{ord(char):04x}")
    return "".join(out)
