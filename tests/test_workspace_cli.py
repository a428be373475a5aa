"""The workspace commands (issue 6): annotate, fact, undo, annotations, snapshot."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
import tomllib
from pathlib import Path

import polars as pl
import pytest
import tomli_w
from workspace_data import GOAL, HOUSING, KB, KB_ACTIVITY, KB_INDICATOR, TARAZ, UNEMPLOYMENT
from workspace_data import write as write_data

from workbench.cli import main
from workbench.snapshots.csv_export import CSV_VALUE_COLUMNS

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def env(tmp_path: Path) -> tuple[Path, Path]:
    data = write_data(tmp_path / "data")
    return tmp_path / "ws.sqlite3", data


def wb(
    capsys: pytest.CaptureFixture[str], *args: str, ws: Path, data: Path
) -> tuple[int, str, str]:
    code = main([*args, "--workspace", str(ws), "--data", str(data)])
    out, err = capsys.readouterr()
    return code, out, err


def rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {n: conn.execute(f"SELECT * FROM {n}").fetchall() for n in sorted(names)}
    finally:
        conn.close()


def test_edit_commands(capsys: pytest.CaptureFixture[str], env: tuple[Path, Path]) -> None:
    ws, data = env
    code, out, _ = wb(
        capsys, "annotate", "--plan", TARAZ, "--node", UNEMPLOYMENT, "--year", "2017",
        "--text", "Статистика кешікті", "--category", "data not yet published",
        ws=ws, data=data,
    )  # fmt: skip
    assert code == 0
    assert (
        out
        == f"saved annotation #1 on {TARAZ}/{UNEMPLOYMENT} 2017 [open, data not yet published]\n"
    )
    code, out, _ = wb(capsys, "annotate", "--edit", "1", "--state", "explained", ws=ws, data=data)
    assert (code, out.split(" #")[0]) == (0, "saved version 2 of annotation")
    code, out, _ = wb(
        capsys, "fact", "--plan", TARAZ, "--node", UNEMPLOYMENT, "--year", "2017",
        "--value", "5,2", ws=ws, data=data,
    )  # fmt: skip
    assert (code, out) == (
        0,
        f"saved fact 5,2 % for {TARAZ}/{UNEMPLOYMENT} 2017; document: 5,5 (kept)\n",
    )
    code, out, _ = wb(
        capsys,
        "annotate",
        "--plan",
        KB,
        "--node",
        KB_ACTIVITY,
        "--text",
        "x\x1b[2J",
        ws=ws,
        data=data,
    )
    assert code == 0
    code, out, _ = wb(capsys, "annotations", "--history", ws=ws, data=data)
    lines = out.splitlines()
    # The node as the screen names it (city, code, title); its ids after a tab, for scripts.
    assert lines[0].startswith(
        "#1 Taraz · 1 Жұмыссыздық деңгейін төмендету 2017 [explained] (data not yet published)"
    )
    assert lines[0].endswith(f": Статистика кешікті\t{TARAZ}/{UNEMPLOYMENT}")
    assert lines[1].startswith("    v1 [open]") and lines[2].startswith("    v2 [explained]")
    # control characters never reach the terminal raw
    assert lines[3].endswith(f": x\\x1b[2J\t{KB}/{KB_ACTIVITY}")
    code, out, _ = wb(capsys, "annotations", "--plan", KB, ws=ws, data=data)
    assert len(out.splitlines()) == 1
    code, out, _ = wb(capsys, "undo", ws=ws, data=data)
    assert (code, out) == (
        0,
        f"undone: annotation #2 on Kara-Balta · Иш-чара (id {KB}/{KB_ACTIVITY})\n",
    )
    code, out, _ = wb(capsys, "undo", ws=ws, data=data)
    assert out == (
        "undone: fact 5,2 for Taraz · 1 Жұмыссыздық деңгейін төмендету 2017 "
        f"(id {TARAZ}/{UNEMPLOYMENT})\n"
    )
    code, out, _ = wb(
        capsys, "fact", "--plan", KB, "--node", KB_INDICATOR, "--year", "2024", "--value", "12",
        ws=ws, data=data,
    )  # fmt: skip
    code, out, _ = wb(
        capsys, "fact", "--plan", KB, "--node", KB_INDICATOR, "--year", "2024", "--clear",
        ws=ws, data=data,
    )  # fmt: skip
    assert (code, out) == (0, f"cleared the entered fact of {KB}/{KB_INDICATOR} 2024\n")


def test_snapshot_commands(
    capsys: pytest.CaptureFixture[str], env: tuple[Path, Path], tmp_path: Path
) -> None:
    ws, data = env
    wb(capsys, "annotate", "--plan", TARAZ, "--node", GOAL, "--text", "goal note", ws=ws, data=data)
    assert wb(capsys, "snapshot", "create", "h1", ws=ws, data=data)[:2] == (
        0,
        f"snapshot 'h1' created in {ws}\n",
    )
    wb(
        capsys,
        "fact",
        "--plan",
        TARAZ,
        "--node",
        HOUSING,
        "--year",
        "2017",
        "--value",
        "120",
        ws=ws,
        data=data,
    )
    assert wb(capsys, "snapshot", "create", "h2", ws=ws, data=data)[0] == 0
    code, out, _ = wb(capsys, "snapshot", "list", ws=ws, data=data)
    assert [line.split()[0] for line in out.splitlines()] == ["h1", "h2"]
    code, out, _ = wb(capsys, "snapshot", "diff", "h1", "h2", ws=ws, data=data)
    assert code == 0
    assert out.splitlines()[0] == "from 'h1' to 'h2': 2 value, 1 status change(s)"
    assert f"status {TARAZ}/{HOUSING} 2017: no_data → met" in out

    toml_path = tmp_path / "h2.toml"
    code, out, _ = wb(
        capsys,
        "snapshot",
        "export",
        "h2",
        "--format",
        "toml",
        "--out",
        str(toml_path),
        ws=ws,
        data=data,
    )
    assert (code, out) == (0, f"wrote {toml_path}\n")
    assert tomllib.loads(toml_path.read_text(encoding="utf-8"))["name"] == "h2"
    code, _, err = wb(
        capsys,
        "snapshot",
        "export",
        "h2",
        "--format",
        "toml",
        "--out",
        str(toml_path),
        ws=ws,
        data=data,
    )
    assert code == 1 and "already exists (use --force" in err
    code, _, _ = wb(
        capsys,
        "snapshot",
        "export",
        "h2",
        "--format",
        "toml",
        "--out",
        str(toml_path),
        "--force",
        ws=ws,
        data=data,
    )
    assert code == 0
    csv_path = tmp_path / "h2.csv"
    code, out, _ = wb(
        capsys,
        "snapshot",
        "export",
        "h2",
        "--format",
        "csv",
        "--out",
        str(csv_path),
        ws=ws,
        data=data,
    )
    assert out.splitlines() == [f"wrote {csv_path}", f"wrote {tmp_path / 'h2.annotations.csv'}"]
    assert tuple(pl.read_csv(csv_path).columns) == CSV_VALUE_COLUMNS

    other = tmp_path / "other.sqlite3"
    code, out, _ = wb(capsys, "snapshot", "import", str(toml_path), ws=other, data=data)
    assert (code, out) == (
        0,
        "snapshot 'h2' stored; annotations: 1 added, 0 already present; "
        "facts: 1 added, 0 already present\n",
    )
    code, out, _ = wb(capsys, "annotations", ws=other, data=data)
    assert "goal note" in out


def test_options_after_the_subcommand_or_from_config(
    capsys: pytest.CaptureFixture[str], env: tuple[Path, Path], tmp_path: Path
) -> None:
    ws, data = env
    config = tmp_path / "config.toml"
    config.write_text(
        f'[paths]\ndata = "{data}"\n[workspace]\npath = "{ws}"\nauthor = "from-config"\n'
        '[annotations]\ncategories = ["weather", "other"]\n',
        encoding="utf-8",
    )
    code = main(
        [
            "--config",
            str(config),
            "annotate",
            "--plan",
            TARAZ,
            "--node",
            GOAL,
            "--text",
            "t",
            "--category",
            "Weather",
        ]
    )
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert out.endswith("[open, weather]\n")
    assert main(["--config", str(config), "annotations"]) == 0
    assert "from-config" in capsys.readouterr().out
    # --data before the subcommand and --workspace after it
    assert main(["--data", str(data), "annotations", "--workspace", str(ws)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("#1 Taraz · 3.2.1.1 Мақсат [bold] [open] (weather) from-config")
    assert out.endswith(f"\t{TARAZ}/{GOAL}\n")


BAD_EDITS: list[tuple[list[str], str]] = [
    (
        ["fact", "--plan", TARAZ, "--node", UNEMPLOYMENT, "--year", "2017", "--value", "abc"],
        "is not a number",
    ),
    (
        ["fact", "--plan", TARAZ, "--node", UNEMPLOYMENT, "--year", "2017", "--value", "-"],
        "is not a number",
    ),
    (
        ["fact", "--plan", TARAZ, "--node", UNEMPLOYMENT, "--year", "2031", "--value", "5"],
        "outside plan",
    ),
    (
        ["fact", "--plan", TARAZ, "--node", UNEMPLOYMENT, "--year", "two", "--value", "5"],
        "is not a year",
    ),
    (["fact", "--plan", TARAZ, "--node", "nope", "--year", "2017", "--value", "5"], "has no node"),
    (
        ["fact", "--plan", TARAZ, "--node", GOAL, "--year", "2017", "--value", "5"],
        "not an indicator",
    ),
    (["fact", "--plan", "nope", "--node", GOAL, "--year", "2017", "--value", "5"], "no plan"),
    (["annotate", "--plan", TARAZ, "--node", "nope", "--text", "x"], "has no node"),
    (
        ["annotate", "--plan", TARAZ, "--node", GOAL, "--year", "1999", "--text", "x"],
        "outside plan",
    ),
    (
        ["annotate", "--plan", TARAZ, "--node", GOAL, "--text", "x", "--category", "weather"],
        "unknown category",
    ),
    (
        ["annotate", "--plan", TARAZ, "--node", GOAL, "--text", "x", "--state", "done"],
        "unknown state",
    ),
    (["annotate", "--plan", TARAZ, "--node", GOAL, "--text", " "], "the annotation text is empty"),
    (["annotate", "--edit", "1", "--state", "done"], "unknown state"),
    (["annotate", "--edit", "1", "--category", "weather"], "unknown category"),
    (["annotate", "--edit", "one", "--text", "x"], "expected an annotation number"),
    (["annotate", "--edit", "99", "--text", "x"], "no annotation #99"),
    (["snapshot", "create", "a/b"], "may not contain '/'"),
    (["snapshot", "create", "../up"], "may not contain"),
    (["snapshot", "create", "x..y"], "may not contain '..'"),
    (["snapshot", "create", ""], "needs a name"),
    (["snapshot", "create", "first"], "already exists"),
    (["snapshot", "export", "nope", "--format", "toml", "--out", "x.toml"], "no snapshot named"),
    (["snapshot", "diff", "first", "nope"], "no snapshot named"),
]


@pytest.mark.parametrize(
    ("args", "message"),
    BAD_EDITS,
    ids=[" ".join(a[:4]) + f" {i}" for i, (a, _) in enumerate(BAD_EDITS)],
)
def test_bad_input_refused_one_line_nothing_written(
    capsys: pytest.CaptureFixture[str], env: tuple[Path, Path], args: list[str], message: str
) -> None:
    ws, data = env
    assert (
        wb(
            capsys, "annotate", "--plan", TARAZ, "--node", GOAL, "--text", "first", ws=ws, data=data
        )[0]
        == 0
    )
    assert wb(capsys, "snapshot", "create", "first", ws=ws, data=data)[0] == 0
    before = rows(ws)
    code, out, err = wb(capsys, *args, ws=ws, data=data)
    assert code != 0 and out == ""
    assert err.count("\n") == 1 and err.startswith("workbench: ") and message in err
    assert rows(ws) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [case for case in BAD_EDITS if case[0][0] == "fact" or case[0][:2] == ["snapshot", "create"]][
        :8
    ],
)
def test_bad_input_does_not_create_a_workspace(
    capsys: pytest.CaptureFixture[str], env: tuple[Path, Path], args: list[str], message: str
) -> None:
    ws, data = env
    code, _, err = wb(capsys, *args, ws=ws, data=data)
    assert code == 1 and message in err
    assert not ws.exists()


def test_import_refusals(
    capsys: pytest.CaptureFixture[str], env: tuple[Path, Path], tmp_path: Path
) -> None:
    ws, data = env
    wb(capsys, "snapshot", "create", "h1", ws=ws, data=data)
    good = tmp_path / "h1.toml"
    wb(capsys, "snapshot", "export", "h1", "--format", "toml", "--out", str(good), ws=ws, data=data)
    doc = tomllib.loads(good.read_text(encoding="utf-8"))
    newer = tmp_path / "newer.toml"
    newer.write_text(tomli_w.dumps({**doc, "format_version": 99}), encoding="utf-8")
    config = tmp_path / "config.toml"
    config.write_text('[ui]\ntheme = "dark"\n', encoding="utf-8")
    target = tmp_path / "fresh.sqlite3"
    for path, message in (
        (newer, "newer than this workbench"),
        (config, "not a Plan Workbench snapshot"),
    ):
        code, _, err = wb(capsys, "snapshot", "import", str(path), ws=target, data=data)
        assert code == 1 and message in err and err.count("\n") == 1
    assert not target.exists()
    code, _, err = wb(capsys, "snapshot", "import", str(good), "--as", "a/b", ws=target, data=data)
    assert code == 1 and "may not contain" in err


def test_import_of_a_large_file_says_so_first(
    capsys: pytest.CaptureFixture[str],
    env: tuple[Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A large file takes seconds to read: a line on stderr first (stdout stays the result)."""
    from workbench.commands import snapshot as command

    ws, data = env
    wb(capsys, "snapshot", "create", "h1", ws=ws, data=data)
    good = tmp_path / "h1.toml"
    wb(capsys, "snapshot", "export", "h1", "--format", "toml", "--out", str(good), ws=ws, data=data)
    target = tmp_path / "fresh.sqlite3"
    code, out, err = wb(capsys, "snapshot", "import", str(good), ws=target, data=data)
    assert (code, err) == (0, "")  # small: nothing on stderr
    monkeypatch.setattr(command, "_LARGE", good.stat().st_size)
    code, out, err = wb(capsys, "snapshot", "import", str(good), "--as", "h2", ws=target, data=data)
    assert code == 0 and "h2" in out
    assert err == f"reading {good} ({good.stat().st_size / 1e6:.0f} MB) …\n"


