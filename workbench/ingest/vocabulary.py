"""One small vocabulary of funding sources shared by every document and city.

Documents name the same source many ways (``ЖБ``, ``жергиликтүү бюджет``, ``жергілікті бюджет``,
``местный бюджет``); each becomes one canonical code so that a user can filter "everything the local
budget pays for" across cities. Each code has its name in every language.
"""

from __future__ import annotations

import re

from workbench.ingest.text import fold

# code -> names by language (kk, ky, ru)
FUNDING_NAMES: dict[str, dict[str, str]] = {
    "republican": {
        "kk": "республикалық бюджет",
        "ky": "республикалык бюджет",
        "ru": "республиканский бюджет",
    },
    "national_fund": {"kk": "Ұлттық қор", "ky": "Улуттук фонд", "ru": "Национальный фонд"},
    "oblast": {"kk": "облыстық бюджет", "ky": "облустук бюджет", "ru": "областной бюджет"},
    "local": {"kk": "жергілікті бюджет", "ky": "жергиликтүү бюджет", "ru": "местный бюджет"},
    "investor": {"kk": "инвестор қаражаты", "ky": "инвестор каражаты", "ru": "средства инвестора"},
    "sponsor": {"kk": "демеуші қаражаты", "ky": "демөөрчү каражаты", "ru": "средства спонсора"},
    "grant": {"kk": "грант", "ky": "грант", "ru": "грант"},
    "credit": {"kk": "несие", "ky": "кредит", "ru": "кредит"},
    "private": {"kk": "жеке қаражат", "ky": "жеке каражат", "ru": "частные средства"},
    "other": {"kk": "басқа көздер", "ky": "башка булактар", "ru": "другие источники"},
    "none": {
        "kk": "қаржыландыру талап етілмейді",
        "ky": "каржылоо талап кылынбайт",
        "ru": "не требует финансирования",
    },
}

# Patterns over case-folded text, tried in order; a text may name several sources.
_FUNDING_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("none", re.compile(r"каржылоо\s+керек\w*\s*\w*|талап етілмейді|не требует")),
    ("republican", re.compile(r"(?<![а-яёәғқңөұүһі])рб(?![а-яёәғқңөұүһі])|республика")),
    ("national_fund", re.compile(r"ұлттық қор|улуттук фонд|национальн\w* фонд|\bұқ\b")),
    ("oblast", re.compile(r"облыст|облуст|областн|(?<![а-яёәғқңөұүһі])об(?![а-яёәғқңөұүһі])")),
    (
        "local",
        re.compile(
            r"(?<![а-яёәғқңөұүһі])(?:жб|мб)(?![а-яёәғқңөұүһі])|жергілікті|жергиликтүү|местн"
        ),
    ),
    ("investor", re.compile(r"инвест")),
    ("sponsor", re.compile(r"демөөрчү|демеуші|спонсор")),
    ("grant", re.compile(r"грант")),
    ("credit", re.compile(r"кредит|несие")),
    ("private", re.compile(r"жеке қаражат|жеке каражат|собственн|частн")),
)


def funding_codes(text: str | None) -> list[str]:
    """The canonical funding codes a printed source names, in a fixed order; [] when none."""
    if not text:
        return []
    folded = fold(text)
    return [code for code, pattern in _FUNDING_PATTERNS if pattern.search(folded)]


def funding_name(code: str, language: str) -> str:
    """The name of a funding code in a language (kk, ky or ru); the code itself when unknown."""
    return FUNDING_NAMES.get(code, {}).get(language, code)
