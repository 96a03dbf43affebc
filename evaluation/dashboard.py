"""Everything the committee dashboard shows for one period, shared by the page, the CSV files
and the PDF report. A bounded number of queries, whatever the amount of data."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.core.cache import cache
from django.db.models import Prefetch
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ambassadors.models import AmbassadorKind
from evaluation import metrics
from evaluation.charts import Chart, Series
from evaluation.metrics import GoalProgress, GoalStatus, Period, TooEarly
from evaluation.models import Goal, Indicator, Measurement
from networks.models import first_response_days
from themes.models import Strategy
from udsathed.core.smallcounts import suppressed

# Figures also move with the clock (a ball becomes overdue), not only with saved rows.
CACHE_SECONDS = 300


def cached(name: str, compute: Callable, *parts) -> object:
    """`compute()` at most once per CACHE_SECONDS for a language, day and `parts` (the period).

    The computations scan the whole history; the committee reads the same period many times,
    and figures a few minutes old are right for a dashboard of yearly goals."""
    key = ":".join(
        str(part)
        for part in ("evaluation", name, translation.get_language(), timezone.localdate(), *parts)
    )
    return cache.get_or_set(key, compute, CACHE_SECONDS)


# Django's Danish DATE_FORMAT writes the month in full ("1. januar 2026"); the committee's papers
# use the short form with Django's own month abbreviation (N: "jan.", "maj", "sept."). Other
# languages keep their locale's DATE_FORMAT (English: "Jan. 1, 2026").
DAY_FORMATS = {"da": "j. N Y"}


def day_label(day: date) -> str:
    """A day in the reader's language: "1. jan. 2026" in Danish, "Jan. 1, 2026" in English."""
    language = (translation.get_language() or "da").split("-")[0]
    return formats.date_format(day, DAY_FORMATS.get(language, "DATE_FORMAT"))


def month_label(day: date) -> str:
    return formats.date_format(day, "M Y")


def quarter_label(day: date) -> str:
    return f"{day.year} K{(day.month - 1) // 3 + 1}"


def goal_progress(strategy: Strategy | None, period: Period | None = None) -> list:
    """The active strategy's goals, each measured over its own period, counted up to the end
    of `period` (or today): where the goals stood then."""
    if strategy is None:
        return []
    goals = Goal.objects.filter(strategy=strategy).order_by("period_start", "position", "pk")
    as_of = timezone.localdate()
    if period is not None:
        as_of = min(as_of, period.end)
    return metrics.compute_goals(list(goals), as_of)


def indicators(strategy: Strategy | None, period: Period | None = None) -> list[Indicator]:
    """The strategy's effect indicators, each with `shown` (its measurements in the period, or
    all of them), `latest` (its latest measurement of all, to name when none is in the period)
    and `chart` (its measurements over time). Two queries."""
    if strategy is None:
        return []
    measurements = Measurement.objects.order_by("measured_on")
    result = list(
        strategy.indicators.prefetch_related(
            Prefetch("measurements", queryset=measurements, to_attr="measured")
        )
    )
    for indicator in result:
        indicator.shown = [
            m
            for m in indicator.measured
            if period is None or period.start <= m.measured_on <= period.end
        ]
        indicator.latest = indicator.measured[-1] if indicator.measured else None
        indicator.chart = indicator_chart(indicator) if indicator.shown else None
    return result


def indicator_chart(indicator: Indicator) -> Chart:
    name = indicator.name
    unit = f" ({indicator.unit})" if indicator.unit else ""
    shown = indicator.shown
    return Chart(
        slug=f"indikator-{indicator.pk}",
        title=f"{name}{unit}",
        description=_("Line chart: the indicator's measurements over time, each with its source."),
        labels=[day_label(m.measured_on) for m in shown],
        keys=[m.measured_on for m in shown],
        label_heading=_("Date"),
        kind="line",
        unit="value",
        series=[Series(_("Value"), [float(m.value) for m in shown])],
        notes=[m.source for m in shown],
        notes_heading=_("Source"),
        width=480,
        height=200,
    )


