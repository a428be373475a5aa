"""Snapshots: the state of the monitoring frozen under a name, exported to TOML and CSV.

A snapshot holds, for every plan of the dataset, every indicator value (plan, fact, … per year)
with its status and whether the fact came from the document or was entered; the entered facts;
the annotations with their history; and the roll-ups — with its name, time, author, the status
thresholds and the dataset's source hashes. It is stored in the workspace as a set of typed
frames (Parquet) and never changes; exports are made from it.

Calls (each raises a one-line :class:`~workbench.errors.WorkbenchError` on bad input)::

    create(ws, tables, name, thresholds=Thresholds())   -> SnapshotInfo
    export(ws, name, "toml" | "csv", path, force=False) -> list[Path] written
    import_file(ws, path, name=None)                    -> ImportResult
    read_file(path) -> Snapshot (checks only); import_snapshot(ws, snap, source=...)
    diff(ws, a, b)                                      -> SnapshotDiff (.frame, .lines())

TOML (format ``plan-workbench-snapshot``, :data:`FORMAT_VERSION`): the header keys ``format``,
``format_version``, ``name``, ``created_at``, ``author``, ``met``, ``amber``, ``dataset_sha256``;
then ``[[annotations]]`` (each with ``history = [...]``), ``[[facts]]``, ``[[rollup]]`` and
``[[plans]]``, each plan with ``[[plans.indicators]]`` and their ``years``: an array with one
inline table per year, one per line (``{ year = 2017, plan = 5.0, fact = 5.5, … }``). TOML has no
null: a key that is absent is null (``claim_mismatch`` absent is false); an empty list is absent.
Reading it back with ``tomllib`` gives the same content, and importing then exporting gives the
same file. The header, annotations and facts are written by tomli-w; each plan's own keys, the
roll-up, the indicators and their years (millions of values) by Polars string expressions, as
tomli-w would write them — see the comment at "TOML" below for why and how.

CSV: ``PATH`` holds one row per indicator and year (:data:`CSV_VALUE_COLUMNS`: the values with
status, source of the fact and the latest annotation of that year, else of the node) and
``PATH``'s sibling ``<stem>.annotations.csv`` one row per annotation
(:data:`CSV_ANNOTATION_COLUMNS`).

Files are written to a temporary file beside the target and then linked or renamed into place:
never half-written, and an existing file is refused unless ``force``.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import io
import itertools
import math
import os
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final, cast

import polars as pl
import rtoml
import tomli_w

from workbench.dataset.hierarchy import INDICATOR_KINDS, run_starts, strictly_increasing
from workbench.dataset.hierarchy import runs as runs_of
from workbench.direct_file import DirectFile, open_direct
from workbench.errors import ValidationError, WorkbenchError
from workbench.snapshot_years import LiftedYears, lift_years
from workbench.workspace.annotation_store import HISTORY_SCHEMA
from workbench.workspace.edit_checks import STATES
from workbench.workspace.fact_store import FACT_SCHEMA
from workbench.workspace.snapshot_store import SnapshotInfo
from workbench.workspace.store import Workspace
from workbench.workspace.workspace_file import now

if TYPE_CHECKING:
    from workbench.analysis.status import Thresholds

FORMAT: Final = "plan-workbench-snapshot"
FORMAT_VERSION: Final = 1
_MAX_NAME: Final = 120


class SnapshotFileError(WorkbenchError):
    """A file to import is not a snapshot, is damaged, or is from a newer format."""


# --------------------------------------------------------------------------- part schemas

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
        "polarity": pl.String,
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
    "annotations": SNAPSHOT_ANNOTATION_SCHEMA,
    "history": HISTORY_SCHEMA,
    "rollup": ROLLUP_SCHEMA,
}
# Columns that may not be null, per part (checked on import).
_REQUIRED: Final[dict[str, tuple[str, ...]]] = {
    "plans": ("plan_id", "city", "title", "period_start", "period_end", "source_sha256"),
    "indicators": ("plan_id", "node_id"),
    "values": ("plan_id", "node_id", "year", "status", "claim_mismatch"),
    "facts": tuple(FACT_SCHEMA),
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

CSV_VALUE_COLUMNS: Final = (
    "plan_id",
    "city",
    "node_id",
    "code",
    "title",
    "unit",
    "year",
    "baseline",
    "plan",
    "fact",
    "estimate",
    "target",
    "document_fact",
    "fact_source",
    "achievement",
    "status",
    "reported_status",
    "claim_mismatch",
    "annotation_uid",
    "annotation_state",
    "annotation_category",
    "annotation_text",
    "annotation_author",
    "annotation_updated_at",
)
CSV_ANNOTATION_COLUMNS: Final = (
    "uid",
    "plan_id",
    "node_id",
    "node_kind",
    "node_code",
    "node_title",
    "year",
    "state",
    "category",
    "text",
    "author",
    "created_at",
    "updated_by",
    "updated_at",
    "version",
)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A snapshot's header and its parts as frames (schemas :data:`PARTS`)."""

    header: dict[str, Any]
    parts: dict[str, pl.DataFrame]

    @property
    def name(self) -> str:
        return str(self.header["name"])


@dataclass(frozen=True, slots=True)
class ImportResult:
    snapshot: str  # the name it is stored under
    stored: bool  # False: the same snapshot was already in the workspace
    annotations_added: int
    annotations_present: int
    facts_added: int
    facts_present: int

    def summary(self) -> str:
        stored = "stored" if self.stored else "already in the workspace"
        return (
            f"snapshot {self.snapshot!r} {stored}; annotations: {self.annotations_added} added, "
            f"{self.annotations_present} already present; facts: {self.facts_added} added, "
            f"{self.facts_present} already present"
        )


# --------------------------------------------------------------------------- names


def check_name(name: str) -> str:
    """A snapshot name: not empty, no ``/`` or ``\\``, no ``..``, no control characters."""
    if not isinstance(name, str) or not name.strip():
        raise ValidationError("a snapshot needs a name")
    cleaned = name.strip()
    if "/" in cleaned or "\\" in cleaned:
        raise ValidationError(f"snapshot name {name!r} may not contain '/' or '\\'")
    if ".." in cleaned:
        raise ValidationError(f"snapshot name {name!r} may not contain '..'")
    if any(ord(c) < 32 or ord(c) == 127 for c in cleaned):
        raise ValidationError(f"snapshot name {name!r} may not contain control characters")
    if len(cleaned) > _MAX_NAME:
        raise ValidationError(f"snapshot name is longer than {_MAX_NAME} characters")
    return cleaned


# --------------------------------------------------------------------------- create


def _cast(frame: pl.DataFrame, schema: pl.Schema) -> pl.DataFrame:
    """Exactly the schema's columns and types; missing columns become null."""
    return frame.select(
        [_column_as(frame.schema.get(name), name, dtype) for name, dtype in schema.items()]
    )


def _column_as(source: pl.DataType | None, name: str, dtype: pl.DataType) -> pl.Expr:
    """Column ``name`` (of type ``source``; None: missing, so null) as ``dtype``. An enum goes
    through its text: looked up by its code among its few categories (a cast to text makes
    each row's text anew, ~5x slower over millions of statuses)."""
    if source is None:
        return pl.lit(None).cast(dtype).alias(name)
    if isinstance(source, pl.Enum):
        text = pl.lit(source.categories).gather(pl.col(name).to_physical())
        return text.cast(dtype).alias(name)
    return pl.col(name).cast(dtype).alias(name)


def _finite(columns: list[str]) -> list[pl.Expr]:
    """Non-finite floats (inf, NaN) become null: TOML would keep them, statuses never need them."""
    return [pl.when(pl.col(c).is_finite()).then(pl.col(c)).alias(c) for c in columns]


def _finite_frame(frame: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    """``frame`` with :func:`_finite` applied to those of ``columns`` that hold a non-finite
    value: a float column of millions is checked, not copied, when it has none (as is usual)."""
    odd = frame.select((~pl.col(c).is_finite()).any() for c in columns).row(0)
    hit = [c for c, has in zip(columns, odd, strict=True) if has]
    return frame.with_columns(_finite(hit)) if hit else frame


def build(
    ws: Workspace,
    tables: Mapping[str, pl.DataFrame],
    name: str,
    *,
    thresholds: Thresholds | None = None,
    author: str | None = None,
    ready: Callable[[str, pl.DataFrame], object] | None = None,
) -> Snapshot:
    """The snapshot of the dataset and the workspace as they are now (not stored).

    ``ready(part, frame)`` is called with each part as soon as it is final (:func:`create`
    starts encoding it then, while the rest is made)."""
    from workbench.analysis import status
    from workbench.dataset import hierarchy

    limits = thresholds or status.Thresholds()
    with ws.reading():  # one consistent read of the analyst's work, even with other writers
        facts = ws.facts_detail_frame()
        annotations = ws.annotations_frame()
        history = ws.history_frame()
    parts: dict[str, pl.DataFrame] = {}

    def done(part: str, frame: pl.DataFrame) -> None:
        parts[part] = _cast(frame, PARTS[part])
        if ready is not None:
            ready(part, parts[part])

    # Work in other threads meanwhile (Polars releases the GIL), so that both cores of a small
    # machine are busy: the tree's order (the dataset's alone) while the statuses are made, and
    # the roll-ups while the values and indicators parts are made from the statuses.
    with ThreadPoolExecutor(max_workers=2) as pool:
        items = pool.submit(hierarchy.ordered_items, tables)
        statuses = status.indicator_statuses(
            tables, thresholds=limits, facts=facts.select("plan_id", "node_id", "year", "value")
        )
        roll = pool.submit(lambda: status.rollup(tables, statuses, items=items.result()))

        plans = _cast(tables["plans"], PLAN_SCHEMA).sort("plan_id")
        plan_ids = plans.select("plan_id")
        values = _cast(statuses, VALUE_SCHEMA)
        # The plans of the values, from the first row of each run of one plan: every plan
        # begins one at least, and in key order (as indicator_statuses gives the values) a plan
        # is one run: a thousand ids looked up, where a unique() hashed millions.
        known = plan_ids.to_series().implode()
        if (
            not values.filter(run_starts("plan_id"))
            .select(pl.col("plan_id").is_in(known).all())
            .item()
        ):
            values = values.join(plan_ids, on="plan_id", how="semi", maintain_order="left")
        values = _finite_frame(
            values.with_columns(claim_mismatch=pl.col("claim_mismatch").fill_null(False)),
            ["baseline", "plan", "fact", "estimate", "target", "achievement"],
        )
        values = values.with_columns(document_fact=_document_facts(tables["values"], values))
        done("values", values)
        done("plans", plans)
        done("facts", facts.sort("plan_id", "node_id", "year"))
        nodes = tables["nodes"].select(
            pl.col("plan_id").cast(pl.String),
            pl.col("node_id").cast(pl.String),
            pl.col("kind").cast(pl.String),
            pl.col("code").cast(pl.String),
            pl.col("title").cast(pl.String),
        )
        info = tables["indicators"].select(
            pl.col("plan_id").cast(pl.String),
            pl.col("node_id").cast(pl.String),
            pl.col("unit").cast(pl.String),
            pl.col("polarity").cast(pl.String),
        )
        firsts = values.select("plan_id", "node_id").filter(run_starts("plan_id", "node_id"))
        done("indicators", _indicator_part(firsts, nodes, info))
        annotated = nodes.filter(
            pl.col("plan_id").is_in(annotations.get_column("plan_id").unique().implode())
        )
        annotations = (
            annotations.join(
                annotated.rename({"kind": "node_kind", "code": "node_code", "title": "node_title"}),
                on=["plan_id", "node_id"],
                how="left",
            )
            .select(list(SNAPSHOT_ANNOTATION_SCHEMA))
            .sort("created_at", "uid")
        )
        done("annotations", annotations)
        history = history.join(annotations.select("uid"), on="uid", how="semi")
        done("history", history.sort("uid", "version"))
        done("rollup", _cast(roll.result(), ROLLUP_SCHEMA).with_columns(_finite(["share_met"])))
    header: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "name": check_name(name),
        "created_at": now(),
        "author": author or ws.author,
        "met": float(limits.met),
        "amber": float(limits.amber),
        "dataset_sha256": dataset_hash(plans),
    }
    return Snapshot(header, {part: parts[part] for part in PARTS})


