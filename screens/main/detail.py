"""The right pane: the selected item in full.

For an indicator: unit, responsible, information source, polarity, the status at the chosen
year, the document's execution text, a table of years × baseline / plan / fact / estimate /
target / deviation / status, and a chart of plan against fact when two or more years have values.
For a goal or anything above: the roll-up, a bar of statuses and the worst indicators below (``w``
jumps to them). For an activity or a grant: its fields. All document text is shown literally.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.console import Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from screens.bindings import bindings
from screens.labels import (
    KIND_LABELS,
    STATUS_CLASS,
    clean,
    glyph,
    literal,
    number,
    shorten,
    status_label,
)
from screens.main.chart import PlanChart, Series
from workbench.analysis.glyphs import ANNOTATED_GLYPH
from workbench.analysis.labels import plan_label
from workbench.display import percent
from workbench.i18n import N_, _

if TYPE_CHECKING:
    from workbench.analysis.catalog import Catalog

POLARITY_TEXT = {
    "increase": N_("increase (more is better: r = fact / plan)"),
    "decrease": N_("decrease (less is better: r = plan / fact)"),
    "target": N_("target (a level to hold: r = 1 − |fact − plan| / plan)"),
}
BAR_WIDTH = 30


class DetailPane(VerticalScroll, can_focus=True):
    """The selected item in full; focus it (Tab, or Enter on a leaf) to scroll."""

    ALLOW_MAXIMIZE = True
    BINDINGS: ClassVar = bindings(
        "close",
        "cursor_down",
        "cursor_up",
        actions={"close": "screen.back", "cursor_down": "scroll_down", "cursor_up": "scroll_up"},
    )
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        *STATUS_CLASS.values(),
        "detail--muted",
        "detail--heading",
        "detail--claim",
    }
    DEFAULT_CSS = """
    DetailPane {
        & > .status--met { color: $success; }
        & > .status--at-risk { color: $warning; }
        & > .status--off-track { color: $error; text-style: bold; }
        & > .status--no-data { color: $foreground-muted; }
        & > .detail--muted { color: $foreground-muted; }
        & > .detail--heading { text-style: bold; }
        & > .detail--claim { color: $error; text-style: bold; }
    }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.catalog: Catalog | None = None
        self.idx: int | None = None
        self.worst: list[int] = []
        self.has_parts = False  # the parts below the head (:meth:`_parts`)

    def compose(self) -> Any:
        # Until an item is shown the pane holds a message alone (loading, counting): the parts
        # below it come with the first item (:meth:`_parts`), not on the first frame.
        yield Static(id="detail-head")

    def _parts(self) -> None:
        """The table, the chart, the notes and the analyst's annotations, below the head: added
        when the first item is shown, and kept."""
        if self.has_parts:
            return
        self.has_parts = True
        self.mount_all(
            [
                Static(id="detail-table"),
                PlanChart(id="detail-chart"),
                Static(id="detail-notes"),
                Static(id="detail-annotations"),  # the analyst's notes (issue 6)
            ]
        )

    # -- entry -------------------------------------------------------------------------------

    def show_message(self, text: str) -> None:
        self.idx = None
        self.worst = []
        if not self.has_parts:
            self.query_one("#detail-head", Static).update(Text(text))
            return
        self._set(Text(text), Text(""), [], Text(""))
        self.query_one("#detail-annotations", Static).update("")

    def show(self, catalog: Catalog, idx: int | None) -> None:
        if idx is not None and idx == self.idx and catalog is self.catalog:
            # Already on screen: a filter letter that keeps the cursor's item draws nothing
            # again (an edit or a new year comes as a new catalog, and is drawn).
            return
        self.catalog = catalog
        self.idx = idx
        self.worst = []
        if idx is None:
            self.show_message(_("Nothing selected."))
            return
        self._parts()
        row = catalog.row(idx)
        if row["is_indicator"]:
            self._indicator(catalog, row)
        elif row["kind"] == "activity":
            self._activity(catalog, row)
        elif row["kind"] == "grant":
            self._grant(catalog, row)
        else:
            self._node(catalog, row)
        self.query_one("#detail-annotations", Static).update(self._annotations(catalog, row))
        self.scroll_home(animate=False)

    def _set(
        self,
        head: RenderableType,
        table: RenderableType,
        chart: list[Series],
        notes: RenderableType,
    ) -> None:
        self.query_one("#detail-head", Static).update(head)
        self.query_one("#detail-table", Static).update(table)
        self.query_one("#detail-chart", PlanChart).plot(chart)
        self.query_one("#detail-notes", Static).update(notes)

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(name, partial=True)

    def _status_text(self, status: str | None, *, label: bool = True) -> Text:
        status = status or "no_data"
        text = glyph(status) + (" " + status_label(status) if label else "")
        return Text(text, style=self._style(STATUS_CLASS[status]))

    # -- shared pieces -----------------------------------------------------------------------

    def _title(self, row: dict[str, Any]) -> Text:
        kind = _(KIND_LABELS.get(str(row["kind"]), str(row["kind"])))
        head = Text(kind.upper() + "  ", style=self._style("detail--muted"))
        if row["code"]:
            head.append(clean(row["code"]) + " ", style=self._style("detail--heading"))
        head.append_text(literal(row["title"], self._style("detail--heading")))
        return head

    def _breadcrumb(self, catalog: Catalog, idx: int) -> Text:
        parts = []
        for step in catalog.path(idx)[:-1]:
            item = catalog.row(step)
            if item["level"] == "city":
                parts.append(clean(item["city"]))
            elif item["level"] == "plan":
                # the period as printed, "2026–2030", not its first year
                parts.append(plan_label(catalog.plan_row(str(item["plan_id"])) or {}))
            else:
                name = clean(item["code"]) or shorten(clean(item["title"]), 24)
                parts.append(name)
        return Text(" ▸ ".join(parts), style=self._style("detail--muted"))

    def _year_text(self, catalog: Catalog) -> str:
        if catalog.year is not None:
            return _("in {year}").format(year=catalog.year)
        return _("at each one's latest year")

    # -- an indicator ------------------------------------------------------------------------

    def _indicator(self, catalog: Catalog, row: dict[str, Any]) -> None:
        plan_id, node_id = str(row["plan_id"]), str(row["node_id"])
        info = catalog.indicator_row(plan_id, node_id) or {}
        years = catalog.indicator_years(plan_id, node_id)
        lines: list[RenderableType] = [self._title(row), self._breadcrumb(catalog, row["idx"])]
        facts = Text()
        facts.append(_("Unit: "), self._style("detail--muted"))
        facts.append(clean(info.get("unit")) or "–")
        facts.append("   " + _("Polarity: "), self._style("detail--muted"))
        used = catalog.polarity_of(plan_id, node_id)  # the analyst's, where set (P)
        facts.append(_(POLARITY_TEXT.get(used["polarity"], POLARITY_TEXT["increase"])))
        if used["source"] == "analyst":
            by = _("set by analyst {author}").format(author=clean(used.get("author")))
            facts.append(f"\n  {by}", self._style("detail--muted"))
        lines.append(facts)
        review = catalog.polarity_review(plan_id, node_id, str(row["title"]))
        if review is not None:
            # imported here: its patterns are compiled on import, and the first frame shows
            # no indicator
            from workbench.dataset.polarity import describe_review

            line = Text("? " + _("polarity: review") + " — ", self._style("detail--claim"))
            line.append(clean(describe_review(review)) + " " + _("(P sets it)"))
            lines.append(line)
        labels = ((_("Responsible"), "responsible"), (_("Information source"), "info_source"))
        for label, key in labels:
            if info.get(key):
                line = Text(f"{label}: ", style=self._style("detail--muted"))
                line.append_text(literal(info[key]))
                lines.append(line)
        lines.append(self._status_line(catalog, row, years))
        table = self._years_table(years, row.get("year"))
        notes = self._estimate_notes(catalog, plan_id, years)
        if notes:
            table = Group(table, Text(notes, style=self._style("detail--muted")))
        self._set(Group(*lines), table, self._series(years), self._notes(catalog, row))

    def _estimate_notes(self, catalog: Catalog, plan_id: str, years: list[dict[str, Any]]) -> str:
        """What a year before the plan's years is (the current year's estimate), worded as
        the funding view words it."""
        from workbench.analysis.labels import year_note

        plan = catalog.plan_row(plan_id) or {}
        start, end = plan.get("period_start"), plan.get("period_end")
        if start is None:
            return ""
        return "\n".join(
            year_note(int(item["year"]), int(start), end)
            for item in years
            if int(item["year"]) < int(start) and item.get("estimate") is not None
        )

    def _status_line(
        self, catalog: Catalog, row: dict[str, Any], years: list[dict[str, Any]]
    ) -> Text:
        year = row.get("year")
        line = Text()
        if year is None:
            line.append(_("No values for this indicator") + " ", self._style("detail--muted"))
            line.append(self._year_text(catalog), self._style("detail--muted"))
            return line
        line.append(f"{year}: ")
        line.append_text(self._status_text(row["status"]))
        if row["achievement"] is not None:
            line.append(" · " + _("achievement r = {r}").format(r=percent(row["achievement"])))
        if catalog.year is None and row["status"] != "no_data":
            line.append("  " + _("(latest year with plan and fact)"), self._style("detail--muted"))
        elif catalog.year is None:
            none = _("(no year has both a plan and a fact)")
            line.append("  " + none, self._style("detail--muted"))
        chosen = [item for item in years if item["year"] == year]
        if chosen:
            at = chosen[0]
            if at["fact_source"] == "entered":
                line.append("\n" + _("Fact entered by the analyst; the document's value is kept."))
                line.append_text(self._entered_by(catalog, row, year))
            if at["claim_mismatch"]:
                claim = _("met") if at["reported_status"] == "met" else _("not met")
                line.append(
                    "\n! "
                    + _("The document says {claim}; the numbers say {status}.").format(
                        claim=claim, status=status_label(at["status"])
                    ),
                    self._style("detail--claim"),
                )
        return line

    def _years_table(self, years: list[dict[str, Any]], chosen: int | None) -> RenderableType:
        if not years:
            return Text("")
        table = Table(box=None, pad_edge=False, padding=(0, 1), show_edge=False, expand=False)
        for name in (
            N_("Year"),
            N_("Baseline"),
            N_("Plan"),
            N_("Fact"),
            N_("Estimate"),
            N_("Target"),
            N_("Dev."),
            N_("Status"),
        ):
            table.add_column(_(name), justify="left" if name in ("Year", "Status") else "right")
        for item in years:
            # The year the status is counted at, in reverse video (no glyph: glyph widths vary).
            style = Style(reverse=True, bold=True) if item["year"] == chosen else Style()
            fact = number(item["fact"]) + ("*" if item["fact_source"] == "entered" else "")
            deviation = item["deviation"]
            dev = "–" if deviation is None else ("+" if deviation > 0 else "") + number(deviation)
            status = self._status_text(item["status"], label=False)
            if item["claim_mismatch"]:
                status.append("!", self._style("detail--claim"))
            table.add_row(
                Text(str(item["year"]), style=style),
                Text(number(item["baseline"])),
                Text(number(item["plan"])),
                Text(fact),
                Text(number(item["estimate"])),
                Text(number(item["target"])),
                Text(dev),
                status,
            )
        return table

    def _series(self, years: list[dict[str, Any]]) -> list[Series]:
        out = []
        for name, marker, color in (
            ("plan", "•", "blue"),
            ("fact", "x", "red"),
            ("baseline", "-", "gray"),
            ("estimate", "+", "magenta"),
        ):
            kept = [item for item in years if _finite(item[name])]
            out.append(
                Series(
                    name,
                    tuple(int(item["year"]) for item in kept),
                    tuple(float(item[name]) for item in kept),
                    marker,
                    color,
                )
            )
        return out

    def _notes(self, catalog: Catalog, row: dict[str, Any]) -> RenderableType:
        notes = catalog.indicator_notes(str(row["plan_id"]), str(row["node_id"]))
        if not notes:
            return Text("")
        out = Text(_("What the document says:") + "\n", style=self._style("detail--heading"))
        for item in notes:
            out.append(f"{item['year']} {item['kind']}: ", style=self._style("detail--muted"))
            if item["comment"]:
                out.append_text(literal(item["comment"]))
            else:
                out.append(_("printed “{raw}”, no number").format(raw=clean(item["raw"])))
            out.append("\n")
        return out

    # -- the analyst's work (issue 6) --------------------------------------------------------

    def _entered_by(self, catalog: Catalog, row: dict[str, Any], year: int) -> Text:
        entered = catalog.entered_fact(str(row["plan_id"]), str(row["node_id"]), year)
        if entered is None:
            return Text("")
        return Text(
            f"\n{ANNOTATED_GLYPH} {clean(entered['raw'])} entered by {clean(entered['author'])}"
            f" at {_when(entered['entered_at'])} (* in the table)",
            style=self._style("detail--muted"),
        )

    def _annotations(self, catalog: Catalog, row: dict[str, Any]) -> RenderableType:
        if row["level"] != "node":
            return Text("")
        notes = catalog.annotations_of(str(row["plan_id"]), str(row["node_id"]))
        if not notes:
            return Text(_("No annotations (a adds one)."), style=self._style("detail--muted"))
        out = Text(f"{ANNOTATED_GLYPH} " + _("Annotations (a adds or edits):") + "\n")
        out.stylize(self._style("detail--heading"))
        for note in notes:
            year = _("whole node") if note["year"] is None else str(note["year"])
            heading = f"#{note['id']} {year} · {note['state']}"
            out.append(heading, style=self._style("detail--heading"))
            if note["category"]:
                out.append(f" · {clean(note['category'])}")
            out.append("\n  ")
            out.append_text(literal(note["text"]))
            who = f"\n  {clean(note['author'])}, {_when(note['created_at'])}"
            if note["version"] > 1:
                who += f"; v{note['version']} by {clean(note['updated_by'])}, "
                who += _when(note["updated_at"])
            out.append(who + "\n", style=self._style("detail--muted"))
        return out

    # -- a goal, section, direction, plan or city --------------------------------------------

    def _node(self, catalog: Catalog, row: dict[str, Any]) -> None:
        lines: list[RenderableType] = []
        if row["level"] == "city":
            lines.append(
                Text(
                    _("CITY") + f"  {clean(row['city'])} · {clean(row['title'])}",
                    self._style("detail--heading"),
                )
            )
        elif row["level"] == "plan":
            lines.extend(self._plan_lines(catalog, row))
        else:
            lines += [self._title(row), self._breadcrumb(catalog, row["idx"])]
        lines.append(self._rollup_text(catalog, row))
        if row.get("total"):
            lines.append(self._bar(row))
        self.worst = catalog.worst_under(row["idx"], limit=8)
        table = self._worst_table(catalog) if self.worst else Text("")
        self._set(Group(*lines), table, [], Text(""))

    def _plan_lines(self, catalog: Catalog, row: dict[str, Any]) -> list[RenderableType]:
        plan = catalog.plan_row(str(row["plan_id"])) or {}
        head = Text(_("PLAN") + "  ", style=self._style("detail--muted"))
        head.append_text(literal(plan.get("title") or row["title"], self._style("detail--heading")))
        lines: list[RenderableType] = [head]
        facts = Text(style=self._style("detail--muted"))
        facts.append(f"{plan.get('city', '')} ({clean(plan.get('city_native'))}), ")
        facts.append(plan_label(plan))
        facts.append(f" · id {row['plan_id']}")
        lines.append(facts)
        for label, key in (
            (_("Issued by"), "responsible"),
            (_("Approved"), "approved"),
            (_("Source"), "source_file"),
        ):
            if plan.get(key):
                line = Text(f"{label}: ", style=self._style("detail--muted"))
                line.append_text(literal(plan[key]))
                lines.append(line)
        return lines

    def _rollup_text(self, catalog: Catalog, row: dict[str, Any]) -> Text:
        total = row.get("total") or 0
        text = Text()
        if not total:
            text.append(_("No indicators below."), self._style("detail--muted"))
            return text
        text.append(
            _("{total} indicator(s), counted {when}:").format(
                total=total, when=self._year_text(catalog)
            )
            + "\n"
        )
        for status in ("met", "at_risk", "off_track", "no_data"):
            text.append_text(self._status_text(status))
            text.append(f" {row.get(status) or 0}   ")
        share = row.get("share_met")
        if share is not None:
            met = _("{share} met of those with plan and fact").format(share=percent(share))
            text.append("\n" + met)
        if row.get("claims"):
            text.append(
                "\n! "
                + _("{count} where the document's own claim disagrees").format(count=row["claims"]),
                self._style("detail--claim"),
            )
        return text

    def _bar(self, row: dict[str, Any]) -> Text:
        total = max(1, int(row.get("total") or 0))
        bar = Text()
        used = 0
        statuses = ("met", "at_risk", "off_track", "no_data")
        for i, status in enumerate(statuses):
            count = int(row.get(status) or 0)
            cells = round(count * BAR_WIDTH / total) if i < len(statuses) - 1 else BAR_WIDTH - used
            cells = max(cells, 1 if count else 0)
            cells = min(cells, BAR_WIDTH - used)
            used += cells
            bar.append(glyph(status) * cells, self._style(STATUS_CLASS[status]))
        return bar

    def _worst_table(self, catalog: Catalog) -> RenderableType:
        table = Table(
            title=_("Worst indicators below (w jumps to them in turn)"),
            title_justify="left",
            box=None,
            show_header=False,
            pad_edge=False,
            expand=False,
        )
        table.add_column("", no_wrap=True)
        table.add_column("", ratio=1)
        table.add_column("", justify="right", no_wrap=True)
        for number_, idx in enumerate(self.worst, start=1):
            item = catalog.row(idx)
            status = self._status_text(item["status"], label=False)
            if item["claim_mismatch"]:
                status.append("!", self._style("detail--claim"))
            name = Text(f"{number_}. ")
            if item["code"]:
                name.append(clean(item["code"]) + " ", self._style("detail--muted"))
            name.append(shorten(clean(item["title"]), 60))
            table.add_row(status, name, Text(percent(item["achievement"])))
        return table

    # -- an activity or a grant --------------------------------------------------------------

    def _fields(self, catalog: Catalog, row: dict[str, Any], fields: list[tuple[str, Any]]) -> None:
        lines: list[RenderableType] = [self._title(row), self._breadcrumb(catalog, row["idx"])]
        for label, value in fields:
            if value is None or value == [] or value == "":
                continue
            if isinstance(value, list):
                value = "; ".join(clean(v) for v in value)
            line = Text(f"{label}: ", style=self._style("detail--muted"))
            line.append_text(literal(value))
            lines.append(line)
        self._set(Group(*lines), Text(""), [], Text(""))

    def _activity(self, catalog: Catalog, row: dict[str, Any]) -> None:
        act = catalog.activity_of(str(row["plan_id"]), str(row["node_id"])) or {}
        due = ""
        if act.get("due_start") or act.get("due_end"):
            due = f"{act.get('due_start') or '?'} – {act.get('due_end') or '?'}"
        self._fields(
            catalog,
            row,
            [
                (_("Measures"), act.get("measures")),
                (_("Deadline"), act.get("deadline_raw")),
                (_("Due"), due),
                (_("Responsible"), act.get("responsible")),
                (_("Funding"), act.get("funding_raw")),
                (_("Funding sources"), act.get("funding_sources")),
                (_("Expected result"), act.get("expected_result")),
                (_("Completion form"), act.get("completion_form")),
                (_("Report"), act.get("report") or _("no report yet")),
            ],
        )

    def _grant(self, catalog: Catalog, row: dict[str, Any]) -> None:
        grant = catalog.grant_of(str(row["plan_id"]), str(row["node_id"])) or {}
        self._fields(
            catalog,
            row,
            [
                (_("Area"), grant.get("area")),
                (_("Priority direction"), grant.get("direction")),
                (_("Problem"), grant.get("problem")),
                (_("Grant type"), grant.get("grant_type")),
                (_("Period"), grant.get("period_raw")),
                (_("Territory"), grant.get("territory")),
                (_("Target indicators"), grant.get("targets")),
                (_("Expected results"), grant.get("expected_results")),
            ],
        )


def _when(stamp: object) -> str:
    """A workspace time (``2026-11-24T10:02:03.123456Z``) as ``2026-11-24 10:02 UTC``."""
    text = str(stamp or "")
    return f"{text[:10]} {text[11:16]} UTC" if len(text) >= 16 else clean(text)


def _finite(value: object) -> bool:
    return isinstance(value, int | float) and value == value and abs(value) != float("inf")
