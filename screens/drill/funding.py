"""The funding view (``F``): source × year with totals, a bar chart of it, the grants, and the
printed totals checked against the computed sums (a mismatch is a warning line).

Everything shown comes from :func:`workbench.analysis.funding.view.funding_view`; this screen only
lays it out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import work
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from screens.bindings import bindings
from screens.compat import WorkbenchFooter
from screens.labels import clean, shorten
from screens.messages import Scope
from screens.widgets.failures import ReportsFailures
from workbench.i18n import N_, _
from workbench.workspace.drill_source import DrillSource

if TYPE_CHECKING:
    from workbench.analysis.funding.index import FundingIndex
    from workbench.analysis.funding.view import FundingView

BAR = 30


class FundingScreen(ReportsFailures, Screen[None]):
    """The funding of a row (a node, a plan) or of every plan of its city."""

    CSS_PATH = "drill.tcss"
    BINDINGS: ClassVar = bindings(
        "close", "fund_scope", "fund_kind", actions={"close": "screen.back"}
    )

    class Ready(Message):
        def __init__(self, index: FundingIndex) -> None:
            self.index = index
            super().__init__()

    class Failed(Message):
        def __init__(self, text: str) -> None:
            self.text = text
            super().__init__()

    def __init__(self, source: DrillSource, scope: Scope, city: str | None = None) -> None:
        super().__init__()
        self.source = source
        self.own_scope = scope
        self.city = city or scope.city
        self.whole_city = source.funding_whole_city  # as last chosen, for the session
        self.kind = source.funding_kind
        self.index: FundingIndex | None = None
        self.view: FundingView | None = None

    def compose(self) -> Any:
        yield Static(id="fund-top")
        with VerticalScroll(id="fund-body"):
            yield Static(id="fund-table")
            yield Static(id="fund-warnings")
            yield Static(id="fund-chart")
            yield Static(id="fund-grants")
        yield WorkbenchFooter(compact=True)

    @property
    def scope(self) -> Scope:
        if self.whole_city and self.city:
            return Scope(_("{city}: every plan").format(city=self.city), city=self.city)
        return self.own_scope

    def on_mount(self) -> None:
        self.query_one("#fund-table", Static).update(Text(_("Loading the funding …")))
        self._update_top()
        self.query_one("#fund-body").focus()
        self._load()

    @work(thread=True, exit_on_error=False, name=N_("Reading the funding"), group="fund-load")
    def _load(self) -> None:
        from workbench.errors import WorkbenchError

        try:
            index = self.source.funding()
        except WorkbenchError as exc:
            self.post_message(self.Failed(str(exc)))
        else:
            self.post_message(self.Ready(index))

    def on_funding_screen_failed(self, message: Failed) -> None:
        self.query_one("#fund-table", Static).update(Text(f"Cannot read: {message.text}"))

    def on_funding_screen_ready(self, message: Ready) -> None:
        self.index = message.index
        self.refresh_view()

    def refresh_view(self) -> None:
        from workbench.analysis.funding.view import funding_view

        if self.index is None:
            return
        self.view = funding_view(self.index, **self.scope.query())
        view = self.view
        self._update_top()
        warnings = Text()
        if view.warnings:
            warnings.append(
                "⚠ "
                + _("{count} printed total(s) differ from the sum of their parts:").format(
                    count=len(view.warnings)
                )
                + "\n",
                style="bold yellow",
            )
        for line in view.warnings:
            warnings.append("⚠ ", style="bold yellow")
            warnings.append(clean(line) + "\n")
        self.query_one("#fund-warnings", Static).update(warnings)
        self.query_one("#fund-warnings").display = bool(view.warnings)
        if view.rows.is_empty():
            self.query_one("#fund-table", Static).update(
                Text(_("No amounts under this row. p shows every plan of the city."))
            )
            self.query_one("#fund-chart", Static).update("")
        else:
            width = self.query_one("#fund-table", Static).size.width or self.size.width
            self.query_one("#fund-table", Static).update(wide_table(view, self.kind, width))
            self.query_one("#fund-chart", Static).update(bar_chart(view, self.kind))
        self.query_one("#fund-grants", Static).update(grants_text(view))

    def _update_top(self) -> None:
        tail = f" · {_(self.kind)}"
        if self.view is not None and self.view.unit is not None:
            tail += f" · {self.view.unit.label}"
            if self.view.mismatches:
                tail += f" · ⚠ {len(self.view.mismatches)}"
        width = max(self.size.width, 40)
        top = Text()
        top.append(" " + _("Funding") + " ", style="bold reverse")
        top.append(f" {shorten(clean(self.scope.label), max(10, width - len(tail) - 11))}")
        top.append(tail)
        top.truncate(width, overflow="ellipsis")
        self.query_one("#fund-top", Static).update(top)

    def action_back(self) -> None:
        self.dismiss(None)

    def action_toggle_scope(self) -> None:
        if not self.city:
            self.notify(_("This row belongs to no city"), timeout=3)
            return
        self.whole_city = self.source.funding_whole_city = not self.whole_city
        self.refresh_view()

    def action_toggle_kind(self) -> None:
        self.kind = self.source.funding_kind = "fact" if self.kind == "plan" else "plan"
        self.refresh_view()


def _amount(value: float | None) -> str:
    from workbench.analysis.funding.amounts import format_amount

    return "–" if value is None else format_amount(value)


def wide_table(view: FundingView, kind: str, width: int | None = None) -> Group | Table | Text:
    """Source × year with the computed total and, where printed, the document's total."""
    wide = view.wide(kind)
    if wide.height <= 1:
        if kind == "plan":
            return Text(_("No plan amounts here. v switches plan and fact."))
        return Text(_("No fact amounts here. v switches plan and fact."))
    columns = [c for c in wide.columns if c not in ("source", "name")]
    rows = list(wide.iter_rows(named=True))
    cells = {c: [_amount(row[c]) for row in rows] for c in columns}
    table = Table(
        box=None, pad_edge=False, header_style="bold", show_edge=False, padding=(0, 0, 0, 1)
    )
    noted = {str(year) for year in view.year_notes(kind)}
    heads = {c: _(c) + ("*" if c in noted else "") for c in columns}  # * a year outside the plan
    widths = {c: max(len(heads[c]), *[len(v) for v in cells[c]]) for c in columns}
    # The numbers keep their width; the source names give up theirs to fit the screen.
    names = max(len(str(row["name"])) for row in rows)
    room = (width - sum(widths.values()) - len(columns) - 2) if width else names
    table.add_column(
        _("source"), no_wrap=True, max_width=max(8, min(22, names, room)), overflow="ellipsis"
    )
    for column in columns:
        table.add_column(heads[column], justify="right", no_wrap=True, min_width=widths[column])
    for n, row in enumerate(rows):
        name = str(row["name"])
        style = "bold" if name in (_("Total"), _("Printed total")) else ""
        label = Text(clean(name), style=style)
        table.add_row(label, *[Text(cells[c][n], style=style) for c in columns])
    notes = view.notes(kind)
    if not notes:
        return table
    return Group(table, Text("\n".join(clean(note) for note in notes), style="dim"))


