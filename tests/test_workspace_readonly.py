"""A workspace that cannot be written is called read-only, not damaged; the commands that only
read it work; a refused write leaves no ``-wal``/``-shm`` file beside it (issue 17, item 11).

Each case runs the real command in a child process on a workspace made read-only three ways:
its folder chmod 555, the file chmod 444, and a read-only bind mount. Root ignores file modes,
so as root the child runs without capabilities (``setpriv --bounding-set=-all``), as an
analyst's own account would; the mount is made in a user and mount namespace of its own
(``unshare -rm``), so the test needs no privileges and changes nothing outside itself.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from workspace_data import GOAL, TARAZ, UNEMPLOYMENT
from workspace_data import write as write_data

from workbench.cli import main
from workbench.errors import WorkspaceError
from workbench.workspace import store

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"

READS = [
    ["annotations"],
    ["annotations", "--history"],
    ["snapshot", "list"],
    ["snapshot", "diff", "first", "first"],
    ["report", "--format", "csv"],
]
WRITES = [
    ["annotate", "--plan", TARAZ, "--node", GOAL, "--text", "more"],
    ["annotate", "--edit", "1", "--state", "resolved"],
    ["fact", "--plan", TARAZ, "--node", UNEMPLOYMENT, "--year", "2017", "--value", "5"],
    ["undo"],
    ["snapshot", "create", "second"],
]


def _unprivileged() -> list[str]:
    """The prefix that runs a command where file modes hold (root: without capabilities)."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: chmod does not stop root's writes")
    return ["setpriv", "--bounding-set=-all", "--inh-caps=-all"]


def _mounted_read_only(folder: Path) -> list[str]:
    """The prefix that runs a command with ``folder`` bind-mounted read-only over itself."""
    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True, check=False)
    if shutil.which("unshare") is None or probe.returncode != 0:
        pytest.skip("no unprivileged user and mount namespaces here (unshare -rm)")
    script = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'
    return ["unshare", "-rm", "sh", "-c", script, "sh", str(folder)]


