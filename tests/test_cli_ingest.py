"""`workbench ingest` as a user meets it: bad input gets one clean line and a non-zero exit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def run_workbench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workbench.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("picture.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary"),
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"\n\n   \n", "empty"),
        (
            "letter.txt",
            "Құрметті әріптестер!\nЕртең жиналыс болады.\nРахмет.\n".encode(),
            "not a plan document",
        ),
        ("recipe.txt", b"Flour 200 g\nSugar 100 g\n\tMix\t10 min\n", "not a plan document"),
    ],
)
def test_unreadable_input_is_one_line_naming_file_and_reason(
    tmp_path: Path, name: str, data: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    out = tmp_path / "plans"
    result = run_workbench("ingest", str(path), "--out", str(out))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    errors = [line for line in result.stderr.splitlines() if str(path) in line]
    assert len(errors) == 1, result.stderr
    assert reason in errors[0]
    assert not out.exists(), "nothing may be written when an input cannot be read"


def test_missing_file_and_folder(tmp_path: Path) -> None:
    result = run_workbench("ingest", str(tmp_path / "nope.txt"), "--out", str(tmp_path / "o"))
    assert result.returncode != 0
    assert "no such file" in result.stderr
    result = run_workbench("ingest", str(tmp_path), "--out", str(tmp_path / "o"))
    assert result.returncode != 0
    assert "is a folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_plans_of_a_missing_dataset_is_a_clean_error(tmp_path: Path) -> None:
    result = run_workbench("plans", str(tmp_path / "none"))
    assert result.returncode == 1
    assert "no dataset here" in result.stderr
    assert "Traceback" not in result.stderr
