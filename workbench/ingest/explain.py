"""``workbench ingest --explain FILE``: how each table of a document was understood.

For every table: what kind it is (indicators, measures, not read), its header rows, each
column's role (and for a value its year and kind, marked when set by hand), its years, and the
rows read and skipped with the reason and place of each skip. Then where the plan's city, period,
language and approving act came from. Nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from workbench.errors import DocumentError
from workbench.i18n import _, ngettext
from workbench.ingest import DETECTION_THRESHOLD, score_families
from workbench.ingest.document import Source, Warning_
from workbench.ingest.generic import (
    SKIP_REASONS,
    UNREAD_TABLE,
    Reading,
    TableReading,
    document_blocks,
    read,
)
from workbench.ingest.hints import Hints
from workbench.ingest.layout.tables import analyse_table, classify_row

_SHOWN_SKIPS = 12


@dataclass(slots=True)
class Explanation:
    """How a document was understood, as data: the text of ``--explain`` and the import view
    are both made from it."""

    path: str
    family: str | None  # the family that reads it, None for the generic reader
    confidence: float
    form: str
    tables: list[TableReading] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)
    warnings: list[Warning_] = field(default_factory=list)
    error: str | None = None  # why the document cannot be read as a plan
    mapping_path: str | None = None


def explanation(source: Source, hints: Hints) -> Explanation:
    """How each table of ``source`` is understood with ``hints``."""
    score, family = score_families(source)
    by_family = hints.family != "generic" and score >= DETECTION_THRESHOLD
    result = Explanation(
        path=str(source.path),
        family=family.FAMILY if by_family else None,
        confidence=score if by_family else 0.0,
        form="",
        mapping_path=hints.mapping_path,
    )
    try:
        document, reading = read(source, hints)
        result.warnings = list(document.warnings)
        if not by_family:
            result.confidence = reading.confidence
    except DocumentError as exc:
        result.error = exc.message
        reading = _tables_only(source, hints)
    result.form = reading.form
    result.tables = list(reading.tables)
    result.facts = list(reading.facts)
    return result


def explain(source: Source, hints: Hints) -> list[str]:
    """The explanation's lines."""
    return explanation_lines(explanation(source, hints))


def explanation_lines(result: Explanation) -> list[str]:
    lines: list[str] = []
    if result.family is not None:
        lines.append(
            _(
                "{path}: read by the {family} family (confidence {confidence}); its tables as "
                "the layout reader sees them:"
            ).format(path=result.path, family=result.family, confidence=f"{result.confidence:.2f}")
        )
    if result.error is not None:
        lines.append(f"{result.path}: {result.error}")
    elif result.family is None:
        lines.append(
            _("{path}: generic plan (confidence {confidence}), form {form}").format(
                path=result.path, confidence=f"{result.confidence:.2f}", form=result.form
            )
        )
    if result.mapping_path:
        lines.append("  " + _("mapping {path} applied").format(path=result.mapping_path))
    for table in result.tables:
        lines.extend(_table_lines(table))
    lines.extend(f"  {fact}" for fact in result.facts)
    return lines + [f"  {w.format(result.path)}" for w in result.warnings]


def _tables_only(source: Source, hints: Hints) -> Reading:
    """Each table's layout and row shapes, when the document cannot be read as a plan."""
    blocks = document_blocks(source)
    reading = Reading(form=blocks.form)
    previous = None
    for number, table in enumerate(blocks.tables(), start=1):
        layout = analyse_table(
            table, number, previous=previous, overrides=hints.columns.get(number)
        )
        previous = layout
        table_reading = TableReading(layout)
        for row in table.rows[layout.header_rows :]:
            shape = classify_row(layout, row)
            if shape.kind in SKIP_REASONS:
                table_reading.skipped.append((row.origin, SKIP_REASONS[shape.kind]))
            elif layout.kind == "unknown":
                table_reading.skipped.append((row.origin, UNREAD_TABLE))
            else:
                table_reading.read += 1
        reading.tables.append(table_reading)
    return reading


def _table_lines(table: TableReading) -> list[str]:
    layout = table.layout
    where = layout.table.origin.describe()
    kind = {"indicators": _("indicators"), "measures": _("measures")}.get(
        layout.kind, _("not read")
    )
    header = ngettext("{count} header row", "{count} header rows", layout.header_rows).format(
        count=layout.header_rows
    )
    out = [
        "  "
        + _("table {number} ({where}): {kind}, {header}").format(
            number=layout.number, where=where, kind=kind, header=header
        )
    ]
    out.extend(f"    {note}" for note in layout.notes)
    out.append("    " + _("columns:"))
    out.extend(f"      {column.describe()}" for column in layout.columns)
    years = layout.years()
    if years:
        out.append("    " + _("years: {years}").format(years=", ".join(str(y) for y in years)))
    out.append(
        "    "
        + _("rows: {read} read, {skipped} skipped").format(
            read=table.read, skipped=len(table.skipped)
        )
    )
    for origin, reason in table.skipped[:_SHOWN_SKIPS]:
        out.append(
            "      "
            + _("skipped {where}: {reason}").format(where=origin.describe(), reason=_(reason))
        )
    if len(table.skipped) > _SHOWN_SKIPS:
        out.append("      " + _("… {count} more").format(count=len(table.skipped) - _SHOWN_SKIPS))
    return out
