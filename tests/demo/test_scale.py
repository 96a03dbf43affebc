"""`seed_demo --scale N` (udsathed/demo/scale.py) and the pages at scale: one request of each page
runs the same SQL queries whatever the amount of data (issue #9; `make bench` measures speed)."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ambassadors.models import Ambassador, Newsletter, Story
from networks.models import Activity, Ball, Network, Registration
from udsathed.demo.scale import PREFIX, build_scale, scale_delete

pytestmark = pytest.mark.django_db


def test_scale_one_is_a_municipality(fredericia):
    counts = build_scale(scale=1)
    assert counts["ambassadors"] == Ambassador.objects.filter(email__startswith=PREFIX).count()
    assert Ambassador.objects.filter(email__startswith=PREFIX).count() == 500
    assert Ball.objects.filter(token__startswith=PREFIX).count() == 1_000
    assert Network.objects.filter(slug__startswith=PREFIX).count() == 60
    assert Activity.objects.filter(slug__startswith=PREFIX).count() == 150
    assert Registration.objects.filter(attended=True).exists()
    assert Story.objects.exists() and Newsletter.objects.published().exists()
    assert Ambassador.objects.in_directory().exists()
    scale_delete()
    assert not Ambassador.objects.filter(email__startswith=PREFIX).exists()
    assert not Ball.objects.filter(token__startswith=PREFIX).exists()


def test_seed_demo_scale_adds_the_demo_once_and_scale_data(fredericia):
    call_command("seed_demo", "--scale", "1", "--force")
    assert Network.objects.filter(kind="standing").exists()
    balls = Ball.objects.count()
    call_command("seed_demo", "--scale", "1", "--force")  # already there: nothing twice
    assert Ball.objects.count() == balls


def queries(client, path, **kwargs):
    client.get(path, secure=True, **kwargs)  # the second request: warm caches count
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, secure=True, **kwargs)
    assert response.status_code == 200, path
    return len(captured)


# The benchmark's pages (logged in as a superuser, who may open them all).
PAGES = [
    "/",
    "/temaer/1/",
    "/ambassadoerer/?kind=association",
    "/netvaerk/scale-netvaerk-1/",
    "/ambassadoerer/bliv-ambassadoer/",
    "/fremdrift/",
    "/dashboard/",
    "/admin/networks/ball/?state__exact=passed",
    "/admin/networks/activity/",
    "/admin/ambassadors/ambassador/?state=active",
    "/bolde/",
    "/aktiviteter/",
    "/api/activities/",
]


def test_page_queries_do_not_grow_with_the_data(
    client, fredericia, superuser, django_assert_max_num_queries, settings
):
    build_scale(scale=1)
    client.force_login(superuser)
    ball = Ball.objects.filter(token__startswith=PREFIX, state="done").order_by("pk").first()
    activity = Activity.objects.filter(slug__startswith=PREFIX).order_by("pk").first()
    pages = [*PAGES, f"/bolde/{ball.token}/", f"/admin/networks/activity/{activity.pk}/change/"]
    small = {path: queries(client, path) for path in pages}
    build_scale(scale=2, seed=7)  # three municipalities now
    large = {path: queries(client, path) for path in pages}
    assert large == small
    with django_assert_max_num_queries(12):
        client.get("/admin/networks/ball/?state__exact=passed", secure=True)
    with django_assert_max_num_queries(10):
        client.get("/ambassadoerer/?kind=association", secure=True)


def test_ball_list_network_filter_gives_way_to_search_past_its_cap(
    client, fredericia, superuser, monkeypatch
):
    from networks.admin import BallNetworkFilter

    build_scale(scale=1)
    client.force_login(superuser)
    changelist = "/admin/networks/ball/"
    assert "network__id__exact" in client.get(changelist, secure=True).content.decode()
    monkeypatch.setattr(BallNetworkFilter, "MAX_CHOICES", 3)
    assert "network__id__exact" not in client.get(changelist, secure=True).content.decode()
    network = Ball.objects.filter(network__slug__startswith=PREFIX).first().network
    response = client.get(changelist, {"q": network.name}, secure=True)
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1
