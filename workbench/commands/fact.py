"""``workbench fact``: enter the fact of an indicator for a year (or ``--clear`` it)."""

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
    parser.add_argument("--plan", metavar="ID", required=True, help=_("plan id"))
    parser.add_argument("--node", metavar="ID", required=True, help=_("indicator node id"))
    parser.add_argument("--year", metavar="Y", required=True, help=_("year of the fact"))
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument(
        "--value",
        metavar="V",
        help=_(
            "the fact as printed: 100,6  1 291,0  50%%, in the indicator's unit; its unit "
            "words may follow, with a scale word that is applied (5 000 тыс. сом = 5 млн. сом)"
        ),
    )
    group.add_argument(
        "--clear", action="store_true", help=_("remove the entered fact (the document's shows)")
    )
    add_workspace_arguments(parser, author=True)


def run(args: argparse.Namespace) -> int:
    from workbench.analysis.node_refs import resolve_node
    from workbench.display import exact_number
    from workbench.workspace.edit_checks import DatasetIndex, check_fact, check_fact_target

    config = load(args)
    tables = read_dataset(args)
    args.node = resolve_node(tables, args.plan, args.node)  # an id, a code, a title
    index = DatasetIndex(tables)
    # Every check before the workspace is opened (or created): a refusal writes nothing.
    if args.clear:
        check_fact_target(index, args.plan, args.node, args.year)
    else:
        check_fact(index, args.plan, args.node, args.year, args.value)
    ws = open_workspace(args, config, tables=tables)
    try:
        if args.clear:
            fact = ws.clear_fact(args.plan, args.node, args.year)
        else:
            fact = ws.enter_fact(args.plan, args.node, args.year, args.value)
    finally:
        ws.close()
    where = f"{fact.plan_id}/{fact.node_id} {fact.year}"
    document = ""
    if fact.document_value is not None:
        document = _("; document: {value} (kept)").format(value=exact_number(fact.document_value))
    if fact.value is None:
        print(printable(_("cleared the entered fact of {where}").format(where=where) + document))
    else:
        unit = f" {fact.unit}" if fact.unit else ""
        print(
            printable(
                _("saved fact {value} for {where}").format(
                    value=exact_number(fact.value) + unit, where=where
                )
                + document
            )
        )
    return 0
