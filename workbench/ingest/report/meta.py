"""The header before part 1 (reporting year, programme period, state body) and the note of
part 4: the plan's metadata.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from workbench.dataset.text import clean, fold
from workbench.errors import DocumentError
from workbench.i18n import _
from workbench.ingest.document import PlanMeta, Source, years_in
from workbench.ingest.gazetteer import detect_language, find_place
from workbench.ingest.layout.placed import Placed, Unit
from workbench.ingest.places import latin_city
from workbench.ingest.report.cells import _blocks
from workbench.ingest.report.outline import report_heading
from workbench.ingest.report.parts import _Part
from workbench.ingest.report.tables import indicator_header
from workbench.ingest.sources.blocks import Paragraph, Row

_PERIOD = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*[-–—]\s*((?:19|20)\d\d)(?!\d)")
_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_CITY = re.compile(r"([^\W\d_][\w-]*)\s+қала(?:сы|сын|сының|сына|сында|ның|сынд)?\b", re.IGNORECASE)
_SIGNATURE = re.compile(r"басшы|бастығы|руководител|әкімі\s*$|[А-ЯӘҒҚҢӨҰҮҺІ]\.\s*[А-ЯӘҒҚҢӨҰҮҺІ]")


def _meta_end(units: Sequence[Unit], fallback: int) -> int:
    """Where the header stops when part 1 has no heading: at the first table heading."""
    for index, unit in enumerate(units):
        first = unit.text if isinstance(unit, Paragraph) else _first_cell(unit)
        text = clean(first.split("\n", 1)[0])
        if text == "№" or (
            (heading := report_heading(text)) is not None and heading.kind != "section"
        ):
            return index
    return fallback


def _first_cell(row: Row) -> str:
    return row.cells[0].text if row.cells else ""


def _meta(
    source: Source, units: Sequence[Unit], placed: Placed, end: int, parts: list[_Part]
) -> PlanMeta:
    title_lines: list[str] = []
    for unit in units[:end]:
        if not isinstance(unit, Paragraph):
            break
        if not unit.text.strip():
            if title_lines:
                break
            continue
        title_lines.append(unit.text)
    title = clean(" ".join(title_lines))
    labels: dict[str, str] = {}
    for block in _blocks(units[:end], placed):
        cells = [c for c in block.cells if not c.loose]
        if len(cells) >= 2:
            labels[fold(cells[0].value())] = clean(" ".join(c.text for c in cells[1:]))
    report_year: int | None = None
    period: tuple[int, int] | None = None
    responsible: str | None = None
    for label, value in labels.items():
        if re.search(r"есепті|отчетн|отчётн", label):
            years = years_in(value)
            if years:
                report_year = years[-1]
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
    if report_year is None:
        report_year = _header_year(units, placed, parts)
    if period is None:
        raise DocumentError(
            source.path,
            _(
                "monitoring report without its programme period: expected 'Іске асыру кезеңі' "
                "followed by e.g. '2016-2020 жж.' or a period in the title"
            ),
            1,
        )
    if report_year is None:
        raise DocumentError(
            source.path,
            _(
                "monitoring report without its reporting year: expected 'Есепті кезең' followed "
                "by e.g. '2017 ж.'"
            ),
            1,
        )
    language = detect_language(f"{title} {responsible or ''}")
    city_native = _city(source.path, title, responsible, language)
    narrative = _narrative(source.lines, parts)
    return PlanMeta(
        city=latin_city(city_native),
        city_native=city_native,
        country="KZ",
        language=language,
        kind="report",
        title=title or "Мониторинг есебі",
        period_start=period[0],
        period_end=period[1],
        currency="KZT",
        report_year=report_year,
        responsible=responsible,
        narrative=narrative,
    )


def _header_year(units: Sequence[Unit], placed: Placed, parts: list[_Part]) -> int | None:
    """The year of part 1's plan column, from its header row."""
    for part in parts:
        if part.number != 1:
            continue
        for block in _blocks(units[part.start : min(part.end, part.start + 60)], placed):
            header = indicator_header(block)
            if header is not None and header[2] is not None:
                return header[2]
    return None


def _city(path: str, title: str, responsible: str | None, language: str) -> str:
    for text in (title, responsible or ""):
        match = _CITY.search(text)
        if match:
            return match.group(1)
    # "… города Тараз", "… шаарынын": a city the gazetteer knows, spelled as the document does
    place = find_place(f"{title} {responsible or ''}")
    if place is not None and place.kind == "city":
        return place.native(language)
    raise DocumentError(
        path,
        _(
            "monitoring report without a city: expected '<city> қаласын дамытудың …' (or '… "
            "города <city>') in the title"
        ),
        1,
    )


def _narrative(lines: Sequence[str], parts: list[_Part]) -> str | None:
    """Part 4's text as printed: its lines from the one after its heading to the end."""
    part = next((p for p in parts if p.number == 4), None)
    if part is None or not part.heading_line:
        return None
    body = [_BOOKMARK.sub("", line) for line in lines[part.heading_line :]]
    while body and not body[-1].strip():
        body.pop()
    # A short closing block after blank lines is the signature, not the note.
    tail_start = len(body)
    while tail_start > 0 and body[tail_start - 1].strip():
        tail_start -= 1
    tail = body[tail_start:]
    if tail_start > 0 and len(tail) <= 4 and _SIGNATURE.search(" ".join(tail)):
        body = body[:tail_start]
    # (the builder cleans each line of it, as it does every narrative)
    return "\n".join(body).strip() or None
