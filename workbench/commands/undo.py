"""``workbench undo``: undo your latest edit of the workspace (annotation, fact, mark or import);
``--anyone`` undoes the latest edit whoever made it."""

from __future__ import annotations

import argparse

from workbench.commands.workspace_options import (
    add_workspace_arguments,
    load,
    open_workspace,
    printable,
)
from workbench.i18n import _


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_workspace_arguments(parser, author=True)
    parser.add_argument(
        "--anyone",
        action="store_true",
        help=_("undo the latest edit whoever made it (default: only your own)"),
    )


def run(args: argparse.Namespace) -> int:
    ws = open_workspace(args, load(args), create=False)
    try:
        undone = ws.undo(anyone=args.anyone)
        others = 0 if undone or args.anyone else ws.others_edits()
        author = ws.author
    finally:
        ws.close()
    if undone:
        print(printable(undone.summary))
    elif others:
        print(
            _(
                "nothing of {author}'s to undo ({others} edit(s) by others; "
                "--anyone undoes the latest of them)"
            ).format(author=printable(author), others=others)
        )
    else:
        print(_("nothing to undo"))
    return 0
