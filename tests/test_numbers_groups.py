"""Digit groups: the separator pattern (written to start with the separator, so a search skips
to it) removes exactly the separators a digit stands before and three digits (no fourth) after,
as the pattern that tests the digit first does; and grouped numbers read to their value."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.dataset.numbers import _GROUP_SPACE, parse_amount, parse_number

# the definition: a separator after a digit, before three digits and no fourth
_DEFINITION = re.compile(r"(?<=\d)[ \u00a0\u202f\u2009\u2007'](?=\d{3}(?!\d))")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="0123456789 '\u00a0\u202f\u2009\u2007,.-a٣\n", max_size=30))
def test_the_group_separators_found_are_the_definitions(text: str) -> None:
    assert _GROUP_SPACE.sub("", text) == _DEFINITION.sub("", text)
    assert [m.span() for m in _GROUP_SPACE.finditer(text)] == [
        m.span() for m in _DEFINITION.finditer(text)
    ]


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=1, max_value=999),
    st.lists(st.integers(min_value=0, max_value=999), max_size=4),
    st.sampled_from([" ", "\u00a0", "\u202f", "\u2009", "'"]),
    st.one_of(st.none(), st.integers(min_value=0, max_value=9)),
)
def test_a_grouped_number_reads_to_its_value(
    head: int, groups: list[int], separator: str, decimal: int | None
) -> None:
    printed = separator.join([str(head), *(f"{g:03d}" for g in groups)])
    digits = str(head) + "".join(f"{g:03d}" for g in groups)
    if decimal is not None:
        printed += f",{decimal}"
        digits += f".{decimal}"
    assert parse_number(printed).value == float(digits)
    amount = parse_amount(f"{printed} мың теңге")
    assert amount.value == round(float(digits) * 1000, 2)
    assert amount.currency == "KZT"
    assert parse_amount(f"{printed} сом").currency == "KGS"
