"""The grant list's layout: the fields of a grant and the column roles they are read from.

The header row is read by the layout engine (:func:`~workbench.ingest.layout.tables.
header_columns`, its vocabulary in kk / ky / ru), so the columns may come in any order: the
order the header gives is the order a grant's cells are read in. A grant list names at least
five of its fields, the amount among them, and the word ``грант`` in its header.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from workbench.dataset.text import clean, fold
from workbench.ingest.layout.tables import header_columns

# column role -> the grant's field
_FIELDS = {
    "grant_area": "area",
    "grant_direction": "direction",
    "problem": "problem",
    "amount": "amount",
    "grant_type": "grant_type",
    "territory": "territory",
    "expected_result": "targets",
    "indicator": "targets",
    "requirements": "requirements",
}
# the text fields a page break can cut, whose pieces go on in the next rows
_CONTINUING = ("area", "direction", "problem", "targets")


@dataclass(frozen=True, slots=True)
class GrantColumns:
    """The fields in the order the header prints them, and the amount column's unit."""

    order: tuple[str, ...]
    multiplier: float

    @property
    def continuing(self) -> tuple[str, ...]:
        return tuple(name for name in self.order if name in _CONTINUING)


def grant_header(cells: Sequence[str]) -> GrantColumns | None:
    """The grant table's columns when ``cells`` are its header row, else None."""
    texts = [clean(cell) for cell in cells]
    if len([t for t in texts if t]) < 6 or "грант" not in fold(" ".join(texts)):
        return None
    columns = header_columns(texts)
    if columns is None:
        return None
    order: list[str] = []
    multiplier: float | None = None
    for column in columns:
        name = _FIELDS.get(column.role)
        if name is None or name in order:
            continue
        order.append(name)
        if name == "amount":
            multiplier = column.multiplier
    if len(order) < 5 or multiplier is None:
        return None
    return GrantColumns(tuple(order), multiplier)
