"""A line is tried as each kind's keyword heading only when it starts as one does (a keyword, or
a number and then a keyword): no line that starts otherwise is a keyword heading."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.dataset.text import fold
from workbench.ingest.layout.headings import _ANY_KEYWORD, _keyword_heading, parse_heading
from workbench.ingest.layout.words import HEADING_KINDS

_WORDS = [word for _, words in HEADING_KINDS for word in words]
_PIECES = st.one_of(
    st.sampled_from(_WORDS),
    st.sampled_from(_WORDS).map(str.upper),
    st.sampled_from(_WORDS).map(str.title),
    st.sampled_from(["1", "4.3.5", "3.2.1.1", "12", "II", "-", "–", ".", ":", ")", " ", "  "]),
    st.sampled_from(["қа", "ты", "Экономика", "Өнеркәсіп", "жеткізу", "ы", "ін", "\t"]),
)


@settings(max_examples=800, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=6).map("".join))
def test_a_line_not_starting_as_a_keyword_heading_is_none(text: str) -> None:
    folded = fold(text)
    if _ANY_KEYWORD.match(folded) is None:
        assert _keyword_heading(text, folded) is None


def test_keyword_and_section_headings_still_read() -> None:
    goal = parse_heading("Мақсат 3.2.1.1: Қаланың өнеркәсіптік әлеуетін арттыру")
    assert goal is not None and (goal.kind, goal.code) == ("goal", "3.2.1.1")
    task = parse_heading("4.3.5.1. міндет Халыққа қызмет")
    assert task is not None and (task.kind, task.code) == ("task", "4.3.5.1")
    section = parse_heading("3.2.1. Өнеркәсіп")
    assert section is not None and (section.kind, section.code) == ("section", "3.2.1")
    assert parse_heading("Мақсатқа қол жеткізу") is None
