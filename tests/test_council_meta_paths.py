"""The council reader's title page reads as the long way reads it.

The mayoralty's and the council's names are only tried on paragraphs holding their word (a
case-folded ending, a plain word), and the vision and strategic goal headings are found in the
list of folded paragraphs: each check is a necessary condition of the pattern it guards, tried
here on every line of the sample, on made lines with the words in other cases and characters,
and the narrative is compared with the paragraph-by-paragraph scan it replaces.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.dataset.text import fold
from workbench.ingest import read_source
from workbench.ingest.council.layout import _PRIORITY, _is_caps_heading, _Para, _paragraphs
from workbench.ingest.council.meta import _COUNCIL, _MAYORALTY, _meta, _narrative

SOURCES = Path(__file__).resolve().parent.parent / "data" / "sources"


def _sample_paras() -> list[_Para]:
    return _paragraphs(read_source(next(SOURCES.glob("004_*.txt"))).lines)


def _narrative_long(paras: list[_Para], slogan: str | None) -> str | None:
    parts: list[str] = [slogan] if slogan else []
    for heading in ("көрүнүш", "стратегиялык максат"):
        for i, para in enumerate(paras):
            if para.folded != heading:
                continue
            body: list[str] = []
            for following in paras[i + 1 :]:
                if _is_caps_heading(following.text) or _PRIORITY.match(following.text):
                    break
                body.append(following.text)
            if body:
                parts.append(para.text + "\n" + "\n".join(body))
                break
    return "\n\n".join(parts) or None


def test_a_letter_the_mayoralty_pattern_takes_folds_to_that_letter() -> None:
    # so a paragraph the pattern matches ends with the word folded (NFC changes no letter that
    # no combining mark follows)
    for letter in "мэриясы":
        for code in range(sys.maxunicode + 1):
            char = chr(code)
            if re.fullmatch(letter, char, re.IGNORECASE):
                assert char.casefold() == letter, (letter, hex(code))


_WORDS = (
    "Кара-Балта", "шаардык", "мэриясы", "МЭРИЯСЫ", "Мэриясы", "мэриясы.", "кеңешинин",
    "КЕҢЕШИНИН", "Кеңешинин", "Токмок", "шаар", "айылдык", "облустук", "«Аб»", "көрүнүш",
    "КӨРҮНҮШ", "Көрүнүш", "стратегиялык", "максат", "СТРАТЕГИЯЛЫК", "МАКСАТ", "1-артыкчылык:",
    "мэри\u0301ясы", "мэриясы\u0306", "ᲃ", "x",
)  # fmt: skip


@st.composite
def _lines(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=6))
    return draw(st.sampled_from((" ", "  ", "\t", "-"))).join(words)


@settings(max_examples=400, deadline=None)
@given(_lines())
def test_made_lines_only_match_with_the_word_checked_first(text: str) -> None:
    if _MAYORALTY.match(text):
        assert fold(text).endswith("мэриясы"), text
    if _COUNCIL.search(text):
        assert "кеңешинин" in text, text


def test_sample_lines_only_match_with_the_word_checked_first() -> None:
    paras = _sample_paras()
    assert any(_MAYORALTY.match(p.text) for p in paras)
    assert any(_COUNCIL.search(p.text) for p in paras)
    for para in paras:
        if _MAYORALTY.match(para.text):
            assert para.folded.endswith("мэриясы")
        if _COUNCIL.search(para.text):
            assert "кеңешинин" in para.text


@settings(max_examples=200, deadline=None)
@given(st.lists(_lines(), min_size=0, max_size=12), st.sampled_from((None, "«Шаар»")))
def test_the_narrative_is_what_the_scan_finds(texts: list[str], slogan: str | None) -> None:
    paras = [_Para(text, number, True, fold(text).strip()) for number, text in enumerate(texts)]
    assert _narrative(paras, slogan) == _narrative_long(paras, slogan)


def test_the_sample_narrative_and_responsible_are_read() -> None:
    paras = _sample_paras()
    meta = _meta(paras, "x")
    slogan = next(p.text for p in paras[:120] if p.text.startswith("«") and p.text.endswith("»"))
    assert meta.narrative == _narrative_long(paras, slogan)
    assert meta.narrative is not None and meta.narrative.count("\n\n") == 2
    assert meta.responsible is not None and fold(meta.responsible).endswith("мэриясы")
    assert meta.approved is not None and "кеңешинин" in meta.approved
