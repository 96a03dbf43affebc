"""Rendered pages kept per data version (udsathed/pagecache.py).

A kept page is the page rendering would have given: a fresh CSRF token that Django accepts and
this response's own CSP nonce; any saved change is seen at once; visitors with state (a session,
a message) and other users never get somebody else's page."""

import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.networks.factories import BallFactory
from themes.models import Theme
from udsathed import dataversion
from udsathed.pagecache import CSRF_HOLE, FORM_KEY_HOLE, NONCE_HOLE

SIGNUP = reverse("ambassadors:ambassador-signup")
BALLS = reverse("admin:networks_ball_changelist")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FORM_KEY = re.compile(r'name="form_key" value="([^"]+)"')
NONCE = re.compile(r'<script src="[^"]+" nonce="([^"]+)"')


def kept_pages():
    cache = caches["pages"]
    return [cache.get(key.split(":", 2)[2]) for key in list(cache._cache)]


def theme_url(fredericia):
    return reverse("themes:theme-detail", args=[fredericia.themes.order_by("number")[0].number])


def test_a_second_visit_is_one_query_and_the_same_page(
    client, fredericia, django_assert_max_num_queries
):
    url = theme_url(fredericia)
    first = client.get(url)
    with django_assert_max_num_queries(1):  # the data version, nothing else
        second = client.get(url)
    assert second.status_code == 200
    strip = lambda html: TOKEN.sub("", NONCE.sub("", html))  # noqa: E731
    assert strip(second.content.decode()) == strip(first.content.decode())


def test_kept_pages_hold_no_token_and_no_nonce_of_the_request_that_drew_them(client, fredericia):
    response = client.get(SIGNUP)
    html = response.content.decode()
    (page,) = kept_pages()
    assert TOKEN.search(html).group(1) not in page.body
    assert NONCE.search(html).group(1) not in page.body
    assert CSRF_HOLE in page.body and NONCE_HOLE in page.body


def test_every_visitor_of_a_kept_ball_form_gets_a_form_key_of_their_own(fredericia):
    url = reverse("networks:ball-create")
    keys = [FORM_KEY.search(Client().get(url).text).group(1) for _ in range(3)]
    (page,) = kept_pages()
    assert len(set(keys)) == 3 and FORM_KEY_HOLE in page.body
    assert not any(key in page.body for key in keys)


def test_a_kept_form_carries_a_fresh_token_django_accepts(fredericia):
    Client().get(SIGNUP)  # somebody else drew the page
    client = Client(enforce_csrf_checks=True)
    first, second = client.get(SIGNUP), client.get(SIGNUP)
    tokens = [TOKEN.search(r.content.decode()).group(1) for r in (first, second)]
    assert tokens[0] != tokens[1]  # masked anew, as a rendered page would be
    assert client.cookies["csrftoken"].value
    response = client.post(SIGNUP, {"csrfmiddlewaretoken": tokens[1], "name": ""})
    assert response.status_code == 200  # the form's own error, not 403 from the CSRF check


def test_a_kept_page_names_its_own_nonce_in_the_policy(client, fredericia):
    client.get(SIGNUP)
    nonces = []
    for _ in range(2):
        response = client.get(SIGNUP)
        nonce = NONCE.search(response.content.decode()).group(1)
        assert f"'nonce-{nonce}'" in response.headers["Content-Security-Policy"]
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


def test_a_saved_change_is_seen_at_once(client, fredericia):
    theme = fredericia.themes.order_by("number")[0]
    url = theme_url(fredericia)
    client.get(url)
    theme.title = "Et helt nyt navn på temaet"
    theme.save()
    assert "Et helt nyt navn på temaet" in client.get(url).content.decode()


def test_a_bulk_update_is_seen_once_its_writer_says_so(client, fredericia):
    url = theme_url(fredericia)
    client.get(url)
    Theme.objects.filter(strategy=fredericia).update(title="Omdøbt i én sætning")
    dataversion.changed()  # update() sends no signal; bulk writers say it themselves
    assert "Omdøbt i én sætning" in client.get(url).content.decode()


def test_the_data_version_moves_after_the_commit(django_capture_on_commit_callbacks, db):
    before = dataversion.current()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        BallFactory()
        BallFactory()
        # Others do not see the new rows yet, so their pages stay valid: no move so far.
        with connection.cursor() as cursor:
            cursor.execute("SELECT last_value FROM portal_data_version")
            assert cursor.fetchone()[0] == before
    assert len(callbacks) == 1  # one move for the whole transaction, after its commit
    assert dataversion.current() == before + 1


def test_a_read_after_a_change_in_the_same_transaction_gets_a_new_number(db):
    first = dataversion.current()
    BallFactory()
    second = dataversion.current()
    assert second > first
    assert dataversion.current() == second  # no change since: the same number


def test_the_sender_still_gets_the_receipt_on_a_kept_status_page(client, fredericia):
    response = client.post(
        reverse("networks:ball-create"),
        {"kind": "idea", "title": "En bænk", "description": "Ved havnen, tak."},
    )
    url = response["Location"]
    assert "Tak! Vi har modtaget din bold." not in Client().get(url).content.decode()  # kept
    assert "Tak! Vi har modtaget din bold." in client.get(url).content.decode()
    assert "Tak! Vi har modtaget din bold." not in client.get(url).content.decode()  # once


def test_a_visitor_with_a_message_gets_a_fresh_page(client, fredericia, settings):
    url = theme_url(fredericia)
    client.get(url)
    client.cookies["messages"] = "anything"
    assert len(kept_pages()) == 1
    client.get(url)  # not served from the cache, nor kept again under the same key
    assert len(kept_pages()) == 1


def test_no_page_is_kept_when_switched_off(client, fredericia, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get(theme_url(fredericia))
    assert kept_pages() == []


def test_staff_lists_are_never_kept(client, project_leader, db):
    BallFactory()
    client.force_login(project_leader)
    assert client.get(BALLS).status_code == 200
    assert kept_pages() == []


def test_a_kept_staff_list_is_not_shown_to_someone_who_lost_the_right(client, project_leader, db):
    BallFactory()
    client.force_login(project_leader)
    assert client.get(BALLS).status_code == 200
    project_leader.groups.clear()
    assert client.get(BALLS).status_code == 403


@pytest.mark.parametrize("name", ["home", "theme-list"])
def test_public_pages_are_kept(client, fredericia, name):
    client.get(reverse(f"themes:{name}"))
    assert len(kept_pages()) == 1


def test_the_first_change_of_a_new_sequence_is_seen(db):
    with connection.cursor() as cursor:
        cursor.execute("ALTER SEQUENCE portal_data_version RESTART")  # as just after migrate
    before = dataversion.current()
    BallFactory()
    assert dataversion.current() != before
