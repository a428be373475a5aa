"""The nodes built so far, shared by the passport and part-4 readers.

Part 4 repeats the passport's items; keeping what the passport built lets part 4 fill those
nodes instead of adding copies, and keeps one value or amount per node, year and kind.

Nodes are kept here under provisional keys and handed to the builder only at the end: part 4
decides which sections hold which goals (see ``build``), and a node's id follows its parent.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from workbench.dataset.numbers import parse_number
from workbench.dataset.text import fold
from workbench.errors import NumberParseError
from workbench.i18n import _
from workbench.ingest.devplan.items import _KIND, SECTION, _Item, _language, _stems
from workbench.ingest.document import DocumentBuilder, ParsedDocument


@dataclass(slots=True)
class _Known:
    """A passport node part 4 may repeat. Its title's stems and language are worked out when a
    match first needs them: most part-4 rows repeat their node's title word for word."""

    node_id: str
    level: int
    number: str | None
    title: str
    parent: str | None
    folded: str = ""
    matched: bool = False
    _title_stems: frozenset[str] | None = None
    _title_language: str | None = None
    _language_read: bool = False

    @property
    def stems(self) -> frozenset[str]:
        if self._title_stems is None:
            self._title_stems = _stems(self.title)
        return self._title_stems

    @property
    def language(self) -> str | None:
        if not self._language_read:
            self._title_language, self._language_read = _language(self.title), True
        return self._title_language

    def retitle(self, title: str) -> None:
        self.title, self.folded = title, fold(title)
        self._title_stems, self._language_read = None, False


@dataclass(slots=True)
class _Node:
    """A node to hand to the builder: its parent is provisional until ``build``."""

    kind: str
    level: int
    title: str
    code: str | None
    parent: str | None
    line: int


# What :meth:`_Plan.number` gives for text that is no number (NaN is never a cell's value).
_UNREADABLE = float("nan")
# Digits, maybe in groups of three after single spaces ("46 240,2"), with a decimal comma or
# point: most cells, read as parse_number reads them (:func:`_plain_value`) without its other
# cases.
_PLAIN_NUMBER = re.compile(r"(?:\d{1,3}(?: \d{3})+|\d+)(?:[.,]\d+)?")


def _plain_value(raw: str) -> float | None:
    """The value of a number :data:`_PLAIN_NUMBER` matches, as parse_number reads it: None
    for digits too many for a float, which parse_number refuses."""
    value = float(raw.replace(" ", "").replace(",", "."))
    return value if value != math.inf else None


class _Values:
    """Values waiting for their node's id, kept by column rather than one object a value:
    thousands of them, and the garbage collector need not count them. A reader appends to the
    columns directly, a value at a time (one call each, not a method that calls them)."""

    __slots__ = ("keys", "lines", "node_ids", "raws", "values")

    def __init__(self) -> None:
        self.node_ids: list[str] = []
        self.keys: list[tuple[int, str]] = []  # (year, kind)
        self.raws: list[str] = []
        self.values: list[float | None] = []
        self.lines: list[int] = []

    def rows(self) -> Iterator[tuple[str, tuple[int, str], str, float | None, int]]:
        columns = (self.node_ids, self.keys, self.raws, self.values, self.lines)
        return zip(*columns, strict=True)


class _Indicator(NamedTuple):
    node_id: str
    unit: str | None
    responsible: str | None
    info_source: str | None
    polarity: str | None
    title: str | None


class _Funding(NamedTuple):
    node_id: str | None
    year: int | None
    source: str | None
    kind: str
    amount: float
    raw: str
    comment: str | None
    label: str | None
    line: int


