"""Every metric against values worked out by hand on small factory data."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from ambassadors.models import AmbassadorKind
from evaluation import metrics
from evaluation.metrics import GoalStatus, Period
from evaluation.models import Metric
from networks.models import ActivityKind, ActivityState, BallState, NetworkState
from tests.ambassadors.factories import (
    AmbassadorFactory,
    ParticipationFactory,
    UnconfirmedAmbassadorFactory,
)
from tests.evaluation.factories import ActivityFactory, GoalFactory, at
from tests.networks.factories import BallFactory, NetworkFactory

Y2020 = Period(date(2020, 1, 1), date(2020, 12, 31))
pytestmark = pytest.mark.usefixtures("fredericia")


def confirmed(day, **extra):
    return AmbassadorFactory(confirmed_at=at(day), created_at=at(day), **extra)


# Ambassadors ----------------------------------------------------------------------------------


def test_no_data_gives_zero_and_no_share():
    assert metrics.ambassadors_on([date(2020, 12, 31)]) == {
        date(2020, 12, 31): {"total": 0, "local": 0}
    }
    goal = GoalFactory(metric=Metric.SHARE_LIVING_LOCALLY, target=20)
    [progress] = metrics.compute_goals([goal], date(2021, 1, 1))
    assert progress.value is None
    assert progress.status == GoalStatus.NO_DATA  # the period is over: nothing was recorded


def test_confirmed_ambassadors_leave_out_unconfirmed_lapsed_and_withdrawn():
    confirmed(date(2019, 5, 1))  # counts
    confirmed(date(2020, 12, 31), postcode="2000")  # counts, the last day included
    confirmed(date(2021, 1, 1))  # too late
    UnconfirmedAmbassadorFactory(created_at=at(date(2020, 3, 1)))
    confirmed(date(2019, 1, 1), lapsed_at=at(date(2020, 6, 1)))  # lapsed before the end
    confirmed(date(2019, 1, 1), lapsed_at=at(date(2021, 6, 1)))  # still there at the end
    confirmed(date(2019, 1, 1), erased_at=at(date(2022, 1, 1)))  # withdrawn: never counts
    on = metrics.ambassadors_on([date(2020, 12, 31), date(2019, 12, 31)])
    assert on[date(2020, 12, 31)] == {"total": 3, "local": 2}
    assert on[date(2019, 12, 31)] == {"total": 3, "local": 3}


def test_ambassador_goals_count_up_to_the_end_of_their_period():
    for _ in range(3):
        confirmed(date(2020, 2, 1))  # 7000: in Fredericia
    confirmed(date(2020, 2, 1), postcode="2000")
    count = GoalFactory(metric=Metric.CONFIRMED_AMBASSADORS, target=4)
    share = GoalFactory(metric=Metric.SHARE_LIVING_LOCALLY, target=80)
    progress = metrics.compute_goals([count, share], as_of=date(2026, 1, 1))
    assert [p.value for p in progress] == [4, 75.0]
    assert [p.status for p in progress] == [GoalStatus.REACHED, GoalStatus.MISSED]
    # Halfway through the period the count was already there: reached at once. Nobody joined
    # in the last three months, so where the share is heading cannot be told yet.
    progress = metrics.compute_goals([count, share], as_of=date(2020, 6, 30))
    assert [p.status for p in progress] == [GoalStatus.REACHED, GoalStatus.TOO_EARLY]
    assert progress[1].reason == metrics.TooEarly.TOO_FEW
    assert progress[0].measured_until == date(2020, 6, 30)
    # Before the period began there is nothing to count.
    progress = metrics.compute_goals([count], as_of=date(2019, 6, 30))
    assert progress[0].status == GoalStatus.TOO_EARLY
    assert progress[0].reason == metrics.TooEarly.NOT_STARTED
    assert progress[0].value is None


def test_ambassadors_by_kind_at_quarter_ends():
    confirmed(date(2020, 2, 1))
    confirmed(date(2020, 5, 1), kind=AmbassadorKind.COMPANY, organisation_name="Firma A/S")
    confirmed(date(2020, 5, 1), lapsed_at=at(date(2020, 8, 1)))
    days = [date(2020, 3, 31), date(2020, 6, 30), date(2020, 9, 30)]
    by_kind = metrics.ambassadors_by_kind(days)
    assert list(by_kind[AmbassadorKind.CITIZEN].values()) == [1, 2, 1]
    assert list(by_kind[AmbassadorKind.COMPANY].values()) == [0, 1, 1]
    assert list(by_kind[AmbassadorKind.ASSOCIATION].values()) == [0, 0, 0]


def test_engagement_active_passive_and_the_most_active_tenth():
    people = [confirmed(date(2019, 1, 1)) for _ in range(11)]
    # One person attended 10 times, ten people once each: 20 attendances from 11 people.
    # The top 10 % is ceil(11 * 0.1) = 2 people: 10 + 1 = 11 of 20 = 55 %.
    for n in range(10):
        ParticipationFactory(ambassador=people[0], occurred_on=date(2020, 3, 1 + n))
    for person in people[1:]:
        ParticipationFactory(ambassador=person, occurred_on=date(2020, 5, 1))
    passive = confirmed(date(2019, 1, 1))
    ParticipationFactory(ambassador=passive, occurred_on=date(2019, 6, 1))  # over a year old
    withdrawn = confirmed(date(2019, 1, 1), erased_at=timezone.now())
    ParticipationFactory(ambassador=withdrawn, occurred_on=date(2020, 5, 1))
    figures = metrics.engagement(Y2020)
    assert figures["active"] == 11
    assert figures["passive"] == 1
    assert figures["attendances"] == 20
    assert figures["people"] == 11
    assert figures["top_share"] == 55.0


def test_engagement_in_a_period_without_activity():
    confirmed(date(2019, 1, 1))
    figures = metrics.engagement(Period(date(2024, 1, 1), date(2024, 12, 31)))
    assert figures == {
        "active": 0,
        "passive": 1,
        "attendances": 0,
        "people": 0,
        "top_share": None,
    }


# Networks and activities ----------------------------------------------------------------------


def test_started_initiatives_and_plenary_meetings():
    NetworkFactory(starts_on=date(2019, 3, 1))
    NetworkFactory(starts_on=date(2020, 3, 1), closed=True)
    NetworkFactory(starts_on=date(2020, 4, 1), state=NetworkState.PLANNED)  # not started
    NetworkFactory(starts_on=date(2018, 4, 1))  # before
    ActivityFactory(starts_at=at(date(2019, 5, 1)), kind=ActivityKind.DIALOGUE)
    ActivityFactory(starts_at=at(date(2020, 5, 1)), kind=ActivityKind.THEME_DAY)
    ActivityFactory(starts_at=at(date(2020, 6, 1)), kind=ActivityKind.PLENARY)
    ActivityFactory(starts_at=at(date(2020, 7, 1)), kind=ActivityKind.NETWORK_MEETING)
    ActivityFactory(starts_at=at(date(2020, 8, 1)), state=ActivityState.CANCELLED)
    ActivityFactory(starts_at=at(date(2020, 9, 1)), state=ActivityState.PLANNED)
    ActivityFactory(starts_at=at(date(2021, 1, 1)))
    both_years = Period(date(2019, 1, 1), date(2020, 12, 31))
    assert metrics.activity_counts([both_years, Y2020]) == [
        {"networks": 2, "activities": 3, "plenary": 1},
        {"networks": 1, "activities": 2, "plenary": 1},
    ]
    started = GoalFactory(
        metric=Metric.STARTED_INITIATIVES,
        target=8,
        period_start=date(2019, 1, 1),
        period_end=date(2020, 12, 31),
    )
    plenary = GoalFactory(metric=Metric.PLENARY_MEETINGS, target=1)
    progress = metrics.compute_goals([started, plenary], as_of=date(2025, 1, 1))
    assert [p.value for p in progress] == [5, 1]
    assert [p.status for p in progress] == [GoalStatus.MISSED, GoalStatus.REACHED]
    # By 30 April 2019 (120 of 731 days) 1 at that pace lands at 1 + 611 / 120 = 6: behind;
    # by 30 June (181 days) 2 land at 2 + 550 * 2 / 181 = 8: on track.
    early = metrics.compute_goals([started], as_of=date(2019, 4, 30))[0]
    assert (early.value, early.projection, early.status) == (1, 6, GoalStatus.BEHIND)
    later = metrics.compute_goals([started], as_of=date(2019, 6, 30))[0]
    assert (later.value, later.projection, later.status) == (2, 8, GoalStatus.ON_TRACK)


def test_activities_per_quarter():
    ActivityFactory(starts_at=at(date(2020, 1, 15)))
    ActivityFactory(starts_at=at(date(2020, 3, 31), hour=23))  # late evening stays in Q1
    ActivityFactory(starts_at=at(date(2020, 11, 1)))
    per_quarter = metrics.activities_per_quarter(Y2020)
    assert per_quarter == {
        date(2020, 1, 1): 2,
        date(2020, 4, 1): 0,
        date(2020, 7, 1): 0,
        date(2020, 10, 1): 1,
    }


# Balls ----------------------------------------------------------------------------------------


def ball(received: date, answered_after_days: float | None, **extra):
    received_at = at(received)
    first = (
        None if answered_after_days is None else received_at + timedelta(days=answered_after_days)
    )
    return BallFactory(received_at=received_at, first_response_at=first, **extra)


def test_median_first_response_and_share_in_time():
    ball(date(2020, 3, 1), 2)
    ball(date(2020, 3, 5), 4)
    ball(date(2020, 3, 9), 12)  # late
    ball(date(2020, 3, 10), None)  # never answered: not in the median, late in the share
    ball(date(2020, 4, 1), 30, state=BallState.DONE, closed_at=at(date(2020, 5, 3)))
    ball(date(2019, 4, 1), 1)  # another year
    now = at(date(2026, 1, 1))
    [figures] = metrics.ball_response([Y2020], now=now)
    assert figures["median_days"] == 8.0  # median of 2, 4, 12, 30
    assert figures["in_time_share"] == 40.0  # 2 of 5 due
    months = metrics.balls_per_month(Period(date(2020, 3, 1), date(2020, 5, 31)), now=now)
    assert months[date(2020, 3, 1)] == {
        "received": 4,
        "closed": 0,
        "median_days": 4.0,
        "in_time_share": 50.0,
        "answered": 3,
        "due": 4,
    }
    assert months[date(2020, 4, 1)]["median_days"] == 30.0
    assert months[date(2020, 4, 1)]["in_time_share"] == 0.0
    assert months[date(2020, 5, 1)] == {
        "received": 0,
        "closed": 1,
        "median_days": None,
        "in_time_share": None,
        "answered": 0,
        "due": 0,
    }


def test_a_ball_not_yet_due_is_not_counted_late():
    now = timezone.now()
    BallFactory(received_at=now - timedelta(days=2))
    period = Period(timezone.localdate() - timedelta(days=30), timezone.localdate())
    [figures] = metrics.ball_response([period], now=now)
    assert figures == {"median_days": None, "in_time_share": None, "due": 0, "answered": 0}


def test_median_goal_is_a_maximum():
    ball(date(2020, 3, 1), 3)
    ball(date(2020, 3, 2), 5)
    goal = GoalFactory(metric=Metric.MEDIAN_FIRST_RESPONSE_DAYS, target=10)
    late = GoalFactory(metric=Metric.MEDIAN_FIRST_RESPONSE_DAYS, target=3)
    in_time = GoalFactory(metric=Metric.SHARE_ANSWERED_IN_TIME, target=90)
    progress = metrics.compute_goals([goal, late, in_time], as_of=date(2026, 1, 1))
    assert [p.value for p in progress] == [4.0, 4.0, 100.0]
    assert [p.status for p in progress] == [
        GoalStatus.REACHED,
        GoalStatus.MISSED,
        GoalStatus.REACHED,
    ]


def test_goals_take_a_fixed_number_of_queries(django_assert_max_num_queries):
    goals = [GoalFactory(metric=metric, target=1) for metric in Metric.values for _ in range(3)]
    with django_assert_max_num_queries(5):
        progress = metrics.compute_goals(goals, as_of=date(2026, 1, 1))
    assert len(progress) == len(goals)
    with django_assert_max_num_queries(5):  # halfway, with projections
        progress = metrics.compute_goals(goals, as_of=date(2020, 7, 1))
    assert len(progress) == len(goals)


# Breakdowns -----------------------------------------------------------------------------------


def test_breakdown_by_theme_and_core_area(fredericia):
    theme = fredericia.themes.get(number=7)
    area = theme.core_areas.first()
    b = ball(date(2020, 3, 1), 1)
    b.themes.set([theme])
    b.core_areas.set([area])
    ball(date(2019, 3, 1), 1).themes.set([theme])  # outside the period
    NetworkFactory(starts_on=date(2020, 2, 1), themes=[theme])
    activity = ActivityFactory(starts_at=at(date(2020, 2, 1)))
    activity.themes.set([theme])
    activity.core_areas.set([area])
    rows = metrics.breakdown(Y2020)
    [theme_row] = [r for r in rows["themes"] if r["object"] == theme]
    assert (theme_row["balls"], theme_row["networks"], theme_row["activities"]) == (1, 1, 1)
    [area_row] = [r for r in rows["core_areas"] if r["object"] == area]
    assert (area_row["balls"], area_row["networks"], area_row["activities"]) == (1, 0, 1)
    assert len(rows["themes"]) == 12
    other = [r for r in rows["themes"] if r["object"] != theme]
    assert all(r["balls"] == r["networks"] == r["activities"] == 0 for r in other)


def test_csv_cells_never_start_a_formula():
    from evaluation.charts import Chart, Series

    chart = Chart(
        slug="x",
        title="X",
        description="",
        labels=['=HYPERLINK("http://example.com")', "Tema"],
        series=[Series("@navn", [3, 12], measure="ambassadors")],
        label_heading="Tema",
    )
    lines = chart.to_csv().splitlines()
    assert lines[0] == "Tema;'@navn"
    assert lines[1].startswith("\"'=HYPERLINK")
    assert lines[1].endswith(";<5")
    assert lines[2] == "Tema;12"


def test_ball_response_reads_only_the_balls_of_its_periods():
    """Each figure is filtered to its period: the balls outside every period are left out
    before the aggregates, not weighed against each of their filters."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ball(date(2020, 3, 1), 2)
    ball(date(2019, 4, 1), 1)
    with CaptureQueriesContext(connection) as captured:
        [figures] = metrics.ball_response([Y2020], now=at(date(2026, 1, 1)))
    assert figures["answered"] == 1
    (sql,) = [q["sql"] for q in captured]
    assert ' WHERE ("networks_ball"."received_at" >= ' in sql
