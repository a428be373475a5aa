"""Council programme family: a city council's resolution approving a Kyrgyz city programme.

The sample is Kara-Balta's 2023-2026 programme (004), a Word export that LOST ITS CELL
BOUNDARIES: a table row is one physical line with its cells joined by plain spaces, and a cell of
several paragraphs goes on after blank lines. So the layout is read as *paragraphs* (non-blank
lines) that either start a row ("hard": directly after the previous line) or may continue one
("soft": after a blank line), and the cells of a row are found from their content:

- Resolution and title page: the approving resolution (date, number, council) becomes the plan's
  ``approved``; the programme title, city and period come from the resolution's subject; the
  mayoralty named on the title page is the plan's ``responsible``; the vision (КӨРҮНҮШ) and the
  strategic goal (СТРАТЕГИЯЛЫК МАКСАТ) are kept as ``narrative``.
- КЫСКАРТУУЛАР: one abbreviation and its meaning per line (a run of bare abbreviations is followed
  by their meanings in the same order) → ``abbreviations``.
- ``N-артыкчылык: …`` → ``direction`` nodes (the last printing wins over the table of contents).
- The action plan (header with "мөөнөтү" and "Жооптуу"): ``N. …`` headings are the directions,
  ``N.N. …`` the ``section`` nodes, a row starting with a number a ``task`` (its title and its
  first measure are split at the first sentence end, else before the last capitalised word that
  follows a verbal noun), every measure an ``activity`` node with its ``activities`` row. The
  deadline cell (``2023-2026-жж.``, ``2023 г.``, ``2023 –ж``, ``Жыл сайын``) anchors the row: the
  text before it is task and measure, the text after it expected result and responsible (the
  responsible starts at the first body name: "Мэрия", "Шаар мэриясы", an abbreviation such as
  "МС", "РИИБ", "Д.М" or «Name» КИ; a body named inside a sentence of the result is skipped). A
  measure row with no result and no responsible continues vertically merged cells: it takes them
  from the measure above it. Measure rows printed on a heading's line (a Russian row after
  ``1.3. …``) are activities of that section or direction.
- The annual implementation plan (a second action plan whose title names one year, e.g.
  "…2023-жылга … Мерчеми") is read the same way under its own top-level ``section`` node (code
  = the year, title = the printed title), so that its activities are never mixed with the
  programme's; its deadlines are read within that year.
- The monitoring matrix (header with "Индикатор" and "Базалык"): group headings are matched to
  the action plan's section with the most words in common (falling back to a section of their
  own); each numbered row gives a ``goal`` node (the "Маселе" cell) with its ``indicator`` node
  (the indicator's name; numbers in a name stay in the name). The values are the numeric cells
  the row ENDS with, split from the right: baseline (the header's base year), years 1-4 (the
  plan's first four years, kind ``plan``) and the final target (kind ``target``, the last plan
  year). A cell printed as ``50% / 20243 п.м.`` gives the value in the row's unit; ratios such as
  ``1:0,3`` keep their raw text. Sub-rows (``0 Төмөнкү парк 8371,4 …``) become child indicators
  of the row's indicator, which keeps no values of its own. A row whose cells cannot be split
  into six is warned about (with its line) and only its baseline and final target are kept.
- The small table of key figures after the matrix (``2021 (факт) 2022 (прогноз) …``) becomes
  indicators under a top-level section (``KEY_FIGURES_TITLE``): ``факт`` → fact, ``прогноз``
  before the plan period → estimate, within it → plan; units from the row or its footnote.

Footnote paragraphs (``[2] …`` at the end of the export) are not table rows and are skipped.
A document cut off inside a table keeps what was read and gets a warning naming the line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from workbench.errors import DocumentError
from workbench.ingest.deadlines import parse_deadline
from workbench.ingest.document import DocumentBuilder, ParsedDocument, PlanMeta, Source
from workbench.ingest.numbers import parse_number
from workbench.ingest.text import clean, fold, slug

FAMILY = "council-programme"

# The key-figures table after the matrix has no printed title; the introduction calls these
# figures "экономикалык өнүгүүнүн негизги көрсөткүчтөрү".
KEY_FIGURES_TITLE = "Экономикалык өнүгүүнүн негизги көрсөткүчтөрү"

_CITIES = {
    "кара-балта": "Kara-Balta",
    "таш-көмүр": "Tash-Kumyr",
    "бишкек": "Bishkek",
    "ош": "Osh",
    "токмок": "Tokmok",
    "каракол": "Karakol",
    "жалал-абад": "Jalal-Abad",
    "нарын": "Naryn",
    "талас": "Talas",
    "баткен": "Batken",
    "кант": "Kant",
    "балыкчы": "Balykchy",
    "өзгөн": "Uzgen",
    "кара-көл": "Kara-Kul",
    "кара-суу": "Kara-Suu",
    "кызыл-кыя": "Kyzyl-Kiya",
    "майлуу-суу": "Mailuu-Suu",
    "сүлүктү": "Sulukta",
    "чолпон-ата": "Cholpon-Ata",
}
_KAZAKH_ONLY = re.compile("[әғқұһіӘҒҚҰҺІ]")

_UP = "A-ZА-ЯЁӨҮҢ"
_LETTER_AFTER = r"(?![^\W\d_])"

# -- patterns ---------------------------------------------------------------------------------

_PRIORITY = re.compile(r"^\s*(\d{1,2})\s*-\s*артыкчылык\s*[:.]?\s*(.+)$", re.IGNORECASE)
_DIRECTION_HEADING = re.compile(r"^(\d{1,2})\.\s+(\S.*)$", re.DOTALL)
_SECTION_HEADING = re.compile(r"^(\d{1,2})\.(\d{1,2})\.?\s+(\S.*)$", re.DOTALL)
_TASK_START = re.compile(r"^(\d{1,2})(?=\s|$)\s*")
_COLUMN_NUMBERS = re.compile(r"^(?:\(?\d{1,2}\)?\s+){2,}\(?\d{1,2}\)?$")
_YEAR_COLUMNS = re.compile(r"^(?:\d\s*-?\s*жыл\s*)+$", re.IGNORECASE)
_NUMBER_CELL = re.compile(r"^(?:№|п\.?\s*/?\s*п\.?|№\s*п\.?\s*/?\s*п\.?)$", re.IGNORECASE)

# A deadline cell: 2023-2026-жж., 2023-2026 гг., 2023 г., 2023 –ж, 2023-2026- ж.ж.
_DEADLINE = re.compile(
    r"(?<![\w.])(20\d\d)(?:\s*[-–—]\s*(20\d\d))?\s*[-–—]?\s*(?:ж\.?\s?ж|жж|гг|г|ж)"
    + _LETTER_AFTER
    + r"\.?"
)
_ANNUAL_DEADLINE = re.compile(
    r"(?<![^\W\d_])(?:жыл\s+сайын|жылына|ар\s+жылы|ежегодно)" + _LETTER_AFTER, re.IGNORECASE
)
_PARENTHESIS = re.compile(r"\s*\([^()]{1,80}\)")

# Where the responsible cell starts: a body named as the documents name them.
_HEAD = re.compile(
    r"(?<!\S)(?:"
    r"Мэрия"
    + _LETTER_AFTER
    + r"|Шаар мэриясы"
    + _LETTER_AFTER
    + r"|«[^»\n]{1,40}»\s*["
    + _UP
    + r"]{2,}"
    r""
    + _LETTER_AFTER
    + r"|["
    + _UP
    + r"]\.["
    + _UP
    + r"]"
    + _LETTER_AFTER
    + r"|["
    + _UP
    + r"]{2,}"
    r"(?:[жи][" + _UP + r"]+)*(?:-\d+)?" + _LETTER_AFTER + r")"
)
_WORD = re.compile(r"\S+")
_VERBAL_NOUN = re.compile(r"(?:уу|үү|оо|өө)$")
_LINKING_WORDS = frozenset(
    ("жана", "же", "менен", "үчүн", "боюнча", "аркылуу", "жөнүндө", "болуп", "ж.б.", "ж.б")
)
_OPENING = "«“\"„'("

# Matrix tokens: a number (ratio, decimal) with a % or a unit glued on, or any other word.
_MATRIX_UNITS = r"п\.\s?м\.|кв\.\s?м\.|м2|м²|м3|м³|км|га|т\.|сом"
_TOKEN = re.compile(
    r"(?<![\w.,:/-])(?P<num>\d+(?:[.,]\d+)?(?::\d+(?:[.,]\d+)?)?)"
    r"(?:\s?(?P<pct>%)|\s(?P<unit>" + _MATRIX_UNITS + r")(?!\w))?(?![\w,:/]|\.\d)"
    r"|(?P<word>\S+)"
)
_UNIT_WORDS = re.compile(
    r"^(?:"
    + _MATRIX_UNITS
    + r"|%|мамиле|катыш|адам|киши|даана|бирдик\w*|орун|пайыз|тонна|метр|м)$",
    re.IGNORECASE,
)
_FOOTNOTE_REF = re.compile(r"^\[\d+\]$|^\*+$")
_BASE_YEAR = re.compile(r"базалык\s+жыл\w*\s*\(\s*(20\d\d)", re.IGNORECASE)
_BARE_YEAR = re.compile(r"^(19|20)\d\d$")
_YEAR_TAG = re.compile(r"^\(\s*(факт|прогноз|план|болжол|баалоо|оценка)\w*\s*\)$", re.IGNORECASE)
_INLINE_YEAR_TAG = re.compile(
    r"(20\d\d)\s*\(\s*(факт|прогноз|план|болжол|баалоо|оценка)\w*\s*\)", re.IGNORECASE
)
_FOOTNOTE_TEXT = re.compile(r"^\[\d+\]\s+\S")
_FOOTNOTE_DEF = re.compile(r"(\*+)\s*[–—-]\s*([^*]+)")

_RESOLUTION = re.compile(
    r"(\d{4})\s*-\s*жылдын\s+(\d{1,2})\s*-\s*[^\s№]+\s*№\s*([\w/-]+)\s+токтому", re.IGNORECASE
)
_COUNCIL = re.compile(
    r"([" + _UP + r"][^\s,.;:]*(?:\s*[-–]\s*[" + _UP + r"][^\s,.;:]*)?)\s+"
    r"(шаардык|айылдык|райондук|облустук)\s+кеңешинин"
)
_TITLE = re.compile(r"^(.{10,300}?\bпрограммасы)\b", re.IGNORECASE)
_PERIOD = re.compile(r"(20\d\d)\s*[-–—]\s*(20\d\d)")
_CITY = re.compile(r"([" + _UP + r"][^\s,.;:]*)\s+шаар(?:ын|ынын|ы|дык)" + _LETTER_AFTER)
_MAYORALTY = re.compile(r"^\S.{0,60}\bмэриясы$", re.IGNORECASE)


# -- paragraphs and rows ----------------------------------------------------------------------


@dataclass(slots=True)
class _Para:
    text: str
    line: int
    hard: bool  # directly after the previous non-blank line (a new table row)
    folded: str = ""


@dataclass(slots=True)
class _Row:
    paras: list[_Para]

    @property
    def line(self) -> int:
        return self.paras[0].line

    @property
    def last_line(self) -> int:
        return self.paras[-1].line

    def text(self) -> str:
        return "\n".join(p.text for p in self.paras)


def _paragraphs(lines: Sequence[str]) -> list[_Para]:
    out: list[_Para] = []
    previous_blank = True
    for index, raw in enumerate(lines):
        text = raw.strip()
        if not text:
            previous_blank = True
            continue
        out.append(_Para(text, index + 1, bool(out) and not previous_blank, fold(text)))
        previous_blank = False
    return out


def _is_caps_heading(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 8 and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _starts_upper(word: str) -> bool:
    stripped = word.lstrip(_OPENING)
    return bool(stripped) and stripped[0].isalpha() and stripped[0].isupper()


# -- deadlines, results, responsible ----------------------------------------------------------


def _find_deadline(text: str) -> tuple[int, int] | None:
    """The span of the deadline cell in a row's text (a parenthesis after it belongs to it)."""
    match = _DEADLINE.search(text) or _ANNUAL_DEADLINE.search(text)
    if match is None:
        return None
    end = match.end()
    extra = _PARENTHESIS.match(text, end)
    if extra:
        end = extra.end()
    return match.start(), end