def goal_chart(progress: GoalProgress) -> Chart | None:
    """The goal's value at the end of each month, its target, and the projection at the
    current pace from the last month counted to the deadline (dashed)."""
    goal = progress.goal
    if progress.measured_until is None:
        return None
    months = Period(goal.period_start, goal.period_end).months()
    history = progress.history
    now = len(history) - 1  # the index of the last month counted
    values = [v for _, v, _ in history] + [None] * (len(months) - len(history))
    bases = [b for _, _, b in history] + [None] * (len(months) - len(history))
    projected: list = [None] * len(months)
    projected_bases: list = [None] * len(months)
    last = len(months) - 1
    if progress.projection is not None and now < last:
        start = progress.value
        if start is None or progress.hidden:
            # From a hidden value only the deadline's figure is drawn: a line between the two
            # would tell the hidden one.
            projected[last] = progress.projection
        else:
            for i in range(now, last + 1):
                share = (i - now) / (last - now)
                projected[i] = round(start + (progress.projection - start) * share, 1)
            projected_bases[now] = progress.base
        for i in range(now + 1, last + 1):
            projected_bases[i] = progress.projection_base
    unit = "percent" if progress.is_percentage else ("count" if progress.is_count else "days")
    series = [
        Series(_("Value"), values, measure=progress.measure, bases=bases),
        Series(_("Target"), [float(goal.target)] * len(months), colour="#5b5b5b"),
    ]
    if any(v is not None for v in projected):
        series.append(
            Series(
                _("At today's pace"),
                projected,
                measure=progress.measure,
                bases=projected_bases,
                dashed=True,
                colour="#b35900",
            )
        )
    title = goal.title
    return Chart(
        slug=f"maal-{goal.slug}",
        title=title,
        description=_(
            "Line chart: the goal's value at the end of each month, its target as a flat line, "
            "and a dashed line from the last month counted to where today's pace lands by the "
            "deadline."
        ),
        labels=[month_label(m) for m in months],
        keys=months,
        label_heading=_("Month"),
        kind="line",
        unit=unit,
        series=series,
        width=480,
        height=200,
        markers=[{"index": now, "label": day_label(progress.measured_until)}] if now < last else [],
    )


def goal_charts(goals: list[GoalProgress]) -> dict[str, Chart]:
    result = {}
    for progress in goals:
        chart = goal_chart(progress)
        progress.chart = chart
        if chart is not None:
            result[chart.slug] = chart
    return result


def report_years(strategy: Strategy | None) -> list[int]:
    """The years of the strategy so far, the last ten at most."""
    if strategy is None:
        return []
    this_year = timezone.localdate().year
    last = min(strategy.period_end or this_year, this_year)
    first = max(strategy.period_start, last - 9)
    return list(range(first, last + 1))


def yearly_charts(strategy: Strategy | None) -> dict[str, Chart]:
    """Per theme and core area, per year of the strategy: balls received, networks started,
    activities held and ambassadors interested (at the end of each year), as tables."""
    years = report_years(strategy)
    if not years:
        return {}
    rows = metrics.breakdown_by_year(years)
    names = {
        "balls": _("Balls received per year"),
        "networks": _("Networks started per year"),
        "activities": _("Activities held per year"),
        "ambassadors": _("Ambassadors interested, at the end of each year"),
    }
    result = {}
    for dimension, slug, heading in (
        ("themes", "temaer", _("Theme")),
        ("core_areas", "kerneomraader", _("Core area")),
    ):
        for source, title in names.items():
            table = rows[dimension][source]
            result[f"{slug}-{source}-aar"] = Chart(
                slug=f"{slug}-{source}-aar",
                title=title,
                description=title,
                labels=[str(row["object"]) for row in table],
                label_heading=heading,
                series=[
                    Series(str(year), [row["years"][year] for row in table], measure=source)
                    for year in years
                ],
                drawn=False,
            )
    return result


def engagement_rows(engagement: dict) -> list[dict]:
    """The engagement figures with the small-count rule: persons in the period's cell."""
    figures = [
        ("active", _("Active ambassadors"), "ambassadors", None),
        ("passive", _("Passive ambassadors"), "ambassadors", None),
        ("attendances", _("Attendances in the period"), "attendances", None),
        ("people", _("Different ambassadors who attended"), "attendees", None),
        ("top_share", _("Share from the most active tenth"), "share_of_attendances", "people"),
    ]
    rows = []
    for key, name, measure, base in figures:
        value = engagement[key]
        hidden = suppressed(measure, value, base=engagement[base] if base else None)
        rows.append({"key": key, "name": name, "value": value, "hidden": hidden})
    return rows


def charts(period: Period) -> dict[str, Chart]:
    quarters = period.quarters()
    quarter_ends = [min(metrics.quarter_end(q), period.end) for q in quarters]
    by_kind = metrics.ambassadors_by_kind(quarter_ends)
    per_quarter = metrics.activities_per_quarter(period)
    balls = metrics.balls_per_month(period)
    months = list(balls)
    month_labels = [month_label(m) for m in months]
    quarter_labels = [quarter_label(q) for q in quarters]
    promise = first_response_days()
    result = [
        Chart(
            slug="ambassadoerer",
            title=_("Ambassadors by kind"),
            description=_(
                "Line chart: the number of ambassadors of each kind at the end of each quarter."
            ),
            labels=quarter_labels,
            keys=quarters,
            label_heading=_("Quarter"),
            kind="line",
            series=[
                Series(
                    str(label), [by_kind[kind][day] for day in quarter_ends], measure="ambassadors"
                )
                for kind, label in AmbassadorKind.choices
            ],
        ),
        Chart(
            slug="aktiviteter",
            title=_("Activities per quarter"),
            description=_("Bar chart: activities held or planned to be held, per quarter."),
            labels=quarter_labels,
            keys=quarters,
            label_heading=_("Quarter"),
            series=[
                Series(_("Activities"), [per_quarter[q] for q in quarters], measure="activities")
            ],
        ),
        Chart(
            slug="bolde",
            title=_("Balls received and closed per month"),
            description=_("Bar chart: per month, the balls that came in and the balls closed."),
            labels=month_labels,
            keys=months,
            label_heading=_("Month"),
            series=[
                Series(_("Received"), [balls[m]["received"] for m in months], measure="balls"),
                Series(_("Closed"), [balls[m]["closed"] for m in months], measure="balls"),
            ],
        ),
        Chart(
            slug="svartid",
            title=_("Median days to the first response"),
            description=_(
                "Line chart: per month of receipt, the median number of days until a ball got "
                "its first response."
            ),
            labels=month_labels,
            keys=months,
            label_heading=_("Month"),
            kind="line",
            unit="days",
            series=[
                Series(
                    _("Median days"),
                    [balls[m]["median_days"] for m in months],
                    measure="median_of_balls",
                    bases=[balls[m]["answered"] for m in months],
                )
            ],
        ),
        Chart(
            slug="svar-til-tiden",
            title=_("Balls answered within %(days)s days") % {"days": promise},
            description=_(
                "Line chart: per month of receipt, the share of balls that got their first "
                "response within the promised %(days)s days."
            )
            % {"days": promise},
            labels=month_labels,
            keys=months,
            label_heading=_("Month"),
            kind="line",
            unit="percent",
            series=[
                Series(
                    _("Share in time"),
                    [balls[m]["in_time_share"] for m in months],
                    measure="share_of_balls",
                    bases=[balls[m]["due"] for m in months],
                )
            ],
        ),
    ]
    return {chart.slug: chart for chart in result}


