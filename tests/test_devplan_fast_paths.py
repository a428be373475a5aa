"""The development-plan reader's quick paths read exactly as the general ones they stand for:
one match of the joined item patterns as the patterns one after another, the stems found token
by token as by the word pattern over the whole title, and a plainly printed amount as
parse_number and parse_amount read it."""

from __future__ import annotations

import random
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.dataset.numbers import parse_amount, parse_number
from workbench.dataset.text import fold
from workbench.errors import NumberParseError
from workbench.ingest.devplan.items import (
    _STOP_STEMS,
    _WORD,
    _classify,
    _classify_by_pattern,
    _stems,
)
from workbench.ingest.devplan.money import _amount
from workbench.ingest.devplan.nodes import _UNREADABLE, _Plan
from workbench.ingest.devplan.passport import _AMOUNT_RE
from workbench.ingest.devplan.passport import _amount as _passport_amount

ROOT = Path(__file__).resolve().parent.parent


def _stems_by_pattern(title: str) -> frozenset[str]:
    """What :func:`_stems` stands for: the word pattern run over the whole title."""
    out = set()
    normal = unicodedata.is_normalized("NFC", title)
    for word in _WORD.findall(title):
        folded = word.casefold() if normal else fold(word)
        if len(folded) < 3 and not (len(word) >= 2 and word.isupper()):
            continue
        stem = folded[:5]
        if stem not in _STOP_STEMS:
            out.add(stem)
    return frozenset(out)


def _document_texts() -> list[str]:
    """Every line and tab-separated cell of the samples and the test documents."""
    texts: set[str] = set()
    paths = sorted((ROOT / "data" / "sources").glob("*.txt"))
    paths += sorted((ROOT / "tests" / "fixtures").rglob("*.txt"))
    for path in paths:
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            texts.add(line)
            texts.add(line.strip())
            texts.update(line.split("\t"))
    return sorted(texts)


_ITEM_PIECES = [
    "1", "2", "12", ".", ".1", "1.2", "3.4.5", " ", "-", "–", "—", ":", ". ", "бағыт", "Бағыт",
    "БАҒЫТ", "направление", "Направление", "НҰИ", "НИ", "ЦИ", "нИ", "көрсеткіш", "КӨРСЕТКІШ",
    "показатель", "мақсат", "Мақсаты", "мақсаттар", "цель", "Цель", "міндет", "Міндеті",
    "міндеттер", "тапсырма", "задача", "Задача", "x", "А", "ә", "\n", "  ", "&amp;", "Білім",
    "%", "\t", "&#10;",
]  # fmt: skip


def test_one_match_classifies_as_the_patterns_in_turn() -> None:
    texts = _document_texts()
    assert any(_classify(text) is not None for text in texts)
    for text in texts:
        assert _classify(text) == _classify_by_pattern(text), text
    rnd = random.Random(7)
    for _ in range(30000):
        text = "".join(rnd.choice(_ITEM_PIECES) for _ in range(rnd.randint(1, 7)))
        assert _classify(text) == _classify_by_pattern(text), text


def test_stems_token_by_token_are_the_stems_of_the_word_pattern() -> None:
    for text in _document_texts():
        assert _stems(text) == _stems_by_pattern(text), text
    alphabet = list("abcXYZ_019 \t\n.,-()%«»ӘәҒғҚқҢңӨөҰұҮүҺһІіАБВабв")
    alphabet += ["\u0301", "\u0306", "\u00a0", "\u2009", "ß", "ſ", "\u0345", "ǅ", "Ⅻ", "²", "٣"]
    rnd = random.Random(3)
    for _ in range(20000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30)))
        for form in (text, unicodedata.normalize("NFD", text)):
            assert _stems(form) == _stems_by_pattern(form), form


def _general_amount(raw: str, multiplier: float) -> float | None:
    if parse_number(raw).value is None:
        return None
    return parse_amount(raw, multiplier=multiplier).value


