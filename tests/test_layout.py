"""The layout layer: headings and their numbering, table headers, row shapes, text → blocks."""

from __future__ import annotations

import pytest

from workbench.ingest.document import Source
from workbench.ingest.layout.headings import parse_heading
from workbench.ingest.layout.tables import Override, analyse_table, classify_row
from workbench.ingest.layout.textblocks import blocks_from_source
from workbench.ingest.sources.blocks import Cell, Origin, Row, Table


@pytest.mark.parametrize(
    ("text", "kind", "code", "title"),
    [
        ("Бағыт: Экономика", "direction", None, "Экономика"),
        ("1-бағыт. Әлеуметтік сала", "direction", "1", "Әлеуметтік сала"),
        ("Багыт 2: Инфраструктура", "direction", "2", "Инфраструктура"),
        ("Направление 1: Рост экономики", "direction", "1", "Рост экономики"),
        ("Мақсат 4.3.5: Ақпараттық қоғам", "goal", "4.3.5", "Ақпараттық қоғам"),
        ("1.2-мақсат. Ана мен баланы қорғау", "goal", "1.2", "Ана мен баланы қорғау"),
        ("Максат 2. Билим берүү", "goal", "2", "Билим берүү"),
        ("Цель: обеспечение роста", "goal", None, "обеспечение роста"),
        ("4.3.5.1. міндет Халыққа қызмет", "task", "4.3.5.1", "Халыққа қызмет"),
        ("Милдет 1.1 Таза суу", "task", "1.1", "Таза суу"),
        ("Задача 2. Снизить потери", "task", "2", "Снизить потери"),
        ("II. Социальная сфера", "section", "II", "Социальная сфера"),
        ("3.2.1.Өнеркәсіп", "section", "3.2.1", "Өнеркәсіп"),
    ],
)
def test_headings(text: str, kind: str, code: str | None, title: str) -> None:
    heading = parse_heading(text)
    assert heading is not None
    assert (heading.kind, heading.code, heading.title) == (kind, code, title)


@pytest.mark.parametrize(
    "text",
    [
        "Мақсатты индикатор",  # a label over an indicator, not a goal
        "Мақсатқа қол жеткізуге бағытталған бюджеттік бағдарламаның кодтары: 010, 011",
        "1. Программа бекітілсін;",
        "1. Утвердить прилагаемую программу",
        "Қала аумағы – 176 097 га",
    ],
)
def test_not_headings(text: str) -> None:
    assert parse_heading(text) is None


def test_ranks_nest_directions_goals_and_tasks() -> None:
    ranks = [
        parse_heading(t) for t in ("Бағыт: А", "1. Б", "1.1 В", "Мақсат 1: Г", "Міндет 1.1: Д")
    ]
    assert [h.rank for h in ranks if h] == sorted(h.rank for h in ranks if h)


def table(*rows: list[str]) -> Table:
    return Table(
        tuple(
            Row(
                tuple(
                    Cell(text, Origin(line=r, table=1, row=r, column=c))
                    for c, text in enumerate(row, start=1)
                ),
                Origin(line=r, table=1, row=r),
            )
            for r, row in enumerate(rows, start=1)
        ),
        Origin(line=1, table=1),
    )


def test_multi_row_header_with_stages_and_column_numbers() -> None:
    layout = analyse_table(
        table(
            ["№", "Көрсөткүчтөр", "Өлчөө бирдиги", "Күтүлүүчү", "1-этап", "", "2-этап"],
            ["", "", "", "2020", "2021", "2022", "2023"],
            ["1", "2", "3", "4", "5", "6", "7"],
            ["1", "Жумушсуздук деңгээли", "%", "5", "4,8", "4,6", "4,4"],
        ),
        1,
    )
    assert layout.kind == "indicators"
    assert (layout.header_rows, layout.number_row) == (3, 2)
    roles = [(c.role, c.year, c.kind) for c in layout.columns]
    assert roles[:3] == [("code", None, None), ("indicator", None, None), ("unit", None, None)]
    assert roles[3] == ("value", 2020, "estimate")
    assert roles[4:] == [("value", y, "plan") for y in (2021, 2022, 2023)]


def test_a_range_band_gives_its_years_to_columns_without_years() -> None:
    layout = analyse_table(
        table(
            ["Наименование показателя", "Ед. изм.", "План на 2021-2023 годы", "", ""],
            ["Ввод жилья", "тыс. кв. м", "10", "11", "12"],
        ),
        1,
    )
    assert [(c.year, c.kind) for c in layout.values()] == [
        (2021, "plan"),
        (2022, "plan"),
        (2023, "plan"),
    ]


def test_measure_table_roles_and_row_shapes() -> None:
    layout = analyse_table(
        table(
            ["№", "Чаралар", "Мөөнөтү", "Жооптуулар", "Каржылоо булагы", "Суммасы, миң сом"],
            ["1", "Көчө оңдоо", "2025-ж.", "Мэрия", "ЖБ", "100"],
            ["", "Бардыгы", "", "", "", "100"],
            ["", "анын ичинен жергиликтүү бюджет", "", "", "", "100"],
            ["II. Социалдык чөйрө", "", "", "", "", ""],
        ),
        1,
    )
    assert layout.kind == "measures"
    assert [c.role for c in layout.columns] == [
        "code", "measure", "deadline", "responsible", "funding_source", "amount",
    ]  # fmt: skip
    assert layout.columns[5].multiplier == 1000
    shapes = [classify_row(layout, row).kind for row in layout.table.rows[1:]]
    assert shapes == ["data", "total", "part", "heading"]


