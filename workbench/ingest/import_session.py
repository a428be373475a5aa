"""The import view's work, without a screen: one document, the analyst's corrections, its reading.

An :class:`ImportSession` holds a document and its :class:`Hints` (city, period, family, column
roles). It reads the document as ``workbench ingest`` would, explains the reading as data (the
same :class:`Explanation` ``--explain`` prints), takes corrections, reads again, writes the
corrections as the mapping beside the document (``FILE.mapping.toml``, which the next
``workbench ingest FILE`` applies) and adds the plan to a dataset folder the way ``ingest`` does.
"""

from __future__ import annotations

import contextlib
import copy
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from workbench.dataset.input_files import DEFAULT_MAX_SIZE
from workbench.errors import DocumentError, ValidationError
from workbench.i18n import _
from workbench.ingest import merge, parse_source, read_source
from workbench.ingest.document import ParsedDocument
from workbench.ingest.explain import Explanation, explanation
from workbench.ingest.generic import MissingFact
from workbench.ingest.hints import FAMILY_CHOICES, Hints, gather, parse_period
from workbench.ingest.layout.tables import ROLES, VALUE_KIND_NAMES, Override

COUNTED = ("nodes", "indicators", "values", "activities", "grants", "funding")
# What a column can be made: a value kind (with a year), or a column role.
COLUMN_CHOICES = tuple(dict.fromkeys((*VALUE_KIND_NAMES, *ROLES)))  # ROLES repeats some


@dataclass(frozen=True, slots=True)
class PlanSummary:
    """The plan as read: what the top of the import view shows."""

    plan_id: str
    family: str
    confidence: float | None
    city: str
    country: str
    period: str
    language: str
    counts: dict[str, int] = field(default_factory=dict)
    given_by_hand: str = ""


