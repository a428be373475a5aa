"""The rows of a grant list, one at a time: departments, grants, their continuations, totals.

See the package docstring for the layout; the column each field comes from is the profile's
(:mod:`workbench.ingest.grants.layout`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from workbench.dataset.numbers import parse_amount
from workbench.dataset.text import clean, html_to_lines
from workbench.errors import NumberParseError
from workbench.ingest.grants.layout import GrantColumns
from workbench.ingest.grants.texts import (
    _TARGETS_MARK,
    _TOTAL_YEAR,
    _amounts,
    _is_amount_cell,
    _join_fragments,
    _plain,
    _reads_like_targets,
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


@dataclass
class _Grant:
    line: int
    code: str
    department: int | None
    # each field's pieces as printed, and their plain text where it was read already
    cells: dict[str, list[str]] = field(default_factory=dict)
    plains: dict[str, list[str | None]] = field(default_factory=dict)
    problem_pending: bool = False
    # each field's raw and plain text, worked out once when first asked (after the reading)
    _raws: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)
    _texts: dict[str, str | None] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def add(self, name: str, raw: str, plain: str | None = None) -> None:
        """Add a piece of a field (``plain``: its plain text, when read already)."""
        if plain is None and name != "targets":
            plain = _plain(raw)
        if name == "targets" or plain:
            self.cells.setdefault(name, []).append(raw)
            self.plains.setdefault(name, []).append(plain)
            self._raws.pop(name, None)
            self._texts.pop(name, None)

    def raw(self, name: str) -> str:
        """A field's text as printed, its pieces joined (see ``_join_fragments``)."""
        raw = self._raws.get(name)
        if raw is None:
            raw = self._raws[name] = _join_fragments(
                self.cells.get(name, []), self.plains.get(name, [])
            )
        return raw

    def text(self, name: str) -> str | None:
        """A field's plain text (no HTML), or None when it is empty."""
        if name in self._texts:
            return self._texts[name]
        text = self._texts[name] = clean(" ".join(html_to_lines(self.raw(name)))) or None
        return text


@dataclass
class _Total:
    line: int
    year: int
    amount: float
    raw: str
    label: str | None = None


@dataclass
class _Reader:
    columns: GrantColumns
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

    @property
    def multiplier(self) -> float:
        return self.columns.multiplier

    def feed(self, line_no: int, cells: list[str]) -> None:
        """Read one row of cells (a paragraph is a row of one cell)."""
        line = "\t".join(cells)
        if not line.strip() or _SEPARATOR.match(line):
            return
        self.last_line = line_no
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
        fragments = [(cell, plain) for cell in cells if (plain := _plain(cell))]
        self._continuation(line_no, fragments)

    def _totals(self, line_no: int, cells: list[str]) -> None:
        if not self.in_totals:  # a new block of totals, for the grants since the last one
            self.blocks.append(([], len(self.grants)))
            self.total_label = None
        self.in_totals = True
        if _TOTAL.match(_plain(cells[0])):
            self.total_label = _plain(cells[0])
        text = " ".join(_plain(cell) for cell in cells)
        amounts = _amounts(text)
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
        """A grant's first row: its cells in the header's order of fields, anchored at the
        cell holding the amount (an empty cell before it may be missing, two cells after it
        may be glued)."""
        department = len(self.departments) - 1 if self.departments else None
        grant = _Grant(line_no, code, department)
        self.grants.append(grant)
        while cells and not cells[-1].strip():
            cells = cells[:-1]
        order = self.columns.order
        anchor = order.index("amount") if "amount" in order else len(order)
        plains: list[str] = []  # the plain text of the cells up to the amount
        amount_at: int | None = None
        for cell in cells:
            plains.append(_plain(cell))
            if _is_amount_cell(plains[-1]):
                amount_at = len(plains) - 1
                break
        if amount_at is None:
            self.warnings.append((line_no, f"grant {code}: no amount (expected 'NNN мың теңге')"))
            amount_at = min(anchor, len(cells))
        before = order[:anchor]
        _assign(grant, before, cells[:amount_at], plains)
        if "problem" in before:
            at = before.index("problem")
            rest = cells[at:amount_at] if at == len(before) - 1 else cells[at : at + 1]
            grant.problem_pending = not _plain(" ".join(rest))
        if amount_at < len(cells):
            grant.add("amount", cells[amount_at], plains[amount_at])
        _assign(grant, order[anchor + 1 :], cells[amount_at + 1 :])

    def _continuation(self, line_no: int, fragments: list[tuple[str, str]]) -> None:
        """The cells that go on after a page break, each with its plain text."""
        grant = self.grants[-1]
        if not fragments:
            return
        continuing = self.columns.continuing
        count = len(fragments)
        if count == 1:
            if grant.problem_pending and not _reads_like_targets(fragments[0][1]):
                names: list[str] = ["problem"]
            else:
                names = ["targets"]
        elif count <= len(continuing):
            names = list(continuing[-count:])
        else:
            self.warnings.append(
                (
                    line_no,
                    f"grant {grant.code}: {count} cells go on after a page break, "
                    f"expected at most {len(continuing)} ({', '.join(continuing)}); extra ones "
                    "are joined to the problem",
                )
            )
            at = continuing.index("problem") if "problem" in continuing else 0
            extra = count - len(continuing) + 1
            names = [*continuing[:at], *[continuing[at]] * extra, *continuing[at + 1 :]]
        for name, (raw, plain) in zip(names, fragments, strict=True):
            grant.add(name, raw, plain)
            if name == "targets":
                grant.problem_pending = False


def _assign(
    grant: _Grant, fields: Sequence[str], cells: list[str], plains: Sequence[str] = ()
) -> None:
    """``cells`` to ``fields`` in order; the last field takes the cells left over. A territory
    cell that also holds the targets' heading (the two cells glued) is cut there. ``plains``:
    the plain text of the first cells, where read already."""
    index = 0
    skip = False
    for position, name in enumerate(fields):
        if skip:
            skip = False
            continue
        if index >= len(cells):
            return
        last = position == len(fields) - 1
        if name == "territory" and not last and fields[position + 1] == "targets":
            found = next(
                (
                    (i, mark)
                    for i in range(index, len(cells))
                    if (mark := _TARGETS_MARK.search(cells[i])) is not None
                ),
                None,
            )
            if found is not None:
                marked, mark = found
                cell = cells[marked]
                grant.add("territory", " ".join([*cells[index:marked], cell[: mark.start()]]))
                grant.add("targets", cell[mark.start() :])
                index = marked + 1
                skip = True
                continue
        if last:
            grant.add(name, " ".join(cells[index:]))
            return
        grant.add(name, cells[index], plains[index] if index < len(plains) else None)
        index += 1