def test_not_a_workspace_is_refused_and_unchanged(
    capsys: pytest.CaptureFixture[str], env: tuple[Path, Path], tmp_path: Path
) -> None:
    _, data = env
    thesis = tmp_path / "thesis.docx"
    thesis.write_bytes(b"PK\x03\x04 my thesis, not a workspace" * 50)
    before = hashlib.sha256(thesis.read_bytes()).hexdigest()
    for args in (
        ["annotate", "--plan", TARAZ, "--node", GOAL, "--text", "x"],
        ["fact", "--plan", TARAZ, "--node", UNEMPLOYMENT, "--year", "2017", "--value", "5"],
        ["undo"],
        ["annotations"],
        ["snapshot", "create", "s"],
        ["snapshot", "list"],
    ):
        code, out, err = wb(capsys, *args, ws=thesis, data=data)
        assert code == 1 and out == ""
        assert (
            err == f"workbench: {thesis}: not a Plan Workbench workspace (not an SQLite database); "
            "left untouched\n"
        )
    assert hashlib.sha256(thesis.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "thesis.docx"]


def test_real_command(env: tuple[Path, Path]) -> None:
    """The installed entry point, in a separate process: exit codes and one-line errors."""
    ws, data = env
    base = [sys.executable, "-m", "workbench.cli", "--data", str(data)]
    ok = subprocess.run(
        [*base, "annotate", "--workspace", str(ws), "--plan", TARAZ, "--node", GOAL, "--text", "x"],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert (ok.returncode, ok.stderr) == (0, "")
    bad = subprocess.run(
        [*base, "fact", "--workspace", str(ws), "--plan", TARAZ, "--node", UNEMPLOYMENT,
         "--year", "2017", "--value", "много"],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert bad.returncode == 1 and bad.stdout == ""
    assert bad.stderr.splitlines() == [
        "workbench: 'много' is not a number (expected e.g. 100,6 or 1 291,0 or 50%)"
    ]


def test_undo_is_the_authors_own_unless_anyone(
    capsys: pytest.CaptureFixture[str], env: tuple[Path, Path]
) -> None:
    ws, data = env
    code, _, _ = wb(
        capsys, "fact", "--plan", TARAZ, "--node", UNEMPLOYMENT, "--year", "2017",
        "--value", "5,2", "--author", "nurlan", ws=ws, data=data,
    )  # fmt: skip
    assert code == 0
    code, out, _ = wb(capsys, "undo", "--author", "aigerim", ws=ws, data=data)
    assert (code, out) == (
        0,
        "nothing of aigerim's to undo (1 edit(s) by others; --anyone undoes the latest of them)\n",
    )
    code, out, _ = wb(capsys, "undo", "--author", "aigerim", "--anyone", ws=ws, data=data)
    assert code == 0 and out.startswith("undone: fact 5,2")
    code, out, _ = wb(capsys, "undo", ws=ws, data=data)
    assert (code, out) == (0, "nothing to undo\n")
