"""The generic plan: documents of other cities, in other layouts, that fit no family.

Real fragments (tests/fixtures/real, see its README for where each was published) are checked
against values read by hand from the published page; the variants (tests/fixtures/generic) are
written for these tests: another city, Russian headings, columns in another order, the older
2011-2015 layout, a Kyrgyz council resolution with money, a fragment cut inside a table.
"""

from __future__ import annotations

import html
import subprocess
import sys
from collections import Counter
from pathlib import Path

import polars as pl
import pytest

from workbench.dataset import parquet_folder
from workbench.dataset.validation import validate_folder
from workbench.errors import DocumentError
from workbench.ingest import parse_file, read_source
from workbench.ingest.document import ParsedDocument
from workbench.ingest.generic import read
from workbench.ingest.hints import Hints, load_mapping, parse_period
from workbench.ingest.merge import merge

FIXTURES = Path(__file__).parent / "fixtures"
REAL = FIXTURES / "real"
VARIANTS = FIXTURES / "generic"
SAMPLES = Path(__file__).parent.parent / "data" / "sources"

ZHAMBYL = REAL / "kz_zhambyl_oblast_2011_2015_goal_4_3_5.txt"
HEALTH = REAL / "kz_health_ministry_2014_2018_goal_1_2.txt"
SALAM_ALIK = REAL / "kg_salam_alik_council_2025_work_plan.txt"
ABAI = REAL / "kz_abai_district_2011_2015_communications.txt"


def parse(
    path: Path, *, city: str | None = None, period: str | None = None, family: str | None = None
) -> ParsedDocument:
    hints = Hints(city=city, family=family, period=parse_period(period) if period else None)
    return parse_file(path, hints)


def node(document: ParsedDocument, title_start: str, *, exact: bool = False) -> dict[str, object]:
    title = pl.col("title")
    nodes = document.tables["nodes"].filter(
        title == title_start if exact else title.str.starts_with(title_start)
    )
    assert nodes.height == 1, (title_start, nodes)
    return nodes.row(0, named=True)


def values_of(document: ParsedDocument, node_id: str) -> dict[tuple[int, str], object]:
    frame = document.tables["values"].filter(pl.col("node_id") == node_id)
    return {(row["year"], row["kind"]): row for row in frame.iter_rows(named=True)}


def indicator_of(document: ParsedDocument, node_id: str) -> dict[str, object]:
    return document.tables["indicators"].filter(pl.col("node_id") == node_id).row(0, named=True)


def plan_of(document: ParsedDocument) -> dict[str, object]:
    return document.tables["plans"].row(0, named=True)


def assert_valid(tmp_path: Path, *documents: ParsedDocument) -> None:
    folder = tmp_path / "plans"
    parquet_folder.write(merge(parquet_folder.empty(), documents), folder)
    assert validate_folder(folder) == []


# -- real documents -----------------------------------------------------------------------------


def test_zhambyl_oblast_2011_2015_fragment_reads_with_its_values(tmp_path: Path) -> None:
    # Web-page text of the Zhambyl oblast territorial programme 2011-2015, goal 4.3.5: "баға"
    # column, "1 кезең / 2 кезең" over a row of years, the 1 … 9 column-number row.
    document = parse(ZHAMBYL, city="Жамбыл облысы")
    assert document.family == "generic"
    plan = plan_of(document)
    assert (plan["city"], plan["country"], plan["language"]) == ("Zhambyl Region", "KZ", "kk")
    assert (plan["period_start"], plan["period_end"]) == (2011, 2015)  # the plan years
    assert plan["given_by_hand"] == "city"
    goal = node(document, "Ақпараттық қоғамға")
    assert (goal["kind"], goal["code"]) == ("goal", "4.3.5")
    task = node(document, "Халыққа қызмет көрсету")
    assert (task["kind"], task["code"], task["parent_id"]) == ("task", "4.3.5.1", goal["node_id"])
    # "Мақсатты индикатор" is the cell's label, not the indicator's name
    first = node(document, "ҚР ЖӨӨ құрылымындағы ИКТ")
    assert first["parent_id"] == goal["node_id"]
    assert indicator_of(document, str(first["node_id"]))["unit"] == "%"
    values = values_of(document, str(first["node_id"]))
    assert values[(2010, "estimate")]["value"] == pytest.approx(1.96)
    assert values[(2013, "plan")]["value"] == pytest.approx(1.99)
    assert values[(2015, "plan")]["value"] == pytest.approx(2.0)
    four = node(document, "ХҚКО ИИС арқылы")
    assert four["parent_id"] == task["node_id"] and four["code"] == "4"
    values = values_of(document, str(four["node_id"]))
    assert values[(2010, "estimate")]["value"] == 20
    assert values[(2011, "plan")]["value"] == 70
    # text in a number column is a comment with a warning, never a value
    portal = node(document, "Облыс әкімдігінің порталы")
    text = values_of(document, str(portal["node_id"]))[(2010, "estimate")]
    assert text["value"] is None
    assert text["comment"] == "Электрондық пішімде өтініш беру 22 қызмет көрсету"
    assert any(
        "kept as a comment" in w.message and "column 4" in w.message for w in document.warnings
    )
    # the fragment is cut at "4.3.5.2. мін": read up to there, with a warning at that line
    assert document.count("indicators") == 7
    assert any("cut short" in w.message and w.line == 173 for w in document.warnings)
    assert_valid(tmp_path, document)


