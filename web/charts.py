"""Horizontal bar charts drawn on the server, as inline SVG (templates/_bar_chart.html): no script, no
external file. The geometry is computed here; the template only writes it out. Each bar's label sits
above it and its value after it, so a long Vietnamese label never overlaps a bar, and the drawing scales
with its viewBox on a phone. The colours are dark on white: the bars' contrast with the background is
over 7:1, the text's over 15:1 (WCAG AA asks 3:1 for graphics, 4.5:1 for text)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

WIDTH = 640
BAR_SPACE = 520  # the longest bar; the rest of the width holds its value
LABEL_HEIGHT = 20
BAR_HEIGHT = 14
BAR_GAP = 4
ROW_GAP = 10
LEGEND_HEIGHT = 24
INK = "#1b1b1b"
SERIES_COLOURS = ("#9b1c1c", "#374151")  # the brand red (7.6:1 on white), slate grey (10:1)


@dataclass(frozen=True)
class Series:
    name: str
    colour: str


@dataclass(frozen=True)
class BarShape:
    y: int
    width: float
    text: str  # the value as shown ("12", "45,5", "—")
    colour: str

    @property
    def text_x(self) -> float:
        return self.width + 6

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT - 2


@dataclass(frozen=True)
class RowShape:
    label: str
    label_y: int
    bars: list[BarShape]


@dataclass
class Chart:
    id: str
    title: str
    description: str
    rows: list[RowShape] = field(default_factory=list)
    legend: list[tuple[int, Series]] = field(default_factory=list)  # (x, series) when several series
    height: int = 0
    width: int = WIDTH
    ink: str = INK


def bar_chart(
    *,
    id: str,  # the element id the title and description take theirs from
    title: str,
    description: str,
    rows: Sequence[tuple[str, Sequence[float | None], Sequence[str]]],
    series: Sequence[str] = ("",),
) -> Chart:
    """`rows`: (label, one value per series, the values as shown). A value of None (nothing to measure)
    draws no bar, only its text. Bars are scaled to the largest value of the chart."""
    named = [Series(name, SERIES_COLOURS[i % len(SERIES_COLOURS)]) for i, name in enumerate(series)]
    chart = Chart(id=id, title=title, description=description)
    y = 0
    if len(named) > 1:
        chart.legend = [(i * 200, s) for i, s in enumerate(named)]
        y = LEGEND_HEIGHT
    largest = max((v for _label, values, _texts in rows for v in values if v), default=0)
    for label, values, texts in rows:
        label_y = y + LABEL_HEIGHT - 6
        y += LABEL_HEIGHT
        bars = []
        for value, text, s in zip(values, texts, named, strict=True):
            width = round(BAR_SPACE * value / largest, 1) if value and largest else 0
            bars.append(BarShape(y=y, width=width, text=text, colour=s.colour))
            y += BAR_HEIGHT + BAR_GAP
        chart.rows.append(RowShape(label=label, label_y=label_y, bars=bars))
        y += ROW_GAP
    chart.height = max(y, LABEL_HEIGHT)
    return chart
