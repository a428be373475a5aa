"""Snapshots against hostile input and failures (issue 17 #1, #6, #7, #9, #14) and exports of
some plans (issue 16 #6): what --force may replace, the checks of an import, CSV cells a
spreadsheet would run, files that are not snapshots, temporary files left by a killed export."""

from __future__ import annotations

import copy
import os
import stat
import subprocess
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import tomli_w
from test_snapshot import busy
from workspace_data import GOAL, HOUSING, KB, TARAZ, UNEMPLOYMENT, tables
from workspace_data import write as write_data

from workbench.analysis import reporting
from workbench.analysis.status import Thresholds
from workbench.cli import main
from workbench.errors import ValidationError
from workbench.snapshots.create import create, load
from workbench.snapshots.csv_export import csv_paths
from workbench.snapshots.export import export
from workbench.snapshots.importing import import_file
from workbench.snapshots.model import SnapshotFileError
from workbench.snapshots.toml_read import read_file
from workbench.snapshots.toml_write import to_toml
from workbench.workspace import store

# ---------------------------------------------------------------------------- --force (#1)


@pytest.fixture
def made(ws: store.Workspace) -> store.Workspace:
    busy(ws)
    create(ws, tables(), "h1")
    return ws


@pytest.mark.parametrize("fmt", ["toml", "csv"])
def test_force_refuses_a_fifo_and_leaves_it(
    made: store.Workspace, tmp_path: Path, fmt: str
) -> None:
    fifo = tmp_path / f"pipe.{fmt}"
    os.mkfifo(fifo)
    with pytest.raises(ValidationError, match="FIFO, not a regular file"):
        export(made, "h1", fmt, fifo, force=True)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_force_refuses_a_symlink_and_leaves_it_and_its_target(
    made: store.Workspace, tmp_path: Path
) -> None:
    target = tmp_path / "real.toml"
    target.write_text("mine\n")
    link = tmp_path / "link.toml"
    link.symlink_to(target)
    with pytest.raises(ValidationError, match="is a symbolic link"):
        export(made, "h1", "toml", link, force=True)
    assert link.is_symlink() and target.read_text() == "mine\n"


