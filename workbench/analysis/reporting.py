"""``workbench report``: the roll-ups and indicator statuses of the screen, as text for scripts.

:func:`build_report` selects plans (by city, Latin or native name, and/or plan id) and computes
the same statuses as the screen (:mod:`workbench.analysis.status`); the ``format_*`` functions
write it as plain or coloured text, Markdown, CSV (one row per indicator and year) or JSON.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import polars as pl

from workbench import display
from workbench.analysis.activities import (
    DUE_GLYPHS,
    DUE_LABELS,
    DUE_STATUSES,
    ActivityFilter,
    ActivityIndex,
    activities_report_rows,
    activities_view,
)
from workbench.analysis.funding.amounts import format_amount
from workbench.analysis.funding.index import FundingIndex
from workbench.analysis.funding.report import funding_report_rows
from workbench.analysis.funding.view import funding_view
from workbench.analysis.glyphs import GLYPHS, STATUS_LABELS
from workbench.analysis.labels import plan_label
from workbench.analysis.status import (
    STATUS_COLUMNS,
    Thresholds,
    effective_polarities,
    indicator_items,
    indicator_statuses,
    polarity_reviews,
    subtree_counts,
)
from workbench.analysis.vocabulary_filter import resolve_codes
from workbench.dataset.contract import FUNDING_KINDS
from workbench.dataset.csv_cells import neutralise_text
from workbench.dataset.hierarchy import ordered_items
from workbench.dataset.text import fold, safe_display
from workbench.display import percent
from workbench.errors import WorkbenchError
from workbench.i18n import N_, _, ngettext

FORMATS = ("text", "markdown", "csv", "json")
# One row per indicator and year: who it is, then its status columns after their keys.
CSV_COLUMNS = (
    "plan_id",
    "node_id",
    "city",
    "code",
    "title",
    "unit",
    "polarity",
    "polarity_source",
    *STATUS_COLUMNS[2:],
    "polarity_review",
)
# ANSI colours for a terminal (16-colour safe); the glyph carries the status without them.
_COLOURS = {"met": "32", "at_risk": "33", "off_track": "31", "no_data": "2"}


class ReportError(WorkbenchError):
    """The city or plan asked for is not in the dataset."""


@dataclass(frozen=True, slots=True)
class Report:
    year: int | None
    thresholds: Thresholds
    plans: pl.DataFrame  # the selected plans
    items: pl.DataFrame  # tree order, with status at the year and roll-up counts
    rows: pl.DataFrame  # one row per indicator and year (only ``year`` when given)


def select_plans(plans: pl.DataFrame, *, city: str | None, plan: str | None) -> pl.DataFrame:
    chosen = plans
    if city is not None:
        wanted = fold(city.strip())
        chosen = chosen.filter(
            (pl.col("city").str.normalize("NFC").str.to_lowercase() == wanted)
            | (pl.col("city_native").str.normalize("NFC").str.to_lowercase() == wanted)
        )
        if chosen.is_empty():
            known = ", ".join(
                f"{c} ({n})"
                for c, n in plans.select("city", "city_native").unique().sort("city").iter_rows()
            )
            raise ReportError(
                _("no city {city!r} in the dataset; cities: {known}").format(
                    city=city, known=known or _("none")
                )
            )
    if plan is not None:
        chosen = chosen.filter(pl.col("plan_id") == plan)
        if chosen.is_empty():
            known = ", ".join(sorted(plans.get_column("plan_id").to_list()))
            raise ReportError(
                _("no plan {plan!r} here; plans: {known}").format(
                    plan=plan, known=known or _("none")
                )
            )
    return chosen


def build_report(
    tables: Mapping[str, pl.DataFrame],
    *,
    thresholds: Thresholds,
    city: str | None = None,
    plan: str | None = None,
    year: int | None = None,
    facts: pl.DataFrame | None = None,
    polarities: pl.DataFrame | None = None,
) -> Report:
    """The statuses of the selected plans (``facts``, ``polarities``: the analyst's, from the
    workspace), with each indicator's polarity review (``polarity_review``: the polarity its
    own words point to where they contradict the one used; the status is not changed)."""
    plans = select_plans(tables["plans"], city=city, plan=plan)
    keep = plans.select("plan_id")
    selected = {
        name: (frame.join(keep, on="plan_id", how="semi") if "plan_id" in frame.columns else frame)
        for name, frame in tables.items()
    }
    statuses = indicator_statuses(
        selected, thresholds=thresholds, facts=facts, polarities=polarities
    )
    items = subtree_counts(
        indicator_items(selected, statuses, year=year, items=ordered_items(selected))
    )
    order = items.filter(pl.col("is_indicator")).select(
        "idx", "plan_id", "node_id", "city", "code", "title"
    )
    reviews = polarity_reviews(selected, statuses, polarities).select(
        "plan_id", "node_id", "polarity_review"
    )
    # Per indicator (its unit, the polarity used and its review), joined once with the rows.
    described = (
        selected["indicators"]
        .select("plan_id", "node_id", "unit")
        .hstack(effective_polarities(selected["indicators"], polarities).drop("plan_id", "node_id"))
        .join(reviews, on=["plan_id", "node_id"], how="left", maintain_order="left")
    )
    items = items.join(reviews, on=["plan_id", "node_id"], how="left", maintain_order="left")
    rows = statuses if year is None else statuses.filter(pl.col("year") == year)
    # Every indicator is listed: one without a row (at the year) is one row of no data, as the
    # roll-ups count it, rather than left out.
    rows = (
        order.join(rows, on=["plan_id", "node_id"], how="left")
        .join(described, on=["plan_id", "node_id"], how="left")
        .sort("idx", "year", nulls_last=True)
        .with_columns(
            pl.col(c).cast(pl.String) for c in ("status", "fact_source", "reported_status")
        )
        .with_columns(
            pl.col("status").fill_null("no_data"),
            pl.col("claim_mismatch").fill_null(False),
            pl.col("year").fill_null(pl.lit(year, dtype=pl.Int32)),
        )
        .select(CSV_COLUMNS)
    )
    return Report(year=year, thresholds=thresholds, plans=plans, items=items, rows=rows)


# -- formats ---------------------------------------------------------------------------------


def _number(value: float | None) -> str:
    return display.number(value)


# The kinds of a value as the report's text names them (the CSV keeps the kinds' codes).
_KIND_WORDS = {
    "plan": N_("plan"),
    "target": N_("target"),
    "fact": N_("fact"),
    "estimate": N_("estimate"),
    "baseline": N_("baseline"),
}


def figures(row: Mapping[str, Any]) -> str:
    """An indicator's values at its year, each named by its kind as stored, then r and status:
    ``2026: target 10, fact – · no data``, ``2017: plan 96, fact 100.6 · r = 104.8% · met``.

    A year without a plan but with a target is counted against the target (see
    :mod:`workbench.analysis.status`): it is called a target here, as in the CSV.
    """
    year = row["year"] if row["year"] is not None else "–"
    parts = [
        f"{_(_KIND_WORDS[kind])} {_number(row[kind])}"
        for kind in ("plan", "target")
        if row[kind] is not None
    ]
    if not parts:
        parts.append(f"{_(_KIND_WORDS['plan'])} –")
    entered = " " + _("(entered)") if row.get("fact_source") == "entered" else ""
    parts.append(f"{_(_KIND_WORDS['fact'])} {_number(row['fact'])}{entered}")
    parts += [
        f"{_(_KIND_WORDS[kind])} {_number(row[kind])}"
        for kind in ("estimate", "baseline")
        if row[kind] is not None
    ]
    text = f"{year}: " + ", ".join(parts)
    if row["achievement"] is not None:
        text += f" · r = {percent(row['achievement'])}"
    return text + f" · {_(STATUS_LABELS[row['status']])}"


def rollup_text(row: Mapping[str, Any]) -> str:
    """``● 4  ◐ 2  ✖ 2  ○ 1 · 50% met`` for an item with roll-up counts."""
    parts = [f"{GLYPHS[s]} {row[s]}" for s in ("met", "at_risk", "off_track", "no_data")]
    share = row.get("share_met")
    met = _(" · {share} met").format(share=percent(share)) if share is not None else ""
    text = "  ".join(parts) + met
    if row.get("claims"):
        text += _(" · {count} claim(s) disagree").format(count=row["claims"])
    return text


def _year_label(year: int | None) -> str:
    return _("year {year}").format(year=year) if year is not None else _("latest year with data")


# The funding kinds and the total column as the reports head them (the data keeps the keys).
_KIND_NAMES = (N_("plan"), N_("fact"), N_("total"))


def _paint(text: str, status: str | None, colour: bool) -> str:
    if not colour or status is None:
        return text
    return f"\x1b[{_COLOURS[status]}m{text}\x1b[0m"


def format_text(report: Report, *, colour: bool = False, width: int | None = None) -> str:
    """Plans, then their tree with roll-ups and each indicator's status at the year."""
    lines: list[str] = []
    at = _year_label(report.year)
    met, amber = report.thresholds.met, report.thresholds.amber
    lines.append(
        _("Plan Workbench report · {at} · met ≥ {met}, at risk ≥ {amber}").format(
            at=at, met=display.number(met), amber=display.number(amber)
        )
    )
    plans = {p["plan_id"]: p for p in report.plans.iter_rows(named=True)}
    for row in report.items.iter_rows(named=True):
        level, depth = row["level"], row["depth"]
        indent = "  " * depth
        if level == "city":
            lines.append("")
            lines.append(
                f"{safe_display(row['city'])} ({safe_display(row['title'])}) — {rollup_text(row)}"
            )
            continue
        if level == "plan":
            lines.append(
                f"{indent}{plan_label(plans[row['plan_id']])}: {safe_display(row['title'])} "
                f"[{row['plan_id']}]"
            )
            lines.append(f"{indent}  {rollup_text(row)}")
            continue
        code = f"{safe_display(row['code'])} " if row["code"] else ""
        title = safe_display(row["title"])
        if row["is_indicator"]:
            status = row["status"]
            claim = " ! " + _("claim disagrees") if row["claim_mismatch"] else ""
            if row["polarity_review"]:
                claim += " ? " + _("polarity: review")
            head = f"{indent}{GLYPHS[status]} {code}"
            tail = f"  {figures(row)}{claim}"
            line = head + _fit(title, width, len(head) + len(tail)) + tail
            lines.append(_paint(line, status, colour))
        elif row["total"]:
            head = f"{indent}{code}"
            tail = f"  {rollup_text(row)}"
            lines.append(head + _fit(title, width, len(head) + len(tail)) + tail)
    return "\n".join(lines) + "\n"


