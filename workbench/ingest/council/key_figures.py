"""The small table of key figures after the monitoring matrix (``2021 (факт) 2022 (прогноз)``)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from workbench.dataset.text import clean, fold
from workbench.i18n import _
from workbench.ingest.council.layout import _Para, _Row
from workbench.ingest.council.tokens import _Cell, _tokens
from workbench.ingest.document import DocumentBuilder, PlanMeta

# The key-figures table after the matrix has no printed title; the introduction calls these
# figures "экономикалык өнүгүүнүн негизги көрсөткүчтөрү".
KEY_FIGURES_TITLE = "Экономикалык өнүгүүнүн негизги көрсөткүчтөрү"

_BARE_YEAR = re.compile(r"^(19|20)\d\d$")
_YEAR_TAG = re.compile(r"^\(\s*(факт|прогноз|план|болжол|баалоо|оценка)\w*\s*\)$", re.IGNORECASE)
_INLINE_YEAR_TAG = re.compile(
    r"(20\d\d)\s*\(\s*(факт|прогноз|план|болжол|баалоо|оценка)\w*\s*\)", re.IGNORECASE
)

_FOOTNOTE_DEF = re.compile(r"(\*+)\s*[–—-]\s*([^*]+)")


def _year_header_at(paras: Sequence[_Para | _Row], index: int) -> bool:
    para = paras[index]
    text = para.text if isinstance(para, _Para) else para.text()
    if len(_INLINE_YEAR_TAG.findall(text)) >= 2:
        return True
    return (
        bool(_BARE_YEAR.match(text))
        and index + 1 < len(paras)
        and isinstance(following := paras[index + 1], _Para)
        and bool(_YEAR_TAG.match(following.text))
    )


def _key_figures(b: DocumentBuilder, meta: PlanMeta, paras: Sequence[_Para]) -> _Row | None:
    years: list[tuple[int, str]] = []
    index = 0
    while index < len(paras):
        text = paras[index].text
        inline = _INLINE_YEAR_TAG.findall(text)
        if len(inline) >= 2:
            years.extend((int(y), fold(tag)) for y, tag in inline)
            index += 1
        elif (
            _BARE_YEAR.match(text)
            and index + 1 < len(paras)
            and _YEAR_TAG.match(paras[index + 1].text)
        ):
            tag = _YEAR_TAG.match(paras[index + 1].text)
            assert tag is not None
            years.append((int(text), fold(tag.group(1))))
            index += 2
        else:
            break
    footnotes: dict[str, str] = {}
    figures: list[tuple[str, list[_Cell], int]] = []
    last: _Row | None = None
    node_parent: str | None = None
    for para in paras[index:]:
        row = _Row([para])
        last = row
        if para.text.startswith("*"):
            for stars, meaning in _FOOTNOTE_DEF.findall(para.text):
                footnotes[stars] = clean(meaning).rstrip(".")
            continue
        text, tokens = _tokens(row)
        numbers = 0
        while numbers < len(tokens) and tokens[len(tokens) - 1 - numbers].number:
            numbers += 1
        if numbers == 0:
            continue
        label_tokens = tokens[: len(tokens) - numbers]
        if not label_tokens:
            b.warn(para.line, _("a key-figures row without a name; skipped"))
            continue
        label = text[: label_tokens[-1].end]
        cells = [_Cell(t.raw, t.value, t.line) for t in tokens[len(tokens) - numbers :]]
        if len(cells) != len(years):
            b.warn(
                para.line,
                _("key-figures row has {len} values for {len2} year columns; skipped").format(
                    len=len(cells), len2=len(years)
                ),
            )
            continue
        figures.append((label, cells, para.line))
    for label, cells, line in figures:
        if node_parent is None:
            node_parent = b.add_node("section", KEY_FIGURES_TITLE, line=line)
        unit = _key_unit(label, cells, footnotes)
        node = b.add_node("indicator", clean(label), parent=node_parent, line=line)
        b.add_indicator(node, unit=unit)
        for (year, year_tag), cell in zip(years, cells, strict=True):
            kind = _key_kind(year, year_tag, meta)
            b.add_value(node, year=year, kind=kind, raw=cell.raw, value=cell.value, line=cell.line)
    return last


def _key_kind(year: int, tag: str, meta: PlanMeta) -> str:
    if tag.startswith("факт"):
        return "fact"
    if year < meta.period_start:
        return "estimate"
    return "plan"


def _key_unit(label: str, cells: list[_Cell], footnotes: dict[str, str]) -> str | None:
    if all("%" in c.raw for c in cells):
        return next((m for m in footnotes.values() if "%" in m), "%")
    match = re.search(r",\s*([^\s,]+)\s*$", label)
    if match:
        return match.group(1)
    plain = [m for m in footnotes.values() if "%" not in m]
    return plain[0] if len(plain) == 1 else None
