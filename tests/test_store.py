"""The workspace store (issue 6): opening safely, annotations, facts, undo, validation."""

from __future__ import annotations

import gc
import getpass
import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from workspace_data import (
    GOAL,
    HOUSING,
    KB,
    KB_ACTIVITY,
    KB_INDICATOR,
    KB_TARGET,
    TARAZ,
    UNEMPLOYMENT,
    tables,
)

from workbench.config import Config
from workbench.errors import ValidationError, WorkspaceError
from workbench.workspace import store
from workbench.workspace.annotation_store import ANNOTATION_SCHEMA
from workbench.workspace.edit_checks import DatasetIndex
from workbench.workspace.fact_store import FACTS_FRAME_SCHEMA
from workbench.workspace.workspace_file import APPLICATION_ID, SCHEMA_VERSION


def rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table: to prove that a refusal wrote nothing."""
    conn = sqlite3.connect(path)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {n: conn.execute(f"SELECT * FROM {n}").fetchall() for n in sorted(names)}
    finally:
        conn.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --------------------------------------------------------------------------- where and what


def test_path_resolution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert store.default_path() == tmp_path / "xdg" / "plan-workbench" / "workspace.sqlite3"
    monkeypatch.setenv("XDG_DATA_HOME", "relative/ignored")
    assert store.default_path() == Path.home() / ".local/share/plan-workbench/workspace.sqlite3"
    config = Config(path=None, data=tmp_path, workspace=tmp_path / "cfg.sqlite3")
    assert store.resolve_path(None, config) == tmp_path / "cfg.sqlite3"
    assert store.resolve_path(tmp_path / "flag.sqlite3", config) == tmp_path / "flag.sqlite3"
    assert store.resolve_path(None, Config(path=None, data=tmp_path)) == store.default_path()


def test_new_workspace_is_identified_and_in_wal(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "folder" / "ws.sqlite3"
    store.open_workspace(path).close()
    header = path.read_bytes()[:100]
    assert int.from_bytes(header[68:72], "big") == APPLICATION_ID
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".new")] == []
    with store.open_workspace(path) as again:  # reopening an existing one
        assert again.integrity() == "ok"


@pytest.mark.parametrize(
    "content",
    [b"hello, this is my thesis\n" * 10, b"", b"SQLite format 3\x00" + b"\x00" * 20],
    ids=["text", "empty", "truncated-sqlite"],
)
def test_not_a_workspace_is_refused_and_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_bytes(content)
    before = digest(path)
    with pytest.raises(WorkspaceError, match="not a Plan Workbench workspace"):
        store.open_workspace(path)
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.sqlite3"]


def test_other_sqlite_database_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES (1)")
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(WorkspaceError, match="SQLite database but not a Plan Workbench"):
        store.open_workspace(path)
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]


def test_damaged_workspace_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "ws.sqlite3"
    with store.open_workspace(path, dataset=tables()) as ws:
        for n in range(200):
            ws.annotate(TARAZ, UNEMPLOYMENT, 2017, f"note {n} " + "x" * 200)
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) > 4 * page
    data[2 * page : 4 * page] = b"\xa5" * (2 * page)  # scribble over two pages
    path.write_bytes(bytes(data))
    before = digest(path)
    with pytest.raises(WorkspaceError, match="damaged workspace"):
        store.open_workspace(path)
    assert digest(path) == before


def test_older_schema_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "ws.sqlite3"
    conn = sqlite3.connect(path)  # identified as a workspace, schema version 0
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    with store.open_workspace(path, dataset=tables()) as ws:
        ws.annotate(TARAZ, GOAL, None, "after the migration")
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ws.sqlite3"
    store.open_workspace(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(WorkspaceError, match="newer than this workbench"):
        store.open_workspace(path)


def test_directory_and_missing_workspace(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="not a file"):
        store.open_workspace(tmp_path)
    with pytest.raises(WorkspaceError, match="no workspace yet"):
        store.open_workspace(tmp_path / "none.sqlite3", create=False)
    assert not (tmp_path / "none.sqlite3").exists()


# --------------------------------------------------------------------------- annotations


def test_annotation_on_any_node_kind(ws: store.Workspace) -> None:
    made = [
        ws.annotate(TARAZ, UNEMPLOYMENT, 2017, "Статистика кешікті", category="Data Error"),
        ws.annotate(TARAZ, GOAL, None, "мақсат бойынша"),
        ws.annotate(KB, KB_ACTIVITY, 2024, "иш-чара", state="explained"),
        ws.annotate(KB, KB_TARGET, 2023, "target node"),
    ]
    assert made[0].category == "data error"  # the configured spelling
    assert made[0].author == "aigerim" and made[0].state == "open" and made[0].version == 1
    assert [a.id for a in ws.annotations()] == [a.id for a in made]
    assert [a.node_id for a in ws.annotations(plan_id=KB)] == [KB_ACTIVITY, KB_TARGET]
    assert [a.id for a in ws.annotations(plan_id=TARAZ, year=None)] == [made[1].id]
    assert [a.id for a in ws.annotations(states=["explained"])] == [made[2].id]
    frame = ws.annotations_frame()
    assert frame.schema == ANNOTATION_SCHEMA and frame.height == 4


def test_edit_and_resolve_keep_history(ws: store.Workspace) -> None:
    first = ws.annotate(TARAZ, UNEMPLOYMENT, 2017, "first", category="other")
    ws.edit_annotation(first.id, text="second", author="nurlan")
    ws.edit_annotation(first.id, category="")
    done = ws.resolve_annotation(first.id, "closed")
    assert (done.text, done.state, done.category, done.version) == ("closed", "resolved", None, 4)
    assert done.author == "aigerim" and done.updated_by == "aigerim"
    history = ws.annotation_history(first.id)
    assert [(v.version, v.text, v.state, v.category, v.author) for v in history] == [
        (1, "first", "open", "other", "aigerim"),
        (2, "second", "open", "other", "nurlan"),
        (3, "second", "open", None, "aigerim"),
        (4, "closed", "resolved", None, "aigerim"),
    ]
    with pytest.raises(ValidationError, match="nothing changed"):
        ws.edit_annotation(first.id, state="resolved")
    with pytest.raises(ValidationError, match="no annotation #99"):
        ws.edit_annotation(99, text="x")


def test_author_defaults_to_os_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(getpass, "getuser", lambda: "analyst7")
    with store.open_workspace(tmp_path / "ws.sqlite3", dataset=tables()) as ws:
        assert ws.annotate(TARAZ, GOAL, None, "x").author == "analyst7"


# --------------------------------------------------------------------------- facts


def test_entered_fact_keeps_document_and_latest_wins(ws: store.Workspace) -> None:
    fact = ws.enter_fact(TARAZ, UNEMPLOYMENT, "2017", " 5,2 ")
    assert (fact.value, fact.raw, fact.unit, fact.document_value) == (5.2, "5,2", "%", 5.5)
    assert fact.author == "aigerim" and fact.entered_at.endswith("Z")
    ws.enter_fact(TARAZ, UNEMPLOYMENT, 2017, "1 291,0", author="nurlan")
    ws.enter_fact(KB, KB_TARGET, 2023, "97%")
    current = ws.fact_for(TARAZ, UNEMPLOYMENT, 2017)
    assert current is not None and (current.value, current.author) == (1291.0, "nurlan")
    assert len(ws.fact_history(TARAZ, UNEMPLOYMENT, 2017)) == 2
    frame = ws.facts_frame()
    assert frame.schema == FACTS_FRAME_SCHEMA
    assert frame.rows() == [(KB, KB_TARGET, 2023, 97.0), (TARAZ, UNEMPLOYMENT, 2017, 1291.0)]
    assert ws.unit(KB, KB_INDICATOR) == "сом"


def test_entered_fact_wins_in_status(ws: store.Workspace) -> None:
    from workbench.analysis.status import Thresholds, indicator_statuses

    ws.enter_fact(TARAZ, UNEMPLOYMENT, 2017, "4,9")
    ws.enter_fact(TARAZ, HOUSING, 2017, "120")
    data = tables()
    st = indicator_statuses(data, thresholds=Thresholds(), facts=ws.facts_frame())
    got = {r["node_id"]: r for r in st.filter(pl.col("plan_id") == TARAZ).iter_rows(named=True)}
    assert got[UNEMPLOYMENT]["fact"] == 4.9 and got[UNEMPLOYMENT]["status"] == "met"
    assert got[HOUSING]["fact_source"] == "entered" and got[HOUSING]["status"] == "met"
    # the document's own value is untouched
    doc = data["values"].filter((pl.col("node_id") == UNEMPLOYMENT) & (pl.col("kind") == "fact"))
    assert doc.get_column("value").to_list() == [5.5]


def test_clear_fact(ws: store.Workspace) -> None:
    with pytest.raises(ValidationError, match="no entered fact"):
        ws.clear_fact(TARAZ, UNEMPLOYMENT, 2017)
    ws.enter_fact(TARAZ, UNEMPLOYMENT, 2017, "4,9")
    cleared = ws.clear_fact(TARAZ, UNEMPLOYMENT, 2017)
    assert cleared.value is None
    assert ws.fact_for(TARAZ, UNEMPLOYMENT, 2017) is None
    assert ws.facts_frame().height == 0
    ws.undo()  # undo the clearing: the entered fact is back
    assert ws.fact_for(TARAZ, UNEMPLOYMENT, 2017) is not None


# --------------------------------------------------------------------------- undo


def test_undo_each_kind_of_edit(ws: store.Workspace) -> None:
    assert ws.undo() is None and ws.last_edit() is None
    note = ws.annotate(TARAZ, UNEMPLOYMENT, 2017, "one")
    ws.edit_annotation(note.id, text="two")
    ws.enter_fact(TARAZ, UNEMPLOYMENT, 2017, "4,9")
    last = ws.last_edit()
    assert last is not None and last.action == "fact"

    undone = ws.undo()
    assert undone is not None and undone.edit.action == "fact"
    assert ws.fact_for(TARAZ, UNEMPLOYMENT, 2017) is None
    undone = ws.undo()
    assert undone is not None and "edit of annotation" in undone.summary
    assert ws.annotation(note.id).text == "one"
    assert [v.version for v in ws.annotation_history(note.id)] == [1]
    again = ws.edit_annotation(note.id, text="three")  # a new version after an undone one
    assert again.version == 3 and again.text == "three"
    ws.undo()
    ws.undo()
    assert ws.annotations() == []
    assert ws.undo() is None
    # undone work is marked, never deleted
    conn = sqlite3.connect(ws.path)
    assert conn.execute("SELECT count(*) FROM annotation_versions").fetchone()[0] == 3
    assert conn.execute("SELECT count(*) FROM facts").fetchone()[0] == 1
    conn.close()


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda ws: ws.enter_fact(TARAZ, UNEMPLOYMENT, 2017, "abc"), "not a number"),
        (lambda ws: ws.enter_fact(TARAZ, UNEMPLOYMENT, 2017, "-"), "not a number"),
        (lambda ws: ws.enter_fact(TARAZ, UNEMPLOYMENT, 2017, ""), "not a number"),
        (lambda ws: ws.enter_fact(TARAZ, UNEMPLOYMENT, 2021, "5"), "outside plan"),
        (lambda ws: ws.enter_fact(TARAZ, UNEMPLOYMENT, "20x7", "5"), "not a year"),
        (lambda ws: ws.enter_fact(TARAZ, GOAL, 2017, "5"), "a goal, not an indicator"),
        (lambda ws: ws.enter_fact(KB, KB_ACTIVITY, 2024, "5"), "an activity, not an indicator"),
        (lambda ws: ws.enter_fact(TARAZ, "nope", 2017, "5"), "has no node 'nope'"),
        (lambda ws: ws.enter_fact("nope", UNEMPLOYMENT, 2017, "5"), "no plan 'nope'"),
        (lambda ws: ws.annotate(TARAZ, "nope", 2017, "x"), "has no node"),
        (lambda ws: ws.annotate(KB, KB_INDICATOR, 2021, "x"), "outside plan"),
        (lambda ws: ws.annotate(TARAZ, GOAL, None, "x", category="weather"), "unknown category"),
        (lambda ws: ws.annotate(TARAZ, GOAL, None, "x", state="closed"), "unknown state"),
        (lambda ws: ws.annotate(TARAZ, GOAL, None, "   "), "text is empty"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(
    ws: store.Workspace, call: Callable[[store.Workspace], object], message: str
) -> None:
    ws.annotate(TARAZ, GOAL, None, "before")
    before = rows(ws.path)
    with pytest.raises(ValidationError, match=message) as info:
        call(ws)
    assert "\n" not in str(info.value)
    assert rows(ws.path) == before


def test_baseline_year_outside_period_is_allowed(ws: store.Workspace) -> None:
    # Kara-Balta prints a 2022 baseline before its 2023-2026 period
    assert ws.enter_fact(KB, KB_INDICATOR, 2022, "10,5").year == 2022


def test_a_plans_checks_keep_no_object_per_node_for_the_garbage_collector() -> None:
    """What validation keeps per plan is dicts of strings and numbers (untracked by Python's
    collector): a set or tuple per node, over the plans an analyst edits, made every full
    collection longer, and one edit in sixty took 15-50 ms at 1 000 plans."""
    index = DatasetIndex(tables())
    info = index.plan(KB)
    assert KB_INDICATOR in info.units and info.document_facts
    assert 2022 in info.outside_years[KB_INDICATOR]  # the baseline before 2023-2026
    kept = {year for years in info.outside_years.values() for year in years}
    assert not any(info.period_start <= year <= info.period_end for year in kept)
    per_node = [info.kinds, info.units, *info.document_facts.values()]
    assert not any(gc.is_tracked(each) for each in per_node)


def test_edits_need_a_dataset(tmp_path: Path) -> None:
    with (
        store.open_workspace(tmp_path / "ws.sqlite3") as ws,
        pytest.raises(WorkspaceError, match="no dataset"),
    ):
        ws.annotate(TARAZ, GOAL, None, "x")


def test_snapshots_are_immutable(ws: store.Workspace) -> None:
    from workbench.snapshots.create import create

    create(ws, tables(), "frozen")
    conn = sqlite3.connect(ws.path)
    for statement in ("UPDATE snapshots SET name = 'x'", "DELETE FROM snapshot_parts"):
        with pytest.raises(sqlite3.DatabaseError, match="immutable"):
            conn.execute(statement)
    conn.close()


def test_undo_takes_back_only_the_authors_own_edits(ws: store.Workspace) -> None:
    """Two analysts on one workspace: undo is each one's own, unless asked for anyone's."""
    mine = ws.annotate(TARAZ, UNEMPLOYMENT, 2017, "mine")
    colleague = store.open_workspace(ws.path, dataset=tables(), author="nurlan")
    try:
        theirs = colleague.enter_fact(TARAZ, UNEMPLOYMENT, 2017, "4,9")
        last = ws.last_edit()
        assert last is not None and last.author == ws.author and "annotation" in last.summary
        assert ws.others_edits() == 1
        undone = ws.undo()  # the colleague's newer fact stays
        assert undone is not None and undone.edit.author == ws.author
        kept = ws.fact_for(TARAZ, UNEMPLOYMENT, 2017)
        assert ws.annotations() == [] and kept is not None
        assert (kept.id, kept.value, kept.author) == (theirs.id, theirs.value, "nurlan")
        assert ws.undo() is None  # nothing of mine left
        assert colleague.last_edit() is not None
        undone = ws.undo(anyone=True)
        assert undone is not None and undone.edit.author == "nurlan"
        assert ws.fact_for(TARAZ, UNEMPLOYMENT, 2017) is None
        assert mine.text == "mine"
    finally:
        colleague.close()


def test_data_version_moves_for_other_connections_only(ws: store.Workspace) -> None:
    import threading

    before = ws.data_version()
    ws.annotate(TARAZ, GOAL, None, "mine")
    assert ws.data_version() == before  # its own commit
    with store.open_workspace(ws.path, dataset=tables()) as other:
        other.annotate(TARAZ, GOAL, None, "a colleague's")
    after = ws.data_version()
    assert after is not None and after != before
    # Not blocking: None while another thread uses the workspace.
    inside, leave = threading.Event(), threading.Event()

    def hold() -> None:
        with ws.reading():
            inside.set()
            leave.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    inside.wait(5)
    try:
        assert ws.data_version(blocking=False) is None
    finally:
        leave.set()
        holder.join()
    assert ws.data_version(blocking=False) == after
