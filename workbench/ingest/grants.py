"""Document family: a Kazakh list of state grants for NGOs (e.g. Taraz 2026-2027).

Layout (a Word table exported with tabs between cells and ``---`` lines at page breaks):

- a header row: ``№ | грант саласы | басым бағыты | мәселенің қысқаша сипаттамасы |
  қаржыландыру көлемі (мың теңге) | грант түрі және іске асыру мерзімі | аумағы |
  нысаналы индикатор және күтілетін нәтижелер | материалдық-техникалық базаға талаптар``;
- the department that gives the grants on a line of its own (``Тараз қаласы әкімдігінің ішкі
  саясат бөлімі``): a ``section`` node, and the plan's ``responsible``;
- one row per grant, starting with its number. The export is loose: an empty cell is sometimes
  dropped (a grant with no problem text), two cells are sometimes glued (the territory and the
  targets), and after a page break (``---`` lines) the cells that go on are printed with an
  unreliable number of leading tabs. So the first line of a grant is read by content (the cell
  holding the amount anchors the columns; the targets start at ``Нысаналы индикатор``) and the
  continuation lines by order: the cells that go on are the last of area, direction, problem and
  targets, and a lone piece goes to a problem that is still missing unless it reads like a
  numbered target;
- cells hold HTML fragments (``<p>``, ``<ol>``); the targets cell holds the numbered target
  indicators and then the numbered expected results;
- the printed totals by year (``Итого:`` and the lines after it) close the table.

Every grant is a ``grant`` node under its department with its amounts by year in ``funding``
(thousand tenge → tenge, kind ``plan``, source not printed → null); the printed totals are kept as
plan-level funding rows and checked against the sum of the grants.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from workbench.dataset.numbers import parse_amount
from workbench.dataset.text import clean, fold, html_to_lines
from workbench.errors import DocumentError, NumberParseError
from workbench.ingest.columns import header_columns
from workbench.ingest.document import DocumentBuilder, ParsedDocument, PlanMeta, Source, years_in
from workbench.ingest.places import latin_city

FAMILY = "grant-list"

# Header words of each column, tried in this order on each header cell (case-folded).
_HEADER_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("number", re.compile(r"^(?:№|n|#|р/с|п/п)$")),
    ("territory", re.compile(r"аумағ|территор")),
    ("requirements", re.compile(r"талап|требован|материалд")),
    ("grant_type", re.compile(r"грант түрі|түрі|вид гранта")),
    ("amount", re.compile(r"қаржыландыру|көлем|финансир|сумм")),
    ("problem", re.compile(r"мәселе|проблем")),
    ("direction", re.compile(r"басым|приоритет")),
    ("targets", re.compile(r"индикатор|нәтиже|результат")),
    ("area", re.compile(r"сала|сфер|област")),
)
_GRANT_NUMBER = re.compile(r"^(\d{1,3})\s*[.)]?$")
_TOTAL = re.compile(r"^(?:итого|барлығы|барлыгы|жиыны|всего|жалпы сомасы)\b", re.IGNORECASE)
_SEPARATOR = re.compile(r"^[\s\-–—]*-[\s\-–—]*$")
# A department's name ends with what it is: "… ішкі саясат бөлімі".
_DEPARTMENT = re.compile(
    r"(?:бөлімі|басқармасы|әкімдігі|әкімшілігі|департаменті|аппараты|отдел\w*|управлени\w*|"
    r"департамент\w*)\W*$",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[^>]*>")
_AMOUNT = re.compile(
    r"(?:(?P<year>20\d\d)\s*(?:жыл\w*|ж\.?|год\w*|г\.)?\s*[-–—:]?\s*)?"
    r"(?P<number>\d[\d \u00a0]*(?:[.,]\d+)?)\s*"
    r"(?P<unit>мың|мин|тыс\.?|млн\.?|млрд\.?)?\s*(?P<currency>теңге|тенге|тг\.?)",
    re.IGNORECASE,
)
_TOTAL_YEAR = re.compile(r"(?<!\d)(20\d\d)\s*(?:жыл\w*|ж\.?|год\w*|г\.)")
_PERIOD = re.compile(
    r"(?<!\d)20\d\d(?:\s*[-–—]\s*20\d\d)?\s*(?:жж\.?|ж\.ж\.?|жыл\w*|ж\.?|гг\.?|год\w*|г\.)?"
)
_TARGETS_MARK = re.compile(
    r"(?:<p[^>]*>\s*)?(?:нысаналы\s+индикатор|күтілетін\s+нәтиже|целев\w*\s+индикатор)",
    re.IGNORECASE,
)
_TARGET_HEADING = re.compile(
    r"^(?P<head>нысаналы\s+индикатор\w*|целев\w*\s+индикатор\w*|күтілетін\s+нәтиже\w*|"
    r"ожидаем\w*\s+результат\w*)\s*(?:\([^)]{0,40}\))?\s*:?\s*",
    re.IGNORECASE,
)
_ITEM = re.compile(r"(?:(?<=\s)|^)(\d{1,2})\.\s+(?=\S)")
_NUMBERED = re.compile(r"(?:^|\s)\d{1,2}\.\s")
_STARTS_LOWER = re.compile(r"^[a-zа-яёәғқңөұүһі(«\"“,;]")
_SENTENCE_END = re.compile(r"[.!?:;»\"”)]$")
_CITY = re.compile(
    r"([А-ЯЁӘҒҚҢӨҰҮҺІ][\w-]*(?:[- ][А-ЯЁӘҒҚҢӨҰҮҺІ][\w-]*)?) +"
    r"(?:қаласы|қалалық|қаласының|қаласында|ауданы|города|городск)"
)
_CONTINUING = ("area", "direction", "problem", "targets")


def _header_columns(line: str) -> dict[str, int] | None:
    """The column of each field when ``line`` is the grant table's header, else None."""
    if "грант" not in fold(line):
        return None
    columns = header_columns(line, _HEADER_WORDS)
    found = set(columns) - {"number"}
    if len(found) >= 5 and "amount" in found:
        return columns
    return None


