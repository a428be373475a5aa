"""A small dataset in the data contract for the workspace and snapshot tests (issue 6).

Two plans: a Taraz report (2016-2020, report year 2017) with a direction, a goal and two
indicators (one decrease); a Kara-Balta programme (2023-2026, baseline 2022) with an indicator,
a target node carrying an indicator row, and an activity. Titles include markup-like text.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from workbench.dataset import parquet_folder
from workbench.dataset.contract import TABLES, empty_frame, frame_from_rows

TARAZ = "taraz-2017"
KB = "kara-balta-2023"
UNEMPLOYMENT = "d1/g1/i1"  # decrease, plan 5.0, fact 5.5 in 2017 → at risk
HOUSING = "d1/g1/i2"  # increase, plan 100, fact "-" in 2017 → no data
GOAL = "d1/g1"
KB_INDICATOR = "p1/i1"  # targets 2023-2026, baseline 2022, fact 2023
KB_TARGET = "p1/t1"  # a target node with an indicator row
KB_ACTIVITY = "p1/a1"


def tables() -> dict[str, pl.DataFrame]:
    plans = frame_from_rows(
        "plans",
        [
            dict(plan_id=TARAZ, city="Taraz", city_native="Тараз", country="KZ", language="kk",
                 kind="report", title="2017 жылғы есеп", period_start=2016, period_end=2020,
                 report_year=2017, currency="KZT", source_file="000.txt",
                 source_sha256="a" * 64),
            dict(plan_id=KB, city="Kara-Balta", city_native="Кара-Балта", country="KG",
                 language="ky", kind="programme", title="Программа 2023-2026",
                 period_start=2023, period_end=2026, currency="KGS", source_file="004.txt",
                 source_sha256="b" * 64),
        ],
    )  # fmt: skip
    nodes = frame_from_rows(
        "nodes",
        [
            dict(plan_id=TARAZ, node_id="d1", kind="direction", title="Бағыт 1", position=1),
            dict(plan_id=TARAZ, node_id=GOAL, parent_id="d1", kind="goal", code="3.2.1.1",
                 title="Мақсат [bold]", position=1),
            dict(plan_id=TARAZ, node_id=UNEMPLOYMENT, parent_id=GOAL, kind="indicator",
                 code="1", title="Жұмыссыздық деңгейін төмендету", position=1),
            dict(plan_id=TARAZ, node_id=HOUSING, parent_id=GOAL, kind="indicator", code="2",
                 title="Тұрғын үй пайдалануға беру", position=2),
            dict(plan_id=KB, node_id="p1", kind="direction", title="Приоритет 1", position=1),
            dict(plan_id=KB, node_id=KB_INDICATOR, parent_id="p1", kind="indicator",
                 code="1.1", title="Көрсөткүч", position=1),
            dict(plan_id=KB, node_id=KB_TARGET, parent_id="p1", kind="target", code="НИ 1",
                 title="Максаттуу индикатор", position=2),
            dict(plan_id=KB, node_id=KB_ACTIVITY, parent_id="p1", kind="activity",
                 title="Иш-чара", position=3),
        ],
    )  # fmt: skip
    indicators = frame_from_rows(
        "indicators",
        [
            dict(plan_id=TARAZ, node_id=UNEMPLOYMENT, unit="%", polarity="decrease"),
            dict(plan_id=TARAZ, node_id=HOUSING, unit="мың м²", polarity="increase"),
            dict(plan_id=KB, node_id=KB_INDICATOR, unit="сом", polarity="increase"),
            dict(plan_id=KB, node_id=KB_TARGET, unit="%", polarity="target"),
        ],
    )
    rows: list[dict[str, object]] = []

    def value(plan: str, node: str, year: int, kind: str, number: float | None) -> None:
        raw = "-" if number is None else str(number).replace(".", ",")
        rows.append(dict(plan_id=plan, node_id=node, year=year, kind=kind, value=number, raw=raw))

    value(TARAZ, UNEMPLOYMENT, 2017, "plan", 5.0)
    value(TARAZ, UNEMPLOYMENT, 2017, "fact", 5.5)
    value(TARAZ, HOUSING, 2017, "plan", 100.0)
    value(TARAZ, HOUSING, 2017, "fact", None)
    value(KB, KB_INDICATOR, 2022, "baseline", 10.0)
    for year in (2023, 2024, 2025, 2026):
        value(KB, KB_INDICATOR, year, "target", 10.0 + year - 2022)
        value(KB, KB_TARGET, year, "target", 100.0)
    value(KB, KB_INDICATOR, 2023, "fact", 11.0)
    value(KB, KB_TARGET, 2023, "fact", 96.0)
    out = {table: empty_frame(table) for table in TABLES}
    out.update(
        plans=plans, nodes=nodes, indicators=indicators, values=frame_from_rows("values", rows)
    )
    return out


def write(folder: Path) -> Path:
    parquet_folder.write(tables(), folder)
    return folder
