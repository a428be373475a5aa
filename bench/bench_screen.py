"""How fast the workbench screen is, measured on the real command in a pseudo-terminal.

For the bundled dataset and for a synthetic one of 1 000 plans (~300 indicators and 7 years
each, made by ``bench/synthetic.py`` and kept between runs), this starts ``workbench --data DIR``
in an 80×24 pseudo-terminal (``--size``) and measures:

- first frame: from starting the process to the first frame on the terminal (may be a loading
  frame);
- first useful frame: to the frame that shows the cities (the first city of the tree by name,
  before or after the statuses are counted: the tree shows the cities first);
- tree usable: to the frame that shows the loaded tree (the top bar says "· year");
- move: from sending ↓ (six times) or ↑ (twice) in the tree to the screen's last output in
  answer (the tree's cursor and the detail of the row), once nothing more comes for 0.15 s;
- filter opens: from sending ``/`` to the frame that shows the empty filter line;
- filter keystroke: from sending one more letter of a filter to the frame with the new count
  (letters 0.2 s apart, the first one 0.2 s after the line opened: opening it goes on for
  some 60 ms after its first frame — the footer and the tree's new height — and a letter sent
  at once waits for that; ``--eager`` sends it at once, as before);
- CPU time of the workbench's process (all threads) over each filter keystroke;
- memory: resident size (VmRSS) 1.5 s after the tree is usable, once settled (within 2 MB for
  a second: the search column made in the background, freed memory given back) and its peak
  (VmHWM).

and the floor: the first frame of a bare Textual app that imports polars (one line of text), in
the same pseudo-terminal, measured in the same run. Prints the figures; asserts nothing.

Both start as an installed program does: from bytecode. Textual's and Polars' modules were
compiled when pip installed them; the workbench's own are compiled before the runs (an editable
install compiles them on its first start), and PYTHONDONTWRITEBYTECODE is not passed on — with
it every start would compile the workbench's modules from source, which no analyst's does.

    python bench/bench_screen.py [--plans 1000] [--runs 3] [--synthetic DIR] [--eager]
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import re
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "data" / "plans"
_ESCAPES = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_=>]")
SIZE = [80, 24]  # columns, rows of the terminal: --size


@dataclass
class Run:
    first_frame: float = 0.0
    first_useful: float = 0.0
    tree_usable: float = 0.0
    keystrokes: list[float] = field(default_factory=list)
    keystroke_cpu: list[float] = field(default_factory=list)
    moves: list[float] = field(default_factory=list)
    move_cpu: list[float] = field(default_factory=list)
    filter_opens: float = 0.0
    rss_mb: float = 0.0
    settled_mb: float = 0.0
    peak_mb: float = 0.0


class Terminal:
    """A process on a pseudo-terminal, and what it has written so far (escapes stripped)."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
        )
        os.close(slave)
        self.master = master
        self.raw = b""

    def read_until(self, needle: bytes, timeout: float = 120.0, start: int = 0) -> float:
        """Seconds since the process started when ``needle`` first shows in the output."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if needle in _ESCAPES.sub(b"", self.raw[start:]):
                return time.perf_counter() - self.started
            ready, _, _ = select.select([self.master], [], [], 0.01)
            if ready:
                try:
                    chunk = os.read(self.master, 1 << 16)
                except OSError:
                    break
                self.raw += chunk
        raise TimeoutError(f"{needle!r} did not appear; got {_ESCAPES.sub(b'', self.raw)[-400:]!r}")

    def settle(self, quiet: float = 0.15, timeout: float = 10.0) -> float:
        """perf_counter() at the last output since :meth:`send` once nothing more comes for
        ``quiet`` seconds: when the screen's answer to a key (every refresh it makes) ended."""
        last = time.perf_counter()
        deadline = last + timeout
        got = len(self.raw) > self.mark
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.005)
            if ready:
                try:
                    self.raw += os.read(self.master, 1 << 16)
                except OSError:
                    break
                last, got = time.perf_counter(), True
            elif got and time.perf_counter() - last >= quiet:
                return last
        raise TimeoutError("the screen did not answer the key")

    def send(self, text: str) -> float:
        self.mark = len(self.raw)
        os.write(self.master, text.encode())
        return time.perf_counter()

    def cpu(self) -> float:
        """CPU seconds the process has run so far, all its threads (from their schedstat, in
        nanoseconds: steadier than the wall clock on a loaded machine)."""
        total = 0
        for task in Path(f"/proc/{self.process.pid}/task").iterdir():
            with contextlib.suppress(OSError, ValueError, IndexError):  # a thread that ended
                total += int((task / "schedstat").read_text().split()[0])
        return total / 1e9

    def memory(self) -> tuple[float, float]:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        return (int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024)

    def close(self) -> None:
        try:
            os.write(self.master, b"q")
            self.process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        os.close(self.master)