@pytest.mark.parametrize("multiplier", [1.0, 1e3, 1e6, 1e9])
def test_a_plain_amount_reads_as_parse_amount_reads_it(multiplier: float) -> None:
    raws = ["0", "0,0", "60,0", "14003,4", "225", "33923891,3", "1.5", "007", "-", "–", "x"]
    raws += ["46 240,2", "12,3 млн", "1" * 400, "1,", ",5", "١٢٣", "1.2.3", "abc", " 5 "]
    raws += ["1 807,7", "14 134,0", "1 234 567", "12 34", "1 2345", "1  234", "1 234 ", "0 000"]
    raws += ["1\u00a0234", "1 234,5,6", "١ ٢٣٤", "1 " + "1" * 400, "1 234.5"]
    rnd = random.Random(5)
    raws += [f"{rnd.randint(0, 10**9)}{rnd.choice([',', '.'])}{rnd.randint(0, 999)}"
             for _ in range(2000)]  # fmt: skip
    for raw in raws:
        _check_amount(raw, multiplier)


def _check_amount(raw: str, multiplier: float) -> None:
    try:
        expected: float | type[NumberParseError] | None = _general_amount(raw, multiplier)
    except NumberParseError:
        expected = NumberParseError
    if expected is NumberParseError:
        with pytest.raises(NumberParseError):
            _amount(raw, multiplier)
    else:
        assert _amount(raw, multiplier) == expected, raw


def _general_number(raw: str) -> float | None:
    """What :meth:`_Plan.number` stands for: parse_number's value, NaN for no number."""
    try:
        return parse_number(raw).value
    except NumberParseError:
        return _UNREADABLE


def _same_number(got: float | None, expected: float | None) -> bool:
    if got is _UNREADABLE or expected is _UNREADABLE:
        return got is expected
    return got == expected


# Printed numbers as the documents print them, grouped or not, and near misses.
_NUMBER_TEXT = st.text(alphabet="0123456789 ,.-\u00a0١", max_size=16) | st.builds(
    lambda groups, decimals, sep: " ".join(groups) + decimals + sep,
    st.lists(st.from_regex(r"\d{1,4}", fullmatch=True), min_size=1, max_size=5),
    st.sampled_from(["", ",5", ".25", ",", ",0", ".1.2"]),
    st.sampled_from(["", " ", "%", " млн"]),
)


@given(_NUMBER_TEXT, st.sampled_from([1.0, 1e3, 1e6, 1e9]))
def test_a_printed_amount_reads_as_parse_amount_reads_it(raw: str, multiplier: float) -> None:
    _check_amount(raw, multiplier)


@given(_NUMBER_TEXT)
def test_a_printed_number_reads_as_parse_number_reads_it(raw: str) -> None:
    plan = _Plan.__new__(_Plan)
    plan.numbers = {}
    assert _same_number(plan.number(raw), _general_number(raw)), raw


def test_every_cell_of_the_documents_reads_as_parse_number_reads_it() -> None:
    texts = [*_document_texts(), "1" * 400, "1 " + "1" * 400, "1 807,7", "46 240,2"]
    plan = _Plan.__new__(_Plan)
    plan.numbers = {}
    for text in texts:
        assert _same_number(plan.number(text), _general_number(text)), text
        _check_amount(text, 1e6)


def _check_passport_amounts(text: str) -> None:
    for m in _AMOUNT_RE.finditer(text):
        try:
            expected: float | type[NumberParseError] = parse_amount(
                f"{m['num']} {m['mult']}. {m['cur']}"
            ).value
        except NumberParseError:
            expected = NumberParseError
        if expected is NumberParseError:
            with pytest.raises(NumberParseError):
                _passport_amount(m)
        else:
            assert _passport_amount(m) == expected, m[0]


@given(
    _NUMBER_TEXT,
    st.sampled_from(["млрд", "МЛН", "млн", "Мың", "мың", "тыс"]),
    st.sampled_from([" ", "", ". ", "."]),
    st.sampled_from(["теңге", "тенге", "тг", "ТЕҢГЕ"]),
)
def test_a_passport_amount_reads_as_parse_amount_reads_it(
    number: str, multiplier: str, between: str, currency: str
) -> None:
    _check_passport_amounts(f"2027 жыл – {number} {multiplier}{between}{currency}.")


def test_every_passport_amount_of_the_documents_reads_as_parse_amount_reads_it() -> None:
    texts = _document_texts()
    assert sum(1 for text in texts for _ in _AMOUNT_RE.finditer(text)) > 10
    for text in [*texts, "1" * 400 + " млн теңге", "1 " + "1" * 400 + " мың тг"]:
        _check_passport_amounts(text)