def _fit(text: str, width: int | None, used: int) -> str:
    if width is None:
        return text
    room = max(12, width - used)
    return text if len(text) <= room else text[: room - 1] + "…"


def _md(text: object) -> str:
    return safe_display("" if text is None else str(text)).replace("|", "\\|")


def format_markdown(report: Report) -> str:
    at = _year_label(report.year)
    out = [_("# Plan Workbench report ({at})").format(at=at), ""]
    plans = {p["plan_id"]: p for p in report.plans.iter_rows(named=True)}
    for plan in report.items.filter(pl.col("level") == "plan").iter_rows(named=True):
        label = plan_label(plans[plan["plan_id"]])
        out += [f"## {_md(plan['city'])}, {_md(label)}: {_md(plan['title'])}", ""]
        out += [f"`{plan['plan_id']}` · {rollup_text(plan)}", ""]
        kinds = ("plan", "target", "fact", "estimate", "baseline")
        out += ["| | code | indicator | year | " + " | ".join(kinds) + " | r | status | claim |"]
        out += ["|---" * (len(kinds) + 7) + "|"]
        under = report.items.filter((pl.col("plan_id") == plan["plan_id"]) & pl.col("is_indicator"))
        for row in under.iter_rows(named=True):
            status = row["status"]
            entered = "*" if row["fact_source"] == "entered" else ""
            values = [_number(row[k]) + (entered if k == "fact" else "") for k in kinds]
            out.append(
                f"| {GLYPHS[status]} | {_md(row['code'])} | {_md(row['title'])} | "
                f"{row['year'] if row['year'] is not None else ''} | "
                + " | ".join(values)
                + f" | {percent(row['achievement'])} | "
                f"{_(STATUS_LABELS[status])} | {_('disagrees') if row['claim_mismatch'] else ''}"
                f"{' ' + _('polarity: review') if row['polarity_review'] else ''} |"
            )
        if under.filter(pl.col("fact_source") == "entered").height:
            out += ["", "\\* fact entered by the analyst (the document's value is kept)"]
        out.append("")
    return "\n".join(out)


