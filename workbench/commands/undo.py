"""``workbench undo``: undo your latest edit of the workspace (annotation, fact, mark or import);
``--anyone`` undoes the latest edit whoever made it."""

from __future__ import annotations

import argparse

from workbench.commands.workspace_options import (
    add_workspace_arguments,
    load,
    open_workspace,
    printable,
    read_dataset,
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
        print(printable(_named(args, undone.summary, undone.target)))
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


def _named(
    args: argparse.Namespace, summary: str, target: tuple[str, str, int | None] | None
) -> str:
    """The summary with the node named by its city, code and title (the ids kept at the end);
    as it is when the dataset cannot be read: the undo is done either way."""
    if target is None:
        return summary
    from workbench.analysis.labels import node_labels, with_node_named
    from workbench.errors import WorkbenchError

    try:
        tables = read_dataset(args)
    except (WorkbenchError, OSError):
        return summary
    plan_id, node_id, _ = target
    return with_node_named(summary, node_labels(tables, [(plan_id, node_id)])[(plan_id, node_id)])
