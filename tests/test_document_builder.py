"""DocumentBuilder's frames: every table it fills holds, column by column, what its rows said.

The builder keeps each table's rows as tuples in the schema's column order and builds the frames
from their columns (a small table with Polars' row-dict constructor, a larger one a Series per
column); whichever way, a frame must hold exactly what a Series per column of the expected rows
holds, with the contract's schema, and a value of the wrong type or outside its enum is refused
naming its column. Tables are built here at a few rows and at a few hundred, so that both ways are
taken.
"""

from __future__ import annotations

import datetime

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.contract_strategies import column_values
from workbench.dataset.contract import SCHEMAS, frame_from_rows, frame_from_tuples
from workbench.dataset.text import clean
from workbench.ingest import source_from_bytes
from workbench.ingest.document import DocumentBuilder, ParsedDocument, PlanMeta

PLAN = "taraz-report-2016-2020-r2017"
# Text as documents print it: Kazakh and Kyrgyz letters, a combining accent, an emoji, a
# non-breaking space and an entity that clean() resolves, spaces to trim.
TEXTS = [
    "Жұмыссыздық деңгейі",
    "  Өзгөчө кырдаалдар бөлүмү ",
    "е\u0301лка 🌲",
    "ЖБ\u00a0&amp; РБ",
    "x",
    "Ұлттық қор, ҚР",
]


def _meta(**changes: object) -> PlanMeta:
    fields: dict[str, object] = {
        "city": "Taraz",
        "city_native": "Тараз",
        "country": "KZ",
        "language": "kk",
        "kind": "report",
        "title": "  Есеп &amp; жоспар ",
        "period_start": 2016,
        "period_end": 2020,
        "currency": "KZT",
        "report_year": 2017,
    }
    fields.update(changes)
    return PlanMeta(**fields)  # type: ignore[arg-type]


def _builder(**meta: object) -> DocumentBuilder:
    source = source_from_bytes("Тараз\n".encode(), "Тараз.txt")
    return DocumentBuilder("test", source, _meta(**meta))


def _expected(table: str, rows: list[dict[str, object]]) -> pl.DataFrame:
    """The reference: a Series per column of the expected rows (a missing column is null)."""
    schema = SCHEMAS[table]
    return pl.DataFrame(
        [pl.Series(name, [row.get(name) for row in rows], dtype) for name, dtype in schema.items()]
    )


def _same(document: ParsedDocument, table: str, rows: list[dict[str, object]]) -> None:
    got = document.tables[table]
    assert got.schema == SCHEMAS[table], table
    assert got.to_dicts() == _expected(table, rows).to_dicts(), table
    assert got.equals(_expected(table, rows)), table


def _text(i: int) -> str:
    return TEXTS[i % len(TEXTS)]


def _optional(i: int) -> str | None:
    return (None, "", _text(i))[i % 3]


def _cleaned(value: str | None) -> str | None:
    return clean(value) or None


