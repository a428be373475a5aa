"""A node named on the command line: by its id, by the code the document prints (``НҰИ-6``,
``3.2.1.1``) or by the start of its title, within one plan.

The screen never shows node ids, so an analyst who read "НҰИ –6" there types that. Codes are
compared case-folded, without spaces and with every dash as ``-`` (the documents print "НИ - 1",
"НИ–2"), and without a trailing dot; titles by a case-folded prefix. More than one node for a
code or a prefix is an :class:`AmbiguousNode` error that lists them, never a guess.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import polars as pl

from workbench.dataset.text import fold, safe_display
from workbench.errors import ValidationError
from workbench.i18n import _

_DASHES = re.compile(r"[\u2010-\u2015\u2212-]")
_NUMBERING = re.compile(r"[0-9]+(?:\.[0-9]+)*")
_SHOWN = 8  # candidates listed in an error


class AmbiguousNode(ValidationError):
    """A code or title prefix that more than one node of the plan has."""


def code_key(code: str) -> str:
    """A code as compared: ``НИ - 1``, ``ни–1`` and ``НИ-1.`` are the same."""
    return _DASHES.sub("-", "".join(fold(code).split())).rstrip(".")


def _title_key(title: str) -> str:
    return " ".join(fold(title).split())


def resolve_node(tables: Mapping[str, pl.DataFrame], plan_id: str, reference: str) -> str:
    """The node_id of plan ``plan_id`` that ``reference`` names: its id; else the one node whose
    printed code is ``reference`` (or whose code's numbering is, for "1.1" against
    "1.1 көрсеткіш"); else the one whose title starts with it. A plan the dataset does not have
    is left to the edit's own checks; several nodes raise :class:`AmbiguousNode`, none a
    ValidationError."""
    nodes = tables["nodes"].filter(pl.col("plan_id") == plan_id)
    if nodes.is_empty() or reference is None:
        return reference
    ids = nodes.get_column("node_id")
    if (ids == reference).any():
        return reference
    if not reference.strip():
        return reference
    found, what = named_by(nodes.select("node_id", "kind", "code", "title"), reference)
    if len(found) == 1:
        return str(found[0]["node_id"])
    if found:
        raise AmbiguousNode(_ambiguous(plan_id, reference, what, found))
    raise ValidationError(
        _("plan {plan_id} has no node {reference} (by id, printed code or title start)").format(
            plan_id=repr(plan_id), reference=repr(reference)
        )
    )


def named_by(nodes: pl.DataFrame, reference: str) -> tuple[list[dict[str, Any]], str]:
    """The rows of ``nodes`` (any columns, ``code`` and ``title`` among them) that
    ``reference`` names, by the rules of :func:`resolve_node` after the id, and how: ``"code"``
    (the printed code, or its numbering) or ``"title start"``; no rows when none. More than one
    row is for the caller to say, never to choose from."""
    text = reference.strip()
    if not text:
        return [], "code"
    rows = list(nodes.iter_rows(named=True))
    wanted = code_key(text)
    by_code = [row for row in rows if row["code"] is not None and code_key(row["code"]) == wanted]
    if not by_code and _NUMBERING.fullmatch(wanted):
        # "1.1" for a code printed "1.1 көрсеткіш", "2" for "2-міндет".
        by_code = [
            row
            for row in rows
            if row["code"] is not None and _numbering(code_key(row["code"])) == wanted
        ]
    if by_code:
        return by_code, "code"
    prefix = _title_key(text)
    by_title = [
        row
        for row in rows
        if row["title"] is not None and _title_key(row["title"]).startswith(prefix)
    ]
    exact = [row for row in by_title if _title_key(row["title"]) == prefix]
    return (exact if len(exact) == 1 else by_title), "title start"


def _numbering(key: str) -> str | None:
    found = _NUMBERING.match(key)
    return found.group(0) if found else None


def _ambiguous(plan_id: str, reference: str, what: str, rows: list[dict[str, object]]) -> str:
    listed = "; ".join(
        f"{row['node_id']} ({safe_display(str(row['code'] or '–'))}, "
        f"{_short(safe_display(str(row['title'] or '')))})"
        for row in rows[:_SHOWN]
    )
    more = f"; and {len(rows) - _SHOWN} more" if len(rows) > _SHOWN else ""
    return (
        f"--node {reference!r} is the {what} of {len(rows)} nodes of plan {plan_id!r}: "
        f"{listed}{more} (give the node id)"
    )


def _short(title: str, width: int = 40) -> str:
    return title if len(title) <= width else title[: width - 1].rstrip() + "…"
