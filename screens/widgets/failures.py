"""Every screen that runs background work mixes in :class:`ReportsFailures`.

The workers run with ``exit_on_error=False``, so what one raises never ends the app; Textual
then tells only the screen that started the worker (``Worker.StateChanged`` does not bubble).
This hands the error on to the app as :class:`screens.messages.WorkerFailed`, which bubbles, and
the app's one handler (``WorkbenchApp.on_worker_failed``) says it on the screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.worker import Worker, WorkerState

from screens.messages import WorkerFailed
from workbench.i18n import _

if TYPE_CHECKING:
    from textual.screen import Screen

    _Base = Screen[Any]
else:
    _Base = object


class ReportsFailures(_Base):
    """Mixed into a Screen: a worker of it that failed is reported to the app."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if event.state is WorkerState.ERROR and worker.error is not None:
            # Bubbles from the screen to the app.
            self.post_message(
                WorkerFailed(
                    _(worker.name) if worker.name else _("A background task"), worker.error
                )
            )
