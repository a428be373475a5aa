"""A synthetic canonical dataset in the exact data contract, for tests and the benchmark.

``generate(n_plans)`` makes plans of Kazakh and Kyrgyz cities with realistic shapes: directions →
sections → goals → (tasks → activities) and indicators (some with sub-indicators) with units,
polarity, and values over ``years`` years of kinds baseline / plan / fact / estimate, execution
text that claims "орындалды" / "аткарылды" or not, plus plan-level funding. Deterministic for a
seed. ``python bench/synthetic.py OUT --plans 1000`` writes one to a folder.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from workbench.dataset import parquet_folder
from workbench.dataset.contract import SCHEMAS, TABLES, empty_frame
from workbench.dataset.text import slug

KZ_CITIES = (
    ("Taraz", "Тараз"),
    ("Zhezkazgan", "Жезқазған"),
    ("Shymkent", "Шымкент"),
    ("Aktobe", "Ақтөбе"),
    ("Karaganda", "Қарағанды"),
    ("Oskemen", "Өскемен"),
    ("Kostanay", "Қостанай"),
    ("Kyzylorda", "Қызылорда"),
    ("Oral", "Орал"),
    ("Atyrau", "Атырау"),
    ("Aktau", "Ақтау"),
    ("Turkistan", "Түркістан"),
    ("Ekibastuz", "Екібастұз"),
    ("Satbayev", "Сәтбаев"),
    ("Zhanaozen", "Жаңаөзен"),
    ("Balkhash", "Балқаш"),
)
KG_CITIES = (
    ("Bishkek", "Бишкек"),
    ("Osh", "Ош"),
    ("Jalal-Abad", "Жалал-Абад"),
    ("Karakol", "Каракол"),
    ("Tokmok", "Токмок"),
    ("Kara-Balta", "Кара-Балта"),
    ("Tash-Komur", "Таш-Көмүр"),
    ("Naryn", "Нарын"),
    ("Talas", "Талас"),
    ("Uzgen", "Өзгөн"),
    ("Balykchy", "Балыкчы"),
    ("Kyzyl-Kiya", "Кызыл-Кыя"),
)

DIRECTIONS = {
    "kk": (
        "Экономика",
        "Әлеуметтік сала",
        "Инфрақұрылым және тұрғын үй-коммуналдық шаруашылық",
        "Экология және жер ресурстары",
        "Қауіпсіздік және құқық тәртібі",
        "Мемлекеттік басқару",
    ),
    "ky": (
        "Экономика жана ишкердик",
        "Социалдык чөйрө",
        "Инфраструктура жана турак жай-коммуналдык чарба",
        "Экология жана жер ресурстары",
        "Коомдук коопсуздук",
        "Жергиликтүү башкаруу",
    ),
}
SECTIONS = {
    "kk": (
        "Өнеркәсіп",
        "Агроөнеркәсіп кешені",
        "Шағын және орта бизнес",
        "Білім беру",
        "Денсаулық сақтау",
        "Жұмыспен қамту",
        "Сумен жабдықтау",
        "Жолдар және көлік",
        "Мәдениет және спорт",
        "Тұрғын үй құрылысы",
    ),
    "ky": (
        "Өнөр жай",
        "Айыл чарба",
        "Чакан жана орто ишкердик",
        "Билим берүү",
        "Саламаттыкты сактоо",
        "Жумуш менен камсыз кылуу",
        "Ичүүчү суу менен камсыздоо",
        "Жолдор жана транспорт",
        "Маданият жана спорт",
        "Турак жай куруу",
    ),
}
GOALS = {
    "kk": (
        "{s} саласының бәсекеге қабілеттілігін арттыру",
        "{s} қызметтерінің сапасы мен қолжетімділігін арттыру",
        "{s} саласына инвестиция тарту",
        "Халықтың {s} саласындағы қажеттіліктерін қамтамасыз ету",
    ),
    "ky": (
        "{s} тармагынын атаандаштыкка жөндөмдүүлүгүн жогорулатуу",
        "{s} кызматтарынын сапатын жана жеткиликтүүлүгүн жогорулатуу",
        "{s} тармагына инвестиция тартуу",
        "Калктын {s} тармагындагы муктаждыктарын камсыз кылуу",
    ),
}
# (title, unit, polarity, magnitude)
INDICATORS = {
    "kk": (
        ("Өнеркәсіп өнімінің нақты көлем индексі", "%", "increase", 102.0),
        ("Өңдеу өнеркәсібіндегі өнім шығарудың нақты көлем индексі", "%", "increase", 103.0),
        ("Негізгі капиталға инвестициялар көлемі", "млн теңге", "increase", 45_000.0),
        ("Жаңа жұмыс орындарын құру", "адам", "increase", 1_200.0),
        ("Жұмыссыздық деңгейін төмендету", "%", "decrease", 4.9),
        ("Жол-көлік оқиғаларының санын азайту", "бірлік", "decrease", 310.0),
        ("Нәресте өлімін төмендету (1000 тірі туғанға)", "промилле", "decrease", 8.2),
        ("Мектепке дейінгі білім берумен 100 % қамту (3-6 жас)", "%", "target", 100.0),
        ("Орталықтандырылған сумен жабдықтауға қолжетімділік", "%", "target", 100.0),
        ("Тұрғын үйді пайдалануға беру", "шаршы м", "increase", 180_000.0),
        ("Жөнделген жолдардың ұзындығы", "км", "increase", 42.0),
        ("Ағаш отырғызу", "дана", "increase", 15_000.0),
        ("ШОБ субъектілері шығарған өнім көлемі", "млрд теңге", "increase", 170.0),
        ("Егіс алқабын арттыру", "га", "increase", 1_400.0),
        ("Атмосфераға шығарылатын ластаушы заттарды азайту", "мың тонна", "decrease", 95.0),
        ("Көшелерді жарықтандырумен қамту", "%", "increase", 88.0),
        ("Қылмыс деңгейін төмендету (10 мың тұрғынға)", "бірлік", "decrease", 120.0),
        ("Спорттық секцияларға қатысатын балалардың үлесі", "%", "increase", 35.0),
        ("Ауыл шаруашылығы өнімінің нақты көлем индексі", "%", "increase", 101.0),
        ("Туристер саны", "мың адам", "increase", 19.0),
    ),
    "ky": (
        ("Өнөр жай продукциясынын көлөмүнүн индекси", "%", "increase", 104.0),
        ("Салык түшүүлөрүнүн көлөмү", "миң сом", "increase", 250_000.0),
        ("Жаңы жумуш орундарын түзүү", "адам", "increase", 600.0),
        ("Жумушсуздуктун деңгээлин төмөндөтүү", "%", "decrease", 6.5),
        ("Жол кырсыктарынын санын азайтуу", "бирдик", "decrease", 140.0),
        ("Мектепке чейинки билим берүү менен 100 % камтуу", "%", "target", 100.0),
        ("Таза ичүүчү суу менен камсыз болгон калктын үлүшү", "%", "target", 100.0),
        ("Асфальтталган көчөлөрдүн узундугу", "км", "increase", 18.0),
        ("Турак жайларды пайдаланууга берүү", "чарчы м", "increase", 40_000.0),
        ("Таштандыларды чыгаруу менен камтылган үй чарбалар", "%", "increase", 80.0),
        ("Инвестициялардын көлөмү", "млн сом", "increase", 900.0),
        ("Көчө жарыктандыруу менен камтуу", "%", "increase", 70.0),
        ("Бала өлүмүн кыскартуу (1000 тирүү төрөлгөнгө)", "промилле", "decrease", 14.0),
        ("Отургузулган бак-дарактар", "даана", "increase", 5_000.0),
        ("Кичи жана орто ишканалардын саны", "бирдик", "increase", 2_300.0),
        ("Туристтердин саны", "миң адам", "increase", 45.0),
    ),
}
SUB_INDICATORS = {
    "kk": ("оның ішінде: қала бойынша", "оның ішінде: ауылдық округтер", "оның ішінде: әйелдер"),
    "ky": ("анын ичинде: шаар боюнча", "анын ичинде: айыл аймактар", "анын ичинде: аялдар"),
}
TASKS = {
    "kk": "Міндет: {s} инфрақұрылымын жаңғырту",
    "ky": "Милдет: {s} инфраструктурасын жаңыртуу",
}
ACTIVITIES = {
    "kk": (
        "Жобалау-сметалық құжаттаманы әзірлеу",
        "Құрылыс-монтаж жұмыстарын жүргізу",
        "Семинар-кеңестер өткізу",
        "Жабдық сатып алу",
    ),
    "ky": (
        "Долбоордук-сметалык документтерди иштеп чыгуу",
        "Курулуш иштерин жүргүзүү",
        "Семинар-кеңешмелерди өткөрүү",
        "Жабдууларды сатып алуу",
    ),
}
RESPONSIBLE = {
    "kk": (
        "Қала әкімдігінің экономика және бюджеттік жоспарлау бөлімі",
        "Қалалық білім бөлімі",
        "Тұрғын үй-коммуналдық шаруашылық бөлімі",
        "Қалалық жұмыспен қамту орталығы",
    ),
    "ky": (
        "Мэриянын экономика бөлүмү",
        "Шаардык билим берүү башкармалыгы",
        "Турак жай-коммуналдык чарба башкармалыгы",
        "Шаардык социалдык өнүгүү бөлүмү",
    ),
}
INFO_SOURCES = ("ҰСБ деректері", "ведомстволық есептілік", "Улуттук статистика комитети")
MET_TEXT = {"kk": "Көрсеткіш орындалды", "ky": "Көрсөткүч аткарылды"}
NOT_MET_TEXT = {"kk": "Көрсеткіш орындалмады", "ky": "Көрсөткүч аткарылган жок"}
FUNDING_SOURCES = ("РБ", "ЖБ", "Инвест")

NodeFn = Callable[..., None]


@dataclass(slots=True)
class _Rows:
    plans: list[dict[str, object]]
    nodes: dict[str, list[object]]
    indicators: dict[str, list[object]]
    values: dict[str, list[object]]
    activities: dict[str, list[object]]
    funding: dict[str, list[object]]


def _columns(table: str) -> dict[str, list[object]]:
    return {name: [] for name in SCHEMAS[table]}


def _number(value: float) -> str:
    text = f"{value:,.1f}".replace(",", " ").replace(".", ",")
    return text


def generate(
    n_plans: int,
    *,
    seed: int = 7,
    indicators_per_plan: int = 300,
    years: int = 7,
    first_year: int = 2020,
) -> dict[str, pl.DataFrame]:
    """A dataset of ``n_plans`` plans in the canonical tables (frames with the exact schemas)."""
    rng = random.Random(seed)
    rows = _Rows(
        plans=[],
        nodes=_columns("nodes"),
        indicators=_columns("indicators"),
        values=_columns("values"),
        activities=_columns("activities"),
        funding=_columns("funding"),
    )
    cities = [(c, n, "KZ", "kk") for c, n in KZ_CITIES] + [(c, n, "KG", "ky") for c, n in KG_CITIES]
    for number in range(n_plans):
        city, native, country, language = cities[number % len(cities)]
        start = first_year + (number // len(cities)) % 6
        _plan(rows, rng, number, city, native, country, language, start, years, indicators_per_plan)
    tables = {table: empty_frame(table) for table in TABLES}
    tables["plans"] = pl.DataFrame(rows.plans, schema=SCHEMAS["plans"])
    for table in ("nodes", "indicators", "values", "activities", "funding"):
        tables[table] = pl.DataFrame(getattr(rows, table), schema=SCHEMAS[table])
    return tables


def _plan(
    rows: _Rows,
    rng: random.Random,
    number: int,
    city: str,
    native: str,
    country: str,
    language: str,
    start: int,
    years: int,
    n_indicators: int,
) -> None:
    end = start + years - 1
    kind = "plan" if country == "KZ" else "programme"
    plan_id = f"{slug(city)}-{kind}-{start}-{end}-s{number}"
    title = (
        f"{native} қаласын дамытудың {start}-{end} жылдарға арналған жоспары"
        if language == "kk"
        else f"{native} шаарын {start}-{end}-жылдары өнүктүрүү программасы"
    )
    rows.plans.append(
        {
            "plan_id": plan_id,
            "city": city,
            "city_native": native,
            "country": country,
            "language": language,
            "kind": kind,
            "title": title,
            "period_start": start,
            "period_end": end,
            "report_year": None,
            "currency": "KZT" if country == "KZ" else "KGS",
            "approved": None,
            "responsible": RESPONSIBLE[language][0],
            "narrative": None,
            "source_file": f"synthetic_{number:05d}.txt",
            "source_sha256": hashlib.sha256(plan_id.encode()).hexdigest(),
        }
    )
    line = 1
    current = start + min(3, years - 1)  # facts exist up to this year

    def node(
        kind: str, node_id: str, parent: str | None, code: str | None, title: str, pos: int
    ) -> None:
        nonlocal line
        line += 1
        for name, value in (
            ("plan_id", plan_id),
            ("node_id", node_id),
            ("parent_id", parent),
            ("kind", kind),
            ("code", code),
            ("title", title),
            ("position", pos),
            ("source_line", line),
        ):
            rows.nodes[name].append(value)

    n_directions = rng.randint(4, 6)
    goals_total = n_directions * 5
    per_goal = max(1, round(n_indicators / goals_total / 1.05))
    made = 0
    for d in range(1, n_directions + 1):
        d_id = f"d{d}"
        node("direction", d_id, None, None, DIRECTIONS[language][(d - 1) % 6], d)
        for s in range(1, 3 + 1):
            if made >= n_indicators:
                break
            section = rng.choice(SECTIONS[language])
            s_code = f"3.2.{(d - 1) * 3 + s}"
            s_id = f"{d_id}/s{s_code}"
            node("section", s_id, d_id, s_code, section, s)
            for g in range(1, rng.randint(1, 2) + 1):
                g_code = f"{s_code}.{g}"
                g_id = f"{s_id}/g{g_code}"
                goal = rng.choice(GOALS[language]).format(s=section)
                node("goal", g_id, s_id, g_code, goal, g)
                position = 0
                for i in range(1, per_goal + 1):
                    if made >= n_indicators:
                        break
                    position += 1
                    made += _indicator(
                        rows,
                        rng,
                        node,
                        plan_id,
                        language,
                        g_id,
                        str(i),
                        position,
                        start,
                        end,
                        current,
                    )
                if rng.random() < 0.6:
                    position += 1
                    k_id = f"{g_id}/k{position}"
                    node("task", k_id, g_id, None, TASKS[language].format(s=section), position)
                    for a in range(1, rng.randint(2, 3) + 1):
                        _activity(rows, rng, node, plan_id, language, k_id, a, start)
    for year in range(start, end + 1):
        for source in FUNDING_SOURCES:
            amount = round(rng.uniform(50, 5000), 1) * 1000
            for fkind in ("plan", "fact") if year <= current else ("plan",):
                value = amount if fkind == "plan" else round(amount * rng.uniform(0.6, 1.0), 1)
                for name, v in (
                    ("plan_id", plan_id),
                    ("node_id", None),
                    ("year", year),
                    ("source", source),
                    ("kind", fkind),
                    ("amount", value),
                    ("amount_raw", f"{_number(value / 1000)} мың"),
                    ("currency", "KZT" if country == "KZ" else "KGS"),
                    ("comment", None),
                    ("label", None),
                    ("source_line", None),
                ):
                    rows.funding[name].append(v)


def _indicator(
    rows: _Rows,
    rng: random.Random,
    node: NodeFn,
    plan_id: str,
    language: str,
    parent: str,
    code: str,
    position: int,
    start: int,
    end: int,
    current: int,
    depth: int = 0,
) -> int:
    title, unit, polarity, magnitude = rng.choice(INDICATORS[language])
    i_id = f"{parent}/i{code}"
    node(kind="indicator", node_id=i_id, parent=parent, code=code, title=title, pos=position)
    for name, value in (
        ("plan_id", plan_id),
        ("node_id", i_id),
        ("unit", unit),
        ("responsible", rng.choice(RESPONSIBLE[language])),
        ("info_source", rng.choice(INFO_SOURCES)),
        ("polarity", polarity),
    ):
        rows.indicators[name].append(value)
    base = magnitude * rng.uniform(0.8, 1.2)
    step = {"increase": 1.03, "decrease": 0.96, "target": 1.0}[polarity]
    spread = rng.choice((0.03, 0.06, 0.12))

    def value(
        year: int, kind: str, v: float | None, comment: str | None = None, claim: str | None = None
    ) -> None:
        raw = "-" if v is None else _number(v)
        for name, item in (
            ("plan_id", plan_id),
            ("node_id", i_id),
            ("year", year),
            ("kind", kind),
            ("value", None if v is None else round(v, 1)),
            ("raw", raw),
            ("comment", comment),
            ("reported_status", claim),
            ("source_line", None),
        ):
            rows.values[name].append(item)

    value(start, "baseline", base)
    for year in range(start, end + 1):
        plan = base * step ** (year - start + 1)
        if polarity == "target":
            plan = magnitude
        value(year, "plan", plan)
        if year <= current:
            if rng.random() < 0.05:
                value(year, "fact", None)
                continue
            factor = rng.gauss(1.0, spread)
            fact = plan * factor if polarity != "decrease" else plan / max(factor, 0.2)
            if polarity == "target":
                fact = min(fact, 100.0)
            comment = claim = None
            if rng.random() < 0.4:
                met = (fact >= plan) if polarity == "increase" else (fact <= plan)
                if rng.random() < 0.1:
                    met = not met  # the document's own claim is sometimes wrong
                claim = "met" if met else "not_met"
                comment = (MET_TEXT if met else NOT_MET_TEXT)[language]
            value(year, "fact", fact, comment, claim)
        elif year == current + 1:
            value(year, "estimate", plan * rng.uniform(0.95, 1.05))
    made = 1
    if depth == 0 and rng.random() < 0.1:
        for sub, sub_title in enumerate(SUB_INDICATORS[language][: rng.randint(2, 3)], start=1):
            made += _indicator(
                rows,
                rng,
                node,
                plan_id,
                language,
                i_id,
                f"{code}.{sub}",
                sub,
                start,
                end,
                current,
                1,
            )
            rows.nodes["title"][-1] = f"{sub_title}"
    return made


def _activity(
    rows: _Rows,
    rng: random.Random,
    node: NodeFn,
    plan_id: str,
    language: str,
    parent: str,
    number: int,
    year: int,
) -> None:
    a_id = f"{parent}/a{number}"
    title = rng.choice(ACTIVITIES[language])
    node(kind="activity", node_id=a_id, parent=parent, code=None, title=title, pos=number)
    quarter = rng.randint(1, 4)
    due_start = date(year, 3 * quarter - 2, 1)
    due_end = date(year, 3 * quarter, 30 if quarter in (2, 3) else 31)
    for name, value in (
        ("plan_id", plan_id),
        ("node_id", a_id),
        ("title", title),
        ("measures", None),
        ("deadline_raw", f"{quarter}-тоқсан {year}"),
        ("due_start", due_start),
        ("due_end", due_end),
        ("expected_result", None),
        ("responsible", rng.choice(RESPONSIBLE[language])),
        ("funding_raw", rng.choice(FUNDING_SOURCES)),
        ("funding_sources", [rng.choice(FUNDING_SOURCES)]),
        ("completion_form", None),
        ("report", None if rng.random() < 0.5 else "Орындалды"),
    ):
        rows.activities[name].append(value)


def write(n_plans: int, folder: str | Path, **options: int) -> Path:
    """Generate and write a dataset; returns the folder."""
    target = Path(folder)
    parquet_folder.write(generate(n_plans, **options), target)
    return target


def cache_key() -> str:
    """What a cached dataset was made from: the data contract's tables, columns and types, and
    this generator's source. A dataset cached under another key is stale (the contract gained a
    column, the generator changed) and is made again, never read."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for table, schema in SCHEMAS.items():
        digest.update(f"{table}:{list(schema.items())!r}\n".encode())
    return digest.hexdigest()[:12]


