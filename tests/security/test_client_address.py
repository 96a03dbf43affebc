"""Issue 16, item 4: the client's address behind the TLS proxy.

One setting, TRUSTED_PROXY_COUNT, decides which address is the client's; the rate limits,
django-axes and the log lines all take it from `udsathed.core.clientip.client_ip`.
"""

import logging

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.factories import UserFactory
from udsathed.core.clientip import UNKNOWN_ADDRESS, client_ip

PROXY = "10.0.0.1"
SIGNUP_URL = reverse("ambassadors:ambassador-signup")
PASSWORD = "en lang og god adgangskode"


def request_from(forwarded=None, remote=PROXY):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def behind_proxy(forwarded):
    """A browser whose requests all reach the portal through the proxy."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


def signup(client, i):
    return client.post(
        SIGNUP_URL,
        {
            "kind": "citizen",
            "name": f"Person {i}",
            "email": f"p{i}-{id(client)}@example.dk",
            "postcode": "7000",
            "accept_privacy": "on",
        },
    )


def test_client_ip_without_trusted_proxies_ignores_the_header(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request_from("203.0.113.7", remote="198.51.100.2")) == "198.51.100.2"


def test_client_ip_with_one_proxy_takes_the_entry_the_proxy_added(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request_from("spoofed, 203.0.113.7")) == "203.0.113.7"
    assert client_ip(request_from("203.0.113.7")) == "203.0.113.7"
    assert client_ip(request_from("1.2.3.4,203.0.113.7 ")) == "203.0.113.7"


def test_client_ip_with_two_proxies_takes_the_second_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request_from("6.6.6.6, 203.0.113.7, 10.0.0.5")) == "203.0.113.7"


@pytest.mark.parametrize(
    "forwarded",
    [
        None,
        "",
        "   ",
        "not-an-address",
        "203.0.113.7, ",
        "203.0.113.7, <script>",
        "203.0.113.7, 999.1.1.1",
        "x" * 5000,
    ],
)
def test_client_ip_falls_back_to_the_proxy_on_a_missing_or_malformed_header(settings, forwarded):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request_from(forwarded)) == PROXY


def test_client_ip_falls_back_to_the_proxy_when_the_header_is_too_short(settings):
    # Fewer entries than trusted proxies: the chain is not what the setting says, and the
    # left-most entry may be the client's own; the address that cannot be forged is kept.
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request_from("203.0.113.7")) == PROXY


def test_client_ip_accepts_ports_and_ipv6(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request_from("203.0.113.7:51234")) == "203.0.113.7"
    assert client_ip(request_from("2001:db8::7")) == "2001:db8::7"
    assert client_ip(request_from("[2001:db8::7]:443")) == "2001:db8::7"


def test_client_ip_without_any_sane_address_is_the_unknown_address(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request_from(remote="")) == UNKNOWN_ADDRESS
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request_from("nonsense", remote="")) == UNKNOWN_ADDRESS


def test_two_clients_behind_one_proxy_have_separate_rate_limits(settings, fredericia):
    settings.TRUSTED_PROXY_COUNT = 1
    first, second = behind_proxy("203.0.113.7"), behind_proxy("203.0.113.8")
    for i in range(20):
        assert signup(first, i).status_code == 302
    assert signup(first, 21).status_code == 429
    assert signup(second, 22).status_code == 302


def test_a_client_cannot_escape_its_rate_limit_with_its_own_forwarded_header(settings, fredericia):
    settings.TRUSTED_PROXY_COUNT = 1
    for i in range(20):
        signup(behind_proxy(f"198.18.0.{i}, 203.0.113.7"), i)
    assert signup(behind_proxy("198.18.1.1, 203.0.113.7"), 21).status_code == 429


def test_without_trusted_proxies_the_forwarded_header_does_not_change_the_rate_limit(
    settings, fredericia
):
    settings.TRUSTED_PROXY_COUNT = 0
    for i in range(20):
        signup(Client(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"198.18.0.{i}"), i)
    spoofing = Client(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.18.1.1")
    assert signup(spoofing, 21).status_code == 429


@pytest.fixture
def leader(project_leader):
    project_leader.set_password(PASSWORD)
    project_leader.save()
    return project_leader


def log_in(client, user, password):
    return client.post(
        "/admin/login/?next=/admin/", {"username": user.username, "password": password}
    )


def test_axes_locks_out_per_real_client_address(settings, leader):
    settings.TRUSTED_PROXY_COUNT = 1
    for i in range(5):
        # The attacker changes its own X-Forwarded-For on every try; the proxy's entry stays.
        log_in(behind_proxy(f"198.18.0.{i}, 203.0.113.7"), leader, "forkert")
    assert log_in(behind_proxy("198.18.1.1, 203.0.113.7"), leader, PASSWORD).status_code == 429
    # Another client behind the same proxy is not locked out of the account.
    assert log_in(behind_proxy("203.0.113.8"), leader, PASSWORD).status_code == 302


def test_axes_ignores_the_forwarded_header_without_trusted_proxies(settings, leader):
    settings.TRUSTED_PROXY_COUNT = 0
    for i in range(5):
        attacker = Client(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"198.18.0.{i}")
        log_in(attacker, leader, "forkert")
    attacker = Client(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.18.1.1")
    assert log_in(attacker, leader, PASSWORD).status_code == 429


def test_the_rate_limit_log_line_carries_the_real_address(settings, fredericia, caplog):
    settings.TRUSTED_PROXY_COUNT = 1
    client = behind_proxy("198.18.0.1, 203.0.113.7")
    with caplog.at_level(logging.WARNING):
        for i in range(21):
            signup(client, i)
    lines = [r.getMessage() for r in caplog.records if "Rate limit" in r.getMessage()]
    assert lines and all("203.0.113.7" in line for line in lines)
    assert not any("198.18.0.1" in line or PROXY in line for line in lines)


def test_the_forbidden_log_line_carries_the_real_address(settings, db, caplog):
    settings.TRUSTED_PROXY_COUNT = 1
    client = behind_proxy("198.18.0.1, 203.0.113.7")
    client.force_login(UserFactory(is_staff=True))  # staff without any permission
    with caplog.at_level(logging.WARNING, logger="portal.audit"):
        assert client.get("/admin/auth/user/").status_code == 403
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("403")]
    assert lines and "address=203.0.113.7" in lines[-1]