def test_abai_district_2011_2015_fragment_with_two_tables(tmp_path: Path) -> None:
    # Web-page text with no blank lines: a note, "Қол жеткізу жолдары" and the next goal stand
    # between the two tables; the second table is cut in its first row.
    document = parse(ABAI, city="Абай ауданы")
    plan = plan_of(document)
    assert (plan["city"], plan["period_start"], plan["period_end"]) == ("Abai District", 2011, 2015)
    goal = node(document, "Байланыс және коммуникация")
    assert goal["kind"] == "goal"
    subscribers = node(document, "Белгіленген Интернет абоненттерінің")
    assert subscribers["parent_id"] == goal["node_id"]
    values = values_of(document, str(subscribers["node_id"]))
    assert values[(2015, "plan")]["value"] == pytest.approx(9.6)
    assert values[(2011, "plan")]["value"] is None and values[(2011, "plan")]["raw"] == "-"
    task = node(document, "Ақпараттық – коммуникациялық")
    assert (task["kind"], task["code"]) == ("task", "1")
    broadband = node(document, "Жоғары жылдамдықты кең жолақты")
    assert broadband["parent_id"] == task["node_id"]
    assert values_of(document, str(broadband["node_id"]))[(2015, "plan")]["value"] == 25
    assert document.count("indicators") == 2
    assert any("cut short" in w.message and w.line == 104 for w in document.warnings)
    assert_valid(tmp_path, document)


def test_health_strategic_plan_fragment_with_the_period_given_by_hand(tmp_path: Path) -> None:
    # Web-page text: "Есепті кезең / Жоспарлы кезең" over 2012 … 2018 and the header printed
    # again after the task heading. The fragment does not name its period: the analyst does.
    document = parse(HEALTH, city="Astana", period="2014-2018")
    plan = plan_of(document)
    assert (plan["period_start"], plan["period_end"]) == (2014, 2018)
    assert plan["given_by_hand"] == "city,period"
    goal = node(document, "Ана мен баланы қорғау")
    assert (goal["kind"], goal["code"]) == ("goal", "1.2")
    mothers = node(document, "Ана өлім-жітімін төмендету")
    indicator = indicator_of(document, str(mothers["node_id"]))
    assert indicator["info_source"] == "ДСӘДМ деректері"
    assert indicator["unit"] == "100 мың тірі туған дарға шаққанда"
    assert indicator["polarity"] == "decrease"
    values = values_of(document, str(mothers["node_id"]))
    assert values[(2012, "fact")]["value"] == pytest.approx(13.5)
    assert values[(2013, "fact")]["value"] == pytest.approx(12.6)
    # the years of the given period are planned, whatever the stage band's width
    assert values[(2014, "plan")]["value"] == pytest.approx(12.4)
    assert values[(2018, "plan")]["value"] == pytest.approx(10.1)
    births = node(document, "Босандыру мекемелерінде")
    assert node(document, "Ана мен бала денсаулығын")["node_id"] == births["parent_id"]
    assert values_of(document, str(births["node_id"]))[(2018, "plan")]["value"] == 80.5
    assert_valid(tmp_path, document)


