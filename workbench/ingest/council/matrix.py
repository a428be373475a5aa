"""The monitoring matrix: goals and indicators with a baseline, four yearly values and a target."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from workbench.dataset.text import clean, fold
from workbench.i18n import _
from workbench.ingest.council.action_plan import _Reader
from workbench.ingest.council.key_figures import _INLINE_YEAR_TAG, _key_figures, _year_header_at
from workbench.ingest.council.layout import (
    _COLUMN_NUMBERS,
    _LINKING_WORDS,
    _VERBAL_NOUN,
    _WORD,
    _is_caps_heading,
    _Para,
    _Row,
    _starts_upper,
    _title,
)
from workbench.ingest.council.tokens import (
    _UNIT_WORDS,
    _Cell,
    _cells,
    _is_unit_word,
    _Token,
    _tokens,
)

_YEAR_COLUMNS = re.compile(r"^(?:\d\s*-?\s*жыл\s*)+$", re.IGNORECASE)

_FOOTNOTE_REF = re.compile(r"^\[\d+\]$|^\*+$")


def _stems(text: str) -> set[str]:
    return {
        word[:5]
        for word in re.findall(r"[^\W\d_]+", fold(text))
        if len(word) >= 4 and word not in _LINKING_WORDS
    }


@dataclass(slots=True)
class _MatrixRow:
    code: str | None
    name: str
    unit: str | None
    responsible: str | None
    label: str | None  # a sub-row's label
    cells: list[_Cell]
    line: int
    subrow_only: bool = False
    label_line: int = 0
    goal: str | None = None  # the "Маселе" cell, where the cells are known (else split off)


class _MatrixReader:
    def __init__(self, reader: _Reader, base_year: int) -> None:
        self.r = reader
        self.b = reader.b
        self.meta = reader.meta
        self.base_year = base_year
        self.group: str | None = None
        self.fallback: str | None = None
        self.indicator: tuple[str, str | None, str | None] | None = None  # node, unit, resp.
        self.last_row_short = False
        self.last_goal: tuple[str, str] | None = None  # its text and node
        self._section_stems: dict[str, set[str]] = {}

    def _stems_of(self, title: str) -> set[str]:
        """:func:`_stems` of a section's title, worked out once for all the matrix's groups."""
        found = self._section_stems.get(title)
        if found is None:
            found = self._section_stems[title] = _stems(title)
        return found

    def _group_node(self, title: str, line: int) -> str:
        stems = _stems(title)
        best, best_score = None, 0.0
        for code, section_title in self.r.section_titles.items():
            other = self._stems_of(section_title)
            if not stems or not other:
                continue
            score = len(stems & other) / len(stems | other)
            if score > best_score:
                best, best_score = code, score
        if best is not None and best_score >= 0.25:
            return self.r.sections[best]
        return self.b.add_node("section", title, line=line)

    def _parent(self, line: int, title: str) -> str:
        if self.group is None:
            if self.fallback is None:
                self.fallback = self.b.add_node("section", title, line=line)
            return self.fallback
        return self.group

    def read(self, paras: Sequence[_Para | _Row], title: str) -> _Row | None:
        """Read the matrix's body: paragraphs (rows found from how they follow each other) or
        table rows whose cells are known (a ``_Row`` each)."""
        rows: list[_Row] = []
        key_start = None
        for index, para in enumerate(paras):
            if isinstance(para, _Row):
                if len(_INLINE_YEAR_TAG.findall(para.text())) >= 2:
                    key_start = index
                    break
                rows.append(para)
                continue
            text = para.text
            if _YEAR_COLUMNS.match(text) or _COLUMN_NUMBERS.match(text):
                continue
            if _year_header_at(paras, index):
                key_start = index
                break
            if not rows or para.hard or text.startswith("*"):
                rows.append(_Row([para]))
            else:
                rows[-1].paras.append(para)
        last: _Row | None = None
        for row in rows:
            last = row
            self._row(row, title)
        if key_start is not None:
            key_paras = [
                p
                if isinstance(p, _Para)
                else _Para(" ".join(x.text for x in p.paras), p.line, True)
                for p in paras[key_start:]
            ]
            key_last = _key_figures(self.b, self.meta, key_paras)
            last = key_last or last
            self.last_row_short = False
        return last

    def _row(self, row: _Row, title: str) -> None:
        text, tokens = _tokens(row)
        if text.startswith("*"):
            return
        if not any(t.number for t in tokens):
            if len(tokens) <= 8 and not _is_caps_heading(text):
                self.group = self._group_node(_title(text), row.line)
                self.indicator = None
            return
        parsed = self._parse_row(text, tokens, row)
        if parsed is None:
            return
        if parsed.subrow_only:
            if self.indicator is None:
                self.b.warn(row.line, _("a matrix sub-row without an indicator above it; skipped"))
                return
            parent, unit, responsible = self.indicator
            self._child(parent, parsed, unit, responsible)
            return
        self.add(parsed, row.line, title)

    def group_heading(self, text: str, line: int) -> None:
        self.group = self._group_node(_title(text), line)
        self.indicator = None

    def add(self, parsed: _MatrixRow, line: int, title: str, *, same_goal: bool = False) -> None:
        """An indicator row (with its goal, when the row names one) and its values;
        ``same_goal``: a goal printed as the row above's goal is that goal (a merged cell)."""
        parent = self._parent(line, title)
        if parsed.goal is None:
            goal_title, name = _split_issue(parsed.name)
        else:
            goal_title, name = parsed.goal, parsed.name
        if goal_title and same_goal and self.last_goal and self.last_goal[0] == goal_title:
            parent = self.last_goal[1]
        elif goal_title:
            parent = self.b.add_node(
                "goal", _title(goal_title), parent=parent, code=parsed.code, line=line
            )
            self.last_goal = (goal_title, parent)
        node = self.b.add_node("indicator", clean(name), parent=parent, code=parsed.code, line=line)
        self.b.add_indicator(node, unit=parsed.unit, responsible=parsed.responsible)
        self.indicator = (node, parsed.unit, parsed.responsible)
        if parsed.label is not None:
            self._child(node, parsed, parsed.unit, parsed.responsible)
        else:
            self._values(node, parsed)

    def _child(
        self, parent: str, parsed: _MatrixRow, unit: str | None, responsible: str | None
    ) -> None:
        node = self.b.add_node(
            "indicator", parsed.label or "", parent=parent, line=parsed.label_line or parsed.line
        )
        self.b.add_indicator(node, unit=unit, responsible=parsed.responsible or responsible)
        self._values(node, parsed)

    def _parse_row(self, text: str, tokens: list[_Token], row: _Row) -> _MatrixRow | None:
        last = max(i for i, t in enumerate(tokens) if t.number)
        responsible = clean(text[tokens[last].end :]) or None
        run_start = last
        while run_start > 0 and tokens[run_start - 1].number:
            run_start -= 1
        run = tokens[run_start : last + 1]
        # A sub-row: [baseline] label [years…, final], the label a few words between numbers.
        i = run_start - 1
        group_end = i
        while i >= 0 and not tokens[i].number and not _UNIT_WORDS.match(tokens[i].raw):
            i -= 1
        label_words = tokens[i + 1 : group_end + 1]
        if label_words and len(label_words) <= 4 and i >= 0 and tokens[i].number:
            before = i - 1
            if (
                before < 0
                or _UNIT_WORDS.match(tokens[before].raw)
                or _FOOTNOTE_REF.match(tokens[before].raw)
            ):
                label = clean(text[label_words[0].start : label_words[-1].end])
                cells_tokens = [tokens[i], *run]
                if before < 0:
                    return _MatrixRow(
                        None, "", None, responsible, label,
                        _cells(cells_tokens, None), row.line,
                        subrow_only=True, label_line=label_words[0].line,
                    )  # fmt: skip
                sub_unit = tokens[before].raw
                code, name_start = _row_code(tokens)
                name = (
                    text[tokens[name_start].start : tokens[before - 1].end]
                    if before > name_start
                    else ""
                )
                return _MatrixRow(
                    code, name, sub_unit, responsible, label,
                    _cells(cells_tokens, sub_unit), row.line,
                    label_line=label_words[0].line,
                )  # fmt: skip
        # A plain row: … name | unit | numbers.
        j = run_start - 1
        while j >= 0 and _FOOTNOTE_REF.match(tokens[j].raw):
            j -= 1
        unit: str | None = None
        name_end = j
        if j >= 0 and _is_unit_word(tokens[j]):
            unit = tokens[j].raw
            name_end = j - 1
        elif run and run[0].unit and run[0].value == 1 and len(run) >= 5:
            unit = run[0].unit  # a unit cell printed as "1 км"
            run = run[1:]
        code, name_start = _row_code(tokens)
        if name_end < name_start:
            self.b.warn(row.line, _("a matrix row without an indicator name; skipped"))
            return None
        name = text[tokens[name_start].start : tokens[name_end].end]
        return _MatrixRow(code, name, unit, responsible, None, _cells(run, unit), row.line)

    def _values(self, node: str, parsed: _MatrixRow) -> None:
        cells = parsed.cells
        start, end = self.meta.period_start, self.meta.period_end
        years = list(range(start, start + 4))
        self.last_row_short = len(cells) < 6
        if len(cells) == 6:
            baseline, yearly, final = cells[0], cells[1:5], cells[5]
        elif len(cells) > 6 and len({c.raw for c in cells[1:-1]}) == 1:
            baseline, final = cells[0], cells[-1]
            yearly = cells[1:5]
            self.b.warn(
                parsed.line,
                _(
                    "matrix row prints {value} yearly cells for 4 years, all {raw}: read as one "
                    "per year"
                ).format(value=len(cells) - 2, raw=repr(cells[1].raw)),
            )
        else:
            printed = ", ".join(c.raw for c in cells)
            self.b.warn(
                parsed.line,
                _(
                    "matrix row has {len} numeric cells where 6 are expected (baseline, 4 years, "
                    "final target): {printed}; only the baseline and final target are read"
                ).format(len=len(cells), printed=printed),
            )
            if len(cells) < 2:
                return
            baseline, yearly, final = cells[0], [], cells[-1]
        self.b.add_value(
            node, year=self.base_year, kind="baseline", raw=baseline.raw,
            value=baseline.value, line=baseline.line,
        )  # fmt: skip
        for year, cell in zip(years, yearly, strict=False):
            self.b.add_value(
                node, year=year, kind="plan", raw=cell.raw, value=cell.value, line=cell.line
            )
        self.b.add_value(
            node, year=end, kind="target", raw=final.raw, value=final.value, line=final.line
        )


def _row_code(tokens: list[_Token]) -> tuple[str | None, int]:
    first = tokens[0]
    if (
        first.number
        and not first.percent
        and first.unit is None
        and re.fullmatch(r"\d{1,2}", first.raw)
        and len(tokens) > 1
    ):
        return first.raw, 1
    return None, 0


def _split_issue(text: str) -> tuple[str, str]:
    """A matrix row's "Маселе" cell and indicator name, joined in the export."""
    words = list(_WORD.finditer(text))
    for i in range(1, len(words)):
        if _starts_upper(words[i].group()):
            return text[: words[i].start()], text[words[i].start() :]
    for i in range(1, len(words)):
        previous, current = words[i - 1].group(), words[i].group()
        if _VERBAL_NOUN.search(previous) and current not in _LINKING_WORDS:
            return text[: words[i].start()], text[words[i].start() :]
    return "", text
