"""Reading many documents at once: a pool of processes over the files, results in input order.

Parsing is pure Python (the GIL holds threads to one core), so the pool is of processes. It is
used only when it can help: several files and more than one core to run them on. A worker
returns each document without its text (the parent needs its name, plan and rows, not the
text again over the pipe) with the body codes of its responsible cells worked out (the
dataset-level vocabulary pass would otherwise do that for every plan in one process), or the
one-line message of the error that refused it.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from workbench.dataset.input_files import DEFAULT_MAX_SIZE
from workbench.errors import WorkbenchError
from workbench.ingest.document import ParsedDocument
from workbench.ingest.hints import Hints
from workbench.ingest.vocabulary import document_body_codes


@dataclass(frozen=True, slots=True)
class Refused:
    """A document that could not be read: the one-line message that says why."""

    message: str


# Below this much text, parsing takes less than starting the workers does.
POOL_MIN_BYTES = 2_000_000


def _size(paths: Sequence[str | Path]) -> int:
    total = 0
    for path in paths:
        try:
            total += os.stat(path).st_size
        except OSError:
            continue  # reported when it is read
    return total


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def parse_many(
    paths: Sequence[str | Path],
    jobs: int | None = None,
    *,
    max_size: int = DEFAULT_MAX_SIZE,
    hints: Sequence[Hints | None] | None = None,
) -> Iterator[ParsedDocument | Refused]:
    """Each document parsed, or why it was refused, in the order of ``paths``; ``hints`` (one
    per path, or None) say what the analyst stated that the text does not.

    ``jobs`` is the number of processes; one, or a single file, parses here without a pool.
    By default: the available cores when the files hold enough text to pay for starting the
    workers (each starts an interpreter and imports the readers), else one.
    """
    if jobs is None:
        jobs = available_cores() if _size(paths) >= POOL_MIN_BYTES else 1
    given = list(hints) if hints is not None else [None] * len(paths)
    workers = min(jobs, len(paths))
    if workers <= 1:
        for path, hint in zip(paths, given, strict=True):
            yield _parse(path, max_size, hint)
        return
    # spawn, not fork: a forked child of a process that has used Polars may deadlock
    context = multiprocessing.get_context("spawn")
    chunk = max(1, min(16, len(paths) // (workers * 4)))
    done = 0
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            light = partial(_parse_light, max_size=max_size)
            for result in pool.map(light, paths, given, chunksize=chunk):
                done += 1
                yield result
    except BrokenProcessPool:
        # A worker could not start (a program read from stdin cannot be imported again) or
        # died: the documents not yet read are read here.
        for path, hint in zip(paths[done:], given[done:], strict=True):
            yield _parse(path, max_size, hint)


def _parse(path: str | Path, max_size: int, hints: Hints | None) -> ParsedDocument | Refused:
    from workbench.ingest import parse_file

    try:
        return parse_file(path, hints, max_size=max_size)
    except WorkbenchError as exc:
        return Refused(str(exc))


def _parse_light(path: str | Path, hints: Hints | None, max_size: int) -> ParsedDocument | Refused:
    result = _parse(path, max_size, hints)
    if isinstance(result, ParsedDocument):
        result.source = replace(result.source, text="", lines=(), origins=(), blocks=None)
        result.body_codes = document_body_codes(result.rows)
    return result
