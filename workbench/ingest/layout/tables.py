"""Table headers → column roles, years and kinds; body rows → what each row is.

A header is the run of rows at the top of a table that name columns rather than hold values:
one row or several (a band row ``1 кезең / 2 кезең`` or ``Есепті кезең / Жоспарлы кезең`` over a
row of years), and the column-number row (``1 2 3 … 9``) under it, which is skipped. Each column
gets the role its header words name (``words.COLUMN_ROLES``); a column whose header holds a year
is a value column of that year, with the kind its header (or the band over it) names — fact,
estimate, plan, target, baseline; plan when nothing says. A band that prints a range
(``2021-2025``) over as many columns without years gives them those years in order.

Body rows are classified by shape: the column-number row, a repeated header, a heading standing
alone (one text across the row, or a code and a title), a total (``Барлығы``, ``Итого``), a part
of the row above (``оның ішінде``, ``анын ичинен``, ``в том числе``), or a row of data.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from workbench.dataset.numbers import try_number
from workbench.dataset.text import clean, fold
from workbench.i18n import _
from workbench.ingest.layout.role_names import role_label
from workbench.ingest.layout.words import (
    BAND_WORDS,
    COLUMN_ROLES,
    PART_WORDS,
    TOTAL_WORDS,
    VALUE_KINDS,
)
from workbench.ingest.sources.blocks import Cell, Origin, Row, Table

VALUE_KIND_NAMES = ("fact", "estimate", "plan", "target", "baseline")
ROLES = (*(role for role, _ in COLUMN_ROLES), "value", "other")

# a year not after a digit; both written to start with a digit, the one before it tested behind
# (a search skips to the digits instead of trying the pattern everywhere)
_YEAR = re.compile(r"((?:1(?<!\d1)9|2(?<!\d2)0)\d\d)(?!\d)")
_RANGE = re.compile(r"(2(?<!\d2)0\d\d)\s*[-–—]\s*(20\d\d)(?!\d)")
_CODE = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})*\.?|[ivxlc]{1,5}\.?|[-–])$", re.IGNORECASE)
_MULTIPLIER = (
    (re.compile(r"млрд"), 1_000_000_000.0),
    (re.compile(r"млн"), 1_000_000.0),
    (re.compile(r"мың|миң|тыс"), 1_000.0),
)
_AMOUNT_WORDS = re.compile(
    r"қаржы|каржы|финанс|сомас|сумм|теңге|тенге|сом\b|мың тг|қаражат|каражат"
)


@dataclass(slots=True)
class Column:
    """One column of a table: its role, and for a value or amount column its year and kind."""

    index: int  # 0-based
    role: str
    header: str
    year: int | None = None
    kind: str | None = None
    multiplier: float = 1.0
    by_hand: bool = False

    def describe(self) -> str:
        what = role_label(self.role, self.year, self.kind)
        mark = " " + _("(by hand)") if self.by_hand else ""
        header = self.header.replace("\n", " ")
        if len(header) > 40:
            header = header[:39] + "…"
        return f"{self.index + 1}: {what}{mark} «{header}»"


@dataclass(slots=True)
class TableLayout:
    """How a table was understood: header rows, columns and what kind of table it is."""

    number: int
    table: Table
    header_rows: int
    number_row: int | None
    columns: list[Column]
    kind: str  # "indicators" | "measures" | "unknown"
    continued: bool = False
    notes: list[str] = field(default_factory=list)

    def role(self, role: str) -> Column | None:
        return next((c for c in self.columns if c.role == role), None)

    def values(self) -> list[Column]:
        return [c for c in self.columns if c.role == "value" and c.year is not None]

    def amounts(self) -> list[Column]:
        return [c for c in self.columns if c.role == "amount"]

    def years(self) -> list[int]:
        return sorted({c.year for c in self.columns if c.year is not None})


@dataclass(frozen=True, slots=True)
class Override:
    """An analyst's correction of one column: its role, and for a value its year and kind."""

    role: str
    year: int | None = None


def _cell_texts(row: Row) -> list[str]:
    return [clean(cell.text) for cell in row.cells]


def is_number_row(row: Row) -> bool:
    """The row under a header that numbers the columns: 1 2 3 … (at least three)."""
    return _numbers_columns([t for t in _cell_texts(row) if t])


def _numbers_columns(filled: list[str]) -> bool:
    """``is_number_row`` of a row's cleaned texts, the empty ones left out."""
    if len(filled) < 3:
        return False
    return all(text == str(n) for n, text in enumerate(filled, start=1))


_PLAIN_NUMBER = re.compile(r"^[-+−]?\d[\d \u00a0]*(?:[.,]\d+)?\s*%?$")


def _has_data_number(texts: list[str]) -> bool:
    """Whether a row holds a value: a plain number that is neither a year nor a row code."""
    for text in texts:
        text = text.strip()
        if not text or _YEAR.fullmatch(text) or _CODE.match(text):
            continue
        if _PLAIN_NUMBER.match(text) and try_number(text) is not None:
            return True
    return False