class _Plan:
    """The document being built and what the readers must remember of it."""

    def __init__(self, builder: DocumentBuilder) -> None:
        self.builder = builder
        self.nodes: dict[str, _Node] = {}
        self.known: dict[str, _Known] = {}
        self.children: dict[str | None, list[str]] = {}
        self.titles: dict[str, str] = {}
        self.indicator_done: set[str] = set()
        # the (year, kind) of each value read, by node: one value each
        self.value_keys: dict[str, set[tuple[int, str]]] = {}
        self.funding_keys: set[tuple[str | None, int | None, str | None, str, str | None]] = set()
        self.plan_funding: dict[tuple[int | None, str], float] = {}
        self.plan_total: float | None = None
        self.plan_total_line: int | None = None
        # The node of each part-4 money row read so far (None: the plan's grand total).
        self.money_nodes: list[str | None] = []
        # What part 4 says of the structure: the sections it prints and the parent it gives
        # a passport item that the passport put straight under a section or direction.
        self.part4_read = False
        self.printed_sections: set[str] = set()
        self.moved: dict[str, str] = {}
        # Rows of the tables that name a node, kept until the nodes have their ids.
        self.values = _Values()
        self.pending: list[_Indicator | _Funding] = []
        # Part 4 looks for its rows' passport nodes over and over, and repeats their titles.
        self._below: dict[str | None, dict[int, list[_Known]]] = {}  # scope -> level -> nodes
        self._known_children: dict[str | None, list[_Known]] = {}
        self._stems: dict[str, frozenset[str]] = {}
        # The value of each number printed so far (see ``number``).
        self.numbers: dict[str, float | None] = {}

    def number(self, raw: str) -> float | None:
        """The value of a printed number (:data:`_UNREADABLE` when it is none): the same few
        are printed in cell after cell."""
        numbers = self.numbers
        if raw in numbers:
            return numbers[raw]
        value: float | None
        if _PLAIN_NUMBER.fullmatch(raw):
            value = _plain_value(raw)
            if value is None:
                value = _UNREADABLE
        else:
            try:
                value = parse_number(raw).value
            except NumberParseError:
                value = _UNREADABLE
        numbers[raw] = value
        return value

    def stems(self, title: str) -> frozenset[str]:
        found = self._stems.get(title)
        if found is None:
            found = self._stems[title] = _stems(title)
        return found

    def below(self, scope: str | None, level: int) -> list[_Known]:
        """The passport nodes of ``level`` under ``scope`` (anywhere when None), nearest
        first, in the order they were read.

        Only the passport adds known nodes, and always under known nodes, before part 4 asks:
        the nodes part 4 adds later hold none, so the lists are made once, every level's at once."""
        levels = self._below.get(scope)
        if levels is None:
            levels = self._below[scope] = {}
            known_children = self._known_children
            # breadth first, a generation at a time
            generation = known_children.get(scope, [])
            while generation:
                next_generation: list[_Known] = []
                for node in generation:
                    levels.setdefault(node.level, []).append(node)
                    below = known_children.get(node.node_id)
                    if below is not None:
                        next_generation += below
                generation = next_generation
        return levels.get(level, [])

    def add(self, item: _Item, parent: str | None, line: int, known: bool) -> str:
        node_id = f"#{len(self.nodes)}"
        self.nodes[node_id] = _Node(
            _KIND[item.level], item.level, item.title, item.code, parent, line
        )
        self.titles[node_id] = item.title
        self.children.setdefault(parent, []).append(node_id)
        if known:
            node = self.known[node_id] = _Known(
                node_id, item.level, item.number, item.title, parent, fold(item.title)
            )
            self._known_children.setdefault(parent, []).append(node)
        return node_id

    def set_title(self, node_id: str, title: str) -> None:
        self.nodes[node_id].title = title
        self.titles[node_id] = title

    def indicator(
        self,
        node_id: str,
        *,
        unit: str | None = None,
        responsible: str | None = None,
        info_source: str | None = None,
        polarity: str | None = None,
        title: str | None = None,
    ) -> None:
        self.pending.append(_Indicator(node_id, unit, responsible, info_source, polarity, title))

    def funding(
        self,
        node_id: str | None,
        year: int | None,
        source: str | None,
        kind: str,
        amount: float,
        raw: str,
        comment: str | None,
        line: int,
        *,
        label: str | None = None,
        part_of: bool = False,
    ) -> bool:
        """Keep one amount per node, year, source and kind; a part ("оның ішінде …") printed
        under an amount is kept beside it, told apart by its label and later line."""
        key = (node_id, year, source, kind, label if part_of else None)
        if key in self.funding_keys:
            self.builder.warn(
                line,
                _("a second {kind} amount for {year} under the same node").format(
                    kind=kind, year=year
                ),
            )
            return False
        self.funding_keys.add(key)
        self.pending.append(
            _Funding(node_id, year, source, kind, amount, raw, comment, label, line)
        )
        return True

    # -- the end ---------------------------------------------------------------------------

    def _dropped_sections(self) -> set[str]:
        """Passport sections part 4 reads past without printing: the main table has none."""
        if not self.part4_read:
            return set()
        dropped = set()
        for node_id, known in self.known.items():
            if known.level != SECTION or node_id in self.printed_sections:
                continue
            queue = list(self.children.get(node_id, []))
            while queue:
                child = queue.pop()
                if child in self.known and self.known[child].matched:
                    dropped.add(node_id)
                    break
                queue.extend(self.children.get(child, []))
        return dropped

    def build(self) -> ParsedDocument:
        """Hand the nodes to the builder under their final parents, then their rows."""
        dropped = self._dropped_sections()

        def parent_of(node_id: str) -> str | None:
            parent = self.moved.get(node_id, self.nodes[node_id].parent)
            while parent is not None and parent in dropped:
                parent = self.moved.get(parent, self.nodes[parent].parent)
            return parent

        ids: dict[str, str] = {}
        waiting: dict[str, list[str]] = {}

        def emit(node_id: str, parent: str | None) -> None:
            node = self.nodes[node_id]
            ids[node_id] = self.builder.add_node(
                node.kind,
                node.title,
                parent=ids[parent] if parent is not None else None,
                code=node.code,
                line=node.line,
            )
            for child in waiting.pop(node_id, []):
                emit(child, node_id)

        # Creation order, a node whose parent comes later waiting for it: the order of
        # siblings (and so the ranks in the ids of uncoded nodes) is the order they were read.
        for node_id in self.nodes:
            if node_id in dropped:
                continue
            parent = parent_of(node_id)
            if parent is None or parent in ids:
                emit(node_id, parent)
            else:
                waiting.setdefault(parent, []).append(node_id)
        assert not waiting, "every parent is a node that is emitted"
        builder = self.builder
        for node_id, (year, kind), raw, value, line in self.values.rows():
            builder.add_value(ids[node_id], year=year, kind=kind, raw=raw, value=value, line=line)
        for row in self.pending:
            if isinstance(row, _Indicator):
                builder.add_indicator(
                    ids[row.node_id],
                    unit=row.unit,
                    responsible=row.responsible,
                    info_source=row.info_source,
                    polarity=row.polarity,
                    title=row.title,
                )
            else:
                builder.add_funding(
                    node_id=ids[row.node_id] if row.node_id is not None else None,
                    year=row.year,
                    source=row.source,
                    kind=row.kind,
                    amount=row.amount,
                    amount_raw=row.raw,
                    comment=row.comment,
                    label=row.label,
                    line=row.line,
                )
        return builder.build()
