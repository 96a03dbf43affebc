"""Security item 6: brute force locked by django-axes, TOTP for staff, staff session limits."""

import time

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory
from udsathed.core.middleware import SEEN_KEY, STARTED_KEY

PASSWORD = "en lang og god adgangskode"


@pytest.fixture
def leader(project_leader):
    project_leader.set_password(PASSWORD)
    project_leader.save()
    return project_leader


def log_in(client, user, password, **extra):
    return client.post(
        "/admin/login/?next=/admin/", {"username": user.username, "password": password, **extra}
    )


def test_five_failures_lock_the_username_from_that_address(leader, caplog):
    client = Client()
    for _ in range(4):
        assert log_in(client, leader, "forkert").status_code == 200
    # The fifth failure locks; from then on even the right password is refused.
    assert log_in(client, leader, "forkert").status_code == 429
    response = log_in(client, leader, PASSWORD)
    assert response.status_code == 429
    assert "Too many failed log-ins" in response.content.decode() or "låst" in (
        response.content.decode()
    )
    assert "_auth_user_id" not in client.session
    assert any("locking out" in record.getMessage().lower() for record in caplog.records)
    # Another address is not locked out of the same account.
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert log_in(other, leader, PASSWORD).status_code == 302


def test_the_lock_ends_after_fifteen_minutes(leader, settings):
    from axes.models import AccessAttempt

    client = Client()
    for _ in range(5):
        log_in(client, leader, "forkert")
    assert log_in(client, leader, PASSWORD).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time.replace(year=2000)
    )
    assert log_in(client, leader, PASSWORD).status_code == 302


def test_a_successful_log_in_resets_the_count(leader):
    client = Client()
    for _ in range(4):
        log_in(client, leader, "forkert")
    assert log_in(client, leader, PASSWORD).status_code == 302
    client = Client()
    for _ in range(4):
        log_in(client, leader, "forkert")
    assert log_in(client, leader, PASSWORD).status_code == 302


def test_with_two_factor_on_a_password_alone_does_not_open_the_admin(leader, settings):
    settings.STAFF_REQUIRE_2FA = True
    TOTPDevice.objects.create(user=leader, name="App", confirmed=True)
    client = Client()
    response = log_in(client, leader, PASSWORD)
    assert response.status_code == 200  # the form again, asking for the token
    assert client.get("/admin/").status_code == 302
    client.force_login(leader)  # logged in, yet not verified by a device
    assert client.get("/admin/").status_code == 302


def test_with_two_factor_on_password_and_token_open_the_admin(leader, settings):
    settings.STAFF_REQUIRE_2FA = True
    device = TOTPDevice.objects.create(user=leader, name="App", confirmed=True)
    client = Client()
    response = log_in(
        client,
        leader,
        PASSWORD,
        otp_token=f"{totp(device.bin_key):06d}",
        otp_device=device.persistent_id,
    )
    assert response.status_code == 302, response.context["form"].errors
    assert client.get("/admin/").status_code == 200


def test_two_factor_is_off_in_development_and_tests(leader):
    client = Client()
    assert log_in(client, leader, PASSWORD).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_create_totp_device_prints_an_otpauth_link(leader, capsys):
    call_command("create_totp_device", leader.username)
    assert capsys.readouterr().out.startswith("otpauth://totp/")
    assert TOTPDevice.objects.filter(user=leader, confirmed=True).count() == 1


def shift_session(client, **seconds_ago):
    session = client.session
    now = time.time()
    for key, ago in seconds_ago.items():
        session[key] = now - ago
    session.save()


def test_a_staff_session_ends_after_thirty_minutes_idle(leader):
    client = Client()
    client.force_login(leader)
    assert client.get("/admin/").status_code == 200
    shift_session(client, **{STARTED_KEY: 29 * 60, SEEN_KEY: 29 * 60})
    assert client.get("/admin/").status_code == 200
    shift_session(client, **{STARTED_KEY: 31 * 60, SEEN_KEY: 31 * 60})
    assert client.get("/admin/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_busy_staff_session_still_ends_after_twelve_hours(leader):
    client = Client()
    client.force_login(leader)
    assert client.get("/admin/").status_code == 200
    shift_session(client, **{STARTED_KEY: 11 * 3600, SEEN_KEY: 10})
    assert client.get("/admin/").status_code == 200
    shift_session(client, **{STARTED_KEY: 12 * 3600 + 60, SEEN_KEY: 10})
    assert client.get("/admin/").status_code == 302


def test_non_staff_users_are_not_touched_by_the_staff_limits(db):
    user = UserFactory(is_staff=False)
    client = Client()
    client.force_login(user)
    client.get("/")
    assert STARTED_KEY not in client.session


def test_failed_log_ins_are_logged_without_the_password(leader, caplog):
    secret = "hemmelig-forkert-kode-123"
    Client().post("/admin/login/", {"username": leader.username, "password": secret})
    messages = [record.getMessage() for record in caplog.records]
    assert any("login failure" in m.lower() or "login failed" in m.lower() for m in messages)
    assert not any(secret in m for m in messages)
