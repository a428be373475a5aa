"""``workbench validate DIR``: the data contract checked, one problem per line."""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", metavar="DIR")


def run(args: argparse.Namespace) -> int:
    from workbench.dataset.validation import validate_folder

    problems = validate_folder(args.folder)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {args.folder}", file=sys.stderr)
        return 1
    print(f"{args.folder}: clean")
    return 0
