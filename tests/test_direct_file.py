"""The writer around the page cache (workbench/direct_file.py) and the exports that use it."""

from __future__ import annotations

import errno
import mmap
import os
import random
from pathlib import Path

import pytest
from workspace_data import KB, KB_ACTIVITY, tables

from workbench import direct_file, snapshot
from workbench.dataset import parquet_folder
from workbench.direct_file import DirectFile, open_direct
from workbench.workspace import store

BLOCK = 2 * mmap.PAGESIZE
BUNDLED = Path(__file__).resolve().parent.parent / "data" / "plans"


def chunks(seed: int, total: int) -> list[bytes]:
    """Pieces of random sizes (empty ones, ones within a block, ones spanning several)."""
    rng = random.Random(seed)
    sizes = [0, 1, BLOCK - 1, BLOCK, 3 * BLOCK + 5, 0]
    while sum(sizes) < total:
        sizes.append(rng.choice([0, rng.randrange(1, 600), rng.randrange(BLOCK, 4 * BLOCK)]))
    return [rng.randbytes(size) for size in sizes]


def direct_supported(path: Path) -> bool:
    """Whether the file system of ``path`` (a file) opens files with O_DIRECT."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_DIRECT))
    except (AttributeError, OSError):  # no O_DIRECT on this system, or not here
        return False
    return True


def written(path: Path, pieces: list[bytes], *, direct: bool = True) -> DirectFile:
    """``pieces`` written into ``path`` through a DirectFile of :data:`BLOCK` bytes (its
    "direct" descriptor an ordinary one unless ``direct``: the buffering is the same)."""
    with path.open("wb") as handle:
        writer = open_direct(path, handle.fileno(), block=BLOCK) if direct else None
        if writer is None:
            writer = DirectFile(os.open(path, os.O_WRONLY), handle.fileno(), BLOCK)
        try:
            for piece in pieces:
                assert writer.write(piece) == len(piece)
            writer.finish()
        finally:
            writer.abandon()
        os.fsync(handle.fileno())
    return writer


@pytest.mark.parametrize("seed", range(4))
def test_every_byte_lands_in_its_place(tmp_path: Path, seed: int) -> None:
    pieces = chunks(seed, 20 * BLOCK + seed * 7)
    written(tmp_path / "f", pieces, direct=False)
    assert (tmp_path / "f").read_bytes() == b"".join(pieces)


@pytest.mark.parametrize("size", [0, 5, BLOCK, 2 * BLOCK + 1])
def test_sizes_at_the_edges(tmp_path: Path, size: int) -> None:
    data = os.urandom(size)
    written(tmp_path / "f", [data], direct=False)
    assert (tmp_path / "f").read_bytes() == data


@pytest.mark.skipif(not hasattr(os, "O_DIRECT"), reason="no O_DIRECT on this system (macOS)")
def test_written_directly_where_the_file_system_can(tmp_path: Path) -> None:
    """Where the test folder's file system opens files with O_DIRECT (asked directly here),
    the writer is direct (the flag set on its descriptor) and the file whole; where it does
    not (a tmpfs before Linux 6.6), there is no writer and exports write as before."""
    import fcntl

    path = tmp_path / "f"
    path.write_bytes(b"")
    supported = direct_supported(path)
    with path.open("r+b") as handle:
        writer = open_direct(path, handle.fileno(), block=BLOCK)
        if not supported:
            assert writer is None
            return
        assert writer is not None
        direct = writer._direct
        assert direct is not None and fcntl.fcntl(direct, fcntl.F_GETFL) & os.O_DIRECT
        writer.abandon()
    pieces = chunks(9, 12 * BLOCK + 3)
    written(path, pieces)
    assert path.read_bytes() == b"".join(pieces)


def test_no_writer_without_o_direct(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No writer where the system has no O_DIRECT (macOS), or the file system refuses to open
    a file with it (EINVAL): the export then writes through the page cache."""
    path = tmp_path / "f"
    path.write_bytes(b"")
    real_open = os.open

    def refusing(file: Path, flags: int, *args: int) -> int:
        if flags & getattr(os, "O_DIRECT", 0):
            raise OSError(errno.EINVAL, "Invalid argument")
        return real_open(file, flags, *args)

    with path.open("r+b") as handle:
        monkeypatch.setattr(direct_file.os, "open", refusing)
        assert open_direct(path, handle.fileno()) is None
        monkeypatch.delattr(direct_file.os, "O_DIRECT", raising=False)
        assert open_direct(path, handle.fileno()) is None


def test_finished_or_abandoned(tmp_path: Path) -> None:
    """No close() for a writer to call when it is done (that would lose the last buffer); after
    finish, or abandon (an export that failed), nothing more is taken, and abandon stops the
    thread without writing what it still had."""
    assert not hasattr(DirectFile, "close")
    path = tmp_path / "f"
    with path.open("wb") as handle:
        writer = DirectFile(os.open(path, os.O_WRONLY), handle.fileno(), BLOCK)
        writer.write(b"x" * (BLOCK + 10))
        writer.finish()
        with pytest.raises(ValueError):
            writer.write(b"y")
        with pytest.raises(ValueError):
            writer.finish()
        writer.abandon()  # nothing to do
    assert path.read_bytes() == b"x" * (BLOCK + 10)
    with path.open("wb") as handle:
        writer = DirectFile(os.open(path, os.O_WRONLY), handle.fileno(), BLOCK)
        writer.write(b"z" * 10)
        writer.abandon()
        assert not writer._writer.is_alive() and writer._direct is None
        with pytest.raises(ValueError):
            writer.write(b"z")
    assert path.read_bytes() == b""


