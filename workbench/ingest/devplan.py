"""Development plan family: a Kazakh city's даму жоспары (e.g. Zhezkazgan 2026-2030).

Layout (a Word export: table cells are lines that start with a tab, a line without a tab continues
the cell above it, rows are separated by blank lines — but a blank line may also fall inside a row):

1. **Passport** (``Төлқұжат``): a two-column table of label cells and value cells. Labels read:
   ``Атауы`` (the plan's title), ``Өңірдің негізгі сипаттамалары`` (kept as the plan's
   ``narrative``), ``Бағыттар, мақсаттар, нысаналы индикаторлар, ...`` (the plan's structure, one
   item a line) and ``Қажетті ресурстар`` (sources and volume of financing).
2. Parts 2 and 3 (vision, analysis) are prose: not read.
3. **Part 4**, the table ``№ | Индикатор | Жауапты орындаушы | Ақпарат көзі | Өлш. бірл. |
   Есепті жыл | Ағымдағы жылдың жоспары (фактісі) | Жоспарлы көрсеткіштер``, with a row of years
   under the labels. Rows are headings (a direction, a goal, a task, a numbered sphere), indicator
   rows (code and title, responsible, information source, unit, one value a year) and money rows
   (``Қаржы ресурстары`` / ``Финансовые ресурсы``, totals ``БАРЛЫҚ ...``).

Nesting, checked against the order in which the passport prints its items. Containers, outer
first: ``group`` (a line such as "Өзге жоспарлау құжаттарын ... іске асырылуы" that is followed
by a direction: kind ``direction``, no code; the directions after it nest under it) →
``direction`` (``3-бағыт: ...``, ``1-бағыт``, ``Направление 2.``) → ``section`` (an unnumbered
sphere line such as "Денсаулық сақтау" after a direction; it lasts until the next sphere or
direction — this passport prints only one, so НҰИ –11 … –13 fall under "Денсаулық сақтау" too) →
``goal`` (``Мақсат.``, ``Мақсаты:``, ``1-мақсат.``) → ``task`` (``1-міндет``, ``Міндет:``,
``Тапсырма 1``, ``Задача 4``) → ``section`` (a numbered sphere ``1. Білім`` inside a task).
Leaves, which hold values and never hold items: ``target`` НҰИ (``НҰИ –6``, under the open
section or direction), ``target`` НИ/ЦИ (``НИ - 1``, ``НИ–2``, ``ЦИ``, ``НИ`` with no number,
under the open goal, else section or direction) and ``indicator`` (``1.1 көрсеткіш``,
``1.2көрсеткіш``, ``.1 көрсеткіш`` whose lost first digit is restored from its task with a
warning; under the open sphere, task or goal). НҰИ and НИ are leaves, not containers, because the
text says so: one goal follows ``НҰИ –7, –8, –9`` and serves all three, a goal's two НИ are both
followed by its tasks, and part 4 prints a task *between* two НИ of one goal. An item closes
every open container of its own level or deeper; a lowercase passport line continues the item
above it (a wrapped title).

Part 4 uses the same levels. Each of its rows is matched to the passport node it repeats:
candidates are the unmatched passport nodes of the same level under the nearest open passport
container (anywhere when none is open); the best title match wins (same normalised title, or the
same word stems: at least 60 % of the shorter title's stems, ties to the same printed number),
then the same printed number when the two titles are in different languages (``Задача 1`` ↔
``1-міндет``) or one is empty (``1-бағыт``), then a lone unnumbered candidate sharing a word or
abbreviation (``НИ НКИ, млрд теңге`` ↔ ``ЦИ Негізгі капиталға инвестициялар (НКИ)``). So
``НҰИ -9`` printed for mathematics attaches to the passport's ``НҰИ – 8`` (same title), and
``1.2 көрсеткіш`` on STEM classrooms to the passport's ``1.1``. A matched node keeps its passport
place, code and title and gets the row's unit, responsible, information source and values; a
matched container reopens the passport's own ancestry (the spheres part 4 does not print). A row
with no passport counterpart becomes a node under the innermost open part-4 container: the
``7.2 көрсеткіш`` on landfills under sphere ``7.``, the employment goal printed a second time
(with its task and two indicators) and the forestry goal under "Денсаулық сақтау", the task
``1-міндет. Тәрбиеленушілердің ...`` under its goal.

Values: the year row of the header gives the years; the column labelled ``Есепті жыл`` is a
``fact``, ``Ағымдағы жылдың жоспары (фактісі)`` an ``estimate``, ``Жоспарлы көрсеткіштер`` a
``plan``; every printed cell is kept raw (``-`` as a value-less row, an empty cell as no row).
Targets (НҰИ, НИ) get an indicator row and values when part 4 prints them; every indicator node
gets an indicator row (polarity from its title; a ``%`` indicator planned at 100 every year is a
level to hold: ``target``).

Funding (millions of tenge → whole tenge): the passport's total (year null) and amounts by year,
the source of each amount where its text names one (else null, and the printed list of sources
goes into the comment); part 4's money rows under the innermost open goal, section or direction
(``... жиыны`` subtotals under their group), the grand total ``БАРЛЫҚ`` as plan-level amounts for
the years the passport does not give (a differing year is a warning). The ``оның ішінде ...``
(of which) rows are not stored: they would count the same money twice at plan level.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from workbench.errors import DocumentError, NumberParseError
from workbench.ingest.document import DocumentBuilder, ParsedDocument, PlanMeta, Source, years_in
from workbench.ingest.numbers import parse_amount, parse_number
from workbench.ingest.text import clean, fold, slug
from workbench.ingest.vocabulary import funding_codes
from workbench.polarity import infer_polarity

FAMILY = "development-plan"

# -- levels of the plan's structure ------------------------------------------------------------

GROUP, DIRECTION, SECTION, NUI, GOAL, NI, TASK, SPHERE, INDICATOR = -1, 0, 1, 2, 3, 4, 5, 6, 7
_KIND = {
    GROUP: "direction",
    DIRECTION: "direction",
    SECTION: "section",
    NUI: "target",
    GOAL: "goal",
    NI: "target",
    TASK: "task",
    SPHERE: "section",
    INDICATOR: "indicator",
}
# Money rows of part 4 hang under the innermost open item at one of these levels.
_FUNDING_LEVELS = (GOAL, SECTION, DIRECTION, GROUP)
# Targets and indicators hold values: they are leaves, never the parent of another item.
_LEAVES = (NUI, NI, INDICATOR)

_KK = "әғқңөұүһі"
_NOT_LETTER = r"(?![^\W\d_])"
_DASH = r"[-–—‒−]"

_DIRECTION_RE = re.compile(
    rf"^(?:(?P<n>\d+)\s*{_DASH}\s*бағыт|(?:бағыт|направление)\s*(?P<n2>\d+)){_NOT_LETTER}"
    r"\s*[.:]?\s*(?P<title>.*)$",
    re.IGNORECASE,
)
_NUI_RE = re.compile(rf"^(?P<c>НҰИ)\s*{_DASH}?\s*(?P<n>\d+)\s*\.?\s*(?P<title>.*)$")
_NI_RE = re.compile(
    rf"^(?P<c>НИ|ЦИ)(?:\s*{_DASH}\s*(?P<n>\d+)|(?P<n2>\d+))?{_NOT_LETTER}\s*\.?\s*(?P<title>.*)$"
)
_INDICATOR_RE = re.compile(
    r"^(?P<n>\d*(?:\.\d+)+|\d+)\s*\.?\s*(?P<w>көрсеткіш|показатель)\w*\s*[.:]?\s*(?P<title>.*)$",
    re.IGNORECASE,
)
_GOAL_RE = re.compile(
    rf"^(?:(?P<n>\d+)\s*{_DASH}\s*(?:мақсат\w*|цель)|(?:мақсаты?|цель)(?:\s*(?P<n2>\d+))?"
    r"(?=\s*[.:]))\s*[.:]?\s*(?P<title>.*)$",
    re.IGNORECASE,
)
_TASK_RE = re.compile(
    rf"^(?:(?P<n>\d+)\s*{_DASH}\s*міндет\w*|(?:міндет(?:і|тер)?|тапсырма|задача)"
    r"(?:\s*(?P<n2>\d+))?(?=\s*[.:]))\s*[.:]?\s*(?P<title>.*)$",
    re.IGNORECASE,
)
_SPHERE_RE = re.compile(r"^(?P<n>\d+)\.\s+(?P<title>[^\d\s].*)$")

_MONEY_RE = re.compile(r"(?:қаржы|каржы|финанс\w*)\s+ресурс|^(?:барлық|барлығы|всего|итого)")
_TOTAL_RE = re.compile(r"^(?:барлық|барлығы|всего|итого)")
_SUBTOTAL_RE = re.compile(r"жиыны|итого по")
_OF_WHICH_RE = re.compile(r"^(?:оның ішінде|соның ішінде|в том числе)")

# Passport labels (folded text of a label cell).
_LABELS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("title", re.compile(r"^(?:атауы|наименование)\s*[:.]?$")),
    ("narrative", re.compile(r"негізгі сипаттамалар|основные характеристики")),
    ("directions", re.compile(r"^(?:бағыттар|направления)\b")),
    ("resources", re.compile(r"^(?:қажетті ресурстар|необходимые ресурсы)")),
    ("responsible", re.compile(r"^(?:әзірлеуші|жауапты|разработчик|ответственн)")),
    ("period", re.compile(r"^(?:іске асыру мерзімі|сроки реализации)")),
)

_CITY_RE = re.compile(
    r"([А-ЯЁӘҒҚҢӨҰҮҺІ][А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі-]+)\s+"
    r"(?:қаласының|қаласы|ауданының|облысының)"
)
_CITY_RU_RE = re.compile(r"(?:города|г\.)\s*([А-ЯЁ][А-Яа-яЁё-]+)")
_CITIES = {
    "жезқазған": "Zhezkazgan",
    "тараз": "Taraz",
    "сәтбаев": "Satbayev",
    "қарағанды": "Karaganda",
    "астана": "Astana",
    "алматы": "Almaty",
    "шымкент": "Shymkent",
    "ақтөбе": "Aktobe",
    "атырау": "Atyrau",
    "ақтау": "Aktau",
    "орал": "Oral",
    "павлодар": "Pavlodar",
    "петропавл": "Petropavl",
    "көкшетау": "Kokshetau",
    "қостанай": "Kostanay",
    "семей": "Semey",
    "өскемен": "Oskemen",
    "талдықорған": "Taldykorgan",
    "қызылорда": "Kyzylorda",
    "түркістан": "Turkistan",
    "балқаш": "Balkhash",
    "теміртау": "Temirtau",
    "екібастұз": "Ekibastuz",
    "қонаев": "Konaev",
    "арқалық": "Arkalyk",
    "ұлытау": "Ulytau",
}

_AMOUNT_RE = re.compile(
    r"(?P<num>\d{1,3}(?:[ \u00a0]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)\s*"
    r"(?P<mult>млрд|млн|мың|тыс)\.?\s*(?P<cur>теңге|тенге|тг)\.?",
    re.IGNORECASE,
)
_MULTIPLIER_RE = re.compile(r"(млрд|млн|мың|тыс)", re.IGNORECASE)
_MULTIPLIERS = {"млрд": 1e9, "млн": 1e6, "мың": 1e3, "тыс": 1e3}
_YEAR_CELL = re.compile(r"^(?:19|20)\d\d(?!\d)")
_PAGE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")
_NUMBER_CELL = re.compile(r"\d+(?:\.\d+)*\.?")

_WORD = re.compile(r"[^\W_]+")
_STOP_STEMS = frozenset(
    {
        "және", "мен", "бен", "пен", "үшін", "бойын", "арқыл", "оның", "ішінд", "соның",
        "қамта", "етілу", "облыс", "респу", "артты", "төмен", "азайт", "ұлғай", "жақса",
        "дамыт", "жетіл", "деңге", "ету", "жыл", "для", "при", "или", "облас",
    }
)  # fmt: skip


# -- detection ---------------------------------------------------------------------------------

_DETECT: tuple[tuple[float, re.Pattern[str]], ...] = (
    (0.15, re.compile(r"^\s*(?:\d\.\s*)?(?:төлқұжат|паспорт)\b")),
    (0.15, re.compile(r"негізгі сипаттамалар|основные характеристики")),
    (0.1, re.compile(r"^(?:қажетті ресурстар|необходимые ресурсы)")),
    (0.1, re.compile(r"^(?:бағыттар, мақсаттар|направления, цели)")),
    (0.1, re.compile(r"^(?:ақпарат көз|источник информации)")),
    (0.1, re.compile(r"^(?:жоспарлы көрсеткіштер|плановые показатели)")),
    (0.05, re.compile(r"^(?:есепті жыл|отчетный год)")),
    (0.05, re.compile(r"^(?:ағымдағы жылдың жоспары|план текущего года)")),
    (0.1, re.compile(r"даму жоспары|план развития")),
)


def detect(lines: Sequence[str]) -> float:
    """How much the text looks like a development plan: passport labels, part-4 header, codes."""
    score = 0.0
    seen: set[int] = set()
    codes = 0
    indicators = 0
    for line in lines:
        text = line.strip()
        if not text or len(text) > 400:
            continue
        folded = fold(text)
        for index, (weight, pattern) in enumerate(_DETECT):
            if index not in seen and pattern.search(folded):
                seen.add(index)
                score += weight
        if _NUI_RE.match(text) or _NI_RE.match(text):
            codes += 1
        elif _INDICATOR_RE.match(text):
            indicators += 1
    if codes >= 3:
        score += 0.2
    if indicators >= 3:
        score += 0.1
    return min(score, 1.0)


# -- small helpers -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Item:
    """One classified item: its level, printed code, number and title."""

    level: int
    code: str | None
    number: str | None
    title: str


def _classify(text: str) -> _Item | None:
    text = clean(text)
    if not text:
        return None
    m = _DIRECTION_RE.match(text)
    if m:
        return _item(DIRECTION, text, m, m["n"] or m["n2"])
    m = _NUI_RE.match(text)
    if m:
        return _item(NUI, text, m, m["n"])
    m = _NI_RE.match(text)
    if m:
        return _item(NI, text, m, m["n"] or m["n2"])
    m = _INDICATOR_RE.match(text)
    if m:
        return _item(INDICATOR, text, m, m["n"])
    m = _GOAL_RE.match(text)
    if m:
        number = m["n"] or m["n2"]
        item = _item(GOAL, text, m, number)
        return item if number else _Item(GOAL, None, None, item.title)
    m = _TASK_RE.match(text)
    if m:
        return _item(TASK, text, m, m["n"] or m["n2"])
    m = _SPHERE_RE.match(text)
    if m:
        return _item(SPHERE, text, m, m["n"])
    return None


def _item(level: int, text: str, m: re.Match[str], number: str | None) -> _Item:
    code = text[: m.start("title")].strip().rstrip(".:").strip()
    return _Item(level, code or None, number, m["title"].strip())


def _stems(title: str) -> frozenset[str]:
    out = set()
    for word in _WORD.findall(title):
        folded = fold(word)
        if len(folded) < 3 and not (len(word) >= 2 and word.isupper()):
            continue
        stem = folded[:5]
        if stem not in _STOP_STEMS:
            out.add(stem)
    return frozenset(out)


def _language(title: str) -> str | None:
    folded = fold(title)
    if any(ch in _KK for ch in folded):
        return "kk"
    if any("а" <= ch <= "я" for ch in folded):
        return "ru"
    return None


def _similarity(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    shared = len(a & b)
    if shared < 2 and min(len(a), len(b)) > 1:
        return 0.0
    return shared / min(len(a), len(b))


def _city_latin(native: str) -> str:
    known = _CITIES.get(fold(native))
    if known:
        return known
    return "-".join(part.capitalize() for part in slug(native).split("-") if part) or native


# -- the table's cells -------------------------------------------------------------------------


@dataclass(slots=True)
class _Cell:
    parts: list[str]
    line: int
    _text: str | None = None

    def add(self, text: str) -> None:
        """Text that continues this cell on the next physical line."""
        self.parts.append(text)
        self._text = None

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = clean(" ".join(self.parts))
        return self._text


@dataclass(slots=True)
class _Row:
    cells: list[_Cell] = field(default_factory=list)

    @property
    def line(self) -> int:
        return self.cells[0].line if self.cells else 0

    def texts(self) -> list[str]:
        return [cell.text for cell in self.cells]


@dataclass(slots=True)
class _Column:
    index: int
    year: int
    kind: str
    label: str


@dataclass(slots=True)
class _Header:
    ncols: int
    title: int
    responsible: int
    source: int
    unit: int
    columns: list[_Column]
    end: int  # index of the first line after the header


def _blank(line: str) -> bool:
    """A line with nothing in it (a line holding only a tab is an empty cell, not a blank)."""
    return "\t" not in line and not line.strip()


def _split_cells(line: str) -> tuple[str, list[str]]:
    """A physical line as (text continuing the open cell, texts of cells it opens)."""
    pieces = line.split("\t")
    return pieces[0], pieces[1:]


def _read_group(lines: Sequence[str], start: int) -> tuple[list[_Cell], int]:
    """Cells of the blank-line separated group that starts at or after ``start``."""
    i = start
    while i < len(lines) and _blank(lines[i]):
        i += 1
    cells: list[_Cell] = []
    while i < len(lines) and not _blank(lines[i]):
        head, opened = _split_cells(lines[i])
        if head.strip() and cells:
            cells[-1].add(head)
        for piece in opened:
            cells.append(_Cell([piece], i + 1))
        i += 1
    return cells, i


def _find_header(lines: Sequence[str]) -> int | None:
    """Index of the line that opens the part-4 header (a ``№`` cell before ``Индикатор``)."""
    for i, line in enumerate(lines):
        if line.startswith("\t") and line.split("\t", 2)[1].strip() == "№":
            cells, _ = _read_group(lines, i)
            if any(
                re.search(r"индикатор|көрсеткіш|атауы|показател|наименован", fold(c.text))
                for c in cells[1:4]
            ):
                return i
    return None


def _column_kind(label: str, position: int) -> str:
    folded = fold(label)
    if re.search(r"ағымдағы|текущ|бағалау|оценк|күтілет|ожидаем", folded):
        return "estimate"
    if re.search(r"есепті|отчетн", folded):
        return "fact"
    if re.search(r"жоспар|план|нысана|целев", folded):
        return "plan"
    return ("fact", "estimate")[position] if position < 2 else "plan"


def _read_header(lines: Sequence[str], start: int, period: tuple[int, int] | None) -> _Header:
    labels, i = _read_group(lines, start)
    texts = [fold(c.text) for c in labels]

    def find(pattern: str, default: int) -> int:
        for index, text in enumerate(texts):
            if re.search(pattern, text):
                return index
        return default

    title = find(r"индикатор|көрсеткіш|атауы|показател|наименован", 1)
    responsible = find(r"жауапты|ответствен|орындаушы", 2)
    source = find(r"ақпарат|источник", 3)
    unit = find(r"өлш|бірл|ед\.|единиц", 4)
    first_value = max(title, responsible, source, unit) + 1
    years: list[tuple[int, int]] = []
    ncols = len(labels)
    end = i
    for _ in range(2):
        cells, j = _read_group(lines, i)
        if not cells:
            break
        found = [
            (index, int(c.text[:4])) for index, c in enumerate(cells) if _YEAR_CELL.match(c.text)
        ]
        if len(found) >= 2 and not years:
            years = found
        elif not all(re.fullmatch(r"\d{1,2}|", c.text) for c in cells):
            break
        ncols = max(ncols, len(cells))
        i = end = j
    columns: list[_Column] = []
    if years:
        for position, (index, year) in enumerate(years):
            label = labels[min(index, len(labels) - 1)].text if index >= first_value else ""
            columns.append(_Column(index, year, _column_kind(label, position), label))
    elif period is not None:
        plan_years = [period[0] - 2, period[0] - 1, *range(period[0], period[1] + 1)]
        for position, year in enumerate(plan_years):
            index = first_value + position
            label = labels[min(index, len(labels) - 1)].text
            columns.append(_Column(index, year, _column_kind(label, position), label))
    if columns:
        ncols = max(ncols, columns[-1].index + 1)
    return _Header(ncols, title, responsible, source, unit, columns, end)


# -- the parser --------------------------------------------------------------------------------


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


class _Parser:
    def __init__(self, source: Source) -> None:
        self.source = source
        self.lines = source.lines
        self.known: dict[str, _Known] = {}
        self.children: dict[str | None, list[str]] = {}
        self.titles: dict[str, str] = {}
        self.indicator_done: set[str] = set()
        self.value_keys: set[tuple[str, int, str]] = set()
        self.funding_keys: set[tuple[str | None, int | None, str | None, str]] = set()
        self.plan_funding: dict[tuple[int | None, str], float] = {}
        self.plan_total: float | None = None
        self.plan_total_line: int | None = None
        self.cut_row: _Row | None = None
        self.builder: DocumentBuilder

    # -- passport ------------------------------------------------------------------------------

    def fields(self, limit: int) -> dict[str, list[tuple[int, str]]]:
        """The passport's fields: name -> [(line number, text)] of its value."""
        found: dict[str, list[tuple[int, str]]] = {}
        current: str | None = None
        started = False
        blanks = 0
        for i in range(limit):
            line = self.lines[i]
            text = line.strip()
            blanks = blanks + 1 if not text else 0
            if line.startswith("\t") and text and len(text) < 120:
                head, opened = _split_cells(line)
                label_text = clean(opened[0]) if opened else ""
                name = next((n for n, p in _LABELS if p.search(fold(label_text))), None)
                if name is not None and not head.strip():
                    current = name if name not in found else None
                    if current is not None:
                        found[current] = []
                        started = False
                        rest = " ".join(opened[1:]).strip()
                        if rest:
                            found[current].append((i + 1, rest))
                            started = True
                    continue
            if current is None:
                continue
            if not text:
                if started and (current != "directions" or blanks >= 2):
                    current = None
                continue
            found[current].append((i + 1, line.lstrip("\t").rstrip()))
            started = True
        return found

    def meta(self, fields: dict[str, list[tuple[int, str]]], header_at: int | None) -> PlanMeta:
        title = clean(" ".join(t for _, t in fields.get("title", [])))
        if not title:
            for line in self.lines[: header_at or len(self.lines)]:
                if re.search(r"даму жоспары|план развития", fold(line)):
                    title = clean(line)
                    break
        if not title:
            raise DocumentError(
                self.source.path, "expected the plan's title (passport label 'Атауы')", 1
            )
        years = years_in(title) or years_in(" ".join(t for _, t in fields.get("period", [])))
        if not years:
            raise DocumentError(
                self.source.path, f"expected the plan's period (years) in its title {title!r}"
            )
        match = _CITY_RE.search(title) or _CITY_RU_RE.search(title)
        if match is None:
            raise DocumentError(
                self.source.path, f"expected the city ('... қаласының') in the title {title!r}"
            )
        native = match.group(1)
        narrative = "\n".join(t for _, t in fields.get("narrative", [])) or None
        responsible = clean(" ".join(t for _, t in fields.get("responsible", []))) or None
        return PlanMeta(
            city=_city_latin(native),
            city_native=native,
            country="KZ",
            language="kk",
            kind="plan",
            title=title,
            period_start=min(years),
            period_end=max(years),
            currency="KZT",
            responsible=responsible,
            narrative=narrative,
        )

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

    def passport(self, rows: list[tuple[int, str]]) -> None:
        stack: list[tuple[int, str]] = []
        last: str | None = None
        for position, (line, raw) in enumerate(rows):
            text = clean(raw)
            if not text:
                continue
            item = _classify(text)
            if item is None:
                if text[0].islower() and last is not None:
                    title = f"{self.titles[last]} {text}".strip()
                    self.builder.set_title(last, title)
                    self.titles[last] = title
                    self.known[last].retitle(title)
                    continue
                following = next((clean(t) for _, t in rows[position + 1 :] if clean(t)), "")
                after = _classify(following) if following else None
                level = GROUP if after is not None and after.level == DIRECTION else SECTION
                item = _Item(level, None, None, text)
            elif item.level == SPHERE and not any(lv == TASK for lv, _ in stack):
                item = _Item(SECTION, item.code, item.number, item.title)
            if item.level == INDICATOR and item.number and item.number.startswith("."):
                task_no = self._open_number(stack, TASK)
                if task_no:
                    repaired = f"{task_no}{item.number}"
                    self.builder.warn(
                        line,
                        f"indicator code {item.code!r} lost its first digit: read as "
                        f"{repaired} (its task is number {task_no})",
                    )
                    code = f"{task_no}{item.code}" if item.code else item.code
                    item = _Item(INDICATOR, code, repaired, item.title)
            while stack and stack[-1][0] >= item.level:
                stack.pop()
            parent = stack[-1][1] if stack else None
            last = self.add(item, parent, line, known=True)
            if item.level not in _LEAVES:
                stack.append((item.level, last))

    def _open_number(self, stack: list[tuple[int, str]], level: int) -> str | None:
        for lv, node_id in reversed(stack):
            if lv == level:
                return self.known[node_id].number if node_id in self.known else None
        return None

    def passport_funding(self, rows: list[tuple[int, str]]) -> None:
        """``Қажетті ресурстар``: the total and the amounts by year (and by source if named)."""
        texts = [(line, clean(raw)) for line, raw in rows]
        sources = next(
            (t for _, t in texts if re.match(r"қаржыландыру көздері|источники финанс", fold(t))),
            "",
        )
        note = " ".join(t for _, t in texts if t.startswith("*"))
        total_comment = " ".join(t for t in (sources, note) if t) or None
        for line, text in texts:
            if text.startswith("*"):
                continue
            previous = 0
            year: int | None = None
            for m in _AMOUNT_RE.finditer(text):
                segment = text[previous : m.start()]
                previous = m.end()
                years = years_in(segment)
                codes = funding_codes(segment)
                source = codes[0] if len(codes) == 1 else None
                if years:
                    year = years[-1]
                elif source is None:
                    year = None  # a total: "... іске асыруға 184 716 млн. теңге"
                raw = m.group(0).rstrip(". ")
                try:
                    amount = parse_amount(f"{m['num']} {m['mult']}. {m['cur']}").value
                except NumberParseError:
                    self.builder.warn(line, f"cannot read the amount {raw!r}")
                    continue
                plan_level = year is None and source is None
                if plan_level:
                    self.plan_total, self.plan_total_line = amount, line
                comment = total_comment if plan_level else None
                self.funding(None, year, source, "plan", amount, raw, comment, line)
                if source is None:
                    self.plan_funding[(year, "plan")] = amount

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

    # -- part 4 --------------------------------------------------------------------------------

    def table_rows(self, header: _Header) -> list[_Row]:
        """The body's rows: cells open at a tab, continue on lines without one; see module docs."""
        rows: list[_Row] = []
        row = _Row()
        blank = False
        for i in range(header.end, len(self.lines)):
            line = self.lines[i]
            if _blank(line):
                blank = True
                if row.cells and self._row_done(row, header.ncols):
                    rows.append(row)
                    row = _Row()
                continue
            head, opened = _split_cells(line)
            if not opened:
                if blank and _PAGE_NUMBER.match(line):
                    continue
                if blank or not row.cells:
                    break  # text after the table
                row.cells[-1].add(head)
                continue
            if head.strip() and row.cells:
                row.cells[-1].add(head)
            for piece in opened:
                if row.cells and self._row_full(row, header.ncols):
                    rows.append(row)
                    row = _Row()
                row.cells.append(_Cell([piece], i + 1))
            blank = False
        if row.cells:
            if not self._row_done(row, header.ncols):
                self.cut_row = row
            rows.append(row)
        return rows

    @staticmethod
    def _expected(row: _Row, ncols: int) -> int:
        """Cells of a full row: one fewer when the row starts with a title, not a № cell."""
        first = row.cells[0].text
        return ncols if not first or _NUMBER_CELL.fullmatch(first) else ncols - 1

    @staticmethod
    def _heading(row: _Row) -> _Item | None:
        """The item of a one-cell row or of a row of an empty № cell and one more cell."""
        if len(row.cells) == 1:
            return _classify(row.cells[0].text)
        if len(row.cells) == 2 and not row.cells[0].text:
            return _classify(row.cells[1].text)
        return None

    def _row_full(self, row: _Row, ncols: int) -> bool:
        """Whether a row can take no more cells: a new cell starts the next row."""
        count = len(row.cells)
        if count <= 2:
            item = self._heading(row)
            if item is None:
                return False
            return item.level == DIRECTION or (
                count == 2 and item.level in (GOAL, TASK, SPHERE, DIRECTION)
            )
        return count >= self._expected(row, ncols)

    def _row_done(self, row: _Row, ncols: int) -> bool:
        """Whether a blank line after this row ends it (a blank may fall inside a row)."""
        count = len(row.cells)
        if count == 1:
            return not _NUMBER_CELL.fullmatch(row.cells[0].text)
        if count == 2 and not row.cells[0].text:
            item = _classify(row.cells[1].text)
            return item is None or item.level in (GOAL, TASK, SPHERE, DIRECTION)
        return count >= self._expected(row, ncols)

    def part4(self, header: _Header) -> None:
        rows = self.table_rows(header)
        stack: list[tuple[int, str, bool]] = []
        seen_direction = False
        saw_money = False
        saw_total = False
        last_line = header.end
        for row in rows:
            texts = row.texts()
            lines = [cell.line for cell in row.cells]
            last_line = max(c.line + len(c.parts) - 1 for c in row.cells)
            if texts and texts[0] and not _NUMBER_CELL.fullmatch(texts[0]):
                texts = ["", *texts]  # no № cell: a heading or a total printed from column 1
                lines = [row.line, *lines]
            while len(texts) < header.ncols:
                texts.append("")
                lines.append(last_line)
            title_text = texts[header.title] if header.title < len(texts) else ""
            if not title_text:
                continue
            other = [t for k, t in enumerate(texts) if k not in (0, header.title) and t]
            item = _classify(title_text)
            folded = fold(title_text)
            if item is None and _MONEY_RE.search(folded):
                saw_money = True
                if _TOTAL_RE.match(folded):
                    saw_total = True
                self.money_row(texts, lines, header, stack, folded)
                continue
            if not other:
                # a heading row: group, direction, goal, task, sphere
                if item is None:
                    level = GROUP if row.cells[0].text else SECTION
                    item = _Item(level, None, None, title_text)
                if item.level == GROUP:
                    found = self.match(item, [])
                    if found is None and not seen_direction:
                        stack.clear()
                        continue
                    stack.clear()
                    node_id = found or self.add(item, None, row.line, known=False)
                    stack.append((GROUP, node_id, found is not None))
                    continue
                if item.level == DIRECTION:
                    seen_direction = True
                node_id = self.place(item, stack, row.line)
                if item.level in (NUI, NI, INDICATOR):
                    self.indicator_row(node_id, texts, lines, header, title_text)
                continue
            if item is None:
                item = _Item(INDICATOR, None, None, title_text)
            elif item.level not in (NUI, NI, INDICATOR):
                self.builder.warn(
                    row.line, f"a heading row with values, read as an indicator: {title_text!r}"
                )
                item = _Item(INDICATOR, item.code, item.number, item.title)
            node_id = self.place(item, stack, row.line)
            self.indicator_row(node_id, texts, lines, header, title_text)
        if self.cut_row is not None:
            cut = self.cut_row
            end = max(c.line + len(c.parts) - 1 for c in cut.cells)
            self.builder.warn(
                end,
                f"the table is cut off at line {end}: the row that starts at line {cut.line} "
                f"has {len(cut.cells)} of {header.ncols} cells",
            )
        elif saw_money and not saw_total:
            self.builder.warn(
                last_line,
                f"the table ends at line {last_line} without its grand total row "
                "(БАРЛЫҚ ...): the document may be cut off",
            )

    def match(self, item: _Item, stack: list[tuple[int, str, bool]]) -> str | None:
        """The passport node a part-4 item repeats, or None."""
        scope: str | None = None
        for _, node_id, known in reversed(stack):
            if known:
                scope = node_id
                break
        candidates: list[_Known] = []
        queue = list(self.children.get(scope, []))
        while queue:
            node_id = queue.pop(0)
            queue.extend(self.children.get(node_id, []))
            known_node = self.known.get(node_id)
            if known_node is not None and not known_node.matched and known_node.level == item.level:
                candidates.append(known_node)
        if not candidates:
            return None
        stems = _stems(item.title)
        folded = fold(item.title)
        language = _language(item.title)
        best: _Known | None = None
        best_score = 0.0
        for cand in candidates:
            same = bool(folded) and cand.folded == folded
            score = 2.0 if same else _similarity(stems, cand.stems)
            if score and item.number is not None and cand.number == item.number:
                score += 0.01
            if score > best_score:
                best, best_score = cand, score
        if best is None or best_score < 0.6:
            best = None
            for cand in candidates:
                comparable = bool(item.title and cand.title) and (
                    not language or not cand.language or language == cand.language
                )
                if item.number is not None and cand.number == item.number and not comparable:
                    best = cand
                    break
            if best is None and item.number is None:
                lone = [c for c in candidates if c.number is None]
                if len(lone) == 1 and stems & lone[0].stems:
                    best = lone[0]
        if best is None:
            return None
        best.matched = True
        return best.node_id

    def place(self, item: _Item, stack: list[tuple[int, str, bool]], line: int) -> str:
        while stack and stack[-1][0] >= item.level:
            stack.pop()
        found = self.match(item, stack)
        node_id = found
        if node_id is None:
            parent = stack[-1][1] if stack else None
            node_id = self.add(item, parent, line, known=False)
        if item.level in _LEAVES:
            return node_id
        if found is not None:
            stack[:] = self.chain(found)  # the passport's own ancestry: spheres part 4 omits
        else:
            stack.append((item.level, node_id, False))
        return node_id

    def chain(self, node_id: str) -> list[tuple[int, str, bool]]:
        """A passport node and its ancestors, outermost first, as part-4 stack entries."""
        out: list[tuple[int, str, bool]] = []
        current: str | None = node_id
        while current is not None and current in self.known:
            known = self.known[current]
            out.append((known.level, current, True))
            current = known.parent
        return out[::-1]

    def indicator_row(
        self, node_id: str, texts: list[str], lines: list[int], header: _Header, title: str
    ) -> None:
        """Unit, responsible, source and the values of one indicator row (cells as printed)."""
        unit = texts[header.unit] if header.unit < len(texts) else ""
        plans: list[float | None] = []
        for column in header.columns:
            raw = texts[column.index] if column.index < len(texts) else ""
            if not raw:
                continue
            line = lines[column.index]
            try:
                value = parse_number(raw).value
            except NumberParseError:
                value = None
                self.builder.warn(line, f"cannot read the number {raw!r} ({column.year})")
            if column.kind == "plan":
                plans.append(value)
            key = (node_id, column.year, column.kind)
            if key in self.value_keys:
                self.builder.warn(
                    line, f"a second {column.kind} value for {column.year} of {title!r}: skipped"
                )
                continue
            self.value_keys.add(key)
            self.builder.add_value(
                node_id, year=column.year, kind=column.kind, raw=raw, value=value, line=line
            )
        if node_id in self.indicator_done:
            return
        self.indicator_done.add(node_id)
        node_title = self.titles.get(node_id, title)
        polarity = infer_polarity(node_title, unit or None)
        if (
            polarity == "increase"
            and unit.strip() == "%"
            and plans
            and all(v == 100.0 for v in plans)
        ):
            polarity = "target"
        self.builder.add_indicator(
            node_id,
            unit=unit or None,
            responsible=texts[header.responsible] if header.responsible < len(texts) else None,
            info_source=texts[header.source] if header.source < len(texts) else None,
            polarity=polarity,
        )

    def _money_unit(self, texts: list[str], header: _Header) -> float | None:
        for index in (header.unit, header.source, header.responsible):
            if index < len(texts):
                m = _MULTIPLIER_RE.search(texts[index])
                if m and re.search(r"теңге|тенге|тг", fold(texts[index])):
                    return _MULTIPLIERS[fold(m.group(1))]
        return None

    def money_row(
        self,
        texts: list[str],
        lines: list[int],
        header: _Header,
        stack: list[tuple[int, str, bool]],
        folded: str,
    ) -> None:
        if _OF_WHICH_RE.match(folded):
            return
        """A ``Қаржы ресурстары`` row: amounts by year under the open item, or plan-level totals."""
        line = lines[header.title]
        multiplier = self._money_unit(texts, header)
        if multiplier is None:
            multiplier = 1e6
            self.builder.warn(line, "a money row without its unit: read as млн теңге")
        node_id: str | None
        plan_level = bool(_TOTAL_RE.match(folded))
        if plan_level:
            node_id = None
        elif _SUBTOTAL_RE.search(folded):
            node_id = next((n for lv, n, _ in stack if lv == GROUP), None) or next(
                (n for lv, n, _ in reversed(stack) if lv == DIRECTION), None
            )
            if node_id is None:
                self.builder.warn(line, "a subtotal row outside any group: skipped")
                return
        else:
            node_id = next((n for lv, n, _ in reversed(stack) if lv in _FUNDING_LEVELS), None)
            if node_id is None:
                self.builder.warn(line, "a money row before any direction: skipped")
                return
        for column in header.columns:
            raw = texts[column.index] if column.index < len(texts) else ""
            if not raw:
                continue
            line = lines[column.index]
            try:
                if parse_number(raw).value is None:
                    continue  # "-": nothing planned
                amount = parse_amount(raw, multiplier=multiplier).value
            except NumberParseError:
                self.builder.warn(line, f"cannot read the amount {raw!r} ({column.year})")
                continue
            kind = "fact" if column.kind == "fact" else "plan"
            comment = column.label or None if column.kind == "estimate" else None
            if plan_level:
                known = self.plan_funding.get((column.year, kind))
                if known is not None:
                    if abs(known - amount) > 0.5:
                        self.builder.warn(
                            line,
                            f"the table's total for {column.year} ({raw}) differs from the "
                            f"passport's ({known:,.0f} tenge)",
                        )
                    continue
                self.plan_funding[(column.year, kind)] = amount
            self.funding(node_id, column.year, None, kind, amount, raw, comment, line)

    def check_totals(self) -> None:
        """Warn when the plan years' totals do not add up to the passport's total."""
        if self.plan_total is None:
            return
        meta = self.builder.meta
        by_year = [
            amount
            for (year, kind), amount in self.plan_funding.items()
            if year is not None and kind == "plan" and meta.period_start <= year <= meta.period_end
        ]
        total = sum(by_year)
        if by_year and abs(total - self.plan_total) > max(1.0, self.plan_total * 1e-6):
            self.builder.warn(
                self.plan_total_line,
                f"the amounts by year ({total:,.0f}) do not add up to the passport's "
                f"total ({self.plan_total:,.0f} tenge)",
            )

    # -- all -----------------------------------------------------------------------------------

    def run(self) -> ParsedDocument:
        header_at = _find_header(self.lines)
        fields = self.fields(header_at if header_at is not None else len(self.lines))
        meta = self.meta(fields, header_at)
        self.builder = DocumentBuilder(FAMILY, self.source, meta)
        directions = fields.get("directions", [])
        if directions:
            self.passport(directions)
        self.passport_funding(fields.get("resources", []))
        if header_at is None:
            if not directions:
                raise DocumentError(
                    self.source.path,
                    "expected the passport's directions or the part-4 table "
                    "(a header row '№ | Индикатор | ...')",
                )
            last = len(self.lines)
            self.builder.warn(
                last, f"the document ends at line {last} before the part-4 indicator table"
            )
        else:
            header = _read_header(self.lines, header_at, (meta.period_start, meta.period_end))
            if not header.columns:
                raise DocumentError(
                    self.source.path,
                    "expected the years of the part-4 table (a header row of years)",
                    header_at + 1,
                )
            self.part4(header)
        for node_id, known in self.known.items():
            if known.level == INDICATOR and node_id not in self.indicator_done:
                self.indicator_done.add(node_id)
                self.builder.add_indicator(node_id, title=known.title)
        self.check_totals()
        return self.builder.build()


def parse(source: Source) -> ParsedDocument:
    """Read a development plan: passport, part-4 table and financing."""
    return _Parser(source).run()
