"""The council programme family: Kara-Balta's 2023-2026 programme (004) and variants of it.

Every expected value below was read from the document text by hand (line numbers are those of
``data/sources/004_cf3c10cfbd63a6c4.txt``), not copied from the parser's output.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from workbench.errors import DocumentError
from workbench.ingest import council, detect_family, families, read_source, source_from_bytes
from workbench.ingest.deadlines import parse_deadline
from workbench.ingest.document import ParsedDocument

SOURCES = Path(__file__).resolve().parent.parent / "data" / "sources"
NAME = "004_cf3c10cfbd63a6c4.txt"
OTHERS = [
    "000_a022e4505cac72f3.txt",
    "001_b5c11f052baa7846.txt",
    "002_3919e70ca7955aea.txt",
    "003_a649211321f9a7a4.txt",
]
PERIOD = (date(2023, 1, 1), date(2026, 12, 31))
Y2023 = (date(2023, 1, 1), date(2023, 12, 31))


# -- helpers ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def text() -> str:
    return read_source(SOURCES / NAME).text


@pytest.fixture(scope="module")
def doc() -> ParsedDocument:
    return council.parse(read_source(SOURCES / NAME))


def parse_text(text: str, encoding: str = "utf-8", name: str = "variant.txt") -> ParsedDocument:
    """Parse a variant, checking first that it is still detected as this family."""
    source = source_from_bytes(text.encode(encoding), name)
    assert detect_family(source) is council
    return council.parse(source)


def lines_of(text: str) -> list[str]:
    return text.split("\n")


def set_line(lines: list[str], number: int, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` in line ``number`` (1-based), checking it is there."""
    assert old in lines[number - 1], (number, old, lines[number - 1][:80])
    lines[number - 1] = lines[number - 1].replace(old, new)


def nodes(doc: ParsedDocument) -> dict[str, dict[str, Any]]:
    return {row["node_id"]: row for row in doc.tables["nodes"].iter_rows(named=True)}


def ancestors(doc: ParsedDocument, node_id: str) -> list[dict[str, Any]]:
    table = nodes(doc)
    chain = []
    parent = table[node_id]["parent_id"]
    while parent is not None:
        chain.append(table[parent])
        parent = table[parent]["parent_id"]
    return chain


def in_annual(doc: ParsedDocument, node_id: str) -> bool:
    chain = ancestors(doc, node_id)
    return bool(chain) and chain[-1]["kind"] == "section" and chain[-1]["code"] == "2023"


def section_code(doc: ParsedDocument, node_id: str) -> str | None:
    """The code of the nearest section (or direction) above a node."""
    for node in ancestors(doc, node_id):
        if node["kind"] in ("section", "direction") and node["code"] != "2023":
            return str(node["code"])
    return None


def task_code(doc: ParsedDocument, node_id: str) -> str | None:
    parent = ancestors(doc, node_id)[0]
    return str(parent["code"]) if parent["kind"] == "task" else None


def activity(
    doc: ParsedDocument, start: str, *, annual: bool = False, section: str | None = None
) -> dict[str, Any]:
    found = [
        row
        for row in doc.tables["activities"].iter_rows(named=True)
        if row["title"].startswith(start)
        and in_annual(doc, row["node_id"]) == annual
        and (section is None or section_code(doc, row["node_id"]) == section)
    ]
    assert len(found) == 1, (start, annual, len(found))
    return found[0]


def indicator(doc: ParsedDocument, start: str) -> dict[str, Any]:
    table = nodes(doc)
    found = [
        row
        for row in doc.tables["indicators"].iter_rows(named=True)
        if table[row["node_id"]]["title"].startswith(start)
    ]
    assert len(found) == 1, (start, len(found))
    return {**found[0], "node": table[found[0]["node_id"]]}


def values_of(doc: ParsedDocument, node_id: str) -> list[tuple[int, str, str, float | None]]:
    frame = doc.tables["values"].filter(pl.col("node_id") == node_id)
    return sorted(
        (row["year"], row["kind"], row["raw"], row["value"]) for row in frame.iter_rows(named=True)
    )


def descendants(doc: ParsedDocument, node_id: str) -> list[dict[str, Any]]:
    table = nodes(doc)
    return [row for nid, row in table.items() if nid.startswith(node_id + "/")]


# -- plan metadata ----------------------------------------------------------------------------


def test_plan_metadata(doc: ParsedDocument) -> None:
    plan = doc.tables["plans"].row(0, named=True)
    assert doc.family == "council-programme"
    assert plan["plan_id"] == "kara-balta-programme-2023-2026"
    assert plan["city"] == "Kara-Balta"
    assert plan["city_native"] == "Кара-Балта"
    assert (plan["country"], plan["language"], plan["currency"]) == ("KG", "ky", "KGS")
    assert plan["kind"] == "programme"
    assert (plan["period_start"], plan["period_end"], plan["report_year"]) == (2023, 2026, None)
    # line 7: the subject of the resolution
    assert plan["title"] == (
        "Кара-Балта шаарын 2023-2026-жылдарга карата социалдык-экономикалык өнүктүрүү программасы"
    )
    # line 1 (date and number) and line 11 (the council whose session adopted it)
    assert plan["approved"] == (
        "Кара-Балта шаардык кеңешинин 2023-жылдын 16-февралындагы №05 токтому"
    )
    # line 32: the title page names the mayoralty that wrote the programme
    assert plan["responsible"] == "Кара-Балта шаарынын мэриясы"
    assert plan["source_file"] == NAME


def test_narrative_keeps_vision_and_strategic_goal_only(doc: ParsedDocument) -> None:
    narrative = doc.tables["plans"]["narrative"][0]
    assert narrative.startswith("«Келечектин жашыл, сарамжалдуу шаары»")
    assert "КӨРҮНҮШ\nКара-Балта шаары социалдык, экономикалык, экологиялык жактан" in narrative
    assert "СТРАТЕГИЯЛЫК МАКСАТ\nЖогорудагы Көз карашка жетишүү" in narrative
    assert narrative.endswith("инклюзивдүү өнүктүрүү үчүн жагымдуу шарттарды түзүү.")
    assert "SWOT" not in narrative and "Джунда" not in narrative  # the analysis stays out
    assert len(narrative) < 1500


def test_no_funding_and_only_the_expected_warnings(doc: ParsedDocument) -> None:
    assert doc.count("funding") == 0 and doc.count("grants") == 0
    assert [w.line for w in doc.warnings] == [1234, 1275]
    assert "all '2,5 км'" in doc.warnings[0].message
    assert "4 numeric cells" in doc.warnings[1].message


# -- directions and sections ------------------------------------------------------------------

DIRECTIONS = [
    ("1", "Социалдык өнүгүү үчүн шарттарды түзүү", 808),
    ("2", "Бизнести өнүктүрүү жана инвестицияларды тартуу үчүн жагымдуу шарттарды түзүү", 842),
    ("3", "Климаттын өзгөрүшүнө адаптациялоо, таза суу менен камсыз кылуу", 871),
    ("4", "Шаарды башкаруунун заманбап системасын калыптандыруу", 897),
]

