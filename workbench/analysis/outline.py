"""Which items of the tree a filter shows, and where its matches are: no Textual here.

A filter has a query (typed after ``/``) and a "deviations only" switch (``d``).

- query only: an item matches when its code or title contains the query, case-insensitively
  (Cyrillic with the Kazakh and Kyrgyz letters ә ғ қ ң ө ұ ү һ і). A matching item is shown with
  its whole subtree, so a matching goal can still be opened.
- deviations only: the indicators at risk, off track or with a claim mismatch match.
- both: the deviating indicators that match the query or sit under an item that does.

An item is shown when it matches, when something below it matches, or when an item above it
matches the query. ``n`` / ``N`` walk the matches in tree order (the order shown, when an
:class:`~workbench.analysis.ordering.Ordering` sorts the siblings). Everything is vectorised over
the catalog's depth-first order: one substring search (among the hits of the query before, when
a letter is typed onto it), a running maximum over the hits alone, then binary searches for the
items the screen asks about, so a keystroke costs the hits, not the items of the dataset.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import polars as pl

from workbench.analysis.catalog import Catalog
from workbench.dataset.text import fold

if TYPE_CHECKING:
    from workbench.analysis.ordering import Ordering


def fold_query(query: str) -> str:
    """The query folded as the catalog folds titles (NFC, lower case)."""
    return fold(query).strip()


@dataclass(frozen=True, slots=True)
class Filter:
    query: str = ""
    deviations: bool = False
    unexplained: bool = False  # deviations with no explaining annotation (``e``)

    @property
    def active(self) -> bool:
        return bool(self.query.strip()) or self.deviations or self.unexplained


@dataclass(slots=True)
class View:
    """The catalog seen through a filter."""

    catalog: Catalog
    filter: Filter = field(default_factory=Filter)
    # Sorted indices of the matching items, kept as a Polars series (binary search, O(1)
    # lookup) so a one-letter query matching everything stays cheap.
    matches: pl.Series = field(default_factory=lambda: pl.Series("idx", [], dtype=pl.UInt32))
    # For a query alone, the items its matches cover (each match's subtree is shown).
    _cover: Cover | None = None
    # The siblings' order (None: the document's); the matches in that order, for n / N.
    ordering: Ordering | None = None
    _shown_order: pl.Series | None = None

    @classmethod
    def build(
        cls, catalog: Catalog, flt: Filter | None = None, ordering: Ordering | None = None
    ) -> View:
        flt = flt or Filter()
        if ordering is not None and ordering.order == "document":
            ordering = None
        view = cls(catalog, flt, ordering=ordering)
        if not flt.active:
            return view
        query = fold_query(flt.query)
        cover = Cover.of(catalog, catalog.matching(query)) if query else None
        if flt.deviations or flt.unexplained:
            deviating = catalog.unexplained_mask() if flt.unexplained else catalog.deviation_mask()
            view.matches = deviating.arg_true()
            if cover is not None:  # the deviations at or below a match of the query
                view.matches = view.matches.filter(cover.covers(view.matches))
        elif cover is not None:
            view.matches = cover.hits
            view._cover = cover if cover.hits.len() else None
        if ordering is not None and view.matches.len():
            places = ordering.position.gather(view.matches)
            view._shown_order = places.sort()
        return view

    @property
    def active(self) -> bool:
        return self.filter.active

    def shows(self, idx: int) -> bool:
        """Whether the item is shown under the filter."""
        if not self.filter.active:
            return True
        return bool(self._look([idx])[0][0])

    def _search(self, idx: int, side: str = "left") -> int:
        return int(self.matches.search_sorted(idx, side="left" if side == "left" else "right"))

    @property
    def count(self) -> int:
        return self.matches.len()

    def children(self, idx: int) -> list[int]:
        """The shown items just below ``idx`` (-1: the top)."""
        return [kid for kid, _, _ in self.shown_children(idx)]

    def shown_children(self, idx: int) -> list[tuple[int, bool, bool]]:
        """(item, can be opened, is a match) for each shown item just below ``idx``.

        One vectorised pass over the children, whatever their number: a binary search of the
        matches for each child's range, rather than a search per child.
        """
        catalog = self.catalog
        kids = catalog.children(idx)
        if not kids:
            return []
        ends = [catalog.end[kid] for kid in kids]
        if not self.filter.active:
            shown = [(kid, end > kid + 1, False) for kid, end in zip(kids, ends, strict=True)]
            return self._in_order(shown)
        out = []
        for kid, end, (seen, below, matched) in zip(kids, ends, self._look(kids), strict=True):
            if seen:
                out.append((kid, end > kid + 1 and below, matched))
        return self._in_order(out)

    def _look(self, items: list[int]) -> list[tuple[bool, bool, bool]]:
        """(shown, shows something below it, is a match) for each of ``items``, the filter
        active: binary searches of the matches for each item and its subtree, all in one
        query."""
        starts = pl.Series(items, dtype=pl.UInt32)
        ends = pl.Series([self.catalog.end[idx] for idx in items], dtype=pl.UInt32)
        hits = pl.col("hits")
        cover = self._cover
        frame = (cover.table if cover is not None else self.matches.to_frame("hits")).select(
            at=hits.search_sorted(starts, side="left"),
            after=hits.search_sorted(starts, side="right"),
            past=hits.search_sorted(ends, side="left"),
            covered=Cover.covering(starts) if cover is not None else pl.lit(False),
        )
        # an item is shown when a match is at or below it, or above it (its subtree is shown)
        return [
            (covered or past > at, covered or past > after, after > at)
            for at, after, past, covered in frame.iter_rows()
        ]

    def _in_order(self, shown: list[tuple[int, bool, bool]]) -> list[tuple[int, bool, bool]]:
        if self.ordering is None or len(shown) < 2:
            return shown
        rank = {kid: at for at, kid in enumerate(self.ordering.sort([kid for kid, _, _ in shown]))}
        return sorted(shown, key=lambda item: rank[item[0]])

    def has_children(self, idx: int) -> bool:
        if not self.catalog.has_children(idx):
            return False
        if not self.filter.active:
            return True
        return bool(self.shown_children(idx))

    def is_match(self, idx: int) -> bool:
        lo = self._search(idx)
        return lo < self.matches.len() and self.matches[lo] == idx

    def next_match(self, after: int, *, backwards: bool = False) -> int | None:
        """The next match after ``after`` in tree order (previous when backwards), wrapping;
        the first (last) match for ``after`` -1."""
        total = self.matches.len()
        if not total:
            return None
        if self._shown_order is not None and self.ordering is not None:
            return self._next_shown(after, backwards=backwards)
        if backwards:
            pos = self._search(after) - 1
            return int(self.matches[pos if pos >= 0 else total - 1])
        pos = self._search(after, "right")
        return int(self.matches[pos if pos < total else 0])

    def match_number(self, idx: int) -> int:
        """The match's place among the matches in tree order, from 1 (0: not a match)."""
        if not self.is_match(idx):
            return 0
        if self._shown_order is not None and self.ordering is not None:
            place = self.ordering.position[idx]
            return int(self._shown_order.search_sorted(place, side="left")) + 1
        return self._search(idx) + 1

    def _next_shown(self, after: int, *, backwards: bool) -> int:
        assert self._shown_order is not None and self.ordering is not None
        places, total = self._shown_order, self._shown_order.len()
        if after < 0:
            pos = total - 1 if backwards else 0
        else:
            here = self.ordering.position[after]
            if backwards:
                pos = int(places.search_sorted(here, side="left")) - 1
                pos = pos if pos >= 0 else total - 1
            else:
                pos = int(places.search_sorted(here, side="right"))
                pos = pos if pos < total else 0
        return self.ordering.row_at(int(places[pos]))


