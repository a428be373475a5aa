"""The error types the core raises for bad input (never a bare traceback for the user)."""

from __future__ import annotations


class WorkbenchError(Exception):
    """Base of every error the command line reports as one clean line."""


class DocumentError(WorkbenchError):
    """A document cannot be read: names the file, the line (when known) and what was expected."""

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.message = message
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}")


class NumberParseError(ValueError):
    """A cell that should hold a number or an amount holds something else."""

    def __init__(self, raw: str, expected: str = "a number") -> None:
        self.raw = raw
        super().__init__(f"expected {expected}, got {raw!r}")


class DatasetError(WorkbenchError):
    """A dataset folder is missing, unreadable or not in the canonical shape."""


class WorkspaceError(WorkbenchError):
    """The workspace file cannot be used: not a workspace, damaged, newer, busy, unwritable."""


class ValidationError(WorkbenchError):
    """An edit is refused for bad input; nothing was written."""
