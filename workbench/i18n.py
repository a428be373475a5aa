"""The analyst's language: which one, and the messages in it (stdlib gettext, no Textual).

The language is ``--lang`` (every command), else ``config.toml [ui] lang``, else the locale
(``LC_ALL``, ``LC_MESSAGES``, ``LANG``: ``ru_*``, ``kk_*``, ``ky_*``), else English. The
catalogues are ``workbench/locales/<lang>/LC_MESSAGES/workbench.po``, compiled to ``.mo`` by
``scripts/i18n`` (Babel) and shipped with the package. Document text is never passed through
:func:`_`: only the interface's own words are.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping
from pathlib import Path

from workbench.errors import WorkbenchError

LOCALES = Path(__file__).resolve().parent / "locales"
DOMAIN = "workbench"
LANGUAGES = ("en", "ru", "kk", "ky")

_current: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


class LanguageError(WorkbenchError):
    """A language the workbench has no catalogue for."""


def check_language(value: str) -> str:
    """``value`` as a known language code, else a one-line error listing the known ones."""
    code = value.strip().lower()
    if code not in LANGUAGES:
        raise LanguageError(f"unknown language {value!r} (known: {', '.join(LANGUAGES)})")
    return code


def from_locale(environ: Mapping[str, str] | None = None) -> str | None:
    """The language the locale names (the first of LC_ALL, LC_MESSAGES, LANG that is set)."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:
            code = value.split(".")[0].split("@")[0].split("_")[0].lower()
            return code if code in LANGUAGES else None
    return None


def resolve(
    given: str | None,
    configured: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> str:
    """The language to speak: the one given, else the configured one, else the locale's."""
    if given:
        return check_language(given)
    if configured:
        return check_language(configured)
    return from_locale(environ) or "en"


def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalogue of ``language`` (English is the messages as written)."""
    if language == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, localedir=LOCALES, languages=[language], fallback=True)


def use(language: str) -> None:
    """Speak ``language`` from now on (the process has one analyst, hence one language)."""
    global _current, _language
    _language = check_language(language)
    _current = translations(_language)
    _speak_to_argparse(_language)


def _speak_to_argparse(language: str) -> None:
    """argparse words ``usage:``, ``options`` and its errors with gettext's global domain, in
    the language the environment's ``LANGUAGE`` names (see :mod:`workbench.argparse_words`):
    point that domain at our catalogues and name the chosen language there."""
    gettext.bindtextdomain(DOMAIN, str(LOCALES))
    gettext.textdomain(DOMAIN)
    os.environ["LANGUAGE"] = language


def language() -> str:
    return _language


def _(message: str) -> str:
    """``message`` in the current language (the English text when it has no translation)."""
    return _current.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _current.ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Mark ``message`` for extraction only: it is translated where it is shown."""
    return message
