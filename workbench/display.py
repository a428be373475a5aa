"""Text from a document made safe for a terminal, without importing the parsers (or Polars).

The screen imports this before its first frame; ``workbench.ingest.text.safe_display`` does the
same for the parsers, and a test keeps the two in step.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]"
)
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")


def safe_display(text: str | None) -> str:
    """Escape sequences and control characters removed; tabs become spaces."""
    if not text:
        return ""
    text = _ANSI.sub("", text)
    return _CONTROL.sub("", text.replace("\t", " "))