@dataclass(frozen=True, slots=True)
class Cover:
    """The items a query shows with their subtrees: its hits (sorted idx) and, for each, the
    largest end among the hits up to it. An item is covered (a hit or below one) when the last
    hit at or before it reaches past it: a running maximum over the hits alone, not over every
    item of the dataset."""

    table: pl.DataFrame  # hits, reach

    @classmethod
    def of(cls, catalog: Catalog, hits: pl.Series) -> Cover:
        reach = catalog.items.get_column("end").gather(hits).cum_max()
        return cls(pl.DataFrame({"hits": hits, "reach": reach}))

    @property
    def hits(self) -> pl.Series:
        return self.table.get_column("hits")

    def covers(self, items: pl.Series) -> pl.Series:
        """For each of ``items``, whether a hit is the item or above it."""
        if not self.table.height:
            return pl.repeat(False, items.len(), eager=True)
        return self.table.select(covered=Cover.covering(items)).to_series()

    @staticmethod
    def covering(items: pl.Series) -> pl.Expr:
        """Over :attr:`table`: whether a hit is each of ``items`` or above it."""
        before = pl.col("hits").search_sorted(items, side="right").cast(pl.Int64) - 1
        reach = pl.col("reach").gather(before.clip(lower_bound=0)).cast(pl.Int64)
        return (before >= 0) & (reach > pl.lit(items).cast(pl.Int64))
