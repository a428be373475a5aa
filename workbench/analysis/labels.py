"""Plans and nodes named for a person: a plan's period as the document gives it, and a node as
its city, printed code and title rather than its internal ids.

The commands use these (``plans``, report headings, ``annotations``, ``undo``); the screens can,
so that a plan or a node reads the same at every door. Polars is imported only to look nodes
up: the screen imports :func:`plan_label` before its first frame.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from workbench.dataset.text import safe_display
from workbench.i18n import N_, _

if TYPE_CHECKING:
    import polars as pl


# A plan's kind in the interface's language (the document's own words are its title).
PLAN_KINDS = {
    "report": N_("report"),
    "plan": N_("plan"),
    "programme": N_("programme"),
    "grants": N_("grants"),
}


def period_text(plan: Mapping[str, Any]) -> str:
    """A plan's period as the document gives it: one year once (``2026``), a range with an en
    dash (``2026–2030``); a report is its report year of its period (``2017 of 2016–2020``),
    in the interface's language."""
    start, end = plan.get("period_start"), plan.get("period_end")
    if start is None and end is None:
        period = ""
    elif start is None or end is None or start == end:
        period = str(start if start is not None else end)
    else:
        period = f"{start}–{end}"
    report_year = plan.get("report_year")
    if report_year is not None:
        if period and period != str(report_year):
            return _("{year} of {period}").format(year=report_year, period=period)
        return str(report_year)
    return period


def year_note(year: int, start: int, end: int | None, comment: str | None = None) -> str:
    """``2025: estimate — the current year, before the plan's years 2026–2030`` (with the
    document's own words for it when it prints some): one wording for the funding view and the
    indicator detail."""
    period = f"{start}–{end}" if end is not None and end != start else str(start)
    note = _("{year}: estimate — the current year, before the plan's years {period}").format(
        year=year, period=period
    )
    return note + (f" («{' '.join(comment.split())}»)" if comment else "")


def plan_label(plan: Mapping[str, Any]) -> str:
    """A plan's kind and period: ``plan 2026–2030``, ``programme 2026``,
    ``report 2017 of 2016–2020``, in the interface's language."""
    kind = str(plan.get("kind") or "plan")
    kind = _(PLAN_KINDS[kind]) if kind in PLAN_KINDS else kind
    period = period_text(plan)
    return f"{kind} {period}" if period else kind


@dataclass(frozen=True, slots=True)
class NodeLabel:
    """What a person knows a node by: the plan's city, the node's printed code and its title."""

    plan_id: str
    node_id: str
    city: str | None
    kind: str | None
    code: str | None
    title: str | None

    @property
    def known(self) -> bool:
        """False when the dataset has no such node (the ids are all there is to show)."""
        return self.title is not None or self.code is not None

    def text(self, *, width: int = 60) -> str:
        """``Zhezkazgan · НҰИ –6 Ұлттық … ``: city, code and title (the title shortened to
        ``width`` characters), made safe for a terminal; the ids when the node is unknown."""
        if not self.known:
            return f"{self.plan_id}/{self.node_id}"
        title = safe_display(self.title or "")
        if len(title) > width:
            title = title[: width - 1].rstrip() + "…"
        named = " ".join(x for x in (safe_display(self.code or ""), title) if x)
        return f"{safe_display(self.city or self.plan_id)} · {named}"


def node_labels(
    tables: Mapping[str, pl.DataFrame], keys: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], NodeLabel]:
    """The label of each (plan_id, node_id) asked for, in one look-up of the nodes and plans;
    a node the dataset does not have gets a label with its ids only (``known`` is False)."""
    import polars as pl

    wanted = pl.DataFrame(
        list(dict.fromkeys(keys)), schema={"plan_id": pl.String, "node_id": pl.String}, orient="row"
    )
    found: dict[tuple[str, str], NodeLabel] = {}
    if wanted.height:
        nodes = tables["nodes"].select(
            pl.col("plan_id").cast(pl.String),
            pl.col("node_id").cast(pl.String),
            pl.col("kind").cast(pl.String),
            "code",
            "title",
        )
        cities = tables["plans"].select(pl.col("plan_id").cast(pl.String), "city")
        rows = wanted.join(nodes, on=["plan_id", "node_id"], how="left").join(
            cities, on="plan_id", how="left"
        )
        for row in rows.iter_rows(named=True):
            found[(row["plan_id"], row["node_id"])] = NodeLabel(
                row["plan_id"], row["node_id"], row["city"], row["kind"], row["code"], row["title"]
            )
    return found


def describe_node(
    tables: Mapping[str, pl.DataFrame], plan_id: str, node_id: str, *, width: int = 60
) -> str:
    """One node for a person: ``Zhezkazgan · НҰИ –6 title…`` (see :meth:`NodeLabel.text`)."""
    return node_labels(tables, [(plan_id, node_id)])[(plan_id, node_id)].text(width=width)


def with_node_named(text: str, label: NodeLabel, *, keep_ids: bool = True, width: int = 60) -> str:
    """A workspace message (an undo, an edit's summary) that says ``plan_id/node_id`` with the
    node named for a person instead, its ids kept at the end for a script:
    ``undone: annotation #3 on Zhezkazgan · НҰИ –6 … 2026 (id zhezkazgan-…/d2/tnui-6)``
    (without them for a toast, ``keep_ids=False``)."""
    ids = f"{label.plan_id}/{label.node_id}"
    if not label.known or ids not in text:
        return text
    named = text.replace(ids, label.text(width=width), 1)
    return named + f" (id {ids})" if keep_ids else named


def labels_from_parts(
    plans: Iterable[pl.DataFrame],
    nodes: Iterable[pl.DataFrame],
    keys: Iterable[tuple[str, str]],
) -> dict[tuple[str, str], NodeLabel]:
    """The labels of nodes from frames that carry their own names (a snapshot's ``plans`` with
    ``city``; its ``indicators`` with ``kind``, ``code``, ``title``, or its annotations with
    ``node_kind``, ``node_code``, ``node_title``): a snapshot names its nodes as they were when
    it was taken, whatever the dataset holds now. The first frame naming a node wins."""
    import polars as pl

    named = []
    for frame in nodes:
        renamed = frame.rename(
            {c: c.removeprefix("node_") for c in frame.columns if c != "node_id"}, strict=False
        )
        columns = ("plan_id", "node_id", "kind", "code", "title")
        if all(c in renamed.columns for c in columns):
            named.append(renamed.select(*(pl.col(c).cast(pl.String) for c in columns)))
    cities = [
        p.select(pl.col("plan_id").cast(pl.String), pl.col("city").cast(pl.String)) for p in plans
    ]
    schema = {c: pl.String for c in ("plan_id", "node_id", "kind", "code", "title")}
    tables = {
        "nodes": (pl.concat(named) if named else pl.DataFrame(schema=schema)).unique(
            ["plan_id", "node_id"], keep="first", maintain_order=True
        ),
        "plans": (
            pl.concat(cities)
            if cities
            else pl.DataFrame(schema={"plan_id": pl.String, "city": pl.String})
        ).unique("plan_id", keep="first", maintain_order=True),
    }
    return node_labels(tables, keys)
