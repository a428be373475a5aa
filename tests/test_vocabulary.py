"""The shared vocabulary: funding codes, responsible bodies and the dataset-level linking pass."""

from __future__ import annotations

import random
from pathlib import Path

import polars as pl
import pytest

from workbench.dataset import parquet_folder
from workbench.dataset.contract import SCHEMAS, frame_from_rows
from workbench.dataset.validation import validate_folder
from workbench.ingest import grants, mayoralty, merge, read_source
from workbench.ingest.places import latin_city
from workbench.ingest.vocabulary import (
    BODY_NAMES,
    FUNDING_NAMES,
    body_code,
    body_codes,
    funding_codes,
    link_vocabulary,
    split_bodies,
)

SOURCES = Path(__file__).resolve().parent.parent / "data" / "sources"
PROGRAMME = "tash-kumyr-programme-2026"
GRANTS = "taraz-grants-2026-2027"


@pytest.fixture(scope="module")
def tables() -> dict[str, pl.DataFrame]:
    docs = [
        mayoralty.parse(read_source(SOURCES / "002_3919e70ca7955aea.txt")),
        grants.parse(read_source(SOURCES / "003_a649211321f9a7a4.txt")),
    ]
    return merge.from_documents(docs)


def assigned(tables: dict[str, pl.DataFrame], plan_id: str, kind: str, code: str) -> set[str]:
    frame = tables["assignments"].filter(
        (pl.col("plan_id") == plan_id)
        & (pl.col("kind").cast(pl.String) == kind)
        & (pl.col("code") == code)
    )
    return set(frame["node_id"])


# -- funding codes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("printed", "codes"),
    [
        ("ЖБ", ["local"]),
        ("РБ", ["republican"]),
        ("ЖБ,РБ", ["republican", "local"]),
        ("ЖБ, РБ", ["republican", "local"]),
        ("Инвест", ["investor"]),
        ("Инвестор", ["investor"]),
        ("Инвестиция", ["investor"]),
        ("Демөөрчү РБ", ["republican", "sponsor"]),
        ("Грант жана кредит", ["grant", "credit"]),
        ("ЖБ, ӨКБ", ["local", "okb"]),
        ("Каржылоо керектел бейт", ["none"]),
        ("жергілікті бюджет", ["local"]),
        ("Республикалық бюджет", ["republican"]),
        ("местный бюджет", ["local"]),
        ("облыстық бюджет", ["oblast"]),
        ("Ұлттық қор", ["national_fund"]),
        ("", []),
        (None, []),
        ("белгисиз", []),
    ],
)
def test_funding_codes(printed: str | None, codes: list[str]) -> None:
    assert funding_codes(printed) == codes


def test_every_funding_code_has_names_in_both_languages() -> None:
    for code, names in FUNDING_NAMES.items():
        assert names["kk"] and names["ky"], code
    for code, names in BODY_NAMES.items():
        assert names["kk"] and names["ky"], code


# -- bodies --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("printed", "bodies"),
    [
        (
            "Таш-Көмүр шаардык мэриясы, “Евро Юг Цемент” ЖЧКсы",
            ["Таш-Көмүр шаардык мэриясы", "“Евро Юг Цемент” ЖЧКсы"],
        ),
        (
            "Таш-Көмүр шаардык мэриясы, ШБББ ШИИБ, Социалдык камсыздоо башкармалыгы",
            ["Таш-Көмүр шаардык мэриясы", "ШБББ", "ШИИБ", "Социалдык камсыздоо башкармалыгы"],
        ),
        (
            "Таш-Көмүр шаардык мэриясы, шаардык эмгек, социалдык камсыздоо миграция башкармалыгы",
            [
                "Таш-Көмүр шаардык мэриясы",
                "шаардык эмгек, социалдык камсыздоо миграция башкармалыгы",
            ],
        ),
        (
            "Муниципалдык менчик департаменти, №38 ЖТИ (макулдашуу боюнча)",
            ["Муниципалдык менчик департаменти", "№38 ЖТИ"],
        ),
        (
            "ДСБ, қала әкімінің орынбасары –              Б. Әбен",
            ["ДСБ", "қала әкімінің орынбасары"],
        ),
        ("Облыс әкімінің орынбасары   З.Ақылбекова", ["Облыс әкімінің орынбасары"]),
        ("Таш-Көмүр шаарынын мэри: К.Б.Бектемиров", ["Таш-Көмүр шаарынын мэри"]),
        (
            "Мэрия, МС жана ММ башкармалыгы, НАИ алдындагы ГЧП  менен биргиликте.",
            ["Мэрия", "МС жана ММ башкармалыгы", "НАИ алдындагы ГЧП"],
        ),
        (None, []),
        ("", []),
    ],
)
def test_split_bodies(printed: str | None, bodies: list[str]) -> None:
    assert split_bodies(printed) == bodies