# every stem of a column role or a value kind
_STEMS = tuple(stem for _, stems in (*COLUMN_ROLES, *VALUE_KINDS) for stem in stems)


def _named(text: str) -> bool:
    folded = fold(text)
    if _YEAR.search(folded):
        return True
    return any(map(folded.__contains__, _STEMS))


def _header_extent(table: Table) -> tuple[int, int | None]:
    """How many rows the header takes (number row included) and which row numbers columns."""
    count = 0
    for index, row in enumerate(table.rows[:6]):
        texts = _cell_texts(row)
        filled = [t for t in texts if t]
        if _numbers_columns(filled):
            return index + 1, index
        if len(filled) < 2 or _has_data_number(texts):
            break
        named = sum(map(_named, filled))
        if named * 2 < len(filled) and index > 0:
            break
        if index == 0 and not named:
            break
        count = index + 1
    return count, None


def _spans_right(text: str) -> bool:
    """A header cell that stands over the empty cells right of it: a stage or a year range."""
    folded = fold(text)
    return bool(_RANGE.search(folded)) or any(map(folded.__contains__, BAND_WORDS))


def _column_texts(table: Table, header_rows: int, width: int) -> list[list[str]]:
    texts: list[list[str]] = [[] for _ in range(width)]
    for row in table.rows[:header_rows]:
        cleaned = _cell_texts(row)
        if _numbers_columns([t for t in cleaned if t]):
            continue
        carried = ""
        for c, text in enumerate(cleaned[:width]):
            # a text export prints a merged cell once and leaves the cells it covers empty
            if not text and carried:
                text = carried
            carried = text if text and _spans_right(text) else ""
            if text and (not texts[c] or texts[c][-1] != text):
                texts[c].append(text)
    return texts


def _first_names(
    words: tuple[tuple[str, tuple[str, ...]], ...],
) -> tuple[tuple[str, ...], dict[str, str]]:
    """The stems of ``words`` in its order, and what each names (a stem two entries share
    names the first): the first stem a text holds then names what the first entry holding one
    of its stems names."""
    names: dict[str, str] = {}
    for name, stems in words:
        for stem in stems:
            names.setdefault(stem, name)
    return tuple(stem for _, stems in words for stem in stems), names


_KIND_STEMS, _KIND_OF_STEM = _first_names(VALUE_KINDS)
_ROLE_STEMS, _ROLE_OF_STEM = _first_names(COLUMN_ROLES)


def _kind_of(text: str) -> str | None:
    stem = next(filter(fold(text).__contains__, _KIND_STEMS), None)
    return None if stem is None else _KIND_OF_STEM[stem]


def _role_of(text: str) -> str | None:
    stem = next(filter(fold(text).__contains__, _ROLE_STEMS), None)
    return None if stem is None else _ROLE_OF_STEM[stem]


def _multiplier(text: str) -> float:
    folded = fold(text)
    for pattern, factor in _MULTIPLIER:
        if pattern.search(folded):
            return factor
    return 1.0


def _column(index: int, parts: list[str]) -> Column:
    header = " / ".join(parts)
    lowest_year = None
    for part in reversed(parts):
        if _RANGE.search(part):
            break
        years = _YEAR.findall(part)
        if len(years) == 1:
            lowest_year = int(years[0])
            break
    if lowest_year is not None or (parts and any(_RANGE.search(p) for p in parts)):
        kind = _kind_of(header) or "plan"
        if _AMOUNT_WORDS.search(fold(header)):
            return Column(index, "amount", header, lowest_year, None, _multiplier(header))
        if _role_of(parts[-1]) == "baseline":
            kind = "baseline"
        return Column(index, "value", header, lowest_year, kind)
    # the lowest header cell names the column most precisely; the band above may name it too
    for part in reversed(parts):
        role = _role_of(part)
        if role is not None:
            column = Column(index, role, header)
            if role == "amount":
                column.multiplier = _multiplier(header)
            return column
    year_less_kind = _kind_of(header)
    if year_less_kind is not None and parts:
        return Column(index, "value", header, None, year_less_kind)
    return Column(index, "other", header)


def _resolve_ranges(columns: list[Column]) -> None:
    """Give year-less value columns under a ``2021-2025`` band the years of that band."""
    index = 0
    while index < len(columns):
        column = columns[index]
        match = _RANGE.search(column.header)
        if column.role not in ("value", "amount") or column.year is not None or not match:
            index += 1
            continue
        run = [column]
        while (
            index + len(run) < len(columns)
            and columns[index + len(run)].header == column.header
            and columns[index + len(run)].year is None
        ):
            run.append(columns[index + len(run)])
        first, last = int(match.group(1)), int(match.group(2))
        if last - first + 1 == len(run):
            for offset, member in enumerate(run):
                member.year = first + offset
        elif len(run) == 1:
            column.year = last
        index += len(run)


