"""Finding a tab-separated table's columns from the words of its header row.

Families whose exports keep tab-separated cells (the mayoralty programme, the grant list) name
their columns in the header; matching those words, not the column positions, lets a document with
the columns in another order, or with a column added, read the same.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from workbench.dataset.text import clean, fold

HeaderWords = Sequence[tuple[str, re.Pattern[str]]]


def header_columns(line: str, words: HeaderWords) -> dict[str, int]:
    """The index of each named column in a tab-separated header ``line`` ({} when none match).

    Each cell takes the first name whose pattern matches its case-folded text and that no earlier
    cell has taken; ``words`` is tried in order, so put the more specific patterns first.
    """
    if "\t" not in line:
        return {}
    return header_cells(line.split("\t"), words)


def header_cells(cells: Sequence[str], words: HeaderWords) -> dict[str, int]:
    """The index of each named column in a header row's ``cells`` (see :func:`header_columns`)."""
    columns: dict[str, int] = {}
    for index, cell in enumerate(fold(clean(cell)) for cell in cells):
        if not cell:
            continue
        for name, pattern in words:
            if name not in columns and pattern.search(cell):
                columns[name] = index
                break
    return columns
