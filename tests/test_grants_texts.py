"""The texts of a grant's cells: plain text without tags, and pieces a page break cut apart.

``_plain`` skips ``clean``'s substitutions for text that has no entity and no character but
printable ones (the spaces a tag left are collapsed directly); it must give what ``clean`` gives.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.dataset.text import clean
from workbench.ingest.grants.texts import (
    _AMOUNT,
    _TAG,
    _amounts,
    _join_fragments,
    _plain,
    _without_closing_tags,
)

PIECES = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<ol>",
        "<li class='x'>",
        "</li>",
        "&amp;",
        "&nbsp;",
        "&",
        " ",
        "  ",
        "\t",
        "\n",
        "\u00a0",
        "\u2009",
        "\u200b",
        "\x1b[31m",
        "\x07",
        "Тараз",
        "1.",
        "грант",
        "<",
        ">",
    ]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(PIECES, st.text(max_size=6)), max_size=10).map("".join))
def test_plain_is_clean_without_tags(raw: str) -> None:
    assert _plain(raw) == clean(_TAG.sub(" ", raw))


def test_pieces_of_a_cell_joined() -> None:
    # a sentence cut by a page break goes on inline, the tags the break added dropped
    assert _join_fragments(["<p>Азаматтық қоғам</p>", "<p>институттарын дамыту</p>"]) == (
        "<p>Азаматтық қоғам институттарын дамыту</p>"
    )
    # a word cut in two is glued back; the closing tag before a final line break goes too
    assert _join_fragments(["<p>институттарыны</p>\n", "<p>н әлеуетін</p>"]) == (
        "<p>институттарынын әлеуетін</p>"
    )
    # a finished sentence: the next piece is a new paragraph
    assert _join_fragments(["<p>Бірінші.</p>", "<p>Екінші</p>"]) == "<p>Бірінші.</p>\n<p>Екінші</p>"
    # no tags at all
    assert _join_fragments(["бірінші", "екінші"]) == "бірінші екінші"
    assert _join_fragments(["1. бірінші.", "2. екінші"]) == "1. бірінші.\n2. екінші"


_PIECES = st.sampled_from(
    ["<p>", "</p>", "</LI >", "</ol>", "<li>", " ", "\n", "\u2003", "a", "ж.", "1. "]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=12).map("".join))
def test_closing_tags_read_back_from_the_end_are_the_closing_tail(text: str) -> None:
    # the run of closing tags (and spaces) a text ends with, as one pattern states it
    tail = re.compile(r"(?:\s*</(?:p|li|ol|ul)\s*>)+\s*$", re.IGNORECASE)
    assert _without_closing_tags(text) == tail.sub("", text)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["40 000", "2026", " ", "мың", "тенге", "жыл", "тг.", ":"]), max_size=10
    ).map(" ".join)
)
def test_amounts_looked_for_while_money_is_left_are_all_of_them(text: str) -> None:
    assert [m.span() for m in _amounts(text)] == [m.span() for m in _AMOUNT.finditer(text)]
