"""A large file written straight to the disk, around the page cache (``O_DIRECT``).

An export of a snapshot writes hundreds of megabytes once and never reads them back. Through
the page cache, the kernel first copies every byte into fresh pages of its own and writes them
out later: on a small machine that copy costs as much CPU as making part of the text (and on a
virtual machine each fresh page is also a fault in the host). Written with ``O_DIRECT``, the
disk takes the data from our buffers: no copy, no cache to fill, and the write of one buffer
overlaps the making of the next.

:func:`open_direct` opens such a writer on an existing empty file, or returns None where the
system or the file system has no ``O_DIRECT`` (macOS; a file system that refuses to open a file
with it): the caller then writes as before. A writer is a binary file for Polars' writers
(``write``, ``flush``): what it is given is gathered into page-aligned buffers of :data:`BLOCK`
bytes, each written by another thread at its place. :meth:`DirectFile.finish` writes the last,
partial buffer through the caller's ordinary descriptor (``O_DIRECT`` writes whole blocks
only); the caller then fsyncs that descriptor, which makes all of the file durable. If the disk
refuses a direct write (a file system that accepts ``O_DIRECT`` at open but not these writes),
that buffer and the rest go through the ordinary descriptor. Any other error is raised by
``finish``, in the caller's own code: ``write`` is called from inside Polars, which would wrap
it in an error of its own, so after a failure ``write`` takes what it is given without writing
it.
"""

from __future__ import annotations

import contextlib
import errno
import mmap
import os
import queue
import threading
from pathlib import Path
from typing import Final

# Bytes per direct write: a multiple of every block size a disk uses, large enough that the
# disk streams (measured on the bench machine: 1 MiB and up write 300 MB in about the same time).
BLOCK: Final = 8 << 20
# Buffers in flight: one being filled, one being written, one ready.
_BUFFERS: Final = 3


def open_direct(path: Path, fd: int, *, block: int | None = None) -> DirectFile | None:
    """A direct writer on ``path`` (empty, opened as ``fd`` by the caller), in buffers of
    ``block`` bytes (:data:`BLOCK`; a multiple of the page size), or None where the system or
    the file system does not write directly."""
    flag = getattr(os, "O_DIRECT", None)
    if flag is None:
        return None
    try:
        direct = os.open(path, os.O_WRONLY | flag | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    return DirectFile(direct, fd, block or BLOCK)


class DirectFile:
    """See the module text. Not for use from more than one thread at a time."""

    def __init__(self, direct: int, fd: int, block: int = BLOCK) -> None:
        if block <= 0 or block % mmap.PAGESIZE:
            raise ValueError(f"block of {block} bytes: not a multiple of the page size")
        self._direct: int | None = direct
        self._fd = fd
        self._block = block
        self._free: queue.SimpleQueue[mmap.mmap] = queue.SimpleQueue()
        for _ in range(_BUFFERS):
            self._free.put(mmap.mmap(-1, block))  # anonymous: page-aligned, as O_DIRECT needs
        self._full: queue.SimpleQueue[tuple[mmap.mmap, int] | None] = queue.SimpleQueue()
        self._failed: list[Exception] = []
        self._buffer: mmap.mmap | None = self._free.get()
        self._filled = 0
        self._offset = 0  # where the buffer being filled goes in the file
        self._writer = threading.Thread(target=self._run, name="direct-write", daemon=True)
        self._writer.start()

    # ---- the Polars side

    def write(self, data: bytes | bytearray | memoryview) -> int:
        view = memoryview(data).cast("B")
        size = len(view)
        if self._failed:
            return size  # finish raises the error
        block = self._block
        taken = 0
        while taken < size:
            buffer = self._buffer
            if buffer is None:
                raise ValueError("write to a finished direct file")
            step = min(block - self._filled, size - taken)
            buffer[self._filled : self._filled + step] = view[taken : taken + step]
            self._filled += step
            taken += step
            if self._filled == block:
                self._full.put((buffer, self._offset))
                self._offset += block
                self._filled = 0
                self._buffer = self._free.get()
        return size

    def flush(self) -> None:
        """Nothing to do: whole buffers are on their way; the rest is written by finish."""

    # No ``close``: a writer that closed its file-like object would lose the last buffer.

    def finish(self) -> None:
        """Wait for the direct writes, then write the rest through the ordinary descriptor."""
        buffer = self._buffer
        if buffer is None:
            raise ValueError("the direct file was finished or abandoned already")
        self._buffer = None
        self._full.put(None)
        self._writer.join()
        try:
            if self._failed:
                raise self._failed[0]
            if self._filled:
                _write_all(self._fd, memoryview(buffer)[: self._filled], self._offset)
        finally:
            self.abandon()

    def abandon(self) -> None:
        """Stop the writer thread (whatever it still has to write is of no use) and release the
        direct descriptor; nothing more is written. After :meth:`finish`: nothing to do."""
        self._buffer = None
        if self._writer.is_alive():
            self._full.put(None)
            self._writer.join()
        if self._direct is not None:
            with contextlib.suppress(OSError):
                os.close(self._direct)
            self._direct = None

    # ---- the writer thread

    def _run(self) -> None:
        while (item := self._full.get()) is not None:
            buffer, offset = item
            try:
                if not self._failed:
                    self._write_block(buffer, offset)
            except Exception as exc:  # raised by finish, in the caller's thread
                self._failed.append(exc)
            finally:
                self._free.put(buffer)  # else write would wait for it forever

    def _write_block(self, buffer: mmap.mmap, offset: int) -> None:
        view = memoryview(buffer)
        try:
            if self._direct is not None:
                try:
                    _write_all(self._direct, view, offset)
                    return
                except OSError as exc:
                    if exc.errno != errno.EINVAL:  # EINVAL: these direct writes are refused
                        raise
                    os.close(self._direct)
                    self._direct = None
            _write_all(self._fd, view, offset)
        finally:
            view.release()


def _write_all(fd: int, data: memoryview, offset: int) -> None:
    """Write all of ``data`` at ``offset`` (a direct write of whole blocks may still be short)."""
    done = 0
    while done < len(data):
        written = os.pwrite(fd, data[done:], offset + done)
        if written <= 0:
            raise OSError(errno.EIO, "the disk took nothing")
        done += written
