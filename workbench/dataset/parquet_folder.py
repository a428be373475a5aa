"""The canonical dataset on disk: one Parquet file per table in one folder.

Parsed documents are merged into a dataset by :mod:`workbench.ingest.merge`.

Writing is deterministic (rows sorted by each table's key, fixed compression), so ingesting the
same documents twice gives byte-identical files, and atomic per file (temporary file + rename).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

import polars as pl

from workbench.dataset.contract import KEYS, SCHEMAS, TABLES, empty_frame
from workbench.errors import DatasetError
from workbench.i18n import _

Tables = dict[str, pl.DataFrame]


def empty() -> Tables:
    return {table: empty_frame(table) for table in TABLES}


def canonical_order(table: str, frame: pl.DataFrame) -> pl.DataFrame:
    """Rows in a stable order: by the table's key (nulls first); duplicates of the key dropped."""
    frame = frame.select(list(SCHEMAS[table])).cast(SCHEMAS[table])
    keys = list(KEYS[table])
    frame = frame.unique(subset=keys, keep="first", maintain_order=True)
    order = ["plan_id", "node_id"] if table == "nodes" else keys
    sort_keys = [
        pl.col(k).cast(pl.String) if isinstance(frame.schema[k], pl.Enum) else pl.col(k)
        for k in order
    ]
    return frame.sort(sort_keys, nulls_last=False, maintain_order=True)


def write(tables: Mapping[str, pl.DataFrame], folder: str | Path) -> None:
    """Write every table as ``<table>.parquet`` into ``folder`` (created when missing)."""
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    for table in TABLES:
        frame = canonical_order(table, tables.get(table, empty_frame(table)))
        fd, tmp = tempfile.mkstemp(prefix=f".{table}.", suffix=".tmp", dir=target)
        os.close(fd)
        try:
            frame.write_parquet(tmp, compression="zstd", compression_level=3, statistics=False)
            os.replace(tmp, target / f"{table}.parquet")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def read(folder: str | Path) -> Tables:
    """Read a dataset folder; DatasetError names the folder or file that is missing or damaged."""
    source = Path(folder)
    if not source.is_dir():
        raise DatasetError(
            _("{source}: no dataset here (expected a folder of Parquet files)").format(
                source=source
            )
        )
    tables: Tables = {}
    for table in TABLES:
        path = source / f"{table}.parquet"
        frame = read_table(source, table)
        # Checked here, once, so that no command meets a missing column as a traceback later.
        problems = column_problems(table, frame.schema)
        if problems:
            raise DatasetError(
                _(
                    "{path}: not the columns of table {table} in the data contract: {problems}"
                ).format(path=path, table=repr(table), problems="; ".join(problems))
            )
        tables[table] = frame
    return tables


def read_table(
    folder: str | Path,
    table: str,
    query: Callable[[pl.LazyFrame], pl.LazyFrame] = lambda frame: frame,
) -> pl.DataFrame:
    """One table of a dataset folder, through ``query`` (the columns and rows a reader wants);
    DatasetError names the file that is missing or cannot be read."""
    path = Path(folder) / f"{table}.parquet"
    if not path.exists():
        raise DatasetError(_("{path}: missing table {table}").format(path=path, table=repr(table)))
    try:
        # Batch by batch: a query that makes the ids categoricals (the catalog's) then never
        # holds a whole column of them as text first.
        return query(pl.scan_parquet(path)).collect(engine="streaming")
    except OSError as exc:
        raise DatasetError(_("{path}: cannot be read ({exc})").format(path=path, exc=exc)) from None
    except Exception as exc:  # polars raises many kinds for a damaged file
        raise DatasetError(
            _("{path}: cannot be read as Parquet ({exc})").format(path=path, exc=exc)
        ) from None


def column_problems(table: str, schema: Mapping[str, pl.DataType]) -> list[str]:
    """How a table's columns differ from the contract's: missing, unexpected, of another type
    (an Enum column may be read as a string or a categorical)."""
    expected = SCHEMAS[table]
    problems = []
    missing = [name for name in expected if name not in schema]
    extra = [name for name in schema if name not in expected]
    if missing:
        problems.append(f"missing column(s) {', '.join(missing)}")
    if extra:
        problems.append(f"unexpected column(s) {', '.join(extra)}")
    for name, dtype in expected.items():
        actual = schema.get(name)
        if actual is None:
            continue
        if isinstance(dtype, pl.Enum):
            if not (isinstance(actual, pl.Enum | pl.Categorical) or actual == pl.String):
                problems.append(f"column {name} is {actual}, expected {dtype}")
        elif actual != dtype:
            problems.append(f"column {name} is {actual}, expected {dtype}")
    return problems


def read_or_empty(folder: str | Path) -> Tables:
    """The dataset in ``folder``, or an empty one when the folder has none yet."""
    if not Path(folder).is_dir() or not any(Path(folder).glob("*.parquet")):
        return empty()
    return read(folder)
