"""Everything the committee dashboard shows for one period, shared by the page, the CSV files
and the PDF report. A bounded number of queries, whatever the amount of data."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.core.cache import cache
from django.db.models import Prefetch
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from ambassadors.models import AmbassadorKind
from evaluation import metrics
from evaluation.charts import Chart, Series
from evaluation.metrics import Period
from evaluation.models import Goal, Indicator, Measurement
from networks.models import first_response_days
from themes.models import Strategy

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
    if strategy is None:
        return []
    measurements = Measurement.objects.order_by("measured_on")
    if period is not None:
        measurements = measurements.filter(
            measured_on__gte=period.start, measured_on__lte=period.end
        )
    return list(
        strategy.indicators.prefetch_related(
            Prefetch("measurements", queryset=measurements, to_attr="shown")
        )
    )


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
            label_heading=_("Quarter"),
            kind="line",
            series=[
                Series(str(label), [by_kind[kind][day] for day in quarter_ends])
                for kind, label in AmbassadorKind.choices
            ],
        ),
        Chart(
            slug="aktiviteter",
            title=_("Activities per quarter"),
            description=_("Bar chart: activities held or planned to be held, per quarter."),
            labels=quarter_labels,
            label_heading=_("Quarter"),
            series=[Series(_("Activities"), [per_quarter[q] for q in quarters])],
        ),
        Chart(
            slug="bolde",
            title=_("Balls received and closed per month"),
            description=_("Bar chart: per month, the balls that came in and the balls closed."),
            labels=month_labels,
            label_heading=_("Month"),
            series=[
                Series(_("Received"), [balls[m]["received"] for m in months]),
                Series(_("Closed"), [balls[m]["closed"] for m in months]),
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
            label_heading=_("Month"),
            kind="line",
            unit="days",
            series=[Series(_("Median days"), [balls[m]["median_days"] for m in months])],
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
            label_heading=_("Month"),
            kind="line",
            unit="percent",
            series=[Series(_("Share in time"), [balls[m]["in_time_share"] for m in months])],
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
                Series(name, [row[field] for row in rows[key]]) for field, name in series_names
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
        return {"goals": goal_progress(strategy), "indicators": indicators(strategy)}

    return cached("progress", compute)


def _dashboard_data(period: Period) -> dict:
    strategy = Strategy.objects.active().first()
    return {
        "period": period,
        "strategy": strategy,
        "goals": goal_progress(strategy, period),
        "charts": charts(period),
        "breakdowns": breakdown_charts(period, strategy),
        "engagement": metrics.engagement(period),
        "indicators": indicators(strategy, period),
        "promise_days": first_response_days(),
    }


def all_charts(data: dict) -> dict[str, Chart]:
    return {**data["charts"], **data["breakdowns"]}