def breakdown_charts(period: Period, strategy: Strategy | None) -> dict[str, Chart]:
    """The breakdowns by theme and core area, as tables (and CSV) with the same rules."""
    rows = metrics.breakdown(period)
    series_names = [
        ("balls", _("Balls received")),
        ("networks", _("Networks started")),
        ("activities", _("Activities")),
    ]
    result = {}
    for slug, key, title, heading in (
        ("temaer", "themes", _("By theme"), _("Theme")),
        ("kerneomraader", "core_areas", _("By core area"), _("Core area")),
    ):
        if strategy is not None:
            title = strategy.themes_heading if key == "themes" else strategy.core_areas_heading
        result[slug] = Chart(
            slug=slug,
            title=title,
            description=_("Balls, networks and activities in the period."),
            labels=[str(row["object"]) for row in rows[key]],
            label_heading=heading,
            series=[
                Series(name, [row[field] for row in rows[key]], measure=field)
                for field, name in series_names
            ],
            drawn=False,
        )
    return result


def dashboard_data(period: Period) -> dict:
    """Everything the dashboard shows for `period`, cached (see `cached`)."""
    return cached("dashboard", lambda: _dashboard_data(period), period.start, period.end)


def progress_data() -> dict:
    """The public progress page: the active strategy's goals and indicators, cached."""

    def compute():
        strategy = Strategy.objects.active().first()
        goals = goal_progress(strategy)
        return {
            "strategy": strategy,
            "goals": goals,
            "goal_charts": goal_charts(goals),
            "indicators": indicators(strategy),
        }

    return cached("progress", compute)


def _dashboard_data(period: Period) -> dict:
    strategy = Strategy.objects.active().first()
    goals = goal_progress(strategy, period)
    engagement = metrics.engagement(period)
    return {
        "period": period,
        "strategy": strategy,
        "goals": goals,
        "goal_charts": goal_charts(goals),
        "charts": charts(period),
        "breakdowns": breakdown_charts(period, strategy),
        "yearly": yearly_charts(strategy),
        "engagement": engagement,
        "engagement_rows": engagement_rows(engagement),
        "indicators": indicators(strategy, period),
        "promise_days": first_response_days(),
    }


def all_charts(data: dict) -> dict[str, Chart]:
    indicator_charts = {i.chart.slug: i.chart for i in data["indicators"] if i.chart}
    return {
        **data["goal_charts"],
        **data["charts"],
        **data["breakdowns"],
        **data.get("yearly", {}),
        **indicator_charts,
    }


# The reasons a goal's state cannot be told yet, as the reader sees them.
def too_early_reason(progress: GoalProgress) -> str:
    if progress.reason == TooEarly.NOT_STARTED:
        return _("The period starts on %(day)s.") % {"day": day_label(progress.goal.period_start)}
    if progress.reason == TooEarly.JUST_STARTED:
        return _("Less than a tenth of the period has passed.")
    if progress.reason == TooEarly.TOO_FEW:
        return _("Fewer than 5 balls or people in the last 3 months.")
    if progress.reason == TooEarly.NO_DATA:
        return _("Nothing has been recorded for it yet.")
    return ""


STATUS_LABELS = {
    GoalStatus.REACHED: gettext_lazy("Reached"),
    GoalStatus.ON_TRACK: gettext_lazy("On track"),
    GoalStatus.BEHIND: gettext_lazy("Behind"),
    GoalStatus.MISSED: gettext_lazy("Not reached"),
    GoalStatus.TOO_EARLY: gettext_lazy("Too early to say"),
    GoalStatus.NO_DATA: gettext_lazy("No data yet"),
}