# Section code, title, tasks, measures (activities) in the programme's action plan.
SECTIONS = [
    ("1.1", "Билим", 2, 7),
    ("1.2", "Саламаттык сактоо", 2, 7),
    ("1.3", "Спорт, физкультура, маданият, эс алуу жана элдик чыгармачылык", 2, 11),
    ("2.1", "Ишкердикти өнүктүрүү", 2, 8),
    ("2.2", "Туризмди өнүктүрүү", 1, 8),
    ("3.1", "Шаардын инфраструктурасын өнүктүрүү боюнча ченемдик-укуктук иштер", 3, 3),
    ("3.2", "Жол инфраструктурасын өнүктүрүү", 2, 7),
    ("3.3", "Ирригация жана жашылдандыруу", 4, 7),
    ("3.4", "Суу менен камсыздоо жана суу бөлүштүрүү", 3, 3),
    (
        "3.5",
        "Энергия менен камсыз кылуу жана Кайра жаралуучу энергия булактарын ишке киргизүү",
        1,
        3,
    ),
    ("3.6", "Экологиялык коопсуздукту камсыз кылуу", 6, 12),
    ("4.1", "Шаарды башкаруу системасынын потенциалын жогорулатуу", 1, 4),
    ("4.2", "Маалыматтык технологияларды өнүктүрүү", 1, 2),
    ("4.3", "Тышкы өнөктөштөр менен өз ара аракеттенүү", 1, 3),
    ("4.4", "Бюджет саясаты", 1, 1),
]

# The same for the 2023 implementation plan.
ANNUAL_SECTIONS = [
    ("1.1", "Билим берүү", 2, 5),
    ("1.2", "Саламаттыкты сактоо", 2, 6),
    ("1.3", "Спорт, дене-тарбия, маданият, эс алуу жана элдик көркөм чыгармачылык", 2, 11),
    ("2.1", "Ишкерчиликти өнүктүрүү", 2, 6),
    ("2.2", "Туризм чөйрөсүн өнүктүрүү", 1, 7),
    ("3.1", "Шаардын инфраструктурасын өнүктүрүү боюнча укук ченемдик- иштер", 2, 2),
    ("3.2", "Жол инфраструктурасын өнүктүрүү", 2, 6),
    ("3.3", "Ирригация жана жашылдандыруу", 4, 7),
    ("3.4", "Суу менен камсыздоо жана суу бөлүштүрүү", 2, 2),
    ("3.5", "Энергия менен камсыз кылуу жана Кайра жаралуучу энергия булактарын киргизүү", 1, 3),
    ("3.6", "Экологиялык коопсуздукту камсыз кылуу", 4, 8),
    ("4.1", "Шаарды башкаруу системасынын потенциалын жогорулатуу", 1, 3),
    ("4.2", "Маалыматтык технологияларды өнүктүрүү", 1, 2),
    ("4.3", "Тышкы өнөктөштөр менен өз ара аракеттенүү", 1, 1),
    ("4.4", "Бюджет саясаты", 1, 1),
]


def test_directions_from_the_priorities(doc: ParsedDocument) -> None:
    directions = doc.tables["nodes"].filter(pl.col("kind") == "direction")
    assert directions["code"].to_list() == ["1", "2", "3", "4"]
    for (code, title, line), row in zip(DIRECTIONS, directions.iter_rows(named=True), strict=True):
        assert row["code"] == code and row["parent_id"] is None
        assert row["title"].startswith(title)
        assert row["source_line"] == line


def _sections(doc: ParsedDocument, annual: bool) -> list[dict[str, Any]]:
    return [
        row
        for row in doc.tables["nodes"].iter_rows(named=True)
        if row["kind"] == "section"
        and row["code"] is not None
        and "." in row["code"]
        and in_annual(doc, row["node_id"]) == annual
    ]


@pytest.mark.parametrize(("annual", "expected"), [(False, SECTIONS), (True, ANNUAL_SECTIONS)])
def test_sections_tasks_and_measures_per_section(
    doc: ParsedDocument, annual: bool, expected: list[tuple[str, str, int, int]]
) -> None:
    sections = _sections(doc, annual)
    assert [s["code"] for s in sections] == [code for code, *_ in expected]
    for (code, title, tasks, measures), section in zip(expected, sections, strict=True):
        assert section["title"] == title, code
        below = descendants(doc, section["node_id"])
        assert sum(n["kind"] == "task" for n in below) == tasks, code
        assert sum(n["kind"] == "activity" for n in below) == measures, code
        # a section hangs under the direction (or the annual plan's section) of its number
        parent = nodes(doc)[section["parent_id"]]
        assert parent["code"] == code.split(".")[0]
        assert parent["kind"] == ("section" if annual else "direction")


def test_node_and_row_counts(doc: ParsedDocument) -> None:
    kinds = doc.tables["nodes"].group_by("kind").len().sort("kind")
    counts = dict(zip(kinds["kind"].cast(pl.String), kinds["len"], strict=True))
    # 4 directions; sections: 15 + matrix none of its own + key figures 1 + annual 1 + 4 + 15
    assert counts == {
        "direction": 4,
        "section": 36,
        "task": 32 + 28,
        "activity": 87 + 71,
        "goal": 5,
        "indicator": 7 + 3,
    }
    assert doc.count("activities") == 158
    assert doc.count("indicators") == 10
    assert doc.count("values") == 50
    assert doc.count("abbreviations") == 48


def test_measures_on_direction_headings(doc: ParsedDocument) -> None:
    # line 1001: the heading "2. Бизнести …" carries a Russian measure row on its line
    row = activity(doc, "Создание Совета по развитию бизнеса")
    assert section_code(doc, row["node_id"]) == "2"
    assert ancestors(doc, row["node_id"])[0]["kind"] == "direction"
    assert row["deadline_raw"] == "2023 г."
    assert row["expected_result"] == (
        "Создание новых рабочих мест, улучшение социально- экономического состояния города"
    )
    # line 1398, the same in the 2023 plan
    annual = activity(doc, "Создание Совета по развитию бизнеса", annual=True)
    assert ancestors(doc, annual["node_id"])[0]["code"] == "2"


def test_the_annual_plan_has_its_own_node(doc: ParsedDocument) -> None:
    roots = doc.tables["nodes"].filter(pl.col("parent_id").is_null())
    annual = roots.filter(pl.col("code") == "2023").row(0, named=True)
    assert annual["kind"] == "section"
    assert annual["title"].startswith("Кара-Балта шаарынын 2023-жылга социалдык-экономикалык")
    assert annual["title"].endswith("иш-аракеттердин Мерчеми")
    assert annual["source_line"] == 1335
    below = descendants(doc, annual["node_id"])
    # its direction headings are sections; the last one is printed "1." (line 1518) but holds 4.x
    heads = [n for n in below if n["parent_id"] == annual["node_id"]]
    assert [n["code"] for n in heads] == ["1", "2", "3", "4"]
    assert heads[3]["title"] == "Шаарды башкаруунун заманбап системасын калыптандыруу"
    # every activity of the 2023 plan is due within 2023, except one printed 2023-2026 (line 1500)
    annual_ids = {n["node_id"] for n in below if n["kind"] == "activity"}
    acts = doc.tables["activities"].filter(pl.col("node_id").is_in(list(annual_ids)))
    assert acts.height == 71
    outside = acts.filter(pl.col("due_end") != date(2023, 12, 31))
    assert outside["deadline_raw"].to_list() == ["2023-2026-жж."]
    assert acts.filter(pl.col("due_start") != date(2023, 1, 1)).height == 0


