"""A plotext chart of an indicator over the years: plan against fact, baseline and estimate.

One plotext figure per widget (``self.plt``), never plotext's global state, sized to the widget
when it renders. Series differ by marker as well as colour, so the chart reads without colour.
plotext is imported when the first chart is drawn, not when the app starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.widget import Widget

from screens.compat import plot_figure


@dataclass(frozen=True, slots=True)
class Series:
    label: str
    years: tuple[int, ...]
    values: tuple[float, ...]
    marker: str
    color: str


class PlanChart(Widget):
    """Lines over the years; draws nothing when fewer than two years have a value."""

    DEFAULT_CSS = """
    PlanChart {
        height: 12;
        width: 1fr;
    }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.plt: Any = None
        self._series: tuple[Series, ...] = ()
        self._years: tuple[int, ...] = ()

    def plot(self, series: list[Series]) -> None:
        """Show these series (empty or fewer than two years: the widget hides)."""
        kept = tuple(s for s in series if s.years)
        years = sorted({y for s in kept for y in s.years})
        self._series = kept
        self._years = tuple(years)
        self.display = len(years) >= 2
        self.refresh()

    @property
    def drawn(self) -> bool:
        return len(self._years) >= 2

    def render(self) -> Text:
        if not self.drawn or self.size.width < 20 or self.size.height < 5:
            return Text("")
        if self.plt is None:
            self.plt = plot_figure()
        plt = self.plt
        plt.clear_figure()
        plt.theme("clear")
        plt.plot_size(self.size.width, self.size.height)
        for item in self._series:
            plt.plot(
                list(item.years),
                list(item.values),
                label=item.label,
                marker=item.marker,
                color=item.color,
            )
        step = max(1, len(self._years) // max(1, (self.size.width - 8) // 6))
        ticks = list(self._years[::step])
        plt.xticks(ticks, [str(y) for y in ticks])
        plt.xlim(self._years[0] - 0.3, self._years[-1] + 0.3)
        text = Text.from_ansi(plt.build())
        text.no_wrap = True
        return text
