"""Time to read the bundled documents: in-process parse, and `workbench ingest` end to end.

Run by hand: `python bench/bench_ingest.py [--repeat N]`. Prints figures; asserts nothing.
The target (issue 3): parsing all five documents (about 4 300 lines) in at most 100 ms.
Each document's parse is timed on its own too (the figures the readers' tests used to assert:
about 20 ms a document); speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "data" / "sources").glob("*"))


def _median_ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:7.1f} ms (min {min(samples) * 1000:.1f})"


def bench_parse(repeat: int) -> None:
    from workbench.ingest import parse_source, read_source

    sources = [read_source(path) for path in SOURCES]
    lines = sum(len(source.lines) for source in sources)
    per_doc: dict[str, list[float]] = {source.name: [] for source in sources}
    totals = []
    for _ in range(repeat):
        start = time.perf_counter()
        for source in sources:
            t0 = time.perf_counter()
            parse_source(source)
            per_doc[source.name].append(time.perf_counter() - t0)
        totals.append(time.perf_counter() - start)
    print(f"in-process parse, {len(sources)} documents, {lines} lines, median of {repeat}:")
    for name, samples in per_doc.items():
        print(f"  {name:32s} {_median_ms(samples)}")
    print(f"  {'all five':32s} {_median_ms(totals)}   (target <= 100 ms)")


def _run(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def bench_command(repeat: int) -> None:
    floor = [_run([sys.executable, "-c", "import polars"]) for _ in range(repeat)]
    with tempfile.TemporaryDirectory() as tmp:
        ingest = [
            _run(
                [
                    sys.executable,
                    "-m",
                    "workbench.cli",
                    "ingest",
                    *map(str, SOURCES),
                    "--out",
                    str(Path(tmp) / "plans"),
                    "--replace-all",
                ]
            )
            for _ in range(repeat)
        ]
    textual = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from workbench.cli import main; "
            "main(['validate', '/nonexistent']); print('textual' in sys.modules)",
        ],
        capture_output=True,
        text=True,
    ).stdout.strip()
    print(f"end to end, median of {repeat}:")
    print(f"  python -c 'import polars'        {_median_ms(floor)}")
    print(f"  workbench ingest (5 documents)   {_median_ms(ingest)}")
    print(f"  the command line imports Textual: {textual.splitlines()[-1]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    bench_parse(args.repeat)
    bench_command(max(3, args.repeat // 4))


if __name__ == "__main__":
    main()
