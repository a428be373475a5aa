"""``P``: set the polarity of the selected indicator — higher is better, lower is better, a
level to hold — or clear the one set, so the document's counts again.

The heading says which polarity the status uses now and where it comes from, and why the
indicator's own words disagree when they do ("polarity: review"). Choosing an entry saves it
through the workspace store (one transaction, committed before the form closes); a refusal (a
read-only workspace) stays in the form. The app then says "saved" and has the statuses counted
again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from screens.labels import clean
from workbench.dataset.polarity import POLARITY_NAMES
from workbench.errors import WorkbenchError
from workbench.i18n import N_, _

if TYPE_CHECKING:
    from workbench.workspace.polarity_store import PolaritySetting
    from workbench.workspace.session import Session

CLEAR = "clear"


class PolarityForm(ModalScreen["PolaritySetting | None"]):
    """A short list of polarities; dismissed with the saved setting, or None."""

    BINDINGS: ClassVar = [Binding("escape", "cancel", N_("Cancel"), show=False)]
    DEFAULT_CSS = """
    PolarityForm {
        align: center middle;
        & > Vertical {
            width: 76;
            max-width: 100%;
            height: auto;
            max-height: 100%;
            border: round $primary;
            border-title-align: center;
            border-subtitle-align: center;
            padding: 0 1;
            background: $surface;
        }
        & #polarity-head { height: auto; }
        & #polarity-now { height: auto; margin-top: 1; color: $foreground-muted; }
        & #polarity-review { height: auto; color: $warning; }
        & OptionList { border: none; height: auto; margin-top: 1; padding: 0; }
        & #polarity-error { height: auto; color: $error; text-style: bold; }
    }
    """

    def __init__(
        self,
        session: Session,
        plan_id: str,
        node_id: str,
        heading: Text,
        current: dict[str, Any],
        review: str | None,
    ) -> None:
        super().__init__()
        self.session = session
        self.plan_id = plan_id
        self.node_id = node_id
        self.heading = heading
        self.current = current
        self.review = review

    def compose(self) -> Any:
        with Vertical() as box:
            box.border_title = _("Polarity")
            box.border_subtitle = _("↑↓ move · Enter saves · Esc cancels")
            yield Static(self.heading, id="polarity-head")
            yield Static(self._now(), id="polarity-now")
            if self.review:
                review = Text(_("polarity: review") + " — ")
                review.append(clean(self.review))
                yield Static(review, id="polarity-review")
            yield OptionList(*self._options(), id="polarity-options")
            yield Static("", id="polarity-error")

    def _now(self) -> Text:
        polarity = str(self.current.get("polarity") or "increase")
        name = _(POLARITY_NAMES.get(polarity, polarity))
        if self.current.get("source") == "analyst":
            document = str(self.current.get("document") or "increase")
            text = _("Now: {polarity}, set by {author}; the document's: {document}").format(
                polarity=name,
                author=clean(self.current.get("author")),
                document=_(POLARITY_NAMES.get(document, document)),
            )
        else:
            text = _("Now: {polarity}, from the document").format(polarity=name)
        return Text(text)

    def _options(self) -> list[Option]:
        options = [
            Option(Text(_(POLARITY_NAMES[name])), id=name)
            for name in ("increase", "decrease", "target")
        ]
        if self.current.get("source") == "analyst":
            options.append(Option(Text(_("clear: the document's polarity counts")), id=CLEAR))
        return options

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        ids = [option.id for option in options.options]
        polarity = self.current.get("polarity")
        options.highlighted = ids.index(polarity) if polarity in ids else 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        try:
            saved = self._save(str(event.option.id))
        except WorkbenchError as exc:
            self.query_one("#polarity-error", Static).update(Text(clean(str(exc))))
            return
        self.dismiss(saved)  # not awaited: this runs inside a message handler

    def _save(self, choice: str) -> PolaritySetting:
        """Through the store: one transaction, committed when it returns."""
        ws = self.session.workspace()
        if choice == CLEAR:
            return ws.clear_polarity(self.plan_id, self.node_id)
        return ws.set_polarity(self.plan_id, self.node_id, choice)

    def action_cancel(self) -> None:
        self.dismiss(None)
