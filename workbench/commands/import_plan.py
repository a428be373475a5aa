"""``workbench import FILE``: the import view on one document (the screen, not a report)."""

from __future__ import annotations

import argparse
import sys

from workbench.commands.common import data_folder
from workbench.errors import WorkbenchError
from workbench.i18n import _


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help=_("the document to read"))
    parser.add_argument("--city", default=None, help=_("the city, district or region of the plan"))
    parser.add_argument("--period", default=None, help=_("the plan's period, e.g. 2021-2025"))
    parser.add_argument(
        "--family",
        default=None,
        choices=("plan", "report", "programme", "grants", "generic"),
        help=_("read the document as this kind of plan (generic: by its tables, no family)"),
    )


def run(args: argparse.Namespace) -> int:
    from workbench.ingest.import_session import ImportSession

    try:
        session = ImportSession.open(
            args.file, city=args.city, period=args.period, family=args.family
        )
    except WorkbenchError as exc:
        print(f"workbench: {exc}", file=sys.stderr)
        return 1
    # The screen is imported only now: a refused file never loads Textual.
    from screens.importing.app import ImportApp

    ImportApp(session, data_folder(args)).run()
    return 0