def _indicator_part(firsts: pl.DataFrame, nodes: pl.DataFrame, info: pl.DataFrame) -> pl.DataFrame:
    """The indicators part: each indicator with values (``firsts``: their keys in key order,
    once each) with its node's kind, code and title and its unit and polarity.

    When the nodes are in key order, once each, and the nodes of indicator kinds and the
    described indicators are exactly ``firsts`` (as the dataset writes them), they are put
    side by side; else joined.
    """
    keys = ["plan_id", "node_id"]
    measured = nodes.filter(pl.col("kind").is_in(list(INDICATOR_KINDS)))
    if (
        measured.select(keys).equals(firsts)
        and info.select(keys).equals(firsts)
        and strictly_increasing(nodes, keys)
    ):
        side = [*measured.drop(keys).get_columns(), *info.drop(keys).get_columns()]
        return firsts.hstack(side).select(list(INDICATOR_SCHEMA))
    return (
        firsts.join(nodes, on=keys, how="left")
        .join(info.unique(subset=keys), on=keys, how="left")
        .select(list(INDICATOR_SCHEMA))
        .sort(keys)
    )


def _document_facts(dataset_values: pl.DataFrame, values: pl.DataFrame) -> pl.Series:
    """The document's fact of each row of ``values`` whose fact was entered, else null.

    Only the few entered rows are looked up in the dataset (the values table has millions).
    """
    keys = ["plan_id", "node_id", "year"]
    entered = (
        values.select(keys)
        .with_row_index("row")
        .filter(values.get_column("fact_source") == "entered")
    )
    column = pl.repeat(None, values.height, dtype=pl.Float64, eager=True).alias("document_fact")
    if entered.is_empty():
        return column
    plans = entered.get_column("plan_id").unique().implode()
    document = (
        dataset_values.filter(pl.col("plan_id").cast(pl.String).is_in(plans))
        .select(
            pl.col("plan_id").cast(pl.String),
            pl.col("node_id").cast(pl.String),
            pl.col("year").cast(pl.Int32),
            pl.col("kind").cast(pl.String),
            pl.col("value").alias("document_fact"),
        )
        .join(entered.select(keys), on=keys, how="semi")
        .filter(pl.col("kind") == "fact")
        .unique(subset=keys, keep="first", maintain_order=True)
        .with_columns(_finite(["document_fact"]))
    )
    found = entered.join(document, on=keys, how="inner")
    return column.scatter(found.get_column("row"), found.get_column("document_fact"))


def dataset_hash(plans: pl.DataFrame) -> str:
    """One hash of the dataset's sources: sha256 over ``plan_id source_sha256`` lines, sorted."""
    lines = sorted(
        f"{plan_id} {sha}" for plan_id, sha in plans.select("plan_id", "source_sha256").iter_rows()
    )
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def create(
    ws: Workspace,
    tables: Mapping[str, pl.DataFrame],
    name: str,
    *,
    thresholds: Thresholds | None = None,
    author: str | None = None,
) -> SnapshotInfo:
    """Freeze the current state under ``name`` in the workspace (committed when it returns)."""
    name = check_name(name)
    if any(info.name == name for info in ws.snapshots()):
        raise ValidationError(f"a snapshot named {name!r} already exists in {ws.path}")
    # Each part is encoded in another thread as soon as it is made, while the rest is made.
    with ThreadPoolExecutor(max_workers=1) as pool:
        encoding: dict[str, Future[bytes]] = {}
        snap = build(
            ws,
            tables,
            name,
            thresholds=thresholds,
            author=author,
            ready=lambda part, frame: encoding.setdefault(part, pool.submit(_encode_part, frame)),
        )
        encoded = {part: encoding[part].result() for part in PARTS}
    with ws.transaction() as conn:
        ws.store_snapshot(conn, snap.header, encoded)
    return ws.snapshot_info(name)


def _encode(parts: Mapping[str, pl.DataFrame]) -> dict[str, bytes]:
    return {part: _encode_part(frame) for part, frame in parts.items()}


def _encode_part(frame: pl.DataFrame) -> bytes:
    """A part as Parquet (LZ4), in one row group: read back, it is one chunk, as the exports'
    gathers and scatters over millions of rows want it (no copy to put the chunks together)."""
    buffer = io.BytesIO()
    frame.write_parquet(
        buffer, compression="lz4", statistics=False, row_group_size=max(1, frame.height)
    )
    return buffer.getvalue()


def load(ws: Workspace, name: str) -> Snapshot:
    """A stored snapshot with its frames."""
    info, blobs = ws.snapshot_parts(name)
    parts = {}
    for part, schema in PARTS.items():
        if part in blobs:
            # One chunk: a part comes back in one per row group, and the exports' gathers and
            # scatters over millions of rows run at half speed or less on many chunks.
            parts[part] = _cast(pl.read_parquet(io.BytesIO(blobs[part])), schema).rechunk()
        else:
            parts[part] = pl.DataFrame(schema=schema)
    return Snapshot(dict(info.header), parts)


# --------------------------------------------------------------------------- writing files


def _open_target(path: Path, force: bool) -> None:
    if path.is_dir():
        raise ValidationError(f"{path}: is a folder; give a file name")
    if not path.parent.is_dir():
        raise ValidationError(f"{path.parent}: no such folder")
    if path.exists() and not force:
        raise ValidationError(f"{path}: already exists (use --force to overwrite)")


@dataclass(frozen=True, slots=True)
class _Temporary:
    """The temporary file being written: by ``handle``, or by Polars' own writers at ``path``
    (they open it again by name; it is the same file, synced through ``handle`` at the end)."""

    handle: IO[bytes]
    path: Path
    direct: DirectFile | None = None

    def file(self) -> IO[bytes]:
        """Where to write: the direct writer where there is one, else ``handle``."""
        return cast("IO[bytes]", self.direct) if self.direct is not None else self.handle


@contextlib.contextmanager
def _atomic(path: Path, force: bool, *, direct: bool = False) -> Iterator[_Temporary]:
    """Write into a temporary file beside ``path``; fsync it, then link or rename it into place
    at the end. ``direct``: offer a writer around the page cache (:mod:`workbench.direct_file`,
    for a large file written through :meth:`_Temporary.file`) where the file system has one."""
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            writer = open_direct(tmp, handle.fileno()) if direct else None
            if writer is not None:
                try:
                    yield _Temporary(handle, tmp, writer)
                    writer.finish()
                finally:
                    writer.abandon()  # after an error in the body (else nothing to do)
            else:
                with _syncing(handle.fileno()):
                    yield _Temporary(handle, tmp)
                    handle.flush()
            os.fsync(handle.fileno())  # the one that counts: all of it is on disk
        os.chmod(tmp, 0o666 & ~_umask())
        _place(tmp, path, force)
    finally:
        tmp.unlink(missing_ok=True)


@contextlib.contextmanager
def _syncing(fd: int, every: float = 0.05) -> Iterator[None]:
    """While the body writes the file, fsync it every ``every`` seconds in another thread.

    For a file written through the page cache: the annotations' CSV, and the large files where
    there is no direct writer (:mod:`workbench.direct_file`: macOS, or a file system without
    ``O_DIRECT``). The disk then takes the file as it is written, instead of all of it in the
    fsync at the end (hundreds of megabytes written in a burst also make the kernel hold the
    writer back): a 400 MB CSV export is ~0.25 s faster. These syncs are only early; the file
    counts as written after the fsync that follows the last write. An early one that fails is
    reported when the body ends (Linux may forget a write error once one fsync has returned it,
    so the last fsync alone could then succeed on a file that lost pages).

    After each, the pages it synced are also dropped from the page cache (where the system has
    ``posix_fadvise``: not macOS), so that the rest of the file is written into the same
    memory, just freed, instead of into fresh pages: on a virtual machine whose unused memory
    goes back to the host, every fresh page is a fault in the host while the kernel copies the
    data in. For a 400 MB CSV export that copy takes ~0.1-0.2 s less; a 306 MB TOML export,
    median of 6: 0.86 -> 0.75 s (system time 0.41 -> 0.23 s). Only clean pages are dropped:
    that data is on disk. The file is then not in the cache once written.
    """
    stop = threading.Event()
    failed: list[OSError] = []

    drop = getattr(os, "posix_fadvise", None)

    def run() -> None:
        while not failed and not stop.wait(every):
            try:
                written = os.fstat(fd).st_size if drop is not None else 0
                os.fsync(fd)
                if drop is not None and written:
                    drop(fd, 0, written, os.POSIX_FADV_DONTNEED)
            except OSError as exc:
                failed.append(exc)

    syncer = threading.Thread(target=run, name="snapshot-fsync", daemon=True)
    syncer.start()
    try:
        yield
    finally:
        stop.set()
        syncer.join()
    if failed:
        raise failed[0]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _place(tmp: Path, path: Path, force: bool) -> None:
    if force:
        os.replace(tmp, path)
    else:
        try:
            os.link(tmp, path)  # fails if the target appeared meanwhile: never clobbered
        except FileExistsError:
            raise ValidationError(f"{path}: already exists (use --force to overwrite)") from None
        except OSError:  # a file system without hard links
            if path.exists():
                raise ValidationError(
                    f"{path}: already exists (use --force to overwrite)"
                ) from None
            os.replace(tmp, path)
    with contextlib.suppress(OSError):
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def csv_paths(path: str | Path) -> tuple[Path, Path]:
    """The values file (``path``) and the annotations file beside it."""
    target = Path(path)
    suffix = target.suffix or ".csv"
    return target, target.with_name(f"{target.stem}.annotations{suffix}")


