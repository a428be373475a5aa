"""A snapshot import into a workspace that cannot be written fails in one line and leaves no
``-wal``/``-shm`` file beside it (issue 17, item 14): the write that
tests/test_workspace_readonly.py's list of refused commands does not try. Run as that file's
cases are, in a child process: the folder chmod 555 (as root, without capabilities) and a
read-only bind mount in a user and mount namespace of its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_workspace_readonly import _digest, _mounted_read_only, _run, _unprivileged, made

from workbench.cli import main

__all__ = ["made"]  # the fixture, used by name


def _check_import_refused(prefix: list[str], ws: Path, data: Path, reason: str) -> None:
    before = _digest(ws)
    snapshot = ws.parent.parent / "first.toml"
    done = _run(prefix, ["snapshot", "import", str(snapshot), "--as", "again"], ws, data)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        f"workbench: {ws}: read-only workspace ({reason}); nothing can be saved to it "
        "(annotations, snapshot list and snapshot export still read it)\n"
    )
    assert sorted(p.name for p in ws.parent.iterdir()) == ["ws.sqlite3"]  # no -wal, no -shm
    assert _digest(ws) == before


@pytest.fixture
def exported(made: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> tuple[Path, Path]:
    ws, data = made
    out = ws.parent.parent / "first.toml"
    where = ["--workspace", str(ws), "--data", str(data)]
    assert main(["snapshot", "export", "first", "--format", "toml", "--out", str(out), *where]) == 0
    capsys.readouterr()
    for sidecar in ("ws.sqlite3-wal", "ws.sqlite3-shm"):  # the writer's, closed: gone
        assert not (ws.parent / sidecar).exists()
    return ws, data


def test_an_import_into_a_read_only_folder(exported: tuple[Path, Path]) -> None:
    ws, data = exported
    prefix = _unprivileged()
    ws.parent.chmod(0o555)
    _check_import_refused(prefix, ws, data, "its folder is read-only")


def test_an_import_into_a_workspace_on_a_read_only_mount(exported: tuple[Path, Path]) -> None:
    ws, data = exported
    _check_import_refused(_mounted_read_only(ws.parent), ws, data, "on a read-only file system")