@pytest.mark.parametrize(
    ("name", "code"),
    [
        # ky (002)
        ("Таш-Көмүр шаардык мэриясы", "akimat"),
        (
            "Таш-Көмүр шаардык мэриясынын алдындагы Муниципалдык менчик департаменти",
            "municipal_property",
        ),
        ("Таш-Көмүр шаардык өзгөчө кырдаалдар бөлүмү", "emergencies"),
        ("Шаардык ички иштер бөлүмү", "police"),
        ("ШБББ", "education"),
        ("ШИИБ", "police"),
        ("Таш-Көмүр ЖДПБ", "health"),
        ("Кадастр", "land"),
        ("Архитектура ишканасы", "architecture"),
        ("УКС", "architecture"),
        ("Суу чарба ишканасы", "housing"),
        ("“Жылуулук менен камсыздоо” ишканасы", "housing"),
        ("Социалдык камсыздоо башкармалыгы", "social"),
        ("№38 ЖТИ", "transport"),
        # kk (000, 001, 003)
        ("Тараз қаласы әкімдігінің ішкі саясат бөлімі", "internal_policy"),
        ("Тараз қаласы әкімдігінің білім бөлімі", "education"),
        ("Тараз қаласы әкімдігінің экономика және бюджеттік жоспарлау бөлімі", "economy"),
        ("Тараз қаласы әкімдігінің жұмыспен қамту және әлеуметтік бағдарламалар бөлімі", "social"),
        ("Тараз қаласы әкімдігінің кәсіпкерлік және өнеркәсіп бөлімі", "entrepreneurship"),
        ("Тараз қаласы әкімдігінің мәдениет және тілдерді дамыту бөлімі", "culture"),
        ("Тараз қаласы әкімдігінің ауыл шаруашылығы бөлімі", "agriculture"),
        ("Тараз қаласы әкімімдігінің құрылыс бөлімі", "architecture"),
        (
            "Тараз қаласы әкімдігінің тұрғын жай-коммуналдық шаруашылық, жолаушы көлігі және "
            "автомобиль жолдары бөлімі",
            "housing",
        ),
        ("Тараз қаласы әкімдігінің жолаушы көлігі және автомобиль жолдары бөлімі", "transport"),
        ("Жезқазған қ. ББ қала әкімінің орынбасары", "education"),
        ("ДСБ", "health"),
        ("ЖҚҮжӘББ", "social"),
        ("ТРжТПРБ", "environment"),
        ("Жезқазған қ. ДШСБ", "sport"),
        ("Облыс әкімінің орынбасары", "oblast_akimat"),
        ("қалалар мен аудандар әкімдіктері", "akimat"),
        ("статистика басқармасы", "statistics"),
        ("Жамбыл облыстық экология департаменті", "environment"),
        ("Тараз қаласы әкімдігінің қаржы бөлімі", "finance"),
        ("жастар саясаты мәселелері жөніндегі бөлім", "youth"),
        ("Тараз қаласы әкімдігінің жер қатынастары бөлімі", "land"),
        # ru
        ("отдел образования", "education"),
        ("управление здравоохранения", "health"),
        ("отдел внутренней политики", "internal_policy"),
        ("ОВД", "police"),
        # unknown bodies keep a code of their own name
        ("“Евро Юг Цемент” ЖЧКсы", "evro-yug-tsement"),
        ("МП «Универсал»", "universal"),
        ("«Универсал» МИ", "universal"),
        ("Тийиштүү мекеме-ишканалар", "tiyishtuu-mekeme-ishkanalar"),
    ],
)
def test_body_code(name: str, code: str) -> None:
    assert body_code(name)[0] == code


