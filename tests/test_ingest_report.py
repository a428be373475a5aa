"""The monitoring report family (000_a022e4505cac72f3.txt, Taraz, report for 2017).

Counts and values below were read off the document by hand, not from the parser's output.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from workbench.dataset import parquet_folder
from workbench.dataset.polarity import infer_polarity
from workbench.dataset.validation import validate_folder
from workbench.errors import DocumentError
from workbench.ingest import detect_family, merge, read_source, report, source_from_bytes
from workbench.ingest.document import ParsedDocument

SOURCES = Path(__file__).resolve().parent.parent / "data" / "sources"
PATH = SOURCES / "000_a022e4505cac72f3.txt"
RAW = PATH.read_text(encoding="utf-8")  # as shipped (non-breaking spaces in amounts)
TEXT = read_source(PATH).text  # normalized: the variants edit this text
YEAR = 2017

# node ids: direction / section / goal / indicator (code-based, stable)
G111 = "d_1/s3.2.1/g3.2.1.1"
G221 = "d_1/s3.2.2/g3.2.2.1"
G231 = "d_1/s3.2.3/g3.2.3.1"
G241 = "d_1/s3.2.4/g3.2.4.1"
G251 = "d_2/s3.2.5/g3.2.5.1"
G261 = "d_2/s3.2.6/g3.2.6.1"
G262 = "d_2/s3.2.6/g3.2.6.2"
G271 = "d_2/s3.2.7/g3.2.7.1"
G281 = "d_2/s3.2.8/g3.2.8.1"
G291 = "d_2/s3.2.9/g3.2.9.1"
G2101 = "d_2/s3.2.10/g3.2.10.1"
G2111 = "d_3/s3.2.11/g3.2.11.1"
G2112 = "d_3/s3.2.11/g3.2.11.2"
G2121 = "d_4/s3.2.12/g3.2.12.1"
G2131 = "d_4/s3.2.13/g3.2.13.1"
G2141 = "d_4/s3.2.14/g3.2.14.1"
G2151 = "d_4/s3.2.15/g3.2.15.1"
G2161 = "d_5/s3.2.16/g3.2.16.1"
G2171 = "d_6/s3.2.17/g3.2.17.1"


def parse_text(text: str, name: str = "report.txt") -> ParsedDocument:
    return report.parse(source_from_bytes(text.encode("utf-8"), name))


@pytest.fixture(scope="module")
def doc() -> ParsedDocument:
    return report.parse(read_source(PATH))


def values_of(document: ParsedDocument) -> dict[tuple[str, int, str], tuple[float | None, str]]:
    return {
        (r["node_id"], r["year"], r["kind"]): (r["value"], r["raw"])
        for r in document.tables["values"].iter_rows(named=True)
    }


def value_row(document: ParsedDocument, node: str, kind: str) -> dict[str, object]:
    rows = document.tables["values"].filter(
        (pl.col("node_id") == node) & (pl.col("kind") == kind) & (pl.col("year") == YEAR)
    )
    assert rows.height == 1, (node, kind)
    return rows.row(0, named=True)


def node(document: ParsedDocument, node_id: str) -> dict[str, object]:
    rows = document.tables["nodes"].filter(pl.col("node_id") == node_id)
    assert rows.height == 1, node_id
    return rows.row(0, named=True)


def indicator(document: ParsedDocument, node_id: str) -> dict[str, object]:
    rows = document.tables["indicators"].filter(pl.col("node_id") == node_id)
    assert rows.height == 1, node_id
    return rows.row(0, named=True)


def activity(document: ParsedDocument, title_start: str) -> dict[str, object]:
    rows = document.tables["activities"].filter(pl.col("title").str.starts_with(title_start))
    assert rows.height == 1, title_start
    return rows.row(0, named=True)


def descendants(document: ParsedDocument, prefix: str, kind: str) -> int:
    nodes = document.tables["nodes"]
    return nodes.filter(
        pl.col("node_id").str.starts_with(prefix + "/") & (pl.col("kind") == kind)
    ).height


# -- plan metadata ---------------------------------------------------------------------------


def test_plan_metadata(doc: ParsedDocument) -> None:
    plan = doc.tables["plans"].row(0, named=True)
    assert doc.family == "monitoring-report" == report.FAMILY
    assert plan["plan_id"] == "taraz-report-2016-2020-r2017"
    assert plan["city"] == "Taraz"
    assert plan["city_native"] == "Тараз"
    assert plan["country"] == "KZ"
    assert plan["language"] == "kk"
    assert plan["kind"] == "report"
    assert plan["currency"] == "KZT"
    assert (plan["period_start"], plan["period_end"], plan["report_year"]) == (2016, 2020, 2017)
    assert plan["title"] == (
        "Тараз қаласын дамытудың 2016-2020 жылдарға арналған бағдарламасының мониторингі "
        "бойынша жедел есептілік"
    )
    assert plan["responsible"] == (
        "Тараз қаласы әкімдігінің экономика және бюджеттік жоспарлау бөлімі"
    )
    assert plan["approved"] is None
    assert plan["source_file"] == "000_a022e4505cac72f3.txt"


def test_no_warnings_on_the_bundled_document(doc: ParsedDocument) -> None:
    assert doc.warnings == []


def test_dataset_keeps_the_contract(doc: ParsedDocument, tmp_path: Path) -> None:
    parquet_folder.write(merge.from_documents([doc]), tmp_path)
    assert validate_folder(tmp_path) == []


# -- structure and counts ---------------------------------------------------------------------


def test_node_counts_by_kind(doc: ParsedDocument) -> None:
    counts = dict(doc.tables["nodes"].group_by("kind").len().select("kind", "len").iter_rows())
    assert counts == {
        "direction": 6,
        "section": 17,
        "goal": 19,
        "indicator": 74,
        "task": 2,
        "activity": 59,
    }
    assert doc.count("indicators") == 74
    assert doc.count("values") == 148
    assert doc.count("activities") == 59


def test_directions_in_order(doc: ParsedDocument) -> None:
    directions = doc.tables["nodes"].filter(pl.col("kind") == "direction")
    assert directions["title"].to_list() == [
        "Экономика",
        "Әлеуметтік сала",
        "Қоғамдық қауіпсіздік және құқық тәртібі",
        "Инфрақұрылым",
        "Экология және жер ресустары",
        "Мемлекеттік қызметтер",
    ]


def test_sections_and_goals(doc: ParsedDocument) -> None:
    sections = doc.tables["nodes"].filter(pl.col("kind") == "section")
    assert sections["code"].to_list() == [f"3.2.{n}" for n in range(1, 18)]
    assert node(doc, "d_1/s3.2.1")["title"] == "Өнеркәсіп"
    assert node(doc, "d_3/s3.2.11")["title"] == "Қоғамдық қауіпсіздік және құқық тәртібі"
    goals = doc.tables["nodes"].filter(pl.col("kind") == "goal")
    assert goals.height == 19
    assert node(doc, G262)["title"] == (
        "Халықты жұмыспен қамту және азаматтарды қорғау үшін тиімді жүйе құру"
    )
    assert node(doc, G262)["parent_id"] == "d_2/s3.2.6"
    assert node(doc, G2112)["code"] == "3.2.11.2"


# indicators per section, counted in part 1 of the document (numbered rows, sub-rows 3.1 …,
# and the row without a number under 3.2.5)
INDICATORS_PER_SECTION = {
    "d_1/s3.2.1": 10,
    "d_1/s3.2.2": 6,
    "d_1/s3.2.3": 2,
    "d_1/s3.2.4": 2,
    "d_2/s3.2.5": 9,
    "d_2/s3.2.6": 7,
    "d_2/s3.2.7": 5,
    "d_2/s3.2.8": 2,
    "d_2/s3.2.9": 3,
    "d_2/s3.2.10": 3,
    "d_3/s3.2.11": 5,
    "d_4/s3.2.12": 4,
    "d_4/s3.2.13": 2,
    "d_4/s3.2.14": 2,
    "d_4/s3.2.15": 8,
    "d_5/s3.2.16": 3,
    "d_6/s3.2.17": 1,
}

# activities per goal, counted in part 2 of the document
ACTIVITIES_PER_GOAL = {
    G111: 8,
    G221: 6,
    G231: 4,
    G241: 4,
    G251: 4,
    G261: 7,
    G262: 8,
    G271: 5,
    G291: 2,
    G2101: 1,
    G2131: 3,
    G2141: 2,
    G2151: 4,
    G2161: 1,
}


def test_indicators_per_section(doc: ParsedDocument) -> None:
    got = {section: descendants(doc, section, "indicator") for section in INDICATORS_PER_SECTION}
    assert got == INDICATORS_PER_SECTION
    assert descendants(doc, G261, "indicator") == 3
    assert descendants(doc, G262, "indicator") == 4
    assert descendants(doc, G2111, "indicator") == 4
    assert descendants(doc, G2112, "indicator") == 1


def test_activities_per_goal(doc: ParsedDocument) -> None:
    got = {goal: descendants(doc, goal, "activity") for goal in ACTIVITIES_PER_GOAL}
    assert got == ACTIVITIES_PER_GOAL
    for goal in (G281, G2111, G2112, G2121, G2171):
        assert descendants(doc, goal, "activity") == 0


def test_sub_indicators_hang_under_their_numbered_indicator(doc: ParsedDocument) -> None:
    for code in ("3.1", "3.2", "3.3", "3.4", "3.5", "3.6"):
        assert node(doc, f"{G111}/i3/i{code}")["parent_id"] == f"{G111}/i3"
    assert node(doc, f"{G251}/i4/i4.1")["parent_id"] == f"{G251}/i4"
    assert node(doc, f"{G271}/i1/i1.4")["title"] == "мұражайларға"
    assert node(doc, f"{G2151}/i2/i2.2")["title"] == "Су бұрумен жабдықтауға қолжетімділік"
    assert node(doc, f"{G2151}/i3/i3.3")["title"] == "Электрмен жабдықтау"


def test_row_without_a_number(doc: ParsedDocument) -> None:
    rows = doc.tables["nodes"].filter(
        (pl.col("parent_id") == G251) & pl.col("code").is_null() & (pl.col("kind") == "indicator")
    )
    assert rows.height == 1
    row = rows.row(0, named=True)
    assert row["title"] == "Жеке меншік мектепке дейінгі ұйымдардың үлесі"
    assert row["source_line"] == 227
    assert values_of(doc)[(row["node_id"], YEAR, "plan")] == (28.0, "28,0")
    assert values_of(doc)[(row["node_id"], YEAR, "fact")] == (41.4, "41,4")
    # the numbered rows after it keep their codes
    assert (
        doc.tables["nodes"].filter((pl.col("parent_id") == G251) & (pl.col("code") == "5")).height
        == 1
    )


def test_units(doc: ParsedDocument) -> None:
    assert indicator(doc, f"{G111}/i1")["unit"] == "%"
    assert indicator(doc, f"{G221}/i3/i3.1")["unit"] == "Га"
    assert indicator(doc, f"{G251}/i1")["unit"] == "Бір."
    assert indicator(doc, f"{G261}/i3")["unit"] == "Адам"
    assert indicator(doc, f"{G271}/i1")["unit"] == "Мың адам"
    assert indicator(doc, f"{G2131}/i2")["unit"] == "Мың шаршы метр"
    # rows printed with an empty unit cell
    for code in ("1.1", "1.2", "1.3", "1.4"):
        assert indicator(doc, f"{G271}/i1/i{code}")["unit"] is None


# -- part 1 values ---------------------------------------------------------------------------

# (node, kind, value, raw) read off the document by hand, every section of part 1
HAND_PICKED: list[tuple[str, str, float | None, str]] = [
    (f"{G111}/i1", "plan", 100.6, "100,6"),
    (f"{G111}/i1", "fact", 103.8, "103,8"),
    (f"{G111}/i3", "plan", None, "-"),
    (f"{G111}/i3/i3.1", "fact", 145.4, "145,4"),
    (f"{G111}/i3/i3.6", "plan", 101.6, "101,6"),
    (f"{G111}/i4", "fact", 100.1, "100,1"),
    (f"{G221}/i2", "fact", 99.2, "99,2"),
    (f"{G221}/i3/i3.1", "plan", 1400.0, "1400"),
    (f"{G221}/i3/i3.1", "fact", 1856.0, "1856"),
    (f"{G221}/i3/i3.2", "fact", 270.8, "270,8"),
    (f"{G221}/i4", "plan", 100.4, "100,4"),
    (f"{G231}/i1", "plan", 102.0, "102,0"),
    (f"{G231}/i2", "fact", 84.1, "84,1"),
    (f"{G241}/i1", "fact", 115.1, "115,1"),
    (f"{G241}/i2", "plan", 18.0, "18,0"),
    (f"{G251}/i1", "plan", 2.0, "2"),
    (f"{G251}/i4/i4.1", "plan", 8.5, "8,5"),
    (f"{G251}/i4/i4.1", "fact", 18.6, "18,6"),
    (f"{G251}/i5", "plan", 46.0, "46,0"),
    (f"{G251}/i5", "fact", None, "-"),
    (f"{G251}/i7", "fact", 76.2, "76,2"),
    (f"{G261}/i1", "fact", 79.6, "79,6"),
    (f"{G261}/i3", "plan", 68.0, "68"),
    (f"{G262}/i1", "plan", 28.5, "28,5"),
    (f"{G262}/i1", "fact", 25.2, "25,2"),
    (f"{G262}/i2", "fact", 100.0, "100"),
    (f"{G271}/i1", "plan", None, "-"),
    (f"{G271}/i1/i1.1", "plan", 61.8, "61,8"),
    (f"{G271}/i1/i1.1", "fact", 62.8, "62,8"),
    (f"{G271}/i1/i1.4", "fact", 207.7, "207,7"),
    (f"{G281}/i1", "plan", 27.0, "27,0"),
    (f"{G281}/i2", "fact", 12.5, "12,5"),
    (f"{G291}/i1", "plan", 106.9, "106,9"),
    (f"{G291}/i1", "fact", None, "-"),
    (f"{G291}/i3", "plan", 101.9, "101,9"),
    (f"{G2101}/i2", "fact", 18.4, "18,4"),
    (f"{G2101}/i3", "plan", 17.5, "17,5"),
    (f"{G2111}/i1", "plan", 21.5, "21,5"),
    (f"{G2111}/i1", "fact", 20.7, "20,7"),
    (f"{G2111}/i4", "fact", 24.0, "24,0"),
    (f"{G2112}/i1", "plan", 29.5, "29,5"),
    (f"{G2121}/i1", "plan", 12.4, "12,4"),
    (f"{G2121}/i4", "fact", 100.0, "100,0"),
    (f"{G2131}/i1", "fact", 123.4, "123,4"),
    (f"{G2131}/i2", "plan", 152.2, "152,2"),
    (f"{G2141}/i1", "fact", 80.2, "80,2"),
    (f"{G2141}/i2", "plan", None, "-"),
    (f"{G2151}/i1", "plan", 73.0, "73,0"),
    (f"{G2151}/i1", "fact", 63.2, "63,2"),
    (f"{G2151}/i2/i2.1", "fact", 83.5, "83,5"),
    (f"{G2151}/i3/i3.2", "plan", 5.5, "5,5"),
    (f"{G2151}/i3/i3.3", "fact", 10.2, "10,2"),
    (f"{G2161}/i1", "plan", 0.6, "0,6"),
    (f"{G2161}/i2", "fact", 92.0, "92,0"),
    (f"{G2161}/i3", "plan", 100.0, "100"),
    (f"{G2171}/i1", "fact", 81.0, "81,0"),
]


def test_hand_picked_values(doc: ParsedDocument) -> None:
    values = values_of(doc)
    assert len(HAND_PICKED) >= 40
    sections = {node_id.split("/")[1] for node_id, *_ in HAND_PICKED}
    assert len(sections) == 17
    for node_id, kind, value, raw in HAND_PICKED:
        assert values[(node_id, YEAR, kind)] == (value, raw), (node_id, kind)


def test_every_indicator_has_plan_and_fact_for_the_report_year(doc: ParsedDocument) -> None:
    frame = doc.tables["values"]
    assert set(frame["year"].to_list()) == {YEAR}
    assert frame.filter(pl.col("kind") == "plan").height == 74
    assert frame.filter(pl.col("kind") == "fact").height == 74


def test_execution_text_and_reported_status(doc: ParsedDocument) -> None:
    fact = value_row(doc, f"{G111}/i1", "fact")
    assert (fact["comment"], fact["reported_status"]) == ("Көрсеткіш орындалды", "met")
    fact = value_row(doc, f"{G231}/i2", "fact")
    assert fact["reported_status"] == "not_met"
    assert fact["comment"].startswith("Көтерме сауданың нақты көлем индексі 84,1 пайыз")
    assert value_row(doc, f"{G2101}/i2", "fact")["reported_status"] == "met"  # "орындалды"
    assert value_row(doc, f"{G221}/i3/i3.1", "fact")["reported_status"] == "met"
    # texts that claim neither
    fact = value_row(doc, f"{G2141}/i2", "fact")
    assert (fact["comment"], fact["reported_status"]) == ("Тараз қаласы толық қамтылған", None)
    fact = value_row(doc, f"{G291}/i1", "fact")
    assert fact["reported_status"] is None
    assert fact["comment"].startswith("Аталған индикаторлар бойынша 2017 жылдың қорытындысы")
    assert value_row(doc, f"{G111}/i3", "fact")["comment"] is None
    # the plan value carries no claim
    assert value_row(doc, f"{G111}/i1", "plan")["reported_status"] is None
    statuses = doc.tables["values"]["reported_status"].value_counts()
    counts = dict(statuses.iter_rows())
    assert counts.get("not_met") == 1


def test_execution_text_continued_on_lines_without_a_tab(doc: ParsedDocument) -> None:
    fact = value_row(doc, f"{G111}/i4", "fact")
    assert fact["comment"].startswith("«Крафтпис» АҚ-ы мен «Жамбыл-гипсстрой» ЖШС-і")
    assert "Бүгінгі күнге бір ғана цех жұмыс жасап тұр." in fact["comment"]
    assert value_row(doc, f"{G241}/i1", "fact")["comment"].endswith("2016 жылы – 156,1 мың теңге.")
    comment = value_row(doc, f"{G2112}/i1", "fact")["comment"]
    assert comment.startswith("1. 2017 жылы 1 мектеп")
    assert "2. Қала аумағындағы құлақтандыру" in comment
    assert "3. Қала аумағынан өтетін Талас өзенінің" in comment


def test_row_split_by_a_page_break(doc: ParsedDocument) -> None:
    # the execution text of this row comes after a blank line, without a leading tab
    fact = value_row(doc, f"{G2151}/i1", "fact")
    assert fact["raw"] == "63,2"
    assert fact["comment"].startswith("2017 жылы республикалық бюджеттен қаржы бөлінген жоқ.")
    assert descendants(doc, G2151, "indicator") == 8


def test_source_lines(doc: ParsedDocument) -> None:
    assert node(doc, f"{G111}/i1")["source_line"] == 32
    assert value_row(doc, f"{G111}/i1", "plan")["source_line"] == 35
    assert value_row(doc, f"{G111}/i1", "fact")["source_line"] == 36
    assert node(doc, G2151)["source_line"] == 537


# -- polarity on real titles -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("node_id", "polarity"),
    [
        (f"{G2111}/i1", "decrease"),  # street crime share
        (f"{G2111}/i2", "decrease"),  # road deaths per 100 victims: "төмендеуі"
        (f"{G2111}/i3", "decrease"),  # juvenile crime share
        (f"{G2111}/i4", "decrease"),  # repeat crime share
        (f"{G2151}/i1", "decrease"),  # "… үлесін төмендету"
        (f"{G2141}/i2", "decrease"),  # settlements not covered by transport
        (f"{G251}/i1", "decrease"),  # emergency and three-shift schools
        (f"{G111}/i1", "increase"),
        (f"{G281}/i1", "increase"),
        (f"{G2112}/i1", "increase"),
        (f"{G2121}/i3", "increase"),
    ],
)
def test_polarity_of_real_indicators(doc: ParsedDocument, node_id: str, polarity: str) -> None:
    assert indicator(doc, node_id)["polarity"] == polarity


@pytest.mark.parametrize(
    ("title", "polarity"),
    [
        ("Көшелерде жасалған  қылмыстың үлес салмағы", "decrease"),
        ("Кәмелетке толмағандармен жасалған  қылмыстың үлес салмағы", "decrease"),
        ("Жол көлік оқиғасында 100 зардап шеккенге шаққандағы қайтыс болғандар санының "
         "төмендеуі", "decrease"),
        ("Күрделі жөндеуді талап ететін кондоминиум объектілерінің үлесін төмендету", "decrease"),
        ("Жолаушылар көлігімен қамтылмаған елді мекендер үлесі", "decrease"),
        ("Жұмыс істеп тұрған  апатты және үш ауысымды мектептер саны", "decrease"),
        ("Жұмыссыздық деңгейі", "decrease"),
        ("Нәресте өлімі", "decrease"),
        ("Қылмыстарды ашу деңгейі", "increase"),
        ("Азаматтық қорғау органдарының апаттық - құтқару жұмыстарына жарақтандырылуы", "increase"),
        ("Мемлекеттік тілді меңгерген ересек тұрғындар үлесі", "increase"),
        ("Бөлшек сауданың нақты көлем индексі", "increase"),
    ],
)  # fmt: skip
def test_polarity_of_titles(title: str, polarity: str) -> None:
    assert infer_polarity(title) == polarity


# -- part 2: activities ----------------------------------------------------------------------


def test_activity_with_an_amount_in_its_unit_cell(doc: ParsedDocument) -> None:
    row = activity(doc, "Кәсіптік даярлау және қайта даярлауға жолдау")
    assert row["node_id"] == f"{G261}/a_1"
    assert row["funding_raw"] == "233724 мың теңге"  # the amount wraps onto a second line
    assert row["measures"] is None
    assert row["completion_form"] == "есеп"
    assert row["responsible"] == (
        "Тараз қаласы әкімдігінің жұмыспен қамту және әлеуметтік бағдарламалар бөлімі"
    )
    assert row["report"].startswith("Кәсіптік даярлау және қайта даярлауға жолдау- 362096 теңге")
    funding = doc.tables["funding"].filter(pl.col("node_id") == row["node_id"])
    assert funding.select("year", "source", "kind", "amount", "amount_raw").rows() == [
        (YEAR, None, "plan", 233_724_000.0, "233724 мың теңге")
    ]


def test_activity_amounts(doc: ParsedDocument) -> None:
    funding = doc.tables["funding"].filter(
        pl.col("node_id").is_not_null() & pl.col("source").is_null()
    )
    got = dict(funding.select("node_id", "amount").iter_rows())
    assert got == {
        f"{G261}/a_1": 233_724_000.0,
        f"{G261}/a_2": 275_798_000.0,
        f"{G261}/a_3": 28_121_000.0,
        f"{G261}/a_4": 1_122_576_000_000.0,  # printed "1122576 млн. теңге"
        f"{G261}/a_5": 2_106_000_000.0,  # printed "2106 млн. теңге"
        f"{G261}/a_7": 113_651_000_000.0,  # printed "113651 млн. теңге"
    }


def test_amounts_read_from_the_execution_text(doc: ParsedDocument) -> None:
    def rows(node_id: str) -> set[tuple[str, str, float]]:
        frame = doc.tables["funding"].filter(
            (pl.col("node_id") == node_id) & pl.col("source").is_not_null()
        )
        return set(frame.select("source", "kind", "amount").iter_rows())

    # "облыстық бюджеттен 233724 мың теңге бөлінген. … 233362 мың теңге игерілді. …
    #  республикалық бюджет есебінен 515 млн теңге бөлінген. … 231,8 млн теңге игерілді.
    #  … республикалық және жергілікті бюджет есебінен 373852 мың теңге" (two budgets: skipped)
    assert rows(f"{G261}/a_4") == {
        ("oblast", "plan", 233_724_000.0),
        ("oblast", "fact", 233_362_000.0),
        ("republican", "plan", 515_000_000.0),
        ("republican", "fact", 231_800_000.0),
    }
    # "(МБ)- 2106 мың теңге және … (МБ) - 26015 мың теңге толық игерілді"
    assert rows(f"{G261}/a_3") == {("local", "fact", 28_121_000.0)}
    # "РБ-тен бөлінген 1 364,0 млн.теңге бөлініп, толық игерілді. ОБ-тен бөлінген 195,684
    #  млн.теңге игерілді."
    assert rows(f"{G2131}/a_2") == {
        ("republican", "plan", 1_364_000_000.0),
        ("republican", "fact", 1_364_000_000.0),
        ("oblast", "fact", 195_684_000.0),
    }
    # "… 2016 жылы 333,333 млн. теңге игерілді" belongs to another year: not counted
    gas = f"{G2151}/k_2/a_1"
    assert rows(gas) == {
        ("republican", "fact", 175_656_000.0),
        ("oblast", "fact", 14_350_000.0),
    }
    # "оның ішінде …" parts and budgets that are not named are not counted
    assert rows(f"{G251}/a_2") == set()
    activity_row = activity(doc, "Жергілікті өкілеттік органдардың шешімімен")
    assert activity_row["funding_sources"] == ["local"]
    assert rows(activity_row["node_id"]) == {
        ("local", "plan", 174_149_300.0),
        ("local", "fact", 174_149_300.0),
    }


def test_activity_split_by_a_page_break(doc: ParsedDocument) -> None:
    row = activity(doc, "Құрғақ құрылыс қоспаларын")
    assert row["measures"] == "млн. теңге"
    assert row["completion_form"] == "пайдалануға беру актісі"
    assert row["responsible"] == "КИИДБ,Тараз қаласының әкімі, «Alina Taraz Pro» ЖШС"
    assert row["report"] == "2017 жылдың 12 шілдесінде пайдалануға беру актісіне қол қойылды."
    row = activity(doc, "Қала әкімінің Web-сайтын")
    assert (row["measures"], row["completion_form"]) == ("іс-шара", "ҚР ИДМ ақпарат")
    assert row["responsible"] == "Тараз қ. әкімдігінің кәсіпкерлік және өнеркәсіп бөлімі"


def test_activity_fields(doc: ParsedDocument) -> None:
    row = activity(doc, "«Сыбаға» бағдарламасын жүзеге асыру")
    assert (row["measures"], row["completion_form"], row["report"]) == (
        "бас",
        "ақпарат",
        "Қалада жүзеге асырылмайды",
    )
    row = activity(doc, "Кадрларды қайта даярлау және біліктілігін арттыру")
    assert row["report"] is None  # the execution cell is empty
    row = activity(doc, "«Шөлдала» тұрғын алқабына газ құбырын тарту")
    assert row["responsible"] is None  # printed "-"
    row = activity(doc, "Өнеркәсіп өнімі өндірісінің көлемін арттыру")
    assert row["measures"] is None and row["completion_form"] == "ақпарат"
    assert row["report"].startswith("2017 жылдың қаңтар-желтоқсан айларында")
    assert "643,8 мың теңге болып қалыптасты" in row["report"]


def test_sub_group_headings_of_part_2(doc: ParsedDocument) -> None:
    tasks = doc.tables["nodes"].filter(pl.col("kind") == "task")
    assert tasks.select("node_id", "parent_id", "title").rows() == [
        (f"{G2151}/k_1", G2151, "Жылу энергиясымен жабдықтау"),
        (f"{G2151}/k_2", G2151, "Газбен жабдықтау"),
    ]
    assert descendants(doc, f"{G2151}/k_1", "activity") == 1
    assert descendants(doc, f"{G2151}/k_2", "activity") == 2


def test_activities_of_part_2_reuse_the_goals_of_part_1(doc: ParsedDocument) -> None:
    nodes = doc.tables["nodes"]
    assert nodes.filter(pl.col("kind") == "goal")["code"].n_unique() == 19
    activities = nodes.filter(pl.col("kind") == "activity")
    assert activities["source_line"].min() == 676
    assert node(doc, f"{G111}/a_1")["title"] == "Өнеркәсіп өнімі өндірісінің көлемін арттыру"


# -- part 3: money by source -----------------------------------------------------------------


def test_money_by_source(doc: ParsedDocument) -> None:
    funding = doc.tables["funding"].filter(pl.col("node_id").is_null())
    got = {
        (r["source"], r["kind"]): (r["year"], r["amount"], r["amount_raw"], r["currency"])
        for r in funding.iter_rows(named=True)
    }
    assert got == {
        (None, "plan"): (YEAR, 33_923_891_300.0, "33 923 891,3", "KZT"),
        (None, "fact"): (YEAR, 33_915_455_600.0, "33 915 455,6", "KZT"),
        ("republican", "plan"): (YEAR, 7_077_884_000.0, "7 077 884,0", "KZT"),
        ("republican", "fact"): (YEAR, 7_077_884_000.0, "7 077 884,0", "KZT"),
        ("national_fund", "plan"): (YEAR, 3_397_860_000.0, "3 397 860,0", "KZT"),
        ("national_fund", "fact"): (YEAR, 3_397_860_000.0, "3 397 860,0", "KZT"),
        ("oblast", "plan"): (YEAR, 3_576_709_000.0, "3 576 709,0", "KZT"),
        ("oblast", "fact"): (YEAR, 3_569_654_300.0, "3 569 654,3", "KZT"),
        ("local", "plan"): (YEAR, 19_871_438_300.0, "19 871 438,3", "KZT"),
        ("local", "fact"): (YEAR, 19_870_057_300.0, "19 870 057,3", "KZT"),
    }


def test_reasons_for_what_was_not_spent(doc: ParsedDocument) -> None:
    funding = doc.tables["funding"].filter(pl.col("node_id").is_null())
    total = funding.filter(pl.col("source").is_null() & (pl.col("kind") == "fact")).row(
        0, named=True
    )
    assert total["comment"] == (
        "Игерілмеген қаржы көлемі - 8 435,7 мың теңге, оның ішінде: "
        "-облыстық бюджеттен – 7 054,7 мың теңге (конкурстардан үнемделген қаражат) ; "
        "- жергілікті бюджеттен - 1381,0 мың теңге (конкурстардан үнемделген қаражат)."
    )
    assert funding.filter(pl.col("source").is_not_null())["comment"].null_count() == 8


# -- part 4: the analytical note ---------------------------------------------------------------


def test_analytical_note_is_the_narrative(doc: ParsedDocument) -> None:
    narrative = doc.tables["plans"]["narrative"][0]
    assert narrative.startswith("Мақсат 3.2.1.1: Қаланың өнеркәсіптік әлеуетін арттыру\n")
    assert "Мақсат: 3.2.7.1: Халықтың мәдени көпшілік уақытын дамыту үшін жағдай жасау" in (
        narrative
    )
    assert narrative.splitlines()[-1].startswith("2017 жылдың қортындысы мәдени іс-шаралардың")
    assert narrative.endswith("қатысушылардың өскендігін көрсетеді")
    assert "[bookmark" not in narrative
    assert "Сарытай" not in narrative  # the signature is not part of the note
    assert "Талдамалы жазбахат" not in narrative


def test_analytical_note_creates_no_nodes(doc: ParsedDocument) -> None:
    part4 = TEXT.split("\n").index("4. Талдамалы жазбахат.") + 1
    assert part4 == 1237
    assert doc.tables["nodes"]["source_line"].max() < part4
    # a goal heading added to the note changes nothing but the note
    extra = TEXT.replace(
        "4. Талдамалы жазбахат.\n",
        "4. Талдамалы жазбахат.\n\tМақсат 3.2.99.1: Жаңа мақсат\n\t1\n\tЖаңа көрсеткіш\n\t%\n"
        "\t1,0\n\t2,0\n\tОрындалды\n",
    )
    other = parse_text(extra)
    assert other.tables["nodes"].equals(doc.tables["nodes"])
    assert "Мақсат 3.2.99.1: Жаңа мақсат" in other.tables["plans"]["narrative"][0]


# -- detection -------------------------------------------------------------------------------


def test_detection() -> None:
    assert report.detect(read_source(PATH).lines) >= 0.5
    for other in sorted(SOURCES.glob("*")):
        if other.name != PATH.name:
            assert report.detect(read_source(other).lines) < 0.5, other.name
    assert report.detect([]) == 0.0
    assert report.detect(["Кез келген мәтін", "\t1\t2"]) == 0.0


def test_detected_by_the_registry() -> None:
    assert detect_family(read_source(PATH)).FAMILY == "monitoring-report"


# -- variants --------------------------------------------------------------------------------


def block_of(text: str, start_marker: str, end_marker: str) -> tuple[int, int]:
    start = text.index(start_marker)
    end = text.index(end_marker, start + len(start_marker))
    return start, end


def structure(document: ParsedDocument) -> list[tuple[str, str | None, str]]:
    return sorted(document.tables["nodes"].select("node_id", "parent_id", "kind").iter_rows())


def another_city_and_year(text: str) -> str:
    return (
        text.replace("2016-2020", "2018-2022").replace("2017", "2019").replace("Тараз", "Шымкент")
    )


def test_variant_another_city_and_year(doc: ParsedDocument) -> None:
    other = parse_text(another_city_and_year(TEXT))
    plan = other.tables["plans"].row(0, named=True)
    assert (plan["city"], plan["city_native"]) == ("Shymkent", "Шымкент")
    assert (plan["period_start"], plan["period_end"], plan["report_year"]) == (2018, 2022, 2019)
    assert plan["plan_id"] == "shymkent-report-2018-2022-r2019"
    assert plan["responsible"].startswith("Шымкент қаласы әкімдігінің")
    assert structure(other) == structure(doc)
    values = values_of(other)
    assert values[(f"{G111}/i1", 2019, "fact")] == (103.8, "103,8")
    assert set(other.tables["values"]["year"].to_list()) == {2019}
    assert set(other.tables["funding"]["year"].to_list()) == {2019}
    assert other.count("funding") == doc.count("funding")


def test_variant_unknown_city_is_transliterated() -> None:
    other = parse_text(TEXT.replace("Тараз", "Сарыағаш"))
    plan = other.tables["plans"].row(0, named=True)
    assert (plan["city"], plan["city_native"]) == ("Saryagash", "Сарыағаш")


def test_variant_section_moved(doc: ParsedDocument) -> None:
    # part 1: section 3.2.3 moved after 3.2.4
    start, middle = block_of(TEXT, "\t3.2.3. Шағын", "\t3.2.4. Инновациялар")
    _, end = block_of(TEXT, "\t3.2.4. Инновациялар", "\tБағыт: Әлеуметтік сала")
    moved = TEXT[:start] + TEXT[middle:end] + TEXT[start:middle] + TEXT[end:]
    assert moved != TEXT and len(moved) == len(TEXT)
    other = parse_text(moved)
    assert structure(other) == structure(doc)
    assert values_of(other) == values_of(doc)
    sections = other.tables["nodes"].filter(pl.col("kind") == "section")["code"].to_list()
    assert sections[:4] == ["3.2.1", "3.2.2", "3.2.4", "3.2.3"]
    assert other.warnings == []


def test_variant_row_removed(doc: ParsedDocument) -> None:
    row = "\t2\n\tКөтерме сауданың нақты көлем индексі\n"
    start, end = block_of(TEXT, row, "\n\n")
    removed = TEXT[:start] + TEXT[end + 2 :]
    other = parse_text(removed)
    assert other.count("indicators") == 73
    assert descendants(other, G231, "indicator") == 1
    values = values_of(other)
    assert (f"{G231}/i2", YEAR, "fact") not in values
    assert values[(f"{G231}/i1", YEAR, "fact")] == (103.6, "103,6")
    assert values[(f"{G241}/i1", YEAR, "fact")] == (115.1, "115,1")
    assert len(values) == len(values_of(doc)) - 2


def test_variant_row_added(doc: ParsedDocument) -> None:
    anchor = "\tМақсат 3.2.3.1: ШОБ субъектілерінің өсуіне жағдай жасау\n\n"
    added = TEXT.replace(
        anchor,
        anchor + "\t3\n\tСауда алаңдарының үлесі\n\t%\n\t10,5\n\t9,0\n\tКөрсеткіш орындалмады.\n\n",
        1,
    )
    other = parse_text(added)
    assert other.count("indicators") == 75
    fact = value_row(other, f"{G231}/i3", "fact")
    assert (fact["value"], fact["reported_status"]) == (9.0, "not_met")
    assert value_row(other, f"{G231}/i3", "plan")["value"] == 10.5
    assert value_row(other, f"{G231}/i2", "fact")["value"] == 84.1


def test_variant_numbers_changed(doc: ParsedDocument) -> None:
    changed = (
        TEXT.replace("\t100,6\n\t103,8\n", "\t101,6\n\t99,9\n", 1)
        .replace("\t73,0\n\t63,2\n", "\t70,0\n\t65,5\n", 1)
        .replace("\t33 923 891,3\n", "\t34 000 000,5\n", 1)
    )
    other = parse_text(changed)
    values = values_of(other)
    assert values[(f"{G111}/i1", YEAR, "plan")] == (101.6, "101,6")
    assert values[(f"{G111}/i1", YEAR, "fact")] == (99.9, "99,9")
    assert values[(f"{G2151}/i1", YEAR, "fact")] == (65.5, "65,5")
    total = other.tables["funding"].filter(
        pl.col("node_id").is_null() & pl.col("source").is_null() & (pl.col("kind") == "plan")
    )
    assert total["amount"].to_list() == [34_000_000_500.0]
    assert structure(other) == structure(doc)


def test_variant_cells_wrapped_differently(doc: ParsedDocument) -> None:
    text = TEXT
    # one tab-separated line for a whole row
    text = text.replace(
        "\t1\n\tӨнеркәсіп өнімінің нақты индекс көлемі\n\t%\n\t100,6\n\t103,8\n"
        "\tКөрсеткіш орындалды\n",
        "\t1\tӨнеркәсіп өнімінің нақты индекс көлемі\t%\t100,6\t103,8\tКөрсеткіш орындалды\n",
    )
    # a name wrapped onto a line without a tab
    text = text.replace(
        "\tБөлшек сауданың нақты көлем индексі\n", "\tБөлшек сауданың нақты\nкөлем индексі\n"
    )
    # a page break after the unit cell
    text = text.replace("\tХимия өнеркәсібінің нақты көлем индексі\n\t%\n", "\tХимия өнеркәсібінің "
                        "нақты көлем индексі\n\t%\n\n")  # fmt: skip
    # a page break in an activity row, between title and unit
    text = text.replace(
        "\tАқылы қоғамдық жұмыстарды ұйымдастыру\n", "\tАқылы қоғамдық жұмыстарды ұйымдастыру\n\n"
    )
    assert text != TEXT
    other = parse_text(text)
    assert structure(other) == structure(doc)
    assert values_of(other) == values_of(doc)
    assert node(other, f"{G231}/i1")["title"] == "Бөлшек сауданың нақты көлем индексі"
    assert value_row(other, f"{G111}/i1", "fact")["comment"] == "Көрсеткіш орындалды"
    assert activity(other, "Ақылы қоғамдық жұмыстарды ұйымдастыру")["funding_raw"] == (
        "275798 мың теңге"
    )
    assert other.warnings == []


def test_variant_columns_in_another_order(doc: ParsedDocument) -> None:
    # part 1 printed as №, name, plan, fact, unit, information: the header row tells
    head, rest = TEXT.split("1. Мақсатқа қол жеткізу\n", 1)
    part1, tail = rest.split("2. Іс-шаралар орындау\n", 1)
    blocks = part1.split("\n\n")
    order = [0, 1, 3, 4, 2, 5]
    for index, block in enumerate(blocks):
        cells: list[str] = []
        for line in block.strip("\n").split("\n"):
            if line.startswith("\t") or not cells:
                cells.append(line)
            else:
                cells[-1] += "\n" + line
        if len(cells) in (5, 6) and cells[0].startswith("\t"):
            blocks[index] = "\n".join(cells[i] for i in order if i < len(cells))
    text = head + "1. Мақсатқа қол жеткізу\n" + "\n\n".join(blocks) + "2. Іс-шаралар орындау\n"
    text += tail
    assert "\tАтауы\n\t2017 жылдың жоспары\n" in text
    other = parse_text(text)
    assert structure(other) == structure(doc)
    assert values_of(other) == values_of(doc)
    assert indicator(other, f"{G2131}/i2")["unit"] == "Мың шаршы метр"
    assert value_row(other, f"{G2151}/i1", "fact")["comment"].startswith("2017 жылы республикалық")


def test_variant_row_without_a_number_cell(doc: ParsedDocument) -> None:
    # the № cell of the first row is missing altogether (five cells, the name first)
    text = TEXT.replace("\t1\n\tӨнеркәсіп өнімінің нақты индекс көлемі\n", "\tӨнеркәсіп өнімінің "
                        "нақты индекс көлемі\n", 1)  # fmt: skip
    other = parse_text(text)
    first = other.tables["nodes"].filter(pl.col("parent_id") == G111).row(0, named=True)
    assert (first["code"], first["title"]) == (None, "Өнеркәсіп өнімінің нақты индекс көлемі")
    assert value_row(other, first["node_id"], "fact")["value"] == 103.8
    assert indicator(other, first["node_id"])["unit"] == "%"
    assert other.count("indicators") == 74


SMALL = """Қызылорда қаласын дамытудың 2021-2025 жылдарға арналған
бағдарламасының мониторингі бойынша есеп

