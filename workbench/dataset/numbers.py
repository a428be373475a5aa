"""Numbers and amounts as the documents print them.

``parse_number`` reads one table cell:

===================  ==========  =============================================
printed              value       notes
===================  ==========  =============================================
``100,6``            100.6       decimal comma
``1 291,0``          1291.0      spaces (plain, non-breaking, thin) group digits
``31.0``             31.0        decimal point
``-``, ``–``, empty  None        ``kind`` is ``"dash"`` or ``"empty"``
``50%``              50.0        ``kind`` is ``"percent"``, the value stays in percent
``1:0,3``            0.3         a ratio ``a:b`` has the value ``b / a`` (``kind`` ``"ratio"``)
``20243 п.м.``       20243.0     a unit glued on is returned in ``unit``
===================  ==========  =============================================

The raw text is always kept by the caller. Anything that is not one of these raises
:class:`~workbench.errors.NumberParseError` (a ``ValueError``), never another exception.

``parse_amount`` reads money: ``233724 мың теңге``, ``6 000 мың теңге``, ``1122576 млн. теңге``,
``13 959 010,0 сом`` — and returns whole currency units (``мың``/``тыс.`` ×1 000,
``млн`` ×1 000 000, ``млрд`` ×1 000 000 000).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

from workbench.errors import NumberParseError

NumberKind = Literal["number", "percent", "ratio", "dash", "empty"]

_DASHES = {"-", "–", "—", "‒", "−", "--", "---", "х", "x", "Х", "X"}
# (written to start with the separator, the digit before it tested behind: a search skips to
# the separators instead of trying the pattern everywhere)
_GROUP_SPACE = re.compile(
    r"[ \u00a0\u202f\u2009\u2007'](?<=\d[ \u00a0\u202f\u2009\u2007'])(?=\d{3}(?!\d))"
)
_NUMBER = re.compile(r"^[+\-−]?(?:\d+(?:[.,]\d+)?|[.,]\d+)$")
_LEADING_NUMBER = re.compile(r"^([+\-−]?\d+(?:[.,]\d+)?)\s*(.*)$")
_RATIO = re.compile(r"^(\d+(?:[.,]\d+)?)\s*:\s*(\d+(?:[.,]\d+)?)$")
# A unit glued to a number: letters (any script), dots, slashes, superscripts, %, ² ³, spaces.
_UNIT = re.compile(r"^[^\W\d_][\w.²³/%\- ]*\.?$|^%$|^[²³]$")


@dataclass(frozen=True, slots=True)
class Number:
    """A parsed cell: its value (or None), what kind of number it was, and any unit glued on."""

    value: float | None
    kind: NumberKind
    unit: str | None = None


def _to_float(digits: str, raw: str) -> float:
    text = digits.replace("−", "-").replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        raise NumberParseError(raw) from None
    if not math.isfinite(value):
        raise NumberParseError(raw)
    return value


def _ungroup(text: str) -> str:
    previous = None
    while previous != text:
        previous = text
        text = _GROUP_SPACE.sub("", text)
    return text


def parse_number(raw: str | None) -> Number:
    """Read one printed number (see the module docs); raise NumberParseError for anything else."""
    if raw is None:
        return Number(None, "empty")
    if not isinstance(raw, str):
        raise NumberParseError(repr(raw))
    text = " ".join(raw.replace("\u00a0", " ").split())
    if not text:
        return Number(None, "empty")
    if text in _DASHES:
        return Number(None, "dash")
    text = _ungroup(text)
    if text.endswith("%"):
        body = text[:-1].strip()
        if _NUMBER.match(body):
            return Number(_to_float(body, raw), "percent", "%")
        raise NumberParseError(raw)
    ratio = _RATIO.match(text)
    if ratio:
        first = _to_float(ratio.group(1), raw)
        second = _to_float(ratio.group(2), raw)
        if first == 0:
            raise NumberParseError(raw, "a ratio with a non-zero first term")
        return Number(second / first, "ratio")
    if _NUMBER.match(text):
        return Number(_to_float(text, raw), "number")
    glued = _LEADING_NUMBER.match(text)
    if glued:
        unit = glued.group(2).strip()
        if unit and _UNIT.match(unit) and len(unit) <= 20:
            return Number(_to_float(glued.group(1), raw), "number", unit)
    raise NumberParseError(raw)


def try_number(raw: str | None) -> float | None:
    """The value of a printed number, or None when the cell holds no number at all."""
    try:
        return parse_number(raw).value
    except NumberParseError:
        return None


_MULTIPLIERS: tuple[tuple[re.Pattern[str], float], ...] = (
    # Not preceded by a letter, but may be glued to the number: "78 935,3млн."
    (re.compile(r"(?<![^\W\d_])(?:млрд|миллиард)\w*\.?", re.IGNORECASE), 1_000_000_000.0),
    (re.compile(r"(?<![^\W\d_])(?:млн|миллион)\w*\.?", re.IGNORECASE), 1_000_000.0),
    (re.compile(r"(?<![^\W\d_])(?:мың|мин|тыс|тысяч)\w*\.?", re.IGNORECASE), 1_000.0),
)
_SOM = re.compile(r"сом|kgs")
_TENGE = re.compile(r"тең|тен|тг|kzt")
_CURRENCY_WORDS = re.compile(
    r"\b(?:теңге|тенге|тең|тг|сом|сомов|сомдун|kzt|kgs)\b\.?", re.IGNORECASE
)
# A scale word at the head of a unit ("мың м²", "млн. сом", "тыс. тенге"): whole words only,
# so "минут" or "млнх" are not read as one.
_SCALE_HEAD: tuple[tuple[re.Pattern[str], float], ...] = (
    (re.compile(r"^(?:млрд|миллиард\w*)\.?(?:\s+|$)", re.IGNORECASE), 1_000_000_000.0),
    (re.compile(r"^(?:млн|миллион\w*)\.?(?:\s+|$)", re.IGNORECASE), 1_000_000.0),
    (re.compile(r"^(?:мың|миң|тыс|тысяч\w*)\.?(?:\s+|$)", re.IGNORECASE), 1_000.0),
)


def split_scale(unit: str) -> tuple[float, str]:
    """A unit's scale word and the rest: ``"мың м²"`` → ``(1000.0, "м²")``, ``"км"`` →
    ``(1.0, "км")``, ``"млрд"`` → ``(1e9, "")``."""
    text = " ".join(unit.split())
    for pattern, factor in _SCALE_HEAD:
        found = pattern.match(text)
        if found:
            return factor, text[found.end() :]
    return 1.0, text


def is_currency(unit: str) -> bool:
    """Whether a unit (without its scale word) is money: теңге, тенге, сом, KZT, KGS …"""
    text = " ".join(unit.split())
    return bool(text) and not _CURRENCY_WORDS.sub("", text).strip()


@dataclass(frozen=True, slots=True)
class Amount:
    """Money in whole currency units, with the multiplier the document used."""

    value: float
    multiplier: float
    currency: str | None


def parse_amount(raw: str, *, multiplier: float = 1.0) -> Amount:
    """Read printed money into whole currency units.

    ``multiplier`` applies when the text itself names no unit (a column headed "мың теңге").
    Raises NumberParseError when there is no amount in the text.
    """
    if not isinstance(raw, str):
        raise NumberParseError(repr(raw), "an amount")
    text = " ".join(raw.replace("\u00a0", " ").split())
    used = multiplier
    for pattern, factor in _MULTIPLIERS:
        if pattern.search(text):
            used = factor
            text = pattern.sub(" ", text)
            break
    currency: str | None = None
    lowered = text.lower()
    if _SOM.search(lowered):
        currency = "KGS"
    elif _TENGE.search(lowered):
        currency = "KZT"
    text = _CURRENCY_WORDS.sub(" ", text)
    text = " ".join(text.split())
    if not text:
        raise NumberParseError(raw, "an amount")
    number = parse_number(text)
    if number.value is None or number.kind not in ("number",) or number.unit:
        raise NumberParseError(raw, "an amount")
    # Whole currency units keep at most two decimals (tiyn, tyiyn): 33 923 891,3 × 1 000 is
    # 33 923 891 300.0, not the float product 33923891299.999996.
    return Amount(round(number.value * used, 2), used, currency)
