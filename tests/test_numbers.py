"""Numbers and amounts as the documents print them."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.dataset.numbers import parse_amount, parse_number, try_number
from workbench.errors import NumberParseError


@pytest.mark.parametrize(
    ("raw", "value", "kind", "unit"),
    [
        ("100,6", 100.6, "number", None),
        ("1 291,0", 1291.0, "number", None),
        ("1\u00a0291,0", 1291.0, "number", None),
        ("1\u202f291,0", 1291.0, "number", None),
        ("12 345 678,5", 12345678.5, "number", None),
        ("31.0", 31.0, "number", None),
        ("0", 0.0, "number", None),
        ("-3,5", -3.5, "number", None),
        ("−3,5", -3.5, "number", None),
        (",5", 0.5, "number", None),
        ("  97,2  ", 97.2, "number", None),
        ("-", None, "dash", None),
        ("–", None, "dash", None),
        ("—", None, "dash", None),
        ("", None, "empty", None),
        ("   ", None, "empty", None),
        ("50%", 50.0, "percent", "%"),
        ("50 %", 50.0, "percent", "%"),
        ("75,4%", 75.4, "percent", "%"),
        ("1:0,3", 0.3, "ratio", None),
        ("1 : 2", 2.0, "ratio", None),
        ("2:1", 0.5, "ratio", None),
        ("20243 п.м.", 20243.0, "number", "п.м."),
        ("84615,9 м2", 84615.9, "number", "м2"),
        ("110,95 км", 110.95, "number", "км"),
        ("15 мың", 15.0, "number", "мың"),
        ("1 200 адам", 1200.0, "number", "адам"),
    ],
)
def test_parse_number(raw: str, value: float | None, kind: str, unit: str | None) -> None:
    number = parse_number(raw)
    assert number.kind == kind
    assert number.unit == unit
    if value is None:
        assert number.value is None
    else:
        assert number.value == pytest.approx(value)


@pytest.mark.parametrize(
    "raw",
    ["abc", "Көрсеткіш орындалды", "1,2,3", "12-15", "0:5", "nan", "inf", "%", "1 2 3 4", "(5)"],
)
def test_parse_number_refuses_text(raw: str) -> None:
    with pytest.raises(NumberParseError):
        parse_number(raw)
    assert try_number(raw) is None


@pytest.mark.parametrize(
    ("raw", "value", "currency"),
    [
        ("233724 мың теңге", 233_724_000.0, "KZT"),
        ("6 000 мың теңге", 6_000_000.0, "KZT"),
        ("1122576 млн. теңге", 1_122_576_000_000.0, "KZT"),
        ("184 716 млн. теңге", 184_716_000_000.0, "KZT"),
        ("13 959 010,0 сом", 13_959_010.0, "KGS"),
        ("2,5 млрд теңге", 2_500_000_000.0, "KZT"),
        ("1 500 тыс. тенге", 1_500_000.0, "KZT"),
        ("18 000 мың теңге", 18_000_000.0, "KZT"),
        ("100,6 млн сом", 100_600_000.0, "KGS"),
        ("78 935,3млн. теңге", 78_935_300_000.0, "KZT"),
        ("33 923 891,3 мың теңге", 33_923_891_300.0, "KZT"),
    ],
)
def test_parse_amount(raw: str, value: float, currency: str) -> None:
    amount = parse_amount(raw)
    assert amount.value == value
    assert amount.currency == currency


def test_parse_amount_uses_column_multiplier_when_text_names_none() -> None:
    assert parse_amount("1 291,0", multiplier=1000).value == pytest.approx(1_291_000.0)
    assert parse_amount("1 291,0 млн", multiplier=1000).value == pytest.approx(1_291_000_000.0)


@pytest.mark.parametrize("raw", ["", "мың теңге", "жоқ", "-", "50%"])
def test_parse_amount_refuses_non_amounts(raw: str) -> None:
    with pytest.raises(NumberParseError):
        parse_amount(raw)


@given(st.text())
def test_parse_number_raises_only_the_documented_error(raw: str) -> None:
    try:
        number = parse_number(raw)
    except NumberParseError:
        return
    assert number.value is None or math.isfinite(number.value)


@given(st.text(alphabet=st.sampled_from(list("0123456789 ,.-:%мыңлнтеңгесом\u00a0")), max_size=30))
def test_parse_amount_raises_only_the_documented_error(raw: str) -> None:
    try:
        amount = parse_amount(raw)
    except NumberParseError:
        return
    assert math.isfinite(amount.value)


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=9))
def test_grouped_numbers_round_trip(whole: int, tenth: int) -> None:
    grouped = f"{whole:,}".replace(",", " ") + f",{tenth}"
    assert parse_number(grouped).value == pytest.approx(whole + tenth / 10)
