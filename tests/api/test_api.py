"""Issue 22, item 3: the read-only API under /api/."""

from datetime import date, timedelta
from urllib.parse import unquote

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.validation import validate_schema

from ambassadors.models import Newsletter, NewsletterState
from networks.models import ActivityKind, ActivityState, BallEvent, BallState, NetworkState
from tests.ambassadors.factories import AmbassadorFactory
from tests.evaluation.factories import (
    ActivityFactory,
    GoalFactory,
    IndicatorFactory,
    MeasurementFactory,
)
from tests.networks.factories import BallFactory, NetworkFactory
from themes.models import Theme
from udsathed.api.urls import router, urlpatterns

pytestmark = pytest.mark.django_db

LISTS = [
    "api:theme-list",
    "api:corearea-list",
    "api:network-list",
    "api:activity-list",
    "api:newsletter-list",
    "api:goal-list",
    "api:indicator-list",
    "api:ball-list",
    "api:strategy",
]


def soon(days=3, **kwargs):
    kwargs.setdefault("state", ActivityState.OPEN)
    return ActivityFactory(starts_at=timezone.now() + timedelta(days=days), **kwargs)


def test_schema_validates_and_names_every_endpoint(tmp_path):
    path = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    schema = yaml.safe_load(path.read_text())
    validate_schema(schema)
    paths = set(schema["paths"])
    expected = {
        reverse(f"api:{pattern.name}")
        for pattern in urlpatterns
        if getattr(pattern, "name", None) not in (None, "schema", "docs")
    }
    for url in router.urls:
        if url.name.endswith("-list"):
            expected.add(reverse(f"api:{url.name}"))
        elif url.name.endswith("-detail"):
            view = url.callback.cls
            field = getattr(view, "lookup_url_kwarg", None) or view.lookup_field
            expected.add(unquote(reverse(f"api:{url.name}", args=[f"{{{field}}}"])))
    assert expected <= paths, expected - paths


def test_schema_and_docs_are_served(client):
    assert client.get(reverse("api:schema")).status_code == 200
    docs = client.get(reverse("api:docs"))
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "<style" not in html and "<script>" not in html  # the CSP allows no inline code
    assert "drf_spectacular_sidecar" in html  # Swagger UI from our own static files


def test_activities_follow_the_page_filters_and_hide_drafts(client, fredericia):
    theme = Theme.objects.of_active_strategy().first()
    tagged = soon(kind=ActivityKind.WORKSHOP)
    tagged.themes.add(theme)
    soon()
    soon(state=ActivityState.PLANNED)
    past = ActivityFactory(starts_at=timezone.now() - timedelta(days=20))
    url = reverse("api:activity-list")
    assert client.get(url).json()["count"] == 2
    assert [a["slug"] for a in client.get(url, {"theme": theme.pk}).json()["results"]] == [
        tagged.slug
    ]
    assert client.get(url, {"kind": "workshop"}).json()["count"] == 1
    assert [a["slug"] for a in client.get(url, {"tid": "tidligere"}).json()["results"]] == [
        past.slug
    ]
    bad = client.get(url, {"theme": "nonsense"})
    assert bad.status_code == 400 and "theme" in bad.json()


def test_unpublished_objects_are_not_in_the_api(client):
    draft_activity = soon(state=ActivityState.PLANNED)
    NetworkFactory(state=NetworkState.PLANNED, slug="planlagt")
    Newsletter.objects.create(title="Kladde", slug="kladde", body="x")
    assert client.get(reverse("api:activity-detail", args=[draft_activity.slug])).status_code == 404
    assert client.get(reverse("api:network-detail", args=["planlagt"])).status_code == 404
    assert client.get(reverse("api:newsletter-detail", args=["kladde"])).status_code == 404
    assert client.get(reverse("api:network-list")).json()["count"] == 0


def test_both_languages_by_query_or_accept_language(client, fredericia):
    url = reverse("api:theme-list")
    danish = client.get(url).json()["results"][0]["title"]
    english = client.get(url, {"lang": "en"}).json()["results"][0]["title"]
    by_header = client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()["results"][0]["title"]
    assert danish != english == by_header
    assert client.get(url, {"lang": "en"})["Content-Language"] == "en"
    assert "Accept-Language" in client.get(url)["Vary"]


