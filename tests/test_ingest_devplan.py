"""The development plan family: Zhezkazgan 2026-2030 (kk with Russian rows), and variants of it.

Every expected number below was read off the document by hand (line numbers in the comments are
the bundled file's), not taken from the parser's output.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

import polars as pl
import pytest

from tests.forms_helpers import docx_bytes, web_text
from workbench.dataset.polarity import infer_polarity
from workbench.errors import DocumentError
from workbench.ingest import devplan, families, parse_source, read_source, source_from_bytes
from workbench.ingest.document import ParsedDocument
from workbench.ingest.sources.text import read_text_export
from workbench.ingest.sources.webtext import read_web_text

SOURCES = Path(__file__).resolve().parent.parent / "data" / "sources"
DOC = SOURCES / "001_b5c11f052baa7846.txt"
OTHERS = sorted(p for p in SOURCES.glob("*.txt") if p.name != DOC.name)


@cache
def text() -> str:
    return DOC.read_text(encoding="utf-8")


@cache
def parsed() -> ParsedDocument:
    return devplan.parse(read_source(DOC))


def parse_text(body: str, name: str = "variant.txt") -> ParsedDocument:
    return devplan.parse(source_from_bytes(body.encode("utf-8"), name))


# -- helpers: find nodes and values the way an analyst would (code and words of the title) -----


def rows(doc: ParsedDocument, table: str) -> list[dict[str, object]]:
    return doc.tables[table].to_dicts()


def node(
    doc: ParsedDocument, code: str | None = None, title: str = "", kind: str | None = None
) -> dict[str, object]:
    """The one node with this printed code whose title contains ``title``."""
    found = [
        n
        for n in rows(doc, "nodes")
        if (code is None or n["code"] == code)
        and title in str(n["title"])
        and (kind is None or n["kind"] == kind)
    ]
    assert len(found) == 1, (code, title, [(n["code"], n["title"]) for n in found])
    return found[0]


def nid(doc: ParsedDocument, code: str | None = None, title: str = "") -> str:
    return str(node(doc, code, title)["node_id"])


def value_of(doc: ParsedDocument, node_id: str, year: int, kind: str) -> tuple[float | None, str]:
    found = [
        (v["value"], v["raw"])
        for v in rows(doc, "values")
        if v["node_id"] == node_id and v["year"] == year and v["kind"] == kind
    ]
    assert len(found) == 1, (node_id, year, kind, found)
    value, raw = found[0]
    return (None if value is None else float(str(value))), str(raw)


def indicator(doc: ParsedDocument, node_id: str) -> dict[str, object]:
    found = [i for i in rows(doc, "indicators") if i["node_id"] == node_id]
    assert len(found) == 1, node_id
    return found[0]


def paths(doc: ParsedDocument) -> dict[str, tuple[tuple[str, str, str], ...]]:
    """node_id -> its ancestry as (kind, code, title): independent of positions and ids."""
    by_id = {str(n["node_id"]): n for n in rows(doc, "nodes")}
    out: dict[str, tuple[tuple[str, str, str], ...]] = {}
    for node_id in by_id:
        chain = []
        current: object = node_id
        while current is not None:
            n = by_id[str(current)]
            chain.append((str(n["kind"]), str(n["code"]), str(n["title"])))
            current = n["parent_id"]
        out[node_id] = tuple(reversed(chain))
    return out


def snapshot(doc: ParsedDocument, year_shift: int = 0) -> dict[str, set[tuple[object, ...]]]:
    """Structure, indicators, values and funding, keyed by path instead of id or line."""
    p = paths(doc)
    return {
        "nodes": set(p.values()),
        "indicators": {
            (p[str(i["node_id"])], i["unit"], i["responsible"], i["polarity"])
            for i in rows(doc, "indicators")
        },
        "values": {
            (
                p[str(v["node_id"])],
                int(str(v["year"])) + year_shift,
                v["kind"],
                v["raw"],
                v["value"],
            )
            for v in rows(doc, "values")
        },
        "funding": {
            (
                p[str(f["node_id"])] if f["node_id"] is not None else None,
                None if f["year"] is None else int(str(f["year"])) + year_shift,
                f["source"],
                f["kind"],
                f["amount"],
                re.sub(r"20\d\d", lambda m: str(int(m.group()) + year_shift), str(f["label"])),
            )
            for f in rows(doc, "funding")
        },
    }


def edit_lines(body: str, edits: dict[int, tuple[str, str]]) -> str:
    """Replace text on given (1-based) lines, checking the line holds what is expected."""
    lines = body.split("\n")
    for number, (old, new) in edits.items():
        line = lines[number - 1].replace("\u00a0", " ")  # the file groups digits with NBSP
        assert old in line, (number, line)
        lines[number - 1] = line.replace(old, new)
    return "\n".join(lines)


def cut_lines(body: str, first: int, last: int) -> tuple[str, list[str]]:
    """The text without lines first..last (1-based, inclusive), and the lines removed."""
    lines = body.split("\n")
    removed = lines[first - 1 : last]
    return "\n".join(lines[: first - 1] + lines[last:]), removed


def insert_lines(body: str, after: int, new: list[str]) -> str:
    lines = body.split("\n")
    return "\n".join(lines[:after] + new + lines[after:])


# -- plan metadata -----------------------------------------------------------------------------


def test_plan_metadata() -> None:
    plan = rows(parsed(), "plans")[0]
    assert plan["plan_id"] == "zhezkazgan-plan-2026-2030"
    assert plan["city"] == "Zhezkazgan"
    assert plan["city_native"] == "Жезқазған"
    assert (plan["country"], plan["language"], plan["kind"], plan["currency"]) == (
        "KZ",
        "kk",
        "plan",
        "KZT",
    )
    assert plan["title"] == "Жезқазған қаласының 2026-2030 жылдарға арналған даму жоспары"
    assert (plan["period_start"], plan["period_end"], plan["report_year"]) == (2026, 2030, None)
    assert plan["responsible"] is None  # the passport names no issuing body
    assert plan["source_file"] == DOC.name
    narrative = str(plan["narrative"]).split("\n")
    assert len(narrative) == 6  # lines 7-12: the passport's "Өңірдің негізгі сипаттамалары"
    assert narrative[0] == "Қала аумағы – 176 097 га немесе Ұлытау облысы жалпы аумағының 1,0%."
    assert narrative[-1].startswith("Өңір аумағында Қазақстандағы толық технологиялық циклді")
    assert "Бағыттар" not in str(plan["narrative"])


def test_detection() -> None:
    assert devplan.detect(read_source(DOC).lines) >= 0.5
    for other in OTHERS:
        assert devplan.detect(read_source(other).lines) < 0.5, other.name
    winner = max(families(), key=lambda m: m.detect(read_source(DOC).lines))
    assert winner is devplan


# -- structure ---------------------------------------------------------------------------------


def test_node_counts_by_kind() -> None:
    kinds: dict[str, int] = {}
    for n in rows(parsed(), "nodes"):
        kinds[str(n["kind"])] = kinds.get(str(n["kind"]), 0) + 1
    # directions: 3-бағыт, 2-бағыт, the "Өзге жоспарлау құжаттарын ..." group, 1-, 4-, 6-бағыт;
    # sections: the spheres 1. Білім … 7. Қоршаған ортаның … (the passport's "Денсаулық
    # сақтау" is not one: part 4 prints no such heading, it puts every goal under its direction);
    # goals: 9 in the passport + 2 only in part 4 (employment printed again, forestry);
    # targets: НҰИ 6, 11, 7, 8, 9, 15, 12, 13, 30 and 14 НИ/ЦИ;
    # tasks: 11 in the passport + 2 only in part 4; indicators: 35 + 3 only in part 4.
    assert kinds == {
        "direction": 6,
        "section": 7,
        "goal": 11,
        "target": 23,
        "task": 13,
        "indicator": 38,
    }


def test_directions_and_their_nesting() -> None:
    doc = parsed()
    top = [n for n in rows(doc, "nodes") if n["parent_id"] is None]
    assert [(n["code"], n["title"]) for n in top] == [
        ("3-бағыт", "Өмірдің жоғары сапасы"),
        ("2-бағыт", "Экономика мен қоғамның түпкілікті өзгерістер"),
        (
            None,
            "Өзге жоспарлау құжаттарын, мемлекеттік функцияларды, өкілеттіктерді және (немесе) "
            "мемлекеттік қызметтер көрсетуді іске асырылуы",
        ),
    ]
    group = str(top[2]["node_id"])
    under_group = [n for n in rows(doc, "nodes") if n["parent_id"] == group]
    assert [(n["kind"], n["code"], n["title"]) for n in under_group] == [
        ("direction", "1-бағыт", "1-бағыт"),
        ("direction", "4-бағыт", "Халықты қорғау, ТЖ алдын алу бойынша алдын алу"),
        ("direction", "6-бағыт", "ОДМ іске асыру"),
    ]
    p = paths(doc)
    # НҰИ hang under the direction, goals beside them (part 4 prints no section heading: the
    # passport's "Денсаулық сақтау" line is not a container); НИ and tasks under their goal
    assert p[nid(doc, "НҰИ –6")] == (
        ("direction", "3-бағыт", "Өмірдің жоғары сапасы"),
        ("target", "НҰИ –6", "Халықтың туылған кездегі күтілетін өмір сүру ұзақтығы"),
    )
    kinds = [k for k, _, _ in p[nid(doc, "1.3 көрсеткіш", "Туберкулез")]]
    assert kinds == ["direction", "goal", "task", "indicator"]
    assert p[nid(doc, "1.3 көрсеткіш", "Туберкулез")][2][1] == "1-міндет"
    kinds = [k for k, _, _ in p[nid(doc, "НИ–2")]]
    assert kinds == ["direction", "goal", "target"]
    # the whole third direction under its direction, none of it under a health section
    direction = nid(doc, "3-бағыт")
    goals = [n for n in rows(doc, "nodes") if n["kind"] == "goal"]
    assert sum(1 for g in goals if g["parent_id"] == direction) == 9
    assert not [
        n
        for n in rows(doc, "nodes")
        if n["title"] == "Денсаулық сақтау" and n["parent_id"] == direction
    ]
    # a numbered sphere inside a task: 6. Инженерлік инфрақұрылым → 6.4 көрсеткіш
    assert p[nid(doc, "6.4 көрсеткіш")][-3:] == (
        ("task", "Міндет", "Ауыл және қала тұрғындары үшін қолайлы орта құру"),
        ("section", "6", "Инженерлік инфрақұрылым"),
        ("indicator", "6.4 көрсеткіш", "Жылу желілерінің тозуын азайту"),
    )
    # the Russian task of the passport ("Задача 4") keeps its code and holds 4.1
    assert p[nid(doc, "4.1 көрсеткіш", "Білім мен дағдыларды")][-2][:2] == ("task", "Задача 4")
    # 1.1 of "МӘМС": printed ".1 көрсеткіш" in the passport, the lost digit restored
    assert node(doc, "1.1 көрсеткіш", "МӘМС")["source_line"] == 48
    assert any(w.line == 48 and "lost its first digit" in w.message for w in doc.warnings)
    # a wrapped passport title (lines 41-42) is one title
    assert node(doc, "3.2 көрсеткіш")["title"] == (
        "Медициналық ұйымдардың табиғи-техногендік сипаттағы төтенше жағдайларға дайындық дәрежесі"
    )


def _indicators_under(doc: ParsedDocument, ancestor: str) -> list[str]:
    p = paths(doc)
    anc = p[ancestor]
    return [
        node_id
        for node_id, chain in p.items()
        if chain[: len(anc)] == anc and len(chain) > len(anc) and chain[-1][0] == "indicator"
    ]


def _targets_under(doc: ParsedDocument, ancestor: str) -> list[str]:
    p = paths(doc)
    anc = p[ancestor]
    return [
        node_id
        for node_id, chain in p.items()
        if chain[: len(anc)] == anc and len(chain) > len(anc) and chain[-1][0] == "target"
    ]


def test_counts_per_direction_and_sphere() -> None:
    doc = parsed()
    d3 = nid(doc, "3-бағыт")
    d2 = nid(doc, "2-бағыт")
    group = nid(doc, None, "Өзге жоспарлау құжаттарын")
    assert len(_indicators_under(doc, d3)) == 38
    assert len(_targets_under(doc, d3)) == 14  # НҰИ 6,11,7,8,9,15,12,13 + six НИ
    assert (len(_indicators_under(doc, d2)), len(_targets_under(doc, d2))) == (0, 2)
    assert (len(_indicators_under(doc, group)), len(_targets_under(doc, group))) == (0, 7)
    assert len(_targets_under(doc, nid(doc, "4-бағыт"))) == 5  # НИ - 1 … НИ - 5
    spheres = {
        "Білім": 2,
        "Денсаулық сақтау": 1,
        "Мәдениет": 1,
        "Спорт": 1,
        "Жол инфрақұрылымы": 1,
        "Инженерлік инфрақұрылым": 5,
        "Қоршаған ортаның": 2,  # 7.1 of the passport, 7.2 only in part 4
    }
    for title, count in spheres.items():
        sphere = [
            n
            for n in rows(doc, "nodes")
            if n["kind"] == "section" and str(n["title"]).startswith(title) and n["code"]
        ]
        assert len(sphere) == 1, title
        assert len(_indicators_under(doc, str(sphere[0]["node_id"]))) == count, title
    # tasks of goal 2 of health (line 25): 1-міндет with 3 indicators, 2-міндет with 7
    goal = nid(doc, None, "Көрсетілетін медициналық қызметтердің")
    tasks = [n for n in rows(doc, "nodes") if n["parent_id"] == goal and n["kind"] == "task"]
    assert [len(_indicators_under(doc, str(t["node_id"]))) for t in tasks] == [3, 7, 2, 1]


def test_every_part4_row_is_read_once() -> None:
    doc = parsed()
    with_values = {v["node_id"] for v in rows(doc, "values")}
    # 59 indicator rows in part 4 (lines 277-1299): 50 in "Өмірдің жоғары сапасы",
    # 2 in direction 2, 7 in the other planning documents' block
    assert len(with_values) == 59
    p = paths(doc)
    by_top: dict[str, int] = {}
    for node_id in with_values:
        top = p[str(node_id)][0][2][:20]
        by_top[top] = by_top.get(top, 0) + 1
    assert sorted(by_top.values()) == [2, 7, 50]
    # 59 rows × 7 years, less the three empty cells of line 787-789
    assert doc.count("values") == 59 * 7 - 3
    # passport items part 4 does not print keep no values
    assert nid(doc, "НИ–3") not in with_values
    assert nid(doc, "7.1 көрсеткіш") not in with_values
    assert indicator(doc, nid(doc, "7.1 көрсеткіш"))["unit"] is None
    # every indicator node has an indicator row; targets only when part 4 prints them
    indicator_ids = {i["node_id"] for i in rows(doc, "indicators")}
    kinds = {n["node_id"]: n["kind"] for n in rows(doc, "nodes")}
    assert {k for k, v in kinds.items() if v == "indicator"} <= indicator_ids
    assert {k for k in indicator_ids if kinds[k] == "target"} == {
        k for k in with_values if kinds[k] == "target"
    }
    assert doc.count("indicators") == 38 + 22


def test_part4_rows_attach_to_passport_nodes() -> None:
    doc = parsed()
    nodes = rows(doc, "nodes")
    # no duplicate node for one indicator: each passport code/title appears once …
    titles = [(n["kind"], n["code"], n["title"]) for n in nodes]
    assert len(titles) == len(set(titles))
    # … part 4's "НҰИ -9" on mathematics (line 689) is the passport's НҰИ – 8
    assert value_of(doc, nid(doc, "НҰИ – 8"), 2025, "estimate") == (428.0, "428")
    assert value_of(doc, nid(doc, "НҰИ –9"), 2025, "estimate") == (431.0, "431")
    # "1.2 көрсеткіш" on STEM classrooms (line 798) is the passport's 1.1
    assert value_of(doc, nid(doc, "1.1 көрсеткіш", "STEM"), 2024, "fact") == (69.0, "69")
    # the Russian "Задача 1" row (759) is the passport's Kazakh 1-міндет of pre-school staff
    staff = nid(doc, "1.1 көрсеткіш", "бейінді білімі бар педагогтердің")
    assert paths(doc)[staff][-2] == (
        "task",
        "1-міндет",
        "Мектепке дейінгі білім беру жүйесінің кадрлық әлеуетін оларды даярлау, біліктілігін "
        "арттыру жүйесін жетілдіру жолымен күшейту",
    )
    # "НИ НКИ, млрд теңге" (line 1136) is the passport's "ЦИ Негізгі капиталға инвестициялар"
    nki = nid(doc, "ЦИ")
    assert value_of(doc, nki, 2026, "plan") == (188.3, "188,3")
    assert indicator(doc, nki)["unit"] == "млрд тенге"
    # "НИ-13" of the ОДМ direction (line 1287) is the passport's "НИ - 1" under 6-бағыт
    inclusive = nid(doc, "НИ - 1", "Инклюзивті")
    assert value_of(doc, inclusive, 2024, "fact") == (90.0, "90,0")
    # "2-бағыт. Халықты қорғау, ТЖ ескерту …" of part 4 is the passport's 4-бағыт
    assert paths(doc)[nid(doc, "НИ - 5")][-2][0] == "goal"
    assert paths(doc)[nid(doc, "НИ - 5")][-3][1] == "4-бағыт"


def test_part4_rows_without_passport_counterpart() -> None:
    doc = parsed()
    p = paths(doc)
    landfill = nid(doc, "7.2 көрсеткіш")
    assert p[landfill][-2] == (
        "section",
        "7",
        "Қоршаған ортаның қауіпсіздігі мен қорғалуын қамтамасыз ету",
    )
    assert node(doc, "7.2 көрсеткіш")["source_line"] == 1088
    # the employment block printed twice (lines 604-670): the second goal is its own node
    second = node(doc, None, "атаулылығын күшейту", kind="goal")
    assert p[str(second["node_id"])][-2] == ("direction", "3-бағыт", "Өмірдің жоғары сапасы")
    youth = nid(doc, "1.2 көрсеткіш", "Оның ішінде жастардың саны")
    assert p[youth][-3][2] == str(second["title"])
    forestry = node(doc, None, "Орман ресурстарын", kind="goal")
    assert forestry["source_line"] == 842
    assert p[str(forestry["node_id"])][-2][1] == "3-бағыт"
    # the passport's НИ on waste collection (line 69), printed in part 4 under the forestry
    # goal (line 845), is that goal's
    waste = nid(doc, "НИ", "қалдықтарды жинау")
    assert p[waste][-2][2] == forestry["title"]
    extra_task = node(doc, "1-міндет", "Тәрбиеленушілердің", kind="task")
    assert p[str(extra_task["node_id"])][-2][2].startswith("Мектеп жасына дейінгі балалардың")


# -- values ------------------------------------------------------------------------------------

# (code, words of the title, year, kind, value, raw) — read off part 4 by hand
VALUES: list[tuple[str | None, str, int, str, float | None, str]] = [
    # direction "Өмірдің жоғары сапасы", health: НҰИ, НИ, task indicators
    ("НҰИ –6", "", 2024, "fact", 73.6, "73,6"),  # line 286, after a blank inside the row
    ("НҰИ –6", "", 2030, "plan", 74.2, "74,2"),
    ("НИ - 1", "Салауатты", 2025, "estimate", 31.0, "31"),
    ("НИ - 1", "Салауатты", 2026, "plan", 32.0, "32"),
    ("1.1 көрсеткіш", "семіздікпен", 2024, "fact", 17.8, "17,8"),
    ("1.1 көрсеткіш", "семіздікпен", 2029, "plan", 17.0, "17"),
    ("1.2 көрсеткіш", "Психоактивті", 2030, "plan", 40.2, "40,2"),
    ("2.1 көрсеткіш", "АИТВ", 2025, "estimate", 0.16, "0,16"),
    ("НИ–2", "", 2028, "plan", 7.76, "7,76"),
    ("1.1 көрсеткіш", "Қатерлі", 2024, "fact", 72.3, "72,3"),
    ("1.2 көрсеткіш", "0-I сатысында", 2026, "plan", 31.0, "31.0"),  # decimal point
    ("1.2 көрсеткіш", "0-I сатысында", 2030, "plan", 32.6, "32.6"),
    ("1.3 көрсеткіш", "Туберкулез", 2024, "fact", 50.1, "50,1"),  # Russian source and unit
    ("1.3 көрсеткіш", "Туберкулез", 2030, "plan", 32.5, "32,5"),
    ("2.1 көрсеткіш", "Нәресте", 2030, "plan", 6.0, "6"),
    ("2.2 көрсеткіш", "Неонаталдық", 2025, "estimate", 6.06, "6,06"),
    ("2.3 көрсеткіш", "Бес жасқа", 2027, "plan", 9.5, "9,5"),
    ("2.4 көрсеткіш", "Аналар", 2024, "fact", 29.6, "29,6"),
    ("2.5 көрсеткіш", "прегравидарлық", 2030, "plan", 70.0, "70"),  # unit on its own line
    ("2.6 көрсеткіш", "Жасөспірімдер", 2030, "plan", 1.9, "1,9"),
    ("2.7 көрсеткіш", "анемия", 2026, "plan", 18.5, "18.5"),
    ("3.1 көрсеткіш", "вакциналармен", 2024, "fact", 90.7, "90,7"),
    ("3.2 көрсеткіш", "", 2029, "plan", 95.0, "95"),
    ("4.1 көрсеткіш", "Білім мен дағдыларды", 2025, "estimate", 97.6, "97,6"),
    ("1.1 көрсеткіш", "МӘМС", 2030, "plan", 91.9, "91,9"),
    # poverty and employment
    ("НҰИ –11", "", 2024, "fact", 5.7, "5,7"),  # a blank line inside the row (line 595)
    ("НҰИ –11", "", 2026, "plan", 1.9, "1,9"),
    ("1.1 көрсеткіш", "Жұмысқа орналастырылған азаматтар саны", 2024, "fact", 2004.0, "2004"),
    ("1.2 көрсеткіш", "Соның ішінде", 2025, "estimate", 2030.0, "2030,0"),
    ("1.2 көрсеткіш", "Соның ішінде", 2026, "plan", 1700.0, "1 700"),
    ("1.2 көрсеткіш", "Оның ішінде жастардың", 2027, "plan", 2005.0, "2 005"),
    # education: PISA with dashes, pre-school, schools
    ("НҰИ –7", "", 2024, "fact", None, "-"),
    ("НҰИ –7", "", 2025, "estimate", 405.0, "405"),
    ("НҰИ –7", "", 2029, "plan", 417.0, "417"),
    ("НҰИ – 8", "", 2029, "plan", 439.0, "439"),
    ("НҰИ –9", "", 2029, "plan", 445.0, "445"),
    ("НИ", "2 жастан 6 жасқа", 2024, "fact", 96.0, "96,0"),
    ("НИ", "2 жастан 6 жасқа", 2027, "plan", 100.0, "100"),
    ("НИ", "Меншік нысанына", 2030, "plan", 100.0, "100"),
    ("1.1 көрсеткіш", "бейінді білімі бар", 2026, "plan", 95.2, "95,2"),
    ("1.2 көрсеткіш", "Біліктілікті арттыру", 2027, "plan", 100.0, "100"),
    ("1.2 көрсеткіш", "интернетпен", 2030, "plan", 100.0, "100"),
    # ecology and regional standards
    ("НҰИ –15", "", 2024, "fact", 50.2, "50,2"),  # a blank after the № cell (line 827)
    ("НИ", "қалдықтарды", 2029, "plan", 93.6, "93,6"),
    ("НҰИ – 12", "", 2026, "plan", 91.9, "91,9"),
    ("НҰИ – 13", "", 2024, "fact", 54.1, "54,1"),
    ("1.1 көрсеткіш", "Үлгілік", 2029, "plan", 99.0, "99"),
    ("1.2 көрсеткіш", "қосымша біліммен", 2027, "plan", 88.9, "88,9"),
    ("2.1 көрсеткіш", "Медициналық мекемелер", 2030, "plan", 83.5, "83,5"),
    ("3.1 көрсеткіш", "Мәдениет", 2030, "plan", 60.0, "60"),
    ("4.1 көрсеткіш", "Дене шынықтырумен", 2025, "estimate", 37.2, "37,2"),
    ("5.1 көрсеткіш", "", 2029, "plan", 86.0, "86"),
    ("5.1 көрсеткіш", "", 2030, "plan", None, "-"),
    ("6.1 көрсеткіш", "", 2024, "fact", 100.0, "100"),
    ("6.2 көрсеткіш", "", 2027, "plan", 49.6, "49,6"),
    ("6.3 көрсеткіш", "", 2030, "plan", 121.1, "121,1"),
    ("6.4 көрсеткіш", "", 2024, "fact", 59.3, "59,3"),  # blank lines inside the row
    ("6.4 көрсеткіш", "", 2026, "plan", 49.0, "49"),
    ("6.5 көрсеткіш", "", 2029, "plan", 11.0, "11"),
    ("7.2 көрсеткіш", "", 2030, "plan", 78.0, "78"),
    # direction 2 (printed in Russian in part 4: "Направление 2. Сквозные преобразования")
    ("НҰИ –30", "", 2024, "fact", 14.2, "14,2"),
    ("НҰИ –30", "", 2030, "plan", 23.0, "23"),
    ("ЦИ", "", 2024, "fact", 102.2, "102,2"),
    # other planning documents
    ("НИ-1", "Мемлекеттік тілді", 2024, "fact", 87.0, "87%"),
    ("НИ-1", "Мемлекеттік тілді", 2030, "plan", 93.0, "93%"),
    ("НИ - 1", "ТЖ ден қою", 2026, "plan", 68.0, "68"),
    ("НИ-2", "Авариялық", 2024, "fact", 96.3, "96,3"),
    ("НИ - 3", "", 2030, "plan", 75.0, "75"),
    ("НИ - 4", "", 2025, "estimate", 67.0, "67"),
    ("НИ - 5", "", 2029, "plan", 72.0, "72"),
    ("НИ - 1", "Инклюзивті", 2027, "plan", 100.0, "100"),
]


@pytest.mark.parametrize(("code", "title", "year", "kind", "number", "raw"), VALUES)
def test_hand_picked_values(
    code: str, title: str, year: int, kind: str, number: float | None, raw: str
) -> None:
    doc = parsed()
    assert value_of(doc, nid(doc, code, title), year, kind) == (number, raw)


def test_hand_picked_values_are_many_and_cover_every_block() -> None:
    assert len(VALUES) >= 40
    doc = parsed()
    tops = {paths(doc)[nid(doc, c, t)][0][1] for c, t, *_ in VALUES}
    assert tops == {"3-бағыт", "2-бағыт", "None"}


def test_empty_cells_give_no_value() -> None:
    doc = parsed()
    staff = nid(doc, "1.2 көрсеткіш", "Біліктілікті арттыру")
    years = sorted(int(str(v["year"])) for v in rows(doc, "values") if v["node_id"] == staff)
    assert years == [2024, 2025, 2026, 2027]  # lines 787-789 are empty cells


def test_value_source_lines() -> None:
    doc = parsed()
    lines = {
        (v["year"], v["kind"]): v["source_line"]
        for v in rows(doc, "values")
        if v["node_id"] == nid(doc, "НҰИ –6")
    }
    assert lines[(2024, "fact")] == 286
    assert lines[(2030, "plan")] == 292


def test_indicator_details() -> None:
    doc = parsed()
    tb = indicator(doc, nid(doc, "1.3 көрсеткіш", "Туберкулез"))
    assert tb["unit"] == "на 100 тыс. населения"  # a unit on two lines
    assert tb["info_source"] == "Статистические данные"
    assert tb["responsible"] == "ДСБ, қала әкімінің орынбасары – Б. Әбен"
    nui6 = indicator(doc, nid(doc, "НҰИ –6"))
    assert nui6["unit"] == "Жыл саны"
    assert nui6["responsible"] == (
        "ДСБ, қалалар мен аудандар әкімдіктері Облыс әкімінің орынбасары – А. Ыдырысов"
    )
    assert nui6["info_source"] == "Статистикалық деректер"
    mamc = indicator(doc, nid(doc, "1.1 көрсеткіш", "МӘМС"))
    assert mamc["info_source"] == ("Статистикалық деректер, Saqtandyrý ақпараттық жүйесінен түсіру")
    assert indicator(doc, nid(doc, "2.5 көрсеткіш"))["unit"] == "%"
    assert indicator(doc, nid(doc, "ЦИ"))["unit"] == "млрд тенге"
    assert indicator(doc, nid(doc, "6.2 көрсеткіш"))["unit"] is None
    assert indicator(doc, nid(doc, "1.2 көрсеткіш", "қосымша"))["responsible"] is None
    assert indicator(doc, nid(doc, "НҰИ –15"))["info_source"] == "ЖАП (келісім бойынша))"


# -- polarity ----------------------------------------------------------------------------------

POLARITY_TITLES = [
    ("Балалар арасында семіздікпен сырқаттанушылықтың төмендеуі (0 – 14 жас, 100 мың тұрғынға)",
     "decrease"),
    ("Туберкулезбен сырқаттанушылықты төмендету", "decrease"),
    ("Аналар өлім-жітімін төмендету", "decrease"),
    ("Бес жасқа дейінгі балалардың өлім-жітім коэффициенті", "decrease"),
    ("Электр желілерінің тозуын азайту", "decrease"),
    ("ҚТҚ полигондарын салуға қажеттілікті азайту", "decrease"),
    ("Табысы ең төменгі күнкөріс деңгейінен /кедейлік шегінен төмен халықтың үлесі", "decrease"),
    ("Ұлттық бағдарламаларға енгізілген барлық вакциналармен иммундаумен қамтылған халықтың "
     "нысаналы тобының үлесі кемінде 95%", "target"),
    ("Салауатты өмір салтын ұстанатын Қазақстан азаматтарының үлесін арттыру", "increase"),
    ("Дене шынықтырумен және спортпен шұғылданатын азаматтар санын жалпы халықтың 50% - на дейін "
     "жеткізу", "increase"),
    ("0-I сатысында анықталған бастапқы қатерлі ісіктердің үлес салмағының өсуі (ерте "
     "диагностика деңгейі)", "increase"),
    ("Жақсы және қанағаттанарлық жағдайдағы ішкі жолдардың үлесін ұлғайту", "increase"),
    ("Повышение качества подготовки медицинских кадров и развитие медицинской науки", "increase"),
    ("Финансовые ресурсы", "increase"),
]  # fmt: skip


@pytest.mark.parametrize(("title", "polarity"), POLARITY_TITLES)
def test_polarity_of_real_titles(title: str, polarity: str) -> None:
    assert infer_polarity(title) == polarity


def test_polarity_in_the_dataset() -> None:
    doc = parsed()
    expected = {
        ("НҰИ –11", ""): "decrease",
        ("2.3 көрсеткіш", ""): "decrease",
        ("6.4 көрсеткіш", ""): "decrease",
        ("3.1 көрсеткіш", "вакциналармен"): "target",
        ("НҰИ –6", ""): "increase",
        ("5.1 көрсеткіш", ""): "increase",
        # a share planned at 100 % every year is a level to hold
        ("6.1 көрсеткіш", ""): "target",
        ("НИ", "Меншік нысанына"): "target",
        # planned at 100 % but printed as a rise from 96 to 100: still 100 each plan year
        ("НИ", "2 жастан 6 жасқа"): "increase",
    }
    for (code, title), polarity in expected.items():
        assert indicator(doc, nid(doc, code, title))["polarity"] == polarity, (code, title)
    counts: dict[str, int] = {}
    for i in rows(doc, "indicators"):
        counts[str(i["polarity"])] = counts.get(str(i["polarity"]), 0) + 1
    assert counts == {"decrease": 15, "target": 6, "increase": 39}


# -- funding -----------------------------------------------------------------------------------

M = 1_000_000


def funding_rows(doc: ParsedDocument) -> dict[tuple[object, ...], tuple[float, str]]:
    """The amount of each node, year, source and kind: the first printed row (the rows printed
    under it, "оның ішінде …", are its parts)."""
    out: dict[tuple[object, ...], tuple[float, str]] = {}
    for f in sorted(rows(doc, "funding"), key=lambda f: int(str(f["source_line"]))):
        key = (f["node_id"], f["year"], f["source"], f["kind"])
        out.setdefault(key, (float(str(f["amount"])), str(f["amount_raw"])))
    return out


def test_passport_funding_exact() -> None:
    doc = parsed()
    funding = funding_rows(doc)
    assert funding[(None, None, None, "plan")] == (184_716 * M, "184 716 млн. теңге")
    assert funding[(None, 2026, None, "plan")] == (78_935_300_000.0, "78 935,3млн. теңге")
    assert funding[(None, 2027, None, "plan")] == (60_593_800_000.0, "60 593,8 млн. теңге")
    assert funding[(None, 2028, None, "plan")] == (30_927_700_000.0, "30 927,7 млн. теңге")
    assert funding[(None, 2029, None, "plan")] == (14_134 * M, "14 134 млн теңге")
    assert funding[(None, 2030, None, "plan")] == (125_200_000.0, "125,2 млн теңге")
    # the table's grand total (line 1326) adds the years the passport does not give
    assert funding[(None, 2024, None, "fact")] == (46_355_200_000.0, "46 355,2")
    assert funding[(None, 2025, None, "plan")] == (34_701_500_000.0, "34 701,5")
    plan_level = [k for k in funding if k[0] is None]
    assert len(plan_level) == 8
    total = next(f for f in rows(doc, "funding") if f["node_id"] is None and f["year"] is None)
    assert str(total["comment"]).startswith(
        "Қаржыландыру көздері: республикалық және жергілікті бюджеттер, инвесторлардың"
    )
    assert all(f["currency"] == "KZT" for f in rows(doc, "funding"))
    # the passport's years add up to its total, so no warning
    assert not [w for w in doc.warnings if "add up" in w.message]


def test_part4_funding_exact() -> None:
    doc = parsed()
    funding = funding_rows(doc)
    years = range(2024, 2031)
    blocks = {
        # "Финансовые ресурсы" (line 861), under the forestry goal printed only in part 4
        nid(doc, None, "Орман ресурстарын"): [
            "60,0", "225,0", "58,0", "26,0", "26,0", "86,0", "32,0",
        ],
        # "Финансовые ресурсы" (line 1104), under the goal of regional standards
        nid(doc, None, "Халықтың объектілері мен"): [
            "46 240,2", "34 417,6", "78 779,7", "60 482,7", "30 846,9", "14003,4", "0,0",
        ],
        # "Қаржы ресурстары" of the ОДМ direction (line 1301) and the block's subtotal (1314)
        nid(doc, "6-бағыт"): ["30,9", "28,6", "67,3", "54,8", "24,5", "14,1", "62,6"],
        nid(doc, None, "Өзге жоспарлау құжаттарын"): [
            "30,9", "28,6", "67,3", "54,8", "24,5", "14,1", "62,6",
        ],
    }  # fmt: skip
    for node_id, raws in blocks.items():
        for year, raw in zip(years, raws, strict=True):
            kind = "fact" if year == 2024 else "plan"
            amount = round(float(raw.replace(" ", "").replace(",", ".")) * M, 6)
            assert funding[(node_id, year, None, kind)] == (amount, raw), (node_id, year)
    # money rows of dashes only (direction 2, 1-бағыт, 4-бағыт) and "оның ішінде" give nothing
    assert len(funding) == 8 + 4 * 7
    assert not any(k[0] == nid(doc, "2-бағыт") for k in funding)
    estimate = next(
        f for f in rows(doc, "funding") if f["node_id"] == nid(doc, "6-бағыт") and f["year"] == 2025
    )
    assert estimate["comment"] == "Ағымдағы жылдың жоспары (фактісі)"


# -- variants ----------------------------------------------------------------------------------


def shift_years(body: str, by: int) -> str:
    """Every year 2020-2039 of the text moved by ``by`` (not numbers such as 2030,0)."""
    return re.sub(
        r"(?<![\d,.])\b(20[2-3]\d)\b(?![,.]\d)", lambda m: str(int(m.group(1)) + by), body
    )


def test_variant_another_city_and_period() -> None:
    body = shift_years(text(), 5).replace("Жезқазған", "Сәтбаев")
    doc = parse_text(body, "satbayev.txt")
    plan = rows(doc, "plans")[0]
    assert (plan["city"], plan["city_native"]) == ("Satbayev", "Сәтбаев")
    assert (plan["period_start"], plan["period_end"]) == (2031, 2035)
    assert plan["plan_id"] == "satbayev-plan-2031-2035"
    assert value_of(doc, nid(doc, "НҰИ –6"), 2029, "fact") == (73.6, "73,6")
    assert value_of(doc, nid(doc, "НҰИ –6"), 2035, "plan") == (74.2, "74,2")
    assert value_of(doc, nid(doc, "1.2 көрсеткіш", "Соның"), 2030, "estimate") == (
        2030.0,
        "2030,0",
    )
    original = snapshot(parsed(), year_shift=5)
    variant = snapshot(doc)
    assert variant["nodes"] == original["nodes"]
    assert variant["values"] == original["values"]
    assert variant["funding"] == original["funding"]
    assert [w.message for w in doc.warnings] == [w.message for w in parsed().warnings]


def test_variant_unknown_city_is_transliterated() -> None:
    doc = parse_text(text().replace("Жезқазған", "Қаражал"), "karazhal.txt")
    plan = rows(doc, "plans")[0]
    assert (plan["city"], plan["city_native"]) == ("Karazhal", "Қаражал")


def test_variant_part4_block_moved() -> None:
    # the НҰИ –15 block (lines 826-872, with its money row) moved after the НҰИ – 13 block
    body, block = cut_lines(text(), 826, 872)
    lines = body.split("\n")
    at = lines.index("\tНаправление 2. Сквозные преобразования экономики и общества")
    body = "\n".join(lines[:at] + block + lines[at:])
    doc = parse_text(body)
    assert snapshot(doc) == snapshot(parsed())
    assert value_of(doc, nid(doc, "НҰИ –15"), 2024, "fact") == (50.2, "50,2")


def test_variant_passport_items_moved() -> None:
    # the passport's НҰИ –15 and its НИ (lines 68-69) moved after sphere 7 (line 92)
    body, block = cut_lines(text(), 68, 69)
    body = insert_lines(body, 90, block)
    doc = parse_text(body)
    assert snapshot(doc) == snapshot(parsed())


def test_variant_page_break_in_the_passport_list_of_two_blank_lines() -> None:
    # The passport's list of directions, goals and indicators goes on after a page break (one
    # blank line before "НҰИ –15."); a form that puts two blank lines there reads the same.
    body = text()
    assert "\n\nНҰИ –15." in body
    doc = parse_text(body.replace("\n\nНҰИ –15.", "\n\n\nНҰИ –15.", 1))
    assert snapshot(doc) == snapshot(parsed())
    assert doc.count("nodes") == parsed().count("nodes")


def test_the_passport_list_ends_at_the_next_part_after_blank_lines() -> None:
    # The list is the last passport field here: the numbered heading of part 2 after two blank
    # lines is the next part of the document, not a sphere of the list.
    body = text()
    resources = body.index("\tҚажетті ресурстар")
    part2 = body.index("\n2. Аумақты дамыту пайымы")
    doc = parse_text(body[:resources] + "\n\n" + body[part2:])
    assert not [n for n in rows(doc, "nodes") if "Аумақты дамыту" in str(n["title"])]
    assert doc.count("nodes") == parsed().count("nodes")


def test_whole_rows_and_rows_split_at_a_page_break_read_alike() -> None:
    # The tab export splits six rows of part 4 at page breaks; web-page text gives them whole.
    # A Word file of those whole rows reads to the same plan as the export with its split rows.
    source = read_source(DOC)
    split = read_text_export(source.lines, path=source.path, sha256=source.sha256)
    whole = read_web_text(web_text(split).split("\n"), path="plan.txt", sha256="")
    part4 = [t for t in whole.tables() if len(t.rows) > 50]
    assert len(part4) == 1 and len(part4[0].rows) < max(len(t.rows) for t in split.tables())
    doc = parse_source(source_from_bytes(docx_bytes(whole), "whole.docx"))
    assert doc.source.form == "docx"
    assert snapshot(doc) == snapshot(parsed())
    assert doc.count("values") == parsed().count("values")


def test_variant_row_removed() -> None:
    body, removed = cut_lines(text(), 436, 448)  # the part-4 row of 2.2 көрсеткіш
    assert removed[1].startswith("\t2.2 көрсеткіш")
    doc = parse_text(body)
    neonatal = nid(doc, "2.2 көрсеткіш")  # the passport still names it
    assert not [v for v in rows(doc, "values") if v["node_id"] == neonatal]
    assert doc.count("values") == parsed().count("values") - 7
    original = snapshot(parsed())
    variant = snapshot(doc)
    assert variant["nodes"] == original["nodes"]
    assert {v for v in original["values"] if v[0][-1][1] != "2.2 көрсеткіш"} == variant["values"]


def test_variant_row_added() -> None:
    new_row = [
        "\t",
        "\t2.8 көрсеткіш. ",
        "Жаңа туған нәрестелердің скринингпен қамтылуы",
        "\tДСБ, қала әкімінің орынбасары – Б. Әбен",
        "\tӘкімшілік деректер",
        "\t%",
        *[f"\t{n}" for n in ("80", "81,5", "83", "85", "87", "89", "91")],
        "",
    ]
    doc = parse_text(insert_lines(text(), 518, new_row))
    added = nid(doc, "2.8 көрсеткіш")
    assert paths(doc)[added][-2][:2] == ("task", "2-міндет")
    assert paths(doc)[added][-3][2].startswith("Көрсетілетін медициналық")
    assert value_of(doc, added, 2025, "estimate") == (81.5, "81,5")
    assert value_of(doc, added, 2030, "plan") == (91.0, "91")
    assert doc.count("values") == parsed().count("values") + 7
    assert doc.count("nodes") == parsed().count("nodes") + 1


def test_variant_numbers_changed() -> None:
    body = edit_lines(
        text(),
        {
            286: ("73,6", "74,1"),  # НҰИ –6, 2024
            417: ("32,5", "30,0"),  # 1.3 Туберкулез, 2030
            1175: ("87%", "88%"),  # НИ-1 Мемлекеттік тіл, 2024
            1330: ("46 355,2", "47 000,0"),  # grand total, 2024
            1108: ("46 240,2", "46 000,0"),  # money row, 2024
        },
    )
    doc = parse_text(body)
    assert value_of(doc, nid(doc, "НҰИ –6"), 2024, "fact") == (74.1, "74,1")
    assert value_of(doc, nid(doc, "1.3 көрсеткіш", "Туберкулез"), 2030, "plan") == (30.0, "30,0")
    assert value_of(doc, nid(doc, "НИ-1", "Мемлекеттік тілді"), 2024, "fact") == (88.0, "88%")
    funding = funding_rows(doc)
    assert funding[(None, 2024, None, "fact")] == (47_000 * M, "47 000,0")
    assert funding[(nid(doc, None, "Халықтың объектілері мен"), 2024, None, "fact")] == (
        46_000 * M,
        "46 000,0",
    )
    changed = snapshot(doc)["values"] ^ snapshot(parsed())["values"]
    assert len(changed) == 6  # three values, each old and new


def test_variant_passport_total_disagrees() -> None:
    body = edit_lines(text(), {116: ("2027 жыл – 60 593,8", "2027 жыл – 60 000,0")})
    doc = parse_text(body)
    assert funding_rows(doc)[(None, 2027, None, "plan")] == (60_000 * M, "60 000,0 млн. теңге")
    messages = [(w.line, w.message) for w in doc.warnings]
    assert any(line == 1333 and "differs from the passport" in m for line, m in messages)
    assert any(line == 116 and "do not add up" in m for line, m in messages)


def test_variant_cells_wrapped_differently() -> None:
    lines = text().split("\n")
    assert lines[408:410] == ["\tна 100 тыс.", "населения"]
    lines[408:410] = ["\tна 100 тыс. населения"]  # a two-line unit on one line
    body = "\n".join(lines)
    body = body.replace(
        "\tНҰИ - 6\nХалықтың туылған кездегі күтілетін өмір сүру ұзақтығы (облыс бойынша)",
        "\tНҰИ - 6 Халықтың туылған кездегі\nкүтілетін өмір сүру\nұзақтығы (облыс бойынша)",
    )
    body = body.replace(  # a title cell that starts on the code's line
        "\t1.1 көрсеткіш Қатерлі аурулардан",
        "\t1.1 көрсеткіш\nҚатерлі аурулардан",
    )
    lines = body.split("\n")
    # a whole row on one physical line, its cells separated by tabs (НИ-5, lines 1257-1269)
    at = lines.index("\tНИ-5")
    assert lines[at - 1] == "\t" and lines[at + 11] == "\t75"
    cells: list[str] = []
    for line in lines[at - 1 : at + 12]:
        if line.startswith("\t"):
            cells.append(line[1:])
        else:
            cells[-1] += " " + line
    lines[at - 1 : at + 12] = ["\t" + "\t".join(cells)]
    # a blank line inside a row: after the responsible cell of 6.3 (line 1044)
    at = lines.index("\t6.3 көрсеткіш ")
    assert lines[at + 3].startswith("Облыс әкімінің орынбасары") and lines[at + 4] == "\t"
    lines.insert(at + 4, "")
    body = "\n".join(lines)
    doc = parse_text(body)
    assert snapshot(doc) == snapshot(parsed())


def test_variant_crlf() -> None:
    doc = devplan.parse(source_from_bytes(text().replace("\n", "\r\n").encode("utf-8"), "c.txt"))
    assert snapshot(doc) == snapshot(parsed())
    assert [w.line for w in doc.warnings] == [w.line for w in parsed().warnings]


def test_variant_utf16_with_bom() -> None:
    doc = devplan.parse(source_from_bytes(text().encode("utf-16"), "u16.txt"))
    assert snapshot(doc) == snapshot(parsed())


def test_variant_kz1048() -> None:
    # KZ-1048 has no ² ³ ý: those three become plain letters first
    body = text().replace("²", "2").replace("³", "3").replace("ý", "y")
    doc = devplan.parse(source_from_bytes(body.encode("kz1048"), "kz.txt"))
    assert rows(doc, "plans")[0]["city_native"] == "Жезқазған"
    assert snapshot(doc)["values"] == snapshot(parsed())["values"]
    assert snapshot(doc)["nodes"] == snapshot(parsed())["nodes"]
    assert devplan.detect(source_from_bytes(body.encode("kz1048"), "kz.txt").lines) >= 0.5


def test_variant_cut_off_mid_row() -> None:
    body = "\n".join(text().split("\n")[:700])  # inside the row of line 688 (mathematics)
    doc = parse_text(body)
    cut = [w for w in doc.warnings if "cut off" in w.message]
    assert len(cut) == 1
    assert cut[0].line == 700
    assert "line 700" in cut[0].message and "starts at line 688" in cut[0].message
    assert "9 of 12 cells" in cut[0].message
    # what was read is kept: the rows before, and the cells of the cut row
    assert value_of(doc, nid(doc, "НҰИ –7"), 2029, "plan") == (417.0, "417")
    maths = nid(doc, "НҰИ – 8")
    assert value_of(doc, maths, 2025, "estimate") == (428.0, "428")
    assert value_of(doc, maths, 2027, "plan") == (None, "-")
    assert not [v for v in rows(doc, "values") if v["node_id"] == maths and v["year"] == 2028]
    assert len({v["node_id"] for v in rows(doc, "values")}) == 27  # 26 full rows + the cut one


def test_variant_cut_off_between_rows() -> None:
    body = "\n".join(text().split("\n")[:1115])  # after the money row ending on line 1114
    doc = parse_text(body)
    warning = [w for w in doc.warnings if "grand total" in w.message]
    assert len(warning) == 1 and warning[0].line == 1114
    assert len({v["node_id"] for v in rows(doc, "values")}) == 50


def test_variant_cut_off_before_the_table() -> None:
    body = "\n".join(text().split("\n")[:200])
    doc = parse_text(body)
    assert any(w.line == 200 and "before the part-4" in w.message for w in doc.warnings)
    assert doc.count("nodes") == 92  # the passport's items
    assert doc.count("values") == 0
    assert doc.count("funding") == 6  # the passport's total and its five years


def test_variant_without_passport_structure() -> None:
    # the passport's "Бағыттар, мақсаттар, ..." field (lines 14-113) removed: part 4 alone
    lines = text().split("\n")
    doc = parse_text("\n".join(lines[:13] + lines[113:]))
    assert doc.count("values") == parsed().count("values")
    assert len({v["node_id"] for v in rows(doc, "values")}) == 59
    top = [(n["code"], n["title"]) for n in rows(doc, "nodes") if n["parent_id"] is None]
    assert [code for code, _ in top] == ["1-бағыт", "Направление 2", None]
    assert value_of(doc, nid(doc, "НИ-13"), 2024, "fact") == (90.0, "90,0")
    assert doc.count("funding") == 43


BROKEN: list[tuple[str, Callable[[str], str], str]] = [
    (
        "no title",
        lambda t: "\n".join(line for line in t.split("\n") if "даму жоспары" not in line),
        "Атауы",
    ),
    (
        "no city",
        lambda t: t.replace("Жезқазған қаласының 2026-2030", "Қаланың 2026-2030"),
        "city",
    ),
    (
        "no structure",
        lambda t: "\n".join(
            line for line in t.split("\n")[:236] if not line.startswith("\tБағыттар, мақсаттар")
        ),
        "part-4 table",
    ),
]


@pytest.mark.parametrize(("name", "transform", "expected"), BROKEN)
def test_broken_documents_raise_a_clear_error(
    name: str, transform: Callable[[str], str], expected: str
) -> None:
    with pytest.raises(DocumentError) as error:
        parse_text(transform(text()), "broken.txt")
    assert "broken.txt" in str(error.value)
    assert expected in str(error.value), name


def test_same_document_same_ids() -> None:
    first = devplan.parse(read_source(DOC))
    second = devplan.parse(read_source(DOC))
    for table in ("nodes", "values", "indicators", "funding"):
        assert first.tables[table].equals(second.tables[table])


# -- what part 4 says of the structure, and the rows printed under a total ---------------------


def children(doc: ParsedDocument, parent: str) -> list[tuple[str, str, str]]:
    return [
        (str(n["kind"]), str(n["code"]), str(n["title"]))
        for n in rows(doc, "nodes")
        if n["parent_id"] == parent
    ]


def section_row(title: str) -> list[str]:
    """A part-4 heading row: an empty № cell, the heading, the blank line that ends it."""
    return ["\t", f"\t{title}", ""]


def test_part4_sections_hold_the_goals_that_follow_them() -> None:
    # part 4 prints three section headings in the first direction: before НҰИ –6 (line 277),
    # НҰИ –11 (line 589) and НҰИ –7 (line 672); inserted bottom up to keep the line numbers
    body = insert_lines(text(), 671, section_row("Білім беру"))
    body = insert_lines(body, 588, section_row("Жұмыспен қамту"))
    body = insert_lines(body, 276, section_row("Денсаулық сақтау"))
    doc = parse_text(body)
    direction = nid(doc, "3-бағыт")
    sections = [c for c in children(doc, direction)]
    assert [(k, t) for k, _, t in sections] == [
        ("section", "Денсаулық сақтау"),
        ("section", "Жұмыспен қамту"),
        ("section", "Білім беру"),
    ]
    health, employment, education = (
        str(n["node_id"]) for n in rows(doc, "nodes") if n["parent_id"] == direction
    )
    # the passport's heading (line 16) holds only the health goals that follow it in part 4
    assert [n["source_line"] for n in rows(doc, "nodes") if n["node_id"] == health] == [16]
    assert [(k, c) for k, c, _ in children(doc, health)] == [
        ("target", "НҰИ –6"),
        ("goal", "None"),
        ("goal", "None"),
        ("goal", "None"),
    ]
    assert [t[:20] for _, _, t in children(doc, health)][1:] == [
        "Денсаулық сақтау сал",
        "Көрсетілетін медицин",
        "Халықты медициналық ",
    ]
    # a heading only part 4 prints: НҰИ –11, the employment goal and its second print
    assert [(k, c) for k, c, _ in children(doc, employment)] == [
        ("target", "НҰИ –11"),
        ("goal", "None"),
        ("goal", "None"),
    ]
    kinds = [k for k, _, _ in children(doc, education)]
    assert kinds.count("goal") == 4 and kinds.count("target") == 6
    assert doc.count("values") == parsed().count("values")


def test_passport_section_moved_part4_has_none() -> None:
    # the passport's "Денсаулық сақтау" (line 16) stands before НҰИ –11 (line 49) instead:
    # part 4 prints no section, so neither place makes one
    body, heading = cut_lines(text(), 16, 16)
    body = insert_lines(body, 47, heading)
    assert body.split("\n")[47] == "Денсаулық сақтау"
    doc = parse_text(body)
    assert snapshot(doc) == snapshot(parsed())


def test_passport_section_kept_without_part4() -> None:
    # cut before part 4: the passport is all there is, its section stays
    doc = parse_text("\n".join(text().split("\n")[:200]))
    health = next(
        n for n in rows(doc, "nodes") if n["title"] == "Денсаулық сақтау" and not n["code"]
    )
    assert health["source_line"] == 16
    under = children(doc, str(health["node_id"]))
    assert under[0][:2] == ("target", "НҰИ –6") and len(under) == 16


def test_of_which_row_is_read_with_its_label() -> None:
    doc = parsed()
    label = (
        "оның ішінде нысаналы индикаторлармен және нәтижелер көрсеткіштерімен қамтылмаған "
        "қаржы ресурстары"
    )
    found = [f for f in rows(doc, "funding") if f["label"] == label]
    # lines 1338-1348: млн тенге, one amount a year; a part of the grand total (plan level)
    assert [(f["year"], f["kind"], f["amount_raw"], f["source_line"]) for f in found] == [
        (2024, "fact", "1 807,7", 1342),
        (2025, "plan", "1 413,6", 1343),
        (2026, "plan", "1 495,9", 1344),
        (2027, "plan", "1 510,5", 1345),
        (2028, "plan", "1 540,7", 1346),
        (2029, "plan", "1 571,5", 1347),
        (2030, "plan", "1 807,7", 1348),
    ]
    assert all(f["node_id"] is None and f["source"] is None for f in found)
    assert float(str(found[2]["amount"])) == 1_495_900_000.0
    # the grand total it is a part of, and every row's label and line
    total = [f for f in rows(doc, "funding") if f["label"] == "БАРЛЫҚ каржы ресурстары"]
    assert [(f["year"], f["source_line"]) for f in total] == [(2024, 1330), (2025, 1331)]
    assert all(f["label"] and f["source_line"] for f in rows(doc, "funding"))
    passport = [f for f in rows(doc, "funding") if f["source_line"] == 116]
    assert [f["label"] for f in passport][2:] == ["2027 жыл", "2028 жыл", "2029 жылы", "2030 жылы"]


def test_of_which_in_the_funding_view_is_not_counted_twice() -> None:
    from workbench.analysis.funding.index import FundingIndex
    from workbench.analysis.funding.view import funding_view

    doc = parsed()
    view = funding_view(FundingIndex.build(doc.tables), plan_id=doc.plan_id)
    parts = view.rows.filter(pl.col("amount_raw") == "1 495,9")
    assert parts.get_column("row_type").to_list() == ["detail"]
    counted = view.cells.filter((pl.col("year") == 2026) & (pl.col("kind") == "plan"))
    # 2026: the forestry goal 58,0 + the regional standards goal 78 779,7 + ОДМ 67,3
    assert counted.get_column("amount").sum() == pytest.approx((58.0 + 78_779.7 + 67.3) * M)


def test_variant_other_city_of_which_changed_and_wrapped() -> None:
    body = text().replace("Жезқазған", "Сәтбаев")
    body = edit_lines(body, {1344: ("1 495,9", "1 600,0"), 1341: ("млн.тенге", "млн теңге")})
    body = body.replace(
        "\tоның ішінде нысаналы индикаторлармен және нәтижелер көрсеткіштерімен қамтылмаған "
        "қаржы ресурстары",
        "\tоның ішінде нысаналы индикаторлармен\nжәне нәтижелер көрсеткіштерімен қамтылмаған "
        "қаржы ресурстары",
    )
    doc = parse_text(body, "satbayev.txt")
    assert rows(doc, "plans")[0]["city"] == "Satbayev"
    found = {
        f["year"]: (f["amount"], f["source_line"])
        for f in rows(doc, "funding")
        if str(f["label"]).startswith("оның ішінде нысаналы")
    }
    assert found[2026] == (1_600_000_000.0, 1345)
    assert len(found) == 7
    assert not [
        n
        for n in rows(doc, "nodes")
        if n["title"] == "Денсаулық сақтау"
        and n["kind"] == "section"
        and n["parent_id"] is not None
        and str(n["parent_id"]).count("/") == 0
    ]


def test_variant_of_which_names_a_source() -> None:
    # under the ОДМ direction's money row (lines 1300-1311): "of which, the republican budget"
    row = [
        "\t",
        "\tоның ішінде республикалық бюджет",
        "\t",
        "\t",
        "\tмлн тенге",
        *[f"\t{n}" for n in ("10,0", "11,0", "12,0", "13,0", "14,0", "15,0", "16,0")],
        "",
    ]
    doc = parse_text(insert_lines(text(), 1312, row))
    odm = nid(doc, "6-бағыт")
    found = [f for f in rows(doc, "funding") if f["node_id"] == odm and f["source"]]
    assert [(f["year"], f["source"], f["amount"]) for f in found][:2] == [
        (2024, "republican", 10 * M),
        (2025, "republican", 11 * M),
    ]
    assert found[0]["label"] == "оның ішінде республикалық бюджет"
    assert len(found) == 7


def test_variant_sections_reordered_rows_removed() -> None:
    # the НҰИ –11 block of part 4 (lines 589-671, both employment goals) removed and the
    # passport's spheres 2. and 1. swapped (lines 74-76 after 77-78): НҰИ –11 read from the
    # passport alone goes to the direction with its goal, the spheres keep their items
    body, _ = cut_lines(text(), 589, 671)
    body, spheres = cut_lines(body, 74, 76)
    body = insert_lines(body, 75, spheres)
    doc = parse_text(body)
    p = paths(doc)
    assert p[nid(doc, "НҰИ –11")][:-1] == (("direction", "3-бағыт", "Өмірдің жоғары сапасы"),)
    goal = node(doc, None, "Халықты жұмыспен қамтуға", kind="goal")
    assert p[str(goal["node_id"])][-2][1] == "3-бағыт"
    assert p[nid(doc, "1.2 көрсеткіш", "қосымша біліммен")][-2] == ("section", "1", "Білім")
    assert value_of(doc, nid(doc, "1.2 көрсеткіш", "қосымша біліммен"), 2030, "plan") == (
        91.9,
        "91,9",
    )


def test_funding_report_rows_carry_label_and_line() -> None:
    from workbench.analysis.funding.index import FundingIndex
    from workbench.analysis.funding.report import funding_report_rows

    doc = parsed()
    rows_ = funding_report_rows(FundingIndex.build(doc.tables), plan_id=doc.plan_id)
    part = rows_.filter(pl.col("source_line") == 1344).to_dicts()
    assert len(part) == 1
    assert str(part[0]["label"]).startswith("оның ішінде нысаналы индикаторлармен")
    assert part[0]["row_type"] == "detail"
    total = rows_.filter(pl.col("source_line") == 1330).to_dicts()
    assert (total[0]["label"], total[0]["year"]) == ("БАРЛЫҚ каржы ресурстары", 2024)
