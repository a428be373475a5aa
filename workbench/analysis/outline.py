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
the catalog's depth-first order: one substring search, one prefix sum, then a binary search per item
the screen asks about, so a keystroke costs the same whatever part of the tree is open.
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
    # Sorted indices of the matching items, and for a query the items it covers; kept as Polars
    # series (binary search, O(1) lookup) so a one-letter query matching everything stays cheap.
    matches: pl.Series = field(default_factory=lambda: pl.Series("idx", [], dtype=pl.UInt32))
    _covered: pl.Series | None = None
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
        found = _hits_and_coverage(catalog, query) if query else None
        if flt.deviations or flt.unexplained:
            deviating = catalog.unexplained_mask() if flt.unexplained else catalog.deviation_mask()
            if found is not None:
                view.matches = (deviating & found[1]).arg_true()
            else:
                view.matches = deviating.arg_true()
        elif found is not None:
            view.matches, covered = found
            view._covered = covered if view.matches.len() else None
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
        if self._covered is not None and self._covered[idx]:
            return True
        lo = self._search(idx)
        return lo < self.matches.len() and self.matches[lo] < self.catalog.end[idx]

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
        starts = pl.Series(kids, dtype=pl.UInt32)
        found = pl.col("m")
        frame = self.matches.to_frame("m").select(  # the four searches in one query
            at=found.search_sorted(starts, side="left"),
            after=found.search_sorted(starts, side="right"),
            below=found.search_sorted(starts + 1, side="left"),
            past=found.search_sorted(pl.Series(ends, dtype=pl.UInt32), side="left"),
        )
        covered = (
            self._covered.gather(starts)
            if self._covered is not None
            else pl.repeat(False, len(kids), eager=True)
        )
        frame = frame.with_columns(covered=covered)
        out = []
        for kid, end, (at, after, below, past, covered) in zip(
            kids, ends, frame.iter_rows(), strict=True
        ):
            if not (covered or past > at):
                continue
            opens = end > kid + 1 and (covered or past > below)
            out.append((kid, opens, after > at))
        return self._in_order(out)

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


def _hits_and_coverage(catalog: Catalog, query: str) -> tuple[pl.Series, pl.Series]:
    """The items whose code or title contain ``query`` (folded), by idx in order, and the
    items covered: each a hit or below one (a hit's subtree is shown, so it can be opened).

    Item i is covered when some hit h ≤ i has end[h] > i; the largest end among the hits up to i
    is a running maximum, so one pass does it. Both come from one query, side by side.
    """
    hit = pl.col("hit")
    reach = pl.when(hit).then(pl.col("end")).otherwise(0).cum_max()
    found = catalog.items.select("idx", "end", hit=catalog.matching(query)).select(
        matches=hit.arg_true().implode(),
        covered=(reach > pl.col("idx")).implode(),
    )
    return found.item(0, "matches"), found.item(0, "covered")
