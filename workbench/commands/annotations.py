"""``workbench annotations``: list the annotations of the workspace, one per line."""

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
    parser.add_argument("--plan", metavar="ID", help=_("only this plan"))
    parser.add_argument("--node", metavar="ID", help=_("only this node"))
    parser.add_argument(
        "--state", metavar="S", help=_("only this state: open | explained | resolved")
    )
    parser.add_argument("--history", action="store_true", help=_("every version of each one"))
    add_workspace_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from workbench.errors import ValidationError
    from workbench.workspace.edit_checks import STATES

    if args.state is not None and args.state not in STATES:
        raise ValidationError(
            _("unknown state {state!r} (one of: {known})").format(
                state=args.state, known=", ".join(STATES)
            )
        )
    ws = open_workspace(args, load(args), create=False, for_reading=True)
    try:
        notes = ws.annotations(
            plan_id=args.plan, node_id=args.node, states=[args.state] if args.state else None
        )
        histories = {n.id: ws.annotation_history(n.id) for n in notes} if args.history else {}
    finally:
        ws.close()
    for note in notes:
        where = f"{note.plan_id}/{note.node_id}" + (f" {note.year}" if note.year else "")
        category = f" ({note.category})" if note.category else ""
        when = note.updated_at[:16].replace("T", " ")
        print(
            printable(
                f"#{note.id} {where} [{note.state}]{category} {note.updated_by} {when}: {note.text}"
            )
        )
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
