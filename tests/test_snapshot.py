"""Snapshots (issue 6): create, TOML and CSV export, import, diff."""

from __future__ import annotations

import copy
import csv
import os
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import tomli_w
from workspace_data import GOAL, HOUSING, KB, KB_ACTIVITY, KB_TARGET, TARAZ, UNEMPLOYMENT, tables

from workbench.errors import ValidationError
from workbench.snapshots.create import create, dataset_hash, load
from workbench.snapshots.csv_export import CSV_ANNOTATION_COLUMNS, CSV_VALUE_COLUMNS, write_csv
from workbench.snapshots.diff import DIFF_SCHEMA, diff
from workbench.snapshots.export import export
from workbench.snapshots.importing import import_file
from workbench.snapshots.model import (
    FORMAT,
    FORMAT_VERSION,
    PARTS,
    Snapshot,
    SnapshotFileError,
    conform,
)
from workbench.snapshots.toml_read import parse_toml, read_file
from workbench.snapshots.toml_write import to_toml
from workbench.workspace import store


def busy(ws: store.Workspace) -> None:
    """Annotations with history on several node kinds, entered facts, odd characters."""
    note = ws.annotate(
        TARAZ, UNEMPLOYMENT, 2017, 'Деректер\nкешікті "[bold]" \\ \t', category="data error"
    )
    ws.edit_annotation(note.id, state="explained", author="nurlan")
    ws.annotate(TARAZ, GOAL, None, "мақсат: [link=x]жоқ[/link] \x1b[31m")
    ws.annotate(KB, KB_ACTIVITY, 2024, "иш-чара кечигүүдө", category="funding delayed")
    ws.enter_fact(TARAZ, HOUSING, 2017, "1 291,0")
    ws.enter_fact(KB, KB_TARGET, 2023, "101%")


def test_snapshot_holds_values_statuses_sources_annotations(ws: store.Workspace) -> None:
    busy(ws)
    info = create(ws, tables(), "2017 annual")
    assert info.name == "2017 annual" and info.author == "aigerim"
    snap = load(ws, "2017 annual")
    assert snap.header["dataset_sha256"] == dataset_hash(tables()["plans"])
    values = {
        (r["plan_id"], r["node_id"], r["year"]): r
        for r in snap.parts["values"].iter_rows(named=True)
    }
    unemployment = values[(TARAZ, UNEMPLOYMENT, 2017)]
    assert (unemployment["fact"], unemployment["fact_source"], unemployment["status"]) == (
        5.5,
        "document",
        "at_risk",
    )
    housing = values[(TARAZ, HOUSING, 2017)]
    assert (housing["fact"], housing["fact_source"], housing["status"]) == (
        1291.0,
        "entered",
        "met",
    )
    target = values[(KB, KB_TARGET, 2023)]
    assert (target["fact"], target["document_fact"], target["fact_source"]) == (
        101.0,
        96.0,
        "entered",
    )
    assert snap.parts["annotations"].height == 3
    assert snap.parts["history"].height == 4
    assert set(snap.parts["rollup"].get_column("level")) == {"city", "plan", "node"}
    assert snap.parts["plans"].get_column("source_sha256").to_list() == ["b" * 64, "a" * 64]


def test_snapshot_leaves_out_non_finite_values_and_unknown_plans(ws: store.Workspace) -> None:
    """A value of inf or NaN is frozen as null (TOML would keep it, no status needs it), in the
    columns that hold one and no other; values of a plan the plans table lacks are left out."""
    data = tables()
    values = data["values"]
    odd = (pl.col("plan_id") == TARAZ) & (pl.col("node_id") == UNEMPLOYMENT)
    values = values.with_columns(
        value=pl.when(odd & (pl.col("kind") == "plan"))
        .then(float("inf"))
        .when(odd & (pl.col("kind") == "fact"))
        .then(float("nan"))
        .otherwise(pl.col("value"))
    )
    stray = values.filter(pl.col("plan_id") == KB).with_columns(plan_id=pl.lit("no-such-plan"))
    data["values"] = pl.concat([values, stray]).sort("plan_id", "node_id", "year")
    create(ws, data, "odd")
    frozen = load(ws, "odd").parts["values"]
    row = frozen.filter(
        (pl.col("plan_id") == TARAZ)
        & (pl.col("node_id") == UNEMPLOYMENT)
        & (pl.col("year") == 2017)
    ).row(0, named=True)
    assert (row["plan"], row["fact"], row["status"]) == (None, None, "no_data")
    assert frozen.get_column("baseline").drop_nulls().is_finite().all()
    assert frozen.get_column("plan").drop_nulls().len() > 0  # other rows keep their plans
    assert set(frozen.get_column("plan_id")) == {TARAZ, KB}


def test_snapshot_is_frozen(ws: store.Workspace) -> None:
    busy(ws)
    create(ws, tables(), "before")
    first = load(ws, "before")
    ws.annotate(TARAZ, GOAL, None, "later")
    ws.enter_fact(TARAZ, UNEMPLOYMENT, 2017, "4")
    again = load(ws, "before")
    assert all(first.parts[p].equals(again.parts[p]) for p in PARTS)
    with pytest.raises(ValidationError, match="already exists"):
        create(ws, tables(), "before")