def format_csv(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in neutralise_text(report.rows).iter_rows():
        writer.writerow(["" if v is None else _csv_value(v) for v in row])
    return buffer.getvalue()


def _csv_value(value: object) -> object:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value) if not value.is_integer() else f"{value:.1f}"
    return value


def format_json(report: Report) -> str:
    rollup = report.items.filter(
        (pl.col("level") != "node") | (pl.col("end") > pl.col("idx") + 1)
    ).select(
        "level", "city", "plan_id", "node_id", pl.col("kind").cast(pl.String), "code", "title",
        "met", "at_risk", "off_track", "no_data", pl.col("claims").alias("claim_mismatch"),
        "total", "share_met",
    )  # fmt: skip
    payload = {
        "year": report.year,
        "thresholds": {"met": report.thresholds.met, "amber": report.thresholds.amber},
        "plans": _records(report.plans.select("plan_id", "city", "city_native", "title")),
        "rollup": _records(rollup),
        "indicators": _records(report.rows),
    }
    return json.dumps(payload, ensure_ascii=False, indent=1) + "\n"


def _records(frame: pl.DataFrame) -> list[dict[str, Any]]:
    return [
        {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}
        for row in _cast_for_json(frame).iter_rows(named=True)
    ]


def _cast_for_json(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        pl.col(name).cast(pl.String)
        for name, dtype in frame.schema.items()
        if isinstance(dtype, pl.Enum | pl.Categorical)
    )


