"""Time to read documents: the bundled five in process and end to end, and many documents of
their families (bench/synthetic_documents.py: other cities, other numbers) end to end.

Run by hand: `python bench/bench_ingest.py [--repeat N] [--documents N [--jobs J ...]
[--only-documents]]`. Prints figures; asserts nothing. The many-document run prints wall time and
the CPU seconds of the command and its worker processes: on a machine other work shares, the
CPU seconds over the number of jobs is what the run would take on idle cores.
Targets: parsing the five documents (about 4 300 lines) in at most
100 ms (issue 3; issue 15 allows 300 ms for the five in all their forms); `workbench ingest` of
1 000 documents in at most 30 s on a 2-core machine (issue 15). The many-document run loads
every core for a while: run it once or twice, not in a loop. Each document's parse is timed on
its own too (the figures the readers' tests used to assert: about 20 ms a document); speed is
measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import resource
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
    print(f"  {'all five':32s} {_median_ms(totals)}   (target <= 100 ms; issue 15: 300 ms)")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(command: list[str]) -> float:
    return _run_cpu(command)[0]


def _run_cpu(command: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (the command and every process it started) of a command."""
    start, cpu = time.perf_counter(), _children_cpu()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start, _children_cpu() - cpu


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


def bench_many(count: int, jobs: list[int]) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from synthetic_documents import generate

    with tempfile.TemporaryDirectory() as tmp:
        paths = generate(Path(tmp) / "documents", count)
        size = sum(path.stat().st_size for path in paths)
        print(f"workbench ingest of {count} documents ({size / 1e6:.1f} MB), once each:")
        for job in jobs:
            command = [sys.executable, "-m", "workbench.cli", "ingest", *map(str, paths)]
            command += ["--out", str(Path(tmp) / f"plans{job}"), "--replace-all"]
            command += ["--jobs", str(job)]
            seconds, cpu = _run_cpu(command)
            print(
                f"  --jobs {job}: {seconds:6.1f} s wall, {cpu:6.1f} CPU-s (process + children)"
                f"   (target <= 30 s; CPU-s / {job} is the wall time on {job} idle cores)"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--documents", type=int, default=0, help="also ingest N documents")
    parser.add_argument("--jobs", type=int, action="append", help="for --documents; repeat")
    parser.add_argument(
        "--only-documents", action="store_true", help="with --documents: skip the five's timings"
    )
    args = parser.parse_args()
    if not (args.only_documents and args.documents):
        bench_parse(args.repeat)
        bench_command(max(3, args.repeat // 4))
    if args.documents:
        bench_many(args.documents, args.jobs or [2])


if __name__ == "__main__":
    main()
