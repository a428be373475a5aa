"""The monitoring report read as a profile over the layout engine: headers in other words.

The report's columns are named by the engine's column roles and its headings by the engine's
numbering, so the sample (000_a022e4505cac72f3.txt, Taraz, 2017) with Russian headings, with
its columns in another order under other header words, or of another city with rows added and
removed reads to what it says. Values below were read off the sample by hand.
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from tests.forms_helpers import docx_bytes
from workbench.ingest import parse_source, read_source, report, source_from_bytes
from workbench.ingest.document import ParsedDocument
from workbench.ingest.sources.text import read_text_export

PATH = Path(__file__).resolve().parent.parent / "data" / "sources" / "000_a022e4505cac72f3.txt"
TEXT = read_source(PATH).text
G111 = "d_1/s3.2.1/g3.2.1.1"
G231 = "d_1/s3.2.3/g3.2.3.1"
G2131 = "d_4/s3.2.13/g3.2.13.1"

_HEADER_KK = (
    "\t№\n\tАтауы\n\tӨлшем бірлігі\n\t2017 жылдың жоспары\n\t2017 жылдың нақты көрсеткіштері\n"
    "\tОрындалуы туралы ақпарат\n"
)
_MONEY_KK = "\tҚаржыландыру көзі\n\t2017 жылға жоспар\n\t2017 жылғы нақты\n\tИгерілмеу себептері\n"


def russian(text: str) -> str:
    """The sample with every heading, header and label in Russian (the rows' texts stay)."""
    assert _HEADER_KK in text and _MONEY_KK in text
    text = text.replace(
        "Тараз қаласын дамытудың  2016-2020 жылдарға арналған\n"
        "бағдарламасының мониторингі бойынша жедел есептілік",
        "Оперативная отчетность по мониторингу Программы развития\nгорода Тараз на 2016-2020 годы",
    )
    text = text.replace("\tЕсепті кезең\n\t2017 ж.", "\tОтчетный период\n\t2017 г.")
    text = text.replace(
        "\tІске асыру кезеңі \n\t2016-2020 жж.", "\tПериод реализации\n\t2016-2020 гг."
    )
    text = text.replace(
        "\tМемлекеттік орган атауы\n\tТараз қаласы әкімдігінің экономика және бюджеттік "
        "жоспарлау бөлімі",
        "\tНаименование государственного органа\n\tОтдел экономики и бюджетного планирования "
        "акимата города Тараз",
    )
    text = text.replace(
        _HEADER_KK,
        "\t№ п/п\n\tНаименование показателя\n\tЕд. изм.\n\tПлан на 2017 год\n"
        "\tФакт за 2017 год\n\tИнформация об исполнении\n",
    )
    text = text.replace(
        _MONEY_KK,
        "\tИсточник финансирования\n\tПлан на 2017 год\n\tФакт за 2017 год\n\tПричины неосвоения\n",
    )
    for kk, ru in (
        ("1. Мақсатқа қол жеткізу", "1. Достижение целей"),
        ("2. Іс-шаралар орындау", "2. Выполнение мероприятий"),
        ("3. Қаржылық қаражаттарды игеру", "3. Освоение финансовых средств"),
        ("4. Талдамалы жазбахат.", "4. Аналитическая записка."),
        ("(мың теңге)", "(тыс. тенге)"),
        ("\tБАРЛЫҒЫ,\nоның ішінде:", "\tВСЕГО,\nв том числе:"),
        ("\tРеспубликалық  бюджет", "\tРеспубликанский бюджет"),
        ("\tҰлттық қор", "\tНациональный фонд"),
        ("\tОблыстық бюджет", "\tОбластной бюджет"),
        ("\tЖергілікті  бюджет", "\tМестный бюджет"),
    ):
        assert kk in text, kk
        text = text.replace(kk, ru)
    text = text.replace("\tБағыт: ", "\tНаправление: ")
    return re.sub(r"^\tМақсат (\d)", r"\tЦель \1", text, flags=re.MULTILINE)


def parse_text(text: str, name: str = "report.txt") -> ParsedDocument:
    return parse_source(source_from_bytes(text.encode("utf-8"), name))


def value(document: ParsedDocument, node: str, kind: str) -> tuple[float | None, str]:
    rows = document.tables["values"].filter(
        (pl.col("node_id") == node) & (pl.col("kind") == kind) & (pl.col("year") == 2017)
    )
    assert rows.height == 1, (node, kind)
    return rows["value"][0], rows["raw"][0]


def structure(document: ParsedDocument) -> list[tuple[str, str | None, str]]:
    return sorted(document.tables["nodes"].select("node_id", "parent_id", "kind").iter_rows())


def plan_funding(document: ParsedDocument) -> dict[tuple[str | None, str], float]:
    rows = document.tables["funding"].filter(pl.col("node_id").is_null())
    return {(r["source"], r["kind"]): r["amount"] for r in rows.iter_rows(named=True)}


def test_russian_headings_read_as_the_kazakh_ones() -> None:
    doc = report.parse(read_source(PATH))
    other = parse_text(russian(TEXT))
    assert other.family == "monitoring-report"
    plan = other.tables["plans"].row(0, named=True)
    assert (plan["city"], plan["city_native"], plan["language"]) == ("Taraz", "Тараз", "ru")
    assert (plan["period_start"], plan["period_end"], plan["report_year"]) == (2016, 2020, 2017)
    assert plan["responsible"].startswith("Отдел экономики")
    assert structure(other) == structure(doc)
    assert value(other, f"{G111}/i1", "plan") == (100.6, "100,6")
    assert value(other, f"{G111}/i1", "fact") == (103.8, "103,8")
    assert value(other, f"{G231}/i2", "fact") == (84.1, "84,1")
    assert other.tables["values"].equals(doc.tables["values"])
    assert other.tables["indicators"].filter(pl.col("node_id") == f"{G2131}/i2")["unit"][0] == (
        "Мың шаршы метр"
    )
    assert plan_funding(other) == {
        (None, "plan"): 33_923_891_300.0,
        (None, "fact"): 33_915_455_600.0,
        ("republican", "plan"): 7_077_884_000.0,
        ("republican", "fact"): 7_077_884_000.0,
        ("national_fund", "plan"): 3_397_860_000.0,
        ("national_fund", "fact"): 3_397_860_000.0,
        ("oblast", "plan"): 3_576_709_000.0,
        ("oblast", "fact"): 3_569_654_300.0,
        ("local", "plan"): 19_871_438_300.0,
        ("local", "fact"): 19_870_057_300.0,
    }
    reason = other.tables["funding"].filter(
        pl.col("node_id").is_null() & pl.col("source").is_null()
    )["comment"][0]
    assert reason.startswith("Игерілмеген қаржы көлемі - 8 435,7 мың теңге")
    assert other.count("activities") == doc.count("activities")
    assert other.warnings == []


def _cells(block: str) -> list[str]:
    cells: list[str] = []
    for line in block.strip("\n").split("\n"):
        if line.startswith("\t") or not cells:
            cells.append(line)
        else:
            cells[-1] += "\n" + line
    return cells


def _reorder(part1: str, order: list[int]) -> str:
    """Part 1 with each row's cells (a blank line ends a row) put in ``order``; a row a page
    break split (five cells, then the execution text alone) is put back whole."""
    rows = [_cells(block) for block in part1.split("\n\n")]
    out: list[str] = []
    index = 0
    while index < len(rows):
        cells = rows[index]
        if len(cells) == 5 and index + 1 < len(rows) and len(rows[index + 1]) == 1:
            cells = [*cells, *rows[index + 1]]
            index += 1
        if len(cells) == 6 and cells[0].startswith("\t"):
            out.append("\n".join(cells[i] for i in order))
        else:
            out.append("\n".join(cells))
        index += 1
    return "\n\n".join(out)


def test_columns_in_another_order_under_other_header_words() -> None:
    # №, name, plan, fact, then the note and the unit last, under the words "Ескерту" (note)
    # and "Өлш. бірл." (unit, abbreviated): the roles, not the places, say which is which
    doc = report.parse(read_source(PATH))
    head, rest = TEXT.split("1. Мақсатқа қол жеткізу\n", 1)
    part1, tail = rest.split("2. Іс-шаралар орындау\n", 1)
    part1 = _reorder(part1, [0, 1, 3, 4, 5, 2])
    part1 = part1.replace("\tОрындалуы туралы ақпарат\n\tӨлшем бірлігі", "\tЕскерту\n\tӨлш. бірл.")
    text = f"{head}1. Мақсатқа қол жеткізу\n{part1}2. Іс-шаралар орындау\n{tail}"
    assert "\t2017 жылдың нақты көрсеткіштері\n\tЕскерту\n\tӨлш. бірл.\n" in text
    other = parse_text(text)
    assert structure(other) == structure(doc)
    assert (
        other.tables["values"].drop("source_line").equals(doc.tables["values"].drop("source_line"))
    )
    units = dict(other.tables["indicators"].select("node_id", "unit").iter_rows())
    assert units[f"{G111}/i1"] == "%" and units[f"{G2131}/i2"] == "Мың шаршы метр"
    assert value(other, f"{G111}/i1", "fact") == (103.8, "103,8")
    comment = other.tables["values"].filter(
        (pl.col("node_id") == f"{G111}/i1") & (pl.col("kind") == "fact")
    )["comment"][0]
    assert comment == "Көрсеткіш орындалды"
    assert other.warnings == []


def test_another_city_with_russian_headings_rows_added_and_removed() -> None:
    text = russian(TEXT).replace("Тараз", "Актобе")
    removed = "\t2\n\tКөтерме сауданың нақты көлем индексі\n"
    start = text.index(removed)
    end = text.index("\n\n", start)
    text = text[:start] + text[end + 2 :]
    anchor = "\tЦель 3.2.3.1: ШОБ субъектілерінің өсуіне жағдай жасау\n\n"
    assert anchor in text
    text = text.replace(
        anchor,
        anchor + "\t3\n\tДоля торговых площадей\n\t%\n\t10,5\n\t9,0\n\tНе выполнено.\n\n",
        1,
    )
    other = parse_text(text, "aktobe.txt")
    plan = other.tables["plans"].row(0, named=True)
    assert plan["plan_id"] == "aktobe-report-2016-2020-r2017"
    assert (plan["city"], plan["city_native"]) == ("Aktobe", "Актобе")
    assert value(other, f"{G231}/i3", "plan") == (10.5, "10,5")
    fact = other.tables["values"].filter(
        (pl.col("node_id") == f"{G231}/i3") & (pl.col("kind") == "fact")
    )
    assert (fact["value"][0], fact["reported_status"][0]) == (9.0, "not_met")
    assert value(other, f"{G231}/i1", "fact") == (103.6, "103,6")
    assert f"{G231}/i2" not in other.tables["nodes"]["node_id"].to_list()
    assert other.count("indicators") == 74
    assert other.warnings == []


def test_russian_headings_read_alike_from_a_word_file() -> None:
    source = source_from_bytes(russian(TEXT).encode("utf-8"), "report.txt")
    expected = parse_source(source)
    blocks = read_text_export(source.lines, path=source.path, sha256=source.sha256)
    got = parse_source(source_from_bytes(docx_bytes(blocks), "report.docx"))
    assert got.family == "monitoring-report"
    for name in ("nodes", "indicators", "values", "activities", "funding"):
        columns = [c for c in expected.tables[name].columns if c != "source_line"]
        assert got.tables[name].select(columns).equals(expected.tables[name].select(columns)), name


SMALL_RU = """Оперативная отчетность по мониторингу Программы развития города Костанай
на 2021-2025 годы

\tОтчетный период
\t2023 г.

\tПериод реализации
\t2021-2025 гг.

1. Достижение целей

\tФакт за 2023 год\tНаименование показателя\t№\tПлан на 2023 год\tЕд. изм.\tПримечание

\tНаправление: Социальная сфера

\t2.1. Образование

\tЦель 2.1.1: Повышение качества образования

\t9\tЧисло школ\t1\t10\tед.\tНе выполнено

\t3,1\tУровень безработицы\t2\t3,5\t%\tВыполнено

2. Выполнение мероприятий

3. Освоение финансовых средств

\tИсточник финансирования\tФакт за 2023 год\tПлан на 2023 год

\tМестный бюджет\t1 200\t1 500

4. Аналитическая записка.
Итоги года.
"""


def test_a_small_russian_report_with_its_own_column_order() -> None:
    small = parse_text(SMALL_RU, "kostanay.txt")
    assert small.family == "monitoring-report"
    plan = small.tables["plans"].row(0, named=True)
    assert plan["plan_id"] == "kostanay-report-2021-2025-r2023"
    assert structure(small) == [
        ("d_1", None, "direction"),
        ("d_1/s2.1", "d_1", "section"),
        ("d_1/s2.1/g2.1.1", "d_1/s2.1", "goal"),
        ("d_1/s2.1/g2.1.1/i1", "d_1/s2.1/g2.1.1", "indicator"),
        ("d_1/s2.1/g2.1.1/i2", "d_1/s2.1/g2.1.1", "indicator"),
    ]
    values = {
        (r["node_id"].rsplit("/", 1)[-1], r["kind"]): (r["value"], r["comment"])
        for r in small.tables["values"].iter_rows(named=True)
    }
    assert values == {
        ("i1", "plan"): (10.0, None),
        ("i1", "fact"): (9.0, "Не выполнено"),
        ("i2", "plan"): (3.5, None),
        ("i2", "fact"): (3.1, "Выполнено"),
    }
    units = dict(small.tables["indicators"].select("node_id", "unit").iter_rows())
    assert units == {"d_1/s2.1/g2.1.1/i1": "ед.", "d_1/s2.1/g2.1.1/i2": "%"}
    # no unit printed over the money table: thousand tenge, as the family's layout has it
    assert plan_funding(small) == {("local", "plan"): 1_500_000.0, ("local", "fact"): 1_200_000.0}
    assert plan["narrative"] == "Итоги года."
    assert small.warnings == []


SMALL_YEARS = """Павлодар қаласын дамытудың 2021-2025 жылдарға арналған
бағдарламасының мониторингі бойынша есеп

\tЕсепті кезең
\t2022 ж.

\tІске асыру кезеңі
\t2021-2025 жж.

1. Мақсатқа қол жеткізу

\t№\tАтауы\tӨлшем бірлігі\t2021 жылдың нақты көрсеткіштері\t2022 жылдың жоспары
\t2022 жылдың нақты көрсеткіштері\t2023 жылдың жоспары\tОрындалуы туралы ақпарат

\t2.1. Білім

\tМақсат 2.1.1: Білім сапасын арттыру

\t1\tМектептер саны\tБір.\t10\t12\t11\t13\tКөрсеткіш орындалмады.

\t2\tЖұмыссыздық деңгейі\t%\t5,1\t4,9\t4,8\t4,7\tОрындалды

2. Іс-шаралар орындау

3. Қаржылық қаражаттарды игеру

\tҚаржыландыру көзі\t2022 жылға жоспар\t2022 жылғы нақты\tИгерілмеу себептері

\tЖергілікті бюджет\t10,5\t10,0\t

4. Талдамалы жазбахат.
Жыл қорытындысы.
"""


def test_a_header_of_several_years_reads_each_year_as_printed() -> None:
    # the previous year's fact and the next year's plan beside the report year's plan and fact
    small = parse_text(SMALL_YEARS, "pavlodar.txt")
    assert small.tables["plans"]["plan_id"][0] == "pavlodar-report-2021-2025-r2022"
    values = {
        (r["node_id"].rsplit("/", 1)[-1], r["year"], r["kind"]): (r["value"], r["reported_status"])
        for r in small.tables["values"].iter_rows(named=True)
    }
    assert values == {
        ("i1", 2021, "fact"): (10.0, None),
        ("i1", 2022, "plan"): (12.0, None),
        ("i1", 2022, "fact"): (11.0, "not_met"),
        ("i1", 2023, "plan"): (13.0, None),
        ("i2", 2021, "fact"): (5.1, None),
        ("i2", 2022, "plan"): (4.9, None),
        ("i2", 2022, "fact"): (4.8, "met"),
        ("i2", 2023, "plan"): (4.7, None),
    }
    assert small.warnings == []
