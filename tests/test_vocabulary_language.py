"""Vocabulary from the documents is shown in the document's language (issue 18 §1): a Kyrgyz
plan's bodies have Kyrgyz names, not the Kazakh ones another city's plan gave the same code."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from workbench.analysis.activities import ActivityIndex, activity_detail
from workbench.analysis.funding.index import FundingIndex
from workbench.dataset import parquet_folder

DATA = Path(__file__).resolve().parent.parent / "data" / "plans"


@pytest.fixture(scope="module")
def tables() -> dict[str, pl.DataFrame]:
    return parquet_folder.read(DATA)


@pytest.mark.parametrize("plan", ["kara-balta-programme-2023-2026", "tash-kumyr-programme-2026"])
def test_a_kyrgyz_plans_activity_names_its_bodies_in_kyrgyz(
    tables: dict[str, pl.DataFrame], plan: str
) -> None:
    index = ActivityIndex.build(tables)
    akimat = tables["assignments"].filter(
        (pl.col("plan_id") == plan) & (pl.col("code") == "akimat")
    )
    assert akimat.height > 0
    node = akimat.get_column("node_id")[0]
    detail = activity_detail(index, plan, node)
    assert detail is not None
    names = detail["body_names"]
    assert isinstance(names, list)
    assert "шаардык мэрия" in names
    assert "қала әкімдігі" not in names


def test_body_names_follow_the_language_asked(tables: dict[str, pl.DataFrame]) -> None:
    activities = ActivityIndex.build(tables)
    funding = FundingIndex.build(tables)
    for index in (activities, funding):
        assert index.body_name("akimat", "ky") == "шаардык мэрия"
        assert index.body_name("akimat", "kk") == "қала әкімдігі"
    assert funding.source_name("local", "ky") == "жергиликтүү бюджет"
    assert funding.source_name("local", "kk") == "жергілікті бюджет"
