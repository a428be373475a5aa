"""config.toml: found, read and validated strictly."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.config import PROJECT_ROOT, ConfigError, load_config


def test_bundled_config_is_valid() -> None:
    config = load_config(PROJECT_ROOT / "config.toml")
    assert config.data == PROJECT_ROOT / "data" / "plans"
    assert (config.met, config.amber) == (1.0, 0.9)
    assert "funding delayed" in config.categories


def test_relative_paths_are_relative_to_the_file(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[paths]\ndata = "mine"\n[status]\namber = 0.8\n', encoding="utf-8")
    config = load_config(path)
    assert config.data == tmp_path / "mine"
    assert config.amber == 0.8


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("[paths\n", "not valid TOML"),
        ("[colours]\nx = 1\n", "unknown section [colours]"),
        ("[paths]\ndatta = 'x'\n", "unknown key paths.datta"),
        ("[status]\namber = 'high'\n", "status.amber has the wrong type"),
        ("[status]\namber = 1.5\n", "status.amber must be"),
        ("[ui]\ntheme = 'pink'\n", "ui.theme"),
        ("[keys]\nquit = 5\n", "keys.quit"),
        ("[annotations]\ncategories = []\n", "annotations.categories"),
    ],
)
def test_bad_config_is_refused_naming_file_and_key(tmp_path: Path, text: str, needle: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(path) in str(info.value)
    assert needle in str(info.value)


def test_missing_config_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such config file"):
        load_config(tmp_path / "none.toml")
