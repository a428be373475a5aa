"""The generic plan: any document with indicator or measure tables that fits no family.

It is read with what it holds, through the layout layer: headings (directions, goals, tasks,
numbered sections) give the tree, each table's header gives its columns' roles, and each row
becomes an indicator with its values by year and kind, or a measure (an activity) with its
deadline, responsible bodies, expected result and money. Where, when and who come from the text
(:mod:`workbench.ingest.gazetteer`) or from the analyst (:class:`~workbench.ingest.hints.Hints`).

Whatever could not be read is a warning with its place; the reading gets a confidence between 0
and 1 (the share of table rows read, of tables understood, and whether the text itself named the
place and the period). Only a document with nothing readable is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from workbench.dataset.numbers import parse_amount, parse_number
from workbench.dataset.text import clean, fold
from workbench.errors import DocumentError, NumberParseError
from workbench.i18n import N_, _
from workbench.ingest.deadlines import parse_deadline
from workbench.ingest.document import DocumentBuilder, ParsedDocument, PlanMeta, Source
from workbench.ingest.gazetteer import (
    detect_country,
    detect_language,
    detect_period,
    find_act,
    find_place,
    place_by_name,
)
from workbench.ingest.hints import Hints
from workbench.ingest.layout.headings import Heading, parse_heading
from workbench.ingest.layout.tables import TableLayout, analyse_table, classify_row
from workbench.ingest.layout.textblocks import blocks_from_source
from workbench.ingest.places import latin_city
from workbench.ingest.sources.blocks import Blocks, Origin, Paragraph, Row, Table
from workbench.ingest.vocabulary import funding_codes

FAMILY = "generic"

_TITLE_WORDS = ("бағдарлама", "программ", "жоспар", "план", "стратеги")
_LABEL = re.compile(
    r"^(?:мақсатты|нысаналы|целев\w*|максаттуу)\s+(?:индикатор|көрсеткіш|показател)\w*\s*:?\s*"
)
# Why a row or table is skipped is kept in English (the confidence compares it) and shown
# translated (explain, the import view). Rows skipped for what they are (their row shape's
# kind -> reason) are not lost: they do not lower the confidence.
SKIP_REASONS = {
    "empty": N_("empty"),
    "number": N_("column numbers"),
    "header": N_("the header again"),
}
_STRUCTURAL = tuple(SKIP_REASONS.values())
UNREAD_TABLE = N_("no indicator or measure columns in its header")
_PLACE_KINDS = {
    "region": N_("region"),
    "city": N_("city"),
    "district": N_("district"),
    "village": N_("village"),
}
# A heading found inside a table (a row that is one title) nests under the open goal or task.
_TABLE_SECTION_RANK = 5.0


class MissingFact(DocumentError):
    """The text does not say a fact every plan has (``fact``: ``city`` or ``period``): the
    analyst gives it (``--city``/``--period``, or the import view's key)."""

    def __init__(self, path: str, message: str, fact: str) -> None:
        super().__init__(path, message)
        self.fact = fact


@dataclass(slots=True)
class TableReading:
    """How one table was read: its layout and which rows were read or skipped, and why."""

    layout: TableLayout
    read: int = 0
    skipped: list[tuple[Origin, str]] = field(default_factory=list)


@dataclass(slots=True)
class Reading:
    """What ``--explain`` prints: the tables as understood, and where the plan's facts came from."""

    form: str
    tables: list[TableReading] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)
    confidence: float = 0.0


@dataclass(slots=True)
class _Open:
    heading: Heading
    origin: Origin
    node: str | None = None


def parse(source: Source, hints: Hints | None = None) -> ParsedDocument:
    document, _ = read(source, hints)
    return document