# -- tasks -----------------------------------------------------------------------------------

TASKS = [
    # section, code, title as printed before its first measure, line
    ("1.1", "1", "Билим берүү кызматтарынын сапатын жана жеткиликтүүлүгүн жогорулатуу", 959),
    ("1.1", "2", "Инклюзивдик билим берүүнү өнүктүрүү", 963),
    (
        "1.2",
        "1",
        "Саламаттык сактоонун инфраструктурасын өнүктүрүү Сапаттуу медициналык кызматтардын "
        "жеткиликтүүлүгүнө көмөк көрсөтүү",
        967,
    ),
    ("1.2", "2", "Калк арасындагы оорулардын алдын алуу", 971),
    ("1.3", "2", "Популяризация жана футболду өнүктүрүү", 995),
    (
        "2.1",
        "2",
        "Аялдардын, жаштардын, социалдык ишкердикти өнүктүрүү үчүн шарттарды камсыз кылуу",
        1033,
    ),
    ("3.1", "1", "Кара-Балта шаарынын башкы планын иштеп чыгуу", 1076),
    ("3.3", "1", "Парктын аймактарын суу менен камсыз кылуу жана жашыл зоналарды сугаруу", 1108),
    ("3.3", "4", "Кара-Балта шаарынын көрктөндүрүү системасын техникалык жактан жабдуу", 1122),
    ("3.6", "3", "Кара-Балта шаарында санитардык нормаларды камсыз кылуу", 1152),
    ("4.4", "1", "Бюджеттик каражаттарды эффективдүү чыгымдоону камсыз кылуу", 1186),
]


@pytest.mark.parametrize(("section", "code", "title", "line"), TASKS)
def test_tasks(doc: ParsedDocument, section: str, code: str, title: str, line: int) -> None:
    found = [
        row
        for row in doc.tables["nodes"].iter_rows(named=True)
        if row["kind"] == "task" and row["title"] == title and not in_annual(doc, row["node_id"])
    ]
    assert len(found) == 1
    assert found[0]["code"] == code and found[0]["source_line"] == line
    assert section_code(doc, found[0]["node_id"]) == section


# -- measures --------------------------------------------------------------------------------

