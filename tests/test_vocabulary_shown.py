"""The vocabulary as an analyst reads it (issue 18, §1 and §3): funding sources as the documents
print them (РБ, ЖБ, ӨКБ) while the machine outputs keep the canonical codes; abbreviated bodies
expanded from the plan's own list or the shipped vocabulary; and the spellings of one body counted
as one body, each spelling still found by the filters."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from workbench.analysis.activities import ActivityIndex, activities_view, activity_detail
from workbench.analysis.funding.index import FundingIndex
from workbench.analysis.funding.view import funding_view
from workbench.analysis.links import bodies, body_view
from workbench.analysis.vocabulary_names import VocabularyNames, shipped, spelling_key
from workbench.cli import main
from workbench.dataset import parquet_folder

DATA = Path(__file__).resolve().parent.parent / "data" / "plans"
KARA_BALTA = "kara-balta-programme-2023-2026"
TASH_KOMUR = "tash-kumyr-programme-2026"
TARAZ = "taraz-report-2016-2020-r2017"


pytestmark = pytest.mark.usefixtures("isolated")


@pytest.fixture(scope="module")
def tables() -> dict[str, object]:
    return dict(parquet_folder.read(DATA))


@pytest.fixture(scope="module")
def index(tables: dict[str, object]) -> ActivityIndex:
    return ActivityIndex.build(tables)  # type: ignore[arg-type]


def report(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(["report", "--data", str(DATA), "--lang", "en", "--as-of", "2026-05-01", *args])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


# -- funding sources as printed -----------------------------------------------------------------


def test_the_activities_table_shows_sources_as_the_document_prints_them(
    index: ActivityIndex,
) -> None:
    page = activities_view(index, plan_id=TASH_KOMUR).page(0, 100)
    shown = set(page.get_column("sources").to_list())
    assert "ЖБ, РБ" in shown or "РБ, ЖБ" in shown
    assert any("ӨКБ" in s for s in shown)  # the plan's own code, printed without a legend
    assert not any("republican" in s or "local" in s for s in shown)


def test_a_kazakh_plan_shows_the_kazakh_abbreviations(index: ActivityIndex) -> None:
    page = activities_view(index, plan_id=TARAZ).page(0, 100)
    shown = ", ".join(page.get_column("sources").to_list())
    assert "РБ" in shown and "ОБ" in shown
    assert "republican" not in shown and "oblast" not in shown


def test_the_report_text_shows_printed_sources_and_the_csv_keeps_codes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = report(capsys, "--view", "activities", "--city", "Tash-Kumyr")
    assert "· ЖБ" in text or ", ЖБ" in text
    assert "republican" not in text and "local" not in text
    markdown = report(
        capsys, "--view", "activities", "--city", "Tash-Kumyr", "--format", "markdown"
    )
    assert "| РБ" in markdown and "republican" not in markdown
    rows = list(
        csv.DictReader(
            io.StringIO(
                report(capsys, "--view", "activities", "--city", "Tash-Kumyr", "--format", "csv")
            )
        )
    )
    codes = {code for row in rows for code in row["funding_sources"].split("; ") if code}
    assert {"republican", "local"} <= codes  # the dataset's canonical codes


def test_the_funding_view_names_a_source_as_printed(tables: dict[str, object]) -> None:
    view = funding_view(FundingIndex.build(tables), plan_id=TARAZ)  # type: ignore[arg-type]
    names = {r["source"]: r["name"] for r in view.wide("plan").iter_rows(named=True)}
    assert names["republican"] == "РБ республикалық бюджет"
    assert names["oblast"] == "ОБ облыстық бюджет"
    assert names["local"] == "ЖБ жергілікті бюджет"


def test_the_activity_detail_names_sources_as_printed(index: ActivityIndex) -> None:
    page = activities_view(index, plan_id=TASH_KOMUR).rows
    row = next(r for r in page.iter_rows(named=True) if "okb" in r["funding_sources"])
    detail = activity_detail(index, TASH_KOMUR, row["node_id"])
    assert detail is not None
    assert any(name.startswith("ӨКБ") for name in detail["funding_names"])  # type: ignore[union-attr]


def test_source_filters_still_take_codes_and_printed_names(
    capsys: pytest.CaptureFixture[str],
) -> None:
    def count(value: str) -> int:
        out = report(capsys, "--view", "activities", "--format", "csv", "--source", value)
        return len(list(csv.DictReader(io.StringIO(out))))

    assert count("РБ") == count("republican") == count("республикалык бюджет") > 0


# -- abbreviations expanded ---------------------------------------------------------------------


def test_the_shipped_vocabulary_is_data_and_explains_the_undefined_abbreviations() -> None:
    known = shipped().bodies
    for abbreviation in ("ГРС", "МЗ", "Д.М"):
        printed, meanings = known[abbreviation.lower().replace(".", "")]
        assert printed == abbreviation
        assert set(meanings) == {"kk", "ky", "ru"}


def test_a_responsible_cell_shows_its_abbreviations_expanded(index: ActivityIndex) -> None:
    page = activities_view(index, plan_id=KARA_BALTA).page(0, 200)
    shown = "\n".join(page.get_column("responsible").to_list())
    assert "ГРС (Мамлекеттик каттоо кызматы)" in shown  # shipped vocabulary
    assert "Д.М (Ден соолук министрлиги)" in shown
    # The plan's own list (КЫСКАРТУУЛАР) explains "МС жана ММ башкармалыгы" (its МСжММБ).
    assert "МС жана ММ башкармалыгы («Маданият, спорт жана муниципалдык менчик" in shown


def test_the_plan_list_wins_over_the_shipped_vocabulary(tables: dict[str, object]) -> None:
    names = VocabularyNames.build(tables)  # type: ignore[arg-type]
    assert names.expand("ЖКХ", KARA_BALTA) == "ЖКХ (Турак жай-коммуналдык чарба бөлүмү)"
    assert names.expand("ГРС, ГРС", KARA_BALTA).count("Мамлекеттик каттоо кызматы") == 1


def test_the_body_picker_and_view_show_abbreviated_bodies_expanded(index: ActivityIndex) -> None:
    listed = {code: name for code, name, *_ in bodies(index).iter_rows()}
    assert listed["grs"] == "ГРС (Мамлекеттик каттоо кызматы)"
    assert listed["mz"].startswith("МЗ (")
    assert body_view(index, "d-m").name == "Д.М (Ден соолук министрлиги)"


def test_a_body_is_found_by_the_meaning_of_its_abbreviation(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = report(capsys, "--view", "activities", "--format", "csv", "--body", "каттоо кызматы")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and all("ГРС" in row["responsible"] for row in rows)


# -- one body for the spellings of one ----------------------------------------------------------


def test_spellings_of_one_body_share_a_key() -> None:
    keys = {
        spelling_key(name)
        for name in (
            "Бизнес ассоциации",
            "бизнес ассоциациялар",
            "бизнес Ассоциациялары",
            "«Бизнес  ассоциациялар»",
        )
    }
    assert len(keys) == 1
    assert spelling_key("эл аралык уюмдар") != spelling_key("Бей өкмөт уюмдар")


def test_the_picker_lists_one_body_for_its_spellings(index: ActivityIndex) -> None:
    listed = bodies(index)
    business = listed.filter(listed.get_column("name").str.to_lowercase() == "бизнес ассоциации")
    assert business.height == 1
    codes = set(listed.get_column("code").to_list())
    assert "biznes-assotsiatsiyalar" not in codes and "biznes-assotsiatsiyalary" not in codes
    view = body_view(index, str(business.item(0, "code")))
    assert len(view.spellings) == 3  # every printed spelling, shown in the body view
    assert view.activities.height == int(business.item(0, "activities"))


def test_every_spelling_filters_to_the_same_body(capsys: pytest.CaptureFixture[str]) -> None:
    def rows(value: str) -> list[dict[str, str]]:
        out = report(capsys, "--view", "activities", "--format", "csv", "--body", value)
        return list(csv.DictReader(io.StringIO(out)))

    found = [
        rows(v) for v in ("Бизнес ассоциации", "бизнес ассоциациялар", "БИЗНЕС АССОЦИАЦИЯЛАРЫ")
    ]
    assert len(found[0]) == len(found[1]) == len(found[2]) >= 3
    printed = {row["responsible"] for row in found[0]}
    # The document's own text is still what each activity shows.
    assert any("Бизнес ассоциации" in p for p in printed)
    assert any("бизнес ассоциациялар" in p for p in printed)


def test_the_picker_finds_a_body_by_any_of_its_spellings(index: ActivityIndex) -> None:
    from screens.widgets.pickers import PickerScreen

    code = next(c for c, name, *_ in bodies(index).iter_rows() if name == "Бизнес ассоциации")
    also = {code: " ".join(index.names.spellings(code))}
    picker = PickerScreen("bodies", [(code, "Бизнес ассоциации · 4")], also)
    assert len(picker._options("ассоциациялары")) == 1  # printed "бизнес Ассоциациялары"
    assert len(picker._options("нет такого")) == 0


def test_the_activity_detail_shows_the_responsible_cell_expanded(index: ActivityIndex) -> None:
    rows = activities_view(index, plan_id=KARA_BALTA).rows
    row = next(r for r in rows.iter_rows(named=True) if "ГРС" in (r["responsible"] or ""))
    detail = activity_detail(index, KARA_BALTA, row["node_id"])
    assert detail is not None
    assert "ГРС (Мамлекеттик каттоо кызматы)" in str(detail["responsible_shown"])
    assert detail["responsible"] == row["responsible"]  # the printed text is kept


def test_the_screens_tables_keep_the_plans_abbreviations(tables: dict[str, object]) -> None:
    """The screen reads a compact subset of the tables: the plan's own list must be in it, or
    the views expand only what the shipped vocabulary knows."""
    from workbench.analysis.catalog import compact_tables

    compact = compact_tables(tables)  # type: ignore[arg-type]
    assert compact["abbreviations"].height == tables["abbreviations"].height  # type: ignore[attr-defined]
    names = VocabularyNames.build(compact)
    shown = names.expand("Мэрия, ЖРЭСК жана МБ, МС жана ММ башкармалыгы", KARA_BALTA)
    assert "ЖРЭСК жана МБ (Жайыл райондук эмгек" in shown
