"""``workbench snapshot create NAME | list | export NAME | import FILE | diff A B``."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from workbench.commands.workspace_options import (
    add_workspace_arguments,
    load,
    open_workspace,
    printable,
    read_dataset,
)
from workbench.dataset.input_files import format_size, parse_size
from workbench.errors import WorkbenchError
from workbench.i18n import _
from workbench.snapshots.toml_read import MAX_BYTES


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_workspace_arguments(parser)  # before or after the action
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    create = sub.add_parser("create", help=_("freeze the current state under a name"))
    create.add_argument("name", metavar="NAME")
    create.add_argument("--author", default=None, help=_("author (default: config, else OS user)"))
    sub.add_parser("list", help=_("the snapshots of the workspace"))
    export = sub.add_parser("export", help=_("write a snapshot as TOML or CSV"))
    export.add_argument("name", metavar="NAME")
    export.add_argument("--format", choices=("toml", "csv"), required=True)
    export.add_argument(
        "--out",
        metavar="PATH",
        required=True,
        help=_("file to write (csv: PATH and PATH's <stem>.annotations.csv beside it)"),
    )
    export.add_argument(
        "--force", action="store_true", help=_("replace existing files (regular files only)")
    )
    export.add_argument(
        "--plan",
        action="append",
        default=[],
        metavar="ID",
        help=_("export only this plan (repeat, or a comma list)"),
    )
    export.add_argument(
        "--city",
        action="append",
        default=[],
        metavar="NAME",
        help=_(
            "export only this city's plans (Latin or native name, any case; repeat, or a "
            "comma list)"
        ),
    )
    imp = sub.add_parser(
        "import", help=_("store a TOML snapshot and restore its annotations, facts")
    )
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--as", dest="as_name", metavar="NAME", help=_("store it under another name"))
    imp.add_argument(
        "--max-size",
        default=None,
        metavar="SIZE",
        help=_("read files up to this size, e.g. 2G (default {size})").format(
            size=format_size(MAX_BYTES)
        ),
    )
    diff = sub.add_parser("diff", help=_("what changed from snapshot A to snapshot B"))
    diff.add_argument("a", metavar="A")
    diff.add_argument("b", metavar="B")
    diff.add_argument("--limit", type=int, default=None, help=_("show at most N changes"))
    for each in (create, sub.choices["list"], export, imp, diff):
        add_workspace_arguments(each)


def _listed(values: list[str]) -> list[str]:
    """Repeated options and comma lists, as one list of the names given."""
    return [name.strip() for value in values for name in value.split(",") if name.strip()]


def run(args: argparse.Namespace) -> int:
    from workbench.snapshots import create, diff, export, importing, toml_read
    from workbench.snapshots.model import check_name

    action = args.action
    config = load(args)
    tables = None
    incoming = None
    # Checks before the workspace is opened (or created): a refusal writes nothing.
    if action == "create":
        check_name(args.name)
        tables = read_dataset(args)
    elif action == "import":
        if args.as_name is not None:
            check_name(args.as_name)
        try:
            limit = MAX_BYTES if args.max_size is None else parse_size(args.max_size)
        except ValueError as exc:
            raise WorkbenchError(_("--max-size: {exc}").format(exc=exc)) from None
        _say_when_large(args.file)
        incoming = toml_read.read_file(args.file, max_bytes=limit)
        tables = read_dataset(args)  # each record is checked against it
    ws = open_workspace(
        args,
        config,
        tables=tables,
        create=action in ("create", "import"),
        for_reading=action in ("list", "export", "diff"),
    )
    code = 0
    try:
        if action == "create":
            from workbench.analysis.status import Thresholds

            assert tables is not None
            info = create.create(
                ws,
                tables,
                args.name,
                thresholds=Thresholds(met=config.met, amber=config.amber),
                author=args.author,
            )
            print(
                printable(
                    _("snapshot {name!r} created in {path}").format(name=info.name, path=ws.path)
                )
            )
        elif action == "list":
            infos = ws.snapshots()
            for info in infos:
                imported = (
                    _(" (imported from {source})").format(source=info.imported_from)
                    if info.imported_from
                    else ""
                )
                when = info.created_at[:16].replace("T", " ")
                print(printable(f"{info.name}  {when}  {info.author}{imported}"))
            if not infos:
                print(_("no snapshots"))
        elif action == "export":
            written = export.export(
                ws,
                args.name,
                args.format,
                args.out,
                force=args.force,
                plans=_listed(args.plan),
                cities=_listed(args.city),
            )
            for path in written:
                print(printable(_("wrote {path}").format(path=path)))
        elif action == "import":
            assert incoming is not None
            result = importing.import_snapshot(ws, incoming, source=args.file, name=args.as_name)
            print(printable(result.summary()))
            for line in result.problems():
                print(printable(line), file=sys.stderr)
            if result.refused:
                code = 1
        elif action == "diff":
            for line in diff.diff(ws, args.a, args.b).text(args.limit).splitlines():
                print(printable(line))
    finally:
        ws.close()
    return code


# A file this large takes seconds to read: say so first.
_LARGE: int = 50_000_000


def _say_when_large(file: str) -> None:
    """A line on stderr before a large file is read, so that the wait is not silent."""
    with contextlib.suppress(OSError):
        size = Path(file).stat().st_size
        if size >= _LARGE:
            print(
                printable(
                    _("reading {file} ({size} MB) …").format(file=file, size=round(size / 1e6))
                ),
                file=sys.stderr,
            )