def test_override_sets_a_column_by_hand() -> None:
    layout = analyse_table(
        table(["№", "Индикатор", "Ед. изм.", "2020", "2021"], ["1", "X", "%", "1", "2"]),
        1,
        overrides={3: Override("fact", 2020)},
    )
    column = layout.columns[3]
    assert (column.role, column.year, column.kind, column.by_hand) == ("value", 2020, "fact", True)
    assert "set by hand" in layout.notes[0]


def source(text: str) -> Source:
    return Source(path="doc.txt", text=text, sha256="0" * 64, lines=tuple(text.split("\n")))


def test_tab_rows_cut_at_the_end_are_noted() -> None:
    blocks = blocks_from_source(source("Тақырып\n№\tАтауы\tБірлігі\n1\tБір\t%\n2\tЕкі"))
    [found] = blocks.tables()
    assert len(found.rows) == 3
    assert blocks.notes and blocks.notes[0][0].line == 4


def test_tab_indented_rows_cut_at_the_end_are_noted() -> None:
    text = "Тақырып\n\n\t№\n\tАтауы\n\tБірлігі\n\t2025\n\n\t1\n\tБір\n\t%\n\t5\n\n\t2\n\tЕкі"
    blocks = blocks_from_source(source(text))
    [found] = blocks.tables()
    assert [len(row.cells) for row in found.rows] == [4, 4, 2]
    assert blocks.notes and blocks.notes[0][0].line == 14


# -- what family profiles ask of the engine ------------------------------------------------------


def test_a_colon_before_a_dotted_goal_number() -> None:
    heading = parse_heading("Мақсат: 3.2.7.1: Халықтың мәдени уақытын дамыту")
    assert heading is not None
    assert (heading.kind, heading.code, heading.title) == (
        "goal",
        "3.2.7.1",
        "Халықтың мәдени уақытын дамыту",
    )
    year = parse_heading("Мақсат: 2030 жылға қарай өсу")
    assert year is not None and year.code is None  # a year is not a goal's number


@pytest.mark.parametrize(
    ("texts", "described"),
    [
        (
            ["Қаржыландыру көзі", "2017 жылға жоспар", "2017 жылғы нақты", "Игерілмеу себептері"],
            ["funding_source", "2017 plan", "2017 fact", "comment"],
        ),
        (
            ["Ед. изм.", "Факт за 2017 год", "№ п/п", "Наименование показателя", "Примечание"],
            ["unit", "2017 fact", "code", "indicator", "comment"],
        ),
        (
            [
                "№",
                "Грант түрі және іске асыру мерзімі",
                "Мемлекеттік грант саласы",
                "Мемлекеттік гранттың басым бағыты",
                "Мәселенің қысқаша сипаттамасы",
                "Грантты іске асыру аумағы",
                "Материалдық-техникалық базаға талаптар",
            ],
            [
                "code",
                "grant_type",
                "grant_area",
                "grant_direction",
                "problem",
                "territory",
                "requirements",
            ],
        ),
    ],
)
def test_header_columns_of_one_row(texts: list[str], described: list[str]) -> None:
    from workbench.ingest.layout.tables import header_columns

    columns = header_columns(texts)
    assert columns is not None
    got = [f"{c.year} {c.kind}" if c.role == "value" else c.role for c in columns]
    assert got == described


def test_a_row_of_values_is_no_header() -> None:
    from workbench.ingest.layout.tables import header_columns, value_kind

    assert header_columns(["1", "Өнеркәсіп өнімі", "%", "100,6", "103,8", "Орындалды"]) is None
    assert value_kind("2017 жылдың нақты көрсеткіштері") == "fact"
    assert value_kind("Оценка 2024") == "estimate" and value_kind("Атауы") is None


def test_placed_blocks_give_each_cell_its_line_in_any_form() -> None:
    from tests.forms_helpers import docx_bytes
    from workbench.ingest import source_from_bytes
    from workbench.ingest.layout.placed import placed_blocks
    from workbench.ingest.sources.blocks import Paragraph

    text = "Тақырып\n\n\t№\n\tАтауы\n\n\t1\n\tМектеп\nсалу\n\nСоңы"
    source = source_from_bytes(text.encode(), "t.txt")
    placed = placed_blocks(source)
    kinds = [type(unit).__name__ for unit in placed.units]
    assert kinds == ["Paragraph", "Paragraph", "Row", "Row", "Paragraph"]
    row = placed.units[3]
    assert isinstance(row, Row) and [placed.place(c.origin) for c in row.cells] == [6, 7]
    assert placed.from_text
    blocks = placed.blocks
    word = source_from_bytes(docx_bytes(blocks), "t.docx")
    other = placed_blocks(word)
    assert not other.from_text and other.blocks is word.blocks
    cell = next(u for u in other.units if isinstance(u, Row) and u.cells[0].text == "1").cells[1]
    line = other.place(cell.origin)
    assert line is not None and word.lines[line - 1] == "\tМектеп"
    last = other.units[-1]
    assert isinstance(last, Paragraph) and word.lines[(other.place(last.origin) or 0) - 1] == "Соңы"
