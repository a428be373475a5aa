"""``workbench plans [DIR]``: the plans of a dataset, one line each."""

from __future__ import annotations

import argparse

from workbench.commands.common import data_folder
from workbench.i18n import _


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", nargs="?", metavar="DIR")


def run(args: argparse.Namespace) -> int:
    import polars as pl

    from workbench.analysis.labels import plan_label
    from workbench.dataset import parquet_folder

    folder = data_folder(args, getattr(args, "folder", None))
    tables = parquet_folder.read(folder)
    summary = tables["plans"]
    for table, label in (("nodes", "nodes"), ("indicators", "indicators"), ("activities", "acts")):
        counts = tables[table].group_by("plan_id").len(name=label)
        summary = summary.join(counts, on="plan_id", how="left")
    summary = summary.with_columns(pl.col("nodes", "indicators", "acts").fill_null(0))
    print(_("{count} plan(s) in {folder}").format(count=summary.height, folder=folder))
    for row in summary.sort("plan_id").iter_rows(named=True):
        print(
            f"{row['plan_id']}: {row['city']} ({row['city_native']}, {row['country']}), "
            f"{plan_label(row)}; "
            + _("{nodes} nodes, {indicators} indicators, {acts} activities").format(
                nodes=row["nodes"], indicators=row["indicators"], acts=row["acts"]
            )
        )
    return 0
