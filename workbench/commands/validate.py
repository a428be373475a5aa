"""``workbench validate DIR``: the data contract checked, one problem per line."""

from __future__ import annotations

import argparse
import sys

from workbench.i18n import _


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", metavar="DIR")


def run(args: argparse.Namespace) -> int:
    from workbench.dataset.validation import validate_folder

    problems = validate_folder(args.folder)
    for problem in problems:
        print(problem)
    if problems:
        print(
            _("{count} problem(s) in {folder}").format(count=len(problems), folder=args.folder),
            file=sys.stderr,
        )
        return 1
    print(_("{folder}: clean").format(folder=args.folder))
    return 0