def detect(lines: Sequence[str]) -> float:
    """How much the text looks like a grant list (header, numbered grants with amounts, HTML)."""
    header_at = next(
        (i for i, line in enumerate(lines[:200]) if _header_columns(line) is not None), None
    )
    if header_at is None:
        return 0.0
    score = 0.6
    numbered = html = marks = 0
    for line in lines[header_at + 1 :]:
        first = _plain(line.split("\t", 1)[0])
        if _GRANT_NUMBER.match(first) and _AMOUNT.search(_plain(line)):
            numbered += 1
        if "<p>" in line or "<ol" in line:
            html += 1
        if _TARGETS_MARK.search(line):
            marks += 1
    score += 0.2 if numbered else 0.0
    score += 0.1 if html else 0.0
    score += 0.1 if marks else 0.0
    return min(score, 1.0)


def _plain(raw: str) -> str:
    """A cell's text without its HTML tags."""
    return clean(_TAG.sub(" ", raw))


@dataclass
class _Grant:
    line: int
    code: str
    department: int | None
    cells: dict[str, list[str]] = field(default_factory=dict)
    problem_pending: bool = False

    def add(self, name: str, raw: str) -> None:
        if clean(_TAG.sub(" ", raw)) or name == "targets":
            self.cells.setdefault(name, []).append(raw)

    def raw(self, name: str) -> str:
        return _join_fragments(self.cells.get(name, []))

    def text(self, name: str) -> str | None:
        return clean(" ".join(html_to_lines(self.raw(name)))) or None


@dataclass
class _Total:
    line: int
    year: int
    amount: float
    raw: str
    label: str | None = None