def test_village_council_work_plan_fragment(tmp_path: Path) -> None:
    # A Kyrgyz village council resolution carrying its work plan; the page is cut mid-row.
    document = parse(SALAM_ALIK)
    plan = plan_of(document)
    assert (plan["city"], plan["country"], plan["language"]) == ("Salam-Alik", "KG", "ky")
    assert (plan["period_start"], plan["period_end"], plan["currency"]) == (2025, 2025, "KGS")
    assert plan["approved"] == "Салам-Алик айылдык кеңешинин, 2025-жылдын 20-январындагы, № 5"
    assert plan["given_by_hand"] is None
    quarter = node(document, "Биринчи квартал")
    assert (quarter["kind"], quarter["code"]) == ("section", "I")
    activity = document.tables["activities"].row(0, named=True)
    assert activity["title"].startswith("Салам-Алик айылдык кеңешинин 2025-жылга карата иш планын")
    assert activity["deadline_raw"] == "Январь"
    assert (str(activity["due_start"]), str(activity["due_end"])) == ("2025-01-01", "2025-01-31")
    assert any("cut short" in w.message for w in document.warnings)
    assert_valid(tmp_path, document)


# -- variants written for these tests -----------------------------------------------------------


def test_another_city_with_indicators_measures_and_money(tmp_path: Path) -> None:
    document = parse(VARIANTS / "kz_shymkent_2021_2023.txt")
    assert document.family == "generic"
    assert document.confidence == 1.0
    plan = plan_of(document)
    assert (plan["city"], plan["kind"], plan["period_start"], plan["period_end"]) == (
        "Shymkent", "programme", 2021, 2023,
    )  # fmt: skip
    assert plan["approved"] == (
        "Шымкент қалалық мәслихатының, 2020 жылғы 24 желтоқсандағы, № 65/512-6"
    )
    direction = node(document, "Экономика")
    assert (direction["kind"], direction["code"]) == ("direction", "1")
    industry = node(document, "Өнеркәсіп өнімінің")
    assert indicator_of(document, str(industry["node_id"]))["responsible"] == "Өнеркәсіп бөлімі"
    values = values_of(document, str(industry["node_id"]))
    assert values[(2020, "fact")]["value"] == pytest.approx(101.2)
    assert values[(2023, "plan")]["value"] == pytest.approx(103.0)
    zone = node(document, "Индустриялық аймақтың")
    assert zone["kind"] == "activity" and node(document, "Индустрияны дамыту")["kind"] == "task"
    activity = document.tables["activities"].filter(pl.col("node_id") == zone["node_id"])
    row = activity.row(0, named=True)
    assert (str(row["due_start"]), str(row["due_end"])) == ("2022-10-01", "2022-12-31")
    assert row["completion_form"] == "Әкімдікке ақпарат"
    assert row["funding_sources"] == ["local"]
    funding = document.tables["funding"]
    own = funding.filter(pl.col("node_id") == zone["node_id"]).row(0, named=True)
    assert (own["amount"], own["source"], own["currency"]) == (150_000_000.0, "local", "KZT")
    totals = funding.filter(pl.col("node_id").is_null())
    assert totals.filter(pl.col("source").is_null())["amount"].to_list() == [230_500_500.0]
    assert totals.filter(pl.col("source") == "republican")["amount"].to_list() == [80_500_500.0]
    assert_valid(tmp_path, document)


def test_columns_in_another_order_read_the_same() -> None:
    first = parse(VARIANTS / "kz_shymkent_2021_2023.txt")
    other = parse(VARIANTS / "kz_shymkent_2021_2023_reordered.txt")
    for table in ("nodes", "indicators", "values", "activities", "funding"):
        left = first.tables[table].drop("plan_id", strict=False)
        right = other.tables[table].drop("plan_id", strict=False)
        if "source_line" in left.columns:
            left, right = left.drop("source_line"), right.drop("source_line")
        keys = [c for c in left.columns if left.schema[c] != pl.List(pl.String)]
        assert left.sort(keys).equals(right.sort(keys)), table


