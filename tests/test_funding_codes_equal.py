"""``funding_codes`` finds exactly what the patterns it was first written as find.

The patterns below are the vocabulary's original ones, kept as the reference: each source was
one pattern tried in order, several of them beginning with a look-behind (an abbreviation such as
``РБ`` not inside a word) or ``\\b``, which the regular expression engine tries at every character.
The vocabulary now looks for plain words as substrings and begins each pattern with its letter;
whatever the text, the codes must be the same, in the same order.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.dataset.text import fold
from workbench.ingest.vocabulary import FUNDING_NAMES, funding_codes

_REFERENCE: tuple[tuple[str, re.Pattern[str]], ...] = (
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
    ("okb", re.compile(r"(?<![а-яёәғқңөұүһі])өкб(?![а-яёәғқңөұүһі])")),
)


def reference_codes(text: str | None) -> list[str]:
    if not text:
        return []
    folded = fold(text)
    return [code for code, pattern in _REFERENCE if pattern.search(folded)]


# Pieces that make or nearly make a source's name, the letters and marks around them (a word's
# edge is what the abbreviations depend on), in both cases.
_PIECES = [
    "РБ", "рб", "ЖБ", "жб", "МБ", "мб", "ОБ", "об", "ӨКБ", "өкб", "ҰҚ", "ұқ", "Ұқ",
    "республика", "Республикалық бюджет", "облыстық", "облустук", "областной", "жергілікті",
    "жергиликтүү", "местный", "инвестор", "демөөрчү", "демеуші", "спонсор", "грант",
    "кредит", "несие", "жеке қаражат", "жеке каражат", "собственные", "частные", "Ұлттық қор",
    "улуттук фонд", "национального фонда", "Национальный  фонд", "талап етілмейді",
    "не требует", "Каржылоо  керек эмес", "каржылоо\tкерек", "каржылоо", "керек",
    "а", "б", "ж", "м", "о", "р", "ұ", "қ", "ө", "к", "і", "ү", "ә", "ё", "Ё", "x", "X", "7",
    "_", " ", "  ", "-", ",", ".", "(", ")", "/", "\n", "\u00a0", "е\u0308", "\u0301",
]  # fmt: skip


@settings(max_examples=2000, deadline=None)
@given(
    st.one_of(
        st.lists(st.sampled_from(_PIECES), max_size=12).map("".join),
        st.text(max_size=40),
        st.text(alphabet="рбжмоөкұқ бБРЖМОӨКҰҚа-_1", max_size=20),
    )
)
def test_funding_codes_are_those_of_the_reference_patterns(text: str) -> None:
    assert funding_codes(text) == reference_codes(text)


def test_funding_codes_of_every_line_of_the_samples_are_those_of_the_reference() -> None:
    sources = Path(__file__).resolve().parent.parent / "data" / "sources"
    lines = [
        cell
        for path in sorted(sources.glob("*.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
        for cell in (line, *line.split("\t"))
    ]
    named = 0
    for text in lines:
        codes = funding_codes(text)
        assert codes == reference_codes(text), text
        named += bool(codes)
    assert named > 100  # the samples name their sources often: the comparison is not idle


def test_each_source_found_as_the_reference_finds_it() -> None:
    for code, names in FUNDING_NAMES.items():
        for name in names.values():
            assert funding_codes(name) == reference_codes(name), (code, name)
    for text in ("РБ", "(РБ)", "РБ-тен", "ЖБ, ОБ", "жбб", "ӨКБ.", "ҰҚ", "ҰҚ-дан", "аҰҚ", "рбк"):
        assert funding_codes(text) == reference_codes(text), text
    assert funding_codes("РБ, ЖБ") == ["republican", "local"]
    assert funding_codes("РБК") == []
