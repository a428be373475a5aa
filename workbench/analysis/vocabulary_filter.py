"""Filter values an analyst types for responsible bodies and funding sources (``--body``,
``--source``), read into the vocabulary's codes.

The documents name one body or source many ways: the source the vocabulary calls ``republican``
is printed ``РБ``, "республикалық бюджет" or "республикалык бюджет"; the body ``culture`` is
"мәдениет" in a Kazakh plan and "маданият" in a Kyrgyz one. A value is matched (case-folded as
:func:`workbench.dataset.text.fold` does) against, in turn:

1. the codes, the names the ``vocabulary`` table holds in any language, the built-in names of
   the code (kk, ky, ru) and, for sources, the abbreviations the documents print (``РБ``,
   ``ЖБ``, ``ОБ``: :func:`workbench.ingest.vocabulary.funding_codes`): every code it names;
2. failing that, every code whose name (or code) contains the value: ``мәдени`` is ``culture``.

Bodies are matched as the views count them: the spellings of one body ("Бизнес ассоциации",
"бизнес ассоциациялар") are one code, and an abbreviated body is also found by its meaning
(:mod:`workbench.analysis.vocabulary_names`).

A value that matches no code the dataset knows is a :class:`FilterValueError`, which lists the
known values, rather than an empty result that reads as "none".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import polars as pl

from workbench.analysis.vocabulary_names import VocabularyNames
from workbench.dataset.text import fold
from workbench.errors import WorkbenchError
from workbench.ingest.vocabulary import BODY_NAMES, FUNDING_NAMES, funding_codes

KIND_OPTIONS = {"body": "--body", "funding": "--source"}


class FilterValueError(WorkbenchError):
    """A body or source filter value that names nothing the dataset knows."""


def known_codes(tables: Mapping[str, pl.DataFrame], kind: str) -> dict[str, list[str]]:
    """Code → its names (vocabulary names in every language, then the built-in ones), for the
    codes of ``kind`` ("body" or "funding") the dataset uses or names."""
    names: dict[str, list[str]] = {}
    if kind == "body":
        # One code for the spellings of one body, as the views count them; the other
        # spellings' names stay names of it, so each of them is matched.
        merged = VocabularyNames.build(tables)
        for code, name in (
            tables["vocabulary"]
            .filter(pl.col("kind").cast(pl.String) == "body")
            .select("code", "name")
            .iter_rows()
        ):
            names.setdefault(merged.body(str(code)), []).append(str(name))
        tables = merged.shown_tables(tables)
    vocabulary = tables["vocabulary"].filter(pl.col("kind").cast(pl.String) == kind)
    for code, name in vocabulary.select("code", "name").iter_rows():
        names.setdefault(str(code), [])
        if name and name not in names[str(code)]:
            names[str(code)].append(str(name))
    used = tables["assignments"].filter(pl.col("kind").cast(pl.String) == kind)
    codes: list[str] = [str(c) for c in used.get_column("code").unique().to_list()]
    if kind == "funding":
        codes += [str(c) for c in tables["funding"].get_column("source").drop_nulls().unique()]
        listed = (
            tables["activities"]
            .get_column("funding_sources")
            .explode(empty_as_null=True)
            .drop_nulls()
        )
        codes += [str(c) for c in listed.unique()]
    builtin = FUNDING_NAMES if kind == "funding" else BODY_NAMES
    for code in codes:
        names.setdefault(code, [])
    for code, own in names.items():
        for name in builtin.get(code, {}).values():
            if name not in own:
                own.append(name)
    return dict(sorted(names.items()))


def resolve_codes(
    tables: Mapping[str, pl.DataFrame], kind: str, values: Iterable[str]
) -> tuple[str, ...]:
    """The codes the typed ``values`` name (see the module text), in the order first named;
    FilterValueError for a value that names none of the dataset's codes."""
    values = [v for v in values if v is not None]
    if not values:
        return ()
    known = known_codes(tables, kind)
    chosen: list[str] = []
    for value in values:
        found = _match(known, kind, value)
        if not found:
            raise FilterValueError(_unknown(known, kind, value))
        chosen += [code for code in found if code not in chosen]
    return tuple(chosen)


def _match(known: Mapping[str, list[str]], kind: str, value: str) -> list[str]:
    wanted = " ".join(fold(value).split())
    if not wanted:
        return []
    exact = [
        code
        for code, names in known.items()
        if wanted == fold(code) or any(wanted == " ".join(fold(n).split()) for n in names)
    ]
    if kind == "funding":
        exact += [c for c in funding_codes(value) if c in known and c not in exact]
    if exact:
        return exact
    return [
        code
        for code, names in known.items()
        if wanted in fold(code) or any(wanted in " ".join(fold(n).split()) for n in names)
    ]


def _unknown(known: Mapping[str, list[str]], kind: str, value: str) -> str:
    listed = "; ".join(
        f"{code} ({', '.join(names[:2])})" if names else code for code, names in known.items()
    )
    what = "funding source" if kind == "funding" else "responsible body"
    return (
        f"{KIND_OPTIONS[kind]} {value!r}: no {what} of that code or name in the dataset; "
        f"known: {listed or 'none'}"
    )
