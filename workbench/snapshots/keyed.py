"""Putting one part's columns beside another's rows by their keys, without hashing millions of
keys when the parts are in the same order.

Public API::

    beside(left, right, keys) -> ``left`` with ``right``'s other columns (a left join)

A snapshot's parts made here are in key order, once each: the values' indicators (one row per
run of their rows) and the indicators part hold the same keys, row for row. Then a join's
result is the two frames side by side, and checking that the keys are the same is one
comparison, where a join on two text keys hashes each of them (at 1 000 plans, hundreds of
thousands of indicators: bench/bench_workspace.py shows the exports' CPU time). A part from a
file may be in any order: then it is joined.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl


def beside(left: pl.DataFrame, right: pl.DataFrame, keys: Sequence[str]) -> pl.DataFrame:
    """``left`` with the columns of ``right`` other than ``keys``, by ``keys``: each row of
    ``left`` with the first row of ``right`` of the same keys (null where none), in ``left``'s
    order — a left join on ``right`` with its keys made unique."""
    columns = list(keys)
    if left.select(columns).equals(right.select(columns)):
        return left.hstack(right.drop(columns).get_columns())
    once = right.unique(subset=columns, keep="first", maintain_order=True)
    return left.join(once, on=columns, how="left", maintain_order="left")
