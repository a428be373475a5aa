"""The mayoralty programme family: Tash-Kömür's 2026 programme (002) and variants of it.

Expected values below were read from the document text by hand, not from the parser's output.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from workbench.errors import DocumentError
from workbench.ingest import families, mayoralty, parse_source, read_source, source_from_bytes
from workbench.ingest.document import ParsedDocument
from workbench.ingest.hints import Hints

SOURCES = Path(__file__).resolve().parent.parent / "data" / "sources"
NAME = "002_3919e70ca7955aea.txt"
OTHERS = [
    "000_a022e4505cac72f3.txt",
    "001_b5c11f052baa7846.txt",
    "003_a649211321f9a7a4.txt",
    "004_cf3c10cfbd63a6c4.txt",
]

Q1 = (date(2026, 1, 1), date(2026, 3, 31))
Q2 = (date(2026, 4, 1), date(2026, 6, 30))
Q3 = (date(2026, 7, 1), date(2026, 9, 30))
Q4 = (date(2026, 10, 1), date(2026, 12, 31))
YEAR = (date(2026, 1, 1), date(2026, 12, 31))

# Sections in order, with the numbers of their tasks.
SECTIONS = [
    ("Өнөр жай тармагын өнүктүрүү, инвестициялык жана бизнес-климат", ["1", "2", "3"]),
    ("Шаардын инфратүзүмү", ["4", "5", "6", "7"]),
    ("Калкты коммуналдык кызматтар менен камсыздоо", ["8"]),
    ("Экологиялык коопсуздукту сактоо", ["9"]),
    ("Өзгөчө кырдаалдарды алдын алуу", ["10"]),
    ("Калкты ичүүчү таза суу менен камсыздоо", ["11", "12"]),
    ("Калкты жылуулук менен камсыздоо", ["13"]),
    ("Кошумча жумуш орундарды түзүү", ["14"]),
    ("Коомдук саясий абал жана укук коргоо тармагы", ["15"]),
    ("Билим берүү тармагы", ["16", "17", "18"]),
    ("Саламаттык сактоо тармагы", ["19", "20", "21"]),
    ("Шаарда жакырчылыктын денгээлин азайтуу", ["22"]),
    ("Уюштуруу жана көзөмөлдөө", ["23", "24", "25"]),
]

# The due period of each deadline as printed, and the codes of each funding cell as printed.
DUE = {
    "2026-жылдын I кварталы": Q1,
    "2026-жылдын II-кварталы": Q2,
    "2026-жылдын III-кварталы": Q3,
    "2026-жылдын IV-кварталы": Q4,
    "2026-жылдын IV-квартал ичинде": Q4,
    "2026-жылы ичинде": YEAR,
    "2026-жыл ичинде": YEAR,
    "2026-жылдын ичинде": YEAR,
    "2026-жыл": YEAR,
}
CODES = {
    "Инвестор": {"investor"},
    "Инвестиция": {"investor"},
    "ЖБ": {"local"},
    "РБ": {"republican"},
    "Демөөрчү РБ": {"sponsor", "republican"},
    "ЖБ, ӨКБ": {"local", "okb"},
    "Грант жана кредит": {"grant", "credit"},
    "ЖБ, РБ": {"local", "republican"},
    "ЖБ,РБ": {"local", "republican"},
    "Каржылоо керектел бейт": {"none"},
}
# Every measure: task number, the start of the measure, deadline and funding as printed.
# Task 1 lists two "- …" measures in one cell; tasks 4 and 16 have measure rows without a
# number; task 16's second row goes on after a page break (line 41) with a project of its own.
MEASURES = [
    ("1", "Шаардын аймагындагы цемент заводдун", "2026-жылдын III-кварталы", "Инвестор"),
    ("1", "Цемент өндүрүп чыгаруучу заводдунун ачылыш", "2026-жылдын III-кварталы", "Инвестор"),
    ("2", "Өндүрүш зоналарын аныктап", "2026-жылы ичинде", "ЖБ"),
    ("3", "Ишке киргизүүгө көмөк көрсөтүү боюнча", "2026-жыл", "Инвестор"),
    ("4", "Шаардын борбордук “Шахтер” стадионун", "2026-жылдын II-кварталы", "РБ"),
    ("4", "Демөөрчүлөрдүн эсебинен Таш-Көмүр", "2026-жылдын II-кварталы", "Демөөрчү РБ"),
    ("5", "Республикалык бюджеттин эсебинен", "2026-жылдын IV-кварталы", "РБ"),
    ("6", "Таш-Көмүр шаарынын Кызыл-Алма аймактык башкармалыгында спорт комплексин",
     "2026-жылдын III-кварталы", "РБ"),
    ("7", "Таш-Көмүр шаарынын Кызыл-Алма аймактык башкармалыгында сейил багы",
     "2026-жылдын III-кварталы", "РБ"),
    ("8", "Таш-Көмүр шаарынын коммуналдык кызматтарды", "2026-жылдын III-кварталы", "РБ"),
    ("9", "Шаардын негизги таштанды таштоочу аянтын", "2026-жыл ичинде", "ЖБ"),
    ("10", "Шаардын аймагындагы сел арыктарды", "2026-жыл ичинде", "ЖБ, ӨКБ"),
    ("11", "ЕӨРБ аркылуу каржыланып жаткан", "2026-жылдын IV-кварталы", "Грант жана кредит"),
    ("12", "Техникалык-экономикалык иш кагаздарынын", "2026-жыл", "ЖБ, РБ"),
    ("13", "Таш-Көмүр шаарынын Мендигулов жана Кызыл-Алма", "2026-жылдын IV-квартал ичинде",
     "ЖБ,РБ"),
    ("14", "Цемент заводун ишке киргизүү менен", "2026-жылдын III-кварталы", "Инвестиция"),
    ("15", "Шаардык күч түзүмдөрү менен биргеликте", "2026-жыл ичинде", "ЖБ"),
    ("16", "Түрткү берүүчү гранттардын эсебинен “Тынчтык”", "2026-жылдын IV-кварталы", "ЖБ,РБ"),
    ("16", "Түрткү берүүчү гранттардын эсебинен “Мендигулов”", "2026-жылдын IV-кварталы",
     "ЖБ,РБ"),
    ("16", "Өнүктүрүү фонду аркылуу ишке ашырылуучу №4", "2026-жылдын IV-кварталы", "ЖБ,РБ"),
    ("17", "Предметтик мугалимдерге, окуучуларга", "2026-жылдын ичинде", "ЖБ,РБ"),
    ("18", "Мектеп окуучуларына зордук-зомбулук", "2026-жылдын ичинде", "Каржылоо керектел бейт"),
    ("19", "Таш-Көмүр шаарына 150 орундуу жаны оорукана", "2026-жыл ичинде", "РБ"),
    ("20", "Шаар боюнча жугуштуу оорулардын алдын алуу", "2026-жыл ичинде", "РБ"),
    ("21", "Саламаттык сактоо мекемелерине жетишпеген", "2026-жыл ичинде", "ЖБ,РБ"),
    ("22", "Аз камсыз болгон үй-бүлөлөргө социалдык", "2026-жыл ичинде", "РБ"),
    ("23", "Жыл ичинде аткарылган иштерди жыйынтыктоо", "2026-жылдын I кварталы",
     "Каржылоо керектел бейт"),
    ("24", "Кварталдын жыйынтыгын чыгаруу", "2026-жыл ичинде", "Каржылоо керектел бейт"),
    ("25", "Таш-Көмүр шаарынын мэринин эл менен", "2026-жыл ичинде", "Каржылоо керектел бейт"),
]  # fmt: skip


def original_text() -> str:
    return read_source(SOURCES / NAME).text


def parse_text(text: str, name: str = "variant.txt", encoding: str = "utf-8") -> ParsedDocument:
    data = text.encode(encoding)
    if encoding == "utf-16":
        assert data.startswith((b"\xff\xfe", b"\xfe\xff"))
    source = source_from_bytes(data, name)
    if "\n№\t" in text.replace("\r\n", "\n"):  # every variant with its header is detected
        assert mayoralty.detect(source.lines) >= 0.5
    return mayoralty.parse(source)


@pytest.fixture(scope="module")
def doc() -> ParsedDocument:
    return mayoralty.parse(read_source(SOURCES / NAME))


def measures_of(doc: ParsedDocument) -> list[dict[str, object]]:
    """Activities in document order, each with the code of its task."""
    nodes = doc.tables["nodes"]
    code = dict(zip(nodes["node_id"], nodes["code"], strict=True))
    parent = dict(zip(nodes["node_id"], nodes["parent_id"], strict=True))
    line = dict(zip(nodes["node_id"], nodes["source_line"], strict=True))
    rows = []
    for row in doc.tables["activities"].iter_rows(named=True):
        row["task"] = code[parent[row["node_id"]]]
        row["line"] = line[row["node_id"]]
        rows.append(row)
    order = {node_id: i for i, node_id in enumerate(nodes["node_id"])}
    return sorted(rows, key=lambda r: order[r["node_id"]])


# -- the bundled document -----------------------------------------------------------------------


def test_plan_metadata(doc: ParsedDocument) -> None:
    plan = doc.tables["plans"].row(0, named=True)
    assert doc.family == "mayoralty-programme"
    assert plan["plan_id"] == "tash-kumyr-programme-2026"
    assert plan["city"] == "Tash-Kumyr"
    assert plan["city_native"] == "Таш-Көмүр"
    assert (plan["country"], plan["language"], plan["kind"], plan["currency"]) == (
        "KG",
        "ky",
        "programme",
        "KGS",
    )
    assert plan["title"] == (
        "Таш-Көмүр шаардык мэриясынын 2026-жыл ичинде шаарды социалдык-экономикалык жактан "
        "өнүктүрүү жана калкты социалдык жактан коргоо боюнча Программасы"
    )
    assert (plan["period_start"], plan["period_end"], plan["report_year"]) == (2026, 2026, None)
    assert plan["responsible"] == "Таш-Көмүр шаарынын мэри: К.Б.Бектемиров"
    assert plan["approved"] is None
    assert plan["source_file"] == NAME


def test_counts(doc: ParsedDocument) -> None:
    kinds = doc.tables["nodes"]["kind"].cast(pl.String).value_counts(sort=True)
    assert dict(kinds.iter_rows()) == {"activity": 29, "task": 25, "section": 13}
    assert doc.count("activities") == 29
    assert doc.count("indicators") == doc.count("values") == doc.count("funding") == 0
    assert doc.warnings == []


def test_sections_and_their_tasks(doc: ParsedDocument) -> None:
    nodes = doc.tables["nodes"]
    sections = nodes.filter(pl.col("kind") == "section")
    assert sections["title"].to_list() == [title for title, _ in SECTIONS]
    assert sections["parent_id"].null_count() == sections.height
    for (_, codes), section_id in zip(SECTIONS, sections["node_id"], strict=True):
        tasks = nodes.filter((pl.col("kind") == "task") & (pl.col("parent_id") == section_id))
        assert tasks["code"].to_list() == codes


def test_every_measure(doc: ParsedDocument) -> None:
    rows = measures_of(doc)
    assert len(rows) == len(MEASURES)
    for row, (task, start, deadline, funding) in zip(rows, MEASURES, strict=True):
        assert row["task"] == task
        assert row["title"].startswith(start), (row["title"], start)
        assert row["deadline_raw"] == deadline
        assert (row["due_start"], row["due_end"]) == DUE[deadline]
        assert row["funding_raw"] == funding
        assert set(row["funding_sources"]) == CODES[funding]
        assert row["responsible"]
        assert row["expected_result"]


def test_measure_cells(doc: ParsedDocument) -> None:
    rows = measures_of(doc)
    first = rows[0]
    assert first["title"] == (
        "Шаардын аймагындагы цемент заводдун ишке киргизүүгө көмөк көрсөтүү боюнча иш алып баруу"
    )
    assert rows[1]["title"] == "Цемент өндүрүп чыгаруучу заводдунун ачылыш аземине көмөк көрсөтүү"
    assert first["expected_result"] == (
        "Цемент өндүрүп чыгаруучу заводду ишке кирип, кошумча жаңы жумуш орундары түзүлдү"
    )
    assert first["responsible"] == "Таш-Көмүр шаардык мэриясы, “Евро Юг Цемент” ЖЧКсы"
    assert first["line"] == 7
    assert rows[2]["title"] == "Өндүрүш зоналарын аныктап, инвесторлорго сунуштоо"
    assert rows[5]["line"] == 14
    assert rows[12]["responsible"] == "Таш-Көмүр шаардык мэриясы, Суу чарба ишканасы"


def test_cells_continued_after_a_page_break(doc: ParsedDocument) -> None:
    rows = measures_of(doc)
    nodes = doc.tables["nodes"]
    # line 11: the responsible cell of task 3 goes on behind five tabs
    assert rows[3]["responsible"] == (
        "Таш-Көмүр шаардык мэриясы, «GRK Solar Enerqi» ЖЧКсы жана “ОФ Ташкумыр” көмүрдү "
        "байытуу заводу"
    )
    # line 30: task 12's task, result and responsible cells go on
    task12 = nodes.filter((pl.col("kind") == "task") & (pl.col("code") == "12")).row(0, named=True)
    assert task12["title"] == (
        "Күрп-Сай суу сактагычынан Таш-Көмүр шаарына ичүүчү таза суу тартып келүү үчүн "
        "техникалык-экономикалык иш кагаздарын даярдоо"
    )
    assert task12["source_line"] == 28
    assert rows[13]["expected_result"] == (
        "Таш-Көмүр шаарынын тургундары үзгүлтүксүз ичүүчү таза суу менен камсыздалды"
    )
    assert rows[13]["responsible"] == "Таш-Көмүр шаардык мэриясы, Суу чарба ишканасы"
    # line 41: a further project of task 16, and the rest of the responsible cell
    assert rows[18]["responsible"] == "Таш-Көмүр шаардык мэриясы, Тийиштүү мекеме-ишканалар"
    assert rows[19]["title"] == (
        "Өнүктүрүү фонду аркылуу ишке ашырылуучу №4 Токтогул атындагы мектебинин чатырын "
        "алмаштыруу, ажаткана жана мектепке чейинки бала бакча уюштуруу долбоору"
    )
    assert rows[19]["responsible"] == rows[18]["responsible"]
    # line 49: the expected result of task 21 goes on
    assert rows[24]["expected_result"] == (
        "Саламаттык сактоо мекемелерине жетишпеген кадрлар менен камсыз кылууга колдоо "
        "көрсөтүлдү. Ар бир жаш дарыгерлердин турак-жайын, комуналдык төлөмдөрүнө каржылык "
        "колдоо көрсөтүлдү."
    )


def test_node_ids_are_stable(doc: ParsedDocument) -> None:
    again = mayoralty.parse(read_source(SOURCES / NAME))
    assert again.tables["nodes"].equals(doc.tables["nodes"])
    ids = doc.tables["nodes"]["node_id"].to_list()
    assert ids[:4] == ["s_1", "s_1/k1", "s_1/k1/a_1", "s_1/k1/a_2"]
    assert "s_13/k25/a_1" in ids


def test_detection() -> None:
    assert mayoralty.detect(read_source(SOURCES / NAME).lines) >= 0.5
    for name in OTHERS:
        assert mayoralty.detect(read_source(SOURCES / name).lines) < 0.5, name


def test_registry_picks_this_family() -> None:
    source = read_source(SOURCES / NAME)
    best = max(families(), key=lambda module: module.detect(source.lines))
    assert best is mayoralty


# -- variants -----------------------------------------------------------------------------------


def structure(doc: ParsedDocument) -> list[tuple[str, str, str | None]]:
    nodes = doc.tables["nodes"]
    return list(zip(nodes["node_id"], nodes["kind"].cast(pl.String), nodes["code"], strict=True))


def test_another_city_and_year(doc: ParsedDocument) -> None:
    text = (
        original_text()
        .replace("Таш-Көмүр", "Кара-Көл")
        .replace("Таш-көмүр", "Кара-көл")
        .replace("2026", "2027")
        .replace("К.Б.Бектемиров", "А.А.Асанов")
    )
    other = parse_text(text)
    plan = other.tables["plans"].row(0, named=True)
    assert (plan["city"], plan["city_native"]) == ("Kara-Kul", "Кара-Көл")
    assert plan["plan_id"] == "kara-kul-programme-2027"
    assert (plan["period_start"], plan["period_end"]) == (2027, 2027)
    assert plan["responsible"] == "Кара-Көл шаарынын мэри: А.А.Асанов"
    assert structure(other) == structure(doc)
    rows = measures_of(other)
    assert (rows[0]["due_start"], rows[0]["due_end"]) == (date(2027, 7, 1), date(2027, 9, 30))
    assert (rows[26]["due_start"], rows[26]["due_end"]) == (date(2027, 1, 1), date(2027, 3, 31))


def test_unknown_city_is_transliterated() -> None:
    other = parse_text(original_text().replace("Таш-Көмүр", "Көк-Жаңгак"))
    plan = other.tables["plans"].row(0, named=True)
    assert (plan["city"], plan["city_native"]) == ("Kok-Zhangak", "Көк-Жаңгак")


def test_task_added_and_removed(doc: ParsedDocument) -> None:
    lines = original_text().split("\n")
    task7 = next(i for i, line in enumerate(lines) if line.startswith("7\t"))
    del lines[task7]
    task2 = next(i for i, line in enumerate(lines) if line.startswith("2\t"))
    lines.insert(
        task2 + 1,
        "2а\tЖаңы милдет\t- Биринчи чара - Экинчи чара\t2026-жылдын II-кварталы\tНатыйжа"
        "\tТаш-Көмүр шаардык мэриясы, Шаардык билим берүү бөлүмү\tЖБ, Инвестор",
    )
    other = parse_text("\n".join(lines))
    tasks = other.tables["nodes"].filter(pl.col("kind") == "task")
    assert tasks.height == 25
    assert "7" not in tasks["code"].to_list()
    assert tasks["code"].to_list()[:4] == ["1", "2", "2а", "3"]
    rows = measures_of(other)
    added = [row for row in rows if row["task"] == "2а"]
    assert [row["title"] for row in added] == ["Биринчи чара", "Экинчи чара"]
    assert added[0]["deadline_raw"] == "2026-жылдын II-кварталы"
    assert set(added[0]["funding_sources"]) == {"local", "investor"}
    assert added[1]["responsible"] == "Таш-Көмүр шаардык мэриясы, Шаардык билим берүү бөлүмү"
    assert len(rows) == 29 + 2 - 1
    # the rows after the change keep their ids
    ids = set(other.tables["nodes"]["node_id"])
    assert {"s_13/k25/a_1", "s_10/k16/a_3", "s_1/k3/a_1"} <= ids


def test_sections_reordered() -> None:
    lines = original_text().split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("Саламаттык сактоо тармагы"))
    end = next(i for i, line in enumerate(lines) if line.startswith("Шаарда жакырчылыктын"))
    block = lines[start:end]
    del lines[start:end]
    at = next(i for i, line in enumerate(lines) if line.startswith("Билим берүү тармагы"))
    lines[at:at] = block
    other = parse_text("\n".join(lines))
    nodes = other.tables["nodes"]
    titles = nodes.filter(pl.col("kind") == "section")["title"].to_list()
    assert titles[9:11] == ["Саламаттык сактоо тармагы", "Билим берүү тармагы"]
    health = nodes.filter(pl.col("title") == "Саламаттык сактоо тармагы")["node_id"][0]
    codes = nodes.filter(pl.col("parent_id") == health)["code"].to_list()
    assert codes == ["19", "20", "21"]
    rows = {row["task"]: row for row in measures_of(other)}
    assert rows["21"]["expected_result"].endswith("каржылык колдоо көрсөтүлдү.")
    assert other.count("activities") == 29


def test_numbers_changed() -> None:
    text = original_text()
    text = text.replace("2026-жылдын I кварталы", "2026-жылдын II кварталы")
    text = text.replace("\tЖБ, ӨКБ", "\tРБ")
    text = text.replace("\n22\t", "\n122\t")
    other = parse_text(text)
    rows = measures_of(other)
    assert (rows[26]["due_start"], rows[26]["due_end"]) == Q2
    assert rows[11]["funding_sources"] == ["republican"]
    assert rows[25]["task"] == "122"


def test_cells_wrapped_differently(doc: ParsedDocument) -> None:
    lines = original_text().split("\n")
    # unwrap: the continuation of task 3 (line 11) back into its row (line 9)
    row9 = lines[8].split("\t")
    row9[5] += " байытуу заводу"
    lines[8] = "\t".join(row9)
    lines[9:11] = []
    # wrap: the deadline, result and responsible of task 5 onto a line of their own
    at = next(i for i, line in enumerate(lines) if line.startswith("5\t"))
    cells = lines[at].split("\t")
    result_head, result_tail = cells[4].split(" асфальт ", 1)
    head = [*cells[:3], "2026-жылдын", result_head, "Таш-Көмүр шаардык мэриясынын", "РБ"]
    tail = [
        "",
        "",
        "",
        "IV-кварталы",
        "асфальт " + result_tail,
        cells[5].removeprefix("Таш-Көмүр шаардык мэриясынын").lstrip(),
        "",
    ]
    lines[at : at + 1] = ["\t".join(head), "", "\t".join(tail)]
    other = parse_text("\n".join(lines))
    assert other.warnings == []
    assert structure(other) == structure(doc)
    mine = measures_of(other)
    theirs = measures_of(doc)
    for a, b in zip(mine, theirs, strict=True):
        for key in ("title", "deadline_raw", "due_start", "due_end", "expected_result"):
            assert a[key] == b[key], (key, a[key], b[key])
        for key in ("responsible", "funding_raw", "funding_sources"):
            assert a[key] == b[key], (key, a[key], b[key])
    wrapped = mine[6]
    assert wrapped["deadline_raw"] == "2026-жылдын IV-кварталы"
    assert wrapped["responsible"] == theirs[6]["responsible"]


def test_section_rows_without_their_empty_cells(doc: ParsedDocument) -> None:
    lines = [
        line.rstrip("\t")
        if line and not line[0].isdigit() and line.strip("\t") == line.split("\t")[0]
        else line
        for line in original_text().split("\n")
    ]
    assert "Шаардын инфратүзүмү" in lines
    other = parse_text("\n".join(lines))
    assert structure(other) == structure(doc)
    assert other.tables["nodes"]["title"].to_list() == doc.tables["nodes"]["title"].to_list()


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "kz1048"])
def test_encodings(doc: ParsedDocument, encoding: str) -> None:
    other = parse_text(original_text(), encoding=encoding)
    for table in ("nodes", "activities"):
        assert other.tables[table].equals(doc.tables[table]), table


def test_crlf(doc: ParsedDocument) -> None:
    other = parse_text(original_text().replace("\n", "\r\n"))
    assert other.tables["nodes"].equals(doc.tables["nodes"])
    assert other.tables["activities"].equals(doc.tables["activities"])


def test_cut_off_in_the_middle_of_a_row() -> None:
    lines = original_text().split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("11\t"))
    cut = "\n".join([*lines[:at], lines[at][:120]])
    other = parse_text(cut)
    assert other.count("activities") == 13  # tasks 1-10 (12 measures) and the start of task 11
    messages = {w.line: w.message for w in other.warnings}
    assert at + 1 in messages
    assert "cut off" in messages[at + 1]
    assert other.tables["plans"]["responsible"][0] is None


def test_cut_off_after_a_row() -> None:
    lines = original_text().split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("20\t"))
    other = parse_text("\n".join(lines[: at + 1]))
    assert other.count("activities") == 24
    assert [w.line for w in other.warnings] == [at + 1]
    assert "signature" in other.warnings[0].message


def test_text_before_the_signature_is_the_narrative() -> None:
    text = original_text().replace(
        "Таш-Көмүр шаарынын мэри:",
        "Эскертүү: программа жыл сайын жаңыланат.\n\nТаш-Көмүр шаарынын мэри:",
    )
    other = parse_text(text)
    plan = other.tables["plans"].row(0, named=True)
    assert plan["narrative"] == "Эскертүү: программа жыл сайын жаңыланат."
    assert plan["responsible"] == "Таш-Көмүр шаарынын мэри: К.Б.Бектемиров"
    assert other.warnings == []


def test_cut_off_after_the_header() -> None:
    lines = original_text().split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("№"))
    other = parse_text("\n".join(lines[: at + 1]))
    assert other.count("nodes") == 0
    assert [w.line for w in other.warnings] == [at + 1]
    assert other.tables["plans"]["city"][0] == "Tash-Kumyr"


def test_no_header_is_an_error() -> None:
    lines = [line for line in original_text().split("\n") if not line.startswith("№")]
    with pytest.raises(DocumentError, match="header"):
        parse_text("\n".join(lines))


def test_text_without_a_city_is_an_error() -> None:
    text = original_text().replace("Таш-Көмүр шаар", "шаар").replace("Таш-көмүр шаар", "шаар")
    with pytest.raises(DocumentError, match="city"):
        parse_text(text)


# -- a council's own act is not the mayoralty's programme ------------------------------------------

TOKMOK = Path(__file__).resolve().parent / "fixtures" / "generic" / "kg_tokmok_2024_council.txt"
IGNORED_BY_HAND = {"given_by_hand"}


def test_a_council_resolution_with_a_measure_table_is_not_a_mayoralty_programme() -> None:
    # Tokmok's council resolution carries its own plan of measures in a table the mayoralty
    # header words fit; it opens as the council's act, so it is read as a generic plan (the
    # council family reads a council's programme of priorities), exactly as when forced.
    source = read_source(TOKMOK)
    assert mayoralty.detect(source.lines) < 0.5
    detected = parse_source(source)
    forced = parse_source(source, Hints(family="generic"))
    assert detected.family == forced.family == "generic"
    assert detected.count("activities") == 2
    for name, frame in forced.tables.items():
        columns = [c for c in frame.columns if c not in IGNORED_BY_HAND]
        assert detected.tables[name].select(columns).equals(frame.select(columns)), name
    assert detected.tables["plans"]["given_by_hand"][0] is None


def test_a_programme_the_council_approved_is_still_the_mayoralty_s() -> None:
    # The stamp of the council's approval above the programme's heading names the council and
    # its resolution, but the document is the mayoralty's programme.
    stamp = "Таш-Көмүр шаардык кеңешинин 2025-жылдын 24-декабрындагы №12 токтому менен бекитилген\n"
    source = source_from_bytes((stamp + original_text()).encode("utf-8"), "approved.txt")
    assert mayoralty.detect(source.lines) == 1.0
    assert parse_source(source).family == mayoralty.FAMILY


def test_the_same_table_under_a_council_resolution_heading_is_the_council_s() -> None:
    heading = "Таш-Көмүр шаардык кеңешинин 2025-жылдын 24-декабрындагы №12 токтому\n\n"
    source = source_from_bytes((heading + original_text()).encode("utf-8"), "act.txt")
    assert mayoralty.detect(source.lines) < 0.5
