"""``workbench undo``: undo the latest edit of the workspace (annotation, fact or import)."""

from __future__ import annotations

import argparse

from workbench.commands.workspace_options import (
    add_workspace_arguments,
    load,
    open_workspace,
    printable,
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_workspace_arguments(parser)


def run(args: argparse.Namespace) -> int:
    ws = open_workspace(args, load(args), create=False)
    try:
        undone = ws.undo()
    finally:
        ws.close()
    print(printable(undone.summary) if undone else "nothing to undo")
    return 0
