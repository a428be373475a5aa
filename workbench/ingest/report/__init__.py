"""Document family: the monitoring report of a Kazakh city development programme.

An "оперативная отчётность по мониторингу" exported from Word: a header of label/value pairs
(reporting period, implementation period, the state body), then four numbered parts:

1. ``Мақсатқа қол жеткізу`` — a table with a header row (№, name, unit, plan, fact, execution
   info), interleaved with single-cell headings: ``Бағыт: …`` (direction), ``3.2.1. …``
   (section), ``Мақсат 3.2.1.1: …`` (goal). Indicator rows are numbered ``1``, ``2`` …, their
   sub-indicators ``3.1``, ``4.1`` …; some rows have no number or an empty unit.
2. ``Іс-шаралар орындау`` — activities, with the same headings but no header row:
   (№, title, unit or amount, completion form, responsible, execution text). A single cell that
   is not a heading is a sub-group heading of its own (kept as a ``task`` node).
3. ``Қаржылық қаражаттарды игеру`` — money by source (total, republican, national fund, oblast,
   local), plan and fact, in the unit printed above the table, with the reasons for what was not
   spent.
4. ``Талдамалы жазбахат`` — the analytical note, kept as the plan's narrative text.

The parts may be headed in Russian too (``1. Достижение целей``, ``Направление: …``,
``Цель 3.2.1.1: …``, ``Наименование показателя``, ``Ед. изм.``, ``План на 2017 год``).

A profile over the layout engine: the report reads the document's blocks (paragraphs, and table
rows of cells, whatever form it came in: :mod:`workbench.ingest.layout.placed`), its headings by
the engine's numbering (``outline``), and its header rows by the engine's column roles
(``tables``: the roles each part needs), so its columns may come in any order and in kk or ru.
What stays the report's own is its shape: four numbered parts, rows joined back by counting
cells where a page break cut one (a blank line inside a row of a text export), and the money its
texts name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from workbench.errors import DocumentError
from workbench.i18n import _
from workbench.ingest.document import DocumentBuilder, ParsedDocument, Source
from workbench.ingest.layout.joined import joined
from workbench.ingest.layout.placed import Unit, placed_blocks
from workbench.ingest.report.activities import _read_activities
from workbench.ingest.report.funding import _read_funding
from workbench.ingest.report.indicators import _read_indicators
from workbench.ingest.report.meta import _meta, _meta_end
from workbench.ingest.report.outline import _Outline
from workbench.ingest.report.parts import _find_parts, _Part
from workbench.ingest.sources.blocks import Paragraph

__all__ = ["FAMILY", "detect", "parse"]

FAMILY = "monitoring-report"

# (pattern, weight, words): a feature holds on a line of at most _MAX_FEATURE_LINE characters;
# wherever its pattern holds, the line holds one of its words (in any case).
_DETECT_FEATURES: tuple[tuple[str, float, tuple[str, ...]], ...] = (
    (r"^\s*1\s*\.\s*(?:мақсатқа қол жеткізу|достижение цел)", 0.25, ("мақсатқа", "достижение")),
    (
        r"^\s*\d\s*\.\s*(?:іс-шаралар(?:ды)? орында|(?:вы|ис)полнение мероприят)",
        0.15,
        ("іс-шаралар", "полнение"),
    ),
    (
        r"^\s*\d\s*\.\s*(?:қаржы\w* қаражат\w* игер|освоение\w* финанс)",
        0.15,
        ("қаржы", "освоение"),
    ),
    (
        r"^\s*\d\s*\.\s*(?:талдамалы жазба|аналитическ\w* записк)",
        0.1,
        ("талдамалы", "аналитическ"),
    ),
    (r"^\s*(?:мақсат|цель)\s*:?\s*\d+\.\d+(?:\.\d+)*\s*:", 0.2, ("мақсат", "цель")),
    (
        r"^\s*(?:орындалуы туралы ақпарат|информация об исполнении)\s*$",
        0.1,
        ("орындалуы", "информация"),
    ),
    (r"(?:нақты көрсеткіштері|факт за \d{4} год)\s*$", 0.05, ("нақты", "факт")),
    (
        r"мониторинг\w* бойынша\b.*есеп|отч[её]тн\w* по мониторинг",
        0.15,
        ("мониторинг",),
    ),
    (r"^\s*(?:есепті кезең|отч[её]тный период)\s*$", 0.1, ("есепті", "период")),
)
# A line longer than this is a sentence of a note, not a heading: its words do not count.
_MAX_FEATURE_LINE = 300
_PATTERNS = tuple(re.compile(pattern, re.IGNORECASE) for pattern, _, _ in _DETECT_FEATURES)
_TOTAL_WEIGHT = sum(weight for _, weight, _ in _DETECT_FEATURES)
# Room for rounding in a sum of weights: a family that may tie ``need`` is scored in full.
_SLACK = 1e-9


def detect(lines: Sequence[str], need: float = 0.0) -> float:
    """How much the text looks like a monitoring report (layout and headings, not the name).

    A feature is tried only on the lines that hold one of its words, found in the case-folded
    text at once: a document of another family holds few of them and is passed over at a
    glance, instead of every pattern being tried on every line. ``need`` is the score the
    caller looks for: once the features left cannot reach it, less is returned at once.
    """
    text, folded = joined(lines)
    if len(folded) != len(text) or text.count("\n") != len(lines) - 1:
        # A letter folded to two (positions would not match) or a "line" holding a line break
        # of its own: every line tried, as it is.
        def holds(index: int) -> bool:
            pattern = _PATTERNS[index]
            return any(len(line) <= _MAX_FEATURE_LINE and pattern.search(line) for line in lines)
    else:

        def holds(index: int) -> bool:
            return _holds(_PATTERNS[index], _DETECT_FEATURES[index][2], text, folded)

    score = 0.0
    left = _TOTAL_WEIGHT
    for index, (_pattern, weight, _words) in enumerate(_DETECT_FEATURES):
        left -= weight
        if holds(index):
            score += weight  # in the features' order: the same sum whatever ``need`` is
            if score >= 1.0:
                return 1.0  # the rest can only add to it
        elif score + left < need - _SLACK:
            return score
    return min(1.0, score)


def _holds(pattern: re.Pattern[str], words: tuple[str, ...], text: str, folded: str) -> bool:
    """Whether ``pattern`` holds on a line of ``text`` (no longer than ``_MAX_FEATURE_LINE``)
    where ``folded`` (``text`` case-folded, letter for letter) holds one of ``words``."""
    for word in words:
        at = folded.find(word)
        while at >= 0:
            start = text.rfind("\n", 0, at) + 1
            end = text.find("\n", at)
            end = len(text) if end < 0 else end
            if end - start <= _MAX_FEATURE_LINE and pattern.search(text[start:end]):
                return True
            at = folded.find(word, end)
    return False


def parse(source: Source) -> ParsedDocument:
    """Read a monitoring report into the canonical tables."""
    placed = placed_blocks(source)
    units = placed.units
    parts = _find_parts(units, placed)
    first = parts[0] if parts else None
    meta_end = first.start - 1 if first else len(units)
    if first is not None and first.number != 1:
        # No heading for part 1: the indicator table starts at the first table row.
        part1_start = next((i for i, unit in enumerate(units) if i > 0 and _is_row(unit)), 0)
        meta_end = min(meta_end, _meta_end(units, part1_start))
        parts.insert(0, _Part(1, 0, meta_end, first.start - 1))
    elif first is None:
        meta_end = _meta_end(units, 0)
        parts = [_Part(1, 0, meta_end, len(units))]
    meta = _meta(source, units, placed, meta_end, parts)
    builder = DocumentBuilder(FAMILY, source, meta)
    outline = _Outline(builder, units, placed)
    by_number = {part.number: part for part in parts}
    stopped: int | None = None
    for part in parts:
        if part.number == 1:
            stopped = _read_indicators(outline, part)
        elif part.number == 2:
            stopped = _read_activities(outline, part)
        elif part.number == 3:
            stopped = _read_funding(outline, part, meta.report_year or 0)
    if 1 not in by_number or not outline.indicators:
        raise DocumentError(
            source.path,
            _(
                "monitoring report without indicator rows: expected part 1 ('1. Мақсатқа қол "
                "жеткізу') with rows (№, name, unit, plan, fact, information)"
            ),
        )
    missing = [n for n in (2, 3, 4) if n not in by_number]
    last = _last_line(source.lines)
    if stopped is not None:
        outline.warn(
            stopped,
            _(
                "document ends inside a table row (line {stopped}): the row is incomplete, the "
                "document looks cut off"
            ).format(stopped=stopped),
        )
    if missing and max(by_number) < 4:
        names = ", ".join(str(n) for n in missing)
        outline.warn(
            last,
            _(
                "document stops at line {last} in part {max}: part(s) {names} not found; the "
                "document looks cut off"
            ).format(last=last, max=max(by_number), names=names),
        )
    return builder.build()


def _is_row(unit: Unit) -> bool:
    return not isinstance(unit, Paragraph)


def _last_line(lines: Sequence[str]) -> int:
    for index in range(len(lines) - 1, -1, -1):
        if lines[index].strip():
            return index + 1
    return 1
