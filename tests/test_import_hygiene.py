"""The core never imports Textual: a command-line run pays nothing for the screen."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import workbench

CORE = Path(workbench.__file__).resolve().parent


def _modules() -> list[str]:
    names = []
    for path in sorted(CORE.rglob("*.py")):
        parts = path.relative_to(CORE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join(parts))
    return names


def test_core_imports_without_textual() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(bad[:3])\n"
        "raise SystemExit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_textual_import_statement_in_core() -> None:
    offenders = [
        str(path)
        for path in CORE.rglob("*.py")
        if "import textual" in path.read_text(encoding="utf-8")
        or "from textual" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_ingest_command_does_not_import_textual(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from workbench.cli import main\n"
        f"rc = main(['validate', {str(tmp_path)!r}])\n"
        "raise SystemExit(2 if 'textual' in sys.modules else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
