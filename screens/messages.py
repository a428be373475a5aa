"""What the screens ask of the app: they post these messages and the app (screens/app.py)
opens the next screen, so no screen imports another.

Every request bubbles from the screen that posts it to the app. A form's result comes back to
the screen that asked as :class:`Saved`; a jump back into the tree as :class:`JumpTo`, posted to
the main screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.message import Message

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from textual.screen import Screen

    from workbench.workspace.annotation_store import Annotation
    from workbench.workspace.fact_store import Fact
    from workbench.workspace.store import Workspace


@dataclass(frozen=True)
class Scope:
    """What a view is about: a city, a plan, or a node's subtree (``label`` for the top bar)."""

    label: str
    city: str | None = None
    plan_id: str | None = None
    node_id: str | None = None

    def query(self) -> dict[str, str | None]:
        return {"city": self.city, "plan_id": self.plan_id, "node_id": self.node_id}


class OpenActivities(Message):
    """Open the activities of ``scope`` (``via_indicator``: those of the indicator's goal or
    task; ``body``: one responsible body's only)."""

    def __init__(
        self,
        scope: Scope,
        *,
        via_indicator: bool = False,
        body: str | None = None,
        sort: str = "position",
        as_of: date | None = None,
    ) -> None:
        self.scope = scope
        self.via_indicator = via_indicator
        self.body = body
        self.sort = sort
        self.as_of = as_of
        super().__init__()


class OpenFunding(Message):
    """Open the funding of ``scope``."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        super().__init__()


class OpenBody(Message):
    """Open one responsible body's work (``code`` None: choose the body first)."""

    def __init__(self, code: str | None, *, as_of: date | None = None) -> None:
        self.code = code
        self.as_of = as_of
        super().__init__()


class JumpTo(Message):
    """Put the tree's cursor on (plan_id, node_id): the app closes the views above the main
    screen and hands it on."""

    def __init__(self, key: tuple[str, str]) -> None:
        self.key = key
        super().__init__()


class OpenSnapshots(Message):
    """List the workspace's snapshots."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        super().__init__()


class OpenDiff(Message):
    """Compare snapshot ``a`` with ``b``."""

    def __init__(self, ws: Workspace, a: str, b: str) -> None:
        self.ws = ws
        self.a = a
        self.b = b
        super().__init__()


class EditAnnotation(Message):
    """Open the annotation form on a node (``year`` None: the node as a whole); the saved
    annotation comes back to ``origin`` as :class:`Saved`."""

    def __init__(
        self, origin: Screen[Any], plan_id: str, node_id: str, year: int | None, heading: Text
    ) -> None:
        self.origin = origin
        self.plan_id = plan_id
        self.node_id = node_id
        self.year = year
        self.heading = heading
        super().__init__()


class EnterFact(Message):
    """Open the fact form on an indicator and year; the saved fact comes back to ``origin``.

    ``heading`` draws the form's heading for a year, so it follows the year typed."""

    def __init__(
        self,
        origin: Screen[Any],
        plan_id: str,
        node_id: str,
        year: int | None,
        heading: Callable[[int | None], Text],
        unit: str | None,
    ) -> None:
        self.origin = origin
        self.plan_id = plan_id
        self.node_id = node_id
        self.year = year
        self.heading = heading
        self.unit = unit
        super().__init__()


class SetPolarity(Message):
    """Open the polarity picker on an indicator: ``current`` is what its status uses
    (:meth:`workbench.analysis.catalog.Catalog.polarity_of`), ``review`` why its own words
    disagree (or None). The app says "saved" and has the statuses counted again."""

    def __init__(
        self,
        origin: Screen[Any],
        plan_id: str,
        node_id: str,
        heading: Text,
        current: dict[str, Any],
        review: str | None,
    ) -> None:
        self.origin = origin
        self.plan_id = plan_id
        self.node_id = node_id
        self.heading = heading
        self.current = current
        self.review = review
        super().__init__()


class Saved(Message):
    """A form saved ``record`` (committed to the workspace): posted to the screen that asked."""

    def __init__(self, record: Annotation | Fact) -> None:
        self.record = record
        super().__init__()


class OpenImport(Message):
    """Ask for a document's path and open the import view on it."""


class PlanAdded(Message):
    """The import view added plan ``plan_id`` to the dataset ``folder``: show it in the tree."""

    def __init__(self, plan_id: str, folder: Path) -> None:
        self.plan_id = plan_id
        self.folder = folder
        super().__init__()


class WorkerFailed(Message):
    """A background task raised ``error``: the app says so on the screen and goes on."""

    def __init__(self, task: str, error: BaseException) -> None:
        self.task = task
        self.error = error
        super().__init__()
