"""The years of a snapshot TOML read in bulk (workbench/snapshots/toml_years.py): what it reads is
what the TOML parser reads, and any other layout goes to the parser."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from test_snapshot import _hostile, _parts_equal, busy
from workspace_data import tables

from workbench.snapshots.create import create, load
from workbench.snapshots.model import PARTS, YEAR_COLUMNS, Snapshot, SnapshotFileError
from workbench.snapshots.toml_read import parse_toml, read_file
from workbench.snapshots.toml_write import to_toml
from workbench.snapshots.toml_years import lift_years, year_line_pattern
from workbench.workspace import store


def exported(ws: store.Workspace) -> str:
    """A busy snapshot, with hostile floats (NaN, infinities, -0.0, the extremes) in its years
    and text that needs escaping (but no ''' : that alone sends a file to the parser)."""
    busy(ws)
    create(ws, tables(), "h1")
    snap = _hostile(load(ws, "h1"))
    parts = {
        part: frame.with_columns(pl.col(pl.String).str.replace_all("'''", "''", literal=True))
        for part, frame in snap.parts.items()
    }
    text = to_toml(Snapshot(snap.header, parts))
    assert "nan" in text and "inf" in text and "-0.0" in text
    return text


def parser_read(text: str) -> Snapshot | str:
    """What the TOML parser alone makes of ``text``: the snapshot, or the error's message."""
    try:
        return parse_toml(text, "f.toml", bulk_years=False)
    except SnapshotFileError as exc:
        return str(exc)


def read(text: str) -> Snapshot | str:
    try:
        return parse_toml(text, "f.toml")
    except SnapshotFileError as exc:
        return str(exc)


def same(a: Snapshot | str, b: Snapshot | str) -> None:
    if isinstance(a, str) or isinstance(b, str):
        assert a == b
        return
    _parts_equal(a, b)
    for part in PARTS:
        assert a.parts[part].schema == b.parts[part].schema, part


def test_the_bulk_read_is_the_parsers_read(ws: store.Workspace, tmp_path: Path) -> None:
    text = exported(ws)
    lifted = lift_years(text.encode("utf-8"), YEAR_COLUMNS)
    assert lifted is not None
    assert lifted.indicators == text.count("\n[[plans.indicators]]\n")
    assert lifted.years.height == text.count("\n    { year = ")
    assert "{ year" not in lifted.remainder and "years = [" not in lifted.remainder
    same(read(text), parser_read(text))
    # read from a file (its bytes, never made into one Python string), the same
    path = tmp_path / "s.toml"
    path.write_bytes(text.encode("utf-8"))
    same(read_file(path), parser_read(text))
    # bytes that are not UTF-8 are refused as before, whichever way they would be read
    bad = text.replace("\n[[plans]]\n", '\n[[plans]]\nx = "\udcff"\n', 1)
    path.write_bytes(bad.encode("utf-8", "surrogateescape"))
    with pytest.raises(SnapshotFileError, match="not a snapshot \\(not UTF-8 text\\)"):
        read_file(path)


def _first_year(text: str) -> re.Match[str]:
    found = re.search(r"\n    \{ year = [^\n]*", text)
    assert found
    return found


def _replace_first_year(text: str, line: str) -> str:
    found = _first_year(text)
    return text[: found.start()] + "\n" + line + text[found.end() :]


def _first_block(text: str) -> tuple[int, int]:
    start = text.index("\nyears = [\n")
    return start, text.index("\n]\n", start) + 2


def _first_indicator(text: str) -> str:
    """The first indicator's table with its years."""
    start = text.index("\n[[plans.indicators]]\n")
    return text[start : text.index("\n]\n", start) + 2]


def inline_years(text: str) -> str:
    """The first indicator's years on one line."""
    start, end = _first_block(text)
    lines = text[start:end].strip("\n").split("\n")[1:-1]
    inline = "years = [" + " ".join(line.strip() for line in lines) + "]"
    return text[:start] + "\n" + inline + text[end - 1 :]


def table_years(text: str) -> str:
    """The first indicator's years as [[plans.indicators.years]] tables (at its end)."""
    start, end = _first_block(text)
    lines = text[start:end].strip("\n").split("\n")[1:-1]
    tables_text = "".join(
        "\n[[plans.indicators.years]]\n" + line.strip()[2:-3].replace(", ", "\n") + "\n"
        for line in lines
    )
    rest = text[:start] + text[end - 1 :]
    after = rest.index("\n[[plans.indicators]]\n", start)
    return rest[:after] + "\n" + tables_text + rest[after:]


