"""The words of a decreasing indicator are found as the plain word pattern finds them: the
pattern written for a quick search (each branch opening with a letter) matches where its
plain form matches, and the same words."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from workbench.dataset.polarity import _DECREASE, TITLE_LESS_WORDS
from workbench.dataset.text import fold

ROOT = Path(__file__).resolve().parent.parent

# The pattern as it reads: "өлім" at the start of a word.
_PLAIN = re.compile(_DECREASE.pattern.replace(r"ө(?<!\wө)лім", r"\bөлім"))


def _same(text: str) -> None:
    quick, plain = _DECREASE.search(text), _PLAIN.search(text)
    assert (quick and (quick.span(), quick[0])) == (plain and (plain.span(), plain[0])), text


def test_the_pattern_is_the_plain_one_with_a_look_behind() -> None:
    assert _PLAIN.pattern != _DECREASE.pattern
    assert r"\bөлім" in _PLAIN.pattern
    assert "өлім" in TITLE_LESS_WORDS  # the words Polars looks for first still hold it


def test_every_line_of_the_documents_is_read_as_by_the_plain_pattern() -> None:
    paths = sorted((ROOT / "data" / "sources").glob("*.txt"))
    paths += sorted((ROOT / "tests" / "fixtures").rglob("*.txt"))
    found = 0
    for path in paths:
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            text = fold(line)
            _same(text)
            found += "өлім" in text
    assert found
    for text in (
        "өлім",
        "өлімі",
        "нәресте өлімі",
        "бөлім",
        "өөлім",
        "1өлім",
        "_өлім",
        "өлім-жітім",
    ):
        _same(text)


_PIECES = [*"өлімдінжт-_ 1aӘ.", "өлім", " өлім", "бөлім", "өлімі ", "азай"]


@given(st.lists(st.sampled_from(_PIECES), max_size=12).map("".join))
def test_generated_text_is_read_as_by_the_plain_pattern(text: str) -> None:
    _same(text)
