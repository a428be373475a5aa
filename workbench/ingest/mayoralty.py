"""Document family: a Kyrgyz mayoralty programme for one year (e.g. Tash-Kömür 2026).

Read from the document's blocks (:mod:`workbench.ingest.blockrows`): a table row's cells and the
lines between rows, whatever form the document came in (a Word text export holds one physical
line per table row, cells separated by tabs). Layout:

- a heading naming the mayoralty, the year(s) and the programme, on lines without tabs;
- a header row: ``№ | Милдеттер | Чаралар/аракеттер | Ишке ашыруу мөөнөтү | Күтүлгөн натыйжалар
  | Жооптуу аткаруучулар | Каржылоо булагы``; the columns are found by these words, not by place;
- section rows: a title in the first cell and every other cell empty;
- task rows: a number in the first cell, the task, its first measure and that measure's cells;
- measure rows: no number and no task, a measure with its own deadline and funding;
- continuation lines: a row that went on after a page break (usually after a blank line): the
  cells that continue sit in their own columns behind leading tabs, and are joined to the cells
  of the row above. A measure cell that goes on with a new sentence (a capital letter or a
  bullet) holds a further measure of its own;
- a measure cell may list several measures as ``- …`` items: each becomes an activity;
- after the table, the signature (``Таш-Көмүр шаарынын мэри:`` and the name), kept as the plan's
  ``responsible``.

A document that opens as a council's act (``… шаардык кеңешинин … №7 токтому``: the council and its
resolution, not a stamp that the council approved the programme) is the council's, even when its
table carries these header words: it is left to the council family or the generic reader.

Nodes: section → task → activity (one per measure), every activity with its deadline (a due
period), expected result, responsible bodies and funding sources (codes of
:mod:`workbench.ingest.vocabulary`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from workbench.dataset.text import clean, fold
from workbench.errors import DocumentError
from workbench.i18n import _
from workbench.ingest.blockrows import document_blocks, line_finder
from workbench.ingest.columns import header_cells
from workbench.ingest.deadlines import parse_deadline
from workbench.ingest.document import DocumentBuilder, ParsedDocument, PlanMeta, Source, years_in
from workbench.ingest.places import latin_city
from workbench.ingest.sources.blocks import Paragraph
from workbench.ingest.sources.render import written_cells
from workbench.ingest.vocabulary import funding_codes

FAMILY = "mayoralty-programme"

FIELDS = ("number", "task", "measure", "deadline", "result", "responsible", "funding")

# Header words of each column (case-folded Kyrgyz, with Russian for mixed exports).
_HEADER_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("number", re.compile(r"^(?:№|n|#|р/с|п/п|№\s*п/п)$")),
    ("task", re.compile(r"милдет|тапшырма|задач")),
    ("measure", re.compile(r"чара|аракет|мероприят")),
    ("deadline", re.compile(r"мөөнөт|срок")),
    ("result", re.compile(r"натыйжа|жыйынтык|результат")),
    ("responsible", re.compile(r"жооптуу|аткаруучу|ответствен|исполнител")),
    ("funding", re.compile(r"каржылоо|булагы|финансир|источник")),
)
_NUMBER = re.compile(r"^(\d{1,3}(?:[.\-]\d{1,2})*[а-яa-z]?)\s*[.)]?$")
_STARTS_LOWER = re.compile(r"^[a-zа-яёәғқңөұүһі]")
_BULLET_START = re.compile(r"^[-–—•▪]\s")
_BULLET = re.compile(r"(?:^|(?<=\s))[-–—•▪]\s+")
_CITY = re.compile(
    r"([А-ЯЁӨҮҢ][\w-]*(?:[- ][А-ЯЁӨҮҢ][\w-]*)?) +"
    r"(?:шаардык|шаарынын|шаары|шаарында|шаарда|шаарга|городск|города|город)"
)
_SIGNATURE = re.compile(
    r"(?:мэри|мэриясы|башчысы|жетекчиси|акими|төрагасы|мэр|глава)\s*:?\s*$", re.IGNORECASE
)
# A council's act: the body (кеңеш, совет, маслихат) and the act (токтом, решение, шешім) in the
# document's opening words, unless they only say the council approved the text that follows.
_COUNCIL = re.compile(r"кеңеш|совет|м[аә]слихат")
_ACT = re.compile(r"токтом|решени|постановлени|шешім")
_APPROVED = re.compile(r"бекитилген|бекітілген|утвержд")
_ACT_HEADING_WORDS = 40
_DEADLINE_HINT = re.compile(r"квартал|жыл\w*\s+ичинде|\d{4}-жыл")


# The tabs of a line of four cells: the fewest a header row has (see _header_cells).
_HEADER_TABS = 3


def _header_columns(line: str) -> dict[str, int] | None:
    """The column of each field when ``line`` (tab-separated cells) is the table header."""
    return _header_cells(line.split("\t")) if "\t" in line else None


def _header_cells(cells: Sequence[str]) -> dict[str, int] | None:
    """The column of each field when ``cells`` are the table header, else None."""
    columns = header_cells(cells, _HEADER_WORDS)
    found = set(columns) - {"number"}
    if len(found) >= 4 and {"measure", "deadline"} <= found:
        return columns
    return None


def _council_act(opening: Sequence[str]) -> bool:
    """Whether the document opens as a council's act: its first lines name a council and its
    resolution (``… шаардык кеңешинин … №7 токтому``, ``… айылдык кеңешинин … ТОКТОМУ``), not
    a stamp that the council approved what follows (``… токтому менен бекитилген``)."""
    heading = " ".join(fold(line) for line in opening if line.strip())
    words = heading.split()[:_ACT_HEADING_WORDS]
    text = " ".join(words)
    return bool(_COUNCIL.search(text) and _ACT.search(text) and not _APPROVED.search(text))


# Words a header row cannot be without (its measure and deadline columns), and what in a line
# could hide them from a plain search (entities, control characters that cleaning drops).
_MEASURE_WORDS = ("чара", "аракет", "мероприят")
_DEADLINE_WORDS = ("мөөнөт", "срок")


def _may_hold_header(text: str) -> bool:
    """False when ``text`` (lines) surely holds no header row: one search instead of a row's."""
    if "&" in text or not text.replace("\t", " ").replace("\n", " ").isprintable():
        return True  # cleaning could change the words: look row by row
    folded = text.casefold()  # no NFC needed: these words have no letter it composes
    return any(word in folded for word in _MEASURE_WORDS) and any(
        word in folded for word in _DEADLINE_WORDS
    )