@dataclass
class _Reader:
    multiplier: float
    departments: list[tuple[int, str]] = field(default_factory=list)
    grants: list[_Grant] = field(default_factory=list)
    totals: list[_Total] = field(default_factory=list)
    # printed totals by block, each with the number of grants read before it
    blocks: list[tuple[list[_Total], int]] = field(default_factory=list)
    heading: list[str] = field(default_factory=list)
    warnings: list[tuple[int | None, str]] = field(default_factory=list)
    in_totals: bool = False
    total_label: str | None = None
    last_line: int = 0

    def feed(self, line_no: int, line: str) -> None:
        if not line.strip() or _SEPARATOR.match(line):
            return
        self.last_line = line_no
        cells = line.split("\t")
        first = _plain(cells[0])
        if "\t" not in line and "<" not in line and len(line) < 250 and _DEPARTMENT.search(line):
            self.in_totals = False
            self.departments.append((line_no, clean(line)))
            return
        if _TOTAL.match(first) or (self.in_totals and not _GRANT_NUMBER.match(first)):
            self._totals(line_no, cells)
            return
        self.in_totals = False
        if _GRANT_NUMBER.match(first) and len(cells) >= 4:
            self._grant(line_no, first, cells[1:])
            return
        if not self.grants:
            self.warnings.append((line_no, "text before the first numbered grant is skipped"))
            return
        fragments = [cell for cell in cells if _plain(cell)]
        self._continuation(line_no, fragments)

    def _totals(self, line_no: int, cells: list[str]) -> None:
        if not self.in_totals:  # a new block of totals, for the grants since the last one
            self.blocks.append(([], len(self.grants)))
            self.total_label = None
        self.in_totals = True
        if _TOTAL.match(_plain(cells[0])):
            self.total_label = _plain(cells[0])
        text = " ".join(_plain(cell) for cell in cells)
        amounts = list(_AMOUNT.finditer(text))
        if not amounts:
            return
        years = _TOTAL_YEAR.findall(text)
        for index, match in enumerate(amounts):
            year_text = match.group("year") or (years[index] if index < len(years) else None)
            amount = self.amount(match, line_no)
            if year_text is None or amount is None:
                self.warnings.append((line_no, f"a total without a year: {match.group(0)!r}"))
                continue
            raw = clean(match.group(0))
            total = _Total(line_no, int(year_text), amount, raw, self.total_label)
            self.totals.append(total)
            self.blocks[-1][0].append(total)

    def amount(self, match: re.Match[str], line_no: int) -> float | None:
        """Tenge of one printed amount (the header's unit when the amount names none)."""
        printed = " ".join(
            part for part in (match.group("number"), match.group("unit"), "теңге") if part
        )
        try:
            return parse_amount(printed, multiplier=self.multiplier).value
        except NumberParseError:
            self.warnings.append((line_no, f"amount {match.group(0)!r} cannot be read"))
            return None

    def _grant(self, line_no: int, code: str, cells: list[str]) -> None:
        department = len(self.departments) - 1 if self.departments else None
        grant = _Grant(line_no, code, department)
        self.grants.append(grant)
        while cells and not cells[-1].strip():
            cells = cells[:-1]
        amount_at = next((i for i, cell in enumerate(cells) if _is_amount_cell(cell)), None)
        if amount_at is None:
            self.warnings.append((line_no, f"grant {code}: no amount (expected 'NNN мың теңге')"))
            amount_at = min(3, len(cells))
        before = cells[:amount_at]
        for name, raw in zip(("area", "direction"), before[:2], strict=False):
            grant.add(name, raw)
        if len(before) >= 3:
            grant.add("problem", " ".join(before[2:]))
        if not _plain(" ".join(before[2:])):
            grant.problem_pending = True
        if amount_at < len(cells):
            grant.add("amount", cells[amount_at])
        after = cells[amount_at + 1 :]
        if after:
            grant.add("grant_type", after[0])
        rest = after[1:]
        marked = next((i for i, cell in enumerate(rest) if _TARGETS_MARK.search(cell)), None)
        if marked is None:
            for name, raw in zip(("territory", "targets"), rest[:2], strict=False):
                grant.add(name, raw)
            tail = rest[2:]
        else:
            cell = rest[marked]
            mark = _TARGETS_MARK.search(cell)
            assert mark is not None
            territory = [*rest[:marked], cell[: mark.start()]]
            grant.add("territory", " ".join(territory))
            grant.add("targets", cell[mark.start() :])
            tail = rest[marked + 1 :]
        if tail:
            grant.add("requirements", " ".join(tail))

    def _continuation(self, line_no: int, fragments: list[str]) -> None:
        grant = self.grants[-1]
        if not fragments:
            return
        count = len(fragments)
        if count == 1:
            only = fragments[0]
            if grant.problem_pending and not _reads_like_targets(only):
                names: list[str] = ["problem"]
            else:
                names = ["targets"]
        elif count <= len(_CONTINUING):
            names = list(_CONTINUING[-count:])
        else:
            self.warnings.append(
                (
                    line_no,
                    f"grant {grant.code}: {count} cells go on after a page break, "
                    "expected at most 4 (area, direction, problem, targets); extra ones are "
                    "joined to the problem",
                )
            )
            names = ["area", "direction"] + ["problem"] * (count - 3) + ["targets"]
        for name, raw in zip(names, fragments, strict=True):
            grant.add(name, raw)
            if name == "targets":
                grant.problem_pending = False