def test_etag_and_if_none_match_give_304(client, fredericia):
    url = reverse("api:strategy")
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert client.get(url, {"lang": "en"}, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_cors_allows_any_origin_to_read_the_api_only(client):
    api = client.get(reverse("api:activity-list"), HTTP_ORIGIN="https://www.fredericia.dk")
    assert api["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in api
    preflight = client.options(
        reverse("api:activity-list"),
        HTTP_ORIGIN="https://www.fredericia.dk",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    page = client.get(reverse("networks:activity-list"), HTTP_ORIGIN="https://www.fredericia.dk")
    assert "Access-Control-Allow-Origin" not in page


def test_rate_limit_per_client_address_answers_429_in_json(client, settings):
    settings.API_RATE_LIMIT = "3/m"
    url = reverse("api:activity-list")
    statuses = [client.get(url, REMOTE_ADDR="203.0.113.9").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get(url, REMOTE_ADDR="203.0.113.9")
    assert limited["Content-Type"] == "application/json" and "Retry-After" in limited
    assert client.get(url, REMOTE_ADDR="203.0.113.10").status_code == 200


def test_rate_limit_reads_the_trusted_proxy_address(client, settings):
    settings.API_RATE_LIMIT = "1/m"
    settings.TRUSTED_PROXY_COUNT = 1
    url = reverse("api:theme-list")
    forged = "1.1.1.1, 198.51.100.7"
    assert client.get(url, HTTP_X_FORWARDED_FOR=forged).status_code == 200
    # Another forged left entry does not buy a new allowance: the proxy's entry counts.
    again = client.get(url, HTTP_X_FORWARDED_FOR="2.2.2.2, 198.51.100.7")
    assert again.status_code == 429


def test_goals_show_what_the_progress_page_shows(client, fredericia):
    goal = GoalFactory(period_start=date(2020, 1, 1), period_end=date(2020, 12, 31), target=150)
    AmbassadorFactory(confirmed_at=timezone.make_aware(timezone.datetime(2020, 6, 1)))
    page = client.get(reverse("evaluation:progress")).content.decode()
    row = next(g for g in client.get(reverse("api:goal-list")).json() if g["slug"] == goal.slug)
    assert row["value_display"] == "<5"  # one person: the small-count rule, as on the page
    assert "&lt;5" in page
    assert row["title"] == goal.title and row["status"] and row["status_label"]


def test_indicators_with_measurements(client, fredericia):
    indicator = IndicatorFactory()
    MeasurementFactory(indicator=indicator)
    rows = client.get(reverse("api:indicator-list")).json()
    assert rows[0]["name"] == indicator.name and len(rows[0]["measurements"]) == 1


def test_pagination(client):
    for n in range(25):
        soon(days=1 + n)
    first = client.get(reverse("api:activity-list")).json()
    assert first["count"] == 25 and len(first["results"]) == 20 and first["next"]
    assert len(client.get(reverse("api:activity-list"), {"page_size": 5}).json()["results"]) == 5


# The goals and indicators come through the progress page's cached figures (the cache is the
# database's: a read and a write on a miss), at most four queries for any number of goals.
QUERY_BOUNDS = {"api:goal-list": 20, "api:indicator-list": 20}


@pytest.mark.parametrize("name", LISTS)
def test_every_endpoint_has_bounded_queries_at_scale(
    name, client, fredericia, django_assert_max_num_queries
):
    themes = list(Theme.objects.of_active_strategy())
    now = timezone.now()
    for n in range(60):
        activity = soon(days=1 + n)
        activity.themes.set(themes[:3])
        network = NetworkFactory()
        network.themes.set(themes[:2])
        Newsletter.objects.create(
            title=f"Brev {n}",
            slug=f"brev-{n}",
            body="x",
            state=NewsletterState.SENT,
            sent_html="<p>x</p>",
            send_started_at=now,
            sent_at=now,
        )
        ball = BallFactory(published=True, network=network, state=BallState.DONE)
        ball.themes.set(themes[:2])
        BallEvent.objects.create(
            ball=ball, to_state=BallState.DONE, public_note=f"Svar {n}", is_public=True
        )
    for _n in range(10):
        GoalFactory()
        MeasurementFactory(indicator=IndicatorFactory())
    with django_assert_max_num_queries(QUERY_BOUNDS.get(name, 10)):
        response = client.get(reverse(name))
    assert response.status_code == 200


def test_balls_are_the_published_ones_with_their_public_texts_and_answers(client, fredericia):
    network = NetworkFactory(slug="boldnet")
    shown = BallFactory(
        published=True,
        network=network,
        state=BallState.DECLINED,
        public_title="Flere bænke ved havnen",
        title="Afsenderens egen titel",
        contact_name="Afsender Navn",
    )
    BallEvent.objects.create(
        ball=shown,
        to_state=BallState.DECLINED,
        public_note="Nej, fordi pladsen er fredet.",
        is_public=True,
    )
    BallFactory(publish_consent=True, public_title="Ikke udgivet", public_summary="Resumé")
    BallFactory(published=True, state=BallState.RECEIVED, public_title="Modtaget")

    body = client.get(reverse("api:ball-list")).json()
    titles = [ball["title"] for ball in body["results"]]
    assert sorted(titles) == ["Flere bænke ved havnen", "Modtaget"]
    ball = client.get(reverse("api:ball-detail", args=[shown.pk])).json()
    assert ball["number"] == shown.pk and ball["network"] == "boldnet"
    assert ball["url"].endswith(shown.get_public_url())
    assert ball["answers"][0]["answer"] == "Nej, fordi pladsen er fredet."
    text = str(ball)
    assert "Afsenderens egen titel" not in text and "Afsender Navn" not in text
    filtered = client.get(reverse("api:ball-list"), {"state": BallState.DECLINED}).json()
    assert [ball["number"] for ball in filtered["results"]] == [shown.pk]
    unpublished = BallFactory(publish_consent=True, public_title="Skjult", public_summary="x")
    assert client.get(reverse("api:ball-detail", args=[unpublished.pk])).status_code == 404
    assert client.get("/api/balls/abc/").status_code == 404