def detect(lines: Sequence[str], need: float = 0.0) -> float:
    """How much the text looks like a mayoralty programme table (header, numbered rows,
    codes); scored in full whatever ``need`` is, as it is cheap."""
    head = lines[:200]
    # A header row names at least four columns, one a cell: a line of fewer cells is none.
    rows = [(i, line) for i, line in enumerate(head) if line.count("\t") >= _HEADER_TABS]
    if not _may_hold_header("\n".join(line for _, line in rows)):
        return 0.0
    header_at = next(
        (i for i, line in rows if _may_hold_header(line) and _header_columns(line) is not None),
        None,
    )
    if header_at is None:
        return 0.0
    if _council_act(lines[:header_at]):
        # The table of a council's own resolution (its work plan or measures): the council's
        # layout, read by its family or as a generic plan, never as the mayoralty's programme.
        return 0.3
    score = 0.6
    numbered = deadlines = funded = 0
    for line in lines[header_at + 1 :]:
        if "\t" not in line:
            continue
        if numbered >= 2 and deadlines >= 2 and funded >= 2:
            break  # nothing more to learn
        cells = line.split("\t")
        if len(cells) >= 5 and _NUMBER.match(cells[0].strip()):
            numbered += 1
        folded = fold(line)
        if _DEADLINE_HINT.search(folded):
            deadlines += 1
        if funding_codes(next((cell for cell in reversed(cells) if cell.strip()), "")):
            funded += 1
    if numbered >= 2:
        score += 0.2
    if deadlines >= 2:
        score += 0.1
    if funded >= 2:
        score += 0.1
    return min(score, 1.0)


@dataclass
class _Measure:
    line: int
    cells: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, text: str) -> None:
        self.cells.setdefault(name, []).append(text)

    def text(self, name: str) -> str | None:
        return clean(" ".join(self.cells.get(name, []))) or None