def test_russian_headings_and_kinds(tmp_path: Path) -> None:
    document = parse(VARIANTS / "kz_karaganda_2021_2025_ru.txt")
    plan = plan_of(document)
    assert (plan["city"], plan["country"], plan["language"]) == ("Karaganda", "KZ", "ru")
    assert (plan["period_start"], plan["period_end"]) == (2021, 2025)
    kinds = {row["kind"] for row in document.tables["nodes"].iter_rows(named=True)}
    assert kinds == {"direction", "goal", "task", "indicator"}
    assert node(document, "Обеспечить население")["code"] == "1.1.1"
    water = node(document, "Доля населения")
    values = values_of(document, str(water["node_id"]))
    assert values[(2020, "fact")]["value"] == pytest.approx(92.5)
    assert values[(2021, "estimate")]["value"] == pytest.approx(94.0)
    assert values[(2022, "plan")]["value"] == pytest.approx(96.0)
    accidents = node(document, "Снижение количества ДТП")
    assert indicator_of(document, str(accidents["node_id"]))["polarity"] == "decrease"
    housing = values_of(document, str(node(document, "Ввод жилья")["node_id"]))
    assert housing[(2020, "fact")]["value"] is None
    assert housing[(2020, "fact")]["comment"] == "Данные уточняются"
    assert_valid(tmp_path, document)


def test_older_2011_2015_layout(tmp_path: Path) -> None:
    document = parse(VARIANTS / "kz_pavlodar_2011_2015_old_layout.txt")
    plan = plan_of(document)
    assert (plan["city"], plan["period_start"], plan["period_end"]) == (
        "Pavlodar Region",
        2011,
        2015,
    )
    direction = node(document, "Ақпараттық қоғам", exact=True)
    assert (direction["kind"], direction["code"]) == ("direction", "4.3")
    goal = node(document, "Ақпараттық қоғамға көшу")
    assert goal["parent_id"] == direction["node_id"]
    assert goal["code"] == "4.3.5"
    task = node(document, "Ауылдық жерлерде интернетке")
    assert (task["kind"], task["code"], task["parent_id"]) == ("task", "4.3.5.1", goal["node_id"])
    share = values_of(document, str(node(document, "Мемлекеттік қызметтердің")["node_id"]))
    assert share[(2010, "estimate")]["value"] == 10
    assert share[(2012, "plan")]["value"] == 30
    assert share[(2015, "plan")]["value"] == 60
    villages = values_of(document, str(node(document, "Интернетке қосылған")["node_id"]))
    assert villages[(2010, "estimate")]["comment"] == "баға жоқ"
    assert villages[(2011, "plan")]["value"] == 120
    # the column-number row is skipped, never read as an indicator
    assert document.count("indicators") == 3
    assert_valid(tmp_path, document)


def test_kyrgyz_council_resolution_with_totals(tmp_path: Path) -> None:
    document = parse(VARIANTS / "kg_tokmok_2024_council.txt", family="generic")
    plan = plan_of(document)
    assert (plan["city"], plan["country"], plan["currency"]) == ("Tokmok", "KG", "KGS")
    assert plan["approved"] == "Токмок шаардык кеңешинин, 2024-жылдын 12-мартындагы, № 7"
    assert plan["given_by_hand"] == "family"
    assert document.count("activities") == 2  # the total and its part are money, not measures
    funding = document.tables["funding"]
    assert funding.filter(pl.col("node_id").is_null() & pl.col("source").is_null())[
        "amount"
    ].to_list() == [15_700_000.0]
    assert funding.filter(pl.col("node_id").is_null() & (pl.col("source") == "local"))[
        "amount"
    ].to_list() == [14_100_000.0]
    road = node(document, "Борбордук көчөнү")
    assert node(document, "Шаардын инфраструктурасы")["node_id"] == road["parent_id"]
    assert_valid(tmp_path, document)


def test_fragment_cut_in_the_middle_of_a_table_reads_up_to_the_cut() -> None:
    document = parse(VARIANTS / "kz_shymkent_cut.txt")
    assert document.count("indicators") == 2
    assert document.count("activities") == 2
    cut = [w for w in document.warnings if "cut short" in w.message]
    assert len(cut) == 1 and cut[0].line == 17


