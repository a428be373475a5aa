"""What a parser produces: one plan's rows for every table, built through ``DocumentBuilder``.

Parsers never make ids or frames themselves. The builder gives every node a stable id made of
its ancestry and its printed code, so the same document always gives the same ids and a corrected
document keeps the ids of unchanged rows. A node with no code is named by its kind and its rank
among the uncoded siblings of that kind (``a_2``: the second uncoded activity under its parent):
the underscore keeps these apart from printed codes (``i5`` is the row numbered 5), and adding or
removing a row of another kind does not rename them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import polars as pl

from workbench.dataset.contract import (
    NODE_KINDS,
    SCHEMAS,
    TABLES,
    check_tuples,
    frame_from_tuples,
)
from workbench.dataset.polarity import infer_polarity
from workbench.dataset.text import clean, clean_or_none, slug
from workbench.i18n import _
from workbench.ingest.sources.blocks import Blocks, Origin


@dataclass(frozen=True, slots=True)
class Source:
    """A decoded document: its path as given, its text, its SHA-256 and its physical lines.

    A document read from another form than a text export (``form``: html, web-text, docx, xlsx)
    has its ``blocks``, and ``lines`` are those blocks written as a text export; ``origins``
    then says where each of those lines came from (``origins[0]`` is line 1), and ``family``
    the family whose layout they were written in: the one that scored best on these lines, with
    ``family_score`` (below the detection threshold when no family fits the document).
    """

    path: str
    text: str
    sha256: str
    lines: tuple[str, ...]
    form: str = "text"
    origins: tuple[Origin | None, ...] = ()
    blocks: Blocks | None = None
    family: str | None = None
    # That family's detection score on these lines, so that it is not worked out again.
    family_score: float | None = None

    @property
    def name(self) -> str:
        return self.path.replace("\\", "/").rsplit("/", 1)[-1]


@dataclass(frozen=True, slots=True)
class Warning_:
    """A problem in a document that was read in part: the line (1-based) and what went wrong."""

    line: int | None
    message: str

    def format(self, path: str) -> str:
        where = f"{path}:{self.line}" if self.line is not None else path
        return f"{where}: " + _("warning: {warning}").format(warning=self.message)


@dataclass(slots=True)
class PlanMeta:
    """The ``plans`` row of a document."""

    city: str
    city_native: str
    country: str
    language: str
    kind: str
    title: str
    period_start: int
    period_end: int
    currency: str
    report_year: int | None = None
    approved: str | None = None
    responsible: str | None = None
    narrative: str | None = None
    # Fields the analyst stated because the text did not ("city,period"), or None.
    given_by_hand: str | None = None

    def plan_id(self) -> str:
        parts = [slug(self.city), self.kind, str(self.period_start)]
        if self.period_end != self.period_start:
            parts.append(str(self.period_end))
        if self.report_year is not None:
            parts.append(f"r{self.report_year}")
        return "-".join(parts)


Row = tuple[object, ...]


@dataclass(slots=True)
class ParsedDocument:
    """One document read into rows of the canonical tables, with its warnings.

    ``rows`` holds every table's rows as tuples in its schema's column order, checked against the
    contract when the document is made (a parser's value of the wrong type or outside its enum is
    refused here, naming the table and column). The frames are built from them only when asked:
    ``tables`` builds this document's on first use, and a merge builds all its documents' tables
    at once (:func:`build_tables`), most tables of a document being a few rows.
    """

    family: str
    plan_id: str
    source: Source
    rows: dict[str, list[Row]]
    warnings: list[Warning_] = field(default_factory=list)
    # Body codes of its responsible cells when worked out ahead ((plan_id, text) -> codes).
    body_codes: dict[tuple[str, str], list[tuple[str, str]]] | None = None
    # How surely the document was read: a family's detection score, the generic reader's own.
    confidence: float | None = None
    _tables: dict[str, pl.DataFrame] | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if set(self.rows) != set(TABLES):
            raise ValueError(f"a document holds rows of {sorted(self.rows)}, not {list(TABLES)}")
        for table, rows in self.rows.items():
            check_tuples(table, rows)

    @property
    def tables(self) -> dict[str, pl.DataFrame]:
        """Every table of the document as a frame of the contract's schema (built once)."""
        if self._tables is None:
            self._tables = build_tables([self])
        return self._tables

    def set_rows(self, table: str, rows: list[Row]) -> None:
        """Replace a table's rows (checked as when the document was made)."""
        check_tuples(table, rows)
        self.rows[table] = rows
        self._tables = None

    def plan(self) -> dict[str, object]:
        """The document's ``plans`` row by column name."""
        return dict(zip(SCHEMAS["plans"].names(), self.rows["plans"][0], strict=True))

    def count(self, table: str) -> int:
        return len(self.rows[table])

    def __getstate__(self) -> tuple[object, ...]:
        # Sent between processes without its frames: the rows say the same in less, and the
        # receiver builds all documents' tables at once.
        return tuple(getattr(self, name) for name in _STATE)

    def __setstate__(self, state: tuple[object, ...]) -> None:
        for name, value in zip(_STATE, state, strict=True):
            object.__setattr__(self, name, value)
        self._tables = None