def export(
    ws: Workspace, name: str, fmt: str, path: str | Path, *, force: bool = False
) -> list[Path]:
    """Write a stored snapshot as ``toml`` or ``csv`` to ``path``; returns the files written."""
    if fmt not in ("toml", "csv"):
        raise ValidationError(f"unknown format {fmt!r} (toml or csv)")
    target = Path(path).expanduser()
    targets = [target] if fmt == "toml" else list(csv_paths(target))
    for each in targets:
        _open_target(each, force)
    snap = load(ws, name)
    if fmt == "toml":
        with _atomic(target, force, direct=True) as temporary:
            # Polars writes the text as it makes it: to the direct writer, else the file
            # itself, by name (then no chunk passes through Python).
            rows = _toml_rows(snap)
            if temporary.direct is not None:
                rows.sink_csv(temporary.file(), **_TEXT_ROWS)
            else:
                rows.sink_csv(temporary.path, **_TEXT_ROWS)
        return targets
    # The annotations are written and synced first, into their temporary file; then the values
    # are written and placed; then the annotations are placed. A failure while writing either
    # (a full disk) so leaves every file as it was, --force or not. Only a failure to place the
    # annotations (their file appeared meanwhile) comes after the values are placed: the values
    # then go again, so that an export never leaves a values file without its annotations.
    placed = False
    try:
        with _atomic(targets[1], force) as notes:
            _csv_annotations(snap).write_csv(notes.handle)
            notes.handle.flush()
            os.fsync(notes.handle.fileno())
            _write_csv_values(snap, targets[0], force)
            placed = True
    except BaseException:
        if placed:
            targets[0].unlink(missing_ok=True)
        raise
    return targets


def _write_csv_values(snap: Snapshot, path: Path, force: bool) -> None:
    """The values' CSV file, written atomically to ``path``."""
    # In pieces of consecutive plans, the next one's text made while one is written: either
    # alone leaves one of two cores idle about a third of the time.
    pieces = _plan_pieces(snap, _CSV_PIECES)
    with (
        ThreadPoolExecutor(max_workers=1) as pool,
        _atomic(path, force, direct=True) as temporary,
    ):
        making = pool.submit(csv_values_text, pieces[0])
        for i in range(len(pieces)):
            values = making.result()
            if i + 1 < len(pieces):
                making = pool.submit(csv_values_text, pieces[i + 1])
            values.write_csv(temporary.file(), quote_style="never", include_header=i == 0)
            del values


# --------------------------------------------------------------------------- TOML
#
# Why the bulk of the file does not go through tomli-w: at 1 000 plans a snapshot holds ~2 M
# indicator-year rows (~14 M values) and ~80 000 roll-up rows, and tomli-w costs about a
# microsecond per value in Python: 38 s for one export (bench/bench_workspace.py), against ~1 s
# now. The document's header, annotations (with their history) and facts still go through
# tomli-w; each plan's own keys, the roll-up tables, the indicators and their years are
# rendered with vectorised Polars string expressions that follow TOML 1.0 and tomli-w's own
# conventions: strings are basic strings with tomli-w's escapes (\b \n \f \r \" \\ and \u00XX
# for the other control characters; a tab stays as it is), floats are Polars' shortest
# round-trip text (nan for NaN; inf and -inf as they are), integers are digits, a null key is
# left out and claim_mismatch is written only when true. Each year of an indicator is one inline
# table on its own line, made by one concatenation per row of pieces null where the value is
# (and so left out): a key's ``, key = `` as a literal piece of its own before the value's text
# (not a concatenation per key), and a column of few distinct values (a year, a status) as its
# ``, key = value`` looked up in a table made once, not formatted or escaped on every row. The
# rows of text are in document order (by a sort only for parts in another order than a snapshot
# made here has) and written by Polars' CSV writer as one unquoted column (a row, a line), in
# chunks, straight into the file. tomllib reads the result back into exactly the frames that
# were written (tests/test_snapshot.py checks it with strings of quotes, backslashes, newlines,
# control characters and non-ASCII, and with NaN, infinities, nulls, -0.0 and the largest and
# smallest floats), so importing and exporting again gives the same bytes;
# tests/test_snapshot_bytes.py checks the bytes against files written before these renderers
# were made faster, and the plans' tables against tomli-w's.

_TOML_ESCAPES: Final[dict[str, str]] = {
    "\\": "\\\\",
    '"': '\\"',
    **{
        chr(code): {8: "\\b", 10: "\\n", 12: "\\f", 13: "\\r"}.get(code, f"\\u{code:04x}")
        for code in [*range(0x20), 0x7F]
        if code != 9  # a tab may stand in a basic string
    },
}


def _toml_string(text: str) -> str:
    """A TOML basic string, escaped as :func:`_toml_value` escapes a column."""
    return '"' + "".join(_TOML_ESCAPES.get(char, char) for char in text) + '"'


def _escaped(text: pl.Expr) -> pl.Expr:
    """A text column as TOML basic strings."""
    escaped = text.str.replace_many(list(_TOML_ESCAPES), list(_TOML_ESCAPES.values()))
    return pl.concat_str(pl.lit('"'), escaped, pl.lit('"'))


# A column whose distinct values are at most this many (and at most half its rows; an integer
# column: whose values span as many numbers) is written by looking its rows' text up in a table
# made once (a year: a dozen; a status: four); so are neighbouring ones together, as long as
# their combinations are at most this many.
_FEW: Final = 4096
# A text column with at most this many distinct values finds its rows' places in the table by
# comparing them with each (cheaper than hashing every row, for so few).
_COMPARED: Final = 8


@dataclass(frozen=True, slots=True)
class _Few:
    """How a column with few distinct values is looked up: per row, 0 where nothing is written,
    else 1 + the place in ``texts`` of what is written (the key's prefix and value)."""

    code: pl.Expr
    texts: list[str]


def _few(column: str, series: pl.Series, prefix: str, *, omit_false: bool) -> _Few | None:
    """The lookup of a column of booleans or few distinct values (see :data:`_FEW`); None for
    another column."""
    value = pl.col(column)
    dtype = series.dtype

    def code(number: int) -> pl.Expr:
        return pl.lit(number, dtype=pl.UInt32)

    if omit_false:
        return _Few(value.fill_null(False).cast(pl.UInt32), [f"{prefix}true"])
    if dtype == pl.Boolean:
        return _Few(
            pl.when(value).then(code(2)).when(~value).then(code(1)).otherwise(code(0)),
            [f"{prefix}false", f"{prefix}true"],
        )
    if dtype.is_integer():
        low, high = series.min(), series.max()
        if not (isinstance(low, int) and isinstance(high, int)):
            return None
        span = high - low + 1
        if span > _FEW or 2 * span > series.len() or dtype == pl.UInt64:  # not always an Int64
            return None
        return _Few(
            (value.cast(pl.Int64) - (low - 1)).fill_null(0).cast(pl.UInt32),
            [f"{prefix}{number}" for number in range(low, high + 1)],
        )
    if dtype == pl.Float64:
        return None
    distinct = series.cast(pl.String).drop_nulls().unique(maintain_order=True)
    if not 0 < distinct.len() <= _FEW or 2 * distinct.len() > series.len():
        return None  # none: a lookup would not refer to the column (and make one row)
    texts = pl.select(pl.concat_str(pl.lit(prefix), _escaped(pl.lit(distinct)))).to_series()
    text = value.cast(pl.String)
    if distinct.len() <= _COMPARED:
        place = code(0)
        for i, each in enumerate(distinct.to_list()):
            place = (
                pl.when(text == pl.lit(each, dtype=pl.String)).then(code(i + 1)).otherwise(place)
            )
    else:
        numbers = pl.Series(range(1, distinct.len() + 1), dtype=pl.UInt32)
        place = text.replace_strict(distinct, numbers, default=0, return_dtype=pl.UInt32)
    return _Few(place, texts.to_list())


def _looked_up(columns: list[_Few], trail: str = "") -> pl.Expr:
    """The text of neighbouring columns (and ``trail`` after it) in one piece, looked up in the
    table of all their combinations; null where that is empty."""
    texts = [
        "".join(each) + trail for each in itertools.product(*[["", *c.texts] for c in columns])
    ]
    place = pl.lit(0, dtype=pl.UInt32)
    for column in columns:
        place = place * (len(column.texts) + 1) + column.code
    table = pl.Series([text or None for text in texts], dtype=pl.String)
    return pl.lit(table).gather(place)


def _toml_value(column: str, series: pl.Series, prefix: str, *, split: bool) -> list[pl.Expr]:
    """Pieces whose ``concat_str`` (nulls left out) is, per row, ``prefix`` and the TOML value of
    a column that is not few-valued (see :func:`_few`), or nothing where it is null. One piece,
    null where the column is, unless ``split``: then the prefix may be a literal piece of its own
    (null where the value is) before the value's bare text, which saves a concatenation per
    column over millions of rows; and a column of nulls only is no piece at all. A float column
    with no NaN is not checked for one."""
    value = pl.col(column)
    nulls = series.null_count()
    if split and nulls == series.len() > 0:
        return []
    if series.dtype == pl.Float64 or series.dtype.is_integer():
        text = value.cast(pl.String)
        if _has_nan(series):
            text = pl.when(value.is_nan()).then(pl.lit("nan")).otherwise(text)
        if not split:
            return [pl.concat_str(pl.lit(prefix), text)]
        lead = pl.lit(prefix) if nulls == 0 else pl.when(value.is_not_null()).then(pl.lit(prefix))
        return [lead, text]
    return [pl.concat_str(pl.lit(prefix), _escaped(value.cast(pl.String)))]


def _has_nan(column: pl.Series) -> bool:
    """Whether a float column holds a NaN (when not, :func:`_toml_value` checks no row for one).
    Text columns are always escaped: looking for what to escape costs about what escaping
    does."""
    return column.dtype == pl.Float64 and bool(column.is_nan().any())


