"""Money named in a report's execution texts: the folded pieces of a sentence read once.

``_text_amounts`` folds a sentence once and slices the fold where every character of the
sentence folds to one character of its own whatever stands beside it (the set checked here), and
folds each piece apart otherwise; either way a piece's fold is ``fold(piece)``.
"""

from __future__ import annotations

import sys
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.dataset.text import fold
from workbench.ingest.report.amounts import _FOLDS_BY_CHARACTER, _Folded, _text_amounts


def _second_of_a_composition() -> set[str]:
    seconds: set[str] = set()
    for code in range(sys.maxunicode + 1):
        decomposition = unicodedata.decomposition(chr(code))
        if decomposition and not decomposition.startswith("<"):
            parts = decomposition.split()
            if len(parts) == 2:
                seconds.add(chr(int(parts[1], 16)))
    return seconds


def test_the_characters_folded_one_by_one() -> None:
    seconds = _second_of_a_composition()
    members = [chr(c) for c in range(0x3000) if _FOLDS_BY_CHARACTER.fullmatch(chr(c))]
    assert "қ" in members and "№" in members and "«" in members and "a" in members
    for char in members:
        folded = fold(char)
        assert len(folded) == 1, repr(char)
        for one in (char, folded):
            assert unicodedata.combining(one) == 0, repr(char)
            assert unicodedata.normalize("NFC", one) == one, repr(char)
            assert one not in seconds, repr(char)  # nothing composes with the one before it
        assert fold(folded) == folded, repr(char)
    for outside in ("ß", "İ", "\u0306", "\u0483", "\u1c80", "ﬁ"):
        assert not _FOLDS_BY_CHARACTER.fullmatch(outside)


SENTENCE = st.text(
    alphabet=st.sampled_from(
        [
            *"Облыстық бюджеттен 233724 мың теңге БӨЛІНДІ, игерілді. ",
            *("ß", "İ", "и", "\u0306", "ﬁ", "\u1c80", "Σ", "ǰ"),
        ]
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(SENTENCE, st.integers(0, 45), st.integers(0, 45))
def test_a_piece_of_the_fold_is_the_fold_of_the_piece(text: str, start: int, end: int) -> None:
    assert _Folded(text).part(start, end) == fold(text[start:end])


def test_amounts_in_a_text_with_letters_that_fold_to_two() -> None:
    text = (
        "Облыстық бюджеттен 233724 мың теңге бөлінді, жергілікті бюджеттен 200000 мың теңге "
        "игерілді."
    )
    plain = _text_amounts(text, 2017)
    assert plain == {
        ("oblast", "plan"): (233724000.0, ["233724 мың теңге"]),
        ("local", "fact"): (200000000.0, ["200000 мың теңге"]),
    }
    # "ß" and "İ" fold to two letters: the sentence's pieces are folded one by one, alike
    assert _text_amounts("Straße. " + text, 2017) == plain
    assert _text_amounts("İ " + text.replace("бөлінді", "БӨЛІНДІ"), 2017) == plain


def test_the_budget_of_the_sentence_before() -> None:
    # a sentence without an amount names the budget of the next one's first amount
    said = "Облыстық бюджеттен қаражат бөлінді. 5000 мың теңге игерілді."
    assert _text_amounts(said, 2017) == {("oblast", "fact"): (5000000.0, ["5000 мың теңге"])}
    unsaid = "Облыстық бюджеттен қаражат бөлінді. Жұмыс жүргізілді. 5000 мың теңге игерілді."
    assert _text_amounts(unsaid, 2017) == {}
    # no amount at all: nothing, whatever budget is named
    assert _text_amounts("Облыстық бюджеттен қаражат бөлінді.\nЖергілікті бюджет.", 2017) == {}