def render(report: Report, fmt: str, *, colour: bool = False, width: int | None = None) -> str:
    if fmt == "text":
        return format_text(report, colour=colour, width=width)
    if fmt == "markdown":
        return format_markdown(report)
    if fmt == "csv":
        return format_csv(report)
    if fmt == "json":
        return format_json(report)
    raise ReportError(
        _("unknown format {fmt}; expected one of {known}").format(
            fmt=repr(fmt), known=", ".join(FORMATS)
        )
    )


# -- activities and funding (``--view activities|funding``) ----------------------------------

VIEWS = ("indicators", "activities", "funding")


@dataclass(frozen=True, slots=True)
class RowsReport:
    """A flat report of activities or funding rows: ``rows`` go to csv/json as they are;
    ``lines`` is the text and Markdown body; ``warnings`` go to stderr."""

    view: str
    title: str
    rows: pl.DataFrame
    lines: list[str]
    markdown: list[str]
    warnings: list[str]


def _scope_tables(
    tables: Mapping[str, pl.DataFrame], *, city: str | None, plan: str | None
) -> tuple[pl.DataFrame, dict[str, pl.DataFrame]]:
    plans = select_plans(tables["plans"], city=city, plan=plan)
    keep = plans.select("plan_id")
    selected = {
        name: (frame.join(keep, on="plan_id", how="semi") if "plan_id" in frame.columns else frame)
        for name, frame in tables.items()
    }
    return plans, selected