@pytest.mark.parametrize("count", [3, 300])
def test_every_table_holds_what_its_rows_said(count: int) -> None:
    builder = _builder(approved=" 2017 ж. № 5 ", narrative="Бір\n\n\n  екі  \n")
    nodes: list[dict[str, object]] = []
    indicators: list[dict[str, object]] = []
    values: list[dict[str, object]] = []
    activities: list[dict[str, object]] = []
    grants: list[dict[str, object]] = []
    funding: list[dict[str, object]] = []
    abbreviations: list[dict[str, object]] = []

    direction = builder.add_node("direction", "Экономика", line=1)
    nodes.append(
        {
            "plan_id": PLAN,
            "node_id": "d_1",
            "kind": "direction",
            "title": "Экономика",
            "position": 1,
            "source_line": 1,
        }
    )
    for i in range(count):
        code = (None, f"{i}.1.", f"НҰИ - {i}")[i % 3]
        node = builder.add_node(
            "indicator", _text(i), parent=direction, code=code, line=None if i % 4 else i
        )
        nodes.append(
            {
                "plan_id": PLAN,
                "node_id": node,
                "parent_id": direction,
                "kind": "indicator",
                "code": code,
                "title": clean(_text(i)),
                "position": 2 * i + 1,  # indicators and activities take turns
                "source_line": None if i % 4 else i,
            }
        )
        builder.add_indicator(
            node,
            unit=_optional(i),
            responsible=_optional(i + 1),
            info_source=_optional(i + 2),
            polarity="target" if i % 2 else None,
        )
        indicators.append(
            {
                "plan_id": PLAN,
                "node_id": node,
                "unit": _cleaned(_optional(i)),
                "responsible": _cleaned(_optional(i + 1)),
                "info_source": _cleaned(_optional(i + 2)),
                "polarity": "target" if i % 2 else "decrease" if "Жұмыссыз" in _text(i) else None,
            }
        )
        value = (None, 1.5, 7)[i % 3]
        builder.add_value(
            node,
            year=2016 + i % 5,
            kind=("plan", "fact", "estimate")[i % 3],
            raw=_text(i + 3),
            value=value,  # an int is a value too
            comment=_optional(i),
            reported_status=(None, "met", "not_met")[i % 3],
            line=i + 10,
        )
        values.append(
            {
                "plan_id": PLAN,
                "node_id": node,
                "year": 2016 + i % 5,
                "kind": ("plan", "fact", "estimate")[i % 3],
                "value": value,
                "raw": clean(_text(i + 3)),
                "comment": _cleaned(_optional(i)),
                "reported_status": (None, "met", "not_met")[i % 3],
                "source_line": i + 10,
            }
        )
        activity = builder.add_node("activity", _text(i + 1), parent=direction)
        nodes.append(
            {
                "plan_id": PLAN,
                "node_id": activity,
                "parent_id": direction,
                "kind": "activity",
                "code": None,
                "title": clean(_text(i + 1)),
                "position": 2 * i + 2,
                "source_line": None,
            }
        )
        sources = ([], ["local"], ["republican", "local"])[i % 3]
        due = datetime.date(2017, 1 + i % 12, 1) if i % 2 else None
        builder.add_activity(
            activity,
            title=_text(i),
            measures=_optional(i),
            deadline_raw=_optional(i + 1),
            due_start=due,
            due_end=due,
            expected_result=_optional(i + 2),
            responsible=_optional(i),
            funding_raw=_optional(i + 1),
            funding_sources=sources or None,
            completion_form=_optional(i + 2),
            report=_optional(i),
        )
        activities.append(
            {
                "plan_id": PLAN,
                "node_id": activity,
                "title": clean(_text(i)),
                "measures": _cleaned(_optional(i)),
                "deadline_raw": _cleaned(_optional(i + 1)),
                "due_start": due,
                "due_end": due,
                "expected_result": _cleaned(_optional(i + 2)),
                "responsible": _cleaned(_optional(i)),
                "funding_raw": _cleaned(_optional(i + 1)),
                "funding_sources": sources,
                "completion_form": _cleaned(_optional(i + 2)),
                "report": _cleaned(_optional(i)),
            }
        )
        builder.add_funding(
            node_id=activity if i % 2 else None,
            year=None if i % 5 == 0 else 2017,
            source=(None, "local")[i % 2],
            kind=("plan", "fact")[i % 2],
            amount=float(i),
            amount_raw=f" {i} 000 ",
            comment=_optional(i),
            currency=(None, "KGS")[i % 2],
            label=_optional(i + 1),
            line=i,
        )
        funding.append(
            {
                "plan_id": PLAN,
                "node_id": activity if i % 2 else None,
                "year": None if i % 5 == 0 else 2017,
                "source": (None, "local")[i % 2],
                "kind": ("plan", "fact")[i % 2],
                "amount": float(i),
                "amount_raw": f"{i} 000",
                "currency": ("KZT", "KGS")[i % 2],
                "comment": _cleaned(_optional(i)),
                "label": _cleaned(_optional(i + 1)),
                "source_line": i,
            }
        )
        # Repeats are kept once, where they first come.
        builder.add_abbreviation(f"Қ{i % 7}", _text(i % 7))
        if i < 7:
            abbreviations.append(
                {"plan_id": PLAN, "abbreviation": f"Қ{i}", "meaning": clean(_text(i))}
            )
    for i in range(min(count, 40)):
        grant = builder.add_node("grant", _text(i), parent=direction, code=f"{i + 1}")
        nodes.append(
            {
                "plan_id": PLAN,
                "node_id": grant,
                "parent_id": direction,
                "kind": "grant",
                "code": f"{i + 1}",
                "title": clean(_text(i)),
                "position": 2 * count + i + 1,
                "source_line": None,
            }
        )
        builder.add_grant(
            grant,
            area=_optional(i),
            direction=_optional(i + 1),
            problem=_optional(i + 2),
            grant_type=_optional(i),
            period_raw=_optional(i + 1),
            territory=_optional(i + 2),
            targets=[_text(i), " ", _text(i + 1)] if i % 2 else None,
            expected_results=["", _text(i + 2)],
            requirements=_optional(i),
        )
        grants.append(
            {
                "plan_id": PLAN,
                "node_id": grant,
                "area": _cleaned(_optional(i)),
                "direction": _cleaned(_optional(i + 1)),
                "problem": _cleaned(_optional(i + 2)),
                "grant_type": _cleaned(_optional(i)),
                "period_raw": _cleaned(_optional(i + 1)),
                "territory": _cleaned(_optional(i + 2)),
                "targets": [clean(_text(i)), clean(_text(i + 1))] if i % 2 else [],
                "expected_results": [clean(_text(i + 2))],
                "requirements": _cleaned(_optional(i)),
            }
        )
    # The indicators whose polarity was inferred from their titles.
    document = builder.build()
    inferred = document.tables["indicators"]["polarity"].to_list()
    for row, polarity in zip(indicators, inferred, strict=True):
        if row["polarity"] is None:
            row["polarity"] = polarity
    assert set(inferred) <= {"increase", "decrease", "target"}

    _same(document, "nodes", nodes)
    _same(document, "indicators", indicators)
    _same(document, "values", values)
    _same(document, "activities", activities)
    _same(document, "grants", grants)
    _same(document, "funding", funding)
    _same(document, "abbreviations", abbreviations)
    _same(
        document,
        "plans",
        [
            {
                "plan_id": PLAN,
                "city": "Taraz",
                "city_native": "Тараз",
                "country": "KZ",
                "language": "kk",
                "kind": "report",
                "title": "Есеп & жоспар",
                "period_start": 2016,
                "period_end": 2020,
                "report_year": 2017,
                "currency": "KZT",
                "approved": "2017 ж. № 5",
                "narrative": "Бір\n\nекі",
                "source_file": "Тараз.txt",
                "source_sha256": document.source.sha256,
            }
        ],
    )
    for table in ("vocabulary", "assignments"):
        assert document.tables[table].schema == SCHEMAS[table]
        assert document.tables[table].height == 0