def _first_plan_title(text: str, value: str) -> str:
    """``text`` with the first plan's title written as ``value`` (TOML)."""
    plan = text.index("\n[[plans]]\n")
    start = text.index("\ntitle = ", plan) + len("\ntitle = ")
    end = text.index("\n", start)
    return text[:start] + value + text[end:]


def _years_in_a_string(text: str) -> str:
    """The first indicator without years, its unit a multi-line string that holds lines like a
    block of years (read as text by TOML: they must not be taken for years)."""
    start = text.index("\n[[plans.indicators]]\n")
    end = text.index("\n]\n", start) + 2
    table = text[start:end]
    table = re.sub(r"\nunit = [^\n]*", "", table, count=1)
    head = table[: table.index("\nyears = [\n")]
    fake = 'unit = """\nyears = [\n    { year = 2001, status = "met" },\n]\n"""\n'
    return text[:start] + head + "\n" + fake + text[end:]


CASES: list[tuple[str, Callable[[str], str], bool]] = [
    # (what, change, whether the years are still read in bulk)
    ("as exported", lambda t: t, True),
    ("years on one line", inline_years, False),
    ("years as tables", table_years, False),
    (
        "keys in another order",
        lambda t: _replace_first_year(t, '    { status = "no_data", year = 2017 },'),
        False,
    ),
    (
        "a plus sign",
        lambda t: _replace_first_year(t, '    { year = 2017, plan = +1.5, status = "met" },'),
        False,
    ),
    (
        "an underscore in a number",
        lambda t: _replace_first_year(t, '    { year = 2017, plan = 1_000.5, status = "met" },'),
        False,
    ),
    (
        "a leading zero (not TOML)",
        lambda t: _replace_first_year(t, '    { year = 2017, plan = 01.5, status = "met" },'),
        False,
    ),
    (
        "an integer beyond 64 bits (not for rtoml)",
        lambda t: _replace_first_year(
            t, '    { year = 2017, plan = 123456789012345678901, status = "met" },'
        ),
        False,
    ),
    (
        "-nan",
        lambda t: _replace_first_year(t, '    { year = 2017, plan = -nan, status = "met" },'),
        False,
    ),
    (
        "an escape in a status",
        lambda t: _replace_first_year(t, '    { year = 2017, status = "m\\u0065t" },'),
        False,
    ),
    (
        "a comment in the array",
        lambda t: t.replace("\nyears = [\n", "\nyears = [\n    # checked\n", 1),
        False,
    ),
    (
        "an empty array",
        lambda t: t.replace(
            "\n[[plans.indicators]]\n", "\n[[plans.indicators]]\nyears = [\n]\n", 1
        ),
        False,
    ),
    (
        "two arrays in one indicator",
        lambda t: t.replace(
            "\nyears = [\n", '\nyears = [\n    { year = 2001, status = "met" },\n]\nyears = [\n', 1
        ),
        False,
    ),
    (
        "an array under the roll-up",
        lambda t: t.replace(
            "\n[[rollup]]\n",
            '\n[[rollup]]\nyears = [\n    { year = 2001, status = "met" },\n]\n',
            1,
        ),
        False,
    ),
    ("an array not closed", lambda t: t.rstrip("\n").rsplit("\n", 1)[0] + "\n", False),
    ("CRLF line ends", lambda t: t.replace("\n", "\r\n"), False),
    ("a NUL", lambda t: t.replace("\n[[plans]]\n", "\n[[plans]]\x00\n", 1), False),
    (
        "a year without a status",
        lambda t: _replace_first_year(t, "    { year = 2017, plan = 1.5 },"),
        False,
    ),
    (
        "an unknown key",
        lambda t: _replace_first_year(t, '    { year = 2017, colour = "red", status = "met" },'),
        False,
    ),
    (
        "a year out of 32 bits",
        lambda t: _replace_first_year(t, '    { year = 99999999999, status = "met" },'),
        False,
    ),
    (
        "a year twice",
        lambda t: t.replace(_first_year(t).group(), _first_year(t).group() * 2, 1),
        False,
    ),
    (
        "an indicator twice",
        lambda t: t.replace(_first_indicator(t), _first_indicator(t) * 2, 1),
        False,
    ),
    (
        "a multi-line title holding lines like years",
        lambda t: _first_plan_title(
            t, '"""\nyears = [\n    { year = 2001, status = "met" },\n]\n"""'
        ),
        False,
    ),
    ("a literal multi-line title", lambda t: _first_plan_title(t, "'''\nyears = [\n'''"), False),
    ("an indicator's multi-line unit holding lines like years", _years_in_a_string, False),
    ("a broken header", lambda t: t.replace("format_version = 2", "format_version = ", 1), False),
    (
        "an integer where a float goes",
        lambda t: _replace_first_year(
            t, '    { year = 2017, plan = 3, fact = -0, status = "met" },'
        ),
        True,
    ),
]