def analyse_table(
    table: Table,
    number: int,
    *,
    previous: TableLayout | None = None,
    overrides: dict[int, Override] | None = None,
) -> TableLayout:
    """How ``table`` (the ``number``-th of its document) is laid out."""
    width = max((len(row.cells) for row in table.rows), default=0)
    header_rows, number_row = _header_extent(table)
    notes: list[str] = []
    if header_rows == 0 and previous is not None and len(previous.columns) == width:
        # a table split by a page break goes on without its header
        columns = [
            Column(c.index, c.role, c.header, c.year, c.kind, c.multiplier, c.by_hand)
            for c in previous.columns
        ]
        layout = TableLayout(number, table, 0, None, columns, previous.kind, continued=True)
        layout.notes.append(
            _("continues table {number} (no header of its own)").format(number=previous.number)
        )
        return layout
    texts = _column_texts(table, header_rows, width)
    columns = [_column(index, parts) for index, parts in enumerate(texts)]
    _resolve_ranges(columns)
    seen: set[str] = set()
    for column in columns:
        if column.role in ("value", "amount", "other"):
            continue
        if column.role in seen:
            column.role = "other"
        seen.add(column.role)
    kind = _table_kind(columns)
    if kind == "measures":
        for column in columns:
            if column.role == "indicator" and not any(c.role == "measure" for c in columns):
                column.role = "measure"
            elif column.role == "value":
                column.role = "amount" if _AMOUNT_WORDS.search(fold(column.header)) else "value"
    for index, override in (overrides or {}).items():
        if 0 <= index < len(columns):
            column = columns[index]
            if override.role in VALUE_KIND_NAMES:
                column.role, column.kind = "value", override.role
            else:
                column.role, column.kind = override.role, None
            if override.year is not None:
                column.year = override.year
            column.by_hand = True
            notes.append(
                _("column {number} set by hand: {column}").format(
                    number=index + 1, column=column.describe()
                )
            )
        else:
            notes.append(
                _("the mapping names column {number}, the table has {count}").format(
                    number=index + 1, count=len(columns)
                )
            )
    kind = _table_kind(columns)
    if number_row is not None:
        notes.append(_("column-number row skipped (row {row})").format(row=number_row + 1))
    return TableLayout(number, table, header_rows, number_row, columns, kind, notes=notes)


def header_columns(texts: Sequence[str]) -> list[Column] | None:
    """The columns a header printed as one row (its cells' texts) names, or None when the row is
    not a header (it holds a value, or names no column). A family profile picks the roles it
    needs from them, whatever order the columns come in."""
    row = Row(tuple(Cell(text, Origin()) for text in texts), Origin())
    layout = analyse_table(Table((row,), Origin()), 0)
    return layout.columns if layout.header_rows == 1 and layout.number_row is None else None


def value_kind(text: str) -> str | None:
    """The kind of value (fact, estimate, plan, target, baseline) a header's words name."""
    return _kind_of(text)


def _table_kind(columns: list[Column]) -> str:
    roles = {c.role for c in columns}
    has_years = any(c.role == "value" and c.year is not None for c in columns)
    if "measure" in roles or ("deadline" in roles and "unit" not in roles):
        return "measures"
    if has_years and ("indicator" in roles or "unit" in roles):
        return "indicators"
    if "indicator" in roles and "unit" in roles:
        return "indicators"
    return "unknown"


# -- body rows -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RowShape:
    kind: str  # data | heading | total | part | number | header | empty
    text: str = ""
    code: str | None = None


def _name_column(layout: TableLayout) -> Column | None:
    for role in ("indicator", "measure", "task", "goal"):
        column = layout.role(role)
        if column is not None:
            return column
    return None


def classify_row(layout: TableLayout, row: Row) -> RowShape:
    texts = _cell_texts(row)
    filled = [t for t in texts if t]
    if not filled:
        return RowShape("empty")
    if is_number_row(row):
        return RowShape("number")
    if len(filled) >= 3 and not _has_data_number(texts) and all(_named(t) for t in filled):
        return RowShape("header")  # the header printed again after a page break or a heading
    distinct = list(dict.fromkeys(filled))
    code_column = layout.role("code")
    code = texts[code_column.index] if code_column and code_column.index < len(texts) else ""
    if not _CODE.match(code):
        code = ""
    # one text across the row (a merged cell, or a cell alone): a heading, unless it is a code
    if len(distinct) == 1 and not (code and code == distinct[0]):
        return RowShape("heading", distinct[0])
    if len(distinct) == 2 and code and _CODE.match(code) and distinct[0] == code:
        others = [c for c in layout.columns if c.role in ("value", "amount", "unit", "deadline")]
        if not any(c.index < len(texts) and texts[c.index] for c in others):
            return RowShape("heading", distinct[1], code.rstrip("."))
    name = _name_column(layout)
    label = texts[name.index] if name and name.index < len(texts) else filled[0]
    folded = fold(label)
    if any(folded.startswith(word) for word in PART_WORDS):
        return RowShape("part", label, code or None)
    if any(folded.startswith(word) for word in TOTAL_WORDS):
        return RowShape("total", label, code or None)
    return RowShape("data", label, code or None)
