"""The shortcuts taken for speed (issue 15 §7) read exactly what the long way reads.

Detection stops at a family that surely fits and is not repeated for a laid-out form; the
quick paths of ``clean``, ``normalize_lines`` and ``frame_from_rows`` give what the general path
gives. Speed itself is measured by bench/bench_forms.py and bench/bench_ingest.py, never asserted.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.contract_strategies import column_values
from tests.forms_helpers import docx_bytes, html_page
from workbench.dataset.contract import SCHEMAS, frame_from_rows
from workbench.dataset.text import clean, fold, normalize_lines, normalize_text
from workbench.ingest import families, parse_source, read_source, source_from_bytes
from workbench.ingest.sources.text import read_text_export

SOURCES = Path(__file__).resolve().parent.parent / "data" / "sources"
REPORT = SOURCES / "000_a022e4505cac72f3.txt"
COUNCIL = SOURCES / "004_cf3c10cfbd63a6c4.txt"


@pytest.fixture
def detect_calls(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many times each family's ``detect`` runs."""
    calls: Counter[str] = Counter()
    for module in families():
        original = module.detect

        def counted(
            lines: object,
            need: float = 0.0,
            _original: object = original,
            _name: str = module.FAMILY,
        ) -> float:
            calls[_name] += 1
            return _original(lines, need)  # type: ignore[operator,no-any-return]

        monkeypatch.setattr(module, "detect", counted)
    return calls


def test_a_family_that_surely_fits_stops_the_detection(detect_calls: Counter[str]) -> None:
    document = parse_source(read_source(REPORT))
    assert document.family == "monitoring-report" and document.confidence == 1.0
    # The report family scores 1 and comes first in the families' order: no family after it
    # can win, and the costly development plan is not scored at all.
    assert detect_calls["monitoring-report"] == 1
    assert "development-plan" not in detect_calls
    assert set(detect_calls.values()) == {1}


def test_every_family_is_scored_once_when_none_surely_fits_before(
    detect_calls: Counter[str],
) -> None:
    document = parse_source(read_source(COUNCIL))
    assert document.family == "council-programme"
    assert set(detect_calls.values()) == {1} and len(detect_calls) == len(families())


def test_a_structured_form_is_not_detected_again_when_parsed(detect_calls: Counter[str]) -> None:
    source = read_source(REPORT)
    blocks = read_text_export(source.lines, path=source.path, sha256=source.sha256)
    for data in (html_page(blocks).encode("utf-8"), docx_bytes(blocks)):
        detect_calls.clear()
        laid_out = source_from_bytes(data, "report")
        assert detect_calls["monitoring-report"] == 1 and set(detect_calls.values()) == {1}
        tried = Counter(detect_calls)
        document = parse_source(laid_out)
        assert document.family == "monitoring-report" and document.confidence == 1.0
        assert detect_calls == tried


def test_a_structured_form_no_family_fits_is_not_detected_again_when_parsed(
    detect_calls: Counter[str],
) -> None:
    text = SOURCES.parent.parent / "tests" / "fixtures" / "generic" / "kz_shymkent_2021_2023.txt"
    source = read_source(text)
    blocks = read_text_export(source.lines, path=source.path, sha256=source.sha256)
    laid_out = source_from_bytes(html_page(blocks).encode("utf-8"), "plan.html")
    tried = Counter(detect_calls)  # every family, in each layout tried
    assert set(tried) == {module.FAMILY for module in families()}
    document = parse_source(laid_out)
    assert document.family == "generic"
    assert detect_calls == tried


def test_a_structured_form_keeps_the_document_lines_of_its_rows() -> None:
    source = read_source(SOURCES / "001_b5c11f052baa7846.txt")
    blocks = read_text_export(source.lines, path=source.path, sha256=source.sha256)
    laid_out = source_from_bytes(html_page(blocks).encode("utf-8"), "plan.html")
    family = next(module for module in families() if laid_out.family == module.FAMILY)
    rendered = family.parse(laid_out)  # source_line: lines of the laid-out text
    document = parse_source(laid_out)  # source_line: lines of the HTML file itself
    for name, frame in rendered.tables.items():
        if "source_line" not in frame.columns:
            continue
        expected = [
            None
            if line is None or laid_out.origins[line - 1] is None
            else laid_out.origins[line - 1].line  # type: ignore[union-attr]
            for line in frame["source_line"].to_list()
        ]
        assert document.tables[name]["source_line"].to_list() == expected, name
        assert document.tables[name]["source_line"].dtype == frame["source_line"].dtype


# -- quick paths give what the general path gives --------------------------------------------

_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]"
)
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f\u2009\u2002\u2003]+")


def _clean_the_long_way(text: str) -> str:
    text = _ANSI.sub("", html.unescape(text))
    return _SPACES.sub(" ", _CONTROL.sub("", text.replace("\n", " "))).strip()


