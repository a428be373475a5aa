"""What several subcommands share: finding the dataset folder."""

from __future__ import annotations

import argparse
from pathlib import Path


def data_folder(args: argparse.Namespace, given: str | None = None) -> Path:
    """The dataset folder: the one given, else ``--data``, else the one config.toml names."""
    chosen = given or getattr(args, "data", None)
    if chosen:
        return Path(chosen)
    from workbench.config import load_config

    return load_config(getattr(args, "config", None)).data