def _split_result(after: str) -> tuple[str, str]:
    """Expected result and responsible from the text after the deadline."""
    heads = list(_HEAD.finditer(after))
    if not heads:
        return after, ""
    index = 0
    if not after[: heads[0].start()].strip() and len(heads) > 1:
        between = after[heads[0].end() : heads[1].start()].strip()
        if len(_words(between)) >= 2 and not between.endswith(","):
            index = 1  # the result itself starts with a body's name ("Мэрия аркылуу …")
    while True:
        jump = None
        for later in range(index + 1, len(heads)):
            between = after[heads[index].end() : heads[later].start()].strip()
            if between.endswith((".", ";", ":")) and len(_words(between)) >= 2:
                jump = later  # the first head was named inside a sentence of the result
                break
            if heads[later].group().startswith(("Мэрия", "Шаар")) and _plain_words(between) >= 3:
                jump = later  # "№4 ОМ жана БЧҮ нүн жылытуу … оңдоо Мэрия, …"
                break
        if jump is None:
            break
        index = jump
    start = heads[index].start()
    return after[:start], after[start:]


def _plain_words(text: str) -> int:
    """Words of a text that are neither body names nor linking words."""
    return sum(
        1
        for word in _words(_HEAD.sub(" ", text))
        if word.strip(",.;:()") and word.strip(",.;:()") not in _LINKING_WORDS
    )


