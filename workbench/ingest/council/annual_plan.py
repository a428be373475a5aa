"""The annual implementation plan that follows the programme's own action plan."""

from __future__ import annotations

import re

from workbench.i18n import _
from workbench.ingest.council.action_plan import _PlanContext
from workbench.ingest.council.layout import _LETTER_AFTER, _Row
from workbench.ingest.council.meta import _PERIOD
from workbench.ingest.document import DocumentBuilder, PlanMeta


def _annual_year(title: str, meta: PlanMeta) -> int | None:
    if _PERIOD.search(title):
        return None
    match = re.search(r"(20\d\d)\s*-\s*жыл(?:га|ы|дын)" + _LETTER_AFTER, title, re.IGNORECASE)
    return int(match.group(1)) if match else None


def _check_annual_end(
    builder: DocumentBuilder, ctx: _PlanContext, main_sections: list[str], last_row: _Row
) -> None:
    """An annual plan that stops before the programme's last section was likely cut off."""
    if not main_sections or not ctx.sections:
        return

    def key(code: str) -> tuple[int, int]:
        major, _, minor = code.partition(".")
        return int(major), int(minor or 0)

    last_main = max(main_sections, key=key)
    last_annual = max(ctx.sections, key=key)
    if key(last_annual) < key(last_main):
        builder.warn(
            last_row.last_line,
            _(
                "the annual plan stops at section {last_annual} (line {last_line}) while the "
                "programme goes on to {last_main}: the document may be cut off"
            ).format(last_annual=last_annual, last_line=last_row.last_line, last_main=last_main),
        )
