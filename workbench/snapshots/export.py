"""Exporting a stored snapshot to files: TOML or CSV, all of it or only some plans.

Public API::

    export(ws, name, "toml" | "csv", path, force=False, plans=(), cities=()) -> [Path] written
    select_plans(snap, plans=(), cities=())                                -> Snapshot

``plans`` are plan ids; ``cities`` match a plan's city by its Latin or native name, without
regard to case. With either, only the plans named by one of them are exported, with their
annotations and entered facts (:meth:`~workbench.snapshots.model.Snapshot.only_plans`).
Temporary files a killed export left beside a target are removed first
(:func:`~workbench.snapshots.files.remove_stale_temporaries`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polars as pl

from workbench.errors import ValidationError
from workbench.i18n import _
from workbench.snapshots.create import load
from workbench.snapshots.csv_export import csv_paths, write_csv
from workbench.snapshots.files import atomic_file, check_target, remove_stale_temporaries
from workbench.snapshots.model import Snapshot
from workbench.snapshots.toml_write import write_toml
from workbench.workspace.store import Workspace


def select_plans(
    snap: Snapshot, *, plans: Sequence[str] = (), cities: Sequence[str] = ()
) -> Snapshot:
    """``snap`` with only the plans named (by id) or of the cities named (Latin or native name,
    any case); ``snap`` itself when neither is given. A name that matches nothing is refused."""
    if not plans and not cities:
        return snap
    table = snap.parts["plans"]
    known = set(table.get_column("plan_id").to_list())
    unknown = [plan for plan in plans if plan not in known]
    if unknown:
        raise ValidationError(
            _("no plan {plans} in snapshot {name} (plans: {known})").format(
                plans=", ".join(map(repr, unknown)),
                name=repr(snap.name),
                known=", ".join(sorted(known)) or _("none"),
            )
        )
    chosen = set(plans)
    for city in cities:
        wanted = city.strip().casefold()
        matched = table.filter(
            (pl.col("city").str.to_lowercase() == wanted)
            | (pl.col("city_native").str.to_lowercase() == wanted)
        ).get_column("plan_id")
        if matched.is_empty():
            names = sorted(set(table.get_column("city").drop_nulls().to_list()))
            raise ValidationError(
                _("no city {city} in snapshot {name} (cities: {known})").format(
                    city=repr(city), name=repr(snap.name), known=", ".join(names)
                )
            )
        chosen.update(matched.to_list())
    return snap.only_plans(chosen)


def export(
    ws: Workspace,
    name: str,
    fmt: str,
    path: str | Path,
    *,
    force: bool = False,
    plans: Sequence[str] = (),
    cities: Sequence[str] = (),
) -> list[Path]:
    """Write a stored snapshot (or some of its plans) as ``toml`` or ``csv`` to ``path``;
    returns the files written."""
    if fmt not in ("toml", "csv"):
        raise ValidationError(_("unknown format {fmt} (toml or csv)").format(fmt=repr(fmt)))
    target = Path(path).expanduser()
    targets = [target] if fmt == "toml" else list(csv_paths(target))
    for each in targets:
        check_target(each, force)
    snap = select_plans(load(ws, name), plans=plans, cities=cities)
    for each in targets:
        remove_stale_temporaries(each)
    if fmt == "csv":
        return write_csv(snap, target, force=force)
    with atomic_file(target, force) as temporary:
        # Polars writes the text as it makes it, to the file by name: no chunk passes through
        # Python.
        write_toml(snap, temporary.path)
    return targets
