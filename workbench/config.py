"""Settings from ``config.toml``: found, read with tomllib, validated strictly.

Discovery: ``--config PATH``, else ``$WORKBENCH_CONFIG``, else ``config.toml`` in the current
folder, else the one beside the package (the project's own defaults). Unknown keys and wrong types
are refused with a message naming the file and the key.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from workbench.errors import WorkbenchError

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ConfigError(WorkbenchError):
    """config.toml is unreadable or holds an unknown key or a value of the wrong type."""


@dataclass(frozen=True, slots=True)
class Config:
    path: Path | None
    data: Path
    met: float = 1.0
    amber: float = 0.9


_SCHEMA: dict[str, dict[str, type | tuple[type, ...]]] = {
    "paths": {"data": str},
    "status": {"met": (int, float), "amber": (int, float)},
}


def find_config(explicit: str | Path | None = None) -> Path | None:
    if explicit is not None:
        return Path(explicit)
    env = os.environ.get("WORKBENCH_CONFIG")
    if env:
        return Path(env)
    here = Path.cwd() / "config.toml"
    if here.is_file():
        return here
    bundled = PROJECT_ROOT / "config.toml"
    return bundled if bundled.is_file() else None


def load_config(explicit: str | Path | None = None) -> Config:
    path = find_config(explicit)
    if path is None:
        return Config(path=None, data=PROJECT_ROOT / "data" / "plans")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such config file") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    for section, body in raw.items():
        if section not in _SCHEMA:
            raise ConfigError(f"{path}: unknown section [{section}]")
        if not isinstance(body, dict):
            raise ConfigError(f"{path}: {section} must be a table")
        for key, value in body.items():
            expected = _SCHEMA[section].get(key)
            if expected is None:
                raise ConfigError(f"{path}: unknown key {section}.{key}")
            if not isinstance(value, expected) or isinstance(value, bool):
                raise ConfigError(f"{path}: {section}.{key} has the wrong type ({value!r})")
    paths = raw.get("paths", {})
    status = raw.get("status", {})
    data = Path(paths.get("data", "data/plans"))
    if not data.is_absolute():
        data = path.parent / data
    met = float(status.get("met", 1.0))
    amber = float(status.get("amber", 0.9))
    if not 0 < amber <= met:
        raise ConfigError(f"{path}: status.amber must be above 0 and not above status.met")
    return Config(path=path, data=data, met=met, amber=amber)