\tЕсепті кезең
\t2022 ж.

\tІске асыру кезеңі
\t2021-2025 жж.

\tМемлекеттік орган атауы
\tҚызылорда қаласы әкімдігінің экономика бөлімі

1. Мақсатқа қол жеткізу

\t№\tАтауы\tӨлшем бірлігі
\t2022 жылдың жоспары\t2022 жылдың нақты көрсеткіштері\tОрындалуы туралы ақпарат

\t2.1. Білім

\tМақсат 2.1.1: Білім сапасын арттыру

\t1\tМектептер саны\tБір.\t12\t11\tКөрсеткіш орындалмады.

\t2\tЖұмыссыздық деңгейі\t%\t4,9\t4,8\tОрындалды

2. Іс-шаралар орындау

\tМақсат 2.1.1: Білім сапасын арттыру

\t\tМектеп салу\t1 500 мың теңге\tакт\tБілім бөлімі
\tЖергілікті бюджеттен 1 500 мың теңге бөлініп, толық игерілді.

3. Қаржылық қаражаттарды игеру

(млн теңге)
\tҚаржыландыру көзі\t2022 жылға жоспар\t2022 жылғы нақты\tИгерілмеу себептері

\tБарлығы\t10,5\t10,0\tҮнемделді

\tЖергілікті бюджет\t10,5\t10,0\t