@dataclass
class _Task:
    line: int
    code: str | None
    title: list[str]
    measures: list[_Measure] = field(default_factory=list)


@dataclass
class _Section:
    line: int | None
    title: list[str]
    tasks: list[_Task] = field(default_factory=list)


# One piece of the document: a table row's cells (one line of text each), or None and a line of
# a paragraph; with its line in ``source.lines``.
_Piece = tuple[int, list[str] | None, str]


def _pieces(source: Source) -> list[_Piece]:
    """The rows and paragraph lines of the document's blocks, in order."""
    blocks, normal = document_blocks(source)
    line_of = line_finder(source)
    out: list[_Piece] = []
    for item in blocks.items:
        if isinstance(item, Paragraph):
            first = line_of(item.origin)
            for offset, part in enumerate(normal(item.text).split("\n")):
                out.append((first + offset, None, part))
            continue
        for row in item.rows:
            # a cell of several lines reads as one line, as a row of the text export holds it
            cells = [
                text if (text := cell.text).isprintable() else _one_line(text, normal)
                for cell in written_cells(row)
            ]
            out.append((line_of(row.origin), cells, ""))
    return out


def _one_line(text: str, normal: Callable[[str], str]) -> str:
    """A cell's text as one line (a printable cell, most of them, is one line as it is)."""
    return " ".join(normal(text).split("\n"))


def parse(source: Source) -> ParsedDocument:
    lines = source.lines
    pieces = _pieces(source)
    header_at = next(
        (
            k
            for k, (_line, cells, _text) in enumerate(pieces)
            if cells and _header_cells(cells) is not None
        ),
        None,
    )
    if header_at is None:
        raise DocumentError(
            source.path,
            _(
                "expected the programme table header (№, Милдеттер, Чаралар/аракеттер, Ишке "
                "ашыруу мөөнөтү, Күтүлгөн натыйжалар, Жооптуу аткаруучулар, Каржылоо булагы)"
            ),
        )
    header_line, header_cells_, _text = pieces[header_at]
    assert header_cells_ is not None
    columns = _header_cells(header_cells_) or {}
    width = len(header_cells_)
    heading = [
        clean(text) for _line, cells, text in pieces[:header_at] if cells is None and clean(text)
    ]
    title = " ".join(heading)

    reader = _TableReader(columns, width)
    for line_no, cells, text in pieces[header_at + 1 :]:
        if cells is None:
            reader.feed_text(line_no, text)
        else:
            reader.feed_row(line_no, cells)
    reader.finish()
    if reader.last_row_line is None:
        reader.warnings.append(
            (header_line, "no rows after the table header: the document may be cut off here")
        )

    city_native = _city(title) or _city(reader.signature or "") or _city("\n".join(lines))
    if city_native is None:
        raise DocumentError(
            source.path,
            _("expected the city's name in the heading (e.g. 'Таш-Көмүр шаардык мэриясынын …')"),
            1,
        )
    years = years_in(title)
    if not years:
        years = sorted(
            {y for m in reader.all_measures() for y in years_in(m.text("deadline") or "")}
        )
    if not years:
        raise DocumentError(source.path, _("expected the programme's year in the heading"), 1)
    start, end = min(years), max(years)

    meta = PlanMeta(
        city=latin_city(city_native),
        city_native=city_native,
        country="KG",
        language="ky",
        kind="programme",
        title=title or f"{city_native} шаарынын программасы",
        period_start=start,
        period_end=end,
        currency="KGS",
        responsible=reader.signature,
        narrative="\n".join(reader.notes) or None,
    )
    builder = DocumentBuilder(FAMILY, source, meta)
    for line, message in reader.warnings:
        builder.warn(line, message)
    _Emitter(builder, start, end).emit(reader.sections)
    return builder.build()


