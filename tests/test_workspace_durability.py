"""A killed writer loses no confirmed edit; two writers on one workspace lose nothing (issue 6).

The child (``workspace_writer.py``) prints each edit after its commit returned; whatever the
parent read is what a screen would have called "saved".
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from workspace_data import write as write_data

from workbench.workspace import store

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent


def writer(
    ws: Path, data: Path, count: int, tag: str, barrier: Path | None = None
) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(TESTS)])}
    args = [str(ws), str(data), str(count), tag, *([str(barrier)] if barrier else [])]
    return subprocess.Popen(
        [sys.executable, str(TESTS / "workspace_writer.py"), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )


def check_confirmed(path: Path, lines: list[str]) -> None:
    """Every confirmed edit is in the workspace, with its own text."""
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        for line in lines:
            kind, ident, label = line.split()
            if kind == "annotation":
                row = conn.execute(
                    "SELECT v.text FROM annotations a JOIN annotation_versions v "
                    "ON v.annotation_id = a.id AND v.version = 1 WHERE a.id = ? "
                    "AND a.removed_at IS NULL",
                    (int(ident),),
                ).fetchone()
            elif kind == "version":
                annotation_id, version = (int(x) for x in ident.split(":"))
                row = conn.execute(
                    "SELECT text FROM annotation_versions WHERE annotation_id = ? AND version = ?",
                    (annotation_id, version),
                ).fetchone()
            else:
                row = conn.execute("SELECT raw FROM facts WHERE id = ?", (int(ident),)).fetchone()
                n = int(label.rsplit("-", 1)[1])
                assert row is not None and row[0] == f"{n},5", line
                continue
            assert row is not None and row[0] == label, line
    finally:
        conn.close()


def test_sigkill_mid_burst_loses_no_confirmed_edit(tmp_path: Path) -> None:
    data = write_data(tmp_path / "data")
    ws = tmp_path / "ws.sqlite3"
    store.open_workspace(ws).close()
    child = writer(ws, data, 1000, "k")
    assert child.stdout is not None
    assert child.stdout.readline() == "ready\n"
    confirmed: list[str] = []
    for line in child.stdout:
        confirmed.append(line.strip())
        if len(confirmed) == 250:
            os.kill(child.pid, signal.SIGKILL)
            break
    confirmed.extend(line.strip() for line in child.stdout if line.strip())  # already printed
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL, child.stderr.read() if child.stderr else ""
    assert 250 <= len(confirmed) < 1000  # killed in the middle of the burst

    check_confirmed(ws, confirmed)
    with store.open_workspace(ws) as reopened:  # recovers the WAL, and is usable
        assert reopened.integrity() == "ok"
        logged = len(reopened.edits(limit=2000))
        assert len(confirmed) <= logged <= len(confirmed) + 1  # at most one unconfirmed commit
        reopened.undo()


def test_repeated_sigkills_mid_burst_lose_no_confirmed_edit(tmp_path: Path) -> None:
    """Five writers in turn on one workspace, each killed at another point of its burst (some
    between a commit and its line, some while a log is large): after each kill the next writer
    recovers the log and goes on, and at the end every edit any of them confirmed is there."""
    data = write_data(tmp_path / "data")
    ws = tmp_path / "ws.sqlite3"
    store.open_workspace(ws).close()
    confirmed: list[str] = []
    for round_, kill_after in enumerate((7, 60, 133, 1, 210)):
        child = writer(ws, data, 1000, f"r{round_}")
        assert child.stdout is not None
        assert child.stdout.readline() == "ready\n"
        for seen, line in enumerate(child.stdout, start=1):
            confirmed.append(line.strip())
            if seen == kill_after:
                os.kill(child.pid, signal.SIGKILL)
                break
        confirmed.extend(line.strip() for line in child.stdout if line.strip())
        child.wait(timeout=30)
        assert child.returncode == -signal.SIGKILL, child.stderr.read() if child.stderr else ""
        check_confirmed(ws, confirmed)  # after each kill, not only at the end
    with store.open_workspace(ws) as reopened:
        assert reopened.integrity() == "ok"
        logged = len(reopened.edits(limit=5000))
        assert len(confirmed) <= logged <= len(confirmed) + 5  # at most one unconfirmed a kill
        assert {line.split()[2].split("-")[0] for line in confirmed} == {f"r{n}" for n in range(5)}


def test_two_processes_edit_one_workspace(tmp_path: Path) -> None:
    data = write_data(tmp_path / "data")
    ws = tmp_path / "ws.sqlite3"  # created by whichever child gets there first
    barrier = tmp_path / "go"
    children = [writer(ws, data, 300, tag, barrier) for tag in ("a", "b")]
    for child in children:  # both open, then both start their burst at once
        assert child.stdout is not None and child.stdout.readline() == "ready\n"
    barrier.touch()
    outputs = [child.communicate(timeout=60) for child in children]
    for child, (_, err) in zip(children, outputs, strict=True):
        assert child.returncode == 0, err
    lines = [line for out, _ in outputs for line in out.splitlines()]
    assert len(lines) == 600
    check_confirmed(ws, lines)
    with store.open_workspace(ws) as result:
        edits = result.edits(limit=1000)
        assert len(edits) == 600
        # (how the commits interleave is up to SQLite's busy handler: sometimes one writer
        # waits out most of the other's burst; either way nothing may be lost)
        authors = {a.author for a in result.annotations()}
        assert authors == {"a", "b"}
        assert len(result.annotations()) == 200
