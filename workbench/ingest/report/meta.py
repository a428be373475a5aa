"""The header before part 1 (reporting year, programme period, state body) and the note of
part 4: the plan's metadata.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from workbench.dataset.text import clean, fold
from workbench.errors import DocumentError
from workbench.ingest.document import PlanMeta, Source, years_in
from workbench.ingest.places import latin_city
from workbench.ingest.report.cells import _blocks
from workbench.ingest.report.outline import _DIRECTION, _GOAL
from workbench.ingest.report.parts import _Part

_PERIOD = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*[-–—]\s*((?:19|20)\d\d)(?!\d)")
_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_CITY = re.compile(r"([^\W\d_][\w-]*)\s+қала(?:сы|сын|сының|сына|сында|ның|сынд)?\b", re.IGNORECASE)
_SIGNATURE = re.compile(r"басшы|бастығы|руководител|әкімі\s*$|[А-ЯӘҒҚҢӨҰҮҺІ]\.\s*[А-ЯӘҒҚҢӨҰҮҺІ]")


def _meta_end(lines: Sequence[str], fallback: int) -> int:
    """Where the header stops when part 1 has no heading: at the first table heading."""
    for index, line in enumerate(lines):
        text = clean(line)
        if text == "№" or _DIRECTION.match(text) or _GOAL.match(text):
            return index
    return fallback


def _meta(source: Source, end: int, parts: list[_Part]) -> PlanMeta:
    lines = source.lines
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
    header_year = _header_year(lines, parts)
    if report_year is None:
        report_year = header_year
    if period is None:
        raise DocumentError(
            source.path,
            "monitoring report without its programme period: expected "
            "'Іске асыру кезеңі' followed by e.g. '2016-2020 жж.' or a period in the title",
            1,
        )
    if report_year is None:
        raise DocumentError(
            source.path,
            "monitoring report without its reporting year: expected 'Есепті кезең' "
            "followed by e.g. '2017 ж.'",
            1,
        )
    city_native = _city(source.path, title, responsible)
    narrative = _narrative(lines, parts)
    return PlanMeta(
        city=latin_city(city_native),
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


def _header_year(lines: Sequence[str], parts: list[_Part]) -> int | None:
    for part in parts:
        if part.number != 1:
            continue
        for index in range(part.start, min(part.end, part.start + 60)):
            text = fold(lines[index])
            if "жоспар" in text or "план" in text:
                years = years_in(text)
                if years:
                    return years[0]
    return None


def _city(path: str, title: str, responsible: str | None) -> str:
    for text in (title, responsible or ""):
        match = _CITY.search(text)
        if match:
            return match.group(1)
    raise DocumentError(
        path,
        "monitoring report without a city: expected '<city> қаласын дамытудың …' in the title",
        1,
    )


def _narrative(lines: Sequence[str], parts: list[_Part]) -> str | None:
    part = next((p for p in parts if p.number == 4), None)
    if part is None:
        return None
    body = [_BOOKMARK.sub("", line) for line in lines[part.start : part.end]]
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