def test_body_codes_keep_order_without_repeats() -> None:
    assert body_codes("Таш-Көмүр шаардык мэриясы, ЖДПБ, ТРОААжМСЭК Б") == [
        ("akimat", "Таш-Көмүр шаардык мэриясы"),
        ("health", "ЖДПБ"),
    ]


def test_abbreviations_of_the_plan_explain_bodies() -> None:
    meanings = {
        "ЖКХ": "Турак жай-коммуналдык чарба бөлүмү",
        "КФ": "Коомдук фонд",
        "ИДН": "Жашы жете электердин иштери инспекциясы",
    }
    assert body_code("ЖКХ", meanings) == ("housing", "Турак жай-коммуналдык чарба бөлүмү")
    assert body_code("КФ", meanings) == ("koomduk-fond", "Коомдук фонд")
    assert body_code("ИДН", meanings) == ("police", "Жашы жете электердин иштери инспекциясы")
    # a department printed with its abbreviation spelled out: "МСжММБ"
    kara_balta = {"МСжММБ": "«Маданият, спорт жана муниципалдык менчик башкармалыгы» мекемеси"}
    assert body_code("МС жана ММ башкармалыгы", kara_balta)[0] == "culture"
    social = {"ЖРЭСКжМБ": "Жайыл райондук эмгек, социалдык камсыздоо жана миграция башкармалыгы"}
    assert body_code("ЖРЭСК жана МБ", social)[0] == "social"
    assert body_code("КФ") == ("kf", "КФ")


def test_latin_place_names() -> None:
    assert latin_city("Таш-Көмүр") == "Tash-Kumyr"
    assert latin_city("Тараз") == "Taraz"
    assert latin_city("Кара-Балта") == "Kara-Balta"
    assert latin_city("Жезқазған") == "Zhezkazgan"
    assert latin_city("Сүлүктү") == "Sulukta"
    assert latin_city("Кызыл-Кыя") == "Kyzyl-Kiya"


# -- the linking pass on the parsed documents ------------------------------------------------------


def test_local_budget_finds_every_activity_it_pays_for(tables: dict[str, pl.DataFrame]) -> None:
    # the rows of 002 whose funding cell names ЖБ: tasks 2, 9, 10, 12, 13, 15, 16 (three
    # measures), 17, 21
    local = assigned(tables, PROGRAMME, "funding", "local")
    activities = tables["activities"].filter(pl.col("plan_id") == PROGRAMME)
    printed = activities.filter(pl.col("funding_raw").str.contains("ЖБ"))
    assert len(local) == printed.height == 11
    assert local == set(printed["node_id"])
    tasks = {node_id.split("/")[1] for node_id in local}
    assert tasks == {"k2", "k9", "k10", "k12", "k13", "k15", "k16", "k17", "k21"}


def test_funding_assignments_follow_the_activities(tables: dict[str, pl.DataFrame]) -> None:
    activities = tables["activities"].filter(pl.col("plan_id") == PROGRAMME)
    expected = {
        (row["node_id"], code)
        for row in activities.iter_rows(named=True)
        for code in row["funding_sources"]
    }
    frame = tables["assignments"].filter(
        (pl.col("plan_id") == PROGRAMME) & (pl.col("kind").cast(pl.String) == "funding")
    )
    assert set(zip(frame["node_id"], frame["code"], strict=True)) == expected
    assert len(assigned(tables, PROGRAMME, "funding", "none")) == 4
    # РБ on lines 13, 14, 16, 17, 18, 21, 28, 32, 38, 39 (two measures), 42, 45, 46, 47, 51
    assert len(assigned(tables, PROGRAMME, "funding", "republican")) == 16
    assert assigned(tables, PROGRAMME, "funding", "okb") == {"s_5/k10/a_1"}


