"""The grant list family: Taraz's state grants for NGOs 2026-2027 (003) and variants of it.

Expected values below were read from the document text by hand, not from the parser's output.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from workbench.errors import DocumentError
from workbench.ingest import families, grants, read_source, source_from_bytes
from workbench.ingest.document import ParsedDocument

SOURCES = Path(__file__).resolve().parent.parent / "data" / "sources"
NAME = "003_a649211321f9a7a4.txt"
OTHERS = [
    "000_a022e4505cac72f3.txt",
    "001_b5c11f052baa7846.txt",
    "002_3919e70ca7955aea.txt",
    "004_cf3c10cfbd63a6c4.txt",
]
DEPARTMENT = "Тараз қаласы әкімдігінің ішкі саясат бөлімі"

# code, area, direction (the node title), amounts by year in tenge, grant type, period,
# territory, number of target indicators, number of expected results
GRANTS = [
    (
        "1",
        "Азаматтық қоғамды дамытуға, оның ішінде үкіметтік емес ұйымдар қызметінің тиімділігін "
        "арттыруға жәрдемдесу",
        "Ардагерлерді қолдауға бағытталған кешенді іс-шаралар өткізу",
        {2026: 18_000_000.0, 2027: 18_000_000.0},
        "1 орта мерзімді грант",
        "2026-2027 жж.",
        "Тараз қаласының кемінде 2 ауданы",
        2,
        11,
    ),
    (
        "2",
        # the area and the direction go on after a page break (line 17), the direction in the
        # middle of a word ("институттарыны" + "н әлеуетін")
        "Азаматтық қоғамды дамытуға, онын ішінде үкіметтік емес ұйымдар қызметінің тиімділігін "
        "арттыруға жәрдемдесу",
        "Азаматтық қоғам институттарынын әлеуетін дамыту және нығайтуға бағытталған іс-шаралар "
        "кешенін ұйымдастыру",
        {2026: 6_000_000.0},
        "1 қысқа мерзімді грант",
        None,
        "Тараз қаласы",
        2,
        7,
    ),
    (
        "3",
        "Қоғамдық келісімді және жалпыұлттық бірлікті нығайту",
        "Этносаралық келісімді нығайтуға бағытталған кешенді іс-шараларды ұйымдастыру",
        {2026: 6_000_000.0},
        "1 қысқа мерзімді грант",
        None,
        "Жалпақтөбе, Сұлтұтөре, Ақбұлым, Шайқорық, Түркісіб, Талас, Кемел елді мекендері "
        "іргелес Тараз қаласы",
        2,
        10,
    ),
    (
        "4",
        "Отбасылық-демографиялық және гендерлік мәселелерді шешуге жәрдемдесу",
        "Отбасы институтын нығайтуға және гендерлік саясатты іске асыруға бағытталған кешенді "
        "іс-шаралар өткізу",
        {2026: 6_000_000.0},
        "1 қысқа мерзімді грант",
        None,
        "Тараз қаласы",
        2,
        9,
    ),
    (
        "5",
        "Мемлекеттік қызметтер көрсету сапасына қоғамдық мониторинг жүргізу",
        "Тараз қаласында тұрғындардың әлеуметтік мәселелері бойынша әлеуметтік зерттеу "
        "жұмыстарын жүргізу",
        {2026: 4_000_000.0},
        "1 қысқа мерзімді грант",
        "2026 год",
        "Тараз қаласы",
        2,
        8,
    ),
]
TOTALS = {2026: (40_000_000.0, "40 000 мың тенге"), 2027: (18_000_000.0, "18 000 мың тенге")}


def original_text() -> str:
    return read_source(SOURCES / NAME).text


def parse_text(text: str, encoding: str = "utf-8") -> ParsedDocument:
    source = source_from_bytes(text.encode(encoding), "variant.txt")
    if "\n№\t" in text.replace("\r\n", "\n"):  # every variant with its header is detected
        assert grants.detect(source.lines) >= 0.5
    return grants.parse(source)


@pytest.fixture(scope="module")
def doc() -> ParsedDocument:
    return grants.parse(read_source(SOURCES / NAME))


def grant_rows(doc: ParsedDocument) -> list[dict[str, object]]:
    nodes = doc.tables["nodes"].filter(pl.col("kind") == "grant")
    detail = {row["node_id"]: row for row in doc.tables["grants"].iter_rows(named=True)}
    rows = []
    for node in nodes.iter_rows(named=True):
        row = {**detail[node["node_id"]], **node}
        funding = doc.tables["funding"].filter(pl.col("node_id") == node["node_id"])
        row["amounts"] = dict(zip(funding["year"], funding["amount"], strict=True))
        rows.append(row)
    return rows


def printed_totals(doc: ParsedDocument) -> dict[int, float]:
    totals = doc.tables["funding"].filter(pl.col("node_id").is_null())
    return dict(zip(totals["year"], totals["amount"], strict=True))


# -- the bundled document -----------------------------------------------------------------------


def test_plan_metadata(doc: ParsedDocument) -> None:
    plan = doc.tables["plans"].row(0, named=True)
    assert doc.family == "grant-list"
    assert plan["plan_id"] == "taraz-grants-2026-2027"
    assert (plan["city"], plan["city_native"]) == ("Taraz", "Тараз")
    assert (plan["country"], plan["language"], plan["kind"], plan["currency"]) == (
        "KZ",
        "kk",
        "grants",
        "KZT",
    )
    assert (plan["period_start"], plan["period_end"], plan["report_year"]) == (2026, 2027, None)
    assert plan["responsible"] == DEPARTMENT
    assert plan["title"] == f"{DEPARTMENT}: мемлекеттік гранттар, 2026-2027 жж."


def test_counts(doc: ParsedDocument) -> None:
    kinds = doc.tables["nodes"]["kind"].cast(pl.String).value_counts(sort=True)
    assert dict(kinds.iter_rows()) == {"grant": 5, "section": 1}
    assert doc.count("grants") == 5
    assert doc.count("funding") == 6 + 2
    assert doc.count("activities") == doc.count("indicators") == doc.count("values") == 0
    assert doc.warnings == []


def test_department_is_the_section(doc: ParsedDocument) -> None:
    nodes = doc.tables["nodes"]
    section = nodes.filter(pl.col("kind") == "section").row(0, named=True)
    assert (section["title"], section["source_line"], section["parent_id"]) == (DEPARTMENT, 6, None)
    grant_parents = nodes.filter(pl.col("kind") == "grant")["parent_id"].unique().to_list()
    assert grant_parents == [section["node_id"]]


def test_every_grant(doc: ParsedDocument) -> None:
    rows = grant_rows(doc)
    assert len(rows) == len(GRANTS)
    for row, expected in zip(rows, GRANTS, strict=True):
        code, area, direction, amounts, kind, period, territory, targets, results = expected
        assert row["code"] == code
        assert row["area"] == area
        assert row["direction"] == direction
        assert row["title"] == direction
        assert row["amounts"] == amounts
        assert row["grant_type"] == kind
        assert row["period_raw"] == period
        assert row["territory"] == territory
        assert len(row["targets"]) == targets, row["targets"]
        assert len(row["expected_results"]) == results, row["expected_results"]
        assert row["problem"]
        assert row["requirements"] is None
    assert [row["source_line"] for row in rows] == [8, 15, 21, 27, 40]


def test_amounts_and_totals(doc: ParsedDocument) -> None:
    funding = doc.tables["funding"]
    assert funding["kind"].cast(pl.String).unique().to_list() == ["plan"]
    assert funding["currency"].cast(pl.String).unique().to_list() == ["KZT"]
    assert funding["source"].null_count() == funding.height
    totals = funding.filter(pl.col("node_id").is_null())
    for row in totals.iter_rows(named=True):
        amount, raw = TOTALS[row["year"]]
        assert (row["amount"], row["amount_raw"]) == (amount, raw)
        assert "printed total" in row["comment"]
    sums = (
        funding.filter(pl.col("node_id").is_not_null())
        .group_by("year")
        .agg(pl.col("amount").sum())
        .sort("year")
    )
    assert dict(sums.iter_rows()) == printed_totals(doc) == {2026: 40_000_000.0, 2027: 18_000_000.0}
    first = funding.filter(pl.col("node_id") == "s_1/gr1").sort("year")
    assert first["amount_raw"].to_list() == [
        "2026 жыл - 18 000 мың теңге",
        "2027 жыл - 18 000 мың теңге",
    ]
    second = funding.filter(pl.col("node_id") == "s_1/gr2").row(0, named=True)
    assert second["amount_raw"] == "6 000 мың теңге"
    assert "without a year" in second["comment"]


def test_problem_texts(doc: ParsedDocument) -> None:
    rows = grant_rows(doc)
    assert rows[0]["problem"].startswith("Ардагерлер – мол өмірлік тәжірибесі мен білімі бар")
    # line 11 goes on with the problem of grant 1
    assert rows[0]["problem"].endswith(
        "қалыптастыру өзекті. қабылданған шешімдерді түсіндіруге және қоғамда сенім орнатуға "
        "ықпал ете алады."
    )
    assert rows[1]["problem"].startswith(
        "Тараз қаласында 592 ҮЕҰ тіркелген, оның ішінде 100-ге жуық ҮЕҰ ғана белсенді. "
        "Бүгінгі таңда жұмыс істемейтін"
    )
    assert rows[1]["problem"].endswith("насихаттау жұмыстарының әлсіздігі немесе жеткіліксіздігі.")
    assert rows[2]["problem"] == (
        "Тараз қаласында өзбек, түрік және дүнген ұлтының өкілдері жинақы тұратын аумақтар бар. "
        "Аталған ұлттар арасында ұлтаралық қатығыстардың туындауына ешқандай себеп жоқ."
    )
    # grant 4 has no problem cell on its first line: it comes on lines 28 and 30
    assert rows[3]["problem"].startswith("Ажырасудың ен көп тараған себебі: нашақорлық")
    assert rows[3]["problem"].endswith(
        "ықпал ететін ағартушылық, ақпараттық және білім беру бағытындағы іс-шаралар кешенін "
        "ұйымдастыру қажеттілігі бар екенін көрсетеді."
    )
    assert rows[4]["problem"] == (
        "кақтығыстардың алдын алу, шалғай елді мекендерде наразылық сезімдерінің өсу нүктелерін "
        "анықтау;"
    )


def test_targets_and_results(doc: ParsedDocument) -> None:
    rows = grant_rows(doc)
    assert rows[0]["targets"] == [
        "Жоба аясында Тараз қаласының еңбек және тыл ардагерлерінің кемінде 100-ін қамту.",
        "Еңбек және тыл ардагерлері қатарынан қатысушылардың қанағаттану деңгейі (сауалнама "
        "нәтижелері бойынша) кемінде 70%.",
    ]
    results = rows[0]["expected_results"]
    # item 1 is cut by the page break after "әр " (line 8 → line 11)
    assert results[0].endswith(
        "спартакиада ұйымдастыру және өткізу, әр спорт түрі бойынша жеңімпаздарды марапаттау."
    )
    assert results[5].endswith("«Тараз қаласының құрметті ардагері» медальдарын табыстау.")
    assert results[10] == "Жобаның ақпараттық қамтуы - кемінде 30 000 қаралым."
    assert rows[1]["targets"][0] == (
        "Жобаның тікелей қамтуы - қаланың азаматтық қоғам институттарының кемінде 100 өкілі."
    )
    assert rows[1]["expected_results"][4].endswith(
        "дөңгелек үстел ұйымдастыру және өткізу (Тапсырыс берушімен келісім бойынша)."
    )
    assert rows[2]["targets"][0] == "Жобаның тікелей қамтуы - Тараз қаласының кемінде 1000 тұрғыны."
    assert rows[2]["expected_results"][7] == (
        "Қалалық деңгейде этносаралық қатынастар саласында жұмыс істейтін мамандар үшін кемінде "
        "3 семинар ұйымдастыру және өткізу."
    )
    assert rows[3]["expected_results"][0].startswith(
        'Аналар күніне орай кемінде 5 спикердің қатысуымен "Ұлттық құндылықтарды жаңғырту және '
        'қазіргі заманғы кәсіптерді игеру" мастер-класы'
    )
    assert rows[3]["expected_results"][4].endswith(
        '"Kiifest" отбасылық конкурсын ұйымдастыру және өткізу. Конкурс қорытындысы бойынша '
        "жеңімпаздарды марапаттау."
    )
    assert rows[3]["expected_results"][8].endswith(
        "Instagram-дың танымал беттерінде кемінде бір жарияланым."
    )
    assert rows[4]["targets"][1] == "Ақпараттық қамту - кемінде 5000 қаралым."
    assert rows[4]["expected_results"][4] == (
        "Әлеуметтік наразылық тәуекелдері бойынша белгілі бір аумақтардың саны (жаңадан "
        "қосылған аумақтарға баса назар аударып отырып) - кемінде 10 аумақ (шалғайдағы елді "
        "мекендер мен жаңа шағын аудандарды қамти отырып)."
    )
    for row in rows:
        for line in [*row["targets"], *row["expected_results"]]:
            assert "<" not in line and ">" not in line, line


def test_detection() -> None:
    assert grants.detect(read_source(SOURCES / NAME).lines) >= 0.5
    for name in OTHERS:
        assert grants.detect(read_source(SOURCES / name).lines) < 0.5, name


def test_registry_picks_this_family() -> None:
    source = read_source(SOURCES / NAME)
    assert max(families(), key=lambda module: module.detect(source.lines)) is grants


# -- variants -----------------------------------------------------------------------------------


def grant_table(doc: ParsedDocument) -> pl.DataFrame:
    return doc.tables["grants"].drop("plan_id")


def test_another_city_and_years(doc: ParsedDocument) -> None:
    text = original_text().replace("Тараз", "Шымкент").replace("2027", "2029")
    text = text.replace("2026", "2028")
    other = parse_text(text)
    plan = other.tables["plans"].row(0, named=True)
    assert (plan["city"], plan["city_native"]) == ("Shymkent", "Шымкент")
    assert plan["plan_id"] == "shymkent-grants-2028-2029"
    assert plan["responsible"] == "Шымкент қаласы әкімдігінің ішкі саясат бөлімі"
    assert printed_totals(other) == {2028: 40_000_000.0, 2029: 18_000_000.0}
    assert grant_rows(other)[0]["amounts"] == {
        2028: 18_000_000.0,
        2029: 18_000_000.0,
    }
    assert other.warnings == []
    assert other.tables["nodes"]["node_id"].to_list() == doc.tables["nodes"]["node_id"].to_list()


NEW_GRANT = (
    "6\t<p>Жастар саясатын іске асыру</p>\t<p>Жастар бастамаларын қолдау</p>\t"
    "<p>Жастардың белсенділігі төмен.</p>\t<p>2 500 мың теңге</p>\t<p>1 қысқа мерзімді грант</p>"
    "\t<p>Тараз қаласы</p> <p>Нысаналы индикатор:</p> <p>1. Кемінде 200 жас қамту.</p> "
    "<p>Күтілетін нәтижелер:</p> <p>1. Форум өткізу.</p> <p>2. Бейнеролик дайындау.</p>\t"
)


def insert_before_totals(text: str, row: str) -> str:
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("<p>Итого"))
    lines.insert(at, row)
    return "\n".join(lines)


def test_grant_added() -> None:
    text = insert_before_totals(original_text(), NEW_GRANT)
    text = text.replace("<p>40 000 мың тенге</p>", "<p>42 500 мың тенге</p>")
    other = parse_text(text)
    assert other.warnings == []
    rows = grant_rows(other)
    assert [row["code"] for row in rows] == ["1", "2", "3", "4", "5", "6"]
    new = rows[5]
    assert (new["area"], new["direction"], new["problem"]) == (
        "Жастар саясатын іске асыру",
        "Жастар бастамаларын қолдау",
        "Жастардың белсенділігі төмен.",
    )
    assert new["amounts"] == {2026: 2_500_000.0}
    assert new["territory"] == "Тараз қаласы"
    assert new["targets"] == ["Кемінде 200 жас қамту."]
    assert new["expected_results"] == ["Форум өткізу.", "Бейнеролик дайындау."]
    assert printed_totals(other)[2026] == 42_500_000.0


def test_grant_added_without_changing_the_total_warns() -> None:
    text = insert_before_totals(original_text(), NEW_GRANT)
    other = parse_text(text)
    total_line = text.split("\n").index(next(x for x in text.split("\n") if "Итого" in x)) + 1
    assert [w.line for w in other.warnings] == [total_line]
    assert "40,000,000" in other.warnings[0].message
    assert "42,500,000" in other.warnings[0].message


def test_two_departments_with_totals_of_their_own() -> None:
    lines = original_text().split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("<p>Итого"))
    text = "\n".join(
        [
            *lines,  # the first department, its grants and its totals
            "",
            "Тараз қаласы әкімдігінің жастар саясаты бөлімі",
            "",
            NEW_GRANT,
            "<p>Итого:</p>\t<p>2 500 мың тенге</p>\t<p>2026 жыл</p>\t\t",
        ]
    )
    assert lines[at + 1].startswith("\t<p>18 000")
    other = parse_text(text)
    assert other.warnings == []
    plan = other.tables["plans"].row(0, named=True)
    assert plan["responsible"] == f"{DEPARTMENT}; Тараз қаласы әкімдігінің жастар саясаты бөлімі"
    nodes = other.tables["nodes"]
    assert nodes.filter(pl.col("kind") == "section")["node_id"].to_list() == ["s_1", "s_2"]
    assert nodes.filter(pl.col("code") == "6")["node_id"].to_list() == ["s_2/gr6"]
    totals = other.tables["funding"].filter(pl.col("comment").str.contains("department"))
    assert sorted(totals.select("node_id", "year", "amount").rows()) == [
        ("s_1", 2026, 40_000_000.0),
        ("s_1", 2027, 18_000_000.0),
        ("s_2", 2026, 2_500_000.0),
    ]


def test_grant_removed(doc: ParsedDocument) -> None:
    lines = original_text().split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("<p>5</p>"))
    end = next(i for i, line in enumerate(lines) if line.startswith("<p>Итого"))
    del lines[start:end]
    other = parse_text("\n".join(lines))
    assert [row["code"] for row in grant_rows(other)] == ["1", "2", "3", "4"]
    assert grant_table(other).equals(grant_table(doc).head(4))
    assert [w.line for w in other.warnings] == [start + 1]
    assert "36,000,000" in other.warnings[0].message


def test_grants_reordered(doc: ParsedDocument) -> None:
    lines = original_text().split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("3\t"))
    end = next(i for i, line in enumerate(lines) if line.startswith("4\t"))
    block = lines[start:end]
    del lines[start:end]
    at = next(i for i, line in enumerate(lines) if line.startswith("<p>5</p>"))
    lines[at:at] = block
    other = parse_text("\n".join(lines))
    assert other.warnings == []
    rows = {row["code"]: row for row in grant_rows(other)}
    assert [row["code"] for row in grant_rows(other)] == ["1", "2", "4", "3", "5"]
    originals = {row["code"]: row for row in grant_rows(doc)}
    for code in originals:
        for key in ("area", "direction", "problem", "targets", "expected_results", "amounts"):
            assert rows[code][key] == originals[code][key], (code, key)


def test_amounts_changed() -> None:
    lines = original_text().split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("2\t"))
    cells = lines[at].split("\t")
    assert cells[4] == "6 000 мың теңге"
    cells[4] = "7 250,5 мың теңге"
    lines[at] = "\t".join(cells)
    text = "\n".join(lines)
    text = text.replace("<p>40 000 мың тенге</p>", "<p>41 250,5 мың тенге</p>")
    other = parse_text(text)
    assert other.warnings == []
    assert grant_rows(other)[1]["amounts"] == {2026: 7_250_500.0}
    assert printed_totals(other) == {2026: 41_250_500.0, 2027: 18_000_000.0}


def test_cells_wrapped_differently(doc: ParsedDocument) -> None:
    lines = original_text().split("\n")
    # unwrap: grant 3's continuation (line 23, after a page break) back into its first line
    first = next(i for i, line in enumerate(lines) if line.startswith("3\t"))
    cells = lines[first].split("\t")
    rest = lines[first + 2].split("\t")[4]
    cells[6] = cells[6] + " " + rest
    lines[first] = "\t".join(cells)
    del lines[first + 1 : first + 3]
    # wrap: grant 5's targets cut after "Ақпараттық қамту", with a page break and the rest
    # behind a different number of tabs
    five = next(i for i, line in enumerate(lines) if line.startswith("<p>5</p>"))
    head, tail = lines[five].split(" Ақпараттық қамту ", 1)
    lines[five : five + 1] = [head + " Ақпараттық қамту", "-- \t --", "", "\t\t" + tail]
    other = parse_text("\n".join(lines))
    assert other.warnings == []
    assert grant_table(other).equals(grant_table(doc))
    assert printed_totals(other) == printed_totals(doc)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "kz1048"])
def test_encodings(doc: ParsedDocument, encoding: str) -> None:
    # KZ-1048 has no Latin dotless ı (in the header's "Занının"): it becomes Cyrillic ы
    text = original_text().replace("ı", "ы") if encoding == "kz1048" else original_text()
    other = parse_text(text, encoding=encoding)
    assert grant_table(other).equals(grant_table(doc))
    assert other.tables["funding"].drop("plan_id").equals(doc.tables["funding"].drop("plan_id"))


def test_crlf(doc: ParsedDocument) -> None:
    other = parse_text(original_text().replace("\n", "\r\n"))
    assert grant_table(other).equals(grant_table(doc))
    assert other.tables["nodes"].equals(doc.tables["nodes"])


def test_cut_off_in_the_middle_of_a_grant() -> None:
    lines = original_text().split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("4\t"))
    cut = "\n".join([*lines[: at + 4], lines[at + 4][:200]])
    other = parse_text(cut)
    assert [row["code"] for row in grant_rows(other)] == ["1", "2", "3", "4"]
    assert [w.line for w in other.warnings] == [at + 5]
    assert "cut off" in other.warnings[0].message
    assert printed_totals(other) == {}


def test_no_header_is_an_error() -> None:
    lines = [line for line in original_text().split("\n") if not line.startswith("№")]
    with pytest.raises(DocumentError, match="header"):
        parse_text("\n".join(lines))