# section, task (None: a measure row under the section or direction itself), the measure's start,
# deadline as printed, due period, expected result (start, or None when the cell is empty),
# responsible as printed (spaces collapsed)
MEASURES = [
    ("1.1", "1", "Кара-Балта шаарында бала бакчаларды, мектептерди", "2023-2026-жж.", PERIOD,
     "Балдарды мектепке жана орто атайын", "Мэрия, Мамкурулуш, МС жана ММ башкармалыгы , РБББ"),
    ("1.1", "1", "Мектептен тышкаркы билим берүү тармагын", "2023-2026-жж.", PERIOD,
     "Имаратты оңдоо жана жылытуу системасын оңдоо", "Мэрия, МС жана ММ башкармалыгы"),
    ("1.1", "2", "таяныч-кыймыл аппаратынын майыптыгы бар балдар", "2023-2026 -жж.", PERIOD,
     "Ден соолуктун мүмкүнчүлүктер чектелүү",
     "Мэрия эл аралык уюмдар менен биргеликте, ӨЭҮ, ЖРЭСК жана МБ, МС жана ММ башкармалыгы, "
     "«Универсал» МИ"),
    # line 964: its result and responsible cells are merged with the row above
    ("1.1", "2", "инклюзивдик спорт аянтчасын түзүү", "2023-2026-жж.", PERIOD,
     "Ден соолуктун мүмкүнчүлүктер чектелүү",
     "Мэрия эл аралык уюмдар менен биргеликте, ӨЭҮ, ЖРЭСК жана МБ, МС жана ММ башкармалыгы, "
     "«Универсал» МИ"),
    ("1.2", "1", "Реанимация бөлүмү бар көп тармактуу оорукананын курулушу", "2023-2026-жж.",
     PERIOD, "Тургундардын ден соолугун чыңдоо",
     "Мэрия, Д.М, Мамкурулуш, ЖРЭСК жана МБ, МС жана ММ башкармалыгы , «Универсал» МИ"),
    ("1.2", "2", "“Умай-Эне” долбоорун ишке ашырууга көмөк көрсөтүү", "2023-2026-жж.", PERIOD,
     "репродуктивдүү ден соолукту чыңдоо", "Д.М, Мэрия"),
    ("1.2", "2", "Тамеки тартуунун/тамеки тартуунун зыяндуулугу", "2023-ж.", Y2023,
     "Айрыкча максаттуу топтордун", "Д.М, Мэрия"),
    # lines 973-977: the deadline and the last cells follow after blank lines
    ("1.2", "2", "Шаардын жарандары жана коноктору үчүн эс алуу жайларында", "2023-2026 -жж.",
     PERIOD, "3 чакан архитектуралык формалар (инсталляция)",
     "МС жана ММ башкармалыгы , «Универсал» МИ"),
    ("1.3", None, "Ежегодное строительство и реконструкция детских площадок", "2023-2026 гг.",
     PERIOD, "Создание удобных условий детям", "Мэрия, УКСиМС"),
    ("1.3", "1", "Эс алуу үчүн балдардын инклюзивдик аянтчасын куруу", "2023-2024-жж.",
     (date(2023, 1, 1), date(2024, 12, 31)), "Мүмкүнчүлүгү чектелген балдар үчүн",
     "Мэрия, МС жана ММ башкармалыгы «Универсал» МИ"),
    ("1.3", "1", "Жетим балдар, анын ичинде балдар үйлөрүнүн", "Жыл сайын (жылына жок дегенде 2 "
     "иш-чара)", PERIOD, "Жетим балдарды өнүктүрүүгө жардамдар көрсөтүлдү",
     "Мэрия, МС жана ММ башкармалыгы"),
    ("1.3", "2", "Кесиптик командалар үчүн инфраструктураны жакшыртуу", "2023-2026-ж.ж.", PERIOD,
     "Жасалма төшөлгөн футболдук стадиондун ачылышы. Шаардын борбордук",
     "Мэрия, МС жана ММ башкармалыгы"),
    ("2.1", "1", "Муниципалдык менчиктин объектилерин бизнес өкүлдөрүнө", "2023 г.", Y2023,
     "Жаңы жумуш орундарын түзүү, шаардын социалдык-экономикалык абалын жакшыртуу. Ижара",
     "Мэрия жана тиешелүү органдар, МС жана ММ башкармалыгы"),
    ("2.1", "1", "Мамлекеттик-жеке өнөктөштүк принцибинде", "2023-2026-ж.ж.", PERIOD,
     "МЖӨ долбоорлорунун тизмеси. Жеке өнөктөштөр тарабынан",
     "Шаар мэриясы, бизнес ассоциациясы ИНА алдындагы МЖӨнүн борбору"),
    ("2.1", "2", "Ишкер аялдардын жана жаш ишкерлердин инновациялык", "2023-2026-ж.ж.", PERIOD,
     "Бизнес чөйрөнү өнүктүрүү", "Мэрия МС жана ММ башкармалыгы Бизнес ассоциацилар"),
    ("2.1", "2", "Шаардын иштеп жаткан дүкөндөрүндөгү коммерциялык", "2023-2024-ж.",
     (date(2023, 1, 1), date(2024, 12, 31)), "Сапаттуу, арзан буюмдар менен камсыз кылуу",
     "Мэрия МС жана ММ башкармалыгы Ишкерлер"),
    ("2.2", "1", "Кара-Балта шаарында туристтик брендди өнүктүрүү", "2023-2026-ж.ж.", PERIOD,
     "Туризм бренди Кара-Балта шаарынын мэриясы тарабынан бекитилген",
     "Мэрия, МС жана ММ башкармалыгы"),
    ("2.2", "1", "Туристтердин, туристтик уюмдардын жана жарандардын", "2023-2026 -жж.", PERIOD,
     "“Коопсуз шаар” системасын ишке ашыруу", "РИИБ, ОПЦ"),
    ("2.2", "1", "Туризмди жана шаардык инфраструктураны жакшыртуу боюнча", "2023-2025 -жж.",
     (date(2023, 1, 1), date(2025, 12, 31)), "Туризмди жана шаардык инфраструктураны",
     "Мэрия, МС жана ММ башкармалыгы Туризмди өнүкүрүү Фонду менен бирге кызматташып"),
    ("3.1", "1", "Энергияны үнөмдөөчү жана ресурстарды үнөмдөөчү", "2023-2026 гг.", PERIOD,
     "Кыргыз Республикасынын Салык кодексинин 409-беренесинин", "Мэрия, МСКБ"),
    ("3.1", "3", "Жолдорго, көчөлөргө, мектептерге", "2023-2026 -жж.", PERIOD,
     "Жарандар үчүн коопсуз шарттарды түзүү Камералардын саны Кылмыштуулуктун азайышы",
     "Мэрия, ГРС, МС жана ММ башкармалыгы, РИИБ"),
    ("3.2", "1", "Жолдорго, көчөлөргө, мектептерге", "2024-2026 -жж.",
     (date(2024, 1, 1), date(2026, 12, 31)), "Жарандар үчүн коопсуз шарттарды түзүү",
     "Мэрия, ГРС, МС жана ММ башкармалыгы, РИИБ"),
    # line 1097: "ГОСТ" inside the result is not the responsible body
    ("3.2", "1", "2021-жылдын 27-сентябрындагы актыда", "2023-2024 -жж.",
     (date(2023, 1, 1), date(2024, 12, 31)), "Жол белгилери, жол сызыктары ГОСТ Р 52289-2004",
     "Мэрия, МС жана ММ башкармалыгы,, ДЭУ-40"),
    ("3.2", "2", "Шаардын ички көчөлөрүн бордюрлар менен асфальттоо", "2023-2026 -жж", PERIOD,
     "10 км жолдордун саны", "Мэрия, МС жана ММ башкармалыгы, МП «Универсал»"),
    ("3.3", "1", "Шаардын негизги ирригациялык системасын оңдоо", "2023-2026 -жж.", PERIOD,
     "– жарандардын жашоосу үчүн жагымдуу шарттарды түзүү; – шаардык чөйрөдө",
     "МП «Универсал», УКСиМС,"),
    ("3.3", "4", "“Универсал” ЖК унааларын жаңылоо", "2023-2026-жж.", PERIOD,
     "Шаардын инфраструктурасын көрктөндүрүү", "Мэрия, МП «Универсал»"),
    ("3.4", "1", "Заманбап суу эсептегичтерин орнотуу.", "2023-2026- ж.ж.", PERIOD,
     "Калкты ичүүчү таза суу менен үзгүлтүксүз камсыздоо", "МИ « КВК»"),
    ("3.4", "2", "Суу менен камсыздоо жана канализация тутумун", "2023-2026-ж.ж.", PERIOD,
     "Тургундар үчүн ыңгайлуу шарттарды түзүү. «КВК» МИге мэрия тарабынан",
     "Мэрия, МИ « КВК»"),
    ("3.5", "1", "“Газпром”дун планы боюнча жеке үйлөрдү", "2023-2026-ж.ж.", PERIOD,
     "Шаардын газдаштырылган көчөлөрүнүн жана кварталдарынын саны.",
     "Мэрия ЖЧК «Газпром Кыргызстан» менен кызматташып."),
    ("3.6", "2", "Кара-Балта шаарынын мэриясына КГРКдан 21 га", "2023-2026- ж.ж.", PERIOD,
     "Кара-Балта шаарынын экологиялык абалын жакшыртуу.",
     "Мэрия, МС жана ММ башкармалыгы, МП «Универсал», ЖРМА"),
    ("3.6", "3", "катуу турмуш тиричилик калдыктарын чыгаруу үчүн", "2023-2026 ж.ж.", PERIOD,
     "Таштандыларды өз убагында чыгаруу", "Мэрия, МП «Универсал»"),
    ("3.6", "5", "Дааратканалардагы, коридорлордогу өчүргүчтөрдү", "2023-2026 -ж.ж.", PERIOD,
     "Электр энергиясын үнөмдөө", "МС жана ММ башкармалыгы"),
    ("4.1", "1", "Кара-Балта шаарынын муниципалитетинде башкарууну", "2023-ж.", Y2023,
     "Башкаруунун натыйжалуулугун жогорулатуу. Функциялардын кайталанышын",
     "Мэрия шаардык кеңеш менен макулдашуу боюнча."),
    ("4.2", "1", "Муниципалдык адистештирилген автотранспорт", "2023-2024- жж.",
     (date(2023, 1, 1), date(2024, 12, 31)), "Атайын машиналарды", "МП «Универсал»"),
    ("4.3", "1", "Чет өлкөлүк шаарлар менен бир тууган шаарлар", "2023-2026- жж.", PERIOD,
     "Туризмди өнүктүрүү жана тажрыйба алмашуу. Инвестицияларды тартуу. Экспортту колдоо.",
     "Мэрия Туризм департаменти жана Туризмди өнүктүрүү фонду менен биргеликте."),
    ("4.3", "1", "Дуалдык билим берүүнү жайылтуу", "2023 -2026- жж.", PERIOD,
     "Иш берүүчүлөрдүн, кесиптик окуу жайлардын", "Мэрия, Билим берүү министрлиги."),
    ("4.4", "1", "Кара-Балта шаарынын мэриясында башкарууну реструктуризациялоо", "2023- ж",
     Y2023, "Башкаруунун эффективдүүлүгүн жогорулатуу", "Мэрия"),
]  # fmt: skip