def _toml_pieces(
    frame: pl.DataFrame,
    separator: str,
    *,
    omit_false: tuple[str, ...] = (),
    joined: bool = False,
    lead: str = "",
    trail: str = "",
) -> list[pl.Expr]:
    """``key = value`` of each column, null where the column is null (``omit_false``: where it
    is not true); ``joined``: ``lead`` before the first, ``separator`` before each of the others
    and ``trail`` after the last, in pieces of a column or a few (see :func:`_few`,
    :func:`_toml_value`), so that a ``concat_str`` of them without a separator (nulls left out)
    is ``lead``, the separator join and ``trail`` — for a first column that is never null."""
    pieces: list[pl.Expr] = []
    group: list[_Few] = []  # neighbouring few-valued columns, looked up together when joined
    for i, series in enumerate(frame.iter_columns()):
        column = series.name
        prefix = f"{(separator if i else lead) if joined else ''}{column} = "
        few = _few(column, series, prefix, omit_false=column in omit_false)
        if few is None:
            if group:
                pieces.append(_looked_up(group))
                group = []
            pieces += _toml_value(column, series, prefix, split=joined)
        elif not joined:
            pieces.append(_looked_up([few]))
        else:
            if math.prod(len(c.texts) + 1 for c in [*group, few]) > _FEW:
                pieces.append(_looked_up(group))
                group = []
            group.append(few)
    if group:
        pieces.append(_looked_up(group, trail))
    elif joined and trail:
        pieces.append(pl.lit(trail))
    return pieces


def _toml_pairs(
    frame: pl.DataFrame,
    separator: str,
    *,
    omit_false: tuple[str, ...] = (),
    lead: str = "",
    trail: str = "",
) -> pl.Expr:
    """``lead``, ``key = value`` of every column not null (``omit_false``: only when true),
    joined, and ``trail``."""
    first = frame.columns[0] if frame.width else None
    if first is not None and first not in omit_false and not frame.get_column(first).has_nulls():
        # The lead, separators and trail go into the pieces: one concatenation, no join.
        pieces = _toml_pieces(
            frame, separator, omit_false=omit_false, joined=True, lead=lead, trail=trail
        )
        return pl.concat_str(pieces, ignore_nulls=True)
    pieces = _toml_pieces(frame, separator, omit_false=omit_false)
    return pl.concat_str(
        pl.lit(lead), pl.concat_str(pieces, separator=separator, ignore_nulls=True), pl.lit(trail)
    )


