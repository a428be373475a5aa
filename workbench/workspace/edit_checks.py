"""What an edit is checked against before anything is written: the dataset's plans, nodes,
indicators and years (:class:`DatasetIndex`, built per plan on first use), the annotation states
and categories, and an entered number read exactly as the ingest reads a table cell.

The checks run without a workspace, so a form can show the problem as the analyst types;
:class:`~workbench.workspace.store.Workspace` runs the same ones before it writes. Every refusal is
a :class:`~workbench.errors.ValidationError` whose text is one line to show as it is.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Final, Literal

import polars as pl

from workbench.config import MAX_ANNOTATION_LENGTH
from workbench.errors import NumberParseError, ValidationError
from workbench.i18n import N_, _

STATES: Final = ("open", "explained", "resolved")
_ASCII_DIGITS: Final = re.compile(r"[0-9]+")
State = Literal["open", "explained", "resolved"]
# ASCII digits only: str.isdigit and int() also take ² and Arabic-Indic digits.
_DOTTED_DATE: Final = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")
_ISO_DATE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_date(value: date | str) -> date:
    """A date as an analyst types it: ``01.05.2026`` (day first, as the documents print dates)
    or ``2026-05-01``; ValidationError says what was expected. The one date parser of the doors
    (command line, forms)."""
    if isinstance(value, date):
        return value
    text = value.strip()
    dotted = _DOTTED_DATE.fullmatch(text)
    try:
        if dotted:
            day, month, year = (int(part) for part in dotted.groups())
            return date(year, month, day)
        if _ISO_DATE.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(_("no such day: {value}").format(value=repr(value))) from None
    raise ValidationError(
        _("not a date: {value} (expected DD.MM.YYYY or YYYY-MM-DD)").format(value=repr(value))
    )


# --------------------------------------------------------------------------- dataset checks


@dataclass(frozen=True, slots=True)
class _PlanInfo:
    plan_id: str
    period_start: int
    period_end: int
    kinds: dict[str, str]  # node_id -> kind
    units: dict[str, str | None]  # indicator node_id -> unit (indicators table)
    outside_years: dict[str, frozenset[int]]  # node_id -> its years with values outside the period
    document_facts: dict[str, dict[int, float | None]]  # node_id -> year -> the document's fact
    polarities: dict[str, str | None]  # indicator node_id -> its polarity in the dataset

    def document_fact(self, node_id: str, year: int) -> float | None:
        return self.document_facts.get(node_id, {}).get(year)


def _in_plan_order(column: pl.Series) -> bool:
    return column.dtype == pl.String and not column.null_count() and bool(column.is_sorted())


class DatasetIndex:
    """What validation needs from the dataset, built per plan on first use."""

    def __init__(self, tables: Mapping[str, pl.DataFrame]) -> None:
        self._tables = tables
        self._plans: dict[str, _PlanInfo] = {}
        # Tables in plan_id order (as the dataset is written) give a plan's rows by a binary
        # search, so the first edit on a plan does not scan millions of values; checked once
        # here (~25 ms for 4 M values) rather than in an edit.
        self._sorted = {
            table: _in_plan_order(tables[table].get_column("plan_id"))
            for table in ("plans", "nodes", "indicators", "values")
            if table in tables
        }

    def _rows(self, table: str, plan_id: str) -> pl.DataFrame:
        """The rows of one plan."""
        frame = self._tables[table]
        if not self._sorted.get(table):
            return frame.filter(pl.col("plan_id") == plan_id)
        column = frame.get_column("plan_id")
        start = int(column.search_sorted(plan_id, side="left"))
        return frame.slice(start, int(column.search_sorted(plan_id, side="right")) - start)

    def plan(self, plan_id: str) -> _PlanInfo:
        info = self._plans.get(plan_id)
        if info is None:
            info = self._build(plan_id)
            self._plans[plan_id] = info
        return info

    def _build(self, plan_id: str) -> _PlanInfo:
        plans = self._rows("plans", plan_id)
        if plans.is_empty():
            raise ValidationError(_("no plan {plan} in the dataset").format(plan=repr(plan_id)))
        row = plans.row(0, named=True)
        nodes = self._rows("nodes", plan_id)
        kinds = dict(
            zip(
                nodes.get_column("node_id").to_list(),
                nodes.get_column("kind").cast(pl.String).to_list(),
                strict=True,
            )
        )
        indicators = self._rows("indicators", plan_id)
        units = dict(
            zip(
                indicators.get_column("node_id").to_list(),
                indicators.get_column("unit").to_list(),
                strict=True,
            )
        )
        polarities = dict(
            zip(
                indicators.get_column("node_id").to_list(),
                indicators.get_column("polarity").cast(pl.String).to_list(),
                strict=True,
            )
        )
        start, end = int(row["period_start"]), int(row["period_end"])
        # Kept as dicts of strings and numbers, which Python's garbage collector does not track:
        # a set or a tuple per node, over the plans an analyst edits, made every full collection
        # longer (one edit in sixty took 15-50 ms, against 4 ms, at 1 000 plans).
        values = self._rows("values", plan_id).select(
            "node_id", pl.col("year").cast(pl.Int64), pl.col("kind").cast(pl.String), "value"
        )
        outside: dict[str, set[int]] = {}
        for node_id, year in (
            values.filter(~pl.col("year").is_between(start, end)).select("node_id", "year")
        ).iter_rows():
            outside.setdefault(node_id, set()).add(year)
        facts: dict[str, dict[int, float | None]] = {}
        for node_id, year, value in (
            values.filter(pl.col("kind") == "fact").select("node_id", "year", "value").iter_rows()
        ):
            facts.setdefault(node_id, {})[year] = value
        return _PlanInfo(
            plan_id=plan_id,
            period_start=start,
            period_end=end,
            kinds=kinds,
            units=units,
            outside_years={node_id: frozenset(years) for node_id, years in outside.items()},
            document_facts=facts,
            polarities=polarities,
        )

    def check_node(self, plan_id: str, node_id: str) -> _PlanInfo:
        info = self.plan(plan_id)
        if node_id not in info.kinds:
            raise ValidationError(
                _("plan {plan} has no node {node}").format(plan=repr(plan_id), node=repr(node_id))
            )
        return info

    def polarity(self, plan_id: str, node_id: str) -> str:
        """The dataset's polarity of an indicator ("increase" where it gives none)."""
        return self.plan(plan_id).polarities.get(node_id) or "increase"

    def check_year(self, info: _PlanInfo, node_id: str, year: int) -> None:
        if info.period_start <= year <= info.period_end:
            return
        if year in info.outside_years.get(node_id, ()):
            return  # a baseline or estimate year the document prints for this node
        raise ValidationError(
            _("year {year} is outside plan {plan} ({start}-{end})").format(
                year=year, plan=repr(info.plan_id), start=info.period_start, end=info.period_end
            )
        )

    def check_indicator(self, plan_id: str, node_id: str) -> _PlanInfo:
        info = self.check_node(plan_id, node_id)
        if node_id not in info.units:
            kind = info.kinds[node_id]
            raise ValidationError(
                _(
                    "node {node} of plan {plan} is {kind}, not an indicator: "
                    "facts are entered on indicators"
                ).format(node=repr(node_id), plan=repr(plan_id), kind=f"{article(kind)} {kind}")
            )
        return info