def _split_task(text: str) -> tuple[str, str]:
    """A task row's text before the deadline: (task title, first measure)."""
    words = list(_WORD.finditer(text))
    for i in range(len(words) - 1):
        word = words[i].group()
        letters = word.rstrip(".").lstrip(_OPENING)
        if (
            word.endswith(".")
            and len(letters) >= 4
            and not letters.endswith(".")
            and "." not in letters
        ):
            return text[: words[i].end()], text[words[i + 1].start() :]
    boundary = None
    for i in range(1, len(words)):
        previous = words[i - 1].group()
        if _VERBAL_NOUN.search(previous) and _starts_upper(words[i].group()):
            boundary = i
    if boundary is None:
        for i in range(1, len(words)):
            previous = words[i - 1].group()
            current = words[i].group()
            if (
                _VERBAL_NOUN.search(previous)
                and current not in _LINKING_WORDS
                and current[:1].isalpha()
                and current[:1].islower()
            ):
                boundary = i
                break
    if boundary is None:
        return text, ""
    return text[: words[boundary].start()], text[words[boundary].start() :]


def _split_heading(text: str) -> tuple[str, str]:
    """A heading printed with a measure row on its line: (heading, measure)."""
    words = list(_WORD.finditer(text))
    for i in range(1, len(words)):
        if _starts_upper(words[i].group()):
            return text[: words[i].start()], text[words[i].start() :]
    return text, ""


def _title(text: str) -> str:
    return clean(text).rstrip(" .")


# -- the action plan --------------------------------------------------------------------------


def _row_complete(text: str) -> bool:
    """A row is complete once its deadline and its responsible have been read (a heading
    without a measure on its line is complete by itself)."""
    span = _find_deadline(text)
    if span is None:
        return _heading_kind(text) is not None
    return bool(_split_result(text[span[1] :])[1].strip())


def _heading_kind(text: str) -> str | None:
    if _SECTION_HEADING.match(text):
        return "section"
    if _DIRECTION_HEADING.match(text):
        return "direction"
    return None


def _plan_rows(paras: Sequence[_Para]) -> list[_Row]:
    """Rows of an action plan: a paragraph after a blank line goes on with the row above unless
    that row is complete (deadline and responsible read) and the paragraph starts a new one."""
    rows: list[_Row] = []
    for para in paras:
        text = para.text
        if _COLUMN_NUMBERS.match(text):
            continue
        new_row = not rows or para.hard or _heading_kind(text) is not None
        if not new_row and _row_complete(rows[-1].text()):
            new_row = _find_deadline(text) is not None or bool(_TASK_START.match(text))
        if new_row:
            rows.append(_Row([para]))
        else:
            rows[-1].paras.append(para)
    return rows


@dataclass(slots=True)
class _PlanContext:
    """Where a plan's headings put their nodes."""

    root: str | None  # None for the programme's own plan, else the annual plan's node
    directions: dict[str, str]
    sections: dict[str, str]
    section_titles: dict[str, str] = field(default_factory=dict)
    year_start: int = 0
    year_end: int = 0


