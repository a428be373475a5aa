"""Arbitrary text into every number, year, date and name parser the doors use (the command line,
the screen's forms, snapshot import) raises nothing but the project's own errors (issue 17).

Hypothesis draws any Unicode text, surrogates (bytes that were not UTF-8) included, and texts
built from the pieces these parsers look for (digits of every script, separators, signs, scale
and unit words, percent and ratio marks), so the paths past the first check are reached too.
"""

from __future__ import annotations

import argparse
import importlib
import math
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from workspace_data import GOAL, KB, KB_INDICATOR, TARAZ, UNEMPLOYMENT, tables

from workbench.cli import build_parser
from workbench.commands.common import argument_problem
from workbench.dataset.numbers import (
    is_currency,
    parse_amount,
    parse_number,
    split_scale,
    try_number,
)
from workbench.errors import NumberParseError, WorkbenchError
from workbench.workspace.edit_checks import (
    DatasetIndex,
    check_annotation,
    check_category,
    check_fact,
    check_fact_target,
    check_state,
    check_text,
    parse_annotation_number,
    parse_date,
    parse_fact_value,
    parse_year,
)

OURS = (WorkbenchError, NumberParseError)
CATEGORIES = ("data error", "other")

# Any text: every code point, surrogates included (what Python makes of bytes that are not UTF-8).
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=40)
PIECES = st.sampled_from(
    [
        *"0123456789",
        "٢", "۳", "०", "２", "²", "³", "½", "Ⅻ", "𝟙",  # digits and numbers of other scripts
        " ", "\u00a0", "\u202f", "\t", "\n", ",", ".", "'", ":", "%", "-", "−", "–", "+", "#",
        "e", "E", "e5", "inf", "nan", "NaN", "x", "Х",
        "мың", "тыс.", "млн", "млн.", "млрд", "миллион", "теңге", "тенге", "сом", "KZT",
        "км", "м²", "м2", "п.м.", "Ад.", "шт", "kg", "Q3", "q", "-W01-", "T", "Z", "\x00", "\udcff",
    ]
)  # fmt: skip
BUILT = st.lists(PIECES, max_size=12).map("".join)
TEXT = st.one_of(ANY_TEXT, BUILT)
UNITS = st.one_of(
    st.none(),
    st.sampled_from(["%", "км", "мың м²", "млн. сом", "млрд тенге", "Мың адам", "сом", ""]),
    TEXT,
)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
INDEX = DatasetIndex(tables())


def only_ours(parse: Callable[[], Any]) -> Any:
    """The parser's result, or None when it refused with one of the project's errors."""
    try:
        return parse()
    except OURS:
        return None


@SETTINGS
@given(TEXT)
@example("1e309")
@example("1" * 5000)
@example("٢٠١٧")
@example("²")
def test_numbers_and_amounts(text: str) -> None:
    number = only_ours(lambda: parse_number(text))
    if number is not None and number.value is not None:
        assert math.isfinite(number.value)
    try_number(text)
    amount = only_ours(lambda: parse_amount(text))
    if amount is not None:
        assert math.isfinite(amount.value)
    factor, rest = split_scale(text)
    assert factor in (1.0, 1e3, 1e6, 1e9) and isinstance(rest, str)
    assert isinstance(is_currency(text), bool)


@SETTINGS
@given(TEXT, UNITS)
@example("1e5", "км")
@example("1" + "0" * 308 + " млрд", "тенге")
@example("5 000 тыс. сом", "млн. сом")
def test_fact_values(text: str, unit: str | None) -> None:
    value = only_ours(lambda: parse_fact_value(text, unit))
    if value is not None:
        assert math.isfinite(value)


@SETTINGS
@given(TEXT)
@example("99999999999999999999999")
@example("#²")
def test_years_annotation_numbers_and_dates(text: str) -> None:
    year = only_ours(lambda: parse_year(text))
    assert year is None or 1900 <= year <= 2200
    number = only_ours(lambda: parse_annotation_number(text))
    assert number is None or 1 <= number < 2**63
    day = only_ours(lambda: parse_date(text))
    assert day is None or isinstance(day, date)


@SETTINGS
@given(st.integers())
def test_years_and_annotation_numbers_as_integers(number: int) -> None:
    only_ours(lambda: parse_year(number))
    only_ours(lambda: parse_annotation_number(number))


@SETTINGS
@given(TEXT, TEXT, TEXT)
def test_states_categories_and_texts(state: str, category: str, text: str) -> None:
    only_ours(lambda: check_state(state))
    only_ours(lambda: check_category(CATEGORIES, category))
    only_ours(lambda: check_text(text, 20))


def _snapshot_name_check() -> Callable[[str], str]:
    """The snapshot name check, where the snapshot layer keeps it."""
    for module in ("workbench.snapshots.model", "workbench.snapshot"):
        try:
            check: Callable[[str], str] = importlib.import_module(module).check_name
        except (ImportError, AttributeError):
            continue
        return check
    raise AssertionError("no snapshot name check found")


CHECK_NAME = _snapshot_name_check()


@SETTINGS
@given(TEXT)
@example("../up")
@example("")
def test_snapshot_names(name: str) -> None:
    only_ours(lambda: CHECK_NAME(name))


IDS = st.one_of(TEXT, st.sampled_from([TARAZ, KB, GOAL, UNEMPLOYMENT, KB_INDICATOR, "d1", "p1/a1"]))


@SETTINGS
@given(IDS, IDS, st.one_of(TEXT, st.sampled_from(["2017", "2024", ""])), TEXT, UNITS)
def test_plan_and_node_ids_with_a_fact_or_an_annotation(
    plan: str, node: str, year: str, text: str, category: str | None
) -> None:
    """Ids as typed after --plan and --node, against a dataset: refused in our words only."""
    only_ours(lambda: INDEX.check_node(plan, node))
    only_ours(lambda: check_fact_target(INDEX, plan, node, year))
    only_ours(lambda: check_fact(INDEX, plan, node, year, text))
    only_ours(
        lambda: check_annotation(INDEX, CATEGORIES, plan, node, year, text, category=category)
    )


PARSER = build_parser()


@pytest.mark.parametrize(
    "template",
    [
        ["annotate", "--plan", "{}", "--node", "{}", "--text", "{}", "--author", "{}"],
        ["snapshot", "create", "{}"],
        ["report", "--year", "{}", "--as-of", "{}", "--text", "{}", "--quarter", "{}"],
        ["--workspace", "{}", "--data", "{}", "plans", "{}"],
    ],
)
@SETTINGS
@given(values=st.lists(TEXT.filter(lambda t: not t.startswith("-")), min_size=4, max_size=4))
def test_command_line_arguments(template: list[str], values: list[str]) -> None:
    """Whatever was typed, the argument check answers in one line or lets it through."""
    filled = iter(values)
    argv = [next(filled) if part == "{}" else part for part in template]
    try:
        args = PARSER.parse_args(argv)
    except SystemExit:  # argparse's own usage message (an option-like value, say)
        return
    assert isinstance(args, argparse.Namespace)
    problem = argument_problem(PARSER, args)
    assert problem is None or "\n" not in problem
