"""Settings from ``config.toml``: found, read with tomllib, validated strictly.

Discovery: ``--config PATH``, else ``$WORKBENCH_CONFIG``, else ``config.toml`` in the current
folder, else the one beside the package (the project's own defaults). Unknown keys and wrong types
are refused with a message naming the file and the key.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.i18n import LANGUAGES, _
from workbench.keymap import check_keymap

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ConfigError(WorkbenchError):
    """config.toml is unreadable or holds an unknown key or a value of the wrong type."""


DEFAULT_CATEGORIES = (
    "data not yet published",
    "methodology changed",
    "funding delayed",
    "external factors",
    "plan unrealistic",
    "data error",
    "other",
)


# An annotation's text, in characters ([annotations] max_length): eleven megabytes of notes on
# one node made every cursor move on the screen take seconds.
MAX_ANNOTATION_LENGTH = 10_000


@dataclass(frozen=True, slots=True)
class Config:
    path: Path | None
    data: Path
    met: float = 1.0
    amber: float = 0.9
    workspace: Path | None = None
    author: str | None = None
    categories: tuple[str, ...] = DEFAULT_CATEGORIES
    annotation_max_length: int = MAX_ANNOTATION_LENGTH  # characters of one annotation's text
    theme: str = "dark"
    keys: dict[str, str] = field(default_factory=dict)
    lang: str | None = None


_SCHEMA: dict[str, dict[str, type | tuple[type, ...]]] = {
    "paths": {"data": str},
    "status": {"met": (int, float), "amber": (int, float)},
    "workspace": {"path": str, "author": str},
    "annotations": {"categories": list, "max_length": int},
    "ui": {"theme": str, "lang": str},
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
        raise ConfigError(_("{path}: no such config file").format(path=path)) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(_("{path}: not valid TOML ({exc})").format(path=path, exc=exc)) from None
    for section, body in raw.items():
        if section not in _SCHEMA and section != "keys":
            raise ConfigError(
                _("{path}: unknown section [{section}]").format(path=path, section=section)
            )
        if not isinstance(body, dict):
            raise ConfigError(
                _("{path}: {section} must be a table").format(path=path, section=section)
            )
        if section == "keys":
            for key, value in body.items():
                if not isinstance(value, str) or not value:
                    raise ConfigError(
                        _("{path}: keys.{key} must be a key name such as 'ctrl+q'").format(
                            path=path, key=key
                        )
                    )
            problem = check_keymap(body)
            if problem:
                raise ConfigError(f"{path}: {problem}")
            continue
        for key, value in body.items():
            expected = _SCHEMA[section].get(key)
            if expected is None:
                raise ConfigError(
                    _("{path}: unknown key {section}.{key}").format(
                        path=path, section=section, key=key
                    )
                )
            if not isinstance(value, expected) or isinstance(value, bool):
                raise ConfigError(
                    _("{path}: {section}.{key} has the wrong type ({value})").format(
                        path=path, section=section, key=key, value=repr(value)
                    )
                )
    paths = raw.get("paths", {})
    status = raw.get("status", {})
    data = Path(paths.get("data", "data/plans"))
    if not data.is_absolute():
        data = path.parent / data
    met = float(status.get("met", 1.0))
    amber = float(status.get("amber", 0.9))
    if not 0 < amber <= met:
        raise ConfigError(
            _("{path}: status.amber must be above 0 and not above status.met").format(path=path)
        )
    workspace_raw = raw.get("workspace", {})
    workspace = Path(workspace_raw["path"]) if workspace_raw.get("path") else None
    if workspace is not None and not workspace.is_absolute():
        workspace = path.parent / workspace
    categories = raw.get("annotations", {}).get("categories", list(DEFAULT_CATEGORIES))
    if not categories or not all(isinstance(c, str) and c for c in categories):
        raise ConfigError(
            _("{path}: annotations.categories must be a list of names").format(path=path)
        )
    max_length = raw.get("annotations", {}).get("max_length", MAX_ANNOTATION_LENGTH)
    if max_length < 1:
        raise ConfigError(
            _("{path}: annotations.max_length must be a number of characters above 0").format(
                path=path
            )
        )
    theme = raw.get("ui", {}).get("theme", "dark")
    if theme not in ("dark", "light"):
        raise ConfigError(
            _("{path}: ui.theme must be 'dark' or 'light', not {theme}").format(
                path=path, theme=repr(theme)
            )
        )
    lang = raw.get("ui", {}).get("lang")
    if lang is not None and lang not in LANGUAGES:
        raise ConfigError(
            _("{path}: ui.lang must be one of {known}, not {lang}").format(
                path=path, known=", ".join(LANGUAGES), lang=repr(lang)
            )
        )
    return Config(
        path=path,
        data=data,
        met=met,
        amber=amber,
        workspace=workspace,
        author=workspace_raw.get("author") or None,
        categories=tuple(categories),
        annotation_max_length=max_length,
        theme=theme,
        keys=dict(raw.get("keys", {})),
        lang=lang,
    )
