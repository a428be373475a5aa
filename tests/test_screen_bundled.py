"""The screen and the report on the bundled dataset (data/plans), checked by hand against the
documents: the Taraz 2017 report, the Zhezkazgan plan, the Kyrgyz programmes."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from screen_helpers import app_on, cursor_row, go_to, press, screen_text, settle, tree

from screens.main.chart import PlanChart
from screens.main.screen import MainScreen
from workbench.analysis.catalog import load_catalog
from workbench.cli import main

PLANS = Path(__file__).resolve().parent.parent / "data" / "plans"
pytestmark = pytest.mark.skipif(
    not (PLANS / "plans.parquet").exists(), reason="no bundled dataset (data/plans)"
)
TARAZ = "taraz-report-2016-2020-r2017"


pytestmark = pytest.mark.usefixtures("isolated")


# Printed in the 2017 monitoring report (part 1): plan, fact, and what the numbers make of them.
TARAZ_INDICATORS = [
    ("Өнеркәсіп өнімінің нақты индекс көлемі", 100.6, 103.8, "met"),
    ("Өсімдік шаруашылығы өнімін шығарудың нақты көлем индексі", 100.6, 99.2, "at_risk"),
    ("Көтерме сауданың нақты көлем индексі", 100.3, 84.1, "off_track"),
    # Less is better: crimes by repeat offenders, 24.0 % against a plan of 12.2 %.
    ("Бұрын қылмыс жасағандармен жасалған", 12.2, 24.0, "off_track"),
    ("Көшелерде жасалған қылмыстың үлес салмағы", 21.5, 20.7, "met"),
]


async def test_taraz_statuses_on_screen() -> None:
    app = app_on(PLANS)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for title, plan, fact, status in TARAZ_INDICATORS:
            row = await go_to(pilot, title)
            assert (row["year"], row["status"]) == (2017, status), title
            text = screen_text(app)
            shown = (f"{plan:g}".replace(".", ","), f"{fact:g}".replace(".", ","))
            assert shown[0] in text and shown[1] in text, title
        # An indicator printed "-": no data, and its sub-indicators are counted below it.
        row = await go_to(pilot, "Егін алқабын арттыру")
        assert row["status"] == "no_data" and row["total"] == 2


async def test_zhezkazgan_indicator_with_seven_years_has_a_chart() -> None:
    app = app_on(PLANS)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        catalog = tree(app).catalog
        assert catalog is not None
        zhez = catalog.items.filter(
            (catalog.items.get_column("plan_id") == "zhezkazgan-plan-2026-2030")
            & catalog.items.get_column("is_indicator")
        )
        seven = [
            int(idx)
            for idx, node in zip(zhez.get_column("idx"), zhez.get_column("node_id"), strict=True)
            if len(catalog.indicator_years("zhezkazgan-plan-2026-2030", str(node))) == 7
        ]
        assert seven
        tree(app).reveal(seven[0])
        await settle(pilot)
        chart = app.screen.query_one(PlanChart)
        assert chart.display and chart.drawn
        text = screen_text(app)
        for year in ("2024", "2026", "2030"):
            assert year in text
        assert "estimate" in text  # 2025 is an estimate
        # … said in the words of the funding view: the current year, before the plan's years.
        from rich.console import Console
        from textual.widgets import Static

        console = Console(width=200, record=True, file=io.StringIO())
        console.print(app.screen.query_one("#detail-table", Static).content)
        shown = console.export_text()
        assert "2025: estimate — the current year, before the plan's years 2026–2030" in shown


async def test_filter_finds_a_kyrgyz_title() -> None:
    app = app_on(PLANS)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "slash", *"ЖОЛ ИНФРАСТРУКТУРАСЫН")
        screen = app.screen
        assert isinstance(screen, MainScreen) and screen.view is not None
        assert screen.view.count >= 1
        row = cursor_row(app)
        assert "Жол инфраструктурасын" in str(row["title"])
        assert row["plan_id"] == "kara-balta-programme-2023-2026"


def test_report_csv_for_taraz_agrees_with_the_screen(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--data", str(PLANS), "--city", "Тараз", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    report = [r for r in rows if r["plan_id"] == TARAZ]
    catalog = load_catalog(PLANS)
    indicators = catalog.items.filter(
        (catalog.items.get_column("plan_id") == TARAZ) & catalog.items.get_column("is_indicator")
    )
    assert len(report) == indicators.height >= 60  # every indicator, one year (2017)
    on_screen = {
        str(node): str(status)
        for node, status in zip(
            indicators.get_column("node_id"), indicators.get_column("status"), strict=True
        )
    }
    assert {r["node_id"]: r["status"] for r in report} == on_screen
    for title, plan, fact, status in TARAZ_INDICATORS:
        found = [r for r in report if title in r["title"]]
        assert found and found[0]["status"] == status
        assert (float(found[0]["plan"]), float(found[0]["fact"])) == (plan, fact)
