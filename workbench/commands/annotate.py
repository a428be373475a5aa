"""``workbench annotate``: annotate a node (and year), or edit an annotation with ``--edit N``."""

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
    parser.add_argument("--plan", metavar="ID", help=_("plan id"))
    parser.add_argument("--node", metavar="ID", help=_("node id, printed code or title start"))
    parser.add_argument("--year", metavar="Y", help=_("year (omit for the node as a whole)"))
    parser.add_argument("--text", metavar="T", help=_("the annotation"))
    parser.add_argument(
        "--category", metavar="C", help=_("reason (one of config.toml's categories)")
    )
    parser.add_argument("--state", metavar="S", help=_("open | explained | resolved"))
    parser.add_argument(
        "--edit", metavar="N", help=_("edit annotation #N instead (new version; history kept)")
    )
    add_workspace_arguments(parser, author=True)


def run(args: argparse.Namespace) -> int:
    from workbench.analysis.node_refs import resolve_node
    from workbench.errors import ValidationError
    from workbench.workspace.edit_checks import (
        STATES,
        DatasetIndex,
        check_annotation,
        check_category,
        check_text,
        parse_annotation_number,
    )

    config = load(args)
    if args.edit is not None:
        if args.plan or args.node or args.year:
            raise ValidationError(_("--edit takes no --plan, --node or --year"))
        number = parse_annotation_number(args.edit)
        if args.text is None and args.category is None and args.state is None:
            raise ValidationError(_("--edit needs --text, --category or --state"))
        if args.text is not None:
            check_text(args.text, config.annotation_max_length)
        check_category(config.categories, args.category)
        if args.state is not None and args.state not in STATES:
            raise ValidationError(
                _("unknown state {state!r} (one of: {known})").format(
                    state=args.state, known=", ".join(STATES)
                )
            )
        ws = open_workspace(args, config, create=False)
        try:
            note = ws.edit_annotation(
                number, text=args.text, category=args.category, state=args.state
            )
        finally:
            ws.close()
        verb = _("saved version {version} of annotation").format(version=note.version)
    else:
        missing = [f"--{n}" for n in ("plan", "node", "text") if not getattr(args, n)]
        if missing:
            raise ValidationError(_("annotate needs {options}").format(options=", ".join(missing)))
        tables = read_dataset(args)
        args.node = resolve_node(tables, args.plan, args.node)  # an id, a code, a title
        # Every check before the workspace is opened (or created): a refusal writes nothing.
        checked = check_annotation(
            DatasetIndex(tables),
            config.categories,
            args.plan,
            args.node,
            args.year,
            args.text,
            category=args.category,
            state=args.state or "open",
            max_length=config.annotation_max_length,
        )
        ws = open_workspace(args, config, tables=tables)
        try:
            note = ws.annotate(
                checked.plan_id,
                checked.node_id,
                checked.year,
                checked.text,
                category=checked.category,
                state=checked.state,
            )
        finally:
            ws.close()
        verb = _("saved annotation")
    where = f"{note.plan_id}/{note.node_id}" + (f" {note.year}" if note.year else "")
    label = ", ".join(x for x in (note.state, note.category) if x)
    print(printable(f"{verb} #{note.id} on {where} [{label}]"))
    return 0
