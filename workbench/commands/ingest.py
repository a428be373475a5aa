"""``workbench ingest FILE... [--out DIR]``: documents in, Parquet dataset out."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.commands.common import data_folder
from workbench.errors import WorkbenchError
from workbench.i18n import _

if TYPE_CHECKING:
    from workbench.ingest.hints import Hints

_COUNTED = ("nodes", "indicators", "values", "activities", "grants", "funding")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help=_("documents to read"))
    parser.add_argument("--out", default=None, help=_("dataset folder (default: data/plans)"))
    parser.add_argument(
        "--replace-all",
        action="store_true",
        help=_("write only these documents, dropping the plans already in the folder"),
    )
    parser.add_argument(
        "--max-size",
        default=None,
        metavar="SIZE",
        help=_("the largest document file read, e.g. 200M (default 64M)"),
    )
    parser.add_argument(
        "--jobs",
        type=_jobs,
        default=None,
        metavar="N",
        help=_(
            "documents read at once, in N processes (default: the available cores when the "
            "files are large enough to gain from it)"
        ),
    )
    # -- what the analyst states that the text does not (generic reading) ----------------------
    parser.add_argument("--city", default=None, help=_("the city, district or region of the plan"))
    parser.add_argument("--period", default=None, help=_("the plan's period, e.g. 2021-2025"))
    parser.add_argument(
        "--family",
        default=None,
        choices=("plan", "report", "programme", "grants", "generic"),
        help=_("read the document as this kind of plan (generic: by its tables, no family)"),
    )
    parser.add_argument(
        "--mapping",
        default=None,
        metavar="PATH",
        help=_("a TOML of corrected column roles (default: FILE.mapping.toml when present)"),
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help=_("print how each table was understood (columns, roles, years, rows); write nothing"),
    )


def _hints(args: argparse.Namespace, name: str) -> Hints:
    from workbench.ingest.hints import gather

    return gather(
        name, city=args.city, period=args.period, family=args.family, mapping=args.mapping
    )


def _max_size(args: argparse.Namespace) -> int | None:
    from workbench.dataset.input_files import DEFAULT_MAX_SIZE, parse_size

    try:
        return parse_size(args.max_size) if args.max_size else DEFAULT_MAX_SIZE
    except ValueError as exc:
        print(f"workbench: --max-size: {exc}", file=sys.stderr)
        return None


def _explain(args: argparse.Namespace, max_size: int) -> int:
    from workbench.ingest import read_source
    from workbench.ingest.explain import explain

    failed = False
    for name in args.files:
        try:
            hints = _hints(args, name)
            lines = explain(read_source(name, max_size=max_size), hints)
        except WorkbenchError as exc:
            print(f"workbench: {exc}", file=sys.stderr)
            failed = True
            continue
        print("\n".join(lines))
    return 1 if failed else 0


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(
            _("expected a whole number of at least 1, got {text!r}").format(text=text)
        )
    return value


def run(args: argparse.Namespace) -> int:
    from workbench.display import number
    from workbench.ingest import merge
    from workbench.ingest.hints import describe_columns, describe_given
    from workbench.ingest.parallel import Refused, parse_many

    max_size = _max_size(args)
    if max_size is None:
        return 2
    if args.explain:
        return _explain(args, max_size)
    out = Path(args.out) if args.out else data_folder(args)
    documents = []
    failed = False
    hints_of: dict[str, Hints] = {}
    for name in args.files:
        try:
            hints_of[name] = _hints(args, name)
        except WorkbenchError as exc:
            print(f"workbench: {exc}", file=sys.stderr)
            failed = True
    names = [name for name in args.files if name in hints_of]
    given = [hints_of[name] for name in names]
    for name, document in zip(
        names, parse_many(names, args.jobs, max_size=max_size, hints=given), strict=True
    ):
        hints = hints_of[name]
        if isinstance(document, Refused):
            print(f"workbench: {document.message}", file=sys.stderr)
            failed = True
            continue
        documents.append(document)
        plan = document.plan()
        period = f"{plan['period_start']}-{plan['period_end']}"
        if plan["report_year"] is not None:
            period += _(", report year {year}").format(year=plan["report_year"])
        counts = _(
            "{nodes} nodes, {indicators} indicators, {values} values, {activities} activities, "
            "{grants} grants, {funding} funding"
        ).format(**{table: document.count(table) for table in _COUNTED})
        family = document.family
        if document.confidence is not None:
            family += " " + _("(confidence {value})").format(
                value=number(document.confidence, decimals=2)
            )
        print(f"{document.source.path}: {family}, {plan['city']}, {period}")
        print("  " + _("plan {plan}: {counts}").format(plan=document.plan_id, counts=counts))
        if plan["given_by_hand"]:
            by_hand = describe_given(str(plan["given_by_hand"]))
            print("  " + _("given by hand: {fields}").format(fields=by_hand))
        if hints.mapping_path:
            print(
                "  "
                + _("mapping {path} applied: {columns}").format(
                    path=hints.mapping_path, columns=describe_columns(hints)
                )
            )
        for warning in document.warnings:
            print(f"  {warning.format(document.source.path)}")
    if failed:
        print(
            "workbench: " + _("nothing written: fix or leave out the files above"),
            file=sys.stderr,
        )
        return 1
    try:
        merge.add_to_folder(out, documents, replace_all=args.replace_all)
    except OSError as exc:
        print(
            "workbench: "
            + _("cannot write the dataset to {out}: {problem}").format(
                out=out, problem=exc.strerror or exc
            ),
            file=sys.stderr,
        )
        return 1
    print(_("wrote {path}").format(path=out))
    return 0
