"""How the monitoring report family is detected: each feature line, in kk and ru, in any case.

``detect`` looks for its features in the whole text at once, only on the lines that hold one of a
feature's words; it must score exactly as trying every feature's pattern on every line of at
most 300 characters (``reference`` below) does.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.ingest import read_source, report

SOURCES = Path(__file__).resolve().parent.parent / "data" / "sources"

# (a line holding one feature, the feature's weight)
FEATURE_LINES = [
    ("1. Мақсатқа қол жеткізу", 0.25),
    ("1. Достижение целей", 0.25),
    ("2. Іс-шаралар орындау", 0.15),
    ("2. Іс-шараларды орындау", 0.15),
    ("2. Выполнение мероприятий", 0.15),
    ("2. Исполнение мероприятий", 0.15),
    ("3. Қаржылық қаражаттарды игеру", 0.15),
    ("3. Освоение финансовых средств", 0.15),
    ("4. Талдамалы жазбахат", 0.1),
    ("4. Аналитическая записка", 0.1),
    ("Мақсат 3.2.1.1: Қаланың өнеркәсіптік әлеуетін арттыру", 0.2),
    ("Цель: 3.2.1.1: Рост промышленности", 0.2),
    ("Орындалуы туралы ақпарат", 0.1),
    ("Информация об исполнении", 0.1),
    ("2017 жылдың нақты көрсеткіштері", 0.05),
    ("Факт за 2017 год", 0.05),
    ("бағдарламасының мониторингі бойынша жедел есептілік", 0.15),
    ("Оперативная отчетность по мониторингу", 0.15),
    ("Есепті кезең", 0.1),
    ("Отчётный период", 0.1),
]


def reference(lines: Sequence[str]) -> float:
    """Every feature's pattern tried on every line of at most 300 characters."""
    found = [
        any(len(line) <= 300 and re.search(pattern, line, re.IGNORECASE) for line in lines)
        for pattern, _, _ in report._DETECT_FEATURES
    ]
    weights = [weight for _, weight, _ in report._DETECT_FEATURES]
    return min(1.0, sum(w for w, hit in zip(weights, found, strict=True) if hit))


@pytest.mark.parametrize(("line", "weight"), FEATURE_LINES)
def test_each_feature_counts_in_any_case(line: str, weight: float) -> None:
    for text in (line, line.upper(), line.lower(), line.swapcase()):
        assert report.detect(["Кіріспе", text, ""]) == pytest.approx(weight), text
        assert report.detect([f"  {text}  "]) == pytest.approx(weight), text


@pytest.mark.parametrize(("line", "weight"), FEATURE_LINES)
def test_a_feature_on_a_long_line_does_not_count(line: str, weight: float) -> None:
    long_line = " " * (301 - len(line)) + line  # 301 characters
    assert report.detect([long_line]) == 0.0
    assert report.detect([long_line[1:]]) == pytest.approx(weight)


def test_a_line_holding_a_line_break_is_read_as_it_is() -> None:
    # "^" is the start of the given line, not of the text after its line break
    assert report.detect(["Кіріспе\n1. Мақсатқа қол жеткізу"]) == 0.0
    assert report.detect(["1. Мақсатқа қол жеткізу\nКіріспе"]) == pytest.approx(0.25)


def test_a_letter_folded_to_two_changes_nothing() -> None:
    lines = read_source(SOURCES / "000_a022e4505cac72f3.txt").lines
    assert report.detect(["İstanbul", *lines]) == report.detect(lines) == 1.0
    assert report.detect(["İ 1. Мақсатқа қол жеткізу", "1. Мақсатқа қол жеткізу"]) == 0.25


def test_the_samples_score_as_line_by_line() -> None:
    for path in sorted(SOURCES.glob("*.txt")):
        lines = read_source(path).lines
        assert report.detect(lines) == reference(lines), path.name


PIECES = st.sampled_from(
    [line for line, _ in FEATURE_LINES]
    + ["", " ", "\t", "İ", "ß", "\u1c80", "и\u0306", "Мақсат", "мониторинг", "2017", "x" * 290]
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=4).map(" ".join),
        max_size=8,
    ),
    st.sampled_from([str, str.upper, str.lower, str.swapcase]),
)
def test_scores_as_line_by_line(lines: list[str], case: object) -> None:
    assert callable(case)
    lines = [case(line) for line in lines]
    assert report.detect(lines) == reference(lines)
