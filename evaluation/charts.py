"""Simple bar and line charts drawn as SVG on the server.

No chart library: the charts are a few rectangles and lines, computed here and drawn by
`templates/evaluation/includes/chart.html` with SVG presentation attributes (fill, stroke). That
keeps them inside the Content-Security-Policy (no scripts, no inline styles), lets WeasyPrint
put the very same SVG in the PDF report, and adds no dependency.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.utils.formats import number_format

# Colour-blind safe (Okabe-Ito), each at least 3:1 against white.
PALETTE = ["#0060a8", "#b35900", "#007a5a", "#a3207a", "#5b5b5b"]
SMALL_COUNT_LIMIT = 5  # privacy: counts from 1 to 4 are shown as "<5"

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 12, 44


def small_count(value) -> str:
    """A count for dashboards and public pages: 1 to 4 become "<5" so no one can be singled out."""
    if value is None:
        return "–"
    if 0 < value < SMALL_COUNT_LIMIT:
        return f"<{SMALL_COUNT_LIMIT}"
    return number_format(value, force_grouping=True)


@dataclass
class Series:
    name: str
    values: list[float | int | None]
    colour: str = ""


@dataclass
class Chart:
    """One chart: labels along the x axis, one or more series, and how to show the values."""

    slug: str
    title: str
    description: str
    labels: list[str]
    series: list[Series]
    kind: str = "bar"  # or "line"
    unit: str = "count"  # "count" (small counts hidden), "percent" or "days"
    label_heading: str = ""
    drawn: bool = True  # False: the table alone (long labels such as theme titles)
    bars: list[dict] = field(default_factory=list, init=False)
    lines: list[dict] = field(default_factory=list, init=False)
    y_ticks: list[dict] = field(default_factory=list, init=False)
    x_ticks: list[dict] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        for i, series in enumerate(self.series):
            series.colour = series.colour or PALETTE[i % len(PALETTE)]
        self._layout()

    # What is drawn -------------------------------------------------------------------------

    def plotted(self, value):
        """The height drawn: small counts are drawn as 4, so the bar does not tell more."""
        if value is None:
            return None
        if self.unit == "count" and 0 < value < SMALL_COUNT_LIMIT:
            return SMALL_COUNT_LIMIT - 1
        return value

    def display(self, value) -> str:
        if self.unit == "count":
            return small_count(value)
        if value is None:
            return "–"
        text = number_format(value, decimal_pos=1)
        return f"{text} %" if self.unit == "percent" else text

    @property
    def rows(self) -> list[dict]:
        return [
            {"label": label, "values": [self.display(s.values[i]) for s in self.series]}
            for i, label in enumerate(self.labels)
        ]

    @property
    def is_empty(self) -> bool:
        return all(not v for s in self.series for v in s.values)

    @property
    def width(self) -> int:
        return WIDTH

    @property
    def height(self) -> int:
        return HEIGHT

    @property
    def plot_bottom(self) -> int:
        return HEIGHT - BOTTOM

    @property
    def plot_left(self) -> int:
        return LEFT

    @property
    def plot_right(self) -> int:
        return WIDTH - RIGHT

    def _layout(self) -> None:
        values = [self.plotted(v) for s in self.series for v in s.values]
        top = max([v for v in values if v is not None] + [0])
        if self.unit == "percent":
            top = 100
        top = _nice_ceiling(top)
        plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
        n = max(len(self.labels), 1)
        slot = plot_w / n

        def y(value):
            return round(TOP + plot_h - (value / top) * plot_h, 1)

        self.y_ticks = [{"y": y(top * i / 4), "label": _tick_label(top * i / 4)} for i in range(5)]
        step = max(1, -(-n // 12))  # at most about 12 labels along the axis
        self.x_ticks = [
            {"x": round(LEFT + slot * (i + 0.5), 1), "label": label}
            for i, label in enumerate(self.labels)
            if i % step == 0
        ]
        if self.kind == "bar":
            gap = slot * 0.2
            bar_w = (slot - gap) / max(len(self.series), 1)
            for i in range(len(self.labels)):
                for j, series in enumerate(self.series):
                    value = self.plotted(series.values[i])
                    if not value:
                        continue
                    top_y = y(value)
                    self.bars.append(
                        {
                            "x": round(LEFT + slot * i + gap / 2 + bar_w * j, 1),
                            "y": top_y,
                            "width": round(max(bar_w - 1, 1), 1),
                            "height": round(TOP + plot_h - top_y, 1),
                            "fill": series.colour,
                            "title": f"{series.name}, {self.labels[i]}: "
                            f"{self.display(series.values[i])}",
                        }
                    )
        else:
            for series in self.series:
                points, dots = [], []
                for i, raw in enumerate(series.values):
                    value = self.plotted(raw)
                    if value is None:
                        continue
                    x = round(LEFT + slot * (i + 0.5), 1)
                    points.append(f"{x},{y(value)}")
                    dots.append(
                        {
                            "x": x,
                            "y": y(value),
                            "title": f"{series.name}, {self.labels[i]}: {self.display(raw)}",
                        }
                    )
                self.lines.append(
                    {"points": " ".join(points), "dots": dots, "stroke": series.colour}
                )

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([_cell(self.label_heading), *(_cell(s.name) for s in self.series)])
        for row in self.rows:
            writer.writerow([_cell(row["label"]), *row["values"]])
        return out.getvalue()


def _cell(text: str) -> str:
    """Text a spreadsheet would run as a formula (a title edited to start with "=") is quoted."""
    text = str(text)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _nice_ceiling(value: float) -> float:
    """The top of the y axis: four equal steps of 1, 2, 2.5 or 5 times a power of ten."""
    if value <= 4:
        return 4
    wanted = value / 4
    magnitude = 1
    while magnitude * 10 <= wanted:
        magnitude *= 10
    for factor in (1, 2, 2.5, 5, 10):
        if factor * magnitude >= wanted:
            return factor * magnitude * 4
    return wanted * 4  # pragma: no cover


def _tick_label(value: float) -> str:
    return number_format(int(value)) if value == int(value) else number_format(value, 1)
