"""Hypothesis strategies for the canonical tables: a value of any type a column's dtype takes."""

from __future__ import annotations

import polars as pl
from hypothesis import strategies as st


def column_values(dtype: pl.DataType, *, null_lists: bool = True) -> st.SearchStrategy[object]:
    """Values a column of ``dtype`` holds, None among them (for a list column only with
    ``null_lists``: a missing row-dict key is how those tests give a list column no value)."""
    if isinstance(dtype, pl.Enum):
        return st.sampled_from([None, *dtype.categories.to_list()])
    if isinstance(dtype, pl.List):
        lists = st.lists(st.text(max_size=5), max_size=3)
        return st.one_of(st.none(), lists) if null_lists else lists
    if dtype == pl.Int32:
        return st.one_of(st.none(), st.integers(-(2**31), 2**31 - 1))
    if dtype == pl.Float64:
        return st.one_of(st.none(), st.floats(allow_nan=False), st.integers(-(10**9), 10**9))
    if dtype == pl.Date:
        return st.one_of(st.none(), st.dates())
    return st.one_of(st.none(), st.text(max_size=8))