def build_activities_report(
    tables: Mapping[str, pl.DataFrame],
    *,
    city: str | None = None,
    plan: str | None = None,
    filters: ActivityFilter | None = None,
    marks: pl.DataFrame | None = None,
    width: int | None = None,
) -> RowsReport:
    """The activities of the selected plans with their due status as of ``filters.as_of``
    (today)."""
    filters = filters or ActivityFilter()
    # Bodies and sources as typed (a code or a name in any spelling), read against the whole
    # dataset's vocabulary: a value known elsewhere gives no rows here, an unknown one an error.
    filters = replace(
        filters,
        bodies=resolve_codes(tables, "body", filters.bodies),
        sources=resolve_codes(tables, "funding", filters.sources),
        as_of=filters.as_of or date.today(),  # one day for both
    )
    plans, selected = _scope_tables(tables, city=city, plan=plan)
    labels = {p["plan_id"]: plan_label(p) for p in plans.iter_rows(named=True)}
    index = ActivityIndex.build(selected, marks=marks)
    view = activities_view(index, filters=filters)
    rows = activities_report_rows(index, filters=filters)
    counts = "  ".join(
        f"{DUE_GLYPHS[s]} {_(DUE_LABELS[s])} {view.counts[s]}"
        for s in DUE_STATUSES
        if view.counts[s]
    )
    title = _("Activities as of {date} · {shown} of {total}").format(
        date=view.as_of.isoformat(), shown=rows.height, total=view.in_scope
    )
    lines = [title, counts, ""]
    markdown = [f"# {title}", "", counts, ""]
    markdown += [_("| | deadline | quarter | code | activity | responsible | sources |")]
    markdown += ["|---|---|---|---|---|---|---|"]
    plan_id = None
    for row in rows.iter_rows(named=True):
        if row["plan_id"] != plan_id:
            plan_id = row["plan_id"]
            lines.append(f"{safe_display(row['city'])} · {labels.get(plan_id, '')} · {plan_id}")
        deadline = safe_display(row["deadline_raw"] or row["quarter"] or "—")
        # The machine columns keep the codes; a person reads them as the document prints them.
        responsible = index.names.expand(row["responsible"], row["plan_id"])
        codes = row["funding_sources"].split("; ") if row["funding_sources"] else []
        sources = index.names.sources(codes, row["plan_id"])
        head = f"  {row['glyph']} {row['code'] + ' ' if row['code'] else ''}"
        tail = f"  [{deadline}] {safe_display(responsible)}"
        tail += f" · {safe_display(sources)}" if sources else ""
        lines.append(head + _fit(safe_display(row["title"]), width, len(head) + len(tail)) + tail)
        markdown.append(
            f"| {row['glyph']} {row['due_status']} | {_md(row['deadline_raw'])} | "
            f"{_md(row['quarter'])} | {_md(row['code'])} | {_md(row['title'])} | "
            f"{_md(responsible)} | {_md(sources)} |"
        )
    return RowsReport("activities", title, rows, lines, markdown, [])