def bar_chart(view: FundingView, kind: str) -> Text:
    """The computed total of each year as a bar (█), the printed total's end marked ┃."""
    wide = view.wide(kind)
    text = Text()
    if wide.height <= 1:
        return text
    years = [c for c in wide.columns if c not in ("source", "name", "total", "no year")]
    by_name = {str(r["name"]): r for r in wide.iter_rows(named=True)}
    total = by_name.get(_("Total"), {})
    printed = by_name.get(_("Printed total"), {})
    values = [float(total.get(y) or 0.0) for y in years]
    peak = max([*values, *[float(printed.get(y) or 0.0) for y in years], 1.0])
    unit = view.unit.label if view.unit else ""
    heading = _("Plan by year ({unit})") if kind == "plan" else _("Fact by year ({unit})")
    text.append("\n" + heading.format(unit=unit) + "\n", style="bold")
    for year, value in zip(years, values, strict=True):
        bar = round(value / peak * BAR)
        text.append(f"{year:>7} ")
        text.append("█" * bar)
        mark = printed.get(year)
        end = None if mark is None else round(float(mark) / peak * BAR)
        if end is not None and end != bar:
            text.append(" " * max(0, end - bar - 1) + "┃", style="yellow")
        text.append(f" {_amount(value)}\n")
    return text


def grants_text(view: FundingView) -> Text:
    """Each grant: amounts by year, type, period, territory, targets and expected results."""
    grants = view.grants()
    text = Text()
    if grants.is_empty():
        return text
    factor = view.unit.factor if view.unit else 1.0
    text.append("\n" + _("Grants ({count})").format(count=grants.height) + "\n", style="bold")
    for grant in grants.iter_rows(named=True):
        code = grant["code"] or grant["node_id"]
        total = None if grant["total"] is None else grant["total"] / factor
        text.append(f"{code}. {clean(str(grant['title']))}\n", style="bold")
        amounts = clean(grant["amounts_text"] or "–")
        line = _("{amounts} · total {total}").format(amounts=amounts, total=_amount(total))
        text.append("  " + line)
        text.append("\n")
        for label, key in (
            (_("type"), "grant_type"),
            (_("period"), "period_raw"),
            (_("territory"), "territory"),
            (_("area"), "area"),
        ):
            if grant.get(key):
                text.append(f"  {label}: {clean(str(grant[key]))}\n")
        for label, key in ((_("target"), "targets"), (_("result"), "expected_results")):
            for line in grant.get(key) or []:
                text.append(f"  {label}: {clean(str(line))}\n")
    return text
