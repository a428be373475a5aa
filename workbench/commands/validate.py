"""``workbench validate DIR``: the data contract checked, one problem per line."""

from __future__ import annotations

import argparse
import sys

from workbench.i18n import _


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", metavar="DIR")


def run(args: argparse.Namespace) -> int:
    from workbench.dataset.input_files import escape_name
    from workbench.dataset.validation import validate_folder

    problems = validate_folder(args.folder)
    folder = escape_name(args.folder)  # a name may hold terminal escape sequences
    for problem in problems:
        print(escape_name(problem))
    if problems:
        print(
            _("{count} problem(s) in {folder}").format(count=len(problems), folder=folder),
            file=sys.stderr,
        )
        return 1
    print(_("{folder}: clean").format(folder=folder))
    return 0