_PIECES = st.sampled_from(
    ["а", "Ә", "x", "1", " ", "  ", "\t", "\n", "\r", "&amp;", "&", "&#27;[1m", "\x1b[31m",
     "\x1b]0;t\x07", "\x1b]0;", "\x07", "\u00a0", "\u2007", "\u200b", "\x85", "\ufeff", "\u3000",
     "\u1680", "\u00ad", "\u2028", "\x00", "\x0b", "\U0010ffff"]
)  # fmt: skip
_TEXTS = st.lists(_PIECES, max_size=10).map("".join)


@given(_TEXTS)
def test_clean_gives_what_its_substitutions_give(text: str) -> None:
    assert clean(text) == _clean_the_long_way(text)


@given(st.lists(_TEXTS, max_size=5))
def test_normalize_lines_gives_each_line_normalized(lines: list[str]) -> None:
    assert normalize_lines(lines) == [normalize_text(line).replace("\n", " ") for line in lines]


def test_frames_of_no_rows_have_the_schema_and_are_their_own() -> None:
    for table, schema in SCHEMAS.items():
        first = frame_from_rows(table, [])
        assert first.schema == schema and first.height == 0
        first.insert_column(0, pl.Series("extra", [], pl.Int8))
        assert frame_from_rows(table, []).schema == schema, table


def test_frames_of_rows_have_the_schema_and_refuse_unknown_columns() -> None:
    row = {"plan_id": "p", "node_id": "n", "year": 2024, "kind": "plan", "raw": "1,5"}
    frame = frame_from_rows("values", [row, {**row, "year": 2025, "value": 1.5}])
    assert frame.schema == SCHEMAS["values"]
    assert frame["value"].to_list() == [None, 1.5] and frame["year"].to_list() == [2024, 2025]
    with pytest.raises(KeyError, match="unknown column"):
        frame_from_rows("values", [{**row, "colour": "red"}])


def test_frames_of_rows_refuse_a_value_outside_an_enum_naming_its_column() -> None:
    # Polars' row constructor would make such a value null without a word.
    row = {"plan_id": "p", "node_id": "n", "year": 2024, "kind": "forecast", "raw": "1"}
    with pytest.raises(ValueError, match=r"values\.kind: 'forecast'"):
        frame_from_rows("values", [row])
    plan = {"plan_id": "p", "country": "UZ"}
    with pytest.raises(ValueError, match=r"plans\.country: 'UZ'"):
        frame_from_rows("plans", [plan])


def test_frames_of_rows_refuse_a_value_of_the_wrong_type_naming_its_column() -> None:
    # Polars' row constructor would make 1.5 into 1 in an integer column, and 5 into "5" in a
    # text one: a parser's slip is refused, not stored as a wrong number.
    row = {"plan_id": "p", "node_id": "n", "year": 2024, "kind": "fact", "raw": "1"}
    with pytest.raises(TypeError, match=r"values\.year: values of type float"):
        frame_from_rows("values", [row, {**row, "year": 2024.5}])
    with pytest.raises(TypeError, match=r"values\.raw: values of type int"):
        frame_from_rows("values", [{**row, "raw": 5}])
    with pytest.raises(TypeError, match=r"values\.year: values of type bool"):
        frame_from_rows("values", [{**row, "year": True}])
    assert frame_from_rows("values", [{**row, "value": 3}])["value"].to_list() == [3.0]


@st.composite
def _table_rows(draw: st.DrawFn) -> tuple[str, list[dict[str, object]]]:
    table = draw(st.sampled_from(sorted(SCHEMAS)))
    schema = SCHEMAS[table]
    rows = draw(
        st.lists(
            st.fixed_dictionaries(
                {},
                optional={
                    name: column_values(dtype, null_lists=False) for name, dtype in schema.items()
                },
            ),
            max_size=4,
        )
    )
    return table, rows


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_table_rows())
def test_frames_of_rows_hold_what_a_series_per_column_holds(
    case: tuple[str, list[dict[str, object]]],
) -> None:
    table, rows = case
    schema = SCHEMAS[table]
    expected = pl.DataFrame(
        [pl.Series(name, [row.get(name) for row in rows], dtype) for name, dtype in schema.items()],
        schema=schema,
    )
    got = frame_from_rows(table, rows)
    assert got.schema == schema
    assert got.equals(expected, null_equal=True)


@settings(deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=10).map("".join), st.integers(1, 400))
def test_clean_and_fold_give_the_same_for_long_and_repeated_texts(piece: str, times: int) -> None:
    text = piece * times  # short cells and long paragraphs
    for _ in range(2):
        assert clean(text) == _clean_the_long_way(text)
        assert fold(text) == unicodedata.normalize("NFC", text).casefold()
