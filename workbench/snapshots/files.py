"""Writing an export file so that it is never half-written and replaces only what it may.

A file is written into a temporary file beside its target (``.NAME.PID.XXXXXXXX.tmp``), flushed
and fsynced, then linked into place (no ``force``: a file that appeared meanwhile is never
clobbered) or renamed over the old one (``force``), and the folder is fsynced.

``force`` replaces a regular file only, and the new file keeps the old one's permission bits
(a 0600 file stays 0600). Anything else is refused: a folder, a device (``/dev/null``), a FIFO,
a socket, and a symbolic link (``/proc/self/fd/1`` is one) — name the file itself instead.

Temporary files of ours that a killed export left beside a target (our naming, older than this
process) are removed before the next export to that target.

Public API::

    check_target(path, force)          refuses a target that may not be written (ValidationError)
    atomic_file(path, force)           context manager -> Temporary(handle, path); placed at exit
    remove_stale_temporaries(path)     -> the leftovers removed beside ``path``
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Final

from workbench.errors import ValidationError
from workbench.i18n import _

# When this process began (near enough: when this module was first imported). A temporary file
# last written before then cannot be one this process is still writing.
_STARTED: Final = time.time()


@dataclass(frozen=True, slots=True)
class Temporary:
    """The temporary file being written: by ``handle``, or by a writer that opens ``path`` again
    by name (it is the same file; it is fsynced through ``handle`` at the end)."""

    handle: IO[bytes]
    path: Path


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return _("a folder; give a file name")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("a device, not a regular file; --force replaces regular files only")
    if stat.S_ISFIFO(mode):
        return _("a FIFO, not a regular file; --force replaces regular files only")
    if stat.S_ISSOCK(mode):
        return _("a socket, not a regular file; --force replaces regular files only")
    return _("not a regular file; --force replaces regular files only")


def check_target(path: Path, force: bool) -> os.stat_result | None:
    """Refuse a target that may not be written; the status of the file it replaces, or None."""
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        status = None
    except OSError as exc:
        raise ValidationError(
            _("{path}: cannot be written ({strerror})").format(path=path, strerror=exc.strerror)
        ) from None
    if status is not None and stat.S_ISLNK(status.st_mode):
        raise ValidationError(
            _("{path}: is a symbolic link (to {readlink}); give the file itself").format(
                path=path, readlink=os.readlink(path)
            )
        )
    if status is not None and not stat.S_ISREG(status.st_mode):
        raise ValidationError(_("{path}: is {kind}").format(path=path, kind=_kind(status.st_mode)))
    if not path.parent.is_dir():
        raise ValidationError(_("{parent}: no such folder").format(parent=path.parent))
    if status is not None and not force:
        raise ValidationError(
            _("{path}: already exists (use --force to overwrite)").format(path=path)
        )
    return status


def _temporary_pattern(path: Path) -> re.Pattern[str]:
    """Our temporary files' names beside ``path`` (``mkstemp``'s eight letters, with this
    process's id before them; an older workbench wrote them without)."""
    return re.compile(rf"\.{re.escape(path.name)}\.(?:[0-9]+\.)?[a-z0-9_]{{8}}\.tmp")


def remove_stale_temporaries(path: Path) -> list[Path]:
    """Remove the temporary files of ours that an export killed midway left beside ``path``:
    regular files named as ours, last written before this process began."""
    pattern = _temporary_pattern(path)
    removed = []
    try:
        names = os.listdir(path.parent)
    except OSError:
        return []
    for name in names:
        if not pattern.fullmatch(name):
            continue
        each = path.parent / name
        with contextlib.suppress(OSError):
            status = os.lstat(each)
            if stat.S_ISREG(status.st_mode) and status.st_mtime < _STARTED:
                each.unlink()
                removed.append(each)
    return removed


@contextlib.contextmanager
def atomic_file(path: Path, force: bool) -> Iterator[Temporary]:
    """Write into a temporary file beside ``path``; at the end flush and fsync it and put it in
    place (see the module text). On an error, the temporary file is removed and ``path`` is
    left as it was."""
    old = check_target(path, force)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent
    )
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield Temporary(handle, tmp)
            handle.flush()
            os.fsync(handle.fileno())
        mode = stat.S_IMODE(old.st_mode) if old is not None else 0o666 & ~_umask()
        os.chmod(tmp, mode)
        _place(tmp, path, force)
    finally:
        tmp.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _place(tmp: Path, path: Path, force: bool) -> None:
    if force:
        check_target(path, force)  # what appeared there meanwhile must be a regular file too
        os.replace(tmp, path)
    else:
        try:
            os.link(tmp, path)  # fails if the target appeared meanwhile: never clobbered
        except FileExistsError:
            raise ValidationError(
                _("{path}: already exists (use --force to overwrite)").format(path=path)
            ) from None
        except OSError:  # a file system without hard links
            if os.path.lexists(path):
                raise ValidationError(
                    _("{path}: already exists (use --force to overwrite)").format(path=path)
                ) from None
            os.replace(tmp, path)
    with contextlib.suppress(OSError):
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