# --------------------------------------------------------------------------- validation helpers


def parse_year(text: str | int | None) -> int | None:
    """A year from the command line or a form: None for empty, else four ASCII digits.

    ``str.isdigit`` is true for ``²`` and ``int`` reads Arabic-Indic digits: only 0-9 pass.
    """
    if text is None:
        return None
    if isinstance(text, int):
        year = text
    else:
        stripped = text.strip()
        if not stripped:
            return None
        if not _ASCII_DIGITS.fullmatch(stripped):
            raise ValidationError(
                _("year {text} is not a year (expected e.g. 2025)").format(text=repr(text))
            )
        if len(stripped) > 4:
            raise ValidationError(_("year {year} is not a plausible year").format(year=stripped))
        year = int(stripped)
    if not 1900 <= year <= 2200:
        raise ValidationError(_("year {year} is not a plausible year").format(year=year))
    return year


# SQLite keeps an INTEGER in 8 bytes: a larger annotation number cannot exist.
_LARGEST_ID: Final = 2**63 - 1


def parse_annotation_number(text: str | int) -> int:
    """An annotation's number as typed (``12`` or ``#12``); ValidationError for anything else."""
    if isinstance(text, int):
        number = text
    else:
        stripped = text.strip().removeprefix("#")
        if not _ASCII_DIGITS.fullmatch(stripped):
            raise ValidationError(
                _("expected an annotation number such as 12, not {text}").format(text=repr(text))
            )
        if len(stripped) > len(str(_LARGEST_ID)):
            raise ValidationError(
                _("no annotation #{number} (numbers go up to {largest})").format(
                    number=stripped, largest=_LARGEST_ID
                )
            )
        number = int(stripped)
    if not 1 <= number <= _LARGEST_ID:
        raise ValidationError(
            _("no annotation #{number} (numbers go from 1 to {largest})").format(
                number=number, largest=_LARGEST_ID
            )
        )
    return number