def test_nothing_readable_is_refused_in_one_line() -> None:
    with pytest.raises(DocumentError, match="not a plan document: nothing readable"):
        parse(VARIANTS / "not_a_plan.txt")


def test_a_document_without_a_place_asks_for_city() -> None:
    with pytest.raises(DocumentError, match="--city"):
        parse(ZHAMBYL)


# -- the samples keep their families ------------------------------------------------------------


@pytest.mark.parametrize("sample", sorted(SAMPLES.glob("*.txt")), ids=lambda p: p.name[:3])
def test_samples_are_never_read_as_generic(sample: Path) -> None:
    document = parse_file(sample)
    assert document.family != "generic"
    assert document.confidence is not None and document.confidence >= 0.5
    assert plan_of(document)["given_by_hand"] is None


def test_city_and_period_given_by_hand_restate_a_family_document() -> None:
    sample = SAMPLES / "002_3919e70ca7955aea.txt"
    document = parse(sample, city="Кара-Суу", period="2026-2027")
    plan = plan_of(document)
    assert (plan["city"], plan["period_start"], plan["period_end"]) == ("Kara-Suu", 2026, 2027)
    assert plan["given_by_hand"] == "city,period"
    assert document.plan_id == "kara-suu-programme-2026-2027"
    assert set(document.tables["nodes"]["plan_id"].to_list()) == {document.plan_id}


# -- mapping and the command line ---------------------------------------------------------------


def test_mapping_beside_the_document_corrects_a_column(tmp_path: Path) -> None:
    target = tmp_path / "zhambyl.txt"
    target.write_bytes(ZHAMBYL.read_bytes())
    mapping = tmp_path / "zhambyl.txt.mapping.toml"
    mapping.write_text(
        'city = "Жамбыл облысы"\n\n[[tables]]\ntable = 1\ncolumn = 4\nrole = "fact"\nyear = 2010\n',
        encoding="utf-8",
    )
    hints = load_mapping(mapping, Hints())
    document, reading = read(read_source(target), hints)
    first = node(document, "ҚР ЖӨӨ құрылымындағы ИКТ")
    values = values_of(document, str(first["node_id"]))
    assert (2010, "fact") in values and (2010, "estimate") not in values
    assert plan_of(document)["given_by_hand"] == "city,columns"
    assert any("set by hand" in note for note in reading.tables[0].layout.notes)


def test_bad_mapping_is_one_clear_line(tmp_path: Path) -> None:
    mapping = tmp_path / "m.toml"
    mapping.write_text('[[tables]]\ntable = 1\ncolumn = 2\nrole = "colour"\n', encoding="utf-8")
    with pytest.raises(DocumentError, match="unknown role 'colour'"):
        load_mapping(mapping, Hints())


def run_workbench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workbench.cli", *args], capture_output=True, text=True, timeout=120
    )