@pytest.mark.parametrize("name", ["", "  ", "a/b", "..", "x..y", "a\\b", "tab\there"])
def test_bad_snapshot_names(ws: store.Workspace, name: str) -> None:
    with pytest.raises(ValidationError):
        create(ws, tables(), name)
    assert ws.snapshots() == []


def test_toml_round_trip(ws: store.Workspace, tmp_path: Path) -> None:
    """Create, export TOML, import into an empty workspace, export again: identical content."""
    busy(ws)
    create(ws, tables(), "h1")
    first = tmp_path / "h1.toml"
    assert export(ws, "h1", "toml", first) == [first]
    text = first.read_text(encoding="utf-8")
    doc = tomllib.loads(text)
    assert doc["format"] == FORMAT and doc["format_version"] == FORMAT_VERSION
    assert tomllib.loads(tomli_w.dumps(doc)) == doc

    with store.open_workspace(
        tmp_path / "empty.sqlite3", dataset=tables(), author="other"
    ) as fresh:
        result = import_file(fresh, first)
        assert (result.stored, result.annotations_added, result.facts_added) == (True, 3, 2)
        second = tmp_path / "h1-again.toml"
        export(fresh, "h1", "toml", second)
        assert second.read_bytes() == first.read_bytes()
        # the restored workspace makes the same snapshot: annotations, history and facts are back
        create(fresh, tables(), "h1-rebuilt")
        third = tmp_path / "rebuilt.toml"
        export(fresh, "h1-rebuilt", "toml", third)
        rebuilt = tomllib.loads(third.read_text(encoding="utf-8"))
        for key in ("name", "created_at", "author"):
            rebuilt.pop(key), doc.pop(key)
        assert rebuilt == doc
        # importing it again adds nothing
        again = import_file(fresh, first)
        assert (again.stored, again.annotations_added, again.facts_added) == (False, 0, 0)
        assert (again.annotations_present, again.facts_present) == (3, 2)


def test_import_is_one_undoable_edit(ws: store.Workspace, tmp_path: Path) -> None:
    busy(ws)
    create(ws, tables(), "h1")
    export(ws, "h1", "toml", tmp_path / "h1.toml")
    with store.open_workspace(tmp_path / "b.sqlite3", dataset=tables()) as other:
        other.annotate(TARAZ, GOAL, None, "own note")
        import_file(other, tmp_path / "h1.toml")
        assert len(other.annotations()) == 4 and other.facts_frame().height == 2
        undone = other.undo()
        assert undone is not None and undone.edit.action == "import"
        assert [a.text for a in other.annotations()] == ["own note"]
        assert other.facts_frame().height == 0
        assert [s.name for s in other.snapshots()] == ["h1"]  # the received file stays on record


def test_import_conflicting_name(ws: store.Workspace, tmp_path: Path) -> None:
    create(ws, tables(), "h1")
    export(ws, "h1", "toml", tmp_path / "h1.toml")
    with store.open_workspace(tmp_path / "b.sqlite3", dataset=tables()) as other:
        other.annotate(TARAZ, GOAL, None, "different")
        create(other, tables(), "h1")
        with pytest.raises(ValidationError, match="different snapshot named 'h1'"):
            import_file(other, tmp_path / "h1.toml")
        result = import_file(other, tmp_path / "h1.toml", name="h1-received")
        assert result.snapshot == "h1-received"
        assert {s.name for s in other.snapshots()} == {"h1", "h1-received"}


def _toml(tmp_path: Path, doc: dict[str, object]) -> Path:
    path = tmp_path / f"in{len(list(tmp_path.glob('in*.toml')))}.toml"
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    return path