class _Reader:
    """Reads the priorities and the action plans into nodes and activities."""

    def __init__(self, builder: DocumentBuilder, meta: PlanMeta) -> None:
        self.b = builder
        self.meta = meta
        self.directions: dict[str, str] = {}
        self.sections: dict[str, str] = {}
        self.section_titles: dict[str, str] = {}

    # -- directions ---------------------------------------------------------------------------

    def add_priorities(self, paras: Sequence[_Para]) -> None:
        found: dict[str, tuple[str, int]] = {}
        for para in paras:
            match = _PRIORITY.match(para.text)
            if match and len(para.text) < 400:
                found[str(int(match.group(1)))] = (_title(match.group(2)), para.line)
        for code in sorted(found, key=int):
            title, line = found[code]
            self.directions[code] = self.b.add_node("direction", title, code=code, line=line)

    def _direction(self, ctx: _PlanContext, code: str, title: str, line: int) -> str:
        if code not in ctx.directions:
            kind = "direction" if ctx.root is None else "section"
            ctx.directions[code] = self.b.add_node(
                kind, title or code, parent=ctx.root, code=code, line=line
            )
        return ctx.directions[code]

    # -- action plans -------------------------------------------------------------------------

    def read_plan(self, paras: Sequence[_Para], ctx: _PlanContext) -> _Row | None:
        rows = _plan_rows(paras)
        pending_direction: tuple[str, str, int] | None = None  # printed number, title, line
        direction: str | None = None
        section: str | None = None
        task: str | None = None
        previous: tuple[str | None, str, str] | None = None  # parent, result, responsible
        for row in rows:
            text = row.text()
            section_match = _SECTION_HEADING.match(text)
            direction_match = None if section_match else _DIRECTION_HEADING.match(text)
            if section_match:
                major, minor, rest = section_match.groups()
                major = str(int(major))
                code = f"{major}.{int(minor)}"
                heading, measure = self._heading_and_measure(rest)
                if direction is None or pending_direction is not None:
                    title = pending_direction[1] if pending_direction else ""
                    line = pending_direction[2] if pending_direction else row.line
                    direction = self._direction(ctx, major, title, line)
                    pending_direction = None
                if code not in ctx.sections:
                    ctx.sections[code] = self.b.add_node(
                        "section",
                        heading,
                        parent=ctx.directions.get(major, direction),
                        code=code,
                        line=row.line,
                    )
                    ctx.section_titles[code] = heading
                section, task, previous = ctx.sections[code], None, None
                if measure:
                    previous = self._activity(section, measure, row, ctx, None)
                continue
            if direction_match:
                number, rest = str(int(direction_match.group(1))), direction_match.group(2)
                heading, measure = self._heading_and_measure(rest)
                section, task, previous = None, None, None
                if measure:
                    direction = self._direction(ctx, number, heading, row.line)
                    pending_direction = None
                    previous = self._activity(direction, measure, row, ctx, None)
                else:
                    pending_direction = (number, heading, row.line)
                    direction = None
                continue
            task_match = _TASK_START.match(text)
            parent = section or direction
            if parent is None and pending_direction is not None:
                number, title, line = pending_direction
                direction = parent = self._direction(ctx, number, title, line)
                pending_direction = None
            if parent is None:
                self.b.warn(row.line, "an action-plan row before any heading; skipped")
                continue
            if task_match:
                code = task_match.group(1)
                rest = text[task_match.end() :]
                span = _find_deadline(rest)
                before = rest[: span[0]] if span else rest
                title, measure = _split_task(before)
                task = self.b.add_node(
                    "task", _title(title), parent=parent, code=code, line=row.line
                )
                previous = None
                if measure.strip() or span:
                    previous = self._activity(
                        task, rest, row, ctx, None, measure=measure.strip() or title
                    )
                continue
            previous = self._activity(task or parent, text, row, ctx, previous)
        return rows[-1] if rows else None

    def _heading_and_measure(self, rest: str) -> tuple[str, str]:
        span = _find_deadline(rest)
        if span is None:
            return _title(rest), ""
        heading, measure = _split_heading(rest[: span[0]])
        return _title(heading), measure + rest[span[0] :]

    def _activity(
        self,
        parent: str,
        text: str,
        row: _Row,
        ctx: _PlanContext,
        previous: tuple[str | None, str, str] | None,
        *,
        measure: str | None = None,
    ) -> tuple[str | None, str, str]:
        span = _find_deadline(text)
        if span is None:
            self.b.warn(row.line, "action-plan row without a deadline (read as a measure)")
            title = clean(measure if measure is not None else text)
            deadline, result, responsible = "", "", ""
        else:
            title = clean(measure if measure is not None else text[: span[0]])
            deadline = clean(text[span[0] : span[1]])
            result, responsible = _split_result(text[span[1] :])
        result, responsible = clean(result), clean(responsible)
        if not result and not responsible and previous is not None and previous[0] == parent:
            # The result and responsible cells are merged with the row above.
            result, responsible = previous[1], previous[2]
        if not title:
            title = clean(text)
        node = self.b.add_node("activity", title, parent=parent, line=row.line)
        due_start, due_end = parse_deadline(
            deadline, plan_start=ctx.year_start, plan_end=ctx.year_end
        )
        self.b.add_activity(
            node,
            title=title,
            deadline_raw=deadline or None,
            due_start=due_start,
            due_end=due_end,
            expected_result=result or None,
            responsible=responsible or None,
        )
        return parent, result, responsible


# -- the monitoring matrix --------------------------------------------------------------------


@dataclass(slots=True)
class _Token:
    raw: str
    start: int
    end: int
    line: int
    number: bool
    percent: bool = False
    unit: str | None = None

    @property
    def value(self) -> float | None:
        try:
            return parse_number(self.raw).value
        except ValueError:
            return None


@dataclass(slots=True)
class _Cell:
    raw: str
    value: float | None
    line: int


