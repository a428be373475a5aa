"""The КЫСКАРТУУЛАР list: one abbreviation and its meaning per line."""

from __future__ import annotations

from collections.abc import Sequence

from workbench.ingest.council.layout import _Para
from workbench.ingest.document import DocumentBuilder


def _abbreviations(paras: Sequence[_Para], b: DocumentBuilder) -> int:
    starts = [
        i
        for i, p in enumerate(paras)
        if p.folded in ("кыскартуулар", "кыскартылгандардын тизмеси", "сокращения")
    ]
    for start in starts:
        pending: list[str] = []
        count = 0
        for para in paras[start + 1 :]:
            text = para.text
            if len(text) > 200 or para.folded in ("кириш", "киришүү", "введение"):
                break
            first, _, rest = text.partition(" ")
            if _is_abbreviation(first):
                if rest.strip():
                    b.add_abbreviation(first, rest)
                    count += 1
                else:
                    pending.append(first)
                continue
            if pending:
                b.add_abbreviation(pending.pop(0), text)
                count += 1
                continue
            if count:
                break
        if count:
            return count
    return 0


def _is_abbreviation(word: str) -> bool:
    letters = [ch for ch in word if ch.isalpha()]
    upper = sum(ch.isupper() for ch in letters)
    return 2 <= len(letters) <= 10 and upper >= 2 and upper * 4 >= len(letters) * 3
