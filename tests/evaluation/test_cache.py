"""The dashboard's and the progress page's figures are kept in Django's cache for a few minutes
(evaluation/dashboard.py): a second request reads them, and the timeout bounds how old they get."""

from datetime import date, timedelta

from django.core.cache import cache
from django.urls import reverse

from evaluation import dashboard
from evaluation.metrics import Period
from tests.evaluation import test_views
from tests.evaluation.factories import at
from tests.evaluation.test_views import DASHBOARD, PERIOD
from tests.networks.factories import BallFactory

PROGRESS = reverse("evaluation:progress")
data = test_views.data  # the same fixture: three ambassadors, ten balls, an indicator


def received_in_march(report):
    chart = report["charts"]["bolde"]
    return chart.series[0].values[chart.labels.index(dashboard.month_label(date(2020, 3, 1)))]


def test_a_second_dashboard_request_reads_the_kept_figures(
    client, committee_member, data, django_assert_max_num_queries
):
    client.force_login(committee_member)
    assert client.get(DASHBOARD, PERIOD).status_code == 200
    with django_assert_max_num_queries(8):
        response = client.get(DASHBOARD, PERIOD)
    assert response.status_code == 200
    assert "150 ambassadører ved udgangen af 2020" in response.content.decode()


def test_a_second_progress_request_reads_the_kept_figures(
    client, data, django_assert_max_num_queries
):
    assert client.get(PROGRESS).status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get(PROGRESS).status_code == 200


def test_figures_are_computed_once_within_the_timeout(data, monkeypatch):
    period = Period(date(2020, 1, 1), date(2020, 12, 31))
    calls = []
    compute = dashboard._dashboard_data
    monkeypatch.setattr(dashboard, "_dashboard_data", lambda p: calls.append(p) or compute(p))
    dashboard.dashboard_data(period)
    dashboard.dashboard_data(period)
    assert len(calls) == 1
    dashboard.dashboard_data(Period(date(2020, 1, 1), date(2020, 6, 30)))  # another period
    assert len(calls) == 2


def test_a_new_ball_is_counted_once_the_kept_figures_expire(data, monkeypatch):
    period = Period(date(2020, 1, 1), date(2020, 12, 31))
    before = received_in_march(dashboard.dashboard_data(period))
    received = at(date(2020, 3, 20))
    BallFactory(received_at=received, first_response_at=received + timedelta(days=1))
    assert received_in_march(dashboard.dashboard_data(period)) == before  # kept
    cache.clear()  # what the timeout does
    assert received_in_march(dashboard.dashboard_data(period)) == before + 1