def _tokens(row: _Row) -> tuple[str, list[_Token]]:
    text = ""
    starts: list[tuple[int, int]] = []
    for para in row.paras:
        if text:
            text += "\n"
        starts.append((len(text), para.line))
        text += para.text
    tokens: list[_Token] = []
    which = 0
    for match in _TOKEN.finditer(text):
        while which + 1 < len(starts) and starts[which + 1][0] <= match.start():
            which += 1
        line = starts[which][1]
        if match.group("num") is not None:
            tokens.append(
                _Token(
                    match.group(),
                    match.start(),
                    match.end(),
                    line,
                    True,
                    match.group("pct") is not None,
                    match.group("unit"),
                )
            )
        else:
            tokens.append(_Token(match.group(), match.start(), match.end(), line, False))
    return text, tokens


def _unit_key(unit: str | None) -> str:
    return re.sub(r"[\s.]", "", fold(unit or ""))


def _is_unit_word(token: _Token) -> bool:
    return not token.number and (bool(_UNIT_WORDS.match(token.raw)) or len(token.raw) <= 4)


def _stems(text: str) -> set[str]:
    return {
        word[:5]
        for word in re.findall(r"[^\W\d_]+", fold(text))
        if len(word) >= 4 and word not in _LINKING_WORDS
    }


@dataclass(slots=True)
class _MatrixRow:
    code: str | None
    name: str
    unit: str | None
    responsible: str | None
    label: str | None  # a sub-row's label
    cells: list[_Cell]
    line: int
    subrow_only: bool = False
    label_line: int = 0