def _is_amount_cell(raw: str) -> bool:
    text = _plain(raw)
    if not text or len(text) > 120 or not _AMOUNT.search(text):
        return False
    rest = _AMOUNT.sub(" ", text)
    return len(re.sub(r"[\W\d_]+", "", rest)) < 10


def _reads_like_targets(raw: str) -> bool:
    text = _plain(raw)
    return bool(_NUMBERED.search(text) or _TARGETS_MARK.search(text))


_CLOSING_TAIL = re.compile(r"(?:\s*</(?:p|li|ol|ul)\s*>)+\s*$", re.IGNORECASE)
_OPENING_HEAD = re.compile(r"^\s*(?:<(?:p|li)(?:\s[^>]*)?>\s*)+", re.IGNORECASE)


def _join_fragments(fragments: list[str]) -> str:
    """One cell's text from the pieces a page break cut it into.

    A piece that goes on with the same sentence (it starts in lower case, or the text before it
    stops without an end mark) is joined inline, dropping the paragraph tags the break added; a
    word cut in two (``институттарыны`` + ``н әлеуетін``) is glued back. Otherwise the piece is a
    new paragraph.
    """
    text = ""
    for raw in fragments:
        if not text:
            text = raw
            continue
        before = _plain(text)
        after = _plain(raw)
        if not after:
            continue
        new_item = bool(re.match(r"^\d{1,2}\.\s|^[-–—•]\s", after))
        if _STARTS_LOWER.match(after) or not (_SENTENCE_END.search(before) or new_item):
            head = _CLOSING_TAIL.sub("", text)
            tail = _OPENING_HEAD.sub("", raw)
            cut_word = re.match(r"^[а-яёәғқңөұүһіa-z](?=[\s,.;:])", after)
            glue = "" if cut_word and re.search(r"\w$", head) else " "
            text = head + glue + tail.lstrip()
        else:
            text = text + "\n" + raw
    return text


def _split_targets(raw: str) -> tuple[list[str], list[str]]:
    """The numbered target indicators and the numbered expected results of a targets cell."""
    lists: dict[str, list[str]] = {"targets": [], "results": []}
    mode = "targets"
    expected = 1
    for line in html_to_lines(raw):
        heading = _TARGET_HEADING.match(line)
        if heading:
            head = fold(heading.group("head"))
            mode = "results" if ("нәтиже" in head or "результат" in head) else "targets"
            expected = 1
            line = line[heading.end() :].strip()
            if not line:
                continue
        items = lists[mode]
        starts = []
        for match in _ITEM.finditer(line):
            number = int(match.group(1))
            if number == expected or (match.start() == 0 and number == 1):
                starts.append(match)
                expected = number + 1
        if not starts:
            if items:
                items[-1] = clean(f"{items[-1]} {line}")
            else:
                items.append(line)
            continue
        lead = line[: starts[0].start()].strip()
        if lead:
            if items:
                items[-1] = clean(f"{items[-1]} {lead}")
            else:
                items.append(lead)
        for index, match in enumerate(starts):
            end = starts[index + 1].start() if index + 1 < len(starts) else len(line)
            item = clean(line[match.end() : end])
            if item:
                items.append(item)
    return lists["targets"], lists["results"]


