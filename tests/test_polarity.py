"""Polarity review and the analyst's polarity (issue 18, section 3): where an indicator's own
words contradict the polarity its status uses it is flagged "polarity: review" (the status is
not changed); the analyst sets the polarity from the screen (P) or the command line, kept in the
workspace (undoable), counted by the status, shown in the detail, carried by snapshots."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from screen_helpers import config_for, cursor_row, go_to, press, said, screen_text, settle
from workspace_data import KB, KB_INDICATOR, TARAZ, UNEMPLOYMENT, tables

from screens.app import make_app
from screens.forms.polarity import PolarityForm
from screens.main.screen import MainScreen
from workbench.analysis import status
from workbench.analysis.catalog import build_catalog
from workbench.analysis.reporting import build_report, format_csv, format_text
from workbench.cli import main
from workbench.dataset import parquet_folder
from workbench.dataset.polarity import describe_review, review_polarity, title_asks
from workbench.errors import ValidationError
from workbench.snapshots.create import create, load
from workbench.snapshots.csv_export import write_csv
from workbench.snapshots.importing import import_snapshot
from workbench.snapshots.model import Snapshot
from workbench.snapshots.toml_read import parse_toml
from workbench.snapshots.toml_write import to_toml
from workbench.workspace import store

PLANS = Path(__file__).resolve().parent.parent / "data" / "plans"
REPORT = "taraz-report-2016-2020-r2017"
# "Share of the able-bodied among the recipients of targeted social assistance": plan 28,5,
# fact 25,2 in 2017; the report explains the fall as people finding work.
ABLE = "d_2/s3.2.6/g3.2.6.2/i1"
ABLE_TITLE = "Атаулы әлеуметтік көмек алушылардың ішіндегі жұмысқа жарамдылар үлесі"
bundled = pytest.mark.skipif(
    not (PLANS / "plans.parquet").exists(), reason="no bundled dataset (data/plans)"
)


pytestmark = pytest.mark.usefixtures("isolated")


# -- the rule ------------------------------------------------------------------------------------


def test_a_title_that_asks_for_less_or_more_is_read_in_three_languages() -> None:
    assert title_asks("Жұмыссыздық деңгейін төмендету") == "decrease"
    assert title_asks("Снижение уровня безработицы") == "decrease"
    assert title_asks("Жумушсуздукту азайтуу") == "decrease"
    assert title_asks("Бюджеттин киреше бөлүгүн көбөйтүү") == "increase"
    assert title_asks("Увеличение доли отремонтированных дорог") == "increase"
    assert title_asks("Өнеркәсіп өнімінің нақты индекс көлемі") is None
    # Both at once: the words do not decide.
    assert title_asks("Кірісті арттыру және шығынды азайту") is None


@pytest.mark.parametrize(
    ("polarity", "title", "suggested"),
    [
        ("increase", "Жұмыссыздық деңгейін төмендету", "decrease"),
        ("target", "Сокращение очереди в детские сады", "decrease"),
        ("decrease", "Бюджеттин киреше бөлүгүн көбөйтүү", "increase"),
    ],
)
def test_a_title_that_contradicts_the_polarity_is_flagged(
    polarity: str, title: str, suggested: str
) -> None:
    found = review_polarity(polarity, title)
    assert found is not None and (found.suggested, found.source) == (suggested, "title")


def test_a_title_that_agrees_is_not_flagged() -> None:
    assert review_polarity("decrease", "Жұмыссыздық деңгейін төмендету") is None
    assert review_polarity("increase", "Бюджеттин киреше бөлүгүн көбөйтүү") is None
    # A level held at 100 % where the title says "raise": not a contradiction.
    assert review_polarity("target", "Біліктілікті арттыру курстарынан өткен педагогтер") is None


GOOD_FALL = {
    "kk": "Азаматтар жұмысқа орналасып, алушылар саны азайды.",
    "ru": "Число получателей сократилось: положительная динамика, люди трудоустроены.",
    "ky": "Алуучулардын саны азайды, көрсөткүч жакшырды.",
}


@pytest.mark.parametrize("language", sorted(GOOD_FALL))
def test_execution_text_calling_a_fall_good_is_flagged_where_the_fall_missed_the_plan(
    language: str,
) -> None:
    text = GOOD_FALL[language]
    found = review_polarity("increase", "Үлес", [(2017, text, 28.5, 25.2)])
    assert found is not None
    assert (found.suggested, found.source, found.year) == ("decrease", "comment", 2017)
    assert "2017" in describe_review(found)
    # Above the plan the status already agrees with the words; with less is better, too.
    assert review_polarity("increase", "Үлес", [(2017, text, 28.5, 30.0)]) is None
    assert review_polarity("decrease", "Үлес", [(2017, text, 28.5, 25.2)]) is None


def test_execution_text_explaining_a_failure_is_not_flagged() -> None:
    # A fall explained by its cause, no word calling it good (the Taraz report's own cases).
    failures = [
        "Ағымдағы жылы тапсырыстың төмендеуіне байланысты өнім өндіру көлемі төмендеп отыр.",
        "НКИ 99,2%-ға дейін төмендеу себебі жерлер мемлекет мұқтажы үшін алынуына байланысты.",
        "Объём снизился из-за отсутствия заказов.",
    ]
    for text in failures:
        assert review_polarity("increase", "Көлем индексі", [(2017, text, 100.6, 99.2)]) is None


def test_a_rise_called_good_flags_a_less_is_better_indicator() -> None:
    text = "Көрсеткіш өсті: оң динамика."
    found = review_polarity("decrease", "Көрсеткіш", [(2020, text, 10.0, 12.0)])
    assert found is not None and found.suggested == "increase"


@bundled
def test_across_the_five_samples_only_the_taraz_case_is_flagged() -> None:
    """Read by hand: of the 137 indicators of the five documents, the titles all agree with
    their polarity, and of the 65 execution texts of the Taraz report three report a fall that
    missed the plan; two explain a failure (fewer orders; farmland taken for public needs), one
    calls the fall good (the able-bodied found work): that one is flagged."""
    tables_ = dict(parquet_folder.read(PLANS))
    statuses = status.indicator_statuses(tables_, thresholds=status.Thresholds())
    found = status.polarity_reviews(tables_, statuses)
    assert found.select("plan_id", "node_id", "polarity_review", "review_source").rows() == [
        (REPORT, ABLE, "decrease", "comment")
    ]
    assert tables_["plans"].height == 5


# -- the status with the analyst's polarity ------------------------------------------------------


def test_the_status_uses_the_polarity_the_analyst_set() -> None:
    data = tables()
    before = status.indicator_statuses(data, thresholds=status.Thresholds())
    overrides = pl.DataFrame(
        {"plan_id": [TARAZ], "node_id": [UNEMPLOYMENT], "polarity": ["increase"]}
    )
    after = status.indicator_statuses(data, thresholds=status.Thresholds(), polarities=overrides)
    one = (pl.col("node_id") == UNEMPLOYMENT) & (pl.col("year") == 2017)
    assert before.filter(one).select("status").item() == "at_risk"  # 5 / 5.5
    assert after.filter(one).select("status").item() == "met"  # 5.5 / 5
    assert after.filter(~one).equals(before.filter(~one))  # nothing else moves
    used = status.effective_polarities(data["indicators"], overrides)
    assert used.filter(pl.col("node_id") == UNEMPLOYMENT).row(0)[2:] == ("increase", "analyst")
    # The title asks for less ("төмендету"): set to increase, it is to be reviewed.
    reviews = status.polarity_reviews(data, after, overrides)
    assert reviews.select("node_id", "polarity_review").rows() == [(UNEMPLOYMENT, "decrease")]
    catalog = build_catalog(data, polarities=overrides)
    assert catalog.polarity_of(TARAZ, UNEMPLOYMENT)["source"] == "analyst"
    assert catalog.polarity_review(TARAZ, UNEMPLOYMENT) is not None


# -- the store -----------------------------------------------------------------------------------


def test_a_polarity_is_set_cleared_undone_and_checked(tmp_path: Path) -> None:
    path = tmp_path / "ws.sqlite3"
    with store.open_workspace(path, dataset=tables(), author="aigerim") as ws:
        saved = ws.set_polarity(TARAZ, UNEMPLOYMENT, "higher")
        assert (saved.polarity, saved.document, saved.author) == ("increase", "decrease", "aigerim")
        with pytest.raises(ValidationError, match="unknown polarity"):
            ws.set_polarity(TARAZ, UNEMPLOYMENT, "sideways")
        with pytest.raises(ValidationError, match="not an indicator"):
            ws.set_polarity(TARAZ, "d1/g1", "lower")
        with pytest.raises(ValidationError, match="no node"):
            ws.set_polarity(TARAZ, "nowhere", "lower")
        with pytest.raises(ValidationError, match="to clear"):
            ws.clear_polarity(KB, KB_INDICATOR)
        ws.set_polarity(KB, KB_INDICATOR, "target")
        ws.clear_polarity(KB, KB_INDICATOR)
    # Committed: another connection reads them.
    with store.open_workspace(path, dataset=tables(), author="aigerim") as ws:
        assert ws.polarities_frame().select("node_id", "polarity").rows() == [
            (UNEMPLOYMENT, "increase")
        ]
        undone = ws.undo()  # the clearing: the target counts again
        assert undone is not None and "clearing the polarity" in undone.summary
        assert undone.target == (KB, KB_INDICATOR, None)
        assert {p.node_id: p.polarity for p in ws.polarities()} == {
            UNEMPLOYMENT: "increase",
            KB_INDICATOR: "target",
        }
        ws.undo()
        ws.undo()
        assert ws.polarities() == []
        assert ws.polarity_for(TARAZ, UNEMPLOYMENT) is None


# -- snapshots -----------------------------------------------------------------------------------


def test_a_snapshot_carries_the_polarities_through_toml_csv_and_import(tmp_path: Path) -> None:
    with store.open_workspace(tmp_path / "a.sqlite3", dataset=tables(), author="aigerim") as ws:
        ws.set_polarity(TARAZ, UNEMPLOYMENT, "increase")
        create(ws, tables(), "with polarity")
        snap = load(ws, "with polarity")
    indicator = (
        snap.parts["indicators"].filter(pl.col("node_id") == UNEMPLOYMENT).row(0, named=True)
    )
    assert (indicator["polarity"], indicator["polarity_source"]) == ("increase", "analyst")
    text = to_toml(snap)
    assert "format_version = 2" in text and "[[polarities]]" in text
    back = parse_toml(text)
    assert back.parts["polarities"].equals(snap.parts["polarities"])
    assert back.parts["indicators"].equals(snap.parts["indicators"])
    values, _notes = write_csv(snap, tmp_path / "snap.csv")
    rows = list(csv.DictReader(io.StringIO(values.read_text(encoding="utf-8"))))
    polarities = {(r["node_id"], r["polarity"], r["polarity_source"]) for r in rows}
    assert (UNEMPLOYMENT, "increase", "analyst") in polarities
    assert (KB_INDICATOR, "increase", "document") in polarities
    # Imported into another workspace: the polarity is restored, checked, and undone as one.
    with store.open_workspace(tmp_path / "b.sqlite3", dataset=tables()) as other:
        result = import_snapshot(other, back, source="snap.toml")
        assert (result.polarities_added, result.refused) == (1, ())
        assert "polarities: 1 added" in result.summary()
        assert other.polarities_frame().equals(snap.parts["polarities"])
        again = import_snapshot(other, back, source="snap.toml")
        assert (again.polarities_added, again.polarities_present) == (0, 1)
        other.undo()
        assert other.polarities() == []


def test_import_refuses_a_polarity_it_cannot_check(tmp_path: Path) -> None:
    with store.open_workspace(tmp_path / "a.sqlite3", dataset=tables()) as ws:
        ws.set_polarity(TARAZ, UNEMPLOYMENT, "lower")
        create(ws, tables(), "s")
        snap = load(ws, "s")
    bad = snap.parts["polarities"].with_columns(node_id=pl.lit("nowhere"))
    wrong = Snapshot(snap.header, {**snap.parts, "polarities": bad})
    with store.open_workspace(tmp_path / "b.sqlite3", dataset=tables()) as other:
        result = import_snapshot(other, wrong, source="x.toml")
        assert result.polarities_added == 0
        assert [r.record for r in result.refused] == ["polarities[0] (taraz-2017/nowhere)"]
    # A polarity that is none of the contract's is refused when the file is read.
    text = to_toml(snap).replace('polarity = "decrease"\nauthor', 'polarity = "up"\nauthor')
    with pytest.raises(Exception, match="unknown polarity 'up'"):
        parse_toml(text)


# -- the command line and the report -------------------------------------------------------------


@bundled
def test_the_command_sets_the_polarity_by_printed_title_and_the_report_shows_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = str(tmp_path / "ws.sqlite3")
    common = ["--workspace", ws, "--data", str(PLANS)]

    def report() -> dict[str, Any]:
        assert main(["report", "--plan", REPORT, "--format", "csv", *common]) == 0
        rows = csv.DictReader(io.StringIO(capsys.readouterr().out))
        return next(r for r in rows if r["node_id"] == ABLE)

    row = report()
    assert (row["status"], row["polarity"], row["polarity_source"]) == (
        "off_track",
        "increase",
        "document",
    )
    assert row["polarity_review"] == "decrease"
    args = ["polarity", "--plan", REPORT, "--node", "Атаулы әлеуметтік көмек", "lower", *common]
    assert main(args) == 0
    assert "saved polarity decrease" in capsys.readouterr().out
    row = report()
    assert (row["status"], row["polarity"], row["polarity_source"]) == (
        "met",
        "decrease",
        "analyst",
    )
    assert row["polarity_review"] == ""  # words and polarity agree now
    assert main(["undo", *common[:2]]) == 0
    capsys.readouterr()
    assert report()["status"] == "off_track"
    # Refused before anything is written: not an indicator, an unknown word.
    assert main(["polarity", "--plan", REPORT, "--node", "d_2", "lower", *common]) == 1
    assert "not an indicator" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["polarity", "--plan", REPORT, "--node", ABLE, "sideways", *common])


@bundled
def test_the_text_report_says_polarity_review() -> None:
    tables_ = dict(parquet_folder.read(PLANS))
    report = build_report(tables_, thresholds=status.Thresholds(), plan=REPORT)
    line = next(x for x in format_text(report).splitlines() if ABLE_TITLE in x)
    assert "off track" in line and "polarity: review" in line
    assert format_csv(report).splitlines()[0].endswith(",claim_mismatch,polarity_review")


# -- the screen ----------------------------------------------------------------------------------


@bundled
async def test_p_sets_the_polarity_of_the_taraz_indicator_and_its_status_changes(
    tmp_path: Path,
) -> None:
    ws_path = tmp_path / "ws.sqlite3"
    app = make_app(config_for(PLANS), PLANS, workspace=ws_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        row = await go_to(pilot, ABLE_TITLE)
        assert row["status"] == "off_track"
        await press(pilot, "tab")  # the detail, which takes the screen at 80 columns
        assert "polarity: review" in screen_text(app)
        await press(pilot, "escape")
        await press(pilot, "P")
        form = app.screen
        assert isinstance(form, PolarityForm)
        text = screen_text(app)
        assert "higher is better, from the document" in text and "polarity: review" in text
        await press(pilot, "down", "enter")  # lower is better
        assert isinstance(app.screen, MainScreen)
        assert any("lower is better" in each.message for each in said(app))
        with store.open_workspace(ws_path, dataset=parquet_folder.read(PLANS)) as ws:
            (saved,) = ws.polarities()  # committed before the screen said so
        assert (saved.node_id, saved.polarity) == (ABLE, "decrease")
        assert cursor_row(app)["status"] == "met"
        await press(pilot, "tab")
        text = screen_text(app)
        assert "set by analyst" in text and "polarity: review" not in text
        await press(pilot, "escape", "u")  # undo: the document's polarity again
        assert cursor_row(app)["status"] == "off_track"