ANNUAL_MEASURES = [
    ("1.1", "1", "Мектептен тышкаркы билим берүү чөйрөсүн өнүктүрүү", "2023 –ж", Y2023,
     "№4 ОМ жана БЧҮ нүн жылытуу түйүндөрүн оңдоо", "Мэрия, МС жана ММ башкармалыгы"),
    ("1.1", "2", "Кара-Балта шаарынын Мэринин алдындагы майып балдардын", "2023 –ж", Y2023,
     "Ден-соолугунан мүмкүнчүлүгү чектелген балдарга",
     "Мэрия эл аралык уюмдар менен биргелешип кызматташуу менен , Бей өкмөт уюмдар, ЖРЭСК жана "
     "МБ, МС жана ММ башкармалыгы, «Универсал» КИ"),
    ("1.2", "1", "Жылына мамлекеттик соцзаказдарды каржылоону", "2023 –ж", Y2023,
     "Жарандардын соцзаказдарын аткаруу", "Мэрия"),
    ("1.2", "2", "Коомду тамеки чегүүнүн/ чылым колдонуунун", "2023 –ж", Y2023,
     "Маалымат алуу жогорулады", "ССМ, Мэрия"),
    ("1.3", None, "Ежегодное строительство и реконструкция детских площадок", "2023 –ж", Y2023,
     "Создание удобных условий детям", "Мэрия, УКСиМС"),
    ("1.3", "1", "Жетимдерге, жетим балдарды багуучу жайлардагы", "Жылына (жылына 2 жолудан кем "
     "эмес)", Y2023, "Жетим балдардын өнүгүүсүнө жардам берилди.",
     "Мэрия, МС жана ММ башкармалыгы"),
    ("2.2", "1", "Кара-Балта шаарынын туристтик брендин иштеп чыгуу", "2023 -ж.", Y2023,
     "Мэрия аркылуу бекитилген Кара-Балта шаарынын бренди", "Мэрия, МС жана ММ башкармалыгы"),
    ("3.3", "1", "Шаардын сейил бактарын, гүл бакчаларды", "2023 –ж", Y2023, None,
     "«Универсал» КИ"),
    ("3.4", "3", "Үзгүлтүксүз негизде, суу менен камсыз кылуу", "2023 –ж", Y2023,
     "Бизнес чөйрөсүн жакшыртуу", "«Кара-Балта суу каналалы» КИ"),
    ("3.5", "1", "Муниципалдык имараттардын энергетикалык натыйжалуулугуна", "2023-2026-жж.",
     PERIOD, "Аналитикалык отчет.",
     "Шаар мэриясы коомдук экологиялык уюмдар, эл аралык уюмдар менен биргеликте."),
    ("3.6", "3", "Катуу ТТК тиричилик калдыктарын чыгаруу", "2023 –ж", Y2023,
     "Таштандыларды өз убагында чыгаруу", "Мэрия, «Универсал» КИ"),
    ("4.3", "1", "Кара-Балта шаарынын мэринин алдында бизнести", "2023 –ж", Y2023,
     "Бизнес коомчулугу менен үзгүлтүксүз диалог.", "Мэрия, түзүмдүк бөлүмдөр"),
]  # fmt: skip


def _check_measure(doc: ParsedDocument, measure: tuple[Any, ...], annual: bool) -> None:
    section, task, start, deadline, due, result, responsible = measure
    row = activity(doc, start, annual=annual, section=section)
    assert task_code(doc, row["node_id"]) == task
    assert row["deadline_raw"] == deadline
    assert (row["due_start"], row["due_end"]) == due
    if result is None:
        assert row["expected_result"] is None
    else:
        assert row["expected_result"] is not None and row["expected_result"].startswith(result)
    assert row["responsible"] == responsible
    assert row["funding_sources"] == [] and row["funding_raw"] is None


@pytest.mark.parametrize("measure", MEASURES, ids=[m[2][:30] for m in MEASURES])
def test_measures_of_the_action_plan(doc: ParsedDocument, measure: tuple[Any, ...]) -> None:
    _check_measure(doc, measure, annual=False)


@pytest.mark.parametrize("measure", ANNUAL_MEASURES, ids=[m[2][:30] for m in ANNUAL_MEASURES])
def test_measures_of_the_2023_plan(doc: ParsedDocument, measure: tuple[Any, ...]) -> None:
    _check_measure(doc, measure, annual=True)


def test_measures_cover_every_section() -> None:
    assert {m[0] for m in MEASURES} >= {code for code, *_ in SECTIONS}
    assert len(MEASURES) >= 25


def test_every_activity_has_a_deadline_and_a_responsible(doc: ParsedDocument) -> None:
    acts = doc.tables["activities"]
    assert acts.filter(pl.col("deadline_raw").is_null() | pl.col("due_start").is_null()).height == 0
    assert acts.filter(pl.col("responsible").is_null()).height == 0
    # no responsible body leaked into a result, and no result into a responsible body
    assert acts.filter(pl.col("responsible").str.contains(r"жакшыртуу|түзүү\b")).height == 0


# -- the monitoring matrix --------------------------------------------------------------------

LOWER_PARK = (
    [(2022, "baseline", "0", 0.0)]
    + [(year, "plan", "8371,4", 8371.4) for year in range(2023, 2027)]
    + [(2026, "target", "33485,9", 33485.9)]
)
UPPER_PARK = (
    [(2022, "baseline", "0", 0.0)]
    + [(year, "plan", "12782,5", 12782.5) for year in range(2023, 2027)]
    + [(2026, "target", "51130", 51130.0)]
)

UNIVERSAL = "МП «Универсал», МС жана ММ башкармалыгы"

