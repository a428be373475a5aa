"""The bundled dataset is exactly what ingesting the bundled documents produces today."""

from __future__ import annotations

import filecmp
import shutil
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from conftest import PLANS, SEEDS, SOURCES

from workbench.dataset import parquet_folder
from workbench.dataset.contract import TABLES
from workbench.dataset.validation import validate_folder

EXPECTED_FAMILIES = {
    "000_a022e4505cac72f3.txt": "monitoring-report",
    "001_b5c11f052baa7846.txt": "development-plan",
    "002_3919e70ca7955aea.txt": "mayoralty-programme",
    "003_a649211321f9a7a4.txt": "grant-list",
    "004_cf3c10cfbd63a6c4.txt": "council-programme",
}


def ingest_sources(out: Path | str) -> subprocess.CompletedProcess[str]:
    files = [str(path) for path in sorted(SOURCES.glob("*"))]
    return subprocess.run(
        [sys.executable, "-m", "workbench.cli", "ingest", *files, "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fresh") / "plans"
    result = ingest_sources(str(out))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    return out


def test_sources_are_the_shared_seeds_under_their_own_names() -> None:
    names = sorted(path.name for path in SOURCES.iterdir())
    assert names == sorted(EXPECTED_FAMILIES)
    if SEEDS.is_dir():
        for name in names:
            assert filecmp.cmp(SOURCES / name, SEEDS / name, shallow=False), name


def test_bundled_plans_equal_a_fresh_ingest(fresh: Path) -> None:
    for table in TABLES:
        bundled = (PLANS / f"{table}.parquet").read_bytes()
        assert bundled == (fresh / f"{table}.parquet").read_bytes(), (
            f"data/plans/{table}.parquet is stale: run "
            "`workbench ingest data/sources/* --out data/plans --replace-all`"
        )


def test_ingesting_twice_is_byte_identical(fresh: Path, tmp_path: Path) -> None:
    again = tmp_path / "plans"
    shutil.copytree(fresh, again)
    result = ingest_sources(str(again))
    assert result.returncode == 0, result.stderr
    for table in TABLES:
        assert (fresh / f"{table}.parquet").read_bytes() == (
            again / f"{table}.parquet"
        ).read_bytes(), table


def test_bundled_dataset_validates_and_holds_every_document() -> None:
    assert validate_folder(PLANS) == []
    plans = parquet_folder.read(PLANS)["plans"]
    assert sorted(plans.get_column("source_file").to_list()) == sorted(EXPECTED_FAMILIES)
    assert plans.height == 5
    assert set(plans.get_column("country").cast(pl.String)) == {"KZ", "KG"}


def test_ingest_prints_family_city_period_and_counts() -> None:
    result = ingest_sources("/dev/null/never")
    # Writing to an impossible folder fails, but only after every document was read and reported.
    for name, family in EXPECTED_FAMILIES.items():
        line = next(
            line for line in result.stdout.splitlines() if line.startswith(str(SOURCES / name))
        )
        assert family in line
    assert result.stdout.count(" nodes, ") == 5
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
