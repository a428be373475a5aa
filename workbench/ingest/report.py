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

Each table cell is a line that starts with a tab (an empty cell is a lone tab); a line without a
leading tab continues the cell above; blank lines separate rows. A page break may put a blank
line inside a row: rows are therefore joined back by counting cells. A tab inside a line also
separates cells, so exports with one tab-separated line per row read the same.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from workbench.errors import DocumentError, NumberParseError
from workbench.ingest.document import DocumentBuilder, ParsedDocument, PlanMeta, Source
from workbench.ingest.numbers import parse_amount, parse_number
from workbench.ingest.text import clean, fold, slug
from workbench.ingest.vocabulary import funding_codes

FAMILY = "monitoring-report"

# -- layout patterns ---------------------------------------------------------------------------

_PART = re.compile(r"^\s*([1-4])\s*[.)]\s*(\S.{0,120})$")
_PART_WORDS = {
    1: re.compile(r"мақсат|цел"),
    2: re.compile(r"іс-шара|іс шара|мероприят"),
    3: re.compile(r"қаржы|қаражат|финанс|средств"),
    4: re.compile(r"талдама|жазба|аналитич|записк"),
}
_DIRECTION = re.compile(r"^(?:Бағыт|Бағыты|Направление)\s*[:.]?\s*(.*)$", re.IGNORECASE)
_GOAL = re.compile(
    r"^(?:Мақсат|Мақсаты|Цель)\s*[:.]?\s*(\d+(?:\.\d+)+)\.?\s*[:.]?\s*(.*)$", re.IGNORECASE
)
_SECTION = re.compile(r"^(\d+(?:\.\d+)+)\.?\s*([^\W\d_].*)$")
_INDICATOR_CODE = re.compile(r"^\d+(?:\.\d+)*$")
_UNIT_NOTE = re.compile(r"^\(?\s*(мың|мын|млн|млрд|тыс)[^)]*\)?$", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_PERIOD = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*[-–—]\s*((?:19|20)\d\d)(?!\d)")
_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_CITY = re.compile(r"([^\W\d_][\w-]*)\s+қала(?:сы|сын|сының|сына|сында|ның|сынд)?\b", re.IGNORECASE)
_SIGNATURE = re.compile(r"басшы|бастығы|руководител|әкімі\s*$|[А-ЯӘҒҚҢӨҰҮҺІ]\.\s*[А-ЯӘҒҚҢӨҰҮҺІ]")

# reported status, over case-folded text; "not met" is tried first
_NOT_MET = re.compile(
    r"орындалмад|орындалмаған|орындалған жоқ|орындалмай|қол жеткізілмед|"
    r"аткарылбад|аткарылган жок|не выполн|не достигнут"
)
_MET = re.compile(
    r"орындалды|орындалған|асыра орындал|артығымен орындал|қол жеткізілді|"
    r"аткарылды|выполнен|выполнено|достигнут"
)

# money inside an execution text: "233724 мың теңге", "6 млрд. 508,9 млн. теңге", "37,9 млн тг."
_NUM = r"\d{1,3}(?: \d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_MULT = r"млрд|млн|мың|мын|миллиард|миллион"
_MONEY = re.compile(
    rf"(?<![\d.,])(?P<n1>{_NUM})\s*(?P<m1>{_MULT})\w*\.?"
    rf"(?:\s*(?P<n2>{_NUM})\s*(?P<m2>{_MULT})\w*\.?)?"
    r"\s*(?:теңге|тенге|тг)\w*\.?",
    re.IGNORECASE,
)
_MULT_WORD = {"млрд": "млрд", "миллиард": "млрд", "млн": "млн", "миллион": "млн"}
_MULT_RANK = {"млрд": 3, "млн": 2, "мың": 1}
_PLAN_VERB = re.compile(
    r"бөлін|бөлді|қарастыр|қарал(?:ып|ды|ған)|бекітіл|жоспарлан|выделен|предусмотр"
)
_FACT_VERB = re.compile(r"(?<!\w)игеріл(?!ме)|төленд|төленіп|освоен|израсходов")
_NOT_SPENT = re.compile(r"игерілме|не освоен")
_PART_OF = re.compile(r"оның ішінде|соның ішінде|в том числе|из них")
_OTHER_YEAR_WORDS = re.compile(r"биылғы|ағымдағы жыл|келесі жыл|алдағы жыл|өткен жыл")
_YEAR_MENTION = re.compile(r"(?<![-–\d])((?:19|20)\d\d)\s*(?:ж\.|жыл)(?!\w*\s*[-–]\s*\d)")
_SENTENCE = re.compile(r"(?<=[.;!?])\s+(?=[^\W_a-zа-яәғқңөұүһі])|\n")
_BUDGET_CODES = ("republican", "national_fund", "oblast", "local")
_CITY_BUDGET = re.compile(r"қалалық бюджет|городск\w* бюджет")

_KNOWN_CITIES = {
    "тараз": "Taraz",
    "жезқазған": "Zhezkazgan",
    "алматы": "Almaty",
    "астана": "Astana",
    "шымкент": "Shymkent",
    "ақтөбе": "Aktobe",
    "қарағанды": "Karaganda",
    "атырау": "Atyrau",
    "ақтау": "Aktau",
    "қостанай": "Kostanay",
    "павлодар": "Pavlodar",
    "өскемен": "Oskemen",
    "семей": "Semey",
    "орал": "Oral",
    "петропавл": "Petropavl",
    "көкшетау": "Kokshetau",
    "талдықорған": "Taldykorgan",
    "қызылорда": "Kyzylorda",
    "түркістан": "Turkistan",
    "теміртау": "Temirtau",
    "балқаш": "Balkhash",
    "сәтбаев": "Satbayev",
    "екібастұз": "Ekibastuz",
    "жаңаөзен": "Zhanaozen",
    "қонаев": "Konaev",
}

# -- detection ---------------------------------------------------------------------------------

_DETECT_FEATURES: tuple[tuple[re.Pattern[str], float], ...] = (
    (re.compile(r"^\s*1\s*\.\s*мақсатқа қол жеткізу", re.IGNORECASE), 0.25),
    (re.compile(r"^\s*\d\s*\.\s*іс-шаралар(?:ды)? орында", re.IGNORECASE), 0.15),
    (re.compile(r"^\s*\d\s*\.\s*қаржы\w* қаражат\w* игер", re.IGNORECASE), 0.15),
    (re.compile(r"^\s*\d\s*\.\s*талдамалы жазба", re.IGNORECASE), 0.1),
    (re.compile(r"^\s*мақсат\s*:?\s*\d+\.\d+(?:\.\d+)*\s*:", re.IGNORECASE), 0.2),
    (re.compile(r"^\s*орындалуы туралы ақпарат\s*$", re.IGNORECASE), 0.1),
    (re.compile(r"нақты көрсеткіштері\s*$", re.IGNORECASE), 0.05),
    (re.compile(r"мониторинг\w* бойынша\b.*есеп", re.IGNORECASE), 0.15),
    (re.compile(r"^\s*есепті кезең\s*$", re.IGNORECASE), 0.1),
)


def detect(lines: Sequence[str]) -> float:
    """How much the text looks like a monitoring report (layout and headings, not the name)."""
    found = [False] * len(_DETECT_FEATURES)
    for line in lines:
        if len(line) > 300:
            continue
        for index, (pattern, _) in enumerate(_DETECT_FEATURES):
            if not found[index] and pattern.search(line):
                found[index] = True
    return min(1.0, sum(w for (_, w), hit in zip(_DETECT_FEATURES, found, strict=True) if hit))


# -- reading cells -----------------------------------------------------------------------------


@dataclass(slots=True)
class _Cell:
    text: str
    line: int
    loose: bool = False  # began on a line without a leading tab
    last_line: int = 0

    def value(self) -> str:
        return clean(self.text)


@dataclass(slots=True)
class _Block:
    """Lines between two blank lines: the cells they hold, in order."""

    cells: list[_Cell] = field(default_factory=list)

    @property
    def loose_start(self) -> bool:
        return bool(self.cells) and self.cells[0].loose

    @property
    def first_line(self) -> int:
        return self.cells[0].line

    @property
    def last_line(self) -> int:
        return max(c.last_line or c.line for c in self.cells)


def _blocks(lines: Sequence[str], start: int, end: int) -> list[_Block]:
    """Cells of lines[start:end] grouped into blocks (0-based slice; cells carry 1-based lines)."""
    out: list[_Block] = []
    block: _Block | None = None
    for index in range(start, end):
        line = lines[index]
        number = index + 1
        if line.startswith("\t"):
            if block is None:
                block = _Block()
            for piece in line.split("\t")[1:]:
                block.cells.append(_Cell(piece, number, last_line=number))
        elif not line.strip():
            if block is not None:
                out.append(block)
                block = None
        else:
            pieces = line.split("\t")
            if block is None:
                block = _Block([_Cell(pieces[0], number, loose=True, last_line=number)])
            else:
                cell = block.cells[-1]
                cell.text = f"{cell.text}\n{pieces[0]}" if cell.text.strip() else pieces[0]
                cell.last_line = number
            for piece in pieces[1:]:
                block.cells.append(_Cell(piece, number, last_line=number))
    if block is not None:
        out.append(block)
    return out


def _text(cell: _Cell | None) -> str:
    return cell.value() if cell is not None else ""


def _paragraphs(cell: _Cell | None) -> str:
    """A cell's text with its line breaks kept (each line cleaned)."""
    if cell is None:
        return ""
    lines = [clean(line) for line in cell.text.split("\n")]
    return "\n".join(line for line in lines if line)


# -- the parse ---------------------------------------------------------------------------------


@dataclass(slots=True)
class _Row:
    cells: list[_Cell]

    @property
    def first_line(self) -> int:
        return self.cells[0].line

    @property
    def last_line(self) -> int:
        return max(c.last_line or c.line for c in self.cells)


class _Rows:
    """Joins blocks into rows of ``width`` cells (a page break may split a row in two)."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.pending: _Row | None = None

    def feed(self, block: _Block) -> _Row | None:
        """Take a block; return a finished row when the block starts a new one."""
        cells = list(block.cells)
        pending = self.pending
        if pending is None:
            self.pending = _Row(cells)
            return None
        have = len(pending.cells)
        if have < self.width:
            if have + len(cells) <= self.width:
                pending.cells.extend(cells)
                return None
            if block.loose_start and have + len(cells) - 1 <= self.width:
                _continue(pending.cells[-1], cells[0])
                pending.cells.extend(cells[1:])
                return None
        elif block.loose_start:
            _continue(pending.cells[-1], cells[0])
            rest = cells[1:]
            if not rest:
                return None
            self.pending = _Row(rest)
            return pending
        self.pending = _Row(cells)
        return pending

    def flush(self) -> _Row | None:
        row, self.pending = self.pending, None
        return row


def _continue(cell: _Cell, more: _Cell) -> None:
    cell.text = f"{cell.text}\n{more.text}" if cell.text.strip() else more.text
    cell.last_line = more.last_line or more.line


@dataclass(slots=True)
class _Part:
    number: int
    heading_line: int  # 1-based; 0 when the part has no heading of its own
    start: int  # 0-based index of its first line
    end: int = 0


def _find_parts(lines: Sequence[str]) -> list[_Part]:
    parts: list[_Part] = []
    current = 0
    previous_blank = True
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            previous_blank = True
            continue
        if previous_blank and not line.startswith("\t"):
            match = _PART.match(stripped)
            if match:
                number = int(match.group(1))
                rest = fold(match.group(2))
                words = _PART_WORDS[number].search(rest)
                # A heading by its words, or by its number when it reads like a heading.
                bare = (
                    number == current + 1 and len(rest) < 60 and not any(c.isdigit() for c in rest)
                )
                if number > current and (words or bare) and len(stripped) < 90:
                    if parts:
                        parts[-1].end = index
                    parts.append(_Part(number, index + 1, index + 1))
                    current = number
        previous_blank = False
    if parts:
        parts[-1].end = len(lines)
    return parts


class _Parser:
    def __init__(self, source: Source) -> None:
        self.source = source
        self.lines = source.lines
        self.warnings: list[tuple[int | None, str]] = []
        self.directions: dict[str, str] = {}
        self.sections: dict[str, str] = {}
        self.goals: dict[str, str] = {}
        self.tasks: dict[tuple[str, str], str] = {}
        self.direction: str | None = None
        self.section: str | None = None
        self.goal: str | None = None
        self.task: str | None = None
        self.indicators: dict[str, dict[str, str]] = {}
        self.builder: DocumentBuilder | None = None

    # -- entry --

    def parse(self) -> ParsedDocument:
        lines = self.lines
        parts = _find_parts(lines)
        first = parts[0] if parts else None
        meta_end = first.heading_line - 1 if first else len(lines)
        if first is not None and first.number != 1:
            # No heading for part 1: the indicator table starts at the first table cell.
            part1_start = next(
                (i for i in range(len(lines)) if lines[i].startswith("\t") and i > 0), 0
            )
            meta_end = min(meta_end, self._meta_end(part1_start))
            parts.insert(0, _Part(1, 0, meta_end, first.heading_line - 1))
        elif first is None:
            meta_end = self._meta_end(0)
            parts = [_Part(1, 0, meta_end, len(lines))]
        meta = self._meta(meta_end, parts)
        self.builder = DocumentBuilder(FAMILY, self.source, meta)
        by_number = {part.number: part for part in parts}
        stopped: int | None = None
        for part in parts:
            if part.number == 1:
                stopped = self._part1(part)
            elif part.number == 2:
                stopped = self._part2(part)
            elif part.number == 3:
                stopped = self._part3(part, meta.report_year or 0)
        if 1 not in by_number or not self.indicators:
            raise DocumentError(
                self.source.path,
                "monitoring report without indicator rows: expected part 1 "
                "('1. Мақсатқа қол жеткізу') with rows (№, name, unit, plan, fact, information)",
            )
        missing = [n for n in (2, 3, 4) if n not in by_number]
        last = self._last_line()
        if stopped is not None:
            self.warn(
                stopped,
                f"document ends inside a table row (line {stopped}): the row is incomplete, "
                "the document looks cut off",
            )
        if missing and max(by_number) < 4:
            names = ", ".join(str(n) for n in missing)
            self.warn(
                last,
                f"document stops at line {last} in part {max(by_number)}: part(s) {names} "
                "not found; the document looks cut off",
            )
        for line, message in self.warnings:
            self.builder.warn(line, message)
        return self.builder.build()

    def warn(self, line: int | None, message: str) -> None:
        self.warnings.append((line, message))

    def _last_line(self) -> int:
        for index in range(len(self.lines) - 1, -1, -1):
            if self.lines[index].strip():
                return index + 1
        return 1

    def _meta_end(self, fallback: int) -> int:
        """Where the header stops when part 1 has no heading: at the first table heading."""
        for index, line in enumerate(self.lines):
            text = clean(line)
            if text == "№" or _DIRECTION.match(text) or _GOAL.match(text):
                return index
        return fallback

    # -- header --

    def _meta(self, end: int, parts: list[_Part]) -> PlanMeta:
        lines = self.lines
        title_lines: list[str] = []
        for line in lines[:end]:
            if line.startswith("\t"):
                break
            if not line.strip():
                if title_lines:
                    break
                continue
            title_lines.append(line)
        title = clean(" ".join(title_lines))
        labels: dict[str, str] = {}
        for block in _blocks(lines, 0, end):
            cells = [c for c in block.cells if not c.loose]
            if len(cells) >= 2:
                labels[fold(cells[0].value())] = clean(" ".join(c.text for c in cells[1:]))
        report_year: int | None = None
        period: tuple[int, int] | None = None
        responsible: str | None = None
        for label, value in labels.items():
            if re.search(r"есепті|отчетн|отчётн", label):
                years = _YEAR.findall(value)
                if years:
                    report_year = int(years[-1])
            elif re.search(r"іске асыру|кезең|период", label):
                match = _PERIOD.search(value)
                if match:
                    period = (int(match.group(1)), int(match.group(2)))
            elif re.search(r"орган|атауы|наименован", label):
                responsible = value or None
        if period is None:
            match = _PERIOD.search(title)
            if match:
                period = (int(match.group(1)), int(match.group(2)))
        header_year = self._header_year(parts)
        if report_year is None:
            report_year = header_year
        if period is None:
            raise DocumentError(
                self.source.path,
                "monitoring report without its programme period: expected "
                "'Іске асыру кезеңі' followed by e.g. '2016-2020 жж.' or a period in the title",
                1,
            )
        if report_year is None:
            raise DocumentError(
                self.source.path,
                "monitoring report without its reporting year: expected 'Есепті кезең' "
                "followed by e.g. '2017 ж.'",
                1,
            )
        city_native = self._city(title, responsible)
        narrative = self._narrative(parts)
        return PlanMeta(
            city=_latin_city(city_native),
            city_native=city_native,
            country="KZ",
            language="kk",
            kind="report",
            title=title or "Мониторинг есебі",
            period_start=period[0],
            period_end=period[1],
            currency="KZT",
            report_year=report_year,
            responsible=responsible,
            narrative=narrative,
        )

    def _header_year(self, parts: list[_Part]) -> int | None:
        for part in parts:
            if part.number != 1:
                continue
            for index in range(part.start, min(part.end, part.start + 60)):
                text = fold(self.lines[index])
                if "жоспар" in text or "план" in text:
                    years = _YEAR.findall(text)
                    if years:
                        return int(years[0])
        return None

    def _city(self, title: str, responsible: str | None) -> str:
        for text in (title, responsible or ""):
            match = _CITY.search(text)
            if match:
                return match.group(1)
        raise DocumentError(
            self.source.path,
            "monitoring report without a city: expected '<city> қаласын дамытудың …' in the title",
            1,
        )

    def _narrative(self, parts: list[_Part]) -> str | None:
        part = next((p for p in parts if p.number == 4), None)
        if part is None:
            return None
        body = [_BOOKMARK.sub("", line) for line in self.lines[part.start : part.end]]
        while body and not body[-1].strip():
            body.pop()
        # A short closing block after blank lines is the signature, not the note.
        tail_start = len(body)
        while tail_start > 0 and body[tail_start - 1].strip():
            tail_start -= 1
        tail = body[tail_start:]
        if tail_start > 0 and len(tail) <= 4 and _SIGNATURE.search(" ".join(tail)):
            body = body[:tail_start]
        text = "\n".join(body).strip()
        return text or None

    # -- part 1: indicators --

    def _heading(self, cell: _Cell) -> bool:
        """Directions, sections and goals; True when the cell was one."""
        text = cell.value()
        builder = self.builder
        assert builder is not None
        match = _DIRECTION.match(text)
        if match:
            title = clean(match.group(1))
            key = fold(title)
            node = self.directions.get(key)
            if node is None:
                node = builder.add_node("direction", title, line=cell.line)
                self.directions[key] = node
            self.direction, self.section, self.goal, self.task = node, None, None, None
            return True
        match = _GOAL.match(text)
        if match:
            code, title = match.group(1), clean(match.group(2))
            node = self.goals.get(code)
            if node is None:
                parent = self._section_for(code) or self.section or self.direction
                node = builder.add_node("goal", title, parent=parent, code=code, line=cell.line)
                self.goals[code] = node
            self.goal, self.task = node, None
            return True
        match = _SECTION.match(text)
        if match and len(text) < 200:
            code, title = match.group(1), clean(match.group(2))
            node = self.sections.get(code)
            if node is None:
                node = builder.add_node(
                    "section", title, parent=self.direction, code=code, line=cell.line
                )
                self.sections[code] = node
            self.section, self.goal, self.task = node, None, None
            return True
        return False

    def _section_for(self, goal_code: str) -> str | None:
        code = goal_code
        while "." in code:
            code = code.rsplit(".", 1)[0]
            if code in self.sections:
                return self.sections[code]
        return None

    def _part1(self, part: _Part) -> int | None:
        columns = {"code": 0, "name": 1, "unit": 2, "plan": 3, "fact": 4, "info": 5}
        width = 6
        year = self.builder.meta.report_year if self.builder else None
        rows = _Rows(width)
        for block in _blocks(self.lines, part.start, part.end):
            if len(block.cells) == 1 and not block.loose_start and self._heading_peek(block):
                self._emit_indicator(rows.flush(), columns, width, year)
                self._heading(block.cells[0])
                continue
            header = _table_header(block, ("жоспар", "нақты"))
            if header is not None:
                self._emit_indicator(rows.flush(), columns, width, year)
                columns, width, header_year = _indicator_columns(block)
                year = header_year or year
                rows = _Rows(width)
                continue
            finished = rows.feed(block)
            self._emit_indicator(finished, columns, width, year)
        last = rows.flush()
        incomplete = (
            last is not None and len(last.cells) < width - 1 and part.end == len(self.lines)
        )
        self._emit_indicator(last, columns, width, year, cut=incomplete)
        return last.last_line if incomplete and last is not None else None

    def _heading_peek(self, block: _Block) -> bool:
        text = block.cells[0].value()
        return bool(_DIRECTION.match(text) or _GOAL.match(text) or _SECTION.match(text))

    def _emit_indicator(
        self,
        row: _Row | None,
        columns: dict[str, int],
        width: int,
        year: int | None,
        *,
        cut: bool = False,
    ) -> None:
        if row is None:
            return
        builder = self.builder
        assert builder is not None
        cells = _fit(row.cells, columns, width)
        code_at = columns.get("code", 0)
        first = _text(cells[code_at]).rstrip(".)") if code_at < len(cells) else ""
        if first and not _INDICATOR_CODE.match(first) and len(cells) == width - 1:
            # The row has no number cell at all: the name came first.
            cells = [*cells[:code_at], _Cell("", row.first_line), *cells[code_at:]]

        def get(name: str) -> _Cell | None:
            index = columns.get(name)
            return cells[index] if index is not None and index < len(cells) else None

        code = _text(get("code")).rstrip(".)")
        name = _text(get("name"))
        if code and not _INDICATOR_CODE.match(code):
            # Not a number: part of the name.
            name, code = f"{code} {name}".strip(), ""
        parent_goal = self.goal or self.section or self.direction
        if parent_goal is None:
            self.warn(row.first_line, "indicator row before any goal heading ('Мақсат …')")
        scope = self.indicators.setdefault(parent_goal or "", {})
        parent = parent_goal
        if code and "." in code:
            head = code.rsplit(".", 1)[0]
            parent = scope.get(head, parent_goal)
        node = builder.add_node(
            "indicator", name, parent=parent, code=code or None, line=row.first_line
        )
        if code:
            scope[code] = node
        else:
            scope.setdefault(f"#{node}", node)
        unit = _text(get("unit"))
        builder.add_indicator(node, unit=unit or None, title=name)
        if len(cells) < width - 1 and not cut:
            self.warn(
                row.first_line,
                f"indicator row has {len(cells)} of {width} cells (№, name, unit, plan, fact, "
                "information); values missing",
            )
        if year is None:
            return
        info = _paragraphs(get("info"))
        status = _reported_status(info)
        plan = get("plan")
        fact = get("fact")
        if plan is not None and _text(plan):
            self._value(node, year, "plan", plan)
        if fact is not None and (_text(fact) or info):
            self._value(node, year, "fact", fact, comment=info or None, status=status)
        elif fact is None and info:
            self.warn(row.first_line, "execution text without a fact cell")

    def _value(
        self,
        node: str,
        year: int,
        kind: str,
        cell: _Cell,
        *,
        comment: str | None = None,
        status: str | None = None,
    ) -> None:
        assert self.builder is not None
        raw = _text(cell)
        try:
            value = parse_number(raw).value
        except NumberParseError:
            value = None
            self.warn(cell.line, f"{kind} cell {raw!r} is not a number; kept as text")
        self.builder.add_value(
            node,
            year=year,
            kind=kind,
            raw=raw,
            value=value,
            comment=comment,
            reported_status=status,
            line=cell.line,
        )

    # -- part 2: activities --

    def _part2(self, part: _Part) -> int | None:
        width = 6
        rows = _Rows(width)
        for block in _blocks(self.lines, part.start, part.end):
            if len(block.cells) == 1 and not block.loose_start:
                cell = block.cells[0]
                if self._heading_peek(block):
                    self._emit_activity(rows.flush())
                    self._heading(cell)
                    continue
                pending = rows.pending
                if (pending is None or len(pending.cells) >= width) and _is_subgroup(cell):
                    self._emit_activity(rows.flush())
                    self._subgroup(cell)
                    continue
            self._emit_activity(rows.feed(block))
        last = rows.flush()
        incomplete = last is not None and len(last.cells) < width and part.end == len(self.lines)
        self._emit_activity(last, cut=incomplete)
        return last.last_line if incomplete and last is not None else None

    def _subgroup(self, cell: _Cell) -> None:
        builder = self.builder
        assert builder is not None
        title = cell.value()
        parent = self.goal or self.section or self.direction
        key = (parent or "", fold(title))
        node = self.tasks.get(key)
        if node is None:
            node = builder.add_node("task", title, parent=parent, line=cell.line)
            self.tasks[key] = node
        self.task = node

    def _emit_activity(self, row: _Row | None, *, cut: bool = False) -> None:
        if row is None:
            return
        builder = self.builder
        assert builder is not None
        cells = row.cells
        if len(cells) > 6:
            cells = [*cells[:5], _joined(cells[5:])]
        number = _text(cells[0]).rstrip(".)") if cells else ""
        title = _text(cells[1]) if len(cells) > 1 else ""
        if number and not _INDICATOR_CODE.match(number):
            if len(cells) <= 5:
                # The row has no number cell at all: the title came first.
                cells = [_Cell("", row.first_line), *cells]
                number, title = "", _text(cells[1])
            else:
                number, title = "", f"{number} {title}".strip()
        unit = _text(cells[2]) if len(cells) > 2 else ""
        form = _text(cells[3]) if len(cells) > 3 else ""
        responsible = _text(cells[4]) if len(cells) > 4 else ""
        report = _paragraphs(cells[5]) if len(cells) > 5 else ""
        parent = self.task or self.goal or self.section or self.direction
        if parent is None:
            self.warn(row.first_line, "activity row before any goal heading ('Мақсат …')")
        if len(cells) < 5 and not cut:
            self.warn(
                row.first_line,
                f"activity row has {len(cells)} of 6 cells (№, activity, unit, completion form, "
                "responsible, execution)",
            )
        node = builder.add_node(
            "activity", title, parent=parent, code=number or None, line=row.first_line
        )
        year = builder.meta.report_year
        amount_cell = _cell_amount(unit)
        funding_raw: str | None = None
        measures: str | None = unit or None
        if amount_cell is not None:
            funding_raw, measures = unit, None
            if year is not None:
                builder.add_funding(
                    node_id=node,
                    year=year,
                    source=None,
                    kind="plan",
                    amount=amount_cell,
                    amount_raw=unit,
                )
        sources: list[str] = []
        if year is not None and report:
            for (source, kind), (amount, raws) in _text_amounts(report, year).items():
                builder.add_funding(
                    node_id=node,
                    year=year,
                    source=source,
                    kind=kind,
                    amount=amount,
                    amount_raw="; ".join(raws),
                )
                if source not in sources:
                    sources.append(source)
        builder.add_activity(
            node,
            title=title,
            measures=measures,
            responsible=None if responsible in ("-", "–", "—") else responsible,
            funding_raw=funding_raw,
            funding_sources=[code for code in _BUDGET_CODES if code in sources],
            completion_form=form or None,
            report=report or None,
        )

    # -- part 3: money by source --

    def _part3(self, part: _Part, report_year: int) -> int | None:
        builder = self.builder
        assert builder is not None
        multiplier = 1000.0
        columns = {"source": 0, "plan": 1, "fact": 2, "reason": 3}
        width = 4
        plan_year = fact_year = report_year
        rows = _Rows(width)
        finished: list[_Row] = []
        for block in _blocks(self.lines, part.start, part.end):
            if block.loose_start and _UNIT_NOTE.match(block.cells[0].value()):
                multiplier = _unit_multiplier(block.cells[0].value())
                block = _Block(block.cells[1:])
                if not block.cells:
                    continue
            header = _table_header(block, ("жоспар", "нақты"))
            if header is not None:
                if (row := rows.flush()) is not None:
                    finished.append(row)
                columns, width, plan_year, fact_year = _money_columns(block, report_year)
                rows = _Rows(width)
                continue
            if (row := rows.feed(block)) is not None:
                finished.append(row)
        last = rows.flush()
        if last is not None:
            finished.append(last)
        seen: set[tuple[str | None, str]] = set()
        for row in finished:
            cells = row.cells

            def get(name: str, cells: list[_Cell] = cells) -> _Cell | None:
                index = columns.get(name)
                return cells[index] if index is not None and index < len(cells) else None

            name = _text(get("source"))
            folded = fold(name)
            source: str | None
            if re.search(r"барлығы|барлыгы|жиыны|всего|итого", folded):
                source = None
            else:
                if _CITY_BUDGET.search(folded):
                    codes = ["local"]
                else:
                    codes = [c for c in funding_codes(name) if c in _BUDGET_CODES]
                if len(codes) != 1:
                    self.warn(row.first_line, f"funding source {name!r} not recognised; skipped")
                    continue
                source = codes[0]
            reason = _paragraphs(get("reason")) or None
            for kind, year in (("plan", plan_year), ("fact", fact_year)):
                cell = get(kind)
                raw = _text(cell)
                if not raw or raw in ("-", "–", "—"):
                    continue
                try:
                    amount = parse_amount(raw, multiplier=multiplier)
                except NumberParseError:
                    self.warn(row.first_line, f"{kind} amount {raw!r} is not a number")
                    continue
                if (source, kind) in seen:
                    self.warn(row.first_line, f"funding source {name!r} repeated; skipped")
                    continue
                seen.add((source, kind))
                builder.add_funding(
                    node_id=None,
                    year=year,
                    source=source,
                    kind=kind,
                    amount=round(amount.value, 2),
                    amount_raw=raw,
                    comment=reason,
                )
        incomplete = last is not None and len(last.cells) < 3 and part.end == len(self.lines)
        return last.last_line if incomplete and last is not None else None


# -- helpers -----------------------------------------------------------------------------------


def _joined(cells: list[_Cell]) -> _Cell:
    text = "\n".join(c.text for c in cells if c.text.strip())
    return _Cell(text, cells[0].line, last_line=cells[-1].last_line)


def _fit(cells: list[_Cell], columns: dict[str, int], width: int) -> list[_Cell]:
    """A row with more cells than the header (a cell split by a tab or a page break)."""
    if len(cells) <= width:
        return cells
    plan_at = columns.get("plan", 3)
    # Find the first pair of number cells after the name: plan and fact.
    for index in range(2, len(cells) - 1):
        if _numberish(cells[index].value()) and _numberish(cells[index + 1].value()):
            shift = index - plan_at
            if shift > 0:
                name_at = columns.get("name", 1)
                merged = _joined(cells[name_at : name_at + shift + 1])
                cells = [*cells[:name_at], merged, *cells[name_at + shift + 1 :]]
            break
    if len(cells) > width:
        cells = [*cells[: width - 1], _joined(cells[width - 1 :])]
    return cells


def _numberish(text: str) -> bool:
    if not text:
        return False
    try:
        parse_number(text)
    except NumberParseError:
        return False
    return True


def _bare_number(text: str) -> bool:
    try:
        number = parse_number(text)
    except NumberParseError:
        return False
    return number.value is not None and number.unit is None


def _table_header(block: _Block, words: tuple[str, ...]) -> list[str] | None:
    """The folded cells of a header row holding every one of ``words`` (each in some cell)."""
    if len(block.cells) < 3 or any(len(c.text) > 160 for c in block.cells):
        return None
    cells = [fold(c.value()) for c in block.cells if not c.loose]
    if len(cells) < 3 or any(len(c) > 80 or _bare_number(c) for c in cells):
        return None
    if all(any(word in cell for cell in cells) for word in words):
        return cells
    return None


def _indicator_columns(block: _Block) -> tuple[dict[str, int], int, int | None]:
    cells = [fold(c.value()) for c in block.cells if not c.loose]
    columns: dict[str, int] = {}
    year: int | None = None
    for index, text in enumerate(cells):
        if text in ("№", "n", "#", "р/с", "р/н") and "code" not in columns:
            columns["code"] = index
        elif "өлшем" in text or "единиц" in text:
            columns["unit"] = index
        elif "нақты" in text or "факт" in text:
            columns["fact"] = index
            year = year or _first_year(text)
        elif "жоспар" in text or "план" in text:
            columns["plan"] = index
            year = _first_year(text) or year
        elif "орындал" in text or "ақпарат" in text or "исполн" in text:
            columns["info"] = index
        elif "атау" in text or "наимен" in text or "көрсеткіш" in text:
            columns["name"] = index
    defaults = {"code": 0, "name": 1, "unit": 2, "plan": 3, "fact": 4, "info": 5}
    for name, index in defaults.items():
        columns.setdefault(name, index)
    return columns, max(len(cells), 6), year


def _money_columns(block: _Block, report_year: int) -> tuple[dict[str, int], int, int, int]:
    cells = [fold(c.value()) for c in block.cells if not c.loose]
    columns: dict[str, int] = {}
    plan_year = fact_year = report_year
    for index, text in enumerate(cells):
        if "нақты" in text or "факт" in text:
            columns["fact"] = index
            fact_year = _first_year(text) or report_year
        elif "жоспар" in text or "план" in text:
            columns["plan"] = index
            plan_year = _first_year(text) or report_year
        elif "себеп" in text or "игерілмеу" in text or "причин" in text:
            columns["reason"] = index
        elif "көз" in text or "источник" in text:
            columns["source"] = index
    for name, index in {"source": 0, "plan": 1, "fact": 2, "reason": 3}.items():
        columns.setdefault(name, index)
    return columns, max(len(cells), 4), plan_year, fact_year


def _first_year(text: str) -> int | None:
    match = _YEAR.search(text)
    return int(match.group(1)) if match else None


def _unit_multiplier(text: str) -> float:
    folded = fold(text)
    if "млрд" in folded:
        return 1_000_000_000.0
    if "млн" in folded:
        return 1_000_000.0
    return 1000.0


def _is_subgroup(cell: _Cell) -> bool:
    """A lone cell in part 2 that names a group of activities (short, not a sentence)."""
    text = cell.value()
    return bool(text) and len(text) <= 120 and not text.endswith(".") and "\n" not in cell.text


def _reported_status(text: str) -> str | None:
    """What the execution text claims: met, not met, or None when it says neither."""
    if not text:
        return None
    folded = fold(text)
    if _NOT_MET.search(folded):
        return "not_met"
    if _MET.search(folded):
        return "met"
    return None


def _latin_city(native: str) -> str:
    folded = fold(native)
    if folded in _KNOWN_CITIES:
        return _KNOWN_CITIES[folded]
    return "-".join(part.capitalize() for part in slug(native).split("-") if part) or native


def _money_value(number: str, mult: str) -> float:
    word = fold(mult)
    unit = _MULT_WORD.get(word, "мың")
    return parse_amount(f"{number} {unit} теңге").value


def _cell_amount(text: str) -> float | None:
    """An amount printed in an activity's unit cell ('233724 мың теңге'), else None."""
    if not text or not any(ch.isdigit() for ch in text):
        return None
    normalized = re.sub(r"\bмын\b", "мың", text, flags=re.IGNORECASE)
    try:
        return round(parse_amount(normalized).value, 2)
    except NumberParseError:
        return None


def _text_amounts(report: str, report_year: int) -> dict[tuple[str, str], tuple[float, list[str]]]:
    """Amounts an execution text gives for the report year, by (budget source, plan|fact).

    Conservative on purpose: an amount counts only when

    - its budget is named right before it (since the previous amount of the sentence: "облыстық
      бюджеттен 233724 мың теңге"), or, for the first amount of a sentence that names no budget,
      in the sentence just before (with no other amount in between), or else right after it
      ("125400,0 мың теңге қаражат жергілікті бюджеттен қарастырылды");
    - the words after it say what happened: allocated (бөлінді, қарастырылды …) is ``plan``,
      spent (игерілді, төленді) is ``fact``, both when both are said; "A және B игерілді" gives
      A the verb of B;
    - it is not a part of an amount already counted ("оның ішінде …") and not for another year
      ("2016 жылы …", "биылғы жылға …").

    Amounts of one source and kind are summed; the raw texts are kept, joined by "; ".
    """
    out: dict[tuple[str, str], tuple[float, list[str]]] = {}
    for paragraph in report.split("\n"):
        carried: str | None = None  # a budget named by the previous sentence
        for sentence in _SENTENCE.split(paragraph):
            matches = list(_MONEY.finditer(sentence))
            if not matches:
                codes = _sources_in(sentence)
                carried = codes[0] if len(codes) == 1 else None
                continue
            # (match, source, kinds, skipped, a part of the amount before)
            found: list[tuple[re.Match[str], str | None, set[str], bool, bool]] = []
            previous_end = 0
            explicit: str | None = None
            for index, match in enumerate(matches):
                before = sentence[previous_end : match.start()]
                folded_before = fold(before)
                codes = _sources_in(before)
                source = explicit = codes[0] if len(codes) == 1 else None
                if not codes and index == 0:
                    source = carried
                part = bool(_PART_OF.search(folded_before))
                skip = part or _other_year(fold(sentence[: match.start()]), report_year)
                after_end = matches[index + 1].start() if index + 1 < len(matches) else None
                after = sentence[match.end() : after_end]
                kinds = _money_kinds(fold(after))
                if source is None and not codes:
                    # "125400,0 мың теңге қаражат жергілікті бюджеттен қарастырылды"
                    named_after = _sources_in(after)
                    source = named_after[0] if len(named_after) == 1 else None
                found.append((match, source, kinds, skip, part))
                previous_end = match.end()
            # "A және B толық игерілді": an amount without a verb takes the next one's.
            for index in range(len(found) - 2, -1, -1):
                match, source, kinds, skip, part = found[index]
                following = found[index + 1]
                if not kinds and not following[4]:
                    found[index] = (match, source, following[2], skip, part)
            for match, source, kinds, skip, _ in found:
                if source is None or skip:
                    continue
                value = _match_value(match)
                if value is None:
                    continue
                for kind in sorted(kinds & {"plan", "fact"}):
                    total, raws = out.get((source, kind), (0.0, []))
                    out[(source, kind)] = (round(total + value, 2), [*raws, clean(match.group(0))])
            # The next sentence may go on about the last amount's budget ("… бөлінген.
            # 1745 азамат жолданып, 233362 мың теңге игерілді.").
            carried = explicit
    return out


def _other_year(before: str, report_year: int) -> bool:
    """Whether the words before an amount put it in another year than the report's."""
    if _OTHER_YEAR_WORDS.search(before):
        return True
    years = _YEAR_MENTION.findall(before)
    return bool(years) and int(years[-1]) != report_year


def _money_kinds(after: str) -> set[str]:
    """What the words after an amount say happened to it (folded text)."""
    if _NOT_SPENT.search(after[:40]):
        return {"none"}
    kinds: set[str] = set()
    if _PLAN_VERB.search(after):
        kinds.add("plan")
    if _FACT_VERB.search(after):
        kinds.add("fact")
    return kinds


def _match_value(match: re.Match[str]) -> float | None:
    try:
        value = _money_value(match.group("n1"), match.group("m1"))
        if match.group("n2"):
            rank1 = _MULT_RANK[_MULT_WORD.get(fold(match.group("m1")), "мың")]
            rank2 = _MULT_RANK[_MULT_WORD.get(fold(match.group("m2")), "мың")]
            if rank2 >= rank1:
                return None
            value += _money_value(match.group("n2"), match.group("m2"))
    except NumberParseError:
        return None
    return value


def _sources_in(text: str) -> list[str]:
    folded = fold(text)
    if _CITY_BUDGET.search(folded):
        return ["local"]
    if not re.search(r"бюджет|қор|фонд|(?<![\w])(?:рб|об|жб|мб|ұқ)(?![а-яәғқңөұүһі])", folded):
        return []
    return [code for code in funding_codes(text) if code in _BUDGET_CODES]


# -- entry point -------------------------------------------------------------------------------


def parse(source: Source) -> ParsedDocument:
    """Read a monitoring report into the canonical tables."""
    return _Parser(source).parse()
