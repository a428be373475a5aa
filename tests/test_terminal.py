"""The real ``workbench`` command in a real terminal (tmux, 80×24): keys in, screen out."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from minidata import write_mini

TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed (CI installs it)")


class Terminal:
    """One tmux session on a private server socket, so nothing else of the user's is touched."""

    def __init__(self, socket: str, command: str, width: int = 80, height: int = 24) -> None:
        self.socket = socket
        self.run("new-session", "-d", "-s", "wb", "-x", str(width), "-y", str(height), command)
        self.socket_path = self.run("display-message", "-p", "#{socket_path}").strip()

    def run(self, *args: str) -> str:
        assert TMUX is not None
        done = subprocess.run(
            [TMUX, "-u", "-L", self.socket, *args], capture_output=True, text=True, timeout=20
        )
        return done.stdout

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "wb")

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.run("send-keys", "-t", "wb", *(["-l"] if literal else []), *keys)

    def wait_for(self, text: str, timeout: float = 30.0, *, gone: bool = False) -> str:
        """The screen once ``text`` is on it (or, with ``gone``, once it is not)."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if (text in screen) != gone:
                return screen
            time.sleep(0.1)
        what = "never went away" if gone else "never appeared"
        raise AssertionError(f"{text!r} {what}; the screen was:\n{screen}")

    def close(self) -> None:
        self.run("kill-server")
        if self.socket_path:
            Path(self.socket_path).unlink(missing_ok=True)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    folder = write_mini(tmp_path / "plans")
    script = Path(sys.executable).with_name("workbench")
    program = [str(script)] if script.exists() else [sys.executable, "-m", "workbench.cli"]
    env = {
        "XDG_DATA_HOME": str(tmp_path / "xdg"),
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
    }
    command = " ".join(
        [
            "env -u WORKBENCH_CONFIG",
            *(f"{k}={shlex.quote(v)}" for k, v in env.items()),
            *(shlex.quote(p) for p in program),
            "--data",
            shlex.quote(str(folder)),
            "; echo WORKBENCH-EXIT=$?; sleep 60",
        ]
    )
    term = Terminal(f"wbtest{os.getpid()}", command)
    try:
        yield term
    finally:
        term.close()


def test_workbench_command_at_80x24(terminal: Terminal) -> None:
    terminal.wait_for("Taraz · Тараз")  # the cities come first, their statuses next
    screen = terminal.wait_for("●4 ◐2 ✖2 ○1")  # Taraz's roll-up, glyphs and all
    assert "Plan Workbench" in screen and "Kara-Balta · Кара-Балта" in screen
    assert "Taraz · Тараз" in screen
    assert "q quit" in screen or "qquit" in screen.replace(" ", "")
    # Filter for a Kazakh word, in capitals.
    terminal.keys("/")
    terminal.wait_for("filter: type part")
    terminal.keys("ӘЛЕУ", literal=True)
    screen = terminal.wait_for("2 matches")
    assert "Қаланың өнеркәсіптік әлеуетін арттыру" in screen
    terminal.wait_for("GOAL")  # the first match is selected, its roll-up below
    terminal.keys("Enter")
    # Wait for the filter line to close (the tree's keys are back in the footer): an `n` sent
    # before that would be typed into the filter.
    terminal.wait_for("d devs")
    terminal.keys("n")
    terminal.wait_for("DIRECTION  Әлеуметтік сала")
    # Drop the filter (/ then Esc), filter for a Kyrgyz word, open the indicator full screen.
    terminal.keys("/")
    terminal.wait_for("ӘЛЕУ")
    terminal.keys("Escape")
    terminal.wait_for("Kara-Balta · Кара-Балта")
    terminal.wait_for("filter: type part", gone=True)  # the filter line has closed
    terminal.keys("/")
    terminal.wait_for("filter: type part")  # typed before the line opens, keys go to the tree
    terminal.keys("үлүшү", literal=True)
    terminal.wait_for("1 match")
    terminal.keys("Enter")  # keeps the filter, back in the tree
    # The tree's keys are back in the footer once the filter line has closed; a key sent
    # before that would still go to the filter line.
    terminal.wait_for("d devs")
    terminal.keys("Enter")  # opens the indicator
    screen = terminal.wait_for("Kara-Balta · Кара-Балта", gone=True)  # the detail fills it
    assert "INDICATOR" in screen and "Baseline" in screen and "2024" in screen
    terminal.keys("Escape")
    terminal.wait_for("Kara-Balta · Кара-Балта")
    terminal.keys("?")
    terminal.wait_for("Keys (Esc closes)")
    terminal.keys("Escape")  # then wait: Esc and q at once would read as Alt+q
    terminal.wait_for("Keys (Esc closes)", gone=True)
    terminal.keys("q")
    terminal.wait_for("WORKBENCH-EXIT=0")
