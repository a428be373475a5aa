"""A small hand-made dataset whose statuses are known, for the status, report and screen tests.

Two cities: Taraz (KZ, Kazakh titles, a 2017 report and a 2016-2020 plan) and Kara-Balta (KG,
Kyrgyz titles, a 2023-2026 programme). Every status, polarity and claim case appears once.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from workbench.dataset import parquet_folder
from workbench.dataset.contract import TABLES, empty_frame, frame_from_rows

TARAZ = "taraz-report-2016-2020-r2017"
KARABALTA = "kara-balta-programme-2023-2026"


def _plan(plan_id: str, city: str, native: str, country: str, **extra: object) -> dict[str, object]:
    row: dict[str, object] = {
        "plan_id": plan_id,
        "city": city,
        "city_native": native,
        "country": country,
        "language": "kk" if country == "KZ" else "ky",
        "kind": "report",
        "title": f"{native}: plan",
        "period_start": 2016,
        "period_end": 2020,
        "currency": "KZT" if country == "KZ" else "KGS",
        "source_file": f"{plan_id}.txt",
        "source_sha256": "0" * 64,
    }
    row.update(extra)
    return row


def mini_tables() -> dict[str, pl.DataFrame]:
    nodes: list[dict[str, object]] = []
    indicators: list[dict[str, object]] = []
    values: list[dict[str, object]] = []

    def node(plan: str, node_id: str, parent: str | None, kind: str, title: str, pos: int,
             code: str | None = None) -> None:  # fmt: skip
        nodes.append(
            {
                "plan_id": plan,
                "node_id": node_id,
                "parent_id": parent,
                "kind": kind,
                "code": code,
                "title": title,
                "position": pos,
            }
        )

    def indicator(plan: str, node_id: str, unit: str, polarity: str) -> None:
        indicators.append(
            {
                "plan_id": plan,
                "node_id": node_id,
                "unit": unit,
                "polarity": polarity,
                "responsible": "Экономика бөлімі",
                "info_source": "ҰСБ",
            }
        )

    def value(plan: str, node_id: str, year: int, kind: str, v: float | None,
              comment: str | None = None, claim: str | None = None) -> None:  # fmt: skip
        values.append(
            {
                "plan_id": plan,
                "node_id": node_id,
                "year": year,
                "kind": kind,
                "value": v,
                "raw": "-" if v is None else str(v).replace(".", ","),
                "comment": comment,
                "reported_status": claim,
            }
        )

    # Taraz 2017 report: direction → section → goal → indicators (one with sub-indicators).
    t = TARAZ
    node(t, "d1", None, "direction", "Экономика", 1)
    node(t, "d1/s3.2.1", "d1", "section", "Өнеркәсіп", 1, "3.2.1")
    g = "d1/s3.2.1/g3.2.1.1"
    node(t, g, "d1/s3.2.1", "goal", "Қаланың өнеркәсіптік әлеуетін арттыру", 1, "3.2.1.1")
    cases = [
        # code, title, unit, polarity, plan, fact, claim
        ("1", "Өнеркәсіп өнімінің нақты индекс көлемі", "%", "increase", 100.6, 103.8, "met"),
        ("2", "Өсімдік шаруашылығы өнімінің нақты көлем индексі", "%", "increase", 100.6, 99.2,
         "met"),
        ("3", "Жұмыссыздық деңгейін төмендету", "%", "decrease", 5.0, 4.0, None),
        ("4", "Жол-көлік оқиғаларын азайту", "бірлік", "decrease", 300.0, 420.0, "not_met"),
        ("5", "Мектепке дейінгі білім берумен 100 % қамту", "%", "target", 100.0, 98.0, None),
        ("6", "Инвестициялар көлемі", "млн теңге", "increase", 4500.0, None, None),
        ("7", "Жаңа жұмыс орындары", "адам", "increase", 1200.0, 1300.0, "not_met"),
    ]  # fmt: skip
    for pos, (code, title, unit, polarity, plan, fact, claim) in enumerate(cases, start=1):
        i = f"{g}/i{code}"
        node(t, i, g, "indicator", title, pos, code)
        indicator(t, i, unit, polarity)
        value(t, i, 2017, "plan", plan)
        text = {"met": "Көрсеткіш орындалды", "not_met": "Орындалмады"}.get(claim or "")
        value(t, i, 2017, "fact", fact, text, claim)
    parent = f"{g}/i3"
    for pos, (code, plan, fact) in enumerate((("3.1", 1400.0, 1856.0), ("3.2", 140.0, 100.0)), 1):
        i = f"{parent}/i{code}"
        node(t, i, parent, "indicator", f"Егін алқабы {code}", pos, code)
        indicator(t, i, "га", "increase")
        value(t, i, 2017, "plan", plan)
        value(t, i, 2017, "fact", fact)
    node(t, "d2", None, "direction", "Әлеуметтік сала", 2)
    node(t, "d2/k1", "d2", "task", "Міндет: мектептер салу", 1)
    node(t, "d2/k1/a1", "d2/k1", "activity", "Жобалау-сметалық құжаттаманы әзірлеу", 1)

    # Kara-Balta programme: several years, baseline, plan, fact, target, estimate.
    k = KARABALTA
    node(k, "d1", None, "direction", "Социалдык чөйрө", 1, "1")
    node(k, "d1/g1.1", "d1", "goal", "Калкты таза ичүүчү суу менен камсыз кылуу", 1, "1.1")
    i = "d1/g1.1/i1"
    node(k, i, "d1/g1.1", "indicator", "Ичүүчү суу менен камсыз болгон үй чарбалардын үлүшү", 1,
         "1")  # fmt: skip
    indicator(k, i, "%", "increase")
    value(k, i, 2022, "baseline", 60.0)
    for year, plan, fact in ((2023, 65.0, 66.0), (2024, 70.0, 64.0), (2025, 75.0, None)):
        value(k, i, year, "plan", plan)
        if fact is not None:
            value(k, i, year, "fact", fact)
    value(k, i, 2025, "estimate", 72.0)
    value(k, i, 2026, "target", 80.0)
    i2 = "d1/g1.1/i2"
    node(k, i2, "d1/g1.1", "indicator", "Жумушсуздуктун деңгээлин төмөндөтүү", 2, "2")
    indicator(k, i2, "%", "decrease")
    value(k, i2, 2023, "target", 6.0)
    value(k, i2, 2023, "fact", 6.3)

    tables = {table: empty_frame(table) for table in TABLES}
    tables["plans"] = frame_from_rows(
        "plans",
        [
            _plan(t, "Taraz", "Тараз", "KZ", report_year=2017),
            _plan(
                k,
                "Kara-Balta",
                "Кара-Балта",
                "KG",
                kind="programme",
                period_start=2023,
                period_end=2026,
            ),
        ],
    )
    tables["nodes"] = frame_from_rows("nodes", nodes)
    tables["indicators"] = frame_from_rows("indicators", indicators)
    tables["values"] = frame_from_rows("values", values)
    return {name: parquet_folder.canonical_order(name, frame) for name, frame in tables.items()}


def write_mini(folder: Path, tables: dict[str, pl.DataFrame] | None = None) -> Path:
    parquet_folder.write(tables if tables is not None else mini_tables(), folder)
    return folder
