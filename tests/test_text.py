"""Decoding documents without being told their encoding, and cleaning text."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.dataset.text import clean, fold, html_to_lines, safe_display, slug
from workbench.display import exact_number
from workbench.errors import DocumentError
from workbench.ingest import source_from_bytes
from workbench.ingest.text import decode_bytes

KAZAKH = "Тараз қаласының өнеркәсіптік әлеуетін арттыру: ғылым, ұлттық, үй, һ, іс"
KYRGYZ = "Таш-Көмүр шаарынын өнүгүүсү: жумуш орундары түзүлдү, ңы"
RUSSIAN = "Снижение уровня безработицы, охват детей, объём"


@pytest.mark.parametrize("text", [KAZAKH, KYRGYZ, RUSSIAN])
@pytest.mark.parametrize(
    "encode",
    [
        lambda t: t.encode("utf-8"),
        lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
        lambda t: t.encode("utf-16"),
        lambda t: b"\xfe\xff" + t.encode("utf-16-be"),
    ],
    ids=["utf8", "utf8-bom", "utf16-le-bom", "utf16-be-bom"],
)
def test_unicode_encodings(text: str, encode: object) -> None:
    assert decode_bytes(encode(text)) == text  # type: ignore[operator]


@pytest.mark.parametrize("text", [KAZAKH, KYRGYZ])
def test_kz1048_is_recognised(text: str) -> None:
    assert decode_bytes(text.encode("kz1048")) == text


def test_cp1251_is_recognised() -> None:
    text = RUSSIAN + " — «цитата», №5"
    assert decode_bytes(text.encode("cp1251")) == text


def test_crlf_bom_and_nbsp_are_normalised() -> None:
    data = b"\xef\xbb\xbf" + "a\u00a0b\r\nc\rd\n".encode()
    source = source_from_bytes(data, "x.txt")
    assert source.lines == ("a b", "c", "d", "")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"  \n\n\t ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        (bytes(range(256)) * 8, "binary"),
    ],
)
def test_non_text_is_refused_with_a_reason(data: bytes, message: str) -> None:
    with pytest.raises(DocumentError) as info:
        decode_bytes(data, "doc.bin")
    assert "doc.bin" in str(info.value)
    assert message in str(info.value)


def test_clean_and_safe_display() -> None:
    assert clean("  a \t b\n c  ") == "a b c"
    assert clean("&laquo;x&raquo; &amp;") == "«x» &"
    assert clean("a\x1b[31mred\x1b[0m\x07") == "ared"
    assert safe_display("[bold]x[/bold]\x1b[2J\x00") == "[bold]x[/bold]"


def test_html_to_lines() -> None:
    fragment = '<p>Нысаналы индикатор:</p> <ol style="x"> <li>1. Бір.</li><li>2. Екі</li></ol>'
    assert html_to_lines(fragment) == ["Нысаналы индикатор:", "1. Бір.", "2. Екі"]


def test_fold_is_case_insensitive_over_kazakh_and_kyrgyz_letters() -> None:
    assert fold("ӘҒҚҢӨҰҮҺІ") == "әғқңөұүһі"
    assert fold("ТАРАЗ") == fold("тараз")


def test_slug() -> None:
    assert slug("Тараз") == "taraz"
    assert slug("Жезқазған") == "zhezkazgan"
    assert slug("Таш-Көмүр") == "tash-komur"
    assert slug("Кара-Балта") == "kara-balta"


@given(st.binary(max_size=200))
def test_decode_raises_only_document_error(data: bytes) -> None:
    with contextlib.suppress(DocumentError):
        decode_bytes(data)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (98.5, "98,5"),
        (1291.0, "1\u202f291"),
        (1234567.25, "1\u202f234\u202f567,25"),
        (-1234.5, "-1\u202f234,5"),
        (0.123456789012, "0,123456789012"),  # every digit stored, none rounded away
        (-0.0, "0"),
        (1e20, "1e+20"),
        (float("nan"), "nan"),
        (float("-inf"), "-inf"),
    ],
)
def test_exact_number_shows_what_was_stored(value: float, shown: str) -> None:
    assert exact_number(value) == shown
    if shown not in ("nan", "-inf"):
        assert float(shown.replace("\u202f", "").replace(",", ".")) == value
