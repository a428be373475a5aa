"""``workbench ingest FILE... [--out DIR]``: documents in, Parquet dataset out."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workbench.commands.common import data_folder

_COUNTED = ("nodes", "indicators", "values", "activities", "grants", "funding")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help="documents to read")
    parser.add_argument("--out", default=None, help="dataset folder (default: data/plans)")
    parser.add_argument(
        "--replace-all",
        action="store_true",
        help="write only these documents, dropping the plans already in the folder",
    )
    parser.add_argument(
        "--max-size",
        default=None,
        metavar="SIZE",
        help="the largest document file read, e.g. 200M (default 64M)",
    )
    parser.add_argument(
        "--jobs",
        type=_jobs,
        default=None,
        metavar="N",
        help="documents read at once, in N processes (default: the available cores when the "
        "files are large enough to gain from it)",
    )


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def run(args: argparse.Namespace) -> int:
    from workbench.dataset import parquet_folder
    from workbench.dataset.input_files import DEFAULT_MAX_SIZE, parse_size
    from workbench.ingest import merge
    from workbench.ingest.parallel import Refused, parse_many

    try:
        max_size = parse_size(args.max_size) if args.max_size else DEFAULT_MAX_SIZE
    except ValueError as exc:
        print(f"workbench: --max-size: {exc}", file=sys.stderr)
        return 2
    out = Path(args.out) if args.out else data_folder(args)
    documents = []
    failed = False
    for document in parse_many(args.files, args.jobs, max_size=max_size):
        if isinstance(document, Refused):
            print(f"workbench: {document.message}", file=sys.stderr)
            failed = True
            continue
        documents.append(document)
        plan = document.tables["plans"].row(0, named=True)
        period = f"{plan['period_start']}-{plan['period_end']}"
        if plan["report_year"] is not None:
            period += f", report year {plan['report_year']}"
        counts = ", ".join(f"{document.count(t)} {t}" for t in _COUNTED)
        print(f"{document.source.path}: {document.family}, {plan['city']}, {period}")
        print(f"  plan {document.plan_id}: {counts}")
        for warning in document.warnings:
            print(f"  {warning.format(document.source.path)}")
    if failed:
        print("workbench: nothing written: fix or leave out the files above", file=sys.stderr)
        return 1
    existing = parquet_folder.empty() if args.replace_all else parquet_folder.read_or_empty(out)
    try:
        parquet_folder.write(merge.merge(existing, documents), out)
    except OSError as exc:
        print(
            f"workbench: cannot write the dataset to {out}: {exc.strerror or exc}", file=sys.stderr
        )
        return 1
    print(f"wrote {out}")
    return 0
