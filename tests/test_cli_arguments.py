"""Hostile command-line arguments end in one line and an exit code, never a traceback, and
never a silent default (issue 17, items 3, 4 and 8)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from workspace_data import GOAL, KB, KB_INDICATOR, TARAZ, UNEMPLOYMENT
from workspace_data import write as write_data

from workbench.cli import main
from workbench.errors import ValidationError, WorkspaceError
from workbench.workspace.edit_checks import parse_annotation_number, parse_year
from workbench.workspace.store import resolve_path

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def env(tmp_path: Path) -> tuple[Path, Path]:
    return tmp_path / "ws.sqlite3", write_data(tmp_path / "data")


def run(
    capsys: pytest.CaptureFixture[str], *args: str, ws: Path, data: Path
) -> tuple[int, str, str]:
    code = main([*args, "--workspace", str(ws), "--data", str(data)])
    out, err = capsys.readouterr()
    return code, out, err


# ------------------------------------------------------------------ item 3: years and numbers

NOT_ASCII_DIGITS = ["²", "٢٠١٧", "２０１７", "2017²", "₂₀₁₇", "߂߀߁߇"]


@pytest.mark.parametrize("text", NOT_ASCII_DIGITS)
def test_a_year_is_four_ascii_digits(text: str) -> None:
    with pytest.raises(ValidationError, match="is not a year"):
        parse_year(text)


@pytest.mark.parametrize(
    "text",
    ["1899", "2201", "0", "99999999999999999999999", "1" * 5000],  # past int()'s 4 300 digits
    ids=["1899", "2201", "0", "23 digits", "5000 digits"],
)
def test_a_year_out_of_range_is_refused(text: str) -> None:
    with pytest.raises(ValidationError, match="not a plausible year"):
        parse_year(text)


def test_a_year_is_read() -> None:
    assert parse_year(" 2017 ") == 2017
    assert parse_year("") is None
    assert parse_year(2020) == 2020


@pytest.mark.parametrize("text", ["²", "#²", "١٢", "-1", "1.0", "", "#"])
def test_an_annotation_number_is_ascii_digits(text: str) -> None:
    with pytest.raises(ValidationError, match="expected an annotation number"):
        parse_annotation_number(text)


@pytest.mark.parametrize("text", ["0", "9223372036854775808", "99999999999999999999999"])
def test_an_annotation_number_past_sqlite_integers_is_refused(text: str) -> None:
    with pytest.raises(ValidationError, match="no annotation #"):
        parse_annotation_number(text)
    assert parse_annotation_number("#12") == 12
    assert parse_annotation_number("9223372036854775807") == 2**63 - 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["annotate", "--plan", TARAZ, "--node", GOAL, "--year", "²", "--text", "x"], "not a year"),
        (["annotate", "--plan", TARAZ, "--node", GOAL, "--year", "٢٠١٧", "--text", "x"], "year"),
        (["fact", "--plan", TARAZ, "--node", UNEMPLOYMENT, "--year", "²", "--value", "5"], "year"),
        (["annotate", "--edit", "²", "--text", "x"], "expected an annotation number"),
        (["annotate", "--edit", "99999999999999999999999", "--text", "x"], "no annotation #"),
        (["annotate", "--edit", "9223372036854775808", "--state", "resolved"], "no annotation #"),
        (["report", "--year", "²"], "not a year"),
        (["report", "--year", "١٢"], "not a year"),  # int() read this as 12
        (["report", "--view", "funding", "--year", "3000"], "not a plausible year"),
        (["report", "--view", "activities", "--as-of", "٢٠٢٦-01-01"], "not a date"),
    ],
)
def test_bad_numbers_on_the_command_line_are_one_line(
    capsys: pytest.CaptureFixture[str],
    env: tuple[Path, Path],
    args: list[str],
    message: str,
) -> None:
    ws, data = env
    assert (
        run(capsys, "annotate", "--plan", TARAZ, "--node", GOAL, "--text", "a", ws=ws, data=data)[0]
        == 0
    )
    code, out, err = run(capsys, *args, ws=ws, data=data)
    assert (code, out) == (1, "")
    assert err.count("\n") == 1 and err.startswith("workbench: ") and message in err, err


def test_store_refuses_an_annotation_number_sqlite_cannot_hold(env: tuple[Path, Path]) -> None:
    from workbench.dataset import parquet_folder
    from workbench.workspace import store

    ws_path, data = env
    with (
        store.open_workspace(ws_path, dataset=parquet_folder.read(data)) as ws,
        pytest.raises(ValidationError, match="no annotation #"),
    ):
        ws.edit_annotation(10**23, text="x")


# ------------------------------------------------------------------ item 4: text not UTF-8

CP1251 = b"\xcf\xf0\xe8\xe2\xe5\xf2"  # "Привет" typed in a CP1251 terminal


def _process(args: list[bytes], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_DATA_HOME": str(cwd / "xdg")}
    return subprocess.run(
        [os.fsencode(sys.executable), b"-m", b"workbench.cli", *args],
        capture_output=True, cwd=cwd, env=env, check=False,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("args", "name"),
    [
        ([b"annotate", b"--plan", TARAZ.encode(), b"--node", GOAL.encode(), b"--text", CP1251],
         "--text"),
        ([b"annotate", b"--plan", TARAZ.encode(), b"--node", GOAL.encode(), b"--text", b"ok",
          b"--author", CP1251], "--author"),
        ([b"snapshot", b"create", CP1251], "NAME"),
        ([b"snapshot", b"create", b"ok", b"--author", CP1251], "--author"),
        ([b"fact", b"--plan", KB.encode(), b"--node", KB_INDICATOR.encode(), b"--year", b"2024",
          b"--value", b"5 " + CP1251], "--value"),
        ([b"report", b"--view", b"activities", b"--text", CP1251], "--text"),
    ],
)  # fmt: skip
def test_text_that_is_not_utf8_names_the_argument(
    env: tuple[Path, Path], tmp_path: Path, args: list[bytes], name: str
) -> None:
    ws, data = env
    done = _process(
        [*args, b"--workspace", os.fsencode(ws), b"--data", os.fsencode(data)], tmp_path
    )
    err = done.stderr.decode()
    assert done.returncode == 2 and done.stdout == b"", err
    typed = next(arg for arg in args if CP1251 in arg)
    assert err.splitlines() == [
        f"workbench: argument {name} is not valid UTF-8 (bytes {typed!r}): "
        "set the terminal to UTF-8 and type it again"
    ]
    assert not ws.exists()


# ------------------------------------------------------------------ item 8: an empty path


@pytest.mark.parametrize("empty", ["", "   "])
@pytest.mark.parametrize(
    "args",
    [
        ["annotate", "--plan", TARAZ, "--node", GOAL, "--text", "x"],
        ["fact", "--plan", TARAZ, "--node", UNEMPLOYMENT, "--year", "2017", "--value", "5"],
        ["undo"],
        ["annotations"],
        ["snapshot", "create", "s"],
        ["snapshot", "list"],
        ["report"],
        ["report", "--view", "activities"],
    ],
)
def test_an_empty_workspace_path_is_an_error_not_the_personal_workspace(
    capsys: pytest.CaptureFixture[str],
    env: tuple[Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    empty: str,
) -> None:
    _, data = env
    home = tmp_path / "xdg"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    personal = resolve_path(None, None)
    assert personal.is_relative_to(home)
    code = main([*args, "--data", str(data), "--workspace", empty])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err == (
        "workbench: argument --workspace is empty: give a path "
        "(or leave the option out for the default)\n"
    )
    assert not home.exists()  # nothing written to the user's own workspace


def test_an_empty_path_for_the_screen_or_the_data_is_an_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    for args in (["--workspace", ""], ["--data", " "], ["plans", ""], ["--config", ""]):
        assert main(args) == 2
        assert "is empty: give a path" in capsys.readouterr().err
    for empty in ("", "  "):
        with pytest.raises(WorkspaceError, match="workspace path is empty"):
            resolve_path(empty)
