"""The dashboard and the progress page are computed once per data version (evaluation/dashboard.py):
a second request reads the cache, and any change to the data they count is seen at once."""

from datetime import date, timedelta

from django.urls import reverse

from evaluation import dashboard
from evaluation.metrics import Period
from tests.evaluation import test_views
from tests.evaluation.factories import at
from tests.evaluation.test_views import DASHBOARD, PERIOD
from tests.networks.factories import BallFactory
from udsathed import dataversion

PROGRESS = reverse("evaluation:progress")
data = test_views.data  # the same fixture: three ambassadors, ten balls, an indicator


def received_in_march(report):
    chart = report["charts"]["bolde"]
    return chart.series[0].values[chart.labels.index(dashboard.month_label(date(2020, 3, 1)))]


def test_a_second_dashboard_request_is_served_from_the_cache(
    client, committee_member, data, django_assert_max_num_queries
):
    client.force_login(committee_member)
    assert client.get(DASHBOARD, PERIOD).status_code == 200
    with django_assert_max_num_queries(8):
        response = client.get(DASHBOARD, PERIOD)
    assert response.status_code == 200
    assert "150 ambassadører ved udgangen af 2020" in response.content.decode()


def test_a_second_progress_request_is_served_from_the_cache(
    client, data, django_assert_max_num_queries
):
    assert client.get(PROGRESS).status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get(PROGRESS).status_code == 200


def test_the_cache_sees_a_new_ball_at_once(data):
    period = Period(date(2020, 1, 1), date(2020, 12, 31))
    before = received_in_march(dashboard.dashboard_data(period))
    received = at(date(2020, 3, 20))
    BallFactory(received_at=received, first_response_at=received + timedelta(days=1))
    assert received_in_march(dashboard.dashboard_data(period)) == before + 1


def test_computed_once_per_data_version(data, monkeypatch):
    period = Period(date(2020, 1, 1), date(2020, 12, 31))
    calls = []
    compute = dashboard._dashboard_data
    monkeypatch.setattr(dashboard, "_dashboard_data", lambda p: calls.append(p) or compute(p))
    dashboard.dashboard_data(period)
    dashboard.dashboard_data(period)
    assert len(calls) == 1
    dataversion.changed()  # what bulk writers (seed_demo --scale) call themselves
    dashboard.dashboard_data(period)
    assert len(calls) == 2