@pytest.mark.parametrize(("what", "change", "bulk"), CASES, ids=[c[0] for c in CASES])
def test_any_other_layout_reads_as_the_parser_reads_it(
    ws: store.Workspace,
    what: str,
    change: Callable[[str], str],
    bulk: bool,
) -> None:
    """Each variant reads to the same snapshot, or fails with the same message (naming the
    same line), as when the parser reads the whole file; only the plain layout is read in
    bulk (a file with some years in it and others written another way is read whole)."""
    text = change(exported(ws))
    same(read(text), parser_read(text))
    if bulk:
        assert lift_years(text.encode("utf-8"), YEAR_COLUMNS) is not None, what


def test_the_plain_form_of_a_year() -> None:
    pattern = re.compile(year_line_pattern(YEAR_COLUMNS))
    good = [
        '    { year = 2017, status = "met" },',
        "    { year = -5, baseline = 0.0, plan = 1e-7, fact = 1.5e+300, estimate = -inf,"
        ' target = inf, document_fact = nan, fact_source = "entered", achievement = 5,'
        ' status = "no_data", reported_status = "not_met", claim_mismatch = true },',
    ]
    bad = [
        '    { year = 2017, status = "met" }',  # no comma after the table
        '   { year = 2017, status = "met" },',
        '    { year = 2017.0, status = "met" },',
        '    { year = 2017, plan = 1., status = "met" },',
        '    { year = 2017, plan = .5, status = "met" },',
        '    { year = 2017, plan = 1E5, status = "met" },',
        '    { year = 2017, plan = 0x10, status = "met" },',
        "    { year = 2017, claim_mismatch = True },",
        '    { year = 2017, status = "met", plan = 1.0 },',
        "    { year = 2017,  plan = 1.0 },",
        "    { year = 2017, status = 'met' },",
    ]
    assert all(pattern.match(line) for line in good)
    assert not any(pattern.match(line) for line in bad)


def _after(text: str, header: str, line: str) -> str:
    """``line`` put as the first key of the first table ``header``."""
    at = text.index(f"\n{header}\n") + len(header) + 2
    return text[:at] + line + "\n" + text[at:]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda t: re.sub(
                r'\[\[rollup\]\]\nlevel = "[^"]*"', "[[rollup]]\nlevel = 5", t, count=1
            ),
            r"rollup\[0\]: 'level' has the wrong type \(int\)",
        ),
        (
            lambda t: _after(t, "[[rollup]]", "colour = 1"),
            r"rollup\[0\]: unknown key 'colour'",
        ),
        (
            lambda t: _after(t, "[[plans.indicators]]", 'colour = "red"'),
            r"plans\[0\]\.indicators\[0\]: unknown key 'colour'",
        ),
        (
            lambda t: re.sub(r"(\[\[plans\.indicators\]\]\n)node_id = [^\n]*\n", r"\1", t, count=1),
            r"plans\[0\]\.indicators\[0\]: 'node_id' is missing",
        ),
    ],
)
def test_tables_checked_in_bulk_are_still_named_when_wrong(
    ws: store.Workspace, change: Callable[[str], str], message: str
) -> None:
    """The roll-up and the indicators are checked in bulk; a wrong one is named by its place,
    read in bulk or not."""
    text = change(exported(ws))
    with pytest.raises(SnapshotFileError, match=message):
        parse_toml(text, "f.toml")
    same(read(text), parser_read(text))
