"""Decoding document bytes of unknown encoding (cleaning text is :mod:`workbench.dataset.text`).

Documents arrive as UTF-8 (with or without BOM), UTF-16 (with or without BOM), or in a legacy
single-byte Cyrillic code page: Windows-1251 for Russian and KZ-1048 for Kazakh (which also
carries the Kyrgyz letters ң ө ү). Everything after decoding works on ``str`` with ``\\n`` line
ends.
"""

from __future__ import annotations

import re

from workbench.errors import DocumentError
from workbench.i18n import _

# What text does not hold: replacement characters and control characters other than tab, line
# feed, form feed and carriage return.
_NOT_TEXT = re.compile("[\ufffd\x00-\x08\x0b\x0e-\x1f]")

# Bytes where KZ-1048 and Windows-1251 differ: KZ-1048 has the Kazakh (and Kyrgyz) letters
# қ һ ұ ә ө ғ ү ң there, Windows-1251 Serbian, Macedonian, Ukrainian and Belarusian ones that a
# Russian, Kazakh or Kyrgyz document never uses. So any of them inside a word means KZ-1048.
_KZ1048_ONLY = frozenset(b"\x8d\x8e\x9d\x9e\xa1\xa2\xa3\xa5\xaa\xaf\xb4\xba\xbc\xbd\xbe\xbf")


def decode_bytes(data: bytes, path: str = "<input>") -> str:
    """Decode a document's bytes, recognising the encoding; DocumentError if it is not text."""
    if not data.strip():
        raise DocumentError(path, _("the file is empty: expected a plan document"))
    if data.startswith(b"\xef\xbb\xbf"):
        return _check_text(data[3:].decode("utf-8", errors="replace"), path)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _check_text(data.decode("utf-16"), path)
        except UnicodeDecodeError as exc:
            raise DocumentError(
                path, _("damaged UTF-16 text ({reason})").format(reason=exc.reason)
            ) from None
    if b"\x00" in data[:4096]:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise DocumentError(path, _("binary file, not a text document (found NUL bytes)"))
        try:
            return _check_text(data.decode(utf16), path)
        except UnicodeDecodeError:
            raise DocumentError(
                path, _("binary file, not a text document (found NUL bytes)")
            ) from None
    try:
        return _check_text(data.decode("utf-8"), path)
    except UnicodeDecodeError:
        pass
    return _check_text(_decode_single_byte(data), path)


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when the NUL bytes all stand at one parity, as UTF-16 puts them.

    In UTF-16 every ASCII character (spaces, digits, line ends, tabs) has a NUL high byte, and
    Cyrillic letters a 0x04 one; so in text the NULs of the first kilobytes are all at odd
    offsets (little-endian) or all at even ones (big-endian). Binary data has them anywhere.
    """
    head = data[:4096]
    if len(data) % 2:
        return None
    odd = head[1::2].count(0)
    even = head[0::2].count(0)
    enough = max(8, len(head) // 64)  # spaces and digits alone are far more than 1 in 32
    if odd >= enough and even == 0:
        return "utf-16-le"
    if even >= enough and odd == 0:
        return "utf-16-be"
    return None


def _decode_single_byte(data: bytes) -> str:
    letters = sum(1 for byte in data if byte in _KZ1048_ONLY)
    return data.decode("kz1048" if letters else "cp1251", errors="replace")


def _check_text(text: str, path: str) -> str:
    sample = text[:8192]
    if not sample:
        raise DocumentError(path, _("the file is empty: expected a plan document"))
    bad = len(_NOT_TEXT.findall(sample))
    if bad / len(sample) > 0.05:
        raise DocumentError(path, _("binary file, not a text document"))
    return text
