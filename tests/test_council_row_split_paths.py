"""The council reader's quick row splits must split exactly as the long ways they replace.

The long ways are written out here as the definitions: a task's first sentence ends where one
pattern, tried at every word, first matches; the words after verbal nouns are found by walking
the row's words; a row is complete when the full split of its result and responsible cells
gives a responsible; a row's text is cleaned as it is (line breaks and all). Both ways run on
every row of the sample's action plans and on rows made of tricky words. A row's result and
responsible are split as the long way splits them, which looks at the text between every two
body names.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.test_family_shortcuts import _PLAIN_ANNUAL, _PLAIN_DEADLINE, _PLAIN_HEAD
from workbench.ingest import read_source
from workbench.ingest.council.action_plan import _row_complete
from workbench.ingest.council.layout import (
    _LINKING_WORDS,
    _OPENING,
    _WORD,
    _paragraphs,
    _starts_upper,
    _words,
)
from workbench.ingest.council.plan_row import (
    _ANNUAL_DEADLINE,
    _DEADLINE,
    _HEAD,
    _find_deadline,
    _has_responsible,
    _plain_words,
    _split_result,
    _split_task,
)

SOURCES = Path(__file__).resolve().parent.parent / "data" / "sources"

_SENTENCE_END = re.compile(
    rf"(?<!\S)[{_OPENING}]*[^\s.{_OPENING}][^\s.]{{3,}}\.+(?=\s+(?P<next>\S))"
)
_VERBAL_ENDINGS = ("уу", "үү", "оо", "өө")


def _split_task_long(text: str) -> tuple[str, str]:
    end = _SENTENCE_END.search(text)
    if end is not None:
        return text[: end.end()], text[end.start("next") :]
    words = list(_WORD.finditer(text))
    texts = [word.group() for word in words]
    after_verbal = [i for i in range(1, len(texts)) if texts[i - 1].endswith(_VERBAL_ENDINGS)]
    boundary = None
    for i in reversed(after_verbal):
        if _starts_upper(texts[i]):
            boundary = i
            break
    if boundary is None:
        for i in after_verbal:
            current = texts[i]
            if current not in _LINKING_WORDS and current[:1].isalpha() and current[:1].islower():
                boundary = i
                break
    if boundary is None:
        return text, ""
    return text[: words[boundary].start()], text[words[boundary].start() :]


def _split_result_long(after: str) -> tuple[str, str]:
    heads = list(_PLAIN_HEAD.finditer(after))
    if not heads:
        return after, ""
    index = 0
    if not after[: heads[0].start()].strip() and len(heads) > 1:
        between = after[heads[0].end() : heads[1].start()].strip()
        if len(_words(between)) >= 2 and not between.endswith(","):
            index = 1
    while True:
        jump = None
        for later in range(index + 1, len(heads)):
            between = after[heads[index].end() : heads[later].start()].strip()
            if between.endswith((".", ";", ":")) and len(_words(between)) >= 2:
                jump = later
                break
            if heads[later].group().startswith(("Мэрия", "Шаар")) and _plain_words(between) >= 3:
                jump = later
                break
        if jump is None:
            break
        index = jump
    start = heads[index].start()
    return after[:start], after[start:]


def _complete_long(text: str) -> bool:
    span = _find_deadline(text)
    if span is None:
        return _row_complete(text)  # no deadline: the heading test, unchanged
    return bool(_split_result_long(text[span[1] :])[1].strip())


def _sample_rows() -> list[str]:
    source = read_source(next(SOURCES.glob("004_*.txt")))
    paras = [p.text for p in _paragraphs(source.lines)]
    # single paragraphs and runs of two and three, as rows of several paragraphs are joined
    rows = list(paras)
    rows += ["\n".join(paras[i : i + 2]) for i in range(len(paras) - 1)]
    rows += ["\n".join(paras[i : i + 3]) for i in range(0, len(paras) - 2, 3)]
    return rows


def test_the_sample_rows_split_as_the_long_ways_split_them() -> None:
    rows = _sample_rows()
    assert len(rows) > 1000
    for text in rows:
        assert _split_task(text) == _split_task_long(text), text
        assert _row_complete(text) == _complete_long(text), text
        span = _find_deadline(text)
        if span is not None:
            after = text[span[1] :]
            assert _split_result(after) == _split_result_long(after), text
            assert _has_responsible(text, span[1]) == bool(_split_result_long(after)[1].strip())


_WORDS = (
    "Мэрия", "МС", "РИИБ", "Д.М", "«Тазалык»", "КИ", "Шаар", "мэриясы", "жана", "менен",
    "үчүн", "ж.б.", "ж.б", "жогорулатуу", "өнүктүрүү", "оңдоо", "көрктөндүрүү", "Өнүктүрүү",
    "камсыз", "кылуу.", "кылуу..", "ишке", "ашыруу.", "абв.", "абвг.", "(абвг.", "((аб.",
    "«Умай-Эне»", "“Газпром”дун", "2023-2026-жж.", "2023", "г.", "2024-ж.", "Жыл", "сайын",
    "ежегодно", "...", ".", "a.b.c.", "Кара-Балта", "шаары.", "(анын", "ичинде)", "50%",
    "№4", "ОМ", "БЧҮ", "нүн", "жылытуу", "«Name»", "ААА.", "'Оо", "„Бала.", "'(((абвгд.",
    "иштер;", "максат:", "МС,", "КИ.", "Шаар мэриясы",
    "&amp;", "A&B", "x\x1b[31my", "таза\u200bлык", "1.", "12", "2023г.", "x2024", ".2025-ж",
    "2023–2026", "гг.", "жж", "ж.ж.", "А.Б", "АЖ-5", "ААжББ", "«Аб»", "КИ", "Мэриялар", "20",
    "ЖЫЛ", "Жылына", "жылына", "ар", "Ар", "жылы", "ЖЫЛЫ", "ЕЖЕГОДНО", "ежегодно", "x.ар",
)  # fmt: skip
_SPACES = (" ", " ", " ", "  ", "\n", "\t", "\xa0", "\u2003", " \n ", "\x1c")


@st.composite
def _rows(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(_WORDS), min_size=0, max_size=14))
    spaces = draw(st.lists(st.sampled_from(_SPACES), min_size=len(words), max_size=len(words)))
    text = "".join(w + s for w, s in zip(words, spaces, strict=True))
    return draw(st.sampled_from((text, text.strip(), " " + text)))


@settings(max_examples=600, deadline=None)
@given(_rows())
def test_made_rows_split_as_the_long_ways_split_them(text: str) -> None:
    assert _split_task(text) == _split_task_long(text)
    assert _row_complete(text) == _complete_long(text)
    for pattern, plain in (
        (_DEADLINE, _PLAIN_DEADLINE),
        (_ANNUAL_DEADLINE, _PLAIN_ANNUAL),
        (_HEAD, _PLAIN_HEAD),
    ):
        assert [m.span() for m in pattern.finditer(text)] == [
            m.span() for m in plain.finditer(text)
        ]
    for start in range(len(text) + 1):
        after = text[start:]
        assert _split_result(after) == _split_result_long(after)
        assert _has_responsible(text, start) == bool(_split_result_long(after)[1].strip())


_AFTER_DEADLINES = (
    "Иштер жүргүзүлөт МС жана башка иштер: РИИБ, КИ",
    "Иштер жүргүзүлөт МС жана башка иштер;  РИИБ",
    "Иштер жүргүзүлөт МС жана башка иштер. \n РИИБ",
    "МС иштер: РИИБ",
    "МС : РИИБ",
    "№4 ОМ жана БЧҮ нүн жылытуу системасын оңдоо Мэрия, МС",
    "№4 ОМ жана БЧҮ нүн жылытуу Мэрия, МС",
    "Мэрия аркылуу иштер жүргүзүлөт. МС",
    "Мэрия аркылуу, МС",
    "МС жана «Тазалык» КИ: Шаар мэриясы",
    "",
    "  ",
)


def test_made_results_split_as_the_long_way_splits_them() -> None:
    for after in _AFTER_DEADLINES:
        assert _split_result(after) == _split_result_long(after), after


def test_heading_and_task_patterns_match_only_rows_starting_with_a_decimal_digit() -> None:
    # the plan reader tries them only on such rows
    from workbench.ingest.council.action_plan import (
        _DIRECTION_HEADING,
        _SECTION_HEADING,
        _TASK_START,
    )

    made = ["١. Максат", "٣", "²1. Максат", "½ 1", "1.2. Бөлүм", "12 Милдет", "(1) x", " 1. x", ""]
    for text in [*_sample_rows(), *made]:
        for pattern in (_SECTION_HEADING, _DIRECTION_HEADING, _TASK_START):
            if pattern.match(text):
                assert text[:1].isdecimal(), (pattern.pattern, text)
