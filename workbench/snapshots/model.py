"""What a snapshot is: its parts' schemas, the header, the :class:`Snapshot` value and its name.

A snapshot is the state of the monitoring frozen under a name: for every plan of the dataset,
every indicator value (plan, fact, … per year) with its status and whether the fact came from
the document or was entered; the entered facts; the annotations with their history; the
roll-ups; and a header with its name, time, author, the status thresholds and a hash of the
dataset's sources; the polarities the analyst set (format 2). It is stored in the workspace as
typed frames and never changes.

Public API::

    Snapshot(header, parts)           .name; .only_plans(plan_ids) -> Snapshot
    check_name(name)                  -> the cleaned name (ValidationError when not usable)
    conform(frame, schema)            -> frame with exactly the schema's columns and types
    SnapshotFileError                 a file is not a snapshot, is damaged or is newer
    FORMAT, FORMAT_VERSION, HEADER_KEYS
    PLAN_SCHEMA, INDICATOR_SCHEMA, VALUE_SCHEMA, SNAPSHOT_ANNOTATION_SCHEMA, ROLLUP_SCHEMA,
    POLARITY_SCHEMA
    PARTS (part -> schema), REQUIRED (part -> columns never null), YEAR_COLUMNS
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

import polars as pl

from workbench.errors import ValidationError, WorkbenchError
from workbench.i18n import _
from workbench.workspace.annotation_store import HISTORY_SCHEMA
from workbench.workspace.fact_store import FACT_SCHEMA
from workbench.workspace.polarity_store import POLARITY_SCHEMA

FORMAT: Final = "plan-workbench-snapshot"
# 2: the polarities the analyst set ([[polarities]], an indicator's polarity_source); a file of
# format 1 (without them) reads as before.
FORMAT_VERSION: Final = 2
_MAX_NAME: Final = 120


class SnapshotFileError(WorkbenchError):
    """A file to import is not a snapshot, is damaged, or is from a newer format."""


PLAN_SCHEMA = pl.Schema(
    {
        "plan_id": pl.String,
        "city": pl.String,
        "city_native": pl.String,
        "country": pl.String,
        "kind": pl.String,
        "title": pl.String,
        "period_start": pl.Int32,
        "period_end": pl.Int32,
        "report_year": pl.Int32,
        "currency": pl.String,
        "source_file": pl.String,
        "source_sha256": pl.String,
    }
)
INDICATOR_SCHEMA = pl.Schema(
    {
        "plan_id": pl.String,
        "node_id": pl.String,
        "kind": pl.String,
        "code": pl.String,
        "title": pl.String,
        "unit": pl.String,
        "polarity": pl.String,  # the one its statuses use
        "polarity_source": pl.String,  # "analyst" where the analyst set it; else null (document)
        # "no_data" for an indicator without a year row; else null (its years have statuses).
        "status": pl.String,
    }
)
VALUE_SCHEMA = pl.Schema(
    {
        "plan_id": pl.String,
        "node_id": pl.String,
        "year": pl.Int32,
        "baseline": pl.Float64,
        "plan": pl.Float64,
        "fact": pl.Float64,
        "estimate": pl.Float64,
        "target": pl.Float64,
        "document_fact": pl.Float64,  # the document's fact, when an entered fact replaced it
        "fact_source": pl.String,  # document | entered | null
        "achievement": pl.Float64,
        "status": pl.String,
        "reported_status": pl.String,
        "claim_mismatch": pl.Boolean,
    }
)
SNAPSHOT_ANNOTATION_SCHEMA = pl.Schema(
    {
        "uid": pl.String,
        "plan_id": pl.String,
        "node_id": pl.String,
        "year": pl.Int32,
        "node_kind": pl.String,
        "node_code": pl.String,
        "node_title": pl.String,
        "text": pl.String,
        "category": pl.String,
        "state": pl.String,
        "author": pl.String,
        "created_at": pl.String,
        "updated_by": pl.String,
        "updated_at": pl.String,
        "version": pl.Int32,
    }
)
ROLLUP_SCHEMA = pl.Schema(
    {
        "level": pl.String,
        "city": pl.String,
        "plan_id": pl.String,
        "node_id": pl.String,
        "kind": pl.String,
        "code": pl.String,
        "title": pl.String,
        "met": pl.Int32,
        "at_risk": pl.Int32,
        "off_track": pl.Int32,
        "no_data": pl.Int32,
        "claim_mismatch": pl.Int32,
        "total": pl.Int32,
        "share_met": pl.Float64,
    }
)
PARTS: Final[dict[str, pl.Schema]] = {
    "plans": PLAN_SCHEMA,
    "indicators": INDICATOR_SCHEMA,
    "values": VALUE_SCHEMA,
    "facts": FACT_SCHEMA,
    "polarities": POLARITY_SCHEMA,
    "annotations": SNAPSHOT_ANNOTATION_SCHEMA,
    "history": HISTORY_SCHEMA,
    "rollup": ROLLUP_SCHEMA,
}
# Columns that may not be null, per part (checked on import).
REQUIRED: Final[dict[str, tuple[str, ...]]] = {
    "plans": ("plan_id", "city", "title", "period_start", "period_end", "source_sha256"),
    "indicators": ("plan_id", "node_id"),
    "values": ("plan_id", "node_id", "year", "status", "claim_mismatch"),
    "facts": tuple(FACT_SCHEMA),
    "polarities": tuple(POLARITY_SCHEMA),
    "annotations": (
        "uid",
        "plan_id",
        "node_id",
        "text",
        "state",
        "author",
        "created_at",
        "updated_by",
        "updated_at",
        "version",
    ),
    "history": ("uid", "version", "text", "state", "author", "at"),
    "rollup": ("level",),
}
HEADER_KEYS: Final = (
    "format",
    "format_version",
    "name",
    "created_at",
    "author",
    "met",
    "amber",
    "dataset_sha256",
)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A snapshot's header and its parts as frames (schemas :data:`PARTS`)."""

    header: dict[str, Any]
    parts: dict[str, pl.DataFrame]

    @property
    def name(self) -> str:
        return str(self.header["name"])

    def only_plans(self, plan_ids: Iterable[str]) -> Snapshot:
        """The same snapshot with only these plans: their values, indicators, entered facts,
        annotations (with their history) and roll-up rows. A city's roll-up rows stay only
        when every plan of that city is kept (else their counts would be of other plans); the
        polarities set on their indicators."""
        keep = pl.Series(sorted(set(plan_ids)), dtype=pl.String).implode()
        parts = self.parts
        mine = pl.col("plan_id").is_in(keep)
        plans = parts["plans"].filter(mine)
        whole_cities = (
            parts["plans"]
            .group_by("city")
            .agg(whole=pl.col("plan_id").is_in(keep).all())
            .filter("whole")
            .get_column("city")
            .implode()
        )
        rollup = parts["rollup"].filter(
            pl.when(pl.col("level") == "city")
            .then(pl.col("city").is_in(whole_cities))
            .otherwise(mine)
            .fill_null(False)
        )
        annotations = parts["annotations"].filter(mine)
        history = parts["history"].filter(
            pl.col("uid").is_in(annotations.get_column("uid").implode())
        )
        kept = {
            **parts,
            "plans": plans,
            "indicators": parts["indicators"].filter(mine),
            "values": parts["values"].filter(mine),
            "facts": parts["facts"].filter(mine),
            "polarities": parts["polarities"].filter(mine),
            "annotations": annotations,
            "history": history,
            "rollup": rollup,
        }
        return Snapshot(self.header, kept)