def _records(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts without their nulls (TOML has none)."""
    columns = frame.columns
    return [
        {columns[i]: value for i, value in enumerate(row) if value is not None}
        for row in frame.iter_rows()
    ]


def _text_rows(text: pl.Expr, *order: pl.Expr) -> list[pl.Expr]:
    return [
        text.alias("text"),
        *[expr.cast(pl.Int64).alias(f"o{i}") for i, expr in enumerate(order)],
    ]


def _plan_chunks(plans: pl.DataFrame) -> list[str]:
    """Each plan's own ``[[plans]]`` table (tomli-w), in the order of ``plans``."""
    chunks = []
    for plan in _records(plans):
        chunk = tomli_w.dumps({"plans": [plan]})
        if not chunk.startswith("[[plans]]"):  # a plan always has a long source hash
            raise RuntimeError(f"plan {plan['plan_id']!r} rendered inline; cannot write it")
        chunks.append("\n" + chunk.rstrip("\n"))
    return chunks


def _rollup_rows(rollup: pl.DataFrame) -> pl.DataFrame:
    return rollup.select(text=_toml_pairs(rollup, "\n", lead="\n[[rollup]]\n"))


def _year_lines(values: pl.DataFrame) -> pl.Expr:
    """One indicator's year as an inline table on its own line."""
    return _toml_pairs(
        values.drop("plan_id", "node_id"),
        ", ",
        omit_false=("claim_mismatch",),
        lead="    { ",
        trail=" },",
    )


def _body(parts: Mapping[str, pl.DataFrame]) -> pl.LazyFrame:
    """The roll-up and the plans as rows of TOML text in document order (column ``text``)."""
    aligned = _body_aligned(parts)
    return aligned if aligned is not None else _body_sorted(parts).lazy()


def _body_aligned(parts: Mapping[str, pl.DataFrame]) -> pl.LazyFrame | None:
    """The body when the values come in runs of one indicator in the indicators' order and the
    indicators in the plans' order, each with at least one year (as a snapshot made here does);
    None otherwise.

    Then each year's line is a row, and the text that goes before it (the plan's table where a
    plan begins, the indicator's table and ``years = [`` where an indicator begins) and after
    it (``]`` where the indicator ends) is glued onto that row: no sort, no second copy of the
    hundreds of megabytes. Plans without indicators go in before the next plan that has some
    (or after the last row), so the plans keep their order.
    """
    plans, indicators, values = parts["plans"], parts["indicators"], parts["values"]
    if values.is_empty() or indicators.is_empty() or values.get_column("year").has_nulls():
        return None
    keys = ["plan_id", "node_id"]
    marks = values.select(first=run_starts(*keys), plan_first=run_starts("plan_id")).with_columns(
        last=pl.col("first").shift(-1, fill_value=True)
    )  # the next row begins one
    firsts = values.select(keys).filter(marks.get_column("first"))
    if not firsts.equals(indicators.select(keys)):
        return None
    # Plans in the values' order must be the plans' order (sorted by plan_id, both).
    plan_order = firsts.get_column("plan_id").unique(maintain_order=True)
    plan_ids = plans.get_column("plan_id")
    position = {plan_id: i for i, plan_id in enumerate(plan_ids.to_list())}
    wanted = [position.get(plan_id, -1) for plan_id in plan_order.to_list()]
    if -1 in wanted or wanted != sorted(wanted) or plan_ids.n_unique() != plans.height:
        return None
    # The roll-up's rows and the year lines' pieces are made in another thread meanwhile.
    with ThreadPoolExecutor(max_workers=1) as pool:
        rollup_rows = pool.submit(_rollup_rows, parts["rollup"])
        pieces = pool.submit(_year_pieces, values)
        body = _aligned_rows(plans, indicators, values, marks, wanted)
        if body is None:
            return None
        text, heads, pending = body
        text = text.select(
            pl.concat_str(
                pl.lit(heads).gather(pl.col("_head")),
                *pieces.result(),
                pl.when(pl.col("_last")).then(pl.lit("\n]")),
                ignore_nulls=True,
            ).alias("text")
        )
        rows = [rollup_rows.result().lazy(), text]
    if pending:  # plans after the last one with indicators
        rows.append(pl.LazyFrame({"text": pending}, schema={"text": pl.String}))
    return pl.concat(rows, how="vertical")


def _aligned_rows(
    plans: pl.DataFrame,
    indicators: pl.DataFrame,
    values: pl.DataFrame,
    marks: pl.DataFrame,
    wanted: list[int],
) -> tuple[pl.LazyFrame, pl.Series, list[str]] | None:
    """For :func:`_body_aligned`: the values with, per row, the place in the heads of the text
    that goes before it (``_head``: null but where an indicator begins) and whether it ends its
    indicator (``_last``); the heads (per indicator its table and ``years = [``, after the
    plan's table where a plan begins); and the plans after the last one with indicators. None
    when a plan's indicators are not in one run."""
    chunks = _plan_texts(plans).to_list()
    with_values = set(wanted)
    prefixes: list[str] = []
    pending: list[str] = []
    for i, chunk in enumerate(chunks):
        pending.append(chunk)
        if i in with_values:
            prefixes.append("".join(f"{each}\n" for each in pending))  # a row each, as before
            pending = []

    first = marks.get_column("first")
    # The indicators that begin a plan (the values' first rows are the indicators, in order).
    plan_starts = marks.get_column("plan_first").filter(first).arg_true()
    if plan_starts.len() != len(prefixes):  # a plan's indicators in two places: not in runs
        return None
    own = indicators.drop("plan_id")
    before = pl.repeat(None, indicators.height, dtype=pl.String, eager=True).scatter(
        plan_starts, pl.Series(prefixes, dtype=pl.String)
    )
    heads = indicators.select(
        pl.concat_str(
            pl.lit(before),
            _toml_pairs(own, "\n", lead="\n[[plans.indicators]]\n", trail="\nyears = [\n"),
            ignore_nulls=True,
        )
    ).to_series()
    # Each row: the plan's table where a plan begins and the indicator's table where an
    # indicator begins (looked up by place: the hundreds of thousands of heads are made once,
    # not scattered into a column of millions), the year's line, and "]" where the indicator
    # ends, made in one pass. The millions of year lines are made by the streaming engine, a
    # batch at a time, as the writer takes them (about a third faster than making them all
    # first, on two cores).
    places = pl.repeat(None, values.height, dtype=pl.UInt32, eager=True).scatter(
        first.arg_true(), pl.int_range(indicators.height, dtype=pl.UInt32, eager=True)
    )
    rows = values.with_columns(_head=places, _last=marks.get_column("last"))
    return rows.lazy(), heads, pending


def _year_pieces(values: pl.DataFrame) -> list[pl.Expr]:
    """What :func:`_year_lines` makes of a row, as pieces for one ``concat_str`` (nulls left
    out), for values whose year (the first key) is never null. Same text, without the
    intermediate columns of a separator join and its wrapping."""
    return _toml_pieces(
        values.drop("plan_id", "node_id"),
        ", ",
        omit_false=("claim_mismatch",),
        joined=True,
        lead="    { ",
        trail=" },",
    )


def _plan_texts(plans: pl.DataFrame) -> pl.Series:
    """Each plan's own ``[[plans]]`` table as :func:`_plan_chunks` writes it with tomli-w, made
    by string expressions (tomli-w costs ~0.2 ms a plan). A plan's keys are bare, its values
    text and integers; tomli-w never writes one inline (see :func:`_plan_chunks`), which
    tests/test_snapshot.py checks against tomli-w itself."""
    if plans.is_empty():
        return pl.Series("text", [], dtype=pl.String)
    return plans.select(text=_toml_pairs(plans, "\n", lead="\n[[plans]]\n")).to_series()


def _body_sorted(parts: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    """The roll-up and the plans as rows of TOML text in document order (column ``text``),
    for parts in any order (an imported file's).

    Rows: one ``[[rollup]]`` table per roll-up row; per plan, its ``[[plans]]`` table (tomli-w),
    then per indicator its ``[[plans.indicators]]`` table opening ``years = [``, one line per
    year (an inline table) and the closing ``]``. They are put in order by a sort on
    (plan, indicator, place, row) rather than glued per indicator and plan, which would copy
    hundreds of megabytes of text a few times over.
    """
    keys = ["plan_id", "node_id"]
    plans = parts["plans"].with_row_index("p")
    chunks = _plan_chunks(parts["plans"])
    plan_rows = plans.select(
        _text_rows(
            pl.lit(pl.Series(chunks, dtype=pl.String)),
            pl.col("p"),
            pl.lit(-1),
            pl.lit(0),
            pl.lit(0),
        )
    )
    indicators = (
        parts["indicators"]
        .with_row_index("i")
        .join(plans.select("plan_id", "p"), on="plan_id", how="inner", maintain_order="left")
    )
    values = parts["values"]
    lines = (
        values.select(*keys, line=_year_lines(values))
        .with_row_index("k")
        .join(indicators.select(*keys, "p", "i"), on=keys, how="inner", maintain_order="left")
    )
    value_rows = lines.select(
        _text_rows(pl.col("line"), pl.col("p"), pl.col("i"), pl.lit(1), pl.col("k"))
    )
    with_years = lines.select("i").unique().with_columns(has_years=pl.lit(True))
    own = parts["indicators"].drop("plan_id")
    heads = indicators.select(
        "p",
        "i",
        head=_toml_pairs(own, "\n", lead="\n[[plans.indicators]]\n"),
    ).join(with_years, on="i", how="left", maintain_order="left")
    heads = heads.with_columns(
        pl.col("has_years").fill_null(False),
        head=pl.concat_str(
            "head", pl.when("has_years").then(pl.lit("\nyears = [")), ignore_nulls=True
        ),
    )
    head_rows = heads.select(
        _text_rows(pl.col("head"), pl.col("p"), pl.col("i"), pl.lit(0), pl.lit(0))
    )
    close_rows = heads.filter("has_years").select(
        _text_rows(pl.lit("]"), pl.col("p"), pl.col("i"), pl.lit(2), pl.lit(0))
    )
    body = pl.concat([plan_rows, head_rows, value_rows, close_rows], how="vertical")
    body = body.sort("o0", "o1", "o2", "o3")
    return pl.concat([_rollup_rows(parts["rollup"]), body.select("text")], how="vertical")


def write_toml(snap: Snapshot, write: Callable[[str | bytes], object]) -> None:
    """The snapshot as TOML (see the comment above on what does not go through tomli-w).

    ``write`` gets the document in a few pieces, text or UTF-8 bytes.
    """
    # One text column, unquoted, one row a line: Polars writes it in chunks straight to ``write``.
    _toml_rows(snap).sink_csv(cast("IO[bytes]", _Sink(write)), **_TEXT_ROWS)


# Polars' CSV writer, writing rows of one text column as they are, a line each.
_TEXT_ROWS: Final[dict[str, Any]] = {
    "include_header": False,
    "quote_style": "never",
    "line_terminator": "\n",
    "engine": "streaming",
}


def _toml_rows(snap: Snapshot) -> pl.LazyFrame:
    """The whole document as rows of text (column ``text``), a line break after each: first
    what tomli-w writes (header, annotations, facts), then the body (:func:`_body`)."""
    parts = snap.parts
    head: dict[str, Any] = {key: snap.header[key] for key in HEADER_KEYS}
    versions: dict[str, list[dict[str, Any]]] = {}
    for record in _records(parts["history"]):
        versions.setdefault(record.pop("uid"), []).append(record)
    annotations = _records(parts["annotations"])
    for record in annotations:
        record["history"] = versions.get(record["uid"], [])
    for key, records in (("annotations", annotations), ("facts", _records(parts["facts"]))):
        if records:
            head[key] = records
    text = tomli_w.dumps(head)
    if not text.endswith("\n"):  # tomli-w ends every table with one
        raise RuntimeError("the snapshot header did not end with a line break")
    first = pl.LazyFrame({"text": [text[:-1]]}, schema={"text": pl.String})
    return pl.concat([first, _body(parts)], how="vertical")


class _Sink:
    """A binary file for Polars' writers that hands each chunk to ``write``."""

    def __init__(self, write: Callable[[str | bytes], object]) -> None:
        self._write = write

    def write(self, data: bytes) -> int:
        self._write(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass


def to_toml(snap: Snapshot) -> str:
    chunks: list[str | bytes] = []
    write_toml(snap, chunks.append)
    return "".join(c.decode("utf-8") if isinstance(c, bytes) else c for c in chunks)


# --------------------------------------------------------------------------- reading TOML

_PY_TYPES: Final[dict[type[pl.DataType], tuple[type, ...]]] = {
    pl.String: (str,),
    pl.Int32: (int,),
    pl.Int64: (int,),
    pl.Float64: (float, int),
    pl.Boolean: (bool,),
}


class _Columns:
    """Collects checked records of one part into columns."""

    def __init__(self, part: str, source: str) -> None:
        self.part = part
        self.source = source
        self.schema = PARTS[part]
        self.required = set(_REQUIRED[part])
        self.columns: dict[str, list[Any]] = {name: [] for name in self.schema}
        # Per column, worked out once (comparing Polars types costs more than the checks):
        # the Python types it takes, whether it is a 32-bit integer, whether ints become floats.
        self.checks = [
            (name, _PY_TYPES[type(dtype)], dtype == pl.Int32, dtype == pl.Float64)
            for name, dtype in self.schema.items()
        ]
        self.frames: list[pl.DataFrame] = []  # made by add_all

    def add(self, record: Mapping[str, Any], where: str, **extra: Any) -> None:
        row = {**record, **extra}
        for key in row:
            if key not in self.schema:
                raise SnapshotFileError(
                    f"{self.source}: not a valid snapshot: {where}: unknown key {key!r}"
                )
        for name, allowed, is_int32, is_float in self.checks:
            value: Any = row.get(name)
            if value is None:
                if name == "claim_mismatch":
                    value = False
                elif name in self.required:
                    raise SnapshotFileError(
                        f"{self.source}: not a valid snapshot: {where}: {name!r} is missing"
                    )
            else:
                if not isinstance(value, allowed) or (
                    isinstance(value, bool) and bool not in allowed
                ):
                    raise SnapshotFileError(
                        f"{self.source}: not a valid snapshot: {where}: {name!r} has the "
                        f"wrong type ({type(value).__name__})"
                    )
                if is_int32 and isinstance(value, int) and not -(2**31) <= value < 2**31:
                    raise SnapshotFileError(
                        f"{self.source}: not a valid snapshot: {where}: {name!r} is out of "
                        f"range ({value})"
                    )
                if is_float and isinstance(value, int):
                    value = float(value)
            self.columns[name].append(value)

    def add_all(self, rows: list[dict[str, Any]], wheres: list[str]) -> None:
        """Add many records at once (each with its extras already in it): checked in bulk —
        every (key, type) that occurs must be one the schema takes, the required keys must be
        there — and made into columns by Polars; only when that fails are they added one by
        one, for the message that names the record."""
        if any(self.columns[name] for name in self.schema):
            raise RuntimeError(f"{self.part}: add_all after add")
        frame = _bulk_frame(rows, self.schema, self.required) if rows else None
        if frame is None:
            for row, where in zip(rows, wheres, strict=True):
                self.add(row, where)
            return
        self.frames.append(frame)

    def frame(self) -> pl.DataFrame:
        if self.frames:
            return pl.concat(self.frames, how="vertical")
        try:
            return pl.DataFrame(self.columns, schema=self.schema)
        except (OverflowError, TypeError, pl.exceptions.PolarsError) as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise SnapshotFileError(
                f"{self.source}: not a valid snapshot: {self.part}: {first}"
            ) from None


def _bulk_frame(
    rows: list[dict[str, Any]], schema: Mapping[str, pl.DataType], required: Iterable[str]
) -> pl.DataFrame | None:
    """Records as a frame of ``schema``, checked in bulk: every (key, Python type) that occurs
    must be one the schema takes (None: absent), and the ``required`` columns of the schema
    must have no nulls (``claim_mismatch`` absent: false, or 0 where it is a count). None when
    that fails: then the records are checked one by one (:meth:`_Columns.add`), for the
    message that names the wrong one."""
    allowed = {
        (name, kind) for name, dtype in schema.items() for kind in _PY_TYPES[type(dtype)]
    } | {(name, type(None)) for name in schema}
    if not {(key, type(value)) for row in rows for key, value in row.items()} <= allowed:
        return None
    try:
        frame = pl.DataFrame(rows, schema=schema, strict=True, infer_schema_length=None)
    except (OverflowError, TypeError, pl.exceptions.PolarsError):
        return None
    if "claim_mismatch" in schema:
        dtype = schema["claim_mismatch"]
        frame = frame.with_columns(pl.col("claim_mismatch").fill_null(pl.lit(False).cast(dtype)))
    if any(frame.get_column(name).has_nulls() for name in required if name in schema):
        return None
    return frame


def _text_ids(owners: list[tuple[Any, Any]]) -> bool:
    """Whether every indicator's (plan_id, node_id) is text (else the records say which not)."""
    return all(isinstance(plan_id, str) and isinstance(node_id, str) for plan_id, node_id in owners)


def _list(doc: Mapping[str, Any], key: str, source: str, where: str) -> list[dict[str, Any]]:
    value = doc.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise SnapshotFileError(
            f"{source}: not a valid snapshot: {where}{key} must be a list of tables"
        )
    return value


def parse_toml(text: str, source: str = "snapshot") -> Snapshot:
    """Read a snapshot TOML; refuse anything that is not one, or is from a newer format."""
    return _read(text.encode("utf-8"), source, text)


def _read(raw: bytes, source: str, text: str | None) -> Snapshot:
    """The snapshot in the file ``raw`` (``text``: its UTF-8 reading, when already made)."""
    # Millions of small tables become millions of dicts: the cycle collector, run again and
    # again as they pile up, would cost more than the parse (none of them can form a cycle).
    collecting = gc.isenabled()
    gc.disable()
    try:
        # As the workbench lays it out, the years are read in bulk and the parser reads the
        # rest; anything else about the file (or a problem in it, whose message should name
        # the file's own line) and it is read the ordinary way.
        lifted = lift_years(raw, _YEAR_COLUMNS)
        if lifted is not None:
            try:
                return _parse_toml(lifted.remainder, source, by_plan=True, lifted=lifted)
            except (_WholeFile, _NotLifted, SnapshotFileError):
                pass
        del lifted
        if text is None:
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise SnapshotFileError(f"{source}: not a snapshot (not UTF-8 text)") from None
        try:
            return _parse_toml(text, source, by_plan=True)
        except _WholeFile:
            return _parse_toml(text, source, by_plan=False)
    finally:
        if collecting:
            gc.enable()


# The keys of a year, in the order the workbench writes them.
_YEAR_COLUMNS: Final = {
    name: dtype for name, dtype in VALUE_SCHEMA.items() if name not in ("plan_id", "node_id")
}


class _NotLifted(Exception):
    """The years lifted out of the file do not fit what the parser read of the rest."""


_PLAN_TABLE: Final = "\n[[plans]]\n"


class _WholeFile(Exception):
    """The file cannot be read a plan at a time after all: read it whole."""


def _loads(text: str, source: str) -> dict[str, Any]:
    try:
        # rtoml (Rust) reads TOML about four times faster than tomllib; tests check that both
        # read our files into the same content.
        return rtoml.loads(text)
    except rtoml.TomlParsingError as exc:
        raise SnapshotFileError(f"{source}: not a snapshot (not valid TOML: {exc})") from None


def _by_plan(text: str) -> tuple[str, list[str]]:
    """The text before the first ``[[plans]]`` table and each plan's own text from its
    ``[[plans]]`` line on; ``(text, [])`` when it cannot be cut so.

    Read whole, a snapshot of 1 000 plans (~300 MB) becomes ~9 GB of Python objects and takes
    three times as long; a plan at a time holds one plan's. A line ``[[plans]]`` opens a plan's
    table wherever it stands, except inside a multi-line string: a file with one is read whole.
    """
    if '"""' in text or "'''" in text:
        return text, []
    # Each piece is one slice of the text, from its line [[plans]] to the line break before the
    # next (a partition, a split and a concatenation per plan copied the 300 MB three times).
    starts = []
    at = text.find(_PLAN_TABLE)
    while at >= 0:
        starts.append(at)
        at = text.find(_PLAN_TABLE, at + len(_PLAN_TABLE))
    if not starts:
        return text, []
    ends = [*starts[1:], len(text)]
    return text[: starts[0]] + "\n", [text[a + 1 : b] for a, b in zip(starts, ends, strict=True)]


def _plan_tables(pieces: list[str], source: str) -> Iterator[list[dict[str, Any]]]:
    """The plans of each piece (see :func:`_by_plan`)."""
    for piece in pieces:
        try:
            doc = rtoml.loads(piece)
        except rtoml.TomlParsingError:
            raise _WholeFile from None  # read whole, the error names the file's own line
        if set(doc) != {"plans"}:
            raise _WholeFile  # a table after the plans that is not a plan's
        yield _list(doc, "plans", source, "")


def _parse_toml(
    text: str, source: str, *, by_plan: bool, lifted: LiftedYears | None = None
) -> Snapshot:
    """The snapshot in ``text``; with ``lifted``, ``text`` is its remainder (see
    :func:`~workbench.snapshot_years.lift_years`) and the years come from there."""
    head, pieces = _by_plan(text) if by_plan else (text, [])
    doc = _loads(head, source)
    if pieces and "plans" in doc:
        raise _WholeFile
    if doc.get("format") != FORMAT:
        raise SnapshotFileError(f"{source}: not a Plan Workbench snapshot (no format = {FORMAT!r})")
    version = doc.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise SnapshotFileError(f"{source}: not a valid snapshot (bad format_version {version!r})")
    if version > FORMAT_VERSION:
        raise SnapshotFileError(
            f"{source}: snapshot format {version} is newer than this workbench reads "
            f"({FORMAT_VERSION}); update the workbench"
        )
    header: dict[str, Any] = {}
    for key in HEADER_KEYS:
        value: Any = doc.get(key)
        expected: tuple[type, ...] = (float, int) if key in ("met", "amber") else (str,)
        if key == "format_version":
            expected = (int,)
        if value is None or not isinstance(value, expected) or isinstance(value, bool):
            raise SnapshotFileError(
                f"{source}: not a valid snapshot: header {key!r} missing or wrong"
            )
        header[key] = float(value) if isinstance(value, int) and key != "format_version" else value
    known = set(HEADER_KEYS) | {"annotations", "facts", "rollup", "plans"}
    unknown = set(doc) - known
    if unknown:
        raise SnapshotFileError(f"{source}: not a valid snapshot: unknown key(s) {sorted(unknown)}")
    try:
        header["name"] = check_name(header["name"])
    except ValidationError as exc:
        raise SnapshotFileError(f"{source}: not a valid snapshot: {exc}") from None

    cols = {part: _Columns(part, source) for part in PARTS}
    for i, record in enumerate(_list(doc, "annotations", source, "")):
        where = f"annotations[{i}]"
        record = dict(record)
        history = record.pop("history", [])
        if not isinstance(history, list) or not history:
            raise SnapshotFileError(f"{source}: not a valid snapshot: {where}: no history")
        cols["annotations"].add(record, where)
        for j, version in enumerate(history):
            if not isinstance(version, dict):
                raise SnapshotFileError(f"{source}: not a valid snapshot: {where}.history[{j}]")
            cols["history"].add(version, f"{where}.history[{j}]", uid=record.get("uid"))
    for i, record in enumerate(_list(doc, "facts", source, "")):
        cols["facts"].add(record, f"facts[{i}]")
    rollup = _list(doc, "rollup", source, "")
    cols["rollup"].add_all(rollup, [f"rollup[{i}]" for i in range(len(rollup))])
    indicator_rows: list[dict[str, Any]] = []  # with the years lifted: for add_all
    indicator_wheres: list[str] = []
    years_of: list[tuple[str, list[dict[str, Any]]]] = []  # (where, years) per indicator
    owners: list[tuple[Any, Any]] = []  # (plan_id, node_id) per indicator
    values: list[pl.DataFrame] = []
    pending = 0
    groups = _plan_tables(pieces, source) if pieces else iter([_list(doc, "plans", source, "")])
    i = 0
    for plans in groups:
        for plan in plans:
            where = f"plans[{i}]"
            i += 1
            plan = dict(plan)
            indicators = _list(plan, "indicators", source, f"{where}.")
            plan.pop("indicators", None)
            cols["plans"].add(plan, where)
            plan_id = plan.get("plan_id")
            for j, indicator in enumerate(indicators):
                here = f"{where}.indicators[{j}]"
                if lifted is not None:
                    if "years" in indicator:  # years written another way too
                        raise _NotLifted
                    indicator_rows.append({**indicator, "plan_id": plan_id})
                    indicator_wheres.append(here)
                    owners.append((plan_id, indicator.get("node_id")))
                    continue
                indicator = dict(indicator)
                years = _list(indicator, "years", source, f"{here}.")
                indicator.pop("years", None)
                cols["indicators"].add(indicator, here, plan_id=plan_id)
                years_of.append((here, years))
                owners.append((plan_id, indicator.get("node_id")))
                pending += len(years)
        if pending >= 200_000:  # into columns now; the dicts can go
            values.append(_values_frame(years_of, owners, source))
            years_of, owners, pending = [], [], 0
    if lifted is not None:
        cols["indicators"].add_all(indicator_rows, indicator_wheres)
        values = [_lifted_values(lifted, owners)]
    else:
        values.append(_values_frame(years_of, owners, source))
    parts = {part: collector.frame() for part, collector in cols.items() if part != "values"}
    parts["values"] = pl.concat(values, how="vertical")
    # The history was stored grouped by annotation; the part is ordered by uid, version.
    parts["history"] = parts["history"].sort("uid", "version")
    problem = _inconsistency(parts)
    if problem:
        raise SnapshotFileError(f"{source}: not a valid snapshot: {problem}")
    return Snapshot(header, parts)


def _values_frame(
    years_of: list[tuple[str, list[dict[str, Any]]]],
    owners: list[tuple[Any, Any]],
    source: str,
) -> pl.DataFrame:
    """The years of every indicator as the ``values`` part.

    Millions of years are checked in bulk: every (key, type) pair that occurs must be one the
    schema allows, and the required keys must be there; only when that fails are they checked
    one by one, for a message that says which year of which indicator is wrong.
    """
    rows = [year for _, years in years_of for year in years]
    counts = [len(years) for _, years in years_of]
    frame = _bulk_frame(rows, _YEAR_COLUMNS, _REQUIRED["values"]) if _text_ids(owners) else None
    if frame is None:  # something is wrong: find it, with its place in the file
        collector = _Columns("values", source)
        for (where, years), (plan_id, node_id) in zip(years_of, owners, strict=True):
            for k, year in enumerate(years):
                collector.add(year, f"{where}.years[{k}]", plan_id=plan_id, node_id=node_id)
        return collector.frame()
    ids = pl.DataFrame(
        {
            "plan_id": [plan_id for plan_id, _ in owners],
            "node_id": [node_id for _, node_id in owners],
            "n": counts,
        },
        schema={"plan_id": pl.String, "node_id": pl.String, "n": pl.Int64},
    )
    spread = ids.select(pl.col("plan_id", "node_id").repeat_by("n").explode(empty_as_null=False))
    return spread.hstack(frame).select(list(VALUE_SCHEMA))


def _lifted_values(lifted: LiftedYears, owners: list[tuple[Any, Any]]) -> pl.DataFrame:
    """The ``values`` part from the years lifted out of the file, each with the ids of its
    indicator (``owners``: one per ``[[plans.indicators]]`` table, in the file's order)."""
    if len(owners) != lifted.indicators or not _text_ids(owners):
        raise _NotLifted
    ids = pl.DataFrame(
        {"plan_id": [p for p, _ in owners], "node_id": [n for _, n in owners]},
        schema={"plan_id": pl.String, "node_id": pl.String},
    )
    years = lifted.years
    frame = _cast(
        ids.select(pl.all().gather(years.get_column("_indicator")))
        .hstack(years.drop("_indicator"))
        .with_columns(pl.col("claim_mismatch").fill_null(value=False)),
        VALUE_SCHEMA,
    )
    if any(frame.get_column(name).has_nulls() for name in _REQUIRED["values"]):
        raise _NotLifted  # read the ordinary way, for a message with the place of the year
    return frame


_FACT_SOURCES: Final = ("document", "entered")


def _inconsistency(parts: Mapping[str, pl.DataFrame]) -> str | None:
    """What makes the parts of a read snapshot inconsistent, or None."""
    from workbench.analysis.glyphs import STATUSES

    def duplicated(part: str, keys: list[str]) -> bool:
        frame = parts[part].select(keys)
        if not any(column.has_nulls() for column in frame.iter_columns()) and (
            strictly_increasing(frame, keys)
        ):
            return False  # in strictly increasing order (as exported): no key twice, no hashing
        return bool(frame.is_duplicated().any())

    for part, keys in (
        ("plans", ["plan_id"]),
        ("indicators", ["plan_id", "node_id"]),
        ("values", ["plan_id", "node_id", "year"]),
        ("annotations", ["uid"]),
        ("history", ["uid", "version"]),
    ):
        if duplicated(part, keys):
            return f"{part}: the same {', '.join(keys)} twice"
    for part, column, allowed in (
        ("annotations", "state", STATES),
        ("history", "state", STATES),
        ("values", "status", STATUSES),
        ("values", "fact_source", _FACT_SOURCES),
    ):
        bad = parts[part].filter(~pl.col(column).is_in(list(allowed)))
        if bad.height:
            return f"{part}: unknown {column} {bad.get_column(column).item(0)!r}"
    current = parts["annotations"].select("uid", "version")
    missing = current.join(parts["history"], on=["uid", "version"], how="anti")
    if missing.height:
        return f"annotation {missing.item(0, 'uid')}: its version is not in its history"
    return None


# --------------------------------------------------------------------------- import


def read_file(path: str | Path) -> Snapshot:
    """A TOML snapshot file, checked (see :func:`parse_toml`); nothing is written."""
    source = Path(path)
    try:
        raw = source.read_bytes()
    except OSError as exc:
        raise SnapshotFileError(f"{source}: cannot be read ({exc.strerror})") from None
    return _read(raw, str(source), None)


def import_file(ws: Workspace, path: str | Path, *, name: str | None = None) -> ImportResult:
    """Store a TOML snapshot in the workspace and restore its annotations and facts."""
    return import_snapshot(ws, read_file(path), source=str(path), name=name)


def import_snapshot(
    ws: Workspace, snap: Snapshot, *, source: str, name: str | None = None
) -> ImportResult:
    """Store ``snap`` and restore its annotations and facts, in one transaction.

    Annotations already in the workspace (same uid) and facts already entered (same value,
    author and time) are skipped; a different snapshot with the same name is refused (import
    it under another ``name``). The restoration is one edit: undo takes it back.
    """
    if name is not None:
        snap = Snapshot({**snap.header, "name": check_name(name)}, snap.parts)
    stored = True
    if any(info.name == snap.name for info in ws.snapshots()):
        if not _same(load(ws, snap.name), snap):
            raise ValidationError(
                f"a different snapshot named {snap.name!r} is already in {ws.path} "
                "(import it under another name with --as NAME)"
            )
        stored = False
    with ws.transaction() as conn:
        if stored:
            ws.store_snapshot(conn, snap.header, _encode(snap.parts), imported_from=source)
        counts = ws.restore(
            conn,
            snap.parts["annotations"],
            snap.parts["history"],
            snap.parts["facts"],
            source=Path(source).name,
        )
    return ImportResult(snap.name, stored, *counts)


def _same(a: Snapshot, b: Snapshot) -> bool:
    return a.header == b.header and all(a.parts[p].equals(b.parts[p]) for p in PARTS)


# --------------------------------------------------------------------------- CSV


def csv_frames(snap: Snapshot) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(values, annotations) with the columns of CSV_VALUE_COLUMNS and CSV_ANNOTATION_COLUMNS."""
    return _csv_values(snap, escaped=False), _csv_annotations(snap)


def _csv_annotations(snap: Snapshot) -> pl.DataFrame:
    return snap.parts["annotations"].select(CSV_ANNOTATION_COLUMNS)


def csv_values_text(snap: Snapshot) -> pl.DataFrame:
    """The values of :func:`csv_frames` with every text field already as the CSV text Polars'
    ``write_csv`` writes for it, the per-indicator columns (:data:`_CSV_HEAD`) in one column
    and the note's (``annotation_*``) in another: ``write_csv(quote_style="never")`` of it
    gives the bytes of ``write_csv()`` of the values, faster (see :func:`_csv_field`)."""
    return _csv_values(snap, escaped=True)


# The CSV values are made and written in this many pieces (of this many rows at least).
_CSV_PIECES: Final = 4
_CSV_PIECE_ROWS: Final = 200_000


def _plan_pieces(snap: Snapshot, count: int) -> list[Snapshot]:
    """``snap`` cut into up to ``count`` snapshots of consecutive plans, each with those plans'
    values, indicators and annotations, when its values and indicators are in plan order (as a
    snapshot made here, and any in key order): the CSV values of the pieces, one after the
    other, are then those of ``snap``, which are in key order, plans first. Else, or when it
    is small, ``[snap]``."""
    parts = snap.parts
    values, indicators = parts["values"], parts["indicators"]
    if count < 2 or values.height < count * _CSV_PIECE_ROWS:
        return [snap]
    for frame in (values, indicators):
        plan_id = frame.get_column("plan_id")
        if (
            plan_id.null_count()
            or not frame.select(
                (pl.col("plan_id") >= pl.col("plan_id").shift()).fill_null(True).all()
            ).item()
        ):
            return [snap]
    # Cut before the plans at even shares of the value rows; found by binary search (the rows
    # are in plan order), the pieces of the values and indicators are slices, not copies.
    plan_ids = values.get_column("plan_id")
    cuts = sorted({plan_ids[values.height * i // count] for i in range(1, count)})
    pieces = []
    for low, high in itertools.pairwise([None, *cuts, None]):
        within = pl.lit(value=True)
        if low is not None:
            within &= pl.col("plan_id") >= low
        if high is not None:
            within &= pl.col("plan_id") < high
        pieces.append(
            Snapshot(
                snap.header,
                {
                    **parts,
                    "values": _plan_rows(values, low, high),
                    "indicators": _plan_rows(indicators, low, high),
                    "plans": parts["plans"].filter(within),
                    "annotations": parts["annotations"].filter(within),
                },
            )
        )
    return pieces


def _plan_rows(frame: pl.DataFrame, low: str | None, high: str | None) -> pl.DataFrame:
    """The rows of ``frame`` (in plan order) of the plans from ``low`` to before ``high``."""
    column = frame.get_column("plan_id")
    start = 0 if low is None else int(column.search_sorted(low, "left"))
    end = frame.height if high is None else int(column.search_sorted(high, "left"))
    return frame.slice(start, end - start)


# The leading columns that are the same on all the year rows of an indicator.
_CSV_HEAD: Final = CSV_VALUE_COLUMNS[: CSV_VALUE_COLUMNS.index("year")]
# What makes Polars quote a string field, besides being empty (with its default separator).
_CSV_SPECIAL: Final = r'[,"\r\n]'


def _csv_field(name: str) -> pl.Expr:
    """Text column ``name`` as Polars' ``write_csv`` writes a string field by default
    (separator ``,``, quote ``"``, ``quote_style="necessary"``): quoted, with each ``"``
    doubled, when it holds ``,``, ``"``, ``\\n`` or ``\\r`` or is empty (which would otherwise
    read as null); else as it is, leading and trailing spaces too. Null stays null: written as
    the empty null value in every quote style.

    A frame of such fields written with ``quote_style="never"`` — which writes strings as they
    are and everything else as the default does: the quote style only changes strings, or
    every field in the "always" and "non_numeric" styles — is byte for byte the default
    writing of the original frame (tests/test_snapshot.py checks it with hostile text in every
    column). The writer then only copies the text: at 1 000 plans it no longer scans the
    ~270 MB of the per-indicator columns for characters to quote, field by field, and that
    text is made once per indicator, not once per year row.
    """
    text = pl.col(name)
    return (
        pl.when(text.str.contains(_CSV_SPECIAL) | (text == ""))
        .then(pl.lit('"') + text.str.replace_all('"', '""', literal=True) + pl.lit('"'))
        .otherwise(text)
        .alias(name)
    )


def _csv_joined(frame: pl.DataFrame, columns: Sequence[str]) -> pl.Series:
    """The ``columns`` fields of each row as CSV text, in one string (a null field: empty).
    Its name is the header of those columns, as the default style writes it: the names need
    no quotes."""
    return (
        _csv_text_columns(frame.select(columns))
        .select(
            pl.concat_str([pl.col(c).fill_null("") for c in columns], separator=",").alias(
                ",".join(columns)
            )
        )
        .to_series()
    )


def _csv_text_columns(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with its string columns as CSV text (:func:`_csv_field`). A column with no
    field to quote (the ids and statuses, in practice) is left as it is, not copied. Whether
    any is to quote is found in one string of the column's text, joined: one fast search
    rather than one per row (millions of short statuses)."""
    text = [c for c, dtype in frame.schema.items() if dtype == pl.String]
    if not text:
        return frame
    quoted = frame.select(
        (
            pl.col(c).str.join("").str.contains(_CSV_SPECIAL)
            | (pl.col(c).str.len_bytes().min() == 0)
        ).fill_null(False)
        for c in text
    ).row(0)
    return frame.with_columns(_csv_field(c) for c, q in zip(text, quoted, strict=True) if q)


def _csv_values(snap: Snapshot, *, escaped: bool) -> pl.DataFrame:
    """The values of :func:`csv_frames`; ``escaped``: as :func:`csv_values_text` gives them."""
    parts = snap.parts
    latest = parts["annotations"].sort("updated_at", "uid")
    note_columns = {
        "uid": "annotation_uid",
        "state": "annotation_state",
        "category": "annotation_category",
        "text": "annotation_text",
        "updated_by": "annotation_author",
        "updated_at": "annotation_updated_at",
    }
    by_year = (
        latest.filter(pl.col("year").is_not_null())
        .group_by("plan_id", "node_id", "year", maintain_order=True)
        .last()
        .select("plan_id", "node_id", "year", *note_columns)
    )
    by_node = (
        latest.filter(pl.col("year").is_null())
        .group_by("plan_id", "node_id", maintain_order=True)
        .last()
        .select("plan_id", "node_id", *[pl.col(c).alias(f"{c}_node") for c in note_columns])
    )
    from workbench.analysis.status import is_sorted

    values = parts["values"]
    described = ["code", "title", "unit"]
    cities = parts["plans"].select("plan_id", "city")
    head = ",".join(_CSV_HEAD)
    runs = _key_ordered_runs(values, parts["indicators"])
    if runs is not None and cities.get_column("plan_id").is_unique().all():
        # In key order, in runs of the indicators' order (a snapshot made here): each
        # indicator's city, code, title and unit, gathered onto its rows.
        per_indicator = parts["indicators"].join(
            cities, on="plan_id", how="left", maintain_order="left"
        )
        if escaped:  # the indicator's text, made once and gathered (string views: no copy)
            values = values.with_columns(_csv_joined(per_indicator, _CSV_HEAD).gather(runs))
        else:
            values = values.with_columns(
                per_indicator.select(pl.col("city", *described).gather(runs))
            )
    else:
        if not is_sorted(values):  # an imported file's may be in another order
            values = values.sort("plan_id", "node_id", "year")
        values = values.join(cities, on="plan_id", how="left", maintain_order="left")
        gathered = _per_indicator(values, parts["indicators"], described)
        if gathered is not None:
            values = values.with_columns(gathered)
        else:
            values = values.join(
                parts["indicators"].select("plan_id", "node_id", *described),
                on=["plan_id", "node_id"],
                how="left",
                maintain_order="left",
            )
        if escaped:
            values = values.with_columns(_csv_joined(values, _CSV_HEAD))
    # A few notes among millions of values: find their rows within the plans they are on and
    # scatter them in, rather than join (hash) every value row. A row's note of its year wins
    # over its node's note: the node's are left out on rows that have one.
    found = []
    for notes, keys in (
        (by_year, ["plan_id", "node_id", "year"]),
        (by_node.rename({f"{c}_node": c for c in note_columns}), ["plan_id", "node_id"]),
    ):
        found.append(
            values.select(keys)
            .with_row_index("_row")
            .filter(pl.col("plan_id").is_in(notes.get_column("plan_id").unique().implode()))
            .join(notes, on=keys, how="inner")
            .select("_row", *note_columns)
        )
    on_year, on_node = found
    rows = pl.concat([on_year, on_node.join(on_year, on="_row", how="anti")])
    where = rows.get_column("_row")
    between = CSV_VALUE_COLUMNS[len(_CSV_HEAD) : CSV_VALUE_COLUMNS.index("annotation_uid")]
    if not escaped:
        schema = parts["annotations"].schema
        values = values.select(*_CSV_HEAD, *between).with_columns(
            pl.repeat(None, values.height, dtype=schema[c], eager=True)
            .scatter(where, rows.get_column(c))
            .alias(alias)
            for c, alias in note_columns.items()
        )
    else:
        # The note's fields in one text too, as for the indicators: on the millions of rows
        # without a note, the separators of its empty (null) fields. The writer then writes
        # one field where it wrote six, mostly nulls: ~15% less of its time.
        noted = _csv_joined(rows, list(note_columns))
        values = _csv_text_columns(values.select(between)).select(
            values.get_column(head),
            *between,
            pl.repeat("," * (len(note_columns) - 1), values.height, eager=True)
            .scatter(where, noted)
            .alias(",".join(note_columns.values())),
        )
    assert ",".join(values.columns) == ",".join(CSV_VALUE_COLUMNS)
    return values


def _key_ordered_runs(values: pl.DataFrame, indicators: pl.DataFrame) -> pl.Series | None:
    """Each value row's indicator (its row in ``indicators``) when the values are in strict key
    order in runs of the indicators' order: the indicators strictly increase by key, a run of
    rows for each, and the years strictly increase within a run. None otherwise. (Cheaper
    than checking the key order on every row: text compared only where the key changes.)"""
    from workbench.analysis.status import ordered_runs

    keys = ["plan_id", "node_id"]
    if (
        values.is_empty()
        or values.get_column("year").has_nulls()
        or not strictly_increasing(indicators, keys)
    ):
        return None
    in_order, runs = ordered_runs(values, strict=True)
    if not in_order or runs is None:
        return None
    firsts = values.select(keys).filter(runs.get_column("first"))
    if not firsts.equals(indicators.select(keys)):
        return None
    return runs.get_column("run")


def _per_indicator(
    values: pl.DataFrame, indicators: pl.DataFrame, columns: list[str]
) -> pl.DataFrame | None:
    """``columns`` of the indicator of each value row, by a gather when the values come in
    runs of one indicator in the indicators' order (as a snapshot made here does); None when
    they do not (a join is needed)."""
    runs = runs_of(values, "plan_id", "node_id")
    firsts = values.select("plan_id", "node_id").filter(runs.get_column("first"))
    if not firsts.equals(indicators.select("plan_id", "node_id")):
        return None
    return indicators.select(pl.col(columns).gather(runs.get_column("run")))


# --------------------------------------------------------------------------- diff

_VALUE_FIELDS: Final = ("baseline", "plan", "fact", "estimate", "target", "fact_source", "status")
_ANNOTATION_FIELDS: Final = ("text", "category", "state")
DIFF_SCHEMA = pl.Schema(
    {
        "what": pl.String,  # plan | value | status | annotation
        "change": pl.String,  # added | removed | changed
        "plan_id": pl.String,
        "node_id": pl.String,
        "year": pl.Int32,
        "field": pl.String,
        "before": pl.String,
        "after": pl.String,
        "ref": pl.String,  # the annotation uid, for annotations
    }
)


@dataclass(frozen=True, slots=True)
class SnapshotDiff:
    """What changed from snapshot ``a`` to ``b``: one row per change (schema DIFF_SCHEMA)."""

    a: str
    b: str
    frame: pl.DataFrame

    def counts(self) -> dict[str, int]:
        """Changes per kind: plan, value, status, annotation."""
        counted = self.frame.group_by("what").len()
        return {str(what): int(n) for what, n in counted.iter_rows()}

    def lines(self, limit: int | None = None) -> list[str]:
        rows = self.frame if limit is None else self.frame.head(limit)
        out = [_line(row) for row in rows.iter_rows(named=True)]
        if limit is not None and self.frame.height > limit:
            out.append(f"… and {self.frame.height - limit} more change(s)")
        return out

    def text(self, limit: int | None = None) -> str:
        counts = self.counts()
        if not counts:
            return f"no change from {self.a!r} to {self.b!r}"
        summary = ", ".join(
            f"{counts[k]} {k}" for k in ("plan", "value", "status", "annotation") if k in counts
        )
        head = f"from {self.a!r} to {self.b!r}: {summary} change(s)"
        return "\n".join([head, *self.lines(limit)])


def _line(row: Mapping[str, Any]) -> str:
    where = f"{row['plan_id']}"
    if row["node_id"] is not None:
        where += f"/{row['node_id']}"
    if row["year"] is not None:
        where += f" {row['year']}"
    what = row["what"]
    if what == "annotation":
        where += f" #{str(row['ref'])[:8]}"
    if row["change"] == "added":
        detail = "added" + (f": {_show(row['after'])}" if row["after"] is not None else "")
    elif row["change"] == "removed":
        detail = "removed" + (f" (was {_show(row['before'])})" if row["before"] is not None else "")
    else:
        field = f"{row['field']}: " if row["field"] and what != "status" else ""
        detail = f"{field}{_show(row['before'])} → {_show(row['after'])}"
    return f"{what} {where}: {detail}"


def _show(value: str | None) -> str:
    if value is None:
        return "—"
    flat = " ".join(value.split())
    return flat if len(flat) <= 60 else flat[:59] + "…"


def diff_snapshots(a: Snapshot, b: Snapshot) -> SnapshotDiff:
    """Plans added/removed or with another source; values and statuses; annotations."""
    frames: list[pl.DataFrame] = []
    plans_a, plans_b = a.parts["plans"], b.parts["plans"]
    frames.extend(_diff_rows(plans_a, plans_b, ["plan_id"], ("source_sha256",), "plan", "title"))
    frames.extend(
        _diff_rows(
            a.parts["values"],
            b.parts["values"],
            ["plan_id", "node_id", "year"],
            _VALUE_FIELDS,
            "value",
            "status",
        )
    )
    frames.extend(
        _diff_rows(
            a.parts["annotations"],
            b.parts["annotations"],
            ["uid"],
            _ANNOTATION_FIELDS,
            "annotation",
            "text",
            extra=("plan_id", "node_id", "year"),
        )
    )
    shaped = [_shape(frame) for frame in frames if frame.height]
    frame = pl.concat(shaped) if shaped else pl.DataFrame(schema=DIFF_SCHEMA)
    order = {"plan": 0, "value": 1, "status": 1, "annotation": 2}
    frame = frame.with_columns(
        _order=pl.col("what").replace_strict(order, return_dtype=pl.Int8)
    ).sort("plan_id", "_order", "node_id", "year", "field", nulls_last=False, maintain_order=True)
    return SnapshotDiff(a.name, b.name, frame.drop("_order"))


def _diff_rows(
    a: pl.DataFrame,
    b: pl.DataFrame,
    keys: list[str],
    fields: tuple[str, ...],
    what: str,
    label: str,
    *,
    extra: tuple[str, ...] = (),
) -> list[pl.DataFrame]:
    """Added and removed rows (shown by ``label``), and one row per changed field."""
    carried = [c for c in extra if c not in keys]
    columns = list(dict.fromkeys([*keys, *carried, *fields, label]))
    left = a.select(columns).with_columns(_in_a=pl.lit(True))
    right = b.select(columns).with_columns(_in_b=pl.lit(True))
    joined = left.join(right, on=keys, how="full", coalesce=True, suffix="_b", nulls_equal=True)

    def base(frame: pl.DataFrame, side: str) -> pl.DataFrame:
        suffix = "_b" if side == "b" else ""
        return frame.select(
            *[pl.col(k) for k in keys],
            *[pl.col(f"{c}{suffix}").alias(c) for c in carried],
        )

    out = []
    added = joined.filter(pl.col("_in_a").is_null())
    out.append(
        base(added, "b").with_columns(
            what=pl.lit(what),
            change=pl.lit("added"),
            field=pl.lit(None, pl.String),
            before=pl.lit(None, pl.String),
            after=added.get_column(f"{label}_b" if label not in keys else label).cast(pl.String),
        )
    )
    removed = joined.filter(pl.col("_in_b").is_null())
    out.append(
        base(removed, "a").with_columns(
            what=pl.lit(what),
            change=pl.lit("removed"),
            field=pl.lit(None, pl.String),
            before=removed.get_column(label).cast(pl.String),
            after=pl.lit(None, pl.String),
        )
    )
    both = joined.filter(pl.col("_in_a").fill_null(False) & pl.col("_in_b").fill_null(False))
    for field in fields:
        changed = both.filter(~pl.col(field).eq_missing(pl.col(f"{field}_b")))
        kind = "status" if field == "status" else what
        out.append(
            base(changed, "a").with_columns(
                what=pl.lit(kind),
                change=pl.lit("changed"),
                field=pl.lit(field),
                before=changed.get_column(field).cast(pl.String),
                after=changed.get_column(f"{field}_b").cast(pl.String),
            )
        )
    if what == "annotation":
        out = [frame.rename({"uid": "ref"}) for frame in out]
    return out


def _shape(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select(
        [
            (pl.col(name) if name in frame.columns else pl.lit(None)).cast(dtype).alias(name)
            for name, dtype in DIFF_SCHEMA.items()
        ]
    )


def diff(ws: Workspace, a: str, b: str) -> SnapshotDiff:
    """What changed from stored snapshot ``a`` to stored snapshot ``b``."""
    return diff_snapshots(load(ws, a), load(ws, b))
