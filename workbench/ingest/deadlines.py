"""Deadlines as the programmes print them, turned into a due period (first day, last day).

Examples (Kyrgyz, Kazakh, Russian):

====================================  ===========================
printed                               due
====================================  ===========================
``2026-жылдын III-кварталы``          2026-07-01 .. 2026-09-30
``2026-жыл ичинде``, ``2026-жылы``    2026-01-01 .. 2026-12-31
``I кварталы`` (plan year 2026)       2026-01-01 .. 2026-03-31
``IV-квартал ичинде``                 2026-10-01 .. 2026-12-31
``2023-2026-жж.``                     2023-01-01 .. 2026-12-31
``2023 г.``                           2023-01-01 .. 2023-12-31
``Жыл сайын``, ``жыл бою``            the plan's whole period
``II-III кварталдар``                 2026-04-01 .. 2026-09-30
``2026-жылдын май айы``               2026-05-01 .. 2026-05-31
``Туракту``, ``үзгүлтүксүз``          the plan's whole period
====================================  ===========================

A deadline that names nothing recognisable gives ``(None, None)``; the raw text is always kept.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from workbench.dataset.text import fold

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_QUARTER = re.compile(
    r"(?<![a-zа-я])(iv|iii|ii|i|[1-4])\s*(?:-|–)?\s*(?:(?:iv|iii|ii|i|[1-4])\s*(?:-|–)?\s*)?"
    r"(?:-?(?:чи|нчи|чү|нчү|ші|шы|інші|ншы))?\s*-?\s*(?:квартал|тоқсан|токсон|чейрек|кв\.)",
)
_QUARTER_RANGE = re.compile(
    r"(?<![a-zа-я])(iv|iii|ii|i|[1-4])\s*[-–,]\s*(iv|iii|ii|i|[1-4])\s*-?\s*(?:квартал|тоқсан|токсон|чейрек|кв\.)"
)
_YEAR_RANGE = re.compile(r"(?<!\d)(20\d\d)\s*[-–—]\s*(20\d\d)(?!\d)")
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
_WHOLE_PERIOD = re.compile(
    r"жыл сайын|жылына|жыл бою|ар жыл|жыл ичинде|туруктуу|туракту|үзгүлтүксүз|дайыма|"
    r"жыл сайын|тұрақты|үнемі|ежегодно|постоянно|в течение года"
)
_MONTHS = {
    # ky / kk / ru month names, by the stem they start with
    "январ": 1, "қаңтар": 1, "феврал": 2, "ақпан": 2, "март": 3, "наурыз": 3,
    "апрел": 4, "сәуір": 4, "май": 5, "мамыр": 5, "июн": 6, "маусым": 6,
    "июл": 7, "шілде": 7, "август": 8, "тамыз": 8, "сентябр": 9, "қыркүйек": 9,
    "октябр": 10, "қазан": 10, "ноябр": 11, "қараша": 11, "декабр": 12, "желтоқсан": 12,
}  # fmt: skip
_MONTH = re.compile(r"(?<![a-zа-яәғқңөұүһі])(" + "|".join(_MONTHS) + r")")


def _quarter_bounds(year: int, first: int, last: int) -> tuple[date, date]:
    end_month = last * 3
    return (
        date(year, first * 3 - 2, 1),
        date(year, end_month, calendar.monthrange(year, end_month)[1]),
    )


def parse_deadline(
    raw: str | None, *, plan_start: int, plan_end: int | None = None
) -> tuple[date | None, date | None]:
    """The due period of a printed deadline, in the plan's years when the text names none."""
    if not raw:
        return None, None
    text = fold(raw).replace("\u2013", "-")
    plan_end = plan_end if plan_end is not None else plan_start
    year_range = _YEAR_RANGE.search(text)
    years = [int(y) for y in _YEAR.findall(text)]
    year = years[0] if years else plan_start

    span = _QUARTER_RANGE.search(text)
    if span:
        first, last = _ROMAN[span.group(1)], _ROMAN[span.group(2)]
        if first <= last:
            return _quarter_bounds(year, first, last)
    quarter = _QUARTER.search(text)
    if quarter:
        number = _ROMAN[quarter.group(1)]
        return _quarter_bounds(year, number, number)
    month = _MONTH.search(text)
    if month:
        number = _MONTHS[month.group(1)]
        return date(year, number, 1), date(year, number, calendar.monthrange(year, number)[1])
    if year_range:
        start, end = int(year_range.group(1)), int(year_range.group(2))
        if start <= end:
            return date(start, 1, 1), date(end, 12, 31)
    if years:
        return date(min(years), 1, 1), date(max(years), 12, 31)
    if _WHOLE_PERIOD.search(text):
        return date(plan_start, 1, 1), date(plan_end, 12, 31)
    return None, None