def test_cli_ingest_prints_confidence_given_fields_and_mapping(tmp_path: Path) -> None:
    target = tmp_path / "zhambyl.txt"
    target.write_bytes(ZHAMBYL.read_bytes())
    (tmp_path / "zhambyl.txt.mapping.toml").write_text(
        '[[tables]]\ntable = 1\ncolumn = 4\nrole = "estimate"\nyear = 2010\n', encoding="utf-8"
    )
    out = tmp_path / "plans"
    result = run_workbench(
        "ingest", str(target), "--city", "Жамбыл облысы", "--period", "2011-2015", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    assert "generic (confidence 0," in result.stdout
    assert "given by hand: city, period, column roles" in result.stdout
    assert "table 1 column 4 → estimate 2010" in result.stdout
    assert validate_folder(out) == []
    plans = pl.read_parquet(out / "plans.parquet")
    assert plans["given_by_hand"].to_list() == ["city,period,columns"]


def test_cli_ingest_says_confidence_and_given_fields_in_the_analysts_language(
    tmp_path: Path,
) -> None:
    target = tmp_path / "zhambyl.txt"
    target.write_bytes(ZHAMBYL.read_bytes())
    (tmp_path / "zhambyl.txt.mapping.toml").write_text(
        '[[tables]]\ntable = 1\ncolumn = 4\nrole = "estimate"\nyear = 2010\n', encoding="utf-8"
    )
    args = ("ingest", str(target), "--city", "Жамбыл облысы", "--period", "2011-2015")
    result = run_workbench("--lang", "ru", *args, "--out", str(tmp_path / "plans"))
    assert result.returncode == 0, result.stderr
    assert "generic (уверенность 0," in result.stdout
    assert "указано вручную: город, период, роли столбцов" in result.stdout
    assert "таблица 1, столбец 4 → estimate 2010" in result.stdout
    assert "given by hand" not in result.stdout and "applied" not in result.stdout


def test_cli_explain_shows_columns_years_and_skipped_rows(tmp_path: Path) -> None:
    out = tmp_path / "plans"
    result = run_workbench(
        "ingest", "--explain", str(HEALTH), "--city", "Astana", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "table 1" in text and "indicators, 2 header rows" in text
    assert "3: info_source «Ақпарат көзі»" in text
    assert "5: 2012 fact" in text
    assert "skipped" in text and "the header again" in text
    assert "years: 2012, 2013, 2014, 2015, 2016, 2017, 2018" in text
    assert not out.exists(), "--explain writes nothing"


def test_cli_explain_speaks_the_language_and_keeps_the_mapping_keys(tmp_path: Path) -> None:
    # Roles are named in the analyst's language with the key the mapping TOML takes beside
    # them; places and skip reasons are translated too (the document's words stay as printed).
    args = ("ingest", "--explain", str(HEALTH), "--city", "Astana", "--out", str(tmp_path / "p"))
    text = run_workbench("--lang", "ru", *args).stdout
    assert "таблица 1 (" in text and "показатели, 2 ряда шапки" in text
    assert "3: источник информации [info_source] «Ақпарат көзі»" in text
    assert "5: факт 2012 [fact 2012]" in text
    assert "повтор шапки" in text and "годы: 2012, 2013" in text
    assert "город Astana: указан вручную" in text
    kk = run_workbench("--lang", "kk", *args).stdout
    assert "1-кесте (" in kk and "[info_source]" in kk and "жылдар: 2012" in kk
    for english in ("header row", "skipped", "years:", "given by hand", "line ", "table "):
        assert english not in text and english not in kk, english


def test_cli_refuses_a_bad_period_in_one_line(tmp_path: Path) -> None:
    result = run_workbench("ingest", str(ZHAMBYL), "--period", "soon", "--out", str(tmp_path / "p"))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "expected a period like 2021-2025" in result.stderr


def test_a_monitoring_report_of_another_city_gets_its_report_year(tmp_path: Path) -> None:
    path = tmp_path / "aktobe.txt"
    path.write_text(
        "Ақтөбе қаласының 2021-2025 жылдарға арналған даму бағдарламасының 2022 жылғы "
        "мониторингі бойынша есеп\n\n"
        "№\tКөрсеткіштер\tӨлшем бірлігі\t2022 жылғы жоспар\t2022 жылғы нақты\n"
        "1\tЖұмыссыздық деңгейі\t%\t4,8\t4,7\n",
        encoding="utf-8",
    )
    document = parse(path)
    plan = plan_of(document)
    assert (plan["city"], plan["kind"], plan["report_year"]) == ("Aktobe", "report", 2022)
    assert document.plan_id == "aktobe-report-2021-2025-r2022"
    values = values_of(document, str(node(document, "Жұмыссыздық")["node_id"]))
    assert values[(2022, "plan")]["value"] == 4.8 and values[(2022, "fact")]["value"] == 4.7
    assert_valid(tmp_path, document)


def test_cli_explain_of_a_family_document_names_the_family() -> None:
    result = run_workbench("ingest", "--explain", str(SAMPLES / "000_a022e4505cac72f3.txt"))
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0]
    assert "read by the monitoring-report family (confidence" in first
    assert "2017 plan" in result.stdout and "2017 fact" in result.stdout


def test_family_kind_forces_the_reader() -> None:
    sample = SAMPLES / "000_a022e4505cac72f3.txt"
    assert parse(sample, family="report").family == "monitoring-report"
    forced = parse(sample, family="generic")
    assert forced.family == "generic"
    assert plan_of(forced)["given_by_hand"] == "family"
    # the generic reading of the Taraz report gives every value its family gives
    family = parse_file(sample)

    def values(document: ParsedDocument) -> set[tuple[object, ...]]:
        joined = document.tables["values"].join(
            document.tables["nodes"].select("node_id", "title"), on="node_id"
        )
        return set(joined.select("title", "year", "kind", "raw").iter_rows())

    assert values(family) <= values(forced)


def test_generic_reading_of_a_development_plan_layout_finds_its_values() -> None:
    # The Zhezkazgan plan's export splits each indicator row in two (text, a blank line, the
    # values); the generic reader joins them and gives the years' kinds from the header.
    sample = SAMPLES / "001_b5c11f052baa7846.txt"
    family, forced = parse_file(sample), parse(sample, family="generic")

    def values(document: ParsedDocument) -> Counter[tuple[object, ...]]:
        return Counter(document.tables["values"].select("year", "kind", "raw").iter_rows())

    found = sum((values(family) & values(forced)).values())
    assert found >= 390, found  # of 410


def test_the_same_plan_as_an_html_page_reads_the_same(tmp_path: Path) -> None:
    # Structured forms reach the generic reader as their form reader's blocks.
    text_form = VARIANTS / "kz_karaganda_2021_2025_ru.txt"
    lines = text_form.read_text(encoding="utf-8").split("\n")
    paragraphs = "".join(
        f"<p>{html.escape(line)}</p>" for line in lines if line and "\t" not in line
    )
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in line.split("\t")) + "</tr>"
        for line in lines
        if "\t" in line
    )
    page = tmp_path / "karaganda.html"
    page.write_text(f"<html><body>{paragraphs}<table>{rows}</table></body></html>", "utf-8")
    from_text, from_html = parse(text_form), parse(page)
    assert from_html.source.form == "html"
    for table in ("nodes", "indicators", "values"):
        left = from_text.tables[table].drop("source_line", strict=False)
        right = from_html.tables[table].drop("source_line", strict=False)
        assert left.equals(right), table
    assert_valid(tmp_path, from_html)


