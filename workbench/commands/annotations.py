"""``workbench annotations``: list the annotations of the workspace, one per line.

Each line names the node as the screen does (city, printed code, title) and ends with its ids
after a tab (``plan_id/node_id``), for a script to cut.
"""

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
    parser.add_argument("--plan", metavar="ID", help=_("only this plan"))
    parser.add_argument(
        "--node", metavar="ID", help=_("only this node (with --plan: also its code or title start)")
    )
    parser.add_argument(
        "--state", metavar="S", help=_("only this state: open | explained | resolved")
    )
    parser.add_argument("--history", action="store_true", help=_("every version of each one"))
    add_workspace_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from workbench.analysis.labels import NodeLabel, node_labels
    from workbench.analysis.node_refs import resolve_node
    from workbench.errors import ValidationError, WorkbenchError
    from workbench.workspace.edit_checks import STATES

    if args.state is not None and args.state not in STATES:
        raise ValidationError(
            _("unknown state {state!r} (one of: {known})").format(
                state=args.state, known=", ".join(STATES)
            )
        )
    try:
        tables = read_dataset(args)
    except (WorkbenchError, OSError):
        tables = None  # the list still shows, by ids
    node = args.node
    if tables is not None and args.plan and node:
        node = resolve_node(tables, args.plan, node)
    ws = open_workspace(args, load(args), create=False, for_reading=True)
    try:
        notes = ws.annotations(
            plan_id=args.plan, node_id=node, states=[args.state] if args.state else None
        )
        histories = {n.id: ws.annotation_history(n.id) for n in notes} if args.history else {}
    finally:
        ws.close()
    keys = [(n.plan_id, n.node_id) for n in notes]
    labels = node_labels(tables, keys) if tables is not None else {}
    for note in notes:
        ids = f"{note.plan_id}/{note.node_id}"
        label = labels.get((note.plan_id, note.node_id)) or NodeLabel(
            note.plan_id, note.node_id, None, None, None, None
        )
        where = label.text(width=40) + (f" {note.year}" if note.year else "")
        category = f" ({note.category})" if note.category else ""
        when = note.updated_at[:16].replace("T", " ")
        line = f"#{note.id} {where} [{note.state}]{category} {note.updated_by} {when}: {note.text}"
        print(printable(line) + f"\t{printable(ids)}")
        for version in histories.get(note.id, []):
            category = f" ({version.category})" if version.category else ""
            when = version.at[:16].replace("T", " ")
            print(
                printable(
                    f"    v{version.version} [{version.state}]{category} {version.author} "
                    f"{when}: {version.text}"
                )
            )
    if not notes:
        print(_("no annotations"))
    return 0
