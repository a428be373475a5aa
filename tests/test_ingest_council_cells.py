"""A council programme whose tables kept their cells (HTML, .docx): read by columns, not words.

The document is a small programme written here in the Kara-Balta layout (resolution, title,
priorities, action plan, monitoring matrix), with what real tables do that a text export
hides: cells wrapped over several lines, a responsible cell merged down over two measures, a
row split by a page break (the table goes on after a page-number paragraph), and the same plan
with its columns in another order under a Russian header.
"""

from __future__ import annotations

import html
import io
from datetime import date
from typing import Any

import docx
import openpyxl
import pytest

from workbench.ingest import council, detect_family, parse_source, source_from_bytes
from workbench.ingest.document import ParsedDocument

FRONT = [
    "Талас шаардык кеңешинин 2024-жылдын 12-мартындагы №7 токтому менен бекитилген",
    "Талас шаарын 2024-2027-жылдарга социалдык-экономикалык өнүктүрүү программасы",
    "1-артыкчылык: Социалдык өнүгүү",
    "2-артыкчылык: Экономикалык өнүгүү",
    "ПРОГРАММАНЫ ИШКЕ АШЫРУУ БОЮНЧА АРАКЕТТЕР ПЛАНЫ",
]
HEADER = [
    "№",
    "Тапшырма",
    "Чаралар/Аракеттер",
    "Ишке ашыруу мөөнөтү",
    "Күтүлгөн жыйынтыктар (продукт)",
    "Жооптуу аткаруучулар",
]
# (code, task, measure, deadline, result, responsible); "^" = merged with the cell above,
# a str alone = a heading across the row. "\n" wraps a cell's text.
PLAN: list[Any] = [
    "1. Социалдык өнүгүү үчүн шарттарды түзүү",
    "1.1. Билим",
    ("1", "Билим берүүнүн\nсапатын жогорулатуу", "Мектептерди оңдоо\nжана куруу",
     "2024-2027-жж.", "3 мектеп\nоңдолду", "Мэрия, билим\nберүү бөлүмү"),
    ("^", "^", "Бала бакчаларды ачуу", "2025-ж.", "2 бала бакча ачылды", "^"),
    "1.2. Саламаттык сактоо",
    ("1", "Оорулардын алдын алуу", "Эмдөө өнөктүгүн өткөрүү", "Жыл сайын",
     "Калктын 90 % эмделди", "ҮМСБ"),
]  # fmt: skip
# after a page break: the rest of the last row, then the rest of the plan
PLAN_AFTER_BREAK: list[Any] = [
    ("", "", "жана мектептерде маалымат берүү", "", "жана окуучулар маалымдалды", ""),
    "2. Экономикалык өнүгүү",
    "2.1. Ишкердик",
    ("1", "Инвесторлорду тартуу", "Инвестициялык форум өткөрүү", "2026-ж.",
     "Форум өттү", "Мэрия"),
]  # fmt: skip
MATRIX_HEADER = [
    "№", "Маселе", "Индикаторлордун аталышы", "Өлчөө бирдиги", "Базалык жыл (2023-ж)",
    "1-жыл", "2-жыл", "3-жыл", "4-жыл", "Акыркы индикаторлор же максаттар", "Жооптуу орган",
]  # fmt: skip
MATRIX = [
    ["Билим"],
    ["1", "мектептер эски", "Оңдолгон мектептер", "даана", "0", "1", "2", "3", "3", "3", "Мэрия"],
    # a name holding numbers and wrapped, a cell printed as "50% 20243 п.м.", a wrapped body
    ["2", "суу түтүктөрү эскирген", "Оңдолгон түтүктөр, 120 мм\nжана андан жоон", "п.м.",
     "50% 20243 п.м.", "1000", "2000", "3000", "4000", "10000", "Мэрия,\n«Суу» МИ"],
    # the goal cell merged down: a second indicator of the same goal
    ["3", "^", "Оңдолгон скважиналар", "даана", "1", "2", "3", "4", "5", "5", "Мэрия"],
    # no unit, and a name ending in a number
    ["4", "", "Ачылган бала бакчалар, №5", "", "1", "1", "2", "2", "3", "3", "Мэрия"],
]  # fmt: skip

RUSSIAN = ["№ п/п", "Задача", "Ответственные исполнители", "Мероприятия",
           "Ожидаемый результат", "Срок исполнения"]  # fmt: skip
