"""Reading documents: one module per document family, detection, and the shared helpers.

Each family module has ``FAMILY`` (its name), ``detect(lines, need=0.0) -> float`` (0 when the
text is not of that family, up to 1 when it surely is; from the layout and content, never the
file name; a family may return less than its score at once when it cannot reach ``need``) and
``parse(source) -> ParsedDocument``. A document no family fits (no ``detect`` reaches
``DETECTION_THRESHOLD``) is read by :mod:`workbench.ingest.generic` with what its tables hold;
only a document with nothing readable is refused.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import math
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import cast

from workbench.dataset.contract import SCHEMAS
from workbench.dataset.input_files import DEFAULT_MAX_SIZE, escape_name, read_regular_file
from workbench.dataset.text import normalize_joined, normalize_text, plain_folded
from workbench.errors import DocumentError
from workbench.i18n import _
from workbench.ingest import generic
from workbench.ingest.document import ParsedDocument, Source, Warning_
from workbench.ingest.hints import Hints, apply_to_family
from workbench.ingest.layout.joined import remember
from workbench.ingest.sources.blocks import Blocks, Origin
from workbench.ingest.sources.forms import binary_form, read_binary, read_text_form, text_form
from workbench.ingest.sources.render import STYLES, render
from workbench.ingest.text import decode_bytes

# A document must look at least this much like a family to be read as one.
DETECTION_THRESHOLD = 0.5


FAMILY_MODULES = ("report", "devplan", "mayoralty", "grants", "council")


def families() -> list[ModuleType]:
    """The family modules, in a fixed order."""
    return [importlib.import_module(f"workbench.ingest.{name}") for name in FAMILY_MODULES]


def read_source(path: str | Path, *, max_size: int = DEFAULT_MAX_SIZE) -> Source:
    """Read a document file in any form; DocumentError when it cannot be read.

    Only a regular file of at most ``max_size`` bytes is read; its name is kept escaped (a name
    holding terminal escape sequences is shown and stored with them as ``\\x1b``).
    """
    data = read_regular_file(path, max_size=max_size)
    return source_from_bytes(data, escape_name(str(path)))


def source_from_bytes(data: bytes, path: str) -> Source:
    """A document's bytes read in the form they are in (told from the bytes, not the name)."""
    sha256 = hashlib.sha256(data).hexdigest()
    form = binary_form(data, path)
    if form is not None:
        return source_from_blocks(read_binary(form, data, path=path, sha256=sha256))
    text = decode_bytes(data, path)
    normal = normalize_text(text)
    lines = tuple(normal.split("\n"))  # read_lines(text)
    form = text_form(text, lines)
    if form == "text":
        remember(lines, normal)  # the lines' text, for every family's detect
        return Source(path=path, text=normal, sha256=sha256, lines=lines)
    return source_from_blocks(read_text_form(form, text, lines, path=path, sha256=sha256))


def source_from_blocks(blocks: Blocks) -> Source:
    """Blocks written as the text export the family parsers read, in the table layout (Word's
    tab-indented cells, tab-separated rows or space-joined cells) a family most clearly fits.

    Word's own layout is taken when a family fits it (scores at least the threshold), else the
    first of the others a family fits; when none fits any, the layout a family fits best (the
    first of equal scores). A family is first asked only whether it reaches the threshold,
    which it answers at a glance when it cannot.
    """
    laid_out: list[tuple[tuple[str, ...], str, list[Origin | None]]] = []
    chosen: tuple[float, ModuleType, tuple[str, ...], str, list[Origin | None]] | None = None
    for style in STYLES:
        rendered = render(blocks, style)
        lines = tuple(rendered.lines)
        text = "\n".join(lines)
        # A text of plain characters (nearly every document) is normalized already, and is
        # folded for detection at once; any other is normalized first.
        plain = plain_folded(text) if text.count("\n") == len(lines) - 1 else None
        if plain is None:
            normal, text = normalize_joined(lines)
            lines = tuple(normal)
        remember(lines, text, plain)
        laid_out.append((lines, text, rendered.origins))
        found = _family_reaching(lines, DETECTION_THRESHOLD)
        if found is not None:
            chosen = (*found, lines, text, rendered.origins)
            break
    else:
        for lines, text, origins in laid_out:
            # a later layout is taken only where a family fits it better
            need = 0.0 if chosen is None else math.nextafter(chosen[0], 2.0)
            found = _family_reaching(lines, need)
            if found is not None:
                chosen = (*found, lines, text, origins)
    assert chosen is not None
    score, module, lines, text, origins = chosen
    if not text or text.isspace():  # no line holds anything but spaces
        raise DocumentError(
            blocks.path,
            _("read as {value}, but it holds no text").format(value=_FORM_NAMES[blocks.form]),
        )
    return Source(
        path=blocks.path,
        text=text,
        sha256=blocks.sha256,
        lines=lines,
        form=blocks.form,
        origins=tuple(origins),
        blocks=blocks,
        # Kept below the threshold too: a document no family fits is then not detected again.
        family=module.FAMILY,
        family_score=score,
    )


_FORM_NAMES = {
    "html": "an HTML page",
    "web-text": "web-page text",
    "docx": "a Word .docx file",
    "xlsx": "an .xlsx workbook",
    "text": "a text export",
}


