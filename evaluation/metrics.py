"""Figures computed from the portal's own records, for goals, the dashboard and the progress page.

Every function aggregates in the database and runs a fixed number of queries, however many rows
there are: one query per function, or per model it reads. Periods are whole days in the
municipality's time zone, both ends included.

Rules shared by all figures:
- An ambassador counts on a day when confirmed on or before that day and not lapsed by then.
  Withdrawn ambassadors (erased) never count: they asked to leave.
- An activity counts when it was not a draft (planned) and not cancelled; networks count when
  they are not only planned.
- A ball's first response time is the time from receipt to the first response. Balls without a
  response are left out of the median; in the "answered in time" share they count as late once
  the promised time has passed, and not at all before that.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Sum,
)
from django.db.models.functions import TruncMonth, TruncQuarter
from django.utils import timezone

from ambassadors.models import ACTIVE_WINDOW, Ambassador, AmbassadorKind, Participation
from evaluation.models import Goal, Metric
from networks.models import (
    Activity,
    ActivityKind,
    ActivityState,
    Ball,
    Network,
    NetworkState,
    first_response_days,
)
from themes.models import CoreArea, Postcode, Theme
from udsathed.core.smallcounts import suppressed

TOP_SHARE = Decimal("0.10")  # "the 10 % most active ambassadors"


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both days included."""

    start: date
    end: date

    @property
    def start_at(self) -> datetime:
        return day_start(self.start)

    @property
    def end_before(self) -> datetime:
        return day_start(self.end + timedelta(days=1))

    def clipped(self, end: date) -> Period:
        return Period(self.start, min(self.end, end))

    def months(self) -> list[date]:
        """The first day of each calendar month the period touches."""
        return _steps(self.start.replace(day=1), self.end, 1)

    def quarters(self) -> list[date]:
        first = self.start.replace(day=1, month=(self.start.month - 1) // 3 * 3 + 1)
        return _steps(first, self.end, 3)


def _steps(first: date, end: date, months: int) -> list[date]:
    result = []
    current = first
    while current <= end:
        result.append(current)
        month = current.month - 1 + months
        current = date(current.year + month // 12, month % 12 + 1, 1)
    return result


def quarter_end(first: date) -> date:
    month = first.month + 2
    following = date(first.year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class MedianDuration(Aggregate):
    """PostgreSQL's median of an interval: percentile_cont(0.5) WITHIN GROUP (ORDER BY ...)."""

    function = "PERCENTILE_CONT"
    name = "MedianDuration"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)%(filter)s"
    output_field = DurationField()


RESPONSE_TIME = ExpressionWrapper(
    F("first_response_at") - F("received_at"), output_field=DurationField()
)


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def _share(part: int, whole: int) -> float | None:
    return _round(100 * part / whole) if whole else None


# Ambassadors ----------------------------------------------------------------------------------


def _ambassador_on(day: date) -> Q:
    """An ambassador who counted at the end of `day` (see the module docstring)."""
    after = day_start(day + timedelta(days=1))
    return Q(confirmed_at__lt=after) & (Q(lapsed_at__isnull=True) | Q(lapsed_at__gte=after))


def _ambassadors():
    return Ambassador.objects.filter(erased_at__isnull=True, confirmed_at__isnull=False)


def ambassadors_on(days: list[date]) -> dict[date, dict[str, int]]:
    """For each day: {"total", "local"}: ambassadors then, and those living in the municipality.

    One query, whatever the number of days.
    """
    if not days:
        return {}
    local = Postcode.objects.of_active_strategy().filter(code=OuterRef("postcode"))
    aggregates = {}
    for i, day in enumerate(days):
        aggregates[f"t{i}"] = Count("pk", filter=_ambassador_on(day))
        aggregates[f"l{i}"] = Count("pk", filter=_ambassador_on(day) & Q(is_local=True))
    row = _ambassadors().annotate(is_local=Exists(local)).aggregate(**aggregates)
    return {day: {"total": row[f"t{i}"], "local": row[f"l{i}"]} for i, day in enumerate(days)}


def ambassadors_by_kind(days: list[date]) -> dict[str, dict[date, int]]:
    """Per kind, the number of ambassadors at the end of each day in `days`. One query."""
    result = {kind: dict.fromkeys(days, 0) for kind in AmbassadorKind.values}
    if not days:
        return result
    aggregates = {f"d{i}": Count("pk", filter=_ambassador_on(day)) for i, day in enumerate(days)}
    for row in _ambassadors().order_by().values("kind").annotate(**aggregates):
        for i, day in enumerate(days):
            result[row["kind"]][day] = row[f"d{i}"]
    return result


def engagement(period: Period) -> dict[str, int | float | None]:
    """How broad the engagement is at the end of the period.

    - active / passive: ambassadors at the end of the period who did / did not take part in
      something in the 12 months up to then;
    - top_share: the share (%) of all attendances in the period that came from the 10 % most
      active ambassadors (at least one person), None without attendances.

    Three queries.
    """
    since = period.end - ACTIVE_WINDOW
    recent = Participation.objects.filter(
        ambassador=OuterRef("pk"), occurred_on__gt=since, occurred_on__lte=period.end
    )
    counts = (
        _ambassadors()
        .filter(_ambassador_on(period.end))
        .annotate(recent=Exists(recent))
        .aggregate(
            active=Count("pk", filter=Q(recent=True)), passive=Count("pk", filter=Q(recent=False))
        )
    )
    attendances = Participation.objects.filter(
        occurred_on__gte=period.start,
        occurred_on__lte=period.end,
        ambassador__erased_at__isnull=True,
    )
    totals = attendances.aggregate(
        attendances=Count("pk"), people=Count("ambassador", distinct=True)
    )
    top_share = None
    if totals["attendances"]:
        top = max(1, math.ceil(totals["people"] * TOP_SHARE))
        per_person = (
            attendances.order_by().values("ambassador").annotate(n=Count("pk")).order_by("-n")
        )
        top_sum = per_person[:top].aggregate(total=Sum("n"))["total"] or 0
        top_share = _share(top_sum, totals["attendances"])
    return {**counts, **totals, "top_share": top_share}


# Networks and activities ----------------------------------------------------------------------


def _counted_activities():
    return Activity.objects.exclude(state__in=[ActivityState.PLANNED, ActivityState.CANCELLED])


# Network meetings are the networks' own working meetings; the network itself is counted.
STARTED_ACTIVITY_KINDS = [
    ActivityKind.PLENARY,
    ActivityKind.DIALOGUE,
    ActivityKind.THEME_DAY,
    ActivityKind.WORKSHOP,
    ActivityKind.EVENT,
]


def activity_counts(periods: list[Period]) -> list[dict[str, int]]:
    """Per period: networks started, activities started (see STARTED_ACTIVITY_KINDS) and
    plenary meetings held. Two queries, whatever the number of periods."""
    if not periods:
        return []
    network_row = Network.objects.exclude(state=NetworkState.PLANNED).aggregate(
        **{
            f"n{i}": Count("pk", filter=Q(starts_on__gte=p.start, starts_on__lte=p.end))
            for i, p in enumerate(periods)
        }
    )
    aggregates = {}
    for i, p in enumerate(periods):
        within = Q(starts_at__gte=p.start_at, starts_at__lt=p.end_before)
        aggregates[f"a{i}"] = Count("pk", filter=within & Q(kind__in=STARTED_ACTIVITY_KINDS))
        aggregates[f"p{i}"] = Count("pk", filter=within & Q(kind=ActivityKind.PLENARY))
    activity_row = _counted_activities().aggregate(**aggregates)
    return [
        {
            "networks": network_row[f"n{i}"],
            "activities": activity_row[f"a{i}"],
            "plenary": activity_row[f"p{i}"],
        }
        for i in range(len(periods))
    ]


def activities_per_quarter(period: Period) -> dict[date, int]:
    """Activities (every kind) starting in each quarter of the period. One query."""
    result = dict.fromkeys(period.quarters(), 0)
    rows = (
        _counted_activities()
        .filter(starts_at__gte=period.start_at, starts_at__lt=period.end_before)
        .annotate(quarter=TruncQuarter("starts_at"))
        .order_by()
        .values("quarter")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        result[timezone.localtime(row["quarter"]).date()] = row["n"]
    return result


# Balls ----------------------------------------------------------------------------------------


def _response_aggregates(now: datetime, suffix: str = "", extra: Q | None = None) -> dict:
    extra = extra or Q()
    promise = timedelta(days=first_response_days())
    answered = Q(first_response_at__isnull=False)
    in_time = answered & Q(first_response_at__lte=F("received_at") + promise)
    # A ball counts in the share once it is answered or its promised time has passed.
    due = answered | Q(received_at__lt=now - promise)
    return {
        f"median{suffix}": MedianDuration(RESPONSE_TIME, filter=answered & extra),
        f"in_time{suffix}": Count("pk", filter=in_time & extra),
        f"due{suffix}": Count("pk", filter=due & extra),
        f"answered{suffix}": Count("pk", filter=answered & extra),
    }


def _days(duration: timedelta | None) -> float | None:
    return None if duration is None else _round(duration.total_seconds() / 86400)


def ball_response(periods: list[Period], now: datetime | None = None) -> list[dict]:
    """Per period (by the day a ball was received): the median days to the first response and
    the share (%) answered within the promise. One query."""
    if not periods:
        return []
    now = now or timezone.now()
    aggregates = {}
    for i, p in enumerate(periods):
        within = Q(received_at__gte=p.start_at, received_at__lt=p.end_before)
        aggregates.update(_response_aggregates(now, str(i), within))
    # Every figure is filtered to its period; the balls outside them all are left out first,
    # rather than weighed against each figure's filter.
    row = Ball.objects.filter(
        received_at__gte=min(p.start_at for p in periods),
        received_at__lt=max(p.end_before for p in periods),
    ).aggregate(**aggregates)
    return [
        {
            "median_days": _days(row[f"median{i}"]),
            "in_time_share": _share(row[f"in_time{i}"], row[f"due{i}"]),
            "due": row[f"due{i}"],
            "answered": row[f"answered{i}"],
        }
        for i in range(len(periods))
    ]


def balls_per_month(period: Period, now: datetime | None = None) -> dict[date, dict]:
    """Per month: balls received, balls closed, the median days to the first response and the
    share answered in time (of the balls received that month), with the number of balls each is
    computed over ("answered" for the median, "due" for the share). Two queries."""
    now = now or timezone.now()
    months = period.months()
    result = {
        month: {
            "received": 0,
            "closed": 0,
            "median_days": None,
            "in_time_share": None,
            "answered": 0,
            "due": 0,
        }
        for month in months
    }
    received = (
        Ball.objects.filter(received_at__gte=period.start_at, received_at__lt=period.end_before)
        .annotate(month=TruncMonth("received_at"))
        .order_by()
        .values("month")
        .annotate(received=Count("pk"), **_response_aggregates(now))
    )
    for row in received:
        entry = result[timezone.localtime(row["month"]).date()]
        entry["received"] = row["received"]
        entry["median_days"] = _days(row["median"])
        entry["in_time_share"] = _share(row["in_time"], row["due"])
        entry["answered"] = row["answered"]
        entry["due"] = row["due"]
    closed = (
        Ball.objects.closed()
        .filter(closed_at__gte=period.start_at, closed_at__lt=period.end_before)
        .annotate(month=TruncMonth("closed_at"))
        .order_by()
        .values("month")
        .annotate(n=Count("pk"))
    )
    for row in closed:
        result[timezone.localtime(row["month"]).date()]["closed"] = row["n"]
    return result


# Breakdowns -----------------------------------------------------------------------------------


def breakdown(period: Period) -> dict[str, list[dict]]:
    """Balls received, networks started and activities held in the period, per theme and per
    core area of the active strategy. Eight queries (two for the rows, six for the counts)."""
    result = {}
    for key, model, related in (
        ("themes", Theme, "themes"),
        ("core_areas", CoreArea, "core_areas"),
    ):
        rows = {
            obj.pk: {"object": obj, "balls": 0, "networks": 0, "activities": 0}
            for obj in model.objects.of_active_strategy()
        }
        sources = {
            "balls": (
                Ball,
                Q(ball__received_at__gte=period.start_at, ball__received_at__lt=period.end_before),
            ),
            "networks": (
                Network,
                Q(network__starts_on__gte=period.start, network__starts_on__lte=period.end)
                & ~Q(network__state=NetworkState.PLANNED),
            ),
            "activities": (
                Activity,
                Q(
                    activity__starts_at__gte=period.start_at,
                    activity__starts_at__lt=period.end_before,
                )
                & ~Q(activity__state__in=[ActivityState.PLANNED, ActivityState.CANCELLED]),
            ),
        }
        target = model._meta.model_name
        for name, (source, condition) in sources.items():
            through = getattr(source, related).through
            counts = (
                through.objects.filter(condition, **{f"{target}__in": list(rows)})
                .order_by()
                .values(f"{target}_id")
                .annotate(n=Count("pk"))
            )
            for row in counts:
                rows[row[f"{target}_id"]][name] = row["n"]
        result[key] = list(rows.values())
    return result


# Goals ----------------------------------------------------------------------------------------

# What each goal's figure counts, for the small-count rule (udsathed/core/smallcounts.py).
GOAL_MEASURES = {
    Metric.CONFIRMED_AMBASSADORS: "ambassadors",
    Metric.SHARE_LIVING_LOCALLY: "share_of_ambassadors",
    Metric.STARTED_INITIATIVES: "initiatives",
    Metric.PLENARY_MEETINGS: "plenary_meetings",
    Metric.MEDIAN_FIRST_RESPONSE_DAYS: "median_of_balls",
    Metric.SHARE_ANSWERED_IN_TIME: "share_of_balls",
}

PACE_WINDOW = timedelta(days=365)  # a count's pace: its period so far, at most the last year
RECENT = timedelta(days=91)  # a share's or median's direction: the last three months


class GoalStatus:
    REACHED = "reached"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    MISSED = "missed"
    TOO_EARLY = "too_early"
    NO_DATA = "no_data"  # the period is over and nothing was ever recorded


class TooEarly:
    """Why a goal's state cannot be told yet."""

    NOT_STARTED = "not_started"
    JUST_STARTED = "just_started"  # less than a tenth of the period has passed
    NO_DATA = "no_data"
    TOO_FEW = "too_few"  # the last three months hold fewer than 5 balls or people


@dataclass
class GoalProgress:
    """Where a goal stands on `measured_until`, and where it lands at today's pace.

    `history` holds (day, value, base) at the end of each month of the goal's period so far;
    `base` is how many persons or balls a share or median is computed over."""

    goal: Goal
    value: float | int | None
    status: str
    measured_until: date | None
    base: int | None = None
    projection: float | int | None = None
    projection_base: int | None = None
    reason: str = ""
    history: list[tuple[date, float | int | None, int | None]] = field(default_factory=list)

    @property
    def measure(self) -> str:
        return GOAL_MEASURES[self.goal.metric]

    @property
    def is_count(self) -> bool:
        return self.goal.metric in Metric.counts()

    @property
    def is_percentage(self) -> bool:
        return self.goal.metric in Metric.percentages()

    @property
    def hidden(self) -> bool:
        return suppressed(self.measure, self.value, base=self.base)

    @property
    def projection_hidden(self) -> bool:
        return suppressed(self.measure, self.projection, base=self.projection_base)

    @property
    def is_good(self) -> bool:
        return self.status in (GoalStatus.REACHED, GoalStatus.ON_TRACK)


def _meets(goal: Goal, value) -> bool:
    target = float(goal.target)
    return value <= target if goal.lower_is_better else value >= target


def _month_ends(start: date, until: date) -> list[date]:
    """The last day of each month from `start` to `until`, the last one cut at `until`."""
    ends = []
    for first in Period(start, until).months():
        month = first.month
        following = date(first.year + month // 12, month % 12 + 1, 1)
        ends.append(min(following - timedelta(days=1), until))
    return ends


def _recent_start(goal: Goal, until: date) -> date:
    return max(goal.period_start, until - RECENT + timedelta(days=1))


def ambassadors_recruited(periods: list[Period]) -> list[dict[str, int]]:
    """Per period: ambassadors confirmed in it (and still counting at its end), and those of
    them living in the municipality. One query."""
    if not periods:
        return []
    local = Postcode.objects.of_active_strategy().filter(code=OuterRef("postcode"))
    aggregates = {}
    for i, p in enumerate(periods):
        joined = Q(confirmed_at__gte=p.start_at) & _ambassador_on(p.end)
        aggregates[f"t{i}"] = Count("pk", filter=joined)
        aggregates[f"l{i}"] = Count("pk", filter=joined & Q(is_local=True))
    row = _ambassadors().annotate(is_local=Exists(local)).aggregate(**aggregates)
    return [{"total": row[f"t{i}"], "local": row[f"l{i}"]} for i in range(len(periods))]


class _Batch:
    """The figures all goals need, asked for first and computed in one query per source."""

    def __init__(self) -> None:
        self.days: set[date] = set()
        self.recruit: list[Period] = []
        self.activities: list[Period] = []
        self.balls: list[Period] = []

    def need(self, goal: Goal, period: Period, recent: bool = False) -> None:
        if goal.metric == Metric.SHARE_LIVING_LOCALLY and recent:
            self.recruit.append(period)
        elif goal.metric in (Metric.CONFIRMED_AMBASSADORS, Metric.SHARE_LIVING_LOCALLY):
            self.days.add(period.end)
            if recent:
                self.days.add(period.start - timedelta(days=1))
        elif goal.metric in (Metric.STARTED_INITIATIVES, Metric.PLENARY_MEETINGS):
            self.activities.append(period)
        else:
            self.balls.append(period)

    def run(self, now: datetime | None) -> None:
        self.on = ambassadors_on(sorted(self.days))
        self.recruited = dict(zip(self.recruit, ambassadors_recruited(self.recruit), strict=True))
        self.counted = dict(zip(self.activities, activity_counts(self.activities), strict=True))
        self.answered = dict(zip(self.balls, ball_response(self.balls, now=now), strict=True))

    def value(self, goal: Goal, period: Period, recent: bool = False) -> tuple:
        """(value, base) of the goal over `period`; for a stock, its change when `recent`."""
        metric = goal.metric
        if metric == Metric.CONFIRMED_AMBASSADORS:
            total = self.on[period.end]["total"]
            if recent:
                return total - self.on[period.start - timedelta(days=1)]["total"], None
            return total, None
        if metric == Metric.SHARE_LIVING_LOCALLY:
            figures = self.recruited[period] if recent else self.on[period.end]
            return _share(figures["local"], figures["total"]), figures["total"]
        if metric in (Metric.STARTED_INITIATIVES, Metric.PLENARY_MEETINGS):
            row = self.counted[period]
            if metric == Metric.STARTED_INITIATIVES:
                return row["networks"] + row["activities"], None
            return row["plenary"], None
        row = self.answered[period]
        if metric == Metric.MEDIAN_FIRST_RESPONSE_DAYS:
            return row["median_days"], row["answered"]
        return row["in_time_share"], row["due"]


def _judge(progress: GoalProgress, window: tuple, recent: tuple) -> None:
    """Sets the state and the projection to the deadline (see compute_goals)."""
    goal, value, until = progress.goal, progress.value, progress.measured_until
    length = (goal.period_end - goal.period_start).days + 1
    elapsed = (until - goal.period_start).days + 1
    remaining = (goal.period_end - until).days
    finished = remaining <= 0
    if value is None:
        progress.status = GoalStatus.NO_DATA if finished else GoalStatus.TOO_EARLY
        progress.reason = TooEarly.NO_DATA
        return
    if goal.metric in Metric.counts():
        change, days = window
        pace = change / days if days else 0
        progress.projection = max(0, round(value + pace * remaining))
    else:
        progress.projection, progress.projection_base = recent
    if finished or (goal.metric in Metric.counts() and _meets(goal, value)):
        # A count that has reached its target has reached it: no need to wait for the deadline.
        progress.projection, progress.projection_base = value, progress.base
        progress.status = GoalStatus.REACHED if _meets(goal, value) else GoalStatus.MISSED
        return
    if elapsed * 10 < length:
        progress.status, progress.reason = GoalStatus.TOO_EARLY, TooEarly.JUST_STARTED
        return
    if progress.projection is None or progress.projection_hidden:
        progress.status, progress.reason = GoalStatus.TOO_EARLY, TooEarly.TOO_FEW
        return
    on_course = _meets(goal, progress.projection)
    progress.status = GoalStatus.ON_TRACK if on_course else GoalStatus.BEHIND


def compute_goals(
    goals: list[Goal], as_of: date, now: datetime | None = None
) -> list[GoalProgress]:
    """Each goal's value over its own period, counted up to `as_of` when that comes first, its
    value at the end of each month so far, and its projection to the deadline:

    - a count (ambassadors, initiatives, plenary meetings) goes on at its pace over the period
      so far, or over the last 12 months when the period so far is longer; a count that has
      reached its target is reached at once;
    - a share or median is projected as it was over the last 3 months (ambassadors who joined
      then, balls received then).

    The state follows: reached, on track, behind, not reached (after the deadline), or too early
    to say (the period has not begun, less than a tenth of it has passed, nothing is recorded,
    or the last 3 months hold fewer than 5 balls or people).

    At most five queries for any number of goals and months: ambassadors on days, ambassadors
    recruited, networks, activities, balls.
    """
    batch = _Batch()
    plans = {}
    for goal in goals:
        if as_of < goal.period_start:
            continue
        until = min(goal.period_end, as_of)
        history = [Period(goal.period_start, day) for day in _month_ends(goal.period_start, until)]
        window_start = max(goal.period_start, until - PACE_WINDOW + timedelta(days=1))
        window = Period(window_start, until)
        recent = Period(_recent_start(goal, until), until)
        plans[goal.pk] = (history, window, recent)
        for period in history:
            batch.need(goal, period)
        batch.need(goal, window if goal.metric in Metric.counts() else recent, recent=True)
    batch.run(now)

    result = []
    for goal in goals:
        if goal.pk not in plans:
            result.append(
                GoalProgress(goal, None, GoalStatus.TOO_EARLY, None, reason=TooEarly.NOT_STARTED)
            )
            continue
        history, window, recent = plans[goal.pk]
        points = [(p.end, *batch.value(goal, p)) for p in history]
        _, value, base = points[-1]
        progress = GoalProgress(goal, value, "", history[-1].end, base=base, history=points)
        window_figure = (None, 0)
        if goal.metric in Metric.counts():
            days = (window.end - window.start).days + 1
            change = batch.value(goal, window, recent=True)[0]
            window_figure = (change, days)
            recent_figure = (None, None)
        else:
            recent_figure = batch.value(goal, recent, recent=True)
        _judge(progress, window_figure, recent_figure)
        result.append(progress)
    return result


# Breakdowns over the years --------------------------------------------------------------------


def _year(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31))


def breakdown_by_year(years: list[int]) -> dict[str, dict[str, list[dict]]]:
    """Per theme and per core area of the active strategy, and per year: balls received,
    networks started, activities held, and ambassadors interested at the end of the year.

    {"themes": {"balls": [{"object", "years": {year: n}}...], ...}, "core_areas": {...}}.
    Ten queries (two for the rows, eight for the counts), whatever the number of years.
    """
    periods = {year: _year(year) for year in years}

    def ball_in(p):
        return Q(ball__received_at__gte=p.start_at, ball__received_at__lt=p.end_before)

    def network_in(p):
        return Q(network__starts_on__gte=p.start, network__starts_on__lte=p.end) & ~Q(
            network__state=NetworkState.PLANNED
        )

    def activity_in(p):
        return Q(activity__starts_at__gte=p.start_at, activity__starts_at__lt=p.end_before) & ~Q(
            activity__state__in=[ActivityState.PLANNED, ActivityState.CANCELLED]
        )

    def ambassador_on(p):
        after = p.end_before
        return Q(ambassador__erased_at__isnull=True, ambassador__confirmed_at__lt=after) & (
            Q(ambassador__lapsed_at__isnull=True) | Q(ambassador__lapsed_at__gte=after)
        )

    sources = {
        "balls": (Ball, ball_in),
        "networks": (Network, network_in),
        "activities": (Activity, activity_in),
        "ambassadors": (Ambassador, ambassador_on),
    }
    result = {}
    for key, model, related in (
        ("themes", Theme, "themes"),
        ("core_areas", CoreArea, "core_areas"),
    ):
        objects = list(model.objects.of_active_strategy())
        target = model._meta.model_name
        result[key] = {}
        for name, (source, within) in sources.items():
            rows = {obj.pk: {"object": obj, "years": dict.fromkeys(years, 0)} for obj in objects}
            if years and rows:
                through = getattr(source, related).through
                aggregates = {f"y{y}": Count("pk", filter=within(p)) for y, p in periods.items()}
                counts = (
                    through.objects.filter(**{f"{target}__in": list(rows)})
                    .order_by()
                    .values(f"{target}_id")
                    .annotate(**aggregates)
                )
                for row in counts:
                    for year in years:
                        rows[row[f"{target}_id"]]["years"][year] = row[f"y{year}"]
            result[key][name] = list(rows.values())
    return result
