"""`workbench ingest` over several files in parallel: same results, in input order, errors per
file, and the same dataset as one process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polars as pl
from conftest import SOURCES

from workbench.dataset.contract import TABLES
from workbench.ingest import parse_file
from workbench.ingest.document import ParsedDocument
from workbench.ingest.parallel import POOL_MIN_BYTES, Refused, parse_many

SAMPLES = sorted(SOURCES.glob("*.txt"))


def run_ingest(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workbench.cli", "ingest", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_parse_many_keeps_the_order_and_refuses_per_file(tmp_path: Path) -> None:
    bad = tmp_path / "letter.txt"
    bad.write_text("Құрметті әріптестер!\nЕртең жиналыс болады.\n", encoding="utf-8")
    paths = [SAMPLES[1], bad, SAMPLES[0], SAMPLES[4]]
    results = list(parse_many(paths, jobs=2))
    assert [type(r).__name__ for r in results] == [
        "ParsedDocument",
        "Refused",
        "ParsedDocument",
        "ParsedDocument",
    ]
    refused = results[1]
    assert isinstance(refused, Refused) and str(bad) in refused.message
    assert "not a plan document" in refused.message
    for path, result in zip(paths, results, strict=True):
        if isinstance(result, ParsedDocument):
            alone = parse_file(path)
            assert result.source.path == str(path)
            assert result.source.sha256 == alone.source.sha256
            assert [w.format(str(path)) for w in result.warnings] == [
                w.format(str(path)) for w in alone.warnings
            ]
            for table in TABLES:
                assert result.tables[table].equals(alone.tables[table]), (path.name, table)


def test_one_job_one_file_or_little_text_parses_without_a_pool() -> None:
    one = list(parse_many([SAMPLES[3]], jobs=4))
    assert isinstance(one[0], ParsedDocument) and one[0].source.text  # not sent over a pipe
    sequential = list(parse_many(SAMPLES[:2], jobs=1))
    assert all(isinstance(r, ParsedDocument) and r.source.text for r in sequential)
    # by default the five samples (under half a megabyte) are not worth starting workers for
    assert sum(p.stat().st_size for p in SAMPLES) < POOL_MIN_BYTES
    default = list(parse_many(SAMPLES))
    assert all(isinstance(r, ParsedDocument) and r.source.text for r in default)


def test_command_jobs_give_the_same_output_and_dataset(tmp_path: Path) -> None:
    files = [str(p) for p in SAMPLES]
    one = run_ingest(*files, "--out", str(tmp_path / "one"), "--jobs", "1")
    two = run_ingest(*files, "--out", str(tmp_path / "two"), "--jobs", "2")
    assert one.returncode == two.returncode == 0, one.stderr + two.stderr
    assert one.stdout.replace(str(tmp_path / "one"), "OUT") == two.stdout.replace(
        str(tmp_path / "two"), "OUT"
    )
    heads = [line.split(":")[0] for line in two.stdout.splitlines() if not line.startswith(" ")]
    assert heads[:-1] == files  # one summary per document, in the order given
    for table in TABLES:
        a = pl.read_parquet(tmp_path / "one" / f"{table}.parquet")
        b = pl.read_parquet(tmp_path / "two" / f"{table}.parquet")
        assert a.equals(b), table


def test_command_in_parallel_names_each_bad_file_and_writes_nothing(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    missing = tmp_path / "missing.txt"
    out = tmp_path / "plans"
    files = [str(SAMPLES[0]), str(empty), str(SAMPLES[2]), str(missing)]
    result = run_ingest(*files, "--out", str(out), "--jobs", "2")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    errors = result.stderr.splitlines()
    assert "empty" in next(line for line in errors if str(empty) in line)
    assert any(str(missing) in line and "no such file" in line for line in errors)
    assert "nothing written" in errors[-1]
    assert not out.exists()


def test_jobs_must_be_a_positive_number(tmp_path: Path) -> None:
    result = run_ingest(str(SAMPLES[0]), "--out", str(tmp_path / "o"), "--jobs", "0")
    assert result.returncode == 2
    assert "--jobs" in result.stderr and "at least 1" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_pool_that_cannot_start_falls_back_to_one_process() -> None:
    # a program read from stdin cannot be imported again by a spawned worker
    script = (
        "from workbench.ingest.parallel import parse_many\n"
        f"paths = {[str(p) for p in SAMPLES[:3]]!r}\n"
        "print([r.plan_id for r in parse_many(paths, jobs=2)])\n"
    )
    result = subprocess.run(
        [sys.executable, "-"], input=script, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    expected = [parse_file(p).plan_id for p in SAMPLES[:3]]
    assert result.stdout.strip() == repr(expected)


def test_body_codes_worked_out_ahead_give_the_same_vocabulary() -> None:
    from workbench.dataset import parquet_folder
    from workbench.ingest import merge
    from workbench.ingest.vocabulary import document_body_codes, link_vocabulary

    documents = [parse_file(path) for path in SAMPLES]
    tables = merge.merge(parquet_folder.empty(), documents)
    known: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for document in documents:
        known.update(document_body_codes(document.rows))
    assert known  # every sample but the grant list names responsible bodies
    for document in documents:  # every responsible cell, read from the rows
        for table in ("activities", "indicators", "plans"):
            frame = document.tables[table].select("plan_id", "responsible")
            assert {key for key in frame.iter_rows() if key[1]} <= set(known), table
    ahead = link_vocabulary(tables, known)
    plain = link_vocabulary(tables)
    for table in ("vocabulary", "assignments"):
        assert ahead[table].equals(plain[table]), table


def test_max_size_holds_in_the_workers(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(SAMPLES[1].read_bytes() * 3)
    files = [str(SAMPLES[2]), str(big), str(SAMPLES[3])]
    out = tmp_path / "plans"
    result = run_ingest(*files, "--out", str(out), "--jobs", "2", "--max-size", "100K")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert [line for line in result.stderr.splitlines() if str(big) in line]
    assert str(SAMPLES[2]) in result.stdout and str(SAMPLES[3]) in result.stdout
    assert not out.exists()
