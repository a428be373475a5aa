"""Detection scores the costly families only as far as they could still win.

``detect(lines, need)`` may stop early once a family cannot reach ``need``: it then returns less
than ``need``, and otherwise exactly its full score. The registry scores the families cheapest
first and asks each only for what would beat the best so far, so the family it picks and that
family's score must be exactly those of scoring every family in full (the first of equal
scores). Checked on the samples in every form and table layout, on fragments of them, and on
documents made of pieces of their lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.forms_helpers import html_page
from workbench.dataset.text import normalize_lines, normalize_text
from workbench.ingest import (
    _best_family,
    devplan,
    families,
    read_source,
    report,
    source_from_blocks,
    source_from_bytes,
)
from workbench.ingest.sources.render import STYLES, render
from workbench.ingest.sources.text import read_text_export

SOURCES = Path(__file__).resolve().parent.parent / "data" / "sources"


def every_family_in_full(lines: Sequence[str]) -> tuple[float, str]:
    scores = [(module.detect(lines), module.FAMILY) for module in families()]
    best = max(score for score, _ in scores)
    return best, next(family for score, family in scores if score == best)


def _documents() -> list[tuple[str, tuple[str, ...]]]:
    out = []
    for path in sorted(SOURCES.glob("*.txt")):
        source = read_source(path)
        out.append((path.name, source.lines))
        blocks = read_text_export(source.lines, path=source.path, sha256=source.sha256)
        for style in STYLES:
            out.append(
                (f"{path.name} {style}", tuple(normalize_lines(render(blocks, style).lines)))
            )
    return out


DOCUMENTS = _documents()


@pytest.mark.parametrize(("name", "lines"), DOCUMENTS, ids=[name for name, _ in DOCUMENTS])
def test_the_family_and_its_score_are_those_of_scoring_every_family(
    name: str, lines: tuple[str, ...]
) -> None:
    score, module = _best_family(lines)
    assert (score, module.FAMILY) == every_family_in_full(lines), name
    for cut in (len(lines) // 3, len(lines) // 2):  # fragments: lower scores, other winners
        part = lines[:cut]
        score, module = _best_family(part)
        assert (score, module.FAMILY) == every_family_in_full(part), (name, cut)


@pytest.mark.parametrize(("name", "lines"), DOCUMENTS[::4], ids=[n for n, _ in DOCUMENTS[::4]])
def test_a_family_stopped_early_returns_less_than_it_needs(
    name: str, lines: tuple[str, ...]
) -> None:
    for module in (report, devplan):
        full = module.detect(lines)
        for need in (0.0, 0.2, 0.5, full, 0.9, 1.0):
            score = module.detect(lines, need)
            if full >= need:
                assert score == full, (name, module.FAMILY, need)
            else:
                assert score < need, (name, module.FAMILY, need)


def test_a_structured_document_keeps_the_family_and_score_of_its_lines() -> None:
    for path in sorted(SOURCES.glob("*.txt")):
        source = read_source(path)
        blocks = read_text_export(source.lines, path=source.path, sha256=source.sha256)
        html = source_from_bytes(html_page(blocks).encode("utf-8"), path.name + ".html")
        rendered = source_from_blocks(blocks)
        for structured in (html, rendered):
            assert structured.family_score == every_family_in_full(structured.lines)[0]
            assert structured.family == every_family_in_full(structured.lines)[1]


_PIECES = sorted(
    {
        piece
        for _, lines in DOCUMENTS[:: len(STYLES) + 1]
        for line in lines[:400]
        for piece in (line, line[:40], line.upper())
        if len(line) <= 300
    }
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_PIECES) | st.text(max_size=10), max_size=40))
def test_documents_of_pieces_of_lines_score_as_every_family_in_full(lines: list[str]) -> None:
    score, module = _best_family(lines)
    assert (score, module.FAMILY) == every_family_in_full(lines)


def test_a_list_of_lines_changed_between_two_scorings_is_scored_again() -> None:
    lines = ["Кіріспе"]
    assert report.detect(lines) == 0.0
    lines.append("1. Мақсатқа қол жеткізу")
    assert report.detect(lines) == pytest.approx(0.25)


def _normalized_the_long_way(text: str) -> str:
    import re

    from workbench.dataset.text import _ANSI, _CONTROL

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub("[\u00a0\u202f\u2007]", " ", text)
    return _CONTROL.sub("", _ANSI.sub("", text))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["а", "Ә", " ", "\t", "\n", "\r", "\u00a0", "\u202f", "\x1b[1m", "\x00"])
        | st.text(max_size=3),
        max_size=12,
    ).map("".join)
)
def test_text_with_nothing_to_normalize_is_kept_and_other_text_normalized(text: str) -> None:
    assert normalize_text(text) == _normalized_the_long_way(text)
