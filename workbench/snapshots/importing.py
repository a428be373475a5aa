"""Importing a snapshot: store it, and restore its annotations, entered facts and the
polarities the analyst set, checked.

Every record is checked as ``workbench annotate`` and ``workbench fact`` check a typed edit,
against the dataset the workspace was opened with: the plan and node exist, the year lies in
the plan's period (or is one the document prints for that node), a fact is on an indicator and
its value is a finite number, an annotation has text, a known state and a configured category,
a polarity is one of the contract's on an indicator the dataset describes.
A record that fails is refused — the rest is imported — and listed with its file, its place and
the reason. An annotation whose uid the workspace already knows but whose plan, node or text
differ is a conflict: not imported, and listed as such.

Public API::

    import_file(ws, path, name=None, max_bytes=MAX_BYTES) -> ImportResult
    import_snapshot(ws, snap, source=..., name=None)      -> ImportResult
    ImportResult   .refused (Refusal, …), .summary(), .problems() -> lines
    Refusal        .source, .record, .reason, .conflict; .line()
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from workbench.errors import ValidationError
from workbench.i18n import _
from workbench.snapshots.create import encode_parts, load
from workbench.snapshots.model import PARTS, Snapshot, check_name
from workbench.snapshots.toml_read import MAX_BYTES, read_file
from workbench.workspace.edit_checks import (
    check_category,
    check_fact,
    check_state,
    check_text,
    parse_year,
)
from workbench.workspace.polarity_store import check_polarity
from workbench.workspace.store import Workspace


@dataclass(frozen=True, slots=True)
class Refusal:
    """A record of the file that was not imported, and why."""

    source: str  # the file
    record: str  # e.g. "facts[3]" or "annotations[0] (uid 1f0c…)"
    reason: str
    conflict: bool = False  # a known annotation that differs from the workspace's

    def line(self) -> str:
        kind = "conflict" if self.conflict else "refused"
        return f"{self.source}: {self.record}: {kind}: {self.reason}"


@dataclass(frozen=True, slots=True)
class ImportResult:
    snapshot: str  # the name it is stored under
    stored: bool  # False: the same snapshot was already in the workspace
    annotations_added: int
    annotations_present: int
    facts_added: int
    facts_present: int
    refused: tuple[Refusal, ...] = ()
    polarities_added: int = 0
    polarities_present: int = 0

    def summary(self) -> str:
        stored = "stored" if self.stored else "already in the workspace"
        text = (
            f"snapshot {self.snapshot!r} {stored}; annotations: {self.annotations_added} added, "
            f"{self.annotations_present} already present; facts: {self.facts_added} added, "
            f"{self.facts_present} already present"
        )
        if self.polarities_added or self.polarities_present:
            text += (
                f"; polarities: {self.polarities_added} added, "
                f"{self.polarities_present} already present"
            )
        conflicts = sum(r.conflict for r in self.refused)
        if self.refused:
            text += f"; {len(self.refused) - conflicts} refused, {conflicts} in conflict"
        return text

    def problems(self) -> list[str]:
        """One line per refused record and conflict."""
        return [refusal.line() for refusal in self.refused]


def import_file(
    ws: Workspace, path: str | Path, *, name: str | None = None, max_bytes: int = MAX_BYTES
) -> ImportResult:
    """Store a TOML snapshot in the workspace and restore its annotations and facts."""
    return import_snapshot(ws, read_file(path, max_bytes=max_bytes), source=str(path), name=name)


def import_snapshot(
    ws: Workspace, snap: Snapshot, *, source: str, name: str | None = None
) -> ImportResult:
    """Store ``snap`` and restore its checked annotations and facts, in one transaction.

    Annotations already in the workspace (same uid, plan, node and text) and facts already
    entered (same value, author and time) are skipped; refused records and conflicts are in
    the result; a different snapshot with the same name is refused (import it under another
    ``name``). The restoration is one edit: undo takes it back.
    """
    if name is not None:
        snap = Snapshot({**snap.header, "name": check_name(name)}, snap.parts)
    stored = True
    if any(info.name == snap.name for info in ws.snapshots()):
        if not _same(load(ws, snap.name), snap):
            raise ValidationError(
                _(
                    "a different snapshot named {name} is already in {path} (import it under "
                    "another name with --as NAME)"
                ).format(name=repr(snap.name), path=ws.path)
            )
        stored = False
    annotations, annotation_refusals = _checked_annotations(ws, snap.parts["annotations"], source)
    facts, fact_refusals = _checked_facts(ws, snap.parts["facts"], source)
    polarities, polarity_refusals = _checked_polarities(ws, snap.parts["polarities"], source)
    history = snap.parts["history"].join(annotations.select("uid"), on="uid", how="semi")
    with ws.transaction() as conn:
        if stored:
            ws.store_snapshot(conn, snap.header, encode_parts(snap.parts), imported_from=source)
        counts = ws.restore(
            conn, annotations, history, facts, polarities=polarities, source=Path(source).name
        )
    refused = (*annotation_refusals, *fact_refusals, *polarity_refusals)
    return ImportResult(snap.name, stored, *counts[:4], refused, *counts[4:])


def _same(a: Snapshot, b: Snapshot) -> bool:
    return a.header == b.header and all(a.parts[p].equals(b.parts[p]) for p in PARTS)


def _checked_annotations(
    ws: Workspace, annotations: pl.DataFrame, source: str
) -> tuple[pl.DataFrame, list[Refusal]]:
    """The annotations that pass the checks of a typed one, and the refused ones."""
    known = {
        uid: (plan_id, node_id, text)
        for uid, plan_id, node_id, text in ws.annotations_frame()
        .select("uid", "plan_id", "node_id", "text")
        .iter_rows()
    }
    index = ws.index
    keep: list[bool] = []
    refused: list[Refusal] = []
    for i, row in enumerate(annotations.iter_rows(named=True)):
        record = f"annotations[{i}] (uid {row['uid']})"
        ours = known.get(row["uid"])
        if ours is not None:
            theirs = (row["plan_id"], row["node_id"], row["text"])
            if ours != theirs:
                differ = [
                    field
                    for field, a, b in zip(("plan", "node", "text"), ours, theirs, strict=True)
                    if a != b
                ]
                refused.append(
                    Refusal(
                        source,
                        record,
                        f"the workspace has this annotation with another {', '.join(differ)}",
                        conflict=True,
                    )
                )
                keep.append(False)
                continue
            keep.append(True)  # already present: the store counts it
            continue
        try:
            info = index.check_node(row["plan_id"], row["node_id"])
            year = parse_year(row["year"])
            if year is not None:
                index.check_year(info, row["node_id"], year)
            check_text(row["text"], ws.max_length)
            check_state(row["state"])
            check_category(ws.categories, row["category"])
        except ValidationError as exc:
            refused.append(Refusal(source, record, str(exc)))
            keep.append(False)
            continue
        keep.append(True)
    return annotations.filter(pl.Series(keep, dtype=pl.Boolean)), refused


def _passing(
    frame: pl.DataFrame,
    source: str,
    columns: tuple[str, ...],
    record: Callable[..., str],
    check: Callable[..., object],
) -> tuple[pl.DataFrame, list[Refusal]]:
    """The rows of ``frame`` that ``check`` (given the row's ``columns``) lets through, and a
    refusal for each row it refuses with a ValidationError, named by ``record(i, *row)``."""
    keep: list[bool] = []
    refused: list[Refusal] = []
    for i, row in enumerate(frame.select(columns).iter_rows()):
        try:
            check(*row)
        except ValidationError as exc:
            refused.append(Refusal(source, record(i, *row), str(exc)))
            keep.append(False)
        else:
            keep.append(True)
    return frame.filter(pl.Series(keep, dtype=pl.Boolean)), refused


def _checked_facts(
    ws: Workspace, facts: pl.DataFrame, source: str
) -> tuple[pl.DataFrame, list[Refusal]]:
    """The entered facts that pass the checks of a typed one, and the refused ones."""
    index = ws.index

    def check(plan_id: str, node_id: str, year: int, value: float | None, raw: str | None) -> None:
        if value is None or not math.isfinite(value):
            raise ValidationError(_("{value} is not a finite number").format(value=repr(value)))
        # The text as typed is checked as `workbench fact` checks it, and must say the value.
        checked = check_fact(index, plan_id, node_id, int(year), raw or "")
        if checked.value != value:
            raise ValidationError(
                _("the value {value} is not what its text {raw} says ({read})").format(
                    value=repr(value), raw=repr(raw), read=repr(checked.value)
                )
            )

    return _passing(
        facts,
        source,
        ("plan_id", "node_id", "year", "value", "raw"),
        lambda i, plan_id, node_id, year, *_rest: f"facts[{i}] ({plan_id}/{node_id} {year})",
        check,
    )


def _checked_polarities(
    ws: Workspace, polarities: pl.DataFrame, source: str
) -> tuple[pl.DataFrame, list[Refusal]]:
    """The polarities that pass the checks of ``workbench polarity``, and the refused ones."""
    index = ws.index

    def check(plan_id: str, node_id: str, polarity: str) -> None:
        if check_polarity(index, plan_id, node_id, polarity) != polarity:
            raise ValidationError(_("unknown polarity {polarity}").format(polarity=repr(polarity)))

    return _passing(
        polarities,
        source,
        ("plan_id", "node_id", "polarity"),
        lambda i, plan_id, node_id, _polarity: f"polarities[{i}] ({plan_id}/{node_id})",
        check,
    )
