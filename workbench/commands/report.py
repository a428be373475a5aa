"""``workbench report``: roll-ups and indicator statuses without the screen, for scripts and cron.

Plain text when stdout is not a terminal (or NO_COLOR is set); colours and titles fitted to the
width on a terminal. ``--format csv`` has one row per indicator and year, with the ids the edit
commands take.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys

from workbench.commands.common import data_folder

FORMATS = ("text", "markdown", "csv", "json")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--city", help="city, by its Latin or native name (e.g. Taraz or Тараз)")
    parser.add_argument("--plan", metavar="ID", help="one plan, by its plan_id")
    parser.add_argument(
        "--year", type=int, help="count statuses at this year (default: each indicator's latest)"
    )
    parser.add_argument("--format", choices=FORMATS, default="text")
    # SUPPRESS: accepted after the subcommand too, without hiding the global option's value.
    parser.add_argument(
        "--workspace",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="workspace whose entered facts win over the documents' (default: config.toml)",
    )
    parser.add_argument(
        "--data", metavar="DIR", default=argparse.SUPPRESS, help="dataset folder to report on"
    )


def run(args: argparse.Namespace) -> int:
    from workbench import dataset
    from workbench.catalog import entered_facts
    from workbench.config import load_config
    from workbench.reporting import build_report, render
    from workbench.status import thresholds_from

    config = load_config(getattr(args, "config", None))
    folder = data_folder(args)
    tables = dataset.read(folder)
    report = build_report(
        tables,
        thresholds=thresholds_from(config),
        city=args.city,
        plan=args.plan,
        year=args.year,
        facts=entered_facts(config, getattr(args, "workspace", None)),
    )
    terminal = sys.stdout.isatty()
    colour = terminal and "NO_COLOR" not in os.environ
    width = shutil.get_terminal_size().columns if terminal else None
    sys.stdout.write(render(report, args.format, colour=colour, width=width))
    sys.stdout.flush()
    return 0
