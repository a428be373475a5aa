"""Amounts as the documents print them: the printed unit of a row (thousand or million tenge,
som), exact sums (in hundredths of the currency unit, as integers) and the text of an amount."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from workbench.dataset.numbers import parse_amount
from workbench.display import number as display_number
from workbench.errors import NumberParseError

UNIT_FACTORS = (1.0, 1_000.0, 1_000_000.0, 1_000_000_000.0)
_UNIT_WORDS = {
    "kk": {1.0: "", 1_000.0: "мың", 1_000_000.0: "млн", 1_000_000_000.0: "млрд"},
    "ky": {1.0: "", 1_000.0: "миң", 1_000_000.0: "млн", 1_000_000_000.0: "млрд"},
    "en": {1.0: "", 1_000.0: "thousand", 1_000_000.0: "million", 1_000_000_000.0: "billion"},
}
_CURRENCY_WORDS = {"KZT": {"kk": "теңге", "ky": "теңге"}, "KGS": {"kk": "сом", "ky": "сом"}}


@dataclass(frozen=True, slots=True)
class Unit:
    """The unit a view shows amounts in: ``factor`` whole currency units, ``name`` in English
    (``thousand KZT``) and ``label`` as the documents print it (``мың теңге``, ``сом``)."""

    factor: float
    currency: str
    name: str
    label: str


def unit_for(factor: float, currency: str, language: str = "kk") -> Unit:
    words = _UNIT_WORDS.get(language, _UNIT_WORDS["kk"])
    native = _CURRENCY_WORDS.get(currency, {}).get(language, currency)
    english = _UNIT_WORDS["en"][factor]
    return Unit(
        factor=factor,
        currency=currency,
        name=f"{english} {currency}".strip(),
        label=f"{words[factor]} {native}".strip(),
    )


_NUMBER = re.compile(r"[+\-−]?(?:\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+|\d+)(?:[.,]\d+)?")


def printed_unit(amount: float | None, raw: str | None) -> tuple[float | None, int | None]:
    """The unit a row was printed in and how many decimals the printed number has.

    The number printed in ``raw`` times 1, 1 000, 10⁶ or 10⁹ must give ``amount``; the first
    number that does decides. A unit word (мың, млн …) names the unit when no number does (a
    zero amount); ``(None, None)`` when nothing tells.
    """
    if amount is None or raw is None:
        return None, None
    for match in _NUMBER.finditer(raw):
        digits = re.sub(r"[ \u00a0\u202f\u2009]", "", match.group(0)).replace("−", "-")
        digits = digits.replace(",", ".")
        try:
            value = float(digits)
        except ValueError:
            continue
        if value == 0:
            continue
        decimals = len(digits.split(".", 1)[1]) if "." in digits else 0
        for factor in UNIT_FACTORS:
            if math.isclose(value * factor, amount, rel_tol=1e-9, abs_tol=0.005):
                return factor, decimals
    try:
        parsed = parse_amount(raw)
    except NumberParseError:
        return None, None
    if parsed.multiplier != 1.0:
        return parsed.multiplier, None
    return None, None


def _cents(expr: pl.Expr) -> pl.Expr:
    return (expr * 100).round(0).cast(pl.Int64)


def exact_sum(expr: pl.Expr) -> pl.Expr:
    """The sum of amounts, exact to the hundredth of a currency unit."""
    return _cents(expr).sum().cast(pl.Float64) / 100


def format_amount(value: float | None, *, decimals: int | None = None) -> str:
    """An amount shown the one way (:mod:`workbench.display`: ``1 291,5``); ``decimals`` None
    shows as many as needed (up to 3)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if decimals is None:
        decimals = 0
        while decimals < 3 and not math.isclose(
            round(value, decimals), value, rel_tol=0, abs_tol=1e-9
        ):
            decimals += 1
    return display_number(value, decimals=decimals)


def in_unit(amount: pl.Expr, units: Mapping[str, Unit | None]) -> pl.Expr:
    """An amount in whole currency units divided by the unit of its row's ``currency``."""
    factors = {c: (u.factor if u else 1.0) for c, u in units.items()}
    factor = pl.col("currency").replace_strict(factors, default=1.0, return_dtype=pl.Float64)
    return amount / factor


def exact_total(values: Sequence[float | None]) -> float:
    """A sum of amounts, exact to the hundredth."""
    return sum(round(v * 100) for v in values if v is not None) / 100
