"""Security items 1-5, 11 and 13: production settings, headers on every page type, CSRF."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from tests.test_settings import production_env, run_manage

REQUIRED_CSP = {
    "default-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
}


def test_production_settings_pass_the_deploy_check_at_warning_level():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **production_env())
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_hold_the_promised_values():
    script = (
        "import json; from django.conf import settings as s; print(json.dumps({"
        "'hsts': s.SECURE_HSTS_SECONDS, 'redirect': s.SECURE_SSL_REDIRECT,"
        "'session_secure': s.SESSION_COOKIE_SECURE, 'csrf_secure': s.CSRF_COOKIE_SECURE,"
        "'httponly': s.SESSION_COOKIE_HTTPONLY, 'samesite': [s.SESSION_COOKIE_SAMESITE,"
        " s.CSRF_COOKIE_SAMESITE], 'hasher': s.PASSWORD_HASHERS[0],"
        "'mail': s.MAILERS['default']['BACKEND'], 'health': s.DATABASES['default']"
        "['CONN_HEALTH_CHECKS'], 'age': s.DATABASES['default']['CONN_MAX_AGE'],"
        "'upload': s.DATA_UPLOAD_MAX_MEMORY_SIZE, 'otp': s.STAFF_REQUIRE_2FA,"
        "'validators': [v['NAME'].rsplit('.', 1)[1] for v in s.AUTH_PASSWORD_VALIDATORS],"
        "'min_length': [v.get('OPTIONS', {}).get('min_length') for v in"
        " s.AUTH_PASSWORD_VALIDATORS if 'MinimumLength' in v['NAME']][0]}))"
    )
    result = run_manage("shell", "-c", script, **production_env())
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["hsts"] >= 365 * 24 * 3600
    assert values["redirect"] is True
    assert values["session_secure"] and values["csrf_secure"] and values["httponly"]
    assert values["samesite"] == ["Lax", "Lax"]
    assert values["hasher"] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert values["mail"] == "django.core.mail.backends.smtp.EmailBackend"
    assert values["health"] is True and values["age"] > 0
    assert values["upload"] <= 1024 * 1024
    assert values["otp"] is True
    assert "CommonPasswordValidator" in values["validators"]
    assert values["min_length"] >= 12


def test_a_staff_password_is_stored_with_argon2(db, settings):
    from django.contrib.auth.models import User

    from udsathed import settings as project_settings

    # The suite hashes with MD5 for speed (tests/conftest.py); this test uses the project's list.
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    user = User.objects.create_user("leder", password="en lang nok adgangskode")
    assert user.password.startswith("argon2$")


@pytest.mark.parametrize(
    ("password", "accepted"),
    [("kort123", False), ("password1234", False), ("en sætning som huskes", True)],
)
def test_staff_passwords_need_length_and_must_not_be_common(password, accepted):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    try:
        validate_password(password)
    except ValidationError:
        assert not accepted
    else:
        assert accepted


def parse_csp(header: str) -> dict[str, str]:
    directives = {}
    for part in header.split(";"):
        name, _sep, value = part.strip().partition(" ")
        directives[name] = value
    return directives


def public_pages():
    return [
        reverse("themes:home"),
        reverse("themes:theme-list"),
        reverse("themes:about"),
        reverse("themes:accessibility"),
        reverse("ambassadors:ambassador-signup"),
        reverse("ambassadors:login-request"),
        reverse("networks:ball-create"),
        reverse("networks:ball-public-list"),
        reverse("networks:ball-public-detail", args=[999999]),
        reverse("networks:network-list"),
        reverse("networks:activity-list"),
        reverse("newsletter-list"),
        reverse("privacy"),
        "/findes-ikke/",
        "/admin/login/",
        reverse("networks:ball-status", args=["ugyldig"]),
        reverse("ambassadors:ambassador-login", args=["ugyldig"]),
    ]


@pytest.fixture
def staff_client(superuser):
    client = Client()
    client.force_login(superuser)
    return client


def assert_security_headers(response, *, private: bool = False):
    csp = parse_csp(response["Content-Security-Policy"])
    for name, value in REQUIRED_CSP.items():
        assert csp[name] == value, (name, csp)
    assert csp["script-src"] == "'self'"  # every script is a same-origin file: no nonce
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    if private:
        assert "no-store" in response.get("Cache-Control", ""), response.get("Cache-Control")


def test_every_public_page_type_carries_the_csp_and_security_headers(client, fredericia):
    for url in public_pages():
        response = client.get(url)
        assert response.status_code < 500, url
        assert response["Content-Type"].startswith("text/html"), url
        assert_security_headers(response)


def test_admin_and_dashboard_pages_carry_the_csp_and_no_store(staff_client, fredericia):
    for url in ["/admin/", "/admin/ambassadors/ambassador/", "/admin/networks/ball/"]:
        response = staff_client.get(url)
        assert response.status_code == 200, url
        assert_security_headers(response, private=True)
    response = staff_client.get(reverse("evaluation:dashboard"))
    assert response.status_code == 200
    assert_security_headers(response)


def test_state_changing_requests_without_a_csrf_token_are_refused(db, fredericia):
    from ambassadors.models import Ambassador
    from networks.models import Ball

    client = Client(enforce_csrf_checks=True)
    for url in [
        reverse("ambassadors:ambassador-signup"),
        reverse("ambassadors:login-request"),
        reverse("networks:ball-create"),
        "/admin/login/",
    ]:
        response = client.post(url, {"email": "a@example.dk", "name": "A", "text": "x"})
        assert response.status_code == 403, url
        assert "Traceback" not in response.content.decode()
    assert not Ambassador.objects.exists()
    assert not Ball.objects.exists()


def test_a_forced_500_shows_no_stack_trace_or_settings(client, settings, monkeypatch):
    from themes import views

    def explode(*args, **kwargs):
        raise RuntimeError("SELECT secret FROM settings")

    monkeypatch.setattr(views.HomeView, "get", explode)
    client.raise_request_exception = False
    response = client.get(reverse("themes:home"))
    assert response.status_code == 500
    body = response.content.decode()
    assert "Traceback" not in body and "SELECT" not in body and "SECRET_KEY" not in body


def test_every_public_form_links_the_privacy_notice(client, fredericia):
    for url in [
        reverse("ambassadors:ambassador-signup"),
        reverse("ambassadors:login-request"),
        reverse("networks:ball-create"),
    ]:
        assert reverse("privacy") in client.get(url).content.decode(), url


def test_every_403_is_logged_with_user_and_address_but_not_the_post(
    db, fredericia, committee_member, caplog
):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.7")
    with caplog.at_level("WARNING", logger="portal.audit"):
        response = strict.post("/bolde/send/", {"title": "Hemmelig titel", "description": "x"})
    assert response.status_code == 403
    record = next(r for r in caplog.records if r.getMessage().startswith("403 POST /bolde/send/"))
    assert "user=-" in record.getMessage() and "address=203.0.113.7" in record.getMessage()
    assert "Hemmelig" not in caplog.text

    staff = Client(REMOTE_ADDR="203.0.113.8")
    staff.force_login(committee_member)
    caplog.clear()
    with caplog.at_level("WARNING", logger="portal.audit"):
        assert staff.get("/admin/networks/ball/add/").status_code == 403
    assert f"user={committee_member.pk} address=203.0.113.8" in caplog.text


def test_workers_times_connections_stay_below_max_connections(db):
    from django.db import connection

    from udsathed import gunicorn

    with connection.cursor() as cursor:
        cursor.execute("SHOW max_connections")
        max_connections = int(cursor.fetchone()[0])
    assert gunicorn.workers * gunicorn.threads >= 2
    assert gunicorn.database_connections_needed() < max_connections
