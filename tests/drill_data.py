"""A small hand-made dataset for the activities, funding and links tests.

Two plans in two cities of two countries:

``tk`` (Tash-Kömür-like programme 2026, KGS)::

    s1 section Өнөр жай
      s1/k1 task Цемент заводу
        s1/k1/a1 activity  2026 Q3          body mayoralty    sources investor
        s1/k1/a2 activity  2026 Q2          body mayoralty    (reported by the document)
      s1/k2 task Өндүрүш зоналары          body architecture (inherited by a3)
        s1/k2/a3 activity  during 2026                        sources local
        s1/k2/i1 indicator
    s2 section Билим берүү
      s2/k3 task Мектептер
        s2/k3/a4 activity  2026 Q1          body education    sources local, republican
        s2/k3/a5 activity  no deadline      body education
        s2/k3/i2 indicator                  body education
      s2/g1 goal
        s2/g1/i3 indicator

``taraz`` (Taraz-like plan 2026-2027, KZT)::

    d1 direction
      d1/g1 goal
        d1/g1/i1 indicator                  body education
        d1/g1/a1 activity  2026 Q4          body education
"""

from __future__ import annotations

from datetime import date

import polars as pl

from workbench.dataset.contract import TABLES, empty_frame, frame_from_rows

TK = "tash-komur-programme-2026"
TARAZ = "taraz-plan-2026-2027"


def _plan(
    plan_id: str,
    city: str,
    native: str,
    country: str,
    language: str,
    start: int,
    end: int,
    currency: str,
    kind: str,
) -> dict[str, object]:
    return {
        "plan_id": plan_id,
        "city": city,
        "city_native": native,
        "country": country,
        "language": language,
        "kind": kind,
        "title": f"{native} {start}",
        "period_start": start,
        "period_end": end,
        "currency": currency,
        "source_file": f"{plan_id}.txt",
        "source_sha256": "0" * 64,
    }


def _node(
    plan: str, node_id: str, kind: str, title: str, position: int, code: str | None = None
) -> dict[str, object]:
    parent = node_id.rsplit("/", 1)[0] if "/" in node_id else None
    return {
        "plan_id": plan,
        "node_id": node_id,
        "parent_id": parent,
        "kind": kind,
        "code": code,
        "title": title,
        "position": position,
    }


def _activity(
    plan: str,
    node_id: str,
    title: str,
    raw: str | None,
    start: date | None,
    end: date | None,
    sources: list[str],
    **extra: object,
) -> dict[str, object]:
    row: dict[str, object] = {
        "plan_id": plan,
        "node_id": node_id,
        "title": title,
        "deadline_raw": raw,
        "due_start": start,
        "due_end": end,
        "funding_sources": sources,
    }
    row.update(extra)
    return row


