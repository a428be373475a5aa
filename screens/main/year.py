"""``y``: choose the year the statuses and roll-ups are counted at."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from workbench.i18n import _

LATEST = "latest"


class YearScreen(ModalScreen[int | str | None]):
    """A list of years; dismissed with the year, ``LATEST``, or None when cancelled."""

    BINDINGS: ClassVar = [
        Binding("escape,q", "cancel", "Cancel", show=False),
        Binding("j", "move('down')", show=False),
        Binding("k", "move('up')", show=False),
    ]
    DEFAULT_CSS = """
    YearScreen {
        align: center middle;
        & > OptionList {
            width: 48;
            max-height: 80%;
            border: round $primary;
            border-title-align: center;
        }
    }
    """

    def __init__(self, years: dict[int, int], current: int | None) -> None:
        super().__init__()
        self.years = years
        self.current = current

    def compose(self) -> Any:
        options = [Option(Text(_("Latest year with data, per indicator")), id=LATEST)]
        for year in sorted(self.years):
            count = self.years[year]
            label = f"{year}   " + _("{count} indicator(s) with plan and fact").format(count=count)
            options.append(Option(Text(label), id=str(year)))
        menu = OptionList(*options, id="year-list")
        menu.border_title = _("Count statuses at (Enter)")
        yield menu

    def on_mount(self) -> None:
        menu = self.query_one(OptionList)
        wanted = LATEST if self.current is None else str(self.current)
        for index in range(menu.option_count):
            if menu.get_option_at_index(index).id == wanted:
                menu.highlighted = index
        menu.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        choice = event.option.id
        self.dismiss(LATEST if choice == LATEST else int(str(choice)))

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_move(self, direction: str) -> None:
        menu = self.query_one(OptionList)
        if direction == "down":
            menu.action_cursor_down()
        else:
            menu.action_cursor_up()