class _MatrixReader:
    def __init__(self, reader: _Reader, base_year: int) -> None:
        self.r = reader
        self.b = reader.b
        self.meta = reader.meta
        self.base_year = base_year
        self.group: str | None = None
        self.fallback: str | None = None
        self.indicator: tuple[str, str | None, str | None] | None = None  # node, unit, resp.
        self.last_row_short = False

    def _group_node(self, title: str, line: int) -> str:
        stems = _stems(title)
        best, best_score = None, 0.0
        for code, section_title in self.r.section_titles.items():
            other = _stems(section_title)
            if not stems or not other:
                continue
            score = len(stems & other) / len(stems | other)
            if score > best_score:
                best, best_score = code, score
        if best is not None and best_score >= 0.25:
            return self.r.sections[best]
        return self.b.add_node("section", title, line=line)

    def _parent(self, line: int, title: str) -> str:
        if self.group is None:
            if self.fallback is None:
                self.fallback = self.b.add_node("section", title, line=line)
            return self.fallback
        return self.group

    def read(self, paras: Sequence[_Para], title: str) -> _Row | None:
        rows: list[_Row] = []
        key_start = None
        for index, para in enumerate(paras):
            text = para.text
            if _YEAR_COLUMNS.match(text) or _COLUMN_NUMBERS.match(text):
                continue
            if self._year_header_at(paras, index):
                key_start = index
                break
            if not rows or para.hard or text.startswith("*"):
                rows.append(_Row([para]))
            else:
                rows[-1].paras.append(para)
        last: _Row | None = None
        for row in rows:
            last = row
            self._row(row, title)
        if key_start is not None:
            key_last = self._key_figures(paras[key_start:])
            last = key_last or last
            self.last_row_short = False
        return last

    @staticmethod
    def _year_header_at(paras: Sequence[_Para], index: int) -> bool:
        text = paras[index].text
        if len(_INLINE_YEAR_TAG.findall(text)) >= 2:
            return True
        return (
            bool(_BARE_YEAR.match(text))
            and index + 1 < len(paras)
            and bool(_YEAR_TAG.match(paras[index + 1].text))
        )

    def _row(self, row: _Row, title: str) -> None:
        text, tokens = _tokens(row)
        if text.startswith("*"):
            return
        if not any(t.number for t in tokens):
            if len(tokens) <= 8 and not _is_caps_heading(text):
                self.group = self._group_node(_title(text), row.line)
                self.indicator = None
            return
        parsed = self._parse_row(text, tokens, row)
        if parsed is None:
            return
        if parsed.subrow_only:
            if self.indicator is None:
                self.b.warn(row.line, "a matrix sub-row without an indicator above it; skipped")
                return
            parent, unit, responsible = self.indicator
            self._child(parent, parsed, unit, responsible)
            return
        parent = self._parent(row.line, title)
        goal_title, name = _split_issue(parsed.name)
        if goal_title:
            parent = self.b.add_node(
                "goal", _title(goal_title), parent=parent, code=parsed.code, line=row.line
            )
        node = self.b.add_node(
            "indicator", clean(name), parent=parent, code=parsed.code, line=row.line
        )
        self.b.add_indicator(node, unit=parsed.unit, responsible=parsed.responsible)
        self.indicator = (node, parsed.unit, parsed.responsible)
        if parsed.label is not None:
            self._child(node, parsed, parsed.unit, parsed.responsible)
        else:
            self._values(node, parsed)

    def _child(
        self, parent: str, parsed: _MatrixRow, unit: str | None, responsible: str | None
    ) -> None:
        node = self.b.add_node(
            "indicator", parsed.label or "", parent=parent, line=parsed.label_line or parsed.line
        )
        self.b.add_indicator(node, unit=unit, responsible=parsed.responsible or responsible)
        self._values(node, parsed)

    def _parse_row(self, text: str, tokens: list[_Token], row: _Row) -> _MatrixRow | None:
        last = max(i for i, t in enumerate(tokens) if t.number)
        responsible = clean(text[tokens[last].end :]) or None
        run_start = last
        while run_start > 0 and tokens[run_start - 1].number:
            run_start -= 1
        run = tokens[run_start : last + 1]
        # A sub-row: [baseline] label [years…, final], the label a few words between numbers.
        i = run_start - 1
        group_end = i
        while i >= 0 and not tokens[i].number and not _UNIT_WORDS.match(tokens[i].raw):
            i -= 1
        label_words = tokens[i + 1 : group_end + 1]
        if label_words and len(label_words) <= 4 and i >= 0 and tokens[i].number:
            before = i - 1
            if (
                before < 0
                or _UNIT_WORDS.match(tokens[before].raw)
                or _FOOTNOTE_REF.match(tokens[before].raw)
            ):
                label = clean(text[label_words[0].start : label_words[-1].end])
                cells_tokens = [tokens[i], *run]
                if before < 0:
                    return _MatrixRow(
                        None, "", None, responsible, label,
                        _cells(cells_tokens, None), row.line,
                        subrow_only=True, label_line=label_words[0].line,
                    )  # fmt: skip
                sub_unit = tokens[before].raw
                code, name_start = _row_code(tokens)
                name = (
                    text[tokens[name_start].start : tokens[before - 1].end]
                    if before > name_start
                    else ""
                )
                return _MatrixRow(
                    code, name, sub_unit, responsible, label,
                    _cells(cells_tokens, sub_unit), row.line,
                    label_line=label_words[0].line,
                )  # fmt: skip
        # A plain row: … name | unit | numbers.
        j = run_start - 1
        while j >= 0 and _FOOTNOTE_REF.match(tokens[j].raw):
            j -= 1
        unit: str | None = None
        name_end = j
        if j >= 0 and _is_unit_word(tokens[j]):
            unit = tokens[j].raw
            name_end = j - 1
        elif run and run[0].unit and run[0].value == 1 and len(run) >= 5:
            unit = run[0].unit  # a unit cell printed as "1 км"
            run = run[1:]
        code, name_start = _row_code(tokens)
        if name_end < name_start:
            self.b.warn(row.line, "a matrix row without an indicator name; skipped")
            return None
        name = text[tokens[name_start].start : tokens[name_end].end]
        return _MatrixRow(code, name, unit, responsible, None, _cells(run, unit), row.line)

    def _values(self, node: str, parsed: _MatrixRow) -> None:
        cells = parsed.cells
        start, end = self.meta.period_start, self.meta.period_end
        years = list(range(start, start + 4))
        self.last_row_short = len(cells) < 6
        if len(cells) == 6:
            baseline, yearly, final = cells[0], cells[1:5], cells[5]
        elif len(cells) > 6 and len({c.raw for c in cells[1:-1]}) == 1:
            baseline, final = cells[0], cells[-1]
            yearly = cells[1:5]
            self.b.warn(
                parsed.line,
                f"matrix row prints {len(cells) - 2} yearly cells for 4 years, all "
                f"{cells[1].raw!r}: read as one per year",
            )
        else:
            printed = ", ".join(c.raw for c in cells)
            self.b.warn(
                parsed.line,
                f"matrix row has {len(cells)} numeric cells where 6 are expected (baseline, "
                f"4 years, final target): {printed}; only the baseline and final target are read",
            )
            if len(cells) < 2:
                return
            baseline, yearly, final = cells[0], [], cells[-1]
        self.b.add_value(
            node, year=self.base_year, kind="baseline", raw=baseline.raw,
            value=baseline.value, line=baseline.line,
        )  # fmt: skip
        for year, cell in zip(years, yearly, strict=False):
            self.b.add_value(
                node, year=year, kind="plan", raw=cell.raw, value=cell.value, line=cell.line
            )
        self.b.add_value(
            node, year=end, kind="target", raw=final.raw, value=final.value, line=final.line
        )

    # -- key figures ----------------------------------------------------------------------------

    def _key_figures(self, paras: Sequence[_Para]) -> _Row | None:
        years: list[tuple[int, str]] = []
        index = 0
        while index < len(paras):
            text = paras[index].text
            inline = _INLINE_YEAR_TAG.findall(text)
            if len(inline) >= 2:
                years.extend((int(y), fold(tag)) for y, tag in inline)
                index += 1
            elif (
                _BARE_YEAR.match(text)
                and index + 1 < len(paras)
                and _YEAR_TAG.match(paras[index + 1].text)
            ):
                tag = _YEAR_TAG.match(paras[index + 1].text)
                assert tag is not None
                years.append((int(text), fold(tag.group(1))))
                index += 2
            else:
                break
        footnotes: dict[str, str] = {}
        figures: list[tuple[str, list[_Cell], int]] = []
        last: _Row | None = None
        node_parent: str | None = None
        for para in paras[index:]:
            row = _Row([para])
            last = row
            if para.text.startswith("*"):
                for stars, meaning in _FOOTNOTE_DEF.findall(para.text):
                    footnotes[stars] = clean(meaning).rstrip(".")
                continue
            text, tokens = _tokens(row)
            numbers = 0
            while numbers < len(tokens) and tokens[len(tokens) - 1 - numbers].number:
                numbers += 1
            if numbers == 0:
                continue
            label_tokens = tokens[: len(tokens) - numbers]
            if not label_tokens:
                self.b.warn(para.line, "a key-figures row without a name; skipped")
                continue
            label = text[: label_tokens[-1].end]
            cells = [_Cell(t.raw, t.value, t.line) for t in tokens[len(tokens) - numbers :]]
            if len(cells) != len(years):
                self.b.warn(
                    para.line,
                    f"key-figures row has {len(cells)} values for {len(years)} year columns; "
                    "skipped",
                )
                continue
            figures.append((label, cells, para.line))
        for label, cells, line in figures:
            if node_parent is None:
                node_parent = self.b.add_node("section", KEY_FIGURES_TITLE, line=line)
            unit = _key_unit(label, cells, footnotes)
            node = self.b.add_node("indicator", clean(label), parent=node_parent, line=line)
            self.b.add_indicator(node, unit=unit)
            for (year, year_tag), cell in zip(years, cells, strict=True):
                kind = self._key_kind(year, year_tag)
                self.b.add_value(
                    node, year=year, kind=kind, raw=cell.raw, value=cell.value, line=cell.line
                )
        return last

    def _key_kind(self, year: int, tag: str) -> str:
        if tag.startswith("факт"):
            return "fact"
        if year < self.meta.period_start:
            return "estimate"
        return "plan"