def read(
    source: Source, hints: Hints | None = None, blocks: Blocks | None = None
) -> tuple[ParsedDocument, Reading]:
    """Read a document as a generic plan; DocumentError when nothing in it is readable.

    ``blocks`` are the document as a form reader gave them (HTML, .docx, .xlsx, web text);
    without them the decoded text is read as a text export.
    """
    hints = hints or Hints()
    if blocks is None:
        blocks = document_blocks(source)
    reading = Reading(form=blocks.form)
    if not _has_readable_table(blocks, hints):
        raise DocumentError(source.path, _(_NOTHING))
    meta = _meta(source, blocks, hints, reading)
    builder = DocumentBuilder(FAMILY, source, meta)
    walker = _Walker(builder, blocks, hints, reading)
    walker.walk()
    if not walker.items:
        raise DocumentError(source.path, _(_NOTHING))
    document = builder.build()
    document.confidence = reading.confidence
    return document, reading


def document_blocks(source: Source) -> Blocks:
    """The document's blocks as its form's reader made them; a text export's from its lines."""
    if source.blocks is not None:
        return source.blocks
    return blocks_from_source(source)


_NOTHING = N_(
    "not a plan document: nothing readable, no table of indicators or measures "
    "(`workbench ingest --explain FILE` shows how its tables were understood)"
)


def _has_readable_table(blocks: Blocks, hints: Hints) -> bool:
    previous = None
    for number, table in enumerate(blocks.tables(), start=1):
        layout = analyse_table(
            table, number, previous=previous, overrides=hints.columns.get(number)
        )
        if layout.kind != "unknown":
            return True
        previous = layout
    return False


# -- where, when, who ----------------------------------------------------------------------------


def _title_zone(blocks: Blocks) -> list[str]:
    out: list[str] = []
    for item in blocks.items:
        if isinstance(item, Table):
            if out:
                break
            continue
        out.append(item.text)
        if len(out) >= 60:
            break
    return out


def _meta(source: Source, blocks: Blocks, hints: Hints, reading: Reading) -> PlanMeta:
    zone = _title_zone(blocks)
    zone_text = "\n".join(zone)
    head_text = "\n".join(source.lines[:300])
    language = detect_language(source.text[:200_000])
    given: list[str] = []

    place = None
    if hints.city:
        place = place_by_name(hints.city)
        city = place.latin if place else latin_city(hints.city)
        city_native = place.native(language) if place else clean(hints.city)
        given.append("city")
        reading.facts.append(_("city {city}: given by hand").format(city=city))
    else:
        place = find_place(zone_text) or find_place(head_text)
        if place is None:
            raise MissingFact(
                source.path,
                _(
                    "the text names no city, district or region the gazetteer knows: say which "
                    "with --city"
                ),
                "city",
            )
        city, city_native = place.latin, place.native(language)
        reading.facts.append(
            _("city {city}: from the text ({kind})").format(
                city=city, kind=_(_PLACE_KINDS.get(place.kind, place.kind))
            )
        )

    country = place.country if place else detect_country(head_text)
    if country is None:
        country = {"kk": "KZ", "ky": "KG"}.get(language)
    if country is None:
        raise MissingFact(
            source.path, _("cannot tell the country: say the city with --city"), "city"
        )

    if hints.period:
        period = hints.period
        given.append("period")
        reading.facts.append(
            _("period {start}-{end}: given by hand").format(start=period[0], end=period[1])
        )
    else:
        # the title's period first, then the plan years of the tables, then a range anywhere
        found = detect_period(zone_text)
        origin = _("from the text")
        if found is None:
            found = _period_from_tables(blocks, hints)
            origin = _("from the tables' plan years")
        if found is None:
            found = detect_period(head_text, ranges_only=True)
            origin = _("from the text")
        if found is not None:
            reading.facts.append(
                _("period {start}-{end}: {origin}").format(
                    start=found[0], end=found[1], origin=origin
                )
            )
        if found is None:
            raise MissingFact(
                source.path,
                _("the text names no period: say it with --period 2021-2025"),
                "period",
            )
        period = found

    kind = _plan_kind(zone_text, hints)
    report_year = None
    if kind == "report":
        # a report's year is the last year it gives facts for, else its period's end
        facts = _table_years(blocks, hints, ("fact",))
        report_year = max(facts) if facts else period[1]
    if hints.family:
        given.append("family")
    if hints.columns:
        given.append("columns")
    act = find_act(list(source.lines[:120]))
    if act is not None:
        reading.facts.append(_("approved: {act}").format(act=act.describe()))
    title = _title(zone, city_native)
    reading.facts.append(
        _("language {language}, country {country}").format(language=language, country=country)
    )
    return PlanMeta(
        city=city,
        city_native=city_native,
        country=country,
        language=language,
        kind=kind,
        title=title,
        period_start=period[0],
        period_end=period[1],
        currency="KZT" if country == "KZ" else "KGS",
        report_year=report_year,
        approved=act.describe() if act else None,
        responsible=act.body if act else None,
        given_by_hand=",".join(given) or None,
    )


