"""The notes of the detail pane (workbench.analysis.plan_notes) give the same rows once packed
into blocks as before, whatever order the ids were first seen in."""

from __future__ import annotations

import polars as pl
import pytest

from workbench.analysis import plan_notes
from workbench.analysis.plan_notes import PlanNotes


def _notes(count: int) -> pl.DataFrame:
    """Notes whose ids come in an order unlike their text's (categoricals number them as
    first seen), several rows per node."""
    rows = []
    for i in range(count):
        plan = f"p{(i * 7) % 13:02d}"
        node = f"n{(count - i) % 17:02d}"
        rows.append((plan, node, 2020 + i % 3, "fact", f"raw {i}", f"comment {i}"))
    frame = pl.DataFrame(
        rows, schema=["plan_id", "node_id", "year", "kind", "raw", "comment"], orient="row"
    )
    return frame.with_columns(pl.col("plan_id", "node_id").cast(pl.Categorical))


def test_packed_notes_are_the_same_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plan_notes, "_BLOCK_ROWS", 5)  # many blocks, keys across their edges
    frame = _notes(200)
    keys = frame.select(pl.col("plan_id", "node_id").cast(pl.String)).unique().rows()
    loose = PlanNotes(frame)
    before = {key: loose.of(*key).sort("year", "raw").to_dicts() for key in keys}
    packed = PlanNotes(frame)
    packed.pack()
    assert packed.packed
    for key in keys:
        assert packed.of(*key).sort("year", "raw").to_dicts() == before[key], key
    assert packed.of("p99", "n00").is_empty()
