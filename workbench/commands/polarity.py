"""``workbench polarity``: set whether more or less of an indicator is better (or clear it).

The document's words decide an indicator's polarity when it is read; where they lead astray
(``polarity: review`` in the report), the analyst sets it, as ``P`` does on the screen. The
setting is kept in the workspace beside the dataset (which is not changed) and counts in every
status; ``clear`` lets the document's polarity count again; ``workbench undo`` takes it back.
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

CHOICES = ("higher", "lower", "target", "increase", "decrease", "clear")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--plan", metavar="ID", required=True, help=_("plan id"))
    parser.add_argument(
        "--node",
        metavar="NODE",
        required=True,
        help=_("indicator: its node id, its printed code (НҰИ-6, 3.2.1.1) or its title's start"),
    )
    parser.add_argument(
        "polarity",
        choices=CHOICES,
        help=_(
            "higher (more is better), lower (less is better), target (a level to hold), or "
            "clear (the document's polarity counts again)"
        ),
    )
    add_workspace_arguments(parser, author=True)


def run(args: argparse.Namespace) -> int:
    from workbench.analysis.node_refs import resolve_node
    from workbench.workspace.edit_checks import DatasetIndex
    from workbench.workspace.polarity_store import check_polarity, check_polarity_target

    config = load(args)
    tables = read_dataset(args)
    args.node = resolve_node(tables, args.plan, args.node)  # an id, a code, a title
    index = DatasetIndex(tables)
    # Every check before the workspace is opened (or created): a refusal writes nothing.
    if args.polarity == "clear":
        check_polarity_target(index, args.plan, args.node)
    else:
        check_polarity(index, args.plan, args.node, args.polarity)
    ws = open_workspace(args, config, tables=tables)
    try:
        if args.polarity == "clear":
            setting = ws.clear_polarity(args.plan, args.node)
        else:
            setting = ws.set_polarity(args.plan, args.node, args.polarity)
    finally:
        ws.close()
    where = f"{setting.plan_id}/{setting.node_id}"
    if setting.polarity is None:
        line = _("cleared the polarity of {where}; the document's ({document}) counts").format(
            where=where, document=setting.document
        )
    else:
        line = _("saved polarity {polarity} for {where}; the document's: {document}").format(
            polarity=setting.polarity, where=where, document=setting.document
        )
    print(printable(line))
    return 0