def _plan_kind(text: str, hints: Hints) -> str:
    if hints.family in ("plan", "programme", "report", "grants"):
        return hints.family
    folded = fold(text)
    if re.search(r"мониторинг|есептілік|отчет|отчёт", folded):
        return "report"
    if "бағдарлама" in folded or "программ" in folded:
        return "programme"
    return "plan"


def _title(zone: list[str], city_native: str) -> str:
    for line in zone:
        folded = fold(line)
        if any(word in folded for word in _TITLE_WORDS) and len(line) < 400:
            return line
    for line in zone:
        if len(line) < 400 and parse_heading(line) is None:
            return line
    return f"{city_native}: plan"


def _table_years(blocks: Blocks, hints: Hints, kinds: tuple[str, ...]) -> list[int]:
    """The years of the value columns of these kinds (for plans, of the amount columns too)."""
    years: list[int] = []
    previous = None
    for number, table in enumerate(blocks.tables(), start=1):
        overrides = hints.columns.get(number)
        layout = analyse_table(table, number, previous=previous, overrides=overrides)
        previous = layout
        years.extend(c.year for c in layout.columns if c.year and c.kind in kinds)
        if "plan" in kinds:
            years.extend(c.year for c in layout.amounts() if c.year)
    return years


def _period_from_tables(blocks: Blocks, hints: Hints) -> tuple[int, int] | None:
    years = _table_years(blocks, hints, ("plan", "target"))
    if not years:
        return None
    return min(years), max(years)


# -- the tree and the rows -----------------------------------------------------------------------