def test_bodies_of_the_programme(tables: dict[str, pl.DataFrame]) -> None:
    assert len(assigned(tables, PROGRAMME, "body", "akimat")) == 23
    assert assigned(tables, PROGRAMME, "body", "emergencies") == {"s_5/k10/a_1"}
    assert assigned(tables, PROGRAMME, "body", "education") == {"s_10/k17/a_1", "s_10/k18/a_1"}
    assert assigned(tables, PROGRAMME, "body", "police") == {"s_9/k15/a_1", "s_10/k18/a_1"}
    assert len(assigned(tables, PROGRAMME, "body", "municipal_property")) == 7
    assert assigned(tables, PROGRAMME, "body", "health") == {
        "s_11/k19/a_1",
        "s_11/k20/a_1",
        "s_11/k21/a_1",
    }


def test_the_grant_lists_department_gives_every_grant(tables: dict[str, pl.DataFrame]) -> None:
    grant_nodes = tables["nodes"].filter(
        (pl.col("plan_id") == GRANTS) & (pl.col("kind").cast(pl.String) == "grant")
    )
    assert assigned(tables, GRANTS, "body", "internal_policy") == set(grant_nodes["node_id"])
    assert grant_nodes.height == 5


def test_vocabulary_names(tables: dict[str, pl.DataFrame]) -> None:
    vocabulary = {
        (str(kind), code, str(language)): name
        for kind, code, language, name in tables["vocabulary"].iter_rows()
    }
    assert vocabulary[("funding", "local", "ky")] == "жергиликтүү бюджет"
    assert vocabulary[("funding", "okb", "ky")] == "ӨКБ (өзгөчө кырдаалдар бөлүмүнүн каражаты)"
    assert vocabulary[("body", "akimat", "ky")] == "шаардык мэрия"
    assert vocabulary[("body", "internal_policy", "kk")] == "ішкі саясат"
    assert vocabulary[("body", "evro-yug-tsement", "ky")] == "“Евро Юг Цемент” ЖЧКсы"
    assert ("body", "internal_policy", "ky") not in vocabulary
    used = set(
        tables["assignments"].select(pl.col("kind").cast(pl.String), "code").unique().iter_rows()
    )
    known = {(kind, code) for kind, code, _ in vocabulary}
    assert used <= known


def test_the_dataset_validates(tables: dict[str, pl.DataFrame], tmp_path: Path) -> None:
    parquet_folder.write(tables, tmp_path)
    assert validate_folder(tmp_path) == []


# -- the linking pass on hand-made frames of the other families ---------------------------------


def frames(**rows: list[dict[str, object]]) -> dict[str, pl.DataFrame]:
    out = {table: frame_from_rows(table, rows.get(table, [])) for table in SCHEMAS}
    return out


def plan(plan_id: str, language: str, responsible: str | None = None) -> dict[str, object]:
    return {"plan_id": plan_id, "language": language, "responsible": responsible}


def test_two_documents_share_a_body_code() -> None:
    tables = frames(
        plans=[
            plan("taraz-report", "kk", "Тараз қаласы әкімдігінің экономика бөлімі"),
            plan("tk", "ky"),
        ],
        activities=[
            {
                "plan_id": "taraz-report",
                "node_id": "a1",
                "responsible": "Тараз қаласы әкімдігінің білім бөлімі",
                "funding_sources": [],
            },
            {
                "plan_id": "tk",
                "node_id": "a1",
                "responsible": "Таш-Көмүр шаардык мэриясы, ШБББ",
                "funding_sources": ["local"],
            },
        ],
        indicators=[
            {
                "plan_id": "zh-plan",
                "node_id": "i1",
                "responsible": "Жезқазған қ. ББ қала әкімінің орынбасары – Б. Әбен",
            },
        ],
    )
    tables["plans"] = frame_from_rows("plans", [*tables["plans"].to_dicts(), plan("zh-plan", "kk")])
    out = link_vocabulary(tables)
    education = out["assignments"].filter(pl.col("code") == "education")
    assert set(zip(education["plan_id"], education["node_id"], strict=True)) == {
        ("taraz-report", "a1"),
        ("tk", "a1"),
        ("zh-plan", "i1"),
    }
    names = out["vocabulary"].filter(pl.col("code") == "education")
    assert dict(zip(names["language"].cast(pl.String), names["name"], strict=True)) == {
        "kk": "білім бөлімі",
        "ky": "билим берүү бөлүмү",
    }
    # the plan's own body is in the vocabulary though it owns no node
    assert out["vocabulary"].filter(pl.col("code") == "economy").height == 1
    akimat = out["assignments"].filter(pl.col("code") == "akimat")
    # "ББ қала әкімінің орынбасары" is one body: the education department wins over the akimat
    assert akimat["plan_id"].to_list() == ["tk"]