_AS_PRINTED: Final = N_("expected e.g. 100,6 or 1 291,0 or 50%")
_EXPONENT: Final = re.compile(r"[eE][+-]?[0-9]+")


def parse_fact_value(raw: str, unit: str | None) -> float:
    """An entered fact, in the indicator's ``unit``: a number as the documents print it (read
    by the ingest's own :func:`~workbench.dataset.numbers.parse_number`), optionally followed by
    the indicator's unit words, with or without a scale word.

    Words after the number are compared with the unit (case, spaces and dots aside); a scale
    word (мың, тыс., млн, млрд) is applied, never dropped: ``5 000 тыс. сом`` is 5 for an
    indicator in ``млн. сом``. Anything else is refused with a message that shows how the text
    was read (``1e5`` is 1 followed by ``e5``, not a hundred thousand).
    """
    from workbench.dataset.numbers import parse_number

    text = " ".join(str(raw).split())
    try:
        number = parse_number(text)
    except NumberParseError:
        raise ValidationError(
            _("{raw} is not a number ({expected})").format(raw=repr(raw), expected=_(_AS_PRINTED))
        ) from None
    if number.value is None:
        raise ValidationError(
            _("{raw} is not a number (to remove an entered fact, clear it instead)").format(
                raw=repr(raw)
            )
        )
    if number.kind == "percent":
        if unit is not None and unit.strip().startswith("%"):
            return number.value
        raise ValidationError(
            _("read {text} as {value} percent, but {unit}").format(
                text=repr(text), value=_shown(number.value), unit=_unit_of(unit)
            )
        )
    if number.unit is None or number.kind != "number":
        return number.value
    return _in_unit(text, number.value, number.unit, unit)


def _in_unit(text: str, value: float, words: str, unit: str | None) -> float:
    """``value`` followed by ``words``, in the indicator's ``unit`` (see parse_fact_value)."""
    from workbench.dataset.numbers import is_currency, split_scale

    scale, base = split_scale(words)
    unit_scale, unit_base = split_scale(unit or "")
    read = _("read {text} as {value} followed by {words}").format(
        text=repr(text), value=_shown(value), words=repr(words)
    )
    if base and _unit_key(base) == _unit_key(unit_base):
        return _rescaled(value, scale, unit_scale)
    if not base:  # a scale word alone: the indicator's unit must be an amount it can scale
        if unit_scale != 1 or is_currency(unit_base):
            return _rescaled(value, scale, unit_scale)
        raise ValidationError(
            _("{read} (× {scale}), but {unit}, not an amount").format(
                read=read, scale=_shown(scale), unit=_unit_of(unit)
            )
        )
    # The documents never print an exponent: say how to write the number they meant.
    hint = " " + _("(write the number in full)") if _EXPONENT.fullmatch(words) else ""
    if unit is None:
        raise ValidationError(
            _("{read}, but the indicator has no unit: enter the number alone").format(read=read)
            + hint
        )
    raise ValidationError(
        _("{read}, which is not the indicator's unit {unit}").format(read=read, unit=repr(unit))
        + hint
    )