def score_families(source: Source) -> tuple[float, ModuleType]:
    """The family whose layout the document follows best, and how well (0..1)."""
    if source.family is not None:  # scored when the blocks were laid out
        module = next(module for module in families() if source.family == module.FAMILY)
        score = source.family_score
        return (module.detect(source.lines) if score is None else score), module
    return _best_family(source.lines)


def _best_family(lines: Sequence[str]) -> tuple[float, ModuleType]:
    """The highest-scoring family of :func:`families`, the first of equal scores."""
    # Asked first only whether one reaches the threshold, which a family that cannot answers
    # at a glance; the best below it is looked for only when none does.
    found = _family_reaching(lines, DETECTION_THRESHOLD) or _family_reaching(lines, 0.0)
    assert found is not None  # every score reaches 0
    return found


# The families are scored cheapest first: once one scores high, a costlier one is scored only
# as far as it could still win (``need``), which it seldom can.
_SCORING_ORDER = ("mayoralty", "grants", "council", "report", "devplan")


def _family_reaching(lines: Sequence[str], need: float) -> tuple[float, ModuleType] | None:
    """The highest-scoring family of :func:`families` (the first of equal scores) when its score
    is at least ``need``, else None."""
    modules = families()
    best_score, best_at = need, len(modules)  # a family that only reaches ``need`` beats this
    for name in _SCORING_ORDER:
        at = FAMILY_MODULES.index(name)
        # a family before the best wins a tie, one after it must score higher
        wanted = best_score if at < best_at else math.nextafter(best_score, 2.0)
        if wanted > 1.0:
            continue  # no score is higher than 1
        score = modules[at].detect(lines, wanted)
        if score > best_score or (score == best_score and at < best_at):
            best_score, best_at = score, at
    if best_at == len(modules):
        return None
    return best_score, modules[best_at]


def detect_family(source: Source) -> ModuleType:
    """The family whose layout the document follows; DocumentError when none does."""
    best_score, best = score_families(source)
    if best_score < DETECTION_THRESHOLD:
        raise DocumentError(
            source.path,
            _(
                "not a plan document of a known family (expected a monitoring report, a "
                "development plan, a mayoralty or council programme, or a grant list)"
            ),
        )
    return best


# -- generic reading and the analyst's hints (--city, --period, --family, --mapping) ----------
# Families come first; a document none of them fits is read as a generic plan.
_FAMILIES_OF_KIND = {
    "report": ("report",),
    "plan": ("devplan",),
    "programme": ("mayoralty", "council"),
    "grants": ("grants",),
}


def parse_source(source: Source, hints: Hints | None = None) -> ParsedDocument:
    hints = hints or Hints()
    if hints.family != "generic":
        best_score, best = score_families(source)
        wanted = _FAMILIES_OF_KIND.get(hints.family or "", ())
        module = best.__name__.rsplit(".", 1)[-1]
        if best_score >= DETECTION_THRESHOLD and (hints.family is None or module in wanted):
            document = _parse_family(best, source)
            document.confidence = round(best_score, 2)
            return apply_to_family(document, hints)
    return generic.parse(source, hints)


def _parse_family(family: ModuleType, source: Source) -> ParsedDocument:
    try:
        document: ParsedDocument = family.parse(source)
    except DocumentError as exc:
        if not source.origins or exc.line is None:
            raise
        line, message = _place(source, exc.line, exc.message)
        raise DocumentError(exc.path, message, line) from None
    if source.origins:
        _map_places(document)
    return document


def _place(source: Source, line: int | None, message: str) -> tuple[int | None, str]:
    """A rendered line's place in the document itself: its line there, or its table cell."""
    origin = (
        source.origins[line - 1] if line is not None and 0 < line <= len(source.origins) else None
    )
    if origin is None:
        return None, message
    if not origin.in_document():
        return origin.line, message
    return origin.line, f"{dataclasses.replace(origin, line=None).describe()}: {message}"


def _map_places(document: ParsedDocument) -> None:
    """Warnings and ``source_line`` columns of a structured form point into the document itself."""
    source = document.source
    document.warnings = [
        Warning_(*_place(source, warning.line, warning.message)) for warning in document.warnings
    ]
    origins = source.origins
    count = len(origins)
    for table, at in _SOURCE_LINE.items():
        rows = document.rows[table]
        if rows:
            # rendered line n is origins[n - 1]; the document's own line is None where it has none
            mapped = [
                (
                    *row[:at],
                    origin.line
                    if number is not None
                    and 0 < number <= count
                    and (origin := origins[number - 1]) is not None
                    else None,
                    *row[at + 1 :],
                )
                for row in rows
                for number in (cast("int | None", row[at]),)
            ]
            document.set_rows(table, mapped)


# The column of each table that holds a line of the document.
_SOURCE_LINE = {
    table: schema.names().index("source_line")
    for table, schema in SCHEMAS.items()
    if "source_line" in schema
}


def parse_file(
    path: str | Path, hints: Hints | None = None, *, max_size: int = DEFAULT_MAX_SIZE
) -> ParsedDocument:
    return parse_source(read_source(path, max_size=max_size), hints)


def parse_files(
    paths: Sequence[str | Path], *, max_size: int = DEFAULT_MAX_SIZE
) -> list[ParsedDocument]:
    return [parse_file(path, max_size=max_size) for path in paths]
