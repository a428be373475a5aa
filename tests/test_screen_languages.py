"""The screen in the analyst's language (issue 18 §1): the main screen, an indicator's detail,
activities, funding, help and the annotation form at 80×24 in Russian, Kazakh and Kyrgyz, as
SVG snapshots and as pilot tests of the words shown. Document text stays as printed.

Update after a deliberate change with ``pytest tests/test_screen_languages.py --snapshot-update``
and look at the report before committing the new SVGs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from minidata import write_mini
from screen_helpers import config_for, go_to, press, screen_text, settle
from textual.pilot import Pilot

from screens.app import WorkbenchApp, make_app
from screens.language import speak

Snap = Callable[..., bool]
DATA = Path(__file__).resolve().parent.parent / "data" / "plans"
AS_OF = date(2026, 8, 15)
LANGUAGES = ("ru", "kk", "ky")


@pytest.fixture(autouse=True)
def _stable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.delenv("WORKBENCH_CONFIG", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("COLORTERM", "truecolor")
    yield
    speak("en")  # the process's language is global: the other tests speak English


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_mini(tmp_path_factory.mktemp("lang") / "plans")


def app_in(lang: str, folder: Path, workspace: Path | None = None) -> WorkbenchApp:
    made = make_app(config_for(folder, author="analyst"), folder, workspace=workspace, lang=lang)
    made.drill_source.as_of = AS_OF  # type: ignore[attr-defined]
    return made


def at(title: str | None, *keys: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run_before(pilot: Pilot[Any]) -> None:
        from screens.drill.activities import ActivitiesScreen

        await settle(pilot)
        if title is not None:
            await go_to(pilot, title)
        await press(pilot, *keys)
        await settle(pilot)
        if isinstance(pilot.app.screen, ActivitiesScreen):
            pilot.app.screen.flush_detail()
        await pilot.pause()

    return run_before


def _form(pilot_keys: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run(pilot: Pilot[Any]) -> None:
        await at("Жол-көлік оқиғаларын азайту", "a")(pilot)
        for key in pilot_keys:
            await pilot.press(key if key != " " else "space")
        await settle(pilot)

    return run


@pytest.mark.parametrize("lang", LANGUAGES)
def test_main_80x24(snap_compare: Snap, mini: Path, lang: str) -> None:
    assert snap_compare(app_in(lang, mini), terminal_size=(80, 24), run_before=at(None))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_detail_80x24(snap_compare: Snap, mini: Path, lang: str) -> None:
    run = at("Ичүүчү суу менен камсыз болгон", "enter")
    assert snap_compare(app_in(lang, mini), terminal_size=(80, 24), run_before=run)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_help_80x24(snap_compare: Snap, mini: Path, lang: str) -> None:
    run = at(None, "question_mark")
    assert snap_compare(app_in(lang, mini), terminal_size=(80, 24), run_before=run)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_activities_80x24(snap_compare: Snap, lang: str) -> None:
    run = at("Таш-Көмүр шаардык мэриясынын", "A")
    assert snap_compare(app_in(lang, DATA), terminal_size=(80, 24), run_before=run)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_funding_80x24(snap_compare: Snap, lang: str) -> None:
    run = at("Тараз қаласы әкімдігінің ішкі", "F")
    assert snap_compare(app_in(lang, DATA), terminal_size=(80, 24), run_before=run)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_annotation_form_80x24(snap_compare: Snap, mini: Path, tmp_path: Path, lang: str) -> None:
    made = app_in(lang, mini, workspace=tmp_path / "ws.sqlite3")
    assert snap_compare(made, terminal_size=(80, 24), run_before=_form("roads"))


# -- pilot tests: the words on the screen --------------------------------------------------

FOOTER = {
    "ru": ("фильтр", "откл", "справка", "выход"),
    "kk": ("сүзгі", "ауыт.", "көмек", "шығу"),
    "ky": ("чыпка", "четт.", "жардам", "чыгуу"),
}


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_the_main_screen_speaks_the_language(mini: Path, lang: str) -> None:
    app = app_in(lang, mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        footer = text.splitlines()[-1]
        for word in FOOTER[lang]:
            assert word in footer
        assert " filter " not in footer and " quit" not in footer
        # Document text is never translated.
        assert "Кара-Балта" in text


async def test_english_comes_back_after_another_language(mini: Path) -> None:
    app_in("kk", mini)
    app = app_in("en", mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        footer = screen_text(app).splitlines()[-1]
        assert "filter" in footer and "сүзгі" not in footer
