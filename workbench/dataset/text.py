"""Text shared by every layer: cleaning a document's cells, comparing text in the three
languages (:func:`fold`), identifiers from titles (:func:`slug`), and text made safe for a
terminal. Decoding a document's bytes is the readers' (:mod:`workbench.ingest.text`);
everything here works on ``str`` with ``\\n`` line ends.
"""

from __future__ import annotations

import codecs
import html
import re
import unicodedata
from collections.abc import Sequence

_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]"
)
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f\u2009\u2002\u2003]+")


def normalize_text(text: str) -> str:
    """Line ends to ``\\n``, no BOM, non-breaking and odd spaces to plain spaces, no control chars.

    Tabs and newlines are kept: they carry the table structure of a Word export.
    """
    if text.isprintable() or text.replace("\t", " ").replace("\n", " ").isprintable():
        # Nothing to change: a CR, an odd space, a control character and an escape sequence
        # are all unprintable, and tabs and line breaks are kept.
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2007", " ")
    text = _ANSI.sub("", text)
    return _CONTROL.sub("", text)


def normalize_lines(lines: Sequence[str]) -> list[str]:
    """:func:`normalize_text` of each line, a line break inside a line made a space."""
    return normalize_joined(lines)[0]


def normalize_joined(lines: Sequence[str]) -> tuple[list[str], str]:
    """:func:`normalize_lines` of ``lines``, and those lines joined by ``\\n`` (worked out on
    the way: a caller that needs the text too saves joining it again)."""
    text = "\n".join(lines)
    if text.count("\n") != len(lines) - 1:  # a line holds a line break of its own
        normal = [normalize_text(line).replace("\n", " ") for line in lines]
        return normal, "\n".join(normal)
    if "\r" not in text and "\x1b" not in text:
        # Nothing that could join or split lines (a CR, an escape sequence running on): the text
        # is normalized at once, which is quicker than line by line.
        normalized = normalize_text(text)
        if normalized is text:
            return list(lines), text
        return normalized.split("\n"), normalized
    normal = [normalize_text(line).replace("\n", " ") for line in lines]
    return normal, "\n".join(normal)


# The characters plan documents are nearly all written in: tab, line break, printable ASCII,
# Russian, Kazakh and Kyrgyz Cyrillic, common punctuation and accented Latin letters. Each is
# printable (or a tab or line break), in NFC whatever stands beside it, and case-folds to one
# of them; a text of only these is folded through a single-byte charmap (three passes in C)
# instead of being checked for printability and NFC and case-folded (tests/test_layout_choice
# checks every one). A charmap's first place must be NUL, which is itself no plain character.
_PLAIN = (
    "\x00\t\n"
    + "".join(map(chr, range(0x20, 0x7F)))
    + "".join(map(chr, range(0x410, 0x450)))
    + "ЁёӘәҒғҚқҢңӨөҰұҮүҺһІі"
    + "«»–—“”„‘’‚№•·…²³°±×‰§¹½¼‐‑ı"
    + "".join(chr(code) for code in range(0xE0, 0x100) if code != 0xF7)
    + "".join(map(chr, range(0xC0, 0xD0)))  # as many capitals as the 256 places leave
)
_PLAIN_TABLE = _PLAIN.ljust(256, "\ufffe")  # U+FFFE: a byte no character maps to
_PLAIN_MAP = codecs.charmap_build(_PLAIN_TABLE)
_PLAIN_FOLDED = bytes(
    _PLAIN.index(char.casefold()) if char != "\ufffe" else code
    for code, char in enumerate(_PLAIN_TABLE)
)


def plain_folded(text: str) -> str | None:
    """``text.casefold()`` when ``text`` holds only the plain characters above, else None.

    Such a text is its own :func:`normalize_text` (no control character, odd space or carriage
    return) and its own NFC, so it is also what :func:`fold` gives.
    """
    try:
        raw: bytes = codecs.charmap_encode(text, "strict", _PLAIN_MAP)[0]
    except UnicodeEncodeError:
        return None
    if b"\x00" in raw:
        return None
    folded: str = codecs.charmap_decode(raw.translate(_PLAIN_FOLDED), "strict", _PLAIN_TABLE)[0]
    return folded


def read_lines(text: str) -> list[str]:
    """Split normalized text into physical lines (index 0 is line 1)."""
    return normalize_text(text).split("\n")


def clean(text: str | None) -> str:
    """One cell's text: HTML entities decoded, whitespace collapsed, ends trimmed."""
    if text is None:
        return ""
    # Most cells need trimming only: no entity, no double space, and no control character or
    # odd space (these are all unprintable) — three quick checks instead of three substitutions.
    # Without an entity, a text whose only unprintable characters are line breaks and tabs needs
    # its spaces collapsed only, and the space is the one printable whitespace: making its runs
    # one space does it.
    if "&" not in text:
        if text.isprintable():
            return text.strip() if "  " not in text else single_spaced(text)
        flat = text.replace("\n", " ").replace("\t", " ")
        if flat.isprintable():
            return single_spaced(flat)
    text = html.unescape(text)
    text = _ANSI.sub("", text)
    text = _CONTROL.sub("", text.replace("\n", " "))
    return _SPACES.sub(" ", text).strip()


def single_spaced(text: str) -> str:
    """``" ".join(text.split())`` of a printable text (whose only whitespace is the space, the
    one printable): its runs of spaces made one and its ends trimmed, without cutting it into
    words and joining them again."""
    while "  " in text:
        text = text.replace("  ", " ")
    return text.strip()


def clean_or_none(text: str | None) -> str | None:
    """Like :func:`clean`, but an empty result is ``None``."""
    if not text:  # most optional cells: nothing to clean
        return None
    return clean(text) or None


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


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """A Latin, lower-case, dash-separated identifier for text in any of the three languages."""
    latin = fold(text).translate(_SLUG_MAP)
    return _NOT_SLUG.sub("-", latin).strip("-")
