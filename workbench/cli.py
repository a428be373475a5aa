"""The ``workbench`` command: open the screen, or run one of the headless subcommands.

Every failure the user can cause ends in one line on stderr and a non-zero exit code, never a
traceback. Textual is imported only to open the screen.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from workbench.commands import COMMANDS
from workbench.commands.common import argument_problem
from workbench.errors import WorkbenchError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workbench",
        description="Plan Workbench: municipal development plans of Kazakhstan and Kyrgyzstan.",
    )
    parser.add_argument("--config", help="config.toml to use instead of the one found")
    parser.add_argument("--data", help="dataset folder to open (default: the bundled plans)")
    parser.add_argument(
        "--workspace",
        metavar="PATH",
        help="workspace file of annotations, facts and snapshots "
        "(default: config.toml [workspace] path, else the user data folder)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        command = sub.add_parser(name, help=help_text, description=help_text)
        importlib.import_module(module_name).add_arguments(command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    problem = argument_problem(parser, args)
    if problem is not None:
        print(f"workbench: {problem}", file=sys.stderr)
        return 2
    try:
        if args.command is None:
            return _open(args)
        module_name, _ = COMMANDS[args.command]
        result: int = importlib.import_module(module_name).run(args)
        return result
    except WorkbenchError as exc:
        print(f"workbench: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"workbench: {exc.strerror or exc}{where}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _open(args: argparse.Namespace) -> int:
    """Open the workbench screen on the dataset (Textual is imported here, and only here)."""
    from workbench.commands.common import data_folder
    from workbench.config import load_config

    config = load_config(getattr(args, "config", None))
    folder = data_folder(args)
    from screens.app import make_app

    # The workspace (its facts and annotations) is opened in the loading thread, after the
    # first frame; a missing one is created only by the first edit.
    app = make_app(config, folder, workspace=getattr(args, "workspace", None))
    try:
        app.run()
    finally:
        if app.session is not None:
            app.session.close()
    return app.return_code or 0


if __name__ == "__main__":
    raise SystemExit(main())
