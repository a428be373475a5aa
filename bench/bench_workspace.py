"""How fast the workspace is: one confirmed edit, and a snapshot created and exported.

On the synthetic dataset of ``--plans`` plans (1 000 by default: ~300 indicators and 7 years
each, ~2 M indicator-year values; made by ``bench/synthetic.py`` and kept between runs under
``$TMPDIR/plan-workbench-bench/``, shared with ``bench/bench_screen.py``), in a fresh workspace
in a temporary folder, this measures:

- edit: one confirmed edit (an annotation or an entered fact, alternately, each on another
  plan, so each also builds that plan's validation index), from the call to its return — that
  is, committed with ``synchronous=FULL``;
- create: ``create.create`` (statuses, roll-ups, the frozen parts written to the workspace);
- TOML export and CSV export: ``export.export`` of that snapshot (read back from the
  workspace, rendered, written to a temporary file, fsynced and linked into place);
- TOML import: ``importing.import_file`` of the first run's TOML into an empty workspace (read,
  checked, its annotations and facts restored, the snapshot stored) — no target, once; and, with
  ``--import-paths``, the reading of that file alone with the years read in bulk
  (:mod:`workbench.snapshots.toml_years`) and by the TOML parser, for the choice to keep it;

and prints the medians (wall clock, and CPU time of all threads), the worst run and the files'
sizes (one edit ≤ 20 ms; the 2 s target for create + TOML + CSV at 1 000 plans was withdrawn),
then what this machine allows whatever the code does: a cycle's CPU time over the cores it may
use, and the time its disk takes to write as many bytes as the exports (zeros, as the exports
write). Asserts nothing.

With ``--steps``, also each step alone, one after the other: statuses, the tree's order, the
roll-ups, the whole build, the Parquet encoding, the SQLite write and read, the load (read and
decode), and per export the rendering into memory and the file write (write, fsync, rename).

    python bench/bench_workspace.py [--plans 1000] [--runs 3] [--edits 100] [--no-import]
        [--import-paths] [--steps] [--synthetic DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import polars as pl  # noqa: E402

from bench.bench_screen import synthetic  # noqa: E402
from workbench.dataset import parquet_folder  # noqa: E402
from workbench.snapshots import (  # noqa: E402
    create,
    csv_export,
    export,
    importing,
    toml_read,
    toml_write,
)
from workbench.snapshots.files import atomic_file  # noqa: E402
from workbench.workspace import store  # noqa: E402

TARGET_EDIT_MS = 20.0


def edit_targets(tables: dict[str, pl.DataFrame], count: int) -> list[tuple[str, str, int]]:
    """(plan, indicator, year) of planned values spread over the dataset, for the edits."""
    planned = (
        tables["values"]
        .filter(pl.col("kind").cast(pl.String) == "plan")
        .select("plan_id", "node_id", "year")
        .unique(subset=["plan_id", "node_id"], keep="first", maintain_order=True)
    )
    step = max(1, planned.height // max(1, count))
    rows = planned.gather_every(step).head(count)
    return [(str(p), str(n), int(y)) for p, n, y in rows.iter_rows()]


def measure_edits(ws: store.Workspace, targets: list[tuple[str, str, int]]) -> list[float]:
    times = []
    for i, (plan_id, node_id, year) in enumerate(targets):
        began = time.perf_counter()
        if i % 2:
            ws.enter_fact(plan_id, node_id, year, f"{100 + i},5")
        else:
            ws.annotate(
                plan_id, node_id, year, f'bench note {i}: "late" data\nsecond line', state="open"
            )
        times.append(time.perf_counter() - began)
    return times


def measure_steps(
    ws: store.Workspace, tables: dict[str, pl.DataFrame], work: Path, runs: int
) -> dict[str, list[float]]:
    """Each step of a snapshot's making and exports, alone and one after the other (``create``
    and ``export`` overlap some of them in threads, and stream the rendering into the file)."""
    from workbench.analysis import status
    from workbench.dataset import hierarchy

    steps: dict[str, list[float]] = {}

    @contextlib.contextmanager
    def timed(step: str) -> Iterator[None]:
        began = time.perf_counter()
        yield
        steps.setdefault(step, []).append(time.perf_counter() - began)

    def write_and_sync(kind: str, path: Path, data: bytes) -> None:
        """As an export writes its file: into a temporary file, fsynced, renamed into place."""
        view = memoryview(data)
        with timed(f"{kind}: file write, fsync, rename"), atomic_file(path, True) as temporary:
            for at in range(0, len(view), 1 << 20):  # in pieces, as Polars hands them over
                temporary.handle.write(view[at : at + (1 << 20)])
        path.unlink()

    limits = status.Thresholds()
    facts = ws.facts_detail_frame().select("plan_id", "node_id", "year", "value")
    for run in range(runs):
        name = f"steps {run}"
        with timed("create: statuses"):
            statuses = status.indicator_statuses(tables, thresholds=limits, facts=facts)
        with timed("create: hierarchy.ordered_items"):
            items = hierarchy.ordered_items(tables)
        with timed("create: rollup"):
            status.rollup(tables, statuses, items=items)
        with timed("create: build (all above + parts, threads)"):
            snap = create.build(ws, tables, name)
        with timed("create: parquet encode (all parts)"):
            encoded = create.encode_parts(snap.parts)
        with timed("create: SQLite write (one transaction)"), ws.transaction() as conn:
            ws.store_snapshot(conn, snap.header, encoded)
        with timed("export: SQLite read"):
            ws.snapshot_parts(name)
        with timed("export: load (SQLite read + parquet decode)"):
            loaded = create.load(ws, name)
        toml = io.BytesIO()
        with timed("TOML: render (into memory)"):
            toml_write.write_toml(loaded, toml)
        write_and_sync("TOML", work / "steps.toml", toml.getvalue())
        del toml
        with timed("CSV: csv_values_text"):
            values = csv_export.csv_values_text(loaded)
        csv = io.BytesIO()
        with timed("CSV: render (write_csv into memory)"):
            values.write_csv(csv, quote_style="never")
        write_and_sync("CSV", work / "steps.csv", csv.getvalue())
        del csv, values, loaded, snap, encoded
    return steps


def measure_disk(work: Path, size: int) -> float:
    """Seconds to write ``size`` bytes (zeros) as an export writes its file (temporary file,
    fsync, rename): the disk's share of the exports, whatever makes their text."""
    piece = bytes(1 << 20)
    path = work / "disk.bin"
    began = time.perf_counter()
    with atomic_file(path, True) as temporary:
        for at in range(0, size, len(piece)):
            temporary.handle.write(piece[: min(len(piece), size - at)])
    took = time.perf_counter() - began
    path.unlink()
    return took


