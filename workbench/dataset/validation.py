"""Checks that a dataset folder keeps the data contract: one problem per line, none when clean."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from workbench.dataset.contract import KEYS, REQUIRED, SCHEMAS, TABLES
from workbench.dataset.parquet_folder import column_problems
from workbench.i18n import _

_ENUM_COLUMNS = {
    (table, name): dtype.categories.to_list()
    for table, schema in SCHEMAS.items()
    for name, dtype in schema.items()
    if isinstance(dtype, pl.Enum)
}

# Tables whose rows belong to a node, and the node kinds each may point at.
_NODE_TABLES: dict[str, tuple[str, ...] | None] = {
    "indicators": ("indicator", "target"),
    "values": ("indicator", "target"),
    "activities": ("activity",),
    "grants": ("grant",),
    "funding": None,
    "assignments": None,
}


def validate_folder(folder: str | Path) -> list[str]:
    """Every contract violation in the dataset at ``folder``, one message each."""
    root = Path(folder)
    if not root.is_dir():
        return [_("{root}: not a folder (expected a dataset of Parquet files)").format(root=root)]
    problems: list[str] = []
    tables: dict[str, pl.DataFrame] = {}
    for table in TABLES:
        path = root / f"{table}.parquet"
        if not path.exists():
            problems.append(
                _("{path}: missing (expected table {table})").format(path=path, table=repr(table))
            )
            continue
        try:
            frame = pl.read_parquet(path)
        except Exception as exc:  # a damaged file raises one of many polars errors
            problems.append(
                _("{path}: cannot be read as Parquet ({exc})").format(path=path, exc=exc)
            )
            continue
        found = _check_columns(table, frame, path)
        problems.extend(found)
        if not found:
            tables[table] = frame
    for table, frame in tables.items():
        problems.extend(_check_rows(table, frame))
    problems.extend(_check_links(tables))
    return problems


def _check_columns(table: str, frame: pl.DataFrame, path: Path) -> list[str]:
    return [f"{path}: {problem}" for problem in column_problems(table, frame.schema)]


def _check_rows(table: str, frame: pl.DataFrame) -> list[str]:
    problems = []
    for name in REQUIRED[table]:
        nulls = frame.get_column(name).null_count()
        if nulls:
            problems.append(
                _("{table}: {nulls} row(s) with no {name}").format(
                    table=table, nulls=nulls, name=name
                )
            )
    for (enum_table, name), allowed in _ENUM_COLUMNS.items():
        if enum_table != table:
            continue
        values = frame.get_column(name).cast(pl.String).drop_nulls().unique().to_list()
        for value in sorted(set(values) - set(allowed)):
            problems.append(
                _("{table}: {name} {value} is not one of {allowed}").format(
                    table=table, name=name, value=repr(value), allowed=", ".join(allowed)
                )
            )
    keys = list(KEYS[table])
    dupes = frame.group_by(keys).len().filter(pl.col("len") > 1)
    for row in dupes.sort(pl.all().cast(pl.String)).head(20).iter_rows(named=True):
        key = ", ".join(f"{k}={row[k]}" for k in keys)
        problems.append(
            _("{table}: duplicate key ({key}) × {count}").format(
                table=table, key=key, count=row["len"]
            )
        )
    return problems


def _check_links(tables: dict[str, pl.DataFrame]) -> list[str]:
    problems: list[str] = []
    plans = tables.get("plans")
    nodes = tables.get("nodes")
    plan_ids = set(plans.get_column("plan_id").to_list()) if plans is not None else None
    if nodes is None:
        return problems
    node_kind = {
        (p, n): str(k)
        for p, n, k in nodes.select(
            "plan_id", "node_id", pl.col("kind").cast(pl.String)
        ).iter_rows()
    }
    for row in nodes.iter_rows(named=True):
        if plan_ids is not None and row["plan_id"] not in plan_ids:
            problems.append(
                _("nodes: node {node_id} belongs to unknown plan {plan_id}").format(
                    node_id=row["node_id"], plan_id=row["plan_id"]
                )
            )
        parent = row["parent_id"]
        if parent is not None and (row["plan_id"], parent) not in node_kind:
            problems.append(
                _("nodes: node {plan_id}/{node_id} has unknown parent {parent}").format(
                    plan_id=row["plan_id"], node_id=row["node_id"], parent=parent
                )
            )
    for table, kinds in _NODE_TABLES.items():
        frame = tables.get(table)
        if frame is None:
            continue
        for plan_id, node_id in frame.select("plan_id", "node_id").iter_rows():
            if plan_ids is not None and plan_id not in plan_ids:
                problems.append(
                    _("{table}: row of unknown plan {plan_id}").format(table=table, plan_id=plan_id)
                )
                continue
            if node_id is None:
                if table != "funding":
                    problems.append(
                        _("{table}: row of plan {plan_id} with no node").format(
                            table=table, plan_id=plan_id
                        )
                    )
                continue
            kind = node_kind.get((plan_id, node_id))
            if kind is None:
                problems.append(
                    _("{table}: node {plan_id}/{node_id} does not exist").format(
                        table=table, plan_id=plan_id, node_id=node_id
                    )
                )
            elif kinds is not None and kind not in kinds:
                problems.append(
                    _("{table}: node {plan_id}/{node_id} is a {kind}, expected {expected}").format(
                        table=table,
                        plan_id=plan_id,
                        node_id=node_id,
                        kind=kind,
                        expected=" or ".join(kinds),
                    )
                )
    vocabulary = tables.get("vocabulary")
    assignments = tables.get("assignments")
    if vocabulary is not None and assignments is not None:
        known = set(vocabulary.select(pl.col("kind").cast(pl.String), "code").iter_rows())
        for plan_id, node_id, kind, code in assignments.select(
            "plan_id", "node_id", pl.col("kind").cast(pl.String), "code"
        ).iter_rows():
            if (kind, code) not in known:
                problems.append(
                    _("assignments: {plan_id}/{node_id} uses unknown {kind} code {code}").format(
                        plan_id=plan_id, node_id=node_id, kind=kind, code=code
                    )
                )
    return problems
