"""Simple bar and line charts drawn as SVG on the server, and their data as CSV and Excel.

No chart library: the charts are a few rectangles and lines, computed here and drawn by
`templates/evaluation/includes/chart.html` with SVG presentation attributes (fill, stroke). That
keeps them inside the Content-Security-Policy (no scripts, no inline styles), lets WeasyPrint
put the very same SVG in the PDF report, and adds no dependency.

A series names what it counts (`measure`, see udsathed/core/smallcounts.py), so the small-count
rule decides per value. A hidden value is never drawn as a number: no bar or point, but a marked
gap labelled "<5" at the foot of the chart; the table, the CSV and the workbook say "<5".
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from django.utils.formats import number_format

from udsathed.core.exports import safe_cell
from udsathed.core.smallcounts import SUPPRESSED, suppressed

# Colour-blind safe (Okabe-Ito), each at least 3:1 against white.
PALETTE = ["#0060a8", "#b35900", "#007a5a", "#a3207a", "#5b5b5b"]
GAP_COLOUR = "#5b5b5b"

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 12, 44
GAP_HEIGHT = 16

# Danish Excel, which the municipality uses, reads a CSV file opened by a double click with the
# list separator and decimal sign of the Danish locale: ";" between fields and "," in decimals.
# With those, numbers land in cells as numbers (not as text, and "11.5" not as a date). Dates are
# ISO (2020-03-01), which Excel reads as dates in every locale; the UTF-8 byte order mark makes
# it read æ, ø and å. Other programs read the same file with delimiter=";" (Python's csv module,
# LibreOffice, R's read.csv2); the Excel workbook holds the same figures as typed cells.
CSV_DELIMITER = ";"
CSV_DECIMAL = ","


@dataclass
class Series:
    """One line or set of bars. `measure` (a key of smallcounts.MEASURES, or None for figures
    about no one, such as a target) and `bases` (per value, how many persons or balls a share or
    median is computed over) decide which values are hidden."""

    name: str
    values: list[float | int | None]
    colour: str = ""
    measure: str | None = None
    bases: list[int | None] | None = None
    dashed: bool = False

    def hidden(self, i: int) -> bool:
        if self.measure is None:
            return False
        base = self.bases[i] if self.bases is not None else None
        return suppressed(self.measure, self.values[i], base=base)

    def shown(self, i: int) -> float | int | None:
        """The value as it may be told: None when hidden."""
        return None if self.hidden(i) else self.values[i]


@dataclass
class Chart:
    """One chart: labels along the x axis, one or more series, and how to show the values.

    `keys` are what the labels stand for (the first day of a month or quarter, a year, a date)
    and go into the CSV and the workbook instead of the display labels."""

    slug: str
    title: str
    description: str
    labels: list[str]
    series: list[Series]
    kind: str = "bar"  # or "line"
    unit: str = "count"  # "count", "percent", "days" or "value"
    label_heading: str = ""
    drawn: bool = True  # False: the table alone (long labels such as theme titles)
    keys: list | None = None
    width: int = WIDTH
    height: int = HEIGHT
    markers: list[dict] = field(default_factory=list)  # vertical lines: {"index", "label"}
    notes: list[str] | None = None  # a text column after the values, such as the source
    notes_heading: str = ""
    bars: list[dict] = field(default_factory=list, init=False)
    lines: list[dict] = field(default_factory=list, init=False)
    gaps: list[dict] = field(default_factory=list, init=False)
    y_ticks: list[dict] = field(default_factory=list, init=False)
    x_ticks: list[dict] = field(default_factory=list, init=False)
    verticals: list[dict] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        for i, series in enumerate(self.series):
            series.colour = series.colour or PALETTE[i % len(PALETTE)]
        if self.keys is None:
            self.keys = list(self.labels)
        self._layout()

    # What is shown -------------------------------------------------------------------------

    def display(self, series: Series, i: int) -> str:
        if series.hidden(i):
            return SUPPRESSED
        value = series.values[i]
        if value is None:
            return "–"
        if self.unit == "count" or (self.unit == "value" and value == int(value)):
            return number_format(int(value), force_grouping=True)
        text = number_format(value, decimal_pos=1, force_grouping=True)
        return f"{text} %" if self.unit == "percent" else text

    def cell(self, series: Series, i: int) -> float | int | str | None:
        """The value for a spreadsheet: a number, "<5" when hidden, None when there is none."""
        if series.hidden(i):
            return SUPPRESSED
        value = series.values[i]
        if value is None or isinstance(value, int):
            return value
        if self.unit == "count" or (self.unit == "value" and value == int(value)):
            return int(value)
        return float(value)

    @property
    def rows(self) -> list[dict]:
        return [
            {
                "label": label,
                "values": [self.display(s, i) for s in self.series],
                "note": self.notes[i] if self.notes else None,
            }
            for i, label in enumerate(self.labels)
        ]

    @property
    def is_empty(self) -> bool:
        return all(not v and not s.hidden(i) for s in self.series for i, v in enumerate(s.values))

    @property
    def has_gaps(self) -> bool:
        return bool(self.gaps)

    @property
    def plot_bottom(self) -> int:
        return self.height - BOTTOM

    @property
    def plot_left(self) -> int:
        return LEFT

    @property
    def plot_right(self) -> int:
        return self.width - RIGHT

    @property
    def plot_top(self) -> int:
        return TOP

    def _layout(self) -> None:
        values = [s.shown(i) for s in self.series for i in range(len(s.values))]
        top = max([v for v in values if v is not None] + [0])
        if self.unit == "percent":
            top = 100
        top = _nice_ceiling(top)
        plot_w, plot_h = self.width - LEFT - RIGHT, self.height - TOP - BOTTOM
        bottom = TOP + plot_h
        n = max(len(self.labels), 1)
        slot = plot_w / n

        def y(value):
            return round(bottom - (value / top) * plot_h, 1)

        def x(i):
            return round(LEFT + slot * (i + 0.5), 1)

        self.y_ticks = [{"y": y(top * i / 4), "label": _tick_label(top * i / 4)} for i in range(5)]
        labels_fit = max(2, plot_w // 60)  # about one label per 60 px
        step = max(1, -(-n // labels_fit))
        self.x_ticks = [
            {"x": x(i), "label": label} for i, label in enumerate(self.labels) if i % step == 0
        ]
        self.verticals = [
            {"x": x(m["index"]), "label": m["label"]}
            for m in self.markers
            if 0 <= m["index"] < len(self.labels)
        ]

        def gap(x_left, width, series, i):
            self.gaps.append(
                {
                    "x": round(x_left, 1),
                    "y": bottom - GAP_HEIGHT,
                    "width": round(max(width, 8), 1),
                    "height": GAP_HEIGHT,
                    "text_x": round(x_left + max(width, 8) / 2, 1),
                    "text_y": bottom - 4,
                    "title": f"{series.name}, {self.labels[i]}: {SUPPRESSED}",
                }
            )

        if self.kind == "bar":
            gap_w = slot * 0.2
            bar_w = (slot - gap_w) / max(len(self.series), 1)
            for i in range(len(self.labels)):
                for j, series in enumerate(self.series):
                    left = LEFT + slot * i + gap_w / 2 + bar_w * j
                    if series.hidden(i):
                        gap(left, bar_w - 1, series, i)
                        continue
                    value = series.values[i]
                    if not value:
                        continue
                    top_y = y(value)
                    self.bars.append(
                        {
                            "x": round(left, 1),
                            "y": top_y,
                            "width": round(max(bar_w - 1, 1), 1),
                            "height": round(bottom - top_y, 1),
                            "fill": series.colour,
                            "title": f"{series.name}, {self.labels[i]}: {self.display(series, i)}",
                        }
                    )
        else:
            for series in self.series:
                segments, current, dots = [], [], []
                for i in range(len(series.values)):
                    if series.hidden(i):
                        gap(x(i) - 10, 20, series, i)
                    value = series.shown(i)
                    if value is None:
                        # A hidden or missing value breaks the line: nothing is drawn across it.
                        if current:
                            segments.append(" ".join(current))
                        current = []
                        continue
                    current.append(f"{x(i)},{y(value)}")
                    dots.append(
                        {
                            "x": x(i),
                            "y": y(value),
                            "title": f"{series.name}, {self.labels[i]}: {self.display(series, i)}",
                        }
                    )
                if current:
                    segments.append(" ".join(current))
                self.lines.append(
                    {
                        "segments": segments,
                        "dots": [] if series.dashed else dots,
                        "stroke": series.colour,
                        "dashed": series.dashed,
                    }
                )

    # Downloads -----------------------------------------------------------------------------

    def header(self) -> list[str]:
        notes = [self.notes_heading] if self.notes else []
        return [self.label_heading, *(s.name for s in self.series), *notes]

    def table(self) -> list[list]:
        """The rows for a spreadsheet: the key (a date, a year or a label), then the values."""
        return [
            [
                self.keys[i],
                *(self.cell(s, i) for s in self.series),
                *([self.notes[i]] if self.notes else []),
            ]
            for i in range(len(self.labels))
        ]

    def to_csv(self) -> str:
        return to_csv(self.header(), self.table())


def to_csv(header: list[str], rows: list[list]) -> str:
    """Rows as CSV for Danish Excel (see CSV_DELIMITER): numbers as numbers with a decimal
    comma and no thousands separator, dates in ISO form, text quoted against formulas."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=CSV_DELIMITER)
    writer.writerow([safe_cell(str(h)) for h in header])
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return out.getvalue()


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
        return text.replace(".", CSV_DECIMAL)
    if isinstance(value, date):
        return value.isoformat()
    return safe_cell(str(value))


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