# Every indicator of the matrix (lines 1196-1297) and of the key figures after it (1301-1329):
# title start, section it belongs to (None: the key-figures section), goal code and title start,
# unit, responsible, values (year, kind, raw, value) sorted.
MATRIX = [
    ("автоматикалык сугаруу системасынын узундугу 84615,9 м2 а.и.: -төмөнкү сейил бак 33485,9 м2",
     "3.6", "1", "Сейил бактарды суу менен камсыздоо жана жашыл бак-дарактарды сугаруу", "м2",
     UNIVERSAL, []),
    ("Төмөнкү парк", "3.6", "1", "Сейил бактарды", "м2", UNIVERSAL, LOWER_PARK),
    ("жогорку парк", "3.6", "1", "Сейил бактарды", "м2", UNIVERSAL, UPPER_PARK),
    ("учурдагы дарактардын жаңы отургузулган дарактарга карата катышы", "3.6", "2",
     "Шаардык аймакты жашылдандыруу", "Мамиле", UNIVERSAL,
     [(2022, "baseline", "1:0", 0.0), (2023, "plan", "1:0,3", 0.3), (2024, "plan", "1:0,8", 0.8),
      (2025, "plan", "1:2", 2.0), (2026, "plan", "1:2,5", 2.5), (2026, "target", "1:3", 3.0)]),
    ("Бардык ирригациялык система калыбына келтирилди 40486 п.м.", "3.3", "3",
     "100% сугат системасын калыбына келтирүү", "п.м.", UNIVERSAL,
     [(2022, "baseline", "50% 20243 п.м.", 20243.0)]
     + [(year, "plan", "5061 п.м.", 5061.0) for year in range(2023, 2027)]
     + [(2026, "target", "100 % 40486 п.м.", 40486.0)]),
    ("Асфальт-бетон төшөлмөсүнүн эскиришинин үстүңкү катмарын жылына 2,5 км алмаштыруу.", "3.2",
     "4", "Жалпы жолдорго карата асфальтталган жолдордун узундугу 75,4 % (110,95 км)", "км", None,
     [(2022, "baseline", "0 км", 0.0)]
     + [(year, "plan", "2,5 км", 2.5) for year in range(2023, 2027)]
     + [(2026, "target", "10 км", 10.0)]),
    # line 1275: only two yearly cells are printed for four years -> baseline and final only
    ("Асфальт-бетон жабуунун эскиришинин үстүңкү катмарын жылына 2,5 км алмаштыруу.", "3.2",
     None, "Жалпы тротуарларга карата асфальтталган же брусчаткалуу тротуарлардын узундугу 100% "
     "(40 км)", "км", None, [(2022, "baseline", "0 км", 0.0), (2026, "target", "10 км", 10.0)]),
    ("Бюджеттин киреше бөлүгүн көбөйтүү", None, None, None, "млн. сом", None,
     [(2021, "fact", "238,8", 238.8), (2022, "estimate", "322,4", 322.4),
      (2023, "plan", "285,9", 285.9), (2024, "plan", "354,9", 354.9),
      (2025, "plan", "367,5", 367.5), (2026, "plan", "367,5", 367.5)]),
    ("Товар жүгүртүүнүн көлөмү", None, None, None, "% өткөн жылга карата", None,
     [(2021, "fact", "92,3%", 92.3), (2022, "estimate", "104,4%", 104.4),
      (2023, "plan", "106%", 106.0), (2024, "plan", "108%", 108.0),
      (2025, "plan", "110%", 110.0), (2026, "plan", "112%", 112.0)]),
    ("Түзүлгөн жумуш орундары, бирдиктер", None, None, None, "бирдиктер", None,
     [(2021, "fact", "160", 160.0), (2022, "estimate", "180", 180.0),
      (2023, "plan", "450", 450.0), (2024, "plan", "200", 200.0),
      (2025, "plan", "200", 200.0), (2026, "plan", "200", 200.0)]),
]  # fmt: skip


@pytest.mark.parametrize("row", MATRIX, ids=[m[0][:30] for m in MATRIX])
def test_matrix_indicator(doc: ParsedDocument, row: tuple[Any, ...]) -> None:
    title, section, goal_code, goal_title, unit, responsible, expected = row
    found = indicator(doc, title)
    assert found["unit"] == unit
    assert found["responsible"] == responsible
    assert values_of(doc, found["node_id"]) == sorted(expected)
    chain = ancestors(doc, found["node_id"])
    goals = [n for n in chain if n["kind"] == "goal"]
    if goal_title is None:
        assert goals == []
        assert chain[0]["title"] == council.KEY_FIGURES_TITLE and chain[0]["parent_id"] is None
    else:
        assert goals[0]["code"] == goal_code and goals[0]["title"].startswith(goal_title)
        assert section_code(doc, found["node_id"]) == section
        assert not in_annual(doc, found["node_id"])


def test_every_value_is_in_the_matrix_table(doc: ParsedDocument) -> None:
    expected = sorted(v for *_, values in MATRIX for v in values)
    got = sorted(
        (r["year"], r["kind"], r["raw"], r["value"])
        for r in doc.tables["values"].iter_rows(named=True)
    )
    assert got == expected
    assert doc.count("indicators") == len(MATRIX)


def test_sub_rows_are_child_indicators(doc: ParsedDocument) -> None:
    parent = indicator(doc, "автоматикалык сугаруу системасынын узундугу")
    lower, upper = indicator(doc, "Төмөнкү парк"), indicator(doc, "жогорку парк")
    assert lower["node"]["parent_id"] == parent["node_id"]
    assert upper["node"]["parent_id"] == parent["node_id"]
    assert (lower["node"]["source_line"], upper["node"]["source_line"]) == (1206, 1211)
    # the parent's name keeps the numbers printed in it
    assert parent["node"]["title"].endswith("-жогорку сейил бак 51130 м2")
    assert parent["node"]["code"] == "1"


def test_value_lines(doc: ParsedDocument) -> None:
    def line_of(title: str, year: int, kind: str) -> int:
        node = indicator(doc, title)["node_id"]
        frame = doc.tables["values"].filter(
            (pl.col("node_id") == node) & (pl.col("year") == year) & (pl.col("kind") == kind)
        )
        return int(frame["source_line"][0])

    assert line_of("Төмөнкү парк", 2022, "baseline") == 1204
    assert line_of("Төмөнкү парк", 2026, "target") == 1208
    assert line_of("жогорку парк", 2022, "baseline") == 1209
    assert line_of("учурдагы дарактардын", 2026, "target") == 1222
    assert line_of("Бардык ирригациялык", 2022, "baseline") == 1224
    assert line_of("Бардык ирригациялык", 2026, "target") == 1228
    assert line_of("Асфальт-бетон төшөлмөсүнүн", 2025, "plan") == 1258
    assert line_of("Товар жүгүртүүнүн", 2021, "fact") == 1326


# -- abbreviations ---------------------------------------------------------------------------


def test_abbreviations(doc: ParsedDocument) -> None:
    table = dict(
        zip(
            doc.tables["abbreviations"]["abbreviation"],
            doc.tables["abbreviations"]["meaning"],
            strict=True,
        )
    )
    assert len(table) == 48
    assert list(table)[:3] == ["ТЖЖЖ", "ВИЭ", "АДП"]
    assert table["ГОСТ"] == "Мамлекеттик стандарт"
    assert table["ЖРЭСКжМБ"] == (
        "Жайыл райондук эмгек, социалдык камсыздоо жана миграция башкармалыгы"
    )
    # lines 120-126: two bare abbreviations, then their meanings in the same order
    assert table["КНР"] == "Кытай Эл Республикасы"
    assert table["КВК"] == "Кара-Балта шаарынын мэриясына караштуу «Кара-Балта суу каналы»"
    assert table["НПО"] == "өкмөттүк эмес уюм"
    assert table["ПАВ"] == "үстүртөн активдүү заттар"
    assert table["МСжММБ"] == "«Маданият, спорт жана муниципалдык менчик башкармалыгы» мекемеси"
    assert table["KYRSEFF"] == "Туруктуу энергияны каржылоо программасы"
    assert table["LED"] == "Светодиоддык лампа"  # line 168, after blank lines
    assert "КИРИШҮҮ" not in table


