from unittest import mock

from django.db import OperationalError


def test_healthz_answers_200_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_answers_503_when_the_database_does_not(client, db):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError):
        response = client.get("/healthz")
    assert response.status_code == 503


def test_a_server_error_shows_the_friendly_page_without_details(client, db, settings):
    from django.urls import path

    def boom(request):
        raise RuntimeError("secret-internal-detail")

    urlconf = type(
        "urlconf",
        (),
        {"urlpatterns": [path("boom/", boom)], "handler500": "udsathed.views.server_error"},
    )
    settings.ROOT_URLCONF = urlconf
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "secret-internal-detail" not in html
    assert "Traceback" not in html
    assert "Noget gik galt hos os" in html