_STATE = ("family", "plan_id", "source", "rows", "warnings", "body_codes", "confidence")


def build_tables(documents: Iterable[ParsedDocument]) -> dict[str, pl.DataFrame]:
    """The documents' tables, each built once from the rows of all of them in their order: the
    frames their own ``tables`` would give, concatenated (one frame is made far quicker than
    many small ones)."""
    documents = list(documents)
    tables: dict[str, pl.DataFrame] = {}
    for table in TABLES:
        if len(documents) == 1:
            rows = documents[0].rows[table]
        else:
            rows = [row for document in documents for row in document.rows[table]]
        tables[table] = frame_from_tuples(table, rows, checked=True)
    return tables


# Where a node's kind and title are in its row of the nodes table.
_NODE_KIND = tuple(SCHEMAS["nodes"]).index("kind")
_NODE_TITLE = tuple(SCHEMAS["nodes"]).index("title")

_KIND_LETTER = {kind: kind[0] for kind in NODE_KINDS}
_KIND_LETTER["target"] = "t"
_KIND_LETTER["task"] = "k"
_KIND_LETTER["grant"] = "gr"
_KIND_LETTER["activity"] = "a"


def _code_segment(code: str) -> str:
    """A printed code made safe for an id: ``3.2.1.1`` stays, ``НҰИ - 6`` becomes ``nui-6``."""
    if code.isascii() and code.replace(".", "").isdigit():
        # Digits and dots are what slug keeps of them: most printed codes.
        return code.strip(".")
    return ".".join(slug(part) for part in code.split(".")).strip(".")