def test_funding_rows_are_linked_to_their_nodes() -> None:
    tables = frames(
        plans=[plan("report", "kk")],
        funding=[
            {
                "plan_id": "report",
                "node_id": None,
                "year": 2017,
                "source": "oblast",
                "kind": "plan",
            },
            {"plan_id": "report", "node_id": "a7", "year": 2017, "source": "local", "kind": "fact"},
            {"plan_id": "report", "node_id": "a8", "year": 2017, "source": None, "kind": "plan"},
        ],
    )
    out = link_vocabulary(tables)
    assert out["assignments"].select("node_id", "code").rows() == [("a7", "local")]
    codes = sorted(out["vocabulary"]["code"].to_list())
    assert codes == ["local", "oblast"]
    name = out["vocabulary"].filter(pl.col("code") == "oblast")["name"][0]
    assert name == "облыстық бюджет"


def test_abbreviations_table_explains_bodies_and_codes() -> None:
    tables = frames(
        plans=[plan("kara-balta", "ky")],
        abbreviations=[
            {
                "plan_id": "kara-balta",
                "abbreviation": "ЖКХ",
                "meaning": "Турак жай-коммуналдык чарба бөлүмү",
            },
            {"plan_id": "kara-balta", "abbreviation": "КФ", "meaning": "Коомдук фонд"},
            {"plan_id": "kara-balta", "abbreviation": "ӨКБ", "meaning": "Өзгөчө кырдаалдар бөлүмү"},
        ],
        activities=[
            {
                "plan_id": "kara-balta",
                "node_id": "a1",
                "responsible": "ЖКХ, КФ",
                "funding_sources": ["okb"],
            }
        ],
    )
    out = link_vocabulary(tables)
    codes = set(out["assignments"].select("kind", "code").iter_rows())
    assert codes == {("body", "housing"), ("body", "koomduk-fond"), ("funding", "okb")}
    names = dict(zip(out["vocabulary"]["code"], out["vocabulary"]["name"], strict=True))
    assert names["koomduk-fond"] == "Коомдук фонд"
    assert names["housing"] == "турак жай-коммуналдык чарба"


def test_unknown_funding_code_explained_by_the_abbreviations() -> None:
    tables = frames(
        plans=[plan("p", "ky")],
        abbreviations=[{"plan_id": "p", "abbreviation": "ЕӨРБ", "meaning": "Европа банкы"}],
        funding=[{"plan_id": "p", "node_id": "a1", "year": 2023, "source": "eorb", "kind": "plan"}],
    )
    out = link_vocabulary(tables)
    assert out["vocabulary"].rows() == [("funding", "eorb", "ky", "ЕӨРБ (Европа банкы)")]


def test_rebuilt_from_scratch_and_deterministic(tables: dict[str, pl.DataFrame]) -> None:
    stale = dict(tables)
    stale["vocabulary"] = frame_from_rows(
        "vocabulary", [{"kind": "body", "code": "stale", "language": "kk", "name": "old"}]
    )
    stale["assignments"] = frame_from_rows(
        "assignments", [{"plan_id": GRANTS, "node_id": "x", "kind": "body", "code": "stale"}]
    )
    first = link_vocabulary(stale)
    assert "stale" not in first["vocabulary"]["code"].to_list()
    assert "stale" not in first["assignments"]["code"].to_list()
    shuffled = {}
    rng = random.Random(7)
    for name, frame in tables.items():
        order = list(range(frame.height))
        rng.shuffle(order)
        shuffled[name] = frame[order] if order else frame
    second = link_vocabulary(shuffled)
    assert first["vocabulary"].equals(second["vocabulary"])
    assert first["assignments"].equals(second["assignments"])
    assert first["vocabulary"].equals(tables["vocabulary"])
    assert first["assignments"].equals(tables["assignments"])


def test_other_tables_are_left_alone(tables: dict[str, pl.DataFrame]) -> None:
    out = link_vocabulary(tables)
    for name in ("plans", "nodes", "activities", "grants", "funding"):
        assert out[name] is tables[name]
