"""Text shared by every parser: decoding without being told the encoding, and cleaning cells.

Documents arrive as UTF-8 (with or without BOM), UTF-16 with BOM, or in a legacy single-byte
Cyrillic code page: Windows-1251 for Russian and KZ-1048 for Kazakh (which also carries the
Kyrgyz letters ң ө ү). Everything after decoding works on ``str`` with ``\\n`` line ends.
"""

from __future__ import annotations

import html
import re
import unicodedata

from workbench.errors import DocumentError

# Bytes where KZ-1048 and Windows-1251 differ: KZ-1048 has the Kazakh (and Kyrgyz) letters
# қ һ ұ ә ө ғ ү ң there, Windows-1251 Serbian, Macedonian, Ukrainian and Belarusian ones that a
# Russian, Kazakh or Kyrgyz document never uses. So any of them inside a word means KZ-1048.
_KZ1048_ONLY = frozenset(b"\x8d\x8e\x9d\x9e\xa1\xa2\xa3\xa5\xaa\xaf\xb4\xba\xbc\xbd\xbe\xbf")

_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]"
)
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f\u2009\u2002\u2003]+")


def decode_bytes(data: bytes, path: str = "<input>") -> str:
    """Decode a document's bytes, recognising the encoding; DocumentError if it is not text."""
    if not data.strip():
        raise DocumentError(path, "the file is empty: expected a plan document")
    if data.startswith(b"\xef\xbb\xbf"):
        return _check_text(data[3:].decode("utf-8", errors="replace"), path)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _check_text(data.decode("utf-16"), path)
        except UnicodeDecodeError as exc:
            raise DocumentError(path, f"damaged UTF-16 text ({exc.reason})") from None
    if b"\x00" in data[:4096]:
        raise DocumentError(path, "binary file, not a text document (found NUL bytes)")
    try:
        return _check_text(data.decode("utf-8"), path)
    except UnicodeDecodeError:
        pass
    return _check_text(_decode_single_byte(data), path)


def _decode_single_byte(data: bytes) -> str:
    letters = sum(1 for byte in data if byte in _KZ1048_ONLY)
    return data.decode("kz1048" if letters else "cp1251", errors="replace")


def _check_text(text: str, path: str) -> str:
    sample = text[:8192]
    if not sample:
        raise DocumentError(path, "the file is empty: expected a plan document")
    bad = sum(1 for ch in sample if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\t\r\n\f"))
    if bad / len(sample) > 0.05:
        raise DocumentError(path, "binary file, not a text document")
    return text


def normalize_text(text: str) -> str:
    """Line ends to ``\\n``, no BOM, non-breaking and odd spaces to plain spaces, no control chars.

    Tabs and newlines are kept: they carry the table structure of a Word export.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2007", " ")
    text = _ANSI.sub("", text)
    return _CONTROL.sub("", text)


def read_lines(text: str) -> list[str]:
    """Split normalized text into physical lines (index 0 is line 1)."""
    return normalize_text(text).split("\n")


def clean(text: str | None) -> str:
    """One cell's text: HTML entities decoded, whitespace collapsed, ends trimmed."""
    if text is None:
        return ""
    text = html.unescape(text)
    text = _ANSI.sub("", text)
    text = _CONTROL.sub("", text.replace("\n", " "))
    return _SPACES.sub(" ", text).strip()


def clean_or_none(text: str | None) -> str | None:
    """Like :func:`clean`, but an empty result is ``None``."""
    value = clean(text)
    return value or None


def safe_display(text: str | None) -> str:
    """Text made safe for a terminal: escape sequences and control characters removed."""
    if not text:
        return ""
    text = _ANSI.sub("", text)
    return _CONTROL.sub("", text.replace("\t", " "))


_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z0-9]+)[^>]*>")
_BLOCK_TAGS = {"p", "li", "br", "ol", "ul", "div", "tr", "h1", "h2", "h3", "h4"}


def html_to_lines(fragment: str) -> list[str]:
    """Turn an HTML fragment (``<p>``, ``<ol>``, ``<li>``, ``<br>``) into clean text lines."""
    pieces = _TAG.sub(lambda m: "\n" if m.group(2).lower() in _BLOCK_TAGS else " ", fragment)
    lines = [clean(piece) for piece in pieces.split("\n")]
    return [line for line in lines if line]


def fold(text: str) -> str:
    """Case-folded, NFC-normalized text for comparisons (Cyrillic, Kazakh and Kyrgyz letters)."""
    return unicodedata.normalize("NFC", text).casefold()


_SLUG_MAP = str.maketrans(
    {
        "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e",
        "ё": "yo", "ж": "zh", "з": "z", "и": "i", "й": "y", "к": "k", "қ": "k", "л": "l",
        "м": "m", "н": "n", "ң": "n", "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s",
        "т": "t", "у": "u", "ұ": "u", "ү": "u", "ф": "f", "х": "kh", "һ": "h", "ц": "ts",
        "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "і": "i", "ь": "", "э": "e",
        "ю": "yu", "я": "ya",
    }
)  # fmt: skip


def slug(text: str) -> str:
    """A Latin, lower-case, dash-separated identifier for text in any of the three languages."""
    latin = fold(text).translate(_SLUG_MAP)
    return re.sub(r"[^a-z0-9]+", "-", latin).strip("-")
