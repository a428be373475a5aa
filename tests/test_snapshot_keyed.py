"""workbench.snapshots.keyed.beside: the same rows as a left join on the keys, whether the two
frames hold the same keys in the same order (put side by side) or not (joined)."""

from __future__ import annotations

import polars as pl
import pytest

from workbench.snapshots.keyed import beside

KEYS = ["plan_id", "node_id"]
LEFT = pl.DataFrame({"plan_id": ["a", "a", "b", "c"], "node_id": ["1", "2", "1", "9"]})
RIGHT = LEFT.with_columns(unit=pl.Series(["%", None, "т", "км"]), n=pl.Series([1, 2, 3, 4]))


def _joined(left: pl.DataFrame, right: pl.DataFrame) -> pl.DataFrame:
    return left.join(right, on=KEYS, how="left", maintain_order="left")


@pytest.mark.parametrize(
    "right",
    [
        RIGHT,  # the same keys, row for row: side by side
        RIGHT.reverse(),  # another order
        RIGHT.slice(1),  # a key of the left missing on the right
        pl.concat([RIGHT, RIGHT.slice(0, 1).with_columns(node_id=pl.lit("7"))]),  # one more
        RIGHT.with_columns(node_id=pl.Series(["1", "2", "2", "9"])),  # same length, other keys
    ],
)
def test_beside_is_a_left_join_on_the_keys(right: pl.DataFrame) -> None:
    got = beside(LEFT, right, KEYS)
    assert got.equals(_joined(LEFT, right))
    assert got.columns == ["plan_id", "node_id", "unit", "n"]


def test_beside_keeps_the_left_order_and_nulls_in_keys() -> None:
    left = pl.DataFrame({"plan_id": ["b", None, "a"], "node_id": ["1", "x", "2"]})
    right = pl.DataFrame({"plan_id": ["a", "b"], "node_id": ["2", "1"], "unit": ["%", "т"]})
    assert beside(left, right, KEYS).get_column("unit").to_list() == ["т", None, "%"]
