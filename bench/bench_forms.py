"""Parse the five samples in every form (text export, HTML, .docx, .xlsx, web-page text): issue
15's 300 ms.

    python bench/bench_forms.py [--runs N] [--profile N]

The forms are written first (tests/forms_helpers.py), then each run reads all twenty-five
documents from bytes to typed tables: per form, the five documents are parsed (their rows checked
against the contract) and then their tables are built together, as a merge into a dataset builds
them (``build_tables``: every table a frame of the contract's dtypes). Prints the wall and CPU
time per form and the totals, best of the runs (on a shared machine the CPU time is the figure
to compare). ``--profile N`` then reads them once more under cProfile and prints the N functions
of most cumulative time.

Each run also times a floor: a fixed reference workload of plain Python over the five text
exports (decode the bytes, split the lines, fold each line's case and search it with a regular
expression: the kind of work a reader does, with none of the workbench's code). It does not
change when the readers do, so the ratio of the forms' CPU time to it compares figures taken on
machines of other speeds, or on this one under other load; decoding the 25 documents themselves
would not do, being the readers' own code (.docx and .xlsx are read by the form readers).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import re
import sys
import time
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.forms_helpers import docx_bytes, html_page, web_text, xlsx_bytes  # noqa: E402
from workbench.ingest import parse_source, read_source, source_from_bytes  # noqa: E402
from workbench.ingest.document import build_tables  # noqa: E402
from workbench.ingest.sources.text import read_text_export  # noqa: E402

_WORD = re.compile(r"\b(?:мақсат|индикатор|бағыт|цель|2\d{3})\b")


def floor(texts: list[bytes]) -> int:
    """The reference workload (see the module's docstring); returns a count so it is not idle."""
    found = 0
    for _ in range(8):
        for data in texts:
            for line in data.decode("utf-8", "replace").splitlines():
                if _WORD.search(line.casefold()):
                    found += 1
    return found


def read(items: list[tuple[str, bytes]]) -> dict[str, pl.DataFrame]:
    """Documents' bytes to their typed tables, built together as a merge builds them."""
    return build_tables([parse_source(source_from_bytes(data, name)) for name, data in items])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    args = parser.parse_args()
    documents: dict[str, list[tuple[str, bytes]]] = {
        "text": [],
        "html": [],
        "docx": [],
        "xlsx": [],
        "web": [],
    }
    for path in sorted((ROOT / "data" / "sources").glob("*.txt")):
        source = read_source(path)
        blocks = read_text_export(source.lines, path=source.path, sha256=source.sha256)
        documents["text"].append((path.name, path.read_bytes()))
        documents["html"].append((path.name, html_page(blocks).encode("utf-8")))
        documents["docx"].append((path.name, docx_bytes(blocks)))
        documents["xlsx"].append((path.name, xlsx_bytes(blocks)))
        documents["web"].append((path.name, web_text(blocks).encode("utf-8")))
    best: dict[str, float] = {}
    best_cpu: dict[str, float] = {}  # CPU time: less swayed by other work on a shared machine
    texts = [data for _, data in documents["text"]]
    floor_cpu = float("inf")
    for _ in range(args.runs):
        cpu = time.process_time()
        floor(texts)
        floor_cpu = min(floor_cpu, time.process_time() - cpu)
        for form, items in documents.items():
            start = time.perf_counter()
            cpu = time.process_time()
            read(items)
            elapsed = time.perf_counter() - start
            best[form] = min(best.get(form, elapsed), elapsed)
            used = time.process_time() - cpu
            best_cpu[form] = min(best_cpu.get(form, used), used)
    for form, seconds in best.items():
        print(
            f"{form:5}  5 documents {seconds * 1000:7.1f} ms  (CPU {best_cpu[form] * 1000:6.1f} ms)"
        )
    four = [form for form in best if form != "web"]
    total, total_cpu = sum(best[f] for f in four) * 1000, sum(best_cpu[f] for f in four) * 1000
    print(f"text/html/docx/xlsx  20 documents {total:7.1f} ms  (CPU {total_cpu:6.1f} ms)")
    total, total_cpu = sum(best.values()) * 1000, sum(best_cpu.values()) * 1000
    print(f"all five forms       25 documents {total:7.1f} ms  (CPU {total_cpu:6.1f} ms)")
    print(
        f"floor (reference workload, see --help)  {floor_cpu * 1000:6.1f} ms CPU;"
        f"  all five forms = {total_cpu / (floor_cpu * 1000):.1f} floors"
    )
    print("target: 300 ms")
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for items in documents.values():
            read(items)
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(args.profile)


if __name__ == "__main__":
    main()