def test_import_refuses_what_is_not_a_snapshot(ws: store.Workspace, tmp_path: Path) -> None:
    busy(ws)
    create(ws, tables(), "h1")
    export(ws, "h1", "toml", tmp_path / "good.toml")
    good = tomllib.loads((tmp_path / "good.toml").read_text(encoding="utf-8"))
    bad_year = tomllib.loads((tmp_path / "good.toml").read_text(encoding="utf-8"))
    bad_year["plans"][0]["indicators"][0]["years"][0]["year"] = "2017"
    bad_state = tomllib.loads((tmp_path / "good.toml").read_text(encoding="utf-8"))
    bad_state["annotations"][0]["state"] = "closed"
    bad_version = tomllib.loads((tmp_path / "good.toml").read_text(encoding="utf-8"))
    bad_version["annotations"][0]["version"] = 9
    twice = {**good, "plans": [*good["plans"], good["plans"][0]]}
    cases: list[tuple[Path, str]] = [
        (_toml(tmp_path, bad_state), "unknown state 'closed'"),
        (_toml(tmp_path, bad_version), "its version is not in its history"),
        (_toml(tmp_path, twice), "plans: the same plan_id twice"),
        (_toml(tmp_path, {"title": "my config"}), "not a Plan Workbench snapshot"),
        (_toml(tmp_path, {**good, "format_version": FORMAT_VERSION + 1}), "newer than"),
        (_toml(tmp_path, {**good, "format_version": "1"}), "bad format_version"),
        (_toml(tmp_path, {**good, "extra": 1}), "unknown key"),
        (_toml(tmp_path, {**good, "name": "../x"}), "may not contain"),
        (_toml(tmp_path, bad_year), "'year' has the wrong type"),
    ]
    (tmp_path / "garbage.toml").write_bytes(b"\xff\xfe not text")
    (tmp_path / "notes.toml").write_text("this is = = not toml", encoding="utf-8")
    before = (len(ws.annotations()), len(ws.snapshots()), ws.last_edit())
    for path, message in cases:
        with pytest.raises(SnapshotFileError, match=message):
            import_file(ws, path)
        path.unlink()
    with pytest.raises(SnapshotFileError, match="not UTF-8"):
        import_file(ws, tmp_path / "garbage.toml")
    with pytest.raises(SnapshotFileError, match="not valid TOML"):
        import_file(ws, tmp_path / "notes.toml")
    with pytest.raises(SnapshotFileError, match=r"missing\.toml: no such file"):
        import_file(ws, tmp_path / "missing.toml")
    assert (len(ws.annotations()), len(ws.snapshots()), ws.last_edit()) == before


def test_csv_export_reads_with_polars(ws: store.Workspace, tmp_path: Path) -> None:
    busy(ws)
    create(ws, tables(), "h1")
    values_path, notes_path = export(ws, "h1", "csv", tmp_path / "h1.csv")
    assert notes_path == tmp_path / "h1.annotations.csv"
    values = pl.read_csv(values_path)
    notes = pl.read_csv(notes_path)
    assert tuple(values.columns) == CSV_VALUE_COLUMNS
    assert tuple(notes.columns) == CSV_ANNOTATION_COLUMNS
    assert values.height == 11 and notes.height == 3
    row = values.filter((pl.col("node_id") == UNEMPLOYMENT) & (pl.col("year") == 2017)).row(
        0, named=True
    )
    assert (row["status"], row["fact_source"], row["annotation_state"]) == (
        "at_risk",
        "document",
        "explained",
    )
    assert row["annotation_text"] == 'Деректер\nкешікті "[bold]" \\'
    housing = values.filter(pl.col("node_id") == HOUSING).row(0, named=True)
    assert (housing["fact"], housing["fact_source"], housing["title"]) == (
        1291.0,
        "entered",
        "Тұрғын үй пайдалануға беру",
    )
    assert set(notes.get_column("node_kind")) == {"indicator", "goal", "activity"}


