"""A path the user names may hold terminal escape sequences: every command shows it escaped."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.cli import main

EVIL = "d\x1b[31m\x07"


def test_validate_and_errors_show_a_name_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / EVIL
    assert main(["--lang", "en", "validate", str(folder)]) != 0
    out, err = capsys.readouterr()
    assert "\x1b" not in out + err and "\x07" not in out + err
    assert "d^[[31m^G" in out + err
    workspace = ["--workspace", str(tmp_path / "ws.sqlite3")]
    assert main(["--lang", "en", "snapshot", "import", str(tmp_path / f"{EVIL}.toml"), *workspace])
    out, err = capsys.readouterr()
    assert "\x1b" not in out + err and "d^[[31m^G.toml" in err
