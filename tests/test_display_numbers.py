"""Numbers are shown one way everywhere (issue 18 §1): a decimal comma, thousands apart by a
narrow no-break space, in the core's function, the funding report and the indicator report."""

from __future__ import annotations

import pytest

from workbench.analysis.funding.amounts import format_amount
from workbench.display import number, percent

NNBSP = "\u202f"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (1291.5, f"1{NNBSP}291,5"),
        (100.6, "100,6"),
        (78905.0, f"78{NNBSP}905"),
        (-1234567.25, f"-1{NNBSP}234{NNBSP}567,25"),
        (0.0, "0"),
        (None, "–"),
    ],
)
def test_number_has_a_decimal_comma_and_narrow_thousands(value: float | None, shown: str) -> None:
    assert number(value) == shown


def test_percent_and_amounts_share_the_one_format() -> None:
    assert percent(1.006) == "100,6%"
    assert format_amount(60563.5) == f"60{NNBSP}563,5"
    # Two amounts side by side stay two: the space between them is not the thousands mark.
    row = " ".join((format_amount(78905), format_amount(60563.5)))
    assert row.split(" ") == [f"78{NNBSP}905", f"60{NNBSP}563,5"]
