"""The small-count rule: which figures are hidden as "<5" so that no person can be singled out.

Written once, here, and used by every page, chart, table, CSV and workbook that shows a figure
about people (the dashboard, the progress page, the network page). The floor holds it so that
any app's templates can apply it without importing the evaluation app.

The rule protects people, so it looks at what a figure counts:
- a count of persons (ambassadors, attendances and attendees, members, respondents, senders)
  from 1 to 4 is hidden. Every such count the portal shows is a cell of a breakdown (by kind,
  theme, core area, period or network; a goal's own figure is its period's cell);
- a share, mean or median computed over fewer than 5 persons or balls is hidden, whatever its
  value ("100 %" of one ball tells who answered);
- a count of events (meetings, networks, activities, newsletters, balls) is never hidden: a
  meeting or a network is no person, and the committee must see whether the meeting was held.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

LIMIT = 5
SUPPRESSED = f"<{LIMIT}"


class Counted(StrEnum):
    """What a figure counts, or for a share, mean or median: what it is computed over."""

    PERSONS = "persons"
    EVENTS = "events"


class Statistic(StrEnum):
    COUNT = "count"
    SHARE = "share"
    MEAN = "mean"
    MEDIAN = "median"


@dataclass(frozen=True)
class Measure:
    counted: Counted
    statistic: Statistic = Statistic.COUNT


PERSONS = Measure(Counted.PERSONS)
EVENTS = Measure(Counted.EVENTS)

# Every figure the portal shows, by name. A share, mean or median names what it is computed
# over in `counted`; whether persons or balls, fewer than 5 of them hide it.
MEASURES: dict[str, Measure] = {
    "ambassadors": PERSONS,
    "attendances": PERSONS,
    "attendees": PERSONS,
    "members": PERSONS,
    "respondents": PERSONS,
    "senders": PERSONS,
    "meetings": EVENTS,
    "plenary_meetings": EVENTS,
    "networks": EVENTS,
    "activities": EVENTS,
    "initiatives": EVENTS,
    "newsletters": EVENTS,
    "balls": EVENTS,
    "share_of_ambassadors": Measure(Counted.PERSONS, Statistic.SHARE),
    "share_of_attendances": Measure(Counted.PERSONS, Statistic.SHARE),
    "share_of_balls": Measure(Counted.EVENTS, Statistic.SHARE),
    "median_of_balls": Measure(Counted.EVENTS, Statistic.MEDIAN),
    "mean_score": Measure(Counted.PERSONS, Statistic.MEAN),
}


def suppressed(measure: str, value: float | int | None, *, base: int | None = None) -> bool:
    """Whether the figure `value` of `measure` (a key of MEASURES) must be shown as "<5".

    `base` is the number of persons or balls a share, mean or median is computed over; it is
    required for those and ignored for counts. Nothing (None) is never suppressed: there is
    nothing to show.
    """
    rule = MEASURES[measure]
    if value is None:
        return False
    if rule.statistic is Statistic.COUNT:
        return rule.counted is Counted.PERSONS and 0 < value < LIMIT
    if base is None:
        raise ValueError(f"{measure} is a {rule.statistic}: say how many it is computed over")
    return base < LIMIT