def _period(type_text: str) -> tuple[str | None, str | None]:
    """Split "1 орта мерзімді грант, 2026-2027 жж." into the grant type and the printed period."""
    match = _PERIOD.search(type_text)
    if not match:
        return clean(type_text) or None, None
    kind = clean(type_text[: match.start()] + " " + type_text[match.end() :]).strip(" ,;")
    return kind or None, clean(match.group(0))


def parse(source: Source) -> ParsedDocument:
    lines = source.lines
    header_at = next((i for i, line in enumerate(lines) if _header_columns(line) is not None), None)
    if header_at is None:
        raise DocumentError(
            source.path,
            "expected the grant table header (№, грант саласы, басым бағыты, мәселе, "
            "қаржыландыру көлемі, грант түрі, аумағы, нысаналы индикатор)",
        )
    header = fold(lines[header_at])
    multiplier = 1_000.0 if re.search(r"мың|тыс", header) else 1.0
    reader = _Reader(multiplier)
    reader.heading = [clean(line) for line in lines[:header_at] if clean(line)]
    for index in range(header_at + 1, len(lines)):
        reader.feed(index + 1, lines[index])
    if not reader.grants:
        raise DocumentError(
            source.path, "expected numbered grant rows after the table header", header_at + 1
        )

    departments = [name for _, name in reader.departments]
    amounts = _grant_amounts(reader)
    years = sorted(
        {year for _, year, _, _, _ in amounts if year is not None}
        | {total.year for total in reader.totals}
        | {y for g in reader.grants for y in years_in(g.text("grant_type") or "")}
    )
    if not years:
        raise DocumentError(source.path, "expected the years of the grants (e.g. '2026 жыл')")
    start, end = years[0], years[-1]
    context = " ".join([*reader.heading, *departments]) or source.text[:5000]
    city_match = _CITY.search(context) or _CITY.search(source.text)
    if city_match is None:
        raise DocumentError(source.path, "expected the city's name (e.g. 'Тараз қаласы …')")
    city_native = city_match.group(1)
    responsible = "; ".join(dict.fromkeys(departments)) or None
    span = str(start) if start == end else f"{start}-{end}"
    title = " ".join(reader.heading) or (
        f"{responsible or city_native}: мемлекеттік гранттар, {span} жж."
    )
    meta = PlanMeta(
        city=latin_city(city_native),
        city_native=city_native,
        country="KZ",
        language="kk",
        kind="grants",
        title=title,
        period_start=start,
        period_end=end,
        currency="KZT",
        responsible=responsible,
    )
    builder = DocumentBuilder(FAMILY, source, meta)
    for line, message in reader.warnings:
        builder.warn(line, message)
    _emit(builder, reader, amounts, start)
    return builder.build()


_Amount = tuple[_Grant, int | None, float, str, int]


def _grant_amounts(reader: _Reader) -> list[_Amount]:
    """Each grant's amounts: (grant, printed year or None, tenge, printed text, line)."""
    found: list[_Amount] = []
    for grant in reader.grants:
        text = " ".join(html_to_lines(grant.raw("amount")))
        for match in _AMOUNT.finditer(text):
            value = reader.amount(match, grant.line)
            if value is None:
                continue
            year = int(match.group("year")) if match.group("year") else None
            found.append((grant, year, value, clean(match.group(0)), grant.line))
    return found