def check_name(name: str) -> str:
    """A snapshot name: not empty, no ``/`` or ``\\``, no ``..``, no control characters."""
    if not isinstance(name, str) or not name.strip():
        raise ValidationError(_("a snapshot needs a name"))
    cleaned = name.strip()
    if "/" in cleaned or "\\" in cleaned:
        raise ValidationError(
            _("snapshot name {name} may not contain '/' or '\\'").format(name=repr(name))
        )
    if ".." in cleaned:
        raise ValidationError(
            _("snapshot name {name} may not contain '..'").format(name=repr(name))
        )
    if any(ord(c) < 32 or ord(c) == 127 for c in cleaned):
        raise ValidationError(
            _("snapshot name {name} may not contain control characters").format(name=repr(name))
        )
    if len(cleaned) > _MAX_NAME:
        raise ValidationError(
            _("snapshot name is longer than {max_name} characters").format(max_name=_MAX_NAME)
        )
    return cleaned


def conform(frame: pl.DataFrame, schema: pl.Schema) -> pl.DataFrame:
    """Exactly the schema's columns and types; missing columns become null."""
    return frame.select(
        [_column_as(frame.schema.get(name), name, dtype) for name, dtype in schema.items()]
    )


def _column_as(source: pl.DataType | None, name: str, dtype: pl.DataType) -> pl.Expr:
    """Column ``name`` (of type ``source``; None: missing, so null) as ``dtype``. An enum goes
    through its text: looked up by its code among its few categories (a cast to text makes
    each row's text anew, several times slower over millions of statuses)."""
    if source is None:
        return pl.lit(None).cast(dtype).alias(name)
    if isinstance(source, pl.Enum):
        text = pl.lit(source.categories).gather(pl.col(name).to_physical())
        return text.cast(dtype).alias(name)
    return pl.col(name).cast(dtype).alias(name)


# The keys of a year in a TOML file, in the order the workbench writes them.
YEAR_COLUMNS: Final = {
    name: dtype for name, dtype in VALUE_SCHEMA.items() if name not in ("plan_id", "node_id")
}