@pytest.fixture
def made(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Iterator[tuple[Path, Path]]:
    """A workspace with an annotation and a snapshot, in a folder of its own; the folder's
    and file's modes are restored afterwards so that pytest can clean up."""
    data = write_data(tmp_path / "data")
    folder = tmp_path / "shared"
    ws = folder / "ws.sqlite3"
    where = ["--workspace", str(ws), "--data", str(data)]
    assert main(["annotate", "--plan", TARAZ, "--node", GOAL, "--text", "first", *where]) == 0
    assert main(["snapshot", "create", "first", *where]) == 0
    capsys.readouterr()
    yield ws, data
    folder.chmod(0o755)
    ws.chmod(0o644)


def _run(
    prefix: list[str], args: list[str], ws: Path, data: Path
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_DATA_HOME": str(ws.parent.parent / "xdg")}
    return subprocess.run(
        [*prefix, sys.executable, "-m", "workbench.cli", *args,
         "--workspace", str(ws), "--data", str(data)],
        capture_output=True, text=True, cwd=ws.parent.parent, env=env, check=False,
    )  # fmt: skip


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _check_read_only(prefix: list[str], ws: Path, data: Path, reason: str, export_to: Path) -> None:
    before = _digest(ws)
    for args in READS:
        done = _run(prefix, args, ws, data)
        assert (done.returncode, done.stderr) == (0, ""), (args, done.stderr)
        assert "damaged" not in done.stdout
    listed = _run(prefix, ["annotations"], ws, data).stdout
    assert "first" in listed
    exported = _run(
        prefix,
        ["snapshot", "export", "first", "--format", "toml", "--out", str(export_to)],
        ws,
        data,
    )
    assert exported.returncode == 0 and export_to.stat().st_size > 0, exported.stderr
    for args in WRITES:
        done = _run(prefix, args, ws, data)
        assert (done.returncode, done.stdout) == (1, ""), (args, done.stdout)
        assert done.stderr == (
            f"workbench: {ws}: read-only workspace ({reason}); nothing can be saved to it "
            "(annotations, snapshot list and snapshot export still read it)\n"
        ), args
    assert sorted(p.name for p in ws.parent.iterdir()) == ["ws.sqlite3"]  # no -wal, no -shm
    assert _digest(ws) == before


def test_a_workspace_in_a_read_only_folder(made: tuple[Path, Path], tmp_path: Path) -> None:
    ws, data = made
    prefix = _unprivileged()
    ws.parent.chmod(0o555)
    _check_read_only(prefix, ws, data, "its folder is read-only", tmp_path / "out.toml")


def test_a_read_only_workspace_file(made: tuple[Path, Path], tmp_path: Path) -> None:
    """The folder is writable: SQLite would make -wal and -shm files there, and a read-only
    connection could not remove them (the old code left both after every command)."""
    ws, data = made
    prefix = _unprivileged()
    ws.chmod(0o444)
    _check_read_only(prefix, ws, data, "the file is read-only", tmp_path / "out.toml")


def test_a_workspace_on_a_read_only_mount(made: tuple[Path, Path], tmp_path: Path) -> None:
    ws, data = made
    prefix = _mounted_read_only(ws.parent)
    _check_read_only(prefix, ws, data, "on a read-only file system", tmp_path / "out.toml")


def test_edits_still_in_the_write_ahead_log_are_read(
    made: tuple[Path, Path], tmp_path: Path
) -> None:
    """A writer killed before its log was copied into the file: a read-only reader reads the
    log too (an immutable open would not see those edits)."""
    ws, data = made
    script = (
        "import os, sys\n"
        "from workbench.dataset import parquet_folder\n"
        "from workbench.workspace import store\n"
        "ws = store.open_workspace(sys.argv[1], dataset=parquet_folder.read(sys.argv[2]))\n"
        "ws._conn.execute('PRAGMA wal_autocheckpoint = 0')\n"
        f"ws.annotate({TARAZ!r}, {GOAL!r}, None, 'only in the log')\n"
        "print('saved', flush=True)\n"
        "os.kill(os.getpid(), 9)\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(TESTS)])}
    child = subprocess.run(
        [sys.executable, "-c", script, str(ws), str(data)],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert child.stdout == "saved\n" and child.returncode == -signal.SIGKILL, child.stderr
    assert Path(f"{ws}-wal").stat().st_size > 0
    prefix = _unprivileged()
    ws.parent.chmod(0o555)
    done = _run(prefix, ["annotations"], ws, data)
    assert done.returncode == 0, done.stderr
    assert "only in the log" in done.stdout and "first" in done.stdout


def test_opened_for_reading_it_refuses_writes_in_one_line(
    made: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """In process: a workspace the folder check calls read-only is opened read-only for a
    reader, refused for a writer, and a write through a reader's workspace says why."""
    from workbench.workspace import workspace_file

    ws, _ = made
    monkeypatch.setattr(workspace_file, "unwritable", lambda path: "its folder is read-only")
    with pytest.raises(WorkspaceError, match=r"read-only workspace \(its folder is read-only\)"):
        store.open_workspace(ws)
    with store.open_workspace(ws, for_reading=True) as reader:
        assert [n.text for n in reader.annotations()] == ["first"]
        with pytest.raises(WorkspaceError, match=r"read-only workspace .*; not saved"):
            reader.undo(anyone=True)
    assert sorted(p.name for p in ws.parent.iterdir()) == ["ws.sqlite3"]
    conn = sqlite3.connect(ws)
    try:
        assert conn.execute("SELECT count(*) FROM edits WHERE undone_at IS NULL").fetchone() == (1,)
    finally:
        conn.close()


def test_the_screen_shows_a_read_only_workspace_and_an_edit_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The screen's session reads a workspace it cannot write (its annotations, its facts)
    rather than hiding them behind an error; an edit is refused in one line, nothing written."""
    from minidata import TARAZ as MINI_TARAZ
    from minidata import write_mini
    from screen_helpers import config_for

    from workbench.dataset import parquet_folder
    from workbench.workspace import workspace_file
    from workbench.workspace.session import Session

    mini = write_mini(tmp_path / "plans")
    ws = tmp_path / "ws.sqlite3"
    roads = "d1/s3.2.1/g3.2.1.1/i4"
    with store.open_workspace(ws, dataset=parquet_folder.read(mini)) as own:
        own.annotate(MINI_TARAZ, roads, 2017, "explained already", state="explained")
    before = _digest(ws)
    monkeypatch.setattr(workspace_file, "unwritable", lambda path: "its folder is read-only")
    session = Session(config_for(mini), mini, workspace=ws)
    catalog = session.load()
    assert session.problem is None
    assert catalog.is_annotated(MINI_TARAZ, roads)
    with pytest.raises(WorkspaceError, match=r"read-only workspace \(its folder is read-only\)"):
        session.workspace().annotate(MINI_TARAZ, roads, 2017, "more")
    session.close()
    assert _digest(ws) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plans", "ws.sqlite3"]
