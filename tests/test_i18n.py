"""The analyst's language (issue 18 §1): the catalogues are complete and compiled, the
language is chosen by --lang, config.toml, the locale, and the commands speak it."""

from __future__ import annotations

import ast
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from workbench import i18n
from workbench.cli import choose_language, main

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "workbench" / "locales"
TRANSLATED = ("ru", "kk", "ky")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
_FIELDS = re.compile(r"\{[^}]*\}")


def _catalogue(lang: str):  # type: ignore[no-untyped-def]
    with (LOCALES / lang / "LC_MESSAGES" / "workbench.po").open("rb") as f:
        return read_po(f, locale=lang)


def _messages_in_code() -> set[str | tuple[str, ...]]:
    found: set[str | tuple[str, ...]] = set()
    for folder in ("workbench", "screens"):
        for _name, _line, message, _comments, _context in extract_from_dir(
            ROOT / folder, keywords=KEYWORDS
        ):
            found.add(message if isinstance(message, str) else tuple(message))
    return found


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_of_the_code_has_a_translation(lang: str) -> None:
    catalogue = _catalogue(lang)
    strings = {
        (m.id if isinstance(m.id, str) else tuple(m.id)): m.string for m in catalogue if m.id
    }
    code = _messages_in_code()
    assert len(code) > 100
    missing = sorted(str(m) for m in code if m not in strings)
    assert missing == [], f"run scripts/i18n: not in {lang}'s catalogue: {missing[:5]}"
    empty = sorted(
        str(key)
        for key, value in strings.items()
        if key in code and (not value or (isinstance(value, tuple) and not all(value)))
    )
    assert empty == [], f"untranslated in {lang}: {empty[:5]}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_keep_every_placeholder(lang: str) -> None:
    """A translation with a lost or misspelt ``{name}`` raises KeyError where it is shown; a
    lost ``%%`` breaks argparse's help."""
    for message in _catalogue(lang):
        if not message.id:
            continue
        source = message.id if isinstance(message.id, str) else message.id[-1]
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        for text in strings:
            assert set(_FIELDS.findall(text)) == set(_FIELDS.findall(source)), (lang, source)
            assert text.count("%%") == source.count("%%"), (lang, source)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_committed_mo_files_are_a_fresh_compile_of_the_po_files(lang: str) -> None:
    fresh = io.BytesIO()
    write_mo(fresh, _catalogue(lang))
    committed = (LOCALES / lang / "LC_MESSAGES" / "workbench.mo").read_bytes()
    assert committed == fresh.getvalue(), "run scripts/i18n to compile the catalogues"


def test_kazakh_and_kyrgyz_are_written_in_their_own_letters() -> None:
    def text(lang: str) -> str:
        return " ".join(
            s if isinstance(s, str) else " ".join(s) for s in (m.string for m in _catalogue(lang))
        )

    kazakh, kyrgyz = text("kk"), text("ky")
    assert all(letter in kazakh for letter in "әғқңөұүі")
    assert all(letter in kyrgyz for letter in "ңөү")
    # Letters of Kazakh that Kyrgyz does not have: a Kazakh word left in the Kyrgyz catalogue.
    assert not set("әғқұһі") & set(kyrgyz.lower())


def test_the_language_is_given_then_configured_then_the_locale_then_english(
    tmp_path: Path,
) -> None:
    assert i18n.resolve("KK", "ru", {"LANG": "ky_KG.UTF-8"}) == "kk"
    assert i18n.resolve(None, "ru", {"LANG": "ky_KG.UTF-8"}) == "ru"
    assert i18n.resolve(None, None, {"LANG": "ky_KG.UTF-8"}) == "ky"
    assert i18n.resolve(None, None, {"LC_ALL": "kk_KZ.UTF-8", "LANG": "ru_RU.UTF-8"}) == "kk"
    assert i18n.resolve(None, None, {"LC_MESSAGES": "ru_RU", "LANG": "C.UTF-8"}) == "ru"
    assert i18n.resolve(None, None, {"LANG": "de_DE.UTF-8"}) == "en"
    assert i18n.resolve(None, None, {}) == "en"
    config = tmp_path / "config.toml"
    config.write_text('[ui]\nlang = "ky"\n', encoding="utf-8")
    assert choose_language(["--config", str(config), "plans"]) == "ky"
    assert choose_language(["--config", str(config), "plans", "--lang", "ru"]) == "ru"
    assert choose_language(["--config", str(config), "--lang=kk", "plans"]) == "kk"