class DocumentBuilder:
    """Collects one document's rows; ``build()`` returns the ParsedDocument."""

    def __init__(self, family: str, source: Source, meta: PlanMeta) -> None:
        self.family = family
        self.source = source
        self.meta = meta
        self.plan_id = meta.plan_id()
        # Each table's rows as tuples in its schema's column order: the frames are built from
        # their columns.
        self._rows: dict[str, list[tuple[object, ...]]] = {table: [] for table in TABLES}
        self._children: dict[str | None, int] = {}
        self._uncoded: dict[tuple[str | None, str], int] = {}
        self._nodes: dict[str, int] = {}  # each node's row in the nodes table, by its id
        self._segments: dict[str, str] = {}  # _code_segment of each code met, by the code
        self.warnings: list[Warning_] = []

    # -- nodes -------------------------------------------------------------------------------

    def add_node(
        self,
        kind: str,
        title: str,
        *,
        parent: str | None = None,
        code: str | None = None,
        line: int | None = None,
    ) -> str:
        """Add a node under ``parent`` and return its stable id."""
        if kind not in NODE_KINDS:
            raise ValueError(_("unknown node kind {kind}").format(kind=repr(kind)))
        if parent is not None and parent not in self._nodes:
            raise ValueError(_("unknown parent {parent}").format(parent=repr(parent)))
        position = self._children.get(parent, 0) + 1
        self._children[parent] = position
        code = clean_or_none(code)
        if code:
            code_part = self._segments.get(code)
            if code_part is None:
                code_part = self._segments[code] = _code_segment(code)
        else:
            code_part = ""
        if code_part:
            segment = f"{_KIND_LETTER[kind]}{code_part}"
        else:
            rank = self._uncoded.get((parent, kind), 0) + 1
            self._uncoded[(parent, kind)] = rank
            segment = f"{_KIND_LETTER[kind]}_{rank}"
        node_id = f"{parent}/{segment}" if parent else segment
        if node_id in self._nodes:
            node_id = f"{node_id}~{position}"
        nodes = self._rows["nodes"]
        self._nodes.setdefault(node_id, len(nodes))  # the first of equal ids, as a scan finds it
        nodes.append(
            (
                self.plan_id,
                node_id,
                parent,  # parent_id
                kind,
                code,
                clean(title) or (code or kind),  # title
                position,
                line,  # source_line
            )
        )
        return node_id

    def node_kind(self, node_id: str) -> str:
        return str(self._rows["nodes"][self._nodes[node_id]][_NODE_KIND])

    def _node_title(self, node_id: str) -> str:
        return str(self._rows["nodes"][self._nodes[node_id]][_NODE_TITLE])

    def set_title(self, node_id: str, title: str) -> None:
        """Replace a node's title (a cell that continued on later lines)."""
        nodes = self._rows["nodes"]
        index = self._nodes[node_id]
        row = nodes[index]
        cleaned = clean(title) or row[_NODE_TITLE]
        nodes[index] = (*row[:_NODE_TITLE], cleaned, *row[_NODE_TITLE + 1 :])

    # -- detail rows -------------------------------------------------------------------------

    def add_indicator(
        self,
        node_id: str,
        *,
        unit: str | None = None,
        responsible: str | None = None,
        info_source: str | None = None,
        polarity: str | None = None,
        title: str | None = None,
    ) -> None:
        """Describe an indicator node; polarity is inferred from its title unless given."""
        if polarity is None:
            if title is None:
                title = self._node_title(node_id)
            polarity = infer_polarity(title, unit)
        self._rows["indicators"].append(
            (
                self.plan_id,
                node_id,
                clean_or_none(unit),
                clean_or_none(responsible),
                clean_or_none(info_source),
                polarity,
            )
        )

    def add_value(
        self,
        node_id: str,
        *,
        year: int,
        kind: str,
        raw: str,
        value: float | None,
        comment: str | None = None,
        reported_status: str | None = None,
        line: int | None = None,
    ) -> None:
        self._rows["values"].append(
            (
                self.plan_id,
                node_id,
                year,
                kind,
                value,
                clean(raw),
                clean_or_none(comment),
                reported_status,
                line,  # source_line
            )
        )

    def add_activity(
        self,
        node_id: str,
        *,
        title: str,
        measures: str | None = None,
        deadline_raw: str | None = None,
        due_start: date | None = None,
        due_end: date | None = None,
        expected_result: str | None = None,
        responsible: str | None = None,
        funding_raw: str | None = None,
        funding_sources: list[str] | None = None,
        completion_form: str | None = None,
        report: str | None = None,
    ) -> None:
        self._rows["activities"].append(
            (
                self.plan_id,
                node_id,
                clean(title),
                clean_or_none(measures),
                clean_or_none(deadline_raw),
                due_start,
                due_end,
                clean_or_none(expected_result),
                clean_or_none(responsible),
                clean_or_none(funding_raw),
                list(funding_sources or []),
                clean_or_none(completion_form),
                clean_or_none(report),
            )
        )

    def add_grant(
        self,
        node_id: str,
        *,
        area: str | None = None,
        direction: str | None = None,
        problem: str | None = None,
        grant_type: str | None = None,
        period_raw: str | None = None,
        territory: str | None = None,
        targets: list[str] | None = None,
        expected_results: list[str] | None = None,
        requirements: str | None = None,
    ) -> None:
        self._rows["grants"].append(
            (
                self.plan_id,
                node_id,
                clean_or_none(area),
                clean_or_none(direction),
                clean_or_none(problem),
                clean_or_none(grant_type),
                clean_or_none(period_raw),
                clean_or_none(territory),
                [text for t in targets or [] if (text := clean(t))],
                [text for t in expected_results or [] if (text := clean(t))],
                clean_or_none(requirements),
            )
        )

    def add_funding(
        self,
        *,
        node_id: str | None,
        year: int | None,
        source: str | None,
        kind: str,
        amount: float,
        amount_raw: str,
        comment: str | None = None,
        currency: str | None = None,
        label: str | None = None,
        line: int | None = None,
    ) -> None:
        self._rows["funding"].append(
            (
                self.plan_id,
                node_id,
                year,
                source,
                kind,
                amount,
                clean(amount_raw),
                currency or self.meta.currency,
                clean_or_none(comment),
                clean_or_none(label),
                line,  # source_line
            )
        )

    def add_abbreviation(self, abbreviation: str, meaning: str) -> None:
        self._rows["abbreviations"].append((self.plan_id, clean(abbreviation), clean(meaning)))

    def warn(self, line: int | None, message: str) -> None:
        self.warnings.append(Warning_(line, message))

    # -- result ------------------------------------------------------------------------------

    def build(self) -> ParsedDocument:
        meta = self.meta
        plan_row = (
            self.plan_id,
            meta.city,
            meta.city_native,
            meta.country,
            meta.language,
            meta.kind,
            clean(meta.title),
            meta.period_start,
            meta.period_end,
            meta.report_year,
            meta.currency,
            clean_or_none(meta.approved),
            clean_or_none(meta.responsible),
            _clean_block(meta.narrative),
            self.source.name,  # source_file
            self.source.sha256,
            meta.given_by_hand,
        )
        rows: dict[str, list[Row]] = {"plans": [plan_row]}
        for table in TABLES:
            if table != "plans":
                rows[table] = list(self._rows[table])
                if table in ("vocabulary", "assignments", "abbreviations"):
                    rows[table] = _unique(rows[table])
        return ParsedDocument(self.family, self.plan_id, self.source, rows, list(self.warnings))


def _unique(rows: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    """The rows without repeats, each where it first comes."""
    return list(dict.fromkeys(rows))


def _clean_block(text: str | None) -> str | None:
    """Multi-paragraph text: each line cleaned, blank runs collapsed to one empty line."""
    if not text:
        return None
    lines = [clean(line) for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) or None


_YEAR = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")


def years_in(text: str) -> list[int]:
    """Four-digit years printed in a text, in order."""
    return [int(y) for y in _YEAR.findall(text)]
