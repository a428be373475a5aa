"""An annotation's text has a size limit, checked in the one core check every door uses: the
command line, the screen's form (through the workspace) and the store (issue 17, item 12)."""

from __future__ import annotations

from pathlib import Path

import pytest
from minidata import TARAZ as MINI_TARAZ
from minidata import write_mini
from screen_helpers import config_for, go_to, press, screen_text, settle
from textual.widgets import Input
from workspace_data import GOAL, TARAZ
from workspace_data import write as write_data

from screens.app import make_app
from screens.forms.annotation import AnnotationForm
from workbench.cli import main
from workbench.config import ConfigError, load_config
from workbench.dataset import parquet_folder
from workbench.errors import ValidationError
from workbench.workspace import store
from workbench.workspace.edit_checks import check_text

LIMIT_MESSAGE = "the annotation is 10 001 characters long; the limit is 10 000"


def test_the_text_check_says_the_length_and_the_limit() -> None:
    assert check_text("x" * 10_000) == "x" * 10_000
    assert check_text("  x  ", 1) == "x"  # the text as saved, without the spaces around it
    with pytest.raises(ValidationError) as caught:
        check_text("x" * 10_001)
    assert str(caught.value) == (f"{LIMIT_MESSAGE} (config.toml [annotations] max_length)")


@pytest.fixture
def env(tmp_path: Path) -> tuple[Path, Path]:
    return tmp_path / "ws.sqlite3", write_data(tmp_path / "data")


def test_the_command_line_refuses_a_long_annotation(
    capsys: pytest.CaptureFixture[str], env: tuple[Path, Path]
) -> None:
    ws, data = env
    where = ["--workspace", str(ws), "--data", str(data)]
    code = main(["annotate", "--plan", TARAZ, "--node", GOAL, "--text", "x" * 10_001, *where])
    assert code == 1 and LIMIT_MESSAGE in capsys.readouterr().err
    assert not ws.exists()
    assert main(["annotate", "--plan", TARAZ, "--node", GOAL, "--text", "short", *where]) == 0
    code = main(["annotate", "--edit", "1", "--text", "y" * 10_001, *where])
    assert code == 1 and "10 001 characters long" in capsys.readouterr().err
    with store.open_workspace(ws) as opened:
        assert [n.text for n in opened.annotations()] == ["short"]
        assert len(opened.annotation_history(1)) == 1


def test_the_limit_comes_from_config(
    capsys: pytest.CaptureFixture[str], env: tuple[Path, Path], tmp_path: Path
) -> None:
    ws, data = env
    config = tmp_path / "config.toml"
    config.write_text("[annotations]\nmax_length = 5\n", encoding="utf-8")
    assert load_config(config).annotation_max_length == 5
    where = ["--config", str(config), "--workspace", str(ws), "--data", str(data)]
    code = main([*where, "annotate", "--plan", TARAZ, "--node", GOAL, "--text", "123456"])
    err = capsys.readouterr().err
    assert code == 1 and "6 characters long; the limit is 5" in err
    assert main([*where, "annotate", "--plan", TARAZ, "--node", GOAL, "--text", "12345"]) == 0
    # The workspace a config opens keeps its limit for every edit (the screen saves this way).
    with store.open_for(
        load_config(config), workspace=ws, dataset=parquet_folder.read(data)
    ) as opened:
        with pytest.raises(ValidationError, match="6 characters long"):
            opened.annotate(TARAZ, GOAL, None, "123456")
        with pytest.raises(ValidationError, match="6 characters long"):
            opened.edit_annotation(1, text="123456")
    for bad in ("0", "-3", '"long"', "1.5"):
        config.write_text(f"[annotations]\nmax_length = {bad}\n", encoding="utf-8")
        with pytest.raises(ConfigError, match="max_length"):
            load_config(config)


async def test_the_screen_form_refuses_a_long_annotation_and_keeps_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("WORKBENCH_CONFIG", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    mini = write_mini(tmp_path / "plans")
    ws_path = tmp_path / "work" / "ws.sqlite3"
    app = make_app(config_for(mini), mini, workspace=ws_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go_to(pilot, "Жол-көлік оқиғаларын азайту")
        await press(pilot, "a")
        form = app.screen
        assert isinstance(form, AnnotationForm)
        text = form.query_one("#ann-text", Input)
        text.value = "ы" * 10_001
        await pilot.pause()
        await press(pilot, "enter")
        assert isinstance(app.screen, AnnotationForm)  # refused in the form, the text kept
        assert "10 001 characters long" in screen_text(app)
        assert text.value == "ы" * 10_001
    if ws_path.exists():
        with store.open_workspace(ws_path) as opened:
            assert opened.annotations(plan_id=MINI_TARAZ) == []
