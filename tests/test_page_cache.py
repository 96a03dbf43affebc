"""The public pages without forms or personal data are kept drawn by Django's per-view cache
(udsathed.core.cache.public_page): served again without drawing, never with anything of one
visitor's to another, and never for someone with a session or on a page that must be current."""

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from tests.ambassadors.factories import AmbassadorFactory
from tests.networks.factories import BallFactory, NetworkFactory

CACHED = [
    "/",
    "/temaer/",
    "/temaer/1/",
    "/om/",
    "/tilgaengelighed/",
    "/privatliv/",
    "/netvaerk/",
    "/aktiviteter/",
    "/nyhedsbreve/",
    "/bolde/",
    "/fremdrift/",
    "/en/",
    "/en/temaer/",
]


@pytest.fixture(autouse=True)
def real_page_cache(settings):
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "page-cache-test",
        },
    }
    caches["pages"].clear()
    yield
    caches["pages"].clear()


@pytest.mark.parametrize("path", CACHED)
def test_a_public_page_is_drawn_once_and_then_served_from_the_cache(
    client, fredericia, path, django_assert_max_num_queries
):
    first = client.get(path)
    assert first.status_code == 200
    assert "csrfmiddlewaretoken" not in first.content.decode()
    assert not first.cookies, first.cookies  # nothing of this visitor's is kept with the page
    assert "max-age=60" in first["Cache-Control"]
    with django_assert_max_num_queries(0):  # the cache is in memory here: no query at all
        again = Client().get(path)
    assert again.content == first.content


def test_a_change_shows_once_the_page_has_expired(client, fredericia):
    page = client.get("/netvaerk/").content.decode()
    NetworkFactory(name="Et Helt Nyt Netværk")
    assert client.get("/netvaerk/").content.decode() == page
    caches["pages"].clear()  # as PAGE_CACHE_SECONDS passing does
    assert "Et Helt Nyt Netværk" in client.get("/netvaerk/").content.decode()


def test_the_directory_which_lists_people_is_never_kept(client, fredericia):
    client.get("/ambassadoerer/")
    AmbassadorFactory(organisation=True, organisation_name="Ny I Kartoteket")
    assert "Ny I Kartoteket" in Client().get("/ambassadoerer/").content.decode()


def test_a_withdrawn_consent_leaves_no_kept_page_behind(
    client, fredericia, django_capture_on_commit_callbacks
):
    ball = BallFactory(published=True, public_title="Bænke Ved Havnen")
    for path in ("/bolde/", ball.get_public_url()):
        assert "Bænke Ved Havnen" in client.get(path).content.decode(), path
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(
            reverse("networks:ball-consent", kwargs={"token": ball.token}),
            {"publish_consent": "no"},
        )
    for path in ("/bolde/",):
        assert "Bænke Ved Havnen" not in Client().get(path).content.decode(), path
    assert Client().get(ball.get_public_url()).status_code == 404


def test_unpublishing_in_the_admin_leaves_no_kept_page_behind(
    client, fredericia, django_capture_on_commit_callbacks
):
    from networks.services import ball_unpublish

    ball = BallFactory(published=True, public_title="Bænke Ved Havnen")
    assert "Bænke Ved Havnen" in client.get("/bolde/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        ball_unpublish(ball=ball)
    assert "Bænke Ved Havnen" not in Client().get("/bolde/").content.decode()


def test_the_languages_are_kept_apart(client, fredericia):
    danish = client.get("/om/").content.decode()
    english = client.get("/en/om/").content.decode()
    assert '<html lang="da"' in danish
    assert '<html lang="en"' in english


def test_someone_with_a_session_gets_the_page_drawn_for_them(
    client, fredericia, django_assert_max_num_queries
):
    client.get("/netvaerk/")  # kept for anonymous visitors
    NetworkFactory(name="Et Helt Nyt Netværk")
    ambassador = AmbassadorFactory(name="Anna Med Session")
    session = Client()
    session.get(reverse("ambassadors:ambassador-login", args=[_login_token(ambassador)]))
    assert django_settings.SESSION_COOKIE_NAME in session.cookies
    # Drawn for her (and so current), and what was drawn for her is kept for no one.
    assert "Et Helt Nyt Netværk" in session.get("/netvaerk/").content.decode()
    with django_assert_max_num_queries(0):
        anonymous = Client().get("/netvaerk/").content.decode()
    assert "Et Helt Nyt Netværk" not in anonymous


def test_pages_that_must_be_current_are_never_kept(client, fredericia):
    ball = BallFactory()
    status = ball.get_absolute_url()
    for path in (status, "/bolde/send/", "/ambassadoerer/bliv-ambassadoer/"):
        client.get(path)
    ball.title = "En Ny Titel Lige Nu"
    ball.save(update_fields=["title"])
    assert "En Ny Titel Lige Nu" in Client().get(status).content.decode()
    for path in (status, "/bolde/send/", "/ambassadoerer/bliv-ambassadoer/"):
        response = Client().get(path)
        assert "max-age=60" not in response.get("Cache-Control", ""), path


def _login_token(ambassador):
    from ambassadors.tokens import make_token

    return make_token(ambassador, "login")
