"""What the analyst states that a document does not: city, period, family, a column mapping.

``workbench ingest FILE --city X --period 2021-2025 --family plan`` and a mapping TOML beside the
document (``FILE.mapping.toml``) or named by ``--mapping PATH``::

    city = "Taraz"            # optional, like --city
    period = "2011-2015"      # optional, like --period

    [[tables]]
    table = 2                 # the table's number in the document (as --explain prints it)
    column = 4                # 1-based
    role = "estimate"         # a value kind (fact, estimate, plan, target, baseline)
    year = 2010               #   with its year; or a column role (unit, responsible, ...)

Fields given here are recorded on the plan (``plans.given_by_hand``), so a reader of the dataset
knows which ones the text did not say.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from workbench.dataset.contract import SCHEMAS
from workbench.errors import DocumentError
from workbench.i18n import N_, _
from workbench.ingest.document import ParsedDocument, PlanMeta
from workbench.ingest.gazetteer import place_by_name
from workbench.ingest.layout.tables import ROLES, VALUE_KIND_NAMES, Override
from workbench.ingest.places import latin_city

FAMILY_CHOICES = ("plan", "report", "programme", "grants", "generic")
# What the analyst can give by hand (the plan's ``given_by_hand`` ids), in the analyst's words.
_GIVEN = {
    "city": N_("city"),
    "period": N_("period"),
    "family": N_("family"),
    "columns": N_("column roles"),
}


@dataclass(slots=True)
class Hints:
    city: str | None = None
    period: tuple[int, int] | None = None
    family: str | None = None
    columns: dict[int, dict[int, Override]] = field(default_factory=dict)
    mapping_path: str | None = None

    def given(self) -> list[str]:
        fields = []
        if self.city:
            fields.append("city")
        if self.period:
            fields.append("period")
        if self.family:
            fields.append("family")
        if self.columns:
            fields.append("columns")
        return fields

    def empty(self) -> bool:
        return not self.given()


def parse_period(text: str) -> tuple[int, int]:
    """``2021-2025`` or ``2025``; ValueError otherwise."""
    match = re.fullmatch(r"\s*((?:19|20)\d\d)\s*(?:[-–]\s*((?:19|20)\d\d))?\s*", text)
    if not match:
        raise ValueError(_("expected a period like 2021-2025, got {text}").format(text=repr(text)))
    start = int(match.group(1))
    end = int(match.group(2) or start)
    if end < start:
        raise ValueError(_("the period {text} ends before it starts").format(text=repr(text)))
    return start, end


def mapping_beside(path: str | Path) -> Path | None:
    candidate = Path(f"{path}.mapping.toml")
    return candidate if candidate.is_file() else None


def load_mapping(path: str | Path, hints: Hints) -> Hints:
    """Add a mapping file's corrections to ``hints`` (flags given on the command line win)."""
    name = str(path)
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise DocumentError(
            name, _("cannot read the mapping ({strerror})").format(strerror=exc.strerror)
        ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DocumentError(name, _("not a TOML mapping ({exc})").format(exc=exc)) from None
    hints.mapping_path = name
    if hints.city is None and isinstance(data.get("city"), str):
        hints.city = data["city"]
    if hints.period is None and "period" in data:
        try:
            hints.period = parse_period(str(data["period"]))
        except ValueError as exc:
            raise DocumentError(name, str(exc)) from None
    if hints.family is None and data.get("family") in FAMILY_CHOICES:
        hints.family = data["family"]
    for number, entry in enumerate(data.get("tables", []), start=1):
        where = f"[[tables]] entry {number}"
        try:
            table, column, role = int(entry["table"]), int(entry["column"]), str(entry["role"])
        except (KeyError, TypeError, ValueError):
            raise DocumentError(
                name,
                _('{where}: expected table = N, column = N and role = "..."').format(where=where),
            ) from None
        if role not in ROLES and role not in VALUE_KIND_NAMES:
            choices = ", ".join((*VALUE_KIND_NAMES, *ROLES))
            raise DocumentError(
                name,
                _("{where}: unknown role {role} (one of {choices})").format(
                    where=where, role=repr(role), choices=choices
                ),
            )
        year = entry.get("year")
        if year is not None and not (isinstance(year, int) and 1900 <= year <= 2100):
            raise DocumentError(
                name, _("{where}: year must be a year like 2010").format(where=where)
            )
        hints.columns.setdefault(table, {})[column - 1] = Override(role, year)
    return hints


def gather(
    name: str,
    *,
    city: str | None = None,
    period: str | None = None,
    family: str | None = None,
    mapping: str | Path | None = None,
) -> Hints:
    """The analyst's hints for one document: what was given, then the mapping named or beside
    it (what was given wins)."""
    hints = Hints(city=city or None, family=family or None)
    if period:
        try:
            hints.period = parse_period(period)
        except ValueError as exc:
            raise DocumentError(name, _("--period: {exc}").format(exc=exc)) from None
    found = Path(mapping) if mapping else mapping_beside(name)
    if found is not None:
        load_mapping(found, hints)
    return hints


def apply_to_family(document: ParsedDocument, hints: Hints) -> ParsedDocument:
    """Restate a family document's city and period as the analyst gave them."""
    given = [f for f in ("city", "period") if getattr(hints, f)]
    if not given:
        return document
    row = document.plan()
    meta = PlanMeta(
        city=str(row["city"]),
        city_native=str(row["city_native"]),
        country=str(row["country"]),
        language=str(row["language"]),
        kind=str(row["kind"]),
        title=str(row["title"]),
        period_start=cast(int, row["period_start"]),
        period_end=cast(int, row["period_end"]),
        currency=str(row["currency"]),
        report_year=cast("int | None", row["report_year"]),
    )
    if hints.city:
        place = place_by_name(hints.city)
        meta.city = place.latin if place else latin_city(hints.city)
        meta.city_native = place.native(meta.language) if place else hints.city
    if hints.period:
        meta.period_start, meta.period_end = hints.period
    plan_id = meta.plan_id()
    for table, schema in SCHEMAS.items():
        if "plan_id" in schema:
            at = schema.names().index("plan_id")
            rows = [(*row[:at], plan_id, *row[at + 1 :]) for row in document.rows[table]]
            document.set_rows(table, rows)
    row = document.plan()
    row.update(
        city=meta.city,
        city_native=meta.city_native,
        period_start=meta.period_start,
        period_end=meta.period_end,
        given_by_hand=",".join(given),
    )
    document.set_rows("plans", [tuple(row.values())])
    document.plan_id = plan_id
    return document


def describe_given(given: str) -> str:
    """A plan's ``given_by_hand`` (``city,period``) in the analyst's language."""
    return ", ".join(_(_GIVEN.get(field, field)) for field in given.split(",") if field)


def describe_columns(hints: Hints) -> str:
    """The column roles the analyst set, in the analyst's language (the roles and years as the
    mapping TOML spells them)."""
    parts = []
    for table, overrides in sorted(hints.columns.items()):
        for index, override in sorted(overrides.items()):
            role = (
                f"{override.role} {override.year}" if override.year is not None else override.role
            )
            parts.append(
                _("table {table} column {column} → {role}").format(
                    table=table, column=index + 1, role=role
                )
            )
    return "; ".join(parts) or _("no column changes")