def tables() -> dict[str, pl.DataFrame]:
    out = {table: empty_frame(table) for table in TABLES}
    out["plans"] = frame_from_rows(
        "plans",
        [
            _plan(TK, "Tash-Kumyr", "Таш-Көмүр", "KG", "ky", 2026, 2026, "KGS", "programme"),
            _plan(TARAZ, "Taraz", "Тараз", "KZ", "kk", 2026, 2027, "KZT", "plan"),
        ],
    )
    out["nodes"] = frame_from_rows(
        "nodes",
        [
            _node(TK, "s1", "section", "Өнөр жай", 1),
            _node(TK, "s1/k1", "task", "Цемент заводу", 1, "1"),
            _node(TK, "s1/k1/a1", "activity", "Заводду ишке киргизүү", 1),
            _node(TK, "s1/k1/a2", "activity", "Ачылыш аземи", 2),
            _node(TK, "s1/k2", "task", "Өндүрүш зоналары", 2, "2"),
            _node(TK, "s1/k2/a3", "activity", "Зоналарды аныктоо", 1),
            _node(TK, "s1/k2/i1", "indicator", "Жумуш орундары", 2),
            _node(TK, "s2", "section", "Билим берүү", 2),
            _node(TK, "s2/k3", "task", "Мектептер", 1, "3"),
            _node(TK, "s2/k3/a4", "activity", "Спорт залын оңдоо", 1),
            _node(TK, "s2/k3/a5", "activity", "Түшүндүрүү иштери", 2),
            _node(TK, "s2/k3/i2", "indicator", "ЖРТ жыйынтыгы", 3),
            _node(TK, "s2/g1", "goal", "Сапат", 2),
            _node(TK, "s2/g1/i3", "indicator", "Мугалимдер", 1),
            _node(TARAZ, "d1", "direction", "Әлеуметтік сала", 1),
            _node(TARAZ, "d1/g1", "goal", "Білім беру", 1, "3.2.1.1"),
            _node(TARAZ, "d1/g1/i1", "indicator", "Мектептер саны", 1, "1"),
            _node(TARAZ, "d1/g1/a1", "activity", "Мектеп салу", 2, "1"),
            _node(TARAZ, "s9", "section", "Ішкі саясат бөлімі", 2),
            _node(TARAZ, "s9/gr1", "grant", "Ардагерлерді қолдау", 1, "1"),
            _node(TARAZ, "s9/gr2", "grant", "ҮЕҰ әлеуеті", 2, "2"),
        ],
    )
    out["activities"] = frame_from_rows(
        "activities",
        [
            _activity(
                TK,
                "s1/k1/a1",
                "Заводду ишке киргизүү",
                "2026-жылдын III-кварталы",
                date(2026, 7, 1),
                date(2026, 9, 30),
                ["investor"],
                measures="Цемент заводдун ишке киргизүүгө көмөк көрсөтүү",
                expected_result="Жаңы жумуш орундары түзүлдү",
                responsible="Таш-Көмүр шаардык мэриясы",
            ),
            _activity(
                TK,
                "s1/k1/a2",
                "Ачылыш аземи",
                "2026-жылдын II-кварталы",
                date(2026, 4, 1),
                date(2026, 6, 30),
                [],
                responsible="Таш-Көмүр шаардык мэриясы",
                report="Аткарылды",
            ),
            _activity(
                TK,
                "s1/k2/a3",
                "Зоналарды аныктоо",
                "2026-жылы ичинде",
                date(2026, 1, 1),
                date(2026, 12, 31),
                ["local"],
                responsible="Архитектура",
            ),
            _activity(
                TK,
                "s2/k3/a4",
                "Спорт залын оңдоо",
                "2026-жылдын I кварталы",
                date(2026, 1, 1),
                date(2026, 3, 31),
                ["local", "republican"],
                responsible="Билим берүү бөлүмү",
                expected_result="Мектептин спорт залы оңдолду",
            ),
            _activity(
                TK,
                "s2/k3/a5",
                "Түшүндүрүү иштери",
                "зарылчылыкка жараша",
                None,
                None,
                [],
                responsible="Билим берүү бөлүмү",
            ),
            _activity(
                TARAZ,
                "d1/g1/a1",
                "Мектеп салу",
                "2026 жылдың IV тоқсаны",
                date(2026, 10, 1),
                date(2026, 12, 31),
                ["oblast"],
                responsible="Білім бөлімі",
            ),
        ],
    )
    out["indicators"] = frame_from_rows(
        "indicators",
        [
            {"plan_id": TK, "node_id": "s1/k2/i1", "polarity": "increase"},
            {"plan_id": TK, "node_id": "s2/k3/i2", "polarity": "increase"},
            {"plan_id": TK, "node_id": "s2/g1/i3", "polarity": "increase"},
            {"plan_id": TARAZ, "node_id": "d1/g1/i1", "polarity": "increase"},
        ],
    )
    out["assignments"] = frame_from_rows(
        "assignments",
        [
            {"plan_id": TK, "node_id": "s1/k1/a1", "kind": "body", "code": "mayoralty"},
            {"plan_id": TK, "node_id": "s1/k1/a2", "kind": "body", "code": "mayoralty"},
            {"plan_id": TK, "node_id": "s1/k2", "kind": "body", "code": "architecture"},
            {"plan_id": TK, "node_id": "s2/k3/a4", "kind": "body", "code": "education"},
            {"plan_id": TK, "node_id": "s2/k3/a5", "kind": "body", "code": "education"},
            {"plan_id": TK, "node_id": "s2/k3/i2", "kind": "body", "code": "education"},
            {"plan_id": TARAZ, "node_id": "d1/g1/i1", "kind": "body", "code": "education"},
            {"plan_id": TARAZ, "node_id": "d1/g1/a1", "kind": "body", "code": "education"},
        ],
    )
    out["vocabulary"] = frame_from_rows(
        "vocabulary",
        [
            {"kind": "body", "code": "education", "language": "ky", "name": "Билим берүү бөлүмү"},
            {"kind": "body", "code": "education", "language": "kk", "name": "Білім бөлімі"},
            {"kind": "body", "code": "mayoralty", "language": "ky", "name": "Шаардык мэрия"},
            {"kind": "body", "code": "architecture", "language": "ky", "name": "Архитектура"},
        ],
    )
    out["grants"] = frame_from_rows(
        "grants",
        [
            {
                "plan_id": TARAZ,
                "node_id": "s9/gr1",
                "area": "Азаматтық қоғам",
                "grant_type": "1 орта мерзімді грант",
                "period_raw": "2026-2027 жж.",
                "territory": "Тараз қаласының кемінде 2 ауданы",
                "targets": ["1. кемінде 100 ардагер"],
                "expected_results": ["1. спартакиада"],
            },
            {
                "plan_id": TARAZ,
                "node_id": "s9/gr2",
                "area": "Азаматтық қоғам",
                "grant_type": "1 қысқа мерзімді грант",
                "territory": "Тараз қаласы",
                "targets": ["1. 100 өкіл", "2. 70%"],
                "expected_results": [],
            },
        ],
    )
    out["funding"] = frame_from_rows("funding", funding_rows())
    return out


