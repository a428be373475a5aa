"""Document family: not yet readable (being written)."""

from __future__ import annotations

from collections.abc import Sequence

from workbench.errors import DocumentError
from workbench.ingest.document import ParsedDocument, Source

FAMILY = "report"


def detect(lines: Sequence[str]) -> float:
    return 0.0


def parse(source: Source) -> ParsedDocument:
    raise DocumentError(source.path, "this document family cannot be read yet")
