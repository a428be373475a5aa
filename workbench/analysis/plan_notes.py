"""The document's own words on indicator values, kept for the detail pane: no Textual here.

The notes are the execution texts and the values printed where no number could be read (the
``notes`` table of :func:`workbench.analysis.catalog.read_tables`): half a million rows and some 25
MB at a thousand plans, of which the detail shows one indicator's at a time. Once
:meth:`PlanNotes.pack` has run (in the background, after the tree is up: about 0.15 s), they are
kept in key order as compressed Parquet blocks of a few thousand rows, about an eighth of the
size, and the detail reads back the block or two that hold its indicator (about half a
millisecond; the last ones read are kept).
"""

from __future__ import annotations

import bisect
import io
import threading

import polars as pl

# In a block: the rows in (plan_id, node_id) order, with the ids and kinds as plain text.
_TEXT = ("plan_id", "node_id", "kind")
_BLOCK_ROWS = 4096
_KEPT = 2  # blocks read back and kept (an indicator's rows can straddle two)


class PlanNotes:
    """The notes of a catalog; shared by its copies (a year, the analyst's work), thread-safe."""

    def __init__(self, frame: pl.DataFrame) -> None:
        self._frame: pl.DataFrame | None = frame
        self._blocks: list[bytes] = []
        self._firsts: list[tuple[str, str]] = []  # each block's first and last key
        self._lasts: list[tuple[str, str]] = []
        self._kept: dict[int, pl.DataFrame] = {}
        self._schema = frame.clear().with_columns(pl.col(c).cast(pl.String) for c in _TEXT).schema
        self._lock = threading.Lock()

    @property
    def packed(self) -> bool:
        return self._frame is None

    def of(self, plan_id: str, node_id: str) -> pl.DataFrame:
        """The notes of one node, ids and kinds as text."""
        same = (pl.col("plan_id") == plan_id) & (pl.col("node_id") == node_id)
        with self._lock:
            if self._frame is not None:
                return self._frame.filter(same).with_columns(
                    pl.col(c).cast(pl.String) for c in _TEXT
                )
            key = (plan_id, node_id)
            first = bisect.bisect_left(self._lasts, key)
            stop = bisect.bisect_right(self._firsts, key)
            parts = [self._block(i).filter(same) for i in range(first, stop)]
        if not parts:
            return self._empty()
        return pl.concat(parts) if len(parts) > 1 else parts[0]

    def _block(self, index: int) -> pl.DataFrame:
        found = self._kept.get(index)
        if found is None:
            found = pl.read_parquet(io.BytesIO(self._blocks[index]))
            if len(self._kept) >= _KEPT:
                self._kept.pop(next(iter(self._kept)))
            self._kept[index] = found
        return found

    def _empty(self) -> pl.DataFrame:
        return pl.DataFrame(schema=self._schema)

    def pack(self) -> None:
        """Keep the notes as compressed blocks from now on (call it from a worker). Done once;
        later calls return at once."""
        with self._lock:
            frame = self._frame
        if frame is None or frame.is_empty():
            return
        # The key order, found on the ids as they are (a categorical sorts by its text); each
        # block's rows are taken and made plain text alone: a sorted plain copy of the whole
        # frame at once held several times the notes' size on top of the tree.
        order = frame.select(pl.arg_sort_by("plan_id", "node_id", maintain_order=True))
        rows = order.to_series()
        blocks, firsts, lasts = [], [], []
        for start in range(0, frame.height, _BLOCK_ROWS):
            taken = rows.slice(start, _BLOCK_ROWS)
            part = frame.select(pl.all().gather(taken)).with_columns(
                pl.col(c).cast(pl.String) for c in _TEXT
            )
            buffer = io.BytesIO()
            part.write_parquet(buffer, compression="zstd", statistics=False)
            blocks.append(buffer.getvalue())
            firsts.append((str(part.item(0, "plan_id")), str(part.item(0, "node_id"))))
            lasts.append((str(part.item(-1, "plan_id")), str(part.item(-1, "node_id"))))
        with self._lock:
            self._blocks, self._firsts, self._lasts = blocks, firsts, lasts
            self._kept = {}
            self._frame = None  # the rows are let go: every copy of the catalog shares this