4. Талдамалы жазбахат.
Жыл қорытындысы жақсы.
"""


def test_a_small_document_of_another_city() -> None:
    small = parse_text(SMALL, "small.txt")
    assert report.detect(small.source.lines) >= 0.5
    plan = small.tables["plans"].row(0, named=True)
    assert plan["plan_id"] == "kyzylorda-report-2021-2025-r2022"
    assert plan["responsible"] == "Қызылорда қаласы әкімдігінің экономика бөлімі"
    assert plan["narrative"] == "Жыл қорытындысы жақсы."
    assert structure(small) == [
        ("s2.1", None, "section"),
        ("s2.1/g2.1.1", "s2.1", "goal"),
        ("s2.1/g2.1.1/a_1", "s2.1/g2.1.1", "activity"),
        ("s2.1/g2.1.1/i1", "s2.1/g2.1.1", "indicator"),
        ("s2.1/g2.1.1/i2", "s2.1/g2.1.1", "indicator"),
    ]
    assert values_of(small) == {
        ("s2.1/g2.1.1/i1", 2022, "plan"): (12.0, "12"),
        ("s2.1/g2.1.1/i1", 2022, "fact"): (11.0, "11"),
        ("s2.1/g2.1.1/i2", 2022, "plan"): (4.9, "4,9"),
        ("s2.1/g2.1.1/i2", 2022, "fact"): (4.8, "4,8"),
    }
    assert value_row_of(small, "s2.1/g2.1.1/i1", "fact")["reported_status"] == "not_met"
    assert indicator(small, "s2.1/g2.1.1/i2")["polarity"] == "decrease"
    funding = {
        (r["node_id"], r["source"], r["kind"]): r["amount"]
        for r in small.tables["funding"].iter_rows(named=True)
    }
    assert funding == {
        ("s2.1/g2.1.1/a_1", None, "plan"): 1_500_000.0,
        ("s2.1/g2.1.1/a_1", "local", "plan"): 1_500_000.0,
        ("s2.1/g2.1.1/a_1", "local", "fact"): 1_500_000.0,
        (None, None, "plan"): 10_500_000.0,
        (None, None, "fact"): 10_000_000.0,
        (None, "local", "plan"): 10_500_000.0,
        (None, "local", "fact"): 10_000_000.0,
    }
    assert small.warnings == []


def value_row_of(document: ParsedDocument, node_id: str, kind: str) -> dict[str, object]:
    rows = document.tables["values"].filter(
        (pl.col("node_id") == node_id) & (pl.col("kind") == kind)
    )
    assert rows.height == 1
    return rows.row(0, named=True)


def same_tables(a: ParsedDocument, b: ParsedDocument) -> None:
    for table in ("nodes", "indicators", "values", "activities", "funding"):
        assert a.tables[table].equals(b.tables[table]), table
    assert a.tables["plans"].drop("source_sha256").equals(b.tables["plans"].drop("source_sha256"))


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda t: t.replace("\n", "\r\n").encode("utf-8"), id="crlf"),
        pytest.param(lambda t: t.encode("utf-16"), id="utf-16-bom"),
        pytest.param(lambda t: t.encode("kz1048"), id="kz1048"),
        pytest.param(lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"), id="utf-8-bom"),
    ],
)
def test_variant_encodings(doc: ParsedDocument, encode: object) -> None:
    assert callable(encode)
    data = encode(RAW)
    assert isinstance(data, bytes)
    source = source_from_bytes(data, "000_a022e4505cac72f3.txt")
    assert report.detect(source.lines) >= 0.5
    other = report.parse(source)
    same_tables(other, doc)
    assert other.warnings == []


def test_variant_kz1048_another_city(doc: ParsedDocument) -> None:
    data = another_city_and_year(TEXT).replace("Шымкент", "Өскемен").encode("kz1048")
    other = report.parse(source_from_bytes(data, "x.txt"))
    assert other.tables["plans"]["city"][0] == "Oskemen"
    assert structure(other) == structure(doc)


# -- cut off and broken documents --------------------------------------------------------------


def cut_after(text: str, marker: str) -> str:
    return text[: text.index(marker) + len(marker)]


def test_cut_off_in_the_middle_of_part_1() -> None:
    text = cut_after(TEXT, "\t3.2\n\tЖеңіл өнеркәсібінің нақты көлем индексі\n\t%\n")
    last = text.count("\n")  # the line of "%"
    other = parse_text(text)
    lines = [w.line for w in other.warnings]
    assert last in lines
    assert any("cut off" in w.message for w in other.warnings)
    assert any(f"line {last}" in w.message for w in other.warnings)
    # what was read is kept
    assert other.count("indicators") == 5
    values = values_of(other)
    assert values[(f"{G111}/i3/i3.1", YEAR, "fact")] == (145.4, "145,4")
    assert (f"{G111}/i3/i3.2", YEAR, "plan") not in values
    assert indicator(other, f"{G111}/i3/i3.2")["unit"] == "%"
    assert other.count("activities") == 0
    assert other.count("funding") == 0
    assert other.tables["plans"]["narrative"][0] is None


def test_cut_off_in_part_2() -> None:
    text = cut_after(TEXT, "\tАқылы қоғамдық жұмыстарды ұйымдастыру\n\t275798 мың теңге\n")
    last = text.count("\n")
    other = parse_text(text)
    assert {w.line for w in other.warnings} == {last}
    assert any("part(s) 3, 4 not found" in w.message for w in other.warnings)
    assert other.count("indicators") == 74
    assert activity(other, "Ақылы қоғамдық жұмыстарды")["funding_raw"] == "275798 мың теңге"


def test_cut_off_in_part_3() -> None:
    text = cut_after(TEXT, "\tҰлттық қор\n\t3 397 860,0\n")
    last = text.count("\n")
    other = parse_text(text)
    assert last in {w.line for w in other.warnings}
    funding = other.tables["funding"].filter(pl.col("node_id").is_null())
    assert funding.filter(pl.col("source") == "national_fund")["kind"].to_list() == ["plan"]
    assert other.count("activities") == 59


def test_document_without_period_is_an_error() -> None:
    text = TEXT.replace("2016-2020", "")
    with pytest.raises(DocumentError, match="period"):
        parse_text(text)


def test_document_without_indicator_rows_is_an_error() -> None:
    start = TEXT.index("1. Мақсатқа қол жеткізу")
    end = TEXT.index("2. Іс-шаралар орындау")
    with pytest.raises(DocumentError, match="indicator rows"):
        parse_text(TEXT[:start] + TEXT[end:])


def test_same_document_gives_the_same_ids(doc: ParsedDocument) -> None:
    again = report.parse(read_source(PATH))
    same_tables(again, doc)
