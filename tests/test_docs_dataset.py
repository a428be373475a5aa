"""docs/dataset.md documents the data contract as the code declares it (issue 18): every table
and column, in order, with its type, whether it may be null and the table's key; and the columns
of the report's CSV. A change of workbench/dataset/contract.py or of the report's header fails
here until the page says it too."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from workbench.analysis.reporting import CSV_COLUMNS
from workbench.dataset.contract import KEYS, REQUIRED, SCHEMAS

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "dataset.md"
_CODE = re.compile(r"`([^`]+)`")


def _type_name(dtype: pl.DataType) -> str:
    if isinstance(dtype, pl.Enum):
        return "Enum: " + ", ".join(dtype.categories.to_list())
    if isinstance(dtype, pl.List):
        return f"List of {_type_name(dtype.inner)}"
    return str(dtype)


def _sections(text: str) -> dict[str, list[str]]:
    """Lines under each ``### `table``` or ``## heading``."""
    sections: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        if line.startswith("#"):
            found = _CODE.search(line) if line.startswith("### ") else None
            current = found.group(1) if found else line.lstrip("# ").strip()
            sections[current] = []
        elif current is not None:
            sections[current].append(line)
    return sections


def _rows(lines: list[str]) -> list[list[str]]:
    """The body rows of the first Markdown table, as cells."""
    table = [line for line in lines if line.startswith("|")]
    return [[cell.strip() for cell in re.split(r"(?<!\\)\|", row)[1:-1]] for row in table[2:]]


def test_every_table_and_column_is_documented_with_its_type() -> None:
    sections = _sections(DOC.read_text(encoding="utf-8"))
    tables = [name for name in sections if name in SCHEMAS or re.fullmatch(r"[a-z_]+", name)]
    assert tables == list(SCHEMAS), "docs/dataset.md: the tables, in the contract's order"
    for table, schema in SCHEMAS.items():
        rows = _rows(sections[table])
        documented = [(_CODE.search(r[0]).group(1) if _CODE.search(r[0]) else r[0]) for r in rows]
        assert documented == list(schema), f"docs/dataset.md, table {table}: columns"
        for (name, dtype), row in zip(schema.items(), rows, strict=True):
            assert row[1] == _type_name(dtype), f"{table}.{name}: type"
            assert (row[2] == "yes") == (name in REQUIRED[table]), f"{table}.{name}: required"
            assert row[3], f"{table}.{name}: meaning"
        key = next(line for line in " ".join(sections[table]).split(". ") if "Key:" in line)
        assert _CODE.findall(key.split("Key:")[1]) == list(KEYS[table]), f"{table}: key"


def test_the_report_csv_columns_are_documented_in_order() -> None:
    sections = _sections(DOC.read_text(encoding="utf-8"))
    rows = _rows(sections["The report's CSV"])
    assert [_CODE.search(r[0]).group(1) for r in rows if _CODE.search(r[0])] == list(CSV_COLUMNS)
    assert all(r[1] for r in rows)


def test_the_readme_points_to_the_page_not_to_a_file_outside_the_repository() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/dataset.md" in readme
    assert "../shared" not in readme