# -- deadlines -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "due"),
    [
        ("2023-2026-ж.ж.", PERIOD),
        ("2023-2026- ж.ж.", PERIOD),
        ("2023 -2026- жж.", PERIOD),
        ("2023-2026 гг.", PERIOD),
        ("2023 –ж", Y2023),
        ("2023- ж", Y2023),
        ("2024-2026 -жж.", (date(2024, 1, 1), date(2026, 12, 31))),
        ("Жыл сайын (жылына жок дегенде 2 иш-чара)", PERIOD),
        ("Жылына (жылына 2 жолудан кем эмес)", PERIOD),
    ],
)
def test_deadlines_of_this_document(raw: str, due: tuple[date, date]) -> None:
    assert parse_deadline(raw, plan_start=2023, plan_end=2026) == due


# -- detection -------------------------------------------------------------------------------


def test_detects_its_own_document_only() -> None:
    assert council.detect(read_source(SOURCES / NAME).lines) >= 0.5
    for other in OTHERS:
        assert council.detect(read_source(SOURCES / other).lines) < 0.5, other


def test_the_registry_picks_this_family(doc: ParsedDocument) -> None:
    source = read_source(SOURCES / NAME)
    best = max(families(), key=lambda module: module.detect(source.lines))
    assert best is council


# -- variants --------------------------------------------------------------------------------


def _shape(doc: ParsedDocument) -> tuple[Any, ...]:
    """What must not change when only the layout of the text changes."""
    return (
        sorted(
            (r["node_id"], r["kind"], r["code"], r["title"])
            for r in doc.tables["nodes"].iter_rows(named=True)
        ),
        sorted(
            (r["node_id"], r["year"], r["kind"], r["raw"], r["value"])
            for r in doc.tables["values"].iter_rows(named=True)
        ),
        sorted(
            (r["node_id"], r["title"], r["deadline_raw"], r["expected_result"], r["responsible"])
            for r in doc.tables["activities"].iter_rows(named=True)
        ),
        doc.tables["indicators"].sort("node_id").rows(),
        doc.tables["abbreviations"].rows(),
    )


def shift_years(text: str, by: int) -> str:
    return re.sub(r"(?<!\d)20(1[5-9]|2[0-6])(?!\d)", lambda m: str(int(m.group()) + by), text)


def test_variant_another_city_and_years(text: str) -> None:
    variant = shift_years(text.replace("Кара-Балта", "Талас").replace("Кара – Балта", "Талас"), 4)
    got = parse_text(variant)
    plan = got.tables["plans"].row(0, named=True)
    assert (plan["city"], plan["city_native"]) == ("Talas", "Талас")
    assert (plan["period_start"], plan["period_end"]) == (2027, 2030)
    assert plan["plan_id"] == "talas-programme-2027-2030"
    assert plan["approved"] == "Талас шаардык кеңешинин 2027-жылдын 16-февралындагы №05 токтому"
    assert plan["responsible"] == "Талас шаарынын мэриясы"
    lower = indicator(got, "Төмөнкү парк")
    assert values_of(got, lower["node_id"]) == sorted(
        [(year + 4, kind, raw, value) for year, kind, raw, value in LOWER_PARK]
    )
    budget = indicator(got, "Бюджеттин киреше бөлүгүн көбөйтүү")
    assert [v[:2] for v in values_of(got, budget["node_id"])] == [
        (2025, "fact"), (2026, "estimate"), (2027, "plan"), (2028, "plan"), (2029, "plan"),
        (2030, "plan"),
    ]  # fmt: skip
    first = activity(got, "Талас шаарында бала бакчаларды, мектептерди")
    assert (first["deadline_raw"], first["due_start"], first["due_end"]) == (
        "2027-2030-жж.",
        date(2027, 1, 1),
        date(2030, 12, 31),
    )
    annual = got.tables["nodes"].filter(pl.col("code") == "2027")
    assert annual.height == 1 and annual["title"][0].startswith("Талас шаарынын 2027-жылга")
    assert got.count("activities") == 158 and got.count("values") == 50


def test_variant_unknown_city_is_transliterated(text: str) -> None:
    got = parse_text(text.replace("Кара-Балта", "Чаек"))
    plan = got.tables["plans"].row(0, named=True)
    assert (plan["city"], plan["city_native"]) == ("Chaek", "Чаек")


def test_variant_task_added_and_removed(text: str) -> None:
    lines = lines_of(text)
    # a matrix row added after row 3 (line 1232), and the ratio row (lines 1214-1222) removed
    lines[1232:1232] = [
        "5 Шаардын жашыл аянттарын көбөйтүү Жашыл аянттардын көлөмү 120 га га 100 105 110 "
        "115 120 120 МП «Универсал»"
    ]
    del lines[1213:1222]
    # add a task with two measures at the end of 2.2 (after line 1070) ...
    added = [
        "2 Туристтик инфраструктураны өнүктүрүү Тоо этегинде кемпинг ачуу 2024-2025-жж. "
        "Кемпинг ачылды Мэрия, МС жана ММ башкармалыгы",
        "Велосипед жолдорун куруу 2026-ж. 5 км велосипед жолу Мэрия",
    ]
    lines[1070:1070] = added
    # ... and remove task 2 of 1.2 (lines 971-977)
    del lines[970:977]
    got = parse_text("\n".join(lines))
    tasks = {
        (section_code(got, r["node_id"]), r["code"]): r["title"]
        for r in got.tables["nodes"].iter_rows(named=True)
        if r["kind"] == "task" and not in_annual(got, r["node_id"])
    }
    assert ("1.2", "2") not in tasks
    assert tasks[("2.2", "2")] == "Туристтик инфраструктураны өнүктүрүү"
    camp = activity(got, "Тоо этегинде кемпинг ачуу")
    assert task_code(got, camp["node_id"]) == "2"
    assert (camp["deadline_raw"], camp["due_start"], camp["due_end"]) == (
        "2024-2025-жж.",
        date(2024, 1, 1),
        date(2025, 12, 31),
    )
    assert (camp["expected_result"], camp["responsible"]) == (
        "Кемпинг ачылды",
        "Мэрия, МС жана ММ башкармалыгы",
    )
    bikes = activity(got, "Велосипед жолдорун куруу")
    assert task_code(got, bikes["node_id"]) == "2"
    assert (bikes["expected_result"], bikes["responsible"]) == ("5 км велосипед жолу", "Мэрия")
    assert got.count("activities") == 158 - 3 + 2
    green = indicator(got, "Жашыл аянттардын көлөмү 120 га")
    assert (green["unit"], green["responsible"], green["node"]["code"]) == (
        "га",
        "МП «Универсал»",
        "5",
    )
    assert section_code(got, green["node_id"]) == "3.3"
    assert [v[2] for v in values_of(got, green["node_id"])] == [
        "100", "105", "110", "115", "120", "120"
    ]  # fmt: skip
    assert [v[1] for v in values_of(got, green["node_id"])] == [
        "baseline", "plan", "plan", "plan", "plan", "target"
    ]  # fmt: skip
    with pytest.raises(AssertionError):
        indicator(got, "учурдагы дарактардын")
    assert got.count("indicators") == 10 and got.count("values") == 50
    with pytest.raises(AssertionError):
        activity(got, "“Умай-Эне” долбоорун ишке ашырууга")
    # what was not touched keeps its ids
    before = council.parse(read_source(SOURCES / NAME))
    unchanged = activity(before, "Кара-Балта шаарында туристтик брендди өнүктүрүү")["node_id"]
    assert activity(got, "Кара-Балта шаарында туристтик брендди өнүктүрүү")["node_id"] == unchanged