def build_funding_report(
    tables: Mapping[str, pl.DataFrame],
    *,
    city: str | None = None,
    plan: str | None = None,
    years: tuple[int, ...] = (),
    sources: tuple[str, ...] = (),
    kinds: tuple[str, ...] = (),
) -> RowsReport:
    """Every funding row of the selected plans and the computed totals (csv/json); per plan the
    source × year table with printed totals (text/markdown); mismatches as warnings.

    ``sources`` (codes or names in any spelling, see :mod:`workbench.analysis.vocabulary_filter`)
    keep those sources' rows in every format: the text's table then has their rows and their
    total, without the printed totals (which count every source) or the grants (no source)."""
    sources = resolve_codes(tables, "funding", sources)
    plans, selected = _scope_tables(tables, city=city, plan=plan)
    index = FundingIndex.build(selected)
    rows = funding_report_rows(index, years=years, sources=sources, kinds=kinds)
    lines: list[str] = []
    markdown: list[str] = []
    warnings: list[str] = []
    plan_rows = {p["plan_id"]: p for p in plans.iter_rows(named=True)}
    for plan_id, plan_city in plans.select("plan_id", "city").sort("city", "plan_id").iter_rows():
        view = funding_view(index, plan_id=plan_id)
        if sources:
            view = replace(
                view,
                cells=view.cells.filter(pl.col("source").is_in(list(sources))),
                printed=view.printed.clear(),
            )
            if view.cells.is_empty():
                continue
        warnings += view.warnings
        if view.rows.is_empty():
            continue
        unit = view.unit.label if view.unit else ""
        label = plan_label(plan_rows[plan_id])
        lines += [f"{safe_display(plan_city)} · {label} · {plan_id} ({unit})"]
        markdown += [f"## {_md(plan_city)}, {_md(label)}: `{plan_id}` ({_md(unit)})", ""]
        for kind in FUNDING_KINDS:
            wide = view.wide(kind)
            if wide.height <= 1:
                continue
            columns = [c for c in wide.columns if c not in ("source", "name")]
            noted = {str(y) for y in view.year_notes(kind)}
            heads = [_(c) if c == "total" else c + ("*" if c in noted else "") for c in columns]
            lines.append(f"  {_(kind) + ':':<24} " + "  ".join(f"{c:>12}" for c in heads))
            markdown.append(f"| {_(kind)} | " + " | ".join(heads) + " |")
            markdown.append("|---" * (len(columns) + 1) + "|")
            for line in wide.iter_rows(named=True):
                cells = [format_amount(line[c]) if line[c] is not None else "–" for c in columns]
                name = safe_display(str(line["name"]))
                lines.append(f"  {name[:24]:<24} " + "  ".join(f"{c:>12}" for c in cells))
                markdown.append(f"| {_md(name)} | " + " | ".join(cells) + " |")
            markdown.append("")
            notes = view.notes(kind) if not sources else []
            lines += [f"  {safe_display(note)}" for note in notes]
            markdown += [f"{_md(note)}  " for note in notes] + ([""] if notes else [])
        grants = view.grants() if not sources else view.grants().clear()
        factor = view.unit.factor if view.unit else 1.0
        for grant in grants.iter_rows(named=True):
            total = None if grant["total"] is None else grant["total"] / factor
            lines.append(
                "  "
                + _("grant {code}: {amounts} · total {total}").format(
                    code=safe_display(grant["code"] or grant["node_id"]),
                    amounts=safe_display(grant["amounts_text"] or "–"),
                    total=format_amount(total),
                )
            )
        lines.append("")
    title = ngettext("Funding · {count} plan", "Funding · {count} plans", plans.height).format(
        count=plans.height
    )
    if sources:
        title += f" · source {', '.join(sources)}"
    return RowsReport(
        "funding", title, rows, [title, "", *lines], [f"# {title}", "", *markdown], warnings
    )


def render_rows(report: RowsReport, fmt: str) -> str:
    """A :class:`RowsReport` as text, Markdown, CSV or JSON."""
    if fmt == "text":
        return "\n".join(report.lines).rstrip("\n") + "\n"
    if fmt == "markdown":
        return "\n".join(report.markdown).rstrip("\n") + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(report.rows.columns)
        for row in neutralise_text(_cast_for_json(report.rows)).iter_rows():
            writer.writerow(["" if v is None else _csv_value(v) for v in row])
        return buffer.getvalue()
    if fmt == "json":
        payload = {
            "view": report.view,
            "title": report.title,
            "warnings": report.warnings,
            "rows": _records(report.rows),
        }
        return json.dumps(payload, ensure_ascii=False, indent=1, default=str) + "\n"
    raise ReportError(
        _("unknown format {fmt}; expected one of {known}").format(
            fmt=repr(fmt), known=", ".join(FORMATS)
        )
    )