def _emit(builder: DocumentBuilder, reader: _Reader, amounts: list[_Amount], start: int) -> None:
    sections: dict[int, str] = {}
    for index, (line, name) in enumerate(reader.departments):
        if any(grant.department == index for grant in reader.grants):
            sections[index] = builder.add_node("section", name, line=line)
    sums: list[dict[int, float]] = []  # each grant's amounts by year
    for grant in reader.grants:
        parent = sections.get(grant.department) if grant.department is not None else None
        direction = grant.text("direction")
        area = grant.text("area")
        node = builder.add_node(
            "grant",
            direction or area or f"грант {grant.code}",
            parent=parent,
            code=grant.code,
            line=grant.line,
        )
        grant_type, period_raw = _period(grant.text("grant_type") or "")
        targets, results = _split_targets(grant.raw("targets"))
        builder.add_grant(
            node,
            area=area,
            direction=direction,
            problem=grant.text("problem"),
            grant_type=grant_type,
            period_raw=period_raw,
            territory=grant.text("territory"),
            targets=targets,
            expected_results=results,
            requirements=grant.text("requirements"),
        )
        if grant.text("problem") is None:
            builder.warn(grant.line, f"grant {grant.code}: no problem text")
        mine = [a for a in amounts if a[0] is grant]
        if not mine:
            builder.warn(grant.line, f"grant {grant.code}: no amount")
        years_of_period = years_in(period_raw or "") or years_in(grant.text("grant_type") or "")
        by_year: dict[int, float] = {}
        for _, year, value, raw, line in mine:
            comment = None
            if year is None:
                year = years_of_period[0] if years_of_period else start
                comment = (
                    "the amount is printed without a year: the first year of the grant's period"
                    if years_of_period
                    else "the amount is printed without a year: the plan's first year"
                )
            if year in by_year:
                builder.warn(line, f"grant {grant.code}: a second amount for {year} is skipped")
                continue
            by_year[year] = value
            builder.add_funding(
                node_id=node,
                year=year,
                source=None,
                kind="plan",
                amount=value,
                amount_raw=raw,
                comment=comment,
                line=line,
            )
        sums.append(by_year)
    _emit_totals(builder, reader, sums, sections)


def _emit_totals(
    builder: DocumentBuilder,
    reader: _Reader,
    sums: list[dict[int, float]],
    sections: dict[int, str],
) -> None:
    """The printed totals, each block checked against the grants it closes.

    One block of totals closes the whole list (plan-level rows). When every department closes
    with totals of its own, each block belongs to its department's section node.
    """
    if not reader.blocks:
        builder.warn(
            reader.last_line or None,
            "the grant list ends without its printed totals ('Итого:'): the document may be "
            "cut off here",
        )
        return
    first_grant = 0
    kept: set[tuple[str | None, int]] = set()
    for totals, end in reader.blocks:
        covered = range(first_grant, end)
        first_grant = end
        node: str | None = None
        comment = "printed total of the grant list (Итого)"
        if len(reader.blocks) > 1:
            departments = {reader.grants[i].department for i in covered}
            only = departments.pop() if len(departments) == 1 else None
            node = sections.get(only) if only is not None else None
            comment = "printed total of the department (Итого)"
        counted: dict[int, float] = {}
        for index in covered:
            for year, value in sums[index].items():
                counted[year] = counted.get(year, 0.0) + value
        seen: set[int] = set()
        for total in totals:
            if total.year in seen or (node, total.year) in kept:
                builder.warn(total.line, f"a second printed total for {total.year} is skipped")
                continue
            seen.add(total.year)
            kept.add((node, total.year))
            builder.add_funding(
                node_id=node,
                year=total.year,
                source=None,
                kind="plan",
                amount=total.amount,
                amount_raw=total.raw,
                comment=comment,
                label=total.label,
                line=total.line,
            )
            grants_sum = counted.get(total.year, 0.0)
            if abs(grants_sum - total.amount) > 0.5:
                builder.warn(
                    total.line,
                    f"the printed total for {total.year} is {total.amount:,.0f} tenge but the "
                    f"grants add up to {grants_sum:,.0f} tenge",
                )
        where = totals[0].line if totals else reader.last_line
        for year in sorted(set(counted) - seen):
            builder.warn(where, f"grants have amounts for {year} but no total is printed")
    if first_grant < len(reader.grants):
        builder.warn(
            reader.grants[first_grant].line,
            "grants after the last printed totals are not counted in any total",
        )