def measure_import_paths(path: Path) -> dict[str, float]:
    """Seconds to read ``path`` with its years read in bulk (as import does) and by the TOML
    parser alone: what :mod:`workbench.snapshots.toml_years` saves."""
    took = {}
    for label, bulk in (("years in bulk", True), ("parser alone", False)):
        began = time.perf_counter()
        toml_read.read_file(path, bulk_years=bulk)
        took[label] = time.perf_counter() - began
    return took


def cpu_seconds() -> float:
    """CPU time of this process so far, user and system, all threads (a steadier reading than
    the wall clock on a shared machine; both cores busy show as twice the wall time)."""
    times = os.times()
    return times.user + times.system


def mb(path: Path) -> float:
    return path.stat().st_size / 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark workspace edits and snapshots.")
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--edits", type=int, default=100)
    parser.add_argument("--no-import", action="store_true", help="skip the TOML import")
    parser.add_argument(
        "--import-paths",
        action="store_true",
        help="also read the TOML with and without the bulk reading of the years",
    )
    parser.add_argument(
        "--steps", action="store_true", help="also time each step alone (statuses, … fsync)"
    )
    parser.add_argument(
        "--synthetic",
        type=Path,
        default=Path(tempfile.gettempdir()) / "plan-workbench-bench" / "synthetic",
        help="where the synthetic dataset is kept between runs (DIR-PLANS-KEY)",
    )
    args = parser.parse_args(argv)
    folder = synthetic(args.synthetic, args.plans)
    began = time.perf_counter()
    tables = parquet_folder.read(folder)
    print(
        f"dataset: {args.plans} plans, {tables['indicators'].height} indicators, "
        f"{tables['values'].height} value rows (read in {time.perf_counter() - began:.2f} s)"
    )
    work = Path(tempfile.mkdtemp(prefix="wb-bench-workspace-"))
    imported: float | None = None
    paths: dict[str, float] = {}
    try:
        ws = store.open_workspace(work / store.FILE_NAME, dataset=tables, author="bench")
        try:
            edits = measure_edits(ws, edit_targets(tables, args.edits))
            steps = measure_steps(ws, tables, work, args.runs) if args.steps else {}
            rows: list[tuple[float, float, float]] = []
            cpu: list[tuple[float, float, float]] = []  # CPU seconds (user + system), all threads
            sizes: tuple[float, float, float] = (0.0, 0.0, 0.0)
            written = 0  # bytes of one run's exports
            for run in range(args.runs):
                name = f"bench {run}"
                c0, t0 = cpu_seconds(), time.perf_counter()
                create.create(ws, tables, name)
                c1, t1 = cpu_seconds(), time.perf_counter()
                toml_path = work / f"run{run}.toml"
                export.export(ws, name, "toml", toml_path)
                c2, t2 = cpu_seconds(), time.perf_counter()
                csv_path = work / f"run{run}.csv"
                export.export(ws, name, "csv", csv_path)
                c3, t3 = cpu_seconds(), time.perf_counter()
                rows.append((t1 - t0, t2 - t1, t3 - t2))
                cpu.append((c1 - c0, c2 - c1, c3 - c2))
                values_csv, notes_csv = csv_export.csv_paths(csv_path)
                sizes = (mb(toml_path), mb(values_csv), mb(notes_csv))
                written = sum(p.stat().st_size for p in (toml_path, values_csv, notes_csv))
                if run == 0 and not args.no_import:
                    empty = store.open_workspace(work / "import.sqlite3", dataset=tables)
                    try:
                        began = time.perf_counter()
                        importing.import_file(empty, toml_path)
                        imported = time.perf_counter() - began
                    finally:
                        empty.close()
                if run == 0 and args.import_paths:
                    paths = measure_import_paths(toml_path)
                for each in (toml_path, values_csv, notes_csv):  # keep the disk cache honest
                    each.unlink()
                print(
                    f"  run {run + 1}: create {rows[-1][0]:.2f} s, TOML {rows[-1][1]:.2f} s, "
                    f"CSV {rows[-1][2]:.2f} s",
                    file=sys.stderr,
                )
            disk = statistics.median(measure_disk(work, written) for _ in range(3))
        finally:
            ws.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)

    first_ms = edits[0] * 1000  # also pays for warming SQLite and Python up
    edit_ms = sorted(t * 1000 for t in edits)
    p95 = edit_ms[min(len(edit_ms) - 1, int(0.95 * len(edit_ms)))]
    print(
        f"one confirmed edit     {statistics.median(edit_ms):7.2f} ms median, {p95:.2f} ms p95, "
        f"{edit_ms[-1]:.2f} ms worst ({len(edit_ms)} edits; target ≤ {TARGET_EDIT_MS:.0f} ms)"
    )
    print(f"  first edit           {first_ms:7.2f} ms (after opening the workspace)")
    create_s, toml, csv = (statistics.median(r[i] for r in rows) for i in range(3))
    create_cpu, toml_cpu, csv_cpu = (statistics.median(r[i] for r in cpu) for i in range(3))
    totals = [sum(r) for r in rows]
    print(
        f"snapshot create        {create_s:7.2f} s  (median of {len(rows)}; {create_cpu:.2f} CPU-s)"
    )
    print(f"TOML export            {toml:7.2f} s  ({sizes[0]:.0f} MB; {toml_cpu:.2f} CPU-s)")
    print(
        f"CSV export             {csv:7.2f} s  ({sizes[1]:.0f} MB values, {sizes[2]:.2f} MB "
        f"notes; {csv_cpu:.2f} CPU-s)"
    )
    total = statistics.median(totals)
    print(f"create + TOML + CSV    {total:7.2f} s median, {max(totals):.2f} s worst")
    # What this machine allows, whatever the code: the CPU time spread perfectly over its cores,
    # and the disk writing the exports' bytes alone.
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    cycle_cpu = statistics.median(sum(r) for r in cpu)
    print(
        f"  this machine: {cycle_cpu:.2f} CPU-s a cycle on {cores} core(s), so at least "
        f"{cycle_cpu / (cores or 1):.2f} s; the disk alone writes the exports' "
        f"{written / 1e6:.0f} MB in {disk:.2f} s ({written / 1e6 / disk:.0f} MB/s)"
    )
    if steps:
        print(f"steps alone (median of {args.runs}):")
        for step, times in steps.items():
            print(f"  {step:46s} {statistics.median(times):6.3f} s")
    if imported is not None:
        print(f"TOML import            {imported:7.2f} s  (into an empty workspace; no target)")
    for label, took in paths.items():
        print(f"  TOML read, {label:15s} {took:6.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