class _TableReader:
    """Reads the table rows and the lines between them into sections, tasks and measures."""

    def __init__(self, columns: dict[str, int], width: int) -> None:
        self.columns = columns
        self.width = width
        self.sections: list[_Section] = [_Section(None, [])]
        self.loose: list[tuple[int, str]] = []  # lines without tabs, not yet placed
        self.last: _Measure | _Task | _Section | None = None
        self.last_row_line: int | None = None
        self.signature: str | None = None
        self.notes: list[str] = []  # text between the table and the signature
        self.warnings: list[tuple[int | None, str]] = []
        self._short_row: int | None = None
        # each field's column (None when the header has none), looked up once for every row
        self._field_columns = tuple((name, columns.get(name)) for name in FIELDS)
        self._first = columns.get("number", 0)

    def all_measures(self) -> list[_Measure]:
        return [m for s in self.sections for t in s.tasks for m in t.measures]

    def feed_text(self, line_no: int, line: str) -> None:
        """A line outside the table's rows: a section title that lost its cells, the text
        after the table, the signature."""
        text = clean(line)
        if text and not re.fullmatch(r"\d{1,3}", text):  # not a page number on its own line
            self.loose.append((line_no, text))

    def feed_row(self, line_no: int, cells: list[str]) -> None:
        cells = [clean(cell) if cell else "" for cell in cells]  # many cells are empty
        width = len(cells)
        filled = width - cells.count("")
        if not filled:
            return
        values = {
            name: cells[index] if index is not None and index < width else ""
            for name, index in self._field_columns
        }
        self._place_loose()
        self.last_row_line = line_no
        self._short_row = line_no if width < self.width else None
        number = _NUMBER.match(values["number"])
        first = self._first
        if not number and filled == 1 and first < width and cells[first]:
            self._section(line_no, values["number"])
        elif number:
            self._task(line_no, number.group(1), values)
        elif self._starts_measure(values):
            self._measure_row(line_no, values)
        else:
            self._continuation(line_no, values)

    def _place_loose(self) -> None:
        """Lines without tabs followed by table rows: a section title that lost its cells."""
        if self.loose:
            line_no = self.loose[0][0]
            self.sections.append(_Section(line_no, [text for _line, text in self.loose]))
            self.last = self.sections[-1]
            self.loose = []

    def _section(self, line_no: int, title: str) -> None:
        current = self.sections[-1]
        if self.last is current and not current.tasks and _STARTS_LOWER.match(title):
            current.title.append(title)  # a section title wrapped onto the next row
            return
        self.sections.append(_Section(line_no, [title]))
        self.last = self.sections[-1]

    def _task(self, line_no: int, code: str, values: dict[str, str]) -> None:
        task = _Task(line_no, code, [values["task"]] if values["task"] else [])
        self.sections[-1].tasks.append(task)
        self.last = task
        if any(values[name] for name in FIELDS[2:]):
            self._new_measure(task, line_no, values)

    @staticmethod
    def _starts_measure(values: dict[str, str]) -> bool:
        """A row without a number that holds a measure of its own (not the rest of a row)."""
        measure = values["measure"]
        if not measure or _STARTS_LOWER.match(measure) or values["task"]:
            return False
        return bool(values["deadline"] or values["funding"])

    def _measure_row(self, line_no: int, values: dict[str, str]) -> None:
        task = self._current_task(line_no)
        self._new_measure(task, line_no, values)

    def _current_task(self, line_no: int) -> _Task:
        section = self.sections[-1]
        if not section.tasks:
            self.warnings.append((line_no, "a measure row before any numbered task"))
            section.tasks.append(_Task(line_no, None, []))
        return section.tasks[-1]

    def _new_measure(self, task: _Task, line_no: int, values: dict[str, str]) -> None:
        measure = _Measure(line_no, {name: [values[name]] for name in FIELDS[2:] if values[name]})
        task.measures.append(measure)
        self.last = measure

    def _continuation(self, line_no: int, values: dict[str, str]) -> None:
        """Cells that go on from the row above (a row split by a page break or a wrap)."""
        target = self.last
        if not isinstance(target, _Task | _Measure):
            self.warnings.append(
                (line_no, "cells that continue no row (expected a numbered task row first)")
            )
            return
        task = target if isinstance(target, _Task) else self._current_task(line_no)
        if values["task"]:
            task.title.append(values["task"])
        if values["number"]:
            self.warnings.append((line_no, f"text {values['number']!r} in the number column"))
        rest = {name: values[name] for name in FIELDS[2:] if values[name]}
        if not rest:
            return
        measure = task.measures[-1] if task.measures else None
        if measure is None:
            measure = _Measure(line_no)
            task.measures.append(measure)
            self.last = measure
        for name, text in rest.items():
            if name == "measure" and not _STARTS_LOWER.match(text):
                text = "\n" + text  # a new paragraph: a further measure in the same cell
            measure.add(name, text)

    def finish(self) -> None:
        trailing = [text for _line, text in self.loose]
        signed = next((i for i, text in enumerate(trailing) if _SIGNATURE.search(text)), None)
        if signed is not None:
            self.signature = " ".join(trailing[signed:])
            self.notes = trailing[:signed]
        elif self._short_row is not None:
            self.warnings.append(
                (
                    self._short_row,
                    f"the table stops in the middle of a row (fewer than {self.width} cells): "
                    "the document may be cut off here",
                )
            )
        elif self.last_row_line is not None:
            where = self.loose[0][0] if self.loose else self.last_row_line
            self.warnings.append(
                (
                    where,
                    "the table ends without the closing signature (e.g. 'шаарынын мэри:'): "
                    "the document may be cut off",
                )
            )


