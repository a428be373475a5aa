"""Go to a code: the rows of the catalog that a typed reference names, nearest first. No Textual.

The analyst types what the screen shows — a printed code (``НҰИ-6``, ``3.2.1.1``), the start of
a title, or a node id — and the rules are those of ``--node`` on the command line
(:func:`workbench.analysis.node_refs.named_by`). The reference is looked for in the plan of the
row the cursor is on, then in that row's city, then everywhere: the first of these that has it
answers, so "НҰИ-6" means this plan's when this plan has one. Several rows are an answer too (the
screen says how many, never picks one).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from workbench.analysis.catalog import Catalog
from workbench.analysis.node_refs import code_key, named_by
from workbench.dataset.text import fold

SCOPES = ("plan", "city", "everywhere")


@dataclass(frozen=True, slots=True)
class Found:
    """The rows named (``idx``, in tree order) and where they were looked for: ``"plan"``,
    ``"city"`` or ``"everywhere"``."""

    idx: tuple[int, ...]
    scope: str

    @property
    def unique(self) -> int | None:
        return self.idx[0] if len(self.idx) == 1 else None


def find_reference(catalog: Catalog, reference: str, *, near: int | None = None) -> Found:
    """The rows ``reference`` names, looked for near the row ``near`` first (see the module)."""
    text = reference.strip()
    if not text:
        return Found((), "everywhere")
    nodes = (
        catalog.items.select(
            "idx",
            "level",
            "city",
            pl.col("plan_id").cast(pl.String),
            pl.col("node_id").cast(pl.String),
            "code",
            "title",
        )
        # A title that starts with the text holds its first word: the catalog's search column
        # finds those on every core (it is made once, in the background).
        .with_columns(
            title_hit=pl.col("idx").is_in(catalog.matching(fold(text.split()[0])).implode())
        )
        .filter(pl.col("level") == "node")
    )
    scopes: list[tuple[str, pl.Expr]] = []
    if near is not None and 0 <= near < catalog.size:
        row = catalog.row(near)
        if row["plan_id"] is not None:
            scopes.append(("plan", pl.col("plan_id") == row["plan_id"]))
        if row["city"] is not None:
            scopes.append(("city", pl.col("city") == row["city"]))
    scopes.append(("everywhere", pl.lit(True)))
    # The rows the text may name, by code (or its numbering) or title start: named_by's exact
    # rules then run on these few rather than on a thousand plans' rows.
    likely = nodes.filter(_code_starts(code_key(text)) | pl.col("title_hit"))
    for scope, where in scopes:
        by_id = nodes.filter(where & (pl.col("node_id") == text))
        if by_id.height:
            return Found(tuple(int(i) for i in by_id.get_column("idx")), scope)
        found, _how = named_by(likely.filter(where), text)
        if found:
            return Found(tuple(sorted(int(row["idx"]) for row in found)), scope)
    return Found((), "everywhere")


def _code_starts(wanted: str) -> pl.Expr:
    """The rows whose code, compared as :func:`code_key` compares it, starts with ``wanted``
    (so equals it, or has it as its numbering)."""
    code = (
        pl.col("code")
        .str.normalize("NFC")
        .str.to_lowercase()
        .str.replace_all(r"\s+", "")
        .str.replace_all(r"[\u2010-\u2015\u2212-]", "-")
    )
    return code.str.starts_with(wanted.rstrip(".")).fill_null(False)