@pytest.mark.parametrize("count", [1, 300])
@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        ({"year": "2017"}, TypeError, r"values\.year: values of type str"),
        ({"year": 2017.0}, TypeError, r"values\.year: values of type float"),
        ({"year": True}, TypeError, r"values\.year: values of type bool"),
        ({"value": "1,5"}, TypeError, r"values\.value: values of type str"),
        ({"line": 3.0}, TypeError, r"values\.source_line: values of type float"),
        ({"kind": "forecast"}, ValueError, r"values\.kind: 'forecast' is not one of"),
        ({"reported_status": "late"}, ValueError, r"values\.reported_status: 'late'"),
    ],
)
def test_a_value_of_the_wrong_type_or_outside_its_enum_is_refused(
    count: int, change: dict[str, object], error: type[Exception], message: str
) -> None:
    builder = _builder()
    node = builder.add_node("indicator", "Көрсеткіш")
    for i in range(count):
        fields: dict[str, object] = {"year": 2017, "kind": "plan", "raw": "1", "value": 1.0}
        if i == count // 2:
            fields.update(change)
        builder.add_value(node, **fields)  # type: ignore[arg-type]
    with pytest.raises(error, match=message):
        builder.build()


def test_wrong_types_in_other_tables_are_refused_naming_their_column() -> None:
    builder = _builder()
    node = builder.add_node("activity", "Іс-шара", line="7")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"nodes\.source_line: values of type str"):
        builder.build()
    builder = _builder()
    node = builder.add_node("activity", "Іс-шара")
    builder.add_activity(node, title="Іс-шара", due_start="2017-01-01")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"activities\.due_start: values of type str"):
        builder.build()
    builder = _builder()
    builder.add_funding(
        node_id=None,
        year=2017,
        source=None,
        kind="plan",
        amount="5",  # type: ignore[arg-type]
        amount_raw="5",
    )
    with pytest.raises(TypeError, match=r"funding\.amount: values of type str"):
        builder.build()
    builder = _builder()
    builder.add_funding(
        node_id=None,
        year=2017,
        source=None,
        kind="plan",
        amount=5.0,
        amount_raw="5",
        currency="USD",
    )
    with pytest.raises(ValueError, match=r"funding\.currency: 'USD'"):
        builder.build()
    with pytest.raises(ValueError, match=r"plans\.country: 'UZ'"):
        _builder(country="UZ").build()