def _city(text: str) -> str | None:
    match = _CITY.search(text)
    return match.group(1) if match else None


def _measure_items(fragments: list[str]) -> list[str]:
    """The measures in one measure cell: paragraphs, and ``- …`` items within them."""
    items: list[str] = []
    for paragraph in " ".join(fragments).split("\n"):
        text = clean(paragraph)
        if not text:
            continue
        if _BULLET_START.match(text):
            items.extend(clean(part) for part in _BULLET.split(text) if clean(part))
        else:
            items.append(text)
    return items


class _Emitter:
    """Writes the sections, tasks and measures read into nodes and activities. The same few
    deadlines and funding sources are printed measure after measure: each is read once per
    document."""

    def __init__(self, builder: DocumentBuilder, start: int, end: int) -> None:
        self.b = builder
        self.start = start
        self.end = end
        self._due: dict[str | None, tuple[date | None, date | None]] = {}
        self._codes: dict[str | None, list[str]] = {}

    def emit(self, sections: list[_Section]) -> None:
        builder = self.b
        for section in sections:
            parent: str | None = None
            if section.title:
                parent = builder.add_node("section", " ".join(section.title), line=section.line)
            elif not section.tasks:
                continue
            for task in section.tasks:
                task_title = clean(" ".join(task.title))
                if not task_title:  # a numbered row with an empty task cell: named by its measure
                    first = task.measures[0].cells.get("measure", []) if task.measures else []
                    task_title = (_measure_items(first) or ["милдет"])[0]
                task_id = builder.add_node(
                    "task", task_title, parent=parent, code=task.code, line=task.line
                )
                for measure in task.measures:
                    self._measure(task_id, task_title, measure)

    def _measure(self, task_id: str, task_title: str, measure: _Measure) -> None:
        builder = self.b
        deadline = measure.text("deadline")
        due = self._due.get(deadline)
        if due is None:
            due = self._due[deadline] = parse_deadline(
                deadline, plan_start=self.start, plan_end=self.end
            )
        due_start, due_end = due
        if deadline and due_start is None:
            builder.warn(
                measure.line,
                _("deadline {deadline} names no year, quarter or month").format(
                    deadline=repr(deadline)
                ),
            )
        funding = measure.text("funding")
        codes = self._codes.get(funding)
        if codes is None:
            codes = self._codes[funding] = funding_codes(funding)
        if funding and not codes:
            builder.warn(
                measure.line,
                _("funding source {funding} is not a known source").format(funding=repr(funding)),
            )
        result = measure.text("result")
        responsible = measure.text("responsible")
        items = _measure_items(measure.cells.get("measure", [])) or [task_title]
        for item in items:
            node = builder.add_node("activity", item, parent=task_id, line=measure.line)
            builder.add_activity(
                node,
                title=item,
                deadline_raw=deadline,
                due_start=due_start,
                due_end=due_end,
                expected_result=result,
                responsible=responsible,
                funding_raw=funding,
                funding_sources=list(codes),
            )
