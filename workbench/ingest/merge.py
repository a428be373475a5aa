"""Parsed documents into the canonical dataset: each document's plan replaces the plan with the
same id, and the vocabulary is linked again over the whole (:func:`link_vocabulary`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import polars as pl

from workbench.dataset import parquet_folder
from workbench.dataset.contract import TABLES, empty_frame
from workbench.dataset.parquet_folder import Tables, canonical_order, empty
from workbench.ingest.document import ParsedDocument, build_tables
from workbench.ingest.vocabulary import link_vocabulary


def from_documents(documents: Iterable[ParsedDocument]) -> Tables:
    return merge(empty(), documents)


def merge(existing: Mapping[str, pl.DataFrame], documents: Iterable[ParsedDocument]) -> Tables:
    """Add documents to a dataset; a document's plan replaces any plan with the same id."""
    # The last document of a plan wins; the frames are filtered and joined once, not per
    # document (that was quadratic in the number of documents).
    latest = {document.plan_id: document for document in documents}
    replaced = list(latest)
    # Each table of the documents is built once from all their rows.
    added = build_tables(latest.values())
    tables: Tables = {}
    for table in TABLES:
        frame = existing.get(table, empty_frame(table))
        if "plan_id" in frame.columns:
            frame = frame.filter(~pl.col("plan_id").is_in(replaced))
        tables[table] = pl.concat([frame, added[table]], how="vertical")
    known = {
        key: codes
        for document in latest.values()
        for key, codes in (document.body_codes or {}).items()
    }
    tables = link_vocabulary(tables, known)
    return {table: canonical_order(table, frame) for table, frame in tables.items()}


def add_to_folder(
    folder: str | Path, documents: Iterable[ParsedDocument], *, replace_all: bool = False
) -> None:
    """Merge documents into the dataset folder (or, with ``replace_all``, make it theirs alone)
    and write it; OSError when it cannot be written."""
    existing = empty() if replace_all else parquet_folder.read_or_empty(folder)
    parquet_folder.write(merge(existing, documents), folder)