def _cells(run: list[_Token], unit: str | None) -> list[_Cell]:
    """The numeric cells of a row; a cell printed "50% 20243 п.м." gives its value in the unit."""
    cells: list[_Cell] = []
    index = 0
    while index < len(run):
        token = run[index]
        following = run[index + 1] if index + 1 < len(run) else None
        if (
            token.percent
            and following is not None
            and following.unit
            and unit
            and _unit_key(following.unit) == _unit_key(unit)
        ):
            # One cell printed as "50% / 20243 п.м.": the value in the row's unit.
            cells.append(_Cell(f"{token.raw} {following.raw}", following.value, token.line))
            index += 2
            continue
        cells.append(_Cell(token.raw, token.value, token.line))
        index += 1
    return cells


def _key_unit(label: str, cells: list[_Cell], footnotes: dict[str, str]) -> str | None:
    if all("%" in c.raw for c in cells):
        return next((m for m in footnotes.values() if "%" in m), "%")
    match = re.search(r",\s*([^\s,]+)\s*$", label)
    if match:
        return match.group(1)
    plain = [m for m in footnotes.values() if "%" not in m]
    return plain[0] if len(plain) == 1 else None


def _row_code(tokens: list[_Token]) -> tuple[str | None, int]:
    first = tokens[0]
    if (
        first.number
        and not first.percent
        and first.unit is None
        and re.fullmatch(r"\d{1,2}", first.raw)
        and len(tokens) > 1
    ):
        return first.raw, 1
    return None, 0


def _split_issue(text: str) -> tuple[str, str]:
    """A matrix row's "Маселе" cell and indicator name, joined in the export."""
    words = list(_WORD.finditer(text))
    for i in range(1, len(words)):
        if _starts_upper(words[i].group()):
            return text[: words[i].start()], text[words[i].start() :]
    for i in range(1, len(words)):
        previous, current = words[i - 1].group(), words[i].group()
        if _VERBAL_NOUN.search(previous) and current not in _LINKING_WORDS:
            return text[: words[i].start()], text[words[i].start() :]
    return "", text


# -- front matter -----------------------------------------------------------------------------


def _abbreviations(paras: Sequence[_Para], b: DocumentBuilder) -> int:
    starts = [
        i
        for i, p in enumerate(paras)
        if p.folded in ("кыскартуулар", "кыскартылгандардын тизмеси", "сокращения")
    ]
    for start in starts:
        pending: list[str] = []
        count = 0
        for para in paras[start + 1 :]:
            text = para.text
            if len(text) > 200 or para.folded in ("кириш", "киришүү", "введение"):
                break
            first, _, rest = text.partition(" ")
            if _is_abbreviation(first):
                if rest.strip():
                    b.add_abbreviation(first, rest)
                    count += 1
                else:
                    pending.append(first)
                continue
            if pending:
                b.add_abbreviation(pending.pop(0), text)
                count += 1
                continue
            if count:
                break
        if count:
            return count
    return 0


def _is_abbreviation(word: str) -> bool:
    letters = [ch for ch in word if ch.isalpha()]
    upper = sum(ch.isupper() for ch in letters)
    return 2 <= len(letters) <= 10 and upper >= 2 and upper * 4 >= len(letters) * 3


def _narrative(paras: Sequence[_Para], slogan: str | None) -> str | None:
    parts: list[str] = [slogan] if slogan else []
    for heading in ("көрүнүш", "стратегиялык максат"):
        for i, para in enumerate(paras):
            if para.folded != heading:
                continue
            body: list[str] = []
            for following in paras[i + 1 :]:
                if _is_caps_heading(following.text) or _PRIORITY.match(following.text):
                    break
                body.append(following.text)
            if body:
                parts.append(para.text + "\n" + "\n".join(body))
                break
    return "\n\n".join(parts) or None


def _meta(paras: Sequence[_Para], path: str) -> PlanMeta:
    head = paras[:120]
    title = None
    for para in head:
        match = _TITLE.match(para.text)
        if match and _PERIOD.search(match.group(1)):
            title = clean(match.group(1))
            break
    if title is None:
        raise DocumentError(path, "expected the programme's title (…-жылдарга … программасы)")
    period = _PERIOD.search(title)
    assert period is not None
    start, end = int(period.group(1)), int(period.group(2))
    city_match = _CITY.search(title)
    if city_match is None:
        raise DocumentError(path, "expected the city in the programme's title (… шаарын …)")
    city_native = city_match.group(1)
    city = _CITIES.get(fold(city_native)) or "-".join(
        part.capitalize() for part in slug(city_native).split("-")
    )
    approved = None
    for para in head:
        match = _RESOLUTION.search(para.text)
        if match:
            approved = clean(para.text[match.start() : match.start(3) + len(match.group(3))])
            break
    if approved:
        council = next((m for p in head if (m := _COUNCIL.search(p.text))), None)
        prefix = clean(council.group(0)) if council else ""
        approved = f"{prefix} {approved} токтому".strip()
    responsible = next((clean(p.text) for p in head if _MAYORALTY.match(p.text)), None)
    slogan = next((p.text for p in head if p.text.startswith("«") and p.text.endswith("»")), None)
    text = "".join(p.text for p in head)
    kazakh = len(_KAZAKH_ONLY.findall(text))
    country, language, currency = ("KZ", "kk", "KZT") if kazakh > 20 else ("KG", "ky", "KGS")
    return PlanMeta(
        city=city,
        city_native=city_native,
        country=country,
        language=language,
        kind="programme",
        title=title,
        period_start=start,
        period_end=end,
        currency=currency,
        approved=approved,
        responsible=responsible,
        narrative=_narrative(paras, slogan),
    )