def workbench_argv() -> list[str]:
    script = Path(sys.executable).with_name("workbench")
    return [str(script)] if script.exists() else [sys.executable, "-m", "workbench.cli"]


def environment() -> dict[str, str]:
    dropped = ("WORKBENCH_CONFIG", "NO_COLOR", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(TERM="xterm-256color", COLORTERM="truecolor", LANG="C.UTF-8", LC_ALL="C.UTF-8")
    env["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="wb-bench-xdg-")  # no workspace
    # This checkout's code, whichever checkout the interpreter's venv installed: a venv's
    # `workbench` script then runs the tree this bench belongs to (a base checkout's bench
    # measures the base).
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def first_city(folder: Path) -> bytes:
    """The city the tree shows first (cities are listed by name)."""
    import polars as pl

    city = pl.read_parquet(folder / "plans.parquet", columns=["city"]).get_column("city").min()
    return str(city).encode()


def measure(folder: Path, query: str, *, eager: bool = False) -> Run:
    run = Run()
    city = first_city(folder)
    term = Terminal([*workbench_argv(), "--data", str(folder)], environment())
    try:
        run.first_frame = term.read_until(b"Plan Workbench")
        run.first_useful = term.read_until(city)
        run.tree_usable = term.read_until(b"\xc2\xb7 year ")  # "· year": the loaded top bar
        time.sleep(1.5)  # let freed memory go back before reading the resident size
        run.rss_mb, run.peak_mb = term.memory()
        run.settled_mb = settled(term)
        run.peak_mb = term.memory()[1]
        for key in ("\x1b[B",) * 6 + ("\x1b[A",) * 2:  # down, then up
            cpu = term.cpu()
            sent = term.send(key)
            run.moves.append(term.settle() - sent)
            run.move_cpu.append(term.cpu() - cpu)
            time.sleep(0.1)
        sent = term.send("/")
        term.read_until(b"filter: type part", start=term.mark)
        run.filter_opens = time.perf_counter() - sent
        if not eager:
            time.sleep(0.2)
        typed = ""
        for letter in query:
            typed += letter
            cpu = term.cpu()
            sent = term.send(letter)
            term.read_until(f"/{typed} ".encode(), start=term.mark)
            run.keystrokes.append(time.perf_counter() - sent)
            run.keystroke_cpu.append(term.cpu() - cpu)
            time.sleep(0.2)
    finally:
        term.close()
    return run


def settled(term: Terminal, timeout: float = 20.0) -> float:
    """The resident size once it stays within 2 MB for a second: after the work the screen
    does in the background once the tree is up (the search column) and the memory it frees."""
    deadline = time.perf_counter() + timeout
    samples = [term.memory()[0]]
    while time.perf_counter() < deadline:
        time.sleep(0.25)
        samples.append(term.memory()[0])
        if len(samples) >= 5 and max(samples[-5:]) - min(samples[-5:]) < 2:
            break
    return samples[-1]


# The floor: what any Textual app that loads Polars pays before its first frame.
_BARE_APP = """
import polars
from textual.app import App
from textual.widgets import Static


class Bare(App):
    BINDINGS = [("q", "quit")]

    def compose(self):
        yield Static("floor ready")


Bare().run()
"""


def floor(runs: int) -> float:
    times = []
    for _ in range(runs):
        term = Terminal([sys.executable, "-c", _BARE_APP], environment())
        try:
            times.append(term.read_until(b"floor ready"))
        finally:
            term.close()
    return statistics.median(times)


def synthetic(base: Path, plans: int) -> Path:
    """The synthetic dataset of ``plans`` plans (made the first time, or when the data contract
    or the generator changed since: :func:`bench.synthetic.cached`)."""
    sys.path.insert(0, str(ROOT))
    from bench.synthetic import cached

    return cached(base, plans)


def compiled() -> None:
    """The workbench's modules compiled to bytecode, where Python looks for them (see above)."""
    # The packages this Python imports (another checkout's, when its interpreter runs this).
    code = (
        "import compileall, pathlib, screens, workbench\n"
        "for package in (workbench, screens):\n"
        "    compileall.compile_dir(str(pathlib.Path(package.__file__).parent), quiet=1)\n"
    )
    subprocess.run(
        [sys.executable, "-c", code],
        env=environment(),
        cwd=ROOT,  # `-c` puts the working folder first on the path
        check=True,
        stdout=subprocess.DEVNULL,
    )


def report(name: str, runs: list[Run], base: float) -> None:
    first = statistics.median(r.first_frame for r in runs)
    useful = statistics.median(r.first_useful for r in runs)
    usable = statistics.median(r.tree_usable for r in runs)
    keys = [k for r in runs for k in r.keystrokes]
    keys_cpu = [k for r in runs for k in r.keystroke_cpu]
    rss = statistics.median(r.rss_mb for r in runs)
    peak = max(r.peak_mb for r in runs)
    print(f"{name}:")
    print(f"  first frame        {first * 1000:7.0f} ms  ({first / base:.2f} × floor)")
    print(
        f"  first useful frame {useful * 1000:7.0f} ms  ({useful / base:.2f} × floor, cities shown)"
    )
    print(f"  tree usable        {usable * 1000:7.0f} ms")
    moves = [k for r in runs for k in r.moves]
    moves_cpu = [k for r in runs for k in r.move_cpu]
    print(
        f"  move (↓ ↑)         {statistics.median(moves) * 1000:7.1f} ms median, "
        f"{max(moves) * 1000:.1f} ms worst ({len(moves)} keys; "
        f"{statistics.median(moves_cpu) * 1000:.1f} ms CPU median)"
    )
    opens = [r.filter_opens for r in runs]
    print(f"  filter opens (/)   {statistics.median(opens) * 1000:7.1f} ms median")
    print(
        f"  filter keystroke   {statistics.median(keys) * 1000:7.1f} ms median, "
        f"{max(keys) * 1000:.1f} ms worst ({len(keys)} keys; "
        f"{statistics.median(keys_cpu) * 1000:.1f} ms CPU median)"
    )
    settle = statistics.median(r.settled_mb for r in runs)
    print(
        f"  memory             {rss:7.0f} MB resident 1.5 s after usable, {settle:.0f} MB when "
        f"settled, {peak:.0f} MB peak"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the workbench screen.")
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--synthetic",
        type=Path,
        default=Path(tempfile.gettempdir()) / "plan-workbench-bench" / "synthetic",
        help="where the synthetic dataset is kept between runs (DIR-PLANS-KEY)",
    )
    parser.add_argument(
        "--eager", action="store_true", help="type the first letter as soon as the line opens"
    )
    parser.add_argument(
        "--size", default="80x24", help="the terminal's COLUMNSxROWS (default 80x24)"
    )
    args = parser.parse_args(argv)
    SIZE[:] = [int(part) for part in args.size.lower().split("x")]
    folder = synthetic(args.synthetic, args.plans)
    compiled()
    base = floor(max(5, args.runs))
    print(
        f"floor: a bare Textual app importing polars, first frame {base * 1000:.0f} ms (median), "
        f"{SIZE[0]}×{SIZE[1]}"
    )
    datasets = [(f"synthetic, {args.plans} plans", folder, "жұм")]
    if (BUNDLED / "plans.parquet").exists():
        datasets.insert(0, ("bundled data/plans", BUNDLED, "жол"))
    for name, path, query in datasets:
        runs = [measure(path, query, eager=args.eager) for _ in range(args.runs)]
        report(name, runs, base)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
