"""Reading a file the user names, safely: regular files only, with a size limit, names escaped.

Used for every file read on the user's word (a document to ingest, a snapshot to import). A path
given on the command line may name a FIFO (opening it would wait for a writer forever), a
device such as ``/dev/zero`` (endless), a folder, or a file far larger than any plan document.
Each is refused with one line naming the file before anything is read into memory. File names
are data too: a name holding terminal escape sequences is shown (and stored) with them escaped.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from workbench.errors import DocumentError
from workbench.i18n import N_, _

# Far above any plan document (the samples are a few hundred kilobytes; a Word file with pictures
# a few megabytes) and far below what would exhaust memory.
DEFAULT_MAX_SIZE = 64 * 1024 * 1024

_UNITS = {"": 1, "b": 1, "k": 1024, "kb": 1024, "m": 1024**2, "mb": 1024**2, "g": 1024**3}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$", re.IGNORECASE)

# Control characters (C0, DEL, C1), bidirectional overrides and the lone surrogates Python uses
# for bytes of a file name that are not UTF-8: none of them may reach a terminal raw.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def escape_name(name: str) -> str:
    """A file name safe to print and store, in ``cat -v`` notation: ESC is ``^[``, BEL ``^G``.

    Other unsafe characters become ``<U+202E>``, a byte that is not UTF-8 ``<xFF>``. No
    backslashes, so the name's folder and file parts stay as they were.
    """

    def escaped(match: re.Match[str]) -> str:
        code = ord(match.group(0))
        if code < 0x20:
            return "^" + chr(code + 0x40)
        if code == 0x7F:
            return "^?"
        if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
            return f"<x{code - 0xDC00:02X}>"
        return f"<U+{code:04X}>"

    return _UNSAFE.sub(escaped, name)


def parse_size(text: str) -> int:
    """``64M``, ``500k``, ``1G`` or a plain number of bytes; ValueError when it is none of them."""
    match = _SIZE.match(text)
    if match is None or match.group(2).lower() not in _UNITS:
        raise ValueError(
            _("expected a size such as 64M, 500k or 1G, got {text}").format(text=repr(text))
        )
    size = int(float(match.group(1)) * _UNITS[match.group(2).lower()])
    if size <= 0:
        raise ValueError(_("expected a size above zero, got {text}").format(text=repr(text)))
    return size


def format_size(size: int) -> str:
    for unit, factor in (("G", 1024**3), ("M", 1024**2), ("k", 1024)):
        if size >= factor:
            return f"{size / factor:.3g} {unit}B"
    return f"{size} bytes"


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return _("a folder")
    if stat.S_ISFIFO(mode):
        return _("a FIFO (named pipe)")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("a device")
    if stat.S_ISSOCK(mode):
        return _("a socket")
    return _("not a regular file")


def read_regular_file(
    path: str | Path, *, max_size: int = DEFAULT_MAX_SIZE, expected: str = N_("a document file")
) -> bytes:
    """The bytes of a regular file of at most ``max_size`` bytes; DocumentError otherwise
    (naming the file escaped, and saying it ``expected`` something else).

    The file is opened without blocking (a FIFO with no writer would otherwise wait forever) and
    checked with ``fstat`` on the open descriptor, so what is checked is what is read.
    """
    expected = _(expected)
    shown = escape_name(str(path))
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise DocumentError(shown, _("no such file")) from None
    except IsADirectoryError:
        raise DocumentError(
            shown, _("is a folder, expected {expected}").format(expected=expected)
        ) from None
    except PermissionError:
        raise DocumentError(shown, _("cannot be read (permission denied)")) from None
    except OSError as exc:
        raise DocumentError(
            shown, _("cannot be read ({value})").format(value=exc.strerror or exc)
        ) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise DocumentError(
                shown,
                _("is {kind}, expected {expected}").format(
                    kind=_kind(info.st_mode), expected=expected
                ),
            )
        if info.st_size > max_size:
            raise DocumentError(shown, _too_big(info.st_size, max_size, expected))
        os.set_blocking(fd, True)
        chunks: list[bytes] = []
        total = 0
        while total <= max_size:
            chunk = os.read(fd, min(1 << 20, max_size + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > max_size:  # the file grew while it was read
            raise DocumentError(shown, _too_big(total, max_size, expected))
        return b"".join(chunks)
    except OSError as exc:
        raise DocumentError(
            shown, _("cannot be read ({value})").format(value=exc.strerror or exc)
        ) from None
    finally:
        os.close(fd)


def _too_big(size: int, max_size: int, expected: str) -> str:
    return _(
        "is {size}, more than the {limit} allowed for {expected} (raise the limit with --max-size)"
    ).format(size=format_size(size), limit=format_size(max_size), expected=expected)