# -- detection and parsing --------------------------------------------------------------------


def _is_plan_header(folded: str) -> bool:
    return (
        len(folded) < 400
        and "мөөнөт" in folded
        and "жооптуу" in folded
        and ("тапшырма" in folded or "милдет" in folded or "чара" in folded)
    )


def _is_matrix_header(folded: str) -> bool:
    return len(folded) < 400 and "индикатор" in folded and "базалык" in folded


def detect(lines: Sequence[str]) -> float:
    priorities = 0
    resolution = council = plan = matrix = False
    for line in lines:
        text = line.strip()
        if not text or len(text) > 3000:
            continue
        folded = fold(text)
        if "артыкчылык" in folded and _PRIORITY.match(text):
            priorities += 1
        if "токтом" in folded:
            resolution = True
        if "кеңеш" in folded:
            council = True
        if not plan and _is_plan_header(folded):
            plan = True
        if not matrix and (
            _is_matrix_header(folded) or ("индикатор" in folded and "матриц" in folded)
        ):
            matrix = True
    score = 0.0
    if priorities >= 2:
        score += 0.35
    if resolution and council:
        score += 0.2
    if plan:
        score += 0.2
    if matrix:
        score += 0.25
    return min(score, 1.0)


def _table_title(paras: Sequence[_Para], header: int) -> int:
    index = header - 1
    while index >= 0 and _NUMBER_CELL.match(paras[index].text):
        index -= 1
    return max(index, 0)


def parse(source: Source) -> ParsedDocument:
    paras = _paragraphs(source.lines)
    if not paras:
        raise DocumentError(source.path, "the document is empty: expected a council programme")
    meta = _meta(paras, source.path)
    builder = DocumentBuilder(FAMILY, source, meta)
    reader = _Reader(builder, meta)
    _abbreviations(paras, builder)
    reader.add_priorities(paras)

    tables: list[tuple[str, int]] = []  # (kind, header index)
    for index, para in enumerate(paras):
        if _is_plan_header(para.folded):
            tables.append(("plan", index))
        elif _is_matrix_header(para.folded):
            tables.append(("matrix", index))
    if not tables:
        raise DocumentError(
            source.path,
            "expected the action plan (a table headed by «… мөөнөтү … Жооптуу …»)",
        )
    main_sections: list[str] = []
    seen_plan = seen_matrix = False
    last_row: _Row | None = None
    last_kind = ""
    last_incomplete = False
    for number, (kind, header) in enumerate(tables):
        title_index = _table_title(paras, header)
        title = paras[title_index].text
        end = _table_title(paras, tables[number + 1][1]) if number + 1 < len(tables) else len(paras)
        body = [p for p in paras[header + 1 : end] if not _FOOTNOTE_TEXT.match(p.text)]
        if kind == "matrix":
            match = _BASE_YEAR.search(paras[header].text)
            base_year = int(match.group(1)) if match else meta.period_start - 1
            matrix = _MatrixReader(reader, base_year)
            last_row = matrix.read(body, _title(title))
            last_incomplete = matrix.last_row_short
            seen_matrix = True
        else:
            annual = _annual_year(title, meta)
            if seen_plan and annual is None:
                annual = meta.period_start
            if annual is None:
                ctx = _PlanContext(
                    None, reader.directions, reader.sections, reader.section_titles,
                    meta.period_start, meta.period_end,
                )  # fmt: skip
            else:
                root = builder.add_node(
                    "section", _title(title), code=str(annual), line=paras[title_index].line
                )
                ctx = _PlanContext(root, {}, {}, {}, annual, annual)
            last_row = reader.read_plan(body, ctx)
            if annual is None:
                main_sections = list(ctx.sections)
            elif last_row is not None and number + 1 == len(tables):
                _check_annual_end(builder, ctx, main_sections, last_row)
            last_incomplete = last_row is not None and not _row_complete(last_row.text())
            seen_plan = True
        last_kind = kind
    if last_row is not None and last_incomplete:
        table = "monitoring matrix" if last_kind == "matrix" else "action plan"
        builder.warn(
            last_row.last_line,
            f"the document stops inside the {table}: the row at line {last_row.line} is "
            f"incomplete (cut off at line {last_row.last_line})",
        )
    if seen_plan and not seen_matrix:
        builder.warn(
            paras[-1].line,
            f"no monitoring matrix: the document ends at line {paras[-1].line} (cut off?)",
        )
    return builder.build()


def _annual_year(title: str, meta: PlanMeta) -> int | None:
    if _PERIOD.search(title):
        return None
    match = re.search(r"(20\d\d)\s*-\s*жыл(?:га|ы|дын)" + _LETTER_AFTER, title, re.IGNORECASE)
    return int(match.group(1)) if match else None


def _check_annual_end(
    builder: DocumentBuilder, ctx: _PlanContext, main_sections: list[str], last_row: _Row
) -> None:
    """An annual plan that stops before the programme's last section was likely cut off."""
    if not main_sections or not ctx.sections:
        return

    def key(code: str) -> tuple[int, int]:
        major, _, minor = code.partition(".")
        return int(major), int(minor or 0)

    last_main = max(main_sections, key=key)
    last_annual = max(ctx.sections, key=key)
    if key(last_annual) < key(last_main):
        builder.warn(
            last_row.last_line,
            f"the annual plan stops at section {last_annual} (line {last_row.last_line}) while "
            f"the programme goes on to {last_main}: the document may be cut off",
        )