def test_a_title_set_later_is_the_first_of_equal_ids_and_its_polarity_reads_it() -> None:
    builder = _builder()
    direction = builder.add_node("direction", "Бағыт")
    first = builder.add_node("indicator", "Бірінші", parent=direction, code="1")
    # The same code again under the same parent: the id gets its position.
    second = builder.add_node("indicator", "Екінші", parent=direction, code="1")
    assert (first, second) == ("d_1/i1", "d_1/i1~2")
    builder.set_title(first, "  Жұмыссыздық деңгейі  ")
    builder.set_title(second, "")  # nothing: the title stays
    builder.add_indicator(first, unit="%")
    assert builder.node_kind(first) == "indicator"
    assert builder.node_kind(direction) == "direction"
    document = builder.build()
    nodes = document.tables["nodes"]
    assert nodes["title"].to_list() == ["Бағыт", "Жұмыссыздық деңгейі", "Екінші"]
    assert document.tables["indicators"]["polarity"].to_list() == ["decrease"]


def test_unknown_kinds_and_parents_are_refused_at_once() -> None:
    builder = _builder()
    with pytest.raises(ValueError, match="unknown node kind"):
        builder.add_node("chapter", "Тарау")
    with pytest.raises(ValueError, match="unknown parent"):
        builder.add_node("goal", "Мақсат", parent="d_9")


def test_rows_of_tuples_must_hold_every_column() -> None:
    with pytest.raises(ValueError, match="abbreviations: rows of 2 values for 3 columns"):
        frame_from_tuples("abbreviations", [("p", "Қ")])
    with pytest.raises(ValueError):
        frame_from_tuples("abbreviations", [("p", "Қ", "a"), ("p", "Қ")])
    assert frame_from_tuples("abbreviations", []).schema == SCHEMAS["abbreviations"]


@st.composite
def _table_rows(draw: st.DrawFn) -> tuple[str, list[tuple[object, ...]]]:
    table = draw(st.sampled_from(sorted(SCHEMAS)))
    row = st.tuples(*(column_values(dtype) for dtype in SCHEMAS[table].values()))
    # One row, a few, or enough for a Series per column.
    size = draw(st.sampled_from([1, 5, 70, 200]))
    return table, draw(st.lists(row, min_size=size, max_size=size))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_table_rows())
def test_frames_of_any_height_hold_what_a_series_per_column_holds(
    case: tuple[str, list[tuple[object, ...]]],
) -> None:
    table, rows = case
    names = SCHEMAS[table].names()
    dicts = [dict(zip(names, row, strict=True)) for row in rows]
    expected = _expected(table, dicts)
    for got in (frame_from_tuples(table, rows), frame_from_rows(table, dicts)):
        assert got.schema == SCHEMAS[table]
        assert got.equals(expected)
        assert got.to_dicts() == expected.to_dicts()
    # Rows without the columns that are null read the same.
    sparse = [{k: v for k, v in row.items() if v is not None} for row in dicts]
    assert frame_from_rows(table, sparse).equals(expected)
