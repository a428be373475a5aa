"""Document family: a Kazakh list of state grants for NGOs (e.g. Taraz 2026-2027).

Layout (a Word table exported with tabs between cells and ``---`` lines at page breaks):

- a header row: ``№ | грант саласы | басым бағыты | мәселенің қысқаша сипаттамасы |
  қаржыландыру көлемі (мың теңге) | грант түрі және іске асыру мерзімі | аумағы |
  нысаналы индикатор және күтілетін нәтижелер | материалдық-техникалық базаға талаптар``,
  its columns named by the layout engine's column roles (:mod:`.layout`), in any order;
- the department that gives the grants on a line of its own (``Тараз қаласы әкімдігінің ішкі
  саясат бөлімі``): a ``section`` node, and the plan's ``responsible``;
- one row per grant, starting with its number. The export is loose: an empty cell is sometimes
  dropped (a grant with no problem text), two cells are sometimes glued (the territory and the
  targets), and after a page break (``---`` lines) the cells that go on are printed with an
  unreliable number of leading tabs. So the first row of a grant is read in the header's order
  anchored by content (the cell holding the amount; the targets start at ``Нысаналы
  индикатор``) and the continuation rows by order: the cells that go on are the last of area,
  direction, problem and targets (in the header's order), and a lone piece goes to a problem
  that is still missing unless it reads like a numbered target;
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

from workbench.dataset.text import clean, fold
from workbench.errors import DocumentError
from workbench.i18n import _
from workbench.ingest.document import DocumentBuilder, ParsedDocument, PlanMeta, Source, years_in
from workbench.ingest.grants.emit import _emit, _grant_amounts
from workbench.ingest.grants.layout import GrantColumns, grant_header
from workbench.ingest.grants.reader import _GRANT_NUMBER, _Reader
from workbench.ingest.grants.texts import _AMOUNT, _TARGETS_MARK, _plain
from workbench.ingest.layout.placed import placed_blocks, written_cells
from workbench.ingest.places import latin_city
from workbench.ingest.sources.blocks import Paragraph

__all__ = ["FAMILY", "detect", "parse"]

FAMILY = "grant-list"

_CITY = re.compile(
    r"([А-ЯЁӘҒҚҢӨҰҮҺІ][\w-]*(?:[- ][А-ЯЁӘҒҚҢӨҰҮҺІ][\w-]*)?) +"
    r"(?:қаласы|қалалық|қаласының|қаласында|ауданы|города|городск)"
)


def _header_line(line: str) -> GrantColumns | None:
    # six named cells need five tabs
    if line.count("\t") < 5 or "грант" not in fold(line):
        return None
    return grant_header(line.split("\t"))


def detect(lines: Sequence[str], need: float = 0.0) -> float:
    """How much the text looks like a grant list (header, numbered grants with amounts, HTML);
    scored in full whatever ``need`` is, as it is cheap."""
    header_at = next(
        (i for i, line in enumerate(lines[:200]) if _header_line(line) is not None), None
    )
    if header_at is None:
        return 0.0
    score = 0.6
    # Each feature is looked for until its first line (on a grant list: the first grant's).
    rest = lines[header_at + 1 :]
    numbered = any(
        _GRANT_NUMBER.match(_plain(line.split("\t", 1)[0])) and _AMOUNT.search(_plain(line))
        for line in rest
    )
    html = any("<p>" in line or "<ol" in line for line in rest)
    marks = any(_TARGETS_MARK.search(line) for line in rest)
    score += 0.2 if numbered else 0.0
    score += 0.1 if html else 0.0
    score += 0.1 if marks else 0.0
    return min(score, 1.0)


def parse(source: Source) -> ParsedDocument:
    placed = placed_blocks(source)
    rows: list[tuple[int, list[str]]] = []  # each row's line and cells; a paragraph's lines
    for unit in placed.units:
        first = placed.place(unit.origin) or 0
        if isinstance(unit, Paragraph):
            text = unit.text if placed.from_text else unit.text.replace("\t", " ")
            rows.extend((first + k, [part]) for k, part in enumerate(text.split("\n")))
        else:
            cells = [c.text if placed.from_text else _one_line(c.text) for c in written_cells(unit)]
            rows.append((first, cells))
    found = next(
        ((i, columns) for i, (_, cells) in enumerate(rows) if (columns := grant_header(cells))),
        None,
    )
    if found is None:
        raise DocumentError(
            source.path,
            _(
                "expected the grant table header (№, грант саласы, басым бағыты, мәселе, "
                "қаржыландыру көлемі, грант түрі, аумағы, нысаналы индикатор)"
            ),
        )
    header_at, columns = found
    reader = _Reader(columns)
    reader.heading = [text for _, cells in rows[:header_at] if (text := clean(" ".join(cells)))]
    for number, cells in rows[header_at + 1 :]:
        reader.feed(number, cells)
    if not reader.grants:
        raise DocumentError(
            source.path,
            _("expected numbered grant rows after the table header"),
            rows[header_at][0],
        )

    departments = [name for _, name in reader.departments]
    amounts = _grant_amounts(reader)
    years = sorted(
        {year for _, year, _, _, _ in amounts if year is not None}
        | {total.year for total in reader.totals}
        | {y for g in reader.grants for y in years_in(g.text("grant_type") or "")}
    )
    if not years:
        raise DocumentError(source.path, _("expected the years of the grants (e.g. '2026 жыл')"))
    start, end = years[0], years[-1]
    context = " ".join([*reader.heading, *departments]) or source.text[:5000]
    city_match = _CITY.search(context) or _CITY.search(source.text)
    if city_match is None:
        raise DocumentError(source.path, _("expected the city's name (e.g. 'Тараз қаласы …')"))
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


def _one_line(text: str) -> str:
    """A structured form's cell as one line (its paragraphs joined), as a row of a text export."""
    if "\n" not in text and "\t" not in text:
        return text.strip()
    return " ".join(p.strip() for p in text.replace("\t", " ").split("\n") if p.strip())
