"""clean()'s quick paths give what its general path (entities decoded, escape sequences and
control characters removed, spaces collapsed, ends trimmed) gives, for any text."""

from __future__ import annotations

import html

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.dataset.text import _ANSI, _CONTROL, _SPACES, clean, single_spaced


def _general(text: str) -> str:
    text = html.unescape(text)
    text = _ANSI.sub("", text)
    text = _CONTROL.sub("", text.replace("\n", " "))
    return _SPACES.sub(" ", text).strip()


_PIECES = st.one_of(
    st.sampled_from([" ", "  ", "   ", "\t", "\n", " \n ", "\u00a0", "\u2009", "\u3000", "\x01"]),
    st.sampled_from(["&amp;", "&lt;", "\x1b[31m", "\u200b", "\x85", "\u2028", "İ", "."]),
    st.text(alphabet="абвгқңөұүәі abc123", max_size=8),
)
_TEXTS = st.lists(_PIECES, max_size=12).map("".join)


@settings(max_examples=600, deadline=None)
@given(_TEXTS)
def test_clean_is_its_general_path(text: str) -> None:
    assert clean(text) == _general(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([" ", "  ", "     ", "сөз", "a.b", "1"]), max_size=20).map("".join))
def test_single_spaced_is_the_words_joined_by_one_space(text: str) -> None:
    assert single_spaced(text) == " ".join(text.split())
