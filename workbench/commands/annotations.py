"""``workbench annotations``: list the annotations of the workspace, one per line.

Each line names the node as the screen does (city, printed code, title) and ends with its ids
after a tab (``plan_id/node_id``), for a script to cut. ``--format csv`` and ``--format json``
write one record per annotation (and per version with ``--history``) with the ids and the node's
city, code and title in columns (:data:`CSV_COLUMNS`); a CSV text cell a spreadsheet would run as a
formula is written with a ``'`` before it.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from workbench.commands.workspace_options import (
    add_workspace_arguments,
    load,
    open_workspace,
    printable,
    read_dataset,
)
from workbench.i18n import _

if TYPE_CHECKING:
    from workbench.analysis.labels import NodeLabel
    from workbench.workspace.annotation_store import Annotation, AnnotationVersion

# The columns of ``--format csv`` (and the keys of ``--format json``): never translated.
CSV_COLUMNS = (
    "id",
    "uid",
    "plan_id",
    "node_id",
    "city",
    "code",
    "title",
    "year",
    "state",
    "category",
    "text",
    "author",
    "created_at",
    "updated_by",
    "updated_at",
    "version",
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--plan", metavar="ID", help=_("only this plan"))
    parser.add_argument(
        "--node", metavar="ID", help=_("only this node (with --plan: also its code or title start)")
    )
    parser.add_argument(
        "--state", metavar="S", help=_("only this state: open | explained | resolved")
    )
    parser.add_argument("--history", action="store_true", help=_("every version of each one"))
    parser.add_argument(
        "--format",
        choices=("text", "csv", "json"),
        default="text",
        help=_("text (default), csv or json: one record per annotation, with its ids"),
    )
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
    if args.format != "text":
        print(_records(notes, histories, labels, args.format), end="")
        return 0
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


def _records(
    notes: list[Annotation],
    histories: dict[int, list[AnnotationVersion]],
    labels: dict[tuple[str, str], NodeLabel],
    fmt: str,
) -> str:
    """The annotations (each version with ``--history``) as CSV or JSON (:data:`CSV_COLUMNS`)."""
    import csv
    import io
    import json

    import polars as pl

    from workbench.dataset.csv_cells import neutralise_text

    rows: list[dict[str, object]] = []
    for note in notes:
        label = labels.get((note.plan_id, note.node_id))
        named = {
            "city": label.city if label else None,
            "code": label.code if label else None,
            "title": label.title if label else None,
        }
        base = {
            "id": note.id,
            "uid": note.uid,
            "plan_id": note.plan_id,
            "node_id": note.node_id,
            **named,
            "year": note.year,
            "created_at": note.created_at,
            "author": note.author,
        }
        versions = histories.get(note.id)
        if not versions:
            rows.append(
                {
                    **base,
                    "state": note.state,
                    "category": note.category,
                    "text": note.text,
                    "updated_by": note.updated_by,
                    "updated_at": note.updated_at,
                    "version": note.version,
                }
            )
            continue
        for version in versions:
            rows.append(
                {
                    **base,
                    "state": version.state,
                    "category": version.category,
                    "text": version.text,
                    "updated_by": version.author,
                    "updated_at": version.at,
                    "version": version.version,
                }
            )
    ordered = [{c: row.get(c) for c in CSV_COLUMNS} for row in rows]
    if fmt == "json":
        return json.dumps(ordered, ensure_ascii=False, indent=1) + "\n"
    schema = {c: pl.String for c in CSV_COLUMNS} | {
        "id": pl.Int64,
        "year": pl.Int32,
        "version": pl.Int32,
    }
    frame = neutralise_text(pl.DataFrame(ordered, schema=schema, orient="row"))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in frame.iter_rows():
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue()