def test_a_refused_direct_write_goes_through_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file system that opens with O_DIRECT but refuses the writes (EINVAL): that block and
    the rest are written through the ordinary descriptor, and the file is whole."""
    real_pwrite = os.pwrite
    refused: list[int] = []
    path = tmp_path / "f"
    pieces = chunks(5, 10 * BLOCK)
    with path.open("wb") as handle:
        plain = handle.fileno()
        writer = DirectFile(os.open(path, os.O_WRONLY), plain, BLOCK)
        direct = writer._direct

        def pwrite(fd: int, data: memoryview, offset: int) -> int:
            if fd == direct and offset >= 2 * BLOCK:
                refused.append(offset)
                raise OSError(errno.EINVAL, "Invalid argument")
            assert fd in (direct, plain)
            return real_pwrite(fd, data, offset)

        monkeypatch.setattr(direct_file.os, "pwrite", pwrite)
        for piece in pieces:
            writer.write(piece)
        writer.finish()
    assert refused == [2 * BLOCK]  # once: then the writer stops trying
    assert path.read_bytes() == b"".join(pieces)


def test_a_failed_write_is_raised_by_finish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A disk error in the writer thread: write keeps taking data (it is called from inside
    Polars), nothing waits forever, and finish raises the error."""
    real_pwrite = os.pwrite

    def pwrite(fd: int, data: memoryview, offset: int) -> int:
        if offset >= BLOCK:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_pwrite(fd, data, offset)

    monkeypatch.setattr(direct_file.os, "pwrite", pwrite)
    path = tmp_path / "f"
    with path.open("wb") as handle:
        writer = DirectFile(os.open(path, os.O_WRONLY), handle.fileno(), BLOCK)
        for piece in chunks(3, 40 * BLOCK):  # many more blocks than buffers
            writer.write(piece)
        with pytest.raises(OSError, match="No space left"):
            writer.finish()
    assert not writer._writer.is_alive() and writer._direct is None


def test_exports_written_directly_are_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """TOML and CSV exports of the bundled data written through the direct writer (in blocks
    small enough that they span many) and through the page cache are the same files, with the
    same permissions."""
    bundled = parquet_folder.read(BUNDLED)
    ws = store.open_workspace(tmp_path / "ws.sqlite3", dataset=bundled, author="aigerim")
    plan_id, node_id = bundled["indicators"].select("plan_id", "node_id").row(0)
    ws.annotate(plan_id, node_id, None, "бир эскертүү")
    snapshot.create(ws, bundled, "d")
    ws.close()
    ws = store.open_workspace(tmp_path / "ws.sqlite3")
    monkeypatch.setattr(direct_file, "BLOCK", BLOCK)
    finished: list[int] = []
    real_finish = DirectFile.finish

    def finish(self: DirectFile) -> None:
        finished.append(self._offset)
        real_finish(self)

    monkeypatch.setattr(DirectFile, "finish", finish)
    snapshot.export(ws, "d", "toml", tmp_path / "direct.toml")
    snapshot.export(ws, "d", "csv", tmp_path / "direct.csv")
    if direct_supported(tmp_path / "ws.sqlite3"):
        assert len(finished) == 2 and min(finished) > 2 * BLOCK  # blocks written directly
    else:
        assert finished == []  # written through the page cache
    monkeypatch.setattr(snapshot, "open_direct", lambda *args, **kwargs: None)
    snapshot.export(ws, "d", "toml", tmp_path / "cached.toml")
    snapshot.export(ws, "d", "csv", tmp_path / "cached.csv")
    ws.close()
    for kind in ("toml", "csv", "annotations.csv"):
        direct, cached = tmp_path / f"direct.{kind}", tmp_path / f"cached.{kind}"
        assert direct.read_bytes() == cached.read_bytes()
        assert direct.stat().st_mode == cached.stat().st_mode
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_disk_error_while_writing_directly_fails_the_export(
    ws: store.Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws.annotate(KB, KB_ACTIVITY, 2024, "иш-чара кечигүүдө", category="funding delayed")
    snapshot.create(ws, tables(), "d")
    monkeypatch.setattr(direct_file, "BLOCK", BLOCK)

    def pwrite(fd: int, data: memoryview, offset: int) -> int:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(direct_file.os, "pwrite", pwrite)
    for fmt, name in (("toml", "x.toml"), ("csv", "x.csv")):
        with pytest.raises(OSError, match="Input/output error"):
            snapshot.export(ws, "d", fmt, tmp_path / name)
    assert [p.name for p in tmp_path.iterdir() if "x." in p.name] == []