class ImportSession:
    """One document being read, corrected and added. Not thread-safe: one reader at a time."""

    def __init__(
        self,
        path: str | Path,
        hints: Hints | None = None,
        *,
        max_size: int = DEFAULT_MAX_SIZE,
    ) -> None:
        self.path = str(path)
        # read_source refuses an empty, binary, endless or unreadable file in one line.
        self.source = read_source(self.path, max_size=max_size)
        self.hints = hints if hints is not None else gather(self.path)
        self.document: ParsedDocument | None = None
        self.explanation: Explanation | None = None
        self.error: str | None = None
        # What the analyst must give for the document to read (``city``, ``period``), or None.
        self.missing: str | None = None
        self.unsaved = False

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        city: str | None = None,
        period: str | None = None,
        family: str | None = None,
        max_size: int = DEFAULT_MAX_SIZE,
    ) -> ImportSession:
        """A session with the hints given and the mapping beside the document, if any."""
        name = str(path)
        hints = gather(name, city=city, period=period, family=family)
        return cls(name, hints, max_size=max_size)

    # -- reading ---------------------------------------------------------------------------

    def hints_now(self) -> Hints:
        """A copy of the corrections as they are, for a reading in another thread: what is
        corrected meanwhile waits for the next reading."""
        return copy.deepcopy(self.hints)

    def reread(self, hints: Hints | None = None) -> None:
        """Read the document again with ``hints`` (default: the current ones). Slow: call it
        off the UI thread, with :meth:`hints_now` taken on that thread."""
        hints = hints if hints is not None else self.hints_now()
        self.explanation = explanation(self.source, hints)
        try:
            self.document = parse_source(self.source, hints)
            self.error = self.missing = None
        except DocumentError as exc:
            self.document = None
            self.error = exc.message
            self.missing = exc.fact if isinstance(exc, MissingFact) else None

    def summary(self) -> PlanSummary | None:
        document = self.document
        if document is None:
            return None
        plan = document.tables["plans"].row(0, named=True)
        period = f"{plan['period_start']}-{plan['period_end']}"
        if plan["report_year"] is not None:
            period += f", report year {plan['report_year']}"
        return PlanSummary(
            plan_id=document.plan_id,
            family=document.family,
            confidence=document.confidence,
            city=str(plan["city"] or ""),
            country=str(plan["country"] or ""),
            period=period,
            language=str(plan["language"] or ""),
            counts={table: document.count(table) for table in COUNTED},
            given_by_hand=str(plan["given_by_hand"] or ""),
        )

    # -- corrections -----------------------------------------------------------------------

    def set_column(self, table: int, column: int, role: str, year: int | None = None) -> None:
        """Make column ``column`` (1-based) of table ``table`` a ``role`` (with ``year``)."""
        if role not in COLUMN_CHOICES:
            raise ValueError(
                _("unknown role {role} (one of {join})").format(
                    role=repr(role), join=", ".join(COLUMN_CHOICES)
                )
            )
        if year is not None and not 1900 <= year <= 2100:
            raise ValueError(_("expected a year like 2010, got {year}").format(year=year))
        if table < 1 or column < 1:
            raise ValueError(_("tables and columns are numbered from 1"))
        self.hints.columns.setdefault(table, {})[column - 1] = Override(role, year)
        self.unsaved = True

    def clear_column(self, table: int, column: int) -> None:
        """Let the reader decide column ``column`` of table ``table`` again."""
        overrides = self.hints.columns.get(table, {})
        if overrides.pop(column - 1, None) is not None:
            if not overrides:
                del self.hints.columns[table]
            self.unsaved = True

    @staticmethod
    def check_city(text: str) -> str:
        """The city as given, trimmed; ValueError when it cannot be one."""
        city = text.strip()
        if not city:
            raise ValueError(_("expected the name of a city, district or region"))
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in city):
            raise ValueError(_("a city name is one line of text"))
        return city

    def set_city(self, text: str) -> None:
        self.hints.city = self.check_city(text)
        self.unsaved = True

    def set_period(self, text: str) -> None:
        self.hints.period = parse_period(text)
        self.unsaved = True

    def set_family(self, family: str | None) -> None:
        if family is not None and family not in FAMILY_CHOICES:
            raise ValueError(
                _("unknown family {family} (one of {join})").format(
                    family=repr(family), join=", ".join(FAMILY_CHOICES)
                )
            )
        self.hints.family = family
        self.unsaved = True

    # -- writing ---------------------------------------------------------------------------

    @property
    def mapping_path(self) -> Path:
        return Path(f"{self.path}.mapping.toml")

    def mapping_text(self) -> str:
        """The corrections as the TOML ``load_mapping`` reads."""
        data: dict[str, Any] = {}
        if self.hints.city:
            data["city"] = self.hints.city
        if self.hints.period:
            start, end = self.hints.period
            data["period"] = f"{start}-{end}"
        if self.hints.family:
            data["family"] = self.hints.family
        tables = []
        for table, overrides in sorted(self.hints.columns.items()):
            for index, override in sorted(overrides.items()):
                entry: dict[str, Any] = {"table": table, "column": index + 1}
                entry["role"] = override.role
                if override.year is not None:
                    entry["year"] = override.year
                tables.append(entry)
        if tables:
            data["tables"] = tables
        return tomli_w.dumps(data)

    def save_mapping(self) -> Path:
        """Write the corrections beside the document, atomically; the path written."""
        target = self.mapping_path
        try:
            _write_atomic(target, self.mapping_text().encode("utf-8"))
        except OSError as exc:
            raise ValidationError(
                _("{target}: cannot write the mapping ({value})").format(
                    target=target, value=exc.strerror or exc
                )
            ) from None
        self.hints.mapping_path = str(target)
        self.unsaved = False
        return target

    def add_to(self, folder: str | Path) -> str:
        """Add the plan as read to the dataset folder (as ``workbench ingest`` does); its id."""
        if self.document is None:
            raise ValidationError(
                _("{path}: nothing to add: {value}").format(
                    path=self.path, value=self.error or "not read yet"
                )
            )
        try:
            merge.add_to_folder(folder, [self.document])
        except OSError as exc:
            raise ValidationError(
                _("cannot write the dataset to {folder}: {value}").format(
                    folder=folder, value=exc.strerror or exc
                )
            ) from None
        return self.document.plan_id


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