def test_cli_ingest_in_processes_carries_each_files_hints(tmp_path: Path) -> None:
    """With --jobs 2 the documents are read in worker processes: the stated city and period,
    and each file's own mapping, reach them as they do a single process."""
    first, second = tmp_path / "zhambyl.txt", tmp_path / "abai.txt"
    first.write_bytes(ZHAMBYL.read_bytes())
    second.write_bytes(ZHAMBYL.read_bytes())
    (tmp_path / "zhambyl.txt.mapping.toml").write_text(
        '[[tables]]\ntable = 1\ncolumn = 4\nrole = "estimate"\nyear = 2010\n', encoding="utf-8"
    )
    out = tmp_path / "plans"
    result = run_workbench(
        "ingest", str(first), str(second), "--jobs", "2", "--city", "Жамбыл облысы",
        "--period", "2011-2015", "--out", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("given by hand: city, period") == 2
    assert result.stdout.count("table 1 column 4 → estimate 2010") == 1
    assert validate_folder(out) == []


@pytest.mark.parametrize("path", [ZHAMBYL, HEALTH, ABAI, SALAM_ALIK], ids=lambda p: p.stem[:12])
def test_a_document_given_as_bytes_reads_as_from_its_file(path: Path) -> None:
    # Read from stdin or bytes, a document has no file to read again: the generic reader takes
    # the blocks its form's reader made, and reads the same plan as from the file.
    from workbench.ingest import parse_source, source_from_bytes

    hints = {
        ZHAMBYL: Hints(city="Жамбыл облысы"),
        ABAI: Hints(city="Абай ауданы"),
        HEALTH: Hints(city="Astana", period=parse_period("2014-2018")),
    }.get(path)
    from_file = parse_file(path, hints)
    from_bytes = parse_source(source_from_bytes(path.read_bytes(), "-"), hints)
    assert from_bytes.family == from_file.family == "generic"
    for table in ("plans", "nodes", "indicators", "values", "activities"):
        assert (
            from_bytes.tables[table]
            .drop("source_file", strict=False)
            .equals(from_file.tables[table].drop("source_file", strict=False))
        ), table
    assert [w.message for w in from_bytes.warnings] == [w.message for w in from_file.warnings]
