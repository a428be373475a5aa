"""The benches' cached synthetic dataset is made again when the data contract or the generator
changed since it was made, never read stale (a cache that predated a new contract column was
read as it was, and the benches measured a dataset the workbench no longer writes)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from bench import synthetic
from workbench.dataset.contract import SCHEMAS


def test_the_cached_dataset_is_made_once_and_kept(tmp_path: Path) -> None:
    folder = synthetic.cached(tmp_path / "synthetic", 2)
    assert folder.parent == tmp_path and folder.name.startswith("synthetic-2-")
    made = (folder / "plans.parquet").stat().st_mtime_ns
    assert synthetic.cached(tmp_path / "synthetic", 2) == folder
    assert (folder / "plans.parquet").stat().st_mtime_ns == made  # read, not made again
    for table, schema in SCHEMAS.items():  # in the contract as it is
        assert pl.read_parquet_schema(folder / f"{table}.parquet") == schema


def test_a_new_contract_column_makes_the_dataset_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = synthetic.cached(tmp_path / "synthetic", 2)
    plans = pl.Schema({**SCHEMAS["plans"], "new_column": pl.String()})
    monkeypatch.setitem(synthetic.SCHEMAS, "plans", plans)
    assert synthetic.cache_key() not in before.name
    monkeypatch.setattr(synthetic, "write", lambda n, folder: Path(folder).mkdir() or folder)
    after = synthetic.cached(tmp_path / "synthetic", 2)
    assert after != before and after.parent == tmp_path and after.is_dir()