class _Walker:
    def __init__(self, builder: DocumentBuilder, blocks: Blocks, hints: Hints, reading: Reading):
        self.builder = builder
        self.blocks = blocks
        self.hints = hints
        self.reading = reading
        self.open: list[_Open] = []
        self.last_indicator: str | None = None
        self.last_task: tuple[str, str] | None = None  # (task text, node) of a task column
        self.funded: set[tuple[str | None, int | None, str | None]] = set()
        self.items = 0  # indicators and activities read

    # headings

    def push(self, heading: Heading, origin: Origin) -> None:
        while self.open and self.open[-1].heading.rank >= heading.rank:
            self.open.pop()
        self.open.append(_Open(heading, origin))
        self.last_indicator = None
        self.last_task = None

    def parent(self) -> str | None:
        """The node of the deepest open heading, adding the open headings' nodes on first use."""
        parent: str | None = None
        for item in self.open:
            if item.node is None:
                kind = item.heading.kind if item.heading.kind != "target" else "goal"
                item.node = self.builder.add_node(
                    kind,
                    item.heading.title,
                    parent=parent,
                    code=item.heading.code,
                    line=item.origin.line,
                )
            parent = item.node
        return parent

    def warn(self, origin: Origin, message: str) -> None:
        self.builder.warn(origin.line, f"{origin.describe()}: {message}")

    # blocks

    def walk(self) -> None:
        previous: TableLayout | None = None
        number = 0
        total_rows = read_rows = understood = 0
        period_start = self.builder.meta.period_start
        for item in self.blocks.items:
            if isinstance(item, Paragraph):
                heading = parse_heading(item.text)
                if heading is not None:
                    self.push(heading, item.origin)
                continue
            number += 1
            layout = analyse_table(
                item, number, previous=previous, overrides=self.hints.columns.get(number)
            )
            _fit_stages_to_period(layout, period_start)
            table_reading = TableReading(layout)
            self.reading.tables.append(table_reading)
            body = item.rows[layout.header_rows :]
            if layout.kind == "unknown":
                table_reading.skipped.append((item.origin, UNREAD_TABLE))
                total_rows += len(body)
                continue
            understood += 1
            previous = layout
            for row in body:
                self.row(layout, row, table_reading)
            lost = [s for s in table_reading.skipped if s[1] not in _STRUCTURAL]
            total_rows += table_reading.read + len(lost)
            read_rows += table_reading.read
        for origin, note in self.blocks.notes:
            self.warn(
                origin, _("{note}: the document is cut short, read up to here").format(note=_(note))
            )
        for table in sorted(self.hints.columns):
            if table > number:
                self.builder.warn(
                    None,
                    _("the mapping names table {table}, the document has {number}").format(
                        table=table, number=number
                    ),
                )
        share_rows = read_rows / total_rows if total_rows else 0.0
        share_tables = understood / number if number else 0.0
        given = self.builder.meta.given_by_hand or ""
        said = (0.1 if "city" not in given else 0.0) + (0.1 if "period" not in given else 0.0)
        self.reading.confidence = round(0.6 * share_rows + 0.2 * share_tables + said, 2)

    def row(self, layout: TableLayout, row: Row, reading: TableReading) -> None:
        shape = classify_row(layout, row)
        if shape.kind in SKIP_REASONS:
            reading.skipped.append((row.origin, SKIP_REASONS[shape.kind]))
            return
        if shape.kind == "heading":
            heading = parse_heading(shape.text)
            if heading is None or heading.kind == "section":
                heading = Heading("section", shape.code, shape.text, _TABLE_SECTION_RANK)
            self.push(heading, row.origin)
            reading.read += 1
            return
        if layout.kind == "indicators":
            self.indicator(layout, row, shape.kind, shape.text, shape.code, reading)
        else:
            self.measure(layout, row, shape.kind, shape.text, shape.code, reading)

    def indicator(
        self,
        layout: TableLayout,
        row: Row,
        shape: str,
        label: str,
        code: str | None,
        reading: TableReading,
    ) -> None:
        texts = [clean(cell.text) for cell in row.cells]
        title = _strip_label(label)
        if not title:
            reading.skipped.append((row.origin, N_("no indicator name")))
            return
        parent = self.parent()
        if shape == "part" and self.last_indicator is not None:
            parent = self.last_indicator
        node = self.builder.add_node(
            "indicator", title, parent=parent, code=_code(code), line=row.origin.line
        )
        if shape != "part":
            self.last_indicator = node
        self.items += 1

        def cell(role: str) -> str | None:
            column = layout.role(role)
            if column is None or column.index >= len(texts):
                return None
            return texts[column.index] or None

        self.builder.add_indicator(
            node,
            unit=cell("unit"),
            responsible=cell("responsible"),
            info_source=cell("info_source"),
            title=title,
        )
        seen: set[tuple[int, str]] = set()
        for column in layout.values():
            if column.index >= len(row.cells):
                continue
            raw = texts[column.index]
            if not raw:
                continue
            origin = row.cells[column.index].origin
            assert column.year is not None and column.kind is not None
            key = (column.year, column.kind)
            if key in seen:
                self.warn(
                    origin,
                    _("a second {year} {kind} value «{raw}» left out").format(
                        year=column.year, kind=column.kind, raw=raw
                    ),
                )
                continue
            seen.add(key)
            try:
                value = parse_number(raw).value
                comment = None
            except NumberParseError:
                value, comment = None, raw
                self.warn(
                    origin,
                    _(
                        "text in the {year} {kind} column kept as a comment, not a value: «{short}»"
                    ).format(year=column.year, kind=column.kind, short=_short(raw)),
                )
            self.builder.add_value(
                node,
                year=column.year,
                kind=column.kind,
                raw=raw,
                value=value,
                comment=comment,
                line=origin.line,
            )
        reading.read += 1

    def measure(
        self,
        layout: TableLayout,
        row: Row,
        shape: str,
        label: str,
        code: str | None,
        reading: TableReading,
    ) -> None:
        texts = [clean(cell.text) for cell in row.cells]

        def cell(role: str) -> str | None:
            column = layout.role(role)
            if column is None or column.index >= len(texts):
                return None
            return texts[column.index] or None

        if shape in ("total", "part"):
            self.money(layout, row, None, funding_codes(label) if shape == "part" else [], label)
            reading.read += 1
            return
        parent = self.parent()
        task = cell("task")
        if task and layout.role("measure") is not None:
            if self.last_task is None or self.last_task[0] != task:
                node = self.builder.add_node("task", task, parent=parent, line=row.origin.line)
                self.last_task = (task, node)
            parent = self.last_task[1]
        title = cell("measure") or cell("task") or label
        if not title:
            reading.skipped.append((row.origin, N_("no measure named")))
            return
        node = self.builder.add_node(
            "activity", _short(title, 300), parent=parent, code=_code(code), line=row.origin.line
        )
        self.items += 1
        meta = self.builder.meta
        deadline = cell("deadline")
        due_start, due_end = parse_deadline(
            deadline, plan_start=meta.period_start, plan_end=meta.period_end
        )
        source_text = cell("funding_source")
        sources = funding_codes(source_text)
        amounts = [texts[c.index] for c in layout.amounts() if c.index < len(texts)]
        funding_raw = "; ".join(x for x in [source_text, *amounts] if x) or None
        self.builder.add_activity(
            node,
            title=title,
            measures=None,
            deadline_raw=deadline,
            due_start=due_start,
            due_end=due_end,
            expected_result=cell("expected_result"),
            responsible=cell("responsible"),
            funding_raw=funding_raw,
            funding_sources=sources,
            completion_form=cell("completion_form"),
        )
        self.money(layout, row, node, sources, None)
        reading.read += 1

    def money(
        self,
        layout: TableLayout,
        row: Row,
        node: str | None,
        sources: list[str],
        label: str | None,
    ) -> None:
        source = sources[0] if len(sources) == 1 else None
        for column in layout.amounts():
            if column.index >= len(row.cells):
                continue
            raw = clean(row.cells[column.index].text)
            if not raw or raw in ("-", "–", "—"):
                continue
            origin = row.cells[column.index].origin
            try:
                amount = parse_amount(raw, multiplier=column.multiplier)
            except NumberParseError:
                self.warn(
                    origin,
                    _("not an amount, kept in the measure's text: «{short}»").format(
                        short=_short(raw)
                    ),
                )
                continue
            key = (node, column.year, source)
            if key in self.funded:
                self.warn(
                    origin,
                    _("a second amount for the same year and source left out: {raw}").format(
                        raw=raw
                    ),
                )
                continue
            self.funded.add(key)
            self.builder.add_funding(
                node_id=node,
                year=column.year,
                source=source,
                kind="plan",
                amount=amount.value,
                amount_raw=raw,
                comment=label,
                currency=amount.currency,
            )


def _fit_stages_to_period(layout: TableLayout, period_start: int) -> None:
    """A stage band (``Есепті кезең``) spread over years by guess is set right by the period.

    Years before the plan's period are what was done (fact), the period's own years what is
    planned; only columns whose kind came from a stage word are changed, never a year's own word.
    """
    for column in layout.values():
        if column.by_hand or column.year is None:
            continue
        header = fold(column.header)
        if "кезең" not in header and "этап" not in header and "период" not in header:
            continue
        lower = header.rsplit("/", 1)[-1]
        if any(word in lower for word in ("факт", "нақты", "баға", "оценк", "жоспар", "план")):
            continue
        if column.kind == "fact" and column.year >= period_start:
            column.kind = "plan"
        elif column.kind == "plan" and column.year < period_start and "жоспар" in header:
            column.kind = "fact"


def _strip_label(text: str) -> str:
    """An indicator's name without the label a cell may print first ("Мақсатты индикатор")."""
    text = clean(text)
    match = _LABEL.match(fold(text))
    if match and len(text) > match.end() + 3:
        return text[match.end() :].strip(" :.-–")
    return text


def _code(code: str | None) -> str | None:
    if not code or code in ("-", "–", "—"):
        return None
    return code.rstrip(".")


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
