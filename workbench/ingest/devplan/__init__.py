"""Development plan family: a Kazakh city's даму жоспары (e.g. Zhezkazgan 2026-2030).

Read from the document's blocks (:mod:`workbench.ingest.devplan.stream`): the tables and
paragraphs of a Word text export (cells on lines that start with a tab, rows ended by blank
lines — but a page break may also put a blank line inside a row), a .docx, an .xlsx, an HTML
page or web-page text, all read alike. Layout:

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
sphere line such as "Денсаулық сақтау" after a direction; in the passport it lasts until the
next sphere or direction, but part 4 decides what it holds: see below) →
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
matched container reopens the passport's own ancestry (the goals, tasks and numbered spheres part
4 does not print) below the sections part 4 prints. Part 4 is the main table, so it decides what
a section holds: an item the passport put straight under a section or a direction goes under the
container part 4 prints above it (a section heading of part 4, else the direction, or a goal
part 4 prints it under), and a passport section part 4 reads past without printing is no node at
all (Zhezkazgan's "Денсаулық сақтау": part 4 puts every goal of the third direction straight
under it). Without part 4 the passport's structure stands. A row with no passport counterpart
becomes a node under the innermost open part-4 container: the ``7.2 көрсеткіш`` on landfills
under sphere ``7.``, the employment goal printed a second time (with its task and two
indicators) and the forestry goal under the direction, the task ``1-міндет.
Тәрбиеленушілердің ...`` under its goal. Nodes are handed to the builder only at the end, once
part 4 has said where they go (a node's id follows its parent).

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
the years the passport does not give (a differing year is a warning). An ``оның ішінде ...``
(of which) row is a part of the money row above it: kept at that row's node under its own label
(by source when its label names one); the funding analysis shows it under that row, not summed.
Every amount keeps its label as printed and its line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence

from workbench.dataset.text import fold
from workbench.errors import DocumentError
from workbench.i18n import _
from workbench.ingest.devplan.items import _INDICATOR_RE, _NI_RE, _NUI_RE, INDICATOR
from workbench.ingest.devplan.money import _check_totals
from workbench.ingest.devplan.nodes import _Plan
from workbench.ingest.devplan.part4 import _part4
from workbench.ingest.devplan.passport import _fields, _meta, _passport, _passport_funding
from workbench.ingest.devplan.stream import _lines, _stream
from workbench.ingest.devplan.table import _find_header, _read_header
from workbench.ingest.document import DocumentBuilder, ParsedDocument, Source
from workbench.ingest.layout.joined import joined

__all__ = ["FAMILY", "detect", "parse"]

FAMILY = "development-plan"

# The labels whose presence tells a development plan, each with words it cannot match without
# (in the text case-folded; "отчетн" stands for "отчетный", whose "й" may be printed as two
# characters): a document is searched for those words at once and only the lines that hold one
# are tried, for most documents, and most lines of a plan, hold none.
_DETECT: tuple[tuple[float, re.Pattern[str], tuple[str, ...]], ...] = tuple(
    (weight, re.compile(pattern), tuple(words.split("|")))
    for weight, pattern, words in (
        (0.15, r"^\s*(?:\d\.\s*)?(?:төлқұжат|паспорт)\b", "төлқұжат|паспорт"),
        (
            0.15,
            r"негізгі сипаттамалар|основные характеристики",
            "негізгі сипаттамалар|основные характеристики",
        ),
        (
            0.1,
            r"^(?:қажетті ресурстар|необходимые ресурсы)",
            "қажетті ресурстар|необходимые ресурсы",
        ),
        (
            0.1,
            r"^(?:бағыттар, мақсаттар|направления, цели)",
            "бағыттар, мақсаттар|направления, цели",
        ),
        (0.1, r"^(?:ақпарат көз|источник информации)", "ақпарат көз|источник информации"),
        (
            0.1,
            r"^(?:жоспарлы көрсеткіштер|плановые показатели)",
            "жоспарлы көрсеткіштер|плановые показатели",
        ),
        (0.05, r"^(?:есепті жыл|отчетный год)", "есепті жыл|отчетн"),
        (
            0.05,
            r"^(?:ағымдағы жылдың жоспары|план текущего года)",
            "ағымдағы жылдың жоспары|план текущего года",
        ),
        (0.1, r"даму жоспары|план развития", "даму жоспары|план развития"),
    )
)
# Three target codes, and three indicator lines, count this much.
_CODES_WEIGHT = 0.2
_INDICATORS_WEIGHT = 0.1
_TOTAL_WEIGHT = sum(weight for weight, _, _ in _DETECT) + _CODES_WEIGHT + _INDICATORS_WEIGHT
# Room for rounding in a sum of weights: a family that may tie ``need`` is scored in full.
_SLACK = 1e-9
# What a target's code (printed as is) or an indicator's word (case-folded) must print.
_CODE_WORDS = ("НҰИ", "НИ", "ЦИ")
_INDICATOR_WORDS = ("көрсеткіш", "показатель")
# Longer lines are prose, never a label or a code.
_LONGEST = 400


def detect(lines: Sequence[str], need: float = 0.0) -> float:
    """How much the text looks like a development plan: passport labels, part-4 header, codes.

    Each label counts once, in the order the document first prints them; three target codes
    and three indicator lines count too. ``need`` is the score the caller looks for: once what
    is left to find cannot reach it, less is returned at once."""
    text, folded = joined(lines)  # casefold(), not fold(): lines stay where they are
    if text.count("\n") >= len(lines):  # a line holds a line break: keep one line a line
        text = "\n".join(line.replace("\n", " ") for line in lines)
        folded = text.casefold()

    def label(pattern: re.Pattern[str]) -> Callable[[int], bool]:
        return lambda line: _short(lines[line]) and bool(pattern.search(fold(lines[line].strip())))

    found: list[tuple[int, int, float]] = []  # (first line, label, weight) of each label seen
    got, left = 0.0, _TOTAL_WEIGHT  # weights found and not yet looked for
    for index, (weight, pattern, words) in enumerate(_DETECT):
        left -= weight
        first = _first_line(folded, words, label(pattern))
        if first is not None:
            found.append((first, index, weight))
            got += weight
        elif got + left < need - _SLACK:
            return got
    score = 0.0
    for _line, _index, weight in sorted(found):
        score += weight  # in the order the labels were first printed, as a line scan adds them
    if _lines_where(text, _CODE_WORDS, lambda line: _is_code(lines[line]), 3) >= 3:
        score += _CODES_WEIGHT
    elif got + _INDICATORS_WEIGHT < need - _SLACK:
        return got
    if _lines_where(folded, _INDICATOR_WORDS, lambda line: _is_indicator(lines[line]), 3) >= 3:
        score += _INDICATORS_WEIGHT
    return min(score, 1.0)


def _lines_with(text: str, word: str) -> Iterator[int]:
    """The index of each line of ``text`` (lines joined by newlines) that holds ``word``."""
    line = 0
    counted = 0  # text[:counted] holds ``line`` line breaks
    at = text.find(word)
    while at >= 0:
        line += text.count("\n", counted, at)
        counted = at
        yield line
        end = text.find("\n", at)
        if end < 0:
            return
        at = text.find(word, end)


def _first_line(text: str, words: Sequence[str], holds: Callable[[int], bool]) -> int | None:
    """The first line holding one of ``words`` that ``holds`` is true of."""
    first: int | None = None
    for word in words:
        for line in _lines_with(text, word):
            if first is not None and line >= first:
                break
            if holds(line):
                first = line
                break
    return first


def _lines_where(text: str, words: Sequence[str], holds: Callable[[int], bool], enough: int) -> int:
    """How many lines (up to ``enough``) holding one of ``words`` ``holds`` is true of."""
    found: set[int] = set()
    for word in words:
        for line in _lines_with(text, word):
            if len(found) >= enough:
                return len(found)
            if line not in found and holds(line):
                found.add(line)
    return len(found)


def _short(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and len(stripped) <= _LONGEST


def _is_code(line: str) -> bool:
    text = line.strip()
    return _short(text) and bool(_NUI_RE.match(text) or _NI_RE.match(text))


def _is_indicator(line: str) -> bool:
    text = line.strip()
    return _short(text) and not _is_code(text) and bool(_INDICATOR_RE.match(text))


def parse(source: Source) -> ParsedDocument:
    """Read a development plan: passport, part-4 table and financing."""
    lines = source.lines
    stream = _stream(source)
    found = _find_header(stream)
    header_at = found.line if found is not None else None
    fields = _fields(_lines(stream[: found.row] if found is not None else stream))
    meta = _meta(source, fields, header_at)
    plan = _Plan(DocumentBuilder(FAMILY, source, meta))
    directions = fields.get("directions", [])
    if directions:
        _passport(plan, directions)
    _passport_funding(plan, fields.get("resources", []))
    if found is None:
        if not directions:
            raise DocumentError(
                source.path,
                _(
                    "expected the passport's directions or the part-4 table (a header row '№ | "
                    "Индикатор | ...')"
                ),
            )
        last = len(lines)
        plan.builder.warn(
            last,
            _("the document ends at line {last} before the part-4 indicator table").format(
                last=last
            ),
        )
    else:
        header = _read_header(stream, found, (meta.period_start, meta.period_end))
        if not header.columns:
            raise DocumentError(
                source.path,
                _("expected the years of the part-4 table (a header row of years)"),
                found.line + 1,
            )
        _part4(plan, stream, header)
    for node_id, known in plan.known.items():
        if known.level == INDICATOR and node_id not in plan.indicator_done:
            plan.indicator_done.add(node_id)
            plan.indicator(node_id, title=known.title)
    _check_totals(plan)
    return plan.build()