def test_variant_sections_reordered(text: str, doc: ParsedDocument) -> None:
    lines = lines_of(text)
    # section 2.2 (lines 1048-1070) printed before 2.1 (lines 1002-1047)
    block = lines[1047:1070]
    del lines[1047:1070]
    lines[1001:1001] = block
    # the matrix group "Инфраструктураны өнүктүрүү" (lines 1233-1297) printed first
    matrix_block = lines[1232:1297]
    del lines[1232:1297]
    lines[1194:1194] = matrix_block
    got = parse_text("\n".join(lines))
    assert _shape(got) == _shape(doc)
    sections = {r["code"]: r for r in _sections(got, annual=False)}
    assert sections["2.2"]["position"] < sections["2.1"]["position"]


def test_variant_numbers_changed(text: str) -> None:
    lines = lines_of(text)
    set_line(
        lines, 1208, "8371,4 8371,4 8371,4 8371,4 33485,9", "8000 8371,4 9000,5 8371,4 33743,3"
    )
    set_line(lines, 1214, "1:0,8", "1:1")
    set_line(lines, 1226, "20243 п.м.", "24291,6 п.м.")
    set_line(lines, 1327, "160 180 450 200 200 200", "160 180 500 250 200 200")
    set_line(lines, 1043, "2023-2024-ж.", "2023-2025-ж.")
    got = parse_text("\n".join(lines))
    assert values_of(got, indicator(got, "Төмөнкү парк")["node_id"]) == sorted(
        [(2022, "baseline", "0", 0.0), (2023, "plan", "8000", 8000.0),
         (2024, "plan", "8371,4", 8371.4), (2025, "plan", "9000,5", 9000.5),
         (2026, "plan", "8371,4", 8371.4), (2026, "target", "33743,3", 33743.3)]
    )  # fmt: skip
    ratio = values_of(got, indicator(got, "учурдагы дарактардын")["node_id"])
    assert (2024, "plan", "1:1", 1.0) in ratio
    restore = values_of(got, indicator(got, "Бардык ирригациялык")["node_id"])
    assert restore[0] == (2022, "baseline", "50% 24291,6 п.м.", 24291.6)
    jobs = values_of(got, indicator(got, "Түзүлгөн жумуш орундары")["node_id"])
    assert [v[3] for v in jobs] == [160.0, 180.0, 500.0, 250.0, 200.0, 200.0]
    shelves = activity(got, "Шаардын иштеп жаткан дүкөндөрүндөгү")
    assert shelves["due_end"] == date(2025, 12, 31)
    assert got.count("values") == 50


def test_variant_cells_wrapped_differently(text: str, doc: ParsedDocument) -> None:
    lines = lines_of(text)
    # (edited from the bottom up, so that the line numbers above an edit stay right)
    # matrix row 3 (lines 1224-1232) on one line
    lines[1223:1232] = [" ".join(line.strip() for line in lines[1223:1232] if line.strip())]
    # the ratio row's yearly cells split over paragraphs
    set_line(lines, 1214, "1:0  1:0,3 1:0,8", "1:0\n\n1:0,3\n\n1:0,8")
    # the upper park's sub-row (lines 1209-1213) on one line
    lines[1208:1213] = ["0 жогорку парк 12782,5 12782,5 12782,5 12782,5 51130"]
    # a wrapped row (lines 1162-1166) on one line
    lines[1161:1166] = [" ".join(line.strip() for line in lines[1161:1166] if line.strip())]
    # an action-plan row (line 1050) with every cell in a paragraph of its own
    set_line(lines, 1050, " 2023-2026-ж.ж. ", "\n\n2023-2026-ж.ж.\n\n")
    set_line(lines, 1050, "буруу Мэрия", "буруу\n\nМэрия")
    got = parse_text("\n".join(lines))
    assert _shape(got) == _shape(doc)


def test_variant_crlf_utf16_and_kz1048(text: str, doc: ParsedDocument) -> None:
    for data in (
        text.replace("\n", "\r\n").encode("utf-8"),
        text.encode("utf-16"),
        text.encode("kz1048"),
    ):
        got = council.parse(source_from_bytes(data, "variant.txt"))
        assert _shape(got) == _shape(doc)
        assert got.tables["nodes"].equals(doc.tables["nodes"])
        assert got.tables["values"].equals(doc.tables["values"])
        assert [w.line for w in got.warnings] == [w.line for w in doc.warnings]


def test_variant_cut_off_inside_the_matrix(text: str) -> None:
    got = parse_text("\n".join(lines_of(text)[:1226]))  # stops after "20243 п.м." of row 3
    assert got.warnings[-1].line == 1226
    assert "monitoring matrix" in got.warnings[-1].message
    assert "cut off at line 1226" in got.warnings[-1].message
    # what was read is kept: the action plan and the matrix rows above the cut
    assert got.count("activities") == 87
    assert values_of(got, indicator(got, "Төмөнкү парк")["node_id"]) == sorted(LOWER_PARK)
    assert values_of(got, indicator(got, "Бардык ирригациялык")["node_id"]) == []
    assert council.detect(lines_of(text)[:1226]) >= 0.5


def test_variant_cut_off_inside_the_action_plan(text: str) -> None:
    got = parse_text("\n".join(lines_of(text)[:1113]))  # inside the row of lines 1111-1117
    messages = [w.message for w in got.warnings if w.line == 1113]
    assert any("action plan" in m and "row at line 1111" in m for m in messages)
    assert any("no monitoring matrix" in m for m in messages)
    assert got.count("activities") == 54 and got.count("values") == 0
    last = activity(got, "Шаардын негизги ирригациялык системасын оңдоо")
    assert (last["deadline_raw"], last["responsible"]) == ("2023-2026 -жж.", None)


def test_variant_cut_off_inside_the_annual_plan(text: str) -> None:
    got = parse_text("\n".join(lines_of(text)[:1475]))  # ends after a whole row of 3.2
    assert got.warnings[-1].line == 1475
    assert "stops at section 3.2" in got.warnings[-1].message


def test_broken_documents_raise_document_error(text: str) -> None:
    headless = source_from_bytes("\n".join(lines_of(text)[900:]).encode(), "headless.txt")
    with pytest.raises(DocumentError, match="title"):
        council.parse(headless)
    front_matter_only = "\n".join(lines_of(text)[:950])
    with pytest.raises(DocumentError, match="action plan") as error:
        council.parse(source_from_bytes(front_matter_only.encode(), "no-plan.txt"))
    assert "no-plan.txt" in str(error.value)


# -- stability and speed ---------------------------------------------------------------------


def test_same_document_same_rows(doc: ParsedDocument) -> None:
    again = council.parse(read_source(SOURCES / NAME))
    for table, frame in doc.tables.items():
        assert frame.equals(again.tables[table]), table