def test_export_never_overwrites_without_force(ws: store.Workspace, tmp_path: Path) -> None:
    create(ws, tables(), "h1")
    target = tmp_path / "out.toml"
    target.write_text("precious", encoding="utf-8")
    with pytest.raises(ValidationError, match="already exists"):
        export(ws, "h1", "toml", target)
    assert target.read_text(encoding="utf-8") == "precious"
    (tmp_path / "v.annotations.csv").write_text("precious", encoding="utf-8")
    with pytest.raises(ValidationError, match="already exists"):
        export(ws, "h1", "csv", tmp_path / "v.csv")
    assert not (tmp_path / "v.csv").exists()
    export(ws, "h1", "toml", target, force=True)
    assert tomllib.loads(target.read_text(encoding="utf-8"))["name"] == "h1"
    with pytest.raises(ValidationError, match="no such folder"):
        export(ws, "h1", "toml", tmp_path / "missing" / "x.toml")
    with pytest.raises(ValidationError, match="no snapshot named"):
        export(ws, "nope", "toml", tmp_path / "y.toml")
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_failed_export_leaves_nothing_half_written(
    ws: store.Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    create(ws, tables(), "h1")

    def explode(frame: pl.LazyFrame, path: Any, **kwargs: object) -> None:
        (temporary,) = tmp_path.glob(".x.toml.*.tmp")  # being written: half a file, then…
        temporary.write_text("format = ")
        raise OSError("disk full")

    real_sink = pl.LazyFrame.sink_csv
    monkeypatch.setattr(pl.LazyFrame, "sink_csv", explode)
    with pytest.raises(OSError, match="disk full"):
        export(ws, "h1", "toml", tmp_path / "x.toml")
    assert list(tmp_path.glob("*x.toml*")) == []
    monkeypatch.setattr(pl.LazyFrame, "sink_csv", real_sink)

    def explode_csv(frame: pl.DataFrame, file: Any = None, **kwargs: object) -> None:
        if isinstance(file, str | Path):
            Path(file).write_text("plan_id,")
        else:
            file.write(b"uid,")
        raise OSError("disk full")

    real_write_csv = pl.DataFrame.write_csv
    monkeypatch.setattr(pl.DataFrame, "write_csv", explode_csv)
    with pytest.raises(OSError, match="disk full"):
        export(ws, "h1", "csv", tmp_path / "x.csv")
    assert list(tmp_path.glob("*x*.csv*")) == []

    # The values written and placed, then the annotations fail: neither file is left (a
    # values file alone would also make the next try stop at "already exists").
    def explode_notes(frame: pl.DataFrame, file: Any = None, **kwargs: Any) -> None:
        if "uid" in frame.columns:
            explode_csv(frame, file)
        real_write_csv(frame, file, **kwargs)

    monkeypatch.setattr(pl.DataFrame, "write_csv", explode_notes)
    with pytest.raises(OSError, match="disk full"):
        export(ws, "h1", "csv", tmp_path / "x.csv")
    assert list(tmp_path.glob("*x*.csv*")) == []
    monkeypatch.setattr(pl.DataFrame, "write_csv", real_write_csv)
    assert [p.name for p in export(ws, "h1", "csv", tmp_path / "x.csv")] == [
        "x.csv",
        "x.annotations.csv",
    ]


def test_a_failed_forced_export_leaves_the_old_files_as_they_were(
    ws: store.Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--force over an earlier export: when writing the values or the annotations fails, both
    old files stay as they were (a pair that still matches); when placing the annotations
    fails after the values were placed, the values go, never left without their notes."""
    create(ws, tables(), "h1")
    values, notes = tmp_path / "x.csv", tmp_path / "x.annotations.csv"
    values.write_text("old values\n")
    notes.write_text("old notes\n")
    real_write_csv = pl.DataFrame.write_csv

    def failing(column: str) -> Any:
        def write_csv(frame: pl.DataFrame, file: Any = None, **kwargs: Any) -> None:
            if column in frame.columns:
                file.write(b"half,")
                raise OSError("disk full")
            real_write_csv(frame, file, **kwargs)

        return write_csv

    for column in ("uid", "status"):  # the annotations' CSV, then the values'
        monkeypatch.setattr(pl.DataFrame, "write_csv", failing(column))
        with pytest.raises(OSError, match="disk full"):
            export(ws, "h1", "csv", values, force=True)
        assert (values.read_text(), notes.read_text()) == ("old values\n", "old notes\n")
        assert sorted(p.name for p in tmp_path.glob("*x*")) == [notes.name, values.name]
    monkeypatch.setattr(pl.DataFrame, "write_csv", real_write_csv)

    real_replace = os.replace

    def replace(tmp: Any, path: Any) -> None:
        if Path(path) == notes:
            raise OSError("read-only file system")
        real_replace(tmp, path)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(OSError, match="read-only"):
        export(ws, "h1", "csv", values, force=True)
    assert [p.name for p in tmp_path.glob("*x*")] == [notes.name]
    monkeypatch.setattr(os, "replace", real_replace)

    assert export(ws, "h1", "csv", values, force=True) == [values, notes]
    assert values.read_text().startswith("plan_id,") and notes.read_text().startswith("uid,")


def test_a_failed_fsync_fails_the_export(
    ws: store.Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An fsync that fails (the disk lost pages) fails the export, and nothing is left
    behind: no target, no temporary file."""
    create(ws, tables(), "h1")

    def failing(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", failing)
    for fmt, name in (("toml", "x.toml"), ("csv", "x.csv")):
        with pytest.raises(OSError, match="Input/output error"):
            export(ws, "h1", fmt, tmp_path / name)
        assert list(tmp_path.glob("x*")) == list(tmp_path.glob(".x*")) == []


def test_diff(ws: store.Workspace) -> None:
    ws.annotate(TARAZ, GOAL, None, "will change")
    create(ws, tables(), "a")
    note = ws.annotations()[0]
    ws.resolve_annotation(note.id)
    ws.annotate(KB, KB_ACTIVITY, None, "new note")
    ws.enter_fact(TARAZ, UNEMPLOYMENT, 2017, "4,8")
    changed = tables()
    changed["plans"] = changed["plans"].with_columns(
        source_sha256=pl.when(pl.col("plan_id") == KB)
        .then(pl.lit("c" * 64))
        .otherwise(pl.col("source_sha256"))
    )
    create(ws, changed, "b")
    result = diff(ws, "a", "b")
    assert result.frame.schema == DIFF_SCHEMA
    got = {
        (r["what"], r["change"], r["node_id"], r["field"], r["before"], r["after"])
        for r in result.frame.iter_rows(named=True)
    }
    assert ("plan", "changed", None, "source_sha256", "b" * 64, "c" * 64) in got
    assert ("value", "changed", UNEMPLOYMENT, "fact", "5.5", "4.8") in got
    assert ("value", "changed", UNEMPLOYMENT, "fact_source", "document", "entered") in got
    assert ("status", "changed", UNEMPLOYMENT, "status", "at_risk", "met") in got
    assert ("annotation", "changed", GOAL, "state", "open", "resolved") in got
    assert ("annotation", "added", KB_ACTIVITY, None, None, "new note") in got
    assert result.counts() == {"plan": 1, "value": 2, "status": 1, "annotation": 2}
    text = result.text()
    assert (
        text.splitlines()[0] == "from 'a' to 'b': 1 plan, 2 value, 1 status, 2 annotation change(s)"
    )
    assert f"status {TARAZ}/{UNEMPLOYMENT} 2017: at_risk → met" in text
    assert diff(ws, "a", "a").text() == "no change from 'a' to 'a'"
    assert len(result.lines(limit=2)) == 3


# The values, indicators and roll-up sections are rendered with Polars string expressions, not
# tomli-w (see workbench/snapshots/toml_write.py): tomllib must read back exactly what
# was written, whatever the text and the numbers.
HOSTILE_TEXT = [
    'quote " inside',
    "back\\slash \\u0041 \\n",
    "new\nline\r\ncrlf",
    "tab\there",
    "".join(chr(c) for c in range(0x20)) + "\x7f",
    "\b\f",
    "жол ✎ 🙂 \u2028 \x85 \ufeff",
    "\"\"\" triple ''' quotes",
    '[[plans]]\nplan_id = "x"',
    "# not a comment",
    "",
    " ",
]
HOSTILE_FLOATS = [
    0.0,
    -0.0,
    1e300,
    -1.7976931348623157e308,
    5e-324,
    1e-7,
    2.5e-5,
    0.1 + 0.2,
    123456789.123456789,
    1e16,
    float("nan"),
    float("inf"),
    float("-inf"),
    None,
]


def _hostile(snap: Snapshot) -> Snapshot:
    """The snapshot with hostile strings and floats in every part rendered without tomli-w."""
    parts = dict(snap.parts)

    def cycle(items: list[object], n: int, shift: int = 0) -> list[object]:
        return [items[(i + shift) % len(items)] for i in range(n)]

    ind = parts["indicators"]
    parts["indicators"] = ind.with_columns(
        pl.Series("title", cycle(HOSTILE_TEXT, ind.height), pl.String),
        pl.Series("code", cycle(HOSTILE_TEXT, ind.height, 3), pl.String),
        pl.Series("unit", [None] * ind.height, pl.String),
    )
    values = parts["values"]
    floats = {
        c: pl.Series(c, cycle(HOSTILE_FLOATS, values.height, i), pl.Float64)
        for i, c in enumerate(("baseline", "plan", "fact", "estimate", "target", "achievement"))
    }
    parts["values"] = values.with_columns(
        **floats,
        reported_status=pl.Series(cycle(["met", None, "not_met"], values.height), dtype=pl.String),
        claim_mismatch=pl.Series(cycle([True, False], values.height), dtype=pl.Boolean),
    )
    roll = parts["rollup"]
    parts["rollup"] = roll.with_columns(
        pl.Series("title", cycle(HOSTILE_TEXT, roll.height, 5), pl.String),
        pl.Series("share_met", cycle(HOSTILE_FLOATS, roll.height, 2), pl.Float64),
    )
    return Snapshot(snap.header, parts)


def _same_frames(a: pl.DataFrame, b: pl.DataFrame) -> None:
    """Equal, NaN equal to NaN and -0.0 told apart from 0.0 (compared as their bits)."""
    assert a.schema == b.schema

    def bits(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.with_columns(
            pl.col(c).cast(pl.Float64).reinterpret(signed=True).alias(c)
            for c, t in frame.schema.items()
            if t == pl.Float64
        )

    assert bits(a).equals(bits(b))


def test_toml_values_section_reads_back_exactly(ws: store.Workspace) -> None:
    busy(ws)
    create(ws, tables(), "h1")
    snap = _hostile(load(ws, "h1"))
    used_text = {
        *snap.parts["indicators"].get_column("title"),
        *snap.parts["indicators"].get_column("code"),
        *snap.parts["rollup"].get_column("title"),
    }
    assert used_text >= set(HOSTILE_TEXT)
    used_floats = {
        repr(x)
        for c in ("baseline", "plan", "fact", "estimate", "target", "achievement")
        for x in snap.parts["values"].get_column(c)
    }
    assert used_floats >= {repr(x) for x in HOSTILE_FLOATS}
    text = to_toml(snap)
    read = parse_toml(text)
    assert read.header == snap.header
    for part in PARTS:
        _same_frames(read.parts[part], snap.parts[part])
    # the same content tomli-w gives for the same records
    doc = tomllib.loads(text)
    plan = next(p for p in doc["plans"] if p["plan_id"] == TARAZ)
    first = next(i for i in plan["indicators"] if i["node_id"] == UNEMPLOYMENT)
    expected = snap.parts["indicators"].filter(pl.col("node_id") == UNEMPLOYMENT).row(0, named=True)
    assert first["title"] == expected["title"] and "unit" not in first
    assert tomllib.loads(tomli_w.dumps({"t": expected["title"]}))["t"] == first["title"]
    # exporting what was read gives the same bytes
    assert to_toml(read) == text


def test_toml_keeps_indicators_without_years_and_plans_without_indicators(
    ws: store.Workspace,
) -> None:
    create(ws, tables(), "h1")
    snap = load(ws, "h1")
    parts = dict(snap.parts)
    parts["values"] = parts["values"].filter(pl.col("node_id") != HOUSING)
    parts["indicators"] = parts["indicators"].filter(pl.col("plan_id") != KB)
    parts["rollup"] = parts["rollup"].clear()
    thin = Snapshot(snap.header, parts)
    text = to_toml(thin)
    doc = tomllib.loads(text)
    plans = {p["plan_id"]: p for p in doc["plans"]}
    assert "indicators" not in plans[KB] and "rollup" not in doc
    housing = next(i for i in plans[TARAZ]["indicators"] if i["node_id"] == HOUSING)
    assert "years" not in housing
    read = parse_toml(text)
    expected_values = parts["values"].filter(pl.col("plan_id") != KB)  # no indicator: dropped
    _same_frames(read.parts["values"], expected_values)
    _same_frames(read.parts["indicators"], parts["indicators"])


def test_exports_of_an_unordered_snapshot(ws: store.Workspace, tmp_path: Path) -> None:
    """A snapshot file may list plans, indicators and years in any order: TOML keeps the
    order, CSV is in key order."""
    busy(ws)
    create(ws, tables(), "h1")
    snap = load(ws, "h1")
    parts = {part: frame.reverse() for part, frame in snap.parts.items()}
    parts["history"] = snap.parts["history"]
    shuffled = Snapshot({**snap.header, "name": "shuffled"}, parts)
    text = to_toml(shuffled)
    read = parse_toml(text)
    for part in ("plans", "indicators", "values", "rollup"):
        _same_frames(read.parts[part], parts[part])
    values = write_csv(read, tmp_path / "read.csv")[0].read_bytes()
    assert values == write_csv(snap, tmp_path / "ordered.csv")[0].read_bytes()
    keys = pl.read_csv(values, infer_schema=False).select("plan_id", "node_id", "year")
    assert keys.equals(keys.sort("plan_id", "node_id", "year"))


def _hostile_csv_snapshot(strings: list[str]) -> Snapshot:
    """A snapshot with each of ``strings`` and null in every text column of the CSV values
    (the ids too, after a number that keeps them in key order), and notes of years and of
    nodes."""
    texts: list[str | None] = [*strings, None]

    def text(i: int, shift: int) -> str | None:
        return texts[(i + shift) % len(texts)]

    plans = pl.DataFrame(
        {
            "plan_id": [f"{p:02d}{strings[p % len(strings)]}" for p in range(len(texts))],
            "city": [text(p, 1) for p in range(len(texts))],
        }
    )
    keys = [
        (plan_id, f"{k:02d}{strings[(p + k) % len(strings)]}")
        for p, plan_id in enumerate(plans.get_column("plan_id"))
        for k in range(3)
    ]
    indicators = pl.DataFrame(
        {
            "plan_id": [p for p, _ in keys],
            "node_id": [n for _, n in keys],
            "code": [text(i, 2) for i in range(len(keys))],
            "title": [text(i, 5) for i in range(len(keys))],
            "unit": [text(i, 7) for i in range(len(keys))],
        }
    )
    rows = [(p, n, year) for p, n in keys for year in (2020, 2021)]
    values = pl.DataFrame(
        {
            "plan_id": [p for p, _, _ in rows],
            "node_id": [n for _, n, _ in rows],
            "year": [y for _, _, y in rows],
            "plan": [HOSTILE_FLOATS[i % len(HOSTILE_FLOATS)] for i in range(len(rows))],
            "fact_source": [text(i, 3) for i in range(len(rows))],
            "status": [text(i, 4) for i in range(len(rows))],
            "reported_status": [text(i, 6) for i in range(len(rows))],
            "claim_mismatch": [i % 3 == 0 for i in range(len(rows))],
        }
    )
    # A year's note on each plan's first indicator, a node's on its second and third (the
    # third also with a note of a year, which wins there).
    notes = [(p, n, 2021) for i, (p, n) in enumerate(keys) if i % 3 != 1]
    notes += [(p, n, None) for i, (p, n) in enumerate(keys) if i % 3 != 0]
    annotations = pl.DataFrame(
        {
            "uid": [f"{i:02d}{text(i, 0)}" for i in range(len(notes))],
            "plan_id": [p for p, _, _ in notes],
            "node_id": [n for _, n, _ in notes],
            "year": [y for _, _, y in notes],
            "text": [text(i, 1) for i in range(len(notes))],
            "category": [text(i, 2) for i in range(len(notes))],
            "state": [text(i, 3) for i in range(len(notes))],
            "updated_by": [text(i, 4) for i in range(len(notes))],
            "updated_at": [text(i, 5) for i in range(len(notes))],
        },
        schema_overrides={"year": pl.Int32},
    )
    frames = {
        "plans": plans,
        "indicators": indicators,
        "values": values,
        "annotations": annotations,
    }
    parts = {
        part: conform(frames.get(part, pl.DataFrame()), schema) for part, schema in PARTS.items()
    }
    return Snapshot({"name": "hostile"}, parts)


def _read_back(path: Path) -> list[list[str]]:
    """A CSV file's rows as Python's ``csv`` module reads them (every field as text)."""
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


@pytest.mark.parametrize(
    "strings",
    [
        [*HOSTILE_TEXT, "comma, only", "cr\ronly", "lf\nonly", "  spaced  ", '"'],
        ["plain", "", "  spaced  "],  # nothing to quote but the empty string
        ["plain", " spaced ", "жол"],  # nothing to quote at all
    ],
)
def test_csv_values_read_back_as_they_are(strings: list[str], tmp_path: Path) -> None:
    """Hostile text in every text column of the values file reads back as it is, with Polars
    and with Python's csv module (an empty text is not a missing one); each row has its
    indicator's city, code, title and unit and its latest note; the file is the same for the
    parts in another order."""
    snap = _hostile_csv_snapshot(strings)
    parts = snap.parts
    path = write_csv(snap, tmp_path / "values.csv")[0]
    expected = path.read_bytes()
    values = pl.read_csv(path, infer_schema=False)
    assert tuple(values.columns) == CSV_VALUE_COLUMNS
    assert values.height == parts["values"].height
    text = ["city", "code", "title", "unit", "fact_source", "status", "reported_status"]
    text += [c for c in CSV_VALUE_COLUMNS if c.startswith("annotation_") and c != "annotation_uid"]
    for column in text:
        assert set(values.get_column(column)) == {*strings, None}, column
    keys = ["plan_id", "node_id"]
    described = (
        parts["indicators"]
        .join(parts["plans"].select("plan_id", "city"), on="plan_id")
        .select(*keys, "city", "code", "title", "unit")
    )
    got = values.select(*keys, "city", "code", "title", "unit").unique(maintain_order=True)
    assert got.sort(keys).equals(described.sort(keys))
    python = _read_back(path)
    assert python[0] == list(CSV_VALUE_COLUMNS)
    for row, cells in zip(values.rows(), python[1:], strict=True):
        assert [("" if cell is None else cell) for cell in row] == cells
    # A year's note wins over its node's; a row without either has no note.
    notes = parts["annotations"]
    of_year = {(p, n, y): u for u, p, n, y in notes.select("uid", *keys, "year").rows() if y}
    of_node = {(p, n): u for u, p, n, y in notes.select("uid", *keys, "year").rows() if not y}
    for plan_id, node_id, year, uid in values.select(*keys, "year", "annotation_uid").rows():
        want = of_year.get((plan_id, node_id, int(year)), of_node.get((plan_id, node_id)))
        assert uid == want, (plan_id, node_id, year)
    for variant in (
        {**parts, "values": parts["values"].reverse()},
        {**parts, "values": parts["values"].reverse(), "indicators": parts["indicators"][::-1]},
    ):
        again = write_csv(Snapshot(snap.header, variant), tmp_path / "again.csv", force=True)
        assert again[0].read_bytes() == expected
    for variant in (
        {**parts, "annotations": parts["annotations"].clear()},
        {**parts, "annotations": parts["annotations"].clear(), "values": parts["values"].clear()},
    ):
        thin = write_csv(Snapshot(snap.header, variant), tmp_path / "thin.csv", force=True)
        read = pl.read_csv(thin[0], infer_schema=False)
        assert tuple(read.columns) == CSV_VALUE_COLUMNS
        assert read.height == variant["values"].height
        assert read.get_column("annotation_uid").null_count() == read.height


def _sorted_parts(snap: Snapshot) -> dict[str, pl.DataFrame]:
    return {part: frame.sort(frame.columns) for part, frame in snap.parts.items()}


def test_toml_reads_back_in_any_order_of_the_parts(ws: store.Workspace) -> None:
    """A snapshot made here is written with its year lines glued to their indicator's table;
    parts in another order (an imported file's) are put in order first. Either way the TOML
    reads back to the same content: as made, without some plans' indicators, with an indicator
    without years, and with every part in reverse order."""
    busy(ws)
    create(ws, tables(), "h1")
    snap = load(ws, "h1")
    kb_first = dict(snap.parts)  # the first plan without indicators, the rest with them
    kb_first["indicators"] = kb_first["indicators"].filter(pl.col("plan_id") != KB)
    kb_first["values"] = kb_first["values"].filter(pl.col("plan_id") != KB)
    last_bare = dict(snap.parts)  # the last plans have no indicators: they go after the rest
    last_plan = str(snap.parts["plans"].get_column("plan_id").max())
    last_bare["indicators"] = last_bare["indicators"].filter(pl.col("plan_id") != last_plan)
    last_bare["values"] = last_bare["values"].filter(pl.col("plan_id") != last_plan)
    years_missing = dict(snap.parts)
    years_missing["values"] = years_missing["values"].filter(pl.col("node_id") != HOUSING)
    for parts in (snap.parts, kb_first, last_bare, years_missing):
        ordered = Snapshot(snap.header, parts)
        reverse = Snapshot(snap.header, {part: frame.reverse() for part, frame in parts.items()})
        for each in (ordered, reverse):
            read = parse_toml(to_toml(each), "f")
            want, got = _sorted_parts(each), _sorted_parts(read)
            for part in PARTS:
                assert got[part].equals(want[part]), part


def _year_case(good: dict[str, Any], change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    doc = copy.deepcopy(good)
    plan = next(p for p in doc["plans"] if len(p.get("indicators", [])) > 1)
    change(plan["indicators"][1]["years"][-1])
    return doc


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda y: y.update(plan="1,5"),
            r"indicators\[1\]\.years\[\d+\]: 'plan' has the wrong type",
        ),
        (lambda y: y.update(year=True), r"years\[\d+\]: 'year' has the wrong type \(bool\)"),
        (lambda y: y.update(year=2017.0), r"years\[\d+\]: 'year' has the wrong type \(float\)"),
        (lambda y: y.update(claim_mismatch=1), r"'claim_mismatch' has the wrong type \(int\)"),
        (lambda y: y.pop("status"), r"indicators\[1\]\.years\[\d+\]: 'status' is missing"),
        (lambda y: y.update(colour="red"), r"years\[\d+\]: unknown key 'colour'"),
        (lambda y: y.update(year=2**40), r"years\[\d+\]: 'year' is out of range \(1099511627776\)"),
    ],
)
def test_import_checks_every_year_and_says_where(
    ws: store.Workspace, tmp_path: Path, change: Callable[[dict[str, Any]], None], message: str
) -> None:
    """The years are checked in bulk; a wrong one is still named by its place in the file."""
    create(ws, tables(), "h1")
    export(ws, "h1", "toml", tmp_path / "good.toml")
    good = tomllib.loads((tmp_path / "good.toml").read_text(encoding="utf-8"))
    with pytest.raises(SnapshotFileError, match=message):
        import_file(ws, _toml(tmp_path, _year_case(good, change)))
    # an integer where a float is expected is a number all the same
    fine = _year_case(good, lambda y: y.update(plan=3))
    read = read_file(_toml(tmp_path, fine))
    assert 3.0 in read.parts["values"].get_column("plan").to_list()


def test_rtoml_and_tomllib_read_an_export_alike(ws: store.Workspace) -> None:
    """Snapshots are read with rtoml (fast); the format is TOML 1.0 as tomllib reads it."""
    import rtoml

    busy(ws)
    create(ws, tables(), "h1")
    text = to_toml(load(ws, "h1"))
    assert rtoml.loads(text) == tomllib.loads(text)


def _parts_equal(a: Snapshot, b: Snapshot) -> None:
    assert a.header == b.header
    for part in PARTS:
        assert a.parts[part].equals(b.parts[part]), part


def test_import_reads_a_plan_at_a_time_as_the_whole_file_reads(ws: store.Workspace) -> None:
    """Big files are parsed plan by plan (memory); the result is what the whole file gives,
    and what cannot be cut safely (a table after the plans, a multi-line string that could
    hold a line [[plans]]) is read whole, to the same content."""
    busy(ws)
    create(ws, tables(), "h1")
    text = to_toml(load(ws, "h1"))
    whole = tomllib.loads(text)
    _parts_equal(parse_toml(text, "f"), parse_toml(text, "f", bulk_years=False))
    assert parse_toml(text, "f").parts["plans"].height == len(whole["plans"])
    # a table after the plans that belongs to the document, not to the last plan
    first_rollup = text.index("\n[[rollup]]\n")
    block_end = text.index("\n\n", first_rollup + 1)
    block = text[first_rollup:block_end]
    moved = text[:first_rollup] + text[block_end:] + block + "\n"
    assert tomllib.loads(moved)["rollup"][-1] == whole["rollup"][0]
    for bulk in (True, False):
        read = parse_toml(moved, "f", bulk_years=bulk)
        rollup = read.parts["rollup"]
        assert rollup.height == len(whole["rollup"])
        assert rollup.row(-1, named=True)["level"] == whole["rollup"][0]["level"]
        assert read.parts["plans"].equals(parse_toml(text, "f").parts["plans"])
    # a multi-line string could hold a line [[plans]]: such a file is read whole
    quoted = text.replace('name = "h1"', 'name = """h1"""', 1)
    _parts_equal(parse_toml(quoted, "f"), parse_toml(text, "f"))


def test_a_broken_line_deep_in_a_plan_is_named_by_its_line_in_the_file(
    ws: store.Workspace,
) -> None:
    create(ws, tables(), "h1")
    lines = to_toml(load(ws, "h1")).splitlines()
    at = max(i for i, line in enumerate(lines) if line.startswith("    { year = "))
    lines[at] = "    { year = 2017, plan = },"
    with pytest.raises(SnapshotFileError, match=rf"not valid TOML: .*line {at + 1}\b"):
        parse_toml("\n".join(lines) + "\n", "broken.toml")


@pytest.mark.parametrize(
    ("marker", "columns"),
    [
        ("csv-values", CSV_VALUE_COLUMNS),
        ("csv-annotations", CSV_ANNOTATION_COLUMNS),
    ],
)
def test_readme_documents_the_csv_columns(marker: str, columns: tuple[str, ...]) -> None:
    """The README's column lists are the files' columns, in order (the docs cannot drift)."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split(f"<!-- {marker} -->")[1].split(f"<!-- /{marker} -->")[0]
    assert re.findall(r"`([a-z_]+)`", block) == list(columns)
