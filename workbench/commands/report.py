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
from typing import TYPE_CHECKING, Any

from workbench.commands.common import data_folder
from workbench.i18n import _

if TYPE_CHECKING:
    from datetime import date

FORMATS = ("text", "markdown", "csv", "json")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--city", help=_("city, by its Latin or native name (e.g. Taraz or Тараз)"))
    parser.add_argument("--plan", metavar="ID", help=_("one plan, by its plan_id"))
    parser.add_argument(
        "--year",
        metavar="Y",
        help=_("count statuses at this year (default: each indicator's latest)"),
    )
    parser.add_argument("--format", choices=FORMATS, default="text")
    parser.add_argument(
        "--view",
        choices=("indicators", "activities", "funding"),
        default="indicators",
        help=_("what to report: indicator statuses (default), activities with due status, funding"),
    )
    parser.add_argument(
        "--as-of",
        metavar="DATE",
        help=_(
            "activities: the date due statuses are computed for, DD.MM.YYYY or YYYY-MM-DD "
            "(default: today)"
        ),
    )
    parser.add_argument(
        "--status",
        action="append",
        default=[],
        metavar="STATUS",
        help=_(
            "activities: keep this due status (not_due, due, overdue, reported, unknown); repeat"
        ),
    )
    parser.add_argument(
        "--quarter", action="append", default=[], help=_("activities: deadline quarter (2026-Q3)")
    )
    parser.add_argument(
        "--body",
        action="append",
        default=[],
        help=_(
            "activities: responsible body, by code or name in any language (e.g. culture, "
            "мәдениет); repeat"
        ),
    )
    parser.add_argument(
        "--source",
        action="append",
        default=[],
        help=_(
            "activities and funding: funding source, by code, name or printed abbreviation "
            "(e.g. РБ, local, жергілікті бюджет); repeat"
        ),
    )
    parser.add_argument("--text", help=_("activities: words the title or expected result contain"))
    # SUPPRESS: accepted after the subcommand too, without hiding the global option's value.
    parser.add_argument(
        "--workspace",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help=_(
            "workspace whose entered facts and set polarities win over the documents' "
            "(default: config.toml)"
        ),
    )
    parser.add_argument(
        "--data", metavar="DIR", default=argparse.SUPPRESS, help=_("dataset folder to report on")
    )


def run(args: argparse.Namespace) -> int:
    from workbench.analysis.reporting import build_report, render
    from workbench.analysis.status import thresholds_from
    from workbench.config import load_config
    from workbench.dataset import parquet_folder
    from workbench.workspace.edit_checks import parse_date, parse_year
    from workbench.workspace.store import entered_facts, set_polarities

    # The one parser of a year (and of a date) every door uses: ``--year ²`` is refused.
    year = parse_year(args.year)
    as_of = parse_date(args.as_of) if args.as_of is not None else None
    config = load_config(getattr(args, "config", None))
    folder = data_folder(args)
    tables = parquet_folder.read(folder)
    if args.view != "indicators":
        return _run_rows(args, config, tables, year=year, as_of=as_of)
    report = build_report(
        tables,
        thresholds=thresholds_from(config),
        city=args.city,
        plan=args.plan,
        year=year,
        facts=entered_facts(config, getattr(args, "workspace", None)),
        polarities=set_polarities(config, getattr(args, "workspace", None)),
    )
    terminal = sys.stdout.isatty()
    colour = terminal and "NO_COLOR" not in os.environ
    width = shutil.get_terminal_size().columns if terminal else None
    sys.stdout.write(render(report, args.format, colour=colour, width=width))
    sys.stdout.flush()
    return 0


def _run_rows(
    args: argparse.Namespace, config: Any, tables: Any, *, year: int | None, as_of: date | None
) -> int:
    """``--view activities`` or ``--view funding``: rows to stdout, warnings to stderr."""
    from workbench.analysis.activities import ActivityFilter
    from workbench.analysis.reporting import (
        build_activities_report,
        build_funding_report,
        render_rows,
    )
    from workbench.errors import WorkbenchError

    terminal = sys.stdout.isatty()
    width = shutil.get_terminal_size().columns if terminal else None
    if args.view == "activities":
        try:
            filters = ActivityFilter(
                statuses=tuple(args.status),
                quarters=tuple(args.quarter),
                bodies=tuple(args.body),
                sources=tuple(args.source),
                text=args.text,
                as_of=as_of,
            )
        except ValueError as exc:
            raise WorkbenchError(_("report: {exc}").format(exc=exc)) from None
        report = build_activities_report(
            tables,
            city=args.city,
            plan=args.plan,
            filters=filters,
            marks=_marks(config, getattr(args, "workspace", None)),
            width=width,
        )
    else:
        report = build_funding_report(
            tables,
            city=args.city,
            plan=args.plan,
            years=(year,) if year is not None else (),
            sources=tuple(args.source),
        )
    sys.stdout.write(render_rows(report, args.format))
    sys.stdout.flush()
    for warning in report.warnings:
        sys.stderr.write(_("warning: {warning}").format(warning=warning) + "\n")
    return 0


def _marks(config: Any, workspace: str | None) -> Any:
    """The analyst's "reported" marks, or None without a workspace (nothing is created)."""
    from workbench.workspace import store

    path = store.resolve_path(workspace, config)
    if not path.exists():
        return None
    with store.open_workspace(path, create=False, for_reading=True) as ws:
        return ws.marks_frame()