def _money(
    plan: str,
    node: str | None,
    year: int | None,
    source: str | None,
    kind: str,
    amount: float,
    raw: str,
    currency: str,
    comment: str | None = None,
) -> dict[str, object]:
    return {
        "plan_id": plan,
        "node_id": node,
        "year": year,
        "source": source,
        "kind": kind,
        "amount": amount,
        "amount_raw": raw,
        "currency": currency,
        "comment": comment,
    }


def funding_rows(taraz_total_2026: float = 24_000_000.0) -> list[dict[str, object]]:
    """Funding of both plans.

    tk: plan-level plan 2026 by source (local 10 000 000,0 + republican 3 959 010,0 = the printed
    total 13 959 010,0 сом), fact 2026 local 9 000 000 (no total); activity a1 investor 500 000
    (a detail under the plan-level table); a4 printed 200 000 = local 150 000 + republican 50 000.

    taraz: grants gr1 18 000 (2026) + 18 000 (2027), gr2 6 000 (2026) thousand tenge; printed
    totals 24 000 (2026) and 18 000 (2027) thousand tenge.
    """
    kgs, kzt = "KGS", "KZT"
    return [
        _money(TK, None, 2026, None, "plan", 13_959_010.0, "13 959 010,0 сом", kgs),
        _money(TK, None, 2026, "local", "plan", 10_000_000.0, "10 000 000,0 сом", kgs),
        _money(TK, None, 2026, "republican", "plan", 3_959_010.0, "3 959 010,0 сом", kgs),
        _money(TK, None, 2026, "local", "fact", 9_000_000.0, "9 000 000,0 сом", kgs),
        _money(TK, "s1/k1/a1", 2026, "investor", "plan", 500_000.0, "500 000 сом", kgs),
        _money(TK, "s2/k3/a4", 2026, None, "plan", 200_000.0, "200 000 сом", kgs),
        _money(TK, "s2/k3/a4", 2026, "local", "plan", 150_000.0, "150 000 сом", kgs),
        _money(TK, "s2/k3/a4", 2026, "republican", "plan", 50_000.0, "50 000 сом", kgs),
        _money(TARAZ, "s9/gr1", 2026, None, "plan", 18_000_000.0, "18 000 мың теңге", kzt),
        _money(TARAZ, "s9/gr1", 2027, None, "plan", 18_000_000.0, "18 000 мың теңге", kzt),
        _money(TARAZ, "s9/gr2", 2026, None, "plan", 6_000_000.0, "6 000 мың теңге", kzt),
        _money(
            TARAZ,
            None,
            2026,
            None,
            "plan",
            taraz_total_2026,
            f"{taraz_total_2026 / 1000:,.0f} мың тенге".replace(",", " "),
            kzt,
            "printed total of the grant list (Итого)",
        ),
        _money(
            TARAZ,
            None,
            2027,
            None,
            "plan",
            18_000_000.0,
            "18 000 мың тенге",
            kzt,
            "printed total of the grant list (Итого)",
        ),
    ]
