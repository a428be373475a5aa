"""The quick paths of the development-plan and council readers read what the long way reads.

A development plan's value cell printed as plain digits is read without ``parse_number``; the
council's task split finds a sentence end with one search, and its deadline and body-name
patterns look for their first letters before their lookbehinds. Each is checked here against
the long way, on drawn text as well as on the samples.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from workbench.dataset.numbers import parse_number
from workbench.dataset.text import clean
from workbench.errors import NumberParseError
from workbench.ingest import devplan, source_from_bytes
from workbench.ingest.council import plan_row
from workbench.ingest.council.layout import _LINKING_WORDS, _OPENING, _starts_upper

SOURCES = Path(__file__).resolve().parent.parent / "data" / "sources"
DEVPLAN = SOURCES / "001_b5c11f052baa7846.txt"
COUNCIL = SOURCES / "004_cf3c10cfbd63a6c4.txt"
VALUE_LINE = 417  # the 2030 plan of indicator 1.3 (tuberculosis), printed "32,5"


def _value_2030(raw: str) -> tuple[list[tuple[object, object]], list[str]]:
    lines = DEVPLAN.read_text(encoding="utf-8").split("\n")
    assert lines[VALUE_LINE - 1] == "\t32,5"
    lines[VALUE_LINE - 1] = "\t" + raw
    doc = devplan.parse(source_from_bytes("\n".join(lines).encode("utf-8"), "variant.txt"))
    values = doc.tables["values"].filter(doc.tables["values"]["source_line"] == VALUE_LINE)
    warnings = [w.message for w in doc.warnings if w.line == VALUE_LINE]
    return list(zip(values["value"].to_list(), values["raw"].to_list(), strict=True)), warnings


_NUMBERISH = st.text(alphabet="0123456789٣,.-−% :x", min_size=1, max_size=9)


@settings(max_examples=30, deadline=None)
@given(raw=_NUMBERISH | st.from_regex(r"\d{1,7}(?:[.,]\d{1,3})?", fullmatch=True))
@example(raw="12,")
@example(raw=",5")
@example(raw="007")
@example(raw="1.2,3")
@example(raw="٣,٥")
def test_a_value_cell_reads_as_parse_number_reads_it(raw: str) -> None:
    printed = clean(raw)
    values, warnings = _value_2030(raw)
    if not printed:
        assert values == []
        return
    try:
        expected = parse_number(printed).value
    except NumberParseError:
        assert values == [(None, printed)]
        assert any("cannot read the number" in message for message in warnings)
        return
    assert values == [(expected, printed)]
    assert warnings == []


def _split_task_word_by_word(text: str) -> tuple[str, str] | None:
    """The sentence end of a task's text the long way: the first word but the last that ends
    with dots, four letters or more before them (past an opening quote), none of them a dot."""
    words = list(re.finditer(r"\S+", text))
    for i in range(len(words) - 1):
        word = words[i].group()
        if not word.endswith("."):
            continue
        letters = word.rstrip(".").lstrip(_OPENING)
        if len(letters) >= 4 and "." not in letters:
            return text[: words[i].end()], text[words[i + 1].start() :]
    return None


def _split_task_after_verbal_noun(text: str) -> tuple[str, str]:
    """The split before a capitalised (else a lowercase) word after a verbal noun, the long way."""
    words = list(re.finditer(r"\S+", text))
    texts = [word.group() for word in words]
    verbal = [bool(re.search(r"(?:уу|үү|оо|өө)$", word)) for word in texts]
    boundary = None
    for i in range(1, len(words)):
        if verbal[i - 1] and _starts_upper(texts[i]):
            boundary = i
    if boundary is None:
        for i in range(1, len(words)):
            current = texts[i]
            if (
                verbal[i - 1]
                and current not in _LINKING_WORDS
                and current[:1].isalpha()
                and current[:1].islower()
            ):
                boundary = i
                break
    if boundary is None:
        return text, ""
    return text[: words[boundary].start()], text[words[boundary].start() :]


def _split_task_long_way(text: str) -> tuple[str, str]:
    return _split_task_word_by_word(text) or _split_task_after_verbal_noun(text)


_WORDS = [
    "Милдет.", "(абв.", "«абвг.", "((абвгд.", "ж.б.", "аб.вг.", ".", "абвг..", "«.", "Иш",
    "жүргүзүү", "Өнүктүрүү", "жана", "уюштуруу", "калкты", "Мэрия", "2023-2026-жж.", "МС",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(_WORDS), max_size=10),
    st.lists(st.sampled_from([" ", "  ", "\n", "\t", "\u00a0"]), min_size=10, max_size=10),
)
def test_the_task_split_finds_what_the_word_by_word_split_finds(
    words: list[str], spaces: list[str]
) -> None:
    text = "".join(word + space for word, space in zip(words, spaces, strict=False))
    assert plan_row._split_task(text) == _split_task_long_way(text)


def test_the_task_split_on_every_line_of_the_council_sample() -> None:
    for line in COUNCIL.read_text(encoding="utf-8").split("\n"):
        assert plan_row._split_task(line) == _split_task_long_way(line)


_UP = "A-ZА-ЯЁӨҮҢ"
_NO_LETTER = r"(?![^\W\d_])"
# The deadline and body-name patterns as plainly written: a lookbehind, then the cell. The
# council's own start with their first characters instead.
_PLAIN_DEADLINE = re.compile(
    r"(?<![\w.])(20\d\d)(?:\s*[-–—]\s*(20\d\d))?\s*[-–—]?\s*(?:ж\.?\s?ж|жж|гг|г|ж)"
    + _NO_LETTER
    + r"\.?"
)
_PLAIN_HEAD = re.compile(
    rf"(?<!\S)(?:Мэрия{_NO_LETTER}|Шаар мэриясы{_NO_LETTER}|«[^»\n]{{1,40}}»\s*[{_UP}]{{2,}}"
    rf"{_NO_LETTER}|[{_UP}]\.[{_UP}]{_NO_LETTER}|[{_UP}]{{2,}}(?:[жи][{_UP}]+)*(?:-\d+)?"
    rf"{_NO_LETTER})"
)
_PLAIN_ANNUAL = re.compile(
    r"(?<![^\W\d_])(?:жыл\s+сайын|жылына|ар\s+жылы|ежегодно)" + _NO_LETTER, re.IGNORECASE
)


def test_the_first_letter_forms_change_no_match() -> None:
    pairs = (
        (plan_row._DEADLINE, _PLAIN_DEADLINE),
        (plan_row._ANNUAL_DEADLINE, _PLAIN_ANNUAL),
        (plan_row._HEAD, _PLAIN_HEAD),
    )
    text = COUNCIL.read_text(encoding="utf-8")
    samples = [
        *text.split("\n"), "ЖЫЛ САЙЫН", "Ар жылы", "x2023-ж", ".2023 ж.", "«Аб» КИ", "2023 ж",
        "2023-2024-жж.", "А.Б", "Мэрия", "МС\nРИИБ", "x«Аб» КИ", "ААжББ-12 Шаар мэриясы",
        "Мэриялар", "1.2023 г.", "20230 г", "2020-2020 ж.ж.", "аЖЫЛ сайын", "ЖылынаБ", "Жылына.",
        "ЕЖЕГОДНО", "1ар жылы", "ар  жылы", "жыл\nсайын", "Ар\tЖЫЛЫ",
    ]  # fmt: skip
    for pattern, plain in pairs:
        for line in samples:
            assert [m.span() for m in pattern.finditer(line)] == [
                m.span() for m in plain.finditer(line)
            ], (pattern.pattern, line)
            assert [m.groups() for m in pattern.finditer(line)] == [
                m.groups() for m in plain.finditer(line)
            ], (pattern.pattern, line)
