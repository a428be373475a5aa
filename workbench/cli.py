"""The ``workbench`` command: open the screen, or run one of the headless subcommands.

Every failure the user can cause ends in one line on stderr and a non-zero exit code, never a
traceback. Textual is imported only to open the screen.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from workbench import i18n
from workbench.commands import COMMANDS
from workbench.commands.common import argument_problem
from workbench.errors import WorkbenchError
from workbench.i18n import _


def _add_lang(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument(
        "--lang",
        metavar="|".join(i18n.LANGUAGES),
        default=default,
        help=_("language of the interface (default: config.toml [ui] lang, else the locale)"),
    )


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser of ``workbench``. Every subcommand is listed; only those named in ``argv``
    (None: every one) get their own arguments, so a run imports only its own command's module
    (opening the screen imports none of them: their imports would delay its first frame)."""
    named = set(COMMANDS) if argv is None else set(argv)
    parser = argparse.ArgumentParser(
        prog="workbench",
        description=_("Plan Workbench: municipal development plans of Kazakhstan and Kyrgyzstan."),
    )
    parser.add_argument("--config", help=_("config.toml to use instead of the one found"))
    parser.add_argument("--data", help=_("dataset folder to open (default: the bundled plans)"))
    parser.add_argument(
        "--workspace",
        metavar="PATH",
        help=_(
            "workspace file of annotations, facts and snapshots "
            "(default: config.toml [workspace] path, else the user data folder)"
        ),
    )
    _add_lang(parser, None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        command = sub.add_parser(name, help=_(help_text), description=_(help_text))
        # Also after the subcommand; SUPPRESS keeps a --lang given before it.
        _add_lang(command, argparse.SUPPRESS)
        if name in named:
            importlib.import_module(module_name).add_arguments(command)
    return parser


def _given_option(argv: Sequence[str], name: str) -> str | None:
    """The value of ``name`` wherever it stands in ``argv`` (the last one given wins)."""
    found = None
    for index, arg in enumerate(argv):
        if arg == name and index + 1 < len(argv):
            found = argv[index + 1]
        elif arg.startswith(name + "="):
            found = arg.partition("=")[2]
    return found


def choose_language(argv: Sequence[str]) -> str:
    """The language of this run, chosen before the parser is built (its help is translated):
    ``--lang``, else config.toml's ``[ui] lang``, else the locale. A config.toml that cannot be
    read leaves the choice to the locale; the command itself reports the config's problem."""
    given = _given_option(argv, "--lang")
    if given is not None:
        return i18n.check_language(given)
    from workbench.config import ConfigError, load_config

    config = _given_option(argv, "--config")
    try:
        # An empty --config is refused by the argument checks, after this.
        configured = load_config(config).lang if config != "" else None
    except (ConfigError, OSError):
        configured = None
    return i18n.resolve(None, configured)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        i18n.use(choose_language(arguments))
    except WorkbenchError as exc:
        print(f"workbench: {exc}", file=sys.stderr)
        return 2
    parser = build_parser(arguments)
    args = parser.parse_args(arguments)
    problem = argument_problem(parser, args)
    if problem is not None:
        print(f"workbench: {problem}", file=sys.stderr)
        return 2
    try:
        if args.command is None:
            return _open(args)
        module_name, _help = COMMANDS[args.command]
        result: int = importlib.import_module(module_name).run(args)
        return result
    except WorkbenchError as exc:
        _say(str(exc))
        return 1
    except BrokenPipeError:
        return 0
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        _say(f"{exc.strerror or exc}{where}")
        return 1
    except KeyboardInterrupt:
        return 130


def _say(message: str) -> None:
    """An error as one line on stderr. It may quote a path or text the user gave (a file name
    can hold terminal escape sequences): control characters are shown escaped, never sent."""
    from workbench.dataset.input_files import escape_name

    print(f"workbench: {escape_name(message)}", file=sys.stderr)


def _open(args: argparse.Namespace) -> int:
    """Open the workbench screen on the dataset (Textual is imported here, and only here)."""
    from workbench.commands.common import data_folder
    from workbench.config import load_config

    config = load_config(getattr(args, "config", None))
    folder = data_folder(args)
    from screens.app import make_app

    # The workspace (its facts and annotations) is opened in the loading thread, after the
    # first frame; a missing one is created only by the first edit.
    app = make_app(config, folder, workspace=getattr(args, "workspace", None), lang=i18n.language())
    try:
        app.run()
    finally:
        if app.session is not None:
            app.session.close()
    return app.return_code or 0


if __name__ == "__main__":
    raise SystemExit(main())
