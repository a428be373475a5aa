"""A matrix row's tokens are what the token pattern's groups say, whichever way they are read.

The reader tells a word from a number by the last group matched and takes the line of each
token from where its paragraph starts; the long way here asks each match for its number group
and looks up the line token by token. Both run on the sample's rows and on made rows of numbers,
units, per cents, ratios and words over several paragraphs.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.ingest import read_source
from workbench.ingest.council.layout import _Para, _paragraphs, _Row
from workbench.ingest.council.tokens import _TOKEN, _Token, _tokens

SOURCES = Path(__file__).resolve().parent.parent / "data" / "sources"


def _tokens_long(row: _Row) -> tuple[str, list[_Token]]:
    text = ""
    starts: list[tuple[int, int]] = []
    for para in row.paras:
        if text:
            text += "\n"
        starts.append((len(text), para.line))
        text += para.text
    tokens: list[_Token] = []
    for match in _TOKEN.finditer(text):
        line = [line for start, line in starts if start <= match.start()][-1]
        if match.group("num") is not None:
            percent = match.group("pct") is not None
            tokens.append(
                _Token(
                    match.group(), match.start(), match.end(), line, True, percent,
                    match.group("unit"),
                )
            )  # fmt: skip
        else:
            tokens.append(_Token(match.group(), match.start(), match.end(), line, False))
    return text, tokens


def test_the_sample_rows_give_the_long_ways_tokens() -> None:
    paras = _paragraphs(read_source(next(SOURCES.glob("004_*.txt"))).lines)
    rows = [_Row(paras[i : i + 3]) for i in range(len(paras) - 2)]
    assert sum(token.number for row in rows for token in _tokens(row)[1]) > 1000
    for row in rows:
        assert _tokens(row) == _tokens_long(row)


_WORDS = (
    "12", "3,5", "1:0,3", "50%", "50 %", "20243", "п.м.", "км", "1 км", "га", "сом", "x1",
    "2,5.", "Төмөнкү", "парк", "[2]", "*", "-", "1/2", "7:", "0", "т.", "кв.м.", "м2", "%",
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(_WORDS), min_size=0, max_size=6).map(" ".join),
        min_size=1,
        max_size=4,
    )
)
def test_made_rows_give_the_long_ways_tokens(texts: list[str]) -> None:
    row = _Row([_Para(text, 10 + 3 * number, True) for number, text in enumerate(texts)])
    assert _tokens(row) == _tokens_long(row)
