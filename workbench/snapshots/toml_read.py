"""Reading a snapshot TOML file back into a :class:`~workbench.snapshots.model.Snapshot`.

Everything is checked: the format and its version, the header, every record's keys and types
(a message names the record, e.g. ``plans[3].indicators[7].years[2]``) and the parts'
consistency (no key twice, known states and statuses, each annotation's version in its
history). Nothing is written.

Only a regular file is read, and only up to a size limit (:data:`MAX_BYTES` unless the caller
raises it): a device such as ``/dev/zero`` or a FIFO is refused at once, without waiting on it.

A file is read a plan at a time (each ``[[plans]]`` table by the parser alone), and the years,
as the workbench lays them out, in bulk by :mod:`workbench.snapshots.toml_years`; a file laid
out otherwise, or one with a problem whose message should name the file's own line, is read
whole by the parser.

Public API::

    read_file(path, max_bytes=MAX_BYTES, bulk_years=True) -> Snapshot
    parse_toml(text, source="snapshot", bulk_years=True)  -> Snapshot
    MAX_BYTES
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Final

import polars as pl
import rtoml

from workbench.dataset.contract import POLARITIES
from workbench.dataset.hierarchy import strictly_increasing
from workbench.dataset.input_files import read_regular_file
from workbench.errors import DocumentError, ValidationError
from workbench.i18n import N_, _
from workbench.snapshots.model import (
    FORMAT,
    FORMAT_VERSION,
    HEADER_KEYS,
    PARTS,
    REQUIRED,
    VALUE_SCHEMA,
    YEAR_COLUMNS,
    Snapshot,
    SnapshotFileError,
    check_name,
    conform,
)
from workbench.snapshots.toml_years import LiftedYears, lift_years
from workbench.workspace.edit_checks import STATES

# The largest file read unless the caller allows more: a snapshot of 1 000 synthetic plans
# fits (bench/bench_workspace.py prints its size); reading takes several times this in memory.
MAX_BYTES: Final = 512 * 1024 * 1024


def read_file(path: str | Path, *, max_bytes: int = MAX_BYTES, bulk_years: bool = True) -> Snapshot:
    """A TOML snapshot file, checked (see :func:`parse_toml`); nothing is written."""
    source = Path(path)
    return _read(_regular_file_bytes(source, max_bytes), str(source), None, bulk_years)


def _regular_file_bytes(source: Path, max_bytes: int) -> bytes:
    """The bytes of ``source``, a regular file of at most ``max_bytes``; else SnapshotFileError."""
    try:
        return read_regular_file(source, max_size=max_bytes, expected=N_("a snapshot file"))
    except DocumentError as exc:
        raise SnapshotFileError(str(exc)) from None


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
        self.required = set(REQUIRED[part])
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
                    _("{source}: not a valid snapshot: {where}: unknown key {key}").format(
                        source=self.source, where=where, key=repr(key)
                    )
                )
        for name, allowed, is_int32, is_float in self.checks:
            value: Any = row.get(name)
            if value is None:
                if name == "claim_mismatch":
                    value = False
                elif name in self.required:
                    raise SnapshotFileError(
                        _("{source}: not a valid snapshot: {where}: {name} is missing").format(
                            source=self.source, where=where, name=repr(name)
                        )
                    )
            else:
                if not isinstance(value, allowed) or (
                    isinstance(value, bool) and bool not in allowed
                ):
                    raise SnapshotFileError(
                        _(
                            "{source}: not a valid snapshot: {where}: {name} has the wrong type "
                            "({found})"
                        ).format(
                            source=self.source,
                            where=where,
                            name=repr(name),
                            found=type(value).__name__,
                        )
                    )
                if is_int32 and isinstance(value, int) and not -(2**31) <= value < 2**31:
                    raise SnapshotFileError(
                        _(
                            "{source}: not a valid snapshot: {where}: {name} is out of range "
                            "({value})"
                        ).format(source=self.source, where=where, name=repr(name), value=value)
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
                _("{source}: not a valid snapshot: {part}: {first}").format(
                    source=self.source, part=self.part, first=first
                )
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
            _("{source}: not a valid snapshot: {where}{key} must be a list of tables").format(
                source=source, where=where, key=key
            )
        )
    return value


def parse_toml(text: str, source: str = "snapshot", *, bulk_years: bool = True) -> Snapshot:
    """Read a snapshot TOML; refuse anything that is not one, or is from a newer format.

    ``bulk_years=False``: the parser reads the years too (the same result, slower at scale;
    for the tests and the bench that compare the two)."""
    return _read(text.encode("utf-8"), source, text, bulk_years)


def _read(raw: bytes, source: str, text: str | None, bulk_years: bool) -> Snapshot:
    """The snapshot in the file ``raw`` (``text``: its UTF-8 reading, when already made)."""
    # As the workbench lays it out, the years are read in bulk and the parser reads the
    # rest; anything else about the file (or a problem in it, whose message should name
    # the file's own line) and it is read the ordinary way.
    lifted = lift_years(raw, YEAR_COLUMNS) if bulk_years else None
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
            raise SnapshotFileError(
                _("{source}: not a snapshot (not UTF-8 text)").format(source=source)
            ) from None
    try:
        return _parse_toml(text, source, by_plan=True)
    except _WholeFile:
        return _parse_toml(text, source, by_plan=False)


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
        raise SnapshotFileError(
            _("{source}: not a snapshot (not valid TOML: {exc})").format(source=source, exc=exc)
        ) from None


def _by_plan(text: str) -> tuple[str, list[str]]:
    """The text before the first ``[[plans]]`` table and each plan's own text from its
    ``[[plans]]`` line on; ``(text, [])`` when it cannot be cut so.

    Read whole, a large snapshot becomes many times its size in Python objects and takes
    longer; a plan at a time holds one plan's. A line ``[[plans]]`` opens a plan's
    table wherever it stands, except inside a multi-line string: a file with one is read whole.
    """
    if '"""' in text or "'''" in text:
        return text, []
    # Each piece is one slice of the text, from its line [[plans]] to the line break before the
    # next (a partition, a split and a concatenation per plan copied the text three times).
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
    :func:`~workbench.snapshots.toml_years.lift_years`) and the years come from there."""
    head, pieces = _by_plan(text) if by_plan else (text, [])
    doc = _loads(head, source)
    if pieces and "plans" in doc:
        raise _WholeFile
    if doc.get("format") != FORMAT:
        raise SnapshotFileError(
            _("{source}: not a Plan Workbench snapshot (no format = {format})").format(
                source=source, format=repr(FORMAT)
            )
        )
    version = doc.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise SnapshotFileError(
            _("{source}: not a valid snapshot (bad format_version {version})").format(
                source=source, version=repr(version)
            )
        )
    if version > FORMAT_VERSION:
        raise SnapshotFileError(
            _(
                "{source}: snapshot format {version} is newer than this workbench reads "
                "({format_version}); update the workbench"
            ).format(source=source, version=version, format_version=FORMAT_VERSION)
        )
    header: dict[str, Any] = {}
    for key in HEADER_KEYS:
        value: Any = doc.get(key)
        expected: tuple[type, ...] = (float, int) if key in ("met", "amber") else (str,)
        if key == "format_version":
            expected = (int,)
        if value is None or not isinstance(value, expected) or isinstance(value, bool):
            raise SnapshotFileError(
                _("{source}: not a valid snapshot: header {key} missing or wrong").format(
                    source=source, key=repr(key)
                )
            )
        header[key] = float(value) if isinstance(value, int) and key != "format_version" else value
    known = set(HEADER_KEYS) | {"annotations", "facts", "polarities", "rollup", "plans"}
    unknown = set(doc) - known
    if unknown:
        raise SnapshotFileError(
            _("{source}: not a valid snapshot: unknown key(s) {keys}").format(
                source=source, keys=sorted(unknown)
            )
        )
    try:
        header["name"] = check_name(header["name"])
    except ValidationError as exc:
        raise SnapshotFileError(
            _("{source}: not a valid snapshot: {exc}").format(source=source, exc=exc)
        ) from None

    cols = {part: _Columns(part, source) for part in PARTS}
    for i, record in enumerate(_list(doc, "annotations", source, "")):
        where = f"annotations[{i}]"
        record = dict(record)
        history = record.pop("history", [])
        if not isinstance(history, list) or not history:
            raise SnapshotFileError(
                _("{source}: not a valid snapshot: {where}: no history").format(
                    source=source, where=where
                )
            )
        cols["annotations"].add(record, where)
        for j, version in enumerate(history):
            if not isinstance(version, dict):
                raise SnapshotFileError(
                    _("{source}: not a valid snapshot: {where}.history[{j}]").format(
                        source=source, where=where, j=j
                    )
                )
            cols["history"].add(version, f"{where}.history[{j}]", uid=record.get("uid"))
    for i, record in enumerate(_list(doc, "facts", source, "")):
        cols["facts"].add(record, f"facts[{i}]")
    for i, record in enumerate(_list(doc, "polarities", source, "")):
        cols["polarities"].add(record, f"polarities[{i}]")
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
        raise SnapshotFileError(
            _("{source}: not a valid snapshot: {problem}").format(source=source, problem=problem)
        )
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
    frame = _bulk_frame(rows, YEAR_COLUMNS, REQUIRED["values"]) if _text_ids(owners) else None
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
    frame = conform(
        ids.select(pl.all().gather(years.get_column("_indicator")))
        .hstack(years.drop("_indicator"))
        .with_columns(pl.col("claim_mismatch").fill_null(value=False)),
        VALUE_SCHEMA,
    )
    if any(frame.get_column(name).has_nulls() for name in REQUIRED["values"]):
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
        ("polarities", ["plan_id", "node_id"]),
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
        ("polarities", "polarity", POLARITIES),
        ("indicators", "polarity", POLARITIES),
        ("indicators", "polarity_source", ("analyst",)),
    ):
        bad = parts[part].filter(~pl.col(column).is_in(list(allowed)))
        if bad.height:
            return f"{part}: unknown {column} {bad.get_column(column).item(0)!r}"
    current = parts["annotations"].select("uid", "version")
    missing = current.join(parts["history"], on=["uid", "version"], how="anti")
    if missing.height:
        return f"annotation {missing.item(0, 'uid')}: its version is not in its history"
    return None
