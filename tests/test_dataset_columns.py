"""A dataset table with the wrong columns is refused once, on load, in one line naming the file
and the columns, by every command that reads the dataset (issue 17, item 13)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from workspace_data import GOAL, TARAZ, UNEMPLOYMENT
from workspace_data import write as write_data

from workbench.cli import main
from workbench.dataset import parquet_folder
from workbench.dataset.validation import validate_folder
from workbench.errors import DatasetError

COMMANDS = [
    ["report"],
    ["report", "--view", "activities"],
    ["report", "--view", "funding"],
    ["plans"],
    ["annotate", "--plan", TARAZ, "--node", GOAL, "--text", "x"],
    ["fact", "--plan", TARAZ, "--node", UNEMPLOYMENT, "--year", "2017", "--value", "5"],
    ["snapshot", "create", "s"],
]


def _renamed(data: Path, table: str, old: str, new: str) -> Path:
    path = data / f"{table}.parquet"
    pl.read_parquet(path).rename({old: new}).write_parquet(path)
    return path


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a[:3]) for a in COMMANDS])
@pytest.mark.parametrize(
    ("table", "old", "new"),
    [("values", "value", "valeur"), ("nodes", "title", "name"), ("plans", "city", "town")],
)
def test_a_table_with_wrong_columns_is_one_line_in_every_command(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    args: list[str],
    table: str,
    old: str,
    new: str,
) -> None:
    data = write_data(tmp_path / "data")
    path = _renamed(data, table, old, new)
    ws = tmp_path / "ws.sqlite3"
    code = main(["--data", str(data), "--workspace", str(ws), *args])
    out, err = capsys.readouterr()
    assert (code, out) == (1, "")
    assert err == (
        f"workbench: {path}: not the columns of table {table!r} in the data contract: "
        f"missing column(s) {old}; unexpected column(s) {new}\n"
    )
    assert not ws.exists()


def test_a_column_of_another_type_is_refused_on_load(tmp_path: Path) -> None:
    data = write_data(tmp_path / "data")
    path = data / "values.parquet"
    pl.read_parquet(path).with_columns(pl.col("year").cast(pl.String)).write_parquet(path)
    with pytest.raises(DatasetError, match="column year is String, expected Int32"):
        parquet_folder.read(data)
    # validate says the same, through the same check
    assert f"{path}: column year is String, expected Int32" in validate_folder(data)


def test_the_contracts_columns_load(tmp_path: Path) -> None:
    data = write_data(tmp_path / "data")
    assert set(parquet_folder.read(data)) == set(parquet_folder.empty())
    assert validate_folder(data) == []