def _unit_key(unit: str) -> str:
    """A unit as compared: ``м²`` and ``М2``, ``п. м.`` and ``п.м.`` are the same."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", unit).casefold() if ch not in " .")


def _rescaled(value: float, scale: float, unit_scale: float) -> float:
    """``value`` × ``scale`` in units of ``unit_scale``, in decimal (5 000 тыс. is 5 млн, not
    4.999…)."""
    if scale == unit_scale:
        return value
    result = float(Decimal(repr(value)) * Decimal(repr(scale)) / Decimal(repr(unit_scale)))
    if not math.isfinite(result):
        raise ValidationError(
            _("{value} × {scale} is too large for a fact").format(
                value=_shown(value), scale=_shown(scale)
            )
        )
    return result


def _unit_of(unit: str | None) -> str:
    if unit is None:
        return _("the indicator has no unit")
    return _("the indicator's unit is {unit}").format(unit=repr(unit))


def _shown(value: float) -> str:
    from workbench.display import exact_number

    return exact_number(value)


def check_state(state: str) -> str:
    if state not in STATES:
        raise ValidationError(
            _("unknown state {state} (one of: {known})").format(
                state=repr(state), known=", ".join(STATES)
            )
        )
    return state


def check_text(text: str, max_length: int = MAX_ANNOTATION_LENGTH) -> str:
    """An annotation's text, stripped: not empty, at most ``max_length`` characters."""
    if not isinstance(text, str) or not text.strip():
        raise ValidationError(_("the annotation text is empty"))
    body = text.strip()
    if len(body) > max_length:
        raise ValidationError(
            _(
                "the annotation is {length} characters long; the limit is {limit} "
                "(config.toml [annotations] max_length)"
            ).format(
                length=f"{len(body):,}".replace(",", " "), limit=f"{max_length:,}".replace(",", " ")
            )
        )
    return body


def check_category(categories: Sequence[str], category: str | None) -> str | None:
    """The configured spelling of a category (case-insensitive match); None when empty."""
    if category is None or not category.strip():
        return None
    wanted = category.strip().casefold()
    for known in categories:
        if known.casefold() == wanted:
            return known
    raise ValidationError(
        _("unknown category {category} (one of: {known})").format(
            category=repr(category), known=", ".join(categories)
        )
    )


@dataclass(frozen=True, slots=True)
class CheckedAnnotation:
    plan_id: str
    node_id: str
    year: int | None
    text: str
    category: str | None
    state: str


def check_annotation(
    index: DatasetIndex,
    categories: Sequence[str],
    plan_id: str,
    node_id: str,
    year: int | str | None,
    text: str,
    *,
    category: str | None = None,
    state: str = "open",
    max_length: int = MAX_ANNOTATION_LENGTH,
) -> CheckedAnnotation:
    """Every check of a new annotation, without a workspace (a form can call it as you type)."""
    checked_year = parse_year(year)
    info = index.check_node(plan_id, node_id)
    if checked_year is not None:
        index.check_year(info, node_id, checked_year)
    return CheckedAnnotation(
        plan_id,
        node_id,
        checked_year,
        check_text(text, max_length),
        check_category(categories, category),
        check_state(state),
    )


@dataclass(frozen=True, slots=True)
class CheckedFact:
    plan_id: str
    node_id: str
    year: int
    value: float
    raw: str
    unit: str | None


def check_fact_target(index: DatasetIndex, plan_id: str, node_id: str, year: int | str) -> int:
    checked = parse_year(year)
    if checked is None:
        raise ValidationError(_("a fact needs a year"))
    info = index.check_indicator(plan_id, node_id)
    index.check_year(info, node_id, checked)
    return checked


def check_fact(
    index: DatasetIndex, plan_id: str, node_id: str, year: int | str, raw: str
) -> CheckedFact:
    """Every check of an entered fact, without a workspace."""
    checked_year = check_fact_target(index, plan_id, node_id, year)
    text = " ".join(str(raw).split())
    unit = index.plan(plan_id).units.get(node_id)
    value = parse_fact_value(text, unit)
    return CheckedFact(plan_id, node_id, checked_year, value, text, unit)


def article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"
