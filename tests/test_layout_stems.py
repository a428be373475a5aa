"""A header cell's role and kind are those of the first vocabulary entry whose stem it holds;
its years and year ranges are where their definitions find them.

``workbench.ingest.layout.tables`` finds them in one pass over the stems (the first stem, in the
vocabulary's order, the case-folded text holds); these tests hold that pass to the definition:
the entries tried in order, each with all its stems.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.dataset.text import fold
from workbench.ingest.layout.tables import _RANGE, _YEAR, _role_of, value_kind
from workbench.ingest.layout.words import COLUMN_ROLES, VALUE_KINDS


def _first_entry(words: tuple[tuple[str, tuple[str, ...]], ...], text: str) -> str | None:
    folded = fold(text)
    for name, stems in words:
        if any(stem in folded for stem in stems):
            return name
    return None


_STEMS = [stem for _, stems in (*COLUMN_ROLES, *VALUE_KINDS) for stem in stems]
# texts made of the vocabulary's stems (in any case), glued or spaced, and a few other words
_PIECES = st.one_of(
    st.sampled_from(_STEMS),
    st.sampled_from(_STEMS).map(str.upper),
    st.sampled_from(_STEMS).map(str.title),
    st.sampled_from(["", " ", "  ", "2017", "жыл", "(мың теңге)", "İ", "ß", "-", "/"]),
    st.text(alphabet="абвгдеёжзиклмнопрстуфхцщыэюяәғқңөұүһі .", max_size=6),
)
_TEXTS = st.lists(_PIECES, max_size=5).map("".join)


@settings(max_examples=400, deadline=None)
@given(_TEXTS)
def test_a_texts_kind_and_role_are_the_first_entrys_holding_a_stem(text: str) -> None:
    assert value_kind(text) == _first_entry(VALUE_KINDS, text)
    assert _role_of(text) == _first_entry(COLUMN_ROLES, text)


def test_a_stem_two_roles_share_names_the_first_and_order_decides() -> None:
    # "ақпарат көзі" (information source) comes before "көзі" could name a funding source
    assert _role_of("Ақпарат көзі") == "info_source"
    assert _role_of("Мақсатты индикатор") == "indicator"
    assert value_kind("2017 жылдың нақты көрсеткіштері") == _first_entry(
        VALUE_KINDS, "2017 жылдың нақты көрсеткіштері"
    )


# the year and range patterns as defined: not after a digit, four digits, not before one
_YEAR_DEFINITION = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")
_RANGE_DEFINITION = re.compile(r"(?<!\d)(20\d\d)\s*[-–—]\s*(20\d\d)(?!\d)")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="0129 -–—.жыл\n٢٠", max_size=24))
def test_years_and_ranges_are_found_where_the_definition_finds_them(text: str) -> None:
    for pattern, definition in ((_YEAR, _YEAR_DEFINITION), (_RANGE, _RANGE_DEFINITION)):
        assert [m.span() for m in pattern.finditer(text)] == [
            m.span() for m in definition.finditer(text)
        ]
        assert pattern.findall(text) == definition.findall(text)
        assert (pattern.fullmatch(text) is None) == (definition.fullmatch(text) is None)
        for start in range(len(text)):
            found, defined = pattern.search(text, start), definition.search(text, start)
            assert (found and found.span()) == (defined and defined.span())