RUSSIAN_ORDER = [0, 1, 5, 2, 4, 3]  # the Kyrgyz column of each Russian column


def _rows(plan: list[Any], order: list[int]) -> list[list[str] | str]:
    out: list[list[str] | str] = []
    for row in plan:
        out.append(row if isinstance(row, str) else [row[i] for i in order])
    return out


def _html_table(header: list[str] | None, rows: list[list[str] | str], width: int) -> str:
    """A table with ``rowspan`` for "^" cells and ``colspan`` for a heading across the row."""
    grid = ([header] if header else []) + rows
    out = ["<table>"]
    for r, row in enumerate(grid):
        if isinstance(row, str):
            out.append(f"<tr><td colspan='{width}'>{html.escape(row)}</td></tr>")
            continue
        tds = []
        for c, text in enumerate(row):
            if text == "^":
                continue
            span = 1
            while r + span < len(grid) and not isinstance(grid[r + span], str):
                below = grid[r + span]
                if below[c] != "^":
                    break
                span += 1
            attr = f" rowspan='{span}'" if span > 1 else ""
            body = "<br>".join(html.escape(line) for line in text.split("\n"))
            tds.append(f"<td{attr}>{body}</td>")
        out.append("<tr>" + "".join(tds) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def programme_html(header: list[str] = HEADER, order: list[int] | None = None) -> str:
    order = order or list(range(6))
    parts = ["<html><body>"]
    parts += [f"<p>{html.escape(line)}</p>" for line in FRONT]
    parts.append(_html_table(header, _rows(PLAN, order), 6))
    parts.append("<p>12</p>")  # the page number between the two parts of the table
    parts.append(_html_table(header, _rows(PLAN_AFTER_BREAK, order), 6))  # header printed again
    parts.append("<p>МОНИТОРИНГ ЖАНА БААЛОО МАТРИЦАСЫ</p>")
    parts.append(_html_table(MATRIX_HEADER, [r if len(r) > 1 else r[0] for r in MATRIX], 11))
    parts.append("</body></html>")
    return "\n".join(parts)


def programme_docx() -> bytes:
    """The same programme as a Word file: merged cells made with python-docx."""
    document = docx.Document()
    for line in FRONT:
        document.add_paragraph(line)

    def table(header: list[str] | None, rows: list[Any], width: int) -> None:
        grid = ([header] if header else []) + rows
        t = document.add_table(rows=len(grid), cols=width)
        for r, row in enumerate(grid):
            if isinstance(row, str) or len(row) == 1:
                text = row if isinstance(row, str) else row[0]
                merged = t.cell(r, 0).merge(t.cell(r, width - 1))
                merged.text = text
                continue
            for c, text in enumerate(row):
                if text == "^":
                    top = r - 1
                    while grid[top][c] == "^":
                        top -= 1
                    t.cell(top, c).merge(t.cell(r, c))
                    continue
                cell = t.cell(r, c)
                lines = text.split("\n")
                cell.text = lines[0]
                for line in lines[1:]:
                    cell.add_paragraph(line)

    table(HEADER, PLAN, 6)
    document.add_paragraph("12")
    table(HEADER, PLAN_AFTER_BREAK, 6)
    document.add_paragraph("МОНИТОРИНГ ЖАНА БААЛОО МАТРИЦАСЫ")
    table(MATRIX_HEADER, MATRIX, 11)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _read(data: bytes, name: str) -> ParsedDocument:
    source = source_from_bytes(data, name)
    assert detect_family(source) is council
    return parse_source(source)


@pytest.fixture(scope="module")
def doc() -> ParsedDocument:
    return _read(programme_html().encode(), "talas.html")


def _activities(doc: ParsedDocument) -> list[tuple[Any, ...]]:
    nodes = {r["node_id"]: r for r in doc.tables["nodes"].iter_rows(named=True)}

    def path(node_id: str) -> tuple[str, ...]:
        chain = []
        parent = nodes[node_id]["parent_id"]
        while parent is not None:
            chain.append(
                f"{nodes[parent]['kind']} {nodes[parent]['code']} {nodes[parent]['title']}"
            )
            parent = nodes[parent]["parent_id"]
        return tuple(reversed(chain))

    return [
        (path(r["node_id"]), r["title"], r["deadline_raw"], r["due_start"], r["due_end"],
         r["expected_result"], r["responsible"])
        for r in doc.tables["activities"].iter_rows(named=True)
    ]  # fmt: skip


D = "direction 1 Социалдык өнүгүү"
EXPECTED = [
    ((D, "section 1.1 Билим", "task 1 Билим берүүнүн сапатын жогорулатуу"),
     "Мектептерди оңдоо жана куруу", "2024-2027-жж.", date(2024, 1, 1), date(2027, 12, 31),
     "3 мектеп оңдолду", "Мэрия, билим берүү бөлүмү"),
    ((D, "section 1.1 Билим", "task 1 Билим берүүнүн сапатын жогорулатуу"),
     "Бала бакчаларды ачуу", "2025-ж.", date(2025, 1, 1), date(2025, 12, 31),
     "2 бала бакча ачылды", "Мэрия, билим берүү бөлүмү"),
    ((D, "section 1.2 Саламаттык сактоо", "task 1 Оорулардын алдын алуу"),
     "Эмдөө өнөктүгүн өткөрүү жана мектептерде маалымат берүү", "Жыл сайын",
     date(2024, 1, 1), date(2027, 12, 31),
     "Калктын 90 % эмделди жана окуучулар маалымдалды", "ҮМСБ"),
    (("direction 2 Экономикалык өнүгүү", "section 2.1 Ишкердик", "task 1 Инвесторлорду тартуу"),
     "Инвестициялык форум өткөрүү", "2026-ж.", date(2026, 1, 1), date(2026, 12, 31),
     "Форум өттү", "Мэрия"),
]  # fmt: skip


def test_an_html_plan_is_read_by_its_cells(doc: ParsedDocument) -> None:
    """Wrapped cells joined, the merged responsible given to both measures it spans, the row
    a page break split read as one measure, headings from rows across the table."""
    assert _activities(doc) == EXPECTED
    plan = doc.tables["plans"].row(0, named=True)
    assert (plan["city_native"], plan["period_start"], plan["period_end"]) == ("Талас", 2024, 2027)
    assert not [w for w in doc.warnings if "deadline" in w.message]


def _values(doc: ParsedDocument, title: str) -> list[tuple[int, str, str, float | None]]:
    nodes = {r["title"]: r["node_id"] for r in doc.tables["nodes"].iter_rows(named=True)}
    return sorted(
        (r["year"], r["kind"], r["raw"], r["value"])
        for r in doc.tables["values"].iter_rows(named=True)
        if r["node_id"] == nodes[title]
    )


def test_the_matrix_table_is_read_by_its_columns(doc: ParsedDocument) -> None:
    assert _values(doc, "Оңдолгон мектептер") == [
        (2023, "baseline", "0", 0.0), (2024, "plan", "1", 1.0), (2025, "plan", "2", 2.0),
        (2026, "plan", "3", 3.0), (2027, "plan", "3", 3.0), (2027, "target", "3", 3.0),
    ]  # fmt: skip
    pipes = "Оңдолгон түтүктөр, 120 мм жана андан жоон"
    assert _values(doc, pipes) == [
        (2023, "baseline", "50% 20243 п.м.", 20243.0), (2024, "plan", "1000", 1000.0),
        (2025, "plan", "2000", 2000.0), (2026, "plan", "3000", 3000.0),
        (2027, "plan", "4000", 4000.0), (2027, "target", "10000", 10000.0),
    ]  # fmt: skip
    assert [v[2] for v in _values(doc, "Ачылган бала бакчалар, №5")] == [
        "1", "1", "2", "2", "3", "3"
    ]  # fmt: skip
    nodes = {r["node_id"]: r for r in doc.tables["nodes"].iter_rows(named=True)}
    indicators = {
        nodes[r["node_id"]]["title"]: (r["unit"], r["responsible"], nodes[r["node_id"]]["code"])
        for r in doc.tables["indicators"].iter_rows(named=True)
    }
    assert indicators == {
        "Оңдолгон мектептер": ("даана", "Мэрия", "1"),
        pipes: ("п.м.", "Мэрия, «Суу» МИ", "2"),
        "Оңдолгон скважиналар": ("даана", "Мэрия", "3"),
        "Ачылган бала бакчалар, №5": (None, "Мэрия", "4"),
    }
    goals = {r["node_id"]: r["title"] for r in nodes.values() if r["kind"] == "goal"}
    assert sorted(goals.values()) == ["мектептер эски", "суу түтүктөрү эскирген"]
    wells = next(r for r in nodes.values() if r["title"] == "Оңдолгон скважиналар")
    assert goals[wells["parent_id"]] == "суу түтүктөрү эскирген"
    assert not doc.warnings


def test_columns_in_another_order_under_a_russian_header(doc: ParsedDocument) -> None:
    russian = _read(programme_html(RUSSIAN, RUSSIAN_ORDER).encode(), "talas-ru.html")
    assert _activities(russian) == EXPECTED
    assert russian.tables["nodes"].equals(doc.tables["nodes"])


def test_a_word_file_with_merged_cells_reads_the_same(doc: ParsedDocument) -> None:
    word = _read(programme_docx(), "talas.docx")
    assert _activities(word) == EXPECTED
    for table in ("nodes", "values", "indicators", "activities"):
        left = doc.tables[table].drop("source_line", strict=False)
        right = word.tables[table].drop("source_line", strict=False)
        assert left.equals(right), table


def programme_text() -> str:
    """The programme as a text export with tab-separated cells: a merged cell is printed in its
    first row only, a wrapped cell on one line."""

    def rows(plan: list[Any]) -> list[str]:
        out = []
        for row in plan:
            if isinstance(row, str):
                out.append(row)
            else:
                out.append("\t".join("" if c == "^" else c.replace("\n", " ") for c in row))
        return out

    lines = [*FRONT, "\t".join(HEADER), *rows(PLAN), "12", *rows(PLAN_AFTER_BREAK)]
    lines += ["МОНИТОРИНГ ЖАНА БААЛОО МАТРИЦАСЫ", "\t".join(MATRIX_HEADER)]
    lines += ["\t".join(c.replace("\n", " ").replace("^", "") for c in row) for row in MATRIX]
    return "\n".join(lines) + "\n"


def test_a_tab_separated_export_reads_the_same_with_its_lines(doc: ParsedDocument) -> None:
    text = _read(programme_text().encode(), "talas.txt")
    assert _activities(text) == EXPECTED
    lines = {
        r["title"]: r["source_line"]
        for r in text.tables["nodes"].iter_rows(named=True)
        if r["kind"] in ("section", "activity")
    }
    # FRONT is lines 1-5, the header line 6, then the plan's rows one a line
    assert lines["Билим"] == 7 + 1 and lines["Мектептерди оңдоо жана куруу"] == 9
    assert lines["Инвестициялык форум өткөрүү"] == 17


def programme_xlsx(*, merge: bool) -> bytes:
    """The programme as a sheet: merged ranges where ``merge``, else a merged cell's text
    repeated on every row it spans (as a sheet filled by hand often is)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    r = 0

    def table(header: list[str], rows: list[Any], width: int) -> None:
        nonlocal r
        grid = [header, *rows]
        top = r + 1
        for k, row in enumerate(grid):
            r += 1
            if isinstance(row, str) or len(row) == 1:
                sheet.cell(r, 1, row if isinstance(row, str) else row[0])
                sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
                continue
            for c, text in enumerate(row, start=1):
                if text != "^":
                    sheet.cell(r, c, text)
                    continue
                above = k - 1
                while grid[above][c - 1] == "^":
                    above -= 1
                if merge:
                    start = top + above
                    sheet.merge_cells(start_row=start, start_column=c, end_row=r, end_column=c)
                else:
                    sheet.cell(r, c, grid[above][c - 1])

    for line in FRONT:
        r += 1
        sheet.cell(r, 1, line)
    table(HEADER, PLAN, 6)
    r += 1
    sheet.cell(r, 1, "12")
    table(HEADER, PLAN_AFTER_BREAK, 6)
    r += 1
    sheet.cell(r, 1, "МОНИТОРИНГ ЖАНА БААЛОО МАТРИЦАСЫ")
    table(MATRIX_HEADER, MATRIX, 11)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("merge", [True, False])
def test_a_sheet_with_merged_or_repeated_cells_reads_the_same(
    doc: ParsedDocument, merge: bool
) -> None:
    sheet = _read(programme_xlsx(merge=merge), "talas.xlsx")
    assert _activities(sheet) == EXPECTED
    for table in ("nodes", "values", "indicators"):
        left = doc.tables[table].drop("source_line", strict=False)
        right = sheet.tables[table].drop("source_line", strict=False)
        assert left.equals(right), table
