"""The grant list read as a profile over the layout engine: columns in the header's order.

A small grant list of another city (Shymkent) whose header prints the columns in another order
than the sample's (the grant type and the amount first, the targets before the territory):
the header's column roles, not the places, say which cell is which. Values were written by
hand below and are checked as written.
"""

from __future__ import annotations

import polars as pl

from tests.forms_helpers import docx_bytes, html_page
from workbench.ingest import grants, parse_source, source_from_bytes
from workbench.ingest.document import ParsedDocument
from workbench.ingest.sources.text import read_text_export

HEADER = "\t".join(
    [
        "№",
        "Грант түрі және іске асыру мерзімі",
        "Қаржыландыру көлемі (мың теңге)",
        "Мемлекеттік грант саласы",
        "Мемлекеттік гранттың басым бағыты",
        "Мәселенің қысқаша сипаттамасы",
        "Нысаналы индикатор және күтілетін нәтижелер",
        "Грантты іске асыру аумағы",
        "Материалдық-техникалық базаға талаптар",
    ]
)
ROWS = [
    [
        "1",
        "<p>1 қысқа мерзімді грант, 2026 ж.</p>",
        "<p>5 000 мың теңге</p>",
        "<p>Жастар саясатын іске асыру</p>",
        "<p>Жастар бастамаларын қолдау</p>",
        "<p>Жастардың белсенділігі төмен.</p>",
        "<p>Нысаналы индикатор:</p> <p>1. Кемінде 200 жас қамту.</p> "
        "<p>Күтілетін нәтижелер:</p> <p>1. Форум өткізу.</p> <p>2. Бейнеролик дайындау.</p>",
        "<p>Шымкент қаласы</p>",
        "<p>Кеңсе техникасы</p>",
    ],
    [
        "2",
        "<p>1 орта мерзімді грант, 2026-2027 жж.</p>",
        "<p>2026 жыл - 3 000 мың теңге, 2027 жыл - 4 000 мың теңге</p>",
        "<p>Қоғамдық келісімді нығайту</p>",
        "<p>Этносаралық келісімді нығайту</p>",
        "<p>Этномәдени бірлестіктер белсенді емес.</p>",
        "<p>Нысаналы индикатор:</p> <p>1. 10 іс-шара өткізу.</p> <p>2. 500 адам қамту.</p> "
        "<p>Күтілетін нәтижелер:</p> <p>1. Достық фестивалі.</p>",
        "<p>Шымкент қаласының 3 ауданы</p>",
        "",
    ],
]
TEXT = "\n".join(
    [
        "",
        HEADER,
        "",
        "Шымкент қаласы әкімдігінің ішкі саясат бөлімі",
        "",
        *("\t".join(row) for row in ROWS),
        "<p>Итого:</p>\t<p>8 000 мың тенге</p>\t<p>2026 жыл</p>\t\t",
        "\t<p>4 000 мың тенге</p>\t<p>2027 жыл</p>\t\t",
        "",
    ]
)


def parse(data: bytes, name: str = "grants.txt") -> ParsedDocument:
    return parse_source(source_from_bytes(data, name))


def grant_rows(doc: ParsedDocument) -> list[dict[str, object]]:
    nodes = doc.tables["nodes"].filter(pl.col("kind") == "grant")
    detail = {row["node_id"]: row for row in doc.tables["grants"].iter_rows(named=True)}
    out = []
    for node in nodes.iter_rows(named=True):
        funding = doc.tables["funding"].filter(pl.col("node_id") == node["node_id"])
        amounts = dict(zip(funding["year"], funding["amount"], strict=True))
        out.append({**detail[node["node_id"]], **node, "amounts": amounts})
    return out


def test_the_header_names_the_columns_in_its_own_order() -> None:
    from workbench.ingest.grants.layout import grant_header

    columns = grant_header(HEADER.split("\t"))
    assert columns is not None
    assert columns.order == (
        "grant_type",
        "amount",
        "area",
        "direction",
        "problem",
        "targets",
        "territory",
        "requirements",
    )
    assert columns.multiplier == 1000.0


def test_columns_in_another_order_and_another_city() -> None:
    doc = parse(TEXT.encode("utf-8"))
    assert doc.family == "grant-list"
    plan = doc.tables["plans"].row(0, named=True)
    assert (plan["city"], plan["city_native"]) == ("Shymkent", "Шымкент")
    assert plan["plan_id"] == "shymkent-grants-2026-2027"
    assert plan["responsible"] == "Шымкент қаласы әкімдігінің ішкі саясат бөлімі"
    first, second = grant_rows(doc)
    assert (first["code"], first["title"]) == ("1", "Жастар бастамаларын қолдау")
    assert (first["area"], first["direction"], first["problem"]) == (
        "Жастар саясатын іске асыру",
        "Жастар бастамаларын қолдау",
        "Жастардың белсенділігі төмен.",
    )
    assert (first["grant_type"], first["period_raw"]) == ("1 қысқа мерзімді грант", "2026 ж.")
    assert first["territory"] == "Шымкент қаласы"
    assert first["requirements"] == "Кеңсе техникасы"
    assert first["targets"] == ["Кемінде 200 жас қамту."]
    assert first["expected_results"] == ["Форум өткізу.", "Бейнеролик дайындау."]
    assert first["amounts"] == {2026: 5_000_000.0}
    assert second["territory"] == "Шымкент қаласының 3 ауданы"
    assert second["requirements"] is None
    assert second["targets"] == ["10 іс-шара өткізу.", "500 адам қамту."]
    assert second["expected_results"] == ["Достық фестивалі."]
    assert second["amounts"] == {2026: 3_000_000.0, 2027: 4_000_000.0}
    totals = doc.tables["funding"].filter(pl.col("node_id").is_null())
    assert dict(zip(totals["year"], totals["amount"], strict=True)) == {
        2026: 8_000_000.0,
        2027: 4_000_000.0,
    }
    assert doc.warnings == []


def test_the_reordered_list_reads_alike_from_word_and_html() -> None:
    source = source_from_bytes(TEXT.encode("utf-8"), "grants.txt")
    assert grants.detect(source.lines) >= 0.5
    expected = parse_source(source)
    blocks = read_text_export(source.lines, path=source.path, sha256=source.sha256)
    for data, name in ((docx_bytes(blocks), "g.docx"), (html_page(blocks).encode(), "g.html")):
        got = parse(data, name)
        assert got.family == "grant-list", name
        for table in ("nodes", "grants", "funding"):
            columns = [c for c in expected.tables[table].columns if c != "source_line"]
            assert (
                got.tables[table].select(columns).equals(expected.tables[table].select(columns))
            ), (name, table)