def test_force_refuses_a_folder_and_proc_fd(made: store.Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    with pytest.raises(ValidationError, match="a folder"):
        export(made, "h1", "toml", folder, force=True)
    if Path("/proc/self/fd").is_dir():
        read, write = os.pipe()
        try:
            with pytest.raises(ValidationError, match="symbolic link"):
                export(made, "h1", "toml", f"/proc/self/fd/{write}", force=True)
        finally:
            os.close(read)
            os.close(write)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_force_as_root_leaves_dev_null_a_device(made: store.Workspace) -> None:
    with pytest.raises(ValidationError, match="a device"):
        export(made, "h1", "toml", "/dev/null", force=True)
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.parametrize("fmt", ["toml", "csv"])
def test_a_replaced_file_keeps_its_permissions(
    made: store.Workspace, tmp_path: Path, fmt: str
) -> None:
    values, notes = csv_paths(tmp_path / f"private.{fmt}")
    for each in [values] if fmt == "toml" else [values, notes]:
        each.write_text("old\n")
        each.chmod(0o600)
    written = export(made, "h1", fmt, values, force=True)
    for each in written:
        assert stat.S_IMODE(each.stat().st_mode) == 0o600
        assert each.read_text(encoding="utf-8") != "old\n"


# ---------------------------------------------------------------------------- --plan, --city


def test_export_of_some_plans(made: store.Workspace, tmp_path: Path) -> None:
    taraz = tmp_path / "taraz.toml"
    export(made, "h1", "toml", taraz, plans=[TARAZ])
    doc = tomllib.loads(taraz.read_text(encoding="utf-8"))
    assert [p["plan_id"] for p in doc["plans"]] == [TARAZ]
    assert {a["plan_id"] for a in doc["annotations"]} == {TARAZ}
    assert {f["plan_id"] for f in doc["facts"]} == {TARAZ}
    assert {r.get("plan_id") for r in doc["rollup"]} <= {TARAZ, None}
    assert {r["city"] for r in doc["rollup"]} == {"Taraz"}
    # a city by its native name, any case: the same plans
    native = tmp_path / "native.toml"
    export(made, "h1", "toml", native, cities=["тАРАЗ"])
    assert native.read_bytes() == taraz.read_bytes()
    values, notes = export(made, "h1", "csv", tmp_path / "kb.csv", cities=["kara-balta"])
    assert set(pl.read_csv(values).get_column("plan_id")) == {KB}
    assert set(pl.read_csv(notes).get_column("plan_id")) == {KB}
    with pytest.raises(ValidationError, match="no city 'Bishkek'"):
        export(made, "h1", "toml", tmp_path / "none.toml", cities=["Bishkek"])
    with pytest.raises(ValidationError, match="no plan 'nope'"):
        export(made, "h1", "toml", tmp_path / "none.toml", plans=["nope"])


def test_export_cli_takes_plans_and_cities(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ws, data = tmp_path / "ws.sqlite3", write_data(tmp_path / "data")
    common = ["--workspace", str(ws), "--data", str(data)]
    assert main(["snapshot", "create", "h1", *common]) == 0
    out = tmp_path / "both.toml"
    code = main(
        ["snapshot", "export", "h1", "--format", "toml", "--out", str(out),
         "--plan", f"{TARAZ},{KB}", *common]
    )  # fmt: skip
    assert code == 0
    assert {p["plan_id"] for p in tomllib.loads(out.read_text())["plans"]} == {TARAZ, KB}
    one = tmp_path / "one.toml"
    code = main(
        ["snapshot", "export", "h1", "--format", "toml", "--out", str(one),
         "--city", "Kara-Balta", *common]
    )  # fmt: skip
    assert code == 0
    assert [p["plan_id"] for p in tomllib.loads(one.read_text())["plans"]] == [KB]
    capsys.readouterr()


# ---------------------------------------------------------------------------- import (#6)


def _doc(made: store.Workspace) -> dict[str, Any]:
    return tomllib.loads(to_toml(load(made, "h1")))


def _write(path: Path, doc: dict[str, Any]) -> Path:
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    return path


def _fact(doc: dict[str, Any], **change: Any) -> dict[str, Any]:
    fact = copy.deepcopy(doc["facts"][0])
    fact.update(change)
    return fact


@pytest.fixture
def fresh(tmp_path: Path) -> Any:
    with store.open_workspace(tmp_path / "fresh.sqlite3", dataset=tables()) as other:
        yield other


def test_import_refuses_what_a_typed_edit_would_refuse(
    made: store.Workspace, fresh: store.Workspace, tmp_path: Path
) -> None:
    doc = _doc(made)
    good_facts = len(doc["facts"])
    base = doc["facts"][0]
    doc["facts"] += [
        _fact(doc, value=float("inf"), entered_at="2030-01-01T00:00:01Z"),
        _fact(doc, value=float("nan"), entered_at="2030-01-01T00:00:02Z"),
        _fact(doc, year=1066, entered_at="2030-01-01T00:00:03Z"),
        _fact(doc, plan_id="atlantis-2020", entered_at="2030-01-01T00:00:04Z"),
        _fact(doc, node_id="d9/zz", entered_at="2030-01-01T00:00:05Z"),
        _fact(doc, plan_id=TARAZ, node_id=GOAL, year=2017, entered_at="2030-01-01T00:00:06Z"),
    ]
    note = copy.deepcopy(doc["annotations"][0])
    note.update(uid="00000000-0000-0000-0000-00000000beef", year=1066)
    for version in note["history"]:
        version["text"] = note["text"]
    doc["annotations"].append(note)
    result = import_file(fresh, _write(tmp_path / "bad.toml", doc))
    assert result.facts_added == good_facts
    reasons = [r.reason for r in result.refused]
    assert len(result.refused) == 7 and not any(r.conflict for r in result.refused)
    assert "inf is not a finite number" in reasons[-6]
    assert "nan is not a finite number" in reasons[-5]
    assert "year 1066 is not a plausible year" in reasons[-4]
    assert "no plan 'atlantis-2020'" in reasons[-3]
    assert "has no node 'd9/zz'" in reasons[-2]
    assert "not an indicator" in reasons[-1]
    assert "year 1066 is not a plausible year" in reasons[0]
    assert all(r.source.endswith("bad.toml") for r in result.refused)
    assert result.refused[1].record.startswith(f"facts[{good_facts}]")
    # nothing refused reached the workspace: no inf, no nan, no 1066
    facts = fresh.facts_frame()
    assert facts.height == good_facts
    assert facts.get_column("value").is_finite().all()
    assert all(a.year != 1066 for a in fresh.annotations())
    assert base["plan_id"] in set(facts.get_column("plan_id"))


def test_import_reports_a_known_annotation_that_differs_as_a_conflict(
    made: store.Workspace, fresh: store.Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "h1.toml"
    export(made, "h1", "toml", path)
    import_file(fresh, path)
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    doc["name"] = "h1-changed"
    changed = doc["annotations"][0]
    changed["text"] = "someone else's text"
    for version in changed["history"]:
        version["text"] = changed["text"]
    result = import_file(fresh, _write(tmp_path / "changed.toml", doc))
    (conflict,) = result.refused
    assert conflict.conflict and "another text" in conflict.reason
    assert changed["uid"] in conflict.record
    assert "1 in conflict" in result.summary()
    texts = {a.uid: a.text for a in fresh.annotations()}
    assert texts[changed["uid"]] != "someone else's text"


def test_import_cli_lists_refusals_and_fails(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ws, data = tmp_path / "ws.sqlite3", write_data(tmp_path / "data")
    common = ["--workspace", str(ws), "--data", str(data)]
    main(["fact", "--plan", TARAZ, "--node", HOUSING, "--year", "2017", "--value", "7", *common])
    assert main(["snapshot", "create", "h1", *common]) == 0
    path = tmp_path / "h1.toml"
    assert main(["snapshot", "export", "h1", "--format", "toml", "--out", str(path), *common]) == 0
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    doc["facts"][0]["value"] = float("inf")
    _write(path, doc)
    capsys.readouterr()
    other = ["--workspace", str(tmp_path / "other.sqlite3"), "--data", str(data)]
    code = main(["snapshot", "import", str(path), *other])
    out, err = capsys.readouterr()
    assert code != 0
    assert "1 refused" in out
    assert f"{path}: facts[0] ({TARAZ}/{HOUSING} 2017): refused: inf is not a finite" in err


# ---------------------------------------------------------------------------- CSV cells (#7)

FORMULAS = ['=HYPERLINK("http://x","y")', "+1+1", "-2", "@SUM(A1)", "\tTAB", "\rCR"]
TEXTS = [*FORMULAS[:4], "=a\tb", "@"]  # an annotation's text is stripped: no leading tab, CR


def test_csv_cells_that_start_a_formula_are_neutralised(
    ws: store.Workspace, tmp_path: Path
) -> None:
    for i, text in enumerate(TEXTS):
        ws.annotate(TARAZ, UNEMPLOYMENT, 2016 + i % 4, text, author=FORMULAS[-1 - i])
    ws.enter_fact(TARAZ, UNEMPLOYMENT, 2018, "-3")
    snap_tables = tables()
    snap_tables["plans"] = snap_tables["plans"].with_columns(
        city=pl.when(pl.col("plan_id") == TARAZ).then(pl.lit("=cmd|' /C calc'!A0"))
        .otherwise(pl.col("city"))
    )  # fmt: skip
    create(ws, snap_tables, "h1")
    values, notes = export(ws, "h1", "csv", tmp_path / "h1.csv")
    read_notes = pl.read_csv(notes, infer_schema=False)
    assert sorted(read_notes.get_column("text")) == sorted(f"'{t}" for t in TEXTS)
    assert sorted(read_notes.get_column("author")) == sorted(f"'{t}" for t in FORMULAS)
    read_values = pl.read_csv(values, infer_schema=False)
    cities = set(read_values.get_column("city"))
    assert "'=cmd|' /C calc'!A0" in cities and "Kara-Balta" in cities
    texts = set(read_values.get_column("annotation_text").drop_nulls())
    assert texts and all(t.startswith("'") for t in texts)
    # numbers stay numbers
    assert "-3.0" in set(read_values.get_column("fact"))
    # the TOML keeps the text exact
    toml = tmp_path / "h1.toml"
    export(ws, "h1", "toml", toml)
    doc = tomllib.loads(toml.read_text(encoding="utf-8"))
    assert sorted(a["text"] for a in doc["annotations"]) == sorted(TEXTS)
    assert sorted(a["author"] for a in doc["annotations"]) == sorted(FORMULAS)


def test_report_csv_neutralises_formula_cells() -> None:
    snap_tables = tables()
    snap_tables["nodes"] = snap_tables["nodes"].with_columns(
        title=pl.when(pl.col("node_id") == UNEMPLOYMENT).then(pl.lit("=1+2"))
        .otherwise(pl.col("title"))
    )  # fmt: skip
    report = reporting.build_report(snap_tables, thresholds=Thresholds())
    text = reporting.render(report, "csv")
    assert "'=1+2" in text and ",=1+2" not in text


# ---------------------------------------------------------------------------- not snapshots (#9)


def test_import_refuses_what_is_not_a_regular_file(tmp_path: Path) -> None:
    with pytest.raises(SnapshotFileError, match="is a device, expected a snapshot file"):
        read_file("/dev/zero")
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    began = time.monotonic()
    with pytest.raises(SnapshotFileError, match=r"is a FIFO .*, expected a snapshot file"):
        read_file(fifo)
    assert time.monotonic() - began < 5


def test_import_size_limit_and_the_flag_to_raise_it(
    made: store.Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "h1.toml"
    export(made, "h1", "toml", path)
    size = path.stat().st_size
    with pytest.raises(SnapshotFileError, match="allowed for a snapshot file"):
        read_file(path, max_bytes=size - 1)
    assert read_file(path, max_bytes=size).name == "h1"
    data = write_data(tmp_path / "data")
    common = ["--workspace", str(tmp_path / "other.sqlite3"), "--data", str(data)]
    assert main(["snapshot", "import", str(path), "--max-size", "1", *common]) != 0
    assert "raise the limit with --max-size" in capsys.readouterr().err
    for bad in ("nan", "inf", "0", "lots"):  # float('nan') gave a traceback here
        assert main(["snapshot", "import", str(path), "--max-size", bad, *common]) != 0
        assert "--max-size: expected a size" in capsys.readouterr().err
    assert main(["snapshot", "import", str(path), "--max-size", "100M", *common]) == 0


def test_import_cli_of_dev_zero_and_a_fifo_says_one_line(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    data = write_data(tmp_path / "data")
    for source in ("/dev/zero", str(fifo)):
        done = subprocess.run(
            [sys.executable, "-m", "workbench.cli", "snapshot", "import", source,
             "--workspace", str(tmp_path / "ws.sqlite3"), "--data", str(data)],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert done.returncode != 0
        assert done.stderr.count("\n") == 1 and "expected a snapshot file" in done.stderr


# ---------------------------------------------------------------------------- leftovers (#14)


def test_an_export_removes_temporary_files_a_killed_one_left(
    made: store.Workspace, tmp_path: Path
) -> None:
    target = tmp_path / "h1.toml"
    old = time.time() - 3600
    stale = [tmp_path / ".h1.toml.abc_1234.tmp", tmp_path / ".h1.toml.4242.zz9_x0yq.tmp"]
    others = [
        tmp_path / ".h1.toml.notours.tmp",  # not our naming
        tmp_path / ".other.toml.abc_1234.tmp",  # another target's
        tmp_path / "h1.toml.abc_1234.tmp",  # not hidden
    ]
    for each in [*stale, *others]:
        each.write_text("half")
        os.utime(each, (old, old))
    fresh_one = tmp_path / ".h1.toml.9999.newer_aa.tmp"  # written after this process began
    fresh_one.write_text("being written")
    export(made, "h1", "toml", target)
    assert not any(each.exists() for each in stale)
    assert all(each.exists() for each in [*others, fresh_one])


def test_a_killed_export_leaves_a_temporary_file_the_next_one_removes(tmp_path: Path) -> None:
    """SIGKILL during a TOML export leaves a temporary file; the next export removes it."""
    ws_path, data = tmp_path / "ws.sqlite3", write_data(tmp_path / "data")
    common = ["--workspace", str(ws_path), "--data", str(data)]
    assert main(["snapshot", "create", "h1", *common]) == 0
    target = tmp_path / "out.toml"
    script = (
        "import os, signal, sys\n"
        "import polars as pl\n"
        "from workbench.cli import main\n"
        "real = pl.LazyFrame.sink_csv\n"
        "def sink(self, path, **kw):\n"
        "    real(self, path, **kw)\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "pl.LazyFrame.sink_csv = sink\n"
        "main(sys.argv[1:])\n"
    )
    killed = subprocess.run(
        [sys.executable, "-c", script, "snapshot", "export", "h1", "--format", "toml",
         "--out", str(target), *common],
        capture_output=True, timeout=120,
    )  # fmt: skip
    assert killed.returncode == -9
    (left,) = tmp_path.glob(".out.toml.*.tmp")
    assert not target.exists()
    again = subprocess.run(
        [sys.executable, "-m", "workbench.cli", "snapshot", "export", "h1", "--format", "toml",
         "--out", str(target), *common],
        capture_output=True, timeout=120,
    )  # fmt: skip
    assert again.returncode == 0
    assert target.exists() and not left.exists()
    assert list(tmp_path.glob(".out.toml.*")) == []


def test_import_reads_a_fact_text_and_an_annotation_as_the_typed_doors_do(
    made: store.Workspace, tmp_path: Path
) -> None:
    """A fact's text is read as `workbench fact` reads it and must say its value; an annotation
    is held to the workspace's own length limit (the import used the default one)."""
    doc = _doc(made)
    good_facts = len(doc["facts"])
    doc["facts"] += [
        _fact(doc, raw="1e5", value=100000.0, entered_at="2030-01-01T00:00:01Z"),
        _fact(doc, raw="7", value=8.0, entered_at="2030-01-01T00:00:02Z"),
    ]
    note = copy.deepcopy(doc["annotations"][0])
    note.update(uid="00000000-0000-0000-0000-00000000cafe", text="x" * 50)
    for version in note["history"]:
        version["text"] = note["text"]
    doc["annotations"].append(note)
    path = _write(tmp_path / "typed.toml", doc)
    with store.open_workspace(tmp_path / "short.sqlite3", dataset=tables(), max_length=40) as short:
        result = import_file(short, path)
    reasons = [r.reason for r in result.refused]
    assert result.facts_added == good_facts
    assert any("read '1e5' as 1 followed by 'e5'" in r for r in reasons), reasons
    assert any("is not what its text '7' says" in r for r in reasons), reasons
    assert any("50 characters long; the limit is 40" in r for r in reasons), reasons
