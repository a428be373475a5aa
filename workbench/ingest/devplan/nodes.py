"""The nodes built so far, shared by the passport and part-4 readers.

Part 4 repeats the passport's items; keeping what the passport built lets part 4 fill those
nodes instead of adding copies, and keeps one value or amount per node, year and kind.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.dataset.text import fold
from workbench.ingest.devplan.items import _KIND, _Item, _language, _stems
from workbench.ingest.document import DocumentBuilder


@dataclass(slots=True)
class _Known:
    """A passport node part 4 may repeat."""

    node_id: str
    level: int
    number: str | None
    title: str
    stems: frozenset[str]
    language: str | None
    parent: str | None
    folded: str = ""
    matched: bool = False

    def retitle(self, title: str) -> None:
        self.title, self.folded = title, fold(title)
        self.stems, self.language = _stems(title), _language(title)


class _Plan:
    """The document being built and what the readers must remember of it."""

    def __init__(self, builder: DocumentBuilder) -> None:
        self.builder = builder
        self.known: dict[str, _Known] = {}
        self.children: dict[str | None, list[str]] = {}
        self.titles: dict[str, str] = {}
        self.indicator_done: set[str] = set()
        self.value_keys: set[tuple[str, int, str]] = set()
        self.funding_keys: set[tuple[str | None, int | None, str | None, str]] = set()
        self.plan_funding: dict[tuple[int | None, str], float] = {}
        self.plan_total: float | None = None
        self.plan_total_line: int | None = None

    def add(self, item: _Item, parent: str | None, line: int, known: bool) -> str:
        kind = _KIND[item.level]
        node_id = self.builder.add_node(kind, item.title, parent=parent, code=item.code, line=line)
        self.titles[node_id] = item.title
        self.children.setdefault(parent, []).append(node_id)
        if known:
            self.known[node_id] = _Known(
                node_id,
                item.level,
                item.number,
                item.title,
                _stems(item.title),
                _language(item.title),
                parent,
                fold(item.title),
            )
        return node_id

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
    ) -> bool:
        key = (node_id, year, source, kind)
        if key in self.funding_keys:
            self.builder.warn(line, f"a second {kind} amount for {year} under the same node")
            return False
        self.funding_keys.add(key)
        self.builder.add_funding(
            node_id=node_id,
            year=year,
            source=source,
            kind=kind,
            amount=amount,
            amount_raw=raw,
            comment=comment,
        )
        return True