def test_a_config_with_an_unknown_language_is_refused(tmp_path: Path) -> None:
    from workbench.config import ConfigError, load_config

    config = tmp_path / "config.toml"
    config.write_text('[ui]\nlang = "de"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape("ui.lang must be one of en, ru, kk, ky")):
        load_config(config)


def test_an_unknown_lang_is_one_line_listing_the_known_ones() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "workbench.cli", "--lang", "de", "plans"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == "workbench: unknown language 'de' (known: en, ru, kk, ky)\n"


@pytest.mark.parametrize(
    ("lang", "heading", "status"),
    [
        ("ru", "Отчёт Plan Workbench", "выполнено"),
        ("kk", "Plan Workbench есебі", "орындалды"),
        ("ky", "Plan Workbench отчету", "аткарылды"),
        ("en", "Plan Workbench report", "met"),
    ],
)
def test_the_report_speaks_the_chosen_language(
    lang: str, heading: str, status: str, capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        assert main(["report", "--city", "Taraz", "--lang", lang]) == 0
    finally:
        i18n.use("en")
    out = capsys.readouterr().out
    first = out.splitlines()[0]
    assert first.startswith(heading) and status in first
    # Document text is never translated: the plan's own title is as printed.
    assert "Тараз қаласын дамытудың" in out


def test_machine_outputs_stay_as_they_are(capsys: pytest.CaptureFixture[str]) -> None:
    try:
        assert main(["--lang", "ru", "report", "--city", "Taraz", "--format", "csv"]) == 0
    finally:
        i18n.use("en")
    header = capsys.readouterr().out.splitlines()[0]
    assert header.startswith("plan_id,") and "status" in header.split(",")


def test_the_help_is_translated(capsys: pytest.CaptureFixture[str]) -> None:
    try:
        with pytest.raises(SystemExit):
            main(["--lang", "kk", "snapshot", "--help"])
    finally:
        i18n.use("en")
    assert "көшірмелерді жасау" in capsys.readouterr().out


@pytest.mark.parametrize("command", [[], ["report"], ["import"], ["snapshot", "import"]])
def test_the_help_has_no_english_left(
    capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    """argparse's own words (usage, options, -h) and every option's help are in the language."""
    try:
        with pytest.raises(SystemExit):
            main(["--lang", "kk", *command, "--help"])
    finally:
        i18n.use("en")
    out = capsys.readouterr().out
    for english in (
        "usage:",
        "options:",
        "positional arguments",
        "show this help",
        " the ",
        " of ",
    ):
        assert english not in out, (english, out)
    assert out.startswith("қолданылуы: workbench")


def test_argparse_errors_speak_the_language(capsys: pytest.CaptureFixture[str]) -> None:
    try:
        with pytest.raises(SystemExit):
            main(["--lang", "ru", "report", "--format", "nope"])
        ru = capsys.readouterr().err
        with pytest.raises(SystemExit):
            main(["--lang", "en", "report", "--format", "nope"])
        en = capsys.readouterr().err
    finally:
        i18n.use("en")
    assert "ошибка: аргумент --format: недопустимый выбор: 'nope'" in ru
    # The environment's language does not leak into a run told another one.
    assert "error: argument --format: invalid choice: 'nope'" in en


def test_argparse_words_are_the_ones_this_python_prints() -> None:
    """The listed words must be argparse's own, letter for letter, or they are never looked up
    (a Python release that rewords one shows up here)."""
    import argparse
    import inspect

    from workbench.argparse_words import WORDS

    source = inspect.getsource(argparse)
    for word in WORDS:
        assert repr(word) in source or f'"{word}"' in source, word


def _literal_text(node: ast.expr) -> bool:
    """A string written in the code (not passed through ``_``) holding words."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = "".join(
            part.value
            for part in node.values
            if isinstance(part, ast.Constant) and isinstance(part.value, str)
        )
    else:
        return False
    return sum(word.isalpha() and word.isascii() for word in text.split()) >= 1 and any(
        len(word) > 2 and word.isalpha() and word.isascii() for word in text.split()
    )


def test_the_screens_show_no_untranslated_words() -> None:
    """Toasts, placeholders, picker and prompt titles, border titles and worker names (a failed
    worker is named in a toast) go through the catalogue."""
    found = []
    for path in sorted((ROOT / "screens").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            shown: list[ast.expr] = []
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in ("notify", "PickerScreen", "PromptScreen", "show_message") and node.args:
                    shown.append(node.args[0])
                shown += [k.value for k in node.keywords if k.arg in ("placeholder", "name")]
            elif isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Attribute) and t.attr in ("border_title", "border_subtitle")
                for t in node.targets
            ):
                shown.append(node.value)
            found += [f"{path.name}:{each.lineno}" for each in shown if _literal_text(each)]
    assert found == [], found


def test_a_refused_edit_is_explained_in_the_language() -> None:
    """What the fact and annotation forms (and the CLI) say when they refuse input."""
    from workbench.errors import ValidationError
    from workbench.workspace.edit_checks import check_text, parse_date, parse_fact_value

    try:
        i18n.use("kk")
        with pytest.raises(ValidationError, match="сан емес"):
            parse_fact_value("көп", "%")
        i18n.use("ru")
        with pytest.raises(ValidationError, match=r"^не дата: '31-12-2026'"):
            parse_date("31-12-2026")
        with pytest.raises(ValidationError, match="предел 10"):
            check_text("x" * 11, max_length=10)
    finally:
        i18n.use("en")
    with pytest.raises(ValidationError, match=r"^not a date"):
        parse_date("31-12-2026")


def test_no_word_mixes_latin_and_cyrillic_letters() -> None:
    """A Latin letter typed inside a Cyrillic word (e, a, o, p, c look alike) breaks search and
    reads oddly; the catalogues hold none."""
    for lang in TRANSLATED:
        for message in _catalogue(lang):
            strings = [message.string] if isinstance(message.string, str) else message.string
            for text in strings:
                for word in re.findall(r"\w+", text or ""):
                    mixed = re.search(r"[а-яёәғқңөұүһі]", word, re.I) and re.search(
                        r"[a-z]", word, re.I
                    )
                    assert not mixed, (lang, word, message.id)


def test_form_labels_fit_their_column_in_every_language() -> None:
    """A form's labels stand in a column of 11 letters and a space (screens/widgets/form.py):
    a longer translation runs into its field ("ТүсініктемеЖаңа түсініктеме")."""
    labels = set()
    for path in (ROOT / "screens").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", "") == "row"
                and node.args
                and isinstance(node.args[0], ast.Call)
                and isinstance(node.args[0].args[0], ast.Constant)
            ):
                labels.add(node.args[0].args[0].value)
    assert {"Note", "Year", "Fact"} <= labels
    from screens.widgets.form import FormScreen

    found = re.search(
        r"\.form-label \{ width: (\d+); padding: 0 (\d+) 0 0;", FormScreen.DEFAULT_CSS
    )
    assert found, "the label column's width and its right padding (the gap before the field)"
    width, gap = int(found.group(1)), int(found.group(2))
    assert gap >= 1
    for lang in TRANSLATED:
        catalogue = _catalogue(lang)
        for label in labels:
            shown = catalogue.get(label).string or label
            assert len(shown) <= width - gap, (lang, label, shown)


def test_the_reports_value_words_are_in_the_language(capsys: pytest.CaptureFixture[str]) -> None:
    """ "2017: план 100,6, факт 103,8": the kinds of a value as the screen names them."""
    try:
        assert main(["--lang", "ru", "report", "--city", "Taraz"]) == 0
    finally:
        i18n.use("en")
    out = capsys.readouterr().out
    assert "2017: план 100,6, факт 103,8" in out
    assert ": plan " not in out and ", fact " not in out