def cached(base: Path, n_plans: int) -> Path:
    """The folder of a dataset of ``n_plans`` plans made by :func:`write` under ``base``'s
    parent, named by :func:`cache_key` (``base-1000-<key>``): made once, then kept between runs
    and shared by the benches. Made in a temporary folder renamed into place, so a bench that
    runs meanwhile never reads half of one."""
    folder = base.with_name(f"{base.name}-{n_plans}-{cache_key()}")
    if (folder / "plans.parquet").exists():
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    print(f"generating {n_plans} synthetic plans in {folder} …", file=sys.stderr)
    temporary = folder.with_name(f".{folder.name}.{os.getpid()}")
    write(n_plans, temporary)
    try:
        temporary.rename(folder)
    except OSError:  # another bench made it meanwhile
        shutil.rmtree(temporary, ignore_errors=True)
    print(f"  done in {time.perf_counter() - began:.1f} s", file=sys.stderr)
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", help="folder to write the dataset into")
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--indicators", type=int, default=300)
    parser.add_argument("--years", type=int, default=7)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    began = time.perf_counter()
    write(
        args.plans, args.out, seed=args.seed, indicators_per_plan=args.indicators, years=args.years
    )
    print(
        f"wrote {args.plans} plans to {args.out} in {time.perf_counter() - began:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
